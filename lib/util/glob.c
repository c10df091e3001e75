/*
 * util/glob.c: the glob matcher for repository paths (util/glob.h): `*`,
 * `?`, `[...]`, `**` as a whole component and a trailing `/`, with a memo
 * and a step budget so that no pattern takes long on any path.
 */
#include "util/glob.h"

#include <stdlib.h>
#include <string.h>

/* Globs and paths longer than this never match (bounds the matcher). */
#define GLOB_MAX 1024
#define GLOB_PATH_MAX 4096
/* A match that takes more steps than this gives up and does not match: the
 * memo alone still allowed plen * slen^2 work, 8 s for `*a*a...` against a
 * long path (found by tests/fuzz/fuzz_slug.c). A real glob takes far fewer. */
#define GLOB_STEPS_MAX (1u << 16)

typedef struct {
	const char *pat;
	const char *str;
	size_t plen, slen;
	unsigned char *failed;   /* memo: (pattern pos, string pos) known not to match */
	size_t steps;            /* work done, up to GLOB_STEPS_MAX */
} glob_ctx;

static bool memo_get(const glob_ctx *g, size_t p, size_t s)
{
	size_t bit = p * (g->slen + 1) + s;
	return (g->failed[bit / 8] >> (bit % 8)) & 1;
}

static void memo_set(glob_ctx *g, size_t p, size_t s)
{
	size_t bit = p * (g->slen + 1) + s;
	g->failed[bit / 8] |= (unsigned char)(1u << (bit % 8));
}

/* Matches a [...] class at pattern position *pp against c; advances *pp. */
static bool match_class(const glob_ctx *g, size_t *pp, char c, bool *ok)
{
	size_t p = *pp + 1;
	bool negate = false, hit = false;
	if (p < g->plen && (g->pat[p] == '!' || g->pat[p] == '^')) {
		negate = true;
		p++;
	}
	size_t first = p;
	while (p < g->plen && (g->pat[p] != ']' || p == first)) {
		char lo = g->pat[p], hi = lo;
		if (p + 2 < g->plen && g->pat[p + 1] == '-' && g->pat[p + 2] != ']') {
			hi = g->pat[p + 2];
			p += 2;
		}
		if (c >= lo && c <= hi)
			hit = true;
		p++;
	}
	if (p >= g->plen) {
		*ok = false;        /* no closing ']': the '[' is a literal */
		return c == '[';
	}
	*ok = true;
	*pp = p + 1;
	return c != '/' && hit != negate;
}

static bool glob_at(glob_ctx *g, size_t p, size_t s)
{
	bool result = false;
	size_t p0 = p, s0 = s;

	if (++g->steps > GLOB_STEPS_MAX || memo_get(g, p0, s0))
		return false;
	while (p < g->plen) {
		char pc = g->pat[p];
		if (++g->steps > GLOB_STEPS_MAX)
			goto done;
		if (pc == '*') {
			bool seg_start = p == 0 || g->pat[p - 1] == '/';
			if (p + 1 < g->plen && g->pat[p + 1] == '*' && seg_start &&
			    (p + 2 == g->plen || g->pat[p + 2] == '/')) {
				/* "**" as a whole component: any number of components. */
				if (p + 2 == g->plen) {
					result = true;
					goto done;
				}
				p += 3;
				for (;;) {
					if (glob_at(g, p, s)) {
						result = true;
						goto done;
					}
					if (g->steps > GLOB_STEPS_MAX)
						goto done;
					while (s < g->slen && g->str[s] != '/')
						s++;
					if (s >= g->slen)
						goto done;
					s++;
				}
			}
			while (p < g->plen && g->pat[p] == '*')
				p++;
			for (;;) {
				if (glob_at(g, p, s)) {
					result = true;
					goto done;
				}
				if (g->steps > GLOB_STEPS_MAX || s >= g->slen || g->str[s] == '/')
					goto done;
				s++;
			}
		}
		if (s >= g->slen)
			goto done;
		if (pc == '?') {
			if (g->str[s] == '/')
				goto done;
			p++;
			s++;
			continue;
		}
		if (pc == '[') {
			bool ok;
			size_t q = p;
			if (!match_class(g, &q, g->str[s], &ok))
				goto done;
			p = ok ? q : p + 1;
			s++;
			continue;
		}
		if (pc == '\\' && p + 1 < g->plen)
			pc = g->pat[++p];
		if (pc != g->str[s])
			goto done;
		p++;
		s++;
	}
	result = s == g->slen;
done:
	if (!result)
		memo_set(g, p0, s0);
	return result;
}

static bool glob_full(const char *pat, size_t plen, const char *str, size_t slen, size_t *steps)
{
	glob_ctx g = { pat, str, plen, slen, NULL, *steps };
	size_t bits = (g.plen + 1) * (g.slen + 1);
	bool r;
	if (!(g.failed = calloc(bits / 8 + 1, 1)))
		return false;
	r = glob_at(&g, 0, 0);
	*steps = g.steps;
	free(g.failed);
	return r;
}

/* A glob with a '/' is anchored at the top; one without matches the last component. */
static bool glob_path(const char *glob, size_t plen, const char *path, size_t slen, size_t *steps)
{
	size_t base = slen;
	if (memchr(glob, '/', plen))
		return glob_full(glob, plen, path, slen, steps);
	while (base > 0 && path[base - 1] != '/')
		base--;
	return glob_full(glob, plen, path + base, slen - base, steps);
}

bool adr__glob_match(const char *glob, const char *path)
{
	size_t plen = strlen(glob), slen = strlen(path), steps = 0; /* shared by every try below */
	if (!plen || plen > GLOB_MAX || !slen || slen > GLOB_PATH_MAX)
		return false;
	while (plen > 1 && glob[0] == '.' && glob[1] == '/') {
		glob += 2;
		plen -= 2;
	}
	if (plen && glob[0] == '/') {
		glob++;
		plen--;
	}
	if (!plen)
		return false;
	if (glob[plen - 1] != '/')
		return glob_path(glob, plen, path, slen, &steps);
	/* A directory: some directory above the path matches. */
	if (--plen == 0)
		return false;
	for (size_t i = 0; i < slen; i++)
		if (path[i] == '/' && glob_path(glob, plen, path, i, &steps))
			return true;
	return false;
}

const char *adr__glob_match_any(const adr_strlist *globs, const char *path)
{
	for (size_t i = 0; i < globs->count; i++)
		if (adr__glob_match(globs->items[i], path))
			return globs->items[i];
	return NULL;
}
