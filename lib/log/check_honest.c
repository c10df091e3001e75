/*
 * log/check_honest.c: the warnings of adr check about records that are not
 * finished (adr_check_drafts, adr/check.h): placeholder text of a template
 * left in the body, accepted records whose Decision section says nothing,
 * accepted records that name no decision-makers.
 */
#include <stdlib.h>
#include <string.h>

#include "adr/check.h"
#include "log/check_internal.h"
#include "record/placeholder.h"
#include "util/error.h"

/* The first placeholder line of r, as `path:line:col`, and how many there are. */
static int placeholder_finding(adr_findings *out, const adr__placeholders *p, const adr_record *r,
			       const char *path)
{
	size_t count, n, cut;
	int at = adr__placeholder_find(p, r->body, &count), col = 1;
	const char *s = r->body;
	if (!at)
		return 0;
	for (int l = 1; l < at; l++)
		s = strchr(s, '\n') + 1;
	while (s[col - 1] == ' ' || s[col - 1] == '\t')
		col++;
	n = strcspn(s + col - 1, "\r\n");
	cut = n;
	if (cut > 60) /* at most 60 bytes, never half a character */
		for (cut = 60; cut && ((unsigned char)s[col - 1 + cut] & 0xC0) == 0x80; cut--)
			;
	return adr__findings_add(out, path, r->body_line + at - 1, col, "placeholder",
				 "still holds the template's placeholder text (%zu line%s), starting with '%.*s%s'; "
				 "replace it or delete it", count, count == 1 ? "" : "s", (int)cut, s + col - 1,
				 cut < n ? "..." : "");
}

int adr__check_drafts(adr_findings *out, const adr__placeholders *p, const adr_recordset *set)
{
	int rc;
	for (size_t i = 0; i < set->count; i++) {
		const adr_record *r = set->items[i];
		const char *path = r->path ? r->path : "<input>";
		int dl;
		if ((rc = placeholder_finding(out, p, r, path)) < 0)
			return rc;
		if (r->status != ADR_STATUS_ACCEPTED)
			continue;
		if ((dl = adr__placeholder_empty_decision(p, r->body)) &&
		    (rc = adr__findings_add(out, path, r->body_line + dl - 1, 1, "no-decision",
					   "accepted, but its Decision section holds no decision text")) < 0)
			return rc;
		if (!r->decision_makers.count &&
		    (rc = adr__findings_add(out, path, adr__check_key_line(r, "status"), 1, "no-decision-makers",
					   "accepted, but names no decision-makers")) < 0)
			return rc;
	}
	return 0;
}

static int by_place(const void *a, const void *b)
{
	const adr_finding *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

int adr_check_drafts(adr_findings *out, adr_repo *repo, const char *rev)
{
	adr__placeholders p = ADR__PLACEHOLDERS_INIT;
	adr_recordset set = ADR_RECORDSET_INIT;
	int rc;
	if ((rc = adr_repo_records(&set, repo, rev, ADR_PARSE_LENIENT)) < 0)
		return rc;
	if ((rc = adr__placeholders_load(&p, repo)) == 0)
		rc = adr__check_drafts(out, &p, &set);
	if (rc == 0 && out->count)
		qsort(out->items, out->count, sizeof(*out->items), by_place);
	adr__placeholders_dispose(&p);
	adr_recordset_dispose(&set);
	return rc;
}
