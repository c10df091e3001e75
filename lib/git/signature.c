/*
 * git/signature.c: the author and committer of adr's commits, as git makes
 * them: GIT_{AUTHOR,COMMITTER}_{NAME,EMAIL,DATE}, else user.name and
 * user.email, and the clock (adr/clock.h).
 */
#include "git/signature_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adr/clock.h"
#include "util/date.h"
#include "util/error.h"

/* Parses GIT_*_DATE forms: "@1700000000 +0100", "1700000000 +0100",
 * "2026-11-21T10:00:00Z", "2026-11-21 10:00:00 +0100", "2026-11-21T10:00:00+01:00". */
static int parse_git_date(long long *when, int *offset, const char *s)
{
	int y, mo, d, h, mi, sec, n = 0, tzh = 0, tzm = 0;
	char sign = '+';
	const char *p;

	*offset = 0;
	n = (int)strspn(s, "0123456789");
	if (*s == '@' || (n > 0 && (s[n] == '\0' || s[n] == ' '))) {
		char *end;
		*when = strtoll(s + (*s == '@'), &end, 10);
		while (*end == ' ')
			end++;
		if ((*end == '+' || *end == '-') && strlen(end) >= 5) {
			int v = atoi(end + 1);
			*offset = (v / 100) * 60 + v % 100;
			if (*end == '-')
				*offset = -*offset;
		}
		return 0;
	}
	n = 0;
	if (sscanf(s, "%d-%d-%d%*[T ]%d:%d:%d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
		return -1;
	p = s + n;
	while (*p == ' ')
		p++;
	if (*p == '+' || *p == '-') {
		sign = *p++;
		if (strlen(p) >= 4 && p[2] == ':')
			sscanf(p, "%2d:%2d", &tzh, &tzm);
		else
			sscanf(p, "%2d%2d", &tzh, &tzm);
	}
	*offset = (tzh * 60 + tzm) * (sign == '-' ? -1 : 1);
	*when = adr__utc_seconds(y, mo, d, h, mi, sec) - (long long)*offset * 60;
	return 0;
}

int adr__signature_new(git_signature **out, git_repository *git, const char *who)
{
	git_config *cfg = NULL;
	git_buf name = { 0 }, email = { 0 };
	char key[32];
	const char *env_name, *env_email, *env_date;
	int rc, offset = 0;
	long long when;

	snprintf(key, sizeof(key), "GIT_%s_NAME", who);
	env_name = getenv(key);
	snprintf(key, sizeof(key), "GIT_%s_EMAIL", who);
	env_email = getenv(key);
	snprintf(key, sizeof(key), "GIT_%s_DATE", who);
	env_date = getenv(key);

	if ((!env_name || !env_email) && (rc = git_repository_config_snapshot(&cfg, git)) < 0)
		return adr__error_git(rc, "cannot read git config");
	/* Only a setting that is not there is the user's to fix. */
	if (!env_name && (rc = git_config_get_string_buf(&name, cfg, "user.name")) < 0) {
		rc = rc == GIT_ENOTFOUND
			     ? adr__error(ADR_EUSAGE, "no author name: set it with git config user.name \"Your Name\"")
			     : adr__error_git(rc, "cannot read user.name from git config");
		goto cleanup;
	}
	if (!env_email && (rc = git_config_get_string_buf(&email, cfg, "user.email")) < 0) {
		rc = rc == GIT_ENOTFOUND
			     ? adr__error(ADR_EUSAGE, "no author email: set it with git config user.email you@example.com")
			     : adr__error_git(rc, "cannot read user.email from git config");
		goto cleanup;
	}
	if (env_date && *env_date) {
		if (parse_git_date(&when, &offset, env_date) < 0) {
			rc = adr__error(ADR_EUSAGE, "GIT_%s_DATE: cannot read '%s'", who, env_date);
			goto cleanup;
		}
	} else {
		when = adr_now();
		offset = adr_utc_offset_at(when);
	}
	rc = git_signature_new(out, env_name ? env_name : name.ptr, env_email ? env_email : email.ptr,
			       (git_time_t)when, offset);
	if (rc < 0)
		rc = adr__error_git(rc, "invalid author");
cleanup:
	git_buf_dispose(&name);
	git_buf_dispose(&email);
	git_config_free(cfg);
	return rc;
}
