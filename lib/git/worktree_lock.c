/*
 * git/worktree_lock.c: index.lock, taken with a token in it so that a later
 * adr knows a stale lock as its own; a lock that is not adr's is reported
 * with the commands that release it without losing anything.
 */
#include "git/worktree_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <time.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/shell.h"

void adr__wt_make_token(char *out, size_t n)
{
	struct timespec ts;
	static unsigned counter;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(out, n, "%ld-%lld-%09ld-%u", (long)getpid(), (long long)ts.tv_sec, ts.tv_nsec, counter++);
}

/* True when index.lock holds `token`: a lock adr took and never released. */
bool adr__wt_lock_is_ours(adr__wt *w, const char *token)
{
	adr_buf b = ADR_BUF_INIT;
	char want[96];
	bool yes;
	if (!*token)
		return false;
	snprintf(want, sizeof(want), "adr %s\n", token);
	yes = adr__wt_read_small(&b, w->lock_path.ptr, 256) == 0 && strcmp(b.ptr, want) == 0;
	adr_error_clear();
	adr_buf_dispose(&b);
	return yes;
}

/* The message for an index.lock that is not adr's: what to check, and a
 * command that releases it without losing anything. */
static int foreign_lock_error(adr__wt *w, const char *branch)
{
	adr_buf msg = ADR_BUF_INIT, reset = ADR_BUF_INIT, restore = ADR_BUF_INIT, full = ADR_BUF_INIT;
	const char *text;
	git_reference *ref = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_index *idx = NULL;
	git_diff *diff = NULL;
	int rc;

	/* Paths the branch has and the index lacks: a commit would delete them. */
	if (git_reference_lookup(&ref, w->git, branch) == 0 && git_reference_target(ref) &&
	    git_commit_lookup(&c, w->git, git_reference_target(ref)) == 0 && git_commit_tree(&tree, c) == 0 &&
	    git_index_open(&idx, w->index_path.ptr) == 0 &&
	    git_diff_tree_to_index(&diff, w->git, tree, idx, NULL) == 0) {
		for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
			const git_diff_delta *d = git_diff_get_delta(diff, i);
			struct stat st;
			if (d->status != GIT_DELTA_DELETED)
				continue;
			adr_buf_putc(&reset, ' ');
			adr__shell_quote(&reset, d->old_file.path);
			adr_buf_clear(&full);
			adr_buf_printf(&full, "%s%s", w->workdir.ptr, d->old_file.path);
			if (lstat(full.ptr, &st) < 0 && errno == ENOENT) {
				adr_buf_putc(&restore, ' ');
				adr__shell_quote(&restore, d->old_file.path);
			}
		}
	}
	git_error_clear();
	adr_buf_printf(&msg, "'%s' exists: another git process is using the index, or one crashed. If no git process "
			     "is running (check with ps), release it without losing anything with: ",
		       w->lock_path.ptr);
	if (!w->current) {
		adr_buf_puts(&msg, "cd ");
		adr__shell_quote(&msg, w->workdir.ptr);
		adr_buf_puts(&msg, " && ");
	}
	adr_buf_puts(&msg, "rm ");
	adr__shell_quote(&msg, w->lock_path.ptr);
	if (reset.size)
		adr_buf_printf(&msg, " && git reset -q --%s", reset.ptr);
	if (restore.size)
		adr_buf_printf(&msg, " && git checkout --%s", restore.ptr);
	text = adr_buf_oom(&msg) ? "index.lock exists" : msg.ptr;
	rc = adr__error(ADR_EBUSY, "%s", text);
	git_diff_free(diff);
	git_index_free(idx);
	git_tree_free(tree);
	git_commit_free(c);
	git_reference_free(ref);
	adr_buf_dispose(&msg);
	adr_buf_dispose(&reset);
	adr_buf_dispose(&restore);
	adr_buf_dispose(&full);
	return rc;
}

/*
 * Takes index.lock with `token` in it: the token file is written in the git
 * dir first and hard-linked into place (link() fails when the lock exists,
 * like O_EXCL), so the lock is never seen without its token.
 */
int adr__wt_index_lock_take(adr__wt *w, const char *token, const char *branch)
{
	adr_buf tmp = ADR_BUF_INIT, line = ADR_BUF_INIT;
	long waited = 0;
	int fd, rc = 0;
	bool linkable = true;

	adr_buf_printf(&tmp, "%s" TMP_PREFIX "%ld-lock", w->gitdir.ptr, (long)getpid());
	adr_buf_printf(&line, "adr %s\n", token);
	if (adr_buf_oom(&tmp) || adr_buf_oom(&line)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	unlink(tmp.ptr);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		rc = adr__error_os("cannot create '%s'", tmp.ptr);
		goto cleanup;
	}
	if ((rc = adr__fd_write_all(fd, line.ptr, line.size, tmp.ptr)) < 0) {
		close(fd);
		goto cleanup;
	}
	close(fd);
	for (;;) {
		long ms;
		if (linkable && link(tmp.ptr, w->lock_path.ptr) == 0)
			break;
		if (linkable && errno != EEXIST) {
			/* A file system without hard links: O_EXCL, then the token. */
			linkable = false;
		}
		if (!linkable) {
			fd = open(w->lock_path.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
			if (fd >= 0) {
				w->index_locked = true;
				rc = adr__fd_write_all(fd, line.ptr, line.size, w->lock_path.ptr);
				close(fd);
				goto cleanup;
			}
			if (errno != EEXIST) {
				rc = adr__error_os("cannot create '%s'", w->lock_path.ptr);
				goto cleanup;
			}
		}
		if (waited >= LOCK_WAIT_MS) {
			rc = foreign_lock_error(w, branch);
			goto cleanup;
		}
		ms = adr__jitter_ms(20);
		adr__sleep_ms(ms);
		waited += ms;
	}
	w->index_locked = true;
cleanup:
	unlink(tmp.ptr);
	adr_buf_dispose(&tmp);
	adr_buf_dispose(&line);
	return rc;
}

int adr__wt_index_lock_drop(adr__wt *w)
{
	int rc = 0;
	if (w->index_locked && unlink(w->lock_path.ptr) < 0 && errno != ENOENT)
		rc = adr__error_os("cannot remove '%s'", w->lock_path.ptr);
	w->index_locked = false;
	return rc;
}
