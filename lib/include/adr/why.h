/*
 * adr/why.h: which decisions govern a path.
 *
 * A decision governs a path when one of its `affects:` globs matches the
 * path (see adr__glob_match in lib/util/glob.h: a directory glob covers what is
 * below it), or when a commit linked to it (adr/links.h: a `Refs:` trailer,
 * adr's own `Adr-Commit:` links) changed the path or something below it.
 *
 * Ownership: adr_why() hands out a result the caller frees with
 * adr_why_result_free() (NULL-safe). Everything in an item points into the
 * result and lives as long as it.
 */
#ifndef ADR_WHY_H
#define ADR_WHY_H

#include "adr/common.h"
#include "adr/repo.h"
#include "adr/links.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	unsigned version;
	/* The directory a relative path is taken from (NULL: the current
	 * directory). */
	const char *cwd;
} adr_why_opts;
#define ADR_WHY_OPTS_VERSION 1
#define ADR_WHY_OPTS_INIT { ADR_WHY_OPTS_VERSION, NULL }

/* One decision that governs the path. */
typedef struct {
	const adr_record *record;     /* in result->records */
	const char **globs;           /* its affects: globs that match the path */
	size_t nglobs;
	const adr_commit_link **commits; /* its linked commits that changed the path, newest first */
	size_t ncommits;
} adr_why_item;

typedef struct {
	/* The path relative to the top of the work tree, "." and ".." resolved. */
	char *path;
	/* Every record read: records that cannot be read are in
	 * records.errors, files that are not records in records.skipped. */
	adr_recordset records;
	/* Every commit link of the decision branch and HEAD. */
	adr_commit_links links;
	/* References by commits that changed the path that are attributed to
	 * no record (adr_commit_ref_problem messages), for the caller to warn. */
	adr_strlist warnings;
	/* The decisions that govern the path, in record order. */
	adr_why_item *items;
	size_t count;
} adr_why_result;

/*
 * The decisions that govern `path` (relative to opts->cwd, or absolute),
 * which must name something inside the work tree (not its top). Records
 * that cannot be read are left out and listed in result->records.errors.
 * `opts` may be NULL.
 */
int adr_why(adr_why_result **out, adr_repo *repo, const char *path, const adr_why_opts *opts);
void adr_why_result_free(adr_why_result *res);

#ifdef __cplusplus
}
#endif
#endif
