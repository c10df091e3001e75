/* Unit tests for lib/log/toc.c: the table of contents renders as one working link per record (F23). */
#include <criterion/criterion.h>

#include <string.h>

#include "text/markdown.h"
#include "adr/record.h"
#include "adr/repo.h"
#include "adr/toc.h"

static void add(adr_recordset *set, const char *path, const char *title_line)
{
	adr_buf text = ADR_BUF_INIT;
	adr_record *r = NULL;
	adr_buf_printf(&text, "---\nstatus: accepted\n---\n%s\n\nBody.\n", title_line);
	cr_assert_eq(adr_record_parse(&r, path, text.ptr, text.size, ADR_PARSE_LENIENT), 0, "%s", adr_error_last());
	cr_assert_eq(adr_recordset_add(set, r), 0);
	adr_buf_dispose(&text);
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;
	for (const char *p = s; (p = strstr(p, needle)) != NULL; p += strlen(needle))
		n++;
	return n;
}

/* F23: `]`, `[` and `\` in titles, and a line break or `)` in a file name, keep the links whole. */
Test(toc, hostile_titles_and_names_render_as_links)
{
	adr_recordset set = ADR_RECORDSET_INIT;
	adr__markdown_result res = ADR_MARKDOWN_RESULT_INIT;
	adr_buf out = ADR_BUF_INIT;

	add(&set, "docs/decisions/0001-plain.md", "# Plain");
	add(&set, "docs/decisions/0002-brackets.md", "# Use [x] or ] not \\ here");
	add(&set, "docs/decisions/0003-a\nb.md", "# Line break in the name");
	add(&set, "docs/decisions/0004-a (b) c%.md", "# Parens in the name");
	cr_assert_eq(adr_toc_write(&out, &set, NULL, NULL, NULL), 0, "%s", adr_error_last());
	cr_assert_not_null(strstr(out.ptr, "* [2. Use \\[x\\] or \\] not \\\\ here](0002-brackets.md)\n"), "%s", out.ptr);
	cr_assert_not_null(strstr(out.ptr, "* [3. Line break in the name](0003-a%0Ab.md)\n"), "%s", out.ptr);
	cr_assert_not_null(strstr(out.ptr, "](0004-a%20%28b%29%20c%25.md)\n"), "%s", out.ptr);
	/* one line per record after the heading and a blank line */
	cr_assert_eq(count(out.ptr, "\n"), 2 + 4, "%s", out.ptr);

	cr_assert_eq(adr__markdown_render(&res, out.ptr, out.size, NULL), 0, "%s", adr_error_last());
	cr_assert_eq(count(res.html.ptr, "<a href="), 4, "%s", res.html.ptr);
	cr_assert_eq(count(res.html.ptr, "<li>"), 4, "%s", res.html.ptr);
	cr_assert_not_null(strstr(res.html.ptr, "<a href=\"0002-brackets.md\">2. Use [x] or ] not \\ here</a>"), "%s",
			   res.html.ptr);
	cr_assert_not_null(strstr(res.html.ptr, "<a href=\"0003-a%0Ab.md\">3. Line break in the name</a>"), "%s",
			   res.html.ptr);
	cr_assert_not_null(strstr(res.html.ptr, "<a href=\"0004-a%20%28b%29%20c%25.md\">"), "%s", res.html.ptr);

	adr__markdown_result_dispose(&res);
	adr_buf_dispose(&out);
	adr_recordset_dispose(&set);
}

/* A title with a line break (from a front matter escape) stays one list item. */
Test(toc, title_with_a_line_break_stays_one_item)
{
	adr_recordset set = ADR_RECORDSET_INIT;
	adr_buf out = ADR_BUF_INIT;
	adr_record *r = NULL;
	const char *text = "---\nstatus: accepted\ntitle: \"two\\nlines\"\n---\nBody.\n";
	cr_assert_eq(adr_record_parse(&r, "docs/decisions/0005-t.md", text, strlen(text), ADR_PARSE_LENIENT), 0, "%s",
		     adr_error_last());
	cr_assert_str_eq(r->title, "two\nlines");
	cr_assert_eq(adr_recordset_add(&set, r), 0);
	cr_assert_eq(adr_toc_write(&out, &set, NULL, NULL, NULL), 0);
	cr_assert_str_eq(out.ptr, "# Architecture Decision Records\n\n* [5. two lines](0005-t.md)\n");
	adr_buf_dispose(&out);
	adr_recordset_dispose(&set);
}
