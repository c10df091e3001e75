/*
 * write.c: serializing a record (adr_record_serialize), faithfully.
 *
 * Faithful rewrite: the front matter is kept as a list of entries, each with
 * its exact source text (`raw`). For each known field, the canonical text
 * ("key: value\n") of the value read is remembered at parse time. When
 * serializing, the canonical text of the current value is computed again:
 *   - same as at parse time: the entry's raw text is written unchanged;
 *   - different and non-empty: the canonical text replaces the entry's first
 *     lines (comment and blank lines that followed the entry are kept);
 *   - different and empty: the entry is dropped (trailing comments kept);
 *   - a field that was not in the front matter and now has a value is
 *     inserted after the nearest field before it in canonical order, else
 *     at the top.
 * Unknown entries are always written raw. When no field changed at all, the
 * front matter block is written exactly as read (delimiters, CRLF and all),
 * so an untouched record round-trips byte for byte.
 */
#include "adr/record.h"
#include "text/yaml.h"
#include "record/pack.h"
#include "record/record_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#include <stdlib.h>
#include <string.h>

static int put_list_open(adr_buf *out, int f)
{
	return adr_buf_printf(out, "%s: [", adr__record_fields[f]);
}

static int put_strlist(adr_buf *out, int f, const adr_strlist *l)
{
	if (!l->count)
		return 0;
	put_list_open(out, f);
	for (size_t i = 0; i < l->count; i++) {
		int rc;
		if (i)
			adr_buf_puts(out, ", ");
		if ((rc = adr__yaml_write_scalar(out, l->items[i])) < 0)
			return adr__error_prefix("key '%s'", adr__record_fields[f]);
	}
	return adr_buf_puts(out, "]\n");
}

static int put_intlist(adr_buf *out, int f, const adr_intlist *l)
{
	if (!l->count)
		return 0;
	put_list_open(out, f);
	for (size_t i = 0; i < l->count; i++)
		adr_buf_printf(out, "%s%d", i ? ", " : "", l->items[i]);
	return adr_buf_puts(out, "]\n");
}

static int put_scalar(adr_buf *out, int f, const char *value)
{
	if (!value || !*value)
		return 0;
	adr_buf_printf(out, "%s: ", adr__record_fields[f]);
	if (adr__yaml_write_scalar(out, value) < 0)
		return adr__error_prefix("key '%s'", adr__record_fields[f]);
	return adr_buf_putc(out, '\n');
}

/* Appends the canonical "key: value\n" of field f, or nothing when empty. */
static int canon_field(adr_buf *out, const adr_record *r, int f)
{
	switch (f) {
	case F_STATUS:
		if (r->status != ADR_STATUS_NONE)
			return put_scalar(out, f, adr_status_name(r->status));
		return put_scalar(out, f, r->status_word);
	case F_DATE: return put_scalar(out, f, r->date);
	case F_OWNER: return put_scalar(out, f, r->owner);
	case F_DECISION_MAKERS: return put_strlist(out, f, &r->decision_makers);
	case F_CONSULTED: return put_strlist(out, f, &r->consulted);
	case F_INFORMED: return put_strlist(out, f, &r->informed);
	case F_REVIEWERS: return put_strlist(out, f, &r->reviewers);
	case F_MODE: return put_scalar(out, f, adr_mode_name(r->mode));
	case F_URGENCY: return put_scalar(out, f, adr_level_name(r->urgency));
	case F_COMPLEXITY: return put_scalar(out, f, adr_level_name(r->complexity));
	case F_REVIEW_BY: return put_scalar(out, f, r->review_by);
	case F_REVISIT: return put_scalar(out, f, r->revisit);
	case F_CLEANUP_BY: return put_scalar(out, f, r->cleanup_by);
	case F_SUPERSEDES: return put_intlist(out, f, &r->supersedes);
	case F_SUPERSEDED_BY: return put_intlist(out, f, &r->superseded_by);
	case F_LINKS:
		if (!r->nlinks)
			return 0;
		put_list_open(out, f);
		for (size_t i = 0; i < r->nlinks; i++) {
			adr_buf tmp = ADR_BUF_INIT;
			int rc;
			adr_buf_printf(&tmp, "%s %d", r->links[i].type ? r->links[i].type : "",
				       r->links[i].target);
			if (i)
				adr_buf_puts(out, ", ");
			rc = adr__yaml_write_scalar(out, tmp.ptr);
			adr_buf_dispose(&tmp);
			if (rc < 0)
				return adr__error_prefix("key 'links'");
		}
		return adr_buf_puts(out, "]\n");
	case F_TAGS: return put_strlist(out, f, &r->tags);
	case F_VISIBILITY: return put_scalar(out, f, adr_visibility_name(r->visibility));
	case F_AFFECTS: return put_strlist(out, f, &r->affects);
	default: return 0;
	}
}

/* canon_field into a fresh malloc'ed string. */
int adr__record_canon_string(char **out, const adr_record *r, int f)
{
	adr_buf b = ADR_BUF_INIT;
	int rc = canon_field(&b, r, f);
	if (rc < 0) {
		adr_buf_dispose(&b);
		return rc;
	}
	if (adr_buf_oom(&b)) {
		adr_buf_dispose(&b);
		return ADR_ENOMEM;
	}
	*out = adr_buf_detach(&b);
	return *out ? 0 : adr__error_oom();
}

typedef struct {
	const char *text; /* borrowed, or owned when `own` */
	char *own;
	int field;        /* the known field written by this segment, or -1 */
} segment;

static int put_eol_text(adr_buf *out, const char *s, size_t n, bool crlf)
{
	/* canonical text is one line ending in '\n' */
	if (crlf && n && s[n - 1] == '\n') {
		adr_buf_put(out, s, n - 1);
		return adr_buf_puts(out, "\r\n");
	}
	return adr_buf_put(out, s, n);
}

/* The front matter being laid out: one segment per line group, in order. */
typedef struct {
	const adr_frontmatter *fm;
	char *now[F_COUNT];        /* the canonical text of each field now */
	char *was[F_COUNT];        /* ... and as read (NULL when empty) */
	segment *segs;
	size_t nsegs;
	int where[F_COUNT];        /* segment index holding each field, or -1 */
	bool in_entries[F_COUNT];  /* the field had an entry when read */
	bool crlf;
} layout;

/* The entries as read: raw when unchanged, else the new canonical text
 * (or nothing) followed by the entry's trailing comment lines. */
static int layout_entries(layout *lo)
{
	const adr_frontmatter *fm = lo->fm;
	for (size_t i = 0; fm && fm->block && i < fm->count; i++) {
		const fm_entry *e = &fm->entries[i];
		segment *s = &lo->segs[lo->nsegs];
		s->field = -1;
		if (e->field < 0 || strcmp(lo->now[e->field], lo->was[e->field] ? lo->was[e->field] : "") == 0) {
			s->text = e->raw;
			if (e->field >= 0) {
				lo->in_entries[e->field] = true;
				if (*lo->now[e->field])
					s->field = e->field;
			}
		} else {
			adr_buf b = ADR_BUF_INIT;
			lo->in_entries[e->field] = true;
			if (*lo->now[e->field]) {
				/* as indented as the keys around it (found by tests/fuzz/fuzz_record.c) */
				adr_buf_printf(&b, "%*s", fm->indent, "");
				put_eol_text(&b, lo->now[e->field], strlen(lo->now[e->field]), lo->crlf);
				s->field = e->field;
			}
			adr_buf_puts(&b, e->raw + e->head_len);
			if (adr_buf_oom(&b)) {
				adr_buf_dispose(&b);
				return ADR_ENOMEM;
			}
			s->own = adr_buf_detach(&b);
			s->text = s->own;
		}
		if (s->field >= 0)
			lo->where[s->field] = (int)lo->nsegs;
		lo->nsegs++;
	}
	return 0;
}

/* Fields that were not there: after the nearest earlier field, else at the top. */
static int layout_new_fields(layout *lo)
{
	const adr_frontmatter *fm = lo->fm;
	for (int f = 0; f < F_COUNT; f++) {
		size_t at = 0;
		adr_buf b = ADR_BUF_INIT;
		if (lo->in_entries[f] || !*lo->now[f])
			continue;
		for (int g = f - 1; g >= 0; g--)
			if (lo->where[g] >= 0) {
				at = (size_t)lo->where[g] + 1;
				break;
			}
		if (fm && fm->block)
			adr_buf_printf(&b, "%*s", fm->indent, "");
		put_eol_text(&b, lo->now[f], strlen(lo->now[f]), lo->crlf);
		if (adr_buf_oom(&b)) {
			adr_buf_dispose(&b);
			return ADR_ENOMEM;
		}
		memmove(&lo->segs[at + 1], &lo->segs[at], (lo->nsegs - at) * sizeof(*lo->segs));
		lo->segs[at].own = adr_buf_detach(&b);
		lo->segs[at].text = lo->segs[at].own;
		lo->segs[at].field = f;
		lo->nsegs++;
		for (int g = 0; g < F_COUNT; g++)
			if (lo->where[g] >= (int)at)
				lo->where[g]++;
		lo->where[f] = (int)at;
	}
	return 0;
}

/*
 * The canonical text of each field as read: the front matter block parsed
 * again (its fields depend on nothing else, and it parsed once already),
 * so that reading a record need not make it for every record read.
 */
static int read_was(layout *lo, const adr_record *r)
{
	adr_record *was = NULL;
	int rc;
	if (!lo->fm || !lo->fm->block)
		return 0;
	if ((rc = adr_record_parse(&was, r->path, lo->fm->block, strlen(lo->fm->block), ADR_PARSE_LENIENT)) < 0)
		return rc;
	for (size_t i = 0; i < was->fm->count && rc == 0; i++) {
		int f = was->fm->entries[i].field;
		if (f >= 0 && !lo->was[f])
			rc = adr__record_canon_string(&lo->was[f], was, f);
	}
	adr_record_free(was);
	return rc;
}

int adr_record_serialize(adr_buf *out, const adr_record *r)
{
	layout lo;
	bool changed = false;
	const char *eol;
	size_t mark = out->size;
	int rc = 0;

	memset(&lo, 0, sizeof(lo));
	if ((rc = adr__record_fm_unpack(r->fm)) < 0)
		return rc;
	lo.fm = r->fm;
	if ((rc = read_was(&lo, r)) < 0)
		goto cleanup;
	for (int f = 0; f < F_COUNT; f++) {
		const char *base = lo.was[f] ? lo.was[f] : "";
		lo.where[f] = -1;
		if ((rc = adr__record_canon_string(&lo.now[f], r, f)) < 0)
			goto cleanup;
		if (strcmp(lo.now[f], base) != 0)
			changed = true;
	}
	if (lo.fm && lo.fm->block) {
		lo.crlf = lo.fm->crlf;
	} else {
		/* a new block follows the body's line endings */
		const char *nl = r->body ? strchr(r->body, '\n') : NULL;
		lo.crlf = nl && nl > r->body && nl[-1] == '\r';
	}
	eol = lo.crlf ? "\r\n" : "\n";
	if (lo.fm && lo.fm->bom)
		adr_buf_put(out, "\xEF\xBB\xBF", 3);
	if (!changed) {
		if (lo.fm && lo.fm->block)
			adr_buf_puts(out, lo.fm->block);
		goto body;
	}
	/* one segment per entry, plus room for every field */
	lo.segs = adr__calloc((lo.fm ? lo.fm->count : 0) + F_COUNT, sizeof(*lo.segs));
	if (!lo.segs) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = layout_entries(&lo)) < 0 || (rc = layout_new_fields(&lo)) < 0)
		goto cleanup;
	adr_buf_printf(out, "---%s", eol);
	if (lo.fm && lo.fm->block && lo.fm->prefix)
		adr_buf_puts(out, lo.fm->prefix);
	for (size_t i = 0; i < lo.nsegs; i++)
		adr_buf_puts(out, lo.segs[i].text);
	adr_buf_printf(out, "---%s", eol);
body:
	adr_buf_puts(out, r->body ? r->body : "");
	if (adr_buf_oom(out))
		rc = ADR_ENOMEM;
cleanup:
	if (rc < 0)
		adr_buf_truncate(out, mark);
	for (size_t i = 0; i < lo.nsegs; i++)
		free(lo.segs[i].own);
	free(lo.segs);
	for (int f = 0; f < F_COUNT; f++) {
		free(lo.now[f]);
		free(lo.was[f]);
	}
	return rc;
}
