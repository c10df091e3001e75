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
	char added_date[11];   /* committed sources: the date of the commit that added it, or "" */
	char added_commit[41]; /* and that commit */
} src_file;

typedef struct {
	src_file *files;
	size_t count, alloc;
	bool committed;  /* sources are in the repository (they are removed) */
	char *root;      /* repository dir (committed) or file system dir */
	char *dir;       /* target directory */
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
