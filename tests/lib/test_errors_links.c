/*
 * test_errors_links.c: the error paths of lib/log/links.c that broken
 * repositories reach: the decision branch or HEAD pointing at a blob, a
 * commit id that is not hex, a loose object whose bytes are not zlib, and a
 * commit whose tree is missing (also as the decision branch tip, and as a
 * commit whose reference must be read in its tree: log/refs.c). Both
 * functions only read: each test checks the message and that nothing was
 * returned.
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

/* The walk reads messages only; attributing references reads the records
 * of the decision branch tip, whose tree is missing here. */
Test(errors_links, records_of_a_tip_whose_tree_is_missing)
{
	adr_commit_links l = ADR_COMMIT_LINKS_INIT;
	adr_repo *repo;
	char *c;
	base();
	repo = tu_open_ok(tu_repo_dir);
	c = tu_capture_ok("printf 'tree " ZERO_ID "\\nauthor A <a@x> 1 +0000\\ncommitter A <a@x> 1 +0000\\n\\nx\\n' | "
			  "git hash-object -t commit -w --stdin --literally");
	tu_run("echo %s > .git/refs/heads/main", c);
	cr_assert_lt(adr_links_walk(&l, repo), 0);
	tu_assert_msg_has("cannot read the records of refs/heads/main: ");
	cr_assert_eq(l.count, 0);
	cr_assert_eq(l.nproblems, 0);
	adr_commit_links_dispose(&l);
	free(c);
	adr_repo_free(repo);
}

/* A reference whose commit cannot be read any more (its tree is gone) is a
 * problem that says so, not an error and not a link. */
Test(errors_links, reference_in_a_commit_whose_tree_is_missing)
{
	adr_commit_links l = ADR_COMMIT_LINKS_INIT;
	adr_repo *repo;
	char *c, *renum;
	base();
	repo = tu_open_ok(tu_repo_dir);
	tu_run("git checkout -q main && git mv docs/decisions/0001-use-postgres.md docs/decisions/0002-use-postgres.md"
	       " && git commit -q -m renumber -m \"$(printf 'Adr-Action: renumber\\nAdr-Renumber: 0001 -> 0002 use-postgres')\"");
	renum = tu_capture_ok("git rev-parse HEAD");
	c = tu_capture_ok("printf 'tree " ZERO_ID "\\nparent %s\\nauthor A <a@x> 1 +0000\\ncommitter A <a@x> 1 +0000\\n\\nx\\n\\n"
			  "Refs: ADR-0001\\n' | git hash-object -t commit -w --stdin --literally", renum);
	tu_run("echo %s > .git/refs/heads/work && git symbolic-ref HEAD refs/heads/work", c);
	cr_assert_eq(adr_links_walk(&l, repo), 0);
	cr_assert_eq(l.count, 0);
	cr_assert_eq(l.nproblems, 1);
	cr_assert(strstr(l.problems[0].message, "refers to ADR-0001, not attributed: ADR-0001 is ambiguous: commit ") != NULL,
		  "%s", l.problems[0].message);
	cr_assert(strstr(l.problems[0].message, "cannot be read") != NULL, "%s", l.problems[0].message);
	adr_commit_links_dispose(&l);
	free(c);
	free(renum);
	adr_repo_free(repo);
}
