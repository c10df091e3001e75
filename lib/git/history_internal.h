/*
 * git/history_internal.h: the records directory in raw tree objects
 * (git/rawtree.c), for the history walk (history.c) and the revision diff
 * (lib/log/stats.c): what changed in the records directory between two
 * commits.
 */
#ifndef ADR_HISTORY_INTERNAL_H
#define ADR_HISTORY_INTERNAL_H

#include "git/repo_internal.h"

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

#endif
