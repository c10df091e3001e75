/*
 * parse.c: reading a record (adr_record_parse): the checks on the whole
 * text (size, NUL bytes, UTF-8), the front matter split off and parsed
 * (text/yaml.h), each known field read into the record (strict, or lenient
 * with warnings), and every entry kept as read for write.c's faithful
 * rewrite. The title comes from the body (title.c) or the `title` key.
 */
#include "adr/record.h"
#include "text/yaml.h"
#include "record/legacy.h"
#include "record/record_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strlistf.h"
#include "util/utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line and column (1-based, in characters; a leading BOM is not counted). */
static void text_pos(const char *data, size_t off, int *line, int *col)
{
	size_t i = 0;
	int l = 1, c = 1;
	if (off >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		i = 3;
	for (; i < off; i++) {
		if (data[i] == '\n') {
			l++;
			c = 1;
		} else if (((unsigned char)data[i] & 0xC0) != 0x80) {
			c++;
		}
	}
	*line = l;
	*col = c;
}

/* NUL bytes and invalid UTF-8 are errors anywhere in a record. */
static int check_text(const char *path, const char *data, size_t len)
{
	const unsigned char *u = (const unsigned char *)data;
	int line, col;
	for (size_t i = 0; i < len;) {
		size_t k;
		uint64_t w;
		/* eight ASCII bytes, none NUL, at a time */
		if (len - i >= 8) {
			memcpy(&w, u + i, 8);
			if (!(w & 0x8080808080808080u) && !((w - 0x0101010101010101u) & ~w & 0x8080808080808080u)) {
				i += 8;
				continue;
			}
		}
		if (u[i] == 0) {
			text_pos(data, i, &line, &col);
			return adr__error(ADR_EINVALID, "%s:%d:%d: NUL byte", path, line, col);
		}
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		k = adr__utf8_decode(u + i, len - i, NULL);
		if (!k) {
			text_pos(data, i, &line, &col);
			return adr__error(ADR_EINVALID, "%s:%d:%d: invalid UTF-8 (byte 0x%02x)", path,
					  line, col, u[i]);
		}
		i += k;
	}
	return 0;
}

typedef struct {
	const char *path;
	bool lenient;
	adr_record *r;
} parse_ctx;

static int problem(parse_ctx *pc, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* A schema problem: an error, or with ADR_PARSE_LENIENT a warning (returns 0). */
static int problem(parse_ctx *pc, int line, int col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!pc->lenient)
		return adr__error(ADR_EINVALID, "%s:%d:%d: %s", pc->path, line, col, msg);
	return adr__strlist_addf(&pc->r->warnings, "%s:%d:%d: %s", pc->path, line, col, msg);
}

static const char *kind_name(const adr__yaml_node *v)
{
	return v->kind == ADR_YAML_MAP ? "a mapping" : v->kind == ADR_YAML_SEQ ? "a list" : "a scalar";
}

/* Trimmed copy of a scalar into a small buffer (NULL when it does not fit). */
static const char *trimmed(const char *s, char *buf, size_t size)
{
	size_t n;
	while (adr__record_is_space(*s))
		s++;
	n = strlen(s);
	while (n && adr__record_is_space(s[n - 1]))
		n--;
	if (n >= size)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static int read_enum(parse_ctx *pc, int f, const adr__yaml_node *v, const char *const *names,
		     int *dst)
{
	char list[128];
	int i;
	if (v->kind != ADR_YAML_SCALAR)
		return problem(pc, v->line, v->col, "key '%s': expected a single word, not %s",
			       adr__record_fields[f], kind_name(v));
	if (v->is_null)
		return 0;
	if ((i = adr__record_match_word(names, v->scalar)) > 0) {
		*dst = i;
		return 0;
	}
	if (f == F_STATUS) {
		/* MADR writes "superseded by ADR-0005" */
		const char *s = v->scalar;
		while (adr__record_is_space(*s))
			s++;
		if (strlen(s) >= 13 && adr__record_ieqn(s, "superseded by", 13) &&
		    (s[13] == '\0' || adr__record_is_space(s[13]))) {
			*dst = ADR_STATUS_SUPERSEDED;
			return 0;
		}
		/* "✅ Accepted", "Rejected (see 0019)": the word is read, the remark noted */
		{
			size_t ws, we;
			adr_status st = adr__legacy_status_lead(s, strlen(s), true, &ws, &we);
			if (st != ADR_STATUS_NONE) {
				*dst = (int)st;
				return adr__strlist_addf(&pc->r->warnings, "%s:%d:%d: key 'status': '%s' is decorated; read as "
								   "%s", pc->path, v->line, v->col, v->scalar,
						       adr_status_name(st));
			}
		}
	}
	adr__record_join_names(list, sizeof(list), names);
	return problem(pc, v->line, v->col, "key '%s': '%s' is not one of %s", adr__record_fields[f],
		       v->scalar, list);
}

static int read_date(parse_ctx *pc, int f, const adr__yaml_node *v, char dst[11])
{
	char buf[16];
	const char *s;
	if (v->kind != ADR_YAML_SCALAR)
		return problem(pc, v->line, v->col, "key '%s': expected a date (YYYY-MM-DD), not %s",
			       adr__record_fields[f], kind_name(v));
	if (v->is_null)
		return 0;
	s = trimmed(v->scalar, buf, sizeof(buf));
	if (!s || !adr_date_valid(s))
		return problem(pc, v->line, v->col, "key '%s': '%s' is not a valid date (YYYY-MM-DD)",
			       adr__record_fields[f], v->scalar);
	memcpy(dst, s, 11);
	return 0;
}

/* One name (`owner: Ana Lima`), trimmed; null or empty is unset. */
static int read_name(parse_ctx *pc, int f, const adr__yaml_node *v, char **dst)
{
	const char *s, *e;
	if (v->kind != ADR_YAML_SCALAR)
		return problem(pc, v->line, v->col, "key '%s': expected a name, not %s",
			       adr__record_fields[f], kind_name(v));
	if (v->is_null)
		return 0;
	for (s = v->scalar; adr__record_is_space(*s); s++)
		;
	for (e = s + strlen(s); e > s && adr__record_is_space(e[-1]); e--)
		;
	if (e == s)
		return 0;
	return adr__record_set_str(dst, s, (size_t)(e - s));
}

/* Items of a list field: a scalar is a one-element list; sets items and n. */
static int list_items(parse_ctx *pc, int f, const adr__yaml_node *v, adr__yaml_node *const **items,
		      size_t *n, const adr__yaml_node **single)
{
	*items = NULL;
	*n = 0;
	if (v->kind == ADR_YAML_MAP)
		return problem(pc, v->line, v->col, "key '%s': expected a list, not a mapping",
			       adr__record_fields[f]);
	if (v->kind == ADR_YAML_SCALAR) {
		if (!v->is_null) {
			*single = v;
			*items = (adr__yaml_node *const *)single;
			*n = 1;
		}
		return 0;
	}
	*items = v->items;
	*n = v->count;
	return 0;
}

/* Reads one non-null scalar item of a list field into `dst`. */
typedef int (*item_fn)(parse_ctx *pc, int f, const adr__yaml_node *it, void *dst);

/*
 * Each item of list field f (a scalar is a one-element list): null items
 * are skipped, an item that is not a scalar is a problem ("not `want`"),
 * the others go to `fn`.
 */
static int read_items(parse_ctx *pc, int f, const adr__yaml_node *v, const char *want, item_fn fn, void *dst)
{
	adr__yaml_node *const *items;
	const adr__yaml_node *single;
	size_t n;
	int rc = list_items(pc, f, v, &items, &n, &single);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const adr__yaml_node *it = items[i];
		if (it->kind != ADR_YAML_SCALAR) {
			if ((rc = problem(pc, it->line, it->col, "key '%s': item %zu is %s, not %s",
					  adr__record_fields[f], i + 1, kind_name(it), want)) < 0)
				return rc;
			continue;
		}
		if (!it->is_null && (rc = fn(pc, f, it, dst)) < 0)
			return rc;
	}
	return 0;
}

static int strlist_item(parse_ctx *pc, int f, const adr__yaml_node *it, void *dst)
{
	(void)pc;
	(void)f;
	if (!*it->scalar)
		return 0;
	return adr_strlist_add(dst, it->scalar) < 0 ? ADR_ENOMEM : 0;
}

static int read_strlist(parse_ctx *pc, int f, const adr__yaml_node *v, adr_strlist *dst)
{
	return read_items(pc, f, v, "a string", strlist_item, dst);
}

/* A record number: "12", "0012", "#12", "ADR-12". Returns -1 when not one. */
static int parse_number(const char *s)
{
	size_t i = 0, n;
	long v = 0;
	while (adr__record_is_space(*s))
		s++;
	n = strlen(s);
	while (n && adr__record_is_space(s[n - 1]))
		n--;
	if (n && s[0] == '#')
		i = 1;
	else if (n >= 3 && adr__record_ieqn(s, "adr", 3))
		i = (n > 3 && (s[3] == '-' || s[3] == '_')) ? 4 : 3;
	if (i >= n)
		return -1;
	for (; i < n; i++) {
		if (!adr__record_is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > NUMBER_MAX)
			return -1;
	}
	return (int)v;
}

static int intlist_item(parse_ctx *pc, int f, const adr__yaml_node *it, void *dst)
{
	int num = parse_number(it->scalar);
	if (num < 0)
		return problem(pc, it->line, it->col, "key '%s': '%s' is not a record number",
			       adr__record_fields[f], it->scalar);
	return adr_intlist_add(dst, num) < 0 ? ADR_ENOMEM : 0;
}

static int read_intlist(parse_ctx *pc, int f, const adr__yaml_node *v, adr_intlist *dst)
{
	return read_items(pc, f, v, "a record number", intlist_item, dst);
}

/* "TYPE NUMBER": a link type (lowercased, at most 63 bytes) and a record number. */
static int link_item(parse_ctx *pc, int f, const adr__yaml_node *it, void *dst)
{
	const char *s = it->scalar, *sp;
	char type[64];
	size_t tn;
	int num;
	(void)f;
	(void)dst;
	while (adr__record_is_space(*s))
		s++;
	sp = s;
	while (*sp && !adr__record_is_space(*sp))
		sp++;
	tn = (size_t)(sp - s);
	num = *sp ? parse_number(sp) : -1;
	if (tn < sizeof(type)) {
		for (size_t k = 0; k < tn; k++)
			type[k] = adr__record_lower(s[k]);
	}
	if (num < 0 || tn >= sizeof(type) || !adr_link_type_valid(type, tn))
		return problem(pc, it->line, it->col, "key 'links': '%s' is not 'TYPE NUMBER' (like 'amends 12')",
			       it->scalar);
	return adr__record_links_add(pc->r, type, tn, num);
}

static int read_links(parse_ctx *pc, const adr__yaml_node *v)
{
	return read_items(pc, F_LINKS, v, "'TYPE NUMBER'", link_item, NULL);
}

static int apply_field(parse_ctx *pc, int f, const adr__yaml_node *v)
{
	adr_record *r = pc->r;
	int e = 0, rc;
	switch (f) {
	case F_STATUS:
		if ((rc = read_enum(pc, f, v, adr__status_names, &e)) < 0)
			return rc;
		r->status = (adr_status)e;
		if (e == 0 && v->kind == ADR_YAML_SCALAR && !v->is_null) {
			char buf[256];
			const char *w = trimmed(v->scalar, buf, sizeof(buf));
			if (!w)
				w = v->scalar;
			if (*w && adr__record_set_str(&r->status_word, w, strlen(w)) < 0)
				return ADR_ENOMEM;
		}
		return 0;
	case F_DATE: return read_date(pc, f, v, r->date);
	case F_OWNER: return read_name(pc, f, v, &r->owner);
	case F_DECISION_MAKERS: return read_strlist(pc, f, v, &r->decision_makers);
	case F_CONSULTED: return read_strlist(pc, f, v, &r->consulted);
	case F_INFORMED: return read_strlist(pc, f, v, &r->informed);
	case F_REVIEWERS: return read_strlist(pc, f, v, &r->reviewers);
	case F_MODE:
		rc = read_enum(pc, f, v, adr__mode_names, &e);
		r->mode = (adr_mode)e;
		return rc;
	case F_URGENCY:
		rc = read_enum(pc, f, v, adr__level_names, &e);
		r->urgency = (adr_level)e;
		return rc;
	case F_COMPLEXITY:
		rc = read_enum(pc, f, v, adr__level_names, &e);
		r->complexity = (adr_level)e;
		return rc;
	case F_REVIEW_BY: return read_date(pc, f, v, r->review_by);
	case F_REVISIT: return read_date(pc, f, v, r->revisit);
	case F_CLEANUP_BY: return read_date(pc, f, v, r->cleanup_by);
	case F_SUPERSEDES: return read_intlist(pc, f, v, &r->supersedes);
	case F_SUPERSEDED_BY: return read_intlist(pc, f, v, &r->superseded_by);
	case F_LINKS: return read_links(pc, v);
	case F_TAGS:
		/* F07: a cap, even when lenient, so no reader (the site's tag pages) sees more. */
		if (v->kind == ADR_YAML_SEQ && v->count > ADR_RECORD_TAGS_MAX)
			return adr__error(ADR_EINVALID, "%s:%d:%d: key 'tags': %zu tags, the limit is %d",
					  pc->path, v->items[ADR_RECORD_TAGS_MAX]->line,
					  v->items[ADR_RECORD_TAGS_MAX]->col, v->count, ADR_RECORD_TAGS_MAX);
		return read_strlist(pc, f, v, &r->tags);
	case F_VISIBILITY: {
		/* F05: a visibility that cannot be read is an error even when
		 * lenient: read as "unset", the record would take the default
		 * and be published to an audience it was meant to be kept from. */
		bool lenient = pc->lenient;
		pc->lenient = false;
		rc = read_enum(pc, f, v, adr__visibility_names, &e);
		pc->lenient = lenient;
		r->visibility = (adr_visibility)e;
		return rc;
	}
	case F_AFFECTS: return read_strlist(pc, f, v, &r->affects);
	default: return 0;
	}
}

static int field_of(const char *key)
{
	for (int f = 0; f < F_COUNT; f++)
		if (strcmp(adr__record_fields[f], key) == 0)
			return f;
	return -1;
}

static bool comment_or_blank(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
		i++;
	return i == n || s[i] == '#';
}

/* Length of raw without the trailing comment and blank lines (never the first line). */
static size_t head_length(const char *raw)
{
	size_t n = strlen(raw), first_end, head;
	const char *nl = memchr(raw, '\n', n);
	first_end = nl ? (size_t)(nl - raw) + 1 : n;
	head = n;
	while (head > first_end) {
		/* the last line in raw[first_end..head) */
		size_t ls = head - 1; /* raw[head-1] is '\n' (or the last char) */
		while (ls > first_end && raw[ls - 1] != '\n')
			ls--;
		if (!comment_or_blank(raw + ls, head - ls - (raw[head - 1] == '\n' ? 1 : 0)))
			break;
		head = ls;
	}
	return head;
}

/*
 * Whether the line at `pos` is a front matter delimiter: "---" (or "..."
 * when `closing`), then blanks. *next is where the next line starts; *crlf
 * whether this one ends in CRLF.
 */
static bool delimiter_line(const char *data, size_t len, size_t pos, bool closing, size_t *next,
			   bool *crlf)
{
	const char *nl = memchr(data + pos, '\n', len - pos);
	size_t eol = nl ? (size_t)(nl - data) : len, n = eol - pos;
	*crlf = eol > pos && data[eol - 1] == '\r';
	*next = nl ? eol + 1 : len;
	if (n && data[pos + n - 1] == '\r')
		n--;
	return n >= 3 && (!memcmp(data + pos, "---", 3) || (closing && !memcmp(data + pos, "...", 3))) &&
	       adr__record_blank(data + pos + 3, n - 3);
}

/* Splits the front matter off, parses it, and fills r. */
static int parse_frontmatter(parse_ctx *pc, const char *data, size_t len, size_t off,
			     size_t *body_off)
{
	adr_record *r = pc->r;
	adr_frontmatter *fm = r->fm;
	adr__yaml_doc *doc = NULL;
	size_t yaml_start, close_start = 0, close_end = 0, next;
	bool crlf, closed = false;
	int rc = 0;

	*body_off = off;
	if (!delimiter_line(data, len, off, false, &yaml_start, &crlf))
		return 0;
	fm->crlf = crlf;
	for (size_t pos = yaml_start; pos < len; pos = next) {
		if (delimiter_line(data, len, pos, true, &next, &crlf)) {
			closed = true;
			close_start = pos;
			close_end = next;
			break;
		}
	}
	if (!closed)
		return adr__error(ADR_EINVALID, "%s:1:1: unterminated front matter: no closing '---'",
				  pc->path);
	if (close_start - yaml_start > ADR_FRONTMATTER_MAX)
		return adr__error(ADR_EINVALID, "%s:1:1: front matter is %zu bytes, the limit is %d",
				  pc->path, close_start - yaml_start, ADR_FRONTMATTER_MAX);
	r->has_frontmatter = true;
	if (!(fm->block = adr__strndup(data + off, close_end - off)))
		return ADR_ENOMEM;
	*body_off = close_end;

	if ((rc = adr__yaml_parse(&doc, pc->path, data + yaml_start, close_start - yaml_start, 2)) < 0)
		return rc;
	if (!(fm->prefix = adr__strdup(doc->prefix)) ||
	    (doc->count && !(fm->entries = adr__calloc(doc->count, sizeof(*fm->entries))))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < doc->count; i++) {
		adr__yaml_entry *e = &doc->entries[i];
		fm_entry *fe = &fm->entries[fm->count];
		fe->key = e->key;
		fe->raw = e->raw;
		e->key = e->raw = NULL;
		fe->field = field_of(fe->key);
		fe->head_len = head_length(fe->raw);
		if (i == 0)
			fm->indent = e->col - 1;
		fm->count++;
		if (fe->field >= 0 && (rc = apply_field(pc, fe->field, e->value)) < 0)
			goto cleanup;
		if (strcmp(fe->key, "title") == 0 && e->value->kind == ADR_YAML_SCALAR &&
		    !e->value->is_null && (rc = adr__record_set_str(&r->title, e->value->scalar,
							strlen(e->value->scalar))) < 0)
			goto cleanup;
	}
cleanup:
	adr__yaml_doc_free(doc);
	return rc;
}

/* Path, number and slug from the file's path ("0042-use-x.md"; number -1
 * and the whole name as slug when it carries no number). */
static int name_from_path(adr_record *r, const char *path)
{
	adr_buf slug = ADR_BUF_INIT;
	const char *base = strrchr(path, '/');
	int rc;
	base = base ? base + 1 : path;
	if (!(r->path = adr__strdup(path)))
		return ADR_ENOMEM;
	rc = adr_record_parse_filename(&r->number, &slug, base);
	if (rc == ADR_ENOMEM) {
		adr_buf_dispose(&slug);
		return rc;
	}
	if (rc == 0) {
		r->slug = adr__strdup(slug.ptr);
	} else {
		size_t n = strlen(base);
		r->number = -1;
		if (n >= 3 && adr__record_ieqn(base + n - 3, ".md", 3))
			n -= 3;
		r->slug = adr__strndup(base, n);
	}
	adr_buf_dispose(&slug);
	adr_error_clear();
	/* (the message was cleared with the file name's) */
	return r->slug ? 0 : adr__error_oom();
}

int adr_record_parse(adr_record **out, const char *path, const char *data, size_t len,
		     unsigned flags)
{
	parse_ctx pc;
	adr_record *r = NULL;
	size_t off = 0, body_off = 0;
	int rc;

	*out = NULL;
	pc.path = path ? path : "<input>";
	pc.lenient = (flags & ADR_PARSE_LENIENT) != 0;
	if (!data) {
		data = "";
		len = 0;
	}
	if (len > ADR_RECORD_MAX)
		return adr__error(ADR_EINVALID, "%s:1:1: record is %zu bytes, the limit is %d", pc.path,
				  len, ADR_RECORD_MAX);
	if ((rc = check_text(pc.path, data, len)) < 0)
		return rc;
	if ((rc = adr_record_new(&r)) < 0)
		return rc;
	pc.r = r;
	if (!(r->fm = adr__calloc(1, sizeof(*r->fm)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (path && (rc = name_from_path(r, path)) < 0)
		goto cleanup;
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		r->fm->bom = true;
		off = 3;
	}
	if ((rc = parse_frontmatter(&pc, data, len, off, &body_off)) < 0)
		goto cleanup;
	if ((rc = adr__record_set_str(&r->body, data + body_off, len - body_off)) < 0)
		goto cleanup;
	r->body_line = 1;
	for (size_t i = 0; i < body_off; i++)
		if (data[i] == '\n')
			r->body_line++;
	/* the H1 wins over a front matter `title` */
	if ((rc = adr__record_title_from_body(r)) < 0)
		goto cleanup;
	*out = r;
	r = NULL;
	rc = 0;
cleanup:
	adr_record_free(r);
	return rc;
}
