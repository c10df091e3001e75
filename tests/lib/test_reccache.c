/* Unit tests for lib/record/pack.c, the bytes the cache of parsed records
 * (lib/git/reccache.c) keeps: a record read back is the record parsed, and
 * bytes that are not a whole packed record are refused, never trusted. */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "adr/record.h"
#include "record/legacy.h"
#include "record/pack.h"

static const char *const samples[] = {
	/* every field, a comment, a link, an indented key */
	"---\n# kept\nstatus: accepted\ndate: 2026-11-21\ndecision-makers: [Ana, Bo]\nconsulted: [Cy]\n"
	"informed: [Di]\nmode: async\nurgency: high\ncomplexity: low\nreview-by: 2026-12-01\n"
	"revisit: 2027-01-01\ncleanup-by: 2026-12-24\nsupersedes: [1, 2]\nsuperseded-by: [9]\n"
	"links: [relates-to 3, amends 4]\ntags: [db, ops]\nvisibility: partner\naffects: [\"db/**\"]\n"
	"custom: 'kept as written'\n---\n# Use PostgreSQL\n\nBody.\n",
	/* lenient warnings, CRLF, a BOM */
	"\xEF\xBB\xBF---\r\nstatus: pondering\r\ndate: 2026-13-45\r\n---\r\n# Odd\r\n\r\nText.\r\n",
	/* no front matter */
	"# Just a title\n\nAnd a body.\n",
	/* the adr-tools format (legacy.c takes status and date from the body) */
	"# 2. Keep the cache\n\nDate: 2026-11-21\n\n## Status\n\nAccepted\n\n## Context\n\nText.\n",
};

static adr_record *parse(const char *text)
{
	adr_record *r = NULL;
	cr_assert_eq(adr_record_parse(&r, "docs/decisions/0002-use-postgresql.md", text, strlen(text),
				      ADR_PARSE_LENIENT), 0, "%s", adr_error_last());
	cr_assert_eq(adr__legacy_apply(r), 0);
	return r;
}

static void assert_same(const adr_record *a, const adr_record *b)
{
	adr_buf x = ADR_BUF_INIT, y = ADR_BUF_INIT;
	cr_assert_eq(a->number, b->number);
	cr_assert_str_eq(a->path, b->path);
	cr_assert_str_eq(a->title, b->title);
	cr_assert_str_eq(a->body, b->body);
	cr_assert_eq(a->status, b->status);
	cr_assert_eq(!a->status_word, !b->status_word);
	cr_assert_str_eq(a->date, b->date);
	cr_assert(adr_strlist_equal(&a->decision_makers, &b->decision_makers));
	cr_assert(adr_strlist_equal(&a->consulted, &b->consulted));
	cr_assert(adr_strlist_equal(&a->informed, &b->informed));
	cr_assert(adr_strlist_equal(&a->tags, &b->tags));
	cr_assert(adr_strlist_equal(&a->affects, &b->affects));
	cr_assert(adr_strlist_equal(&a->warnings, &b->warnings));
	cr_assert(adr_intlist_equal(&a->supersedes, &b->supersedes));
	cr_assert(adr_intlist_equal(&a->superseded_by, &b->superseded_by));
	cr_assert_eq(a->nlinks, b->nlinks);
	for (size_t i = 0; i < a->nlinks; i++) {
		cr_assert_str_eq(a->links[i].type, b->links[i].type);
		cr_assert_eq(a->links[i].target, b->links[i].target);
	}
	cr_assert_eq(a->mode, b->mode);
	cr_assert_eq(a->urgency, b->urgency);
	cr_assert_eq(a->complexity, b->complexity);
	cr_assert_eq(a->visibility, b->visibility);
	cr_assert_str_eq(a->review_by, b->review_by);
	cr_assert_str_eq(a->revisit, b->revisit);
	cr_assert_str_eq(a->cleanup_by, b->cleanup_by);
	cr_assert_eq(a->has_frontmatter, b->has_frontmatter);
	cr_assert_eq(a->body_line, b->body_line);
	/* written back the same, bytes kept: the front matter entries came along */
	cr_assert_eq(adr_record_serialize(&x, a), 0);
	cr_assert_eq(adr_record_serialize(&y, b), 0);
	cr_assert_eq(x.size, y.size);
	cr_assert(memcmp(x.ptr, y.ptr, x.size) == 0, "serialized differently:\n%s\n---\n%s", x.ptr, y.ptr);
	adr_buf_dispose(&x);
	adr_buf_dispose(&y);
}

static adr_record *roundtrip(const adr_record *r, adr_buf *bytes)
{
	adr_record *back = NULL;
	adr__record_pack(bytes, r);
	cr_assert(!adr_buf_oom(bytes));
	cr_assert_eq(adr__record_unpack(&back, (const unsigned char *)bytes->ptr, bytes->size), 0);
	return back;
}

Test(pack, roundtrip_is_the_parsed_record)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(*samples); i++) {
		adr_record *r = parse(samples[i]), *back;
		adr_buf bytes = ADR_BUF_INIT;
		back = roundtrip(r, &bytes);
		assert_same(r, back);
		adr_record_free(back);
		adr_record_free(r);
		adr_buf_dispose(&bytes);
	}
}

Test(pack, changed_after_unpack_writes_like_the_parsed_record)
{
	adr_record *r = parse(samples[0]), *back, *copy = NULL;
	adr_buf bytes = ADR_BUF_INIT, x = ADR_BUF_INIT, y = ADR_BUF_INIT;
	back = roundtrip(r, &bytes);
	/* a copy made before the entries are unpacked carries them too */
	cr_assert_eq(adr_record_dup(&copy, back), 0);
	cr_assert_eq(adr_record_add_link(r, "amends", 7), 0);
	cr_assert_eq(adr_record_add_link(copy, "amends", 7), 0);
	cr_assert_eq(adr_record_serialize(&x, r), 0);
	cr_assert_eq(adr_record_serialize(&y, copy), 0);
	cr_assert_str_eq(x.ptr, y.ptr);
	cr_assert(strstr(y.ptr, "custom: 'kept as written'\n"));
	adr_record_free(copy);
	adr_record_free(back);
	adr_record_free(r);
	adr_buf_dispose(&bytes);
	adr_buf_dispose(&x);
	adr_buf_dispose(&y);
}

Test(pack, short_or_extra_bytes_are_refused)
{
	adr_record *r = parse(samples[0]), *back = NULL;
	adr_buf bytes = ADR_BUF_INIT;
	adr__record_pack(&bytes, r);
	for (size_t n = 0; n < bytes.size; n++) {
		cr_assert_eq(adr__record_unpack(&back, (const unsigned char *)bytes.ptr, n), 1, "cut at %zu", n);
		cr_assert_null(back);
	}
	adr_buf_putc(&bytes, 'x');
	cr_assert_eq(adr__record_unpack(&back, (const unsigned char *)bytes.ptr, bytes.size), 1);
	adr_record_free(r);
	adr_buf_dispose(&bytes);
}

Test(pack, garbage_is_refused)
{
	unsigned char junk[4096];
	adr_record *back = NULL;
	srand(14);
	for (int round = 0; round < 200; round++) {
		size_t n = (size_t)(rand() % (int)sizeof(junk));
		for (size_t i = 0; i < n; i++)
			junk[i] = (unsigned char)rand();
		cr_assert_eq(adr__record_unpack(&back, junk, n), 1);
		cr_assert_null(back);
	}
}
