/*
 * test_repo.c: repository discovery, configuration, records, templates and
 * the small helpers of lib/git/repo.c.
 *
 * Every test builds its own repository with the git command line in a fresh
 * mkdtemp directory (HOME points inside it, GIT_CONFIG_NOSYSTEM=1) and
 * removes it afterwards.
 */
#include <criterion/criterion.h>
#include <git2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adr/repo.h"
#include "adr/record.h"
#include "git/repo_internal.h"
#include "testutil.h"

static int open_err(const char *dir)
{
	adr_repo *repo = NULL;
	int rc = adr_repo_open(&repo, dir);
	cr_assert_lt(rc, 0, "adr_repo_open(%s) should fail", dir ? dir : "NULL");
	cr_assert_null(repo);
	return rc;
}

static const char *RECORD_A = "---\nstatus: accepted\ndate: 2024-01-02\n---\n# Alpha\n\nBody.\n";
static const char *RECORD_B = "---\nstatus: proposed\n---\n# Beta\n";
static const char *RECORD_C = "# Gamma\n\nNo front matter.\n";

TestSuite(repo, .init = tu_setup, .fini = tu_teardown, .timeout = 30);

/* --- discovery ------------------------------------------------------------ */

Test(repo, open_from_subdirectory)
{
	char sub[TU_PATH_BUF], expect[TU_PATH_BUF];
	adr_repo *repo;

	tu_git_init("main");
	tu_write_file("a/b/c/file.txt", "x\n");
	tu_commit_all("one");
	snprintf(sub, sizeof(sub), "%s/a/b/c", tu_repo_dir);
	repo = tu_open_ok(sub);
	snprintf(expect, sizeof(expect), "%s/", tu_repo_dir);
	cr_assert_str_eq(adr_repo_workdir(repo), expect);
	snprintf(expect, sizeof(expect), "%s/.git/", tu_repo_dir);
	cr_assert_str_eq(adr_repo_gitdir(repo), expect);
	cr_assert_str_eq(adr_repo_commondir(repo), expect);
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/main");
	adr_repo_free(repo);

	/* NULL means the current directory. */
	cr_assert_eq(chdir(sub), 0);
	repo = tu_open_ok(NULL);
	snprintf(expect, sizeof(expect), "%s/", tu_repo_dir);
	cr_assert_str_eq(adr_repo_workdir(repo), expect);
	adr_repo_free(repo);
}

Test(repo, open_bare)
{
	char bare[TU_PATH_BUF], expect[TU_PATH_BUF + 8];
	adr_repo *repo;
	adr_recordset set = ADR_RECORDSET_INIT;

	tu_git_init("main");
	tu_write_file("docs/decisions/0001-alpha.md", RECORD_A);
	tu_commit_all("one");
	snprintf(bare, sizeof(bare), "%s/bare.git", tu_root);
	tu_run("git clone -q --bare . '%s'", bare);

	repo = tu_open_ok(bare);
	cr_assert_null(adr_repo_workdir(repo));
	snprintf(expect, sizeof(expect), "%s/", bare);
	cr_assert_str_eq(adr_repo_gitdir(repo), expect);
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/main");
	cr_assert_str_eq(adr_repo_records_dir(repo), "docs/decisions");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), "existing");
	cr_assert_eq(adr_repo_records(&set, repo, NULL, 0), 0, "%s", adr_error_last());
	cr_assert_eq(set.count, 1);
	cr_assert_str_eq(set.items[0]->title, "Alpha");
	adr_recordset_dispose(&set);
	adr_repo_free(repo);
}

Test(repo, open_from_git_dir_env)
{
	char gitdir[TU_PATH_BUF], expect[TU_PATH_BUF + 8];
	adr_repo *repo;

	tu_git_init("main");
	tu_write_file(".adr.yaml", "dir: adr\n");
	tu_commit_all("one");
	snprintf(gitdir, sizeof(gitdir), "%s/.git", tu_repo_dir);
	/* Like a hook: GIT_DIR set, run from somewhere that is not the repository. */
	cr_assert_eq(chdir(tu_root), 0);
	setenv("GIT_DIR", gitdir, 1);
	repo = tu_open_ok(NULL);
	snprintf(expect, sizeof(expect), "%s/", gitdir);
	cr_assert_str_eq(adr_repo_gitdir(repo), expect);
	cr_assert_str_eq(adr_repo_records_dir(repo), "adr");
	cr_assert(adr_repo_has_config(repo));
	/* As in git: GIT_DIR without GIT_WORK_TREE or core.worktree makes the
	 * current directory the top of the work tree (F17). */
	snprintf(expect, sizeof(expect), "%s/", tu_root);
	cr_assert_str_eq(adr_repo_workdir(repo), expect);
	adr_repo_free(repo);
	unsetenv("GIT_DIR");
}

Test(repo, open_from_git_dir_and_work_tree_env)
{
	char gitdir[TU_PATH_BUF], index[TU_PATH_BUF], expect[TU_PATH_BUF + 8];
	adr_repo *repo;

	tu_git_init("main");
	tu_write_file(".adr.yaml", "dir: adr\n");
	tu_commit_all("one");
	snprintf(gitdir, sizeof(gitdir), "%s/.git", tu_repo_dir);
	snprintf(index, sizeof(index), "%s/other-index", tu_root);
	cr_assert_eq(chdir(tu_root), 0);
	/* F17: libgit2 1.5 refuses GIT_WORK_TREE with GIT_REPOSITORY_OPEN_FROM_ENV. */
	setenv("GIT_DIR", gitdir, 1);
	setenv("GIT_WORK_TREE", "repo", 1);
	setenv("GIT_INDEX_FILE", "other-index", 1);
	repo = tu_open_ok(NULL);
	snprintf(expect, sizeof(expect), "%s/", tu_repo_dir);
	cr_assert_str_eq(adr_repo_workdir(repo), expect);
	snprintf(expect, sizeof(expect), "%s/", gitdir);
	cr_assert_str_eq(adr_repo_gitdir(repo), expect);
	cr_assert_str_eq(adr__repo_index_path(repo), index);
	{
		git_index *idx = NULL;
		cr_assert_eq(git_repository_index(&idx, adr__repo_git(repo)), 0);
		cr_assert_str_eq(git_index_path(idx), index);
		git_index_free(idx);
	}
	cr_assert_str_eq(adr_repo_records_dir(repo), "adr");
	adr_repo_free(repo);

	/* Without GIT_INDEX_FILE: the repository's own index. */
	unsetenv("GIT_INDEX_FILE");
	repo = tu_open_ok(NULL);
	snprintf(expect, sizeof(expect), "%s/index", gitdir);
	cr_assert_str_eq(adr__repo_index_path(repo), expect);
	adr_repo_free(repo);

	setenv("GIT_WORK_TREE", "missing", 1);
	cr_assert_eq(open_err(NULL), ADR_ENOTFOUND);
	tu_assert_msg_has("GIT_WORK_TREE 'missing' is not a directory");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_DIR");
}

Test(repo, index_file_env_without_git_dir)
{
	char expect[TU_PATH_BUF];
	adr_repo *repo;

	tu_git_init("main");
	tu_write_file("README", "x\n");
	tu_commit_all("one");
	cr_assert_eq(chdir(tu_repo_dir), 0);
	setenv("GIT_INDEX_FILE", ".git/alt", 1);
	repo = tu_open_ok(NULL);
	snprintf(expect, sizeof(expect), "%s/.git/alt", tu_repo_dir);
	cr_assert_str_eq(adr__repo_index_path(repo), expect);
	{
		git_index *idx = NULL;
		cr_assert_eq(git_repository_index(&idx, adr__repo_git(repo)), 0);
		cr_assert_str_eq(git_index_path(idx), expect);
		git_index_free(idx);
	}
	adr_repo_free(repo);
	/* An explicit directory ignores the environment. */
	repo = tu_open_ok(tu_repo_dir);
	snprintf(expect, sizeof(expect), "%s/.git/index", tu_repo_dir);
	cr_assert_str_eq(adr__repo_index_path(repo), expect);
	adr_repo_free(repo);
	unsetenv("GIT_INDEX_FILE");
}

Test(repo, git_common_dir_env_is_refused)
{
	char gitdir[TU_PATH_BUF];

	tu_git_init("main");
	tu_write_file("README", "x\n");
	tu_commit_all("one");
	snprintf(gitdir, sizeof(gitdir), "%s/.git", tu_repo_dir);
	setenv("GIT_DIR", gitdir, 1);
	setenv("GIT_COMMON_DIR", gitdir, 1);
	cr_assert_eq(open_err(NULL), ADR_EUSAGE);
	tu_assert_msg_has("GIT_COMMON_DIR");
	unsetenv("GIT_COMMON_DIR");
	unsetenv("GIT_DIR");
}

/* --- durable mode (RELIABILITY.md S4) -------------------------------------- */

static bool durable_with(const char *adr_yaml, const char *git_key, const char *git_value)
{
	adr_repo *repo;
	bool on;

	tu_git_init("main");
	tu_write_file(".adr.yaml", adr_yaml);
	tu_commit_all("config");
	if (git_key)
		tu_run("git config '%s' '%s'", git_key, git_value);
	repo = tu_open_ok(tu_repo_dir);
	on = adr__repo_durable(repo);
	adr_repo_free(repo);
	return on;
}

Test(repo, durable_from_adr_yaml)
{
	cr_assert(durable_with("durable: true\n", NULL, NULL));
}

Test(repo, durable_false_and_absent)
{
	cr_assert_not(durable_with("durable: false\n", NULL, NULL));
	tu_run("rm -rf .git");
	cr_assert_not(durable_with("dir: docs/decisions\n", NULL, NULL));
}

Test(repo, durable_bad_values)
{
	static const char *bad[] = { "durable: yes\n", "durable: \"\"\n", "durable: [true]\n", "durable:\n" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		tu_run("rm -rf .git");
		tu_git_init("main");
		tu_write_file(".adr.yaml", bad[i]);
		tu_commit_all("config");
		cr_assert_eq(open_err(tu_repo_dir), ADR_EINVALID, "%s", bad[i]);
		tu_assert_msg_has(".adr.yaml:1:");
		tu_assert_msg_has(": durable must be true or false");
	}
}

/* git's core.fsync: the components adr writes (loose-object, reference, index)
 * or a group with one of them turn durable mode on; "-x" only removes from
 * git's default, as in git. */
Test(repo, durable_from_core_fsync)
{
	static const struct { const char *value; bool on; } cases[] = {
		{ "committed", true }, { "loose-object", true }, { "reference", true }, { "index", true },
		{ "objects", true }, { "added", true }, { "all", true }, { "pack,reference", true },
		{ " pack , reference ", true },
		{ "pack", false }, { "none", false }, { "pack-metadata,commit-graph", false },
		{ "-pack", false }, { "derived-metadata", false }, { "unknown", false },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		tu_run("rm -rf .git");
		cr_assert_eq(durable_with("dir: adr\n", "core.fsync", cases[i].value), cases[i].on,
			     "core.fsync=%s", cases[i].value);
	}
}

Test(repo, durable_from_core_fsync_object_files)
{
	cr_assert(durable_with("dir: adr\n", "core.fsyncObjectFiles", "true"));
	tu_run("rm -rf .git");
	cr_assert_not(durable_with("dir: adr\n", "core.fsyncObjectFiles", "false"));
}

Test(repo, fsync_helpers)
{
	char path[TU_PATH_BUF];
	FILE *f;

	tu_git_init("main");
	tu_write_file("a/file.txt", "x\n");
	snprintf(path, sizeof(path), "%s/a/file.txt", tu_repo_dir);
	cr_assert_eq(adr__fsync_path(path), 0);
	cr_assert_eq(adr__fsync_parent(path), 0);
	f = fopen(path, "r");
	cr_assert_not_null(f);
	cr_assert_eq(adr__fsync_fd(fileno(f), path), 0);
	fclose(f);
	cr_assert_eq(adr__fsync_parent("/"), 0);
	snprintf(path, sizeof(path), "%s/a/missing", tu_repo_dir);
	cr_assert_eq(adr__fsync_path(path), ADR_EOS);
	tu_assert_msg_has("cannot open '");
	tu_assert_msg_has("/a/missing' to sync it: No such file or directory");
	cr_assert_eq(adr__fsync_fd(-1, "nowhere"), ADR_EOS);
	tu_assert_msg_has("cannot sync 'nowhere' to disk: Bad file descriptor");
}

Test(repo, not_a_repository)
{
	cr_assert_eq(open_err(tu_repo_dir), ADR_ENOTFOUND);
	tu_assert_msg_has("not a git repository");
	tu_assert_msg_has(tu_repo_dir);
	cr_assert_eq(adr_error_code(), ADR_ENOTFOUND);
}

/* --- the records directory ------------------------------------------------ */

Test(repo, records_dir_from_adr_yaml)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file(".adr.yaml", "dir: ./architecture/decisions/\n");
	tu_write_file("doc/adr/.keep", "");
	tu_write_file(".adr-dir", "elsewhere\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_records_dir(repo), "architecture/decisions");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), ".adr.yaml");
	cr_assert(adr_repo_has_config(repo));
	cr_assert_str_eq(adr_repo_template(repo), "default");
	cr_assert_eq(adr_repo_default_visibility(repo), ADR_VISIBILITY_NONE);
	adr_repo_free(repo);
}

Test(repo, records_dir_from_committed_adr_dir)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file(".adr-dir", "doc/architecture/decisions\n");
	tu_write_file("doc/adr/.keep", "");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_records_dir(repo), "doc/architecture/decisions");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), ".adr-dir");
	cr_assert_not(adr_repo_has_config(repo));
	adr_repo_free(repo);
}

Test(repo, records_dir_from_worktree_adr_dir)
{
	adr_repo *repo;
	/* adr-tools writes .adr-dir before anything is committed. */
	tu_git_init("main");
	tu_write_file(".adr-dir", "decisions\r\n");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_records_dir(repo), "decisions");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), ".adr-dir");
	adr_repo_free(repo);

	/* Also when the branch exists but the file is not committed. */
	tu_write_file("README", "x\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_records_dir(repo), "decisions");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), ".adr-dir");
	adr_repo_free(repo);
}

Test(repo, records_dir_existing_doc_adr)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file("doc/adr/0001-alpha.md", RECORD_A);
	tu_write_file("docs/decisions/0001-beta.md", RECORD_B);
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_records_dir(repo), "doc/adr");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), "existing");
	adr_repo_free(repo);
}

Test(repo, records_dir_existing_only_in_worktree)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file("README", "x\n");
	tu_commit_all("one");
	tu_run("mkdir -p doc/adr");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_records_dir(repo), "doc/adr");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), "existing");
	adr_repo_free(repo);
}

Test(repo, records_dir_default)
{
	adr_repo *repo;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_records_dir(repo), "docs/decisions");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), "default");
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/main");
	adr_repo_free(repo);
}

static void hostile_dir(const char *yaml_value)
{
	char yaml[256];
	tu_git_init("main");
	snprintf(yaml, sizeof(yaml), "dir: %s\n", yaml_value);
	tu_write_file(".adr.yaml", yaml);
	tu_commit_all("one");
	cr_assert_eq(open_err(tu_repo_dir), ADR_EINVALID, "dir: %s: %s", yaml_value, adr_error_last());
	tu_assert_msg_has(".adr.yaml");
	tu_assert_msg_has("records directory");
}

Test(repo, records_dir_hostile_parent) { hostile_dir("../../etc"); }
Test(repo, records_dir_hostile_absolute) { hostile_dir("/etc"); }
Test(repo, records_dir_hostile_dot_git) { hostile_dir(".git/x"); }
Test(repo, records_dir_hostile_dot_git_upper) { hostile_dir(".GIT/hooks"); }
Test(repo, records_dir_hostile_inner_dotdot) { hostile_dir("docs/../../x"); }

Test(repo, records_dir_hostile_adr_dir)
{
	tu_git_init("main");
	tu_write_file(".adr-dir", "../outside\n");
	tu_commit_all("one");
	cr_assert_eq(open_err(tu_repo_dir), ADR_EINVALID);
	tu_assert_msg_has(".adr-dir");
}

Test(repo, records_dir_override)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file(".adr.yaml", "dir: adr\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_set_records_dir(repo, "other/dir"), 0);
	cr_assert_str_eq(adr_repo_records_dir(repo), "other/dir");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), "--dir");
	cr_assert_eq(adr_repo_set_records_dir(repo, "../x"), ADR_EINVALID);
	cr_assert_eq(adr_repo_set_records_dir(repo, NULL), 0);
	cr_assert_str_eq(adr_repo_records_dir(repo), "adr");
	adr_repo_free(repo);
}

/* --- the decision branch -------------------------------------------------- */

Test(repo, branch_from_config)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file(".adr.yaml", "branch: decisions\ndir: on-main\n");
	tu_commit_all("one");
	tu_run("git checkout -q -b decisions");
	tu_write_file(".adr.yaml", "branch: decisions\ndir: on-decisions\n");
	tu_commit_all("two");
	tu_run("git checkout -q main");

	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/decisions");
	/* The configuration is the one on the decision branch. */
	cr_assert_str_eq(adr_repo_records_dir(repo), "on-decisions");
	cr_assert_str_eq(adr_repo_records_dir_source(repo), ".adr.yaml");

	/* An explicit override wins over the configuration. */
	cr_assert_eq(adr_repo_set_branch(repo, "main"), 0, "%s", adr_error_last());
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/main");
	cr_assert_str_eq(adr_repo_records_dir(repo), "on-main");
	cr_assert_eq(adr_repo_set_branch(repo, "bad..name"), ADR_EINVALID);
	adr_repo_free(repo);
}

Test(repo, branch_from_config_not_yet_created)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file(".adr.yaml", "branch: refs/heads/adr\ndir: x\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/adr");
	adr_repo_free(repo);
}

Test(repo, branch_invalid_name)
{
	static const char *const bad[] = { "\"a..b\"", "\"has space\"", "x.lock", "refs/tags/v1", "\"a:b\"", NULL };
	for (int i = 0; bad[i]; i++) {
		char yaml[128];
		tu_run("rm -rf .git");
		tu_git_init("main");
		snprintf(yaml, sizeof(yaml), "branch: %s\n", bad[i]);
		tu_write_file(".adr.yaml", yaml);
		tu_commit_all("one");
		cr_assert_eq(open_err(tu_repo_dir), ADR_EINVALID, "branch: %s", bad[i]);
		tu_assert_msg_has(".adr.yaml");
		tu_assert_msg_has("not a valid branch name");
	}
}

Test(repo, branch_from_origin_head)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file("README", "x\n");
	tu_commit_all("one");
	tu_run("git update-ref refs/remotes/origin/trunk HEAD && "
	       "git symbolic-ref refs/remotes/origin/HEAD refs/remotes/origin/trunk");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/trunk");
	adr_repo_free(repo);
}

Test(repo, branch_main_before_master)
{
	adr_repo *repo;
	tu_git_init("master");
	tu_write_file("README", "x\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/master");
	adr_repo_free(repo);

	/* Both exist and HEAD is on master: main wins. */
	tu_run("git branch main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/main");
	adr_repo_free(repo);
}

Test(repo, branch_unborn_head)
{
	adr_repo *repo;
	tu_git_init("trunk");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_branch(repo), "refs/heads/trunk");
	adr_repo_free(repo);
}

/* --- .adr.yaml ------------------------------------------------------------ */

Test(repo, config_bad_yaml)
{
	tu_git_init("main");
	tu_write_file(".adr.yaml", "# settings\ndir: docs\ntemplate: [unclosed\n");
	tu_commit_all("one");
	cr_assert_lt(open_err(tu_repo_dir), 0);
	tu_assert_msg_has(".adr.yaml:");
	cr_assert(strstr(adr_error_last(), ".adr.yaml:3:") != NULL || strstr(adr_error_last(), ".adr.yaml:4:") != NULL,
		  "message '%s' should point at line 3 or 4", adr_error_last());
}

Test(repo, config_duplicate_key)
{
	tu_git_init("main");
	tu_write_file(".adr.yaml", "dir: a\ntemplate: x\ndir: b\n");
	tu_commit_all("one");
	cr_assert_eq(open_err(tu_repo_dir), ADR_EINVALID);
	tu_assert_msg_has(".adr.yaml:3:");
}

Test(repo, config_lookups)
{
	adr_repo *repo;
	adr_strlist l = ADR_STRLIST_INIT;

	tu_git_init("main");
	tu_write_file(".adr.yaml",
		      "template: nygard\n"
		      "visibility: partner\n"
		      "hooks:\n"
		      "  trailer: Decision\n"
		      "  none: ~\n"
		      "  one: solo\n"
		      "  many: [a, b, c]\n"
		      "  nested:\n"
		      "    deep: yes\n"
		      "  map: {k: v}\n"
		      "  listofmaps:\n"
		      "    - k: v\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_template(repo), "nygard");
	cr_assert_eq(adr_repo_default_visibility(repo), ADR_VISIBILITY_PARTNER);
	cr_assert_str_eq(adr_repo_config_string(repo, "hooks.trailer"), "Decision");
	cr_assert_str_eq(adr_repo_config_string(repo, "hooks.nested.deep"), "yes");
	cr_assert_str_eq(adr_repo_config_string(repo, "template"), "nygard");
	cr_assert_null(adr_repo_config_string(repo, "hooks"));         /* a map */
	cr_assert_null(adr_repo_config_string(repo, "hooks.many"));    /* a list */
	cr_assert_null(adr_repo_config_string(repo, "hooks.none"));    /* null */
	cr_assert_null(adr_repo_config_string(repo, "hooks.missing"));
	cr_assert_null(adr_repo_config_string(repo, "template.x"));    /* through a scalar */
	cr_assert_null(adr_repo_config_string(repo, "nothing.at.all"));

	cr_assert_eq(adr_repo_config_list(&l, repo, "hooks.many"), 0);
	cr_assert_eq(l.count, 3);
	cr_assert_str_eq(l.items[0], "a");
	cr_assert_str_eq(l.items[2], "c");
	adr_strlist_dispose(&l);

	/* A scalar is a one-item list; null and missing are empty. */
	cr_assert_eq(adr_repo_config_list(&l, repo, "hooks.one"), 0);
	cr_assert_eq(l.count, 1);
	cr_assert_str_eq(l.items[0], "solo");
	adr_strlist_dispose(&l);
	cr_assert_eq(adr_repo_config_list(&l, repo, "hooks.none"), 0);
	cr_assert_eq(l.count, 0);
	cr_assert_eq(adr_repo_config_list(&l, repo, "hooks.missing"), 0);
	cr_assert_eq(l.count, 0);

	cr_assert_eq(adr_repo_config_list(&l, repo, "hooks.map"), ADR_EINVALID);
	tu_assert_msg_has(".adr.yaml:10:");
	tu_assert_msg_has("hooks.map");
	cr_assert_eq(adr_repo_config_list(&l, repo, "hooks.listofmaps"), ADR_EINVALID);
	tu_assert_msg_has(".adr.yaml:12:");
	adr_strlist_dispose(&l);
	adr_repo_free(repo);
}

Test(repo, config_no_file)
{
	adr_repo *repo;
	adr_strlist l = ADR_STRLIST_INIT;
	tu_git_init("main");
	tu_write_file("README", "x\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_not(adr_repo_has_config(repo));
	cr_assert_null(adr_repo_config_string(repo, "dir"));
	cr_assert_eq(adr_repo_config_list(&l, repo, "a.b"), 0);
	cr_assert_eq(l.count, 0);
	adr_repo_free(repo);
}

Test(repo, config_only_committed)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file("README", "x\n");
	tu_commit_all("one");
	/* An uncommitted .adr.yaml is not configuration. */
	tu_write_file(".adr.yaml", "dir: uncommitted\n");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_not(adr_repo_has_config(repo));
	cr_assert_str_eq(adr_repo_records_dir(repo), "docs/decisions");
	adr_repo_free(repo);
}

Test(repo, config_visibility_invalid)
{
	tu_git_init("main");
	tu_write_file(".adr.yaml", "visibility: secret\n");
	tu_commit_all("one");
	cr_assert_eq(open_err(tu_repo_dir), ADR_EINVALID);
	tu_assert_msg_has(".adr.yaml");
	tu_assert_msg_has("visibility");
	tu_assert_msg_has("secret");
}

Test(repo, config_reload_follows_branch)
{
	adr_repo *repo;
	tu_git_init("main");
	tu_write_file(".adr.yaml", "dir: first\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_records_dir(repo), "first");
	tu_write_file(".adr.yaml", "dir: second\n");
	tu_commit_all("two");
	cr_assert_str_eq(adr_repo_records_dir(repo), "first");
	cr_assert_eq(adr_repo_reload(repo), 0);
	cr_assert_str_eq(adr_repo_records_dir(repo), "second");
	adr_repo_free(repo);
}

/* --- records --------------------------------------------------------------- */

Test(repo, records_sorted_by_number)
{
	adr_repo *repo;
	adr_recordset set = ADR_RECORDSET_INIT;
	char *head;

	tu_git_init("main");
	/* Tree order is 0001, 10, 2: the set must come back 1, 2, 10. */
	tu_write_file("docs/decisions/10-gamma.md", RECORD_C);
	tu_write_file("docs/decisions/2-beta.md", RECORD_B);
	tu_write_file("docs/decisions/0001-alpha.md", RECORD_A);
	tu_write_file("docs/decisions/README.md", "# not a record\n");
	tu_write_file("docs/decisions/notes.txt", "ignored\n");
	tu_write_file("docs/decisions/0003-later.md", RECORD_B);
	tu_commit_all("one");
	tu_run("git rm -q --cached docs/decisions/0003-later.md && git commit -q -m two");

	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_records(&set, repo, NULL, 0), 0, "%s", adr_error_last());
	cr_assert_eq(set.count, 3, "only committed records: %zu", set.count);
	cr_assert_eq(set.items[0]->number, 1);
	cr_assert_eq(set.items[1]->number, 2);
	cr_assert_eq(set.items[2]->number, 10);
	cr_assert_str_eq(set.items[0]->path, "docs/decisions/0001-alpha.md");
	cr_assert_str_eq(set.items[0]->title, "Alpha");
	cr_assert_eq(set.items[0]->status, ADR_STATUS_ACCEPTED);
	cr_assert_str_eq(set.items[2]->title, "Gamma");
	cr_assert_eq(adr_recordset_find(&set, 10), 2);
	cr_assert_eq(adr_recordset_find(&set, 3), -1);
	head = tu_capture("git rev-parse HEAD");
	cr_assert_str_eq(set.commit, head);
	free(head);
	adr_recordset_dispose(&set);

	/* An older revision. */
	cr_assert_eq(adr_repo_records(&set, repo, "HEAD~1", 0), 0, "%s", adr_error_last());
	cr_assert_eq(set.count, 4);
	adr_recordset_dispose(&set);

	cr_assert_eq(adr_repo_records(&set, repo, "no-such-rev", 0), ADR_ENOTFOUND);
	tu_assert_msg_has("no-such-rev");
	adr_recordset_dispose(&set);
	adr_repo_free(repo);
}

Test(repo, records_unborn_branch)
{
	adr_repo *repo;
	adr_recordset set = ADR_RECORDSET_INIT;
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-alpha.md", RECORD_A); /* not committed */
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_records(&set, repo, NULL, 0), 0, "%s", adr_error_last());
	cr_assert_eq(set.count, 0);
	cr_assert_str_eq(set.commit, "");
	adr_recordset_dispose(&set);
	adr_repo_free(repo);
}

/* F12: skipped and named in `skipped`; the target is never read */
Test(repo, records_symlink_skipped)
{
	adr_repo *repo;
	char *mode;
	adr_recordset set = ADR_RECORDSET_INIT;
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-alpha.md", RECORD_A);
	tu_run("ln -s /etc/passwd docs/decisions/0002-x.md");
	tu_commit_all("one");
	mode = tu_capture("git ls-files -s docs/decisions/0002-x.md | cut -c1-6");
	cr_assert_str_eq(mode, "120000");
	free(mode);
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_records(&set, repo, NULL, 0), 0, "%s", adr_error_last());
	cr_assert_eq(set.count, 1);
	cr_assert_eq(set.items[0]->number, 1);
	cr_assert_eq(set.errors.count, 0);
	cr_assert_eq(set.skipped.count, 1);
	cr_assert_str_eq(set.skipped.items[0], "docs/decisions/0002-x.md: not a regular file (mode 120000); skipped");
	adr_recordset_dispose(&set);
	adr_repo_free(repo);
}

Test(repo, records_dir_is_symlink)
{
	adr_repo *repo;
	adr_recordset set = ADR_RECORDSET_INIT;
	tu_git_init("main");
	tu_write_file(".adr.yaml", "dir: decisions\n");
	tu_write_file("real/0001-alpha.md", RECORD_A);
	tu_run("ln -s real decisions");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_records(&set, repo, NULL, 0), ADR_EINVALID);
	tu_assert_msg_has("decisions");
	adr_recordset_dispose(&set);
	adr_repo_free(repo);
}

Test(repo, records_missing_blob)
{
	adr_repo *repo;
	adr_recordset set = ADR_RECORDSET_INIT;
	char *blob;
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-alpha.md", RECORD_A);
	tu_write_file("docs/decisions/0002-beta.md", RECORD_B);
	tu_commit_all("one");
	blob = tu_capture("git rev-parse HEAD:docs/decisions/0002-beta.md");
	cr_assert_eq(strlen(blob), 40);
	tu_run("rm -f .git/objects/%.2s/%s", blob, blob + 2);
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_lt(adr_repo_records(&set, repo, NULL, 0), 0);
	tu_assert_msg_has("docs/decisions/0002-beta.md");
	tu_assert_msg_has(blob);
	tu_assert_msg_has("missing");
	free(blob);
	adr_recordset_dispose(&set);
	adr_repo_free(repo);
}

Test(repo, records_syntax_error_names_file)
{
	adr_repo *repo;
	adr_recordset set = ADR_RECORDSET_INIT;
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-alpha.md", RECORD_A);
	tu_write_file("docs/decisions/0002-broken.md", "---\nstatus: accepted\nstatus: proposed\n---\n# B\n");
	tu_write_file("docs/decisions/0003-gamma.md", RECORD_C);
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_records(&set, repo, NULL, 0), ADR_EINVALID);
	tu_assert_msg_has("docs/decisions/0002-broken.md:3:");
	adr_recordset_dispose(&set);

	/* Lenient: one broken file does not hide the others; its message is kept. */
	cr_assert_eq(adr_repo_records(&set, repo, NULL, ADR_PARSE_LENIENT), 0, "%s", adr_error_last());
	cr_assert_eq(set.count, 2);
	cr_assert_eq(set.items[0]->number, 1);
	cr_assert_eq(set.items[1]->number, 3);
	cr_assert_eq(set.errors.count, 1);
	cr_assert_not_null(strstr(set.errors.items[0], "docs/decisions/0002-broken.md:3:"), "%s",
			   set.errors.items[0]);
	/* ...and it stays in the set as an unreadable entry: path, number, slug, error */
	cr_assert_eq(set.nunreadable, 1);
	cr_assert_str_eq(set.unreadable[0].path, "docs/decisions/0002-broken.md");
	cr_assert_eq(set.unreadable[0].number, 2);
	cr_assert_str_eq(set.unreadable[0].slug, "broken");
	cr_assert_str_eq(set.unreadable[0].error, set.errors.items[0]);
	adr_recordset_dispose(&set);
	cr_assert_eq(set.errors.count, 0);
	cr_assert_eq(set.nunreadable, 0);
	adr_repo_free(repo);
}

Test(repo, record_path_by_file_name)
{
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-alpha.md", RECORD_A);
	tu_write_file("docs/decisions/0002-broken.md", "---\nstatus: [\n---\n# B\n");
	tu_write_file("docs/decisions/0003-one.md", RECORD_B);
	tu_write_file("docs/decisions/0003-two.md", RECORD_B);
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_record_path(&b, repo, NULL, 1), 0, "%s", adr_error_last());
	cr_assert_str_eq(b.ptr, "docs/decisions/0001-alpha.md");
	/* Found by name even though it does not parse. */
	cr_assert_eq(adr_repo_record_path(&b, repo, NULL, 2), 0, "%s", adr_error_last());
	cr_assert_str_eq(b.ptr, "docs/decisions/0002-broken.md");
	cr_assert_eq(adr_repo_record_path(&b, repo, NULL, 3), ADR_EAMBIGUOUS);
	tu_assert_msg_has("0003-one.md");
	tu_assert_msg_has("0003-two.md");
	cr_assert_eq(adr_repo_record_path(&b, repo, NULL, 4), ADR_ENOTFOUND);
	tu_assert_msg_has("0004");
	adr_buf_dispose(&b);
	adr_repo_free(repo);
}

Test(repo, records_lenient_schema)
{
	adr_repo *repo;
	adr_recordset set = ADR_RECORDSET_INIT;
	tu_git_init("main");
	tu_write_file("docs/decisions/0001-alpha.md", "---\nstatus: pondering\n---\n# A\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_records(&set, repo, NULL, 0), ADR_EINVALID);
	tu_assert_msg_has("docs/decisions/0001-alpha.md:2:");
	adr_recordset_dispose(&set);
	cr_assert_eq(adr_repo_records(&set, repo, NULL, ADR_PARSE_LENIENT), 0, "%s", adr_error_last());
	cr_assert_eq(set.count, 1);
	cr_assert_geq(set.items[0]->warnings.count, 1);
	adr_recordset_dispose(&set);
	adr_repo_free(repo);
}

/* --- reading files ---------------------------------------------------------- */

Test(repo, read_file)
{
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	tu_git_init("main");
	tu_write_file("docs/x.txt", "hello\n");
	tu_run("ln -s x.txt docs/link.txt");
	tu_commit_all("one");
	tu_write_file("docs/x.txt", "changed in the work tree\n");
	repo = tu_open_ok(tu_repo_dir);

	cr_assert_eq(adr_repo_read_file(&b, repo, NULL, "docs/x.txt"), 0, "%s", adr_error_last());
	cr_assert_eq(b.size, 6);
	cr_assert_str_eq(b.ptr, "hello\n");

	cr_assert_eq(adr_repo_read_file(&b, repo, NULL, "docs/link.txt"), ADR_EINVALID);
	tu_assert_msg_has("docs/link.txt");
	tu_assert_msg_has("not a regular file");
	cr_assert_eq(adr_repo_read_file(&b, repo, NULL, "docs"), ADR_EINVALID);
	cr_assert_eq(adr_repo_read_file(&b, repo, NULL, "docs/missing.txt"), ADR_ENOTFOUND);
	tu_assert_msg_has("docs/missing.txt");
	cr_assert_eq(adr_repo_read_file(&b, repo, "HEAD", "docs/x.txt"), 0);
	cr_assert_eq(adr_repo_read_file(&b, repo, "nope", "docs/x.txt"), ADR_ENOTFOUND);
	adr_buf_dispose(&b);
	adr_repo_free(repo);
}

Test(repo, read_file_unborn)
{
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_read_file(&b, repo, NULL, "x"), ADR_ENOTFOUND);
	tu_assert_msg_has("no commits");
	adr_buf_dispose(&b);
	adr_repo_free(repo);
}

/* --- templates ------------------------------------------------------------ */

Test(repo, template_builtin)
{
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_load_template(&b, repo, "default"), 0, "%s", adr_error_last());
	cr_assert_not_null(strstr(b.ptr, "{{date}}"));
	cr_assert_eq(adr_repo_load_template(&b, repo, NULL), 0, "%s", adr_error_last());
	cr_assert_not_null(strstr(b.ptr, "## Context"));
	cr_assert_eq(adr_repo_load_template(&b, repo, "nygard"), 0, "%s", adr_error_last());
	adr_buf_dispose(&b);
	adr_repo_free(repo);
}

Test(repo, template_repo_overrides_builtin)
{
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	tu_git_init("main");
	tu_write_file(".adr/templates/default.md", "---\nstatus: proposed\n---\n# Ours\n");
	tu_write_file(".adr/templates/team.md", "# Team\n");
	tu_commit_all("one");
	/* Uncommitted templates do not count. */
	tu_write_file(".adr/templates/local.md", "# Local\n");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_load_template(&b, repo, "default"), 0, "%s", adr_error_last());
	cr_assert_str_eq(b.ptr, "---\nstatus: proposed\n---\n# Ours\n");
	cr_assert_eq(adr_repo_load_template(&b, repo, "team"), 0);
	cr_assert_str_eq(b.ptr, "# Team\n");
	cr_assert_eq(adr_repo_load_template(&b, repo, "nygard"), 0); /* builtin still there */
	cr_assert_eq(adr_repo_load_template(&b, repo, "local"), ADR_ENOTFOUND);
	adr_buf_dispose(&b);
	adr_repo_free(repo);
}

Test(repo, template_from_config)
{
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	tu_git_init("main");
	tu_write_file(".adr.yaml", "template: team\n");
	tu_write_file(".adr/templates/team.md", "# Team\n");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_str_eq(adr_repo_template(repo), "team");
	cr_assert_eq(adr_repo_load_template(&b, repo, NULL), 0, "%s", adr_error_last());
	cr_assert_str_eq(b.ptr, "# Team\n");
	adr_buf_dispose(&b);
	adr_repo_free(repo);
}

Test(repo, template_symlink_refused)
{
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	tu_git_init("main");
	tu_run("mkdir -p .adr/templates && ln -s /etc/passwd .adr/templates/default.md");
	tu_commit_all("one");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_load_template(&b, repo, "default"), ADR_EINVALID);
	tu_assert_msg_has(".adr/templates/default.md");
	adr_buf_dispose(&b);
	adr_repo_free(repo);
}

Test(repo, template_unknown)
{
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_load_template(&b, repo, "no-such-template"), ADR_ENOTFOUND);
	tu_assert_msg_has("no-such-template");
	adr_buf_dispose(&b);
	adr_repo_free(repo);
}

Test(repo, template_invalid_names)
{
	static const char *const bad[] = { "../x", "a/b", "", ".hidden", "x.md", "a b", "..",
					   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", NULL };
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	for (int i = 0; bad[i]; i++) {
		cr_assert_eq(adr_repo_load_template(&b, repo, bad[i]), ADR_EINVALID, "template '%s'", bad[i]);
		tu_assert_msg_has("template name");
	}
	adr_buf_dispose(&b);
	adr_repo_free(repo);
}

Test(repo, templates_dir_env)
{
	adr_repo *repo;
	adr_buf b = ADR_BUF_INIT;
	char dir[TU_PATH_BUF];
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/tmpl", tu_root);
	cr_assert_eq(mkdir(dir, 0777), 0);
	setenv("ADR_TEMPLATES_DIR", dir, 1);
	cr_assert_str_eq(adr_templates_dir(), dir);
	snprintf(dir + strlen(dir), sizeof(dir) - strlen(dir), "/mine.md");
	f = fopen(dir, "w");
	cr_assert_not_null(f);
	fputs("# Mine\n", f);
	fclose(f);

	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_repo_load_template(&b, repo, "mine"), 0, "%s", adr_error_last());
	cr_assert_str_eq(b.ptr, "# Mine\n");
	/* The builtin templates are not in that directory. */
	cr_assert_eq(adr_repo_load_template(&b, repo, "default"), ADR_ENOTFOUND);
	adr_buf_dispose(&b);
	adr_repo_free(repo);

	/* The directory the program names: the variable wins over it; unset,
	 * the templates are found there (the library never guesses it from the
	 * running binary or a source tree). */
	adr_templates_set_dir(ADR_TEST_SOURCE_DIR "/templates");
	snprintf(dir, sizeof(dir), "%s/tmpl", tu_root);
	cr_assert_str_eq(adr_templates_dir(), dir);
	unsetenv("ADR_TEMPLATES_DIR");
	cr_assert_str_eq(adr_templates_dir(), ADR_TEST_SOURCE_DIR "/templates");
	snprintf(dir, sizeof(dir), "%s/default.md", adr_templates_dir());
	cr_assert_eq(access(dir, R_OK), 0, "%s", dir);
	/* None named: the configured install location. */
	adr_templates_set_dir(NULL);
	{
		const char *d = adr_templates_dir();
		size_t n = strlen(d);
		cr_assert(n > 14 && strcmp(d + n - 14, "/adr/templates") == 0, "%s", d);
	}
}

/* --- numbers and time ------------------------------------------------------- */

Test(repo, parse_number)
{
	static const struct {
		const char *in;
		int out;
	} good[] = { { "42", 42 }, { "0042", 42 }, { "ADR-0042", 42 }, { "adr042", 42 }, { "adr-7", 7 },
		     { "Adr-0001", 1 }, { "999999", 999999 }, { "0", 0 } };
	static const char *const bad[] = { "", "x", "-1", "1234567", "42x", "adr", "adr-", " 42", "4 2",
					   "+1", "0x10", "ADR--1", NULL };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		int n = -5;
		cr_assert_eq(adr_parse_number(&n, good[i].in), 0, "'%s': %s", good[i].in, adr_error_last());
		cr_assert_eq(n, good[i].out, "'%s' gave %d", good[i].in, n);
	}
	for (int i = 0; bad[i]; i++) {
		int n = -5;
		cr_assert_eq(adr_parse_number(&n, bad[i]), ADR_EUSAGE, "'%s' should be refused", bad[i]);
		cr_assert_eq(n, -5, "'%s' must not set the output", bad[i]);
		tu_assert_msg_has("is not a record number");
	}
}

Test(repo, now_and_today)
{
	char today[11];
	long long before, now;

	setenv("ADR_NOW", "@1700000000", 1);
	cr_assert_eq(adr_now(), 1700000000LL);
	adr_today(today);
	cr_assert_str_eq(today, "2023-11-14");

	setenv("ADR_NOW", "2026-11-21", 1);
	cr_assert_eq(adr_now(), 1795262400LL); /* 2026-11-21T12:00:00Z */
	adr_today(today);
	cr_assert_str_eq(today, "2026-11-21");

	setenv("ADR_NOW", "2026-02-28T23:59:30", 1);
	cr_assert_eq(adr_now(), 1772323170LL);
	adr_today(today);
	cr_assert_str_eq(today, "2026-02-28");

	setenv("ADR_NOW", "2024-02-29T00:00:00Z", 1);
	adr_today(today);
	cr_assert_str_eq(today, "2024-02-29");

	/* Unreadable or unset: the clock. */
	before = (long long)time(NULL);
	setenv("ADR_NOW", "yesterday", 1);
	now = adr_now();
	cr_assert(now >= before && now <= before + 5, "%lld vs %lld", now, before);
	unsetenv("ADR_NOW");
	now = adr_now();
	cr_assert(now >= before && now <= before + 5);
	adr_today(today);
	cr_assert_eq(strlen(today), 10);
	cr_assert(adr_date_valid(today), "%s", today);
}
