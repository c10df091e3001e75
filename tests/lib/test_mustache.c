/* Unit tests for the Mustache engine (lib/text/mustache.c and
 * mustache_render.c): the official mustache/spec suites (read at run time
 * with our JSON parser from ../shared; skipped when it is absent) and the
 * engine's own guarantees. */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "text/json.h"
#include "text/mustache.h"
#include "text/value.h"
#include "util/error.h"      /* adr__error(), for a failing partial callback */
#include "testutil.h"   /* tu_require_shared() */

#define SPEC_DIR ADR_TEST_SHARED "/data/mustache-spec/"

/* Partials from a map of name -> source. */
static int map_partials(const char **src, size_t *len, const char *name, void *payload)
{
	const adr_value *v = adr__value_map_get(payload, name);
	if (!v)
		return ADR_ENOTFOUND;
	*src = adr__value_get_string(v, len);
	return *src ? 0 : ADR_ENOTFOUND;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	adr_buf b = ADR_BUF_INIT;
	char chunk[8192];
	size_t n;
	cr_assert_not_null(f, "cannot open %s", path);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		adr_buf_put(&b, chunk, n);
	fclose(f);
	*len = b.size;
	return adr_buf_detach(&b);
}

static adr_value *json(const char *s)
{
	adr_value *v = NULL;
	cr_assert_eq(adr__json_parse(&v, "data", s, strlen(s)), 0, "%s", adr_error_last());
	return v;
}

/* Runs every case of one spec file; the number of cases must be `expected`. */
static void run_spec(const char *file, size_t expected, unsigned flags)
{
	char path[1024];
	size_t len, ran = 0, passed = 0;
	adr_value *doc = NULL;
	adr_buf failures = ADR_BUF_INIT;
	adr__mustache_opts opts = ADR_MUSTACHE_OPTS_INIT;
	char *text;

	opts.flags = flags;
	/* the spec is not ours: skipped, named, when ../shared is absent */
	tu_require_shared("data/mustache-spec");
	snprintf(path, sizeof(path), "%s%s", SPEC_DIR, file);
	text = slurp(path, &len);
	cr_assert_eq(adr__json_parse(&doc, path, text, len), 0, "%s", adr_error_last());
	const adr_value *tests = adr__value_map_get(doc, "tests");
	cr_assert_eq(adr__value_kind_of(tests), ADR_VALUE_LIST, "%s: no tests list", file);
	cr_assert_eq(adr__value_count(tests), expected, "%s: %zu cases in the file, expected %zu",
		     file, adr__value_count(tests), expected);

	for (size_t i = 0; i < adr__value_count(tests); i++) {
		const adr_value *t = adr__value_list_get(tests, i);
		const char *name = adr__value_lookup_string(t, "name");
		size_t tlen, elen;
		const char *tmpl = adr__value_get_string(adr__value_map_get(t, "template"), &tlen);
		const char *want = adr__value_get_string(adr__value_map_get(t, "expected"), &elen);
		adr_buf out = ADR_BUF_INIT;
		int rc;

		cr_assert_not_null(name);
		cr_assert_not_null(tmpl, "%s: case '%s' has no template", file, name);
		cr_assert_not_null(want, "%s: case '%s' has no expected output", file, name);
		rc = adr__mustache_render(&out, name, tmpl, tlen, adr__value_map_get(t, "data"),
					 map_partials, (void *)adr__value_map_get(t, "partials"), &opts);
		ran++;
		if (rc == 0 && out.size == elen && memcmp(out.ptr, want, elen) == 0) {
			passed++;
		} else {
			adr_buf_printf(&failures, "\n  '%s': ", name);
			if (rc < 0)
				adr_buf_printf(&failures, "error %d: %s", rc, adr_error_last());
			else
				adr_buf_printf(&failures, "got [%s], want [%s]", out.ptr, want);
		}
		adr_buf_dispose(&out);
	}
	cr_assert_eq(ran, expected, "%s: ran %zu cases, expected %zu", file, ran, expected);
	cr_assert_eq(passed, ran, "%s: %zu of %zu cases fail:%s", file, ran - passed, ran,
		     failures.ptr);
	adr_buf_dispose(&failures);
	adr__value_free(doc);
	free(text);
}

/* The counts are those of mustache/spec v1.4.2 (RELIABILITY.md T1). */
Test(mustache_spec, comments) { run_spec("comments.json", 12, 0); }
Test(mustache_spec, delimiters) { run_spec("delimiters.json", 14, 0); }
Test(mustache_spec, interpolation) { run_spec("interpolation.json", 42, 0); }
Test(mustache_spec, inverted) { run_spec("inverted.json", 22, 0); }
Test(mustache_spec, partials) { run_spec("partials.json", 12, 0); }
Test(mustache_spec, sections) { run_spec("sections.json", 34, 0); }
Test(mustache_spec, inheritance) { run_spec("~inheritance.json", 27, 0); }
/* The spec's minimum escaping passes as well. */
Test(mustache_spec, interpolation_spec_escape)
{
	run_spec("interpolation.json", 42, ADR_MUSTACHE_SPEC_ESCAPE);
}

Test(mustache_spec, sections_spec_escape)
{
	run_spec("sections.json", 34, ADR_MUSTACHE_SPEC_ESCAPE);
}

/* Helpers for the rest */

static char *render_p(const char *tmpl, const char *data_json, const char *partials_json,
		      unsigned flags)
{
	adr_value *data = data_json ? json(data_json) : NULL;
	adr_value *parts = partials_json ? json(partials_json) : NULL;
	adr__mustache_opts opts = ADR_MUSTACHE_OPTS_INIT;
	adr_buf out = ADR_BUF_INIT;
	opts.flags = flags;
	int rc = adr__mustache_render(&out, "t", tmpl, strlen(tmpl), data, map_partials, parts, &opts);
	cr_assert_eq(rc, 0, "render of [%s] failed: %s", tmpl, adr_error_last());
	adr__value_free(data);
	adr__value_free(parts);
	return adr_buf_detach(&out);
}

static void renders(const char *tmpl, const char *data_json, const char *want)
{
	char *got = render_p(tmpl, data_json, NULL, 0);
	cr_assert_str_eq(got, want, "[%s] gave [%s], want [%s]", tmpl, got, want);
	free(got);
}

/* Expects the render (or compile) to fail with `code`; `where` starts the message. */
static void render_fails(const char *tmpl, const char *data_json, const char *partials_json,
			 unsigned flags, int code, const char *where, const char *what)
{
	adr_value *data = data_json ? json(data_json) : NULL;
	adr_value *parts = partials_json ? json(partials_json) : NULL;
	adr__mustache_opts opts = ADR_MUSTACHE_OPTS_INIT;
	adr_buf out = ADR_BUF_INIT;
	opts.flags = flags;
	adr_buf_puts(&out, "kept");
	int rc = adr__mustache_render(&out, "t", tmpl, strlen(tmpl), data, map_partials, parts, &opts);
	cr_assert_eq(rc, code, "[%s]: got %d (%s), want %d", tmpl, rc, adr_error_last(), code);
	cr_assert_str_eq(out.ptr, "kept", "output not cut back on error: [%s]", out.ptr);
	if (where)
		cr_assert(strncmp(adr_error_last(), where, strlen(where)) == 0,
			  "[%s]: message '%s' does not start with '%s'", tmpl, adr_error_last(), where);
	if (what)
		cr_assert_not_null(strstr(adr_error_last(), what), "[%s]: message '%s' lacks '%s'",
				   tmpl, adr_error_last(), what);
	adr__value_free(data);
	adr__value_free(parts);
	adr_buf_dispose(&out);
}

static void syntax_error(const char *tmpl, const char *where, const char *what)
{
	adr__mustache_template *t = (adr__mustache_template *)1;
	int rc = adr__mustache_compile(&t, "t", tmpl, strlen(tmpl));
	cr_assert_eq(rc, ADR_EINVALID, "[%s] compiled", tmpl);
	cr_assert_null(t);
	cr_assert(strncmp(adr_error_last(), where, strlen(where)) == 0,
		  "[%s]: message '%s' does not start with '%s'", tmpl, adr_error_last(), where);
	cr_assert_not_null(strstr(adr_error_last(), what), "[%s]: message '%s' lacks '%s'",
			   tmpl, adr_error_last(), what);
	/* render reports the same */
	render_fails(tmpl, NULL, NULL, 0, ADR_EINVALID, where, what);
}

/* Security (RELIABILITY X1, T2, T4) */

Test(mustache, escapes_html)
{
	renders("<p title=\"{{t}}\">{{t}}</p>", "{\"t\": \"<script>alert(1)</script>\"}",
		"<p title=\"&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	renders("<a title=\"{{t}}\">", "{\"t\": \"\\\"><img src=x onerror=alert(1)>\"}",
		"<a title=\"&quot;&gt;&lt;img src=x onerror=alert(1)&gt;\">");
	renders("{{t}}", "{\"t\": \"it's 'quoted' & &amp;\"}",
		"it&#39;s &#39;quoted&#39; &amp; &amp;amp;");
	renders("{{t}}", "{\"t\": \"`\\u2028\\u202e\"}", "`\xe2\x80\xa8\xe2\x80\xae");
	/* triple and & do not escape */
	renders("{{{t}}}{{&t}}", "{\"t\": \"<'>\"}", "<'><'>");

	char *got = render_p("{{t}}", "{\"t\": \"it's\"}", NULL, ADR_MUSTACHE_SPEC_ESCAPE);
	cr_assert_str_eq(got, "it's");
	free(got);

	adr_buf b = ADR_BUF_INIT;
	cr_assert_eq(adr__mustache_escape(&b, "a<b>&\"c'", 9, 0), 0);
	cr_assert_str_eq(b.ptr, "a&lt;b&gt;&amp;&quot;c&#39;");
	adr_buf_dispose(&b);
}

Test(mustache, no_reinterpolation)
{
	renders("{{title}}|{{{title}}}|{{#r}}{{title}}{{/r}}",
		"{\"title\": \"{{secret}}\", \"secret\": \"LEAK\", \"r\": [{\"title\": \"{{>p}}{{=<% %>=}}\"}]}",
		"{{secret}}|{{secret}}|{{&gt;p}}{{=&lt;% %&gt;=}}");
	/* partial names come from the template, never from data */
	char *got = render_p("{{title}}", "{\"title\": \"{{>p}}\"}", "{\"p\": \"LEAK\"}", 0);
	cr_assert_str_eq(got, "{{&gt;p}}");
	free(got);
}

/* Values */

Test(mustache, values_and_truthiness)
{
	renders("{{a}} {{b}} {{c}} {{d}} {{e}} {{f}} {{g}}|",
		"{\"a\": 1.5, \"b\": 85, \"c\": true, \"d\": false, \"e\": null, \"f\": [1], \"g\": {\"x\": 1}}",
		"1.5 85 true false   |");
	renders("{{#s}}S{{/s}}{{^s}}!S{{/s}} {{#z}}Z{{/z}} {{#m}}M{{/m}} {{#l}}L{{/l}}{{^l}}!L{{/l}}",
		"{\"s\": \"\", \"z\": 0, \"m\": {}, \"l\": []}",
		"!S Z M !L");
	renders("{{#list}}{{.}},{{/list}}", "{\"list\": [\"a\", 2, true, null]}", "a,2,true,,");
	renders("{{#person}}{{name}} from {{city}}{{/person}}",
		"{\"city\": \"Lyon\", \"person\": {\"name\": \"Ana\"}}", "Ana from Lyon");
	renders("[{{a.b.c}}][{{a.x.c}}][{{#a.b}}{{c}}{{/a.b}}]", "{\"a\": {\"b\": {\"c\": \"deep\"}}}",
		"[deep][][deep]");
	renders("{{.}}", "\"root string\"", "root string");
}

Test(mustache, null_data_and_no_partials)
{
	adr_buf out = ADR_BUF_INIT;
	const char *tmpl = "a{{x}}b{{#x}}c{{/x}}{{^x}}d{{/x}}{{>p}}{{.}}e";
	cr_assert_eq(adr__mustache_render(&out, "t", tmpl, strlen(tmpl), NULL, NULL, NULL, NULL), 0);
	cr_assert_str_eq(out.ptr, "abde");
	adr_buf_dispose(&out);
}

Test(mustache, context_stack_of_several_values)
{
	adr_value *site = json("{\"name\": \"Log\", \"title\": \"site title\"}");
	adr_value *rec = json("{\"title\": \"Use <Postgres>\"}");
	const adr_value *stack[] = { site, rec };
	adr__mustache_template *t = NULL;
	adr_buf out = ADR_BUF_INIT;
	const char *src = "{{title}} - {{name}}{{#missing}}x{{/missing}}";
	cr_assert_eq(adr__mustache_compile(&t, "page", src, strlen(src)), 0);
	cr_assert_eq(adr__mustache_render_contexts(&out, t, stack, 2, NULL, NULL, NULL), 0);
	cr_assert_str_eq(out.ptr, "Use &lt;Postgres&gt; - Log");
	adr_buf_clear(&out);
	cr_assert_eq(adr__mustache_render_contexts(&out, t, NULL, 0, NULL, NULL, NULL), 0);
	cr_assert_str_eq(out.ptr, " - ");
	adr_buf_dispose(&out);
	adr__mustache_template_free(t);
	adr__value_free(site);
	adr__value_free(rec);
}

static void note_base(const char *name, size_t len, void *payload)
{
	adr_buf *b = payload;
	adr_buf_put(b, name, len);
	adr_buf_putc(b, ';');
}

/* The hook the site's page cache relies on: told of every name that was
 * not found above the bottom context, found in it or nowhere, with the
 * whole dotted name; not of names found above, nor of those inside a
 * section pushed from the bottom (its whole value was reported). */
Test(mustache, names_reaching_the_bottom_context_are_reported)
{
	adr_value *site = json("{\"site\": {\"title\": \"Log\", \"n\": 3}, \"top\": \"bottom's\"}");
	adr_value *rec = json("{\"title\": \"T\", \"top\": \"mine\", \"items\": [{\"a\": 1}]}");
	const adr_value *stack[] = { site, rec };
	adr__mustache_template *t = NULL;
	adr__mustache_opts mo = ADR_MUSTACHE_OPTS_INIT;
	adr_buf out = ADR_BUF_INIT, names = ADR_BUF_INIT;
	const char *src = "{{title}} {{top}} {{site.title}} {{#items}}{{a}}{{b}}{{/items}}{{^gone}}!{{/gone}}"
			  "{{#site}}{{n}}{{/site}}{{.}}";
	mo.base_lookup = note_base;
	mo.base_payload = &names;
	cr_assert_eq(adr__mustache_compile(&t, "page", src, strlen(src)), 0);
	cr_assert_eq(adr__mustache_render_contexts(&out, t, stack, 2, NULL, NULL, &mo), 0);
	cr_assert_str_eq(out.ptr, "T mine Log 1!3", "got [%s]", out.ptr);
	/* "b" climbed from the item past the record: nowhere; "gone" nowhere */
	cr_assert_str_eq(names.ptr, "site.title;b;gone;site;", "got [%s]", names.ptr);
	adr_buf_dispose(&out);
	adr_buf_dispose(&names);
	adr__mustache_template_free(t);
	adr__value_free(site);
	adr__value_free(rec);
}

Test(mustache, large_list_renders_linearly)
{
	adr_value *data = adr__value_map(), *list = adr__value_list();
	adr__mustache_template *t = NULL;
	adr_buf out = ADR_BUF_INIT;
	const char *src = "{{#records}}<li>{{id}} {{title}}</li>\n{{/records}}";
	char title[32];
	adr__value_map_set(data, "records", list);
	for (int i = 0; i < 10000; i++) {
		adr_value *r = adr__value_map();
		snprintf(title, sizeof(title), "T<%d>", i);
		adr__value_map_set_number(r, "id", i);
		adr__value_map_set_string(r, "title", title);
		adr__value_list_append(list, r);
	}
	cr_assert_eq(adr__mustache_compile(&t, "list", src, strlen(src)), 0);
	cr_assert_eq(adr__mustache_render_compiled(&out, t, data, NULL, NULL, NULL), 0,
		     "%s", adr_error_last());
	cr_assert_not_null(strstr(out.ptr, "<li>9999 T&lt;9999&gt;</li>\n"));
	cr_assert(strncmp(out.ptr, "<li>0 T&lt;0&gt;</li>\n<li>1 ", 28) == 0);
	adr_buf_dispose(&out);
	adr__mustache_template_free(t);
	adr__value_free(data);
}

/* Partials and the compiled-template cache */

typedef struct {
	int calls;
	const char *body;
} counting;

static int counting_partials(const char **src, size_t *len, const char *name, void *payload)
{
	counting *c = payload;
	c->calls++;
	if (strcmp(name, "row") != 0)
		return ADR_ENOTFOUND;
	*src = c->body;
	*len = strlen(c->body);
	return 0;
}

Test(mustache, compiled_template_caches_partials)
{
	adr__mustache_template *t = NULL;
	adr_value *data = json("{\"x\": \"1\"}");
	counting c1 = { 0, "[{{x}}]" }, c2 = { 0, "<{{x}}>" };
	adr_buf out = ADR_BUF_INIT;
	const char *src = "{{>row}}{{>row}}{{>missing}}{{>missing}}";

	cr_assert_eq(adr__mustache_compile(&t, "page", src, strlen(src)), 0);
	cr_assert_str_eq(adr__mustache_template_name(t), "page");
	for (int i = 0; i < 1000; i++) {
		adr_buf_clear(&out);
		cr_assert_eq(adr__mustache_render_compiled(&out, t, data, counting_partials, &c1, NULL), 0);
		cr_assert_str_eq(out.ptr, "[1][1]");
	}
	cr_assert_eq(c1.calls, 2, "each partial is fetched once, not %d times", c1.calls);

	/* another payload drops the cache */
	adr_buf_clear(&out);
	cr_assert_eq(adr__mustache_render_compiled(&out, t, data, counting_partials, &c2, NULL), 0);
	cr_assert_str_eq(out.ptr, "<1><1>");
	cr_assert_eq(c2.calls, 2);

	/* and so does forgetting */
	c2.body = "({{x}})";
	adr__mustache_template_forget_partials(t);
	adr_buf_clear(&out);
	cr_assert_eq(adr__mustache_render_compiled(&out, t, data, counting_partials, &c2, NULL), 0);
	cr_assert_str_eq(out.ptr, "(1)(1)");

	adr_buf_dispose(&out);
	adr__value_free(data);
	adr__mustache_template_free(t);
	adr__mustache_template_free(NULL);
	adr__mustache_template_forget_partials(NULL);
}

Test(mustache, partial_indentation_nests)
{
	char *got = render_p("<ul>\n  {{>items}}\n</ul>\n", "{\"l\": [\"a\", \"b\"]}",
			     "{\"items\": \"{{#l}}\\n<li>\\n  {{>item}}\\n</li>\\n{{/l}}\\n\","
			     " \"item\": \"{{.}}\\n\"}", 0);
	cr_assert_str_eq(got, "<ul>\n  <li>\n    a\n  </li>\n  <li>\n    b\n  </li>\n</ul>\n");
	free(got);
}

Test(mustache, self_recursive_partial_is_an_error)
{
	render_fails("{{>self}}", "{}", "{\"self\": \"x{{>self}}\"}", 0, ADR_EINVALID,
		     "self:1:2:", "partial recursion too deep");
	render_fails("{{>a}}", "{}", "{\"a\": \"{{>b}}\", \"b\": \"{{^t}}{{>a}}{{/t}}\"}", 0,
		     ADR_EINVALID, NULL, "partial recursion too deep");
	render_fails("{{<self}}{{/self}}", "{}", "{\"self\": \"{{<self}}{{/self}}\"}", 0,
		     ADR_EINVALID, NULL, "partial recursion too deep");
	/* a branching recursion is stopped by depth too, and fast */
	render_fails("{{>p}}", "{\"l\": [1, 2]}", "{\"p\": \"{{#l}}{{>p}}{{>p}}{{/l}}\"}", 0,
		     ADR_EINVALID, NULL, "partial recursion too deep");
	/* 64 levels are fine */
	adr_buf depth = ADR_BUF_INIT;
	adr_buf_puts(&depth, "{\"n\": ");
	for (int i = 0; i < ADR_MUSTACHE_PARTIAL_DEPTH_MAX - 1; i++)
		adr_buf_puts(&depth, "{\"n\": ");
	adr_buf_puts(&depth, "null");
	for (int i = 0; i < ADR_MUSTACHE_PARTIAL_DEPTH_MAX; i++)
		adr_buf_putc(&depth, '}');
	char *got = render_p("{{>node}}", depth.ptr, "{\"node\": \"<{{#n}}{{>node}}{{/n}}>\"}", 0);
	cr_assert_eq(strlen(got), 2 * ADR_MUSTACHE_PARTIAL_DEPTH_MAX);
	free(got);
	adr_buf_dispose(&depth);
}

Test(mustache, missing_partial_strict)
{
	char *got = render_p("a{{>nope}}b{{<nope}}{{/nope}}c", "{}", "{}", 0);
	cr_assert_str_eq(got, "abc");
	free(got);
	render_fails("a\n {{>nope}}", "{}", "{}", ADR_MUSTACHE_STRICT, ADR_ENOTFOUND,
		     "t:2:2:", "partial 'nope' not found");
	render_fails("{{<nope}}{{/nope}}", "{}", "{}", ADR_MUSTACHE_STRICT, ADR_ENOTFOUND,
		     "t:1:1:", "parent 'nope' not found");
}

static int failing_partials(const char **src, size_t *len, const char *name, void *payload)
{
	(void)src;
	(void)len;
	(void)payload;
	return adr__error(ADR_EOS, "cannot read %s", name);
}

Test(mustache, partial_errors_propagate)
{
	/* a syntax error in a partial names the partial and where it was included */
	render_fails("line\n{{>bad}}", "{}", "{\"bad\": \"ok\\n{{#x}}\"}", 0, ADR_EINVALID,
		     "t:2:1: in partial 'bad': bad:2:1:", "unclosed section 'x'");
	/* an error from the callback stops the render */
	adr_buf out = ADR_BUF_INIT;
	int rc = adr__mustache_render(&out, "t", "{{>p}}", 6, NULL, failing_partials, NULL, NULL);
	cr_assert_eq(rc, ADR_EOS);
	cr_assert_not_null(strstr(adr_error_last(), "t:1:1: partial 'p': cannot read p"),
			   "%s", adr_error_last());
	adr_buf_dispose(&out);
}

/* Syntax errors name line:col */

Test(mustache, syntax_errors)
{
	syntax_error("Hello\n  {{name", "t:2:3:", "unclosed tag (expected '}}')");
	syntax_error("{{", "t:1:1:", "unclosed tag");
	syntax_error("é {{{name}}", "t:1:3:", "unclosed tag (expected '}}}')");
	syntax_error("{{=<% %>=}}\n<%name", "t:2:1:", "unclosed tag (expected '%>')");
	syntax_error("{{a}{{b}}", "t:1:1:", "unclosed tag");
	syntax_error("a\n{{#list}}\n  x\n", "t:2:1:", "unclosed section 'list'");
	syntax_error("{{^a}}{{#b}}{{/b}}", "t:1:1:", "unclosed inverted section 'a'");
	syntax_error("{{<p}}", "t:1:1:", "unclosed parent 'p'");
	syntax_error("{{$b}}", "t:1:1:", "unclosed block 'b'");
	syntax_error("{{#a}}\n{{#b}}\n{{/a}}\n{{/b}}", "t:3:1:",
		     "closing tag 'a' does not match section 'b' opened at 2:1");
	syntax_error("x {{/a}}", "t:1:3:", "closing tag 'a' without an opening tag");
	syntax_error("{{}}", "t:1:1:", "empty tag name");
	syntax_error("{{# }}", "t:1:1:", "empty section name");
	syntax_error("{{>}}", "t:1:1:", "empty partial name");
	syntax_error("{{a b}}", "t:1:1:", "invalid tag name 'a b'");
	syntax_error("{{>a\x01b}}", "t:1:1:", "invalid tag name (control character)");
	syntax_error("{{a..b}}", "t:1:1:", "invalid tag name 'a..b'");
	syntax_error("{{#.a}}{{/.a}}", "t:1:1:", "invalid tag name '.a'");
	syntax_error("{{a.}}", "t:1:1:", "invalid tag name 'a.'");
	syntax_error("{{=<%=}}", "t:1:1:", "invalid set-delimiter tag");
	syntax_error("{{=<% %> x=}}", "t:1:1:", "invalid set-delimiter tag");
	syntax_error("{{= =}}", "t:1:1:", "invalid set-delimiter tag");
	syntax_error("{{=<% %>}}", "t:1:1:", "unclosed tag (expected '=}}')");
	syntax_error("{{! never closed", "t:1:1:", "unclosed tag");
}

Test(mustache, nesting_cap)
{
	adr_buf b = ADR_BUF_INIT;
	for (int i = 0; i < ADR_MUSTACHE_NESTING_MAX; i++)
		adr_buf_puts(&b, "{{#a}}");
	for (int i = 0; i < ADR_MUSTACHE_NESTING_MAX; i++)
		adr_buf_puts(&b, "{{/a}}");
	adr__mustache_template *t = NULL;
	cr_assert_eq(adr__mustache_compile(&t, "t", b.ptr, b.size), 0, "%s", adr_error_last());
	adr__mustache_template_free(t);

	adr_buf_clear(&b);
	for (int i = 0; i <= ADR_MUSTACHE_NESTING_MAX; i++)
		adr_buf_puts(&b, "{{#a}}");
	syntax_error(b.ptr, "t:1:601:", "section nested too deeply (more than 100 levels)");
	adr_buf_dispose(&b);
}

Test(mustache, exponential_template_hits_step_limit)
{
	/* 2^40 expansions within the partial depth limit: the step budget ends it */
	adr_buf data = ADR_BUF_INIT, out = ADR_BUF_INIT;
	adr__mustache_opts opts = ADR_MUSTACHE_OPTS_INIT;
	adr_value *d, *parts = json("{\"p\": \"{{#n}}{{>p}}{{>p}}{{/n}}\"}");
	for (int i = 0; i < 40; i++)
		adr_buf_puts(&data, "{\"n\": ");
	adr_buf_puts(&data, "{\"n\": false}");
	for (int i = 0; i < 40; i++)
		adr_buf_putc(&data, '}');
	d = json(data.ptr);
	opts.max_steps = 100000;
	int rc = adr__mustache_render(&out, "t", "{{>p}}", 6, d, map_partials, parts, &opts);
	cr_assert_eq(rc, ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "too long"), "%s", adr_error_last());
	adr_buf_dispose(&data);
	adr_buf_dispose(&out);
	adr__value_free(d);
	adr__value_free(parts);
}

Test(mustache, render_depth_cap)
{
	/* a block whose argument expands itself never ends on its own */
	render_fails("{{<p}}{{$a}}{{$a}}x{{/a}}{{/a}}{{/p}}", "{}", "{\"p\": \"{{$a}}d{{/a}}\"}", 0,
		     ADR_EINVALID, NULL, "templates nest too deeply while rendering");
}

Test(mustache, opts_version_is_checked)
{
	adr__mustache_opts opts = { 0, 0, 0, NULL, NULL };
	adr_buf out = ADR_BUF_INIT;
	cr_assert_eq(adr__mustache_render(&out, "t", "x", 1, NULL, NULL, NULL, &opts), ADR_EUSAGE);
	cr_assert_not_null(strstr(adr_error_last(), "ADR_MUSTACHE_OPTS_INIT"));
	cr_assert_eq(out.size, 0);
	adr_buf_dispose(&out);
}

Test(mustache, step_limit)
{
	adr__mustache_opts opts = ADR_MUSTACHE_OPTS_INIT;
	adr_value *data = json("{\"l\": [1,2,3,4,5,6,7,8,9,10]}");
	adr_buf out = ADR_BUF_INIT;
	const char *tmpl = "{{#l}}{{#l}}{{#l}}{{.}}{{/l}}{{/l}}{{/l}}";
	opts.max_steps = 500;
	int rc = adr__mustache_render(&out, "t", tmpl, strlen(tmpl), data, NULL, NULL, &opts);
	cr_assert_eq(rc, ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "rendering takes too long (more than 500 steps)"));
	cr_assert_eq(out.size, 0);
	opts.max_steps = 0;
	cr_assert_eq(adr__mustache_render(&out, "t", tmpl, strlen(tmpl), data, NULL, NULL, &opts), 0);
	cr_assert_eq(out.size, 1100);   /* 100 times "12345678910" */
	adr_buf_dispose(&out);
	adr__value_free(data);
}

/* T5 in small: random templates over a small alphabet never crash, leak or hang. */

static const char *fuzz_atoms[] = {
	"{{", "}}", "{{{", "}}}", "{{#a}}", "{{/a}}", "{{^b}}", "{{/b}}", "{{#l}}", "{{/l}}",
	"{{>p}}", "{{>q}}", "{{<p}}", "{{/p}}", "{{$x}}", "{{/x}}", "{{.}}", "{{a.b}}", "{{&c}}",
	"{{=<% %>=}}", "<%a%>", "<%={{ }}=%>", "{{! c }}", "\n", "  ", "\r\n", "text", "{{a}}",
	"é", "\xff", "{{#.}}", "{{/.}}", "{{$y}}", "{{/y}}", "=", "#", "/",
};

static unsigned long long fuzz_state = 0x9E3779B97F4A7C15ULL;

static unsigned fuzz_next(void)
{
	fuzz_state ^= fuzz_state << 13;
	fuzz_state ^= fuzz_state >> 7;
	fuzz_state ^= fuzz_state << 17;
	return (unsigned)(fuzz_state >> 11);
}

static void fuzz_template(adr_buf *b, unsigned atoms)
{
	adr_buf_clear(b);
	for (unsigned i = 0; i < atoms; i++)
		adr_buf_puts(b, fuzz_atoms[fuzz_next() % (sizeof(fuzz_atoms) / sizeof(fuzz_atoms[0]))]);
}

Test(mustache, fuzz_smoke)
{
	adr_value *data = json("{\"a\": {\"b\": \"<x>\"}, \"b\": false, \"c\": \"&\","
			       " \"l\": [1, {\"a\": 2}, [3]], \"x\": \"{{a}}\"}");
	adr_value *parts = adr__value_map();
	adr__mustache_opts opts = ADR_MUSTACHE_OPTS_INIT;
	adr_buf tmpl = ADR_BUF_INIT, p = ADR_BUF_INIT, q = ADR_BUF_INIT, out = ADR_BUF_INIT;
	time_t start = time(NULL);
	int ok = 0, runs = 0;
	opts.max_steps = 100000;
	for (runs = 0; runs < 20000 && time(NULL) - start < 20; runs++) {
		fuzz_template(&p, fuzz_next() % 8);
		fuzz_template(&q, fuzz_next() % 8);
		adr__value_map_set_stringn(parts, "p", p.ptr, p.size);
		adr__value_map_set_stringn(parts, "q", q.ptr, q.size);
		fuzz_template(&tmpl, fuzz_next() % 16);
		adr_buf_clear(&out);
		int rc = adr__mustache_render(&out, "f", tmpl.ptr, tmpl.size, data, map_partials, parts, &opts);
		cr_assert(rc == 0 || rc == ADR_EINVALID, "rc %d for [%s]", rc, tmpl.ptr);
		if (rc == 0)
			ok++;
		else
			cr_assert_eq(out.size, 0);
	}
	cr_assert(ok > runs / 20, "only %d of %d random templates rendered", ok, runs);
	adr_buf_dispose(&tmpl);
	adr_buf_dispose(&p);
	adr_buf_dispose(&q);
	adr_buf_dispose(&out);
	adr__value_free(parts);
	adr__value_free(data);
}
