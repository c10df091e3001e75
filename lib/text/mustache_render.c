/*
 * text/mustache_render.c: the Mustache renderer (text/mustache.h): HTML
 * escaping, context lookup, sections, partials (compiled on first use and
 * cached in the root template) and ~inheritance (parents and blocks).
 *
 * The renderer walks ranges of the compiled node array and recurses only
 * where the template itself nests. An INDENT node at the start of each
 * line is where it writes the indentation of the standalone partials,
 * parents and blocks it is inside of; a block's content, stripped of its
 * own indentation at compile time, gets the indentation of the place it
 * is expanded.
 */
#include "text/mustache.h"
#include "text/mustache_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "text/value.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Escaping */

int adr__mustache_escape(adr_buf *out, const char *str, size_t len, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)str;
	bool apos = !(flags & ADR_MUSTACHE_SPEC_ESCAPE);
	size_t i = 0, run;
	while (i < len) {
		run = i;
		while (i < len && s[i] != '&' && s[i] != '<' && s[i] != '>' && s[i] != '"' &&
		       !(apos && s[i] == '\''))
			i++;
		adr_buf_put(out, s + run, i - run);
		if (i >= len)
			break;
		switch (s[i++]) {
		case '&': adr_buf_put(out, "&amp;", 5); break;
		case '<': adr_buf_put(out, "&lt;", 4); break;
		case '>': adr_buf_put(out, "&gt;", 4); break;
		case '"': adr_buf_put(out, "&quot;", 6); break;
		default: adr_buf_put(out, "&#39;", 5); break;
		}
	}
	/* `out` may have failed earlier in the render, its message cleared since */
	return adr_buf_oom(out) ? adr__error_oom() : 0;
}

/* Renderer */

/* The arguments of a parent being rendered: the blocks among the nodes
 * [begin, end) of `t`; `outer` is the enclosing parent. */
typedef struct frame {
	const adr__mustache_template *t;
	size_t begin, end;
	const struct frame *outer;
} frame;

typedef struct {
	adr_buf *out;
	size_t base;                    /* out->size when the render began */
	adr__mustache_template *root;    /* holds the partial cache */
	adr__mustache_partial_fn fn;
	void *payload;
	unsigned flags;
	size_t steps, max_steps;
	const adr_value **ctx;
	size_t nctx, actx;
	adr_buf indent;
	int partials;                   /* partials and parents being rendered */
	int depth;                      /* nested render_range calls */
	adr__mustache_base_fn base_fn;  /* told of lookups that reach the bottom context */
	void *base_payload;
} renderer;

#define RERR(code, t, at, ...) \
	adr__mustache_error_at((code), (t)->name, (t)->src, (t)->len, (at), __VA_ARGS__)

static int render_range(renderer *r, const adr__mustache_template *t, size_t i, size_t end,
			const frame *frames);

static int push_ctx(renderer *r, const adr_value *v)
{
	if (ADR_ARRAY_GROW(r->ctx, r->actx, r->nctx + 1) < 0)
		return ADR_ENOMEM;
	r->ctx[r->nctx++] = v;
	return 0;
}

static const adr_value *lookup(const renderer *r, const char *name, size_t len)
{
	const adr_value *v = NULL;
	const char *dot;
	size_t seg;
	if (len == 1 && name[0] == '.')
		return r->nctx ? r->ctx[r->nctx - 1] : NULL;
	dot = memchr(name, '.', len);
	seg = dot ? (size_t)(dot - name) : len;
	size_t k = r->nctx;
	while (k-- > 0) {
		const adr_value *c = r->ctx[k];
		if (adr__value_kind_of(c) == ADR_VALUE_MAP && (v = adr__value_map_getn(c, name, seg)))
			break;
	}
	/* k is now the context it was found in, or SIZE_MAX */
	if (r->base_fn && (k == 0 || k == SIZE_MAX))
		r->base_fn(name, len, r->base_payload);
	while (v && seg < len) {
		name += seg + 1;
		len -= seg + 1;
		dot = memchr(name, '.', len);
		seg = dot ? (size_t)(dot - name) : len;
		v = adr__value_map_getn(v, name, seg);
	}
	return v;
}

static void write_value(renderer *r, const adr_value *v, bool escape)
{
	const char *s;
	size_t len;
	switch (adr__value_kind_of(v)) {
	case ADR_VALUE_STRING:
		s = adr__value_get_string(v, &len);
		if (escape)
			adr__mustache_escape(r->out, s, len, r->flags);
		else
			adr_buf_put(r->out, s, len);
		break;
	case ADR_VALUE_NUMBER:
		adr__value_number_format(r->out, adr__value_get_number(v));
		break;
	case ADR_VALUE_BOOL:
		adr_buf_puts(r->out, adr__value_get_bool(v) ? "true" : "false");
		break;
	default:
		break;
	}
}

static bool at_line_start(const renderer *r)
{
	return r->out->size == r->base || r->out->ptr[r->out->size - 1] == '\n';
}

/* Finds (compiling it on first use) the partial or parent named by node n
 * of t; *out is NULL when there is none. */
static int get_partial(renderer *r, const adr__mustache_template *t, const node *n,
		       const adr__mustache_template **out)
{
	adr__mustache_template *root = r->root, *p = NULL;
	const char *name = t->src + n->a, *src = NULL;
	char *cname = NULL;
	size_t slen = 0, line, col;
	int rc;

	*out = NULL;
	for (size_t i = 0; i < root->ncache; i++) {
		const cached_partial *e = &root->cache[i];
		if (e->nlen == n->alen && memcmp(e->name, name, n->alen) == 0) {
			*out = e->t;
			return 0;
		}
	}
	if (!(cname = adr__malloc(n->alen + 1)))
		return ADR_ENOMEM;
	memcpy(cname, name, n->alen);
	cname[n->alen] = '\0';
	rc = r->fn ? r->fn(&src, &slen, cname, r->payload) : ADR_ENOTFOUND;
	if (rc == ADR_ENOTFOUND) {
		rc = 0;
	} else if (rc < 0) {
		adr__mustache_position(t->src, t->len, n->pos, &line, &col);
		adr__error_prefix("%s:%zu:%zu: partial '%s'", t->name, line, col, cname);
		goto cleanup;
	} else if ((rc = adr__mustache_compile(&p, cname, src, slen)) < 0) {
		adr__mustache_position(t->src, t->len, n->pos, &line, &col);
		adr__error_prefix("%s:%zu:%zu: in partial '%s'", t->name, line, col, cname);
		goto cleanup;
	}
	if ((rc = ADR_ARRAY_GROW(root->cache, root->acache, root->ncache + 1)) < 0)
		goto cleanup;
	root->cache[root->ncache].name = cname;
	root->cache[root->ncache].nlen = n->alen;
	root->cache[root->ncache].t = p;
	root->ncache++;
	*out = p;
	cname = NULL;
	p = NULL;
cleanup:
	free(cname);
	adr__mustache_template_free(p);
	return rc;
}

/* Renders a partial (frames = the current ones) or a parent (frames = a
 * new frame with its arguments) with the node's indentation. */
static int render_included(renderer *r, const adr__mustache_template *t, const node *n,
			   const frame *frames)
{
	const adr__mustache_template *p;
	size_t saved = r->indent.size;
	int rc;
	if ((rc = get_partial(r, t, n, &p)) < 0)
		return rc;
	if (!p) {
		if (r->flags & ADR_MUSTACHE_STRICT)
			return RERR(ADR_ENOTFOUND, t, n->pos, "%s '%.*s' not found",
				    n->type == N_PARENT ? "parent" : "partial",
				    (int)n->alen, t->src + n->a);
		return 0;
	}
	if (r->partials >= ADR_MUSTACHE_PARTIAL_DEPTH_MAX)
		return RERR(ADR_EINVALID, t, n->pos,
			    "partial recursion too deep (more than %d levels) at '%.*s'",
			    ADR_MUSTACHE_PARTIAL_DEPTH_MAX, (int)n->alen, t->src + n->a);
	r->partials++;
	adr_buf_put(&r->indent, t->src + n->ind, n->ilen);
	rc = render_range(r, p, 0, p->count, frames);
	adr_buf_truncate(&r->indent, saved);
	r->partials--;
	return rc;
}

/* The block to expand for block node `bi` of `t`: the argument given by
 * the outermost parent that has one, else the block's own content. */
static int render_block(renderer *r, const adr__mustache_template *t, size_t bi,
			const frame *frames)
{
	const node *n = &t->nodes[bi];
	const adr__mustache_template *bt = t;
	size_t at = bi, saved = r->indent.size;
	int rc;
	for (const frame *f = frames; f; f = f->outer) {
		for (size_t i = f->begin; i < f->end;) {
			const node *m = &f->t->nodes[i];
			if (m->type == N_BLOCK && m->alen == n->alen &&
			    memcmp(f->t->src + m->a, t->src + n->a, n->alen) == 0) {
				bt = f->t;
				at = i;
				break;
			}
			i = has_children(m) ? m->end : i + 1;
		}
	}
	adr_buf_put(&r->indent, t->src + n->ind, n->ilen);
	rc = render_range(r, bt, at + 1, bt->nodes[at].end, frames);
	adr_buf_truncate(&r->indent, saved);
	return rc;
}

/* One more step of the render; an error past r->max_steps. */
static int step(renderer *r, const adr__mustache_template *t, const node *n)
{
	if (++r->steps > r->max_steps)
		return RERR(ADR_EINVALID, t, n->pos, "rendering takes too long (more than %zu steps)", r->max_steps);
	return 0;
}

/* The section node t->nodes[i]: its content once per list item, once with
 * any other truthy value on top of the context stack, or not at all. */
static int render_section(renderer *r, const adr__mustache_template *t, size_t i, const frame *frames)
{
	const node *n = &t->nodes[i];
	const adr_value *v = lookup(r, t->src + n->a, n->alen);
	int rc;

	if (!adr__value_truthy(v))
		return 0;
	if (adr__value_kind_of(v) != ADR_VALUE_LIST) {
		if ((rc = push_ctx(r, v)) < 0)
			return rc;
		rc = render_range(r, t, i + 1, n->end, frames);
		r->nctx--;
		return rc;
	}
	for (size_t k = 0, count = adr__value_count(v); k < count; k++) {
		if ((rc = push_ctx(r, adr__value_list_get(v, k))) < 0)
			return rc;
		rc = render_range(r, t, i + 1, n->end, frames);
		r->nctx--;
		if (rc < 0 || (rc = step(r, t, n)) < 0)
			return rc;
	}
	return 0;
}

/* Renders node t->nodes[*i] and moves *i past it (and its children). */
static int render_node(renderer *r, const adr__mustache_template *t, size_t *i, const frame *frames)
{
	const node *n = &t->nodes[*i];
	int rc = 0;

	switch (n->type) {
	case N_TEXT:
		adr_buf_put(r->out, t->src + n->a, n->alen);
		break;
	case N_INDENT:
		if (r->indent.size && at_line_start(r))
			adr_buf_put(r->out, r->indent.ptr, r->indent.size);
		break;
	case N_VAR:
		write_value(r, lookup(r, t->src + n->a, n->alen), n->flags & N_ESCAPE);
		break;
	case N_SECTION:
		rc = render_section(r, t, *i, frames);
		break;
	case N_INVERTED:
		if (!adr__value_truthy(lookup(r, t->src + n->a, n->alen)))
			rc = render_range(r, t, *i + 1, n->end, frames);
		break;
	case N_PARTIAL:
		rc = render_included(r, t, n, frames);
		break;
	case N_PARENT: {
		frame f = { t, *i + 1, n->end, frames };
		rc = render_included(r, t, n, &f);
		break;
	}
	case N_BLOCK:
		rc = render_block(r, t, *i, frames);
		break;
	default:
		break;
	}
	*i = has_children(n) ? n->end : *i + 1;
	return rc;
}

static int render_range(renderer *r, const adr__mustache_template *t, size_t i, size_t end,
			const frame *frames)
{
	int rc = 0;

	if (++r->depth > ADR_MUSTACHE_DEPTH_MAX)
		rc = RERR(ADR_EINVALID, t, i < t->count ? t->nodes[i].pos : t->len,
			  "templates nest too deeply while rendering (more than %d levels)",
			  ADR_MUSTACHE_DEPTH_MAX);
	while (rc == 0 && i < end)
		if ((rc = step(r, t, &t->nodes[i])) == 0)
			rc = render_node(r, t, &i, frames);
	r->depth--;
	return rc;
}

int adr__mustache_render_compiled(adr_buf *out, adr__mustache_template *tmpl,
				 const adr_value *data,
				 adr__mustache_partial_fn partials, void *payload,
				 const adr__mustache_opts *opts)
{
	return adr__mustache_render_contexts(out, tmpl, &data, 1, partials, payload, opts);
}

int adr__mustache_render_contexts(adr_buf *out, adr__mustache_template *tmpl,
				 const adr_value *const *contexts, size_t ncontexts,
				 adr__mustache_partial_fn partials, void *payload,
				 const adr__mustache_opts *opts)
{
	renderer r;
	int rc;

	if (opts && opts->version != ADR_MUSTACHE_OPTS_VERSION)
		return adr__error(ADR_EUSAGE, "unsupported adr__mustache_opts version %u "
				  "(use ADR_MUSTACHE_OPTS_INIT)", opts->version);
	memset(&r, 0, sizeof(r));
	r.out = out;
	r.base = out->size;
	r.root = tmpl;
	r.fn = partials;
	r.payload = payload;
	r.indent = (adr_buf)ADR_BUF_INIT;
	r.flags = opts ? opts->flags : 0;
	r.max_steps = opts && opts->max_steps ? opts->max_steps : ADR_MUSTACHE_STEPS_DEFAULT;
	r.base_fn = opts ? opts->base_lookup : NULL;
	r.base_payload = opts ? opts->base_payload : NULL;
	if (tmpl->ncache && (tmpl->cache_fn != partials || tmpl->cache_payload != payload))
		adr__mustache_template_forget_partials(tmpl);
	tmpl->cache_fn = partials;
	tmpl->cache_payload = payload;

	for (size_t i = 0; i < ncontexts; i++)
		if ((rc = push_ctx(&r, contexts[i])) < 0)
			goto cleanup;
	if ((rc = render_range(&r, tmpl, 0, tmpl->count, NULL)) < 0)
		goto cleanup;
	/* said again: a partial's callback may have cleared the message since */
	if (adr_buf_oom(out) || adr_buf_oom(&r.indent))
		rc = adr__error_oom();
cleanup:
	if (rc < 0)
		adr_buf_truncate(out, r.base);
	free(r.ctx);
	adr_buf_dispose(&r.indent);
	return rc;
}

int adr__mustache_render(adr_buf *out, const char *template_name,
			const char *tmpl, size_t len, const adr_value *data,
			adr__mustache_partial_fn partials, void *payload,
			const adr__mustache_opts *opts)
{
	adr__mustache_template *t = NULL;
	int rc;
	if ((rc = adr__mustache_compile(&t, template_name, tmpl, len)) < 0)
		return rc;
	rc = adr__mustache_render_compiled(out, t, data, partials, payload, opts);
	adr__mustache_template_free(t);
	return rc;
}
