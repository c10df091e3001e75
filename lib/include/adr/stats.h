/*
 * adr/stats.h: decision metrics over the index.
 *
 * Metrics (adr_stats_compute), over the records of the decision branch
 * whose date (the `date` field, else the day the record was created) is on
 * or after `since` (NULL: all):
 *   - cycle time: days from proposal to decision (the commit that proposed
 *     the record to the commit that accepted or rejected it), for every
 *     record with both; median and 90th percentile (nearest rank);
 *   - revisions per proposal: commits that changed a proposal after it was
 *     made and before it was decided, averaged over proposals;
 *   - comments per proposal: Adr-Comment commits on its branch, averaged;
 *   - deadlines missed: proposals decided after their review-by date, or
 *     still proposed after it (today from adr_now());
 *   - counts by status, mode and urgency/complexity quadrant, and records
 *     per month of their date.
 * Dates of commits are taken in UTC.
 *
 * The difference of the log between two revisions is adr/diff.h, included
 * here for the callers that found it through this header.
 *
 * Ownership: adr_stats owns what it holds; free it with adr_stats_dispose().
 */
#ifndef ADR_STATS_H
#define ADR_STATS_H

#include "adr/common.h"
#include "adr/diff.h"
#include "adr/index.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *name;
	size_t count;
} adr_stats_count;

typedef struct {
	adr_stats_count *items;
	size_t count;
} adr_stats_counts;

typedef struct {
	size_t records;
	size_t proposals;          /* records that were proposed before being decided */
	size_t decided;            /* proposals with a decision commit */
	double cycle_median_days;  /* -1 when no proposal was decided */
	double cycle_p90_days;
	double revisions_per_proposal;  /* 0 when no proposal */
	double comments_per_proposal;
	size_t deadlines_missed;
	adr_stats_counts by_status;
	adr_stats_counts by_mode;
	adr_stats_counts by_quadrant;   /* "urgent+complex", "urgent+simple", "calm+complex", "calm+simple", "unset" */
	adr_stats_counts by_month;      /* "YYYY-MM", sorted */
} adr_stats;
#define ADR_STATS_INIT { 0 }

int adr_stats_compute(adr_stats *out, const adr_index_facts *facts, const char *since);
void adr_stats_dispose(adr_stats *s);

#ifdef __cplusplus
}
#endif
#endif
