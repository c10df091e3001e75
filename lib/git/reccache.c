/*
 * git/reccache.c: the cache of parsed records (git/reccache.h).
 *
 * The file: a 96-byte header; the data: for each entry its path, then its
 * packed record (record/pack.h) or its error message, written most
 * recently used first (the order in which older entries are kept), then
 * the listing of the last records directory read (its tree id in the
 * header: reading a 10,000-entry tree from a pack, a long chain of deltas,
 * costs more than the rest), padded to 8 bytes; then `count` index
 * entries of 48 bytes sorted by blob id, read in place.
 */
#include "git/repo_internal.h"
#include "git/reccache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/pack.h"
#include "util/fs.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"

#define MAGIC "ADRRECC"   /* 7 bytes and a NUL */
#define FORMAT 2u
#define BYTE_ORDER_MARK 0x01020304u
#define FILE_MAX ((uint64_t)1 << 31)
#define KEEP_EXTRA 1024

typedef struct {
	char magic[8];
	uint32_t order;
	uint32_t count;
	uint64_t datasize;
	uint64_t checksum;  /* of the index and the data */
	uint64_t repo;      /* hash of the repository's common dir */
	uint64_t build;     /* which build parsed the records */
	char version[16];   /* ADR_VERSION, cut */
	unsigned char tree[GIT_OID_RAWSZ]; /* the records directory listed, or zeros */
	uint32_t ntree;     /* its entries: id, mode (4 bytes), name and NUL each */
	uint64_t treeoff;   /* where they are in the data (to its end) */
} header;

enum { KIND_RECORD = 0, KIND_ERROR = 1 };

typedef struct {
	unsigned char id[GIT_OID_RAWSZ];
	uint32_t flags;
	uint32_t kind;
	uint32_t pathlen;
	uint64_t off;       /* in the data */
	uint64_t len;       /* path and payload */
} entry;

_Static_assert(sizeof(header) == 96, "the header is 96 bytes");
_Static_assert(sizeof(entry) == 48, "an index entry is 48 bytes");

struct adr__reccache {
	char *dir, *path;
	header want;             /* the header a usable file has, but for count, sizes and checksum */
	unsigned char *map;      /* the file, when usable */
	size_t mapsize;
	const entry *index;
	const unsigned char *data;
	bool *used;              /* per entry of the file: used by this command */
	bool *filled;            /* per job of the last fill */
	size_t nfilled;
	adr__reccache_entry *listing; /* the listing of the file's tree, when asked for */
	git_oid newtree;         /* a listing to write: its tree, */
	adr_buf newlisting;      /* and its entries as in the file */
	size_t nnewlisting;
	bool tree_new;
	bool tree_hit;           /* the file listed the tree read */
};

/* A fast checksum of `n` bytes, four 64-bit lanes. */
static uint64_t checksum(const unsigned char *p, size_t n)
{
	uint64_t h[4] = { 1, 2, 3, 4 };
	size_t i = 0;
	for (; i + 32 <= n; i += 32)
		for (int l = 0; l < 4; l++) {
			uint64_t w;
			memcpy(&w, p + i + 8 * l, 8);
			h[l] = (h[l] ^ w) * 0x9e3779b97f4a7c15ULL;
			h[l] ^= h[l] >> 29;
		}
	return adr__hash_from(h[0] ^ (h[1] << 1) ^ (h[2] << 2) ^ (h[3] << 3), p + i, n - i);
}

uint64_t adr__cache_build_id(void)
{
	struct stat st;
	uint64_t h = adr__hash(ADR_VERSION, strlen(ADR_VERSION));
	if (stat("/proc/self/exe", &st) == 0) {
		uint64_t v[5] = { (uint64_t)st.st_dev, (uint64_t)st.st_ino, (uint64_t)st.st_size,
				  (uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec };
		h = adr__hash_from(h, v, sizeof(v));
	}
	return h;
}

/* Which build this is (a rebuilt binary may parse differently). */
static void set_build(header *h)
{
	memcpy(h->magic, MAGIC, sizeof(h->magic));
	h->order = BYTE_ORDER_MARK;
	snprintf(h->version, sizeof(h->version), "%s", ADR_VERSION);
	h->build = adr__cache_build_id() * 1000003ULL + ADR__RECORD_PACK_VERSION * 1009ULL + FORMAT;
}

/* Maps the file when everything in it checks out; else leaves c->map NULL. */
static void load(adr__reccache *c)
{
	struct stat st;
	const header *h;
	void *map;
	int fd = open(c->path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size < (off_t)sizeof(header) ||
	    (uint64_t)st.st_size > FILE_MAX ||
	    (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return;
	}
	close(fd);
	h = map;
	if (memcmp(h->magic, c->want.magic, sizeof(h->magic)) != 0 || h->order != c->want.order ||
	    h->repo != c->want.repo || h->build != c->want.build ||
	    memcmp(h->version, c->want.version, sizeof(h->version)) != 0 ||
	    h->count > (uint64_t)st.st_size / sizeof(entry) || h->datasize % 8 ||
	    sizeof(header) + (uint64_t)h->count * sizeof(entry) + h->datasize != (uint64_t)st.st_size ||
	    checksum((const unsigned char *)map + sizeof(header), (size_t)st.st_size - sizeof(header)) != h->checksum) {
		munmap(map, (size_t)st.st_size);
		return;
	}
	c->data = (const unsigned char *)map + sizeof(header);
	c->index = (const entry *)(c->data + h->datasize); /* 8-byte aligned: datasize is padded */
	for (uint32_t i = 0; i < h->count; i++)
		if (c->index[i].off > h->datasize || c->index[i].len > h->datasize - c->index[i].off ||
		    c->index[i].pathlen > c->index[i].len || c->index[i].kind > KIND_ERROR ||
		    (i && memcmp(c->index[i - 1].id, c->index[i].id, GIT_OID_RAWSZ) > 0)) {
			munmap(map, (size_t)st.st_size);
			c->index = NULL;
			c->data = NULL;
			return;
		}
	c->map = map;
	c->mapsize = (size_t)st.st_size;
	c->want.count = h->count;
	c->want.datasize = h->datasize;
	if (h->treeoff <= h->datasize && h->ntree <= (h->datasize - h->treeoff) / 26) {
		memcpy(c->want.tree, h->tree, sizeof(h->tree));
		c->want.ntree = h->ntree;
		c->want.treeoff = h->treeoff;
	}
}

const adr__reccache_entry *adr__reccache_tree(adr__reccache *c, const git_oid *id, size_t *n)
{
	const unsigned char *p, *end;
	*n = 0;
	if (!c->map || !c->want.ntree || memcmp(c->want.tree, id->id, GIT_OID_RAWSZ) != 0)
		return NULL;
	c->tree_hit = true;
	if (c->listing) {
		*n = c->want.ntree;
		return c->listing;
	}
	if (!(c->listing = adr__calloc(c->want.ntree, sizeof(*c->listing)))) {
		adr_error_clear(); /* read from git instead */
		return NULL;
	}
	p = c->data + c->want.treeoff;
	end = c->data + c->want.datasize;
	for (uint32_t i = 0; i < c->want.ntree; i++) {
		const unsigned char *nul;
		uint32_t mode;
		if ((size_t)(end - p) < GIT_OID_RAWSZ + 6 || !(nul = memchr(p + GIT_OID_RAWSZ + 4, '\0',
									  (size_t)(end - p) - GIT_OID_RAWSZ - 4))) {
			free(c->listing);
			c->listing = NULL;
			return NULL;
		}
		memcpy(&mode, p + GIT_OID_RAWSZ, 4);
		c->listing[i].id = (const git_oid *)p;
		c->listing[i].mode = mode;
		c->listing[i].name = (const char *)p + GIT_OID_RAWSZ + 4;
		p = nul + 1;
	}
	*n = c->want.ntree;
	return c->listing;
}

int adr__reccache_set_tree(adr__reccache *c, const git_oid *id, const adr__reccache_entry *e, size_t n)
{
	adr_buf_clear(&c->newlisting);
	for (size_t i = 0; i < n; i++) {
		uint32_t mode = e[i].mode;
		adr_buf_put(&c->newlisting, e[i].id->id, GIT_OID_RAWSZ);
		adr_buf_put(&c->newlisting, &mode, 4);
		adr_buf_put(&c->newlisting, e[i].name, strlen(e[i].name) + 1);
	}
	if (adr_buf_oom(&c->newlisting))
		return ADR_ENOMEM;
	git_oid_cpy(&c->newtree, id);
	c->nnewlisting = n;
	c->tree_new = true;
	return 0;
}

int adr__reccache_open(adr__reccache **out, adr_repo *repo)
{
	adr__reccache *c = adr__calloc(1, sizeof(*c));
	adr_buf p = ADR_BUF_INIT;

	*out = NULL;
	ADR_ALLOC_CHECK(c);
	set_build(&c->want);
	c->want.repo = adr__hash(repo->commondir, strlen(repo->commondir));
	adr_buf_printf(&p, "%sadr", repo->commondir);
	c->newlisting = (adr_buf)ADR_BUF_INIT;
	c->dir = adr_buf_detach(&p);
	adr_buf_printf(&p, "%s/records.cache", c->dir ? c->dir : "");
	c->path = adr_buf_detach(&p);
	if (!c->dir || !c->path) {
		adr__reccache_free(c);
		return ADR_ENOMEM;
	}
	load(c);
	if (c->map && c->want.count && !(c->used = adr__calloc(c->want.count, sizeof(*c->used)))) {
		adr__reccache_free(c);
		return ADR_ENOMEM;
	}
	*out = c;
	return 0;
}

/* The entry for (id, path, flags), or -1. */
static long find(const adr__reccache *c, const git_oid *id, const char *path, unsigned flags)
{
	size_t lo = 0, hi = c->want.count, plen = strlen(path);
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (memcmp(c->index[mid].id, id->id, GIT_OID_RAWSZ) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < c->want.count && memcmp(c->index[lo].id, id->id, GIT_OID_RAWSZ) == 0; lo++) {
		const entry *e = &c->index[lo];
		if (e->flags == flags && e->pathlen == plen && memcmp(c->data + e->off, path, plen) == 0)
			return (long)lo;
	}
	return -1;
}

/* Fills jobs [from, to) (see adr__reccache_fill). */
static int fill_range(adr__reccache *c, adr__record_job *jobs, size_t from, size_t to, unsigned flags)
{
	for (size_t i = from; i < to; i++) {
		const entry *e;
		const unsigned char *payload;
		long k;
		int rc;

		if (jobs[i].record || jobs[i].error || (k = find(c, &jobs[i].id, jobs[i].path, flags)) < 0)
			continue;
		e = &c->index[k];
		payload = c->data + e->off + e->pathlen;
		if (e->kind == KIND_ERROR) {
			if (!(flags & ADR_PARSE_LENIENT) || memchr(payload, '\0', e->len - e->pathlen))
				continue;
			if (!(jobs[i].error = adr__strndup((const char *)payload, e->len - e->pathlen)))
				return ADR_ENOMEM;
		} else if ((rc = adr__record_unpack(&jobs[i].record, payload, e->len - e->pathlen)) != 0) {
			if (rc < 0)
				return rc;
			continue; /* not a record after all: parsed again, and replaced */
		}
		c->used[k] = true;
		c->filled[i] = true;
	}
	return 0;
}

int adr__reccache_fill(adr__reccache *c, adr__record_job *jobs, size_t n, unsigned flags)
{
	free(c->filled);
	c->nfilled = n;
	if (!(c->filled = adr__calloc(n ? n : 1, sizeof(*c->filled))))
		return ADR_ENOMEM;
	return c->map ? fill_range(c, jobs, 0, n, flags) : 0;
}

/* What the new file holds: its index entries, and its header and data
 * in `data` (the header's room first, the index appended at the end). */
typedef struct {
	entry *items;
	size_t count, alloc;
	adr_buf data;
} building;

/* A new entry whose path and payload are the last `len` bytes of the data. */
static int add_entry_at(building *b, const unsigned char *id, unsigned flags, unsigned kind, size_t pathlen,
			size_t len)
{
	entry *e;
	if (ADR_ARRAY_GROW(b->items, b->alloc, b->count + 1) < 0)
		return ADR_ENOMEM;
	e = &b->items[b->count++];
	memset(e, 0, sizeof(*e));
	memcpy(e->id, id, GIT_OID_RAWSZ);
	e->flags = flags;
	e->kind = kind;
	e->pathlen = (uint32_t)pathlen;
	e->off = b->data.size - len - sizeof(header);
	e->len = len;
	return 0;
}

static int add_entry(building *b, const unsigned char *id, unsigned flags, unsigned kind, const char *path,
		     size_t pathlen, const void *payload, size_t len)
{
	adr_buf_put(&b->data, path, pathlen);
	adr_buf_put(&b->data, payload, len);
	if (adr_buf_oom(&b->data))
		return ADR_ENOMEM;
	return add_entry_at(b, id, flags, kind, pathlen, pathlen + len);
}

/* The new jobs, packed into the data. Returns how many (or ADR_ENOMEM). */
static int add_new(building *b, adr__reccache *c, const adr__record_job *jobs, size_t n, unsigned flags)
{
	int added = 0;
	for (size_t i = 0; i < n; i++) {
		const adr__record_job *j = &jobs[i];
		size_t start = b->data.size, pathlen = strlen(j->path);
		if ((i < c->nfilled && c->filled[i]) || (!j->record && !j->error))
			continue;
		adr_buf_put(&b->data, j->path, pathlen);
		if (j->record)
			adr__record_pack(&b->data, j->record);
		else
			adr_buf_puts(&b->data, j->error);
		if (adr_buf_oom(&b->data) || add_entry_at(b, j->id.id, flags, j->record ? KIND_RECORD : KIND_ERROR,
							  pathlen, b->data.size - start) < 0)
			return ADR_ENOMEM;
		added++;
	}
	return added;
}

static int cmp_offset(const void *a, const void *b)
{
	const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* Old entries: those used now, then the others in the data's order (most
 * recently used first) while there are fewer than `cap` entries. */
static int add_old(building *b, const adr__reccache *c, size_t cap)
{
	const entry **order;
	size_t n = c->want.count;
	int rc = 0;

	if (!n)
		return 0;
	if (!(order = adr__calloc(n, sizeof(*order))))
		return ADR_ENOMEM;
	for (size_t i = 0; i < n; i++)
		order[i] = &c->index[i];
	qsort(order, n, sizeof(*order), cmp_offset);
	for (int pass = 0; pass < 2 && rc == 0; pass++)
		for (size_t i = 0; i < n && rc == 0; i++) {
			const entry *e = order[i];
			if ((pass == 0) != c->used[e - c->index] || (pass == 1 && b->count >= cap))
				continue;
			rc = add_entry(b, e->id, e->flags, e->kind, (const char *)c->data + e->off, e->pathlen,
				       c->data + e->off + e->pathlen, e->len - e->pathlen);
		}
	free(order);
	return rc;
}

static int cmp_id(const void *a, const void *b)
{
	return memcmp(((const entry *)a)->id, ((const entry *)b)->id, GIT_OID_RAWSZ);
}

/* Removes the temporary files of writers that were killed midway
 * (records.cache.adr-tmp-<pid> of a process that is gone). */
static void remove_stale(const adr__reccache *c)
{
	static const char prefix[] = "records.cache.adr-tmp-";
	DIR *d = opendir(c->dir);
	struct dirent *de;
	char buf[4096];

	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, prefix, sizeof(prefix) - 1) != 0 ||
		    !adr__pid_gone(de->d_name + sizeof(prefix) - 1))
			continue;
		snprintf(buf, sizeof(buf), "%s/%s", c->dir, de->d_name);
		unlink(buf);
	}
	if (d)
		closedir(d);
}

/* Writes `len` bytes to `path` through a temporary file renamed into
 * place; false when it cannot (nothing is left behind, no error set). */
static bool write_atomic(const adr__reccache *c, const char *data, size_t len)
{
	char tmp[4096];
	bool ok;
	int fd;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.adr-tmp-%ld", c->path, (long)getpid()) >= sizeof(tmp))
		return false;
	unlink(tmp);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
		return false;
	while (len) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		data += w;
		len -= (size_t)w;
	}
	ok = close(fd) == 0 && len == 0 && rename(tmp, c->path) == 0;
	if (!ok)
		unlink(tmp);
	return ok;
}

/* Finishes the file (listing, index, header) in b->data and writes it;
 * a failure to write leaves the old file (and no error). */
static int write_file(adr__reccache *c, building *b)
{
	header h = c->want;
	const adr__reccache_entry *list;
	size_t datasize, n;

	if (c->tree_new) {
		memcpy(h.tree, c->newtree.id, GIT_OID_RAWSZ);
		h.ntree = (uint32_t)c->nnewlisting;
		h.treeoff = b->data.size - sizeof(header);
		adr_buf_put(&b->data, c->newlisting.ptr, c->newlisting.size);
	} else if (c->map && c->want.ntree && (list = adr__reccache_tree(c, (const git_oid *)c->want.tree, &n))) {
		/* the file's listing, kept */
		const char *last = list[n - 1].name;
		h.treeoff = b->data.size - sizeof(header);
		adr_buf_put(&b->data, c->data + c->want.treeoff,
			    (size_t)((const unsigned char *)last + strlen(last) + 1 - (c->data + c->want.treeoff)));
	} else {
		memset(h.tree, 0, sizeof(h.tree));
		h.ntree = 0;
		h.treeoff = 0;
	}
	while (b->data.size % 8) /* the index is read in place: aligned */
		adr_buf_putc(&b->data, '\0');
	datasize = b->data.size - sizeof(header);
	if (b->count) {
		qsort(b->items, b->count, sizeof(entry), cmp_id);
		adr_buf_put(&b->data, b->items, b->count * sizeof(entry));
	}
	if (adr_buf_oom(&b->data))
		return ADR_ENOMEM;
	h.count = (uint32_t)b->count;
	h.datasize = datasize;
	h.checksum = checksum((const unsigned char *)b->data.ptr + sizeof(h), b->data.size - sizeof(h));
	memcpy(b->data.ptr, &h, sizeof(h));
	(void)mkdir(c->dir, 0777);
	remove_stale(c);
	write_atomic(c, b->data.ptr, b->data.size); /* a cache that cannot be written is not written */
	return 0;
}

/* Whether the search index (index.db, next to the cache) exists. */
static bool index_exists(const adr__reccache *c)
{
	char path[4096];
	struct stat st;
	int n = snprintf(path, sizeof(path), "%s/index.db", c->dir);
	return n > 0 && (size_t)n < sizeof(path) && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int adr__reccache_save(adr__reccache *c, const adr__record_job *jobs, size_t n, unsigned flags)
{
	building b = { NULL, 0, 0, ADR_BUF_INIT };
	int rc, added;
	size_t fresh = 0;

	for (size_t i = 0; i < n; i++)
		fresh += !(i < c->nfilled && c->filled[i]) && (jobs[i].record || jobs[i].error);
	if (!fresh && !c->tree_new)
		return 0;
	/* A tree read for the first time (no usable cache that lists it or
	 * holds records): only its listing is kept, which costs little; the
	 * records are kept when it is read again. A command run once (in a
	 * fresh clone, in CI) does not pay for a cache it would not use. A
	 * repository with a search index is one adr is used in: its records
	 * are kept at once. */
	if (!(c->map && (c->want.count || c->tree_hit)) && !index_exists(c))
		fresh = 0;
	/* room for the whole file at once: growing it would copy it again and again */
	if (adr_buf_grow(&b.data, sizeof(header) + (c->map ? c->mapsize : 0) + fresh * 2048 +
				  c->newlisting.size) < 0)
		return ADR_ENOMEM;
	adr_buf_put(&b.data, &c->want, sizeof(header)); /* its room; written last */
	if (fresh && (added = rc = add_new(&b, c, jobs, n, flags)) < 0)
		goto cleanup;
	if (!fresh)
		added = 0;
	for (size_t k = 0; k < c->want.count; k++)
		if (c->used[k])
			added++;
	if ((rc = add_old(&b, c, 2 * (size_t)added + KEEP_EXTRA)) < 0 || (rc = write_file(c, &b)) < 0)
		goto cleanup;
	rc = 0;
cleanup:
	free(b.items);
	adr_buf_dispose(&b.data);
	return rc;
}

void adr__reccache_free(adr__reccache *c)
{
	if (!c)
		return;
	if (c->map)
		munmap(c->map, c->mapsize);
	free(c->used);
	free(c->filled);
	free(c->listing);
	adr_buf_dispose(&c->newlisting);
	free(c->dir);
	free(c->path);
	free(c);
}
