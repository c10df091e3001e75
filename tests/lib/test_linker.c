/*
 * site/linker.c: the thread that puts kept files into a new site. A kept
 * file is linked; when it cannot be, copied; a file no longer as the page
 * cache says gets the bytes the build gave; and every way that can fail is
 * reported by adr__linker_finish() with the file's name, never lost.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "site/linker.h"
#include "testutil.h"

static int from_fd, to_fd;
static char shm[256]; /* a directory on another file system, when there is one */

static void setup(void)
{
	char p[TU_PATH_BUF];
	tu_setup();
	snprintf(p, sizeof(p), "%s/old", tu_root);
	cr_assert_eq(mkdir(p, 0755), 0);
	cr_assert((from_fd = open(p, O_RDONLY | O_DIRECTORY)) >= 0);
	snprintf(p, sizeof(p), "%s/new", tu_root);
	cr_assert_eq(mkdir(p, 0755), 0);
	cr_assert((to_fd = open(p, O_RDONLY | O_DIRECTORY)) >= 0);
	shm[0] = '\0';
}

static void teardown(void)
{
	close(from_fd);
	close(to_fd);
	if (shm[0])
		tu_sh("rm -rf '%s'", shm);
	tu_teardown();
}

TestSuite(linker, .init = setup, .fini = teardown);

static void put(int dfd, const char *name, const char *text)
{
	int fd = openat(dfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
}

static char *get(int dfd, const char *name)
{
	char *buf = calloc(1, 4096);
	int fd = openat(dfd, name, O_RDONLY);
	cr_assert(fd >= 0, "%s is missing", name);
	cr_assert(read(fd, buf, 4095) >= 0);
	close(fd);
	return buf;
}

static ino_t ino(int dfd, const char *name)
{
	struct stat st;
	cr_assert_eq(fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW), 0, "%s", name);
	return st.st_ino;
}

static adr__link_job job(const char *name)
{
	adr__link_job j = { from_fd, to_fd, name, name, NULL, NULL, 0 };
	return j;
}

/* The entry the page cache would have for `name` of the old directory. */
static adr__page_entry entry_of(const char *name)
{
	adr__page_entry e;
	struct stat st;
	memset(&e, 0, sizeof(e));
	cr_assert_eq(fstatat(from_fd, name, &st, 0), 0);
	adr__pagecache_set_stat(&e, &st);
	e.name = (char *)name;
	return e;
}

static int finish(adr__linker *l, const char **name, size_t *rewritten)
{
	*name = NULL;
	*rewritten = 0;
	return adr__linker_finish(l, name, rewritten);
}

Test(linker, links_many_in_batches)
{
	adr__linker *l = adr__linker_start();
	char names[300][16];
	const char *name;
	size_t rewritten;

	cr_assert_not_null(l);
	for (int i = 0; i < 300; i++) {
		adr__link_job j;
		snprintf(names[i], sizeof(names[i]), "p%03d.html", i);
		put(from_fd, names[i], "page");
		j = job(names[i]);
		cr_assert_eq(adr__linker_add(l, &j), 0);
		if (i == 150)
			usleep(20000); /* the thread goes idle, and is woken again */
	}
	cr_assert_eq(finish(l, &name, &rewritten), 0);
	cr_assert_eq(rewritten, 0);
	for (int i = 0; i < 300; i++)
		cr_assert_eq(ino(to_fd, names[i]), ino(from_fd, names[i]), "%s is the same file", names[i]);
}

Test(linker, a_file_changed_since_gets_the_new_bytes)
{
	adr__linker *l = adr__linker_start();
	adr__page_entry same, changed;
	adr__link_job a = job("a.html"), b = job("b.html");
	const char *name;
	size_t rewritten;
	char *got;

	put(from_fd, "a.html", "as built");
	put(from_fd, "b.html", "as built");
	same = entry_of("a.html");
	changed = entry_of("b.html");
	changed.size++; /* as if edited since */
	a.check = &same;
	a.data = strdup("as built");
	a.len = 8;
	b.check = &changed;
	b.data = strdup("rendered");
	b.len = 8;
	cr_assert_eq(adr__linker_add(l, &a), 0);
	cr_assert_eq(adr__linker_add(l, &b), 0);
	cr_assert_null(a.data, "the thread owns the bytes");
	cr_assert_eq(finish(l, &name, &rewritten), 0);
	cr_assert_eq(rewritten, 1);
	cr_assert_eq(ino(to_fd, "a.html"), ino(from_fd, "a.html"), "still as built: linked");
	cr_assert_neq(ino(to_fd, "b.html"), ino(from_fd, "b.html"));
	cr_assert_str_eq((got = get(to_fd, "b.html")), "rendered");
	free(got);
}

/* A directory on another file system (/dev/shm), where a link cannot go:
 * opened as from_fd. False when there is none. */
static bool other_fs(void)
{
	struct stat a, b;
	snprintf(shm, sizeof(shm), "/dev/shm/adr-linker-%ld", (long)getpid());
	if (mkdir(shm, 0755) < 0) {
		shm[0] = '\0';
		return false;
	}
	if (stat(shm, &a) < 0 || fstat(to_fd, &b) < 0 || a.st_dev == b.st_dev)
		return false;
	close(from_fd);
	cr_assert((from_fd = open(shm, O_RDONLY | O_DIRECTORY)) >= 0);
	return true;
}

Test(linker, a_link_that_cannot_be_made_is_a_copy)
{
	adr__link_job a, b;
	adr__page_entry e;
	bool rewritten;
	char *got;

	if (!other_fs()) {
		cr_log_warn("no /dev/shm on another file system: skipped");
		return;
	}
	put(from_fd, "a.html", "page a");
	a = job("a.html");
	cr_assert_eq(adr__link_job_run(&a, &rewritten), 0);
	cr_assert(!rewritten);
	cr_assert_str_eq((got = get(to_fd, "a.html")), "page a");
	free(got);
	/* with the bytes to write: those, not a copy */
	put(from_fd, "b.html", "page b");
	e = entry_of("b.html");
	b = job("b.html");
	b.check = &e;
	b.data = "made b";
	b.len = 6;
	cr_assert_eq(adr__link_job_run(&b, &rewritten), 0);
	cr_assert(rewritten);
	cr_assert_str_eq((got = get(to_fd, "b.html")), "made b");
	free(got);
}

Test(linker, every_failure_is_reported_with_its_file)
{
	adr__linker *l;
	adr__link_job j;
	const char *name;
	size_t rewritten;
	bool rw;

	/* gone from the old site: neither linked nor copied */
	j = job("gone.html");
	cr_assert_eq(adr__link_job_run(&j, &rw), ENOENT);
	/* already in the new one: no link, and the copy will not replace it */
	put(from_fd, "there.html", "old");
	put(to_fd, "there.html", "other");
	j = job("there.html");
	cr_assert_eq(adr__link_job_run(&j, &rw), EEXIST);
	/* not a file: a directory cannot be linked, nor read */
	cr_assert_eq(mkdirat(from_fd, "dir.html", 0755), 0);
	j = job("dir.html");
	cr_assert_eq(adr__link_job_run(&j, &rw), EISDIR);
	/* the first failure on the thread is the one given, with its name */
	l = adr__linker_start();
	cr_assert_not_null(l);
	j = job("ok.html");
	put(from_fd, "ok.html", "fine");
	cr_assert_eq(adr__linker_add(l, &j), 0);
	j = job("gone.html");
	cr_assert_eq(adr__linker_add(l, &j), 0);
	j = job("dir.html");
	cr_assert_eq(adr__linker_add(l, &j), 0);
	cr_assert_eq(finish(l, &name, &rewritten), ENOENT);
	cr_assert_str_eq(name, "gone.html");
	cr_assert_eq(ino(to_fd, "ok.html"), ino(from_fd, "ok.html"), "the jobs after it still done");
}

/* Writing fails (the file size limit stands in for a full disk): the copy
 * and the bytes given both report it. */
Test(linker, a_write_that_fails_is_reported)
{
	struct rlimit small = { 4, 4 };
	adr__page_entry e;
	adr__link_job j;
	bool copy = other_fs(), rw;

	put(from_fd, "big.html", "more than four bytes");
	e = entry_of("big.html");
	e.mtime_ns ^= 1; /* changed since: the bytes are written */
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
	j = job("big.html");
	j.check = &e;
	j.data = "rendered, more than four bytes";
	j.len = strlen(j.data);
	cr_assert_eq(adr__link_job_run(&j, &rw), EFBIG);
	if (copy) {
		j = job("big.html"); /* on another file system: copied */
		cr_assert_eq(unlinkat(to_fd, "big.html", 0), 0);
		cr_assert_eq(adr__link_job_run(&j, &rw), EFBIG, "the copy");
	}
}
