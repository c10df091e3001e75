/*
 * log/decision.c: whether and how a proposal was decided.
 *
 * A decision is the merge commit that `adr accept` or `adr reject` made on
 * the decision branch; its trailers name the proposal branch and the record
 * number. These functions find that merge for a proposal branch, a slug or
 * a record number, and tell an open branch from a merged one and from one
 * that went on after its decision.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log/fpcache.h"
#include "log/ops_internal.h"
#include "log/proposal_internal.h"
#include "record/trailers.h"
#include "util/error.h"

/* The error for a proposal merged by plain git: no decision, no number. */
int adr__plain_merge_error(const adr_proposal *p, adr_repo *repo, const char *what)
{
	return adr__error(ADR_EINVALID, "%s was merged into %s by a plain git merge, not by adr accept or adr reject, "
					"so it has no number yet; %s; nothing was written",
			  adr__ref_short(p->ref), adr__ref_short(adr_repo_branch(repo)), what);
}

/* True when commit `id` has `path`. */
static bool commit_has(git_repository *git, const git_oid *id, const char *path);

/*
 * True when `a` and `b` are one proposal: on one line of history, or
 * diverged after both had its record at `path` (a comment made on one side
 * while the other was decided). A proposal made again under the same name
 * after a decision started from a commit without that file.
 */
static bool related(git_repository *git, const git_oid *a, const git_oid *b, const char *path)
{
	git_oid mb;
	bool r = git_oid_equal(a, b) || git_graph_descendant_of(git, a, b) == 1 || git_graph_descendant_of(git, b, a) == 1 ||
		 (path && git_merge_base(&mb, git, a, b) == 0 && commit_has(git, &mb, path));
	git_error_clear();
	return r;
}

/* True when commit `c` (its trailers read) is an accept or reject: a merge,
 * or a decision in place of a proposal merged by plain git. */
static bool is_decision(git_commit *c, const adr_strlist *keys, const adr_strlist *values, const char *action)
{
	if (!action || (strcmp(action, "accept") != 0 && strcmp(action, "reject") != 0))
		return false;
	return git_commit_parentcount(c) >= 2 || adr__trailers_get(keys, values, ADR_TRAILER_MERGED) != NULL;
}

/* The proposal tip decision `c` decided: its second parent, or for a
 * decision in place the commit its Adr-Merged names (into `buf`). */
static const git_oid *decided_tip(git_commit *c, const adr_strlist *keys, const adr_strlist *values, git_oid *buf)
{
	const char *m = adr__trailers_get(keys, values, ADR_TRAILER_MERGED);
	if (git_commit_parentcount(c) >= 2)
		return git_commit_parent_id(c, 1);
	if (!m || git_oid_fromstr(buf, m) < 0) {
		git_error_clear();
		memset(buf, 0, sizeof(*buf));
	}
	return buf;
}

/*
 * Finds the merge commit that decided a proposal, by number (>0) or by
 * branch ("adr/<slug>"), following the decision branch's first parents.
 * With `tip`, only a merge whose proposal side and `tip` are on one line of
 * history counts (a proposal made again under the same name is another
 * one). With `late`, the late comments passed on the way are collected,
 * newest first.
 */
static int find_decision(git_commit **out, adr_repo *repo, int number, const char *pbranch, const git_oid *tip,
			 adr__oid_list *late)
{
	git_repository *git = adr__repo_git(repo);
	git_commit *c = NULL;
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	adr_buf path = ADR_BUF_INIT;
	git_oid oid, mt;
	char num[16];
	int rc;

	*out = NULL;
	adr__trailer_number(num, number);
	if ((rc = adr__decision_tip(&oid, repo)) < 0)
		return rc;
	if (rc == 0)
		return adr__error(ADR_ENOTFOUND, "the decision branch has no commits");
	if ((rc = git_commit_lookup(&c, git, &oid)) < 0)
		return adr__error_git(rc, "the decision branch tip is missing");
	if (pbranch && strncmp(pbranch, "adr/", 4) == 0 && adr__proposal_path(&path, repo, pbranch + 4) < 0) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (;;) {
		const char *msg = git_commit_message(c), *action, *rec, *prop;
		git_commit *next = NULL;
		adr_strlist_dispose(&keys);
		adr_strlist_dispose(&values);
		if ((rc = adr__trailers_read(&keys, &values, msg ? msg : "", ADR_TRAILERS_STRICT, NULL)) < 0)
			goto cleanup;
		action = adr__trailers_get(&keys, &values, ADR_TRAILER_ACTION);
		rec = adr__trailers_get(&keys, &values, ADR_TRAILER_RECORD);
		prop = adr__trailers_get(&keys, &values, ADR_TRAILER_PROPOSAL);
		if (late && adr__trailers_get(&keys, &values, ADR_TRAILER_LATE) &&
		    adr__trailers_get(&keys, &values, ADR_TRAILER_COMMENT) &&
		    (rc = adr__oid_list_add(late, git_commit_id(c))) < 0)
			goto cleanup;
		if (is_decision(c, &keys, &values, action) &&
		    ((number > 0 && rec && strcmp(rec, num) == 0) || (pbranch && prop && strcmp(prop, pbranch) == 0)) &&
		    (!tip || related(git, decided_tip(c, &keys, &values, &mt), tip, path.size ? path.ptr : NULL))) {
			*out = c;
			c = NULL;
			rc = 0;
			goto cleanup;
		}
		if (git_commit_parentcount(c) == 0)
			break;
		if ((rc = git_commit_parent(&next, c, 0)) < 0) {
			/* A shallow clone ends here; another failure is not "no thread". */
			if (rc == GIT_ENOTFOUND && git_repository_is_shallow(git) == 1) {
				adr_error_clear();
				break;
			}
			rc = adr__error_git(rc, "cannot read the parent of commit %s", git_oid_tostr_s(git_commit_id(c)));
			goto cleanup;
		}
		git_commit_free(c);
		c = next;
	}
	rc = ADR_ENOTFOUND;
	if (number > 0)
		adr__error(rc, "record %04d has no discussion thread (it was not decided through adr propose)", number);
	else
		adr__error(rc, "no proposal '%s' and no decision from it", pbranch);
cleanup:
	git_commit_free(c);
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	adr_buf_dispose(&path);
	return rc;
}

/* Fills `d` (and `slug`, when not NULL) from the merge that decided a proposal. */
static int decision_fill(adr_decision *d, adr_buf *slug, adr_repo *repo, git_commit *merge)
{
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	const char *msg = git_commit_message(merge), *rec, *action, *prop;
	int rc;

	(void)repo;
	d->number = -1;
	if ((rc = adr__trailers_read(&keys, &values, msg ? msg : "", ADR_TRAILERS_STRICT, NULL)) < 0)
		goto cleanup;
	rec = adr__trailers_get(&keys, &values, ADR_TRAILER_RECORD);
	action = adr__trailers_get(&keys, &values, ADR_TRAILER_ACTION);
	prop = adr__trailers_get(&keys, &values, ADR_TRAILER_PROPOSAL);
	if (rec)
		d->number = atoi(rec);
	d->status = action && strcmp(action, "reject") == 0 ? ADR_STATUS_REJECTED : ADR_STATUS_ACCEPTED;
	adr_date_at(d->date, (long long)git_commit_time(merge));
	git_oid_tostr(d->merge, sizeof(d->merge), git_commit_id(merge));
	if (slug && prop && strncmp(prop, "adr/", 4) == 0 && adr_buf_puts(slug, prop + 4) < 0)
		rc = ADR_ENOMEM;
cleanup:
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	return rc;
}

/* True when commit `id` has `path`. */
static bool commit_has(git_repository *git, const git_oid *id, const char *path)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	bool has = git_commit_lookup(&c, git, id) == 0 && git_commit_tree(&t, c) == 0 &&
		   git_tree_entry_bypath(&e, t, path) == 0;
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return has;
}

/*
 * How the proposal branch at `tip` (its record at `path`) stands against
 * the decision branch at `dtip`. For BRANCH_AHEAD, `late` gets the number
 * of its commits the decision branch does not have. AHEAD only says that
 * the branch and the decision branch share a commit with the record: a
 * decision merge must confirm it (someone may have committed the file on
 * the decision branch by hand).
 */
int adr__branch_state(git_repository *git, const git_oid *tip, const git_oid *dtip, const char *path, size_t *late)
{
	git_oid mb;
	size_t ahead = 0, behind = 0;
	int state = BRANCH_OPEN;

	*late = 0;
	if (git_oid_equal(tip, dtip) || git_graph_descendant_of(git, dtip, tip) == 1)
		state = BRANCH_MERGED;
	else if (git_merge_base(&mb, git, tip, dtip) == 0 && commit_has(git, &mb, path) &&
		 git_graph_ahead_behind(&ahead, &behind, git, tip, dtip) == 0) {
		state = BRANCH_AHEAD;
		*late = ahead;
	}
	git_error_clear();
	return state;
}

/*
 * Whether proposal `p` was decided: 1 with `d` filled (d->number is -1 when
 * no accept or reject merge decided it, as after a plain git merge of the
 * branch), 0 when it is open (or not a proposal at all), or a negative
 * code. A branch that went on after its decision is decided, its later
 * commits late (d->late). `merge` (may be NULL) gets the decision; `late`
 * (may be NULL) collects late comments (see find_decision).
 */
int adr__proposal_decided(adr_decision *d, git_commit **merge, adr_repo *repo, const adr_proposal *p,
			    adr__oid_list *late)
{
	git_repository *git = adr__repo_git(repo);
	git_commit *m = NULL;
	git_oid tip, dtip;
	adr_buf pb = ADR_BUF_INIT;
	size_t nlate;
	int rc, state;

	memset(d, 0, sizeof(*d));
	d->number = -1;
	if (merge)
		*merge = NULL;
	if ((rc = adr__decision_tip(&dtip, repo)) <= 0)
		return rc; /* unborn: nothing is decided */
	if ((rc = adr__oid_from_hex(&tip, p->tip)) < 0)
		return rc;
	state = adr__branch_state(git, &tip, &dtip, p->path, &nlate);
	/* Open, or a branch without the record: no proposal was decided. */
	if (state == BRANCH_OPEN || (state == BRANCH_MERGED && !commit_has(git, &tip, p->path)))
		return 0;
	if (adr__proposal_branch(&pb, p->slug) < 0)
		return ADR_ENOMEM;
	rc = find_decision(&m, repo, 0, pb.ptr, &tip, late);
	if (rc == ADR_ENOTFOUND) {
		adr_error_clear();
		/* Merged without a decision (a plain git merge), or a shared
		 * commit that no decision made: open. */
		rc = state == BRANCH_MERGED ? 1 : 0;
		goto cleanup;
	}
	if (rc < 0 || (rc = decision_fill(d, NULL, repo, m)) < 0)
		goto cleanup;
	d->late = nlate;
	if (merge) {
		*merge = m;
		m = NULL;
	}
	rc = 1;
cleanup:
	git_commit_free(m);
	adr_buf_dispose(&pb);
	return rc;
}

/* The slug a REF names when no proposal branch matches it: "x", "adr/x",
 * "refs/heads/adr/x", "origin/adr/x". */
static const char *name_slug(const char *ref)
{
	const char *a;
	if (strncmp(ref, "refs/heads/adr/", 15) == 0)
		return ref + 15;
	if (strncmp(ref, "adr/", 4) == 0)
		return ref + 4;
	if ((a = strstr(ref, "/adr/")))
		return a + 5;
	return ref;
}

/*
 * The decision of a proposal whose branch is gone, by REF (a slug or
 * branch name, or a record number): 0 with `d`, `merge` (may be NULL) and
 * `slug` filled, ADR_ENOTFOUND (message set) when there is none.
 */
int adr__decision_by_name(adr_decision *d, git_commit **merge, adr_buf *slug, adr_repo *repo, const char *ref,
			    adr__oid_list *late)
{
	git_commit *m = NULL;
	adr_buf pb = ADR_BUF_INIT;
	int rc, number = 0;

	memset(d, 0, sizeof(*d));
	d->number = -1;
	if (merge)
		*merge = NULL;
	if (*ref && (strspn(ref, "0123456789") == strlen(ref) || strncasecmp(ref, "ADR-", 4) == 0)) {
		if ((rc = adr_parse_number(&number, ref)) < 0)
			return rc;
	} else {
		if (adr__proposal_branch(&pb, name_slug(ref)) < 0)
			return ADR_ENOMEM;
	}
	if ((rc = find_decision(&m, repo, number, number ? NULL : pb.ptr, NULL, late)) < 0 ||
	    (rc = decision_fill(d, slug, repo, m)) < 0)
		goto cleanup;
	if (merge) {
		*merge = m;
		m = NULL;
	}
cleanup:
	git_commit_free(m);
	adr_buf_dispose(&pb);
	return rc;
}

/* True when commit `c` carries Adr-Proposal: `pbranch`. */
static bool names_proposal(git_commit *c, const char *pbranch)
{
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	const char *msg = git_commit_message(c), *prop;
	bool r = adr__trailers_read(&keys, &values, msg ? msg : "", ADR_TRAILERS_STRICT, NULL) == 0 &&
		 (prop = adr__trailers_get(&keys, &values, ADR_TRAILER_PROPOSAL)) && strcmp(prop, pbranch) == 0;
	adr_error_clear();
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	return r;
}

/*
 * Walks first parents from `from` while the commits have `path`. With
 * `pbranch` (looking for the tip a plain merge brought into the decision
 * branch): stops at the merge that brought the file (*out: its second
 * parent) or at a proposal commit fast-forwarded there (*out: it). Without
 * (looking for the start of a proposal): stops at the first commit without
 * the file (*out: it). 1 when found, 0 when not, or an error. With `kept`,
 * the answer of the same walk from an older commit: reaching that commit,
 * the walk takes its answer.
 */
static int first_parents(git_oid *out, git_repository *git, const git_oid *from, const char *path,
			 const char *pbranch, const adr__fp_answer *kept)
{
	git_commit *c = NULL, *next = NULL;
	int rc;

	if ((rc = git_commit_lookup(&c, git, from)) < 0)
		goto fail;
	for (;;) {
		const git_oid *id = git_commit_id(c);
		if (kept && git_oid_equal(id, &kept->start)) {
			rc = kept->rc;
			if (rc == 1)
				git_oid_cpy(out, &kept->out);
			break;
		}
		if (!commit_has(git, id, path)) {
			rc = !pbranch;
			git_oid_cpy(out, id);
			break;
		}
		if (pbranch && git_commit_parentcount(c) >= 2 && commit_has(git, git_commit_parent_id(c, 1), path) &&
		    !commit_has(git, git_commit_parent_id(c, 0), path)) {
			git_oid_cpy(out, git_commit_parent_id(c, 1));
			rc = 1;
			break;
		}
		if (pbranch && names_proposal(c, pbranch)) {
			git_oid_cpy(out, id);
			rc = 1;
			break;
		}
		if (git_commit_parentcount(c) == 0) {
			rc = 0;
			break;
		}
		if ((rc = git_commit_parent(&next, c, 0)) < 0)
			goto fail;
		git_commit_free(c);
		c = next;
	}
	git_commit_free(c);
	return rc;
fail:
	rc = adr__error_git(rc, "cannot walk the history of '%s' from commit %s", path,
			    git_oid_tostr_s(c ? git_commit_id(c) : from));
	git_commit_free(c);
	return rc;
}

/* first_parents(), taking the answer kept from an earlier walk (log/fpcache.h)
 * and keeping this one's. */
static int first_parents_kept(git_oid *out, adr_repo *repo, const git_oid *from, const char *path,
			      const char *pbranch)
{
	const char *key = pbranch ? pbranch : "-";
	adr__fp_answer kept, now;
	bool have = adr__fpcache_get(repo, key, path, &kept);
	int rc = first_parents(out, adr__repo_git(repo), from, path, pbranch, have ? &kept : NULL);

	if (rc >= 0 && !(have && git_oid_equal(&kept.start, from))) {
		memset(&now, 0, sizeof(now));
		git_oid_cpy(&now.start, from);
		now.rc = rc;
		if (rc == 1)
			git_oid_cpy(&now.out, out);
		adr__fpcache_put(repo, key, path, &now);
	}
	return rc;
}

int adr__merged_thread_range(git_oid *tip, git_oid *base, adr_repo *repo, const adr_proposal *p)
{
	adr_buf pb = ADR_BUF_INIT;
	git_oid from;
	int rc;

	if ((rc = adr__oid_from_hex(&from, p->tip)) < 0)
		return rc;
	if (strcmp(p->ref, adr_repo_branch(repo)) != 0) {
		git_oid_cpy(tip, &from);
	} else {
		if (adr__proposal_branch(&pb, p->slug) < 0)
			return ADR_ENOMEM;
		rc = first_parents_kept(tip, repo, &from, p->path, pb.ptr);
		adr_buf_dispose(&pb);
		if (rc <= 0)
			return rc;
	}
	return first_parents_kept(base, repo, tip, p->path, NULL);
}
