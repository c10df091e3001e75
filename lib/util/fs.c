/* util/fs.c: capped reads, atomic writes, mkdir -p and fsync (util/fs.h). */
#define _GNU_SOURCE
#include "util/fs.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"

int adr__fd_read(adr_buf *out, int fd, const char *name, size_t max)
{
	size_t start = out->size;
	for (;;) {
		ssize_t n;
		if (adr_buf_grow(out, 65536) < 0)
			return ADR_ENOMEM;
		n = read(fd, out->ptr + out->size, out->asize - out->size - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return adr__error_os("cannot read '%s'", name);
		if (n == 0)
			break;
		out->size += (size_t)n;
		out->ptr[out->size] = '\0';
		if (out->size - start > max)
			return adr__error(ADR_EINVALID, "%s: larger than %zu bytes", name, max);
	}
	return 0;
}

int adr__file_read(adr_buf *out, const char *path, size_t max, unsigned flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | ((flags & ADR_FS_NOFOLLOW) ? O_NOFOLLOW : 0));
	int rc;
	if (fd < 0) {
		if (errno == ENOENT)
			return adr__error(ADR_ENOTFOUND, "cannot open '%s': %s", path, strerror(errno));
		return adr__error_os("cannot open '%s'", path);
	}
	rc = adr__fd_read(out, fd, path, max);
	close(fd);
	return rc;
}

int adr__fd_write_all(int fd, const void *data, size_t len, const char *name)
{
	const char *p = data;
	while (len > 0) {
		ssize_t w = write(fd, p, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return adr__error_os("cannot write '%s'", name);
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int adr__file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			   unsigned flags)
{
	adr_buf tmp = ADR_BUF_INIT;
	int fd = -1, rc = 0;

	if (adr_buf_printf(&tmp, "%s.adr-tmp-%ld", path, (long)getpid()) < 0)
		return ADR_ENOMEM;
	unlink(tmp.ptr);
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		rc = adr__error_os("cannot create '%s'", tmp.ptr);
		goto cleanup;
	}
	if ((rc = adr__fd_write_all(fd, data, len, tmp.ptr)) < 0)
		goto cleanup;
	/* open() applied the umask; the caller's mode is what it asked for. */
	if (fchmod(fd, mode) < 0) {
		rc = adr__error_os("cannot set the mode of '%s'", tmp.ptr);
		goto cleanup;
	}
	if ((flags & ADR_FS_DURABLE) && (rc = adr__fsync_fd(fd, tmp.ptr)) < 0)
		goto cleanup;
	if (close(fd) < 0) {
		fd = -1;
		rc = adr__error_os("cannot write '%s'", tmp.ptr);
		goto cleanup;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0) {
		rc = adr__error_os("cannot create '%s'", path);
		goto cleanup;
	}
	if (flags & ADR_FS_DURABLE)
		rc = adr__fsync_parent(path);
cleanup:
	if (fd >= 0)
		close(fd);
	if (rc < 0)
		unlink(tmp.ptr);
	adr_buf_dispose(&tmp);
	return rc;
}

int adr__mkdirs(const char *dir, mode_t mode)
{
	adr_buf b = ADR_BUF_INIT;
	int rc = 0;
	if (!*dir)
		return 0;
	if (adr_buf_puts(&b, dir) < 0)
		return ADR_ENOMEM;
	for (char *p = b.ptr + 1;; p++) {
		if (*p == '/' || !*p) {
			char c = *p;
			*p = '\0';
			if (mkdir(b.ptr, mode) < 0 && errno != EEXIST) {
				rc = adr__error_os("cannot create '%s'", b.ptr);
				break;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	adr_buf_dispose(&b);
	return rc;
}

int adr__fsync_fd(int fd, const char *path)
{
	while (fsync(fd) < 0) {
		if (errno == EINTR)
			continue;
		/* A file system that cannot sync this kind of file has nothing to do. */
		if (errno == EINVAL || errno == ENOTSUP)
			return 0;
		return adr__error_os("cannot sync '%s' to disk", path);
	}
	return 0;
}

int adr__fsync_path(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW), rc;

	if (fd < 0)
		return adr__error_os("cannot open '%s' to sync it", path);
	rc = adr__fsync_fd(fd, path);
	close(fd);
	return rc;
}

int adr__fsync_parent(const char *path)
{
	adr_buf dir = ADR_BUF_INIT;
	const char *slash = strrchr(path, '/');
	int rc;

	if (!slash)
		adr_buf_puts(&dir, ".");
	else if (slash == path)
		adr_buf_puts(&dir, "/");
	else
		adr_buf_put(&dir, path, (size_t)(slash - path));
	if (adr_buf_oom(&dir))
		return ADR_ENOMEM;
	rc = adr__fsync_path(dir.ptr);
	adr_buf_dispose(&dir);
	return rc;
}


bool adr__pid_gone(const char *digits)
{
	char *end;
	long pid;

	if (*digits < '0' || *digits > '9')
		return false;
	errno = 0;
	pid = strtol(digits, &end, 10);
	return !*end && !errno && pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) < 0 && errno == ESRCH;
}
