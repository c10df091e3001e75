/*
 * git/oidmap.h: a small open-addressing map from object id to object id,
 * for the history walks (git/walk.c, git/history.c): seen sets, shallow
 * boundaries, a commit's records-directory tree.
 *
 * Ownership: the map owns its slots; adr__oidmap_free() frees them. An
 * all-zero adr__oidmap is an empty map.
 */
#ifndef ADR_GIT_OIDMAP_H
#define ADR_GIT_OIDMAP_H

#include <stdbool.h>
#include <stddef.h>

#include <git2.h>

typedef struct {
	git_oid key, val;
	bool used;
} adr__oid_slot;

typedef struct {
	adr__oid_slot *slots;
	size_t cap, count;
} adr__oidmap;

/* The value for `key`, or NULL. */
const git_oid *adr__oidmap_get(const adr__oidmap *m, const git_oid *key);
/* Sets `key` to `val` (0, or ADR_ENOMEM with the error set). */
int adr__oidmap_put(adr__oidmap *m, const git_oid *key, const git_oid *val);
void adr__oidmap_free(adr__oidmap *m);

#endif
