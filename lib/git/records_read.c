/*
 * git/records_read.c: reads and parses record blobs in bulk
 * (git/records_read.h), for git/records.c.
 *
 * Many records are read by a few threads at once: this thread reads the
 * blobs, in order, through the object database (only it touches libgit2,
 * so no lock inside libgit2 is fought over), while the others parse what
 * it has read, chunk by chunk; once every blob is read it parses too.
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
	adr__record_job *jobs;
	git_odb_object **objs; /* objs[i]: job i's blob, read and not yet parsed */
	size_t n;
	unsigned flags;
	pthread_mutex_t lock;
	pthread_cond_t more;   /* nread grew, or reading ended, or stop */
	size_t nread;          /* jobs [0, nread) are read (under lock) */
	bool read_done;        /* the reader is done, at nread (under lock) */
	size_t next;           /* the first job no thread has taken (under lock) */
	bool stop;             /* a parse failed: take no more (under lock) */
} pool;

/* The next chunk [*from, *to) of read jobs to parse, waiting for the reader
 * when the parsers have caught up with it; false when none is left. */
static bool take_chunk(pool *p, size_t *from, size_t *to)
{
	bool ok;
	pthread_mutex_lock(&p->lock);
	while (!p->stop && p->next >= p->nread && !p->read_done)
		pthread_cond_wait(&p->more, &p->lock);
	ok = !p->stop && p->next < p->nread;
	if (ok) {
		*from = p->next;
		*to = p->nread - p->next > CHUNK ? p->next + CHUNK : p->nread;
		p->next = *to;
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

/* A parser's loop. A failure leaves its job pending and stops every parser. */
static void *work(void *arg)
{
	pool *p = arg;
	size_t from, to;

	while (take_chunk(p, &from, &to)) {
		for (size_t i = from; i < to; i++) {
			git_odb_object *obj = p->objs[i];
			bool ok;
			if (!obj)
				continue;
			ok = parse_job(&p->jobs[i], git_odb_object_data(obj), git_odb_object_size(obj), p->flags) == 0;
			git_odb_object_free(obj);
			p->objs[i] = NULL;
			if (!ok) {
				pthread_mutex_lock(&p->lock);
				p->stop = true;
				pthread_cond_broadcast(&p->more);
				pthread_mutex_unlock(&p->lock);
				return NULL;
			}
		}
	}
	return NULL;
}

/* Says that jobs [0, nread) are read (and, with `done`, that no more will be). */
static void publish(pool *p, size_t nread, bool done)
{
	pthread_mutex_lock(&p->lock);
	p->nread = nread;
	p->read_done = done;
	pthread_cond_broadcast(&p->more);
	pthread_mutex_unlock(&p->lock);
}

/* The reader, in this thread: every pending job's blob, in order, through
 * the object database alone (no lock is shared with the parsers there);
 * it stops at the first blob it cannot read, leaving it pending. */
static void read_blobs(pool *p, git_odb *odb)
{
	size_t i;
	for (i = 0; i < p->n; i++) {
		git_odb_object *obj = NULL;
		if (!pending(&p->jobs[i]))
			continue;
		if (git_odb_read(&obj, odb, &p->jobs[i].id) < 0 || git_odb_object_type(obj) != GIT_OBJECT_BLOB) {
			git_odb_object_free(obj);
			break;
		}
		p->objs[i] = obj;
		if (i % CHUNK == CHUNK - 1)
			publish(p, i + 1, false);
	}
	publish(p, i, true);
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
 * Reads the pending jobs with `nthreads` threads: this one reads the blobs
 * while the others parse them, then it parses too. Whatever they could not
 * do is left pending. Nothing here is an error; a thread that cannot start
 * leaves its share to the others.
 */
static void read_parallel(adr_repo *repo, adr__record_job *jobs, size_t n, unsigned flags, int nthreads)
{
	pthread_t tids[THREADS_MAX];
	int started = 0;
	git_odb *odb = NULL;
	pool p = { .jobs = jobs, .n = n, .flags = flags };

	if (git_repository_odb(&odb, repo->git) < 0)
		return;
	if (!(p.objs = adr__calloc(n, sizeof(*p.objs)))) {
		adr_error_clear();
		git_odb_free(odb);
		return;
	}
	if (pthread_mutex_init(&p.lock, NULL) != 0)
		goto done;
	if (pthread_cond_init(&p.more, NULL) != 0) {
		pthread_mutex_destroy(&p.lock);
		goto done;
	}
	while (started < nthreads - 1 && pthread_create(&tids[started], NULL, work, &p) == 0)
		started++;
	read_blobs(&p, odb);
	work(&p);
	for (int i = 0; i < started; i++)
		pthread_join(tids[i], NULL);
	pthread_cond_destroy(&p.more);
	pthread_mutex_destroy(&p.lock);
done:
	for (size_t i = 0; i < n; i++) /* read, but left when a parse failed */
		git_odb_object_free(p.objs[i]);
	free(p.objs);
	git_odb_free(odb);
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
