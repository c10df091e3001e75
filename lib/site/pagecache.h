/*
 * site/pagecache.h: what the last build of a site directory made each of
 * its files from, so that the next build of the same directory neither
 * renders a record page whose inputs are the same nor reads an unchanged
 * file back to compare it.
 *
 * One file per site directory, <git common dir>/adr/site-<hash of the
 * directory's path>.cache (derived data, like the index: deleting it only
 * makes the next build render every page). For each file of the site:
 *
 *   - its fingerprint: for a record page, a keyed hash (util/siphash.h) of
 *     everything its page is made from (site/pages.c); for any other file,
 *     of its bytes;
 *   - the inode, size and modification time it had once written, so that
 *     a file changed since (edited by hand, replaced, linked elsewhere) is
 *     not taken for the one the build wrote;
 *   - for a record page, what rendering its Markdown gave besides the page
 *     (the words of its search document, whether it was shown as plain
 *     text) and the links and images it asked the site about, in order.
 *
 * And for the build as a whole: the site directory it describes (device
 * and inode: a directory put there by anything else is another site), the
 * build of adr and of cmark-gfm, the templates the record pages loaded,
 * the names they looked up in the site-wide value, and a hash of these
 * templates and values as they were (the "environment": when it differs,
 * no record page is kept).
 *
 * A file that is short, garbled, from another build or for another
 * directory is not used, and nothing here fails a build but running out
 * of memory: a cache that cannot be read or written is simply not used.
 */
#ifndef ADR_SITE_PAGECACHE_H
#define ADR_SITE_PAGECACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

#include "adr/repo.h"
#include "adr/common.h"
#include "util/siphash.h"

enum {
	ADR_PAGE_RECORD = 1u << 0,    /* a record page: fp is of its inputs */
	ADR_PAGE_MD_RAW = 1u << 1,    /* its Markdown was shown as plain text */
	ADR_PAGE_MD_LIMITED = 1u << 2 /* its tables or autolinks were left as text */
};

/* What one file was made from and how it was left. */
typedef struct {
	char *name;          /* "0007-use-postgres.html", "media/ab12.png" */
	uint64_t fp;         /* record pages: of all but the links; else of the bytes */
	uint64_t fp_links;   /* record pages: of what the site said about each link */
	uint64_t ino, size;
	int64_t mtime_s;
	uint32_t mtime_ns;
	unsigned flags;      /* ADR_PAGE_* */
	char *words;         /* record pages: their search words ("" for none) */
	char *links;         /* record pages: link calls, each "0url\0" or "1url\0" (image) */
	size_t links_len;
} adr__page_entry;

typedef struct adr__pagecache adr__pagecache;

/*
 * The cache of the site at `target` (an absolute path) in `repo`; `olddfd`
 * is the previous site there, or -1. Entries are used only when the cache
 * describes that very directory. Returns 0 or ADR_ENOMEM.
 */
int adr__pagecache_open(adr__pagecache **out, adr_repo *repo, const char *target, int olddfd);
void adr__pagecache_free(adr__pagecache *c);

/* The previous build's entry for `name`, or NULL. */
const adr__page_entry *adr__pagecache_find(const adr__pagecache *c, const char *name);
/* Whether the file `base` in `dfd` is still the one `e` describes: a
 * regular file, not linked elsewhere, with the same inode, size and time. */
bool adr__pagecache_file_ok(const adr__page_entry *e, int dfd, const char *base);
/* Fills the stat fields of `e` from `st`. */
void adr__pagecache_set_stat(adr__page_entry *e, const struct stat *st);

/* The keyed hash of this cache (the key is kept in the cache file). */
uint64_t adr__pagecache_hash(const adr__pagecache *c, const void *data, size_t len);

/* The previous build's environment: the templates and site-wide names its
 * record pages used, and the hash of them it computed. */
const adr_strlist *adr__pagecache_old_templates(const adr__pagecache *c);
const adr_strlist *adr__pagecache_old_names(const adr__pagecache *c);
uint64_t adr__pagecache_old_env(const adr__pagecache *c);

/* Records a file of the new site (copied). Returns 0 or ADR_ENOMEM. */
int adr__pagecache_add(adr__pagecache *c, const adr__page_entry *e);
/* Notes a template or a site-wide name the new site's record pages used
 * (kept once each, with those of the previous build). */
int adr__pagecache_use_template(adr__pagecache *c, const char *name);
int adr__pagecache_use_name(adr__pagecache *c, const char *name, size_t len);
/* The templates and names of the new build (the old ones included). */
const adr_strlist *adr__pagecache_new_templates(const adr__pagecache *c);
const adr_strlist *adr__pagecache_new_names(const adr__pagecache *c);

/* Writes the cache of the new site, now in place as `newdfd`, with its
 * environment `env`. A cache that cannot be written is left unwritten. */
void adr__pagecache_save(adr__pagecache *c, int newdfd, uint64_t env);

#endif
