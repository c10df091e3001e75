/*
 * record/pack.c: a parsed record as compact bytes and back (record/pack.h).
 * Every number is 4 or 8 bytes in the machine's order; a string is its
 * length (0xffffffff for NULL) then its bytes; a list is its count then
 * its items.
 */
#include "record/pack.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record/record_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#define NO_STRING 0xffffffffu

/* A field added to adr_record (or to the front matter entries) must be
 * packed here too, and ADR__RECORD_PACK_VERSION raised: these fail the
 * build until then (on 64-bit machines, where the sizes are known). */
#if UINTPTR_MAX == 0xffffffffffffffffu
_Static_assert(sizeof(adr_record) == 384, "adr_record changed: pack and unpack its new fields");
_Static_assert(sizeof(struct adr_frontmatter) == 64, "adr_frontmatter changed: pack and unpack it");
_Static_assert(sizeof(fm_entry) == 32 && F_COUNT == 19, "fm_entry or the fields changed: pack and unpack them");
#endif

static void put_u32(adr_buf *b, uint32_t v)
{
	adr_buf_put(b, &v, sizeof(v));
}

static void put_str(adr_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u32(b, s ? (uint32_t)n : NO_STRING);
	adr_buf_put(b, s, n);
}

static void put_strlist(adr_buf *b, const adr_strlist *l)
{
	put_u32(b, (uint32_t)l->count);
	for (size_t i = 0; i < l->count; i++)
		put_str(b, l->items[i]);
}

static void put_intlist(adr_buf *b, const adr_intlist *l)
{
	put_u32(b, (uint32_t)l->count);
	for (size_t i = 0; i < l->count; i++)
		put_u32(b, (uint32_t)l->items[i]);
}

static void put_frontmatter(adr_buf *b, const adr_frontmatter *fm)
{
	put_u32(b, fm != NULL);
	if (!fm)
		return;
	put_u32(b, (uint32_t)fm->bom | (uint32_t)fm->crlf << 1);
	put_u32(b, (uint32_t)fm->indent);
	put_str(b, fm->block);
	put_str(b, fm->prefix);
	put_u32(b, (uint32_t)fm->count);
	for (size_t i = 0; i < fm->count; i++) {
		put_str(b, fm->entries[i].key);
		put_u32(b, (uint32_t)fm->entries[i].field);
		put_str(b, fm->entries[i].raw);
		put_u32(b, (uint32_t)fm->entries[i].head_len);
	}
}

void adr__record_pack(adr_buf *b, const adr_record *r)
{
	const uint32_t ints[] = { (uint32_t)r->number, r->status, r->mode, r->urgency, r->complexity,
				  r->visibility, r->has_frontmatter, (uint32_t)r->body_line };
	adr_buf_put(b, ints, sizeof(ints));
	adr_buf_put(b, r->date, sizeof(r->date));
	adr_buf_put(b, r->review_by, sizeof(r->review_by));
	adr_buf_put(b, r->revisit, sizeof(r->revisit));
	adr_buf_put(b, r->cleanup_by, sizeof(r->cleanup_by));
	put_str(b, r->path);
	put_str(b, r->slug);
	put_str(b, r->title);
	put_str(b, r->status_word);
	put_str(b, r->body);
	put_str(b, r->owner);
	put_strlist(b, &r->decision_makers);
	put_strlist(b, &r->reviewers);
	put_strlist(b, &r->consulted);
	put_strlist(b, &r->informed);
	put_strlist(b, &r->tags);
	put_strlist(b, &r->affects);
	put_strlist(b, &r->warnings);
	put_intlist(b, &r->supersedes);
	put_intlist(b, &r->superseded_by);
	put_u32(b, (uint32_t)r->nlinks);
	for (size_t i = 0; i < r->nlinks; i++) {
		put_str(b, r->links[i].type);
		put_u32(b, (uint32_t)r->links[i].target);
	}
	put_frontmatter(b, r->fm);
}

/* --- reading back --------------------------------------------------------- */

typedef struct {
	const unsigned char *p, *end;
	bool bad;  /* the bytes ran out or made no sense */
	bool oom;
} reader;

static uint32_t get_u32(reader *rd)
{
	uint32_t v = 0;
	if ((size_t)(rd->end - rd->p) < sizeof(v)) {
		rd->bad = true;
		return 0;
	}
	memcpy(&v, rd->p, sizeof(v));
	rd->p += sizeof(v);
	return v;
}

/* A count of items of at least `least` bytes each that fit in what is left. */
static size_t get_count(reader *rd, size_t least)
{
	uint32_t n = get_u32(rd);
	if ((size_t)(rd->end - rd->p) / least < n)
		rd->bad = true;
	return rd->bad ? 0 : n;
}

static void get_fixed(reader *rd, char *dst, size_t n)
{
	if ((size_t)(rd->end - rd->p) < n || memchr(rd->p, '\0', n) == NULL) {
		rd->bad = true;
		return;
	}
	memcpy(dst, rd->p, n);
	rd->p += n;
}

/* The next string (or NULL) into *slot, which must be NULL; with `slot`
 * NULL, only checked. Returns its length, or -1 for NULL (or bad bytes). */
static long get_str(reader *rd, char **slot)
{
	uint32_t n = get_u32(rd);
	if (rd->bad || n == NO_STRING)
		return -1;
	if ((size_t)(rd->end - rd->p) < n || memchr(rd->p, '\0', n)) {
		rd->bad = true;
		return -1;
	}
	if (slot && !(*slot = adr__strndup((const char *)rd->p, n)))
		rd->oom = rd->bad = true;
	rd->p += n;
	return (long)n;
}

static void get_strlist(reader *rd, adr_strlist *l)
{
	size_t n = get_count(rd, 4);
	if (n && !(l->items = adr__calloc(n, sizeof(*l->items)))) {
		rd->oom = rd->bad = true;
		return;
	}
	l->alloc = n;
	for (size_t i = 0; i < n && !rd->bad; i++) {
		get_str(rd, &l->items[i]);
		if (l->items[i])
			l->count++;
		else
			rd->bad = true;
	}
}

static void get_intlist(reader *rd, adr_intlist *l)
{
	size_t n = get_count(rd, 4);
	if (n && !(l->items = adr__calloc(n, sizeof(*l->items)))) {
		rd->oom = rd->bad = true;
		return;
	}
	l->alloc = n;
	for (size_t i = 0; i < n && !rd->bad; i++)
		l->items[l->count++] = (int)get_u32(rd);
}

/*
 * The front matter entries after the `present` word into `fm` (NULL: only
 * checked). They are read when a record is written back, not when it is
 * read: most commands never write.
 */
static void get_frontmatter(reader *rd, adr_frontmatter *fm)
{
	adr_frontmatter none;
	uint32_t bits;
	size_t n;

	if (!fm)
		memset(fm = &none, 0, sizeof(none));
	bits = get_u32(rd);
	fm->bom = bits & 1;
	fm->crlf = (bits & 2) != 0;
	fm->indent = (int)get_u32(rd);
	get_str(rd, fm == &none ? NULL : &fm->block);
	get_str(rd, fm == &none ? NULL : &fm->prefix);
	n = get_count(rd, 16);
	if (n && fm != &none && !(fm->entries = adr__calloc(n, sizeof(*fm->entries)))) {
		rd->oom = rd->bad = true;
		return;
	}
	for (size_t i = 0; i < n && !rd->bad; i++) {
		fm_entry e = { NULL, 0, NULL, 0 };
		long keylen, rawlen;
		keylen = get_str(rd, fm == &none ? NULL : &e.key);
		e.field = (int)get_u32(rd);
		rawlen = get_str(rd, fm == &none ? NULL : &e.raw);
		e.head_len = get_u32(rd);
		if (fm != &none)
			fm->entries[fm->count++] = e;
		if (keylen < 0 || rawlen < 0 || e.head_len > (size_t)rawlen || e.field < -1 || e.field >= F_COUNT)
			rd->bad = true;
	}
}

static void frontmatter_clear(adr_frontmatter *fm)
{
	free(fm->block);
	free(fm->prefix);
	for (size_t i = 0; i < fm->count; i++) {
		free(fm->entries[i].key);
		free(fm->entries[i].raw);
	}
	free(fm->entries);
}

int adr__record_fm_unpack(adr_frontmatter *fm)
{
	adr_frontmatter full;
	reader rd;

	if (!fm || !fm->packed)
		return 0;
	memset(&full, 0, sizeof(full));
	rd = (reader){ fm->packed, fm->packed + fm->npacked, false, false };
	get_frontmatter(&rd, &full);
	if (rd.bad) { /* checked when unpacked: only memory can run out */
		frontmatter_clear(&full);
		return ADR_ENOMEM;
	}
	free(fm->packed);
	*fm = full;
	return 0;
}

int adr__record_unpack(adr_record **out, const unsigned char *data, size_t len)
{
	reader rd = { data, data + len, false, false };
	adr_record *r = adr__calloc(1, sizeof(*r));
	uint32_t ints[8];
	size_t nlinks;

	*out = NULL;
	ADR_ALLOC_CHECK(r);
	for (size_t i = 0; i < 8; i++)
		ints[i] = get_u32(&rd);
	r->number = (int)ints[0];
	r->status = (adr_status)ints[1];
	r->mode = (adr_mode)ints[2];
	r->urgency = (adr_level)ints[3];
	r->complexity = (adr_level)ints[4];
	r->visibility = (adr_visibility)ints[5];
	r->has_frontmatter = ints[6] != 0;
	r->body_line = (int)ints[7];
	if (ints[1] > ADR_STATUS_SUPERSEDED || ints[2] > ADR_MODE_ASYNC || ints[3] > ADR_LEVEL_HIGH ||
	    ints[4] > ADR_LEVEL_HIGH || ints[5] > ADR_VISIBILITY_INTERNAL)
		rd.bad = true;
	get_fixed(&rd, r->date, sizeof(r->date));
	get_fixed(&rd, r->review_by, sizeof(r->review_by));
	get_fixed(&rd, r->revisit, sizeof(r->revisit));
	get_fixed(&rd, r->cleanup_by, sizeof(r->cleanup_by));
	get_str(&rd, &r->path);
	get_str(&rd, &r->slug);
	get_str(&rd, &r->title);
	get_str(&rd, &r->status_word);
	get_str(&rd, &r->body);
	get_str(&rd, &r->owner);
	get_strlist(&rd, &r->decision_makers);
	get_strlist(&rd, &r->reviewers);
	get_strlist(&rd, &r->consulted);
	get_strlist(&rd, &r->informed);
	get_strlist(&rd, &r->tags);
	get_strlist(&rd, &r->affects);
	get_strlist(&rd, &r->warnings);
	get_intlist(&rd, &r->supersedes);
	get_intlist(&rd, &r->superseded_by);
	nlinks = get_count(&rd, 8);
	if (nlinks && !(r->links = adr__calloc(nlinks, sizeof(*r->links))))
		rd.oom = rd.bad = true;
	for (size_t i = 0; i < nlinks && !rd.bad; i++) {
		adr_link *l = &r->links[r->nlinks++];
		get_str(&rd, &l->type);
		l->target = (int)get_u32(&rd);
		if (!l->type)
			rd.bad = true;
	}
	if (get_u32(&rd) && !rd.bad) {
		const unsigned char *start = rd.p;
		get_frontmatter(&rd, NULL);
		if (!rd.bad && !(r->fm = adr__calloc(1, sizeof(*r->fm))))
			rd.oom = rd.bad = true;
		if (!rd.bad && !(r->fm->packed = adr__malloc((size_t)(rd.p - start) + 1)))
			rd.oom = rd.bad = true;
		if (!rd.bad) {
			memcpy(r->fm->packed, start, (size_t)(rd.p - start));
			r->fm->npacked = (size_t)(rd.p - start);
		}
	}
	if (!r->title || !r->body || rd.p != rd.end)
		rd.bad = true;
	if (rd.bad) {
		adr_record_free(r);
		return rd.oom ? ADR_ENOMEM : 1;
	}
	*out = r;
	return 0;
}
