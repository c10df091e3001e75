/*
 * git/worktree_impl.h: the parts of the work-tree follower (worktree.c)
 * shared by its files: the plan a writer records in its journal
 * (worktree_journal.c), index.lock (worktree_lock.c), the index copy and
 * the files (worktree_files.c), and the repair of what a killed adr left
 * (worktree_repair.c). See worktree.c for the order of the steps.
 */
#ifndef ADR_WORKTREE_IMPL_H
#define ADR_WORKTREE_IMPL_H

#include <sys/stat.h>

#include "git/worktree_internal.h"

#define LOCK_WAIT_MS 3000      /* index.lock: git's own default wait */
#define JOURNAL_WAIT_MS 10000  /* another adr writing this work tree: it is alive */
#define JOURNAL_MAX (64u << 20)
#define TMP_PREFIX "adr-wt-"

typedef struct {
	char *path;
	const char *data;        /* the new content; NULL in a plan read back from a journal */
	size_t len;
	git_oid new_id, old_id;
	uint32_t old_mode;
	bool del, has_old, sparse;
} adr__wt_item;

typedef struct {
	long pid;
	char token[64];
	char *branch;
	git_oid old_commit, new_commit;
	bool has_old_commit, has_new_commit, complete;
	adr__wt_item *items;
	size_t n, alloc;
} adr__wt_plan;

typedef struct {
	git_repository *git;     /* borrowed for the current work tree, else owned */
	bool own, current;
	adr_buf gitdir, workdir, index_path, index_dir, lock_path, journal_path;
	int jfd;
	bool index_locked;
	bool staged;             /* the plan is in the journal and may have been acted on */
	adr__wt_plan p;
	unsigned tmpcount;
	bool exdev;              /* the git dir is on another file system */
	bool durable;            /* durable mode: fsync files, the index and their directories */
	git_index *idx;          /* the private copy of the index, opened by adr__wt_check for staging */
	struct adr__wt_sweep *sweep; /* adr__wt_sweep_start's, until adr__wt_sweep_wait */
} adr__wt;

struct adr__wt_set {
	adr__wt *w;
	size_t n, alloc;
};

/* --- worktree_journal.c: the journal (<gitdir>/adr-journal) ------------- */

void adr__wt_plan_clear(adr__wt_plan *p);
int adr__wt_plan_add(adr__wt_plan *p, adr__wt_item **out);
/* Locks the journal. With `wait` false, *busy says a live adr holds it. */
int adr__wt_journal_lock(adr__wt *w, bool wait, bool *busy);
int adr__wt_journal_clear(adr__wt *w);
/* Appends `b` (synced in durable mode, before the files it describes change). */
int adr__wt_journal_append(adr__wt *w, const adr_buf *b);
/* Reads back what a killed adr wrote; what cannot be read is left out. */
int adr__wt_journal_parse(adr__wt_plan *p, char *text);

/* --- worktree_lock.c: index.lock, with adr's token in it ------------------ */

void adr__wt_make_token(char *out, size_t n);
/* True when index.lock holds `token`: a lock adr took and never released. */
bool adr__wt_lock_is_ours(adr__wt *w, const char *token);
/* Takes index.lock with `token` in it, waiting a bounded time (ADR_EBUSY
 * with the commands that release a foreign lock safely). */
int adr__wt_index_lock_take(adr__wt *w, const char *token, const char *branch);
int adr__wt_index_lock_drop(adr__wt *w);

/* --- worktree_files.c: the index copy and the files ------------------------ */

/* Reads a whole small file (not through a symbolic link); ENOENT leaves
 * `out` empty and returns 1. */
int adr__wt_read_small(adr_buf *out, const char *path, size_t max);
/* Opens a copy of the index that libgit2 may write (index.lock is ours). */
int adr__wt_index_begin(git_index **out, adr__wt *w);
void adr__wt_index_abort(git_index *idx, adr__wt *w);
/* Writes the copy and renames it over the index (index.lock stays ours). */
int adr__wt_index_commit(git_index *idx, adr__wt *w);
int adr__wt_index_put(git_index *idx, const char *path, const git_oid *id, uint32_t mode, const struct stat *st,
		      bool sparse);
bool adr__wt_entry_is(const git_index_entry *e, const git_oid *id);
/* The work tree's path for `rel` into `out`. */
int adr__wt_full_path(adr_buf *out, adr__wt *w, const char *rel);
/* 1 when the regular file at `path` holds blob `id`, 0 when not, or an error. */
int adr__wt_file_is(const char *path, const git_oid *id);
bool adr__wt_file_absent(const char *path);
/* Puts a file in place through a temporary file (see there). */
int adr__wt_put_file(adr__wt *w, const char *rel, const char *data, size_t len, uint32_t mode, struct stat *st);
/* Puts blob `id` at `rel`, read from the object database. */
int adr__wt_put_blob(adr__wt *w, const char *rel, const git_oid *id, uint32_t mode, struct stat *st);
int adr__wt_remove_file(adr__wt *w, const char *rel);
/* Removes what dead adr processes left: temporary files in the git dir
 * (and the index's directory). */
void adr__wt_clean_git_dir(adr__wt *w);
/* And <path>.adr-tmp-<pid> beside the files of `files` to be written, on a
 * thread (in line when none can be started); adr__wt_sweep_wait waits for
 * it and frees it. Both never fail: what is not swept now is swept by the
 * next writer. */
void adr__wt_sweep_start(adr__wt *w, const adr__wt_file *files, size_t n);
void adr__wt_sweep_wait(adr__wt *w);

/* --- worktree_repair.c: rolling forward and back --------------------------- */

/* The branch did not get the new commit: what the plan wrote goes back. */
int adr__wt_roll_back(adr__wt *w, adr__wt_plan *p, adr_buf *done, size_t *count);
/* The branch has the new commit: the rest of the plan is carried out. */
int adr__wt_roll_forward(adr__wt *w, adr__wt_plan *p, bool deletions_only, adr_buf *done, size_t *count);
void adr__wt_remove_side_temps(adr__wt *w, adr__wt_plan *p);
/* With the journal locked: repairs what a killed adr left, empties the journal. */
int adr__wt_recover(adr__wt *w, const char *branch_hint, adr_buf *notes);

#endif
