/*
 * cmd/templates_dir.c: where the adr binary finds its own templates, handed
 * to the library once at start (adr_templates_set_dir). $ADR_TEMPLATES_DIR,
 * which the library reads itself, wins over all of these:
 *
 *   1. a binary in its build tree: the templates of its own source tree,
 *      even when another adr is installed (tests must test the templates
 *      they were built with);
 *   2. an installed binary, <prefix>/bin/adr: <prefix>/share/adr/templates;
 *   3. the configured install location, <datadir>/adr/templates;
 *   4. else the source tree's.
 */
#include "templates_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adr.h"

#ifndef ADR_DATADIR
#define ADR_DATADIR "/usr/local/share/adr"
#endif
#ifndef ADR_BINARY_DIR
#define ADR_BINARY_DIR "/nonexistent"
#endif
#ifndef ADR_SOURCE_DIR
#define ADR_SOURCE_DIR "."
#endif

static bool is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Steps 1 and 2: next to the running binary. */
static bool beside_binary(char *found, size_t size)
{
	char exe[2048], *slash, *real;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return false;
	exe[n] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return false;
	*slash = '\0';
	if ((real = realpath(ADR_BINARY_DIR, NULL))) {
		bool here = strcmp(real, exe) == 0;
		free(real);
		snprintf(found, size, "%s/templates", ADR_SOURCE_DIR);
		if (here && is_dir(found))
			return true;
	}
	snprintf(found, size, "%s/../share/adr/templates", exe);
	return is_dir(found);
}

void cli_templates_init(void)
{
	static char found[4096];

	if (!beside_binary(found, sizeof(found))) {
		snprintf(found, sizeof(found), "%s/templates", ADR_DATADIR);
		if (!is_dir(found))
			snprintf(found, sizeof(found), "%s/templates", ADR_SOURCE_DIR);
	}
	adr_templates_set_dir(found);
}
