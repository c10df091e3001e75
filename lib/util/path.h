/*
 * util/path.h: repository-relative paths that every OS can check out.
 */
#ifndef ADR_PATH_H
#define ADR_PATH_H

#include "adr/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Checks a repository-relative path: no empty, ".", ".." or ".git" component,
 * no backslash, no character or name that Windows or macOS cannot check out.
 * 0, or ADR_EINVALID with a message naming the path. */
int adr__path_validate(const char *path);

/* The last component of `path` (after its last '/'), inside `path`. */
const char *adr__path_base(const char *path);

#ifdef __cplusplus
}
#endif
#endif
