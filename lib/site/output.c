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
#include "util/alloc.h"
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
#define OLD_CHUNK 65536u

static bool manifest_name_ok(const char *name)
{
	const char *base = name;

	if (strncmp(name, "media/", 6) == 0)
		base = name + 6;
	if (!*base || *base == '.' || strchr(base, '/') || strchr(base, '\\'))
		return false;
	return strcmp(base, "..") != 0;
}

/* Opens directory `name` in `dfd` for reading, never through a symlink.
 * NULL with errno on failure. */
static DIR *opendir_at(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	DIR *d;

	if (fd < 0)
		return NULL;
	if (!(d = fdopendir(fd))) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return d;
}

/* The next entry of `d` but "." and "..", or NULL at the end. */
static struct dirent *next_entry(DIR *d)
{
	struct dirent *de;

	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			break;
	return de;
}

/* Removes `name` in `dfd` and, for a directory, all it holds; never
 * follows a symlink. -1 with errno on failure. */
static int remove_tree(int dfd, const char *name, int depth, size_t *budget)
{
	adr_strlist names = ADR_STRLIST_INIT;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	if (unlinkat(dfd, name, 0) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -1;
	if (depth >= REMOVE_DEPTH_MAX) {
		errno = ELOOP;
		return -1;
	}
	if (!(d = opendir_at(dfd, name)))
		return -1;
	while ((de = next_entry(d)) != NULL) {
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
		adr_strlist_dispose(&names);
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
	DIR *d = opendir_at(dfd, name);

	if (!d)
		return -1;
	while ((de = next_entry(d)) != NULL) {
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
static bool clean_markup(adr_buf *out, const char *p, size_t n)
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
		if (!out)
			return false;
		adr_buf_put(out, p + run, i - run);
		adr_buf_puts(out, "\xEF\xBF\xBD");
		i += (size_t)(len > 0 ? len : -len);
		run = i;
	}
	if (out)
		adr_buf_put(out, p + run, n - run);
	return true;
}

/* Whether clean_markup() would leave `p` as it is (most pages): no copy. */
static bool markup_clean(const char *p, size_t n)
{
	return clean_markup(NULL, p, n);
}

static bool is_markup(const char *name)
{
	size_t n = strlen(name);

	return (n > 5 && strcmp(name + n - 5, ".html") == 0) || (n > 4 && strcmp(name + n - 4, ".xml") == 0) ||
	       (n > 4 && strcmp(name + n - 4, ".svg") == 0);
}

/*
 * Incremental builds: a file whose bytes are those the previous site
 * already holds under the same name is not written again but hard-linked
 * from the previous site into the new one (the swap then removes the old
 * name). The old file is compared byte for byte, so nothing in the old
 * directory is trusted: a page edited by hand, replaced, or a link to
 * elsewhere (more than one name) is simply written anew. Linking costs
 * neither a new inode nor the write, which is most of a build's time.
 */
static bool same_as_old(site *s, int olddfd, const char *base, const char *data, size_t len)
{
	struct stat st;
	size_t at = 0;
	bool same = false;
	int fd;

	if (olddfd < 0)
		return false;
	fd = openat(olddfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_nlink == 1 && (size_t)st.st_size == len &&
	    adr_buf_grow(&s->old, OLD_CHUNK) == 0) {
		/* In chunks: the index page alone is megabytes. */
		for (;;) {
			ssize_t n = read(fd, s->old.ptr, OLD_CHUNK);
			if (n < 0 && errno == EINTR)
				continue;
			if (n == 0)
				same = at == len;
			if (n <= 0 || (size_t)n > len - at || memcmp(s->old.ptr, data + at, (size_t)n) != 0)
				break;
			at += (size_t)n;
		}
	}
	close(fd);
	return same;
}

/* The previous site's media/ directory, or -1. */
static int old_media_dir(site *s)
{
	if (s->oldmediafd < 0 && s->oldfd >= 0)
		s->oldmediafd = openat(s->oldfd, "media", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return s->oldmediafd;
}

/* Writes `name` ("x.html" or "media/x.png") into the new site directory. */
static int write_file(site *s, const char *name, const char *data, size_t len)
{
	const char *base = name;
	adr_buf shown = ADR_BUF_INIT; /* the path in messages */
	int dfd = s->outfd, olddfd = s->oldfd, fd, rc;

	if (strcmp(name, MANIFEST) != 0 && !manifest_name_ok(name))
		return adr__error(ADR_EINVALID, "refusing to write '%s'", name);
	if (strncmp(name, "media/", 6) == 0) {
		if ((dfd = media_dir(s)) < 0)
			return dfd;
		base = name + 6;
		olddfd = old_media_dir(s);
	}
	if (strcmp(name, MANIFEST) != 0 && same_as_old(s, olddfd, base, data, len) &&
	    linkat(olddfd, base, dfd, base, 0) == 0)
		goto written;
	if (adr_buf_printf(&shown, "%s/%s", s->opts->output_dir, name) < 0)
		return ADR_ENOMEM;
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = adr__error_os("cannot create '%s'", shown.ptr);
	} else {
		rc = adr__fd_write_all(fd, data, len, shown.ptr);
		if (close(fd) < 0 && rc == 0)
			rc = adr__error_os("cannot write '%s'", shown.ptr);
	}
	adr_buf_dispose(&shown);
	if (rc < 0)
		return rc;
written:
	if (adr_strlist_add(&s->written, name) < 0)
		return ADR_ENOMEM;
	s->res->files++;
	return 0;
}

int adr__site_write_buf(site *s, const char *name, const adr_buf *b)
{
	adr_buf clean = ADR_BUF_INIT;
	int rc;

	if (adr_buf_oom(b))
		return ADR_ENOMEM;
	if (!is_markup(name) || markup_clean(b->ptr, b->size))
		return write_file(s, name, b->ptr, b->size);
	clean_markup(&clean, b->ptr, b->size);
	if (adr_buf_oom(&clean))
		rc = ADR_ENOMEM;
	else
		rc = write_file(s, name, clean.ptr, clean.size);
	adr_buf_dispose(&clean);
	return rc;
}


/*
 * The target's absolute or relative path, with trailing slashes removed,
 * a symlink the user gave as -o followed (it is their own path), and ".",
 * ".." and "/" resolved so that the last component names the directory.
 */
static int target_path(adr_buf *path, const char *dir)
{
	struct stat st;
	const char *slash, *base;
	char *real;

	adr_buf_puts(path, dir);
	while (path->size > 1 && path->ptr[path->size - 1] == '/')
		adr_buf_truncate(path, path->size - 1);
	if (adr_buf_oom(path))
		return ADR_ENOMEM;
	/* F21: -o through a symlink publishes where the link points. */
	if (lstat(path->ptr, &st) == 0 && S_ISLNK(st.st_mode)) {
		if (!(real = realpath(path->ptr, NULL)))
			return adr__error_os("-o '%s' is a symbolic link that leads to no directory", dir);
		adr_buf_clear(path);
		adr_buf_puts(path, real);
		free(real);
	}
	slash = strrchr(path->ptr, '/');
	base = slash ? slash + 1 : path->ptr;
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0) {
		/* ".", "..", "/": name the directory itself. */
		if (!(real = realpath(path->ptr, NULL)))
			return adr__error_os("cannot open the output directory '%s'", dir);
		adr_buf_clear(path);
		adr_buf_puts(path, real);
		free(real);
	}
	return adr_buf_oom(path) ? ADR_ENOMEM : 0;
}

/* s->parent and s->base from the target's path; s->parentfd opened. */
static int split_target(site *s, const char *path)
{
	const char *dir = s->opts->output_dir, *slash = strrchr(path, '/');

	if (!slash || slash == path) {
		if (slash && !slash[1])
			return adr__error(ADR_EINVALID, "refusing to replace '/' with a site; give a directory for it");
		s->parent = adr__strdup(slash ? "/" : ".");
		s->base = adr__strdup(slash ? slash + 1 : path);
	} else {
		s->parent = adr__strndup(path, (size_t)(slash - path));
		s->base = adr__strdup(slash + 1);
	}
	if (!s->parent || !s->base)
		return ADR_ENOMEM;
	s->parentfd = open(s->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->parentfd < 0)
		return adr__error_os("cannot create '%s'", dir);
	return 0;
}

/* Whether the target may be replaced: new, empty, or a previous site. */
static int check_target(site *s)
{
	const char *dir = s->opts->output_dir;
	struct stat st;
	int ok;

	if (fstatat(s->parentfd, s->base, &st, AT_SYMLINK_NOFOLLOW) < 0) {
		if (errno != ENOENT)
			return adr__error_os("cannot open the output directory '%s'", dir);
		return 0;
	}
	if (!S_ISDIR(st.st_mode))
		return adr__error(ADR_EEXISTS, "'%s' is not a directory; give an empty or new directory", dir);
	if ((ok = replaceable_dir(s->parentfd, s->base)) < 0)
		return adr__error_os("cannot read '%s'", dir);
	if (!ok)
		return adr__error(ADR_EEXISTS, "'%s' is not empty and was not written by adr html; "
				  "give an empty or new directory", dir);
	s->target_exists = true;
	s->target_mode = st.st_mode & 07777;
	/* What the previous site holds, to link instead of writing again. */
	s->oldfd = openat(s->parentfd, s->base, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return 0;
}

/* Creates the new site directory next to the target, with its manifest. */
static int make_new_dir(site *s)
{
	const char *dir = s->opts->output_dir;
	int fd;

	for (unsigned n = 0; n < 100; n++) {
		snprintf(s->tmp_name, sizeof(s->tmp_name), "%s%ld-%u", s->tmp_prefix, (long)getpid(), n);
		if (mkdirat(s->parentfd, s->tmp_name, 0755) == 0)
			break;
		if (errno != EEXIST) {
			s->tmp_name[0] = '\0';
			return adr__error_os("cannot create a directory for the new site next to '%s'", dir);
		}
		s->tmp_name[0] = '\0';
	}
	if (!s->tmp_name[0])
		return adr__error(ADR_EEXISTS, "cannot create a directory for the new site next to '%s'", dir);
	s->outfd = openat(s->parentfd, s->tmp_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (s->outfd < 0)
		return adr__error_os("cannot open the new site directory next to '%s'", dir);
	if (s->target_exists)
		(void)fchmod(s->outfd, s->target_mode);
	fd = openat(s->outfd, MANIFEST, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return adr__error_os("cannot create '%s/%s'", dir, MANIFEST);
	close(fd);
	return 0;
}

/*
 * Finds the target, checks that it may be replaced, removes what dead
 * builds left, and creates the new site directory (s->outfd), marked as
 * adr's from the start so that even an interrupted one is known as such.
 */
int adr__site_open_output(site *s)
{
	adr_buf path = ADR_BUF_INIT;
	int rc;

	if ((rc = target_path(&path, s->opts->output_dir)) < 0 || (rc = split_target(s, path.ptr)) < 0 ||
	    (rc = check_target(s)) < 0)
		goto cleanup;
	snprintf(s->tmp_prefix, sizeof(s->tmp_prefix), TMP_PREFIX "%016llx-",
		 (unsigned long long)adr__hash(s->base, strlen(s->base)));
	clean_stale(s);
	rc = make_new_dir(s);
cleanup:
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
			return adr__error_os("'%s' changed during the build; its content is now at '%s/%s'",
					     dir, s->parent, s->tmp_name);
		}
		if (adr__site_remove_dir(s->parentfd, s->tmp_name) < 0)
			adr__site_warn(s, "cannot remove the previous site, now at '%s/%s': %s", s->parent,
				       s->tmp_name, strerror(errno));
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
		return ADR_ENOMEM;
	}
	/* write_file() adds the manifest to `written`; that list is done with. */
	rc = write_file(s, MANIFEST, m.ptr, m.size);
	adr_buf_dispose(&m);
	if (rc < 0)
		return rc;
	return swap_in(s);
}

