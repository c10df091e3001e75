/*
 * slug.c: file-name slugs from titles (adr_slugify, adr/slug.h).
 *
 * The slug is built from ASCII letters and digits (lowercased); Latin-1 and
 * Latin Extended-A letters are transliterated (é -> e, ß -> ss, æ -> ae) and
 * combining marks U+0300..U+036F are dropped, so NFC and NFD titles give the
 * same slug. Every other run of characters becomes one dash. Letters of other
 * scripts count as letters (the title is not rejected) but leave no trace, so
 * a Japanese title gives an empty slug and the caller uses the number alone.
 */
#include "adr/slug.h"
#include "adr/text.h"
#include "util/error.h"
#include "util/utf8.h"

#include <stdint.h>
#include <string.h>

#define SLUG_MAX 60

/* ASCII for an accented Latin letter, or NULL. */
static const char *translit(uint32_t cp)
{
	static const struct {
		uint16_t lo, hi;
		const char *s;
	} map[] = {
		{ 0xC0, 0xC5, "a" },   { 0xC6, 0xC6, "ae" },  { 0xC7, 0xC7, "c" },
		{ 0xC8, 0xCB, "e" },   { 0xCC, 0xCF, "i" },   { 0xD0, 0xD0, "d" },
		{ 0xD1, 0xD1, "n" },   { 0xD2, 0xD6, "o" },   { 0xD8, 0xD8, "o" },
		{ 0xD9, 0xDC, "u" },   { 0xDD, 0xDD, "y" },   { 0xDE, 0xDE, "th" },
		{ 0xDF, 0xDF, "ss" },  { 0xE0, 0xE5, "a" },   { 0xE6, 0xE6, "ae" },
		{ 0xE7, 0xE7, "c" },   { 0xE8, 0xEB, "e" },   { 0xEC, 0xEF, "i" },
		{ 0xF0, 0xF0, "d" },   { 0xF1, 0xF1, "n" },   { 0xF2, 0xF6, "o" },
		{ 0xF8, 0xF8, "o" },   { 0xF9, 0xFC, "u" },   { 0xFD, 0xFD, "y" },
		{ 0xFE, 0xFE, "th" },  { 0xFF, 0xFF, "y" },   { 0x100, 0x105, "a" },
		{ 0x106, 0x10D, "c" }, { 0x10E, 0x111, "d" }, { 0x112, 0x11B, "e" },
		{ 0x11C, 0x123, "g" }, { 0x124, 0x127, "h" }, { 0x128, 0x131, "i" },
		{ 0x132, 0x133, "ij" }, { 0x134, 0x135, "j" }, { 0x136, 0x138, "k" },
		{ 0x139, 0x142, "l" }, { 0x143, 0x14B, "n" }, { 0x14C, 0x151, "o" },
		{ 0x152, 0x153, "oe" }, { 0x154, 0x159, "r" }, { 0x15A, 0x161, "s" },
		{ 0x162, 0x167, "t" }, { 0x168, 0x173, "u" }, { 0x174, 0x175, "w" },
		{ 0x176, 0x178, "y" }, { 0x179, 0x17E, "z" }, { 0x17F, 0x17F, "s" },
		{ 0x218, 0x219, "s" }, { 0x21A, 0x21B, "t" },
	};
	if (cp < 0xC0 || cp > 0x21B)
		return NULL;
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (cp >= map[i].lo && cp <= map[i].hi)
			return map[i].s;
	return NULL;
}

/* A rough "is a letter or a digit" for characters we do not transliterate:
 * everything but the punctuation, symbol, emoji and private-use blocks. */
static bool letterish(uint32_t cp)
{
	if (cp < 0xC0)
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7)
		return false;
	if ((cp >= 0x2B0 && cp <= 0x36F) ||      /* modifier letters, combining marks */
	    (cp >= 0x2000 && cp <= 0x2BFF) ||    /* punctuation, symbols, arrows, dingbats */
	    (cp >= 0x2E00 && cp <= 0x2E7F) ||    /* supplemental punctuation */
	    (cp >= 0x3000 && cp <= 0x303F) ||    /* CJK symbols and punctuation */
	    (cp >= 0xD800 && cp <= 0xF8FF) ||    /* surrogates, private use */
	    (cp >= 0xFE00 && cp <= 0xFE6F) ||    /* variation selectors, small forms */
	    (cp >= 0xFF00 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) ||
	    (cp >= 0xFFF0 && cp <= 0xFFFF) ||    /* specials */
	    (cp >= 0x1F000 && cp <= 0x1FAFF) ||  /* emoji, pictographs */
	    cp >= 0xE0000)                       /* tags, variation selectors, private use */
		return false;
	return true;
}

static bool reserved(const char *s)
{
	static const char *const names[] = { "con", "prn", "aux", "nul", NULL };
	for (int i = 0; names[i]; i++)
		if (strcmp(s, names[i]) == 0)
			return true;
	return (strncmp(s, "com", 3) == 0 || strncmp(s, "lpt", 3) == 0) && s[3] >= '1' &&
	       s[3] <= '9' && s[4] == '\0';
}

/* At most 60 bytes of s, cut at a character boundary (for messages). */
static int short_len(const char *s)
{
	size_t n = strlen(s);
	if (n <= 60)
		return (int)n;
	n = 60;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	return (int)n;
}

int adr_slugify(adr_buf *out, const char *title)
{
	const unsigned char *u = (const unsigned char *)title;
	char slug[SLUG_MAX * 4 + 8];
	size_t n, len = 0, chars = 0;
	bool dash = false, alnum = false;

	if (!title || !*title)
		return adr__error(ADR_EINVALID, "the title is empty");
	n = strlen(title);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = adr__utf8_decode(u + i, n - i, &cp);
		const char *t = NULL;
		char one[2];
		if (k == 0)
			return adr__error(ADR_EINVALID, "the title is not valid UTF-8 (byte 0x%02x at %zu)",
					  u[i], i + 1);
		chars++;
		if (cp == '\n' || cp == '\r')
			return adr__error(ADR_EINVALID, "the title has a line break; it must be one line");
		if (cp == '\t' || adr_text_unsafe(cp)) {
			/* A tab, or what a terminal acts on instead of showing (adr/text.h). */
			const char *name = adr_text_char_name(cp);
			return adr__error(ADR_EINVALID, "the title has a %s (U+%04X%s%s) at character %zu",
					  cp == '\t' ? "control character" : adr_text_unsafe(cp), (unsigned)cp,
					  name ? " " : "", name ? name : "", chars);
		}
		i += k;
		if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
			one[0] = (char)cp;
			one[1] = '\0';
			t = one;
		} else if (cp >= 'A' && cp <= 'Z') {
			one[0] = (char)(cp - 'A' + 'a');
			one[1] = '\0';
			t = one;
		} else if (cp >= 0x300 && cp <= 0x36F) {
			continue; /* a combining mark (NFD): dropped */
		} else if (!(t = translit(cp))) {
			if (letterish(cp))
				alnum = true;
			dash = true;
			continue;
		}
		alnum = true;
		/* keep building only as far as the cap needs (plus one char to see a boundary) */
		if (len > SLUG_MAX)
			continue;
		if (dash && len)
			slug[len++] = '-';
		dash = false;
		for (; *t && len < sizeof(slug) - 1; t++)
			slug[len++] = *t;
	}
	if (!alnum)
		return adr__error(ADR_EINVALID, "the title '%.*s' has no letter or digit",
				  short_len(title), title);
	slug[len] = '\0';
	if (len > SLUG_MAX) {
		/* cut before the last dash that keeps it within the cap, else hard */
		size_t cut = SLUG_MAX, k = SLUG_MAX;
		if (slug[SLUG_MAX] != '-') {
			while (k > 0 && slug[k - 1] != '-')
				k--;
			if (k > 1)
				cut = k - 1;
		}
		len = cut;
		slug[len] = '\0';
	}
	while (len && slug[len - 1] == '-')
		slug[--len] = '\0';
	if (reserved(slug)) {
		memcpy(slug + len, "-adr", 5);
		len += 4;
	}
	if (adr_buf_set(out, slug, len) < 0)
		return ADR_ENOMEM;
	return 0;
}
