/*
 * Mustache templates (lib/text/mustache.c, mustache_render.c): compile a
 * fuzzed template and render it with fuzzed data and fuzzed partials.
 *
 * Input layout: parts separated by NUL bytes:
 *   template \0 data (JSON; when it is not JSON, a fixed tree) \0 partial \0 partial...
 * A partial or parent named `self` is the template itself (recursion, which
 * the engine must bound); any other name picks one of the partial parts by
 * the name's length, or is missing when there are none.
 * Properties: the engine returns (the step budget bounds the work); a
 * rendered template renders again to the same text from its partial cache;
 * a failed render leaves the output as it was; every compile error says
 * `name:line:col: what`.
 */
#include "fuzz.h"
#include "text/mustache.h"
#include "text/value.h"
#include "text/json.h"

#define PARTS_MAX 8
/* Small enough that one input cannot run for long, large enough for any template. */
#define STEPS (1u << 16)

typedef struct {
	const char *part[PARTS_MAX];
	size_t len[PARTS_MAX];
	size_t n;
} parts;

static int partial_cb(const char **src, size_t *len, const char *name, void *payload)
{
	const parts *p = payload;
	if (strcmp(name, "self") == 0) {
		*src = p->part[0];
		*len = p->len[0];
		return 0;
	}
	if (p->n <= 2)
		return ADR_ENOTFOUND;
	{
		size_t i = 2 + strlen(name) % (p->n - 2);
		*src = p->part[i];
		*len = p->len[i];
	}
	return 0;
}

static adr_value *fixed_data(void)
{
	adr_value *m = adr__value_map(), *l = adr__value_list(), *inner = adr__value_map();
	FUZZ_CHECK(m && l && inner);
	adr__value_map_set_string(m, "title", "Use <PostgreSQL> & \"friends\"");
	adr__value_map_set_number(m, "number", 42);
	adr__value_map_set_number(m, "ratio", 1.5);
	adr__value_map_set_bool(m, "yes", true);
	adr__value_map_set_bool(m, "no", false);
	adr__value_map_set(m, "nothing", adr__value_null());
	adr__value_list_append_string(l, "a");
	adr__value_list_append_string(l, "b");
	adr__value_list_append(l, adr__value_number(3));
	adr__value_map_set(m, "list", l);
	adr__value_map_set_string(inner, "name", "{{title}}");
	adr__value_map_set(inner, "self", adr__value_copy(m));
	adr__value_map_set(m, "a", inner);
	return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	parts p = { { 0 }, { 0 }, 0 };
	const char *s = (const char *)data, *end = s + size;
	adr__mustache_template *t = NULL;
	adr__mustache_opts o = ADR_MUSTACHE_OPTS_INIT;
	adr_value *v = NULL;
	adr_buf out = ADR_BUF_INIT, again = ADR_BUF_INIT;
	int rc;

	while (p.n < PARTS_MAX) {
		const char *z = memchr(s, 0, (size_t)(end - s));
		p.part[p.n] = s;
		p.len[p.n] = z ? (size_t)(z - s) : (size_t)(end - s);
		p.n++;
		if (!z)
			break;
		s = z + 1;
	}
	if (p.n < 2 || adr__json_parse(&v, "data.json", p.part[1], p.len[1]) < 0)
		v = fixed_data();
	adr_error_clear();

	rc = adr__mustache_compile(&t, "fuzz.mustache", p.part[0], p.len[0]);
	if (rc < 0) {
		if (rc != ADR_ENOMEM)
			FUZZ_CHECK(strncmp(adr_error_last(), "fuzz.mustache:", 14) == 0);
		goto cleanup;
	}
	FUZZ_CHECK(strcmp(adr__mustache_template_name(t), "fuzz.mustache") == 0);
	o.max_steps = STEPS;
	o.flags = size && (data[size - 1] & 1) ? ADR_MUSTACHE_STRICT : 0;
	adr_buf_puts(&out, "kept");
	rc = adr__mustache_render_compiled(&out, t, v, partial_cb, &p, &o);
	if (rc < 0) {
		FUZZ_CHECK(out.size == 4 && memcmp(out.ptr, "kept", 4) == 0);
		goto cleanup;
	}
	/* Again, now from the partial cache: the same text. */
	adr_buf_puts(&again, "kept");
	rc = adr__mustache_render_compiled(&again, t, v, partial_cb, &p, &o);
	FUZZ_CHECK(rc == 0);
	FUZZ_CHECK(again.size == out.size && memcmp(again.ptr, out.ptr, out.size) == 0);
	/* With the whole stack as two contexts, the top one empty: the same text too. */
	{
		adr_value *top = adr__value_map();
		const adr_value *ctx[2] = { v, top };
		adr_buf two = ADR_BUF_INIT;
		FUZZ_CHECK(top != NULL);
		adr_buf_puts(&two, "kept");
		if (adr__value_kind_of(v) == ADR_VALUE_MAP &&
		    adr__mustache_render_contexts(&two, t, ctx, 2, partial_cb, &p, &o) == 0)
			FUZZ_CHECK(two.size == out.size && memcmp(two.ptr, out.ptr, out.size) == 0);
		adr_buf_dispose(&two);
		adr__value_free(top);
	}
cleanup:
	adr__mustache_template_free(t);
	adr__value_free(v);
	adr_buf_dispose(&out);
	adr_buf_dispose(&again);
	adr_error_clear();
	return 0;
}
