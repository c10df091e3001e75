/*
 * text/json.h: a strict JSON (RFC 8259) parser into adr_value trees, and a
 * streaming writer for `--json` output and for data embedded in HTML.
 *
 * Parser: exactly one JSON text; nesting at most ADR_JSON_DEPTH_MAX arrays
 * and objects; strings must be valid UTF-8 and \u escapes must pair their
 * surrogates; control characters must be escaped; no comments, trailing
 * commas, single quotes, NaN or leading zeros; a number too large for a
 * double is an error. A duplicate key in one object is an error. A leading
 * UTF-8 byte order mark is skipped (RFC 8259 allows ignoring it); `\u0000`
 * is accepted and gives a NUL byte inside the (length-counted) string.
 * Errors are ADR_EINVALID with the message `path:line:col: what`, the
 * column counted in characters from 1.
 *
 * Writer: strings are written as UTF-8, escaping `"`, `\`, the control
 * characters (C0, DEL, C1), the bidi controls and U+2028 U+2029 (what
 * adr/text.h calls unsafe) as \uNNNN. Invalid UTF-8 in a string or key
 * being written is replaced by U+FFFD, one per maximal ill-formed
 * subsequence (the Unicode/WHATWG rule), so the output is always valid
 * UTF-8 and valid JSON. Numbers that are NaN or infinite are written as
 * null. With ADR_JSON_SCRIPT_SAFE the characters `<` `>` `&` are also
 * written as \u003c \u003e \u0026, so the text can be placed inside an HTML
 * <script> element: it then never contains `</script`, `<!--` or `<script`,
 * and JSON.parse() still gives back the same strings.
 *
 * Ownership: adr__json_parse() gives the caller a tree to free with
 * adr__value_free(). The writer borrows the adr_buf it writes to; it owns
 * nothing and needs no cleanup.
 */
#ifndef ADR_JSON_H
#define ADR_JSON_H

#include "adr/common.h"
#include "text/value.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ADR_JSON_DEPTH_MAX 256

/* Flags for the writer and adr__json_escape_string(). */
enum {
	ADR_JSON_PRETTY = 1u << 0,      /* newlines and 2-space indentation (writer only) */
	ADR_JSON_SCRIPT_SAFE = 1u << 1  /* escape < > & U+2028 U+2029 */
};

/* Parses `len` bytes of `data`; `path` (may be NULL) names the input in
 * error messages. On error *out is NULL. */
int adr__json_parse(adr_value **out, const char *path, const char *data, size_t len);

/* Appends `s` (`len` bytes) as a JSON string literal, quotes included. */
int adr__json_escape_string(adr_buf *out, const char *s, size_t len, unsigned flags);

/*
 * The streaming writer. Commas, colons and (with ADR_JSON_PRETTY)
 * newlines and indentation are written automatically:
 *
 *     adr__json_writer w;
 *     adr__json_writer_init(&w, &buf, ADR_JSON_PRETTY);
 *     adr__json_begin_object(&w);
 *     adr__json_key(&w, "id");
 *     adr__json_int(&w, 12);
 *     adr__json_end_object(&w);
 *     rc = adr__json_writer_finish(&w);
 *
 * Misuse (a value where a key is expected, an end that does not match, more
 * than ADR_JSON_DEPTH_MAX levels, a second top-level value) is an
 * ADR_EINVALID error; the first error, or running out of memory, sticks:
 * later calls do nothing and return it, so checking the result of
 * adr__json_writer_finish() is enough. No newline is written at the end.
 */
typedef struct {
	adr_buf *out;
	unsigned flags;
	int error;              /* the first error, 0 if none */
	size_t depth;           /* open arrays and objects */
	bool after_key;         /* a key was written, its value is due */
	bool done;              /* a complete top-level value was written */
	unsigned char stack[ADR_JSON_DEPTH_MAX];   /* internal */
} adr__json_writer;

void adr__json_writer_init(adr__json_writer *w, adr_buf *out, unsigned flags);
int adr__json_begin_object(adr__json_writer *w);
int adr__json_end_object(adr__json_writer *w);
int adr__json_begin_array(adr__json_writer *w);
int adr__json_end_array(adr__json_writer *w);
int adr__json_key(adr__json_writer *w, const char *key);
int adr__json_keyn(adr__json_writer *w, const char *key, size_t len);
/* A NULL string is written as null. */
int adr__json_string(adr__json_writer *w, const char *s);
int adr__json_stringn(adr__json_writer *w, const char *s, size_t len);
int adr__json_int(adr__json_writer *w, long long v);
int adr__json_double(adr__json_writer *w, double v);
int adr__json_bool(adr__json_writer *w, bool v);
int adr__json_null(adr__json_writer *w);
/* Writes a whole value tree (NULL writes null). */
int adr__json_write_value(adr__json_writer *w, const adr_value *v);
/* 0 when exactly one complete value was written; else the sticky error,
 * or ADR_EINVALID when something is still open or nothing was written. */
int adr__json_writer_finish(adr__json_writer *w);

/* Shorthand: writes `v` to `out` as one JSON text. */
int adr__json_serialize(adr_buf *out, const adr_value *v, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
