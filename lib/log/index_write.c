/*
 * log/index_write.c: bringing the index's tables in line with the decision
 * branch: the history facts of a walk (adr/history.h) into `hist`, and a
 * row per record file into `rec` and the FTS5 table, re-parsing only the
 * records whose blobs changed since the indexed commit.
 */
#include "git/repo_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "adr/history.h"
#include "log/index_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "git/history_internal.h"
#include "record/legacy.h"

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
	if ((rc = adr__index_prepare(&w->load_hist, db, "SELECT blob, deleted, before_boundary, created_commit, created_time,"
					    " created_author, changed_commit, changed_time, changed_author, authors,"
					    " commits, proposed_time, decided_time, revisions, comments, decision_merge,"
					    " first_response_time, ended_time FROM hist WHERE path = ?")) < 0 ||
	    (rc = adr__index_prepare(&w->put_hist, db, "INSERT OR REPLACE INTO hist VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) < 0 ||
	    (rc = adr__index_prepare(&w->del_hist, db, "DELETE FROM hist WHERE path = ?")) < 0 ||
	    (rc = adr__index_prepare(&w->get_rec, db, "SELECT id, blob FROM rec WHERE path = ?")) < 0 ||
	    (rc = adr__index_prepare(&w->put_rec, db, "INSERT OR REPLACE INTO rec(id, path, blob, number, title, status, date,"
					   " mode, urgency, complexity, review_by, revisit, tagkey, tags, makers,"
					   " visibility, supersedes, superseded_by, body, error, warnings)"
					   " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) < 0 ||
	    (rc = adr__index_prepare(&w->del_rec, db, "DELETE FROM rec WHERE id = ?")) < 0 ||
	    (rc = adr__index_prepare(&w->put_fts, db, "INSERT INTO fts(rowid, title, body, tags, makers) VALUES(?,?,?,?,?)")) < 0 ||
	    (rc = adr__index_prepare(&w->del_fts, db, "INSERT INTO fts(fts, rowid, title, body, tags, makers)"
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
		return adr__index_sql_error(w->db, rc, "read history");
	if ((rc = adr_history_entry_new(&e, path)) < 0)
		return rc;
	snprintf(e->blob, sizeof(e->blob), "%s", adr__index_col_text(st, 0));
	e->deleted = sqlite3_column_int(st, 1);
	e->before_boundary = sqlite3_column_int(st, 2);
	snprintf(e->created_commit, sizeof(e->created_commit), "%s", adr__index_col_text(st, 3));
	e->created_time = sqlite3_column_int64(st, 4);
	if (sqlite3_column_type(st, 5) != SQLITE_NULL)
		e->created_author = adr__index_dup_col(st, 5);
	snprintf(e->changed_commit, sizeof(e->changed_commit), "%s", adr__index_col_text(st, 6));
	e->changed_time = sqlite3_column_int64(st, 7);
	if (sqlite3_column_type(st, 8) != SQLITE_NULL)
		e->changed_author = adr__index_dup_col(st, 8);
	rc = adr__index_split_list(&e->authors, adr__index_col_text(st, 9), '\n');
	if (rc == 0)
		rc = adr__index_split_list(&e->commits, adr__index_col_text(st, 10), ' ');
	e->proposed_time = sqlite3_column_int64(st, 11);
	e->decided_time = sqlite3_column_int64(st, 12);
	e->revisions = sqlite3_column_int(st, 13);
	e->comments = sqlite3_column_int(st, 14);
	snprintf(e->decision_merge, sizeof(e->decision_merge), "%s", adr__index_col_text(st, 15));
	e->first_response_time = sqlite3_column_int64(st, 16);
	e->ended_time = sqlite3_column_int64(st, 17);
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
		return rc == SQLITE_DONE ? 0 : adr__index_sql_error(w->db, rc, "delete history");
	}
	adr__index_join_list(tmp1, &e->authors, '\n');
	adr__index_join_list(tmp2, &e->commits, ' ');
	if (adr_buf_oom(tmp1) || adr_buf_oom(tmp2))
		return ADR_ENOMEM;
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
	sqlite3_bind_int64(st, 18, e->first_response_time);
	sqlite3_bind_int64(st, 19, e->ended_time);
	rc = sqlite3_step(st);
	return rc == SQLITE_DONE ? 0 : adr__index_sql_error(w->db, rc, "write history");
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
		return adr__index_sql_error(w->db, rc, "delete from fts");
	sqlite3_reset(w->del_rec);
	sqlite3_bind_int64(w->del_rec, 1, id);
	if ((rc = sqlite3_step(w->del_rec)) != SQLITE_DONE)
		return adr__index_sql_error(w->db, rc, "delete record");
	return 0;
}

/* The tag key: each tag in lower case between newlines ("\ndb\nsql\n"), so
 * a search for one tag is a substring test (see search_once()). */
static void tag_key(adr_buf *out, const adr_strlist *tags)
{
	adr_buf_putc(out, '\n');
	for (size_t i = 0; i < tags->count; i++) {
		for (const char *p = tags->items[i]; *p; p++)
			adr_buf_putc(out, (char)tolower((unsigned char)*p));
		adr_buf_putc(out, '\n');
	}
}

/* Binds the fields of the parsed record `r` to the row statement `st`;
 * the texts are kept in `tagkey`, `tags`, `makers` and `tmp` until it runs. */
static void bind_record(sqlite3_stmt *st, const adr_record *r, adr_buf *tagkey, adr_buf *tags, adr_buf *makers,
			adr_buf *tmp)
{
	sqlite3_bind_int(st, 4, r->number);
	sqlite3_bind_text(st, 5, r->title, -1, SQLITE_STATIC);
	adr__index_bind_opt(st, 6, r->status ? adr_status_name(r->status) : r->status_word);
	adr__index_bind_opt(st, 7, r->date);
	adr__index_bind_opt(st, 8, r->mode ? adr_mode_name(r->mode) : NULL);
	adr__index_bind_opt(st, 9, r->urgency ? adr_level_name(r->urgency) : NULL);
	adr__index_bind_opt(st, 10, r->complexity ? adr_level_name(r->complexity) : NULL);
	adr__index_bind_opt(st, 11, r->review_by);
	adr__index_bind_opt(st, 12, r->revisit);
	tag_key(tagkey, &r->tags);
	adr__index_join_list(tags, &r->tags, ' ');
	adr__index_join_list(makers, &r->decision_makers, '\n');
	sqlite3_bind_text(st, 13, tagkey->ptr, (int)tagkey->size, SQLITE_STATIC);
	sqlite3_bind_text(st, 14, tags->ptr, (int)tags->size, SQLITE_STATIC);
	sqlite3_bind_text(st, 15, makers->ptr, (int)makers->size, SQLITE_STATIC);
	adr__index_bind_opt(st, 16, r->visibility ? adr_visibility_name(r->visibility) : NULL);
	intlist_text(tmp, &r->supersedes);
	adr__index_bind_opt(st, 17, tmp->ptr);
	intlist_text(tmp, &r->superseded_by);
	adr__index_bind_opt(st, 18, tmp->ptr);
	sqlite3_bind_text(st, 19, r->body, -1, SQLITE_STATIC);
	if (r->warnings.count) {
		adr__index_join_list(tmp, &r->warnings, '\n');
		sqlite3_bind_text(st, 21, tmp->ptr, (int)tmp->size, SQLITE_TRANSIENT);
	}
}

/* Adds row `id` of the FTS table for a record row just written. */
static int put_fts(writer *w, long long id, const adr_record *r, const adr_buf *tags, const adr_buf *makers)
{
	sqlite3_stmt *st = w->put_fts;
	int rc;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, r ? r->title : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, r ? r->body : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, tags->ptr, (int)tags->size, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, makers->ptr, (int)makers->size, SQLITE_STATIC);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		return adr__index_sql_error(w->db, rc, "write fts");
	return 0;
}

/* Parses the blob of `path` and writes its row (replacing row `id` when > 0).
 * A record that does not parse gets a row too, with its number from the
 * file name and the parser's message in `error`. */
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
	/* as adr_repo_records reads it: older formats keep status, date and links in the body */
	if (rc == 0 && (rc = adr__legacy_apply(r)) < 0)
		goto cleanup;
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
		bind_record(st, r, &a, &b, &c, &d);
	} else {
		sqlite3_bind_int(st, 4, number);
		sqlite3_bind_text(st, 5, "", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 13, "\n", -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 20, err, -1, SQLITE_TRANSIENT);
	}
	if (adr_buf_oom(&a) || adr_buf_oom(&b) || adr_buf_oom(&c) || adr_buf_oom(&d)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = sqlite3_step(st)) != SQLITE_DONE) {
		rc = adr__index_sql_error(w->db, rc, "write record");
		goto cleanup;
	}
	id = sqlite3_last_insert_rowid(w->db);
	if (!w->bulk && (rc = put_fts(w, id, r, &b, &c)) < 0)
		goto cleanup;
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

/* The rows of date-named records (log4brains) get the numbers adr import
 * would give them, after the highest number of the others (record/filename.c). */
static int number_dated_rows(writer *w)
{
	sqlite3_stmt *sel = NULL, *upd = NULL;
	char **names = NULL;
	long long *ids = NULL;
	int *numbers = NULL, max = 0, rc;
	size_t n = 0, alloc_n = 0, alloc_i = 0;

	if ((rc = adr__index_prepare(&sel, w->db, "SELECT id, path, number FROM rec")) < 0)
		goto cleanup;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		const char *path = adr__index_col_text(sel, 1);
		if (!adr_record_date_named(path)) {
			if (sqlite3_column_int(sel, 2) > max)
				max = sqlite3_column_int(sel, 2);
			continue;
		}
		if (ADR_ARRAY_GROW(names, alloc_n, n + 1) < 0 || ADR_ARRAY_GROW(ids, alloc_i, n + 1) < 0 ||
		    !(names[n] = adr__strdup(path))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		ids[n++] = sqlite3_column_int64(sel, 0);
	}
	if (rc != SQLITE_DONE) {
		rc = adr__index_sql_error(w->db, rc, "read record numbers");
		goto cleanup;
	}
	rc = 0;
	if (!n)
		goto cleanup;
	if (!(numbers = adr__calloc(n, sizeof(*numbers)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = adr_record_number_dated(numbers, (const char *const *)names, n, max)) < 0 ||
	    (rc = adr__index_prepare(&upd, w->db, "UPDATE rec SET number = ? WHERE id = ?")) < 0)
		goto cleanup;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(upd);
		sqlite3_bind_int(upd, 1, numbers[i]);
		sqlite3_bind_int64(upd, 2, ids[i]);
		if ((rc = sqlite3_step(upd)) != SQLITE_DONE) {
			rc = adr__index_sql_error(w->db, rc, "number records named by date");
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	sqlite3_finalize(sel);
	sqlite3_finalize(upd);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(ids);
	free(numbers);
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

		adr__repo_progress(repo, "records", i + 1, ch.count);
		if (adr_record_parse_filename(&number, NULL, slash ? slash + 1 : c->path) < 0 &&
		    !adr_record_date_named(c->path)) {
			adr_error_clear();
			continue; /* not a record */
		}
		adr_error_clear();
		sqlite3_reset(w->get_rec);
		sqlite3_bind_text(w->get_rec, 1, c->path, -1, SQLITE_STATIC);
		rc = sqlite3_step(w->get_rec);
		if (rc == SQLITE_ROW)
			rid = sqlite3_column_int64(w->get_rec, 0);
		else if (rc != SQLITE_DONE) {
			rc = adr__index_sql_error(w->db, rc, "read record");
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
	if ((rc = number_dated_rows(w)) < 0)
		goto cleanup;
	if ((rc = adr__index_prepare(&cnt, w->db, "SELECT count(*) FROM rec")) < 0)
		goto cleanup;
	if ((rc = sqlite3_step(cnt)) != SQLITE_ROW) {
		rc = adr__index_sql_error(w->db, rc, "count records");
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
int adr__index_write(sqlite3 *db, adr_repo *repo, const char *since, adr_index_stats *stats)
{
	writer w;
	adr_history *h = NULL;
	adr__windows windows;
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
	/* the record blobs lie all over the pack: small windows, as in the walk */
	adr__walk_windows(&windows);
	rc = sync_records(&w, repo, since, adr_history_tip(h), &stats->records);
	adr__walk_windows_end(&windows);
	if (rc < 0)
		goto cleanup;
	if (w.bulk && (rc = adr__index_exec(db, "INSERT INTO fts(fts) VALUES('rebuild')")) < 0)
		goto cleanup;
	snprintf(num, sizeof(num), "%lu", stats->records);
	if ((rc = adr__index_set_meta(db, "tip", adr_history_tip(h))) < 0 || (rc = adr__index_set_meta(db, "count", num)) < 0 ||
	    (rc = adr__index_set_meta(db, "branch", adr_repo_branch(repo))) < 0 ||
	    (rc = adr__index_set_meta(db, "dir", adr_repo_records_dir(repo))) < 0)
		goto cleanup;
	if (adr_history_shallow_boundary(h)) {
		snprintf(stats->shallow_boundary, sizeof(stats->shallow_boundary), "%s", adr_history_shallow_boundary(h));
		if ((rc = adr__index_set_meta(db, "shallow", stats->shallow_boundary)) < 0)
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
