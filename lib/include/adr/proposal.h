/*
 * adr/proposal.h: asynchronous review on branches: proposals, comments,
 * revisions, threads, and the merge that decides.
 *
 * A proposal is the branch `refs/heads/adr/<slug>` (or a remote-tracking
 * `refs/remotes/<remote>/adr/<slug>`) holding `<records dir>/<slug>.md`
 * with `status: proposed` and a `review-by` deadline. A comment is a commit
 * on it whose message body is the comment and whose last paragraph carries
 * the trailers `Adr-Comment`, optionally `Adr-Vote: approve|object` and
 * `Adr-Section`; a revision is a commit that changes the record. Accepting
 * or rejecting merges the branch into the decision branch with a real merge
 * commit that also numbers the record, so the thread stays reachable.
 *
 * Every operation here that writes is one commit through adr_repo_commit().
 * None of them touches the user's checkout unless the branch it writes is
 * the one checked out.
 *
 * Ownership: structures filled by the functions below own their strings;
 * each has a `_dispose` (or `_free`) that frees them and accepts a zeroed or
 * already disposed structure.
 */
#ifndef ADR_PROPOSAL_H
#define ADR_PROPOSAL_H

#include "adr/common.h"
#include "adr/ops.h"
#include "adr/record.h"
#include "adr/repo.h"

/* Meetings and the queue have their own headers; included here so that
 * code written when they were declared here still builds. */
#include "adr/meeting.h"
#include "adr/queue.h"

#ifdef __cplusplus
extern "C" {
#endif

/* --- proposals ----------------------------------------------------------- */

typedef struct {
	char *slug;          /* "use-postgres" */
	char *ref;           /* the ref read: "refs/heads/adr/x" or "refs/remotes/origin/adr/x" */
	bool remote;         /* `ref` is remote-tracking: there is no local branch, or it is behind */
	bool behind;         /* a local branch exists, and `ref` (remote-tracking) is ahead of it */
	bool diverged;       /* the local and a remote-tracking branch both have commits the other
			      * has not: `ref` is the local one, `other` the remote-tracking one,
			      * and the tallies count the commits of both */
	char *other;         /* with `diverged`: the other branch's ref */
	bool merged;         /* merged into the decision branch by plain git (a pull request),
			      * not yet decided: `ref` may then be the decision branch itself */
	char tip[41];        /* the commit at `ref` */
	char *path;          /* the record path on the branch */
	adr_record *record;  /* the record at tip (NULL when it cannot be read) */
	char *error;         /* why record is NULL */
	long long created;   /* commit time of the first commit after the decision branch */
	size_t comments;     /* comments in the thread */
	size_t revisions;    /* revisions after the proposal itself */
	adr_strlist approvals;  /* people whose last vote is approve */
	adr_strlist objections; /* people whose last vote is object */
	adr_strlist responders; /* people who commented or voted, first answer first */
} adr_proposal;
#define ADR_PROPOSAL_INIT { 0 }

void adr_proposal_dispose(adr_proposal *p);

/*
 * Finds a proposal by slug, unique slug prefix, or branch name ("adr/x",
 * "refs/heads/adr/x", "origin/adr/x"). A slug or "adr/x" reads the newer
 * of the local and remote-tracking branches: the remote-tracking one when
 * the local one is behind it, the local one when it is ahead, and both
 * (`diverged`) when each has commits the other has not; a full ref or
 * "<remote>/adr/x" reads that branch. A proposal merged into the decision
 * branch by plain git and not decided is found too (`merged`), also when
 * its branch is gone. ADR_ENOTFOUND / ADR_EAMBIGUOUS with a clear message.
 * With `with_thread`, created/comments/revisions/votes are filled in.
 */
int adr_proposal_find(adr_proposal *out, adr_repo *repo, const char *ref, bool with_thread);

/* Every open proposal, local and remote-tracking (one per slug, read as
 * adr_proposal_find() reads a slug), and every proposal merged by plain git
 * but not decided (`merged`), sorted by review-by then slug. */
typedef struct {
	adr_proposal *items;
	size_t count;
	adr_strlist notes;   /* decided proposals whose branch went on after the decision */
} adr_proposal_list;
#define ADR_PROPOSAL_LIST_INIT { 0 }
int adr_proposal_list_all(adr_proposal_list *out, adr_repo *repo);
void adr_proposal_list_dispose(adr_proposal_list *l);

/*
 * Parses a deadline: "48h", "3d", "2w" (from adr_now()) or "YYYY-MM-DD",
 * into out[11]. An empty or NULL `spec` takes the default for the quadrant
 * from .adr.yaml `deadlines.<urgent|calm>-<complex|simple>` or the built-in
 * one (urgent: 1d, calm-complex: 7d, calm-simple: 3d).
 */
int adr_deadline(char out[11], adr_repo *repo, const char *spec, adr_level urgency, adr_level complexity);

/*
 * `adr propose`: creates refs/heads/adr/<slug> from the decision branch tip
 * with `r` (whose status becomes proposed) at <dir>/<slug>.md. The slug
 * comes from the title; a slug that a reader would take for a record number
 * ("2", "12-factor-app", "adr-5-rules") gets the prefix "proposal-", so the
 * unnumbered file never reads as record 2, 12 or 5. ADR_EEXISTS when a
 * proposal with the same slug (ignoring case) exists locally or
 * remote-tracking.
 */
int adr_op_propose(adr_op_result *res, adr_repo *repo, adr_record *r);

typedef enum { ADR_VOTE_NONE = 0, ADR_VOTE_APPROVE, ADR_VOTE_OBJECT } adr_vote;

/* How a proposal was decided. */
typedef struct {
	int number;                 /* the record number it got */
	adr_status status;          /* ADR_STATUS_ACCEPTED or ADR_STATUS_REJECTED */
	char date[11];              /* the day of the merge that decided it */
	char merge[41];             /* that merge */
	size_t late;                /* commits on its branch made after the decision */
} adr_decision;
#define ADR_DECISION_INIT { .number = -1 }

/* `adr comment`: one commit on the proposal branch. `text` may be empty
 * only with a vote; it must be UTF-8 without NUL; `section` is one line.
 * On a decided proposal (REF as for adr_proposal_find, or the slug of a
 * decided proposal whose branch is gone) the comment is a late comment on
 * the decision branch instead: `late` (may be NULL) then gets the decision
 * (late->number > 0), res->number and res->path name the record. */
int adr_op_comment(adr_op_result *res, adr_repo *repo, const char *ref, const char *text, adr_vote vote,
		   const char *section, adr_decision *late);

/* `adr revise`: replaces the proposed record with `text` (which must parse
 * strictly). With `base`, ADR_ECONFLICT when the branch changed meanwhile;
 * ADR_EINVALID when the proposal was decided. */
int adr_op_revise(adr_op_result *res, adr_repo *repo, const char *ref, const char *text, size_t len,
		  const char *base, size_t base_len);

typedef struct {
	adr_status status;          /* ADR_STATUS_ACCEPTED or ADR_STATUS_REJECTED */
	const adr_strlist *by;      /* decision-makers; NULL or empty: approvers + the decider */
	const char *reason;         /* rejection (or acceptance) note, may be NULL */
	const char *revisit;        /* accepting: a revisit date or period (adr/revisit.h); NULL: the
				     * proposal's own, else the .adr.yaml cadence if one is set */
} adr_decide_opts;

/* More of a decision (adr_op_decide_extra()): zeroed means none of it. */
typedef struct {
	adr_mode mode;              /* NONE: the proposal's (async) */
	adr_visibility visibility;  /* NONE: the proposal's */
	const adr_strlist *tags;    /* added to the proposal's; may be NULL */
	bool check_only;            /* check that it can be decided (found, open, readable,
				     * nothing outside its record); write nothing */
} adr_decide_extra;

typedef struct {
	adr_op_result op;           /* number, path, commit */
	bool already;               /* it had been decided before: nothing was written */
	adr_decision decision;      /* with `already`: how it was decided */
	char *warning;              /* the branch could not be deleted, ... */
} adr_decide_result;
#define ADR_DECIDE_RESULT_INIT { 0 }
void adr_decide_result_dispose(adr_decide_result *res);

/* `adr accept` / `adr reject`: see the file comment. ADR_EINVALID, with
 * the paths, when the branch changes files outside its record (nothing is
 * written); `already` when it was decided before. */
int adr_op_decide(adr_decide_result *res, adr_repo *repo, const char *ref, const adr_decide_opts *opts);
/* adr_op_decide() with `extra` (may be NULL). With extra->check_only, 0
 * means it can be decided now (`already` when it was decided before);
 * res->op.path is then the proposal's record path. */
int adr_op_decide_extra(adr_decide_result *res, adr_repo *repo, const char *ref, const adr_decide_opts *opts,
			const adr_decide_extra *extra);

/* --- threads ------------------------------------------------------------- */

typedef enum {
	ADR_EVENT_PROPOSED = 1,
	ADR_EVENT_REVISED,
	ADR_EVENT_COMMENT,
	ADR_EVENT_DECIDED
} adr_event_kind;

typedef struct {
	adr_event_kind kind;
	char commit[41];
	char *author;
	char *email;
	long long time;             /* seconds since the epoch */
	int offset;                 /* minutes east of UTC */
	char *subject;
	char *text;                 /* a comment's text, a decision's reason, else "" */
	adr_vote vote;
	char *section;              /* Adr-Section, or NULL */
	adr_strlist changes;        /* revisions: "field status", "section Decision", ... */
	adr_strlist outside;        /* paths outside the proposal this commit changed (see the file
				     * comment); a commit that changed only such paths is a revision
				     * with no `changes` */
	bool late;                  /* made after the proposal was decided */
} adr_event;

typedef struct {
	char *slug;
	char *ref;                  /* the branch read, or the merge commit for decided ones */
	char *other;                /* open and diverged: the other branch, whose commits are shown too */
	int number;                 /* -1 while open */
	adr_status status;          /* proposed, accepted or rejected */
	adr_event *events;
	size_t count;
} adr_thread;
#define ADR_THREAD_INIT { 0 }

void adr_thread_dispose(adr_thread *t);

/* The discussion of a proposal (REF as for adr_proposal_find) or of a decided
 * record (a number, or the slug of a decided proposal), oldest first; for a
 * decided one, the late comments (and commits on its branch after the
 * decision) follow the decision, marked `late`. */
int adr_thread_read(adr_thread *out, adr_repo *repo, const char *ref);

/*
 * The discussion of the proposal that `merge_commit` (a full commit id)
 * accepted or rejected, as adr_thread_read() gives it for that record up to
 * the decision (no late comments, no `outside` paths), without searching
 * the decision branch (see adr_history_entry.decision_merge). ADR_EINVALID when the commit is not
 * an accept or reject merge, ADR_ENOTFOUND when there is no such commit.
 */
int adr_thread_read_merge(adr_thread *out, adr_repo *repo, const char *merge_commit);

#ifdef __cplusplus
}
#endif
#endif
