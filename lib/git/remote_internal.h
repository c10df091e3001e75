/*
 * git/remote_internal.h: fetch from and push to a remote through libgit2's
 * transport (remote.c), for adr sync (log/sync.c). Every ref is named by an
 * explicit refspec; nothing is ever forced on the remote.
 *
 * Ownership: an adr__remote is the caller's (usually on the stack); it is
 * closed with adr__remote_close(), which frees everything it holds.
 */
#ifndef ADR_GIT_REMOTE_INTERNAL_H
#define ADR_GIT_REMOTE_INTERNAL_H

#include "git/repo_internal.h"

#include "adr/sync.h"

/* What the remote said about one ref of a push. */
typedef struct {
	char *ref;        /* the remote's ref name */
	char *msg;        /* NULL: accepted; else its reason */
} adr__push_ref;

/* A ref the remote advertises. */
typedef struct {
	char *name;
	git_oid id;
} adr__remote_head;

typedef struct {
	adr_repo *repo;
	git_remote *remote;
	char *name;
	char *url;
	adr_sync_credential_fn cred;
	void *cred_payload;
	bool agent_tried, userpass_tried;
	int key_idx;
	adr__push_ref *pushed;
	size_t npushed, apushed;
	adr_progress_fn progress;   /* objects fetched and pushed (adr_sync_opts), NULL: none */
	void *progress_payload;
} adr__remote;

/* The remote `name` (NULL: the upstream remote of the decision branch, else
 * "origin"). ADR_ENOTFOUND names a remote that is not configured. */
int adr__remote_open(adr__remote *r, adr_repo *repo, const char *name, adr_sync_credential_fn cred, void *payload);
/* refs/remotes/<remote>/<short> for the branch `ref` (refs/heads/<short>). */
int adr__remote_tracking(adr_buf *out, const adr__remote *r, const char *ref);
/* Fetches the branch `branch` (a full ref) and every refs/heads/adr/<slug> into the
 * remote-tracking refs, pruning the adr/<slug> ones the remote no longer has. */
int adr__remote_fetch(adr__remote *r, const char *branch);
/* The refs the remote advertises under refs/heads/ (nothing is written). */
int adr__remote_list(adr__remote *r, adr__remote_head **out, size_t *n);
void adr__remote_heads_free(adr__remote_head *h, size_t n);
/* One ref to push: `src` (local) to `dst` (the remote's), expected to hold
 * `old` there now (NULL: absent); `new_id` NULL deletes it. */
typedef struct {
	const char *src;
	const char *dst;
	const git_oid *old;
	const git_oid *new_id;
} adr__push_spec;

/*
 * Pushes, never forced, each ref only if the remote still holds `old` (a
 * lease): a ref that moved is refused and reported like a rejection. Returns
 * 0 and sets *rejected to how many refs were refused (each is in r->pushed
 * with its reason), ADR_EBUSY when a ref moved on the remote before anything
 * was sent (fetch and try again), or an error naming the remote.
 *
 * libgit2's own local transport (file:// and paths) overwrites the remote's
 * refs without comparing them, so a local remote is pushed to here: the
 * objects as one pack, then each ref by compare-and-swap.
 */
int adr__remote_push(adr__remote *r, const adr__push_spec *specs, size_t n, size_t *rejected);
void adr__remote_close(adr__remote *r);

#endif
