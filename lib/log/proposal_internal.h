/*
 * log/proposal_internal.h: what the files of asynchronous review share.
 *
 * proposal.c  finding and loading proposals; the small helpers below
 * propose.c   propose, comment (and late comments), revise; deadlines
 * thread.c    reading a discussion back from history
 * decision.c  whether and how a proposal was decided
 * decide.c    accept and reject
 * scope.c     what a proposal branch may change
 */
#ifndef ADR_LOG_PROPOSAL_INTERNAL_H
#define ADR_LOG_PROPOSAL_INTERNAL_H

#include <git2.h>

#include "adr/proposal.h"

/* --- proposal.c ----------------------------------------------------------- */

/* The decision branch's tip: 1 with *out set, 0 when the branch has no
 * commits yet, or an error when it cannot be read, which must never pass
 * for an unborn branch (its commits would count as a proposal's, or a
 * decided proposal as open). */
int adr__decision_tip(git_oid *out, adr_repo *repo);

/* "adr/<slug>": a proposal's branch as its trailers name it. */
int adr__proposal_branch(adr_buf *out, const char *slug);
/* "<records dir>/<slug>.md": where a proposal keeps its record. */
int adr__proposal_path(adr_buf *out, adr_repo *repo, const char *slug);

/* "adr/x" or "origin/adr/x" for a proposal ref, as people write it. */
const char *adr__ref_short(const char *ref);

typedef struct {
	git_oid *ids;
	size_t count, alloc;
} adr__oid_list;

int adr__oid_list_add(adr__oid_list *l, const git_oid *id);
void adr__oid_list_dispose(adr__oid_list *l);

/* A proposal branch: its slug and full ref name. */
typedef struct {
	char *slug;
	char *ref;
	bool remote;
} adr__cand;

typedef struct {
	adr__cand *items;
	size_t count, alloc;
} adr__cand_list;

/* Every proposal branch, local and remote-tracking. */
int adr__cands_load(adr__cand_list *l, adr_repo *repo);
void adr__cands_clear(adr__cand_list *l);

/* --- propose.c ------------------------------------------------------------- */

/* A comment carried over from a proposal branch: its commit there and its
 * author ("Name <email>"). */
typedef struct {
	const char *commit;
	const char *author;
} adr__carried;

/* Keeps a comment on proposal `slug`, decided as `d`, as a late comment on
 * the decision branch (one commit); `from` (may be NULL) when it is carried
 * over from the branch (its section is then not checked). */
int adr__late_comment(adr_op_result *res, adr_repo *repo, const char *slug, const adr_decision *d, const char *text,
		      adr_vote vote, const char *section, const adr__carried *from);

/* --- thread.c ------------------------------------------------------------- */

enum {
	WALK_OUTSIDE = 1u << 0, /* fill adr_event.outside */
	WALK_LATE = 1u << 1     /* the commits are late: after the decision */
};

/* Appends to `t` the events of the commits on `tip` that `hide` does not
 * have, for a record at `path`, oldest first. */
int adr__walk_thread(adr_thread *t, adr_repo *repo, const git_oid *tip, const git_oid *hide, const char *path,
		     unsigned flags);
/* adr__walk_thread() of `tip`, then, when `other` (a diverged branch) is
 * not NULL, of the commits only `other` has; the events of both sorted by
 * time. */
int adr__walk_thread_both(adr_thread *t, adr_repo *repo, const git_oid *tip, const git_oid *other,
			  const git_oid *hide, const char *path, unsigned flags);

/* --- decision.c ----------------------------------------------------------- */

enum {
	BRANCH_OPEN,    /* not in the decision branch */
	BRANCH_MERGED,  /* its tip is in the decision branch */
	BRANCH_AHEAD    /* a commit of it that has the record is, and it went on after that */
};

/* How the proposal branch at `tip` stands against the decision branch at
 * `dtip` (BRANCH_*); for BRANCH_AHEAD *late counts its later commits. */
int adr__branch_state(git_repository *git, const git_oid *tip, const git_oid *dtip, const char *path,
		      size_t *late);
/* 1 with `d` filled when proposal `p` was decided, 0 when it is open. */
int adr__proposal_decided(adr_decision *d, git_commit **merge, adr_repo *repo, const adr_proposal *p,
			  adr__oid_list *late);
/* The decision of a proposal whose branch is gone, by slug, branch or number. */
int adr__decision_by_name(adr_decision *d, git_commit **merge, adr_buf *slug, adr_repo *repo, const char *ref,
			  adr__oid_list *late);
/* The error for a proposal merged by plain git: no decision, no number. */
int adr__plain_merge_error(const adr_proposal *p, adr_repo *repo, const char *what);
/* For proposal `p` merged by plain git (p->merged): the proposal tip that
 * was merged (`tip`) and the commit its history starts after (`base`).
 * 1, 0 when they cannot be found, or an error. */
int adr__merged_thread_range(git_oid *tip, git_oid *base, adr_repo *repo, const adr_proposal *p);

/* --- proposal_remote.c (and log/sync_internal.h) ------------------------- */

/* 1 when every commit of the branch at `tip` that the decision branch at
 * `dtip` has not was carried over there as a late comment (an Adr-Late-From
 * among the late comments `late`), 0 when one was not, or an error. */
int adr__late_carried(adr_repo *repo, const git_oid *tip, const git_oid *dtip, const adr__oid_list *late);

/* --- scope.c -------------------------------------------------------------- */

/* The tree of commit `id` (NULL id: no tree, for an empty start). */
int adr__tree_of(git_tree **out, git_repository *git, const git_oid *id);
/* The images besides its record that a proposal whose record is `path` in
 * `tree` may add; `base` is where it started, or NULL. */
int adr__proposal_images(adr_strlist *out, adr_repo *repo, git_tree *tree, git_tree *base, const char *path);
/* The paths the proposal branch at `tip` changed since it left the
 * decision branch at `base` that it may not change. */
int adr__branch_outside(adr_strlist *out, adr_repo *repo, const git_oid *tip, const git_oid *base,
			const char *record);
/* The paths commit `c` itself changed that are neither `record` nor one of `imgs`. */
int adr__commit_outside(adr_strlist *out, git_repository *git, git_commit *c, const char *record,
			const adr_strlist *imgs);
/* Refuses a decision on a branch that changed `paths` besides its record. */
int adr__outside_error(const adr_strlist *paths, adr_repo *repo, const char *ref, const char *slug,
		       const char *record);

/* Library-internal: used by other files of the library and by its tests. */
/*
 * Reads the trailers adr wrote: only the last paragraph of `msg`, and only
 * when every line of it is a `Key: value` trailer, so text in a comment can
 * never pose as a trailer. Keys and values go to the two lists, in order.
 * Exposed for tests.
 */
int adr__proposal_trailers(adr_strlist *keys, adr_strlist *values, const char *msg);

#endif
