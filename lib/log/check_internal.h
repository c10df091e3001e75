/*
 * log/check_internal.h: what check.c shares with its tests (not public API).
 */
#ifndef ADR_LOG_CHECK_INTERNAL_H
#define ADR_LOG_CHECK_INTERNAL_H

#include "adr/check.h"

/* Library-internal: used by other files of the library and by its tests. */
/* The line of front matter key `key` in the record as it would be written, or 1. */
int adr__check_key_line(const adr_record *r, const char *key);

/* Checks the records of a set read with ADR_PARSE_LENIENT (no repository needed). */
int adr__check_records(adr_findings *out, const adr_recordset *set);

int adr__findings_add(adr_findings *f, const char *path, int line, int col, const char *code,
		     const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
