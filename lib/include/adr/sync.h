/*
 * adr/sync.h: sharing the decision log with a remote (adr sync).
 *
 * adr_sync_run() fetches the decision branch and every adr/<slug> branch of the
 * remote into its remote-tracking refs, integrates them with the local
 * branches, and pushes what the remote lacks with explicit refspecs, never
 * forcing. The decision branch is fast-forwarded when it is behind (the work
 * trees where it is checked out follow, as for every write); when both sides
 * have commits, the local adr commits are replayed onto the remote tip (or,
 * when local commits touch files outside the records, the two tips are
 * merged), and records that are not yet published and whose numbers were
 * taken are renumbered. A published number never changes. When the remote
 * rejects a ref because someone pushed in between, sync fetches and
 * integrates again, a bounded number of times.
 *
 * Ownership: adr_sync_result_dispose() frees what a result holds; the
 * strings in opts are borrowed for the call.
 */
#ifndef ADR_SYNC_H
#define ADR_SYNC_H

#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Asked for a user name and password when an https remote wants them (the
 * library never runs a credential helper itself). `url` is the remote's URL,
 * `user` the user name it names (may be NULL). Sets *user_out and *pass_out
 * to malloc'd strings and returns 0, or returns < 0 to give up.
 */
typedef int (*adr_sync_credential_fn)(char **user_out, char **pass_out, const char *url, const char *user,
				      void *payload);

typedef struct {
	unsigned version;
	const char *remote;        /* NULL: the decision branch's upstream remote, else "origin" */
	bool dry_run;              /* list the remote's refs and say what would happen; write nothing */
	unsigned max_rounds;       /* fetch-integrate-push rounds when a push is rejected (0: 5) */
	adr_sync_credential_fn credentials;
	void *credentials_payload;
	adr_progress_fn progress;   /* NULL, or called as objects are fetched and pushed ("objects") */
	void *progress_payload;
} adr_sync_opts;
#define ADR_SYNC_OPTS_VERSION 1
#define ADR_SYNC_OPTS_INIT { ADR_SYNC_OPTS_VERSION, NULL, false, 0, NULL, NULL, NULL, NULL }

typedef enum {
	ADR_SYNC_IN,         /* the local branch took the remote's commits (fast-forward) */
	ADR_SYNC_OUT,        /* pushed to the remote */
	ADR_SYNC_INTEGRATED, /* both had commits: the local ones now sit on the remote's */
	ADR_SYNC_DELETED,    /* a decided proposal branch deleted on the remote */
	ADR_SYNC_RETIRED,    /* a decided proposal's local branch retired */
	ADR_SYNC_CONFLICT    /* not integrated: `detail` says why; both sides kept */
} adr_sync_kind;

typedef struct {
	adr_sync_kind kind;
	char *ref;                 /* the full local ref name (refs/heads/...) */
	char old_id[41];           /* "" when the ref did not exist */
	char new_id[41];           /* "" when the ref was deleted */
	size_t commits;            /* how many commits came in or went out (0 when unknown) */
	char *detail;              /* a few words, or NULL */
} adr_sync_item;

typedef struct {
	int old_number;
	int new_number;
	char *title;
	char *old_path;
	char *new_path;
} adr_sync_renumber;

typedef struct {
	char *remote;              /* the remote used */
	char *url;                 /* its URL */
	adr_sync_item *items;
	size_t count;
	adr_sync_renumber *renumbered;
	size_t renumbered_count;
	unsigned rounds;           /* fetch-integrate-push rounds it took */
	bool dry_run;
	bool up_to_date;           /* nothing came in and nothing went out */
	char *warning;             /* the work tree could not follow, and the like, or NULL */
} adr_sync_result;
#define ADR_SYNC_RESULT_INIT { NULL, NULL, NULL, 0, NULL, 0, 0, false, false, NULL }

/*
 * Syncs with the remote. Returns 0 only when every ref the remote was sent
 * was accepted. ADR_ECONFLICT when the decision branch cannot be integrated
 * (the message names the files; nothing was written); a proposal branch that
 * cannot be combined is listed as a conflict and makes the call return
 * ADR_ECONFLICT after everything else was synced. ADR_ENOTFOUND names a
 * remote that does not exist; errors from the transport name the remote and
 * the ref.
 */
int adr_sync_run(adr_sync_result *out, adr_repo *repo, const adr_sync_opts *opts);
void adr_sync_result_dispose(adr_sync_result *res);

#ifdef __cplusplus
}
#endif
#endif
