/*
 * test_markdown.c: safe rendering, heading anchors, link rewriting, plain
 * text, and the bounds on hostile input (lib/text/markdown.c).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/markdown.h"
#include "testutil.h"

static adr__markdown_result res = ADR_MARKDOWN_RESULT_INIT;

static void teardown(void)
{
	adr__markdown_result_dispose(&res);
}

TestSuite(markdown, .fini = teardown);

static const char *render(const char *md, const adr__markdown_opts *opts)
{
	adr__markdown_result_dispose(&res);
	cr_assert_eq(adr__markdown_render(&res, md, strlen(md), opts), 0, "%s", adr_error_last());
	return res.html.ptr;
}

Test(markdown, renders_commonmark)
{
	const char *h = render("# Title\n\nSome *text* and `code`.\n", NULL);
	cr_assert(strstr(h, "<em>text</em>"), "%s", h);
	cr_assert(strstr(h, "<code>code</code>"), "%s", h);
	cr_assert(strstr(h, "Title</h1>"), "%s", h);
	cr_assert_str_eq(res.text.ptr, "Title Some text and code.");
	cr_assert(!res.raw);
}

Test(markdown, raw_html_and_dangerous_urls_are_removed)
{
	const char *h = render("<script>alert(1)</script>\n\nx <img src=x onerror=alert(1)> "
			       "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) "
			       "<javascript:alert(1)> [d](vbscript:x) [e](file:///etc/passwd) "
			       "![f](data:image/svg+xml;base64,PHN2Zz4=) <svg onload=alert(1)>\n", NULL);
	cr_assert_null(strstr(h, "<script"), "%s", h);
	cr_assert_null(strstr(h, "<img src=x"), "%s", h);
	cr_assert_null(strstr(h, "onerror"), "%s", h);
	cr_assert_null(strstr(h, "<svg"), "%s", h);
	cr_assert_null(strstr(h, "onload"), "%s", h);
	cr_assert_null(strstr(h, "href=\"javascript"), "%s", h);
	cr_assert_null(strstr(h, "href=\"JaVaScRiPt"), "%s", h);
	cr_assert_null(strstr(h, "vbscript:"), "%s", h);
	cr_assert_null(strstr(h, "file:"), "%s", h);
	cr_assert_null(strstr(h, "svg+xml"), "%s", h);
	cr_assert(strstr(h, "raw HTML omitted"), "%s", h);
}

Test(markdown, fenced_code_info_is_escaped)
{
	const char *h = render("```\"><script>alert(1)</script>\ncode\n```\n", NULL);
	cr_assert_null(strstr(h, "<script"), "%s", h);
	cr_assert(strstr(h, "&quot;&gt;&lt;script"), "%s", h);
}

Test(markdown, heading_anchors_are_safe_and_unique)
{
	const char *h = render("## Options \"considered\" <x>\n\n## Options considered\n\n## !!!\n\n## Café\n", NULL);
	cr_assert(strstr(h, "id=\"h-options-considered\""), "%s", h);
	cr_assert(strstr(h, "id=\"h-options-considered-2\""), "%s", h);
	cr_assert(strstr(h, "id=\"h-section\""), "%s", h);
	cr_assert(strstr(h, "id=\"h-caf\""), "%s", h);
	cr_assert(strstr(h, "&quot;considered&quot;"), "%s", h);
}

Test(markdown, anchor_function)
{
	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr__markdown_anchor(&b, "  Hello,   World! 42 "), 0);
	cr_assert_str_eq(b.ptr, "h-hello-world-42");
	adr_buf_clear(&b);
	cr_assert_eq(adr__markdown_anchor(&b, "\"><script>"), 0);
	cr_assert_str_eq(b.ptr, "h-script");
	adr_buf_clear(&b);
	char *long_title = tu_repeat("abc ", 400);
	cr_assert_eq(adr__markdown_anchor(&b, long_title), 0);
	cr_assert(b.size <= 64, "%zu", b.size);
	free(long_title);
	adr_buf_dispose(&b);
}

Test(markdown, skip_title_drops_first_h1_only)
{
	adr__markdown_opts o = ADR_MARKDOWN_OPTS_INIT;
	o.flags = ADR_MARKDOWN_SKIP_TITLE;
	const char *h = render("# The title\n\ntext\n\n# Second\n", &o);
	cr_assert_null(strstr(h, "The title"), "%s", h);
	cr_assert(strstr(h, "Second</h2>"), "%s", h);
	cr_assert_null(strstr(res.text.ptr, "The title"));
}

/* The page's title is its only <h1>: the body's top level renders as <h2>. */
Test(markdown, skip_title_shifts_the_body_headings_below_h1)
{
	adr__markdown_opts o = ADR_MARKDOWN_OPTS_INIT;
	o.flags = ADR_MARKDOWN_SKIP_TITLE;
	const char *h = render("# Title\n\n# A\n\n## B\n\n###### F\n\n> # Quoted\n", &o);
	cr_assert_null(strstr(h, "<h1"), "%s", h);
	cr_assert(strstr(h, "A</h2>") && strstr(h, "B</h3>") && strstr(h, "F</h6>"), "%s", h);
	cr_assert(strstr(h, "Quoted</h2>"), "%s", h);
	/* a body that starts lower moves up to <h2> */
	h = render("# Title\n\n### C\n\n#### D\n", &o);
	cr_assert(strstr(h, "C</h2>") && strstr(h, "D</h3>"), "%s", h);
	/* without the flag, levels are the author's */
	h = render("# A\n\n### C\n", NULL);
	cr_assert(strstr(h, "A</h1>") && strstr(h, "C</h3>"), "%s", h);
}

/* The top-level headings, for a table of contents: level as rendered,
 * the anchor's id, the text; not those in quotes or lists. */
Test(markdown, headings_list_the_top_level_with_their_ids)
{
	adr__markdown_opts o = ADR_MARKDOWN_OPTS_INIT;
	o.flags = ADR_MARKDOWN_SKIP_TITLE;
	render("# Title\n\n## Context & *scope*\n\n> ## Not me\n\n- ## Nor me\n\n## Options\n\n### Option *A*\n\n## Options\n", &o);
	cr_assert_eq(res.heading_count, 4);
	cr_assert_eq(res.headings[0].level, 2);
	cr_assert_str_eq(res.headings[0].id, "h-context-scope");
	cr_assert_str_eq(res.headings[0].text, "Context & scope");
	cr_assert_str_eq(res.headings[1].id, "h-options");
	cr_assert_eq(res.headings[2].level, 3);
	cr_assert_str_eq(res.headings[2].text, "Option A");
	cr_assert_str_eq(res.headings[3].id, "h-options-2");
	for (size_t i = 0; i < res.heading_count; i++) {
		adr_buf want = ADR_BUF_INIT;
		adr_buf_printf(&want, "id=\"%s\"", res.headings[i].id);
		cr_assert(strstr(res.html.ptr, want.ptr), "%s", want.ptr);
		adr_buf_dispose(&want);
	}
}

/* GitHub Flavored Markdown: tables, task lists, strikethrough, footnotes
 * and autolinks render (cmark-gfm), still in safe mode. */
Test(markdown, gfm_extensions_render)
{
	const char *h = render("| Option | Pros | Cons |\n|:--|:-:|--:|\n| A | fast | *new* |\n| B | `old` |\n\n"
			       "- [ ] open task\n- [x] done task\n\n"
			       "~~dropped~~ and ~single~\n\n"
			       "See www.example.com, https://example.org/x and ana@example.com.\n\n"
			       "A claim[^1].\n\n[^1]: The source <script>x</script>.\n", NULL);
	cr_assert(strstr(h, "<table>"), "%s", h);
	cr_assert(strstr(h, "<th align=\"left\">Option</th>"), "%s", h);
	cr_assert(strstr(h, "<th align=\"center\">Pros</th>"), "%s", h);
	cr_assert(strstr(h, "<td align=\"right\"><em>new</em></td>"), "%s", h);
	cr_assert(strstr(h, "<td align=\"center\"><code>old</code></td>"), "%s", h);
	cr_assert(strstr(h, "<input type=\"checkbox\" aria-label=\"open\" disabled=\"\" /> open task"), "%s", h);
	cr_assert(strstr(h, "<input type=\"checkbox\" aria-label=\"done\" checked=\"\" disabled=\"\" /> done task"), "%s", h);
	cr_assert(strstr(h, "<del>dropped</del>"), "%s", h);
	cr_assert(strstr(h, "~single~"), "%s", h);
	cr_assert(strstr(h, "<a href=\"http://www.example.com\">www.example.com</a>"), "%s", h);
	cr_assert(strstr(h, "<a href=\"https://example.org/x\">https://example.org/x</a>"), "%s", h);
	cr_assert(strstr(h, "<a href=\"mailto:ana@example.com\">ana@example.com</a>"), "%s", h);
	cr_assert(strstr(h, "href=\"#fn-1\""), "%s", h);
	cr_assert(strstr(h, "id=\"fn-1\""), "%s", h);
	cr_assert_null(strstr(h, "<script"), "%s", h);
	cr_assert(!res.limited && !res.raw);
	cr_assert(strstr(res.text.ptr, "Option Pros Cons A fast new"), "%s", res.text.ptr);
	cr_assert(strstr(res.text.ptr, "dropped and"), "%s", res.text.ptr);
}

/* Task-list markup comes only from the extension: the same text in code
 * or in raw HTML is escaped or dropped, never given a label. */
Test(markdown, task_label_only_on_real_checkboxes)
{
	const char *h = render("`<input type=\"checkbox\" x>`\n\n<input type=\"checkbox\" onclick=\"x\">\n", NULL);
	cr_assert_null(strstr(h, "aria-label"), "%s", h);
	cr_assert_null(strstr(h, "<input"), "%s", h);
}

/* Debian's cmark-gfm 0.29.0.gfm.6 is more than quadratic on these tables
 * (CVE-2023-37463's shape): the table extension is left out, the rest
 * renders, and `limited` says so. */
Test(markdown, hostile_tables_render_without_the_table_extension)
{
	char *wide = tu_repeat("|a", 2 * 300), *md;
	adr_buf b = ADR_BUF_INIT;
	adr_buf_printf(&b, "%s|\n", wide);
	for (int i = 0; i < 300; i++)
		adr_buf_puts(&b, "|-");
	adr_buf_puts(&b, "|\n|x|\n\n*still rendered*\n");
	render(b.ptr, NULL);
	cr_assert(res.limited);
	cr_assert_null(strstr(res.html.ptr, "<table>"));
	cr_assert(strstr(res.html.ptr, "<em>still rendered</em>"));
	/* 100 columns and 2 000 one-cell rows: 200 000 cells to pad */
	adr_buf_clear(&b);
	for (int i = 0; i < 100; i++)
		adr_buf_puts(&b, "|a");
	adr_buf_puts(&b, "|\n");
	for (int i = 0; i < 100; i++)
		adr_buf_puts(&b, "|-");
	adr_buf_puts(&b, "|\n");
	md = tu_repeat("|x\n", 3 * 2000);
	adr_buf_puts(&b, md);
	render(b.ptr, NULL);
	cr_assert(res.limited);
	cr_assert_null(strstr(res.html.ptr, "<table>"));
	/* a table of 2 columns, then a row of 300 cells */
	render("| a | b |\n|---|---|\n| c | d |\n", NULL);
	cr_assert(!res.limited);
	cr_assert(strstr(res.html.ptr, "<div class=\"md-table\" tabindex=\"0\"><table>"), "%s", res.html.ptr);
	cr_assert(strstr(res.html.ptr, "</table></div>"), "%s", res.html.ptr);
	adr_buf_clear(&b);
	adr_buf_printf(&b, "| a | b |\n|---|---|\n%s|\n", wide);
	render(b.ptr, NULL);
	cr_assert(res.limited);
	/* many '|' before any table are no table's row */
	adr_buf_clear(&b);
	adr_buf_printf(&b, "%s\n\n| a | b |\n|---|---|\n| c | d |\n", wide);
	render(b.ptr, NULL);
	cr_assert(!res.limited);
	cr_assert(strstr(res.html.ptr, "<table>"), "%s", res.html.ptr);
	/* 100 columns and 2 000 one-cell rows, again */
	adr_buf_clear(&b);
	for (int i = 0; i < 100; i++)
		adr_buf_puts(&b, "|a");
	adr_buf_puts(&b, "|\n");
	for (int i = 0; i < 100; i++)
		adr_buf_puts(&b, "|-");
	adr_buf_puts(&b, "|\n");
	adr_buf_puts(&b, md);
	/* the same table with 200 rows is a table (20 000 cells) */
	adr_buf_truncate(&b, b.size - 3 * 1800);
	render(b.ptr, NULL);
	cr_assert(!res.limited);
	cr_assert(strstr(res.html.ptr, "<table>"));
	free(md);
	free(wide);
	adr_buf_dispose(&b);
}

/* `www.a_` repeated: 16 s in cmark-gfm 0.29.0.gfm.6's autolink extension
 * at 96 KB. Left without autolinks; text with ordinary links keeps them. */
Test(markdown, hostile_autolink_runs_render_without_autolinks)
{
	char *md = tu_repeat("www.a_", 96 * 1024);
	render(md, NULL);
	cr_assert(res.limited);
	cr_assert_null(strstr(res.html.ptr, "<a "));
	free(md);
	md = tu_repeat("a@", 256 * 1024);
	render(md, NULL);
	cr_assert(res.limited);
	free(md);
	/* e-mail addresses found split their line: many on one line are too many */
	md = tu_repeat("a@b.co ", 256 * 1024);
	render(md, NULL);
	cr_assert(res.limited);
	free(md);
	md = tu_repeat("see www.example.com or a@example.com.\n", 256 * 1024);
	render(md, NULL);
	cr_assert(!res.limited);
	cr_assert(strstr(res.html.ptr, "<a href=\"http://www.example.com\">"));
	free(md);
}

static int cb_calls;

static int link_cb(adr_buf *out, const char *url, bool image, void *payload)
{
	(void)payload;
	cb_calls++;
	if (strcmp(url, "0002-x.md") == 0) {
		adr_buf_puts(out, "0002-x.html");
		return ADR_MD_REWRITE;
	}
	if (strcmp(url, "secret.md") == 0) {
		adr_buf_puts(out, "[hidden]");
		return ADR_MD_REPLACE_TEXT;
	}
	if (strcmp(url, "../../etc/passwd") == 0 || image)
		return ADR_MD_UNLINK;
	if (strcmp(url, "stop") == 0)
		return ADR_EINVALID;
	if (strcmp(url, "bogus") == 0)
		return 42;
	return ADR_MD_KEEP;
}

Test(markdown, link_callback_actions)
{
	adr__markdown_opts o = ADR_MARKDOWN_OPTS_INIT;
	o.link = link_cb;
	cb_calls = 0;
	const char *h = render("[next](0002-x.md) [s **bold** title](secret.md) [pw](../../etc/passwd) "
			       "![alt *text*](img.png) [ok](https://example.com/) "
			       "[![inner](i.png)](0002-x.md)\n", &o);
	cr_assert_eq(cb_calls, 7);
	cr_assert(strstr(h, "<a href=\"0002-x.html\">next</a>"), "%s", h);
	cr_assert(strstr(h, "[hidden]"), "%s", h);
	cr_assert_null(strstr(h, "title"), "%s", h);
	cr_assert_null(strstr(h, "secret"), "%s", h);
	cr_assert_null(strstr(h, "passwd"), "%s", h);
	cr_assert(strstr(h, " pw "), "%s", h);
	cr_assert(strstr(h, "alt <em>text</em>"), "%s", h);
	cr_assert_null(strstr(h, "<img"), "%s", h);
	cr_assert(strstr(h, "href=\"https://example.com/\""), "%s", h);
	cr_assert(strstr(h, "<a href=\"0002-x.html\">inner</a>"), "%s", h);
}

Test(markdown, link_callback_errors_stop_rendering)
{
	adr__markdown_opts o = ADR_MARKDOWN_OPTS_INIT;
	o.link = link_cb;
	cr_assert_eq(adr__markdown_render(&res, "[x](stop)\n", 10, &o), ADR_EINVALID);
	cr_assert_eq(res.html.size, 0);
	cr_assert_eq(adr__markdown_render(&res, "[x](bogus)\n", 11, &o), ADR_EUSAGE);
	cr_assert(strstr(adr_error_last(), "unknown action"), "%s", adr_error_last());
}

Test(markdown, bad_options_version)
{
	adr__markdown_opts o = ADR_MARKDOWN_OPTS_INIT;
	o.version = 99;
	cr_assert_eq(adr__markdown_render(&res, "x", 1, &o), ADR_EUSAGE);
}

Test(markdown, nul_bytes_and_crlf)
{
	adr__markdown_result_dispose(&res);
	cr_assert_eq(adr__markdown_render(&res, "a\0b\r\n\r\nc\r\n", 9, NULL), 0);
	cr_assert(strstr(res.html.ptr, "a\xef\xbf\xbd" "b"), "%s", res.html.ptr);
	cr_assert(strstr(res.html.ptr, "<p>c</p>"), "%s", res.html.ptr);
}

/* cmark 0.30.2 is quadratic on this (CVE-2023-22486): the bracket bound
 * shows it as text instead. A whole record (256 KiB) must take < 2 s. */
Test(markdown, hostile_brackets_render_fast_as_text)
{
	char *md = tu_repeat("![[]()", 256 * 1024);
	double t0 = tu_now();
	cr_assert_eq(adr__markdown_render(&res, md, strlen(md), NULL), 0);
	double dt = tu_now() - t0;
	cr_assert(res.raw);
	cr_assert(strncmp(res.html.ptr, "<pre class=\"md-raw\">", 20) == 0);
	cr_assert(dt < 2.0, "took %.2f s", dt);
	free(md);
}

Test(markdown, bracket_bound_is_configurable)
{
	adr__markdown_opts o = ADR_MARKDOWN_OPTS_INIT;
	o.max_brackets = 1;
	render("[a] [b] <b>&</b>", &o);
	cr_assert(res.raw);
	cr_assert_str_eq(res.html.ptr, "<pre class=\"md-raw\">[a] [b] &lt;b&gt;&amp;&lt;/b&gt;</pre>\n");
	o.max_brackets = 2;
	render("[a] [b]", &o);
	cr_assert(!res.raw);
}

/* cmark's pathological cases, each at the record size cap, each < 2 s. */
Test(markdown, pathological_inputs_within_deadline, .timeout = 60)
{
	static const char *const pats[] = {
		"*a **a ", "_a ", "a***", "[", "> ", "- ", "`a", "<!--", "[a](", "e`", "<a", "a]",
		"**x", "*x*", "[]([", "](", "   - ", "1. ",
		/* cmark-gfm's extensions (tables, autolinks, strikethrough, tasks, footnotes) */
		"|a", "|x\n", "|-", "| a |\n|---|\n", "www.a_", "www.", "a@", "a@b.co ", "http://", "_",
		"~~a ", "~", "- [ ] ", "- [x] ", "[^", "x[^1] ", "> -", ">", "-\n", "aaa\rbbb\n-\v\n",
	};
	for (size_t i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		char *md = tu_repeat(pats[i], 256 * 1024);
		double t0 = tu_now();
		cr_assert_eq(adr__markdown_render(&res, md, strlen(md), NULL), 0, "%s", pats[i]);
		double dt = tu_now() - t0;
		cr_assert(dt < 2.0, "'%s' took %.2f s", pats[i], dt);
		free(md);
	}
}

Test(markdown, deep_nesting_is_iterative)
{
	char *md = tu_repeat("> ", 50000);
	render(md, NULL);
	cr_assert(strstr(res.html.ptr, "<blockquote>"));
	free(md);
}

Test(markdown, source_never_uses_unsafe_mode)
{
	FILE *f = fopen(ADR_TEST_SOURCE_DIR "/lib/text/markdown.c", "r");
	char line[1024];
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f))
		cr_assert_null(strstr(line, "CMARK_OPT_" "UNSAFE"), "%s", line);
	fclose(f);
}

/* --- the outline (text/md_outline.c) ------------------------------------------- */
#include "text/md_outline.h"

Test(outline, headings_and_blocks_as_cmark_sees_them)
{
	const char *md = "# 1. Title\n\nIntro\n\n```sh\n## not a heading\n   ```\n\n## Status\n\nAccepted\n\n"
			 "Setext\n------\n\n> ## quoted, not a section\n\n<div>\n## html\n</div>\n";
	adr__md_outline o = ADR_MD_OUTLINE_INIT;
	cr_assert_eq(adr__md_outline_read(&o, md, strlen(md)), 0);
	cr_expect(o.parsed);
	cr_assert_eq(o.nheadings, 3);
	cr_expect_eq(o.headings[0].level, 1);
	cr_expect_str_eq(o.headings[0].text, "1. Title");
	cr_expect_eq(o.headings[1].line, 9);
	cr_expect_str_eq(o.headings[1].text, "Status");
	cr_expect_eq(o.headings[2].level, 2);
	cr_expect_eq(o.headings[2].line, 13);
	cr_expect_eq(o.headings[2].end_line, 14);
	cr_assert_eq(o.nblocks, 2);
	cr_expect_eq(o.blocks[0].start, 5);
	cr_expect_eq(o.blocks[0].end, 7);
	cr_expect(adr__md_outline_in_block(&o, 6));
	cr_expect(!adr__md_outline_in_block(&o, 9));
	cr_expect(adr__md_outline_in_block(&o, 19));
	adr__md_outline_dispose(&o);
	adr__md_outline_dispose(&o); /* twice is fine */
}

Test(outline, hostile_input_is_bounded)
{
	size_t n = 25000 * 2;
	char *md = malloc(n + ADR_MARKDOWN_MAX_BRACKETS + 2);
	adr__md_outline o = ADR_MD_OUTLINE_INIT;
	/* 25,000 nested block quotes: parsed, walked without recursion */
	for (size_t i = 0; i < n; i += 2)
		md[i] = '>', md[i + 1] = ' ';
	memcpy(md + n, "x", 2);
	cr_assert_eq(adr__md_outline_read(&o, md, n + 1), 0);
	cr_expect(o.parsed);
	cr_expect_eq(o.nheadings, 0);
	adr__md_outline_dispose(&o);
	/* too many brackets (cmark 0.30.2's quadratic case): not parsed */
	memset(md, '[', ADR_MARKDOWN_MAX_BRACKETS + 1);
	cr_assert_eq(adr__md_outline_read(&o, md, ADR_MARKDOWN_MAX_BRACKETS + 1), 0);
	cr_expect(!o.parsed);
	cr_expect_eq(o.nheadings, 0);
	adr__md_outline_dispose(&o);
	free(md);
}
