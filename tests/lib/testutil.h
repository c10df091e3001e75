/*
 * testutil.h: support code shared by the criterion unit tests
 * (tests/lib/test_*.c): a temp directory per test with HOME, git and libgit2
 * configuration isolated in it, shell commands, files.
 *
 * Every helper fails the running test with a criterion assertion rather than
 * returning an error. Strings returned are malloc'ed and owned by the caller.
 */
#ifndef ADR_TESTUTIL_H
#define ADR_TESTUTIL_H

#include <criterion/criterion.h>

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "adr/common.h"
#include "adr/repo.h"

#define TU_ROOT_MAX 512
#define TU_PATH_BUF (TU_ROOT_MAX + 256)

extern char tu_root[TU_ROOT_MAX];         /* the temp dir of this test */
extern char tu_repo_dir[TU_ROOT_MAX + 8]; /* tu_root/repo */

/*
 * Creates a fresh temp directory "$TMPDIR/<prefix>-XXXXXX" (its real path)
 * with an empty home/ in it, points HOME there, clears the git and adr
 * variables that would leak in from the caller and points libgit2's config
 * search path inside it. Sets tu_repo_dir to tu_root/repo without creating it.
 */
void tu_setup_root(const char *prefix);

/* tu_setup_root("adr-test"), a fixed author and committer, the templates of
 * the source tree, and an empty tu_repo_dir. */
void tu_setup(void);

/* Goes back to the starting directory and removes tu_root, which must succeed. */
void tu_teardown(void);

/* Runs a shell command in the current directory; returns its exit status. */
int tu_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Runs a shell command in tu_repo_dir; returns its exit status. */
int tu_run_rc(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define tu_run(...) cr_assert_eq(tu_run_rc(__VA_ARGS__), 0, "command failed: %s", #__VA_ARGS__)

/* Runs a shell command in tu_repo_dir; returns its stdout without the final
 * newline, whatever the command's exit status. */
char *tu_capture(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Like tu_capture, but the command must succeed, and every trailing newline
 * is dropped. */
char *tu_capture_ok(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Writes dir/rel, creating the directories leading to it. */
void tu_write_at(const char *dir, const char *rel, const char *content);

/* tu_write_at(tu_repo_dir, rel, content) */
void tu_write_file(const char *rel, const char *content);

/* The contents of dir/rel, or NULL when it cannot be opened. */
char *tu_read_at(const char *dir, const char *rel);

/* tu_read_at(tu_repo_dir, rel) */
char *tu_read_file(const char *rel);

/* True when dir/rel exists (a dangling symbolic link counts). */
bool tu_exists_at(const char *dir, const char *rel);

/* tu_exists_at(tu_repo_dir, rel) */
bool tu_exists(const char *rel);

/* The contents of the file at path, which must exist; its length in *len. */
char *tu_slurp(const char *path, size_t *len);

/* Calls fn(path, name, payload) for every file under dir, depth first in
 * readdir order; names starting with a dot are skipped. */
void tu_walk_files(const char *dir, void (*fn)(const char *path, const char *name, void *payload),
		   void *payload);

/* Seconds on the monotonic clock. */
double tu_now(void);

/* `pat` repeated as many whole times as fit in `max` bytes. */
char *tu_repeat(const char *pat, size_t max);

/* git init -q -b <branch> in tu_repo_dir. */
void tu_git_init(const char *branch);

/* git add -A and a commit with message `msg` in tu_repo_dir. */
void tu_commit_all(const char *msg);

/*
 * Data that is not the project's own lives in ../shared beside the checkout
 * (ADR_TEST_SHARED, cmake's ADR_SHARED_DIR): the external corpora
 * (data/corpora) and the Mustache spec (data/mustache-spec). Tests that
 * replay them call tu_require_shared("data/corpora") first: when it is
 * absent the test is skipped with a message naming the missing directory,
 * except with CI=true, where a missing directory fails the test (CI must
 * replay them; .ci/run checks it too).
 */
void tu_require_shared(const char *sub);

/* The project's own fixtures: ADR_TEST_FIXTURES "/formats" (see its README). */
#define TU_FORMATS ADR_TEST_FIXTURES "/formats"

/* adr_repo_open(dir), which must succeed. */
adr_repo *tu_open_ok(const char *dir);

#define tu_assert_msg_has(needle)                                                                      \
	cr_assert_not_null(strstr(adr_error_last(), (needle)), "message '%s' should contain '%s'",      \
			   adr_error_last(), (needle))

/* Asserts that the output of the command (see tu_capture) equals `expect`. */
#define tu_assert_out(expect, ...)                                                                     \
	do {                                                                                           \
		char *out_ = tu_capture(__VA_ARGS__);                                                  \
		cr_assert(strcmp(out_, (expect)) == 0, "%s\n--- got:\n%s\n--- expected:\n%s", #__VA_ARGS__, out_, \
			  (expect));                                                                    \
		free(out_);                                                                            \
	} while (0)

#endif
