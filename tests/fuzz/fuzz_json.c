/*
 * JSON (lib/text/json.c): the strict parser on any bytes, and the writer.
 * Properties: a parsed value written back (compact, pretty, script-safe)
 * parses to an equal value; script-safe output has no < > & and no
 * U+2028/U+2029; any bytes written as a string literal parse back to a
 * string, the same bytes when they were well-formed UTF-8.
 */
#include "fuzz.h"
#include "util/utf8.h"
#include "text/value.h"
#include "text/json.h"

static void roundtrip(const adr_value *v, unsigned flags)
{
	adr_buf out = ADR_BUF_INIT;
	adr_value *back = NULL;
	FUZZ_CHECK(adr__json_serialize(&out, v, flags) == 0);
	FUZZ_CHECK(adr__utf8_valid(out.ptr, out.size));
	if (flags & ADR_JSON_SCRIPT_SAFE) {
		FUZZ_CHECK(!memchr(out.ptr, '<', out.size) && !memchr(out.ptr, '>', out.size) &&
			   !memchr(out.ptr, '&', out.size));
		FUZZ_CHECK(!strstr(out.ptr, "\xE2\x80\xA8") && !strstr(out.ptr, "\xE2\x80\xA9"));
	}
	if (adr__json_parse(&back, "written.json", out.ptr, out.size) != 0) {
		fprintf(stderr, "written JSON does not parse: %s\n%.*s\n", adr_error_last(), (int)out.size, out.ptr);
		abort();
	}
	if (!adr__value_equal(v, back)) {
		fprintf(stderr, "written JSON parses to another value:\n%.*s\n", (int)out.size, out.ptr);
		abort();
	}
	adr__value_free(back);
	adr_buf_dispose(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	adr_value *v = NULL;
	adr_buf lit = ADR_BUF_INIT;
	int rc = adr__json_parse(&v, "fuzz.json", (const char *)data, size);

	if (rc == 0) {
		roundtrip(v, 0);
		roundtrip(v, ADR_JSON_PRETTY);
		roundtrip(v, ADR_JSON_SCRIPT_SAFE);
	} else {
		FUZZ_CHECK(v == NULL);
		if (rc != ADR_ENOMEM)
			FUZZ_CHECK(strncmp(adr_error_last(), "fuzz.json:", 10) == 0);
	}
	adr__value_free(v);
	v = NULL;

	/* The input as a string literal. */
	FUZZ_CHECK(adr__json_escape_string(&lit, (const char *)data, size, ADR_JSON_SCRIPT_SAFE) == 0);
	if (adr__json_parse(&v, "literal.json", lit.ptr, lit.size) != 0) {
		fprintf(stderr, "escaped string does not parse: %s\n", adr_error_last());
		abort();
	}
	FUZZ_CHECK(adr__value_kind_of(v) == ADR_VALUE_STRING);
	if (adr__utf8_valid((const char *)data, size)) {
		size_t n;
		const char *s = adr__value_get_string(v, &n);
		FUZZ_CHECK(n == size && memcmp(s, data, size) == 0);
	}
	adr__value_free(v);
	adr_buf_dispose(&lit);
	adr_error_clear();
	return 0;
}
