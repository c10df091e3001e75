/*
 * log/decide.c: `adr accept` and `adr reject`.
 *
 * Deciding merges the proposal branch into the decision branch with a real
 * merge commit that also numbers the record (and marks what it supersedes),
 * inside one compare-and-swap; then the proposal branch is deleted when it
 * still points where the decision found it.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adr/commit.h"
#include "adr/proposal.h"
#include "adr/revisit.h"
#include "log/ops_internal.h"
#include "log/proposal_internal.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"

/* The person deciding: GIT_AUTHOR_NAME, else user.name. */
static int decider_name(adr_buf *out, adr_repo *repo)
{
	const char *env = getenv("GIT_AUTHOR_NAME");
	git_config *cfg = NULL;
	git_buf name = { 0 };
	int rc;
	if (env && *env)
		return adr_buf_puts(out, env) < 0 ? ADR_ENOMEM : 0;
	if ((rc = git_repository_config_snapshot(&cfg, adr__repo_git(repo))) < 0)
		return adr__error_git(rc, "cannot read git config");
	if ((rc = git_config_get_string_buf(&name, cfg, "user.name")) == GIT_ENOTFOUND)
		rc = adr__error(ADR_EUSAGE, "no author name: set it with git config user.name \"Your Name\"");
	else if (rc < 0)
		rc = adr__error_git(rc, "cannot read user.name from git config");
	else
		rc = adr_buf_puts(out, name.ptr) < 0 ? ADR_ENOMEM : 0;
	git_buf_dispose(&name);
	git_config_free(cfg);
	return rc;
}

void adr_decide_result_dispose(adr_decide_result *res)
{
	adr_op_result_dispose(&res->op);
	free(res->warning);
	res->warning = NULL;
}

typedef struct {
	adr_decide_result *res;
	const adr_decide_opts *opts;
	const adr_proposal *p;
	const adr_strlist *makers;
	const adr_decide_extra *x; /* never NULL */
	git_oid tip;
	bool already;
	bool in_place;      /* merged by plain git: decided on the decision branch itself */
	git_oid merged;     /* with in_place: the proposal tip that merge brought */
	char revisit[11];   /* the revisit date an acceptance sets ("": none) */
} decide_ctx;

/* Names the conflicting paths of a merge index. */
static int conflict_error(git_index *idx, const char *what, const char *branch)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *a, *o, *t;
	adr_buf names = ADR_BUF_INIT;
	const char *where;
	int rc, n = 0;

	if (git_index_conflict_iterator_new(&it, idx) == 0) {
		while (git_index_conflict_next(&a, &o, &t, it) == 0 && n < 10) {
			const char *path = o ? o->path : t ? t->path : a ? a->path : "?";
			adr_buf_printf(&names, "%s'%s'", n++ ? ", " : "", path);
		}
		git_index_conflict_iterator_free(it);
	}
	where = names.size ? names.ptr : "some files"; /* no names: out of memory */
	rc = adr__error(ADR_ECONFLICT, "%s conflicts with %s in %s; merge %s into the proposal (or fix it) and "
				       "try again; nothing was written", what, branch, where, branch);
	adr_buf_dispose(&names);
	return rc;
}

static int stage_merge(adr_change *ch, git_repository *git, git_tree *from, git_tree *to)
{
	git_diff *diff = NULL;
	git_blob *blob = NULL;
	int rc;

	if ((rc = git_diff_tree_to_tree(&diff, git, from, to, NULL)) < 0)
		return adr__error_git(rc, "cannot compare the merge with the decision branch");
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_DELETED) {
			if ((rc = adr_change_delete(ch, d->old_file.path)) < 0)
				goto cleanup;
			continue;
		}
		if (d->new_file.mode != GIT_FILEMODE_BLOB) {
			rc = adr__error(ADR_EINVALID, "'%s' in the proposal is not a regular file; adr merges regular "
						      "files only", d->new_file.path);
			goto cleanup;
		}
		if ((rc = git_blob_lookup(&blob, git, &d->new_file.id)) < 0) {
			rc = adr__error_git(rc, "'%s' is missing", d->new_file.path);
			goto cleanup;
		}
		rc = adr_change_write(ch, d->new_file.path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
		blob = NULL;
		if (rc < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	git_blob_free(blob);
	git_diff_free(diff);
	return rc;
}

/* Stages the merge of the proposal at c->tip into the decision branch at
 * `dtip`: refused when the branch changed files outside its record, or
 * when the two conflict. */
static int stage_proposal(adr_change *ch, decide_ctx *c, const git_oid *dtip)
{
	adr_repo *repo = adr_change_repo(ch);
	git_repository *git = adr__repo_git(repo);
	git_commit *dc = NULL, *pc = NULL;
	git_tree *dtree = NULL, *mtree = NULL;
	git_index *idx = NULL;
	adr_strlist outside = ADR_STRLIST_INIT;
	git_oid moid;
	int rc;

	/* Nothing but the record (and its new images) reaches the decision branch. */
	if ((rc = adr__branch_outside(&outside, repo, &c->tip, dtip, c->p->path)) < 0)
		goto cleanup;
	if (outside.count) {
		rc = adr__outside_error(&outside, repo, c->p->ref, c->p->slug, c->p->path);
		goto cleanup;
	}
	if ((rc = git_commit_lookup(&dc, git, dtip)) < 0 || (rc = git_commit_lookup(&pc, git, &c->tip)) < 0) {
		rc = adr__error_git(rc, "cannot read the commits to merge");
		goto cleanup;
	}
	if ((rc = git_merge_commits(&idx, git, dc, pc, NULL)) < 0) {
		rc = adr__error_git(rc, "cannot merge %s", c->p->ref);
		goto cleanup;
	}
	if (git_index_has_conflicts(idx)) {
		rc = conflict_error(idx, c->p->ref, adr_change_branch(ch));
		goto cleanup;
	}
	if ((rc = git_index_write_tree_to(&moid, idx, git)) < 0 || (rc = git_tree_lookup(&mtree, git, &moid)) < 0 ||
	    (rc = git_commit_tree(&dtree, dc)) < 0) {
		rc = adr__error_git(rc, "cannot write the merged tree");
		goto cleanup;
	}
	rc = stage_merge(ch, git, dtree, mtree);
cleanup:
	adr_strlist_dispose(&outside);
	git_index_free(idx);
	git_tree_free(dtree);
	git_tree_free(mtree);
	git_commit_free(dc);
	git_commit_free(pc);
	return rc;
}

/* Appends the reason to the body as its own section. */
static int add_reason(adr_record *r, const char *reason, bool accept)
{
	return adr_record_append_section(r, accept ? "Note on acceptance" : "Reason for rejection", reason);
}

/* The proposal's record as the decision makes it: numbered inside the
 * compare-and-swap (*number), at its numbered `path`, decided today. */
static int decided_record(adr_record **out, int *number, adr_buf *path, adr_change *ch, const decide_ctx *c)
{
	adr_buf text = ADR_BUF_INIT;
	adr_record *r = NULL;
	int rc;

	*out = NULL;
	if ((rc = adr_change_read(ch, &text, c->p->path)) < 0) {
		rc = adr__error(ADR_ENOTFOUND, "%s has no '%s': it is not a proposal", c->p->ref, c->p->path);
		goto cleanup;
	}
	if ((rc = adr_record_parse(&r, c->p->path, text.ptr, text.size, 0)) < 0 ||
	    (rc = adr__op_next_record(path, number, ch, c->p->slug)) < 0)
		goto cleanup;
	r->number = *number;
	free(r->path);
	if (!(r->path = adr__strdup(path->ptr))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	r->status = c->opts->status;
	adr_today(r->date);
	if (c->x->mode)
		r->mode = c->x->mode;
	if (!r->mode)
		r->mode = ADR_MODE_ASYNC;
	if (c->x->visibility)
		r->visibility = c->x->visibility;
	for (size_t i = 0; c->x->tags && i < c->x->tags->count; i++)
		if ((rc = adr_strlist_add_unique(&r->tags, c->x->tags->items[i])) < 0)
			goto cleanup;
	adr_strlist_dispose(&r->decision_makers);
	if ((rc = adr_strlist_copy(&r->decision_makers, c->makers)) < 0)
		goto cleanup;
	/* --revisit sets the date; the cadence only fills one the proposal lacks. */
	if (c->revisit[0] && (c->opts->revisit || !r->revisit[0]))
		memcpy(r->revisit, c->revisit, sizeof(r->revisit));
	if (c->opts->reason && *c->opts->reason &&
	    (rc = add_reason(r, c->opts->reason, c->opts->status == ADR_STATUS_ACCEPTED)) < 0)
		goto cleanup;
	*out = r;
	r = NULL;
cleanup:
	adr_record_free(r);
	adr_buf_dispose(&text);
	return rc;
}

/* Marks the records that `r` (accepted as `number`, proposed at `ppath`) supersedes. */
static int supersede_records(adr_change *ch, const adr_record *r, int number, const char *ppath)
{
	adr_recordset *set;
	int rc;

	if (!r->supersedes.count)
		return 0;
	if ((rc = adr_change_records(ch, &set)) < 0)
		return rc;
	for (size_t i = 0; i < r->supersedes.count; i++) {
		int k = adr_recordset_find(set, r->supersedes.items[i]);
		if (k < 0)
			return adr__error(ADR_ENOTFOUND, "%s supersedes record %04d, which does not exist on %s",
					  ppath, r->supersedes.items[i], adr_change_branch(ch));
		set->items[k]->status = ADR_STATUS_SUPERSEDED;
		if ((rc = adr_intlist_add_unique(&set->items[k]->superseded_by, number)) < 0 ||
		    (rc = adr_change_write_record(ch, set->items[k])) < 0)
			return rc;
	}
	return 0;
}

/* The decision merge's second parent (none in place) and message. */
static int decide_message(adr_change *ch, const decide_ctx *c, const adr_record *r, bool accept)
{
	adr_buf pb = ADR_BUF_INIT;
	char num[16], merged[41];
	int rc;

	adr__trailer_number(num, r->number);
	git_oid_tostr(merged, sizeof(merged), &c->merged);
	if ((!c->in_place && (rc = adr_change_add_parent(ch, git_oid_tostr_s(&c->tip))) < 0) ||
	    (rc = adr__proposal_branch(&pb, c->p->slug)) < 0 ||
	    (rc = adr__op_message(ch, accept ? "accept" : "reject",
				  (const char *const[]){ ADR_TRAILER_RECORD, num, ADR_TRAILER_PROPOSAL, pb.ptr,
							 ADR_TRAILER_MERGED, c->in_place ? merged : NULL, NULL },
				  "%s %04d %s", accept ? "accept" : "reject", r->number, r->title)) < 0 ||
	    (c->opts->reason && (rc = adr_change_set_body(ch, c->opts->reason)) < 0))
		goto cleanup;
	for (size_t i = 0; accept && i < r->supersedes.count; i++) {
		adr__trailer_number(num, r->supersedes.items[i]);
		if ((rc = adr_change_add_trailer(ch, ADR_TRAILER_SUPERSEDES, num)) < 0)
			goto cleanup;
	}
cleanup:
	adr_buf_dispose(&pb);
	return rc;
}

static int decide_fn(adr_change *ch, void *payload)
{
	decide_ctx *c = payload;
	git_repository *git = adr__repo_git(adr_change_repo(ch));
	const bool accept = c->opts->status == ADR_STATUS_ACCEPTED;
	adr_buf path = ADR_BUF_INIT;
	adr_record *r = NULL;
	git_oid dtip;
	int rc, number;

	c->already = false;
	if (!adr_change_base(ch)[0])
		return adr__error(ADR_ENOTFOUND, "the decision branch has no commits");
	if ((rc = git_oid_fromstr(&dtip, adr_change_base(ch))) < 0)
		return adr__error_git(rc, "cannot read the decision branch's tip %s", adr_change_base(ch));
	if (git_oid_equal(&dtip, &c->tip) || git_graph_descendant_of(git, &dtip, &c->tip) == 1) {
		c->already = true;
		return adr__error(ADR_EEXISTS, "already decided");
	}
	if ((rc = stage_proposal(ch, c, &dtip)) < 0 || (rc = decided_record(&r, &number, &path, ch, c)) < 0)
		goto cleanup;
	/* No file can be at `path`: adr_change_next_number() counted every name in the directory. */
	if ((rc = adr_change_delete(ch, c->p->path)) < 0 || (rc = adr_change_write_record(ch, r)) < 0 ||
	    (accept && (rc = supersede_records(ch, r, number, c->p->path)) < 0) || (rc = decide_message(ch, c, r, accept)) < 0)
		goto cleanup;
	c->res->op.number = number;
	rc = adr__op_set_path(&c->res->op, path.ptr);
cleanup:
	adr_record_free(r);
	adr_buf_dispose(&path);
	return rc;
}

/* Decides in place a proposal that a plain git merge brought into the
 * decision branch: its record there is numbered and decided, one commit. */
static int decide_in_place_fn(adr_change *ch, void *payload)
{
	decide_ctx *c = payload;
	const bool accept = c->opts->status == ADR_STATUS_ACCEPTED;
	adr_buf path = ADR_BUF_INIT;
	adr_record *r = NULL;
	int rc, number;

	c->already = false;
	if (!adr_change_exists(ch, c->p->path)) {
		c->already = true; /* decided meanwhile (or removed by hand) */
		return adr__error(ADR_EEXISTS, "'%s' is no longer on %s", c->p->path, adr__ref_short(adr_change_branch(ch)));
	}
	if ((rc = decided_record(&r, &number, &path, ch, c)) < 0)
		goto cleanup;
	if ((rc = adr_change_delete(ch, c->p->path)) < 0 || (rc = adr_change_write_record(ch, r)) < 0 ||
	    (accept && (rc = supersede_records(ch, r, number, c->p->path)) < 0) || (rc = decide_message(ch, c, r, accept)) < 0)
		goto cleanup;
	c->res->op.number = number;
	rc = adr__op_set_path(&c->res->op, path.ptr);
cleanup:
	adr_record_free(r);
	adr_buf_dispose(&path);
	return rc;
}

/* Why libgit2 failed, never empty: its message without a dangling ": ",
 * else the code. */
static void git_reason(adr_buf *out, int grc)
{
	const git_error *e = git_error_last();
	size_t n;
	if (e && e->message)
		adr_buf_puts(out, e->message);
	n = out->size;
	while (n > 0 && (out->ptr[n - 1] == ' ' || out->ptr[n - 1] == ':' || out->ptr[n - 1] == '\n' ||
			 out->ptr[n - 1] == '\r' || out->ptr[n - 1] == '.'))
		n--;
	adr_buf_truncate(out, n);
	if (!out->size)
		adr_buf_printf(out, "libgit2 error %d", grc);
	if (grc == GIT_ELOCKED)
		adr_buf_puts(out, " (a lock file exists: another git process is updating it, or one crashed; if no "
				  "git process is running, remove that lock file)");
}

/* Deletes refs/heads/adr/<slug> if it still points at `tip`, or is behind it. */
static void delete_branch(adr_decide_result *res, adr_repo *repo, const char *slug, const git_oid *tip)
{
	git_repository *git = adr__repo_git(repo);
	git_reference *ref = NULL;
	adr_buf name = ADR_BUF_INIT, w = ADR_BUF_INIT, why = ADR_BUF_INIT;
	int grc;

	if (adr_buf_printf(&name, "refs/heads/adr/%s", slug) < 0) {
		adr_buf_printf(&w, "the decision is recorded, but adr/%s was kept: out of memory; delete it later "
				   "with git branch -D adr/%s", slug, slug);
		goto warn;
	}
	if ((grc = git_reference_lookup(&ref, git, name.ptr)) < 0) {
		if (grc == GIT_ENOTFOUND)
			goto cleanup;
		git_reason(&why, grc);
		adr_buf_printf(&w, "the decision is recorded, but adr/%s was kept: cannot read it: %s; delete it "
				   "later with git branch -D adr/%s", slug, why.ptr, slug);
		goto warn;
	}
	/* A local branch behind what was decided (the remote-tracking one was newer) goes too. */
	if (git_reference_type(ref) != GIT_REFERENCE_DIRECT ||
	    (!git_oid_equal(git_reference_target(ref), tip) && git_graph_descendant_of(git, tip, git_reference_target(ref)) != 1)) {
		adr_buf_printf(&w, "adr/%s was kept: it has commits that were not part of the decision", slug);
	} else if (git_branch_is_checked_out(ref) == 1) {
		adr_buf_printf(&w, "adr/%s was kept: it is checked out", slug);
	} else if ((grc = git_reference_delete(ref)) < 0) {
		git_reference *again = NULL;
		git_reason(&why, grc);
		/* libgit2 may fail after the ref is gone, removing its lock file. */
		if (git_reference_lookup(&again, git, name.ptr) == GIT_ENOTFOUND)
			adr_buf_printf(&w, "the decision is recorded and adr/%s deleted, but: %s; if '%s%s.lock' exists "
					   "and no git process is running, remove it", slug, why.ptr,
				       git_repository_commondir(git), name.ptr);
		else
			adr_buf_printf(&w, "the decision is recorded, but adr/%s was kept: cannot delete it: %s; "
					   "delete it later with git branch -D adr/%s", slug, why.ptr, slug);
		git_reference_free(again);
	} else {
		/* libgit2 says nothing when it cannot remove the lock file. */
		adr_buf lock = ADR_BUF_INIT;
		adr_buf_printf(&lock, "%s%s.lock", git_repository_commondir(git), name.ptr);
		if (!adr_buf_oom(&lock) && access(lock.ptr, F_OK) == 0)
			adr_buf_printf(&w, "the decision is recorded and adr/%s deleted, but: its lock file stayed; if "
					   "'%s' exists and no git process is running, remove it", slug, lock.ptr);
		adr_buf_dispose(&lock);
	}
warn:
	if (w.size && !adr_buf_oom(&w)) {
		free(res->warning);
		res->warning = adr_buf_detach(&w);
	}
cleanup:
	git_reference_free(ref);
	adr_buf_dispose(&name);
	adr_buf_dispose(&w);
	adr_buf_dispose(&why);
	adr_error_clear();
	git_error_clear();
}

/* Decided before: says how, and keeps a branch that went on after it. */
static void already_decided(adr_decide_result *res, adr_repo *repo, const adr_proposal *p, const git_oid *tip)
{
	adr_buf w = ADR_BUF_INIT;
	res->already = true;
	res->op.number = res->decision.number;
	if (!p) {
		return;
	} else if (res->decision.late) {
		adr_buf_printf(&w, "%s was kept: it has %zu commit%s made after the decision (adr thread %s shows "
				   "them as late)", adr__ref_short(p->ref), res->decision.late,
			       res->decision.late == 1 ? "" : "s", p->slug);
		if (!adr_buf_oom(&w)) {
			free(res->warning);
			res->warning = adr_buf_detach(&w);
		}
		adr_buf_dispose(&w);
	} else {
		delete_branch(res, repo, p->slug, tip);
	}
}

static int check_opts(const adr_decide_opts *opts)
{
	int rc;
	if (opts->status != ADR_STATUS_ACCEPTED && opts->status != ADR_STATUS_REJECTED)
		return adr__error(ADR_EUSAGE, "a proposal is decided by accepting or rejecting it");
	if (opts->reason && (rc = adr__text_check("the reason", opts->reason, strlen(opts->reason))) < 0)
		return rc;
	for (size_t i = 0; opts->by && i < opts->by->count; i++) {
		const char *b = opts->by->items[i];
		if (!*b || strchr(b, '\n') || strchr(b, '\r') || (rc = adr__text_check("a decision-maker's name", b, strlen(b))) < 0)
			return adr__error(ADR_EUSAGE, "a decision-maker's name is one line of UTF-8 text");
	}
	return 0;
}

/* Refuses a remote-tracking branch of `p` that went further than `tip`,
 * what is decided here. */
static int remote_ahead(adr_repo *repo, const adr_proposal *p, const git_oid *tip)
{
	adr__cand_list l = { 0 };
	int rc;

	if ((rc = adr__cands_load(&l, repo)) < 0)
		goto cleanup;
	for (size_t i = 0; i < l.count; i++) {
		git_oid o;
		if (!l.items[i].remote || strcmp(l.items[i].slug, p->slug) != 0 || strcmp(l.items[i].ref, p->ref) == 0 ||
		    git_reference_name_to_id(&o, adr__repo_git(repo), l.items[i].ref) < 0)
			continue;
		if (!git_oid_equal(&o, tip) && git_graph_descendant_of(adr__repo_git(repo), tip, &o) != 1) {
			rc = adr__error(ADR_ECONFLICT, "%s has commits that %s does not (bring them in, e.g. git fetch, "
						       "git merge, then retry); nothing was written", l.items[i].ref, p->ref);
			goto cleanup;
		}
	}
cleanup:
	adr__cands_clear(&l);
	return rc;
}

/* The decision-makers: --by, else (accepting) the approvers and the decider. */
static int decision_makers(adr_strlist *out, adr_repo *repo, const adr_decide_opts *opts, const adr_proposal *p)
{
	adr_buf me = ADR_BUF_INIT;
	int rc;

	if (opts->by && opts->by->count)
		return adr_strlist_copy(out, opts->by);
	if (opts->status == ADR_STATUS_ACCEPTED && (rc = adr_strlist_copy(out, &p->approvals)) < 0)
		return rc;
	if ((rc = decider_name(&me, repo)) == 0)
		rc = adr_strlist_add_unique(out, me.ptr);
	adr_buf_dispose(&me);
	return rc;
}

/* After the commit failed with `rc` because the proposal was decided
 * meanwhile: says how, as when it was decided before. `in_place`: it had
 * been merged by plain git already, so a record that is gone was removed
 * (by hand), and the commit's own message says so. */
static int decided_meanwhile(adr_decide_result *res, adr_repo *repo, const adr_proposal *p, const git_oid *tip,
			     int rc, bool in_place)
{
	adr_buf why = ADR_BUF_INIT;
	int st;

	adr_buf_puts(&why, adr_error_last());
	st = adr__proposal_decided(&res->decision, NULL, repo, p, NULL);
	if (st == 1 && res->decision.number > 0) {
		already_decided(res, repo, p, tip);
		rc = 0;
	} else if (st == 1 && !in_place) {
		rc = adr__plain_merge_error(p, repo, "it was merged while adr was deciding it: deciding it again decides it in place");
	} else {
		const char *msg = adr_buf_oom(&why) ? "already decided" : why.ptr;
		rc = adr__error(rc, "%s", msg);
	}
	adr_buf_dispose(&why);
	return rc;
}

/* Decides proposal `p`, merged by plain git, in place (see decide_in_place_fn). */
static int decide_in_place(adr_decide_result *res, adr_repo *repo, const adr_proposal *p,
			   const adr_decide_opts *opts, decide_ctx *c)
{
	adr_strlist makers = ADR_STRLIST_INIT;
	git_oid base;
	int rc;

	if (!p->record) {
		const char *msg = p->error ? p->error : "cannot read the proposal"; /* NULL: out of memory */
		return adr__error(ADR_EINVALID, "%s (fix it on %s first)", msg, adr__ref_short(adr_repo_branch(repo)));
	}
	/* The tip the merge brought: what the decision names, for its thread. */
	if ((rc = adr__merged_thread_range(&c->merged, &base, repo, p)) < 0)
		return rc;
	if (rc == 0)
		git_oid_cpy(&c->merged, &c->tip);
	if ((rc = decision_makers(&makers, repo, opts, p)) < 0)
		goto cleanup;
	c->res = res;
	c->opts = opts;
	c->p = p;
	c->makers = &makers;
	c->in_place = true;
	rc = adr__op_commit(&res->op, repo, decide_in_place_fn, c, NULL);
	if (rc < 0 && c->already)
		rc = decided_meanwhile(res, repo, p, &c->tip, rc, true);
	else if (rc == 0 && strcmp(p->ref, adr_repo_branch(repo)) != 0)
		delete_branch(res, repo, p->slug, &c->tip);
cleanup:
	adr_strlist_dispose(&makers);
	return rc;
}

/* With check_only: what a decision would find outside the record (an error), else 0. */
static int check_outside(adr_repo *repo, const adr_proposal *p, const git_oid *tip)
{
	adr_strlist outside = ADR_STRLIST_INIT;
	git_oid dtip;
	int rc;

	if ((rc = adr__decision_tip(&dtip, repo)) <= 0)
		return rc;
	if ((rc = adr__branch_outside(&outside, repo, tip, &dtip, p->path)) == 0 && outside.count)
		rc = adr__outside_error(&outside, repo, p->ref, p->slug, p->path);
	adr_strlist_dispose(&outside);
	return rc;
}

int adr_op_decide(adr_decide_result *res, adr_repo *repo, const char *ref, const adr_decide_opts *opts)
{
	return adr_op_decide_extra(res, repo, ref, opts, NULL);
}

int adr_op_decide_extra(adr_decide_result *res, adr_repo *repo, const char *ref, const adr_decide_opts *opts,
			const adr_decide_extra *extra)
{
	static const adr_decide_extra none = { ADR_MODE_NONE, ADR_VISIBILITY_NONE, NULL, false };
	adr_proposal p;
	adr_strlist makers = ADR_STRLIST_INIT;
	decide_ctx c;
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	c.x = extra ? extra : &none;
	memset(&res->decision, 0, sizeof(res->decision));
	res->decision.number = -1;
	if ((rc = check_opts(opts)) < 0)
		return rc;
	if (opts->status == ADR_STATUS_ACCEPTED && (opts->revisit || adr_repo_revisit_cadence(repo)) &&
	    (rc = adr_revisit_date(c.revisit, repo, opts->revisit, "--revisit")) < 0)
		return rc;
	rc = adr_proposal_find(&p, repo, ref, true);
	if (rc == ADR_ENOTFOUND) {
		/* Decided before, and the branch is gone: say so, write nothing. */
		if (adr__decision_by_name(&res->decision, NULL, NULL, repo, ref, NULL) == 0 && res->decision.number > 0) {
			already_decided(res, repo, NULL, NULL);
			rc = 0;
		} else {
			rc = adr__error(ADR_ENOTFOUND, "no proposal '%s' (no local or remote-tracking adr/* branch matches); "
						       "nothing was written", ref);
		}
		goto cleanup;
	}
	if (rc < 0 || (rc = adr__oid_from_hex(&c.tip, p.tip)) < 0)
		goto cleanup;
	/* Decided before (its branch may have gone on since): write nothing. */
	if (!p.merged && (rc = adr__proposal_decided(&res->decision, NULL, repo, &p, NULL)) < 0)
		goto cleanup;
	/* Merged by plain git (a pull request), not decided: decided in place. */
	if (p.merged || (rc == 1 && res->decision.number < 0)) {
		rc = c.x->check_only ? adr__op_set_path(&res->op, p.path) : decide_in_place(res, repo, &p, opts, &c);
		goto cleanup;
	}
	if (rc == 1) {
		if (c.x->check_only)
			res->already = true; /* no branch is deleted by a check */
		else
			already_decided(res, repo, &p, &c.tip);
		rc = 0;
		goto cleanup;
	}
	if (!p.record) {
		const char *msg = p.error ? p.error : "cannot read the proposal"; /* NULL: out of memory */
		rc = adr__error(ADR_EINVALID, "%s (fix it with adr revise first)", msg);
		goto cleanup;
	}
	if ((rc = remote_ahead(repo, &p, &c.tip)) < 0 || (rc = decision_makers(&makers, repo, opts, &p)) < 0)
		goto cleanup;
	if (c.x->check_only) {
		if ((rc = check_outside(repo, &p, &c.tip)) == 0)
			rc = adr__op_set_path(&res->op, p.path);
		goto cleanup;
	}
	c.res = res;
	c.opts = opts;
	c.p = &p;
	c.makers = &makers;
	rc = adr__op_commit(&res->op, repo, decide_fn, &c, NULL);
	if (rc < 0 && c.already)
		rc = decided_meanwhile(res, repo, &p, &c.tip, rc, false); /* someone decided it while we were at it */
	else if (rc == 0)
		delete_branch(res, repo, p.slug, &c.tip);
cleanup:
	adr_proposal_dispose(&p);
	adr_strlist_dispose(&makers);
	return rc;
}
