/*
 * log/index_site.c: the history facts of every record read from the
 * search index for the static site (see log/index_site.h), instead of a
 * second walk over the whole branch.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log/index_internal.h"
#include "log/index_site.h"
#include "util/alloc.h"
#include "util/error.h"

#define COLS "path, before_boundary, created_commit, created_time, created_author, changed_commit," \
	" changed_time, changed_author, proposed_time, decided_time, revisions, comments, decision_merge," \
	" ended_time"

static int row_entry(adr_history_entry **out, sqlite3_stmt *st)
{
	adr_history_entry *e = NULL;
	int rc;

	if ((rc = adr_history_entry_new(&e, adr__index_col_text(st, 0))) < 0)
		return rc;
	e->before_boundary = sqlite3_column_int(st, 1);
	snprintf(e->created_commit, sizeof(e->created_commit), "%s", adr__index_col_text(st, 2));
	e->created_time = sqlite3_column_int64(st, 3);
	if (sqlite3_column_type(st, 4) != SQLITE_NULL && !(e->created_author = adr__index_dup_col(st, 4)))
		rc = ADR_ENOMEM;
	snprintf(e->changed_commit, sizeof(e->changed_commit), "%s", adr__index_col_text(st, 5));
	e->changed_time = sqlite3_column_int64(st, 6);
	if (sqlite3_column_type(st, 7) != SQLITE_NULL && !(e->changed_author = adr__index_dup_col(st, 7)))
		rc = ADR_ENOMEM;
	e->proposed_time = sqlite3_column_int64(st, 8);
	e->decided_time = sqlite3_column_int64(st, 9);
	e->revisions = sqlite3_column_int(st, 10);
	e->comments = sqlite3_column_int(st, 11);
	snprintf(e->decision_merge, sizeof(e->decision_merge), "%s", adr__index_col_text(st, 12));
	e->ended_time = sqlite3_column_int64(st, 13);
	if (rc < 0) {
		adr_history_entry_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

/* Every row of `hist` (sorted by path: it is the table's key) into `out`. */
static int read_rows(adr__site_history *out, sqlite3 *db)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int rc, step;

	if ((rc = adr__index_prepare(&st, db, "SELECT " COLS " FROM hist ORDER BY path")) < 0)
		return rc;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (out->count == alloc) {
			size_t n = alloc ? alloc * 2 : 1024;
			adr_history_entry **p = adr__reallocarray(out->items, n, sizeof(*p));
			if (!p) {
				rc = ADR_ENOMEM;
				break;
			}
			out->items = p;
			alloc = n;
		}
		if ((rc = row_entry(&out->items[out->count], st)) < 0)
			break;
		out->count++;
	}
	if (rc == 0 && step != SQLITE_DONE)
		rc = ADR_ENOTFOUND; /* unreadable: the caller walks instead */
	sqlite3_finalize(st);
	return rc;
}

int adr__site_history_load(adr__site_history *out, adr_repo *repo, const char *tip)
{
	adr_index *ix = NULL;
	adr_index_stats stats = ADR_INDEX_STATS_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = adr_index_open(&ix, repo, ADR_INDEX_IF_EXISTS, &stats);
	if (rc == ADR_ENOMEM)
		return rc;
	if (rc < 0 || !ix->db || strcmp(stats.tip, tip) != 0) {
		rc = ADR_ENOTFOUND;
		goto cleanup;
	}
	if ((rc = read_rows(out, ix->db)) < 0) {
		adr__site_history_dispose(out);
		if (rc != ADR_ENOMEM)
			rc = ADR_ENOTFOUND;
	}
cleanup:
	if (rc == ADR_ENOTFOUND)
		adr_error_clear();
	adr_index_free(ix);
	return rc;
}

static int cmp_path(const void *key, const void *elem)
{
	return strcmp(key, (*(adr_history_entry *const *)elem)->path);
}

const adr_history_entry *adr__site_history_get(const adr__site_history *h, const char *path)
{
	adr_history_entry **e;

	if (!h->count)
		return NULL;
	e = bsearch(path, h->items, h->count, sizeof(*h->items), cmp_path);
	return e ? *e : NULL;
}

void adr__site_history_dispose(adr__site_history *h)
{
	for (size_t i = 0; i < h->count; i++)
		adr_history_entry_free(h->items[i]);
	free(h->items);
	h->items = NULL;
	h->count = 0;
}
