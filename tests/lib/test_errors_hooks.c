/*
 * test_errors_hooks.c: the error paths of lib/log/hooks.c that real inputs
 * reach: a hooks directory that is a file or whose path is too long for
 * the files adr must write beside a hook, a core.hooksPath that cannot be
 * expanded, a broken git configuration, a HEAD that is not a commit, a HEAD
 * whose tree is missing, an index file that is not one, a commit message
 * file that cannot be read or written, and a file size limit under which
 * no hook script can be written.
 *
 * Every test checks the message and that the hooks directory (or the
 * message file) is as it was.
 */
#include <criterion/criterion.h>

#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adr/hooks.h"
#include "adr/repo.h"
#include "testutil.h"
#include "log/hooks_internal.h"

TestSuite(errors_hooks, .init = tu_setup, .fini = tu_teardown);

/* A repository that watches src/ (hooks.watch) with one commit. */
static adr_repo *watched_repo(void)
{
	tu_git_init("main");
	tu_write_file(".adr.yaml", "hooks:\n  watch: [\"src/**\"]\n");
	tu_write_file("src/a.c", "int a;\n");
	tu_commit_all("base");
	return tu_open_ok(tu_repo_dir);
}

/* What is in a directory, with contents, to compare before and after. */
static char *listing(const char *dir)
{
	return tu_capture_ok("cd '%s' && find . | sort && find . -type f | sort | xargs -r sha1sum", dir);
}

/* --- the hooks directory ----------------------------------------------------- */

Test(errors_hooks, hooks_dir_is_a_file)
{
	adr_hooks_report rep = { 0 };
	char dir[TU_PATH_BUF], expect[TU_PATH_BUF * 2];
	snprintf(dir, sizeof(dir), "%s/hooks", tu_root);
	tu_write_at(tu_root, "hooks", "not a directory\n");
	cr_assert_eq(adr__hooks_status_dir(&rep, dir), ADR_EOS, "%s", adr_error_last());
	snprintf(expect, sizeof(expect), "cannot look at '%s/prepare-commit-msg': Not a directory", dir);
	cr_assert_str_eq(adr_error_last(), expect);
	cr_assert_eq(adr__hooks_uninstall_dir(&rep, dir), ADR_EOS, "%s", adr_error_last());
	cr_assert_str_eq(adr_error_last(), expect);
	{
		char *got_ = tu_read_at(tu_root, "hooks");
		cr_assert_str_eq(got_, "not a directory\n");
		free(got_);
	}
	adr_hooks_report_dispose(&rep);
}

/* A directory whose path leaves room for "DIR/prepare-commit-msg" but not
 * for the longer names adr writes beside a hook (PATH_MAX counts the NUL). */
static void long_dir(char *out, size_t size)
{
	size_t len;
	snprintf(out, size, "%s", tu_root);
	/* The longest hook name is prepare-commit-msg (18 bytes); ".adr-chained"
	 * and ".adr-tmp-PID" need more than the 3 bytes left over. */
	while ((len = strlen(out)) + 1 + 200 + 1 + 18 < PATH_MAX - 3)
		snprintf(out + len, size - len, "/%0200d", 0);
	len = strlen(out);
	{
		size_t pad = (size_t)(PATH_MAX - 1) - 3 - 18 - 1 - len - 1;
		out[len] = '/';
		memset(out + len + 1, 'd', pad);
		out[len + 1 + pad] = '\0';
	}
	cr_assert_eq(strlen(out) + 1 + 18, (size_t)PATH_MAX - 1 - 3);
	cr_assert_eq(tu_sh("mkdir -p '%s'", out), 0);
}

Test(errors_hooks, no_room_for_the_chained_name)
{
	static char dir[PATH_MAX + 64];
	char hook[PATH_MAX + 128], expect[PATH_MAX + 256], *before;
	adr_hooks_report rep = { 0 };
	long_dir(dir, sizeof(dir));
	/* The user's own hook, which adr would move aside to chain to it. */
	snprintf(hook, sizeof(hook), "%s/prepare-commit-msg", dir);
	{
		FILE *f = fopen(hook, "w");
		cr_assert_not_null(f);
		fputs("#!/bin/sh\necho mine\n", f);
		fclose(f);
	}
	before = listing(dir);
	cr_assert_eq(adr__hooks_install_dir(&rep, dir, "/usr/bin/adr"), ADR_EOS, "%s", adr_error_last());
	/* The message is cut at 4095 bytes, before the reason. */
	snprintf(expect, sizeof(expect), "cannot rename '%s': File name too long", hook);
	cr_assert_geq(strlen(adr_error_last()), 4000);
	cr_assert_eq(strncmp(adr_error_last(), expect, strlen(adr_error_last())), 0, "%s", adr_error_last());
	tu_assert_out(before, "cd '%s' && find . | sort && find . -type f | sort | xargs -r sha1sum", dir);
	free(before);
	adr_hooks_report_dispose(&rep);
}

Test(errors_hooks, no_room_for_the_temporary_file)
{
	static char dir[PATH_MAX + 64];
	char expect[PATH_MAX + 256];
	adr_hooks_report rep = { 0 };
	long_dir(dir, sizeof(dir));
	cr_assert_eq(adr__hooks_install_dir(&rep, dir, "/usr/bin/adr"), ADR_EOS, "%s", adr_error_last());
	snprintf(expect, sizeof(expect), "cannot create '%s/prepare-commit-msg.adr-tmp-%ld': File name too long",
		 dir, (long)getpid());
	cr_assert_geq(strlen(adr_error_last()), 4000);
	cr_assert_eq(strncmp(adr_error_last(), expect, strlen(adr_error_last())), 0, "%s", adr_error_last());
	tu_assert_out(".", "cd '%s' && find . | sort", dir);
	adr_hooks_report_dispose(&rep);
}

Test(errors_hooks, no_room_to_write_a_script)
{
	char dir[TU_PATH_BUF], expect[TU_PATH_BUF * 2], *before;
	adr_hooks_report rep = { 0 };
	struct rlimit old, lim;
	int rc;
	snprintf(dir, sizeof(dir), "%s/hooks", tu_root);
	tu_write_at(tu_root, "hooks/commit-msg", "#!/bin/sh\necho mine\n");
	before = listing(dir);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 0;
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = adr__hooks_install_dir(&rep, dir, "/usr/bin/adr");
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);
	cr_assert_eq(rc, ADR_EOS, "%s", adr_error_last());
	snprintf(expect, sizeof(expect), "cannot write '%s/prepare-commit-msg.adr-tmp-%ld': File too large", dir,
		 (long)getpid());
	cr_assert_str_eq(adr_error_last(), expect);
	/* Nothing installed, the user's hook where it was, no temporary file. */
	tu_assert_out(before, "cd '%s' && find . | sort && find . -type f | sort | xargs -r sha1sum", dir);
	free(before);
	adr_hooks_report_dispose(&rep);
}

Test(errors_hooks, hooks_path_with_an_unknown_user)
{
	adr_buf dir = ADR_BUF_INIT;
	adr_repo *repo = watched_repo();
	tu_run("git config core.hooksPath '~no-such-user-here/hooks'");
	cr_assert_eq(adr__hooks_dir(&dir, repo), ADR_EGIT, "%s", adr_error_last());
	tu_assert_msg_has("cannot read core.hooksPath: ");
	adr_buf_dispose(&dir);
	adr_repo_free(repo);
}

/* --- the git configuration ---------------------------------------------------- */

Test(errors_hooks, config_broken_after_open)
{
	adr_buf dir = ADR_BUF_INIT;
	bool added = true;
	adr_repo *repo = watched_repo();
	char msg[TU_PATH_BUF];
	snprintf(msg, sizeof(msg), "%s/MSG", tu_repo_dir);
	tu_write_file("MSG", "subject\n");
	tu_run("cp .git/config .git/config.good && printf '[core\\n' >> .git/config");
	/* libgit2 reparses a changed file once: each call gets a fresh repository. */
	cr_assert_eq(adr__hooks_dir(&dir, repo), ADR_EGIT, "%s", adr_error_last());
	tu_assert_msg_has("cannot read the git configuration: ");
	adr_repo_free(repo);
	tu_run("cp .git/config.good .git/config");
	repo = tu_open_ok(tu_repo_dir);
	tu_run("printf '[core\\n' >> .git/config");
	cr_assert_eq(adr_hooks_prepare_msg(&added, repo, msg, NULL, NULL), ADR_EGIT, "%s", adr_error_last());
	tu_assert_msg_has("cannot read the git configuration: ");
	cr_assert(!added);
	{
		char *got_ = tu_read_file("MSG");
		cr_assert_str_eq(got_, "subject\n");
		free(got_);
	}
	adr_buf_dispose(&dir);
	adr_repo_free(repo);
}

/* --- HEAD, the index and the message file -------------------------------------- */

Test(errors_hooks, head_is_a_blob)
{
	adr_hook_commit c = ADR_HOOK_COMMIT_INIT;
	adr_strlist paths = ADR_STRLIST_INIT;
	adr_repo *repo = watched_repo();
	char *blob = tu_capture_ok("git rev-parse HEAD:src/a.c");
	tu_run("printf '%%s\\n' %s > .git/refs/heads/main", blob);
	cr_assert_lt(adr_hooks_head(&c, repo), 0, "%s", adr_error_last());
	tu_assert_msg_has("cannot read HEAD: ");
	cr_assert_lt(adr__hooks_staged_watched(&paths, repo, NULL), 0, "%s", adr_error_last());
	tu_assert_msg_has("cannot read HEAD: ");
	cr_assert_eq(paths.count, 0);
	adr_hook_commit_dispose(&c);
	free(blob);
	adr_repo_free(repo);
}

Test(errors_hooks, head_tree_missing)
{
	adr_hook_commit c = ADR_HOOK_COMMIT_INIT;
	adr_repo *repo = watched_repo();
	char *head = tu_capture_ok("git rev-parse HEAD");
	char *broken = tu_capture_ok(
		"printf 'tree 0123456789012345678901234567890123456789\\nparent %s\\nauthor A <a@x> 1 +0000\\n"
		"committer A <a@x> 1 +0000\\n\\nbroken\\n' | git hash-object -t commit -w --stdin --literally",
		head);
	/* As a commit would leave it: the reflog says "commit: ". */
	tu_run("git update-ref -m 'commit: broken' refs/heads/main %s", broken);
	cr_assert_eq(adr_hooks_head(&c, repo), ADR_ENOTFOUND, "%s", adr_error_last());
	tu_assert_msg_has("cannot compare HEAD with its parent: ");
	cr_assert_eq(c.watched.count, 0);
	adr_hook_commit_dispose(&c);
	free(head);
	free(broken);
	adr_repo_free(repo);
}

Test(errors_hooks, index_file_is_not_an_index)
{
	adr_strlist paths = ADR_STRLIST_INIT;
	bool added = true;
	adr_repo *repo = watched_repo();
	char ix[TU_PATH_BUF], msg[TU_PATH_BUF];
	snprintf(ix, sizeof(ix), "%s/not-an-index", tu_repo_dir);
	snprintf(msg, sizeof(msg), "%s/MSG", tu_repo_dir);
	tu_write_file("not-an-index", "garbage that is no git index, longer than 32 bytes\n");
	tu_write_file("MSG", "subject\n");
	cr_assert_eq(adr__hooks_staged_watched(&paths, repo, ix), ADR_EGIT, "%s", adr_error_last());
	tu_assert_msg_has("cannot read the index: ");
	cr_assert_eq(adr_hooks_prepare_msg(&added, repo, msg, NULL, ix), ADR_EGIT, "%s", adr_error_last());
	tu_assert_msg_has("cannot read the index: ");
	cr_assert(!added);
	{
		char *got_ = tu_read_file("MSG");
		cr_assert_str_eq(got_, "subject\n");
		free(got_);
	}
	adr_repo_free(repo);
}

Test(errors_hooks, message_file_is_a_directory)
{
	bool added = true;
	char expect[TU_PATH_BUF * 2], msg[TU_PATH_BUF];
	adr_repo *repo = watched_repo();
	snprintf(msg, sizeof(msg), "%s/MSG", tu_repo_dir);
	tu_write_file("src/b.c", "int b;\n");
	tu_run("git add src/b.c && mkdir MSG");
	cr_assert_eq(adr_hooks_prepare_msg(&added, repo, msg, NULL, NULL), ADR_EOS, "%s", adr_error_last());
	snprintf(expect, sizeof(expect), "cannot read '%s': Is a directory", msg);
	cr_assert_str_eq(adr_error_last(), expect);
	cr_assert(!added);
	tu_assert_out("", "ls -A MSG");
	adr_repo_free(repo);
}

/* /proc/version reads fine and refuses every write: the hint cannot be
 * added, and the message says so. A short message fails when the stream is
 * closed; a long one (ten watched paths of 240 bytes make the hint longer
 * than stdio's buffer) in the write itself. */
static void unwritable_message(bool long_paths)
{
	bool added = true;
	adr_repo *repo = watched_repo();
	char path[300], *before;
	if (access("/proc/version", R_OK) != 0)
		cr_skip_test("no /proc/version here");
	before = tu_capture_ok("cat /proc/version");
	for (int i = 0; i < (long_paths ? 10 : 1); i++) {
		snprintf(path, sizeof(path), "src/%d%0*d.c", i, long_paths ? 235 : 1, 0);
		tu_write_file(path, "x\n");
	}
	tu_run("git add src");
	cr_assert_eq(adr_hooks_prepare_msg(&added, repo, "/proc/version", NULL, NULL), ADR_EOS, "%s", adr_error_last());
	tu_assert_msg_has("cannot write '/proc/version': ");
	cr_assert(!added);
	tu_assert_out(before, "cat /proc/version");
	free(before);
	adr_repo_free(repo);
}

Test(errors_hooks, message_file_refuses_a_short_write)
{
	unwritable_message(false);
}

Test(errors_hooks, message_file_refuses_a_long_write)
{
	unwritable_message(true);
}

/* A message file that can be read but not opened for writing, even by
 * root: a copy of sleep(1) that is running (ETXTBSY). */
Test(errors_hooks, message_file_is_a_running_program)
{
	bool added = true;
	adr_repo *repo = watched_repo();
	char prog[TU_PATH_BUF], expect[TU_PATH_BUF * 2], *pid, *before;
	int i;
	snprintf(prog, sizeof(prog), "%s/sleeper", tu_root);
	if (tu_sh("cp \"$(command -v sleep)\" '%s'", prog) != 0)
		cr_skip_test("no sleep(1) to copy");
	pid = tu_capture_ok("'%s' 30 >/dev/null 2>&1 & echo $!", prog);
	/* Bounded wait until the copy is the running program. */
	for (i = 0; i < 100 && tu_sh("[ \"$(readlink /proc/%s/exe)\" = '%s' ]", pid, prog) != 0; i++)
		tu_sh("sleep 0.05");
	cr_assert_lt(i, 100, "the copy of sleep did not start");
	before = tu_capture_ok("sha1sum < '%s'", prog);
	tu_write_file("src/b.c", "int b;\n");
	tu_run("git add src");
	cr_assert_eq(adr_hooks_prepare_msg(&added, repo, prog, NULL, NULL), ADR_EOS, "%s", adr_error_last());
	snprintf(expect, sizeof(expect), "cannot write '%s': Text file busy", prog);
	cr_assert_str_eq(adr_error_last(), expect);
	cr_assert(!added);
	tu_assert_out(before, "sha1sum < '%s'", prog);
	tu_sh("kill %s", pid);
	free(pid);
	free(before);
	adr_repo_free(repo);
}
