/*
 * log/sync_internal.h: what `adr sync` (log/sync.c, git/remote.c) asks of
 * the proposal files (log/proposal_remote.c) when it shares proposal
 * branches with a remote. The contract between the two halves of issue 13.
 *
 * "Remote-tracking" below is refs/remotes/<remote>/adr/<slug>, already
 * fetched by sync before either function is called.
 */
#ifndef ADR_LOG_SYNC_INTERNAL_H
#define ADR_LOG_SYNC_INTERNAL_H

#include <git2.h>

#include "adr/proposal.h"

/*
 * Makes refs/heads/adr/<slug> hold both its own commits and those of
 * refs/remotes/<remote>/adr/<slug> when the two have diverged: the local
 * comments (commits that do not change the record) are replayed onto the
 * remote tip, so the result is a fast-forward of the remote branch and can
 * be pushed without force. Comments never conflict. When both sides revised
 * the record differently, nothing is written, ADR_ECONFLICT is returned with
 * a message naming the branch, and both sides stay as they are.
 * `new_tip` gets the local branch's tip afterwards.
 */
int adr__proposal_combine(adr_repo *repo, const char *remote, const char *slug, char new_tip[41]);

/*
 * A proposal that was decided on the decision branch (after sync brought the
 * decision in) while the local branch still has commits the decision did not
 * merge: those comments become late comments on the decided record (kept,
 * shown after the decision) and the local branch is deleted. `moved` gets the
 * number of comments carried over. A branch whose tip the decision merged is
 * simply deleted.
 */
int adr__proposal_retire(adr_repo *repo, const char *slug, size_t *moved);

/*
 * 1 when proposal `slug` was decided on the decision branch and every commit
 * of a branch at `tip` that the decision did not merge was carried over as a
 * late comment (so a remote branch at `tip` holds nothing the decision
 * branch lacks and may go), 0 when not, or an error.
 */
int adr__proposal_carried(adr_repo *repo, const char *slug, const git_oid *tip);

/*
 * The renumbering sync does on `branch` (a full ref that no work tree has
 * checked out) after putting the local records on the remote's
 * (log/sync_renumber.c): of the records sharing a number, those in `added`
 * (not on the remote) move to the next free numbers, the published one
 * keeps it; the records in `changed` (added or changed locally: the only
 * ones that can mean a moved record) have their references rewritten. One
 * commit, with adr renumber's trailers; none when nothing collides.
 */
#include "adr/renumber.h"
#include "adr/sync.h"
int adr__sync_renumber(adr_renumber_result *out, adr_repo *repo, const char *branch, const adr_strlist *added,
		       const adr_strlist *changed);

#endif
