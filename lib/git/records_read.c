/*
 * git/records_read.c: reads and parses record blobs in bulk
 * (git/records_read.h), for git/records.c.
 *
 * Many records are read by a few threads at once: each takes the next
 * chunk of jobs, reads the blobs through the object database (git_odb
 * locks internally and may be shared between threads, libgit2's
 * docs/threading.md; the git_repository is not touched) and parses them.
 * Every result lands in its own job, so the order is the jobs' order. The
 * threads only speed things up: any hard failure (a missing object, no
 * memory) stops them, and the sequential loop then carries on from the
 * first job not done, in this thread, so the error returned, the jobs
 * filled before it and every message are the ones a sequential read gives.
 * Few records, one processor, or ADR_READ_THREADS=1 read sequentially.
 */
#include "git/repo_internal.h"
#include "git/records_read.h"

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "record/legacy.h"
#include "util/alloc.h"
#include "util/error.h"

/* Below this many records to read, starting threads costs more than it saves. */
#define PARALLEL_MIN 256
#define THREADS_MAX 8
/* Jobs a thread takes at once: few enough to share the work evenly. */
#define CHUNK 32

/* Parses one blob's text into job (lenient parse failures go to job->error). */
static int parse_job(adr__record_job *job, const char *data, size_t len, unsigned flags)
{
	adr_record *r = NULL;
	int rc = adr_record_parse(&r, job->path, data, len, flags);

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

/* Reads and parses one job's blob; lenient parse failures go to job->error. */
static int read_job(adr_repo *repo, adr__record_job *job, unsigned flags)
{
	git_blob *blob = NULL;
	int rc;

	if ((rc = git_blob_lookup(&blob, repo->git, &job->id)) < 0)
		return adr__error_git(rc, "object %s of record '%s' is missing or corrupt", git_oid_tostr_s(&job->id),
				      job->path);
	rc = parse_job(job, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), flags);
	git_blob_free(blob);
	return rc;
}

static bool pending(const adr__record_job *job)
{
	return !job->record && !job->error;
}

/* What the threads share. */
typedef struct {
	git_odb *odb;
	adr__record_job *jobs;
	size_t n;
	unsigned flags;
	pthread_mutex_t lock;
	size_t next;   /* the first job no thread has taken (under lock) */
	bool stop;     /* a thread failed: take no more (under lock) */
} pool;

/* The next chunk [*from, *to) to read, or false when none is left. */
static bool take_chunk(pool *p, size_t *from, size_t *to)
{
	bool ok;
	pthread_mutex_lock(&p->lock);
	ok = !p->stop && p->next < p->n;
	if (ok) {
		*from = p->next;
		*to = p->n - p->next > CHUNK ? p->next + CHUNK : p->n;
		p->next = *to;
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

/* One thread's loop. A failure leaves its job as it was and stops every thread. */
static void *work(void *arg)
{
	pool *p = arg;
	size_t from, to;

	while (take_chunk(p, &from, &to)) {
		for (size_t i = from; i < to; i++) {
			adr__record_job *job = &p->jobs[i];
			git_odb_object *obj = NULL;
			bool ok;
			if (!pending(job))
				continue;
			ok = git_odb_read(&obj, p->odb, &job->id) == 0 && git_odb_object_type(obj) == GIT_OBJECT_BLOB &&
			     parse_job(job, git_odb_object_data(obj), git_odb_object_size(obj), p->flags) == 0;
			git_odb_object_free(obj);
			if (!ok) {
				pthread_mutex_lock(&p->lock);
				p->stop = true;
				pthread_mutex_unlock(&p->lock);
				return NULL;
			}
		}
	}
	return NULL;
}

/* How many threads to read `todo` records with (1: sequentially). */
static int thread_count(size_t todo)
{
	const char *env = getenv("ADR_READ_THREADS");
	long n;

	if (env && *env) {
		n = strtol(env, NULL, 10);
		return n < 1 ? 1 : n > THREADS_MAX ? THREADS_MAX : (int)n;
	}
	if (todo < PARALLEL_MIN)
		return 1;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > THREADS_MAX ? THREADS_MAX : (int)n;
}

/*
 * Reads the pending jobs with `nthreads` threads (this one included), as
 * far as they get: whatever they could not do is left pending. Nothing
 * here is an error; a thread that cannot start leaves its share to the
 * others.
 */
static void read_parallel(adr_repo *repo, adr__record_job *jobs, size_t n, unsigned flags, int nthreads)
{
	pthread_t tids[THREADS_MAX];
	int started = 0;
	pool p = { .jobs = jobs, .n = n, .flags = flags };

	if (git_repository_odb(&p.odb, repo->git) < 0)
		return;
	if (pthread_mutex_init(&p.lock, NULL) != 0) {
		git_odb_free(p.odb);
		return;
	}
	while (started < nthreads - 1 && pthread_create(&tids[started], NULL, work, &p) == 0)
		started++;
	work(&p);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_mutex_destroy(&p.lock);
	git_odb_free(p.odb);
}

int adr__records_read_jobs(adr_repo *repo, adr__record_job *jobs, size_t n, unsigned flags)
{
	size_t todo = 0;
	int nthreads;

	for (size_t i = 0; i < n; i++)
		todo += pending(&jobs[i]);
	nthreads = thread_count(todo);
	if (nthreads > 1) {
		read_parallel(repo, jobs, n, flags, nthreads);
		/* a thread's failure may have left a message in this thread */
		adr_error_clear();
	}
	/* what the threads left (all of it when there were none), in order */
	for (size_t i = 0; i < n; i++) {
		int rc;
		if (!pending(&jobs[i]))
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
