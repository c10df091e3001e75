/*
 * record/placeholder.h: the placeholder text of record templates (not
 * public API). A template's placeholder lines are the lines of its body a
 * user is meant to replace: every line below the front matter that is not
 * blank, not a heading and holds no {{field}}. A record line is
 * placeholder text when, without the blanks around it, it equals one of
 * them. Used by adr check (log/check_honest.c), the site (site/) and the
 * records written without an editor (log/capture.c).
 *
 * Ownership: an adr__placeholders owns its lines; adr__placeholders_dispose()
 * frees them (a zeroed set is fine).
 */
#ifndef ADR_RECORD_PLACEHOLDER_H
#define ADR_RECORD_PLACEHOLDER_H

#include "adr/common.h"

struct adr_repo;

typedef struct {
	adr_strlist lines; /* trimmed, unique */
} adr__placeholders;
#define ADR__PLACEHOLDERS_INIT { ADR_STRLIST_INIT }

/* Adds the placeholder lines of the template text `tmpl` (`len` bytes). */
int adr__placeholders_add(adr__placeholders *p, const char *tmpl, size_t len);
void adr__placeholders_dispose(adr__placeholders *p);

/* Whether the `n` bytes at `line` (one line, maybe with blanks and a
 * trailing '\r') are placeholder text. */
bool adr__placeholder_is(const adr__placeholders *p, const char *line, size_t n);

/* The 1-based line of `body` that is the first placeholder line (0: none),
 * and in *count (may be NULL) how many there are. */
int adr__placeholder_find(const adr__placeholders *p, const char *body, size_t *count);

/* The 1-based line of body's Decision heading ("Decision" or "Decision
 * Outcome", any level) when its section holds no text but placeholders and
 * blank lines; 0 when it holds text or there is no such heading. */
int adr__placeholder_empty_decision(const adr__placeholders *p, const char *body);

/* `body` without its placeholder lines; a run of blank lines left behind
 * becomes one. Appends to `out`. */
int adr__placeholder_strip(const adr__placeholders *p, adr_buf *out, const char *body);

/*
 * The placeholders of the templates a repository's records come from: the
 * one it uses (.adr.yaml) and adr's default, nygard and madr, each read the
 * way `adr new` reads it (the repository's own .adr/templates/ first). A
 * template that is not there adds nothing; other errors are returned.
 * Defined in git/templates.c.
 */
int adr__placeholders_load(adr__placeholders *p, struct adr_repo *repo);

#endif
