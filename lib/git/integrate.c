/*
 * git/integrate.c: how adr sync puts local commits of the decision branch on
 * top of what the remote has (git/integrate_internal.h). adr's own commits
 * (they touch only the records) are replayed onto the remote tip; commits
 * that are not adr's are never rewritten: the two tips are merged instead.
 * Only objects are written here; the branch moves in advance.c.
 */
#include "git/integrate_internal.h"
#include "git/signature_internal.h"

#include <stdlib.h>
#include <string.h>

#include "adr/record.h"
#include "git/walk.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"

/* The two ways a libgit2 call fails here, each said once. */
static int read_failed(int rc, const git_oid *id)
{
	return adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(id));
}

static int write_failed(int rc, const char *what)
{
	return adr__error_git(rc, "cannot write %s", what);
}

typedef struct {
	git_oid *ids;
	size_t n, alloc;
} oid_list;

/* The local commits: the first-parent chain from `tip` back to the first
 * commit that `onto` has, oldest first. A proposal's commits, merged by a
 * decision, come along as the decision's second parent, not one by one. */
static int local_commits(oid_list *l, adr_repo *repo, const git_oid *tip, const git_oid *onto)
{
	git_repository *git = adr__repo_git(repo);
	git_oid cur = *tip;
	int rc = 0;

	for (;;) {
		git_commit *c = NULL;
		if (git_oid_equal(&cur, onto) || git_graph_descendant_of(git, onto, &cur) == 1)
			break;
		if (ADR_ARRAY_GROW(l->ids, l->alloc, l->n + 1) < 0)
			return ADR_ENOMEM;
		l->ids[l->n++] = cur;
		if ((rc = git_commit_lookup(&c, git, &cur)) < 0)
			return read_failed(rc, &cur);
		if (git_commit_parentcount(c) == 0) {
			git_commit_free(c);
			return adr__error(ADR_ECONFLICT, "the local and the remote branch have no commit in common; "
							 "nothing was written");
		}
		cur = *git_commit_parent_id(c, 0);
		git_commit_free(c);
	}
	for (size_t i = 0; i < l->n / 2; i++) {
		git_oid t = l->ids[i];
		l->ids[i] = l->ids[l->n - 1 - i];
		l->ids[l->n - 1 - i] = t;
	}
	git_error_clear();
	return rc;
}

/* The diff a commit made to its first parent (an empty tree for a root). */
static int commit_diff(git_diff **out, git_tree **ptree, git_tree **ctree, git_repository *git, git_commit *c)
{
	git_commit *p = NULL;
	int rc = 0;

	*ptree = *ctree = NULL;
	if (git_commit_parentcount(c) > 0 && (rc = git_commit_parent(&p, c, 0)) == 0)
		rc = git_commit_tree(ptree, p);
	if (rc == 0)
		rc = git_commit_tree(ctree, c);
	if (rc == 0)
		rc = git_diff_tree_to_tree(out, git, *ptree, *ctree, NULL);
	git_commit_free(p);
	if (rc < 0)
		return read_failed(rc, git_commit_id(c));
	return 0;
}

int adr__commits_outside(bool *out, adr_repo *repo, const git_oid *tip, const git_oid *hide, const char *dir)
{
	git_repository *git = adr__repo_git(repo);
	oid_list l = { NULL, 0, 0 };
	size_t dl = strlen(dir);
	int rc;

	*out = false;
	if ((rc = local_commits(&l, repo, tip, hide)) < 0)
		goto cleanup;
	for (size_t i = 0; i < l.n && !*out && rc == 0; i++) {
		git_commit *c = NULL;
		git_diff *d = NULL;
		git_tree *pt = NULL, *ct = NULL;
		if ((rc = git_commit_lookup(&c, git, &l.ids[i])) < 0) {
			rc = read_failed(rc, &l.ids[i]);
			break;
		}
		if ((rc = commit_diff(&d, &pt, &ct, git, c)) == 0)
			for (size_t k = 0; k < git_diff_num_deltas(d); k++) {
				const char *p = git_diff_get_delta(d, k)->new_file.path;
				if (strncmp(p, dir, dl) != 0 || p[dl] != '/')
					*out = true;
			}
		git_diff_free(d);
		git_tree_free(pt);
		git_tree_free(ct);
		git_commit_free(c);
	}
cleanup:
	free(l.ids);
	return rc;
}

static bool same_entry(const git_tree_entry *e, const git_diff_file *f, bool absent)
{
	if (!e || absent)
		return !e && absent;
	return git_oid_equal(git_tree_entry_id(e), &f->id) && (uint32_t)git_tree_entry_filemode(e) == f->mode;
}

/* The tree of `onto` with the changes of diff `d` applied; ADR_ECONFLICT
 * when `onto` changed one of its files differently. */
static int apply_diff(git_oid *tree_out, git_repository *git, git_tree *onto, git_diff *d)
{
	size_t n = git_diff_num_deltas(d), nu = 0;
	git_tree_update *u = adr__calloc(n + 1, sizeof(*u));
	adr_buf conflicts = ADR_BUF_INIT;
	int rc = 0;

	ADR_ALLOC_CHECK(u);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const git_diff_delta *dl = git_diff_get_delta(d, i);
		const char *path = dl->new_file.path;
		git_tree_entry *ours = NULL;
		bool added = dl->status == GIT_DELTA_ADDED, deleted = dl->status == GIT_DELTA_DELETED;

		if ((rc = git_tree_entry_bypath(&ours, onto, path)) == GIT_ENOTFOUND)
			rc = 0;
		git_error_clear();
		if (same_entry(ours, &dl->new_file, deleted)) {
			/* already so */
		} else if (same_entry(ours, &dl->old_file, added)) {
			u[nu].action = deleted ? GIT_TREE_UPDATE_REMOVE : GIT_TREE_UPDATE_UPSERT;
			u[nu].id = dl->new_file.id;
			u[nu].filemode = (git_filemode_t)dl->new_file.mode;
			u[nu++].path = path;
		} else {
			adr_buf_printf(&conflicts, "%s'%s'", conflicts.size ? ", " : "", path);
		}
		git_tree_entry_free(ours);
	}
	if (rc == 0 && conflicts.size)
		rc = adr__error(ADR_ECONFLICT, "both sides changed %s differently; nothing was written", conflicts.ptr);
	else if (rc == 0 && (rc = git_tree_create_updated(tree_out, git, onto, nu, u)) < 0)
		rc = write_failed(rc, "a tree");
	adr_buf_dispose(&conflicts);
	free(u);
	return rc;
}

/* A decision (a merge carrying "Adr-Proposal: adr/<slug>") of a proposal
 * that `onto` has decided too, as a numbered record of that slug in `dir`:
 * *number gets its number, and `slug` the slug. */
static bool decided_there(int *number, adr_buf *slug, git_commit *c, git_tree *onto, const char *dir)
{
	const char *m = git_commit_message(c), *p = m ? strstr(m, "\nAdr-Proposal: adr/") : NULL;
	git_tree_entry *e = NULL;
	git_tree *t = NULL;
	bool yes = false;

	if (!p || git_commit_parentcount(c) < 2)
		return false;
	p += strlen("\nAdr-Proposal: adr/");
	adr_buf_clear(slug);
	adr_buf_put(slug, p, strcspn(p, "\r\n"));
	if (adr_buf_oom(slug) || git_tree_entry_bypath(&e, onto, dir) < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE ||
	    git_tree_lookup(&t, git_tree_owner(onto), git_tree_entry_id(e)) < 0)
		goto done;
	for (size_t i = 0; i < git_tree_entrycount(t) && !yes; i++) {
		adr_buf s2 = ADR_BUF_INIT;
		int n;
		if (adr_record_parse_filename(&n, &s2, git_tree_entry_name(git_tree_entry_byindex(t, i))) == 0 &&
		    strcmp(s2.ptr, slug->ptr) == 0 && strchr(git_tree_entry_name(git_tree_entry_byindex(t, i)), '-')) {
			*number = n;
			yes = true;
		}
		adr_buf_dispose(&s2);
	}
done:
	adr_error_clear();
	git_error_clear();
	git_tree_free(t);
	git_tree_entry_free(e);
	return yes;
}

/* One commit `c` replayed onto commit *cur, which becomes the new one. */
static int replay_one(git_oid *cur, git_repository *git, git_commit *c, const git_signature *committer,
		      const char *dir, adr_buf *notes)
{
	git_commit *onto = NULL, *parents[8] = { NULL };
	git_tree *onto_tree = NULL, *pt = NULL, *ct = NULL, *nt = NULL;
	git_diff *d = NULL;
	git_oid tree_id;
	adr_buf slug = ADR_BUF_INIT, msg = ADR_BUF_INIT;
	size_t np = 1;
	int rc, number = 0;

	if ((rc = git_commit_lookup(&onto, git, cur)) < 0 || (rc = git_commit_tree(&onto_tree, onto)) < 0) {
		rc = read_failed(rc, cur);
		goto cleanup;
	}
	if (decided_there(&number, &slug, c, onto_tree, dir)) {
		/* Decided on both sides: the remote's (published) decision stands;
		 * this merge keeps the local thread reachable and changes no file. */
		tree_id = *git_tree_id(onto_tree);
		adr_buf_printf(&msg, ADR_KEEP_THREAD_SUBJECT "adr/%s, decided on the remote too (%04d)\n",
			       slug.ptr, number);
		adr_buf_printf(notes, "%sadr/%s was decided on the remote too, as %04d: that decision stands, "
				      "the local one (%.12s) was not replayed",
			       notes->size ? "\n" : "", slug.ptr, number, git_oid_tostr_s(git_commit_id(c)));
		if (adr_buf_oom(&msg) || adr_buf_oom(notes)) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	} else if ((rc = commit_diff(&d, &pt, &ct, git, c)) < 0 || (rc = apply_diff(&tree_id, git, onto_tree, d)) < 0) {
		goto cleanup;
	}
	parents[0] = onto;
	for (unsigned i = 1; i < git_commit_parentcount(c) && np < 8 && rc == 0; i++)
		if ((rc = git_commit_parent(&parents[np], c, i)) == 0)
			np++;
	if (rc == 0 && (rc = git_tree_lookup(&nt, git, &tree_id)) == 0)
		rc = git_commit_create(cur, git, NULL, git_commit_author(c), committer, git_commit_message_encoding(c),
				       msg.size ? msg.ptr : git_commit_message(c), nt, np, (const git_commit **)parents);
	if (rc < 0)
		rc = write_failed(rc, "a replayed commit");
cleanup:
	for (size_t i = 1; i < np; i++)
		git_commit_free(parents[i]);
	git_commit_free(onto);
	git_tree_free(onto_tree);
	git_tree_free(pt);
	git_tree_free(ct);
	git_tree_free(nt);
	git_diff_free(d);
	adr_buf_dispose(&slug);
	adr_buf_dispose(&msg);
	return rc;
}

/* The branch commit a late comment was carried from (its Adr-Late-From),
 * into `id` (41 bytes); false when `msg` is not such a comment. */
static bool late_from(char id[41], const char *msg)
{
	const char *p = strstr(msg, "\n" ADR_TRAILER_LATE_FROM ": ");
	if (!p)
		return false;
	p += strlen("\n" ADR_TRAILER_LATE_FROM ": ");
	if (strspn(p, "0123456789abcdef") != 40)
		return false;
	memcpy(id, p, 40);
	id[40] = '\0';
	return true;
}

static int collect_late(git_commit *c, void *payload)
{
	char id[41];
	if (late_from(id, git_commit_message(c) ? git_commit_message(c) : ""))
		return adr_strlist_add_unique(payload, id);
	return 0;
}

/* A late comment the remote side carried already (another clone retired the
 * same branch): replaying ours would show the comment twice. */
static bool carried_there(const adr_strlist *there, git_commit *c)
{
	char id[41];
	return late_from(id, git_commit_message(c) ? git_commit_message(c) : "") && adr_strlist_contains(there, id);
}

int adr__replay(git_oid *out, size_t *count, adr_repo *repo, const git_oid *tip, const git_oid *onto, adr_buf *notes)
{
	adr_strlist there = ADR_STRLIST_INIT;
	adr__walk_opts o;
	git_repository *git = adr__repo_git(repo);
	git_signature *committer = NULL;
	oid_list l = { NULL, 0, 0 };
	git_oid cur = *onto;
	int rc;

	*count = 0;
	memset(&o, 0, sizeof(o));
	o.from = onto;
	o.hide = tip;
	o.what = "the remote's new commits";
	if ((rc = adr__signature_new(&committer, git, "COMMITTER")) < 0 ||
	    (rc = local_commits(&l, repo, tip, onto)) < 0 || (rc = adr__walk(repo, &o, collect_late, &there)) < 0)
		goto cleanup;
	for (size_t i = 0; i < l.n && rc == 0; i++) {
		git_commit *c = NULL;
		if ((rc = git_commit_lookup(&c, git, &l.ids[i])) < 0) {
			rc = read_failed(rc, &l.ids[i]);
			break;
		}
		/* adr's own renumbering of local records is done again on top
		 * of the remote (log/sync.c): replaying an old one would bring a
		 * record back under a number that is no longer free. */
		if (strstr(git_commit_message(c), "\nAdr-Action: renumber\n") || carried_there(&there, c)) {
			git_commit_free(c);
			continue;
		}
		if ((rc = replay_one(&cur, git, c, committer, adr_repo_records_dir(repo), notes)) == 0)
			(*count)++;
		git_commit_free(c);
	}
	*out = cur;
cleanup:
	git_signature_free(committer);
	free(l.ids);
	adr_strlist_dispose(&there);
	return rc;
}

int adr__merge_tips(git_oid *out, adr_repo *repo, const git_oid *ours, const git_oid *theirs, const char *msg)
{
	git_repository *git = adr__repo_git(repo);
	git_commit *a = NULL, *b = NULL;
	git_index *idx = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_oid tree_id;
	int rc;

	if ((rc = adr__signature_new(&sig, git, "COMMITTER")) < 0)
		return rc;
	if ((rc = git_commit_lookup(&a, git, ours)) < 0 || (rc = git_commit_lookup(&b, git, theirs)) < 0 ||
	    (rc = git_merge_commits(&idx, git, a, b, NULL)) < 0) {
		rc = read_failed(rc, theirs);
		goto cleanup;
	}
	if (git_index_has_conflicts(idx)) {
		adr_buf paths = ADR_BUF_INIT;
		const char *last = "";
		/* The stages of one path are next to each other. */
		for (size_t i = 0; i < git_index_entrycount(idx); i++) {
			const git_index_entry *e = git_index_get_byindex(idx, i);
			if (git_index_entry_is_conflict(e) && strcmp(last, e->path) != 0)
				adr_buf_printf(&paths, "%s'%s'", paths.size ? ", " : "", e->path);
			if (git_index_entry_is_conflict(e))
				last = e->path;
		}
		rc = adr__error(ADR_ECONFLICT, "the local and the remote commits cannot be merged cleanly: %s "
					       "conflict; nothing was written (merge them with git, then sync again)",
				paths.ptr);
		adr_buf_dispose(&paths);
		goto cleanup;
	}
	if ((rc = git_index_write_tree_to(&tree_id, idx, git)) < 0 || (rc = git_tree_lookup(&tree, git, &tree_id)) < 0 ||
	    (rc = git_commit_create(out, git, NULL, sig, sig, NULL, msg, tree, 2, (const git_commit *[]){ a, b })) < 0)
		rc = write_failed(rc, "the merge commit");
cleanup:
	git_signature_free(sig);
	git_index_free(idx);
	git_tree_free(tree);
	git_commit_free(a);
	git_commit_free(b);
	return rc;
}
