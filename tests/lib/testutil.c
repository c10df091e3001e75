/* testutil.c: see testutil.h. */
#include "testutil.h"

#include <git2.h>

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* Every test program names the templates it was built with, as the adr
 * binary does for its own (the library no longer guesses a source tree). */
__attribute__((constructor)) static void tu_templates(void)
{
	adr_templates_set_dir(ADR_TEST_SOURCE_DIR "/templates");
}

char tu_root[TU_ROOT_MAX];
char tu_repo_dir[TU_ROOT_MAX + 8];
static char start_cwd[PATH_MAX];

#define CMD_MAX 8192

static void vfmt(char *dst, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(dst, size, fmt, ap);
	cr_assert(n >= 0 && (size_t)n < size, "command too long");
}

void tu_setup_root(const char *prefix)
{
	char home[TU_PATH_BUF];
	const char *tmp = getenv("TMPDIR");
	char real[PATH_MAX];

	cr_assert_not_null(getcwd(start_cwd, sizeof(start_cwd)));
	snprintf(tu_root, sizeof(tu_root), "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
	cr_assert_not_null(mkdtemp(tu_root));
	cr_assert_not_null(realpath(tu_root, real));
	cr_assert_lt(strlen(real), sizeof(tu_root) - 64, "TMPDIR is too long");
	memcpy(tu_root, real, strlen(real) + 1);
	snprintf(home, sizeof(home), "%s/home", tu_root);
	cr_assert_eq(mkdir(home, 0700), 0);
	snprintf(tu_repo_dir, sizeof(tu_repo_dir), "%s/repo", tu_root);

	setenv("HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_COMMON_DIR");
	unsetenv("GIT_INDEX_FILE");
	unsetenv("GIT_OBJECT_DIRECTORY");
	unsetenv("GIT_CEILING_DIRECTORIES");
	unsetenv("ADR_NOW");

	/* criterion itself initialises libgit2 before any test runs, so libgit2
	 * computed its config search path from the real HOME: point it here. */
	cr_assert_geq(git_libgit2_init(), 1);
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, home), 0);
	snprintf(home, sizeof(home), "%s/home/.config/git", tu_root);
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, home), 0);
	snprintf(home, sizeof(home), "%s/no-system-config", tu_root);
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, home), 0);
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_PROGRAMDATA, home), 0);
}

void tu_setup(void)
{
	tu_setup_root("adr-test");
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C O Mitter", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
	setenv("ADR_TEMPLATES_DIR", ADR_TEST_SOURCE_DIR "/templates", 1);
	cr_assert_eq(mkdir(tu_repo_dir, 0777), 0);
}

void tu_teardown(void)
{
	char cmd[TU_PATH_BUF];
	if (chdir(start_cwd) != 0)
		return;
	unsetenv("GIT_DIR");
	unsetenv("GIT_COMMON_DIR");
	if (tu_root[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tu_root);
		cr_assert_eq(system(cmd), 0, "cannot remove %s", tu_root);
	}
}

static int status_of(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

int tu_sh(const char *fmt, ...)
{
	char cmd[CMD_MAX];
	va_list ap;
	va_start(ap, fmt);
	vfmt(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return status_of(system(cmd));
}

int tu_run_rc(const char *fmt, ...)
{
	char cmd[CMD_MAX], full[CMD_MAX + TU_ROOT_MAX + 32];
	va_list ap;
	va_start(ap, fmt);
	vfmt(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd '%s' && { %s ; }", tu_repo_dir, cmd);
	return status_of(system(full));
}

static char *vcapture(bool must_succeed, const char *fmt, va_list ap)
{
	char cmd[CMD_MAX], full[CMD_MAX + TU_ROOT_MAX + 32], chunk[4096];
	adr_buf out = ADR_BUF_INIT;
	FILE *p;
	size_t n;
	int st;
	vfmt(cmd, sizeof(cmd), fmt, ap);
	snprintf(full, sizeof(full), "cd '%s' && { %s ; }", tu_repo_dir, cmd);
	p = popen(full, "r");
	cr_assert_not_null(p);
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		adr_buf_put(&out, chunk, n);
	st = pclose(p);
	if (must_succeed) {
		cr_assert_eq(st, 0, "command failed: %s", cmd);
		while (out.size && out.ptr[out.size - 1] == '\n')
			adr_buf_truncate(&out, out.size - 1);
	} else if (out.size && out.ptr[out.size - 1] == '\n') {
		adr_buf_truncate(&out, out.size - 1);
	}
	return adr_buf_detach(&out);
}

char *tu_capture(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	s = vcapture(false, fmt, ap);
	va_end(ap);
	return s;
}

char *tu_capture_ok(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	s = vcapture(true, fmt, ap);
	va_end(ap);
	return s;
}

void tu_write_at(const char *dir, const char *rel, const char *content)
{
	char path[TU_PATH_BUF + 1024];
	FILE *f;
	int n = snprintf(path, sizeof(path), "%s/%s", dir, rel);
	cr_assert(n >= 0 && (size_t)n < sizeof(path), "path too long: %s/%s", dir, rel);
	for (char *s = path + strlen(dir) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(path, 0777);
			*s = '/';
		}
	}
	f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(content, f);
	fclose(f);
}

void tu_write_file(const char *rel, const char *content)
{
	tu_write_at(tu_repo_dir, rel, content);
}

char *tu_read_at(const char *dir, const char *rel)
{
	char path[TU_PATH_BUF + 1024], chunk[4096];
	adr_buf b = ADR_BUF_INIT;
	size_t n;
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (!(f = fopen(path, "rb")))
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		adr_buf_put(&b, chunk, n);
	fclose(f);
	return adr_buf_detach(&b);
}

char *tu_read_file(const char *rel)
{
	return tu_read_at(tu_repo_dir, rel);
}

bool tu_exists_at(const char *dir, const char *rel)
{
	char path[TU_PATH_BUF + 1024];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	return lstat(path, &st) == 0;
}

bool tu_exists(const char *rel)
{
	return tu_exists_at(tu_repo_dir, rel);
}

char *tu_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	cr_assert_geq(n, 0, "cannot read %s", path);
	buf = malloc((size_t)n + 1);
	cr_assert_not_null(buf);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

void tu_walk_files(const char *dir, void (*fn)(const char *path, const char *name, void *payload),
		   void *payload)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	cr_assert_not_null(d, "cannot open %s", dir);
	while ((de = readdir(d))) {
		char p[2048];
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, de->d_name);
		if (stat(p, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode))
			tu_walk_files(p, fn, payload);
		else
			fn(p, de->d_name, payload);
	}
	closedir(d);
}

void tu_require_shared(const char *sub)
{
	char path[TU_PATH_BUF];
	struct stat st;
	const char *ci = getenv("CI");

	snprintf(path, sizeof(path), "%s/%s", ADR_TEST_SHARED, sub);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return;
	if (ci && strcmp(ci, "true") == 0)
		cr_assert_fail("%s is missing and CI=true: CI must replay the external data (../shared)", path);
	/* criterion does not print skips by default: say it where ctest -V shows it */
	fprintf(stderr, "SKIP: %s::%s: %s absent (../shared absent)\n", criterion_current_test->category,
		criterion_current_test->name, path);
	cr_skip_test("SKIP: %s absent (../shared absent)", path);
}

double tu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

char *tu_repeat(const char *pat, size_t max)
{
	size_t pl = strlen(pat), n = max / pl;
	char *b = malloc(n * pl + 1);
	cr_assert_not_null(b);
	for (size_t i = 0; i < n; i++)
		memcpy(b + i * pl, pat, pl);
	b[n * pl] = '\0';
	return b;
}

void tu_git_init(const char *branch)
{
	tu_run("git init -q -b %s .", branch);
}

void tu_commit_all(const char *msg)
{
	tu_run("git add -A && git commit -q -m '%s'", msg);
}

adr_repo *tu_open_ok(const char *dir)
{
	adr_repo *repo = NULL;
	int rc = adr_repo_open(&repo, dir);
	cr_assert_eq(rc, 0, "adr_repo_open(%s): %d %s", dir ? dir : "NULL", rc, adr_error_last());
	return repo;
}
