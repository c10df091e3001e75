/*
 * git/templates.c: record templates (adr/templates.h): the repository's
 * own committed `.adr/templates/NAME.md` first, then adr's templates
 * directory, which the program using the library names
 * (adr_templates_set_dir: the CLI finds it next to its binary).
 */
#include "git/repo_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adr/templates.h"
#include "record/placeholder.h"
#include "util/error.h"

#ifndef ADR_DATADIR
#define ADR_DATADIR "/usr/local/share/adr"
#endif

/* Borrowed from the caller of adr_templates_set_dir(). */
static const char *templates_dir;

void adr_templates_set_dir(const char *dir)
{
	templates_dir = dir && *dir ? dir : NULL;
}

const char *adr_templates_dir(void)
{
	const char *env = getenv("ADR_TEMPLATES_DIR");

	if (env && *env)
		return env;
	if (templates_dir)
		return templates_dir;
	return ADR_DATADIR "/templates";
}

static bool valid_template_name(const char *name)
{
	if (!*name || strlen(name) > 64)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_'))
			return false;
	return true;
}

/* Reads `path` (a template of adr's own) into `out`, at most ADR_RECORD_MAX bytes. */
static int read_template_file(adr_buf *out, const char *path, const char *name)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return errno == ENOENT ? adr__error(ADR_ENOTFOUND, "no template '%s' (looked in .adr/templates/ "
								    "and %s)", name, adr_templates_dir())
				       : adr__error_os("cannot read '%s'", path);
	adr_buf_clear(out);
	rc = adr__fd_read(out, fd, path, ADR_RECORD_MAX);
	close(fd);
	if (rc == ADR_EINVALID)
		rc = adr__error(ADR_EINVALID, "%s: template is larger than %d bytes", path, ADR_RECORD_MAX);
	return rc;
}

int adr_repo_load_template(adr_buf *out, adr_repo *repo, const char *name)
{
	adr_buf path = ADR_BUF_INIT;
	int rc;

	if (!name)
		name = adr_repo_template(repo);
	if (!valid_template_name(name))
		return adr__error(ADR_EINVALID, "template name '%s' must be letters, digits, '-' or '_'", name);
	if ((rc = adr_buf_printf(&path, ".adr/templates/%s.md", name)) < 0)
		goto cleanup;
	rc = adr__read_committed(out, repo, adr_repo_branch(repo), path.ptr);
	if (rc != ADR_ENOTFOUND)
		goto cleanup;
	adr_error_clear();
	adr_buf_clear(&path);
	adr_buf_printf(&path, "%s/%s.md", adr_templates_dir(), name);
	if (adr_buf_oom(&path)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	rc = read_template_file(out, path.ptr, name);
cleanup:
	adr_buf_dispose(&path);
	return rc;
}

int adr__placeholders_load(adr__placeholders *p, adr_repo *repo)
{
	const char *names[] = { NULL, "default", "nygard", "madr" };
	adr_buf t = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]) && rc == 0; i++) {
		adr_buf_clear(&t);
		if ((rc = adr_repo_load_template(&t, repo, names[i])) == ADR_ENOTFOUND) {
			adr_error_clear(); /* a template that is not there adds nothing */
			rc = 0;
			continue;
		}
		if (rc < 0)
			break;
		rc = adr__placeholders_add(p, t.ptr, t.size);
	}
	adr_buf_dispose(&t);
	return rc;
}
