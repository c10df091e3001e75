/*
 * record/pack.h: a parsed record as compact bytes and back, for the cache
 * of parsed records (git/reccache.c). The bytes hold every field of the
 * record, its lenient warnings and its private front matter entries, so a
 * record read back is the one that was parsed, faithful rewrite included.
 * They are for this build only (ADR__RECORD_PACK_VERSION): never a format
 * to exchange.
 */
#ifndef ADR_RECORD_PACK_H
#define ADR_RECORD_PACK_H

#include <stddef.h>

#include "adr/record.h"

/* Changes whenever the bytes or adr_record's fields change. */
#define ADR__RECORD_PACK_VERSION 3

/* Appends the bytes of `r` to `out` (check adr_buf_oom). */
void adr__record_pack(adr_buf *out, const adr_record *r);

/*
 * The record of `len` bytes made by adr__record_pack. Returns 0, 1 when the
 * bytes are not such a record (nothing allocated, no error set: the caller
 * parses the blob instead), or ADR_ENOMEM.
 */
int adr__record_unpack(adr_record **out, const unsigned char *data, size_t len);

/*
 * A record from adr__record_unpack has its front matter entries still
 * packed (adr_frontmatter.packed); this unpacks them, as writing the
 * record or copying it needs them. 0 (also for a NULL or unpacked `fm`)
 * or ADR_ENOMEM.
 */
int adr__record_fm_unpack(adr_frontmatter *fm);

#endif
