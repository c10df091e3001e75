/*
 * git/records_read.c: reads and parses record blobs in bulk
 * (git/records_read.h), for git/records.c.
 */
#include "git/repo_internal.h"
#include "git/records_read.h"

#include <stdlib.h>

#include "record/legacy.h"
#include "util/alloc.h"
#include "util/error.h"

/* Reads and parses one job's blob; lenient parse failures go to job->error. */
static int read_job(adr_repo *repo, adr__record_job *job, unsigned flags)
{
	git_blob *blob = NULL;
	adr_record *r = NULL;
	int rc;

	if ((rc = git_blob_lookup(&blob, repo->git, &job->id)) < 0)
		return adr__error_git(rc, "object %s of record '%s' is missing or corrupt", git_oid_tostr_s(&job->id),
				      job->path);
	rc = adr_record_parse(&r, job->path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), flags);
	git_blob_free(blob);
	if (rc < 0 && (flags & ADR_PARSE_LENIENT) && rc != ADR_ENOMEM) {
		if (!(job->error = adr__strdup(adr_error_last())))
			return ADR_ENOMEM;
		adr_error_clear();
		return 0;
	}
	/* older formats keep status, date and links in the body (record/legacy.c) */
	if (rc == 0 && (rc = adr__legacy_apply(r)) < 0)
		adr_record_free(r);
	if (rc < 0)
		return rc;
	job->record = r;
	return 0;
}

int adr__records_read_jobs(adr_repo *repo, adr__record_job *jobs, size_t n, unsigned flags)
{
	for (size_t i = 0; i < n; i++) {
		int rc;
		if (jobs[i].record || jobs[i].error)
			continue;
		if ((rc = read_job(repo, &jobs[i], flags)) < 0)
			return rc;
	}
	return 0;
}

void adr__record_jobs_dispose(adr__record_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		adr_record_free(jobs[i].record);
		free(jobs[i].error);
		jobs[i].record = NULL;
		jobs[i].error = NULL;
	}
}
