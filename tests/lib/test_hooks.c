/*
 * test_hooks.c: the hook scripts, installing over and removing them from a
 * hooks directory, glob matching for hooks.watch and affects:, trailers.
 *
 * Install tests work in a fresh mkdtemp directory; the end-to-end behaviour
 * with real git commits is in tests/cli/t_hooks_*.sh.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adr/hooks.h"
#include "testutil.h"
#include "util/glob.h"
#include "log/hooks_internal.h"

/* --- helpers ------------------------------------------------------------ */

static void write_file(const char *name, const char *data, mode_t mode)
{
	char path[TU_PATH_BUF + 1024];
	tu_write_at(tu_repo_dir, name, data);
	snprintf(path, sizeof(path), "%s/%s", tu_repo_dir, name);
	cr_assert_eq(chmod(path, mode), 0);
}

static mode_t file_mode(const char *name)
{
	char path[700];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", tu_repo_dir, name);
	if (lstat(path, &st) < 0)
		return 0;
	return st.st_mode & 07777;
}

/* --- globs --------------------------------------------------------------- */

Test(glob, literal_and_basename)
{
	cr_assert(adr__glob_match("package.json", "package.json"));
	cr_assert(adr__glob_match("package.json", "web/app/package.json"), "no '/': any depth");
	cr_assert_not(adr__glob_match("package.json", "package.json.bak"));
	cr_assert_not(adr__glob_match("package.json", "xpackage.json"));
	cr_assert(adr__glob_match("/go.mod", "go.mod"));
	cr_assert(adr__glob_match("./go.mod", "go.mod"));
	cr_assert_not(adr__glob_match("src/go.mod", "lib/src/go.mod"), "with '/': anchored");
}

Test(glob, star_question_class)
{
	cr_assert(adr__glob_match("*.sql", "db/001_init.sql"));
	cr_assert(adr__glob_match("db/*.sql", "db/001_init.sql"));
	cr_assert_not(adr__glob_match("db/*.sql", "db/sub/001.sql"), "* stays in one component");
	cr_assert(adr__glob_match("Cargo.???", "Cargo.lck"));
	cr_assert_not(adr__glob_match("a?b", "a/b"));
	cr_assert(adr__glob_match("[Dd]ockerfile", "Dockerfile"));
	cr_assert(adr__glob_match("[a-c]x", "bx"));
	cr_assert_not(adr__glob_match("[!a-c]x", "bx"));
	cr_assert(adr__glob_match("[!a-c]x", "dx"));
	cr_assert(adr__glob_match("a[b", "a[b"), "an unclosed class is literal");
	cr_assert(adr__glob_match("a\\*b", "a*b"));
	cr_assert_not(adr__glob_match("a\\*b", "axb"));
}

Test(glob, double_star)
{
	cr_assert(adr__glob_match("db/migrations/**", "db/migrations/2026/001.sql"));
	cr_assert(adr__glob_match("**/Dockerfile", "Dockerfile"));
	cr_assert(adr__glob_match("**/Dockerfile", "a/b/Dockerfile"));
	cr_assert(adr__glob_match(".github/**/*.yml", ".github/workflows/ci.yml"));
	cr_assert(adr__glob_match(".github/**/*.yml", ".github/ci.yml"));
	cr_assert_not(adr__glob_match(".github/**/*.yml", "github/ci.yml"));
	cr_assert(adr__glob_match("a/**/b/**/c", "a/x/y/b/c"));
	cr_assert_not(adr__glob_match("a/**/b", "a/xb"));
	cr_assert(adr__glob_match("migrations/", "db/migrations/1.sql"), "a directory at any depth");
	cr_assert(adr__glob_match("db/migrations/", "db/migrations/x/1.sql"));
	cr_assert_not(adr__glob_match("db/migrations/", "db/migrations"));
	cr_assert_not(adr__glob_match("db/", "dbx/1.sql"));
}

Test(glob, bounded)
{
	/* Backtracking on many stars stays fast (memoized), long input never matches. */
	char path[4000], pat[200];
	memset(path, 'a', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	strcpy(pat, "*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
	cr_assert_not(adr__glob_match(pat, path));
	cr_assert_not(adr__glob_match("", "x"));
	cr_assert_not(adr__glob_match("x", ""));
	{
		char big[5000];
		memset(big, 'a', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		cr_assert_not(adr__glob_match("*", big), "paths over the cap never match");
	}
}

Test(glob, match_any)
{
	adr_strlist globs = ADR_STRLIST_INIT;
	adr_strlist_add(&globs, "*.sql");
	adr_strlist_add(&globs, "package.json");
	cr_assert_str_eq(adr__glob_match_any(&globs, "x/package.json"), "package.json");
	cr_assert_null(adr__glob_match_any(&globs, "README.md"));
	adr_strlist_dispose(&globs);
}

/* --- trailers -------------------------------------------------------------- */

Test(trailers, refs_parse)
{
	adr_intlist l = ADR_INTLIST_INIT;
	cr_assert_eq(adr_refs_parse(&l, "ADR-0042, adr-7 #12 ADR-x ADR- ADR-0 ADR-42;ADR-9999999999"), 0);
	cr_assert_eq(l.count, 2);
	cr_assert_eq(l.items[0], 42);
	cr_assert_eq(l.items[1], 7);
	adr_intlist_dispose(&l);
}

Test(trailers, from_message)
{
	adr_strlist k = ADR_STRLIST_INIT, v = ADR_STRLIST_INIT;
	cr_assert_eq(adr_message_trailers(&k, &v, "Subject\n\nBody text.\n\nRefs: ADR-0042\nDecision: Use $(touch pwned)\n"), 0);
	cr_assert_eq(k.count, 2);
	cr_assert_str_eq(k.items[0], "Refs");
	cr_assert_str_eq(v.items[0], "ADR-0042");
	cr_assert_str_eq(k.items[1], "Decision");
	cr_assert_str_eq(v.items[1], "Use $(touch pwned)");
	adr_strlist_dispose(&k);
	adr_strlist_dispose(&v);
	cr_assert_eq(adr_message_trailers(&k, &v, "S\n\nDecision: first\n  $(touch pwned)\n"), 0);
	cr_assert_eq(k.count, 1);
	cr_assert_str_eq(v.items[0], "first\n  $(touch pwned)", "a folded value keeps its line break");
	adr_strlist_dispose(&k);
	adr_strlist_dispose(&v);
	cr_assert_eq(adr_message_trailers(&k, &v, "Just a subject\n"), 0);
	cr_assert_eq(k.count, 0);
}

/* --- scripts ----------------------------------------------------------------- */

Test(script, source_tree_files_are_the_script)
{
	for (size_t i = 0; adr_hook_names[i]; i++) {
		adr_buf b = ADR_BUF_INIT;
		char path[1024];
		char *want;
		FILE *f;
		long n;
		struct stat st;
		snprintf(path, sizeof(path), "%s/hooks/%s", ADR_TEST_SOURCE_DIR, adr_hook_names[i]);
		f = fopen(path, "rb");
		cr_assert_not_null(f, "%s is missing", path);
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		rewind(f);
		want = calloc(1, (size_t)n + 1);
		cr_assert_eq(fread(want, 1, (size_t)n, f), (size_t)n);
		fclose(f);
		cr_assert_eq(adr__hooks_script(&b, adr_hook_names[i], NULL), 0);
		cr_assert_str_eq(b.ptr, want, "hooks/%s differs from adr__hooks_script()", adr_hook_names[i]);
		cr_assert_eq(stat(path, &st), 0);
		cr_assert(st.st_mode & S_IXUSR, "hooks/%s is not executable", adr_hook_names[i]);
		free(want);
		adr_buf_dispose(&b);
	}
}

Test(script, quoting_and_errors)
{
	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr__hooks_script(&b, "post-commit", "/opt/it's here/adr"), 0);
	cr_assert(strstr(b.ptr, "\nadr='/opt/it'\\''s here/adr'\n"), "%s", b.ptr);
	cr_assert(strstr(b.ptr, "\nhook=post-commit\n"));
	cr_assert(strstr(b.ptr, "\n" ADR_HOOK_MARKER "\n"));
	adr_buf_clear(&b);
	cr_assert_eq(adr__hooks_script(&b, "pre-rebase", NULL), ADR_EINVALID);
	cr_assert_eq(adr__hooks_script(&b, "commit-msg", "relative/adr"), ADR_EINVALID);
	cr_assert_eq(adr__hooks_script(&b, "commit-msg", "/bin/a\ndr"), ADR_EINVALID);
	adr_buf_dispose(&b);
}

/* --- recording and linking: arguments checked before anything is read ----------- */

Test(record, commit_ids_are_checked_first)
{
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *r;
	cr_assert_eq(adr_record_new(&r), 0);
	cr_assert_eq(adr_hooks_record(&res, NULL, r, "abc123"), ADR_EINVALID);
	cr_assert(strstr(adr_error_last(), "not a full commit id"), "%s", adr_error_last());
	cr_assert_eq(adr_hooks_record(&res, NULL, r, "$(touch pwned)0123456789012345678901234"), ADR_EINVALID);
	cr_assert_eq(adr_hooks_link(&res, NULL, 1, "ABCDEF0123456789ABCDEF0123456789ABCDEF01"), ADR_EINVALID,
		     "upper case is not how git writes ids");
	adr_record_free(r);
	adr_op_result_dispose(&res);
}

/* --- install / uninstall ------------------------------------------------------- */

TestSuite(install, .init = tu_setup, .fini = tu_teardown);

Test(install, fresh_twice_uninstall)
{
	adr_hooks_report rep = ADR_HOOKS_REPORT_INIT;
	char sub[700];
	snprintf(sub, sizeof(sub), "%s/hooks/deeper", tu_repo_dir);
	cr_assert_eq(adr__hooks_install_dir(&rep, sub, "/usr/bin/adr"), 0, "%s", adr_error_last());
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++) {
		cr_assert_str_eq(rep.hooks[i].action, "installed");
		cr_assert_eq(rep.hooks[i].state, ADR_HOOK_OURS);
	}
	cr_assert_eq(file_mode("hooks/deeper/post-commit"), 0755);
	cr_assert_eq(adr__hooks_install_dir(&rep, sub, "/usr/bin/adr"), 0);
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++)
		cr_assert_str_eq(rep.hooks[i].action, "unchanged");
	/* Another binary path: the scripts are updated, not chained to themselves. */
	cr_assert_eq(adr__hooks_install_dir(&rep, sub, "/usr/local/bin/adr"), 0);
	cr_assert_str_eq(rep.hooks[0].action, "updated");
	cr_assert_not(tu_exists("hooks/deeper/commit-msg.adr-chained"));
	cr_assert_eq(adr__hooks_uninstall_dir(&rep, sub), 0);
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++)
		cr_assert_str_eq(rep.hooks[i].action, "removed");
	cr_assert_not(tu_exists("hooks/deeper/commit-msg"));
	cr_assert_eq(adr__hooks_uninstall_dir(&rep, sub), 0);
	cr_assert_str_eq(rep.hooks[0].action, "not installed");
	adr_hooks_report_dispose(&rep);
}

Test(install, chains_and_restores_exactly)
{
	adr_hooks_report rep = ADR_HOOKS_REPORT_INIT;
	const char *mine = "#!/bin/sh\n# my hook\nexit 0\n";
	char *s;
	write_file("commit-msg", mine, 0700);
	cr_assert_eq(adr__hooks_status_dir(&rep, tu_repo_dir), 0);
	cr_assert_eq(rep.hooks[1].state, ADR_HOOK_FOREIGN);
	cr_assert_eq(rep.hooks[0].state, ADR_HOOK_MISSING);
	cr_assert_eq(adr__hooks_install_dir(&rep, tu_repo_dir, NULL), 0);
	cr_assert_str_eq(rep.hooks[1].action, "chained");
	cr_assert_eq(rep.hooks[1].state, ADR_HOOK_CHAINED);
	s = tu_read_file("commit-msg.adr-chained");
	cr_assert_str_eq(s, mine);
	free(s);
	cr_assert_eq(file_mode("commit-msg.adr-chained"), 0700);
	cr_assert_eq(adr__hooks_status_dir(&rep, tu_repo_dir), 0);
	cr_assert_eq(rep.hooks[1].state, ADR_HOOK_CHAINED);
	cr_assert_eq(rep.hooks[2].state, ADR_HOOK_OURS);
	cr_assert_eq(adr__hooks_install_dir(&rep, tu_repo_dir, NULL), 0);
	cr_assert_str_eq(rep.hooks[1].action, "unchanged");
	cr_assert_eq(adr__hooks_uninstall_dir(&rep, tu_repo_dir), 0);
	cr_assert_str_eq(rep.hooks[1].action, "restored");
	s = tu_read_file("commit-msg");
	cr_assert_str_eq(s, mine);
	free(s);
	cr_assert_eq(file_mode("commit-msg"), 0700);
	cr_assert_not(tu_exists("commit-msg.adr-chained"));
	cr_assert_not(tu_exists("post-commit"));
	adr_hooks_report_dispose(&rep);
}

Test(install, refuses_hook_managers_and_leftovers)
{
	adr_hooks_report rep = ADR_HOOKS_REPORT_INIT;
	write_file("prepare-commit-msg", "#!/bin/sh\n# generated by lefthook\nlefthook run prepare-commit-msg \"$@\"\n", 0755);
	cr_assert_eq(adr__hooks_install_dir(&rep, tu_repo_dir, NULL), ADR_EEXISTS);
	cr_assert(strstr(adr_error_last(), "lefthook"), "%s", adr_error_last());
	cr_assert_not(tu_exists("commit-msg"), "a refusal changes nothing");
	cr_assert_not(tu_exists("prepare-commit-msg.adr-chained"));
	{
		char p[700];
		snprintf(p, sizeof(p), "%s/prepare-commit-msg", tu_repo_dir);
		cr_assert_eq(unlink(p), 0);
	}

	write_file("post-commit", "#!/bin/sh\necho mine\n", 0755);
	write_file("post-commit.adr-chained", "#!/bin/sh\necho older\n", 0755);
	cr_assert_eq(adr__hooks_install_dir(&rep, tu_repo_dir, NULL), ADR_EEXISTS);
	cr_assert(strstr(adr_error_last(), "post-commit.adr-chained"), "%s", adr_error_last());
	cr_assert_not(tu_exists("commit-msg"));
	/* Uninstall leaves a foreign hook alone. */
	cr_assert_eq(adr__hooks_uninstall_dir(&rep, tu_repo_dir), 0);
	cr_assert_str_eq(rep.hooks[2].action, "left alone (not adr's)");
	cr_assert(tu_exists("post-commit"));
	adr_hooks_report_dispose(&rep);
}

Test(install, husky_directory_and_non_files)
{
	adr_hooks_report rep = ADR_HOOKS_REPORT_INIT;
	char husky[700], sub[700];
	snprintf(husky, sizeof(husky), "%s/.husky/_", tu_repo_dir);
	cr_assert_eq(adr__hooks_install_dir(&rep, husky, NULL), 0, "an empty husky dir gets no chaining");
	/* A foreign hook in husky's directory cannot be renamed: refused. */
	cr_assert_eq(adr__hooks_uninstall_dir(&rep, husky), 0);
	write_file(".husky/_/commit-msg", "#!/bin/sh\n. \"$(dirname \"$0\")/h\"\n", 0755);
	cr_assert_eq(adr__hooks_install_dir(&rep, husky, NULL), ADR_EEXISTS);
	cr_assert(strstr(adr_error_last(), "husky"), "%s", adr_error_last());

	snprintf(sub, sizeof(sub), "%s/commit-msg", tu_repo_dir);
	cr_assert_eq(mkdir(sub, 0755), 0);
	cr_assert_eq(adr__hooks_install_dir(&rep, tu_repo_dir, NULL), ADR_EEXISTS);
	cr_assert(strstr(adr_error_last(), "not a file"), "%s", adr_error_last());
	adr_hooks_report_dispose(&rep);
}

Test(install, directory_cannot_be_made)
{
	adr_hooks_report rep = ADR_HOOKS_REPORT_INIT;
	char sub[700];
	write_file("plain", "x", 0644);
	snprintf(sub, sizeof(sub), "%s/plain/hooks", tu_repo_dir);
	cr_assert_eq(adr__hooks_install_dir(&rep, sub, NULL), ADR_EOS);
	cr_assert(strstr(adr_error_last(), "cannot create"), "%s", adr_error_last());
	adr_hooks_report_dispose(&rep);
}

Test(install, state_names)
{
	cr_assert_str_eq(adr_hook_state_name(ADR_HOOK_MISSING), "missing");
	cr_assert_str_eq(adr_hook_state_name(ADR_HOOK_OURS), "ours");
	cr_assert_str_eq(adr_hook_state_name(ADR_HOOK_CHAINED), "chained");
	cr_assert_str_eq(adr_hook_state_name(ADR_HOOK_FOREIGN), "foreign");
}
