/*
 * git/worktree_repair.c: rolling a work tree forward (the branch got the
 * new commit) or back (it did not), touching only files and index entries
 * that still hold what the plan wrote; and the repair of what a killed adr
 * left, read back from its journal.
 */
#include "git/worktree_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"

/* The tree at the tip of `branch` now (NULL when unborn), and whether the
 * tip is `new_commit` or descends from it. */
static int branch_now(git_tree **tree, bool *landed, git_repository *git, const char *branch,
		      const git_oid *new_commit)
{
	git_reference *ref = NULL;
	git_commit *c = NULL;
	int rc;

	*tree = NULL;
	*landed = false;
	rc = git_reference_lookup(&ref, git, branch);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return adr__error_git(rc, "cannot read branch '%s'", branch);
	if (git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
		const git_oid *tip = git_reference_target(ref);
		*landed = new_commit && (git_oid_equal(tip, new_commit) ||
					 git_graph_descendant_of(git, tip, new_commit) == 1);
		if ((rc = git_commit_lookup(&c, git, tip)) < 0 || (rc = git_commit_tree(tree, c)) < 0)
			rc = adr__error_git(rc, "the tip of '%s' is missing or corrupt", branch);
	}
	git_error_clear();
	git_commit_free(c);
	git_reference_free(ref);
	return rc < 0 ? rc : 0;
}

static bool tree_has(git_tree *tree, const char *path, const git_oid *id)
{
	git_tree_entry *e = NULL;
	bool yes = tree && git_tree_entry_bypath(&e, tree, path) == 0 && git_oid_equal(git_tree_entry_id(e), id);
	git_tree_entry_free(e);
	git_error_clear();
	return yes;
}

static void note_path(adr_buf *list, size_t *count, const char *path)
{
	if (*count < 3)
		adr_buf_printf(list, "%s'%s'", *count ? ", " : "", path);
	(*count)++;
}

/* The end of a roll: the index copy replaces the index when it changed
 * (and nothing failed), else it is dropped. */
static int index_done(adr__wt *w, git_index *idx, bool changed, int rc)
{
	if (rc == 0 && changed)
		return adr__wt_index_commit(idx, w);
	if (idx)
		adr__wt_index_abort(idx, w);
	return rc;
}

/*
 * The branch did not get the new commit: every file and index entry that
 * still holds what the plan wrote goes back to what it was, unless the
 * branch now has that very content (someone committed it).
 */
int adr__wt_roll_back(adr__wt *w, adr__wt_plan *p, adr_buf *done, size_t *count)
{
	git_tree *now = NULL;
	git_index *idx = NULL;
	adr_buf full = ADR_BUF_INIT;
	bool landed, changed = false;
	int rc;

	if ((rc = branch_now(&now, &landed, w->git, p->branch, NULL)) < 0)
		return rc;
	if ((rc = adr__wt_index_begin(&idx, w)) < 0)
		goto cleanup;
	for (size_t i = 0; i < p->n; i++) {
		adr__wt_item *it = &p->items[i];
		const git_index_entry *e;
		struct stat st;
		bool touched = false, have_st = false;

		if (it->del || tree_has(now, it->path, &it->new_id))
			continue;
		if ((rc = adr__wt_full_path(&full, w, it->path)) < 0)
			goto cleanup;
		if (!it->sparse && (rc = adr__wt_file_is(full.ptr, &it->new_id)) != 0) {
			if (rc < 0)
				goto cleanup;
			rc = it->has_old ? adr__wt_put_blob(w, it->path, &it->old_id, it->old_mode, &st)
					 : adr__wt_remove_file(w, it->path);
			if (rc < 0)
				goto cleanup;
			have_st = it->has_old;
			touched = true;
		}
		e = git_index_get_bypath(idx, it->path, 0);
		if (adr__wt_entry_is(e, &it->new_id)) {
			if (!it->has_old) {
				rc = git_index_remove(idx, it->path, 0);
				rc = rc < 0 ? adr__error_git(rc, "cannot remove '%s' from the index", it->path) : 0;
			} else {
				/* (stat data only: without it git hashes the file again) */
				if (!have_st && !it->sparse && adr__wt_file_is(full.ptr, &it->old_id) > 0 && lstat(full.ptr, &st) == 0)
					have_st = true;
				rc = adr__wt_index_put(idx, it->path, &it->old_id, it->old_mode, have_st ? &st : NULL, it->sparse);
			}
			if (rc < 0)
				goto cleanup;
			touched = changed = true;
		}
		if (touched)
			note_path(done, count, it->path);
	}
cleanup:
	rc = index_done(w, idx, changed, rc);
	git_tree_free(now);
	adr_buf_dispose(&full);
	return rc;
}

/*
 * The branch has the new commit: files and entries that still hold the old
 * content take the new one; deletions leave the index and the work tree.
 * With `deletions_only`, the writes are known to be in place already.
 */
int adr__wt_roll_forward(adr__wt *w, adr__wt_plan *p, bool deletions_only, adr_buf *done, size_t *count)
{
	git_index *idx = NULL;
	adr_buf full = ADR_BUF_INIT;
	bool changed = false, any = false;
	int rc;

	for (size_t i = 0; i < p->n && !any; i++)
		any = p->items[i].del || !deletions_only;
	if (!any)
		return 0;
	if ((rc = adr__wt_index_begin(&idx, w)) < 0)
		return rc;
	for (size_t i = 0; i < p->n; i++) {
		adr__wt_item *it = &p->items[i];
		const git_index_entry *e = git_index_get_bypath(idx, it->path, 0);
		struct stat st;
		bool touched = false;

		if ((rc = adr__wt_full_path(&full, w, it->path)) < 0)
			goto cleanup;
		if (it->del) {
			if (adr__wt_entry_is(e, &it->old_id)) {
				if ((rc = git_index_remove(idx, it->path, 0)) < 0) {
					rc = adr__error_git(rc, "cannot remove '%s' from the index", it->path);
					goto cleanup;
				}
				touched = changed = true;
			}
			if (!it->sparse && (rc = adr__wt_file_is(full.ptr, &it->old_id)) != 0) {
				if (rc < 0 || (rc = adr__wt_remove_file(w, it->path)) < 0)
					goto cleanup;
				touched = true;
			}
		} else if (!deletions_only) {
			bool index_old = it->has_old ? adr__wt_entry_is(e, &it->old_id) : !e;
			int as_was = it->sparse ? 0 : it->has_old ? adr__wt_file_is(full.ptr, &it->old_id) : adr__wt_file_absent(full.ptr);
			if (as_was < 0) {
				rc = as_was;
				goto cleanup;
			}
			if (as_was && (index_old || adr__wt_entry_is(e, &it->new_id))) {
				if ((rc = adr__wt_put_blob(w, it->path, &it->new_id, GIT_FILEMODE_BLOB, NULL)) < 0)
					goto cleanup;
				touched = true;
			}
			if (index_old) {
				bool have_st = !it->sparse && adr__wt_file_is(full.ptr, &it->new_id) > 0 && lstat(full.ptr, &st) == 0;
				if ((rc = adr__wt_index_put(idx, it->path, &it->new_id, GIT_FILEMODE_BLOB, have_st ? &st : NULL,
						    it->sparse)) < 0)
					goto cleanup;
				touched = changed = true;
			}
		}
		if (touched)
			note_path(done, count, it->path);
	}
cleanup:
	rc = index_done(w, idx, changed, rc);
	adr_buf_dispose(&full);
	return rc;
}

void adr__wt_remove_side_temps(adr__wt *w, adr__wt_plan *p)
{
	adr_buf t = ADR_BUF_INIT;
	for (size_t i = 0; i < p->n; i++) {
		adr_buf_clear(&t);
		adr_buf_printf(&t, "%s%s.adr-tmp-%ld", w->workdir.ptr, p->items[i].path, p->pid);
		if (!adr_buf_oom(&t))
			unlink(t.ptr);
	}
	adr_buf_dispose(&t);
}

/* True when the branch's lock file holds the commit the plan was moving it
 * to: the killed adr took it (libgit2 writes "<id>\n" into it), and no one
 * else could have written a commit only that process had made. */
static bool ref_lock_is_ours(adr__wt *w, adr__wt_plan *p)
{
	adr_buf path = ADR_BUF_INIT, b = ADR_BUF_INIT;
	char want[GIT_OID_HEXSZ + 2];
	bool yes;

	git_oid_tostr(want, GIT_OID_HEXSZ + 1, &p->new_commit);
	strcat(want, "\n");
	adr_buf_printf(&path, "%s%s.lock", git_repository_commondir(w->git), p->branch);
	yes = !adr_buf_oom(&path) && adr__wt_read_small(&b, path.ptr, 256) == 0 && strcmp(b.ptr, want) == 0;
	adr_error_clear();
	adr_buf_dispose(&path);
	adr_buf_dispose(&b);
	return yes;
}

/*
 * With the journal locked: if a killed adr left a journal, release its
 * index.lock, finish or undo its write, and empty the journal.
 */
int adr__wt_recover(adr__wt *w, const char *branch_hint, adr_buf *notes)
{
	adr_buf text = ADR_BUF_INIT, done = ADR_BUF_INIT;
	adr__wt_plan p;
	size_t count = 0;
	bool lock_removed = false, landed = false;
	git_tree *unused = NULL;
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = adr__wt_read_small(&text, w->journal_path.ptr, JOURNAL_MAX)) != 0 || !text.size) {
		adr_buf_dispose(&text);
		return rc < 0 ? rc : 0;
	}
	if ((rc = adr__wt_journal_parse(&p, text.ptr)) < 0)
		goto cleanup;
	adr__wt_clean_git_dir(w);
	if (adr__wt_lock_is_ours(w, p.token)) {
		unlink(w->lock_path.ptr);
		lock_removed = true;
	}
	if (p.complete && ref_lock_is_ours(w, &p)) {
		adr_buf_clear(&text);
		adr_buf_printf(&text, "%s%s.lock", git_repository_commondir(w->git), p.branch);
		if (!adr_buf_oom(&text) && unlink(text.ptr) == 0)
			lock_removed = true;
	}
	if (p.complete) {
		adr__wt_remove_side_temps(w, &p);
		/* The same token: if this repair is killed, the next adr still knows the lock. */
		if ((rc = adr__wt_index_lock_take(w, p.token, p.branch ? p.branch : branch_hint)) < 0)
			goto cleanup;
		if ((rc = branch_now(&unused, &landed, w->git, p.branch, &p.new_commit)) == 0)
			rc = landed ? adr__wt_roll_forward(w, &p, false, &done, &count) : adr__wt_roll_back(w, &p, &done, &count);
		(void)adr__wt_index_lock_drop(w);
		if (rc < 0)
			goto cleanup;
	}
	if (count || lock_removed) {
		if (notes->size)
			adr_buf_putc(notes, '\n');
		adr_buf_printf(notes, "repaired what an interrupted adr (pid %ld) left in '%s': ", p.pid, w->workdir.ptr);
		if (count)
			adr_buf_printf(notes, "%s %s%s", landed ? "its commit had landed; brought along" :
						     "its commit never landed; took back",
				       done.ptr, count > 3 ? " and more" : "");
		else
			adr_buf_puts(notes, "removed its lock files");
	}
	rc = adr__wt_journal_clear(w);
cleanup:
	git_tree_free(unused);
	adr__wt_plan_clear(&p);
	adr_buf_dispose(&text);
	adr_buf_dispose(&done);
	return rc;
}
