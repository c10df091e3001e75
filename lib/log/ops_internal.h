/* Library-internal helpers shared by the write operations. */
#ifndef ADR_OPS_INTERNAL_H
#define ADR_OPS_INTERNAL_H

#include "adr/ops.h"

/*
 * adr_repo_commit() for an operation: on failure the result is emptied
 * (path freed, number -1), so a caller that gives up owns nothing.
 */
int adr__op_commit(adr_op_result *res, adr_repo *repo, adr_change_fn fn, void *payload,
		   const adr_commit_opts *opts);

/*
 * adr_op_new(), and when `commit` is given the record commit also carries
 * `Adr-Commit: <commit>` (a decision recorded for a code commit by a hook).
 */
int adr__op_new(adr_op_result *res, adr_repo *repo, adr_record *r, const char *commit);

#endif
