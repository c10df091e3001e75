/*
 * util/alloc.h: allocation that keeps the error contract.
 *
 * adr.h promises that adr_error_last() explains every failure. These wrap
 * the C allocator and, when it fails, set the error ("out of memory",
 * ADR_ENOMEM) themselves, so a caller only passes the code on:
 *
 *	char *s = adr__strdup(name);
 *	ADR_ALLOC_CHECK(s);                  // returns ADR_ENOMEM, message set
 *
 *	if (ADR_ARRAY_GROW(list->items, list->alloc, list->count + 1) < 0)
 *		return ADR_ENOMEM;
 *
 * An adr_buf that failed to grow has set the error too (util/buf.c), so
 * `if (adr_buf_oom(&b)) return ADR_ENOMEM;` needs no message of its own.
 */
#ifndef ADR_UTIL_ALLOC_H
#define ADR_UTIL_ALLOC_H

#include <stddef.h>

#include "adr/common.h"

void *adr__malloc(size_t n);
void *adr__calloc(size_t n, size_t size);
/* Like realloc; on failure `p` is left as it was. */
void *adr__realloc(void *p, size_t n);
/* realloc of n elements of `size` bytes, failing (not wrapping) on overflow. */
void *adr__reallocarray(void *p, size_t n, size_t size);
char *adr__strdup(const char *s);
char *adr__strndup(const char *s, size_t n);

/* Sets the error for an allocation that failed elsewhere (e.g. inside a
 * library that returned NULL) and returns ADR_ENOMEM. */
int adr__error_oom(void);

/* Returns ADR_ENOMEM from the calling function when `p` is NULL. */
#define ADR_ALLOC_CHECK(p)                \
	do {                              \
		if ((p) == NULL)          \
			return ADR_ENOMEM; \
	} while (0)

/*
 * Grows the array `*items` (of `*alloc` elements of `elem` bytes) so that it
 * holds at least `need` elements, doubling from 8. 0, or ADR_ENOMEM with the
 * error set (the array is then unchanged).
 */
int adr__array_grow(void **items, size_t *alloc, size_t need, size_t elem);
#define ADR_ARRAY_GROW(items, alloc, need) \
	adr__array_grow((void **)&(items), &(alloc), (need), sizeof(*(items)))

#endif
