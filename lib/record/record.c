/*
 * record.c: parse, validate and serialize one decision record.
 *
 * Faithful rewrite: the front matter is kept as a list of entries, each with
 * its exact source text (`raw`). For each known field, the canonical text
 * ("key: value\n") of the value read is remembered at parse time. When
 * serializing, the canonical text of the current value is computed again:
 *   - same as at parse time: the entry's raw text is written unchanged;
 *   - different and non-empty: the canonical text replaces the entry's first
 *     lines (comment and blank lines that followed the entry are kept);
 *   - different and empty: the entry is dropped (trailing comments kept);
 *   - a field that was not in the front matter and now has a value is
 *     inserted after the nearest field before it in canonical order, else
 *     at the top.
 * Unknown entries are always written raw. When no field changed at all, the
 * front matter block is written exactly as read (delimiters, CRLF and all),
 * so an untouched record round-trips byte for byte.
 */
#include "adr/record.h"
#include "adr/yaml.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strlistf.h"
#include "util/utf8.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
	F_STATUS,
	F_DATE,
	F_DECISION_MAKERS,
	F_CONSULTED,
	F_INFORMED,
	F_MODE,
	F_URGENCY,
	F_COMPLEXITY,
	F_REVIEW_BY,
	F_REVISIT,
	F_CLEANUP_BY,
	F_SUPERSEDES,
	F_SUPERSEDED_BY,
	F_LINKS,
	F_TAGS,
	F_VISIBILITY,
	F_AFFECTS,
	F_COUNT
};

static const char *const field_names[F_COUNT + 1] = {
	"status", "date", "decision-makers", "consulted", "informed", "mode", "urgency",
	"complexity", "review-by", "revisit", "cleanup-by", "supersedes", "superseded-by",
	"links", "tags", "visibility", "affects", NULL
};

/* The largest record number we read (7 digits; 8 digits is a date prefix). */
#define NUMBER_MAX 9999999

typedef struct {
	char *key;
	int field;       /* F_*, or -1 for a key we do not know */
	char *raw;       /* exact source text, LF or CRLF as in the file */
	size_t head_len; /* raw[0..head_len) is the entry, the rest trailing comments/blank lines */
} fm_entry;

struct adr_frontmatter {
	bool bom;            /* the file started with a UTF-8 BOM */
	bool crlf;           /* the opening delimiter line ended in CRLF */
	char *block;         /* the front matter as read, delimiters included; NULL when none */
	char *prefix;        /* text before the first key */
	int indent;          /* spaces before every key (YAML allows an indented root mapping) */
	fm_entry *entries;
	size_t count;
	char *canon[F_COUNT]; /* canonical text of each field as parsed ("" when empty) */
};

const char *const *adr_record_field_names(void)
{
	return field_names;
}

/* adr_intlist */

int adr_intlist_add(adr_intlist *l, int v)
{
	if (ADR_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	l->items[l->count++] = v;
	return 0;
}

bool adr_intlist_contains(const adr_intlist *l, int v)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i] == v)
			return true;
	return false;
}

int adr_intlist_add_unique(adr_intlist *l, int v)
{
	return adr_intlist_contains(l, v) ? 0 : adr_intlist_add(l, v);
}

void adr_intlist_remove(adr_intlist *l, int v)
{
	size_t j = 0;
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i] != v)
			l->items[j++] = l->items[i];
	l->count = j;
}

void adr_intlist_clear(adr_intlist *l)
{
	free(l->items);
	l->items = NULL;
	l->count = l->alloc = 0;
}

static int intlist_copy(adr_intlist *dst, const adr_intlist *src)
{
	adr_intlist_clear(dst);
	for (size_t i = 0; i < src->count; i++)
		if (adr_intlist_add(dst, src->items[i]) < 0)
			return ADR_ENOMEM;
	return 0;
}

/* Names */

static const char *const status_names[] = { "", "proposed", "accepted", "rejected",
					    "deprecated", "superseded", NULL };
static const char *const mode_names[] = { "", "sync", "async", NULL };
static const char *const level_names[] = { "", "low", "high", NULL };
static const char *const visibility_names[] = { "", "public", "partner", "internal", NULL };

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool ieqn(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* Index of `word` (case-insensitive, surrounding space ignored) among
 * names[1..], or -1. */
static int match_word(const char *const *names, const char *word)
{
	size_t n;
	if (!word)
		return -1;
	while (is_space(*word))
		word++;
	n = strlen(word);
	while (n && is_space(word[n - 1]))
		n--;
	if (n == 0)
		return -1;
	for (int i = 1; names[i]; i++)
		if (strlen(names[i]) == n && ieqn(names[i], word, n))
			return i;
	return -1;
}

static void join_names(char *dst, size_t size, const char *const *names)
{
	dst[0] = '\0';
	for (int i = 1; names[i]; i++) {
		if (i > 1)
			strncat(dst, ", ", size - strlen(dst) - 1);
		strncat(dst, names[i], size - strlen(dst) - 1);
	}
}

static int parse_enum(int *out, const char *const *names, const char *word)
{
	int i = match_word(names, word);
	char list[128];
	if (i < 0) {
		*out = 0;
		join_names(list, sizeof(list), names);
		return adr__error(ADR_EINVALID, "'%s' is not one of %s", word ? word : "", list);
	}
	*out = i;
	return 0;
}

static const char *enum_name(const char *const *names, int count, int v)
{
	return v > 0 && v < count ? names[v] : "";
}

const char *adr_status_name(adr_status s)
{
	return enum_name(status_names, 6, (int)s);
}

int adr_status_parse(adr_status *out, const char *word)
{
	int v, rc = parse_enum(&v, status_names, word);
	*out = (adr_status)v;
	return rc;
}

const char *adr_mode_name(adr_mode m)
{
	return enum_name(mode_names, 3, (int)m);
}

int adr_mode_parse(adr_mode *out, const char *word)
{
	int v, rc = parse_enum(&v, mode_names, word);
	*out = (adr_mode)v;
	return rc;
}

const char *adr_level_name(adr_level l)
{
	return enum_name(level_names, 3, (int)l);
}

int adr_level_parse(adr_level *out, const char *word)
{
	int v, rc = parse_enum(&v, level_names, word);
	*out = (adr_level)v;
	return rc;
}

const char *adr_visibility_name(adr_visibility v)
{
	return enum_name(visibility_names, 4, (int)v);
}

int adr_visibility_parse(adr_visibility *out, const char *word)
{
	int v, rc = parse_enum(&v, visibility_names, word);
	*out = (adr_visibility)v;
	return rc;
}

bool adr_date_valid(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, dim;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !is_digit(s[i]))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	dim = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	return d <= dim;
}

/* Text helpers */

/* Replaces *slot with a copy of s[0..n). */
static int set_str(char **slot, const char *s, size_t n)
{
	char *p = adr__strndup(s, n);
	ADR_ALLOC_CHECK(p);
	free(*slot);
	*slot = p;
	return 0;
}

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

/* Title (body scan) */

typedef struct {
	bool found;
	bool setext;
	size_t line_start; /* ATX: the heading line; setext: the text line */
	size_t line_end;   /* end of that line, before "\r\n" or "\n" */
	size_t text_start, text_end;
} h1_pos;

static size_t indent_of(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* Length of a code fence opener (``` or ~~~, at most 3 spaces in), or 0. */
static size_t fence_len(const char *s, size_t n, char *ch)
{
	size_t i = indent_of(s, n), k = 0;
	if (i > 3 || i >= n || (s[i] != '`' && s[i] != '~'))
		return 0;
	*ch = s[i];
	while (i + k < n && s[i + k] == *ch)
		k++;
	if (k < 3)
		return 0;
	if (*ch == '`' && memchr(s + i + k, '`', n - i - k))
		return 0;
	return k;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

/* If the line is an ATX H1, sets the text range and returns true. */
static bool atx_h1(const char *s, size_t n, size_t base, h1_pos *h)
{
	size_t i = indent_of(s, n), a, b;
	if (i > 3 || i >= n || s[i] != '#' || (i + 1 < n && s[i + 1] != ' ' && s[i + 1] != '\t'))
		return false;
	a = i + 1;
	while (a < n && (s[a] == ' ' || s[a] == '\t'))
		a++;
	b = n;
	while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
		b--;
	/* an optional closing sequence of '#', preceded by a space (or alone) */
	{
		size_t c = b;
		while (c > a && s[c - 1] == '#')
			c--;
		if (c < b && (c == a || s[c - 1] == ' ' || s[c - 1] == '\t')) {
			b = c;
			while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
				b--;
		}
	}
	h->text_start = base + a;
	h->text_end = base + b;
	return true;
}

static bool setext_h1_underline(const char *s, size_t n)
{
	size_t i = indent_of(s, n), k = 0;
	if (i > 3)
		return false;
	while (i + k < n && s[i + k] == '=')
		k++;
	return k > 0 && blank(s + i + k, n - i - k);
}

/* A line that can be a one-line paragraph (for a setext heading). */
static bool plain_text_line(const char *s, size_t n)
{
	size_t i = indent_of(s, n);
	char c;
	if (i > 3 || i >= n || blank(s, n))
		return false;
	c = s[i];
	if (c == '#' || c == '>' || c == '<' || c == '|' || c == '=')
		return false;
	if ((c == '-' || c == '*' || c == '+') && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t'))
		return false;
	if (is_digit(c)) {
		size_t j = i;
		while (j < n && is_digit(s[j]))
			j++;
		if (j < n && (s[j] == '.' || s[j] == ')') && (j + 1 == n || s[j + 1] == ' '))
			return false;
	}
	return true;
}

static bool has_comment_end(const char *s, size_t n)
{
	for (size_t i = 0; i + 3 <= n; i++)
		if (s[i] == '-' && s[i + 1] == '-' && s[i + 2] == '>')
			return true;
	return false;
}

/* Finds the first H1 (ATX or setext) outside fenced code and HTML comments. */
static h1_pos find_h1(const char *body)
{
	h1_pos h;
	size_t len = strlen(body), pos = 0;
	size_t prev_start = 0, prev_len = 0;
	bool prev_para = false, prev_prev_ok = true, prev_ok = true;
	char fence_ch = 0;
	size_t fence = 0;
	bool in_comment = false;
	memset(&h, 0, sizeof(h));
	while (pos < len) {
		const char *nl = memchr(body + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - body) : len, n = end - pos;
		const char *s = body + pos;
		bool para = false, ok_before = false;
		char ch;
		size_t k;
		if (n && s[n - 1] == '\r')
			n--;
		if (fence) {
			k = fence_len(s, n, &ch);
			if (k >= fence && ch == fence_ch && blank(s + indent_of(s, n) + k, n - indent_of(s, n) - k))
				fence = 0;
			ok_before = true;
		} else if (in_comment) {
			if (has_comment_end(s, n))
				in_comment = false;
			ok_before = true;
		} else if ((k = fence_len(s, n, &ch)) > 0) {
			fence = k;
			fence_ch = ch;
		} else if (indent_of(s, n) <= 3 && n - indent_of(s, n) >= 4 &&
			   !memcmp(s + indent_of(s, n), "<!--", 4)) {
			size_t i = indent_of(s, n) + 4;
			if (!has_comment_end(s + i, n - i))
				in_comment = true;
			ok_before = true;
		} else if (atx_h1(s, n, pos, &h)) {
			h.found = true;
			h.line_start = pos;
			h.line_end = pos + n;
			return h;
		} else if (prev_para && prev_prev_ok && setext_h1_underline(s, n)) {
			size_t a = indent_of(body + prev_start, prev_len), b = prev_len;
			while (b > a && (body[prev_start + b - 1] == ' ' || body[prev_start + b - 1] == '\t'))
				b--;
			h.found = true;
			h.setext = true;
			h.line_start = prev_start;
			h.line_end = prev_start + prev_len;
			h.text_start = prev_start + a;
			h.text_end = prev_start + b;
			return h;
		} else if (blank(s, n)) {
			ok_before = true;
		} else if (s[indent_of(s, n)] == '#') {
			ok_before = true; /* another heading level */
		} else {
			para = plain_text_line(s, n);
		}
		prev_prev_ok = prev_ok;
		prev_ok = ok_before;
		prev_para = para;
		prev_start = pos;
		prev_len = n;
		pos = nl ? end + 1 : len;
	}
	return h;
}

/* "12. Title" -> the length of "12. " when 12 == number, else 0. */
static size_t number_prefix(const char *s, size_t n, int number)
{
	size_t i = 0;
	long v = 0;
	if (number < 0)
		return 0;
	while (i < n && is_digit(s[i]) && i < 9)
		v = v * 10 + (s[i++] - '0');
	if (i == 0 || i >= n || s[i] != '.' || i + 1 >= n || (s[i + 1] != ' ' && s[i + 1] != '\t'))
		return 0;
	if (v != number)
		return 0;
	i++;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n ? i : 0;
}

static int title_from_body(adr_record *r)
{
	h1_pos h = find_h1(r->body);
	size_t skip;
	if (!h.found || h.text_end <= h.text_start)
		return 0;
	skip = number_prefix(r->body + h.text_start, h.text_end - h.text_start, r->number);
	return set_str(&r->title, r->body + h.text_start + skip, h.text_end - h.text_start - skip);
}

/* Canonical text */

static int put_list_open(adr_buf *out, int f)
{
	return adr_buf_printf(out, "%s: [", field_names[f]);
}

static int put_strlist(adr_buf *out, int f, const adr_strlist *l)
{
	if (!l->count)
		return 0;
	put_list_open(out, f);
	for (size_t i = 0; i < l->count; i++) {
		int rc;
		if (i)
			adr_buf_puts(out, ", ");
		if ((rc = adr_yaml_write_scalar(out, l->items[i])) < 0)
			return adr__error_prefix("key '%s'", field_names[f]);
	}
	return adr_buf_puts(out, "]\n");
}

static int put_intlist(adr_buf *out, int f, const adr_intlist *l)
{
	if (!l->count)
		return 0;
	put_list_open(out, f);
	for (size_t i = 0; i < l->count; i++)
		adr_buf_printf(out, "%s%d", i ? ", " : "", l->items[i]);
	return adr_buf_puts(out, "]\n");
}

static int put_scalar(adr_buf *out, int f, const char *value)
{
	if (!value || !*value)
		return 0;
	adr_buf_printf(out, "%s: ", field_names[f]);
	if (adr_yaml_write_scalar(out, value) < 0)
		return adr__error_prefix("key '%s'", field_names[f]);
	return adr_buf_putc(out, '\n');
}

/* Appends the canonical "key: value\n" of field f, or nothing when empty. */
static int canon_field(adr_buf *out, const adr_record *r, int f)
{
	switch (f) {
	case F_STATUS:
		if (r->status != ADR_STATUS_NONE)
			return put_scalar(out, f, adr_status_name(r->status));
		return put_scalar(out, f, r->status_word);
	case F_DATE: return put_scalar(out, f, r->date);
	case F_DECISION_MAKERS: return put_strlist(out, f, &r->decision_makers);
	case F_CONSULTED: return put_strlist(out, f, &r->consulted);
	case F_INFORMED: return put_strlist(out, f, &r->informed);
	case F_MODE: return put_scalar(out, f, adr_mode_name(r->mode));
	case F_URGENCY: return put_scalar(out, f, adr_level_name(r->urgency));
	case F_COMPLEXITY: return put_scalar(out, f, adr_level_name(r->complexity));
	case F_REVIEW_BY: return put_scalar(out, f, r->review_by);
	case F_REVISIT: return put_scalar(out, f, r->revisit);
	case F_CLEANUP_BY: return put_scalar(out, f, r->cleanup_by);
	case F_SUPERSEDES: return put_intlist(out, f, &r->supersedes);
	case F_SUPERSEDED_BY: return put_intlist(out, f, &r->superseded_by);
	case F_LINKS:
		if (!r->nlinks)
			return 0;
		put_list_open(out, f);
		for (size_t i = 0; i < r->nlinks; i++) {
			adr_buf tmp = ADR_BUF_INIT;
			int rc;
			adr_buf_printf(&tmp, "%s %d", r->links[i].type ? r->links[i].type : "",
				       r->links[i].target);
			if (i)
				adr_buf_puts(out, ", ");
			rc = adr_yaml_write_scalar(out, tmp.ptr);
			adr_buf_dispose(&tmp);
			if (rc < 0)
				return adr__error_prefix("key 'links'");
		}
		return adr_buf_puts(out, "]\n");
	case F_TAGS: return put_strlist(out, f, &r->tags);
	case F_VISIBILITY: return put_scalar(out, f, adr_visibility_name(r->visibility));
	case F_AFFECTS: return put_strlist(out, f, &r->affects);
	default: return 0;
	}
}

/* canon_field into a fresh malloc'ed string. */
static int canon_string(char **out, const adr_record *r, int f)
{
	adr_buf b = ADR_BUF_INIT;
	int rc = canon_field(&b, r, f);
	if (rc < 0) {
		adr_buf_dispose(&b);
		return rc;
	}
	if (adr_buf_oom(&b)) {
		adr_buf_dispose(&b);
		return ADR_ENOMEM;
	}
	*out = adr_buf_detach(&b);
	return *out ? 0 : adr__error_oom();
}

/* Record lifecycle */

static void frontmatter_free(adr_frontmatter *fm)
{
	if (!fm)
		return;
	free(fm->block);
	free(fm->prefix);
	for (size_t i = 0; i < fm->count; i++) {
		free(fm->entries[i].key);
		free(fm->entries[i].raw);
	}
	free(fm->entries);
	for (int f = 0; f < F_COUNT; f++)
		free(fm->canon[f]);
	free(fm);
}

static void links_free(adr_link *links, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(links[i].type);
	free(links);
}

void adr_record_free(adr_record *r)
{
	if (!r)
		return;
	free(r->path);
	free(r->slug);
	free(r->title);
	free(r->status_word);
	adr_strlist_clear(&r->decision_makers);
	adr_strlist_clear(&r->consulted);
	adr_strlist_clear(&r->informed);
	adr_intlist_clear(&r->supersedes);
	adr_intlist_clear(&r->superseded_by);
	links_free(r->links, r->nlinks);
	adr_strlist_clear(&r->tags);
	adr_strlist_clear(&r->affects);
	free(r->body);
	adr_strlist_clear(&r->warnings);
	frontmatter_free(r->fm);
	free(r);
}

int adr_record_new(adr_record **out)
{
	adr_record *r = adr__calloc(1, sizeof(*r));
	*out = NULL;
	ADR_ALLOC_CHECK(r);
	r->number = -1;
	r->title = adr__strdup("");
	r->body = adr__strdup("");
	r->body_line = 1;
	if (!r->title || !r->body) {
		adr_record_free(r);
		return ADR_ENOMEM;
	}
	*out = r;
	return 0;
}

/* Parsing the front matter fields */

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

static const char *kind_name(const adr_yaml_node *v)
{
	return v->kind == ADR_YAML_MAP ? "a mapping" : v->kind == ADR_YAML_SEQ ? "a list" : "a scalar";
}

/* Trimmed copy of a scalar into a small buffer (NULL when it does not fit). */
static const char *trimmed(const char *s, char *buf, size_t size)
{
	size_t n;
	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	if (n >= size)
		return NULL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static int read_enum(parse_ctx *pc, int f, const adr_yaml_node *v, const char *const *names,
		     int *dst)
{
	char list[128];
	int i;
	if (v->kind != ADR_YAML_SCALAR)
		return problem(pc, v->line, v->col, "key '%s': expected a single word, not %s",
			       field_names[f], kind_name(v));
	if (v->is_null)
		return 0;
	if ((i = match_word(names, v->scalar)) > 0) {
		*dst = i;
		return 0;
	}
	if (f == F_STATUS) {
		/* MADR writes "superseded by ADR-0005" */
		const char *s = v->scalar;
		while (is_space(*s))
			s++;
		if (strlen(s) >= 13 && ieqn(s, "superseded by", 13) &&
		    (s[13] == '\0' || is_space(s[13]))) {
			*dst = ADR_STATUS_SUPERSEDED;
			return 0;
		}
	}
	join_names(list, sizeof(list), names);
	return problem(pc, v->line, v->col, "key '%s': '%s' is not one of %s", field_names[f],
		       v->scalar, list);
}

static int read_date(parse_ctx *pc, int f, const adr_yaml_node *v, char dst[11])
{
	char buf[16];
	const char *s;
	if (v->kind != ADR_YAML_SCALAR)
		return problem(pc, v->line, v->col, "key '%s': expected a date (YYYY-MM-DD), not %s",
			       field_names[f], kind_name(v));
	if (v->is_null)
		return 0;
	s = trimmed(v->scalar, buf, sizeof(buf));
	if (!s || !adr_date_valid(s))
		return problem(pc, v->line, v->col, "key '%s': '%s' is not a valid date (YYYY-MM-DD)",
			       field_names[f], v->scalar);
	memcpy(dst, s, 11);
	return 0;
}

/* Items of a list field: a scalar is a one-element list; sets items and n. */
static int list_items(parse_ctx *pc, int f, const adr_yaml_node *v, adr_yaml_node *const **items,
		      size_t *n, const adr_yaml_node **single)
{
	*items = NULL;
	*n = 0;
	if (v->kind == ADR_YAML_MAP)
		return problem(pc, v->line, v->col, "key '%s': expected a list, not a mapping",
			       field_names[f]);
	if (v->kind == ADR_YAML_SCALAR) {
		if (!v->is_null) {
			*single = v;
			*items = (adr_yaml_node *const *)single;
			*n = 1;
		}
		return 0;
	}
	*items = v->items;
	*n = v->count;
	return 0;
}

static int read_strlist(parse_ctx *pc, int f, const adr_yaml_node *v, adr_strlist *dst)
{
	adr_yaml_node *const *items;
	const adr_yaml_node *single;
	size_t n;
	int rc = list_items(pc, f, v, &items, &n, &single);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const adr_yaml_node *it = items[i];
		if (it->kind != ADR_YAML_SCALAR) {
			if ((rc = problem(pc, it->line, it->col, "key '%s': item %zu is %s, not a string",
					  field_names[f], i + 1, kind_name(it))) < 0)
				return rc;
			continue;
		}
		if (it->is_null || !*it->scalar)
			continue;
		if (adr_strlist_add(dst, it->scalar) < 0)
			return ADR_ENOMEM;
	}
	return 0;
}

/* A record number: "12", "0012", "#12", "ADR-12". Returns -1 when not one. */
static int parse_number(const char *s)
{
	size_t i = 0, n;
	long v = 0;
	while (is_space(*s))
		s++;
	n = strlen(s);
	while (n && is_space(s[n - 1]))
		n--;
	if (n && s[0] == '#')
		i = 1;
	else if (n >= 3 && ieqn(s, "adr", 3))
		i = (n > 3 && (s[3] == '-' || s[3] == '_')) ? 4 : 3;
	if (i >= n)
		return -1;
	for (; i < n; i++) {
		if (!is_digit(s[i]))
			return -1;
		v = v * 10 + (s[i] - '0');
		if (v > NUMBER_MAX)
			return -1;
	}
	return (int)v;
}

static int read_intlist(parse_ctx *pc, int f, const adr_yaml_node *v, adr_intlist *dst)
{
	adr_yaml_node *const *items;
	const adr_yaml_node *single;
	size_t n;
	int rc = list_items(pc, f, v, &items, &n, &single);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const adr_yaml_node *it = items[i];
		int num;
		if (it->kind != ADR_YAML_SCALAR) {
			if ((rc = problem(pc, it->line, it->col,
					  "key '%s': item %zu is %s, not a record number",
					  field_names[f], i + 1, kind_name(it))) < 0)
				return rc;
			continue;
		}
		if (it->is_null)
			continue;
		if ((num = parse_number(it->scalar)) < 0) {
			if ((rc = problem(pc, it->line, it->col, "key '%s': '%s' is not a record number",
					  field_names[f], it->scalar)) < 0)
				return rc;
			continue;
		}
		if (adr_intlist_add(dst, num) < 0)
			return ADR_ENOMEM;
	}
	return 0;
}

bool adr_link_type_valid(const char *t, size_t n)
{
	if (n == 0 || !(t[0] >= 'a' && t[0] <= 'z'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!((t[i] >= 'a' && t[i] <= 'z') || is_digit(t[i]) || t[i] == '-'))
			return false;
	return true;
}

static int links_add(adr_record *r, const char *type, size_t tn, int target)
{
	adr_link *p;
	char *t = adr__strndup(type, tn);
	ADR_ALLOC_CHECK(t);
	for (size_t i = 0; i < tn; i++)
		t[i] = lower(t[i]);
	p = adr__reallocarray(r->links, r->nlinks + 1, sizeof(*p));
	if (!p) {
		free(t);
		return ADR_ENOMEM;
	}
	r->links = p;
	r->links[r->nlinks].type = t;
	r->links[r->nlinks].target = target;
	r->nlinks++;
	return 0;
}

static int read_links(parse_ctx *pc, const adr_yaml_node *v)
{
	adr_yaml_node *const *items;
	const adr_yaml_node *single;
	size_t n;
	int rc = list_items(pc, F_LINKS, v, &items, &n, &single);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < n; i++) {
		const adr_yaml_node *it = items[i];
		const char *s, *sp;
		char type[64];
		size_t tn;
		int num;
		if (it->kind != ADR_YAML_SCALAR) {
			if ((rc = problem(pc, it->line, it->col, "key 'links': item %zu is %s, not 'TYPE NUMBER'",
					  i + 1, kind_name(it))) < 0)
				return rc;
			continue;
		}
		if (it->is_null)
			continue;
		s = it->scalar;
		while (is_space(*s))
			s++;
		sp = s;
		while (*sp && !is_space(*sp))
			sp++;
		tn = (size_t)(sp - s);
		num = *sp ? parse_number(sp) : -1;
		if (tn < sizeof(type)) {
			for (size_t k = 0; k < tn; k++)
				type[k] = lower(s[k]);
		}
		if (num < 0 || tn >= sizeof(type) || !adr_link_type_valid(type, tn)) {
			if ((rc = problem(pc, it->line, it->col,
					  "key 'links': '%s' is not 'TYPE NUMBER' (like 'amends 12')",
					  it->scalar)) < 0)
				return rc;
			continue;
		}
		if ((rc = links_add(pc->r, type, tn, num)) < 0)
			return rc;
	}
	return 0;
}

static int apply_field(parse_ctx *pc, int f, const adr_yaml_node *v)
{
	adr_record *r = pc->r;
	int e = 0, rc;
	switch (f) {
	case F_STATUS:
		if ((rc = read_enum(pc, f, v, status_names, &e)) < 0)
			return rc;
		r->status = (adr_status)e;
		if (e == 0 && v->kind == ADR_YAML_SCALAR && !v->is_null) {
			char buf[256];
			const char *w = trimmed(v->scalar, buf, sizeof(buf));
			if (!w)
				w = v->scalar;
			if (*w && set_str(&r->status_word, w, strlen(w)) < 0)
				return ADR_ENOMEM;
		}
		return 0;
	case F_DATE: return read_date(pc, f, v, r->date);
	case F_DECISION_MAKERS: return read_strlist(pc, f, v, &r->decision_makers);
	case F_CONSULTED: return read_strlist(pc, f, v, &r->consulted);
	case F_INFORMED: return read_strlist(pc, f, v, &r->informed);
	case F_MODE:
		rc = read_enum(pc, f, v, mode_names, &e);
		r->mode = (adr_mode)e;
		return rc;
	case F_URGENCY:
		rc = read_enum(pc, f, v, level_names, &e);
		r->urgency = (adr_level)e;
		return rc;
	case F_COMPLEXITY:
		rc = read_enum(pc, f, v, level_names, &e);
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
		rc = read_enum(pc, f, v, visibility_names, &e);
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
		if (strcmp(field_names[f], key) == 0)
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

/* Splits the front matter off, parses it, and fills r. */
static int parse_frontmatter(parse_ctx *pc, const char *data, size_t len, size_t off,
			     size_t *body_off)
{
	adr_record *r = pc->r;
	adr_frontmatter *fm = r->fm;
	adr_yaml_doc *doc = NULL;
	size_t eol, pos, yaml_start, close_start = 0, close_end = 0;
	const char *nl;
	bool closed = false;
	int rc = 0;

	*body_off = off;
	/* the opening line: "---", trailing blanks allowed */
	nl = memchr(data + off, '\n', len - off);
	eol = nl ? (size_t)(nl - data) : len;
	{
		size_t n = eol - off;
		if (n && data[off + n - 1] == '\r')
			n--;
		if (n < 3 || memcmp(data + off, "---", 3) || !blank(data + off + 3, n - 3))
			return 0;
	}
	fm->crlf = eol > off && data[eol - 1] == '\r';
	yaml_start = pos = nl ? eol + 1 : len;
	while (pos < len) {
		size_t n;
		nl = memchr(data + pos, '\n', len - pos);
		eol = nl ? (size_t)(nl - data) : len;
		n = eol - pos;
		if (n && data[pos + n - 1] == '\r')
			n--;
		if (n >= 3 && (!memcmp(data + pos, "---", 3) || !memcmp(data + pos, "...", 3)) &&
		    blank(data + pos + 3, n - 3)) {
			closed = true;
			close_start = pos;
			close_end = nl ? eol + 1 : len;
			break;
		}
		pos = nl ? eol + 1 : len;
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

	if ((rc = adr_yaml_parse(&doc, pc->path, data + yaml_start, close_start - yaml_start, 2)) < 0)
		return rc;
	if (!(fm->prefix = adr__strdup(doc->prefix)) ||
	    (doc->count && !(fm->entries = adr__calloc(doc->count, sizeof(*fm->entries))))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < doc->count; i++) {
		adr_yaml_entry *e = &doc->entries[i];
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
		    !e->value->is_null && (rc = set_str(&r->title, e->value->scalar,
							strlen(e->value->scalar))) < 0)
			goto cleanup;
	}
cleanup:
	adr_yaml_doc_free(doc);
	return rc;
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
	if (path) {
		adr_buf slug = ADR_BUF_INIT;
		const char *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		if (!(r->path = adr__strdup(path))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		rc = adr_record_parse_filename(&r->number, &slug, base);
		if (rc == ADR_ENOMEM) {
			adr_buf_dispose(&slug);
			goto cleanup;
		}
		if (rc == 0) {
			r->slug = adr__strdup(slug.ptr);
		} else {
			size_t n = strlen(base);
			r->number = -1;
			if (n >= 3 && ieqn(base + n - 3, ".md", 3))
				n -= 3;
			r->slug = adr__strndup(base, n);
		}
		adr_buf_dispose(&slug);
		adr_error_clear();
		if (!r->slug) {
			rc = adr__error_oom(); /* (the message was cleared with the file name's) */
			goto cleanup;
		}
	}
	if (len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
		r->fm->bom = true;
		off = 3;
	}
	if ((rc = parse_frontmatter(&pc, data, len, off, &body_off)) < 0)
		goto cleanup;
	if ((rc = set_str(&r->body, data + body_off, len - body_off)) < 0)
		goto cleanup;
	r->body_line = 1;
	for (size_t i = 0; i < body_off; i++)
		if (data[i] == '\n')
			r->body_line++;
	/* the H1 wins over a front matter `title` */
	if ((rc = title_from_body(r)) < 0)
		goto cleanup;
	for (int f = 0; f < F_COUNT; f++)
		if ((rc = canon_string(&r->fm->canon[f], r, f)) < 0)
			goto cleanup;
	*out = r;
	r = NULL;
	rc = 0;
cleanup:
	adr_record_free(r);
	return rc;
}

/* Serializing */

typedef struct {
	const char *text; /* borrowed, or owned when `own` */
	char *own;
	int field;        /* the known field written by this segment, or -1 */
} segment;

static int put_eol_text(adr_buf *out, const char *s, size_t n, bool crlf)
{
	/* canonical text is one line ending in '\n' */
	if (crlf && n && s[n - 1] == '\n') {
		adr_buf_put(out, s, n - 1);
		return adr_buf_puts(out, "\r\n");
	}
	return adr_buf_put(out, s, n);
}

int adr_record_serialize(adr_buf *out, const adr_record *r)
{
	const adr_frontmatter *fm = r->fm;
	char *now[F_COUNT] = { 0 };
	segment *segs = NULL;
	size_t nsegs = 0;
	int where[F_COUNT];  /* segment index holding each field, or -1 */
	bool in_entries[F_COUNT] = { false };
	bool changed = false, crlf;
	const char *eol;
	size_t mark = out->size;
	int rc = 0;

	for (int f = 0; f < F_COUNT; f++) {
		const char *base = fm && fm->canon[f] ? fm->canon[f] : "";
		where[f] = -1;
		if ((rc = canon_string(&now[f], r, f)) < 0)
			goto cleanup;
		if (strcmp(now[f], base) != 0)
			changed = true;
	}
	if (fm && fm->block) {
		crlf = fm->crlf;
	} else {
		/* a new block follows the body's line endings */
		const char *nl = r->body ? strchr(r->body, '\n') : NULL;
		crlf = nl && nl > r->body && nl[-1] == '\r';
	}
	eol = crlf ? "\r\n" : "\n";
	if (fm && fm->bom)
		adr_buf_put(out, "\xEF\xBB\xBF", 3);
	if (!changed) {
		if (fm && fm->block)
			adr_buf_puts(out, fm->block);
		goto body;
	}

	/* one segment per entry, plus room for every field */
	segs = adr__calloc((fm ? fm->count : 0) + F_COUNT, sizeof(*segs));
	if (!segs) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; fm && fm->block && i < fm->count; i++) {
		const fm_entry *e = &fm->entries[i];
		segment *s = &segs[nsegs];
		s->field = -1;
		if (e->field < 0 || strcmp(now[e->field], fm->canon[e->field]) == 0) {
			s->text = e->raw;
			if (e->field >= 0) {
				in_entries[e->field] = true;
				if (*now[e->field])
					s->field = e->field;
			}
		} else {
			adr_buf b = ADR_BUF_INIT;
			in_entries[e->field] = true;
			if (*now[e->field]) {
				/* as indented as the keys around it (found by tests/fuzz/fuzz_record.c) */
				adr_buf_printf(&b, "%*s", fm->indent, "");
				put_eol_text(&b, now[e->field], strlen(now[e->field]), crlf);
				s->field = e->field;
			}
			adr_buf_puts(&b, e->raw + e->head_len);
			if (adr_buf_oom(&b)) {
				adr_buf_dispose(&b);
				rc = ADR_ENOMEM;
				goto cleanup;
			}
			s->own = adr_buf_detach(&b);
			s->text = s->own;
		}
		if (s->field >= 0)
			where[s->field] = (int)nsegs;
		nsegs++;
	}
	/* fields that were not there: after the nearest earlier field, else at the top */
	for (int f = 0; f < F_COUNT; f++) {
		size_t at = 0;
		adr_buf b = ADR_BUF_INIT;
		if (in_entries[f] || !*now[f])
			continue;
		for (int g = f - 1; g >= 0; g--)
			if (where[g] >= 0) {
				at = (size_t)where[g] + 1;
				break;
			}
		if (fm && fm->block)
			adr_buf_printf(&b, "%*s", fm->indent, "");
		put_eol_text(&b, now[f], strlen(now[f]), crlf);
		if (adr_buf_oom(&b)) {
			adr_buf_dispose(&b);
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		memmove(&segs[at + 1], &segs[at], (nsegs - at) * sizeof(*segs));
		segs[at].own = adr_buf_detach(&b);
		segs[at].text = segs[at].own;
		segs[at].field = f;
		nsegs++;
		for (int g = 0; g < F_COUNT; g++)
			if (where[g] >= (int)at)
				where[g]++;
		where[f] = (int)at;
	}
	adr_buf_printf(out, "---%s", eol);
	if (fm && fm->block && fm->prefix)
		adr_buf_puts(out, fm->prefix);
	for (size_t i = 0; i < nsegs; i++)
		adr_buf_puts(out, segs[i].text);
	adr_buf_printf(out, "---%s", eol);
body:
	adr_buf_puts(out, r->body ? r->body : "");
	if (adr_buf_oom(out))
		rc = ADR_ENOMEM;
cleanup:
	if (rc < 0)
		adr_buf_truncate(out, mark);
	for (size_t i = 0; i < nsegs; i++)
		free(segs[i].own);
	free(segs);
	for (int f = 0; f < F_COUNT; f++)
		free(now[f]);
	return rc;
}

/* Validation */

static int check_title(const char *title)
{
	if (!title || !*title)
		return adr__error(ADR_EINVALID, "the title is empty");
	for (const char *p = title; *p; p++)
		if (*p == '\n' || *p == '\r')
			return adr__error(ADR_EINVALID, "the title '%.60s' has more than one line", title);
	for (size_t i = 0, n = strlen(title); i < n;) {
		uint32_t cp;
		size_t k = adr__utf8_decode((const unsigned char *)title + i, n - i, &cp);
		if (k == 0) /* the same words as adr_slugify's, which new reaches first */
			return adr__error(ADR_EINVALID, "the title is not valid UTF-8 (byte 0x%02x at %zu)",
					  (unsigned char)title[i], i + 1);
		i += k;
	}
	return 0;
}

static int check_strlist(const char *who, int f, const adr_strlist *l)
{
	for (size_t i = 0; i < l->count; i++) {
		const char *s = l->items[i];
		if (!*s)
			return adr__error(ADR_EINVALID, "%s: key '%s': item %zu is empty", who,
					  field_names[f], i + 1);
		if (strchr(s, '\n') || strchr(s, '\r'))
			return adr__error(ADR_EINVALID, "%s: key '%s': item %zu has more than one line",
					  who, field_names[f], i + 1);
		if (!adr__utf8_valid(s, strlen(s)))
			return adr__error(ADR_EINVALID, "%s: key '%s': item %zu is not valid UTF-8", who,
					  field_names[f], i + 1);
	}
	return 0;
}

static int check_intlist(const char *who, int f, const adr_intlist *l)
{
	for (size_t i = 0; i < l->count; i++)
		if (l->items[i] < 0 || l->items[i] > NUMBER_MAX)
			return adr__error(ADR_EINVALID, "%s: key '%s': %d is not a record number", who,
					  field_names[f], l->items[i]);
	return 0;
}

int adr_record_validate(const adr_record *r)
{
	const char *who = r->path ? r->path : "<record>";
	struct { int f; const char *v; } dates[] = {
		{ F_DATE, r->date }, { F_REVIEW_BY, r->review_by }, { F_REVISIT, r->revisit },
		{ F_CLEANUP_BY, r->cleanup_by }
	};
	int rc;
	if ((int)r->status < ADR_STATUS_NONE || r->status > ADR_STATUS_SUPERSEDED)
		return adr__error(ADR_EINVALID, "%s: key 'status': %d is out of range", who, (int)r->status);
	if ((int)r->mode < ADR_MODE_NONE || r->mode > ADR_MODE_ASYNC)
		return adr__error(ADR_EINVALID, "%s: key 'mode': %d is out of range", who, (int)r->mode);
	if ((int)r->urgency < ADR_LEVEL_NONE || r->urgency > ADR_LEVEL_HIGH)
		return adr__error(ADR_EINVALID, "%s: key 'urgency': %d is out of range", who,
				  (int)r->urgency);
	if ((int)r->complexity < ADR_LEVEL_NONE || r->complexity > ADR_LEVEL_HIGH)
		return adr__error(ADR_EINVALID, "%s: key 'complexity': %d is out of range", who,
				  (int)r->complexity);
	if ((int)r->visibility < ADR_VISIBILITY_NONE || r->visibility > ADR_VISIBILITY_INTERNAL)
		return adr__error(ADR_EINVALID, "%s: key 'visibility': %d is out of range", who,
				  (int)r->visibility);
	for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
		if (dates[i].v[0] && !adr_date_valid(dates[i].v))
			return adr__error(ADR_EINVALID, "%s: key '%s': '%.10s' is not a valid date (YYYY-MM-DD)",
					  who, field_names[dates[i].f], dates[i].v);
	if ((rc = check_strlist(who, F_DECISION_MAKERS, &r->decision_makers)) < 0 ||
	    (rc = check_strlist(who, F_CONSULTED, &r->consulted)) < 0 ||
	    (rc = check_strlist(who, F_INFORMED, &r->informed)) < 0 ||
	    (rc = check_strlist(who, F_TAGS, &r->tags)) < 0 ||
	    (r->tags.count > ADR_RECORD_TAGS_MAX &&
	     (rc = adr__error(ADR_EINVALID, "%s: key 'tags': %zu tags, the limit is %d", who, r->tags.count,
			      ADR_RECORD_TAGS_MAX)) < 0) ||
	    (rc = check_strlist(who, F_AFFECTS, &r->affects)) < 0 ||
	    (rc = check_intlist(who, F_SUPERSEDES, &r->supersedes)) < 0 ||
	    (rc = check_intlist(who, F_SUPERSEDED_BY, &r->superseded_by)) < 0)
		return rc;
	for (size_t i = 0; i < r->nlinks; i++) {
		const adr_link *l = &r->links[i];
		if (!l->type || !adr_link_type_valid(l->type, strlen(l->type)))
			return adr__error(ADR_EINVALID,
					  "%s: key 'links': link type '%s' is not a lowercase word ([a-z][a-z0-9-]*)",
					  who, l->type ? l->type : "");
		if (l->target < 0 || l->target > NUMBER_MAX)
			return adr__error(ADR_EINVALID, "%s: key 'links': %d is not a record number", who,
					  l->target);
	}
	if ((rc = check_title(r->title)) < 0)
		return adr__error_prefix("%s", who);
	return 0;
}

/* Editing */

int adr_record_set_title(adr_record *r, const char *title)
{
	adr_buf b = ADR_BUF_INIT;
	h1_pos h;
	char *t;
	int rc;
	if ((rc = check_title(title)) < 0)
		return rc;
	h = find_h1(r->body ? r->body : "");
	if (h.found) {
		size_t n = h.text_end - h.text_start;
		size_t prefix = n ? number_prefix(r->body + h.text_start, n, r->number) : 0;
		if (h.setext) {
			adr_buf_put(&b, r->body, h.text_start);
		} else {
			adr_buf_put(&b, r->body, h.line_start);
			adr_buf_puts(&b, "# ");
		}
		if (prefix)
			adr_buf_printf(&b, "%d. ", r->number);
		adr_buf_puts(&b, title);
		adr_buf_puts(&b, r->body + (h.setext ? h.text_end : h.line_end));
	} else {
		const char *body = r->body ? r->body : "";
		const char *nl = strchr(body, '\n');
		const char *eol = nl && nl > body && nl[-1] == '\r' ? "\r\n" : "\n";
		adr_buf_printf(&b, "# %s%s", title, eol);
		if (*body)
			adr_buf_printf(&b, "%s%s", eol, body);
	}
	if (adr_buf_oom(&b) || !(t = adr__strdup(title))) {
		adr_buf_dispose(&b);
		return ADR_ENOMEM;
	}
	free(r->body);
	r->body = adr_buf_detach(&b);
	free(r->title);
	r->title = t;
	return 0;
}

int adr_record_add_link(adr_record *r, const char *type, int target)
{
	if (!type || !adr_link_type_valid(type, strlen(type)))
		return adr__error(ADR_EINVALID, "link type '%s' is not a lowercase word ([a-z][a-z0-9-]*)",
				  type ? type : "");
	if (target < 0 || target > NUMBER_MAX)
		return adr__error(ADR_EINVALID, "%d is not a record number", target);
	for (size_t i = 0; i < r->nlinks; i++)
		if (r->links[i].target == target && strcmp(r->links[i].type, type) == 0)
			return 0;
	return links_add(r, type, strlen(type), target);
}

/* Copying */

static int dup_str(char **dst, const char *src)
{
	if (!src) {
		*dst = NULL;
		return 0;
	}
	*dst = adr__strdup(src);
	return *dst ? 0 : ADR_ENOMEM;
}

static int frontmatter_dup(adr_frontmatter **out, const adr_frontmatter *fm)
{
	adr_frontmatter *c;
	*out = NULL;
	if (!fm)
		return 0;
	if (!(c = adr__calloc(1, sizeof(*c))))
		return ADR_ENOMEM;
	*out = c;
	c->bom = fm->bom;
	c->crlf = fm->crlf;
	c->indent = fm->indent;
	if (dup_str(&c->block, fm->block) < 0 || dup_str(&c->prefix, fm->prefix) < 0)
		return ADR_ENOMEM;
	for (int f = 0; f < F_COUNT; f++)
		if (dup_str(&c->canon[f], fm->canon[f]) < 0)
			return ADR_ENOMEM;
	if (fm->count && !(c->entries = adr__calloc(fm->count, sizeof(*c->entries))))
		return ADR_ENOMEM;
	for (size_t i = 0; i < fm->count; i++) {
		fm_entry *e = &c->entries[c->count++];
		e->field = fm->entries[i].field;
		e->head_len = fm->entries[i].head_len;
		if (dup_str(&e->key, fm->entries[i].key) < 0 || dup_str(&e->raw, fm->entries[i].raw) < 0)
			return ADR_ENOMEM;
	}
	return 0;
}

int adr_record_dup(adr_record **out, const adr_record *r)
{
	adr_record *c = adr__calloc(1, sizeof(*c));
	int rc = ADR_ENOMEM;
	*out = NULL;
	ADR_ALLOC_CHECK(c);
	c->number = r->number;
	c->status = r->status;
	memcpy(c->date, r->date, sizeof(c->date));
	c->mode = r->mode;
	c->urgency = r->urgency;
	c->complexity = r->complexity;
	memcpy(c->review_by, r->review_by, sizeof(c->review_by));
	memcpy(c->revisit, r->revisit, sizeof(c->revisit));
	memcpy(c->cleanup_by, r->cleanup_by, sizeof(c->cleanup_by));
	c->visibility = r->visibility;
	c->has_frontmatter = r->has_frontmatter;
	c->body_line = r->body_line;
	if (dup_str(&c->path, r->path) < 0 || dup_str(&c->slug, r->slug) < 0 ||
	    dup_str(&c->title, r->title) < 0 || dup_str(&c->status_word, r->status_word) < 0 ||
	    dup_str(&c->body, r->body) < 0)
		goto cleanup;
	if (adr_strlist_copy(&c->decision_makers, &r->decision_makers) < 0 ||
	    adr_strlist_copy(&c->consulted, &r->consulted) < 0 ||
	    adr_strlist_copy(&c->informed, &r->informed) < 0 ||
	    adr_strlist_copy(&c->tags, &r->tags) < 0 ||
	    adr_strlist_copy(&c->affects, &r->affects) < 0 ||
	    adr_strlist_copy(&c->warnings, &r->warnings) < 0 ||
	    intlist_copy(&c->supersedes, &r->supersedes) < 0 ||
	    intlist_copy(&c->superseded_by, &r->superseded_by) < 0)
		goto cleanup;
	for (size_t i = 0; i < r->nlinks; i++)
		if (links_add(c, r->links[i].type ? r->links[i].type : "",
			      r->links[i].type ? strlen(r->links[i].type) : 0, r->links[i].target) < 0)
			goto cleanup;
	if (frontmatter_dup(&c->fm, r->fm) < 0)
		goto cleanup;
	*out = c;
	c = NULL;
	rc = 0;
cleanup:
	adr_record_free(c);
	return rc;
}

/* File names */

int adr_record_filename(adr_buf *out, int number, const char *slug)
{
	if (number < 0 || number > NUMBER_MAX)
		return adr__error(ADR_EINVALID, "%d is not a record number", number);
	if (slug && *slug) {
		for (const char *p = slug; *p; p++)
			if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20 || *p == 0x7F)
				return adr__error(ADR_EINVALID, "slug '%s' is not a file name", slug);
		if (slug[0] == '.' || slug[0] == '-')
			return adr__error(ADR_EINVALID, "slug '%s' is not a file name", slug);
	}
	adr_buf_clear(out);
	if (slug && *slug)
		adr_buf_printf(out, "%04d-%s.md", number, slug);
	else
		adr_buf_printf(out, "%04d.md", number);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

int adr_record_parse_filename(int *number, adr_buf *slug_out, const char *filename)
{
	const char *base, *p, *end;
	size_t n, d = 0;
	long v = 0;
	*number = -1;
	if (!filename)
		return adr__error(ADR_ENOTFOUND, "no file name");
	base = strrchr(filename, '/');
	base = base ? base + 1 : filename;
	n = strlen(base);
	if (n >= 3 && ieqn(base + n - 3, ".md", 3))
		n -= 3;
	else if (memchr(base, '.', n))
		goto none;
	end = base + n;
	p = base;
	if (n >= 3 && ieqn(p, "adr", 3)) {
		p += 3;
		if (p < end && (*p == '-' || *p == '_'))
			p++;
	}
	while (p + d < end && is_digit(p[d]) && d < 8) {
		v = v * 10 + (p[d] - '0');
		d++;
	}
	/* no number, or 8 digits and more (a date prefix such as 20201016-) */
	if (d == 0 || d > 7 || (p + d < end && is_digit(p[d])))
		goto none;
	p += d;
	if (p < end && *p != '-' && *p != '_')
		goto none;
	if (p < end)
		p++;
	if (slug_out) {
		adr_buf_clear(slug_out);
		if (adr_buf_put(slug_out, p, (size_t)(end - p)) < 0)
			return ADR_ENOMEM;
	}
	*number = (int)v;
	return 0;
none:
	return adr__error(ADR_ENOTFOUND, "'%s' does not start with a record number", filename);
}
