/*
 * test_ops.c: the write operations behind the commands (init, new, edit,
 * status, supersede, link): what each writes, in one commit, and what each
 * refuses without writing anything.
 *
 * Every test builds its own repository with the git command line in a fresh
 * mkdtemp directory (HOME points inside it, GIT_CONFIG_NOSYSTEM=1) and
 * removes it afterwards. ADR_NOW fixes "today" to 2030-01-02.
 */
#include <criterion/criterion.h>
#include <git2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adr/ops.h"
#include "adr/record.h"
#include "adr/repo.h"
#include "testutil.h"

static void ops_setup(void)
{
	tu_setup();
	setenv("ADR_NOW", "2030-01-02", 1);
}

TestSuite(ops, .init = ops_setup, .fini = tu_teardown, .timeout = 30);

/* The record `number` on the decision branch (strict parse), or NULL. */
static adr_record *record(adr_repo *repo, int number)
{
	adr_recordset set = ADR_RECORDSET_INIT;
	adr_record *r = NULL;
	int i;
	cr_assert_eq(adr_repo_records(&set, repo, NULL, 0), 0, "%s", adr_error_last());
	if ((i = adr_recordset_find(&set, number)) >= 0)
		cr_assert_eq(adr_record_dup(&r, set.items[i]), 0);
	adr_recordset_dispose(&set);
	return r;
}

/* A repository after `adr init`: record 0001 on main, clean work tree. */
static adr_repo *init_repo(void)
{
	adr_repo *repo;
	adr_op_result res = ADR_OP_RESULT_INIT;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_op_init(&res, repo, NULL, NULL), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	return repo;
}

/* adr new TITLE, with optional supersedes and one link; returns the number. */
static int new_record(adr_repo *repo, const char *title, int supersedes, const char *link_type, int link_to)
{
	adr_record *r = NULL;
	adr_op_result res = ADR_OP_RESULT_INIT;
	int rc, n;
	cr_assert_eq(adr_record_from_template(&r, repo, NULL, title), 0, "%s", adr_error_last());
	if (supersedes > 0)
		cr_assert_eq(adr_intlist_add(&r->supersedes, supersedes), 0);
	if (link_type)
		cr_assert_eq(adr_record_add_link(r, link_type, link_to), 0);
	rc = adr_op_new(&res, repo, r);
	cr_assert_eq(rc, 0, "adr new '%s': %s", title, adr_error_last());
	cr_assert_eq(res.number, r->number);
	cr_assert_str_eq(res.path, r->path);
	n = res.number;
	adr_op_result_dispose(&res);
	adr_record_free(r);
	return n;
}

static bool has_link(const adr_record *r, const char *type, int target)
{
	for (size_t i = 0; i < r->nlinks; i++)
		if (strcmp(r->links[i].type, type) == 0 && r->links[i].target == target)
			return true;
	return false;
}

/* --- init --------------------------------------------------------------------- */

Test(ops, init)
{
	adr_repo *repo;
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *r;
	char *cfg;

	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_not(adr_repo_has_config(repo));
	cr_assert_eq(adr_op_init(&res, repo, NULL, NULL), 0, "%s", adr_error_last());
	cr_assert_eq(res.number, 1);
	cr_assert_str_eq(res.path, "docs/decisions/0001-record-decisions-in-git.md");
	cr_assert_str_eq(res.commit.parent, "");
	cr_assert(res.commit.worktree_updated);
	tu_assert_out(res.commit.commit, "git rev-parse main");
	tu_assert_out("1", "git rev-list --count main");
	tu_assert_out(".adr.yaml\ndocs/decisions/0001-record-decisions-in-git.md", "git ls-tree -r --name-only main");
	tu_assert_out("adr: init docs/decisions\n\nAdr-Action: init\nAdr-Record: 0001",
		      "git cat-file commit main | sed '1,/^$/d'");
	tu_assert_out("", "git status --porcelain");
	cfg = tu_capture("git show main:.adr.yaml");
	cr_assert_not_null(strstr(cfg, "\ndir: docs/decisions\n"), "%s", cfg);
	cr_assert_not_null(strstr(cfg, "\ntemplate: default"), "%s", cfg);
	free(cfg);

	/* The handle was reloaded: it sees its own configuration. */
	cr_assert(adr_repo_has_config(repo));
	cr_assert_str_eq(adr_repo_records_dir_source(repo), ".adr.yaml");
	r = record(repo, 1);
	cr_assert_not_null(r);
	cr_assert_str_eq(r->title, "Record decisions in Git");
	cr_assert_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_assert_str_eq(r->date, "2030-01-02");
	adr_record_free(r);
	adr_op_result_dispose(&res);
	adr_repo_free(repo);

	/* A fresh handle reads the same. */
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_records_dir(repo), "docs/decisions");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), ".adr.yaml");
	adr_repo_free(repo);
}

Test(ops, init_twice)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	char *head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_op_init(&res, repo, NULL, NULL), ADR_EEXISTS);
	tu_assert_msg_has(".adr.yaml");
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);
	adr_repo_free(repo);

	/* Also from another handle, with another directory. */
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_op_init(&res, repo, "elsewhere", NULL), ADR_EEXISTS);
	tu_assert_out(head, "git rev-parse main");
	cr_assert_not(tu_exists("elsewhere"));
	adr_op_result_dispose(&res);
	adr_repo_free(repo);
	free(head);
}

Test(ops, init_dir_and_template)
{
	adr_repo *repo;
	adr_op_result res = ADR_OP_RESULT_INIT;
	char *cfg;
	tu_git_init("main");
	tu_write_file("README", "readme\n");
	tu_commit_all("base");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_op_init(&res, repo, "doc/arch", "nygard"), 0, "%s", adr_error_last());
	cr_assert_str_eq(res.path, "doc/arch/0001-record-decisions-in-git.md");
	cr_assert_str_eq(adr_repo_records_dir(repo), "doc/arch");
	tu_assert_out("2", "git rev-list --count main");
	cfg = tu_capture("git show main:.adr.yaml");
	cr_assert_not_null(strstr(cfg, "dir: doc/arch\n"), "%s", cfg);
	cr_assert_not_null(strstr(cfg, "\ntemplate: nygard"), "%s", cfg);
	free(cfg);
	adr_op_result_dispose(&res);
	adr_repo_free(repo);
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_template(repo), "nygard");
	cr_assert_str_eq(adr_repo_records_dir(repo), "doc/arch");
	adr_repo_free(repo);
}

Test(ops, init_refuses_bad_input)
{
	adr_repo *repo;
	adr_op_result res = ADR_OP_RESULT_INIT;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_op_init(&res, repo, NULL, "no-such-template"), ADR_ENOTFOUND);
	tu_assert_msg_has("no-such-template");
	cr_assert_eq(adr_op_init(&res, repo, "../outside", NULL), ADR_EINVALID);
	cr_assert_eq(adr_op_init(&res, repo, NULL, "../x"), ADR_EINVALID);
	/* The branch is still unborn. */
	cr_assert_neq(tu_run_rc("git rev-parse -q --verify main >/dev/null"), 0);
	adr_op_result_dispose(&res);
	adr_repo_free(repo);
}

/* --- new ------------------------------------------------------------------------ */

Test(ops, new_numbering)
{
	adr_repo *repo = init_repo();
	adr_record *r;
	char *init_head = tu_capture("git rev-parse main");

	cr_assert_eq(new_record(repo, "Use Postgres", 0, NULL, 0), 2);
	tu_assert_out("2", "git rev-list --count main");
	tu_assert_out(init_head, "git rev-parse main~1");
	tu_assert_out("adr: new 0002 Use Postgres\n\nAdr-Action: new\nAdr-Record: 0002",
		      "git cat-file commit main | sed '1,/^$/d'");
	tu_assert_out("docs/decisions/0002-use-postgres.md", "git diff-tree --no-commit-id --name-only -r main");
	tu_assert_out("", "git status --porcelain");
	cr_assert_eq(new_record(repo, "Caf\xc3\xa9 au lait", 0, NULL, 0), 3);
	tu_assert_out("docs/decisions/0003-cafe-au-lait.md", "git diff-tree --no-commit-id --name-only -r main");
	/* A title without any ASCII transliteration: the number alone. */
	cr_assert_eq(new_record(repo, "\xe5\x86\xb3\xe5\xae\x9a", 0, NULL, 0), 4);
	tu_assert_out("docs/decisions/0004.md", "git diff-tree --no-commit-id --name-only -r main");

	r = record(repo, 2);
	cr_assert_not_null(r);
	cr_assert_str_eq(r->title, "Use Postgres");
	cr_assert_eq(r->status, ADR_STATUS_PROPOSED);
	cr_assert_str_eq(r->date, "2030-01-02");
	adr_record_free(r);

	/* A number set by the caller is ignored; a gap left by hand is respected. */
	tu_write_file("docs/decisions/0010-by-hand.md", "# By hand\n");
	tu_commit_all("by hand");
	cr_assert_eq(new_record(repo, "After the gap", 0, NULL, 0), 11);
	free(init_head);
	adr_repo_free(repo);
}

Test(ops, new_number_of_broken_record_not_reused)
{
	adr_repo *repo = init_repo();
	tu_write_file("docs/decisions/0002-broken.md", "---\nstatus: [\n---\n# Broken\n");
	tu_commit_all("broken");
	cr_assert_eq(new_record(repo, "Next", 0, NULL, 0), 3);
	adr_repo_free(repo);
}

Test(ops, new_on_unborn_branch)
{
	adr_repo *repo;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(new_record(repo, "First", 0, NULL, 0), 1);
	tu_assert_out("docs/decisions/0001-first.md", "git ls-tree -r --name-only main");
	tu_assert_out("", "git status --porcelain");
	adr_repo_free(repo);
}

Test(ops, new_refuses_bad_title)
{
	adr_repo *repo = init_repo();
	adr_record *r = NULL;
	adr_op_result res = ADR_OP_RESULT_INIT;
	char *head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_record_from_template(&r, repo, NULL, "Fine"), 0, "%s", adr_error_last());
	cr_assert_eq(adr_record_set_title(r, "!!!"), 0, "%s", adr_error_last());
	cr_assert_eq(adr_op_new(&res, repo, r), ADR_EINVALID);
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);
	adr_record_free(r);
	free(head);
	adr_repo_free(repo);
}

Test(ops, new_supersedes_in_same_commit)
{
	adr_repo *repo = init_repo();
	adr_record *old, *nw;
	char *before;
	cr_assert_eq(new_record(repo, "Use MySQL", 0, NULL, 0), 2);
	cr_assert_eq(new_record(repo, "Unrelated", 0, NULL, 0), 3);
	before = tu_capture("git rev-parse main");
	cr_assert_eq(new_record(repo, "Use Postgres", 2, NULL, 0), 4);
	/* One commit, holding both files. */
	tu_assert_out(before, "git rev-parse main~1");
	tu_assert_out("docs/decisions/0002-use-mysql.md\ndocs/decisions/0004-use-postgres.md",
		      "git diff-tree --no-commit-id --name-only -r main");
	tu_assert_out("adr: new 0004 Use Postgres\n\nAdr-Action: new\nAdr-Record: 0004\nAdr-Supersedes: 0002",
		      "git cat-file commit main | sed '1,/^$/d'");
	tu_assert_out("", "git status --porcelain");
	old = record(repo, 2);
	nw = record(repo, 4);
	cr_assert_eq(old->status, ADR_STATUS_SUPERSEDED);
	cr_assert_eq(old->superseded_by.count, 1);
	cr_assert_eq(old->superseded_by.items[0], 4);
	cr_assert_eq(nw->supersedes.count, 1);
	cr_assert_eq(nw->supersedes.items[0], 2);
	cr_assert_eq(nw->status, ADR_STATUS_PROPOSED);
	/* The old record's body is untouched. */
	cr_assert_not_null(strstr(old->body, "# Use MySQL"));
	adr_record_free(old);
	adr_record_free(nw);
	free(before);
	adr_repo_free(repo);
}

Test(ops, new_links_add_reverse_links)
{
	adr_repo *repo = init_repo();
	adr_record *a, *b;
	cr_assert_eq(new_record(repo, "Base", 0, NULL, 0), 2);
	cr_assert_eq(new_record(repo, "Amendment", 0, "amends", 2), 3);
	tu_assert_out("docs/decisions/0002-base.md\ndocs/decisions/0003-amendment.md",
		      "git diff-tree --no-commit-id --name-only -r main");
	a = record(repo, 3);
	b = record(repo, 2);
	cr_assert(has_link(a, "amends", 2));
	cr_assert(has_link(b, "amended-by", 3), "record 2 has %zu links", b->nlinks);
	adr_record_free(a);
	adr_record_free(b);

	cr_assert_eq(new_record(repo, "Related", 0, "relates-to", 2), 4);
	b = record(repo, 2);
	cr_assert(has_link(b, "relates-to", 4));
	cr_assert(has_link(b, "amended-by", 3));
	adr_record_free(b);

	cr_assert_eq(new_record(repo, "Blocker", 0, "blocks", 2), 5);
	b = record(repo, 2);
	cr_assert(has_link(b, "blocks-by", 5));
	adr_record_free(b);
	adr_repo_free(repo);
}

Test(ops, new_supersedes_and_links_same_target)
{
	adr_repo *repo = init_repo();
	adr_record *old;
	cr_assert_eq(new_record(repo, "Old", 0, NULL, 0), 2);
	cr_assert_eq(new_record(repo, "New", 2, "extends", 2), 3);
	old = record(repo, 2);
	cr_assert_eq(old->status, ADR_STATUS_SUPERSEDED);
	cr_assert(has_link(old, "extended-by", 3));
	cr_assert_eq(old->superseded_by.count, 1);
	adr_record_free(old);
	adr_repo_free(repo);
}

static void new_missing_target(int supersedes, const char *link_type, int link_to)
{
	adr_repo *repo = init_repo();
	adr_record *r = NULL;
	adr_op_result res = ADR_OP_RESULT_INIT;
	char *head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_record_from_template(&r, repo, NULL, "Orphan"), 0);
	if (supersedes)
		adr_intlist_add(&r->supersedes, supersedes);
	if (link_type)
		adr_record_add_link(r, link_type, link_to);
	cr_assert_eq(adr_op_new(&res, repo, r), ADR_ENOTFOUND, "%s", adr_error_last());
	tu_assert_msg_has("0099");
	tu_assert_out(head, "git rev-parse main");
	tu_assert_out("", "git status --porcelain --untracked-files=all");
	cr_assert_not(tu_exists("docs/decisions/0002-orphan.md"));
	adr_op_result_dispose(&res);
	adr_record_free(r);
	free(head);
	adr_repo_free(repo);
}

Test(ops, new_supersedes_missing) { new_missing_target(99, NULL, 0); }
Test(ops, new_links_missing) { new_missing_target(0, "amends", 99); }

Test(ops, new_supersedes_broken_record)
{
	adr_repo *repo = init_repo();
	adr_record *r = NULL;
	adr_op_result res = ADR_OP_RESULT_INIT;
	char *head;
	tu_write_file("docs/decisions/0002-broken.md", "---\nstatus: [\n---\n# Broken\n");
	tu_commit_all("broken");
	head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_record_from_template(&r, repo, NULL, "Fix"), 0);
	adr_intlist_add(&r->supersedes, 2);
	/* A record that does not parse is reported as such, not as missing. */
	cr_assert_eq(adr_op_new(&res, repo, r), ADR_EINVALID, "%s", adr_error_last());
	tu_assert_msg_has("docs/decisions/0002-broken.md:3:");
	/* What to do is a hint the caller words (issue 12, item 8): the
	 * library's message names no command of the CLI. */
	cr_assert_eq(adr_error_hint(), ADR_HINT_EDIT);
	cr_assert_null(strstr(adr_error_last(), "adr edit"), "%s", adr_error_last());
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);
	adr_record_free(r);
	free(head);
	adr_repo_free(repo);
}

/* --- edit --------------------------------------------------------------------------- */

Test(ops, edit)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_buf cur = ADR_BUF_INIT;
	char *head, *text;
	adr_record *r;

	cr_assert_eq(new_record(repo, "Use Postgres", 0, NULL, 0), 2);
	head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_repo_read_file(&cur, repo, NULL, "docs/decisions/0002-use-postgres.md"), 0);

	/* The same text: no commit. */
	cr_assert_eq(adr_op_edit(&res, repo, 2, cur.ptr, cur.size, cur.ptr, cur.size), 0, "%s", adr_error_last());
	cr_assert(res.commit.unchanged);
	cr_assert_str_eq(res.commit.commit, "");
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);

	/* A real edit, based on what was read. */
	text = malloc(cur.size + 64);
	memcpy(text, cur.ptr, cur.size);
	strcpy(text + cur.size, "\nMore context.\n");
	cr_assert_eq(adr_op_edit(&res, repo, 2, text, strlen(text), cur.ptr, cur.size), 0, "%s", adr_error_last());
	cr_assert_eq(res.number, 2);
	cr_assert_str_eq(res.path, "docs/decisions/0002-use-postgres.md");
	tu_assert_out(head, "git rev-parse main~1");
	tu_assert_out("adr: edit 0002 Use Postgres\n\nAdr-Action: edit\nAdr-Record: 0002",
		      "git cat-file commit main | sed '1,/^$/d'");
	{
		char *now = tu_capture("git show main:docs/decisions/0002-use-postgres.md; echo .");
		size_t n = strlen(now);
		now[n - 1] = '\0'; /* drop the "." that kept the trailing newlines */
		cr_assert_str_eq(now, text);
		free(now);
	}
	tu_assert_out("", "git status --porcelain");
	adr_op_result_dispose(&res);
	free(head);

	/* Without a base, no check. */
	r = record(repo, 2);
	cr_assert_not_null(strstr(r->body, "More context."));
	adr_record_free(r);
	cr_assert_eq(adr_op_edit(&res, repo, 2, cur.ptr, cur.size, NULL, 0), 0, "%s", adr_error_last());
	cr_assert_not(res.commit.unchanged);
	adr_op_result_dispose(&res);
	free(text);
	adr_buf_dispose(&cur);
	adr_repo_free(repo);
}

Test(ops, edit_base_mismatch)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_buf cur = ADR_BUF_INIT;
	const char *stale = "---\nstatus: proposed\n---\n# Something else\n";
	const char *mine = "---\nstatus: proposed\n---\n# Mine\n";
	char *head;

	cr_assert_eq(new_record(repo, "Use Postgres", 0, NULL, 0), 2);
	head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_op_edit(&res, repo, 2, mine, strlen(mine), stale, strlen(stale)), ADR_ECONFLICT);
	tu_assert_msg_has("docs/decisions/0002-use-postgres.md");
	tu_assert_msg_has("changed");
	tu_assert_out(head, "git rev-parse main");
	tu_assert_out("", "git status --porcelain");
	adr_op_result_dispose(&res);

	/* A base that differs only by its length (a prefix) is a mismatch too. */
	cr_assert_eq(adr_repo_read_file(&cur, repo, NULL, "docs/decisions/0002-use-postgres.md"), 0);
	cr_assert_eq(adr_op_edit(&res, repo, 2, mine, strlen(mine), cur.ptr, cur.size - 1), ADR_ECONFLICT);
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);
	adr_buf_dispose(&cur);
	free(head);
	adr_repo_free(repo);
}

Test(ops, edit_invalid_text)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	const char *bad = "---\nstatus: accepted\ndate: [2030\n---\n# Bad\n";
	const char *bad_status = "---\nstatus: pondering\n---\n# Bad\n";
	char *head;

	cr_assert_eq(new_record(repo, "Use Postgres", 0, NULL, 0), 2);
	head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_op_edit(&res, repo, 2, bad, strlen(bad), NULL, 0), ADR_EINVALID);
	tu_assert_msg_has("docs/decisions/0002-use-postgres.md:");
	cr_assert(strstr(adr_error_last(), "0002-use-postgres.md:3:") ||
			  strstr(adr_error_last(), "0002-use-postgres.md:4:"),
		  "%s", adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_op_edit(&res, repo, 2, bad_status, strlen(bad_status), NULL, 0), ADR_EINVALID);
	tu_assert_msg_has("docs/decisions/0002-use-postgres.md:2:");
	tu_assert_msg_has("pondering");
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_op_edit(&res, repo, 2, "a\0b", 3, NULL, 0), ADR_EINVALID);
	tu_assert_msg_has("docs/decisions/0002-use-postgres.md:1:");
	adr_op_result_dispose(&res);
	tu_assert_out(head, "git rev-parse main");
	tu_assert_out("", "git status --porcelain");
	free(head);
	adr_repo_free(repo);
}

Test(ops, edit_missing_and_broken)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	const char *fixed = "---\nstatus: proposed\n---\n# Fixed\n";
	adr_record *r;

	cr_assert_eq(adr_op_edit(&res, repo, 42, fixed, strlen(fixed), NULL, 0), ADR_ENOTFOUND);
	tu_assert_msg_has("0042");
	adr_op_result_dispose(&res);

	/* A record that does not parse can be fixed with edit. */
	tu_write_file("docs/decisions/0002-broken.md", "---\nstatus: [\n---\n# Broken\n");
	tu_commit_all("broken");
	cr_assert_eq(adr_op_edit(&res, repo, 2, fixed, strlen(fixed), NULL, 0), 0, "%s", adr_error_last());
	r = record(repo, 2);
	cr_assert_not_null(r);
	cr_assert_str_eq(r->title, "Fixed");
	adr_record_free(r);
	adr_op_result_dispose(&res);
	adr_repo_free(repo);
}

/* --- status ---------------------------------------------------------------------------- */

Test(ops, set_status)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *r;
	char *head;

	cr_assert_eq(new_record(repo, "Use Postgres", 0, NULL, 0), 2);
	setenv("ADR_NOW", "2030-06-07", 1);

	/* Rejecting keeps the date. */
	cr_assert_eq(adr_op_set_status(&res, repo, 2, ADR_STATUS_REJECTED), 0, "%s", adr_error_last());
	r = record(repo, 2);
	cr_assert_eq(r->status, ADR_STATUS_REJECTED);
	cr_assert_str_eq(r->date, "2030-01-02");
	adr_record_free(r);
	adr_op_result_dispose(&res);

	/* Accepting sets the date to today. */
	cr_assert_eq(adr_op_set_status(&res, repo, 2, ADR_STATUS_ACCEPTED), 0, "%s", adr_error_last());
	cr_assert_eq(res.number, 2);
	cr_assert_str_eq(res.path, "docs/decisions/0002-use-postgres.md");
	r = record(repo, 2);
	cr_assert_eq(r->status, ADR_STATUS_ACCEPTED);
	cr_assert_str_eq(r->date, "2030-06-07");
	adr_record_free(r);
	tu_assert_out("adr: status 0002 accepted: Use Postgres\n\nAdr-Action: status\nAdr-Record: 0002\nAdr-Status: accepted",
		      "git cat-file commit main | sed '1,/^$/d'");
	tu_assert_out("docs/decisions/0002-use-postgres.md", "git diff-tree --no-commit-id --name-only -r main");
	tu_assert_out("", "git status --porcelain");
	adr_op_result_dispose(&res);

	/* Accepting again changes nothing: no commit, the date stays. */
	setenv("ADR_NOW", "2031-01-01", 1);
	head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_op_set_status(&res, repo, 2, ADR_STATUS_ACCEPTED), 0, "%s", adr_error_last());
	cr_assert(res.commit.unchanged);
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);

	cr_assert_eq(adr_op_set_status(&res, repo, 2, ADR_STATUS_NONE), ADR_EUSAGE);
	cr_assert_eq(adr_op_set_status(&res, repo, 77, ADR_STATUS_DEPRECATED), ADR_ENOTFOUND);
	tu_assert_msg_has("0077");
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);
	free(head);
	adr_repo_free(repo);
}

/* --- supersede ---------------------------------------------------------------------------- */

Test(ops, supersede)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *old, *nw;
	char *head;

	cr_assert_eq(new_record(repo, "Use MySQL", 0, NULL, 0), 2);
	cr_assert_eq(new_record(repo, "Use Postgres", 0, NULL, 0), 3);
	head = tu_capture("git rev-parse main");

	cr_assert_eq(adr_op_supersede(&res, repo, 2, 2), ADR_EUSAGE);
	tu_assert_msg_has("itself");
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);

	cr_assert_eq(adr_op_supersede(&res, repo, 2, 3), 0, "%s", adr_error_last());
	cr_assert_eq(res.number, 3);
	cr_assert_str_eq(res.path, "docs/decisions/0003-use-postgres.md");
	tu_assert_out(head, "git rev-parse main~1");
	tu_assert_out("docs/decisions/0002-use-mysql.md\ndocs/decisions/0003-use-postgres.md",
		      "git diff-tree --no-commit-id --name-only -r main");
	tu_assert_out("adr: supersede 0002 with 0003\n\nAdr-Action: supersede\nAdr-Record: 0003\nAdr-Supersedes: 0002",
		      "git cat-file commit main | sed '1,/^$/d'");
	tu_assert_out("", "git status --porcelain");
	old = record(repo, 2);
	nw = record(repo, 3);
	cr_assert_eq(old->status, ADR_STATUS_SUPERSEDED);
	cr_assert_eq(old->superseded_by.count, 1);
	cr_assert_eq(old->superseded_by.items[0], 3);
	cr_assert_eq(nw->supersedes.count, 1);
	cr_assert_eq(nw->supersedes.items[0], 2);
	adr_record_free(old);
	adr_record_free(nw);
	adr_op_result_dispose(&res);
	free(head);

	/* The other way round is a cycle. */
	head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_op_supersede(&res, repo, 3, 2), ADR_EINVALID);
	tu_assert_msg_has("cycle");
	cr_assert_eq(adr_op_supersede(&res, repo, 2, 99), ADR_ENOTFOUND);
	tu_assert_msg_has("0099");
	cr_assert_eq(adr_op_supersede(&res, repo, 98, 2), ADR_ENOTFOUND);
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);
	free(head);
	adr_repo_free(repo);
}

/* --- link -------------------------------------------------------------------------------- */

Test(ops, link_reverse_table)
{
	static const char *const pairs[][2] = {
		{ "amends", "amended-by" },       { "relates-to", "relates-to" },
		{ "depends-on", "required-by" },  { "extends", "extended-by" },
		{ "clarifies", "clarified-by" },  { "implements", "implemented-by" },
		{ "refines", "refined-by" },      { "conflicts-with", "conflicts-with" },
		{ "blocks", "blocks-by" },        { "replaces", "replaces-by" },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		char *fwd = adr_link_reverse(pairs[i][0]), *back = adr_link_reverse(pairs[i][1]);
		cr_assert_str_eq(fwd, pairs[i][1]);
		cr_assert_str_eq(back, pairs[i][0]);
		free(fwd);
		free(back);
	}
	{
		/* "-by" is removed; a name that is only "-by" keeps growing rather than vanishing. */
		char *r1 = adr_link_reverse("reviewed-by"), *r2 = adr_link_reverse("x");
		cr_assert_str_eq(r1, "reviewed");
		cr_assert_str_eq(r2, "x-by");
		free(r1);
		free(r2);
	}
}

Test(ops, link)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *a, *b;
	char *head;

	cr_assert_eq(new_record(repo, "Alpha", 0, NULL, 0), 2);
	cr_assert_eq(new_record(repo, "Beta", 0, NULL, 0), 3);
	head = tu_capture("git rev-parse main");

	cr_assert_eq(adr_op_link(&res, repo, 2, "amends", 3, NULL), 0, "%s", adr_error_last());
	cr_assert_eq(res.number, 2);
	cr_assert_str_eq(res.path, "docs/decisions/0002-alpha.md");
	tu_assert_out(head, "git rev-parse main~1");
	tu_assert_out("docs/decisions/0002-alpha.md\ndocs/decisions/0003-beta.md",
		      "git diff-tree --no-commit-id --name-only -r main");
	tu_assert_out("adr: link 0002 amends 0003\n\nAdr-Action: link\nAdr-Record: 0002\nAdr-Record: 0003",
		      "git cat-file commit main | sed '1,/^$/d'");
	tu_assert_out("", "git status --porcelain");
	a = record(repo, 2);
	b = record(repo, 3);
	cr_assert(has_link(a, "amends", 3));
	cr_assert(has_link(b, "amended-by", 2));
	adr_record_free(a);
	adr_record_free(b);
	adr_op_result_dispose(&res);

	/* From the table, the "-by" rule, and an explicit reverse. */
	cr_assert_eq(adr_op_link(&res, repo, 2, "depends-on", 3, NULL), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_op_link(&res, repo, 3, "reviewed-by", 2, NULL), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_op_link(&res, repo, 2, "blocks", 3, NULL), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_op_link(&res, repo, 2, "replaces", 3, "replaced-by"), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	a = record(repo, 2);
	b = record(repo, 3);
	cr_assert(has_link(b, "required-by", 2));
	cr_assert(has_link(a, "reviewed", 3));
	cr_assert(has_link(b, "reviewed-by", 2));
	cr_assert(has_link(b, "blocks-by", 2));
	cr_assert(has_link(b, "replaced-by", 2));
	cr_assert(has_link(a, "replaces", 3));
	cr_assert(has_link(b, "amended-by", 2), "earlier links stay");
	adr_record_free(a);
	adr_record_free(b);

	/* The same link again changes nothing. */
	free(head);
	head = tu_capture("git rev-parse main");
	cr_assert_eq(adr_op_link(&res, repo, 2, "amends", 3, NULL), 0, "%s", adr_error_last());
	cr_assert(res.commit.unchanged);
	tu_assert_out(head, "git rev-parse main");
	adr_op_result_dispose(&res);
	free(head);
	adr_repo_free(repo);
}

Test(ops, link_refusals)
{
	static const char *const bad[] = { "Bad Type", "UPPER", "9lives", "-x", "a_b", "", "a/b",
					   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL };
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	char *head;

	cr_assert_eq(new_record(repo, "Alpha", 0, NULL, 0), 2);
	head = tu_capture("git rev-parse main");
	for (int i = 0; bad[i]; i++) {
		cr_assert_eq(adr_op_link(&res, repo, 1, bad[i], 2, NULL), ADR_EUSAGE, "type '%s'", bad[i]);
		tu_assert_msg_has("link type");
		cr_assert_eq(adr_op_link(&res, repo, 1, "amends", 2, bad[i]), ADR_EUSAGE, "reverse '%s'", bad[i]);
	}
	cr_assert_eq(adr_op_link(&res, repo, 2, "amends", 2, NULL), ADR_EUSAGE);
	tu_assert_msg_has("itself");
	cr_assert_eq(adr_op_link(&res, repo, 2, "amends", 99, NULL), ADR_ENOTFOUND);
	tu_assert_msg_has("0099");
	cr_assert_eq(adr_op_link(&res, repo, 99, "amends", 2, NULL), ADR_ENOTFOUND);
	tu_assert_out(head, "git rev-parse main");
	tu_assert_out("", "git status --porcelain");
	adr_op_result_dispose(&res);
	free(head);
	adr_repo_free(repo);
}

Test(ops, broken_target_is_reported)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	char *head;
	cr_assert_eq(new_record(repo, "Fine", 0, NULL, 0), 2);
	tu_write_file("docs/decisions/0003-broken.md", "---\nstatus: accepted\nstatus: proposed\n---\n# Broken\n");
	tu_write_file("docs/decisions/0004-odd.md", "---\nstatus: pondering\n---\n# Odd\n");
	tu_commit_all("by hand");
	head = tu_capture("git rev-parse main");

	cr_assert_eq(adr_op_set_status(&res, repo, 3, ADR_STATUS_ACCEPTED), ADR_EINVALID, "%s", adr_error_last());
	tu_assert_msg_has("docs/decisions/0003-broken.md:3:");
	cr_assert_eq(adr_op_link(&res, repo, 2, "amends", 3, NULL), ADR_EINVALID, "%s", adr_error_last());
	tu_assert_msg_has("docs/decisions/0003-broken.md:3:");
	cr_assert_eq(adr_op_supersede(&res, repo, 3, 2), ADR_EINVALID, "%s", adr_error_last());
	/* A schema problem (read leniently) is refused the same way. */
	cr_assert_eq(adr_op_set_status(&res, repo, 4, ADR_STATUS_ACCEPTED), ADR_EINVALID, "%s", adr_error_last());
	tu_assert_msg_has("docs/decisions/0004-odd.md:2:");
	cr_assert_eq(adr_error_hint(), ADR_HINT_EDIT);
	tu_assert_out(head, "git rev-parse main");
	tu_assert_out("", "git status --porcelain");
	adr_op_result_dispose(&res);
	free(head);
	adr_repo_free(repo);
}
