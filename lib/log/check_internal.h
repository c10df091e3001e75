/*
 * log/check_internal.h: what adr check's files share with each other and
 * with the tests (not public API): the findings about duplicate numbers and
 * published records (log/check_dups.c), and check.c's entry points.
 */
#ifndef ADR_LOG_CHECK_INTERNAL_H
#define ADR_LOG_CHECK_INTERNAL_H

#include "adr/check.h"
#include "record/placeholder.h"

/*
 * The "duplicate-number" finding on record r (index ri) whose number o
 * (index oi) also has; with `pub` (may be NULL: not known) it says which is
 * published, the one that keeps the number.
 */
int adr__check_duplicate_number(adr_findings *out, const adr_record *r, const adr_record *o, const bool *pub,
				size_t ri, size_t oi);

/*
 * Sets pub[i] (set->count entries, false on entry) for each record of
 * `set` that is on a published tip of the decision branch (git/published.h),
 * and adds a "duplicate-number" finding for each record that is not but
 * whose number a different published record has.
 */
int adr__check_published(adr_findings *out, adr_repo *repo, const adr_recordset *set, bool *pub);

/* Library-internal: used by other files of the library and by its tests. */
/* The line of front matter key `key` in the record as it would be written, or 1. */
int adr__check_key_line(const adr_record *r, const char *key);

/* Checks the records of a set read with ADR_PARSE_LENIENT (no repository needed). */
int adr__check_records(adr_findings *out, const adr_recordset *set);

/*
 * Lookups over the records of a set, built once (log/check_pairs.c): a
 * record by number (the first in the set that has it) and by path, and the
 * earlier records that may pair with record i: those with its number, its
 * name but for case, or its slug (another Unicode form). The set must
 * outlive the lookup; adr__check_lookup_free() frees it (NULL is fine).
 */
typedef struct adr__check_lookup adr__check_lookup;
int adr__check_lookup_new(adr__check_lookup **out, const adr_recordset *set);
void adr__check_lookup_free(adr__check_lookup *l);
const adr_record *adr__check_find_number(const adr__check_lookup *l, int n);
bool adr__check_has_path(const adr__check_lookup *l, const char *path);
/* Indices (ascending, all below i) into `out`, valid until the next call. */
int adr__check_lookup_pairs(adr__check_lookup *l, size_t i, const size_t **out, size_t *n);

/* The warnings of adr_check_drafts() about the records of `set`, judged by
 * the placeholders `p` (log/check_honest.c). */
int adr__check_drafts(adr_findings *out, const adr__placeholders *p, const adr_recordset *set);

int adr__findings_add(adr_findings *f, const char *path, int line, int col, const char *code,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
