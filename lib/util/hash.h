/*
 * util/hash.h: the one string hash (64-bit FNV-1a), for hash tables and
 * for short stable fingerprints (e.g. the site's asset names).
 */
#ifndef ADR_UTIL_HASH_H
#define ADR_UTIL_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV's published 64-bit offset basis (used where ids are kept in file
 * names, e.g. the CLI's edit sessions). */
#define ADR_HASH_FNV_BASIS 14695981039346656037ULL

/* 64-bit FNV-1a of `data`, starting from `h`. */
static inline uint64_t adr__hash_from(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* The library's hash: FNV-1a from an offset basis of its own (not FNV's
 * published one, but the one the site's image names were first made with;
 * changing it renames them). */
static inline uint64_t adr__hash(const void *data, size_t len)
{
	return adr__hash_from(1469598103934665603ULL, data, len);
}

#endif
