/*
 * log/import_internal.h: what import.c and import_sources.c share: the
 * records found for an import (src_set) and how they are found.
 */
#ifndef ADR_LOG_IMPORT_INTERNAL_H
#define ADR_LOG_IMPORT_INTERNAL_H

#include <stdbool.h>

#include "adr/common.h"
#include "adr/repo.h"

#define IMPORT_MAX_FILES 10000
#define IMPORT_MAX_DEPTH 12

typedef struct {
	char *src;       /* path relative to the import root */
	char *display;   /* repository path, or the path under `from` */
	adr_buf data;
	int number;
	bool dated;
	char *slug;
	char *target;    /* repository path */
	adr_buf out;     /* converted bytes */
	const char *from_number; /* where the number came from (static) */
	char *folder;    /* a record kept as <folder>/index.md or README.md: the folder's name, else NULL */
	char oid[41];    /* a file found beside records in git, not read yet: its blob */
	char added_date[11];   /* committed sources: the date of the commit that added it, or "" */
	char added_commit[41]; /* and that commit */
} src_file;

typedef struct {
	src_file *files;
	size_t count, alloc;
	bool committed;  /* sources are in the repository (they are removed) */
	char *root;      /* repository dir (committed) or file system dir */
	char *dir;       /* target directory */
	src_file *others;  /* files that are not records (src, display, oid), maybe beside one */
	size_t nothers, aothers;
	src_file *assets;  /* the files beside a folder record, to move with it (number: the record's index) */
	size_t nassets, aassets;
} src_set;

/* A log4brains name: eight digits (a date), then '-' or '_'. */
bool adr__import_date_prefix(const char *base);
void adr__import_set_dispose(src_set *s);

/*
 * The records committed in `rel` (a repository path; NULL: the records
 * directory, else adr-tools' and log4brains' usual places), into set.
 */
int adr__import_gather_repo(src_set *set, adr_repo *repo, const char *rel);
/* Committed sources: each file's added_date and added_commit, from the
 * oldest commit of the decision branch that has it. */
int adr__import_added_dates(src_set *set, adr_repo *repo);
/* The records in `from`, a directory outside the repository (regular
 * files only, never through a symbolic link). */
int adr__import_gather_dir(src_set *set, adr_repo *repo, const char *from);

/*
 * import_repair.c: `data` (a record named `display`) with the front matter
 * that YAML refuses but other tools accept mended into `out`: unquoted
 * values that start with '@' or '`', or hold ": ", quoted; tabs in
 * indentation made spaces. Each change goes to `repaired` as
 * "display:line: before -> after". 1 when something changed, 0 when not
 * (`out` then means nothing), ADR_ENOMEM.
 */
int adr__import_repair(adr_buf *out, adr_strlist *repaired, const char *display, const char *data, size_t len);

/*
 * import_folders.c: records kept one per folder. adr__import_folder_name:
 * "index.md" or "README.md" (any case). adr__import_other: a file that is
 * not a record, remembered in case it sits beside one (`oid` when it is in
 * git). adr__import_folders, once everything is gathered: drops the folder
 * candidates that are collections, not records (another record in or
 * under the folder), and reads the files beside each folder record into
 * `assets`.
 */
bool adr__import_folder_name(const char *base);
int adr__import_other(src_set *set, const char *src, const char *display, const char *oid);
int adr__import_folders(src_set *set, adr_repo *repo);
void adr__import_assets_dispose(src_set *set);

/* Library-internal: used by other files of the library and by its tests. */
/*
 * Converts one record's bytes (the building block of adr_import_run, also
 * used by tests): parses `data` (its name `path`), moves legacy metadata to
 * the front matter and serializes the result to `out`. Relations map to
 * numbers by the target's file name; Markdown links are not rewritten.
 * `notes` (may be NULL) gets what could not be mapped. ADR_EINVALID when
 * the record cannot be read at all.
 */
int adr__import_convert(adr_buf *out, adr_strlist *notes, const char *path, const char *data, size_t len);

#endif
