/* log/stats.c: decision metrics over the index's facts (adr/stats.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adr/stats.h"
#include "util/alloc.h"

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
	adr_stats_count *p = adr__reallocarray(c->items, c->count + 1, sizeof(*p));
	ADR_ALLOC_CHECK(p);
	c->items = p;
	p[c->count].name = adr__strdup(name);
	ADR_ALLOC_CHECK(p[c->count].name);
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

void adr_stats_dispose(adr_stats *s)
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
	if (facts->count && !(cycles = adr__reallocarray(NULL, facts->count, sizeof(*cycles))))
		return ADR_ENOMEM;
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
		adr_stats_dispose(out);
	return rc;
}
