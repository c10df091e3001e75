/*
 * adr.h: libadr, decision records that live in Git.
 *
 * Ownership, for the whole API: what a function hands out through an
 * out-parameter belongs to the caller, who frees it with the matching
 * `_free` or `_dispose`; `const` pointers are borrowed. Every `_free`
 * accepts NULL. Functions return 0 or a negative ADR_E* code, and
 * adr_error_last() tells what went wrong. The library never prints and
 * never exits.
 */
#ifndef ADR_H
#define ADR_H

#include "adr/common.h"
#include "adr/record.h"
#include "adr/repo.h"
#include "adr/commit.h"
#include "adr/ops.h"
#include "adr/proposal.h"
#include "adr/text.h"
#include "adr/history.h"
#include "adr/index.h"
#include "adr/stats.h"
#include "adr/hooks.h"
#include "adr/links.h"
#include "adr/html.h"
#include "adr/import.h"
#include "adr/check.h"
#include "adr/renumber.h"
#include "adr/sync.h"
#include "adr/toc.h"
#include "adr/clock.h"
#include "adr/templates.h"
#include "adr/meeting.h"
#include "adr/queue.h"
#include "adr/nextsteps.h"
#include "adr/why.h"
#include "adr/capture.h"
#include "adr/diff.h"
#include "adr/trailers.h"
#include "adr/revisit.h"

#endif
