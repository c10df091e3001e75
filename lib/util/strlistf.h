/*
 * util/strlistf.h: appending a printf-formatted string to an adr_strlist,
 * the way the readers collect their `path:line:col: what` warnings and
 * notes (legacy, import, record).
 */
#ifndef ADR_UTIL_STRLISTF_H
#define ADR_UTIL_STRLISTF_H

#include <stdarg.h>

#include "adr/common.h"

/* Formats like printf and adds the result to `l`: 0, or ADR_ENOMEM with
 * the error set. */
int adr__strlist_addf(adr_strlist *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int adr__strlist_vaddf(adr_strlist *l, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

#endif
