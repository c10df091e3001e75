/*
 * test_errors_repo.c: adr_repo_open() given a directory by a library caller
 * (the CLI changes to it and passes NULL), where it is no repository or
 * one whose git config cannot be parsed (issue 11, error-path coverage).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/repo.h"
#include "testutil.h"

TestSuite(errors_repo, .init = tu_setup, .fini = tu_teardown, .timeout = 30);

Test(errors_repo, open_a_directory_that_is_no_repository)
{
	char dir[TU_PATH_BUF], expect[TU_PATH_BUF + 64];
	adr_repo *repo = NULL;

	snprintf(dir, sizeof(dir), "%s/plain", tu_root);
	cr_assert_eq(tu_sh("mkdir '%s'", dir), 0);
	cr_assert_eq(setenv("GIT_CEILING_DIRECTORIES", tu_root, 1), 0);
	cr_assert_eq(adr_repo_open(&repo, dir), ADR_ENOTFOUND);
	cr_assert_null(repo);
	snprintf(expect, sizeof(expect), "not a git repository (or any parent up to /): %s", dir);
	cr_assert_str_eq(adr_error_last(), expect);
	tu_assert_out("", "ls -A '%s'", dir);
}

Test(errors_repo, open_a_directory_with_a_broken_git_config)
{
	char expect[TU_PATH_BUF + 64];
	adr_repo *repo = NULL;
	char *before;

	tu_git_init("main");
	tu_run("printf '[core\\n' >>.git/config");
	before = tu_capture_ok("cat .git/config");
	cr_assert_lt(adr_repo_open(&repo, tu_repo_dir), 0);
	cr_assert_null(repo);
	snprintf(expect, sizeof(expect), "cannot open the repository at '%s': failed to parse config file: ",
		 tu_repo_dir);
	cr_assert(strncmp(adr_error_last(), expect, strlen(expect)) == 0, "%s", adr_error_last());
	tu_assert_out(before, "cat .git/config");
	free(before);
}
