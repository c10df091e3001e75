/* util/alloc.c: the allocator that sets the error itself (util/alloc.h). */
#include "util/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/error.h"

int adr__error_oom(void)
{
	return adr__error(ADR_ENOMEM, "out of memory");
}

void *adr__malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		adr__error_oom();
	return p;
}

void *adr__calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		adr__error_oom();
	return p;
}

void *adr__realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		adr__error_oom();
	return q;
}

void *adr__reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size) {
		adr__error_oom();
		return NULL;
	}
	return adr__realloc(p, n * size);
}

char *adr__strdup(const char *s)
{
	char *p = strdup(s);
	if (!p)
		adr__error_oom();
	return p;
}

char *adr__strndup(const char *s, size_t n)
{
	char *p = strndup(s, n);
	if (!p)
		adr__error_oom();
	return p;
}

int adr__array_grow(void **items, size_t *alloc, size_t need, size_t elem)
{
	size_t n = *alloc ? *alloc : 8;
	void *p;
	if (need <= *alloc)
		return 0;
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return adr__error_oom();
		n *= 2;
	}
	if (!(p = adr__reallocarray(*items, n, elem)))
		return ADR_ENOMEM;
	*items = p;
	*alloc = n;
	return 0;
}
