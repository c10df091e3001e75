/*
 * adr/meeting.h: synchronous decisions. Meeting minutes are parsed into a
 * list of decisions, and `adr meeting` records them all as accepted records
 * in one commit.
 *
 * Ownership: an adr_meeting owns its strings; adr_meeting_dispose() frees
 * them and accepts a zeroed or already disposed structure.
 */
#ifndef ADR_MEETING_H
#define ADR_MEETING_H

#include "adr/common.h"
#include "adr/ops.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *title;
	char *decision;
	char *rationale;
	char *options;
	int line;                   /* where it came from (minutes files), else 0 */
	/* From minutes only (NULL / empty / NONE when not given): */
	char *context;
	char *consequences;
	char *next_steps;
	char *owner;                /* one name: the record's `owner:` */
	adr_strlist tags;
	adr_strlist consulted;
	adr_strlist informed;
	adr_visibility visibility;
} adr_meeting_item;

typedef struct {
	adr_meeting_item *items;
	size_t count;
	adr_strlist attendees;
	char *owner;                /* every decision's owner, or NULL */
	/* For every record of the meeting (an item's own Tags and Visibility
	 * add to and override them): */
	adr_strlist tags;
	adr_visibility visibility;
	const char *revisit;        /* every decision's revisit date or period (adr/revisit.h), borrowed;
				     * NULL: the .adr.yaml cadence, if one is set */
} adr_meeting;
#define ADR_MEETING_INIT { 0 }

void adr_meeting_dispose(adr_meeting *m);
/* Adds a decision (strings are copied; title and decision are required). */
int adr_meeting_add(adr_meeting *m, const char *title, const char *decision, const char *rationale,
		    const char *options);

/*
 * Parses minutes:
 *
 *   # Anything (optional)
 *   Attendees: Ana Lima, Bo Chen
 *
 *   ## Decision: Use PostgreSQL
 *   Decision: We use PostgreSQL.
 *   Rationale: It is what we know.
 *   Options: PostgreSQL, MySQL
 *
 * Field text runs to the next field or heading. A field starts with its
 * name (any case) at the start of a line, followed by ':' and its text, or
 * alone on its line with or without ':', or as a heading `### Name`. The
 * fields: Context, Decision, Rationale, Options (or Options considered),
 * Consequences, Next steps (body sections), Owner (one name), Tags,
 * Consulted, Informed (lists: commas, lines or `- ` bullets), Visibility
 * (public, partner or internal). A line that looks like a field (`Word:`,
 * `### Word`) but names none is an error: `path:line:col: unknown field`.
 * Errors name `path:line:col`.
 */
int adr_meeting_parse(adr_meeting *m, const char *path, const char *text, size_t len);

/* `adr meeting`: every decision numbered in one commit, status accepted,
 * mode sync, attendees as decision-makers, cleanup-by tomorrow. `paths`
 * gets the files written. */
int adr_op_meeting(adr_op_result *res, adr_strlist *paths, adr_repo *repo, const adr_meeting *m);

/*
 * `adr meeting --decide`: the meeting decides the open proposals `refs`
 * (as adr_proposal_find() reads them): each is accepted (or rejected, by
 * `status`) by adr_op_decide() with mode sync, the attendees as
 * decision-makers and the meeting's tags and visibility: one merge each,
 * the thread kept. Every ref is checked first: when one is unknown,
 * already decided or cannot be merged, nothing is decided and the error
 * names it. `paths` gets the decided records' paths, `warnings` what
 * adr_op_decide() warned about.
 */
int adr_op_meeting_decide(adr_strlist *paths, adr_strlist *warnings, adr_repo *repo, const adr_meeting *m,
			  const adr_strlist *refs, adr_status status);

#ifdef __cplusplus
}
#endif
#endif
