/* The history of every record from one walk over the decision branch. */
#include "git/repo_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/history.h"
#include "util/error.h"
#include "git/history_internal.h"
#include "record/trailers.h"
#include "util/hash.h"

/* --- small hash maps ------------------------------------------------------ */

/* path -> entry */
typedef struct {
	adr_history_entry **slots;
	size_t cap, count;
	adr_history_entry **all;   /* insertion order, owns */
	size_t nall, aall;
} entry_map;

static adr_history_entry *emap_get(const entry_map *m, const char *path)
{
	if (!m->cap)
		return NULL;
	size_t i = (unsigned long)adr__hash(path, strlen(path)) & (m->cap - 1);
	for (; m->slots[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->slots[i]->path, path) == 0)
			return m->slots[i];
	return NULL;
}

static int emap_put_slot(entry_map *m, adr_history_entry *e)
{
	size_t i = (unsigned long)adr__hash(e->path, strlen(e->path)) & (m->cap - 1);
	while (m->slots[i] && strcmp(m->slots[i]->path, e->path) != 0)
		i = (i + 1) & (m->cap - 1);
	m->slots[i] = e;
	return 0;
}

/* Adds e (taking it); replaces nothing: the caller checked emap_get first. */
static int emap_add(entry_map *m, adr_history_entry *e)
{
	if ((m->count + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 64;
		adr_history_entry **old = m->slots;
		size_t ocap = m->cap;
		m->slots = calloc(ncap, sizeof(*m->slots));
		if (!m->slots) {
			m->slots = old;
			return adr__error(ADR_ENOMEM, "out of memory");
		}
		m->cap = ncap;
		for (size_t i = 0; i < ocap; i++)
			if (old[i])
				emap_put_slot(m, old[i]);
		free(old);
	}
	if (m->nall == m->aall) {
		size_t na = m->aall ? m->aall * 2 : 64;
		adr_history_entry **p = realloc(m->all, na * sizeof(*p));
		if (!p)
			return adr__error(ADR_ENOMEM, "out of memory");
		m->all = p;
		m->aall = na;
	}
	m->all[m->nall++] = e;
	emap_put_slot(m, e);
	m->count++;
	return 0;
}

/* commit id -> records-directory tree id (zero when absent) */
typedef struct {
	git_oid key, val;
	bool used;
} oid_slot;

typedef struct {
	oid_slot *slots;
	size_t cap, count;
} oid_map;

static const git_oid *omap_get(const oid_map *m, const git_oid *key)
{
	if (!m->cap)
		return NULL;
	size_t i = (unsigned long)adr__hash(key->id, GIT_OID_RAWSZ) & (m->cap - 1);
	for (; m->slots[i].used; i = (i + 1) & (m->cap - 1))
		if (git_oid_equal(&m->slots[i].key, key))
			return &m->slots[i].val;
	return NULL;
}

static int omap_put(oid_map *m, const git_oid *key, const git_oid *val)
{
	if ((m->count + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 1024, ocap = m->cap;
		oid_slot *old = m->slots;
		m->slots = calloc(ncap, sizeof(*m->slots));
		if (!m->slots) {
			m->slots = old;
			return adr__error(ADR_ENOMEM, "out of memory");
		}
		m->cap = ncap;
		m->count = 0;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].used)
				omap_put(m, &old[i].key, &old[i].val);
		free(old);
	}
	size_t i = (unsigned long)adr__hash(key->id, GIT_OID_RAWSZ) & (m->cap - 1);
	while (m->slots[i].used && !git_oid_equal(&m->slots[i].key, key))
		i = (i + 1) & (m->cap - 1);
	if (!m->slots[i].used)
		m->count++;
	m->slots[i].used = true;
	git_oid_cpy(&m->slots[i].key, key);
	git_oid_cpy(&m->slots[i].val, val);
	return 0;
}

/* --- the history object ----------------------------------------------------- */

struct adr_history {
	entry_map entries;
	oid_map dirs;               /* commit -> records dir tree */
	oid_map shallow;            /* shallow boundary commits (value unused) */
	char tip[41];
	char boundary[41];
	unsigned long examined, diffed;
	/* walk state */
	adr_repo *repo;
	git_odb *odb;
	git_odb_object *recent[2];  /* the last two records-directory trees read */
	adr_history_load_fn load;
	void *payload;
};

int adr_history_entry_new(adr_history_entry **out, const char *path)
{
	adr_history_entry *e = calloc(1, sizeof(*e));
	*out = NULL;
	if (!e || !(e->path = strdup(path))) {
		free(e);
		return adr__error(ADR_ENOMEM, "out of memory");
	}
	*out = e;
	return 0;
}

void adr_history_entry_free(adr_history_entry *e)
{
	if (!e)
		return;
	free(e->path);
	free(e->created_author);
	free(e->changed_author);
	adr_strlist_clear(&e->authors);
	adr_strlist_clear(&e->commits);
	free(e);
}

int adr_history_new(adr_history **out)
{
	*out = calloc(1, sizeof(**out));
	return *out ? 0 : adr__error(ADR_ENOMEM, "out of memory");
}

void adr_history_free(adr_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->entries.nall; i++)
		adr_history_entry_free(h->entries.all[i]);
	free(h->entries.all);
	free(h->entries.slots);
	free(h->dirs.slots);
	free(h->shallow.slots);
	free(h);
}

size_t adr_history_count(const adr_history *h) { return h->entries.nall; }
adr_history_entry *adr_history_at(const adr_history *h, size_t i) { return h->entries.all[i]; }
adr_history_entry *adr_history_get(const adr_history *h, const char *path) { return emap_get(&h->entries, path); }
const char *adr_history_tip(const adr_history *h) { return h->tip; }
const char *adr_history_shallow_boundary(const adr_history *h) { return h->boundary[0] ? h->boundary : NULL; }
unsigned long adr_history_commits_examined(const adr_history *h) { return h->examined; }
unsigned long adr_history_trees_diffed(const adr_history *h) { return h->diffed; }

/* The entry for path: known here, else from the loader, else new. */
static int entry_for(adr_history_entry **out, adr_history *h, const char *path)
{
	adr_history_entry *e = emap_get(&h->entries, path);
	int rc;

	if (e) {
		*out = e;
		return 0;
	}
	if (h->load) {
		if ((rc = h->load(&e, path, h->payload)) < 0)
			return rc;
		if (e && strcmp(e->path, path) != 0) {
			adr_history_entry_free(e);
			return adr__error(ADR_ERROR, "history loader gave the wrong path for '%s'", path);
		}
	}
	if (!e && (rc = adr_history_entry_new(&e, path)) < 0)
		return rc;
	if ((rc = emap_add(&h->entries, e)) < 0) {
		adr_history_entry_free(e);
		return rc;
	}
	*out = e;
	return 0;
}

/* --- raw trees ------------------------------------------------------------ */

/* One entry of a raw tree object: "<mode> <name>\0<20 bytes>". */
typedef struct {
	const char *name;
	size_t namelen;
	unsigned mode;
	const unsigned char *oid;
} raw_entry;

typedef struct {
	const char *p, *end;
} raw_iter;

static int raw_next(raw_iter *it, raw_entry *e)
{
	const char *p = it->p, *nul;
	unsigned mode = 0;

	if (p >= it->end)
		return 0;
	while (p < it->end && *p >= '0' && *p <= '7')
		mode = mode * 8 + (unsigned)(*p++ - '0');
	if (p >= it->end || *p != ' ')
		return -1;
	p++;
	if (!(nul = memchr(p, '\0', (size_t)(it->end - p))) || it->end - nul < 1 + GIT_OID_RAWSZ)
		return -1;
	e->name = p;
	e->namelen = (size_t)(nul - p);
	e->mode = mode;
	e->oid = (const unsigned char *)nul + 1;
	it->p = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}

static int read_tree(git_odb_object **out, adr_history *h, const git_oid *id)
{
	int rc = git_odb_read(out, h->odb, id);
	if (rc < 0)
		return adr__error_git(rc, "cannot read tree %s", git_oid_tostr_s(id));
	if (git_odb_object_type(*out) != GIT_OBJECT_TREE) {
		git_odb_object_free(*out);
		*out = NULL;
		return adr__error(ADR_EINVALID, "object %s is not a tree", git_oid_tostr_s(id));
	}
	return 0;
}

/* Finds `name` (len n) in a raw tree; 1 with *oid and *mode set, 0 when absent. */
static int raw_find(git_odb_object *tree, const char *name, size_t n, git_oid *oid, unsigned *mode)
{
	raw_iter it = { git_odb_object_data(tree), (const char *)git_odb_object_data(tree) + git_odb_object_size(tree) };
	raw_entry e;
	int r;
	while ((r = raw_next(&it, &e)) > 0) {
		if (e.namelen == n && memcmp(e.name, name, n) == 0) {
			git_oid_fromraw(oid, e.oid);
			*mode = e.mode;
			return 1;
		}
	}
	return r < 0 ? adr__error(ADR_EINVALID, "corrupt tree %s", git_oid_tostr_s(git_odb_object_id(tree))) : 0;
}

/* The records directory's tree id in root tree `root` (zero when absent). */
static int dir_of_tree(git_oid *out, adr_history *h, const git_oid *root)
{
	const char *path = adr_repo_records_dir(h->repo);
	git_oid cur = *root;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (*path) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		git_odb_object *t = NULL;
		unsigned mode = 0;
		git_oid next;
		if ((rc = read_tree(&t, h, &cur)) < 0)
			return rc;
		rc = raw_find(t, path, n, &next, &mode);
		git_odb_object_free(t);
		if (rc <= 0 || mode != 040000)
			return rc < 0 ? rc : 0;
		cur = next;
		path += n;
		while (*path == '/')
			path++;
	}
	*out = cur;
	return 0;
}

/* The records directory's tree id in commit `id`, remembered per commit. */
static int dir_of_commit(git_oid *out, adr_history *h, const git_oid *id, const git_commit *known)
{
	const git_oid *memo = omap_get(&h->dirs, id);
	git_commit *c = NULL;
	int rc;

	if (memo) {
		*out = *memo;
		return 0;
	}
	if (!known) {
		if ((rc = git_commit_lookup(&c, adr__repo_git(h->repo), id)) < 0)
			return adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(id));
		known = c;
	}
	rc = dir_of_tree(out, h, git_commit_tree_id(known));
	git_commit_free(c);
	if (rc == 0)
		rc = omap_put(&h->dirs, id, out);
	return rc;
}

/* --- per-commit facts ---------------------------------------------------- */

typedef struct {
	char id[41];
	long long time;
	const char *author;
	char action[16];       /* Adr-Action value as written, or "" */
	char status[16];       /* Adr-Status value or "" */
	bool comment;          /* has Adr-Comment */
	bool boundary;         /* shallow boundary: no parent to compare with */
} commit_info;

/* A message whose trailers cannot be read is an error, not one without
 * trailers: a decision would pass for a plain commit. */
static int read_trailers(commit_info *ci, const char *msg)
{
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	char what[64];
	int rc;
	ci->action[0] = ci->status[0] = '\0';
	ci->comment = false;
	if (!msg)
		return 0;
	snprintf(what, sizeof(what), "commit %s", ci->id);
	rc = adr__trailers_read(&keys, &values, msg, ADR_TRAILERS_LENIENT, what);
	for (size_t i = 0; rc == 0 && i < keys.count; i++) {
		const char *k = keys.items[i], *v = values.items[i];
		if (strcasecmp(k, ADR_TRAILER_ACTION) == 0)
			snprintf(ci->action, sizeof(ci->action), "%s", v);
		else if (strcasecmp(k, ADR_TRAILER_STATUS) == 0)
			snprintf(ci->status, sizeof(ci->status), "%s", v);
		else if (strcasecmp(k, ADR_TRAILER_COMMENT) == 0)
			ci->comment = true;
	}
	adr_strlist_clear(&keys);
	adr_strlist_clear(&values);
	return rc;
}

static int touch(adr_history_entry *e, const commit_info *ci, const unsigned char *blob)
{
	e->touched = true;
	if (ci->boundary) {
		/* Seen only at a shallow boundary: what happened before is unknown. */
		e->before_boundary = true;
		e->blob[0] = '\0';
		if (blob) {
			git_oid id;
			git_oid_fromraw(&id, blob);
			git_oid_tostr(e->blob, sizeof(e->blob), &id);
		}
		e->deleted = blob == NULL;
		return 0;
	}
	if (!e->created_commit[0] && !e->before_boundary && !e->commits.count) {
		memcpy(e->created_commit, ci->id, sizeof(e->created_commit));
		e->created_time = ci->time;
		free(e->created_author);
		if (!(e->created_author = strdup(ci->author)))
			return adr__error(ADR_ENOMEM, "out of memory");
	}
	memcpy(e->changed_commit, ci->id, sizeof(e->changed_commit));
	e->changed_time = ci->time;
	free(e->changed_author);
	if (!(e->changed_author = strdup(ci->author)) ||
	    adr_strlist_add_unique(&e->authors, ci->author) < 0 || adr_strlist_add(&e->commits, ci->id) < 0)
		return adr__error(ADR_ENOMEM, "out of memory");
	if (blob) {
		git_oid id;
		git_oid_fromraw(&id, blob);
		git_oid_tostr(e->blob, sizeof(e->blob), &id);
	} else {
		e->blob[0] = '\0';
	}
	e->deleted = blob == NULL;
	if (!e->decided_time && ci->status[0] &&
	    (strcasecmp(ci->status, "accepted") == 0 || strcasecmp(ci->status, "rejected") == 0) &&
	    e->commits.count > 1) {
		e->decided_time = ci->time;
		if (!e->proposed_time)
			e->proposed_time = e->created_time;
	}
	return 0;
}

static int strlist_prepend(adr_strlist *dst, const adr_strlist *front)
{
	adr_strlist merged = ADR_STRLIST_INIT;
	for (size_t i = 0; i < front->count; i++)
		if (adr_strlist_add(&merged, front->items[i]) < 0)
			goto oom;
	for (size_t i = 0; i < dst->count; i++)
		if (adr_strlist_add(&merged, dst->items[i]) < 0)
			goto oom;
	adr_strlist_clear(dst);
	*dst = merged;
	return 0;
oom:
	adr_strlist_clear(&merged);
	return adr__error(ADR_ENOMEM, "out of memory");
}

/* Moves the facts of `from` in front of those of `to` (a rename). */
static int move_history(adr_history_entry *to, adr_history_entry *from)
{
	adr_strlist authors = ADR_STRLIST_INIT;
	int rc = 0;

	if (from == to || from->gone)
		return 0;
	if ((rc = strlist_prepend(&to->commits, &from->commits)) < 0)
		return rc;
	for (size_t i = 0; i < from->authors.count; i++)
		if (adr_strlist_add_unique(&authors, from->authors.items[i]) < 0)
			goto oom;
	for (size_t i = 0; i < to->authors.count; i++)
		if (adr_strlist_add_unique(&authors, to->authors.items[i]) < 0)
			goto oom;
	adr_strlist_clear(&to->authors);
	to->authors = authors;
	authors = (adr_strlist)ADR_STRLIST_INIT;
	if (from->created_commit[0] || from->before_boundary) {
		memcpy(to->created_commit, from->created_commit, sizeof(to->created_commit));
		to->created_time = from->created_time;
		free(to->created_author);
		to->created_author = from->created_author;
		from->created_author = NULL;
		to->before_boundary = from->before_boundary;
	}
	if (from->proposed_time)
		to->proposed_time = from->proposed_time;
	if (from->decided_time && !to->decided_time)
		to->decided_time = from->decided_time;
	if (from->decision_merge[0] && !to->decision_merge[0])
		memcpy(to->decision_merge, from->decision_merge, sizeof(to->decision_merge));
	to->revisions += from->revisions;
	to->comments += from->comments;
	to->touched = true;
	from->gone = true;
	from->touched = true;
	from->deleted = true;
	return 0;
oom:
	adr_strlist_clear(&authors);
	return adr__error(ADR_ENOMEM, "out of memory");
}

/* "NNNN-slug.md" -> "slug.md" into buf; false when the name has no number. */
static bool unnumbered_name(char *buf, size_t size, const char *name, size_t n)
{
	size_t i = 0;
	while (i < n && name[i] >= '0' && name[i] <= '9')
		i++;
	if (i == 0 || i >= n || name[i] != '-' || n - i - 1 + 1 > size || n - i - 1 < 4)
		return false;
	memcpy(buf, name + i + 1, n - i - 1);
	buf[n - i - 1] = '\0';
	return true;
}

static bool is_md(const char *name, size_t n)
{
	return n > 3 && name[n - 3] == '.' && (name[n - 2] | 0x20) == 'm' && (name[n - 1] | 0x20) == 'd';
}

typedef struct {
	char *path;
	unsigned char oid[GIT_OID_RAWSZ];
	bool has_oid;
	bool added;            /* not in the parent's directory */
} change;

typedef struct {
	change *items;
	size_t count, alloc;
} changes;

static void changes_clear(changes *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].path);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

static int changes_add(changes *c, const char *dir, const raw_entry *e, bool with_oid, bool added)
{
	change *ch;
	if (c->count == c->alloc) {
		size_t na = c->alloc ? c->alloc * 2 : 4;
		change *p = realloc(c->items, na * sizeof(*p));
		if (!p)
			return adr__error(ADR_ENOMEM, "out of memory");
		c->items = p;
		c->alloc = na;
	}
	ch = &c->items[c->count];
	size_t dl = strlen(dir);
	if (!(ch->path = malloc(dl + 1 + e->namelen + 1)))
		return adr__error(ADR_ENOMEM, "out of memory");
	memcpy(ch->path, dir, dl);
	ch->path[dl] = '/';
	memcpy(ch->path + dl + 1, e->name, e->namelen);
	ch->path[dl + 1 + e->namelen] = '\0';
	ch->has_oid = with_oid;
	ch->added = added;
	if (with_oid)
		memcpy(ch->oid, e->oid, GIT_OID_RAWSZ);
	c->count++;
	return 0;
}

static int cmp_names(const raw_entry *a, const raw_entry *b)
{
	size_t n = a->namelen < b->namelen ? a->namelen : b->namelen;
	int c = memcmp(a->name, b->name, n);
	if (c)
		return c;
	return a->namelen < b->namelen ? -1 : a->namelen > b->namelen;
}

static bool is_file(unsigned mode)
{
	return mode == 0100644 || mode == 0100755 || mode == 0100664;
}

/* Diffs two raw record directories (either may be NULL): markdown files
 * added or modified go to `set`, deleted to `del`. */
/* Bytes equal at the start of a and b (n bytes each at most). */
static size_t common_prefix(const char *a, const char *b, size_t n)
{
	size_t i = 0;
	while (i + 4096 <= n && memcmp(a + i, b + i, 4096) == 0)
		i += 4096;
	while (i + 64 <= n && memcmp(a + i, b + i, 64) == 0)
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* Bytes equal at the end of a and b (given their ends). */
static size_t common_suffix(const char *aend, const char *bend, size_t n)
{
	size_t i = 0;
	while (i + 4096 <= n && memcmp(aend - i - 4096, bend - i - 4096, 4096) == 0)
		i += 4096;
	while (i + 64 <= n && memcmp(aend - i - 64, bend - i - 64, 64) == 0)
		i += 64;
	while (i < n && aend[-1 - (ptrdiff_t)i] == bend[-1 - (ptrdiff_t)i])
		i++;
	return i;
}

static int diff_dirs(changes *set, changes *del, const char *dir, git_odb_object *a, git_odb_object *b)
{
	raw_iter ia = { NULL, NULL }, ib = { NULL, NULL };
	raw_entry ea, eb;
	int ra = 0, rb = 0, rc = 0;
	size_t tail = 0;
	const char *sa, *sb;

	if (a) {
		ia.p = git_odb_object_data(a);
		ia.end = ia.p + git_odb_object_size(a);
	}
	if (b) {
		ib.p = git_odb_object_data(b);
		ib.end = ib.p + git_odb_object_size(b);
	}
	if (a && b) {
		/* Skip what both trees share at the start and the end: usually all
		 * but an entry or two. The prefix is skipped entry by entry (an
		 * entry wholly inside it is the same in both); the walk below
		 * stops once both sides are left with the same tail bytes. */
		size_t na = (size_t)(ia.end - ia.p), nb = (size_t)(ib.end - ib.p), pre, suf;
		pre = common_prefix(ia.p, ib.p, na < nb ? na : nb);
		suf = common_suffix(ia.end, ib.end, na < nb ? na : nb);
		for (;;) {
			const char *nul = memchr(ia.p, '\0', (size_t)(ia.end - ia.p));
			size_t len;
			if (!nul || ia.end - nul < 1 + GIT_OID_RAWSZ)
				break;
			len = (size_t)(nul + 1 + GIT_OID_RAWSZ - ia.p);
			if ((size_t)(ia.p - (const char *)git_odb_object_data(a)) + len > pre)
				break;
			ia.p += len;
			ib.p += len;
		}
		tail = suf;
	}
	sa = ia.p;
	sb = ib.p;
	ra = raw_next(&ia, &ea);
	rb = raw_next(&ib, &eb);
	while (rc == 0 && (ra > 0 || rb > 0)) {
		/* Both current entries start the same identical tail: done. */
		if (ra > 0 && rb > 0 && ia.end - sa == ib.end - sb && (size_t)(ia.end - sa) <= tail)
			break;
		int c = ra <= 0 ? 1 : rb <= 0 ? -1 : cmp_names(&ea, &eb);
		if (c == 0) {
			bool fa = is_file(ea.mode) && is_md(ea.name, ea.namelen);
			bool fb = is_file(eb.mode) && is_md(eb.name, eb.namelen);
			if (fb && (!fa || memcmp(ea.oid, eb.oid, GIT_OID_RAWSZ) != 0))
				rc = changes_add(set, dir, &eb, true, !fa);
			else if (fa && !fb)
				rc = changes_add(del, dir, &ea, true, false);
			sa = ia.p;
			ra = raw_next(&ia, &ea);
			sb = ib.p;
			rb = raw_next(&ib, &eb);
		} else if (c < 0) {
			if (is_file(ea.mode) && is_md(ea.name, ea.namelen))
				rc = changes_add(del, dir, &ea, true, false);
			sa = ia.p;
			ra = raw_next(&ia, &ea);
		} else {
			if (is_file(eb.mode) && is_md(eb.name, eb.namelen))
				rc = changes_add(set, dir, &eb, true, true);
			sb = ib.p;
			rb = raw_next(&ib, &eb);
		}
	}
	if (rc == 0 && (ra < 0 || rb < 0))
		rc = adr__error(ADR_EINVALID, "corrupt records directory tree");
	return rc;
}

static int reach(oid_map *seen, git_oid **list, size_t *n, adr_history *h, const git_oid *from);

/* Adds 1 to *n when commit `id` is a comment (its trailers say so). */
static int count_if_comment(int *n, adr_history *h, const git_oid *id)
{
	git_commit *c = NULL;
	commit_info ci;
	int rc;
	if ((rc = git_commit_lookup(&c, adr__repo_git(h->repo), id)) < 0)
		return adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(id));
	git_oid_tostr(ci.id, sizeof(ci.id), id);
	rc = read_trailers(&ci, git_commit_message(c));
	git_commit_free(c);
	if (rc == 0 && ci.comment)
		(*n)++;
	return rc;
}

/* count_comments in a shallow clone, where libgit2 1.5's revwalk fails on
 * the missing parents: the same set, by reach() (which stops at the boundary). */
static int count_comments_shallow(int *out, adr_history *h, const git_oid *first, const git_oid *second)
{
	oid_map seen = { 0 };
	git_oid *list = NULL;
	size_t n = 0;
	int rc, count = 0;

	if ((rc = reach(&seen, NULL, NULL, h, first)) == 0 && (rc = reach(&seen, &list, &n, h, second)) == 0)
		for (size_t i = 0; i < n && rc == 0; i++)
			rc = count_if_comment(&count, h, &list[i]);
	if (rc == 0)
		*out = count;
	free(list);
	free(seen.slots);
	return rc;
}

/* Counts the comments on a proposal branch: commits reachable from the
 * merge's second parent and not from its first. */
static int count_comments(int *out, adr_history *h, const git_oid *first, const git_oid *second)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int rc, n = 0;

	*out = 0;
	if (h->shallow.count)
		return count_comments_shallow(out, h, first, second);
	if ((rc = git_revwalk_new(&walk, adr__repo_git(h->repo))) < 0 ||
	    (rc = git_revwalk_push(walk, second)) < 0 || (rc = git_revwalk_hide(walk, first)) < 0)
		goto walk_failed;
	while ((rc = git_revwalk_next(&id, walk)) == 0)
		if ((rc = count_if_comment(&n, h, &id)) < 0)
			goto cleanup;
	if (rc != GIT_ITEROVER)
		goto walk_failed;
	*out = n;
	rc = 0;
	goto cleanup;
walk_failed:
	rc = adr__error_git(rc, "cannot walk a proposal branch");
cleanup:
	git_revwalk_free(walk);
	return rc;
}

/* A commit whose records directory changed, kept between the two passes. */
typedef struct {
	commit_info ci;
	char *author;
	git_oid parent1, parent2;
	unsigned nparents;
	changes set, del;
} pending;

typedef struct {
	pending *items;
	size_t count, alloc;
} pendings;

static void pendings_clear(pendings *p)
{
	for (size_t i = 0; i < p->count; i++) {
		free(p->items[i].author);
		changes_clear(&p->items[i].set);
		changes_clear(&p->items[i].del);
	}
	free(p->items);
	memset(p, 0, sizeof(*p));
}

/* The records directory's raw tree, with the last two kept: walking newest
 * first, a commit's parent directory is the next commit's own. */
static int read_dir_tree(git_odb_object **out, adr_history *h, const git_oid *id)
{
	int rc;
	for (int i = 0; i < 2; i++)
		if (h->recent[i] && git_oid_equal(git_odb_object_id(h->recent[i]), id))
			return git_odb_object_dup(out, h->recent[i]) < 0 ? adr__error(ADR_ENOMEM, "out of memory") : 0;
	if ((rc = read_tree(out, h, id)) < 0)
		return rc;
	git_odb_object_free(h->recent[1]);
	h->recent[1] = h->recent[0];
	return git_odb_object_dup(&h->recent[0], *out) < 0 ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

/* Pass one (newest first): what each commit changed in the records directory. */
static int collect(adr_history *h, git_commit *c, pendings *out)
{
	const char *dir = adr_repo_records_dir(h->repo);
	git_oid mine, theirs;
	git_odb_object *ta = NULL, *tb = NULL;
	changes set = { 0 }, del = { 0 };
	const git_signature *author = git_commit_author(c);
	unsigned nparents = git_commit_parentcount(c);
	bool boundary;
	pending *p;
	int rc;

	h->examined++;
	memset(&theirs, 0, sizeof(theirs));
	if ((rc = dir_of_commit(&mine, h, git_commit_id(c), c)) < 0)
		return rc;
	boundary = omap_get(&h->shallow, git_commit_id(c)) != NULL;
	if (nparents > 0 && !boundary && (rc = dir_of_commit(&theirs, h, git_commit_parent_id(c, 0), NULL)) < 0)
		return rc;
	if (boundary && !h->boundary[0])
		git_oid_tostr(h->boundary, sizeof(h->boundary), git_commit_id(c));
	if (git_oid_equal(&mine, &theirs))
		return 0;
	h->diffed++;
	if (!git_oid_is_zero(&theirs) && (rc = read_dir_tree(&ta, h, &theirs)) < 0)
		goto cleanup;
	if (!git_oid_is_zero(&mine) && (rc = read_dir_tree(&tb, h, &mine)) < 0)
		goto cleanup;
	if ((rc = diff_dirs(&set, &del, dir, ta, tb)) < 0)
		goto cleanup;
	if (!set.count && !del.count)
		goto cleanup;
	if (out->count == out->alloc) {
		size_t na = out->alloc ? out->alloc * 2 : 256;
		pending *np = realloc(out->items, na * sizeof(*np));
		if (!np) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
		out->items = np;
		out->alloc = na;
	}
	p = &out->items[out->count];
	memset(p, 0, sizeof(*p));
	if (!(p->author = strdup(author->name ? author->name : ""))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	out->count++;
	git_oid_tostr(p->ci.id, sizeof(p->ci.id), git_commit_id(c));
	p->ci.time = (long long)author->when.time;
	p->ci.boundary = boundary;
	if ((rc = read_trailers(&p->ci, git_commit_message(c))) < 0)
		goto cleanup;
	p->nparents = boundary ? 0 : nparents;
	if (p->nparents > 0)
		git_oid_cpy(&p->parent1, git_commit_parent_id(c, 0));
	if (p->nparents > 1)
		git_oid_cpy(&p->parent2, git_commit_parent_id(c, 1));
	p->set = set;
	p->del = del;
	memset(&set, 0, sizeof(set));
	memset(&del, 0, sizeof(del));
	rc = 0;
cleanup:
	changes_clear(&set);
	changes_clear(&del);
	git_odb_object_free(ta);
	git_odb_object_free(tb);
	return rc;
}

/* Pass two (oldest first): the facts. */
static int apply(adr_history *h, pending *pc)
{
	const char *dir = adr_repo_records_dir(h->repo);
	commit_info *ci = &pc->ci;
	changes *set = &pc->set, *del = &pc->del;
	int rc = 0;

	ci->author = pc->author;
	for (size_t i = 0; i < set->count; i++) {
		change *ch = &set->items[i];
		adr_history_entry *e, *from = NULL;
		bool is_new = ch->added;
		const char *base = ch->path + strlen(dir) + 1;
		char plain[512];

		if ((rc = entry_for(&e, h, ch->path)) < 0)
			return rc;
		/* Only an added file can be the end of a rename. */
		if (is_new && !ci->boundary) {
			/* Same blob deleted in this commit, or <slug>.md -> NNNN-<slug>.md. */
			bool unnum = unnumbered_name(plain, sizeof(plain), base, strlen(base));
			for (size_t j = 0; j < del->count && !from; j++) {
				change *d = &del->items[j];
				const char *dbase = d->path + strlen(dir) + 1;
				if ((d->has_oid && memcmp(d->oid, ch->oid, GIT_OID_RAWSZ) == 0) ||
				    (unnum && strcmp(dbase, plain) == 0)) {
					if ((rc = entry_for(&from, h, d->path)) < 0)
						return rc;
				}
			}
			/* An accepted proposal: the second parent has <slug>.md. */
			if (!from && unnum && pc->nparents > 1) {
				git_oid pdir, o;
				git_odb_object *pt = NULL;
				unsigned m;
				int f = 0;
				if ((rc = dir_of_commit(&pdir, h, &pc->parent2, NULL)) < 0)
					return rc;
				if (!git_oid_is_zero(&pdir)) {
					if ((rc = read_tree(&pt, h, &pdir)) < 0)
						return rc;
					f = raw_find(pt, plain, strlen(plain), &o, &m);
					git_odb_object_free(pt);
				}
				if (f < 0)
					return f;
				if (f > 0) {
					adr_buf ppath = ADR_BUF_INIT;
					adr_buf_printf(&ppath, "%s/%s", dir, plain);
					rc = adr_buf_oom(&ppath) ? adr__error(ADR_ENOMEM, "out of memory")
								 : entry_for(&from, h, ppath.ptr);
					adr_buf_dispose(&ppath);
					if (rc < 0)
						return rc;
					if (!from->proposed_time && from->created_time)
						from->proposed_time = from->created_time;
					from->revisions = from->commits.count > 0 ? (int)from->commits.count - 1 : 0;
					if ((rc = count_comments(&from->comments, h, &pc->parent1, &pc->parent2)) < 0)
						return rc;
				}
			}
		}
		if (from && (rc = move_history(e, from)) < 0)
			return rc;
		if ((rc = touch(e, ci, ch->oid)) < 0)
			return rc;
		if (from && (strcasecmp(ci->action, "accept") == 0 || strcasecmp(ci->action, "reject") == 0)) {
			if (!e->decided_time) {
				e->decided_time = ci->time;
				if (!e->proposed_time)
					e->proposed_time = e->created_time;
			}
			if (pc->nparents > 1)
				memcpy(e->decision_merge, ci->id, sizeof(e->decision_merge));
		}
	}
	for (size_t i = 0; i < del->count; i++) {
		adr_history_entry *e = emap_get(&h->entries, del->items[i].path);
		if (e && e->gone)
			continue; /* renamed above */
		if (!e && (rc = entry_for(&e, h, del->items[i].path)) < 0)
			return rc;
		if (e->gone)
			continue;
		if ((rc = touch(e, ci, NULL)) < 0)
			return rc;
	}
	return 0;
}

/* Marks everything reachable from `from` (parents that are missing or
 * beyond a shallow boundary are not followed) in `seen`, and lists it. */
static int reach(oid_map *seen, git_oid **list, size_t *n, adr_history *h, const git_oid *from)
{
	git_repository *git = adr__repo_git(h->repo);
	git_oid *stack = NULL;
	size_t top = 0, alloc = 0, lalloc = 0;
	int rc = 0;

	if (omap_get(seen, from))
		return 0;
	if (!(stack = malloc(16 * sizeof(*stack))))
		return adr__error(ADR_ENOMEM, "out of memory");
	alloc = 16;
	stack[top++] = *from;
	if ((rc = omap_put(seen, from, from)) < 0)
		goto cleanup;
	while (top) {
		git_oid id = stack[--top];
		git_commit *c = NULL;
		if (list) {
			if (*n == lalloc) {
				size_t na = lalloc ? lalloc * 2 : 64;
				git_oid *p = realloc(*list, na * sizeof(*p));
				if (!p) {
					rc = adr__error(ADR_ENOMEM, "out of memory");
					goto cleanup;
				}
				*list = p;
				lalloc = na;
			}
			(*list)[(*n)++] = id;
		}
		if (omap_get(&h->shallow, &id))
			continue;
		if ((rc = git_commit_lookup(&c, git, &id)) < 0) {
			rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(&id));
			goto cleanup;
		}
		for (unsigned i = 0; i < git_commit_parentcount(c) && rc == 0; i++) {
			const git_oid *p = git_commit_parent_id(c, i);
			if (omap_get(seen, p) || !git_odb_exists(h->odb, p))
				continue;
			if (top == alloc) {
				git_oid *ns = realloc(stack, alloc * 2 * sizeof(*ns));
				if (!ns) {
					rc = adr__error(ADR_ENOMEM, "out of memory");
					break;
				}
				stack = ns;
				alloc *= 2;
			}
			stack[top++] = *p;
			rc = omap_put(seen, p, p);
		}
		git_commit_free(c);
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	free(stack);
	return rc;
}

/*
 * The walk of a shallow clone, which libgit2 1.5's revwalk cannot do (it
 * insists on parsing the missing parents): the commits reachable from
 * `tip` and not from `since`, children before parents.
 */
static int shallow_walk(adr_history *h, const git_oid *tip, const git_oid *since, pendings *todo)
{
	git_repository *git = adr__repo_git(h->repo);
	oid_map seen = { 0 }, hidden = { 0 }, pending_children = { 0 };
	git_oid *list = NULL, *order = NULL;
	size_t n = 0, norder = 0;
	int rc;

	if (since && (rc = reach(&hidden, NULL, NULL, h, since)) < 0)
		goto cleanup;
	/* seen starts as the hidden set, so the walk stops there */
	for (size_t i = 0; i < hidden.cap; i++)
		if (hidden.slots[i].used && (rc = omap_put(&seen, &hidden.slots[i].key, &hidden.slots[i].key)) < 0)
			goto cleanup;
	if ((rc = reach(&seen, &list, &n, h, tip)) < 0)
		goto cleanup;
	/* Count, for each listed commit, its children in the list (in val.id[0..3]). */
	for (size_t i = 0; i < n; i++) {
		git_oid zero;
		memset(&zero, 0, sizeof(zero));
		if ((rc = omap_put(&pending_children, &list[i], &zero)) < 0)
			goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		git_commit *c = NULL;
		if (omap_get(&h->shallow, &list[i]))
			continue;
		if ((rc = git_commit_lookup(&c, git, &list[i])) < 0) {
			rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(&list[i]));
			goto cleanup;
		}
		for (unsigned p = 0; p < git_commit_parentcount(c); p++) {
			git_oid *v = (git_oid *)omap_get(&pending_children, git_commit_parent_id(c, p));
			if (v)
				v->id[0]++;
		}
		git_commit_free(c);
	}
	/* Kahn: emit a commit once all its children are out. */
	if (!(order = malloc((n ? n : 1) * sizeof(*order)))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	{
		git_oid *ready = malloc((n ? n : 1) * sizeof(*ready));
		size_t nready = 0;
		if (!ready) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
		for (size_t i = 0; i < n; i++)
			if (omap_get(&pending_children, &list[i])->id[0] == 0)
				ready[nready++] = list[i];
		while (nready && rc == 0) {
			git_oid id = ready[--nready];
			git_commit *c = NULL;
			order[norder++] = id;
			if (omap_get(&h->shallow, &id))
				continue;
			if ((rc = git_commit_lookup(&c, git, &id)) < 0) {
				rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(&id));
				break;
			}
			for (unsigned p = 0; p < git_commit_parentcount(c); p++) {
				git_oid *v = (git_oid *)omap_get(&pending_children, git_commit_parent_id(c, p));
				if (v && --v->id[0] == 0)
					ready[nready++] = *git_commit_parent_id(c, p);
			}
			git_commit_free(c);
		}
		free(ready);
		if (rc < 0)
			goto cleanup;
	}
	for (size_t i = 0; i < norder; i++) {
		git_commit *c = NULL;
		if ((rc = git_commit_lookup(&c, git, &order[i])) < 0) {
			rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(&order[i]));
			goto cleanup;
		}
		rc = collect(h, c, todo);
		git_commit_free(c);
		if (rc < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	free(list);
	free(order);
	free(seen.slots);
	free(hidden.slots);
	free(pending_children.slots);
	return rc;
}

/* Reads the shallow boundary commits (<commondir>/shallow), if any. */
static int read_shallow(adr_history *h)
{
	adr_buf path = ADR_BUF_INIT;
	FILE *f;
	char line[128];
	int rc = 0;

	adr_buf_printf(&path, "%sshallow", adr_repo_commondir(h->repo));
	if (adr_buf_oom(&path))
		return adr__error(ADR_ENOMEM, "out of memory");
	f = fopen(path.ptr, "r");
	adr_buf_dispose(&path);
	if (!f)
		return 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		git_oid id;
		line[strcspn(line, "\r\n")] = '\0';
		if (git_oid_fromstr(&id, line) == 0)
			rc = omap_put(&h->shallow, &id, &id);
	}
	fclose(f);
	return rc;
}

int adr_history_walk(adr_history *h, adr_repo *repo, const char *tip, const char *since,
		     adr_history_load_fn load, void *payload)
{
	git_repository *git = adr__repo_git(repo);
	git_revwalk *walk = NULL;
	git_commit *tipc = NULL, *c = NULL;
	git_oid id, since_id;
	pendings todo = { 0 };
	int rc;

	h->repo = repo;
	h->load = load;
	/* Like git itself, trust the object store's own checks (zlib, pack CRCs)
	 * instead of re-hashing every tree read: hashing a large records
	 * directory thousands of times is most of a walk's cost. Restored below. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	h->payload = payload;
	if ((rc = git_repository_odb(&h->odb, git)) < 0) {
		rc = adr__error_git(rc, "cannot open the object database");
		goto cleanup;
	}
	if ((rc = read_shallow(h)) < 0)
		goto cleanup;
	rc = adr__resolve_commit(&tipc, repo, tip);
	if (rc == ADR_ENOTFOUND && !tip) {
		adr_error_clear();
		h->tip[0] = '\0';
		rc = 0;
		goto cleanup;
	}
	if (rc < 0)
		goto cleanup;
	git_oid_tostr(h->tip, sizeof(h->tip), git_commit_id(tipc));
	if (since && *since) {
		if (git_oid_fromstr(&since_id, since) < 0 || !git_odb_exists(h->odb, &since_id)) {
			rc = adr__error(ADR_ENOTFOUND, "commit %s is gone", since);
			goto cleanup;
		}
		int d = git_oid_equal(&since_id, git_commit_id(tipc)) ? 1 :
			git_graph_descendant_of(git, git_commit_id(tipc), &since_id);
		if (d < 0) {
			rc = adr__error_git(d, "cannot tell whether %s descends from %s", h->tip, since);
			goto cleanup;
		}
		if (d != 1) {
			adr_error_clear();
			rc = adr__error(ADR_ENOTFOUND, "commit %s is not an ancestor of %s", since, h->tip);
			goto cleanup;
		}
	}
	if (!h->shallow.count &&
	    ((rc = git_revwalk_new(&walk, git)) < 0 ||
	     (rc = git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME)) < 0 ||
	     (rc = git_revwalk_push(walk, git_commit_id(tipc))) < 0 ||
	     (since && *since && (rc = git_revwalk_hide(walk, &since_id)) < 0))) {
		rc = adr__error_git(rc, "cannot walk the history of %s", adr_repo_branch(repo));
		goto cleanup;
	}
	if (h->shallow.count) {
		rc = shallow_walk(h, git_commit_id(tipc), since && *since ? &since_id : NULL, &todo);
		if (rc < 0)
			goto cleanup;
		rc = GIT_ITEROVER;
	}
	while (!h->shallow.count && (rc = git_revwalk_next(&id, walk)) == 0) {
		if ((rc = git_commit_lookup(&c, git, &id)) < 0) {
			rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(&id));
			goto cleanup;
		}
		rc = collect(h, c, &todo);
		git_commit_free(c);
		c = NULL;
		if (rc < 0)
			goto cleanup;
	}
	if (rc != GIT_ITEROVER) {
		rc = adr__error_git(rc, "cannot walk the history of %s", adr_repo_branch(repo));
		goto cleanup;
	}
	/* Oldest first: parents before children, so renames and merges see what came before. */
	for (size_t i = todo.count; i-- > 0;)
		if ((rc = apply(h, &todo.items[i])) < 0)
			goto cleanup;
	rc = 0;
cleanup:
	pendings_clear(&todo);
	git_odb_object_free(h->recent[0]);
	git_odb_object_free(h->recent[1]);
	h->recent[0] = h->recent[1] = NULL;
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	git_commit_free(c);
	git_commit_free(tipc);
	git_revwalk_free(walk);
	git_odb_free(h->odb);
	h->odb = NULL;
	return rc;
}

/* --- the records directory between two commits ---------------------------- */

void adr__dir_changes_clear(adr__dir_changes *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].path);
	free(c->items);
	c->items = NULL;
	c->count = 0;
}

static int dir_of_hex(git_oid *out, adr_history *h, const char *hex)
{
	git_oid id;
	memset(out, 0, sizeof(*out));
	if (!hex || !*hex)
		return 0;
	if (git_oid_fromstr(&id, hex) < 0)
		return adr__error(ADR_EINVALID, "'%s' is not a commit id", hex);
	return dir_of_commit(out, h, &id, NULL);
}

int adr__records_dir_changes(adr__dir_changes *out, adr_repo *repo, const char *from, const char *to)
{
	adr_history *h = NULL;
	git_oid a, b;
	git_odb_object *ta = NULL, *tb = NULL;
	changes set = { 0 }, del = { 0 };
	int rc;

	out->items = NULL;
	out->count = 0;
	if ((rc = adr_history_new(&h)) < 0)
		return rc;
	h->repo = repo;
	if ((rc = git_repository_odb(&h->odb, adr__repo_git(repo))) < 0) {
		rc = adr__error_git(rc, "cannot open the object database");
		goto cleanup;
	}
	if ((rc = dir_of_hex(&a, h, from)) < 0 || (rc = dir_of_hex(&b, h, to)) < 0)
		goto cleanup;
	if (git_oid_equal(&a, &b))
		goto cleanup;
	if ((!git_oid_is_zero(&a) && (rc = read_tree(&ta, h, &a)) < 0) ||
	    (!git_oid_is_zero(&b) && (rc = read_tree(&tb, h, &b)) < 0))
		goto cleanup;
	if ((rc = diff_dirs(&set, &del, adr_repo_records_dir(repo), ta, tb)) < 0)
		goto cleanup;
	if (set.count + del.count && !(out->items = calloc(set.count + del.count, sizeof(*out->items)))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < set.count; i++) {
		adr__dir_change *c = &out->items[out->count++];
		git_oid id;
		c->path = set.items[i].path;
		set.items[i].path = NULL;
		git_oid_fromraw(&id, set.items[i].oid);
		git_oid_tostr(c->blob, sizeof(c->blob), &id);
	}
	for (size_t i = 0; i < del.count; i++) {
		adr__dir_change *c = &out->items[out->count++];
		c->path = del.items[i].path;
		del.items[i].path = NULL;
	}
	rc = 0;
cleanup:
	changes_clear(&set);
	changes_clear(&del);
	git_odb_object_free(ta);
	git_odb_object_free(tb);
	git_odb_free(h->odb);
	h->odb = NULL;
	adr_history_free(h);
	if (rc < 0)
		adr__dir_changes_clear(out);
	return rc;
}
