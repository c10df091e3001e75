/*
 * log/proposal.c: finding proposals.
 *
 * A proposal is a branch adr/<slug> (local, or remote-tracking as
 * <remote>/adr/<slug>) holding <dir>/<slug>.md. This file lists them, picks
 * the one a name means, and loads one with the tallies of its thread; plus
 * the small helpers the other proposal files share (log/proposal_internal.h).
 * The rest of asynchronous review: log/propose.c (the writes on a branch),
 * log/thread.c (reading a discussion), log/decision.c (was it decided),
 * log/decide.c (accept and reject), log/scope.c (what a branch may change).
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/proposal.h"
#include "log/proposal_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#define HEADS_PREFIX "refs/heads/adr/"
#define REMOTES_PREFIX "refs/remotes/"

static int oid_of(git_oid *out, adr_repo *repo, const char *ref)
{
	int rc = git_reference_name_to_id(out, adr__repo_git(repo), ref);
	if (rc < 0)
		return adr__error_git(rc, "cannot read '%s'", ref);
	return 0;
}

int adr__decision_tip(git_oid *out, adr_repo *repo)
{
	int rc = git_reference_name_to_id(out, adr__repo_git(repo), adr_repo_branch(repo));
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return adr__error_git(rc, "cannot read the decision branch '%s'", adr_repo_branch(repo));
	return 1;
}

int adr__proposal_branch(adr_buf *out, const char *slug)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "adr/%s", slug);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

int adr__proposal_path(adr_buf *out, adr_repo *repo, const char *slug)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "%s/%s.md", adr_repo_records_dir(repo), slug);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

const char *adr__ref_short(const char *ref)
{
	if (strncmp(ref, "refs/heads/", 11) == 0)
		return ref + 11;
	if (strncmp(ref, "refs/remotes/", 13) == 0)
		return ref + 13;
	return ref;
}

int adr__oid_list_add(adr__oid_list *l, const git_oid *id)
{
	if (ADR_ARRAY_GROW(l->ids, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	git_oid_cpy(&l->ids[l->count++], id);
	return 0;
}

void adr__oid_list_dispose(adr__oid_list *l)
{
	free(l->ids);
	memset(l, 0, sizeof(*l));
}

/* --- finding proposals ------------------------------------------------------ */

void adr__cands_clear(adr__cand_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].slug);
		free(l->items[i].ref);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* The slug of a proposal ref, or NULL. */
static const char *ref_slug(const char *name, bool *remote)
{
	const char *s = NULL;
	if (strncmp(name, HEADS_PREFIX, strlen(HEADS_PREFIX)) == 0) {
		s = name + strlen(HEADS_PREFIX);
		*remote = false;
	} else if (strncmp(name, REMOTES_PREFIX, strlen(REMOTES_PREFIX)) == 0) {
		const char *r = name + strlen(REMOTES_PREFIX);
		const char *a = strstr(r, "/adr/");
		if (!a || a == r)
			return NULL;
		s = a + 5;
		*remote = true;
	}
	if (!s || !*s || strchr(s, '/'))
		return NULL;
	return s;
}

int adr__cands_load(adr__cand_list *l, adr_repo *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int rc;

	if ((rc = git_reference_iterator_new(&it, adr__repo_git(repo))) < 0)
		return adr__error_git(rc, "cannot list branches");
	while ((rc = git_reference_next(&ref, it)) == 0) {
		bool remote = false;
		const char *name = git_reference_name(ref);
		const char *slug = ref_slug(name, &remote);
		if (slug && git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
			adr__cand *cd;
			if (ADR_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0) {
				git_reference_free(ref);
				rc = ADR_ENOMEM;
				goto cleanup;
			}
			cd = &l->items[l->count++];
			cd->slug = adr__strdup(slug);
			cd->ref = adr__strdup(name);
			cd->remote = remote;
			if (!cd->slug || !cd->ref) {
				git_reference_free(ref);
				rc = ADR_ENOMEM;
				goto cleanup;
			}
		}
		git_reference_free(ref);
	}
	rc = rc == GIT_ITEROVER ? 0 : adr__error_git(rc, "cannot list branches");
cleanup:
	git_reference_iterator_free(it);
	return rc;
}

void adr_proposal_dispose(adr_proposal *p)
{
	free(p->slug);
	free(p->ref);
	free(p->path);
	free(p->error);
	adr_record_free(p->record);
	adr_strlist_dispose(&p->approvals);
	adr_strlist_dispose(&p->objections);
	memset(p, 0, sizeof(*p));
}

/* A vote by `who` for one side: counted there, taken back from the other
 * (emptied, dropped by drop_replaced()). */
static void tally_vote(adr_strlist *side, adr_strlist *other, const char *who)
{
	adr_strlist_add_unique(side, who);
	for (size_t k = 0; k < other->count; k++)
		if (strcmp(other->items[k], who) == 0)
			other->items[k][0] = '\0';
}

/* Drops the votes a later vote replaced. */
static void drop_replaced(adr_strlist *l)
{
	size_t w = 0;
	for (size_t k = 0; k < l->count; k++) {
		if (l->items[k][0])
			l->items[w++] = l->items[k];
		else
			free(l->items[k]);
	}
	l->count = w;
}

/* When `p` was proposed, its comments, revisions and votes, from its thread. */
static void proposal_tally(adr_proposal *p, const adr_thread *t)
{
	for (size_t i = 0; i < t->count; i++) {
		const adr_event *e = &t->events[i];
		if (e->kind == ADR_EVENT_PROPOSED && !p->created)
			p->created = e->time;
		if (e->kind == ADR_EVENT_REVISED)
			p->revisions++;
		if (e->kind != ADR_EVENT_COMMENT)
			continue;
		p->comments++;
		if (e->vote == ADR_VOTE_APPROVE)
			tally_vote(&p->approvals, &p->objections, e->author);
		else if (e->vote == ADR_VOTE_OBJECT)
			tally_vote(&p->objections, &p->approvals, e->author);
	}
	drop_replaced(&p->approvals);
	drop_replaced(&p->objections);
	if (!p->created && t->count)
		p->created = t->events[0].time;
}

/* Reads the thread of `p`, whose branch is at `tip`, into its tallies. */
static int proposal_read_thread(adr_proposal *p, adr_repo *repo, const git_oid *tip)
{
	adr_thread t;
	git_oid hide;
	int rc, have_hide = adr__decision_tip(&hide, repo); /* unborn: nothing to hide */

	if (have_hide < 0)
		return have_hide;
	memset(&t, 0, sizeof(t));
	if ((rc = adr__walk_thread(&t, repo, tip, have_hide ? &hide : NULL, p->path, 0)) == 0)
		proposal_tally(p, &t);
	adr_thread_dispose(&t);
	return rc;
}

static int proposal_load(adr_proposal *p, adr_repo *repo, const adr__cand *c, bool with_thread)
{
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	git_oid oid;
	int rc;

	memset(p, 0, sizeof(*p));
	p->slug = adr__strdup(c->slug);
	p->ref = adr__strdup(c->ref);
	p->remote = c->remote;
	if (adr__proposal_path(&path, repo, c->slug) == 0)
		p->path = adr_buf_detach(&path);
	if (!p->slug || !p->ref || !p->path) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = oid_of(&oid, repo, c->ref)) < 0)
		goto cleanup;
	git_oid_tostr(p->tip, sizeof(p->tip), &oid);
	/* A branch without its record, or with a record that does not parse,
	 * is listed with the problem; a read that fails is an error, or every
	 * proposal would vanish from the queue with a warning. */
	rc = adr_repo_read_file(&data, repo, p->tip, p->path);
	if (rc < 0 && rc != ADR_ENOTFOUND && rc != ADR_EINVALID)
		goto cleanup;
	if (rc < 0 || adr_record_parse(&p->record, p->path, data.ptr, data.size, ADR_PARSE_LENIENT) < 0) {
		p->error = adr__strdup(adr_error_last());
		adr_error_clear();
	}
	rc = with_thread ? proposal_read_thread(p, repo, &oid) : 0;
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	return rc;
}

/* Picks the candidate for `ref`; *idx = -1 when none. */
static int cands_pick(int *idx, const adr__cand_list *l, const char *ref)
{
	const char *want_ref = NULL;
	adr_buf full = ADR_BUF_INIT;
	int found = -1, rc = 0;
	size_t rlen = strlen(ref);

	*idx = -1;
	if (strncmp(ref, "refs/", 5) == 0) {
		want_ref = ref;
	} else if (strncmp(ref, "adr/", 4) == 0) {
		adr_buf_printf(&full, "refs/heads/%s", ref);
		want_ref = full.ptr;
	} else if (strstr(ref, "/adr/")) {
		adr_buf_printf(&full, "refs/remotes/%s", ref);
		want_ref = full.ptr;
	}
	if (want_ref) {
		for (size_t i = 0; i < l->count; i++)
			if (strcmp(l->items[i].ref, want_ref) == 0)
				found = (int)i;
		/* "adr/x" also names a proposal known only as a remote-tracking branch. */
		if (found >= 0 || strncmp(ref, "adr/", 4) != 0) {
			*idx = found;
			goto cleanup;
		}
		ref += 4;
		rlen -= 4;
	}
	/* An exact slug, local first. */
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].slug, ref) == 0 && (found < 0 || (l->items[found].remote && !l->items[i].remote)))
			found = (int)i;
	if (found >= 0) {
		*idx = found;
		goto cleanup;
	}
	/* A unique prefix. */
	for (size_t i = 0; i < l->count; i++) {
		if (rlen == 0 || strncmp(l->items[i].slug, ref, rlen) != 0)
			continue;
		if (found >= 0 && strcmp(l->items[found].slug, l->items[i].slug) != 0) {
			rc = adr__error(ADR_EAMBIGUOUS, "'%s' matches more than one proposal: %s, %s, ...", ref,
					l->items[found].slug, l->items[i].slug);
			goto cleanup;
		}
		if (found < 0 || (l->items[found].remote && !l->items[i].remote))
			found = (int)i;
	}
	*idx = found;
cleanup:
	adr_buf_dispose(&full);
	return rc;
}

int adr_proposal_find(adr_proposal *out, adr_repo *repo, const char *ref, bool with_thread)
{
	adr__cand_list l = { 0 };
	int rc, idx;

	memset(out, 0, sizeof(*out));
	if ((rc = adr__cands_load(&l, repo)) < 0 || (rc = cands_pick(&idx, &l, ref)) < 0)
		goto cleanup;
	if (idx < 0) {
		rc = adr__error(ADR_ENOTFOUND, "no proposal '%s' (no local or remote-tracking adr/* branch matches)", ref);
		goto cleanup;
	}
	rc = proposal_load(out, repo, &l.items[idx], with_thread);
cleanup:
	adr__cands_clear(&l);
	return rc;
}

static int cmp_proposal(const void *a, const void *b)
{
	const adr_proposal *x = a, *y = b;
	const char *dx = x->record && x->record->review_by[0] ? x->record->review_by : "9999";
	const char *dy = y->record && y->record->review_by[0] ? y->record->review_by : "9999";
	int c = strcmp(dx, dy);
	return c ? c : strcmp(x->slug, y->slug);
}

/* True when candidate `i` stands for its slug: the local branch, else the
 * first remote-tracking one. */
static bool cand_first(const adr__cand_list *l, size_t i)
{
	for (size_t k = 0; k < l->count; k++)
		if (k != i && strcmp(l->items[k].slug, l->items[i].slug) == 0 &&
		    ((!l->items[k].remote && l->items[i].remote) || (l->items[k].remote == l->items[i].remote && k < i)))
			return false;
	return true;
}

/*
 * 1 when the branch of `c` is decided, not open: merged into the decision
 * branch at `dtip`, or gone on after its decision (late commits), which
 * adds a note to `out`; else 0, or an error.
 */
static int cand_decided(adr_proposal_list *out, adr_repo *repo, const adr__cand *c, const git_oid *dtip)
{
	adr_buf path = ADR_BUF_INIT, note = ADR_BUF_INIT;
	adr_proposal tmp;
	adr_decision d;
	git_oid tip;
	size_t late = 0;
	int rc = 0, state;

	/* Unreadable: proposal_load() says why. */
	if (git_reference_name_to_id(&tip, adr__repo_git(repo), c->ref) != 0)
		return 0;
	if (adr__proposal_path(&path, repo, c->slug) < 0)
		return ADR_ENOMEM;
	state = adr__branch_state(adr__repo_git(repo), &tip, dtip, path.ptr, &late);
	if (state == BRANCH_MERGED)
		rc = 1;
	if (state != BRANCH_AHEAD)
		goto cleanup;
	memset(&tmp, 0, sizeof(tmp));
	tmp.slug = c->slug;
	tmp.path = path.ptr;
	git_oid_tostr(tmp.tip, sizeof(tmp.tip), &tip);
	if ((rc = adr__proposal_decided(&d, NULL, repo, &tmp, NULL)) != 1)
		goto cleanup;
	adr_buf_printf(&note, "%s was decided as %04d, but has %zu commit%s made after the decision; they do not "
			      "reopen it (adr thread %s shows them as late)",
		       adr__ref_short(c->ref), d.number, d.late, d.late == 1 ? "" : "s", c->slug);
	if (adr_buf_oom(&note) || adr_strlist_add(&out->notes, note.ptr) < 0)
		rc = ADR_ENOMEM;
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&note);
	return rc;
}

int adr_proposal_list_all(adr_proposal_list *out, adr_repo *repo)
{
	adr__cand_list l = { 0 };
	git_oid dtip;
	bool have_dtip;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = adr__cands_load(&l, repo)) < 0)
		goto cleanup;
	if ((rc = adr__decision_tip(&dtip, repo)) < 0)
		goto cleanup;
	have_dtip = rc == 1;
	if (l.count && !(out->items = adr__calloc(l.count, sizeof(*out->items)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < l.count; i++) {
		if (!cand_first(&l, i))
			continue;
		if (have_dtip && (rc = cand_decided(out, repo, &l.items[i], &dtip)) != 0) {
			if (rc < 0)
				goto cleanup;
			continue;
		}
		if ((rc = proposal_load(&out->items[out->count], repo, &l.items[i], true)) < 0) {
			adr_proposal_dispose(&out->items[out->count]);
			goto cleanup;
		}
		out->count++;
	}
	if (out->count)
		qsort(out->items, out->count, sizeof(*out->items), cmp_proposal);
	rc = 0;
cleanup:
	adr__cands_clear(&l);
	if (rc < 0)
		adr_proposal_list_dispose(out);
	return rc;
}

void adr_proposal_list_dispose(adr_proposal_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		adr_proposal_dispose(&l->items[i]);
	free(l->items);
	adr_strlist_dispose(&l->notes);
	memset(l, 0, sizeof(*l));
}
