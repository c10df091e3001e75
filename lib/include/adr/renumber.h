/*
 * adr/renumber.h: fixing duplicate record numbers in one commit.
 *
 * Of the records sharing a number, the one added first (by the first commit
 * of the decision branch that has its file; by file name when the history
 * does not tell) keeps it; each other one gets the next free number and a
 * new file name. Every Markdown link to a renamed file is rewritten, and so
 * is every supersedes / superseded-by / links entry that meant the renamed
 * record (one that the renamed record answers with the reverse relation).
 *
 * Ownership: adr_renumber_result_dispose() frees a result.
 */
#ifndef ADR_RENUMBER_H
#define ADR_RENUMBER_H

#include "adr/commit.h"
#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *old_path;
	char *new_path;
	int old_number;
	int new_number;
} adr_renumber_item;

typedef struct {
	adr_renumber_item *items;
	size_t count;
	size_t records_rewritten;   /* other records whose links were updated */
	adr_commit_result commit;
} adr_renumber_result;
#define ADR_RENUMBER_RESULT_INIT { NULL, 0, 0, { "", "", 0, false, false, NULL } }

/* With `dry_run` the plan is computed but nothing is committed. */
int adr_renumber_run(adr_renumber_result *out, adr_repo *repo, bool dry_run);
void adr_renumber_result_dispose(adr_renumber_result *res);

#ifdef __cplusplus
}
#endif
#endif
