/*
 * test_why.c: adr_why (adr/why.h), which decisions govern a path, and
 * adr_capture_record (adr/capture.h), the record the post-commit hook
 * writes. The end-to-end behaviour is in tests/cli/t_why.sh and
 * tests/cli/t_hooks_capture.sh; these cover what the CLI cannot reach: a
 * directory given in the options, and a current directory that is gone.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adr/capture.h"
#include "adr/ops.h"
#include "adr/why.h"
#include "testutil.h"

static void why_setup(void)
{
	tu_setup();
	setenv("ADR_NOW", "2030-01-02", 1);
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-use-c.md",
		      "---\nstatus: accepted\ndate: 2030-01-01\naffects: [\"src/**\"]\n---\n# Use C\n\nBody.\n");
	tu_write_file("docs/decisions/0002-other.md", "---\nstatus: accepted\ndate: 2030-01-01\n---\n# Other\n");
	tu_write_file("src/main.c", "int main(void) { return 0; }\n");
	tu_commit_all("start");
	tu_write_file("README.md", "notes\n");
	tu_run("git add README.md && git commit -q -m 'Add a readme' -m 'Refs: ADR-0002'");
}

TestSuite(why, .init = why_setup, .fini = tu_teardown, .timeout = 30);

Test(why, globs_and_commits_from_a_given_directory)
{
	adr_repo *repo = tu_open_ok(tu_repo_dir);
	adr_why_opts opts = ADR_WHY_OPTS_INIT;
	adr_why_result *res = NULL;
	char dir[TU_PATH_BUF];

	snprintf(dir, sizeof(dir), "%s/src", tu_repo_dir);
	opts.cwd = dir;
	cr_assert_eq(adr_why(&res, repo, "./main.c", &opts), 0, "%s", adr_error_last());
	cr_assert_str_eq(res->path, "src/main.c");
	cr_assert_eq(res->count, 1);
	cr_assert_eq(res->items[0].record->number, 1);
	cr_assert_eq(res->items[0].nglobs, 1);
	cr_assert_str_eq(res->items[0].globs[0], "src/**");
	cr_assert_eq(res->items[0].ncommits, 0);
	adr_why_result_free(res);

	cr_assert_eq(adr_why(&res, repo, "../README.md", &opts), 0, "%s", adr_error_last());
	cr_assert_eq(res->count, 1);
	cr_assert_eq(res->items[0].record->number, 2);
	cr_assert_eq(res->items[0].nglobs, 0);
	cr_assert_eq(res->items[0].ncommits, 1);
	cr_assert_str_eq(res->items[0].commits[0]->subject, "Add a readme");
	adr_why_result_free(res);

	cr_assert_eq(adr_why(&res, repo, "..", &opts), ADR_EINVALID);
	cr_assert_null(res);
	tu_assert_msg_has("'..' is the top of the repository");
	cr_assert_eq(adr_why(&res, repo, "../..", &opts), ADR_EINVALID);
	tu_assert_msg_has("'../..' is outside the repository");
	adr_why_result_free(NULL);
	adr_repo_free(repo);
}

Test(why, current_directory_gone)
{
	adr_repo *repo = tu_open_ok(tu_repo_dir);
	adr_why_result *res = NULL;
	char gone[TU_PATH_BUF];

	snprintf(gone, sizeof(gone), "%s/gone", tu_root);
	tu_sh("mkdir '%s'", gone);
	cr_assert_eq(chdir(gone), 0);
	tu_sh("rmdir '%s'", gone);
	cr_assert_eq(adr_why(&res, repo, "src/main.c", NULL), ADR_EOS);
	cr_assert_null(res);
	tu_assert_msg_has("cannot find the top of the work tree");
	adr_repo_free(repo);
}

Test(why, capture_record)
{
	adr_repo *repo = tu_open_ok(tu_repo_dir);
	adr_record *r = NULL;

	cr_assert_eq(adr_capture_record(&r, repo, "Use Zig", ADR_STATUS_PROPOSED, "We use Zig."), 0, "%s",
		     adr_error_last());
	cr_assert_eq(r->status, ADR_STATUS_PROPOSED);
	cr_assert_str_eq(r->title, "Use Zig");
	cr_assert_not_null(strstr(r->body, "## Decision\n\nWe use Zig.\n"), "%s", r->body);
	adr_record_free(r);

	cr_assert_eq(adr_capture_record(&r, repo, "Use Go", ADR_STATUS_ACCEPTED, ""), 0, "%s", adr_error_last());
	cr_assert_str_eq(r->date, "2030-01-02");
	cr_assert_null(strstr(r->body, "We use"));
	adr_record_free(r);
	adr_repo_free(repo);
}

Test(why, put_decision_without_heading)
{
	adr_record *r = NULL;
	const char *text = "---\nstatus: accepted\n---\n# T\n\nContext.";
	cr_assert_eq(adr_record_parse(&r, "t.md", text, strlen(text), 0), 0, "%s", adr_error_last());
	cr_assert_eq(adr_record_put_decision(r, "Decided."), 0);
	cr_assert_not_null(strstr(r->body, "Context.\n\n## Decision\n\nDecided.\n"), "%s", r->body);
	adr_record_free(r);
}
