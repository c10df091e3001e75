/*
 * Unit tests for lib/log/import.c (adr__import_convert): every record of the
 * project's fixtures (and of the external corpora, when ../shared is there)
 * is converted with its text preserved (all but the metadata lines now in the
 * front matter), and reads back with the same fields.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/import.h"
#include "record/legacy.h"
#include "adr/record.h"
#include "testutil.h"
#include "log/import_internal.h"

#define CORPORA ADR_TEST_SHARED "/data/corpora"

/* The next non-blank line (CR and trailing space dropped) into out; false at the end. */
static bool next_line(const char **p, char *out, size_t max)
{
	while (**p) {
		const char *s = *p, *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		*p = nl ? nl + 1 : s + n;
		while (n && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
			n--;
		if (!n)
			continue;
		if (n >= max)
			n = max - 1;
		memcpy(out, s, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

static int converted = 0, copied = 0;

static void convert_one(const char *path, const char *name)
{
	size_t len;
	char *data = tu_slurp(path, &len);
	adr_buf out = ADR_BUF_INIT, expect = ADR_BUF_INIT;
	adr_strlist notes = ADR_STRLIST_INIT;
	adr_record *orig = NULL, *conv = NULL;
	adr_legacy l;
	int rc = adr__import_convert(&out, &notes, name, data, len);
	static char a[65536], b[65536];
	const char *pa, *pb;

	if (rc == ADR_EINVALID) {
		copied++;
		cr_expect(strstr(name, "adr002") != NULL, "%s: %s", name, adr_error_last());
		goto done;
	}
	cr_assert_eq(rc, 0, "%s: %s", name, adr_error_last());
	converted++;
	cr_assert_eq(adr_record_parse(&orig, name, data, len, ADR_PARSE_LENIENT), 0);
	cr_assert_eq(adr_record_parse(&conv, name, out.ptr, out.size, ADR_PARSE_LENIENT), 0, "%s: %s", name,
		     adr_error_last());
	/* the text: the original body without the metadata spans, line by line */
	cr_assert_eq(adr__legacy_read(&l, name, orig->body, orig->body_line), 0);
	{
		size_t pos = 0, bl = strlen(orig->body);
		bool cut = true;
		/* spans are cut only when every relation in them was mapped */
		for (size_t i = 0; i < l.nlinks; i++) {
			int n;
			if (!l.links[i].in_body && adr_record_parse_filename(&n, NULL, l.links[i].target) < 0)
				cut = false;
		}
		adr_error_clear();
		for (size_t i = 0; cut && i < l.nspans; i++) {
			adr_buf_put(&expect, orig->body + pos, l.spans[i].start - pos);
			pos = l.spans[i].end;
		}
		adr_buf_put(&expect, orig->body + pos, bl - pos);
	}
	pa = expect.ptr;
	pb = conv->body;
	/* a title that lived only in the front matter became the H1 */
	if (!strstr(orig->body, "\n# ") && strncmp(orig->body, "# ", 2) && orig->title[0]) {
		cr_assert(next_line(&pb, b, sizeof(b)));
		cr_expect(strncmp(b, "# ", 2) == 0 && !strcmp(b + 2, orig->title), "%s: inserted H1 '%s'", name, b);
	}
	for (;;) {
		bool ha = next_line(&pa, a, sizeof(a)), hb = next_line(&pb, b, sizeof(b));
		cr_assert_eq(ha, hb, "%s: body length differs (%s / %s)", name, ha ? a : "<end>", hb ? b : "<end>");
		if (!ha)
			break;
		cr_assert_str_eq(b, a, "%s: body line differs", name);
	}
	/* the fields read back as the legacy reader saw them */
	cr_assert_eq(adr__legacy_apply(orig), 0);
	cr_expect_eq(conv->status, orig->status, "%s: status", name);
	cr_expect_str_eq(conv->date, orig->date, "%s: date", name);
	cr_expect_eq(conv->decision_makers.count, orig->decision_makers.count, "%s: decision-makers", name);
	cr_expect(conv->has_frontmatter || (!orig->status && !orig->date[0]), "%s: no front matter", name);
	cr_expect_not(adr__legacy_unconverted(conv), "%s: still unconverted", name);
	adr__legacy_dispose(&l);
done:
	adr_record_free(orig);
	adr_record_free(conv);
	adr_buf_dispose(&out);
	adr_buf_dispose(&expect);
	adr_strlist_dispose(&notes);
	free(data);
}

/* payload: the root walked, so that names are given relative to it */
static void convert_file(const char *path, const char *name, void *payload)
{
	size_t n = strlen(name);
	if (strcmp(name, "SOURCES.md") && strcmp(name, "README.md") && n > 3 && !strcmp(name + n - 3, ".md"))
		convert_one(path, path + strlen(payload) + 1);
}

Test(convert, every_corpus_record_keeps_its_text)
{
	tu_require_shared("data/corpora");
	tu_walk_files(CORPORA, convert_file, (void *)CORPORA);
	cr_expect_eq(converted, 122, "converted %d", converted);
	cr_expect_eq(copied, 1, "copied %d", copied);
}

/* The project's own records in each format (tests/fixtures/formats). */
Test(convert, every_fixture_record_keeps_its_text)
{
	tu_walk_files(TU_FORMATS, convert_file, (void *)TU_FORMATS);
	cr_expect_eq(converted, 22, "converted %d", converted);
	cr_expect_eq(copied, 1, "copied %d", copied);
}

Test(convert, nygard_metadata_moves_to_front_matter)
{
	const char *in = "# 2. Use Y\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\nSupercedes [1. Use X](0001-use-x.md)\n\n"
			 "## Context\n\nWhy.\n";
	adr_buf out = ADR_BUF_INIT;
	adr_strlist notes = ADR_STRLIST_INIT;
	cr_assert_eq(adr__import_convert(&out, &notes, "0002-use-y.md", in, strlen(in)), 0);
	cr_expect_str_eq(out.ptr, "---\nstatus: accepted\ndate: 2016-02-12\nsupersedes: [1]\n---\n"
				  "# 2. Use Y\n\n## Context\n\nWhy.\n");
	cr_expect_eq(notes.count, 0);
	adr_buf_dispose(&out);
	adr_strlist_dispose(&notes);
}

Test(convert, what_cannot_be_mapped_stays_and_is_listed)
{
	const char *in = "# Use Z\n\n* Status: on hold\n* Date: 03/04/2020\n* Deciders: [list everyone]\n\n## Context\n";
	adr_buf out = ADR_BUF_INIT;
	adr_strlist notes = ADR_STRLIST_INIT;
	cr_assert_eq(adr__import_convert(&out, &notes, "0003-use-z.md", in, strlen(in)), 0);
	/* nothing was understood: no front matter, every line kept */
	cr_expect_str_eq(out.ptr, in);
	cr_assert_eq(notes.count, 3);
	cr_expect(strstr(notes.items[0], "0003-use-z.md:4:9: ambiguous date"), "%s", notes.items[0]);
	cr_expect(strstr(notes.items[1], "0003-use-z.md:3:11: status 'on hold'"), "%s", notes.items[1]);
	cr_expect(strstr(notes.items[2], "0003-use-z.md:5:13: deciders"), "%s", notes.items[2]);
	adr_buf_dispose(&out);
	adr_strlist_dispose(&notes);
}

Test(convert, relation_to_a_file_without_number_is_kept)
{
	const char *in = "# A\n\n- Status: superseded by [b](20201016-b.md)\n- Date: 2020-10-16\n\n## Context\n";
	adr_buf out = ADR_BUF_INIT;
	adr_strlist notes = ADR_STRLIST_INIT;
	cr_assert_eq(adr__import_convert(&out, &notes, "0001-a.md", in, strlen(in)), 0);
	cr_expect(strstr(out.ptr, "status: superseded\n"));
	cr_expect(strstr(out.ptr, "- Status: superseded by [b](20201016-b.md)\n"), "%s", out.ptr);
	cr_assert_eq(notes.count, 1);
	cr_expect(strstr(notes.items[0], "names no imported record"));
	adr_buf_dispose(&out);
	adr_strlist_dispose(&notes);
}

Test(convert, unreadable_front_matter_is_an_error)
{
	const char *in = "---\ntitle: A: B\n---\n# A\n";
	adr_buf out = ADR_BUF_INIT;
	cr_expect_eq(adr__import_convert(&out, NULL, "0001-a.md", in, strlen(in)), ADR_EINVALID);
	cr_expect(strncmp(adr_error_last(), "0001-a.md:2:", 12) == 0, "%s", adr_error_last());
	adr_buf_dispose(&out);
}
