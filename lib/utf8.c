#include "utf8.h"

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
