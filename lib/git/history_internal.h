/* Library-internal: what changed in the records directory between two commits. */
#ifndef ADR_HISTORY_INTERNAL_H
#define ADR_HISTORY_INTERNAL_H

#include "adr/repo.h"

typedef struct {
	char *path;        /* "<records dir>/<name>" */
	char blob[41];     /* the new blob, "" when deleted */
} adr__dir_change;

typedef struct {
	adr__dir_change *items;
	size_t count;
} adr__dir_changes;

/*
 * The Markdown regular files added, modified or deleted in the records
 * directory from commit `from` (NULL or "": nothing) to commit `to` (NULL
 * or "": nothing), both full ids. Unchanged entries cost next to nothing.
 */
int adr__records_dir_changes(adr__dir_changes *out, adr_repo *repo, const char *from, const char *to);
void adr__dir_changes_clear(adr__dir_changes *c);

#endif
