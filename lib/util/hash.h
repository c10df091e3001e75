/*
 * util/hash.h: the one string hash (64-bit FNV-1a), for hash tables and
 * for short stable fingerprints (e.g. the site's asset names).
 */
#ifndef ADR_UTIL_HASH_H
#define ADR_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

static inline uint64_t adr__hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	/* (not FNV's published offset basis, 14695981039346656037, but the one
	 * the site's image names were first made with; changing it renames them) */
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

#endif
