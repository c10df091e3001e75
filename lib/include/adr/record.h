/*
 * adr/record.h: one decision record: parse, validate, serialize.
 *
 * A record is Markdown with YAML front matter:
 *
 *   ---
 *   status: accepted
 *   date: 2026-11-21
 *   ...
 *   ---
 *   # Title
 *   body...
 *
 * Parsing is strict about syntax (YAML errors, duplicate keys, a second
 * document, NUL bytes, invalid UTF-8, nesting and size caps are always errors,
 * reported as `path:line:col: what`) and tolerant about shape (a scalar where
 * a list is expected is a one-element list; status words match without case;
 * no front matter is still a record). Schema problems (unknown status, bad
 * date) are errors unless ADR_PARSE_LENIENT is given, in which case they are
 * collected in `warnings` and the field is left unset.
 *
 * Serialization keeps the front matter entries in the order they were read;
 * an entry whose value did not change is written back byte for byte, an
 * unknown entry is always written back byte for byte, and the body is never
 * touched except for the title line when the title changes. Fields that are
 * new are written in the canonical order (see adr_record_field_names()).
 *
 * Ownership: the record owns every string and list in it; a caller may
 * replace a field by freeing the old value and storing a malloc'ed new one
 * (or use the setters). adr_record_free() frees everything.
 */
#ifndef ADR_RECORD_H
#define ADR_RECORD_H

#include "adr/common.h"
#include "adr/slug.h" /* adr_slugify, here before it had a header of its own */

#ifdef __cplusplus
extern "C" {
#endif

/* Caps. A record larger than ADR_RECORD_MAX bytes or with front matter
 * larger than ADR_FRONTMATTER_MAX is rejected before any parsing. */
#define ADR_RECORD_MAX (256 * 1024)
#define ADR_FRONTMATTER_MAX (64 * 1024)
/* More tags than this in one record is an error (read and write). */
#define ADR_RECORD_TAGS_MAX 64

typedef enum {
	ADR_STATUS_NONE = 0,
	ADR_STATUS_PROPOSED,
	ADR_STATUS_ACCEPTED,
	ADR_STATUS_REJECTED,
	ADR_STATUS_DEPRECATED,
	ADR_STATUS_SUPERSEDED
} adr_status;

typedef enum { ADR_MODE_NONE = 0, ADR_MODE_SYNC, ADR_MODE_ASYNC } adr_mode;
typedef enum { ADR_LEVEL_NONE = 0, ADR_LEVEL_LOW, ADR_LEVEL_HIGH } adr_level;
typedef enum {
	ADR_VISIBILITY_NONE = 0,
	ADR_VISIBILITY_PUBLIC,
	ADR_VISIBILITY_PARTNER,
	ADR_VISIBILITY_INTERNAL
} adr_visibility;

typedef struct {
	int *items;
	size_t count;
	size_t alloc;
} adr_intlist;
#define ADR_INTLIST_INIT { NULL, 0, 0 }

int adr_intlist_add(adr_intlist *l, int v);
int adr_intlist_add_unique(adr_intlist *l, int v);
bool adr_intlist_contains(const adr_intlist *l, int v);
/* Replaces the first `from` by `to`; false when `from` is not there. */
bool adr_intlist_replace(adr_intlist *l, int from, int to);
void adr_intlist_remove(adr_intlist *l, int v);
void adr_intlist_dispose(adr_intlist *l);
/* The same numbers in the same order. */
bool adr_intlist_equal(const adr_intlist *a, const adr_intlist *b);

/* A typed link to another record: `links: [amends 12, relates-to 7]`. */

/*
 * True when the `len` bytes at `type` are a link type: a lowercase word,
 * [a-z][a-z0-9-]*. The one rule for a link type, used by the record's
 * reader and validator, the legacy reader, import and `adr link`. Length
 * is not part of it: `adr link` takes at most ADR_LINK_TYPE_MAX bytes from
 * a user, while a record holds longer ones (the reverse of a 40-byte type
 * ends in "-by"; the reader takes up to 63).
 */
bool adr_link_type_valid(const char *type, size_t len);
#define ADR_LINK_TYPE_MAX 40

typedef struct {
	char *type;  /* lowercase word: [a-z][a-z0-9-]* */
	int target;  /* record number */
} adr_link;

typedef struct adr_frontmatter adr_frontmatter; /* private */

typedef struct adr_record {
	char *path;          /* repository-relative path as given to parse, or NULL */
	int number;          /* from the filename prefix; -1 when none (a proposal) */
	char *slug;          /* from the filename (without number and .md), or NULL */
	char *title;         /* first H1, else front matter `title`; "" when none */

	adr_status status;
	char *status_word;   /* the status as written when it is not one of ours (lenient), else NULL */
	char date[11];       /* YYYY-MM-DD or "" */
	char *owner;         /* who drives it to a decision and its next steps, or NULL */
	adr_strlist decision_makers;
	adr_strlist consulted;
	adr_strlist informed;
	adr_strlist reviewers; /* proposals: whose first response is awaited */
	adr_mode mode;
	adr_level urgency;
	adr_level complexity;
	char review_by[11];  /* async comment deadline */
	char revisit[11];    /* when to review the decision again */
	char cleanup_by[11]; /* meeting records: clean up before this date */
	adr_intlist supersedes;
	adr_intlist superseded_by;
	adr_link *links;
	size_t nlinks;
	adr_strlist tags;
	adr_visibility visibility;
	adr_strlist affects; /* path globs this decision governs */

	char *body;          /* everything after the front matter, exactly as read */
	bool has_frontmatter;
	int body_line;       /* 1-based line of the file where the body starts */

	adr_strlist warnings; /* lenient parse: `path:line:col: what` each */
	adr_frontmatter *fm;  /* private: entries as read, for faithful rewrite */
} adr_record;

enum {
	ADR_PARSE_LENIENT = 1 << 0 /* schema problems become warnings */
};

/* The mode the urgency x complexity quadrant suggests (DESIGN.md):
 * urgent + complex: sync (a meeting); any other quadrant: async; neither
 * axis given: ADR_MODE_NONE. One axis alone counts the other as low. */
adr_mode adr_quadrant_mode(adr_level urgency, adr_level complexity);
/* The quadrant's name: "urgent+complex", "urgent+simple", "calm+complex",
 * "calm+simple" or "unset" (as `adr stats` counts them). */
const char *adr_quadrant_name(adr_level urgency, adr_level complexity);

/* An empty record (number -1, title "", body ""). */
int adr_record_new(adr_record **out);

/*
 * Parses `len` bytes of `data` (which need not be NUL-terminated and may
 * contain NULs, which are an error). `path` is used in messages and to take
 * the number and slug from the file name; it may be NULL ("<input>").
 */
int adr_record_parse(adr_record **out, const char *path, const char *data, size_t len,
		     unsigned flags);

/* Writes the record (front matter + body) to `out` (appending). */
int adr_record_serialize(adr_buf *out, const adr_record *r);

/* Checks every field against the schema; the message names the field. */
int adr_record_validate(const adr_record *r);

/* Appends "## HEADING" and TEXT to the end of the body, as its own section. */
int adr_record_append_section(adr_record *r, const char *heading, const char *text);

/* Sets the title: rewrites the first H1 of the body, or inserts one at the top. */
int adr_record_set_title(adr_record *r, const char *title);

/* Adds or replaces (same type and target) a link. */
int adr_record_add_link(adr_record *r, const char *type, int target);

/* A deep copy. */
int adr_record_dup(adr_record **out, const adr_record *r);

void adr_record_free(adr_record *r);
/* Whether `r` has a link (any type) to record `number`. */
bool adr_record_links_to(const adr_record *r, int number);

/* Names. adr_status_parse is case-insensitive and accepts surrounding space. */
const char *adr_status_name(adr_status s);
int adr_status_parse(adr_status *out, const char *word);
const char *adr_mode_name(adr_mode m);
int adr_mode_parse(adr_mode *out, const char *word);
const char *adr_level_name(adr_level l);
int adr_level_parse(adr_level *out, const char *word);
const char *adr_visibility_name(adr_visibility v);
int adr_visibility_parse(adr_visibility *out, const char *word);

/* True for a real calendar date written YYYY-MM-DD. */
bool adr_date_valid(const char *s);

/* The canonical front matter field order, NULL-terminated. */
const char *const *adr_record_field_names(void);

/* The one-line value of front matter key `key` when it is not one of
 * adr_record_field_names() (a field adr keeps but does not read, like the
 * site's `thread`), without quotes or a trailing comment, into `out`: 1
 * when the key is there, 0 when not, or ADR_ENOMEM. */
int adr_record_extra_field(adr_buf *out, const adr_record *r, const char *key);

/* The record file name for number and slug: "0042-use-postgres.md" ("0042.md" when slug is empty). */
int adr_record_filename(adr_buf *out, int number, const char *slug);

/* Parses "0042-slug.md" (also "adr042-slug.md", "42-slug.md") into number and slug.
 * Returns ADR_ENOTFOUND when the name carries no number; slug_out may be NULL. */
int adr_record_parse_filename(int *number, adr_buf *slug_out, const char *filename);

/* True for a log4brains name: eight digits (a date), then '-' or '_', then
 * more, ending in ".md" (any case); the directory part is ignored. */
bool adr_record_date_named(const char *filename);

/*
 * The numbers date-named records get until `adr import` writes them (the
 * rule import numbers them by): after `max`, the highest number taken, in
 * the order of their file names (then of their whole paths). `names` holds
 * `n` paths; numbers[i] is set for names[i].
 */
int adr_record_number_dated(int *numbers, const char *const *names, size_t n, int max);

#ifdef __cplusplus
}
#endif
#endif
