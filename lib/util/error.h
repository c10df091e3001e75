/* Library-internal error helpers. */
#ifndef ADR_ERROR_INTERNAL_H
#define ADR_ERROR_INTERNAL_H

#include "adr/common.h"

/* Sets the thread's last error and returns `code`, so callers can write
 * `return adr__error(ADR_EINVALID, "...")`. */
int adr__error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like adr__error, with ": strerror(errno)" appended. */
int adr__error_os(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Wraps the last libgit2 error (which may be NULL in 1.5) with a prefix.
 * Maps GIT_ENOTFOUND, GIT_ELOCKED, GIT_EMODIFIED and friends to ADR_* codes. */
int adr__error_git(int git_rc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Like adr__error_git, for a failed walk of the history: in a shallow clone,
 * a missing commit means the walk went past the clone's oldest commit, and
 * the message says so with the fix (git fetch --unshallow). */
struct git_repository;
int adr__error_walk(struct git_repository *git, int git_rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A few words for a libgit2 error code, for when libgit2 sets no message. */
const char *adr__git_code_text(int git_rc);
/* Adds what the caller can do about the error just set (adr_error_hint);
 * returns `code`: `return adr__hint(ADR_HINT_CHECK, adr__error(...))`. A
 * new error clears the hint; adr__error_prefix keeps it. */
int adr__hint(adr_hint hint, int code);
/* Prefixes the current message with more context; keeps the code and hint. */
int adr__error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
