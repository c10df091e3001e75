/*
 * text/mustache.h: a Mustache template engine (spec v1.4: comments,
 * delimiters, interpolation, sections, inverted sections, partials and
 * ~inheritance (parents and blocks); no lambdas, no dynamic names).
 *
 * Data is an adr_value tree. Names resolve as the spec says: `.` is the top
 * of the context stack; `a.b.c` finds `a` in the nearest map on the stack
 * that has it, then looks up `b` and `c` in that value only. A section is
 * skipped for a false value (see adr__value_truthy(): missing, null, false,
 * "" and [] are false), repeated for each item of a list, and rendered once
 * with the value pushed on the stack otherwise. Interpolation writes
 * strings, numbers (adr__value_number_format(): 85 -> "85", 1.5 -> "1.5")
 * and booleans ("true", "false"); null, missing values, lists and maps
 * write nothing. `{{x}}` escapes & " < > and ' (as &amp; &quot; &lt; &gt;
 * &#39;); ADR_MUSTACHE_SPEC_ESCAPE leaves ' alone, as the spec requires
 * only the first four. `{{{x}}}` and `{{&x}}` write the value as is. A
 * value is written once: text in data is never read as a template.
 *
 * Partials and parents come from a callback, by name. A partial that is
 * not found renders as nothing, or is an ADR_ENOTFOUND error with
 * ADR_MUSTACHE_STRICT. Standalone partial and parent tags indent every
 * line of what they include (not the lines inside interpolated values);
 * blocks are re-indented at the place they are expanded. Blank lines get
 * no indentation. Besides single tags alone on a line, a line holding a
 * parent tag with block tags (`{{<page}}{{$body}}`) is standalone too.
 * Parent arguments come from the outermost parent that gives one, and
 * text inside a parent tag outside its blocks is ignored, as the spec
 * says.
 *
 * Limits: sections, parents and blocks nest at most
 * ADR_MUSTACHE_NESTING_MAX deep in one template; partials and parents nest
 * at most ADR_MUSTACHE_PARTIAL_DEPTH_MAX deep at render time (the error is
 * "partial recursion too deep"); sections, partials, parents and blocks
 * being rendered inside each other (all templates together) are at most
 * ADR_MUSTACHE_DEPTH_MAX deep; a render visits at most `max_steps`
 * template nodes (ADR_MUSTACHE_STEPS_DEFAULT when 0), which bounds the time
 * a hostile template can take. Every limit is an ADR_EINVALID error.
 *
 * Errors in templates are ADR_EINVALID with the message
 * `name:line:col: what` (column in characters from 1): unclosed tag,
 * unclosed section, closing tag without or with another opening tag, empty
 * or malformed tag name, malformed set-delimiter tag. An error in a
 * partial names the partial and is prefixed with the place it was
 * included from.
 *
 * Ownership: adr__mustache_compile() gives the caller a template to free
 * with adr__mustache_template_free(); it keeps its own copy of the source
 * and name. Rendering appends to `out`; on error `out` is cut back to the
 * size it had. The data tree and the partial sources are borrowed for the
 * duration of the call.
 *
 * Thread safety: a template caches the partials it compiles (see
 * adr__mustache_render_compiled()), so one template object must not be
 * rendered by two threads at once.
 */
#ifndef ADR_MUSTACHE_H
#define ADR_MUSTACHE_H

#include "adr/common.h"
#include "text/value.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ADR_MUSTACHE_NESTING_MAX 100
#define ADR_MUSTACHE_PARTIAL_DEPTH_MAX 64
#define ADR_MUSTACHE_DEPTH_MAX 1024
#define ADR_MUSTACHE_STEPS_DEFAULT ((size_t)1 << 26)

enum {
	/* A missing partial or parent is an ADR_ENOTFOUND error. */
	ADR_MUSTACHE_STRICT = 1u << 0,
	/* Escape only & " < > (the spec's minimum); by default ' is escaped too. */
	ADR_MUSTACHE_SPEC_ESCAPE = 1u << 1
};

/*
 * Told of every name whose first part was not found in any context above
 * the bottom one (adr__mustache_render_contexts): one it was found in, or
 * none. With the whole name ("site.title"), as written in the template.
 * What a render shows then depends on the contexts above the bottom and
 * on the bottom one only through these names (site/pagecache.c).
 */
typedef void (*adr__mustache_base_fn)(const char *name, size_t len, void *payload);

/* Start from ADR_MUSTACHE_OPTS_INIT; another `version` is ADR_EUSAGE. */
typedef struct {
	unsigned int version;
	unsigned int flags;     /* ADR_MUSTACHE_* */
	size_t max_steps;       /* 0: ADR_MUSTACHE_STEPS_DEFAULT */
	adr__mustache_base_fn base_lookup; /* NULL, or see above */
	void *base_payload;
} adr__mustache_opts;

#define ADR_MUSTACHE_OPTS_VERSION 1
#define ADR_MUSTACHE_OPTS_INIT { ADR_MUSTACHE_OPTS_VERSION, 0, 0, NULL, NULL }

/*
 * Finds the source of the partial (or parent) `name`. Returns 0 and sets
 * *src and *len (borrowed: the engine copies the source before it does
 * anything else), ADR_ENOTFOUND when there is no such partial, or another
 * negative code (with the last error set) to stop the render with it.
 */
typedef int (*adr__mustache_partial_fn)(const char **src, size_t *len,
				       const char *name, void *payload);

typedef struct adr__mustache_template adr__mustache_template;

/* Parses `len` bytes of `src`; `name` is used in error messages. */
int adr__mustache_compile(adr__mustache_template **out, const char *name,
			 const char *src, size_t len);

/*
 * Renders `tmpl` with `data` (may be NULL: an empty context) and appends
 * the result to `out`. `partials` may be NULL (every partial is missing);
 * `opts` may be NULL (defaults).
 *
 * Partials are compiled on first use and cached in `tmpl` for later
 * renders, which is what makes rendering one template many times cheap.
 * The cache is dropped whenever the render is given a different callback
 * or payload; the callback must otherwise return the same source for the
 * same name during the life of `tmpl` (call
 * adr__mustache_template_forget_partials() after changing them).
 */
int adr__mustache_render_compiled(adr_buf *out, adr__mustache_template *tmpl,
				 const adr_value *data,
				 adr__mustache_partial_fn partials, void *payload,
				 const adr__mustache_opts *opts);

/*
 * Like adr__mustache_render_compiled() with several values on the context
 * stack: contexts[0] at the bottom (say, site-wide data), contexts[n - 1]
 * on top (say, one record), so a name not found in the top value is looked
 * up in the ones below without building a combined tree.
 */
int adr__mustache_render_contexts(adr_buf *out, adr__mustache_template *tmpl,
				 const adr_value *const *contexts, size_t ncontexts,
				 adr__mustache_partial_fn partials, void *payload,
				 const adr__mustache_opts *opts);

/* Compile, render once, free. */
int adr__mustache_render(adr_buf *out, const char *template_name,
			const char *tmpl, size_t len, const adr_value *data,
			adr__mustache_partial_fn partials, void *payload,
			const adr__mustache_opts *opts);

/* Drops the partials cached in `tmpl`. */
void adr__mustache_template_forget_partials(adr__mustache_template *tmpl);
void adr__mustache_template_free(adr__mustache_template *tmpl);
/* The name given to adr__mustache_compile(). */
const char *adr__mustache_template_name(const adr__mustache_template *tmpl);

/* Appends `s` HTML-escaped exactly as `{{x}}` does (`flags`:
 * ADR_MUSTACHE_SPEC_ESCAPE or 0). */
int adr__mustache_escape(adr_buf *out, const char *s, size_t len, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
