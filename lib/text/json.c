/*
 * text/json.c: the strict JSON parser into adr_value trees and the
 * streaming writer behind text/json.h.
 */
#include "text/json.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/utf8.h"
#include "adr/text.h"
#include "text/value.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void put_utf8(adr_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	adr_buf_put(b, u, n);
}

/* Parser */

typedef struct {
	const char *path;
	const unsigned char *s;
	size_t len, pos;
	adr_buf str;            /* the last string read */
} parser;

static int perr(parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(parser *p, size_t at, const char *fmt, ...)
{
	char msg[512];
	size_t line = 1, col = 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < at && i < p->len; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else if ((p->s[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	return adr__error(ADR_EINVALID, "%s:%zu:%zu: %s",
			  p->path ? p->path : "<json>", line, col, msg);
}

/* A short, printable description of the byte at `at` for messages. */
static const char *describe(parser *p, size_t at, char *tmp, size_t n)
{
	unsigned c;
	if (at >= p->len)
		return "end of input";
	c = p->s[at];
	if (c > 0x20 && c < 0x7F)
		snprintf(tmp, n, "'%c'", (char)c);
	else
		snprintf(tmp, n, "byte 0x%02x", c);
	return tmp;
}

static int unexpected(parser *p, const char *expected)
{
	char tmp[16];
	return perr(p, p->pos, "unexpected %s, expected %s",
		    describe(p, p->pos, tmp, sizeof(tmp)), expected);
}

/* Copies up to 60 bytes of a key for a message, control bytes as '?'. */
static void key_for_msg(char *dst, size_t n, const char *key, size_t klen)
{
	size_t i, max = klen < n - 4 ? klen : n - 4;
	for (i = 0; i < max; i++)
		dst[i] = (unsigned char)key[i] < 0x20 ? '?' : key[i];
	if (max < klen)
		memcpy(dst + i, "...", 3), i += 3;
	dst[i] = '\0';
}

static void skip_ws(parser *p)
{
	while (p->pos < p->len) {
		unsigned char c = p->s[p->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		p->pos++;
	}
}

static int hex4(parser *p, size_t at, uint32_t *out)
{
	uint32_t v = 0;
	if (p->len - at < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		unsigned c = p->s[at + i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* Reads the string at p->pos (a '"') into p->str. */
static int parse_string(parser *p)
{
	size_t start = p->pos, run;
	const unsigned char *s = p->s;
	adr_buf_clear(&p->str);
	p->pos++;
	for (;;) {
		run = p->pos;
		while (p->pos < p->len && s[p->pos] >= 0x20 && s[p->pos] < 0x80 &&
		       s[p->pos] != '"' && s[p->pos] != '\\')
			p->pos++;
		adr_buf_put(&p->str, s + run, p->pos - run);
		if (p->pos >= p->len)
			return perr(p, start, "unterminated string");
		unsigned c = s[p->pos];
		if (c == '"') {
			p->pos++;
			break;
		}
		if (c < 0x20)
			return perr(p, p->pos, "control character U+%04X in string (must be escaped)", c);
		if (c >= 0x80) {
			uint32_t cp;
			int n = adr__utf8_next(s + p->pos, p->len - p->pos, &cp);
			if (n < 0)
				return perr(p, p->pos, "invalid UTF-8 in string");
			adr_buf_put(&p->str, s + p->pos, (size_t)n);
			p->pos += (size_t)n;
			continue;
		}
		/* a backslash */
		size_t esc = p->pos;
		uint32_t cp, lo;
		if (p->pos + 1 >= p->len)
			return perr(p, start, "unterminated string");
		c = s[p->pos + 1];
		p->pos += 2;
		switch (c) {
		case '"': adr_buf_putc(&p->str, '"'); break;
		case '\\': adr_buf_putc(&p->str, '\\'); break;
		case '/': adr_buf_putc(&p->str, '/'); break;
		case 'b': adr_buf_putc(&p->str, '\b'); break;
		case 'f': adr_buf_putc(&p->str, '\f'); break;
		case 'n': adr_buf_putc(&p->str, '\n'); break;
		case 'r': adr_buf_putc(&p->str, '\r'); break;
		case 't': adr_buf_putc(&p->str, '\t'); break;
		case 'u':
			if (hex4(p, p->pos, &cp) < 0)
				return perr(p, esc, "invalid \\u escape (expected 4 hex digits)");
			p->pos += 4;
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				return perr(p, esc, "unpaired surrogate \\u%04X", cp);
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				if (p->len - p->pos < 6 || s[p->pos] != '\\' || s[p->pos + 1] != 'u' ||
				    hex4(p, p->pos + 2, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
					return perr(p, esc, "unpaired surrogate \\u%04X", cp);
				p->pos += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			}
			put_utf8(&p->str, cp);
			break;
		default: {
			char tmp[16];
			return perr(p, esc, "invalid escape \\%s in string",
				    c > 0x20 && c < 0x7F ? (snprintf(tmp, sizeof(tmp), "%c", (char)c), tmp) : "?");
		}
		}
	}
	return adr_buf_oom(&p->str) ? ADR_ENOMEM : 0;
}

static bool is_digit(const parser *p, size_t at)
{
	return at < p->len && p->s[at] >= '0' && p->s[at] <= '9';
}

static int parse_number(parser *p, adr_value **out)
{
	size_t start = p->pos, n;
	char small[64], *tmp = small;
	const struct lconv *lc;
	char point = '.';
	double d;
	if (p->s[p->pos] == '-')
		p->pos++;
	if (!is_digit(p, p->pos))
		return perr(p, start, "invalid number (a digit must follow '-')");
	if (p->s[p->pos] == '0') {
		p->pos++;
		if (is_digit(p, p->pos))
			return perr(p, start, "invalid number (leading zeros are not allowed)");
	} else {
		while (is_digit(p, p->pos))
			p->pos++;
	}
	if (p->pos < p->len && p->s[p->pos] == '.') {
		p->pos++;
		if (!is_digit(p, p->pos))
			return perr(p, start, "invalid number (a digit must follow '.')");
		while (is_digit(p, p->pos))
			p->pos++;
	}
	if (p->pos < p->len && (p->s[p->pos] == 'e' || p->s[p->pos] == 'E')) {
		p->pos++;
		if (p->pos < p->len && (p->s[p->pos] == '+' || p->s[p->pos] == '-'))
			p->pos++;
		if (!is_digit(p, p->pos))
			return perr(p, start, "invalid number (a digit must follow the exponent)");
		while (is_digit(p, p->pos))
			p->pos++;
	}
	n = p->pos - start;
	if (n >= sizeof(small) && !(tmp = adr__malloc(n + 1)))
		return ADR_ENOMEM;
	memcpy(tmp, p->s + start, n);
	tmp[n] = '\0';
	/* strtod follows LC_NUMERIC */
	lc = localeconv();
	if (lc && lc->decimal_point && lc->decimal_point[0] && !lc->decimal_point[1])
		point = lc->decimal_point[0];
	if (point != '.') {
		char *dot = strchr(tmp, '.');
		if (dot)
			*dot = point;
	}
	d = strtod(tmp, NULL);
	if (tmp != small)
		free(tmp);
	if (isinf(d))
		return perr(p, start, "number out of range");
	*out = adr__value_number(d);
	return *out ? 0 : ADR_ENOMEM;
}

static int parse_value(parser *p, int depth, adr_value **out);

/* After an item of an array or an object (`what`) that `close` ends: 1
 * when a comma says another item follows, 0 past the end. */
static int next_item(parser *p, char close, const char *what)
{
	char expect[32];

	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ',') {
		p->pos++;
		skip_ws(p);
		if (p->pos < p->len && p->s[p->pos] == close)
			return perr(p, p->pos, "trailing comma in %s", what);
		return 1;
	}
	if (p->pos < p->len && p->s[p->pos] == close) {
		p->pos++;
		return 0;
	}
	snprintf(expect, sizeof(expect), "',' or '%c' in %s", close, what);
	return unexpected(p, expect);
}

static int parse_array(parser *p, int depth, adr_value **out)
{
	adr_value *list, *item = NULL;
	int rc = 0;
	if (depth > ADR_JSON_DEPTH_MAX)
		return perr(p, p->pos, "nesting deeper than %d levels", ADR_JSON_DEPTH_MAX);
	if (!(list = adr__value_list()))
		return ADR_ENOMEM;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == ']') {
		p->pos++;
		goto cleanup;
	}
	for (;;) {
		if ((rc = parse_value(p, depth, &item)) < 0)
			goto cleanup;
		if ((rc = adr__value_list_append(list, item)) < 0)
			goto cleanup;
		if ((rc = next_item(p, ']', "array")) <= 0)
			break;
	}
cleanup:
	if (rc < 0) {
		adr__value_free(list);
		list = NULL;
	}
	*out = list;
	return rc;
}

static int parse_object(parser *p, int depth, adr_value **out)
{
	adr_value *map, *val = NULL;
	const char *key;
	size_t klen, keypos;
	int rc = 0;
	if (depth > ADR_JSON_DEPTH_MAX)
		return perr(p, p->pos, "nesting deeper than %d levels", ADR_JSON_DEPTH_MAX);
	if (!(map = adr__value_map()))
		return ADR_ENOMEM;
	p->pos++;
	skip_ws(p);
	if (p->pos < p->len && p->s[p->pos] == '}') {
		p->pos++;
		goto cleanup;
	}
	for (;;) {
		if (p->pos >= p->len || p->s[p->pos] != '"') {
			rc = unexpected(p, "a string key");
			goto cleanup;
		}
		keypos = p->pos;
		if ((rc = parse_string(p)) < 0)
			goto cleanup;
		if (adr__value_map_getn(map, p->str.ptr, p->str.size)) {
			char k[64];
			key_for_msg(k, sizeof(k), p->str.ptr, p->str.size);
			rc = perr(p, keypos, "duplicate key \"%s\"", k);
			goto cleanup;
		}
		/* Insert the key now (null costs no allocation): p->str is
		 * reused by the value, and the map keeps its own copy. */
		if ((rc = adr__value_map_setn(map, p->str.ptr, p->str.size, adr__value_null())) < 0)
			goto cleanup;
		skip_ws(p);
		if (p->pos >= p->len || p->s[p->pos] != ':') {
			rc = unexpected(p, "':' after the key");
			goto cleanup;
		}
		p->pos++;
		if ((rc = parse_value(p, depth, &val)) < 0)
			goto cleanup;
		key = adr__value_map_key(map, adr__value_count(map) - 1, &klen);
		if ((rc = adr__value_map_setn(map, key, klen, val)) < 0)
			goto cleanup;
		if ((rc = next_item(p, '}', "object")) <= 0)
			break;
	}
cleanup:
	if (rc < 0) {
		adr__value_free(map);
		map = NULL;
	}
	*out = map;
	return rc;
}

static int parse_literal(parser *p, const char *word, adr_value *v, adr_value **out)
{
	size_t n = strlen(word);
	if (p->len - p->pos < n || memcmp(p->s + p->pos, word, n) != 0) {
		size_t end = p->pos;
		while (end < p->len && end - p->pos < 16 &&
		       ((p->s[end] >= 'a' && p->s[end] <= 'z') || (p->s[end] >= 'A' && p->s[end] <= 'Z')))
			end++;
		return perr(p, p->pos, "invalid literal '%.*s' (expected %s)",
			    (int)(end - p->pos), (const char *)p->s + p->pos, word);
	}
	p->pos += n;
	*out = v;
	return 0;
}

static int parse_value(parser *p, int depth, adr_value **out)
{
	*out = NULL;
	skip_ws(p);
	if (p->pos >= p->len)
		return unexpected(p, "a value");
	switch (p->s[p->pos]) {
	case '{':
		return parse_object(p, depth + 1, out);
	case '[':
		return parse_array(p, depth + 1, out);
	case '"': {
		int rc = parse_string(p);
		if (rc < 0)
			return rc;
		*out = adr__value_stringn(p->str.ptr, p->str.size);
		return *out ? 0 : ADR_ENOMEM;
	}
	case 't':
		return parse_literal(p, "true", adr__value_bool(true), out);
	case 'f':
		return parse_literal(p, "false", adr__value_bool(false), out);
	case 'n':
		return parse_literal(p, "null", adr__value_null(), out);
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		return parse_number(p, out);
	default:
		return unexpected(p, "a value");
	}
}

int adr__json_parse(adr_value **out, const char *path, const char *data, size_t len)
{
	parser p = { path, (const unsigned char *)data, len, 0, ADR_BUF_INIT };
	adr_value *v = NULL;
	int rc;
	*out = NULL;
	if (!data)
		p.s = (const unsigned char *)"", p.len = 0;
	if (p.len >= 3 && memcmp(p.s, "\xEF\xBB\xBF", 3) == 0)
		p.pos = 3;
	if ((rc = parse_value(&p, 0, &v)) < 0)
		goto cleanup;
	skip_ws(&p);
	if (p.pos < p.len) {
		rc = unexpected(&p, "the end of input after the value");
		goto cleanup;
	}
	*out = v;
	v = NULL;
cleanup:
	adr__value_free(v);
	adr_buf_dispose(&p.str);
	return rc;
}

/* Writer */

int adr__json_escape_string(adr_buf *out, const char *str, size_t len, unsigned flags)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	bool safe = flags & ADR_JSON_SCRIPT_SAFE;
	size_t i = 0, run;
	adr_buf_putc(out, '"');
	while (i < len) {
		run = i;
		while (i < len && s[i] >= 0x20 && s[i] < 0x7F && s[i] != '"' && s[i] != '\\' &&
		       !(safe && (s[i] == '<' || s[i] == '>' || s[i] == '&')))
			i++;
		adr_buf_put(out, s + run, i - run);
		if (i >= len)
			break;
		unsigned c = s[i];
		if (c < 0x80) {
			char esc[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			switch (c) {
			case '"': adr_buf_put(out, "\\\"", 2); break;
			case '\\': adr_buf_put(out, "\\\\", 2); break;
			case '\b': adr_buf_put(out, "\\b", 2); break;
			case '\f': adr_buf_put(out, "\\f", 2); break;
			case '\n': adr_buf_put(out, "\\n", 2); break;
			case '\r': adr_buf_put(out, "\\r", 2); break;
			case '\t': adr_buf_put(out, "\\t", 2); break;
			default: adr_buf_put(out, esc, 6); break;
			}
			i++;
			continue;
		}
		uint32_t cp;
		int n = adr__utf8_next(s + i, len - i, &cp);
		if (n < 0) {
			adr_buf_put(out, "\xEF\xBF\xBD", 3);
			i += (size_t)-n;
		} else if (adr_text_unsafe(cp)) {
			/* C1, bidi controls, U+2028/2029: escaped, so no reader of the
			 * JSON on a terminal or in a script sees them raw (adr/text.h). */
			adr_buf_printf(out, "\\u%04x", (unsigned)cp);
			i += (size_t)n;
		} else {
			adr_buf_put(out, s + i, (size_t)n);
			i += (size_t)n;
		}
	}
	adr_buf_putc(out, '"');
	return adr_buf_oom(out) ? adr__error_oom() : 0; /* `out` may have failed before */
}

#define ST_OBJECT 1
#define ST_ITEMS 2

void adr__json_writer_init(adr__json_writer *w, adr_buf *out, unsigned flags)
{
	memset(w, 0, sizeof(*w));
	w->out = out;
	w->flags = flags;
}

static int werr(adr__json_writer *w, const char *msg)
{
	if (!w->error)
		w->error = adr__error(ADR_EINVALID, "json writer: %s", msg);
	return w->error;
}

/* The writer's earlier failure. Its message may have been cleared since,
 * by code between the writer's calls: out of memory is said again. */
static int failed(adr__json_writer *w)
{
	if (w->error == ADR_ENOMEM)
		return adr__error_oom();
	return w->error;
}

static int check_oom(adr__json_writer *w)
{
	if (!w->error && adr_buf_oom(w->out)) /* sticky: said again, it may be old */
		w->error = adr__error_oom();
	return w->error;
}

static void newline(adr__json_writer *w, size_t depth)
{
	adr_buf_putc(w->out, '\n');
	for (size_t i = 0; i < depth; i++)
		adr_buf_put(w->out, "  ", 2);
}

/* Commas and indentation before a value; checks that a value may come. */
static int before_value(adr__json_writer *w)
{
	unsigned char *top;
	if (w->error)
		return failed(w);
	if (w->depth == 0)
		return w->done ? werr(w, "more than one top-level value") : 0;
	top = &w->stack[w->depth - 1];
	if (*top & ST_OBJECT) {
		if (!w->after_key)
			return werr(w, "a value in an object needs a key first");
		w->after_key = false;
		return 0;
	}
	if (*top & ST_ITEMS)
		adr_buf_putc(w->out, ',');
	*top |= ST_ITEMS;
	if (w->flags & ADR_JSON_PRETTY)
		newline(w, w->depth);
	return 0;
}

static int after_value(adr__json_writer *w)
{
	if (w->depth == 0)
		w->done = true;
	return check_oom(w);
}

static int begin(adr__json_writer *w, unsigned char kind, char c)
{
	int rc;
	if ((rc = before_value(w)) < 0)
		return rc;
	if (w->depth >= ADR_JSON_DEPTH_MAX)
		return werr(w, "nesting too deep");
	adr_buf_putc(w->out, c);
	w->stack[w->depth++] = kind;
	return check_oom(w);
}

static int end(adr__json_writer *w, unsigned char kind, char c)
{
	unsigned char top;
	if (w->error)
		return failed(w);
	if (w->depth == 0 || (w->stack[w->depth - 1] & ST_OBJECT) != kind)
		return werr(w, kind ? "end of an object that is not open" :
				      "end of an array that is not open");
	if (w->after_key)
		return werr(w, "a key without a value");
	top = w->stack[--w->depth];
	if ((top & ST_ITEMS) && (w->flags & ADR_JSON_PRETTY))
		newline(w, w->depth);
	adr_buf_putc(w->out, c);
	return after_value(w);
}

int adr__json_begin_object(adr__json_writer *w)
{
	return begin(w, ST_OBJECT, '{');
}

int adr__json_end_object(adr__json_writer *w)
{
	return end(w, ST_OBJECT, '}');
}

int adr__json_begin_array(adr__json_writer *w)
{
	return begin(w, 0, '[');
}

int adr__json_end_array(adr__json_writer *w)
{
	return end(w, 0, ']');
}

int adr__json_keyn(adr__json_writer *w, const char *key, size_t len)
{
	unsigned char *top;
	if (w->error)
		return failed(w);
	if (w->depth == 0 || !(w->stack[w->depth - 1] & ST_OBJECT))
		return werr(w, "a key outside an object");
	if (w->after_key)
		return werr(w, "a key where a value is due");
	top = &w->stack[w->depth - 1];
	if (*top & ST_ITEMS)
		adr_buf_putc(w->out, ',');
	*top |= ST_ITEMS;
	if (w->flags & ADR_JSON_PRETTY)
		newline(w, w->depth);
	adr__json_escape_string(w->out, key, len, w->flags);
	adr_buf_puts(w->out, w->flags & ADR_JSON_PRETTY ? ": " : ":");
	w->after_key = true;
	return check_oom(w);
}

int adr__json_key(adr__json_writer *w, const char *key)
{
	return adr__json_keyn(w, key, strlen(key));
}

int adr__json_stringn(adr__json_writer *w, const char *s, size_t len)
{
	int rc;
	if ((rc = before_value(w)) < 0)
		return rc;
	adr__json_escape_string(w->out, s, len, w->flags);
	return after_value(w);
}

int adr__json_string(adr__json_writer *w, const char *s)
{
	return s ? adr__json_stringn(w, s, strlen(s)) : adr__json_null(w);
}

int adr__json_int(adr__json_writer *w, long long v)
{
	int rc;
	if ((rc = before_value(w)) < 0)
		return rc;
	adr_buf_printf(w->out, "%lld", v);
	return after_value(w);
}

int adr__json_double(adr__json_writer *w, double v)
{
	int rc;
	if ((rc = before_value(w)) < 0)
		return rc;
	if (isfinite(v))
		adr__value_number_format(w->out, v);
	else
		adr_buf_puts(w->out, "null");
	return after_value(w);
}

int adr__json_bool(adr__json_writer *w, bool v)
{
	int rc;
	if ((rc = before_value(w)) < 0)
		return rc;
	adr_buf_puts(w->out, v ? "true" : "false");
	return after_value(w);
}

int adr__json_null(adr__json_writer *w)
{
	int rc;
	if ((rc = before_value(w)) < 0)
		return rc;
	adr_buf_puts(w->out, "null");
	return after_value(w);
}

int adr__json_write_value(adr__json_writer *w, const adr_value *v)
{
	const char *s;
	size_t len, i, n;
	int rc = 0;
	switch (adr__value_kind_of(v)) {
	case ADR_VALUE_NULL:
		return adr__json_null(w);
	case ADR_VALUE_BOOL:
		return adr__json_bool(w, adr__value_get_bool(v));
	case ADR_VALUE_NUMBER:
		return adr__json_double(w, adr__value_get_number(v));
	case ADR_VALUE_STRING:
		s = adr__value_get_string(v, &len);
		return adr__json_stringn(w, s, len);
	case ADR_VALUE_LIST:
		if ((rc = adr__json_begin_array(w)) < 0)
			return rc;
		n = adr__value_count(v);
		for (i = 0; i < n; i++)
			if ((rc = adr__json_write_value(w, adr__value_list_get(v, i))) < 0)
				return rc;
		return adr__json_end_array(w);
	case ADR_VALUE_MAP:
		if ((rc = adr__json_begin_object(w)) < 0)
			return rc;
		n = adr__value_count(v);
		for (i = 0; i < n; i++) {
			s = adr__value_map_key(v, i, &len);
			if ((rc = adr__json_keyn(w, s, len)) < 0 ||
			    (rc = adr__json_write_value(w, adr__value_map_value(v, i))) < 0)
				return rc;
		}
		return adr__json_end_object(w);
	}
	return werr(w, "unknown value kind");
}

int adr__json_writer_finish(adr__json_writer *w)
{
	if (w->error)
		return failed(w);
	if (check_oom(w))
		return w->error;
	if (w->depth > 0)
		return werr(w, "an array or object is still open");
	if (!w->done)
		return werr(w, "nothing was written");
	return 0;
}

int adr__json_serialize(adr_buf *out, const adr_value *v, unsigned flags)
{
	adr__json_writer w;
	adr__json_writer_init(&w, out, flags);
	adr__json_write_value(&w, v);
	return adr__json_writer_finish(&w);
}
