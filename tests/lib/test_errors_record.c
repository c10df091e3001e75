/*
 * test_errors_record.c: error sites of lib/record/record.c and lib/log/meeting.c that
 * only a library caller reaches (the parser and the CLI check first; issue
 * 11, error-path coverage): writing a record whose fields are not UTF-8,
 * link types that are not lowercase words, slugs that are no file name, a
 * meeting without decisions. Each checks the message and that the output
 * buffer or the record was left as it was.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "adr/proposal.h"
#include "adr/record.h"
#include "testutil.h"

TestSuite(errors_record, .timeout = 30);

static adr_record *parsed(void)
{
	static const char text[] = "---\nstatus: accepted\ndate: 2026-01-02\n---\n# Use X\n\nBody.\n";
	adr_record *r = NULL;
	cr_assert_eq(adr_record_parse(&r, "docs/decisions/0002-use-x.md", text, strlen(text), 0), 0, "%s",
		     adr_error_last());
	return r;
}

#define assert_msg(expect) cr_assert_str_eq(adr_error_last(), (expect))

Test(errors_record, serialize_a_name_that_is_not_utf8)
{
	adr_record *r = parsed();
	adr_buf out = ADR_BUF_INIT;
	cr_assert_eq(adr_strlist_add(&r->decision_makers, "Ana \xff"), 0);
	cr_assert_eq(adr_record_serialize(&out, r), ADR_EINVALID);
	assert_msg("key 'decision-makers': 'Ana \xff' is not valid UTF-8");
	adr_buf_dispose(&out);
	adr_record_free(r);
}

Test(errors_record, serialize_a_date_that_is_not_utf8)
{
	adr_record *r = parsed();
	adr_buf out = ADR_BUF_INIT;
	strcpy(r->review_by, "\xfe\xff");
	cr_assert_eq(adr_record_serialize(&out, r), ADR_EINVALID);
	assert_msg("key 'review-by': '\xfe\xff' is not valid UTF-8");
	adr_buf_dispose(&out);
	adr_record_free(r);
}

Test(errors_record, serialize_a_link_type_that_is_not_utf8)
{
	adr_record *r = parsed();
	adr_buf out = ADR_BUF_INIT;
	cr_assert_eq(adr_record_add_link(r, "amends", 1), 0, "%s", adr_error_last());
	free(r->links[0].type);
	r->links[0].type = strdup("am\xff");
	cr_assert_eq(adr_record_serialize(&out, r), ADR_EINVALID);
	assert_msg("key 'links': 'am\xff 1' is not valid UTF-8");
	adr_buf_dispose(&out);
	adr_record_free(r);
}

Test(errors_record, link_types_that_are_not_lowercase_words)
{
	adr_record *r = parsed();
	cr_assert_eq(adr_record_add_link(r, "Amends", 1), ADR_EINVALID);
	assert_msg("link type 'Amends' is not a lowercase word ([a-z][a-z0-9-]*)");
	cr_assert_eq(adr_record_add_link(r, NULL, 1), ADR_EINVALID);
	assert_msg("link type '' is not a lowercase word ([a-z][a-z0-9-]*)");
	cr_assert_eq(r->nlinks, 0);
	/* One that got into the record by hand is refused by validation. */
	cr_assert_eq(adr_record_add_link(r, "amends", 1), 0, "%s", adr_error_last());
	free(r->links[0].type);
	r->links[0].type = strdup("Amends");
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	assert_msg("docs/decisions/0002-use-x.md: key 'links': link type 'Amends' is not a lowercase word "
		   "([a-z][a-z0-9-]*)");
	free(r->links[0].type);
	r->links[0].type = NULL;
	cr_assert_eq(adr_record_validate(r), ADR_EINVALID);
	assert_msg("docs/decisions/0002-use-x.md: key 'links': link type '' is not a lowercase word "
		   "([a-z][a-z0-9-]*)");
	adr_record_free(r);
}

Test(errors_record, slugs_that_are_no_file_name)
{
	adr_buf out = ADR_BUF_INIT;
	cr_assert_eq(adr_buf_puts(&out, "kept"), 0);
	cr_assert_eq(adr_record_filename(&out, 3, "a/b"), ADR_EINVALID);
	assert_msg("slug 'a/b' is not a file name");
	cr_assert_eq(adr_record_filename(&out, 3, ".hidden"), ADR_EINVALID);
	assert_msg("slug '.hidden' is not a file name");
	cr_assert_eq(adr_record_filename(&out, 3, "-x"), ADR_EINVALID);
	assert_msg("slug '-x' is not a file name");
	cr_assert_str_eq(out.ptr, "kept");
	adr_buf_dispose(&out);
}

Test(errors_record, meeting_without_decisions)
{
	adr_meeting m;
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_strlist paths = ADR_STRLIST_INIT;
	memset(&m, 0, sizeof(m));
	cr_assert_eq(adr_strlist_add(&m.attendees, "Ana Lima"), 0);
	/* The check comes before the repository is used. */
	cr_assert_eq(adr_op_meeting(&res, &paths, NULL, &m), ADR_EUSAGE);
	assert_msg("no decisions to record");
	cr_assert_eq(paths.count, 0);
	adr_meeting_dispose(&m);
	adr_op_result_dispose(&res);
}
