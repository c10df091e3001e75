/*
 * log/propose.c: the writes on a proposal: `adr propose` makes the branch,
 * `adr comment` and `adr revise` add commits to it, and a comment on a
 * proposal already decided becomes a late comment on the decision branch.
 * Also the review-by deadline a proposal gets.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/commit.h"
#include "adr/proposal.h"
#include "log/ops_internal.h"
#include "log/proposal_internal.h"
#include "log/sync_internal.h"
#include "record/quadrant.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/error.h"

/* --- deadlines ---------------------------------------------------------------- */

int adr_deadline(char out[11], adr_repo *repo, const char *spec, adr_level urgency, adr_level complexity)
{
	char key[64];
	const char *s = spec;

	if (!s || !*s) {
		/* The quadrant as `adr stats` counts it (record/quadrant.h). */
		adr__quadrant q = adr__quadrant_of(urgency, complexity);
		snprintf(key, sizeof(key), "deadlines.%s", adr__quadrant_key(q));
		s = repo ? adr_repo_config_string(repo, key) : NULL;
		if (!s)
			s = q == ADR__QUADRANT_URGENT_COMPLEX || q == ADR__QUADRANT_URGENT_SIMPLE ? "1d"
			    : q == ADR__QUADRANT_CALM_COMPLEX ? "7d" : "3d";
	}
	if (adr_date_valid(s)) {
		snprintf(out, 11, "%s", s);
		return 0;
	}
	if (adr__period_end(out, s, "hdw") == 0) /* the one reader of periods (util/clock.c) */
		return 0;
	return adr__error(ADR_EUSAGE, "deadline '%s' is not a duration (48h, 3d, 2w) or a date (YYYY-MM-DD)%s", s,
			  s == spec ? "" : " (from .adr.yaml deadlines)");
}

/* --- propose ---------------------------------------------------------------- */

typedef struct {
	adr_op_result *res;
	adr_record *r;
	const char *slug;
} propose_ctx;

static int propose_fn(adr_change *ch, void *payload)
{
	propose_ctx *c = payload;
	adr_buf path = ADR_BUF_INIT, pbranch = ADR_BUF_INIT;
	int rc;

	if ((rc = adr__proposal_path(&path, adr_change_repo(ch), c->slug)) < 0 ||
	    (rc = adr__proposal_branch(&pbranch, c->slug)) < 0)
		goto cleanup;
	if (adr_change_exists(ch, path.ptr)) {
		/* A file on the decision branch, not a proposal (check_slug_free() saw none). */
		rc = adr__error(ADR_EEXISTS, "'%s' already exists on %s: the proposal adr/%s would add it; use "
					     "another title", path.ptr, adr__ref_short(adr_repo_branch(adr_change_repo(ch))), c->slug);
		goto cleanup;
	}
	free(c->r->path);
	if (!(c->r->path = adr__strdup(path.ptr))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = adr_change_write_record(ch, c->r)) < 0 || (rc = adr__op_set_path(c->res, path.ptr)) < 0)
		goto cleanup;
	rc = adr__op_message(ch, "propose", (const char *const[]){ ADR_TRAILER_PROPOSAL, pbranch.ptr, NULL },
			     "propose %s", c->r->title);
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&pbranch);
	return rc;
}

/* The refusal for a slug whose branch `ref` is still there: a decided
 * proposal's branch (kept for its late commits, or a remote-tracking one
 * not pruned) says how it was decided, not that a proposal exists. */
static int slug_taken(adr_repo *repo, const char *slug, const char *ref)
{
	adr_proposal p;
	adr_decision d;
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = adr_proposal_find(&p, repo, ref, false)) == 0)
		rc = adr__proposal_decided(&d, NULL, repo, &p, NULL);
	if (rc == 1 && d.number >= 0) {
		rc = adr__error(ADR_EEXISTS, "'%s' was already decided as %04d (%s on %s), and its branch %s is still "
					     "there: use another title, or delete that branch to propose it again",
				slug, d.number, adr_status_name(d.status), d.date, adr__ref_short(ref));
	} else if (rc != ADR_ENOMEM) {
		/* Open, or a branch that cannot be read as a proposal: taken all the same. */
		adr_error_clear();
		rc = adr__error(ADR_EEXISTS, "a proposal named '%s' already exists (%s)", slug, ref);
	}
	adr_proposal_dispose(&p);
	return rc;
}

/* Refuses a slug that clashes (ignoring case) with an existing proposal branch. */
static int check_slug_free(adr_repo *repo, const char *slug)
{
	adr__cand_list l = { 0 };
	int rc = adr__cands_load(&l, repo);
	for (size_t i = 0; rc == 0 && i < l.count; i++)
		if (strcasecmp(l.items[i].slug, slug) == 0)
			rc = slug_taken(repo, slug, l.items[i].ref);
	adr__cands_clear(&l);
	return rc;
}

/*
 * The slug of a proposal: from the title, as for any record, except that
 * its file <dir>/<slug>.md carries no number, so a slug that reads as one
 * ("2", "12-factor-app", "adr-5-rules": see adr_record_parse_filename())
 * gets the prefix "proposal-". The record keeps that slug when it is
 * numbered (0007-proposal-2.md), as the branch and the thread do.
 */
static int proposal_slug(adr_buf *slug, const char *title)
{
	adr_buf name = ADR_BUF_INIT;
	int rc, number;

	if ((rc = adr_slugify(slug, title)) < 0 || !slug->size)
		return rc;
	adr_buf_printf(&name, "%s.md", slug->ptr);
	if (adr_buf_oom(&name)) {
		rc = ADR_ENOMEM;
	} else if (adr_record_parse_filename(&number, NULL, name.ptr) == 0) {
		adr_buf_clear(&name);
		adr_buf_printf(&name, "proposal-%s", slug->ptr);
		if (adr_buf_oom(&name) || adr_buf_set(slug, name.ptr, name.size) < 0)
			rc = ADR_ENOMEM;
	} else {
		adr_error_clear(); /* not a number: the slug stays */
	}
	adr_buf_dispose(&name);
	return rc;
}

int adr_op_propose(adr_op_result *res, adr_repo *repo, adr_record *r)
{
	adr_buf slug = ADR_BUF_INIT, branch = ADR_BUF_INIT;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	propose_ctx c = { res, r, NULL };
	git_oid dtip;
	char start[41];
	int rc;

	if ((rc = proposal_slug(&slug, r->title)) < 0)
		goto cleanup;
	if (!slug.size) {
		rc = adr__error(ADR_EINVALID, "cannot make a branch name from the title '%s': use a title with "
					      "ASCII letters or digits", r->title);
		goto cleanup;
	}
	/* A valid ref name: adr_slugify() keeps [a-z0-9-], never a dash first or last. */
	adr_buf_printf(&branch, "refs/heads/adr/%s", slug.ptr);
	if (adr_buf_oom(&branch)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = check_slug_free(repo, slug.ptr)) < 0)
		goto cleanup;
	if ((rc = adr__decision_tip(&dtip, repo)) <= 0) {
		if (rc == 0)
			rc = adr__hint(ADR_HINT_INIT, adr__error(ADR_ENOTFOUND, "the decision branch '%s' has no commits yet",
								 adr_repo_branch(repo)));
		goto cleanup;
	}
	git_oid_tostr(start, sizeof(start), &dtip);
	r->number = -1;
	r->status = ADR_STATUS_PROPOSED;
	free(r->slug);
	if (!(r->slug = adr__strdup(slug.ptr))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	/* A proposal's owner is its proposer unless someone else was named. */
	if (!r->owner && (rc = adr_repo_user_name(&r->owner, repo)) < 0)
		goto cleanup;
	if ((rc = adr_record_validate(r)) < 0)
		goto cleanup;
	c.slug = slug.ptr;
	opts.branch = branch.ptr;
	opts.start_point = start;
	rc = adr__op_commit(res, repo, propose_fn, &c, &opts);
cleanup:
	adr_buf_dispose(&slug);
	adr_buf_dispose(&branch);
	return rc;
}

/* --- comment and revise ------------------------------------------------------ */

/* Brings the local branch of `p`, behind the remote-tracking one it was
 * read from, up to it, so a new commit goes on what was read. A branch
 * that is checked out stays (the commit then goes on it, and the two
 * diverge until they are combined). */
static int fast_forward(adr_repo *repo, const adr_proposal *p)
{
	adr_buf remote = ADR_BUF_INIT;
	const char *r, *a;
	char tip[41];
	int rc;

	if (strncmp(p->ref, "refs/remotes/", 13) != 0 || !(a = strstr(r = p->ref + 13, "/adr/")))
		return 0;
	if (adr_buf_set(&remote, r, (size_t)(a - r)) < 0)
		return ADR_ENOMEM;
	rc = adr__proposal_combine(repo, remote.ptr, p->slug, tip);
	if (rc == ADR_EINVALID) { /* checked out */
		adr_error_clear();
		rc = 0;
	}
	adr_buf_dispose(&remote);
	return rc;
}

/* One commit on the branch of proposal `p`: its local branch, started from
 * the remote-tracking one when only that exists, brought up to it when it
 * is behind. */
static int commit_on_proposal(adr_op_result *res, adr_repo *repo, const adr_proposal *p, adr_change_fn fn,
			      void *payload, bool allow_empty)
{
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	adr_buf branch = ADR_BUF_INIT;
	int rc;

	adr_buf_printf(&branch, "refs/heads/adr/%s", p->slug);
	if (adr_buf_oom(&branch))
		return ADR_ENOMEM;
	if (p->behind && (rc = fast_forward(repo, p)) < 0)
		goto cleanup;
	opts.branch = branch.ptr;
	opts.start_point = p->remote ? p->tip : NULL;
	opts.allow_empty = allow_empty;
	rc = adr__op_commit(res, repo, fn, payload, &opts);
cleanup:
	adr_buf_dispose(&branch);
	return rc;
}

/* True when the record body has a heading named `section` (any level, no case). */
static bool has_section(const char *body, const char *section)
{
	size_t sl = strlen(section);
	for (const char *p = body; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (*p == '#') {
			const char *h = p;
			while (h < p + n && *h == '#')
				h++;
			while (h < p + n && *h == ' ')
				h++;
			size_t hn = (size_t)(p + n - h);
			while (hn > 0 && (h[hn - 1] == ' ' || h[hn - 1] == '\r'))
				hn--;
			if (hn == sl && strncasecmp(h, section, sl) == 0)
				return true;
		}
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

typedef struct {
	adr_op_result *res;
	const adr_proposal *p;
	const char *text;
	adr_vote vote;
	const char *section;
} comment_ctx;

/*
 * The message of a comment on proposal `slug`: its text as the body, the
 * vote and the section as trailers. A late one (`late`: its record, NNNN)
 * is marked so and names the record.
 */
static int comment_message(adr_change *ch, const char *slug, const char *text, adr_vote vote, const char *section,
			   const char *late, const adr__carried *from)
{
	const char *word = vote == ADR_VOTE_APPROVE ? "approve" : vote == ADR_VOTE_OBJECT ? "object" : "comment";
	const char *v = vote == ADR_VOTE_APPROVE ? "approve" : vote ? "object" : NULL;
	adr_buf pb = ADR_BUF_INIT;
	int rc;

	if ((rc = adr__proposal_branch(&pb, slug)) < 0)
		goto cleanup;
	if (late)
		rc = adr__op_message(ch, "comment",
				     (const char *const[]){ ADR_TRAILER_PROPOSAL, pb.ptr, ADR_TRAILER_COMMENT, slug,
							    ADR_TRAILER_LATE, "true", ADR_TRAILER_RECORD, late,
							    ADR_TRAILER_VOTE, v, ADR_TRAILER_SECTION, section,
							    ADR_TRAILER_LATE_FROM, from ? from->commit : NULL,
							    ADR_TRAILER_AUTHOR, from ? from->author : NULL, NULL },
				     "late %s on %s (%s)", word, slug, late);
	else
		rc = adr__op_message(ch, "comment",
				     (const char *const[]){ ADR_TRAILER_PROPOSAL, pb.ptr, ADR_TRAILER_COMMENT, slug,
							    ADR_TRAILER_VOTE, v, ADR_TRAILER_SECTION, section, NULL },
				     "%s on %s", word, slug);
	if (rc == 0)
		rc = adr_change_set_body(ch, text);
cleanup:
	adr_buf_dispose(&pb);
	return rc;
}

static int comment_fn(adr_change *ch, void *payload)
{
	comment_ctx *c = payload;
	int rc;

	if (!adr_change_exists(ch, c->p->path))
		return adr__error(ADR_ENOTFOUND, "%s has no '%s': it is not a proposal", adr_change_branch(ch),
				  c->p->path);
	if ((rc = comment_message(ch, c->p->slug, c->text, c->vote, c->section, NULL, NULL)) < 0)
		return rc;
	return adr__op_set_path(c->res, c->p->path);
}

typedef struct {
	adr_op_result *res;
	const char *slug, *text, *section, *path;
	adr_vote vote;
	int number;
	const adr__carried *from;
} late_ctx;

/* A late comment: an empty commit on the decision branch. */
static int late_fn(adr_change *ch, void *payload)
{
	late_ctx *c = payload;
	char num[16];
	int rc;

	adr__trailer_number(num, c->number);
	if ((rc = comment_message(ch, c->slug, c->text, c->vote, c->section, num, c->from)) < 0)
		return rc;
	c->res->number = c->number;
	return c->path ? adr__op_set_path(c->res, c->path) : 0;
}

int adr__late_comment(adr_op_result *res, adr_repo *repo, const char *slug, const adr_decision *d, const char *text,
		      adr_vote vote, const char *section, const adr__carried *from)
{
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	adr_record *r = NULL;
	late_ctx c = { res, slug, text, section, NULL, vote, d->number, from };
	int rc;

	/* The record as it is now (it may have been renumbered or removed since). */
	if (adr_repo_record_path(&path, repo, NULL, d->number) == 0)
		c.path = path.ptr;
	adr_error_clear();
	/* A carried comment keeps the section it named on its branch. */
	if (section && !from) {
		if (!c.path) {
			rc = adr__error(ADR_EUSAGE, "record %04d is not on %s, so it has no section to comment on", d->number,
					adr__ref_short(adr_repo_branch(repo)));
			goto cleanup;
		}
		if ((rc = adr_repo_read_file(&data, repo, NULL, c.path)) < 0 ||
		    (rc = adr_record_parse(&r, c.path, data.ptr, data.size, ADR_PARSE_LENIENT)) < 0)
			goto cleanup;
		if (!has_section(r->body, section)) {
			rc = adr__error(ADR_EUSAGE, "'%s' has no heading '%s'", c.path, section);
			goto cleanup;
		}
	}
	opts.allow_empty = true;
	rc = adr__op_commit(res, repo, late_fn, &c, &opts);
cleanup:
	adr_record_free(r);
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	return rc;
}

int adr_op_comment(adr_op_result *res, adr_repo *repo, const char *ref, const char *text, adr_vote vote,
		   const char *section, adr_decision *late)
{
	adr_proposal p;
	adr_decision d;
	adr_buf why = ADR_BUF_INIT, slug = ADR_BUF_INIT;
	comment_ctx c = { res, &p, text ? text : "", vote, section };
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&d, 0, sizeof(d));
	if (late) {
		memset(late, 0, sizeof(*late));
		late->number = -1;
	}
	if ((rc = adr__text_check("the comment", c.text, strlen(c.text))) < 0)
		return rc;
	if (!*c.text && !vote)
		return adr__hint(ADR_HINT_VOTE, adr__error(ADR_EUSAGE, "empty comment: write something"));
	if (section) {
		if (strchr(section, '\n') || strchr(section, '\r'))
			return adr__error(ADR_EUSAGE, "a section heading cannot contain a line break");
		if ((rc = adr__text_check("the section heading", section, strlen(section))) < 0)
			return rc;
		if (!*section)
			return adr__error(ADR_EUSAGE, "empty section heading");
	}
	rc = adr_proposal_find(&p, repo, ref, false);
	if (rc == ADR_ENOTFOUND) {
		/* Decided, and its branch is gone: a late comment. */
		adr_buf_puts(&why, adr_error_last());
		if ((rc = adr__decision_by_name(&d, NULL, &slug, repo, ref, NULL)) == 0 && slug.size) {
			rc = adr__late_comment(res, repo, slug.ptr, &d, c.text, vote, section, NULL);
			goto decided;
		}
		if (rc != ADR_ENOMEM) {
			const char *msg = adr_buf_oom(&why) ? "no proposal" : why.ptr;
			rc = adr__error(ADR_ENOTFOUND, "%s", msg);
		}
		goto cleanup;
	}
	if (rc < 0)
		goto cleanup;
	if ((rc = adr__proposal_decided(&d, NULL, repo, &p, NULL)) < 0)
		goto cleanup;
	if (rc == 1) {
		if (d.number < 0) {
			rc = adr__plain_merge_error(&p, repo, "decide it first (accepting or rejecting it decides it in place)");
			goto cleanup;
		}
		rc = adr__late_comment(res, repo, p.slug, &d, c.text, vote, section, NULL);
		goto decided;
	}
	if (section && p.record && !has_section(p.record->body, section)) {
		rc = adr__error(ADR_EUSAGE, "'%s' has no heading '%s'", p.path, section);
		goto cleanup;
	}
	rc = commit_on_proposal(res, repo, &p, comment_fn, &c, true);
	goto cleanup;
decided:
	if (rc == 0 && late)
		*late = d;
cleanup:
	adr_proposal_dispose(&p);
	adr_buf_dispose(&why);
	adr_buf_dispose(&slug);
	return rc;
}

typedef struct {
	adr_op_result *res;
	const adr_proposal *p;
	const char *text, *base;
	size_t len, base_len;
} revise_ctx;

static int revise_fn(adr_change *ch, void *payload)
{
	revise_ctx *c = payload;
	adr_buf now = ADR_BUF_INIT, pb = ADR_BUF_INIT;
	int rc;

	if ((rc = adr_change_read(ch, &now, c->p->path)) < 0) {
		rc = adr__error(ADR_ENOTFOUND, "%s has no '%s': it is not a proposal", adr_change_branch(ch), c->p->path);
		goto cleanup;
	}
	if (c->base && (now.size != c->base_len || memcmp(now.ptr, c->base, c->base_len) != 0)) {
		rc = adr__error(ADR_ECONFLICT, "%s changed on %s while you were editing it", c->p->path,
				adr_change_branch(ch));
		goto cleanup;
	}
	if ((rc = adr_change_write(ch, c->p->path, c->text, c->len)) < 0 ||
	    (rc = adr__proposal_branch(&pb, c->p->slug)) < 0 ||
	    (rc = adr__op_message(ch, "revise", (const char *const[]){ ADR_TRAILER_PROPOSAL, pb.ptr, NULL },
				  "revise %s", c->p->slug)) < 0)
		goto cleanup;
	rc = adr__op_set_path(c->res, c->p->path);
cleanup:
	adr_buf_dispose(&now);
	adr_buf_dispose(&pb);
	return rc;
}

int adr_op_revise(adr_op_result *res, adr_repo *repo, const char *ref, const char *text, size_t len,
		  const char *base, size_t base_len)
{
	adr_proposal p;
	adr_decision d;
	adr_record *r = NULL;
	revise_ctx c = { res, &p, text, base, len, base_len };
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = adr_proposal_find(&p, repo, ref, false)) < 0)
		goto cleanup;
	if ((rc = adr__proposal_decided(&d, NULL, repo, &p, NULL)) < 0)
		goto cleanup;
	if (rc == 1 && d.number < 0) {
		rc = adr__plain_merge_error(&p, repo, "change the record on the decision branch, or decide it first");
		goto cleanup;
	}
	if (rc == 1) {
		rc = adr__error(ADR_EINVALID, "%s was already decided as %04d (%s on %s): a decision is not revised; "
					      "change it with adr edit %d, or propose one that supersedes it; nothing was "
					      "written",
				adr__ref_short(p.ref), d.number, adr_status_name(d.status), d.date, d.number);
		goto cleanup;
	}
	if ((rc = adr_record_parse(&r, p.path, text, len, 0)) < 0 || (rc = adr_record_validate(r)) < 0)
		goto cleanup;
	if (r->status != ADR_STATUS_PROPOSED) {
		rc = adr__error(ADR_EINVALID, "%s: a proposal keeps 'status: proposed' (decide it with adr accept or "
					      "adr reject)", p.path);
		goto cleanup;
	}
	rc = commit_on_proposal(res, repo, &p, revise_fn, &c, false);
cleanup:
	adr_record_free(r);
	adr_proposal_dispose(&p);
	return rc;
}

