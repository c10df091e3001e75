/*
 * log/check_internal.h: adr check's findings about duplicate numbers and
 * published records (log/check_dups.c), as log/check.c asks for them.
 */
#ifndef ADR_LOG_CHECK_INTERNAL_H
#define ADR_LOG_CHECK_INTERNAL_H

#include "adr/check.h"

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

#endif
