/*
 * legacy.c: reading the metadata that older formats keep in the body (see
 * record/legacy.h); legacy_words.c reads the words (statuses, relations,
 * references, dates), legacy_apply.c moves what was read into a record.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "record/legacy.h"
#include "text/md_outline.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strlistf.h"

typedef struct {
	const char *s;   /* line start (in body) */
	size_t n;        /* length without the line ending */
	size_t next;     /* offset of the next line */
} line_t;

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void trim(const char **s, size_t *n)
{
	while (*n && (is_space(**s) || **s == '\r'))
		(*s)++, (*n)--;
	while (*n && (is_space((*s)[*n - 1]) || (*s)[*n - 1] == '\r'))
		(*n)--;
}

static bool blank(const char *s, size_t n)
{
	trim(&s, &n);
	return n == 0;
}

/* Reads up to `max` digits; returns the count. */
static size_t digits(const char *s, size_t n, size_t max, int *v)
{
	size_t i = 0;
	*v = 0;
	while (i < n && i < max && is_digit(s[i]))
		*v = *v * 10 + (s[i++] - '0');
	return i;
}

/* --- the reader ------------------------------------------------------------ */

typedef struct {
	adr_legacy *l;
	const char *path;
	const char *body;
	int body_line;
	bool status_set;
	adr_date_order order;
	const adr__md_outline *outline;
	const int *head_at;   /* per body line: the outline heading that starts there, or -1 */
	const bool *in_block; /* per body line: inside a code or HTML block */
} reader;

static int span_add(adr_legacy *l, size_t start, size_t end)
{
	adr__legacy_span *s = adr__reallocarray(l->spans, l->nspans + 1, sizeof(*s));
	ADR_ALLOC_CHECK(s);
	l->spans = s;
	s[l->nspans].start = start;
	s[l->nspans].end = end;
	l->nspans++;
	return 0;
}

static int link_add(adr_legacy *l, const char *type, size_t tn, const char *target, size_t n, int line)
{
	adr__legacy_link *k = adr__reallocarray(l->links, l->nlinks + 1, sizeof(*k));
	char *t, *g;
	size_t w = 0;
	ADR_ALLOC_CHECK(k);
	l->links = k;
	t = adr__malloc(tn + 1);
	g = t ? adr__strndup(target, n) : NULL;
	if (!g) {
		free(t);
		return ADR_ENOMEM;
	}
	/* "Superceded by" -> "superseded-by" */
	for (size_t i = 0; i < tn; i++) {
		char c = type[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if (is_space(c)) {
			if (w && t[w - 1] != '-')
				t[w++] = '-';
			continue;
		}
		t[w++] = c;
	}
	while (w && t[w - 1] == '-')
		w--;
	t[w] = '\0';
	if (strncmp(t, "superceded", 10) == 0)
		memcpy(t, "superseded", 10);
	if (strncmp(t, "supercedes", 10) == 0)
		memcpy(t, "supersedes", 10);
	k[l->nlinks].type = t;
	k[l->nlinks].target = g;
	k[l->nlinks].line = line;
	k[l->nlinks].in_body = false;
	k[l->nlinks].number = -1;
	l->nlinks++;
	return 0;
}

/* --- decorated status lines --------------------------------------------------- */

/*
 * A decorated status line: `✅ Accepted`, `❌ Rejected (see [0019](0019-x.md))`,
 * `⌛️ Superseded by [0036. Title](0036-title.md)`, `Amended by ADR-12`.
 * *handled: a status word leads the line or a relation with a reference is
 * in it; *only: nothing else is (no remark).
 */
static int decorated_line(reader *rd, const char *s, size_t n, int line, int col, bool *handled, bool *only)
{
	adr_legacy *l = rd->l;
	adr__legacy_line lr;
	size_t ws, we;
	adr_status st;
	int rc;

	*handled = *only = false;
	trim(&s, &n);
	if (!n || n > 400)
		return 0;
	st = adr__legacy_status_lead(s, n, false, &ws, &we);
	adr__legacy_line_read(&lr, s, n);
	if (!st && !lr.nrefs)
		return 0;
	*handled = true;
	for (size_t k = 0; k < lr.nrefs; k++) {
		const adr__legacy_lineref *ref = &lr.refs[k];
		if ((rc = link_add(l, ref->type, strlen(ref->type), ref->target, ref->tn, line)) < 0)
			return rc;
		l->links[l->nlinks - 1].number = ref->number;
	}
	*only = adr__legacy_line_only(&lr, s, n, st ? ws : 0, st ? we : 0);
	if (lr.superseded)
		st = ADR_STATUS_SUPERSEDED;
	if (!st)
		return 0;
	free(l->status_word);
	/* the word as written, or the whole line when it is decorated */
	if (*only && ws == 0 && we > ws)
		l->status_word = adr__strndup(s + ws, we - ws);
	else
		l->status_word = adr__strndup(s, n > 200 ? 200 : n);
	if (!l->status_word)
		return ADR_ENOMEM;
	l->status = st;
	l->status_line = line;
	rd->status_set = true;
	if (!*only)
		return adr__strlist_addf(&l->unmapped, "%s:%d:%d: the status line has a remark; it stays in the body",
				       rd->path, line, col);
	return 0;
}

static int set_status(reader *rd, const char *w, size_t n, int line, int col, bool *mapped)
{
	adr_legacy *l = rd->l;
	adr_status st;
	trim(&w, &n);
	st = adr__legacy_status(w, n);
	if (st == ADR_STATUS_NONE) { /* a table cell "✅ Accepted" */
		size_t a, b;
		adr_status lead = adr__legacy_status_lead(w, n, false, &a, &b);
		if (lead && adr__legacy_only_symbols(w, a) && adr__legacy_only_symbols(w + b, n - b))
			st = lead;
	}
	free(l->status_word);
	if (!(l->status_word = adr__strndup(w, n)))
		return ADR_ENOMEM;
	l->status = st;
	l->status_line = line;
	rd->status_set = true;
	*mapped = st != ADR_STATUS_NONE;
	if (!*mapped)
		return adr__strlist_addf(&l->unmapped, "%s:%d:%d: status '%s' is not one of proposed, accepted, rejected, "
						 "deprecated, superseded; kept in the body",
			       rd->path, line, col, l->status_word);
	return 0;
}

/* "Superseded by [..](..)" as the status. */
static int set_superseded(reader *rd, int line)
{
	adr_legacy *l = rd->l;
	l->status = ADR_STATUS_SUPERSEDED;
	free(l->status_word);
	l->status_line = line;
	rd->status_set = true;
	l->status_word = adr__strdup("superseded");
	return l->status_word ? 0 : ADR_ENOMEM;
}

static int set_date(reader *rd, const char *v, size_t n, int line, int col, bool *mapped)
{
	char d[11];
	int rc;
	trim(&v, &n);
	rc = adr__legacy_date_order(d, v, n, rd->order);
	*mapped = false;
	if (rc == 0) {
		memcpy(rd->l->date, d, 11);
		rd->l->date_line = line;
		*mapped = true;
		return 0;
	}
	if (rc == ADR_EAMBIGUOUS)
		return adr__strlist_addf(&rd->l->warnings, "%s:%d:%d: ambiguous date '%.*s' (day/month or month/day?); "
						 "write it as YYYY-MM-DD",
			       rd->path, line, col, (int)n, v);
	if (memchr(v, '{', n) || memchr(v, '[', n) || memchr(v, '<', n) || (n >= 4 && strstr(v, "YYYY")))
		return adr__strlist_addf(&rd->l->warnings, "%s:%d:%d: placeholder date '%.*s'", rd->path, line, col,
			       (int)n, v);
	return adr__strlist_addf(&rd->l->warnings, "%s:%d:%d: '%.*s' is not a date", rd->path, line, col, (int)n, v);
}

static int split_list(adr_strlist *out, const char *v, size_t n)
{
	int rc = 0;
	while (n) {
		const char *c = memchr(v, ',', n);
		size_t k = c ? (size_t)(c - v) : n;
		const char *it = v;
		size_t itn = k;
		trim(&it, &itn);
		if (itn && (rc = adr_strlist_addn(out, it, itn)) < 0)
			return rc;
		if (!c)
			break;
		v += k + 1;
		n -= k + 1;
	}
	return rc;
}

/*
 * Relation links in a line: `Verb words [text](target)`, possibly several.
 * Returns the number found; *rest_blank tells whether only links were there.
 */
static int read_links(reader *rd, const char *s, size_t n, int line, int *found, bool *only_links,
		      bool *superseded)
{
	size_t i = 0, verb_start = 0;
	int rc;
	*found = 0;
	*only_links = true;
	*superseded = false;
	while (i < n) {
		const char *ob = memchr(s + i, '[', n - i), *cb, *op, *cp;
		const char *verb;
		size_t vn;
		if (!ob)
			break;
		cb = memchr(ob, ']', (size_t)(s + n - ob));
		if (!cb || cb + 1 >= s + n || cb[1] != '(')
			break;
		op = cb + 1;
		cp = memchr(op, ')', (size_t)(s + n - op));
		if (!cp)
			break;
		verb = s + verb_start;
		vn = (size_t)(ob - verb);
		trim(&verb, &vn);
		while (vn && (verb[vn - 1] == ':' || verb[vn - 1] == ','))
			vn--;
		while (vn && (verb[0] == ',' || verb[0] == ';' || is_space(verb[0])))
			verb++, vn--;
		if (vn > 40) {
			*only_links = false;
			break;
		}
		{
			const char *tgt = op + 1;
			size_t tn = (size_t)(cp - tgt);
			trim(&tgt, &tn);
			if (vn == 0 && rd->l->nlinks && *found) {
				const char *pt = rd->l->links[rd->l->nlinks - 1].type;
				rc = link_add(rd->l, pt, strlen(pt), tgt, tn, line);
			} else {
				rc = link_add(rd->l, vn ? verb : "links-to", vn ? vn : 8, tgt, tn, line);
			}
			if (rc < 0)
				return rc;
			if (strcmp(rd->l->links[rd->l->nlinks - 1].type, "superseded-by") == 0)
				*superseded = true;
		}
		(*found)++;
		i = (size_t)(cp - s) + 1;
		verb_start = i;
	}
	if (*found && !blank(s + verb_start, n - verb_start))
		*only_links = false;
	return 0;
}

static bool key_is(const char *k, size_t n, const char *const *names)
{
	for (; *names; names++)
		if (strlen(*names) == n && strncasecmp(*names, k, n) == 0)
			return true;
	return false;
}

static const char *const status_keys[] = { "status", "状态", "狀態", "statut", "estado", "stato", NULL };
static const char *const date_keys[] = { "date", "日期", "datum", "fecha", "data", "created", NULL };
static const char *const decider_keys[] = { "deciders", "decision-makers", "decision makers", "决策者", NULL };
static const char *const tag_keys[] = { "tags", "标签", NULL };

/* "key: value" with ':' or the full-width '：'. */
static bool split_kv(const char *s, size_t n, const char **k, size_t *kn, const char **v, size_t *vn)
{
	for (size_t i = 0; i < n; i++) {
		size_t sep = 0;
		if (s[i] == ':')
			sep = 1;
		else if (i + 3 <= n && !memcmp(s + i, "\xEF\xBC\x9A", 3))
			sep = 3;
		if (!sep)
			continue;
		*k = s;
		*kn = i;
		trim(k, kn);
		*v = s + i + sep;
		*vn = n - i - sep;
		trim(v, vn);
		return *kn > 0 && *kn <= 24;
	}
	return false;
}

/* One preamble line: `Date: x`, `* Status: y`, ... Sets *mapped when wholly understood. */
static int preamble_line(reader *rd, const line_t *ln, int line, bool *mapped)
{
	const char *s = ln->s, *k, *v;
	size_t n = ln->n, kn, vn;
	bool bullet = false;
	int rc, col;

	*mapped = false;
	trim(&s, &n);
	if (n >= 2 && (s[0] == '*' || s[0] == '-' || s[0] == '+') && is_space(s[1])) {
		s += 2, n -= 2;
		trim(&s, &n);
		bullet = true;
	}
	/* **Status:** accepted */
	if (n > 4 && s[0] == '*' && s[1] == '*') {
		s += 2, n -= 2;
	}
	if (!split_kv(s, n, &k, &kn, &v, &vn))
		return 0;
	if (kn >= 2 && k[kn - 1] == '*' && k[kn - 2] == '*')
		kn -= 2;
	if (vn >= 2 && v[0] == '*' && v[1] == '*')
		v += 2, vn -= 2;
	col = (int)(v - ln->s) + 1;
	if (key_is(k, kn, status_keys)) {
		int found;
		bool only, sup, handled;
		if ((rc = decorated_line(rd, v, vn, line, col, &handled, &only)) < 0)
			return rc;
		if (handled) {
			*mapped = only;
			return 0;
		}
		if ((rc = read_links(rd, v, vn, line, &found, &only, &sup)) < 0)
			return rc;
		if (found) {
			/* "superseded by [x](y)" */
			size_t wn = (size_t)((const char *)memchr(v, '[', vn) - v);
			bool m;
			if (sup) {
				*mapped = only;
				return set_superseded(rd, line);
			}
			if ((rc = set_status(rd, v, wn, line, col, &m)) < 0)
				return rc;
			*mapped = false;
			return 0;
		}
		return set_status(rd, v, vn, line, col, mapped);
	}
	if (key_is(k, kn, date_keys) && (bullet || !key_is(k, kn, (const char *const[]){ "created", NULL })))
		return set_date(rd, v, vn, line, col, mapped);
	if (bullet && key_is(k, kn, decider_keys)) {
		if (memchr(v, '[', vn) || memchr(v, '{', vn))
			return adr__strlist_addf(&rd->l->unmapped, "%s:%d:%d: deciders '%.*s' look like a placeholder; kept in "
							 "the body", rd->path, line, col, (int)vn, v);
		*mapped = true;
		return split_list(&rd->l->deciders, v, vn);
	}
	if (bullet && key_is(k, kn, tag_keys)) {
		*mapped = true;
		return split_list(&rd->l->tags, v, vn);
	}
	if (bullet)
		return adr__strlist_addf(&rd->l->unmapped, "%s:%d:1: '%.*s' has no front matter field; kept in the body",
			       rd->path, line, (int)kn, k);
	return 0;
}

/* Splits a table row into cells (at most 8). */
static size_t table_cells(const char *s, size_t n, const char **cell, size_t *cn)
{
	size_t count = 0, i = 0;
	trim(&s, &n);
	if (!n || s[0] != '|')
		return 0;
	i = 1;
	while (i < n && count < 8) {
		const char *c = s + i;
		const char *bar = memchr(c, '|', n - i);
		size_t len = bar ? (size_t)(bar - c) : n - i;
		const char *t = c;
		size_t tn = len;
		trim(&t, &tn);
		if (!bar && !tn)
			break;
		cell[count] = t;
		cn[count] = tn;
		count++;
		i += len + 1;
	}
	return count;
}

static int backstage_table(reader *rd, const line_t *lines, size_t nlines, size_t at, size_t *used)
{
	const char *hc[8], *vc[8];
	size_t hn[8], vnn[8], h, v;
	int rc;
	bool all = true;
	*used = 0;
	if (at + 2 >= nlines)
		return 0;
	h = table_cells(lines[at].s, lines[at].n, hc, hn);
	if (!h || table_cells(lines[at + 1].s, lines[at + 1].n, vc, vnn) != h || !memchr(lines[at + 1].s, '-', lines[at + 1].n))
		return 0;
	v = table_cells(lines[at + 2].s, lines[at + 2].n, vc, vnn);
	if (v != h)
		return 0;
	for (size_t i = 0; i < h; i++) {
		bool m = false;
		int line = rd->body_line + (int)at + 2;
		int col = (int)(vc[i] - lines[at + 2].s) + 1;
		if (key_is(hc[i], hn[i], status_keys))
			rc = set_status(rd, vc[i], vnn[i], line, col, &m);
		else if (key_is(hc[i], hn[i], date_keys))
			rc = set_date(rd, vc[i], vnn[i], line, col, &m);
		else
			rc = 0;
		if (rc < 0)
			return rc;
		all = all && m;
	}
	rd->l->found = true;
	*used = all ? 3 : 0;
	return 0;
}

/* A legend of the status words, "列表：提议/通过/完成/已弃用/已取代": template noise. */
static bool status_legend(const char *s, size_t n)
{
	const char *k, *v;
	size_t kn, vn;
	if (!split_kv(s, n, &k, &kn, &v, &vn) || !memchr(v, '/', vn))
		return false;
	while (vn) {
		const char *sl = memchr(v, '/', vn);
		size_t w = sl ? (size_t)(sl - v) : vn;
		if (adr__legacy_status(v, w) == ADR_STATUS_NONE)
			return false;
		if (!sl)
			break;
		v += w + 1;
		vn -= w + 1;
	}
	return true;
}

static const char *const links_keys[] = { "links", "related", "related decisions", "链接", "相关", NULL };

/* A `## Links` section (MADR 2, log4brains): `* Supersedes [..](..)` bullets. Kept in the body. */
static int links_section(reader *rd, const line_t *lines, size_t from, size_t to)
{
	int rc;
	for (size_t i = from; i < to; i++) {
		const char *s = lines[i].s;
		size_t n = lines[i].n, before = rd->l->nlinks;
		int found;
		bool only, sup;
		trim(&s, &n);
		if (rd->in_block[i])
			continue;
		if (n < 2 || !((s[0] == '*' || s[0] == '-' || s[0] == '+') && is_space(s[1])))
			continue;
		s += 2, n -= 2;
		trim(&s, &n);
		if (!n || s[0] == '[') /* a bare link names no relation */
			continue;
		if ((rc = read_links(rd, s, n, rd->body_line + (int)i, &found, &only, &sup)) < 0)
			return rc;
		for (size_t k = before; k < rd->l->nlinks; k++)
			rd->l->links[k].in_body = true;
	}
	return 0;
}

/* The `## Status` section: lines [from, to). */
static int status_section(reader *rd, const line_t *lines, size_t from, size_t to)
{
	bool all = true;
	int rc;
	for (size_t i = from; i < to; i++) {
		const char *s = lines[i].s;
		size_t n = lines[i].n;
		int line = rd->body_line + (int)i;
		int found;
		bool only, sup, m = false;
		char d[11];
		bool handled;
		trim(&s, &n);
		if (!n || rd->in_block[i])
			continue;
		if ((rc = decorated_line(rd, s, n, line, (int)(s - lines[i].s) + 1, &handled, &only)) < 0)
			return rc;
		if (handled) {
			all = all && only;
			continue;
		}
		if ((rc = read_links(rd, s, n, line, &found, &only, &sup)) < 0)
			return rc;
		if (found) {
			if (sup && (rc = set_superseded(rd, line)) < 0)
				return rc;
			if (!only) {
				all = false;
				if ((rc = adr__strlist_addf(&rd->l->unmapped, "%s:%d:1: '%.*s' is only partly understood; kept in "
								    "the body", rd->path, line, (int)n, s)) < 0)
					return rc;
			}
			continue;
		}
		/* a status log entry: "2017-11-22 提议" */
		{
			size_t k = 0;
			while (k < n && !is_space(s[k]))
				k++;
			if (k < n && adr__legacy_date(d, s, k) == 0) {
				const char *w = s + k;
				size_t wn = n - k;
				trim(&w, &wn);
				if ((rc = set_status(rd, w, wn, line, (int)(w - lines[i].s) + 1, &m)) < 0)
					return rc;
				all = all && m;
				continue;
			}
		}
		/* one or two words: a status */
		if (n <= 40 && !memchr(s, ':', n) && !memchr(s, '/', n) && !memchr(s, '.', n - 1 > 0 ? n - 1 : 0)) {
			if ((rc = set_status(rd, s, n, line, (int)(s - lines[i].s) + 1, &m)) < 0)
				return rc;
			all = all && m;
			continue;
		}
		if (status_legend(s, n))
			continue;
		all = false;
		if ((rc = adr__strlist_addf(&rd->l->unmapped, "%s:%d:1: '%.*s' in the status section is not a status; kept in the "
						    "body", rd->path, line, n > 60 ? 60 : (int)n, s)) < 0)
			return rc;
	}
	if (all && rd->status_set)
		return 1;
	return 0;
}

/* The body's lines (without their line endings) into a new array. */
static int split_lines(line_t **out, size_t *count, const char *body, size_t len)
{
	line_t *lines = NULL;
	size_t nlines = 0, alloc = 0, off = 0;
	while (off < len) {
		const char *nl = memchr(body + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - body - off) : len - off;
		if (ADR_ARRAY_GROW(lines, alloc, nlines + 1) < 0) {
			free(lines);
			return ADR_ENOMEM;
		}
		lines[nlines].s = body + off;
		lines[nlines].n = n && body[off + n - 1] == '\r' ? n - 1 : n;
		off += n + (nl ? 1 : 0);
		lines[nlines].next = off;
		nlines++;
	}
	*out = lines;
	*count = nlines;
	return 0;
}

/* The H1 (its number, `# N. Title`) and the preamble up to the first
 * heading; returns the index of the line after them in *at. */
static int read_preamble(reader *rd, const line_t *lines, size_t nlines, size_t *at)
{
	adr_legacy *out = rd->l;
	size_t i = 0;
	int rc;
	while (i < nlines && blank(lines[i].s, lines[i].n))
		i++;
	if (i < nlines && rd->head_at[i] >= 0 && rd->outline->headings[rd->head_at[i]].level == 1) {
		const adr__md_outline_heading *h = &rd->outline->headings[rd->head_at[i]];
		const char *t = h->text;
		size_t tn = strlen(t);
		int v;
		size_t d;
		trim(&t, &tn);
		d = digits(t, tn, 9, &v);
		if (d && d + 1 < tn && t[d] == '.' && is_space(t[d + 1]))
			out->heading_number = v;
		i = (size_t)h->end_line; /* the line after it (lines are 1-based there) */
	}
	for (; i < nlines; i++) {
		size_t used;
		bool mapped;
		if (rd->head_at[i] >= 0)
			break;
		if (rd->in_block[i])
			continue;
		if (lines[i].n && lines[i].s[0] == '|' && i + 2 < nlines) {
			if ((rc = backstage_table(rd, lines, nlines, i, &used)) < 0)
				return rc;
			if (used) {
				size_t start = (size_t)(lines[i].s - rd->body);
				if ((rc = span_add(out, start, lines[i + 2].next)) < 0)
					return rc;
				i += 2;
				continue;
			}
		}
		if ((rc = preamble_line(rd, &lines[i], rd->body_line + (int)i, &mapped)) < 0)
			return rc;
		if (mapped) {
			out->found = true;
			if ((rc = span_add(out, (size_t)(lines[i].s - rd->body), lines[i].next)) < 0)
				return rc;
		}
	}
	*at = i;
	return 0;
}

/* From line `i` on: the status section (the first one), and `## Links` sections. */
static int read_sections(reader *rd, const line_t *lines, size_t nlines, size_t i, size_t len)
{
	adr_legacy *out = rd->l;
	int rc;
	for (bool status_done = false; i < nlines; i++) {
		const adr__md_outline_heading *h;
		size_t tn, end, from;
		bool is_status, is_links;
		if (rd->head_at[i] < 0)
			continue;
		h = &rd->outline->headings[rd->head_at[i]];
		tn = strlen(h->text);
		is_status = h->level >= 2 && !status_done && key_is(h->text, tn, status_keys);
		is_links = h->level >= 2 && key_is(h->text, tn, links_keys);
		if (!is_status && !is_links)
			continue;
		from = (size_t)h->end_line < nlines ? (size_t)h->end_line : nlines;
		for (end = from; end < nlines && rd->head_at[end] < 0; end++)
			;
		if (is_links) {
			if ((rc = links_section(rd, lines, from, end)) < 0)
				return rc;
			i = end - 1;
			continue;
		}
		status_done = true;
		out->found = true;
		if ((rc = status_section(rd, lines, from, end)) < 0)
			return rc;
		if (rc == 1 && (rc = span_add(out, (size_t)(lines[i].s - rd->body),
					      end < nlines ? (size_t)(lines[end].s - rd->body) : len)) < 0)
			return rc;
		i = end - 1;
	}
	return 0;
}

/* Per line: the heading that starts there and whether it is inside a block. */
static int index_lines(int **head_at, bool **in_block, const adr__md_outline *o, size_t nlines)
{
	*head_at = adr__calloc(nlines + 1, sizeof(**head_at));
	*in_block = *head_at ? adr__calloc(nlines + 1, sizeof(**in_block)) : NULL;
	if (!*in_block)
		return ADR_ENOMEM;
	for (size_t i = 0; i < nlines; i++)
		(*head_at)[i] = -1;
	for (size_t h = 0; h < o->nheadings; h++)
		if (o->headings[h].line >= 1 && (size_t)o->headings[h].line <= nlines)
			(*head_at)[o->headings[h].line - 1] = (int)h;
	for (size_t b = 0; b < o->nblocks; b++)
		for (int l = o->blocks[b].start; l <= o->blocks[b].end && l >= 1 && (size_t)l <= nlines; l++)
			(*in_block)[l - 1] = true;
	return 0;
}

int adr__legacy_read(adr_legacy *out, const char *path, const char *body, int body_line)
{
	return adr__legacy_read_order(out, path, body, body_line, ADR_DATE_ORDER_NONE);
}

int adr__legacy_read_order(adr_legacy *out, const char *path, const char *body, int body_line,
			   adr_date_order order)
{
	line_t *lines = NULL;
	size_t nlines = 0, len = body ? strlen(body) : 0, i = 0;
	adr__md_outline outline = ADR_MD_OUTLINE_INIT;
	int *head_at = NULL;
	bool *in_block = NULL;
	reader rd;
	int rc;

	memset(out, 0, sizeof(*out));
	out->heading_number = -1;
	rd.l = out;
	rd.path = path ? path : "<input>";
	rd.body = body;
	rd.body_line = body_line > 0 ? body_line : 1;
	rd.status_set = false;
	rd.order = order;
	if ((rc = split_lines(&lines, &nlines, body, len)) < 0)
		return rc;
	if ((rc = adr__md_outline_read(&outline, body ? body : "", len)) < 0 ||
	    (rc = index_lines(&head_at, &in_block, &outline, nlines)) < 0)
		goto cleanup;
	rd.outline = &outline;
	rd.head_at = head_at;
	rd.in_block = in_block;
	if ((rc = read_preamble(&rd, lines, nlines, &i)) < 0 ||
	    (rc = read_sections(&rd, lines, nlines, i, len)) < 0)
		goto cleanup;
	if (out->status || out->status_word || out->date[0] || out->nlinks || out->deciders.count ||
	    out->warnings.count)
		out->found = true;
cleanup:
	free(lines);
	free(head_at);
	free(in_block);
	adr__md_outline_dispose(&outline);
	if (rc < 0)
		adr__legacy_dispose(out);
	return rc < 0 ? rc : 0;
}

void adr__legacy_dispose(adr_legacy *l)
{
	if (!l)
		return;
	free(l->status_word);
	adr_strlist_dispose(&l->deciders);
	adr_strlist_dispose(&l->tags);
	for (size_t i = 0; i < l->nlinks; i++) {
		free(l->links[i].type);
		free(l->links[i].target);
	}
	free(l->links);
	adr_strlist_dispose(&l->warnings);
	adr_strlist_dispose(&l->unmapped);
	free(l->spans);
	memset(l, 0, sizeof(*l));
	l->heading_number = -1;
}
