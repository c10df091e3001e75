/* util/date.h: calendar fields to time, for the two date readers (ADR_NOW in
 * util/clock.c, GIT_*_DATE in git/signature.c). */
#ifndef ADR_UTIL_DATE_H
#define ADR_UTIL_DATE_H

/* Seconds since the epoch of y-mo-d h:mi:s in UTC (timegm(3)). */
long long adr__utc_seconds(int y, int mo, int d, int h, int mi, int s);

/*
 * The one reader of periods: `spec` "N<unit>" (N at least 1, the unit one of
 * `units`: h hours, d days, w weeks, m months, y years) counted from now
 * (adr_now(), dates as adr_today()), the date it ends into out[11]. A month
 * or a year keeps the day of the month, or takes the month's last day
 * (2026-11-30 + 3m = 2027-02-28). At most ten years. -1 (no error set) when
 * `spec` is not such a period; the caller says what it expected.
 */
int adr__period_end(char out[11], const char *spec, const char *units);

#endif
