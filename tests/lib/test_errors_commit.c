/*
 * test_errors_commit.c: the error paths of lib/git/commit.c that real inputs
 * reach: bad arguments from a caller, odd and broken repositories made with
 * git plumbing (symbolic branches, tips and trees that are missing, a
 * records directory whose tree is gone), a file size limit that makes the
 * object database refuse a write, a reflog that is a directory, and a
 * writer that moves the branch while a change is being built.
 *
 * Every test checks the message and that the branch, the work tree and the
 * index did not change.
 */
#include <criterion/criterion.h>
#include <git2.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "adr/commit.h"
#include "adr/record.h"
#include "adr/repo.h"
#include "util/error.h"
#include "git/repo_internal.h"
#include "testutil.h"

TestSuite(errors_commit, .init = tu_setup, .fini = tu_teardown);

/* A repository with one commit on main holding README and docs/keep.txt. */
static adr_repo *base_repo(void)
{
	tu_git_init("main");
	tu_write_file("README", "readme\n");
	tu_write_file("docs/keep.txt", "keep\n");
	tu_commit_all("base");
	return tu_open_ok(tu_repo_dir);
}

typedef struct {
	int (*act)(adr_change *ch, void *arg);
	void *arg;
	int calls;
} act_ctx;

static int act_fn(adr_change *ch, void *payload)
{
	act_ctx *c = payload;
	c->calls++;
	return c->act(ch, c->arg);
}

/* Runs one change with `act`; returns its result code. */
static int run_change(adr_repo *repo, int (*act)(adr_change *, void *), void *arg, const adr_commit_opts *opts)
{
	adr_commit_result res;
	act_ctx c = { act, arg, 0 };
	int rc = adr_repo_commit(&res, repo, act_fn, &c, opts);
	if (rc < 0)
		cr_assert_str_eq(res.commit, "", "a failed change reports a commit");
	adr_commit_result_dispose(&res);
	return rc;
}

static char *rev(const char *what)
{
	return tu_capture("git rev-parse --verify -q '%s'", what);
}

/* The state a failed change must leave alone. */
typedef struct {
	char *refs;
	char *status;
	char *index;
} snapshot;

static snapshot snap(void)
{
	snapshot s;
	s.refs = tu_capture_ok("git for-each-ref --format='%%(refname) %%(objectname)'");
	s.status = tu_capture_ok("git status --porcelain --ignored");
	s.index = tu_capture_ok("git ls-files -s");
	return s;
}

static void same_as(snapshot before)
{
	snapshot now = snap();
	cr_assert_str_eq(now.refs, before.refs, "the refs changed");
	cr_assert_str_eq(now.status, before.status, "the work tree changed");
	cr_assert_str_eq(now.index, before.index, "the index changed");
	free(now.refs), free(now.status), free(now.index);
	free(before.refs), free(before.status), free(before.index);
}

#define assert_msg_eq(expect) cr_assert_str_eq(adr_error_last(), (expect))

/* --- records through the change ------------------------------------------ */

static int write_rec(adr_change *ch, void *arg)
{
	int rc = adr_change_write_record(ch, arg);
	if (rc == 0)
		rc = adr_change_set_subject(ch, "test");
	return rc;
}

Test(errors_commit, record_without_path)
{
	adr_repo *repo = base_repo();
	adr_record *r = NULL;
	snapshot before = snap();
	cr_assert_eq(adr_record_new(&r), 0);
	cr_assert_eq(run_change(repo, write_rec, r, NULL), ADR_EINVALID);
	assert_msg_eq("record has no path");
	same_as(before);
	adr_record_free(r);
	adr_repo_free(repo);
}

Test(errors_commit, invalid_record_names_its_path_once)
{
	adr_repo *repo = base_repo();
	adr_record *r = NULL;
	snapshot before = snap();
	cr_assert_eq(adr_record_new(&r), 0);
	r->path = strdup("docs/decisions/0001-x.md");
	memcpy(r->date, "2026-13-40", 11);
	cr_assert_eq(run_change(repo, write_rec, r, NULL), ADR_EINVALID);
	assert_msg_eq("docs/decisions/0001-x.md: key 'date': '2026-13-40' is not a valid date (YYYY-MM-DD)");
	same_as(before);
	adr_record_free(r);
	adr_repo_free(repo);
}

Test(errors_commit, record_over_the_size_limit)
{
	adr_repo *repo = base_repo();
	adr_record *r = NULL;
	char expect[256];
	adr_buf b = ADR_BUF_INIT;
	snapshot before = snap();
	cr_assert_eq(adr_record_new(&r), 0);
	r->path = strdup("docs/decisions/0001-x.md");
	cr_assert_eq(adr_record_set_title(r, "Big"), 0);
	free(r->body);
	r->body = tu_repeat("0123456789abcdef\n", ADR_RECORD_MAX + 100);
	cr_assert_eq(adr_record_serialize(&b, r), 0);
	cr_assert_gt(b.size, ADR_RECORD_MAX);
	cr_assert_eq(run_change(repo, write_rec, r, NULL), ADR_EINVALID);
	snprintf(expect, sizeof(expect), "docs/decisions/0001-x.md: record would be %zu bytes, the limit is %d",
		 b.size, ADR_RECORD_MAX);
	assert_msg_eq(expect);
	same_as(before);
	adr_buf_dispose(&b);
	adr_record_free(r);
	adr_repo_free(repo);
}

/* --- reading through the change on an unborn branch ----------------------- */

typedef struct {
	int rc_read, rc_path;
	char msg_read[256], msg_path[256];
} unborn_ctx;

static int read_unborn(adr_change *ch, void *arg)
{
	unborn_ctx *u = arg;
	adr_buf b = ADR_BUF_INIT;
	u->rc_read = adr_change_read(ch, &b, "README");
	snprintf(u->msg_read, sizeof(u->msg_read), "%s", adr_error_last());
	u->rc_path = adr__change_record_path(&b, ch, 7);
	snprintf(u->msg_path, sizeof(u->msg_path), "%s", adr_error_last());
	adr_buf_dispose(&b);
	return adr__error(ADR_ERROR, "stop");
}

Test(errors_commit, reads_on_an_unborn_branch)
{
	adr_repo *repo;
	unborn_ctx u;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(run_change(repo, read_unborn, &u, NULL), ADR_ERROR);
	cr_assert_eq(u.rc_read, ADR_ENOTFOUND);
	cr_assert_str_eq(u.msg_read, "'README' does not exist");
	cr_assert_eq(u.rc_path, ADR_ENOTFOUND);
	cr_assert_str_eq(u.msg_path, "record 0007 does not exist");
	{
		char *got_ = rev("refs/heads/main");
		cr_assert_str_eq(got_, "", "the unborn branch was born");
		free(got_);
	}
	adr_repo_free(repo);
}

/* --- arguments ------------------------------------------------------------ */

static int many_parents(adr_change *ch, void *arg)
{
	const char *head = arg;
	int rc;
	for (int i = 0; i < 3; i++)
		if ((rc = adr_change_add_parent(ch, head)) < 0)
			return adr__error(ADR_ERROR, "parent %d refused: %s", i, adr_error_last());
	return adr_change_add_parent(ch, head);
}

Test(errors_commit, a_fourth_extra_parent_is_refused)
{
	adr_repo *repo = base_repo();
	char *head = rev("HEAD");
	snapshot before = snap();
	cr_assert_eq(run_change(repo, many_parents, head, NULL), ADR_EINVALID);
	assert_msg_eq("too many parents");
	same_as(before);
	free(head);
	adr_repo_free(repo);
}

static int missing_parent(adr_change *ch, void *arg)
{
	int rc;
	(void)arg;
	if ((rc = adr_change_add_parent(ch, "0123456789012345678901234567890123456789")) < 0 ||
	    (rc = adr_change_write(ch, "new.txt", "x\n", 2)) < 0)
		return rc;
	return adr_change_set_subject(ch, "merge");
}

Test(errors_commit, a_parent_that_does_not_exist)
{
	adr_repo *repo = base_repo();
	snapshot before = snap();
	cr_assert_eq(run_change(repo, missing_parent, NULL, NULL), ADR_ENOTFOUND);
	tu_assert_msg_has("parent 0123456789012345678901234567890123456789 is missing: ");
	same_as(before);
	cr_assert(!tu_exists("new.txt"));
	adr_repo_free(repo);
}

static int no_subject(adr_change *ch, void *arg)
{
	(void)arg;
	return adr_change_write(ch, "new.txt", "x\n", 2);
}

Test(errors_commit, a_change_without_a_subject)
{
	adr_repo *repo = base_repo();
	snapshot before = snap();
	cr_assert_eq(run_change(repo, no_subject, NULL, NULL), ADR_EINVALID);
	assert_msg_eq("internal error: a change without a subject");
	same_as(before);
	adr_repo_free(repo);
}

static int write_one(adr_change *ch, void *arg)
{
	int rc = adr_change_write(ch, arg ? arg : "new.txt", "x\n", 2);
	return rc < 0 ? rc : adr_change_set_subject(ch, "write one");
}

Test(errors_commit, start_point_not_a_commit_id)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	snapshot before = snap();
	o.branch = "refs/heads/proposal";
	o.start_point = "main";
	cr_assert_eq(run_change(repo, write_one, NULL, &o), ADR_EINVALID);
	assert_msg_eq("'main' is not a commit id");
	same_as(before);
	adr_repo_free(repo);
}

Test(errors_commit, start_point_missing)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	snapshot before = snap();
	o.branch = "refs/heads/proposal";
	o.start_point = "0123456789012345678901234567890123456789";
	cr_assert_eq(run_change(repo, write_one, NULL, &o), ADR_ENOTFOUND);
	tu_assert_msg_has("start point 0123456789012345678901234567890123456789 is missing: ");
	same_as(before);
	adr_repo_free(repo);
}

Test(errors_commit, branch_name_invalid)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	snapshot before = snap();
	o.branch = "refs/heads/a..b";
	cr_assert_eq(run_change(repo, write_one, NULL, &o), ADR_EGIT);
	tu_assert_msg_has("cannot read branch 'refs/heads/a..b': ");
	same_as(before);
	adr_repo_free(repo);
}

Test(errors_commit, branch_is_symbolic)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	snapshot before;
	tu_run("git symbolic-ref refs/heads/alias refs/heads/main");
	before = snap();
	o.branch = "refs/heads/alias";
	cr_assert_eq(run_change(repo, write_one, NULL, &o), ADR_EINVALID);
	assert_msg_eq("branch 'refs/heads/alias' is a symbolic reference");
	same_as(before);
	{
		char *got_ = tu_capture("git symbolic-ref refs/heads/alias");
		cr_assert_str_eq(got_, "refs/heads/main");
		free(got_);
	}
	adr_repo_free(repo);
}

Test(errors_commit, tip_missing)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	snapshot before;
	/* git refuses to point a ref at a missing object: write the file. */
	tu_write_file(".git/refs/heads/gone", "0123456789012345678901234567890123456789\n");
	before = snap();
	o.branch = "refs/heads/gone";
	o.no_worktree = true;
	cr_assert_eq(run_change(repo, write_one, NULL, &o), ADR_ENOTFOUND);
	tu_assert_msg_has("the tip of 'refs/heads/gone' is missing or corrupt: ");
	same_as(before);
	adr_repo_free(repo);
}

Test(errors_commit, tip_is_a_blob)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	char *blob = tu_capture_ok("git rev-parse HEAD:README");
	snapshot before;
	tu_run("printf '%%s\\n' %s > .git/refs/heads/blob", blob);
	before = snap();
	o.branch = "refs/heads/blob";
	o.no_worktree = true;
	cr_assert_lt(run_change(repo, write_one, NULL, &o), 0);
	tu_assert_msg_has("the tip of 'refs/heads/blob' is missing or corrupt: ");
	same_as(before);
	free(blob);
	adr_repo_free(repo);
}

Test(errors_commit, tip_tree_missing)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	snapshot before;
	char *c;
	/* A commit whose tree was never written (hash-object --literally skips the check). */
	c = tu_capture_ok("printf 'tree 0123456789012345678901234567890123456789\\nauthor A <a@x> 1 +0000\\n"
			  "committer A <a@x> 1 +0000\\n\\nbroken\\n' | git hash-object -t commit -w --stdin --literally");
	tu_run("printf '%%s\\n' %s > .git/refs/heads/broken", c);
	before = snap();
	o.branch = "refs/heads/broken";
	o.no_worktree = true;
	cr_assert_eq(run_change(repo, write_one, NULL, &o), ADR_ENOTFOUND);
	tu_assert_msg_has("the tree of 'refs/heads/broken' is missing or corrupt: ");
	same_as(before);
	free(c);
	adr_repo_free(repo);
}

/* --- trees ---------------------------------------------------------------- */

/* A branch "broken" whose tree has `dir` pointing at a tree that is not there. */
static void branch_with_missing_subtree(const char *dir)
{
	tu_run("t=$(printf '040000 tree 0123456789012345678901234567890123456789\\t%s\\n' | git mktree --missing) && "
	       "c=$(git commit-tree -m broken $t) && git update-ref refs/heads/broken $c",
	       dir);
}

Test(errors_commit, subtree_missing)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	snapshot before;
	branch_with_missing_subtree("docs");
	before = snap();
	o.branch = "refs/heads/broken";
	o.no_worktree = true;
	cr_assert_eq(run_change(repo, write_one, "docs/new.txt", &o), ADR_ENOTFOUND);
	tu_assert_msg_has("tree 'docs' is missing or corrupt: ");
	same_as(before);
	adr_repo_free(repo);
}

static int next_number(adr_change *ch, void *arg)
{
	int n = 0;
	(void)arg;
	return adr_change_next_number(ch, &n);
}

Test(errors_commit, records_directory_tree_missing)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	snapshot before;
	tu_run("t=$(printf '040000 tree 0123456789012345678901234567890123456789\\tdecisions\\n' | git mktree --missing) && "
	       "t=$(printf '040000 tree %%s\\tdocs\\n' $t | git mktree --missing) && "
	       "c=$(git commit-tree -m broken $t) && git update-ref refs/heads/broken $c");
	before = snap();
	o.branch = "refs/heads/broken";
	o.no_worktree = true;
	cr_assert_eq(run_change(repo, next_number, NULL, &o), ADR_ENOTFOUND);
	tu_assert_msg_has("records directory 'docs/decisions' is missing or corrupt: ");
	same_as(before);
	adr_repo_free(repo);
}

/* With core.protectHFS, libgit2 refuses names that HFS+ folds to ".git"
 * (".g" U+200C "it"), which the portable path check lets through. */
Test(errors_commit, name_refused_by_the_tree_builder)
{
	adr_repo *repo;
	snapshot before;
	tu_git_init("main");
	tu_write_file("README", "readme\n");
	tu_commit_all("base");
	tu_run("git config core.protectHFS true");
	repo = tu_open_ok(tu_repo_dir);
	before = snap();
	cr_assert_eq(run_change(repo, write_one, ".g\xe2\x80\x8cit", NULL), ADR_EGIT);
	tu_assert_msg_has("cannot place '.g\xe2\x80\x8cit' in the tree: ");
	cr_assert_eq(run_change(repo, write_one, ".g\xe2\x80\x8cit/config", NULL), ADR_EGIT);
	tu_assert_msg_has("cannot place '.g\xe2\x80\x8cit' in the tree: ");
	same_as(before);
	adr_repo_free(repo);
}

/* --- signatures ------------------------------------------------------------ */

Test(errors_commit, config_broken_after_open)
{
	adr_repo *repo = base_repo();
	snapshot before = snap();
	unsetenv("GIT_AUTHOR_NAME");
	tu_run("cp .git/config .git/config.good && printf '[user\\n\\tname = x\\n' >> .git/config");
	cr_assert_eq(run_change(repo, write_one, NULL, NULL), ADR_EGIT);
	tu_assert_msg_has("cannot read git config: ");
	tu_run("mv .git/config.good .git/config");
	same_as(before);
	cr_assert(!tu_exists("new.txt"));
	adr_repo_free(repo);
}

Test(errors_commit, author_name_with_angle_brackets)
{
	adr_repo *repo = base_repo();
	snapshot before = snap();
	setenv("GIT_AUTHOR_NAME", "A <U> Thor", 1);
	cr_assert_eq(run_change(repo, write_one, NULL, NULL), ADR_EGIT);
	tu_assert_msg_has("invalid author: ");
	same_as(before);
	cr_assert(!tu_exists("new.txt"));
	adr_repo_free(repo);
}

/* --- writing objects and the ref ------------------------------------------ */

/* With the file size limit at 0 (SIGXFSZ ignored), every write to a regular
 * file fails with EFBIG: the object database refuses new objects. The limit
 * is restored at once (gcov and criterion write files when the test ends). */
static int commit_with_no_room(adr_repo *repo, int (*act)(adr_change *, void *), void *arg,
			       const adr_commit_opts *opts)
{
	struct rlimit old, lim;
	int rc;
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 0;
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = run_change(repo, act, arg, opts);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	return rc;
}

Test(errors_commit, blob_cannot_be_written)
{
	adr_repo *repo = base_repo();
	snapshot before = snap();
	cr_assert_eq(commit_with_no_room(repo, write_one, NULL, NULL), ADR_EGIT);
	tu_assert_msg_has("cannot write 'new.txt' to the object database: ");
	same_as(before);
	cr_assert(!tu_exists("new.txt"));
	adr_repo_free(repo);
}

static int delete_one(adr_change *ch, void *arg)
{
	int rc = adr_change_delete(ch, arg);
	return rc < 0 ? rc : adr_change_set_subject(ch, "delete one");
}

Test(errors_commit, tree_cannot_be_written)
{
	adr_repo *repo = base_repo();
	snapshot before = snap();
	cr_assert_eq(commit_with_no_room(repo, delete_one, "README", NULL), ADR_EGIT);
	tu_assert_msg_has("cannot write a tree: ");
	same_as(before);
	{
		char *got_ = tu_read_file("README");
		cr_assert_str_eq(got_, "readme\n");
		free(got_);
	}
	adr_repo_free(repo);
}

static int nothing(adr_change *ch, void *arg)
{
	(void)arg;
	return adr_change_set_subject(ch, "empty");
}

Test(errors_commit, commit_cannot_be_written)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	snapshot before = snap();
	o.allow_empty = true;
	cr_assert_eq(commit_with_no_room(repo, nothing, NULL, &o), ADR_EGIT, "%s", adr_error_last());
	tu_assert_msg_has("cannot write the commit: ");
	same_as(before);
	adr_repo_free(repo);
}

/* The reflog of the branch is a directory with a file in it: libgit2 cannot
 * append to it and does not move the branch; the file written into the work
 * tree goes back. (An empty directory there libgit2 removes.) */
Test(errors_commit, reflog_is_a_directory)
{
	adr_repo *repo = base_repo();
	snapshot before;
	tu_run("rm .git/logs/refs/heads/main && mkdir .git/logs/refs/heads/main && : > .git/logs/refs/heads/main/x");
	before = snap();
	cr_assert_eq(run_change(repo, write_one, NULL, NULL), ADR_EGIT, "%s", adr_error_last());
	tu_assert_msg_has("cannot update 'refs/heads/main': ");
	tu_assert_msg_has("there are reflogs beneath that folder");
	same_as(before);
	cr_assert(!tu_exists("new.txt"), "the work tree kept a file of a commit that did not land");
	adr_repo_free(repo);
}

/* A writer moves the branch while the change is built: with one attempt
 * allowed, the change gives up before it touches the work tree. */
static int move_then_write(adr_change *ch, void *arg)
{
	(void)arg;
	tu_run("c=$(git commit-tree -p HEAD -m other 'HEAD^{tree}') && git update-ref refs/heads/main $c");
	return write_one(ch, NULL);
}

Test(errors_commit, branch_keeps_moving_under_the_work_tree_lock)
{
	adr_repo *repo = base_repo();
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	char *tip;
	snapshot before = snap();
	o.max_attempts = 1;
	cr_assert_eq(run_change(repo, move_then_write, NULL, &o), ADR_EBUSY);
	assert_msg_eq("gave up after 1 attempts: 'refs/heads/main' keeps changing (retry later)");
	tip = tu_capture_ok("git log -1 --format=%%s main");
	cr_assert_str_eq(tip, "other", "the other writer's commit is the tip");
	cr_assert(!tu_exists("new.txt"));
	{
		char *got_ = tu_capture_ok("git ls-files -s");
		cr_assert_str_eq(got_, before.index, "the index changed");
		free(got_);
	}
	free(tip);
	free(before.refs), free(before.status), free(before.index);
	adr_repo_free(repo);
}
