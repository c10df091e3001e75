/*
 * log/proposal_remote_stub.c: stand-ins for the two calls adr sync makes into
 * the proposal files (log/sync_internal.h) until log/proposal_remote.c
 * implements them. DELETE THIS FILE when proposal_remote.c is merged: the
 * linker then reports any duplicate, so the two can never both be built.
 */
#include "log/sync_internal.h"

#include <stdio.h>
#include <string.h>

#include "git/repo_internal.h"
#include "util/error.h"

int adr__proposal_combine(adr_repo *repo, const char *remote, const char *slug, char new_tip[41])
{
	(void)repo;
	(void)remote;
	new_tip[0] = '\0';
	return adr__error(ADR_ECONFLICT, "'adr/%s' and its remote-tracking branch have diverged; not combined, "
					 "both sides kept", slug);
}

/* Deletes the local branch when the decision merged its tip; refuses
 * (ADR_ECONFLICT, branch kept) when it has comments the decision did not
 * merge: moving them is proposal_remote.c's. */
int adr__proposal_retire(adr_repo *repo, const char *slug, size_t *moved)
{
	git_reference *ref = NULL;
	char name[512];
	int rc;

	*moved = 0;
	snprintf(name, sizeof(name), "refs/heads/adr/%s", slug);
	if (git_reference_lookup(&ref, adr__repo_git(repo), name) < 0) {
		git_error_clear();
		return 0;
	}
	{
		git_oid d;
		const git_oid *tip = git_reference_target(ref);
		if (!tip || git_reference_name_to_id(&d, adr__repo_git(repo), adr_repo_branch(repo)) < 0 ||
		    (!git_oid_equal(&d, tip) && git_graph_descendant_of(adr__repo_git(repo), &d, tip) != 1)) {
			git_reference_free(ref);
			return adr__error(ADR_ECONFLICT, "'%s' has comments the decision did not merge; kept", name);
		}
	}
	rc = git_reference_delete(ref);
	git_reference_free(ref);
	if (rc < 0)
		return adr__error_git(rc, "cannot delete '%s'", name);
	return 0;
}
