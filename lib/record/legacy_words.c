/*
 * legacy_words.c: the words older formats write (record/legacy.h): dates as
 * people write them, status words (also decorated: `✅ Accepted`), the
 * relation phrases ("Superseded by", "Amends", ...) and the references
 * after them (`ADR-12`, `#12`, `12`, `[text](target)`).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "record/legacy.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool ascii_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void trim(const char **s, size_t *n)
{
	while (*n && (is_space(**s) || **s == '\r'))
		(*s)++, (*n)--;
	while (*n && (is_space((*s)[*n - 1]) || (*s)[*n - 1] == '\r'))
		(*n)--;
}

/* --- dates and statuses ---------------------------------------------------- */

static bool real_date(int y, int m, int d)
{
	static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

/* Reads up to `max` digits; returns the count. */
static size_t digits(const char *s, size_t n, size_t max, int *v)
{
	size_t i = 0;
	*v = 0;
	while (i < n && i < max && is_digit(s[i]))
		*v = *v * 10 + (s[i++] - '0');
	return i;
}

int adr__legacy_date(char out[11], const char *s, size_t n)
{
	return adr__legacy_date_order(out, s, n, ADR_DATE_ORDER_NONE);
}

int adr__legacy_date_order(char out[11], const char *s, size_t n, adr_date_order order)
{
	int a, b, c, y, m, d;
	size_t i, j, k;
	char sep;

	trim(&s, &n);
	i = digits(s, n, 4, &a);
	if (i == 0 || i >= n)
		return ADR_EINVALID;
	sep = s[i];
	if (sep != '-' && sep != '/' && sep != '.')
		return ADR_EINVALID;
	j = digits(s + i + 1, n - i - 1, 2, &b);
	if (j == 0 || i + 1 + j >= n || s[i + 1 + j] != sep)
		return ADR_EINVALID;
	k = digits(s + i + 2 + j, n - i - 2 - j, 4, &c);
	if (k == 0 || i + 2 + j + k != n)
		return ADR_EINVALID;
	if (i == 4) { /* Y-M-D, Y/M/D, Y.M.D */
		y = a, m = b, d = c;
	} else if (k == 4 && i <= 2 && sep == '.') { /* D.M.Y */
		y = c, m = b, d = a;
	} else if (k == 4 && i <= 2 && (sep == '/' || sep == '-')) {
		y = c;
		if (a > 12 && b <= 12)
			d = a, m = b;
		else if (b > 12 && a <= 12)
			m = a, d = b;
		else if (a == b || order == ADR_DATE_ORDER_MDY)
			m = a, d = b;
		else if (order == ADR_DATE_ORDER_DMY)
			d = a, m = b;
		else
			return real_date(y, a, b) || real_date(y, b, a) ? ADR_EAMBIGUOUS : ADR_EINVALID;
	} else {
		return ADR_EINVALID;
	}
	if (!real_date(y, m, d))
		return ADR_EINVALID;
	{
		char tmp[48];
		snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", y, m, d);
		memcpy(out, tmp, 10);
		out[10] = '\0';
	}
	return 0;
}

static const struct {
	const char *word;
	adr_status status;
} status_words[] = {
	{ "accepted", ADR_STATUS_ACCEPTED }, { "approved", ADR_STATUS_ACCEPTED },
	{ "done", ADR_STATUS_ACCEPTED }, { "decided", ADR_STATUS_ACCEPTED },
	{ "adopted", ADR_STATUS_ACCEPTED }, { "通过", ADR_STATUS_ACCEPTED },
	{ "完成", ADR_STATUS_ACCEPTED }, { "已接受", ADR_STATUS_ACCEPTED },
	{ "接受", ADR_STATUS_ACCEPTED }, { "akzeptiert", ADR_STATUS_ACCEPTED },
	{ "proposed", ADR_STATUS_PROPOSED }, { "pending", ADR_STATUS_PROPOSED },
	{ "draft", ADR_STATUS_PROPOSED }, { "open", ADR_STATUS_PROPOSED },
	{ "under review", ADR_STATUS_PROPOSED }, { "提议", ADR_STATUS_PROPOSED },
	{ "提案", ADR_STATUS_PROPOSED }, { "vorgeschlagen", ADR_STATUS_PROPOSED },
	{ "rejected", ADR_STATUS_REJECTED }, { "declined", ADR_STATUS_REJECTED },
	{ "拒绝", ADR_STATUS_REJECTED }, { "已拒绝", ADR_STATUS_REJECTED },
	{ "abgelehnt", ADR_STATUS_REJECTED },
	{ "deprecated", ADR_STATUS_DEPRECATED }, { "obsolete", ADR_STATUS_DEPRECATED },
	{ "已弃用", ADR_STATUS_DEPRECATED }, { "弃用", ADR_STATUS_DEPRECATED },
	{ "废弃", ADR_STATUS_DEPRECATED }, { "veraltet", ADR_STATUS_DEPRECATED },
	{ "superseded", ADR_STATUS_SUPERSEDED }, { "superceded", ADR_STATUS_SUPERSEDED },
	{ "replaced", ADR_STATUS_SUPERSEDED }, { "已取代", ADR_STATUS_SUPERSEDED },
	{ "取代", ADR_STATUS_SUPERSEDED }, { "ersetzt", ADR_STATUS_SUPERSEDED },
};

adr_status adr__legacy_status(const char *word, size_t n)
{
	trim(&word, &n);
	while (n && (word[n - 1] == '.' || word[n - 1] == '!'))
		n--;
	for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++)
		if (strlen(status_words[i].word) == n && strncasecmp(status_words[i].word, word, n) == 0)
			return status_words[i].status;
	return ADR_STATUS_NONE;
}

/* The length of the UTF-8 sequence at s (1 for a stray byte) and its code point. */
static size_t utf8_at(const char *s, size_t n, unsigned *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len = u[0] < 0x80 ? 1 : u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : u[0] >= 0xC0 ? 2 : 1;
	if (len > n)
		len = 1;
	*cp = len == 1 ? u[0] : len == 2 ? u[0] & 0x1Fu : len == 3 ? u[0] & 0x0Fu : u[0] & 0x07u;
	for (size_t i = 1; i < len; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 1;
		*cp = (*cp << 6) | (u[i] & 0x3Fu);
	}
	return len;
}

/* A symbol: not a letter or digit of any script (ASCII punctuation and
 * spaces, general punctuation, arrows, dingbats, emoji, variation
 * selectors, CJK and full-width punctuation). */
static bool symbol_cp(unsigned cp)
{
	if (cp < 0x80)
		return !((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z') || (cp >= '0' && cp <= '9'));
	return (cp >= 0x80 && cp <= 0xBF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x2000 && cp <= 0x2BFF) ||
	       (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
	       (cp >= 0xFF1A && cp <= 0xFF20) || (cp >= 0x1F000 && cp <= 0x1FAFF) || (cp >= 0xE0000 && cp <= 0xE007F);
}

bool adr__legacy_only_symbols(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned cp;
		size_t k = utf8_at(s + i, n - i, &cp);
		if (!symbol_cp(cp))
			return false;
		i += k;
	}
	return true;
}

adr_status adr__legacy_status_lead(const char *s, size_t n, bool canonical, size_t *start, size_t *end)
{
	size_t i = 0, best = 0;
	adr_status st = ADR_STATUS_NONE;
	while (i < n) {
		unsigned cp;
		size_t k = utf8_at(s + i, n - i, &cp);
		if (!symbol_cp(cp))
			break;
		i += k;
	}
	for (size_t w = 0; i < n && w < sizeof(status_words) / sizeof(status_words[0]); w++) {
		size_t wl = strlen(status_words[w].word);
		if (canonical && strcmp(status_words[w].word, adr_status_name(status_words[w].status)))
			continue;
		if (wl <= best || wl > n - i || strncasecmp(status_words[w].word, s + i, wl))
			continue;
		if (ascii_letter(s[i]) && i + wl < n && ascii_letter(s[i + wl]))
			continue; /* "done" is not "doneness" */
		best = wl;
		st = status_words[w].status;
	}
	*start = i;
	*end = i + best;
	return st;
}

/* --- relations and references ------------------------------------------------ */

/* The first number (at most 7 digits) in the `n` bytes at `s`, or -1. */
static int first_number(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int v;
		size_t d;
		if (!is_digit(s[i]) || (i && is_digit(s[i - 1])))
			continue;
		d = digits(s + i, n - i, 8, &v);
		return d <= 7 ? v : -1;
	}
	return -1;
}

/* One reference at `s`: `[text](target)`, `ADR-12`, `ADR 12`, `#12` or `12`.
 * Returns the bytes it takes (0: none there). */
size_t adr__legacy_ref(const char *s, size_t n, const char **tgt, size_t *tn, int *number)
{
	size_t i = 0;
	*tgt = s;
	*tn = 0;
	*number = -1;
	if (n && s[0] == '[') {
		const char *cb = memchr(s, ']', n), *cp;
		if (!cb || (size_t)(cb - s) + 1 >= n || cb[1] != '(' || !(cp = memchr(cb, ')', (size_t)(s + n - cb))))
			return 0;
		*number = first_number(s + 1, (size_t)(cb - s - 1));
		*tgt = cb + 2;
		*tn = (size_t)(cp - *tgt);
		trim(tgt, tn);
		if (*tn && **tgt == '<') /* [x](<a b.md>) */
			(*tgt)++, (*tn)--;
		for (size_t k = 0; k < *tn; k++) /* [x](0012-a.md "title") */
			if (is_space((*tgt)[k]) || (*tgt)[k] == '>') {
				*tn = k;
				break;
			}
		return (size_t)(cp - s) + 1;
	}
	if (n >= 3 && !strncasecmp(s, "adr", 3)) {
		i = 3;
		if (i < n && (s[i] == '-' || s[i] == '_' || s[i] == ' '))
			i++;
	} else if (n && s[0] == '#') {
		i = 1;
	}
	{
		int v;
		size_t d = digits(s + i, n - i, 8, &v);
		if (!d || d > 7 || (i + d < n && (ascii_letter(s[i + d]) || is_digit(s[i + d]))))
			return 0;
		*number = v;
		return i + d;
	}
}

static const struct {
	const char *phrase;
	const char *type;
} relations[] = {
	{ "superseded by", "superseded-by" }, { "superceded by", "superseded-by" },
	{ "replaced by", "superseded-by" },   { "amended by", "amended-by" },
	{ "amends", "amends" },               { "supersedes", "supersedes" },
	{ "supercedes", "supersedes" },
};

const char *adr__legacy_relation(const char *s, size_t n, size_t i, size_t *len)
{
	for (size_t k = 0; k < sizeof(relations) / sizeof(relations[0]); k++) {
		size_t pl = strlen(relations[k].phrase);
		if (pl > n - i || strncasecmp(s + i, relations[k].phrase, pl) || (i + pl < n && ascii_letter(s[i + pl])))
			continue;
		*len = pl;
		return relations[k].type;
	}
	return NULL;
}

/* The references after a phrase that ends at `i`; returns where the last one ends (i: none). */
static size_t phrase_refs(adr__legacy_line *out, const char *s, size_t n, size_t i, const char *type)
{
	size_t pos = i, end = i;
	while (pos < n && out->nrefs < ADR_LEGACY_LINE_REFS) {
		adr__legacy_lineref *ref = &out->refs[out->nrefs];
		size_t took;
		while (pos < n && (is_space(s[pos]) || s[pos] == ':' || s[pos] == ',' || s[pos] == ';' || s[pos] == '&'))
			pos++;
		if (end > i && n - pos >= 4 && !strncasecmp(s + pos, "and", 3) && is_space(s[pos + 3]))
			pos += 4;
		if (!(took = adr__legacy_ref(s + pos, n - pos, &ref->target, &ref->tn, &ref->number)))
			break;
		ref->type = type;
		out->nrefs++;
		if (!strcmp(type, "superseded-by"))
			out->superseded = true;
		pos += took;
		end = pos;
	}
	return end;
}

void adr__legacy_line_read(adr__legacy_line *out, const char *s, size_t n)
{
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < n && out->nat < ADR_LEGACY_LINE_RANGES; i++) {
		size_t pl, end;
		const char *type;
		if ((i && ascii_letter(s[i - 1])) || !(type = adr__legacy_relation(s, n, i, &pl)))
			continue;
		if ((end = phrase_refs(out, s, n, i + pl, type)) > i + pl) {
			out->at[out->nat][0] = i;
			out->at[out->nat][1] = end;
			out->nat++;
			i = end - 1;
		}
	}
}

bool adr__legacy_line_only(const adr__legacy_line *l, const char *s, size_t n, size_t ws, size_t we)
{
	size_t pos = 0;
	while (pos < n) {
		size_t next = n, skip = pos;
		if (pos >= ws && pos < we)
			skip = we;
		for (size_t r = 0; r < l->nat; r++)
			if (pos >= l->at[r][0] && pos < l->at[r][1] && l->at[r][1] > skip)
				skip = l->at[r][1];
		if (skip > pos) {
			pos = skip;
			continue;
		}
		if (we > ws && ws > pos && ws < next)
			next = ws;
		for (size_t r = 0; r < l->nat; r++)
			if (l->at[r][0] > pos && l->at[r][0] < next)
				next = l->at[r][0];
		if (!adr__legacy_only_symbols(s + pos, next - pos))
			return false;
		pos = next;
	}
	return true;
}
