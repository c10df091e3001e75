/*
 * log/fpcache.h: the answers of first-parent walks (log/decision.c), kept
 * in <commondir>/adr/first-parents (library-internal).
 *
 * Finding where a proposal merged by plain git came in walks the decision
 * branch's first parents from its tip back to that merge, reading the
 * records directory of every commit on the way: for each such proposal,
 * on every `adr queue` and `adr html`. A walk's answer depends only on the
 * commit it starts from (commits never change), the record's path and the
 * proposal branch's name, so it is kept: a later walk from a newer tip
 * stops where the kept one started and takes its answer, and reads only
 * the commits made since. The file is derived data: a line that does not
 * check out (a checksum per line) or a file that cannot be read is not
 * used, and a failure to write it is no error.
 */
#ifndef ADR_LOG_FPCACHE_H
#define ADR_LOG_FPCACHE_H

#include <stdbool.h>

#include "git/repo_internal.h"

/* A walk's answer: rc 1 (found, `out`) or 0 (not found), from `start`. */
typedef struct {
	git_oid start;
	int rc;
	git_oid out;
} adr__fp_answer;

/* true with the kept answer of the walk for (`branch`, `path`); `branch`
 * is "-" for a walk that looks for no branch. */
bool adr__fpcache_get(adr_repo *repo, const char *branch, const char *path, adr__fp_answer *out);

/* Keeps `a` for (`branch`, `path`), in place of the one kept before. */
void adr__fpcache_put(adr_repo *repo, const char *branch, const char *path, const adr__fp_answer *a);

#endif
