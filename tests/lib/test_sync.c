/*
 * test_sync.c: the error paths of adr sync's library parts that a command
 * line cannot reach on purpose: lib/log/sync.c (a caller's options struct of
 * an unknown version), lib/git/advance.c (a branch that moved under the
 * fast-forward, with and without a work tree to follow), lib/git/integrate.c
 * (commits that are not there) and lib/git/remote.c (no such remote). Each
 * checks the message and that nothing moved.
 */
#include <criterion/criterion.h>
#include <git2.h>

#include <string.h>

#include "adr/sync.h"
#include "git/integrate_internal.h"
#include "git/remote_internal.h"
#include "util/error.h"
#include "testutil.h"

TestSuite(sync, .init = tu_setup, .fini = tu_teardown);

/* main with two commits (the second checked out), and a branch `other` at the first. */
static adr_repo *two_commits(git_oid *first, git_oid *second)
{
	char *a, *b;
	tu_git_init("main");
	tu_write_file("docs/decisions/one.md", "one\n");
	tu_commit_all("one");
	tu_write_file("docs/decisions/two.md", "two\n");
	tu_commit_all("two");
	tu_run("git branch other main~1");
	a = tu_capture_ok("git rev-parse main~1");
	b = tu_capture_ok("git rev-parse main");
	cr_assert_eq(git_oid_fromstr(first, a), 0);
	cr_assert_eq(git_oid_fromstr(second, b), 0);
	free(a);
	free(b);
	return tu_open_ok(tu_repo_dir);
}

Test(sync, unknown_options_version)
{
	git_oid a, b;
	adr_repo *repo = two_commits(&a, &b);
	adr_sync_opts o = ADR_SYNC_OPTS_INIT;
	adr_sync_result res = ADR_SYNC_RESULT_INIT;

	o.version = 99;
	cr_assert_eq(adr_sync_run(&res, repo, &o), ADR_EUSAGE);
	cr_assert(strstr(adr_error_last(), "unknown version 99"), "%s", adr_error_last());
	adr_sync_result_dispose(&res);
	adr_repo_free(repo);
}

Test(sync, no_such_remote)
{
	git_oid a, b;
	adr_repo *repo = two_commits(&a, &b);
	adr__remote r;

	cr_assert_eq(adr__remote_open(&r, repo, "nowhere", NULL, NULL), ADR_ENOTFOUND);
	cr_assert(strstr(adr_error_last(), "no remote 'nowhere'"), "%s", adr_error_last());
	adr__remote_close(&r);
	adr_repo_free(repo);
}

/* The checked-out branch is not where the caller read it: nothing moves. */
Test(sync, advance_checked_out_branch_moved)
{
	git_oid a, b;
	adr_repo *repo = two_commits(&a, &b);
	adr_buf w = ADR_BUF_INIT;
	char *before, *after, *status;

	before = tu_capture_ok("git rev-parse main");
	cr_assert_eq(adr__branch_advance(repo, "refs/heads/main", &a, &b, "test", &w), ADR_EBUSY);
	cr_assert(strstr(adr_error_last(), "'refs/heads/main' changed while adr was updating it"), "%s",
		  adr_error_last());
	after = tu_capture_ok("git rev-parse main");
	status = tu_capture_ok("git status --porcelain");
	cr_assert_str_eq(after, before);
	cr_assert_str_eq(status, "");
	free(before);
	free(after);
	free(status);
	adr_buf_dispose(&w);
	adr_repo_free(repo);
}

/* A branch no work tree has: the compare-and-swap itself refuses. */
Test(sync, advance_branch_moved)
{
	git_oid a, b;
	adr_repo *repo = two_commits(&a, &b);
	adr_buf w = ADR_BUF_INIT;

	cr_assert_eq(adr__branch_advance(repo, "refs/heads/other", &b, &a, "test", &w), ADR_EBUSY);
	cr_assert(strstr(adr_error_last(), "'refs/heads/other' changed"), "%s", adr_error_last());
	cr_assert_eq(adr__branch_advance(repo, "refs/heads/other", &a, &b, "test", &w), 0);
	cr_assert_eq(w.size, 0);
	adr_buf_dispose(&w);
	adr_repo_free(repo);
}

/* Commits that are not in the repository. */
Test(sync, integrate_missing_commits)
{
	git_oid a, b, missing;
	adr_repo *repo = two_commits(&a, &b);
	bool outside;
	size_t n;

	cr_assert_eq(git_oid_fromstr(&missing, "1111111111111111111111111111111111111111"), 0);
	cr_assert_lt(adr__merge_tips(&missing, repo, &b, &missing, "m\n"), 0);
	cr_assert(strstr(adr_error_last(), "cannot read commit 1111111"), "%s", adr_error_last());
	cr_assert_lt(adr__commits_outside(&outside, repo, &missing, &a, "docs/decisions"), 0);
	cr_assert(strstr(adr_error_last(), "cannot read commit 1111111"), "%s", adr_error_last());
	cr_assert_eq(adr__commits_outside(&outside, repo, &b, &a, "docs/decisions"), 0);
	cr_assert(!outside);
	cr_assert_eq(adr__commits_outside(&outside, repo, &b, &a, "docs/other"), 0);
	cr_assert(outside);
	cr_assert_eq(adr__replay(&missing, &n, repo, &a, &b, NULL), 0);
	cr_assert_eq(n, 0); /* a is in b already: nothing to replay */
	adr_repo_free(repo);
}
