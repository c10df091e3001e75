/* Unit tests for adr/text.h (lib/utf8.c): what a terminal must never receive raw (F08, F22). */
#include <criterion/criterion.h>

#include <string.h>

#include "adr/check.h"
#include "adr/record.h"
#include "adr/repo.h"
#include "adr/text.h"
#include "util/error.h" /* adr__error, adr__hint, adr__error_prefix */
#include "log/check_internal.h"

static void escapes_to(const char *in, size_t len, unsigned flags, const char *want)
{
	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr_text_escape(&b, in, len, flags), len);
	cr_assert_str_eq(b.ptr, want);
	adr_buf_dispose(&b);
}

Test(text, escape)
{
	escapes_to("plain, tab\tand UTF-8 \xc3\xa9", 23, 0, "plain, tab\tand UTF-8 \xc3\xa9");
	/* ESC, BEL, DEL, NUL, a lone CR */
	escapes_to("\x1b]0;x\x07\x1b[31m\x7f\0\r", 14, ADR_TEXT_LINES, "\\x1b]0;x\\x07\\x1b[31m\\x7f\\x00\\r");
	/* lines: LF and CRLF pass in multi-line text, not in one-line text */
	escapes_to("a\nb\r\nc", 6, ADR_TEXT_LINES, "a\nb\r\nc");
	escapes_to("a\nb\r\nc", 6, 0, "a\\nb\\r\\nc");
	/* C1 (CSI U+009B, NEL), bidi controls, line and paragraph separators */
	escapes_to("\xc2\x9b\xc2\x85\xe2\x80\xaa\xe2\x80\xae\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\xa8\xe2\x80\xa9", 22, 0,
		   "\\u009b\\u0085\\u202a\\u202e\\u2066\\u2069\\u2028\\u2029");
	/* invalid UTF-8: each byte of the ill-formed part; a raw 0x9b byte is not a CSI */
	escapes_to("a\x9b" "b\xff\xe2\x82" "c", 7, 0, "a\\x9bb\\xff\\xe2\\x82c");
	/* neighbours that are safe: NBSP, LRM, U+206A, U+FEFF */
	escapes_to("\xc2\xa0\xe2\x80\x8e\xe2\x81\xaa\xef\xbb\xbf", 11, 0, "\xc2\xa0\xe2\x80\x8e\xe2\x81\xaa\xef\xbb\xbf");
}

Test(text, escape_partial_holds_an_incomplete_end)
{
	adr_buf b = ADR_BUF_INIT;
	/* half of U+202E at the end: held back, then escaped once complete */
	cr_assert_eq(adr_text_escape(&b, "ab\xe2\x80", 4, ADR_TEXT_PARTIAL), 2);
	cr_assert_str_eq(b.ptr, "ab");
	cr_assert_eq(adr_text_escape(&b, "\xe2\x80\xae", 3, ADR_TEXT_PARTIAL), 3);
	cr_assert_str_eq(b.ptr, "ab\\u202e");
	/* a CR at the end may start a CRLF */
	adr_buf_clear(&b);
	cr_assert_eq(adr_text_escape(&b, "x\r", 2, ADR_TEXT_LINES | ADR_TEXT_PARTIAL), 1);
	cr_assert_eq(adr_text_escape(&b, "\r\n", 2, ADR_TEXT_LINES | ADR_TEXT_PARTIAL), 2);
	cr_assert_str_eq(b.ptr, "x\r\n");
	/* a byte that can never start a sequence is not held */
	adr_buf_clear(&b);
	cr_assert_eq(adr_text_escape(&b, "x\xff", 2, ADR_TEXT_PARTIAL), 2);
	cr_assert_str_eq(b.ptr, "x\\xff");
	adr_buf_dispose(&b);
}

Test(text, find_unsafe)
{
	uint32_t cp = 0;
	cr_assert_eq(adr_text_find_unsafe("safe\ttext", 9, 0, &cp), 9);
	cr_assert_eq(adr_text_find_unsafe("ab\xe2\x80\xaex", 6, 0, &cp), 2);
	cr_assert_eq(cp, 0x202E);
	cr_assert_eq(adr_text_find_unsafe("a\nb", 3, ADR_TEXT_LINES, &cp), 3);
	cr_assert_eq(adr_text_find_unsafe("a\nb", 3, 0, &cp), 1);
	cr_assert_eq(cp, '\n');
	cr_assert_eq(adr_text_find_unsafe("a\rb", 3, ADR_TEXT_LINES, &cp), 1);
	cr_assert_eq(adr_text_find_unsafe("a\xc3", 2, 0, &cp), 1);
	cr_assert_eq(cp, 0xFFFFFFFFu);
	cr_assert_str_eq(adr_text_unsafe(0x1B), "control character");
	cr_assert_str_eq(adr_text_unsafe(0x202E), "bidi control");
	cr_assert_str_eq(adr_text_unsafe(0x2029), "line separator");
	cr_assert_null(adr_text_unsafe('\t'));
	cr_assert_null(adr_text_unsafe(0x200F));
	cr_assert_str_eq(adr_text_char_name(0x202E), "RIGHT-TO-LEFT OVERRIDE");
}

/* F22: titles with bidi controls or line separators are refused like control characters. */
Test(text, slugify_refuses_and_names_the_character)
{
	static const struct {
		const char *title, *msg;
	} cases[] = {
		{ "Bidi \xe2\x80\xae evil", "the title has a bidi control (U+202E RIGHT-TO-LEFT OVERRIDE) at character 6" },
		{ "Iso\xe2\x81\xa6x", "the title has a bidi control (U+2066 LEFT-TO-RIGHT ISOLATE) at character 4" },
		{ "\xc3\xa9t\xc3\xa9 \xe2\x80\xa8 x", "the title has a line separator (U+2028 LINE SEPARATOR) at character 5" },
		{ "P\xe2\x80\xa9", "the title has a line separator (U+2029 PARAGRAPH SEPARATOR) at character 2" },
		{ "Esc \x1b[31m", "the title has a control character (U+001B ESCAPE) at character 5" },
		{ "C1 \xc2\x9b", "the title has a control character (U+009B CONTROL SEQUENCE INTRODUCER) at character 4" },
		{ "Tab\tx", "the title has a control character (U+0009) at character 4" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		adr_buf b = ADR_BUF_INIT;
		cr_assert_eq(adr_slugify(&b, cases[i].title), ADR_EINVALID, "%s", cases[i].title);
		cr_assert_str_eq(adr_error_last(), cases[i].msg);
		cr_assert_eq(b.size, 0);
		adr_buf_dispose(&b);
	}
}

/* F08: adr check's control-character findings, with their cap per record. */
Test(text, check_reports_control_characters)
{
	adr_recordset set = ADR_RECORDSET_INIT;
	adr_findings f = ADR_FINDINGS_INIT;
	adr_buf text = ADR_BUF_INIT;
	adr_record *r = NULL;
	size_t n = 0;

	adr_buf_puts(&text, "---\nstatus: accepted\ndate: 2024-01-01\n---\n# Title\n\n");
	for (int i = 0; i < 30; i++)
		adr_buf_printf(&text, "line %d \x1b[2J\n", i);
	cr_assert_eq(adr_record_parse(&r, "docs/decisions/0002-x\ty.md", text.ptr, text.size, ADR_PARSE_LENIENT), 0,
		     "%s", adr_error_last());
	cr_assert_eq(adr_recordset_add(&set, r), 0);
	cr_assert_eq(adr__check_records(&f, &set), 0, "%s", adr_error_last());
	for (size_t i = 0; i < f.count; i++)
		if (!strcmp(f.items[i].code, "control-character"))
			n++;
	/* 20 findings at line:col, then one that counts the other 10 */
	cr_assert_eq(n, 21);
	cr_assert_eq(f.items[0].line, 7);
	cr_assert_eq(f.items[0].col, 8);
	cr_assert_str_eq(f.items[0].message, "control character U+001B (ESCAPE), which a terminal acts on instead of showing");
	cr_assert_eq(f.items[19].line, 26);
	cr_assert_str_eq(f.items[20].message, "10 more lines or values with control characters");
	/* a tab in a file name is harmless: no finding for the name */
	for (size_t i = 0; i < f.count; i++)
		cr_assert_null(strstr(f.items[i].message, "file name"), "%s", f.items[i].message);
	adr_findings_dispose(&f);
	adr_recordset_dispose(&set);
	adr_buf_dispose(&text);
}

/* The last error's hint (issue 12, item 8): set with the error, kept when
 * the message gets more context, gone with the next error or a clear. */
Test(error, hint_follows_its_error)
{
	cr_assert_eq(adr__hint(ADR_HINT_CHECK, adr__error(ADR_EAMBIGUOUS, "record %04d exists twice", 7)),
		     ADR_EAMBIGUOUS);
	cr_assert_eq(adr_error_hint(), ADR_HINT_CHECK);
	adr__error_prefix("cannot supersede");
	cr_assert_str_eq(adr_error_last(), "cannot supersede: record 0007 exists twice");
	cr_assert_eq(adr_error_hint(), ADR_HINT_CHECK);
	adr__error(ADR_EINVALID, "another");
	cr_assert_eq(adr_error_hint(), ADR_HINT_NONE);
	adr__hint(ADR_HINT_INDEX, ADR_ENOTFOUND);
	adr_error_clear();
	cr_assert_eq(adr_error_hint(), ADR_HINT_NONE);
}
