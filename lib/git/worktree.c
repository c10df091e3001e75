/*
 * The work trees where the written branch is checked out follow it, so that
 * no crash point leaves HEAD, the index and the files in a state that a
 * plain `git commit` turns into the deletion of a record.
 *
 * Per work tree, adr writers take turns through flock() on
 * <gitdir>/adr-journal. The kernel drops that lock when its holder dies, so
 * a journal that can be locked and is not empty was left by a killed adr.
 * The steps, in order:
 *
 *   1. lock the journal; repair what a killed adr left; write pid and token;
 *   2. take index.lock: a file holding the token is hard-linked there, so a
 *      later adr knows a stale lock is its own and may remove it;
 *   3. check that every path is clean; append the plan (paths, old and new
 *      blobs) and "end" to the journal;
 *   4. write the files: temporary files in the git dir renamed into place;
 *   5. stage them: a copy of the index, edited, renamed over the index;
 *   -- the caller moves the branch (compare-and-swap) --
 *   6. deletions leave the index and the work tree; release index.lock;
 *      empty the journal.
 *
 * Before the branch moves the index only gains the new contents, so a plain
 * commit would at worst commit them; once it moved, the index has them.
 * Deletions wait until after the move for the same reason. A killed adr is
 * rolled forward (the branch holds the new commit) or back (it does not),
 * touching only files and entries that still hold what it wrote.
 */
#include "git/worktree_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adr/path.h"
#include "util/error.h"

#define LOCK_WAIT_MS 3000      /* index.lock: git's own default wait */
#define JOURNAL_WAIT_MS 10000  /* another adr writing this work tree: it is alive */
#define JOURNAL_MAX (64u << 20)
#define TMP_PREFIX "adr-wt-"

typedef struct {
	char *path;
	const char *data;        /* the new content; NULL in a plan read back from a journal */
	size_t len;
	git_oid new_id, old_id;
	uint32_t old_mode;
	bool del, has_old, sparse;
} item;

typedef struct {
	long pid;
	char token[64];
	char *branch;
	git_oid old_commit, new_commit;
	bool has_old_commit, has_new_commit, complete;
	item *items;
	size_t n;
} plan;

typedef struct {
	git_repository *git;     /* borrowed for the current work tree, else owned */
	bool own, current;
	adr_buf gitdir, workdir, index_path, index_dir, lock_path, journal_path;
	int jfd;
	bool index_locked;
	bool staged;             /* the plan is in the journal and may have been acted on */
	plan p;
	unsigned tmpcount;
	bool exdev;              /* the git dir is on another file system */
	bool durable;            /* durable mode: fsync files, the index and their directories */
} wt;

struct adr__wt_set {
	wt *w;
	size_t n;
};

void adr__sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

long adr__jitter_ms(long max_ms)
{
	static unsigned seed;
	if (!seed)
		seed = (unsigned)getpid() ^ (unsigned)time(NULL);
	return 1 + (long)(rand_r(&seed) % (unsigned)max_ms);
}

/* --- small file helpers -------------------------------------------------- */

static int write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* Reads a whole small file; ENOENT leaves `out` empty and returns 1. */
static int read_small(adr_buf *out, const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	char chunk[8192];
	ssize_t got;

	adr_buf_clear(out);
	if (fd < 0)
		return errno == ENOENT ? 1 : adr__error_os("cannot read '%s'", path);
	while ((got = read(fd, chunk, sizeof(chunk))) != 0) {
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 || out->size + (size_t)got > max) {
			int rc = got < 0 ? adr__error_os("cannot read '%s'", path)
					 : adr__error(ADR_EINVALID, "'%s' is larger than %zu bytes", path, max);
			close(fd);
			return rc;
		}
		adr_buf_put(out, chunk, (size_t)got);
	}
	close(fd);
	return adr_buf_oom(out) ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

/* The number that is all of `s`, or -1. */
static long pid_of(const char *s)
{
	char *end;
	long pid;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	pid = strtol(s, &end, 10);
	return *end || errno ? -1 : pid;
}

static bool pid_dead(long pid)
{
	return pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}

/* Appends a shell-quoted word. */
static void put_quoted(adr_buf *b, const char *s)
{
	adr_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			adr_buf_puts(b, "'\\''");
		else
			adr_buf_putc(b, *s);
	}
	adr_buf_putc(b, '\'');
}

static int mkdirs(adr_buf *path, size_t from)
{
	for (size_t i = from; i < path->size; i++) {
		if (path->ptr[i] != '/')
			continue;
		path->ptr[i] = '\0';
		if (mkdir(path->ptr, 0777) < 0 && errno != EEXIST) {
			int rc = adr__error_os("cannot create directory '%s'", path->ptr);
			path->ptr[i] = '/';
			return rc;
		}
		path->ptr[i] = '/';
	}
	return 0;
}

/* Removes the empty directories above a removed file, up to the work tree. */
static void rmdirs(adr_buf *path, size_t keep)
{
	for (size_t i = path->size; i > keep; i--) {
		if (path->ptr[i - 1] != '/')
			continue;
		path->ptr[i - 1] = '\0';
		if (rmdir(path->ptr) < 0) {
			path->ptr[i - 1] = '/';
			return;
		}
		path->ptr[i - 1] = '/';
	}
}

/* --- the work trees ------------------------------------------------------ */

static void plan_clear(plan *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].path);
	free(p->items);
	free(p->branch);
	memset(p, 0, sizeof(*p));
}

static void wt_dispose(wt *w)
{
	if (w->jfd >= 0)
		close(w->jfd);
	w->jfd = -1;
	if (w->own)
		git_repository_free(w->git);
	w->git = NULL;
	plan_clear(&w->p);
	adr_buf_dispose(&w->gitdir);
	adr_buf_dispose(&w->workdir);
	adr_buf_dispose(&w->index_path);
	adr_buf_dispose(&w->index_dir);
	adr_buf_dispose(&w->lock_path);
	adr_buf_dispose(&w->journal_path);
}

static int with_slash(adr_buf *b, const char *s)
{
	adr_buf_puts(b, s);
	if (b->size && b->ptr[b->size - 1] != '/')
		adr_buf_putc(b, '/');
	return adr_buf_oom(b) ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

static int wt_init(wt *w, git_repository *git, bool own, bool current, const char *gitdir, const char *workdir)
{
	git_index *idx = NULL;
	const char *ip = NULL;

	memset(w, 0, sizeof(*w));
	w->jfd = -1;
	w->git = git;
	w->own = own;
	w->current = current;
	w->gitdir = (adr_buf)ADR_BUF_INIT;
	w->workdir = (adr_buf)ADR_BUF_INIT;
	w->index_path = (adr_buf)ADR_BUF_INIT;
	w->index_dir = (adr_buf)ADR_BUF_INIT;
	w->lock_path = (adr_buf)ADR_BUF_INIT;
	w->journal_path = (adr_buf)ADR_BUF_INIT;
	if (with_slash(&w->gitdir, gitdir) < 0 || with_slash(&w->workdir, workdir) < 0)
		return ADR_ENOMEM;
	/* The index libgit2 uses for this repository (GIT_INDEX_FILE may move it). */
	if (git_repository_index(&idx, git) == 0)
		ip = git_index_path(idx);
	if (ip)
		adr_buf_puts(&w->index_path, ip);
	else
		adr_buf_printf(&w->index_path, "%sindex", w->gitdir.ptr);
	git_index_free(idx);
	adr_buf_printf(&w->lock_path, "%s.lock", w->index_path.ptr);
	if (strrchr(w->index_path.ptr, '/'))
		adr_buf_put(&w->index_dir, w->index_path.ptr,
			    (size_t)(strrchr(w->index_path.ptr, '/') - w->index_path.ptr + 1));
	else
		adr_buf_puts(&w->index_dir, w->gitdir.ptr);
	adr_buf_printf(&w->journal_path, "%sadr-journal", w->gitdir.ptr);
	if (adr_buf_oom(&w->index_path) || adr_buf_oom(&w->index_dir) || adr_buf_oom(&w->lock_path) ||
	    adr_buf_oom(&w->journal_path))
		return adr__error(ADR_ENOMEM, "out of memory");
	return 0;
}

/* 1 when the HEAD of `git` is `branch`, 0 when not, or an error: a HEAD
 * that cannot be read must not pass for another branch, or the commit
 * would move the branch under a work tree that is never updated. */
static int head_is(git_repository *git, const char *branch)
{
	git_reference *head = NULL;
	int yes = 0, grc = git_reference_lookup(&head, git, "HEAD");
	if (grc < 0 && grc != GIT_ENOTFOUND)
		return adr__error_git(grc, "cannot read HEAD of '%s'", git_repository_path(git));
	if (grc == 0 && git_reference_type(head) == GIT_REFERENCE_SYMBOLIC)
		yes = strcmp(git_reference_symbolic_target(head), branch) == 0;
	git_reference_free(head);
	return yes;
}

static bool same_dir(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	while (la && a[la - 1] == '/')
		la--;
	while (lb && b[lb - 1] == '/')
		lb--;
	return la == lb && strncmp(a, b, la) == 0;
}

static int set_add(adr__wt_set *s, git_repository *git, bool own, bool current, const char *gitdir,
		   const char *workdir)
{
	wt *p = realloc(s->w, (s->n + 1) * sizeof(*p));
	int rc;
	if (!p) {
		if (own)
			git_repository_free(git);
		return adr__error(ADR_ENOMEM, "out of memory");
	}
	s->w = p;
	rc = wt_init(&s->w[s->n], git, own, current, gitdir, workdir);
	s->n++;
	return rc;
}

static int cmp_wt(const void *a, const void *b)
{
	return strcmp(((const wt *)a)->gitdir.ptr, ((const wt *)b)->gitdir.ptr);
}

/* Every work tree whose HEAD is `branch`: this one, the main one, the linked ones. */
static int find_worktrees(adr__wt_set *s, adr_repo *repo, const char *branch)
{
	git_repository *cur = adr__repo_git(repo), *other = NULL;
	git_strarray names = { NULL, 0 };
	int rc = 0;

	if (adr_repo_workdir(repo)) {
		if ((rc = head_is(cur, branch)) < 0)
			return rc;
		if (rc > 0 && (rc = set_add(s, cur, false, true, adr_repo_gitdir(repo), adr_repo_workdir(repo))) < 0)
			return rc;
	}
	if (git_repository_is_worktree(cur) &&
	    git_repository_open_ext(&other, adr_repo_commondir(repo), GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
		if (!git_repository_is_bare(other) && git_repository_workdir(other)) {
			if ((rc = head_is(other, branch)) < 0) {
				git_repository_free(other);
				return rc;
			}
			if (rc > 0) {
				rc = set_add(s, other, true, false, git_repository_path(other), git_repository_workdir(other));
				other = NULL;
				if (rc < 0)
					return rc;
			}
		}
		git_repository_free(other);
		other = NULL;
	}
	if ((rc = git_worktree_list(&names, cur)) < 0)
		return adr__error_git(rc, "cannot list the linked work trees");
	for (size_t i = 0; i < names.count && rc == 0; i++) {
		git_worktree *w = NULL;
		if (git_worktree_lookup(&w, cur, names.strings[i]) < 0 || git_worktree_validate(w) < 0 ||
		    git_repository_open_from_worktree(&other, w) < 0) {
			/* A pruned or moved work tree has no files to follow. */
			git_worktree_free(w);
			git_error_clear();
			continue;
		}
		git_worktree_free(w);
		if (!same_dir(git_repository_path(other), git_repository_path(cur)) && git_repository_workdir(other) &&
		    (rc = head_is(other, branch)) > 0) {
			rc = set_add(s, other, true, false, git_repository_path(other), git_repository_workdir(other));
			other = NULL;
		}
		git_repository_free(other);
		other = NULL;
	}
	git_strarray_dispose(&names);
	if (s->n > 1)
		qsort(s->w, s->n, sizeof(*s->w), cmp_wt);
	return rc;
}

/* --- the journal ---------------------------------------------------------- */

/* Locks the journal. With `wait` false, *busy says a live adr holds it. */
static int journal_lock(wt *w, bool wait, bool *busy)
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
			if (read_small(&held, w->journal_path.ptr, 4096) >= 0 && held.size)
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

static int journal_clear(wt *w)
{
	if (ftruncate(w->jfd, 0) < 0 || lseek(w->jfd, 0, SEEK_SET) < 0)
		return adr__error_os("cannot empty '%s'", w->journal_path.ptr);
	return 0;
}

static int journal_append(wt *w, const adr_buf *b)
{
	if (adr_buf_oom(b))
		return adr__error(ADR_ENOMEM, "out of memory");
	if (lseek(w->jfd, 0, SEEK_END) < 0 || write_all(w->jfd, b->ptr, b->size) < 0)
		return adr__error_os("cannot write '%s'", w->journal_path.ptr);
	/* Durable: the plan is on disk before the files it describes change. */
	if (w->durable)
		return adr__fsync_fd(w->jfd, w->journal_path.ptr);
	return 0;
}

static int plan_add(plan *p, item **out)
{
	item *n = realloc(p->items, (p->n + 1) * sizeof(*n));
	if (!n)
		return adr__error(ADR_ENOMEM, "out of memory");
	p->items = n;
	*out = &p->items[p->n++];
	memset(*out, 0, sizeof(**out));
	return 0;
}

/* Reads back what a killed adr wrote; what cannot be read is left out. */
static int journal_parse(plan *p, char *text)
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
		item *it;

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
			if (!(p->branch = strdup(line + 7)))
				return adr__error(ADR_ENOMEM, "out of memory");
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
			if ((rc = plan_add(p, &it)) < 0)
				return rc;
			it->has_old = strcmp(b, "-") != 0;
			if (git_oid_fromstr(&it->new_id, a) < 0 || (it->has_old && git_oid_fromstr(&it->old_id, b) < 0))
				return 0;
		} else if (sscanf(line, "d %40s %o %1s%n", a, &mode, kind, &used) == 3 && line[used] == ' ' &&
			   line[used + 1] != '\0') {
			if ((rc = plan_add(p, &it)) < 0)
				return rc;
			it->del = it->has_old = true;
			if (git_oid_fromstr(&it->old_id, a) < 0)
				return 0;
		} else {
			return 0; /* not ours: act on nothing */
		}
		it->old_mode = mode;
		it->sparse = kind[0] == 's';
		if (!(it->path = strdup(line + used + 1)) || adr_path_validate(it->path) < 0) {
			adr_error_clear();
			p->complete = false;
			return 0;
		}
	}
	return 0;
}

/* --- index.lock ------------------------------------------------------------ */

static void make_token(char *out, size_t n)
{
	struct timespec ts;
	static unsigned counter;
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(out, n, "%ld-%lld-%09ld-%u", (long)getpid(), (long long)ts.tv_sec, ts.tv_nsec, counter++);
}

/* True when index.lock holds `token`: a lock adr took and never released. */
static bool lock_is_ours(wt *w, const char *token)
{
	adr_buf b = ADR_BUF_INIT;
	char want[96];
	bool yes;
	if (!*token)
		return false;
	snprintf(want, sizeof(want), "adr %s\n", token);
	yes = read_small(&b, w->lock_path.ptr, 256) == 0 && strcmp(b.ptr, want) == 0;
	adr_error_clear();
	adr_buf_dispose(&b);
	return yes;
}

/* The message for an index.lock that is not adr's: what to check, and a
 * command that releases it without losing anything. */
static int foreign_lock_error(wt *w, const char *branch)
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
			put_quoted(&reset, d->old_file.path);
			adr_buf_clear(&full);
			adr_buf_printf(&full, "%s%s", w->workdir.ptr, d->old_file.path);
			if (lstat(full.ptr, &st) < 0 && errno == ENOENT) {
				adr_buf_putc(&restore, ' ');
				put_quoted(&restore, d->old_file.path);
			}
		}
	}
	git_error_clear();
	adr_buf_printf(&msg, "'%s' exists: another git process is using the index, or one crashed. If no git process "
			     "is running (check with ps), release it without losing anything with: ",
		       w->lock_path.ptr);
	if (!w->current) {
		adr_buf_puts(&msg, "cd ");
		put_quoted(&msg, w->workdir.ptr);
		adr_buf_puts(&msg, " && ");
	}
	adr_buf_puts(&msg, "rm ");
	put_quoted(&msg, w->lock_path.ptr);
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
static int index_lock_take(wt *w, const char *token, const char *branch)
{
	adr_buf tmp = ADR_BUF_INIT, line = ADR_BUF_INIT;
	long waited = 0;
	int fd, rc = 0;
	bool linkable = true;

	adr_buf_printf(&tmp, "%s" TMP_PREFIX "%ld-lock", w->gitdir.ptr, (long)getpid());
	adr_buf_printf(&line, "adr %s\n", token);
	if (adr_buf_oom(&tmp) || adr_buf_oom(&line)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	unlink(tmp.ptr);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0) {
		rc = adr__error_os("cannot create '%s'", tmp.ptr);
		goto cleanup;
	}
	if (write_all(fd, line.ptr, line.size) < 0) {
		rc = adr__error_os("cannot write '%s'", tmp.ptr);
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
				if (write_all(fd, line.ptr, line.size) < 0)
					rc = adr__error_os("cannot write '%s'", w->lock_path.ptr);
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

static int index_lock_drop(wt *w)
{
	int rc = 0;
	if (w->index_locked && unlink(w->lock_path.ptr) < 0 && errno != ENOENT)
		rc = adr__error_os("cannot remove '%s'", w->lock_path.ptr);
	w->index_locked = false;
	return rc;
}

/* --- the index, edited through a private copy ------------------------------ */

/* The copy sits beside the index, so that renaming it over the index works
 * wherever GIT_INDEX_FILE puts that. */
static int index_copy_path(adr_buf *out, wt *w)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "%s" TMP_PREFIX "%ld-index", w->index_dir.ptr, (long)getpid());
	return adr_buf_oom(out) ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

/* Opens a copy of the index that libgit2 may write (index.lock is ours). */
static int index_begin(git_index **out, wt *w)
{
	adr_buf copy = ADR_BUF_INIT, data = ADR_BUF_INIT;
	int rc, fd;

	*out = NULL;
	if ((rc = index_copy_path(&copy, w)) < 0)
		return rc;
	unlink(copy.ptr);
	if ((rc = read_small(&data, w->index_path.ptr, (size_t)1 << 31)) < 0)
		goto cleanup;
	if (rc == 0) {
		/* No index yet: libgit2 starts an empty one at the copy's path. */
		fd = open(copy.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0) {
			rc = adr__error_os("cannot create '%s'", copy.ptr);
			goto cleanup;
		}
		if (write_all(fd, data.ptr, data.size) < 0) {
			rc = adr__error_os("cannot write '%s'", copy.ptr);
			close(fd);
			goto cleanup;
		}
		if (close(fd) < 0) {
			rc = adr__error_os("cannot write '%s'", copy.ptr);
			goto cleanup;
		}
	}
	if ((rc = git_index_open(out, copy.ptr)) < 0)
		rc = adr__error_git(rc, "cannot read the index '%s'", w->index_path.ptr);
cleanup:
	if (rc < 0)
		unlink(copy.ptr);
	adr_buf_dispose(&copy);
	adr_buf_dispose(&data);
	return rc < 0 ? rc : 0;
}

static void index_abort(git_index *idx, wt *w)
{
	adr_buf copy = ADR_BUF_INIT;
	git_index_free(idx);
	if (index_copy_path(&copy, w) == 0)
		unlink(copy.ptr);
	adr_buf_dispose(&copy);
}

/* Writes the copy and renames it over the index (index.lock stays ours). */
static int index_commit(git_index *idx, wt *w)
{
	adr_buf copy = ADR_BUF_INIT;
	int rc;

	if ((rc = git_index_write(idx)) < 0) {
		rc = adr__error_git(rc, "cannot write the index");
		goto cleanup;
	}
	if ((rc = index_copy_path(&copy, w)) < 0)
		goto cleanup;
	/* libgit2 1.5 does not sync an index it writes, even with GIT_OPT_ENABLE_FSYNC_GITDIR. */
	if (w->durable && (rc = adr__fsync_path(copy.ptr)) < 0)
		goto cleanup;
	if (rename(copy.ptr, w->index_path.ptr) < 0)
		rc = adr__error_os("cannot replace '%s'", w->index_path.ptr);
	else if (w->durable)
		rc = adr__fsync_parent(w->index_path.ptr);
cleanup:
	git_index_free(idx);
	if (rc < 0 && index_copy_path(&copy, w) == 0)
		unlink(copy.ptr);
	adr_buf_dispose(&copy);
	return rc;
}

static int index_put(git_index *idx, const char *path, const git_oid *id, uint32_t mode, const struct stat *st,
		     bool sparse)
{
	git_index_entry e;
	int rc;

	memset(&e, 0, sizeof(e));
	if (st) {
		e.ctime.seconds = (int32_t)st->st_ctim.tv_sec;
		e.ctime.nanoseconds = (uint32_t)st->st_ctim.tv_nsec;
		e.mtime.seconds = (int32_t)st->st_mtim.tv_sec;
		e.mtime.nanoseconds = (uint32_t)st->st_mtim.tv_nsec;
		e.dev = (uint32_t)st->st_dev;
		e.ino = (uint32_t)st->st_ino;
		e.uid = st->st_uid;
		e.gid = st->st_gid;
		e.file_size = (uint32_t)st->st_size;
	}
	e.mode = mode;
	e.id = *id;
	e.path = path;
	if (sparse) {
		e.flags |= GIT_INDEX_ENTRY_EXTENDED;
		e.flags_extended |= GIT_INDEX_ENTRY_SKIP_WORKTREE;
	}
	if ((rc = git_index_add(idx, &e)) < 0)
		return adr__error_git(rc, "cannot add '%s' to the index", path);
	return 0;
}

static bool entry_is(const git_index_entry *e, const git_oid *id)
{
	return e && git_oid_equal(&e->id, id);
}

/* --- files in the work tree ------------------------------------------------- */

static int full_path(adr_buf *out, wt *w, const char *rel)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "%s%s", w->workdir.ptr, rel);
	return adr_buf_oom(out) ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

/* 1 when the regular file at `path` holds blob `id`, 0 when not, or an
 * error: a file that cannot be read must not pass for one the user changed
 * (it would be left behind without a word). */
static int file_is(const char *path, const git_oid *id)
{
	struct stat st;
	git_oid got;
	int rc;
	if (lstat(path, &st) < 0 || !S_ISREG(st.st_mode))
		return 0;
	if ((rc = git_odb_hashfile(&got, path, GIT_OBJECT_BLOB)) < 0)
		return adr__error_git(rc, "cannot read '%s'", path);
	return git_oid_equal(&got, id);
}

static bool file_absent(const char *path)
{
	struct stat st;
	return lstat(path, &st) < 0 && errno == ENOENT;
}

static int write_tmp(const char *tmp, const char *data, size_t len, uint32_t mode, bool durable)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0777 : 0666);
	if (fd < 0)
		return adr__error_os("cannot create '%s'", tmp);
	if (write_all(fd, data, len) < 0) {
		int rc = adr__error_os("cannot write '%s'", tmp);
		close(fd);
		unlink(tmp);
		return rc;
	}
	if (durable) {
		int rc = adr__fsync_fd(fd, tmp);
		if (rc < 0) {
			close(fd);
			unlink(tmp);
			return rc;
		}
	}
	if (close(fd) < 0) {
		unlink(tmp);
		return adr__error_os("cannot write '%s'", tmp);
	}
	return 0;
}

/*
 * Puts a file in place: a temporary file in the git dir, renamed into the
 * work tree, so no partial file and no temporary file is ever seen there.
 * Across file systems the temporary file sits beside the target instead
 * (<path>.adr-tmp-<pid>, removed by the next adr if this one is killed).
 */
static int put_file(wt *w, const char *rel, const char *data, size_t len, uint32_t mode, struct stat *st)
{
	adr_buf full = ADR_BUF_INIT, tmp = ADR_BUF_INIT;
	int rc;

	if ((rc = full_path(&full, w, rel)) < 0 || (rc = mkdirs(&full, w->workdir.size)) < 0)
		goto cleanup;
	adr_buf_printf(&tmp, "%s" TMP_PREFIX "%ld-%u", w->gitdir.ptr, (long)getpid(), w->tmpcount++);
	if (adr_buf_oom(&tmp)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (!w->exdev) {
		unlink(tmp.ptr);
		if ((rc = write_tmp(tmp.ptr, data, len, mode, w->durable)) < 0)
			goto cleanup;
		if (rename(tmp.ptr, full.ptr) == 0)
			goto done;
		rc = errno;
		unlink(tmp.ptr);
		if (rc != EXDEV) {
			errno = rc;
			rc = adr__error_os("cannot rename '%s' to '%s'", tmp.ptr, full.ptr);
			goto cleanup;
		}
		rc = 0;
		w->exdev = true;
	}
	adr_buf_clear(&tmp);
	adr_buf_printf(&tmp, "%s.adr-tmp-%ld", full.ptr, (long)getpid());
	unlink(tmp.ptr);
	if ((rc = write_tmp(tmp.ptr, data, len, mode, w->durable)) < 0)
		goto cleanup;
	if (rename(tmp.ptr, full.ptr) < 0) {
		rc = adr__error_os("cannot rename '%s' to '%s'", tmp.ptr, full.ptr);
		unlink(tmp.ptr);
		goto cleanup;
	}
done:
	if (w->durable && (rc = adr__fsync_parent(full.ptr)) < 0)
		goto cleanup;
	if (st && lstat(full.ptr, st) < 0)
		rc = adr__error_os("cannot stat '%s'", full.ptr);
cleanup:
	adr_buf_dispose(&full);
	adr_buf_dispose(&tmp);
	return rc;
}

/* A symbolic link, as git checks one out: created beside, renamed over. */
static int put_link(wt *w, const char *rel, const char *target, size_t len)
{
	adr_buf full = ADR_BUF_INIT, tmp = ADR_BUF_INIT, to = ADR_BUF_INIT;
	int rc;

	if ((rc = full_path(&full, w, rel)) < 0)
		return rc;
	adr_buf_put(&to, target, len);
	adr_buf_printf(&tmp, "%s.adr-tmp-%ld", full.ptr, (long)getpid());
	if (adr_buf_oom(&to) || adr_buf_oom(&tmp)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	unlink(tmp.ptr);
	if (symlink(to.ptr, tmp.ptr) < 0) {
		rc = adr__error_os("cannot create '%s'", tmp.ptr);
	} else if (rename(tmp.ptr, full.ptr) < 0) {
		rc = adr__error_os("cannot rename '%s' to '%s'", tmp.ptr, full.ptr);
		unlink(tmp.ptr);
	}
cleanup:
	adr_buf_dispose(&full);
	adr_buf_dispose(&tmp);
	adr_buf_dispose(&to);
	return rc;
}

/* Puts blob `id` at `rel`, read from the object database. */
static int put_blob(wt *w, const char *rel, const git_oid *id, uint32_t mode, struct stat *st)
{
	git_blob *b = NULL;
	adr_buf full = ADR_BUF_INIT;
	int rc = git_blob_lookup(&b, w->git, id);
	if (rc < 0)
		return adr__error_git(rc, "blob %s of '%s' is missing", git_oid_tostr_s(id), rel);
	if (mode == GIT_FILEMODE_LINK) {
		if ((rc = put_link(w, rel, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b))) == 0 && st &&
		    (rc = full_path(&full, w, rel)) == 0 && lstat(full.ptr, st) < 0)
			rc = adr__error_os("cannot stat '%s'", full.ptr);
	} else {
		rc = put_file(w, rel, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), mode, st);
	}
	git_blob_free(b);
	adr_buf_dispose(&full);
	return rc;
}

static int remove_file(wt *w, const char *rel)
{
	adr_buf full = ADR_BUF_INIT;
	int rc;
	if ((rc = full_path(&full, w, rel)) < 0)
		return rc;
	if (unlink(full.ptr) < 0 && errno != ENOENT)
		rc = adr__error_os("cannot remove '%s'", full.ptr);
	else if (w->durable && (rc = adr__fsync_parent(full.ptr)) < 0)
		;
	else
		rmdirs(&full, w->workdir.size);
	adr_buf_dispose(&full);
	return rc;
}

/* Temporary files of adr processes that died: in the git dir (all but
 * ours: every adr writing here holds the journal lock we hold), and
 * <path>.adr-tmp-<pid> beside the records of dead processes (older adr
 * versions wrote those, and this one does across file systems). */
static void clean_tmp_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char mine[64];
	adr_buf p = ADR_BUF_INIT;

	if (!d)
		return;
	snprintf(mine, sizeof(mine), TMP_PREFIX "%ld-", (long)getpid());
	while ((e = readdir(d))) {
		/* adr-index-<pid>: the index copy of adr versions before the journal. */
		bool old_copy = strncmp(e->d_name, "adr-index-", 10) == 0 && pid_dead(pid_of(e->d_name + 10));
		if (!old_copy && (strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)) != 0 ||
				  strncmp(e->d_name, mine, strlen(mine)) == 0))
			continue;
		adr_buf_clear(&p);
		adr_buf_printf(&p, "%s%s", dir, e->d_name);
		if (!adr_buf_oom(&p))
			unlink(p.ptr);
	}
	closedir(d);
	adr_buf_dispose(&p);
}

/* The git dir, and the index's directory when GIT_INDEX_FILE puts it elsewhere. */
static void clean_git_dir(wt *w)
{
	clean_tmp_dir(w->gitdir.ptr);
	if (strcmp(w->index_dir.ptr, w->gitdir.ptr) != 0)
		clean_tmp_dir(w->index_dir.ptr);
}

static void clean_dir_of(wt *w, const char *rel)
{
	adr_buf dir = ADR_BUF_INIT, p = ADR_BUF_INIT;
	const char *slash = strrchr(rel, '/');
	DIR *d;
	struct dirent *e;

	adr_buf_printf(&dir, "%s%.*s", w->workdir.ptr, slash ? (int)(slash - rel + 1) : 0, rel);
	if (adr_buf_oom(&dir) || !(d = opendir(dir.ptr))) {
		adr_buf_dispose(&dir);
		return;
	}
	while ((e = readdir(d))) {
		const char *t = strstr(e->d_name, ".adr-tmp-");
		if (!t || t == e->d_name)
			continue;
		while (strstr(t + 1, ".adr-tmp-"))
			t = strstr(t + 1, ".adr-tmp-");
		if (!pid_dead(pid_of(t + 9)))
			continue;
		adr_buf_clear(&p);
		adr_buf_printf(&p, "%s%s", dir.ptr, e->d_name);
		if (!adr_buf_oom(&p))
			unlink(p.ptr);
	}
	closedir(d);
	adr_buf_dispose(&dir);
	adr_buf_dispose(&p);
}

/* --- rolling forward and back ----------------------------------------------- */

/* The tree at the tip of `branch` now (NULL when unborn), and whether the
 * tip is `new_commit` or descends from it. */
static int branch_now(git_tree **tree, bool *landed, git_repository *git, const char *branch,
		      const git_oid *new_commit)
{
	git_reference *ref = NULL;
	git_commit *c = NULL;
	int rc;

	*tree = NULL;
	*landed = false;
	rc = git_reference_lookup(&ref, git, branch);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return adr__error_git(rc, "cannot read branch '%s'", branch);
	if (git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
		const git_oid *tip = git_reference_target(ref);
		*landed = new_commit && (git_oid_equal(tip, new_commit) ||
					 git_graph_descendant_of(git, tip, new_commit) == 1);
		if ((rc = git_commit_lookup(&c, git, tip)) < 0 || (rc = git_commit_tree(tree, c)) < 0)
			rc = adr__error_git(rc, "the tip of '%s' is missing or corrupt", branch);
	}
	git_error_clear();
	git_commit_free(c);
	git_reference_free(ref);
	return rc < 0 ? rc : 0;
}

static bool tree_has(git_tree *tree, const char *path, const git_oid *id)
{
	git_tree_entry *e = NULL;
	bool yes = tree && git_tree_entry_bypath(&e, tree, path) == 0 && git_oid_equal(git_tree_entry_id(e), id);
	git_tree_entry_free(e);
	git_error_clear();
	return yes;
}

static void note_path(adr_buf *list, size_t *count, const char *path)
{
	if (*count < 3)
		adr_buf_printf(list, "%s'%s'", *count ? ", " : "", path);
	(*count)++;
}

/*
 * The branch did not get the new commit: every file and index entry that
 * still holds what the plan wrote goes back to what it was, unless the
 * branch now has that very content (someone committed it).
 */
static int roll_back(wt *w, plan *p, adr_buf *done, size_t *count)
{
	git_tree *now = NULL;
	git_index *idx = NULL;
	adr_buf full = ADR_BUF_INIT;
	bool landed, changed = false;
	int rc;

	if ((rc = branch_now(&now, &landed, w->git, p->branch, NULL)) < 0)
		return rc;
	if ((rc = index_begin(&idx, w)) < 0)
		goto cleanup;
	for (size_t i = 0; i < p->n; i++) {
		item *it = &p->items[i];
		const git_index_entry *e;
		struct stat st;
		bool touched = false, have_st = false;

		if (it->del || tree_has(now, it->path, &it->new_id))
			continue;
		if ((rc = full_path(&full, w, it->path)) < 0)
			goto cleanup;
		if (!it->sparse && (rc = file_is(full.ptr, &it->new_id)) != 0) {
			if (rc < 0)
				goto cleanup;
			rc = it->has_old ? put_blob(w, it->path, &it->old_id, it->old_mode, &st)
					 : remove_file(w, it->path);
			if (rc < 0)
				goto cleanup;
			have_st = it->has_old;
			touched = true;
		}
		e = git_index_get_bypath(idx, it->path, 0);
		if (entry_is(e, &it->new_id)) {
			if (!it->has_old) {
				rc = git_index_remove(idx, it->path, 0);
				rc = rc < 0 ? adr__error_git(rc, "cannot remove '%s' from the index", it->path) : 0;
			} else {
				/* (stat data only: without it git hashes the file again) */
				if (!have_st && !it->sparse && file_is(full.ptr, &it->old_id) > 0 && lstat(full.ptr, &st) == 0)
					have_st = true;
				rc = index_put(idx, it->path, &it->old_id, it->old_mode, have_st ? &st : NULL, it->sparse);
			}
			if (rc < 0)
				goto cleanup;
			touched = changed = true;
		}
		if (touched)
			note_path(done, count, it->path);
	}
	if (changed) {
		rc = index_commit(idx, w);
		idx = NULL;
	}
cleanup:
	if (idx)
		index_abort(idx, w);
	git_tree_free(now);
	adr_buf_dispose(&full);
	return rc;
}

/*
 * The branch has the new commit: files and entries that still hold the old
 * content take the new one; deletions leave the index and the work tree.
 * With `deletions_only`, the writes are known to be in place already.
 */
static int roll_forward(wt *w, plan *p, bool deletions_only, adr_buf *done, size_t *count)
{
	git_index *idx = NULL;
	adr_buf full = ADR_BUF_INIT;
	bool changed = false, any = false;
	int rc;

	for (size_t i = 0; i < p->n && !any; i++)
		any = p->items[i].del || !deletions_only;
	if (!any)
		return 0;
	if ((rc = index_begin(&idx, w)) < 0)
		return rc;
	for (size_t i = 0; i < p->n; i++) {
		item *it = &p->items[i];
		const git_index_entry *e = git_index_get_bypath(idx, it->path, 0);
		struct stat st;
		bool touched = false;

		if ((rc = full_path(&full, w, it->path)) < 0)
			goto cleanup;
		if (it->del) {
			if (entry_is(e, &it->old_id)) {
				if ((rc = git_index_remove(idx, it->path, 0)) < 0) {
					rc = adr__error_git(rc, "cannot remove '%s' from the index", it->path);
					goto cleanup;
				}
				touched = changed = true;
			}
			if (!it->sparse && (rc = file_is(full.ptr, &it->old_id)) != 0) {
				if (rc < 0 || (rc = remove_file(w, it->path)) < 0)
					goto cleanup;
				touched = true;
			}
		} else if (!deletions_only) {
			bool index_old = it->has_old ? entry_is(e, &it->old_id) : !e;
			int as_was = it->sparse ? 0 : it->has_old ? file_is(full.ptr, &it->old_id) : file_absent(full.ptr);
			if (as_was < 0) {
				rc = as_was;
				goto cleanup;
			}
			if (as_was && (index_old || entry_is(e, &it->new_id))) {
				if ((rc = put_blob(w, it->path, &it->new_id, GIT_FILEMODE_BLOB, NULL)) < 0)
					goto cleanup;
				touched = true;
			}
			if (index_old) {
				bool have_st = !it->sparse && file_is(full.ptr, &it->new_id) > 0 && lstat(full.ptr, &st) == 0;
				if ((rc = index_put(idx, it->path, &it->new_id, GIT_FILEMODE_BLOB, have_st ? &st : NULL,
						    it->sparse)) < 0)
					goto cleanup;
				touched = changed = true;
			}
		}
		if (touched)
			note_path(done, count, it->path);
	}
	if (changed) {
		rc = index_commit(idx, w);
		idx = NULL;
	}
cleanup:
	if (idx)
		index_abort(idx, w);
	adr_buf_dispose(&full);
	return rc;
}

static void remove_side_temps(wt *w, plan *p)
{
	adr_buf t = ADR_BUF_INIT;
	for (size_t i = 0; i < p->n; i++) {
		adr_buf_clear(&t);
		adr_buf_printf(&t, "%s%s.adr-tmp-%ld", w->workdir.ptr, p->items[i].path, p->pid);
		if (!adr_buf_oom(&t))
			unlink(t.ptr);
	}
	adr_buf_dispose(&t);
}

/* True when the branch's lock file holds the commit the plan was moving it
 * to: the killed adr took it (libgit2 writes "<id>\n" into it), and no one
 * else could have written a commit only that process had made. */
static bool ref_lock_is_ours(wt *w, plan *p)
{
	adr_buf path = ADR_BUF_INIT, b = ADR_BUF_INIT;
	char want[GIT_OID_HEXSZ + 2];
	bool yes;

	git_oid_tostr(want, GIT_OID_HEXSZ + 1, &p->new_commit);
	strcat(want, "\n");
	adr_buf_printf(&path, "%s%s.lock", git_repository_commondir(w->git), p->branch);
	yes = !adr_buf_oom(&path) && read_small(&b, path.ptr, 256) == 0 && strcmp(b.ptr, want) == 0;
	adr_error_clear();
	adr_buf_dispose(&path);
	adr_buf_dispose(&b);
	return yes;
}

/*
 * With the journal locked: if a killed adr left a journal, release its
 * index.lock, finish or undo its write, and empty the journal.
 */
static int recover(wt *w, const char *branch_hint, adr_buf *notes)
{
	adr_buf text = ADR_BUF_INIT, done = ADR_BUF_INIT;
	plan p;
	size_t count = 0;
	bool lock_removed = false, landed = false;
	git_tree *unused = NULL;
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = read_small(&text, w->journal_path.ptr, JOURNAL_MAX)) != 0 || !text.size) {
		adr_buf_dispose(&text);
		return rc < 0 ? rc : 0;
	}
	if ((rc = journal_parse(&p, text.ptr)) < 0)
		goto cleanup;
	clean_git_dir(w);
	if (lock_is_ours(w, p.token)) {
		unlink(w->lock_path.ptr);
		lock_removed = true;
	}
	if (p.complete && ref_lock_is_ours(w, &p)) {
		adr_buf_clear(&text);
		adr_buf_printf(&text, "%s%s.lock", git_repository_commondir(w->git), p.branch);
		if (!adr_buf_oom(&text) && unlink(text.ptr) == 0)
			lock_removed = true;
	}
	if (p.complete) {
		remove_side_temps(w, &p);
		/* The same token: if this repair is killed, the next adr still knows the lock. */
		if ((rc = index_lock_take(w, p.token, p.branch ? p.branch : branch_hint)) < 0)
			goto cleanup;
		if ((rc = branch_now(&unused, &landed, w->git, p.branch, &p.new_commit)) == 0)
			rc = landed ? roll_forward(w, &p, false, &done, &count) : roll_back(w, &p, &done, &count);
		(void)index_lock_drop(w);
		if (rc < 0)
			goto cleanup;
	}
	if (count || lock_removed) {
		if (notes->size)
			adr_buf_putc(notes, '\n');
		adr_buf_printf(notes, "repaired what an interrupted adr (pid %ld) left in '%s': ", p.pid, w->workdir.ptr);
		if (count)
			adr_buf_printf(notes, "%s %s%s", landed ? "its commit had landed; brought along" :
						     "its commit never landed; took back",
				       done.ptr, count > 3 ? " and more" : "");
		else
			adr_buf_puts(notes, "removed its lock files");
	}
	rc = journal_clear(w);
cleanup:
	git_tree_free(unused);
	plan_clear(&p);
	adr_buf_dispose(&text);
	adr_buf_dispose(&done);
	return rc;
}

/* --- the set ------------------------------------------------------------------ */

size_t adr__wt_count(const adr__wt_set *s)
{
	return s ? s->n : 0;
}

void adr__wt_release(adr__wt_set *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		wt *w = &s->w[i];
		(void)index_lock_drop(w);
		/* A plan that was acted on and neither finished nor undone stays
		 * for the next adr to repair. Errors here change nothing: the
		 * caller's message stays. */
		if (w->jfd >= 0 && !w->staged && ftruncate(w->jfd, 0) < 0) {
			/* The next adr finds a plan-less journal and empties it. */
		}
		wt_dispose(w);
	}
	free(s->w);
	free(s);
}

int adr__wt_repair(adr_repo *repo, adr_buf *notes)
{
	wt w;
	bool busy;
	int rc;

	if (!adr_repo_workdir(repo))
		return 0;
	if ((rc = wt_init(&w, adr__repo_git(repo), false, true, adr_repo_gitdir(repo), adr_repo_workdir(repo))) < 0)
		goto cleanup;
	/* Nothing to repair when there is no journal: do not create one. */
	if (access(w.journal_path.ptr, F_OK) < 0)
		goto cleanup;
	if ((rc = journal_lock(&w, false, &busy)) < 0 || busy)
		goto cleanup;
	rc = recover(&w, adr_repo_branch(repo), notes);
cleanup:
	wt_dispose(&w);
	return rc;
}

int adr__wt_lock(adr__wt_set **out, adr_repo *repo, const char *branch, adr_buf *notes)
{
	adr__wt_set *s = calloc(1, sizeof(*s));
	adr_buf head = ADR_BUF_INIT;
	int rc;

	*out = NULL;
	if (!s)
		return adr__error(ADR_ENOMEM, "out of memory");
	if ((rc = find_worktrees(s, repo, branch)) < 0)
		goto fail;
	for (size_t i = 0; i < s->n; i++)
		s->w[i].durable = adr__repo_durable(repo);
	/* In order of git dir, so two writers never wait for each other's lock. */
	for (size_t i = 0; i < s->n; i++) {
		wt *w = &s->w[i];
		if ((rc = journal_lock(w, true, NULL)) < 0 || (rc = recover(w, branch, notes)) < 0)
			goto fail;
		make_token(w->p.token, sizeof(w->p.token));
		w->p.pid = (long)getpid();
		adr_buf_clear(&head);
		adr_buf_printf(&head, "adr-journal 1\npid %ld\ntoken %s\n", w->p.pid, w->p.token);
		if ((rc = journal_append(w, &head)) < 0 || (rc = index_lock_take(w, w->p.token, branch)) < 0)
			goto fail;
	}
	adr_buf_dispose(&head);
	*out = s;
	return 0;
fail:
	adr_buf_dispose(&head);
	adr__wt_release(s);
	return rc;
}

/* --- checking, staging, finishing --------------------------------------------- */

/* A sparse checkout: core.sparseCheckout (libgit2 1.5 does not read
 * config.worktree, where `git sparse-checkout` puts it), or an entry git
 * keeps out of the work tree. */
static bool sparse_checkout(git_repository *git, git_index *idx)
{
	git_config *cfg = NULL;
	int on = 0;
	if (git_repository_config_snapshot(&cfg, git) == 0 && git_config_get_bool(&on, cfg, "core.sparseCheckout") < 0)
		on = 0;
	git_config_free(cfg);
	git_error_clear();
	for (size_t i = 0; !on && i < git_index_entrycount(idx); i++)
		on = (git_index_get_byindex(idx, i)->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE) != 0;
	return on != 0;
}

static int dirty(wt *w, const char *path, const char *what)
{
	if (w->current)
		return adr__error(ADR_EDIRTY, "'%s' %s", path, what);
	return adr__error(ADR_EDIRTY, "'%s' in the work tree '%s' (where the branch is checked out too) %s", path,
			  w->workdir.ptr, what);
}

static int check_one(wt *w, git_index *idx, const adr__wt_file *f, git_tree *base, item *it, bool sparse_on)
{
	git_tree_entry *te = NULL;
	const git_index_entry *ie;
	adr_buf full = ADR_BUF_INIT;
	unsigned int flags = 0;
	struct stat st;
	int rc = 0;

	/* A path the branch has must not pass for a new one when its entry
	 * cannot be read: its deletion would then leave the file behind. */
	if (base && (rc = git_tree_entry_bypath(&te, base, f->path)) < 0 && rc != GIT_ENOTFOUND)
		return adr__error_git(rc, "cannot read '%s' on the branch", f->path);
	if (rc == 0 && te) {
		it->has_old = true;
		it->old_id = *git_tree_entry_id(te);
		it->old_mode = (uint32_t)git_tree_entry_filemode(te);
	}
	rc = 0;
	git_tree_entry_free(te);
	git_error_clear();
	/* Deleting what the branch does not have changes nothing here. */
	if (f->del && !it->has_old)
		return 1;
	if ((rc = full_path(&full, w, f->path)) < 0)
		goto cleanup;
	ie = git_index_get_bypath(idx, f->path, 0);
	if (ie && (ie->flags_extended & GIT_INDEX_ENTRY_SKIP_WORKTREE)) {
		/* Sparse checkout: git keeps no file here and reports none. */
		if (!it->has_old || !git_oid_equal(&ie->id, &it->old_id) || ie->mode != it->old_mode)
			rc = dirty(w, f->path, "has staged changes; commit or unstage them first "
					       "(adr never overwrites uncommitted work)");
		it->sparse = true;
		goto cleanup;
	}
	rc = git_status_file(&flags, w->git, f->path);
	if (rc == GIT_ENOTFOUND) {
		flags = 0;
		rc = 0;
	} else if (rc < 0) {
		rc = adr__error_git(rc, "cannot check the status of '%s'", f->path);
		goto cleanup;
	}
	if (flags & (GIT_STATUS_INDEX_NEW | GIT_STATUS_INDEX_MODIFIED | GIT_STATUS_INDEX_DELETED |
		     GIT_STATUS_INDEX_RENAMED | GIT_STATUS_INDEX_TYPECHANGE))
		rc = dirty(w, f->path, "has staged changes; commit or unstage them first "
				       "(adr never overwrites uncommitted work)");
	else if (flags & GIT_STATUS_WT_NEW)
		rc = dirty(w, f->path, "exists in the work tree but is not committed; move it away or commit it first");
	else if (!ie && !it->has_old && lstat(full.ptr, &st) == 0)
		/* Ignored files too: git status hides them, adr must not overwrite them. */
		rc = dirty(w, f->path, (flags & GIT_STATUS_IGNORED)
					       ? "exists in the work tree (ignored by git) but is not committed; move it "
						 "away first (adr never overwrites uncommitted work)"
					       : "exists in the work tree but is not committed; move it away or commit it first");
	else if (flags & (GIT_STATUS_WT_MODIFIED | GIT_STATUS_WT_DELETED | GIT_STATUS_WT_TYPECHANGE |
			  GIT_STATUS_WT_RENAMED | GIT_STATUS_CONFLICTED))
		rc = dirty(w, f->path, "has uncommitted changes; commit or stash them first "
				       "(adr never overwrites uncommitted work)");
	else if (sparse_on && !ie && !it->has_old && !f->del) {
		/* A new path in a directory the sparse checkout leaves out stays out. */
		const char *slash = strrchr(full.ptr, '/');
		adr_buf_truncate(&full, (size_t)(slash - full.ptr));
		it->sparse = lstat(full.ptr, &st) < 0 && errno == ENOENT;
	}
cleanup:
	adr_buf_dispose(&full);
	return rc;
}

int adr__wt_check(adr__wt_set *s, const adr__wt_file *files, size_t n, git_tree *base)
{
	int rc = 0;
	for (size_t k = 0; k < adr__wt_count(s); k++) {
		wt *w = &s->w[k];
		git_index *idx = NULL;
		bool sparse_on;

		if ((rc = git_index_open(&idx, w->index_path.ptr)) < 0)
			return adr__error_git(rc, "cannot read the index '%s'", w->index_path.ptr);
		sparse_on = sparse_checkout(w->git, idx);
		for (size_t i = 0; i < n; i++) {
			item it, *dst;
			memset(&it, 0, sizeof(it));
			if ((rc = check_one(w, idx, &files[i], base, &it, sparse_on)) < 0)
				break;
			if (rc > 0) {
				rc = 0;
				continue;
			}
			if ((rc = plan_add(&w->p, &dst)) < 0)
				break;
			*dst = it;
			dst->del = files[i].del;
			dst->new_id = files[i].id;
			dst->data = files[i].data;
			dst->len = files[i].len;
			if (!(dst->path = strdup(files[i].path))) {
				rc = adr__error(ADR_ENOMEM, "out of memory");
				break;
			}
		}
		git_index_free(idx);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int adr__wt_stage(adr__wt_set *s, const char *branch, const git_oid *old_commit, const git_oid *new_commit)
{
	adr_buf j = ADR_BUF_INIT;
	int rc = 0;

	for (size_t k = 0; k < adr__wt_count(s) && rc == 0; k++) {
		wt *w = &s->w[k];
		plan *p = &w->p;
		git_index *idx = NULL;

		if (!(p->branch = strdup(branch)))
			return adr__error(ADR_ENOMEM, "out of memory");
		p->has_old_commit = old_commit != NULL;
		if (old_commit)
			p->old_commit = *old_commit;
		p->new_commit = *new_commit;
		p->has_new_commit = p->complete = true;

		/* 3. The plan, in one write: a cut-short plan is never acted on. */
		adr_buf_clear(&j);
		adr_buf_printf(&j, "branch %s\nold %s\n", branch, old_commit ? git_oid_tostr_s(old_commit) : "-");
		adr_buf_printf(&j, "new %s\n", git_oid_tostr_s(new_commit));
		for (size_t i = 0; i < p->n; i++) {
			item *it = &p->items[i];
			char o[GIT_OID_HEXSZ + 1] = "-";
			if (it->has_old)
				git_oid_tostr(o, sizeof(o), &it->old_id);
			if (it->del)
				adr_buf_printf(&j, "d %s %o %c %s\n", o, it->old_mode, it->sparse ? 's' : 'f', it->path);
			else
				adr_buf_printf(&j, "w %s %s %o %c %s\n", git_oid_tostr_s(&it->new_id), o,
					       it->has_old ? it->old_mode : 0, it->sparse ? 's' : 'f', it->path);
		}
		adr_buf_puts(&j, "end\n");
		w->staged = true;
		if ((rc = journal_append(w, &j)) < 0)
			break;
		clean_git_dir(w);

		/* The copy of the index first: an index that cannot be read
		 * (a symbolic link, say) fails before any file is written. */
		if ((rc = index_begin(&idx, w)) < 0)
			break;

		/* 4. The files. */
		for (size_t i = 0; i < p->n && rc == 0; i++)
			if (!p->items[i].del && !p->items[i].sparse)
				clean_dir_of(w, p->items[i].path);
		for (size_t i = 0; i < p->n && rc == 0; i++) {
			item *it = &p->items[i];
			if (!it->del && !it->sparse)
				rc = put_file(w, it->path, it->data, it->len, GIT_FILEMODE_BLOB, NULL);
		}
		if (rc < 0) {
			index_abort(idx, w);
			break;
		}

		/* 5. The index. */
		for (size_t i = 0; i < p->n && rc == 0; i++) {
			item *it = &p->items[i];
			struct stat st;
			adr_buf full = ADR_BUF_INIT;
			if (it->del)
				continue;
			if (!it->sparse) {
				if ((rc = full_path(&full, w, it->path)) == 0 && lstat(full.ptr, &st) < 0)
					rc = adr__error_os("cannot stat '%s'", full.ptr);
				adr_buf_dispose(&full);
				if (rc < 0)
					break;
			}
			rc = index_put(idx, it->path, &it->new_id, GIT_FILEMODE_BLOB, it->sparse ? NULL : &st, it->sparse);
		}
		if (rc < 0) {
			index_abort(idx, w);
			break;
		}
		rc = index_commit(idx, w);
	}
	adr_buf_dispose(&j);
	return rc;
}

int adr__wt_undo(adr__wt_set *s)
{
	int rc = 0;
	for (size_t k = 0; k < adr__wt_count(s); k++) {
		wt *w = &s->w[k];
		adr_buf done = ADR_BUF_INIT;
		size_t count = 0;
		int r;
		if (!w->staged)
			continue;
		remove_side_temps(w, &w->p);
		r = roll_back(w, &w->p, &done, &count);
		adr_buf_dispose(&done);
		if (r < 0 && rc == 0)
			rc = r;
		if (r == 0)
			w->staged = false;
	}
	return rc;
}

int adr__wt_finish(adr__wt_set *s)
{
	int rc = 0;
	for (size_t k = 0; k < adr__wt_count(s); k++) {
		wt *w = &s->w[k];
		adr_buf done = ADR_BUF_INIT;
		size_t count = 0;
		int r = roll_forward(w, &w->p, true, &done, &count);
		adr_buf_dispose(&done);
		if (r < 0) {
			if (rc == 0)
				rc = r;
			continue; /* the journal stays: the next adr finishes */
		}
		/* 6. index.lock goes before the journal that names it. A lock
		 * that stays keeps the journal: the next adr knows it as its own. */
		if ((r = index_lock_drop(w)) < 0) {
			if (rc == 0)
				rc = r;
			continue;
		}
		w->staged = false;
		if ((r = journal_clear(w)) < 0 && rc == 0)
			rc = r;
	}
	return rc;
}
