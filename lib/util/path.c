/*
 * util/path.c: adr__path_validate (util/path.h), the check that a
 * repository-relative path is safe to check out on every OS. Used by the
 * commit (every staged path), the configuration (the records directory),
 * the work-tree journal and import.
 */
#include "util/path.h"

#include <string.h>
#include <strings.h>

#include "util/error.h"

static bool dos_device(const char *comp, size_t n)
{
	static const char *const names[] = { "con", "prn", "aux", "nul", NULL };
	size_t base = 0;
	while (base < n && comp[base] != '.' && comp[base] != ':')
		base++;
	/* "CON", "con.md", "aux:x": the part before the first '.' or ':' counts. */
	while (base > 0 && comp[base - 1] == ' ')
		base--;
	for (int i = 0; names[i]; i++)
		if (base == 3 && strncasecmp(comp, names[i], 3) == 0)
			return true;
	if (base == 4 && (strncasecmp(comp, "com", 3) == 0 || strncasecmp(comp, "lpt", 3) == 0) &&
	    comp[3] >= '1' && comp[3] <= '9')
		return true;
	return false;
}

int adr__path_validate(const char *path)
{
	const char *p = path, *comp;
	if (!*path)
		return adr__error(ADR_EINVALID, "empty path");
	if (*path == '/')
		return adr__error(ADR_EINVALID, "'%s': absolute paths are not allowed", path);
	while (*p) {
		size_t n;
		comp = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - comp);
		if (n == 0)
			return adr__error(ADR_EINVALID, "'%s': empty path component", path);
		if (n > 255)
			return adr__error(ADR_EINVALID, "'%s': a path component is longer than 255 bytes", path);
		if ((n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.'))
			return adr__error(ADR_EINVALID, "'%s': '.' and '..' are not allowed", path);
		if (n >= 4 && strncasecmp(comp, ".git", 4) == 0 &&
		    (n == 4 || comp[4] == ' ' || comp[4] == '.'))
			return adr__error(ADR_EINVALID, "'%s': '.git' is not allowed", path);
		if (n == 5 && strncasecmp(comp, "git~1", 5) == 0)
			return adr__error(ADR_EINVALID, "'%s': 'git~1' is not allowed", path);
		if (comp[n - 1] == '.' || comp[n - 1] == ' ')
			return adr__error(ADR_EINVALID, "'%s': a component may not end in '.' or ' '", path);
		if (dos_device(comp, n))
			return adr__error(ADR_EINVALID, "'%s': '%.*s' is a reserved device name on Windows", path,
					  (int)n, comp);
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)comp[i];
			if (c < 0x20 || c == 0x7f || strchr("\\:*?\"<>|", c))
				return adr__error(ADR_EINVALID, "'%s': character 0x%02x is not allowed in a path",
						  path, c);
		}
		if (*p == '/')
			p++;
		if (*p == '\0' && p[-1] == '/')
			return adr__error(ADR_EINVALID, "'%s': trailing '/'", path);
	}
	return 0;
}

const char *adr__path_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}
