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
 *   - counts by status, mode and urgency/complexity quadrant (the rule of
 *     adr propose's deadlines: neither axis set is "unset", one axis set
 *     counts the other as low), and records per month of their date.
 *
 * The practice's metrics (adr_stats_compute_period), over a period of
 * days `since`..`until` (YYYY-MM-DD, both included, either NULL: open);
 * a decision counts in the period it was decided in (the day of its
 * decision commit, else its `date`, else the day it was created), a
 * proposal in the one it was opened in:
 *   - rework rate: of the proposals decided (accepted or rejected), the
 *     share revised more than once (two or more commits that changed the
 *     proposal after it was made: `adr revise`);
 *   - reversal rate: of the decisions (accepted, superseded or deprecated
 *     records), the share superseded or deprecated within 90 days of
 *     being decided; the day it ended is that of the commit that said so
 *     (Adr-Status, Adr-Supersedes), else its last change;
 *   - cycle time in hours from proposal to decision, median and p90,
 *     overall and by the record's mode (sync, async);
 *   - time to first response: hours from a proposal's opening to the first
 *     comment or vote on it by someone other than the proposer (author
 *     name), median, over the proposals that had one. Open proposals live
 *     on their branches, outside the index: the proposals counted are
 *     those decided (and any `status: proposed` record of the branch).
 * The older metrics above keep their own filter (the record's date, on or
 * after `since` and now on or before `until`).
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

/* Hours from proposal to decision of `count` proposals (-1 when none). */
typedef struct {
	size_t count;
	double median_hours;
	double p90_hours;          /* nearest rank */
} adr_stats_cycle;

/* How long a decision may live before its end counts as a reversal. */
#define ADR_STATS_REVERSAL_DAYS 90

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

	/* The practice's metrics, over the period (see above). */
	size_t proposals_decided;  /* proposals decided in the period */
	size_t reworked;           /* of those, revised more than once */
	double rework_rate;        /* reworked / proposals_decided; -1 when none */
	size_t decisions;          /* accepted, superseded or deprecated records decided in it */
	size_t reversed;           /* of those, superseded or deprecated within 90 days */
	double reversal_rate;      /* reversed / decisions; -1 when none */
	adr_stats_cycle cycle_hours;        /* the proposals decided in the period */
	adr_stats_cycle cycle_hours_sync;   /* those of them with mode: sync */
	adr_stats_cycle cycle_hours_async;  /* mode: async */
	size_t proposals_opened;   /* proposals opened in the period */
	size_t proposals_answered; /* of those, with a first response by another */
	double first_response_median_hours; /* -1 when none was answered */
} adr_stats;
#define ADR_STATS_INIT { 0 }

/* The metrics with only `since` (NULL: all): adr_stats_compute_period(out, facts, since, NULL). */
int adr_stats_compute(adr_stats *out, const adr_index_facts *facts, const char *since);
/* The metrics over the days `since`..`until` (YYYY-MM-DD, already checked by
 * the caller; either NULL: open). */
int adr_stats_compute_period(adr_stats *out, const adr_index_facts *facts, const char *since, const char *until);
void adr_stats_dispose(adr_stats *s);

#ifdef __cplusplus
}
#endif
#endif
