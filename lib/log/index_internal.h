/*
 * log/index_internal.h: what the four files of the search index share
 * (log/index.c opens and rebuilds it, log/index_write.c writes its rows,
 * log/index_query.c reads them, log/index_sql.c adapts SQLite), and what
 * they show the fuzz target tests/fuzz/fuzz_query.c, which checks that any
 * text a user searches for becomes an FTS5 query SQLite accepts.
 */
#ifndef ADR_INDEX_INTERNAL_H
#define ADR_INDEX_INTERNAL_H

#include <sqlite3.h>

#include "adr/common.h"
#include "adr/index.h"
#include "adr/repo.h"

/* The FTS5 MATCH expression adr_index_search() runs for the words `q`
 * (empty when `q` has no word). */
int adr__index_fts_query(adr_buf *out, const char *q);

/* The SQL that creates the index's tables, the FTS5 table included. */
const char *adr__index_schema_sql(void);

/* --- the handle (log/index.c) --------------------------------------------- */

struct adr_index {
	adr_repo *repo;
	sqlite3 *db;
	char *path;
	char *dir;
	unsigned flags;
	bool in_memory;        /* F15: the index directory cannot be written */
	adr_strlist warnings;  /* for the caller to show, once each */
	size_t folders;        /* records kept as folders at the tip: not in the index (note_skipped) */
};

/* Builds the index anew (on disk, else in memory with a warning), as
 * adr_index_open() does when it finds the index missing or corrupt. */
int adr__index_build(adr_index *ix, adr_index_stats *stats);

/* --- writing (log/index_write.c) ------------------------------------------ */

/* Walks the history (from the commit `since`, or all when NULL) and writes
 * into `db` everything for the decision branch's tip, meta keys included. */
int adr__index_write(sqlite3 *db, adr_repo *repo, const char *since, adr_index_stats *stats);

/* --- SQLite (log/index_sql.c) --------------------------------------------- */

/* Sets the error "index: WHAT: SQLite's message" for the SQLite result
 * `src`: ADR_EINVALID for corruption (and a missing table), so the caller
 * rebuilds; ADR_EBUSY, ADR_ENOMEM, else ADR_ERROR. `db` may be NULL. */
int adr__index_sql_error(sqlite3 *db, int src, const char *what);
/* sqlite3_exec and sqlite3_prepare_v2, the error set as above. */
int adr__index_exec(sqlite3 *db, const char *sql);
int adr__index_prepare(sqlite3_stmt **st, sqlite3 *db, const char *sql);
/* Column `i` of the current row as text ("" for NULL), or a copy of it
 * (NULL, the error set, when out of memory). */
const char *adr__index_col_text(sqlite3_stmt *st, int i);
char *adr__index_dup_col(sqlite3_stmt *st, int i);
/* Binds `s`, or NULL when `s` is NULL or empty. */
void adr__index_bind_opt(sqlite3_stmt *st, int i, const char *s);
/* The value of `key` in the meta table into `out`; ADR_ENOTFOUND when absent. */
int adr__index_get_meta(adr_buf *out, sqlite3 *db, const char *key);
int adr__index_set_meta(sqlite3 *db, const char *key, const char *value);
/* A list stored as one text: its items joined by `sep`, and split back. */
void adr__index_join_list(adr_buf *out, const adr_strlist *l, char sep);
int adr__index_split_list(adr_strlist *out, const char *s, char sep);

/* The version of SQLite this process runs with (a static string). */
const char *adr__index_sqlite_version(void);

#endif
