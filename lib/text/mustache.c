/*
 * text/mustache.c: the Mustache compiler (text/mustache.h); rendering is
 * in text/mustache_render.c. Compiling turns the source into a flat array of
 * nodes; a node with children (section, inverted section, parent, block)
 * records the index just past its last child, so the renderer walks ranges
 * of the array and recurses only where the template itself nests.
 *
 * Compiling happens in two passes. The tokenizer splits the source into
 * text (each text token ends at a newline at the latest) and tags, applying
 * set-delimiter tags as it goes. The second pass takes the tokens a line at
 * a time: a standalone line (only whitespace around tags that write
 * nothing) is dropped except for its tags, and every other line starts
 * with an INDENT node, where the renderer writes the indentation of the
 * standalone partials, parents and blocks it is inside of.
 *
 * Blocks carry their own indentation: when a block's opening tag is
 * standalone, the indentation of the line after it (else the whitespace
 * before the tag) is taken off every line of the block's content at
 * compile time, and the indentation of the block where the content is
 * expanded is put back at render time. This is what the ~inheritance
 * spec's indentation cases describe.
 *
 * A line with several tags is standalone only when it holds a parent tag
 * (opening or closing) together with block, comment or delimiter tags
 * (`{{<parent}}{{$block}}`, `{{/block}}{{/parent}}`): the ~inheritance spec
 * treats such lines as standalone, and `{{$block}}{{/block}}` on a line of
 * its own as inline content that is re-indented.
 */
#include "text/mustache.h"
#include "text/mustache_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_CLOSE, T_PARTIAL,
	T_PARENT, T_BLOCK, T_COMMENT, T_DELIM
};

typedef struct {
	unsigned char type;
	size_t start, end;      /* text: its bytes; tag: the whole tag */
	size_t name, nlen;      /* tag: the trimmed content */
} token;

/* 1-based line and column (in characters) of byte `at`. */
void adr__mustache_position(const char *s, size_t len, size_t at, size_t *line, size_t *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < at && i < len; i++) {
		if (s[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)s[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

int adr__mustache_error_at(int code, const char *name, const char *src, size_t len, size_t at,
			   const char *fmt, ...)
{
	char msg[1024];
	size_t line, col;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	adr__mustache_position(src, len, at, &line, &col);
	return adr__error(code, "%s:%zu:%zu: %s", name, line, col, msg);
}

/* Compiler */

typedef struct {
	size_t node;
	size_t tok;
	unsigned char type;
	size_t strip;           /* size of c->strip before this block */
} open_tag;

typedef struct {
	adr__mustache_template *t;
	const char *src;
	size_t len;
	token *toks;
	size_t ntok, atok;
	open_tag open[ADR_MUSTACHE_NESTING_MAX];
	size_t nopen;
	adr_buf strip;          /* indentation taken off each line (blocks) */
} compiler;

#define CERR(c, at, ...) \
	adr__mustache_error_at(ADR_EINVALID, (c)->t->name, (c)->src, (c)->len, (at), __VA_ARGS__)

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

/* The first occurrence of `pat` in s[from..len), or len. */
static size_t find(const char *s, size_t len, size_t from, const char *pat, size_t plen)
{
	while (from + plen <= len) {
		const char *p = memchr(s + from, pat[0], len - from - plen + 1);
		if (!p)
			break;
		from = (size_t)(p - s);
		if (memcmp(p, pat, plen) == 0)
			return from;
		from++;
	}
	return len;
}

static int add_token(compiler *c, unsigned char type, size_t start, size_t end,
		     size_t name, size_t nlen)
{
	token *t;
	if (ADR_ARRAY_GROW(c->toks, c->atok, c->ntok + 1) < 0)
		return ADR_ENOMEM;
	t = &c->toks[c->ntok++];
	t->type = type;
	t->start = start;
	t->end = end;
	t->name = name;
	t->nlen = nlen;
	return 0;
}

static int add_node(compiler *c, unsigned char type, size_t a, size_t alen, size_t pos)
{
	adr__mustache_template *t = c->t;
	node *n;
	if (ADR_ARRAY_GROW(t->nodes, t->alloc, t->count + 1) < 0)
		return ADR_ENOMEM;
	n = &t->nodes[t->count++];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->a = a;
	n->alen = alen;
	n->pos = pos;
	return 0;
}

static bool valid_dotted(const char *s, size_t n)
{
	if (n == 1 && s[0] == '.')
		return true;
	if (s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return false;
	return true;
}

static const char *tag_word(unsigned char type)
{
	switch (type) {
	case T_SECTION: return "section";
	case T_INVERTED: return "inverted section";
	case T_PARENT: return "parent";
	case T_BLOCK: return "block";
	case T_PARTIAL: return "partial";
	default: return "tag";
	}
}

/* The current tag delimiters ("{{" and "}}" until a set-delimiter tag). */
typedef struct {
	const char *o, *c;
	size_t olen, clen;
} delims;

/* The type of the tag whose content starts at s[*p], moving *p past its
 * sigil; *closer is the character a {{{raw}}} or {{=delimiter=}} tag must
 * end with. */
static unsigned char tag_type(const char *s, size_t *p, char *closer)
{
	unsigned char type;

	*closer = 0;
	switch (s[*p]) {
	case '!': type = T_COMMENT; break;
	case '=': type = T_DELIM; *closer = '='; break;
	case '{': type = T_RAW; *closer = '}'; break;
	case '&': type = T_RAW; break;
	case '#': type = T_SECTION; break;
	case '^': type = T_INVERTED; break;
	case '/': type = T_CLOSE; break;
	case '>': type = T_PARTIAL; break;
	case '<': type = T_PARENT; break;
	case '$': type = T_BLOCK; break;
	default: return T_VAR;
	}
	(*p)++;
	return type;
}

/* A set-delimiter tag at `t` with content s[a..b): the new delimiters into *d. */
static int set_delims(compiler *c, size_t t, size_t a, size_t b, delims *d)
{
	const char *s = c->src;
	size_t m = a, o2, c2;

	while (m < b && !is_space(s[m]))
		m++;
	o2 = m;
	while (o2 < b && is_space(s[o2]))
		o2++;
	c2 = o2;
	while (c2 < b && !is_space(s[c2]))
		c2++;
	if (m == a || o2 == b || c2 != b)
		return CERR(c, t, "invalid set-delimiter tag (expected two delimiters separated by a space)");
	d->o = s + a;
	d->olen = m - a;
	d->c = s + o2;
	d->clen = b - o2;
	return 0;
}

/* Checks the name s[a..b) of the tag at `t`. */
static int check_name(compiler *c, size_t t, unsigned char type, size_t a, size_t b, const delims *d)
{
	const char *s = c->src;

	if (a == b)
		return CERR(c, t, "empty %s name", tag_word(type));
	if (find(s, b, a, d->o, d->olen) < b)
		return CERR(c, t, "unclosed tag");
	for (size_t i = a; i < b; i++) {
		if (is_space(s[i]))
			return CERR(c, t, "invalid tag name '%.*s' (names contain no spaces)", (int)(b - a), s + a);
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return CERR(c, t, "invalid tag name (control character)");
	}
	if ((type == T_VAR || type == T_RAW || type == T_SECTION || type == T_INVERTED) &&
	    !valid_dotted(s + a, b - a))
		return CERR(c, t, "invalid tag name '%.*s'", (int)(b - a), s + a);
	return 0;
}

/* The tag that starts at `t`: adds its token, and sets *after past it. */
static int scan_tag(compiler *c, size_t t, delims *d, size_t *after)
{
	const char *s = c->src;
	size_t len = c->len, p = t + d->olen, cend, a, b;
	unsigned char type;
	char closer;            /* the character before the closing delimiter */
	int rc;

	if (p >= len)
		return CERR(c, t, "unclosed tag");
	type = tag_type(s, &p, &closer);
	cend = find(s, len, p, d->c, d->clen);
	if (closer) {
		while (cend < len && !(cend > p && s[cend - 1] == closer))
			cend = find(s, len, cend + 1, d->c, d->clen);
		if (cend >= len)
			return CERR(c, t, "unclosed tag (expected '%c%.*s')", closer, (int)d->clen, d->c);
		*after = cend + d->clen;
		cend--;
	} else {
		if (cend >= len)
			return CERR(c, t, "unclosed tag (expected '%.*s')", (int)d->clen, d->c);
		*after = cend + d->clen;
	}
	a = p;
	b = cend;
	while (a < b && is_space(s[a]))
		a++;
	while (b > a && is_space(s[b - 1]))
		b--;
	if (type == T_DELIM)
		rc = set_delims(c, t, a, b, d);
	else
		rc = type == T_COMMENT ? 0 : check_name(c, t, type, a, b, d);
	if (rc < 0)
		return rc;
	return add_token(c, type, t, *after, a, b - a);
}

static int tokenize(compiler *c)
{
	const char *s = c->src;
	size_t len = c->len, pos = 0;
	delims d = { "{{", "}}", 2, 2 };
	int rc;

	while (pos < len) {
		size_t t = find(s, len, pos, d.o, d.olen);
		while (pos < t) {
			const char *nl = memchr(s + pos, '\n', t - pos);
			size_t e = nl ? (size_t)(nl - s) + 1 : t;
			if ((rc = add_token(c, T_TEXT, pos, e, 0, 0)) < 0)
				return rc;
			pos = e;
		}
		if (t >= len)
			break;
		if ((rc = scan_tag(c, t, &d, &pos)) < 0)
			return rc;
	}
	return 0;
}

static bool is_tag(const token *t)
{
	return t->type != T_TEXT;
}

/* Is the text token blank: spaces and tabs, and for the last token of a
 * line its line ending? */
static bool blank_text(const compiler *c, const token *t, bool last)
{
	size_t a = t->start, e = t->end;
	if (last && e > a && c->src[e - 1] == '\n') {
		e--;
		if (e > a && c->src[e - 1] == '\r')
			e--;
	}
	for (; a < e; a++)
		if (c->src[a] != ' ' && c->src[a] != '\t')
			return false;
	return true;
}

/* How many bytes at s[from..] match the indentation in c->strip. */
static size_t strip_match(const compiler *c, size_t from, size_t end)
{
	size_t k = 0;
	while (k < c->strip.size && from + k < end && c->src[from + k] == c->strip.ptr[k])
		k++;
	return k;
}

static int open_node(compiler *c, const token *t, unsigned char ntype)
{
	open_tag *o;
	int rc;
	if (c->nopen >= ADR_MUSTACHE_NESTING_MAX)
		return CERR(c, t->start, "%s nested too deeply (more than %d levels)",
			    tag_word(t->type), ADR_MUSTACHE_NESTING_MAX);
	if ((rc = add_node(c, ntype, t->name, t->nlen, t->start)) < 0)
		return rc;
	o = &c->open[c->nopen++];
	o->node = c->t->count - 1;
	o->tok = (size_t)(t - c->toks);
	o->type = t->type;
	o->strip = c->strip.size;
	return 0;
}

/*
 * Emits the nodes of one tag. `ind`/`ilen` is the whitespace before the
 * tag when only whitespace precedes it on the line; `next` is the first
 * token of the next line.
 */
static int emit_tag(compiler *c, const token *t, bool standalone, size_t ind, size_t ilen,
		    size_t next)
{
	adr__mustache_template *tp = c->t;
	node *n;
	open_tag *o;
	int rc;

	switch (t->type) {
	case T_COMMENT:
	case T_DELIM:
		return 0;
	case T_VAR:
	case T_RAW:
		if ((rc = add_node(c, N_VAR, t->name, t->nlen, t->start)) < 0)
			return rc;
		tp->nodes[tp->count - 1].flags = t->type == T_VAR ? N_ESCAPE : 0;
		return 0;
	case T_PARTIAL:
		if ((rc = add_node(c, N_PARTIAL, t->name, t->nlen, t->start)) < 0)
			return rc;
		if (standalone) {
			tp->nodes[tp->count - 1].ind = ind;
			tp->nodes[tp->count - 1].ilen = ilen;
		}
		return 0;
	case T_SECTION:
		return open_node(c, t, N_SECTION);
	case T_INVERTED:
		return open_node(c, t, N_INVERTED);
	case T_PARENT:
		if ((rc = open_node(c, t, N_PARENT)) < 0)
			return rc;
		if (standalone) {
			tp->nodes[tp->count - 1].ind = ind;
			tp->nodes[tp->count - 1].ilen = ilen;
		}
		return 0;
	case T_BLOCK:
		if ((rc = open_node(c, t, N_BLOCK)) < 0)
			return rc;
		n = &tp->nodes[tp->count - 1];
		if (standalone) {
			/* the indentation of the first line of the content */
			ind = ilen = 0;
			if (next < c->ntok && c->toks[next].type == T_TEXT) {
				const token *nt = &c->toks[next];
				ind = nt->start + strip_match(c, nt->start, nt->end);
				while (ind + ilen < nt->end &&
				       (c->src[ind + ilen] == ' ' || c->src[ind + ilen] == '\t'))
					ilen++;
			}
		}
		n->ind = ind;
		n->ilen = ilen;
		adr_buf_put(&c->strip, c->src + ind, ilen);
		return adr_buf_oom(&c->strip) ? ADR_ENOMEM : 0;
	case T_CLOSE:
		if (c->nopen == 0)
			return CERR(c, t->start, "closing tag '%.*s' without an opening tag",
				    (int)t->nlen, c->src + t->name);
		o = &c->open[--c->nopen];
		n = &tp->nodes[o->node];
		if (n->alen != t->nlen || memcmp(c->src + n->a, c->src + t->name, t->nlen) != 0) {
			size_t line, col;
			adr__mustache_position(c->src, c->len, n->pos, &line, &col);
			return CERR(c, t->start, "closing tag '%.*s' does not match %s '%.*s' opened at %zu:%zu",
				    (int)t->nlen, c->src + t->name, tag_word(o->type),
				    (int)n->alen, c->src + n->a, line, col);
		}
		n->end = tp->count;
		adr_buf_truncate(&c->strip, o->strip);
		return 0;
	}
	return 0;
}

/* What a closing tag on the current line closes, given the tags opened
 * earlier on the same line (`local`, `nlocal`) and those still open. */
static unsigned char closes(const compiler *c, unsigned char *local, size_t *nlocal,
			    size_t *used)
{
	if (*nlocal > 0)
		return local[--*nlocal];
	if (*used < c->nopen)
		return c->open[c->nopen - 1 - (*used)++].type;
	return T_TEXT;
}

static int compile_line(compiler *c, size_t a, size_t b)
{
	token *toks = c->toks;
	bool blank = true, multi_ok = true, has_parent = false, standalone;
	unsigned char local[16];
	size_t ntags = 0, nlocal = 0, used = 0, j, ind = 0, ilen = 0;
	const token *single = NULL;
	int rc;

	if (c->strip.size && toks[a].type == T_TEXT)
		toks[a].start += strip_match(c, toks[a].start, toks[a].end);

	for (j = a; j < b; j++) {
		const token *t = &toks[j];
		unsigned char ty = t->type;
		if (!is_tag(t)) {
			if (!blank_text(c, t, j == b - 1)) {
				blank = false;
				break;
			}
			continue;
		}
		ntags++;
		single = t;
		if (ty == T_CLOSE)
			ty = closes(c, local, &nlocal, &used);
		else if ((ty == T_SECTION || ty == T_INVERTED || ty == T_PARENT || ty == T_BLOCK)) {
			if (nlocal < sizeof(local))
				local[nlocal++] = ty;
			else
				multi_ok = false;
		}
		if (ty == T_PARENT)
			has_parent = true;
		else if (ty != T_BLOCK && ty != T_COMMENT && ty != T_DELIM)
			multi_ok = false;
	}
	standalone = blank && ntags > 0 &&
		     (ntags == 1 ? single->type != T_VAR && single->type != T_RAW
				 : multi_ok && has_parent);

	if (toks[a].type == T_TEXT && blank_text(c, &toks[a], a == b - 1)) {
		ind = toks[a].start;
		ilen = toks[a].end - toks[a].start;
		if (a == b - 1)         /* a blank line: no tag follows */
			ilen = 0;
	}

	if (standalone) {
		for (j = a; j < b; j++)
			if (is_tag(&toks[j]) && (rc = emit_tag(c, &toks[j], true, ind, ilen, b)) < 0)
				return rc;
		return 0;
	}

	/* An INDENT node unless the line is empty. */
	if (!(a == b - 1 && toks[a].type == T_TEXT &&
	      (toks[a].end == toks[a].start || c->src[toks[a].start] == '\n' ||
	       (c->src[toks[a].start] == '\r' && toks[a].end - toks[a].start == 2 &&
		c->src[toks[a].start + 1] == '\n'))))
		if ((rc = add_node(c, N_INDENT, 0, 0, toks[a].start)) < 0)
			return rc;
	for (j = a; j < b; j++) {
		const token *t = &toks[j];
		if (!is_tag(t)) {
			if (t->end > t->start &&
			    (rc = add_node(c, N_TEXT, t->start, t->end - t->start, t->start)) < 0)
				return rc;
			continue;
		}
		/* whitespace before the tag counts as indentation only if
		 * nothing else precedes it */
		bool ws_only = j == a || (j == a + 1 && ilen > 0);
		if ((rc = emit_tag(c, t, false, ws_only ? ind : 0, ws_only ? ilen : 0, b)) < 0)
			return rc;
	}
	return 0;
}

static int compile_all(compiler *c)
{
	size_t i = 0, b;
	int rc;
	if ((rc = tokenize(c)) < 0)
		return rc;
	while (i < c->ntok) {
		b = i;
		while (b < c->ntok) {
			const token *t = &c->toks[b++];
			if (t->type == T_TEXT && t->end > t->start && c->src[t->end - 1] == '\n')
				break;
		}
		if ((rc = compile_line(c, i, b)) < 0)
			return rc;
		i = b;
	}
	if (c->nopen > 0) {
		const open_tag *o = &c->open[c->nopen - 1];
		const token *t = &c->toks[o->tok];
		return CERR(c, t->start, "unclosed %s '%.*s'", tag_word(o->type),
			    (int)t->nlen, c->src + t->name);
	}
	return 0;
}

int adr__mustache_compile(adr__mustache_template **out, const char *name,
			 const char *src, size_t len)
{
	compiler c;
	adr__mustache_template *t;
	int rc;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.strip = (adr_buf)ADR_BUF_INIT;
	if (!(t = adr__calloc(1, sizeof(*t))))
		return ADR_ENOMEM;
	if (!name)
		name = "<template>";
	if (!(t->name = adr__strdup(name)) || !(t->src = adr__malloc(len + 1))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (len)
		memcpy(t->src, src, len);
	t->src[len] = '\0';
	t->len = len;
	c.t = t;
	c.src = t->src;
	c.len = len;
	if ((rc = compile_all(&c)) < 0)
		goto cleanup;
	*out = t;
	t = NULL;
cleanup:
	adr__mustache_template_free(t);
	free(c.toks);
	adr_buf_dispose(&c.strip);
	return rc;
}

void adr__mustache_template_forget_partials(adr__mustache_template *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncache; i++) {
		free(t->cache[i].name);
		adr__mustache_template_free(t->cache[i].t);
	}
	free(t->cache);
	t->cache = NULL;
	t->ncache = t->acache = 0;
	t->cache_fn = NULL;
	t->cache_payload = NULL;
}

void adr__mustache_template_free(adr__mustache_template *t)
{
	if (!t)
		return;
	adr__mustache_template_forget_partials(t);
	free(t->name);
	free(t->src);
	free(t->nodes);
	free(t);
}

const char *adr__mustache_template_name(const adr__mustache_template *t)
{
	return t ? t->name : NULL;
}
