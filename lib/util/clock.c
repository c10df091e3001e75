/* util/clock.c: adr_now() and adr_today() (adr/clock.h). */
#define _GNU_SOURCE
#include "adr/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long long parse_now(const char *s)
{
	struct tm tm;
	int y, mo, d, h = 12, mi = 0, sec = 0;
	char *end;

	if (s[0] == '@') {
		long long v = strtoll(s + 1, &end, 10);
		return *end == '\0' || *end == ' ' ? v : -1;
	}
	if (sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) < 3)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (long long)timegm(&tm);
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

void adr_today(char buf[11])
{
	time_t t = (time_t)adr_now();
	struct tm tm;
	if (getenv("ADR_NOW"))
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}
