/* LD_PRELOAD shim that makes the n-th libgit2 call adr makes fail, the way
 * a corrupt object, an I/O error or a lost race would make it fail: the
 * call is not made, a libgit2 error is set ("injected fault in git_foo")
 * and an error code is returned. Only functions whose header documents an
 * error return are wrapped (gen_wrappers.py); only calls from outside
 * libgit2 (from adr) are counted, so libgit2's calls to its own API pass.
 *
 *   ADR_GITFAULT=n          fail the n-th counted call (unset or 0: none)
 *   ADR_GITFAULT_ONLY=...   count only these functions: a comma list of
 *                           names, or an extended regular expression
 *   ADR_GITFAULT_CODE=c     the code returned (default -1, GIT_ERROR;
 *                           e.g. -3 for GIT_ENOTFOUND)
 *   ADR_GITFAULT_COUNT=file at exit, write "calls N", "fired N NAME" if
 *                           the fault was injected, then "N NAME SITE" for
 *                           each counted call (SITE: the caller's address
 *                           in its object file, which tells call sites
 *                           apart across runs)
 */
#define _GNU_SOURCE
#include "gitfault.h"

#include <dlfcn.h>
#include <git2/errors.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int ready;
static long target;
static int code = -1;
static const char *count_path;
static unsigned char *selected; /* per wrapper: counted or not */
static void *git2_base;
static long calls;
static long fired;
static int fired_id = -1;
static struct call {
	unsigned short id;
	unsigned long site;
} *trace;
static long trace_cap;

void *gitfault_real(const char *name)
{
	void *p = dlsym(RTLD_NEXT, name);
	if (!p) {
		fprintf(stderr, "gitfault: %s not found in the libraries after the shim\n", name);
		abort();
	}
	return p;
}

static int simple_list(const char *s)
{
	for (; *s; s++)
		if (!(*s == ',' || *s == '_' || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9')))
			return 0;
	return 1;
}

static int in_list(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p = list;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len == n && strncmp(p, name, n) == 0)
			return 1;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

static void setup(void)
{
	const char *v = getenv("ADR_GITFAULT");
	const char *only = getenv("ADR_GITFAULT_ONLY");
	Dl_info info;
	int i;
	target = v ? strtol(v, NULL, 10) : 0;
	v = getenv("ADR_GITFAULT_CODE");
	if (v && *v)
		code = (int)strtol(v, NULL, 10);
	count_path = getenv("ADR_GITFAULT_COUNT");
	selected = calloc((size_t)gitfault_nnames, 1);
	if (!selected)
		abort();
	if (only && *only && !simple_list(only)) {
		regex_t re;
		if (regcomp(&re, only, REG_EXTENDED | REG_NOSUB) != 0) {
			fprintf(stderr, "gitfault: ADR_GITFAULT_ONLY is not a valid regular expression\n");
			abort();
		}
		for (i = 0; i < gitfault_nnames; i++)
			selected[i] = regexec(&re, gitfault_names[i], 0, NULL, 0) == 0;
		regfree(&re);
	} else {
		for (i = 0; i < gitfault_nnames; i++)
			selected[i] = !(only && *only) || in_list(only, gitfault_names[i]);
	}
	if (dladdr(gitfault_real("git_libgit2_init"), &info) && info.dli_fbase)
		git2_base = info.dli_fbase;
	ready = 1;
}

/* Whether libgit2 made the call; else *site is the caller's offset. */
static int from_libgit2(void *caller, unsigned long *site)
{
	Dl_info info;
	if (!dladdr(caller, &info) || !info.dli_fbase) {
		*site = (unsigned long)caller;
		return 0;
	}
	*site = (unsigned long)((char *)caller - (char *)info.dli_fbase);
	return git2_base && info.dli_fbase == git2_base;
}

int gitfault_fail(int id, void *caller, int *rc)
{
	static int (*set_str)(int, const char *);
	char msg[128];
	unsigned long site;
	if (!ready)
		setup();
	if (!selected[id] || from_libgit2(caller, &site))
		return 0;
	calls++;
	if (count_path) {
		if (calls > trace_cap) {
			long cap = trace_cap ? trace_cap * 2 : 1024;
			struct call *t = realloc(trace, (size_t)cap * sizeof(*t));
			if (!t)
				abort();
			trace = t;
			trace_cap = cap;
		}
		trace[calls - 1].id = (unsigned short)id;
		trace[calls - 1].site = site;
	}
	if (calls != target)
		return 0;
	fired = calls;
	fired_id = id;
	/* Before git_libgit2_init, libgit2 has nowhere to keep an error. */
	if (strcmp(gitfault_names[id], "git_libgit2_init") != 0) {
		if (!set_str)
			set_str = (int (*)(int, const char *))gitfault_real("git_error_set_str");
		snprintf(msg, sizeof(msg), "injected fault in %s", gitfault_names[id]);
		set_str(GIT_ERROR_OS, msg);
	}
	*rc = code;
	return 1;
}

__attribute__((destructor)) static void write_count(void)
{
	FILE *f;
	long i;
	if (!ready || !count_path || calls == 0)
		return;
	f = fopen(count_path, "w");
	if (!f)
		return;
	fprintf(f, "calls %ld\n", calls);
	if (fired)
		fprintf(f, "fired %ld %s\n", fired, gitfault_names[fired_id]);
	for (i = 0; i < calls; i++)
		fprintf(f, "%ld %s 0x%lx\n", i + 1, gitfault_names[trace[i].id], trace[i].site);
	fclose(f);
}
