/*
 * site/plan.c: what a build decides before it writes: which records the
 * audience sees, each record's page name, the supersede and link graphs in
 * both directions, and the tags with their page names.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "site/site_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"

static bool safe_slug(const char *s)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return n <= 60;
}

static int cmp_pair(const void *a, const void *b)
{
	const tag_pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

/* Adds `name` to the hash set `slots` (of `cap` entries, owned by `own`);
 * false when it is there already. */
static int name_set_add(const char **slots, size_t cap, adr_strlist *own, const char *name, bool *added)
{
	size_t i = (size_t)(adr__hash(name, strlen(name)) % cap);

	*added = false;
	for (; slots[i]; i = (i + 1) % cap)
		if (strcmp(slots[i], name) == 0)
			return 0;
	if (adr_strlist_add(own, name) < 0)
		return ADR_ENOMEM;
	slots[i] = own->items[own->count - 1];
	*added = true;
	return 0;
}

/* Who sees each record, and its page name. */
static int plan_pages(site *s)
{
	adr_buf b = ADR_BUF_INIT;
	int rc = 0;

	if (!(s->recs = adr__calloc(s->set.count, sizeof(*s->recs))))
		return ADR_ENOMEM;
	for (size_t i = 0; i < s->set.count; i++) {
		site_rec *sr = &s->recs[i];
		adr_record *r = s->set.items[i];
		sr->r = r;
		sr->visible = r->number >= 0 &&
			      adr_html_visible(adr_html_record_visibility(r, s->def_vis), s->audience);
		sr->incomplete = adr__placeholder_find(&s->placeholders, r->body, NULL) ||
				 (r->status == ADR_STATUS_ACCEPTED &&
				  adr__placeholder_empty_decision(&s->placeholders, r->body));
		snprintf(sr->id, sizeof(sr->id), "%04d", r->number);
		/* Hidden records get a page name too (never written, never linked:
		 * `visible` is the only gate), so no code path meets a NULL page and
		 * a missed visibility check shows up as a leak the tests look for,
		 * not as a crash (mutant M2a). */
		adr_buf_clear(&b);
		if (safe_slug(r->slug))
			adr_buf_printf(&b, "%s-%s", sr->id, r->slug);
		else
			adr_buf_printf(&b, "%s", sr->id);
		if (i > 0 && s->set.items[i - 1]->number == r->number) /* two files, one number */
			adr_buf_printf(&b, "-%zu", i);
		adr_buf_puts(&b, ".html");
		if (adr_buf_oom(&b) || !(sr->page = adr__strdup(b.ptr))) {
			rc = ADR_ENOMEM;
			break;
		}
		if (sr->visible)
			s->res->published++;
		else
			s->res->hidden++;
	}
	adr_buf_dispose(&b);
	return rc;
}

/* A reference to a number no record has: the page shows it as text, and
 * the build says so (a typo, or a record deleted or renumbered). */
static void warn_dangling(site *s, const adr_record *r, const char *field, int number, const char *type)
{
	adr__site_warn(s, "%s: %s %04d%s%s%s: no such record (shown without a link)",
		       r->path ? r->path : "(no path)", field, number, type ? " (" : "", type ? type : "",
		       type ? ")" : "");
}

/* Supersede and link graphs, both directions; dangling references warned. */
static void plan_graphs(site *s)
{
	for (size_t i = 0; i < s->set.count; i++) {
		site_rec *sr = &s->recs[i];
		const adr_record *r = sr->r;
		for (size_t k = 0; k < r->supersedes.count; k++) {
			site_rec *t = adr__site_find_rec(s, r->supersedes.items[k]);
			adr_intlist_add_unique(&sr->supersedes, r->supersedes.items[k]);
			if (t)
				adr_intlist_add_unique(&t->superseded_by, r->number);
			else
				warn_dangling(s, r, "supersedes", r->supersedes.items[k], NULL);
		}
		for (size_t k = 0; k < r->superseded_by.count; k++) {
			site_rec *t = adr__site_find_rec(s, r->superseded_by.items[k]);
			adr_intlist_add_unique(&sr->superseded_by, r->superseded_by.items[k]);
			if (t)
				adr_intlist_add_unique(&t->supersedes, r->number);
			else
				warn_dangling(s, r, "superseded-by", r->superseded_by.items[k], NULL);
		}
		for (size_t k = 0; k < r->nlinks; k++) {
			site_rec *t = adr__site_find_rec(s, r->links[k].target);
			if (t)
				adr_intlist_add_unique(&t->linked_from, r->number);
			else
				warn_dangling(s, r, "links to", r->links[k].target, r->links[k].type);
		}
	}
}

/* The (tag, record) pairs of visible records, sorted by tag. */
static int plan_pairs(site *s)
{
	for (size_t i = 0; i < s->set.count; i++)
		if (s->recs[i].visible)
			s->npairs += s->recs[i].r->tags.count;
	if (!(s->pairs = adr__calloc(s->npairs, sizeof(*s->pairs))) ||
	    !(s->tags = adr__calloc(s->npairs, sizeof(*s->tags))))
		return ADR_ENOMEM;
	s->npairs = 0;
	for (size_t i = 0; i < s->set.count; i++) {
		if (!s->recs[i].visible)
			continue;
		for (size_t k = 0; k < s->recs[i].r->tags.count; k++) {
			s->pairs[s->npairs].name = s->recs[i].r->tags.items[k];
			s->pairs[s->npairs++].rec = i;
		}
	}
	qsort(s->pairs, s->npairs, sizeof(*s->pairs), cmp_pair);
	return 0;
}

/* t->page: "tag-<slug>.html", numbered when another tag took the name
 * (`slots`, `cap`, `pages`: the names given so far). */
static int tag_page(site *s, site_tag *t, const char **slots, size_t cap, adr_strlist *pages)
{
	adr_buf b = ADR_BUF_INIT, tmp = ADR_BUF_INIT;
	size_t stem;
	bool added = false;
	int rc = 0;

	/* out of memory is no name without letters: the page name would change */
	if ((rc = adr_slugify(&tmp, t->name)) == ADR_ENOMEM)
		goto cleanup;
	if (rc < 0 || tmp.size == 0 || !safe_slug(tmp.ptr)) {
		adr_error_clear();
		adr_buf_printf(&b, "tag-%zu", s->ntags + 1);
	} else {
		adr_buf_printf(&b, "tag-%s", tmp.ptr);
	}
	/* tag names that slugify alike get a number; at most one try per tag */
	stem = b.size;
	for (size_t n = 0; !added && n <= s->npairs; n++) {
		adr_buf_truncate(&b, stem);
		if (n)
			adr_buf_printf(&b, "-%zu", s->ntags + n);
		if (adr_buf_oom(&b) || (rc = name_set_add(slots, cap, pages, b.ptr, &added)) < 0) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
	adr_buf_puts(&b, ".html");
	if (adr_buf_oom(&b) || !(t->page = adr__strdup(b.ptr)))
		rc = ADR_ENOMEM;
cleanup:
	adr_buf_dispose(&b);
	adr_buf_dispose(&tmp);
	return rc;
}

/* The tags of visible records, with their page names. */
static int plan_tags(site *s)
{
	adr_strlist pages = ADR_STRLIST_INIT;
	const char **slots = NULL;
	size_t cap;
	int rc;

	if ((rc = plan_pairs(s)) < 0)
		return rc;
	cap = 2 * s->npairs + 16;
	if (!(slots = adr__calloc(cap, sizeof(*slots))))
		return ADR_ENOMEM;
	for (size_t i = 0; i < s->npairs;) {
		size_t j = i;
		site_tag *t = &s->tags[s->ntags];
		while (j < s->npairs && strcmp(s->pairs[j].name, s->pairs[i].name) == 0)
			j++;
		t->name = s->pairs[i].name;
		t->first = i;
		t->count = j - i;
		if ((rc = tag_page(s, t, slots, cap, &pages)) < 0)
			break;
		s->ntags++;
		i = j;
	}
	free(slots);
	adr_strlist_dispose(&pages);
	return rc;
}

int adr__site_plan(site *s)
{
	int rc;

	if ((rc = adr__placeholders_load(&s->placeholders, s->repo)) < 0 || (rc = plan_pages(s)) < 0)
		return rc;
	plan_graphs(s);
	return plan_tags(s);
}
