/*
 * log/versions.c: the versions of the libraries this process runs with, each
 * asked of the library itself (its adapter file: text/yaml.c, text/markdown.c,
 * log/index_sql.c), so that `adr --version` names what is loaded, not what
 * the build saw.
 */
#include <stdio.h>

#include <git2.h>

#include "adr/common.h"
#include "log/index_internal.h"
#include "text/markdown.h"
#include "text/yaml.h"

void adr_lib_versions_get(adr_lib_versions *out)
{
	static char git[32];
	int major = 0, minor = 0, rev = 0;

	git_libgit2_version(&major, &minor, &rev);
	snprintf(git, sizeof(git), "%d.%d.%d", major, minor, rev);
	out->libgit2 = git;
	out->cmark = adr__markdown_version();
	out->libyaml = adr__yaml_version();
	out->sqlite = adr__index_sqlite_version();
}
