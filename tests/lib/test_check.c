/* Unit tests for lib/log/check.c (adr__check_records) and lib/log/toc.c on hand-made record sets. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/check.h"
#include "adr/slug.h"
#include "record/legacy.h"
#include "adr/toc.h"
#include "log/check_internal.h"

static void add(adr_recordset *set, const char *path, const char *text)
{
	adr_record *r = NULL;
	int rc = adr_record_parse(&r, path, text, strlen(text), ADR_PARSE_LENIENT);
	if (rc < 0) {
		cr_assert_eq(adr_strlist_add(&set->errors, adr_error_last()), 0);
		return;
	}
	cr_assert_eq(adr__legacy_apply(r), 0);
	cr_assert_eq(adr_recordset_add(set, r), 0);
}

/* The one finding with `code` for `path`, or NULL. */
static const adr_finding *find(const adr_findings *f, const char *path, const char *code)
{
	for (size_t i = 0; i < f->count; i++)
		if (!strcmp(f->items[i].path, path) && !strcmp(f->items[i].code, code))
			return &f->items[i];
	return NULL;
}

Test(check, clean_set_has_no_findings)
{
	adr_recordset set = ADR_RECORDSET_INIT;
	adr_findings f = ADR_FINDINGS_INIT;
	add(&set, "d/0001-a.md", "---\nstatus: superseded\ndate: 2020-01-01\nsuperseded-by: [2]\n---\n# A\n");
	add(&set, "d/0002-b.md", "---\nstatus: accepted\ndate: 2020-01-02\nsupersedes: [1]\n---\n# B\n\nSee [A](0001-a.md).\n");
	/* adr-tools style, no front matter */
	add(&set, "d/0003-c.md", "# 3. C\n\nDate: 2020-01-03\n\n## Status\n\nAccepted\n\nAmends [2. B](0002-b.md)\n");
	cr_assert_eq(adr__check_records(&f, &set), 0);
	for (size_t i = 0; i < f.count; i++)
		cr_log_error("%s:%d: %s", f.items[i].path, f.items[i].line, f.items[i].message);
	cr_expect_eq(f.count, 0);
	adr_findings_dispose(&f);
	adr_recordset_dispose(&set);
}

Test(check, every_kind_of_finding)
{
	adr_recordset set = ADR_RECORDSET_INIT;
	adr_findings f = ADR_FINDINGS_INIT;
	const adr_finding *x;
	add(&set, "d/0001-a.md", "---\nstatus: accepted\ndate: 2020-01-01\n---\n# A\n");
	add(&set, "d/0002-b.md", "---\nstatus: accepted\ndate: 2020-01-02\nsupersedes: [1]\nlinks: [amends 9]\n---\n# B\n\n"
				 "Text.\n\nSee [gone](0005-gone.md).\n");
	add(&set, "d/0003-c.md", "---\nstatus: accepted\n---\n# C\n");
	add(&set, "d/0003-d.md", "---\nstatus: proposed\ndate: 2999-01-01\n---\n# D\n");
	add(&set, "d/0004-e.md", "---\nstatus: superseded\ndate: 2020-01-01\n---\n# E\n");
	add(&set, "d/0006-f.md", "---\nstatus: [\n---\n# F\n");
	add(&set, "d/0007-g.md", "# G\n");
	add(&set, "d/0008-h.md", "---\nstatus: accepted\ndate: 2020-01-01\nsuperseded-by: [7]\n---\n# H\n");
	add(&set, "d/0009-I.md", "---\nstatus: accepted\ndate: 2020-01-01\n---\n# I\n");
	add(&set, "d/0009-i.md", "---\nstatus: accepted\ndate: 2020-01-01\n---\n# i\n");
	/* one name in NFC and in NFD */
	add(&set, "d/0010-caf\xc3\xa9.md", "---\nstatus: accepted\ndate: 2020-01-01\n---\n# Caf\xc3\xa9\n");
	add(&set, "d/0010-cafe\xcc\x81.md", "---\nstatus: accepted\ndate: 2020-01-01\n---\n# Cafe\xcc\x81\n");
	add(&set, "d/0010-cafe.md", "---\nstatus: accepted\ndate: 2020-01-01\n---\n# Cafe\n");
	cr_assert_eq(adr__check_records(&f, &set), 0);

	cr_assert_not_null(x = find(&f, "d/0010-cafe\xcc\x81.md", "duplicate-name"));
	cr_expect(strstr(x->message, "in another Unicode form"), "%s", x->message);
	cr_expect_null(find(&f, "d/0010-cafe.md", "duplicate-name"), "an ASCII name is not another form");
	cr_assert_not_null(x = find(&f, "d/0002-b.md", "one-sided-supersede"));
	cr_expect_eq(x->line, 4);
	cr_expect(strstr(x->message, "supersedes 0001, but d/0001-a.md does not say superseded-by 0002"), "%s", x->message);
	cr_assert_not_null(x = find(&f, "d/0002-b.md", "dangling-link"));
	cr_assert_not_null(x = find(&f, "d/0003-c.md", "status-date"));
	cr_expect_str_eq(x->message, "accepted without a date");
	cr_expect_eq(x->line, 2);
	cr_assert_not_null(x = find(&f, "d/0003-d.md", "status-date"));
	cr_expect_str_eq(x->message, "date 2999-01-01 is in the future");
	cr_expect_eq(x->line, 3);
	cr_assert_not_null(x = find(&f, "d/0003-d.md", "duplicate-number"));
	cr_expect(strstr(x->message, "d/0003-c.md"));
	cr_assert_not_null(x = find(&f, "d/0004-e.md", "status-date"));
	cr_expect(strstr(x->message, "superseded, but superseded-by names no record"));
	cr_assert_not_null(x = find(&f, "d/0006-f.md", "parse"));
	cr_expect_eq(x->line, 3); /* where libyaml notices the missing `]` */
	cr_expect_eq(x->col, 1);
	cr_assert_not_null(x = find(&f, "d/0007-g.md", "schema"));
	cr_expect_str_eq(x->message, "no status");
	cr_assert_not_null(x = find(&f, "d/0008-h.md", "status-date"));
	cr_expect(strstr(x->message, "has superseded-by but its status is accepted"));
	cr_assert_not_null(x = find(&f, "d/0008-h.md", "one-sided-supersede"));
	cr_assert_not_null(x = find(&f, "d/0009-i.md", "duplicate-name"));
	/* three dangling links in 0002: amends 9 exists (two files), 0005-gone.md does not */
	{
		size_t n = 0;
		for (size_t i = 0; i < f.count; i++)
			if (!strcmp(f.items[i].code, "dangling-link"))
				n++;
		cr_expect_eq(n, 1, "dangling links: %zu", n);
	}
	cr_assert_not_null(x = find(&f, "d/0002-b.md", "dangling-link"));
	cr_expect_eq(x->line, 11);
	cr_expect_str_eq(x->message, "link to '0005-gone.md', which does not exist");
	adr_findings_dispose(&f);
	adr_recordset_dispose(&set);
}

Test(check, key_line)
{
	adr_record *r = NULL;
	const char *s = "---\n# comment\nstatus: accepted\ndate: 2020-01-01\nsupersedes: [1]\n---\n# T\nsupersedes: no\n";
	cr_assert_eq(adr_record_parse(&r, "0002-t.md", s, strlen(s), 0), 0);
	cr_expect_eq(adr__check_key_line(r, "status"), 3);
	cr_expect_eq(adr__check_key_line(r, "supersedes"), 5);
	cr_expect_eq(adr__check_key_line(r, "links"), 1);
	adr_record_free(r);
	s = "# T\n";
	cr_assert_eq(adr_record_parse(&r, "0002-t.md", s, strlen(s), 0), 0);
	cr_expect_eq(adr__check_key_line(r, "status"), 1);
	adr_record_free(r);
}

Test(toc, format_and_options)
{
	adr_recordset set = ADR_RECORDSET_INIT;
	adr_buf out = ADR_BUF_INIT;
	add(&set, "d/0001-a.md", "# 1. Record decisions\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n");
	add(&set, "d/0002-b.md", "---\nstatus: accepted\nlinks: [relates-to 1]\nsupersedes: [1]\n---\n# Use \"B\"\n");
	cr_assert_eq(adr_toc_write(&out, &set, "Intro", "Outro\n", "x/"), 0);
	cr_expect_str_eq(out.ptr, "# Architecture Decision Records\n\nIntro\n\n"
				  "* [1. Record decisions](x/0001-a.md)\n* [2. Use \"B\"](x/0002-b.md)\n\nOutro\n");
	adr_buf_clear(&out);
	cr_assert_eq(adr_graph_write(&out, &set, NULL, NULL), 0);
	cr_expect_str_eq(out.ptr, "digraph {\n  node [shape=plaintext];\n  subgraph {\n"
				  "    _1 [label=\"1. Record decisions\"; URL=\"0001-a.html\"];\n"
				  "    _2 [label=\"2. Use \\\"B\\\"\"; URL=\"0002-b.html\"];\n"
				  "    _1 -> _2 [style=\"dotted\", weight=1];\n  }\n"
				  "  _2 -> _1 [label=\"Supersedes\", weight=0]\n"
				  "  _2 -> _1 [label=\"Relates to\", weight=0]\n}\n");
	adr_buf_dispose(&out);
	adr_recordset_dispose(&set);
}

/* --- the sorted lookups (log/check_pairs.c) against the pairwise comparison --- */

/* The pairwise comparison check.c did before the lookups: every record with
 * every earlier one. Its duplicate findings, in order, as "path: message". */
static bool other_form(const char *a, const char *b)
{
	adr_buf sa = ADR_BUF_INIT, sb = ADR_BUF_INIT;
	bool na = false, nb = false, same = false;
	for (const char *p = a; *p; p++)
		na |= (unsigned char)*p >= 0x80;
	for (const char *p = b; *p; p++)
		nb |= (unsigned char)*p >= 0x80;
	if (na && nb && strlen(a) >= 3 && strlen(b) >= 3 && strlen(a) != strlen(b) && adr_slugify(&sa, a) == 0 &&
	    adr_slugify(&sb, b) == 0 && sa.size && !strcmp(sa.ptr, sb.ptr))
		same = true;
	adr_error_clear();
	adr_buf_dispose(&sa);
	adr_buf_dispose(&sb);
	return same;
}

static void pairwise(adr_buf *out, const adr_recordset *set)
{
	for (size_t i = 0; i < set->count; i++) {
		const adr_record *r = set->items[i];
		for (size_t j = 0; j < i; j++) {
			const adr_record *o = set->items[j];
			if (r->number >= 0 && o->number == r->number)
				adr_buf_printf(out, "%s: number %04d is also used by %s\n", r->path, r->number, o->path);
			if (strcmp(r->path, o->path) && other_form(r->path, o->path))
				adr_buf_printf(out, "%s: the same name as %s in another Unicode form\n", r->path, o->path);
			if (strcmp(r->path, o->path) && !strcasecmp(r->path, o->path))
				adr_buf_printf(out, "%s: same name as %s but for case\n", r->path, o->path);
		}
	}
}

Test(check, lookups_find_what_the_pairwise_comparison_found)
{
	/* Names that clash by number, by case and by Unicode form (NFC and NFD). */
	static const char *const names[] = { "cafe", "caf\xc3\xa9", "cafe\xcc\x81", "CAF\xc3\x89", "Cafe", "tea",
					     "TEA", "na\xc3\xafve", "nai\xcc\x88ve", "x" };
	unsigned seed = 1234;
	for (int round = 0; round < 20; round++) {
		adr_recordset set = ADR_RECORDSET_INIT;
		adr_findings f = ADR_FINDINGS_INIT;
		adr_buf want = ADR_BUF_INIT, got = ADR_BUF_INIT;
		size_t n = 40 + (size_t)(rand_r(&seed) % 200);
		for (size_t i = 0; i < n; i++) {
			char path[128];
			int num = 1 + rand_r(&seed) % (round % 2 ? 8 : 60);
			const char *name = names[rand_r(&seed) % (sizeof(names) / sizeof(*names))];
			if (rand_r(&seed) % 10 == 0)
				snprintf(path, sizeof(path), "d/%s.md", name); /* no number */
			else
				snprintf(path, sizeof(path), "d/%04d-%s.md", num, name);
			add(&set, path, "---\nstatus: accepted\ndate: 2020-01-01\n---\n# T\n");
		}
		pairwise(&want, &set);
		cr_assert_eq(adr__check_records(&f, &set), 0, "%s", adr_error_last());
		for (size_t i = 0; i < f.count; i++)
			if (!strcmp(f.items[i].code, "duplicate-number") || !strcmp(f.items[i].code, "duplicate-name"))
				adr_buf_printf(&got, "%s: %s\n", f.items[i].path, f.items[i].message);
		cr_expect(want.size > 0, "round %d: the set has clashes", round);
		cr_expect_str_eq(got.ptr, want.ptr, "round %d", round);
		adr_buf_dispose(&want);
		adr_buf_dispose(&got);
		adr_findings_dispose(&f);
		adr_recordset_dispose(&set);
	}
}
