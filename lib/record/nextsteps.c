/*
 * record/nextsteps.c: the next steps of a record (adr/nextsteps.h), read
 * from the list items of its `## Next steps` section as CommonMark parses
 * them (text/markdown.h), so a list in a code block or a quote is never
 * taken for steps.
 */
#include "adr/nextsteps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/record_internal.h"
#include "text/markdown.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/strlistf.h"

#define OWNER_MAX 64

void adr_next_steps_dispose(adr_next_steps *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->items[i].owner);
		free(s->items[i].text);
	}
	free(s->items);
	adr_strlist_dispose(&s->warnings);
	memset(s, 0, sizeof(*s));
}

/* `s` without the blanks around it: *start and *n. */
static void trim(const char **s, size_t *n)
{
	while (*n && adr__record_is_space(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && adr__record_is_space((*s)[*n - 1]))
		(*n)--;
}

/*
 * One item's text: a task ("[ ] ..." or "[x] ...") into `st` (0), not a
 * task (1), or a task left out with `why` set (2).
 */
static int read_step(adr_next_step *st, const char *t, const char **why, char bad_date[16])
{
	const char *s = t, *colon;
	size_t n = strlen(t);

	memset(st, 0, sizeof(*st));
	trim(&s, &n);
	if (n < 3 || s[0] != '[' || s[2] != ']' || (s[1] != ' ' && s[1] != 'x' && s[1] != 'X') ||
	    (n > 3 && !adr__record_is_space(s[3])))
		return 1;
	st->done = s[1] != ' ';
	s += 3;
	n -= 3;
	trim(&s, &n);
	/* "(by YYYY-MM-DD)" at the end */
	if (n >= 5 && s[n - 1] == ')') {
		const char *open = NULL;
		for (size_t i = n; i-- > 0;)
			if (s[i] == '(') {
				open = s + i;
				break;
			}
		if (open && (size_t)(s + n - open) >= 5 && adr__record_ieqn(open, "(by ", 4)) {
			const char *d = open + 4;
			size_t dn = (size_t)(s + n - 1 - d);
			trim(&d, &dn);
			if (dn == 10) {
				memcpy(st->due, d, 10);
				st->due[10] = '\0';
			}
			if (dn != 10 || !adr_date_valid(st->due)) {
				snprintf(bad_date, 16, "%.*s", (int)(dn < 15 ? dn : 15), d);
				st->due[0] = '\0';
				*why = "is not a date (YYYY-MM-DD)";
				return 2;
			}
			n = (size_t)(open - s);
			trim(&s, &n);
		}
	}
	/* "Owner: text", the owner a short name without punctuation of its own */
	colon = memchr(s, ':', n);
	if (colon && colon > s && (size_t)(colon - s) <= OWNER_MAX && (size_t)(colon - s) + 1 < n &&
	    adr__record_is_space(colon[1]) && !memchr(s, '(', (size_t)(colon - s)) &&
	    !memchr(s, '`', (size_t)(colon - s))) {
		const char *o = s;
		size_t on = (size_t)(colon - s);
		trim(&o, &on);
		if (on && !(st->owner = adr__strndup(o, on)))
			return ADR_ENOMEM;
		n -= (size_t)(colon + 1 - s);
		s = colon + 1;
		trim(&s, &n);
	}
	if (!n) {
		free(st->owner);
		st->owner = NULL;
		*why = "has no text";
		return 2;
	}
	if (!(st->text = adr__strndup(s, n))) {
		free(st->owner);
		st->owner = NULL;
		return ADR_ENOMEM;
	}
	return 0;
}

int adr_next_steps_parse(adr_next_steps *out, const adr_record *r)
{
	adr__md_items items = ADR_MD_ITEMS_INIT;
	const char *path = r->path ? r->path : "<record>";
	int rc = 0;

	memset(out, 0, sizeof(*out));
	if (!r->body || (rc = adr__markdown_section_items(&items, r->body, strlen(r->body), "Next steps")) < 0)
		goto cleanup;
	for (size_t i = 0; i < items.count; i++) {
		adr_next_step st, *grown;
		const char *why = NULL;
		char bad[16] = "";
		int line = r->body_line + items.items[i].line - 1;
		int k = read_step(&st, items.items[i].text, &why, bad);
		if (k < 0) {
			rc = k;
			goto cleanup;
		}
		if (k == 2 && bad[0]) {
			if ((rc = adr__strlist_addf(&out->warnings, "%s:%d:1: next step: '%s' %s", path, line, bad,
						    why)) < 0)
				goto cleanup;
		} else if (k == 2) {
			if ((rc = adr__strlist_addf(&out->warnings, "%s:%d:1: next step %s", path, line, why)) < 0)
				goto cleanup;
		}
		if (k)
			continue;
		st.line = line;
		if (!(grown = adr__reallocarray(out->items, out->count + 1, sizeof(*grown)))) {
			free(st.owner);
			free(st.text);
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		out->items = grown;
		grown[out->count++] = st;
	}
	rc = 0;
cleanup:
	adr__md_items_dispose(&items);
	if (rc < 0)
		adr_next_steps_dispose(out);
	return rc;
}
