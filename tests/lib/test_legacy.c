/*
 * Unit tests for lib/record/legacy.c and legacy_apply.c: metadata that older formats keep in the body,
 * asserted on the project's own records in each format
 * (tests/fixtures/formats/, always run) and per external corpus against
 * what the files state (each value below was read off the file by hand; see
 * shared/data/corpora/SOURCES.md; skipped, named, when ../shared is absent).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/legacy.h"
#include "text/markdown.h"
#include "adr/record.h"
#include "testutil.h"

#define CORPORA ADR_TEST_SHARED "/data/corpora"

/* Parses a file under `dir` leniently and applies the legacy reader. */
static adr_record *read_under(const char *dir, const char *rel)
{
	char path[1024];
	size_t len;
	char *data;
	adr_record *r = NULL;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	data = tu_slurp(path, &len);
	cr_assert_eq(adr_record_parse(&r, rel, data, len, ADR_PARSE_LENIENT), 0, "%s: %s", rel, adr_error_last());
	cr_assert_eq(adr__legacy_apply(r), 0, "%s: %s", rel, adr_error_last());
	free(data);
	return r;
}

static adr_record *corpus(const char *rel)
{
	return read_under(CORPORA, rel);
}

static adr_record *fixture(const char *rel)
{
	return read_under(TU_FORMATS, rel);
}

static void expect_at(const char *dir, const char *rel, const char *title, adr_status st, const char *date)
{
	adr_record *r = read_under(dir, rel);
	cr_expect_str_eq(r->title, title, "%s: title", rel);
	cr_expect_eq(r->status, st, "%s: status %s, want %s", rel, adr_status_name(r->status), adr_status_name(st));
	cr_expect_str_eq(r->date, date, "%s: date", rel);
	adr_record_free(r);
}

static void expect(const char *rel, const char *title, adr_status st, const char *date)
{
	expect_at(CORPORA, rel, title, st, date);
}

static void expect_fx(const char *rel, const char *title, adr_status st, const char *date)
{
	expect_at(TU_FORMATS, rel, title, st, date);
}

static bool has_link(const adr_record *r, const char *type, int target)
{
	for (size_t i = 0; i < r->nlinks; i++)
		if (!strcmp(r->links[i].type, type) && r->links[i].target == target)
			return true;
	return false;
}

static bool any_warning(const adr_record *r, const char *needle)
{
	for (size_t i = 0; i < r->warnings.count; i++)
		if (strstr(r->warnings.items[i], needle))
			return true;
	return false;
}

Test(corpus, adr_tools)
{
	adr_record *r;
	tu_require_shared("data/corpora");
	expect("npryce__adr-tools/0001-record-architecture-decisions.md", "Record architecture decisions",
	       ADR_STATUS_ACCEPTED, "2016-02-12");
	expect("npryce__adr-tools/0005-help-comments.md", "Help comments", ADR_STATUS_ACCEPTED, "2016-02-13");
	expect("npryce__adr-tools/0008-use-iso-8601-format-for-dates.md", "Use ISO 8601 Format for Dates",
	       ADR_STATUS_ACCEPTED, "2017-02-21");
	r = corpus("npryce__adr-tools/0005-help-comments.md");
	cr_expect(has_link(r, "amended-by", 9));
	adr_record_free(r);
	r = corpus("npryce__adr-tools/0009-help-scripts.md");
	cr_expect_str_eq(r->date, "2018-06-26");
	cr_expect(has_link(r, "amends", 5));
	adr_record_free(r);
}

Test(corpus, govuk_aws)
{
	adr_record *r;
	tu_require_shared("data/corpora");
	expect("alphagov__govuk-aws/0006-puppet-architecture.md", "Puppet architecture", ADR_STATUS_PROPOSED,
	       "2017-07-04");
	expect("alphagov__govuk-aws/0038-mongo_replacement_by_documentdb.md", "Mongo Replacement by DocumentDB",
	       ADR_STATUS_ACCEPTED, "2019-10-17");
	expect("alphagov__govuk-aws/0039-non-govuk-domain-policy.md", "Non-GOV.UK domain policy",
	       ADR_STATUS_ACCEPTED, "2022-10-10");
	/* "Superseded by [DNS Infrastructure](0015-dns-infrastructure.md)" */
	r = corpus("alphagov__govuk-aws/0004-dns-definitions-for-hosts-and-services.md");
	cr_expect_eq(r->status, ADR_STATUS_SUPERSEDED);
	cr_expect(adr_intlist_contains(&r->superseded_by, 15));
	cr_expect_str_eq(r->date, "2017-07-14");
	adr_record_free(r);
	/* "Partly superseded" is none of ours: kept as written, not guessed */
	r = corpus("alphagov__govuk-aws/0003-aws-networking-outline.md");
	cr_expect_eq(r->status, ADR_STATUS_NONE);
	cr_expect_str_eq(r->status_word, "Partly superseded");
	adr_record_free(r);
	r = corpus("alphagov__govuk-aws/0017-terraform-data-structure.md");
	cr_expect(has_link(r, "amends", 10));
	adr_record_free(r);
	/* the H1 says 3 where the file says 33: the title keeps it */
	expect("alphagov__govuk-aws/0033-ip-ranges.md", "3. Networking Outline", ADR_STATUS_PROPOSED, "2018-09-26");
}

Test(corpus, phodal)
{
	adr_record *r;
	tu_require_shared("data/corpora");
	/* 日期: 2017/11/22, a status log whose last entry wins */
	expect("phodal__adr/0001-编写完整的单元测试.md", "编写完整的单元测试", ADR_STATUS_ACCEPTED, "2017-11-22");
	expect("phodal__adr/0005-保持功能与-adr-tools-基本一致.md", "保持功能与 ADR-TOOLS 基本一致",
	       ADR_STATUS_DEPRECATED, "2017-11-22");
	expect("phodal__adr/0010-更友好的-cli.md", "更友好的 CLI", ADR_STATUS_PROPOSED, "2017-11-23");
	expect("phodal__adr/0022-考虑添加索引前缀等参数来匹配一些额外的情况.md",
	       "考虑添加索引前缀等参数，来匹配一些额外的情况", ADR_STATUS_ACCEPTED, "2017-11-29");
	r = corpus("phodal__adr/0019-添加-e2e-测试.md");
	cr_expect_eq(r->number, 19);
	cr_expect_eq(r->status, ADR_STATUS_PROPOSED);
	adr_record_free(r);
}

Test(corpus, madr)
{
	adr_record *r;
	tu_require_shared("data/corpora");
	expect("adr__madr/0002-do-not-use-numbers-in-headings.md", "Do Not Use Numbers in Headings", ADR_STATUS_NONE,
	       "");
	r = corpus("adr__madr/0000-use-markdown-architectural-decision-records.md");
	cr_expect_eq(r->number, 0);
	cr_expect_str_eq(r->title, "Use Markdown Architectural Decision Records");
	adr_record_free(r);
	/* status: on hold -> a warning with file and line, never a crash */
	r = corpus("adr__madr/0003-provide-own-madr-tools.md");
	cr_expect_eq(r->status, ADR_STATUS_NONE);
	cr_expect(any_warning(r, "adr__madr/0003-provide-own-madr-tools.md:4:"), "no file:line warning");
	adr_record_free(r);
}

Test(corpus, island_is)
{
	adr_record *r;
	tu_require_shared("data/corpora");
	/* - Date: 01.06.2020 (DD.MM.YYYY) */
	r = corpus("island-is__handbook/0000-use-markdown-architectural-decision-records.md");
	cr_expect_str_eq(r->date, "2020-06-01");
	cr_expect_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_expect_eq(r->decision_makers.count, 2);
	adr_record_free(r);
	expect("island-is__handbook/0003-css.md", "CSS", ADR_STATUS_ACCEPTED, "2020-05-26");
	expect("island-is__handbook/0005-error-tracking-and-monitoring.md", "Error tracking and monitoring",
	       ADR_STATUS_ACCEPTED, "2020-06-12");
	/* CRLF, * bullets */
	r = corpus("island-is__handbook/0011-open-source-license.md");
	cr_expect_str_eq(r->title, "Open Source License");
	cr_expect_eq(r->status, ADR_STATUS_PROPOSED);
	cr_expect_str_eq(r->date, "2020-06-07");
	cr_expect_eq(r->decision_makers.count, 3);
	adr_record_free(r);
}

Test(corpus, log4brains)
{
	adr_record *r;
	adr_legacy l;
	size_t len;
	char *data;
	tu_require_shared("data/corpora");
	r = corpus("thomvaill__log4brains/docs/adr/20200926-use-the-adr-number-as-its-unique-id.md");
	cr_expect_eq(r->number, -1);
	cr_expect_str_eq(r->title, "Use the ADR number as its unique ID");
	cr_expect_eq(r->status, ADR_STATUS_SUPERSEDED);
	cr_expect_str_eq(r->date, "2020-09-26");
	/* the target is a slug, not a number: said, not guessed */
	cr_expect(any_warning(r, "carries no record number"));
	cr_assert_eq(adr__legacy_read(&l, r->path, r->body, r->body_line), 0);
	cr_assert_eq(l.nlinks, 1);
	cr_expect_str_eq(l.links[0].type, "superseded-by");
	cr_expect_str_eq(l.links[0].target, "20201016-use-the-adr-slug-as-its-unique-id.md");
	cr_expect_eq(l.links[0].line, 3);
	adr__legacy_dispose(&l);
	adr_record_free(r);
	expect("thomvaill__log4brains/packages/web/docs/adr/20200927-avoid-react-fc-type.md", "Avoid React.FC type",
	       ADR_STATUS_ACCEPTED, "2020-09-27");
	r = corpus("thomvaill__log4brains/packages/web/docs/adr/20200925-use-nextjs-for-static-site-generation.md");
	cr_expect(r->tags.count > 0);
	adr_record_free(r);
	(void)data;
	(void)len;
}

Test(corpus, backstage)
{
	adr_record *r = NULL;
	adr_legacy l;
	size_t len;
	char *data, path[512];
	const char *body;
	tu_require_shared("data/corpora");
	/* title in front matter only, no H1 */
	r = corpus("backstage__backstage/adr001-add-adr-log.md");
	cr_expect_eq(r->number, 1);
	cr_expect_str_eq(r->title, "ADR001: Architecture Decision Record (ADR) log");
	adr_record_free(r);
	/* `title: ADR002: ...` is not YAML: an error with file and line, never a crash */
	snprintf(path, sizeof(path), "%s/backstage__backstage/adr002-default-catalog-file-format.md", CORPORA);
	data = tu_slurp(path, &len);
	r = NULL;
	cr_expect_eq(adr_record_parse(&r, "adr002.md", data, len, ADR_PARSE_LENIENT), ADR_EINVALID);
	cr_expect(strncmp(adr_error_last(), "adr002.md:3:", 12) == 0, "message: %s", adr_error_last());
	/* its status table still reads: | Created | Status | / | 2020-05-17 | Open | */
	body = strstr(data, "\n---\n") + 5;
	cr_assert_eq(adr__legacy_read(&l, "adr002.md", body, 6), 0);
	cr_expect_eq(l.status, ADR_STATUS_PROPOSED);
	cr_expect_str_eq(l.status_word, "Open");
	cr_expect_str_eq(l.date, "2020-05-17");
	cr_expect_eq(l.nspans, 1);
	adr__legacy_dispose(&l);
	free(data);
}

/* Every file of every corpus is read without a crash; counts as in SOURCES.md. */
typedef struct {
	int files, errors;
} read_counts;

static void read_one(const char *p, const char *name, void *payload)
{
	read_counts *c = payload;
	size_t len;
	char *data;
	adr_record *r = NULL;
	adr_legacy l;
	if (!strcmp(name, "SOURCES.md"))
		return;
	data = tu_slurp(p, &len);
	c->files++;
	if (adr_record_parse(&r, p, data, len, ADR_PARSE_LENIENT) == 0) {
		cr_expect_eq(adr__legacy_apply(r), 0);
		adr_record_free(r);
	} else {
		c->errors++;
		cr_expect(strstr(adr_error_last(), ":") != NULL);
	}
	/* the raw text too: the reader must survive anything */
	cr_expect_eq(adr__legacy_read(&l, p, data, 1), 0);
	adr__legacy_dispose(&l);
	free(data);
}

Test(corpus, every_file_reads)
{
	read_counts c = { 0, 0 };
	tu_require_shared("data/corpora");
	tu_walk_files(CORPORA, read_one, &c);
	cr_expect_eq(c.files, 9 + 38 + 24 + 19 + 12 + 17 + 4, "files: %d", c.files);
	cr_expect_eq(c.errors, 1, "only backstage adr002 has front matter that is not YAML (%d)", c.errors);
}

/* --- the pieces ------------------------------------------------------------- */

Test(dates, formats)
{
	char d[11];
	cr_expect_eq(adr__legacy_date(d, "2017/11/22", 10), 0);
	cr_expect_str_eq(d, "2017-11-22");
	cr_expect_eq(adr__legacy_date(d, " 25.05.2020 ", 12), 0);
	cr_expect_str_eq(d, "2020-05-25");
	cr_expect_eq(adr__legacy_date(d, "13/04/2020", 10), 0);
	cr_expect_str_eq(d, "2020-04-13");
	cr_expect_eq(adr__legacy_date(d, "04/13/2020", 10), 0);
	cr_expect_str_eq(d, "2020-04-13");
	cr_expect_eq(adr__legacy_date(d, "03/04/2020", 10), ADR_EAMBIGUOUS);
	cr_expect_eq(adr__legacy_date(d, "05/05/2020", 10), 0);
	cr_expect_eq(adr__legacy_date(d, "31.02.2020", 10), ADR_EINVALID);
	cr_expect_eq(adr__legacy_date(d, "2019-02-29", 10), ADR_EINVALID);
	cr_expect_eq(adr__legacy_date(d, "2020-02-29", 10), 0);
	cr_expect_eq(adr__legacy_date(d, "YYYY-MM-DD", 10), ADR_EINVALID);
	cr_expect_eq(adr__legacy_date(d, "2020-1-5x", 9), ADR_EINVALID);
	cr_expect_eq(adr__legacy_date(d, "", 0), ADR_EINVALID);
}

Test(dates, ambiguous_and_placeholder_are_warnings_with_line)
{
	adr_legacy l;
	const char *body = "# T\n\n* Status: accepted\n* Date: 03/04/2020\n\n## Context\n";
	cr_assert_eq(adr__legacy_read(&l, "x.md", body, 5), 0);
	cr_expect_str_eq(l.date, "");
	cr_assert_eq(l.warnings.count, 1);
	cr_expect(strstr(l.warnings.items[0], "x.md:8:9: ambiguous date '03/04/2020'"), "%s", l.warnings.items[0]);
	cr_expect_eq(l.status, ADR_STATUS_ACCEPTED);
	adr__legacy_dispose(&l);
	body = "# T\n\nDate: {YYYY-MM-DD when decided}\n";
	cr_assert_eq(adr__legacy_read(&l, "y.md", body, 1), 0);
	cr_assert_eq(l.warnings.count, 1);
	cr_expect(strstr(l.warnings.items[0], "y.md:3:7: placeholder date"), "%s", l.warnings.items[0]);
	adr__legacy_dispose(&l);
	body = "# T\n\nDate: soon\n";
	cr_assert_eq(adr__legacy_read(&l, "z.md", body, 1), 0);
	cr_expect(strstr(l.warnings.items[0], "z.md:3:7: 'soon' is not a date"), "%s", l.warnings.items[0]);
	adr__legacy_dispose(&l);
}

Test(status, words_and_relations)
{
	adr_legacy l;
	const char *body = "# 4. Use X\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\n"
			   "Superceded by [5. Use Y](0005-use-y.md)\n\nAmends [2. Z](0002-z.md)\n\n## Context\n\nx\n";
	cr_assert_eq(adr__legacy_read(&l, "0004-use-x.md", body, 1), 0);
	cr_expect_eq(l.heading_number, 4);
	cr_expect_eq(l.status, ADR_STATUS_SUPERSEDED);
	cr_assert_eq(l.nlinks, 2);
	cr_expect_str_eq(l.links[0].type, "superseded-by");
	cr_expect_str_eq(l.links[0].target, "0005-use-y.md");
	cr_expect_eq(l.links[0].line, 9);
	cr_expect_str_eq(l.links[1].type, "amends");
	/* the Date line and the whole status section are understood */
	cr_expect_eq(l.nspans, 2);
	cr_expect_eq(strncmp(body + l.spans[1].start, "## Status", 9), 0);
	cr_expect_eq(strncmp(body + l.spans[1].end, "## Context", 10), 0);
	cr_expect_eq(l.unmapped.count, 0);
	adr__legacy_dispose(&l);

	cr_expect_eq(adr__legacy_status("Pending", 7), ADR_STATUS_PROPOSED);
	cr_expect_eq(adr__legacy_status(" 已取代 ", strlen(" 已取代 ")), ADR_STATUS_SUPERSEDED);
	cr_expect_eq(adr__legacy_status("REJECTED.", 9), ADR_STATUS_REJECTED);
	cr_expect_eq(adr__legacy_status("on hold", 7), ADR_STATUS_NONE);
}

Test(status, unknown_text_is_kept_and_listed)
{
	adr_legacy l;
	const char *body = "# T\n\n## Status\n\nAccepted, but see the note below about the rollout.\n\n## Context\n";
	cr_assert_eq(adr__legacy_read(&l, "t.md", body, 1), 0);
	cr_expect_eq(l.nspans, 0);
	cr_assert_eq(l.unmapped.count, 1);
	cr_expect(strstr(l.unmapped.items[0], "t.md:5:1:"), "%s", l.unmapped.items[0]);
	adr__legacy_dispose(&l);
}

Test(status, missing_status_is_no_status)
{
	adr_record *r = NULL;
	const char *s = "# Just a title\n\nSome text.\n";
	cr_assert_eq(adr_record_parse(&r, "0001-a.md", s, strlen(s), ADR_PARSE_LENIENT), 0);
	cr_assert_eq(adr__legacy_apply(r), 0);
	cr_expect_eq(r->status, ADR_STATUS_NONE);
	cr_expect_str_eq(r->date, "");
	cr_expect_not(adr__legacy_unconverted(r));
	adr_record_free(r);
}

Test(apply, front_matter_wins_and_unconverted_is_detected)
{
	adr_record *r = NULL;
	const char *s = "---\nstatus: rejected\n---\n# T\n\n## Status\n\nAccepted\n";
	cr_assert_eq(adr_record_parse(&r, "0001-t.md", s, strlen(s), 0), 0);
	cr_assert_eq(adr__legacy_apply(r), 0);
	cr_expect_eq(r->status, ADR_STATUS_REJECTED);
	cr_expect_not(adr__legacy_unconverted(r));
	adr_record_free(r);
	s = "# 1. T\n\nDate: 2020-01-02\n\n## Status\n\nAccepted\n";
	cr_assert_eq(adr_record_parse(&r, "0001-t.md", s, strlen(s), 0), 0);
	cr_expect(adr__legacy_unconverted(r));
	cr_assert_eq(adr__legacy_apply(r), 0);
	cr_expect_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_expect_str_eq(r->date, "2020-01-02");
	adr_record_free(r);
}

/* Every prefix of every corpus file (cut anywhere, even inside a UTF-8
 * sequence or a CRLF) and hostile shapes read without a crash. */
static void prefixes(const char *p, const char *name, void *payload)
{
	size_t len;
	char *data = tu_slurp(p, &len);
	size_t step = len / 40 + 1;
	(void)name;
	(void)payload;
	for (size_t n = 0; n <= len; n += step) {
		char *cut = strndup(data, n);
		adr_legacy l;
		cr_assert_eq(adr__legacy_read(&l, p, cut, 1), 0);
		adr__legacy_dispose(&l);
		free(cut);
	}
	free(data);
}

Test(robust, prefixes_and_hostile_shapes)
{
	static const char *const odd[] = {
		"", "\n", "#", "# ", "# 1.", "# 99999999999. x\n", "## Status", "## Status\n", "## Status\n\n[", "## Status\n\nx [a](",
		"## Status\n\nSuperseded by [a](b", "* Status:", "- Date:", "| a |\n|---|\n", "| Status |\n| --- |\n|\n",
		"Date: 99/99/9999\n", "Date: 1/2/3\n", "日期：2017/11/22\n", "## 状态\n\n列表：\n", "```\n## Status\n```\n",
		"## Links\n\n* [x](y)\n* Supersedes [", "* Deciders: ,,,\n", "\r\r\r\n## Status\r\n\r\nAccepted\r\n",
	};
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		adr_legacy l;
		cr_assert_eq(adr__legacy_read(&l, "odd.md", odd[i], 1), 0, "%zu", i);
		adr__legacy_dispose(&l);
	}
	tu_walk_files(TU_FORMATS, prefixes, NULL);
}

Test(corpus, every_prefix_reads)
{
	tu_require_shared("data/corpora");
	tu_walk_files(CORPORA, prefixes, NULL);
}

/* --- the project's own records in each format (tests/fixtures/formats) ---- */

Test(fixtures, adr_tools)
{
	adr_record *r;
	expect_fx("adr-tools/0001-record-architecture-decisions.md", "Record architecture decisions",
		  ADR_STATUS_ACCEPTED, "2019-03-04");
	expect_fx("adr-tools/0003-write-the-importer-in-perl.md", "Write the importer in Perl", ADR_STATUS_SUPERSEDED,
		  "2019-04-02");
	r = fixture("adr-tools/0002-keep-the-cache-in-sqlite.md");
	cr_expect(has_link(r, "amended-by", 4));
	adr_record_free(r);
	r = fixture("adr-tools/0003-write-the-importer-in-perl.md");
	cr_expect(adr_intlist_contains(&r->superseded_by, 5), "Superceded by, as adr-tools spells it");
	adr_record_free(r);
	r = fixture("adr-tools/0004-expire-cache-entries-after-a-day.md");
	cr_expect(has_link(r, "amends", 2));
	adr_record_free(r);
	r = fixture("adr-tools/0005-write-the-importer-in-c.md");
	cr_expect_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_expect(adr_intlist_contains(&r->supersedes, 3), "Supercedes, as adr-tools spells it");
	adr_record_free(r);
}

Test(fixtures, nygard_variants)
{
	adr_record *r;
	/* DD/MM/YYYY, unambiguous since the day is past 12 */
	expect_fx("nygard-variants/0001-host-on-two-providers.md", "Host on two providers", ADR_STATUS_PROPOSED,
		  "2018-06-16");
	/* "Partly superseded" is none of ours: kept as written, not guessed */
	r = fixture("nygard-variants/0002-network-layout.md");
	cr_expect_eq(r->status, ADR_STATUS_NONE);
	cr_expect_str_eq(r->status_word, "Partly superseded");
	adr_record_free(r);
	/* a link whose text carries no number: the target file's number counts */
	r = fixture("nygard-variants/0003-name-hosts-by-role.md");
	cr_expect_eq(r->status, ADR_STATUS_SUPERSEDED);
	cr_expect(adr_intlist_contains(&r->superseded_by, 4));
	cr_expect_str_eq(r->date, "2018-07-14");
	adr_record_free(r);
	/* the H1 says 2 where the file says 12: the title keeps it */
	r = fixture("nygard-variants/0012-reserve-ranges-for-partners.md");
	cr_expect_eq(r->number, 12);
	cr_expect_str_eq(r->title, "2. Reserve ranges for partners");
	adr_record_free(r);
}

Test(fixtures, madr2_bullets)
{
	adr_record *r;
	r = fixture("madr2/0000-use-markdown-any-decision-records.md");
	cr_expect_eq(r->number, 0);
	cr_expect_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_expect_str_eq(r->date, "2020-05-26");
	cr_expect_eq(r->decision_makers.count, 2);
	adr_record_free(r);
	/* - bullets, DD.MM.YYYY, CRLF */
	r = fixture("madr2/0001-pick-a-licence-for-the-handbook.md");
	cr_expect_str_eq(r->title, "Pick a licence for the handbook");
	cr_expect_null(strchr(r->title, '\r'));
	cr_expect_eq(r->status, ADR_STATUS_PROPOSED);
	cr_expect_str_eq(r->date, "2020-06-07");
	cr_expect_eq(r->decision_makers.count, 3);
	adr_record_free(r);
	/* a status word of no tool: kept, not guessed */
	r = fixture("madr2/0002-build-our-own-linter.md");
	cr_expect_eq(r->status, ADR_STATUS_NONE);
	cr_expect_str_eq(r->status_word, "on hold");
	cr_expect_str_eq(r->date, "2020-09-01");
	adr_record_free(r);
}

Test(fixtures, madr3_and_4_front_matter)
{
	adr_record *r;
	r = fixture("madr3/0001-store-events-in-postgres.md");
	cr_expect_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_expect_str_eq(r->date, "2022-11-03");
	adr_record_free(r);
	/* status: on hold -> a warning with file and line, never a crash */
	r = fixture("madr3/0002-publish-the-records-as-a-site.md");
	cr_expect_eq(r->status, ADR_STATUS_NONE);
	cr_expect(any_warning(r, "madr3/0002-publish-the-records-as-a-site.md:4:9:"), "no file:line warning");
	adr_record_free(r);
	r = fixture("madr4/0001-use-feature-flags-for-releases.md");
	cr_expect_eq(r->status, ADR_STATUS_PROPOSED);
	cr_expect_str_eq(r->date, "2024-09-13");
	cr_expect_str_eq(r->title, "Use feature flags for releases");
	adr_record_free(r);
}

Test(fixtures, log4brains)
{
	adr_record *r;
	adr_legacy l;
	r = fixture("log4brains/docs/adr/20210210-number-records-by-date.md");
	cr_expect_eq(r->number, -1);
	cr_expect_str_eq(r->title, "Number records by date");
	cr_expect_eq(r->status, ADR_STATUS_SUPERSEDED);
	cr_expect_str_eq(r->date, "2021-02-10");
	/* the target is a slug, not a number: said, not guessed */
	cr_expect(any_warning(r, "carries no record number"));
	cr_assert_eq(adr__legacy_read(&l, r->path, r->body, r->body_line), 0);
	cr_assert_eq(l.nlinks, 1);
	cr_expect_str_eq(l.links[0].type, "superseded-by");
	cr_expect_str_eq(l.links[0].target, "20210322-name-records-by-slug.md");
	cr_expect_eq(l.links[0].line, 3);
	adr__legacy_dispose(&l);
	adr_record_free(r);
	r = fixture("log4brains/docs/adr/20210104-keep-records-next-to-the-code.md");
	cr_expect_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_expect_str_eq(r->date, "2021-01-04");
	cr_expect_eq(r->tags.count, 2);
	adr_record_free(r);
}

Test(fixtures, chinese_status_log)
{
	/* 日期: 2018/03/05, a status log whose last entry wins */
	expect_fx("chinese/0001-记录架构决策.md", "记录架构决策", ADR_STATUS_ACCEPTED, "2018-03-05");
	expect_fx("chinese/0002-使用命令行工具.md", "使用命令行工具", ADR_STATUS_DEPRECATED, "2018-03-12");
}

Test(fixtures, backstage_style)
{
	adr_record *r = NULL;
	adr_legacy l;
	size_t len;
	char *data, path[1024];
	const char *body;
	/* title in front matter only, no H1 */
	r = fixture("backstage-style/adr001-keep-a-decision-log.md");
	cr_expect_eq(r->number, 1);
	cr_expect_str_eq(r->title, "ADR001: Keep a decision log");
	adr_record_free(r);
	/* `title: ADR002: ...` is not YAML: an error with file and line, never a crash */
	snprintf(path, sizeof(path), "%s/backstage-style/adr002-catalog-file-name.md", TU_FORMATS);
	data = tu_slurp(path, &len);
	r = NULL;
	cr_expect_eq(adr_record_parse(&r, "adr002.md", data, len, ADR_PARSE_LENIENT), ADR_EINVALID);
	cr_expect(strncmp(adr_error_last(), "adr002.md:3:14:", 15) == 0, "message: %s", adr_error_last());
	/* its status table still reads: | Created | Status | / | 2021-05-17 | Open | */
	body = strstr(data, "\n---\n") + 5;
	cr_assert_eq(adr__legacy_read(&l, "adr002.md", body, 6), 0);
	cr_expect_eq(l.status, ADR_STATUS_PROPOSED);
	cr_expect_str_eq(l.status_word, "Open");
	cr_expect_str_eq(l.date, "2021-05-17");
	adr__legacy_dispose(&l);
	free(data);
}

static void read_fixture(const char *p, const char *name, void *payload)
{
	if (strcmp(name, "README.md") != 0 && strlen(name) > 3 && !strcmp(name + strlen(name) - 3, ".md"))
		read_one(p, name, payload);
}

Test(fixtures, every_file_reads)
{
	read_counts c = { 0, 0 };
	tu_walk_files(TU_FORMATS, read_fixture, &c);
	cr_expect_eq(c.files, 5 + 5 + 3 + 2 + 1 + 3 + 2 + 2, "files: %d", c.files);
	cr_expect_eq(c.errors, 1, "only backstage-style adr002 has front matter that is not YAML (%d)", c.errors);
}

/* --- issue 17: decorated status lines, sections on cmark's parse, date order --- */

static void read_body(adr_legacy *l, const char *body)
{
	cr_assert_eq(adr__legacy_read(l, "x.md", body, 1), 0, "%s", adr_error_last());
}

Test(decorated, status_word_after_symbols_any_case)
{
	size_t a, b;
	cr_expect_eq(adr__legacy_status_lead("✅ Accepted", strlen("✅ Accepted"), false, &a, &b), ADR_STATUS_ACCEPTED);
	cr_expect_eq(a, strlen("✅ "));
	cr_expect_eq(b, strlen("✅ Accepted"));
	cr_expect_eq(adr__legacy_status_lead("⌛️ SUPERSEDED by 3", 21, false, &a, &b), ADR_STATUS_SUPERSEDED);
	cr_expect_eq(adr__legacy_status_lead("🤔 proposed", strlen("🤔 proposed"), false, &a, &b), ADR_STATUS_PROPOSED);
	cr_expect_eq(adr__legacy_status_lead("**Rejected** (see 19)", 21, false, &a, &b), ADR_STATUS_REJECTED);
	cr_expect_eq(adr__legacy_status_lead("提议", strlen("提议"), false, &a, &b), ADR_STATUS_PROPOSED);
	/* a word that only starts like one is not one; nor is a later word */
	cr_expect_eq(adr__legacy_status_lead("Doneness", 8, false, &a, &b), ADR_STATUS_NONE);
	cr_expect_eq(adr__legacy_status_lead("We accepted it", 14, false, &a, &b), ADR_STATUS_NONE);
	/* canonical: adr's own five words only */
	cr_expect_eq(adr__legacy_status_lead("✅ Done", strlen("✅ Done"), true, &a, &b), ADR_STATUS_NONE);
	cr_expect_eq(adr__legacy_status_lead("✅ Done", strlen("✅ Done"), false, &a, &b), ADR_STATUS_ACCEPTED);
	cr_expect(adr__legacy_only_symbols("✅ — (**)", strlen("✅ — (**)")));
	cr_expect(!adr__legacy_only_symbols("✅ a", strlen("✅ a")));
	cr_expect(!adr__legacy_only_symbols("通过", strlen("通过")));
}

Test(decorated, status_section_lines)
{
	adr_legacy l;
	read_body(&l, "# 3. X\n\n## Status\n\n✅ Accepted\n\n## Context\n\nx\n");
	cr_expect_eq(l.status, ADR_STATUS_ACCEPTED);
	cr_expect_str_eq(l.status_word, "✅ Accepted");
	cr_expect_eq(l.nspans, 1, "a status line of symbols and the word is wholly understood");
	adr__legacy_dispose(&l);

	read_body(&l, "# X\n\n## Status\n\n❌ Rejected (see [0019](0019-other.md))\n");
	cr_expect_eq(l.status, ADR_STATUS_REJECTED);
	cr_expect_eq(l.nlinks, 0, "'see' is not a relation");
	cr_expect_eq(l.nspans, 0, "the remark keeps the section in the body");
	cr_assert_eq(l.unmapped.count, 1);
	cr_expect(strstr(l.unmapped.items[0], "x.md:5:1: the status line has a remark"), "%s", l.unmapped.items[0]);
	adr__legacy_dispose(&l);

	read_body(&l, "# X\n\n## Status\n\n⌛️ Superseded by [0036. Title](0036-title.md)\n");
	cr_expect_eq(l.status, ADR_STATUS_SUPERSEDED);
	cr_assert_eq(l.nlinks, 1);
	cr_expect_str_eq(l.links[0].type, "superseded-by");
	cr_expect_str_eq(l.links[0].target, "0036-title.md");
	cr_expect_eq(l.links[0].number, 36);
	cr_expect_eq(l.nspans, 1);
	adr__legacy_dispose(&l);
}

Test(decorated, references_in_any_form)
{
	adr_legacy l;
	read_body(&l, "# X\n\n## Status\n\nAccepted\n\nAmends ADR-12, #13 and 14\n\nAmended by [ADR-15](https://x/y/new.md)\n"
		      "Supersedes [Old](<0016-old one.md> \"t\")\n");
	cr_expect_eq(l.status, ADR_STATUS_ACCEPTED);
	cr_assert_eq(l.nlinks, 5);
	cr_expect_str_eq(l.links[0].type, "amends");
	cr_expect_eq(l.links[0].number, 12);
	cr_expect_str_eq(l.links[0].target, "");
	cr_expect_eq(l.links[1].number, 13);
	cr_expect_eq(l.links[2].number, 14);
	cr_expect_str_eq(l.links[3].type, "amended-by");
	cr_expect_str_eq(l.links[3].target, "https://x/y/new.md");
	cr_expect_eq(l.links[3].number, 15, "the number in the link's text");
	cr_expect_str_eq(l.links[4].type, "supersedes");
	cr_expect_str_eq(l.links[4].target, "0016-old");
	cr_expect_eq(l.links[4].number, -1);
	adr__legacy_dispose(&l);
}

Test(decorated, applied_to_a_record)
{
	const char *in = "# 8. X\n\n* Status: superseded by [ADR-9](https://example.com/adr/buy.md)\n* Date: 2018-08-17\n";
	adr_record *r = NULL;
	cr_assert_eq(adr_record_parse(&r, "0008-x.md", in, strlen(in), ADR_PARSE_LENIENT), 0);
	cr_assert_eq(adr__legacy_apply(r), 0);
	cr_expect_eq(r->status, ADR_STATUS_SUPERSEDED);
	cr_assert_eq(r->superseded_by.count, 1);
	cr_expect_eq(r->superseded_by.items[0], 9);
	cr_expect_eq(r->warnings.count, 0);
	adr_record_free(r);
}

Test(decorated, front_matter_status)
{
	const char *in = "---\nstatus: ✅ Accepted\n---\n# X\n";
	adr_record *r = NULL;
	adr_buf out = ADR_BUF_INIT;
	/* strict too: the word is read, the decoration is a warning */
	cr_assert_eq(adr_record_parse(&r, "0007-x.md", in, strlen(in), 0), 0, "%s", adr_error_last());
	cr_expect_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_assert_eq(r->warnings.count, 1);
	cr_expect_str_eq(r->warnings.items[0], "0007-x.md:2:9: key 'status': '✅ Accepted' is decorated; read as accepted");
	/* written back as it was */
	cr_assert_eq(adr_record_serialize(&out, r), 0);
	cr_expect_str_eq(out.ptr, in);
	adr_buf_dispose(&out);
	adr_record_free(r);
	/* a synonym is not a decoration: still an error */
	in = "---\nstatus: ✅ Done\n---\n# X\n";
	cr_expect_eq(adr_record_parse(&r, "0007-x.md", in, strlen(in), 0), ADR_EINVALID);
}

Test(cmark_sections, an_indented_closing_fence_does_not_hide_the_status)
{
	adr_legacy l;
	read_body(&l, "# 1. X\n\nDate: 2020-01-02\n\n## Context\n\n```sh\n## Status\nRejected\n   ```\n\n## Status\n\nAccepted\n");
	cr_expect_eq(l.status, ADR_STATUS_ACCEPTED);
	cr_expect_eq(l.status_line, 14);
	cr_expect_str_eq(l.date, "2020-01-02");
	cr_expect_eq(l.heading_number, 1);
	adr__legacy_dispose(&l);
}

Test(cmark_sections, setext_headings_and_code_in_sections)
{
	adr_legacy l;
	read_body(&l, "Title\n========\n\nDate: 2020-03-04\n\nStatus\n------\n\nDeprecated\n\n    Accepted\n\n```\nRejected\n```\n");
	cr_expect_eq(l.unmapped.count, 0, "the underline is not a status");
	cr_expect_eq(l.nspans, 2, "the date line and the status section");
	cr_expect_eq(l.status, ADR_STATUS_DEPRECATED);
	cr_expect_str_eq(l.date, "2020-03-04");
	adr__legacy_dispose(&l);
	/* a Date: line inside a fence is not the date */
	read_body(&l, "# X\n\n```\nDate: 1999-09-09\n ```\n\nDate: 2020-05-06\n");
	cr_expect_str_eq(l.date, "2020-05-06");
	adr__legacy_dispose(&l);
}

Test(cmark_sections, too_many_brackets_falls_back_to_lines)
{
	size_t n = ADR_MARKDOWN_MAX_BRACKETS + 10, len = 0;
	char *body = malloc(n + 64);
	adr_legacy l;
	len += (size_t)sprintf(body, "# X\n\n## Status\n\nProposed\n\n");
	memset(body + len, '[', n);
	body[len + n] = '\0';
	read_body(&l, body);
	cr_expect_eq(l.status, ADR_STATUS_PROPOSED);
	adr__legacy_dispose(&l);
	free(body);
}

Test(dates, an_order_for_ambiguous_dates)
{
	char d[11];
	cr_expect_eq(adr__legacy_date_order(d, "05/02/2018", 10, ADR_DATE_ORDER_NONE), ADR_EAMBIGUOUS);
	cr_expect_eq(adr__legacy_date_order(d, "05/02/2018", 10, ADR_DATE_ORDER_DMY), 0);
	cr_expect_str_eq(d, "2018-02-05");
	cr_expect_eq(adr__legacy_date_order(d, "05/02/2018", 10, ADR_DATE_ORDER_MDY), 0);
	cr_expect_str_eq(d, "2018-05-02");
	/* an unambiguous date reads the one way whatever the order */
	cr_expect_eq(adr__legacy_date_order(d, "25/12/2019", 10, ADR_DATE_ORDER_MDY), 0);
	cr_expect_str_eq(d, "2019-12-25");
	/* the order does not make a date real */
	cr_expect_eq(adr__legacy_date_order(d, "02/30/2019", 10, ADR_DATE_ORDER_DMY), ADR_EINVALID);
}

Test(dated_names, the_rule_import_numbers_by)
{
	const char *names[] = { "d/20210101_c.md", "d/20200924-a.md", "e/20200924-a.md", "d/20201016-b.md" };
	int numbers[4];
	cr_expect(adr_record_date_named("docs/adr/20200924-use-log4brains.md"));
	cr_expect(adr_record_date_named("20200924_x.MD"));
	cr_expect(!adr_record_date_named("2020092-x.md"));
	cr_expect(!adr_record_date_named("20200924-.md"));
	cr_expect(!adr_record_date_named("20200924-x.txt"));
	cr_expect(!adr_record_date_named("0001-x.md"));
	cr_assert_eq(adr_record_number_dated(numbers, names, 4, 7), 0);
	cr_expect_eq(numbers[1], 8);
	cr_expect_eq(numbers[2], 9);
	cr_expect_eq(numbers[3], 10);
	cr_expect_eq(numbers[0], 11);
}
