/*
 * text/md_outline.c: a document's headings and code blocks as cmark
 * parses it (text/md_outline.h). Like markdown.c, it includes <cmark-gfm.h>;
 * every cmark call of the project stays in text/.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark-gfm.h>

#include "text/markdown.h"
#include "text/md_outline.h"
#include "util/alloc.h"
#include "util/error.h"

#define OUTLINE_OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

/* The plain text under `node` (text/markdown.c's walk). */
static int heading_text(char **out, cmark_node *node)
{
	adr_buf t = ADR_BUF_INIT;

	adr__md_node_text(&t, node);
	if (adr_buf_oom(&t)) {
		adr_buf_dispose(&t);
		return adr__error_oom();
	}
	/* NULL only when an empty text's copy failed (the error is set) */
	return (*out = adr_buf_detach(&t)) ? 0 : ADR_ENOMEM;
}

/* The text and where each line starts. */
typedef struct {
	const char *md;
	size_t len;
	size_t *starts; /* starts[i]: offset of line i + 1 */
	size_t nlines;
} text_lines;

static int index_text(text_lines *t, const char *md, size_t len)
{
	size_t alloc = 0;
	t->md = md;
	t->len = len;
	t->starts = NULL;
	t->nlines = 0;
	for (size_t off = 0; off <= len;) {
		const char *nl = off < len ? memchr(md + off, '\n', len - off) : NULL;
		if (ADR_ARRAY_GROW(t->starts, alloc, t->nlines + 1) < 0) {
			free(t->starts);
			t->starts = NULL;
			return ADR_ENOMEM;
		}
		t->starts[t->nlines++] = off;
		if (!nl)
			break;
		off = (size_t)(nl - md) + 1;
	}
	return 0;
}

/* True when line `line` (1-based) is a setext underline: up to three
 * spaces, a run of '=' or of '-', then only spaces. */
static bool underline(const text_lines *t, int line)
{
	size_t off, end, i;
	char c;
	if (line < 1 || (size_t)line > t->nlines)
		return false;
	off = t->starts[line - 1];
	end = (size_t)line < t->nlines ? t->starts[line] : t->len;
	for (i = 0; i < 3 && off + i < end && t->md[off + i] == ' '; i++)
		;
	off += i;
	if (off >= end || (t->md[off] != '=' && t->md[off] != '-'))
		return false;
	c = t->md[off];
	while (off < end && t->md[off] == c)
		off++;
	while (off < end && (t->md[off] == ' ' || t->md[off] == '\t' || t->md[off] == '\r' || t->md[off] == '\n'))
		off++;
	return off == end;
}

static int add_heading(adr__md_outline *o, size_t *alloc, cmark_node *n, const text_lines *t)
{
	adr__md_outline_heading *h;
	int rc;
	if (ADR_ARRAY_GROW(o->headings, *alloc, o->nheadings + 1) < 0)
		return ADR_ENOMEM;
	h = &o->headings[o->nheadings];
	h->level = cmark_node_get_heading_level(n);
	h->line = cmark_node_get_start_line(n);
	h->end_line = h->line;
	/* cmark 0.30 reports a setext heading's end past its underline: find the underline */
	if (cmark_node_get_end_line(n) > h->line) {
		int last = cmark_node_get_end_line(n);
		for (int l = h->line + 1; l <= last; l++)
			if (underline(t, l)) {
				h->end_line = l;
				break;
			}
	}
	if ((rc = heading_text(&h->text, n)) < 0)
		return rc;
	o->nheadings++;
	return 0;
}

static int add_block(adr__md_outline *o, size_t *alloc, cmark_node *n)
{
	adr__md_lines *b;
	if (ADR_ARRAY_GROW(o->blocks, *alloc, o->nblocks + 1) < 0)
		return ADR_ENOMEM;
	b = &o->blocks[o->nblocks++];
	b->start = cmark_node_get_start_line(n);
	b->end = cmark_node_get_end_line(n);
	if (b->end < b->start)
		b->end = b->start;
	return 0;
}

/* A line's ATX heading level (0: none) and its text, by the line alone. */
static int atx_level(const char *s, size_t n, const char **text, size_t *tn)
{
	size_t i = 0, h = 0;
	while (i < n && i < 3 && s[i] == ' ')
		i++;
	while (i + h < n && s[i + h] == '#')
		h++;
	if (h == 0 || h > 6 || (i + h < n && s[i + h] != ' ' && s[i + h] != '\t' && s[i + h] != '\r'))
		return 0;
	*text = s + i + h;
	*tn = n - i - h;
	while (*tn && (**text == ' ' || **text == '\t'))
		(*text)++, (*tn)--;
	while (*tn && ((*text)[*tn - 1] == ' ' || (*text)[*tn - 1] == '\t' || (*text)[*tn - 1] == '\r' ||
		       (*text)[*tn - 1] == '#'))
		(*tn)--;
	return (int)h;
}

/* The outline of a text too hostile for cmark: `#` headings and ``` / ~~~
 * fenced blocks, line by line (no cmark, linear). */
static int line_outline(adr__md_outline *o, const text_lines *t)
{
	size_t halloc = 0, balloc = 0;
	int fence_start = 0;
	for (size_t i = 0; i < t->nlines; i++) {
		const char *s = t->md + t->starts[i], *txt;
		size_t n = (i + 1 < t->nlines ? t->starts[i + 1] - 1 : t->len) - t->starts[i], tn;
		int lvl;
		if (n >= 3 && (!strncmp(s, "```", 3) || !strncmp(s, "~~~", 3))) {
			if (!fence_start) {
				fence_start = (int)i + 1;
				continue;
			}
			if (ADR_ARRAY_GROW(o->blocks, balloc, o->nblocks + 1) < 0)
				return ADR_ENOMEM;
			o->blocks[o->nblocks].start = fence_start;
			o->blocks[o->nblocks++].end = (int)i + 1;
			fence_start = 0;
			continue;
		}
		if (fence_start || !(lvl = atx_level(s, n, &txt, &tn)))
			continue;
		if (ADR_ARRAY_GROW(o->headings, halloc, o->nheadings + 1) < 0 ||
		    !(o->headings[o->nheadings].text = adr__strndup(txt, tn)))
			return ADR_ENOMEM;
		o->headings[o->nheadings].level = lvl;
		o->headings[o->nheadings].line = o->headings[o->nheadings].end_line = (int)i + 1;
		o->nheadings++;
	}
	if (fence_start) {
		if (ADR_ARRAY_GROW(o->blocks, balloc, o->nblocks + 1) < 0)
			return ADR_ENOMEM;
		o->blocks[o->nblocks].start = fence_start;
		o->blocks[o->nblocks++].end = (int)t->nlines;
	}
	return 0;
}

int adr__md_outline_read(adr__md_outline *out, const char *md, size_t len)
{
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;
	size_t brackets = 0, halloc = 0, balloc = 0;
	text_lines lines;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < len; i++)
		if (md[i] == '[')
			brackets++;
	if (index_text(&lines, md, len) < 0)
		return ADR_ENOMEM;
	if (brackets > ADR_MARKDOWN_MAX_BRACKETS) {
		rc = line_outline(out, &lines);
		free(lines.starts);
		if (rc < 0)
			adr__md_outline_dispose(out);
		return rc;
	}
	if (!(doc = cmark_parse_document(md, len, OUTLINE_OPTIONS))) {
		free(lines.starts);
		return adr__error_oom();
	}
	if (!(it = cmark_iter_new(doc))) {
		cmark_node_free(doc);
		free(lines.starts);
		return adr__error_oom();
	}
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_HEADING && cmark_node_parent(n) == doc)
			rc = add_heading(out, &halloc, n, &lines);
		else if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
			rc = add_block(out, &balloc, n);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
	free(lines.starts);
	if (rc < 0) {
		adr__md_outline_dispose(out);
		return rc;
	}
	out->parsed = true;
	return 0;
}

bool adr__md_outline_in_block(const adr__md_outline *o, int line)
{
	for (size_t i = 0; i < o->nblocks; i++)
		if (line >= o->blocks[i].start && line <= o->blocks[i].end)
			return true;
	return false;
}

void adr__md_outline_dispose(adr__md_outline *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->nheadings; i++)
		free(o->headings[i].text);
	free(o->headings);
	free(o->blocks);
	memset(o, 0, sizeof(*o));
}
