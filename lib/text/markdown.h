/*
 * text/markdown.h: rendering a record body (GitHub Flavored Markdown:
 * CommonMark with tables, task lists, strikethrough, footnotes and
 * autolinks, through cmark-gfm) to safe HTML.
 *
 * Rendering is always cmark's safe mode: raw HTML becomes a comment, and
 * `javascript:`, `vbscript:`, `file:` and non-image `data:` URLs become
 * empty. On top of that:
 *
 *  - every heading gets an anchor (`<span class="anchor" id="h-...">`),
 *    its id made of [a-z0-9-] only and unique in the document;
 *  - every link and image URL is shown to a callback, which may keep it,
 *    rewrite it, drop the link (keeping its text; an image keeps its alt
 *    text) or replace the whole link or image by a text;
 *  - the plain text of the document (for a search index) is collected;
 *  - a body with more than `max_brackets` `[` characters (cmark 0.30.2
 *    and cmark-gfm 0.29.0.gfm.6 take quadratic time on `![[]()` runs,
 *    CVE-2023-22486) is not parsed at all: it is shown escaped in a <pre>
 *    block and `raw` is set;
 *  - Debian 12's cmark-gfm (0.29.0.gfm.6) takes more than quadratic time
 *    on some tables and autolink-like runs (README, "Markdown"): a body
 *    whose tables could reach ADR_MARKDOWN_MAX_TABLE_CELLS cells or
 *    ADR_MARKDOWN_MAX_TABLE_COLUMNS columns is parsed without the table
 *    extension, and one whose autolink scans could reach
 *    ADR_MARKDOWN_MAX_AUTOLINK_SCAN bytes without the autolink extension
 *    (both estimated from the bytes in one linear pass; `limited` is set).
 *
 * Every walk over the tree is iterative (cmark_iter), never recursive.
 *
 * Ownership: the result's buffers belong to the caller, who frees them
 * with adr__markdown_result_dispose().
 */
#ifndef ADR_MARKDOWN_H
#define ADR_MARKDOWN_H

#include "adr/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a link callback wants done with a link or image. */
typedef enum {
	ADR_MD_KEEP = 0,      /* leave the URL as it is */
	ADR_MD_REWRITE,       /* use the URL the callback put in `out` */
	ADR_MD_UNLINK,        /* drop the link, keep its text (an image: its alt text) */
	ADR_MD_REPLACE_TEXT   /* replace the link or image by the text in `out` */
} adr_md_action;

/*
 * Called for every link and image with its URL as written (after cmark's
 * entity and escape processing). Writes into `out` (empty on entry) for
 * ADR_MD_REWRITE and ADR_MD_REPLACE_TEXT. Returns an adr_md_action, or a
 * negative code (with the last error set) to stop rendering.
 */
typedef int (*adr__markdown_link_fn)(adr_buf *out, const char *url, bool is_image, void *payload);

enum {
	/* Leave out the first level-1 heading (the record's title), and shift
	 * the other headings so that the highest level left renders as <h2>
	 * (the page's title is its only <h1>; levels stop at 6). */
	ADR_MARKDOWN_SKIP_TITLE = 1u << 0
};

#define ADR_MARKDOWN_MAX_BRACKETS 8000
#define ADR_MARKDOWN_MAX_TABLE_CELLS 100000
#define ADR_MARKDOWN_MAX_TABLE_COLUMNS 256
#define ADR_MARKDOWN_MAX_AUTOLINK_SCAN 2000000

typedef struct {
	unsigned int version;
	unsigned int flags;           /* ADR_MARKDOWN_* */
	adr__markdown_link_fn link;    /* may be NULL: keep every URL */
	void *payload;
	size_t max_brackets;          /* 0: ADR_MARKDOWN_MAX_BRACKETS */
} adr__markdown_opts;

#define ADR_MARKDOWN_OPTS_VERSION 1
#define ADR_MARKDOWN_OPTS_INIT { ADR_MARKDOWN_OPTS_VERSION, 0, NULL, NULL, 0 }

/* A heading of the body's top level (a direct child of the document, not
 * one in a quote or a list), for a table of contents. */
typedef struct {
	int level;      /* 1..6, as rendered (after ADR_MARKDOWN_SKIP_TITLE's shift) */
	char *id;       /* its anchor id ("h-...", [a-z0-9-] only, unique) */
	char *text;     /* its plain text */
} adr__md_heading;

typedef struct {
	adr_buf html;   /* the rendered body */
	adr_buf text;   /* its plain text, words separated by single spaces */
	bool raw;       /* the body was too hostile to parse and is shown as text */
	bool limited;   /* tables or autolinks were left as text (see above) */
	adr__md_heading *headings; /* the top-level headings, in order */
	size_t heading_count;
} adr__markdown_result;

#define ADR_MARKDOWN_RESULT_INIT { ADR_BUF_INIT, ADR_BUF_INIT, false, false, NULL, 0 }

/* The plain text of a node's inline descendants into `out` (for the files
 * of text/ that hold cmark's nodes; an out-of-memory shows in adr_buf_oom). */
struct cmark_node;
void adr__md_node_text(adr_buf *out, struct cmark_node *node);

/* Renders `len` bytes of `md` (NULs become U+FFFD, as cmark does). `opts`
 * may be NULL. On error the result is left empty. */
int adr__markdown_render(adr__markdown_result *out, const char *md, size_t len,
			const adr__markdown_opts *opts);

void adr__markdown_result_dispose(adr__markdown_result *r);

/* Appends an anchor id for heading text `s`: "h-" + lowercase ASCII
 * letters, digits and single dashes (at most 64 characters); "h-section"
 * when nothing is left. */
int adr__markdown_anchor(adr_buf *out, const char *s);

/* A list item of a section (adr__markdown_section_items). */
typedef struct {
	char *text;     /* its first paragraph as plain text, soft breaks as spaces */
	int line;       /* its line in the Markdown given */
} adr__md_item;

typedef struct {
	adr__md_item *items;
	size_t count;
} adr__md_items;
#define ADR_MD_ITEMS_INIT { NULL, 0 }

/*
 * The items of the lists under the level-2 heading whose text is `heading`
 * (ASCII case ignored), up to the next heading of level 1 or 2; nested
 * lists are not items of their own. A body too hostile to parse (see
 * ADR_MARKDOWN_MAX_BRACKETS) has none. Appends to `out`.
 */
int adr__markdown_section_items(adr__md_items *out, const char *md, size_t len, const char *heading);
void adr__md_items_dispose(adr__md_items *l);

/* The version of cmark this process runs with (a static string). */
const char *adr__markdown_version(void);

#ifdef __cplusplus
}
#endif
#endif
