/*
 * git/reccache.c: the cache of parsed records (git/reccache.h).
 *
 * The file: a 64-byte header, `count` index entries of 48 bytes sorted by
 * blob id, then the data: for each entry its path, then its packed record
 * (record/pack.h) or its error message. The data is written most recently
 * used first, which is the order in which older entries are kept.
 */
#include "git/repo_internal.h"
#include "git/reccache.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "record/pack.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"

#define MAGIC "ADRRECC"   /* 7 bytes and a NUL */
#define FORMAT 1u
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

_Static_assert(sizeof(header) == 64, "the header is 64 bytes");
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
	    h->count > (uint64_t)st.st_size / sizeof(entry) ||
	    sizeof(header) + (uint64_t)h->count * sizeof(entry) + h->datasize != (uint64_t)st.st_size ||
	    checksum((const unsigned char *)map + sizeof(header), (size_t)st.st_size - sizeof(header)) != h->checksum) {
		munmap(map, (size_t)st.st_size);
		return;
	}
	c->index = (const entry *)((const unsigned char *)map + sizeof(header));
	c->data = (const unsigned char *)(c->index + h->count);
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

int adr__reccache_fill(adr__reccache *c, adr__record_job *jobs, size_t n, unsigned flags)
{
	free(c->filled);
	c->nfilled = n;
	if (!(c->filled = adr__calloc(n ? n : 1, sizeof(*c->filled))))
		return ADR_ENOMEM;
	for (size_t i = 0; c->map && i < n; i++) {
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

/* What the new file holds: its index entries (offsets into `data`). */
typedef struct {
	entry *items;
	size_t count, alloc;
	adr_buf data;
} building;

static int add_entry(building *b, const unsigned char *id, unsigned flags, unsigned kind, const char *path,
		     size_t pathlen, const void *payload, size_t len)
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
	e->off = b->data.size;
	e->len = pathlen + len;
	adr_buf_put(&b->data, path, pathlen);
	adr_buf_put(&b->data, payload, len);
	return adr_buf_oom(&b->data) ? ADR_ENOMEM : 0;
}

/* The new jobs, packed. Returns how many (or ADR_ENOMEM). */
static int add_new(building *b, adr__reccache *c, const adr__record_job *jobs, size_t n, unsigned flags)
{
	adr_buf packed = ADR_BUF_INIT;
	int added = 0, rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const adr__record_job *j = &jobs[i];
		if ((i < c->nfilled && c->filled[i]) || (!j->record && !j->error))
			continue;
		adr_buf_clear(&packed);
		if (j->record)
			adr__record_pack(&packed, j->record);
		else
			adr_buf_puts(&packed, j->error);
		if (adr_buf_oom(&packed))
			rc = ADR_ENOMEM;
		else
			rc = add_entry(b, j->id.id, flags, j->record ? KIND_RECORD : KIND_ERROR, j->path, strlen(j->path),
				       packed.ptr, packed.size);
		added++;
	}
	adr_buf_dispose(&packed);
	return rc < 0 ? rc : added;
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
		char *end;
		long pid;
		if (strncmp(de->d_name, prefix, sizeof(prefix) - 1) != 0)
			continue;
		pid = strtol(de->d_name + sizeof(prefix) - 1, &end, 10);
		if (pid <= 0 || *end || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		snprintf(buf, sizeof(buf), "%s/%s", c->dir, de->d_name);
		unlink(buf);
	}
	if (d)
		closedir(d);
}

/* Writes header, index and data; a failure leaves the old file (and no error). */
static int write_file(adr__reccache *c, building *b)
{
	adr_buf out = ADR_BUF_INIT;
	header h = c->want;
	size_t isize = b->count * sizeof(entry);
	int rc = 0;

	qsort(b->items, b->count, sizeof(entry), cmp_id);
	h.count = (uint32_t)b->count;
	h.datasize = b->data.size;
	adr_buf_put(&out, &h, sizeof(h));
	adr_buf_put(&out, b->items, isize);
	adr_buf_put(&out, b->data.ptr, b->data.size);
	if (adr_buf_oom(&out)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	h.checksum = checksum((const unsigned char *)out.ptr + sizeof(h), out.size - sizeof(h));
	memcpy(out.ptr, &h, sizeof(h));
	(void)mkdir(c->dir, 0777);
	remove_stale(c);
	if (adr__file_write_atomic(c->path, out.ptr, out.size, 0644, 0) < 0 && adr_error_code() == ADR_ENOMEM)
		rc = ADR_ENOMEM;
	else
		adr_error_clear(); /* a cache that cannot be written is not written */
cleanup:
	adr_buf_dispose(&out);
	return rc;
}

int adr__reccache_save(adr__reccache *c, const adr__record_job *jobs, size_t n, unsigned flags)
{
	building b = { NULL, 0, 0, ADR_BUF_INIT };
	int rc, added;

	if ((added = rc = add_new(&b, c, jobs, n, flags)) <= 0)
		goto cleanup;
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
	free(c->dir);
	free(c->path);
	free(c);
}
