/* util/buf.c: adr_buf and adr_strlist (adr/common.h); a failed allocation
 * sets the error itself (util/alloc.h). */
#include "adr/common.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

char adr_buf__empty[1];

int adr_buf_grow(adr_buf *b, size_t extra)
{
	size_t need, n;
	char *p;
	if (b->oom)
		return ADR_ENOMEM;
	if (extra > SIZE_MAX - b->size - 1)
		goto fail;
	need = b->size + extra + 1;
	if (need <= b->asize)
		return 0;
	n = b->asize ? b->asize : 64;
	while (n < need) {
		if (n > SIZE_MAX / 2) {
			n = need;
			break;
		}
		n *= 2;
	}
	p = b->asize ? realloc(b->ptr, n) : malloc(n);
	/* (plain realloc: the error is set once, at fail) */
	if (!p)
		goto fail;
	if (!b->asize)
		p[0] = '\0';
	b->ptr = p;
	b->asize = n;
	return 0;
fail:
	b->oom = true;
	return adr__error_oom();
}

int adr_buf_put(adr_buf *b, const void *data, size_t len)
{
	if (len == 0)
		return b->oom ? ADR_ENOMEM : 0;
	if (adr_buf_grow(b, len) < 0)
		return ADR_ENOMEM;
	memmove(b->ptr + b->size, data, len);
	b->size += len;
	b->ptr[b->size] = '\0';
	return 0;
}

int adr_buf_puts(adr_buf *b, const char *s)
{
	return adr_buf_put(b, s, strlen(s));
}

int adr_buf_putc(adr_buf *b, char c)
{
	return adr_buf_put(b, &c, 1);
}

int adr_buf_vprintf(adr_buf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list cp;
	int n;
	/* formatted once when it is short (most are), else measured first */
	va_copy(cp, ap);
	n = vsnprintf(small, sizeof(small), fmt, cp);
	va_end(cp);
	if (n < 0)
		return adr__error(ADR_ERROR, "cannot format '%s'", fmt);
	if ((size_t)n < sizeof(small))
		return n ? adr_buf_put(b, small, (size_t)n) : adr_buf_grow(b, 0);
	if (adr_buf_grow(b, (size_t)n) < 0)
		return ADR_ENOMEM;
	vsnprintf(b->ptr + b->size, (size_t)n + 1, fmt, ap);
	b->size += (size_t)n;
	return 0;
}

int adr_buf_printf(adr_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = adr_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int adr_buf_set(adr_buf *b, const void *data, size_t len)
{
	adr_buf_clear(b);
	return adr_buf_put(b, data, len);
}

void adr_buf_truncate(adr_buf *b, size_t len)
{
	if (len < b->size) {
		b->size = len;
		b->ptr[len] = '\0';
	}
}

void adr_buf_clear(adr_buf *b)
{
	adr_buf_truncate(b, 0);
}

bool adr_buf_oom(const adr_buf *b)
{
	return b->oom;
}

void adr_buf_dispose(adr_buf *b)
{
	if (b->asize)
		free(b->ptr);
	b->ptr = adr_buf__empty;
	b->size = b->asize = 0;
	b->oom = false;
}

char *adr_buf_detach(adr_buf *b)
{
	char *p = b->asize ? b->ptr : adr__strdup("");
	b->ptr = adr_buf__empty;
	b->size = b->asize = 0;
	b->oom = false;
	return p;
}

/* adr_strlist */

int adr_strlist_addn(adr_strlist *l, const char *s, size_t n)
{
	char *copy;
	if (ADR_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	copy = adr__malloc(n + 1);
	ADR_ALLOC_CHECK(copy);
	memcpy(copy, s, n);
	copy[n] = '\0';
	l->items[l->count++] = copy;
	return 0;
}

int adr_strlist_add(adr_strlist *l, const char *s)
{
	return adr_strlist_addn(l, s, strlen(s));
}

bool adr_strlist_contains(const adr_strlist *l, const char *s)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i], s) == 0)
			return true;
	return false;
}

int adr_strlist_add_unique(adr_strlist *l, const char *s)
{
	return adr_strlist_contains(l, s) ? 0 : adr_strlist_add(l, s);
}

int adr_strlist_copy(adr_strlist *dst, const adr_strlist *src)
{
	adr_strlist_dispose(dst);
	for (size_t i = 0; i < src->count; i++)
		if (adr_strlist_add(dst, src->items[i]) < 0)
			return ADR_ENOMEM;
	return 0;
}

bool adr_strlist_equal(const adr_strlist *a, const adr_strlist *b)
{
	if (a->count != b->count)
		return false;
	for (size_t i = 0; i < a->count; i++)
		if (strcmp(a->items[i], b->items[i]) != 0)
			return false;
	return true;
}

void adr_strlist_dispose(adr_strlist *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->count = l->alloc = 0;
}
