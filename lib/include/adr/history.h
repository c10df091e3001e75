/*
 * adr/history.h: the history of every record from one walk over the
 * decision branch.
 *
 * One walk, oldest commit first, over every commit reachable from the tip
 * (merges' second parents included, so proposal branches are seen). Each
 * commit is compared with its first parent, restricted to the records
 * directory: commits where that directory's tree did not change cost one
 * tree lookup; the others are diffed entry by entry on the raw trees. Per
 * record path this gives: created and last changed (commit, author, date),
 * every author, every commit that touched it, when it was proposed and
 * decided (and by which merge), its revisions and comments, when its
 * proposal had its first response, and when it was superseded or
 * deprecated.
 *
 * Renames keep the history: a file deleted and another added with the same
 * blob in one commit, `<slug>.md` becoming `NNNN-<slug>.md` in one commit,
 * and an accepted proposal (a merge adding `NNNN-<slug>.md` whose second
 * parent has `<slug>.md`) all move the facts to the new path.
 *
 * Dates: author dates (seconds since the epoch, as `git log %at`).
 * A record deleted and added again keeps one history under its path.
 *
 * Shallow clones: a commit whose parents are missing is a boundary. What it
 * holds is marked "known only since" that commit; no created date is
 * invented for it (adr_history_shallow_boundary() names the commit).
 *
 * Incremental use: adr_history_walk() may be given the commit where a
 * previous walk stopped; it then examines only the commits after it, and
 * asks the `load` callback for the facts it already had about a path
 * before changing them, so the caller keeps the old facts (in the index).
 *
 * Ownership: adr_history owns its entries; pointers returned by the
 * accessors live until adr_history_free().
 */
#ifndef ADR_HISTORY_H
#define ADR_HISTORY_H

#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *path;               /* repository-relative path */
	char blob[41];            /* blob id at the last change, "" when deleted */
	bool deleted;             /* not in the tree after the last change */
	bool gone;                /* renamed away: the facts moved to another path */
	bool before_boundary;     /* existed before a shallow boundary: created unknown */
	bool touched;             /* changed by this walk (the caller saves it) */

	char created_commit[41];  /* "" when unknown */
	long long created_time;   /* 0 when unknown */
	char *created_author;     /* NULL when unknown */
	char changed_commit[41];
	long long changed_time;
	char *changed_author;
	adr_strlist authors;      /* author names, first seen first */
	adr_strlist commits;      /* commit ids that touched it, oldest first */

	long long proposed_time;  /* 0 when never proposed */
	long long decided_time;   /* 0 when not decided by a commit we saw */
	char decision_merge[41];  /* the merge that accepted or rejected its proposal
				     (Adr-Action: accept|reject), "" when none was seen */
	int revisions;            /* commits that changed the proposal after it was made */
	int comments;             /* Adr-Comment commits on its proposal branch */
	long long first_response_time; /* the first of those by someone other than the
				     proposer (author name), 0 when none */
	long long ended_time;     /* the first commit that made it superseded or deprecated
				     (Adr-Status: superseded|deprecated, or named by
				     Adr-Supersedes), 0 when none was seen */
} adr_history_entry;

/* Gives an entry the caller already knew (from a previous walk), or sets
 * *out to NULL. The entry is handed over (allocate with adr_history_entry_new). */
typedef int (*adr_history_load_fn)(adr_history_entry **out, const char *path, void *payload);

typedef struct adr_history adr_history;

int adr_history_new(adr_history **out);
void adr_history_free(adr_history *h);

int adr_history_entry_new(adr_history_entry **out, const char *path);
void adr_history_entry_free(adr_history_entry *e);

/*
 * Walks the commits reachable from `tip` (a full commit id, NULL: the
 * decision branch) and not from `since` (a full commit id or NULL: all).
 * `since` must be an ancestor of the tip (else ADR_ENOTFOUND: the caller
 * starts over). `load` may be NULL.
 */
int adr_history_walk(adr_history *h, adr_repo *repo, const char *tip, const char *since,
		     adr_history_load_fn load, void *payload);

/* The entries gathered (including gone ones), in no particular order. */
size_t adr_history_count(const adr_history *h);
adr_history_entry *adr_history_at(const adr_history *h, size_t i);
/* The entry for `path`, or NULL. */
adr_history_entry *adr_history_get(const adr_history *h, const char *path);
/* The commit walked up to ("" when the branch is unborn). */
const char *adr_history_tip(const adr_history *h);
/* The first shallow boundary commit met, or NULL. */
const char *adr_history_shallow_boundary(const adr_history *h);
/* Debug counters: commits examined and records-directory trees diffed. */
unsigned long adr_history_commits_examined(const adr_history *h);
unsigned long adr_history_trees_diffed(const adr_history *h);

#ifdef __cplusplus
}
#endif
#endif
