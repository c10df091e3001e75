/* log/renumber.c: adr renumber, duplicate numbers fixed in one commit (see adr/renumber.h). */
#include "git/repo_internal.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/commit.h"
#include "adr/renumber.h"
#include "git/published.h"
#include "git/walk.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/path.h"

#define HISTORY_MAX 20000

typedef struct {
	adr_renumber_result *res;
	bool dry_run;
} rn_ctx;

/* For each record, the index (oldest first) of the first commit that has its file; INT_MAX when unknown. */
typedef struct {
	const adr_recordset *set;
	const char *dir;  /* the records directory */
	size_t *want;     /* only these records' first commits are wanted */
	size_t nwant;
	int *seen;
	size_t left;      /* wanted records not seen yet */
	int idx;          /* commits walked */
	git_oid last_dir; /* the records directory's tree in the commit before */
	adr_repo *repo;   /* for its progress callback */
} seen_walk;

/* The records directory's tree in commit `c` (*out NULL when it has none). */
static int commit_dir(git_tree **out, git_oid *id, git_commit *c, const char *dir)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	int rc;

	*out = NULL;
	if ((rc = git_commit_tree(&root, c)) == 0 && (rc = git_tree_entry_bypath(&e, root, dir)) == 0) {
		git_oid_cpy(id, git_tree_entry_id(e));
		rc = git_tree_entry_type(e) == GIT_OBJECT_TREE ? git_tree_lookup(out, git_tree_owner(root), id) : 0;
	} else if (rc == GIT_ENOTFOUND) {
		memset(id, 0, sizeof(*id));
		rc = 0;
	}
	git_tree_entry_free(e);
	git_tree_free(root);
	return rc;
}

/* One commit, oldest first: the wanted records its records directory holds
 * that no older commit held. A commit whose directory is the same tree as
 * the previous one's adds nothing. A commit or tree that cannot be read is
 * an error: skipping it would make another record look older and keep the
 * number instead. */
static int seen_commit(git_commit *c, void *payload)
{
	seen_walk *w = payload;
	git_tree *dir = NULL;
	git_oid id;
	int rc;

	if (!w->left || w->idx >= HISTORY_MAX)
		return 1;
	adr__repo_progress(w->repo, "commits", (size_t)w->idx + 1, 0);
	rc = commit_dir(&dir, &id, c, w->dir);
	if (rc == 0 && w->idx > 0 && git_oid_equal(&id, &w->last_dir)) {
		git_tree_free(dir);
		w->idx++;
		return 0;
	}
	git_oid_cpy(&w->last_dir, &id);
	for (size_t k = 0; k < w->nwant && rc == 0 && dir; k++) {
		size_t i = w->want[k];
		if (w->seen[i] == INT_MAX && git_tree_entry_byname(dir, adr__path_base(w->set->items[i]->path))) {
			w->seen[i] = w->idx;
			w->left--;
		}
	}
	git_tree_free(dir);
	if (rc < 0)
		return adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(git_commit_id(c)));
	w->idx++;
	return 0;
}

/* seen[i]: the index (oldest first) of the first commit of the change's
 * base that holds record i, INT_MAX when none does; computed only for the
 * records `need` names (those sharing a number), and no walk at all when
 * there are none. */
static int first_seen(adr_change *ch, const adr_recordset *set, const bool *need, int *seen)
{
	seen_walk w;
	adr__walk_opts o;
	git_oid base;
	int rc;

	memset(&w, 0, sizeof(w));
	w.set = set;
	w.seen = seen;
	w.dir = adr_change_repo(ch)->records_dir;
	w.repo = adr_change_repo(ch);
	for (size_t i = 0; i < set->count; i++) {
		seen[i] = INT_MAX;
		w.left += need[i] && set->items[i]->path;
	}
	if (!*adr_change_base(ch) || !w.left)
		return 0;
	if ((rc = git_oid_fromstr(&base, adr_change_base(ch))) < 0)
		return adr__error_git(rc, "cannot walk the history");
	if (!(w.want = adr__calloc(w.left, sizeof(*w.want))))
		return ADR_ENOMEM;
	for (size_t i = 0; i < set->count; i++)
		if (need[i] && set->items[i]->path)
			w.want[w.nwant++] = i;
	memset(&o, 0, sizeof(o));
	o.from = &base;
	o.oldest_first = true;
	o.what = "the history";
	rc = adr__walk(adr_change_repo(ch), &o, seen_commit, &w);
	free(w.want);
	return rc;
}

/* Replaces `](old)` and `](./old)` link targets by `new`; returns how many. */
static size_t rewrite_body(char **body, const char *old_name, const char *new_name)
{
	adr_buf b = ADR_BUF_INIT;
	size_t on = strlen(old_name), count = 0;
	const char *s = *body;
	while (*s) {
		const char *m = strstr(s, "](");
		const char *t;
		if (!m) {
			adr_buf_puts(&b, s);
			break;
		}
		t = m + 2;
		if (t[0] == '.' && t[1] == '/')
			t += 2;
		adr_buf_put(&b, s, (size_t)(t - s));
		if (!strncmp(t, old_name, on) && (t[on] == ')' || t[on] == '#' || t[on] == ' ')) {
			adr_buf_puts(&b, new_name);
			s = t + on;
			count++;
		} else {
			s = t;
		}
	}
	if (count && !adr_buf_oom(&b)) {
		free(*body);
		*body = adr_buf_detach(&b);
	}
	adr_buf_dispose(&b);
	return count;
}

/* "# 7. Title" -> "# 12. Title" at the first H1. */
static int renumber_heading(char **body, int old_n, int new_n)
{
	char *p = *body;
	char prefix[32];
	int pn = snprintf(prefix, sizeof(prefix), "# %d. ", old_n);
	while (p && *p) {
		if (!strncmp(p, "# ", 2)) {
			adr_buf b = ADR_BUF_INIT;
			if (strncmp(p, prefix, (size_t)pn))
				return 0;
			adr_buf_put(&b, *body, (size_t)(p - *body));
			adr_buf_printf(&b, "# %d. ", new_n);
			adr_buf_puts(&b, p + pn);
			if (adr_buf_oom(&b)) {
				adr_buf_dispose(&b);
				return ADR_ENOMEM;
			}
			free(*body);
			*body = adr_buf_detach(&b);
			return 0;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

/* A rerun after a lost race starts over. */
static void reset_result(adr_renumber_result *res)
{
	for (size_t i = 0; i < res->count; i++) {
		free(res->items[i].old_path);
		free(res->items[i].new_path);
		free(res->items[i].kept_path);
	}
	res->count = 0;
	res->records_rewritten = 0;
}

/* True when record j has the better claim to the number than record k: a
 * published one, else the one added first, else the first by file name. */
static bool claims_before(adr_record **copy, const int *seen, const bool *pub, size_t j, size_t k)
{
	if (pub[j] != pub[k])
		return pub[j];
	if (seen[j] != seen[k])
		return seen[j] < seen[k];
	return strcmp(adr__path_base(copy[j]->path), adr__path_base(copy[k]->path)) < 0;
}

/* A record's number and its index in the set, to sort by both. */
typedef struct {
	int number;
	size_t idx;
} num_idx;

static int cmp_num_idx(const void *a, const void *b)
{
	const num_idx *x = a, *y = b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* The record indexes grouped by number, into `order`. */
static int group_by_number(size_t *order, adr_record **copy, size_t n)
{
	num_idx *v = adr__calloc(n + 1, sizeof(*v));
	if (!v)
		return ADR_ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = (num_idx){ copy[i]->number, i };
	qsort(v, n, sizeof(*v), cmp_num_idx);
	for (size_t i = 0; i < n; i++)
		order[i] = v[i].idx;
	free(v);
	return 0;
}

/* need[i]: whether the plan must know when record i was added, because it
 * shares its number with another record and publication alone does not
 * settle it (claims_before): every record of a group where none is
 * published, and the published ones where several are. */
static void mark_need(bool *need, const size_t *order, adr_record **copy, const bool *pub, size_t n)
{
	for (size_t a = 0, b; a < n; a = b) {
		size_t published = 0;
		for (b = a + 1; b < n && copy[order[b]]->number == copy[order[a]]->number; b++)
			;
		if (copy[order[a]]->number < 0 || b - a < 2)
			continue;
		for (size_t k = a; k < b; k++)
			published += pub[order[k]];
		for (size_t k = a; k < b; k++)
			need[order[k]] = published == 0 || (published > 1 && pub[order[k]]);
	}
}

/* Which records move: all but the one of each number with the best claim
 * (claims_before). Sets newnum[i] to the number record i gets, from *next
 * on, and keep_of[i] to the record that keeps its old one; -2 in newnum
 * for the one that keeps it; -1 stays for the others. Numbers are handed
 * out group by group, in the order of each group's first record in the
 * set, and within a group in the set's order. `order` is group_by_number's. */
static void plan_moves(adr_record **copy, size_t n, const size_t *order, const int *seen, const bool *pub,
		       int *newnum, size_t *keep_of, int *next)
{
	for (size_t i = 0; i < n; i++) {
		size_t lo = 0, hi = n, keep = i;
		if (copy[i]->number < 0 || newnum[i] >= 0 || newnum[i] == -2)
			continue;
		/* the group of copy[i]'s number in `order`: [lo, hi) */
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (copy[order[mid]]->number < copy[i]->number)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (hi = lo; hi < n && copy[order[hi]]->number == copy[i]->number; hi++)
			;
		if (hi - lo < 2)
			continue;
		for (size_t k = lo; k < hi; k++)
			if (order[k] != i && claims_before(copy, seen, pub, order[k], keep))
				keep = order[k];
		for (size_t k = lo; k < hi; k++)
			if (order[k] != keep && newnum[order[k]] < 0) {
				newnum[order[k]] = (*next)++;
				keep_of[order[k]] = keep;
			}
		newnum[keep] = -2; /* stays */
	}
}

static adr_renumber_reason reason_of(const int *seen, const bool *pub, size_t keep, size_t moved)
{
	if (pub[keep] && !pub[moved])
		return ADR_RENUMBER_PUBLISHED;
	return seen[keep] < seen[moved] ? ADR_RENUMBER_OLDER : ADR_RENUMBER_BY_NAME;
}

const char *adr_renumber_reason_name(adr_renumber_reason reason)
{
	switch (reason) {
	case ADR_RENUMBER_PUBLISHED: return "published";
	case ADR_RENUMBER_OLDER: return "older";
	case ADR_RENUMBER_BY_NAME: return "name";
	default: return "";
	}
}

/* Adds to `res` the move of record `r` to number `to`, file name `name`
 * beside its old one; `path` gets the new path. */
static int add_move(adr_renumber_result *res, const adr_record *r, int to, const char *name, adr_buf *path)
{
	adr_renumber_item *it;
	const char *slash;

	it = adr__reallocarray(res->items, res->count + 1, sizeof(*it));
	ADR_ALLOC_CHECK(it);
	res->items = it;
	it = &res->items[res->count];
	adr_buf_clear(path);
	slash = strrchr(r->path, '/');
	if (slash)
		adr_buf_put(path, r->path, (size_t)(slash - r->path) + 1);
	adr_buf_puts(path, name);
	it->old_path = adr__strdup(r->path);
	it->new_path = it->old_path ? adr__strdup(path->ptr) : NULL;
	it->old_number = r->number;
	it->new_number = to;
	it->kept_path = NULL;
	it->published = it->kept_published = false;
	it->reason = ADR_RENUMBER_OLDER;
	if (!it->old_path || !it->new_path || adr_buf_oom(path)) {
		free(it->old_path);
		free(it->new_path);
		return ADR_ENOMEM;
	}
	res->count++;
	return 0;
}

/* Points what the other records say about copy[i] (by its number `old`)
 * at its new number: those it answers with the reverse relation. */
static void repoint_refs(adr_record **copy, size_t n, size_t i, int old, int to, bool *dirty)
{
	const adr_record *r = copy[i];
	for (size_t j = 0; j < n; j++) {
		adr_record *x = copy[j];
		if (j == i || x->number < 0)
			continue;
		if (adr_intlist_contains(&r->superseded_by, x->number) && adr_intlist_replace(&x->supersedes, old, to))
			dirty[j] = true;
		if (adr_intlist_contains(&r->supersedes, x->number) && adr_intlist_replace(&x->superseded_by, old, to))
			dirty[j] = true;
		if (adr_record_links_to(r, x->number))
			for (size_t k = 0; k < x->nlinks; k++)
				if (x->links[k].target == old) {
					x->links[k].target = to;
					dirty[j] = true;
				}
	}
}

/* Moves copy[i] to number newnum[i]: its result item, the references and
 * Markdown links to it in every record, its heading, its path. */
static int move_record(adr_renumber_result *res, adr_record **copy, size_t n, size_t i, const int *newnum,
		       bool *dirty)
{
	adr_record *r = copy[i];
	adr_buf name = ADR_BUF_INIT, path = ADR_BUF_INIT;
	int rc, old = r->number;

	if ((rc = adr_record_filename(&name, newnum[i], r->slug ? r->slug : "")) < 0 ||
	    (rc = add_move(res, r, newnum[i], name.ptr, &path)) < 0)
		goto cleanup;
	repoint_refs(copy, n, i, old, newnum[i], dirty);
	/* Markdown links to the old file name, everywhere */
	for (size_t j = 0; j < n; j++)
		if (copy[j]->body && rewrite_body(&copy[j]->body, adr__path_base(res->items[res->count - 1].old_path), name.ptr))
			dirty[j] = true;
	if ((rc = renumber_heading(&r->body, old, newnum[i])) < 0)
		goto cleanup;
	r->number = newnum[i];
	free(r->path);
	r->path = adr__strdup(path.ptr);
	if (!r->path) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	dirty[i] = true;
cleanup:
	adr_buf_dispose(&name);
	adr_buf_dispose(&path);
	return rc;
}

/* pub[i]: whether paths[i] is on a published tip of `branch`. */
static int published_flags(bool *pub, adr_repo *repo, const char *branch, const char *const *paths, size_t count)
{
	adr__published p = ADR__PUBLISHED_INIT;
	int rc;
	if ((rc = adr__published_load(&p, repo, branch)) < 0)
		return rc;
	for (size_t i = 0; i < count; i++) {
		pub[i] = false;
		if (paths[i] && (rc = adr__published_has(&p, paths[i], NULL, NULL)) < 0)
			break;
		pub[i] = rc == 1;
		rc = 0;
	}
	adr__published_dispose(&p);
	return rc;
}

int adr_renumber_published(bool *out, adr_repo *repo, const char *const *paths, size_t count)
{
	return published_flags(out, repo, NULL, paths, count);
}

/* The same for the records of `set`. */
static int published_records(bool *pub, adr_change *ch, const adr_recordset *set)
{
	const char **paths = adr__calloc(set->count + 1, sizeof(*paths));
	int rc;
	if (!paths)
		return ADR_ENOMEM;
	for (size_t i = 0; i < set->count; i++)
		paths[i] = set->items[i]->path;
	rc = published_flags(pub, adr_change_repo(ch), adr_change_branch(ch), paths, set->count);
	free(paths);
	return rc;
}

/* Moves every record the plan moves, saying for each which record keeps
 * its old number and why. */
static int move_all(adr_renumber_result *res, adr_record **copy, size_t n, const int *newnum, const size_t *keep_of,
		    const int *seen, const bool *pub, bool *dirty)
{
	int rc;
	for (size_t i = 0; i < n; i++) {
		adr_renumber_item *it;
		if (newnum[i] < 0)
			continue;
		if ((rc = move_record(res, copy, n, i, newnum, dirty)) < 0)
			return rc;
		it = &res->items[res->count - 1];
		it->published = pub[i];
		it->kept_published = pub[keep_of[i]];
		it->reason = reason_of(seen, pub, keep_of[i], i);
		if (!(it->kept_path = adr__strdup(copy[keep_of[i]]->path)))
			return ADR_ENOMEM;
	}
	return 0;
}

static int renumber_fn(adr_change *ch, void *payload)
{
	rn_ctx *c = payload;
	adr_renumber_result *res = c->res;
	adr_recordset *tip;
	adr_record **copy = NULL;
	int *seen = NULL, *newnum = NULL, next;
	bool *dirty = NULL, *pub = NULL, *need = NULL;
	size_t n, *keep_of = NULL, *order = NULL;
	int rc;

	reset_result(res);
	if ((rc = adr_change_records(ch, &tip)) < 0)
		return rc;
	if (tip->errors.count)
		return adr__error(ADR_EINVALID, "%s; fix it before renumbering", tip->errors.items[0]);
	n = tip->count;
	if (!(seen = adr__calloc(n + 1, sizeof(*seen))) || !(newnum = adr__calloc(n + 1, sizeof(*newnum))) ||
	    !(dirty = adr__calloc(n + 1, sizeof(*dirty))) || !(copy = adr__calloc(n + 1, sizeof(*copy))) ||
	    !(pub = adr__calloc(n + 1, sizeof(*pub))) || !(keep_of = adr__calloc(n + 1, sizeof(*keep_of))) ||
	    !(need = adr__calloc(n + 1, sizeof(*need))) || !(order = adr__calloc(n + 1, sizeof(*order)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++) {
		newnum[i] = -1;
		if ((rc = adr_record_dup(&copy[i], tip->items[i])) < 0)
			goto cleanup;
	}
	if ((rc = group_by_number(order, copy, n)) < 0 || (rc = published_records(pub, ch, tip)) < 0)
		goto cleanup;
	mark_need(need, order, copy, pub, n);
	if ((rc = first_seen(ch, tip, need, seen)) < 0 || (rc = adr_change_next_number(ch, &next)) < 0)
		goto cleanup;
	plan_moves(copy, n, order, seen, pub, newnum, keep_of, &next);
	if ((rc = move_all(res, copy, n, newnum, keep_of, seen, pub, dirty)) < 0)
		goto cleanup;
	if (!res->count) {
		rc = 0;
		goto cleanup;
	}
	for (size_t i = 0; i < n; i++)
		if (dirty[i] && newnum[i] < 0)
			res->records_rewritten++;
	if (c->dry_run) {
		rc = 0;
		goto cleanup;
	}
	for (size_t i = 0; i < res->count; i++)
		if (adr_change_exists(ch, res->items[i].new_path)) {
			rc = adr__error(ADR_EEXISTS, "'%s' already exists", res->items[i].new_path);
			goto cleanup;
		}
	for (size_t i = 0; i < res->count; i++)
		if ((rc = adr_change_delete(ch, res->items[i].old_path)) < 0)
			goto cleanup;
	for (size_t i = 0; i < n; i++)
		if (dirty[i] && (rc = adr_change_write_record(ch, copy[i])) < 0)
			goto cleanup;
	if ((rc = adr_change_set_subject(ch, "adr: renumber %zu record%s", res->count, res->count == 1 ? "" : "s")) < 0 ||
	    (rc = adr_change_add_trailer(ch, ADR_TRAILER_ACTION, "renumber")) < 0)
		goto cleanup;
	for (size_t i = 0; i < res->count; i++) {
		/* "0014 -> 0016 use-pnpm": references follow the move (adr/links.h) */
		adr_buf v = ADR_BUF_INIT, slug = ADR_BUF_INIT;
		int num;
		adr_buf_printf(&v, "%04d -> %04d", res->items[i].old_number, res->items[i].new_number);
		if (adr_record_parse_filename(&num, &slug, res->items[i].new_path) == 0 && slug.size &&
		    strcspn(slug.ptr, "\r\n") == slug.size)
			adr_buf_printf(&v, " %s", slug.ptr);
		rc = adr_buf_oom(&v) || adr_buf_oom(&slug) ? ADR_ENOMEM
							    : adr_change_add_trailer(ch, ADR_TRAILER_RENUMBER, v.ptr);
		adr_buf_dispose(&v);
		adr_buf_dispose(&slug);
		if (rc < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	for (size_t i = 0; copy && i < n; i++)
		adr_record_free(copy[i]);
	free(copy);
	free(seen);
	free(newnum);
	free(dirty);
	free(pub);
	free(keep_of);
	free(need);
	free(order);
	return rc;
}

/* A dry run stages nothing, so no commit is made. */
int adr_renumber_run(adr_renumber_result *out, adr_repo *repo, bool dry_run)
{
	rn_ctx c = { out, dry_run };
	return adr_repo_commit(&out->commit, repo, renumber_fn, &c, NULL);
}

void adr_renumber_result_dispose(adr_renumber_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->count; i++) {
		free(res->items[i].old_path);
		free(res->items[i].new_path);
		free(res->items[i].kept_path);
	}
	free(res->items);
	res->items = NULL;
	res->count = 0;
	adr_commit_result_dispose(&res->commit);
}
