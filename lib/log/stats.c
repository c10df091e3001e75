/* Decision metrics over the index, and the log's difference between two revisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adr/stats.h"
#include "util/error.h"

static void day_of(char out[11], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

static int count_add(adr_stats_counts *c, const char *name)
{
	for (size_t i = 0; i < c->count; i++)
		if (strcmp(c->items[i].name, name) == 0) {
			c->items[i].count++;
			return 0;
		}
	adr_stats_count *p = realloc(c->items, (c->count + 1) * sizeof(*p));
	if (!p)
		return adr__error(ADR_ENOMEM, "out of memory");
	c->items = p;
	if (!(p[c->count].name = strdup(name)))
		return adr__error(ADR_ENOMEM, "out of memory");
	p[c->count++].count = 1;
	return 0;
}

static int cmp_count_name(const void *a, const void *b)
{
	return strcmp(((const adr_stats_count *)a)->name, ((const adr_stats_count *)b)->name);
}

static void sort_counts(adr_stats_counts *c)
{
	if (c->count > 1)
		qsort(c->items, c->count, sizeof(*c->items), cmp_count_name);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void counts_clear(adr_stats_counts *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].name);
	free(c->items);
	c->items = NULL;
	c->count = 0;
}

void adr_stats_clear(adr_stats *s)
{
	counts_clear(&s->by_status);
	counts_clear(&s->by_mode);
	counts_clear(&s->by_quadrant);
	counts_clear(&s->by_month);
}

static const char *quadrant(const adr_index_fact *f)
{
	if (!f->urgency[0] || !f->complexity[0])
		return "unset";
	bool urgent = strcmp(f->urgency, "high") == 0, complex = strcmp(f->complexity, "high") == 0;
	return urgent ? (complex ? "urgent+complex" : "urgent+simple") : (complex ? "calm+complex" : "calm+simple");
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *v, size_t n, int p)
{
	size_t rank = (size_t)((p * n + 99) / 100);
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

int adr_stats_compute(adr_stats *out, const adr_index_facts *facts, const char *since)
{
	double *cycles = NULL;
	size_t ncycles = 0;
	long revisions = 0, comments = 0;
	char today[11];
	int rc = 0;

	memset(out, 0, sizeof(*out));
	out->cycle_median_days = out->cycle_p90_days = -1;
	adr_today(today);
	if (facts->count && !(cycles = malloc(facts->count * sizeof(*cycles))))
		return adr__error(ADR_ENOMEM, "out of memory");
	for (size_t i = 0; i < facts->count && rc == 0; i++) {
		const adr_index_fact *f = &facts->items[i];
		char day[11] = "", month[8];
		const char *date = f->date;
		if (!date[0] && f->created_time) {
			day_of(day, f->created_time);
			date = day;
		}
		if (since && (!date[0] || strcmp(date, since) < 0))
			continue;
		out->records++;
		if ((rc = count_add(&out->by_status, f->status[0] ? f->status : "unset")) < 0 ||
		    (rc = count_add(&out->by_mode, f->mode[0] ? f->mode : "unset")) < 0 ||
		    (rc = count_add(&out->by_quadrant, quadrant(f))) < 0)
			break;
		if (date[0]) {
			snprintf(month, sizeof(month), "%.7s", date);
			if ((rc = count_add(&out->by_month, month)) < 0)
				break;
		}
		if (!f->proposed_time && strcmp(f->status, "proposed") != 0)
			continue;
		out->proposals++;
		revisions += f->revisions;
		comments += f->comments;
		if (f->proposed_time && f->decided_time) {
			out->decided++;
			cycles[ncycles++] = (double)(f->decided_time - f->proposed_time) / 86400.0;
		}
		if (f->review_by[0]) {
			char decided[11];
			if (f->decided_time) {
				day_of(decided, f->decided_time);
				if (strcmp(decided, f->review_by) > 0)
					out->deadlines_missed++;
			} else if (strcmp(f->status, "proposed") == 0 && strcmp(today, f->review_by) > 0) {
				out->deadlines_missed++;
			}
		}
	}
	if (rc == 0 && ncycles) {
		qsort(cycles, ncycles, sizeof(*cycles), cmp_double);
		out->cycle_median_days = ncycles % 2 ? cycles[ncycles / 2]
						     : (cycles[ncycles / 2 - 1] + cycles[ncycles / 2]) / 2;
		out->cycle_p90_days = percentile(cycles, ncycles, 90);
	}
	if (out->proposals) {
		out->revisions_per_proposal = (double)revisions / (double)out->proposals;
		out->comments_per_proposal = (double)comments / (double)out->proposals;
	}
	sort_counts(&out->by_status);
	sort_counts(&out->by_mode);
	sort_counts(&out->by_quadrant);
	sort_counts(&out->by_month);
	free(cycles);
	if (rc < 0)
		adr_stats_clear(out);
	return rc;
}

/* --- diff --------------------------------------------------------------- */

const char *adr_diff_kind_name(adr_diff_kind k)
{
	static const char *const names[] = { "added", "changed", "superseded", "deprecated", "removed" };
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

void adr_diff_clear(adr_diff *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].title);
		free(d->items[i].path);
		adr_strlist_clear(&d->items[i].fields);
	}
	free(d->items);
	d->items = NULL;
	d->count = 0;
}

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool ints_eq(const adr_intlist *a, const adr_intlist *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (a->items[i] != b->items[i])
			return false;
	return true;
}

static bool links_eq(const adr_record *a, const adr_record *b)
{
	if (a->nlinks != b->nlinks)
		return false;
	for (size_t i = 0; i < a->nlinks; i++)
		if (a->links[i].target != b->links[i].target || strcmp(a->links[i].type, b->links[i].type) != 0)
			return false;
	return true;
}

static int changed_fields(adr_strlist *out, const adr_record *a, const adr_record *b)
{
	int rc = 0;
#define CHK(cond, name) \
	if (rc == 0 && !(cond)) \
	rc = adr_strlist_add(out, name)
	CHK(str_eq(a->title, b->title), "title");
	CHK(a->status == b->status && str_eq(a->status_word, b->status_word), "status");
	CHK(str_eq(a->date, b->date), "date");
	CHK(adr_strlist_equal(&a->decision_makers, &b->decision_makers), "decision-makers");
	CHK(adr_strlist_equal(&a->consulted, &b->consulted), "consulted");
	CHK(adr_strlist_equal(&a->informed, &b->informed), "informed");
	CHK(a->mode == b->mode, "mode");
	CHK(a->urgency == b->urgency, "urgency");
	CHK(a->complexity == b->complexity, "complexity");
	CHK(str_eq(a->review_by, b->review_by), "review-by");
	CHK(str_eq(a->revisit, b->revisit), "revisit");
	CHK(ints_eq(&a->supersedes, &b->supersedes), "supersedes");
	CHK(ints_eq(&a->superseded_by, &b->superseded_by), "superseded-by");
	CHK(links_eq(a, b), "links");
	CHK(adr_strlist_equal(&a->tags, &b->tags), "tags");
	CHK(a->visibility == b->visibility, "visibility");
	CHK(str_eq(a->body, b->body), "body");
	CHK(str_eq(a->path, b->path), "path");
#undef CHK
	return rc < 0 ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

static int add_item(adr_diff *d, adr_diff_kind kind, const adr_record *r, adr_strlist *fields)
{
	adr_diff_item *p = realloc(d->items, (d->count + 1) * sizeof(*p));
	if (!p)
		return adr__error(ADR_ENOMEM, "out of memory");
	d->items = p;
	p += d->count;
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->number = r->number;
	snprintf(p->status, sizeof(p->status), "%s", r->status ? adr_status_name(r->status) : "");
	p->title = strdup(r->title ? r->title : "");
	p->path = strdup(r->path ? r->path : "");
	if (fields) {
		p->fields = *fields;
		*fields = (adr_strlist)ADR_STRLIST_INIT;
	}
	d->count++;
	if (!p->title || !p->path)
		return adr__error(ADR_ENOMEM, "out of memory");
	return 0;
}

int adr_diff_revs(adr_diff *out, adr_repo *repo, const char *from, const char *to)
{
	adr_recordset a = ADR_RECORDSET_INIT, b = ADR_RECORDSET_INIT;
	adr_strlist fields = ADR_STRLIST_INIT;
	size_t i = 0, j = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = adr_repo_records(&a, repo, from, ADR_PARSE_LENIENT)) < 0 ||
	    (rc = adr_repo_records(&b, repo, to, ADR_PARSE_LENIENT)) < 0)
		goto cleanup;
	memcpy(out->from, a.commit, sizeof(out->from));
	memcpy(out->to, b.commit, sizeof(out->to));
	/* Both sets are sorted by number. */
	while (rc == 0 && (i < a.count || j < b.count)) {
		const adr_record *x = i < a.count ? a.items[i] : NULL, *y = j < b.count ? b.items[j] : NULL;
		if (x && (!y || x->number < y->number)) {
			rc = add_item(out, ADR_DIFF_REMOVED, x, NULL);
			i++;
		} else if (y && (!x || y->number < x->number)) {
			rc = add_item(out, ADR_DIFF_ADDED, y, NULL);
			j++;
		} else {
			adr_strlist_clear(&fields);
			if ((rc = changed_fields(&fields, x, y)) == 0 && fields.count) {
				adr_diff_kind k = ADR_DIFF_CHANGED;
				if (x->status != y->status && y->status == ADR_STATUS_SUPERSEDED)
					k = ADR_DIFF_SUPERSEDED;
				else if (x->status != y->status && y->status == ADR_STATUS_DEPRECATED)
					k = ADR_DIFF_DEPRECATED;
				rc = add_item(out, k, y, &fields);
			}
			i++;
			j++;
		}
	}
cleanup:
	adr_strlist_clear(&fields);
	adr_recordset_clear(&a);
	adr_recordset_clear(&b);
	if (rc < 0)
		adr_diff_clear(out);
	return rc;
}
