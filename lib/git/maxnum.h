/*
 * git/maxnum.h: the highest record number of a records directory, kept by
 * the tree's id (library-internal). Finding the next number reads the
 * whole records directory of the branch and of each published tip; a tree
 * id names its content, so its highest number never changes and is kept in
 * <commondir>/adr/max-numbers. That file is derived data: a line that does
 * not check out (a checksum per line) or a file that cannot be read is not
 * used, and a failure to write it is no error.
 */
#ifndef ADR_GIT_MAXNUM_H
#define ADR_GIT_MAXNUM_H

#include "git/repo_internal.h"

/* 1 with *max the highest number of records directory `dir`, 0 when not known. */
int adr__maxnum_get(adr_repo *repo, const git_oid *dir, int *max);

/* Remembers `max` for records directory `dir` (errors are dropped),
 * forgetting `replaces` (may be NULL): a commit's directory takes its
 * parent's line, so a branch's commits do not push the published tips'
 * lines out of the file. */
void adr__maxnum_put(adr_repo *repo, const git_oid *dir, int max, const git_oid *replaces);

#endif
