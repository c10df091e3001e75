/*
 * Unit tests for lib/log/import_repair.c (adr__import_repair): the front
 * matter other tools accept and YAML refuses is mended line by line, each
 * change said; what is fine, or not certain, is left as written.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "adr/record.h"
#include "log/import_internal.h"

/* Mends `in`; returns what adr__import_repair returned, `out` and `said` filled. */
static int mend(adr_buf *out, adr_strlist *said, const char *in)
{
	return adr__import_repair(out, said, "r.md", in, strlen(in));
}

Test(repair, each_form_is_quoted_and_said)
{
	adr_buf out = ADR_BUF_INIT;
	adr_strlist said = ADR_STRLIST_INIT;
	const char *in = "---\nowner: @ana\nsummary: `x` y\ntitle: A: b\nend: why:\nlist:\n\t- @bo\n---\n# T\n@body: stays\n";

	cr_assert_eq(mend(&out, &said, in), 1);
	cr_assert_str_eq(out.ptr, "---\nowner: '@ana'\nsummary: '`x` y'\ntitle: 'A: b'\nend: 'why:'\nlist:\n  - '@bo'\n---\n"
				  "# T\n@body: stays\n");
	cr_assert_eq(said.count, 5);
	cr_assert_str_eq(said.items[0], "r.md:2: owner: @ana -> owner: '@ana'");
	cr_assert_str_eq(said.items[4], "r.md:7: \t- @bo ->   - '@bo'");
	adr_buf_dispose(&out);
	adr_strlist_dispose(&said);
}

Test(repair, a_quote_inside_is_doubled_and_the_result_reads)
{
	adr_buf out = ADR_BUF_INIT;
	adr_strlist said = ADR_STRLIST_INIT;
	adr_record *r = NULL;

	cr_assert_eq(mend(&out, &said, "---\nowner: @ana's: team\nstatus: accepted\n---\n# T\n"), 1);
	cr_assert_str_eq(out.ptr, "---\nowner: '@ana''s: team'\nstatus: accepted\n---\n# T\n");
	cr_assert_eq(adr_record_parse(&r, "r.md", out.ptr, out.size, 0), 0);
	cr_assert_str_eq(r->owner, "@ana's: team");
	adr_record_free(r);
	adr_buf_dispose(&out);
	adr_strlist_dispose(&said);
}

Test(repair, what_is_fine_or_uncertain_is_left)
{
	adr_buf out = ADR_BUF_INIT;
	adr_strlist said = ADR_STRLIST_INIT;

	/* quoted already, a URL, a comment after the value, a comment line, a
	 * block scalar's text, a flow list with quotes: nothing to do */
	cr_assert_eq(mend(&out, &said,
			  "---\na: '@x'\nb: \"@y\"\nurl: https://x.org/a:b\nc: @z # who\n# k: v: w\n"
			  "notes: |\n  k: @v: w\nd: [\"@q\", r]\n---\n# T\n"), 0);
	cr_assert_eq(said.count, 0);
	/* no front matter, or only an opening line */
	cr_assert_eq(mend(&out, &said, "# T\n\nowner: @ana\n"), 0);
	cr_assert_eq(mend(&out, &said, "---"), 0);
	cr_assert_eq(said.count, 0);
	adr_buf_dispose(&out);
	adr_strlist_dispose(&said);
}

Test(repair, a_long_line_is_said_shortened)
{
	adr_buf out = ADR_BUF_INIT;
	adr_strlist said = ADR_STRLIST_INIT;
	char in[300];

	snprintf(in, sizeof(in), "---\nowner: @%0120d\n---\n", 7);
	cr_assert_eq(mend(&out, &said, in), 1);
	cr_assert_eq(said.count, 1);
	cr_assert_not_null(strstr(said.items[0], "... -> owner: '@"), "%s", said.items[0]);
	adr_buf_dispose(&out);
	adr_strlist_dispose(&said);
}
