/*
 * log/index_site.h: the one read the static site (lib/site) makes of the
 * search index: the history facts of every record, so a build need not
 * walk the branch again when the index already did (log/index_site.c).
 *
 * Ownership: the entries belong to the adr__site_history, freed with
 * adr__site_history_dispose().
 */
#ifndef ADR_INDEX_SITE_H
#define ADR_INDEX_SITE_H

#include "adr/history.h"
#include "adr/repo.h"

typedef struct {
	adr_history_entry **items;  /* sorted by path */
	size_t count;
} adr__site_history;

#define ADR_SITE_HISTORY_INIT { NULL, 0 }

/*
 * The history facts the index holds for commit `tip` (a full id) into
 * `out`, when an index exists and, once brought up to date, was built for
 * that very commit (the decision branch's tip). Only the facts a page
 * shows are read (not the lists of authors and commits). ADR_ENOTFOUND
 * when the index cannot answer for `tip` (none yet, another commit, not
 * readable): the caller walks the history itself.
 */
int adr__site_history_load(adr__site_history *out, adr_repo *repo, const char *tip);
/* The entry of `path`, or NULL. */
const adr_history_entry *adr__site_history_get(const adr__site_history *h, const char *path);
void adr__site_history_dispose(adr__site_history *h);

#endif
