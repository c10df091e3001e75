/*
 * text/markdown.c: the only file that includes cmark (Debian's cmark-gfm,
 * <cmark-gfm.h>). Safe rendering, GFM extensions within bounds, heading
 * anchors and levels, link and image rewriting, plain text for search.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>

#include "text/markdown.h"
#include "text/mustache.h"
#include "util/alloc.h"
#include "util/error.h"

/* Safe mode is cmark's default; never add the flag that turns it off.
 * Strikethrough needs two tildes (one is too common in prose: "~5 days"). */
#define MD_OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8 | CMARK_OPT_FOOTNOTES | \
		    CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE)

/* Which extensions a parse gets (strikethrough and task lists are linear
 * in cmark-gfm 0.29.0.gfm.6; tables and autolinks are not, see below). */
enum {
	EXT_GFM = 1u << 0,       /* strikethrough, tasklist */
	EXT_TABLE = 1u << 1,
	EXT_AUTOLINK = 1u << 2
};

typedef struct {
	cmark_parser *parser; /* kept until the HTML is rendered: it owns the extension list */
	cmark_node *doc;
} parsed;

static void parsed_dispose(parsed *p)
{
	if (p->doc)
		cmark_node_free(p->doc);
	if (p->parser)
		cmark_parser_free(p->parser);
	p->doc = NULL;
	p->parser = NULL;
}

static void attach(cmark_parser *parser, const char *name)
{
	cmark_syntax_extension *ext = cmark_find_syntax_extension(name);

	if (ext)
		cmark_parser_attach_syntax_extension(parser, ext);
}

static int md_parse(parsed *p, const char *md, size_t len, unsigned int exts)
{
	cmark_gfm_core_extensions_ensure_registered();
	if (!(p->parser = cmark_parser_new(MD_OPTIONS)))
		return adr__error_oom();
	if (exts & EXT_GFM) {
		attach(p->parser, "strikethrough");
		attach(p->parser, "tasklist");
	}
	if (exts & EXT_TABLE)
		attach(p->parser, "table");
	if (exts & EXT_AUTOLINK)
		attach(p->parser, "autolink");
	cmark_parser_feed(p->parser, md, len);
	if (!(p->doc = cmark_parser_finish(p->parser))) {
		parsed_dispose(p);
		return adr__error_oom();
	}
	return 0;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Whether the table extension stays within ADR_MARKDOWN_MAX_TABLE_CELLS and
 * ..._COLUMNS on `md`. cmark-gfm 0.29.0.gfm.6 pads every row to its
 * header's width (a header of k columns and k one-cell rows make k*k cells
 * from 5k bytes) and takes quadratic time in a row's width, even in the
 * cells past the header's (one row of 32 000 cells: 10 s). Bound, in one
 * pass: a table starts at a delimiter-like line (a '-' and only "|:->" and
 * spaces); its width is at most one more than the '|' in that line or in
 * the lines before it up to a blank line (the header is read from them);
 * every later line may be a row as wide as the widest so far;
 * and once a table may have started, no line may hold more '|' than a
 * table may have columns.
 */
static bool tables_bounded(const char *md, size_t len)
{
	size_t para_pipes = 0, widest = 0, cells = 0, i = 0;

	while (i < len) {
		size_t pipes = 0;
		bool dash = false, delim = true, blank = true;
		for (; i < len && md[i] != '\n' && md[i] != '\r'; i++) {
			char c = md[i];
			pipes += c == '|';
			dash = dash || c == '-';
			delim = delim && (c == '|' || c == ':' || c == '-' || c == '>' || is_space(c));
			blank = blank && is_space(c);
		}
		if (i < len && md[i] == '\r' && i + 1 < len && md[i + 1] == '\n')
			i++;
		i++;
		if (delim && dash) {
			size_t cols = (pipes > para_pipes ? pipes : para_pipes) + 1;
			if (cols > widest)
				widest = cols;
		}
		if (widest > ADR_MARKDOWN_MAX_TABLE_COLUMNS || (widest && pipes >= ADR_MARKDOWN_MAX_TABLE_COLUMNS))
			return false;
		cells += widest;
		if (cells > ADR_MARKDOWN_MAX_TABLE_CELLS)
			return false;
		para_pipes = blank ? 0 : para_pipes + pipes;
	}
	return true;
}

/*
 * Whether the autolink extension's work stays within
 * ADR_MARKDOWN_MAX_AUTOLINK_SCAN bytes on `md`. In cmark-gfm 0.29.0.gfm.6
 * each "www.", ':' and '@' starts a scan back and forth over the
 * characters around it (`www.a_` repeated 16 000 times: 16 s), and each
 * e-mail address found splits its text, copying the rest of it (`a@b.co `
 * repeated 256 000 times: 11 s). Neither crosses a line end. Bound: each
 * such place costs the length of its line.
 */
static bool autolinks_bounded(const char *md, size_t len)
{
	size_t total = 0, i = 0;

	while (i < len) {
		size_t start, triggers = 0;
		for (start = i; i < len && md[i] != '\n' && md[i] != '\r'; i++) {
			char c = md[i];
			if (c == ':' || c == '@' ||
			    ((c == 'w' || c == 'W') && i + 3 < len && (md[i + 1] | 0x20) == 'w' &&
			     (md[i + 2] | 0x20) == 'w' && md[i + 3] == '.'))
				triggers++;
		}
		if (triggers && (i - start) > ADR_MARKDOWN_MAX_AUTOLINK_SCAN / triggers)
			return false;
		total += triggers * (i - start);
		if (total > ADR_MARKDOWN_MAX_AUTOLINK_SCAN)
			return false;
		i++;
	}
	return true;
}

void adr__markdown_result_dispose(adr__markdown_result *r)
{
	if (!r)
		return;
	adr_buf_dispose(&r->html);
	adr_buf_dispose(&r->text);
	for (size_t i = 0; i < r->heading_count; i++) {
		free(r->headings[i].id);
		free(r->headings[i].text);
	}
	free(r->headings);
	r->headings = NULL;
	r->heading_count = 0;
	r->raw = false;
	r->limited = false;
}

int adr__markdown_anchor(adr_buf *out, const char *s)
{
	size_t start = out->size, n = 0;
	bool dash = false;

	adr_buf_puts(out, "h-");
	for (const unsigned char *p = (const unsigned char *)s; *p && n < 62; p++) {
		unsigned char c = *p;
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n > 0) {
				adr_buf_putc(out, '-');
				n++;
			}
			dash = false;
			adr_buf_putc(out, (char)c);
			n++;
		} else {
			dash = true;
		}
	}
	if (n == 0)
		adr_buf_puts(out, "section");
	if (adr_buf_oom(out)) { /* sticky: `out` may have failed before; said again */
		adr_buf_truncate(out, start);
		return adr__error_oom();
	}
	return 0;
}

/* The text of a node's inline descendants, without recursion (also
 * text/md_outline.c's headings). */
void adr__md_node_text(adr_buf *out, struct cmark_node *node)
{
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	if (!it) {
		out->oom = true;
		return;
	}
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
			const char *lit = cmark_node_get_literal(n);
			if (lit)
				adr_buf_puts(out, lit);
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
			adr_buf_putc(out, ' ');
		}
	}
	cmark_iter_free(it);
}

/* Appends `s` to the plain text, collapsing whitespace to single spaces. */
static void text_append(adr_buf *out, const char *s)
{
	for (; *s; s++) {
		char c = *s;
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (out->size > 0 && out->ptr[out->size - 1] != ' ')
				adr_buf_putc(out, ' ');
		} else {
			adr_buf_putc(out, c);
		}
	}
}

static void text_space(adr_buf *out)
{
	if (out->size > 0 && out->ptr[out->size - 1] != ' ')
		adr_buf_putc(out, ' ');
}

typedef struct {
	cmark_node **items;
	size_t count, alloc;
} nodelist;

static int nodelist_add(nodelist *l, cmark_node *n)
{
	if (ADR_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	l->items[l->count++] = n;
	return 0;
}

/* Moves the children of `node` in front of it, then removes and frees it. */
static void unwrap(cmark_node *node)
{
	cmark_node *c;

	while ((c = cmark_node_first_child(node)) != NULL) {
		cmark_node_unlink(c);
		cmark_node_insert_before(node, c);
	}
	cmark_node_free(node);
}

static int replace_with_text(cmark_node *node, const char *text)
{
	cmark_node *t = cmark_node_new(CMARK_NODE_TEXT);

	if (!t || !cmark_node_set_literal(t, text) || !cmark_node_insert_before(node, t)) {
		cmark_node_free(t);
		return adr__error_oom();
	}
	cmark_node_free(node);
	return 0;
}

static int render_raw(adr__markdown_result *out, const char *md, size_t len)
{
	int rc;

	adr_buf_puts(&out->html, "<pre class=\"md-raw\">");
	if ((rc = adr__mustache_escape(&out->html, md, len, 0)) < 0)
		return rc;
	adr_buf_puts(&out->html, "</pre>\n");
	for (size_t i = 0; i < len; i++) {
		char c = md[i] ? md[i] : ' ';
		char s[2] = { c, 0 };
		text_append(&out->text, s);
	}
	out->raw = true;
	/* a page cut short is no page: say so */
	return adr_buf_oom(&out->html) || adr_buf_oom(&out->text) ? adr__error_oom() : 0;
}

/* The headings (but the title, when skipped, in *title) and the links and
 * images of `doc`, in document order. */
static int collect_nodes(cmark_node *doc, const adr__markdown_opts *opts, nodelist *heads, nodelist *links,
			 cmark_node **title)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;
	int rc = 0;

	if (!it)
		return adr__error_oom();
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_HEADING) {
			if (!*title && (opts->flags & ADR_MARKDOWN_SKIP_TITLE) && cmark_node_get_heading_level(n) == 1)
				*title = n;
			else
				rc = nodelist_add(heads, n);
		} else if (t == CMARK_NODE_LINK || t == CMARK_NODE_IMAGE) {
			rc = nodelist_add(links, n);
		}
	}
	cmark_iter_free(it);
	return rc;
}

/*
 * Asks opts->link about every link and image, and does what it says. Last
 * first, so a node is handled before any node containing it and every
 * pointer in the list is still alive when its turn comes.
 */
static int rewrite_links(const adr__markdown_opts *opts, const nodelist *links)
{
	adr_buf tmp = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = links->count; opts->link && i-- > 0 && rc == 0;) {
		cmark_node *n = links->items[i];
		bool image = cmark_node_get_type(n) == CMARK_NODE_IMAGE;
		const char *url = cmark_node_get_url(n);
		int act;

		adr_buf_clear(&tmp);
		act = opts->link(&tmp, url ? url : "", image, opts->payload);
		if (act < 0) {
			rc = act;
			break;
		}
		if (adr_buf_oom(&tmp)) { /* the callback may have cleared the message */
			rc = adr__error_oom();
			break;
		}
		switch (act) {
		case ADR_MD_KEEP:
			break;
		case ADR_MD_REWRITE:
			if (!cmark_node_set_url(n, tmp.ptr))
				rc = adr__error_oom();
			break;
		case ADR_MD_UNLINK:
			unwrap(n);
			break;
		case ADR_MD_REPLACE_TEXT:
			rc = replace_with_text(n, tmp.ptr);
			break;
		default:
			rc = adr__error(ADR_EUSAGE, "markdown link callback: unknown action %d", act);
			break;
		}
	}
	adr_buf_dispose(&tmp);
	return rc;
}

/* With ADR_MARKDOWN_SKIP_TITLE, the title is the page's <h1>: the
 * highest level left in the body becomes 2, the others follow (up to 6). */
static void shift_levels(const nodelist *heads)
{
	int top = 6, shift;

	for (size_t i = 0; i < heads->count; i++) {
		int l = cmark_node_get_heading_level(heads->items[i]);
		if (l < top)
			top = l;
	}
	shift = 2 - top;
	for (size_t i = 0; shift != 0 && i < heads->count; i++) {
		int l = cmark_node_get_heading_level(heads->items[i]) + shift;
		cmark_node_set_heading_level(heads->items[i], l > 6 ? 6 : l);
	}
}

/* Adds a top-level heading to out->headings (owning id and text). */
static int add_heading(adr__markdown_result *out, cmark_node *h, const char *id, const char *text)
{
	adr__md_heading *grown = adr__reallocarray(out->headings, out->heading_count + 1, sizeof(*grown));
	adr__md_heading *e;

	if (!grown)
		return adr__error_oom();
	out->headings = grown;
	e = &grown[out->heading_count];
	e->level = cmark_node_get_heading_level(h);
	e->id = adr__strdup(id);
	e->text = adr__strdup(text);
	out->heading_count++;
	if (!e->id || !e->text)
		return adr__error_oom();
	return 0;
}

/* Heading anchors: unique ids made of [a-z0-9-], as an empty span first
 * in each heading; the top-level ones also into out->headings. */
static int add_anchors(adr__markdown_result *out, const nodelist *heads)
{
	adr_strlist ids = ADR_STRLIST_INIT;
	adr_buf tmp = ADR_BUF_INIT, anchor = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < heads->count; i++) {
		cmark_node *h = heads->items[i], *span;
		int dup = 1;

		adr_buf_clear(&tmp);
		adr__md_node_text(&tmp, h);
		adr_buf_clear(&anchor);
		if ((rc = adr__markdown_anchor(&anchor, tmp.ptr)) < 0)
			break;
		while (adr_strlist_contains(&ids, anchor.ptr)) {
			adr_buf_clear(&anchor);
			adr__markdown_anchor(&anchor, tmp.ptr);
			adr_buf_printf(&anchor, "-%d", ++dup);
		}
		if ((rc = adr_strlist_add(&ids, anchor.ptr)) < 0)
			break;
		if (cmark_node_get_type(cmark_node_parent(h)) == CMARK_NODE_DOCUMENT && !adr_buf_oom(&tmp) &&
		    !adr_buf_oom(&anchor) && (rc = add_heading(out, h, anchor.ptr, tmp.ptr)) < 0)
			break;
		adr_buf_clear(&tmp);
		adr_buf_printf(&tmp, "<span class=\"anchor\" id=\"%s\"></span>", anchor.ptr);
		if (adr_buf_oom(&tmp) || adr_buf_oom(&anchor) || !(span = cmark_node_new(CMARK_NODE_CUSTOM_INLINE))) {
			rc = adr__error_oom();
			break;
		}
		if (!cmark_node_set_on_enter(span, tmp.ptr) || !cmark_node_prepend_child(h, span)) {
			cmark_node_free(span);
			rc = adr__error_oom();
			break;
		}
	}
	adr_strlist_dispose(&ids);
	adr_buf_dispose(&tmp);
	adr_buf_dispose(&anchor);
	return rc;
}

/* The plain text of `doc`, for search, into `out`. */
static int plain_text(adr_buf *out, cmark_node *doc)
{
	cmark_iter *it = cmark_iter_new(doc);
	cmark_event_type ev;

	if (!it)
		return adr__error_oom();
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE || t == CMARK_NODE_CODE_BLOCK) {
			const char *lit = cmark_node_get_literal(n);
			if (lit)
				text_append(out, lit);
		} else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK ||
			   (ev == CMARK_EVENT_EXIT && t != CMARK_NODE_EMPH && t != CMARK_NODE_STRONG &&
			    t != CMARK_NODE_LINK && strcmp(cmark_node_get_type_string(n), "strikethrough") != 0)) {
			text_space(out);
		}
	}
	cmark_iter_free(it);
	while (out->size > 0 && out->ptr[out->size - 1] == ' ')
		adr_buf_truncate(out, out->size - 1);
	return 0;
}

/*
 * Appends cmark's HTML with two changes: each task list checkbox gets a
 * name (a form control needs one; a reader hears "done" or "open"), and
 * each table is wrapped in a box that scrolls sideways on its own (a wide
 * table must not widen a phone's page; focusable, so a keyboard scrolls
 * it too). Every '<' in cmark's safe HTML is cmark's own markup: text
 * from the body has its '<' escaped and raw HTML is never kept.
 */
static void put_html(adr_buf *out, const char *html)
{
	static const struct {
		const char *from, *to;
	} subst[] = {
		{ "<input type=\"checkbox\" checked=\"\" ", "<input type=\"checkbox\" aria-label=\"done\" checked=\"\" " },
		{ "<input type=\"checkbox\" ", "<input type=\"checkbox\" aria-label=\"open\" " },
		{ "<table>", "<div class=\"md-table\" tabindex=\"0\"><table>" },
		{ "</table>", "</table></div>" },
	};
	const char *p = html, *q;

	while ((q = strchr(p, '<')) != NULL) {
		size_t i, n = sizeof(subst) / sizeof(subst[0]);
		adr_buf_put(out, p, (size_t)(q - p));
		for (i = 0; i < n && strncmp(q, subst[i].from, strlen(subst[i].from)) != 0; i++)
			;
		if (i < n) {
			adr_buf_puts(out, subst[i].to);
			p = q + strlen(subst[i].from);
		} else {
			adr_buf_putc(out, '<');
			p = q + 1;
		}
	}
	adr_buf_puts(out, p);
}

int adr__markdown_render(adr__markdown_result *out, const char *md, size_t len,
			const adr__markdown_opts *opts)
{
	adr__markdown_opts def = ADR_MARKDOWN_OPTS_INIT;
	parsed p = { NULL, NULL };
	cmark_node *doc, *title = NULL;
	nodelist links = { NULL, 0, 0 }, heads = { NULL, 0, 0 };
	size_t brackets = 0, max_brackets;
	unsigned int exts = EXT_GFM;
	char *html = NULL;
	int rc = 0;

	if (!opts)
		opts = &def;
	if (opts->version != ADR_MARKDOWN_OPTS_VERSION)
		return adr__error(ADR_EUSAGE, "markdown options: unknown version %u", opts->version);
	max_brackets = opts->max_brackets ? opts->max_brackets : ADR_MARKDOWN_MAX_BRACKETS;
	out->raw = false;
	out->limited = false;

	for (size_t i = 0; i < len; i++)
		if (md[i] == '[')
			brackets++;
	if (brackets > max_brackets) {
		rc = render_raw(out, md, len);
		goto cleanup;
	}
	if (tables_bounded(md, len))
		exts |= EXT_TABLE;
	if (autolinks_bounded(md, len))
		exts |= EXT_AUTOLINK;
	out->limited = (exts & (EXT_TABLE | EXT_AUTOLINK)) != (EXT_TABLE | EXT_AUTOLINK);
	if ((rc = md_parse(&p, md, len, exts)) < 0)
		goto cleanup;
	doc = p.doc;
	if ((rc = collect_nodes(doc, opts, &heads, &links, &title)) < 0 || (rc = rewrite_links(opts, &links)) < 0)
		goto cleanup;
	if (title) {
		cmark_node_free(title);
		title = NULL;
	}
	if (opts->flags & ADR_MARKDOWN_SKIP_TITLE)
		shift_levels(&heads);
	if ((rc = add_anchors(out, &heads)) < 0 || (rc = plain_text(&out->text, doc)) < 0)
		goto cleanup;
	if (!(html = cmark_render_html(doc, MD_OPTIONS, cmark_parser_get_syntax_extensions(p.parser)))) {
		rc = adr__error_oom();
		goto cleanup;
	}
	put_html(&out->html, html);
	if (adr_buf_oom(&out->html) || adr_buf_oom(&out->text))
		rc = adr__error_oom();
cleanup:
	if (rc < 0)
		adr__markdown_result_dispose(out);
	free(html);
	parsed_dispose(&p);
	free(links.items);
	free(heads.items);
	return rc;
}

/* --- the items of a section ----------------------------------------------- */

void adr__md_items_dispose(adr__md_items *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i].text);
	free(l->items);
	l->items = NULL;
	l->count = 0;
}

/* 1 when heading `h` reads `name` (case and surrounding blanks aside), 0
 * when not, ADR_ENOMEM when its text could not be read (not "another
 * heading": the section would vanish). */
static int heading_is(cmark_node *h, const char *name)
{
	adr_buf t = ADR_BUF_INIT;
	size_t a = 0, b;
	bool same;
	adr__md_node_text(&t, h);
	if (adr_buf_oom(&t)) {
		adr_buf_dispose(&t);
		return adr__error_oom();
	}
	b = t.size;
	while (a < b && (t.ptr[a] == ' ' || t.ptr[a] == '\t'))
		a++;
	while (b > a && (t.ptr[b - 1] == ' ' || t.ptr[b - 1] == '\t'))
		b--;
	same = b - a == strlen(name);
	for (size_t i = 0; same && i < b - a; i++) {
		char c = t.ptr[a + i], d = name[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (d >= 'A' && d <= 'Z')
			d = (char)(d - 'A' + 'a');
		same = c == d;
	}
	adr_buf_dispose(&t);
	return same ? 1 : 0;
}

/* Appends the items of `list` (its paragraphs' text) to `out`. */
static int list_items(adr__md_items *out, cmark_node *list)
{
	for (cmark_node *it = cmark_node_first_child(list); it; it = cmark_node_next(it)) {
		cmark_node *para = cmark_node_first_child(it);
		adr_buf t = ADR_BUF_INIT;
		adr__md_item *grown;
		if (para && cmark_node_get_type(para) == CMARK_NODE_PARAGRAPH)
			adr__md_node_text(&t, para);
		if (adr_buf_oom(&t) || !(grown = adr__reallocarray(out->items, out->count + 1, sizeof(*grown)))) {
			adr_buf_dispose(&t);
			return adr__error_oom();
		}
		out->items = grown;
		grown[out->count].line = cmark_node_get_start_line(it);
		if (!(grown[out->count].text = adr_buf_detach(&t)))
			return adr__error_oom();
		out->count++;
	}
	return 0;
}

/* Whether `line` holds the letters and digits of `name` in order, ASCII
 * case ignored, whatever comes between them. */
static bool holds_in_order(const char *line, size_t len, const char *name)
{
	size_t i = 0;

	for (const char *n = name; *n; n++) {
		char want = *n >= 'A' && *n <= 'Z' ? (char)(*n - 'A' + 'a') : *n;
		if (!((want >= 'a' && want <= 'z') || (want >= '0' && want <= '9')))
			continue;
		for (;; i++) {
			char c;
			if (i == len)
				return false;
			c = line[i] >= 'A' && line[i] <= 'Z' ? (char)(line[i] - 'A' + 'a') : line[i];
			if (c == want)
				break;
		}
		i++;
	}
	return true;
}

/*
 * Whether a level-2 heading of `md` at the top level could read `name`;
 * when not, there is no need to parse it. Without entities (no '&'), a
 * heading's text is made of characters of its own line, in their order
 * (markup only takes some away), and a top-level ATX heading of level 2
 * is a line of at most three spaces, "##", then a space, a tab or its
 * end. A setext heading (a line of '-' under its text) may span lines:
 * any such line, and any '&', and the answer is "it could".
 */
static bool may_have_heading(const char *md, size_t len, const char *name)
{
	if (memchr(md, '&', len))
		return true;
	for (size_t at = 0; at < len;) {
		const char *line = md + at, *nl = memchr(line, '\n', len - at);
		size_t n = nl ? (size_t)(nl - line) : len - at, i = 0;
		at += n + 1;
		while (i < n && i < 3 && line[i] == ' ')
			i++;
		if (i < n && line[i] == '-') {
			size_t k = i;
			while (k < n && line[k] == '-')
				k++;
			while (k < n && (line[k] == ' ' || line[k] == '\t' || line[k] == '\r'))
				k++;
			if (k == n)
				return true;
		}
		if (n - i >= 2 && line[i] == '#' && line[i + 1] == '#' &&
		    (n - i == 2 || line[i + 2] == ' ' || line[i + 2] == '\t' || line[i + 2] == '\r') &&
		    holds_in_order(line + i + 2, n - i - 2, name))
			return true;
	}
	return false;
}

int adr__markdown_section_items(adr__md_items *out, const char *md, size_t len, const char *heading)
{
	parsed p = { NULL, NULL };
	cmark_node *doc;
	size_t brackets = 0;
	bool in = false;
	int rc = 0;

	for (size_t i = 0; i < len; i++)
		if (md[i] == '[')
			brackets++;
	if (brackets > ADR_MARKDOWN_MAX_BRACKETS || !may_have_heading(md, len, heading))
		return 0;
	/* plain CommonMark: a task's "[ ]" stays in its text (record/nextsteps.c) */
	if ((rc = md_parse(&p, md, len, 0)) < 0)
		return rc;
	doc = p.doc;
	/* the top-level blocks, in order: no walk into the tree, no recursion */
	for (cmark_node *n = cmark_node_first_child(doc); n && rc == 0; n = cmark_node_next(n)) {
		cmark_node_type t = cmark_node_get_type(n);
		if (t == CMARK_NODE_HEADING && cmark_node_get_heading_level(n) <= 2) {
			int same = cmark_node_get_heading_level(n) == 2 ? heading_is(n, heading) : 0;
			in = same == 1;
			if (same < 0)
				rc = same;
		} else if (in && t == CMARK_NODE_LIST) {
			rc = list_items(out, n);
		}
	}
	parsed_dispose(&p);
	return rc;
}

const char *adr__markdown_version(void)
{
	return cmark_version_string();
}
