/*
 * record/placeholder.c: which lines of a record are a template's
 * placeholder text (record/placeholder.h).
 */
#include "record/placeholder.h"

#include <string.h>
#include <strings.h>

#include "util/error.h"

/* s[0..*n) without blanks (and '\r') at either end. */
static const char *trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t'))
		s++, (*n)--;
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t' || s[*n - 1] == '\r'))
		(*n)--;
	return s;
}

static size_t line_len(const char *p)
{
	const char *nl = strchr(p, '\n');
	return nl ? (size_t)(nl - p) : strlen(p);
}

/* Whether s[0..n) holds a {{field}}. */
static bool has_field(const char *s, size_t n)
{
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '{' && s[i + 1] == '{')
			return true;
	return false;
}

/* Where the body of a template starts: after its front matter, if any. */
static const char *template_body(const char *t, const char *end)
{
	const char *p;
	if (end - t < 4 || strncmp(t, "---", 3) || (t[3] != '\n' && t[3] != '\r'))
		return t;
	for (p = strchr(t, '\n'); p && p + 1 < end; p = strchr(p + 1, '\n'))
		if (!strncmp(p + 1, "---", 3) && (p + 4 >= end || p[4] == '\n' || p[4] == '\r')) {
			p = strchr(p + 1, '\n');
			return p ? p + 1 : end;
		}
	return t;
}

int adr__placeholders_add(adr__placeholders *p, const char *tmpl, size_t len)
{
	adr_buf copy = ADR_BUF_INIT;
	const char *s, *end;
	int rc = 0;
	if (adr_buf_put(&copy, tmpl, len) < 0)
		return ADR_ENOMEM;
	end = copy.ptr + copy.size;
	for (s = template_body(copy.ptr, end); s < end && *s; ) {
		size_t n = line_len(s), tn = n;
		const char *t = trim(s, &tn);
		if (tn && t[0] != '#' && !has_field(t, tn) && (rc = adr_strlist_addn(&p->lines, t, tn)) < 0)
			break;
		s += n + (s[n] == '\n');
	}
	adr_buf_dispose(&copy);
	return rc;
}

void adr__placeholders_dispose(adr__placeholders *p)
{
	if (p)
		adr_strlist_dispose(&p->lines);
}

bool adr__placeholder_is(const adr__placeholders *p, const char *line, size_t n)
{
	const char *t = trim(line, &n);
	if (!n)
		return false;
	for (size_t i = 0; i < p->lines.count; i++)
		if (strlen(p->lines.items[i]) == n && !memcmp(p->lines.items[i], t, n))
			return true;
	return false;
}

int adr__placeholder_find(const adr__placeholders *p, const char *body, size_t *count)
{
	int first = 0, line = 1;
	size_t c = 0;
	for (const char *s = body ? body : ""; *s; line++) {
		size_t n = line_len(s);
		if (adr__placeholder_is(p, s, n)) {
			c++;
			if (!first)
				first = line;
		}
		s += n + (s[n] == '\n');
	}
	if (count)
		*count = c;
	return first;
}

/* The level of an ATX heading line (0: not a heading), its text in *text. */
static int heading(const char *s, size_t n, const char **text, size_t *tn)
{
	size_t level = 0;
	while (level < n && s[level] == '#')
		level++;
	if (!level || level > 6 || (level < n && s[level] != ' ' && s[level] != '\t'))
		return 0;
	*tn = n - level;
	*text = trim(s + level, tn);
	return (int)level;
}

int adr__placeholder_empty_decision(const adr__placeholders *p, const char *body)
{
	int line = 1, at = 0, level = 0;
	for (const char *s = body ? body : ""; *s; line++) {
		size_t n = line_len(s), tn;
		const char *t;
		int h = heading(s, n, &t, &tn);
		if (at && h && h <= level)
			return at;
		if (!at && h && ((tn == 8 && !strncasecmp(t, "Decision", 8)) ||
				 (tn == 16 && !strncasecmp(t, "Decision Outcome", 16)))) {
			at = line;
			level = h;
		} else if (at && !h) {
			size_t bn = n;
			trim(s, &bn);
			if (bn && !adr__placeholder_is(p, s, n))
				return 0;
		}
		s += n + (s[n] == '\n');
	}
	return at;
}

int adr__placeholder_strip(const adr__placeholders *p, adr_buf *out, const char *body)
{
	bool blank = false;
	for (const char *s = body ? body : ""; *s; ) {
		size_t n = line_len(s), bn = n;
		bool nl = s[n] == '\n';
		trim(s, &bn);
		if (!adr__placeholder_is(p, s, n) && !(bn == 0 && blank)) {
			adr_buf_put(out, s, n + nl);
			blank = bn == 0;
		}
		s += n + nl;
	}
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}
