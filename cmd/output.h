/*
 * cmd/output.h: what adr writes. Every byte written to stdout and stderr
 * goes through a filter (installed once by main) that escapes what a
 * terminal would act on instead of showing: ESC, BEL, a CR that is not part
 * of CRLF, the other C0 controls, DEL, C1 controls, bidi controls, U+2028
 * and U+2029, and invalid UTF-8 (see adr/text.h). Tabs and line feeds pass.
 * JSON output never carries them raw (the JSON writer escapes them), so the
 * filter does not change it. Commands print fields that must stay on one
 * line (titles, paths, names) through cli_oneline(), which also escapes
 * line breaks.
 *
 * JSON: every --json command writes its one document through a cli_out
 * (cli_out_begin, the cli_json_* members or cli_out_record, cli_out_end),
 * which fails with a message when the JSON cannot be made; a stdout that
 * cannot be written is reported by main when it flushes (exit 1).
 * The keys are part of the interface (scripts read them): they are never
 * renamed, though they mix styles ("decision-makers", "age_days").
 */
#ifndef ADR_CLI_OUTPUT_H
#define ADR_CLI_OUTPUT_H

#include "cli.h"
#include "text/json.h"
#include "adr/links.h"

/* Sends stdout and stderr through the filter, for the rest of the process. */
int cli_out_install(void);
/* Appends s to out with unsafe characters escaped; `lines`: keep line feeds. */
void cli_escape(adr_buf *out, const char *s, bool lines);
/* s itself when it is safe on one line, else an escaped copy that lives
 * until eight more calls (so one printf may show several fields). */
const char *cli_oneline(const char *s);

/* One "key": value member of the open object (a NULL string is null). */
void cli_json_str(adr__json_writer *w, const char *key, const char *s);
void cli_json_int(adr__json_writer *w, const char *key, long long v);
void cli_json_bool(adr__json_writer *w, const char *key, bool v);
void cli_json_double(adr__json_writer *w, const char *key, double v);
/* "key": [ the strings of l ] */
void cli_json_strlist(adr__json_writer *w, const char *key, const adr_strlist *l);

typedef struct {
	bool json;
	adr_buf buf;
	adr__json_writer w;
} cli_out;

void cli_out_begin(cli_out *o, bool json);
void cli_out_list_begin(cli_out *o);
void cli_out_list_end(cli_out *o);
/* One record as a JSON object (with the body when `full`). */
void cli_out_record(cli_out *o, const adr_record *r, bool full);
/* The same, left open so that the caller can add keys (then
 * adr__json_end_object). */
void cli_out_record_open(cli_out *o, const adr_record *r, bool full);
/* A record that could not be read, left open like cli_out_record_open:
 * number, slug, title (null), status "unreadable", path and error. */
void cli_out_unreadable_open(cli_out *o, const adr_unreadable *u);
/* A commit linked to a record: id, subject, author, date (and via). */
void cli_out_commit_link(cli_out *o, const adr_commit_link *l, bool via);
/*
 * Writes what was gathered (JSON: the one document and a newline) to
 * stdout and frees it. Returns CLI_OK, or CLI_FAIL after printing why when
 * the JSON could not be written (out of memory). A failure to write to
 * stdout itself is reported once, by main, when it flushes stdout.
 */
int cli_out_end(cli_out *o);

#endif
