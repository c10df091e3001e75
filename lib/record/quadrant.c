/* record/quadrant.c: the urgency x complexity quadrant (record/quadrant.h). */
#include "record/quadrant.h"

adr__quadrant adr__quadrant_of(adr_level urgency, adr_level complexity)
{
	bool urgent = urgency == ADR_LEVEL_HIGH, complex = complexity == ADR_LEVEL_HIGH;

	if (urgency == ADR_LEVEL_NONE && complexity == ADR_LEVEL_NONE)
		return ADR__QUADRANT_UNSET;
	/* One axis given: the other counts as low. */
	return urgent ? (complex ? ADR__QUADRANT_URGENT_COMPLEX : ADR__QUADRANT_URGENT_SIMPLE)
		      : (complex ? ADR__QUADRANT_CALM_COMPLEX : ADR__QUADRANT_CALM_SIMPLE);
}

const char *adr__quadrant_name(adr__quadrant q)
{
	switch (q) {
	case ADR__QUADRANT_URGENT_COMPLEX:
		return "urgent+complex";
	case ADR__QUADRANT_URGENT_SIMPLE:
		return "urgent+simple";
	case ADR__QUADRANT_CALM_COMPLEX:
		return "calm+complex";
	case ADR__QUADRANT_CALM_SIMPLE:
		return "calm+simple";
	case ADR__QUADRANT_UNSET:
		break;
	}
	return "unset";
}

const char *adr__quadrant_key(adr__quadrant q)
{
	switch (q) {
	case ADR__QUADRANT_URGENT_COMPLEX:
		return "urgent-complex";
	case ADR__QUADRANT_URGENT_SIMPLE:
		return "urgent-simple";
	case ADR__QUADRANT_CALM_COMPLEX:
		return "calm-complex";
	case ADR__QUADRANT_CALM_SIMPLE:
	case ADR__QUADRANT_UNSET:
		break;
	}
	return "calm-simple";
}

/* DESIGN.md: urgent + complex is decided in a meeting; the rest in writing
 * (calm + complex with a deadline; simple ones with a short one, or as a
 * plain record). */
adr_mode adr_quadrant_mode(adr_level urgency, adr_level complexity)
{
	adr__quadrant q = adr__quadrant_of(urgency, complexity);
	if (q == ADR__QUADRANT_UNSET)
		return ADR_MODE_NONE;
	return q == ADR__QUADRANT_URGENT_COMPLEX ? ADR_MODE_SYNC : ADR_MODE_ASYNC;
}

const char *adr_quadrant_name(adr_level urgency, adr_level complexity)
{
	return adr__quadrant_name(adr__quadrant_of(urgency, complexity));
}
