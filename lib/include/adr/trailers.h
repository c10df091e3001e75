/*
 * adr/trailers.h: reading the `Key: value` trailers people write at the end
 * of commit messages (`Refs: ADR-12`, `Decision: ...`), by git's own rules.
 * The trailers adr itself writes (Adr-Action and the rest) are named in the
 * library's record/trailers.h.
 */
#ifndef ADR_TRAILERS_H
#define ADR_TRAILERS_H

#include "adr/common.h"
#include "adr/record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The trailers of a commit message (git's rules), keys and values in order. */
int adr_message_trailers(adr_strlist *keys, adr_strlist *values, const char *message);

/*
 * The record numbers a `Refs:` trailer value names: every word of the form
 * ADR-N (any case, leading zeros allowed), separated by commas or spaces.
 * Other words (an issue "#12") are ignored.
 */
int adr_refs_parse(adr_intlist *out, const char *value);

#ifdef __cplusplus
}
#endif
#endif
