/* util/clock.c: adr_now(), adr_today() and adr_date_at() (adr/clock.h), and the
 * one reader of periods, adr__period_end() (util/date.h). */
#define _GNU_SOURCE
#include "adr/clock.h"

#include <stdbool.h>
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

static bool leap_year(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int adr__period_end(char out[11], const char *spec, const char *units)
{
	static const int mdays[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	char today[11];
	char *end;
	long long n;
	int y, mo, d, last;

	if (!spec || *spec < '0' || *spec > '9')
		return -1;
	n = strtoll(spec, &end, 10);
	if (n <= 0 || !end[0] || end[1] || !strchr(units, end[0]))
		return -1;
	switch (end[0]) {
	case 'h':
		if (n > 3650LL * 24)
			return -1;
		adr_date_at(out, adr_now() + n * 3600);
		return 0;
	case 'd':
	case 'w':
		if (n > (end[0] == 'd' ? 3650 : 521))
			return -1;
		n *= end[0] == 'w' ? 7 : 1;
		adr_today(today);
		if (sscanf(today, "%d-%d-%d", &y, &mo, &d) != 3)
			return -1;
		{ /* calendar days from today's date (noon UTC: no time zone moves it) */
			time_t t = (time_t)(adr__utc_seconds(y, mo, d, 12, 0, 0) + n * 86400);
			struct tm tm;
			gmtime_r(&t, &tm);
			strftime(out, 11, "%Y-%m-%d", &tm);
		}
		return 0;
	case 'm':
	case 'y':
		if (n > (end[0] == 'm' ? 120 : 10))
			return -1;
		n *= end[0] == 'y' ? 12 : 1;
		adr_today(today);
		if (sscanf(today, "%d-%d-%d", &y, &mo, &d) != 3)
			return -1;
		mo += (int)n;
		y += (mo - 1) / 12;
		mo = (mo - 1) % 12 + 1;
		last = mdays[mo - 1] + (mo == 2 && leap_year(y));
		{
			char tmp[40];
			snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, mo, d < last ? d : last);
			if (strlen(tmp) != 10)
				return -1;
			memcpy(out, tmp, 11);
		}
		return 0;
	}
	return -1;
}
