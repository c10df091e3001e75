/*
 * adr/revisit.h: decisions reviewed on a cadence.
 *
 * A decision's `revisit:` date says when to look at it again. It is set
 * when the decision is recorded (`--revisit DATE|PERIOD`, else the cadence
 * in .adr.yaml `revisit: 3m`), and each review is one commit on the
 * decision branch (`adr revisit N`) that moves the date on, with the
 * trailers `Adr-Action: revisit`, `Adr-Record: NNNN` and `Adr-Revisit:
 * <the next date>`, and what the review found as the message body.
 *
 * Ownership: adr_reviews owns its entries; adr_reviews_dispose() frees
 * them and accepts a zeroed or already disposed list.
 */
#ifndef ADR_REVISIT_H
#define ADR_REVISIT_H

#include "adr/common.h"
#include "adr/ops.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The cadence when neither the command nor .adr.yaml gives one. */
#define ADR_REVISIT_DEFAULT "3m"

/*
 * The revisit date for `spec` into out[11]: a date YYYY-MM-DD (today or
 * later) or a period from today ("30d", "6w", "3m", "1y"; see
 * adr__period_end). NULL or "": the repository's cadence (.adr.yaml
 * `revisit`), else ADR_REVISIT_DEFAULT. ADR_EUSAGE for anything else and
 * for a date already past; `what` names the option in the message
 * ("--revisit", "--next").
 */
int adr_revisit_date(char out[11], adr_repo *repo, const char *spec, const char *what);

typedef struct {
	const char *next;   /* a date or a period (adr_revisit_date); NULL: the cadence */
	const char *note;   /* what the review found: the commit's body; NULL or "": none */
} adr_revisit_opts;
#define ADR_REVISIT_OPTS_INIT { NULL, NULL }

/*
 * `adr revisit N`: records a review of decision `number` in one commit on
 * the decision branch that sets its `revisit:` to the next date (the
 * commit is made even when the date does not change: the review is the
 * commit); `next` gets that date. Only an accepted decision is revisited (ADR_EINVALID names its
 * status); ADR_ENOTFOUND when there is no such record.
 */
int adr_op_revisit(adr_op_result *res, char next[11], adr_repo *repo, int number, const adr_revisit_opts *opts);

typedef struct {
	int record;         /* the record, as the commit numbered it */
	char commit[41];
	char *author;       /* the author's name */
	long long time;     /* author time, seconds since the epoch */
	char next[11];      /* the revisit date the review set */
	char *note;         /* "" when none */
} adr_review;

typedef struct {
	adr_review *items;
	size_t count;
	size_t alloc;
} adr_reviews;
#define ADR_REVIEWS_INIT { NULL, 0, 0 }

/* Every review in the history of `rev` (NULL: the decision branch; unborn:
 * none), newest first. */
int adr_reviews_read(adr_reviews *out, adr_repo *repo, const char *rev);
void adr_reviews_dispose(adr_reviews *l);

/* The decision branch as it was at the end of `date` (YYYY-MM-DD): its last
 * commit on the first-parent line dated that day or earlier (by the rule
 * of adr_date_at()), as hex into out[41]. ADR_ENOTFOUND when the branch
 * has none. */
int adr_branch_at_date(char out[41], adr_repo *repo, const char *date);

#ifdef __cplusplus
}
#endif
#endif
