/*
 * adr/diff.h: the difference of the decision log between two revisions.
 *
 * adr_diff_revs() lists the records added, changed (with the names of the
 * fields that changed), superseded, deprecated and removed between two
 * revisions, matched by number.
 *
 * Ownership: an adr_diff owns what it holds; free it with adr_diff_dispose().
 */
#ifndef ADR_DIFF_H
#define ADR_DIFF_H

#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	ADR_DIFF_ADDED,
	ADR_DIFF_CHANGED,
	ADR_DIFF_SUPERSEDED,
	ADR_DIFF_DEPRECATED,
	ADR_DIFF_REMOVED
} adr_diff_kind;

typedef struct {
	adr_diff_kind kind;
	int number;
	char *title;
	char *path;
	char status[16];
	adr_strlist fields;  /* changed fields (ADR_DIFF_CHANGED, _SUPERSEDED, _DEPRECATED) */
} adr_diff_item;

typedef struct {
	adr_diff_item *items;
	size_t count;
	char from[41], to[41];
} adr_diff;
#define ADR_DIFF_INIT { 0 }

const char *adr_diff_kind_name(adr_diff_kind k);
/* Compares the records of two revisions; items sorted by number. */
int adr_diff_revs(adr_diff *out, adr_repo *repo, const char *from, const char *to);
/* The same as `audience` sees the log (adr/html.h: a record's visibility, else
 * the .adr.yaml default, else internal): records it may not see are left out
 * of both revisions, so a record made visible to it shows as added.
 * ADR_VISIBILITY_NONE: internal (everything), as adr_diff_revs(). */
int adr_diff_revs_for(adr_diff *out, adr_repo *repo, const char *from, const char *to, adr_visibility audience);
void adr_diff_dispose(adr_diff *d);

#ifdef __cplusplus
}
#endif
#endif
