/*
 * git/integrate_internal.h: what adr sync does to local branches with the
 * commits a fetch brought (git/advance.c, git/integrate.c): move a branch to
 * a commit that already exists with its work trees brought along, replay
 * local commits onto the remote tip, merge two tips.
 */
#ifndef ADR_GIT_INTEGRATE_INTERNAL_H
#define ADR_GIT_INTEGRATE_INTERNAL_H

#include "git/repo_internal.h"

/*
 * Moves `branch` (a full ref) from `old` (NULL: it does not exist) to `new`
 * by compare-and-swap. Every work tree where it is checked out follows, under
 * the rules of every write (adr/commit.h): ADR_EDIRTY, nothing written, when
 * a file that changes has uncommitted changes. ADR_EBUSY when the branch is no
 * longer at `old`. `warning` gets a line when the ref moved but a work tree
 * could not follow (the next adr command finishes it).
 */
int adr__branch_advance(adr_repo *repo, const char *branch, const git_oid *old, const git_oid *new_id,
			const char *reflog, adr_buf *warning);

/* *out: a commit reachable from `tip` and not from `hide` changes a path
 * outside the directory `dir` (a code commit). */
int adr__commits_outside(bool *out, adr_repo *repo, const git_oid *tip, const git_oid *hide, const char *dir);

/*
 * Replays each commit reachable from `tip` and not from `onto`, oldest
 * first, on top of `onto`: the files it changed take its contents, its
 * message, author and extra parents stay. ADR_ECONFLICT names a file that
 * both sides changed differently. A decision of a proposal that `onto`
 * decided too is not replayed (the remote's decision is published): a merge
 * that changes no file keeps its thread reachable, and `notes` says so.
 * adr's renumber commits are left out: the caller renumbers afresh.
 * *out is the last new commit, *count how many were made. Nothing but
 * objects is written.
 */
int adr__replay(git_oid *out, size_t *count, adr_repo *repo, const git_oid *tip, const git_oid *onto,
		adr_buf *notes);

/* The subject of that merge starts so, then "adr/<slug>, "; its second
 * parent is what the local decision had merged (log/thread.c reads it). */
#define ADR_KEEP_THREAD_SUBJECT "adr sync: keep the thread of "

/*
 * The merge commit of `ours` (first parent) and `theirs` with `msg`.
 * ADR_ECONFLICT lists the conflicting paths; nothing but objects is written.
 */
int adr__merge_tips(git_oid *out, adr_repo *repo, const git_oid *ours, const git_oid *theirs, const char *msg);

#endif
