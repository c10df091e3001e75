/*
 * log/index_query.c: reading the index: full-text search (the user's words
 * quoted into an FTS5 query) and the per-record facts that adr stats
 * computes its metrics from. A read that finds the index corrupt rebuilds
 * it and asks again.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "adr/index.h"
#include "log/index_internal.h"
#include "util/alloc.h"
#include "util/error.h"

/* --- search ------------------------------------------------------------- */

/* Each whitespace-separated word becomes an FTS5 string ("..." with " doubled),
 * all ANDed; a word that ends in a letter or digit is a prefix query ("..."*),
 * so "postgres" finds PostgreSQL (the porter tokenizer stems both the text
 * and the query: "caching" finds "cache"). Words without a letter or digit are dropped (and added to
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
				return ADR_ENOMEM;
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
		if (isalnum((unsigned char)p[-1]) || (unsigned char)p[-1] >= 0x80)
			adr_buf_putc(out, '*');
	}
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* For tests/fuzz/fuzz_query.c (see index_internal.h). */
int adr__index_fts_query(adr_buf *out, const char *q)
{
	return fts_query(out, NULL, q);
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

void adr_search_result_dispose(adr_search_result *res)
{
	clear_hits(res);
	adr_strlist_dispose(&res->ignored);
}

static int search_once(adr_search_result *out, adr_index *ix, const adr_search_opts *o, const char *match)
{
	sqlite3_stmt *st = NULL;
	adr_buf tag = ADR_BUF_INIT;
	size_t alloc = 0;
	int rc;

	rc = adr__index_prepare(&st, ix->db,
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
	adr__index_bind_opt(st, 4, o->status ? adr_status_name(o->status) : NULL);
	if (o->tag) {
		adr_buf_putc(&tag, '\n');
		for (const char *p = o->tag; *p; p++)
			adr_buf_putc(&tag, (char)tolower((unsigned char)*p));
		adr_buf_putc(&tag, '\n');
		sqlite3_bind_text(st, 5, tag.ptr, (int)tag.size, SQLITE_STATIC);
	}
	adr__index_bind_opt(st, 6, o->mode ? adr_mode_name(o->mode) : NULL);
	adr__index_bind_opt(st, 7, o->since);
	adr__index_bind_opt(st, 8, o->until);
	sqlite3_bind_int(st, 9, o->limit > 0 ? o->limit : 20);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		adr_search_hit *h;
		if ((rc = ADR_ARRAY_GROW(out->items, alloc, out->count + 1)) < 0)
			goto cleanup;
		h = &out->items[out->count++];
		memset(h, 0, sizeof(*h));
		h->number = sqlite3_column_int(st, 0);
		h->path = adr__index_dup_col(st, 1);
		h->title = adr__index_dup_col(st, 2);
		h->status = adr__index_dup_col(st, 3);
		h->date = adr__index_dup_col(st, 4);
		h->snippet = adr__index_dup_col(st, 5);
		h->score = sqlite3_column_double(st, 6);
		if (!h->path || !h->title || !h->status || !h->date || !h->snippet) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : adr__index_sql_error(ix->db, rc, "search");
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
		if ((rc = adr__index_build(ix, &st)) == 0)
			rc = search_once(out, ix, o, match.ptr);
	}
cleanup:
	if (rc < 0)
		adr_search_result_dispose(out);
	adr_buf_dispose(&match);
	return rc;
}

/* --- facts ------------------------------------------------------------- */

void adr_index_facts_dispose(adr_index_facts *f)
{
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].path);
		free(f->items[i].title);
		free(f->items[i].tagkey);
		free(f->items[i].error);
		adr_strlist_dispose(&f->items[i].warnings);
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

	rc = adr__index_prepare(&st, ix->db,
		     "SELECT r.number, r.path, r.title, r.status, r.mode, r.urgency, r.complexity, r.date,"
		     " r.review_by, h.created_time, h.proposed_time, h.decided_time, h.revisions, h.comments,"
		     " h.commits, r.tagkey, r.error, r.warnings, h.changed_time, h.first_response_time, h.ended_time, r.revisit"
		     " FROM rec r LEFT JOIN hist h ON h.path = r.path ORDER BY r.number, r.path");
	if (rc < 0)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		adr_index_fact *f;
		const char *commits;
		if ((rc = ADR_ARRAY_GROW(out->items, alloc, out->count + 1)) < 0)
			goto cleanup;
		f = &out->items[out->count++];
		memset(f, 0, sizeof(*f));
		f->number = sqlite3_column_int(st, 0);
		f->path = adr__index_dup_col(st, 1);
		f->title = adr__index_dup_col(st, 2);
		snprintf(f->status, sizeof(f->status), "%s", adr__index_col_text(st, 3));
		snprintf(f->mode, sizeof(f->mode), "%s", adr__index_col_text(st, 4));
		snprintf(f->urgency, sizeof(f->urgency), "%s", adr__index_col_text(st, 5));
		snprintf(f->complexity, sizeof(f->complexity), "%s", adr__index_col_text(st, 6));
		snprintf(f->date, sizeof(f->date), "%s", adr__index_col_text(st, 7));
		snprintf(f->review_by, sizeof(f->review_by), "%s", adr__index_col_text(st, 8));
		f->created_time = sqlite3_column_int64(st, 9);
		f->proposed_time = sqlite3_column_int64(st, 10);
		f->decided_time = sqlite3_column_int64(st, 11);
		f->revisions = sqlite3_column_int(st, 12);
		f->comments = sqlite3_column_int(st, 13);
		commits = adr__index_col_text(st, 14);
		f->commits = *commits ? 1 : 0;
		for (const char *c = commits; *c; c++)
			f->commits += *c == ' ';
		f->tagkey = adr__index_dup_col(st, 15);
		if (sqlite3_column_type(st, 16) != SQLITE_NULL)
			f->error = adr__index_dup_col(st, 16);
		if (sqlite3_column_type(st, 17) != SQLITE_NULL && adr__index_split_list(&f->warnings, adr__index_col_text(st, 17), '\n') < 0) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		f->changed_time = sqlite3_column_int64(st, 18);
		f->first_response_time = sqlite3_column_int64(st, 19);
		f->ended_time = sqlite3_column_int64(st, 20);
		snprintf(f->revisit, sizeof(f->revisit), "%s", adr__index_col_text(st, 21));
		if (!f->path || !f->title || !f->tagkey) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
	rc = rc == SQLITE_DONE ? 0 : adr__index_sql_error(ix->db, rc, "read facts");
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
		adr_index_facts_dispose(out);
		adr_error_clear();
		if ((rc = adr__index_build(ix, &st)) == 0)
			rc = facts_once(out, ix);
	}
	if (rc < 0)
		adr_index_facts_dispose(out);
	return rc;
}
