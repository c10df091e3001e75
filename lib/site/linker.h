/*
 * site/linker.h: puts the files a site build keeps from the previous site
 * into the new one, on a thread of its own.
 *
 * Keeping a file is a hard link from the previous site's directory into
 * the new one. A rebuild at 10,000 records keeps 20,000 files, and making
 * these links one after the other was a fifth of its time: the linker
 * makes them while the build goes on rendering. A link that cannot be made
 * (a file system without hard links, a file linked too often) is a copy of
 * the file's bytes. A job may carry the bytes the file should hold and the
 * page cache's entry for it: when the file is no longer as the entry says
 * (edited since), those bytes are written instead.
 *
 * Failures are not reported as they happen (the thread sets no error
 * message): adr__linker_finish() gives the first.
 */
#ifndef ADR_SITE_LINKER_H
#define ADR_SITE_LINKER_H

#include <stdbool.h>
#include <stddef.h>

#include "site/pagecache.h"

typedef struct {
	int from, to;       /* the previous site's directory, the new one's */
	const char *base;   /* the file's name in them (borrowed) */
	const char *name;   /* its name in the site, for messages (borrowed) */
	const adr__page_entry *check; /* NULL, or: the file must still be as this says */
	char *data;         /* with `check`: the bytes to write when it is not (owned) */
	size_t len;
} adr__link_job;

typedef struct adr__linker adr__linker;

/* Starts the thread; NULL (no error set) when it cannot be started. */
adr__linker *adr__linker_start(void);
/* Hands `j` (its data included) to the thread: 0, or ADR_ENOMEM when it
 * could not be queued (`j` is then still the caller's). */
int adr__linker_add(adr__linker *l, adr__link_job *j);
/* Waits for every job, frees `l`: 0, or the errno of the first job that
 * failed and its name in *name; *rewritten counts jobs whose bytes were
 * written because the file was not as their entry said. */
int adr__linker_finish(adr__linker *l, const char **name, size_t *rewritten);

/* Does `j` here (its data stays the caller's): 0 or an errno; *rewritten
 * as above. */
int adr__link_job_run(const adr__link_job *j, bool *rewritten);

#endif
