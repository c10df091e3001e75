/*
 * legacy_apply.c: a record without front matter gets the metadata its body
 * holds in an older format (adr__legacy_apply), and the test for a record
 * that still has some (adr__legacy_unconverted); the reading is legacy.c's.
 */
#include <stdlib.h>
#include <string.h>

#include "record/legacy.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strlistf.h"

int adr__legacy_apply(adr_record *r)
{
	adr_legacy l;
	int rc;
	bool fill_status = r->status == ADR_STATUS_NONE && !r->status_word;
	bool fill_date = !r->date[0];
	bool fill_links = r->supersedes.count == 0 && r->superseded_by.count == 0 && r->nlinks == 0;

	if ((rc = adr__legacy_read(&l, r->path, r->body, r->body_line)) < 0)
		return rc;
	if (!l.found)
		goto cleanup;
	if (fill_status && (l.status || l.status_word)) {
		r->status = l.status;
		if (!l.status && l.status_word && !(r->status_word = adr__strdup(l.status_word))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
	if (fill_date && l.date[0])
		memcpy(r->date, l.date, sizeof(r->date));
	if (r->decision_makers.count == 0 && (rc = adr_strlist_copy(&r->decision_makers, &l.deciders)) < 0)
		goto cleanup;
	if (r->tags.count == 0 && (rc = adr_strlist_copy(&r->tags, &l.tags)) < 0)
		goto cleanup;
	for (size_t i = 0; fill_links && i < l.nlinks; i++) {
		const adr__legacy_link *k = &l.links[i];
		int n;
		if (adr_record_parse_filename(&n, NULL, k->target) < 0) {
			adr_error_clear();
			n = k->number; /* `ADR-12`, `#12`, or a link whose text has the number */
		}
		if (n < 0) {
			if (k->in_body)
				continue;
			if ((rc = adr__strlist_addf(&r->warnings, "%s:%d:1: link target '%s' carries no record number",
					  r->path ? r->path : "<input>", k->line, k->target)) < 0)
				goto cleanup;
			continue;
		}
		if (strcmp(k->type, "superseded-by") == 0)
			rc = adr_intlist_add_unique(&r->superseded_by, n);
		else if (strcmp(k->type, "supersedes") == 0)
			rc = adr_intlist_add_unique(&r->supersedes, n);
		else if (adr_link_type_valid(k->type, strlen(k->type)))
			rc = adr_record_add_link(r, k->type, n);
		if (rc < 0)
			goto cleanup;
	}
	/* the reader's warnings are all about the date: moot when the front matter has one */
	for (size_t i = 0; fill_date && i < l.warnings.count; i++)
		if ((rc = adr_strlist_add(&r->warnings, l.warnings.items[i])) < 0)
			goto cleanup;
	rc = 0;
cleanup:
	adr__legacy_dispose(&l);
	return rc;
}

bool adr__legacy_unconverted(const adr_record *r)
{
	adr_legacy l;
	bool yes;
	if (r->has_frontmatter || !r->body || !*r->body)
		return false;
	if (adr__legacy_read(&l, r->path, r->body, r->body_line) < 0) {
		adr_error_clear();
		return false;
	}
	yes = l.found && (l.status || l.status_word || l.date[0] || l.nlinks);
	adr__legacy_dispose(&l);
	return yes;
}
