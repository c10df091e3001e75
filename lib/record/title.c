/*
 * title.c: the Markdown title scanner: finds a record's first H1 (ATX `# T`
 * or setext `T` / `===`) outside fenced code and HTML comments, without a
 * Markdown library, so that parsing a record can take its title and
 * adr_record_set_title() can rewrite that one line and leave the rest of
 * the body as it was.
 */
#include "adr/record.h"
#include "record/record_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

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
	return k > 0 && adr__record_blank(s + i + k, n - i - k);
}

/* A line that can be a one-line paragraph (for a setext heading). */
static bool plain_text_line(const char *s, size_t n)
{
	size_t i = indent_of(s, n);
	char c;
	if (i > 3 || i >= n || adr__record_blank(s, n))
		return false;
	c = s[i];
	if (c == '#' || c == '>' || c == '<' || c == '|' || c == '=')
		return false;
	if ((c == '-' || c == '*' || c == '+') && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\t'))
		return false;
	if (adr__record_is_digit(c)) {
		size_t j = i;
		while (j < n && adr__record_is_digit(s[j]))
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
			if (k >= fence && ch == fence_ch && adr__record_blank(s + indent_of(s, n) + k, n - indent_of(s, n) - k))
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
		} else if (adr__record_blank(s, n)) {
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
	while (i < n && adr__record_is_digit(s[i]) && i < 9)
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

int adr__record_title_from_body(adr_record *r)
{
	h1_pos h = find_h1(r->body);
	size_t skip;
	if (!h.found || h.text_end <= h.text_start)
		return 0;
	skip = number_prefix(r->body + h.text_start, h.text_end - h.text_start, r->number);
	return adr__record_set_str(&r->title, r->body + h.text_start + skip, h.text_end - h.text_start - skip);
}

int adr_record_set_title(adr_record *r, const char *title)
{
	adr_buf b = ADR_BUF_INIT;
	h1_pos h;
	char *t;
	int rc;
	if ((rc = adr__record_check_title(title)) < 0)
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

int adr_record_append_section(adr_record *r, const char *heading, const char *text)
{
	adr_buf body = ADR_BUF_INIT;
	size_t bl = r->body ? strlen(r->body) : 0;

	adr_buf_put(&body, r->body ? r->body : "", bl);
	if (bl && r->body[bl - 1] != '\n')
		adr_buf_putc(&body, '\n');
	adr_buf_printf(&body, "\n## %s\n\n%s\n", heading, text);
	if (adr_buf_oom(&body)) {
		adr_buf_dispose(&body);
		return ADR_ENOMEM;
	}
	free(r->body);
	r->body = adr_buf_detach(&body);
	return 0;
}
