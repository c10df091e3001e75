/* log/ops_internal.h: library-internal helpers shared by the write operations. */
#ifndef ADR_OPS_INTERNAL_H
#define ADR_OPS_INTERNAL_H

#include "adr/ops.h"
#include "record/trailers.h"

/*
 * adr_repo_commit() for an operation: on failure the result is emptied
 * (path freed, number -1), so a caller that gives up owns nothing.
 */
int adr__op_commit(adr_op_result *res, adr_repo *repo, adr_change_fn fn, void *payload,
		   const adr_commit_opts *opts);

/*
 * adr_op_new(), and when `commit` is given the record commit also carries
 * `Adr-Commit: <commit>` (a decision recorded for a code commit by a hook).
 */
int adr__op_new(adr_op_result *res, adr_repo *repo, adr_record *r, const char *commit);

/* Record `number` in the change's tip (borrowed from the change's set; a
 * write operation changes it and writes it back): ADR_ENOTFOUND when
 * absent, ADR_EAMBIGUOUS when two files carry the number, ADR_EINVALID
 * (hinted) when it cannot be read. */
int adr__op_record(adr_record **out, adr_change *ch, int number);

/* Sets res->path to a copy of `path`. */
int adr__op_set_path(adr_op_result *res, const char *path);

/* Valid UTF-8 without NUL (what a git message or a record may hold), else
 * ADR_EINVALID: "WHAT is not valid UTF-8 text (or contains a NUL byte)". */
int adr__text_check(const char *what, const char *s, size_t len);


/*
 * The next free record number in the change and the path its record gets,
 * <records dir>/<NNNN-slug>.md (see adr_record_filename()). *number is set
 * as soon as it is known, even when making the path then fails.
 */
int adr__op_next_record(adr_buf *path, int *number, adr_change *ch, const char *slug);

/*
 * The message block every write operation ends with: the subject
 * "adr: " + `fmt`, then the trailers `Adr-Action: <action>` and the pairs
 * of `trailers` in order (key, value, ..., NULL; the array may be NULL); a
 * pair whose value is NULL is left out. Trailers added afterwards with
 * adr_change_add_trailer() follow them; the body is set apart.
 */
int adr__op_message(adr_change *ch, const char *action, const char *const *trailers, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
