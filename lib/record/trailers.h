/*
 * record/trailers.h: the trailer protocol, in one place.
 *
 * Every commit adr writes ends with a block of `Adr-*: value` trailers that
 * say what it did (see adr__op_message() in log/ops_internal.h, which writes
 * that block). This header names the keys, and reads a message's trailers
 * back with one of two rules:
 *
 * - ADR_TRAILERS_STRICT: only the block adr wrote, i.e. the last paragraph
 *   of the message when every line of it is `Key: value`; anything else
 *   there and no trailer counts, so the text of a comment can never pose
 *   as a trailer. Review threads and decisions are read this way.
 * - ADR_TRAILERS_LENIENT: git's own rules (git interpret-trailers, through
 *   libgit2's parser), for messages people wrote: `Refs:` and `Decision:`
 *   in code commits, and the history's view of any commit.
 *
 * Keys compare without case, as git compares them.
 */
#ifndef ADR_RECORD_TRAILERS_H
#define ADR_RECORD_TRAILERS_H

#include "adr/common.h"

#define ADR_TRAILER_ACTION "Adr-Action"         /* what the commit did: new, edit, accept, ... */
#define ADR_TRAILER_RECORD "Adr-Record"         /* a record it wrote, as NNNN (may repeat) */
#define ADR_TRAILER_STATUS "Adr-Status"         /* the status it set */
#define ADR_TRAILER_SUPERSEDES "Adr-Supersedes" /* a record the new one supersedes, NNNN */
#define ADR_TRAILER_COMMIT "Adr-Commit"         /* the code commit a record was made for */
#define ADR_TRAILER_PROPOSAL "Adr-Proposal"     /* the proposal branch, adr/<slug> */
#define ADR_TRAILER_COMMENT "Adr-Comment"       /* a comment on proposal <slug> */
#define ADR_TRAILER_VOTE "Adr-Vote"             /* approve or object */
#define ADR_TRAILER_SECTION "Adr-Section"       /* the heading a comment is about */
#define ADR_TRAILER_LATE "Adr-Late"             /* a comment made after the decision */
#define ADR_TRAILER_MERGED "Adr-Merged"         /* a decision in place: the proposal tip that a plain
						 * git merge (a pull request) brought */
#define ADR_TRAILER_LATE_FROM "Adr-Late-From"   /* a late comment carried over from its branch:
						 * the commit it was there */
#define ADR_TRAILER_AUTHOR "Adr-Author"         /* that comment's author there, "Name <email>" */
#define ADR_TRAILER_RENUMBER "Adr-Renumber"     /* "NNNN -> NNNN SLUG", one per record renumbered
						 * (SLUG: its file name after the number; older
						 * commits have none): references follow it,
						 * see adr/links.h */

/* How a record number is written in a trailer value: "%04d" into out[16]. */
void adr__trailer_number(char out[16], int number);

typedef enum {
	ADR_TRAILERS_STRICT,  /* only a block adr wrote (see above) */
	ADR_TRAILERS_LENIENT  /* git's rules */
} adr_trailers_mode;

/*
 * Appends the trailers of `msg` to `keys` and `values`, in order. STRICT:
 * when the last paragraph is not a trailer block, both lists are emptied
 * and 0 returned. LENIENT: a message libgit2 cannot read fails with
 * "cannot read the trailers of WHAT". ADR_ENOMEM with the message set.
 */
int adr__trailers_read(adr_strlist *keys, adr_strlist *values, const char *msg, adr_trailers_mode mode,
		       const char *what);

/* The value of the last trailer named `key` (no case), or NULL. */
const char *adr__trailers_get(const adr_strlist *keys, const adr_strlist *values, const char *key);

#endif
