/*
 * record/folder.h: records kept one per folder, `<folder>/index.md` or
 * `<folder>/README.md`. The rule for when such a file is a record by
 * itself, shared by `adr import` (log/import_folders.c, which also drops a
 * folder that holds other records) and the readers, which warn about them
 * (git/records.c).
 */
#ifndef ADR_RECORD_FOLDER_H
#define ADR_RECORD_FOLDER_H

#include <stdbool.h>
#include <stddef.h>

/* True for the names a record kept as a folder has: index.md, README.md
 * (any case). */
bool adr__folder_file_name(const char *base);

/*
 * True when `base` (index.md or README.md) in the folder named `folder` is
 * a record by its own name and text `data` (`len` bytes; NULL when not read
 * yet): an index.md always is; a README.md is when the folder is named
 * with a number or a date, or when it states a status or a date the way
 * records do (a README.md that says neither describes its folder).
 */
bool adr__folder_file_is_record(const char *folder, const char *base, const char *data, size_t len);

#endif
