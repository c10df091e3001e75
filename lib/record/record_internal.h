/*
 * record/record_internal.h: what the record files (record.c, fields.c,
 * parse.c, write.c, validate.c, title.c, filename.c) share and nothing else
 * sees: the front matter fields in canonical order, the entries kept for a
 * faithful rewrite, and the small text helpers they all use.
 */
#ifndef ADR_RECORD_INTERNAL_H
#define ADR_RECORD_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "adr/record.h"

/* The front matter fields, in canonical order (adr_record_field_names()). */
enum {
	F_STATUS,
	F_DATE,
	F_OWNER,
	F_DECISION_MAKERS,
	F_CONSULTED,
	F_INFORMED,
	F_REVIEWERS,
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

extern const char *const adr__record_fields[F_COUNT + 1];

/* The largest record number we read (7 digits; 8 digits is a date prefix). */
#define NUMBER_MAX 9999999

/* One front matter entry as read (parse.c), written back by write.c. */
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
	/* (the canonical text of the fields as read is the block's, parsed
	 * again when the record is written: write.c) */
	/* From the cache of parsed records: the above still packed (record/pack.h)
	 * until adr__record_fm_unpack; NULL otherwise. */
	unsigned char *packed;
	size_t npacked;
};

/* Value names, index = enum value; [0] is "" (unset). fields.c. */
extern const char *const adr__status_names[];
extern const char *const adr__mode_names[];
extern const char *const adr__level_names[];
extern const char *const adr__visibility_names[];
/* Index of `word` (case-insensitive, surrounding space ignored) among
 * names[1..], or -1. */
int adr__record_match_word(const char *const *names, const char *word);
/* "a, b, c" from names[1..] into dst (cut to size). */
void adr__record_join_names(char *dst, size_t size, const char *const *names);

/* record.c: replaces *slot with a copy of s[0..n); adds a link (type lowercased). */
int adr__record_set_str(char **slot, const char *s, size_t n);
int adr__record_links_add(adr_record *r, const char *type, size_t tn, int target);

/* write.c: the canonical "key: value\n" of field f ("" when empty), malloc'ed. */
int adr__record_canon_string(char **out, const adr_record *r, int f);

/* validate.c: a title is one line of valid UTF-8, not empty. */
int adr__record_check_title(const char *title);

/* title.c: the title from the body's first H1 ("N. " dropped when N is the number). */
int adr__record_title_from_body(adr_record *r);

static inline char adr__record_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static inline bool adr__record_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static inline bool adr__record_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool adr__record_ieqn(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (adr__record_lower(a[i]) != adr__record_lower(b[i]))
			return false;
	return true;
}

static inline bool adr__record_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t')
			return false;
	return true;
}

#endif
