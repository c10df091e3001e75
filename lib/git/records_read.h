/*
 * git/records_read.h: reading and parsing many record blobs at once. The
 * one place where committed record blobs become adr_record values:
 * git/records.c hands it the records directory's entries, the record cache
 * (when there is one) fills the jobs it already knows first, and this
 * reads and parses the rest.
 */
#ifndef ADR_GIT_RECORDS_READ_H
#define ADR_GIT_RECORDS_READ_H

#include <git2.h>

#include "adr/record.h"
#include "adr/repo.h"

typedef struct {
	git_oid id;         /* in: the record's blob */
	const char *path;   /* in: its repository-relative path (the caller's) */
	adr_record *record; /* in/out: NULL until read; jobs already filled are left alone */
	char *error;        /* out, lenient only: why it could not be read, else NULL */
} adr__record_job;

/*
 * Reads the blob of every job whose record is NULL and parses it with
 * `flags` (adr_record_parse), applying the older formats (record/legacy.h).
 * With ADR_PARSE_LENIENT a record that cannot be parsed gets its `error`
 * ("path:line:col: what") and the others are still read; otherwise the
 * first failure is returned. A blob that cannot be read (missing or
 * corrupt object) and ADR_ENOMEM always fail the call. On failure the jobs
 * keep what was read: the caller disposes of them.
 */
int adr__records_read_jobs(adr_repo *repo, adr__record_job *jobs, size_t n, unsigned flags);

/* Frees each job's record and error (not its path). */
void adr__record_jobs_dispose(adr__record_job *jobs, size_t n);

#endif
