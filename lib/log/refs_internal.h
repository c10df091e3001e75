/*
 * log/refs_internal.h: resolving a record number that a commit names
 * (a `Refs: ADR-N` trailer, adr's `Adr-Record: N` beside `Adr-Commit:`)
 * to the record it meant, across renumbering. The rule is documented in
 * adr/links.h; log/refs.c implements it, log/links.c drives it from its
 * one walk.
 *
 * Use: adr__refs_new(); the walk hands every commit's trailers to
 * adr__refs_note(), which keeps adr's renumber moves (`Adr-Renumber:`);
 * after the walk, adr__refs_read_records() reads the records references
 * are attributed to (their current numbers and paths) and
 * adr__refs_resolve() attributes each reference. Resolving reads a commit's tree only for a number that some
 * renumbering or a duplicate involves; every other reference costs one
 * lookup in the current records.
 *
 * Ownership: adr__refs_free() frees the resolver (NULL-safe); a resolved
 * path points into it and lives as long as it.
 */
#ifndef ADR_LOG_REFS_INTERNAL_H
#define ADR_LOG_REFS_INTERNAL_H

#include <git2.h>

#include "adr/common.h"
#include "adr/repo.h"

typedef struct adr__refs adr__refs;

int adr__refs_new(adr__refs **out, adr_repo *repo);
/* Reads the records references are attributed to: those of `rev` (NULL:
 * the decision branch tip; an unborn branch has none), by file name alone.
 * Before the first adr__refs_resolve(). */
int adr__refs_read_records(adr__refs *r, const char *rev);
void adr__refs_free(adr__refs *r);

/* Keeps the renumber moves of commit `id` (its trailers, in order): every
 * `Adr-Renumber: OLD -> NEW [SLUG]` of a commit that adr made (one with an
 * Adr-Action trailer). Commits come newest first, as the walk gives them. */
int adr__refs_note(adr__refs *r, const git_oid *id, const adr_strlist *keys, const adr_strlist *values);

typedef struct {
	int number;         /* the record's current number, or -1: not attributed */
	const char *path;   /* its current path (borrowed), or NULL */
	adr_buf problem;    /* with number -1: why, one sentence */
} adr__ref;

/*
 * Attributes record `number` named by commit `carrier` (see adr/links.h):
 * out->number and out->path, or out->number = -1 and out->problem. A
 * commit or tree that cannot be read is a problem, not an error; only
 * ADR_ENOMEM fails. `out` must be initialised with ADR__REF_INIT and is
 * freed with adr__ref_dispose().
 */
/*
 * Whether references attributed against the records of commit `old_tip`
 * are attributed the same against those of `new_tip`: *same true when
 * every record file of old_tip is still there by name, and each one added
 * (at most a few) has a number not in `taken` and a slug no record of
 * old_tip has (adr__refs_resolve looks records up by number and slug
 * alone). False whenever it cannot tell. Only ADR_ENOMEM fails.
 */
int adr__refs_same_records(bool *same, adr_repo *repo, const git_oid *old_tip, const git_oid *new_tip,
			   const adr_intlist *taken);

#define ADR__REF_INIT { -1, NULL, ADR_BUF_INIT }
int adr__refs_resolve(adr__ref *out, adr__refs *r, const git_oid *carrier, int number);
void adr__ref_dispose(adr__ref *ref);

#endif
