/*
 * site/linker.c: the linker thread (site/linker.h). Jobs go in a growing
 * queue; the thread takes them in batches, and is woken for a batch, not
 * for each job, so that the build does not pay a wake-up per file.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "site/linker.h"
#include "util/alloc.h"
#include "util/error.h"

#define BATCH 64u

struct adr__linker {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t work;
	adr__link_job *jobs;   /* [tail, head) to do */
	size_t head, tail, alloc;
	bool idle;             /* the thread waits for work */
	bool done;             /* no more jobs will come */
	int err;               /* errno of the first job that failed */
	const char *err_name;
	size_t rewritten;
};

/* Writes `len` bytes of `data` to a new file `base` in `to`: 0 or an errno. */
static int write_new(int to, const char *base, const char *data, size_t len)
{
	int fd = openat(to, base, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644), e = 0;

	if (fd < 0)
		return errno;
	for (size_t at = 0; e == 0 && at < len;) {
		ssize_t w = write(fd, data + at, len - at);
		if (w < 0 && errno != EINTR)
			e = errno;
		else if (w > 0)
			at += (size_t)w;
	}
	if (close(fd) < 0 && e == 0)
		e = errno;
	return e;
}

/* Copies `base` of `from` into a new file in `to`: 0 or an errno. */
static int copy_file(int from, int to, const char *base)
{
	adr_buf b = ADR_BUF_INIT;
	int in = openat(from, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), e;

	if (in < 0)
		return errno;
	for (e = 0; e == 0;) {
		ssize_t n;
		if (adr_buf_grow(&b, 65536) < 0) {
			adr_error_clear(); /* this thread's message: the errno says it */
			e = ENOMEM;
			break;
		}
		n = read(in, b.ptr + b.size, b.asize - b.size - 1);
		if (n < 0 && errno != EINTR)
			e = errno;
		else if (n == 0)
			break;
		else if (n > 0)
			b.size += (size_t)n;
	}
	close(in);
	if (e == 0)
		e = write_new(to, base, b.ptr ? b.ptr : "", b.size);
	adr_buf_dispose(&b);
	return e;
}

int adr__link_job_run(const adr__link_job *j, bool *rewritten)
{
	*rewritten = false;
	if (j->check && !adr__pagecache_file_ok(j->check, j->from, j->base)) {
		*rewritten = true;
		return write_new(j->to, j->base, j->data, j->len);
	}
	if (linkat(j->from, j->base, j->to, j->base, 0) == 0)
		return 0;
	if (j->data) {
		*rewritten = true;
		return write_new(j->to, j->base, j->data, j->len);
	}
	return copy_file(j->from, j->to, j->base);
}

static void *linker_main(void *arg)
{
	adr__linker *l = arg;
	adr__link_job batch[BATCH];

	pthread_mutex_lock(&l->mu);
	for (;;) {
		size_t n = 0;
		while (l->tail == l->head && !l->done) {
			l->idle = true;
			pthread_cond_wait(&l->work, &l->mu);
		}
		l->idle = false;
		if (l->tail == l->head)
			break;
		while (n < BATCH && l->tail != l->head)
			batch[n++] = l->jobs[l->tail++];
		pthread_mutex_unlock(&l->mu);
		for (size_t i = 0; i < n; i++) {
			bool rewritten;
			int e = adr__link_job_run(&batch[i], &rewritten);
			free(batch[i].data);
			if (e || rewritten) {
				pthread_mutex_lock(&l->mu);
				if (e && !l->err) {
					l->err = e;
					l->err_name = batch[i].name;
				}
				l->rewritten += rewritten;
				pthread_mutex_unlock(&l->mu);
			}
		}
		pthread_mutex_lock(&l->mu);
	}
	pthread_mutex_unlock(&l->mu);
	return NULL;
}

adr__linker *adr__linker_start(void)
{
	adr__linker *l = adr__calloc(1, sizeof(*l));

	if (!l)
		return NULL;
	pthread_mutex_init(&l->mu, NULL);
	pthread_cond_init(&l->work, NULL);
	if (pthread_create(&l->th, NULL, linker_main, l) != 0) {
		pthread_mutex_destroy(&l->mu);
		pthread_cond_destroy(&l->work);
		free(l);
		return NULL;
	}
	return l;
}

int adr__linker_add(adr__linker *l, adr__link_job *j)
{
	pthread_mutex_lock(&l->mu);
	if (l->head == l->alloc && l->tail > 0) { /* room at the front: moved there */
		memmove(l->jobs, l->jobs + l->tail, (l->head - l->tail) * sizeof(*l->jobs));
		l->head -= l->tail;
		l->tail = 0;
	}
	if (ADR_ARRAY_GROW(l->jobs, l->alloc, l->head + 1) < 0) {
		pthread_mutex_unlock(&l->mu);
		return ADR_ENOMEM;
	}
	l->jobs[l->head++] = *j;
	j->data = NULL; /* the thread's now */
	if (l->idle && l->head - l->tail >= BATCH)
		pthread_cond_signal(&l->work);
	pthread_mutex_unlock(&l->mu);
	return 0;
}

int adr__linker_finish(adr__linker *l, const char **name, size_t *rewritten)
{
	int err;

	pthread_mutex_lock(&l->mu);
	l->done = true;
	pthread_cond_signal(&l->work);
	pthread_mutex_unlock(&l->mu);
	pthread_join(l->th, NULL);
	err = l->err;
	*name = l->err_name;
	*rewritten = l->rewritten;
	pthread_mutex_destroy(&l->mu);
	pthread_cond_destroy(&l->work);
	free(l->jobs);
	free(l);
	return err;
}
