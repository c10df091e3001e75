/*
 * util/strcase.h: case-insensitive string search, which C and POSIX lack
 * (strcasestr is a GNU extension). ASCII case only, like strncasecmp in
 * the C locale.
 */
#ifndef ADR_UTIL_STRCASE_H
#define ADR_UTIL_STRCASE_H

#include <stdbool.h>

/* True when `needle` occurs in `hay`, ignoring case. */
bool adr__ci_contains(const char *hay, const char *needle);

#endif
