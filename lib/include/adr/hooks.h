/*
 * adr/hooks.h: git hooks that ask for a decision when one is made.
 *
 * Five hooks are installed: prepare-commit-msg, commit-msg and post-commit
 * (a decision made by a commit), pre-push and post-merge (duplicate record
 * numbers about to be published, or brought by a pull: they warn, never
 * block). Each is a small POSIX sh script (adr__hooks_script()) that runs the hook
 * that was there before (kept as NAME.adr-chained, byte for byte and with
 * its mode), then `adr hook NAME -- ARGS...`. The script passes its
 * arguments as "$@" only; it never builds a command line from user text,
 * and a missing or failing adr never fails the commit.
 *
 * The hooks directory is git's: `core.hooksPath` when set (a relative
 * path is taken from the top of the work tree, `~/` from $HOME, like git),
 * else `<common git dir>/hooks`, shared by linked worktrees.
 *
 * Watched paths: `hooks.watch` in .adr.yaml is a list of globs, matched as
 * lib/util/glob.h says.
 *
 * Ownership: reports and hook commits own their strings; dispose them with
 * the matching function.
 */
#ifndef ADR_HOOKS_H
#define ADR_HOOKS_H

#include "adr/check.h"
#include "adr/common.h"
#include "adr/trailers.h"
#include "adr/ops.h"
#include "adr/record.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The hooks adr installs, NULL-terminated. */
extern const char *const adr_hook_names[];
#define ADR_HOOK_COUNT 5
/* The suffix an existing hook gets when adr chains to it. */
#define ADR_HOOK_CHAINED_SUFFIX ".adr-chained"
/* The line that marks a hook script as adr's. */
#define ADR_HOOK_MARKER "# adr-hook: installed by adr"

typedef enum {
	ADR_HOOK_MISSING = 0,  /* no hook */
	ADR_HOOK_OURS,         /* adr's script, nothing chained */
	ADR_HOOK_CHAINED,      /* adr's script, running the previous hook first */
	ADR_HOOK_FOREIGN       /* someone else's hook */
} adr_hook_state;

const char *adr_hook_state_name(adr_hook_state s);

typedef struct {
	const char *name;           /* hook name (static) */
	adr_hook_state state;       /* after the operation */
	const char *action;         /* what was done (static): "installed", "chained", "unchanged", ... */
} adr_hook_report_entry;

typedef struct {
	char *dir;                  /* the hooks directory */
	adr_hook_report_entry hooks[ADR_HOOK_COUNT];
} adr_hooks_report;
#define ADR_HOOKS_REPORT_INIT { NULL, { { NULL, ADR_HOOK_MISSING, NULL } } }
void adr_hooks_report_dispose(adr_hooks_report *rep);

int adr_hooks_status(adr_hooks_report *out, adr_repo *repo);

int adr_hooks_install(adr_hooks_report *out, adr_repo *repo, const char *adr_path);

int adr_hooks_uninstall(adr_hooks_report *out, adr_repo *repo);

/* (adr_message_trailers, adr_refs_parse: adr/trailers.h) */

/* The name of the trailer that links commits to records: `hooks.trailer`
 * in .adr.yaml, else "Refs". */
const char *adr_hooks_trailer_name(adr_repo *repo);

/* --- what the hooks look at ----------------------------------------------- */

/*
 * prepare-commit-msg: when the staged change (the index file `index_path`,
 * NULL: the repository's) touches watched paths, appends to the message
 * file a comment listing them and the trailers the author may add
 * (`Decision: TITLE`, `Refs: ADR-N`, `Decision: none`). Only for a message
 * that an editor will show and git will strip comments from: `source` NULL
 * or "" (a fresh message) or "template". Sets *added when it wrote.
 */
int adr_hooks_prepare_msg(bool *added, adr_repo *repo, const char *msg_file, const char *source,
			  const char *index_path);

/* --- sharing: duplicate numbers (pre-push, post-merge) --------------------- */

/*
 * pre-push: `updates` is what git writes on the hook's stdin, one
 * "<local ref> <local id> <remote ref> <remote id>" a line, for a push to
 * `remote` (a name or a URL). For each update of the decision branch (the
 * remote ref of the same name): a "duplicate-number" finding for each
 * number that several records have in what is pushed (saying which is
 * published), and for each record that is not published while a different
 * published record has its number (on the remote-tracking branch, or on
 * the remote's tip when this repository has that commit). A line that is
 * not an update is ADR_EINVALID.
 */
int adr_hooks_pre_push(adr_findings *out, adr_repo *repo, const char *remote, const char *updates);

/* post-merge: when HEAD is the decision branch, a "duplicate-number"
 * finding for each number several of its records have, saying which is
 * published. */
int adr_hooks_post_merge(adr_findings *out, adr_repo *repo);

/* HEAD's commit, as the post-commit hook sees it. */
typedef struct {
	char id[41];
	char *subject;
	char *decision;       /* the `Decision:` trailer value on one line, or NULL */
	bool opt_out;         /* `Decision: none` */
	bool from_adr;        /* made by adr (an Adr-Action trailer) */
	adr_intlist refs;     /* records its Refs: trailers name */
	adr_strlist watched;  /* paths it changed that match hooks.watch */
	const char *skip;     /* why no question is asked (static text), or NULL */
} adr_hook_commit;
#define ADR_HOOK_COMMIT_INIT { "", NULL, NULL, false, false, ADR_INTLIST_INIT, ADR_STRLIST_INIT, NULL }
void adr_hook_commit_dispose(adr_hook_commit *c);

/*
 * Reads HEAD for the post-commit hook. `skip` is set during a rebase,
 * cherry-pick, revert, merge or amend (from the repository state, HEAD's
 * parents and HEAD's last reflog entry, which git writes as "commit: ..."
 * or "commit (initial): ..." only for a plain commit), and when HEAD is
 * unborn or was made by adr.
 */
int adr_hooks_head(adr_hook_commit *out, adr_repo *repo);

/*
 * Records `r` (numbered like adr_op_new) in one commit on the decision
 * branch whose message also carries `Adr-Commit: <commit>`, linking the
 * record to the code commit. The code commit is not touched. An accepted
 * `r` is a decision to finish later, so it is modified first: the
 * template's placeholder lines leave its body (record/placeholder.h), the
 * commit's committer becomes a decision-maker and `cleanup-by` is set to
 * tomorrow, so that `adr queue` reminds until `adr edit` finishes it.
 */
int adr_hooks_record(adr_op_result *res, adr_repo *repo, adr_record *r, const char *commit);

/*
 * Links the existing record `number` to `commit` with an empty commit on
 * the decision branch (`Adr-Action: link-commit`, `Adr-Record`, `Adr-Commit`).
 */
int adr_hooks_link(adr_op_result *res, adr_repo *repo, int number, const char *commit);

#ifdef __cplusplus
}
#endif
#endif
