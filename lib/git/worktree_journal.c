/*
 * git/worktree_journal.c: the journal of a work tree (<gitdir>/adr-journal):
 * adr writers take turns through flock() on it, and each records there its
 * pid, its index.lock token and its plan (the paths, old and new blobs)
 * before it touches a file, so that the next adr can repair a killed one.
 */
#include "git/worktree_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>

#include "util/path.h"
#include "util/alloc.h"
#include "util/error.h"

void adr__wt_plan_clear(adr__wt_plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].path);
	free(p->items);
	free(p->branch);
	memset(p, 0, sizeof(*p));
}

/* Locks the journal. With `wait` false, *busy says a live adr holds it. */
int adr__wt_journal_lock(adr__wt *w, bool wait, bool *busy)
{
	long waited = 0;

	if (busy)
		*busy = false;
	w->jfd = open(w->journal_path.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);
	if (w->jfd < 0)
		return adr__error_os("cannot open '%s'", w->journal_path.ptr);
	for (;;) {
		adr_buf held = ADR_BUF_INIT;
		long pid = 0;
		if (flock(w->jfd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return adr__error_os("cannot lock '%s'", w->journal_path.ptr);
		if (!wait || waited >= JOURNAL_WAIT_MS) {
			close(w->jfd);
			w->jfd = -1;
			if (!wait) {
				*busy = true;
				return 0;
			}
			if (adr__wt_read_small(&held, w->journal_path.ptr, 4096) >= 0 && held.size)
				sscanf(held.ptr, "adr-journal 1\npid %ld", &pid);
			adr_buf_dispose(&held);
			adr_error_clear();
			if (pid > 0)
				return adr__error(ADR_EBUSY, "another adr process (pid %ld) is writing to the work tree "
							     "'%s'; try again when it has finished", pid, w->workdir.ptr);
			return adr__error(ADR_EBUSY, "another adr process is writing to the work tree '%s'; try again "
						     "when it has finished", w->workdir.ptr);
		}
		{
			long ms = adr__jitter_ms(20);
			adr__sleep_ms(ms);
			waited += ms;
		}
	}
}

int adr__wt_journal_clear(adr__wt *w)
{
	if (ftruncate(w->jfd, 0) < 0 || lseek(w->jfd, 0, SEEK_SET) < 0)
		return adr__error_os("cannot empty '%s'", w->journal_path.ptr);
	return 0;
}

int adr__wt_journal_append(adr__wt *w, const adr_buf *b)
{
	int rc;

	if (adr_buf_oom(b))
		return ADR_ENOMEM;
	if (lseek(w->jfd, 0, SEEK_END) < 0)
		return adr__error_os("cannot write '%s'", w->journal_path.ptr);
	if ((rc = adr__fd_write_all(w->jfd, b->ptr, b->size, w->journal_path.ptr)) < 0)
		return rc;
	/* Durable: the plan is on disk before the files it describes change. */
	if (w->durable)
		return adr__fsync_fd(w->jfd, w->journal_path.ptr);
	return 0;
}

int adr__wt_plan_add(adr__wt_plan *p, adr__wt_item **out)
{
	if (ADR_ARRAY_GROW(p->items, p->alloc, p->n + 1) < 0)
		return ADR_ENOMEM;
	*out = &p->items[p->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* Reads back what a killed adr wrote; what cannot be read is left out. */
int adr__wt_journal_parse(adr__wt_plan *p, char *text)
{
	char *line = text, *next;
	int rc = 0;

	memset(p, 0, sizeof(*p));
	if (strncmp(text, "adr-journal 1\n", 14) != 0)
		return 0;
	for (line = text + 14; *line; line = next) {
		char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1], kind[2];
		unsigned mode;
		int used = 0;
		adr__wt_item *it;

		if (!(next = strchr(line, '\n')))
			break; /* a line cut short by the kill */
		*next++ = '\0';
		if (sscanf(line, "pid %ld", &p->pid) == 1)
			continue;
		if (strncmp(line, "token ", 6) == 0) {
			snprintf(p->token, sizeof(p->token), "%s", line + 6);
			continue;
		}
		if (strncmp(line, "branch ", 7) == 0) {
			free(p->branch);
			if (!(p->branch = adr__strdup(line + 7)))
				return ADR_ENOMEM;
			continue;
		}
		if (strncmp(line, "old ", 4) == 0) {
			p->has_old_commit = git_oid_fromstr(&p->old_commit, line + 4) == 0;
			continue;
		}
		if (strncmp(line, "new ", 4) == 0) {
			p->has_new_commit = git_oid_fromstr(&p->new_commit, line + 4) == 0;
			continue;
		}
		if (strcmp(line, "end") == 0) {
			p->complete = p->branch && p->has_new_commit;
			break;
		}
		if (sscanf(line, "w %40s %40s %o %1s%n", a, b, &mode, kind, &used) == 4 && line[used] == ' ' &&
		    line[used + 1] != '\0') {
			if ((rc = adr__wt_plan_add(p, &it)) < 0)
				return rc;
			it->has_old = strcmp(b, "-") != 0;
			if (git_oid_fromstr(&it->new_id, a) < 0 || (it->has_old && git_oid_fromstr(&it->old_id, b) < 0))
				return 0;
		} else if (sscanf(line, "d %40s %o %1s%n", a, &mode, kind, &used) == 3 && line[used] == ' ' &&
			   line[used + 1] != '\0') {
			if ((rc = adr__wt_plan_add(p, &it)) < 0)
				return rc;
			it->del = it->has_old = true;
			if (git_oid_fromstr(&it->old_id, a) < 0)
				return 0;
		} else {
			return 0; /* not ours: act on nothing */
		}
		it->old_mode = mode;
		it->sparse = kind[0] == 's';
		/* (out of memory too: a plan not read whole is never acted on) */
		if (!(it->path = strdup(line + used + 1)) || adr__path_validate(it->path) < 0) {
			adr_error_clear();
			p->complete = false;
			return 0;
		}
	}
	return 0;
}
