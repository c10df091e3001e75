/*
 * log/links_cache.h: the last answer of adr_links_walk_rev, kept in
 * <git common dir>/adr/links.cache, so that `show` and `why` need not read
 * every commit of the history again while nothing moved.
 *
 * The answer is a function of the commits the walk starts from (the
 * decision branch, HEAD, the revision asked for), the trailer name, the
 * branch and records directory, the shallow boundary, and the build: all
 * of that is the key. An answer in which a linked commit was missing (it
 * may be fetched later) is not kept. A file whose key, repository or
 * checksum does not match is not used; one that cannot be written is not
 * written.
 */
#ifndef ADR_LOG_LINKS_CACHE_H
#define ADR_LOG_LINKS_CACHE_H

#include "adr/links.h"

/* The key for a walk of `rev` (NULL: the decision branch) into `key`;
 * left empty when the walk's starts cannot be resolved (the walk then
 * says why). Returns 0 or ADR_ENOMEM. */
int adr__links_cache_key(adr_buf *key, adr_repo *repo, const char *rev);

/* Whichever answer is kept, whatever its key: into `out` (empty) and its
 * key into `key`. 1 when there was one, 0 when not, or ADR_ENOMEM. */
int adr__links_cache_get_last(adr_commit_links *out, adr_buf *key, adr_repo *repo);

/* Keeps `l` as the answer for `key` (when it may be kept). Returns 0 or
 * ADR_ENOMEM. */
int adr__links_cache_put(adr_repo *repo, const char *key, const adr_commit_links *l);

#endif
