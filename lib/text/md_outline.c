/*
 * text/md_outline.c: a document's headings and code blocks as cmark
 * parses it (text/md_outline.h). Like markdown.c, it includes <cmark.h>;
 * every cmark call of the project stays in text/.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "text/markdown.h"
#include "text/md_outline.h"
#include "util/alloc.h"
#include "util/error.h"

#define OUTLINE_OPTIONS (CMARK_OPT_DEFAULT | CMARK_OPT_VALIDATE_UTF8)

/* The plain text under `node` (an iterative walk of its subtree). */
static int heading_text(char **out, cmark_node *node)
{
	adr_buf t = ADR_BUF_INIT;
	cmark_iter *it = cmark_iter_new(node);
	cmark_event_type ev;

	if (!it)
		return adr__error_oom();
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type ty = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (ty == CMARK_NODE_TEXT || ty == CMARK_NODE_CODE) {
			const char *lit = cmark_node_get_literal(n);
			if (lit)
				adr_buf_puts(&t, lit);
		} else if (ty == CMARK_NODE_SOFTBREAK || ty == CMARK_NODE_LINEBREAK) {
			adr_buf_putc(&t, ' ');
		}
	}
	cmark_iter_free(it);
	if (adr_buf_oom(&t)) {
		adr_buf_dispose(&t);
		return adr__error_oom();
	}
	*out = adr_buf_detach(&t);
	return 0;
}

static int add_heading(adr__md_outline *o, size_t *alloc, cmark_node *n)
{
	adr__md_heading *h;
	int rc;
	if (ADR_ARRAY_GROW(o->headings, *alloc, o->nheadings + 1) < 0)
		return ADR_ENOMEM;
	h = &o->headings[o->nheadings];
	h->level = cmark_node_get_heading_level(n);
	h->line = cmark_node_get_start_line(n);
	h->end_line = cmark_node_get_end_line(n);
	if (h->end_line < h->line)
		h->end_line = h->line;
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

int adr__md_outline_read(adr__md_outline *out, const char *md, size_t len)
{
	cmark_node *doc;
	cmark_iter *it;
	cmark_event_type ev;
	size_t brackets = 0, halloc = 0, balloc = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < len; i++)
		if (md[i] == '[')
			brackets++;
	if (brackets > ADR_MARKDOWN_MAX_BRACKETS)
		return 0;
	if (!(doc = cmark_parse_document(md, len, OUTLINE_OPTIONS)))
		return adr__error_oom();
	if (!(it = cmark_iter_new(doc))) {
		cmark_node_free(doc);
		return adr__error_oom();
	}
	while (rc == 0 && (ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		cmark_node *n = cmark_iter_get_node(it);
		cmark_node_type t = cmark_node_get_type(n);
		if (ev != CMARK_EVENT_ENTER)
			continue;
		if (t == CMARK_NODE_HEADING && cmark_node_parent(n) == doc)
			rc = add_heading(out, &halloc, n);
		else if (t == CMARK_NODE_CODE_BLOCK || t == CMARK_NODE_HTML_BLOCK)
			rc = add_block(out, &balloc, n);
	}
	cmark_iter_free(it);
	cmark_node_free(doc);
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
