/* util/utf8.c: the one UTF-8 decoder and the text checks built on it
 * (util/utf8.h, adr/text.h). */
#include "util/utf8.h"
#include "adr/text.h"

int adr__utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c, lo = 0x80, hi = 0xBF, need;
	uint32_t v;
	if (n == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		if (cp)
			*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		v = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		v = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else {
		return -1;
	}
	for (unsigned i = 1; i <= need; i++) {
		unsigned b;
		if (i >= n)
			return -(int)i;
		b = s[i];
		if (b < lo || b > hi)
			return -(int)i;
		lo = 0x80;
		hi = 0xBF;
		v = (v << 6) | (b & 0x3F);
	}
	if (cp)
		*cp = v;
	return (int)need + 1;
}

size_t adr__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	int k = adr__utf8_next(s, n, cp);
	return k > 0 ? (size_t)k : 0;
}

bool adr__utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		size_t k = adr__utf8_decode(u + i, n - i, NULL);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* --- unsafe characters (adr/text.h) ---------------------------------------- */

const char *adr_text_unsafe(uint32_t cp)
{
	if (cp == '\t')
		return NULL;
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
		return "control character";
	if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069))
		return "bidi control";
	if (cp == 0x2028 || cp == 0x2029)
		return "line separator";
	return NULL;
}

const char *adr_text_char_name(uint32_t cp)
{
	static const struct {
		uint32_t cp;
		const char *name;
	} names[] = {
		{ 0x00, "NULL" }, { 0x07, "BELL" }, { 0x08, "BACKSPACE" }, { 0x0A, "LINE FEED" },
		{ 0x0D, "CARRIAGE RETURN" }, { 0x1B, "ESCAPE" }, { 0x7F, "DELETE" },
		{ 0x85, "NEXT LINE" }, { 0x9B, "CONTROL SEQUENCE INTRODUCER" },
		{ 0x202A, "LEFT-TO-RIGHT EMBEDDING" }, { 0x202B, "RIGHT-TO-LEFT EMBEDDING" },
		{ 0x202C, "POP DIRECTIONAL FORMATTING" }, { 0x202D, "LEFT-TO-RIGHT OVERRIDE" },
		{ 0x202E, "RIGHT-TO-LEFT OVERRIDE" }, { 0x2066, "LEFT-TO-RIGHT ISOLATE" },
		{ 0x2067, "RIGHT-TO-LEFT ISOLATE" }, { 0x2068, "FIRST STRONG ISOLATE" },
		{ 0x2069, "POP DIRECTIONAL ISOLATE" }, { 0x2028, "LINE SEPARATOR" },
		{ 0x2029, "PARAGRAPH SEPARATOR" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].cp == cp)
			return names[i].name;
	return NULL;
}

/* Whether the character at s[i] (decoded as cp, k bytes) is safe under flags. */
static bool safe_at(const unsigned char *s, size_t i, size_t len, uint32_t cp, unsigned flags)
{
	if (!adr_text_unsafe(cp))
		return true;
	if (!(flags & ADR_TEXT_LINES))
		return false;
	return cp == '\n' || (cp == '\r' && i + 1 < len && s[i + 1] == '\n');
}

size_t adr_text_find_unsafe(const char *str, size_t len, unsigned flags, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	for (size_t i = 0; i < len;) {
		uint32_t c;
		int k;
		if (s[i] >= 0x20 && s[i] < 0x7F) {
			i++;
			continue;
		}
		k = adr__utf8_next(s + i, len - i, &c);
		if (k <= 0) {
			if (cp)
				*cp = 0xFFFFFFFFu;
			return i;
		}
		if (!safe_at(s, i, len, c, flags)) {
			if (cp)
				*cp = c;
			return i;
		}
		i += (size_t)k;
	}
	return len;
}

size_t adr_text_escape(adr_buf *out, const char *str, size_t len, unsigned flags)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < len) {
		size_t run = i;
		uint32_t c;
		int k;
		while (i < len && ((s[i] >= 0x20 && s[i] < 0x7F) || s[i] == '\t' ||
				   (s[i] == '\n' && (flags & ADR_TEXT_LINES))))
			i++;
		adr_buf_put(out, s + run, i - run);
		if (i >= len)
			break;
		k = adr__utf8_next(s + i, len - i, &c);
		if (k <= 0) {
			/* An incomplete sequence at the end of a piece: wait for the rest. */
			if ((flags & ADR_TEXT_PARTIAL) && (size_t)-k == len - i && s[i] >= 0xC2 && s[i] <= 0xF4)
				return i;
			for (int b = 0; b < (k < 0 ? -k : 1); b++) {
				char e[4] = { '\\', 'x', hex[s[i] >> 4], hex[s[i] & 15] };
				adr_buf_put(out, e, 4);
				i++;
			}
			continue;
		}
		if (c == '\r' && (flags & ADR_TEXT_LINES) && i + 1 == len && (flags & ADR_TEXT_PARTIAL))
			return i;
		if (safe_at(s, i, len, c, flags)) {
			adr_buf_put(out, s + i, (size_t)k);
		} else if (c == '\n') {
			adr_buf_put(out, "\\n", 2);
		} else if (c == '\r') {
			adr_buf_put(out, "\\r", 2);
		} else if (c < 0x80) {
			char e[4] = { '\\', 'x', hex[c >> 4], hex[c & 15] };
			adr_buf_put(out, e, 4);
		} else {
			char e[6] = { '\\', 'u', hex[(c >> 12) & 15], hex[(c >> 8) & 15], hex[(c >> 4) & 15],
				      hex[c & 15] };
			adr_buf_put(out, e, 6);
		}
		i += (size_t)k;
	}
	return len;
}
