/*
 * log/meeting.c: synchronous decisions: meeting minutes in, one commit of
 * accepted records out.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/commit.h"
#include "adr/meeting.h"
#include "adr/revisit.h"
#include "log/ops_internal.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/utf8.h"

void adr_meeting_dispose(adr_meeting *m)
{
	for (size_t i = 0; i < m->count; i++) {
		free(m->items[i].title);
		free(m->items[i].decision);
		free(m->items[i].rationale);
		free(m->items[i].options);
	}
	free(m->items);
	adr_strlist_dispose(&m->attendees);
	memset(m, 0, sizeof(*m));
}

/* Minutes are UTF-8 text without NUL; the error names the first bad byte
 * as `path:line:col` (found by tests/fuzz/fuzz_meeting.c: it named no place). */
static int minutes_text_check(const char *path, const char *text, size_t len)
{
	const unsigned char *u = (const unsigned char *)text;
	int line = 1, col = 1;
	for (size_t i = 0; i < len;) {
		int k = u[i] ? adr__utf8_next(u + i, len - i, NULL) : 0;
		if (k <= 0 && !u[i])
			return adr__error(ADR_EINVALID, "%s:%d:%d: not valid UTF-8 text (a NUL byte)", path, line, col);
		if (k <= 0)
			return adr__error(ADR_EINVALID, "%s:%d:%d: not valid UTF-8 text (byte 0x%02x)", path, line, col,
					  u[i]);
		if (u[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
		i += (size_t)k;
	}
	return 0;
}

static char *trimmed(const char *s)
{
	size_t n;
	if (!s)
		return adr__strdup("");
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
		n--;
	return adr__strndup(s, n);
}

int adr_meeting_add(adr_meeting *m, const char *title, const char *decision, const char *rationale,
		    const char *options)
{
	adr_meeting_item *it;
	adr_buf slug = ADR_BUF_INIT;
	int rc;

	if ((rc = adr_slugify(&slug, title ? title : "")) < 0) {
		adr_buf_dispose(&slug);
		return rc;
	}
	adr_buf_dispose(&slug);
	/* blank counts as missing (found by tests/fuzz/fuzz_meeting.c: `Decision:` then blank lines) */
	while (decision && (*decision == ' ' || *decision == '\t' || *decision == '\n' || *decision == '\r'))
		decision++;
	if (!decision || !*decision)
		return adr__error(ADR_EINVALID, "'%s': the decision itself is missing", title);
	if ((m->count & 7) == 0) {
		adr_meeting_item *p = adr__reallocarray(m->items, m->count + 8, sizeof(*p));
		ADR_ALLOC_CHECK(p);
		m->items = p;
	}
	it = &m->items[m->count];
	memset(it, 0, sizeof(*it));
	it->title = trimmed(title);
	it->decision = trimmed(decision);
	it->rationale = trimmed(rationale);
	it->options = trimmed(options);
	if (!it->title || !it->decision || !it->rationale || !it->options) {
		free(it->title);
		free(it->decision);
		free(it->rationale);
		free(it->options);
		return ADR_ENOMEM;
	}
	m->count++;
	return 0;
}

static int field_of(const char *line, size_t n, size_t *skip)
{
	static const char *const names[] = { "Decision:", "Rationale:", "Options:", NULL };
	for (int i = 0; names[i]; i++) {
		size_t k = strlen(names[i]);
		if (n >= k && strncasecmp(line, names[i], k) == 0) {
			*skip = k;
			return i;
		}
	}
	return -1;
}

/* Where adr_meeting_parse() is in the minutes. */
typedef struct {
	adr_meeting *m;
	const char *path;
	int lineno;
	bool in_item;           /* after a '## Decision:' heading */
	adr_buf title;
	int title_line;
	adr_buf f[3];           /* Decision, Rationale, Options */
	int cur;                /* the field a line of text goes to, or -1 */
} minutes;

/* Adds the decision the last heading began, if any. */
static int end_item(minutes *mp)
{
	if (!mp->in_item)
		return 0;
	if (!mp->f[0].size)
		return adr__error(ADR_EINVALID, "%s:%d:1: decision '%s' has no 'Decision:' line", mp->path,
				  mp->title_line, mp->title.ptr);
	if (adr_meeting_add(mp->m, mp->title.ptr, mp->f[0].ptr, mp->f[1].ptr, mp->f[2].ptr) < 0)
		return adr__error_prefix("%s:%d:4", mp->path, mp->title_line);
	mp->m->items[mp->m->count - 1].line = mp->title_line;
	return 0;
}

/* A '## ' heading: it must begin a decision. */
static int start_item(minutes *mp, const char *line, size_t n)
{
	const char *h = line + 3;
	size_t hn = n - 3;
	if (hn < 9 || strncasecmp(h, "Decision:", 9) != 0)
		return adr__error(ADR_EINVALID, "%s:%d:4: expected '## Decision: TITLE'", mp->path, mp->lineno);
	adr_buf_clear(&mp->title);
	adr_buf_put(&mp->title, h + 9, hn - 9);
	for (int k = 0; k < 3; k++)
		adr_buf_clear(&mp->f[k]);
	mp->in_item = true;
	mp->cur = -1;
	mp->title_line = mp->lineno;
	return 0;
}

/* A line before the first decision: attendees, a title, or nothing. */
static int head_line(minutes *mp, const char *line, size_t n)
{
	const char *p, *end = line + n;

	if (!(n >= 10 && strncasecmp(line, "Attendees:", 10) == 0)) {
		if (n && line[0] != '#')
			return adr__error(ADR_EINVALID, "%s:%d:1: text before the first '## Decision:' heading "
							"(only 'Attendees:' and a '# ' title may come first)",
					  mp->path, mp->lineno);
		return 0;
	}
	for (p = line + 10; p < end;) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		const char *e = comma ? comma : end;
		char *name = adr__strndup(p, (size_t)(e - p)), *t = name ? trimmed(name) : NULL;
		free(name);
		ADR_ALLOC_CHECK(t);
		if (*t)
			adr_strlist_add_unique(&mp->m->attendees, t);
		free(t);
		p = comma ? comma + 1 : end;
	}
	return 0;
}

/* A line inside a decision: a field starts, or the current one goes on. */
static int item_line(minutes *mp, const char *line, size_t n)
{
	size_t skip;
	int fld = field_of(line, n, &skip);

	if (fld >= 0) {
		if (mp->f[fld].size)
			return adr__error(ADR_EINVALID, "%s:%d:1: a second '%.*s' in the same decision", mp->path,
					  mp->lineno, (int)skip, line);
		mp->cur = fld;
		line += skip;
		n -= skip;
	} else if (mp->cur < 0) {
		if (n)
			return adr__error(ADR_EINVALID, "%s:%d:1: text outside a field; start it with 'Decision:', "
							"'Rationale:' or 'Options:'", mp->path, mp->lineno);
		return 0;
	}
	adr_buf_put(&mp->f[mp->cur], line, n);
	adr_buf_putc(&mp->f[mp->cur], '\n');
	return 0;
}

int adr_meeting_parse(adr_meeting *m, const char *path, const char *text, size_t len)
{
	minutes mp = { m, path ? path : "<minutes>", 0, false, ADR_BUF_INIT, 0,
		       { ADR_BUF_INIT, ADR_BUF_INIT, ADR_BUF_INIT }, -1 };
	int rc;
	size_t i = 0;

	if ((rc = minutes_text_check(mp.path, text, len)) < 0)
		return rc;
	while (i <= len) {
		const char *line = text + i;
		const char *nl = i < len ? memchr(line, '\n', len - i) : NULL;
		size_t n = nl ? (size_t)(nl - line) : len - i;
		bool last = i >= len;

		mp.lineno++;
		if (n && line[n - 1] == '\r')
			n--;
		if (last || (n >= 3 && strncmp(line, "## ", 3) == 0)) {
			if ((rc = end_item(&mp)) < 0 || last)
				break;
			rc = start_item(&mp, line, n);
		} else {
			rc = mp.in_item ? item_line(&mp, line, n) : head_line(&mp, line, n);
		}
		if (rc < 0)
			break;
		i = nl ? (size_t)(nl - text) + 1 : len;
	}
	if (!m->count && rc == 0)
		rc = adr__error(ADR_EINVALID, "%s:%d:1: no '## Decision: TITLE' section", mp.path, mp.lineno);
	for (int k = 0; k < 3; k++)
		adr_buf_dispose(&mp.f[k]);
	adr_buf_dispose(&mp.title);
	return rc;
}

typedef struct {
	adr_op_result *res;
	adr_strlist *paths;
	const adr_meeting *m;
	char revisit[11];   /* every decision's revisit date ("": none) */
} meeting_ctx;

/* Options as a list: lines kept as they are, a one-line comma list split into bullets. */
static void put_options(adr_buf *b, const char *opts)
{
	if (!strchr(opts, '\n') && strchr(opts, ',')) {
		const char *p = opts;
		while (*p) {
			const char *comma = strchr(p, ',');
			size_t n = comma ? (size_t)(comma - p) : strlen(p);
			char *item = adr__strndup(p, n), *t = item ? trimmed(item) : NULL;
			if (t && *t)
				adr_buf_printf(b, "- %s\n", t);
			free(item);
			free(t);
			p = comma ? comma + 1 : p + n;
		}
		return;
	}
	adr_buf_printf(b, "%s\n", opts);
}

/* The record of one decision, not yet numbered: its body from the minutes. */
static int meeting_record(adr_record **out, const adr_meeting_item *it)
{
	adr_buf body = ADR_BUF_INIT;
	adr_record *r = NULL;
	int rc;

	*out = NULL;
	adr_buf_printf(&body, "# %s\n\n## Decision\n\n%s\n", it->title, it->decision);
	if (*it->rationale)
		adr_buf_printf(&body, "\n## Rationale\n\n%s\n", it->rationale);
	if (*it->options) {
		adr_buf_puts(&body, "\n## Options considered\n\n");
		put_options(&body, it->options);
	}
	if (adr_buf_oom(&body)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = adr_record_new(&r)) < 0)
		goto cleanup;
	free(r->body);
	r->body = adr_buf_detach(&body);
	if ((rc = adr_record_set_title(r, it->title)) < 0)
		goto cleanup;
	*out = r;
	r = NULL;
cleanup:
	adr_record_free(r);
	adr_buf_dispose(&body);
	return rc;
}

static int meeting_fn(adr_change *ch, void *payload)
{
	meeting_ctx *c = payload;
	adr_repo *repo = adr_change_repo(ch);
	adr_buf path = ADR_BUF_INIT, slug = ADR_BUF_INIT;
	adr_record *r = NULL;
	char tomorrow[11], num[16];
	int rc = 0, number, first = 0;

	adr_date_at(tomorrow, adr_now() + 86400);
	adr_strlist_dispose(c->paths);
	for (size_t i = 0; i < c->m->count; i++) {
		const adr_meeting_item *it = &c->m->items[i];
		if ((rc = meeting_record(&r, it)) < 0 || (rc = adr_slugify(&slug, it->title)) < 0 ||
		    (rc = adr__op_next_record(&path, &number, ch, slug.ptr)) < 0)
			goto cleanup;
		if (!first)
			first = number;
		r->number = number;
		if (!(r->path = adr__strdup(path.ptr))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		r->status = ADR_STATUS_ACCEPTED;
		adr_today(r->date);
		r->mode = ADR_MODE_SYNC;
		memcpy(r->cleanup_by, tomorrow, sizeof(tomorrow));
		memcpy(r->revisit, c->revisit, sizeof(r->revisit));
		r->visibility = adr_repo_default_visibility(repo);
		adr__trailer_number(num, number);
		if ((rc = adr_strlist_copy(&r->decision_makers, &c->m->attendees)) < 0 ||
		    (rc = adr_change_write_record(ch, r)) < 0 || (rc = adr_strlist_add(c->paths, path.ptr)) < 0 ||
		    (rc = adr_change_add_trailer(ch, ADR_TRAILER_RECORD, num)) < 0)
			goto cleanup;
		adr_record_free(r);
		r = NULL;
	}
	/* The records' trailers come first, then the action. */
	if ((rc = adr__op_message(ch, "meeting", NULL, "meeting, %zu decision%s (%04d%s)", c->m->count,
				  c->m->count == 1 ? "" : "s", first, c->m->count > 1 ? "..." : "")) < 0)
		goto cleanup;
	c->res->number = first;
cleanup:
	adr_record_free(r);
	adr_buf_dispose(&path);
	adr_buf_dispose(&slug);
	return rc;
}

int adr_op_meeting(adr_op_result *res, adr_strlist *paths, adr_repo *repo, const adr_meeting *m)
{
	meeting_ctx c = { res, paths, m, "" };
	int rc;
	if (!m->count)
		return adr__error(ADR_EUSAGE, "no decisions to record");
	if (!m->attendees.count)
		return adr__error(ADR_EUSAGE, "a meeting needs attendees (they are the decision-makers)");
	for (size_t i = 0; i < m->attendees.count; i++) {
		const char *a = m->attendees.items[i];
		if (!*a || strchr(a, '\n') || adr__text_check("an attendee", a, strlen(a)) < 0)
			return adr__error(ADR_EUSAGE, "attendee '%s' is not one line of UTF-8 text", a);
	}
	if ((m->revisit || adr_repo_revisit_cadence(repo)) &&
	    (rc = adr_revisit_date(c.revisit, repo, m->revisit, "--revisit")) < 0)
		return rc;
	return adr__op_commit(res, repo, meeting_fn, &c, NULL);
}
