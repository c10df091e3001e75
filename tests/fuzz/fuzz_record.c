/*
 * The whole record parser (lib/record/record.c): adr_record_parse() on any bytes,
 * strict and lenient, then adr_record_validate() and the serializer.
 * Properties:
 *   - a record that parses strictly parses leniently with no warning, to
 *     the same fields;
 *   - an unchanged record serializes to exactly the bytes it was read from;
 *   - after changing the title, the status, a tag and a link, a copy
 *     (adr_record_dup) writes the same text, and the serialized text parses again (strictly when the original did) to a
 *     record with exactly the fields that were set.
 */
#include "fuzz.h"

#define PATH "decisions/0042-fuzzed-record.md"

static bool str_eq(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a && b && strcmp(a, b) == 0);
}

/* The first field that differs, or NULL. */
static const char *diff_fields(const adr_record *a, const adr_record *b, bool body)
{
	if (a->number != b->number)
		return "number";
	if (!str_eq(a->title, b->title))
		return "title";
	if (a->status != b->status || !str_eq(a->status_word, b->status_word))
		return "status";
	if (strcmp(a->date, b->date))
		return "date";
	if (!adr_strlist_equal(&a->decision_makers, &b->decision_makers))
		return "decision-makers";
	if (!adr_strlist_equal(&a->consulted, &b->consulted))
		return "consulted";
	if (!adr_strlist_equal(&a->informed, &b->informed))
		return "informed";
	if (a->mode != b->mode)
		return "mode";
	if (a->urgency != b->urgency)
		return "urgency";
	if (a->complexity != b->complexity)
		return "complexity";
	if (strcmp(a->review_by, b->review_by))
		return "review-by";
	if (strcmp(a->revisit, b->revisit))
		return "revisit";
	if (strcmp(a->cleanup_by, b->cleanup_by))
		return "cleanup-by";
	if (!adr_intlist_equal(&a->supersedes, &b->supersedes))
		return "supersedes";
	if (!adr_intlist_equal(&a->superseded_by, &b->superseded_by))
		return "superseded-by";
	if (a->nlinks != b->nlinks)
		return "links";
	for (size_t i = 0; i < a->nlinks; i++)
		if (strcmp(a->links[i].type, b->links[i].type) || a->links[i].target != b->links[i].target)
			return "links";
	if (!adr_strlist_equal(&a->tags, &b->tags))
		return "tags";
	if (a->visibility != b->visibility)
		return "visibility";
	if (!adr_strlist_equal(&a->affects, &b->affects))
		return "affects";
	if (body && !str_eq(a->body, b->body))
		return "body";
	return NULL;
}

static void fail(const char *what, const char *field, const adr_buf *text)
{
	fprintf(stderr, "%s: field '%s' differs; serialized text:\n%.*s\n", what, field ? field : "?",
		(int)text->size, text->ptr);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	adr_record *strict = NULL, *lenient = NULL, *again = NULL;
	adr_buf out = ADR_BUF_INIT;
	const char *d;
	int src, lrc;

	src = adr_record_parse(&strict, PATH, text, size, 0);
	if (src < 0)
		FUZZ_CHECK(strncmp(adr_error_last(), PATH ":", strlen(PATH) + 1) == 0 || src == ADR_ENOMEM);
	lrc = adr_record_parse(&lenient, PATH, text, size, ADR_PARSE_LENIENT);
	if (src == 0) {
		FUZZ_CHECK(lrc == 0);
		/* the same warnings: a record that reads strictly can still carry
		 * one (a decorated status, "✅ Accepted", read with a warning) */
		FUZZ_CHECK(lenient->warnings.count == strict->warnings.count);
		if ((d = diff_fields(strict, lenient, true)) != NULL)
			fail("strict and lenient parse", d, &out);
		(void)adr_record_validate(strict);
	}
	if (lrc < 0)
		goto cleanup;
	FUZZ_CHECK(lenient->title != NULL && lenient->body != NULL && lenient->body_line >= 1);
	FUZZ_CHECK(lenient->number == 42);
	(void)adr_record_validate(lenient);

	/* Unchanged: byte for byte. */
	FUZZ_CHECK(adr_record_serialize(&out, lenient) == 0);
	if (out.size != size || memcmp(out.ptr, data, size) != 0)
		fail("unchanged record is not written back as read", "bytes", &out);

	/* Changed: the fields that were set come back, strictly if they did before. */
	{
		adr_record *r = src == 0 ? strict : lenient;
		adr_status st = r->status == ADR_STATUS_ACCEPTED ? ADR_STATUS_REJECTED : ADR_STATUS_ACCEPTED;
		char *tag = strdup("fuzz-tag");
		int prc;
		FUZZ_CHECK(tag != NULL);
		if (adr_record_set_title(r, "Fuzzed title") < 0)
			goto cleanup;
		r->status = st;
		free(r->status_word);
		r->status_word = NULL;
		FUZZ_CHECK(adr_strlist_add(&r->tags, tag) == 0);
		free(tag);
		FUZZ_CHECK(adr_record_add_link(r, "relates-to", 7) == 0);
		adr_buf_clear(&out);
		if (adr_record_serialize(&out, r) < 0)
			goto cleanup;
		/* A copy writes the same text. */
		{
			adr_record *copy = NULL;
			adr_buf out2 = ADR_BUF_INIT;
			FUZZ_CHECK(adr_record_dup(&copy, r) == 0);
			FUZZ_CHECK(adr_record_serialize(&out2, copy) == 0);
			if (out2.size != out.size || memcmp(out2.ptr, out.ptr, out.size) != 0)
				fail("a copy of the changed record", "bytes", &out2);
			adr_record_free(copy);
			adr_buf_dispose(&out2);
		}
		prc = adr_record_parse(&again, PATH, out.ptr, out.size, src == 0 ? 0 : ADR_PARSE_LENIENT);
		if (prc < 0) {
			fprintf(stderr, "changed record does not parse again: %s\n", adr_error_last());
			fail("changed record", "parse", &out);
		}
		FUZZ_CHECK(strcmp(again->title, "Fuzzed title") == 0);
		if ((d = diff_fields(r, again, false)) != NULL)
			fail("changed record", d, &out);
	}
cleanup:
	adr_record_free(strict);
	adr_record_free(lenient);
	adr_record_free(again);
	adr_buf_dispose(&out);
	adr_error_clear();
	return 0;
}
