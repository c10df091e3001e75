/*
 * record.c: the record object (see adr/record.h): creating, freeing and
 * copying a record, its number lists and links. Reading is in parse.c,
 * writing in write.c, checking in validate.c, the title in title.c, file
 * names in filename.c, field names in fields.c.
 */
#include "adr/record.h"
#include "record/pack.h"
#include "record/record_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

/* adr_intlist */

int adr_intlist_add(adr_intlist *l, int v)
{
	if (ADR_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	l->items[l->count++] = v;
	return 0;
}

bool adr_intlist_contains(const adr_intlist *l, int v)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i] == v)
			return true;
	return false;
}

bool adr_record_links_to(const adr_record *r, int number)
{
	for (size_t i = 0; i < r->nlinks; i++)
		if (r->links[i].target == number)
			return true;
	return false;
}

bool adr_intlist_replace(adr_intlist *l, int from, int to)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i] == from) {
			l->items[i] = to;
			return true;
		}
	return false;
}

int adr_intlist_add_unique(adr_intlist *l, int v)
{
	return adr_intlist_contains(l, v) ? 0 : adr_intlist_add(l, v);
}

void adr_intlist_remove(adr_intlist *l, int v)
{
	size_t j = 0;
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i] != v)
			l->items[j++] = l->items[i];
	l->count = j;
}

bool adr_intlist_equal(const adr_intlist *a, const adr_intlist *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (a->items[i] != b->items[i])
			return false;
	return true;
}

void adr_intlist_dispose(adr_intlist *l)
{
	free(l->items);
	l->items = NULL;
	l->count = l->alloc = 0;
}

static int intlist_copy(adr_intlist *dst, const adr_intlist *src)
{
	adr_intlist_dispose(dst);
	for (size_t i = 0; i < src->count; i++)
		if (adr_intlist_add(dst, src->items[i]) < 0)
			return ADR_ENOMEM;
	return 0;
}

/* Replaces *slot with a copy of s[0..n). */
int adr__record_set_str(char **slot, const char *s, size_t n)
{
	char *p = adr__strndup(s, n);
	ADR_ALLOC_CHECK(p);
	free(*slot);
	*slot = p;
	return 0;
}

int adr__record_links_add(adr_record *r, const char *type, size_t tn, int target)
{
	adr_link *p;
	char *t = adr__strndup(type, tn);
	ADR_ALLOC_CHECK(t);
	for (size_t i = 0; i < tn; i++)
		t[i] = adr__record_lower(t[i]);
	p = adr__reallocarray(r->links, r->nlinks + 1, sizeof(*p));
	if (!p) {
		free(t);
		return ADR_ENOMEM;
	}
	r->links = p;
	r->links[r->nlinks].type = t;
	r->links[r->nlinks].target = target;
	r->nlinks++;
	return 0;
}

static void frontmatter_free(adr_frontmatter *fm)
{
	if (!fm)
		return;
	free(fm->packed);
	free(fm->block);
	free(fm->prefix);
	for (size_t i = 0; i < fm->count; i++) {
		free(fm->entries[i].key);
		free(fm->entries[i].raw);
	}
	free(fm->entries);
	free(fm);
}

static void links_free(adr_link *links, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(links[i].type);
	free(links);
}

void adr_record_free(adr_record *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->slug);
	free(r->title);
	free(r->status_word);
	adr_strlist_dispose(&r->decision_makers);
	adr_strlist_dispose(&r->consulted);
	adr_strlist_dispose(&r->informed);
	free(r->owner);
	adr_strlist_dispose(&r->reviewers);
	adr_intlist_dispose(&r->supersedes);
	adr_intlist_dispose(&r->superseded_by);
	links_free(r->links, r->nlinks);
	adr_strlist_dispose(&r->tags);
	adr_strlist_dispose(&r->affects);
	free(r->body);
	adr_strlist_dispose(&r->warnings);
	frontmatter_free(r->fm);
	free(r);
}

int adr_record_new(adr_record **out)
{
	adr_record *r = adr__calloc(1, sizeof(*r));
	*out = NULL;
	ADR_ALLOC_CHECK(r);
	r->number = -1;
	r->title = adr__strdup("");
	r->body = adr__strdup("");
	r->body_line = 1;
	if (!r->title || !r->body) {
		adr_record_free(r);
		return ADR_ENOMEM;
	}
	*out = r;
	return 0;
}

int adr_record_add_link(adr_record *r, const char *type, int target)
{
	if (!type || !adr_link_type_valid(type, strlen(type)))
		return adr__error(ADR_EINVALID, "link type '%s' is not a lowercase word ([a-z][a-z0-9-]*)",
				  type ? type : "");
	if (target < 0 || target > NUMBER_MAX)
		return adr__error(ADR_EINVALID, "%d is not a record number", target);
	for (size_t i = 0; i < r->nlinks; i++)
		if (r->links[i].target == target && strcmp(r->links[i].type, type) == 0)
			return 0;
	return adr__record_links_add(r, type, strlen(type), target);
}

static int dup_str(char **dst, const char *src)
{
	if (!src) {
		*dst = NULL;
		return 0;
	}
	*dst = adr__strdup(src);
	return *dst ? 0 : ADR_ENOMEM;
}

static int frontmatter_dup(adr_frontmatter **out, const adr_frontmatter *fm)
{
	adr_frontmatter *c;
	*out = NULL;
	if (!fm)
		return 0;
	if (!(c = adr__calloc(1, sizeof(*c))))
		return ADR_ENOMEM;
	*out = c;
	c->bom = fm->bom;
	c->crlf = fm->crlf;
	c->indent = fm->indent;
	if (dup_str(&c->block, fm->block) < 0 || dup_str(&c->prefix, fm->prefix) < 0)
		return ADR_ENOMEM;
	if (fm->count && !(c->entries = adr__calloc(fm->count, sizeof(*c->entries))))
		return ADR_ENOMEM;
	for (size_t i = 0; i < fm->count; i++) {
		fm_entry *e = &c->entries[c->count++];
		e->field = fm->entries[i].field;
		e->head_len = fm->entries[i].head_len;
		if (dup_str(&e->key, fm->entries[i].key) < 0 || dup_str(&e->raw, fm->entries[i].raw) < 0)
			return ADR_ENOMEM;
	}
	return 0;
}

int adr_record_dup(adr_record **out, const adr_record *r)
{
	adr_record *c = adr__calloc(1, sizeof(*c));
	int rc = ADR_ENOMEM;
	*out = NULL;
	ADR_ALLOC_CHECK(c);
	c->number = r->number;
	c->status = r->status;
	memcpy(c->date, r->date, sizeof(c->date));
	c->mode = r->mode;
	c->urgency = r->urgency;
	c->complexity = r->complexity;
	memcpy(c->review_by, r->review_by, sizeof(c->review_by));
	memcpy(c->revisit, r->revisit, sizeof(c->revisit));
	memcpy(c->cleanup_by, r->cleanup_by, sizeof(c->cleanup_by));
	c->visibility = r->visibility;
	c->has_frontmatter = r->has_frontmatter;
	c->body_line = r->body_line;
	if (dup_str(&c->path, r->path) < 0 || dup_str(&c->slug, r->slug) < 0 ||
	    dup_str(&c->title, r->title) < 0 || dup_str(&c->status_word, r->status_word) < 0 ||
	    dup_str(&c->body, r->body) < 0 || dup_str(&c->owner, r->owner) < 0)
		goto cleanup;
	if (adr_strlist_copy(&c->decision_makers, &r->decision_makers) < 0 ||
	    adr_strlist_copy(&c->consulted, &r->consulted) < 0 ||
	    adr_strlist_copy(&c->informed, &r->informed) < 0 ||
	    adr_strlist_copy(&c->reviewers, &r->reviewers) < 0 ||
	    adr_strlist_copy(&c->tags, &r->tags) < 0 ||
	    adr_strlist_copy(&c->affects, &r->affects) < 0 ||
	    adr_strlist_copy(&c->warnings, &r->warnings) < 0 ||
	    intlist_copy(&c->supersedes, &r->supersedes) < 0 ||
	    intlist_copy(&c->superseded_by, &r->superseded_by) < 0)
		goto cleanup;
	for (size_t i = 0; i < r->nlinks; i++)
		if (adr__record_links_add(c, r->links[i].type ? r->links[i].type : "",
			      r->links[i].type ? strlen(r->links[i].type) : 0, r->links[i].target) < 0)
			goto cleanup;
	if (adr__record_fm_unpack(r->fm) < 0 || frontmatter_dup(&c->fm, r->fm) < 0)
		goto cleanup;
	*out = c;
	c = NULL;
	rc = 0;
cleanup:
	adr_record_free(c);
	return rc;
}

int adr_record_extra_field(adr_buf *out, const adr_record *r, const char *key)
{
	const adr_frontmatter *fm = r->fm;

	adr_buf_clear(out);
	if (!fm)
		return 0;
	if (adr__record_fm_unpack(r->fm) < 0)
		return ADR_ENOMEM;
	for (size_t i = 0; i < fm->count; i++) {
		const fm_entry *e = &fm->entries[i];
		const char *v, *end;
		if (e->field >= 0 || !e->key || strcmp(e->key, key) != 0)
			continue;
		end = e->raw + e->head_len;
		if (!(v = memchr(e->raw, ':', e->head_len)))
			return 1;
		for (v++; v < end && (*v == ' ' || *v == '\t'); v++)
			;
		for (const char *p = v; p < end; p++)
			if (*p == '\n' || *p == '\r' || (*p == '#' && p > v && (p[-1] == ' ' || p[-1] == '\t'))) {
				end = p;
				break;
			}
		while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		if (end - v >= 2 && (*v == '"' || *v == '\'') && end[-1] == *v) {
			v++;
			end--;
		}
		adr_buf_put(out, v, (size_t)(end - v));
		return adr_buf_oom(out) ? ADR_ENOMEM : 1;
	}
	return 0;
}
