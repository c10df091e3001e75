/*
 * log/thread.c: a proposal's discussion read back from history.
 *
 * The thread of a proposal is the commits of its branch since it left the
 * decision branch (proposed, revised, comments with their votes), then for
 * a decided one the decision merge and what came late: comments on the
 * decision branch and commits on the branch after the decision.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/proposal.h"
#include "log/proposal_internal.h"
#include "git/integrate_internal.h"
#include "git/walk.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"

/* Exposed for tests (adr/proposal.h): adr's own, strict, reading. */
int adr__proposal_trailers(adr_strlist *keys, adr_strlist *values, const char *msg)
{
	return adr__trailers_read(keys, values, msg, ADR_TRAILERS_STRICT, NULL);
}

/* The message text between the subject and the trailer block. */
static char *message_text(const char *msg, bool has_trailers)
{
	const char *p = strchr(msg, '\n');
	size_t end;
	if (!p)
		return adr__strdup("");
	while (*p == '\n')
		p++;
	end = strlen(p);
	if (has_trailers) {
		size_t e = end;
		while (e > 0 && p[e - 1] == '\n')
			e--;
		while (e > 0 && !(p[e - 1] == '\n' && e >= 2 && p[e - 2] == '\n'))
			e--;
		end = e;
	}
	while (end > 0 && p[end - 1] == '\n')
		end--;
	return adr__strndup(p, end);
}

void adr_thread_dispose(adr_thread *t)
{
	for (size_t i = 0; i < t->count; i++) {
		adr_event *e = &t->events[i];
		free(e->author);
		free(e->email);
		free(e->subject);
		free(e->text);
		free(e->section);
		adr_strlist_dispose(&e->changes);
		adr_strlist_dispose(&e->outside);
	}
	free(t->events);
	free(t->slug);
	free(t->ref);
	free(t->other);
	memset(t, 0, sizeof(*t));
}

typedef struct {
	const char *name;
	size_t nlen;
	const char *text;
	size_t len;
} part;

/* Splits a record into front matter fields and body sections (by heading). */
static size_t split_parts(part *out, size_t max, const char *s, size_t len)
{
	size_t n = 0, i = 0;
	bool fm = len >= 4 && memcmp(s, "---\n", 4) == 0;
	if (fm)
		i = 4;
	while (i < len) {
		const char *line = s + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) + 1 : len - i;
		if (fm && ll >= 3 && memcmp(line, "---", 3) == 0 && (ll == 3 || line[3] == '\n' || line[3] == '\r')) {
			fm = false;
			if (n < max)
				out[n++] = (part){ "", 0, line, 0 };
		} else if (fm && line[0] != ' ' && line[0] != '-' && line[0] != '#' && memchr(line, ':', ll) && n < max) {
			const char *colon = memchr(line, ':', ll);
			out[n++] = (part){ line, (size_t)(colon - line), line, 0 };
		} else if (!fm && line[0] == '#' && n < max) {
			const char *h = line;
			size_t hl = ll;
			while (hl && *h == '#')
				h++, hl--;
			while (hl && *h == ' ')
				h++, hl--;
			while (hl && (h[hl - 1] == '\n' || h[hl - 1] == '\r' || h[hl - 1] == ' '))
				hl--;
			out[n++] = (part){ h, hl, line, 0 };
		} else if (n == 0 && n < max) {
			out[n++] = (part){ "", 0, line, 0 };
		}
		if (n)
			out[n - 1].len = (size_t)(line + ll - out[n - 1].text);
		i += ll;
	}
	return n;
}

static bool part_is_field(const part *p)
{
	return p->nlen && p->name == p->text;
}

/* "field status", "section Decision", ... for what differs between a and b. */
static int summarize_changes(adr_strlist *out, const char *a, size_t alen, const char *b, size_t blen)
{
	enum { MAXP = 256 };
	part *pa = adr__calloc(MAXP, sizeof(part)), *pb = pa ? adr__calloc(MAXP, sizeof(part)) : NULL;
	size_t na, nb;
	adr_buf item = ADR_BUF_INIT;
	int rc = 0;

	if (!pa || !pb) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	na = split_parts(pa, MAXP, a, alen);
	nb = split_parts(pb, MAXP, b, blen);
	for (int pass = 0; pass < 2; pass++) {
		part *x = pass ? pb : pa, *y = pass ? pa : pb;
		size_t nx = pass ? nb : na, ny = pass ? na : nb;
		for (size_t i = 0; i < nx; i++) {
			const part *m = NULL;
			if (!x[i].nlen)
				continue;
			for (size_t k = 0; k < ny; k++)
				if (y[k].nlen == x[i].nlen && memcmp(y[k].name, x[i].name, x[i].nlen) == 0 &&
				    (y[k].name == y[k].text) == (x[i].name == x[i].text))
					m = &y[k];
			if (m && pass)
				continue; /* compared in the first pass */
			if (m && m->len == x[i].len && memcmp(m->text, x[i].text, x[i].len) == 0)
				continue;
			adr_buf_clear(&item);
			adr_buf_printf(&item, "%s %s%.*s", part_is_field(&x[i]) ? "field" : "section",
				       !m ? (pass ? "added: " : "removed: ") : "", (int)x[i].nlen, x[i].name);
			if (adr_buf_oom(&item) || adr_strlist_add_unique(out, item.ptr) < 0) {
				rc = ADR_ENOMEM;
				goto cleanup;
			}
		}
	}
cleanup:
	free(pa);
	free(pb);
	adr_buf_dispose(&item);
	return rc;
}

static int blob_at(adr_buf *out, git_repository *git, git_commit *c, const char *path, git_oid *id)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int rc;
	if ((rc = git_commit_tree(&tree, c)) < 0 || (rc = git_tree_entry_bypath(&e, tree, path)) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		rc = rc < 0 ? rc : GIT_ENOTFOUND;
		goto cleanup;
	}
	*id = *git_tree_entry_id(e);
	if (out) {
		if ((rc = git_blob_lookup(&blob, git, id)) < 0)
			goto cleanup;
		adr_buf_set(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	}
cleanup:
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(tree);
	return rc;
}

static adr_event *event_add(adr_thread *t)
{
	adr_event *e;
	if ((t->count & 15) == 0) {
		adr_event *p = adr__reallocarray(t->events, t->count + 16, sizeof(*p));
		if (!p)
			return NULL;
		t->events = p;
	}
	e = &t->events[t->count++];
	memset(e, 0, sizeof(*e));
	return e;
}

static int event_fill(adr_event *e, adr_event_kind kind, git_commit *c)
{
	const git_signature *a = git_commit_author(c);
	e->kind = kind;
	git_oid_tostr(e->commit, sizeof(e->commit), git_commit_id(c));
	e->time = (long long)a->when.time;
	e->offset = a->when.offset;
	if (!(e->author = adr__strdup(a->name)) || !(e->email = adr__strdup(a->email)) ||
	    !(e->subject = adr__strdup(git_commit_summary(c) ? git_commit_summary(c) : "")))
		return ADR_ENOMEM;
	return 0;
}

/* The record at `path` in one tree. adr__walk_thread() keeps the last two it
 * read: a commit's parent is mostly the commit it examined before, and a
 * records directory of thousands of files is costly to read. */
typedef struct {
	git_oid tree;
	bool valid;
	bool has;
	git_oid blob;
	adr_buf text;
} path_state;

typedef struct {
	path_state slot[2];
	int recent;
} path_cache;

/* The state of `path` in `c`; the pointer stays valid until the second
 * call after this one. */
static const path_state *path_at(path_cache *pc, git_repository *git, git_commit *c, const char *path)
{
	const git_oid *tree = git_commit_tree_id(c);
	path_state *s;
	int rc;
	for (int i = 0; i < 2; i++) {
		if (pc->slot[i].valid && git_oid_equal(&pc->slot[i].tree, tree)) {
			pc->recent = i;
			return &pc->slot[i];
		}
	}
	pc->recent = !pc->recent;
	s = &pc->slot[pc->recent];
	adr_buf_clear(&s->text);
	git_oid_cpy(&s->tree, tree);
	s->valid = false;
	/* NULL, with the error set, when the commit cannot be read: a record
	 * that cannot be read must not pass for one that is not there. */
	if ((rc = blob_at(&s->text, git, c, path, &s->blob)) < 0 && rc != GIT_ENOTFOUND) {
		adr__error_git(rc, "cannot read '%s' in commit %s", path, git_oid_tostr_s(git_commit_id(c)));
		return NULL;
	}
	s->has = rc == 0;
	s->valid = true;
	return s;
}

/* An Adr-Author trailer, "Name <email>", as the event's author. */
static int carried_author(adr_event *e, const char *who)
{
	const char *lt = who ? strrchr(who, '<') : NULL;
	size_t n;
	char *name, *email;

	if (!lt || lt == who || who[strlen(who) - 1] != '>')
		return 0;
	n = (size_t)(lt - who);
	while (n && who[n - 1] == ' ')
		n--;
	if (!(name = adr__strndup(who, n)) || !(email = adr__strndup(lt + 1, strlen(lt + 1) - 1))) {
		free(name);
		return ADR_ENOMEM;
	}
	free(e->author);
	free(e->email);
	e->author = name;
	e->email = email;
	return 0;
}

/* A comment commit as an event (its trailers already read into keys/values). */
static int comment_event(adr_thread *t, git_commit *c, const adr_strlist *keys, const adr_strlist *values,
			 adr_event **out)
{
	const char *msg = git_commit_message(c), *vote, *section;
	adr_event *e;
	int rc;

	if (!(e = event_add(t)))
		return ADR_ENOMEM;
	if ((rc = event_fill(e, ADR_EVENT_COMMENT, c)) < 0)
		return rc;
	if (!(e->text = message_text(msg ? msg : "", true)))
		return ADR_ENOMEM;
	/* Carried over from its branch: who wrote it there. */
	if ((rc = carried_author(e, adr__trailers_get(keys, values, ADR_TRAILER_AUTHOR))) < 0)
		return rc;
	vote = adr__trailers_get(keys, values, ADR_TRAILER_VOTE);
	e->vote = !vote ? ADR_VOTE_NONE : strcasecmp(vote, "approve") == 0 ? ADR_VOTE_APPROVE
		: strcasecmp(vote, "object") == 0 ? ADR_VOTE_OBJECT : ADR_VOTE_NONE;
	if ((section = adr__trailers_get(keys, values, ADR_TRAILER_SECTION)) && !(e->section = adr__strdup(section)))
		return ADR_ENOMEM;
	*out = e;
	return 0;
}

/* What the walk over a proposal's commits carries from commit to commit. */
typedef struct {
	adr_thread *t;
	git_repository *git;
	const char *path;
	unsigned flags;
	adr_strlist keys, values;   /* the trailers of the commit at hand */
	adr_strlist imgs;           /* images the proposal may add (WALK_OUTSIDE) */
	adr_strlist outside;        /* what the commit at hand changed outside the record */
	path_cache cache;
} thread_walk;

/* The images the proposal may add, as accept sees them. */
static int outside_images(adr_strlist *imgs, adr_repo *repo, const git_oid *tip, const git_oid *hide,
			  const char *path)
{
	git_repository *git = adr__repo_git(repo);
	git_tree *tt = NULL, *bt = NULL;
	git_oid mb;
	bool have_mb = hide && git_merge_base(&mb, git, tip, hide) == 0;
	int rc;

	git_error_clear();
	rc = adr__tree_of(&tt, git, tip);
	if (rc == 0)
		rc = adr__tree_of(&bt, git, have_mb ? &mb : NULL);
	if (rc == 0)
		rc = adr__proposal_images(imgs, repo, tt, bt, path);
	git_tree_free(tt);
	git_tree_free(bt);
	return rc;
}

/* A commit that changed the record (or something outside it) is a
 * proposed or revised event; `was` and `now` are the record before and
 * after it. */
static int change_event(thread_walk *w, git_commit *c, const char *msg, const path_state *was,
			const path_state *now)
{
	adr_event *e;
	int rc;

	if (!(e = event_add(w->t)))
		return ADR_ENOMEM;
	if ((rc = event_fill(e, was || !now->has ? ADR_EVENT_REVISED : ADR_EVENT_PROPOSED, c)) < 0)
		return rc;
	e->late = (w->flags & WALK_LATE) != 0;
	e->outside = w->outside;
	w->outside = (adr_strlist)ADR_STRLIST_INIT;
	e->text = message_text(msg, w->keys.count > 0);
	if (was && now->has && !git_oid_equal(&now->blob, &was->blob))
		return summarize_changes(&e->changes, was->text.ptr, was->text.size, now->text.ptr,
					 now->text.size);
	return 0;
}

/* One commit of the proposal, oldest first: a comment, a change of the
 * record, or nothing to show. */
static int thread_commit(git_commit *c, void *payload)
{
	thread_walk *w = payload;
	const char *msg = git_commit_message(c) ? git_commit_message(c) : "";
	const path_state *was = NULL, *now;
	git_commit *parent = NULL;
	adr_event *e;
	int rc;

	adr_strlist_dispose(&w->outside);
	adr_strlist_dispose(&w->keys);
	adr_strlist_dispose(&w->values);
	if ((rc = adr__trailers_read(&w->keys, &w->values, msg, ADR_TRAILERS_STRICT, NULL)) < 0)
		return rc;
	/* Whatever a commit says it is, what it changed besides the record shows. */
	if ((w->flags & WALK_OUTSIDE) && (rc = adr__commit_outside(&w->outside, w->git, c, w->path, &w->imgs)) < 0)
		return rc;
	if (adr__trailers_get(&w->keys, &w->values, ADR_TRAILER_COMMENT)) {
		if ((rc = comment_event(w->t, c, &w->keys, &w->values, &e)) < 0)
			return rc;
		e->late = (w->flags & WALK_LATE) != 0;
		e->outside = w->outside;
		w->outside = (adr_strlist)ADR_STRLIST_INIT;
		return 0;
	}
	if (git_commit_parentcount(c) > 0) {
		if ((rc = git_commit_parent(&parent, c, 0)) < 0)
			return adr__error_git(rc, "cannot read the parent of commit %s", git_oid_tostr_s(git_commit_id(c)));
		was = path_at(&w->cache, w->git, parent, w->path);
		git_commit_free(parent);
		if (!was)
			return adr_error_code();
	}
	if (!(now = path_at(&w->cache, w->git, c, w->path)))
		return adr_error_code();
	if (was && !was->has)
		was = NULL;
	/* Neither the record nor anything outside it changed. */
	if ((!now->has || (was && git_oid_equal(&now->blob, &was->blob))) && !w->outside.count)
		return 0;
	return change_event(w, c, msg, was, now);
}

/* The events of a proposal's commits from `tip` back to (not including)
 * what `hide` reaches, through the one revision walk (git/walk.c). */
int adr__walk_thread(adr_thread *t, adr_repo *repo, const git_oid *tip, const git_oid *hide, const char *path,
		       unsigned flags)
{
	thread_walk w;
	adr__walk_opts o;
	int rc = 0;

	memset(&w, 0, sizeof(w));
	w.t = t;
	w.git = adr__repo_git(repo);
	w.path = path;
	w.flags = flags;
	w.cache.slot[0].text = w.cache.slot[1].text = (adr_buf)ADR_BUF_INIT;
	if ((flags & WALK_OUTSIDE) && (rc = outside_images(&w.imgs, repo, tip, hide, path)) < 0)
		return rc;
	memset(&o, 0, sizeof(o));
	o.from = tip;
	o.hide = hide;
	o.oldest_first = true;
	o.what = "the history of the proposal";
	/* As in adr_history_walk(): trust the object store's own checks instead
	 * of re-hashing every (large) records directory read. Restored below. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	rc = adr__walk(repo, &o, thread_commit, &w);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	adr_strlist_dispose(&w.keys);
	adr_strlist_dispose(&w.values);
	adr_strlist_dispose(&w.imgs);
	adr_strlist_dispose(&w.outside);
	adr_buf_dispose(&w.cache.slot[0].text);
	adr_buf_dispose(&w.cache.slot[1].text);
	return rc;
}

/* The proposal commits that decision `merge` decided: its second parent's
 * history back to the merge base, or for a decision in place (`merged`: the
 * tip a plain git merge brought) that tip's back to where it began. */
static int decision_walk(adr_thread *t, adr_repo *repo, git_commit *merge, const char *merged, const char *path,
			 unsigned flags)
{
	adr_proposal p;
	git_oid tip, base;
	int rc;

	if (git_commit_parentcount(merge) >= 2)
		return adr__walk_thread(t, repo, git_commit_parent_id(merge, 1), git_commit_parent_id(merge, 0), path,
					flags);
	if (!merged || strlen(merged) != GIT_OID_HEXSZ || git_oid_fromstr(&tip, merged) < 0) {
		git_error_clear();
		return adr__error(ADR_EINVALID, "decision commit %s names no proposal tip in %s",
				  git_oid_tostr_s(git_commit_id(merge)), ADR_TRAILER_MERGED);
	}
	memset(&p, 0, sizeof(p));
	p.ref = (char *)"";
	p.slug = t->slug;
	p.path = (char *)path;
	snprintf(p.tip, sizeof(p.tip), "%s", merged);
	if ((rc = adr__merged_thread_range(&tip, &base, repo, &p)) < 0)
		return rc;
	return adr__walk_thread(t, repo, &tip, rc == 1 ? &base : git_commit_parent_id(merge, 0), path, flags);
}

/* Sorts t->events from `first` on by time, oldest first: an insertion
 * sort, stable, over a handful of events. */
static void events_sort(adr_thread *t, size_t first)
{
	for (size_t i = first + 1; i < t->count; i++) {
		adr_event e = t->events[i];
		size_t k = i;
		while (k > first && t->events[k - 1].time > e.time) {
			t->events[k] = t->events[k - 1];
			k--;
		}
		t->events[k] = e;
	}
}

int adr__walk_thread_both(adr_thread *t, adr_repo *repo, const git_oid *tip, const git_oid *other,
			  const git_oid *hide, const char *path, unsigned flags)
{
	size_t first = t->count;
	git_oid mb;
	int rc;

	if ((rc = adr__walk_thread(t, repo, tip, hide, path, flags)) < 0 || !other)
		return rc;
	/* The commits only `other` has: each commit once. */
	rc = git_merge_base(&mb, adr__repo_git(repo), tip, other);
	git_error_clear();
	if ((rc = adr__walk_thread(t, repo, other, rc == 0 ? &mb : hide, path, flags)) < 0)
		return rc;
	events_sort(t, first);
	return 0;
}

/* The thread of the proposal that `merge` (an accept or reject merge on the
 * decision branch) decided: the history of its second parent back to the
 * merge base, then the decision itself. */
static int thread_from_decision(adr_thread *t, adr_repo *repo, git_commit *merge, unsigned flags)
{
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	const char *msg = git_commit_message(merge) ? git_commit_message(merge) : "";
	const char *prop, *rec, *action;
	char id[41];
	adr_buf path = ADR_BUF_INIT;
	adr_event *e;
	int rc;

	git_oid_tostr(id, sizeof(id), git_commit_id(merge));
	if ((rc = adr__trailers_read(&keys, &values, msg, ADR_TRAILERS_STRICT, NULL)) < 0)
		goto cleanup;
	prop = adr__trailers_get(&keys, &values, ADR_TRAILER_PROPOSAL);
	rec = adr__trailers_get(&keys, &values, ADR_TRAILER_RECORD);
	action = adr__trailers_get(&keys, &values, ADR_TRAILER_ACTION);
	if (!action || (strcmp(action, "accept") != 0 && strcmp(action, "reject") != 0) ||
	    (git_commit_parentcount(merge) < 2 && !adr__trailers_get(&keys, &values, ADR_TRAILER_MERGED))) {
		rc = adr__error(ADR_EINVALID, "commit %s is not the merge that accepted or rejected a proposal", id);
		goto cleanup;
	}
	if (!prop || strncmp(prop, "adr/", 4) != 0) {
		rc = adr__error(ADR_EINVALID, "decision commit %s carries no Adr-Proposal trailer", id);
		goto cleanup;
	}
	t->number = rec ? atoi(rec) : -1;
	t->status = action && strcmp(action, "reject") == 0 ? ADR_STATUS_REJECTED : ADR_STATUS_ACCEPTED;
	if (!(t->slug = adr__strdup(prop + 4)) || !(t->ref = adr__strdup(id)) ||
	    adr__proposal_path(&path, repo, t->slug) < 0) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = decision_walk(t, repo, merge, adr__trailers_get(&keys, &values, ADR_TRAILER_MERGED), path.ptr,
				flags)) < 0)
		goto cleanup;
	if (!(e = event_add(t))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = event_fill(e, ADR_EVENT_DECIDED, merge)) < 0)
		goto cleanup;
	if (!(e->text = message_text(msg, true)))
		rc = ADR_ENOMEM;
cleanup:
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	adr_buf_dispose(&path);
	return rc;
}

int adr_thread_read_merge(adr_thread *out, adr_repo *repo, const char *merge_commit)
{
	git_commit *merge = NULL;
	git_oid oid;
	int rc;

	memset(out, 0, sizeof(*out));
	out->number = -1;
	if (!merge_commit || strlen(merge_commit) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, merge_commit) < 0)
		return adr__error(ADR_EINVALID, "'%s' is not a full commit id", merge_commit ? merge_commit : "");
	if ((rc = git_commit_lookup(&merge, adr__repo_git(repo), &oid)) < 0) {
		rc = rc == GIT_ENOTFOUND ? adr__error(ADR_ENOTFOUND, "no commit %s", merge_commit)
					 : adr__error_git(rc, "cannot read commit %s", merge_commit);
		goto cleanup;
	}
	rc = thread_from_decision(out, repo, merge, 0);
cleanup:
	if (rc < 0)
		adr_thread_dispose(out);
	git_commit_free(merge);
	return rc;
}

/* Drops from the thread the branch commit `from` (a late comment carried
 * over to the decision branch is shown once, from there). The branch commit
 * may also sit before the decision (t->events[..*first]) when a second
 * decision of the same proposal merged it (adr sync keeps such a thread);
 * *first follows. */
static void drop_carried(adr_thread *t, size_t *first, const char *from)
{
	for (size_t i = 0; from && i < t->count; i++) {
		adr_event *e = &t->events[i];
		if (strcmp(e->commit, from) != 0)
			continue;
		free(e->author);
		free(e->email);
		free(e->subject);
		free(e->text);
		free(e->section);
		adr_strlist_dispose(&e->changes);
		adr_strlist_dispose(&e->outside);
		memmove(e, e + 1, (t->count - i - 1) * sizeof(*e));
		t->count--;
		if (i < *first)
			(*first)--;
		return;
	}
}

/* What finding the "keep the thread" merges of one proposal carries. */
typedef struct {
	adr_buf subject;     /* their subject up to the slug */
	adr__oid_list found;
} kept_walk;

static int kept_commit(git_commit *c, void *payload)
{
	kept_walk *k = payload;
	const char *msg = git_commit_message(c);
	if (git_commit_parentcount(c) < 2 || !msg || strncmp(msg, k->subject.ptr, k->subject.size) != 0)
		return 0;
	return adr__oid_list_add(&k->found, git_commit_id(c));
}

/*
 * What the decision branch took of the proposal after its decision `t->ref`
 * only through a merge "keep the thread" of adr sync (git/integrate.c): a
 * clone decided it too, that decision was not replayed over the remote's,
 * and whatever its side had that the standing decision had not merged (a
 * comment made just before it) is reachable from there alone. Each merge's
 * side less its first parent: each commit once, marked late.
 */
static int thread_add_kept(adr_thread *t, adr_repo *repo, const char *path, const char *pb)
{
	kept_walk k = { ADR_BUF_INIT, { 0 } };
	adr__walk_opts o;
	git_oid decision, dtip;
	int rc = 0;

	if (git_oid_fromstr(&decision, t->ref) < 0 || adr__decision_tip(&dtip, repo) != 1) {
		adr_error_clear();
		git_error_clear();
		return 0;
	}
	adr_buf_printf(&k.subject, ADR_KEEP_THREAD_SUBJECT "%s, ", pb);
	if (adr_buf_oom(&k.subject)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	memset(&o, 0, sizeof(o));
	o.from = &dtip;
	o.hide = &decision;
	o.stop_at_shallow = true;
	o.what = "the decision branch after the decision";
	if ((rc = adr__walk(repo, &o, kept_commit, &k)) < 0)
		goto cleanup;
	for (size_t i = 0; i < k.found.count && rc == 0; i++) {
		git_commit *m = NULL;
		if ((rc = git_commit_lookup(&m, adr__repo_git(repo), &k.found.ids[i])) == 0)
			rc = adr__walk_thread(t, repo, git_commit_parent_id(m, 1), git_commit_parent_id(m, 0), path,
					      WALK_OUTSIDE | WALK_LATE);
		git_commit_free(m);
	}
cleanup:
	adr_buf_dispose(&k.subject);
	adr__oid_list_dispose(&k.found);
	return rc;
}

/*
 * After the decision in `t`: the commits its proposal branch got later
 * (`branch_tip`, NULL when there is no branch) and the late comments on the
 * decision branch (`late`, newest first, as find_decision() in log/decision.c collects them),
 * all marked late, oldest first.
 */
static int thread_add_late(adr_thread *t, adr_repo *repo, const git_oid *branch_tip, const adr__oid_list *late)
{
	git_repository *git = adr__repo_git(repo);
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT, carried = ADR_STRLIST_INIT;
	adr_buf path = ADR_BUF_INIT, pb = ADR_BUF_INIT;
	git_commit *c = NULL;
	git_oid dtip;
	size_t first = t->count;
	int rc = 0;

	if ((rc = adr__proposal_path(&path, repo, t->slug)) < 0 || (rc = adr__proposal_branch(&pb, t->slug)) < 0)
		goto cleanup;
	if (branch_tip && git_reference_name_to_id(&dtip, git, adr_repo_branch(repo)) == 0 &&
	    !git_oid_equal(branch_tip, &dtip) && git_graph_descendant_of(git, &dtip, branch_tip) != 1 &&
	    (rc = adr__walk_thread(t, repo, branch_tip, &dtip, path.ptr, WALK_OUTSIDE | WALK_LATE)) < 0)
		goto cleanup;
	git_error_clear();
	/* Before the late comments: one carried from a commit shown here drops it. */
	if ((rc = thread_add_kept(t, repo, path.ptr, pb.ptr)) < 0)
		goto cleanup;
	for (size_t i = late ? late->count : 0; i-- > 0;) {
		const char *prop, *msg, *from;
		adr_event *e;
		git_commit_free(c);
		c = NULL;
		if ((rc = git_commit_lookup(&c, git, &late->ids[i])) < 0) {
			rc = adr__error_git(rc, "commit %s is missing", git_oid_tostr_s(&late->ids[i]));
			goto cleanup;
		}
		adr_strlist_dispose(&keys);
		adr_strlist_dispose(&values);
		msg = git_commit_message(c);
		if ((rc = adr__trailers_read(&keys, &values, msg ? msg : "", ADR_TRAILERS_STRICT, NULL)) < 0)
			goto cleanup;
		if (!(prop = adr__trailers_get(&keys, &values, ADR_TRAILER_PROPOSAL)) || strcmp(prop, pb.ptr) != 0)
			continue;
		/* Two clones that both retired the branch carried it twice: once. */
		from = adr__trailers_get(&keys, &values, ADR_TRAILER_LATE_FROM);
		if (from && adr_strlist_contains(&carried, from))
			continue;
		if ((from && (rc = adr_strlist_add(&carried, from)) < 0) ||
		    (rc = comment_event(t, c, &keys, &values, &e)) < 0)
			goto cleanup;
		e->late = true;
		drop_carried(t, &first, from);
	}
	events_sort(t, first);
	rc = 0;
cleanup:
	git_commit_free(c);
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	adr_strlist_dispose(&carried);
	adr_buf_dispose(&path);
	adr_buf_dispose(&pb);
	return rc;
}

/* The whole thread of a decided proposal: its discussion, the decision,
 * then what came late. `branch_tip` is its branch, when one is known. */
static int thread_decided(adr_thread *t, adr_repo *repo, git_commit *merge, const git_oid *branch_tip,
			  const adr__oid_list *late)
{
	adr_proposal p;
	git_oid tip;
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = thread_from_decision(t, repo, merge, WALK_OUTSIDE)) < 0)
		return rc;
	/* Found by number or by a slug whose branch is gone locally: a branch
	 * of it may still exist (remote-tracking, say) and have gone on. */
	if (!branch_tip && adr_proposal_find(&p, repo, t->slug, false) == 0 && strcmp(p.slug, t->slug) == 0) {
		if ((rc = adr__oid_from_hex(&tip, p.tip)) < 0) {
			adr_proposal_dispose(&p);
			return rc;
		}
		if (git_graph_descendant_of(adr__repo_git(repo), &tip, git_commit_parent_id(merge, 1)) == 1)
			branch_tip = &tip;
	}
	adr_error_clear();
	git_error_clear();
	rc = thread_add_late(t, repo, branch_tip, late);
	adr_proposal_dispose(&p);
	return rc;
}

/* The thread of open proposal `p` at `tip`: since it left the decision
 * branch at `hide`; diverged, both sides; merged by plain git, what the
 * merge brought. */
static int thread_open(adr_thread *t, adr_repo *repo, const adr_proposal *p, git_oid *tip, git_oid *hide)
{
	git_oid other;
	bool have_other;
	int rc;

	t->status = ADR_STATUS_PROPOSED;
	if (!(t->slug = adr__strdup(p->slug)) || !(t->ref = adr__strdup(p->ref)) ||
	    (p->other && !(t->other = adr__strdup(p->other))))
		return ADR_ENOMEM;
	if (p->merged && hide) {
		if ((rc = adr__merged_thread_range(tip, hide, repo, p)) <= 0)
			return rc;
	}
	/* The other side gone meanwhile: this side alone. */
	have_other = p->other && git_reference_name_to_id(&other, adr__repo_git(repo), p->other) == 0;
	git_error_clear();
	return adr__walk_thread_both(t, repo, tip, have_other ? &other : NULL, hide, p->path, WALK_OUTSIDE);
}

int adr_thread_read(adr_thread *out, adr_repo *repo, const char *ref)
{
	adr_proposal p;
	adr_decision d;
	git_commit *merge = NULL;
	adr_buf slug = ADR_BUF_INIT;
	adr__oid_list late = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	out->number = -1;
	if (strspn(ref, "0123456789") == strlen(ref) || strncasecmp(ref, "ADR-", 4) == 0) {
		if ((rc = adr__decision_by_name(&d, &merge, &slug, repo, ref, &late)) == 0)
			rc = thread_decided(out, repo, merge, NULL, &late);
		goto cleanup;
	}
	rc = adr_proposal_find(&p, repo, ref, false);
	if (rc == 0) {
		git_oid tip, hide;
		int have_hide = adr__decision_tip(&hide, repo);
		if ((rc = have_hide) < 0 || (rc = adr__oid_from_hex(&tip, p.tip)) < 0)
			goto cleanup;
		/* Decided: read it through its decision. */
		if (!p.merged && (rc = adr__proposal_decided(&d, &merge, repo, &p, &late)) < 0)
			goto cleanup;
		if (!p.merged && rc == 1 && merge) {
			rc = thread_decided(out, repo, merge, &tip, &late);
			goto cleanup;
		}
		rc = thread_open(out, repo, &p, &tip, have_hide ? &hide : NULL);
		goto cleanup;
	}
	if (rc != ADR_ENOTFOUND)
		goto cleanup;
	/* A decided proposal whose branch is gone. */
	if ((rc = adr__decision_by_name(&d, &merge, &slug, repo, ref, &late)) == 0)
		rc = thread_decided(out, repo, merge, NULL, &late);
	else if (rc == ADR_ENOTFOUND)
		rc = adr__error(ADR_ENOTFOUND, "no proposal or decided proposal '%s'", ref);
cleanup:
	if (rc < 0)
		adr_thread_dispose(out);
	git_commit_free(merge);
	adr_proposal_dispose(&p);
	adr_buf_dispose(&slug);
	adr__oid_list_dispose(&late);
	return rc;
}
