/*
 * validate.c: checking a record against the schema (adr_record_validate),
 * and the one rule for a link type (adr_link_type_valid).
 */
#include "adr/record.h"
#include "record/record_internal.h"
#include "util/error.h"
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

bool adr_link_type_valid(const char *t, size_t n)
{
	if (n == 0 || !(t[0] >= 'a' && t[0] <= 'z'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || adr__record_is_digit(t[i]) || t[i] == '-'))
			return false;
	return true;
}

int adr__record_check_title(const char *title)
{
	if (!title || !*title)
		return adr__error(ADR_EINVALID, "the title is empty");
	for (const char *p = title; *p; p++)
		if (*p == '\n' || *p == '\r')
			return adr__error(ADR_EINVALID, "the title '%.60s' has more than one line", title);
	for (size_t i = 0, n = strlen(title); i < n;) {
		uint32_t cp;
		size_t k = adr__utf8_decode((const unsigned char *)title + i, n - i, &cp);
		if (k == 0) /* the same words as adr_slugify's, which new reaches first */
			return adr__error(ADR_EINVALID, "the title is not valid UTF-8 (byte 0x%02x at %zu)",
					  (unsigned char)title[i], i + 1);
		i += k;
	}
	return 0;
}

static int check_strlist(const char *who, int f, const adr_strlist *l)
{
	for (size_t i = 0; i < l->count; i++) {
		const char *s = l->items[i];
		if (!*s)
			return adr__error(ADR_EINVALID, "%s: key '%s': item %zu is empty", who,
					  adr__record_fields[f], i + 1);
		if (strchr(s, '\n') || strchr(s, '\r'))
			return adr__error(ADR_EINVALID, "%s: key '%s': item %zu has more than one line",
					  who, adr__record_fields[f], i + 1);
		if (!adr__utf8_valid(s, strlen(s)))
			return adr__error(ADR_EINVALID, "%s: key '%s': item %zu is not valid UTF-8", who,
					  adr__record_fields[f], i + 1);
	}
	return 0;
}

/* A name (the owner): one line of UTF-8, not empty, as a list's items are. */
static int check_name(const char *who, int f, const char *s)
{
	const adr_strlist one = { (char **)&s, 1, 1 };
	return check_strlist(who, f, &one);
}

static int check_intlist(const char *who, int f, const adr_intlist *l)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i] < 0 || l->items[i] > NUMBER_MAX)
			return adr__error(ADR_EINVALID, "%s: key '%s': %d is not a record number", who,
					  adr__record_fields[f], l->items[i]);
	return 0;
}

int adr_record_validate(const adr_record *r)
{
	const char *who = r->path ? r->path : "<record>";
	struct { int f; const char *v; } dates[] = {
		{ F_DATE, r->date }, { F_REVIEW_BY, r->review_by }, { F_REVISIT, r->revisit },
		{ F_CLEANUP_BY, r->cleanup_by }
	};
	int rc;
	if ((int)r->status < ADR_STATUS_NONE || r->status > ADR_STATUS_SUPERSEDED)
		return adr__error(ADR_EINVALID, "%s: key 'status': %d is out of range", who, (int)r->status);
	if ((int)r->mode < ADR_MODE_NONE || r->mode > ADR_MODE_ASYNC)
		return adr__error(ADR_EINVALID, "%s: key 'mode': %d is out of range", who, (int)r->mode);
	if ((int)r->urgency < ADR_LEVEL_NONE || r->urgency > ADR_LEVEL_HIGH)
		return adr__error(ADR_EINVALID, "%s: key 'urgency': %d is out of range", who,
				  (int)r->urgency);
	if ((int)r->complexity < ADR_LEVEL_NONE || r->complexity > ADR_LEVEL_HIGH)
		return adr__error(ADR_EINVALID, "%s: key 'complexity': %d is out of range", who,
				  (int)r->complexity);
	if ((int)r->visibility < ADR_VISIBILITY_NONE || r->visibility > ADR_VISIBILITY_INTERNAL)
		return adr__error(ADR_EINVALID, "%s: key 'visibility': %d is out of range", who,
				  (int)r->visibility);
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		if (dates[i].v[0] && !adr_date_valid(dates[i].v))
			return adr__error(ADR_EINVALID, "%s: key '%s': '%.10s' is not a valid date (YYYY-MM-DD)",
					  who, adr__record_fields[dates[i].f], dates[i].v);
	if (r->owner && (rc = check_name(who, F_OWNER, r->owner)) < 0)
		return rc;
	if ((rc = check_strlist(who, F_DECISION_MAKERS, &r->decision_makers)) < 0 ||
	    (rc = check_strlist(who, F_REVIEWERS, &r->reviewers)) < 0 ||
	    (rc = check_strlist(who, F_CONSULTED, &r->consulted)) < 0 ||
	    (rc = check_strlist(who, F_INFORMED, &r->informed)) < 0 ||
	    (rc = check_strlist(who, F_TAGS, &r->tags)) < 0 ||
	    (r->tags.count > ADR_RECORD_TAGS_MAX &&
	     (rc = adr__error(ADR_EINVALID, "%s: key 'tags': %zu tags, the limit is %d", who, r->tags.count,
			      ADR_RECORD_TAGS_MAX)) < 0) ||
	    (rc = check_strlist(who, F_AFFECTS, &r->affects)) < 0 ||
	    (rc = check_intlist(who, F_SUPERSEDES, &r->supersedes)) < 0 ||
	    (rc = check_intlist(who, F_SUPERSEDED_BY, &r->superseded_by)) < 0)
		return rc;
	for (size_t i = 0; i < r->nlinks; i++) {
		const adr_link *l = &r->links[i];
		if (!l->type || !adr_link_type_valid(l->type, strlen(l->type)))
			return adr__error(ADR_EINVALID,
					  "%s: key 'links': link type '%s' is not a lowercase word ([a-z][a-z0-9-]*)",
					  who, l->type ? l->type : "");
		if (l->target < 0 || l->target > NUMBER_MAX)
			return adr__error(ADR_EINVALID, "%s: key 'links': %d is not a record number", who,
					  l->target);
	}
	if ((rc = adr__record_check_title(r->title)) < 0)
		return adr__error_prefix("%s", who);
	return 0;
}
