/*
 * html.c: the static HTML decision log (see adr/html.h).
 *
 * Shape of a build: read the records of one commit, decide who is visible,
 * work out page names, supersede and link graphs and tags, then render
 * every page with the Mustache templates and write it into a new directory
 * that replaces the output directory whole at the end (see "output").
 */
#define _GNU_SOURCE /* renameat2(RENAME_EXCHANGE) */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adr/history.h"
#include "adr/html.h"
#include "adr/json.h"
#include "adr/links.h"
#include "adr/markdown.h"
#include "adr/mustache.h"
#include "adr/proposal.h"
#include "adr/value.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/utf8.h"

#define MANIFEST ".adr-site"
#define FEED_MAX 100
#define IMAGE_MAX (8u * 1024 * 1024)
#define TEMPLATE_MAX (1024u * 1024)
#define CHAIN_MAX 100
#define HIDDEN_TEXT "a record not published for this audience"

typedef struct {
	adr_record *r;
	bool visible;
	char id[16];          /* "0007" */
	char *page;           /* "0007-use-postgres.html" (written for visible records only) */
	adr_intlist supersedes;     /* both directions merged */
	adr_intlist superseded_by;
	adr_intlist linked_from;
} site_rec;

typedef struct {
	const char *name;     /* borrowed from a record */
	size_t rec;
} tag_pair;

typedef struct {
	const char *name;
	char *page;
	size_t first, count;  /* range in the sorted pairs */
} site_tag;

typedef struct {
	char *name;
	adr_buf src;
} tpl_src;

typedef struct {
	adr_repo *repo;
	const adr_html_opts *opts;
	adr_html_result *res;
	adr_visibility audience;
	adr_visibility def_vis;
	adr_recordset set;
	site_rec *recs;
	tag_pair *pairs;
	size_t npairs;
	site_tag *tags;
	size_t ntags;
	int parentfd;               /* the directory that holds the site */
	char *parent, *base;        /* its path, and the site's name in it */
	bool target_exists;         /* a previous site (or an empty directory) to replace */
	mode_t target_mode;
	char tmp_prefix[48];        /* ".adr-html-<hash>-" */
	char tmp_name[96];          /* the new site's directory until it is swapped in */
	int outfd, mediafd;         /* the new site's directory, its media/ */
	adr_strlist written;
	tpl_src *srcs;
	size_t nsrcs;
	adr_value *site;            /* {site: {...}}: the bottom context of every page */
	const site_rec *cur;        /* record being rendered */
	adr_strlist media;          /* media names written */
	adr_history *history;       /* one walk over the branch, or NULL */
	adr_commit_links links;     /* commits that implement records, sorted by record */
} site;

/* --- small helpers ------------------------------------------------------- */

adr_visibility adr_html_record_visibility(const adr_record *r, adr_visibility def)
{
	if (r->visibility != ADR_VISIBILITY_NONE)
		return r->visibility;
	if (def != ADR_VISIBILITY_NONE)
		return def;
	return ADR_VISIBILITY_INTERNAL;
}

static int vis_rank(adr_visibility v)
{
	switch (v) {
	case ADR_VISIBILITY_PUBLIC: return 1;
	case ADR_VISIBILITY_PARTNER: return 2;
	default: return 3;
	}
}

bool adr_html_visible(adr_visibility v, adr_visibility audience)
{
	if (audience == ADR_VISIBILITY_NONE)
		audience = ADR_VISIBILITY_INTERNAL;
	if (v == ADR_VISIBILITY_NONE)
		v = ADR_VISIBILITY_INTERNAL;
	return vis_rank(v) <= vis_rank(audience);
}

int adr_html_resolve_link(adr_buf *out, adr_buf *frag, const char *base_dir, const char *url)
{
	adr_strlist segs = ADR_STRLIST_INIT;
	const char *end, *hash, *p;
	int rc = 0;

	if (!*url || *url == '/' || *url == '\\' || *url == '#')
		return adr__error(ADR_EINVALID, "'%s' is not a relative path", url);
	for (p = url; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return adr__error(ADR_EINVALID, "'%s' is not a relative path", url);
	hash = strchr(url, '#');
	end = hash ? hash : url + strlen(url);
	for (p = url; p < end; p++)
		if (*p == '?') {
			end = p;
			break;
		}
	if (frag) {
		adr_buf_clear(frag);
		if (hash)
			adr_buf_puts(frag, hash + 1);
	}
	/* base_dir segments, then the link's, folding "." and "..". */
	for (int pass = 0; pass < 2; pass++) {
		const char *s = pass == 0 ? base_dir : url;
		const char *e = pass == 0 ? base_dir + strlen(base_dir) : end;
		while (s < e) {
			const char *q = s;
			size_t n;
			while (q < e && *q != '/' && *q != '\\')
				q++;
			n = (size_t)(q - s);
			if (n == 0 || (n == 1 && s[0] == '.')) {
				/* nothing */
			} else if (n == 2 && s[0] == '.' && s[1] == '.') {
				if (segs.count == 0) {
					rc = adr__error(ADR_EINVALID, "'%s' leaves the repository", url);
					goto cleanup;
				}
				free(segs.items[--segs.count]);
			} else if (adr_strlist_addn(&segs, s, n) < 0) {
				rc = adr__error(ADR_ENOMEM, "out of memory");
				goto cleanup;
			}
			s = q < e ? q + 1 : q;
		}
	}
	if (segs.count == 0) {
		rc = adr__error(ADR_EINVALID, "'%s' names no file", url);
		goto cleanup;
	}
	adr_buf_clear(out);
	for (size_t i = 0; i < segs.count; i++) {
		if (i)
			adr_buf_putc(out, '/');
		adr_buf_puts(out, segs.items[i]);
	}
	if (adr_buf_oom(out) || (frag && adr_buf_oom(frag)))
		rc = adr__error(ADR_ENOMEM, "out of memory");
cleanup:
	adr_strlist_clear(&segs);
	return rc;
}

void adr_html_result_dispose(adr_html_result *r)
{
	if (!r)
		return;
	adr_strlist_clear(&r->warnings);
	r->commit[0] = '\0';
	r->published = r->hidden = r->files = 0;
}

static void warn(site *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warn(site *s, const char *fmt, ...)
{
	adr_buf b = ADR_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	adr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (!adr_buf_oom(&b))
		adr_strlist_add(&s->res->warnings, b.ptr);
	adr_buf_dispose(&b);
}

static site_rec *find_rec(site *s, int number)
{
	size_t lo = 0, hi = s->set.count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int n = s->set.items[mid]->number;
		if (n == number) {
			/* the first of equal numbers */
			while (mid > 0 && s->set.items[mid - 1]->number == number)
				mid--;
			return &s->recs[mid];
		}
		if (n < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* A slug that is safe as a file name: [a-z0-9-], 1..60 characters. */
static bool safe_slug(const char *s)
{
	size_t n = 0;

	if (!s || !*s)
		return false;
	for (; *s; s++, n++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return n <= 60;
}

static const char *status_word(const adr_record *r)
{
	if (r->status != ADR_STATUS_NONE)
		return adr_status_name(r->status);
	return "unknown";
}

/* --- output -------------------------------------------------------------- */

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

static int remove_dir(int dfd, const char *name)
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
		if (remove_dir(dirfd(d), de->d_name) < 0)
			warn(s, "cannot remove '%s/%s', left by an interrupted build: %s", s->parent,
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

static int write_buf(site *s, const char *name, const adr_buf *b)
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
static int open_output(site *s)
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
			return adr__error_os("'%s' changed during the build; its content is now at '%s/%s'",
					     dir, s->parent, s->tmp_name);
		}
		if (remove_dir(s->parentfd, s->tmp_name) < 0)
			warn(s, "cannot remove the previous site, now at '%s/%s': %s", s->parent, s->tmp_name,
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
	if (remove_dir(s->parentfd, aside) < 0)
		warn(s, "cannot remove the previous site, now at '%s/%s': %s", s->parent, aside, strerror(errno));
	return 0;
}

/* Writes the manifest (the list of files) and swaps the new site in. */
static int finish_output(site *s)
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

/* --- templates ----------------------------------------------------------- */

static bool template_name_ok(const char *name)
{
	if (!*name || strlen(name) > 64 || *name == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

/* Reads a regular file (never through a symlink) into `out`. ADR_ENOTFOUND when absent. */
static int read_regular(adr_buf *out, const char *path, size_t max)
{
	struct stat st;
	char chunk[8192];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc = 0;

	if (fd < 0) {
		if (errno == ENOENT)
			return ADR_ENOTFOUND;
		return adr__error_os("cannot read '%s'", path);
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		rc = adr__error(ADR_EINVALID, "'%s' is not a regular file", path);
		goto cleanup;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		if (out->size + (size_t)n > max) {
			rc = adr__error(ADR_EINVALID, "'%s' is larger than %zu bytes", path, max);
			goto cleanup;
		}
		adr_buf_put(out, chunk, (size_t)n);
	}
	if (n < 0)
		rc = adr__error_os("cannot read '%s'", path);
	else if (adr_buf_oom(out))
		rc = adr__error(ADR_ENOMEM, "out of memory");
cleanup:
	close(fd);
	return rc;
}

/*
 * Finds a template or asset: the --templates directory, then the
 * repository's committed `.adr/templates/html/`, then adr's own.
 */
static int load_source(site *s, const adr_buf **out, const char *name)
{
	adr_buf path = ADR_BUF_INIT, src = ADR_BUF_INIT;
	tpl_src *grown;
	int rc;

	for (size_t i = 0; i < s->nsrcs; i++)
		if (strcmp(s->srcs[i].name, name) == 0) {
			*out = &s->srcs[i].src;
			return 0;
		}
	if (!template_name_ok(name))
		return ADR_ENOTFOUND;
	rc = ADR_ENOTFOUND;
	if (s->opts->templates_dir) {
		adr_buf_printf(&path, "%s/%s", s->opts->templates_dir, name);
		rc = read_regular(&src, path.ptr, TEMPLATE_MAX);
	}
	if (rc == ADR_ENOTFOUND) {
		adr_buf_clear(&path);
		adr_buf_clear(&src);
		adr_buf_printf(&path, ".adr/templates/html/%s", name);
		rc = adr_repo_read_file(&src, s->repo, s->set.commit, path.ptr);
		if (rc == ADR_ENOTFOUND)
			adr_error_clear();
	}
	if (rc == ADR_ENOTFOUND) {
		adr_buf_clear(&path);
		adr_buf_clear(&src);
		adr_buf_printf(&path, "%s/html/%s", adr_templates_dir(), name);
		rc = read_regular(&src, path.ptr, TEMPLATE_MAX);
	}
	if (rc < 0)
		goto cleanup;
	if (!(grown = realloc(s->srcs, (s->nsrcs + 1) * sizeof(*grown)))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	s->srcs = grown;
	if (!(grown[s->nsrcs].name = strdup(name))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	grown[s->nsrcs].src = src;
	src = (adr_buf)ADR_BUF_INIT;
	*out = &grown[s->nsrcs++].src;
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&src);
	return rc;
}

static int load_required(site *s, const adr_buf **out, const char *name)
{
	int rc = load_source(s, out, name);

	if (rc == ADR_ENOTFOUND)
		return adr__error(ADR_ENOTFOUND, "html template '%s' not found (looked in %s%s.adr/templates/html "
				  "and %s/html)", name, s->opts->templates_dir ? s->opts->templates_dir : "",
				  s->opts->templates_dir ? ", " : "", adr_templates_dir());
	return rc;
}

static int partial_cb(const char **src, size_t *len, const char *name, void *payload)
{
	site *s = payload;
	const adr_buf *b;
	adr_buf n = ADR_BUF_INIT;
	int rc;

	adr_buf_printf(&n, "%s.mustache", name);
	if (adr_buf_oom(&n))
		return adr__error(ADR_ENOMEM, "out of memory");
	rc = load_source(s, &b, n.ptr);
	adr_buf_dispose(&n);
	if (rc < 0)
		return rc;
	*src = b->ptr;
	*len = b->size;
	return 0;
}

static int compile(site *s, adr_mustache_template **out, const char *name)
{
	const adr_buf *b;
	int rc = load_required(s, &b, name);

	if (rc < 0)
		return rc;
	return adr_mustache_compile(out, name, b->ptr, b->size);
}

static int render(site *s, adr_buf *out, adr_mustache_template *t, const adr_value *page)
{
	const adr_value *ctx[2] = { s->site, page };
	adr_mustache_opts mo = ADR_MUSTACHE_OPTS_INIT;

	mo.flags = ADR_MUSTACHE_STRICT;
	/* A model that lacks something (memory ran out building it) would
	 * render as a page with holes (the site-wide part is checked once, by
	 * build_site_value). */
	if (adr_value_failed(page))
		return adr__error(ADR_ENOMEM, "out of memory");
	return adr_mustache_render_contexts(out, t, ctx, 2, partial_cb, s, &mo);
}

/* --- the model ----------------------------------------------------------- */

static adr_value *strlist_value(const adr_strlist *l)
{
	adr_value *v = adr_value_list();

	for (size_t i = 0; v && i < l->count; i++)
		if (adr_value_list_append_string(v, l->items[i]) < 0) {
			adr_value_free(v);
			return NULL;
		}
	return v;
}

/* {href, id, title} for a visible record, {hidden: true} otherwise. */
static adr_value *rec_link(site *s, int number)
{
	site_rec *t = find_rec(s, number);
	adr_value *v = adr_value_map();

	if (!v)
		return NULL;
	if (!t || !t->visible) {
		/* Every key the partial reads is set: a missing one would make
		 * Mustache climb to the page's own values (a link to itself). */
		adr_value_map_set_bool(v, "hidden", true);
		adr_value_map_set_bool(v, "href", false);
		adr_value_map_set_bool(v, "type", false);
		adr_value_map_set_string(v, "label", HIDDEN_TEXT);
		return v;
	}
	adr_value_map_set_string(v, "href", t->page);
	adr_value_map_set_string(v, "id", t->id);
	adr_value_map_set_string(v, "title", t->r->title);
	adr_value_map_set_string(v, "status", status_word(t->r));
	return v;
}

/* Links to records; hidden ones show as one anonymous line (so not even
 * their count leaks), or not at all with `skip_hidden`. */
static adr_value *rec_links(site *s, const adr_intlist *l, bool skip_hidden)
{
	adr_value *v = adr_value_list();
	bool hidden_added = false;

	for (size_t i = 0; v && i < l->count; i++) {
		site_rec *t = find_rec(s, l->items[i]);
		if (!t || !t->visible) {
			if (hidden_added || skip_hidden)
				continue;
			hidden_added = true;
		}
		if (adr_value_list_append(v, rec_link(s, l->items[i])) < 0) {
			adr_value_free(v);
			return NULL;
		}
	}
	return v;
}

static int cmp_tag_name(const void *key, const void *elem)
{
	return strcmp(key, ((const site_tag *)elem)->name);
}

static adr_value *tag_links(site *s, const adr_strlist *tags)
{
	adr_value *v = adr_value_list();

	for (size_t i = 0; v && i < tags->count; i++) {
		adr_value *t = adr_value_map();
		/* s->tags is sorted by name (plan()) */
		const site_tag *found = bsearch(tags->items[i], s->tags, s->ntags, sizeof(*s->tags), cmp_tag_name);
		const char *page = found ? found->page : NULL;
		adr_value_map_set_string(t, "name", tags->items[i]);
		adr_value_map_set_string(t, "href", page);
		if (adr_value_list_append(v, t) < 0) {
			adr_value_free(v);
			return NULL;
		}
	}
	return v;
}

/*
 * One row of the log table. Tag pages leave out each record's tags
 * (`with_tags` false): listing all of a record's tags on each of its tag
 * pages made the site grow with the square of the tag count (F07).
 */
static adr_value *row_value(site *s, const site_rec *sr, bool with_tags)
{
	const adr_record *r = sr->r;
	adr_value *v = adr_value_map();
	adr_buf makers = ADR_BUF_INIT, tags = ADR_BUF_INIT;

	if (!v)
		return NULL;
	for (size_t i = 0; i < r->decision_makers.count; i++)
		adr_buf_printf(&makers, "%s%s", i ? ", " : "", r->decision_makers.items[i]);
	for (size_t i = 0; with_tags && i < r->tags.count; i++)
		adr_buf_printf(&tags, "%s%s", i ? "," : "", r->tags.items[i]);
	adr_value_map_set_string(v, "id", sr->id);
	adr_value_map_set_number(v, "number", r->number);
	adr_value_map_set_string(v, "title", r->title[0] ? r->title : "(untitled)");
	adr_value_map_set_string(v, "href", sr->page);
	adr_value_map_set_string(v, "status", status_word(r));
	adr_value_map_set_string(v, "date", r->date[0] ? r->date : NULL);
	adr_value_map_set_string(v, "mode", r->mode ? adr_mode_name(r->mode) : NULL);
	if (with_tags) {
		adr_value_map_set(v, "tags", tag_links(s, &r->tags));
		adr_value_map_set_string(v, "tags_attr", tags.ptr);
	}
	adr_value_map_set_string(v, "makers", makers.ptr);
	adr_value_map_set_string(v, "visibility",
				 adr_visibility_name(adr_html_record_visibility(r, s->def_vis)));
	if (adr_buf_oom(&makers) || adr_buf_oom(&tags)) {
		adr_value_free(v);
		v = NULL;
	}
	adr_buf_dispose(&makers);
	adr_buf_dispose(&tags);
	return v;
}

static adr_value *event_value(const char *kind, const char *date, const char *author, const char *text)
{
	adr_value *e = adr_value_map();

	adr_value_map_set_string(e, "event", kind);
	adr_value_map_set_string(e, "date", date);
	adr_value_map_set_string(e, "author", author);
	adr_value_map_set_string(e, "text", text);
	return e;
}

static void format_time(char out[32], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > 0 && gmtime_r(&tt, &tm))
		strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
	else
		snprintf(out, 32, "-");
}

static const char *event_name(adr_event_kind k)
{
	switch (k) {
	case ADR_EVENT_PROPOSED: return "proposed";
	case ADR_EVENT_REVISED: return "revised";
	case ADR_EVENT_COMMENT: return "commented";
	case ADR_EVENT_DECIDED: return "decided";
	}
	return "changed";
}

/*
 * The history timeline, the discussion thread and the commits of one
 * record, as `history`, `thread` and `commits` in `page`:
 *   history: [{event: proposed|revised|commented|decided|created|edited|..., date, author, text}]
 *   thread:  [{author, date, vote: approve|object|null, section, text}]
 *   commits: [{id, short}]
 *
 * The facts come from one walk over the whole branch (lib/history.c, done
 * once per build in s->history) and, for records that went through a
 * proposal, from its thread (lib/proposal.c), read from the merge that
 * decided it, which the walk found: no search per record. A thread that
 * cannot be read is a warning; the page then has the walk's counts. Without
 * either (a history that cannot be read), the record's own fields give a
 * short timeline.
 */
static int site_record_history(site *s, adr_value *page, const site_rec *sr)
{
	const adr_record *r = sr->r;
	adr_value *hist = adr_value_list();
	adr_value *thread = adr_value_list();
	adr_value *commits = adr_value_list();
	const adr_history_entry *he = s->history && r->path ? adr_history_get(s->history, r->path) : NULL;
	adr_thread th;
	bool have_thread = false;
	long long last_event = 0;
	adr_buf who = ADR_BUF_INIT;
	char when[32];

	memset(&th, 0, sizeof(th));
	if (he && he->decision_merge[0]) {
		have_thread = adr_thread_read_merge(&th, s->repo, he->decision_merge) == 0;
		if (!have_thread) {
			warn(s, "%s: discussion thread not shown: %s", r->path, adr_error_last());
			adr_error_clear();
		}
	}
	if (have_thread) {
		for (size_t i = 0; i < th.count; i++) {
			const adr_event *e = &th.events[i];
			format_time(when, e->time);
			adr_buf_clear(&who);
			if (e->kind == ADR_EVENT_REVISED)
				for (size_t k = 0; k < e->changes.count; k++)
					adr_buf_printf(&who, "%s%s", k ? ", " : "", e->changes.items[k]);
			else if (e->kind == ADR_EVENT_DECIDED)
				adr_buf_puts(&who, adr_status_name(th.status));
			else if (e->kind == ADR_EVENT_COMMENT && e->vote != ADR_VOTE_NONE)
				adr_buf_puts(&who, e->vote == ADR_VOTE_APPROVE ? "approves" : "objects");
			adr_value_list_append(hist, event_value(event_name(e->kind), when, e->author,
								who.size ? who.ptr : NULL));
			if (e->time > last_event)
				last_event = e->time;
			if (e->kind == ADR_EVENT_COMMENT || (e->kind == ADR_EVENT_DECIDED && e->text && *e->text)) {
				adr_value *c = adr_value_map();
				adr_value_map_set_string(c, "author", e->author);
				adr_value_map_set_string(c, "date", when);
				adr_value_map_set_string(c, "vote", e->vote == ADR_VOTE_APPROVE ? "approve" :
								    e->vote == ADR_VOTE_OBJECT ? "object" : NULL);
				adr_value_map_set_string(c, "section", e->section);
				adr_value_map_set_string(c, "text", e->text);
				adr_value_map_set_bool(c, "decision", e->kind == ADR_EVENT_DECIDED);
				adr_value_list_append(thread, c);
			}
		}
	} else if (he) {
		if (he->created_time) {
			format_time(when, he->created_time);
			adr_value_list_append(hist, event_value(he->proposed_time ? "proposed" : "created", when,
								he->created_author, NULL));
		} else if (he->before_boundary) {
			adr_value_list_append(hist, event_value("known since", "(shallow clone)", NULL, NULL));
		}
		if (he->revisions > 0) {
			adr_buf_clear(&who);
			adr_buf_printf(&who, "%d revision%s", he->revisions, he->revisions == 1 ? "" : "s");
			adr_value_list_append(hist, event_value("revised", NULL, NULL, who.ptr));
		}
		if (he->comments > 0) {
			adr_buf_clear(&who);
			adr_buf_printf(&who, "%d comment%s", he->comments, he->comments == 1 ? "" : "s");
			adr_value_list_append(hist, event_value("commented", NULL, NULL, who.ptr));
		}
		if (he->decided_time) {
			format_time(when, he->decided_time);
			adr_value_list_append(hist, event_value("decided", when, NULL, status_word(r)));
		}
		last_event = he->decided_time > he->created_time ? he->decided_time : he->created_time;
	}
	if (he && he->changed_time > last_event && strcmp(he->changed_commit, he->created_commit) != 0) {
		format_time(when, he->changed_time);
		adr_value_list_append(hist, event_value("edited", when, he->changed_author, NULL));
	}
	if (!have_thread && !(he && he->decided_time) && r->date[0] && r->status != ADR_STATUS_PROPOSED) {
		adr_buf_clear(&who);
		for (size_t i = 0; i < r->decision_makers.count; i++)
			adr_buf_printf(&who, "%s%s", i ? ", " : "", r->decision_makers.items[i]);
		adr_value_list_append(hist, event_value("decided", r->date, who.size ? who.ptr : NULL, status_word(r)));
	}
	if (r->review_by[0] && r->status == ADR_STATUS_PROPOSED)
		adr_value_list_append(hist, event_value("comments due", r->review_by, NULL, NULL));
	if (r->revisit[0])
		adr_value_list_append(hist, event_value("revisit", r->revisit, NULL, NULL));
	/* Implementing commits (Refs: trailers); their subjects only for the team. */
	for (size_t lo = 0, hi = s->links.count; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->links.items[mid].record < r->number) {
			lo = mid + 1;
		} else if (s->links.items[mid].record > r->number || (mid > 0 && s->links.items[mid - 1].record == r->number)) {
			hi = mid;
		} else {
			for (size_t i = mid; i < s->links.count && s->links.items[i].record == r->number; i++) {
				const adr_commit_link *l = &s->links.items[i];
				adr_value *c = adr_value_map();
				format_time(when, l->time);
				adr_value_map_set_string(c, "id", l->commit);
				adr_value_map_setn(c, "short", 5, adr_value_stringn(l->commit, 12));
				adr_value_map_set_string(c, "date", when);
				if (s->audience == ADR_VISIBILITY_INTERNAL)
					adr_value_map_set_string(c, "subject", l->subject);
				adr_value_list_append(commits, c);
			}
			break;
		}
	}
	adr_value_map_set(page, "history", hist);
	adr_value_map_set(page, "thread", thread);
	adr_value_map_set(page, "commits", commits);
	adr_thread_dispose(&th);
	adr_buf_dispose(&who);
	return 0;
}

/* --- links and images inside a record ------------------------------------ */

static bool has_scheme(const char *url)
{
	const char *p = url;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	for (; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return true;
	return false;
}

static const char *image_ext(const char *path)
{
	static const char *const ok[] = { "png", "jpg", "jpeg", "gif", "webp", "avif", NULL };
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return NULL;
	for (size_t i = 0; ok[i]; i++)
		if (strcasecmp(dot + 1, ok[i]) == 0)
			return ok[i];
	return NULL;
}

static int copy_image(site *s, adr_buf *out, const char *path)
{
	adr_buf data = ADR_BUF_INIT, name = ADR_BUF_INIT;
	const char *ext = image_ext(path);
	int rc;

	if (!ext) {
		warn(s, "%s: image '%s' is not a png, jpeg, gif, webp or avif file; left out", s->cur->r->path, path);
		return ADR_MD_UNLINK;
	}
	rc = adr_repo_read_file(&data, s->repo, s->set.commit, path);
	if (rc < 0) {
		warn(s, "%s: image '%s' left out: %s", s->cur->r->path, path, adr_error_last());
		adr_error_clear();
		rc = ADR_MD_UNLINK;
		goto cleanup;
	}
	if (data.size > IMAGE_MAX) {
		warn(s, "%s: image '%s' is larger than %u bytes; left out", s->cur->r->path, path, IMAGE_MAX);
		rc = ADR_MD_UNLINK;
		goto cleanup;
	}
	adr_buf_printf(&name, "media/%016llx.%s", (unsigned long long)adr__hash(data.ptr, data.size), ext);
	if (adr_buf_oom(&name)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (!adr_strlist_contains(&s->media, name.ptr)) {
		if ((rc = write_buf(s, name.ptr, &data)) < 0 || (rc = adr_strlist_add(&s->media, name.ptr)) < 0)
			goto cleanup;
	}
	adr_buf_puts(out, name.ptr);
	rc = ADR_MD_REWRITE;
cleanup:
	adr_buf_dispose(&data);
	adr_buf_dispose(&name);
	return rc;
}

static void dir_of(adr_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	adr_buf_clear(out);
	if (slash)
		adr_buf_put(out, path, (size_t)(slash - path));
}

static int link_cb(adr_buf *out, const char *url, bool image, void *payload)
{
	site *s = payload;
	const site_rec *cur = s->cur;
	adr_buf base = ADR_BUF_INIT, path = ADR_BUF_INIT, frag = ADR_BUF_INIT, slug = ADR_BUF_INIT;
	const char *recdir = adr_repo_records_dir(s->repo);
	size_t rdl = strlen(recdir);
	int rc = ADR_MD_KEEP, number;

	if (!*url)
		return image ? ADR_MD_UNLINK : ADR_MD_KEEP;
	if (has_scheme(url)) {
		if (!image)
			return ADR_MD_KEEP; /* cmark's safe mode blanks dangerous schemes */
		warn(s, "%s: image '%s' is not in the repository; shown as its text", cur->r->path, url);
		return ADR_MD_UNLINK; /* the site makes no request elsewhere */
	}
	if (*url == '#') {
		if (image)
			return ADR_MD_UNLINK;
		/* Headings carry "h-" ids (see adr_markdown_anchor()). */
		adr_buf_putc(out, '#');
		return adr_markdown_anchor(out, url + 1) < 0 ? ADR_ENOMEM : ADR_MD_REWRITE;
	}
	dir_of(&base, cur->r->path ? cur->r->path : recdir);
	if (adr_html_resolve_link(&path, &frag, base.ptr, url) < 0) {
		warn(s, "%s: link '%s' left as text: %s", cur->r->path, url, adr_error_last());
		adr_error_clear();
		rc = ADR_MD_UNLINK;
		goto cleanup;
	}
	if (image) {
		rc = copy_image(s, out, path.ptr);
		goto cleanup;
	}
	if (strncmp(path.ptr, recdir, rdl) == 0 && path.ptr[rdl] == '/' && !strchr(path.ptr + rdl + 1, '/') &&
	    path.size > 3 && strcmp(path.ptr + path.size - 3, ".md") == 0 &&
	    adr_record_parse_filename(&number, &slug, path.ptr + rdl + 1) == 0) {
		site_rec *t = find_rec(s, number);
		if (t && t->visible) {
			adr_buf_puts(out, t->page);
			if (frag.size) {
				adr_buf_putc(out, '#');
				if ((rc = adr_markdown_anchor(out, frag.ptr)) < 0)
					goto cleanup;
			}
			rc = ADR_MD_REWRITE;
		} else if (t) {
			adr_buf_puts(out, HIDDEN_TEXT);
			rc = ADR_MD_REPLACE_TEXT;
		} else {
			warn(s, "%s: link '%s' names no record; left as text", cur->r->path, url);
			rc = ADR_MD_UNLINK;
		}
		adr_error_clear();
		goto cleanup;
	}
	adr_error_clear();
	warn(s, "%s: link '%s' is not part of the site; left as text", cur->r->path, url);
	rc = ADR_MD_UNLINK;
cleanup:
	adr_buf_dispose(&base);
	adr_buf_dispose(&path);
	adr_buf_dispose(&frag);
	adr_buf_dispose(&slug);
	return rc;
}

/* --- building ------------------------------------------------------------ */

static int cmp_pair(const void *a, const void *b)
{
	const tag_pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->rec < y->rec ? -1 : x->rec > y->rec;
}

/* Adds `name` to the hash set `slots` (of `cap` entries, owned by `own`);
 * false when it is there already. */
static int name_set_add(const char **slots, size_t cap, adr_strlist *own, const char *name, bool *added)
{
	size_t i = (size_t)(adr__hash(name, strlen(name)) % cap);

	*added = false;
	for (; slots[i]; i = (i + 1) % cap)
		if (strcmp(slots[i], name) == 0)
			return 0;
	if (adr_strlist_add(own, name) < 0)
		return adr__error(ADR_ENOMEM, "out of memory");
	slots[i] = own->items[own->count - 1];
	*added = true;
	return 0;
}

static int plan(site *s)
{
	adr_buf b = ADR_BUF_INIT, tmp = ADR_BUF_INIT;
	adr_strlist pages = ADR_STRLIST_INIT;
	const char **slots = NULL;
	size_t cap = 0;
	int rc = 0;

	if (!(s->recs = calloc(s->set.count ? s->set.count : 1, sizeof(*s->recs))))
		return adr__error(ADR_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->set.count; i++) {
		site_rec *sr = &s->recs[i];
		adr_record *r = s->set.items[i];
		sr->r = r;
		sr->visible = r->number >= 0 &&
			      adr_html_visible(adr_html_record_visibility(r, s->def_vis), s->audience);
		snprintf(sr->id, sizeof(sr->id), "%04d", r->number);
		/* Hidden records get a page name too (never written, never linked:
		 * `visible` is the only gate), so no code path meets a NULL page and
		 * a missed visibility check shows up as a leak the tests look for,
		 * not as a crash (mutant M2a). */
		adr_buf_clear(&b);
		if (safe_slug(r->slug))
			adr_buf_printf(&b, "%s-%s", sr->id, r->slug);
		else
			adr_buf_printf(&b, "%s", sr->id);
		if (i > 0 && s->set.items[i - 1]->number == r->number) /* two files, one number */
			adr_buf_printf(&b, "-%zu", i);
		adr_buf_puts(&b, ".html");
		if (adr_buf_oom(&b) || !(sr->page = strdup(b.ptr))) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
		if (sr->visible)
			s->res->published++;
		else
			s->res->hidden++;
	}
	/* Supersede and link graphs, both directions. */
	for (size_t i = 0; i < s->set.count; i++) {
		site_rec *sr = &s->recs[i];
		const adr_record *r = sr->r;
		for (size_t k = 0; k < r->supersedes.count; k++) {
			site_rec *t = find_rec(s, r->supersedes.items[k]);
			adr_intlist_add_unique(&sr->supersedes, r->supersedes.items[k]);
			if (t)
				adr_intlist_add_unique(&t->superseded_by, r->number);
		}
		for (size_t k = 0; k < r->superseded_by.count; k++) {
			site_rec *t = find_rec(s, r->superseded_by.items[k]);
			adr_intlist_add_unique(&sr->superseded_by, r->superseded_by.items[k]);
			if (t)
				adr_intlist_add_unique(&t->supersedes, r->number);
		}
		for (size_t k = 0; k < r->nlinks; k++) {
			site_rec *t = find_rec(s, r->links[k].target);
			if (t)
				adr_intlist_add_unique(&t->linked_from, r->number);
		}
	}
	/* Tags of visible records only. */
	for (size_t i = 0; i < s->set.count; i++)
		if (s->recs[i].visible)
			s->npairs += s->recs[i].r->tags.count;
	if (!(s->pairs = calloc(s->npairs ? s->npairs : 1, sizeof(*s->pairs))) ||
	    !(s->tags = calloc(s->npairs ? s->npairs : 1, sizeof(*s->tags)))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	s->npairs = 0;
	for (size_t i = 0; i < s->set.count; i++) {
		if (!s->recs[i].visible)
			continue;
		for (size_t k = 0; k < s->recs[i].r->tags.count; k++) {
			s->pairs[s->npairs].name = s->recs[i].r->tags.items[k];
			s->pairs[s->npairs++].rec = i;
		}
	}
	qsort(s->pairs, s->npairs, sizeof(*s->pairs), cmp_pair);
	cap = 2 * s->npairs + 16;
	if (!(slots = calloc(cap, sizeof(*slots)))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < s->npairs;) {
		size_t j = i;
		site_tag *t = &s->tags[s->ntags];
		while (j < s->npairs && strcmp(s->pairs[j].name, s->pairs[i].name) == 0)
			j++;
		t->name = s->pairs[i].name;
		t->first = i;
		t->count = j - i;
		adr_buf_clear(&b);
		if (adr_slugify(&tmp, t->name) < 0 || tmp.size == 0 || !safe_slug(tmp.ptr)) {
			adr_error_clear();
			adr_buf_printf(&b, "tag-%zu", s->ntags + 1);
		} else {
			adr_buf_printf(&b, "tag-%s", tmp.ptr);
		}
		{
			/* tag names that slugify alike get a number; at most one try per tag */
			size_t stem = b.size;
			bool added = false;
			for (size_t n = 0; !added && n <= s->npairs; n++) {
				adr_buf_truncate(&b, stem);
				if (n)
					adr_buf_printf(&b, "-%zu", s->ntags + n);
				if (adr_buf_oom(&b) || (rc = name_set_add(slots, cap, &pages, b.ptr, &added)) < 0) {
					rc = adr__error(ADR_ENOMEM, "out of memory");
					goto cleanup;
				}
			}
		}
		adr_buf_puts(&b, ".html");
		if (adr_buf_oom(&b) || !(t->page = strdup(b.ptr))) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
		s->ntags++;
		i = j;
	}
cleanup:
	free(slots);
	adr_buf_dispose(&b);
	adr_buf_dispose(&tmp);
	adr_strlist_clear(&pages);
	return rc;
}

static bool safe_base_url(const char *u)
{
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p == '`' || *p == 0x7f)
			return false;
	return true;
}

static int build_site_value(site *s)
{
	adr_value *root = adr_value_map(), *v = adr_value_map(), *tags = adr_value_list();
	char now[32], iso[32];
	time_t t = (time_t)adr_now();
	struct tm tm;
	const char *aud = adr_visibility_name(s->audience);

	if (!root || !v || !tags) {
		adr_value_free(root);
		adr_value_free(v);
		adr_value_free(tags);
		return adr__error(ADR_ENOMEM, "out of memory");
	}
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M UTC", &tm);
	strftime(iso, sizeof(iso), "%Y-%m-%dT%H:%M:%SZ", &tm);
	adr_value_map_set_string(v, "title", s->opts->title ? s->opts->title : "Decision log");
	adr_value_map_set_string(v, "commit", s->set.commit);
	adr_value_map_set_stringn(v, "commit_short", s->set.commit, strnlen(s->set.commit, 12));
	adr_value_map_set_string(v, "build_date", now);
	adr_value_map_set_string(v, "build_iso", iso);
	adr_value_map_set_string(v, "audience", aud);
	adr_value_map_set_bool(v, "internal", s->audience == ADR_VISIBILITY_INTERNAL);
	adr_value_map_set_string(v, "base_url", s->opts->base_url);
	adr_value_map_set_number(v, "published", (double)s->res->published);
	for (size_t i = 0; i < s->ntags; i++) {
		adr_value *tv = adr_value_map();
		adr_value_map_set_string(tv, "name", s->tags[i].name);
		adr_value_map_set_string(tv, "href", s->tags[i].page);
		adr_value_map_set_number(tv, "count", (double)s->tags[i].count);
		adr_value_list_append(tags, tv);
	}
	adr_value_map_set(v, "tags", tags);
	adr_value_map_set(root, "site", v);
	s->site = root;
	return adr_value_failed(root) ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

/* `has_<key>: true` for every non-empty list, for templates to test. */
static int set_has_flags(adr_value *page)
{
	adr_strlist keys = ADR_STRLIST_INIT;
	adr_buf k = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < adr_value_count(page); i++) {
		const adr_value *v = adr_value_map_value(page, i);
		if (adr_value_kind_of(v) == ADR_VALUE_LIST && adr_value_count(v) > 0 &&
		    adr_strlist_add(&keys, adr_value_map_key(page, i, NULL)) < 0)
			rc = adr__error(ADR_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < keys.count && rc == 0; i++) {
		adr_buf_clear(&k);
		adr_buf_printf(&k, "has_%s", keys.items[i]);
		if (adr_buf_oom(&k))
			rc = adr__error(ADR_ENOMEM, "out of memory");
		else
			rc = adr_value_map_set_bool(page, k.ptr, true);
	}
	adr_strlist_clear(&keys);
	adr_buf_dispose(&k);
	return rc;
}

/*
 * The words of `text` (separated by spaces), each once, in the order they
 * first appear (ASCII case ignored): what the search needs, at a fraction
 * of the size for long records.
 */
static int unique_words(adr_buf *out, const char *text)
{
	size_t cap = 64;
	const char **slots = NULL;
	size_t *lens = NULL;
	int rc = 0;

	adr_buf_clear(out);
	for (const char *p = text; *p; p++)
		if (*p == ' ')
			cap++;
	cap = cap * 2;
	if (!(slots = calloc(cap, sizeof(*slots))) || !(lens = calloc(cap, sizeof(*lens)))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (const char *p = text; *p;) {
		const char *w = p;
		size_t len, h = 1469598103934665603ull, i;
		while (*p && *p != ' ')
			p++;
		len = (size_t)(p - w);
		while (*p == ' ')
			p++;
		if (len == 0)
			continue;
		for (size_t k = 0; k < len; k++) {
			unsigned char c = (unsigned char)w[k];
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c - 'A' + 'a');
			h = (h ^ c) * 1099511628211ull;
		}
		for (i = h % cap; slots[i]; i = (i + 1) % cap)
			if (lens[i] == len && strncasecmp(slots[i], w, len) == 0)
				break;
		if (slots[i])
			continue;
		slots[i] = w;
		lens[i] = len;
		if (out->size)
			adr_buf_putc(out, ' ');
		adr_buf_put(out, w, len);
	}
	if (adr_buf_oom(out))
		rc = adr__error(ADR_ENOMEM, "out of memory");
cleanup:
	free(slots);
	free(lens);
	return rc;
}

static int build_record_page(site *s, adr_mustache_template *tpl, adr_json_writer *jw, size_t i,
			     adr_buf *html)
{
	const site_rec *sr = &s->recs[i];
	const adr_record *r = sr->r;
	adr_markdown_opts mo = ADR_MARKDOWN_OPTS_INIT;
	adr_markdown_result md = ADR_MARKDOWN_RESULT_INIT;
	adr_value *page = NULL, *chain = NULL, *related = NULL;
	adr_intlist seen = ADR_INTLIST_INIT;
	adr_buf words = ADR_BUF_INIT;
	int rc;

	mo.flags = ADR_MARKDOWN_SKIP_TITLE;
	mo.link = link_cb;
	mo.payload = s;
	s->cur = sr;
	if ((rc = adr_markdown_render(&md, r->body ? r->body : "", r->body ? strlen(r->body) : 0, &mo)) < 0)
		goto cleanup;
	if (md.raw)
		warn(s, "%s: too many '[' to render safely; shown as plain text", r->path);

	if (!(page = row_value(s, sr, true))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	adr_value_map_set_string(page, "body_html", md.html.ptr);
	adr_value_map_set_bool(page, "raw", md.raw);
	adr_value_map_set(page, "decision_makers", strlist_value(&r->decision_makers));
	adr_value_map_set(page, "consulted", strlist_value(&r->consulted));
	adr_value_map_set(page, "informed", strlist_value(&r->informed));
	adr_value_map_set_string(page, "urgency", r->urgency ? adr_level_name(r->urgency) : NULL);
	adr_value_map_set_string(page, "complexity", r->complexity ? adr_level_name(r->complexity) : NULL);
	adr_value_map_set_string(page, "review_by",
				 r->review_by[0] && r->status == ADR_STATUS_PROPOSED ? r->review_by : NULL);
	adr_value_map_set_string(page, "revisit", r->revisit[0] ? r->revisit : NULL);
	adr_value_map_set(page, "supersedes", rec_links(s, &sr->supersedes, false));
	adr_value_map_set(page, "superseded_by", rec_links(s, &sr->superseded_by, false));
	/* A record the audience cannot see linking here is none of its business. */
	adr_value_map_set(page, "linked_from", rec_links(s, &sr->linked_from, true));
	/* The chain forward to the decision in force now. */
	chain = adr_value_list();
	for (const site_rec *c = sr; c && c->superseded_by.count && chain && seen.count < CHAIN_MAX;) {
		int next = c->superseded_by.items[0];
		site_rec *t = find_rec(s, next);
		if (adr_intlist_contains(&seen, next) || next == r->number)
			break;
		adr_intlist_add(&seen, next);
		adr_value_list_append(chain, rec_link(s, next));
		if (!t || !t->visible)
			break; /* nothing past a hidden record */
		c = t;
	}
	adr_value_map_set(page, "chain", chain);
	/* Hidden targets collapse to one anonymous line without its type, so
	 * neither their number nor how they relate leaks. */
	related = adr_value_list();
	for (size_t k = 0, hidden_added = 0; related && k < r->nlinks; k++) {
		site_rec *t = find_rec(s, r->links[k].target);
		adr_value *l;
		if (!t || !t->visible) {
			if (hidden_added++)
				continue;
			adr_value_list_append(related, rec_link(s, r->links[k].target));
			continue;
		}
		l = rec_link(s, r->links[k].target);
		adr_value_map_set_string(l, "type", r->links[k].type);
		adr_value_list_append(related, l);
	}
	adr_value_map_set(page, "related", related);
	if ((rc = site_record_history(s, page, sr)) < 0 || (rc = set_has_flags(page)) < 0)
		goto cleanup;

	adr_buf_clear(html);
	if ((rc = render(s, html, tpl, page)) < 0 || (rc = write_buf(s, sr->page, html)) < 0)
		goto cleanup;

	/* The search document. */
	adr_json_begin_object(jw);
	adr_json_key(jw, "n");
	adr_json_string(jw, sr->id);
	adr_json_key(jw, "t");
	adr_json_string(jw, r->title);
	adr_json_key(jw, "u");
	adr_json_string(jw, sr->page);
	adr_json_key(jw, "s");
	adr_json_string(jw, status_word(r));
	adr_json_key(jw, "d");
	adr_json_string(jw, r->date);
	adr_json_key(jw, "m");
	adr_json_string(jw, r->mode ? adr_mode_name(r->mode) : "");
	adr_json_key(jw, "g");
	adr_json_begin_array(jw);
	for (size_t k = 0; k < r->tags.count; k++)
		adr_json_string(jw, r->tags.items[k]);
	adr_json_end_array(jw);
	adr_json_key(jw, "p");
	adr_json_begin_array(jw);
	for (size_t k = 0; k < r->decision_makers.count; k++)
		adr_json_string(jw, r->decision_makers.items[k]);
	adr_json_end_array(jw);
	adr_json_key(jw, "x");
	if ((rc = unique_words(&words, md.text.ptr)) < 0)
		goto cleanup;
	adr_json_stringn(jw, words.ptr, words.size);
	rc = adr_json_end_object(jw);
cleanup:
	adr_markdown_result_dispose(&md);
	adr_buf_dispose(&words);
	adr_value_free(page);
	adr_intlist_clear(&seen);
	s->cur = NULL;
	return rc;
}

static int cmp_feed(const void *a, const void *b)
{
	const site_rec *x = *(site_rec *const *)a, *y = *(site_rec *const *)b;
	int c = strcmp(y->r->date, x->r->date);

	if (c)
		return c;
	return y->r->number - x->r->number;
}

static int build_feed(site *s, adr_buf *out)
{
	adr_mustache_template *tpl = NULL;
	site_rec **list = NULL;
	adr_value *page = adr_value_map(), *entries = adr_value_list();
	size_t n = 0;
	int rc;

	if (!page || !entries || !(list = calloc(s->set.count ? s->set.count : 1, sizeof(*list)))) {
		adr_value_free(entries);
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < s->set.count; i++)
		if (s->recs[i].visible && s->recs[i].r->date[0])
			list[n++] = &s->recs[i];
	qsort(list, n, sizeof(*list), cmp_feed);
	if (n > FEED_MAX)
		n = FEED_MAX;
	for (size_t i = 0; i < n; i++) {
		adr_value *e = adr_value_map();
		adr_buf u = ADR_BUF_INIT;
		if (s->opts->base_url)
			adr_buf_printf(&u, "%s%s%s", s->opts->base_url,
				       s->opts->base_url[strlen(s->opts->base_url) - 1] == '/' ? "" : "/", list[i]->page);
		else
			adr_buf_puts(&u, list[i]->page);
		adr_value_map_set_string(e, "id", list[i]->id);
		adr_value_map_set_string(e, "title", list[i]->r->title);
		adr_value_map_set(e, "url", adr_buf_oom(&u) ? NULL : adr_value_string(u.ptr));
		adr_value_map_set_string(e, "status", status_word(list[i]->r));
		adr_buf_clear(&u);
		adr_buf_printf(&u, "%sT00:00:00Z", list[i]->r->date);
		adr_value_map_set(e, "updated", adr_buf_oom(&u) ? NULL : adr_value_string(u.ptr));
		adr_buf_dispose(&u);
		adr_value_list_append(entries, e);
	}
	adr_value_map_set_string(page, "updated", n ? NULL : "");
	if (n) {
		adr_buf u = ADR_BUF_INIT;
		adr_buf_printf(&u, "%sT00:00:00Z", list[0]->r->date);
		adr_value_map_set(page, "updated", adr_buf_oom(&u) ? NULL : adr_value_string(u.ptr));
		adr_buf_dispose(&u);
	}
	adr_value_map_set(page, "entries", entries);
	if ((rc = compile(s, &tpl, "feed.mustache")) < 0)
		goto cleanup;
	adr_buf_clear(out);
	if ((rc = render(s, out, tpl, page)) < 0)
		goto cleanup;
	rc = write_buf(s, "feed.xml", out);
cleanup:
	adr_mustache_template_free(tpl);
	adr_value_free(page);
	free(list);
	return rc;
}

static int build(site *s)
{
	adr_mustache_template *t_rec = NULL, *t_index = NULL, *t_tag = NULL;
	adr_buf html = ADR_BUF_INIT, search = ADR_BUF_INIT;
	adr_json_writer jw;
	adr_value *rows = adr_value_list(), *page = NULL;
	const adr_buf *asset;
	int rc;

	if (!rows)
		return adr__error(ADR_ENOMEM, "out of memory");
	for (size_t i = 0; i < s->set.count; i++)
		if (s->recs[i].visible && adr_value_list_append(rows, row_value(s, &s->recs[i], true)) < 0) {
			adr_value_free(rows);
			return adr__error(ADR_ENOMEM, "out of memory");
		}
	if ((rc = build_site_value(s)) < 0) {
		adr_value_free(rows);
		return rc;
	}
	if ((rc = compile(s, &t_rec, "record.mustache")) < 0 || (rc = compile(s, &t_index, "index.mustache")) < 0 ||
	    (rc = compile(s, &t_tag, "tag.mustache")) < 0)
		goto cleanup;

	adr_buf_puts(&search, "window.ADR_SEARCH_INDEX = ");
	adr_json_writer_init(&jw, &search, ADR_JSON_SCRIPT_SAFE);
	adr_json_begin_object(&jw);
	adr_json_key(&jw, "docs");
	adr_json_begin_array(&jw);
	for (size_t i = 0; i < s->set.count; i++)
		if (s->recs[i].visible && (rc = build_record_page(s, t_rec, &jw, i, &html)) < 0)
			goto cleanup;
	adr_json_end_array(&jw);
	adr_json_end_object(&jw);
	if ((rc = adr_json_writer_finish(&jw)) < 0)
		goto cleanup;
	adr_buf_puts(&search, ";\n");
	if ((rc = write_buf(s, "search-index.js", &search)) < 0)
		goto cleanup;
	adr_buf_dispose(&search);

	adr_buf_clear(&html);
	if (!(page = adr_value_map())) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	adr_value_map_set_bool(page, "is_index", true);
	adr_value_map_set(page, "rows", rows);
	rows = NULL;
	if ((rc = render(s, &html, t_index, page)) < 0 || (rc = write_buf(s, "index.html", &html)) < 0)
		goto cleanup;

	for (size_t k = 0; k < s->ntags; k++) {
		const site_tag *t = &s->tags[k];
		adr_value *tp = adr_value_map(), *trows = adr_value_list();
		for (size_t j = 0; j < t->count; j++)
			adr_value_list_append(trows, row_value(s, &s->recs[s->pairs[t->first + j].rec], false));
		adr_value_map_set_string(tp, "tag", t->name);
		adr_value_map_set_bool(tp, "tag_page", true);
		adr_value_map_set(tp, "rows", trows);
		adr_buf_clear(&html);
		rc = render(s, &html, t_tag, tp);
		adr_value_free(tp);
		if (rc < 0 || (rc = write_buf(s, t->page, &html)) < 0)
			goto cleanup;
	}
	if ((rc = build_feed(s, &html)) < 0)
		goto cleanup;
	if ((rc = load_required(s, &asset, "style.css")) < 0 || (rc = write_buf(s, "style.css", asset)) < 0 ||
	    (rc = load_required(s, &asset, "site.js")) < 0 || (rc = write_buf(s, "site.js", asset)) < 0 ||
	    (rc = load_required(s, &asset, "favicon.svg")) < 0 || (rc = write_buf(s, "favicon.svg", asset)) < 0)
		goto cleanup;
	rc = finish_output(s);
cleanup:
	adr_mustache_template_free(t_rec);
	adr_mustache_template_free(t_index);
	adr_mustache_template_free(t_tag);
	adr_value_free(page);
	adr_value_free(rows);
	adr_buf_dispose(&html);
	adr_buf_dispose(&search);
	return rc;
}

static int cmp_link(const void *a, const void *b)
{
	const adr_commit_link *x = a, *y = b;

	if (x->record != y->record)
		return x->record < y->record ? -1 : 1;
	return x->time > y->time ? -1 : x->time < y->time; /* newest first */
}

int adr_html_build(adr_html_result *out, adr_repo *repo, const adr_html_opts *opts)
{
	site s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.outfd = s.mediafd = s.parentfd = -1;
	if (!opts || opts->version != ADR_HTML_OPTS_VERSION)
		return adr__error(ADR_EUSAGE, "html options: unknown version");
	if (!opts->output_dir || !*opts->output_dir)
		return adr__error(ADR_EUSAGE, "no output directory given");
	if (opts->base_url && !safe_base_url(opts->base_url))
		return adr__error(ADR_EUSAGE, "base URL '%s' is not an http or https URL", opts->base_url);
	s.repo = repo;
	s.opts = opts;
	s.res = out;
	s.audience = opts->audience == ADR_VISIBILITY_NONE ? ADR_VISIBILITY_INTERNAL : opts->audience;
	s.def_vis = adr_repo_default_visibility(repo);
	s.set = (adr_recordset)ADR_RECORDSET_INIT;
	s.written = (adr_strlist)ADR_STRLIST_INIT;
	s.media = (adr_strlist)ADR_STRLIST_INIT;

	if ((rc = adr_repo_records(&s.set, repo, opts->rev, ADR_PARSE_LENIENT)) < 0)
		goto cleanup;
	if (!s.set.commit[0]) {
		rc = adr__error(ADR_ENOTFOUND, "the decision branch has no commit yet");
		goto cleanup;
	}
	memcpy(out->commit, s.set.commit, sizeof(out->commit));
	/* F05: a record that cannot be read has no known visibility (and an
	 * unknown visibility is itself such an error): publishing the rest
	 * would hide the problem, so the build stops before writing anything
	 * and the previous site stays as it was. */
	if (s.set.errors.count) {
		for (size_t e = 1; e < s.set.errors.count; e++)
			adr_strlist_add(&out->warnings, s.set.errors.items[e]);
		rc = adr__error(ADR_EINVALID, "%s; nothing published (adr check lists every problem)",
				s.set.errors.items[0]);
		goto cleanup;
	}
	/* A record that is not a regular file (a symlink) is skipped, and said. */
	for (size_t e = 0; e < s.set.skipped.count; e++)
		adr_strlist_add(&out->warnings, s.set.skipped.items[e]);
	/* History is an extra: a repository whose history cannot be walked
	 * still gets its site, with timelines from the records' own fields. */
	if ((rc = adr_history_new(&s.history)) < 0 ||
	    (rc = adr_history_walk(s.history, repo, s.set.commit, NULL, NULL, NULL)) < 0) {
		if (rc == ADR_ENOMEM) /* not a history problem: no partial site */
			goto cleanup;
		warn(&s, "history not shown: %s", adr_error_last());
		adr_error_clear();
		adr_history_free(s.history);
		s.history = NULL;
	}
	if ((rc = adr_links_walk(&s.links, repo)) < 0) {
		if (rc == ADR_ENOMEM)
			goto cleanup;
		warn(&s, "implementing commits not shown: %s", adr_error_last());
		adr_error_clear();
		adr_commit_links_clear(&s.links);
	}
	if (s.links.count)
		qsort(s.links.items, s.links.count, sizeof(*s.links.items), cmp_link);
	if ((rc = plan(&s)) < 0 || (rc = open_output(&s)) < 0)
		goto cleanup;
	rc = build(&s);
cleanup:
	if (s.recs) {
		for (size_t i = 0; i < s.set.count; i++) {
			free(s.recs[i].page);
			adr_intlist_clear(&s.recs[i].supersedes);
			adr_intlist_clear(&s.recs[i].superseded_by);
			adr_intlist_clear(&s.recs[i].linked_from);
		}
		free(s.recs);
	}
	for (size_t i = 0; i < s.ntags; i++)
		free(s.tags[i].page);
	free(s.tags);
	free(s.pairs);
	for (size_t i = 0; i < s.nsrcs; i++) {
		free(s.srcs[i].name);
		adr_buf_dispose(&s.srcs[i].src);
	}
	free(s.srcs);
	adr_value_free(s.site);
	adr_history_free(s.history);
	adr_commit_links_clear(&s.links);
	adr_strlist_clear(&s.written);
	adr_strlist_clear(&s.media);
	adr_recordset_clear(&s.set);
	if (s.mediafd >= 0)
		close(s.mediafd);
	if (s.outfd >= 0)
		close(s.outfd);
	/* A build that did not finish leaves nothing behind (one that finished
	 * moved tmp_name into place and cleared it: rc == 0 never gets here
	 * with tmp_name set). What cannot be removed, clean_stale removes on
	 * the next build; the build's own error is the one to report. */
	if (s.parentfd >= 0 && s.tmp_name[0])
		(void)remove_dir(s.parentfd, s.tmp_name);
	if (s.parentfd >= 0)
		close(s.parentfd);
	free(s.parent);
	free(s.base);
	return rc;
}
