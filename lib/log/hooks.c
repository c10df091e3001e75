/*
 * log/hooks.c: what adr's git hooks do at commit time (adr/hooks.h): the
 * trailer that links commits, the watched paths a change touches, the
 * hint prepare-commit-msg adds, HEAD as post-commit sees it, and recording
 * or linking a decision for a commit. Installing the hooks is
 * log/hooks_install.c.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "adr/clock.h"
#include "adr/commit.h"
#include "adr/hooks.h"
#include "log/hooks_internal.h"
#include "log/ops_internal.h"
#include "record/placeholder.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"
#include "git/repo_internal.h"
#include "util/glob.h"

const char *adr_hooks_trailer_name(adr_repo *repo)
{
	const char *t = adr_repo_config_string(repo, "hooks.trailer");
	return t && *t ? t : "Refs";
}

/* --- what the hooks look at ------------------------------------------------------ */

static int add_watched(adr_strlist *out, const adr_strlist *globs, const git_diff *diff)
{
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *paths[2] = { d->old_file.path, d->new_file.path };
		for (size_t k = 0; k < 2; k++)
			if (paths[k] && adr__glob_match_any(globs, paths[k]) &&
			    adr_strlist_add_unique(out, paths[k]) < 0)
				return ADR_ENOMEM;
	}
	return 0;
}

static int head_tree(git_tree **out, git_repository *git)
{
	git_object *obj = NULL;
	int grc = git_revparse_single(&obj, git, "HEAD^{tree}");
	*out = NULL;
	if (grc == GIT_ENOTFOUND || grc == GIT_EUNBORNBRANCH)
		return 0;
	if (grc < 0)
		return adr__error_git(grc, "cannot read HEAD");
	*out = (git_tree *)obj;
	return 0;
}

int adr__hooks_staged_watched(adr_strlist *out, adr_repo *repo, const char *index_path)
{
	git_repository *git = adr__repo_git(repo);
	adr_strlist globs = ADR_STRLIST_INIT;
	git_tree *tree = NULL;
	git_index *index = NULL;
	git_diff *diff = NULL;
	int rc, grc;

	if ((rc = adr_repo_config_list(&globs, repo, "hooks.watch")) < 0 || !globs.count)
		goto cleanup;
	if ((rc = head_tree(&tree, git)) < 0)
		goto cleanup;
	grc = index_path ? git_index_open(&index, index_path) : git_repository_index(&index, git);
	if (grc < 0) {
		rc = adr__error_git(grc, "cannot read the index");
		goto cleanup;
	}
	if ((grc = git_diff_tree_to_index(&diff, git, tree, index, NULL)) < 0) {
		rc = adr__error_git(grc, "cannot compare the index with HEAD");
		goto cleanup;
	}
	rc = add_watched(out, &globs, diff);
cleanup:
	git_diff_free(diff);
	git_index_free(index);
	git_tree_free(tree);
	adr_strlist_dispose(&globs);
	return rc;
}

static int comment_char(char *out, git_repository *git)
{
	git_config *cfg = NULL;
	git_buf val = { 0 };
	int grc;
	*out = '#';
	if ((grc = git_repository_config_snapshot(&cfg, git)) < 0)
		return adr__error_git(grc, "cannot read the git configuration");
	grc = git_config_get_string_buf(&val, cfg, "core.commentChar");
	if (grc == 0)
		*out = strlen(val.ptr) == 1 && val.ptr[0] != ' ' ? val.ptr[0] : '\0';
	git_buf_dispose(&val);
	git_config_free(cfg);
	return grc == 0 || grc == GIT_ENOTFOUND ? 0 : adr__error_git(grc, "cannot read core.commentChar");
}

static int rewrite_file(const char *path, const adr_buf *data)
{
	FILE *f = fopen(path, "wb");
	int rc = 0;
	if (!f)
		return adr__error_os("cannot write '%s'", path);
	if (fwrite(data->ptr, 1, data->size, f) != data->size)
		rc = adr__error_os("cannot write '%s'", path);
	if (fclose(f) != 0 && !rc)
		rc = adr__error_os("cannot write '%s'", path);
	return rc;
}

int adr_hooks_prepare_msg(bool *added, adr_repo *repo, const char *msg_file, const char *source,
			  const char *index_path)
{
	adr_strlist paths = ADR_STRLIST_INIT;
	adr_buf msg = ADR_BUF_INIT, hint = ADR_BUF_INIT, out = ADR_BUF_INIT;
	const char *scissors;
	size_t at;
	char cc;
	int rc;

	*added = false;
	if (source && *source && strcmp(source, "template") != 0)
		return 0;
	if ((rc = comment_char(&cc, adr__repo_git(repo))) < 0 || !cc)
		return rc;
	if ((rc = adr__hooks_staged_watched(&paths, repo, index_path)) < 0 || !paths.count)
		goto cleanup;
	if ((rc = adr__hooks_read(&msg, msg_file)) != 0) {
		/* A message too large to rewrite safely gets no hint. */
		if (rc > 0)
			rc = 0;
		goto cleanup;
	}
	adr_buf_printf(&hint, "%c adr: this change touches paths watched for decisions (hooks.watch):\n", cc);
	for (size_t i = 0; i < paths.count && i < 10; i++)
		adr_buf_printf(&hint, "%c   %s\n", cc, paths.items[i]);
	if (paths.count > 10)
		adr_buf_printf(&hint, "%c   ... and %zu more\n", cc, paths.count - 10);
	adr_buf_printf(&hint, "%c Add \"Decision: TITLE\" to record a decision after the commit,\n"
			      "%c \"%s: ADR-NNNN\" to link one, or \"Decision: none\" to skip the question.\n",
		       cc, cc, adr_hooks_trailer_name(repo));
	/* Before git's own comments when there is a scissors line, else at the end. */
	scissors = strstr(msg.ptr, " ------------------------ >8 ------------------------");
	at = msg.size;
	if (scissors && scissors > msg.ptr && scissors[-1] == cc &&
	    (scissors - 1 == msg.ptr || scissors[-2] == '\n'))
		at = (size_t)(scissors - 1 - msg.ptr);
	adr_buf_put(&out, msg.ptr, at);
	if (at && out.ptr[at - 1] != '\n')
		adr_buf_putc(&out, '\n');
	adr_buf_put(&out, hint.ptr, hint.size);
	adr_buf_put(&out, msg.ptr + at, msg.size - at);
	if (adr_buf_oom(&out) || adr_buf_oom(&hint)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = rewrite_file(msg_file, &out)) == 0)
		*added = true;
cleanup:
	adr_strlist_dispose(&paths);
	adr_buf_dispose(&msg);
	adr_buf_dispose(&hint);
	adr_buf_dispose(&out);
	return rc;
}

void adr_hook_commit_dispose(adr_hook_commit *c)
{
	free(c->subject);
	free(c->decision);
	adr_intlist_dispose(&c->refs);
	adr_strlist_dispose(&c->watched);
	*c = (adr_hook_commit)ADR_HOOK_COMMIT_INIT;
}

static const char *state_skip(int state)
{
	switch (state) {
	case GIT_REPOSITORY_STATE_NONE:
		return NULL;
	case GIT_REPOSITORY_STATE_MERGE:
		return "a merge";
	case GIT_REPOSITORY_STATE_REVERT:
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		return "a revert";
	case GIT_REPOSITORY_STATE_CHERRYPICK:
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		return "a cherry-pick";
	case GIT_REPOSITORY_STATE_BISECT:
		return "a bisect";
	default:
		return "a rebase";
	}
}

/* What HEAD's last reflog entry says about how HEAD got there. */
static const char *reflog_skip(git_repository *git, const git_oid *head)
{
	git_reflog *log = NULL;
	const char *skip = NULL, *msg;
	const git_reflog_entry *e;

	if (git_reflog_read(&log, git, "HEAD") < 0)
		return NULL;
	if (git_reflog_entrycount(log) == 0 || !(e = git_reflog_entry_byindex(log, 0)) ||
	    !git_oid_equal(git_reflog_entry_id_new(e), head))
		goto cleanup;
	msg = git_reflog_entry_message(e);
	if (!msg)
		goto cleanup;
	if (strncmp(msg, "commit: ", 8) == 0 || strncmp(msg, "commit (initial): ", 18) == 0)
		goto cleanup;
	if (strncmp(msg, "commit (amend)", 14) == 0)
		skip = "an amend";
	else if (strncmp(msg, "commit (merge)", 14) == 0)
		skip = "a merge";
	else if (strncmp(msg, "cherry-pick", 11) == 0)
		skip = "a cherry-pick";
	else if (strncmp(msg, "revert", 6) == 0)
		skip = "a revert";
	else if (strncmp(msg, "rebase", 6) == 0)
		skip = "a rebase";
	else
		skip = "not a plain commit";
cleanup:
	git_reflog_free(log);
	return skip;
}

/* A trailer value on one line: folded line breaks and runs of blanks become
 * one space, none at either end (git's unfolding). */
static char *unfolded(const char *s)
{
	char *out = adr__malloc(strlen(s) + 1);
	size_t n = 0;
	if (!out)
		return NULL;
	for (; *s; s++) {
		bool space = isspace((unsigned char)*s);
		if (space && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = space ? ' ' : *s;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

int adr_hooks_head(adr_hook_commit *out, adr_repo *repo)
{
	git_repository *git = adr__repo_git(repo);
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT, globs = ADR_STRLIST_INIT;
	git_object *obj = NULL;
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	const char *summary;
	int rc = 0, grc;

	adr_hook_commit_dispose(out);
	if ((out->skip = state_skip(git_repository_state(git))))
		goto cleanup;
	grc = git_revparse_single(&obj, git, "HEAD^{commit}");
	if (grc == GIT_ENOTFOUND || grc == GIT_EUNBORNBRANCH) {
		out->skip = "no commit";
		goto cleanup;
	}
	if (grc < 0) {
		rc = adr__error_git(grc, "cannot read HEAD");
		goto cleanup;
	}
	commit = (git_commit *)obj;
	git_oid_tostr(out->id, sizeof(out->id), git_commit_id(commit));
	summary = git_commit_summary(commit);
	if (!(out->subject = adr__strdup(summary ? summary : ""))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (git_commit_parentcount(commit) > 1) {
		out->skip = "a merge";
		goto cleanup;
	}
	if ((out->skip = reflog_skip(git, git_commit_id(commit))))
		goto cleanup;
	if ((rc = adr_message_trailers(&keys, &values, git_commit_message(commit))) < 0)
		goto cleanup;
	for (size_t i = 0; i < keys.count; i++) {
		if (strcasecmp(keys.items[i], ADR_TRAILER_ACTION) == 0)
			out->from_adr = true;
		if (strcasecmp(keys.items[i], adr_hooks_trailer_name(repo)) == 0 &&
		    (rc = adr_refs_parse(&out->refs, values.items[i])) < 0)
			goto cleanup;
		if (strcasecmp(keys.items[i], "Decision") == 0 && !out->decision) {
			if (!(out->decision = unfolded(values.items[i]))) {
				rc = ADR_ENOMEM;
				goto cleanup;
			}
			if (strcasecmp(out->decision, "none") == 0)
				out->opt_out = true;
		}
	}
	if (out->from_adr) {
		out->skip = "made by adr";
		goto cleanup;
	}
	if ((rc = adr_repo_config_list(&globs, repo, "hooks.watch")) < 0 || !globs.count)
		goto cleanup;
	if ((grc = git_commit_tree(&tree, commit)) < 0 ||
	    (git_commit_parentcount(commit) && (grc = git_commit_parent(&parent, commit, 0)) == 0 &&
	     (grc = git_commit_tree(&ptree, parent)) < 0) ||
	    (grc = git_diff_tree_to_tree(&diff, git, ptree, tree, NULL)) < 0) {
		rc = adr__error_git(grc, "cannot compare HEAD with its parent");
		goto cleanup;
	}
	rc = add_watched(&out->watched, &globs, diff);
cleanup:
	git_diff_free(diff);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	git_commit_free(commit);
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	adr_strlist_dispose(&globs);
	return rc;
}

/* --- recording and linking ------------------------------------------------------- */

static int check_commit_id(const char *commit)
{
	size_t n = strlen(commit);
	if (n != 40 || strspn(commit, "0123456789abcdef") != 40)
		return adr__error(ADR_EINVALID, "'%s' is not a full commit id", commit);
	return 0;
}

/* An accepted decision from the prompt: no placeholder text, the committer
 * as a decision-maker, and a cleanup date so the queue reminds. */
static int finish_later(adr_record *r, adr_repo *repo, const char *commit)
{
	adr__placeholders p = ADR__PLACEHOLDERS_INIT;
	adr_buf body = ADR_BUF_INIT;
	git_commit *c = NULL;
	git_oid id;
	int rc;

	if ((rc = adr__placeholders_load(&p, repo)) < 0 || (rc = adr__placeholder_strip(&p, &body, r->body)) < 0)
		goto cleanup;
	free(r->body);
	r->body = adr_buf_detach(&body);
	/* check_commit_id() said it is 40 hex digits */
	if (git_oid_fromstr(&id, commit) == 0 && git_commit_lookup(&c, adr__repo_git(repo), &id) == 0 &&
	    git_commit_committer(c)->name[0] &&
	    (rc = adr_strlist_add_unique(&r->decision_makers, git_commit_committer(c)->name)) < 0)
		goto cleanup;
	git_error_clear();
	adr_date_at(r->cleanup_by, adr_now() + 86400);
cleanup:
	git_commit_free(c);
	adr_buf_dispose(&body);
	adr__placeholders_dispose(&p);
	return rc;
}

int adr_hooks_record(adr_op_result *res, adr_repo *repo, adr_record *r, const char *commit)
{
	int rc;
	if ((rc = check_commit_id(commit)) < 0)
		return rc;
	if (r->status == ADR_STATUS_ACCEPTED && (rc = finish_later(r, repo, commit)) < 0)
		return rc;
	return adr__op_new(res, repo, r, commit);
}

typedef struct {
	adr_op_result *res;
	int number;
	const char *commit;
} hook_link_ctx;

static int hook_link_fn(adr_change *ch, void *payload)
{
	hook_link_ctx *c = payload;
	adr_recordset *set;
	char num[16];
	int rc, i;

	if ((rc = adr_change_records(ch, &set)) < 0)
		return rc;
	if ((i = adr_recordset_find(set, c->number)) < 0)
		return adr__error(ADR_ENOTFOUND, "record %04d does not exist on %s", c->number,
				  adr_change_branch(ch));
	snprintf(num, sizeof(num), "%04d", c->number);
	if ((rc = adr_change_set_subject(ch, "adr: link %04d to commit %.12s", c->number, c->commit)) < 0 ||
	    (rc = adr_change_add_trailer(ch, ADR_TRAILER_ACTION, "link-commit")) < 0 ||
	    (rc = adr_change_add_trailer(ch, ADR_TRAILER_RECORD, num)) < 0 ||
	    (rc = adr_change_add_trailer(ch, ADR_TRAILER_COMMIT, c->commit)) < 0)
		return rc;
	c->res->number = c->number;
	free(c->res->path);
	if (!(c->res->path = adr__strdup(set->items[i]->path ? set->items[i]->path : "")))
		return ADR_ENOMEM;
	return 0;
}

int adr_hooks_link(adr_op_result *res, adr_repo *repo, int number, const char *commit)
{
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	hook_link_ctx c = { res, number, commit };
	int rc;
	if ((rc = check_commit_id(commit)) < 0)
		return rc;
	opts.allow_empty = true;
	return adr__op_commit(res, repo, hook_link_fn, &c, &opts);
}
