/*
 * Record bodies to HTML (lib/text/markdown.c over cmark-gfm): any body, with
 * a link callback that keeps, rewrites, unlinks or replaces links in turn.
 * Properties: the HTML holds no script, frame, object, embed, style or
 * form element (but the task list's disabled checkboxes), no on* attribute
 * and no javascript:/vbscript: URL whatever the input says (X4);
 * every heading anchor id is "h-" + [a-z0-9-]; the headings listed are
 * anchored in the HTML; with the title skipped there is no <h1>; the plain
 * text has no newline and no double space.
 */
#include <ctype.h>
#include <strings.h>

#include "fuzz.h"
#include "text/markdown.h"

static int link_cb(adr_buf *out, const char *url, bool is_image, void *payload)
{
	unsigned *n = payload;
	(void)is_image;
	switch ((*n)++ % 4) {
	case 1:
		adr_buf_puts(out, "rewritten.html#");
		adr_buf_puts(out, url);
		return ADR_MD_REWRITE;
	case 2:
		return ADR_MD_UNLINK;
	case 3:
		adr_buf_puts(out, url);
		return ADR_MD_REPLACE_TEXT;
	default:
		return ADR_MD_KEEP;
	}
}

static const char *const banned_tags[] = { "script", "iframe", "frame", "object", "embed", "style", "svg",
					       "math", "form", "input", "base", "meta", "link", "textarea", NULL };

static void bad(const char *what, const char *html)
{
	fprintf(stderr, "rendered HTML: %s:\n%s\n", what, html);
	abort();
}

/* True when the attribute value at `v` (up to its closing quote) is a
 * script URL as a browser reads it: character references decoded, tabs and
 * newlines dropped, leading spaces and controls skipped, any case. */
static bool script_url(const char *v)
{
	char u[16];
	size_t n = 0;
	while (*v && *v != '"' && n < sizeof(u) - 1) {
		unsigned long c = (unsigned char)*v++;
		if (c == '&' && *v == '#') {
			char *end;
			c = *++v == 'x' || *v == 'X' ? strtoul(v + 1, &end, 16) : strtoul(v, &end, 10);
			v = *end == ';' ? end + 1 : end;
		} else if (c == '&') {
			static const char *const named[][2] = { { "amp;", "&" }, { "quot;", "\"" }, { "lt;", "<" },
								 { "gt;", ">" }, { "colon;", ":" }, { "Tab;", "\t" },
								 { "NewLine;", "\n" } };
			for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
				if (strncmp(v, named[i][0], strlen(named[i][0])) == 0) {
					c = (unsigned char)named[i][1][0];
					v += strlen(named[i][0]);
					break;
				}
		}
		if (c == '\t' || c == '\n' || c == '\r' || (n == 0 && c <= ' '))
			continue;
		u[n++] = c < 0x80 ? (char)tolower((int)c) : '?';
	}
	u[n] = '\0';
	return strncmp(u, "javascript:", 11) == 0 || strncmp(u, "vbscript:", 9) == 0;
}

static const char open_box[] = "input type=\"checkbox\" aria-label=\"open\" disabled=\"\" />";
static const char done_box[] = "input type=\"checkbox\" aria-label=\"done\" checked=\"\" disabled=\"\" />";

/* Every tag: not a banned element, no on* attribute, no script URL. */
static void check_tags(const char *html)
{
	for (const char *p = html; (p = strchr(p, '<')) != NULL;) {
		const char *n = ++p;
		size_t k;
		if (*p == '!' || *p == '/')
			continue; /* a comment (raw HTML omitted) or an end tag */
		while (isalnum((unsigned char)*p))
			p++;
		k = (size_t)(p - n);
		/* the tasklist extension's checkboxes, named by markdown.c */
		if (strncmp(n, open_box, strlen(open_box)) == 0 || strncmp(n, done_box, strlen(done_box)) == 0)
			continue;
		for (int i = 0; banned_tags[i]; i++)
			if (k == strlen(banned_tags[i]) && strncasecmp(n, banned_tags[i], k) == 0)
				bad("a banned element", html);
		while (*p && *p != '>') {
			const char *a;
			while (*p == ' ' || *p == '/')
				p++;
			a = p;
			while (isalnum((unsigned char)*p) || *p == '-')
				p++;
			if (p == a)
				break;
			if (p - a > 2 && strncasecmp(a, "on", 2) == 0)
				bad("an event handler attribute", html);
			if (*p == '=') {
				bool url = (p - a == 4 && strncasecmp(a, "href", 4) == 0) ||
					   (p - a == 3 && strncasecmp(a, "src", 3) == 0);
				FUZZ_CHECK(p[1] == '"');
				p += 2;
				if (url && script_url(p))
					bad("a script URL", html);
				while (*p && *p != '"')
					p++;
				FUZZ_CHECK(*p == '"');
				p++;
			}
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	adr__markdown_result res = ADR_MARKDOWN_RESULT_INIT;
	adr__markdown_opts o = ADR_MARKDOWN_OPTS_INIT;
	unsigned calls = 0;

	o.link = link_cb;
	o.payload = &calls;
	o.flags = size && (data[0] & 1) ? ADR_MARKDOWN_SKIP_TITLE : 0;
	o.max_brackets = 1000;
	if (adr__markdown_render(&res, (const char *)data, size, &o) == 0) {
		const char *h = res.html.ptr, *p;
		check_tags(h);
		for (p = h; (p = strstr(p, "id=\"h-")) != NULL;) {
			p += 4;
			while (*p != '"') {
				FUZZ_CHECK((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-');
				p++;
			}
		}
		FUZZ_CHECK(!memchr(res.text.ptr, '\n', res.text.size));
		if (o.flags & ADR_MARKDOWN_SKIP_TITLE && strstr(h, "<h1"))
			bad("an <h1> in a body whose title is skipped", h);
		for (size_t i = 0; i < res.heading_count; i++) {
			char want[96];
			FUZZ_CHECK(res.headings[i].level >= 1 && res.headings[i].level <= 6);
			FUZZ_CHECK(strlen(res.headings[i].id) < 80);
			snprintf(want, sizeof(want), "id=\"%s\"", res.headings[i].id);
			FUZZ_CHECK(strstr(h, want) != NULL);
		}
	} else {
		FUZZ_CHECK(adr_error_code() == ADR_ENOMEM);
	}
	adr__markdown_result_dispose(&res);
	adr_error_clear();
	return 0;
}
