/*
 * The legacy formats reader (lib/record/legacy.c): adr-tools / Nygard, MADR 2,
 * log4brains, backstage tables, localized status sections. Reads the input
 * as a body, then as a whole record with adr__legacy_apply(), as `adr import`
 * and every reader do. Also the date and status word parsers on the raw
 * input.
 * Properties: spans lie inside the body, in order; every date given back
 * is a real calendar date; a record filled from its body serializes and
 * parses again to the same fields.
 */
#include "fuzz.h"
#include "record/legacy.h"

#define PATH "doc/adr/0007-legacy-fuzz.md"

static void check_read(const char *body)
{
	adr_legacy l;
	size_t len = strlen(body), prev = 0;
	if (adr__legacy_read(&l, PATH, body, 3) < 0) {
		FUZZ_CHECK(adr_error_code() == ADR_ENOMEM);
		return;
	}
	for (size_t i = 0; i < l.nspans; i++) {
		FUZZ_CHECK(l.spans[i].start <= l.spans[i].end && l.spans[i].end <= len);
		FUZZ_CHECK(l.spans[i].start >= prev);
		prev = l.spans[i].end;
	}
	if (l.date[0])
		FUZZ_CHECK(adr_date_valid(l.date));
	for (size_t i = 0; i < l.nlinks; i++)
		FUZZ_CHECK(l.links[i].type && l.links[i].target && l.links[i].line >= 3);
	for (size_t i = 0; i < l.warnings.count; i++)
		FUZZ_CHECK(strncmp(l.warnings.items[i], PATH ":", strlen(PATH) + 1) == 0);
	adr__legacy_dispose(&l);
}

static void check_apply(const uint8_t *data, size_t size)
{
	adr_record *r = NULL, *again = NULL;
	adr_buf out = ADR_BUF_INIT;
	if (adr_record_parse(&r, PATH, (const char *)data, size, ADR_PARSE_LENIENT) < 0)
		goto cleanup;
	(void)adr__legacy_unconverted(r);
	if (adr__legacy_apply(r) < 0) {
		FUZZ_CHECK(adr_error_code() == ADR_ENOMEM);
		goto cleanup;
	}
	if (r->date[0])
		FUZZ_CHECK(adr_date_valid(r->date));
	if (adr_record_serialize(&out, r) < 0)
		goto cleanup;
	if (adr_record_parse(&again, PATH, out.ptr, out.size, ADR_PARSE_LENIENT) < 0) {
		fprintf(stderr, "a record filled from its body does not parse again: %s\n%.*s\n", adr_error_last(),
			(int)out.size, out.ptr);
		abort();
	}
	/* A status word the legacy reader could not map may be one the front
	 * matter reader maps ("Superseded by [8]x"): only a mapped one must stay. */
	if (r->status != ADR_STATUS_NONE)
		FUZZ_CHECK(again->status == r->status);
	FUZZ_CHECK(strcmp(again->date, r->date) == 0);
	FUZZ_CHECK(adr_strlist_equal(&again->decision_makers, &r->decision_makers));
	FUZZ_CHECK(adr_strlist_equal(&again->tags, &r->tags));
	FUZZ_CHECK(again->supersedes.count == r->supersedes.count);
	FUZZ_CHECK(again->superseded_by.count == r->superseded_by.count);
	FUZZ_CHECK(again->nlinks == r->nlinks);
cleanup:
	adr_record_free(r);
	adr_record_free(again);
	adr_buf_dispose(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	char date[11];
	int rc;

	check_read(s);
	check_apply(data, size);

	rc = adr__legacy_date(date, s, size < 64 ? size : 64);
	FUZZ_CHECK(rc == 0 || rc == ADR_EAMBIGUOUS || rc == ADR_EINVALID);
	if (rc == 0)
		FUZZ_CHECK(adr_date_valid(date));
	(void)adr__legacy_status(s, size < 64 ? size : 64);

	free(s);
	adr_error_clear();
	return 0;
}
