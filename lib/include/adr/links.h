/*
 * adr/links.h: commits linked to decisions.
 *
 * A commit is linked to record N in two durable ways, both plain git:
 *
 *   - its own message carries the trailer `Refs: ADR-N` (the trailer name
 *     is `hooks.trailer` in .adr.yaml, default "Refs"; several records may
 *     be named, separated by commas or spaces);
 *   - a commit adr made on the decision branch carries `Adr-Record: N` and
 *     `Adr-Commit: <id>` (written by the post-commit hook when a decision is
 *     recorded for, or linked to, a code commit that itself stays unchanged).
 *
 * adr_links_walk() finds both in one revision walk over the decision branch
 * and HEAD (the library's one walk, lib/git/walk.c).
 *
 * Ownership: adr_commit_links owns its entries; adr_commit_links_dispose()
 * frees them.
 */
#ifndef ADR_LINKS_H
#define ADR_LINKS_H

#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int record;            /* the record number */
	char commit[41];       /* the linked (code) commit */
	char *subject;         /* its subject ("" when the object is missing) */
	char *author;          /* "Name <email>" ("" when missing) */
	long long time;        /* author time, seconds since the epoch (0 when missing) */
	int offset;            /* author time zone, minutes east of UTC */
	const char *via;       /* "trailer" (Refs: on the commit) or "adr" (Adr-Commit: on a record commit) */
} adr_commit_link;

typedef struct {
	adr_commit_link *items;
	size_t count;
	size_t alloc;
} adr_commit_links;
#define ADR_COMMIT_LINKS_INIT { NULL, 0, 0 }

/* Every link found in the history of the decision branch and HEAD, newest
 * commit first; one entry per (record, commit). */
int adr_links_walk(adr_commit_links *out, adr_repo *repo);
void adr_commit_links_dispose(adr_commit_links *l);

/* The author date of a link as ISO 8601 with its offset: 2026-11-21T10:00:00+01:00. */
void adr_commit_link_date(char buf[48], const adr_commit_link *l);

/* True when `commit` changed `path` (or a path below it) against its first
 * parent (against nothing for a root commit). */
int adr_commit_touches(bool *out, adr_repo *repo, const char *commit, const char *path);

#ifdef __cplusplus
}
#endif
#endif
