/*
 * log/check_dups.c: adr check on numbers that two records share, and on
 * published records (see log/check_internal.h): published numbers never
 * change, so a finding says which record keeps a number and which one
 * yields.
 */
#include "log/check_internal.h"

#include <string.h>

#include "git/published.h"
#include "util/error.h"

/* Which of two records sharing a number is published, when it is known
 * (pub not NULL): the one that is keeps the number. */
int adr__check_duplicate_number(adr_findings *out, const adr_record *r, const adr_record *o, const bool *pub,
				size_t ri, size_t oi)
{
	const char *why = "";
	if (pub && pub[ri] && pub[oi])
		why = "; both are published";
	else if (pub && pub[oi])
		why = ", which is published: it keeps the number, this one is not published and is the one to renumber";
	else if (pub && pub[ri])
		why = ", which is not published: this one is published and keeps the number";
	return adr__findings_add(out, r->path, 1, 1, "duplicate-number", "number %04d is also used by %s%s", r->number,
				o->path, why);
}

/* pub[i]: record i is on a published tip of the decision branch. A
 * record that is not, whose number a different published record has,
 * is a duplicate-to-be: the next merge of the two makes it one. */
int adr__check_published(adr_findings *out, adr_repo *repo, const adr_recordset *set, bool *pub)
{
	adr__published p = ADR__PUBLISHED_INIT;
	adr_buf path = ADR_BUF_INIT;
	const char *ref = NULL;
	int rc;

	if ((rc = adr__published_load(&p, repo, NULL)) < 0)
		return rc;
	for (size_t i = 0; i < set->count && p.count; i++) {
		const adr_record *r = set->items[i];
		if (!r->path)
			continue;
		if ((rc = adr__published_has(&p, r->path, NULL, NULL)) < 0)
			goto cleanup;
		pub[i] = rc == 1;
		if (pub[i] || r->number < 0)
			continue;
		if ((rc = adr__published_number(&p, repo, r->number, &path, &ref)) < 0)
			goto cleanup;
		if (rc == 1 && strcmp(path.ptr, r->path) &&
		    (rc = adr__findings_add(out, r->path, 1, 1, "duplicate-number",
					   "number %04d is taken on %s by %s, which is published; this record is not "
					   "and is the one to renumber", r->number, ref, path.ptr)) < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	adr_buf_dispose(&path);
	adr__published_dispose(&p);
	return rc;
}

