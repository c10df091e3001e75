/*
 * log/thread_cache.c: the persistent cache of decided proposals' threads
 * (see thread_cache.h for what is kept and why it may be).
 *
 * The file, <commondir>/adr/threads:
 *
 *   adr-thread-cache <VERSION>\n
 *   <records dir as a string>
 *   <count>\n
 *   count times: <merge commit id as a string> <thread as a string>
 *   <FNV-1a of all the bytes above, 16 hex digits>\n
 *
 * where a string is "<length>\n<bytes>" (NULL: "-\n") and a number is
 * "<decimal>\n". A thread is its fields in the order of adr_thread and
 * adr_event (thread_put). Anything that does not read back exactly (a
 * bad checksum, a short file, a number out of range) leaves the cache
 * empty: it is rebuilt from history as the build goes.
 */
#include "log/thread_cache.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"

/* Bumped whenever what a thread holds, or how it is read, changes. */
#define CACHE_VERSION 1
#define CACHE_MAGIC "adr-thread-cache "
#define CACHE_MAX ((size_t)256 << 20)

typedef struct {
	char id[41];
	adr_buf data;   /* the serialized thread */
} entry;

struct adr__thread_cache {
	char *path;     /* the file; NULL: not to be used (shallow repository) */
	char *dir;      /* the records directory it was made for */
	entry *items;
	size_t count, alloc;
	size_t *slots;  /* open addressing: index + 1, 0 empty */
	size_t nslots;
	bool dirty;
};

/* --- writing ---------------------------------------------------------------- */

static void put_str(adr_buf *b, const char *s)
{
	if (!s) {
		adr_buf_puts(b, "-\n");
		return;
	}
	adr_buf_printf(b, "%zu\n", strlen(s));
	adr_buf_puts(b, s);
}

static void put_num(adr_buf *b, long long n)
{
	adr_buf_printf(b, "%lld\n", n);
}

static void put_list(adr_buf *b, const adr_strlist *l)
{
	put_num(b, (long long)l->count);
	for (size_t i = 0; i < l->count; i++)
		put_str(b, l->items[i]);
}

int adr__thread_serialize(adr_buf *out, const adr_thread *t)
{
	put_str(out, t->slug);
	put_str(out, t->ref);
	put_str(out, t->other);
	put_num(out, t->number);
	put_num(out, t->status);
	put_num(out, (long long)t->count);
	for (size_t i = 0; i < t->count; i++) {
		const adr_event *e = &t->events[i];
		put_num(out, e->kind);
		put_str(out, e->commit);
		put_str(out, e->author);
		put_str(out, e->email);
		put_num(out, e->time);
		put_num(out, e->offset);
		put_str(out, e->subject);
		put_str(out, e->text);
		put_num(out, e->vote);
		put_str(out, e->section);
		put_list(out, &e->changes);
		put_list(out, &e->outside);
		put_num(out, e->late);
	}
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* --- reading ---------------------------------------------------------------- */

typedef struct {
	const char *p;
	size_t n;
	bool bad;
} cursor;

static long long get_num(cursor *c, long long lo, long long hi)
{
	long long v = 0;
	size_t i = 0;
	bool neg = c->n > 0 && c->p[0] == '-';

	if (neg)
		i++;
	if (c->bad || i >= c->n || c->p[i] < '0' || c->p[i] > '9') {
		c->bad = true;
		return 0;
	}
	for (; i < c->n && c->p[i] >= '0' && c->p[i] <= '9'; i++) {
		if (v > (LLONG_MAX - 9) / 10) {
			c->bad = true;
			return 0;
		}
		v = v * 10 + (c->p[i] - '0');
	}
	if (i >= c->n || c->p[i] != '\n')
		c->bad = true;
	v = neg ? -v : v;
	if (c->bad || v < lo || v > hi) {
		c->bad = true;
		return 0;
	}
	c->p += i + 1;
	c->n -= i + 1;
	return v;
}

/* The bytes of the next string (not copied), *null when it is NULL. */
static const char *get_span(cursor *c, size_t *len, bool *null)
{
	const char *s;
	*null = false;
	*len = 0;
	if (!c->bad && c->n >= 2 && c->p[0] == '-' && c->p[1] == '\n') {
		c->p += 2;
		c->n -= 2;
		*null = true;
		return NULL;
	}
	*len = (size_t)get_num(c, 0, (long long)(CACHE_MAX));
	if (c->bad || *len > c->n) {
		c->bad = true;
		return NULL;
	}
	s = c->p;
	c->p += *len;
	c->n -= *len;
	return s;
}

/* A copy of the next string; NULL for NULL, and with c->bad set on a
 * malformed one or when memory runs out. */
static char *get_str(cursor *c, bool nullable)
{
	size_t len;
	bool null;
	const char *s = get_span(c, &len, &null);
	char *copy;
	if (c->bad || (null && !nullable)) {
		c->bad = true;
		return NULL;
	}
	if (null)
		return NULL;
	if (memchr(s, '\0', len) || !(copy = adr__strndup(s, len))) {
		c->bad = true;
		return NULL;
	}
	return copy;
}

static void get_list(cursor *c, adr_strlist *l)
{
	long long n = get_num(c, 0, 1 << 20);
	for (long long i = 0; i < n && !c->bad; i++) {
		char *s = get_str(c, false);
		if (s && adr_strlist_add(l, s) < 0)
			c->bad = true;
		free(s);
	}
}

static void get_event(cursor *c, adr_event *e)
{
	char *commit;
	e->kind = (adr_event_kind)get_num(c, ADR_EVENT_PROPOSED, ADR_EVENT_DECIDED);
	commit = get_str(c, false);
	if (commit && strlen(commit) == 40)
		memcpy(e->commit, commit, 41);
	else
		c->bad = true;
	free(commit);
	e->author = get_str(c, false);
	e->email = get_str(c, false);
	e->time = get_num(c, LLONG_MIN + 1, LLONG_MAX);
	e->offset = (int)get_num(c, INT_MIN, INT_MAX);
	e->subject = get_str(c, false);
	e->text = get_str(c, false);
	e->vote = (adr_vote)get_num(c, ADR_VOTE_NONE, ADR_VOTE_OBJECT);
	e->section = get_str(c, true);
	get_list(c, &e->changes);
	get_list(c, &e->outside);
	e->late = get_num(c, 0, 1) != 0;
}

int adr__thread_deserialize(adr_thread *out, const char *data, size_t len)
{
	cursor c = { data, len, false };
	long long n;

	memset(out, 0, sizeof(*out));
	out->slug = get_str(&c, true);
	out->ref = get_str(&c, true);
	out->other = get_str(&c, true);
	out->number = (int)get_num(&c, -1, INT_MAX);
	out->status = (adr_status)get_num(&c, 0, 64);
	n = get_num(&c, 0, 1 << 20);
	if (!c.bad && n > 0 && !(out->events = adr__calloc((size_t)n, sizeof(*out->events))))
		c.bad = true;
	for (long long i = 0; i < n && !c.bad; i++) {
		out->count++;
		get_event(&c, &out->events[i]);
	}
	if (c.bad || c.n != 0) {
		adr_thread_dispose(out);
		adr_error_clear();
		return ADR_EINVALID;
	}
	return 0;
}

/* --- the table -------------------------------------------------------------- */

static size_t slot_of(const adr__thread_cache *c, const char *id)
{
	return (size_t)adr__hash(id, 40) & (c->nslots - 1);
}

static entry *find(adr__thread_cache *c, const char *id)
{
	if (!c->nslots)
		return NULL;
	for (size_t i = slot_of(c, id);; i = (i + 1) & (c->nslots - 1)) {
		if (!c->slots[i])
			return NULL;
		if (memcmp(c->items[c->slots[i] - 1].id, id, 41) == 0)
			return &c->items[c->slots[i] - 1];
	}
}

static int rehash(adr__thread_cache *c, size_t want)
{
	size_t n = 64;
	size_t *slots;
	while (n < want * 2)
		n *= 2;
	if (!(slots = adr__calloc(n, sizeof(*slots))))
		return ADR_ENOMEM;
	free(c->slots);
	c->slots = slots;
	c->nslots = n;
	for (size_t k = 0; k < c->count; k++) {
		size_t i = slot_of(c, c->items[k].id);
		while (c->slots[i])
			i = (i + 1) & (n - 1);
		c->slots[i] = k + 1;
	}
	return 0;
}

/* Takes `data` into a new entry `id` (not there yet). */
static int add(adr__thread_cache *c, const char *id, adr_buf *data)
{
	entry *e;
	if (ADR_ARRAY_GROW(c->items, c->alloc, c->count + 1) < 0)
		return ADR_ENOMEM;
	e = &c->items[c->count++];
	memcpy(e->id, id, 41);
	e->data = *data;
	*data = (adr_buf)ADR_BUF_INIT;
	if ((c->count * 2 > c->nslots && rehash(c, c->count) < 0)) {
		adr_buf_dispose(&e->data);
		c->count--;
		return ADR_ENOMEM;
	}
	if (c->nslots && !find(c, id)) {
		size_t i = slot_of(c, id);
		while (c->slots[i])
			i = (i + 1) & (c->nslots - 1);
		c->slots[i] = c->count;
	}
	return 0;
}

static void drop_all(adr__thread_cache *c)
{
	for (size_t i = 0; i < c->count; i++)
		adr_buf_dispose(&c->items[i].data);
	c->count = 0;
	if (c->slots)
		memset(c->slots, 0, c->nslots * sizeof(*c->slots));
}

/* --- the file --------------------------------------------------------------- */

static bool valid_id(const char *s, size_t len)
{
	if (len != 40)
		return false;
	for (size_t i = 0; i < 40; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

/* The entries of file contents `b`; anything wrong leaves none. */
static void load(adr__thread_cache *c, const adr_buf *b)
{
	char head[64], sum[20];
	size_t hl = (size_t)snprintf(head, sizeof(head), "%s%d\n", CACHE_MAGIC, CACHE_VERSION);
	cursor k;
	long long n;

	if (b->size < hl + 17 || memcmp(b->ptr, head, hl) != 0 || b->ptr[b->size - 1] != '\n')
		return;
	snprintf(sum, sizeof(sum), "%016" PRIx64 "\n", adr__hash(b->ptr, b->size - 17));
	if (memcmp(b->ptr + b->size - 17, sum, 17) != 0)
		return;
	k = (cursor){ b->ptr + hl, b->size - 17 - hl, false };
	{
		size_t len;
		bool null;
		const char *dir = get_span(&k, &len, &null);
		if (k.bad || null || len != strlen(c->dir) || memcmp(dir, c->dir, len) != 0)
			return;
	}
	n = get_num(&k, 0, 1 << 24);
	for (long long i = 0; i < n && !k.bad; i++) {
		size_t il, dl;
		bool null, nd;
		const char *id = get_span(&k, &il, &null), *data = get_span(&k, &dl, &nd);
		char key[41];
		adr_buf d = ADR_BUF_INIT;
		if (k.bad || null || nd || !valid_id(id, il))
			break;
		memcpy(key, id, 40);
		key[40] = '\0';
		if (find(c, key))
			continue;
		if (adr_buf_set(&d, data, dl) < 0 || add(c, key, &d) < 0) {
			adr_buf_dispose(&d);
			k.bad = true;
		}
	}
	if (k.bad || k.n != 0)
		drop_all(c);
	adr_error_clear();
}

adr__thread_cache *adr__thread_cache_open(adr_repo *repo)
{
	adr__thread_cache *c = adr__calloc(1, sizeof(*c));
	adr_buf p = ADR_BUF_INIT, b = ADR_BUF_INIT;
	struct stat st;

	if (!c) {
		adr_error_clear();
		return NULL;
	}
	c->dir = adr__strdup(adr_repo_records_dir(repo));
	/* A shallow or grafted history may grow parents later: the threads
	 * read from it are not kept. */
	adr_buf_printf(&p, "%sshallow", adr_repo_commondir(repo));
	if (!adr_buf_oom(&p) && stat(p.ptr, &st) != 0) {
		adr_buf_clear(&p);
		adr_buf_printf(&p, "%sinfo/grafts", adr_repo_commondir(repo));
		if (!adr_buf_oom(&p) && stat(p.ptr, &st) != 0) {
			adr_buf_clear(&p);
			adr_buf_printf(&p, "%sadr/threads", adr_repo_commondir(repo));
			c->path = adr_buf_oom(&p) ? NULL : adr_buf_detach(&p);
		}
	}
	if (c->path && c->dir && adr__file_read(&b, c->path, CACHE_MAX, ADR_FS_NOFOLLOW) == 0)
		load(c, &b);
	adr_error_clear();
	adr_buf_dispose(&b);
	adr_buf_dispose(&p);
	if (!c->dir) {
		free(c->path);
		c->path = NULL;
	}
	return c;
}

int adr__thread_read_merge_cached(adr_thread *out, adr__thread_cache *c, adr_repo *repo,
				  const char *merge_commit)
{
	adr_buf data = ADR_BUF_INIT;
	entry *e;
	int rc;

	if (!c || !c->path || !merge_commit || !valid_id(merge_commit, strlen(merge_commit)))
		return adr_thread_read_merge(out, repo, merge_commit);
	if ((e = find(c, merge_commit)) && adr__thread_deserialize(out, e->data.ptr, e->data.size) == 0)
		return 0;
	if ((rc = adr_thread_read_merge(out, repo, merge_commit)) < 0)
		return rc;
	/* An entry that did not read back (a file from a faulty writer) is
	 * replaced by what history says. */
	if (adr__thread_serialize(&data, out) == 0) {
		if (e) {
			adr_buf_dispose(&e->data);
			e->data = data;
			data = (adr_buf)ADR_BUF_INIT;
			c->dirty = true;
		} else if (add(c, merge_commit, &data) == 0) {
			c->dirty = true;
		}
	}
	adr_buf_dispose(&data);
	adr_error_clear();
	return 0;
}

void adr__thread_cache_close(adr__thread_cache *c)
{
	adr_buf b = ADR_BUF_INIT;

	if (!c)
		return;
	if (c->dirty && c->path) {
		adr_buf_printf(&b, "%s%d\n", CACHE_MAGIC, CACHE_VERSION);
		put_str(&b, c->dir);
		put_num(&b, (long long)c->count);
		for (size_t i = 0; i < c->count; i++) {
			put_str(&b, c->items[i].id);
			adr_buf_printf(&b, "%zu\n", c->items[i].data.size);
			adr_buf_put(&b, c->items[i].data.ptr, c->items[i].data.size);
		}
		adr_buf_printf(&b, "%016" PRIx64 "\n", adr__hash(b.ptr, b.size));
		if (!adr_buf_oom(&b)) {
			char *slash = strrchr(c->path, '/');
			*slash = '\0';
			(void)mkdir(c->path, 0777);
			*slash = '/';
			(void)adr__file_write_atomic(c->path, b.ptr, b.size, 0644, 0);
		}
		adr_error_clear();
	}
	adr_buf_dispose(&b);
	drop_all(c);
	free(c->items);
	free(c->slots);
	free(c->path);
	free(c->dir);
	free(c);
}
