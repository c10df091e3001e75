/*
 * log/index.c: the search index's file (adr/index.h): SQLite + FTS5 in
 * <commondir>/adr/index.db. Opening it, checking that it is usable,
 * bringing it up to date, and rebuilding it into a temporary file that is
 * renamed into place (or in memory when its directory cannot be written).
 * Writing the rows is log/index_write.c, reading them log/index_query.c,
 * and SQLite's errors log/index_sql.c; only these four files include
 * <sqlite3.h>.
 */
#include "git/repo_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adr/index.h"
#include "util/alloc.h"
#include "util/error.h"
#include "git/reccache.h"
#include "log/index_internal.h"

/* 7: English stemming (porter over unicode61). 8: the first response and
 * the end of a decision in the history. An index of an older schema is
 * rebuilt when opened. */
#define SCHEMA_VERSION 9 /* 9: legacy metadata read into the rows */

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
	" revisions INTEGER, comments INTEGER, decision_merge TEXT, first_response_time INTEGER,"
	" ended_time INTEGER) WITHOUT ROWID;"
	"CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, makers, content='rec', content_rowid='id',"
	" tokenize='porter unicode61');";

const char *adr__index_schema_sql(void)
{
	return schema_sql;
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
	static const char *const suffixes[] = { "-wal", "-shm", "-journal" };
	char buf[4096];
	unlink(path);
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		/* A truncated name would unlink some other file: skip it. */
		int n = snprintf(buf, sizeof(buf), "%s%s", path, suffixes[i]);
		if (n > 0 && (size_t)n < sizeof(buf))
			unlink(buf);
	}
}

static int open_db(sqlite3 **out, const char *path, bool create)
{
	int rc = sqlite3_open_v2(path, out, SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
						    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		adr_buf what = ADR_BUF_INIT;
		adr_buf_printf(&what, "cannot open '%s'", path);
		rc = adr__index_sql_error(*out, rc, adr_buf_oom(&what) ? "open" : what.ptr);
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

/* The one number a PRAGMA or a count returns; -1 when it cannot be read. */
static int query_int(long long *out, sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = adr__index_prepare(&st, db, sql);
	if (rc == 0 && sqlite3_step(st) != SQLITE_ROW)
		rc = -1;
	if (rc == 0)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc < 0 ? -1 : 0;
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
	long long pages = 0, pagesize = 0, version = -1, rows = 0;
	int src;
	bool ok = false;

	why[0] = '\0';
	if (stat(ix->path, &sb) < 0) {
		snprintf(why, whysize, "no index yet");
		return 0;
	}
	if (open_db(&ix->db, ix->path, false) < 0)
		goto bad;
	if (query_int(&version, ix->db, "PRAGMA user_version") < 0)
		goto bad;
	if (version != SCHEMA_VERSION) {
		snprintf(why, whysize, "index schema %lld, want %d", version, SCHEMA_VERSION);
		goto out;
	}
	if (query_int(&pages, ix->db, "PRAGMA page_count") < 0 ||
	    query_int(&pagesize, ix->db, "PRAGMA page_size") < 0)
		goto bad;
	snprintf(walpath, sizeof(walpath), "%s-wal", ix->path);
	if ((stat(walpath, &wal) < 0 || wal.st_size == 0) && (long long)sb.st_size < pages * pagesize)
		goto bad;
	if (adr__index_get_meta(&val, ix->db, "branch") < 0 || strcmp(val.ptr, adr_repo_branch(ix->repo)) != 0) {
		snprintf(why, whysize, "index built for another branch");
		goto out;
	}
	if (adr__index_get_meta(&val, ix->db, "dir") < 0 || strcmp(val.ptr, adr_repo_records_dir(ix->repo)) != 0) {
		snprintf(why, whysize, "index built for another records directory");
		goto out;
	}
	if (adr__index_get_meta(&val, ix->db, "complete") < 0 || strcmp(val.ptr, "1") != 0)
		goto bad;
	/* the record count stored with the commit must match the rows */
	if (adr__index_get_meta(&val, ix->db, "count") < 0 || query_int(&rows, ix->db, "SELECT count(*) FROM rec") < 0 ||
	    rows != strtoll(val.ptr, NULL, 10))
		goto bad;
	if (adr__index_get_meta(&val, ix->db, "shallow") == 0 && val.size && !still_shallow(ix, val.ptr)) {
		snprintf(why, whysize, "shallow clone deepened");
		goto out;
	}
	if (full) {
		if (adr__index_prepare(&st, ix->db, "PRAGMA quick_check") < 0 || (src = sqlite3_step(st)) != SQLITE_ROW ||
		    strcmp(adr__index_col_text(st, 0), "ok") != 0)
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
	if ((rc = adr__index_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")) < 0 ||
	    (rc = adr__index_exec(db, "BEGIN")) < 0 || (rc = adr__index_exec(db, schema_sql)) < 0)
		goto cleanup;
	if ((rc = adr__index_write(db, ix->repo, NULL, stats)) < 0)
		goto cleanup;
	{
		char pragma[64];
		snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d", SCHEMA_VERSION);
		if ((rc = adr__index_exec(db, pragma)) < 0 || (rc = adr__index_set_meta(db, "complete", "1")) < 0 ||
		    (rc = adr__index_exec(db, "COMMIT")) < 0 || (rc = adr__index_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)")) < 0)
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
	if ((rc = adr__index_exec(db, "BEGIN")) < 0 || (rc = adr__index_exec(db, schema_sql)) < 0 ||
	    (rc = adr__index_write(db, ix->repo, NULL, stats)) < 0 || (rc = adr__index_exec(db, "COMMIT")) < 0) {
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
	adr_strlist folders = ADR_STRLIST_INIT;
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
		/* a record kept as a folder (<slug>/index.md): the index has
		 * no row for it until 'adr import' converts it */
		if (mode == GIT_FILEMODE_TREE &&
		    (rc = adr__records_folder(&msg, NULL, ix->repo, name, git_tree_entry_id(e))) == 1)
			rc = adr_strlist_add(&folders, msg.ptr);
		if (rc < 0 || mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE || !adr__is_markdown(name) ||
		    adr_record_parse_filename(&number, NULL, name) < 0)
			continue;
		adr_buf_clear(&msg);
		adr_buf_printf(&msg, "%s/%s: not a regular file (mode %06o); skipped", adr_repo_records_dir(ix->repo),
			       name, (unsigned)mode);
		if (adr_buf_oom(&msg) || adr_strlist_add(&ix->warnings, msg.ptr) < 0)
			rc = ADR_ENOMEM;
	}
	ix->folders = folders.count;
	if (rc >= 0 && folders.count &&
	    (adr_folders_warning(&msg, &folders) < 0 || adr_strlist_add(&ix->warnings, msg.ptr) < 0))
		rc = ADR_ENOMEM;
cleanup:
	if (rc >= 0) {
		rc = 0;
		adr_error_clear();
		git_error_clear();
	}
	adr_buf_dispose(&msg);
	adr_strlist_dispose(&folders);
	git_tree_free(dir);
	git_tree_entry_free(dirent);
	git_tree_free(root);
	git_commit_free(c);
	return rc;
}

/* rebuild(), or, when the index directory cannot be written, the index in
 * memory with a warning naming the path and the reason. */
int adr__index_build(adr_index *ix, adr_index_stats *stats)
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
			rc = ADR_ENOMEM;
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
	if ((rc = adr__index_get_meta(&tip, ix->db, "tip")) < 0)
		goto cleanup;
	snprintf(stats->tip, sizeof(stats->tip), "%s", tip.ptr);
	if (strcmp(tip.ptr, now) == 0) {
		adr_buf count = ADR_BUF_INIT;
		if (adr__index_get_meta(&count, ix->db, "count") == 0)
			stats->records = strtoul(count.ptr, NULL, 10);
		adr_buf_dispose(&count);
		if (adr__index_get_meta(&count, ix->db, "shallow") == 0)
			snprintf(stats->shallow_boundary, sizeof(stats->shallow_boundary), "%s", count.ptr);
		adr_buf_dispose(&count);
		adr_error_clear();
		rc = 0;
		goto cleanup;
	}
	/* Take the write lock, then look again: another process may have
	 * brought the index up to date while we waited. */
	if ((rc = adr__index_exec(ix->db, "BEGIN IMMEDIATE")) < 0)
		goto cleanup;
	if ((rc = adr__index_get_meta(&tip, ix->db, "tip")) < 0) {
		sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
		goto cleanup;
	}
	if (strcmp(tip.ptr, now) == 0) {
		rc = adr__index_exec(ix->db, "COMMIT");
		goto cleanup;
	}
	rc = adr__index_write(ix->db, ix->repo, tip.ptr[0] ? tip.ptr : NULL, stats);
	if (rc < 0) {
		sqlite3_exec(ix->db, "ROLLBACK", NULL, NULL, NULL);
		goto cleanup;
	}
	if ((rc = adr__index_exec(ix->db, "COMMIT")) < 0)
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
	ix = adr__calloc(1, sizeof(*ix));
	ADR_ALLOC_CHECK(ix);
	ix->repo = repo;
	ix->flags = flags;
	adr_buf_printf(&p, "%sadr", adr_repo_commondir(repo));
	ix->dir = adr_buf_detach(&p);
	adr_buf_printf(&p, "%s/index.db", ix->dir);
	ix->path = adr_buf_detach(&p);
	if ((flags & ADR_INDEX_IF_EXISTS) && access(ix->path, F_OK) < 0) {
		rc = adr__hint(ADR_HINT_INDEX, adr__error(ADR_ENOTFOUND, "no index yet"));
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
	if (!ix->db && (rc = adr__index_build(ix, stats)) < 0)
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
	adr_strlist_dispose(&ix->warnings);
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

size_t adr_index_folder_records(const adr_index *ix)
{
	return ix->folders;
}
