/* Unit tests for lib/text/yaml.c: the bounded YAML reader and the scalar writer. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/record.h"
#include "text/yaml.h"

static adr__yaml_doc *parse_ok(const char *s)
{
	adr__yaml_doc *doc = NULL;
	int rc = adr__yaml_parse(&doc, "t.yaml", s, strlen(s), 1);
	cr_assert_eq(rc, 0, "parse failed: %s", adr_error_last());
	cr_assert_not_null(doc);
	return doc;
}

/* Parses `len` bytes expecting ADR_EINVALID with `where` ("t.yaml:L:C:") and `what` in the message. */
static void parse_fails_n(const char *s, size_t len, int first_line, const char *where,
			  const char *what)
{
	adr__yaml_doc *doc = (adr__yaml_doc *)1;
	int rc = adr__yaml_parse(&doc, "t.yaml", s, len, first_line);
	cr_assert_eq(rc, ADR_EINVALID, "expected an error for [%s], got %d (%s)", s, rc,
		     adr_error_last());
	cr_assert_null(doc);
	if (where)
		cr_assert(strncmp(adr_error_last(), where, strlen(where)) == 0,
			  "message '%s' does not start with '%s'", adr_error_last(), where);
	if (what)
		cr_assert_not_null(strstr(adr_error_last(), what), "message '%s' lacks '%s'",
				   adr_error_last(), what);
}

static void parse_fails(const char *s, const char *where, const char *what)
{
	parse_fails_n(s, strlen(s), 1, where, what);
}

Test(yaml, basic_entries_and_kinds)
{
	adr__yaml_doc *doc = parse_ok("status: accepted\n"
				     "tags: [a, 'b', \"c d\"]\n"
				     "deciders:\n  - Ana\n  - Bo\n"
				     "nested:\n  parent: x\n  n: 3\n"
				     "empty:\n"
				     "tilde: ~\n"
				     "quoted_null: 'null'\n");
	const adr__yaml_node *v;
	cr_assert_eq(doc->count, 7);
	cr_assert_str_eq(doc->entries[0].key, "status");
	cr_assert_eq(doc->entries[0].line, 1);
	cr_assert_eq(doc->entries[0].col, 1);
	v = adr__yaml_get(doc, "status");
	cr_assert_eq(v->kind, ADR_YAML_SCALAR);
	cr_assert_str_eq(v->scalar, "accepted");
	cr_assert_eq(v->line, 1);
	cr_assert_eq(v->col, 9);
	cr_assert(!v->quoted);
	v = adr__yaml_get(doc, "tags");
	cr_assert_eq(v->kind, ADR_YAML_SEQ);
	cr_assert_eq(v->count, 3);
	cr_assert_str_eq(v->items[2]->scalar, "c d");
	cr_assert(v->items[1]->quoted);
	v = adr__yaml_get(doc, "deciders");
	cr_assert_eq(v->kind, ADR_YAML_SEQ);
	cr_assert_str_eq(v->items[1]->scalar, "Bo");
	cr_assert_eq(v->items[1]->line, 5);
	v = adr__yaml_get(doc, "nested");
	cr_assert_eq(v->kind, ADR_YAML_MAP);
	cr_assert_str_eq(adr__yaml_map_get(v, "parent")->scalar, "x");
	cr_assert_eq(v->key_lines[1], 8);
	cr_assert_null(adr__yaml_map_get(v, "nope"));
	cr_assert(adr__yaml_get(doc, "empty")->is_null);
	cr_assert(adr__yaml_get(doc, "tilde")->is_null);
	cr_assert(!adr__yaml_get(doc, "quoted_null")->is_null);
	cr_assert_null(adr__yaml_get(doc, "missing"));
	adr__yaml_doc_free(doc);
}

Test(yaml, raw_and_prefix)
{
	const char *src = "# leading comment\n"
			  "\n"
			  "a: 1 # inline\n"
			  "# between\n"
			  "\n"
			  "b:\n"
			  "  - x\n"
			  "  - y\n"
			  "c: |\n"
			  "  text\n"
			  "# trailing\n";
	adr__yaml_doc *doc = parse_ok(src);
	cr_assert_eq(doc->count, 3);
	cr_assert_str_eq(doc->prefix, "# leading comment\n\n");
	cr_assert_str_eq(doc->entries[0].raw, "a: 1 # inline\n# between\n\n");
	cr_assert_str_eq(doc->entries[1].raw, "b:\n  - x\n  - y\n");
	cr_assert_str_eq(doc->entries[2].raw, "c: |\n  text\n# trailing\n");
	cr_assert_str_eq(adr__yaml_get(doc, "c")->scalar, "text\n");
	cr_assert(adr__yaml_get(doc, "c")->quoted);
	/* prefix + raws is the input */
	{
		adr_buf b = ADR_BUF_INIT;
		adr_buf_puts(&b, doc->prefix);
		for (size_t i = 0; i < doc->count; i++)
			adr_buf_puts(&b, doc->entries[i].raw);
		cr_assert_str_eq(b.ptr, src);
		adr_buf_dispose(&b);
	}
	adr__yaml_doc_free(doc);
}

Test(yaml, raw_gets_final_newline)
{
	adr__yaml_doc *doc = parse_ok("a: 1\nb: 2");
	cr_assert_str_eq(doc->entries[1].raw, "b: 2\n");
	adr__yaml_doc_free(doc);
}

Test(yaml, first_line_shifts_lines)
{
	adr__yaml_doc *doc = NULL;
	const char *s = "a: 1\nb: 2\n";
	cr_assert_eq(adr__yaml_parse(&doc, "f.md", s, strlen(s), 2), 0);
	cr_assert_eq(doc->entries[1].line, 3);
	cr_assert_eq(adr__yaml_get(doc, "b")->line, 3);
	adr__yaml_doc_free(doc);
	parse_fails_n("a: 1\nb: [\n", 10, 5, "t.yaml:", NULL);
	cr_assert_not_null(strstr(adr_error_last(), ":7:"), "%s", adr_error_last());
}

Test(yaml, empty_and_comment_only)
{
	adr__yaml_doc *doc = parse_ok("");
	cr_assert_eq(doc->count, 0);
	cr_assert_str_eq(doc->prefix, "");
	adr__yaml_doc_free(doc);
	doc = parse_ok("# only a comment\n\n");
	cr_assert_eq(doc->count, 0);
	cr_assert_str_eq(doc->prefix, "# only a comment\n\n");
	adr__yaml_doc_free(doc);
	doc = parse_ok("---\n");
	cr_assert_eq(doc->count, 0);
	adr__yaml_doc_free(doc);
	cr_assert_eq(adr__yaml_parse(&doc, NULL, NULL, 0, 1), 0);
	cr_assert_eq(doc->count, 0);
	adr__yaml_doc_free(doc);
}

Test(yaml, root_must_be_a_mapping)
{
	parse_fails("just a scalar\n", "t.yaml:1:1:", "must be a mapping, not a scalar");
	parse_fails("- a\n- b\n", "t.yaml:1:1:", "not a sequence");
	parse_fails("[a, b]\n", "t.yaml:1:1:", "not a sequence");
	parse_fails("'quoted'\n", "t.yaml:1:1:", "not a scalar");
	parse_fails("{a: 1, b: 2}\n", "t.yaml:1:1:", "block style");
}

Test(yaml, malformed)
{
	parse_fails("a: b: c\n", "t.yaml:1:5:", "mapping values are not allowed");
	parse_fails("a: [1, 2\n", "t.yaml:2:1:", NULL);
	parse_fails("a: 'unterminated\n", "t.yaml:2:1:", "while scanning a quoted scalar on line 1");
	parse_fails("a: 1\n b: 2\n", "t.yaml:2:3:", NULL);
	/* backstage adr002 */
	parse_fails("id: adrs-adr002\ntitle: ADR002: Default Software Catalog File Format\n",
		    "t.yaml:2:14:", "mapping values are not allowed");
}

Test(yaml, second_document_and_trailing_junk)
{
	parse_fails("a: 1\n---\nb: 2\n", "t.yaml:2:1:", "second YAML document");
	parse_fails("a: 1\n...\nb: 2\n", "t.yaml:3:1:", NULL);
	parse_fails("a: 1\n...\n---\n", "t.yaml:3:1:", "second YAML document");
	parse_fails("a: 1\n]\n", "t.yaml:2:1:", NULL);
	parse_fails("a: 1\n'x'\n", "t.yaml:", NULL);
}

Test(yaml, duplicate_keys_name_both_lines)
{
	parse_fails("status: proposed\ndate: 2024-01-01\nstatus: accepted\n", "t.yaml:3:1:",
		    "duplicate key 'status': first on line 1, again on line 3");
	parse_fails("a:\n  x: 1\n  y: 2\n  x: 3\n", "t.yaml:4:3:", "first on line 2, again on line 4");
	parse_fails("a: {k: 1, k: 2}\n", "t.yaml:1:11:", "duplicate key 'k'");
	parse_fails("a: 1\n'a': 2\n", "t.yaml:2:1:", "duplicate key 'a'");
	/* the earliest repeat is reported */
	parse_fails("b: 1\na: 1\na: 2\nb: 2\n", "t.yaml:3:1:", "duplicate key 'a'");
	/* the same key in different mappings is fine */
	adr__yaml_doc_free(parse_ok("a:\n  k: 1\nb:\n  k: 2\nk: 3\n"));
}

/* A few keys are compared pair by pair, many are sorted (yaml.c): both
 * report the earliest repeat with its first occurrence, three times over. */
Test(yaml, duplicate_keys_few_and_many_agree)
{
	char many[2048];
	size_t n = 0;
	parse_fails("c: 1\nb: 1\na: 1\nb: 2\nc: 2\nb: 3\n", "t.yaml:4:1:",
		    "duplicate key 'b': first on line 2, again on line 4");
	for (int i = 0; i < 40; i++)
		n += (size_t)snprintf(many + n, sizeof(many) - n, "k%02d: %d\n", i, i);
	/* lines 41..: k30 again, then k05 twice */
	snprintf(many + n, sizeof(many) - n, "k30: x\nk05: y\nk05: z\n");
	parse_fails(many, "t.yaml:41:1:", "duplicate key 'k30': first on line 31, again on line 41");
	adr__yaml_doc_free(parse_ok("k00: 1\nk01: 2\nk02: 3\nk03: 4\nk04: 5\nk05: 6\nk06: 7\nk07: 8\nk08: 9\n"
				    "k09: 1\nk10: 2\nk11: 3\nk12: 4\nk13: 5\nk14: 6\nk15: 7\nk16: 8\nk17: 9\n"
				    "k18: 1\nk19: 2\nk20: 3\nk21: 4\nk22: 5\nk23: 6\nk24: 7\nk25: 8\n"));
}

Test(yaml, anchors_aliases_billion_laughs)
{
	parse_fails("a: &x 1\nb: *x\n", "t.yaml:1:4:", "anchors are not allowed");
	parse_fails("b: *x\n", "t.yaml:1:4:", "aliases are not allowed");
	parse_fails("a: &a [*a]\n", "t.yaml:1:4:", "anchors are not allowed");
	parse_fails("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n",
		    "t.yaml:1:4:", "anchors are not allowed");
	parse_fails("<<: *base\n", "t.yaml:1:5:", "aliases are not allowed");
}

Test(yaml, tags_are_rejected)
{
	parse_fails("a: !!python/object:os.system [ls]\n", "t.yaml:1:4:", "tags are not allowed");
	parse_fails("a: !custom x\n", "t.yaml:1:4:", "tags are not allowed");
	parse_fails("a: !!str 1\n", "t.yaml:1:4:", "tags are not allowed");
	parse_fails("a: ! x\n", "t.yaml:1:4:", "tags are not allowed");
	parse_fails("!!map\na: 1\n", "t.yaml:1:1:", "tags are not allowed");
	parse_fails("%TAG !e! tag:example.com,2000:\n---\na: 1\n", "t.yaml:1:1:", "tag directives are not allowed");
}

Test(yaml, libyaml_cve_shapes_fail_cleanly)
{
	/* CVE-2014-2525: a long %-escape run in a tag URI */
	adr_buf b = ADR_BUF_INIT;
	adr__yaml_doc *doc = NULL;
	adr_buf_puts(&b, "a: !<tag:");
	for (int i = 0; i < 5000; i++)
		adr_buf_puts(&b, "%41");
	adr_buf_puts(&b, "> x\n");
	cr_assert_eq(adr__yaml_parse(&doc, "t.yaml", b.ptr, b.size, 1), ADR_EINVALID);
	adr_buf_dispose(&b);
	/* CVE-2013-6393-style tag and URI shapes, an invalid %-escape */
	parse_fails("a: !<%ff%fe> x\n", "t.yaml:", NULL);
	parse_fails("a: !e!%zz x\n", "t.yaml:", NULL);
	/* CVE-2014-9130: the simple-key / line-wrapping assert */
	parse_fails("- ? : - ? ?\n", "t.yaml:", NULL);
	/* valid flow syntax (a pair in a sequence): it parses, it must not crash */
	cr_assert_eq(adr__yaml_parse(&doc, "t.yaml", "a: [\n? b\n: c]\n", 13, 1), 0);
	adr__yaml_doc_free(doc);
	/* libyaml #107: deep flow nesting */
	b = (adr_buf)ADR_BUF_INIT;
	adr_buf_puts(&b, "a: ");
	for (int i = 0; i < 50000; i++)
		adr_buf_puts(&b, "{a: [");
	cr_assert_eq(adr__yaml_parse(&doc, "t.yaml", b.ptr, b.size, 1), ADR_EINVALID);
	adr_buf_dispose(&b);
}

Test(yaml, nul_bytes)
{
	parse_fails_n("a: 1\nb: x\0y\n", 12, 1, "t.yaml:2:5:", "NUL byte");
	parse_fails_n("\0", 1, 1, "t.yaml:1:1:", "NUL byte");
	/* an escaped NUL inside a double-quoted string */
	parse_fails("a: \"x\\0y\"\n", "t.yaml:1:4:", "NUL byte");
}

Test(yaml, invalid_utf8_position)
{
	/* é is two bytes but one column */
	parse_fails("a: 1\nb: \xc3\xa9\xff\n", "t.yaml:2:5:", "invalid UTF-8");
	parse_fails("a: \xc0\xaf\n", "t.yaml:1:4:", "invalid UTF-8");          /* overlong */
	parse_fails("a: \xed\xa0\x80\n", "t.yaml:1:4:", "invalid UTF-8");      /* surrogate */
	parse_fails("a: \xf4\x90\x80\x80\n", "t.yaml:1:4:", "invalid UTF-8");  /* > U+10FFFF */
	parse_fails("a: x\xe2\x82", "t.yaml:1:5:", "invalid UTF-8");            /* truncated */
	parse_fails_n("a: 1\nb: \xfe\xff", 9, 10, "t.yaml:11:4:", "invalid UTF-8");
}

Test(yaml, control_characters)
{
	parse_fails("a: \x1b[31mred\n", "t.yaml:1:4:", "U+001B");
	parse_fails("a: x\x7f\n", "t.yaml:1:5:", "U+007F");
	parse_fails("a: \xc2\x85x\n", "t.yaml:1:4:", "U+0085");
	parse_fails("a: x\ry\n", "t.yaml:1:5:", "carriage return");
	parse_fails("a: \"x\xe2\x80\xa8y\"\n", "t.yaml:1:6:", "U+2028");
	parse_fails("a: \xef\xbf\xbe\n", "t.yaml:1:4:", "U+FFFE");
	/* tab is fine in a value */
	adr__yaml_doc *doc = parse_ok("a: \"x\ty\"\n");
	cr_assert_str_eq(adr__yaml_get(doc, "a")->scalar, "x\ty");
	adr__yaml_doc_free(doc);
}

Test(yaml, depth_cap, .timeout = 10)
{
	adr_buf b = ADR_BUF_INIT;
	adr__yaml_doc *doc = NULL;
	/* 63 nested flow sequences under the root mapping: depth 64, accepted */
	adr_buf_puts(&b, "a: ");
	for (int i = 0; i < ADR_YAML_DEPTH_MAX - 1; i++)
		adr_buf_putc(&b, '[');
	for (int i = 0; i < ADR_YAML_DEPTH_MAX - 1; i++)
		adr_buf_putc(&b, ']');
	adr_buf_putc(&b, '\n');
	cr_assert_eq(adr__yaml_parse(&doc, "t.yaml", b.ptr, b.size, 1), 0, "%s", adr_error_last());
	adr__yaml_doc_free(doc);
	/* one more level: rejected */
	adr_buf_clear(&b);
	adr_buf_puts(&b, "a: ");
	for (int i = 0; i < ADR_YAML_DEPTH_MAX; i++)
		adr_buf_putc(&b, '[');
	for (int i = 0; i < ADR_YAML_DEPTH_MAX; i++)
		adr_buf_putc(&b, ']');
	adr_buf_putc(&b, '\n');
	cr_assert_eq(adr__yaml_parse(&doc, "t.yaml", b.ptr, b.size, 1), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "t.yaml:1:67: nesting is deeper than 64"),
			   "%s", adr_error_last());
	adr_buf_dispose(&b);
}

Test(yaml, nesting_100000_deep_fails_fast, .timeout = 10)
{
	const char *pats[] = { "[", "{a: ", "- ", NULL };
	for (int p = 0; pats[p]; p++) {
		adr_buf b = ADR_BUF_INIT;
		adr__yaml_doc *doc = NULL;
		adr_buf_puts(&b, "a: ");
		for (int i = 0; i < 100000; i++)
			adr_buf_puts(&b, pats[p]);
		cr_assert_eq(adr__yaml_parse(&doc, "t.yaml", b.ptr, b.size, 1), ADR_EINVALID);
		cr_assert_null(doc);
		adr_buf_dispose(&b);
	}
}

Test(yaml, block_nesting_cap)
{
	adr_buf b = ADR_BUF_INIT;
	adr__yaml_doc *doc = NULL;
	for (int i = 0; i < 200; i++) {
		for (int k = 0; k < i; k++)
			adr_buf_putc(&b, ' ');
		adr_buf_puts(&b, "k:\n");
	}
	cr_assert_eq(adr__yaml_parse(&doc, "t.yaml", b.ptr, b.size, 1), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "t.yaml:65:"), "%s", adr_error_last());
	adr_buf_dispose(&b);
}

Test(yaml, keys_must_be_scalars_and_start_lines)
{
	parse_fails("? [a, b]\n: c\n", "t.yaml:1:3:", "key must be a scalar");
	parse_fails("a: {[x]: 1}\n", "t.yaml:1:5:", "key must be a scalar");
	parse_fails("? a\n: 1\n", "t.yaml:1:3:", "first thing on its line");
	/* an indented root mapping is fine */
	adr__yaml_doc *doc = parse_ok("  a: 1\n  b: 2\n");
	cr_assert_eq(doc->count, 2);
	cr_assert_str_eq(doc->entries[1].raw, "  b: 2\n");
	adr__yaml_doc_free(doc);
}

Test(yaml, bom_and_crlf)
{
	adr__yaml_doc *doc = parse_ok("\xef\xbb\xbf" "a: x\r\nb: \"y\r\n  z\"\r\nc: [1, 2]\r\n");
	cr_assert_eq(doc->count, 3);
	cr_assert_str_eq(doc->prefix, "\xef\xbb\xbf");
	cr_assert_str_eq(adr__yaml_get(doc, "a")->scalar, "x");
	cr_assert_str_eq(adr__yaml_get(doc, "b")->scalar, "y z");
	cr_assert_eq(adr__yaml_get(doc, "a")->col, 4);
	cr_assert_str_eq(doc->entries[0].raw, "a: x\r\n");
	cr_assert_str_eq(doc->entries[2].raw, "c: [1, 2]\r\n");
	adr__yaml_doc_free(doc);
	/* errors after a BOM count columns without it */
	parse_fails("\xef\xbb\xbf" "a: \x01\n", "t.yaml:1:4:", "U+0001");
	parse_fails("\xef\xbb\xbf" "a: b: c\n", "t.yaml:1:5:", NULL);
}

Test(yaml, columns_count_characters)
{
	adr__yaml_doc *doc = parse_ok("é: ü\nnaïve: [日本, x]\n");
	const adr__yaml_node *v = adr__yaml_get(doc, "naïve");
	cr_assert_eq(adr__yaml_get(doc, "é")->col, 4);
	cr_assert_eq(v->items[1]->col, 13);
	adr__yaml_doc_free(doc);
	parse_fails("日本語: a: b\n", "t.yaml:1:7:", "mapping values");
}

/* adr__yaml_write_scalar */

static void roundtrip_scalar(const char *s, bool plain)
{
	adr_buf b = ADR_BUF_INIT;
	adr__yaml_doc *doc = NULL;
	size_t mark;
	adr_buf_puts(&b, "k: ");
	mark = b.size;
	cr_assert_eq(adr__yaml_write_scalar(&b, s), 0, "write '%s': %s", s, adr_error_last());
	if (plain)
		cr_assert_str_eq(b.ptr + mark, s, "'%s' should be plain, got %s", s, b.ptr + mark);
	else
		cr_assert_eq(b.ptr[mark], '"', "'%s' should be quoted, got %s", s, b.ptr + mark);
	/* also inside a flow sequence */
	adr_buf_puts(&b, "\nl: [");
	adr__yaml_write_scalar(&b, s);
	adr_buf_puts(&b, ", z]\n");
	cr_assert_eq(adr__yaml_parse(&doc, "w", b.ptr, b.size, 1), 0, "reparse of [%s]: %s", b.ptr,
		     adr_error_last());
	cr_assert_str_eq(adr__yaml_get(doc, "k")->scalar, s, "in [%s]", b.ptr);
	cr_assert(!adr__yaml_get(doc, "k")->is_null);
	cr_assert_eq(adr__yaml_get(doc, "l")->count, 2, "in [%s]", b.ptr);
	cr_assert_str_eq(adr__yaml_get(doc, "l")->items[0]->scalar, s);
	adr__yaml_doc_free(doc);
	adr_buf_dispose(&b);
}

Test(yaml, write_scalar_plain)
{
	const char *plain[] = { "accepted", "Ana Lima", "2026-11-21", "amends 12", "café",
				"日本語", "a-b", "v1.2", "http://example.com/x", "C++", "a#b",
				"a:b", "it's", "x y z", ".git", "3 musketeers", "null-safe", "back\\slash \"q\"", NULL };
	for (int i = 0; plain[i]; i++)
		roundtrip_scalar(plain[i], true);
}

Test(yaml, write_scalar_quoted)
{
	const char *quoted[] = {
		"", "yes", "No", "ON", "off", "y", "n", "true", "False", "null", "Null", "~",
		"12", "0012", "-5", "+1", "1.10", "0x1F", "0o17", "1e5", "1_000", "12:30", ".inf",
		"-.Inf", ".NaN", " lead", "trail ", "a: b", "a #b", "#x", "- x", "-x", "? x", ":x",
		"a:", "[a]", "a, b", "{x}", "a]", "*a", "&a", "!t", "|", ">", "'q", "\"q", "%x", "@x",
		"`x", "=", "<<", "a\nb", "tab\tin", "\t", "ctrl\x01", "del\x7f", "c1\xc2\x85",
		"ls\xe2\x80\xa8", "bom\xef\xbb\xbf", NULL
	};
	for (int i = 0; quoted[i]; i++)
		roundtrip_scalar(quoted[i], false);
}

Test(yaml, write_scalar_escapes)
{
	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr__yaml_write_scalar(&b, "a\"b\\c\nd\te\x01"), 0);
	cr_assert_str_eq(b.ptr, "\"a\\\"b\\\\c\\nd\\te\\u0001\"");
	adr_buf_clear(&b);
	cr_assert_eq(adr__yaml_write_scalar(&b, "x\xe2\x80\xa8"), 0);
	cr_assert_str_eq(b.ptr, "\"x\\u2028\"");
	adr_buf_clear(&b);
	cr_assert_eq(adr__yaml_write_scalar(&b, NULL), 0);
	cr_assert_str_eq(b.ptr, "\"\"");
	adr_buf_clear(&b);
	cr_assert_eq(adr__yaml_write_scalar(&b, "bad \xff utf8"), ADR_EINVALID);
	cr_assert_eq(b.size, 0);
	adr_buf_dispose(&b);
}
