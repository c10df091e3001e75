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

#endif
