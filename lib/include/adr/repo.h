/*
 * adr/repo.h: finding the repository, its configuration, and reading records.
 *
 * Ownership: adr_repo_open() gives an adr_repo that adr_repo_free() frees;
 * strings returned by the accessors are borrowed from it. A record set owns
 * its records; adr_recordset_dispose() frees them.
 */
#ifndef ADR_REPO_H
#define ADR_REPO_H

#include "adr/clock.h"
#include "adr/common.h"
#include "adr/record.h"
#include "adr/templates.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct adr_repo adr_repo;

/*
 * Opens the repository that contains `dir`, searching upwards like git.
 * With `dir` NULL, the environment decides as it does for git: GIT_DIR,
 * GIT_WORK_TREE (else, with GIT_DIR, the current directory is the work
 * tree unless core.worktree says otherwise), GIT_INDEX_FILE,
 * GIT_OBJECT_DIRECTORY, GIT_ALTERNATE_OBJECT_DIRECTORIES, GIT_NAMESPACE,
 * GIT_CEILING_DIRECTORIES; GIT_COMMON_DIR is refused (ADR_EUSAGE).
 * A repository owned by another user fails with a message naming git's
 * safe.directory. Reads `.adr.yaml` from the decision branch.
 */
int adr_repo_open(adr_repo **out, const char *dir);
void adr_repo_free(adr_repo *repo);

/* Progress of the long work on this repository that takes no opts of its
 * own: building the index (adr_index_open) and renumbering
 * (adr_renumber_run). `fn` (NULL: none) is called as adr_progress_fn
 * (adr/common.h) says, with `payload`. */
void adr_repo_set_progress(adr_repo *repo, adr_progress_fn fn, void *payload);

/* The work tree with a trailing '/', or NULL for a bare repository. */
const char *adr_repo_workdir(const adr_repo *repo);
/* The git directory (".git/" or the worktree's gitdir), with a trailing '/'. */
const char *adr_repo_gitdir(const adr_repo *repo);
/* The common git directory (shared by linked worktrees), trailing '/'. */
const char *adr_repo_commondir(const adr_repo *repo);
/* The records directory, relative to the top of the repository, no trailing '/'. */
const char *adr_repo_records_dir(const adr_repo *repo);
/* Where the directory setting came from: ".adr.yaml", ".adr-dir", "existing", "default". */
const char *adr_repo_records_dir_source(const adr_repo *repo);
/* The decision branch, as a full ref name ("refs/heads/main"). */
const char *adr_repo_branch(const adr_repo *repo);
/* The default template name (from .adr.yaml, else "default"). */
const char *adr_repo_template(const adr_repo *repo);
/* Default visibility of new records (from .adr.yaml, else NONE). */
adr_visibility adr_repo_default_visibility(const adr_repo *repo);
/* How long a proposal's reviewers have to answer (.adr.yaml `first-response:
 * 24h|2d|1w`), in seconds; 0 when not set. */
long long adr_repo_first_response(const adr_repo *repo);
/* The current user's name, as adr's commits would carry it
 * (GIT_AUTHOR_NAME, else git config user.name); malloc'ed into *out. */
int adr_repo_user_name(char **out, adr_repo *repo);
/* The revisit cadence of decisions (.adr.yaml `revisit`, a period such as
 * "3m", checked when the repository is opened), or NULL when not set. */
const char *adr_repo_revisit_cadence(const adr_repo *repo);
/* True when .adr.yaml exists on the decision branch. */
bool adr_repo_has_config(const adr_repo *repo);
/* A string setting from .adr.yaml by dotted path ("hooks.trailer"), or NULL. */
const char *adr_repo_config_string(const adr_repo *repo, const char *dotted_key);
/* A list setting from .adr.yaml by dotted path (scalar -> one item). */
int adr_repo_config_list(adr_strlist *out, const adr_repo *repo, const char *dotted_key);

/*
 * Overrides for tests and scripts: the records directory and the branch
 * (either may be NULL to keep what was found).
 */
int adr_repo_set_records_dir(adr_repo *repo, const char *dir);
int adr_repo_set_branch(adr_repo *repo, const char *branch);

/* Reloads .adr.yaml and the derived settings from the decision branch. */
int adr_repo_reload(adr_repo *repo);

/*
 * A record file that could not be read at all (lenient reads): what its
 * file name says, and why. It is still a record of the log: listings show
 * it as a row with its error, never leave it out.
 */
typedef struct {
	char *path;  /* repository-relative */
	int number;  /* from the file name; -1 when it has none */
	char *slug;  /* from the file name, or NULL */
	char *error; /* "path:line:col: what" */
} adr_unreadable;

/* A set of records read from one committed tree. */
typedef struct {
	adr_record **items;
	size_t count;
	size_t alloc;
	char commit[41];     /* the commit they were read from ("" when the branch is unborn) */
	adr_strlist errors;  /* lenient reads: records that could not be read at all */
	adr_strlist skipped; /* "<path>: not a regular file (mode NNNNNN); skipped", one per entry */
	adr_unreadable *unreadable; /* the records in `errors`, by number then path */
	size_t nunreadable, aunreadable;
	adr_strlist folders; /* records kept as folders ("<dir>/<slug>/index.md"), not in `items`: 'adr import' converts them */
	adr_record **folder_records; /* one per `folders` entry, read leniently (number from the folder's
				      * name, -1 without one); NULL when it cannot be read */
} adr_recordset;
#define ADR_RECORDSET_INIT { NULL, 0, 0, "", ADR_STRLIST_INIT, ADR_STRLIST_INIT, NULL, 0, 0, ADR_STRLIST_INIT, NULL }

/* The one warning for the records kept as folders `paths` (the first, and
 * how many), in `out`; empty when there are none. Returns 0 or ADR_ENOMEM. */
int adr_folders_warning(adr_buf *out, const adr_strlist *paths);

/*
 * Reads every record in the records directory of `rev` (NULL: the decision
 * branch tip; an unborn branch gives an empty set). Only committed regular
 * files are read; a symlink or submodule named like a record is skipped
 * (its target is never read) with a message in `skipped`. With ADR_PARSE_LENIENT, schema problems become warnings on each
 * record, and a record that cannot be read at all (a syntax error) is left
 * out of `items` with its message in `errors` and an entry in `unreadable`
 * (path, number, slug, error), so one broken file does not hide the others
 * and is not hidden either. Sorted by number.
 */
int adr_repo_records(adr_recordset *out, adr_repo *repo, const char *rev, unsigned flags);
/*
 * The path of record `number` in `rev` (NULL: the decision branch), found
 * by file name alone, so a record that does not parse can still be found
 * (and fixed). ADR_ENOTFOUND when absent, ADR_EAMBIGUOUS when two files
 * carry the number.
 */
int adr_repo_record_path(adr_buf *out, adr_repo *repo, const char *rev, int number);

/*
 * Names for a shell's completion (adr __complete), read from refs and the
 * decision branch's tree alone (nothing is parsed), best effort: what cannot
 * be read is left out, with no error. Appends to `out`, each name once:
 * ADR_NAMES_BRANCHES local and remote-tracking branches ("main",
 * "origin/main"), ADR_NAMES_PROPOSALS proposal slugs (of adr/<slug>
 * branches, local or remote-tracking), ADR_NAMES_RECORDS the numbers of
 * the records on the decision branch ("0042", from their file names),
 * ADR_NAMES_REMOTES the remotes. Returns 0, or ADR_ENOMEM.
 */
#define ADR_NAMES_BRANCHES (1u << 0)
#define ADR_NAMES_PROPOSALS (1u << 1)
#define ADR_NAMES_RECORDS (1u << 2)
#define ADR_NAMES_REMOTES (1u << 3)
int adr_repo_names(adr_strlist *out, adr_repo *repo, unsigned what);

/* The index of record `number` in the set, or -1. */
int adr_recordset_find(const adr_recordset *set, int number);
int adr_recordset_add(adr_recordset *set, adr_record *r);
void adr_recordset_dispose(adr_recordset *set);

/*
 * Reads one file from a committed revision (NULL: the decision branch tip).
 * Refuses anything that is not a regular file. `out` gets the bytes.
 */
int adr_repo_read_file(adr_buf *out, adr_repo *repo, const char *rev, const char *path);

/* (adr_repo_load_template, adr_templates_dir: adr/templates.h) */

/* Parses a record number as the user types it: "42", "0042", "ADR-0042". */
int adr_parse_number(int *out, const char *s);

/* (adr_now, adr_today: adr/clock.h) */

#ifdef __cplusplus
}
#endif
#endif
