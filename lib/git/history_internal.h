/*
 * git/history_internal.h: the records directory in raw tree objects
 * (git/rawtree.c), for the history walk (history.c) and the revision diff
 * (lib/log/stats.c): what changed in the records directory between two
 * commits.
 */
#ifndef ADR_HISTORY_INTERNAL_H
#define ADR_HISTORY_INTERNAL_H

#include "git/repo_internal.h"
#include "git/walk.h"

typedef struct {
	char *path;        /* "<records dir>/<name>" */
	char blob[41];     /* the new blob, "" when deleted */
} adr__dir_change;

typedef struct {
	adr__dir_change *items;
	size_t count;
} adr__dir_changes;

/*
 * The Markdown regular files added, modified or deleted in the records
 * directory from commit `from` (NULL or "": nothing) to commit `to` (NULL
 * or "": nothing), both full ids. Unchanged entries cost next to nothing.
 */
int adr__records_dir_changes(adr__dir_changes *out, adr_repo *repo, const char *from, const char *to);
void adr__dir_changes_clear(adr__dir_changes *c);

/* --- raw trees (rawtree.c), for the history walk --------------------------- */

/* One Markdown file of the records directory that changed. */
typedef struct {
	char *path;
	unsigned char oid[GIT_OID_RAWSZ];
	bool has_oid;
	bool added;            /* not in the parent's directory */
	int proposal;          /* an added NNNN-<slug>.md in a merge: 1 when the second
				* parent's directory has <slug>.md, 0 when not, -1 not
				* looked at (history.c looks) */
} adr__raw_change;

typedef struct {
	adr__raw_change *items;
	size_t count, alloc;
} adr__raw_changes;

void adr__raw_changes_clear(adr__raw_changes *c);
/* Reads tree object `id` (ADR_EINVALID when it is not a tree). */
int adr__raw_tree_read(git_odb_object **out, git_odb *odb, const git_oid *id);
/* Finds `name` (len n) in a raw tree; 1 with *oid and *mode set, 0 when absent. */
int adr__raw_tree_find(git_odb_object *tree, const char *name, size_t n, git_oid *oid, unsigned *mode);
/* The tree id of directory `dir` in root tree `root` (zero when absent). */
int adr__raw_records_dir(git_oid *out, git_odb *odb, const char *dir, const git_oid *root);
/* Diffs two raw record directories (either may be NULL): Markdown files
 * added or modified go to `set`, deleted to `del`. */
int adr__records_dir_diff(adr__raw_changes *set, adr__raw_changes *del, const char *dir, git_odb_object *a,
			  git_odb_object *b);

/* --- pack windows (history.c) ----------------------------------------------- */

/* libgit2's pack windows while a walk, or anything that reads objects all
 * over the pack, runs: 1 MB windows, 4 MB of them mapped at a time (the
 * pages of a window touched stay resident while it is mapped). */
typedef struct {
	size_t size, mapped;        /* the settings to put back */
} adr__windows;
void adr__walk_windows(adr__windows *saved);
void adr__walk_windows_end(const adr__windows *saved);

/* --- pass one of a full walk (history_scan.c) ------------------------------- */

/* A commit whose records directory differs from its first parent's. */
typedef struct {
	git_oid id, dir, pdir;      /* the commit, its records directory, its first parent's
				     * (zero: none) */
	git_oid p2dir;              /* a merge's second parent's records directory (zero: none) */
	unsigned nparents;
	size_t order;               /* its place in the revision walk */
	adr__raw_changes set, del;  /* what changed (rawtree.c's diff) */
} adr__scan_item;

typedef struct {
	adr__scan_item *items;      /* newest first, in the revision walk's order */
	size_t count;
	unsigned long examined;     /* commits walked */
} adr__scan;

/*
 * The commits reachable from `tip` (a repository that is not shallow; no
 * commit hidden) whose records directory differs from their first
 * parent's, with what changed, in the order of adr__walk() from `tip`
 * (libgit2's revwalk, topological and time order, worked out from the
 * commits' headers without running it). Each commit is read once, on this
 * thread; the diffs are shared with a second thread when they are most of
 * the work, unless `one_thread` (tests compare both).
 */
int adr__history_scan(adr__scan *out, adr_repo *repo, const git_oid *tip, bool one_thread);
void adr__scan_dispose(adr__scan *s);

/* Tests: the positions, in adr__walk()'s order from `tip`, of the commits
 * reachable from it: out[i] is the i-th commit of that walk, worked out as
 * adr__history_scan() works it out (*count of them, the caller frees). */
int adr__history_scan_order(git_oid **out, size_t *count, adr_repo *repo, const git_oid *tip);

/* Tests: pass one of adr_history_walk on this thread only, as an
 * incremental walk does (true), or from adr__history_scan (false, the
 * default), so that both can be compared. */
struct adr_history;
void adr__history_set_serial(struct adr_history *h, bool serial);
/* Tests: adr__history_scan() on one thread. */
void adr__history_set_one_thread(struct adr_history *h, bool one);

/* For an added file of a merge (ch), true with <slug>.md in `plain` when it
 * is named NNNN-<slug>.md and no file in `del` explains it (same blob, or
 * <slug>.md deleted): then it may be an accepted proposal. */
bool adr__history_rename_plain(char *plain, size_t size, const char *dir, const adr__raw_change *ch,
			       const adr__raw_changes *del);

#endif
