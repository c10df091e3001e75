/*
 * adr/check.h: is the decision log consistent? For CI (`adr check`).
 *
 * Findings: records that cannot be read, schema errors, dangling links
 * (supersedes, superseded-by, links and Markdown links to record files that
 * do not exist), one-sided supersede links, duplicate numbers on the branch
 * (saying which record is published: that one keeps the number; also file
 * names equal but for case), numbers of unpublished records that a
 * different published record already has on the remote-tracking decision
 * branch (the next merge makes them duplicates), with `all_refs` duplicate numbers
 * across every local and remote-tracking branch (the collisions a code host
 * cannot see), proposals whose branch was merged but that still say
 * `proposed`, status/date inconsistencies (accepted without a date,
 * superseded without superseded-by and the reverse, a date in the future),
 * records named by date (log4brains), which have no number until
 * `adr import`, and characters a terminal acts on instead of showing
 * (adr/text.h) in a file name, a front matter value or the body.
 *
 * Ownership: adr_findings_dispose() frees a findings list and its strings.
 */
#ifndef ADR_CHECK_H
#define ADR_CHECK_H

#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *path;     /* repository-relative path, or a ref name for branch-level findings */
	int line;       /* 1-based; 1 when the whole file is meant */
	int col;
	char *code;     /* "parse", "schema", "dangling-link", "one-sided-supersede",
			 * "duplicate-number", "duplicate-name", "merged-proposal",
			 * "status-date", "legacy" (named by date, no number),
			 * "control-character" */
	char *message;
} adr_finding;

typedef struct {
	adr_finding *items;
	size_t count;
	size_t alloc;
} adr_findings;
#define ADR_FINDINGS_INIT { NULL, 0, 0 }

typedef struct {
	unsigned version;
	bool all_refs;       /* also compare numbers across every branch */
	const char *rev;     /* NULL: the decision branch */
	adr_progress_fn progress;   /* NULL, or called for each ref compared ("refs") */
	void *progress_payload;
} adr_check_opts;
#define ADR_CHECK_OPTS_VERSION 1
#define ADR_CHECK_OPTS_INIT { ADR_CHECK_OPTS_VERSION, false, NULL, NULL, NULL }

/* Checks the log in the repository. Findings are sorted by path and line. */
int adr_check_run(adr_findings *out, adr_repo *repo, const adr_check_opts *opts);

/*
 * Warnings about records that are not finished, sorted by path and line:
 * "placeholder" (the body still holds placeholder text of a template: the
 * one the repository uses, or adr's default, nygard or madr),
 * "no-decision" (accepted, with a Decision section that holds nothing
 * else) and "no-decision-makers" (accepted, naming none). `rev` NULL: the
 * decision branch.
 */
int adr_check_drafts(adr_findings *out, adr_repo *repo, const char *rev);

void adr_findings_dispose(adr_findings *f);

#ifdef __cplusplus
}
#endif
#endif
