/*
 * git/derived.h: small files of derived data in <commondir>/adr/
 * (library-internal): read whole when they start with their header, and
 * replaced whole (a temporary file renamed over). Deleting one loses
 * nothing; every failure here is dropped, as a cache that cannot be read
 * or written only costs time.
 */
#ifndef ADR_GIT_DERIVED_H
#define ADR_GIT_DERIVED_H

#include "git/repo_internal.h"

/* The text of <commondir>/adr/<name> into `text` when it starts with
 * `header` and holds at most `max` bytes, else `text` empty. */
void adr__derived_read(adr_buf *text, adr_repo *repo, const char *name, const char *header, size_t max);

/* Replaces <commondir>/adr/<name> with `data` (making the directory). */
void adr__derived_write(adr_repo *repo, const char *name, const adr_buf *data);

#endif
