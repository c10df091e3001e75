/*
 * text/value.c: the generic value tree behind text/value.h: constructors,
 * lists, maps (with a hash index once they grow), lookup and copying.
 */
#include "text/value.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Keys shorter than this are stored inside the entry (no allocation). */
#define KEY_INLINE 16
/* Maps with more entries than this get a hash index. */
#define MAP_INDEX_MIN 16

typedef struct {
	union {
		char inl[KEY_INLINE];
		char *heap;
	} k;
	size_t klen;
	adr_value *val;
} map_entry;

struct adr_value {
	adr__value_kind kind;
	bool failed;    /* a list or map: an append or set into it failed */
	union {
		bool b;
		double n;
		struct {
			char *ptr;      /* points just past the struct: one allocation */
			size_t len;
		} s;
		struct {
			adr_value **items;
			size_t count, alloc;
		} l;
		struct {
			map_entry *items;
			size_t count, alloc;
			uint32_t *index;        /* entry number + 1, 0 = empty slot */
			size_t icap;            /* a power of two, or 0 without index */
		} m;
	} u;
};

static adr_value value_null = { ADR_VALUE_NULL, false, { .b = false } };
static adr_value value_true = { ADR_VALUE_BOOL, false, { .b = true } };
static adr_value value_false = { ADR_VALUE_BOOL, false, { .b = false } };

static bool is_static(const adr_value *v)
{
	return v == &value_null || v == &value_true || v == &value_false;
}

adr_value *adr__value_null(void)
{
	return &value_null;
}

adr_value *adr__value_bool(bool b)
{
	return b ? &value_true : &value_false;
}

static adr_value *alloc_value(adr__value_kind kind)
{
	adr_value *v = adr__calloc(1, sizeof(*v));
	if (!v)
		return NULL;
	v->kind = kind;
	return v;
}

adr_value *adr__value_number(double d)
{
	adr_value *v = alloc_value(ADR_VALUE_NUMBER);
	if (v)
		v->u.n = d;
	return v;
}

adr_value *adr__value_stringn(const char *s, size_t len)
{
	adr_value *v;
	if (len > SIZE_MAX - sizeof(*v) - 1) {
		adr__error_oom();
		return NULL;
	}
	v = adr__malloc(sizeof(*v) + len + 1);
	if (!v)
		return NULL;
	v->kind = ADR_VALUE_STRING;
	v->failed = false;
	v->u.s.ptr = (char *)(v + 1);
	v->u.s.len = len;
	if (len)
		memcpy(v->u.s.ptr, s, len);
	v->u.s.ptr[len] = '\0';
	return v;
}

adr_value *adr__value_string(const char *s)
{
	return s ? adr__value_stringn(s, strlen(s)) : adr__value_null();
}

adr_value *adr__value_list(void)
{
	return alloc_value(ADR_VALUE_LIST);
}

adr_value *adr__value_map(void)
{
	return alloc_value(ADR_VALUE_MAP);
}

static const char *entry_key(const map_entry *e)
{
	return e->klen < KEY_INLINE ? e->k.inl : e->k.heap;
}

void adr__value_free(adr_value *v)
{
	size_t i;
	if (!v || is_static(v))
		return;
	switch (v->kind) {
	case ADR_VALUE_LIST:
		for (i = 0; i < v->u.l.count; i++)
			adr__value_free(v->u.l.items[i]);
		free(v->u.l.items);
		break;
	case ADR_VALUE_MAP:
		for (i = 0; i < v->u.m.count; i++) {
			map_entry *e = &v->u.m.items[i];
			if (e->klen >= KEY_INLINE)
				free(e->k.heap);
			adr__value_free(e->val);
		}
		free(v->u.m.items);
		free(v->u.m.index);
		break;
	default:
		break;
	}
	free(v);
}

adr__value_kind adr__value_kind_of(const adr_value *v)
{
	return v ? v->kind : ADR_VALUE_NULL;
}

const char *adr__value_kind_name(adr__value_kind kind)
{
	switch (kind) {
	case ADR_VALUE_NULL: return "null";
	case ADR_VALUE_BOOL: return "bool";
	case ADR_VALUE_NUMBER: return "number";
	case ADR_VALUE_STRING: return "string";
	case ADR_VALUE_LIST: return "list";
	case ADR_VALUE_MAP: return "map";
	}
	return "unknown";
}

bool adr__value_is_null(const adr_value *v)
{
	return !v || v->kind == ADR_VALUE_NULL;
}

bool adr__value_get_bool(const adr_value *v)
{
	return v && v->kind == ADR_VALUE_BOOL && v->u.b;
}

double adr__value_get_number(const adr_value *v)
{
	return v && v->kind == ADR_VALUE_NUMBER ? v->u.n : 0;
}

const char *adr__value_get_string(const adr_value *v, size_t *len)
{
	if (!v || v->kind != ADR_VALUE_STRING) {
		if (len)
			*len = 0;
		return NULL;
	}
	if (len)
		*len = v->u.s.len;
	return v->u.s.ptr;
}

size_t adr__value_count(const adr_value *v)
{
	if (!v)
		return 0;
	if (v->kind == ADR_VALUE_LIST)
		return v->u.l.count;
	if (v->kind == ADR_VALUE_MAP)
		return v->u.m.count;
	return 0;
}

bool adr__value_truthy(const adr_value *v)
{
	if (!v)
		return false;
	switch (v->kind) {
	case ADR_VALUE_NULL: return false;
	case ADR_VALUE_BOOL: return v->u.b;
	case ADR_VALUE_STRING: return v->u.s.len > 0;
	case ADR_VALUE_LIST: return v->u.l.count > 0;
	default: return true;
	}
}

bool adr__value_equal(const adr_value *a, const adr_value *b)
{
	size_t i;
	if (adr__value_kind_of(a) != adr__value_kind_of(b))
		return false;
	switch (adr__value_kind_of(a)) {
	case ADR_VALUE_NULL:
		return true;
	case ADR_VALUE_BOOL:
		return a->u.b == b->u.b;
	case ADR_VALUE_NUMBER:
		return a->u.n == b->u.n;
	case ADR_VALUE_STRING:
		return a->u.s.len == b->u.s.len &&
		       memcmp(a->u.s.ptr, b->u.s.ptr, a->u.s.len) == 0;
	case ADR_VALUE_LIST:
		if (a->u.l.count != b->u.l.count)
			return false;
		for (i = 0; i < a->u.l.count; i++)
			if (!adr__value_equal(a->u.l.items[i], b->u.l.items[i]))
				return false;
		return true;
	case ADR_VALUE_MAP:
		if (a->u.m.count != b->u.m.count)
			return false;
		for (i = 0; i < a->u.m.count; i++) {
			const map_entry *x = &a->u.m.items[i], *y = &b->u.m.items[i];
			if (x->klen != y->klen ||
			    memcmp(entry_key(x), entry_key(y), x->klen) != 0 ||
			    !adr__value_equal(x->val, y->val))
				return false;
		}
		return true;
	}
	return false;
}

/* The digest's parts: a kind byte, then a length or the bytes. */
static void digest_len(adr_buf *out, size_t n)
{
	uint64_t v = n;
	adr_buf_put(out, &v, sizeof(v));
}

static int digest(adr_buf *out, const adr_value *v, int depth)
{
	unsigned char kind = (unsigned char)adr__value_kind_of(v);
	int rc = 0;

	if (depth > ADR_VALUE_DIGEST_DEPTH)
		return adr__error(ADR_EINVALID, "value nested deeper than %d", ADR_VALUE_DIGEST_DEPTH);
	adr_buf_putc(out, (char)kind);
	switch (adr__value_kind_of(v)) {
	case ADR_VALUE_NULL:
		break;
	case ADR_VALUE_BOOL:
		adr_buf_putc(out, v->u.b ? 1 : 0);
		break;
	case ADR_VALUE_NUMBER:
		adr_buf_put(out, &v->u.n, sizeof(v->u.n));
		break;
	case ADR_VALUE_STRING:
		digest_len(out, v->u.s.len);
		adr_buf_put(out, v->u.s.ptr, v->u.s.len);
		break;
	case ADR_VALUE_LIST:
		digest_len(out, v->u.l.count);
		for (size_t i = 0; i < v->u.l.count && rc == 0; i++)
			rc = digest(out, v->u.l.items[i], depth + 1);
		break;
	case ADR_VALUE_MAP:
		digest_len(out, v->u.m.count);
		for (size_t i = 0; i < v->u.m.count && rc == 0; i++) {
			const map_entry *e = &v->u.m.items[i];
			digest_len(out, e->klen);
			adr_buf_put(out, entry_key(e), e->klen);
			rc = digest(out, e->val, depth + 1);
		}
		break;
	}
	if (rc == 0 && adr_buf_oom(out))
		rc = adr__error_oom();
	return rc;
}

int adr__value_digest(adr_buf *out, const adr_value *v)
{
	return digest(out, v, 0);
}

adr_value *adr__value_copy(const adr_value *v)
{
	adr_value *c;
	size_t i;
	if (!v)
		return NULL;
	switch (v->kind) {
	case ADR_VALUE_NULL:
	case ADR_VALUE_BOOL:
		return is_static(v) ? (adr_value *)v : adr__value_bool(v->u.b);
	case ADR_VALUE_NUMBER:
		return adr__value_number(v->u.n);
	case ADR_VALUE_STRING:
		return adr__value_stringn(v->u.s.ptr, v->u.s.len);
	case ADR_VALUE_LIST:
		if (!(c = adr__value_list()))
			return NULL;
		if (adr__value_list_reserve(c, v->u.l.count) < 0)
			goto cleanup;
		for (i = 0; i < v->u.l.count; i++)
			if (adr__value_list_append(c, adr__value_copy(v->u.l.items[i])) < 0)
				goto cleanup;
		c->failed = v->failed;
		return c;
	case ADR_VALUE_MAP:
		if (!(c = adr__value_map()))
			return NULL;
		for (i = 0; i < v->u.m.count; i++) {
			const map_entry *e = &v->u.m.items[i];
			if (adr__value_map_setn(c, entry_key(e), e->klen, adr__value_copy(e->val)) < 0)
				goto cleanup;
		}
		c->failed = v->failed;
		return c;
	}
	return NULL;
cleanup:        /* only reached on failure */
	adr__value_free(c);
	return NULL;
}

/* Lists */

int adr__value_list_reserve(adr_value *list, size_t n)
{
	if (!list || list->kind != ADR_VALUE_LIST)
		return adr__error(ADR_EINVALID, "value is not a list");
	if (n > SIZE_MAX / sizeof(adr_value *) - list->u.l.count)
		return adr__error_oom();
	return ADR_ARRAY_GROW(list->u.l.items, list->u.l.alloc, list->u.l.count + n);
}

/* Marks a container that lacks what a caller added to it. */
static void mark_failed(adr_value *v)
{
	if (v && (v->kind == ADR_VALUE_LIST || v->kind == ADR_VALUE_MAP))
		v->failed = true;
}

bool adr__value_failed(const adr_value *v)
{
	if (!v)
		return false;
	if (v->failed)
		return true;
	if (v->kind == ADR_VALUE_LIST) {
		for (size_t i = 0; i < v->u.l.count; i++)
			if (adr__value_failed(v->u.l.items[i]))
				return true;
	} else if (v->kind == ADR_VALUE_MAP) {
		for (size_t i = 0; i < v->u.m.count; i++)
			if (adr__value_failed(v->u.m.items[i].val))
				return true;
	}
	return false;
}

int adr__value_list_append(adr_value *list, adr_value *item)
{
	int rc;
	if (!item) { /* its constructor failed: say so again, whatever came between */
		mark_failed(list);
		return adr__error_oom();
	}
	if ((rc = adr__value_list_reserve(list, 1)) < 0) {
		mark_failed(list);
		adr__value_free(item);
		return rc;
	}
	list->u.l.items[list->u.l.count++] = item;
	return 0;
}

int adr__value_list_append_string(adr_value *list, const char *s)
{
	return adr__value_list_append(list, adr__value_string(s));
}

const adr_value *adr__value_list_get(const adr_value *list, size_t i)
{
	if (!list || list->kind != ADR_VALUE_LIST || i >= list->u.l.count)
		return NULL;
	return list->u.l.items[i];
}

adr_value *adr__value_list_get_mut(adr_value *list, size_t i)
{
	return (adr_value *)adr__value_list_get(list, i);
}

/* Maps */

static uint32_t hash_key(const char *key, size_t len)
{
	return (uint32_t)adr__hash(key, len);
}

static void index_insert(adr_value *map, size_t entry)
{
	const map_entry *e = &map->u.m.items[entry];
	size_t mask = map->u.m.icap - 1;
	size_t slot = hash_key(entry_key(e), e->klen) & mask;
	while (map->u.m.index[slot])
		slot = (slot + 1) & mask;
	map->u.m.index[slot] = (uint32_t)(entry + 1);
}

/* Keeps the index at most half full; builds it once the map is big enough.
 * Failing to allocate an index only costs speed. */
static void index_grow(adr_value *map)
{
	size_t count = map->u.m.count, cap;
	uint32_t *idx = NULL;
	if (count < MAP_INDEX_MIN)
		return;
	if (map->u.m.icap && count * 2 < map->u.m.icap)
		return;
	cap = map->u.m.icap ? map->u.m.icap : 64;
	while (count * 2 >= cap && cap < SIZE_MAX / 4)
		cap *= 2;
	if (count < UINT32_MAX - 1 && count * 2 < cap)
		idx = calloc(cap, sizeof(*idx));
	free(map->u.m.index);
	map->u.m.index = NULL;
	map->u.m.icap = 0;
	if (!idx)
		return;     /* linear lookups from now on */
	map->u.m.index = idx;
	map->u.m.icap = cap;
	for (size_t i = 0; i < count; i++)
		index_insert(map, i);
}

static map_entry *map_find(const adr_value *map, const char *key, size_t klen)
{
	map_entry *items = map->u.m.items;
	if (map->u.m.icap) {
		size_t mask = map->u.m.icap - 1;
		size_t slot = hash_key(key, klen) & mask;
		uint32_t n;
		while ((n = map->u.m.index[slot]) != 0) {
			map_entry *e = &items[n - 1];
			if (e->klen == klen && memcmp(entry_key(e), key, klen) == 0)
				return e;
			slot = (slot + 1) & mask;
		}
		return NULL;
	}
	for (size_t i = 0; i < map->u.m.count; i++) {
		map_entry *e = &items[i];
		if (e->klen == klen && memcmp(entry_key(e), key, klen) == 0)
			return e;
	}
	return NULL;
}

int adr__value_map_setn(adr_value *map, const char *key, size_t klen, adr_value *val)
{
	map_entry *e;
	int rc = 0;
	if (!val) { /* its constructor failed: say so again, whatever came between */
		mark_failed(map);
		return adr__error_oom();
	}
	if (!map || map->kind != ADR_VALUE_MAP) {
		rc = adr__error(ADR_EINVALID, "value is not a map");
		goto cleanup;
	}
	if ((e = map_find(map, key, klen)) != NULL) {
		adr__value_free(e->val);
		e->val = val;
		return 0;
	}
	if (map->u.m.count >= UINT32_MAX - 1) { /* the index numbers entries in 32 bits */
		rc = adr__error_oom();
		goto cleanup;
	}
	if ((rc = ADR_ARRAY_GROW(map->u.m.items, map->u.m.alloc, map->u.m.count + 1)) < 0)
		goto cleanup;
	e = &map->u.m.items[map->u.m.count];
	if (klen < KEY_INLINE) {
		if (klen)
			memcpy(e->k.inl, key, klen);
		e->k.inl[klen] = '\0';
	} else {
		if (klen == SIZE_MAX) {
			rc = adr__error_oom();
			goto cleanup;
		}
		if (!(e->k.heap = adr__malloc(klen + 1))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		memcpy(e->k.heap, key, klen);
		e->k.heap[klen] = '\0';
	}
	e->klen = klen;
	e->val = val;
	map->u.m.count++;
	if (map->u.m.icap && map->u.m.count * 2 < map->u.m.icap)
		index_insert(map, map->u.m.count - 1);
	else
		index_grow(map);
	return 0;
cleanup:        /* only reached on failure: the value is ours to free */
	if (rc == ADR_ENOMEM)
		mark_failed(map);
	adr__value_free(val);
	return rc;
}

int adr__value_map_set(adr_value *map, const char *key, adr_value *val)
{
	return adr__value_map_setn(map, key, strlen(key), val);
}

int adr__value_map_set_string(adr_value *map, const char *key, const char *s)
{
	return adr__value_map_set(map, key, adr__value_string(s));
}

int adr__value_map_set_stringn(adr_value *map, const char *key, const char *s, size_t len)
{
	return adr__value_map_set(map, key, adr__value_stringn(s, len));
}

int adr__value_map_set_number(adr_value *map, const char *key, double d)
{
	return adr__value_map_set(map, key, adr__value_number(d));
}

int adr__value_map_set_bool(adr_value *map, const char *key, bool b)
{
	return adr__value_map_set(map, key, adr__value_bool(b));
}

const adr_value *adr__value_map_getn(const adr_value *map, const char *key, size_t klen)
{
	const map_entry *e;
	if (!map || map->kind != ADR_VALUE_MAP)
		return NULL;
	e = map_find(map, key, klen);
	return e ? e->val : NULL;
}

const adr_value *adr__value_map_get(const adr_value *map, const char *key)
{
	return adr__value_map_getn(map, key, strlen(key));
}

adr_value *adr__value_map_get_mut(adr_value *map, const char *key)
{
	return (adr_value *)adr__value_map_get(map, key);
}

const char *adr__value_map_key(const adr_value *map, size_t i, size_t *klen)
{
	if (!map || map->kind != ADR_VALUE_MAP || i >= map->u.m.count)
		return NULL;
	if (klen)
		*klen = map->u.m.items[i].klen;
	return entry_key(&map->u.m.items[i]);
}

const adr_value *adr__value_map_value(const adr_value *map, size_t i)
{
	if (!map || map->kind != ADR_VALUE_MAP || i >= map->u.m.count)
		return NULL;
	return map->u.m.items[i].val;
}

const adr_value *adr__value_lookup(const adr_value *v, const char *path)
{
	const char *p = path, *dot;
	if (!v || !path)
		return NULL;
	if (!*p || strcmp(p, ".") == 0)
		return v;
	for (;;) {
		dot = strchr(p, '.');
		v = adr__value_map_getn(v, p, dot ? (size_t)(dot - p) : strlen(p));
		if (!v || !dot)
			return v;
		p = dot + 1;
	}
}

const char *adr__value_lookup_string(const adr_value *v, const char *path)
{
	return adr__value_get_string(adr__value_lookup(v, path), NULL);
}

/* Numbers */

/* snprintf and strtod follow LC_NUMERIC; these two undo that. */
static char locale_point(void)
{
	const struct lconv *lc = localeconv();
	return lc && lc->decimal_point && lc->decimal_point[0] &&
	       !lc->decimal_point[1] ? lc->decimal_point[0] : '.';
}

static void to_c_point(char *s, char point)
{
	if (point == '.')
		return;
	for (; *s; s++)
		if (*s == point)
			*s = '.';
}

static double c_strtod(const char *s, char point)
{
	char tmp[64];
	size_t n = strlen(s);
	if (point == '.' || n >= sizeof(tmp))
		return strtod(s, NULL);
	memcpy(tmp, s, n + 1);
	for (char *p = tmp; *p; p++)
		if (*p == '.')
			*p = point;
	return strtod(tmp, NULL);
}

int adr__value_number_format(adr_buf *out, double d)
{
	char tmp[40];
	char point;
	if (isnan(d))
		return adr_buf_puts(out, "NaN");
	if (isinf(d))
		return adr_buf_puts(out, d < 0 ? "-Infinity" : "Infinity");
	if (d == 0)
		return adr_buf_putc(out, '0');
	if (fabs(d) < 1e15 && d == floor(d))
		return adr_buf_printf(out, "%.0f", d);
	point = locale_point();
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, d);
		to_c_point(tmp, point);
		if (prec == 17 || c_strtod(tmp, point) == d)
			break;
	}
	return adr_buf_puts(out, tmp);
}
