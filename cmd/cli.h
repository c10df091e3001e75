/*
 * cmd/cli.h: what every command shares: the command table entry, option
 * parsing, error reporting, the editor and terminal helpers.
 */
#ifndef ADR_CLI_H
#define ADR_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "adr.h"

/*
 * Exit codes, and the one return-code convention of cmd/: a command, and
 * every cli_* function that can fail, returns an exit code (CLI_OK is 0).
 * A command keeps it in one variable, `rc`. A library call's result (0 or
 * a negative ADR_E* code, adr.h) may pass through the same `rc` only to be
 * turned into an exit code at once by cli_fail(), which prints why:
 *
 *	if ((rc = adr_op_new(&res, repo, r)) < 0)
 *		return cli_fail(rc);
 *	...
 *	rc = CLI_OK;
 *
 * so `rc` holds a library code on no other line; a command says
 * `rc = CLI_OK` when it is done rather than keep a library's 0.
 */
#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

/* Command flags: what main() sets up before calling the command. */
#define CLI_NEED_REPO (1u << 0)

typedef struct {
	adr_repo *repo;           /* opened when the command has CLI_NEED_REPO */
} cli_ctx;

typedef int (*cli_fn)(int argc, const char **argv, cli_ctx *ctx);

typedef struct {
	const char *name;
	cli_fn fn;
	unsigned flags;
	const char *summary;
	const char *const *usage;
} cli_command;

extern const cli_command cli_commands[];
const cli_command *cli_lookup(const char *name);

/* --- options ------------------------------------------------------------ */

typedef enum {
	CLI_OPT_END = 0,
	CLI_OPT_BOOL,     /* int*: 1 when given; "--no-NAME" sets 0 (starts at -1 if the caller wants "unset") */
	CLI_OPT_STRING,   /* const char**: the last value given */
	CLI_OPT_LIST,     /* adr_strlist*: every value given */
	CLI_OPT_ENUM,     /* int*: the value of the last name given (`values`); stays as it was when not given */
	CLI_OPT_CALLBACK, /* `callback` checks and stores each value given */
	CLI_OPT_GROUP     /* a heading in the help text */
} cli_opt_type;

/* The names an enum option takes: the library's own parser and names
 * (e.g. adr_status_parse, adr_status_name); values run from 1 up to the
 * first whose name is "". */
typedef struct {
	int (*parse)(int *out, const char *word);   /* 0, or <0 for a name that is not one */
	const char *(*name)(int value);
} cli_enum;
extern const cli_enum cli_enum_status, cli_enum_mode, cli_enum_level, cli_enum_visibility;

typedef struct cli_option cli_option;
/* Checks and stores `arg` for option o (o->value); on a bad value appends
 * the reason to `why` and returns <0: the parser prints it with the usage
 * and exits 2. */
typedef int (*cli_opt_fn)(const cli_option *o, const char *arg, adr_buf *why);

struct cli_option {
	cli_opt_type type;
	char short_name;
	const char *long_name;
	void *value;
	const char *argh;
	const char *help;
	const cli_enum *values;   /* CLI_OPT_ENUM */
	cli_opt_fn callback;      /* CLI_OPT_CALLBACK */
};

#define CLI_OPT_BOOL_(s, l, v, h) { CLI_OPT_BOOL, (s), (l), (v), NULL, (h), NULL, NULL }
#define CLI_OPT_STRING_(s, l, v, a, h) { CLI_OPT_STRING, (s), (l), (v), (a), (h), NULL, NULL }
#define CLI_OPT_LIST_(s, l, v, a, h) { CLI_OPT_LIST, (s), (l), (v), (a), (h), NULL, NULL }
/* e.g. CLI_OPT_ENUM_(0, "status", &status, &cli_enum_status, "STATUS", "...");
 * a name that is not one: "unknown value 'x' for --status: expected one of ..." */
#define CLI_OPT_ENUM_(s, l, v, e, a, h) { CLI_OPT_ENUM, (s), (l), (v), (a), (h), (e), NULL }
#define CLI_OPT_CALLBACK_(s, l, v, fn, a, h) { CLI_OPT_CALLBACK, (s), (l), (v), (a), (h), NULL, (fn) }
#define CLI_OPT_END_() { CLI_OPT_END, 0, NULL, NULL, NULL, NULL, NULL, NULL }

/* A callback for a date option (const char** value): YYYY-MM-DD or
 * "--NAME: 'x' is not a date (YYYY-MM-DD)". */
int cli_opt_date(const cli_option *o, const char *arg, adr_buf *why);
/* Callbacks for a person's name (--owner: const char**; --reviewer:
 * adr_strlist*, each name once): "--NAME: the name is empty" when it is
 * empty, blank or more than one line. */
int cli_opt_name(const cli_option *o, const char *arg, adr_buf *why);
int cli_opt_names(const cli_option *o, const char *arg, adr_buf *why);

/*
 * Parses argv[1..] against opts; the positional arguments are left in
 * argv[0..return) (a "--" ends option parsing). On -h/--help prints the
 * usage and exits 0; on a bad option prints the error and the usage and
 * exits 2.
 */
int cli_parse_options(int argc, const char **argv, const cli_option *opts, const char *const *usage);
/* main(), for a command with CLI_NEED_REPO: the next cli_parse_options()
 * opens ctx->repo once the options are read (on failure it prints why and
 * exits), so a bad option is reported before a missing repository. */
void cli_open_repo_after_options(cli_ctx *ctx);
void cli_usage(FILE *out, const char *const *usage, const cli_option *opts);
/* Prints "adr: <msg>\n\n" + usage to stderr and returns CLI_USAGE. */
int cli_usage_error(const char *const *usage, const cli_option *opts, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* --- errors -------------------------------------------------------------- */

/* The last error's message with what to do about it, in the CLI's words
 * (adr_error_hint); valid until the next call. Commands print this, never
 * adr_error_last() alone. */
const char *cli_error_text(void);
/* Prints "adr: <last error>" and returns the exit code for rc (2 for usage). */
int cli_fail(int rc);
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warning(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints the warning a commit result may carry. */
void cli_commit_warning(const adr_commit_result *res);
/* Prints the records a recordset could not read (errors) and the files it
 * skipped (warnings). */
void cli_recordset_report(const adr_recordset *set);
/* Prints the index's warnings and, with `st` (may be NULL), the shallow
 * clone's boundary before which dates are unknown. */
void cli_index_warnings(adr_index *ix, const adr_index_stats *st);

/* --- helpers ------------------------------------------------------------- */

/* Reads a record number argument. Prints the error on failure. */
int cli_number(int *out, const char *arg, const char *const *usage);
/* Appends a whole file ("-" = stdin), at most `max` bytes (util/fs.h).
 * Prints the error; returns 0 or an exit code. */
int cli_read_file(adr_buf *out, const char *path, size_t max);
/* Replaces r's body with the file's text ("-" = stdin), `title` as its H1.
 * Prints the error; returns 0 or an exit code. */
int cli_record_body_from_file(adr_record *r, const char *path, const char *title);
/* Joins args with spaces; NULL when out of memory. */
char *cli_join(int argc, const char **argv);

/* True when both stdin and stdout are terminals. */
bool cli_interactive(void);
/* The editor command: $VISUAL, $EDITOR, else "vi" (NULL when none and no terminal). */
const char *cli_editor(void);
/* Runs the editor on `path`. */
int cli_run_editor(const char *path);
/* --- editor sessions (edit_session.c) ------------------------------------ */

/*
 * Lets the user edit `text` until `check` accepts it, in a file of this
 * session's own: .git/adr-edit/<name>-<YYYYMMDD-HHMMSS>-<pid>-<id>-XXXXXX.md
 * (`name` is the record number, or the command: "new", "propose", ...;
 * <id> is cli_edit_text_id() of the text the session started from), so
 * no other edit shares or overwrites it. The file is never deleted until
 * the command succeeds (its text is committed: see cli_edit_end) or the
 * user discards it. When the editor fails or the text is rejected (and an
 * interactive user does not edit again) the file stays and the message
 * names it. Returns 0 with the accepted text in `text`, or an exit code.
 */
typedef int (*cli_check_fn)(const char *path, const char *text, size_t len, void *payload);
int cli_edit_loop(adr_buf *text, adr_repo *repo, const char *name, cli_check_fn check, void *payload);
/* The same on a kept text's file (adr edit --recover). */
int cli_edit_reopen(adr_buf *text, const char *path, cli_check_fn check, void *payload);
/* After a failed commit: says where the text is kept (the session's file;
 * a new file in .git/adr-edit/ when there is no session). */
int cli_keep_text(adr_repo *repo, const char *name, const adr_buf *text);
/* Called by main with the command's exit code: on success the session's
 * file is removed (its text is committed), otherwise it is kept and named. */
void cli_edit_end(int rc);
/* Appends the directory of the session files: "<gitdir>adr-edit". */
void cli_edit_dir(adr_buf *out, adr_repo *repo);
/* 12 hex digits that tell texts apart (a hash; not for security). */
void cli_edit_text_id(char out[13], const char *text, size_t len);

/* --- new records (new_record.c): what `adr new` and `adr propose` share -- */

/* A cli_check_fn for a record's text: it must parse strictly, be valid and
 * have a title a file name (or branch name) can be made from. `payload`:
 * NULL, or an adr_record ** that gets the accepted record (the one it held
 * is freed). */
int cli_check_record(const char *path, const char *text, size_t len, void *payload);

typedef int (*cli_record_op)(adr_op_result *res, adr_repo *repo, adr_record *r);
/*
 * Lets the user edit *r when `edit` (<0: when stdin and stdout are a
 * terminal and VISUAL or EDITOR is set; see cli_edit_loop: `name` names the
 * session), then commits it with `op` (adr_op_new, adr_op_propose). When
 * the commit fails after an edit, the user's text is kept and named
 * (cli_keep_text). Prints what goes wrong; returns 0 or an exit code.
 */
int cli_new_record_commit(adr_op_result *res, adr_repo *repo, adr_record **r, const char *name, int edit,
			  cli_record_op op);
/* Whether cli_new_record_commit() opens the editor for `edit` (see above). */
bool cli_will_edit(int edit);

/* A kept text: a session file that is still there. */
typedef struct {
	char *path;
	char what[32];    /* the record number ("0002") or the command ("new") */
	long pid;         /* of the adr that wrote it, 0 when unknown */
	bool live;        /* that adr is still running: the text is being edited */
	char base[13];    /* cli_edit_text_id() of the text the edit started from, "" when unknown */
	long long size;
	long mtime;
} cli_kept;

typedef struct {
	cli_kept *items;
	size_t count, alloc;
} cli_kept_list;

/* Every kept text (also where earlier versions of adr kept them:
 * .git/adr-recovery/ and .git/ADR_EDIT_*.md), sorted by path. Prints the error. */
int cli_kept_list_read(cli_kept_list *l, adr_repo *repo);
void cli_kept_list_clear(cli_kept_list *l);
/* Asks a yes/no question on the terminal; `def` when there is no terminal. */
bool cli_confirm(const char *question, bool def);

/* Commands (one file each: cmd/cmd_<name>.c). */
int cmd_init(int argc, const char **argv, cli_ctx *ctx);
int cmd_new(int argc, const char **argv, cli_ctx *ctx);
int cmd_list(int argc, const char **argv, cli_ctx *ctx);
int cmd_show(int argc, const char **argv, cli_ctx *ctx);
int cmd_edit(int argc, const char **argv, cli_ctx *ctx);
int cmd_status(int argc, const char **argv, cli_ctx *ctx);
int cmd_supersede(int argc, const char **argv, cli_ctx *ctx);
int cmd_link(int argc, const char **argv, cli_ctx *ctx);
int cmd_html(int argc, const char **argv, cli_ctx *ctx);
int cmd_hooks(int argc, const char **argv, cli_ctx *ctx);
int cmd_hook(int argc, const char **argv, cli_ctx *ctx);
int cmd_why(int argc, const char **argv, cli_ctx *ctx);
int cmd_index(int argc, const char **argv, cli_ctx *ctx);
int cmd_search(int argc, const char **argv, cli_ctx *ctx);
int cmd_stats(int argc, const char **argv, cli_ctx *ctx);
int cmd_diff(int argc, const char **argv, cli_ctx *ctx);
int cmd_help(int argc, const char **argv, cli_ctx *ctx);
int cmd_propose(int argc, const char **argv, cli_ctx *ctx);
int cmd_comment(int argc, const char **argv, cli_ctx *ctx);
int cmd_revise(int argc, const char **argv, cli_ctx *ctx);
int cmd_thread(int argc, const char **argv, cli_ctx *ctx);
int cmd_accept(int argc, const char **argv, cli_ctx *ctx);
int cmd_reject(int argc, const char **argv, cli_ctx *ctx);
int cmd_meeting(int argc, const char **argv, cli_ctx *ctx);
int cmd_queue(int argc, const char **argv, cli_ctx *ctx);
int cmd_revisit(int argc, const char **argv, cli_ctx *ctx);
/* Prints the discussion thread of a proposal or decided record (cmd_thread.c). */
int cli_thread_print(adr_repo *repo, const char *ref, bool json);
/* Accepts or rejects a proposal (cmd_accept.c). */
int cli_decide(adr_repo *repo, const char *ref, adr_status status, const adr_strlist *by, const char *reason,
	       const char *revisit);
/* cli_decide() with more of the decision (adr_decide_extra; NULL: none). */
int cli_decide_extra(adr_repo *repo, const char *ref, adr_status status, const adr_strlist *by, const char *reason,
		     const char *revisit, const adr_decide_extra *x);

extern const char *const cmd_init_usage[];
extern const char *const cmd_new_usage[];
extern const char *const cmd_list_usage[];
extern const char *const cmd_show_usage[];
extern const char *const cmd_edit_usage[];
extern const char *const cmd_status_usage[];
extern const char *const cmd_supersede_usage[];
extern const char *const cmd_link_usage[];
extern const char *const cmd_html_usage[];
extern const char *const cmd_hooks_usage[];
extern const char *const cmd_hook_usage[];
extern const char *const cmd_why_usage[];
extern const char *const cmd_index_usage[];
extern const char *const cmd_search_usage[];
extern const char *const cmd_stats_usage[];
extern const char *const cmd_diff_usage[];
extern const char *const cmd_help_usage[];
extern const char *const cmd_propose_usage[];
extern const char *const cmd_comment_usage[];
extern const char *const cmd_revise_usage[];
extern const char *const cmd_thread_usage[];
extern const char *const cmd_accept_usage[];
extern const char *const cmd_reject_usage[];
extern const char *const cmd_meeting_usage[];
extern const char *const cmd_queue_usage[];
extern const char *const cmd_revisit_usage[];
int cmd_import(int argc, const char **argv, cli_ctx *ctx);
int cmd_check(int argc, const char **argv, cli_ctx *ctx);
int cmd_renumber(int argc, const char **argv, cli_ctx *ctx);
int cmd_toc(int argc, const char **argv, cli_ctx *ctx);
int cmd_graph(int argc, const char **argv, cli_ctx *ctx);
extern const char *const cmd_import_usage[];
extern const char *const cmd_check_usage[];
extern const char *const cmd_renumber_usage[];
extern const char *const cmd_toc_usage[];
extern const char *const cmd_graph_usage[];
int cmd_sync(int argc, const char **argv, cli_ctx *ctx);
extern const char *const cmd_sync_usage[];
int cmd_notify(int argc, const char **argv, cli_ctx *ctx);
extern const char *const cmd_notify_usage[];

/* --- help, man page, completion and progress (help.c, man.c, complete.c, progress.c) */

/*
 * A command's -h/--help prints its usage and options with cli_help(). With
 * cli_help_hook set, the tables go to the hook instead: `adr __man` and
 * `adr __complete` read every command's options from the same tables that
 * --help prints, so the three cannot drift.
 */
extern void (*cli_help_hook)(const char *const *usage, const cli_option *opts);
void cli_help(const char *const *usage, const cli_option *opts);
/* adr's usage lines and global options (main.c), for --help and the man page. */
extern const char *const cli_main_usage[];
extern const cli_option cli_main_options[];
/* The commit adr was built from (build_info.c, generated by cmd/CMakeLists.txt). */
extern const char cli_build_commit[];
/* adr __man: the man page adr(1), in roff, on stdout. */
int cli_man(int argc, const char **argv);
/* adr __complete WORD...: the candidates for the last word, one a line. */
int cli_complete(int argc, const char **argv);

/*
 * Progress of long work on stderr: only when stderr is a terminal and not
 * --quiet, one line rewritten in place and cleared at the end. Give
 * cli_progress_fn() (NULL when there is to be none) and &cli_progress to the
 * library's opts; call cli_progress_end() when the call returns.
 */
extern int cli_quiet;   /* --quiet: 1 */
typedef struct cli_progress_state cli_progress_state;
extern cli_progress_state cli_progress;
adr_progress_fn cli_progress_fn(void);
void cli_progress_end(void);

#endif
