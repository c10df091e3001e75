/*
 * git/published.h: which records are published (library-internal).
 *
 * A record is published when its file is on a remote-tracking copy of the
 * decision branch: refs/remotes/<remote>/<name> for the branch's upstream
 * (branch.<b>.remote and branch.<b>.merge = refs/heads/<name>, with git's
 * default fetch mapping) when that ref exists, and otherwise every remote
 * that has a refs/remotes/<remote>/<b>. Nothing is fetched: "published" is what the last fetch saw. A number
 * that is published belongs to its record for good (DESIGN.md, "Teams and
 * remotes"): allocation counts past it (git/change.c), renumber keeps it
 * (log/renumber.c), check, list and show name it.
 *
 * Ownership: adr__published_dispose() frees what adr__published_load() made.
 */
#ifndef ADR_GIT_PUBLISHED_H
#define ADR_GIT_PUBLISHED_H

#include "git/repo_internal.h"

typedef struct {
	char **refs;        /* full ref names, "refs/remotes/origin/main" */
	git_oid *tips;      /* the commit each ref points at */
	git_tree **trees;   /* the root tree of each tip */
	size_t count;       /* 0: nothing is published (no remote, or never fetched) */
	git_tree **dirs;    /* the records directory of each tip (NULL: none, or unread) */
	const char *records_dir; /* the repository's, for adr__published_has */
	bool tips_only;     /* loaded by adr__published_load_tips: no dirs */
} adr__published;
#define ADR__PUBLISHED_INIT { NULL, NULL, NULL, 0, NULL, NULL, false }

/*
 * The published tips of `branch` (a full ref name, "refs/heads/main"; NULL:
 * the decision branch). A branch outside refs/heads/ has none. A
 * remote-tracking ref that points at no readable commit is an error (it
 * would hide published numbers).
 */
int adr__published_load(adr__published *out, adr_repo *repo, const char *branch);

/* As adr__published_load(), without reading each tip's records directory
 * (every dirs[i] is NULL): enough for adr__published_max_number(), which
 * mostly knows a tip's highest number by its tree id (git/maxnum.h). */
int adr__published_load_tips(adr__published *out, adr_repo *repo, const char *branch);
void adr__published_dispose(adr__published *p);

/* Adds commit `id` as a published tip named `name` (a tip already there
 * is not added twice): what a remote says it has (adr sync, pre-push). */
int adr__published_add(adr__published *p, adr_repo *repo, const char *name, const git_oid *id);

/*
 * Is the file `path` published? 1 when a published tip holds it (with
 * `blob` not NULL: holds exactly that blob), 0 when none does, <0 on error.
 * `ref` (may be NULL) gets the name of the first ref that holds it.
 */
int adr__published_has(const adr__published *p, const char *path, const git_oid *blob, const char **ref);

/* The published file of record `number`, on the first tip that has one:
 * 1 with its path in `path` (and the ref in `ref`, may be NULL), else 0. */
int adr__published_number(const adr__published *p, adr_repo *repo, int number, adr_buf *path, const char **ref);

/* The highest record number on any published tip (0 when none): every
 * file name counts, readable or not, so a number is never reused. */
int adr__published_max_number(const adr__published *p, adr_repo *repo, int *max);

/* The highest number among the file names of the records directory of
 * `root` (0 when there is none); an unreadable directory is an error.
 * `dir` (may be NULL) gets that directory's tree id, zero when none. */
int adr__tree_max_number(adr_repo *repo, git_tree *root, int *max, git_oid *dir);

/* 1 with the tree id of root's records directory in *id, else 0. */
int adr__tree_records_dir_id(adr_repo *repo, git_tree *root, git_oid *id);

#endif
