/*
 * git/history_scan.c: pass one of a full history walk (git/history.c) on
 * both cores. A scanner thread follows the commits from the tip (reading
 * only each commit's header and the trees on the path to the records
 * directory) and lists those whose records directory differs from their
 * first parent's, while this thread runs the revision walk that gives
 * their order (git/walk.c); then both threads diff the listed directories
 * (git/rawtree.c), each with its own repository handle: libgit2's objects
 * are used from one thread at a time (its THREADING.md). Commits that do
 * not touch the records directory leave nothing behind but one slot of
 * the scanner's table.
 */
#include "git/history_internal.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "git/walk.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"

/* --- the scanner's table: commit -> records directory, visited ------------- */

/* 24 bytes a commit: the table is the one thing a scan keeps per commit. */
typedef struct {
	git_oid id;
	uint32_t val;               /* (value << 2) | state: 0 free, 1 value known,
				     * 2 also visited */
} slot;

typedef struct {
	slot *slots;
	size_t cap, count;
	git_oid *dirs;              /* the values: records directories, by index */
	size_t ndirs, adirs;
} table;

#define ST(sl) ((sl)->val & 3u)
#define VAL(sl) ((sl)->val >> 2)

static slot *tab_find(const table *t, const git_oid *id)
{
	if (!t->cap)
		return NULL;
	size_t i = (unsigned long)adr__hash(id->id, GIT_OID_RAWSZ) & (t->cap - 1);
	for (; ST(&t->slots[i]); i = (i + 1) & (t->cap - 1))
		if (git_oid_equal(&t->slots[i].id, id))
			return &t->slots[i];
	return NULL;
}

/* The slot of `id` (value 0, state 1 when new), or NULL out of memory. */
static slot *tab_add(table *t, const git_oid *id)
{
	slot *s;
	if ((t->count + 1) * 2 > t->cap) {
		table n = *t;
		n.cap = t->cap ? t->cap * 2 : 4096;
		n.count = 0;
		if (!(n.slots = adr__calloc(n.cap, sizeof(*n.slots))))
			return NULL;
		for (size_t i = 0; i < t->cap; i++)
			if (ST(&t->slots[i])) {
				size_t j = (unsigned long)adr__hash(t->slots[i].id.id, GIT_OID_RAWSZ) & (n.cap - 1);
				while (ST(&n.slots[j]))
					j = (j + 1) & (n.cap - 1);
				n.slots[j] = t->slots[i];
				n.count++;
			}
		free(t->slots);
		*t = n;
	}
	if ((s = tab_find(t, id)))
		return s;
	size_t i = (unsigned long)adr__hash(id->id, GIT_OID_RAWSZ) & (t->cap - 1);
	while (ST(&t->slots[i]))
		i = (i + 1) & (t->cap - 1);
	s = &t->slots[i];
	git_oid_cpy(&s->id, id);
	s->val = 1;
	t->count++;
	return s;
}

static void tab_set(slot *s, uint32_t value)
{
	s->val = (value << 2) | ST(s);
}

/* Sets the value of `s` to records directory `dir` (kept once in a row). */
static int tab_set_dir(table *t, slot *s, const git_oid *dir)
{
	if (!t->ndirs || !git_oid_equal(&t->dirs[t->ndirs - 1], dir)) {
		if (t->ndirs >= (1u << 30) || ADR_ARRAY_GROW(t->dirs, t->adirs, t->ndirs + 1) < 0)
			return ADR_ENOMEM;
		t->dirs[t->ndirs++] = *dir;
	}
	tab_set(s, (uint32_t)(t->ndirs - 1));
	return 0;
}

static const git_oid *tab_dir(const table *t, const slot *s)
{
	return &t->dirs[VAL(s)];
}

static void tab_free(table *t)
{
	free(t->slots);
	free(t->dirs);
	memset(t, 0, sizeof(*t));
}

/* --- an error raised in another thread ------------------------------------ */

typedef struct {
	int rc;
	int code;
	char msg[1024];
} thread_error;

static void error_keep(thread_error *e, int rc)
{
	e->rc = rc;
	e->code = adr_error_code();
	snprintf(e->msg, sizeof(e->msg), "%s", adr_error_last());
}

/* Raises in this thread the error another thread kept. */
static int error_raise(const thread_error *e)
{
	int code = e->code ? e->code : ADR_ERROR;
	if (code == ADR_ENOMEM)
		return adr__error_oom();
	return adr__error(code, "%s", e->msg);
}

/* --- the scanner thread ------------------------------------------------------ */

/* A commit's tree and parents, from its raw header; libgit2's parser when
 * the header is not the usual one. */
typedef struct {
	git_oid tree;
	git_oid parents[2];
	unsigned nparents;          /* all of them, though only two are kept */
} header;

typedef struct {
	git_repository *git;        /* its own handle */
	git_odb *odb;
	const char *dir;            /* the records directory */
	git_oid tip;
	table seen;
	const table *global;        /* a finisher: the scanner's table, read only */
	atomic_bool stop;           /* the scanner: hand over what is left */
	struct {
		git_oid tree, next;     /* the last tree read at this depth of the path, and
					 * what the path's next part is in it */
	} memo[8];
	header ahead;               /* the last header dir_of() read, and its commit */
	git_oid ahead_id;
	bool have_ahead;
	adr__scan_item *items;      /* found, in the scanner's order */
	size_t count, alloc;
	unsigned long examined;
	thread_error err;
} scanner;


static bool parse_header(header *h, const char *p, size_t n)
{
	const char *end = p + n;
	h->nparents = 0;
	if (n < 46 || memcmp(p, "tree ", 5) != 0 || p[45] != '\n' || git_oid_fromstrn(&h->tree, p + 5, 40) < 0)
		return false;
	p += 46;
	while (end - p >= 48 && memcmp(p, "parent ", 7) == 0) {
		if (p[47] != '\n')
			return false;
		if (h->nparents < 2 && git_oid_fromstrn(&h->parents[h->nparents], p + 7, 40) < 0)
			return false;
		h->nparents++;
		p += 48;
	}
	return end - p >= 7 && memcmp(p, "author ", 7) == 0;
}

static int read_header(header *h, scanner *s, const git_oid *id)
{
	git_odb_object *o = NULL;
	git_commit *c = NULL;
	bool ok = false;
	int rc;

	if (s->have_ahead && git_oid_equal(&s->ahead_id, id)) {
		*h = s->ahead;
		return 0;
	}

	if (git_odb_read(&o, s->odb, id) == 0 && git_odb_object_type(o) == GIT_OBJECT_COMMIT)
		ok = parse_header(h, git_odb_object_data(o), git_odb_object_size(o));
	git_odb_object_free(o);
	if (ok)
		return 0;
	git_error_clear();
	if ((rc = git_commit_lookup(&c, s->git, id)) < 0)
		return adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(id));
	git_oid_cpy(&h->tree, git_commit_tree_id(c));
	h->nparents = git_commit_parentcount(c);
	for (unsigned i = 0; i < h->nparents && i < 2; i++)
		git_oid_cpy(&h->parents[i], git_commit_parent_id(c, i));
	git_commit_free(c);
	return 0;
}

/* adr__raw_records_dir(), remembering the last tree read at each depth:
 * commits that change only other directories share the trees below the
 * root on the path to the records directory. */
static int path_dir(git_oid *out, scanner *s, const git_oid *root)
{
	const char *path = s->dir;
	git_oid cur = *root;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t depth = 0; *path; depth++) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		git_odb_object *t = NULL;
		unsigned mode = 0;
		git_oid next;
		if (depth < 8 && !git_oid_is_zero(&s->memo[depth].tree) && git_oid_equal(&s->memo[depth].tree, &cur)) {
			next = s->memo[depth].next;
			mode = git_oid_is_zero(&next) ? 0 : 040000;
		} else {
			if ((rc = adr__raw_tree_read(&t, s->odb, &cur)) < 0)
				return rc;
			rc = adr__raw_tree_find(t, path, n, &next, &mode);
			git_odb_object_free(t);
			if (rc < 0)
				return rc;
			if (rc == 0 || mode != 040000)
				memset(&next, 0, sizeof(next));
			if (depth < 8) {
				s->memo[depth].tree = cur;
				s->memo[depth].next = next;
			}
		}
		if (git_oid_is_zero(&next))
			return 0;
		cur = next;
		path += n;
		while (*path == '/')
			path++;
	}
	*out = cur;
	return 0;
}

/* The records directory of commit `id` (its header in *hdr when read here). */
static int dir_of(git_oid *out, scanner *s, const git_oid *id, header *hdr, bool *have_hdr)
{
	slot *sl = tab_find(&s->seen, id);
	int rc;

	*have_hdr = false;
	if (sl) {
		*out = *tab_dir(&s->seen, sl);
		return 0;
	}
	if (s->global && (sl = tab_find(s->global, id))) {
		*out = *tab_dir(s->global, sl);
		return 0;
	}
	if ((rc = read_header(hdr, s, id)) < 0 || (rc = path_dir(out, s, &hdr->tree)) < 0)
		return rc;
	*have_hdr = true;
	s->ahead = *hdr;
	s->ahead_id = *id;
	s->have_ahead = true;
	if (!(sl = tab_add(&s->seen, id)))
		return ADR_ENOMEM;
	return tab_set_dir(&s->seen, sl, out);
}

/* Visits commit `id`: lists it when its records directory differs from its
 * first parent's; pushes its parents (the first one last, so it is next). */
/* Lists commit `id` when its records directory differs from its first
 * parent's; its header in *h. */
static int examine(scanner *s, const git_oid *id, header *h)
{
	header ph;
	git_oid mine, theirs;
	bool have, phave;
	slot *sl;
	int rc;

	if ((rc = dir_of(&mine, s, id, h, &have)) < 0)
		return rc;
	if (!have && (rc = read_header(h, s, id)) < 0)
		return rc;
	if ((sl = tab_find(&s->seen, id)))
		sl->val = (sl->val & ~3u) | 2u;
	s->examined++;
	memset(&theirs, 0, sizeof(theirs));
	if (h->nparents > 0 && (rc = dir_of(&theirs, s, &h->parents[0], &ph, &phave)) < 0)
		return rc;
	if (!git_oid_equal(&mine, &theirs)) {
		adr__scan_item *it;
		if (ADR_ARRAY_GROW(s->items, s->alloc, s->count + 1) < 0)
			return ADR_ENOMEM;
		it = &s->items[s->count++];
		memset(it, 0, sizeof(*it));
		it->id = *id;
		it->dir = mine;
		it->pdir = theirs;
		it->nparents = h->nparents;
		if (h->nparents > 1)
			it->parent2 = h->parents[1];
		it->order = SIZE_MAX;
	}
	return 0;
}

/* Visits commit `id`: examine(), then pushes its parents that are not
 * visited yet (the first one last, so it is next). */
static int visit(scanner *s, const git_oid *id, git_oid **stack, size_t *top, size_t *alloc)
{
	header h;
	slot *sl;
	int rc;

	if ((rc = examine(s, id, &h)) < 0)
		return rc;
	if (h.nparents > 2) {
		/* an octopus: the parents beyond two, from libgit2 */
		git_commit *c = NULL;
		if ((rc = git_commit_lookup(&c, s->git, id)) < 0)
			return adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(id));
		for (unsigned i = h.nparents; i-- > 2 && rc == 0;) {
			const git_oid *p = git_commit_parent_id(c, i);
			if ((sl = tab_find(&s->seen, p)) && ST(sl) == 2)
				continue;
			if ((rc = ADR_ARRAY_GROW(*stack, *alloc, *top + 1)) == 0)
				(*stack)[(*top)++] = *p;
		}
		git_commit_free(c);
		if (rc < 0)
			return rc;
	}
	for (unsigned i = h.nparents < 2 ? h.nparents : 2; i-- > 0;) {
		if ((sl = tab_find(&s->seen, &h.parents[i])) && ST(sl) == 2)
			continue;
		if (ADR_ARRAY_GROW(*stack, *alloc, *top + 1) < 0)
			return ADR_ENOMEM;
		(*stack)[(*top)++] = h.parents[i];
	}
	return 0;
}

static void *scan_main(void *arg)
{
	scanner *s = arg;
	git_oid *stack = NULL;
	size_t top = 0, alloc = 0;
	int rc = 0;

	if (ADR_ARRAY_GROW(stack, alloc, 64) < 0) {
		error_keep(&s->err, ADR_ENOMEM);
		return NULL;
	}
	stack[top++] = s->tip;
	while (top && rc == 0 && !atomic_load(&s->stop)) {
		git_oid id = stack[--top];
		slot *sl = tab_find(&s->seen, &id);
		if (sl && ST(sl) == 2)
			continue;
		rc = visit(s, &id, &stack, &top, &alloc);
	}
	free(stack);
	if (rc < 0)
		error_keep(&s->err, rc);
	return NULL;
}

/* --- the diffs, on both threads --------------------------------------------- */

typedef struct {
	adr__scan *scan;
	const table *dirs;
	const char *dir;
	git_odb *odb;
	size_t from, to;            /* its part of scan->items */
	git_odb_object *recent[2];
	thread_error err;
} differ;

#define CHUNK 64

static int tree_of(git_odb_object **out, differ *d, const git_oid *id)
{
	int rc;
	*out = NULL;
	if (git_oid_is_zero(id))
		return 0;
	for (int i = 0; i < 2; i++)
		if (d->recent[i] && git_oid_equal(git_odb_object_id(d->recent[i]), id))
			return git_odb_object_dup(out, d->recent[i]) < 0 ? adr__error_oom() : 0;
	if ((rc = adr__raw_tree_read(out, d->odb, id)) < 0)
		return rc;
	git_odb_object_free(d->recent[1]);
	d->recent[1] = d->recent[0];
	return git_odb_object_dup(&d->recent[0], *out) < 0 ? adr__error_oom() : 0;
}

/* For each file added by a merge with a number in its name (NNNN-<slug>.md)
 * that no deleted file explains, whether the second parent's records
 * directory has <slug>.md: an accepted proposal (history.c's rename_source). */
static int proposals(differ *d, adr__scan_item *it)
{
	git_odb_object *pt = NULL;
	const slot *sl;
	int rc = 0;

	for (size_t i = 0; i < it->set.count && rc >= 0; i++) {
		adr__raw_change *ch = &it->set.items[i];
		char plain[512];
		git_oid o;
		unsigned m;
		if (!ch->added || !adr__history_rename_plain(plain, sizeof(plain), d->dir, ch, &it->del))
			continue;
		ch->proposal = 0;
		sl = tab_find(d->dirs, &it->parent2);
		if (!sl || git_oid_is_zero(tab_dir(d->dirs, sl))) {
			ch->proposal = sl ? 0 : -1; /* not scanned: history.c looks */
			continue;
		}
		if (!pt && (rc = adr__raw_tree_read(&pt, d->odb, tab_dir(d->dirs, sl))) < 0)
			break;
		if ((rc = adr__raw_tree_find(pt, plain, strlen(plain), &o, &m)) >= 0)
			ch->proposal = rc;
	}
	git_odb_object_free(pt);
	return rc < 0 ? rc : 0;
}

static int diff_one(differ *d, adr__scan_item *it)
{
	git_odb_object *ta = NULL, *tb = NULL;
	int rc;

	if ((rc = tree_of(&ta, d, &it->pdir)) == 0 && (rc = tree_of(&tb, d, &it->dir)) == 0)
		rc = adr__records_dir_diff(&it->set, &it->del, d->dir, ta, tb);
	if (rc == 0 && it->nparents > 1)
		rc = proposals(d, it);
	git_odb_object_free(ta);
	git_odb_object_free(tb);
	return rc;
}

static void *diff_main(void *arg)
{
	differ *d = arg;
	int rc = 0;

	/* Oldest first: a version of the directory is cheapest to read right
	 * after the one it is stored as a delta of, and in packs made as the
	 * history grew (fast-import, and clones that reuse their deltas) that
	 * is the older one. */
	for (size_t k = d->to; k-- > d->from && rc == 0;)
		rc = diff_one(d, &d->scan->items[k]);
	if (rc < 0)
		error_keep(&d->err, rc);
	git_odb_object_free(d->recent[0]);
	git_odb_object_free(d->recent[1]);
	d->recent[0] = d->recent[1] = NULL;
	return NULL;
}

/* --- putting it together ----------------------------------------------------- */

static int open_own(git_repository **git, git_odb **odb, adr_repo *repo)
{
	int rc = git_repository_open_ext(git, git_repository_path(adr__repo_git(repo)), GIT_REPOSITORY_OPEN_NO_SEARCH,
					 NULL);
	if (rc == 0)
		rc = git_repository_odb(odb, *git);
	return rc < 0 ? adr__error_git(rc, "cannot open the repository again") : 0;
}

/* The revision walk's order, as ids. */
typedef struct {
	git_oid *ids;
	size_t count, alloc;
} id_list;

static int keep_id(const git_oid *id, void *payload)
{
	id_list *l = payload;
	if (ADR_ARRAY_GROW(l->ids, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	l->ids[l->count++] = *id;
	return 0;
}

static int cmp_order(const void *a, const void *b)
{
	size_t x = ((const adr__scan_item *)a)->order, y = ((const adr__scan_item *)b)->order;
	return x < y ? -1 : x > y;
}

/* The listed commits in the walk's order (the revision walk's). */
static int put_in_order(adr__scan *out, const id_list *order)
{
	table where = { 0 };
	int rc = 0;

	for (size_t i = 0; i < out->count && rc == 0; i++) {
		slot *sl = tab_add(&where, &out->items[i].id);
		if (!sl)
			rc = ADR_ENOMEM;
		else
			tab_set(sl, (uint32_t)i);
	}
	for (size_t k = 0; k < order->count && rc == 0; k++) {
		const slot *sl = tab_find(&where, &order->ids[k]);
		if (sl)
			out->items[VAL(sl)].order = k;
	}
	tab_free(&where);
	if (rc == 0)
		qsort(out->items, out->count, sizeof(*out->items), cmp_order);
	return rc;
}

/* A finisher: examines its share of the commits the scanner left. */
typedef struct {
	scanner s;
	const git_oid *const *ids;
	size_t n;
} finisher;

static void *finish_main(void *arg)
{
	finisher *f = arg;
	header h;
	int rc = 0;
	for (size_t i = 0; i < f->n && rc == 0; i++)
		rc = examine(&f->s, f->ids[i], &h);
	if (rc < 0)
		error_keep(&f->s.err, rc);
	return NULL;
}

/* Examines the commits of `order` the scanner `s` did not visit, on two
 * threads, adding what they find to s's items. */
static int finish(scanner *s, adr_repo *repo, const id_list *order)
{
	finisher f[2];
	const git_oid **left = NULL;
	size_t n = 0;
	pthread_t th;
	bool started = false;
	int rc = 0;

	memset(f, 0, sizeof(f));
	if (order->count && !(left = adr__reallocarray(NULL, order->count, sizeof(*left))))
		return ADR_ENOMEM;
	for (size_t k = 0; k < order->count; k++) {
		const slot *sl = tab_find(&s->seen, &order->ids[k]);
		if (!sl || ST(sl) != 2)
			left[n++] = &order->ids[k];
	}
	for (int i = 0; i < 2; i++) {
		f[i].s.dir = s->dir;
		f[i].s.global = &s->seen;
	}
	f[0].s.git = s->git;
	f[0].s.odb = s->odb;
	f[0].ids = left;
	f[0].n = n / 2;
	f[1].s.git = adr__repo_git(repo);
	f[1].ids = left + n / 2;
	f[1].n = n - n / 2;
	if (n && (rc = git_repository_odb(&f[1].s.odb, f[1].s.git)) < 0) {
		rc = adr__error_git(rc, "cannot open the object database");
		goto cleanup;
	}
	if (!n)
		goto cleanup;
	started = pthread_create(&th, NULL, finish_main, &f[0]) == 0;
	finish_main(&f[1]);
	if (started)
		pthread_join(th, NULL);
	else
		finish_main(&f[0]);
	for (int i = 0; i < 2 && rc == 0; i++) {
		if (f[i].s.err.rc < 0) {
			rc = error_raise(&f[i].s.err);
			break;
		}
		s->examined += f[i].s.examined;
		for (size_t j = 0; j < f[i].s.count && rc == 0; j++) {
			if ((rc = ADR_ARRAY_GROW(s->items, s->alloc, s->count + 1)) == 0)
				s->items[s->count++] = f[i].s.items[j];
		}
	}
cleanup:
	for (int i = 0; i < 2; i++) {
		free(f[i].s.items);
		tab_free(&f[i].s.seen);
	}
	git_odb_free(f[1].s.odb);
	free(left);
	return rc;
}

int adr__history_scan(adr__scan *out, adr_repo *repo, const git_oid *tip, const adr__walk_opts *wo,
		      bool hand_over)
{
	scanner s;
	differ d[2];
	id_list order = { 0 };
	pthread_t th;
	bool started = false;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	memset(d, 0, sizeof(d));
	s.dir = adr_repo_records_dir(repo);
	s.tip = *tip;
	atomic_init(&s.stop, hand_over);
	if ((rc = open_own(&s.git, &s.odb, repo)) < 0)
		goto cleanup;
	if (pthread_create(&th, NULL, scan_main, &s) != 0) {
		scan_main(&s);
	} else {
		started = true;
	}
	rc = adr__walk_ids(repo, wo, keep_id, &order);
	/* The walk has the list of commits: what the scanner has not reached
	 * yet is shared between both threads (finish()). */
	atomic_store(&s.stop, true);
	if (started)
		pthread_join(th, NULL);
	if (rc < 0)
		goto cleanup;
	if (s.err.rc < 0) {
		rc = error_raise(&s.err);
		goto cleanup;
	}
	if ((rc = finish(&s, repo, &order)) < 0)
		goto cleanup;
	out->items = s.items;
	out->count = s.count;
	out->examined = s.examined;
	s.items = NULL;
	if ((rc = put_in_order(out, &order)) < 0)
		goto cleanup;
	/* the diffs: this thread and one more take chunks in turn */
	for (int i = 0; i < 2; i++) {
		d[i].scan = out;
		d[i].dirs = &s.seen;
		d[i].dir = s.dir;
	}
	/* The records directory grows, and so does the cost of reading it: the
	 * newest 29% (1 - 1/sqrt 2) of the commits cost about as much as the
	 * rest when it grows steadily. */
	d[1].to = out->count > CHUNK ? out->count * 293 / 1000 : out->count;
	d[0].from = d[1].to;
	d[0].to = out->count;
	d[0].odb = s.odb;
	if ((rc = git_repository_odb(&d[1].odb, adr__repo_git(repo))) < 0) {
		rc = adr__error_git(rc, "cannot open the object database");
		goto cleanup;
	}
	started = d[0].from < d[0].to && pthread_create(&th, NULL, diff_main, &d[0]) == 0;
	diff_main(&d[1]);
	if (started)
		pthread_join(th, NULL);
	else
		diff_main(&d[0]);
	for (int i = 0; i < 2 && rc == 0; i++)
		if (d[i].err.rc < 0)
			rc = error_raise(&d[i].err);
cleanup:
	git_odb_free(d[1].odb);
	free(order.ids);
	free(s.items);
	tab_free(&s.seen);
	git_odb_free(s.odb);
	git_repository_free(s.git);
	if (rc < 0)
		adr__scan_dispose(out);
	return rc;
}

void adr__scan_dispose(adr__scan *s)
{
	for (size_t i = 0; i < s->count; i++) {
		adr__raw_changes_clear(&s->items[i].set);
		adr__raw_changes_clear(&s->items[i].del);
	}
	free(s->items);
	memset(s, 0, sizeof(*s));
}
