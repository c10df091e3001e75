/* Next steps (adr/nextsteps.h) and the section items they are read from
 * (text/markdown.h): what is a step, what is not, and what is warned. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/nextsteps.h"
#include "text/markdown.h"
#include "testutil.h"

static adr_record *record(const char *text)
{
	adr_record *r = NULL;
	cr_assert_eq(adr_record_parse(&r, "docs/decisions/0007-x.md", text, strlen(text), 0), 0, "%s",
		     adr_error_last());
	return r;
}

Test(nextsteps, items_of_the_section_only)
{
	const char *md = "# T\n\n## Decision\n\n- [ ] not here\n\n## NEXT STEPS \n\n- one\n  - nested\n- two\n  more\n\n"
			 "```\n- fenced\n```\n\n> - quoted\n\n### Sub\n\n- three\n\n## After\n\n- four\n";
	adr__md_items l = ADR_MD_ITEMS_INIT;
	cr_assert_eq(adr__markdown_section_items(&l, md, strlen(md), "Next steps"), 0);
	cr_assert_eq(l.count, 3);
	cr_assert_str_eq(l.items[0].text, "one");
	cr_assert_eq(l.items[0].line, 9);
	cr_assert_str_eq(l.items[1].text, "two more");
	cr_assert_str_eq(l.items[2].text, "three");
	adr__md_items_dispose(&l);
}

/* The section's heading however it is written: bodies without a line that
 * could be that heading are not parsed at all (text/markdown.c), so every
 * way of writing it must still be found. */
static size_t items_of(const char *md)
{
	adr__md_items l = ADR_MD_ITEMS_INIT;
	size_t n;
	cr_assert_eq(adr__markdown_section_items(&l, md, strlen(md), "Next steps"), 0);
	n = l.count;
	adr__md_items_dispose(&l);
	return n;
}

Test(nextsteps, heading_written_any_way)
{
	cr_assert_eq(items_of("## Next steps\n\n- a\n"), 1);
	cr_assert_eq(items_of("   ##\tnext STEPS ##\r\n\r\n- a\r\n"), 1, "indented, tab, closing #s, CRLF");
	cr_assert_eq(items_of("## *Next* s`t`e**p**s\n\n- a\n"), 1, "markup inside");
	cr_assert_eq(items_of("## [Next steps](x.md)\n\n- a\n"), 1, "a link");
	cr_assert_eq(items_of("## Next\\! steps\n\n- a\n"), 0, "an escape is kept: 'Next! steps'");
	cr_assert_eq(items_of("## &#78;ext st&#101;ps\n\n- a\n"), 1, "entities");
	cr_assert_eq(items_of("Next steps\n----------\n\n- a\n"), 1, "setext");
	cr_assert_eq(items_of("Next\nsteps\n---\n\n- a\n"), 1, "setext over two lines: the break reads as a space");
	/* no such heading: nothing, parsed or not */
	cr_assert_eq(items_of("# T\n\n## Decision\n\nOur next steps are:\n\n- a\n"), 0);
	cr_assert_eq(items_of("    ## Next steps\n\n- a\n"), 0, "indented code");
	cr_assert_eq(items_of("> ## Next steps\n>\n> - a\n"), 0, "quoted");
	cr_assert_eq(items_of("### Next steps\n\n- a\n"), 0, "level 3");
	cr_assert_eq(items_of(""), 0);
}

Test(nextsteps, hostile_body_has_none)
{
	size_t n = ADR_MARKDOWN_MAX_BRACKETS + 100;
	char *md = malloc(n + 32);
	adr__md_items l = ADR_MD_ITEMS_INIT;
	strcpy(md, "## Next steps\n\n- [ ] a\n");
	memset(md + strlen(md), '[', n);
	md[strlen("## Next steps\n\n- [ ] a\n") + n] = '\0';
	cr_assert_eq(adr__markdown_section_items(&l, md, strlen(md), "Next steps"), 0);
	cr_assert_eq(l.count, 0);
	free(md);
}

Test(nextsteps, owner_text_due_done)
{
	adr_record *r = record("---\nstatus: accepted\n---\n# X\n\n## Next steps\n\n"
			       "- [ ] Ana Lima: migrate the schema (by 2026-12-20)\n"
			       "- [X] export (BY 2026-11-01)\n"
			       "- [ ] Note (see below): not an owner\n"
			       "- [ ] call Bo: today\n"
			       "- [ ]   \n"
			       "- [ ] Cy: tidy (by 2026-02-30)\n"
			       "- [x]done without a space\n"
			       "- plain bullet\n");
	adr_next_steps ns;
	cr_assert_eq(adr_next_steps_parse(&ns, r), 0);
	cr_assert_eq(ns.count, 4);
	cr_assert_str_eq(ns.items[0].owner, "Ana Lima");
	cr_assert_str_eq(ns.items[0].text, "migrate the schema");
	cr_assert_str_eq(ns.items[0].due, "2026-12-20");
	cr_assert(!ns.items[0].done);
	cr_assert_eq(ns.items[0].line, 8);
	cr_assert_null(ns.items[1].owner);
	cr_assert_str_eq(ns.items[1].text, "export");
	cr_assert_str_eq(ns.items[1].due, "2026-11-01");
	cr_assert(ns.items[1].done);
	cr_assert_null(ns.items[2].owner);
	cr_assert_str_eq(ns.items[2].text, "Note (see below): not an owner");
	cr_assert_str_eq(ns.items[3].owner, "call Bo");
	cr_assert_str_eq(ns.items[3].text, "today");
	cr_assert_str_eq(ns.items[3].due, "");
	cr_assert_eq(ns.warnings.count, 2);
	cr_assert_str_eq(ns.warnings.items[0], "docs/decisions/0007-x.md:12:1: next step has no text");
	cr_assert_str_eq(ns.warnings.items[1],
			 "docs/decisions/0007-x.md:13:1: next step: '2026-02-30' is not a date (YYYY-MM-DD)");
	adr_next_steps_dispose(&ns);
	adr_next_steps_dispose(&ns); /* twice is fine */
	adr_record_free(r);
}

Test(nextsteps, none_without_the_section)
{
	adr_record *r = record("# X\n\n- [ ] a (by 2026-01-01)\n");
	adr_next_steps ns;
	cr_assert_eq(adr_next_steps_parse(&ns, r), 0);
	cr_assert_eq(ns.count, 0);
	cr_assert_eq(ns.warnings.count, 0);
	adr_next_steps_dispose(&ns);
	adr_record_free(r);
}
