/*
 * util/siphash.h: SipHash-2-4 (Aumasson and Bernstein, 2012), a keyed
 * 64-bit hash. Where a fingerprint decides whether something is used
 * again (the site's page cache), FNV (util/hash.h) is not enough: anyone
 * who writes a record could make two texts collide. With a secret key of
 * 128 random bits, kept where the records' authors cannot read it, they
 * cannot.
 */
#ifndef ADR_UTIL_SIPHASH_H
#define ADR_UTIL_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

#define ADR_SIPHASH_KEY_SIZE 16

/* SipHash-2-4 of `len` bytes of `data` under `key`. */
uint64_t adr__siphash(const unsigned char key[ADR_SIPHASH_KEY_SIZE], const void *data, size_t len);

#endif
