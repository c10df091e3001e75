/* The search index: SQLite + FTS5 in <commondir>/adr/index.db. The only
 * file that includes <sqlite3.h>. */
#include "git/repo_internal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adr/history.h"
#include "adr/index.h"
#include "util/error.h"
#include "git/history_internal.h"
#include "log/index_internal.h"

#define SCHEMA_VERSION 6

struct adr_index {
	adr_repo *repo;
	sqlite3 *db;
	char *path;
	char *dir;
	unsigned flags;
	bool in_memory;        /* F15: the index directory cannot be written */
	adr_strlist warnings;  /* for the caller to show, once each */
};

static const char *const schema_sql =
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
	"CREATE TABLE rec(id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, blob TEXT NOT NULL,"
	" number INTEGER, title TEXT, status TEXT, date TEXT, mode TEXT, urgency TEXT, complexity TEXT,"
	" review_by TEXT, revisit TEXT, tagkey TEXT, tags TEXT, makers TEXT, visibility TEXT,"
	" supersedes TEXT, superseded_by TEXT, body TEXT, error TEXT, warnings TEXT);"
	"CREATE TABLE hist(path TEXT PRIMARY KEY, blob TEXT, deleted INTEGER, before_boundary INTEGER,"
	" created_commit TEXT, created_time INTEGER, created_author TEXT,"
	" changed_commit TEXT, changed_time INTEGER, changed_author TEXT,"
	" authors TEXT, commits TEXT, proposed_time INTEGER, decided_time INTEGER,"
	" revisions INTEGER, comments INTEGER, decision_merge TEXT) WITHOUT ROWID;"
	"CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, makers, content='rec', content_rowid='id',"
	" tokenize='unicode61');";

/* --- helpers ----------------------------------------------------------- */

static bool is_corrupt(int src)
{
	return (src & 0xff) == SQLITE_CORRUPT || (src & 0xff) == SQLITE_NOTADB ||
	       (src & 0xff) == SQLITE_IOERR || (src & 0xff) == SQLITE_FORMAT ||
	       (src & 0xff) == SQLITE_SCHEMA || (src & 0xff) == SQLITE_ERROR;
}

/* Corruption (and a missing table) is ADR_EINVALID: the caller rebuilds. */
static int sql_error(sqlite3 *db, int src, const char *what)
{
	int code = is_corrupt(src)                                                ? ADR_EINVALID
		   : (src & 0xff) == SQLITE_BUSY || (src & 0xff) == SQLITE_LOCKED ? ADR_EBUSY
		   : (src & 0xff) == SQLITE_NOMEM                                 ? ADR_ENOMEM
										  : ADR_ERROR;
	/* No handle only when SQLite could not allocate one. */
	const char *why = db ? sqlite3_errmsg(db) : sqlite3_errstr(src);
	return adr__error(code, "index: %s: %s", what, why);
}

static int exec(sqlite3 *db, const char *sql)
{
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : sql_error(db, rc, sql);
}

static int prepare(sqlite3_stmt **st, sqlite3 *db, const char *sql)
{
	int rc = sqlite3_prepare_v2(db, sql, -1, st, NULL);
	return rc == SQLITE_OK ? 0 : sql_error(db, rc, "prepare");
}

static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	return s ? (const char *)s : "";
}

static char *dup_col(sqlite3_stmt *st, int i)
{
	return strdup(col_text(st, i));
}

static int get_meta(adr_buf *out, sqlite3 *db, const char *key)
{
	sqlite3_stmt *st = NULL;
	int rc;
	adr_buf_clear(out);
	if ((rc = prepare(&st, db, "SELECT value FROM meta WHERE key = ?")) < 0)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		adr_buf_puts(out, col_text(st, 0));
		rc = 0;
	} else if (rc == SQLITE_DONE) {
		rc = ADR_ENOTFOUND;
	} else {
		rc = sql_error(db, rc, "read meta");
	}
	sqlite3_finalize(st);
	return rc;
}

static int set_meta(sqlite3 *db, const char *key, const char *value)
{
	sqlite3_stmt *st = NULL;
	int rc;
	if ((rc = prepare(&st, db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)")) < 0)
		return rc;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	rc = rc == SQLITE_DONE ? 0 : sql_error(db, rc, "write meta");
	sqlite3_finalize(st);
	return rc;
}

static void join_list(adr_buf *out, const adr_strlist *l, char sep)
{
	adr_buf_clear(out);
	for (size_t i = 0; i < l->count; i++) {
		if (i)
			adr_buf_putc(out, sep);
		adr_buf_puts(out, l->items[i]);
	}
}

static int split_list(adr_strlist *out, const char *s, char sep)
{
	while (*s) {
		const char *e = strchr(s, sep);
		size_t n = e ? (size_t)(e - s) : strlen(s);
		if (adr_strlist_addn(out, s, n) < 0)
			return adr__error(ADR_ENOMEM, "out of memory");
		s += n;
		if (*s)
			s++;
	}
	return 0;
}

/* --- opening ------------------------------------------------------------ */

static void close_db(adr_index *ix)
{
	if (ix->db)
		sqlite3_close_v2(ix->db);
	ix->db = NULL;
}

static void remove_db_files(const char *path)
{
	char buf[4096];
	unlink(path);
	snprintf(buf, sizeof(buf), "%s-wal", path);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s-shm", path);
	unlink(buf);
	snprintf(buf, sizeof(buf), "%s-journal", path);
	unlink(buf);
}

static int open_db(sqlite3 **out, const char *path, bool create)
{
	int rc = sqlite3_open_v2(path, out, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
						    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		adr_buf what = ADR_BUF_INIT;
		adr_buf_printf(&what, "cannot open '%s'", path);
		rc = sql_error(*out, rc, adr_buf_oom(&what) ? "open" : what.ptr);
		adr_buf_dispose(&what);
		sqlite3_close_v2(*out);
		*out = NULL;
		return rc;
	}
	sqlite3_busy_timeout(*out, 5000);
	return 0;
}

/* True when `boundary` is still listed in the repository's shallow file. */
static bool still_shallow(adr_index *ix, const char *boundary)
{
	adr_buf path = ADR_BUF_INIT;
	char line[128];
	bool found = false;
	FILE *f;

	adr_buf_printf(&path, "%sshallow", adr_repo_commondir(ix->repo));
	f = adr_buf_oom(&path) ? NULL : fopen(path.ptr, "r");
	adr_buf_dispose(&path);
	while (f && !found && fgets(line, sizeof(line), f))
		found = strncmp(line, boundary, 40) == 0;
	if (f)
		fclose(f);
	return found;
}

/*
 * Cheap checks made at every open: the file is an SQLite database of our
 * schema version, not shorter than its header says, built for this branch
 * and records directory. `why` gets the reason when it is not usable.
 */
static int check_db(adr_index *ix, char *why, size_t whysize, bool full)
{
	sqlite3_stmt *st = NULL;
	adr_buf val = ADR_BUF_INIT;
	struct stat sb, wal;
	char walpath[4096];
	long long pages = 0, pagesize = 0;
	int version = -1, src;
	bool ok = false;

	why[0] = '\0';
	if (stat(ix->path, &sb) < 0) {
		snprintf(why, whysize, "no index yet");
		return 0;
	}
	if (open_db(&ix->db, ix->path, false) < 0)
		goto bad;
	if (prepare(&st, ix->db, "PRAGMA user_version") < 0 || sqlite3_step(st) != SQLITE_ROW)
		goto bad;
	version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (version != SCHEMA_VERSION) {
		snprintf(why, whysize, "index schema %d, want %d", version, SCHEMA_VERSION);
		goto out;
	}
	if (prepare(&st, ix->db, "PRAGMA page_count") < 0 || sqlite3_step(st) != SQLITE_ROW)
		goto bad;
	pages = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	if (prepare(&st, ix->db, "PRAGMA page_size") < 0 || sqlite3_step(st) != SQLITE_ROW)
		goto bad;
	pagesize = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	st = NULL;
	snprintf(walpath, sizeof(walpath), "%s-wal", ix->path);
	if ((stat(walpath, &wal) < 0 || wal.st_size == 0) && (long long)sb.st_size < pages * pagesize)
		goto bad;
	if (get_meta(&val, ix->db, "branch") < 0 || strcmp(val.ptr, adr_repo_branch(ix->repo)) != 0) {
		snprintf(why, whysize, "index built for another branch");
		goto out;
	}
	if (get_meta(&val, ix->db, "dir") < 0 || strcmp(val.ptr, adr_repo_records_dir(ix->repo)) != 0) {
		snprintf(why, whysize, "index built for another records directory");
		goto out;
	}
	if (get_meta(&val, ix->db, "complete") < 0 || strcmp(val.ptr, "1") != 0)
		goto bad;
	/* the record count stored with the commit must match the rows */
	if (get_meta(&val, ix->db, "count") < 0 || prepare(&st, ix->db, "SELECT count(*) FROM rec") < 0 ||
	    sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int64(st, 0) != strtoll(val.ptr, NULL, 10))
		goto bad;
	sqlite3_finalize(st);
	st = NULL;
	if (get_meta(&val, ix->db, "shallow") == 0 && val.size && !still_shallow(ix, val.ptr)) {
		snprintf(why, whysize, "shallow clone deepened");
		goto out;
	}
	if (full) {
		if (prepare(&st, ix->db, "PRAGMA quick_check") < 0 || (src = sqlite3_step(st)) != SQLITE_ROW ||
		    strcmp(col_text(st, 0), "ok") != 0)
			goto bad;
		sqlite3_finalize(st);
		st = NULL;
		if (sqlite3_exec(ix->db, "INSERT INTO fts(fts) VALUES('integrity-check')", NULL, NULL, NULL) != SQLITE_OK)
			goto bad;
	}
	ok = true;
	goto out;
bad:
	snprintf(why, whysize, "index is corrupt");
out:
	sqlite3_finalize(st);
	adr_buf_dispose(&val);
	adr_error_clear();
	if (!ok)
		close_db(ix);
	return 0;
}

/* --- writing ---------------------------------------------------------- */

typedef struct {
	sqlite3 *db;
	sqlite3_stmt *load_hist, *put_hist, *del_hist;
	sqlite3_stmt *get_rec, *put_rec, *del_rec, *put_fts, *del_fts;
	unsigned long parsed;
	bool bulk;    /* a full build: the FTS table is filled at the end in one go */
} writer;

static void writer_free(writer *w)
{
	sqlite3_finalize(w->load_hist);
	sqlite3_finalize(w->put_hist);
	sqlite3_finalize(w->del_hist);
	sqlite3_finalize(w->get_rec);
	sqlite3_finalize(w->put_rec);
	sqlite3_finalize(w->del_rec);
	sqlite3_finalize(w->put_fts);
	sqlite3_finalize(w->del_fts);
}

static int writer_init(writer *w, sqlite3 *db)
{
	int rc;
	memset(w, 0, sizeof(*w));
	w->db = db;
	if ((rc = prepare(&w->load_hist, db, "SELECT blob, deleted, before_boundary, created_commit, created_time,"
					    " created_author, changed_commit, changed_time, changed_author, authors,"
					    " commits, proposed_time, decided_time, revisions, comments, decision_merge"
					    " FROM hist WHERE path = ?")) < 0 ||
	    (rc = prepare(&w->put_hist, db, "INSERT OR REPLACE INTO hist VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) < 0 ||
	    (rc = prepare(&w->del_hist, db, "DELETE FROM hist WHERE path = ?")) < 0 ||
	    (rc = prepare(&w->get_rec, db, "SELECT id, blob FROM rec WHERE path = ?")) < 0 ||
	    (rc = prepare(&w->put_rec, db, "INSERT OR REPLACE INTO rec(id, path, blob, number, title, status, date,"
					   " mode, urgency, complexity, review_by, revisit, tagkey, tags, makers,"
					   " visibility, supersedes, superseded_by, body, error, warnings)"
					   " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) < 0 ||
	    (rc = prepare(&w->del_rec, db, "DELETE FROM rec WHERE id = ?")) < 0 ||
	    (rc = prepare(&w->put_fts, db, "INSERT INTO fts(rowid, title, body, tags, makers) VALUES(?,?,?,?,?)")) < 0 ||
	    (rc = prepare(&w->del_fts, db, "INSERT INTO fts(fts, rowid, title, body, tags, makers)"
					   " SELECT 'delete', id, title, body, tags, makers FROM rec WHERE id = ?")) < 0)
		return rc;
	return 0;
}

static int load_hist(adr_history_entry **out, const char *path, void *payload)
{
	writer *w = payload;
	sqlite3_stmt *st = w->load_hist;
	adr_history_entry *e = NULL;
	int rc;

	*out = NULL;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, path, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return sql_error(w->db, rc, "read history");
	if ((rc = adr_history_entry_new(&e, path)) < 0)
		return rc;
	snprintf(e->blob, sizeof(e->blob), "%s", col_text(st, 0));
	e->deleted = sqlite3_column_int(st, 1);
	e->before_boundary = sqlite3_column_int(st, 2);
	snprintf(e->created_commit, sizeof(e->created_commit), "%s", col_text(st, 3));
	e->created_time = sqlite3_column_int64(st, 4);
	if (sqlite3_column_type(st, 5) != SQLITE_NULL)
		e->created_author = dup_col(st, 5);
	snprintf(e->changed_commit, sizeof(e->changed_commit), "%s", col_text(st, 6));
	e->changed_time = sqlite3_column_int64(st, 7);
	if (sqlite3_column_type(st, 8) != SQLITE_NULL)
		e->changed_author = dup_col(st, 8);
	rc = split_list(&e->authors, col_text(st, 9), '\n');
	if (rc == 0)
		rc = split_list(&e->commits, col_text(st, 10), ' ');
	e->proposed_time = sqlite3_column_int64(st, 11);
	e->decided_time = sqlite3_column_int64(st, 12);
	e->revisions = sqlite3_column_int(st, 13);
	e->comments = sqlite3_column_int(st, 14);
	snprintf(e->decision_merge, sizeof(e->decision_merge), "%s", col_text(st, 15));
	sqlite3_reset(st);
	if (rc < 0) {
		adr_history_entry_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

static int save_hist(writer *w, const adr_history_entry *e, adr_buf *tmp1, adr_buf *tmp2)
{
	sqlite3_stmt *st;
	int rc;

	if (e->gone) {
		st = w->del_hist;
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, e->path, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		return rc == SQLITE_DONE ? 0 : sql_error(w->db, rc, "delete history");
	}
	join_list(tmp1, &e->authors, '\n');
	join_list(tmp2, &e->commits, ' ');
	if (adr_buf_oom(tmp1) || adr_buf_oom(tmp2))
		return adr__error(ADR_ENOMEM, "out of memory");
	st = w->put_hist;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, e->path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, e->blob, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, e->deleted);
	sqlite3_bind_int(st, 4, e->before_boundary);
	sqlite3_bind_text(st, 5, e->created_commit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, e->created_time);
	if (e->created_author)
		sqlite3_bind_text(st, 7, e->created_author, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 7);
	sqlite3_bind_text(st, 8, e->changed_commit, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, e->changed_time);
	if (e->changed_author)
		sqlite3_bind_text(st, 10, e->changed_author, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 10);
	sqlite3_bind_text(st, 11, tmp1->ptr, (int)tmp1->size, SQLITE_STATIC);
	sqlite3_bind_text(st, 12, tmp2->ptr, (int)tmp2->size, SQLITE_STATIC);
	sqlite3_bind_int64(st, 13, e->proposed_time);
	sqlite3_bind_int64(st, 14, e->decided_time);
	sqlite3_bind_int(st, 15, e->revisions);
	sqlite3_bind_int(st, 16, e->comments);
	sqlite3_bind_text(st, 17, e->decision_merge, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : sql_error(w->db, rc, "write history");
}

static void bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static void intlist_text(adr_buf *out, const adr_intlist *l)
{
	adr_buf_clear(out);
	for (size_t i = 0; i < l->count; i++)
		adr_buf_printf(out, "%s%d", i ? " " : "", l->items[i]);
}

/* Deletes the record row with id `id` and its FTS row. */
static int drop_rec(writer *w, long long id)
{
	int rc;
	sqlite3_reset(w->del_fts);
	sqlite3_bind_int64(w->del_fts, 1, id);
	if ((rc = sqlite3_step(w->del_fts)) != SQLITE_DONE)
		return sql_error(w->db, rc, "delete from fts");
	sqlite3_reset(w->del_rec);
	sqlite3_bind_int64(w->del_rec, 1, id);
	if ((rc = sqlite3_step(w->del_rec)) != SQLITE_DONE)
		return sql_error(w->db, rc, "delete record");
	return 0;
}

/* Parses the blob of `path` and writes its row (replacing row `id` when > 0). */
static int put_rec(long long *rowid, writer *w, adr_repo *repo, const char *path, const git_oid *blob_id, long long id)
{
	git_blob *blob = NULL;
	adr_record *r = NULL;
	adr_buf a = ADR_BUF_INIT, b = ADR_BUF_INIT, c = ADR_BUF_INIT, d = ADR_BUF_INIT;
	char hex[41];
	int rc, number = -1;
	const char *err = NULL;
	sqlite3_stmt *st = w->put_rec;

	git_oid_tostr(hex, sizeof(hex), blob_id);
	if ((rc = git_blob_lookup(&blob, adr__repo_git(repo), blob_id)) < 0) {
		rc = adr__error_git(rc, "cannot read '%s'", path);
		goto cleanup;
	}
	w->parsed++;
	rc = adr_record_parse(&r, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), ADR_PARSE_LENIENT);
	if (rc == ADR_ENOMEM)
		goto cleanup;
	if (rc < 0) {
		err = adr_error_last();
		const char *slash = strrchr(path, '/');
		adr_record_parse_filename(&number, NULL, slash ? slash + 1 : path);
	}
	if (id > 0 && (rc = drop_rec(w, id)) < 0)
		goto cleanup;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (id > 0)
		sqlite3_bind_int64(st, 1, id);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_text(st, 2, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, hex, -1, SQLITE_STATIC);
	if (r) {
		sqlite3_bind_int(st, 4, r->number);
		sqlite3_bind_text(st, 5, r->title, -1, SQLITE_STATIC);
		bind_opt(st, 6, r->status ? adr_status_name(r->status) : r->status_word);
		bind_opt(st, 7, r->date);
		bind_opt(st, 8, r->mode ? adr_mode_name(r->mode) : NULL);
		bind_opt(st, 9, r->urgency ? adr_level_name(r->urgency) : NULL);
		bind_opt(st, 10, r->complexity ? adr_level_name(r->complexity) : NULL);
		bind_opt(st, 11, r->review_by);
		bind_opt(st, 12, r->revisit);
		adr_buf_putc(&a, '\n');
		for (size_t i = 0; i < r->tags.count; i++) {
			for (const char *p = r->tags.items[i]; *p; p++)
				adr_buf_putc(&a, (char)tolower((unsigned char)*p));
			adr_buf_putc(&a, '\n');
		}
		join_list(&b, &r->tags, ' ');
		join_list(&c, &r->decision_makers, '\n');
		sqlite3_bind_text(st, 13, a.ptr, (int)a.size, SQLITE_STATIC);
		sqlite3_bind_text(st, 14, b.ptr, (int)b.size, SQLITE_STATIC);
		sqlite3_bind_text(st, 15, c.ptr, (int)c.size, SQLITE_STATIC);
		bind_opt(st, 16, r->visibility ? adr_visibility_name(r->visibility) : NULL);
		intlist_text(&d, &r->supersedes);
		bind_opt(st, 17, d.ptr);
		intlist_text(&d, &r->superseded_by);
		bind_opt(st, 18, d.ptr);
		sqlite3_bind_text(st, 19, r->body, -1, SQLITE_STATIC);
		if (r->warnings.count) {
			join_list(&d, &r->warnings, '\n');
			sqlite3_bind_text(st, 21, d.ptr, (int)d.size, SQLITE_TRANSIENT);
		}
	} else {
		sqlite3_bind_int(st, 4, number);
		sqlite3_bind_text(st, 5, "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 13, "\n", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 20, err, -1, SQLITE_TRANSIENT);
	}
	if (adr_buf_oom(&a) || adr_buf_oom(&b) || adr_buf_oom(&c) || adr_buf_oom(&d)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = sql_error(w->db, rc, "write record");
		goto cleanup;
	}
	id = sqlite3_last_insert_rowid(w->db);
	if (w->bulk)
		goto done;
	st = w->put_fts;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, r ? r->title : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r ? r->body : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, b.ptr, (int)b.size, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, c.ptr, (int)c.size, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = sql_error(w->db, rc, "write fts");
		goto cleanup;
	}
done:
	*rowid = id;
	rc = 0;
	adr_error_clear();
cleanup:
	adr_record_free(r);
	git_blob_free(blob);
	adr_buf_dispose(&a);
	adr_buf_dispose(&b);
	adr_buf_dispose(&c);
	adr_buf_dispose(&d);
	return rc;
}

/* Brings the record rows (which match the records directory at `old`)
 * in line with the records directory at `tip`: only what changed between
 * the two is read and parsed. */
static int sync_records(writer *w, adr_repo *repo, const char *old, const char *tip, unsigned long *count)
{
	adr__dir_changes ch = { NULL, 0 };
	sqlite3_stmt *cnt = NULL;
	int rc;

	if ((rc = adr__records_dir_changes(&ch, repo, old, tip)) < 0)
		goto cleanup;
	for (size_t i = 0; i < ch.count; i++) {
		const adr__dir_change *c = &ch.items[i];
		const char *slash = strrchr(c->path, '/');
		long long rid = 0;
		int number;
		git_oid blob;

		if (adr_record_parse_filename(&number, NULL, slash ? slash + 1 : c->path) < 0) {
			adr_error_clear();
			continue; /* not a record */
		}
		sqlite3_reset(w->get_rec);
		sqlite3_bind_text(w->get_rec, 1, c->path, -1, SQLITE_STATIC);
		rc = sqlite3_step(w->get_rec);
		if (rc == SQLITE_ROW)
			rid = sqlite3_column_int64(w->get_rec, 0);
		else if (rc != SQLITE_DONE) {
			rc = sql_error(w->db, rc, "read record");
			goto cleanup;
		}
		sqlite3_reset(w->get_rec);
		if (!c->blob[0]) {
			if (rid > 0 && (rc = drop_rec(w, rid)) < 0)
				goto cleanup;
			continue;
		}
		/* c->blob comes from git_oid_tostr (adr__records_dir_changes): 40 hex digits. */
		(void)git_oid_fromstr(&blob, c->blob);
		if ((rc = put_rec(&rid, w, repo, c->path, &blob, rid)) < 0)
			goto cleanup;
	}
	if ((rc = prepare(&cnt, w->db, "SELECT count(*) FROM rec")) < 0)
		goto cleanup;
	if ((rc = sqlite3_step(cnt)) != SQLITE_ROW) {
		rc = sql_error(w->db, rc, "count records");
		goto cleanup;
	}
	*count = (unsigned long)sqlite3_column_int64(cnt, 0);
	rc = 0;
cleanup:
	sqlite3_finalize(cnt);
	adr__dir_changes_clear(&ch);
	return rc;
}

/* Walks the history (from `since`, or all) and writes everything for `tip`. */
static int update_db(sqlite3 *db, adr_repo *repo, const char *since, adr_index_stats *stats)
{
	writer w;
	adr_history *h = NULL;
	adr_buf t1 = ADR_BUF_INIT, t2 = ADR_BUF_INIT;
	char num[32];
	int rc;

	if ((rc = writer_init(&w, db)) < 0)
		goto cleanup;
	w.bulk = since == NULL;
	if ((rc = adr_history_new(&h)) < 0)
		goto cleanup;
	if ((rc = adr_history_walk(h, repo, NULL, since, since ? load_hist : NULL, &w)) < 0)
		goto cleanup;
	for (size_t i = 0; i < adr_history_count(h); i++) {
		adr_history_entry *e = adr_history_at(h, i);
		if (e->touched && (rc = save_hist(&w, e, &t1, &t2)) < 0)
			goto cleanup;
	}
	if ((rc = sync_records(&w, repo, since, adr_history_tip(h), &stats->records)) < 0)
		goto cleanup;
	if (w.bulk && (rc = exec(db, "INSERT INTO fts(fts) VALUES('rebuild')")) < 0)
		goto cleanup;
	snprintf(num, sizeof(num), "%lu", stats->records);
	if ((rc = set_meta(db, "tip", adr_history_tip(h))) < 0 || (rc = set_meta(db, "count", num)) < 0 ||
	    (rc = set_meta(db, "branch", adr_repo_branch(repo))) < 0 ||
	    (rc = set_meta(db, "dir", adr_repo_records_dir(repo))) < 0)
		goto cleanup;
	if (adr_history_shallow_boundary(h)) {
		snprintf(stats->shallow_boundary, sizeof(stats->shallow_boundary), "%s", adr_history_shallow_boundary(h));
		if ((rc = set_meta(db, "shallow", stats->shallow_boundary)) < 0)
			goto cleanup;
	}
	stats->commits_examined = adr_history_commits_examined(h);
	stats->trees_diffed = adr_history_trees_diffed(h);
	stats->blobs_parsed = w.parsed;
	snprintf(stats->tip, sizeof(stats->tip), "%s", adr_history_tip(h));
	rc = 0;
cleanup:
	writer_free(&w);
	adr_history_free(h);
	adr_buf_dispose(&t1);
	adr_buf_dispose(&t2);
	return rc;
}

/* Removes what a build killed midway left behind (index.db.tmp.<pid> of a
 * process that is gone). */
static void remove_stale_builds(adr_index *ix)
{
	DIR *d = opendir(ix->dir);
	struct dirent *de;
	char buf[4096];

	while (d && (de = readdir(d))) {
		char *end;
		long pid;
		if (strncmp(de->d_name, "index.db.tmp.", 13) != 0)
			continue;
		pid = strtol(de->d_name + 13, &end, 10);
		if (pid <= 0 || *end || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* not ours, or its builder is still at work */
		snprintf(buf, sizeof(buf), "%s/%s", ix->dir, de->d_name);
		remove_db_files(buf);
	}
	if (d)
		closedir(d);
}

static int rebuild(adr_index *ix, adr_index_stats *stats)
{
	char tmp[4096];
	sqlite3 *db = NULL;
	int rc;

	close_db(ix);
	remove_stale_builds(ix);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", ix->path, (long)getpid());
	remove_db_files(tmp);
	if ((rc = open_db(&db, tmp, true)) < 0)
		goto cleanup;
	if ((rc = exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")) < 0 ||
	    (rc = exec(db, "BEGIN")) < 0 || (rc = exec(db, schema_sql)) < 0)
		goto cleanup;
	if ((rc = update_db(db, ix->repo, NULL, stats)) < 0)
		goto cleanup;
	{
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", SCHEMA_VERSION);
		if ((rc = exec(db, pragma)) < 0 || (rc = set_meta(db, "complete", "1")) < 0 ||
		    (rc = exec(db, "COMMIT")) < 0 || (rc = exec(db, "PRAGMA wal_checkpoint(TRUNCATE)")) < 0)
			goto cleanup;
	}
	if (sqlite3_close_v2(db) != SQLITE_OK) {
		rc = adr__error(ADR_ERROR, "index: cannot close '%s'", tmp);
		db = NULL;
		goto cleanup;
	}
	db = NULL;
	/* A stale write-ahead log must never be applied to the new file. */
	{
		char buf[4096];
		snprintf(buf, sizeof(buf), "%s-wal", ix->path);
		unlink(buf);
		snprintf(buf, sizeof(buf), "%s-shm", ix->path);
		unlink(buf);
	}
	if (rename(tmp, ix->path) < 0) {
		rc = adr__error_os("index: cannot rename '%s' to '%s'", tmp, ix->path);
		goto cleanup;
	}
	stats->rebuilt = true;
	rc = open_db(&ix->db, ix->path, false);
cleanup:
	if (db)
		sqlite3_close_v2(db);
	if (rc < 0)
		remove_db_files(tmp);
	return rc;
}

/*
 * F15: when the on-disk build failed, is it because the index directory
 * cannot be written (a read-only mount, a file where the directory should
 * be, permissions, an immutable directory)? A probe file says, with the
 * reason in `why`. Anything else (a broken repository) is not hidden.
 */
static bool dir_unwritable(adr_index *ix, char *why, size_t whysize)
{
	char probe[4096];
	int fd;

	if (mkdir(ix->dir, 0777) < 0 && errno != EEXIST) {
		snprintf(why, whysize, "%s", strerror(errno));
		return true;
	}
	snprintf(probe, sizeof(probe), "%s/index.db.probe.%ld", ix->dir, (long)getpid());
	if ((fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		snprintf(why, whysize, "%s", strerror(errno == EEXIST ? EIO : errno));
		return true;
	}
	close(fd);
	unlink(probe);
	return false;
}

/* The whole index in memory, for this process only: the same tables and
 * queries, so the results are those of an on-disk index. */
static int build_in_memory(adr_index *ix, adr_index_stats *stats)
{
	sqlite3 *db = NULL;
	int rc;

	close_db(ix);
	if ((rc = open_db(&db, ":memory:", true)) < 0)
		return rc;
	if ((rc = exec(db, "BEGIN")) < 0 || (rc = exec(db, schema_sql)) < 0 ||
	    (rc = update_db(db, ix->repo, NULL, stats)) < 0 || (rc = exec(db, "COMMIT")) < 0) {
		sqlite3_close_v2(db);
		return rc;
	}
	ix->db = db;
	ix->in_memory = true;
	stats->rebuilt = true;
	return 0;
}

/* F12: the index reads only regular files (adr__records_dir_changes);
 * each record-named entry of the tip that is not one gets a warning, as
 * adr_repo_records gives it. Reads one tree, parses no blob. */
static int note_skipped(adr_index *ix)
{
	git_commit *c = NULL;
	git_tree *root = NULL;
	git_tree_entry *dirent = NULL;
	git_tree *dir = NULL;
	adr_buf msg = ADR_BUF_INIT;
	int rc = 0, number;

	if (adr__resolve_commit(&c, ix->repo, NULL) < 0 || git_commit_tree(&root, c) < 0 ||
	    git_tree_entry_bypath(&dirent, root, adr_repo_records_dir(ix->repo)) < 0 ||
	    git_tree_entry_type(dirent) != GIT_OBJECT_TREE ||
	    git_tree_lookup(&dir, adr__repo_git(ix->repo), git_tree_entry_id(dirent)) < 0)
		goto cleanup; /* no records directory: nothing to skip */
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(dir); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(dir, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t mode = git_tree_entry_filemode(e);
		if (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE || !adr__is_markdown(name) ||
		    adr_record_parse_filename(&number, NULL, name) < 0)
			continue;
		adr_buf_clear(&msg);
		adr_buf_printf(&msg, "%s/%s: not a regular file (mode %06o); skipped", adr_repo_records_dir(ix->repo),
			       name, (unsigned)mode);
		if (adr_buf_oom(&msg) || adr_strlist_add(&ix->warnings, msg.ptr) < 0)
			rc = adr__error(ADR_ENOMEM, "out of memory");
	}
cleanup:
	if (rc == 0) {
		adr_error_clear();
		git_error_clear();
	}
	adr_buf_dispose(&msg);
	git_tree_free(dir);
	git_tree_entry_free(dirent);
	git_tree_free(root);
	git_commit_free(c);
	return rc;
}

/* rebuild(), or, when the index directory cannot be written, the index in
 * memory with a warning naming the path and the reason. */
static int build(adr_index *ix, adr_index_stats *stats)
{
	char why[256];
	int rc;

	if (ix->in_memory)
		return build_in_memory(ix, stats);
	if ((rc = rebuild(ix, stats)) == 0 || rc == ADR_ENOMEM || !dir_unwritable(ix, why, sizeof(why)))
		return rc;
	if (ix->flags & (ADR_INDEX_NO_FALLBACK | ADR_INDEX_IF_EXISTS))
		return adr__error(ADR_EOS, "index: cannot write '%s': %s", ix->path, why);
	adr_error_clear();
	{
		adr_buf msg = ADR_BUF_INIT;
		adr_buf_printf(&msg, "index: cannot write '%s': %s; reading git directly (slower)", ix->path, why);
		rc = 0;
		if (adr_buf_oom(&msg) || adr_strlist_add(&ix->warnings, msg.ptr) < 0)
			rc = adr__error(ADR_ENOMEM, "out of memory");
		adr_buf_dispose(&msg);
		if (rc < 0)
			return rc;
	}
	snprintf(stats->reason, sizeof(stats->reason), "index directory not writable");
	return build_in_memory(ix, stats);
}

static int update(adr_index *ix, adr_index_stats *stats)
{
	adr_buf tip = ADR_BUF_INIT;
	git_commit *c = NULL;
	char now[41] = "";
	int rc;

	rc = adr__resolve_commit(&c, ix->repo, NULL);
	if (rc == 0)
		git_oid_tostr(now, sizeof(now), git_commit_id(c));
	else if (rc != ADR_ENOTFOUND)
		goto cleanup;
	git_commit_free(c);
	adr_error_clear();
	if ((rc = get_meta(&tip, ix->db, "tip")) < 0)
		goto cleanup;
	snprintf(stats->tip, sizeof(stats->tip), "%s", tip.ptr);
	if (strcmp(tip.ptr, now) == 0) {
		adr_buf count = ADR_BUF_INIT;
		if (get_meta(&count, ix->db, "count") == 0)
			stats->records = strtoul(count.ptr, NULL, 10);
		adr_buf_dispose(&count);
		if (get_meta(&count, ix->db, "shallow") == 0)
			snprintf(stats->shallow_boundary, sizeof(stats->shallow_boundary), "%s", count.ptr);
		adr_buf_dispose(&count);
		adr_error_clear();
		rc = 0;
		goto cleanup;
	}
	/* Take the write lock, then look again: another process may have
	 * brought the index up to date while we waited. */
	if ((rc = exec(ix->db, "BEGIN IMMEDIATE")) < 0)
		goto cleanup;
	if ((rc = get_meta(&tip, ix->db, "tip")) < 0) {
		sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
		goto cleanup;
	}
	if (strcmp(tip.ptr, now) == 0) {
		rc = exec(ix->db, "COMMIT");
		goto cleanup;
	}
	rc = update_db(ix->db, ix->repo, tip.ptr[0] ? tip.ptr : NULL, stats);
	if (rc < 0) {
		sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
		goto cleanup;
	}
	if ((rc = exec(ix->db, "COMMIT")) < 0)
		goto cleanup;
cleanup:
	adr_buf_dispose(&tip);
	return rc;
}

int adr_index_open(adr_index **out, adr_repo *repo, unsigned flags, adr_index_stats *stats)
{
	adr_index *ix = NULL;
	adr_index_stats local;
	adr_buf p = ADR_BUF_INIT;
	int rc;

	*out = NULL;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (!(ix = calloc(1, sizeof(*ix))))
		return adr__error(ADR_ENOMEM, "out of memory");
	ix->repo = repo;
	ix->flags = flags;
	adr_buf_printf(&p, "%sadr", adr_repo_commondir(repo));
	ix->dir = adr_buf_detach(&p);
	adr_buf_printf(&p, "%s/index.db", ix->dir);
	ix->path = adr_buf_detach(&p);
	if ((flags & ADR_INDEX_IF_EXISTS) && access(ix->path, F_OK) < 0) {
		rc = adr__error(ADR_ENOTFOUND, "no index yet (run adr index)");
		goto cleanup;
	}
	/* When this fails, opening the database below says why. */
	(void)mkdir(ix->dir, 0777);
	if (flags & ADR_INDEX_REBUILD) {
		snprintf(stats->reason, sizeof(stats->reason), "rebuild asked for");
	} else {
		check_db(ix, stats->reason, sizeof(stats->reason), (flags & ADR_INDEX_CHECK) != 0);
	}
	if (ix->db) {
		rc = update(ix, stats);
		if (rc == ADR_EINVALID || rc == ADR_ENOTFOUND || rc == ADR_ERROR) {
			/* corrupt, or history rewritten under us: start over */
			snprintf(stats->reason, sizeof(stats->reason), "%s",
				 rc == ADR_ENOTFOUND ? "indexed commit is gone" : "index is corrupt");
			adr_error_clear();
			close_db(ix);
		} else if (rc < 0) {
			goto cleanup;
		}
	}
	if (!ix->db && (rc = build(ix, stats)) < 0)
		goto cleanup;
	if ((rc = note_skipped(ix)) < 0)
		goto cleanup;
	*out = ix;
	ix = NULL;
	rc = 0;
cleanup:
	adr_index_free(ix);
	return rc;
}

void adr_index_free(adr_index *ix)
{
	if (!ix)
		return;
	close_db(ix);
	adr_strlist_clear(&ix->warnings);
	free(ix->path);
	free(ix->dir);
	free(ix);
}

const char *adr_index_path(const adr_index *ix)
{
	return ix->path;
}

const adr_strlist *adr_index_warnings(const adr_index *ix)
{
	return &ix->warnings;
}

/* --- search ------------------------------------------------------------- */

/* Each whitespace-separated word becomes an FTS5 string ("..." with " doubled),
 * all ANDed. Words without a letter or digit are dropped (and added to
 * `ignored` when it is not NULL, so the user hears about it). The strings are
 * joined by a space (FTS5's implicit AND), not by " AND ": a string that holds
 * no token (an emoji, a dash) is then ignored, where under an explicit AND it
 * would match nothing and hide every result (found by tests/fuzz/fuzz_query.c). */
static int fts_query(adr_buf *out, adr_strlist *ignored, const char *q)
{
	const char *p = q ? q : "";
	adr_buf_clear(out);
	while (*p) {
		const char *s;
		bool word = false;
		while (*p && isspace((unsigned char)*p))
			p++;
		s = p;
		while (*p && !isspace((unsigned char)*p)) {
			if (isalnum((unsigned char)*p) || (unsigned char)*p >= 0x80)
				word = true;
			p++;
		}
		if (!word) {
			if (ignored && p > s && adr_strlist_addn(ignored, s, (size_t)(p - s)) < 0)
				return adr__error(ADR_ENOMEM, "out of memory");
			continue;
		}
		if (out->size)
			adr_buf_putc(out, ' ');
		adr_buf_putc(out, '"');
		for (const char *c = s; c < p; c++) {
			if (*c == '"')
				adr_buf_putc(out, '"');
			adr_buf_putc(out, *c);
		}
		adr_buf_putc(out, '"');
	}
	return adr_buf_oom(out) ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

/* For tests/fuzz/fuzz_query.c (see index_internal.h). */
int adr__index_fts_query(adr_buf *out, const char *q)
{
	return fts_query(out, NULL, q);
}

const char *adr__index_schema_sql(void)
{
	return schema_sql;
}

static void clear_hits(adr_search_result *res)
{
	for (size_t i = 0; i < res->count; i++) {
		adr_search_hit *h = &res->items[i];
		free(h->path);
		free(h->title);
		free(h->status);
		free(h->date);
		free(h->snippet);
	}
	free(res->items);
	res->items = NULL;
	res->count = 0;
}

void adr_search_result_clear(adr_search_result *res)
{
	clear_hits(res);
	adr_strlist_clear(&res->ignored);
}

static int search_once(adr_search_result *out, adr_index *ix, const adr_search_opts *o, const char *match)
{
	sqlite3_stmt *st = NULL;
	adr_buf tag = ADR_BUF_INIT;
	size_t alloc = 0;
	int rc;

	rc = prepare(&st, ix->db,
		     "SELECT r.number, r.path, r.title, r.status, r.date,"
		     " snippet(fts, -1, ?1, ?2, '...', 16), bm25(fts, 10.0, 1.0, 4.0, 2.0) AS score"
		     " FROM fts JOIN rec r ON r.id = fts.rowid"
		     " WHERE fts MATCH ?3"
		     " AND (?4 IS NULL OR r.status = ?4)"
		     " AND (?5 IS NULL OR instr(r.tagkey, ?5) > 0)"
		     " AND (?6 IS NULL OR r.mode = ?6)"
		     " AND (?7 IS NULL OR r.date >= ?7)"
		     " AND (?8 IS NULL OR r.date <= ?8)"
		     " ORDER BY score, r.number LIMIT ?9");
	if (rc < 0)
		goto cleanup;
	sqlite3_bind_text(st, 1, o->mark_open ? o->mark_open : "[", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->mark_close ? o->mark_close : "]", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, match, -1, SQLITE_STATIC);
	bind_opt(st, 4, o->status ? adr_status_name(o->status) : NULL);
	if (o->tag) {
		adr_buf_putc(&tag, '\n');
		for (const char *p = o->tag; *p; p++)
			adr_buf_putc(&tag, (char)tolower((unsigned char)*p));
		adr_buf_putc(&tag, '\n');
		sqlite3_bind_text(st, 5, tag.ptr, (int)tag.size, SQLITE_STATIC);
	}
	bind_opt(st, 6, o->mode ? adr_mode_name(o->mode) : NULL);
	bind_opt(st, 7, o->since);
	bind_opt(st, 8, o->until);
	sqlite3_bind_int(st, 9, o->limit > 0 ? o->limit : 20);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		adr_search_hit *h;
		if (out->count == alloc) {
			size_t na = alloc ? alloc * 2 : 16;
			adr_search_hit *p = realloc(out->items, na * sizeof(*p));
			if (!p) {
				rc = adr__error(ADR_ENOMEM, "out of memory");
				goto cleanup;
			}
			out->items = p;
			alloc = na;
		}
		h = &out->items[out->count++];
		memset(h, 0, sizeof(*h));
		h->number = sqlite3_column_int(st, 0);
		h->path = dup_col(st, 1);
		h->title = dup_col(st, 2);
		h->status = dup_col(st, 3);
		h->date = dup_col(st, 4);
		h->snippet = dup_col(st, 5);
		h->score = sqlite3_column_double(st, 6);
		if (!h->path || !h->title || !h->status || !h->date || !h->snippet) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : sql_error(ix->db, rc, "search");
cleanup:
	sqlite3_finalize(st);
	adr_buf_dispose(&tag);
	return rc;
}

int adr_index_search(adr_search_result *out, adr_index *ix, const adr_search_opts *o)
{
	adr_buf match = ADR_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = fts_query(&match, &out->ignored, o->query)) < 0)
		goto cleanup;
	if (match.size == 0) {
		if (out->ignored.count)
			rc = adr__error(ADR_EUSAGE, "nothing to search for: '%s' %s no letter or digit",
					out->ignored.items[0], out->ignored.count > 1 ? "and the other words have" : "has");
		goto cleanup;
	}
	rc = search_once(out, ix, o, match.ptr);
	if (rc == ADR_EINVALID) {
		/* corruption found while reading: rebuild and ask again */
		adr_index_stats st;
		memset(&st, 0, sizeof(st));
		clear_hits(out);
		adr_error_clear();
		if ((rc = build(ix, &st)) == 0)
			rc = search_once(out, ix, o, match.ptr);
	}
cleanup:
	if (rc < 0)
		adr_search_result_clear(out);
	adr_buf_dispose(&match);
	return rc;
}

/* --- facts ------------------------------------------------------------- */

void adr_index_facts_clear(adr_index_facts *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].path);
		free(f->items[i].title);
		free(f->items[i].tagkey);
		free(f->items[i].error);
		adr_strlist_clear(&f->items[i].warnings);
	}
	free(f->items);
	f->items = NULL;
	f->count = 0;
}

static int facts_once(adr_index_facts *out, adr_index *ix)
{
	sqlite3_stmt *st = NULL;
	size_t alloc = 0;
	int rc;

	rc = prepare(&st, ix->db,
		     "SELECT r.number, r.path, r.title, r.status, r.mode, r.urgency, r.complexity, r.date,"
		     " r.review_by, h.created_time, h.proposed_time, h.decided_time, h.revisions, h.comments,"
		     " h.commits, r.tagkey, r.error, r.warnings"
		     " FROM rec r LEFT JOIN hist h ON h.path = r.path ORDER BY r.number, r.path");
	if (rc < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		adr_index_fact *f;
		const char *commits;
		if (out->count == alloc) {
			size_t na = alloc ? alloc * 2 : 64;
			adr_index_fact *p = realloc(out->items, na * sizeof(*p));
			if (!p) {
				rc = adr__error(ADR_ENOMEM, "out of memory");
				goto cleanup;
			}
			out->items = p;
			alloc = na;
		}
		f = &out->items[out->count++];
		memset(f, 0, sizeof(*f));
		f->number = sqlite3_column_int(st, 0);
		f->path = dup_col(st, 1);
		f->title = dup_col(st, 2);
		snprintf(f->status, sizeof(f->status), "%s", col_text(st, 3));
		snprintf(f->mode, sizeof(f->mode), "%s", col_text(st, 4));
		snprintf(f->urgency, sizeof(f->urgency), "%s", col_text(st, 5));
		snprintf(f->complexity, sizeof(f->complexity), "%s", col_text(st, 6));
		snprintf(f->date, sizeof(f->date), "%s", col_text(st, 7));
		snprintf(f->review_by, sizeof(f->review_by), "%s", col_text(st, 8));
		f->created_time = sqlite3_column_int64(st, 9);
		f->proposed_time = sqlite3_column_int64(st, 10);
		f->decided_time = sqlite3_column_int64(st, 11);
		f->revisions = sqlite3_column_int(st, 12);
		f->comments = sqlite3_column_int(st, 13);
		commits = col_text(st, 14);
		f->commits = *commits ? 1 : 0;
		for (const char *c = commits; *c; c++)
			f->commits += *c == ' ';
		f->tagkey = dup_col(st, 15);
		if (sqlite3_column_type(st, 16) != SQLITE_NULL)
			f->error = dup_col(st, 16);
		if (sqlite3_column_type(st, 17) != SQLITE_NULL && split_list(&f->warnings, col_text(st, 17), '\n') < 0) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
		if (!f->path || !f->title || !f->tagkey) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : sql_error(ix->db, rc, "read facts");
cleanup:
	sqlite3_finalize(st);
	return rc;
}

int adr_index_get_facts(adr_index_facts *out, adr_index *ix)
{
	int rc;
	out->items = NULL;
	out->count = 0;
	rc = facts_once(out, ix);
	if (rc == ADR_EINVALID) {
		adr_index_stats st;
		memset(&st, 0, sizeof(st));
		adr_index_facts_clear(out);
		adr_error_clear();
		if ((rc = build(ix, &st)) == 0)
			rc = facts_once(out, ix);
	}
	if (rc < 0)
		adr_index_facts_clear(out);
	return rc;
}
