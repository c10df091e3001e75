/* log/stats.c: decision metrics over the index's facts (adr/stats.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adr/stats.h"
#include "record/quadrant.h"
#include "util/alloc.h"
#include "util/date.h"

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

/* A level as the index keeps it ("low", "high", "" when unset). */
static adr_level level_of(const char *word)
{
	return strcmp(word, "high") == 0 ? ADR_LEVEL_HIGH : strcmp(word, "low") == 0 ? ADR_LEVEL_LOW : ADR_LEVEL_NONE;
}

/* The record's quadrant by the rule adr propose's deadlines follow. */
static const char *quadrant(const adr_index_fact *f)
{
	return adr__quadrant_name(adr__quadrant_of(level_of(f->urgency), level_of(f->complexity)));
}

/* Nearest-rank percentile of a sorted array. */
static double percentile(const double *v, size_t n, int p)
{
	size_t rank = (size_t)((p * n + 99) / 100);
	if (rank < 1)
		rank = 1;
	return v[rank - 1];
}

/* The median of a sorted array of n > 0 values (the mean of the middle two
 * when n is even). */
static double median(const double *v, size_t n)
{
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Sorts the n hours `v` and sums them up in `c` (-1 when n is 0). */
static void cycle_of(adr_stats_cycle *c, double *v, size_t n)
{
	c->count = n;
	c->median_hours = c->p90_hours = -1;
	if (!n)
		return;
	qsort(v, n, sizeof(*v), cmp_double);
	c->median_hours = median(v, n);
	c->p90_hours = percentile(v, n, 90);
}

/* --- the practice's metrics over a period ---------------------------------- */

/* The day number (days since the epoch) of a valid YYYY-MM-DD. */
static long long day_number(const char *date)
{
	int y = atoi(date), m = atoi(date + 5), d = atoi(date + 8);
	return adr__utc_seconds(y, m, d, 0, 0, 0) / 86400;
}

static bool in_period(const char *day, const char *since, const char *until)
{
	return day[0] && (!since || strcmp(day, since) >= 0) && (!until || strcmp(day, until) <= 0);
}

static bool is_status(const adr_index_fact *f, const char *a, const char *b, const char *c)
{
	return strcmp(f->status, a) == 0 || (b && strcmp(f->status, b) == 0) || (c && strcmp(f->status, c) == 0);
}

/* The hours of the cycles (all, sync, async) and of the first responses,
 * each array with room for every record. */
typedef struct {
	double *all, *sync, *async, *response;
	size_t nall, nsync, nasync, nresponse;
} practice_samples;

/* Counts record `f` in the metrics of the period since..until. */
static void practice_add(adr_stats *out, practice_samples *ps, const adr_index_fact *f, const char *since,
			 const char *until)
{
	char decided[11] = "", opened[11] = "", ended[11] = "";
	long long opened_time = f->proposed_time;
	bool decision = is_status(f, "accepted", "superseded", "deprecated");

	/* When it was decided: by a commit, else (a record made decided) its date. */
	if (f->decided_time)
		day_of(decided, f->decided_time);
	else if (decision && adr_date_valid(f->date))
		snprintf(decided, sizeof(decided), "%s", f->date);
	else if (decision && f->created_time)
		day_of(decided, f->created_time);
	if (f->proposed_time && f->decided_time && in_period(decided, since, until)) {
		double hours = (double)(f->decided_time - f->proposed_time) / 3600.0;
		out->proposals_decided++;
		out->reworked += f->revisions > 1;
		ps->all[ps->nall++] = hours;
		if (strcmp(f->mode, "sync") == 0)
			ps->sync[ps->nsync++] = hours;
		else if (strcmp(f->mode, "async") == 0)
			ps->async[ps->nasync++] = hours;
	}
	if (decision && in_period(decided, since, until)) {
		long long end = f->ended_time ? f->ended_time : f->changed_time;
		out->decisions++;
		if (end && !is_status(f, "accepted", NULL, NULL)) {
			day_of(ended, end);
			out->reversed += day_number(ended) - day_number(decided) <= ADR_STATS_REVERSAL_DAYS;
		}
	}
	/* A proposal opened: on its branch, or (older logs) proposed on the decision branch. */
	if (!opened_time && strcmp(f->status, "proposed") == 0)
		opened_time = f->created_time;
	if (opened_time)
		day_of(opened, opened_time);
	if (in_period(opened, since, until)) {
		out->proposals_opened++;
		if (f->first_response_time) {
			long long wait = f->first_response_time - opened_time;
			out->proposals_answered++;
			ps->response[ps->nresponse++] = wait > 0 ? (double)wait / 3600.0 : 0;
		}
	}
}

/* Sums up what practice_add() counted. */
static void practice_end(adr_stats *out, practice_samples *ps)
{
	out->rework_rate = out->proposals_decided ? (double)out->reworked / (double)out->proposals_decided : -1;
	out->reversal_rate = out->decisions ? (double)out->reversed / (double)out->decisions : -1;
	cycle_of(&out->cycle_hours, ps->all, ps->nall);
	cycle_of(&out->cycle_hours_sync, ps->sync, ps->nsync);
	cycle_of(&out->cycle_hours_async, ps->async, ps->nasync);
	out->first_response_median_hours = -1;
	if (ps->nresponse) {
		qsort(ps->response, ps->nresponse, sizeof(double), cmp_double);
		out->first_response_median_hours = median(ps->response, ps->nresponse);
	}
}

int adr_stats_compute(adr_stats *out, const adr_index_facts *facts, const char *since)
{
	return adr_stats_compute_period(out, facts, since, NULL);
}

int adr_stats_compute_period(adr_stats *out, const adr_index_facts *facts, const char *since, const char *until)
{
	double *cycles = NULL;
	size_t ncycles = 0, n = facts->count;
	long revisions = 0, comments = 0;
	char today[11];
	practice_samples ps;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	memset(&ps, 0, sizeof(ps));
	out->cycle_median_days = out->cycle_p90_days = -1;
	adr_today(today);
	/* One array: the day cycles, then the four of practice_samples. */
	if (n) {
		if (!(cycles = adr__reallocarray(NULL, n, 5 * sizeof(*cycles))))
			return ADR_ENOMEM;
		ps.all = cycles + n;
		ps.sync = cycles + 2 * n;
		ps.async = cycles + 3 * n;
		ps.response = cycles + 4 * n;
	}
	for (size_t i = 0; i < facts->count && rc == 0; i++) {
		const adr_index_fact *f = &facts->items[i];
		char day[11] = "", month[8];
		const char *date = f->date;
		practice_add(out, &ps, f, since, until);
		if (!date[0] && f->created_time) {
			day_of(day, f->created_time);
			date = day;
		}
		if (since && (!date[0] || strcmp(date, since) < 0))
			continue;
		if (until && (!date[0] || strcmp(date, until) > 0))
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
		out->cycle_median_days = median(cycles, ncycles);
		out->cycle_p90_days = percentile(cycles, ncycles, 90);
	}
	practice_end(out, &ps);
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
