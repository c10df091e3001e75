/*
 * adr/capture.h: the record of a decision captured from a commit (what the
 * post-commit hook writes when the user answers its questions).
 *
 * Ownership: adr_capture_record() hands out a record the caller frees with
 * adr_record_free().
 */
#ifndef ADR_CAPTURE_H
#define ADR_CAPTURE_H

#include "adr/common.h"
#include "adr/record.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * A new record from the repository's template titled `title`, with
 * `status`, dated today when accepted (or when the template gives no date),
 * and `text` (unless empty) as its decision (adr_record_put_decision).
 */
int adr_capture_record(adr_record **out, adr_repo *repo, const char *title, adr_status status, const char *text);

/* Puts `text` as a paragraph under the body's "## Decision" heading (the
 * first line that is exactly that), or adds the section at the end. */
int adr_record_put_decision(adr_record *r, const char *text);

#ifdef __cplusplus
}
#endif
#endif
