/*
 * log/check_pairs.c: what adr check compares across the records of one
 * set, in O(n log n) rather than by comparing every record with every
 * other: a record by number and by path (the targets of links), and the
 * earlier records that may share a number or a name with a record (the
 * same name but for case, or in another Unicode form). The findings and
 * their order are those of the pairwise comparison (see check.c).
 */
#include "log/check_internal.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/slug.h"
#include "util/alloc.h"
#include "util/error.h"

typedef struct {
	const char *key; /* the path, the path folded to lower case, or its slug; NULL: by number */
	int number;
	size_t idx;      /* the record's index in the set */
} entry;

/* The records that have a key, sorted by key then index; pos[i] is where
 * record i is (SIZE_MAX: it has no key here). */
typedef struct {
	entry *e;
	size_t n;
	size_t *pos;
} table;

struct adr__check_lookup {
	const adr_recordset *set;
	table by_number, by_path, by_case, by_form;
	char **owned; /* the folded paths and slugs */
	size_t nowned;
	size_t *cand; /* adr__check_lookup_pairs' answer */
	size_t ncand, acand;
};

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = x->key ? strcmp(x->key, y->key) : (x->number > y->number) - (x->number < y->number);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static bool same_key(const entry *x, const entry *y)
{
	return x->key ? strcmp(x->key, y->key) == 0 : x->number == y->number;
}

static int table_init(table *t, size_t count)
{
	t->n = 0;
	t->e = adr__calloc(count ? count : 1, sizeof(*t->e));
	t->pos = adr__calloc(count ? count : 1, sizeof(*t->pos));
	return t->e && t->pos ? 0 : ADR_ENOMEM;
}

static void table_add(table *t, const char *key, int number, size_t idx)
{
	t->e[t->n].key = key;
	t->e[t->n].number = number;
	t->e[t->n].idx = idx;
	t->n++;
}

static void table_sort(table *t, size_t count)
{
	for (size_t i = 0; i < count; i++)
		t->pos[i] = SIZE_MAX;
	if (t->n)
		qsort(t->e, t->n, sizeof(*t->e), cmp_entry);
	for (size_t k = 0; k < t->n; k++)
		t->pos[t->e[k].idx] = k;
}

static void table_dispose(table *t)
{
	free(t->e);
	free(t->pos);
}

/* The first entry not below `want` (key, number, index 0). */
static size_t lower_bound(const table *t, const char *key, int number)
{
	entry want = { key, number, 0 };
	size_t lo = 0, hi = t->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_entry(&t->e[mid], &want) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

/* Keeps `s` (NULL: out of memory) for the lookup's lifetime. */
static const char *own(adr__check_lookup *l, char *s)
{
	if (s)
		l->owned[l->nowned++] = s;
	return s;
}

/* strcasecmp() compares tolower() of each byte: equal folded keys are the
 * names strcasecmp() finds equal. */
static char *fold(const char *s)
{
	char *f = adr__strdup(s);
	for (char *p = f; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return f;
}

/* The slug that same_in_other_form() compares, or NULL when it would never
 * find the path the same as another (ASCII, short, no slug). */
static char *form_key(const char *path, int *rc)
{
	adr_buf b = ADR_BUF_INIT;
	char *key = NULL;
	*rc = 0;
	if (strlen(path) < 3 || !non_ascii(path))
		return NULL;
	if (adr_slugify(&b, path) == 0 && b.size) {
		if (!(key = adr_buf_detach(&b)))
			*rc = ADR_ENOMEM;
	}
	adr_error_clear();
	adr_buf_dispose(&b);
	return key;
}

static int add_paths(adr__check_lookup *l)
{
	const adr_recordset *set = l->set;
	int rc;
	for (size_t i = 0; i < set->count; i++) {
		const adr_record *r = set->items[i];
		const char *k;
		char *form;
		if (!r->path)
			continue;
		table_add(&l->by_path, r->path, 0, i);
		if (!(k = own(l, fold(r->path))))
			return ADR_ENOMEM;
		table_add(&l->by_case, k, 0, i);
		if ((form = form_key(r->path, &rc)) != NULL)
			table_add(&l->by_form, own(l, form), 0, i);
		else if (rc < 0)
			return rc;
	}
	return 0;
}

int adr__check_lookup_new(adr__check_lookup **out, const adr_recordset *set)
{
	adr__check_lookup *l = adr__calloc(1, sizeof(*l));
	size_t n = set->count;
	int rc;

	*out = NULL;
	if (!l)
		return ADR_ENOMEM;
	l->set = set;
	if ((rc = table_init(&l->by_number, n)) < 0 || (rc = table_init(&l->by_path, n)) < 0 ||
	    (rc = table_init(&l->by_case, n)) < 0 || (rc = table_init(&l->by_form, n)) < 0)
		goto fail;
	if (!(l->owned = adr__calloc(2 * n + 1, sizeof(*l->owned)))) {
		rc = ADR_ENOMEM;
		goto fail;
	}
	for (size_t i = 0; i < n; i++)
		if (set->items[i]->number >= 0)
			table_add(&l->by_number, NULL, set->items[i]->number, i);
	if ((rc = add_paths(l)) < 0)
		goto fail;
	table_sort(&l->by_number, n);
	table_sort(&l->by_path, n);
	table_sort(&l->by_case, n);
	table_sort(&l->by_form, n);
	*out = l;
	return 0;
fail:
	adr__check_lookup_free(l);
	return rc;
}

void adr__check_lookup_free(adr__check_lookup *l)
{
	if (!l)
		return;
	table_dispose(&l->by_number);
	table_dispose(&l->by_path);
	table_dispose(&l->by_case);
	table_dispose(&l->by_form);
	for (size_t i = 0; i < l->nowned; i++)
		free(l->owned[i]);
	free(l->owned);
	free(l->cand);
	free(l);
}

const adr_record *adr__check_find_number(const adr__check_lookup *l, int n)
{
	const table *t = &l->by_number;
	size_t k;
	if (n < 0) {
		/* Only records without a number have a negative one. */
		for (size_t i = 0; i < l->set->count; i++)
			if (l->set->items[i]->number == n)
				return l->set->items[i];
		return NULL;
	}
	k = lower_bound(t, NULL, n);
	return k < t->n && t->e[k].number == n ? l->set->items[t->e[k].idx] : NULL;
}

bool adr__check_has_path(const adr__check_lookup *l, const char *path)
{
	const table *t = &l->by_path;
	size_t k = lower_bound(t, path, 0);
	return k < t->n && strcmp(t->e[k].key, path) == 0;
}

/* The indices of the records before record i in its group of `t`. */
static int add_group(adr__check_lookup *l, const table *t, size_t i)
{
	size_t p = t->pos[i];
	if (p == SIZE_MAX)
		return 0;
	for (size_t k = p; k-- > 0 && same_key(&t->e[k], &t->e[p]);) {
		if (ADR_ARRAY_GROW(l->cand, l->acand, l->ncand + 1) < 0)
			return ADR_ENOMEM;
		l->cand[l->ncand++] = t->e[k].idx;
	}
	return 0;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

int adr__check_lookup_pairs(adr__check_lookup *l, size_t i, const size_t **out, size_t *n)
{
	size_t u = 0;
	int rc;
	l->ncand = 0;
	if ((rc = add_group(l, &l->by_number, i)) < 0 || (rc = add_group(l, &l->by_case, i)) < 0 ||
	    (rc = add_group(l, &l->by_form, i)) < 0)
		return rc;
	if (l->ncand > 1)
		qsort(l->cand, l->ncand, sizeof(*l->cand), cmp_size);
	for (size_t k = 0; k < l->ncand; k++)
		if (!u || l->cand[u - 1] != l->cand[k])
			l->cand[u++] = l->cand[k];
	l->ncand = u;
	*out = l->cand;
	*n = u;
	return 0;
}
