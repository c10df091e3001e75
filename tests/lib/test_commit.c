/*
 * test_commit.c: adr__path_validate and adr_repo_commit, the one-commit,
 * one-compare-and-swap writer: messages, parents, unborn branches, the work
 * tree and index, dirty paths, locks, concurrency and the author.
 *
 * Every test builds its own repository with the git command line in a fresh
 * mkdtemp directory (HOME points inside it, GIT_CONFIG_NOSYSTEM=1) and
 * removes it afterwards. git itself is the oracle for the results.
 */
#include <criterion/criterion.h>
#include <git2.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "adr/commit.h"
#include "adr/ops.h"
#include "adr/repo.h"
#include "util/error.h"
#include "testutil.h"
#include "util/path.h"

/* A repository with one commit on main holding README and docs/keep.txt. */
static adr_repo *base_repo(void)
{
	tu_git_init("main");
	tu_write_file("README", "readme\n");
	tu_write_file("docs/keep.txt", "keep\n");
	tu_commit_all("base");
	return tu_open_ok(tu_repo_dir);
}

/* A callback that stages a fixed set of writes and deletions. */
typedef struct {
	const char *path[4];
	const char *data[4]; /* NULL: delete */
	size_t n;
	const char *subject;
	const char *body;
	const char *tkey[3], *tval[3];
	int fail;            /* returned after staging when non-zero */
	int calls;
	char bases[4][41];   /* adr_change_base() of each call */
	void (*hook)(adr_change *ch, int call);
} simple_ctx;

static int simple_fn(adr_change *ch, void *payload)
{
	simple_ctx *c = payload;
	int rc;

	if (c->calls < 4)
		snprintf(c->bases[c->calls], sizeof(c->bases[0]), "%s", adr_change_base(ch));
	c->calls++;
	if (c->hook)
		c->hook(ch, c->calls);
	for (size_t i = 0; i < c->n; i++) {
		rc = c->data[i] ? adr_change_write(ch, c->path[i], c->data[i], strlen(c->data[i]))
				: adr_change_delete(ch, c->path[i]);
		if (rc < 0)
			return rc;
	}
	if ((rc = adr_change_set_subject(ch, "%s", c->subject ? c->subject : "test: change")) < 0)
		return rc;
	if (c->body && (rc = adr_change_set_body(ch, c->body)) < 0)
		return rc;
	for (int i = 0; i < 3 && c->tkey[i]; i++)
		if ((rc = adr_change_add_trailer(ch, c->tkey[i], c->tval[i])) < 0)
			return rc;
	if (c->fail)
		return adr__error(c->fail, "the callback says no");
	return 0;
}

static int commit1(adr_commit_result *res, adr_repo *repo, const char *path, const char *data)
{
	simple_ctx c = { .path = { path }, .data = { data }, .n = 1 };
	return adr_repo_commit(res, repo, simple_fn, &c, NULL);
}

TestSuite(commit, .init = tu_setup, .fini = tu_teardown, .timeout = 60);

/* --- adr__path_validate ------------------------------------------------------ */

Test(commit, path_validate_accepts)
{
	static const char *const good[] = {
		"a", "docs/decisions/0001-use-postgres.md", ".gitignore", ".github/workflows/ci.yml",
		"a/.gitx/b", "git~2", "con-x.md", "console.md", "com0", "lpt10.txt", "auxiliary",
		"file name.md", "caf\xc3\xa9.md", ".adr.yaml", ".adr/templates/default.md", "a-b_c.d",
		"x/y/z/w/v/u.md", "..a", "a..b", ".a", NULL
	};
	for (int i = 0; good[i]; i++)
		cr_assert_eq(adr__path_validate(good[i]), 0, "'%s': %s", good[i], adr_error_last());
}

static void refuse(const char *path, const char *why)
{
	cr_assert_eq(adr__path_validate(path), ADR_EINVALID, "'%s' should be refused", path);
	cr_assert_not_null(strstr(adr_error_last(), why), "'%s': message '%s' should say '%s'", path,
			   adr_error_last(), why);
}

Test(commit, path_validate_refuses)
{
	char long_name[300], long_path[310];

	refuse("", "empty path");
	refuse("/etc/passwd", "absolute");
	refuse("/", "absolute");
	refuse("a//b", "empty path component");
	refuse(".", "'.' and '..'");
	refuse("..", "'.' and '..'");
	refuse("./a", "'.' and '..'");
	refuse("a/./b", "'.' and '..'");
	refuse("a/../b", "'.' and '..'");
	refuse("../../x", "'.' and '..'");
	refuse("a/..", "'.' and '..'");
	refuse(".git", "'.git'");
	refuse(".git/config", "'.git'");
	refuse("a/.GIT/b", "'.git'");
	refuse(".Git", "'.git'");
	refuse(".git./x", "'.git'");
	refuse(".git ", "'.git'");
	refuse(".git.x", "'.git'");
	refuse("git~1", "git~1");
	refuse("GIT~1/hooks/x", "git~1");
	refuse("a.", "end in '.' or ' '");
	refuse("dir./b", "end in '.' or ' '");
	refuse("a ", "end in '.' or ' '");
	refuse("b/c ", "end in '.' or ' '");
	refuse("con", "reserved device name");
	refuse("CON", "reserved device name");
	refuse("aux.md", "reserved device name");
	refuse("docs/prn.txt", "reserved device name");
	refuse("Nul", "reserved device name");
	refuse("COM1", "reserved device name");
	refuse("com9.md", "reserved device name");
	refuse("lpt9.txt", "reserved device name");
	refuse("LPT1", "reserved device name");
	refuse("con .md", "reserved device name");
	refuse("a:b", "0x3a");
	refuse("aux:stream", "reserved device name");
	refuse("a\\b", "0x5c");
	refuse("a\tb", "0x09");
	refuse("a\nb", "0x0a");
	refuse("a\x01", "0x01");
	refuse("a\x7f" "b", "0x7f");
	refuse("a*b", "0x2a");
	refuse("a?b", "0x3f");
	refuse("a\"b", "0x22");
	refuse("a<b", "0x3c");
	refuse("a>b", "0x3e");
	refuse("a|b", "0x7c");
	refuse("a/", "trailing '/'");
	refuse("docs/decisions/", "trailing '/'");

	memset(long_name, 'x', 256);
	long_name[256] = '\0';
	snprintf(long_path, sizeof(long_path), "d/%s", long_name);
	refuse(long_path, "longer than 255 bytes");
	long_name[255] = '\0';
	cr_assert_eq(adr__path_validate(long_name), 0, "255 bytes is fine");

	/* The message quotes the path. */
	cr_assert_eq(adr__path_validate("x/../y"), ADR_EINVALID);
	tu_assert_msg_has("'x/../y'");
}

/* --- one commit per call ----------------------------------------------------- */

Test(commit, one_commit_per_call)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *base = tu_capture("git rev-parse main"), *head;
	simple_ctx c = {
		.path = { "x/a.txt", "x/y/b.txt" },
		.data = { "alpha\n", "beta\n" },
		.n = 2,
		.subject = "test: one",
		.body = "Some body text.\nSecond line.",
		.tkey = { "Adr-Action", "Adr-Record" },
		.tval = { "test", "0007" },
	};

	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, NULL), 0, "%s", adr_error_last());
	head = tu_capture("git rev-parse main");
	cr_assert_str_eq(res.commit, head);
	cr_assert_str_eq(res.parent, base);
	cr_assert_eq(res.attempts, 1);
	cr_assert_eq(c.calls, 1);
	cr_assert_str_eq(c.bases[0], base);
	cr_assert_not(res.unchanged);
	cr_assert(res.worktree_updated);
	cr_assert_null(res.warning);
	tu_assert_out("2", "git rev-list --count main");
	tu_assert_out(base, "git log -1 --format=%%P main");
	tu_assert_out("test: one\n\nSome body text.\nSecond line.\n\nAdr-Action: test\nAdr-Record: 0007",
		      "git cat-file commit main | sed '1,/^$/d'");
	tu_assert_out("test\n0007",
		      "git log -1 --format='%%(trailers:key=Adr-Action,valueonly)%%(trailers:key=Adr-Record,valueonly)' "
		      "main | sed '/^$/d'");
	tu_assert_out("alpha", "git show main:x/a.txt");
	tu_assert_out("beta", "git show main:x/y/b.txt");
	tu_assert_out("readme", "git show main:README");
	tu_assert_out("README\ndocs/keep.txt\nx/a.txt\nx/y/b.txt", "git ls-tree -r --name-only main");
	tu_assert_out("100644", "git ls-tree main x/a.txt | cut -c1-6");
	/* The work tree and index followed. */
	tu_assert_out("", "git status --porcelain");
	tu_assert_out("alpha", "cat x/a.txt");
	tu_assert_out("", "git fsck --strict --no-dangling 2>&1");
	adr_commit_result_dispose(&res);

	/* A second call: one more commit, parent is the first. */
	cr_assert_eq(commit1(&res, repo, "x/a.txt", "alpha 2\n"), 0, "%s", adr_error_last());
	cr_assert_str_eq(res.parent, head);
	tu_assert_out("3", "git rev-list --count main");
	tu_assert_out("test: change", "git cat-file commit main | sed '1,/^$/d'");
	tu_assert_out("alpha 2", "cat x/a.txt");
	tu_assert_out("", "git status --porcelain");
	/* The reflog says who moved the branch. */
	tu_assert_out("adr: test: change", "git reflog -1 --format=%%gs main");
	adr_commit_result_dispose(&res);
	free(base);
	free(head);
	adr_repo_free(repo);
}

Test(commit, unborn_branch)
{
	adr_repo *repo;
	adr_commit_result res;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(commit1(&res, repo, "docs/decisions/0001-a.md", "# A\n"), 0, "%s", adr_error_last());
	cr_assert_str_eq(res.parent, "");
	cr_assert_eq(strlen(res.commit), 40);
	tu_assert_out("1", "git rev-list --count main");
	tu_assert_out("", "git log -1 --format=%%P main");
	tu_assert_out(res.commit, "git rev-parse HEAD");
	cr_assert(res.worktree_updated);
	tu_assert_out("", "git status --porcelain");
	tu_assert_out("# A", "cat docs/decisions/0001-a.md");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

Test(commit, unchanged_tree_makes_no_commit)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	char *base = tu_capture("git rev-parse main");
	simple_ctx c = { .path = { "README" }, .data = { "readme\n" }, .n = 1 };

	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, NULL), 0, "%s", adr_error_last());
	cr_assert(res.unchanged);
	cr_assert_str_eq(res.commit, "");
	cr_assert_str_eq(res.parent, base);
	cr_assert_not(res.worktree_updated);
	tu_assert_out(base, "git rev-parse main");
	adr_commit_result_dispose(&res);

	/* Deleting something that does not exist changes nothing either. */
	c.data[0] = NULL;
	c.path[0] = "no/such/file";
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, NULL), 0, "%s", adr_error_last());
	cr_assert(res.unchanged);
	adr_commit_result_dispose(&res);

	/* allow_empty commits anyway. */
	opts.allow_empty = true;
	c.path[0] = "README";
	c.data[0] = "readme\n";
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, &opts), 0, "%s", adr_error_last());
	cr_assert_not(res.unchanged);
	tu_assert_out("2", "git rev-list --count main");
	tu_assert_out(base, "git rev-parse main~1");
	adr_commit_result_dispose(&res);
	free(base);
	adr_repo_free(repo);
}

Test(commit, delete_file)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	simple_ctx c = { .path = { "docs/keep.txt" }, .data = { NULL }, .n = 1 };
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, NULL), 0, "%s", adr_error_last());
	/* The emptied directory disappears from the tree. */
	tu_assert_out("README", "git ls-tree -r --name-only main");
	tu_assert_out("README", "git ls-tree --name-only main");
	cr_assert_not(tu_exists("docs/keep.txt"));
	tu_assert_out("", "git status --porcelain");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

/* A directory changed only by files in it is written in one merge pass
 * (git/commit.c merge_leaves): new names land in git's order around a
 * subdirectory whose name is their prefix ("a/" sorts after "a.d", before
 * "a0"), a deletion drops its entry, other entries keep their modes. git
 * is the oracle: fsck --strict checks the order, and the tree git writes
 * from the index is the commit's tree. */
Test(commit, files_merged_into_a_directory_in_git_order)
{
	tu_git_init("main");
	tu_write_file("docs/a/x", "x\n");
	tu_write_file("docs/a-b", "1\n");
	tu_write_file("docs/a.c", "2\n");
	tu_write_file("docs/a0", "3\n");
	tu_write_file("docs/b", "4\n");
	tu_run("chmod +x docs/b");
	tu_commit_all("base");
	adr_repo *repo = tu_open_ok(tu_repo_dir);
	adr_commit_result res;
	simple_ctx c = { .path = { "docs/a.d", "docs/a1", "docs/a0" }, .data = { "5\n", "6\n", NULL }, .n = 3 };
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, NULL), 0, "%s", adr_error_last());
	tu_assert_out("a-b\na.c\na.d\na\na1\nb", "git ls-tree --name-only main docs/ | sed 's,^docs/,,'");
	tu_assert_out("100755", "git ls-tree main docs/b | cut -c1-6");
	tu_run("git fsck --strict --no-progress");
	tu_assert_out("", "git status --porcelain");
	tu_assert_out("same", "test \"$(git write-tree)\" = \"$(git rev-parse 'main^{tree}')\" && echo same");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

/* What the change set shows the callback. */
typedef struct {
	int next[3];
	bool exists_before, exists_staged, exists_deleted;
	int read_staged, read_deleted, read_tip;
	char staged[64], tip[64];
} view_ctx;

static int view_fn(adr_change *ch, void *payload)
{
	view_ctx *v = payload;
	adr_buf b = ADR_BUF_INIT;
	int rc;

	if ((rc = adr_change_next_number(ch, &v->next[0])) < 0)
		return rc;
	v->exists_before = adr_change_exists(ch, "docs/decisions/0009-x.md");
	if ((rc = adr_change_write(ch, "docs/decisions/0009-x.md", "# X\n", 4)) < 0)
		return rc;
	/* Files outside the records directory and non-record names do not count. */
	if ((rc = adr_change_write(ch, "other/0100-y.md", "# Y\n", 4)) < 0 ||
	    (rc = adr_change_write(ch, "docs/decisions/sub/0200-z.md", "# Z\n", 4)) < 0)
		return rc;
	if ((rc = adr_change_next_number(ch, &v->next[1])) < 0)
		return rc;
	v->exists_staged = adr_change_exists(ch, "docs/decisions/0009-x.md");
	v->read_staged = adr_change_read(ch, &b, "docs/decisions/0009-x.md");
	snprintf(v->staged, sizeof(v->staged), "%s", b.ptr);
	v->read_tip = adr_change_read(ch, &b, "docs/decisions/0002-b.md");
	snprintf(v->tip, sizeof(v->tip), "%s", b.ptr);
	if ((rc = adr_change_delete(ch, "docs/decisions/0009-x.md")) < 0)
		return rc;
	v->exists_deleted = adr_change_exists(ch, "docs/decisions/0009-x.md");
	v->read_deleted = adr_change_read(ch, &b, "docs/decisions/0009-x.md");
	if ((rc = adr_change_next_number(ch, &v->next[2])) < 0)
		return rc;
	adr_buf_dispose(&b);
	return adr_change_set_subject(ch, "test: view");
}

Test(commit, change_set_view)
{
	adr_repo *repo;
	adr_commit_result res;
	view_ctx v;
	memset(&v, 0, sizeof(v));
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-a.md", "# A\n");
	tu_write_file("docs/decisions/0002-b.md", "# B\n");
	tu_commit_all("base");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_commit(&res, repo, view_fn, &v, NULL), 0, "%s", adr_error_last());
	cr_assert_eq(v.next[0], 3);
	cr_assert_eq(v.next[1], 10);
	cr_assert_eq(v.next[2], 3);
	cr_assert_not(v.exists_before);
	cr_assert(v.exists_staged);
	cr_assert_not(v.exists_deleted);
	cr_assert_eq(v.read_staged, 0);
	cr_assert_str_eq(v.staged, "# X\n");
	cr_assert_eq(v.read_tip, 0);
	cr_assert_str_eq(v.tip, "# B\n");
	cr_assert_eq(v.read_deleted, ADR_ENOTFOUND);
	tu_assert_out("docs/decisions/0001-a.md\ndocs/decisions/0002-b.md\ndocs/decisions/sub/0200-z.md\nother/0100-y.md",
		      "git ls-tree -r --name-only main");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

static int merge_fn(adr_change *ch, void *payload)
{
	const char *const *parents = payload;
	int rc;
	for (int i = 0; parents[i]; i++)
		if ((rc = adr_change_add_parent(ch, parents[i])) < 0)
			return rc;
	return adr_change_set_subject(ch, "test: merge");
}

Test(commit, merge_parent)
{
	adr_repo *repo;
	adr_commit_result res;
	char *side, *base;
	const char *parents[2] = { NULL, NULL };
	const char *bad[2] = { "not-a-commit", NULL };

	tu_git_init("main");
	tu_write_file("README", "readme\n");
	tu_commit_all("base");
	base = tu_capture("git rev-parse main");
	tu_run("git checkout -q -b side && echo s > side.txt && git add side.txt && git commit -q -m side && "
	       "git checkout -q main");
	side = tu_capture("git rev-parse side");
	repo = tu_open_ok(tu_repo_dir);
	parents[0] = side;
	/* The tree does not change, but a second parent is a change. */
	cr_assert_eq(adr_repo_commit(&res, repo, merge_fn, parents, NULL), 0, "%s", adr_error_last());
	cr_assert_not(res.unchanged);
	{
		char expect[100];
		snprintf(expect, sizeof(expect), "%s %s", base, side);
		tu_assert_out(expect, "git log -1 --format=%%P main");
	}
	adr_commit_result_dispose(&res);
	cr_assert_eq(adr_repo_commit(&res, repo, merge_fn, bad, NULL), ADR_EINVALID);
	tu_assert_msg_has("not-a-commit");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
	free(side);
	free(base);
}

Test(commit, file_in_the_way_of_a_directory)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *base = tu_capture("git rev-parse main");
	cr_assert_eq(commit1(&res, repo, "README/x.md", "x\n"), ADR_EINVALID);
	tu_assert_msg_has("'README' is a file");
	tu_assert_out(base, "git rev-parse main");
	adr_commit_result_dispose(&res);
	free(base);
	adr_repo_free(repo);
}

/* --- nothing written on error ------------------------------------------------ */

/* What identifies the repository state: refs, index, work tree, and with
 * `objects` the object database too. */
static char *snapshot_of(bool objects)
{
	return tu_capture("git for-each-ref --format='%%(refname) %%(objectname)'; %s "
			  "sha1sum .git/index; git status --porcelain --untracked-files=all; "
			  "find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum",
			  objects ? "git count-objects -v | grep -v size;" : "");
}

static char *snapshot(void)
{
	return snapshot_of(true);
}

static void expect_nothing_written(simple_ctx *c, int code, const char *msg)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *before = snapshot(), *after;
	int rc = adr_repo_commit(&res, repo, simple_fn, c, NULL);
	cr_assert_eq(rc, code, "rc %d (%s), expected %d", rc, adr_error_last(), code);
	tu_assert_msg_has(msg);
	cr_assert_str_eq(res.commit, "");
	after = snapshot();
	cr_assert_str_eq(after, before);
	adr_commit_result_dispose(&res);
	free(before);
	free(after);
	adr_repo_free(repo);
}

Test(commit, callback_error_writes_nothing)
{
	simple_ctx c = { .path = { "new.txt", "README" }, .data = { "new content 1234\n", "changed\n" }, .n = 2,
			 .fail = ADR_EINVALID };
	expect_nothing_written(&c, ADR_EINVALID, "the callback says no");
	cr_assert_eq(c.calls, 1);
	/* Not even the blob was written. */
	cr_assert_neq(tu_run_rc("git cat-file -e $(printf 'new content 1234\\n' | git hash-object --stdin) 2>/dev/null"), 0);
}

Test(commit, subject_with_newline)
{
	simple_ctx c = { .path = { "new.txt" }, .data = { "n\n" }, .n = 1, .subject = "line one\nline two" };
	expect_nothing_written(&c, ADR_EINVALID, "subject");
}

Test(commit, subject_with_carriage_return)
{
	simple_ctx c = { .path = { "new.txt" }, .data = { "n\n" }, .n = 1, .subject = "line one\rline two" };
	expect_nothing_written(&c, ADR_EINVALID, "subject");
}

Test(commit, trailer_with_newline)
{
	simple_ctx c = { .path = { "new.txt" }, .data = { "n\n" }, .n = 1, .tkey = { "Adr-Record" },
			 .tval = { "1\nSigned-off-by: mallory" } };
	expect_nothing_written(&c, ADR_EINVALID, "Adr-Record");
}

Test(commit, trailer_bad_key)
{
	simple_ctx c = { .path = { "new.txt" }, .data = { "n\n" }, .n = 1, .tkey = { "Bad Key:" }, .tval = { "1" } };
	expect_nothing_written(&c, ADR_EINVALID, "'Bad Key:' is not a valid trailer name");
}

Test(commit, unsafe_path_is_refused)
{
	simple_ctx c = { .path = { "ok.txt", "../escape.txt" }, .data = { "a\n", "b\n" }, .n = 2 };
	expect_nothing_written(&c, ADR_EINVALID, "'../escape.txt'");
}

Test(commit, unsafe_path_windows)
{
	simple_ctx c = { .path = { "docs/aux.md" }, .data = { "a\n" }, .n = 1 };
	expect_nothing_written(&c, ADR_EINVALID, "reserved device name");
}

Test(commit, no_subject)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	cr_assert_eq(adr_repo_commit(&res, repo, merge_fn, (const char *[]){ NULL }, NULL), 0);
	cr_assert(res.unchanged, "an empty change needs no subject");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

Test(commit, bad_opts_version)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	simple_ctx c = { .path = { "a" }, .data = { "a" }, .n = 1 };
	opts.version = 99;
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, &opts), ADR_EUSAGE);
	cr_assert_eq(c.calls, 0);
	adr_repo_free(repo);
}

/* --- the work tree ------------------------------------------------------------ */

static void expect_dirty(const char *prepare, const char *path, const char *data, const char *msg)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *before, *after, *head = tu_capture("git rev-parse main");
	tu_run("%s", prepare);
	/* Unreachable objects may be written before the check; nothing else. */
	before = snapshot_of(false);
	cr_assert_eq(commit1(&res, repo, path, data), ADR_EDIRTY, "%s", adr_error_last());
	tu_assert_msg_has(path);
	tu_assert_msg_has(msg);
	after = snapshot_of(false);
	/* The ref did not move; the user's work is untouched. */
	tu_assert_out(head, "git rev-parse main");
	cr_assert_str_eq(after, before);
	adr_commit_result_dispose(&res);
	free(head);
	free(before);
	free(after);
	adr_repo_free(repo);
}

Test(commit, dirty_untracked)
{
	expect_dirty("mkdir -p docs/decisions && echo mine > docs/decisions/0001-x.md", "docs/decisions/0001-x.md",
		     "# X\n", "not committed");
}

Test(commit, dirty_staged_new)
{
	expect_dirty("echo mine > new.md && git add new.md", "new.md", "# X\n", "staged changes");
}

Test(commit, dirty_staged_modified)
{
	expect_dirty("echo staged > README && git add README", "README", "theirs\n", "staged changes");
}

Test(commit, dirty_staged_deleted)
{
	expect_dirty("git rm -q README", "README", "theirs\n", "staged changes");
}

Test(commit, dirty_unstaged_modified)
{
	expect_dirty("echo edited >> docs/keep.txt", "docs/keep.txt", "theirs\n", "uncommitted changes");
}

Test(commit, dirty_unstaged_deleted)
{
	expect_dirty("rm docs/keep.txt", "docs/keep.txt", "theirs\n", "uncommitted changes");
}

Test(commit, dirty_deletion)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	simple_ctx c = { .path = { "docs/keep.txt" }, .data = { NULL }, .n = 1 };
	tu_run("echo edited >> docs/keep.txt");
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, NULL), ADR_EDIRTY);
	tu_assert_out("keep\nedited", "cat docs/keep.txt");
	adr_repo_free(repo);
}

Test(commit, unrelated_changes_preserved)
{
	adr_repo *repo;
	adr_commit_result res;
	char *status_before, *staged_before, *unstaged_before, *files_before, *stage_before;
	char *status_after, *staged_after, *unstaged_after, *files_after, *stage_after;

	tu_git_init("main");
	tu_write_file("README", "readme\n");
	tu_write_file("a.txt", "a\n");
	tu_write_file("b.txt", "b\n");
	tu_write_file("c.txt", "c\n");
	tu_write_file("d.txt", "d\n");
	tu_commit_all("base");
	repo = tu_open_ok(tu_repo_dir);
	/* Unstaged, staged, staged-then-edited, deleted, untracked, ignored, a new staged file. */
	tu_run("printf 'a edited\\n' > a.txt && "
	       "printf 'b staged\\n' > b.txt && git add b.txt && "
	       "printf 'c staged\\n' > c.txt && git add c.txt && printf 'c edited after\\n' > c.txt && "
	       "rm d.txt && "
	       "printf 'untracked\\n' > u.txt && "
	       "printf 'ign\\n' > i.log && printf '*.log\\n' > .git/info/exclude && "
	       "printf 'staged new\\n' > n.txt && git add n.txt && "
	       "chmod +x README && git add README");

	status_before = tu_capture("git status --porcelain --untracked-files=all --ignored");
	staged_before = tu_capture("git diff --cached");
	unstaged_before = tu_capture("git diff");
	files_before = tu_capture("find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum");
	stage_before = tu_capture("git ls-files -s");

	cr_assert_eq(commit1(&res, repo, "docs/decisions/0001-new.md", "# New\n"), 0, "%s", adr_error_last());
	cr_assert(res.worktree_updated, "%s", res.warning ? res.warning : "");

	status_after = tu_capture("git status --porcelain --untracked-files=all --ignored");
	staged_after = tu_capture("git diff --cached");
	unstaged_after = tu_capture("git diff");
	files_after = tu_capture("find . -path ./.git -prune -o -type f -not -path ./docs/decisions/0001-new.md -print "
				 "| sort | xargs sha1sum");
	stage_after = tu_capture("git ls-files -s | grep -v docs/decisions/0001-new.md");

	cr_assert_str_eq(status_after, status_before);
	cr_assert_str_eq(staged_after, staged_before);
	cr_assert_str_eq(unstaged_after, unstaged_before);
	cr_assert_str_eq(files_after, files_before);
	cr_assert_str_eq(stage_after, stage_before);
	tu_assert_out("# New", "cat docs/decisions/0001-new.md");
	tu_assert_out("100644 docs/decisions/0001-new.md", "git ls-files -s docs/decisions | awk '{print $1, $4}'");
	/* The new file is clean: in HEAD, the index and the work tree alike. */
	tu_assert_out("", "git status --porcelain docs");
	/* The user's staged changes are not part of the commit. */
	tu_assert_out("a\n--\nb\n--\nc\n--\nd", "for f in a b c d; do git show main:$f.txt; echo --; done | sed '$d'");
	tu_assert_out("", "git ls-tree main n.txt");
	adr_commit_result_dispose(&res);
	free(status_before);
	free(staged_before);
	free(unstaged_before);
	free(files_before);
	free(stage_before);
	free(status_after);
	free(staged_after);
	free(unstaged_after);
	free(files_after);
	free(stage_after);
	adr_repo_free(repo);
}

Test(commit, no_worktree_option)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	simple_ctx c = { .path = { "docs/keep.txt", "new.txt" }, .data = { "theirs\n", "new\n" }, .n = 2 };
	char *index_before = tu_capture("sha1sum < .git/index");
	opts.no_worktree = true;
	/* With no_worktree, even a dirty path does not matter: nothing is touched. */
	tu_run("echo mine > new.txt");
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, &opts), 0, "%s", adr_error_last());
	cr_assert_not(res.worktree_updated);
	cr_assert_null(res.warning);
	tu_assert_out("theirs", "git show main:docs/keep.txt");
	tu_assert_out("keep", "cat docs/keep.txt");
	tu_assert_out("mine", "cat new.txt");
	tu_assert_out(index_before, "sha1sum < .git/index");
	adr_commit_result_dispose(&res);
	free(index_before);
	adr_repo_free(repo);
}

Test(commit, other_branch_leaves_worktree_alone)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	simple_ctx c = { .path = { "README" }, .data = { "on side\n" }, .n = 1 };
	char *main_before = tu_capture("git rev-parse main");
	tu_run("git branch side && echo mine >> README");
	opts.branch = "refs/heads/side";
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, &opts), 0, "%s", adr_error_last());
	cr_assert_not(res.worktree_updated);
	tu_assert_out("on side", "git show side:README");
	tu_assert_out(main_before, "git rev-parse main");
	tu_assert_out("readme\nmine", "cat README");
	tu_assert_out(" M README", "git status --porcelain");
	adr_commit_result_dispose(&res);
	free(main_before);
	adr_repo_free(repo);
}

/* --- compare-and-swap ------------------------------------------------------------- */

static char interloper[41];

/* On the first call, another writer moves the branch. */
static void move_branch(adr_change *ch, int call)
{
	if (call == 1)
		cr_assert_eq(tu_run_rc("git update-ref refs/heads/side %s %s", interloper, adr_change_base(ch)), 0);
}

Test(commit, lost_race_retries_on_new_tip)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	simple_ctx c = { .path = { "mine.txt" }, .data = { "mine\n" }, .n = 1, .hook = move_branch };
	char *base, *other;

	tu_run("git branch side && git checkout -q -b tmp && echo other > other.txt && git add other.txt && "
	       "git commit -q -m other && git checkout -q main");
	base = tu_capture("git rev-parse side");
	other = tu_capture("git rev-parse tmp");
	snprintf(interloper, sizeof(interloper), "%s", other);
	opts.branch = "refs/heads/side";
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, &opts), 0, "%s", adr_error_last());
	cr_assert_eq(res.attempts, 2);
	cr_assert_eq(c.calls, 2);
	cr_assert_str_eq(c.bases[0], base);
	cr_assert_str_eq(c.bases[1], other);
	cr_assert_str_eq(res.parent, other);
	/* Nothing lost: the other writer's file and ours are both there. */
	tu_assert_out("mine.txt\nother.txt", "git ls-tree --name-only side | grep txt");
	tu_assert_out(other, "git rev-parse side~1");
	adr_commit_result_dispose(&res);
	free(base);
	free(other);
	adr_repo_free(repo);
}

Test(commit, lost_race_without_retry)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	simple_ctx c = { .path = { "mine.txt" }, .data = { "mine\n" }, .n = 1, .hook = move_branch };
	char *other;

	tu_run("git branch side && git checkout -q -b tmp && echo other > other.txt && git add other.txt && "
	       "git commit -q -m other && git checkout -q main");
	other = tu_capture("git rev-parse tmp");
	snprintf(interloper, sizeof(interloper), "%s", other);
	opts.branch = "refs/heads/side";
	opts.max_attempts = 1;
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, &opts), ADR_EBUSY, "%s", adr_error_last());
	tu_assert_msg_has("refs/heads/side");
	cr_assert_str_eq(res.commit, "");
	/* The other writer's commit stays; it is never overwritten. */
	tu_assert_out(other, "git rev-parse side");
	adr_commit_result_dispose(&res);
	free(other);
	adr_repo_free(repo);
}

/* --- locks ------------------------------------------------------------------------ */

static double elapsed_since(const struct timespec *t0)
{
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

Test(commit, stale_ref_lock)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char lock[TU_PATH_BUF + 64];
	char *head = tu_capture("git rev-parse main");
	struct timespec t0;
	double secs;

	tu_run("echo stale > .git/refs/heads/main.lock");
	snprintf(lock, sizeof(lock), "%s/.git/refs/heads/main.lock", tu_repo_dir);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	cr_assert_eq(commit1(&res, repo, "new.txt", "new\n"), ADR_EBUSY, "%s", adr_error_last());
	secs = elapsed_since(&t0);
	tu_assert_msg_has(lock);
	tu_assert_msg_has("remove that file");
	cr_assert(secs > 1.0 && secs < 15.0, "waited %.2f s", secs);
	cr_assert_str_eq(res.commit, "");
	tu_assert_out(head, "git rev-parse main");
	/* The lock is never removed by adr. */
	tu_assert_out("stale", "cat .git/refs/heads/main.lock");
	cr_assert_not(tu_exists("new.txt"));
	adr_commit_result_dispose(&res);
	free(head);
	adr_repo_free(repo);
}

Test(commit, held_index_lock)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *before, *after;
	char lock[TU_PATH_BUF + 64];

	tu_run("echo held > .git/index.lock");
	snprintf(lock, sizeof(lock), "%s/.git/index.lock", tu_repo_dir);
	before = tu_capture("git rev-parse main");
	/* The branch would move without its index: refused before anything lands. */
	cr_assert_eq(commit1(&res, repo, "docs/decisions/0001-x.md", "# X\n"), ADR_EBUSY);
	cr_assert_not_null(strstr(adr_error_last(), lock), "%s", adr_error_last());
	cr_assert_not_null(strstr(adr_error_last(), "If no git process is running (check with ps), release it without losing anything with: rm '"), "%s", adr_error_last());
	/* No staged deletion: nothing to reset. */
	cr_assert_null(strstr(adr_error_last(), "git reset"), "%s", adr_error_last());
	after = tu_capture("git rev-parse main");
	cr_assert_str_eq(before, after);
	cr_assert_not(tu_exists("docs/decisions/0001-x.md"));
	/* The lock belongs to someone else: left alone. */
	tu_assert_out("held", "cat .git/index.lock");
	tu_assert_out("", "ls .git | grep adr-index");
	adr_commit_result_dispose(&res);
	free(before);
	free(after);
	adr_repo_free(repo);
}

/* --- the work tree follows before the branch moves (issue 10) ----------------------- */

Test(commit, ignored_file_is_refused)
{
	/* F04: an ignored file at a new path is the user's, like an untracked one. */
	expect_dirty("printf 'docs/decisions/*.md\\n' >> .git/info/exclude && mkdir -p docs/decisions && "
		     "echo 'my private draft' > docs/decisions/0001-x.md",
		     "docs/decisions/0001-x.md", "# X\n", "exists in the work tree (ignored by git) but is not committed");
	tu_assert_out("my private draft", "cat docs/decisions/0001-x.md");
}

Test(commit, ref_lock_undoes_the_staged_files)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *before;
	tu_run("echo stale > .git/refs/heads/main.lock");
	before = tu_capture("git for-each-ref --format='%%(refname) %%(objectname)'; git ls-files -s -v; "
			    "git status --porcelain --untracked-files=all; "
			    "find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum");
	/* The files and the index were staged before the compare-and-swap; when
	 * it fails, both go back as they were. */
	cr_assert_eq(commit1(&res, repo, "docs/decisions/0001-x.md", "# X\n"), ADR_EBUSY, "%s", adr_error_last());
	tu_assert_msg_has("main.lock' exists");
	tu_assert_out(before, "git for-each-ref --format='%%(refname) %%(objectname)'; git ls-files -s -v; "
			      "git status --porcelain --untracked-files=all; "
			      "find . -path ./.git -prune -o -type f -print | sort | xargs sha1sum");
	tu_assert_out("", "ls .git | grep -e adr-wt- -e index.lock");
	tu_assert_out("0", "wc -c < .git/adr-journal");
	adr_commit_result_dispose(&res);
	free(before);
	adr_repo_free(repo);
}

Test(commit, undo_restores_a_symbolic_link)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	tu_run("ln -s keep.txt docs/link.md && git add docs/link.md && git commit -q -m link && "
	       "echo stale > .git/refs/heads/main.lock");
	cr_assert_eq(commit1(&res, repo, "docs/link.md", "# Now a file\n"), ADR_EBUSY, "%s", adr_error_last());
	tu_assert_out("keep.txt", "readlink docs/link.md");
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

Test(commit, work_tree_on_another_file_system)
{
	adr_repo *repo;
	adr_commit_result res;
	char *dir;

	/* The temporary files live in the git dir; across file systems they sit
	 * beside the target for a moment, and none stays. */
	if (access("/dev/shm", W_OK) != 0)
		cr_skip_test("no /dev/shm");
	tu_git_init("main");
	tu_write_file("README", "readme\n");
	tu_commit_all("base");
	dir = tu_capture_ok("mktemp -d /dev/shm/adr-test-XXXXXX");
	tu_run("git checkout -q -b side && git worktree add -q '%s/wt' main", dir);
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(commit1(&res, repo, "docs/decisions/0001-x.md", "# X\n"), 0, "%s", adr_error_last());
	tu_assert_out("# X", "cat '%s/wt/docs/decisions/0001-x.md'", dir);
	tu_assert_out("", "git -C '%s/wt' status --porcelain --untracked-files=all --ignored", dir);
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
	tu_run("git worktree remove --force '%s/wt' && rm -rf '%s'", dir, dir);
	free(dir);
}

/* Writes .git/adr-journal as an adr killed at some step would have left it. */
static void write_journal(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void write_journal(const char *fmt, ...)
{
	char path[TU_PATH_BUF + 32];
	FILE *f;
	va_list ap;
	snprintf(path, sizeof(path), "%s/.git/adr-journal", tu_repo_dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	cr_assert_eq(fclose(f), 0);
}

Test(commit, repair_takes_back_a_write_that_never_landed)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *old = tu_capture("git rev-parse main"), *blob, *other;

	/* Killed after staging, before the branch moved: the file is written and
	 * staged, index.lock holds the dead writer's token. */
	tu_write_file("docs/decisions/0001-x.md", "# X\n");
	tu_run("git add docs/decisions/0001-x.md && printf 'adr tok-1\\n' > .git/index.lock");
	blob = tu_capture("git rev-parse :docs/decisions/0001-x.md");
	other = tu_capture("git commit-tree -p main -m other main^{tree}");
	write_journal("adr-journal 1\npid 999999\ntoken tok-1\nbranch refs/heads/main\nold %s\nnew %s\n"
		      "w %s - 0 f docs/decisions/0001-x.md\nend\n", old, other, blob);
	tu_run("touch .git/adr-wt-999999-0 .git/adr-wt-999999-index");

	cr_assert_eq(commit1(&res, repo, "other.txt", "other\n"), 0, "%s", adr_error_last());
	cr_assert_not_null(res.warning);
	cr_assert_not_null(strstr(res.warning, "repaired what an interrupted adr (pid 999999) left in '"), "%s",
			   res.warning);
	cr_assert_not_null(strstr(res.warning, "its commit never landed; took back 'docs/decisions/0001-x.md'"), "%s",
			   res.warning);
	cr_assert_null(strchr(res.warning, '\n'), "one line: %s", res.warning);
	cr_assert_not(tu_exists("docs/decisions/0001-x.md"));
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	tu_assert_out("README\ndocs/keep.txt\nother.txt", "git ls-tree -r --name-only main");
	tu_assert_out("", "ls .git | grep -e adr-wt- -e index.lock");
	tu_assert_out("0", "wc -c < .git/adr-journal");
	adr_commit_result_dispose(&res);

	/* Repaired once: the next write says nothing. */
	cr_assert_eq(commit1(&res, repo, "other.txt", "other 2\n"), 0, "%s", adr_error_last());
	cr_assert_null(res.warning, "%s", res.warning);
	adr_commit_result_dispose(&res);
	free(old);
	free(blob);
	free(other);
	adr_repo_free(repo);
}

Test(commit, repair_keeps_what_a_user_commit_took)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *old = tu_capture("git rev-parse main"), *blob, *other;

	/* Killed before the branch moved; the user removed index.lock and made
	 * a plain commit, which committed the staged record: it stays. */
	tu_write_file("docs/decisions/0001-x.md", "# X\n");
	tu_run("git add docs/decisions/0001-x.md");
	blob = tu_capture("git rev-parse :docs/decisions/0001-x.md");
	other = tu_capture("git commit-tree -p main -m other main^{tree}");
	tu_run("git commit -q -m 'user commit'");
	write_journal("adr-journal 1\npid 999999\ntoken tok-1\nbranch refs/heads/main\nold %s\nnew %s\n"
		      "w %s - 0 f docs/decisions/0001-x.md\nend\n", old, other, blob);
	cr_assert_eq(commit1(&res, repo, "other.txt", "other\n"), 0, "%s", adr_error_last());
	cr_assert_null(res.warning, "%s", res.warning);
	tu_assert_out("# X", "git show main:docs/decisions/0001-x.md");
	tu_assert_out("# X", "cat docs/decisions/0001-x.md");
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	adr_commit_result_dispose(&res);
	free(old);
	free(blob);
	free(other);
	adr_repo_free(repo);
}

Test(commit, repair_finishes_a_write_that_landed)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *old = tu_capture("git rev-parse main"), *keep, *newc;

	/* Killed after the branch moved, before the deletion left the index. */
	keep = tu_capture("git rev-parse main:docs/keep.txt");
	tu_run("GIT_INDEX_FILE=.git/tmpidx git read-tree main && GIT_INDEX_FILE=.git/tmpidx git rm -q --cached "
	       "docs/keep.txt && git commit-tree -p main -m del $(GIT_INDEX_FILE=.git/tmpidx git write-tree) "
	       "> .git/newc && rm .git/tmpidx && git update-ref refs/heads/main $(cat .git/newc) && "
	       "printf 'adr tok-2\\n' > .git/index.lock");
	newc = tu_capture("cat .git/newc");
	write_journal("adr-journal 1\npid 999998\ntoken tok-2\nbranch refs/heads/main\nold %s\nnew %s\n"
		      "d %s 100644 f docs/keep.txt\nend\n", old, newc, keep);
	cr_assert_eq(commit1(&res, repo, "other.txt", "other\n"), 0, "%s", adr_error_last());
	cr_assert_not_null(res.warning);
	cr_assert_not_null(strstr(res.warning, "(pid 999998)"), "%s", res.warning);
	cr_assert_not_null(strstr(res.warning, "its commit had landed; brought along 'docs/keep.txt'"), "%s",
			   res.warning);
	cr_assert_not(tu_exists("docs/keep.txt"));
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	tu_assert_out("README\nother.txt", "git ls-tree -r --name-only main");
	adr_commit_result_dispose(&res);
	free(old);
	free(keep);
	free(newc);
	adr_repo_free(repo);
}

Test(commit, repair_of_a_cut_short_journal_acts_on_nothing)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *old = tu_capture("git rev-parse main"), *blob;

	/* Killed while writing the plan: the files were not touched yet, so a
	 * file that happens to match the plan is not adr's. */
	tu_write_file("docs/decisions/0001-x.md", "# X\n");
	blob = tu_capture("git hash-object docs/decisions/0001-x.md");
	tu_run("printf 'adr tok-3\\n' > .git/index.lock");
	write_journal("adr-journal 1\npid 999997\ntoken tok-3\nbranch refs/heads/main\nold %s\n"
		      "w %s - 0 f docs/decisions/0001-x.md\n", old, blob);
	cr_assert_eq(commit1(&res, repo, "other.txt", "other\n"), 0, "%s", adr_error_last());
	cr_assert_not_null(res.warning);
	cr_assert_not_null(strstr(res.warning, "removed its lock files"), "%s", res.warning);
	tu_assert_out("# X", "cat docs/decisions/0001-x.md");
	tu_assert_out("?? docs/decisions/0001-x.md", "git status --porcelain --untracked-files=all");
	adr_commit_result_dispose(&res);

	/* A journal that is not adr's at all is emptied without a word. */
	write_journal("hello\n");
	cr_assert_eq(commit1(&res, repo, "other.txt", "other 2\n"), 0, "%s", adr_error_last());
	cr_assert_null(res.warning, "%s", res.warning);
	tu_assert_out("0", "wc -c < .git/adr-journal");
	adr_commit_result_dispose(&res);
	free(old);
	free(blob);
	adr_repo_free(repo);
}

Test(commit, repair_leaves_a_lock_that_is_not_its_own)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *old = tu_capture("git rev-parse main"), *blob, *other;

	/* The journal names tok-4; index.lock holds something else: another
	 * process took it since. adr waits, then says so; nothing is touched. */
	tu_write_file("docs/decisions/0001-x.md", "# X\n");
	tu_run("git add docs/decisions/0001-x.md && echo held > .git/index.lock");
	blob = tu_capture("git rev-parse :docs/decisions/0001-x.md");
	other = tu_capture("git commit-tree -p main -m other main^{tree}");
	write_journal("adr-journal 1\npid 999996\ntoken tok-4\nbranch refs/heads/main\nold %s\nnew %s\n"
		      "w %s - 0 f docs/decisions/0001-x.md\nend\n", old, other, blob);
	cr_assert_eq(commit1(&res, repo, "other.txt", "other\n"), ADR_EBUSY, "%s", adr_error_last());
	tu_assert_msg_has("index.lock' exists: another git process is using the index, or one crashed");
	tu_assert_out("held", "cat .git/index.lock");
	tu_assert_out("A  docs/decisions/0001-x.md", "git status --porcelain --untracked-files=all");
	tu_assert_out(old, "git rev-parse main");
	/* The journal stays for a later repair. */
	tu_assert_out("1", "grep -c '^end$' .git/adr-journal");
	adr_commit_result_dispose(&res);
	free(old);
	free(blob);
	free(other);
	adr_repo_free(repo);
}

Test(commit, foreign_index_lock_advice_loses_nothing)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *cmd;

	/* F01 as an older adr left it: the branch has the record, the index and
	 * the work tree do not, and index.lock stayed behind. */
	tu_run("mkdir -p docs/decisions && echo '# X' > docs/decisions/0001-x.md && git add docs && "
	       "git commit -q -m x && git rm -q --cached docs/decisions/0001-x.md && rm docs/decisions/0001-x.md && "
	       "git rm -q --cached docs/keep.txt && : > .git/index.lock");
	cr_assert_eq(commit1(&res, repo, "other.txt", "other\n"), ADR_EBUSY, "%s", adr_error_last());
	tu_assert_msg_has("If no git process is running (check with ps), release it without losing anything with: ");
	tu_assert_msg_has(" && git reset -q -- 'docs/decisions/0001-x.md' 'docs/keep.txt' && git checkout -- "
			  "'docs/decisions/0001-x.md'");
	cmd = strdup(strstr(adr_error_last(), "with: ") + 6);
	tu_run("%s", cmd);
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	tu_assert_out("# X", "cat docs/decisions/0001-x.md");
	cr_assert_eq(commit1(&res, repo, "other.txt", "other\n"), 0, "%s", adr_error_last());
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	adr_commit_result_dispose(&res);
	free(cmd);
	adr_repo_free(repo);
}

Test(commit, another_adr_holds_the_work_tree, .timeout = 90)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	double t0;
	char *pid;

	/* A live writer holds the journal lock: adr waits for it. */
	tu_run("(flock .git/adr-journal sleep 1 &) && sleep 0.2");
	t0 = tu_now();
	cr_assert_eq(commit1(&res, repo, "a.txt", "a\n"), 0, "%s", adr_error_last());
	cr_assert(tu_now() - t0 > 0.5, "waited %.2f s", tu_now() - t0);
	adr_commit_result_dispose(&res);

	/* One that keeps it: a bounded wait, then the pid. */
	tu_run("(flock .git/adr-journal sh -c 'printf \"adr-journal 1\\npid $$\\n\" > .git/adr-journal; "
	       "echo $$ > .git/holder; exec sleep 14' &) && sleep 0.5");
	pid = tu_capture("cat .git/holder");
	t0 = tu_now();
	cr_assert_eq(commit1(&res, repo, "b.txt", "b\n"), ADR_EBUSY, "%s", adr_error_last());
	cr_assert(tu_now() - t0 > 5, "waited %.2f s", tu_now() - t0);
	tu_assert_msg_has("another adr process (pid ");
	tu_assert_msg_has(pid);
	tu_assert_msg_has("is writing to the work tree '");
	cr_assert_not(tu_exists("b.txt"));
	tu_run("kill %s; sleep 0.2", pid);
	adr_commit_result_dispose(&res);
	free(pid);
	adr_repo_free(repo);
}

Test(commit, stale_temp_files_are_cleaned)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;

	/* F19: left by killed writers (pid 999999 does not exist); pid 1 lives. */
	tu_run("mkdir -p docs/decisions && : > docs/decisions/0001-a.md.adr-tmp-999999 && "
	       ": > docs/decisions/0001-a.md.adr-tmp-1 && : > .git/adr-wt-999999-0 && : > .git/adr-index-999999");
	cr_assert_eq(commit1(&res, repo, "docs/decisions/0002-b.md", "# B\n"), 0, "%s", adr_error_last());
	tu_assert_out("docs/decisions/0001-a.md.adr-tmp-1\ndocs/decisions/0002-b.md",
		      "find docs/decisions -type f | sort");
	tu_assert_out("", "ls .git | grep -e adr-wt- -e adr-index-");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

Test(commit, sparse_checkout_entries_stay_sparse)
{
	adr_repo *repo;
	adr_commit_result res;
	simple_ctx c = { .path = { "docs/decisions/0001-a.md", "docs/decisions/0002-b.md" },
			 .data = { "# A, changed\n", "# B\n" }, .n = 2 };

	/* F09: the records are outside the sparse checkout. */
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-a.md", "# A\n");
	tu_write_file("src/a.c", "int a;\n");
	tu_commit_all("base");
	tu_run("git sparse-checkout set src");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, NULL), 0, "%s", adr_error_last());
	cr_assert(res.worktree_updated);
	tu_assert_out("S docs/decisions/0001-a.md\nS docs/decisions/0002-b.md", "git ls-files -v docs");
	cr_assert_not(tu_exists("docs"));
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	/* The entries are right: leaving sparse checkout brings the new files. */
	tu_run("git sparse-checkout disable");
	tu_assert_out("# A, changed", "cat docs/decisions/0001-a.md");
	tu_assert_out("# B", "cat docs/decisions/0002-b.md");
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

Test(commit, sparse_entry_with_staged_change_is_refused)
{
	adr_repo *repo;
	adr_commit_result res;
	char *before;

	tu_git_init("main");
	tu_write_file("docs/decisions/0001-a.md", "# A\n");
	tu_write_file("src/a.c", "int a;\n");
	tu_commit_all("base");
	tu_run("git sparse-checkout set src && "
	       "git update-index --cacheinfo 100644,$(echo staged | git hash-object -w --stdin),docs/decisions/0001-a.md "
	       "&& git update-index --skip-worktree docs/decisions/0001-a.md");
	repo = tu_open_ok(tu_repo_dir);
	before = tu_capture("git ls-files -s -v; git rev-parse main");
	cr_assert_eq(commit1(&res, repo, "docs/decisions/0001-a.md", "# A 2\n"), ADR_EDIRTY, "%s", adr_error_last());
	tu_assert_msg_has("'docs/decisions/0001-a.md' has staged changes");
	tu_assert_out(before, "git ls-files -s -v; git rev-parse main");
	adr_commit_result_dispose(&res);
	free(before);
	adr_repo_free(repo);
}

Test(commit, linked_worktree_follows)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char linked[TU_PATH_BUF + 16];

	/* F02: main is checked out in a linked work tree, not here. */
	snprintf(linked, sizeof(linked), "%s/linked", tu_root);
	tu_run("git checkout -q -b side && echo mine >> README && git worktree add -q '%s' main", linked);
	cr_assert_eq(commit1(&res, repo, "docs/decisions/0001-x.md", "# X\n"), 0, "%s", adr_error_last());
	cr_assert(res.worktree_updated);
	tu_assert_out("", "git -C '%s' status --porcelain --untracked-files=all", linked);
	tu_assert_out("# X", "cat '%s/docs/decisions/0001-x.md'", linked);
	/* This work tree (on side) is left alone. */
	tu_assert_out(" M README", "git status --porcelain --untracked-files=all");
	cr_assert_not(tu_exists("docs/decisions/0001-x.md"));
	/* A plain commit there keeps the record. */
	tu_run("cd '%s' && echo n > notes.txt && git add notes.txt && git commit -q -m notes", linked);
	tu_assert_out("# X", "git show main:docs/decisions/0001-x.md");
	adr_commit_result_dispose(&res);

	/* Uncommitted work there on a path adr writes: refused, nothing written. */
	tu_run("echo edited >> '%s/docs/keep.txt'", linked);
	cr_assert_eq(commit1(&res, repo, "docs/keep.txt", "theirs\n"), ADR_EDIRTY, "%s", adr_error_last());
	tu_assert_msg_has("'docs/keep.txt' in the work tree '");
	tu_assert_msg_has(linked);
	tu_assert_msg_has("(where the branch is checked out too) has uncommitted changes");
	tu_assert_out("keep", "git show main:docs/keep.txt");
	tu_assert_out("keep\nedited", "cat '%s/docs/keep.txt'", linked);
	adr_commit_result_dispose(&res);

	/* Its index is locked: the advice says where to run the command. */
	tu_run("git -C '%s' checkout -q -- docs/keep.txt && : > .git/worktrees/linked/index.lock", linked);
	cr_assert_eq(commit1(&res, repo, "docs/keep.txt", "theirs\n"), ADR_EBUSY, "%s", adr_error_last());
	tu_assert_msg_has("worktrees/linked/index.lock' exists: another git process is using the index");
	tu_assert_msg_has("release it without losing anything with: cd '");
	tu_assert_msg_has("/linked/' && rm '");
	tu_assert_out("keep", "git show main:docs/keep.txt");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

Test(commit, unusable_journal_is_an_error)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	char *head = tu_capture("git rev-parse main");
	tu_run("mkdir .git/adr-journal");
	cr_assert_eq(commit1(&res, repo, "a.txt", "a\n"), ADR_EOS, "%s", adr_error_last());
	tu_assert_msg_has("cannot open '");
	tu_assert_msg_has(".git/adr-journal': Is a directory");
	tu_assert_out(head, "git rev-parse main");
	cr_assert_not(tu_exists("a.txt"));
	adr_commit_result_dispose(&res);
	free(head);
	adr_repo_free(repo);
}

Test(commit, from_a_linked_worktree_the_main_one_follows)
{
	adr_repo *repo;
	adr_commit_result res;
	char linked[TU_PATH_BUF + 16];

	tu_git_init("main");
	tu_write_file("README", "readme\n");
	tu_commit_all("base");
	snprintf(linked, sizeof(linked), "%s/linked", tu_root);
	tu_run("git worktree add -q -b side '%s'", linked);
	repo = tu_open_ok(linked);
	cr_assert_eq(commit1(&res, repo, "docs/decisions/0001-x.md", "# X\n"), 0, "%s", adr_error_last());
	cr_assert(res.worktree_updated);
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	tu_assert_out("# X", "cat docs/decisions/0001-x.md");
	tu_assert_out("", "git -C '%s' status --porcelain --untracked-files=all", linked);
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

/* --- concurrency ------------------------------------------------------------------- */

#define NCHILD 4
#define NEACH 10

static int child_main(int id)
{
	adr_repo *repo = NULL;
	char path[TU_PATH_BUF + 64];
	FILE *out;
	int failures = 0;

	snprintf(path, sizeof(path), "%s/child-%d.txt", tu_root, id);
	out = fopen(path, "w");
	if (!out)
		return 100;
	if (adr_repo_open(&repo, tu_repo_dir) < 0) {
		fprintf(out, "open: %s\n", adr_error_last());
		fclose(out);
		return 100;
	}
	for (int i = 0; i < NEACH; i++) {
		adr_record *r = NULL;
		adr_op_result res = ADR_OP_RESULT_INIT;
		char title[64];
		/* Half the titles collide with the other children's, half are unique. */
		if (i % 2)
			snprintf(title, sizeof(title), "Shared decision %d", i);
		else
			snprintf(title, sizeof(title), "Child %d decision %d", id, i);
		if (adr_record_from_template(&r, repo, NULL, title) < 0 || adr_op_new(&res, repo, r) < 0) {
			fprintf(out, "fail: %s\n", adr_error_last());
			failures++;
		} else {
			fprintf(out, "%d %s%s\n", res.number, res.path, res.commit.warning ? " warning" : "");
			if (res.commit.warning)
				fprintf(out, "warning: %s\n", res.commit.warning);
		}
		adr_record_free(r);
		adr_op_result_dispose(&res);
	}
	adr_repo_free(repo);
	fclose(out);
	return failures;
}

Test(commit, concurrent_writers, .timeout = 120)
{
	pid_t pids[NCHILD];
	int status[NCHILD] = { 0 };
	adr_repo *repo;
	adr_recordset set = ADR_RECORDSET_INIT;
	bool seen[NCHILD * NEACH + 1] = { false };

	tu_git_init("main");
	tu_write_file("README", "readme\n");
	tu_commit_all("base");
	/* No criterion call in a child: it would report to the runner as the test. */
	for (int i = 0; i < NCHILD; i++)
		if ((pids[i] = fork()) == 0)
			_exit(child_main(i));
	/* Reap every child before any assertion, so teardown never races a writer. */
	for (int i = 0; i < NCHILD; i++)
		if (pids[i] > 0 && waitpid(pids[i], &status[i], 0) != pids[i])
			status[i] = -1;
	for (int i = 0; i < NCHILD; i++) {
		char *log;
		int st = status[i];
		cr_assert_neq(pids[i], -1, "fork failed");
		log = tu_capture("cat '%s/child-%d.txt'", tu_root, i);
		cr_assert(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0, "child %d: status %d\n%s", i, st, log);
		cr_assert_null(strstr(log, "warning"), "child %d:\n%s", i, log);
		/* Every number reported to a user is on the branch, once. */
		for (char *line = log; line && *line;) {
			int n = atoi(line);
			cr_assert(n >= 1 && n <= NCHILD * NEACH, "child %d: %s", i, line);
			cr_assert_not(seen[n], "number %d reported twice", n);
			seen[n] = true;
			line = strchr(line, '\n');
			if (line)
				line++;
		}
		free(log);
	}
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_records(&set, repo, NULL, 0), 0, "%s", adr_error_last());
	cr_assert_eq(set.count, NCHILD * NEACH);
	for (size_t i = 0; i < set.count; i++)
		cr_assert_eq(set.items[i]->number, (int)i + 1, "no gaps, no duplicates");
	adr_recordset_dispose(&set);
	tu_assert_out("41", "git rev-list --count main");
	tu_assert_out("", "git fsck --strict --no-dangling 2>&1");
	/* Every writer brought its record into the work tree and the index. */
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	adr_repo_free(repo);
}

/* --- the author ---------------------------------------------------------------------- */

static void expect_date(adr_repo *repo, const char *env, const char *epoch, const char *iso)
{
	adr_commit_result res;
	static int k;
	char path[32], data[32];
	setenv("GIT_AUTHOR_DATE", env, 1);
	setenv("GIT_COMMITTER_DATE", env, 1);
	snprintf(path, sizeof(path), "date-%d.txt", k);
	snprintf(data, sizeof(data), "%d\n", k++);
	cr_assert_eq(commit1(&res, repo, path, data), 0, "%s: %s", env, adr_error_last());
	tu_assert_out(epoch, "git log -1 --format=%%at main");
	tu_assert_out(iso, "git log -1 --format=%%ai main");
	tu_assert_out(epoch, "git log -1 --format=%%ct main");
	adr_commit_result_dispose(&res);
}

Test(commit, author_from_env)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;

	cr_assert_eq(commit1(&res, repo, "a.txt", "a\n"), 0, "%s", adr_error_last());
	tu_assert_out("A U Thor <author@example.com>|C O Mitter <committer@example.com>",
		      "git log -1 --format='%%an <%%ae>|%%cn <%%ce>' main");
	adr_commit_result_dispose(&res);

	expect_date(repo, "@1700000000 +0100", "1700000000", "2023-11-14 23:13:20 +0100");
	expect_date(repo, "@1700000000 +0530", "1700000000", "2023-11-15 03:43:20 +0530");
	expect_date(repo, "@1700000000 -0230", "1700000000", "2023-11-14 19:43:20 -0230");
	expect_date(repo, "1700000000 +0100", "1700000000", "2023-11-14 23:13:20 +0100");
	expect_date(repo, "1700000000 -0500", "1700000000", "2023-11-14 17:13:20 -0500");
	expect_date(repo, "2023-11-14T22:13:20Z", "1700000000", "2023-11-14 22:13:20 +0000");
	expect_date(repo, "2023-11-14 23:13:20 +0100", "1700000000", "2023-11-14 23:13:20 +0100");
	expect_date(repo, "2023-11-14T17:13:20-05:00", "1700000000", "2023-11-14 17:13:20 -0500");
	expect_date(repo, "2023-11-15T03:43:20+05:30", "1700000000", "2023-11-15 03:43:20 +0530");

	/* Unreadable: refused before anything is written. */
	{
		char *head = tu_capture("git rev-parse main");
		setenv("GIT_AUTHOR_DATE", "last tuesday", 1);
		cr_assert_eq(commit1(&res, repo, "x.txt", "x\n"), ADR_EUSAGE);
		tu_assert_msg_has("GIT_AUTHOR_DATE");
		tu_assert_msg_has("last tuesday");
		tu_assert_out(head, "git rev-parse main");
		free(head);
	}
	unsetenv("GIT_AUTHOR_DATE");
	unsetenv("GIT_COMMITTER_DATE");

	/* Without a date: ADR_NOW, in UTC. */
	setenv("ADR_NOW", "@1700000000", 1);
	cr_assert_eq(commit1(&res, repo, "now.txt", "now\n"), 0, "%s", adr_error_last());
	tu_assert_out("1700000000 +0000", "git log -1 --format='%%at %%ai' main | cut -d' ' -f1,4");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

Test(commit, author_from_git_config)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");

	/* Global config (in HOME) first... */
	tu_run("git config --global user.name 'Global Person' && git config --global user.email global@example.com");
	cr_assert_eq(commit1(&res, repo, "a.txt", "a\n"), 0, "%s", adr_error_last());
	tu_assert_out("Global Person <global@example.com>|Global Person <global@example.com>",
		      "git log -1 --format='%%an <%%ae>|%%cn <%%ce>' main");
	adr_commit_result_dispose(&res);

	/* ...then the repository's config wins. */
	tu_run("git config user.name 'Repo Person' && git config user.email repo@example.com");
	cr_assert_eq(commit1(&res, repo, "b.txt", "b\n"), 0, "%s", adr_error_last());
	tu_assert_out("Repo Person <repo@example.com>|Repo Person <repo@example.com>",
		      "git log -1 --format='%%an <%%ae>|%%cn <%%ce>' main");
	adr_commit_result_dispose(&res);

	/* The environment wins over both, per field. */
	setenv("GIT_AUTHOR_NAME", "Env Name", 1);
	cr_assert_eq(commit1(&res, repo, "c.txt", "c\n"), 0, "%s", adr_error_last());
	tu_assert_out("Env Name <repo@example.com>|Repo Person <repo@example.com>",
		      "git log -1 --format='%%an <%%ae>|%%cn <%%ce>' main");
	adr_commit_result_dispose(&res);
	adr_repo_free(repo);
}

Test(commit, missing_user_name)
{
	adr_repo *repo = base_repo();
	adr_commit_result res;
	simple_ctx c = { .path = { "a.txt" }, .data = { "a\n" }, .n = 1 };
	char *before = snapshot(), *after;
	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	tu_run("git config user.email someone@example.com");
	free(before);
	before = snapshot();
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, NULL), ADR_EUSAGE);
	tu_assert_msg_has("user.name");
	cr_assert_eq(c.calls, 0, "refused before the change is built");
	after = snapshot();
	cr_assert_str_eq(after, before);
	free(after);

	tu_run("git config --unset user.email && git config user.name Someone");
	cr_assert_eq(adr_repo_commit(&res, repo, simple_fn, &c, NULL), ADR_EUSAGE, "%s", adr_error_last());
	tu_assert_msg_has("user.email");
	free(before);
	adr_repo_free(repo);
}
