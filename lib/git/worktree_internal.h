/*
 * Library-internal: the work trees where a branch is checked out follow it
 * (commit.c is the only user). See worktree.c for the order of the steps and
 * why no crash point leaves a record that a plain `git commit` would delete.
 *
 * Ownership: an adr__wt_set owns its locks and the repositories it opened;
 * adr__wt_release() frees it (NULL-safe). The files given to adr__wt_check()
 * are borrowed until the set is released.
 */
#ifndef ADR_WORKTREE_INTERNAL_H
#define ADR_WORKTREE_INTERNAL_H

#include "git/repo_internal.h"

typedef struct {
	const char *path;   /* repository-relative, validated */
	const char *data;   /* the new content (writes) */
	size_t len;
	bool del;
	git_oid id;         /* the new blob (writes) */
} adr__wt_file;

typedef struct adr__wt_set adr__wt_set;

/*
 * Repairs what a killed adr left in this work tree: finishes its write when
 * the branch moved, undoes it when it did not. One line per repair goes to
 * `notes`. A journal held by a live adr is left alone.
 */
int adr__wt_repair(adr_repo *repo, adr_buf *notes);

/*
 * Locks every work tree where `branch` is checked out (its journal, then its
 * index.lock), repairing first what a killed adr left there. *out may hold
 * no work tree at all. ADR_EBUSY when a lock is not released in time.
 */
int adr__wt_lock(adr__wt_set **out, adr_repo *repo, const char *branch, adr_buf *notes);
/* How many work trees the set holds. */
size_t adr__wt_count(const adr__wt_set *s);
/*
 * ADR_EDIRTY when a path has uncommitted changes (staged, unstaged,
 * untracked or ignored) in one of the work trees; `base` is the tree the
 * change is based on (NULL: none). Skip-worktree entries that match `base`
 * are clean.
 */
int adr__wt_check(adr__wt_set *s, const adr__wt_file *files, size_t n, git_tree *base);
/*
 * Before the branch moves: records the plan in the journal, writes the
 * files and stages them. `old_commit` is NULL when the branch is unborn.
 */
int adr__wt_stage(adr__wt_set *s, const char *branch, const git_oid *old_commit, const git_oid *new_commit);
/* The branch did not move: takes back what adr__wt_stage() did. */
int adr__wt_undo(adr__wt_set *s);
/* The branch moved: applies the deletions and empties the journals. */
int adr__wt_finish(adr__wt_set *s);
/* Drops every lock, empties the journals this process wrote, frees. */
void adr__wt_release(adr__wt_set *s);

/* Waits `ms` milliseconds; a random wait of 1..max_ms, so that writers
 * retrying a lock do not retry in step (both used by commit.c too). */
void adr__sleep_ms(long ms);
long adr__jitter_ms(long max_ms);

#endif
