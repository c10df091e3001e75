/* cmd/duplicates.c: duplicated record numbers for list and show (see duplicates.h). */
#include <stdlib.h>
#include <string.h>

#include "duplicates.h"
#include "output.h"

int cli_dups_add(cli_dups *d, int number, const char *path, const char *title)
{
	cli_dup *items;
	if (number < 0 || !path)
		return 0;
	if (d->count == d->alloc) {
		size_t alloc = d->alloc ? d->alloc * 2 : 64;
		if (!(items = realloc(d->items, alloc * sizeof(*items))))
			return cli_error("out of memory");
		d->items = items;
		d->alloc = alloc;
	}
	d->items[d->count++] = (cli_dup){ number, path, title, false };
	return 0;
}

static int cmp_dup(const void *a, const void *b)
{
	const cli_dup *x = a, *y = b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->path, y->path);
}

int cli_dups_done(cli_dups *d, adr_repo *repo)
{
	size_t kept = 0;
	const char **paths;
	bool *pub;

	if (d->count)
		qsort(d->items, d->count, sizeof(*d->items), cmp_dup);
	for (size_t i = 0; i < d->count; i++)
		if ((i > 0 && d->items[i - 1].number == d->items[i].number) ||
		    (i + 1 < d->count && d->items[i + 1].number == d->items[i].number))
			d->items[kept++] = d->items[i];
	d->count = kept;
	if (!kept)
		return 0;
	paths = calloc(kept, sizeof(*paths));
	pub = calloc(kept, sizeof(*pub));
	if (!paths || !pub) {
		free(paths);
		free(pub);
		return cli_error("out of memory");
	}
	for (size_t i = 0; i < kept; i++)
		paths[i] = d->items[i].path;
	if (adr_renumber_published(pub, repo, paths, kept) < 0) {
		cli_warning("%s; cannot tell which records are published", adr_error_last());
	} else {
		d->published_known = true;
		for (size_t i = 0; i < kept; i++)
			d->items[i].published = pub[i];
	}
	free(paths);
	free(pub);
	return 0;
}

const cli_dup *cli_dups_find(const cli_dups *d, const char *path)
{
	for (size_t i = 0; path && i < d->count; i++)
		if (!strcmp(d->items[i].path, path))
			return &d->items[i];
	return NULL;
}

void cli_dups_message(adr_buf *out, const cli_dups *d, int number)
{
	size_t n = 0, npub = 0;
	for (size_t i = 0; i < d->count; i++)
		if (d->items[i].number == number) {
			n++;
			npub += d->items[i].published;
		}
	adr_buf_printf(out, "number %04d is used by %zu records:", number, n);
	for (size_t i = 0, k = 0; i < d->count; i++) {
		const cli_dup *e = &d->items[i];
		if (e->number != number)
			continue;
		adr_buf_printf(out, "%s %s", k++ ? "," : "", cli_oneline(e->path));
		if (e->title)
			adr_buf_printf(out, " \"%s\"", cli_oneline(e->title));
		if (e->published)
			adr_buf_puts(out, " (published)");
	}
	if (npub == 0)
		adr_buf_puts(out, "; run 'adr renumber': the first-added one keeps the number, the others get new ones");
	else if (npub == 1)
		adr_buf_puts(out, "; run 'adr renumber': the published one keeps the number, the others get new ones");
	else
		adr_buf_puts(out, "; run 'adr renumber': the first-added published one keeps the number, the others "
				  "get new ones (published ones too: tell whoever has them)");
}

void cli_dups_warn(const cli_dups *d)
{
	adr_buf b = ADR_BUF_INIT;
	for (size_t i = 0; i < d->count; i++) {
		if (i > 0 && d->items[i - 1].number == d->items[i].number)
			continue;
		adr_buf_clear(&b);
		cli_dups_message(&b, d, d->items[i].number);
		cli_warning("%s", adr_buf_oom(&b) ? "out of memory" : b.ptr);
	}
	adr_buf_dispose(&b);
}

void cli_dups_dispose(cli_dups *d)
{
	free(d->items);
	d->items = NULL;
	d->count = d->alloc = 0;
}
