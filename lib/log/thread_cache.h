/*
 * log/thread_cache.h: a persistent cache of decided proposals' threads, as
 * adr_thread_read_merge() gives them, for the static site (lib/site).
 *
 * That thread is a function of the decision merge commit alone (its
 * message, its parents' history, the records directory the proposal's
 * record lives in), so it is kept, serialized, in <commondir>/adr/threads
 * keyed by the merge commit id, under a header naming the format version
 * and the records directory. The file is read once when the cache is
 * opened and written (temporary file, then rename) when it is closed, if
 * new threads were read. A cache that is missing, truncated, garbage, of
 * another version or directory, or cannot be written is simply not used:
 * every answer is the one adr_thread_read_merge() gives.
 *
 * Ownership: the cache is freed by adr__thread_cache_close().
 */
#ifndef ADR_LOG_THREAD_CACHE_H
#define ADR_LOG_THREAD_CACHE_H

#include "adr/proposal.h"
#include "adr/repo.h"

typedef struct adr__thread_cache adr__thread_cache;

/* The cache of `repo`, loaded; NULL (with no error) when memory runs out:
 * every call below takes NULL for "no cache". */
adr__thread_cache *adr__thread_cache_open(adr_repo *repo);

/* adr_thread_read_merge() through the cache: the same answer, the same
 * errors (a failed read is not cached). */
int adr__thread_read_merge_cached(adr_thread *out, adr__thread_cache *c, adr_repo *repo,
				  const char *merge_commit);

/* Writes the cache back when it learned something, then frees it. Never
 * fails: a cache that cannot be written is not kept. */
void adr__thread_cache_close(adr__thread_cache *c);

/* Exposed for tests: the serialized form of `t` appended to `out`, and
 * back (ADR_EINVALID, no error message set, when `data` is not one). */
int adr__thread_serialize(adr_buf *out, const adr_thread *t);
int adr__thread_deserialize(adr_thread *out, const char *data, size_t len);

#endif
