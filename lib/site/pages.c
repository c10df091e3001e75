/*
 * site/pages.c: renders and writes every page of the site: one per record
 * (with its search document), the index, one per tag, the Atom feed, the
 * search index and the fixed assets.
 */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "text/json.h"
#include "text/markdown.h"
#include "site/site_internal.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/progress.h"
#include "text/value.h"
#include "text/mustache.h"

#define FEED_MAX 100

/*
 * The words of `text` (separated by spaces), each once, in the order they
 * first appear (ASCII case ignored): what the search needs, at a fraction
 * of the size for long records.
 */
static int unique_words(adr_buf *out, const char *text)
{
	size_t cap = 64;
	const char **slots = NULL;
	size_t *lens = NULL;
	char *lower = NULL; /* `text` in ASCII lower case, for the hash */
	int rc = 0;

	adr_buf_clear(out);
	for (const char *p = text; *p; p++)
		if (*p == ' ')
			cap++;
	cap = cap * 2;
	if (!(slots = adr__calloc(cap, sizeof(*slots))) || !(lens = adr__calloc(cap, sizeof(*lens))) ||
	    !(lower = adr__strdup(text))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	for (const char *p = text; *p;) {
		const char *w = p;
		size_t len, h, i;
		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - w);
		while (*p == ' ')
			p++;
		if (len == 0)
			continue;
		h = (size_t)adr__hash(lower + (w - text), len);
		for (i = h % cap; slots[i]; i = (i + 1) % cap)
			if (lens[i] == len && strncasecmp(slots[i], w, len) == 0)
				break;
		if (slots[i])
			continue;
		slots[i] = w;
		lens[i] = len;
		if (out->size)
			adr_buf_putc(out, ' ');
		adr_buf_put(out, w, len);
	}
	if (adr_buf_oom(out))
		rc = ADR_ENOMEM;
cleanup:
	free(slots);
	free(lens);
	free(lower);
	return rc;
}

/* What the site said about one link: its action and text. */
static void note_result(adr_buf *b, int act, const adr_buf *out)
{
	int32_t a = act;
	uint64_t n = out->size;

	adr_buf_put(b, &a, sizeof(a));
	adr_buf_put(b, &n, sizeof(n));
	adr_buf_put(b, out->ptr, out->size);
}

/* The link callback of a record page being rendered: asks the site, and
 * notes the question and the answer for the page cache. */
static int noting_link_cb(adr_buf *out, const char *url, bool image, void *payload)
{
	site *s = payload;
	int act = adr__site_link_cb(out, url, image, s);

	if (act >= 0) {
		adr_buf_putc(&s->pc_calls, image ? '1' : '0');
		adr_buf_puts(&s->pc_calls, url);
		adr_buf_putc(&s->pc_calls, '\0');
		note_result(&s->pc_results, act, out);
	}
	return act;
}

/*
 * Asks the site again about each link and image the page asked about when
 * it was last rendered, in the same order, as rendering it again would
 * (an image is copied into the site again, a warning given again); the
 * answers go to s->pc_results. 1 when the calls cannot be read (the page
 * is then rendered), 0, or < 0 as the link callback fails.
 */
static int replay_links(site *s, const adr__page_entry *e)
{
	adr_buf out = ADR_BUF_INIT;
	int rc = 0;

	adr_buf_clear(&s->pc_results);
	for (size_t at = 0; at < e->links_len && rc == 0;) {
		const char *call = e->links + at; /* each ends in a NUL (site/pagecache.c) */
		size_t len = strlen(call);
		int act;
		if (len < 1 || (call[0] != '0' && call[0] != '1')) {
			rc = 1;
			break;
		}
		adr_buf_clear(&out);
		if ((act = adr__site_link_cb(&out, call + 1, call[0] == '1', s)) < 0)
			rc = act;
		else if (adr_buf_oom(&out))
			rc = adr__error_oom();
		else
			note_result(&s->pc_results, act, &out);
		at += len + 1;
	}
	if (rc == 0 && adr_buf_oom(&s->pc_results))
		rc = adr__error_oom();
	adr_buf_dispose(&out);
	return rc;
}

/* The fingerprint of what a record page is made of, but its links: the
 * values its template sees (less its rendered body), the body's Markdown
 * and the record's path, which links are resolved against. */
static int page_inputs(site *s, const adr_value *page, const site_rec *sr, const adr_buf *body, uint64_t *fp)
{
	adr_buf d = ADR_BUF_INIT;
	uint64_t n = body->size;
	int rc = adr__value_digest(&d, page);

	adr_buf_put(&d, &n, sizeof(n));
	adr_buf_put(&d, body->ptr, body->size);
	adr_buf_puts(&d, sr->r->path ? sr->r->path : "");
	if (rc == 0 && adr_buf_oom(&d))
		rc = adr__error_oom();
	if (rc == 0)
		*fp = adr__pagecache_hash(s->pc, d.ptr, d.size);
	adr_buf_dispose(&d);
	return rc;
}

static void truncate_warnings(site *s, size_t n)
{
	adr_strlist *w = &s->res->warnings;

	while (w->count > n)
		free(w->items[--w->count]);
}

/* The warnings about a body that could not be rendered whole. */
static void markdown_warnings(site *s, const adr_record *r, bool raw, bool limited)
{
	if (raw)
		adr__site_warn(s, "%s: too many '[' to render safely; shown as plain text", r->path);
	else if (limited)
		adr__site_warn(s, "%s: tables or autolinks too large to render safely; left as text", r->path);
}

/*
 * Whether the previous site's page of `sr`, made from the same inputs
 * (`meta->fp`), can be kept: then it is linked into the new site and 1
 * returned, its link calls having been made again. 0: render it.
 */
static int keep_record_page(site *s, const site_rec *sr, const adr__page_entry *meta, const adr__page_entry **kept)
{
	const adr__page_entry *old = s->pc_valid ? adr__pagecache_find(s->pc, sr->page) : NULL;
	size_t nwarn = s->res->warnings.count;
	int rc;

	*kept = NULL;
	if (!old || !(old->flags & ADR_PAGE_RECORD) || old->fp != meta->fp ||
	    !adr__pagecache_file_ok(old, s->oldfd, sr->page))
		return 0;
	if ((rc = replay_links(s, old)) < 0)
		return rc;
	if (rc == 0 && adr__pagecache_hash(s->pc, s->pc_results.ptr, s->pc_results.size) == old->fp_links) {
		if (s->verify) { /* rendered anyway, and must come out the same */
			*kept = old;
		} else if ((rc = adr__site_keep(s, old)) != 0) {
			*kept = old;
			return rc;
		}
	}
	/* rendering asks about the links again */
	truncate_warnings(s, nwarn);
	return 0;
}

static int build_record_page(site *s, adr__mustache_template *tpl, adr__json_writer *jw, size_t i,
			     const site_rec *prev, const site_rec *next, adr_buf *html)
{
	const site_rec *sr = &s->recs[i];
	const adr_record *r = sr->r;
	adr__markdown_opts mo = ADR_MARKDOWN_OPTS_INIT;
	adr__markdown_result md = ADR_MARKDOWN_RESULT_INIT;
	adr__page_entry meta;
	const adr__page_entry *old = NULL;
	adr_value *page = NULL;
	adr_buf words = ADR_BUF_INIT, body = ADR_BUF_INIT;
	const char *doc_words;
	struct stat st;
	int rc;

	memset(&meta, 0, sizeof(meta));
	mo.flags = ADR_MARKDOWN_SKIP_TITLE;
	mo.link = s->pc ? noting_link_cb : adr__site_link_cb;
	mo.payload = s;
	s->cur = sr;
	/* The template's placeholder text is not the record's: left out. The
	 * page's values first, its body last: they say whether it changed. */
	if ((rc = adr__placeholder_strip(&s->placeholders, &body, r->body)) < 0)
		goto cleanup;
	if (!(page = adr__site_record_value(s, sr, NULL, false))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = adr__site_record_history(s, page, sr)) < 0 || (rc = adr__site_page_extras(s, page, sr)) < 0 ||
	    (rc = adr__site_nav_record(page, prev, next)) < 0)
		goto cleanup;
	if (s->pc && ((rc = page_inputs(s, page, sr, &body, &meta.fp)) < 0 ||
		      (rc = keep_record_page(s, sr, &meta, &old)) < 0))
		goto cleanup;
	if (rc == 1) {
		doc_words = old->words ? old->words : "";
		markdown_warnings(s, r, old->flags & ADR_PAGE_MD_RAW, old->flags & ADR_PAGE_MD_LIMITED);
		goto search_doc;
	}

	adr_buf_clear(&s->pc_calls);
	adr_buf_clear(&s->pc_results);
	if ((rc = adr__markdown_render(&md, body.ptr, body.size, &mo)) < 0)
		goto cleanup;
	markdown_warnings(s, r, md.raw, md.limited);
	if ((rc = adr__value_map_set_string(page, "body_html", md.html.ptr)) < 0 ||
	    (rc = adr__value_map_set_bool(page, "raw", md.raw)) < 0 || (rc = adr__site_toc(page, &md)) < 0 ||
	    (rc = adr__site_page_preview(s, page, sr)) < 0 || (rc = adr__site_set_has_flags(page)) < 0 ||
	    (rc = unique_words(&words, md.text.ptr)) < 0)
		goto cleanup;
	doc_words = words.ptr ? words.ptr : "";

	adr_buf_clear(html);
	s->pc_render = true;
	rc = adr__site_render(s, html, tpl, page);
	s->pc_render = false;
	if (rc < 0)
		goto cleanup;
	if (s->pc) {
		if (adr_buf_oom(&s->pc_calls) || adr_buf_oom(&s->pc_results)) {
			rc = adr__error_oom();
			goto cleanup;
		}
		meta.fp_links = adr__pagecache_hash(s->pc, s->pc_results.ptr, s->pc_results.size);
		meta.flags = ADR_PAGE_RECORD | (md.raw ? ADR_PAGE_MD_RAW : 0) | (md.limited ? ADR_PAGE_MD_LIMITED : 0);
		meta.words = (char *)doc_words;
		meta.links = s->pc_calls.ptr;
		meta.links_len = s->pc_calls.size;
	}
	if ((rc = adr__site_write_page(s, sr->page, html, s->pc ? &meta : NULL)) < 0)
		goto cleanup;
	/* $ADR_SITE_VERIFY: a page the cache would have kept must be the same
	 * bytes, so the new site has the old file (linked) */
	if (old && (fstatat(s->outfd, sr->page, &st, AT_SYMLINK_NOFOLLOW) < 0 || (uint64_t)st.st_ino != old->ino)) {
		if (s->old_errno) {
			errno = s->old_errno;
			rc = adr__error_os("cannot read '%s/%s' of the previous site to compare it", s->opts->output_dir,
					   sr->page);
		} else {
			rc = adr__site_stale(sr->page);
		}
		goto cleanup;
	}

search_doc:
	adr__json_begin_object(jw);
	adr__json_key(jw, "n");
	adr__json_string(jw, sr->id);
	adr__json_key(jw, "t");
	adr__json_string(jw, r->title);
	adr__json_key(jw, "u");
	adr__json_string(jw, sr->page);
	adr__json_key(jw, "s");
	adr__json_string(jw, adr__site_status(r));
	adr__json_key(jw, "d");
	adr__json_string(jw, r->date);
	adr__json_key(jw, "m");
	adr__json_string(jw, r->mode ? adr_mode_name(r->mode) : "");
	adr__json_key(jw, "g");
	adr__json_begin_array(jw);
	for (size_t k = 0; k < r->tags.count; k++)
		adr__json_string(jw, r->tags.items[k]);
	adr__json_end_array(jw);
	adr__json_key(jw, "p");
	adr__json_begin_array(jw);
	for (size_t k = 0; k < r->decision_makers.count; k++)
		adr__json_string(jw, r->decision_makers.items[k]);
	adr__json_end_array(jw);
	adr__json_key(jw, "x");
	adr__json_string(jw, doc_words);
	rc = adr__json_end_object(jw);
cleanup:
	adr__markdown_result_dispose(&md);
	adr_buf_dispose(&words);
	adr_buf_dispose(&body);
	adr__value_free(page);
	s->cur = NULL;
	return rc;
}

/* A record in the feed, and when it last changed in a way a reader cares
 * about: decided (its date), then superseded or deprecated. */
typedef struct {
	const site_rec *sr;
	long long updated;
} feed_item;

static int cmp_feed(const void *a, const void *b)
{
	const feed_item *x = a, *y = b;

	if (x->updated != y->updated)
		return x->updated > y->updated ? -1 : 1;
	return y->sr->r->number - x->sr->r->number;
}

static void iso_time(adr_buf *out, long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char b[32];

	adr_buf_clear(out);
	if (gmtime_r(&tt, &tm) && strftime(b, sizeof(b), "%Y-%m-%dT%H:%M:%SZ", &tm))
		adr_buf_puts(out, b);
}

/*
 * The ids of the feed and of its entries, unique per site and stable from
 * build to build: under the base URL the site is served at, else a URN of
 * the audience and the site's title (two sites of one audience without a
 * base URL need distinct titles). `tag` is "" for the feed, "0007" for an
 * entry.
 */
static int feed_id(site *s, adr_buf *out, const char *tag)
{
	const char *base = s->opts->base_url, *title;
	adr_buf slug = ADR_BUF_INIT;
	int rc;

	adr_buf_clear(out);
	if (base) {
		size_t n = strlen(base);
		adr_buf_printf(out, "%s%s", base, n && base[n - 1] == '/' ? "" : "/");
		if (*tag)
			adr_buf_printf(out, "#adr-%s", tag);
		return 0;
	}
	title = s->opts->title ? s->opts->title : "Decision log";
	/* out of memory is no title without letters: the id would change */
	if ((rc = adr_slugify(&slug, title)) == ADR_ENOMEM) {
		adr_buf_dispose(&slug);
		return rc;
	}
	if (rc < 0 || slug.size == 0) {
		/* a title without a letter or digit ASCII has: its hash */
		adr_error_clear();
		adr_buf_clear(&slug);
		adr_buf_printf(&slug, "%016llx", (unsigned long long)adr__hash(title, strlen(title)));
	}
	adr_buf_printf(out, "urn:adr:%s:%s", adr_visibility_name(s->audience), slug.ptr);
	if (*tag)
		adr_buf_printf(out, ":%s", tag);
	rc = adr_buf_oom(&slug) ? ADR_ENOMEM : 0;
	adr_buf_dispose(&slug);
	return rc;
}

/*
 * The Atom feed: the visible records with a date, most recently changed
 * first. A record superseded or deprecated since it was decided is updated
 * then (and says by what), so a reader sees the change.
 */
static int build_feed(site *s, adr_buf *out)
{
	adr__mustache_template *tpl = NULL;
	feed_item *list = NULL;
	adr_value *page = adr__value_map(), *entries = adr__value_list();
	adr_buf u = ADR_BUF_INIT;
	size_t n = 0;
	int rc;

	if (!page || !entries || !(list = adr__calloc(s->set.count, sizeof(*list)))) {
		adr__value_free(entries);
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < s->set.count; i++) {
		const site_rec *sr = &s->recs[i];
		const char *who;
		long long decided, ended;
		int y, mo, d;
		if (!sr->visible || !sr->r->date[0] || sscanf(sr->r->date, "%4d-%2d-%2d", &y, &mo, &d) != 3)
			continue;
		decided = adr__utc_seconds(y, mo, d, 0, 0, 0);
		ended = adr__site_ended_time(s, sr, &who);
		list[n].sr = sr;
		list[n++].updated = ended > decided ? ended : decided;
	}
	if (n)
		qsort(list, n, sizeof(*list), cmp_feed);
	if (n > FEED_MAX)
		n = FEED_MAX;
	for (size_t i = 0; i < n; i++) {
		const site_rec *sr = list[i].sr;
		adr_value *e = adr__value_map();
		adr_buf_clear(&u);
		if (s->opts->base_url)
			adr_buf_printf(&u, "%s%s%s", s->opts->base_url,
				       s->opts->base_url[strlen(s->opts->base_url) - 1] == '/' ? "" : "/", sr->page);
		else
			adr_buf_puts(&u, sr->page);
		adr__value_map_set_string(e, "id", sr->id);
		adr__value_map_set_string(e, "title", sr->r->title);
		adr__value_map_set(e, "url", adr_buf_oom(&u) ? NULL : adr__value_string(u.ptr));
		if ((rc = feed_id(s, &u, sr->id)) < 0) {
			adr__value_free(e);
			adr__value_free(entries);
			goto cleanup;
		}
		adr__value_map_set(e, "entry_id", adr_buf_oom(&u) ? NULL : adr__value_string(u.ptr));
		adr_buf_clear(&u);
		adr_buf_puts(&u, adr__site_status(sr->r));
		for (size_t k = 0; sr->r->status == ADR_STATUS_SUPERSEDED && k < sr->superseded_by.count; k++) {
			const site_rec *b = adr__site_find_rec(s, sr->superseded_by.items[k]);
			if (b && b->visible)
				adr_buf_printf(&u, "%s%s %s", k ? ", " : " by ", b->id, b->r->title);
		}
		adr__value_map_set(e, "status", adr_buf_oom(&u) ? NULL : adr__value_string(u.ptr));
		adr_buf_clear(&u);
		adr_buf_printf(&u, "%sT00:00:00Z", sr->r->date);
		adr__value_map_set(e, "published", adr_buf_oom(&u) ? NULL : adr__value_string(u.ptr));
		iso_time(&u, list[i].updated);
		adr__value_map_set(e, "updated", adr_buf_oom(&u) ? NULL : adr__value_string(u.ptr));
		adr__value_list_append(entries, e);
	}
	adr__value_map_set_string(page, "updated", n ? NULL : "");
	if (n) {
		iso_time(&u, list[0].updated);
		adr__value_map_set(page, "updated", adr_buf_oom(&u) ? NULL : adr__value_string(u.ptr));
	}
	if ((rc = feed_id(s, &u, "")) < 0) {
		adr__value_free(entries);
		goto cleanup;
	}
	adr__value_map_set(page, "feed_id", adr_buf_oom(&u) ? NULL : adr__value_string(u.ptr));
	adr__value_map_set(page, "entries", entries);
	if ((rc = adr__site_compile(s, &tpl, "feed.mustache")) < 0)
		goto cleanup;
	adr_buf_clear(out);
	if ((rc = adr__site_render(s, out, tpl, page)) < 0)
		goto cleanup;
	rc = adr__site_write_buf(s, "feed.xml", out);
cleanup:
	adr_buf_dispose(&u);
	adr__mustache_template_free(tpl);
	adr__value_free(page);
	free(list);
	return rc;
}

/* Every record page, and the search index of them all. */
static int record_pages(site *s, adr__mustache_template *t_rec, adr_buf *html)
{
	adr_buf search = ADR_BUF_INIT;
	adr__json_writer jw;
	size_t *order = NULL;
	int rc, n;

	/* By number, so each page knows its neighbours. */
	if ((n = rc = adr__site_nav_order(s, NULL, s->set.count, &order, true)) < 0)
		return rc;
	adr_buf_puts(&search, "window.ADR_SEARCH_INDEX = ");
	adr__json_writer_init(&jw, &search, ADR_JSON_SCRIPT_SAFE);
	adr__json_begin_object(&jw);
	adr__json_key(&jw, "docs");
	adr__json_begin_array(&jw);
	for (int k = 0; k < n; k++) {
		adr__progress(s->opts->progress, s->opts->progress_payload, "pages", (size_t)k + 1, (size_t)n);
		if ((rc = build_record_page(s, t_rec, &jw, order[k], k ? &s->recs[order[k - 1]] : NULL,
					    k + 1 < n ? &s->recs[order[k + 1]] : NULL, html)) < 0)
			goto cleanup;
	}
	adr__json_end_array(&jw);
	adr__json_end_object(&jw);
	if ((rc = adr__json_writer_finish(&jw)) < 0)
		goto cleanup;
	adr_buf_puts(&search, ";\n");
	rc = adr__site_write_buf(s, "search-index.js", &search);
cleanup:
	free(order);
	adr_buf_dispose(&search);
	return rc;
}

/* index.html, the log table of `rows` (taken over). */
static int index_page(site *s, adr__mustache_template *t_index, adr_value *rows, adr_buf *html)
{
	adr_value *page = adr__value_map();
	int rc;

	if (!page) {
		adr__value_free(rows);
		return ADR_ENOMEM;
	}
	adr__value_map_set_bool(page, "is_index", true);
	adr__value_map_set(page, "rows", rows);
	adr_buf_clear(html);
	rc = adr__site_render(s, html, t_index, page);
	adr__value_free(page); /* before the write: never both in memory */
	if (rc == 0)
		rc = adr__site_write_buf(s, "index.html", html);
	return rc;
}

/* The rows of the log table: the visible ones of `recs` (all when NULL),
 * newest first, grouped by month. */
static adr_value *rows_value(site *s, const size_t *recs, size_t count, bool with_tags)
{
	adr_value *rows = adr__value_list();
	size_t *order = NULL;
	int n = adr__site_nav_order(s, recs, count, &order, false);

	for (int k = 0; rows && k < n; k++) {
		const site_rec *sr = &s->recs[order[k]];
		adr_value *row = adr__site_row_value(s, sr, with_tags);
		int rc = adr__site_nav_row(s, sr, row, k ? &s->recs[order[k - 1]] : NULL);
		/* the list takes the row whatever happened to it */
		if (adr__value_list_append(rows, row) < 0 || rc < 0) {
			adr__value_free(rows);
			rows = NULL;
		}
	}
	free(order);
	if (n < 0) {
		adr__value_free(rows);
		return NULL;
	}
	return rows;
}

/* One page per tag, listing its records. */
static int tag_pages(site *s, adr__mustache_template *t_tag, adr_buf *html)
{
	size_t *recs = NULL;
	int rc = 0;

	for (size_t k = 0; k < s->ntags && rc == 0; k++) {
		const site_tag *t = &s->tags[k];
		adr_value *tp = adr__value_map(), *trows;
		free(recs);
		if (!(recs = adr__calloc(t->count ? t->count : 1, sizeof(*recs)))) {
			adr__value_free(tp);
			rc = ADR_ENOMEM;
			break;
		}
		for (size_t j = 0; j < t->count; j++)
			recs[j] = s->pairs[t->first + j].rec;
		trows = rows_value(s, recs, t->count, false);
		adr__value_map_set_string(tp, "tag", t->name);
		adr__value_map_set_bool(tp, "tag_page", true);
		/* its own preview: the site's count would change every tag page
		 * whenever any record is added */
		adr_buf_clear(html);
		adr_buf_printf(html, "%s: %zu decision%s tagged %s.", s->opts->title ? s->opts->title : "Decision log",
			       t->count, t->count == 1 ? "" : "s", t->name);
		adr__value_map_set(tp, "description", adr_buf_oom(html) ? NULL : adr__value_string(html->ptr));
		adr__value_map_set(tp, "rows", trows);
		adr_buf_clear(html);
		rc = adr__site_render(s, html, t_tag, tp);
		adr__value_free(tp);
		if (rc == 0)
			rc = adr__site_write_buf(s, t->page, html);
	}
	free(recs);
	return rc;
}

/* The fixed assets, copied as they are. */
static int write_assets(site *s)
{
	static const char *const names[] = { "style.css", "site.js", "favicon.svg" };
	const adr_buf *asset;
	int rc;

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if ((rc = adr__site_load_required(s, &asset, names[i])) < 0 ||
		    (rc = adr__site_write_buf(s, names[i], asset)) < 0)
			return rc;
	return 0;
}

/*
 * Whether the record pages of the previous site were made with the
 * templates and site-wide values of now (site/pagecache.h): if not, none
 * is kept. The record template is one of those this build's use.
 */
static int cache_env(site *s)
{
	const adr_strlist *tpl;
	uint64_t env;
	int rc;

	if (!s->pc)
		return 0;
	tpl = adr__pagecache_old_templates(s->pc);
	if ((rc = adr__site_env(s, tpl, adr__pagecache_old_names(s->pc), &env)) < 0)
		return rc;
	s->pc_valid = tpl->count > 0 && env == adr__pagecache_old_env(s->pc);
	return adr__pagecache_use_template(s->pc, "record.mustache");
}

int adr__site_build(site *s)
{
	adr__mustache_template *t_rec = NULL, *t_index = NULL, *t_tag = NULL;
	adr_buf html = ADR_BUF_INIT;
	adr_value *rows = NULL;
	int rc;

	if ((rc = adr__site_build_value(s)) < 0 || (rc = cache_env(s)) < 0)
		return rc;
	if ((rc = adr__site_compile(s, &t_rec, "record.mustache")) < 0 ||
	    (rc = adr__site_compile(s, &t_index, "index.mustache")) < 0 ||
	    (rc = adr__site_compile(s, &t_tag, "tag.mustache")) < 0 || (rc = record_pages(s, t_rec, &html)) < 0)
		goto cleanup;
	/* What the record pages were made with, before anything else changes
	 * the site-wide value (the proposals add its description). */
	if (s->pc && (rc = adr__site_env(s, adr__pagecache_new_templates(s->pc), adr__pagecache_new_names(s->pc),
					&s->pc_env)) < 0)
		goto cleanup;
	/* The short links next: most are kept, and linked on another thread
	 * while this one renders the rest. */
	if ((rc = adr__site_nav_short_links(s)) < 0)
		goto cleanup;
	if ((rc = adr__site_proposals(s, &html)) < 0)
		goto cleanup;
	/* The log table after the record pages: never both in memory. */
	if (!(rows = rows_value(s, NULL, s->set.count, true))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	rc = index_page(s, t_index, rows, &html);
	rows = NULL;
	if (rc < 0 || (rc = tag_pages(s, t_tag, &html)) < 0 || (rc = build_feed(s, &html)) < 0 ||
	    (rc = write_assets(s)) < 0)
		goto cleanup;
	/* a site published without the warning about it would look whole */
	if (s->warning_lost) {
		rc = adr__error_oom();
		goto cleanup;
	}
	rc = adr__site_finish_output(s);
cleanup:
	adr__mustache_template_free(t_rec);
	adr__mustache_template_free(t_index);
	adr__mustache_template_free(t_tag);
	adr__value_free(rows);
	adr_buf_dispose(&html);
	return rc;
}
