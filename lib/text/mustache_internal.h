/*
 * text/mustache_internal.h: a compiled Mustache template, shared by the
 * compiler (text/mustache.c) and the renderer (text/mustache_render.c).
 *
 * A template is a flat array of nodes; a node with children (section,
 * inverted section, parent, block) records the index just past its last
 * child, so the renderer walks ranges of the array and recurses only where
 * the template itself nests.
 */
#ifndef ADR_TEXT_MUSTACHE_INTERNAL_H
#define ADR_TEXT_MUSTACHE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "text/mustache.h"

enum {
	N_TEXT, N_INDENT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL, N_PARENT, N_BLOCK
};

#define N_ESCAPE 1 /* node flag: HTML-escape the value */

typedef struct {
	unsigned char type;
	unsigned char flags;
	size_t a, alen;         /* N_TEXT: the text; tags: the name */
	size_t ind, ilen;       /* N_PARTIAL, N_PARENT, N_BLOCK: indentation */
	size_t end;             /* nodes with children: index past the last one */
	size_t pos;             /* tag: offset of the tag, for messages */
} node;

typedef struct {
	char *name;
	size_t nlen;
	adr__mustache_template *t;       /* NULL: not found */
} cached_partial;

struct adr__mustache_template {
	char *name;
	char *src;
	size_t len;
	node *nodes;
	size_t count, alloc;
	/* partials compiled while rendering this template */
	cached_partial *cache;
	size_t ncache, acache;
	adr__mustache_partial_fn cache_fn;
	void *cache_payload;
};

static inline bool has_children(const node *n)
{
	return n->type == N_SECTION || n->type == N_INVERTED ||
	       n->type == N_PARENT || n->type == N_BLOCK;
}

/* 1-based line and column (in characters) of byte `at` of `s`. */
void adr__mustache_position(const char *s, size_t len, size_t at, size_t *line, size_t *col);
/* Sets the error "name:line:col: message" for byte `at` of `src`; returns `code`. */
int adr__mustache_error_at(int code, const char *name, const char *src, size_t len, size_t at,
			   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

#endif
