/*
 * adr/common.h: error codes, the last-error message and the growable buffer.
 *
 * Ownership, for the whole API: a function that returns a pointer through an
 * out-parameter gives it to the caller, who frees it with the matching
 * `_free` (or `adr_buf_dispose`); `const` pointers are borrowed and live as
 * long as the object they came from. Every `_free` accepts NULL.
 */
#ifndef ADR_COMMON_H
#define ADR_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Return codes. 0 is success; every error is negative. */
enum {
	ADR_OK = 0,
	ADR_ERROR = -1,      /* generic failure */
	ADR_ENOMEM = -2,     /* out of memory */
	ADR_ENOTFOUND = -3,  /* record, repository, ref or file not found */
	ADR_EEXISTS = -4,    /* something already exists */
	ADR_EINVALID = -5,   /* bad input: the message names file:line:col */
	ADR_EBUSY = -6,      /* a lock is held or a race was lost too often: retry */
	ADR_EDIRTY = -7,     /* the user's uncommitted work is in the way */
	ADR_ECONFLICT = -8,  /* a merge conflict */
	ADR_EOS = -9,        /* an operating-system call failed (errno in the message) */
	ADR_EGIT = -10,      /* libgit2 failed (its message is kept) */
	ADR_EUSAGE = -11,    /* an argument makes no sense (the CLI exits 2) */
	ADR_EAMBIGUOUS = -12 /* a short name matches more than one thing */
};

/* The message of the last error on this thread; never NULL. */
const char *adr_error_last(void);
/* The code of the last error on this thread (0 when none). */
int adr_error_code(void);
/* Forget the last error. */
void adr_error_clear(void);

/*
 * What the caller can do about the last error, when the library knows. The
 * library never words it as a command or a flag of adr's CLI (a program
 * that links libadr has neither); the CLI does (cmd/cli.c).
 */
typedef enum {
	ADR_HINT_NONE = 0,
	ADR_HINT_CHECK,      /* the log holds a duplicate or a broken reference: check it */
	ADR_HINT_EDIT,       /* the record the operation needs is unreadable: fix it first */
	ADR_HINT_INIT,       /* the decision log is not set up yet */
	ADR_HINT_INDEX,      /* there is no search index yet: build it */
	ADR_HINT_WORKTREE,   /* GIT_COMMON_DIR: unset it, or open the linked work tree itself */
	ADR_HINT_IMPORT_DIR, /* no records directory found: name the one to import from */
	ADR_HINT_IMPORT,     /* a record in an older format: convert the log first */
	ADR_HINT_SUPERSEDE,  /* superseded needs its successor: supersede with the newer record */
	ADR_HINT_VOTE,       /* an empty comment: a vote needs no text */
	ADR_HINT_HOOKS_STATUS /* hooks could not be put back: look at their state */
} adr_hint;
adr_hint adr_error_hint(void);

/*
 * adr_buf: a growable byte buffer. `ptr` is never NULL and is always
 * NUL-terminated; it may also hold NUL bytes, `size` counts them.
 * An allocation failure makes the buffer sticky-failed: later writes are
 * ignored and adr_buf_oom() says so, so a caller may check once at the end.
 */
typedef struct {
	char *ptr;
	size_t size;
	size_t asize;
	bool oom;
} adr_buf;

extern char adr_buf__empty[];
#define ADR_BUF_INIT { adr_buf__empty, 0, 0, false }

int adr_buf_grow(adr_buf *b, size_t extra);
int adr_buf_put(adr_buf *b, const void *data, size_t len);
int adr_buf_puts(adr_buf *b, const char *s);
int adr_buf_putc(adr_buf *b, char c);
int adr_buf_printf(adr_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int adr_buf_vprintf(adr_buf *b, const char *fmt, va_list ap);
int adr_buf_set(adr_buf *b, const void *data, size_t len);
void adr_buf_truncate(adr_buf *b, size_t len);
void adr_buf_clear(adr_buf *b);
bool adr_buf_oom(const adr_buf *b);
/* Frees the storage and resets to ADR_BUF_INIT. */
void adr_buf_dispose(adr_buf *b);
/* Gives the storage to the caller (free() it); the buffer is reset. NULL
 * only when an empty buffer's copy cannot be allocated (the error is set). */
char *adr_buf_detach(adr_buf *b);

/* A list of owned strings. */
typedef struct {
	char **items;
	size_t count;
	size_t alloc;
} adr_strlist;
#define ADR_STRLIST_INIT { NULL, 0, 0 }

int adr_strlist_add(adr_strlist *l, const char *s);
int adr_strlist_addn(adr_strlist *l, const char *s, size_t n);
bool adr_strlist_contains(const adr_strlist *l, const char *s);
/* Adds s unless an equal string is there already (case-sensitive). */
int adr_strlist_add_unique(adr_strlist *l, const char *s);
int adr_strlist_copy(adr_strlist *dst, const adr_strlist *src);
bool adr_strlist_equal(const adr_strlist *a, const adr_strlist *b);
void adr_strlist_dispose(adr_strlist *l);

/*
 * Progress of long work, for the caller to show (the library never prints):
 * an operation whose opts carry a `progress` callback calls it with what it
 * counts ("records", "pages"), how many are done and of how many (0 when
 * not known), and the opts' `progress_payload`. NULL: no calls.
 */
typedef void (*adr_progress_fn)(const char *what, size_t done, size_t total, void *payload);

/* The versions of the libraries this process runs with, as they report
 * them at run time (static strings; adr --version prints them). */
typedef struct {
	const char *libgit2;
	const char *cmark;
	const char *libyaml;
	const char *sqlite;
} adr_lib_versions;
void adr_lib_versions_get(adr_lib_versions *out);

#ifdef __cplusplus
}
#endif
#endif
