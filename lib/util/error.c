/* util/error.c: the thread's last error (adr/common.h) and the helpers that
 * set it, mapping libgit2's codes to adr's (util/error.h). */
#include "util/error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <git2.h>

#define ERRMAX 4096

static _Thread_local char last_msg[ERRMAX];
static _Thread_local int last_code;
static _Thread_local adr_hint last_hint;

const char *adr_error_last(void)
{
	return last_msg[0] ? last_msg : "no error";
}

int adr_error_code(void)
{
	return last_code;
}

adr_hint adr_error_hint(void)
{
	return last_hint;
}

void adr_error_clear(void)
{
	last_msg[0] = '\0';
	last_code = 0;
	last_hint = ADR_HINT_NONE;
}

int adr__hint(adr_hint hint, int code)
{
	last_hint = hint;
	return code;
}

static void set_v(int code, const char *fmt, va_list ap)
{
	char tmp[ERRMAX];
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	memcpy(last_msg, tmp, sizeof(tmp));
	last_code = code;
	last_hint = ADR_HINT_NONE;
}

int adr__error(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_v(code, fmt, ap);
	va_end(ap);
	return code;
}

int adr__error_os(const char *fmt, ...)
{
	int saved = errno;
	char tmp[ERRMAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	return adr__error(saved == ENOMEM ? ADR_ENOMEM : ADR_EOS, "%s: %s", tmp, strerror(saved));
}

int adr__error_git(int git_rc, const char *fmt, ...)
{
	const git_error *e = git_error_last();
	char tmp[ERRMAX];
	int code;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	switch (git_rc) {
	case GIT_ENOTFOUND: code = ADR_ENOTFOUND; break;
	case GIT_EEXISTS: code = ADR_EEXISTS; break;
	case GIT_ELOCKED:
	case GIT_EMODIFIED: code = ADR_EBUSY; break;
	case GIT_ECONFLICT:
	case GIT_EMERGECONFLICT: code = ADR_ECONFLICT; break;
	case GIT_EAMBIGUOUS: code = ADR_EAMBIGUOUS; break;
	default: code = ADR_EGIT; break;
	}
	if (e && e->message && *e->message)
		return adr__error(code, "%s: %s", tmp, e->message);
	return adr__error(code, "%s: %s (libgit2 error %d)", tmp, adr__git_code_text(git_rc), git_rc);
}

const char *adr__git_code_text(int git_rc)
{
	/* libgit2 1.5 often returns a code without setting a message. */
	switch (git_rc) {
	case GIT_ENOTFOUND: return "an object or reference it needs is missing";
	case GIT_EEXISTS: return "it already exists";
	case GIT_EAMBIGUOUS: return "the name is ambiguous";
	case GIT_EBAREREPO: return "the repository is bare";
	case GIT_EUNBORNBRANCH: return "the branch has no commits yet";
	case GIT_EUNMERGED: return "the index has unmerged entries";
	case GIT_ENONFASTFORWARD: return "not a fast-forward";
	case GIT_EINVALIDSPEC: return "not a valid name";
	case GIT_ECONFLICT:
	case GIT_EMERGECONFLICT: return "a conflict";
	case GIT_ELOCKED: return "it is locked by another process";
	case GIT_EMODIFIED: return "it changed meanwhile";
	case GIT_EPEEL: return "it does not point at the expected kind of object";
	case GIT_EEOF: return "unexpected end of data";
	case GIT_EINVALID: return "invalid data";
	case GIT_EUNCOMMITTED: return "there are uncommitted changes";
	case GIT_EDIRECTORY: return "a directory is in the way";
	default: return "failed";
	}
}

int adr__error_walk(git_repository *git, int git_rc, const char *fmt, ...)
{
	char tmp[ERRMAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (git_rc == GIT_ENOTFOUND && git && git_repository_is_shallow(git) == 1)
		return adr__error(ADR_EGIT, "%s: this is a shallow clone and the history before its oldest "
					    "commit is not here; run: git fetch --unshallow", tmp);
	return adr__error_git(git_rc, "%s", tmp);
}

int adr__error_prefix(const char *fmt, ...)
{
	char tmp[ERRMAX], old[ERRMAX];
	va_list ap;
	memcpy(old, last_msg, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	{
		/* tmp + ": " + old, cut to fit. */
		size_t a = strlen(tmp), b = strlen(old), off = 0;
		if (a > ERRMAX - 1)
			a = ERRMAX - 1;
		memcpy(last_msg, tmp, a);
		off = a;
		if (off + 2 < ERRMAX) {
			memcpy(last_msg + off, ": ", 2);
			off += 2;
		}
		if (b > ERRMAX - 1 - off)
			b = ERRMAX - 1 - off;
		memcpy(last_msg + off, old, b);
		last_msg[off + b] = '\0';
	}
	return last_code;
}
