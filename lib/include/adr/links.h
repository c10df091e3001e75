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
 * References survive renumbering. A number N named by commit C means the
 * record that was N in C's own tree (for `Adr-Record:` that is adr's
 * commit on the decision branch; for a commit whose tree has no records
 * directory, its nearest first-parent ancestor that has one), identified
 * by its file name after the number (its slug: 0014-use-pnpm.md ->
 * use-pnpm). adr's renumbering writes each move into its commit as
 * `Adr-Renumber: 0014 -> 0016 use-pnpm` (one trailer per record); the
 * reference follows those moves, oldest first, to the record's current
 * number. When no move matches, a current record with the same slug and
 * no other is taken (a renumbering done by hand). A number that no
 * renumbering ever involved, and that one current record carries, is that
 * record (no tree is read for it: the common case costs nothing); so a
 * file renumbered by hand with plain git (no `Adr-Renumber:`) is followed
 * only when its old or new number also took part in a renumbering adr
 * recorded, or is carried by two current records. Anything that changes
 * a record's number must write the trailer (adr renumber and adr sync do).
 *
 * A reference that cannot be attributed (its record no longer exists, the
 * commit's tree had two records with the number, the number was moved and
 * the tree does not say which record was meant) is never attached to
 * another record: it is listed in `problems`, with a sentence that says
 * why, for the caller to warn about.
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
	int record;            /* the record's current number */
	char *path;            /* its current path (tells apart two records that share a number) */
	int written;           /* the number as the commit wrote it (another one after a renumber) */
	char commit[41];       /* the linked (code) commit */
	char *subject;         /* its subject ("" when the object is missing) */
	char *author;          /* "Name <email>" ("" when missing) */
	long long time;        /* author time, seconds since the epoch (0 when missing) */
	int offset;            /* author time zone, minutes east of UTC */
	const char *via;       /* "trailer" (Refs: on the commit) or "adr" (Adr-Commit: on a record commit) */
} adr_commit_link;

/* A reference that is attributed to no record. */
typedef struct {
	char commit[41];       /* the linked (code) commit */
	int written;           /* the number it names */
	char *message;         /* "commit <id> refers to ADR-0014 ...: not attributed" */
} adr_commit_ref_problem;

typedef struct {
	adr_commit_link *items;
	size_t count;
	size_t alloc;
	adr_commit_ref_problem *problems;
	size_t nproblems;
	size_t aproblems;
} adr_commit_links;
#define ADR_COMMIT_LINKS_INIT { NULL, 0, 0, NULL, 0, 0 }

/* Every link found in the history of the decision branch and HEAD, newest
 * commit first; one entry per (record, commit). References are attributed
 * to the records of the decision branch tip. */
int adr_links_walk(adr_commit_links *out, adr_repo *repo);
/* The same, attributed to the records of `rev` (NULL: the decision branch
 * tip), whose history is walked too. */
int adr_links_walk_rev(adr_commit_links *out, adr_repo *repo, const char *rev);
/* True when link `l` belongs to record `r` (number, and path when both are known). */
bool adr_commit_link_is(const adr_commit_link *l, const adr_record *r);
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
