/*
 * log/refs.c: references that survive renumbering (log/refs_internal.h).
 *
 * A number a commit names means the record that had that number in the
 * commit's own tree (adr/links.h states the rule for users). Resolving it:
 *
 *   1. A number no renumbering ever moved (no `Adr-Renumber:` names it as
 *      old or new number) and that one current record carries means that
 *      record: no tree is read.
 *   2. Otherwise the commit's tree says which file carried the number (for
 *      a commit whose tree has no records directory, its nearest
 *      first-parent ancestor that has one): its slug, the file name after
 *      the number. Two files with the number: the one the commit itself
 *      changed, else the reference is ambiguous.
 *   3. The (number, slug) pair follows adr's renumber moves oldest first:
 *      a move `OLD -> NEW SLUG` whose OLD and SLUG match takes it to NEW.
 *      Moves written before the slug was part of the trailer take the slug
 *      of the file numbered NEW in the renumber commit's tree.
 *   4. The current record with that number and slug is the one; failing
 *      that, when no move applied, the one current record with that slug
 *      (a renumbering done by hand); failing that, the reference is not
 *      attributed and the problem is said.
 *
 * Trees are read only for the few numbers renumbering involves, and one
 * lookup of a records directory per (tree, number) is kept, so commits that
 * share a records directory (code commits between decisions) share it.
 */
#include "log/refs_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/record.h"
#include "git/repo_internal.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"

/* How far a commit without a records directory looks back for one. */
#define ANCESTOR_MAX 10000

typedef struct {
	int number;
	char *slug;
	char *path;
} cur_rec;

typedef struct {
	int old, new;
	char *slug;        /* NULL until known */
	git_oid commit;    /* the renumber commit */
} move;

/* The files numbered `number` in records directory `dir`. */
typedef struct {
	git_oid dir;
	int number;
	adr_strlist names;
} memo;

struct adr__refs {
	adr_repo *repo;
	git_repository *git;
	const char *dir;
	cur_rec *cur;      /* sorted by number */
	size_t ncur, acur;
	move *moves;       /* newest first until `ordered` */
	size_t nmoves, amoves;
	bool ordered;
	memo *memo;
	size_t nmemo, amemo;
};

static int cmp_cur(const void *a, const void *b)
{
	const cur_rec *x = a, *y = b;
	return x->number != y->number ? (x->number < y->number ? -1 : 1) : strcmp(x->path, y->path);
}

/* number and slug of a record file name; false for anything else */
static bool record_name(int *number, adr_buf *slug, const git_tree_entry *e)
{
	const char *name = git_tree_entry_name(e);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || !adr__is_markdown(name))
		return false;
	if (adr_record_parse_filename(number, slug, name) < 0) {
		adr_error_clear();
		return false;
	}
	return true;
}

/* The id of the records directory of `commit`'s tree; *has false when it
 * has none. Only the small trees above it are read: a records directory
 * of thousands of entries is too large for libgit2's object cache, so it
 * is read only when its lookups are not known yet (numbered()). */
static int dir_id(git_oid *out, bool *has, adr__refs *r, git_commit *commit)
{
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	int rc;

	*has = false;
	if ((rc = git_commit_tree(&root, commit)) < 0)
		return rc;
	rc = git_tree_entry_bypath(&e, root, r->dir);
	if (rc == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		*out = *git_tree_entry_id(e);
		*has = true;
	} else if (rc == 0 || rc == GIT_ENOTFOUND) {
		rc = 0;
	}
	git_tree_entry_free(e);
	git_tree_free(root);
	return rc;
}

/* The records directory of `commit`'s tree in *out, NULL when it has none. */
static int dir_of(git_tree **out, adr__refs *r, git_commit *commit)
{
	git_oid id;
	bool has;
	int rc;

	*out = NULL;
	if ((rc = dir_id(&id, &has, r, commit)) < 0 || !has)
		return rc;
	return git_tree_lookup(out, r->git, &id);
}

static int add_cur(adr__refs *r, const git_tree_entry *e, adr_buf *slug)
{
	cur_rec *c;
	int n;
	if (!record_name(&n, slug, e))
		return 0;
	if (ADR_ARRAY_GROW(r->cur, r->acur, r->ncur + 1) < 0)
		return ADR_ENOMEM;
	c = &r->cur[r->ncur];
	c->number = n;
	c->slug = adr__strdup(slug->ptr);
	c->path = c->slug ? adr__malloc(strlen(r->dir) + strlen(git_tree_entry_name(e)) + 2) : NULL;
	if (!c->path) {
		free(c->slug);
		return ADR_ENOMEM;
	}
	sprintf(c->path, "%s/%s", r->dir, git_tree_entry_name(e));
	r->ncur++;
	return 0;
}

/* At most this many records added between the two tips are checked one by one. */
#define SAME_ADDED_MAX 64

static int tip_dir(git_tree **out, adr__refs *r, const git_oid *tip)
{
	git_commit *c = NULL;
	int rc = git_commit_lookup(&c, r->git, tip);
	if (rc == 0)
		rc = dir_of(out, r, c);
	git_commit_free(c);
	return rc;
}

/* True when a record of `dir` other than `self` has `slug`. */
static bool slug_taken(const git_tree *dir, const char *slug, adr_buf *tmp)
{
	for (size_t i = 0; i < git_tree_entrycount(dir); i++) {
		int n;
		if (record_name(&n, tmp, git_tree_entry_byindex(dir, i)) && strcmp(tmp->ptr, slug) == 0)
			return true;
	}
	return false;
}

int adr__refs_same_records(bool *same, adr_repo *repo, const git_oid *old_tip, const git_oid *new_tip,
			   const adr_intlist *taken)
{
	adr__refs r = { 0 };
	git_tree *old_dir = NULL, *new_dir = NULL;
	adr_buf slug = ADR_BUF_INIT, tmp = ADR_BUF_INIT;
	size_t added = 0;
	int rc = 0;

	*same = false;
	r.repo = repo;
	r.git = adr__repo_git(repo);
	r.dir = adr_repo_records_dir(repo);
	if (tip_dir(&old_dir, &r, old_tip) < 0 || tip_dir(&new_dir, &r, new_tip) < 0 || !old_dir || !new_dir)
		goto cleanup;
	if (git_tree_entrycount(new_dir) < git_tree_entrycount(old_dir) ||
	    git_tree_entrycount(new_dir) - git_tree_entrycount(old_dir) > SAME_ADDED_MAX)
		goto cleanup;
	for (size_t i = 0; i < git_tree_entrycount(old_dir); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(old_dir, i);
		const git_tree_entry *now = git_tree_entry_byname(new_dir, git_tree_entry_name(e));
		if (!now || git_tree_entry_type(now) != git_tree_entry_type(e))
			goto cleanup;
	}
	for (size_t i = 0; i < git_tree_entrycount(new_dir); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(new_dir, i);
		int n;
		if (git_tree_entry_byname(old_dir, git_tree_entry_name(e)) || !record_name(&n, &slug, e))
			continue;
		if (++added > SAME_ADDED_MAX || adr_buf_oom(&slug) || adr_intlist_contains(taken, n) ||
		    slug_taken(old_dir, slug.ptr, &tmp))
			goto cleanup;
	}
	*same = true;
cleanup:
	rc = adr_buf_oom(&slug) || adr_buf_oom(&tmp) ? ADR_ENOMEM : 0;
	adr_buf_dispose(&slug);
	adr_buf_dispose(&tmp);
	git_tree_free(old_dir);
	git_tree_free(new_dir);
	git_error_clear();
	adr_error_clear();
	return rc;
}

int adr__refs_new(adr__refs **out, adr_repo *repo)
{
	adr__refs *r = adr__calloc(1, sizeof(*r));
	*out = NULL;
	ADR_ALLOC_CHECK(r);
	r->repo = repo;
	r->git = adr__repo_git(repo);
	r->dir = adr_repo_records_dir(repo);
	*out = r;
	return 0;
}

int adr__refs_read_records(adr__refs *r, const char *rev)
{
	git_commit *tip = NULL;
	git_tree *dir = NULL;
	adr_buf slug = ADR_BUF_INIT;
	int rc;

	rc = adr__resolve_commit(&tip, r->repo, rev);
	if (rc == ADR_ENOTFOUND && !rev) { /* an unborn branch: no records */
		adr_error_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	if ((rc = dir_of(&dir, r, tip)) < 0) {
		const char *what = rev ? rev : adr_repo_branch(r->repo);
		rc = adr__error_git(rc, "cannot read the records of %s", what);
	}
	for (size_t i = 0; dir && i < git_tree_entrycount(dir) && rc == 0; i++)
		rc = add_cur(r, git_tree_entry_byindex(dir, i), &slug);
	if (r->ncur)
		qsort(r->cur, r->ncur, sizeof(*r->cur), cmp_cur);
	adr_buf_dispose(&slug);
	git_tree_free(dir);
	git_commit_free(tip);
	return rc;
}

void adr__refs_free(adr__refs *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->ncur; i++) {
		free(r->cur[i].slug);
		free(r->cur[i].path);
	}
	for (size_t i = 0; i < r->nmoves; i++)
		free(r->moves[i].slug);
	for (size_t i = 0; i < r->nmemo; i++)
		adr_strlist_dispose(&r->memo[i].names);
	free(r->cur);
	free(r->moves);
	free(r->memo);
	free(r);
}

/* --- the renumber moves ----------------------------------------------------- */

/* "0014 -> 0016 use-pnpm" (the slug optional); false when it is not one. */
static bool parse_move(int *old, int *new, const char **slug, const char *v)
{
	char *end;
	long a, b;
	a = strtol(v, &end, 10);
	if (end == v || strncmp(end, " -> ", 4) != 0)
		return false;
	v = end + 4;
	b = strtol(v, &end, 10);
	if (end == v || a <= 0 || b <= 0 || a > 9999999 || b > 9999999 || (*end && *end != ' '))
		return false;
	while (*end == ' ')
		end++;
	*old = (int)a;
	*new = (int)b;
	*slug = *end ? end : NULL;
	return true;
}

int adr__refs_note(adr__refs *r, const git_oid *id, const adr_strlist *keys, const adr_strlist *values)
{
	bool by_adr = false;
	for (size_t i = 0; i < keys->count; i++)
		by_adr |= strcasecmp(keys->items[i], ADR_TRAILER_ACTION) == 0;
	for (size_t i = 0; by_adr && i < keys->count; i++) {
		const char *slug;
		move *m;
		int old, new;
		if (strcasecmp(keys->items[i], ADR_TRAILER_RENUMBER) != 0 || !parse_move(&old, &new, &slug, values->items[i]))
			continue;
		if (ADR_ARRAY_GROW(r->moves, r->amoves, r->nmoves + 1) < 0)
			return ADR_ENOMEM;
		m = &r->moves[r->nmoves];
		m->old = old;
		m->new = new;
		m->commit = *id;
		m->slug = NULL;
		if (slug && !(m->slug = adr__strdup(slug)))
			return ADR_ENOMEM;
		r->nmoves++;
		r->ordered = false;
	}
	return 0;
}

/* --- the files a tree numbers N ------------------------------------------- */

/* Appends to `names` the record files of `dir` numbered `number`: the
 * names starting with the number (sorted, so found by bisection), and
 * when there are none, any other spelling ("adr014-x.md") by a scan. */
static int scan_dir(adr_strlist *names, git_tree *dir, int number)
{
	char prefix[2][16];
	size_t count = git_tree_entrycount(dir);
	int rc = 0, n;

	snprintf(prefix[0], sizeof(prefix[0]), "%04d", number);
	snprintf(prefix[1], sizeof(prefix[1]), "%d", number);
	for (int p = 0; p < 2 && rc == 0; p++) {
		size_t lo = 0, hi = count, len = strlen(prefix[p]);
		if (p == 1 && strcmp(prefix[0], prefix[1]) == 0)
			break;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (strncmp(git_tree_entry_name(git_tree_entry_byindex(dir, mid)), prefix[p], len) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (size_t i = lo; i < count && rc == 0; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(dir, i);
			if (strncmp(git_tree_entry_name(e), prefix[p], len) != 0)
				break;
			if (record_name(&n, NULL, e) && n == number)
				rc = adr_strlist_add(names, git_tree_entry_name(e));
		}
	}
	for (size_t i = 0; !names->count && i < count && rc == 0; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(dir, i);
		if (record_name(&n, NULL, e) && n == number)
			rc = adr_strlist_add(names, git_tree_entry_name(e));
	}
	return rc;
}

/* The names numbered `number` in `dir`, looked up once per (dir, number). */
static int numbered(const adr_strlist **out, adr__refs *r, const git_oid *did, int number)
{
	git_tree *dir = NULL;
	memo *m;
	int rc;

	*out = NULL;
	for (size_t i = 0; i < r->nmemo; i++)
		if (r->memo[i].number == number && git_oid_equal(&r->memo[i].dir, did)) {
			*out = &r->memo[i].names;
			return 0;
		}
	/* a tree that cannot be read: *out stays NULL, the caller says so */
	if (git_tree_lookup(&dir, r->git, did) < 0)
		return 0;
	if (ADR_ARRAY_GROW(r->memo, r->amemo, r->nmemo + 1) < 0) {
		git_tree_free(dir);
		return ADR_ENOMEM;
	}
	m = &r->memo[r->nmemo];
	m->dir = *did;
	m->number = number;
	m->names = (adr_strlist)ADR_STRLIST_INIT;
	r->nmemo++;
	rc = scan_dir(&m->names, dir, number);
	git_tree_free(dir);
	if (rc == 0)
		*out = &m->names;
	return rc;
}

static void slug_of(adr_buf *slug, const char *name)
{
	int n;
	adr_buf_clear(slug);
	if (adr_record_parse_filename(&n, slug, name) < 0)
		adr_error_clear();
}

/* The record directory of `c`, or of its nearest first-parent ancestor
 * that has one (*out NULL when none does); *from is the commit whose tree
 * it is (owned by the caller, may be `c` itself). */
static int dir_near(git_oid *out, bool *has, git_commit **from, adr__refs *r, git_commit *c)
{
	git_commit *at = c, *parent = NULL;
	int rc = 0;

	*has = false;
	*from = NULL;
	for (int k = 0; k < ANCESTOR_MAX; k++) {
		if ((rc = dir_id(out, has, r, at)) < 0 || *has)
			break;
		if (!git_commit_parentcount(at) || (rc = git_commit_parent(&parent, at, 0)) < 0)
			break;
		if (at != c)
			git_commit_free(at);
		at = parent;
		parent = NULL;
	}
	if (at != c && (rc < 0 || !*has))
		git_commit_free(at);
	else if (*has)
		*from = at;
	return rc;
}

/* Of several files numbered alike, the one commit `c` changed (added or
 * rewrote) against its first parent, or NULL. */
static const char *changed_by(adr__refs *r, git_commit *c, const git_oid *did, const adr_strlist *names)
{
	git_commit *parent = NULL;
	git_tree *dir = NULL, *pdir = NULL;
	const char *found = NULL;
	git_oid pid;
	bool phas = false;
	int hits = 0;

	if (git_commit_parentcount(c) && git_commit_parent(&parent, c, 0) == 0 && dir_id(&pid, &phas, r, parent) < 0)
		phas = false;
	/* the directory as its parent had it (a code commit): nothing changed */
	if ((phas && git_oid_equal(&pid, did)) || git_tree_lookup(&dir, r->git, did) < 0 ||
	    (phas && git_tree_lookup(&pdir, r->git, &pid) < 0))
		goto cleanup;
	for (size_t i = 0; i < names->count; i++) {
		const git_tree_entry *now = git_tree_entry_byname(dir, names->items[i]);
		const git_tree_entry *then = pdir ? git_tree_entry_byname(pdir, names->items[i]) : NULL;
		if (now && (!then || !git_oid_equal(git_tree_entry_id(now), git_tree_entry_id(then)))) {
			found = names->items[i];
			hits++;
		}
	}
cleanup:
	git_error_clear();
	git_tree_free(dir);
	git_tree_free(pdir);
	git_commit_free(parent);
	return hits == 1 ? found : NULL;
}

/* The slug of the file numbered `number` in the tree of commit `id`:
 * `slug` set and *found true, or *found false with `problem` said. */
static int slug_at(bool *found, adr_buf *slug, adr_buf *problem, adr__refs *r, const git_oid *id, int number)
{
	git_commit *c = NULL, *from = NULL;
	const adr_strlist *names = NULL;
	const char *name = NULL;
	git_oid dir;
	bool has = false;
	char hex[13];
	int rc = 0;

	*found = false;
	git_oid_tostr(hex, sizeof(hex), id);
	if (git_commit_lookup(&c, r->git, id) < 0 || dir_near(&dir, &has, &from, r, c) < 0 ||
	    (has && (rc = numbered(&names, r, &dir, number)) == 0 && !names)) {
		adr_buf_printf(problem, "commit %s cannot be read (%s)", hex, git_error_last() ? git_error_last()->message : "?");
		goto cleanup;
	}
	if (rc < 0)
		goto cleanup;
	if (!has) {
		adr_buf_printf(problem, "commit %s has no records directory", hex);
		goto cleanup;
	}
	if (names->count == 1)
		name = names->items[0];
	else if (names->count > 1 && from == c)
		name = changed_by(r, c, &dir, names);
	if (name) {
		slug_of(slug, name);
		*found = true;
	} else if (names->count) {
		adr_buf_printf(problem, "commit %s has %zu records numbered %04d (", hex, names->count, number);
		for (size_t i = 0; i < names->count; i++)
			adr_buf_printf(problem, "%s%s", i ? ", " : "", names->items[i]);
		adr_buf_puts(problem, ")");
	} else {
		adr_buf_printf(problem, "commit %s has no record %04d", hex, number);
	}
cleanup:
	git_error_clear();
	if (from != c)
		git_commit_free(from);
	git_commit_free(c);
	return rc;
}

/* Oldest first, every move with its slug (or none, when its commit does not tell). */
static int order_moves(adr__refs *r)
{
	adr_buf slug = ADR_BUF_INIT, problem = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < r->nmoves / 2; i++) {
		move t = r->moves[i];
		r->moves[i] = r->moves[r->nmoves - 1 - i];
		r->moves[r->nmoves - 1 - i] = t;
	}
	for (size_t i = 0; i < r->nmoves && rc == 0; i++) {
		bool found;
		if (r->moves[i].slug)
			continue;
		if ((rc = slug_at(&found, &slug, &problem, r, &r->moves[i].commit, r->moves[i].new)) == 0 && found &&
		    !(r->moves[i].slug = adr__strdup(slug.ptr)))
			rc = ADR_ENOMEM;
	}
	r->ordered = true;
	adr_buf_dispose(&slug);
	adr_buf_dispose(&problem);
	return rc;
}

/* --- attributing ------------------------------------------------------------ */

/* The current records numbered `number`: [*first, *first + *count). */
static void cur_numbered(const adr__refs *r, int number, size_t *first, size_t *count)
{
	size_t lo = 0, hi = r->ncur;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (r->cur[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	for (*count = 0; lo + *count < r->ncur && r->cur[lo + *count].number == number; (*count)++)
		;
}

static bool moved(const adr__refs *r, int number, bool as_old_only)
{
	for (size_t i = 0; i < r->nmoves; i++)
		if (r->moves[i].old == number || (!as_old_only && r->moves[i].new == number))
			return true;
	return false;
}

static void attribute(adr__ref *out, const cur_rec *c)
{
	out->number = c->number;
	out->path = c->path;
}

/* Steps 3 and 4 of the rule: (number, slug) followed to a current record. */
static void follow(adr__ref *out, const adr__refs *r, int number, const char *slug)
{
	size_t first, count, hit = 0, hits = 0;
	int now = number;

	for (size_t i = 0; i < r->nmoves; i++)
		if (r->moves[i].old == now && r->moves[i].slug && strcmp(r->moves[i].slug, slug) == 0)
			now = r->moves[i].new;
	cur_numbered(r, now, &first, &count);
	for (size_t i = first; i < first + count; i++)
		if (strcmp(r->cur[i].slug, slug) == 0) {
			attribute(out, &r->cur[i]);
			return;
		}
	/* A record adr moved and then deleted is gone, even when a newer record
	 * took its slug; only a number adr never moved looks for the slug. */
	for (size_t i = 0; now == number && *slug && i < r->ncur; i++)
		if (strcmp(r->cur[i].slug, slug) == 0) {
			hit = i;
			hits++;
		}
	if (hits == 1) {
		attribute(out, &r->cur[hit]);
		return;
	}
	adr_buf_printf(&out->problem, "ADR-%04d (%s) no longer exists", number, *slug ? slug : "no slug");
	if (now != number)
		adr_buf_printf(&out->problem, " (it was renumbered to %04d)", now);
}

int adr__refs_resolve(adr__ref *out, adr__refs *r, const git_oid *carrier, int number)
{
	adr_buf slug = ADR_BUF_INIT, why = ADR_BUF_INIT;
	size_t first, count;
	bool found;
	int rc = 0;

	out->number = -1;
	out->path = NULL;
	adr_buf_clear(&out->problem);
	if (!r->ordered && (rc = order_moves(r)) < 0)
		return rc;
	cur_numbered(r, number, &first, &count);
	if (!moved(r, number, false) && count <= 1) {
		if (count == 1)
			attribute(out, &r->cur[first]);
		else
			adr_buf_printf(&out->problem, "ADR-%04d does not exist", number);
		goto cleanup;
	}
	if ((rc = slug_at(&found, &slug, &why, r, carrier, number)) < 0)
		goto cleanup;
	if (found) {
		follow(out, r, number, slug.ptr);
	} else if (!moved(r, number, true) && count == 1) {
		/* the number was never moved away: the record that has it now */
		attribute(out, &r->cur[first]);
	} else {
		adr_buf_printf(&out->problem, "ADR-%04d is ambiguous: %s, and number %04d was %s since", number, why.ptr,
			       number, count > 1 ? "given to several records" : "renumbered");
	}
cleanup:
	if (rc == 0 && adr_buf_oom(&out->problem))
		rc = ADR_ENOMEM;
	adr_buf_dispose(&slug);
	adr_buf_dispose(&why);
	return rc;
}

void adr__ref_dispose(adr__ref *ref)
{
	adr_buf_dispose(&ref->problem);
	ref->number = -1;
	ref->path = NULL;
}
