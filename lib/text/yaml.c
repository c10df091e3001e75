/*
 * text/yaml.c: the bounded YAML reader behind text/yaml.h. The only file that
 * includes <yaml.h>.
 *
 * libyaml's event API drives an explicit stack (never recursion), so the
 * depth cap holds as events arrive: `[` x 100000 fails at the 65th `[`.
 * Before libyaml sees the text, a pre-scan rejects what libyaml would either
 * accept silently or report at the wrong place: NUL bytes, invalid UTF-8,
 * control characters, a CR without LF and the Unicode line separators (NEL,
 * U+2028, U+2029, which libyaml counts as line breaks and folds into spaces).
 * After the pre-scan, libyaml's line and column (in characters) are the same
 * as ours, so its marks can be used directly.
 */
#include "text/yaml.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

typedef struct {
	adr__yaml_node *node;
	/* mappings: the key waiting for its value */
	bool want_key;
	char *key;
	int key_line, key_col;
	int *key_cols;  /* column of each key, for the duplicate message */
	size_t key_cols_alloc;
} frame;

typedef struct {
	size_t off;     /* byte offset of the key in the input */
	int line, col;
} keypos;

typedef struct {
	const char *path;
	const unsigned char *data;
	size_t len;
	size_t start;   /* 3 when the input starts with a UTF-8 BOM, else 0 */
	int first_line;
	/* character index -> byte offset cursor (libyaml marks count characters) */
	size_t cur_idx, cur_off;
	keypos *keys;   /* top-level keys, in order */
	size_t nkeys, keys_alloc;
} ctx;

/* Line and column (1-based, in characters) of byte `off`, in file lines. */
static void pos_of(const ctx *c, size_t off, int *line, int *col)
{
	size_t i = c->start;
	int l = 1, k = 1;
	while (i < off && i < c->len) {
		if (c->data[i] == '\n') {
			l++;
			k = 1;
		} else if ((c->data[i] & 0xC0) != 0x80) {
			k++;
		}
		i++;
	}
	*line = l + c->first_line - 1;
	*col = k;
}

static int error_at(const ctx *c, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int error_at(const ctx *c, int line, int col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return adr__error(ADR_EINVALID, "%s:%d:%d: %s", c->path, line, col, msg);
}

static int error_off(const ctx *c, size_t off, const char *msg)
{
	int line, col;
	pos_of(c, off, &line, &col);
	return error_at(c, line, col, "%s", msg);
}

static int error_mark(const ctx *c, yaml_mark_t m, const char *msg)
{
	return error_at(c, (int)m.line + c->first_line, (int)m.column + 1, "%s", msg);
}

/* Rejects what must never reach libyaml (see the top of the file). */
static int prescan(const ctx *c)
{
	size_t i = c->start;
	char msg[128];
	while (i < c->len) {
		unsigned char ch = c->data[i];
		uint32_t cp;
		size_t n;
		if (ch < 0x80) {
			if (ch == '\r' && !(i + 1 < c->len && c->data[i + 1] == '\n'))
				return error_off(c, i, "carriage return without a line feed");
			if (ch == 0)
				return error_off(c, i, "NUL byte");
			if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F) {
				snprintf(msg, sizeof(msg), "control character U+%04X is not allowed", ch);
				return error_off(c, i, msg);
			}
			i++;
			continue;
		}
		n = adr__utf8_decode(c->data + i, c->len - i, &cp);
		if (n == 0) {
			snprintf(msg, sizeof(msg), "invalid UTF-8 (byte 0x%02x)", ch);
			return error_off(c, i, msg);
		}
		if ((cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF) {
			snprintf(msg, sizeof(msg), "control character U+%04X is not allowed", (unsigned)cp);
			return error_off(c, i, msg);
		}
		if (cp == 0x2028 || cp == 0x2029) {
			snprintf(msg, sizeof(msg), "line separator U+%04X is not allowed", (unsigned)cp);
			return error_off(c, i, msg);
		}
		i += n;
	}
	return 0;
}

/* Byte offset of libyaml's character index `idx` (after the BOM). */
static size_t idx_to_off(ctx *c, size_t idx)
{
	if (idx < c->cur_idx) {
		c->cur_idx = 0;
		c->cur_off = c->start;
	}
	while (c->cur_idx < idx && c->cur_off < c->len) {
		unsigned char ch = c->data[c->cur_off];
		c->cur_off += ch < 0x80 ? 1 : ch < 0xE0 ? 2 : ch < 0xF0 ? 3 : 4;
		c->cur_idx++;
	}
	return c->cur_off < c->len ? c->cur_off : c->len;
}

static void node_free(adr__yaml_node *n)
{
	/* Recursion is bounded by ADR_YAML_DEPTH_MAX: deeper trees are never built. */
	if (!n)
		return;
	free(n->scalar);
	for (size_t i = 0; i < n->count; i++) {
		node_free(n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_lines);
	free(n);
}

void adr__yaml_doc_free(adr__yaml_doc *doc)
{
	if (!doc)
		return;
	for (size_t i = 0; i < doc->count; i++) {
		free(doc->entries[i].key);
		node_free(doc->entries[i].value);
		free(doc->entries[i].raw);
	}
	free(doc->entries);
	free(doc->prefix);
	free(doc);
}

static adr__yaml_node *node_new(adr__yaml_kind kind, yaml_mark_t m, int first_line)
{
	adr__yaml_node *n = adr__calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	n->kind = kind;
	n->line = (int)m.line + first_line;
	n->col = (int)m.column + 1;
	return n;
}

/* Appends an item (and for mappings its key) to a collection. The arrays
 * grow to the next power of two (at least 4), so `count` tells their size. */
static int node_append(adr__yaml_node *parent, char *key, int key_line, adr__yaml_node *item)
{
	size_t n = parent->count;
	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		size_t na = n ? n * 2 : 4;
		adr__yaml_node **items = adr__reallocarray(parent->items, na, sizeof(*items));
		if (!items)
			return ADR_ENOMEM;
		parent->items = items;
		if (parent->kind == ADR_YAML_MAP) {
			char **keys = adr__reallocarray(parent->keys, na, sizeof(*keys));
			int *lines;
			if (!keys)
				return ADR_ENOMEM;
			parent->keys = keys;
			lines = adr__reallocarray(parent->key_lines, na, sizeof(*lines));
			if (!lines)
				return ADR_ENOMEM;
			parent->key_lines = lines;
		}
	}
	if (parent->kind == ADR_YAML_MAP) {
		parent->keys[n] = key;
		parent->key_lines[n] = key_line;
	}
	parent->items[n] = item;
	parent->count = n + 1;
	return 0;
}

typedef struct {
	const char *key;
	size_t idx;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
	const keyref *x = a, *y = b;
	int r = strcmp(x->key, y->key);
	if (r)
		return r;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Up to this many keys, duplicates are found by comparing every pair. */
#define DUP_SCAN_MAX 24

/* The error for key `second` of the mapping, the same as key `first`. */
static int dup_error(const ctx *c, const frame *f, size_t first, size_t second)
{
	const adr__yaml_node *m = f->node;
	return error_at(c, m->key_lines[second], f->key_cols[second],
			"duplicate key '%s': first on line %d, again on line %d", m->keys[second],
			m->key_lines[first], m->key_lines[second]);
}

/* Finds the duplicate key whose second occurrence comes first. O(n log n)
 * (O(n^2) for a few keys, cheaper there). */
static int check_duplicates(const ctx *c, const frame *f)
{
	const adr__yaml_node *m = f->node;
	keyref *refs;
	size_t best_first = 0, best_second = SIZE_MAX;
	if (m->count < 2)
		return 0;
	if (m->count <= DUP_SCAN_MAX) {
		/* few keys (a record's front matter): the first key seen before
		 * is the earliest second occurrence, and its first one */
		for (size_t j = 1; j < m->count; j++)
			for (size_t i = 0; i < j; i++)
				if (strcmp(m->keys[i], m->keys[j]) == 0)
					return dup_error(c, f, i, j);
		return 0;
	}
	refs = adr__reallocarray(NULL, m->count, sizeof(*refs));
	if (!refs)
		return ADR_ENOMEM;
	for (size_t i = 0; i < m->count; i++) {
		refs[i].key = m->keys[i];
		refs[i].idx = i;
	}
	qsort(refs, m->count, sizeof(*refs), keyref_cmp);
	for (size_t i = 1; i < m->count; i++) {
		if (strcmp(refs[i - 1].key, refs[i].key) == 0 && refs[i].idx < best_second &&
		    (i < 2 || strcmp(refs[i - 2].key, refs[i].key) != 0)) {
			best_first = refs[i - 1].idx;
			best_second = refs[i].idx;
		}
	}
	free(refs);
	if (best_second == SIZE_MAX)
		return 0;
	return dup_error(c, f, best_first, best_second);
}

static bool has_tag_or_anchor(const yaml_event_t *e, const yaml_char_t **anchor,
			      const yaml_char_t **tag)
{
	*anchor = NULL;
	*tag = NULL;
	switch (e->type) {
	case YAML_SCALAR_EVENT:
		*anchor = e->data.scalar.anchor;
		*tag = e->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		*anchor = e->data.sequence_start.anchor;
		*tag = e->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		*anchor = e->data.mapping_start.anchor;
		*tag = e->data.mapping_start.tag;
		break;
	default:
		break;
	}
	return *anchor || *tag;
}

static int libyaml_error(const ctx *c, const yaml_parser_t *p)
{
	char msg[512];
	const char *problem = p->problem ? p->problem : "malformed YAML";
	if (p->error == YAML_MEMORY_ERROR)
		return adr__error(ADR_ENOMEM, "%s: out of memory while parsing YAML", c->path);
	if (p->error == YAML_READER_ERROR) {
		/* problem_mark is not set by the reader; problem_offset is (and it
		 * counts a leading BOM, unlike the marks). */
		size_t off = p->problem_offset;
		return error_off(c, off < c->len ? off : c->len, problem);
	}
	if (p->context)
		snprintf(msg, sizeof(msg), "%s (%s on line %d)", problem, p->context,
			 (int)p->context_mark.line + c->first_line);
	else
		snprintf(msg, sizeof(msg), "%s", problem);
	return error_mark(c, p->problem_mark, msg);
}

/* Records the byte offset of a top-level key and checks it starts its line. */
static int note_top_key(ctx *c, yaml_mark_t m)
{
	size_t off = idx_to_off(c, m.index), ls = off;
	keypos *k;
	while (ls > c->start && c->data[ls - 1] != '\n')
		ls--;
	for (size_t i = ls; i < off; i++)
		if (c->data[i] != ' ')
			return error_mark(c, m, "a top-level key must be the first thing on its line");
	if (ADR_ARRAY_GROW(c->keys, c->keys_alloc, c->nkeys + 1) < 0)
		return ADR_ENOMEM;
	k = &c->keys[c->nkeys++];
	k->off = ls;
	k->line = (int)m.line + c->first_line;
	k->col = (int)m.column + 1;
	return 0;
}

/* Attaches a finished node (scalar or new collection) to the frame on top. */
static int attach(ctx *c, frame *stack, int depth, adr__yaml_node **root, adr__yaml_node *n,
		  yaml_mark_t m)
{
	frame *top;
	int rc;
	if (depth == 0) {
		*root = n;
		return 0;
	}
	top = &stack[depth - 1];
	if (top->node->kind == ADR_YAML_SEQ) {
		if (node_append(top->node, NULL, 0, n) < 0) {
			node_free(n);
			return ADR_ENOMEM;
		}
		return 0;
	}
	if (top->want_key) {
		if (n->kind != ADR_YAML_SCALAR) {
			node_free(n);
			return error_mark(c, m, "a mapping key must be a scalar");
		}
		if (depth == 1 && (rc = note_top_key(c, m)) < 0) {
			node_free(n);
			return rc;
		}
		top->key = n->scalar;
		n->scalar = NULL;
		top->key_line = n->line;
		top->key_col = n->col;
		node_free(n);
		top->want_key = false;
		return 0;
	}
	if (ADR_ARRAY_GROW(top->key_cols, top->key_cols_alloc, top->node->count + 1) < 0 ||
	    node_append(top->node, top->key, top->key_line, n) < 0) {
		node_free(n);
		return ADR_ENOMEM;
	}
	top->key_cols[top->node->count - 1] = top->key_col;
	top->key = NULL;
	top->want_key = true;
	return 0;
}

static bool is_null_word(const char *s, size_t n)
{
	return n == 0 || (n == 1 && s[0] == '~') ||
	       (n == 4 && (!memcmp(s, "null", 4) || !memcmp(s, "Null", 4) || !memcmp(s, "NULL", 4)));
}

/* Builds the entries (with their raw text) from the root mapping. */
static int build_doc(ctx *c, adr__yaml_node *root, adr__yaml_doc *doc)
{
	size_t n = root ? root->count : 0;
	size_t first;
	if (n > c->nkeys) /* cannot happen: every root key was noted */
		n = c->nkeys;
	first = n ? c->keys[0].off : c->len;
	doc->prefix = adr__malloc(first + 1);
	if (!doc->prefix)
		return ADR_ENOMEM;
	memcpy(doc->prefix, c->data, first);
	doc->prefix[first] = '\0';
	if (!n)
		return 0;
	doc->entries = adr__calloc(n, sizeof(*doc->entries));
	if (!doc->entries)
		return ADR_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		adr__yaml_entry *e = &doc->entries[doc->count];
		size_t from = c->keys[i].off, to = i + 1 < n ? c->keys[i + 1].off : c->len;
		bool add_nl = i + 1 == n && (to == from || c->data[to - 1] != '\n');
		e->raw = adr__malloc(to - from + 2);
		if (!e->raw)
			return ADR_ENOMEM;
		memcpy(e->raw, c->data + from, to - from);
		if (add_nl)
			e->raw[to++ - from] = '\n';
		e->raw[to - from] = '\0';
		e->key = root->keys[i];
		e->value = root->items[i];
		root->keys[i] = NULL;
		root->items[i] = NULL;
		e->line = c->keys[i].line;
		e->col = c->keys[i].col;
		doc->count++;
	}
	return 0;
}

/* A parse in progress: what the event handlers share. */
typedef struct {
	ctx c;
	frame stack[ADR_YAML_DEPTH_MAX];
	int depth, ndocs;
	bool done;
	adr__yaml_node *root;
} parse;

static int on_document_start(parse *p, const yaml_event_t *ev)
{
	if (++p->ndocs > 1)
		return error_mark(&p->c, ev->start_mark, "a second YAML document is not allowed");
	if (ev->data.document_start.tag_directives.start != ev->data.document_start.tag_directives.end)
		return error_mark(&p->c, ev->start_mark, "tag directives are not allowed");
	return 0;
}

/* A mapping's key (a scalar): kept in the frame until its value comes, as
 * attach() would keep it, without making a node for it. */
static int on_key(parse *p, const yaml_event_t *ev)
{
	frame *top = &p->stack[p->depth - 1];
	char *key;
	int rc;
	if (p->depth == 1 && (rc = note_top_key(&p->c, ev->start_mark)) < 0)
		return rc;
	if (!(key = adr__malloc(ev->data.scalar.length + 1)))
		return ADR_ENOMEM;
	memcpy(key, ev->data.scalar.value, ev->data.scalar.length);
	key[ev->data.scalar.length] = '\0';
	top->key = key;
	top->key_line = (int)ev->start_mark.line + p->c.first_line;
	top->key_col = (int)ev->start_mark.column + 1;
	top->want_key = false;
	return 0;
}

static int on_scalar(parse *p, const yaml_event_t *ev)
{
	adr__yaml_node *n;

	if (memchr(ev->data.scalar.value, 0, ev->data.scalar.length))
		return error_mark(&p->c, ev->start_mark, "NUL byte in a scalar");
	if (p->depth == 0) {
		if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.length == 0)
			return 0; /* an empty document */
		return error_mark(&p->c, ev->start_mark, "the top level must be a mapping, not a scalar");
	}
	if (p->stack[p->depth - 1].node->kind == ADR_YAML_MAP && p->stack[p->depth - 1].want_key)
		return on_key(p, ev);
	if (!(n = node_new(ADR_YAML_SCALAR, ev->start_mark, p->c.first_line)) ||
	    !(n->scalar = adr__malloc(ev->data.scalar.length + 1))) {
		free(n);
		return ADR_ENOMEM;
	}
	memcpy(n->scalar, ev->data.scalar.value, ev->data.scalar.length);
	n->scalar[ev->data.scalar.length] = '\0';
	n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
	n->is_null = !n->quoted && is_null_word(n->scalar, ev->data.scalar.length);
	return attach(&p->c, p->stack, p->depth, &p->root, n, ev->start_mark);
}

/* The start of a sequence or a mapping: a new frame on the stack. */
static int on_open(parse *p, const yaml_event_t *ev)
{
	bool map = ev->type == YAML_MAPPING_START_EVENT;
	adr__yaml_node *n;
	int rc;

	if (p->depth == 0 && !map)
		return error_mark(&p->c, ev->start_mark, "the top level must be a mapping, not a sequence");
	if (p->depth == 0 && ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE)
		return error_mark(&p->c, ev->start_mark, "the top-level mapping must be in block style");
	if (p->depth > 0 && p->stack[p->depth - 1].node->kind == ADR_YAML_MAP && p->stack[p->depth - 1].want_key)
		return error_mark(&p->c, ev->start_mark, "a mapping key must be a scalar");
	if (p->depth >= ADR_YAML_DEPTH_MAX) {
		char msg[64];
		snprintf(msg, sizeof(msg), "nesting is deeper than %d levels", ADR_YAML_DEPTH_MAX);
		return error_mark(&p->c, ev->start_mark, msg);
	}
	if (!(n = node_new(map ? ADR_YAML_MAP : ADR_YAML_SEQ, ev->start_mark, p->c.first_line)))
		return ADR_ENOMEM;
	if ((rc = attach(&p->c, p->stack, p->depth, &p->root, n, ev->start_mark)) < 0)
		return rc;
	p->stack[p->depth].node = n;
	p->stack[p->depth].want_key = map;
	p->depth++;
	return 0;
}

/* The end of a sequence or a mapping: its frame off the stack. */
static int on_close(parse *p, const yaml_event_t *ev)
{
	frame *f;
	int rc;

	if (p->depth == 0) /* cannot happen: libyaml pairs them */
		return 0;
	f = &p->stack[p->depth - 1];
	if (ev->type == YAML_MAPPING_END_EVENT && (rc = check_duplicates(&p->c, f)) < 0)
		return rc;
	free(f->key_cols);
	memset(f, 0, sizeof(*f));
	p->depth--;
	return 0;
}

static int on_event(parse *p, const yaml_event_t *ev)
{
	const yaml_char_t *anchor, *tag;

	if (has_tag_or_anchor(ev, &anchor, &tag))
		return error_mark(&p->c, ev->start_mark, anchor ? "anchors are not allowed" : "tags are not allowed");
	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		p->done = true;
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		return on_document_start(p, ev);
	case YAML_ALIAS_EVENT:
		return error_mark(&p->c, ev->start_mark, "aliases are not allowed");
	case YAML_SCALAR_EVENT:
		return on_scalar(p, ev);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		return on_open(p, ev);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		return on_close(p, ev);
	default: /* stream start, document end */
		return 0;
	}
}

/* Runs libyaml over the input, event by event, into p->root. */
static int parse_events(parse *p)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0;

	if (!yaml_parser_initialize(&parser))
		return adr__error_oom();
	/* An explicit length: libyaml never sees past it (a NUL is caught before). */
	yaml_parser_set_input_string(&parser, p->c.data, p->c.len);
	/* No yaml_parser_set_encoding(): libyaml then skips a leading BOM without
	 * counting it in its marks, as pos_of() does. UTF-16 input never gets
	 * here: its BOM is invalid UTF-8. */
	while (!p->done && rc == 0) {
		if (!yaml_parser_parse(&parser, &ev)) {
			rc = libyaml_error(&p->c, &parser);
			break;
		}
		rc = on_event(p, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return rc;
}

int adr__yaml_parse(adr__yaml_doc **out, const char *path, const char *data, size_t len,
		   int first_line)
{
	parse ps, *p = &ps;
	adr__yaml_doc *doc = NULL;
	int rc;

	*out = NULL;
	memset(p, 0, sizeof(*p));
	p->c.path = path ? path : "<input>";
	p->c.data = (const unsigned char *)(data ? data : "");
	p->c.len = data ? len : 0;
	p->c.first_line = first_line > 0 ? first_line : 1;
	if (p->c.len >= 3 && p->c.data[0] == 0xEF && p->c.data[1] == 0xBB && p->c.data[2] == 0xBF)
		p->c.start = 3;
	p->c.cur_off = p->c.start;

	if ((rc = prescan(&p->c)) < 0 || (rc = parse_events(p)) < 0)
		goto cleanup;
	if (!(doc = adr__calloc(1, sizeof(*doc)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = build_doc(&p->c, p->root, doc)) < 0)
		goto cleanup;
	*out = doc;
	doc = NULL;
cleanup:
	for (int i = 0; i < ADR_YAML_DEPTH_MAX; i++) {
		free(p->stack[i].key);
		free(p->stack[i].key_cols);
	}
	node_free(p->root);
	adr__yaml_doc_free(doc);
	free(p->c.keys);
	return rc;
}

const adr__yaml_node *adr__yaml_get(const adr__yaml_doc *doc, const char *key)
{
	if (!doc || !key)
		return NULL;
	for (size_t i = 0; i < doc->count; i++)
		if (strcmp(doc->entries[i].key, key) == 0)
			return doc->entries[i].value;
	return NULL;
}

const adr__yaml_node *adr__yaml_map_get(const adr__yaml_node *map, const char *key)
{
	if (!map || !key || map->kind != ADR_YAML_MAP)
		return NULL;
	for (size_t i = 0; i < map->count; i++)
		if (strcmp(map->keys[i], key) == 0)
			return map->items[i];
	return NULL;
}

/* Writing */

static bool ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* True for words a YAML 1.1 or 1.2 reader would take as a bool, null or number. */
static bool looks_typed(const char *s, size_t n)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off", "null", "~",
		".inf", "-.inf", "+.inf", ".nan", NULL
	};
	size_t i = 0;
	for (size_t w = 0; words[w]; w++)
		if (ieq(s, words[w]))
			return true;
	/* YYYY-MM-DD stays plain: the record format writes dates that way. */
	if (n == 10 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
	    s[4] == '-' && is_digit(s[5]) && is_digit(s[6]) && s[7] == '-' && is_digit(s[8]) &&
	    is_digit(s[9]))
		return false;
	if (s[i] == '+' || s[i] == '-')
		i++;
	if (s[i] == '.')
		i++;
	if (!is_digit(s[i]))
		return false;
	/* a number-like word: digits with signs, dots, colons (base 60), '_', letters (hex, exponents) */
	for (; i < n; i++)
		if (s[i] == ' ' || s[i] == '\t')
			return false;
	return true;
}

static bool plain_ok(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	if (n == 0 || strchr("-?:,[]{}#&*!|>'\"%@`=<", s[0]))
		return false;
	if (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t')
		return false;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k;
		if (u[i] < 0x80) {
			if (u[i] < 0x20 || u[i] == 0x7F)
				return false;
			/* flow indicators are quoted too, so the result also fits in [a, b] */
			if (strchr(",[]{}", s[i]))
				return false;
			/* libyaml also refuses ':' before a flow indicator inside [...]
			 * (found by tests/fuzz/fuzz_record.c: a tag "a:?b") */
			if (s[i] == ':' && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t' ||
					    strchr(",?[]{}", s[i + 1])))
				return false;
			if (s[i] == '#' && (s[i - 1] == ' ' || s[i - 1] == '\t'))
				return false;
			i++;
			continue;
		}
		k = adr__utf8_decode(u + i, n - i, &cp);
		if (k == 0 || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 ||
		    cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF)
			return false;
		i += k;
	}
	return !looks_typed(s, n);
}

int adr__yaml_write_scalar(adr_buf *out, const char *s)
{
	const unsigned char *u;
	size_t n, i, mark = out->size;
	if (!s)
		s = "";
	u = (const unsigned char *)s;
	n = strlen(s);
	if (!adr__utf8_valid(s, n))
		return adr__error(ADR_EINVALID, "'%s' is not valid UTF-8", s);
	if (plain_ok(s, n))
		return adr_buf_put(out, s, n);
	adr_buf_putc(out, '"');
	for (i = 0; i < n;) {
		uint32_t cp;
		size_t k = adr__utf8_decode(u + i, n - i, &cp);
		switch (cp) {
		case '"': adr_buf_puts(out, "\\\""); break;
		case '\\': adr_buf_puts(out, "\\\\"); break;
		case '\n': adr_buf_puts(out, "\\n"); break;
		case '\t': adr_buf_puts(out, "\\t"); break;
		case '\r': adr_buf_puts(out, "\\r"); break;
		default:
			if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0x2028 ||
			    cp == 0x2029 || cp == 0xFEFF || cp == 0xFFFE || cp == 0xFFFF)
				adr_buf_printf(out, "\\u%04X", (unsigned)cp);
			else
				adr_buf_put(out, s + i, k);
		}
		i += k;
	}
	adr_buf_putc(out, '"');
	if (adr_buf_oom(out)) { /* sticky: `out` may have failed before; said again */
		adr_buf_truncate(out, mark);
		return adr__error_oom();
	}
	return 0;
}

const char *adr__yaml_version(void)
{
	return yaml_get_version_string();
}
