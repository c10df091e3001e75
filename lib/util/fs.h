/*
 * util/fs.h: the file-system operations the library does in more than one
 * place, each written once: read a whole file with a size cap, write a file
 * atomically (temporary file, then rename), create a directory and its
 * parents, and sync to disk (durable mode). Every failure sets the error
 * with the path and strerror(errno).
 */
#ifndef ADR_UTIL_FS_H
#define ADR_UTIL_FS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "adr/common.h"

enum {
	ADR_FS_NOFOLLOW = 1 << 0, /* refuse a symbolic link (open with O_NOFOLLOW) */
	ADR_FS_DURABLE = 1 << 1   /* sync the file, then its directory, before returning */
};

/*
 * Appends the whole of `path` to `out`. Fails with ADR_EINVALID ("PATH:
 * larger than MAX bytes") when it holds more than `max` bytes, ADR_ENOTFOUND
 * when it does not exist, ADR_EOS on any other failure.
 */
int adr__file_read(adr_buf *out, const char *path, size_t max, unsigned flags);
/* The same for an open descriptor (not closed); `name` is for messages. */
int adr__fd_read(adr_buf *out, int fd, const char *name, size_t max);
/* write(2) until all of `len` is written, retried on EINTR. */
int adr__fd_write_all(int fd, const void *data, size_t len, const char *name);

/*
 * Replaces `path` with `data` through "PATH.adr-tmp-PID" in the same
 * directory and rename(2), so a reader sees the old file or the new one,
 * never a part. `mode` is the new file's (e.g. 0644, 0755); the temporary
 * file is removed on failure. ADR_FS_DURABLE syncs file and directory.
 */
int adr__file_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
			   unsigned flags);

/*
 * Whether `digits` (all of it) is the number of a process that is gone (not
 * this one): the writer of a temporary file "X.adr-tmp-<pid>" that was
 * killed, whose file may then be removed. False for anything else.
 */
bool adr__pid_gone(const char *digits);

/* mkdir -p: creates `dir` and its missing parents with `mode`. */
int adr__mkdirs(const char *dir, mode_t mode);

/* fsync(fd), retried on EINTR; a file system that cannot sync is not an error. */
int adr__fsync_fd(int fd, const char *path);
/* Opens path (a file or a directory) read-only and syncs it. */
int adr__fsync_path(const char *path);
/* Syncs the directory that holds path: after creating or renaming it there. */
int adr__fsync_parent(const char *path);

#endif
