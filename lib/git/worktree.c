/*
 * git/worktree.c: the work trees where the written branch is checked out
 * follow it, so that no crash point leaves HEAD, the index and the files in
 * a state that a plain `git commit` turns into the deletion of a record.
 *
 * Per work tree, adr writers take turns through flock() on
 * <gitdir>/adr-journal. The kernel drops that lock when its holder dies, so
 * a journal that can be locked and is not empty was left by a killed adr.
 * The steps, in order:
 *
 *   1. lock the journal; repair what a killed adr left; write pid and token;
 *   2. take index.lock: a file holding the token is hard-linked there, so a
 *      later adr knows a stale lock is its own and may remove it;
 *   3. check that every path is clean; append the plan (paths, old and new
 *      blobs) and "end" to the journal;
 *   4. write the files: temporary files in the git dir renamed into place;
 *   5. stage them: a copy of the index, edited, renamed over the index;
 *   -- the caller moves the branch (compare-and-swap) --
 *   6. deletions leave the index and the work tree; release index.lock;
 *      empty the journal.
 *
 * Before the branch moves the index only gains the new contents, so a plain
 * commit would at worst commit them; once it moved, the index has them.
 * Deletions wait until after the move for the same reason. A killed adr is
 * rolled forward (the branch holds the new commit) or back (it does not),
 * touching only files and entries that still hold what it wrote.
 *
 * This file finds the work trees and runs the steps; the journal, the
 * lock, the files and the repair are the other worktree_*.c files.
 */
#include "git/worktree_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "util/alloc.h"
#include "util/error.h"

void adr__sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

long adr__jitter_ms(long max_ms)
{
	static unsigned seed;
	if (!seed)
		seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	return 1 + (long)(rand_r(&seed) % (unsigned)max_ms);
}

/* --- the work trees ------------------------------------------------------ */

static void wt_dispose(adr__wt *w)
{
	adr__wt_sweep_wait(w);
	if (w->idx)
		adr__wt_index_abort(w->idx, w);
	w->idx = NULL;
	if (w->jfd >= 0)
		close(w->jfd);
	w->jfd = -1;
	if (w->own)
		git_repository_free(w->git);
	w->git = NULL;
	adr__wt_plan_clear(&w->p);
	adr_buf_dispose(&w->gitdir);
	adr_buf_dispose(&w->workdir);
	adr_buf_dispose(&w->index_path);
	adr_buf_dispose(&w->index_dir);
	adr_buf_dispose(&w->lock_path);
	adr_buf_dispose(&w->journal_path);
}

static int with_slash(adr_buf *b, const char *s)
{
	adr_buf_puts(b, s);
	if (b->size && b->ptr[b->size - 1] != '/')
		adr_buf_putc(b, '/');
	return adr_buf_oom(b) ? ADR_ENOMEM : 0;
}

/*
 * The index libgit2 uses for `git`: `known` when the caller knows it (the
 * current work tree: GIT_INDEX_FILE may move it, adr_repo_open() set that
 * index on `git`), else the one libgit2 would open. Named without loading
 * it: reading a large index only for its path costs milliseconds.
 */
static void index_path_of(adr_buf *out, git_repository *git, const char *known, const char *gitdir)
{
	git_buf b = GIT_BUF_INIT;
	if (known)
		adr_buf_puts(out, known);
	else if (git_repository_item_path(&b, git, GIT_REPOSITORY_ITEM_INDEX) == 0 && b.ptr)
		adr_buf_puts(out, b.ptr);
	else
		adr_buf_printf(out, "%sindex", gitdir);
	git_buf_dispose(&b);
	git_error_clear();
}

static int wt_init(adr__wt *w, git_repository *git, bool own, bool current, const char *gitdir, const char *workdir,
		   const char *index_path)
{

	memset(w, 0, sizeof(*w));
	w->jfd = -1;
	w->git = git;
	w->own = own;
	w->current = current;
	w->gitdir = (adr_buf)ADR_BUF_INIT;
	w->workdir = (adr_buf)ADR_BUF_INIT;
	w->index_path = (adr_buf)ADR_BUF_INIT;
	w->index_dir = (adr_buf)ADR_BUF_INIT;
	w->lock_path = (adr_buf)ADR_BUF_INIT;
	w->journal_path = (adr_buf)ADR_BUF_INIT;
	if (with_slash(&w->gitdir, gitdir) < 0 || with_slash(&w->workdir, workdir) < 0)
		return ADR_ENOMEM;
	index_path_of(&w->index_path, git, index_path, w->gitdir.ptr);
	adr_buf_printf(&w->lock_path, "%s.lock", w->index_path.ptr);
	if (strrchr(w->index_path.ptr, '/'))
		adr_buf_put(&w->index_dir, w->index_path.ptr,
			    (size_t)(strrchr(w->index_path.ptr, '/') - w->index_path.ptr + 1));
	else
		adr_buf_puts(&w->index_dir, w->gitdir.ptr);
	adr_buf_printf(&w->journal_path, "%sadr-journal", w->gitdir.ptr);
	if (adr_buf_oom(&w->index_path) || adr_buf_oom(&w->index_dir) || adr_buf_oom(&w->lock_path) ||
	    adr_buf_oom(&w->journal_path))
		return ADR_ENOMEM;
	return 0;
}

/* 1 when the HEAD of `git` is `branch`, 0 when not, or an error: a HEAD
 * that cannot be read must not pass for another branch, or the commit
 * would move the branch under a work tree that is never updated. */
static int head_is(git_repository *git, const char *branch)
{
	git_reference *head = NULL;
	int yes = 0, grc = git_reference_lookup(&head, git, "HEAD");
	if (grc < 0 && grc != GIT_ENOTFOUND)
		return adr__error_git(grc, "cannot read HEAD of '%s'", git_repository_path(git));
	if (grc == 0 && git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		yes = strcmp(git_reference_symbolic_target(head), branch) == 0;
	git_reference_free(head);
	return yes;
}

static bool same_dir(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	while (la && a[la - 1] == '/')
		la--;
	while (lb && b[lb - 1] == '/')
		lb--;
	return la == lb && strncmp(a, b, la) == 0;
}

static int set_add(adr__wt_set *s, git_repository *git, bool own, bool current, const char *gitdir,
		   const char *workdir, const char *index_path)
{
	int rc;
	if (ADR_ARRAY_GROW(s->w, s->alloc, s->n + 1) < 0) {
		if (own)
			git_repository_free(git);
		return ADR_ENOMEM;
	}
	rc = wt_init(&s->w[s->n], git, own, current, gitdir, workdir, index_path);
	s->n++;
	return rc;
}

static int cmp_wt(const void *a, const void *b)
{
	return strcmp(((const adr__wt *)a)->gitdir.ptr, ((const adr__wt *)b)->gitdir.ptr);
}

/* Every work tree whose HEAD is `branch`: this one, the main one, the linked ones. */
static int find_worktrees(adr__wt_set *s, adr_repo *repo, const char *branch)
{
	git_repository *cur = adr__repo_git(repo), *other = NULL;
	git_strarray names = { NULL, 0 };
	int rc = 0;

	if (adr_repo_workdir(repo)) {
		if ((rc = head_is(cur, branch)) < 0)
			return rc;
		if (rc > 0 && (rc = set_add(s, cur, false, true, adr_repo_gitdir(repo), adr_repo_workdir(repo),
					    adr__repo_index_path(repo))) < 0)
			return rc;
	}
	if (git_repository_is_worktree(cur) &&
	    git_repository_open_ext(&other, adr_repo_commondir(repo), GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
		if (!git_repository_is_bare(other) && git_repository_workdir(other)) {
			if ((rc = head_is(other, branch)) < 0) {
				git_repository_free(other);
				return rc;
			}
			if (rc > 0) {
				rc = set_add(s, other, true, false, git_repository_path(other), git_repository_workdir(other), NULL);
				other = NULL;
				if (rc < 0)
					return rc;
			}
		}
		git_repository_free(other);
		other = NULL;
	}
	if ((rc = git_worktree_list(&names, cur)) < 0)
		return adr__error_git(rc, "cannot list the linked work trees");
	for (size_t i = 0; i < names.count && rc == 0; i++) {
		git_worktree *w = NULL;
		if (git_worktree_lookup(&w, cur, names.strings[i]) < 0 || git_worktree_validate(w) < 0 ||
		    git_repository_open_from_worktree(&other, w) < 0) {
			/* A pruned or moved work tree has no files to follow. */
			git_worktree_free(w);
			git_error_clear();
			continue;
		}
		git_worktree_free(w);
		if (!same_dir(git_repository_path(other), git_repository_path(cur)) && git_repository_workdir(other) &&
		    (rc = head_is(other, branch)) > 0) {
			rc = set_add(s, other, true, false, git_repository_path(other), git_repository_workdir(other), NULL);
			other = NULL;
		}
		git_repository_free(other);
		other = NULL;
	}
	git_strarray_dispose(&names);
	if (s->n > 1)
		qsort(s->w, s->n, sizeof(*s->w), cmp_wt);
	return rc;
}

/* --- the set ------------------------------------------------------------------ */

size_t adr__wt_count(const adr__wt_set *s)
{
	return s ? s->n : 0;
}

void adr__wt_release(adr__wt_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		adr__wt *w = &s->w[i];
		(void)adr__wt_index_lock_drop(w);
		/* A plan that was acted on and neither finished nor undone stays
		 * for the next adr to repair. Errors here change nothing: the
		 * caller's message stays. */
		if (w->jfd >= 0 && !w->staged && ftruncate(w->jfd, 0) < 0) {
			/* The next adr finds a plan-less journal and empties it. */
		}
		wt_dispose(w);
	}
	free(s->w);
	free(s);
}

int adr__wt_repair(adr_repo *repo, adr_buf *notes)
{
	adr__wt w;
	bool busy;
	int rc;

	if (!adr_repo_workdir(repo))
		return 0;
	if ((rc = wt_init(&w, adr__repo_git(repo), false, true, adr_repo_gitdir(repo), adr_repo_workdir(repo),
			    adr__repo_index_path(repo))) < 0)
		goto cleanup;
	/* Nothing to repair when there is no journal: do not create one. */
	if (access(w.journal_path.ptr, F_OK) < 0)
		goto cleanup;
	if ((rc = adr__wt_journal_lock(&w, false, &busy)) < 0 || busy)
		goto cleanup;
	rc = adr__wt_recover(&w, adr_repo_branch(repo), notes);
cleanup:
	wt_dispose(&w);
	return rc;
}

int adr__wt_lock(adr__wt_set **out, adr_repo *repo, const char *branch, adr_buf *notes)
{
	adr__wt_set *s = adr__calloc(1, sizeof(*s));
	adr_buf head = ADR_BUF_INIT;
	int rc;

	*out = NULL;
	ADR_ALLOC_CHECK(s);
	if ((rc = find_worktrees(s, repo, branch)) < 0)
		goto fail;
	for (size_t i = 0; i < s->n; i++)
		s->w[i].durable = adr__repo_durable(repo);
	/* In order of git dir, so two writers never wait for each other's lock. */
	for (size_t i = 0; i < s->n; i++) {
		adr__wt *w = &s->w[i];
		if ((rc = adr__wt_journal_lock(w, true, NULL)) < 0 || (rc = adr__wt_recover(w, branch, notes)) < 0)
			goto fail;
		adr__wt_make_token(w->p.token, sizeof(w->p.token));
		w->p.pid = (long)getpid();
		adr_buf_clear(&head);
		adr_buf_printf(&head, "adr-journal 1\npid %ld\ntoken %s\n", w->p.pid, w->p.token);
		if ((rc = adr__wt_journal_append(w, &head)) < 0 || (rc = adr__wt_index_lock_take(w, w->p.token, branch)) < 0)
			goto fail;
	}
	adr_buf_dispose(&head);
	*out = s;
	return 0;
fail:
	adr_buf_dispose(&head);
	adr__wt_release(s);
	return rc;
}

/* --- checking, staging, finishing --------------------------------------------- */

/* A sparse checkout: core.sparseCheckout (libgit2 1.5 does not read
 * config.worktree, where `git sparse-checkout` puts it), or an entry git
 * keeps out of the work tree. */
static bool sparse_checkout(git_repository *git, git_index *idx, bool *ignorecase)
{
	git_config *cfg = NULL;
	int on = 0, icase = 1; /* unknown: as if it were on */
	if (git_repository_config_snapshot(&cfg, git) == 0) {
		if (git_config_get_bool(&on, cfg, "core.sparseCheckout") < 0)
			on = 0;
		if (git_config_get_bool(&icase, cfg, "core.ignorecase") < 0)
			icase = 0; /* git's default */
	}
	*ignorecase = icase != 0;
	git_config_free(cfg);
	git_error_clear();
	for (size_t i = 0; !on && i < git_index_entrycount(idx); i++)
		on = (git_index_get_byindex(idx, i)->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0;
	return on != 0;
}

static int dirty(adr__wt *w, const char *path, const char *what)
{
	if (w->current)
		return adr__error(ADR_EDIRTY, "'%s' %s", path, what);
	return adr__error(ADR_EDIRTY, "'%s' in the work tree '%s' (where the branch is checked out too) %s", path,
			  w->workdir.ptr, what);
}

static int check_one(adr__wt *w, git_index *idx, const adr__wt_file *f, git_tree *base, adr__wt_item *it, bool sparse_on,
		     bool ignorecase)
{
	git_tree_entry *te = NULL;
	const git_index_entry *ie;
	adr_buf full = ADR_BUF_INIT;
	unsigned int flags = 0;
	struct stat st;
	int rc = 0;

	/* A path the branch has must not pass for a new one when its entry
	 * cannot be read: its deletion would then leave the file behind. */
	if (base && (rc = git_tree_entry_bypath(&te, base, f->path)) < 0 && rc != GIT_ENOTFOUND)
		return adr__error_git(rc, "cannot read '%s' on the branch", f->path);
	if (rc == 0 && te) {
		it->has_old = true;
		it->old_id = *git_tree_entry_id(te);
		it->old_mode = (uint32_t)git_tree_entry_filemode(te);
	}
	rc = 0;
	git_tree_entry_free(te);
	git_error_clear();
	/* Deleting what the branch does not have changes nothing here. */
	if (f->del && !it->has_old)
		return 1;
	if ((rc = adr__wt_full_path(&full, w, f->path)) < 0)
		goto cleanup;
	ie = git_index_get_bypath(idx, f->path, 0);
	if (ie && (ie->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE)) {
		/* Sparse checkout: git keeps no file here and reports none. */
		if (!it->has_old || !git_oid_equal(&ie->id, &it->old_id) || ie->mode != it->old_mode)
			rc = dirty(w, f->path, "has staged changes; commit or unstage them first "
					       "(adr never overwrites uncommitted work)");
		it->sparse = true;
		goto cleanup;
	}
	/* A path that neither the branch, the index nor the work tree has (a
	 * new record): git status would say nothing of it, and asking it lists
	 * the whole directory. Where names match regardless of case, another
	 * spelling might be there: git status decides. */
	if (!ie && !it->has_old && !ignorecase && lstat(full.ptr, &st) < 0 && errno == ENOENT)
		rc = GIT_ENOTFOUND;
	else
		rc = git_status_file(&flags, w->git, f->path);
	if (rc == GIT_ENOTFOUND) {
		flags = 0;
		rc = 0;
	} else if (rc < 0) {
		rc = adr__error_git(rc, "cannot check the status of '%s'", f->path);
		goto cleanup;
	}
	if (flags & (GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED | GIT_STATUS_INDEX_DELETED |
		     GIT_STATUS_INDEX_RENAMED | GIT_STATUS_INDEX_TYPECHANGE))
		rc = dirty(w, f->path, "has staged changes; commit or unstage them first "
				       "(adr never overwrites uncommitted work)");
	else if (flags & GIT_STATUS_WT_NEW)
		rc = dirty(w, f->path, "exists in the work tree but is not committed; move it away or commit it first");
	else if (!ie && !it->has_old && lstat(full.ptr, &st) == 0)
		/* Ignored files too: git status hides them, adr must not overwrite them. */
		rc = dirty(w, f->path, (flags & GIT_STATUS_IGNORED)
					       ? "exists in the work tree (ignored by git) but is not committed; move it "
						 "away first (adr never overwrites uncommitted work)"
					       : "exists in the work tree but is not committed; move it away or commit it first");
	else if (flags & (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_DELETED | GIT_STATUS_WT_TYPECHANGE |
			  GIT_STATUS_WT_RENAMED | GIT_STATUS_CONFLICTED))
		rc = dirty(w, f->path, "has uncommitted changes; commit or stash them first "
				       "(adr never overwrites uncommitted work)");
	else if (sparse_on && !ie && !it->has_old && !f->del) {
		/* A new path in a directory the sparse checkout leaves out stays out. */
		const char *slash = strrchr(full.ptr, '/');
		adr_buf_truncate(&full, (size_t)(slash - full.ptr));
		it->sparse = lstat(full.ptr, &st) < 0 && errno == ENOENT;
	}
cleanup:
	adr_buf_dispose(&full);
	return rc;
}

int adr__wt_check(adr__wt_set *s, const adr__wt_file *files, size_t n, git_tree *base)
{
	int rc = 0;
	for (size_t k = 0; k < adr__wt_count(s); k++) {
		adr__wt *w = &s->w[k];
		git_index *idx = NULL;
		bool sparse_on, ignorecase;

		/* The index is read once, as the private copy that staging edits:
		 * index.lock is ours, so it cannot change in between. An index
		 * that cannot be read fails here, before any file is written. */
		if (w->idx)
			adr__wt_index_abort(w->idx, w);
		w->idx = NULL;
		adr__wt_sweep_start(w, files, n);
		if ((rc = adr__wt_index_begin(&idx, w)) < 0)
			return rc;
		w->idx = idx;
		sparse_on = sparse_checkout(w->git, idx, &ignorecase);
		for (size_t i = 0; i < n; i++) {
			adr__wt_item it, *dst;
			memset(&it, 0, sizeof(it));
			if ((rc = check_one(w, idx, &files[i], base, &it, sparse_on, ignorecase)) < 0)
				break;
			if (rc > 0) {
				rc = 0;
				continue;
			}
			if ((rc = adr__wt_plan_add(&w->p, &dst)) < 0)
				break;
			*dst = it;
			dst->del = files[i].del;
			dst->new_id = files[i].id;
			dst->data = files[i].data;
			dst->len = files[i].len;
			if (!(dst->path = adr__strdup(files[i].path))) {
				rc = ADR_ENOMEM;
				break;
			}
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* 3. The plan, in one write: a cut-short plan is never acted on. */
static int write_plan(adr__wt *w, adr_buf *j)
{
	adr__wt_plan *p = &w->p;

	adr_buf_clear(j);
	adr_buf_printf(j, "branch %s\nold %s\n", p->branch,
		       p->has_old_commit ? git_oid_tostr_s(&p->old_commit) : "-");
	adr_buf_printf(j, "new %s\n", git_oid_tostr_s(&p->new_commit));
	for (size_t i = 0; i < p->n; i++) {
		adr__wt_item *it = &p->items[i];
		char o[GIT_OID_HEXSZ + 1] = "-";
		if (it->has_old)
			git_oid_tostr(o, sizeof(o), &it->old_id);
		if (it->del)
			adr_buf_printf(j, "d %s %o %c %s\n", o, it->old_mode, it->sparse ? 's' : 'f', it->path);
		else
			adr_buf_printf(j, "w %s %s %o %c %s\n", git_oid_tostr_s(&it->new_id), o,
				       it->has_old ? it->old_mode : 0, it->sparse ? 's' : 'f', it->path);
	}
	adr_buf_puts(j, "end\n");
	w->staged = true;
	return adr__wt_journal_append(w, j);
}

/* 4. The files. */
static int write_files(adr__wt *w)
{
	adr__wt_plan *p = &w->p;
	int rc = 0;

	adr__wt_sweep_wait(w);
	for (size_t i = 0; i < p->n && rc == 0; i++) {
		adr__wt_item *it = &p->items[i];
		if (!it->del && !it->sparse)
			rc = adr__wt_put_file(w, it->path, it->data, it->len, GIT_FILEMODE_BLOB, NULL);
	}
	return rc;
}

/* 5. The index (the copy `idx`), with the stat data of the files written. */
static int stage_files(adr__wt *w, git_index *idx)
{
	adr__wt_plan *p = &w->p;
	adr_buf full = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < p->n && rc == 0; i++) {
		adr__wt_item *it = &p->items[i];
		struct stat st;
		if (it->del)
			continue;
		if (!it->sparse) {
			if ((rc = adr__wt_full_path(&full, w, it->path)) == 0 && lstat(full.ptr, &st) < 0)
				rc = adr__error_os("cannot stat '%s'", full.ptr);
			if (rc < 0)
				break;
		}
		rc = adr__wt_index_put(idx, it->path, &it->new_id, GIT_FILEMODE_BLOB, it->sparse ? NULL : &st, it->sparse);
	}
	adr_buf_dispose(&full);
	return rc;
}

/* Steps 3 to 5 in one work tree. */
static int stage_one(adr__wt *w, const char *branch, const git_oid *old_commit, const git_oid *new_commit,
		     adr_buf *j)
{
	adr__wt_plan *p = &w->p;
	git_index *idx = NULL;
	int rc;

	if (!(p->branch = adr__strdup(branch)))
		return ADR_ENOMEM;
	p->has_old_commit = old_commit != NULL;
	if (old_commit)
		p->old_commit = *old_commit;
	p->new_commit = *new_commit;
	p->has_new_commit = p->complete = true;
	if ((rc = write_plan(w, j)) < 0)
		return rc;
	adr__wt_clean_git_dir(w);
	/* The copy of the index first (adr__wt_check opened it): an index
	 * that cannot be read (a symbolic link, say) fails before any file
	 * is written. */
	idx = w->idx;
	w->idx = NULL;
	if (!idx && (rc = adr__wt_index_begin(&idx, w)) < 0)
		return rc;
	if ((rc = write_files(w)) < 0 || (rc = stage_files(w, idx)) < 0) {
		adr__wt_index_abort(idx, w);
		return rc;
	}
	return adr__wt_index_commit(idx, w);
}

int adr__wt_stage(adr__wt_set *s, const char *branch, const git_oid *old_commit, const git_oid *new_commit)
{
	adr_buf j = ADR_BUF_INIT;
	int rc = 0;

	for (size_t k = 0; k < adr__wt_count(s) && rc == 0; k++)
		rc = stage_one(&s->w[k], branch, old_commit, new_commit, &j);
	adr_buf_dispose(&j);
	return rc;
}

int adr__wt_undo(adr__wt_set *s)
{
	int rc = 0;
	for (size_t k = 0; k < adr__wt_count(s); k++) {
		adr__wt *w = &s->w[k];
		adr_buf done = ADR_BUF_INIT;
		size_t count = 0;
		int r;
		if (!w->staged)
			continue;
		adr__wt_remove_side_temps(w, &w->p);
		r = adr__wt_roll_back(w, &w->p, &done, &count);
		adr_buf_dispose(&done);
		if (r < 0 && rc == 0)
			rc = r;
		if (r == 0)
			w->staged = false;
	}
	return rc;
}

int adr__wt_finish(adr__wt_set *s)
{
	int rc = 0;
	for (size_t k = 0; k < adr__wt_count(s); k++) {
		adr__wt *w = &s->w[k];
		adr_buf done = ADR_BUF_INIT;
		size_t count = 0;
		int r = adr__wt_roll_forward(w, &w->p, true, &done, &count);
		adr_buf_dispose(&done);
		if (r < 0) {
			if (rc == 0)
				rc = r;
			continue; /* the journal stays: the next adr finishes */
		}
		/* 6. index.lock goes before the journal that names it. A lock
		 * that stays keeps the journal: the next adr knows it as its own. */
		if ((r = adr__wt_index_lock_drop(w)) < 0) {
			if (rc == 0)
				rc = r;
			continue;
		}
		w->staged = false;
		if ((r = adr__wt_journal_clear(w)) < 0 && rc == 0)
			rc = r;
	}
	return rc;
}

