/*
 * site/model.c: the values the templates see: the site-wide part, a row of
 * the log table, links to records and tags, and a record's page (its
 * history comes from site/timeline.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "site/site_internal.h"
#include "adr/clock.h"
#include "adr/nextsteps.h"
#include "util/alloc.h"
#include "util/error.h"
#include "text/value.h"

#define CHAIN_MAX 100

static adr_value *strlist_value(const adr_strlist *l)
{
	adr_value *v = adr__value_list();

	for (size_t i = 0; v && i < l->count; i++)
		if (adr__value_list_append_string(v, l->items[i]) < 0) {
			adr__value_free(v);
			return NULL;
		}
	return v;
}

/*
 * A reference to record `number`, for the reclink partial. Every key the
 * partial (and the banner's chain) reads is set, to a value or to false:
 * a missing one would make Mustache climb to the page's own values, and a
 * hidden record would show as a link to the page itself.
 *   visible:  {href, id, title, status, hidden: false, missing: false}
 *   hidden:   {href: false, hidden: true, label: HIDDEN_TEXT} (no number, no title)
 *   missing:  {href: false, missing: true, label: "0099 (no such record)"}
 * `type` is false: related_value() sets it for a visible target.
 */
static adr_value *rec_link(site *s, int number)
{
	site_rec *t = adr__site_find_rec(s, number);
	adr_value *v = adr__value_map();
	char label[64];

	if (!v)
		return NULL;
	adr__value_map_set_bool(v, "type", false);
	adr__value_map_set_bool(v, "hidden", t && !t->visible);
	adr__value_map_set_bool(v, "missing", !t);
	if (!t || !t->visible) {
		if (!t)
			snprintf(label, sizeof(label), "%04d (no such record)", number);
		adr__value_map_set_bool(v, "href", false);
		adr__value_map_set_bool(v, "id", false);
		adr__value_map_set_bool(v, "title", false);
		adr__value_map_set_bool(v, "status", false);
		adr__value_map_set_string(v, "label", t ? HIDDEN_TEXT : label);
		return v;
	}
	adr__value_map_set_string(v, "href", t->page);
	adr__value_map_set_string(v, "id", t->id);
	adr__value_map_set_string(v, "title", t->r->title);
	adr__value_map_set_string(v, "status", adr__site_status(t->r));
	adr__value_map_set_bool(v, "label", false);
	return v;
}

/* Links to records; hidden ones show as one anonymous line (so not even
 * their count leaks), or not at all with `skip_hidden`; a number no record
 * has shows as such. */
static adr_value *rec_links(site *s, const adr_intlist *l, bool skip_hidden)
{
	adr_value *v = adr__value_list();
	bool hidden_added = false;

	for (size_t i = 0; v && i < l->count; i++) {
		site_rec *t = adr__site_find_rec(s, l->items[i]);
		if (t && !t->visible) {
			if (hidden_added || skip_hidden)
				continue;
			hidden_added = true;
		}
		if (adr__value_list_append(v, rec_link(s, l->items[i])) < 0) {
			adr__value_free(v);
			return NULL;
		}
	}
	return v;
}

static int cmp_tag_name(const void *key, const void *elem)
{
	return strcmp(key, ((const site_tag *)elem)->name);
}

static adr_value *tag_links(site *s, const adr_strlist *tags)
{
	adr_value *v = adr__value_list();

	for (size_t i = 0; v && i < tags->count; i++) {
		adr_value *t = adr__value_map();
		/* s->tags is sorted by name (adr__site_plan()) */
		const site_tag *found = bsearch(tags->items[i], s->tags, s->ntags, sizeof(*s->tags), cmp_tag_name);
		const char *page = found ? found->page : NULL;
		adr__value_map_set_string(t, "name", tags->items[i]);
		adr__value_map_set_string(t, "href", page);
		if (adr__value_list_append(v, t) < 0) {
			adr__value_free(v);
			return NULL;
		}
	}
	return v;
}

/*
 * One row of the log table. Tag pages leave out each record's tags
 * (`with_tags` false): listing all of a record's tags on each of its tag
 * pages made the site grow with the square of the tag count (F07).
 */
adr_value *adr__site_row_value(site *s, const site_rec *sr, bool with_tags)
{
	const adr_record *r = sr->r;
	adr_value *v = adr__value_map();
	adr_buf makers = ADR_BUF_INIT, tags = ADR_BUF_INIT;

	if (!v)
		return NULL;
	for (size_t i = 0; i < r->decision_makers.count; i++)
		adr_buf_printf(&makers, "%s%s", i ? ", " : "", r->decision_makers.items[i]);
	for (size_t i = 0; with_tags && i < r->tags.count; i++)
		adr_buf_printf(&tags, "%s%s", i ? "," : "", r->tags.items[i]);
	adr__value_map_set_string(v, "id", sr->id);
	adr__value_map_set_number(v, "number", r->number);
	adr__value_map_set_string(v, "title", r->title[0] ? r->title : "(untitled)");
	adr__value_map_set_string(v, "href", sr->page);
	adr__value_map_set_string(v, "status", adr__site_status(r));
	adr__value_map_set_string(v, "date", r->date[0] ? r->date : NULL);
	adr__value_map_set_string(v, "mode", r->mode ? adr_mode_name(r->mode) : NULL);
	adr__value_map_set_bool(v, "incomplete", sr->incomplete);
	if (with_tags) {
		adr__value_map_set(v, "tags", tag_links(s, &r->tags));
		adr__value_map_set_string(v, "tags_attr", tags.ptr);
	}
	adr__value_map_set_string(v, "makers", makers.ptr);
	adr__value_map_set_string(v, "visibility",
				 adr_visibility_name(adr_html_record_visibility(r, s->def_vis)));
	if (adr_buf_oom(&makers) || adr_buf_oom(&tags)) {
		adr__value_free(v);
		v = NULL;
	}
	adr_buf_dispose(&makers);
	adr_buf_dispose(&tags);
	return v;
}

int adr__site_build_value(site *s)
{
	adr_value *root = adr__value_map(), *v = adr__value_map(), *tags = adr__value_list();
	char now[32], iso[32];
	time_t t = (time_t)adr_now();
	struct tm tm;
	const char *aud = adr_visibility_name(s->audience);

	if (!root || !v || !tags) {
		adr__value_free(root);
		adr__value_free(v);
		adr__value_free(tags);
		return ADR_ENOMEM;
	}
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M UTC", &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	adr__value_map_set_string(v, "title", s->opts->title ? s->opts->title : "Decision log");
	adr__value_map_set_string(v, "commit", s->set.commit);
	adr__value_map_set_stringn(v, "commit_short", s->set.commit, strnlen(s->set.commit, 12));
	adr__value_map_set_string(v, "build_date", now);
	adr__value_map_set_string(v, "build_iso", iso);
	adr__value_map_set_string(v, "audience", aud);
	adr__value_map_set_bool(v, "internal", s->audience == ADR_VISIBILITY_INTERNAL);
	adr__value_map_set_string(v, "base_url", s->opts->base_url);
	adr__value_map_set_number(v, "published", (double)s->res->published);
	for (size_t i = 0; i < s->ntags; i++) {
		adr_value *tv = adr__value_map();
		adr__value_map_set_string(tv, "name", s->tags[i].name);
		adr__value_map_set_string(tv, "href", s->tags[i].page);
		adr__value_map_set_number(tv, "count", (double)s->tags[i].count);
		adr__value_list_append(tags, tv);
	}
	adr__value_map_set(v, "tags", tags);
	adr__value_map_set(root, "site", v);
	s->site = root;
	return adr__value_failed(root) ? adr__error_oom() : 0;
}

/* `has_<key>: true` for every non-empty list, for templates to test. */
int adr__site_set_has_flags(adr_value *page)
{
	adr_strlist keys = ADR_STRLIST_INIT;
	adr_buf k = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < adr__value_count(page); i++) {
		const adr_value *v = adr__value_map_value(page, i);
		if (adr__value_kind_of(v) == ADR_VALUE_LIST && adr__value_count(v) > 0 &&
		    adr_strlist_add(&keys, adr__value_map_key(page, i, NULL)) < 0)
			rc = ADR_ENOMEM;
	}
	for (size_t i = 0; i < keys.count && rc == 0; i++) {
		adr_buf_clear(&k);
		adr_buf_printf(&k, "has_%s", keys.items[i]);
		if (adr_buf_oom(&k))
			rc = ADR_ENOMEM;
		else
			rc = adr__value_map_set_bool(page, k.ptr, true);
	}
	adr_strlist_dispose(&keys);
	adr_buf_dispose(&k);
	return rc;
}


/* The chain forward from `sr` to the decision in force now. */
static adr_value *chain_value(site *s, const site_rec *sr)
{
	adr_value *chain = adr__value_list();
	adr_intlist seen = ADR_INTLIST_INIT;

	for (const site_rec *c = sr; c && c->superseded_by.count && chain && seen.count < CHAIN_MAX;) {
		int next = c->superseded_by.items[0];
		site_rec *t = adr__site_find_rec(s, next);
		if (adr_intlist_contains(&seen, next) || next == sr->r->number)
			break;
		if (adr_intlist_add(&seen, next) < 0) { /* a cycle would go round: no chain */
			adr__value_free(chain);
			chain = NULL;
			break;
		}
		adr__value_list_append(chain, rec_link(s, next));
		if (!t || !t->visible)
			break; /* nothing past a hidden record */
		c = t;
	}
	adr_intlist_dispose(&seen);
	return chain;
}

/* The record's typed links. Hidden targets collapse to one anonymous line
 * without its type, so neither their number nor how they relate leaks; a
 * number no record has keeps its type. */
static adr_value *related_value(site *s, const adr_record *r)
{
	adr_value *related = adr__value_list();

	for (size_t k = 0, hidden_added = 0; related && k < r->nlinks; k++) {
		site_rec *t = adr__site_find_rec(s, r->links[k].target);
		adr_value *l;
		if (t && !t->visible) {
			if (hidden_added++)
				continue;
			adr__value_list_append(related, rec_link(s, r->links[k].target));
			continue;
		}
		l = rec_link(s, r->links[k].target);
		adr__value_map_set_string(l, "type", r->links[k].type);
		adr__value_list_append(related, l);
	}
	return related;
}

/* The record's next steps (adr/nextsteps.h): text, owner, due date, done. */
static adr_value *next_steps_value(const adr_record *r)
{
	adr_next_steps ns;
	adr_value *list = adr__value_list();

	if (!list || adr_next_steps_parse(&ns, r) < 0) {
		adr__value_free(list);
		return NULL;
	}
	for (size_t i = 0; i < ns.count; i++) {
		const adr_next_step *st = &ns.items[i];
		adr_value *v = adr__value_map();
		adr__value_map_set_string(v, "text", st->text);
		adr__value_map_set_string(v, "owner", st->owner);
		adr__value_map_set_string(v, "due", st->due[0] ? st->due : NULL);
		adr__value_map_set_bool(v, "done", st->done);
		adr__value_list_append(list, v);
	}
	adr_next_steps_dispose(&ns);
	return list;
}

adr_value *adr__site_record_value(site *s, const site_rec *sr, const char *body_html, bool raw)
{
	const adr_record *r = sr->r;
	adr_value *page = adr__site_row_value(s, sr, true);
	char today[11];

	if (!page)
		return NULL;
	adr__value_map_set_string(page, "body_html", body_html);
	adr__value_map_set_bool(page, "raw", raw);
	adr__value_map_set(page, "decision_makers", strlist_value(&r->decision_makers));
	adr__value_map_set(page, "consulted", strlist_value(&r->consulted));
	adr__value_map_set(page, "informed", strlist_value(&r->informed));
	adr__value_map_set_string(page, "owner", r->owner);
	adr__value_map_set(page, "next_steps", next_steps_value(r));
	adr__value_map_set_string(page, "urgency", r->urgency ? adr_level_name(r->urgency) : NULL);
	adr__value_map_set_string(page, "complexity", r->complexity ? adr_level_name(r->complexity) : NULL);
	adr__value_map_set_string(page, "review_by",
				 r->review_by[0] && r->status == ADR_STATUS_PROPOSED ? r->review_by : NULL);
	adr__value_map_set_string(page, "revisit", r->revisit[0] ? r->revisit : NULL);
	/* dates that have gone by (ADR_NOW or today), flagged on the page */
	adr_today(today);
	adr__value_map_set_bool(page, "review_by_past", r->review_by[0] && strcmp(r->review_by, today) < 0);
	/* only a decision in force is revisited (the history says the same) */
	adr__value_map_set_bool(page, "revisit_past", r->revisit[0] && strcmp(r->revisit, today) < 0 &&
							       r->status != ADR_STATUS_SUPERSEDED &&
							       r->status != ADR_STATUS_DEPRECATED &&
							       r->status != ADR_STATUS_REJECTED);
	adr__value_map_set(page, "supersedes", rec_links(s, &sr->supersedes, false));
	adr__value_map_set(page, "superseded_by", rec_links(s, &sr->superseded_by, false));
	/* A record the audience cannot see linking here is none of its business. */
	adr__value_map_set(page, "linked_from", rec_links(s, &sr->linked_from, true));
	adr__value_map_set(page, "chain", chain_value(s, sr));
	adr__value_map_set(page, "related", related_value(s, r));
	return page;
}
