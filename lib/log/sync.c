/*
 * log/sync.c: adr sync (adr/sync.h). One round: fetch the decision branch
 * and every adr/<slug> branch into remote-tracking refs (git/remote.c);
 * bring the decision branch level with the remote (fast-forward, or replay
 * or merge, then renumber what is not published and collides); bring each
 * proposal branch level (log/proposal_remote.c combines and retires); push
 * what the remote lacks, never forced. A ref the remote refused because it
 * moved in between starts another round, a bounded number of times.
 */
#include "log/sync_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/sync.h"
#include "git/integrate_internal.h"
#include "git/remote_internal.h"
#include "git/worktree_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#define DEFAULT_ROUNDS 5

typedef struct {
	adr_repo *repo;
	git_repository *git;
	const adr_sync_opts *opts;
	adr_sync_result *out;
	adr__remote rem;
	const char *branch;         /* the decision branch, full ref */
	adr_sync_item *pending;     /* what they push (kind, ref, ids) */
	size_t npending, apending;
	adr_buf warning;
	bool conflict;
} sync_run;

/* --- the result ----------------------------------------------------------------- */

static int item_add(adr_sync_item **items, size_t *n, size_t *alloc, adr_sync_kind kind, const char *ref,
		    const git_oid *old, const git_oid *new_id, size_t commits, const char *detail)
{
	adr_sync_item *it;
	if (ADR_ARRAY_GROW(*items, *alloc, *n + 1) < 0)
		return ADR_ENOMEM;
	it = &(*items)[*n];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->commits = commits;
	if (old)
		git_oid_tostr(it->old_id, sizeof(it->old_id), old);
	if (new_id)
		git_oid_tostr(it->new_id, sizeof(it->new_id), new_id);
	it->ref = adr__strdup(ref);
	it->detail = detail ? adr__strdup(detail) : NULL;
	if (!it->ref || (detail && !it->detail)) {
		free(it->ref);
		free(it->detail);
		return ADR_ENOMEM;
	}
	(*n)++;
	return 0;
}

static size_t result_alloc(const adr_sync_result *r)
{
	return r->count; /* the array is grown to exactly what it holds */
}

static int add(sync_run *s, adr_sync_kind kind, const char *ref, const git_oid *old, const git_oid *new_id,
	       size_t commits, const char *detail)
{
	size_t a = result_alloc(s->out);
	return item_add(&s->out->items, &s->out->count, &a, kind, ref, old, new_id, commits, detail);
}

/* A ref for this round's push (`new_id` NULL: deleted on the remote), and
 * what it will say once accepted. */
static int plan_push(sync_run *s, const char *ref, const git_oid *old, const git_oid *new_id, size_t commits)
{
	return item_add(&s->pending, &s->npending, &s->apending, new_id ? ADR_SYNC_OUT : ADR_SYNC_DELETED, ref, old,
			new_id, commits, NULL);
}

static void items_free(adr_sync_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].ref);
		free(items[i].detail);
	}
	free(items);
}

void adr_sync_result_dispose(adr_sync_result *res)
{
	if (!res)
		return;
	items_free(res->items, res->count);
	for (size_t i = 0; i < res->renumbered_count; i++) {
		free(res->renumbered[i].title);
		free(res->renumbered[i].old_path);
		free(res->renumbered[i].new_path);
	}
	free(res->renumbered);
	free(res->remote);
	free(res->url);
	free(res->warning);
	memset(res, 0, sizeof(*res));
}

/* --- refs ----------------------------------------------------------------------- */

/* A libgit2 call that failed: "cannot <verb> '<what>'". */
static int git_failed(int rc, const char *verb, const char *what)
{
	return adr__error_git(rc, "cannot %s '%s'", verb, what);
}

/* 1 when `name` exists (its id in *id), 0 when not. */
static int ref_id(git_oid *id, sync_run *s, const char *name)
{
	int rc = git_reference_name_to_id(id, s->git, name);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return git_failed(rc, "read", name);
	return 1;
}

typedef enum { SAME, AHEAD, BEHIND, DIVERGED } relation;

static relation relate(sync_run *s, const git_oid *local, const git_oid *remote, size_t *ahead, size_t *behind)
{
	*ahead = *behind = 0;
	if (git_oid_equal(local, remote))
		return SAME;
	if (git_graph_ahead_behind(ahead, behind, s->git, local, remote) < 0) {
		git_error_clear();
		return DIVERGED;
	}
	if (*behind == 0)
		return AHEAD;
	if (*ahead == 0)
		return BEHIND;
	return DIVERGED;
}

/* --- the decision branch ----------------------------------------------------------- */

/* True when two records of the records directory of `commit` share a number
 * (read from the file names: no record is parsed). */
static int has_duplicates(bool *out, sync_run *s, const git_oid *commit)
{
	git_commit *c = NULL;
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	git_tree *dir = NULL;
	unsigned char *seen = NULL;
	int rc;

	*out = false;
	if ((rc = git_commit_lookup(&c, s->git, commit)) < 0 || (rc = git_commit_tree(&root, c)) < 0) {
		rc = git_failed(rc, "read commit", git_oid_tostr_s(commit));
		goto cleanup;
	}
	if (git_tree_entry_bypath(&e, root, adr_repo_records_dir(s->repo)) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_TREE || git_tree_lookup(&dir, s->git, git_tree_entry_id(e)) < 0) {
		git_error_clear();
		rc = 0;
		goto cleanup;
	}
	seen = adr__calloc(10000, 1);
	ADR_ALLOC_CHECK(seen);
	for (size_t i = 0; i < git_tree_entrycount(dir) && !*out; i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(dir, i));
		int n;
		if (!adr__is_markdown(name) || adr_record_parse_filename(&n, NULL, name) < 0 || n < 0) {
			adr_error_clear();
			continue;
		}
		if (n >= 10000 || seen[n]++) /* large numbers: let renumber look */
			*out = true;
	}
cleanup:
	free(seen);
	git_tree_free(dir);
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(c);
	return rc;
}

static int add_renumbered(sync_run *s, const adr_renumber_result *rn, const char *rev)
{
	adr_sync_result *o = s->out;
	adr_sync_renumber *a = adr__reallocarray(o->renumbered, o->renumbered_count + rn->count + 1, sizeof(*a));
	ADR_ALLOC_CHECK(a);
	o->renumbered = a;
	for (size_t i = 0; i < rn->count; i++) {
		adr_sync_renumber *x = &o->renumbered[o->renumbered_count];
		adr_buf text = ADR_BUF_INIT;
		adr_record *r = NULL;
		memset(x, 0, sizeof(*x));
		x->old_number = rn->items[i].old_number;
		x->new_number = rn->items[i].new_number;
		if (adr_repo_read_file(&text, s->repo, rev, rn->items[i].new_path) == 0 &&
		    adr_record_parse(&r, rn->items[i].new_path, text.ptr, text.size, 0) == 0)
			x->title = adr__strdup(r->title ? r->title : "");
		adr_error_clear();
		adr_record_free(r);
		adr_buf_dispose(&text);
		x->old_path = adr__strdup(rn->items[i].old_path);
		x->new_path = adr__strdup(rn->items[i].new_path);
		o->renumbered_count++;
		if (!x->old_path || !x->new_path)
			return ADR_ENOMEM;
		if (!x->title && !(x->title = adr__strdup("")))
			return ADR_ENOMEM;
	}
	return 0;
}

/* The records `tip` has and the remote's tip `remote` does not (`added`:
 * the ones that may yield their number), and those it changed too. */
static int unpublished(adr_strlist *added, adr_strlist *changed, sync_run *s, const git_oid *tip,
		       const git_oid *remote)
{
	git_commit *a = NULL, *b = NULL;
	git_tree *ta = NULL, *tb = NULL;
	git_diff *d = NULL;
	git_diff_options o;
	char *dir = (char *)adr_repo_records_dir(s->repo);
	int rc;

	git_diff_options_init(&o, GIT_DIFF_OPTIONS_VERSION);
	o.pathspec.strings = &dir;
	o.pathspec.count = 1;
	if ((rc = git_commit_lookup(&a, s->git, remote)) < 0 || (rc = git_commit_lookup(&b, s->git, tip)) < 0 ||
	    (rc = git_commit_tree(&ta, a)) < 0 || (rc = git_commit_tree(&tb, b)) < 0 ||
	    (rc = git_diff_tree_to_tree(&d, s->git, ta, tb, &o)) < 0) {
		rc = git_failed(rc, "compare with", git_oid_tostr_s(remote));
		goto cleanup;
	}
	for (size_t i = 0; i < git_diff_num_deltas(d) && rc == 0; i++) {
		const git_diff_delta *dl = git_diff_get_delta(d, i);
		if (dl->status == GIT_DELTA_DELETED)
			continue;
		if ((dl->status == GIT_DELTA_ADDED && adr_strlist_add(added, dl->new_file.path) < 0) ||
		    adr_strlist_add(changed, dl->new_file.path) < 0)
			rc = ADR_ENOMEM;
	}
cleanup:
	git_diff_free(d);
	git_tree_free(ta);
	git_tree_free(tb);
	git_commit_free(a);
	git_commit_free(b);
	return rc;
}

/* On a branch of sync's own at `tip`: renumbers what collides and is not
 * published at `remote`; *tip moves on. */
static int renumber_on(sync_run *s, git_oid *tip, const git_oid *remote)
{
	adr_strlist fresh = { 0 }, changed = { 0 };
	adr_renumber_result rn = ADR_RENUMBER_RESULT_INIT;
	adr_buf tmp = ADR_BUF_INIT;
	git_reference *ref = NULL;
	bool dup;
	int rc;

	if ((rc = has_duplicates(&dup, s, tip)) < 0 || !dup)
		return rc;
	adr_buf_printf(&tmp, "refs/adr-sync/%s", s->branch + (strncmp(s->branch, "refs/", 5) == 0 ? 5 : 0));
	if (adr_buf_oom(&tmp))
		return ADR_ENOMEM;
	if ((rc = git_reference_create(&ref, s->git, tmp.ptr, tip, 1, "adr sync: integrate")) < 0) {
		rc = git_failed(rc, "create", tmp.ptr);
		goto cleanup;
	}
	if ((rc = unpublished(&fresh, &changed, s, tip, remote)) < 0 ||
	    (rc = adr__sync_renumber(&rn, s->repo, tmp.ptr, &fresh, &changed)) < 0 ||
	    (rc = add_renumbered(s, &rn, tmp.ptr)) < 0)
		goto cleanup;
	if (rn.commit.commit[0])
		rc = adr__oid_from_hex(tip, rn.commit.commit);
cleanup:
	/* By name: the renumbering moved it since `ref` was read. */
	if (ref && git_reference_remove(s->git, tmp.ptr) < 0)
		git_error_clear();
	git_reference_free(ref);
	adr_renumber_result_dispose(&rn);
	adr_strlist_dispose(&fresh);
	adr_strlist_dispose(&changed);
	adr_buf_dispose(&tmp);
	return rc;
}

/* Both have commits: the local ones go on top of the remote's. */
static int integrate(sync_run *s, const git_oid *local, const git_oid *remote, git_oid *tip, bool *merged)
{
	bool outside;
	size_t n;
	int rc;

	if ((rc = adr__commits_outside(&outside, s->repo, local, remote, adr_repo_records_dir(s->repo))) < 0)
		return rc;
	*merged = outside;
	if (outside) {
		adr_buf msg = ADR_BUF_INIT;
		adr_buf_printf(&msg, "adr sync: merge %s/%s\n", s->rem.name,
			       strncmp(s->branch, "refs/heads/", 11) == 0 ? s->branch + 11 : s->branch);
		rc = adr_buf_oom(&msg) ? ADR_ENOMEM : adr__merge_tips(tip, s->repo, local, remote, msg.ptr);
		adr_buf_dispose(&msg);
	} else {
		rc = adr__replay(tip, &n, s->repo, local, remote, &s->warning);
	}
	if (rc < 0)
		return rc;
	return renumber_on(s, tip, remote);
}

static int sync_decision(sync_run *s, const char *tracking)
{
	git_oid l, r, tip;
	size_t ahead, behind;
	int hl, hr, rc;
	bool merged;

	if ((hl = ref_id(&l, s, s->branch)) < 0 || (hr = ref_id(&r, s, tracking)) < 0)
		return hl < 0 ? hl : hr;
	if (!hr)
		return hl ? plan_push(s, s->branch, NULL, &l, 0) : 0;
	if (!hl) {
		if ((rc = adr__branch_advance(s->repo, s->branch, NULL, &r, "adr sync: fast-forward", &s->warning)) < 0)
			return rc;
		return add(s, ADR_SYNC_IN, s->branch, NULL, &r, 0, NULL);
	}
	switch (relate(s, &l, &r, &ahead, &behind)) {
	case SAME:
		return 0;
	case AHEAD:
		return plan_push(s, s->branch, &r, &l, ahead);
	case BEHIND:
		if ((rc = adr__branch_advance(s->repo, s->branch, &l, &r, "adr sync: fast-forward", &s->warning)) < 0)
			return rc;
		return add(s, ADR_SYNC_IN, s->branch, &l, &r, behind, NULL);
	case DIVERGED:
		break;
	}
	if ((rc = integrate(s, &l, &r, &tip, &merged)) < 0 ||
	    (rc = adr__branch_advance(s->repo, s->branch, &l, &tip, "adr sync: integrate", &s->warning)) < 0 ||
	    (rc = add(s, ADR_SYNC_INTEGRATED, s->branch, &l, &tip, behind,
		      merged ? "merged (local commits outside the records)" : "local commits replayed")) < 0)
		return rc;
	ahead = 0;
	if (git_graph_ahead_behind(&ahead, &behind, s->git, &tip, &r) < 0)
		git_error_clear();
	return plan_push(s, s->branch, &r, &tip, ahead);
}

/* --- proposal branches -------------------------------------------------------------- */

/* True when the decision branch's tip has a numbered record of `slug`. */
static bool numbered_on(sync_run *s, const git_oid *d, const char *slug)
{
	git_commit *c = NULL;
	git_tree *root = NULL, *t = NULL;
	git_tree_entry *e = NULL;
	adr_buf name = ADR_BUF_INIT;
	bool yes = false;

	if (git_commit_lookup(&c, s->git, d) == 0 && git_commit_tree(&root, c) == 0 &&
	    git_tree_entry_bypath(&e, root, adr_repo_records_dir(s->repo)) == 0 &&
	    git_tree_lookup(&t, s->git, git_tree_entry_id(e)) == 0)
		for (size_t i = 0; i < git_tree_entrycount(t) && !yes; i++) {
			int n;
			adr_buf_clear(&name);
			yes = adr_record_parse_filename(&n, &name, git_tree_entry_name(git_tree_entry_byindex(t, i))) == 0 &&
			      strcmp(name.ptr, slug) == 0;
		}
	adr_error_clear();
	git_error_clear();
	adr_buf_dispose(&name);
	git_tree_free(t);
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(c);
	return yes;
}

/* True when the decision branch decided the proposal `slug` (it has its
 * record numbered) and merged `tip` at least in part: the commit where they
 * meet has the proposal's own unnumbered file. A proposal merged by plain
 * git (a pull request) and not decided yet is not. */
static bool decided(sync_run *s, const git_oid *tip, const char *slug)
{
	git_oid d, base;
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	adr_buf path = ADR_BUF_INIT;
	bool yes = false;

	adr_buf_printf(&path, "%s/%s.md", adr_repo_records_dir(s->repo), slug);
	if (!adr_buf_oom(&path) && git_reference_name_to_id(&d, s->git, s->branch) == 0 &&
	    git_merge_base(&base, s->git, tip, &d) == 0 && git_commit_lookup(&c, s->git, &base) == 0 &&
	    git_commit_tree(&t, c) == 0)
		yes = git_tree_entry_bypath(&e, t, path.ptr) == 0 && numbered_on(s, &d, slug);
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	adr_buf_dispose(&path);
	return yes;
}

static bool reachable(sync_run *s, const git_oid *tip)
{
	git_oid d;
	bool yes = git_reference_name_to_id(&d, s->git, s->branch) == 0 &&
		   (git_oid_equal(&d, tip) || git_graph_descendant_of(s->git, &d, tip) == 1);
	git_error_clear();
	return yes;
}

static int conflict(sync_run *s, const char *ref, const git_oid *l, const git_oid *r)
{
	s->conflict = true;
	return add(s, ADR_SYNC_CONFLICT, ref, l, r, 0, adr_error_last());
}

static int sync_decided(sync_run *s, const char *slug, const char *ref, int hl, const git_oid *l, int hr,
			const git_oid *r)
{
	size_t moved = 0;
	git_reference *made = NULL;
	int rc;

	/* Comments someone pushed after the decision, with no local branch here:
	 * take the branch, so retiring carries them to the decision like ours. */
	if (!hl && hr && !reachable(s, r)) {
		if ((rc = adr__proposal_carried(s->repo, slug, r)) < 0)
			return rc;
		if (rc == 0) {
			if ((rc = git_reference_create(&made, s->git, ref, r, 0, "adr sync: late comments")) < 0)
				return git_failed(rc, "create", ref);
			git_reference_free(made);
			hl = 1;
			l = r;
		}
	}
	if (hl) {
		if ((rc = adr__proposal_retire(s->repo, slug, &moved)) == ADR_ECONFLICT)
			return conflict(s, ref, l, hr ? r : NULL);
		if (rc < 0 || (rc = add(s, ADR_SYNC_RETIRED, ref, l, NULL, moved,
					moved ? "late comments kept on the decision" : NULL)) < 0)
			return rc;
	}
	/* The remote branch goes when the decision branch holds all of it: merged,
	 * or its later commits carried over as late comments (just now, or by
	 * whoever retired it before). */
	if (!hr)
		return 0;
	if (!reachable(s, r) && (rc = adr__proposal_carried(s->repo, slug, r)) <= 0)
		return rc;
	return plan_push(s, ref, r, NULL, 0);
}

static int sync_proposal(sync_run *s, const char *slug)
{
	adr_buf ref = ADR_BUF_INIT, tr = ADR_BUF_INIT;
	git_oid l, r, tip;
	size_t ahead, behind;
	char hex[41];
	int hl, hr, rc;

	adr_buf_printf(&ref, "refs/heads/adr/%s", slug);
	if (adr_buf_oom(&ref) || (rc = adr__remote_tracking(&tr, &s->rem, ref.ptr)) < 0) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = hl = ref_id(&l, s, ref.ptr)) < 0 || (rc = hr = ref_id(&r, s, tr.ptr)) < 0)
		goto cleanup;
	if ((hr && decided(s, &r, slug)) || (hl && decided(s, &l, slug))) {
		rc = sync_decided(s, slug, ref.ptr, hl, &l, hr, &r);
		goto cleanup;
	}
	rc = 0;
	if (!hl)
		goto cleanup; /* readers see the remote-tracking branch */
	if (!hr) {
		rc = plan_push(s, ref.ptr, NULL, &l, 0);
		goto cleanup;
	}
	switch (relate(s, &l, &r, &ahead, &behind)) {
	case SAME:
		break;
	case AHEAD:
		rc = plan_push(s, ref.ptr, &r, &l, ahead);
		break;
	case BEHIND:
		if ((rc = adr__branch_advance(s->repo, ref.ptr, &l, &r, "adr sync: fast-forward", &s->warning)) == 0)
			rc = add(s, ADR_SYNC_IN, ref.ptr, &l, &r, behind, NULL);
		break;
	case DIVERGED:
		rc = adr__proposal_combine(s->repo, s->rem.name, slug, hex);
		if (rc == ADR_ECONFLICT) {
			rc = conflict(s, ref.ptr, &l, &r);
		} else if (rc == 0 && git_oid_fromstr(&tip, hex) == 0) {
			if ((rc = add(s, ADR_SYNC_INTEGRATED, ref.ptr, &l, &tip, behind, "comments combined")) == 0)
				rc = plan_push(s, ref.ptr, &r, &tip, 0);
		}
		break;
	}
cleanup:
	adr_buf_dispose(&ref);
	adr_buf_dispose(&tr);
	return rc;
}

/* Every slug with a local or a remote-tracking branch. */
static int slugs(sync_run *s, adr_strlist *out)
{
	const char *globs[2] = { "refs/heads/adr/*", NULL };
	adr_buf rglob = ADR_BUF_INIT;
	int rc = 0;

	adr_buf_printf(&rglob, "refs/remotes/%s/adr/*", s->rem.name);
	if (adr_buf_oom(&rglob))
		return ADR_ENOMEM;
	globs[1] = rglob.ptr;
	for (int g = 0; g < 2 && rc == 0; g++) {
		git_reference_iterator *it = NULL;
		const char *name;
		size_t skip = strlen(globs[g]) - 1;
		if ((rc = git_reference_iterator_glob_new(&it, s->git, globs[g])) < 0) {
			rc = git_failed(rc, "list", globs[g]);
			break;
		}
		while (rc == 0 && git_reference_next_name(&name, it) == 0)
			rc = adr_strlist_add_unique(out, name + skip) < 0 ? ADR_ENOMEM : 0;
		git_reference_iterator_free(it);
	}
	git_error_clear();
	adr_buf_dispose(&rglob);
	return rc;
}

static int sync_proposals(sync_run *s)
{
	adr_strlist l = { 0 };
	int rc = slugs(s, &l);
	for (size_t i = 0; i < l.count && rc == 0; i++)
		rc = sync_proposal(s, l.items[i]);
	adr_strlist_dispose(&l);
	return rc;
}

/* --- rounds ------------------------------------------------------------------------- */

/* A refusal that another round can fix: the ref moved on the remote. */
static bool moved_on_remote(const char *msg)
{
	static const char *const words[] = { "non-fast-forward", "fetch first", "failed to lock", "failed to update",
					     "cannot lock", "stale info", "already exists", "incorrect old value" };
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(msg, words[i]))
			return true;
	return false;
}

/* The pending pushes as the transport takes them (ids in `ids`, 2 per ref). */
static int push_specs(sync_run *s, adr__push_spec **out, git_oid **ids)
{
	adr__push_spec *p = adr__calloc(s->npending + 1, sizeof(*p));
	git_oid *o = adr__calloc(2 * s->npending + 1, sizeof(*o));

	*out = p;
	*ids = o;
	ADR_ALLOC_CHECK(p);
	ADR_ALLOC_CHECK(o);
	for (size_t i = 0; i < s->npending; i++) {
		adr_sync_item *it = &s->pending[i];
		p[i].src = p[i].dst = it->ref;
		if (it->old_id[0] && git_oid_fromstr(&o[2 * i], it->old_id) == 0)
			p[i].old = &o[2 * i];
		if (!it->new_id[0])
			continue;
		/* The branch as it is now: retiring a proposal may have added
		 * its late comments to the decision branch since it was planned. */
		if (git_reference_name_to_id(&o[2 * i + 1], s->git, it->ref) == 0)
			git_oid_tostr(it->new_id, sizeof(it->new_id), &o[2 * i + 1]);
		else if (git_oid_fromstr(&o[2 * i + 1], it->new_id) < 0)
			continue;
		git_error_clear();
		p[i].new_id = &o[2 * i + 1];
	}
	return 0;
}

/* 0 when every ref was accepted, 1 when another round may succeed. */
static int push(sync_run *s)
{
	adr__push_spec *specs = NULL;
	git_oid *ids = NULL;
	size_t rejected = 0;
	bool retry = true;
	int rc = push_specs(s, &specs, &ids);

	if (rc == 0)
		rc = adr__remote_push(&s->rem, specs, s->npending, &rejected);
	free(specs);
	free(ids);
	if (rc == ADR_EBUSY)
		return 1;
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < s->rem.npushed; i++)
		if (s->rem.pushed[i].msg && !moved_on_remote(s->rem.pushed[i].msg))
			retry = false;
	if (!rejected) {
		for (size_t i = 0; i < s->npending; i++) {
			adr_sync_item *p = &s->pending[i];
			git_oid o, n;
			int r2 = git_oid_fromstr(&o, p->old_id);
			if (git_oid_fromstr(&n, p->new_id) < 0)
				memset(&n, 0, sizeof(n));
			if ((rc = add(s, p->kind, p->ref, r2 == 0 ? &o : NULL, p->new_id[0] ? &n : NULL, p->commits,
				      NULL)) < 0)
				return rc;
		}
		return 0;
	}
	if (retry)
		return 1;
	for (size_t i = 0; i < s->rem.npushed; i++)
		if (s->rem.pushed[i].msg)
			return adr__error(ADR_ERROR, "the remote '%s' (%s) rejected '%s': %s; nothing was lost, the local "
						     "branches keep every commit",
					  s->rem.name, s->rem.url, s->rem.pushed[i].ref, s->rem.pushed[i].msg);
	return 0;
}

static void round_reset(sync_run *s)
{
	items_free(s->pending, s->npending);
	s->pending = NULL;
	s->npending = s->apending = 0;
}

/* Retiring a decided proposal carries its late comments onto the decision
 * branch after that branch was compared with the remote: when no push of
 * it is planned yet, compare again (it can only be ahead now). */
static int decision_again(sync_run *s, const char *tracking)
{
	for (size_t i = 0; i < s->npending; i++)
		if (strcmp(s->pending[i].ref, s->branch) == 0)
			return 0;
	return sync_decision(s, tracking);
}

static int one_round(sync_run *s, const char *tracking)
{
	int rc;

	round_reset(s);
	s->out->rounds++;
	if ((rc = adr__remote_fetch(&s->rem, s->branch)) < 0 || (rc = sync_decision(s, tracking)) < 0 ||
	    (rc = sync_proposals(s)) < 0 || (rc = decision_again(s, tracking)) < 0)
		return rc;
	if (!s->npending)
		return 0;
	return push(s);
}

/* --- the dry run: what the remote advertises against the local refs ------------------- */

static int dry_one(sync_run *s, const char *ref, const adr__remote_head *h)
{
	git_odb *odb = NULL;
	git_oid l;
	size_t ahead, behind;
	bool known;
	int hl = ref_id(&l, s, ref);

	if (hl < 0)
		return hl;
	if (!h)
		return hl ? add(s, ADR_SYNC_OUT, ref, NULL, &l, 0, "would push") : 0;
	known = git_repository_odb(&odb, s->git) == 0 && git_odb_exists(odb, &h->id);
	git_odb_free(odb);
	git_error_clear();
	if (!hl || !known)
		return add(s, ADR_SYNC_IN, ref, hl ? &l : NULL, &h->id, 0, "would fetch new commits");
	switch (relate(s, &l, &h->id, &ahead, &behind)) {
	case SAME:
		return 0;
	case AHEAD:
		return add(s, ADR_SYNC_OUT, ref, &h->id, &l, ahead, "would push");
	case BEHIND:
		return add(s, ADR_SYNC_IN, ref, &l, &h->id, behind, "would fast-forward");
	case DIVERGED:
		break;
	}
	return add(s, ADR_SYNC_INTEGRATED, ref, &l, &h->id, behind, "would integrate");
}

static const adr__remote_head *find_head(const adr__remote_head *h, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(h[i].name, name) == 0)
			return &h[i];
	return NULL;
}

static int dry_run(sync_run *s)
{
	adr__remote_head *h = NULL;
	size_t n = 0;
	int rc;

	if ((rc = adr__remote_list(&s->rem, &h, &n)) < 0)
		return rc;
	rc = dry_one(s, s->branch, find_head(h, n, s->branch));
	for (size_t i = 0; i < n && rc == 0; i++)
		if (strncmp(h[i].name, "refs/heads/adr/", 15) == 0)
			rc = dry_one(s, h[i].name, &h[i]);
	if (rc == 0) {
		git_reference_iterator *it = NULL;
		const char *name;
		if (git_reference_iterator_glob_new(&it, s->git, "refs/heads/adr/*") == 0)
			while (rc == 0 && git_reference_next_name(&name, it) == 0)
				if (!find_head(h, n, name))
					rc = dry_one(s, name, NULL);
		git_reference_iterator_free(it);
		git_error_clear();
	}
	adr__remote_heads_free(h, n);
	s->out->up_to_date = rc == 0 && s->out->count == 0;
	return rc;
}

int adr_sync_run(adr_sync_result *out, adr_repo *repo, const adr_sync_opts *opts)
{
	adr_sync_opts def = ADR_SYNC_OPTS_INIT;
	adr_buf tracking = ADR_BUF_INIT;
	sync_run s;
	unsigned max;
	int rc;

	if (!opts)
		opts = &def;
	memset(out, 0, sizeof(*out));
	if (opts->version != ADR_SYNC_OPTS_VERSION)
		return adr__error(ADR_EUSAGE, "adr_sync_opts: unknown version %u", opts->version);
	memset(&s, 0, sizeof(s));
	s.repo = repo;
	s.git = adr__repo_git(repo);
	s.opts = opts;
	s.out = out;
	s.branch = adr_repo_branch(repo);
	s.warning = (adr_buf)ADR_BUF_INIT;
	out->dry_run = opts->dry_run;
	max = opts->max_rounds ? opts->max_rounds : DEFAULT_ROUNDS;
	if ((rc = adr__remote_open(&s.rem, repo, opts->remote, opts->credentials, opts->credentials_payload)) < 0 ||
	    (rc = adr__remote_tracking(&tracking, &s.rem, s.branch)) < 0)
		goto cleanup;
	s.rem.progress = opts->progress;
	s.rem.progress_payload = opts->progress_payload;
	if (!(out->remote = adr__strdup(s.rem.name)) || !(out->url = adr__strdup(s.rem.url))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (opts->dry_run) {
		rc = dry_run(&s);
		goto cleanup;
	}
	while ((rc = one_round(&s, tracking.ptr)) == 1) {
		if (out->rounds >= max) {
			rc = adr__error(ADR_EBUSY, "gave up after %u rounds: the remote '%s' (%s) kept changing while adr "
						   "pushed; nothing was lost, try again",
					out->rounds, s.rem.name, s.rem.url);
			break;
		}
		adr__sleep_ms(adr__jitter_ms(50 * (long)out->rounds));
	}
	if (rc == 0 && s.conflict) {
		const adr_sync_item *c = NULL;
		for (size_t i = 0; i < out->count && !c; i++)
			if (out->items[i].kind == ADR_SYNC_CONFLICT)
				c = &out->items[i];
		const char *why = c && c->detail ? c->detail : "not integrated";
		if (c)
			rc = adr__error(ADR_ECONFLICT, "'%s': %s", c->ref, why);
	}
	out->up_to_date = rc == 0 && out->count == 0;
cleanup:
	if (s.warning.size)
		out->warning = adr_buf_detach(&s.warning);
	round_reset(&s);
	adr_buf_dispose(&s.warning);
	adr_buf_dispose(&tracking);
	adr__remote_close(&s.rem);
	return rc;
}
