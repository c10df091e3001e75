/*
 * site/nav.c: the ways a reader moves through the log: its order (newest
 * first), the month groups and the "superseded by" marks of its rows, the
 * previous and next records of a record page, and the short links
 * (0042.html) that lead to a record's page whatever its slug becomes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site/site_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "text/mustache.h"
#include "text/value.h"

/* A record to sort: qsort has no payload, so each carries its record. */
typedef struct {
	size_t idx;
	const adr_record *r;
} nav_item;

/* Newest first: by date (undated last), then by number, highest first. */
static int cmp_newest(const void *a, const void *b)
{
	const adr_record *x = ((const nav_item *)a)->r, *y = ((const nav_item *)b)->r;
	int c;

	if (!x->date[0] != !y->date[0])
		return x->date[0] ? -1 : 1;
	if ((c = strcmp(y->date, x->date)) != 0)
		return c;
	if (x->number != y->number)
		return (y->number > x->number) - (y->number < x->number);
	return (((const nav_item *)a)->idx > ((const nav_item *)b)->idx) -
	       (((const nav_item *)a)->idx < ((const nav_item *)b)->idx);
}

static int cmp_number(const void *a, const void *b)
{
	const nav_item *x = a, *y = b;

	if (x->r->number != y->r->number)
		return (x->r->number > y->r->number) - (x->r->number < y->r->number);
	return (x->idx > y->idx) - (x->idx < y->idx);
}

int adr__site_nav_order(site *s, const size_t *recs, size_t n, size_t **out, bool by_number)
{
	nav_item *items = adr__calloc(n ? n : 1, sizeof(*items));
	size_t *list = adr__calloc(n ? n : 1, sizeof(*list));
	size_t k = 0;

	*out = NULL;
	if (!items || !list) {
		free(items);
		free(list);
		return ADR_ENOMEM;
	}
	for (size_t i = 0; i < n; i++) {
		size_t r = recs ? recs[i] : i;
		if (s->recs[r].visible) {
			items[k].idx = r;
			items[k++].r = s->recs[r].r;
		}
	}
	qsort(items, k, sizeof(*items), by_number ? cmp_number : cmp_newest);
	for (size_t i = 0; i < k; i++)
		list[i] = items[i].idx;
	free(items);
	*out = list;
	return (int)k;
}

static const char *const MONTHS[] = { "January", "February", "March",	  "April",   "May",	 "June",
				      "July",	 "August",   "September", "October", "November", "December" };

/* "November 2026" for "2026-11-05"; "Undated" for what is not a date. */
static void month_label(char *out, size_t size, const char *date)
{
	int m = 0;

	if (strlen(date) >= 7 && date[4] == '-' && date[5] >= '0' && date[5] <= '1' && date[6] >= '0' && date[6] <= '9')
		m = (date[5] - '0') * 10 + (date[6] - '0');
	if (m >= 1 && m <= 12)
		snprintf(out, size, "%s %.4s", MONTHS[m - 1], date);
	else
		snprintf(out, size, "Undated");
}

int adr__site_nav_row(site *s, const site_rec *sr, adr_value *row, const site_rec *before)
{
	adr_value *by = adr__value_list();
	char month[32], prev[32];

	if (!row || !by) {
		adr__value_free(by);
		return adr__error_oom();
	}
	month_label(month, sizeof(month), sr->r->date);
	if (before)
		month_label(prev, sizeof(prev), before->r->date);
	adr__value_map_set_string(row, "month", month);
	adr__value_map_set_bool(row, "month_start", !before || strcmp(prev, month) != 0);
	adr__value_map_set_bool(row, "struck", sr->r->status == ADR_STATUS_SUPERSEDED);
	/* Only successors the audience sees are named. */
	for (size_t i = 0; i < sr->superseded_by.count; i++) {
		const site_rec *t = adr__site_find_rec(s, sr->superseded_by.items[i]);
		adr_value *v;
		if (!t || !t->visible)
			continue;
		v = adr__value_map();
		adr__value_map_set_string(v, "id", t->id);
		adr__value_map_set_string(v, "href", t->page);
		adr__value_list_append(by, v);
	}
	adr__value_map_set_bool(row, "has_superseded_by", adr__value_count(by) > 0);
	adr__value_map_set(row, "superseded_by", by);
	return adr__value_failed(row) ? adr__error_oom() : 0;
}

/* {href, id, title} of a neighbour, or false. */
static adr_value *neighbour(const site_rec *t)
{
	adr_value *v;

	if (!t)
		return adr__value_bool(false);
	v = adr__value_map();
	adr__value_map_set_string(v, "href", t->page);
	adr__value_map_set_string(v, "id", t->id);
	adr__value_map_set_string(v, "title", t->r->title[0] ? t->r->title : "(untitled)");
	return v;
}

int adr__site_nav_record(adr_value *page, const site_rec *prev, const site_rec *next)
{
	adr__value_map_set(page, "prev", neighbour(prev));
	adr__value_map_set(page, "next", neighbour(next));
	return adr__value_failed(page) ? adr__error_oom() : 0;
}

/* The short link of one record: a page that sends the reader on. */
static int short_link(site *s, const site_rec *sr, adr_buf *b)
{
	char name[24];
	const char *title = sr->r->title[0] ? sr->r->title : "(untitled)";

	snprintf(name, sizeof(name), "%s.html", sr->id);
	if (strcmp(name, sr->page) == 0)
		return 0;
	adr_buf_clear(b);
	adr_buf_printf(b,
		       "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
		       "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		       "<meta name=\"robots\" content=\"noindex\">\n"
		       "<meta http-equiv=\"refresh\" content=\"0; url=%s\">\n"
		       "<link rel=\"canonical\" href=\"%s\">\n"
		       "<link rel=\"icon\" href=\"favicon.svg\" type=\"image/svg+xml\">\n<title>%s ",
		       sr->page, sr->page, sr->id);
	adr__mustache_escape(b, title, strlen(title), 0);
	adr_buf_printf(b, "</title>\n</head>\n<body>\n<main>\n<p>Decision %s has moved to <a href=\"%s\">", sr->id,
		       sr->page);
	adr__mustache_escape(b, title, strlen(title), 0);
	adr_buf_puts(b, "</a>.</p>\n</main>\n</body>\n</html>\n");
	return adr__site_write_buf(s, name, b);
}

int adr__site_nav_short_links(site *s)
{
	adr_buf b = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < s->set.count && rc == 0; i++) {
		const site_rec *sr = &s->recs[i];
		/* One per number: the record a link to that number reaches. */
		if (sr->visible && adr__site_find_rec(s, sr->r->number) == sr)
			rc = short_link(s, sr, &b);
	}
	adr_buf_dispose(&b);
	return rc;
}
