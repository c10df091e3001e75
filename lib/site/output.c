/*
 * site/output.c: where a build writes: the new site directory next to the
 * target, the files written into it (markup cleaned of control characters),
 * the manifest, and the swap that replaces the previous site whole.
 */
#define _GNU_SOURCE /* renameat2(RENAME_EXCHANGE) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "site/site_internal.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"
#include "util/utf8.h"


/*
 * A build never writes into the site it replaces. It writes into a fresh
 * directory next to the target (same parent, so the same filesystem),
 * `.adr-html-<hash of the target's name>-<pid>-<n>`, and swaps it in whole
 * at the end: with renameat2(RENAME_EXCHANGE) where the system has it,
 * else by renaming the old site aside and the new one in. The old site is
 * then removed. A failed build removes its directory and leaves the
 * previous site exactly as it was; a killed one leaves its directory
 * behind, which the next build of the same target removes once the
 * process that made it is gone. Only an empty directory or one holding
 * adr's manifest (MANIFEST) is ever replaced.
 */

#define TMP_PREFIX ".adr-html-"
#define REMOVE_DEPTH_MAX 8
#define REMOVE_ENTRIES_MAX 1000000u

static bool manifest_name_ok(const char *name)
{
	const char *base = name;

	if (strncmp(name, "media/", 6) == 0)
		base = name + 6;
	if (!*base || *base == '.' || strchr(base, '/') || strchr(base, '\\'))
		return false;
	return strcmp(base, "..") != 0;
}

/* Removes `name` in `dfd` and, for a directory, all it holds; never
 * follows a symlink. -1 with errno on failure. */
static int remove_tree(int dfd, const char *name, int depth, size_t *budget)
{
	adr_strlist names = ADR_STRLIST_INIT;
	struct dirent *de;
	DIR *d;
	int fd, rc = 0;

	if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth >= REMOVE_DEPTH_MAX) {
		errno = ELOOP;
		return -1;
	}
	if ((fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*budget == 0 || adr_strlist_add(&names, de->d_name) < 0) {
			errno = *budget == 0 ? E2BIG : ENOMEM;
			rc = -1;
			break;
		}
		(*budget)--;
	}
	for (size_t i = 0; rc == 0 && i < names.count; i++)
		rc = remove_tree(dirfd(d), names.items[i], depth + 1, budget);
	if (rc == 0)
		rc = unlinkat(dfd, name, AT_REMOVEDIR);
	{
		int e = errno;
		closedir(d);
		adr_strlist_clear(&names);
		errno = e;
	}
	return rc;
}

int adr__site_remove_dir(int dfd, const char *name)
{
	size_t budget = REMOVE_ENTRIES_MAX;

	return remove_tree(dfd, name, 0, &budget);
}

/*
 * Whether `name` in `dfd` is a directory adr html may replace: empty, or
 * holding MANIFEST as a regular file. 1 yes, 0 no, -1 with errno when it
 * cannot be read.
 */
static int replaceable_dir(int dfd, const char *name)
{
	struct dirent *de;
	struct stat st;
	bool empty = true, marker = false;
	DIR *d;
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -1;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (strcmp(de->d_name, MANIFEST) == 0)
			marker = fstatat(dirfd(d), MANIFEST, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode);
		else
			empty = false;
	}
	closedir(d);
	return empty || marker;
}

/* Removes what dead builds of this target left next to it. */
static void clean_stale(site *s)
{
	struct dirent *de;
	struct stat st;
	DIR *d;
	int fd = dup(s->parentfd);
	size_t plen = strlen(s->tmp_prefix), seen = 0;

	if (fd < 0)
		return;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return;
	}
	while ((de = readdir(d)) != NULL && seen++ < REMOVE_ENTRIES_MAX) {
		char *end;
		long pid;

		if (strncmp(de->d_name, s->tmp_prefix, plen) != 0)
			continue;
		errno = 0;
		pid = strtol(de->d_name + plen, &end, 10);
		if (errno || pid <= 0 || *end != '-' || pid == (long)getpid())
			continue;
		if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue; /* its build may still be running */
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
		    replaceable_dir(dirfd(d), de->d_name) != 1)
			continue;
		if (adr__site_remove_dir(dirfd(d), de->d_name) < 0)
			adr__site_warn(s, "cannot remove '%s/%s', left by an interrupted build: %s", s->parent,
			     de->d_name, strerror(errno));
	}
	closedir(d);
}

static int media_dir(site *s)
{
	if (s->mediafd >= 0)
		return s->mediafd;
	if (mkdirat(s->outfd, "media", 0755) < 0 && errno != EEXIST)
		return adr__error_os("cannot create '%s/media'", s->opts->output_dir);
	s->mediafd = openat(s->outfd, "media", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->mediafd < 0)
		return adr__error_os("cannot open '%s/media'", s->opts->output_dir);
	return s->mediafd;
}

/*
 * Copies `n` bytes of markup into `out` with everything XML 1.0 forbids
 * or HTML calls a control character replaced by U+FFFD: C0 controls but
 * tab, LF and CR; DEL; C1 controls; U+FFFE and U+FFFF; ill-formed UTF-8
 * (a commit subject may be any bytes). Escape sequences from a record or
 * a commit thus reach neither a reader's terminal nor an XML parser.
 */
static void clean_markup(adr_buf *out, const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	size_t i = 0, run = 0;

	while (i < n) {
		uint32_t cp = 0;
		int len;

		if (s[i] >= 0x20 && s[i] < 0x7f) {
			i++;
			continue;
		}
		len = adr__utf8_next(s + i, n - i, &cp);
		if (len > 0 && (cp == '\t' || cp == '\n' || cp == '\r' ||
				(cp >= 0xa0 && cp != 0xfffe && cp != 0xffff))) {
			i += (size_t)len;
			continue;
		}
		adr_buf_put(out, p + run, i - run);
		adr_buf_puts(out, "\xEF\xBF\xBD");
		i += (size_t)(len > 0 ? len : -len);
		run = i;
	}
	adr_buf_put(out, p + run, n - run);
}

static bool is_markup(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".html") == 0) || (n > 4 && strcmp(name + n - 4, ".xml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".svg") == 0);
}

/* Writes `name` ("x.html" or "media/x.png") into the new site directory. */
static int write_file(site *s, const char *name, const char *data, size_t len)
{
	const char *base = name;
	int dfd = s->outfd, fd, rc = 0;

	if (strcmp(name, MANIFEST) != 0 && !manifest_name_ok(name))
		return adr__error(ADR_EINVALID, "refusing to write '%s'", name);
	if (strncmp(name, "media/", 6) == 0) {
		if ((dfd = media_dir(s)) < 0)
			return dfd;
		base = name + 6;
	}
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return adr__error_os("cannot create '%s/%s'", s->opts->output_dir, name);
	while (len > 0) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = adr__error_os("cannot write '%s/%s'", s->opts->output_dir, name);
			break;
		}
		data += n;
		len -= (size_t)n;
	}
	if (close(fd) < 0 && rc == 0)
		rc = adr__error_os("cannot write '%s/%s'", s->opts->output_dir, name);
	if (rc < 0)
		return rc;
	if (adr_strlist_add(&s->written, name) < 0)
		return adr__error(ADR_ENOMEM, "out of memory");
	s->res->files++;
	return 0;
}

int adr__site_write_buf(site *s, const char *name, const adr_buf *b)
{
	adr_buf clean = ADR_BUF_INIT;
	int rc;

	if (adr_buf_oom(b))
		return adr__error(ADR_ENOMEM, "out of memory");
	if (!is_markup(name))
		return write_file(s, name, b->ptr, b->size);
	clean_markup(&clean, b->ptr, b->size);
	if (adr_buf_oom(&clean))
		rc = adr__error(ADR_ENOMEM, "out of memory");
	else
		rc = write_file(s, name, clean.ptr, clean.size);
	adr_buf_dispose(&clean);
	return rc;
}


/*
 * Finds the target (following a symlink the user gave as -o: it is their
 * own path), checks that it may be replaced, removes what dead builds
 * left, and creates the new site directory (s->outfd), marked as adr's
 * from the start so that even an interrupted one is known as such.
 */
int adr__site_open_output(site *s)
{
	const char *dir = s->opts->output_dir;
	adr_buf path = ADR_BUF_INIT;
	char *real = NULL, *slash;
	struct stat st;
	int rc = 0, fd;

	adr_buf_puts(&path, dir);
	while (path.size > 1 && path.ptr[path.size - 1] == '/')
		adr_buf_truncate(&path, path.size - 1);
	if (adr_buf_oom(&path)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* F21: -o through a symlink publishes where the link points. */
	if (lstat(path.ptr, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (!(real = realpath(path.ptr, NULL))) {
			rc = adr__error_os("-o '%s' is a symbolic link that leads to no directory", dir);
			goto cleanup;
		}
		adr_buf_clear(&path);
		adr_buf_puts(&path, real);
		free(real);
		real = NULL;
	}
	slash = strrchr(path.ptr, '/');
	{
		const char *base = slash ? slash + 1 : path.ptr;
		if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
			/* ".", "..", "/": name the directory itself. */
			if (!(real = realpath(path.ptr, NULL))) {
				rc = adr__error_os("cannot open the output directory '%s'", dir);
				goto cleanup;
			}
			adr_buf_clear(&path);
			adr_buf_puts(&path, real);
			slash = strrchr(path.ptr, '/');
		}
	}
	if (adr_buf_oom(&path)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (!slash || slash == path.ptr) {
		if (slash && !slash[1]) {
			rc = adr__error(ADR_EINVALID, "refusing to replace '/' with a site; give a directory for it");
			goto cleanup;
		}
		s->parent = strdup(slash ? "/" : ".");
		s->base = strdup(slash ? slash + 1 : path.ptr);
	} else {
		s->parent = strndup(path.ptr, (size_t)(slash - path.ptr));
		s->base = strdup(slash + 1);
	}
	if (!s->parent || !s->base) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	s->parentfd = open(s->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->parentfd < 0) {
		rc = adr__error_os("cannot create '%s'", dir);
		goto cleanup;
	}
	if (fstatat(s->parentfd, s->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		int ok;
		if (!S_ISDIR(st.st_mode)) {
			rc = adr__error(ADR_EEXISTS, "'%s' is not a directory; give an empty or new directory", dir);
			goto cleanup;
		}
		if ((ok = replaceable_dir(s->parentfd, s->base)) < 0) {
			rc = adr__error_os("cannot read '%s'", dir);
			goto cleanup;
		}
		if (!ok) {
			rc = adr__error(ADR_EEXISTS, "'%s' is not empty and was not written by adr html; "
					"give an empty or new directory", dir);
			goto cleanup;
		}
		s->target_exists = true;
		s->target_mode = st.st_mode & 07777;
	} else if (errno != ENOENT) {
		rc = adr__error_os("cannot open the output directory '%s'", dir);
		goto cleanup;
	}
	snprintf(s->tmp_prefix, sizeof(s->tmp_prefix), TMP_PREFIX "%016llx-",
		 (unsigned long long)adr__hash(s->base, strlen(s->base)));
	clean_stale(s);
	for (unsigned n = 0; n < 100; n++) {
		snprintf(s->tmp_name, sizeof(s->tmp_name), "%s%ld-%u", s->tmp_prefix, (long)getpid(), n);
		if (mkdirat(s->parentfd, s->tmp_name, 0755) == 0)
			break;
		if (errno != EEXIST) {
			s->tmp_name[0] = '\0';
			rc = adr__error_os("cannot create a directory for the new site next to '%s'", dir);
			goto cleanup;
		}
		s->tmp_name[0] = '\0';
	}
	if (!s->tmp_name[0]) {
		rc = adr__error(ADR_EEXISTS, "cannot create a directory for the new site next to '%s'", dir);
		goto cleanup;
	}
	s->outfd = openat(s->parentfd, s->tmp_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->outfd < 0) {
		rc = adr__error_os("cannot open the new site directory next to '%s'", dir);
		goto cleanup;
	}
	if (s->target_exists)
		(void)fchmod(s->outfd, s->target_mode);
	fd = openat(s->outfd, MANIFEST, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = adr__error_os("cannot create '%s/%s'", dir, MANIFEST);
		goto cleanup;
	}
	close(fd);
cleanup:
	free(real);
	adr_buf_dispose(&path);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Moves the new site in place of the old one (see above). */
static int swap_in(site *s)
{
	const char *dir = s->opts->output_dir;
	char aside[sizeof(s->tmp_name)];
	int ok;

	if (!s->target_exists) {
		if (renameat(s->parentfd, s->tmp_name, s->parentfd, s->base) < 0)
			return adr__error_os("cannot move the new site to '%s'", dir);
		s->tmp_name[0] = '\0';
		return 0;
	}
#ifdef RENAME_EXCHANGE
	if (renameat2(s->parentfd, s->tmp_name, s->parentfd, s->base, RENAME_EXCHANGE) == 0) {
		/* The old site is now at tmp_name. Make sure it is still one. */
		if ((ok = replaceable_dir(s->parentfd, s->tmp_name)) != 1) {
			if (renameat2(s->parentfd, s->tmp_name, s->parentfd, s->base, RENAME_EXCHANGE) == 0)
				return adr__error(ADR_EEXISTS, "'%s' changed during the build and is no longer an "
						  "adr site; left as it is", dir);
			return adr__error_os("'%s' changed during the adr__site_build; its content is now at '%s/%s'",
					     dir, s->parent, s->tmp_name);
		}
		if (adr__site_remove_dir(s->parentfd, s->tmp_name) < 0)
			adr__site_warn(s, "cannot remove the previous site, now at '%s/%s': %s", s->parent, s->tmp_name,
			     strerror(errno));
		s->tmp_name[0] = '\0';
		return 0;
	}
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return adr__error_os("cannot move the new site to '%s'", dir);
#endif
	/* No atomic exchange here: the old site aside, the new one in. */
	if ((ok = replaceable_dir(s->parentfd, s->base)) != 1)
		return ok < 0 ? adr__error_os("cannot read '%s'", dir)
			      : adr__error(ADR_EEXISTS, "'%s' changed during the build and is no longer an "
						 "adr site; left as it is", dir);
	snprintf(aside, sizeof(aside), "%s%ld-old", s->tmp_prefix, (long)getpid());
	if (renameat(s->parentfd, s->base, s->parentfd, aside) < 0)
		return adr__error_os("cannot move the previous site '%s' aside", dir);
	if (renameat(s->parentfd, s->tmp_name, s->parentfd, s->base) < 0) {
		int e = errno;
		(void)renameat(s->parentfd, aside, s->parentfd, s->base);
		errno = e;
		return adr__error_os("cannot move the new site to '%s'", dir);
	}
	s->tmp_name[0] = '\0';
	if (adr__site_remove_dir(s->parentfd, aside) < 0)
		adr__site_warn(s, "cannot remove the previous site, now at '%s/%s': %s", s->parent, aside, strerror(errno));
	return 0;
}

/* Writes the manifest (the list of files) and swaps the new site in. */
int adr__site_finish_output(site *s)
{
	adr_buf m = ADR_BUF_INIT;
	int rc;

	qsort(s->written.items, s->written.count, sizeof(char *), cmp_str);
	for (size_t i = 0; i < s->written.count; i++) {
		adr_buf_puts(&m, s->written.items[i]);
		adr_buf_putc(&m, '\n');
	}
	if (adr_buf_oom(&m)) {
		adr_buf_dispose(&m);
		return adr__error(ADR_ENOMEM, "out of memory");
	}
	/* write_file() adds the manifest to `written`; that list is done with. */
	rc = write_file(s, MANIFEST, m.ptr, m.size);
	adr_buf_dispose(&m);
	if (rc < 0)
		return rc;
	return swap_in(s);
}

