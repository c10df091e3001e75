/*
 * log/diff.c: the log's difference between two revisions (adr/diff.h):
 * the records of each, matched by number, as added, removed, or changed
 * with the names of the fields that changed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/diff.h"
#include "adr/html.h"
#include "util/alloc.h"

const char *adr_diff_kind_name(adr_diff_kind k)
{
	static const char *const names[] = { "added", "changed", "superseded", "deprecated", "removed" };
	return (unsigned)k < sizeof(names) / sizeof(names[0]) ? names[k] : "?";
}

void adr_diff_dispose(adr_diff *d)
{
	for (size_t i = 0; i < d->count; i++) {
		free(d->items[i].title);
		free(d->items[i].path);
		adr_strlist_dispose(&d->items[i].fields);
	}
	free(d->items);
	d->items = NULL;
	d->count = 0;
}

static bool str_eq(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

static bool links_eq(const adr_record *a, const adr_record *b)
{
	if (a->nlinks != b->nlinks)
		return false;
	for (size_t i = 0; i < a->nlinks; i++)
		if (a->links[i].target != b->links[i].target || strcmp(a->links[i].type, b->links[i].type) != 0)
			return false;
	return true;
}

static int changed_fields(adr_strlist *out, const adr_record *a, const adr_record *b)
{
	int rc = 0;
#define CHK(cond, name) \
	if (rc == 0 && !(cond)) \
	rc = adr_strlist_add(out, name)
	CHK(str_eq(a->title, b->title), "title");
	CHK(a->status == b->status && str_eq(a->status_word, b->status_word), "status");
	CHK(str_eq(a->date, b->date), "date");
	CHK(adr_strlist_equal(&a->decision_makers, &b->decision_makers), "decision-makers");
	CHK(adr_strlist_equal(&a->consulted, &b->consulted), "consulted");
	CHK(adr_strlist_equal(&a->informed, &b->informed), "informed");
	CHK(a->mode == b->mode, "mode");
	CHK(a->urgency == b->urgency, "urgency");
	CHK(a->complexity == b->complexity, "complexity");
	CHK(str_eq(a->review_by, b->review_by), "review-by");
	CHK(str_eq(a->revisit, b->revisit), "revisit");
	CHK(adr_intlist_equal(&a->supersedes, &b->supersedes), "supersedes");
	CHK(adr_intlist_equal(&a->superseded_by, &b->superseded_by), "superseded-by");
	CHK(links_eq(a, b), "links");
	CHK(adr_strlist_equal(&a->tags, &b->tags), "tags");
	CHK(a->visibility == b->visibility, "visibility");
	CHK(str_eq(a->body, b->body), "body");
	CHK(str_eq(a->path, b->path), "path");
#undef CHK
	return rc < 0 ? ADR_ENOMEM : 0;
}

static int add_item(adr_diff *d, adr_diff_kind kind, const adr_record *r, adr_strlist *fields)
{
	adr_diff_item *p = adr__reallocarray(d->items, d->count + 1, sizeof(*p));
	ADR_ALLOC_CHECK(p);
	d->items = p;
	p += d->count;
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->number = r->number;
	snprintf(p->status, sizeof(p->status), "%s", r->status ? adr_status_name(r->status) : "");
	p->title = adr__strdup(r->title ? r->title : "");
	p->path = adr__strdup(r->path ? r->path : "");
	if (fields) {
		p->fields = *fields;
		*fields = (adr_strlist)ADR_STRLIST_INIT;
	}
	d->count++;
	if (!p->title || !p->path)
		return ADR_ENOMEM;
	return 0;
}

/* Leaves out (and frees) the records `audience` may not see. */
static void keep_visible(adr_recordset *set, adr_repo *repo, adr_visibility audience)
{
	adr_visibility def = adr_repo_default_visibility(repo);
	size_t kept = 0;
	for (size_t i = 0; i < set->count; i++) {
		if (adr_html_visible(adr_html_record_visibility(set->items[i], def), audience))
			set->items[kept++] = set->items[i];
		else
			adr_record_free(set->items[i]);
	}
	set->count = kept;
}

int adr_diff_revs(adr_diff *out, adr_repo *repo, const char *from, const char *to)
{
	return adr_diff_revs_for(out, repo, from, to, ADR_VISIBILITY_NONE);
}

int adr_diff_revs_for(adr_diff *out, adr_repo *repo, const char *from, const char *to, adr_visibility audience)
{
	adr_recordset a = ADR_RECORDSET_INIT, b = ADR_RECORDSET_INIT;
	adr_strlist fields = ADR_STRLIST_INIT;
	size_t i = 0, j = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = adr_repo_records(&a, repo, from, ADR_PARSE_LENIENT)) < 0 ||
	    (rc = adr_repo_records(&b, repo, to, ADR_PARSE_LENIENT)) < 0)
		goto cleanup;
	if (audience != ADR_VISIBILITY_NONE) {
		keep_visible(&a, repo, audience);
		keep_visible(&b, repo, audience);
	}
	memcpy(out->from, a.commit, sizeof(out->from));
	memcpy(out->to, b.commit, sizeof(out->to));
	/* Both sets are sorted by number. */
	while (rc == 0 && (i < a.count || j < b.count)) {
		const adr_record *x = i < a.count ? a.items[i] : NULL, *y = j < b.count ? b.items[j] : NULL;
		if (x && (!y || x->number < y->number)) {
			rc = add_item(out, ADR_DIFF_REMOVED, x, NULL);
			i++;
		} else if (y && (!x || y->number < x->number)) {
			rc = add_item(out, ADR_DIFF_ADDED, y, NULL);
			j++;
		} else {
			adr_strlist_dispose(&fields);
			if ((rc = changed_fields(&fields, x, y)) == 0 && fields.count) {
				adr_diff_kind k = ADR_DIFF_CHANGED;
				if (x->status != y->status && y->status == ADR_STATUS_SUPERSEDED)
					k = ADR_DIFF_SUPERSEDED;
				else if (x->status != y->status && y->status == ADR_STATUS_DEPRECATED)
					k = ADR_DIFF_DEPRECATED;
				rc = add_item(out, k, y, &fields);
			}
			i++;
			j++;
		}
	}
cleanup:
	adr_strlist_dispose(&fields);
	adr_recordset_dispose(&a);
	adr_recordset_dispose(&b);
	if (rc < 0)
		adr_diff_dispose(out);
	return rc;
}
