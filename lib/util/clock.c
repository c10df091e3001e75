/* util/clock.c: adr_now(), adr_today() and adr_date_at() (adr/clock.h). */
#define _GNU_SOURCE
#include "adr/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"

long long adr__utc_seconds(int y, int mo, int d, int h, int mi, int s)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = s;
	return (long long)timegm(&tm);
}

static long long parse_now(const char *s)
{
	int y, mo, d, h = 12, mi = 0, sec = 0;
	char *end;

	if (s[0] == '@') {
		long long v = strtoll(s + 1, &end, 10);
		return *end == '\0' || *end == ' ' ? v : -1;
	}
	if (sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) < 3)
		return -1;
	return adr__utc_seconds(y, mo, d, h, mi, sec);
}

long long adr_now(void)
{
	const char *env = getenv("ADR_NOW");
	if (env && *env) {
		long long v = parse_now(env);
		if (v >= 0)
			return v;
	}
	return (long long)time(NULL);
}

void adr_date_at(char out[11], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (getenv("ADR_NOW"))
		gmtime_r(&tt, &tm);
	else
		localtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

void adr_today(char buf[11])
{
	adr_date_at(buf, adr_now());
}

int adr_utc_offset_at(long long t)
{
	time_t tt = (time_t)t;
	struct tm lt;
	if (getenv("ADR_NOW"))
		return 0;
	localtime_r(&tt, &lt);
	return (int)(lt.tm_gmtoff / 60);
}
