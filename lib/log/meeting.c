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
#include "adr/proposal.h"
#include "adr/revisit.h"
#include "log/ops_internal.h"
#include "record/trailers.h"
#include "text/yaml.h"
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
		free(m->items[i].context);
		free(m->items[i].consequences);
		free(m->items[i].next_steps);
		free(m->items[i].owner);
		adr_strlist_dispose(&m->items[i].tags);
		adr_strlist_dispose(&m->items[i].consulted);
		adr_strlist_dispose(&m->items[i].informed);
	}
	free(m->items);
	adr_strlist_dispose(&m->attendees);
	free(m->owner);
	adr_strlist_dispose(&m->tags);
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

/* The fields of a decision in minutes. */
enum {
	M_DECISION,
	M_RATIONALE,
	M_OPTIONS,
	M_CONTEXT,
	M_CONSEQUENCES,
	M_NEXT,
	M_OWNER,
	M_TAGS,
	M_VISIBILITY,
	M_CONSULTED,
	M_INFORMED,
	M_COUNT
};

/* Each field's names (any case), in the order the error lists them. */
static const struct {
	const char *name;
	int field;
} field_names[] = {
	{ "Context", M_CONTEXT },
	{ "Options", M_OPTIONS },
	{ "Options considered", M_OPTIONS },
	{ "Decision", M_DECISION },
	{ "Rationale", M_RATIONALE },
	{ "Consequences", M_CONSEQUENCES },
	{ "Next steps", M_NEXT },
	{ "Owner", M_OWNER },
	{ "Tags", M_TAGS },
	{ "Visibility", M_VISIBILITY },
	{ "Consulted", M_CONSULTED },
	{ "Informed", M_INFORMED },
};
#define NFIELD_NAMES (sizeof(field_names) / sizeof(field_names[0]))

/* The field named by the `n` bytes at `s` (any case), or -1. */
static int field_named(const char *s, size_t n)
{
	for (size_t i = 0; i < NFIELD_NAMES; i++)
		if (strlen(field_names[i].name) == n && strncasecmp(s, field_names[i].name, n) == 0)
			return field_names[i].field;
	return -1;
}

/* The field's first name. */
static const char *field_title(int fld)
{
	for (size_t i = 0; i < NFIELD_NAMES; i++)
		if (field_names[i].field == fld)
			return field_names[i].name;
	return "?";
}

static bool is_label_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '-' ||
	       c == '_';
}

/* Where adr_meeting_parse() is in the minutes. */
typedef struct {
	adr_meeting *m;
	const char *path;
	int lineno;
	bool in_item;           /* after a '## Decision:' heading */
	adr_buf title;
	int title_line;
	adr_buf f[M_COUNT];     /* the fields' text */
	int f_line[M_COUNT];    /* where each began, 0 when not given */
	int cur;                /* the field a line of text goes to, or -1 */
} minutes;

/* Adds the names in `text` (commas, lines, `- ` bullets) to `l`. */
static int add_names(adr_strlist *l, const char *text)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, ",\n");
		char *item = adr__strndup(p, n), *t = item ? trimmed(item) : NULL, *v = t;
		int rc = 0;
		free(item);
		ADR_ALLOC_CHECK(t);
		if ((v[0] == '-' || v[0] == '*') && (v[1] == ' ' || v[1] == '\t'))
			for (v++; *v == ' ' || *v == '\t'; v++)
				;
		if (*v)
			rc = adr_strlist_add_unique(l, v);
		free(t);
		if (rc < 0)
			return rc;
		p += n;
		if (*p)
			p++;
	}
	return 0;
}

/* The fields beyond title, decision, rationale and options, onto `it`. */
static int item_fields(minutes *mp, adr_meeting_item *it)
{
	static const int texts[] = { M_CONTEXT, M_CONSEQUENCES, M_NEXT, M_OWNER };
	char **slots[] = { &it->context, &it->consequences, &it->next_steps, &it->owner };
	int rc;

	for (size_t k = 0; k < sizeof(texts) / sizeof(texts[0]); k++) {
		if (!mp->f_line[texts[k]])
			continue;
		ADR_ALLOC_CHECK(*slots[k] = trimmed(mp->f[texts[k]].ptr));
	}
	if (it->owner && strchr(it->owner, '\n'))
		return adr__error(ADR_EINVALID, "%s:%d:1: 'Owner' is one name on one line", mp->path, mp->f_line[M_OWNER]);
	if (it->owner && !*it->owner) {
		free(it->owner);
		it->owner = NULL;
	}
	if (mp->f_line[M_VISIBILITY]) {
		char *v = trimmed(mp->f[M_VISIBILITY].ptr);
		ADR_ALLOC_CHECK(v);
		rc = adr_visibility_parse(&it->visibility, v);
		if (rc < 0)
			rc = adr__error(ADR_EINVALID, "%s:%d:1: visibility '%s' is not public, partner or internal",
					mp->path, mp->f_line[M_VISIBILITY], v);
		free(v);
		if (rc < 0)
			return rc;
	}
	if ((rc = add_names(&it->tags, mp->f[M_TAGS].ptr)) < 0 ||
	    (rc = add_names(&it->consulted, mp->f[M_CONSULTED].ptr)) < 0 ||
	    (rc = add_names(&it->informed, mp->f[M_INFORMED].ptr)) < 0)
		return rc;
	return 0;
}

/* Adds the decision the last heading began, if any. */
static int end_item(minutes *mp)
{
	if (!mp->in_item)
		return 0;
	if (!mp->f[M_DECISION].size)
		return adr__error(ADR_EINVALID, "%s:%d:1: decision '%s' has no 'Decision:' line", mp->path,
				  mp->title_line, mp->title.ptr);
	if (adr_meeting_add(mp->m, mp->title.ptr, mp->f[M_DECISION].ptr, mp->f[M_RATIONALE].ptr,
			    mp->f[M_OPTIONS].ptr) < 0)
		return adr__error_prefix("%s:%d:4", mp->path, mp->title_line);
	mp->m->items[mp->m->count - 1].line = mp->title_line;
	return item_fields(mp, &mp->m->items[mp->m->count - 1]);
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
	for (int k = 0; k < M_COUNT; k++) {
		adr_buf_clear(&mp->f[k]);
		mp->f_line[k] = 0;
	}
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

static int unknown_field(const minutes *mp, int col, const char *name, size_t n)
{
	char known[256];
	size_t k = 0;
	known[0] = '\0';
	for (size_t i = 0; i < NFIELD_NAMES && k < sizeof(known); i++)
		k += (size_t)snprintf(known + k, sizeof(known) - k, "%s%s", i ? ", " : "", field_names[i].name);
	return adr__error(ADR_EINVALID, "%s:%d:%d: unknown field '%.*s' (known: %s); text that only looks like a "
					"field: indent the line", mp->path, mp->lineno, col, (int)n, name, known);
}

/*
 * Whether a line inside a decision starts a field: a heading `### Name`
 * (any level from 3), `Name: text`, or `Name` alone. *fld is the field
 * (-1: none, the line is text), *skip where its text begins. A heading or
 * a `Label:` that names no field is an error.
 */
static int field_start(const minutes *mp, const char *line, size_t n, int *fld, size_t *skip)
{
	size_t i = 0, e;

	*fld = -1;
	while (i < n && i < 7 && line[i] == '#')
		i++;
	if (i >= 3 && i <= 6 && i < n && (line[i] == ' ' || line[i] == '\t')) {
		size_t b;
		while (i < n && (line[i] == ' ' || line[i] == '\t'))
			i++;
		b = i;
		e = n;
		while (e > b && (line[e - 1] == ' ' || line[e - 1] == '\t' || line[e - 1] == '#'))
			e--;
		if (e > b && line[e - 1] == ':')
			e--;
		if ((*fld = field_named(line + b, e - b)) < 0)
			return unknown_field(mp, (int)b + 1, line + b, e - b);
		*skip = n;
		return 0;
	}
	/* `Label:` then a blank or the end: a field, known or not. */
	for (e = 0; e < n && e <= 32 && is_label_char(line[e]); e++)
		;
	if (e > 0 && e < n && line[e] == ':' && line[0] != ' ' && line[0] != '-' && line[e - 1] != ' ' &&
	    (e + 1 == n || line[e + 1] == ' ' || line[e + 1] == '\t')) {
		int words = 1;
		for (size_t k = 0; k < e; k++)
			words += line[k] == ' ';
		if (words <= 3) {
			if ((*fld = field_named(line, e)) < 0)
				return unknown_field(mp, 1, line, e);
			*skip = e + 1;
			return 0;
		}
	}
	/* A name alone on its line. */
	e = n;
	while (e > 0 && (line[e - 1] == ' ' || line[e - 1] == '\t'))
		e--;
	if ((*fld = field_named(line, e)) >= 0)
		*skip = n;
	return 0;
}

/* A line inside a decision: a field starts, or the current one goes on. */
static int item_line(minutes *mp, const char *line, size_t n)
{
	size_t skip = 0;
	int fld, rc;

	if ((rc = field_start(mp, line, n, &fld, &skip)) < 0)
		return rc;
	if (fld >= 0) {
		if (mp->f_line[fld])
			return adr__error(ADR_EINVALID, "%s:%d:1: a second '%s' in the same decision (the first is on "
							"line %d)", mp->path, mp->lineno, field_title(fld), mp->f_line[fld]);
		mp->cur = fld;
		mp->f_line[fld] = mp->lineno;
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
	minutes mp;
	int rc;
	size_t i = 0;

	memset(&mp, 0, sizeof(mp));
	mp.m = m;
	mp.path = path ? path : "<minutes>";
	mp.cur = -1;
	mp.title = (adr_buf)ADR_BUF_INIT;
	for (int k = 0; k < M_COUNT; k++)
		mp.f[k] = (adr_buf)ADR_BUF_INIT;

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
	for (int k = 0; k < M_COUNT; k++)
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
	/* The owner is a front matter entry of its own: parsed from its text,
	 * it is kept (and written back) as the record reads it. */
	if (it->owner) {
		adr_buf_puts(&body, "---\nowner: ");
		if ((rc = adr__yaml_write_scalar(&body, it->owner)) < 0)
			goto cleanup;
		adr_buf_puts(&body, "\n---\n");
	}
	adr_buf_printf(&body, "# %s\n\n", it->title);
	if (it->context && *it->context)
		adr_buf_printf(&body, "## Context\n\n%s\n\n", it->context);
	adr_buf_printf(&body, "## Decision\n\n%s\n", it->decision);
	if (*it->rationale)
		adr_buf_printf(&body, "\n## Rationale\n\n%s\n", it->rationale);
	if (*it->options) {
		adr_buf_puts(&body, "\n## Options considered\n\n");
		put_options(&body, it->options);
	}
	if (it->consequences && *it->consequences)
		adr_buf_printf(&body, "\n## Consequences\n\n%s\n", it->consequences);
	if (it->next_steps && *it->next_steps)
		adr_buf_printf(&body, "\n## Next steps\n\n%s\n", it->next_steps);
	if (adr_buf_oom(&body)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (it->owner) {
		if ((rc = adr_record_parse(&r, NULL, body.ptr, body.size, 0)) < 0)
			goto cleanup;
	} else {
		if ((rc = adr_record_new(&r)) < 0)
			goto cleanup;
		free(r->body);
		r->body = adr_buf_detach(&body);
	}
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
		r->visibility = it->visibility ? it->visibility
			      : c->m->visibility ? c->m->visibility : adr_repo_default_visibility(repo);
		adr__trailer_number(num, number);
		if (c->m->owner && !r->owner && !(r->owner = adr__strdup(c->m->owner))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		if ((rc = adr_strlist_copy(&r->decision_makers, &c->m->attendees)) < 0 ||
		    (rc = adr_strlist_copy(&r->consulted, &it->consulted)) < 0 ||
		    (rc = adr_strlist_copy(&r->informed, &it->informed)) < 0 ||
		    (rc = adr_strlist_copy(&r->tags, &c->m->tags)) < 0)
			goto cleanup;
		for (size_t k = 0; k < it->tags.count; k++)
			if ((rc = adr_strlist_add_unique(&r->tags, it->tags.items[k])) < 0)
				goto cleanup;
		if ((rc = adr_record_validate(r)) < 0) {
			rc = adr__error_prefix("'%s'", it->title);
			goto cleanup;
		}
		if (
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

/* The attendees decide: there must be some, each one line of text. */
static int check_attendees(const adr_meeting *m)
{
	if (!m->attendees.count)
		return adr__error(ADR_EUSAGE, "a meeting needs attendees (they are the decision-makers)");
	for (size_t i = 0; i < m->attendees.count; i++) {
		const char *a = m->attendees.items[i];
		if (!*a || strchr(a, '\n') || adr__text_check("an attendee", a, strlen(a)) < 0)
			return adr__error(ADR_EUSAGE, "attendee '%s' is not one line of UTF-8 text", a);
	}
	return 0;
}

int adr_op_meeting(adr_op_result *res, adr_strlist *paths, adr_repo *repo, const adr_meeting *m)
{
	meeting_ctx c = { res, paths, m, "" };
	int rc;
	if (!m->count)
		return adr__error(ADR_EUSAGE, "no decisions to record");
	if ((rc = check_attendees(m)) < 0)
		return rc;
	if ((m->revisit || adr_repo_revisit_cadence(repo)) &&
	    (rc = adr_revisit_date(c.revisit, repo, m->revisit, "--revisit")) < 0)
		return rc;
	return adr__op_commit(res, repo, meeting_fn, &c, NULL);
}

int adr_op_meeting_decide(adr_strlist *paths, adr_strlist *warnings, adr_repo *repo, const adr_meeting *m,
			  const adr_strlist *refs, adr_status status)
{
	adr_decide_opts o = { status, &m->attendees, NULL, m->revisit };
	adr_decide_extra x = { ADR_MODE_SYNC, m->visibility, &m->tags, true };
	adr_strlist todo = ADR_STRLIST_INIT, seen = ADR_STRLIST_INIT;
	adr_decide_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	if ((rc = check_attendees(m)) < 0)
		return rc;
	/* Every proposal first: one that cannot be decided stops them all. */
	for (size_t i = 0; i < refs->count; i++) {
		memset(&res, 0, sizeof(res));
		if ((rc = adr_op_decide_extra(&res, repo, refs->items[i], &o, &x)) < 0)
			goto cleanup;
		if (res.already) {
			rc = adr__error(ADR_EEXISTS, "'%s' was already decided as %04d (%s on %s); nothing was decided",
					refs->items[i], res.decision.number, adr_status_name(res.decision.status),
					res.decision.date);
			goto cleanup;
		}
		/* The same proposal named twice is decided once. */
		if (!adr_strlist_contains(&seen, res.op.path) &&
		    ((rc = adr_strlist_add(&seen, res.op.path)) < 0 || (rc = adr_strlist_add(&todo, refs->items[i])) < 0))
			goto cleanup;
		adr_decide_result_dispose(&res);
	}
	x.check_only = false;
	for (size_t i = 0; i < todo.count; i++) {
		memset(&res, 0, sizeof(res));
		if ((rc = adr_op_decide_extra(&res, repo, todo.items[i], &o, &x)) < 0) {
			if (paths->count)
				adr__error_prefix("%zu of the meeting's proposals %s decided before '%s' failed", paths->count,
						  paths->count == 1 ? "was" : "were", todo.items[i]);
			goto cleanup;
		}
		if (res.already)
			rc = adr_strlist_add(warnings, "a proposal was decided by someone else meanwhile");
		else
			rc = adr_strlist_add(paths, res.op.path);
		if (rc == 0 && res.warning)
			rc = adr_strlist_add(warnings, res.warning);
		if (rc < 0)
			goto cleanup;
		adr_decide_result_dispose(&res);
	}
cleanup:
	adr_decide_result_dispose(&res);
	adr_strlist_dispose(&todo);
	adr_strlist_dispose(&seen);
	return rc;
}
