/*
 * record/legacy.h: reading the metadata that older record formats keep in the
 * body instead of in front matter.
 *
 * Recognized, in the preamble (between the H1 and the first `##` heading,
 * or at the top when there is no H1):
 *   - adr-tools / Nygard: `# N. Title`, a `Date: 2016-02-12` line
 *     (also localized: `日期:`, `Datum:`, `Fecha:`, `Data:`);
 *   - MADR 2 / log4brains bullets: `* Status:` / `- Status:`, `Deciders:`,
 *     `Date:`, `Tags:` (either list marker, any case);
 *   - a backstage table: `| Created | Status |` then one row of values.
 * and the `## Status` section (also `## 状态`, `## Statut`, `## Estado`):
 *   - a status word (`Accepted`, `Pending`, `提议`, ...), a dated status log
 *     (`2017-11-22 提议`, the last entry wins), relations written as
 *     `Superseded by [text](target)` (also the adr-tools misspelling
 *     `Superceded`), `Supersedes [..](..)`, `Amends [..](..)`,
 *     `Amended by [..](..)` or any `Verb [..](..)`;
 * and `## Links` sections (`* Supersedes [..](..)`), which stay in the body.
 * Decorated status lines: the status word may follow any symbols and carry
 * a remark (`✅ Accepted`, `❌ Rejected (see [0019](0019-x.md))`, `🤔 Proposed`,
 * any case); "Superseded by", "Amended by", "Amends", "Supersedes" (and
 * "Replaced by") take references in any form: a bare number, `ADR-12`,
 * `#12`, or a Markdown link (the number of its target's file name, else the
 * one in its text). A line with a remark stays in the body.
 * Sections, headings and code blocks are found on cmark's parse of the body
 * (text/md_outline.h); lines inside code and HTML blocks are not read.
 * Dates: `YYYY-MM-DD`, `YYYY/MM/DD`, `DD.MM.YYYY`, and `A/B/YYYY` only when
 * one of A and B is above 12, or when the caller gives the order (import
 * --date-order); an ambiguous or placeholder date is a warning
 * (`path:line:col: what`), never guessed.
 *
 * Ownership: adr__legacy_read() fills a caller-owned struct that
 * adr__legacy_dispose() frees; the strings in it are owned by it.
 */
#ifndef ADR_LEGACY_H
#define ADR_LEGACY_H

#include "adr/common.h"
#include "adr/record.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A relation to another record found in the body. */
typedef struct {
	char *type;   /* "superseded-by", "supersedes", "amends", "amended-by", ... */
	char *target; /* the link target as written ("0015-dns.md", "../x/2020-a.md"); "" for a bare number */
	int number;   /* the number written (`ADR-12`, `#12`, `12`, or a Markdown link's text), or -1;
		       * used when the target names no record */
	int line;     /* line in the file */
	bool in_body; /* from a `## Links` section, which stays in the body */
} adr__legacy_link;

/* A span of the body that holds only metadata now mapped to fields. */
typedef struct {
	size_t start, end; /* byte offsets into the body */
} adr__legacy_span;

typedef struct {
	int heading_number;      /* N of `# N. Title`, or -1 */
	adr_status status;       /* ADR_STATUS_NONE when none could be mapped */
	char *status_word;       /* the status as written (last log entry), or NULL */
	int status_line;
	char date[11];           /* "" when none */
	int date_line;
	adr_strlist deciders;
	adr_strlist tags;
	adr__legacy_link *links;
	size_t nlinks;
	adr_strlist warnings;    /* `path:line:col: what` */
	adr_strlist unmapped;    /* `path:line: what` for metadata kept in the body */
	adr__legacy_span *spans;  /* metadata that is fully mapped (removable) */
	size_t nspans;
	bool found;              /* anything at all was recognized */
} adr_legacy;

/*
 * Reads legacy metadata from `body`, which starts at line `body_line` of
 * the file `path` (used in messages; may be NULL).
 */
int adr__legacy_read(adr_legacy *out, const char *path, const char *body, int body_line);

/* The order of day and month in `A/B/YYYY` when both are 12 or less. */
typedef enum { ADR_DATE_ORDER_NONE = 0, ADR_DATE_ORDER_DMY, ADR_DATE_ORDER_MDY } adr_date_order;

/* adr__legacy_read, reading ambiguous dates in `order`. */
int adr__legacy_read_order(adr_legacy *out, const char *path, const char *body, int body_line,
			   adr_date_order order);
void adr__legacy_dispose(adr_legacy *l);

/*
 * Fills the fields of `r` that the front matter left unset (status, date,
 * decision-makers, tags, supersedes, superseded-by, links) from the body.
 * Link targets are mapped to numbers by their file names; a target that
 * carries no number is a warning. Warnings go to r->warnings.
 */
int adr__legacy_apply(adr_record *r);

/*
 * True when `r` has no front matter and its body holds metadata in an older
 * format: writing it back would leave two statuses, so writers refuse it
 * and ask for `adr import`.
 */
bool adr__legacy_unconverted(const adr_record *r);

/*
 * Parses a date as people write it (see above) into `out` (YYYY-MM-DD).
 * Returns 0, ADR_EAMBIGUOUS (both readings possible) or ADR_EINVALID
 * (not a date); sets no error message.
 */
int adr__legacy_date(char out[11], const char *s, size_t n);
/* adr__legacy_date, with an ambiguous `A/B/YYYY` read in `order` (NONE: ambiguous). */
int adr__legacy_date_order(char out[11], const char *s, size_t n, adr_date_order order);

/* Maps a status word as written in the wild to a status; ADR_STATUS_NONE when unknown. */
adr_status adr__legacy_status(const char *word, size_t n);

/*
 * The status word that starts `s` after any symbols (emoji, arrows,
 * punctuation, spaces): `✅ Accepted`, `**Rejected** (see ...)`. With
 * `canonical`, only adr's five words count. Sets [*start, *end) to the
 * word; ADR_STATUS_NONE when the first word is not a status.
 */
adr_status adr__legacy_status_lead(const char *s, size_t n, bool canonical, size_t *start, size_t *end);

/* The relation phrase ("superseded by", "replaced by", "amended by",
 * "amends", "supersedes", and the adr-tools spelling "superceded") that
 * starts at s[i], any case: its link type ("superseded-by", ...), with its
 * length in *len; NULL when none starts there. */
const char *adr__legacy_relation(const char *s, size_t n, size_t i, size_t *len);

/* One reference at `s`: `[text](target)` (target without a title or <>),
 * `ADR-12`, `ADR 12`, `#12` or `12`. Sets the target ("" when none) and the
 * number written (`*number`: of the text for a link, -1 when none); returns
 * the bytes it takes, 0 when no reference starts there. */
size_t adr__legacy_ref(const char *s, size_t n, const char **tgt, size_t *tn, int *number);

/* The relations of one line: each phrase with the references after it. */
#define ADR_LEGACY_LINE_REFS 16
#define ADR_LEGACY_LINE_RANGES 8
typedef struct {
	const char *type;    /* "superseded-by", "amends", ... */
	const char *target;  /* into the line: a link's target, else "" (tn 0) */
	size_t tn;
	int number;          /* the number written, or -1 */
} adr__legacy_lineref;

typedef struct {
	adr__legacy_lineref refs[ADR_LEGACY_LINE_REFS];
	size_t nrefs;
	size_t at[ADR_LEGACY_LINE_RANGES][2]; /* [start, end) of each phrase with its references */
	size_t nat;
	bool superseded;     /* a "superseded by" with a reference */
} adr__legacy_line;

/* Reads the relations of the `n` bytes at `s` (a phrase without a reference is none). */
void adr__legacy_line_read(adr__legacy_line *out, const char *s, size_t n);

/* True when what the relations and the status word [ws, we) leave of the
 * line is only symbols: no remark. */
bool adr__legacy_line_only(const adr__legacy_line *l, const char *s, size_t n, size_t ws, size_t we);

/* True when the `n` bytes at `s` hold only symbols, punctuation and spaces
 * (no letter or digit of any script). */
bool adr__legacy_only_symbols(const char *s, size_t n);

#ifdef __cplusplus
}
#endif
#endif
