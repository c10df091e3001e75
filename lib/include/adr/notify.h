/*
 * adr/notify.h: the digest `adr notify` sends to a chat webhook: decisions
 * recorded since the last digest, and what the queue (adr/queue.h) says is
 * due: proposals overdue or due within two days with whose move it is,
 * meeting records waiting for their cleanup, revisits, unreadable entries.
 *
 * "Since the last digest": the decision branch's commit at the last
 * successful send is kept in <git common dir>/adr/notify-state; without it,
 * the last 7 days (by the records' `date`).
 *
 * Ownership: an adr_digest owns what it holds (its queue too);
 * adr_digest_dispose() frees it and accepts a zeroed or disposed one.
 * Rendered texts go to a caller's adr_buf.
 */
#ifndef ADR_NOTIFY_H
#define ADR_NOTIFY_H

#include "adr/common.h"
#include "adr/queue.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum { ADR_NOTIFY_MARKDOWN = 1, ADR_NOTIFY_PLAIN, ADR_NOTIFY_EMAIL } adr_notify_format;

typedef struct {
	int number;
	char *title;
	char status[16];
	char date[11];
	const char *change;         /* "recorded", "superseded" or "deprecated" (static) */
} adr_digest_decision;

typedef struct {
	char commit[41];            /* the decision branch tip the digest was made from ("" unborn) */
	char since_commit[41];      /* the state's commit, or "" when `since_date` was used */
	char since_date[11];        /* --since, or 7 days ago when there is no state */
	char soon[11];              /* proposals due on or before this date are listed */
	adr_digest_decision *decisions;
	size_t ndecisions;
	adr_queue queue;            /* as adr_queue_build gave it */
	bool *listed;               /* per queue item: in the digest (proposals: overdue,
				     * due soon or merged; everything else: yes) */
	char **owner;               /* per queue item: proposals: who proposed it, else NULL */
	size_t nlisted;             /* queue items listed */
} adr_digest;
#define ADR_DIGEST_INIT { 0 }

/*
 * Builds the digest as of adr_now(). `since` (YYYY-MM-DD, may be NULL)
 * overrides the state: the decisions dated on or after it are listed.
 */
int adr_digest_build(adr_digest *out, adr_repo *repo, const char *since);
void adr_digest_dispose(adr_digest *d);
/* True when there is nothing to tell: no decision and no listed item. */
bool adr_digest_empty(const adr_digest *d);

/* Appends the digest's text: Markdown, plain text, or a mail (a
 * "Subject: " line, a blank line, the plain text). */
int adr_digest_render(adr_buf *out, const adr_digest *d, adr_notify_format format);
/* Appends the webhook's JSON body: {"text": TEXT}. */
int adr_notify_payload(adr_buf *out, const char *text);

/*
 * The webhook URL: $ADR_NOTIFY_URL, else git config adr.notifyUrl. A URL
 * committed in .adr.yaml (notify.url, notify-url, ...) is refused, as is a
 * scheme other than http and https (ADR_EINVALID); no URL at all is
 * ADR_ENOTFOUND.
 */
int adr_notify_url(adr_buf *out, adr_repo *repo);
/*
 * POSTs `body` (JSON) to `url`; gives up after `timeout` seconds (connecting:
 * at most 10). A status other than 2xx is an error naming the status and
 * the first line of the answer. Messages show the URL's scheme and host
 * only (a webhook URL's path is its secret).
 */
int adr_notify_post(long *status, const char *url, const char *body, size_t len, long timeout);
/* Records `commit` as the last digest sent (atomically). */
int adr_notify_mark_sent(adr_repo *repo, const char *commit);

#ifdef __cplusplus
}
#endif
#endif
