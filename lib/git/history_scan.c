/*
 * git/history_scan.c: pass one of a full history walk (git/history.c),
 * reading each commit once. The walker follows the commits from the tip,
 * reading only each commit's header (tree, parents, commit time); then the
 * tree reader reads, for each commit the walker has read, the trees on the
 * path to the records directory (see scan_graph for why one after the
 * other, on one thread). From the headers alone
 * the order of the revision walk (libgit2's topological and time order,
 * git/walk.c) is worked out as libgit2 works it out, so the commits are
 * not read a second time for it; then the records directories of the
 * commits that changed them are diffed (git/rawtree.c), on both threads
 * when that is most of the work. Each thread has its own repository
 * handle: libgit2's objects are used from one thread at a time (its
 * THREADING.md). A commit that does not touch the records directory
 * leaves behind its place in the graph: 40 bytes and a slot.
 */
#include "git/history_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

/* --- the commits: id -> node ------------------------------------------------ */

/* Nodes and the commits read are kept in chunks that never move: the tree
 * reader reads them while more are added. */
#define CHUNK_BITS 14
#define CHUNK_LEN ((size_t)1 << CHUNK_BITS)
#define MAX_CHUNKS ((size_t)1 << 18)

/* A commit of the graph, numbered in the order it was first met. */
typedef struct {
	int64_t time;               /* its committer time (what the revision walk sorts by) */
	git_oid id;
	uint32_t par;               /* its parents: graph.parents[par .. par + npar) */
	uint32_t dir;               /* its records directory, in the tree reader's dirs */
	uint32_t npar : 31;
	uint32_t visited : 1;       /* its header was read */
} node;

typedef struct {
	uint32_t key;               /* the id's first four bytes (ids are hashes already) */
	uint32_t node;              /* node number + 1; 0: a free slot */
} slot;

typedef struct {
	slot *slots;
	size_t cap, count;
	node **chunks;              /* MAX_CHUNKS of them */
	size_t nnodes;
	uint32_t *parents;          /* node numbers, in each header's order */
	size_t nparents, aparents;
} graph;

#define NODE(g, v) (&(g)->chunks[(v) >> CHUNK_BITS][(v) & (CHUNK_LEN - 1)])

static uint32_t key_of(const git_oid *id)
{
	return (uint32_t)id->id[0] << 24 | (uint32_t)id->id[1] << 16 | (uint32_t)id->id[2] << 8 | id->id[3];
}

/* The node of `id`, added (not visited) when new; -1 out of memory. */
static int64_t node_for(graph *g, const git_oid *id)
{
	uint32_t key = key_of(id);
	size_t i, v = g->nnodes;

	if ((g->count + 1) * 2 > g->cap) {
		size_t cap = g->cap ? g->cap * 2 : 4096;
		slot *slots = adr__calloc(cap, sizeof(*slots));
		if (!slots)
			return -1;
		for (size_t k = 0; k < g->cap; k++)
			if (g->slots[k].node) {
				size_t j = g->slots[k].key & (cap - 1);
				while (slots[j].node)
					j = (j + 1) & (cap - 1);
				slots[j] = g->slots[k];
			}
		free(g->slots);
		g->slots = slots;
		g->cap = cap;
	}
	for (i = key & (g->cap - 1); g->slots[i].node; i = (i + 1) & (g->cap - 1))
		if (g->slots[i].key == key && git_oid_equal(&NODE(g, g->slots[i].node - 1)->id, id))
			return g->slots[i].node - 1;
	if (v >= UINT32_MAX - 1)
		return -1;
	if (!g->chunks[v >> CHUNK_BITS] && !(g->chunks[v >> CHUNK_BITS] = adr__reallocarray(NULL, CHUNK_LEN, sizeof(node))))
		return -1;
	memset(NODE(g, v), 0, sizeof(node));
	git_oid_cpy(&NODE(g, v)->id, id);
	g->slots[i].key = key;
	g->slots[i].node = (uint32_t)++g->nnodes;
	g->count++;
	return (int64_t)v;
}

static void graph_free(graph *g)
{
	if (g->chunks)
		for (size_t k = 0; k < MAX_CHUNKS && g->chunks[k]; k++)
			free(g->chunks[k]);
	free(g->chunks);
	free(g->slots);
	free(g->parents);
	memset(g, 0, sizeof(*g));
}

/* --- the revision walk's order, from the graph ------------------------------- */

/*
 * libgit2 1.5's revwalk with GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME from one
 * commit, nothing hidden (src/libgit2/revwalk.c): limit_list() lists the
 * commits reachable from the tip, then sort_in_topological_order() gives
 * each listed commit an in-degree of 1 plus one per child in the list, and
 * puts those left at 1 (the tips: from one commit, that commit alone, so
 * the order of the list does not matter) in a binary heap ordered by time
 * alone (util/pqueue.c). It takes out the top, lowers the in-degree of its
 * parents, in the header's order, and puts in each one that comes down to
 * 1. Which of two commits of the same time comes first is decided by the
 * heap's own moves, repeated here move for move: the facts of a record
 * (its first and last commits, the order of its commits) depend on it.
 */

/* libgit2's git_commit_list_time_cmp: newer first, no tie-break. */
static int time_cmp(const int64_t *t, uint32_t a, uint32_t b)
{
	return t[a] < t[b] ? 1 : t[a] > t[b] ? -1 : 0;
}

typedef struct {
	uint32_t *c;
	size_t len;
} heap;

/* git_pqueue_insert's pqueue_up */
static void heap_push(heap *h, const int64_t *t, uint32_t item)
{
	size_t el = h->len++;
	while (el > 0) {
		size_t up = (el - 1) >> 1;
		if (time_cmp(t, h->c[up], item) <= 0)
			break;
		h->c[el] = h->c[up];
		el = up;
	}
	h->c[el] = item;
}

/* git_pqueue_pop and its pqueue_down */
static uint32_t heap_pop(heap *h, const int64_t *t)
{
	uint32_t top = h->c[0], moved;
	size_t el = 0;

	if (--h->len == 0)
		return top;
	moved = h->c[h->len];
	for (;;) {
		size_t kid = (el << 1) + 1;
		if (kid >= h->len)
			break;
		if (kid + 1 < h->len && time_cmp(t, h->c[kid], h->c[kid + 1]) > 0)
			kid++;
		if (time_cmp(t, moved, h->c[kid]) <= 0)
			break;
		h->c[el] = h->c[kid];
		el = kid;
	}
	h->c[el] = moved;
	return top;
}

/* The place of each node (pos[node]) in the revision walk from node `tip`
 * (every node of `g` is reachable from it). */
static int walk_order(uint32_t *pos, const graph *g, uint32_t tip)
{
	size_t n = g->nnodes, out = 0;
	int64_t *t = adr__reallocarray(NULL, n, sizeof(*t));
	uint32_t *indeg = adr__reallocarray(NULL, n, sizeof(*indeg));
	heap h = { adr__reallocarray(NULL, n, sizeof(*h.c)), 0 };
	int rc = 0;

	if (!t || !indeg || !h.c) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t v = 0; v < n; v++) {
		t[v] = NODE(g, v)->time;
		indeg[v] = 1;
	}
	for (size_t v = 0; v < n; v++) {
		const node *nv = NODE(g, v);
		for (uint32_t i = 0; i < nv->npar; i++)
			indeg[g->parents[nv->par + i]]++;
	}
	heap_push(&h, t, tip);
	while (h.len) {
		uint32_t c = heap_pop(&h, t);
		const node *nc = NODE(g, c);
		for (uint32_t i = 0; i < nc->npar; i++) {
			uint32_t p = g->parents[nc->par + i];
			if (indeg[p] && --indeg[p] == 1)
				heap_push(&h, t, p);
		}
		indeg[c] = 0;
		pos[c] = (uint32_t)out++;
	}
cleanup:
	free(t);
	free(indeg);
	free(h.c);
	return rc;
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

/* --- the commits read, handed to the tree reader ------------------------------ */

/* A commit whose header was read, and its tree, for the tree reader. The
 * walker adds chunks, the tree reader frees each one it is done with. */
typedef struct {
	git_oid tree;
	uint32_t node;
} seen_commit;

typedef struct {
	seen_commit **chunks;       /* MAX_CHUNKS pointers */
	graph *g;                   /* the tree reader sets each node's dir */
	size_t count;               /* written by the walker */
} handoff;

static seen_commit *seen_at(const handoff *ho, size_t k)
{
	return &ho->chunks[k >> CHUNK_BITS][k & (CHUNK_LEN - 1)];
}

/* Sets up `ho` for the nodes of `g`, and the nodes' chunks. */
static int handoff_init(handoff *ho, graph *g)
{
	memset(ho, 0, sizeof(*ho));
	ho->g = g;
	if (!(ho->chunks = adr__calloc(MAX_CHUNKS, sizeof(*ho->chunks))) ||
	    !(g->chunks = adr__calloc(MAX_CHUNKS, sizeof(*g->chunks))))
		return ADR_ENOMEM;
	return 0;
}

static void handoff_chunks_free(handoff *ho)
{
	for (size_t k = 0; ho->chunks && k <= (ho->count >> CHUNK_BITS) && k < MAX_CHUNKS; k++)
		free(ho->chunks[k]);
	free(ho->chunks);
	ho->chunks = NULL;
}

static void handoff_free(handoff *ho)
{
	handoff_chunks_free(ho);
}

/* --- the tree reader ------------------------------------------------------------ */

typedef struct {
	handoff *ho;
	git_repository *git;        /* its own handle */
	git_odb *odb;
	const char *dir;            /* the records directory */
	struct {
		git_oid tree, next;     /* the last tree read at this depth of the path, and
					 * what the path's next part is in it */
	} memo[8];
	git_oid *dirs;              /* the records directories met (zero: none) */
	size_t ndirs, adirs;
} tree_reader;

/* adr__raw_records_dir(), remembering the last tree read at each depth:
 * commits that change only other directories share the trees below the
 * root on the path to the records directory. */
static int path_dir(git_oid *out, tree_reader *r, const git_oid *root)
{
	const char *path = r->dir;
	git_oid cur = *root;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t depth = 0; *path; depth++) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		git_odb_object *t = NULL;
		unsigned mode = 0;
		git_oid next;
		if (depth < 8 && !git_oid_is_zero(&r->memo[depth].tree) && git_oid_equal(&r->memo[depth].tree, &cur)) {
			next = r->memo[depth].next;
		} else {
			if ((rc = adr__raw_tree_read(&t, r->odb, &cur)) < 0)
				return rc;
			rc = adr__raw_tree_find(t, path, n, &next, &mode);
			git_odb_object_free(t);
			if (rc < 0)
				return rc;
			if (rc == 0 || mode != 040000)
				memset(&next, 0, sizeof(next));
			if (depth < 8) {
				r->memo[depth].tree = cur;
				r->memo[depth].next = next;
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

/* Index of `dir` in r->dirs (kept once in a row). */
static int dir_index(uint32_t *out, tree_reader *r, const git_oid *dir)
{
	if (!r->ndirs || !git_oid_equal(&r->dirs[r->ndirs - 1], dir)) {
		if (r->ndirs >= UINT32_MAX || ADR_ARRAY_GROW(r->dirs, r->adirs, r->ndirs + 1) < 0)
			return ADR_ENOMEM;
		r->dirs[r->ndirs++] = *dir;
	}
	*out = (uint32_t)(r->ndirs - 1);
	return 0;
}

static int read_trees(tree_reader *r)
{
	handoff *ho = r->ho;
	int rc = 0;

	for (size_t k = 0; k < ho->count && rc == 0;) {
		seen_commit *sc = seen_at(ho, k++);
		git_oid dir;
		if ((rc = path_dir(&dir, r, &sc->tree)) == 0)
			rc = dir_index(&NODE(ho->g, sc->node)->dir, r, &dir);
		if ((k & (CHUNK_LEN - 1)) == 0) {
			free(ho->chunks[(k - 1) >> CHUNK_BITS]);
			ho->chunks[(k - 1) >> CHUNK_BITS] = NULL;
		}
	}
	return rc;
}

/* --- the walker: the commits' headers ------------------------------------------ */

typedef struct {
	git_repository *git;
	git_odb *odb;
	graph g;
	handoff *ho;
	const git_oid *tip;
	git_oid *pbuf;              /* the parents of the header last read */
	size_t apbuf;
	unsigned long examined;
} walker;

typedef struct {
	git_oid tree;
	int64_t time;
	size_t nparents;            /* in walker.pbuf */
} header;

/* A signature line as libgit2 reads it ("<name> <<email>> <time> <tz>"):
 * the time, or false when it is not the usual shape (then libgit2 reads
 * the commit, and says what is wrong with it). */
static bool parse_sig(int64_t *time, const char *p, const char *end)
{
	const char *lt = NULL, *gt = NULL;
	int64_t t = 0;
	int digits = 0;

	for (const char *q = p; q < end; q++) {
		if (*q == '<')
			lt = q;
		else if (*q == '>')
			gt = q;
	}
	if (!lt || !gt || gt <= lt || end - gt < 3 || gt[1] != ' ')
		return false;
	for (p = gt + 2; p < end && *p >= '0' && *p <= '9' && digits < 18; p++, digits++)
		t = t * 10 + (*p - '0');
	if (!digits || (p < end && *p != ' '))
		return false;
	*time = t;
	return true;
}

static bool parse_header(header *h, walker *w, const char *p, size_t n)
{
	const char *end = p + n, *eol;
	int64_t ignored;

	h->nparents = 0;
	if (n < 46 || memcmp(p, "tree ", 5) != 0 || p[45] != '\n' || git_oid_fromstrn(&h->tree, p + 5, 40) < 0)
		return false;
	p += 46;
	while (end - p >= 48 && memcmp(p, "parent ", 7) == 0) {
		if (p[47] != '\n' || ADR_ARRAY_GROW(w->pbuf, w->apbuf, h->nparents + 1) < 0 ||
		    git_oid_fromstrn(&w->pbuf[h->nparents], p + 7, 40) < 0)
			return false;
		h->nparents++;
		p += 48;
	}
	/* one author, then the committer, whose time the revision walk sorts by */
	if (end - p < 7 || memcmp(p, "author ", 7) != 0 || !(eol = memchr(p, '\n', (size_t)(end - p))) ||
	    !parse_sig(&ignored, p + 7, eol))
		return false;
	p = eol + 1;
	if (end - p < 10 || memcmp(p, "committer ", 10) != 0 || !(eol = memchr(p, '\n', (size_t)(end - p))))
		return false;
	return parse_sig(&h->time, p + 10, eol);
}

static int read_header(header *h, walker *w, const git_oid *id)
{
	git_odb_object *o = NULL;
	git_commit *c = NULL;
	bool ok = false;
	int rc;

	if (git_odb_read(&o, w->odb, id) == 0 && git_odb_object_type(o) == GIT_OBJECT_COMMIT)
		ok = parse_header(h, w, git_odb_object_data(o), git_odb_object_size(o));
	git_odb_object_free(o);
	if (ok)
		return 0;
	git_error_clear();
	adr_error_clear();
	if ((rc = git_commit_lookup(&c, w->git, id)) < 0)
		return adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(id));
	git_oid_cpy(&h->tree, git_commit_tree_id(c));
	h->time = (int64_t)git_commit_time(c);
	h->nparents = git_commit_parentcount(c);
	if ((rc = ADR_ARRAY_GROW(w->pbuf, w->apbuf, h->nparents + 1)) == 0)
		for (size_t i = 0; i < h->nparents; i++)
			git_oid_cpy(&w->pbuf[i], git_commit_parent_id(c, (unsigned)i));
	git_commit_free(c);
	return rc;
}

/* Reads the header of node `v`, adds its parents to the graph, pushes those
 * not read yet (the first one last, so it is next) and hands the commit to
 * the tree reader. */
static int visit(walker *w, uint32_t v, uint32_t **stack, size_t *top, size_t *alloc)
{
	handoff *ho = w->ho;
	header h;
	seen_commit *sc;
	int rc;

	if ((rc = read_header(&h, w, &NODE(&w->g, v)->id)) < 0)
		return rc;

	if (w->g.nparents + h.nparents >= 0x7fffffffu ||
	    ADR_ARRAY_GROW(w->g.parents, w->g.aparents, w->g.nparents + h.nparents + 1) < 0)
		return ADR_ENOMEM;
	NODE(&w->g, v)->time = h.time;
	NODE(&w->g, v)->par = (uint32_t)w->g.nparents;
	NODE(&w->g, v)->npar = (uint32_t)h.nparents & 0x7fffffffu;
	NODE(&w->g, v)->visited = 1;
	w->examined++;
	for (size_t i = 0; i < h.nparents; i++) {
		int64_t p = node_for(&w->g, &w->pbuf[i]);
		if (p < 0)
			return ADR_ENOMEM;
		w->g.parents[w->g.nparents++] = (uint32_t)p;
	}
	for (size_t i = h.nparents; i-- > 0;) {
		uint32_t p = w->g.parents[NODE(&w->g, v)->par + i];
		if (NODE(&w->g, p)->visited)
			continue;
		if (ADR_ARRAY_GROW(*stack, *alloc, *top + 1) < 0)
			return ADR_ENOMEM;
		(*stack)[(*top)++] = p;
	}
	if (!ho->chunks[ho->count >> CHUNK_BITS] &&
	    !(ho->chunks[ho->count >> CHUNK_BITS] = adr__reallocarray(NULL, CHUNK_LEN, sizeof(seen_commit))))
		return ADR_ENOMEM;
	sc = seen_at(ho, ho->count);
	sc->tree = h.tree;
	sc->node = v;
	ho->count++;
	return 0;
}

/* Reads every commit reachable from `tip`. */
static int walk_headers(walker *w, const git_oid *tip)
{
	uint32_t *stack = NULL;
	size_t top = 0, alloc = 0;
	int64_t t = node_for(&w->g, tip);
	int rc = 0;

	if (t < 0 || ADR_ARRAY_GROW(stack, alloc, 64) < 0)
		return ADR_ENOMEM;
	stack[top++] = (uint32_t)t;
	while (top && rc == 0) {
		uint32_t v = stack[--top];
		if (NODE(&w->g, v)->visited)
			continue;
		rc = visit(w, v, &stack, &top, &alloc);
	}
	free(stack);
	return rc;
}

/* --- the diffs, on both threads --------------------------------------------- */

typedef struct {
	adr__scan *scan;
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
	int rc = 0;

	for (size_t i = 0; i < it->set.count && rc >= 0; i++) {
		adr__raw_change *ch = &it->set.items[i];
		char plain[512];
		git_oid o;
		unsigned m;
		if (!ch->added || !adr__history_rename_plain(plain, sizeof(plain), d->dir, ch, &it->del))
			continue;
		ch->proposal = 0;
		if (git_oid_is_zero(&it->p2dir))
			continue;
		if (!pt && (rc = adr__raw_tree_read(&pt, d->odb, &it->p2dir)) < 0)
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

static int cmp_order(const void *a, const void *b)
{
	size_t x = ((const adr__scan_item *)a)->order, y = ((const adr__scan_item *)b)->order;
	return x < y ? -1 : x > y;
}

/* The commits whose records directory differs from their first parent's,
 * in the revision walk's order. */
static int list_changed(adr__scan *out, const graph *g, const tree_reader *r)
{
	uint32_t *pos = adr__reallocarray(NULL, g->nnodes ? g->nnodes : 1, sizeof(*pos));
	size_t alloc = 0;
	git_oid zero;
	int rc;

	memset(&zero, 0, sizeof(zero));
	if (!pos)
		return ADR_ENOMEM;
	if ((rc = walk_order(pos, g, 0)) < 0)
		goto cleanup;
	for (size_t v = 0; v < g->nnodes; v++) {
		const node *n = NODE(g, v);
		const git_oid *mine = &r->dirs[n->dir];
		const git_oid *theirs = n->npar ? &r->dirs[NODE(g, g->parents[n->par])->dir] : &zero;
		adr__scan_item *it;
		if (git_oid_equal(mine, theirs))
			continue;
		if ((rc = ADR_ARRAY_GROW(out->items, alloc, out->count + 1)) < 0)
			goto cleanup;
		it = &out->items[out->count++];
		memset(it, 0, sizeof(*it));
		it->id = n->id;
		it->dir = *mine;
		it->pdir = *theirs;
		it->nparents = n->npar;
		if (n->npar > 1)
			it->p2dir = r->dirs[NODE(g, g->parents[n->par + 1])->dir];
		it->order = pos[v];
	}
	qsort(out->items, out->count, sizeof(*out->items), cmp_order);
cleanup:
	free(pos);
	return rc;
}

/* Pass one up to the diffs: the graph, then each commit's records
 * directory, on this thread. A walker thread beside the tree reader was
 * slower: both read the packs through libgit2's window list, which one
 * process-wide lock guards, and on a code repository (1,000 records among
 * 100,000 commits) the two threads spent a fifth of their time on that
 * lock: 0.83 s against 0.67 s on one thread, and git's path-limited log
 * takes 0.71 s. On the generated log (every commit a record) one thread is
 * 5% slower, at 0.6 x git's plumbing. The trees are read on this thread,
 * which goes on to diff: what libgit2 keeps of them in its cache of delta
 * bases (up to 16 MB) is then freed and allocated again in one arena. */
static int scan_graph(walker *w, tree_reader *r)
{
	int rc = walk_headers(w, w->tip);
	if (rc < 0)
		return rc;
	return read_trees(r);
}

/* The walker's side of a scan: `ho` and the walker's object database. */
static int walker_init(walker *w, handoff *ho, adr_repo *repo, const git_oid *tip)
{
	int rc;

	memset(w, 0, sizeof(*w));
	w->git = adr__repo_git(repo);
	w->ho = ho;
	w->tip = tip;
	if ((rc = handoff_init(ho, &w->g)) < 0)
		return rc;
	if ((rc = git_repository_odb(&w->odb, w->git)) < 0)
		return adr__error_git(rc, "cannot open the object database");
	return 0;
}

static void walker_free(walker *w)
{
	graph_free(&w->g);
	free(w->pbuf);
	git_odb_free(w->odb);
	w->odb = NULL;
}

int adr__history_scan(adr__scan *out, adr_repo *repo, const git_oid *tip, bool one_thread)
{
	handoff ho;
	walker w;
	tree_reader r;
	differ d[2];
	pthread_t th;
	bool started = false, two;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	memset(d, 0, sizeof(d));
	r.ho = &ho;
	r.dir = adr_repo_records_dir(repo);
	if ((rc = walker_init(&w, &ho, repo, tip)) < 0 || (rc = open_own(&r.git, &r.odb, repo)) < 0)
		goto cleanup;
	if ((rc = scan_graph(&w, &r)) < 0)
		goto cleanup;
	out->examined = w.examined;
	if ((rc = list_changed(out, &w.g, &r)) < 0)
		goto cleanup;
	/* the graph is done with: the diffs need only the listed commits */
	graph_free(&w.g);
	handoff_chunks_free(&ho);
	/* The diffs, oldest first, on this thread and, when they are the bulk
	 * of the walk, on a second one too: libgit2 caches the delta bases it
	 * reads (up to 16 MB a pack, shared), and what a second thread caches
	 * lands in an arena of its own, next to what this thread's tree reads
	 * left in the main one. The records directory grows, and so does the
	 * cost of reading it: the newest 29% (1 - 1/sqrt 2) of the commits cost
	 * about as much as the rest when it grows steadily. */
	for (int i = 0; i < 2; i++) {
		d[i].scan = out;
		d[i].dir = r.dir;
	}
	two = !one_thread && out->count > CHUNK && out->count > out->examined / 8;
	d[1].to = two ? out->count * 293 / 1000 : out->count;
	d[0].from = d[1].to;
	d[0].to = out->count;
	d[0].odb = r.odb;
	d[1].odb = w.odb;
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
	handoff_free(&ho);
	walker_free(&w);
	free(r.dirs);
	git_odb_free(r.odb);
	git_repository_free(r.git);
	if (rc < 0)
		adr__scan_dispose(out);
	return rc;
}

int adr__history_scan_order(git_oid **out, size_t *count, adr_repo *repo, const git_oid *tip)
{
	handoff ho;
	walker w;
	uint32_t *pos = NULL;
	int rc;

	*out = NULL;
	*count = 0;
	if ((rc = walker_init(&w, &ho, repo, tip)) < 0 || (rc = walk_headers(&w, tip)) < 0)
		goto cleanup;
	if (!(pos = adr__reallocarray(NULL, w.g.nnodes, sizeof(*pos))) ||
	    !(*out = adr__reallocarray(NULL, w.g.nnodes, sizeof(**out)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = walk_order(pos, &w.g, 0)) < 0)
		goto cleanup;
	for (size_t v = 0; v < w.g.nnodes; v++)
		(*out)[pos[v]] = NODE(&w.g, v)->id;
	*count = w.g.nnodes;
cleanup:
	handoff_free(&ho);
	walker_free(&w);
	free(pos);
	if (rc < 0) {
		free(*out);
		*out = NULL;
	}
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
