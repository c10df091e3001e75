/*
 * util/glob.h: matching repository paths against globs, as `hooks.watch`
 * (adr/hooks.h) and a record's `affects:` use them.
 *
 * `*` and `?` match within one path component, `[...]` is a character
 * class (`[!...]` or `[^...]` negated, `a-z` a range; an unclosed `[` is
 * literal), `\` makes the next character literal, `**` as a whole
 * component matches any number of components, and a trailing `/` matches
 * everything below a directory. A glob without a `/` matches the last
 * component at any depth (like .gitignore); one with a `/` is anchored at
 * the top of the repository (a leading `/` or `./` is dropped). An empty
 * glob or path, a glob over 1024 bytes, a path over 4096, and a match that
 * would take too long never match.
 *
 * Ownership: nothing is kept; the strings are borrowed for the call.
 */
#ifndef ADR_GLOB_H
#define ADR_GLOB_H

#include "adr/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* True when the repository-relative `path` matches `glob` (see above). */
bool adr__glob_match(const char *glob, const char *path);
/* The first glob of `globs` that matches `path`, or NULL. */
const char *adr__glob_match_any(const adr_strlist *globs, const char *path);

#ifdef __cplusplus
}
#endif
#endif
