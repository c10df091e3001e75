/*
 * git/reccache.h: the cache of parsed records, so that a command reading
 * every record of a tree parses only the blobs it has not seen before.
 *
 * It is one file, <git common dir>/adr/records.cache, that maps (blob id,
 * path, parse flags) to the record adr_record_parse made of that blob at
 * that path (record/pack.h keeps every field, warnings and front matter
 * entries included), or to the message it failed with (lenient parsing).
 * A record depends on nothing else: not on the repository's settings, nor
 * on the commit. The file names the build that wrote it (version, and the
 * running executable), the repository (its common dir) and a checksum of
 * its contents; a file that does not match, or that is short, garbled or
 * unreadable, is not used and is replaced by the next command that parses
 * a record. Writing is a temporary file renamed into place; a cache that
 * cannot be written is simply not written. Nothing here ever fails a
 * command (except running out of memory).
 *
 * It also lists the last records directory tree read (names, modes, blob
 * ids), which costs more to read from a pack than the rest.
 *
 * A tree read for the first time, with no cache in use, gets only its
 * listing written: its records are kept when it is read again, so that a
 * command run once (a fresh clone, CI) does not pay for writing them.
 *
 * Size: a write keeps the entries this command used or parsed, then, most
 * recently used first, as many older ones as to reach twice that plus
 * 1,024, so records of other branches stay a while and then go.
 */
#ifndef ADR_GIT_RECCACHE_H
#define ADR_GIT_RECCACHE_H

#include <stdint.h>

#include "git/records_read.h"

typedef struct adr__reccache adr__reccache;

/* The cache of `repo` (empty when there is none or it cannot be used).
 * Returns 0 or ADR_ENOMEM. */
int adr__reccache_open(adr__reccache **out, adr_repo *repo);

/* Fills the jobs without a record or error that the cache knows for
 * `flags`. Returns 0 or ADR_ENOMEM. */
int adr__reccache_fill(adr__reccache *c, adr__record_job *jobs, size_t n, unsigned flags);

/*
 * After adr__records_read_jobs: adds the jobs that fill left empty (now
 * parsed) and, when there are any, writes the cache. Returns 0 or
 * ADR_ENOMEM; a cache that cannot be written is left as it was.
 */
int adr__reccache_save(adr__reccache *c, const adr__record_job *jobs, size_t n, unsigned flags);

/* One entry of a records directory's tree. */
typedef struct {
	const char *name;
	unsigned mode;      /* git_filemode_t */
	const git_oid *id;
} adr__reccache_entry;

/* The entries of the records directory tree `id` (borrowed from `c`) when
 * the cache lists that tree; else NULL (and *n = 0). */
const adr__reccache_entry *adr__reccache_tree(adr__reccache *c, const git_oid *id, size_t *n);

/* Lists tree `id` (its `n` entries, copied) in the cache at the next save,
 * which then writes it. Returns 0 or ADR_ENOMEM. */
int adr__reccache_set_tree(adr__reccache *c, const git_oid *id, const adr__reccache_entry *e, size_t n);

void adr__reccache_free(adr__reccache *c);

/*
 * (git/records.c) Appends to `out` the names of the entries of the records
 * directory tree `id` for which keep(name, mode, payload) is true: from the
 * cache's listing when it has that tree, else from git. Returns 0,
 * ADR_ENOMEM, or why the tree cannot be read.
 */
int adr__records_dir_names(adr_strlist *out, adr_repo *repo, const git_oid *id,
			   bool (*keep)(const char *name, unsigned mode, void *payload), void *payload);

/* (git/records.c) Whether the subtree `id`, entry `name` of the records
 * directory, is a record kept as a folder: 1 with "<dir>/<name>/index.md"
 * (or README.md) in `out` and its blob in `blob` (unless NULL), 0 when not
 * (or unreadable), or ADR_ENOMEM. */
int adr__records_folder(adr_buf *out, git_oid *blob, adr_repo *repo, const char *name, const git_oid *id);

/* Which build of adr this is, for the caches of derived data: its version
 * and, where /proc tells, the executable file (a rebuilt binary may read
 * differently). */
uint64_t adr__cache_build_id(void);

#endif
