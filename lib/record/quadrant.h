/*
 * record/quadrant.h: the urgency x complexity quadrant of a record, the one
 * rule that `adr propose` (its default deadline, log/propose.c) and
 * `adr stats` (its counts by quadrant, log/stats.c) both classify by.
 *
 * The rule: a record with neither axis set has no quadrant (unset); one
 * with only one axis set counts the other as low, so `--urgency high`
 * alone is urgent + simple and `--complexity high` alone is calm + complex.
 */
#ifndef ADR_RECORD_QUADRANT_H
#define ADR_RECORD_QUADRANT_H

#include "adr/record.h"

typedef enum {
	ADR__QUADRANT_UNSET = 0,
	ADR__QUADRANT_CALM_SIMPLE,
	ADR__QUADRANT_CALM_COMPLEX,
	ADR__QUADRANT_URGENT_SIMPLE,
	ADR__QUADRANT_URGENT_COMPLEX
} adr__quadrant;

/* The quadrant of a record whose urgency and complexity are these. */
adr__quadrant adr__quadrant_of(adr_level urgency, adr_level complexity);

/* Its name in `adr stats`: "urgent+complex", "urgent+simple",
 * "calm+complex", "calm+simple" or "unset". */
const char *adr__quadrant_name(adr__quadrant q);

/* Its key under `deadlines:` in .adr.yaml: "urgent-complex", ...,
 * "calm-simple" (also for an unset quadrant, the calm + simple default). */
const char *adr__quadrant_key(adr__quadrant q);

#endif
