/*
 * log/links.c: commits linked to decisions (adr/links.h): Refs: trailers
 * and adr's Adr-Commit: links, read in one walk (git/walk.c) over the
 * decision branch and HEAD.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <git2.h>

#include "adr/hooks.h"
#include "adr/links.h"
#include "record/trailers.h"
#include "util/error.h"
#include "util/strcase.h"
#include "git/repo_internal.h"
#include "git/walk.h"
#include "util/alloc.h"

void adr_commit_links_dispose(adr_commit_links *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].subject);
		free(l->items[i].author);
	}
	free(l->items);
	*l = (adr_commit_links)ADR_COMMIT_LINKS_INIT;
}

static int add_link(adr_commit_links *l, git_repository *git, int record, const char *hex, const char *via)
{
	adr_commit_link *e;
	git_oid oid;
	git_commit *c = NULL;
	const git_signature *sig;
	const char *summary;
	int grc;

	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].record == record && strcmp(l->items[i].commit, hex) == 0)
			return 0;
	if (ADR_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	e = &l->items[l->count];
	memset(e, 0, sizeof(*e));
	e->record = record;
	e->via = via;
	snprintf(e->commit, sizeof(e->commit), "%s", hex);
	/* A commit that is not here (another clone's) is shown by its id alone;
	 * one that cannot be read is an error, not a link without a subject. */
	if (git_oid_fromstr(&oid, hex) == 0 && (grc = git_commit_lookup(&c, git, &oid)) < 0 && grc != GIT_ENOTFOUND)
		return adr__error_git(grc, "cannot read commit %s", hex);
	if (c) {
		summary = git_commit_summary(c);
		sig = git_commit_author(c);
		e->subject = adr__strdup(summary ? summary : "");
		if (sig) {
			size_t n = strlen(sig->name) + strlen(sig->email) + 4;
			if ((e->author = adr__malloc(n)))
				snprintf(e->author, n, "%s <%s>", sig->name, sig->email);
			e->time = (long long)sig->when.time;
			e->offset = sig->when.offset;
		} else {
			e->author = adr__strdup("");
		}
		git_commit_free(c);
	} else {
		e->subject = adr__strdup("");
		e->author = adr__strdup("");
	}
	if (!e->subject || !e->author) {
		free(e->subject);
		free(e->author);
		return ADR_ENOMEM;
	}
	l->count++;
	return 0;
}

static bool full_hex(const char *s)
{
	return strlen(s) == 40 && strspn(s, "0123456789abcdef") == 40;
}

/* The links one commit message makes. */
static int commit_links(adr_commit_links *out, git_repository *git, git_commit *c, const char *trailer)
{
	const char *msg = git_commit_message(c);
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	adr_intlist refs = ADR_INTLIST_INIT, records = ADR_INTLIST_INIT;
	char hex[41];
	int rc;

	/* Most commits carry neither; skip the trailer parser for them. */
	if (!msg || (!adr__ci_contains(msg, trailer) && !strstr(msg, ADR_TRAILER_COMMIT)))
		return 0;
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	if ((rc = adr_message_trailers(&keys, &values, msg)) < 0)
		goto cleanup;
	for (size_t i = 0; i < keys.count; i++) {
		if (strcasecmp(keys.items[i], trailer) == 0) {
			if ((rc = adr_refs_parse(&refs, values.items[i])) < 0)
				goto cleanup;
		} else if (strcasecmp(keys.items[i], ADR_TRAILER_RECORD) == 0) {
			int n;
			if (adr_parse_number(&n, values.items[i]) == 0 && adr_intlist_add_unique(&records, n) < 0) {
				rc = ADR_ENOMEM;
				goto cleanup;
			}
		}
	}
	for (size_t i = 0; i < refs.count; i++)
		if ((rc = add_link(out, git, refs.items[i], hex, "trailer")) < 0)
			goto cleanup;
	for (size_t i = 0; i < keys.count; i++) {
		if (strcasecmp(keys.items[i], ADR_TRAILER_COMMIT) != 0 || !full_hex(values.items[i]))
			continue;
		for (size_t k = 0; k < records.count; k++)
			if ((rc = add_link(out, git, records.items[k], values.items[i], "adr")) < 0)
				goto cleanup;
	}
cleanup:
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	adr_intlist_dispose(&refs);
	adr_intlist_dispose(&records);
	return rc;
}

typedef struct {
	adr_commit_links *out;
	git_repository *git;
	const char *trailer;
} links_walk;

static int links_of_commit(git_commit *c, void *payload)
{
	links_walk *lw = payload;
	return commit_links(lw->out, lw->git, c, lw->trailer);
}

int adr_links_walk(adr_commit_links *out, adr_repo *repo)
{
	links_walk lw = { out, adr__repo_git(repo), adr_hooks_trailer_name(repo) };
	adr__walk_opts o = { 0 };

	/* The decision branch and HEAD; either may be unborn. */
	o.from_refs[0] = adr_repo_branch(repo);
	o.from_refs[1] = "HEAD";
	o.what = "the history";
	return adr__walk(repo, &o, links_of_commit, &lw);
}

int adr_commit_touches(bool *out, adr_repo *repo, const char *commit, const char *path)
{
	git_repository *git = adr__repo_git(repo);
	git_diff_options opts;
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	git_oid oid;
	char *paths[1];
	int rc = 0, grc;

	*out = false;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (git_oid_fromstr(&oid, commit) < 0)
		return adr__error(ADR_EINVALID, "'%s' is not a commit id", commit);
	if ((grc = git_commit_lookup(&c, git, &oid)) < 0)
		return grc == GIT_ENOTFOUND ? 0 : adr__error_git(grc, "cannot read commit %s", commit);
	if (!(paths[0] = adr__strdup(path))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	opts.pathspec.strings = paths;
	opts.pathspec.count = 1;
	opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	if ((grc = git_commit_tree(&tree, c)) < 0 ||
	    (git_commit_parentcount(c) && (grc = git_commit_parent(&parent, c, 0)) == 0 &&
	     (grc = git_commit_tree(&ptree, parent)) < 0) ||
	    (grc = git_diff_tree_to_tree(&diff, git, ptree, tree, &opts)) < 0) {
		rc = adr__error_git(grc, "cannot compare commit %s with its parent", commit);
		goto cleanup;
	}
	*out = git_diff_num_deltas(diff) > 0;
cleanup:
	free(paths[0]);
	git_diff_free(diff);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	git_commit_free(c);
	return rc;
}

void adr_commit_link_date(char buf[48], const adr_commit_link *l)
{
	time_t t = (time_t)(l->time + (long long)l->offset * 60);
	struct tm tm;
	int off = l->offset < 0 ? -l->offset : l->offset;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, 48, "-");
		return;
	}
	snprintf(buf, 48, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", (tm.tm_year + 1900) % 10000,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, l->offset < 0 ? '-' : '+',
		 (off / 60) % 100, off % 60);
}
