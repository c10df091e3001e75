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
} adr_meeting_item;

typedef struct {
	adr_meeting_item *items;
	size_t count;
	adr_strlist attendees;
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
 * Field text runs to the next field or heading. Errors name `path:line:col`.
 */
int adr_meeting_parse(adr_meeting *m, const char *path, const char *text, size_t len);

/* `adr meeting`: every decision numbered in one commit, status accepted,
 * mode sync, attendees as decision-makers, cleanup-by tomorrow. `paths`
 * gets the files written. */
int adr_op_meeting(adr_op_result *res, adr_strlist *paths, adr_repo *repo, const adr_meeting *m);

#ifdef __cplusplus
}
#endif
#endif
