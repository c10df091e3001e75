/*
 * git/walk.h: the one revision walk of the library.
 *
 * Every reader of the history (the record history, a proposal's thread,
 * the commits linked to decisions, renumber's first appearances) walks
 * through here: libgit2's revwalk in topological and time order, or, in a
 * shallow clone when the caller asks for it, a walk of its own that stops
 * at the clone's boundary (libgit2 1.5's revwalk fails there: it insists on
 * parsing the missing parents).
 */
#ifndef ADR_GIT_WALK_H
#define ADR_GIT_WALK_H

#include "git/oidmap.h"
#include "git/repo_internal.h"

/* Called once per commit (borrowed until it returns): 0 to go on, > 0 to
 * stop the walk (which then returns 0), < 0 an error the walk returns. */
typedef int (*adr__walk_fn)(git_commit *c, void *payload);

typedef struct {
	const git_oid *from;        /* a commit to walk from, or NULL */
	const char *from_refs[2];   /* refs to walk from ("HEAD" too), or NULL; an unborn
				     * or missing one is skipped */
	const git_oid *hide;        /* leave out what is reachable from it (NULL: nothing) */
	bool oldest_first;          /* parents before children; else children first */
	bool stop_at_shallow;       /* a walk from `from` in a shallow clone stops at its
				     * boundary instead of failing */
	const adr__oidmap *shallow; /* with stop_at_shallow: the boundary commits (NULL: read them) */
	git_odb *odb;               /* with stop_at_shallow: the object database (borrowed) */
	const char *what;           /* messages say "cannot walk <what>" */
} adr__walk_opts;

/*
 * Calls `fn` for each commit reachable from the starting points and not
 * from `hide`. Errors: "cannot walk <what>" (or "cannot walk <ref>" for a
 * ref that cannot be walked from), "cannot read commit <id>", and in a
 * shallow clone walked without stop_at_shallow the advice to unshallow.
 */
int adr__walk(adr_repo *repo, const adr__walk_opts *opts, adr__walk_fn fn, void *payload);

/* Reads the shallow boundary commits (<commondir>/shallow, if any) into `out`. */
int adr__shallow_read(adr__oidmap *out, adr_repo *repo);

#endif
