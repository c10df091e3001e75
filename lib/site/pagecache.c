/*
 * site/pagecache.c: the page cache of a site directory (site/pagecache.h).
 *
 * The file, native byte order (a mark says which):
 *
 *   "ADRPGC02" u32 mark u32 0 u64 build u64 dev u64 dir-inode, the directory's
 *   path, key[16] u64 env
 *   u32 n, n templates        (each string: u32 length, bytes, NUL)
 *   u32 n, n names
 *   u32 n, n entries: name u64 fp u64 fp-links u64 ino u64 size i64 mtime-s u32 mtime-ns
 *                     u32 flags, words, u32 length + link calls
 *   u64 SipHash of all that came before, under the key
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "git/reccache.h"
#include "site/pagecache.h"
#include "text/markdown.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"

#define MAGIC "ADRPGC02"
#define MARK 0x01020304u
#define FILE_MAX (128u << 20) /* 6 MB at 10,000 records */
#define COUNT_MAX 10000000u
/* magic, mark, 0, build, dev, inode, an empty path, key, env, the three counts */
#define HEAD_SIZE (8u + 4u + 4u + 8u + 8u + 8u + 5u + ADR_SIPHASH_KEY_SIZE + 8u + 3u * 4u)
#define PATH_MAX_LEN 4096u

struct adr__pagecache {
	char *path;                 /* NULL: not to be written */
	char *target;               /* the site directory's path */
	unsigned char key[ADR_SIPHASH_KEY_SIZE];
	uint64_t build;
	adr_buf file;               /* the previous file; old entries point into it */
	adr__page_entry *old;       /* sorted by name */
	size_t nold;
	adr_strlist old_tpl, old_names;
	uint64_t old_env;
	adr__page_entry *entries;   /* the new site's */
	size_t n, alloc;
	adr_strlist tpl, names;
};

/* --- reading ------------------------------------------------------------- */

typedef struct {
	const unsigned char *p, *end;
	bool ok;
} reader;

static const unsigned char *take(reader *r, size_t n)
{
	const unsigned char *at = r->p;

	if (!r->ok || (size_t)(r->end - r->p) < n) {
		r->ok = false;
		return NULL;
	}
	r->p += n;
	return at;
}

static uint32_t get_u32(reader *r)
{
	uint32_t v = 0;
	const unsigned char *at = take(r, sizeof(v));

	if (at)
		memcpy(&v, at, sizeof(v));
	return v;
}

static uint64_t get_u64(reader *r)
{
	uint64_t v = 0;
	const unsigned char *at = take(r, sizeof(v));

	if (at)
		memcpy(&v, at, sizeof(v));
	return v;
}

/* A string: its bytes, NUL-terminated in the file, with no NUL inside. */
static char *get_str(reader *r)
{
	uint32_t len = get_u32(r);
	const unsigned char *at = take(r, (size_t)len + 1);

	if (!at || at[len] != '\0' || memchr(at, '\0', len)) {
		r->ok = false;
		return NULL;
	}
	return (char *)at;
}

static int get_strlist(reader *r, adr_strlist *l)
{
	uint32_t n = get_u32(r);

	if (n > COUNT_MAX)
		r->ok = false;
	for (uint32_t i = 0; i < n && r->ok; i++) {
		const char *s = get_str(r);
		if (s && adr_strlist_add(l, s) < 0)
			return ADR_ENOMEM;
	}
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const adr__page_entry *)a)->name, ((const adr__page_entry *)b)->name);
}

/* Parses c->file; false when any of it does not check out. */
static int parse(adr__pagecache *c, int olddfd, bool *ok)
{
	reader r = { (const unsigned char *)c->file.ptr, (const unsigned char *)c->file.ptr + c->file.size, true };
	struct stat st;
	uint64_t sum, dev, ino;
	uint32_t n;
	int rc;

	*ok = false;
	if (c->file.size < HEAD_SIZE + sizeof(sum) || memcmp(c->file.ptr, MAGIC, sizeof(MAGIC) - 1) != 0)
		return 0;
	take(&r, sizeof(MAGIC) - 1);
	if (get_u32(&r) != MARK || get_u32(&r) != 0 || get_u64(&r) != c->build)
		return 0;
	dev = get_u64(&r);
	ino = get_u64(&r);
	(void)get_str(&r); /* the directory's path: for pruning (see prune()) */
	if (!r.ok || olddfd < 0 || fstat(olddfd, &st) < 0 || (uint64_t)st.st_dev != dev ||
	    (uint64_t)st.st_ino != ino)
		return 0;
	if (r.ok && (size_t)(r.end - r.p) >= ADR_SIPHASH_KEY_SIZE)
		memcpy(c->key, r.p, ADR_SIPHASH_KEY_SIZE);
	take(&r, ADR_SIPHASH_KEY_SIZE);
	/* the sum before the lists and entries: none is read from a file that fails it */
	r.end -= sizeof(sum);
	memcpy(&sum, r.end, sizeof(sum));
	if (!r.ok || adr__siphash(c->key, c->file.ptr, c->file.size - sizeof(sum)) != sum)
		return 0;
	c->old_env = get_u64(&r);
	if ((rc = get_strlist(&r, &c->old_tpl)) < 0 || (rc = get_strlist(&r, &c->old_names)) < 0)
		return rc;
	n = get_u32(&r);
	if (!r.ok || n > COUNT_MAX)
		return 0;
	if (!(c->old = adr__calloc(n ? n : 1, sizeof(*c->old))))
		return ADR_ENOMEM;
	for (uint32_t i = 0; i < n && r.ok; i++) {
		adr__page_entry *e = &c->old[i];
		const unsigned char *links;
		e->name = get_str(&r);
		e->fp = get_u64(&r);
		e->fp_links = get_u64(&r);
		e->ino = get_u64(&r);
		e->size = get_u64(&r);
		e->mtime_s = (int64_t)get_u64(&r);
		e->mtime_ns = get_u32(&r);
		e->flags = get_u32(&r);
		e->words = get_str(&r);
		e->links_len = get_u32(&r);
		links = take(&r, e->links_len);
		e->links = (char *)links;
		/* link calls end each in a NUL */
		if (links && e->links_len && links[e->links_len - 1] != '\0')
			r.ok = false;
	}
	if (!r.ok || r.p != r.end)
		return 0;
	c->nold = n;
	for (size_t i = 1; i < c->nold; i++)
		if (strcmp(c->old[i - 1].name, c->old[i].name) >= 0) {
			c->nold = 0;
			return 0;
		}
	*ok = true;
	return 0;
}

int adr__pagecache_open(adr__pagecache **out, adr_repo *repo, const char *target, int olddfd)
{
	adr__pagecache *c = adr__calloc(1, sizeof(*c));
	adr_buf p = ADR_BUF_INIT;
	const char *mdv = adr__markdown_version();
	bool ok = false;
	int rc = 0;

	*out = NULL;
	ADR_ALLOC_CHECK(c);
	c->file = (adr_buf)ADR_BUF_INIT;
	c->old_tpl = c->old_names = c->tpl = c->names = (adr_strlist)ADR_STRLIST_INIT;
	c->build = adr__hash_from(adr__cache_build_id(), mdv, strlen(mdv));
	adr_buf_printf(&p, "%sadr/site-%016llx.cache", adr_repo_commondir(repo),
		       (unsigned long long)adr__hash(target, strlen(target)));
	if (adr_buf_oom(&p)) {
		adr__pagecache_free(c);
		return adr__error_oom();
	}
	c->path = adr_buf_detach(&p);
	if (!(c->target = adr__strdup(target))) {
		adr__pagecache_free(c);
		return ADR_ENOMEM;
	}
	if (adr__file_read(&c->file, c->path, FILE_MAX, ADR_FS_NOFOLLOW) == 0)
		rc = parse(c, olddfd, &ok);
	adr_error_clear();
	if (rc < 0) {
		adr__pagecache_free(c);
		return rc;
	}
	if (!ok) {
		/* a new cache: a new key, and nothing of the old file */
		free(c->old);
		c->old = NULL;
		c->nold = 0;
		adr_strlist_dispose(&c->old_tpl);
		adr_strlist_dispose(&c->old_names);
		c->old_env = 0;
		if (getrandom(c->key, sizeof(c->key), 0) != (ssize_t)sizeof(c->key)) {
			free(c->path); /* no secret key: no cache */
			c->path = NULL;
		}
	}
	for (size_t i = 0; i < c->old_tpl.count; i++)
		if (adr__pagecache_use_template(c, c->old_tpl.items[i]) < 0)
			rc = ADR_ENOMEM;
	for (size_t i = 0; i < c->old_names.count; i++)
		if (adr__pagecache_use_name(c, c->old_names.items[i], strlen(c->old_names.items[i])) < 0)
			rc = ADR_ENOMEM;
	if (rc < 0) {
		adr__pagecache_free(c);
		return rc;
	}
	*out = c;
	return 0;
}

static void entry_dispose(adr__page_entry *e)
{
	free(e->name);
	free(e->words);
	free(e->links);
}

void adr__pagecache_free(adr__pagecache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		entry_dispose(&c->entries[i]);
	free(c->entries);
	free(c->old);
	adr_buf_dispose(&c->file);
	adr_strlist_dispose(&c->old_tpl);
	adr_strlist_dispose(&c->old_names);
	adr_strlist_dispose(&c->tpl);
	adr_strlist_dispose(&c->names);
	free(c->path);
	free(c->target);
	free(c);
}

const adr__page_entry *adr__pagecache_find(const adr__pagecache *c, const char *name)
{
	adr__page_entry key;

	if (!c || !c->nold)
		return NULL;
	key.name = (char *)name;
	return bsearch(&key, c->old, c->nold, sizeof(*c->old), cmp_entry);
}

bool adr__pagecache_file_ok(const adr__page_entry *e, int dfd, const char *base)
{
	struct stat st;

	return e && dfd >= 0 && fstatat(dfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode) &&
	       st.st_nlink == 1 && (uint64_t)st.st_ino == e->ino && (uint64_t)st.st_size == e->size &&
	       (int64_t)st.st_mtim.tv_sec == e->mtime_s && (uint32_t)st.st_mtim.tv_nsec == e->mtime_ns;
}

void adr__pagecache_set_stat(adr__page_entry *e, const struct stat *st)
{
	e->ino = (uint64_t)st->st_ino;
	e->size = (uint64_t)st->st_size;
	e->mtime_s = (int64_t)st->st_mtim.tv_sec;
	e->mtime_ns = (uint32_t)st->st_mtim.tv_nsec;
}

uint64_t adr__pagecache_hash(const adr__pagecache *c, const void *data, size_t len)
{
	return adr__siphash(c->key, data, len);
}

const adr_strlist *adr__pagecache_old_templates(const adr__pagecache *c)
{
	return &c->old_tpl;
}

const adr_strlist *adr__pagecache_old_names(const adr__pagecache *c)
{
	return &c->old_names;
}

uint64_t adr__pagecache_old_env(const adr__pagecache *c)
{
	return c->old_env;
}

const adr_strlist *adr__pagecache_new_templates(const adr__pagecache *c)
{
	return &c->tpl;
}

const adr_strlist *adr__pagecache_new_names(const adr__pagecache *c)
{
	return &c->names;
}

int adr__pagecache_add(adr__pagecache *c, const adr__page_entry *e)
{
	adr__page_entry *n;

	if (ADR_ARRAY_GROW(c->entries, c->alloc, c->n + 1) < 0)
		return ADR_ENOMEM;
	n = &c->entries[c->n];
	*n = *e;
	n->name = adr__strdup(e->name);
	n->words = e->words ? adr__strdup(e->words) : NULL;
	n->links = NULL;
	if (e->links_len && (n->links = adr__malloc(e->links_len)) != NULL)
		memcpy(n->links, e->links, e->links_len);
	if (!n->name || (e->words && !n->words) || (e->links_len && !n->links)) {
		entry_dispose(n);
		return ADR_ENOMEM;
	}
	c->n++;
	return 0;
}

int adr__pagecache_use_template(adr__pagecache *c, const char *name)
{
	return adr_strlist_contains(&c->tpl, name) ? 0 : adr_strlist_add(&c->tpl, name);
}

int adr__pagecache_use_name(adr__pagecache *c, const char *name, size_t len)
{
	for (size_t i = 0; i < c->names.count; i++)
		if (strlen(c->names.items[i]) == len && memcmp(c->names.items[i], name, len) == 0)
			return 0;
	return adr_strlist_addn(&c->names, name, len);
}

/* --- writing ------------------------------------------------------------- */

static void put_u32(adr_buf *b, uint32_t v)
{
	adr_buf_put(b, &v, sizeof(v));
}

static void put_u64(adr_buf *b, uint64_t v)
{
	adr_buf_put(b, &v, sizeof(v));
}

static void put_str(adr_buf *b, const char *s)
{
	size_t len = s ? strlen(s) : 0;

	put_u32(b, (uint32_t)len);
	adr_buf_put(b, s ? s : "", len);
	adr_buf_putc(b, '\0');
}

static void put_strlist(adr_buf *b, const adr_strlist *l)
{
	put_u32(b, (uint32_t)l->count);
	for (size_t i = 0; i < l->count; i++)
		put_str(b, l->items[i]);
}

/*
 * Whether the cache file `name` in `dfd` can never be used again: not a
 * page cache of this format, or the directory it describes is gone or is
 * another directory now. Only its head is read.
 */
static bool useless(int dfd, const char *name)
{
	unsigned char head[64 + PATH_MAX_LEN];
	reader r = { head, head, true };
	struct stat st;
	uint64_t dev, ino;
	const char *path;
	ssize_t n;
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return false;
	n = read(fd, head, sizeof(head) - 1);
	close(fd);
	if (n < (ssize_t)(sizeof(MAGIC) - 1) || memcmp(head, MAGIC, sizeof(MAGIC) - 1) != 0)
		return n >= 0;
	r.end = head + n;
	take(&r, sizeof(MAGIC) - 1);
	(void)get_u32(&r);
	(void)get_u32(&r);
	(void)get_u64(&r);
	dev = get_u64(&r);
	ino = get_u64(&r);
	path = get_str(&r);
	if (!r.ok)
		return true;  /* cut short (the head always fits in `head`): never usable */
	if (!*path)
		return false; /* its path was too long to keep: cannot tell */
	return stat(path, &st) < 0 ? errno == ENOENT || errno == ENOTDIR
				   : (uint64_t)st.st_dev != dev || (uint64_t)st.st_ino != ino;
}

/*
 * Removes the caches of site directories that are gone (one is written for
 * every directory a site is built into: without this, building into new
 * directories would pile them up), and temporary files of writers that were
 * killed. At most PRUNE_MAX entries are looked at.
 */
#define PRUNE_MAX 4096
static void prune(const adr__pagecache *c)
{
	const char *own = strrchr(c->path, '/') + 1;
	char *dir = adr__strndup(c->path, (size_t)(own - c->path));
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *de;
	int seen = 0;

	while (d && (de = readdir(d)) != NULL && seen++ < PRUNE_MAX) {
		const char *n = de->d_name, *tmp;
		size_t len = strlen(n);
		if (strncmp(n, "site-", 5) != 0 || strcmp(n, own) == 0)
			continue;
		if ((tmp = strstr(n, ".cache.adr-tmp-")) != NULL) {
			if (adr__pid_gone(tmp + 15))
				(void)unlinkat(dirfd(d), n, 0);
		} else if (len > 6 && strcmp(n + len - 6, ".cache") == 0 && useless(dirfd(d), n)) {
			(void)unlinkat(dirfd(d), n, 0);
		}
	}
	if (d)
		closedir(d);
	free(dir);
	adr_error_clear();
}

void adr__pagecache_save(adr__pagecache *c, int newdfd, uint64_t env)
{
	adr_buf b = ADR_BUF_INIT;
	struct stat st;
	char *slash;

	if (!c || !c->path || fstat(newdfd, &st) < 0 || c->n > COUNT_MAX)
		return;
	qsort(c->entries, c->n, sizeof(*c->entries), cmp_entry);
	adr_buf_put(&b, MAGIC, sizeof(MAGIC) - 1);
	put_u32(&b, MARK);
	put_u32(&b, 0);
	put_u64(&b, c->build);
	put_u64(&b, (uint64_t)st.st_dev);
	put_u64(&b, (uint64_t)st.st_ino);
	put_str(&b, strlen(c->target) <= PATH_MAX_LEN ? c->target : "");
	adr_buf_put(&b, c->key, sizeof(c->key));
	put_u64(&b, env);
	put_strlist(&b, &c->tpl);
	put_strlist(&b, &c->names);
	put_u32(&b, (uint32_t)c->n);
	for (size_t i = 0; i < c->n; i++) {
		const adr__page_entry *e = &c->entries[i];
		put_str(&b, e->name);
		put_u64(&b, e->fp);
		put_u64(&b, e->fp_links);
		put_u64(&b, e->ino);
		put_u64(&b, e->size);
		put_u64(&b, (uint64_t)e->mtime_s);
		put_u32(&b, e->mtime_ns);
		put_u32(&b, e->flags);
		put_str(&b, e->words);
		put_u32(&b, (uint32_t)e->links_len);
		adr_buf_put(&b, e->links, e->links_len);
	}
	if (!adr_buf_oom(&b) && b.size <= FILE_MAX) {
		put_u64(&b, adr__siphash(c->key, b.ptr, b.size));
		slash = strrchr(c->path, '/');
		*slash = '\0';
		(void)mkdir(c->path, 0777);
		*slash = '/';
		if (!adr_buf_oom(&b) && adr__file_write_atomic(c->path, b.ptr, b.size, 0600, 0) == 0)
			prune(c);
	}
	adr_error_clear();
	adr_buf_dispose(&b);
}
