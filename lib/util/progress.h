/*
 * util/progress.h: reporting progress of long work to the caller's
 * adr_progress_fn (adr/common.h), when it gave one. The library never
 * prints; the caller decides whether and how to show it.
 */
#ifndef ADR_UTIL_PROGRESS_H
#define ADR_UTIL_PROGRESS_H

#include "adr/common.h"

static inline void adr__progress(adr_progress_fn fn, void *payload, const char *what, size_t done, size_t total)
{
	if (fn)
		fn(what, done, total, payload);
}

#endif
