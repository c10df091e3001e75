/*
 * test_errors_history.c: the error paths of lib/git/history.c that real broken
 * repositories reach. The broken objects are made with git plumbing
 * (hash-object --literally writes trees and commits git would refuse): a
 * records directory that is a blob or missing, trees whose bytes are not a
 * tree, a parent that is a blob, in a full and in a shallow repository, and
 * a loader that answers for the wrong path. The walk only reads: each test
 * checks the message.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/history.h"
#include "adr/repo.h"
#include "git/history_internal.h"
#include "testutil.h"

TestSuite(errors_history, .init = tu_setup, .fini = tu_teardown);

#define ZERO_ID "0123456789012345678901234567890123456789"

/* One record committed on main (the records directory: docs/decisions). */
static void base(void)
{
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-use-postgres.md",
		      "---\nstatus: accepted\ndate: 2026-11-01\n---\n# Use PostgreSQL\n");
	tu_commit_all("base");
}

/* Writes a tree object from "MODE NAME HEX" entries, unchecked; returns its id. */
static char *raw_tree(const char *entries)
{
	return tu_capture_ok("python3 -c 'import sys, subprocess, binascii\n"
			     "data = b\"\"\n"
			     "for a in sys.argv[1].split(\";\"):\n"
			     "    m, n, h = a.split(\" \")\n"
			     "    data += m.encode() + b\" \" + n.encode() + b\"\\0\" + binascii.unhexlify(h)\n"
			     "print(subprocess.run([\"git\", \"hash-object\", \"-t\", \"tree\", \"-w\", \"--literally\", "
			     "\"--stdin\"], input=data, capture_output=True, check=True).stdout.decode().strip())' '%s'",
			     entries);
}

/* Writes a tree object holding exactly `bytes` (printf format). */
static char *bytes_tree(const char *bytes)
{
	return tu_capture_ok("printf '%s' | git hash-object -t tree -w --literally --stdin", bytes);
}

/* A commit of `tree` with an optional parent (any object), written as is. */
static char *raw_commit(const char *tree, const char *parent)
{
	return tu_capture_ok("printf 'tree %s\\n%s%s%sauthor A <a@x> 1 +0000\\ncommitter A <a@x> 1 +0000\\n\\nx\\n' | "
			     "git hash-object -t commit -w --stdin --literally",
			     tree, parent ? "parent " : "", parent ? parent : "", parent ? "\\n" : "");
}

/* A commit on top of HEAD whose root tree has docs -> `docs_tree`. */
static char *commit_with_docs(const char *docs_tree)
{
	char entry[128], *root, *head, *c;
	snprintf(entry, sizeof(entry), "40000 docs %s", docs_tree);
	root = raw_tree(entry);
	head = tu_capture_ok("git rev-parse HEAD");
	c = raw_commit(root, head);
	free(root);
	free(head);
	return c;
}

/* A full walk from `tip`: read by the scan (git/history_scan.c), or with
 * `serial` by libgit2's revwalk, as an incremental walk is. */
static int walk_with(const char *tip, bool serial)
{
	adr_history *h = NULL;
	adr_repo *repo = tu_open_ok(tu_repo_dir);
	int rc;
	cr_assert_eq(adr_history_new(&h), 0);
	adr__history_set_serial(h, serial);
	rc = adr_history_walk(h, repo, tip, NULL, NULL, NULL);
	adr_history_free(h);
	adr_repo_free(repo);
	return rc;
}

static int walk(const char *tip)
{
	return walk_with(tip, false);
}

Test(errors_history, records_directory_is_a_blob)
{
	char *blob, *docs, *c, entry[128], expect[128];
	base();
	blob = tu_capture_ok("git rev-parse HEAD:docs/decisions/0001-use-postgres.md");
	snprintf(entry, sizeof(entry), "40000 decisions %s", blob);
	docs = raw_tree(entry);
	c = commit_with_docs(docs);
	cr_assert_eq(walk(c), ADR_EINVALID);
	snprintf(expect, sizeof(expect), "object %s is not a tree", blob);
	cr_assert_str_eq(adr_error_last(), expect);
	free(blob), free(docs), free(c);
}

Test(errors_history, records_directory_missing)
{
	char *docs, *c;
	base();
	docs = raw_tree("40000 decisions " ZERO_ID);
	c = commit_with_docs(docs);
	cr_assert_eq(walk(c), ADR_ENOTFOUND);
	tu_assert_msg_has("cannot read tree " ZERO_ID ": ");
	free(docs), free(c);
}

Test(errors_history, root_tree_is_not_a_tree)
{
	char *root, *head, *c, expect[128];
	base();
	/* A mode and a name with no NUL and no id after them. */
	root = bytes_tree("40000 docs");
	head = tu_capture_ok("git rev-parse HEAD");
	c = raw_commit(root, head);
	cr_assert_eq(walk(c), ADR_EINVALID);
	snprintf(expect, sizeof(expect), "corrupt tree %s", root);
	cr_assert_str_eq(adr_error_last(), expect);
	free(root), free(head), free(c);
}

Test(errors_history, records_directory_tree_is_not_a_tree)
{
	char *dir, *docs, *c, entry[128];
	adr__dir_changes ch = { 0 };
	adr_repo *repo;
	char *head;
	base();
	head = tu_capture_ok("git rev-parse HEAD");
	dir = bytes_tree("100644 0002-x.md");
	snprintf(entry, sizeof(entry), "40000 decisions %s", dir);
	docs = raw_tree(entry);
	c = commit_with_docs(docs);
	cr_assert_eq(walk(c), ADR_EINVALID);
	cr_assert_str_eq(adr_error_last(), "corrupt records directory tree");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr__records_dir_changes(&ch, repo, head, c), ADR_EINVALID);
	cr_assert_str_eq(adr_error_last(), "corrupt records directory tree");
	cr_assert_eq(ch.count, 0);
	adr_repo_free(repo);
	free(head), free(dir), free(docs), free(c);
}

Test(errors_history, dir_changes_of_bad_commits)
{
	adr__dir_changes ch = { 0 };
	adr_repo *repo;
	char *head;
	base();
	head = tu_capture_ok("git rev-parse HEAD");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr__records_dir_changes(&ch, repo, "main", head), ADR_EINVALID);
	cr_assert_str_eq(adr_error_last(), "'main' is not a commit id");
	cr_assert_eq(adr__records_dir_changes(&ch, repo, head, ZERO_ID), ADR_ENOTFOUND);
	tu_assert_msg_has("cannot read commit " ZERO_ID ": ");
	cr_assert_eq(ch.count, 0);
	adr_repo_free(repo);
	free(head);
}

Test(errors_history, parent_is_a_blob)
{
	char *blob, *tree, *c, expect[128];
	base();
	blob = tu_capture_ok("git rev-parse HEAD:docs/decisions/0001-use-postgres.md");
	tree = tu_capture_ok("git rev-parse 'HEAD^{tree}'");
	c = raw_commit(tree, blob);
	tu_run("git update-ref refs/heads/main %s", c);
	/* the scan reads the parent itself */
	cr_assert_lt(walk(c), 0);
	snprintf(expect, sizeof(expect), "cannot read commit %s: ", blob);
	tu_assert_msg_has(expect);
	/* libgit2's revwalk reads it for the order */
	cr_assert_lt(walk_with(c, true), 0);
	tu_assert_msg_has("cannot walk the history of refs/heads/main: ");
	free(blob), free(tree), free(c);
}

Test(errors_history, parent_is_a_blob_in_a_shallow_repository)
{
	char *blob, *tree, *c, *head, expect[128];
	base();
	head = tu_capture_ok("git rev-parse HEAD");
	blob = tu_capture_ok("git rev-parse HEAD:docs/decisions/0001-use-postgres.md");
	tree = tu_capture_ok("git rev-parse 'HEAD^{tree}'");
	c = raw_commit(tree, blob);
	/* Shallow: the first commit is a boundary; the walk reads objects itself. */
	tu_run("echo %s > .git/shallow", head);
	cr_assert_lt(walk(c), 0);
	snprintf(expect, sizeof(expect), "cannot read commit %s: ", blob);
	tu_assert_msg_has(expect);
	free(blob), free(tree), free(c), free(head);
}

static int wrong_loader(adr_history_entry **out, const char *path, void *payload)
{
	(void)path;
	(void)payload;
	return adr_history_entry_new(out, "docs/decisions/9999-other.md");
}

Test(errors_history, loader_answers_for_another_path)
{
	adr_history *h = NULL;
	adr_repo *repo;
	char *head;
	base();
	head = tu_capture_ok("git rev-parse HEAD");
	tu_write_file("docs/decisions/0001-use-postgres.md",
		      "---\nstatus: accepted\ndate: 2026-11-01\n---\n# Use PostgreSQL 16\n");
	tu_commit_all("edit");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_history_new(&h), 0);
	cr_assert_eq(adr_history_walk(h, repo, NULL, head, wrong_loader, NULL), ADR_ERROR);
	cr_assert_str_eq(adr_error_last(),
			 "history loader gave the wrong path for 'docs/decisions/0001-use-postgres.md'");
	adr_history_free(h);
	adr_repo_free(repo);
	free(head);
}
