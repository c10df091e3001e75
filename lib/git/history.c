/*
 * git/history.c: the history of every record from one walk over the
 * decision branch (adr/history.h). Pass one (newest first) collects what
 * each commit changed in the records directory (git/rawtree.c); pass two
 * (oldest first) turns that into facts per path, following renames and
 * accepted proposals. The walk itself is git/walk.c.
 */
#include "git/history_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/history.h"
#include "adr/record.h"
#include "git/oidmap.h"
#include "git/walk.h"
#include "util/alloc.h"
#include "util/error.h"
#include "record/trailers.h"
#include "util/hash.h"

/* The pack windows of a walk (git/history_internal.h). */
#define WALK_WINDOW (1u << 20)
#define WALK_MAPPED (4u << 20)

void adr__walk_windows(adr__windows *saved)
{
	git_libgit2_opts(GIT_OPT_GET_MWINDOW_SIZE, &saved->size);
	git_libgit2_opts(GIT_OPT_GET_MWINDOW_MAPPED_LIMIT, &saved->mapped);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)WALK_WINDOW);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)WALK_MAPPED);
}

void adr__walk_windows_end(const adr__windows *saved)
{
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, saved->size);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, saved->mapped);
}

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
		m->slots = adr__calloc(ncap, sizeof(*m->slots));
		if (!m->slots) {
			m->slots = old;
			return ADR_ENOMEM;
		}
		m->cap = ncap;
		for (size_t i = 0; i < ocap; i++)
			if (old[i])
				emap_put_slot(m, old[i]);
		free(old);
	}
	if (ADR_ARRAY_GROW(m->all, m->aall, m->nall + 1) < 0)
		return ADR_ENOMEM;
	m->all[m->nall++] = e;
	emap_put_slot(m, e);
	m->count++;
	return 0;
}

/* --- the history object ----------------------------------------------------- */

struct adr_history {
	entry_map entries;
	adr__oidmap dirs;           /* commit -> records dir tree */
	adr__oidmap shallow;        /* shallow boundary commits (value unused) */
	char tip[41];
	char boundary[41];
	unsigned long examined, diffed;
	bool serial;                /* pass one on this thread only (tests compare both) */
	bool one_thread;            /* tests: see adr__history_set_one_thread */
	/* walk state */
	adr_repo *repo;
	git_odb *odb;
	git_odb_object *recent[2];  /* the last two records-directory trees read */
	adr_history_load_fn load;
	void *payload;
};

int adr_history_entry_new(adr_history_entry **out, const char *path)
{
	adr_history_entry *e = adr__calloc(1, sizeof(*e));
	*out = NULL;
	if (!e || !(e->path = adr__strdup(path))) {
		free(e);
		return ADR_ENOMEM;
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
	adr_strlist_dispose(&e->authors);
	adr_strlist_dispose(&e->commits);
	free(e);
}

int adr_history_new(adr_history **out)
{
	*out = adr__calloc(1, sizeof(**out));
	return *out ? 0 : ADR_ENOMEM;
}

void adr_history_free(adr_history *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->entries.nall; i++)
		adr_history_entry_free(h->entries.all[i]);
	free(h->entries.all);
	free(h->entries.slots);
	adr__oidmap_free(&h->dirs);
	adr__oidmap_free(&h->shallow);
	free(h);
}

void adr__history_set_serial(adr_history *h, bool serial) { h->serial = serial; }
void adr__history_set_one_thread(adr_history *h, bool one) { h->one_thread = one; }
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

/* The records directory's tree id in commit `id`, remembered per commit. */
static int dir_of_commit(git_oid *out, adr_history *h, const git_oid *id, const git_commit *known)
{
	const git_oid *memo = adr__oidmap_get(&h->dirs, id);
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
	rc = adr__raw_records_dir(out, h->odb, adr_repo_records_dir(h->repo), git_commit_tree_id(known));
	git_commit_free(c);
	if (rc == 0)
		rc = adr__oidmap_put(&h->dirs, id, out);
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
	bool in_place;         /* has Adr-Merged: a decision in place, no merge */
	bool boundary;         /* shallow boundary: no parent to compare with */
	adr_intlist supersedes; /* the records its Adr-Supersedes trailers name */
} commit_info;

/* A message whose trailers cannot be read is an error, not one without
 * trailers: a decision would pass for a plain commit. */
static int read_trailers(commit_info *ci, const char *msg)
{
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	char what[64];
	int rc;
	ci->action[0] = ci->status[0] = '\0';
	ci->comment = ci->in_place = false;
	adr_intlist_dispose(&ci->supersedes);
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
		else if (strcasecmp(k, ADR_TRAILER_MERGED) == 0)
			ci->in_place = true;
		else if (strcasecmp(k, ADR_TRAILER_SUPERSEDES) == 0 && atoi(v) > 0)
			rc = adr_intlist_add_unique(&ci->supersedes, atoi(v));
	}
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	return rc;
}

/* Whether commit `ci` made the record at `path` superseded or deprecated:
 * it set that status (adr status), or names the record in Adr-Supersedes
 * (adr supersede, a new or accepted record that supersedes it). */
static bool ended_by(const commit_info *ci, const char *path)
{
	const char *slash = strrchr(path, '/');
	int number;

	if (strcasecmp(ci->status, "superseded") == 0 || strcasecmp(ci->status, "deprecated") == 0)
		return true;
	if (!ci->supersedes.count)
		return false;
	if (adr_record_parse_filename(&number, NULL, slash ? slash + 1 : path) < 0) {
		adr_error_clear();
		return false;
	}
	return adr_intlist_contains(&ci->supersedes, number);
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
		if (!(e->created_author = adr__strdup(ci->author)))
			return ADR_ENOMEM;
	}
	memcpy(e->changed_commit, ci->id, sizeof(e->changed_commit));
	e->changed_time = ci->time;
	free(e->changed_author);
	if (!(e->changed_author = adr__strdup(ci->author)) ||
	    adr_strlist_add_unique(&e->authors, ci->author) < 0 || adr_strlist_add(&e->commits, ci->id) < 0)
		return ADR_ENOMEM;
	if (blob) {
		git_oid id;
		git_oid_fromraw(&id, blob);
		git_oid_tostr(e->blob, sizeof(e->blob), &id);
	} else {
		e->blob[0] = '\0';
	}
	e->deleted = blob == NULL;
	if (blob && !e->ended_time && ended_by(ci, e->path))
		e->ended_time = ci->time;
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
	adr_strlist_dispose(dst);
	*dst = merged;
	return 0;
oom:
	adr_strlist_dispose(&merged);
	return ADR_ENOMEM;
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
	adr_strlist_dispose(&to->authors);
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
	if (from->ended_time && !to->ended_time)
		to->ended_time = from->ended_time;
	if (from->first_response_time && (!to->first_response_time || from->first_response_time < to->first_response_time))
		to->first_response_time = from->first_response_time;
	to->revisions += from->revisions;
	to->comments += from->comments;
	to->touched = true;
	from->gone = true;
	from->touched = true;
	from->deleted = true;
	return 0;
oom:
	adr_strlist_dispose(&authors);
	return ADR_ENOMEM;
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

/* The comments of a proposal branch, and the first one by someone other
 * than its proposer (NULL: unknown, so none is known to be another's). */
typedef struct {
	int count;
	long long first_response;
	const char *proposer;
} comment_count;

/* Counts commit `c` when it is a comment (its trailers say so). */
static int count_if_comment(git_commit *c, void *payload)
{
	comment_count *cc = payload;
	const git_signature *author = git_commit_author(c);
	commit_info ci;
	int rc;

	memset(&ci, 0, sizeof(ci));
	git_oid_tostr(ci.id, sizeof(ci.id), git_commit_id(c));
	rc = read_trailers(&ci, git_commit_message(c));
	adr_intlist_dispose(&ci.supersedes);
	if (rc < 0 || !ci.comment)
		return rc;
	cc->count++;
	if (cc->proposer && author->name && strcmp(author->name, cc->proposer) != 0 &&
	    (!cc->first_response || (long long)author->when.time < cc->first_response))
		cc->first_response = (long long)author->when.time;
	return 0;
}

/* Counts the comments on a proposal branch (into e->comments, with the
 * first response by another into e->first_response_time): commits
 * reachable from the merge's second parent and not from its first (in a
 * shallow clone, those this side of its boundary). */
static int count_comments(adr_history_entry *e, adr_history *h, const git_oid *first, const git_oid *second)
{
	adr__walk_opts o = { 0 };
	comment_count n = { 0, 0, e->created_author };
	int rc;

	e->comments = 0;
	o.from = second;
	o.hide = first;
	o.stop_at_shallow = true;
	o.shallow = &h->shallow;
	o.odb = h->odb;
	o.what = "a proposal branch";
	if ((rc = adr__walk(h->repo, &o, count_if_comment, &n)) == 0) {
		e->comments = n.count;
		if (n.first_response && (!e->first_response_time || n.first_response < e->first_response_time))
			e->first_response_time = n.first_response;
	}
	return rc;
}

/* A commit whose records directory changed, kept between the two passes. */
typedef struct {
	commit_info ci;
	char *author;
	git_oid parent1, parent2;
	unsigned nparents;
	adr__raw_changes set, del;
} pending;

typedef struct {
	pending *items;
	size_t count, alloc;
} pendings;

static void pendings_clear(pendings *p)
{
	for (size_t i = 0; i < p->count; i++) {
		free(p->items[i].author);
		adr_intlist_dispose(&p->items[i].ci.supersedes);
		adr__raw_changes_clear(&p->items[i].set);
		adr__raw_changes_clear(&p->items[i].del);
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
			return git_odb_object_dup(out, h->recent[i]) < 0 ? adr__error_oom() : 0;
	if ((rc = adr__raw_tree_read(out, h->odb, id)) < 0)
		return rc;
	git_odb_object_free(h->recent[1]);
	h->recent[1] = h->recent[0];
	return git_odb_object_dup(&h->recent[0], *out) < 0 ? adr__error_oom() : 0;
}

/* Adds commit `c`, which changed `set` and `del` (taken), to `out`. */
static int add_pending(pendings *out, git_commit *c, bool boundary, adr__raw_changes *set, adr__raw_changes *del)
{
	const git_signature *author = git_commit_author(c);
	unsigned nparents = git_commit_parentcount(c);
	pending *p;
	int rc;

	if ((rc = ADR_ARRAY_GROW(out->items, out->alloc, out->count + 1)) < 0)
		return rc;
	p = &out->items[out->count];
	memset(p, 0, sizeof(*p));
	if (!(p->author = adr__strdup(author->name ? author->name : "")))
		return ADR_ENOMEM;
	out->count++;
	p->set = *set;
	p->del = *del;
	memset(set, 0, sizeof(*set));
	memset(del, 0, sizeof(*del));
	git_oid_tostr(p->ci.id, sizeof(p->ci.id), git_commit_id(c));
	p->ci.time = (long long)author->when.time;
	p->ci.boundary = boundary;
	if ((rc = read_trailers(&p->ci, git_commit_message(c))) < 0)
		return rc;
	p->nparents = boundary ? 0 : nparents;
	if (p->nparents > 0)
		git_oid_cpy(&p->parent1, git_commit_parent_id(c, 0));
	if (p->nparents > 1)
		git_oid_cpy(&p->parent2, git_commit_parent_id(c, 1));
	return 0;
}

/* Pass one (newest first): what each commit changed in the records directory. */
static int collect(adr_history *h, git_commit *c, pendings *out)
{
	const char *dir = adr_repo_records_dir(h->repo);
	git_oid mine, theirs;
	git_odb_object *ta = NULL, *tb = NULL;
	adr__raw_changes set = { 0 }, del = { 0 };
	unsigned nparents = git_commit_parentcount(c);
	bool boundary;
	int rc;

	h->examined++;
	memset(&theirs, 0, sizeof(theirs));
	if ((rc = dir_of_commit(&mine, h, git_commit_id(c), c)) < 0)
		return rc;
	boundary = adr__oidmap_get(&h->shallow, git_commit_id(c)) != NULL;
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
	if ((rc = adr__records_dir_diff(&set, &del, dir, ta, tb)) < 0)
		goto cleanup;
	if (!set.count && !del.count)
		goto cleanup;
	if ((rc = add_pending(out, c, boundary, &set, &del)) < 0)
		goto cleanup;
cleanup:
	adr__raw_changes_clear(&set);
	adr__raw_changes_clear(&del);
	git_odb_object_free(ta);
	git_odb_object_free(tb);
	return rc;
}

/* An accepted proposal: the merge's second parent has <slug>.md (`plain`;
 * `known` says whether, or -1 to look). Its entry, with what the proposal
 * did, in *from; NULL when it has none. */
static int proposal_source(adr_history_entry **from, adr_history *h, const pending *pc, const char *plain,
			   int known)
{
	git_oid pdir, o;
	git_odb_object *pt = NULL;
	adr_buf ppath = ADR_BUF_INIT;
	unsigned m;
	int f = known, rc;

	/* `known` >= 0: the scan looked already (history_scan.c) */
	if (known < 0) {
		if ((rc = dir_of_commit(&pdir, h, &pc->parent2, NULL)) < 0)
			return rc;
		f = 0;
		if (!git_oid_is_zero(&pdir)) {
			if ((rc = adr__raw_tree_read(&pt, h->odb, &pdir)) < 0)
				return rc;
			f = adr__raw_tree_find(pt, plain, strlen(plain), &o, &m);
			git_odb_object_free(pt);
		}
	}
	if (f <= 0)
		return f;
	adr_buf_printf(&ppath, "%s/%s", adr_repo_records_dir(h->repo), plain);
	rc = adr_buf_oom(&ppath) ? ADR_ENOMEM : entry_for(from, h, ppath.ptr);
	adr_buf_dispose(&ppath);
	if (rc < 0)
		return rc;
	if (!(*from)->proposed_time && (*from)->created_time)
		(*from)->proposed_time = (*from)->created_time;
	(*from)->revisions = (*from)->commits.count > 0 ? (int)(*from)->commits.count - 1 : 0;
	return count_comments(*from, h, &pc->parent1, &pc->parent2);
}

/* Whether the deleted file `d` is where the added `ch` comes from: the same
 * blob, or <slug>.md (`plain`, NULL when `ch` has no number) gone. */
static bool explains(const adr__raw_change *d, const adr__raw_change *ch, const char *plain, const char *dir)
{
	return (d->has_oid && memcmp(d->oid, ch->oid, GIT_OID_RAWSZ) == 0) ||
	       (plain && strcmp(d->path + strlen(dir) + 1, plain) == 0);
}

/* The entry whose facts move to the added file `ch` (a rename), or NULL:
 * the same blob deleted in this commit, <slug>.md -> NNNN-<slug>.md, or an
 * accepted proposal. */
static int rename_source(adr_history_entry **from, adr_history *h, const pending *pc, const adr__raw_change *ch)
{
	const char *dir = adr_repo_records_dir(h->repo);
	const char *base = ch->path + strlen(dir) + 1;
	char plain[512];
	bool unnum = unnumbered_name(plain, sizeof(plain), base, strlen(base));
	int rc;

	*from = NULL;
	for (size_t j = 0; j < pc->del.count && !*from; j++) {
		const adr__raw_change *d = &pc->del.items[j];
		if (explains(d, ch, unnum ? plain : NULL, dir)) {
			if ((rc = entry_for(from, h, d->path)) < 0)
				return rc;
		}
	}
	if (!*from && unnum && pc->nparents > 1)
		return proposal_source(from, h, pc, plain, ch->proposal);
	return 0;
}

bool adr__history_rename_plain(char *plain, size_t size, const char *dir, const adr__raw_change *ch,
			       const adr__raw_changes *del)
{
	const char *base = ch->path + strlen(dir) + 1;
	if (!unnumbered_name(plain, size, base, strlen(base)))
		return false;
	for (size_t j = 0; j < del->count; j++)
		if (explains(&del->items[j], ch, plain, dir))
			return false;
	return true;
}

/* Pass two (oldest first): the facts. */
static int apply(adr_history *h, pending *pc)
{
	commit_info *ci = &pc->ci;
	adr__raw_changes *set = &pc->set, *del = &pc->del;
	int rc = 0;

	ci->author = pc->author;
	for (size_t i = 0; i < set->count; i++) {
		adr__raw_change *ch = &set->items[i];
		adr_history_entry *e, *from = NULL;

		if ((rc = entry_for(&e, h, ch->path)) < 0)
			return rc;
		/* Only an added file can be the end of a rename. */
		if (ch->added && !ci->boundary && (rc = rename_source(&from, h, pc, ch)) < 0)
			return rc;
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
			if (pc->nparents > 1 || ci->in_place)
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

/* The tip of the walk in *tipc (NULL: the decision branch is unborn, the
 * walk has nothing to do) and `since` as an id, checked to be its ancestor. */
static int walk_bounds(git_commit **tipc, git_oid *since_id, adr_history *h, const char *tip, const char *since)
{
	git_repository *git = adr__repo_git(h->repo);
	int rc, d;

	rc = adr__resolve_commit(tipc, h->repo, tip);
	if (rc == ADR_ENOTFOUND && !tip) {
		adr_error_clear();
		h->tip[0] = '\0';
		return 0;
	}
	if (rc < 0)
		return rc;
	git_oid_tostr(h->tip, sizeof(h->tip), git_commit_id(*tipc));
	if (!since || !*since)
		return 0;
	if (git_oid_fromstr(since_id, since) < 0 || !git_odb_exists(h->odb, since_id))
		return adr__error(ADR_ENOTFOUND, "commit %s is gone", since);
	d = git_oid_equal(since_id, git_commit_id(*tipc)) ? 1 : git_graph_descendant_of(git, git_commit_id(*tipc), since_id);
	if (d < 0)
		return adr__error_git(d, "cannot tell whether %s descends from %s", h->tip, since);
	if (d != 1) {
		adr_error_clear();
		return adr__error(ADR_ENOTFOUND, "commit %s is not an ancestor of %s", since, h->tip);
	}
	return 0;
}

typedef struct {
	adr_history *h;
	pendings todo;
} walk_state;

static int collect_one(git_commit *c, void *payload)
{
	walk_state *ws = payload;
	return collect(ws->h, c, &ws->todo);
}

/* Pass one of a whole history, on two threads (history_scan.c): the same
 * pendings as collect() gives, in the same order. */
static int collect_scanned(adr_history *h, const adr__walk_opts *o, pendings *out)
{
	adr__scan scan;
	int rc;

	/* Nothing a commit or tree read once is read again through the cache:
	 * keeping them would make memory grow with the commits. */
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 0);
	rc = adr__history_scan(&scan, h->repo, o->from, h->one_thread);
	git_libgit2_opts(GIT_OPT_ENABLE_CACHING, 1);
	if (rc < 0)
		return rc;
	h->examined = scan.examined;
	h->diffed = scan.count;
	for (size_t i = 0; i < scan.count && rc == 0; i++) {
		adr__scan_item *it = &scan.items[i];
		git_commit *c = NULL;
		if (!it->set.count && !it->del.count)
			continue;
		if ((rc = git_commit_lookup(&c, adr__repo_git(h->repo), &it->id)) < 0) {
			rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(&it->id));
			break;
		}
		rc = add_pending(out, c, false, &it->set, &it->del);
		git_commit_free(c);
	}
	adr__scan_dispose(&scan);
	return rc;
}

int adr_history_walk(adr_history *h, adr_repo *repo, const char *tip, const char *since,
		     adr_history_load_fn load, void *payload)
{
	git_repository *git = adr__repo_git(repo);
	git_commit *tipc = NULL;
	git_oid since_id;
	adr__walk_opts o = { 0 };
	walk_state ws = { h, { 0 } };
	adr_buf what = ADR_BUF_INIT;
	adr__windows windows;
	int rc;

	h->repo = repo;
	h->load = load;
	/* Like git itself, trust the object store's own checks (zlib, pack CRCs)
	 * instead of re-hashing every tree read: hashing a large records
	 * directory thousands of times is most of a walk's cost. Restored below. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	/* Read the packs through small windows, a few mapped at a time: a walk
	 * touches every commit, and whole-pack mappings would make the memory
	 * it holds grow with the history. Restored below. */
	adr__walk_windows(&windows);
	h->payload = payload;
	if ((rc = git_repository_odb(&h->odb, git)) < 0) {
		rc = adr__error_git(rc, "cannot open the object database");
		goto cleanup;
	}
	if ((rc = adr__shallow_read(&h->shallow, repo)) < 0 || (rc = walk_bounds(&tipc, &since_id, h, tip, since)) < 0 ||
	    !tipc)
		goto cleanup;
	adr_buf_printf(&what, "the history of %s", adr_repo_branch(repo));
	if (adr_buf_oom(&what)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	o.from = git_commit_id(tipc);
	o.hide = since && *since ? &since_id : NULL;
	o.stop_at_shallow = true;
	o.shallow = &h->shallow;
	o.odb = h->odb;
	o.what = what.ptr;
	if (!o.hide && !h->shallow.count && !h->serial)
		rc = collect_scanned(h, &o, &ws.todo);
	else
		rc = adr__walk(repo, &o, collect_one, &ws);
	if (rc < 0)
		goto cleanup;
	/* Oldest first: parents before children, so renames and merges see what came before. */
	for (size_t i = ws.todo.count; i-- > 0;)
		if ((rc = apply(h, &ws.todo.items[i])) < 0)
			goto cleanup;
	rc = 0;
cleanup:
	pendings_clear(&ws.todo);
	adr_buf_dispose(&what);
	git_odb_object_free(h->recent[0]);
	git_odb_object_free(h->recent[1]);
	h->recent[0] = h->recent[1] = NULL;
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	adr__walk_windows_end(&windows);
	git_commit_free(tipc);
	git_odb_free(h->odb);
	h->odb = NULL;
	return rc;
}
