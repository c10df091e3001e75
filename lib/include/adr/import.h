/*
 * adr/import.h: converting an existing decision log (adr-tools, MADR 2/3/4,
 * log4brains, backstage, hand-written) into adr's format, in one commit.
 *
 * Sources: with `from` NULL, the records directory committed on the
 * decision branch; a `from` inside the work tree names a committed
 * directory (read from the decision branch, never from the work tree); a
 * `from` outside the repository is read from the file system (regular
 * files only, no symlinks, each at most ADR_RECORD_MAX bytes). Directories
 * are searched recursively (log4brains keeps records per package). A file
 * is a record when it is Markdown and its name starts with a number
 * (`0001-`, `adr001-`) or a date (`20201016-`); README, index and template
 * files are left alone.
 *
 * Each record keeps its number; date-named records are numbered after the
 * highest number, in date order. Status, date, decision-makers, tags,
 * supersedes, superseded-by and other links found in the body go to the
 * front matter, and the body lines that held them are removed only when
 * they were understood completely; anything else is kept in the body and
 * listed in the item's notes. A date `A/B/YYYY` that reads both ways is
 * read in `date_order` (else noted and dropped); a committed record with
 * no usable date takes the date of the commit that added the file, and
 * the item names that commit (`date_commit`) and says so in its notes. Links between records are rewritten to the
 * new file names. A record whose front matter cannot be read is copied
 * unchanged under its new name and listed, unless it is one of the common
 * cases other tools accept (an unquoted value starting with '@' or a
 * backtick, or holding ": ", tabs in indentation): those are mended, each
 * change listed in the item's `repaired`. A record kept as a folder
 * (`<slug>/index.md` or `<slug>/README.md`) takes the folder's name as its
 * slug (and number, when the name starts with one); the folder's other
 * files move beside it, into `<dir>/NNNN-<slug>/`, with the record's links
 * to them rewritten. The originals are removed in the
 * same commit (when they were in the repository), and `.adr.yaml` is
 * written when missing.
 *
 * Ownership: adr_import_result_dispose() frees a result.
 */
#ifndef ADR_IMPORT_H
#define ADR_IMPORT_H

#include "adr/commit.h"
#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	char *source;          /* the file as found (repository path, or path under `from`) */
	char *target;          /* the new repository path */
	int number;
	char *title;
	char *status;          /* the status written ("" when none) */
	char *date;            /* "" when none */
	bool converted;        /* false: copied unchanged (it could not be read) */
	size_t links_rewritten;
	adr_strlist notes;     /* what could not be mapped, `path:line:col: what` */
	adr_strlist repaired;  /* front matter mended to be read: `path:line: before -> after` */
	adr_strlist files;     /* files beside a folder record, moved with it: `source -> target` */
	/* where each came from (static strings; NULL: nowhere): "file name",
	 * "folder name", "date order", "front matter", "H1", "body" */
	const char *from_number, *from_title, *from_status, *from_date;
	char *date_commit;     /* the record had no usable date: the commit that added the file,
				* whose date it took; NULL otherwise */
} adr_import_item;

typedef struct {
	adr_import_item *items;
	size_t count;
	char *dir;                 /* where the records were written */
	adr_commit_result commit;  /* empty for a dry run */
} adr_import_result;
#define ADR_IMPORT_RESULT_INIT { NULL, 0, NULL, { "", "", 0, false, false, NULL } }

/* How `A/B/YYYY` reads when both A and B are 12 or less. */
typedef enum {
	ADR_IMPORT_DATE_ORDER_NONE = 0, /* ambiguous: reported, not guessed */
	ADR_IMPORT_DATE_ORDER_DMY,      /* day first */
	ADR_IMPORT_DATE_ORDER_MDY       /* month first */
} adr_import_date_order;

typedef struct {
	unsigned version;
	const char *from;   /* NULL: the records directory */
	bool dry_run;       /* plan only: nothing is written */
	adr_progress_fn progress;   /* NULL, or called for each file converted ("records") */
	void *progress_payload;
	adr_import_date_order date_order;
} adr_import_opts;
#define ADR_IMPORT_OPTS_VERSION 1
#define ADR_IMPORT_OPTS_INIT { ADR_IMPORT_OPTS_VERSION, NULL, false, NULL, NULL, ADR_IMPORT_DATE_ORDER_NONE }

int adr_import_run(adr_import_result *out, adr_repo *repo, const adr_import_opts *opts);
void adr_import_result_dispose(adr_import_result *res);

#ifdef __cplusplus
}
#endif
#endif
