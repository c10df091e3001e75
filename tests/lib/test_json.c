/* Unit tests for lib/text/json.c: the strict parser, the writer, script-safe escaping. */
#include <criterion/criterion.h>

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/json.h"
#include "text/value.h"

static adr_value *parse_n(const char *s, size_t len)
{
	adr_value *v = NULL;
	int rc = adr__json_parse(&v, "t.json", s, len);
	cr_assert_eq(rc, 0, "parse of [%s] failed: %s", s, adr_error_last());
	cr_assert_not_null(v);
	return v;
}

static adr_value *parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* Expects ADR_EINVALID; `where` is the "t.json:L:C:" prefix, `what` a part of the message. */
static void fails_n(const char *s, size_t len, const char *where, const char *what)
{
	adr_value *v = (adr_value *)1;
	int rc = adr__json_parse(&v, "t.json", s, len);
	cr_assert_eq(rc, ADR_EINVALID, "expected an error for [%s], got %d", s, rc);
	cr_assert_null(v);
	if (where)
		cr_assert(strncmp(adr_error_last(), where, strlen(where)) == 0,
			  "[%s]: message '%s' does not start with '%s'", s, adr_error_last(), where);
	if (what)
		cr_assert_not_null(strstr(adr_error_last(), what), "[%s]: message '%s' lacks '%s'",
				   s, adr_error_last(), what);
}

static void fails(const char *s, const char *where, const char *what)
{
	fails_n(s, strlen(s), where, what);
}

static char *serialize(const adr_value *v, unsigned flags)
{
	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr__json_serialize(&b, v, flags), 0, "%s", adr_error_last());
	return adr_buf_detach(&b);
}

Test(json_parse, values)
{
	adr_value *v = parse(" {\"s\": \"x\\\"y\\\\z\\/\\b\\f\\n\\r\\t\", \"n\": -12.5e1, \"i\": 85,"
			     " \"z\": 0, \"f\": 0.25, \"t\": true, \"F\": false, \"nul\": null,"
			     " \"l\": [1, [], {}, \"\"], \"e\": {} }\r\n\t");
	size_t len;
	cr_assert_eq(adr__value_kind_of(v), ADR_VALUE_MAP);
	cr_assert_eq(adr__value_count(v), 10);
	cr_assert_str_eq(adr__value_lookup_string(v, "s"), "x\"y\\z/\b\f\n\r\t");
	cr_assert_eq(adr__value_get_number(adr__value_map_get(v, "n")), -125);
	cr_assert_eq(adr__value_get_number(adr__value_map_get(v, "i")), 85);
	cr_assert_eq(adr__value_get_number(adr__value_map_get(v, "f")), 0.25);
	cr_assert(adr__value_get_bool(adr__value_map_get(v, "t")));
	cr_assert_eq(adr__value_kind_of(adr__value_map_get(v, "F")), ADR_VALUE_BOOL);
	cr_assert_eq(adr__value_kind_of(adr__value_map_get(v, "nul")), ADR_VALUE_NULL);
	cr_assert_not_null(adr__value_map_get(v, "nul"));
	cr_assert_eq(adr__value_count(adr__value_map_get(v, "l")), 4);
	cr_assert_str_eq(adr__value_map_key(v, 9, &len), "e");
	adr__value_free(v);

	/* any value at the top; a BOM is skipped */
	v = parse("\"top\"");
	cr_assert_str_eq(adr__value_get_string(v, NULL), "top");
	adr__value_free(v);
	v = parse("\xEF\xBB\xBF 42 ");
	cr_assert_eq(adr__value_get_number(v), 42);
	adr__value_free(v);
	v = parse("1E+2");
	cr_assert_eq(adr__value_get_number(v), 100);
	adr__value_free(v);
	v = parse("-0");
	cr_assert_eq(adr__value_get_number(v), 0);
	adr__value_free(v);
	v = parse("1e-400");    /* underflow is fine */
	cr_assert_eq(adr__value_get_number(v), 0);
	adr__value_free(v);
	v = parse("123456789012345678901234567890123456789012345678901234567890123456789012345");
	cr_assert(adr__value_get_number(v) > 1.2e74);
	adr__value_free(v);
}

Test(json_parse, unicode_and_surrogates)
{
	adr_value *v;
	size_t len;
	const char *s;

	v = parse("\"\\u00e9\\u20AC\\ud83d\\ude00 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"");
	cr_assert_str_eq(adr__value_get_string(v, NULL),
			 "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	adr__value_free(v);

	/* \u0000 gives a NUL inside a length-counted string */
	v = parse("\"a\\u0000b\"");
	s = adr__value_get_string(v, &len);
	cr_assert_eq(len, 3);
	cr_assert_eq(memcmp(s, "a\0b", 3), 0);
	adr__value_free(v);

	fails("\"\\ud83d\"", "t.json:1:2:", "unpaired surrogate \\uD83D");
	fails("\"\\ud83dx\"", "t.json:1:2:", "unpaired surrogate");
	fails("\"\\ud83d\\u0041\"", "t.json:1:2:", "unpaired surrogate");
	fails("\"ab\\ude00\"", "t.json:1:4:", "unpaired surrogate \\uDE00");
	fails("\"\\ud83d\\ud83d\"", "t.json:1:2:", "unpaired surrogate");
	fails("\"\\u12\"", "t.json:1:2:", "invalid \\u escape");
	fails("\"\\uzzzz\"", "t.json:1:2:", "invalid \\u escape");
}

Test(json_parse, invalid_utf8)
{
	fails("\"\xff\"", "t.json:1:2:", "invalid UTF-8");
	fails("\"\xc0\x80\"", "t.json:1:2:", "invalid UTF-8");        /* overlong NUL */
	fails("\"\xe0\x80\xaf\"", "t.json:1:2:", "invalid UTF-8");    /* overlong '/' */
	fails("\"\xed\xa0\x80\"", "t.json:1:2:", "invalid UTF-8");    /* encoded surrogate */
	fails("\"\xf4\x90\x80\x80\"", "t.json:1:2:", "invalid UTF-8"); /* above U+10FFFF */
	fails("\"\xe2\x82\"", "t.json:1:2:", "invalid UTF-8");        /* truncated */
	fails("\"ok\" \xe2", "t.json:1:6:", "unexpected byte 0xe2");
	/* columns count characters, not bytes */
	fails("\"\xc3\xa9\xc3\xa9\" x", "t.json:1:6:", "unexpected 'x'");
}

Test(json_parse, syntax_errors_name_line_and_column)
{
	fails("", "t.json:1:1:", "unexpected end of input, expected a value");
	fails("   \n  ", "t.json:2:3:", "end of input");
	fails("{\n  \"a\": tru\n}", "t.json:2:8:", "invalid literal 'tru'");
	fails("{\n  \"a\": 1,\n}", "t.json:3:1:", "trailing comma in object");
	fails("[1, 2,]", "t.json:1:7:", "trailing comma in array");
	fails("[1 2]", "t.json:1:4:", "expected ',' or ']'");
	fails("{\"a\" 1}", "t.json:1:6:", "expected ':'");
	fails("{\"a\": 1 \"b\": 2}", "t.json:1:9:", "expected ',' or '}'");
	fails("{1: 2}", "t.json:1:2:", "expected a string key");
	fails("{'a': 2}", "t.json:1:2:", "unexpected ''', expected a string key");
	fails("[1,\n  \"abc", "t.json:2:3:", "unterminated string");
	fails("\"abc\\", "t.json:1:1:", "unterminated string");
	fails("\"tab\there\"", "t.json:1:5:", "control character U+0009");
	fails_n("\"nul\0\"", 6, "t.json:1:5:", "control character U+0000");
	fails("\"\\x\"", "t.json:1:2:", "invalid escape \\x");
	fails("01", "t.json:1:1:", "leading zeros");
	fails("-", "t.json:1:1:", "a digit must follow '-'");
	fails("1.", "t.json:1:1:", "a digit must follow '.'");
	fails("1.5e", "t.json:1:1:", "a digit must follow the exponent");
	fails("+1", "t.json:1:1:", "unexpected '+'");
	fails(".5", "t.json:1:1:", "unexpected '.'");
	fails("NaN", "t.json:1:1:", "unexpected 'N'");
	fails("1e400", "t.json:1:1:", "number out of range");
	fails("-1e400", "t.json:1:1:", "number out of range");
	fails("{} {}", "t.json:1:4:", "expected the end of input");
	fails("nul", "t.json:1:1:", "invalid literal 'nul' (expected null)");
	fails("truex", "t.json:1:5:", "unexpected 'x'");
	fails("[1, // comment\n 2]", "t.json:1:5:", "unexpected '/'");
	fails("{\"a\": 1, \"b\": 2, \"a\": 3}", "t.json:1:18:", "duplicate key \"a\"");
	fails("[\n{\"k\":[\n", "t.json:3:1:", "end of input");
}

Test(json_parse, no_path_and_null_data)
{
	adr_value *v = (adr_value *)1;
	cr_assert_eq(adr__json_parse(&v, NULL, "[", 1), ADR_EINVALID);
	cr_assert_null(v);
	cr_assert(strncmp(adr_error_last(), "<json>:1:2:", 11) == 0, "%s", adr_error_last());
	cr_assert_eq(adr__json_parse(&v, "x", NULL, 0), ADR_EINVALID);
}

static char *nested(int depth, char open, char close)
{
	char *s = malloc((size_t)depth * 2 + 1);
	memset(s, open, (size_t)depth);
	memset(s + depth, close, (size_t)depth);
	s[depth * 2] = '\0';
	return s;
}

Test(json_parse, depth_cap)
{
	adr_value *v;
	char *s = nested(ADR_JSON_DEPTH_MAX, '[', ']');
	v = parse(s);
	adr__value_free(v);
	free(s);

	s = nested(ADR_JSON_DEPTH_MAX + 1, '[', ']');
	fails(s, "t.json:1:257:", "nesting deeper than 256 levels");
	free(s);

	/* objects count too, and a huge depth fails fast without recursing */
	adr_buf b = ADR_BUF_INIT;
	for (int i = 0; i < 300; i++)
		adr_buf_puts(&b, "{\"a\":");
	fails(b.ptr, "t.json:1:1281:", "nesting deeper than 256 levels");
	adr_buf_clear(&b);
	for (int i = 0; i < 1000000; i++)
		adr_buf_putc(&b, '[');
	fails(b.ptr, "t.json:1:257:", "nesting deeper");
	adr_buf_dispose(&b);
}

Test(json_write, compact_and_pretty)
{
	adr_buf b = ADR_BUF_INIT;
	adr__json_writer w;

	adr__json_writer_init(&w, &b, 0);
	cr_assert_eq(adr__json_begin_object(&w), 0);
	adr__json_key(&w, "id");
	adr__json_int(&w, 12);
	adr__json_key(&w, "title");
	adr__json_string(&w, "Use \"Postgres\"\n");
	adr__json_key(&w, "tags");
	adr__json_begin_array(&w);
	adr__json_string(&w, "a");
	adr__json_stringn(&w, "bcd", 1);
	adr__json_end_array(&w);
	adr__json_key(&w, "empty");
	adr__json_begin_array(&w);
	adr__json_end_array(&w);
	adr__json_key(&w, "obj");
	adr__json_begin_object(&w);
	adr__json_end_object(&w);
	adr__json_keyn(&w, "ratio!", 5);
	adr__json_double(&w, 0.5);
	adr__json_key(&w, "nan");
	adr__json_double(&w, NAN);
	adr__json_key(&w, "ok");
	adr__json_bool(&w, true);
	adr__json_key(&w, "none");
	adr__json_string(&w, NULL);
	adr__json_key(&w, "nil");
	adr__json_null(&w);
	adr__json_key(&w, "big");
	adr__json_int(&w, -9007199254740993LL);
	cr_assert_eq(adr__json_end_object(&w), 0);
	cr_assert_eq(adr__json_writer_finish(&w), 0, "%s", adr_error_last());
	cr_assert_str_eq(b.ptr, "{\"id\":12,\"title\":\"Use \\\"Postgres\\\"\\n\",\"tags\":[\"a\",\"b\"],"
				"\"empty\":[],\"obj\":{},\"ratio\":0.5,\"nan\":null,\"ok\":true,"
				"\"none\":null,\"nil\":null,\"big\":-9007199254740993}");

	adr_buf_clear(&b);
	adr__json_writer_init(&w, &b, ADR_JSON_PRETTY);
	adr__json_begin_object(&w);
	adr__json_key(&w, "a");
	adr__json_begin_array(&w);
	adr__json_int(&w, 1);
	adr__json_begin_object(&w);
	adr__json_key(&w, "b");
	adr__json_null(&w);
	adr__json_end_object(&w);
	adr__json_begin_array(&w);
	adr__json_end_array(&w);
	adr__json_end_array(&w);
	adr__json_key(&w, "c");
	adr__json_string(&w, "d");
	adr__json_end_object(&w);
	cr_assert_eq(adr__json_writer_finish(&w), 0);
	cr_assert_str_eq(b.ptr, "{\n"
				"  \"a\": [\n"
				"    1,\n"
				"    {\n"
				"      \"b\": null\n"
				"    },\n"
				"    []\n"
				"  ],\n"
				"  \"c\": \"d\"\n"
				"}");
	adr_buf_dispose(&b);
}

Test(json_write, scalar_top_level)
{
	adr_buf b = ADR_BUF_INIT;
	adr__json_writer w;
	adr__json_writer_init(&w, &b, ADR_JSON_PRETTY);
	cr_assert_eq(adr__json_string(&w, "x"), 0);
	cr_assert_eq(adr__json_writer_finish(&w), 0);
	cr_assert_str_eq(b.ptr, "\"x\"");
	adr_buf_dispose(&b);
}

static void misuse(void (*steps)(adr__json_writer *), const char *what)
{
	adr_buf b = ADR_BUF_INIT;
	adr__json_writer w;
	int rc;
	adr__json_writer_init(&w, &b, 0);
	steps(&w);
	rc = adr__json_writer_finish(&w);
	cr_assert_eq(rc, ADR_EINVALID, "expected misuse '%s' to fail", what);
	cr_assert_not_null(strstr(adr_error_last(), what), "'%s' lacks '%s'", adr_error_last(), what);
	/* sticky: later calls report the same error */
	cr_assert_eq(adr__json_null(&w), ADR_EINVALID);
	adr_buf_dispose(&b);
}

static void m_value_without_key(adr__json_writer *w)
{
	adr__json_begin_object(w);
	adr__json_int(w, 1);
}

static void m_key_outside(adr__json_writer *w)
{
	adr__json_begin_array(w);
	adr__json_key(w, "a");
}

static void m_key_top(adr__json_writer *w)
{
	adr__json_key(w, "a");
}

static void m_two_keys(adr__json_writer *w)
{
	adr__json_begin_object(w);
	adr__json_key(w, "a");
	adr__json_key(w, "b");
}

static void m_key_no_value(adr__json_writer *w)
{
	adr__json_begin_object(w);
	adr__json_key(w, "a");
	adr__json_end_object(w);
}

static void m_wrong_end(adr__json_writer *w)
{
	adr__json_begin_object(w);
	adr__json_end_array(w);
}

static void m_wrong_end2(adr__json_writer *w)
{
	adr__json_begin_array(w);
	adr__json_end_object(w);
}

static void m_end_nothing(adr__json_writer *w)
{
	adr__json_end_array(w);
}

static void m_two_values(adr__json_writer *w)
{
	adr__json_int(w, 1);
	adr__json_int(w, 2);
}

static void m_open(adr__json_writer *w)
{
	adr__json_begin_array(w);
}

static void m_nothing(adr__json_writer *w)
{
	(void)w;
}
static void m_too_deep(adr__json_writer *w)
{
	for (int i = 0; i <= ADR_JSON_DEPTH_MAX; i++)
		adr__json_begin_array(w);
}

Test(json_write, misuse_is_an_error)
{
	misuse(m_value_without_key, "needs a key");
	misuse(m_key_outside, "key outside an object");
	misuse(m_key_top, "key outside an object");
	misuse(m_two_keys, "key where a value is due");
	misuse(m_key_no_value, "key without a value");
	misuse(m_wrong_end, "end of an array that is not open");
	misuse(m_wrong_end2, "end of an object that is not open");
	misuse(m_end_nothing, "not open");
	misuse(m_two_values, "more than one top-level value");
	misuse(m_open, "still open");
	misuse(m_nothing, "nothing was written");
	misuse(m_too_deep, "nesting too deep");
}

Test(json_write, value_too_deep_fails_cleanly)
{
	adr_value *root = adr__value_list(), *cur = root;
	adr_buf b = ADR_BUF_INIT;
	for (int i = 0; i < ADR_JSON_DEPTH_MAX + 10; i++) {
		adr_value *n = adr__value_list();
		adr__value_list_append(cur, n);
		cur = n;
	}
	cr_assert_eq(adr__json_serialize(&b, root, 0), ADR_EINVALID);
	adr_buf_dispose(&b);
	adr__value_free(root);
}

static adr_value *sample_tree(void)
{
	adr_value *m = adr__value_map(), *l = adr__value_list(), *inner = adr__value_map();
	adr__value_map_set_string(m, "title", "Use <b>Postgres</b> & \"friends\"");
	adr__value_map_set_stringn(m, "nul", "a\0b", 3);
	adr__value_map_set_string(m, "ctl", "\x01\x1f\x7f\t");
	adr__value_map_set_string(m, "uni", "\xc3\xa9 \xe2\x80\xa8 \xe2\x80\xa9 \xf0\x9f\x98\x80");
	adr__value_map_set_number(m, "n", 85);
	adr__value_map_set_number(m, "x", 1.21);
	adr__value_map_set_number(m, "neg", -1.5e-7);
	adr__value_map_set_bool(m, "t", true);
	adr__value_map_set(m, "nothing", adr__value_null());
	adr__value_list_append_string(l, "</script><script>alert(1)</script>");
	adr__value_list_append(l, adr__value_number(0));
	adr__value_list_append(l, adr__value_list());
	adr__value_list_append(l, adr__value_map());
	adr__value_map_set(m, "list", l);
	adr__value_map_set_string(inner, "k\"ey", "v");
	adr__value_map_set(m, "inner", inner);
	return m;
}

Test(json_write, round_trip)
{
	adr_value *v = sample_tree(), *back;
	unsigned flags[] = { 0, ADR_JSON_PRETTY, ADR_JSON_SCRIPT_SAFE,
			     ADR_JSON_PRETTY | ADR_JSON_SCRIPT_SAFE };
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		char *s = serialize(v, flags[i]);
		back = parse(s);
		cr_assert(adr__value_equal(v, back), "round trip with flags %u changed the value: %s",
			  flags[i], s);
		/* and writing it again gives the same text */
		char *again = serialize(back, flags[i]);
		cr_assert_str_eq(s, again);
		free(again);
		adr__value_free(back);
		free(s);
	}
	adr__value_free(v);
}

static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++) {
		size_t i = 0;
		while (i < n && hay[i] && tolower((unsigned char)hay[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == n)
			return true;
	}
	return false;
}

Test(json_write, script_safe)
{
	static const char *inputs[] = {
		"</script><script>alert(1)</script>",
		"</SCRIPT >",
		"<!-- comment -->",
		"<script src=x>",
		"a\xe2\x80\xa8" "b\xe2\x80\xa9" "c",
		"Tom & Jerry > Mickey < Donald",
		"]]> --> <![CDATA[",
	};
	adr_value *list = adr__value_list(), *back;
	for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		adr__value_list_append_string(list, inputs[i]);
	adr_value *obj = adr__value_map();
	adr__value_map_set(obj, "</script>", list);

	char *s = serialize(obj, ADR_JSON_SCRIPT_SAFE);
	cr_assert(!contains_ci(s, "</script"), "%s", s);
	cr_assert(!contains_ci(s, "<script"), "%s", s);
	cr_assert(!strstr(s, "<!--"), "%s", s);
	cr_assert(!strstr(s, "\xe2\x80\xa8"), "raw U+2028 in %s", s);
	cr_assert(!strstr(s, "\xe2\x80\xa9"), "raw U+2029 in %s", s);
	cr_assert(!strchr(s, '<') && !strchr(s, '>') && !strchr(s, '&'), "%s", s);
	cr_assert_not_null(strstr(s, "\\u003c/script\\u003e"));
	cr_assert_not_null(strstr(s, "\\u2028"));
	cr_assert_not_null(strstr(s, "\\u0026"));
	back = parse(s);
	cr_assert(adr__value_equal(obj, back));
	adr__value_free(back);
	free(s);

	/* without the flag, < stays as it is; U+2028 is escaped all the same (F08) */
	s = serialize(obj, 0);
	cr_assert_not_null(strstr(s, "</script>"));
	cr_assert_null(strstr(s, "\xe2\x80\xa8"));
	cr_assert_not_null(strstr(s, "\\u2028"));
	free(s);
	adr__value_free(obj);
}

static void escaped_is(const char *in, size_t len, unsigned flags, const char *want)
{
	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr__json_escape_string(&b, in, len, flags), 0);
	cr_assert_str_eq(b.ptr, want);
	adr_buf_dispose(&b);
}

Test(json_write, escape_string_and_invalid_utf8)
{
	escaped_is("", 0, 0, "\"\"");
	escaped_is("a\"b\\c/", 6, 0, "\"a\\\"b\\\\c/\"");
	escaped_is("\x01\x1f\x7f\b", 4, 0, "\"\\u0001\\u001f\\u007f\\b\"");
	/* F08: nothing a terminal acts on stays raw: ESC, C1 (CSI), bidi controls, U+2028 */
	escaped_is("\x1b[2J\xc2\x9b\xe2\x80\xae\xe2\x81\xa6\xe2\x80\xa9", 15, 0,
		   "\"\\u001b[2J\\u009b\\u202e\\u2066\\u2029\"");
	/* the characters next to them are not touched */
	escaped_is("\xc2\xa0\xe2\x80\x8f\xe2\x81\xaa", 8, 0, "\"\xc2\xa0\xe2\x80\x8f\xe2\x81\xaa\"");
	escaped_is("a\0b", 3, 0, "\"a\\u0000b\"");
	escaped_is("<&>", 3, ADR_JSON_SCRIPT_SAFE, "\"\\u003c\\u0026\\u003e\"");
	escaped_is("<&>", 3, 0, "\"<&>\"");
	/* invalid UTF-8 becomes U+FFFD, one per maximal ill-formed subsequence */
	escaped_is("a\xff" "b", 3, 0, "\"a\xef\xbf\xbd" "b\"");
	escaped_is("\xe2\x82", 2, 0, "\"\xef\xbf\xbd\"");
	escaped_is("\xe2\x82x", 3, 0, "\"\xef\xbf\xbdx\"");
	escaped_is("\xed\xa0\x80", 3, 0, "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	escaped_is("\xc0\xaf", 2, 0, "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	escaped_is("\xf0\x9f\x98", 3, 0, "\"\xef\xbf\xbd\"");
	escaped_is("\xf0\x9f\x98\x80", 4, 0, "\"\xf0\x9f\x98\x80\"");

	/* what the writer makes of invalid UTF-8 parses back */
	adr_buf b = ADR_BUF_INIT;
	adr__json_escape_string(&b, "\xff\xfe\xc3", 3, 0);
	adr_value *v = parse(b.ptr);
	cr_assert_str_eq(adr__value_get_string(v, NULL), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	adr__value_free(v);
	adr_buf_dispose(&b);
}

Test(json_write, appends_to_existing_buffer)
{
	adr_buf b = ADR_BUF_INIT;
	adr_value *v = parse("[1,\"two\"]");
	adr_buf_puts(&b, "var data = ");
	cr_assert_eq(adr__json_serialize(&b, v, ADR_JSON_SCRIPT_SAFE), 0);
	cr_assert_str_eq(b.ptr, "var data = [1,\"two\"]");
	adr_buf_dispose(&b);
	adr__value_free(v);
}
