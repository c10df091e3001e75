/*
 * text/md_outline.h: the outline of a Markdown document as cmark parses it:
 * its top-level headings (ATX and setext, with their lines) and the lines
 * of its code and HTML blocks (text there is not prose: a `## Status` or a
 * `Date:` inside a fenced block is not one). Readers of a record's body
 * find its title, sections and status on this outline, never by scanning
 * lines for `#` and fences (a fence closed by one indented one to three
 * spaces is still closed for cmark).
 *
 * The parse is bounded like rendering (text/markdown.h): a body with more
 * than ADR_MARKDOWN_MAX_BRACKETS `[` is not given to cmark; `parsed` is
 * false and the outline comes from a line scan instead (`#` headings,
 * ``` and ~~~ fences). The walk is iterative.
 *
 * Ownership: adr__md_outline_read() fills a caller-owned struct that
 * adr__md_outline_dispose() frees.
 */
#ifndef ADR_MD_OUTLINE_H
#define ADR_MD_OUTLINE_H

#include "adr/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int level;      /* 1..6 */
	int line;       /* first line of the heading (1-based, in the text given) */
	int end_line;   /* its last line (a setext heading's underline) */
	char *text;     /* its plain text (inline code kept, markup dropped) */
} adr__md_outline_heading;

typedef struct {
	int start, end; /* 1-based lines, inclusive */
} adr__md_lines;

typedef struct {
	adr__md_outline_heading *headings; /* top-level headings, in order */
	size_t nheadings;
	adr__md_lines *blocks;     /* code and HTML blocks at any depth, in order */
	size_t nblocks;
	bool parsed;               /* false: too hostile for cmark; read line by line */
} adr__md_outline;

#define ADR_MD_OUTLINE_INIT { NULL, 0, NULL, 0, false }

/* Reads the outline of `len` bytes of `md`. */
int adr__md_outline_read(adr__md_outline *out, const char *md, size_t len);

/* True when `line` (1-based) is inside a code or HTML block. */
bool adr__md_outline_in_block(const adr__md_outline *o, int line);

void adr__md_outline_dispose(adr__md_outline *o);

#ifdef __cplusplus
}
#endif
#endif
