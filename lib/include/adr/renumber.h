/*
 * adr/renumber.h: fixing duplicate record numbers in one commit.
 *
 * Of the records sharing a number, a published one keeps it: published
 * numbers never change (a record is published when its file is on a
 * remote-tracking copy of the decision branch, as the last fetch saw it).
 * When several or none are published, the one added first (by the first
 * commit of the decision branch that has its file; by file name when the
 * history does not tell) keeps it. Each other one gets the next free number
 * (past the published numbers too) and a new file name. Every Markdown link to a renamed file is rewritten, and so
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

/* Why the record that keeps a number keeps it. */
typedef enum {
	ADR_RENUMBER_PUBLISHED = 1,  /* it is published and the renumbered one is not */
	ADR_RENUMBER_OLDER,          /* both or neither are published: it was added first */
	ADR_RENUMBER_BY_NAME         /* both or neither are published and the history does
				      * not tell which came first: its file name sorts first */
} adr_renumber_reason;

/* "published", "older", "name" */
const char *adr_renumber_reason_name(adr_renumber_reason reason);

typedef struct {
	char *old_path;
	char *new_path;
	int old_number;
	int new_number;
	bool published;              /* this record was published (both were) */
	char *kept_path;             /* the record that keeps old_number */
	bool kept_published;
	adr_renumber_reason reason;  /* why kept_path keeps it */
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

/*
 * Whether each of the record files `paths` (repository-relative, as read
 * from the decision branch) is published: out[i] for paths[i].
 */
int adr_renumber_published(bool *out, adr_repo *repo, const char *const *paths, size_t count);

#ifdef __cplusplus
}
#endif
#endif
