/*
 * utf8.h: the one UTF-8 decoder of the library (internal).
 *
 * Well-formed means what Unicode's table 3-7 says: no overlong forms, no
 * surrogates (U+D800..U+DFFF), nothing above U+10FFFF, no truncated
 * sequence. The functions read the caller's bytes and own nothing.
 */
#ifndef ADR_UTF8_H
#define ADR_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the sequence at s[0..n). Returns its length (1 to 4) and sets *cp
 * (when cp is not NULL); when the sequence is ill-formed, returns minus the
 * length of its maximal ill-formed subpart (at least 1) and leaves *cp
 * alone; returns 0 when n is 0.
 */
int adr__utf8_next(const unsigned char *s, size_t n, uint32_t *cp);

/* Like adr__utf8_next, but returns 0 for an ill-formed sequence. */
size_t adr__utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/* True when s[0..n) is well-formed UTF-8 (NUL bytes are accepted). */
bool adr__utf8_valid(const char *s, size_t n);

#endif
