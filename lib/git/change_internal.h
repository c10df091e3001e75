/*
 * git/change_internal.h: the change set an adr_repo_commit() attempt builds
 * (change.c), as the commit loop (commit.c) reads it.
 */
#ifndef ADR_CHANGE_INTERNAL_H
#define ADR_CHANGE_INTERNAL_H

#include "git/repo_internal.h"

#include "adr/commit.h"

#define MAX_PARENTS 4

typedef struct {
	char *path;
	adr_buf data;
	bool del;
	git_oid oid;
} adr__staged_file;

struct adr_change {
	adr_repo *repo;
	const char *branch;
	git_commit *tip;
	git_tree *tip_tree;
	char base[41];
	adr_recordset records;
	bool records_loaded;
	adr__staged_file *staged;
	size_t nstaged;
	size_t astaged;
	adr_buf subject;
	adr_buf body;
	adr_strlist trailer_keys;
	adr_strlist trailer_values;
	git_oid parents[MAX_PARENTS];
	size_t nparents;
	const char *start_point;   /* opts->start_point */
	bool unborn;               /* the branch does not exist: tip is the start point */
	/* Set by adr_change_next_number(): the tip's records directory and
	 * its highest number, carried over to the new tree (commit.c). */
	bool tip_max_known;
	bool tip_dir_published;    /* a published tip has that directory too */
	int tip_max;
	git_oid tip_dir;
};

/* Starts an empty change of `branch` (a full ref name). */
void adr__change_init(adr_change *ch, adr_repo *repo, const char *branch, const char *start_point);
/* Forgets the tip and everything staged: the start of an attempt. */
void adr__change_reset(adr_change *ch);
void adr__change_dispose(adr_change *ch);
/* Reads the tip of the branch (or the start point of a branch to be). */
int adr__change_load_tip(adr_change *ch);
/* The commit message: subject, body, trailers. */
int adr__change_message(adr_buf *msg, adr_change *ch);

#endif
