/*
 * adr/nextsteps.h: the next steps a record carries, read from its
 * `## Next steps` section: every list item written as a task,
 *
 *   - [ ] Ana Lima: migrate the schema (by 2026-12-20)
 *   - [x] export the old events
 *
 * gives the step's owner (the words before the first ": ", optional), its
 * text, its due date (a trailing "(by YYYY-MM-DD)", optional) and whether
 * it is done ("[x]"). Items that are not tasks (the template's "- Who does
 * what, by when.") are not steps. A task with no text or a due date that is
 * not a date is kept out with a warning `path:line:col: what`.
 *
 * Ownership: an adr_next_steps owns its items and strings;
 * adr_next_steps_dispose() frees them and accepts a zeroed or already
 * disposed structure.
 */
#ifndef ADR_NEXTSTEPS_H
#define ADR_NEXTSTEPS_H

#include "adr/common.h"
#include "adr/record.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *owner;    /* NULL when the step names nobody */
	char *text;     /* what is to be done, never empty */
	char due[11];   /* YYYY-MM-DD, or "" */
	bool done;
	int line;       /* its line in the record file */
} adr_next_step;

typedef struct {
	adr_next_step *items;
	size_t count;
	adr_strlist warnings;  /* tasks left out, `path:line:col: what` each */
} adr_next_steps;
#define ADR_NEXT_STEPS_INIT { NULL, 0, ADR_STRLIST_INIT }

/* The next steps of `r` (none when it has no such section). */
int adr_next_steps_parse(adr_next_steps *out, const adr_record *r);
void adr_next_steps_dispose(adr_next_steps *s);

#ifdef __cplusplus
}
#endif
#endif
