/* log/toc.c: adr-tools' `generate toc` and `generate graph` (see adr/toc.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/toc.h"

static const char *base_name(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;
	return s ? s + 1 : (path ? path : "");
}

/* The title as adr-tools shows it: "N. Title" (kept as is when it already starts with "N. "). */
static void put_title(adr_buf *out, const adr_record *r)
{
	const char *t = r->title ? r->title : "";
	size_t d = 0;
	while (t[d] >= '0' && t[d] <= '9')
		d++;
	if (r->number >= 0 && !(d && t[d] == '.' && t[d + 1] == ' '))
		adr_buf_printf(out, "%d. ", r->number);
	adr_buf_puts(out, t);
}

/* Link text: `[`, `]` and `\` would end or change the link, a line break
 * the list item; they are escaped (a line break becomes a space). */
static void put_link_text(adr_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r') {
			adr_buf_putc(out, ' ');
			continue;
		}
		if (*s == '[' || *s == ']' || *s == '\\')
			adr_buf_putc(out, '\\');
		adr_buf_putc(out, *s);
	}
}

/* A link destination: what would end it or be read as an escape is
 * percent-encoded (spaces, controls, line breaks, `<>()%\`). */
static void put_link_target(adr_buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *u = (const unsigned char *)s; *u; u++) {
		if (*u <= 0x20 || *u == 0x7F || strchr("<>()%\\", *u)) {
			char e[3] = { '%', hex[*u >> 4], hex[*u & 15] };
			adr_buf_put(out, e, 3);
		} else {
			adr_buf_putc(out, (char)*u);
		}
	}
}

static void put_text_block(adr_buf *out, const char *text)
{
	size_t n = strlen(text);
	adr_buf_puts(out, text);
	if (n && text[n - 1] != '\n')
		adr_buf_putc(out, '\n');
}

int adr_toc_write(adr_buf *out, const adr_recordset *set, const char *intro, const char *outro,
		  const char *prefix)
{
	bool oom = false;
	adr_buf_puts(out, "# Architecture Decision Records\n\n");
	if (intro) {
		put_text_block(out, intro);
		adr_buf_putc(out, '\n');
	}
	for (size_t i = 0; i < set->count; i++) {
		const adr_record *r = set->items[i];
		adr_buf t = ADR_BUF_INIT;
		put_title(&t, r);
		adr_buf_puts(out, "* [");
		put_link_text(out, t.ptr);
		adr_buf_printf(out, "](%s", prefix ? prefix : "");
		put_link_target(out, base_name(r->path));
		adr_buf_puts(out, ")\n");
		oom |= adr_buf_oom(&t);
		adr_buf_dispose(&t);
	}
	if (outro) {
		adr_buf_putc(out, '\n');
		put_text_block(out, outro);
	}
	return oom || adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* A dot string: quotes and backslashes escaped, newlines dropped. */
static void put_dot(adr_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			adr_buf_putc(out, '\\');
		if (*s == '\n' || *s == '\r')
			continue;
		adr_buf_putc(out, *s);
	}
}

static void put_label(adr_buf *out, const char *type)
{
	/* "amends" -> "Amends", "relates-to" -> "Relates to" */
	for (const char *p = type; *p; p++) {
		char c = *p == '-' ? ' ' : *p;
		if (p == type && c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == '"' || c == '\\')
			adr_buf_putc(out, '\\');
		adr_buf_putc(out, c);
	}
}

/* Whether the set (`sorted`: by number, as adr_repo_records gives it) has record n. */
static bool exists(const adr_recordset *set, bool sorted, int n)
{
	size_t lo = 0, hi = set->count;
	if (!sorted) {
		for (size_t i = 0; i < set->count; i++)
			if (set->items[i]->number == n)
				return true;
		return false;
	}
	while (lo < hi) { /* 10,000 records with links: a scan per link was quadratic */
		size_t mid = lo + (hi - lo) / 2;
		if (set->items[mid]->number < n)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < set->count && set->items[lo]->number == n;
}

int adr_graph_write(adr_buf *out, const adr_recordset *set, const char *prefix, const char *ext)
{
	int last = -1;
	bool have_last = false, sorted = true;
	adr_buf_puts(out, "digraph {\n  node [shape=plaintext];\n  subgraph {\n");
	for (size_t i = 0; i < set->count; i++) {
		const adr_record *r = set->items[i];
		const char *b = base_name(r->path);
		size_t bn = strlen(b);
		if (r->number < 0)
			continue;
		if (bn >= 3 && !strcmp(b + bn - 3, ".md"))
			bn -= 3;
		adr_buf_printf(out, "    _%d [label=\"", r->number);
		{
			adr_buf t = ADR_BUF_INIT;
			put_title(&t, r);
			put_dot(out, t.ptr);
			adr_buf_dispose(&t);
		}
		adr_buf_puts(out, "\"; URL=\"");
		put_dot(out, prefix ? prefix : "");
		adr_buf_put(out, b, bn);
		put_dot(out, ext ? ext : ".html");
		adr_buf_puts(out, "\"];\n");
		if (have_last)
			adr_buf_printf(out, "    _%d -> _%d [style=\"dotted\", weight=1];\n", last, r->number);
		last = r->number;
		have_last = true;
	}
	adr_buf_puts(out, "  }\n");
	for (size_t i = 1; i < set->count; i++)
		sorted = sorted && set->items[i - 1]->number <= set->items[i]->number;
	for (size_t i = 0; i < set->count; i++) {
		const adr_record *r = set->items[i];
		if (r->number < 0)
			continue;
		for (size_t k = 0; k < r->supersedes.count; k++)
			if (exists(set, sorted, r->supersedes.items[k]))
				adr_buf_printf(out, "  _%d -> _%d [label=\"Supersedes\", weight=0]\n", r->number,
					       r->supersedes.items[k]);
		for (size_t k = 0; k < r->nlinks; k++) {
			size_t tl = strlen(r->links[k].type);
			if ((tl >= 3 && !strcmp(r->links[k].type + tl - 3, "-by")) || !exists(set, sorted, r->links[k].target))
				continue;
			adr_buf_printf(out, "  _%d -> _%d [label=\"", r->number, r->links[k].target);
			put_label(out, r->links[k].type);
			adr_buf_puts(out, "\", weight=0]\n");
		}
	}
	adr_buf_puts(out, "}\n");
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}
