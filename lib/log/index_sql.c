/*
 * log/index_sql.c: the index's one adapter to SQLite: its result codes
 * become ADR_* errors with SQLite's message (corruption is ADR_EINVALID,
 * so the caller rebuilds), and the small statements every part of the
 * index runs (meta keys, columns, lists stored as text).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "log/index_internal.h"
#include "util/alloc.h"
#include "util/error.h"

static bool is_corrupt(int src)
{
	return (src & 0xff) == SQLITE_CORRUPT || (src & 0xff) == SQLITE_NOTADB ||
	       (src & 0xff) == SQLITE_IOERR || (src & 0xff) == SQLITE_FORMAT ||
	       (src & 0xff) == SQLITE_SCHEMA || (src & 0xff) == SQLITE_ERROR;
}

/* Corruption (and a missing table) is ADR_EINVALID: the caller rebuilds. */
int adr__index_sql_error(sqlite3 *db, int src, const char *what)
{
	int code = is_corrupt(src)                                                ? ADR_EINVALID
		   : (src & 0xff) == SQLITE_BUSY || (src & 0xff) == SQLITE_LOCKED ? ADR_EBUSY
		   : (src & 0xff) == SQLITE_NOMEM                                 ? ADR_ENOMEM
										  : ADR_ERROR;
	/* No handle only when SQLite could not allocate one. */
	const char *why = db ? sqlite3_errmsg(db) : sqlite3_errstr(src);
	return adr__error(code, "index: %s: %s", what, why);
}

int adr__index_exec(sqlite3 *db, const char *sql)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : adr__index_sql_error(db, rc, sql);
}

int adr__index_prepare(sqlite3_stmt **st, sqlite3 *db, const char *sql)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
	return rc == SQLITE_OK ? 0 : adr__index_sql_error(db, rc, "prepare");
}

const char *adr__index_col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

char *adr__index_dup_col(sqlite3_stmt *st, int i)
{
	return adr__strdup(adr__index_col_text(st, i));
}

int adr__index_get_meta(adr_buf *out, sqlite3 *db, const char *key)
{
	sqlite3_stmt *st = NULL;
	int rc;
	adr_buf_clear(out);
	if ((rc = adr__index_prepare(&st, db, "SELECT value FROM meta WHERE key = ?")) < 0)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		adr_buf_puts(out, adr__index_col_text(st, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = ADR_ENOTFOUND;
	} else {
		rc = adr__index_sql_error(db, rc, "read meta");
	}
	sqlite3_finalize(st);
	return rc;
}

int adr__index_set_meta(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;
	int rc;
	if ((rc = adr__index_prepare(&st, db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)")) < 0)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? 0 : adr__index_sql_error(db, rc, "write meta");
	sqlite3_finalize(st);
	return rc;
}

void adr__index_join_list(adr_buf *out, const adr_strlist *l, char sep)
{
	adr_buf_clear(out);
	for (size_t i = 0; i < l->count; i++) {
		if (i)
			adr_buf_putc(out, sep);
		adr_buf_puts(out, l->items[i]);
	}
}

int adr__index_split_list(adr_strlist *out, const char *s, char sep)
{
	while (*s) {
		const char *e = strchr(s, sep);
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (adr_strlist_addn(out, s, n) < 0)
			return ADR_ENOMEM;
		s += n;
		if (*s)
			s++;
	}
	return 0;
}

void adr__index_bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

const char *adr__index_sqlite_version(void)
{
	return sqlite3_libversion();
}
