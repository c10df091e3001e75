/*
 * git/worktree_files.c: what a writer does to one work tree: the index,
 * edited through a private copy renamed over it, and the files, written
 * through temporary files and renamed into place; and the clean-up of what
 * dead adr processes left.
 */
#include "git/worktree_impl.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>

#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"

/* Reads a whole small file; ENOENT leaves `out` empty and returns 1. */
int adr__wt_read_small(adr_buf *out, const char *path, size_t max)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc;

	adr_buf_clear(out);
	if (fd < 0)
		return errno == ENOENT ? 1 : adr__error_os("cannot read '%s'", path);
	rc = adr__fd_read(out, fd, path, max);
	close(fd);
	if (rc == ADR_EINVALID)
		rc = adr__error(ADR_EINVALID, "'%s' is larger than %zu bytes", path, max);
	return rc;
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

/* --- the index, edited through a private copy ------------------------------ */

/* The copy sits beside the index, so that renaming it over the index works
 * wherever GIT_INDEX_FILE puts that. */
static int index_copy_path(adr_buf *out, adr__wt *w)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "%s" TMP_PREFIX "%ld-index", w->index_dir.ptr, (long)getpid());
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* Opens a copy of the index that libgit2 may write (index.lock is ours). */
int adr__wt_index_begin(git_index **out, adr__wt *w)
{
	adr_buf copy = ADR_BUF_INIT, data = ADR_BUF_INIT;
	struct stat st;
	int rc, fd;

	*out = NULL;
	if ((rc = index_copy_path(&copy, w)) < 0)
		return rc;
	unlink(copy.ptr);
	/* A second name for the index's file is a copy that costs nothing:
	 * libgit2 writes an index through a lock file renamed over it, never
	 * in place, so the index itself is never written through this name.
	 * (The index of 10,000 records is 1.2 MB, read and written again on
	 * every commit otherwise.) Anything but a plain file, or a file system
	 * without hard links, gets a copy. */
	if (lstat(w->index_path.ptr, &st) == 0 && S_ISREG(st.st_mode) && link(w->index_path.ptr, copy.ptr) == 0)
		goto open;
	if ((rc = adr__wt_read_small(&data, w->index_path.ptr, (size_t)1 << 31)) < 0)
		goto cleanup;
	if (rc == 0) {
		/* No index yet: libgit2 starts an empty one at the copy's path. */
		fd = open(copy.ptr, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
		if (fd < 0) {
			rc = adr__error_os("cannot create '%s'", copy.ptr);
			goto cleanup;
		}
		if ((rc = adr__fd_write_all(fd, data.ptr, data.size, copy.ptr)) < 0) {
			close(fd);
			goto cleanup;
		}
		if (close(fd) < 0) {
			rc = adr__error_os("cannot write '%s'", copy.ptr);
			goto cleanup;
		}
	}
open:
	if ((rc = git_index_open(out, copy.ptr)) < 0)
		rc = adr__error_git(rc, "cannot read the index '%s'", w->index_path.ptr);
cleanup:
	if (rc < 0)
		unlink(copy.ptr);
	adr_buf_dispose(&copy);
	adr_buf_dispose(&data);
	return rc < 0 ? rc : 0;
}

void adr__wt_index_abort(git_index *idx, adr__wt *w)
{
	adr_buf copy = ADR_BUF_INIT;
	git_index_free(idx);
	if (index_copy_path(&copy, w) == 0)
		unlink(copy.ptr);
	adr_buf_dispose(&copy);
}

/* Writes the copy and renames it over the index (index.lock stays ours). */
int adr__wt_index_commit(git_index *idx, adr__wt *w)
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

int adr__wt_index_put(git_index *idx, const char *path, const git_oid *id, uint32_t mode, const struct stat *st,
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

bool adr__wt_entry_is(const git_index_entry *e, const git_oid *id)
{
	return e && git_oid_equal(&e->id, id);
}

/* --- files in the work tree ------------------------------------------------- */

int adr__wt_full_path(adr_buf *out, adr__wt *w, const char *rel)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "%s%s", w->workdir.ptr, rel);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* 1 when the regular file at `path` holds blob `id`, 0 when not, or an
 * error: a file that cannot be read must not pass for one the user changed
 * (it would be left behind without a word). */
int adr__wt_file_is(const char *path, const git_oid *id)
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

bool adr__wt_file_absent(const char *path)
{
	struct stat st;
	return lstat(path, &st) < 0 && errno == ENOENT;
}

static int write_tmp(const char *tmp, const char *data, size_t len, uint32_t mode, bool durable)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		      mode == GIT_FILEMODE_BLOB_EXECUTABLE ? 0777 : 0666);
	int rc;

	if (fd < 0)
		return adr__error_os("cannot create '%s'", tmp);
	if ((rc = adr__fd_write_all(fd, data, len, tmp)) < 0) {
		close(fd);
		unlink(tmp);
		return rc;
	}
	if (durable && (rc = adr__fsync_fd(fd, tmp)) < 0) {
		close(fd);
		unlink(tmp);
		return rc;
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
int adr__wt_put_file(adr__wt *w, const char *rel, const char *data, size_t len, uint32_t mode, struct stat *st)
{
	adr_buf full = ADR_BUF_INIT, tmp = ADR_BUF_INIT;
	int rc;

	if ((rc = adr__wt_full_path(&full, w, rel)) < 0 || (rc = mkdirs(&full, w->workdir.size)) < 0)
		goto cleanup;
	adr_buf_printf(&tmp, "%s" TMP_PREFIX "%ld-%u", w->gitdir.ptr, (long)getpid(), w->tmpcount++);
	if (adr_buf_oom(&tmp)) {
		rc = ADR_ENOMEM;
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
static int put_link(adr__wt *w, const char *rel, const char *target, size_t len)
{
	adr_buf full = ADR_BUF_INIT, tmp = ADR_BUF_INIT, to = ADR_BUF_INIT;
	int rc;

	if ((rc = adr__wt_full_path(&full, w, rel)) < 0)
		return rc;
	adr_buf_put(&to, target, len);
	adr_buf_printf(&tmp, "%s.adr-tmp-%ld", full.ptr, (long)getpid());
	if (adr_buf_oom(&to) || adr_buf_oom(&tmp)) {
		rc = ADR_ENOMEM;
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
int adr__wt_put_blob(adr__wt *w, const char *rel, const git_oid *id, uint32_t mode, struct stat *st)
{
	git_blob *b = NULL;
	adr_buf full = ADR_BUF_INIT;
	int rc = git_blob_lookup(&b, w->git, id);
	if (rc < 0)
		return adr__error_git(rc, "blob %s of '%s' is missing", git_oid_tostr_s(id), rel);
	if (mode == GIT_FILEMODE_LINK) {
		if ((rc = put_link(w, rel, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b))) == 0 && st &&
		    (rc = adr__wt_full_path(&full, w, rel)) == 0 && lstat(full.ptr, st) < 0)
			rc = adr__error_os("cannot stat '%s'", full.ptr);
	} else {
		rc = adr__wt_put_file(w, rel, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), mode, st);
	}
	git_blob_free(b);
	adr_buf_dispose(&full);
	return rc;
}

int adr__wt_remove_file(adr__wt *w, const char *rel)
{
	adr_buf full = ADR_BUF_INIT;
	int rc;
	if ((rc = adr__wt_full_path(&full, w, rel)) < 0)
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
		bool old_copy = strncmp(e->d_name, "adr-index-", 10) == 0 && adr__pid_gone(e->d_name + 10);
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
void adr__wt_clean_git_dir(adr__wt *w)
{
	clean_tmp_dir(w->gitdir.ptr);
	if (strcmp(w->index_dir.ptr, w->gitdir.ptr) != 0)
		clean_tmp_dir(w->index_dir.ptr);
}

/* --- the sweep beside the files --------------------------------------------
 * <path>.adr-tmp-<pid> of dead processes, in each directory a plan writes
 * to. Reading a directory of 10,000 records takes about 4 ms, so
 * adr__wt_check starts the sweep on a thread of its own while it reads the
 * index, and write_files waits for it before it writes there. The thread
 * allocates nothing and makes no call the fault injector counts, unless it
 * finds a file to remove: a fault sweep counts the same calls on every run. */

struct adr__wt_sweep {
	pthread_t th;
	bool running;
	size_t n;
	char **dirs; /* absolute, each ending in '/' */
};

/* The layout of what getdents64 returns (the kernel's linux_dirent64). */
struct dent64 {
	uint64_t ino;
	int64_t off;
	unsigned short reclen;
	unsigned char type;
	char name[];
};

/* A name like <anything>.adr-tmp-<pid> whose process is gone. */
static bool stale_side_temp(const char *name)
{
	const char *t = strstr(name, ".adr-tmp-"), *next;
	if (!t || t == name)
		return false;
	while ((next = strstr(t + 1, ".adr-tmp-")))
		t = next;
	return adr__pid_gone(t + 9);
}

static void sweep_dir(const char *dir)
{
	_Alignas(8) char buf[16384];
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return;
	/* Each round reads at least one entry: bounded by the directory's size. */
	for (;;) {
		long got = syscall(SYS_getdents64, fd, buf, sizeof(buf));
		if (got <= 0)
			break;
		for (long off = 0; off < got;) {
			/* read through memcpy: the buffer's type is char */
			const char *name = buf + off + offsetof(struct dent64, name);
			unsigned short reclen;
			memcpy(&reclen, buf + off + offsetof(struct dent64, reclen), sizeof(reclen));
			if (reclen == 0)
				break;
			off += reclen;
			if (stale_side_temp(name))
				(void)unlinkat(fd, name, 0);
		}
	}
	close(fd);
}

static void *sweep_main(void *arg)
{
	struct adr__wt_sweep *sw = arg;
	for (size_t i = 0; i < sw->n; i++)
		sweep_dir(sw->dirs[i]);
	return NULL;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void adr__wt_sweep_start(adr__wt *w, const adr__wt_file *files, size_t n)
{
	struct adr__wt_sweep *sw;
	size_t k = 0;

	adr__wt_sweep_wait(w);
	if (!(sw = adr__calloc(1, sizeof(*sw))) || (n && !(sw->dirs = adr__calloc(n, sizeof(*sw->dirs))))) {
		free(sw);
		adr_error_clear(); /* no sweep this time: the next writer's */
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const char *slash = strrchr(files[i].path, '/');
		adr_buf d = ADR_BUF_INIT;
		if (files[i].del)
			continue;
		adr_buf_printf(&d, "%s%.*s", w->workdir.ptr, slash ? (int)(slash - files[i].path + 1) : 0,
			       files[i].path);
		if (adr_buf_oom(&d)) {
			adr_buf_dispose(&d);
			adr_error_clear();
			continue;
		}
		sw->dirs[k++] = adr_buf_detach(&d);
	}
	if (k > 1)
		qsort(sw->dirs, k, sizeof(*sw->dirs), cmp_str);
	for (size_t i = 0; i < k; i++) {
		if (sw->n && strcmp(sw->dirs[sw->n - 1], sw->dirs[i]) == 0)
			free(sw->dirs[i]);
		else
			sw->dirs[sw->n++] = sw->dirs[i];
	}
	w->sweep = sw;
	/* Without a thread, the sweep is done here and now. */
	if (sw->n && pthread_create(&sw->th, NULL, sweep_main, sw) == 0)
		sw->running = true;
	else
		sweep_main(sw);
}

void adr__wt_sweep_wait(adr__wt *w)
{
	struct adr__wt_sweep *sw = w->sweep;
	if (!sw)
		return;
	if (sw->running)
		pthread_join(sw->th, NULL);
	for (size_t i = 0; i < sw->n; i++)
		free(sw->dirs[i]);
	free(sw->dirs);
	free(sw);
	w->sweep = NULL;
}
