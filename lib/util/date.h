/* util/date.h: calendar fields to time, for the two date readers (ADR_NOW in
 * util/clock.c, GIT_*_DATE in git/signature.c). */
#ifndef ADR_UTIL_DATE_H
#define ADR_UTIL_DATE_H

/* Seconds since the epoch of y-mo-d h:mi:s in UTC (timegm(3)). */
long long adr__utc_seconds(int y, int mo, int d, int h, int mi, int s);

#endif
