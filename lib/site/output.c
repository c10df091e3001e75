/*
 * site/output.c: where a build writes: the new site directory next to the
 * target, the files written into it (markup cleaned of control characters),
 * the manifest, and the swap that replaces the previous site whole.
 */
#define _GNU_SOURCE /* renameat2(RENAME_EXCHANGE) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
 *
 * same_as_old: 1 when the previous site's `base` in `olddfd` holds exactly
 * `data` (its stat data in *st_out), 0 when it does not or is not there,
 * -1 when it could not be compared (errno says why; no memory for the
 * comparison is ENOMEM).
 */
static int same_as_old(site *s, int olddfd, const char *base, const char *data, size_t len, struct stat *st_out)
{
	struct stat st;
	size_t at = 0;
	int same = 0, fd, err = 0;

	if (olddfd < 0)
		return 0;
	fd = openat(olddfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT || errno == ELOOP ? 0 : -1;
	if (fstat(fd, &st) < 0) {
		err = errno;
	} else if (S_ISREG(st.st_mode) && st.st_nlink == 1 && (size_t)st.st_size == len) {
		if (adr_buf_grow(&s->old, OLD_CHUNK) < 0) {
			adr_error_clear();
			err = ENOMEM;
		}
		/* In chunks: the index page alone is megabytes. */
		while (!err) {
			ssize_t n = read(fd, s->old.ptr, OLD_CHUNK);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				err = errno;
			if (n == 0)
				same = at == len;
			if (n <= 0 || (size_t)n > len - at || memcmp(s->old.ptr, data + at, (size_t)n) != 0)
				break;
			at += (size_t)n;
		}
	}
	close(fd);
	if (err) {
		errno = err;
		return -1;
	}
	if (same)
		*st_out = st;
	return same;
}

/* The previous site's media/ directory, or -1. */
static int old_media_dir(site *s)
{
	if (s->oldmediafd < 0 && s->oldfd >= 0)
		s->oldmediafd = openat(s->oldfd, "media", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return s->oldmediafd;
}

/* Notes `name`, just put in the new site with `st`, as written and in
 * the page cache (made from `meta`'s fingerprints, or from `fp`). */
static int note_written(site *s, const char *name, const struct stat *st, const adr__page_entry *meta, uint64_t fp)
{
	adr__page_entry e;

	if (adr_strlist_add(&s->written, name) < 0)
		return ADR_ENOMEM;
	s->res->files++;
	if (!s->pc || strcmp(name, MANIFEST) == 0)
		return 0;
	if (meta)
		e = *meta;
	else
		memset(&e, 0, sizeof(e));
	e.name = (char *)name;
	if (!meta)
		e.fp = fp;
	adr__pagecache_set_stat(&e, st);
	return adr__pagecache_add(s->pc, &e);
}

/* The directory of the new site `name` goes in (its media/ or the site
 * itself), the previous site's (or -1), and the name in them. */
static int dirs_of(site *s, const char *name, int *dfd, int *olddfd, const char **base)
{
	*dfd = s->outfd;
	*olddfd = s->oldfd;
	*base = name;
	if (strncmp(name, "media/", 6) == 0) {
		if ((*dfd = media_dir(s)) < 0)
			return *dfd;
		*base = name + 6;
		*olddfd = old_media_dir(s);
	}
	return 0;
}

/* Does job `j` on the linker thread (site/linker.h) when there is one,
 * else here: 0, or an errno when done here and failed. */
static int link_later(site *s, adr__link_job *j)
{
	bool rewritten;
	int e;

	if (!s->linker && !s->linker_failed) {
		s->linker = adr__linker_start();
		adr_error_clear();
		s->linker_failed = !s->linker; /* then every link is made here */
	}
	if (s->linker && adr__linker_add(s->linker, j) == 0)
		return 0;
	e = adr__link_job_run(j, &rewritten);
	free(j->data);
	if (rewritten && s->res->kept)
		s->res->kept--;
	return e;
}

/* Waits for the linker thread and frees it: the errno of its first
 * failure (and its file in *name), or 0. */
static int links_join(site *s, const char **name)
{
	size_t rewritten = 0;
	int err;

	if (!s->linker)
		return 0;
	err = adr__linker_finish(s->linker, name, &rewritten);
	s->linker = NULL;
	s->res->kept -= rewritten < s->res->kept ? rewritten : s->res->kept;
	return err;
}

int adr__site_links_done(site *s)
{
	const char *name = NULL;
	int err = links_join(s, &name);

	if (err) {
		errno = err;
		return adr__error_os("cannot write '%s/%s' (kept from the previous site)", s->opts->output_dir, name);
	}
	return 0;
}

void adr__site_links_drop(site *s)
{
	const char *name;

	(void)links_join(s, &name);
}

/*
 * Keeps the previous site's `old`. With `data`, the bytes the file should
 * hold: whether it is still as `old` says is then checked on the linker
 * thread, which writes them when it is not; without, the caller has
 * checked it (adr__pagecache_file_ok).
 */
static int keep(site *s, const adr__page_entry *old, const char *data, size_t len)
{
	adr__link_job j = { -1, -1, NULL, old->name, NULL, NULL, 0 };
	int dfd, olddfd, rc;
	struct stat st;

	if (!manifest_name_ok(old->name))
		return 0;
	if ((rc = dirs_of(s, old->name, &dfd, &olddfd, &j.base)) < 0)
		return rc;
	if (olddfd < 0)
		return 0;
	j.from = olddfd;
	j.to = dfd;
	if (data) {
		if (!(j.data = adr__malloc(len ? len : 1)))
			return ADR_ENOMEM;
		memcpy(j.data, data, len);
		j.len = len;
		j.check = old;
	}
	if ((rc = link_later(s, &j)) != 0) {
		errno = rc;
		return adr__error_os("cannot write '%s/%s'", s->opts->output_dir, old->name);
	}
	memset(&st, 0, sizeof(st));
	st.st_ino = (ino_t)old->ino;
	st.st_size = (off_t)old->size;
	st.st_mtim.tv_sec = (time_t)old->mtime_s;
	st.st_mtim.tv_nsec = (long)old->mtime_ns;
	s->res->kept++;
	return (rc = note_written(s, old->name, &st, old, 0)) < 0 ? rc : 1;
}

int adr__site_keep(site *s, const adr__page_entry *old)
{
	return keep(s, old, NULL, 0);
}

/*
 * Writes `name` ("x.html" or "media/x.png") into the new site directory:
 * kept from the previous site without reading it when the page cache
 * says it has these very bytes and it was not touched since, else linked
 * from it when its bytes are the same, else written. `meta` (a record
 * page's fingerprints) or the bytes' hash goes in the page cache.
 */
static int write_file(site *s, const char *name, const char *data, size_t len, const adr__page_entry *meta)
{
	const char *base;
	const adr__page_entry *old;
	adr_buf shown = ADR_BUF_INIT; /* the path in messages */
	struct stat st;
	uint64_t fp = 0;
	int dfd, olddfd, fd, rc;

	if (strcmp(name, MANIFEST) != 0 && !manifest_name_ok(name))
		return adr__error(ADR_EINVALID, "refusing to write '%s'", name);
	if ((rc = dirs_of(s, name, &dfd, &olddfd, &base)) < 0)
		return rc;
	if (s->pc && !meta && strcmp(name, MANIFEST) != 0) {
		fp = adr__pagecache_hash(s->pc, data, len);
		old = adr__pagecache_find(s->pc, name);
		if (old && !(old->flags & ADR_PAGE_RECORD) && old->fp == fp) {
			if (s->verify && adr__pagecache_file_ok(old, olddfd, base) &&
			    (rc = same_as_old(s, olddfd, base, data, len, &st)) <= 0)
				return rc < 0 ? adr__error_os("cannot read '%s/%s' of the previous site to compare it",
							      s->opts->output_dir, name)
					      : adr__site_stale(name);
			if ((rc = keep(s, old, data, len)) != 0)
				return rc < 0 ? rc : 0;
		}
	}
	/* Not compared is written again; in verify mode, the record page's
	 * check (pages.c) then says why it was not kept. */
	s->old_errno = 0;
	rc = strcmp(name, MANIFEST) != 0 ? same_as_old(s, olddfd, base, data, len, &st) : 0;
	if (rc < 0)
		s->old_errno = errno;
	if (rc > 0 && linkat(olddfd, base, dfd, base, 0) == 0) {
		s->res->kept++;
		return note_written(s, name, &st, meta, fp);
	}
	if (adr_buf_printf(&shown, "%s/%s", s->opts->output_dir, name) < 0)
		return ADR_ENOMEM;
	fd = openat(dfd, base, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = adr__error_os("cannot create '%s'", shown.ptr);
	} else {
		rc = adr__fd_write_all(fd, data, len, shown.ptr);
		if (rc == 0 && fstat(fd, &st) < 0)
			rc = adr__error_os("cannot write '%s'", shown.ptr);
		if (close(fd) < 0 && rc == 0)
			rc = adr__error_os("cannot write '%s'", shown.ptr);
	}
	adr_buf_dispose(&shown);
	if (rc < 0)
		return rc;
	return note_written(s, name, &st, meta, fp);
}

int adr__site_write_page(site *s, const char *name, const adr_buf *b, const adr__page_entry *meta)
{
	adr_buf clean = ADR_BUF_INIT;
	int rc;

	if (adr_buf_oom(b))
		return ADR_ENOMEM;
	if (!is_markup(name) || markup_clean(b->ptr, b->size))
		return write_file(s, name, b->ptr, b->size, meta);
	clean_markup(&clean, b->ptr, b->size);
	if (adr_buf_oom(&clean))
		rc = ADR_ENOMEM;
	else
		rc = write_file(s, name, clean.ptr, clean.size, meta);
	adr_buf_dispose(&clean);
	return rc;
}

int adr__site_write_buf(site *s, const char *name, const adr_buf *b)
{
	return adr__site_write_page(s, name, b, NULL);
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

/* The page cache of the target (site/pagecache.h), by its absolute path;
 * none when that path cannot be known. */
static int open_cache(site *s)
{
	adr_buf abs = ADR_BUF_INIT;
	char *real = realpath(s->parent, NULL);
	int rc = 0;

	if (real) {
		adr_buf_printf(&abs, "%s/%s", strcmp(real, "/") == 0 ? "" : real, s->base);
		free(real);
		rc = adr_buf_oom(&abs) ? ADR_ENOMEM : adr__pagecache_open(&s->pc, s->repo, abs.ptr, s->oldfd);
	}
	adr_buf_dispose(&abs);
	return rc;
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

	/* the trash emptied first: the previous site's files have one name */
	adr__site_remover_join(s->trash, s->res);
	s->trash = NULL;
	if ((rc = target_path(&path, s->opts->output_dir)) < 0 || (rc = split_target(s, path.ptr)) < 0 ||
	    (rc = check_target(s)) < 0)
		goto cleanup;
	snprintf(s->tmp_prefix, sizeof(s->tmp_prefix), TMP_PREFIX "%016llx-",
		 (unsigned long long)adr__hash(s->base, strlen(s->base)));
	clean_stale(s);
	if ((rc = make_new_dir(s)) < 0 || (rc = open_cache(s)) < 0)
		goto cleanup;
cleanup:
	adr_buf_dispose(&path);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The previous site, once swapped out, goes to the git dir's html-trash/
 * (a rename: the same file system), and the next build removes it on
 * another thread while it reads the records; where it cannot go there (a
 * git dir on another file system), it is removed on another thread while
 * this build frees its memory. Either way nothing of it stays in or next
 * to the site's directory, and neither removal is paid for in full: each
 * is a tenth of a rebuild at 10,000 records.
 */
#define TRASH "html-trash"
#define TRASH_ENTRIES_MAX 1000

struct site_remover {
	pthread_t th;
	int dfd;           /* the directory it removes in (a descriptor of its own) */
	char *name;        /* what it removes there; NULL: everything there */
	char *shown;       /* that directory's path, for the warning */
	int err;           /* errno of the first that could not be removed */
	char failed[96];   /* and its name */
};

/* Removes `name` in r->dfd, noting the first failure. */
static void remove_one(struct site_remover *r, const char *name)
{
	if (adr__site_remove_dir(r->dfd, name) < 0 && !r->err) {
		r->err = errno ? errno : EIO;
		snprintf(r->failed, sizeof(r->failed), "%s", name);
	}
}

static void *remover_main(void *arg)
{
	struct site_remover *r = arg;
	adr_strlist names = ADR_STRLIST_INIT;
	struct dirent *de;
	DIR *d;

	if (r->name) {
		remove_one(r, r->name);
		return NULL;
	}
	if ((d = opendir_at(r->dfd, ".")) != NULL) {
		while ((de = next_entry(d)) != NULL && names.count < TRASH_ENTRIES_MAX)
			if (adr_strlist_add(&names, de->d_name) < 0)
				break;
		closedir(d);
	}
	adr_error_clear(); /* this thread's; a failure shows as what stays */
	for (size_t i = 0; i < names.count; i++)
		remove_one(r, names.items[i]);
	adr_strlist_dispose(&names);
	return NULL;
}

/* Removes `name` (NULL: everything) in `dfd` (taken over), whose path is
 * `shown`, on a thread of its own: in *out, or NULL when it was done
 * here (failures then warned about). */
static void remover_start(site *s, int dfd, const char *shown, const char *name, struct site_remover **out)
{
	struct site_remover *r = adr__calloc(1, sizeof(*r));

	*out = NULL;
	if (r && (!name || (r->name = adr__strdup(name)) != NULL) && (r->shown = adr__strdup(shown)) != NULL) {
		r->dfd = dfd;
		if (pthread_create(&r->th, NULL, remover_main, r) == 0) {
			*out = r;
			return;
		}
	}
	/* here, then (the trash stays for the next build when memory is short) */
	adr_error_clear();
	if (name && adr__site_remove_dir(dfd, name) < 0) {
		adr__site_warn(s, "cannot remove the previous site, now at '%s/%s': %s", shown, name, strerror(errno));
	} else if (!name && r) {
		r->dfd = dfd;
		remover_main(r);
		if (r->err)
			adr__site_warn(s, "cannot remove the previous site, now at '%s/%s': %s", shown, r->failed,
				       strerror(r->err));
	}
	if (r) {
		free(r->name);
		free(r->shown);
		free(r);
	}
	close(dfd);
}

void adr__site_remover_join(struct site_remover *r, adr_html_result *res)
{
	adr_buf b = ADR_BUF_INIT;

	if (!r)
		return;
	pthread_join(r->th, NULL);
	close(r->dfd);
	if (r->err) {
		adr_buf_printf(&b, "cannot remove the previous site, now at '%s/%s': %s", r->shown, r->failed,
			       strerror(r->err));
		if (!adr_buf_oom(&b))
			(void)adr_strlist_add(&res->warnings, b.ptr);
	}
	adr_buf_dispose(&b);
	free(r->name);
	free(r->shown);
	free(r);
}

/* The trash (`<git common dir>/adr/html-trash`), created when `create`:
 * a descriptor, or -1; its path in *path. Never through a symlink. */
static int trash_dir(adr_repo *repo, bool create, adr_buf *path)
{
	int fd;

	adr_buf_clear(path);
	adr_buf_printf(path, "%sadr", adr_repo_commondir(repo));
	if (adr_buf_oom(path))
		return -1;
	if (create)
		(void)mkdir(path->ptr, 0777);
	adr_buf_puts(path, "/" TRASH);
	if (adr_buf_oom(path))
		return -1;
	if (create)
		(void)mkdir(path->ptr, 0700);
	fd = open(path->ptr, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	return fd;
}

void adr__site_trash_start(site *s)
{
	adr_buf path = ADR_BUF_INIT;
	int fd = trash_dir(s->repo, false, &path);

	if (fd >= 0)
		remover_start(s, fd, path.ptr, NULL, &s->trash);
	adr_buf_dispose(&path);
	adr_error_clear();
}

/* Puts the previous site, now `name` in the parent, out of the way. */
static void remove_old(site *s, const char *name)
{
	static unsigned n;
	adr_buf path = ADR_BUF_INIT;
	char dest[64];
	int tfd = trash_dir(s->repo, true, &path), dfd;

	adr__site_remover_join(s->trash, s->res); /* not emptying it as it fills */
	s->trash = NULL;
	snprintf(dest, sizeof(dest), "%ld-%u", (long)getpid(), n++);
	if (tfd >= 0 && renameat(s->parentfd, name, tfd, dest) == 0) {
		close(tfd);
		adr_buf_dispose(&path);
		return;
	}
	if (tfd >= 0)
		close(tfd);
	adr_buf_dispose(&path);
	adr_error_clear();
	if ((dfd = fcntl(s->parentfd, F_DUPFD_CLOEXEC, 0)) < 0) {
		if (adr__site_remove_dir(s->parentfd, name) < 0)
			adr__site_warn(s, "cannot remove the previous site, now at '%s/%s': %s", s->parent, name,
				       strerror(errno));
		return;
	}
	remover_start(s, dfd, s->parent, name, &s->remover);
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
		remove_old(s, s->tmp_name);
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
	remove_old(s, aside);
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
	/* write_file() adds the manifest to `written`; that list is done with.
	 * The kept files first: the manifest says the site is whole. */
	if ((rc = adr__site_links_done(s)) == 0)
		rc = write_file(s, MANIFEST, m.ptr, m.size, NULL);
	adr_buf_dispose(&m);
	if (rc < 0 || (rc = swap_in(s)) < 0)
		return rc;
	/* the site is in place: what it was made from, for the next build
	 * (unless a name its pages looked up was lost: it could not tell) */
	if (!s->pc_lost)
		adr__pagecache_save(s->pc, s->outfd, s->pc_env);
	return 0;
}

