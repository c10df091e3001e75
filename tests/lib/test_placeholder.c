/* Unit tests for lib/record/placeholder.c: which lines are a template's placeholder text. */
#include <criterion/criterion.h>

#include <string.h>

#include "record/placeholder.h"

static const char tmpl[] =
	"---\r\n"
	"status: proposed\r\n"
	"date: {{date}}\r\n"
	"---\r\n"
	"# Title\r\n"
	"\r\n"
	"## Decision\r\n"
	"\r\n"
	"  We will ...  \r\n"
	"Dated {{date}}: not a placeholder.\r\n"
	"\r\n"
	"## Consequences\r\n"
	"\r\n"
	"* Good, because ...\r\n";

static void load(adr__placeholders *p)
{
	cr_assert_eq(adr__placeholders_add(p, tmpl, strlen(tmpl)), 0);
}

Test(placeholder, lines_of_the_body_only)
{
	adr__placeholders p = ADR__PLACEHOLDERS_INIT;
	load(&p);
	/* not the front matter, headings, blank lines or lines with a field */
	cr_assert_eq(p.lines.count, 2);
	cr_assert_str_eq(p.lines.items[0], "We will ...");
	cr_assert_str_eq(p.lines.items[1], "* Good, because ...");
	cr_assert(adr__placeholder_is(&p, "\tWe will ...\r", 13));
	cr_assert_not(adr__placeholder_is(&p, "We will use Go.", 15));
	cr_assert_not(adr__placeholder_is(&p, "   ", 3));
	cr_assert_not(adr__placeholder_is(&p, "status: proposed", 16));
	adr__placeholders_dispose(&p);
}

Test(placeholder, no_front_matter)
{
	adr__placeholders p = ADR__PLACEHOLDERS_INIT;
	const char *t = "# T\n\nWrite it here.\n---\nnot front matter\n";
	cr_assert_eq(adr__placeholders_add(&p, t, strlen(t)), 0);
	cr_assert_eq(p.lines.count, 3);
	cr_assert_str_eq(p.lines.items[0], "Write it here.");
	cr_assert_str_eq(p.lines.items[1], "---");
	adr__placeholders_dispose(&p);
}

Test(placeholder, find_counts_and_first_line)
{
	adr__placeholders p = ADR__PLACEHOLDERS_INIT;
	size_t count = 9;
	load(&p);
	cr_assert_eq(adr__placeholder_find(&p, "# T\n\nReal text.\n", &count), 0);
	cr_assert_eq(count, 0);
	cr_assert_eq(adr__placeholder_find(&p, "# T\n\nWe will ...\n\n* Good, because ...", &count), 3);
	cr_assert_eq(count, 2);
	cr_assert_eq(adr__placeholder_find(&p, NULL, NULL), 0);
	adr__placeholders_dispose(&p);
}

Test(placeholder, empty_decision)
{
	adr__placeholders p = ADR__PLACEHOLDERS_INIT;
	load(&p);
	/* only a placeholder: empty, at the heading's line */
	cr_assert_eq(adr__placeholder_empty_decision(&p, "# T\n\n## Decision\n\nWe will ...\n\n## Next\n\nText.\n"), 3);
	/* MADR's heading; a subsection's text counts, a subsection of placeholders does not */
	cr_assert_eq(adr__placeholder_empty_decision(&p, "## Decision Outcome\n\n### Consequences\n\n* Good, because ...\n"), 1);
	cr_assert_eq(adr__placeholder_empty_decision(&p, "## decision outcome\n\n### Why\n\nBecause.\n"), 0);
	/* text: not empty; no heading: nothing to say; "Decision Drivers" is another section */
	cr_assert_eq(adr__placeholder_empty_decision(&p, "## Decision\r\n\r\nWe will use Go.\r\n"), 0);
	cr_assert_eq(adr__placeholder_empty_decision(&p, "## Decision Drivers\n\n## Context\n"), 0);
	cr_assert_eq(adr__placeholder_empty_decision(&p, "#Decision\n"), 0);
	cr_assert_eq(adr__placeholder_empty_decision(&p, "## Decision"), 1);
	adr__placeholders_dispose(&p);
}

Test(placeholder, strip)
{
	adr__placeholders p = ADR__PLACEHOLDERS_INIT;
	adr_buf out = ADR_BUF_INIT;
	load(&p);
	cr_assert_eq(adr__placeholder_strip(&p, &out, "# T\n\n## Decision\n\nWe will ...\n\n## C\n\n* Good, because ...\n\nKept.\r\n"), 0);
	cr_assert_str_eq(out.ptr, "# T\n\n## Decision\n\n## C\n\nKept.\r\n");
	adr_buf_dispose(&out);
	adr__placeholders_dispose(&p);
}
