/*
 * import_repair.c: the front matter that other tools accept and YAML does
 * not, mended for adr import (log/import_internal.h): an unquoted value
 * that starts with '@' or a backtick, or that holds ": " or ends with ':',
 * is quoted (single quotes, so nothing in it is an escape); tabs in a
 * line's indentation become two spaces each. Only these, line by line, and
 * nothing inside a block scalar (`|`, `>`) or a comment. Each change is
 * said as "file:line: before -> after". What this does not mend stays as
 * it was: import then copies that record unchanged, with its error.
 */
#include "log/import_internal.h"

#include <string.h>

#include "util/strlistf.h"

/* True when a plain (unquoted) scalar `v` of `n` bytes is one YAML refuses
 * or reads as something else, and quoting it keeps its text. */
static bool needs_quotes(const char *v, size_t n)
{
	if (!n || strchr("\"'[{|>&*!#%", v[0]))
		return false;
	for (size_t i = 0; i + 1 < n; i++)
		if ((v[i] == ' ' || v[i] == '\t') && v[i + 1] == '#')
			return false; /* a comment follows: quoting would take it in */
	if (v[0] == '@' || v[0] == '`' || v[n - 1] == ':')
		return true;
	for (size_t i = 0; i + 1 < n; i++)
		if (v[i] == ':' && (v[i + 1] == ' ' || v[i + 1] == '\t'))
			return true;
	return false;
}

static void put_quoted(adr_buf *out, const char *v, size_t n)
{
	adr_buf_putc(out, '\'');
	for (size_t i = 0; i < n; i++) {
		if (v[i] == '\'')
			adr_buf_putc(out, '\'');
		adr_buf_putc(out, v[i]);
	}
	adr_buf_putc(out, '\'');
}

static size_t trim_end(const char *v, size_t n)
{
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t'))
		n--;
	return n;
}

/* A flow list `[a, @b]` with each item that needs it quoted; false when it
 * is not a simple one (quotes, nesting) or needs nothing. */
static bool repair_flow(adr_buf *out, const char *v, size_t n)
{
	bool changed = false;
	size_t i = 1;

	if (n < 2 || v[0] != '[' || v[n - 1] != ']')
		return false;
	for (size_t k = 1; k + 1 < n; k++)
		if (strchr("[]{}\"'#", v[k]))
			return false;
	adr_buf_putc(out, '[');
	while (i < n - 1) {
		size_t s = i, e;
		while (s < n - 1 && v[s] == ' ')
			s++;
		e = s;
		while (e < n - 1 && v[e] != ',')
			e++;
		if (s < e && (v[s] == '@' || v[s] == '`')) { /* in a flow list, ": " is not an item of its own to quote */
			put_quoted(out, v + s, trim_end(v + s, e - s));
			changed = true;
		} else {
			adr_buf_put(out, v + s, trim_end(v + s, e - s));
		}
		if (e < n - 1)
			adr_buf_puts(out, ", ");
		i = e + 1;
	}
	adr_buf_putc(out, ']');
	return changed;
}

/*
 * One front matter line (without its newline) into `out`; true when it
 * changed. `block` is the indentation of a block scalar's key while its
 * lines are read (-1: none), kept across lines.
 */
static bool repair_line(adr_buf *out, const char *line, size_t n, int *block)
{
	size_t ind = 0, i = 0, key_end = 0, vs, ve;
	bool changed = false, cr = n && line[n - 1] == '\r';
	size_t start = out->size;

	if (cr)
		n--;
	/* the indentation, tabs as two spaces */
	for (i = 0; i < n && (line[i] == ' ' || line[i] == '\t'); i++) {
		adr_buf_puts(out, line[i] == '\t' ? "  " : " ");
		ind += line[i] == '\t' ? 2 : 1;
		changed |= line[i] == '\t';
	}
	if (*block >= 0 && (i == n || (int)ind > *block)) { /* a block scalar's text is kept as it is */
		adr_buf_truncate(out, start);
		adr_buf_put(out, line, n + cr);
		return false;
	}
	*block = -1;
	if (i == n || line[i] == '#') {
		adr_buf_put(out, line + i, n + cr - i);
		return changed;
	}
	/* "- " list markers */
	while (i + 1 < n && line[i] == '-' && line[i + 1] == ' ') {
		adr_buf_puts(out, "- ");
		for (i += 2; i < n && line[i] == ' '; i++)
			adr_buf_putc(out, ' ');
	}
	/* "key: value", the key a plain word */
	vs = i;
	if (i < n && !strchr("\"'[{@`", line[i])) {
		for (size_t k = i; k < n && line[k] != ' '; k++)
			if (line[k] == ':' && (k + 1 == n || line[k + 1] == ' ' || line[k + 1] == '\t')) {
				key_end = k + 1;
				break;
			}
	}
	if (key_end) {
		adr_buf_put(out, line + i, key_end - i);
		for (vs = key_end; vs < n && (line[vs] == ' ' || line[vs] == '\t'); vs++)
			adr_buf_putc(out, line[vs]);
	}
	ve = trim_end(line, n);
	if (ve < vs)
		ve = vs;
	if (key_end && vs < ve && (line[vs] == '|' || line[vs] == '>')) {
		*block = (int)ind;
	} else if (needs_quotes(line + vs, ve - vs)) {
		put_quoted(out, line + vs, ve - vs);
		adr_buf_put(out, line + ve, n - ve);
		changed = true;
		goto done;
	} else {
		size_t before = out->size;
		if (repair_flow(out, line + vs, ve - vs)) {
			adr_buf_put(out, line + ve, n - ve);
			changed = true;
			goto done;
		}
		adr_buf_truncate(out, before);
	}
	adr_buf_put(out, line + vs, n - vs);
done:
	if (cr)
		adr_buf_putc(out, '\r');
	return changed;
}

/* The line of `s` (n bytes) for a message: without its CR, at most 80 bytes. */
static int say(adr_buf *msg, const char *s, size_t n)
{
	if (n && s[n - 1] == '\r')
		n--;
	if (n > 80) {
		adr_buf_put(msg, s, 77);
		return adr_buf_puts(msg, "...");
	}
	return adr_buf_put(msg, s, n);
}

int adr__import_repair(adr_buf *out, adr_strlist *repaired, const char *display, const char *data, size_t len)
{
	const char *p = data, *end = data + len;
	adr_buf msg = ADR_BUF_INIT;
	int line = 1, block = -1, rc = 0;
	bool any = false;

	adr_buf_clear(out);
	if (len < 4 || strncmp(data, "---", 3) || (data[3] != '\n' && data[3] != '\r'))
		return 0;
	p = memchr(data, '\n', len);
	if (!p)
		return 0;
	p++;
	adr_buf_put(out, data, (size_t)(p - data));
	for (line = 2; p < end; line++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p), at = out->size;
		if ((n >= 3 && (!strncmp(p, "---", 3) || !strncmp(p, "...", 3))) &&
		    trim_end(p + 3, n - 3) == (p[n - 1] == '\r' ? 1 : 0)) {
			adr_buf_put(out, p, (size_t)(end - p)); /* the end of the front matter: the rest as it is */
			break;
		}
		if (repair_line(out, p, n, &block)) {
			any = true;
			adr_buf_clear(&msg);
			adr_buf_printf(&msg, "%s:%d: ", display, line);
			say(&msg, p, n);
			adr_buf_puts(&msg, " -> ");
			say(&msg, out->ptr + at, out->size - at);
			if (adr_buf_oom(&msg) || (rc = adr_strlist_add(repaired, msg.ptr)) < 0) {
				rc = ADR_ENOMEM;
				break;
			}
		}
		if (nl)
			adr_buf_putc(out, '\n');
		p = nl ? nl + 1 : end;
	}
	adr_buf_dispose(&msg);
	if (rc == 0 && adr_buf_oom(out))
		rc = ADR_ENOMEM;
	return rc < 0 ? rc : any;
}
