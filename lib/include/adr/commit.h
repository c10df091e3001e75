/*
 * adr/commit.h: every change adr makes is one commit on one branch,
 * published by one compare-and-swap of the branch ref.
 *
 * adr_repo_commit() calls `fn` with a change set based on the current
 * branch tip. `fn` reads what it needs, allocates numbers and stages
 * writes; then a commit is built with the tree builder and the ref is moved
 * only if it still points at the tip that was read. If another writer won
 * the race, everything is thrown away and `fn` runs again on the new tip,
 * so `fn` must keep its results in its payload, overwriting them on each call.
 *
 * In every work tree where the branch is checked out (this one or a linked
 * one), the paths written are brought into the work tree and the index
 * before the ref moves (taken back if it does not), deletions after, and
 * nothing else is touched; a kill at any point is repaired by the next
 * commit (see lib/git/worktree.c). Before anything is written, a path with
 * uncommitted changes (staged, unstaged, untracked or ignored) makes the
 * commit fail with ADR_EDIRTY. Skip-worktree entries (sparse checkout) stay
 * so: their index entries change, no file is written.
 *
 * Ownership: the change set and everything read through it live until `fn`
 * returns; strings given to adr_change_* are copied.
 */
#ifndef ADR_COMMIT_H
#define ADR_COMMIT_H

#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct adr_change adr_change;
typedef int (*adr_change_fn)(adr_change *ch, void *payload);

/* The repository. */
adr_repo *adr_change_repo(adr_change *ch);
/* The tip the change is based on (hex), "" when the branch is unborn. */
const char *adr_change_base(const adr_change *ch);
/* The branch being written (full ref name). */
const char *adr_change_branch(const adr_change *ch);

/* The records of the tip (borrowed, read once per attempt, lenient). */
int adr_change_records(adr_change *ch, adr_recordset **out);
/* The next free record number: 1 + the highest in the tip, in this change and
 * on the branch's remote-tracking copies (a published number is taken even
 * when the branch is behind). */
int adr_change_next_number(adr_change *ch, int *out);
/* Reads a path as this change would leave it (staged writes win over the tip). */
int adr_change_read(adr_change *ch, adr_buf *out, const char *path);
/* True when the path exists in the tip or is staged by this change. */
bool adr_change_exists(adr_change *ch, const char *path);

/* Stages a regular file (mode 100644). The path is checked to be safe on every OS. */
int adr_change_write(adr_change *ch, const char *path, const char *data, size_t len);
/* Stages a deletion. */
int adr_change_delete(adr_change *ch, const char *path);
/* Serializes and stages a record at r->path. */
int adr_change_write_record(adr_change *ch, const adr_record *r);
/* Adds a second parent (a merge). `commit` is a hex id. */
int adr_change_add_parent(adr_change *ch, const char *commit);

/* The commit message: a one-line subject, an optional body, then trailers.
 * Newlines in the subject or in trailer values are an error. */
int adr_change_set_subject(adr_change *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int adr_change_set_body(adr_change *ch, const char *body);
int adr_change_add_trailer(adr_change *ch, const char *key, const char *value);

typedef struct {
	unsigned version;
	const char *branch;        /* full ref name; NULL: the decision branch */
	unsigned max_attempts;     /* 0: the default (200) */
	bool no_worktree;          /* never touch the index or work tree */
	bool allow_empty;          /* commit even when the tree does not change */
	const char *start_point;   /* hex commit: when the branch does not exist yet, the change
				    * is based on this commit, which becomes the first parent */
} adr_commit_opts;
#define ADR_COMMIT_OPTS_VERSION 1
#define ADR_COMMIT_OPTS_INIT { ADR_COMMIT_OPTS_VERSION, NULL, 0, false, false, NULL }

typedef struct {
	char commit[41];           /* the new commit ("" when nothing changed) */
	char parent[41];           /* the tip it replaced ("" when the branch was born) */
	unsigned attempts;         /* how many times `fn` ran */
	bool worktree_updated;     /* the index and work tree were brought along */
	bool unchanged;            /* the tree did not change: no commit was made */
	char *warning;             /* set when the commit landed but the work tree could not follow,
				    * or to say what an interrupted adr had left and was repaired */
} adr_commit_result;
#define ADR_COMMIT_RESULT_INIT { 0 }

int adr_repo_commit(adr_commit_result *out, adr_repo *repo, adr_change_fn fn, void *payload,
		    const adr_commit_opts *opts);
void adr_commit_result_dispose(adr_commit_result *res);

#ifdef __cplusplus
}
#endif
#endif
