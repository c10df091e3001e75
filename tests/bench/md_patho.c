/*
 * tests/bench/md_patho.c: how long cmark (or cmark-gfm, built with
 * -DMD_GFM and every GFM extension on, or adr's own renderer with its
 * input bounds, -DMD_ADR) takes to parse and render the pathological
 * inputs of RELIABILITY.md (M2, M3) at growing sizes.
 *
 *   md_patho [max-seconds]     one line per case and size:
 *                              case  repeats  bytes  seconds  ratio
 *
 * `ratio` is this run's time over the previous size's: about 2 when the
 * time grows linearly (each size doubles the input), about 4 when it grows
 * quadratically. A case stops growing once a run takes more than
 * max-seconds (default 4). The numbers are for a person to read (README's
 * "Markdown" section); nothing here asserts a time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(MD_ADR)
#include "text/markdown.h"
#define LIB_NAME "adr (lib/text/markdown.c over cmark-gfm, with its input bounds)"
#elif defined(MD_GFM)
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#define LIB_NAME "cmark-gfm " CMARK_GFM_VERSION_STRING
#else
#include <cmark.h>
#define LIB_NAME "cmark " CMARK_VERSION_STRING
#endif

typedef struct {
	char *p;
	size_t n, cap;
} buf;

static void put(buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;
		while (cap < b->n + n + 1)
			cap *= 2;
		if (!(b->p = realloc(b->p, cap))) {
			perror("realloc");
			exit(2);
		}
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = 0;
}

static void puts_(buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static void rep(buf *b, const char *s, size_t k)
{
	for (size_t i = 0; i < k; i++)
		puts_(b, s);
}

/* A case: a name, a generator for `k` repeats, and the first k. */
typedef struct {
	const char *name;
	void (*gen)(buf *b, size_t k, const char *a, const char *z);
	const char *a, *z; /* the generator's strings */
	size_t k0;
} pcase;

/* a repeated k times, then z */
static void g_rep(buf *b, size_t k, const char *a, const char *z)
{
	rep(b, a, k);
	puts_(b, z);
}

/* a k times, "b", z k times */
static void g_nest(buf *b, size_t k, const char *a, const char *z)
{
	rep(b, a, k);
	puts_(b, "b");
	rep(b, z, k);
}

static void g_lists(buf *b, size_t k, const char *a, const char *z)
{
	for (size_t x = 0; x < k; x++) {
		rep(b, "  ", x);
		puts_(b, "* a\n");
	}
}

static void g_backticks(buf *b, size_t k, const char *a, const char *z)
{
	for (size_t x = 1; x < k; x++) {
		puts_(b, "e");
		rep(b, "`", x);
	}
}

/* A table of 20 columns and k full rows. */
static void g_table_rows(buf *b, size_t k, const char *a, const char *z)
{
	rep(b, "| h ", 20);
	puts_(b, "|\n");
	rep(b, "|---", 20);
	puts_(b, "|\n");
	for (size_t i = 0; i < k; i++) {
		rep(b, "| c ", 20);
		puts_(b, "|\n");
	}
}

/* A header of k columns, then k rows of one cell each: k*k cells out of
 * about 9k bytes (CVE-2023-37463's shape). */
static void g_table_short_rows(buf *b, size_t k, const char *a, const char *z)
{
	rep(b, "|a", k);
	puts_(b, "|\n");
	rep(b, "|-", k);
	puts_(b, "|\n");
	rep(b, "|x\n", k);
}

/* A header of k columns and one row: a long run of cells. */
static void g_table_wide(buf *b, size_t k, const char *a, const char *z)
{
	rep(b, "|a", k);
	puts_(b, "|\n");
	rep(b, "|-", k);
	puts_(b, "|\n");
	rep(b, "|b", k);
	puts_(b, "|\n");
}

/* A table of 2 columns whose one row has k cells. */
static void g_table_long_row(buf *b, size_t k, const char *a, const char *z)
{
	puts_(b, "| a | b |\n|---|---|\n");
	rep(b, "|c", k);
	puts_(b, "|\n");
}

/* A reference definition per line, then k uses of the first. */
static void g_refs(buf *b, size_t k, const char *a, const char *z)
{
	char line[64];
	for (size_t i = 0; i < k; i++) {
		snprintf(line, sizeof line, "[r%zu]: /u%zu\n", i, i);
		puts_(b, line);
	}
	puts_(b, "\n");
	rep(b, "[r0] ", k);
}

/* k footnote definitions and k references. */
static void g_footnotes(buf *b, size_t k, const char *a, const char *z)
{
	char line[64];
	for (size_t i = 0; i < k; i++) {
		snprintf(line, sizeof line, "x[^%zu] ", i);
		puts_(b, line);
	}
	puts_(b, "\n\n");
	for (size_t i = 0; i < k; i++) {
		snprintf(line, sizeof line, "[^%zu]: note %zu\n", i, i);
		puts_(b, line);
	}
}

static const pcase cases[] = {
	/* cmark's test/pathological_tests.py */
	{ "nested strong emph", g_nest, "*a **a ", " a** a*", 8000 },
	{ "emph closers a_", g_rep, "a_ ", "", 16000 },
	{ "emph openers _a", g_rep, "_a ", "", 16000 },
	{ "link closers a]", g_rep, "a]", "", 16000 },
	{ "link openers [a", g_rep, "[a", "", 16000 },
	{ "mismatched *a_", g_rep, "*a_ ", "", 16000 },
	{ "multiple of 3 c*", g_rep, "c* ", "", 16000 },
	{ "link openers, emph closers [ a_", g_rep, "[ a_", "", 16000 },
	{ "[ (]( repeated", g_rep, "[ (](", "", 16000 },
	{ "![[]() repeated", g_rep, "![[]()", "", 10000 },
	{ "nested brackets", g_nest, "[", "]", 16000 },
	{ "nested block quotes", g_rep, "> ", "a", 16000 },
	{ "deeply nested lists", g_lists, NULL, NULL, 250 },
	{ "backticks", g_backticks, NULL, NULL, 625 },
	{ "unclosed links A", g_rep, "[a](<b", "", 16000 },
	{ "unclosed links B", g_rep, "[a](b", "", 16000 },
	{ "unclosed <!--", g_rep, "<!--", "", 40000 },
	{ "many references", g_refs, NULL, NULL, 4000 },
	/* cmark-gfm's own cases and its CVEs (extensions on) */
	{ "gfm test: aaa\\rbbb\\n-\\v", g_rep, "aaa\rbbb\n-\v\n", "", 4000 },
	{ "table 20 cols x k rows", g_table_rows, NULL, NULL, 1000 },
	{ "table k cols, k short rows", g_table_short_rows, NULL, NULL, 250 },
	{ "table k cols, one row", g_table_wide, NULL, NULL, 4000 },
	{ "long run of pipes", g_rep, "|", "\n", 40000 },
	{ "lines of pipes", g_rep, "|||\n", "", 16000 },
	{ "underscores _", g_rep, "_", "", 40000 },
	{ "runs of >", g_rep, ">", "a", 40000 },
	{ "runs of -", g_rep, "-", "a", 40000 },
	{ "> - repeated", g_rep, "> - ", "a", 16000 },
	{ "many * with text", g_rep, "*a", "", 16000 },
	{ "www. autolinks", g_rep, "www.", "", 16000 },
	{ "www.a_ runs", g_rep, "www.a_", "", 16000 },
	{ "email-like a@", g_rep, "a@", "", 16000 },
	{ "email-like a.b@c", g_rep, "a.b@c ", "", 16000 },
	{ "http:// runs", g_rep, "http://", "", 16000 },
	{ "strikethrough ~~a", g_rep, "~~a ", "", 16000 },
	{ "tildes ~", g_rep, "~", "", 40000 },
	{ "task items", g_rep, "- [ ] a\n", "", 8000 },
	{ "nested task items", g_rep, "- [x] ", "a", 4000 },
	{ "footnotes", g_footnotes, NULL, NULL, 4000 },
	{ "footnote refs [^", g_rep, "[^", "", 16000 },
	{ "emails a@b.co", g_rep, "a@b.co ", "", 16000 },
	{ "www.a.com links", g_rep, "www.a.com ", "", 16000 },
	{ "an e-mail per line", g_rep, "a@b.co\n", "", 16000 },
	{ "a www link per line", g_rep, "www.a.com\n", "", 16000 },
	{ "table 2 cols, a row of k cells", g_table_long_row, NULL, NULL, 4000 },
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double run(const char *md, size_t len)
{
	double t0 = now();
#if defined(MD_ADR)
	adr__markdown_result r = ADR_MARKDOWN_RESULT_INIT;
	if (adr__markdown_render(&r, md, len, NULL) < 0) {
		fprintf(stderr, "render failed\n");
		exit(2);
	}
	adr__markdown_result_dispose(&r);
#elif defined(MD_GFM)
	char *html;
	static const char *const exts[] = { "table", "strikethrough", "autolink", "tasklist" };
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES;
	cmark_parser *p = cmark_parser_new(opts);
	cmark_node *doc;
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
		cmark_parser_attach_syntax_extension(p, cmark_find_syntax_extension(exts[i]));
	cmark_parser_feed(p, md, len);
	doc = cmark_parser_finish(p);
	html = cmark_render_html(doc, opts, cmark_parser_get_syntax_extensions(p));
	cmark_parser_free(p);
#else
	char *html;
	int opts = CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8;
	cmark_node *doc = cmark_parse_document(md, len, opts);
	html = cmark_render_html(doc, opts);
#endif
#ifndef MD_ADR
	cmark_node_free(doc);
	free(html);
#endif
	return now() - t0;
}

int main(int argc, char **argv)
{
	double limit = argc > 1 ? atof(argv[1]) : 4.0;

#if defined(MD_GFM) && !defined(MD_ADR)
	cmark_gfm_core_extensions_ensure_registered();
#endif
	printf("# %s\n# case\trepeats\tbytes\tseconds\tratio\n", LIB_NAME);
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		double prev = 0;
		for (size_t k = cases[c].k0, step = 0; step < 5; k *= 2, step++) {
			buf b = { NULL, 0, 0 };
			double t;
			cases[c].gen(&b, k, cases[c].a, cases[c].z);
			t = run(b.p, b.n);
			printf("%s\t%zu\t%zu\t%.4f\t", cases[c].name, k, b.n, t);
			if (prev > 0.002)
				printf("%.1f\n", t / prev);
			else
				printf("-\n");
			fflush(stdout);
			free(b.p);
			prev = t;
			if (t > limit)
				break;
		}
	}
	return 0;
}
