/*
 * log/proposal_remote.c: what `adr sync` does to a proposal branch shared
 * through a remote (log/sync_internal.h).
 *
 * adr__proposal_combine() gives a local adr/<slug> that diverged from its
 * remote-tracking branch both sides: the local commits are replayed onto the
 * remote tip (authors and messages kept), so the result fast-forwards the
 * remote branch. adr__proposal_retire() ends the local branch of a proposal
 * that was decided meanwhile: what the decision did not merge becomes late
 * comments on the decision branch (log/propose.c), then the branch goes.
 *
 * Both move or delete one ref by compare-and-swap, and refuse a branch that
 * is checked out: its work tree would not follow.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/proposal.h"
#include "git/signature_internal.h"
#include "git/walk.h"
#include "log/proposal_internal.h"
#include "log/sync_internal.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"

/* Reads `name` into `out`: 1, 0 when there is no such ref, or an error. */
static int ref_oid(git_oid *out, git_repository *git, const char *name)
{
	int rc = git_reference_name_to_id(out, git, name);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	return rc < 0 ? adr__error_git(rc, "cannot read '%s'", name) : 1;
}

/* Refuses a local branch that is checked out somewhere. */
static int not_checked_out(git_repository *git, const char *name)
{
	git_reference *ref = NULL;
	int out = git_reference_lookup(&ref, git, name) == 0 && git_branch_is_checked_out(ref) == 1;
	git_reference_free(ref);
	git_error_clear();
	if (out)
		return adr__error(ADR_EINVALID, "%s is checked out: its work tree would not follow; switch to "
						"another branch and try again; nothing was written", adr__ref_short(name));
	return 0;
}

/* Moves `name` from `from` to `to`, only if it is still at `from`. */
static int move_ref(git_repository *git, const char *name, const git_oid *from, const git_oid *to, const char *why)
{
	git_reference *ref = NULL;
	int rc = git_reference_create_matching(&ref, git, name, to, 1, from, why);
	const char *why_not = rc == GIT_EMODIFIED ? " (it changed while adr was combining it; try again)" : "";
	git_reference_free(ref);
	if (rc < 0)
		return adr__error_git(rc, "cannot update %s%s", adr__ref_short(name), why_not);
	return 0;
}

/* The blob id of `path` in commit `id` (zero when absent). */
static void record_blob(git_oid *out, git_repository *git, const git_oid *id, const char *path)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;

	memset(out, 0, sizeof(*out));
	if (git_commit_lookup(&c, git, id) == 0 && git_commit_tree(&t, c) == 0 &&
	    git_tree_entry_bypath(&e, t, path) == 0)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
}

/* What the replay carries from commit to commit. */
typedef struct {
	git_repository *git;
	git_signature *committer;
	git_oid tip;          /* the commit the next one goes on */
	const char *branch;   /* for messages */
} replay;

/* Replays one local commit onto r->tip: its changes, author and message. */
static int replay_commit(git_commit *c, void *payload)
{
	replay *r = payload;
	git_commit *onto = NULL;
	git_index *idx = NULL;
	git_tree *tree = NULL;
	git_oid tree_id, id;
	int rc;

	if (git_commit_parentcount(c) > 1)
		return adr__error(ADR_ECONFLICT, "%s has a merge commit (%.12s) that the remote-tracking branch has not; "
						 "combine them with git; nothing was written",
				  r->branch, git_oid_tostr_s(git_commit_id(c)));
	/* (A root commit here would have left no merge base: refused before.) */
	if ((rc = git_commit_lookup(&onto, r->git, &r->tip)) < 0 ||
	    (rc = git_cherrypick_commit(&idx, r->git, c, onto, 0, NULL)) < 0) {
		rc = adr__error_git(rc, "cannot replay commit %s", git_oid_tostr_s(git_commit_id(c)));
		goto cleanup;
	}
	if (git_index_has_conflicts(idx)) {
		rc = adr__error(ADR_ECONFLICT, "%s: commit %.12s conflicts with its remote-tracking branch; both sides "
					       "are kept as they are; nothing was written",
				r->branch, git_oid_tostr_s(git_commit_id(c)));
		goto cleanup;
	}
	if ((rc = git_index_write_tree_to(&tree_id, idx, r->git)) < 0 ||
	    (rc = git_tree_lookup(&tree, r->git, &tree_id)) < 0 ||
	    (rc = git_commit_create(&id, r->git, NULL, git_commit_author(c), r->committer, git_commit_message_encoding(c),
				    git_commit_message(c), tree, 1, (const git_commit **)&onto)) < 0) {
		rc = adr__error_git(rc, "cannot write the combined %s", r->branch);
		goto cleanup;
	}
	git_oid_cpy(&r->tip, &id);
cleanup:
	git_tree_free(tree);
	git_index_free(idx);
	git_commit_free(onto);
	return rc;
}

/* Refuses when both sides changed the record since `mb` and differently. */
static int revisions_agree(git_repository *git, const git_oid *mb, const git_oid *local, const git_oid *remote,
			   const char *path, const char *branch, const char *rname)
{
	git_oid b, l, r;
	record_blob(&b, git, mb, path);
	record_blob(&l, git, local, path);
	record_blob(&r, git, remote, path);
	if (!git_oid_equal(&l, &b) && !git_oid_equal(&r, &b) && !git_oid_equal(&l, &r))
		return adr__error(ADR_ECONFLICT, "%s and %s both revised '%s', differently: both sides are kept as "
						 "they are; merge the two revisions into one and revise again; nothing was "
						 "written", branch, rname, path);
	return 0;
}

/* Replays onto r->tip (the remote tip `rtip`) the commits only the local
 * branch at `local` has, after checking their revisions agree. */
static int replay_local(replay *r, adr_repo *repo, const git_oid *local, const git_oid *rtip, const char *path,
			const char *rname)
{
	adr__walk_opts o;
	git_oid mb;
	int rc;

	if (git_merge_base(&mb, r->git, local, rtip) < 0)
		return adr__error(ADR_ECONFLICT, "%s and %s share no history; nothing was written", r->branch, rname);
	if ((rc = revisions_agree(r->git, &mb, local, rtip, path, r->branch, rname)) < 0 ||
	    (rc = adr__signature_new(&r->committer, r->git, "COMMITTER")) < 0)
		return rc;
	memset(&o, 0, sizeof(o));
	o.from = local;
	o.hide = rtip;
	o.oldest_first = true;
	o.what = r->branch;
	return adr__walk(repo, &o, replay_commit, r);
}

int adr__proposal_combine(adr_repo *repo, const char *remote, const char *slug, char new_tip[41])
{
	git_repository *git = adr__repo_git(repo);
	adr_buf lname = ADR_BUF_INIT, rname = ADR_BUF_INIT, path = ADR_BUF_INIT, why = ADR_BUF_INIT;
	replay r;
	git_oid local, rtip;
	int rc, have;

	memset(&r, 0, sizeof(r));
	new_tip[0] = '\0';
	adr_buf_printf(&lname, "refs/heads/adr/%s", slug);
	adr_buf_printf(&rname, "refs/remotes/%s/adr/%s", remote, slug);
	adr_buf_printf(&why, "adr: combine with %s/adr/%s", remote, slug);
	if (adr_buf_oom(&lname) || adr_buf_oom(&rname) || adr_buf_oom(&why) ||
	    adr__proposal_path(&path, repo, slug) < 0) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = ref_oid(&rtip, git, rname.ptr)) <= 0) {
		if (rc == 0)
			rc = adr__error(ADR_ENOTFOUND, "no remote-tracking branch %s", adr__ref_short(rname.ptr));
		goto cleanup;
	}
	if ((have = ref_oid(&local, git, lname.ptr)) < 0) {
		rc = have;
		goto cleanup;
	}
	/* Ahead, or both the same: nothing to do. */
	if (have && (git_oid_equal(&local, &rtip) || git_graph_descendant_of(git, &local, &rtip) == 1)) {
		git_oid_tostr(new_tip, 41, &local);
		rc = 0;
		goto cleanup;
	}
	git_error_clear();
	if ((rc = not_checked_out(git, lname.ptr)) < 0)
		goto cleanup;
	git_oid_cpy(&r.tip, &rtip);
	r.git = git;
	r.branch = adr__ref_short(lname.ptr);
	/* Diverged: replay what only the local branch has onto the remote tip. */
	if (have && git_graph_descendant_of(git, &rtip, &local) != 1 &&
	    (rc = replay_local(&r, repo, &local, &rtip, path.ptr, adr__ref_short(rname.ptr))) < 0)
		goto cleanup;
	git_error_clear();
	if (have)
		rc = move_ref(git, lname.ptr, &local, &r.tip, why.ptr);
	else
		rc = move_ref(git, lname.ptr, NULL, &r.tip, why.ptr);
	if (rc == 0)
		git_oid_tostr(new_tip, 41, &r.tip);
cleanup:
	git_signature_free(r.committer);
	adr_buf_dispose(&lname);
	adr_buf_dispose(&rname);
	adr_buf_dispose(&path);
	adr_buf_dispose(&why);
	return rc;
}

/* --- retire ------------------------------------------------------------------ */

/* What retiring a branch carries over. */
typedef struct {
	adr_repo *repo;
	const char *slug;
	const adr_decision *d;
	adr_strlist done;     /* branch commits already carried (Adr-Late-From) */
	size_t moved;
} retire_ctx;

/* The Adr-Late-From of the late comments `late` into `out`. */
static int carried_before(adr_strlist *out, git_repository *git, const adr__oid_list *late)
{
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < late->count; i++) {
		git_commit *c = NULL;
		const char *from;
		adr_strlist_dispose(&keys);
		adr_strlist_dispose(&values);
		if ((rc = git_commit_lookup(&c, git, &late->ids[i])) < 0) {
			rc = adr__error_git(rc, "commit %s is missing", git_oid_tostr_s(&late->ids[i]));
			break;
		}
		if ((rc = adr__trailers_read(&keys, &values, git_commit_message(c) ? git_commit_message(c) : "",
					     ADR_TRAILERS_STRICT, NULL)) == 0 &&
		    (from = adr__trailers_get(&keys, &values, ADR_TRAILER_LATE_FROM)))
			rc = adr_strlist_add(out, from);
		git_commit_free(c);
	}
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	return rc;
}

/* The text of a branch commit carried as a late comment: a comment's own
 * text; for anything else (a revision) what it was, and its message. */
static int carried_text(adr_buf *out, git_commit *c, bool comment)
{
	const char *msg = git_commit_message(c) ? git_commit_message(c) : "";
	const char *body = strchr(msg, '\n');
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	size_t end;

	adr_buf_clear(out);
	if (!comment)
		adr_buf_printf(out, "(a change made on the branch after the decision, not applied: %s)\n\n",
			       git_commit_summary(c) ? git_commit_summary(c) : "");
	body = body ? body + 1 : "";
	while (*body == '\n')
		body++;
	end = strlen(body);
	/* Without the trailer block adr wrote: the new commit writes its own. */
	if (adr__trailers_read(&keys, &values, msg, ADR_TRAILERS_STRICT, NULL) == 0 && keys.count) {
		while (end > 0 && body[end - 1] == '\n')
			end--;
		while (end > 0 && !(body[end - 1] == '\n' && end >= 2 && body[end - 2] == '\n'))
			end--;
	}
	adr_error_clear();
	while (end > 0 && body[end - 1] == '\n')
		end--;
	adr_buf_put(out, body, end);
	while (out->size && out->ptr[out->size - 1] == '\n')
		adr_buf_truncate(out, out->size - 1);
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* One commit of the branch the decision did not merge, oldest first. */
static int retire_commit(git_commit *c, void *payload)
{
	retire_ctx *r = payload;
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	const git_signature *a = git_commit_author(c);
	const char *msg = git_commit_message(c) ? git_commit_message(c) : "", *vote, *section;
	adr_buf text = ADR_BUF_INIT, who = ADR_BUF_INIT;
	adr_op_result res;
	char id[41];
	adr__carried from;
	int rc;

	git_oid_tostr(id, sizeof(id), git_commit_id(c));
	if (adr_strlist_contains(&r->done, id))
		return 0;
	memset(&res, 0, sizeof(res));
	if ((rc = adr__trailers_read(&keys, &values, msg, ADR_TRAILERS_STRICT, NULL)) < 0)
		goto cleanup;
	vote = adr__trailers_get(&keys, &values, ADR_TRAILER_VOTE);
	section = adr__trailers_get(&keys, &values, ADR_TRAILER_SECTION);
	if ((rc = carried_text(&text, c, adr__trailers_get(&keys, &values, ADR_TRAILER_COMMENT) != NULL)) < 0)
		goto cleanup;
	adr_buf_printf(&who, "%s <%s>", a->name, a->email);
	if (adr_buf_oom(&who)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	from.commit = id;
	from.author = who.ptr;
	rc = adr__late_comment(&res, r->repo, r->slug, r->d, text.ptr,
			       !vote ? ADR_VOTE_NONE : strcmp(vote, "approve") == 0 ? ADR_VOTE_APPROVE
			       : strcmp(vote, "object") == 0 ? ADR_VOTE_OBJECT : ADR_VOTE_NONE,
			       section, &from);
	if (rc == 0)
		r->moved++;
cleanup:
	adr_op_result_dispose(&res);
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	adr_buf_dispose(&text);
	adr_buf_dispose(&who);
	return rc;
}

int adr__proposal_retire(adr_repo *repo, const char *slug, size_t *moved)
{
	git_repository *git = adr__repo_git(repo);
	adr_proposal p;
	adr_decision d;
	adr__oid_list late = { 0 };
	retire_ctx r;
	adr__walk_opts o;
	git_reference *ref = NULL;
	adr_buf name = ADR_BUF_INIT, path = ADR_BUF_INIT;
	git_oid tip, dtip;
	int rc;

	*moved = 0;
	memset(&p, 0, sizeof(p));
	memset(&r, 0, sizeof(r));
	p.slug = (char *)slug;
	adr_buf_printf(&name, "refs/heads/adr/%s", slug);
	if (adr_buf_oom(&name) || adr__proposal_path(&path, repo, slug) < 0) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	p.ref = name.ptr;
	p.path = path.ptr;
	if ((rc = ref_oid(&tip, git, name.ptr)) <= 0)
		goto cleanup; /* no local branch: nothing to retire */
	git_oid_tostr(p.tip, sizeof(p.tip), &tip);
	if ((rc = adr__proposal_decided(&d, NULL, repo, &p, &late)) < 0)
		goto cleanup;
	if (rc == 0 || d.number < 0) {
		const char *how = rc ? " (it was merged by plain git)" : "";
		rc = adr__error(ADR_EINVALID, "%s was not decided on %s%s; nothing was written", adr__ref_short(name.ptr),
				adr__ref_short(adr_repo_branch(repo)), how);
		goto cleanup;
	}
	if ((rc = not_checked_out(git, name.ptr)) < 0 || (rc = carried_before(&r.done, git, &late)) < 0 ||
	    (rc = adr__decision_tip(&dtip, repo)) < 0)
		goto cleanup;
	r.repo = repo;
	r.slug = slug;
	r.d = &d;
	memset(&o, 0, sizeof(o));
	o.from = &tip;
	o.hide = &dtip;
	o.oldest_first = true;
	o.what = adr__ref_short(name.ptr);
	if ((rc = adr__walk(repo, &o, retire_commit, &r)) < 0)
		goto cleanup;
	*moved = r.moved;
	/* Gone only when it still is where it was read. */
	if ((rc = git_reference_lookup(&ref, git, name.ptr)) == 0 && !git_oid_equal(git_reference_target(ref), &tip))
		rc = GIT_EMODIFIED;
	if (rc < 0 || (rc = git_reference_delete(ref)) < 0) {
		const char *why_not = rc == GIT_EMODIFIED ? ": it changed while adr was retiring it" : "";
		rc = adr__error(ADR_ECONFLICT, "cannot delete %s%s; its comments so far are kept on %s; try again",
				adr__ref_short(name.ptr), why_not, adr__ref_short(adr_repo_branch(repo)));
	}
cleanup:
	git_reference_free(ref);
	adr_strlist_dispose(&r.done);
	adr__oid_list_dispose(&late);
	adr_buf_dispose(&name);
	adr_buf_dispose(&path);
	return rc;
}

int adr__proposal_carried(adr_repo *repo, const char *slug, const git_oid *tip)
{
	adr_proposal p;
	adr_decision d;
	adr__oid_list late = { 0 };
	adr_buf name = ADR_BUF_INIT, path = ADR_BUF_INIT;
	git_oid dtip;
	int rc;

	memset(&p, 0, sizeof(p));
	p.slug = (char *)slug;
	if ((rc = adr_buf_printf(&name, "refs/heads/adr/%s", slug)) < 0 ||
	    (rc = adr__proposal_path(&path, repo, slug)) < 0)
		goto cleanup;
	p.ref = name.ptr;
	p.path = path.ptr;
	git_oid_tostr(p.tip, sizeof(p.tip), tip);
	if ((rc = adr__proposal_decided(&d, NULL, repo, &p, &late)) == 1 && d.number >= 0 &&
	    (rc = adr__decision_tip(&dtip, repo)) > 0)
		rc = adr__late_carried(repo, tip, &dtip, &late);
	else if (rc > 0)
		rc = 0;
cleanup:
	adr__oid_list_dispose(&late);
	adr_buf_dispose(&name);
	adr_buf_dispose(&path);
	return rc;
}

/* The walk of adr__late_carried(). */
typedef struct {
	const adr_strlist *done;
	bool all;
} carried_walk;

static int carried_commit(git_commit *c, void *payload)
{
	carried_walk *w = payload;
	if (adr_strlist_contains(w->done, git_oid_tostr_s(git_commit_id(c))))
		return 0;
	w->all = false;
	return 1; /* one that was not carried: enough */
}

int adr__late_carried(adr_repo *repo, const git_oid *tip, const git_oid *dtip, const adr__oid_list *late)
{
	adr_strlist done = ADR_STRLIST_INIT;
	carried_walk w = { &done, true };
	adr__walk_opts o;
	int rc;

	if ((rc = carried_before(&done, adr__repo_git(repo), late)) < 0)
		goto cleanup;
	if (!done.count) {
		rc = 0;
		goto cleanup;
	}
	memset(&o, 0, sizeof(o));
	o.from = tip;
	o.hide = dtip;
	o.what = "the commits made after the decision";
	if ((rc = adr__walk(repo, &o, carried_commit, &w)) == 0)
		rc = w.all;
cleanup:
	adr_strlist_dispose(&done);
	return rc;
}
