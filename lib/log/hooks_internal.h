/*
 * log/hooks_internal.h: what the two halves of the hooks share
 * (log/hooks_install.c and log/hooks.c).
 */
#ifndef ADR_HOOKS_INTERNAL_H
#define ADR_HOOKS_INTERNAL_H

#include "adr/common.h"

/* Hook files and commit messages larger than this are not read whole. */
#define HOOK_READ_MAX (256 * 1024)

/*
 * Reads the file `path` (following a symlink) into `out` (cleared first);
 * ADR_ENOTFOUND ("'PATH' does not exist") when there is none. Returns 1,
 * not an error, with the first HOOK_READ_MAX bytes, when the file is
 * larger than that.
 */
int adr__hooks_read(adr_buf *out, const char *path);

/* Library-internal: used by other files of the library and by its tests. */
/* The hooks directory of the repository (no trailing '/'). */
int adr__hooks_dir(adr_buf *out, adr_repo *repo);

/*
 * Installs the three hooks into `dir` (created if missing). A hook that is
 * already there and not adr's is renamed to NAME.adr-chained and run first
 * by adr's script. Installing again changes nothing. A hook written by a
 * hook manager that cannot be chained by renaming it (husky, lefthook,
 * pre-commit) makes it refuse with ADR_EEXISTS before anything changes, as
 * does a NAME.adr-chained that is already there beside a foreign hook.
 * `adr_path` as for adr__hooks_script().
 */
int adr__hooks_install_dir(adr_hooks_report *out, const char *dir, const char *adr_path);

/* The state of each hook in `dir`. */
int adr__hooks_status_dir(adr_hooks_report *out, const char *dir);

/*
 * Removes adr's hooks from `dir` and renames each NAME.adr-chained back,
 * so the previous hooks are exactly as they were. Foreign hooks are left
 * alone.
 */
int adr__hooks_uninstall_dir(adr_hooks_report *out, const char *dir);

/*
 * The script for hook `name`. `adr_path` is the absolute path of the adr
 * binary to run (NULL: look `adr` up on PATH at run time). The files in the
 * source tree's hooks/ directory are this script with adr_path NULL.
 */
int adr__hooks_script(adr_buf *out, const char *name, const char *adr_path);

/*
 * The paths a staged change touches (the index file `index_path` compared
 * with HEAD; NULL: the repository's index) that match `hooks.watch`.
 */
int adr__hooks_staged_watched(adr_strlist *out, adr_repo *repo, const char *index_path);

#endif
