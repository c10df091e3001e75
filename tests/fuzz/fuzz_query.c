/*
 * Search queries: the FTS5 query quoter of lib/log/index_query.c, run against
 * a real in-memory SQLite database with the index's own schema.
 * Properties: whatever the user types, the MATCH expression is never an
 * SQLite error (not a syntax error, not anything else), in the very query
 * `adr search` runs (snippet and bm25 included); and a record whose body is
 * the user's text is found by it, unless that text holds no token at all
 * (only symbols, say), which no query finds.
 */
#include <sqlite3.h>

#include "fuzz.h"
#include "log/index_internal.h"

/* The SELECT of search_once() in lib/log/index_query.c, without the optional filters. */
#define SEARCH_SQL                                                                             \
	"SELECT r.number, r.path, r.title, r.status, r.date,"                                  \
	" snippet(fts, -1, '[', ']', '...', 16), bm25(fts, 10.0, 1.0, 4.0, 2.0) AS score"      \
	" FROM fts JOIN rec r ON r.id = fts.rowid WHERE fts MATCH ?1 ORDER BY score, r.number LIMIT 20"

static sqlite3 *db;
static sqlite3_stmt *search, *put_rec, *put_fts, *found, *tokens, *del_fts, *del_rec;
static unsigned long runs;

static void exec(const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, err ? err : "?");
		abort();
	}
}

static void setup(void)
{
	FUZZ_CHECK(sqlite3_open(":memory:", &db) == SQLITE_OK);
	exec(adr__index_schema_sql());
	exec("INSERT INTO rec(id, path, blob, number, title, status, date, tags, makers, body) VALUES"
	     "(1, '0001-use-postgres.md', 'x', 1, 'Use PostgreSQL', 'accepted', '2026-11-21', 'db', 'Ana',"
	     " 'We use PostgreSQL 15 for every service. \"Quoted\" AND OR NOT NEAR(a b) col:umn * ^ - +'),"
	     "(2, '0002-caf\xC3\xA9.md', 'y', 2, 'Caf\xC3\xA9 na\xC3\xAFve \xE6\x97\xA5\xE6\x9C\xAC', 'proposed',"
	     " '2026-11-22', 'ux', 'Bo', 'Umlaut \xC3\xBC and emoji \xF0\x9F\x98\x80 and dash \xE2\x80\x94 x');"
	     "INSERT INTO fts(fts) VALUES('rebuild');"
	     "CREATE VIRTUAL TABLE vocab USING fts5vocab(fts, instance);");
}

/* Prepared once (the statements are kept for the life of the process). */
static sqlite3_stmt *prepared(sqlite3_stmt **st, const char *sql)
{
	if (!*st)
		FUZZ_CHECK(sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, st, NULL) == SQLITE_OK);
	sqlite3_reset(*st);
	sqlite3_clear_bindings(*st);
	return *st;
}

/* Runs `st` with `match` bound to ?1; every step is a row or the end. Returns the rows. */
static int run(sqlite3_stmt *st, const char *match, const char *input)
{
	int rc, rows = 0;
	sqlite3_bind_text(st, 1, match, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		rows = sqlite3_column_int(st, 0) >= 0 ? rows + 1 : rows;
	if (rc != SQLITE_DONE) {
		fprintf(stderr, "query [%s] quoted as [%s]: SQLite error %d: %s\n", input, match, rc, sqlite3_errmsg(db));
		abort();
	}
	sqlite3_reset(st);
	return rows;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *q = fuzz_cstr(data, size);
	adr_buf match = ADR_BUF_INIT;
	sqlite3_stmt *st;

	/* A fresh database now and then: the FTS5 index grows with every delete. */
	if (db && ++runs % 20000 == 0) {
		sqlite3_stmt **all[] = { &search, &put_rec, &put_fts, &found, &tokens, &del_fts, &del_rec };
		for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
			sqlite3_finalize(*all[i]);
			*all[i] = NULL;
		}
		FUZZ_CHECK(sqlite3_close(db) == SQLITE_OK);
		db = NULL;
	}
	if (!db)
		setup();
	FUZZ_CHECK(adr__index_fts_query(&match, q) == 0);
	if (match.size == 0)
		goto done; /* no word: adr_index_search() matches nothing */
	FUZZ_CHECK(match.ptr[0] == '"' && (match.ptr[match.size - 1] == '"' || match.ptr[match.size - 1] == '*'));
	run(prepared(&search, SEARCH_SQL), match.ptr, q);

	/* A record holding exactly the text is found by it. */
	st = prepared(&put_rec, "INSERT INTO rec(id, path, blob, title, tags, makers, body)"
				" VALUES(1000, 'fuzz.md', 'z', '', '', '', ?1)");
	sqlite3_bind_text(st, 1, q, -1, SQLITE_STATIC);
	FUZZ_CHECK(sqlite3_step(st) == SQLITE_DONE);
	st = prepared(&put_fts, "INSERT INTO fts(rowid, title, body, tags, makers)"
				" SELECT id, title, body, tags, makers FROM rec WHERE id = 1000");
	FUZZ_CHECK(sqlite3_step(st) == SQLITE_DONE);
	if (run(prepared(&found, "SELECT rowid FROM fts WHERE fts MATCH ?1 AND rowid = 1000"), match.ptr, q) !=
	    run(prepared(&tokens, "SELECT 1 FROM vocab WHERE doc = 1000 AND ?1 IS NOT NULL LIMIT 1"), match.ptr, q)) {
		fprintf(stderr, "a record with the text [%s] is not found by [%s]\n", q, match.ptr);
		abort();
	}
	st = prepared(&del_fts, "INSERT INTO fts(fts, rowid, title, body, tags, makers)"
				" SELECT 'delete', id, title, body, tags, makers FROM rec WHERE id = 1000");
	FUZZ_CHECK(sqlite3_step(st) == SQLITE_DONE);
	st = prepared(&del_rec, "DELETE FROM rec WHERE id = 1000");
	FUZZ_CHECK(sqlite3_step(st) == SQLITE_DONE);
done:
	adr_buf_dispose(&match);
	free(q);
	adr_error_clear();
	return 0;
}
