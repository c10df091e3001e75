/*
 * text/value.h: a generic value tree (null, bool, number, string, list, map),
 * the data model shared by the JSON reader/writer and the Mustache engine.
 *
 * Strings are UTF-8 (not checked here), length-counted and may hold NUL
 * bytes; they are also NUL-terminated, so a string without NUL bytes can be
 * used as a C string. Maps keep their keys in insertion order; setting an
 * existing key replaces the value in place. Map lookup is a linear scan for
 * small maps and a hash lookup once a map grows past a few dozen keys, so
 * building and reading maps and lists of any size is linear overall.
 *
 * Ownership: every constructor returns a new value owned by the caller (NULL
 * when out of memory, with the last error set), freed with adr__value_free().
 * adr__value_list_append() and adr__value_map_set() take ownership of the value
 * they are given, even when they fail (it is freed then), and accept NULL as
 * "the constructor failed" (they return ADR_ENOMEM), so builders can nest
 * constructor calls without leaking:
 *
 *     adr__value_map_set(rec, "title", adr__value_string(title));
 *
 * A list or map whose append or set failed remembers it: adr__value_failed()
 * tells whether anything in a tree is missing, so a builder may check once,
 * before using the tree, instead of after every call.
 *
 * A child stays at the same address once added, so a caller may keep adding
 * to a list or map after handing it to its parent. Every `const adr_value *`
 * returned by a lookup is borrowed from the tree it came from.
 *
 * null, true and false are shared immutable singletons (no allocation);
 * adr__value_free() knows them. A value tree must not contain cycles, and one
 * value must not be added to two containers.
 */
#ifndef ADR_VALUE_H
#define ADR_VALUE_H

#include "adr/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
	ADR_VALUE_NULL = 0,
	ADR_VALUE_BOOL,
	ADR_VALUE_NUMBER,
	ADR_VALUE_STRING,
	ADR_VALUE_LIST,
	ADR_VALUE_MAP
} adr__value_kind;

typedef struct adr_value adr_value;

/* Constructors. */
adr_value *adr__value_null(void);
adr_value *adr__value_bool(bool b);
adr_value *adr__value_number(double d);
/* Copies `s`; a NULL `s` gives a null value. */
adr_value *adr__value_string(const char *s);
/* Copies `len` bytes of `s` (which may be NULL when len is 0). */
adr_value *adr__value_stringn(const char *s, size_t len);
adr_value *adr__value_list(void);
adr_value *adr__value_map(void);
/* A deep copy; NULL when `v` is NULL or memory runs out. */
adr_value *adr__value_copy(const adr_value *v);
/* Frees `v` and everything in it. NULL-safe. */
void adr__value_free(adr_value *v);

/* Reading. A NULL value reads as null. */
adr__value_kind adr__value_kind_of(const adr_value *v);
const char *adr__value_kind_name(adr__value_kind kind);   /* "null", "bool", ... */
bool adr__value_is_null(const adr_value *v);              /* NULL or null */
/* The boolean; false unless `v` is a bool. */
bool adr__value_get_bool(const adr_value *v);
/* The number; 0 unless `v` is a number. */
double adr__value_get_number(const adr_value *v);
/* The string and its length (if `len` is not NULL); NULL unless `v` is a string. */
const char *adr__value_get_string(const adr_value *v, size_t *len);
/* The number of list items or map entries; 0 for anything else. */
size_t adr__value_count(const adr_value *v);
/* Truthiness as Mustache sections see it: NULL, null, false, the empty
 * string and the empty list are false; everything else (0 and the empty
 * map included) is true. */
bool adr__value_truthy(const adr_value *v);
/* Deep equality; numbers compare with ==, maps compare in key order. */
bool adr__value_equal(const adr_value *a, const adr_value *b);
/*
 * Appends to `out` bytes that stand for `v` whole (kinds, keys in their
 * order, lengths, contents, numbers bit for bit): two values give the same
 * bytes only when they are the same, so a hash of them fingerprints what a
 * template rendered with `v` can show.
 * Returns 0, ADR_ENOMEM, or ADR_EINVALID for a value nested deeper than
 * ADR_VALUE_DIGEST_DEPTH.
 */
#define ADR_VALUE_DIGEST_DEPTH 64
int adr__value_digest(adr_buf *out, const adr_value *v);

/* True when an append or set into `v` or into a list or map in it failed
 * (memory ran out): the tree lacks something its builder added. */
bool adr__value_failed(const adr_value *v);

/* Lists. */
int adr__value_list_append(adr_value *list, adr_value *item);
/* Makes room for `n` more items. */
int adr__value_list_reserve(adr_value *list, size_t n);
/* Item `i`, or NULL when `list` is not a list or `i` is out of range. */
const adr_value *adr__value_list_get(const adr_value *list, size_t i);
adr_value *adr__value_list_get_mut(adr_value *list, size_t i);

/* Maps. Keys are copied; they may hold any bytes. */
int adr__value_map_set(adr_value *map, const char *key, adr_value *val);
int adr__value_map_setn(adr_value *map, const char *key, size_t klen, adr_value *val);
/* The value for `key`, or NULL when absent or `map` is not a map. */
const adr_value *adr__value_map_get(const adr_value *map, const char *key);
const adr_value *adr__value_map_getn(const adr_value *map, const char *key, size_t klen);
adr_value *adr__value_map_get_mut(adr_value *map, const char *key);
/* Entry `i` in insertion order: its key (NUL-terminated; length in `klen`
 * if not NULL) and its value. NULL when out of range. */
const char *adr__value_map_key(const adr_value *map, size_t i, size_t *klen);
const adr_value *adr__value_map_value(const adr_value *map, size_t i);

/* Shorthands for builders: map_set(map, key, adr__value_<kind>(x)). A NULL
 * string sets null. */
int adr__value_map_set_string(adr_value *map, const char *key, const char *s);
int adr__value_map_set_stringn(adr_value *map, const char *key, const char *s, size_t len);
int adr__value_map_set_number(adr_value *map, const char *key, double d);
int adr__value_map_set_bool(adr_value *map, const char *key, bool b);
int adr__value_list_append_string(adr_value *list, const char *s);

/* Follows a dotted path of map keys ("a.b.c") from `v`; "" or "." is `v`
 * itself. NULL when any step is missing or not a map. */
const adr_value *adr__value_lookup(const adr_value *v, const char *path);
/* The string at `path`, or NULL when it is missing or not a string. */
const char *adr__value_lookup_string(const adr_value *v, const char *path);

/* Appends the shortest decimal text that reads back as `d`: integers of
 * magnitude below 1e15 without fraction or exponent ("85", "0", "-3"),
 * anything else with up to 17 significant digits in %g style ("1.21",
 * "1e+20", "1.5e-07"). Negative zero prints as "0". NaN and the infinities
 * give "NaN", "Infinity" and "-Infinity" (the JSON writer writes them as
 * null instead). Independent of the C locale. */
int adr__value_number_format(adr_buf *out, double d);

#ifdef __cplusplus
}
#endif
#endif
