/*
 * filename.c: record file names: "0042-use-postgres.md" from a number and a
 * slug, and back (also "adr042-slug.md", "42-slug.md"); log4brains' date
 * names ("20200924-slug.md") and the numbers they get until imported.
 */
#include "adr/record.h"
#include "record/record_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

int adr_record_filename(adr_buf *out, int number, const char *slug)
{
	if (number < 0 || number > NUMBER_MAX)
		return adr__error(ADR_EINVALID, "%d is not a record number", number);
	if (slug && *slug) {
		for (const char *p = slug; *p; p++)
			if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7F)
				return adr__error(ADR_EINVALID, "slug '%s' is not a file name", slug);
		if (slug[0] == '.' || slug[0] == '-')
			return adr__error(ADR_EINVALID, "slug '%s' is not a file name", slug);
	}
	adr_buf_clear(out);
	if (slug && *slug)
		adr_buf_printf(out, "%04d-%s.md", number, slug);
	else
		adr_buf_printf(out, "%04d.md", number);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

int adr_record_parse_filename(int *number, adr_buf *slug_out, const char *filename)
{
	const char *base, *p, *end;
	size_t n, d = 0;
	long v = 0;
	*number = -1;
	if (!filename)
		return adr__error(ADR_ENOTFOUND, "no file name");
	base = strrchr(filename, '/');
	base = base ? base + 1 : filename;
	n = strlen(base);
	if (n >= 3 && adr__record_ieqn(base + n - 3, ".md", 3))
		n -= 3;
	else if (memchr(base, '.', n))
		goto none;
	end = base + n;
	p = base;
	if (n >= 3 && adr__record_ieqn(p, "adr", 3)) {
		p += 3;
		if (p < end && (*p == '-' || *p == '_'))
			p++;
	}
	while (p + d < end && adr__record_is_digit(p[d]) && d < 8) {
		v = v * 10 + (p[d] - '0');
		d++;
	}
	/* no number, or 8 digits and more (a date prefix such as 20201016-) */
	if (d == 0 || d > 7 || (p + d < end && adr__record_is_digit(p[d])))
		goto none;
	p += d;
	if (p < end && *p != '-' && *p != '_')
		goto none;
	if (p < end)
		p++;
	if (slug_out) {
		adr_buf_clear(slug_out);
		if (adr_buf_put(slug_out, p, (size_t)(end - p)) < 0)
			return ADR_ENOMEM;
	}
	*number = (int)v;
	return 0;
none:
	return adr__error(ADR_ENOTFOUND, "'%s' does not start with a record number", filename);
}

bool adr_record_date_named(const char *filename)
{
	const char *base = filename ? strrchr(filename, '/') : NULL;
	size_t n;
	base = base ? base + 1 : filename;
	if (!base)
		return false;
	n = strlen(base);
	if (n < 13 || !adr__record_ieqn(base + n - 3, ".md", 3))
		return false;
	for (int i = 0; i < 8; i++)
		if (!adr__record_is_digit(base[i]))
			return false;
	return base[8] == '-' || base[8] == '_';
}

typedef struct {
	const char *name;
	size_t at;
} dated_name;

static int cmp_dated(const void *a, const void *b)
{
	const dated_name *x = a, *y = b;
	const char *bx = strrchr(x->name, '/'), *by = strrchr(y->name, '/');
	int c = strcmp(bx ? bx + 1 : x->name, by ? by + 1 : y->name);
	return c ? c : strcmp(x->name, y->name);
}

int adr_record_number_dated(int *numbers, const char *const *names, size_t n, int max)
{
	dated_name *d;
	if (!n)
		return 0;
	if (!(d = adr__calloc(n, sizeof(*d))))
		return ADR_ENOMEM;
	for (size_t i = 0; i < n; i++)
		d[i] = (dated_name){ names[i], i };
	qsort(d, n, sizeof(*d), cmp_dated);
	for (size_t i = 0; i < n; i++)
		numbers[d[i].at] = max + 1 + (int)i;
	free(d);
	return 0;
}
