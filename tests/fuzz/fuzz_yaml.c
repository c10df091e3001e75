/*
 * Front matter / YAML reader (lib/text/yaml.c): adr__yaml_parse() on any bytes.
 * Properties: positions are 1-based; every key is found again by
 * adr__yaml_get(); every string scalar, written back by
 * adr__yaml_write_scalar(), reads back as exactly the same string (and so
 * does the input itself when it is one well-formed line of text).
 */
#include "fuzz.h"
#include "util/utf8.h"
#include "text/yaml.h"

/* `s` written as the value of key k reads back as exactly `s`. */
static void check_scalar_roundtrip(const char *s)
{
	adr_buf doc = ADR_BUF_INIT;
	adr__yaml_doc *d = NULL;
	const adr__yaml_node *n;
	adr_buf_puts(&doc, "k: ");
	FUZZ_CHECK(adr__yaml_write_scalar(&doc, s) == 0);
	adr_buf_putc(&doc, '\n');
	FUZZ_CHECK(!adr_buf_oom(&doc));
	if (adr__yaml_parse(&d, "roundtrip.yaml", doc.ptr, doc.size, 1) != 0) {
		fprintf(stderr, "scalar [%s] written as [%s] does not parse: %s\n", s, doc.ptr, adr_error_last());
		abort();
	}
	n = adr__yaml_get(d, "k");
	FUZZ_CHECK(n != NULL && n->kind == ADR_YAML_SCALAR);
	if (n->is_null || strcmp(n->scalar, s) != 0) {
		fprintf(stderr, "scalar [%s] written as [%s] reads back as [%s]%s\n", s, doc.ptr, n->scalar,
			n->is_null ? " (null)" : "");
		abort();
	}
	adr__yaml_doc_free(d);
	adr_buf_dispose(&doc);
}

static void walk(const adr__yaml_node *n, int depth)
{
	FUZZ_CHECK(n != NULL);
	FUZZ_CHECK(depth <= ADR_YAML_DEPTH_MAX + 1);
	FUZZ_CHECK(n->line >= 1 && n->col >= 1);
	switch (n->kind) {
	case ADR_YAML_SCALAR:
		FUZZ_CHECK(n->scalar != NULL);
		FUZZ_CHECK(adr__utf8_valid(n->scalar, strlen(n->scalar)));
		if (!n->is_null)
			check_scalar_roundtrip(n->scalar);
		break;
	case ADR_YAML_MAP:
		for (size_t i = 0; i < n->count; i++) {
			FUZZ_CHECK(n->keys[i] != NULL);
			FUZZ_CHECK(adr__yaml_map_get(n, n->keys[i]) == n->items[i]); /* keys are unique */
			walk(n->items[i], depth + 1);
		}
		break;
	case ADR_YAML_SEQ:
		for (size_t i = 0; i < n->count; i++)
			walk(n->items[i], depth + 1);
		break;
	default:
		FUZZ_CHECK(!"unknown node kind");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	adr__yaml_doc *doc = NULL;
	int rc = adr__yaml_parse(&doc, "fuzz.yaml", (const char *)data, size, 1);
	if (rc == 0) {
		FUZZ_CHECK(doc != NULL && doc->prefix != NULL);
		for (size_t i = 0; i < doc->count; i++) {
			const adr__yaml_entry *e = &doc->entries[i];
			FUZZ_CHECK(e->key && e->raw && e->line >= 1 && e->col >= 1);
			FUZZ_CHECK(adr__yaml_get(doc, e->key) == e->value);
			walk(e->value, 1);
		}
	} else {
		/* Every rejection says where: `path:line:col: what`. */
		FUZZ_CHECK(rc == ADR_EINVALID || rc == ADR_ENOMEM);
		if (rc == ADR_EINVALID)
			FUZZ_CHECK(strncmp(adr_error_last(), "fuzz.yaml:", 10) == 0);
	}
	adr__yaml_doc_free(doc);

	/* Any well-formed string without NUL survives write_scalar + parse. */
	if (size < 4096 && !memchr(data, 0, size) && adr__utf8_valid((const char *)data, size)) {
		char *s = fuzz_cstr(data, size);
		check_scalar_roundtrip(s);
		free(s);
	}
	adr_error_clear();
	return 0;
}
