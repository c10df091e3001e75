/* Unit tests for lib/record/ (record.c, parse.c, write.c, validate.c, title.c, fields.c, filename.c) and lib/record/slug.c: parse, serialize, validate, names, slugs. */
#include <criterion/criterion.h>

#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adr/record.h"
#include "testutil.h"

#define CORPORA ADR_TEST_SHARED "/data/corpora"

/* Helpers */

static adr_record *parse_ok_flags(const char *path, const char *s, unsigned flags)
{
	adr_record *r = NULL;
	int rc = adr_record_parse(&r, path, s, strlen(s), flags);
	cr_assert_eq(rc, 0, "parse of %s failed: %s", path ? path : "<input>", adr_error_last());
	cr_assert_not_null(r);
	return r;
}

static adr_record *parse_ok(const char *path, const char *s)
{
	return parse_ok_flags(path, s, 0);
}

/* Expects `code` and a message starting with `where` and containing `what`. */
static void parse_fails_n(const char *path, const char *s, size_t len, unsigned flags, int code,
			  const char *where, const char *what)
{
	adr_record *r = (adr_record *)1;
	int rc = adr_record_parse(&r, path, s, len, flags);
	cr_assert_eq(rc, code, "expected %d, got %d (%s)", code, rc, adr_error_last());
	cr_assert_null(r);
	if (where)
		cr_assert(strncmp(adr_error_last(), where, strlen(where)) == 0,
			  "message '%s' does not start with '%s'", adr_error_last(), where);
	if (what)
		cr_assert_not_null(strstr(adr_error_last(), what), "message '%s' lacks '%s'",
				   adr_error_last(), what);
}

static void parse_fails(const char *s, const char *where, const char *what)
{
	parse_fails_n("t.md", s, strlen(s), 0, ADR_EINVALID, where, what);
}

static char *serialize(const adr_record *r)
{
	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr_record_serialize(&b, r), 0, "serialize: %s", adr_error_last());
	return adr_buf_detach(&b);
}

static void assert_roundtrip(const char *path, const char *s, unsigned flags)
{
	adr_record *r = parse_ok_flags(path, s, flags);
	char *out = serialize(r);
	cr_assert_str_eq(out, s, "round trip of %s changed it", path);
	free(out);
	adr_record_free(r);
}

/* The full example from DESIGN.md */
static const char *design_example =
	"---\n"
	"status: accepted            # proposed | accepted | rejected | deprecated | superseded\n"
	"date: 2026-11-21            # ISO 8601 date of the decision\n"
	"decision-makers: [Ana Lima, Bo Chen]\n"
	"consulted: [Legal]\n"
	"informed: [Partner X]\n"
	"mode: async                 # sync | async\n"
	"urgency: low                # low | high\n"
	"complexity: high            # low | high\n"
	"review-by: 2026-11-28       # async comment deadline (proposals)\n"
	"revisit: 2027-02-21         # when to review this decision again\n"
	"supersedes: [12]\n"
	"superseded-by: []\n"
	"tags: [storage]\n"
	"visibility: partner         # public | partner | internal\n"
	"---\n"
	"# Use PostgreSQL for the event store\n"
	"\n"
	"## Context\n"
	"## Options considered\n"
	"## Decision\n"
	"## Consequences\n"
	"## Next steps\n";

Test(record, design_example_fields)
{
	adr_record *r = parse_ok("docs/decisions/0042-use-postgresql.md", design_example);
	cr_assert_eq(r->number, 42);
	cr_assert_str_eq(r->slug, "use-postgresql");
	cr_assert_str_eq(r->path, "docs/decisions/0042-use-postgresql.md");
	cr_assert_str_eq(r->title, "Use PostgreSQL for the event store");
	cr_assert_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_assert_null(r->status_word);
	cr_assert_str_eq(r->date, "2026-11-21");
	cr_assert_eq(r->decision_makers.count, 2);
	cr_assert_str_eq(r->decision_makers.items[1], "Bo Chen");
	cr_assert_str_eq(r->consulted.items[0], "Legal");
	cr_assert_str_eq(r->informed.items[0], "Partner X");
	cr_assert_eq(r->mode, ADR_MODE_ASYNC);
	cr_assert_eq(r->urgency, ADR_LEVEL_LOW);
	cr_assert_eq(r->complexity, ADR_LEVEL_HIGH);
	cr_assert_str_eq(r->review_by, "2026-11-28");
	cr_assert_str_eq(r->revisit, "2027-02-21");
	cr_assert_eq(r->supersedes.count, 1);
	cr_assert_eq(r->supersedes.items[0], 12);
	cr_assert_eq(r->superseded_by.count, 0);
	cr_assert_str_eq(r->tags.items[0], "storage");
	cr_assert_eq(r->visibility, ADR_VISIBILITY_PARTNER);
	cr_assert(r->has_frontmatter);
	cr_assert_eq(r->body_line, 17);
	cr_assert(strncmp(r->body, "# Use PostgreSQL", 16) == 0);
	cr_assert_eq(r->warnings.count, 0);
	cr_assert_eq(adr_record_validate(r), 0, "%s", adr_error_last());
	adr_record_free(r);
	assert_roundtrip("0042-use-postgresql.md", design_example, 0);
}

Test(record, no_front_matter)
{
	const char *s = "# 1. Record architecture decisions\n\nDate: 2016-02-12\n\n---\n\nmore\n";
	adr_record *r = parse_ok("doc/adr/0001-record-architecture-decisions.md", s);
	cr_assert(!r->has_frontmatter);
	cr_assert_str_eq(r->body, s);
	cr_assert_eq(r->body_line, 1);
	cr_assert_str_eq(r->title, "Record architecture decisions");
	cr_assert_eq(r->status, ADR_STATUS_NONE);
	adr_record_free(r);
	assert_roundtrip("0001-x.md", s, 0);
	/* four dashes is a thematic break, not a delimiter */
	r = parse_ok("t.md", "----\n# T\n");
	cr_assert(!r->has_frontmatter);
	adr_record_free(r);
	r = parse_ok("t.md", "");
	cr_assert(!r->has_frontmatter);
	cr_assert_str_eq(r->title, "");
	cr_assert_str_eq(r->body, "");
	adr_record_free(r);
	assert_roundtrip("t.md", "", 0);
	/* no data, no path */
	cr_assert_eq(adr_record_parse(&r, NULL, NULL, 0, 0), 0);
	cr_assert_null(r->path);
	cr_assert_null(r->slug);
	cr_assert_eq(r->number, -1);
	adr_record_free(r);
	parse_fails_n(NULL, "---\nstatus: x\n---\n", 18, 0, ADR_EINVALID, "<input>:2:9:", "key 'status'");
}

/* Delimiter edge cases (Y3) */

Test(record, delimiters)
{
	adr_record *r;
	/* trailing spaces on both delimiters */
	r = parse_ok("t.md", "---   \nstatus: proposed\n---  \t\n# T\n");
	cr_assert_eq(r->status, ADR_STATUS_PROPOSED);
	cr_assert_str_eq(r->body, "# T\n");
	cr_assert_eq(r->body_line, 4);
	adr_record_free(r);
	assert_roundtrip("t.md", "---   \nstatus: proposed\n---  \t\n# T\n", 0);
	/* "..." closes */
	r = parse_ok("t.md", "---\nstatus: rejected\n...\nbody\n");
	cr_assert_eq(r->status, ADR_STATUS_REJECTED);
	cr_assert_str_eq(r->body, "body\n");
	adr_record_free(r);
	assert_roundtrip("t.md", "---\nstatus: rejected\n...\nbody\n", 0);
	/* closing delimiter at EOF without a newline */
	r = parse_ok("t.md", "---\nstatus: accepted\n---");
	cr_assert_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_assert_str_eq(r->body, "");
	adr_record_free(r);
	assert_roundtrip("t.md", "---\nstatus: accepted\n---", 0);
	/* an empty block */
	r = parse_ok("t.md", "---\n---\n# T\n");
	cr_assert(r->has_frontmatter);
	cr_assert_str_eq(r->title, "T");
	adr_record_free(r);
	assert_roundtrip("t.md", "---\n---\n# T\n", 0);
	/* a later --- is Markdown */
	r = parse_ok("t.md", "---\nstatus: accepted\n---\n# T\n\n---\n\nstatus: rejected\n---\n");
	cr_assert_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_assert_str_eq(r->body, "# T\n\n---\n\nstatus: rejected\n---\n");
	adr_record_free(r);
	/* "--- x" is not a delimiter: libyaml sees a second document */
	parse_fails("---\na: 1\n--- # two\nb: 2\n---\n", "t.md:3:1:", "second YAML document");
}

Test(record, unterminated_front_matter)
{
	parse_fails("---\nstatus: accepted\n# Title\n\nbody\n", "t.md:1:1:",
		    "unterminated front matter: no closing '---'");
	parse_fails("---", "t.md:1:1:", "unterminated front matter");
	parse_fails("---\n", "t.md:1:1:", "unterminated front matter");
	parse_fails("\xef\xbb\xbf---\r\nstatus: accepted\r\n", "t.md:1:1:", "unterminated");
}

Test(record, bom)
{
	const char *with = "\xef\xbb\xbf---\nstatus: accepted\ndate: 2024-01-05\n---\n# Title\n";
	adr_record *a = parse_ok("t.md", with), *b = parse_ok("t.md", with + 3);
	cr_assert_eq(a->status, b->status);
	cr_assert_str_eq(a->date, b->date);
	cr_assert_str_eq(a->title, "Title");
	cr_assert_str_eq(a->body, b->body);
	cr_assert_eq(a->body_line, b->body_line);
	adr_record_free(a);
	adr_record_free(b);
	assert_roundtrip("t.md", with, 0);
	/* BOM without front matter: the title is still found */
	a = parse_ok("t.md", "\xef\xbb\xbf# Title\n\nbody\n");
	cr_assert_str_eq(a->title, "Title");
	cr_assert(!a->has_frontmatter);
	adr_record_free(a);
	assert_roundtrip("t.md", "\xef\xbb\xbf# Title\n\nbody\n", 0);
	/* an error after a BOM: columns do not count the BOM */
	parse_fails("\xef\xbb\xbf---\nstatus: a: b\n---\n", "t.md:2:10:", NULL);
}

Test(record, crlf)
{
	const char *lf = "---\nstatus: Accepted\ndate: 2024-01-05\ndecision-makers:\n  - Ana\n  - Bo\n"
			 "note: \"multi\n  line\"\n---\n# Title\n\nBody\n";
	const char *crlf = "---\r\nstatus: Accepted\r\ndate: 2024-01-05\r\ndecision-makers:\r\n  - Ana\r\n"
			   "  - Bo\r\nnote: \"multi\r\n  line\"\r\n---\r\n# Title\r\n\r\nBody\r\n";
	adr_record *a = parse_ok("t.md", lf), *b = parse_ok("t.md", crlf);
	char *out;
	cr_assert_eq(b->status, ADR_STATUS_ACCEPTED);
	cr_assert_str_eq(b->date, "2024-01-05");
	cr_assert_str_eq(b->decision_makers.items[1], "Bo");
	cr_assert_str_eq(b->title, "Title");
	cr_assert_str_eq(a->title, b->title);
	cr_assert_eq(a->body_line, b->body_line);
	for (size_t i = 0; i < b->decision_makers.count; i++)
		cr_assert_null(strchr(b->decision_makers.items[i], '\r'));
	cr_assert_null(strchr(b->title, '\r'));
	cr_assert_str_eq(b->body, "# Title\r\n\r\nBody\r\n");
	out = serialize(b);
	cr_assert_str_eq(out, crlf);
	free(out);
	/* a change keeps the file's line endings */
	b->status = ADR_STATUS_REJECTED;
	out = serialize(b);
	cr_assert_str_eq(out, "---\r\nstatus: rejected\r\ndate: 2024-01-05\r\ndecision-makers:\r\n  - Ana\r\n"
			      "  - Bo\r\nnote: \"multi\r\n  line\"\r\n---\r\n# Title\r\n\r\nBody\r\n");
	free(out);
	adr_record_free(a);
	adr_record_free(b);
}

/* Size caps, NUL, UTF-8 (Y11, Y12) */

Test(record, size_caps, .timeout = 30)
{
	size_t big = 10 * 1024 * 1024;
	char *s = malloc(big);
	adr_buf fm = ADR_BUF_INIT;
	memset(s, 'a', big);
	parse_fails_n("big.md", s, big, 0, ADR_EINVALID,
		      "big.md:1:1: record is 10485760 bytes, the limit is 262144", NULL);
	parse_fails_n("big.md", s, ADR_RECORD_MAX + 1, ADR_PARSE_LENIENT, ADR_EINVALID, "big.md:1:1:",
		      "record is 262145 bytes");
	free(s);
	/* exactly at the cap is fine */
	s = malloc(ADR_RECORD_MAX);
	memset(s, 'a', ADR_RECORD_MAX);
	{
		adr_record *r = NULL;
		cr_assert_eq(adr_record_parse(&r, "cap.md", s, ADR_RECORD_MAX, 0), 0, "%s",
			     adr_error_last());
		adr_record_free(r);
	}
	free(s);
	/* front matter over 64 KiB */
	adr_buf_puts(&fm, "---\n");
	while (fm.size < ADR_FRONTMATTER_MAX + 100)
		adr_buf_puts(&fm, "# a comment line that only takes room in the front matter\n");
	adr_buf_puts(&fm, "---\nbody\n");
	parse_fails_n("fm.md", fm.ptr, fm.size, 0, ADR_EINVALID, "fm.md:1:1: front matter is ",
		      "the limit is 65536");
	adr_buf_dispose(&fm);
}

Test(record, nul_bytes)
{
	parse_fails_n("t.md", "---\nstatus: acc\0epted\n---\n", 25, 0, ADR_EINVALID, "t.md:2:12:",
		      "NUL byte");
	parse_fails_n("t.md", "# T\n\nbody\0\n", 11, ADR_PARSE_LENIENT, ADR_EINVALID, "t.md:3:5:",
		      "NUL byte");
}

/* The text is checked eight bytes at a time where it is plain ASCII
 * (parse.c): a NUL or a bad byte at every offset of a long line, and
 * right at its end, is still found at its place. */
Test(record, bad_bytes_at_every_offset)
{
	for (size_t at = 0; at < 40; at++) {
		char text[64], where[32];
		memcpy(text, "# T\n\n", 5);
		memset(text + 5, 'x', 41);
		snprintf(where, sizeof(where), "t.md:3:%zu:", at + 1);
		text[5 + at] = '\0';
		parse_fails_n("t.md", text, 46, ADR_PARSE_LENIENT, ADR_EINVALID, where, "NUL byte");
		text[5 + at] = '\xff';
		parse_fails_n("t.md", text, 5 + at + 1, ADR_PARSE_LENIENT, ADR_EINVALID, where, "invalid UTF-8");
		text[5 + at] = 'x';
	}
}

Test(record, invalid_utf8)
{
	/* in the front matter */
	parse_fails("---\nstatus: accepted\ntags: [caf\xe9]\n---\n", "t.md:3:11:", "invalid UTF-8");
	/* in the body, after multi-byte characters on the same line */
	parse_fails("---\nstatus: accepted\n---\n# Title\n\nnaïve 日本 \xff\n", "t.md:6:10:",
		    "invalid UTF-8");
	parse_fails_n("t.md", "# T\n\xc0\x80", 6, ADR_PARSE_LENIENT, ADR_EINVALID, "t.md:2:1:",
		      "invalid UTF-8");
}

Test(record, control_characters_in_front_matter)
{
	parse_fails("---\nstatus: accepted\ntitle: \x1b[31mx\n---\n", "t.md:3:8:", "U+001B");
}

/* YAML problems reported with file lines (Y4-Y8, Y10) */

Test(record, malformed_yaml)
{
	parse_fails("---\nstatus: accepted\ntitle: ADR002: Default Format\n---\n", "t.md:3:14:",
		    "mapping values are not allowed");
	parse_fails("---\ntags: [a, b\n---\n", "t.md:3:1:", "did not find expected ',' or ']'");
	parse_fails("---\nstatus: 'open\n---\n", "t.md:3:1:", "while scanning a quoted scalar on line 2");
}

Test(record, duplicate_keys)
{
	parse_fails("---\nstatus: proposed\ndate: 2024-01-01\nstatus: accepted\n---\n", "t.md:4:1:",
		    "duplicate key 'status': first on line 2, again on line 4");
	parse_fails_n("t.md", "---\nx:\n  a: 1\n  a: 2\n---\n", 24, ADR_PARSE_LENIENT, ADR_EINVALID,
		      "t.md:4:3:", "first on line 3, again on line 4");
}

Test(record, root_not_a_mapping)
{
	parse_fails("---\n- a\n- b\n---\n", "t.md:2:1:", "not a sequence");
	parse_fails("---\njust text\n---\n", "t.md:2:1:", "not a scalar");
}

Test(record, tags_aliases_billion_laughs)
{
	parse_fails("---\nstatus: !!str accepted\n---\n", "t.md:2:9:", "tags are not allowed");
	parse_fails("---\nx: !!python/object/apply:os.system ['id']\n---\n", "t.md:2:4:",
		    "tags are not allowed");
	parse_fails("---\na: &a [\"lol\",\"lol\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n---\n",
		    "t.md:2:4:", "anchors are not allowed");
	parse_fails("---\ntags: *x\n---\n", "t.md:2:7:", "aliases are not allowed");
	parse_fails("---\na: &a [*a]\n---\n", "t.md:2:4:", "anchors are not allowed");
}

Test(record, nesting_10000_deep, .timeout = 10)
{
	adr_buf b = ADR_BUF_INIT;
	adr_buf_puts(&b, "---\nx: ");
	for (int i = 0; i < 10000; i++)
		adr_buf_putc(&b, '[');
	adr_buf_puts(&b, "\n---\n");
	parse_fails_n("deep.md", b.ptr, b.size, ADR_PARSE_LENIENT, ADR_EINVALID, "deep.md:2:",
		      "nesting is deeper than 64 levels");
	adr_buf_dispose(&b);
}

/* Schema (Y9, Y14) */

Test(record, status_words)
{
	adr_record *r = parse_ok("t.md", "---\nstatus: PROPOSED\n---\n");
	cr_assert_eq(r->status, ADR_STATUS_PROPOSED);
	adr_record_free(r);
	r = parse_ok("t.md", "---\nstatus: '  Deprecated '\n---\n");
	cr_assert_eq(r->status, ADR_STATUS_DEPRECATED);
	adr_record_free(r);
	r = parse_ok("t.md", "---\nstatus: superseded by ADR-0005\n---\n");
	cr_assert_eq(r->status, ADR_STATUS_SUPERSEDED);
	adr_record_free(r);
	r = parse_ok("t.md", "---\nstatus:\n---\n");
	cr_assert_eq(r->status, ADR_STATUS_NONE);
	adr_record_free(r);
	parse_fails("---\nparent: Decisions\nstatus: on hold\n---\n",
		    "t.md:3:9: key 'status': 'on hold' is not one of proposed, accepted, rejected, "
		    "deprecated, superseded",
		    NULL);
	parse_fails("---\nstatus: [accepted]\n---\n", "t.md:2:9:", "key 'status': expected a single word");
}

Test(record, lenient_unknown_status)
{
	const char *s = "---\nparent: Decisions\nnav_order: 3\nstatus: on hold\n---\n# Write Own MADR Tooling\n";
	adr_record *r = parse_ok_flags("0003-provide-own-madr-tools.md", s, ADR_PARSE_LENIENT);
	char *out;
	cr_assert_eq(r->status, ADR_STATUS_NONE);
	cr_assert_str_eq(r->status_word, "on hold");
	cr_assert_eq(r->warnings.count, 1);
	cr_assert(strncmp(r->warnings.items[0], "0003-provide-own-madr-tools.md:4:9: key 'status': 'on hold'",
			  58) == 0, "%s", r->warnings.items[0]);
	out = serialize(r);
	cr_assert_str_eq(out, s);
	free(out);
	/* setting a real status replaces the line */
	r->status = ADR_STATUS_ACCEPTED;
	out = serialize(r);
	cr_assert_str_eq(out, "---\nparent: Decisions\nnav_order: 3\nstatus: accepted\n---\n# Write Own MADR Tooling\n");
	free(out);
	adr_record_free(r);
}

Test(record, other_enums)
{
	adr_record *r = parse_ok("t.md", "---\nmode: Sync\nurgency: HIGH\ncomplexity: low\nvisibility: internal\n---\n");
	cr_assert_eq(r->mode, ADR_MODE_SYNC);
	cr_assert_eq(r->urgency, ADR_LEVEL_HIGH);
	cr_assert_eq(r->complexity, ADR_LEVEL_LOW);
	cr_assert_eq(r->visibility, ADR_VISIBILITY_INTERNAL);
	adr_record_free(r);
	parse_fails("---\nmode: hybrid\n---\n", "t.md:2:7: key 'mode': 'hybrid' is not one of sync, async", NULL);
	parse_fails("---\nurgency: medium\n---\n", "t.md:2:10: key 'urgency': 'medium' is not one of low, high", NULL);
	parse_fails("---\ncomplexity: 3\n---\n", "t.md:2:13: key 'complexity':", NULL);
	parse_fails("---\nvisibility: secret\n---\n",
		    "t.md:2:13: key 'visibility': 'secret' is not one of public, partner, internal", NULL);
}

/* F05: a visibility that cannot be read is an error even when lenient
 * (read as unset, the record took the default and was published). */
Test(record, bad_visibility_is_an_error_even_when_lenient)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "---\nvisibility: internl\n---\n", "t.md:2:13: key 'visibility': 'internl' is not one of" },
		{ "---\nvisibility: private\n---\n", "t.md:2:13: key 'visibility': 'private' is not one of" },
		{ "---\nvisibility: \"\"\n---\n", "t.md:2:13: key 'visibility': '' is not one of" },
		{ "---\nvisibility: [internal]\n---\n", "t.md:2:13: key 'visibility': expected a single word, not a list" },
		{ "---\nvisibility: 3\n---\n", "t.md:2:13: key 'visibility': '3' is not one of" },
		{ "---\nvisibility: {a: b}\n---\n", "t.md:2:13: key 'visibility': expected a single word, not a mapping" },
	};
	adr_record *r;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		parse_fails_n("t.md", cases[i].text, strlen(cases[i].text), ADR_PARSE_LENIENT, ADR_EINVALID,
			      cases[i].msg, NULL);
		parse_fails_n("t.md", cases[i].text, strlen(cases[i].text), 0, ADR_EINVALID, cases[i].msg, NULL);
	}
	/* unset (null) still means the repository default */
	r = parse_ok_flags("t.md", "---\nvisibility:\n---\n", ADR_PARSE_LENIENT);
	cr_assert_eq(r->visibility, ADR_VISIBILITY_NONE);
	adr_record_free(r);
	/* other schema problems stay warnings when lenient */
	r = parse_ok_flags("t.md", "---\nmode: hybrid\nvisibility: Partner\n---\n", ADR_PARSE_LENIENT);
	cr_assert_eq(r->visibility, ADR_VISIBILITY_PARTNER);
	cr_assert_eq(r->warnings.count, 1);
	adr_record_free(r);
}

/* F07: at most ADR_RECORD_TAGS_MAX tags, pointed at the first one too many. */
Test(record, tags_are_capped)
{
	adr_buf b = ADR_BUF_INIT;
	adr_record *r;
	adr_buf_puts(&b, "---\ntags: [");
	for (int i = 0; i < ADR_RECORD_TAGS_MAX; i++)
		adr_buf_printf(&b, "%st%d", i ? "," : "", i);
	adr_buf_puts(&b, "]\n---\n# T\n");
	r = parse_ok_flags("t.md", b.ptr, ADR_PARSE_LENIENT);
	cr_assert_eq(r->tags.count, ADR_RECORD_TAGS_MAX);
	cr_assert_eq(adr_record_validate(r), 0, "%s", adr_error_last());
	cr_assert_eq(adr_strlist_add(&r->tags, "one-more"), 0);
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "key 'tags': 65 tags, the limit is 64"), "%s", adr_error_last());
	adr_record_free(r);
	adr_buf_clear(&b);
	/* tags: [t0,...,t64]: the 65th starts at column 7 + 3*10 + 4*54 = 253 (+1) */
	adr_buf_puts(&b, "---\ntags: [");
	for (int i = 0; i <= ADR_RECORD_TAGS_MAX; i++)
		adr_buf_printf(&b, "%st%d", i ? "," : "", i);
	adr_buf_puts(&b, "]\n---\n");
	parse_fails_n("t.md", b.ptr, b.size, ADR_PARSE_LENIENT, ADR_EINVALID,
		      "t.md:2:254: key 'tags': 65 tags, the limit is 64", NULL);
	adr_buf_dispose(&b);
}

Test(record, dates)
{
	adr_record *r = parse_ok("t.md", "---\ndate: 2024-02-29\nreview-by: '2026-11-28'\nrevisit: \"2027-02-21\"\ncleanup-by: 2026-11-22\n---\n");
	cr_assert_str_eq(r->date, "2024-02-29");
	cr_assert_str_eq(r->review_by, "2026-11-28");
	cr_assert_str_eq(r->revisit, "2027-02-21");
	cr_assert_str_eq(r->cleanup_by, "2026-11-22");
	adr_record_free(r);
	parse_fails("---\ndate: 2024-13-45\n---\n",
		    "t.md:2:7: key 'date': '2024-13-45' is not a valid date (YYYY-MM-DD)", NULL);
	parse_fails("---\ndate: 2023-02-29\n---\n", "t.md:2:7: key 'date': '2023-02-29'", NULL);
	parse_fails("---\nreview-by: 2024-01-05T10:00:00\n---\n", "t.md:2:12: key 'review-by':", NULL);
	parse_fails("---\nrevisit: 14.09.2020\n---\n", "t.md:2:10: key 'revisit':", NULL);
	parse_fails("---\ncleanup-by: [2024-01-01]\n---\n", "t.md:2:13: key 'cleanup-by': expected a date", NULL);
	/* lenient: a warning and the field stays empty, the text stays as it was */
	{
		const char *s = "---\ndate: 2024-13-45\n---\n";
		r = parse_ok_flags("t.md", s, ADR_PARSE_LENIENT);
		cr_assert_str_eq(r->date, "");
		cr_assert_eq(r->warnings.count, 1);
		cr_assert(strstr(r->warnings.items[0], "t.md:2:7: key 'date'"));
		adr_record_free(r);
		assert_roundtrip("t.md", s, ADR_PARSE_LENIENT);
	}
}

Test(record, lists)
{
	adr_record *r = parse_ok("t.md", "---\ndecision-makers: Ana Lima\nconsulted: [\"a, b\", c]\n"
					 "informed:\n  - X\n  -\n  - ''\ntags: []\naffects: ['src/**']\n---\n");
	cr_assert_eq(r->decision_makers.count, 1);
	cr_assert_str_eq(r->decision_makers.items[0], "Ana Lima");
	cr_assert_eq(r->consulted.count, 2);
	cr_assert_str_eq(r->consulted.items[0], "a, b");
	cr_assert_eq(r->informed.count, 1);
	cr_assert_eq(r->tags.count, 0);
	cr_assert_str_eq(r->affects.items[0], "src/**");
	adr_record_free(r);
	parse_fails("---\ntags: {a: 1}\n---\n", "t.md:2:7: key 'tags': expected a list, not a mapping", NULL);
	parse_fails("---\ndecision-makers: {list everyone involved in the decision}\n---\n",
		    "t.md:2:18: key 'decision-makers': expected a list, not a mapping", NULL);
	parse_fails("---\ntags: [a, [b]]\n---\n", "t.md:2:11: key 'tags': item 2 is a list", NULL);
}

Test(record, madr_template_placeholders_lenient)
{
	const char *s = "---\n"
			"status: \"{proposed | rejected | accepted | deprecated | … | superseded by ADR-0123}\"\n"
			"date: {YYYY-MM-DD when the decision was last updated}\n"
			"decision-makers: {list everyone involved in the decision}\n"
			"---\n# {short title}\n";
	adr_record *r = parse_ok_flags("t.md", s, ADR_PARSE_LENIENT);
	cr_assert_eq(r->warnings.count, 3);
	cr_assert(strstr(r->warnings.items[1], "t.md:3:7: key 'date': expected a date"));
	cr_assert(strstr(r->warnings.items[2], "t.md:4:18: key 'decision-makers'"));
	cr_assert_eq(r->decision_makers.count, 0);
	adr_record_free(r);
	assert_roundtrip("t.md", s, ADR_PARSE_LENIENT);
}

Test(record, numbers_and_links)
{
	adr_record *r = parse_ok("t.md", "---\nsupersedes: [12, 0012, \"12\", ADR-7, '#9']\nsuperseded-by: 3\n"
					 "links: [amends 12, Relates-To 0007]\n---\n");
	cr_assert_eq(r->supersedes.count, 5);
	cr_assert_eq(r->supersedes.items[1], 12);
	cr_assert_eq(r->supersedes.items[2], 12);
	cr_assert_eq(r->supersedes.items[3], 7);
	cr_assert_eq(r->supersedes.items[4], 9);
	cr_assert_eq(r->superseded_by.count, 1);
	cr_assert_eq(r->superseded_by.items[0], 3);
	cr_assert_eq(r->nlinks, 2);
	cr_assert_str_eq(r->links[0].type, "amends");
	cr_assert_eq(r->links[0].target, 12);
	cr_assert_str_eq(r->links[1].type, "relates-to");
	cr_assert_eq(r->links[1].target, 7);
	adr_record_free(r);
	r = parse_ok("t.md", "---\nlinks: amends 4\n---\n");
	cr_assert_eq(r->nlinks, 1);
	adr_record_free(r);
	parse_fails("---\nsupersedes: [12, twelve]\n---\n", "t.md:2:18: key 'supersedes': 'twelve' is not a record number", NULL);
	parse_fails("---\nsuperseded-by: 123456789\n---\n", "t.md:2:16: key 'superseded-by':", NULL);
	parse_fails("---\nlinks: [12]\n---\n", "t.md:2:9: key 'links': '12' is not 'TYPE NUMBER'", NULL);
	parse_fails("---\nlinks: [\"9x 12\"]\n---\n", "t.md:2:9: key 'links':", NULL);
	parse_fails("---\nlinks: {amends: 12}\n---\n", "t.md:2:8: key 'links': expected a list", NULL);
	parse_fails("---\nlinks: [[a]]\n---\n", "t.md:2:9: key 'links': item 1 is a list, not 'TYPE NUMBER'", NULL);
	parse_fails("---\nsupersedes: [[1]]\n---\n", "t.md:2:14: key 'supersedes': item 1 is a list, not a record number", NULL);
	/* lenient keeps the good items */
	r = parse_ok_flags("t.md", "---\nsupersedes: [12, twelve, 13]\n---\n", ADR_PARSE_LENIENT);
	cr_assert_eq(r->supersedes.count, 2);
	cr_assert_eq(r->warnings.count, 1);
	adr_record_free(r);
}

Test(record, unknown_fields_survive)
{
	const char *s = "---\n"
			"parent: Decisions\n"
			"nav_order: 3\n"
			"id: adrs-adr001\n"
			"title: 'ADR001: Architecture Decision Record (ADR) log'\n"
			"# prettier-ignore\n"
			"description: >\n  folded\n  text\n"
			"extra:\n  nested: {a: [1, 2]}\n  when: 2024-01-01\n"
			"---\n\n## Decision\n";
	adr_record *r = parse_ok("adr001-add-adr-log.md", s);
	cr_assert_eq(r->number, 1);
	cr_assert_str_eq(r->slug, "add-adr-log");
	cr_assert_str_eq(r->title, "ADR001: Architecture Decision Record (ADR) log");
	adr_record_free(r);
	assert_roundtrip("adr001-add-adr-log.md", s, 0);
}

/* Titles */

static void title_is(const char *path, const char *s, const char *want)
{
	adr_record *r = parse_ok(path, s);
	cr_assert_str_eq(r->title, want, "title of [%s]", s);
	adr_record_free(r);
}

Test(record, titles)
{
	title_is("t.md", "# Title #\n", "Title");
	title_is("t.md", "#   Spaced   ##   \n", "Spaced");
	title_is("t.md", "# C#\n", "C#");
	title_is("t.md", "   # Indented\n", "Indented");
	title_is("t.md", "#NoSpace\n", "");
	title_is("t.md", "    # code\n# Real\n", "Real");
	title_is("t.md", "## Sub\n# Real\n", "Real");
	title_is("t.md", "```\n# not a title\n```\n# Real\n", "Real");
	title_is("t.md", "~~~~\n# not\n~~~\n# still code\n~~~~\n# Real\n", "Real");
	title_is("t.md", "<!--\n# not\n-->\n# Real\n", "Real");
	title_is("t.md", "<!-- one line --> x\n# Real\n", "Real");
	title_is("t.md", "Setext Title\n===\n\n# Later\n", "Setext Title");
	title_is("t.md", "intro\n\nSetext  \n=====  \n", "Setext");
	title_is("t.md", "Sub\n---\n# Real\n", "Real");
	title_is("t.md", "# Title\r\n\r\nbody\r\n", "Title");
	title_is("t.md", "\n\nno heading at all\n", "");
	/* adr-tools numbers its headings */
	title_is("doc/adr/0001-record.md", "# 1. Record architecture decisions\n", "Record architecture decisions");
	title_is("doc/adr/0002-record.md", "# 1. Record architecture decisions\n", "1. Record architecture decisions");
	title_is(NULL, "# 1. Record architecture decisions\n", "1. Record architecture decisions");
	title_is("0000-x.md", "# 0. Zero\n", "Zero");
	/* front matter title only when there is no H1 */
	title_is("t.md", "---\ntitle: 'ADR001: X'\n---\n\n## Decision\n", "ADR001: X");
	title_is("t.md", "---\ntitle: FM\n---\n# H1 wins\n", "H1 wins");
	title_is("t.md", "---\ntitle: [a]\n---\n", "");
}

Test(record, set_title)
{
	struct { const char *path, *body, *title, *want; } cases[] = {
		{ "0001-x.md", "# 1. Old\n\nBody\n", "New", "# 1. New\n\nBody\n" },
		{ "0002-x.md", "# 1. Old\n\nBody\n", "New", "# New\n\nBody\n" },
		{ "t.md", "Intro\n\n# Old #\nText\n", "New", "Intro\n\n# New\nText\n" },
		{ "t.md", "## Context\n", "New", "# New\n\n## Context\n" },
		{ "t.md", "", "New", "# New\n" },
		{ "t.md", "Old\n===\nx\n", "New", "New\n===\nx\n" },
		{ "t.md", "## C\r\n", "New", "# New\r\n\r\n## C\r\n" },
		{ "t.md", "# Old\r\nx\r\n", "New", "# New\r\nx\r\n" },
		{ "t.md", "```\n# code\n```\n", "New", "# New\n\n```\n# code\n```\n" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		adr_record *r = parse_ok(cases[i].path, cases[i].body);
		cr_assert_eq(adr_record_set_title(r, cases[i].title), 0, "%s", adr_error_last());
		cr_assert_str_eq(r->body, cases[i].want, "case %zu", i);
		cr_assert_str_eq(r->title, cases[i].title);
		adr_record_free(r);
		/* the new body parses back to the new title */
		title_is(cases[i].path, cases[i].want, cases[i].title);
	}
}

Test(record, set_title_rejects_bad_titles)
{
	adr_record *r = NULL;
	cr_assert_eq(adr_record_new(&r), 0);
	cr_assert_eq(adr_record_set_title(r, ""), ADR_EINVALID);
	cr_assert_eq(adr_record_set_title(r, NULL), ADR_EINVALID);
	cr_assert_eq(adr_record_set_title(r, "two\nlines"), ADR_EINVALID);
	cr_assert_eq(adr_record_set_title(r, "cr\rhere"), ADR_EINVALID);
	cr_assert_eq(adr_record_set_title(r, "bad \xff"), ADR_EINVALID);
	cr_assert_str_eq(r->body, "");
	cr_assert_str_eq(r->title, "");
	adr_record_free(r);
}

/* Serialization */

Test(record, new_record_canonical_order)
{
	adr_record *r = NULL, *back;
	char *out;
	cr_assert_eq(adr_record_new(&r), 0);
	cr_assert_eq(r->number, -1);
	/* nothing set: nothing but the body */
	out = serialize(r);
	cr_assert_str_eq(out, "");
	free(out);
	cr_assert_eq(adr_record_set_title(r, "Use PostgreSQL"), 0);
	r->visibility = ADR_VISIBILITY_PARTNER;
	adr_strlist_add(&r->affects, "src/**");
	adr_strlist_add(&r->tags, "storage");
	adr_strlist_add(&r->tags, "a, b");
	adr_strlist_add(&r->tags, "yes");
	cr_assert_eq(adr_record_add_link(r, "amends", 12), 0);
	cr_assert_eq(adr_record_add_link(r, "relates-to", 7), 0);
	cr_assert_eq(adr_record_add_link(r, "amends", 12), 0);
	adr_intlist_add(&r->superseded_by, 13);
	adr_intlist_add(&r->supersedes, 12);
	adr_intlist_add(&r->supersedes, 7);
	strcpy(r->cleanup_by, "2026-11-22");
	strcpy(r->revisit, "2027-02-21");
	strcpy(r->review_by, "2026-11-28");
	r->complexity = ADR_LEVEL_HIGH;
	r->urgency = ADR_LEVEL_LOW;
	r->mode = ADR_MODE_ASYNC;
	adr_strlist_add(&r->informed, "Partner X");
	adr_strlist_add(&r->consulted, "Legal");
	adr_strlist_add(&r->decision_makers, "Ana Lima");
	adr_strlist_add(&r->decision_makers, "Bo Chen");
	strcpy(r->date, "2026-11-21");
	r->status = ADR_STATUS_ACCEPTED;
	cr_assert_eq(adr_record_validate(r), 0, "%s", adr_error_last());
	out = serialize(r);
	cr_assert_str_eq(out, "---\n"
			      "status: accepted\n"
			      "date: 2026-11-21\n"
			      "decision-makers: [Ana Lima, Bo Chen]\n"
			      "consulted: [Legal]\n"
			      "informed: [Partner X]\n"
			      "mode: async\n"
			      "urgency: low\n"
			      "complexity: high\n"
			      "review-by: 2026-11-28\n"
			      "revisit: 2027-02-21\n"
			      "cleanup-by: 2026-11-22\n"
			      "supersedes: [12, 7]\n"
			      "superseded-by: [13]\n"
			      "links: [amends 12, relates-to 7]\n"
			      "tags: [storage, \"a, b\", \"yes\"]\n"
			      "visibility: partner\n"
			      "affects: [src/**]\n"
			      "---\n"
			      "# Use PostgreSQL\n");
	/* and it reads back the same */
	back = parse_ok("0001-use-postgresql.md", out);
	cr_assert_eq(back->status, r->status);
	cr_assert_str_eq(back->date, r->date);
	cr_assert(adr_strlist_equal(&back->tags, &r->tags));
	cr_assert(adr_strlist_equal(&back->decision_makers, &r->decision_makers));
	cr_assert_eq(back->supersedes.count, 2);
	cr_assert_eq(back->nlinks, 2);
	cr_assert_eq(back->visibility, ADR_VISIBILITY_PARTNER);
	cr_assert_str_eq(back->title, "Use PostgreSQL");
	adr_record_free(back);
	free(out);
	adr_record_free(r);
}

static const char *rmw_src =
	"---\n"
	"# Jekyll metadata\n"
	"parent: Decisions\n"
	"nav_order: 3\n"
	"status: proposed   # set by adr\n"
	"date: 2024-01-05\n"
	"# the deciders\n"
	"decision-makers: [Ana Lima, Bo Chen]\n"
	"custom:\n"
	"  nested: {a: 1}\n"
	"  list:\n"
	"    - x   # keep me\n"
	"---\n"
	"# Title\n"
	"\n"
	"Body with --- and: stuff\n"
	"---\n"
	"more\r\n";

Test(record, read_modify_write_status)
{
	adr_record *r = parse_ok("0003-x.md", rmw_src);
	char *out, *exp;
	r->status = ADR_STATUS_ACCEPTED;
	out = serialize(r);
	exp = strdup(rmw_src);
	{
		/* only the status line differs */
		const char *old = "status: proposed   # set by adr\n";
		char *p = strstr(exp, old);
		adr_buf b = ADR_BUF_INIT;
		adr_buf_put(&b, exp, (size_t)(p - exp));
		adr_buf_puts(&b, "status: accepted\n");
		adr_buf_puts(&b, p + strlen(old));
		free(exp);
		exp = adr_buf_detach(&b);
	}
	cr_assert_str_eq(out, exp);
	cr_assert_not_null(strstr(out, "custom:\n  nested: {a: 1}\n  list:\n    - x   # keep me\n---\n"));
	cr_assert(strcmp(strstr(out, "\n---\n# Title"), strstr(rmw_src, "\n---\n# Title")) == 0);
	free(out);
	free(exp);
	/* back to the original value: the original text comes back */
	r->status = ADR_STATUS_PROPOSED;
	out = serialize(r);
	cr_assert_str_eq(out, rmw_src);
	free(out);
	adr_record_free(r);
}

Test(record, read_modify_write_insert_and_drop)
{
	adr_record *r = parse_ok("0003-x.md", rmw_src);
	char *out;
	/* new fields go after the nearest earlier field in canonical order */
	adr_strlist_add(&r->tags, "storage");
	strcpy(r->review_by, "2024-02-01");
	/* an emptied field is dropped, its trailing comment stays */
	r->date[0] = '\0';
	out = serialize(r);
	cr_assert_str_eq(out, "---\n"
			      "# Jekyll metadata\n"
			      "parent: Decisions\n"
			      "nav_order: 3\n"
			      "status: proposed   # set by adr\n"
			      "# the deciders\n"
			      "decision-makers: [Ana Lima, Bo Chen]\n"
			      "review-by: 2024-02-01\n"
			      "tags: [storage]\n"
			      "custom:\n"
			      "  nested: {a: 1}\n"
			      "  list:\n"
			      "    - x   # keep me\n"
			      "---\n"
			      "# Title\n"
			      "\n"
			      "Body with --- and: stuff\n"
			      "---\n"
			      "more\r\n");
	free(out);
	adr_record_free(r);
	/* a field that precedes every present one goes to the top (after leading comments) */
	r = parse_ok("t.md", "---\n# c\nparent: Decisions\n---\nbody\n");
	r->status = ADR_STATUS_ACCEPTED;
	strcpy(r->date, "2024-01-05");
	out = serialize(r);
	cr_assert_str_eq(out, "---\n# c\nstatus: accepted\ndate: 2024-01-05\nparent: Decisions\n---\nbody\n");
	free(out);
	adr_record_free(r);
	/* a record without front matter gets a fresh block */
	r = parse_ok("0001-x.md", "# 1. Title\n\nDate: 2016-02-12\n");
	r->status = ADR_STATUS_ACCEPTED;
	strcpy(r->date, "2016-02-12");
	out = serialize(r);
	cr_assert_str_eq(out, "---\nstatus: accepted\ndate: 2016-02-12\n---\n# 1. Title\n\nDate: 2016-02-12\n");
	free(out);
	adr_record_free(r);
	/* changing a list in block style rewrites it in flow style, keeping what follows */
	r = parse_ok("t.md", "---\ntags:\n  - a\n  - b\n# after tags\nx: 1\n---\n");
	adr_strlist_add(&r->tags, "c");
	out = serialize(r);
	cr_assert_str_eq(out, "---\ntags: [a, b, c]\n# after tags\nx: 1\n---\n");
	free(out);
	adr_record_free(r);
}

Test(record, title_change_keeps_front_matter)
{
	adr_record *r = parse_ok("0003-x.md", rmw_src);
	char *out;
	cr_assert_eq(adr_record_set_title(r, "Better title"), 0);
	out = serialize(r);
	cr_assert(strncmp(out, rmw_src, strstr(rmw_src, "# Title") - rmw_src) == 0);
	cr_assert_not_null(strstr(out, "---\n# Better title\n\nBody with"));
	free(out);
	adr_record_free(r);
}

Test(record, dup_is_deep)
{
	adr_record *r = parse_ok_flags("0003-x.md", rmw_src, ADR_PARSE_LENIENT), *c = NULL;
	char *a, *b;
	adr_record_add_link(r, "amends", 2);
	cr_assert_eq(adr_record_dup(&c, r), 0);
	a = serialize(r);
	adr_record_free(r);
	b = serialize(c);
	cr_assert_str_eq(a, b);
	cr_assert_eq(c->number, 3);
	cr_assert_str_eq(c->links[0].type, "amends");
	free(a);
	free(b);
	c->status = ADR_STATUS_ACCEPTED;
	b = serialize(c);
	cr_assert_not_null(strstr(b, "status: accepted\ndate: 2024-01-05\n"));
	free(b);
	adr_record_free(c);
}

/* Validation */

Test(record, validate)
{
	adr_record *r = parse_ok("0005-x.md", "---\nstatus: accepted\n---\n# Title\n");
	cr_assert_eq(adr_record_validate(r), 0);
	r->status = (adr_status)9;
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "0005-x.md: key 'status'"), "%s", adr_error_last());
	r->status = ADR_STATUS_ACCEPTED;
	r->mode = (adr_mode)-1;
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "key 'mode'"));
	r->mode = ADR_MODE_NONE;
	r->urgency = (adr_level)3;
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	r->urgency = ADR_LEVEL_NONE;
	r->visibility = (adr_visibility)4;
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "key 'visibility'"));
	r->visibility = ADR_VISIBILITY_NONE;
	strcpy(r->revisit, "2023-02-29");
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "key 'revisit': '2023-02-29' is not a valid date"));
	r->revisit[0] = '\0';
	adr_record_add_link(r, "amends", 1);
	free(r->links[0].type);
	r->links[0].type = strdup("Bad Type");
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "link type 'Bad Type'"));
	strcpy(r->links[0].type, "ok");
	r->links[0].target = -4;
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	r->links[0].target = 4;
	adr_intlist_add(&r->supersedes, -1);
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "key 'supersedes'"));
	adr_intlist_dispose(&r->supersedes);
	adr_strlist_add(&r->decision_makers, "two\nlines");
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "key 'decision-makers': item 1 has more than one line"));
	adr_strlist_dispose(&r->decision_makers);
	adr_strlist_add(&r->tags, "");
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "key 'tags': item 1 is empty"));
	adr_strlist_dispose(&r->tags);
	adr_strlist_add(&r->affects, "bad \xff");
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "key 'affects': item 1 is not valid UTF-8"));
	adr_strlist_dispose(&r->affects);
	r->complexity = (adr_level)7;
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "key 'complexity'"));
	r->complexity = ADR_LEVEL_NONE;
	cr_assert_eq(adr_record_validate(r), 0, "%s", adr_error_last());
	free(r->title);
	r->title = strdup("");
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "title is empty"));
	free(r->title);
	r->title = strdup("a\nb");
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "more than one line"));
	adr_record_free(r);
}

Test(record, add_link)
{
	adr_record *r = NULL;
	adr_record_new(&r);
	cr_assert_eq(adr_record_add_link(r, "amends", 12), 0);
	cr_assert_eq(adr_record_add_link(r, "amends", 12), 0);
	cr_assert_eq(adr_record_add_link(r, "amends", 13), 0);
	cr_assert_eq(r->nlinks, 2);
	cr_assert_eq(adr_record_add_link(r, "Amends", 1), ADR_EINVALID);
	cr_assert_eq(adr_record_add_link(r, "", 1), ADR_EINVALID);
	cr_assert_eq(adr_record_add_link(r, "a b", 1), ADR_EINVALID);
	cr_assert_eq(adr_record_add_link(r, "x", -1), ADR_EINVALID);
	cr_assert_eq(r->nlinks, 2);
	adr_record_free(r);
}

/* Small API pieces */

Test(record, intlist)
{
	adr_intlist l = ADR_INTLIST_INIT;
	for (int i = 0; i < 20; i++)
		cr_assert_eq(adr_intlist_add(&l, i % 5), 0);
	cr_assert_eq(l.count, 20);
	adr_intlist_remove(&l, 3);
	cr_assert_eq(l.count, 16);
	cr_assert(!adr_intlist_contains(&l, 3));
	cr_assert(adr_intlist_contains(&l, 4));
	adr_intlist_add_unique(&l, 4);
	cr_assert_eq(l.count, 16);
	adr_intlist_add_unique(&l, 42);
	cr_assert_eq(l.count, 17);
	cr_assert_eq(l.items[16], 42);
	adr_intlist_dispose(&l);
	cr_assert_eq(l.count, 0);
	cr_assert_null(l.items);
	adr_intlist_remove(&l, 1);
}

Test(record, names)
{
	adr_status s;
	adr_mode m;
	adr_level l;
	adr_visibility v;
	for (int i = ADR_STATUS_PROPOSED; i <= ADR_STATUS_SUPERSEDED; i++) {
		cr_assert_eq(adr_status_parse(&s, adr_status_name((adr_status)i)), 0);
		cr_assert_eq((int)s, i);
	}
	cr_assert_eq(adr_status_parse(&s, "  Accepted \n"), 0);
	cr_assert_eq(s, ADR_STATUS_ACCEPTED);
	cr_assert_eq(adr_status_parse(&s, "on hold"), ADR_EINVALID);
	cr_assert_eq(s, ADR_STATUS_NONE);
	cr_assert_not_null(strstr(adr_error_last(), "'on hold' is not one of proposed, accepted"));
	cr_assert_eq(adr_status_parse(&s, ""), ADR_EINVALID);
	cr_assert_eq(adr_status_parse(&s, NULL), ADR_EINVALID);
	cr_assert_str_eq(adr_status_name(ADR_STATUS_NONE), "");
	cr_assert_str_eq(adr_status_name((adr_status)99), "");
	cr_assert_eq(adr_mode_parse(&m, "ASYNC"), 0);
	cr_assert_eq(m, ADR_MODE_ASYNC);
	cr_assert_str_eq(adr_mode_name(ADR_MODE_SYNC), "sync");
	cr_assert_eq(adr_mode_parse(&m, "both"), ADR_EINVALID);
	cr_assert_eq(adr_level_parse(&l, "High"), 0);
	cr_assert_eq(l, ADR_LEVEL_HIGH);
	cr_assert_str_eq(adr_level_name(ADR_LEVEL_LOW), "low");
	cr_assert_eq(adr_visibility_parse(&v, "Partner"), 0);
	cr_assert_eq(v, ADR_VISIBILITY_PARTNER);
	cr_assert_str_eq(adr_visibility_name(ADR_VISIBILITY_INTERNAL), "internal");
	cr_assert_eq(adr_visibility_parse(&v, "private"), ADR_EINVALID);
}

Test(record, date_valid)
{
	const char *good[] = { "2024-02-29", "2000-02-29", "1999-12-31", "2026-11-21", "0001-01-01", NULL };
	const char *bad[] = { "2023-02-29", "1900-02-29", "2024-13-45", "2024-00-10", "2024-04-31",
			      "2024-1-05", "2024-01-05T10:00:00", "20240105", "2024/01/05", "0000-01-01",
			      "", " 2024-01-05", "abcd-ef-gh", NULL };
	for (int i = 0; good[i]; i++)
		cr_assert(adr_date_valid(good[i]), "%s", good[i]);
	for (int i = 0; bad[i]; i++)
		cr_assert(!adr_date_valid(bad[i]), "%s", bad[i]);
	cr_assert(!adr_date_valid(NULL));
}

Test(record, field_names)
{
	const char *const *n = adr_record_field_names();
	const char *want[] = { "status", "date", "owner", "decision-makers", "consulted", "informed", "reviewers", "mode",
			       "urgency", "complexity", "review-by", "revisit", "cleanup-by",
			       "supersedes", "superseded-by", "links", "tags", "visibility", "affects",
			       NULL };
	int i;
	for (i = 0; want[i]; i++)
		cr_assert_str_eq(n[i], want[i]);
	cr_assert_null(n[i]);
}

/* The owner is one name (trimmed), reviewers a list; both survive a rewrite
 * and are written in the canonical order. */
Test(record, owner_and_reviewers)
{
	const char *text = "---\nstatus: proposed\nowner: '  Ana Lima '\nreviewers: Bo Chen\n---\n# T\n";
	adr_record *r = NULL;
	adr_buf out = ADR_BUF_INIT;
	cr_assert_eq(adr_record_parse(&r, "x.md", text, strlen(text), 0), 0);
	cr_assert_str_eq(r->owner, "Ana Lima");
	cr_assert_eq(r->reviewers.count, 1);
	cr_assert_str_eq(r->reviewers.items[0], "Bo Chen");
	cr_assert_eq(adr_strlist_add(&r->reviewers, "Cy Diaz"), 0);
	cr_assert_eq(adr_record_serialize(&out, r), 0);
	cr_assert_str_eq(out.ptr, "---\nstatus: proposed\nowner: '  Ana Lima '\nreviewers: [Bo Chen, Cy Diaz]\n---\n# T\n");
	free(r->owner);
	r->owner = strdup("Bo\nChen");
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	cr_assert(strstr(adr_error_last(), "key 'owner'") != NULL, "%s", adr_error_last());
	adr_record_free(r);
	adr_buf_dispose(&out);
	text = "---\nowner: [Ana, Bo]\n---\n# T\n";
	cr_assert_eq(adr_record_parse(&r, "y.md", text, strlen(text), 0), ADR_EINVALID);
	cr_assert_str_eq(adr_error_last(), "y.md:2:8: key 'owner': expected a name, not a list");
}

/* File names */

Test(record, filename)
{
	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr_record_filename(&b, 42, "use-postgres"), 0);
	cr_assert_str_eq(b.ptr, "0042-use-postgres.md");
	cr_assert_eq(adr_record_filename(&b, 7, ""), 0);
	cr_assert_str_eq(b.ptr, "0007.md");
	cr_assert_eq(adr_record_filename(&b, 12345, NULL), 0);
	cr_assert_str_eq(b.ptr, "12345.md");
	cr_assert_eq(adr_record_filename(&b, -1, "x"), ADR_EINVALID);
	cr_assert_eq(adr_record_filename(&b, 1, "../x"), ADR_EINVALID);
	cr_assert_eq(adr_record_filename(&b, 1, "a/b"), ADR_EINVALID);
	adr_buf_dispose(&b);
}

static void filename_is(const char *name, int want_rc, int want_n, const char *want_slug)
{
	adr_buf slug = ADR_BUF_INIT;
	int n = 99;
	int rc = adr_record_parse_filename(&n, &slug, name);
	cr_assert_eq(rc, want_rc, "%s: rc %d", name, rc);
	if (rc == 0) {
		cr_assert_eq(n, want_n, "%s: number %d", name, n);
		cr_assert_str_eq(slug.ptr, want_slug, "%s", name);
	} else {
		cr_assert_eq(n, -1);
	}
	adr_buf_dispose(&slug);
}

Test(record, parse_filename)
{
	filename_is("0042-slug.md", 0, 42, "slug");
	filename_is("docs/decisions/0042-use-postgres.md", 0, 42, "use-postgres");
	filename_is("adr042-slug.md", 0, 42, "slug");
	filename_is("ADR-0042-slug.md", 0, 42, "slug");
	filename_is("42-x.md", 0, 42, "x");
	filename_is("0042.md", 0, 42, "");
	filename_is("0000-use-markdown.md", 0, 0, "use-markdown");
	filename_is("0038-mongo_replacement_by_documentdb.md", 0, 38, "mongo_replacement_by_documentdb");
	filename_is("0001-编写完整的单元测试.md", 0, 1, "编写完整的单元测试");
	filename_is("0001-use-CC0-or-MIT-as-license.md", 0, 1, "use-CC0-or-MIT-as-license");
	filename_is("0042-slug", 0, 42, "slug");
	filename_is("20201016-use-the-adr-slug-as-its-unique-id.md", ADR_ENOTFOUND, 0, NULL);
	filename_is("README.md", ADR_ENOTFOUND, 0, NULL);
	filename_is("index.md", ADR_ENOTFOUND, 0, NULL);
	filename_is("adr-template.md", ADR_ENOTFOUND, 0, NULL);
	filename_is("0042slug.md", ADR_ENOTFOUND, 0, NULL);
	filename_is("0042-x.png", ADR_ENOTFOUND, 0, NULL);
	filename_is("", ADR_ENOTFOUND, 0, NULL);
	{
		int n;
		cr_assert_eq(adr_record_parse_filename(&n, NULL, "0009-x.md"), 0);
		cr_assert_eq(n, 9);
		cr_assert_eq(adr_record_parse_filename(&n, NULL, NULL), ADR_ENOTFOUND);
	}
}

/* Slugs (P1, P3) */

static void assert_slug_shape(const char *slug)
{
	regex_t re;
	cr_assert_eq(regcomp(&re, "^[a-z0-9][a-z0-9-]{0,59}$", REG_EXTENDED | REG_NOSUB), 0);
	if (*slug) {
		cr_assert_eq(regexec(&re, slug, 0, NULL, 0), 0, "slug '%s' has the wrong shape", slug);
		cr_assert_neq(slug[strlen(slug) - 1], '-', "slug '%s' ends in a dash", slug);
	}
	regfree(&re);
}

static void slug_is(const char *title, const char *want)
{
	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr_slugify(&b, title), 0, "slugify '%s': %s", title, adr_error_last());
	cr_assert_str_eq(b.ptr, want, "slug of '%s'", title);
	assert_slug_shape(b.ptr);
	adr_buf_dispose(&b);
}

static void slug_fails(const char *title, const char *what)
{
	adr_buf b = ADR_BUF_INIT;
	adr_buf_puts(&b, "untouched");
	cr_assert_eq(adr_slugify(&b, title), ADR_EINVALID, "'%s' should fail", title ? title : "(null)");
	cr_assert_not_null(strstr(adr_error_last(), what), "message '%s' lacks '%s'", adr_error_last(), what);
	cr_assert_str_eq(b.ptr, "untouched");
	adr_buf_dispose(&b);
}

Test(slug, hostile_titles)
{
	slug_is("../../x", "x");
	slug_is("/etc/passwd", "etc-passwd");
	slug_is("a/b", "a-b");
	slug_is(".git", "git");
	slug_is(".GIT", "git");
	slug_is("git~1", "git-1");
	slug_is("con", "con-adr");
	slug_is("CON", "con-adr");
	slug_is("aux.md", "aux-md");
	slug_is("LPT1", "lpt1-adr");
	slug_is("com9", "com9-adr");
	slug_is("nul", "nul-adr");
	slug_is("prn ", "prn-adr");
	slug_is("com10", "com10");
	slug_is("a:b", "a-b");
	slug_is("a?b", "a-b");
	slug_is("a\"b", "a-b");
	slug_is("a|b", "a-b");
	slug_is("a*b", "a-b");
	slug_is("trailing dot.", "trailing-dot");
	slug_is("trailing space ", "trailing-space");
	slug_is("-rf", "rf");
	slug_is("$(touch pwned)", "touch-pwned");
	slug_is("`rm -rf /`; echo", "rm-rf-echo");
	slug_is("Use PostgreSQL for the event store", "use-postgresql-for-the-event-store");
	slug_is("  Multiple   spaces -- and --- dashes  ", "multiple-spaces-and-dashes");
	slug_is("C++ & .NET", "c-net");
	slug_is("Don't panic", "don-t-panic");
}

Test(slug, errors)
{
	slug_fails(NULL, "empty");
	slug_fails("", "empty");
	slug_fails("..", "has no letter or digit");
	slug_fails("!!!", "title '!!!' has no letter or digit");
	slug_fails("   ", "has no letter or digit");
	slug_fails("\xf0\x9f\x9a\x80\xf0\x9f\x8e\x89", "has no letter or digit");     /* 🚀🎉 */
	slug_fails("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd \xe2\x9c\xa8", "has no letter or digit");
	slug_fails("line\nbreak", "line break");
	slug_fails("carriage\rreturn", "line break");
	slug_fails("tab\there", "control character");
	slug_fails("esc\x1b", "control character");
	slug_fails("del\x7f", "control character");
	slug_fails("bad \xff utf8", "not valid UTF-8");
	slug_fails("overlong \xc0\xaf", "not valid UTF-8");
}

Test(slug, unicode)
{
	/* NFC and NFD give the same slug */
	slug_is("Caf\xc3\xa9", "cafe");
	slug_is("Cafe\xcc\x81", "cafe");
	slug_is("Stra\xc3\x9f" "e", "strasse");
	slug_is("\xc3\x86sir \xc3\xb8l \xc3\x85se", "aesir-ol-ase");
	slug_is("Cr\xc3\xa8me br\xc3\xbbl\xc3\xa9" "e", "creme-brulee");
	slug_is("\xc5\x81\xc3\xb3" "d\xc5\xba", "lodz");
	slug_is("\xc5\x92uvre", "oeuvre");
	slug_is("Vi\xc3\xb0" "ey", "videy");
	slug_is("\xc3\x9e" "ing", "thing");
	slug_is("na\xc3\xafve caf\xc3\xa9 \xc3\xa0 la carte", "naive-cafe-a-la-carte");
	/* letters without a transliteration: accepted, but leave no trace */
	slug_is("\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "");
	slug_is("\xe4\xbf\x9d\xe6\x8c\x81\xe5\x8a\x9f\xe8\x83\xbd\xe4\xb8\x8e adr-tools \xe5\x9f\xba\xe6\x9c\xac",
		"adr-tools");
	slug_is("\xce\x91\xce\xb8\xce\xae\xce\xbd\xce\xb1 2024", "2024");
	slug_is("Rocket \xf0\x9f\x9a\x80 launch", "rocket-launch");
}

Test(slug, length_cap)
{
	adr_buf title = ADR_BUF_INIT, b = ADR_BUF_INIT;
	/* 300 characters of words */
	while (title.size < 300)
		adr_buf_puts(&title, "decision ");
	cr_assert_eq(adr_slugify(&b, title.ptr), 0);
	cr_assert_leq(b.size, 60);
	assert_slug_shape(b.ptr);
	cr_assert_str_eq(b.ptr, "decision-decision-decision-decision-decision-decision");
	/* one long word: cut hard at 60 */
	adr_buf_clear(&title);
	for (int i = 0; i < 300; i++)
		adr_buf_putc(&title, 'a');
	cr_assert_eq(adr_slugify(&b, title.ptr), 0);
	cr_assert_eq(b.size, 60);
	assert_slug_shape(b.ptr);
	/* a word ending exactly at 60 */
	adr_buf_clear(&title);
	for (int i = 0; i < 60; i++)
		adr_buf_putc(&title, 'b');
	adr_buf_puts(&title, " tail");
	cr_assert_eq(adr_slugify(&b, title.ptr), 0);
	cr_assert_eq(b.size, 60);
	/* transliterations near the cap */
	adr_buf_clear(&title);
	for (int i = 0; i < 100; i++)
		adr_buf_puts(&title, "\xc3\x9f");
	cr_assert_eq(adr_slugify(&b, title.ptr), 0);
	cr_assert_eq(b.size, 60);
	assert_slug_shape(b.ptr);
	adr_buf_dispose(&title);
	adr_buf_dispose(&b);
}

Test(slug, every_ascii_and_latin1_title_gives_a_good_slug)
{
	/* each printable ASCII and Latin-1 character, alone and between letters */
	for (unsigned cp = 0x20; cp < 0x180; cp++) {
		char t[16];
		adr_buf b = ADR_BUF_INIT;
		int rc;
		if (cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
			continue;
		if (cp < 0x80)
			snprintf(t, sizeof(t), "x%cy", (char)cp);
		else
			snprintf(t, sizeof(t), "x%c%cy", (char)(0xC0 | (cp >> 6)), (char)(0x80 | (cp & 0x3F)));
		rc = adr_slugify(&b, t);
		cr_assert_eq(rc, 0, "U+%04X: %s", cp, adr_error_last());
		assert_slug_shape(b.ptr);
		cr_assert_neq(b.size, 0);
		adr_buf_dispose(&b);
	}
}

/* The real-world corpora */

typedef struct {
	char **paths;
	size_t count, alloc;
} pathlist;

/* Every file under dir; with only_records, only *.md files but README.md. */
static void collect_files(pathlist *l, const char *dir, bool only_records)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	cr_assert_not_null(d, "cannot open %s", dir);
	while ((e = readdir(d))) {
		char *p;
		struct stat st;
		if (e->d_name[0] == '.')
			continue;
		p = malloc(strlen(dir) + strlen(e->d_name) + 2);
		sprintf(p, "%s/%s", dir, e->d_name);
		cr_assert_eq(stat(p, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			collect_files(l, p, only_records);
			free(p);
			continue;
		}
		if (only_records && (!strcmp(e->d_name, "README.md") || strlen(e->d_name) < 4 ||
				     strcmp(e->d_name + strlen(e->d_name) - 3, ".md"))) {
			free(p);
			continue;
		}
		if (l->count == l->alloc) {
			l->alloc = l->alloc ? l->alloc * 2 : 64;
			l->paths = realloc(l->paths, l->alloc * sizeof(*l->paths));
		}
		l->paths[l->count++] = p;
	}
	closedir(d);
}

static void collect(pathlist *l, const char *dir)
{
	collect_files(l, dir, false);
}

static void pathlist_free(pathlist *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->paths[i]);
	free(l->paths);
}

static bool starts_with_front_matter(const char *s, size_t n)
{
	if (n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
		s += 3;
		n -= 3;
	}
	return n >= 4 && !memcmp(s, "---", 3) && (s[3] == '\n' || s[3] == '\r' || s[3] == ' ');
}

/* Files of the corpora that cannot be read, and where the error must point. */
static const struct { const char *name, *where; } corpus_failures[] = {
	/* `title: ADR002: Default Software Catalog File Format` is not valid YAML */
	{ "adr002-default-catalog-file-format.md", "adr002-default-catalog-file-format.md:3:14: mapping values" },
	/* the same mistake in the project's own fixture (tests/fixtures/formats) */
	{ "adr002-catalog-file-name.md", "adr002-catalog-file-name.md:3:14: mapping values" },
};

static const char *expected_failure(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	for (size_t i = 0; i < sizeof(corpus_failures) / sizeof(corpus_failures[0]); i++)
		if (strcmp(base, corpus_failures[i].name) == 0)
			return corpus_failures[i].where;
	return NULL;
}

/* Every file with front matter under `l` comes back byte for byte;
 * returns how many had front matter, *failed those that must not parse. */
static size_t round_trip_all(const pathlist *l, size_t *failed_out)
{
	size_t with_fm = 0, failed = 0;
	for (size_t i = 0; i < l->count; i++) {
		size_t len;
		char *s = tu_slurp(l->paths[i], &len), *out;
		const char *fail = expected_failure(l->paths[i]);
		adr_record *r = NULL;
		int rc;
		if (!starts_with_front_matter(s, len)) {
			free(s);
			continue;
		}
		with_fm++;
		rc = adr_record_parse(&r, l->paths[i], s, len, ADR_PARSE_LENIENT);
		if (fail) {
			cr_assert_eq(rc, ADR_EINVALID, "%s should not parse", l->paths[i]);
			cr_assert_not_null(strstr(adr_error_last(), fail), "%s", adr_error_last());
			failed++;
			free(s);
			continue;
		}
		cr_assert_eq(rc, 0, "%s: %s", l->paths[i], adr_error_last());
		cr_assert(r->has_frontmatter, "%s", l->paths[i]);
		out = serialize(r);
		cr_assert_eq(strlen(out), len, "%s: length changed", l->paths[i]);
		cr_assert(memcmp(out, s, len) == 0, "%s: round trip changed it", l->paths[i]);
		free(out);
		adr_record_free(r);
		free(s);
	}
	*failed_out = failed;
	return with_fm;
}

Test(corpus, front_matter_round_trip_is_byte_identical)
{
	pathlist l = { 0 };
	size_t with_fm, failed;
	tu_require_shared("data/corpora");
	collect(&l, CORPORA);
	cr_assert_gt(l.count, 100, "the corpora are missing: %zu files", l.count);
	with_fm = round_trip_all(&l, &failed);
	cr_assert_eq(with_fm, 23, "files with front matter: %zu", with_fm); /* 19 MADR + 4 backstage */
	cr_assert_eq(failed, 1);
	pathlist_free(&l);
}

Test(fixtures, front_matter_round_trip_is_byte_identical)
{
	pathlist l = { 0 };
	size_t with_fm, failed;
	collect_files(&l, TU_FORMATS, true);
	cr_assert_eq(l.count, 23, "fixture records: %zu", l.count);
	with_fm = round_trip_all(&l, &failed);
	cr_assert_eq(with_fm, 5, "files with front matter: %zu", with_fm); /* MADR 3 and 4, backstage-style */
	cr_assert_eq(failed, 1);
	pathlist_free(&l);
}

/* Every file under `l` parses leniently and comes back unchanged. */
static void parse_all(const pathlist *l)
{
	for (size_t i = 0; i < l->count; i++) {
		size_t len;
		char *s = tu_slurp(l->paths[i], &len), *out;
		adr_record *r = NULL;
		int rc = adr_record_parse(&r, l->paths[i], s, len, ADR_PARSE_LENIENT);
		if (expected_failure(l->paths[i])) {
			cr_assert_eq(rc, ADR_EINVALID);
			free(s);
			continue;
		}
		cr_assert_eq(rc, 0, "%s: %s", l->paths[i], adr_error_last());
		/* unchanged, every file comes back as it was */
		out = serialize(r);
		cr_assert(strlen(out) == len && memcmp(out, s, len) == 0, "%s changed", l->paths[i]);
		free(out);
		/* strict parsing fails only with a located message */
		adr_record_free(r);
		r = NULL;
		rc = adr_record_parse(&r, l->paths[i], s, len, 0);
		if (rc < 0)
			cr_assert(strstr(adr_error_last(), l->paths[i]) == adr_error_last(), "%s", adr_error_last());
		adr_record_free(r);
		free(s);
	}
}

Test(corpus, every_file_parses_leniently)
{
	pathlist l = { 0 };
	tu_require_shared("data/corpora");
	collect(&l, CORPORA);
	parse_all(&l);
	pathlist_free(&l);
}

Test(fixtures, every_file_parses_leniently)
{
	pathlist l = { 0 };
	collect_files(&l, TU_FORMATS, true);
	parse_all(&l);
	pathlist_free(&l);
}

static adr_record *record_under(const char *dir, const char *rel)
{
	char path[1024];
	size_t len;
	char *s;
	adr_record *r = NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	s = tu_slurp(path, &len);
	cr_assert_eq(adr_record_parse(&r, path, s, len, ADR_PARSE_LENIENT), 0, "%s", adr_error_last());
	free(s);
	return r;
}

static adr_record *corpus_record(const char *rel)
{
	return record_under(CORPORA, rel);
}

Test(fixtures, titles_and_fields)
{
	struct { const char *rel, *title; int number; } cases[] = {
		{ "adr-tools/0001-record-architecture-decisions.md", "Record architecture decisions", 1 },
		{ "adr-tools/0005-write-the-importer-in-c.md", "Write the importer in C", 5 },
		{ "madr2/0000-use-markdown-any-decision-records.md", "Use Markdown Any Decision Records", 0 },
		{ "madr3/0001-store-events-in-postgres.md", "Store events in Postgres", 1 },
		{ "madr4/0001-use-feature-flags-for-releases.md", "Use feature flags for releases", 1 },
		{ "backstage-style/adr001-keep-a-decision-log.md", "ADR001: Keep a decision log", 1 },
		{ "chinese/0001-记录架构决策.md", "记录架构决策", 1 },
		{ "madr2/0001-pick-a-licence-for-the-handbook.md", "Pick a licence for the handbook", 1 },
		{ "nygard-variants/0012-reserve-ranges-for-partners.md", "2. Reserve ranges for partners", 12 },
		{ "log4brains/docs/adr/20210322-name-records-by-slug.md", "Name records by slug", -1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		adr_record *r = record_under(TU_FORMATS, cases[i].rel);
		cr_assert_str_eq(r->title, cases[i].title, "%s", cases[i].rel);
		cr_assert_eq(r->number, cases[i].number, "%s", cases[i].rel);
		cr_assert_null(strchr(r->title, '\r'));
		adr_record_free(r);
	}
	{
		adr_record *r = record_under(TU_FORMATS, "madr3/0002-publish-the-records-as-a-site.md");
		cr_assert_eq(r->status, ADR_STATUS_NONE);
		cr_assert_str_eq(r->status_word, "on hold");
		cr_assert_eq(r->warnings.count, 1);
		adr_record_free(r);
		r = record_under(TU_FORMATS, "log4brains/docs/adr/20210322-name-records-by-slug.md");
		cr_assert_str_eq(r->slug, "20210322-name-records-by-slug");
		adr_record_free(r);
	}
}

Test(fixtures, change_status_on_madr_record)
{
	char path[1024];
	size_t len;
	char *s, *out;
	adr_record *r = NULL;
	snprintf(path, sizeof(path), "%s/madr3/0002-publish-the-records-as-a-site.md", TU_FORMATS);
	s = tu_slurp(path, &len);
	cr_assert_eq(adr_record_parse(&r, path, s, len, ADR_PARSE_LENIENT), 0);
	r->status = ADR_STATUS_REJECTED;
	strcpy(r->date, "2024-10-16");
	out = serialize(r);
	cr_assert(strncmp(out, "---\nparent: Decisions\nnav_order: 2\nstatus: rejected\ndate: 2024-10-16\n---\n", 73) == 0,
		  "%s", out);
	cr_assert_str_eq(strstr(out, "\n---\n") + 5, strstr(s, "\n---\n") + 5);
	free(out);
	free(s);
	adr_record_free(r);
}

Test(corpus, titles_and_fields)
{
	struct { const char *rel, *title; int number; } cases[] = {
		{ "npryce__adr-tools/0001-record-architecture-decisions.md", "Record architecture decisions", 1 },
		{ "npryce__adr-tools/0009-help-scripts.md", "Help scripts", 9 },
		{ "adr__madr/0000-use-markdown-architectural-decision-records.md",
		  "Use Markdown Architectural Decision Records", 0 },
		{ "adr__madr/0001-use-CC0-or-MIT-as-license.md", "Dual License the Work", 1 },
		{ "backstage__backstage/adr001-add-adr-log.md", "ADR001: Architecture Decision Record (ADR) log", 1 },
		{ "backstage__backstage/adr015-jsx-loader-structure.md",
		  "ADR015: Types and naming for element and component options", 15 },
		{ "phodal__adr/0001-编写完整的单元测试.md", "编写完整的单元测试", 1 },
		{ "island-is__handbook/0011-open-source-license.md", "Open Source License", 11 },
		{ "alphagov__govuk-aws/0033-ip-ranges.md", "3. Networking Outline", 33 },
		{ "thomvaill__log4brains/docs/adr/20201016-use-the-adr-slug-as-its-unique-id.md",
		  "Use the ADR slug as its unique ID", -1 },
	};
	tu_require_shared("data/corpora");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		adr_record *r = corpus_record(cases[i].rel);
		cr_assert_str_eq(r->title, cases[i].title, "%s", cases[i].rel);
		cr_assert_eq(r->number, cases[i].number, "%s", cases[i].rel);
		cr_assert_null(strchr(r->title, '\r'));
		adr_record_free(r);
	}
	{
		adr_record *r = corpus_record("adr__madr/0003-provide-own-madr-tools.md");
		cr_assert_eq(r->status, ADR_STATUS_NONE);
		cr_assert_str_eq(r->status_word, "on hold");
		cr_assert_eq(r->warnings.count, 1);
		adr_record_free(r);
		r = corpus_record("thomvaill__log4brains/docs/adr/20201016-use-the-adr-slug-as-its-unique-id.md");
		cr_assert_str_eq(r->slug, "20201016-use-the-adr-slug-as-its-unique-id");
		adr_record_free(r);
	}
}

Test(corpus, change_status_on_madr_record)
{
	char path[1024];
	size_t len;
	char *s, *out;
	adr_record *r = NULL;
	tu_require_shared("data/corpora");
	snprintf(path, sizeof(path), "%s/adr__madr/0003-provide-own-madr-tools.md", CORPORA);
	s = tu_slurp(path, &len);
	cr_assert_eq(adr_record_parse(&r, path, s, len, ADR_PARSE_LENIENT), 0);
	r->status = ADR_STATUS_REJECTED;
	strcpy(r->date, "2024-10-16");
	out = serialize(r);
	cr_assert(strncmp(out, "---\nparent: Decisions\nnav_order: 3\nstatus: rejected\ndate: 2024-10-16\n---\n", 73) == 0,
		  "%s", out);
	cr_assert_str_eq(strstr(out, "\n---\n") + 5, strstr(s, "\n---\n") + 5);
	free(out);
	free(s);
	adr_record_free(r);
}

/*
 * What a field was when read is worked out again from the front matter
 * block when the record is written (write.c): entries in a form adr would
 * not write stay byte for byte unless their field changed, also in a copy,
 * with a BOM and CRLF, and fields an older format filled in the body are
 * new ones.
 */
Test(record, serialize_keeps_unchanged_entries_as_read)
{
	const char *s = "\xEF\xBB\xBF---\r\n"
			"status:   Accepted   # yes\r\n"
			"tags: [ b ,a ]\r\n"
			"date: 2020-01-02\r\n"
			"mode: ASYNC\r\n"
			"x-own: [1, 2]\r\n"
			"---\r\n"
			"# Title\r\n";
	adr_record *r = parse_ok_flags("0001-t.md", s, ADR_PARSE_LENIENT), *c = NULL;
	char *out = serialize(r);
	cr_assert_str_eq(out, s);
	free(out);
	strcpy(r->date, "2021-03-04");
	cr_assert_eq(adr_record_dup(&c, r), 0);
	out = serialize(r);
	cr_assert_str_eq(out, "\xEF\xBB\xBF---\r\n"
			      "status:   Accepted   # yes\r\n"
			      "tags: [ b ,a ]\r\n"
			      "date: 2021-03-04\r\n"
			      "mode: ASYNC\r\n"
			      "x-own: [1, 2]\r\n"
			      "---\r\n"
			      "# Title\r\n");
	free(out);
	c->mode = ADR_MODE_SYNC;
	out = serialize(c);
	cr_assert_not_null(strstr(out, "status:   Accepted   # yes\r\ntags: [ b ,a ]\r\ndate: 2021-03-04\r\nmode: sync\r\n"),
			   "%s", out);
	free(out);
	adr_record_free(c);
	adr_record_free(r);
}

/* A field adr keeps but does not read (the site's `thread`): its one-line
 * value, unquoted and without a comment; a known field is not one. */
Test(record, extra_field)
{
	adr_record *r = parse_ok("docs/decisions/0001-x.md",
				 "---\nstatus: accepted\nthread: \"votes\"   # for partners\nnote: plain words\n"
				 "empty:\n---\n# X\n");
	adr_buf v = ADR_BUF_INIT;

	cr_assert_eq(adr_record_extra_field(&v, r, "thread"), 1);
	cr_assert_str_eq(v.ptr, "votes");
	cr_assert_eq(adr_record_extra_field(&v, r, "note"), 1);
	cr_assert_str_eq(v.ptr, "plain words");
	cr_assert_eq(adr_record_extra_field(&v, r, "empty"), 1);
	cr_assert_str_eq(v.ptr, "");
	cr_assert_eq(adr_record_extra_field(&v, r, "status"), 0, "a field adr reads is not an extra one");
	cr_assert_eq(adr_record_extra_field(&v, r, "missing"), 0);
	cr_assert_str_eq(v.ptr, "");
	adr_record_free(r);
	r = parse_ok(NULL, "# No front matter\n");
	cr_assert_eq(adr_record_extra_field(&v, r, "thread"), 0);
	adr_record_free(r);
	adr_buf_dispose(&v);
}
