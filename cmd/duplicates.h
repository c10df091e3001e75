/*
 * cmd/duplicates.h: numbers used by more than one record, as `adr list`
 * marks them and `adr show` refuses them, with which of the records is
 * published and how to fix it (adr renumber).
 */
#ifndef ADR_CLI_DUPLICATES_H
#define ADR_CLI_DUPLICATES_H

#include "cli.h"

typedef struct {
	int number;
	const char *path;     /* borrowed from the caller's records */
	const char *title;    /* borrowed; may be NULL */
	bool published;
} cli_dup;

typedef struct {
	cli_dup *items;       /* every record whose number another one has, by number */
	size_t count, alloc;
	bool published_known; /* false when the remote-tracking branch could not be read */
} cli_dups;
#define CLI_DUPS_INIT { NULL, 0, 0, false }

/*
 * Adds record (number, path, title) to the candidates; call cli_dups_done
 * once all are added. Returns 0, or an exit code (out of memory: printed).
 */
int cli_dups_add(cli_dups *d, int number, const char *path, const char *title);
/* Keeps the duplicated numbers only and reads which are published (when
 * the remote-tracking branch cannot be read, says so once and goes on). */
int cli_dups_done(cli_dups *d, adr_repo *repo);
/* The entry of record `path`, or NULL when its number is not duplicated. */
const cli_dup *cli_dups_find(const cli_dups *d, const char *path);
/* "number 0014 is used by 2 records: P1 "T1" (published), P2 "T2"; run ..." */
void cli_dups_message(adr_buf *out, const cli_dups *d, int number);
/* A warning per duplicated number (list). */
void cli_dups_warn(const cli_dups *d);
void cli_dups_dispose(cli_dups *d);

#endif
