/*
 * adr/clock.h: the one clock every date stamp reads.
 *
 * ADR_NOW (an ISO date "2026-12-06", a date-time "2026-12-06T09:30:00" in
 * UTC, or "@epoch") fixes "now" for tests and reproducible builds; unset,
 * it is the system clock. Nothing else in the library reads the time.
 */
#ifndef ADR_CLOCK_H
#define ADR_CLOCK_H

#ifdef __cplusplus
extern "C" {
#endif

/* Seconds since the epoch: ADR_NOW when set and valid, else time(NULL). */
long long adr_now(void);
/* Today's date as YYYY-MM-DD into buf[11]: in UTC when ADR_NOW is set,
 * else in local time. */
void adr_today(char buf[11]);
/* The date of the moment `t` (seconds since the epoch) by the same rule:
 * UTC when ADR_NOW is set, else local time. */
void adr_date_at(char out[11], long long t);
/* The offset from UTC, in minutes east, of the moment `t` by the same rule
 * (0 when ADR_NOW is set): what a commit made now records. */
int adr_utc_offset_at(long long t);

#ifdef __cplusplus
}
#endif
#endif
