/*
 * adr/queue.h: the asynchronous dashboard: open proposals, meeting records
 * waiting for their cleanup, decisions due for a revisit.
 *
 * Ownership: an adr_queue owns its items and strings; adr_queue_dispose()
 * frees them and accepts a zeroed or already disposed structure.
 */
#ifndef ADR_QUEUE_H
#define ADR_QUEUE_H

#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { ADR_QUEUE_PROPOSAL = 1, ADR_QUEUE_CLEANUP, ADR_QUEUE_REVISIT, ADR_QUEUE_NEXT_STEP } adr_queue_kind;

typedef struct {
	adr_queue_kind kind;
	int number;                 /* records; -1 for proposals */
	char *slug;                 /* proposals */
	char *ref;                  /* proposals: the branch */
	bool remote;                /* proposals: read from a remote-tracking branch */
	bool diverged;              /* proposals: local and remote-tracking branches diverged */
	bool merged;                /* proposals: merged by plain git, not yet decided */
	char *title;
	char due[11];               /* review-by, cleanup-by or revisit */
	bool overdue;               /* the due date has passed */
	long long age_days;         /* proposals: days since proposed */
	size_t comments, revisions;
	adr_strlist approvals, objections;
	char *owner;                /* the record's owner (a next step: the step's, else the record's), or NULL */
	adr_strlist move;           /* whose move it is: a proposal's reviewers who have not answered,
				     * else the owner (empty when nobody is named) */
	bool late_response;         /* proposals: a reviewer has not answered within .adr.yaml first-response */
	adr_level urgency, complexity; /* proposals */
	char *step;                 /* next steps: what is to be done */
} adr_queue_item;

typedef struct {
	adr_queue_item *items;
	size_t count;
	char today[11];
	adr_strlist errors;         /* proposals or records that could not be read, and decided
				     * proposals whose branch went on (warnings) */
} adr_queue;
#define ADR_QUEUE_INIT { 0 }

/* Builds the queue as of adr_now(): open proposals by review-by, meeting
 * records with a cleanup-by, accepted records whose revisit has come, and
 * the open next steps (adr/nextsteps.h) of records that are not rejected,
 * deprecated or superseded whose due date has passed. */
int adr_queue_build(adr_queue *out, adr_repo *repo);
void adr_queue_dispose(adr_queue *q);

/* Whether item `it` is waiting for `who` (it is in `move`). */
bool adr_queue_item_waits_for(const adr_queue_item *it, const char *who);

/*
 * Why `it` needs a meeting, or NULL: a proposal past its deadline (with
 * open objections, or none), an urgent and complex proposal, an overdue
 * cleanup or next step. Merged proposals need adr accept, not a meeting.
 */
const char *adr_queue_agenda_reason(const adr_queue *q, const adr_queue_item *it);

/* A meeting agenda in Markdown from what needs a meeting: one section per
 * reason, each item with its ref, title, owner and why. Appends to `out`. */
int adr_queue_agenda(adr_buf *out, const adr_queue *q);

#ifdef __cplusplus
}
#endif
#endif
