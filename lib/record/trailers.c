/*
 * record/trailers.c: reading the `Key: value` trailers of a commit message,
 * adr's strict way or git's lenient one (see record/trailers.h).
 */
#include "adr/trailers.h"
#include "record/trailers.h"

#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include <git2.h>

#include "util/error.h"

void adr__trailer_number(char out[16], int number)
{
	snprintf(out, 16, "%04d", number);
}

/* A `Key: value` line: *colon is where the key ends. */
static bool trailer_line(const char *s, size_t n, size_t *colon)
{
	size_t i = 0;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
			 (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
		i++;
	if (i == 0 || i + 1 >= n || s[i] != ':' || s[i + 1] != ' ')
		return false;
	*colon = i;
	return true;
}

static int read_strict(adr_strlist *keys, adr_strlist *values, const char *msg)
{
	size_t len = strlen(msg), start, end;
	const char *p;
	int rc;

	/* The last paragraph: after the last blank line, trailing newlines ignored. */
	end = len;
	while (end > 0 && (msg[end - 1] == '\n' || msg[end - 1] == '\r'))
		end--;
	start = end;
	while (start > 0 && !(msg[start - 1] == '\n' && start >= 2 && msg[start - 2] == '\n'))
		start--;
	/* The subject alone is never a trailer block. */
	if (start == 0)
		return 0;
	for (p = msg + start; p < msg + end;) {
		const char *nl = memchr(p, '\n', (size_t)(msg + end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(msg + end - p), colon;
		if (!trailer_line(p, n, &colon)) {
			/* Not a block adr wrote: nothing in it counts. */
			for (size_t k = 0; k < keys->count; k++) {
				free(keys->items[k]);
				free(values->items[k]);
			}
			keys->count = values->count = 0;
			return 0;
		}
		if ((rc = adr_strlist_addn(keys, p, colon)) < 0 ||
		    (rc = adr_strlist_addn(values, p + colon + 2, n - colon - 2)) < 0)
			return rc;
		p = nl ? nl + 1 : msg + end;
	}
	return 0;
}

static int read_lenient(adr_strlist *keys, adr_strlist *values, const char *msg, const char *what)
{
	git_message_trailer_array arr = { 0 };
	int rc = 0, grc;
	if ((grc = git_message_trailers(&arr, msg)) < 0)
		return adr__error_git(grc, "cannot read the trailers of %s", what);
	for (size_t i = 0; i < arr.count && rc == 0; i++)
		if ((rc = adr_strlist_add(keys, arr.trailers[i].key)) == 0)
			rc = adr_strlist_add(values, arr.trailers[i].value);
	git_message_trailer_array_free(&arr);
	return rc;
}

int adr__trailers_read(adr_strlist *keys, adr_strlist *values, const char *msg, adr_trailers_mode mode,
		       const char *what)
{
	if (mode == ADR_TRAILERS_STRICT)
		return read_strict(keys, values, msg);
	return read_lenient(keys, values, msg, what ? what : "a commit message");
}

const char *adr__trailers_get(const adr_strlist *keys, const adr_strlist *values, const char *key)
{
	const char *v = NULL;
	for (size_t i = 0; i < keys->count; i++)
		if (strcasecmp(keys->items[i], key) == 0)
			v = values->items[i];
	return v;
}

/* --- the public readers (adr/trailers.h) ---------------------------------- */

int adr_message_trailers(adr_strlist *keys, adr_strlist *values, const char *message)
{
	return adr__trailers_read(keys, values, message, ADR_TRAILERS_LENIENT, "a commit message");
}

int adr_refs_parse(adr_intlist *out, const char *value)
{
	const char *p = value;
	while (*p) {
		size_t n;
		while (*p && (*p == ',' || *p == ';' || isspace((unsigned char)*p)))
			p++;
		n = strcspn(p, ",; \t\r\n");
		if (n > 4 && strncasecmp(p, "adr-", 4) == 0 && n - 4 <= 9) {
			int num = 0;
			bool digits = true;
			for (size_t i = 4; i < n; i++) {
				if (p[i] < '0' || p[i] > '9') {
					digits = false;
					break;
				}
				num = num * 10 + (p[i] - '0');
			}
			if (digits && num > 0 && adr_intlist_add_unique(out, num) < 0)
				return ADR_ENOMEM;
		}
		p += n;
	}
	return 0;
}
