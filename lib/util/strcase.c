/* util/strcase.c: case-insensitive string search (util/strcase.h). */
#include "util/strcase.h"

#include <string.h>
#include <strings.h>

bool adr__ci_contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return true;
	return false;
}
