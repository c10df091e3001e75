/*
 * test_errors_links.c: the error paths of lib/log/links.c that broken
 * repositories reach: the decision branch or HEAD pointing at a blob, a
 * commit id that is not hex, a loose object whose bytes are not zlib, and a
 * commit whose tree is missing. Both functions only read: each test checks
 * the message and that nothing was returned.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/links.h"
#include "adr/repo.h"
#include "testutil.h"

TestSuite(errors_links, .init = tu_setup, .fini = tu_teardown);

#define ZERO_ID "0123456789012345678901234567890123456789"

/* main with one commit; HEAD on a branch "work" at the same commit. */
static void base(void)
{
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-use-postgres.md",
		      "---\nstatus: accepted\ndate: 2026-11-01\n---\n# Use PostgreSQL\n");
	tu_commit_all("base");
	tu_run("git checkout -q -b work");
}

static void point_at_blob(const char *branch)
{
	tu_run("b=$(git rev-parse HEAD:docs/decisions/0001-use-postgres.md) && echo $b > .git/refs/heads/%s", branch);
}

Test(errors_links, decision_branch_is_a_blob)
{
	adr_commit_links l = ADR_COMMIT_LINKS_INIT;
	adr_repo *repo;
	base();
	repo = tu_open_ok(tu_repo_dir);
	point_at_blob("main");
	cr_assert_lt(adr_links_walk(&l, repo), 0);
	tu_assert_msg_has("cannot walk refs/heads/main: ");
	cr_assert_eq(l.count, 0);
	adr_commit_links_dispose(&l);
	adr_repo_free(repo);
}

Test(errors_links, head_is_a_blob)
{
	adr_commit_links l = ADR_COMMIT_LINKS_INIT;
	adr_repo *repo;
	base();
	repo = tu_open_ok(tu_repo_dir);
	point_at_blob("work");
	cr_assert_lt(adr_links_walk(&l, repo), 0);
	tu_assert_msg_has("cannot walk HEAD: ");
	cr_assert_eq(l.count, 0);
	adr_commit_links_dispose(&l);
	adr_repo_free(repo);
}

Test(errors_links, touches_with_a_bad_id)
{
	bool touches = true;
	adr_repo *repo;
	base();
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_commit_touches(&touches, repo, "HEAD", "docs"), ADR_EINVALID);
	cr_assert_str_eq(adr_error_last(), "'HEAD' is not a commit id");
	cr_assert(!touches);
	adr_repo_free(repo);
}

Test(errors_links, touches_a_corrupt_object)
{
	bool touches = true;
	adr_repo *repo;
	base();
	repo = tu_open_ok(tu_repo_dir);
	/* A loose object file that is not zlib data. */
	tu_run("mkdir -p .git/objects/01 && printf 'not zlib' > .git/objects/01/23456789012345678901234567890123456789");
	/* An absent commit touches nothing; a corrupt one is an error. */
	cr_assert_eq(adr_commit_touches(&touches, repo, "1123456789012345678901234567890123456789", "docs"), 0);
	cr_assert(!touches);
	touches = true;
	cr_assert_eq(adr_commit_touches(&touches, repo, ZERO_ID, "docs"), ADR_EGIT);
	tu_assert_msg_has("cannot read commit " ZERO_ID ": ");
	cr_assert(!touches);
	adr_repo_free(repo);
}

Test(errors_links, touches_a_commit_whose_tree_is_missing)
{
	bool touches = true;
	adr_repo *repo;
	char *c, expect[128];
	base();
	repo = tu_open_ok(tu_repo_dir);
	c = tu_capture_ok("printf 'tree " ZERO_ID "\\nauthor A <a@x> 1 +0000\\ncommitter A <a@x> 1 +0000\\n\\nx\\n' | "
			  "git hash-object -t commit -w --stdin --literally");
	cr_assert_eq(adr_commit_touches(&touches, repo, c, "docs"), ADR_ENOTFOUND);
	snprintf(expect, sizeof(expect), "cannot compare commit %s with its parent: ", c);
	tu_assert_msg_has(expect);
	cr_assert(!touches);
	free(c);
	adr_repo_free(repo);
}
