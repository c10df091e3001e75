/*
 * site/templates.c: the site's templates and assets: found in the
 * --templates directory, the repository's `.adr/templates/html/` or adr's
 * own, read once per build, compiled and rendered over the site's values.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "site/site_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "text/value.h"
#include "text/mustache.h"

#define TEMPLATE_MAX (1024u * 1024)

static bool template_name_ok(const char *name)
{
	if (!*name || strlen(name) > 64 || *name == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

/* Reads a regular file (never through a symlink) into `out`. ADR_ENOTFOUND
 * (without a message) when absent. */
static int read_regular(adr_buf *out, const char *path, size_t max)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), rc;

	if (fd < 0) {
		if (errno == ENOENT)
			return ADR_ENOTFOUND;
		return adr__error_os("cannot read '%s'", path);
	}
	if (fstat(fd, &st) < 0)
		rc = adr__error_os("cannot read '%s'", path);
	else if (!S_ISREG(st.st_mode))
		rc = adr__error(ADR_EINVALID, "'%s' is not a regular file", path);
	else if ((size_t)st.st_size > max)
		rc = adr__error(ADR_EINVALID, "'%s' is larger than %zu bytes", path, max);
	else
		rc = adr__fd_read(out, fd, path, max); /* the cap again, if it grows meanwhile */
	close(fd);
	return rc;
}

/*
 * Finds a template or asset: the --templates directory, then the
 * repository's committed `.adr/templates/html/`, then adr's own.
 */
static int load_source(site *s, const adr_buf **out, const char *name)
{
	adr_buf path = ADR_BUF_INIT, src = ADR_BUF_INIT;
	int rc;

	for (size_t i = 0; i < s->nsrcs; i++)
		if (strcmp(s->srcs[i].name, name) == 0) {
			*out = &s->srcs[i].src;
			return 0;
		}
	if (!template_name_ok(name))
		return ADR_ENOTFOUND;
	rc = ADR_ENOTFOUND;
	if (s->opts->templates_dir) {
		adr_buf_printf(&path, "%s/%s", s->opts->templates_dir, name);
		rc = read_regular(&src, path.ptr, TEMPLATE_MAX);
	}
	if (rc == ADR_ENOTFOUND) {
		adr_buf_clear(&path);
		adr_buf_clear(&src);
		adr_buf_printf(&path, ".adr/templates/html/%s", name);
		rc = adr_repo_read_file(&src, s->repo, s->set.commit, path.ptr);
		if (rc == ADR_ENOTFOUND)
			adr_error_clear();
	}
	if (rc == ADR_ENOTFOUND) {
		adr_buf_clear(&path);
		adr_buf_clear(&src);
		adr_buf_printf(&path, "%s/html/%s", adr_templates_dir(), name);
		rc = read_regular(&src, path.ptr, TEMPLATE_MAX);
	}
	if (rc < 0)
		goto cleanup;
	if ((rc = ADR_ARRAY_GROW(s->srcs, s->asrcs, s->nsrcs + 1)) < 0)
		goto cleanup;
	if (!(s->srcs[s->nsrcs].name = adr__strdup(name))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	s->srcs[s->nsrcs].src = src;
	src = (adr_buf)ADR_BUF_INIT;
	*out = &s->srcs[s->nsrcs++].src;
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&src);
	return rc;
}

int adr__site_load_required(site *s, const adr_buf **out, const char *name)
{
	int rc = load_source(s, out, name);

	if (rc == ADR_ENOTFOUND)
		return adr__error(ADR_ENOTFOUND, "html template '%s' not found (looked in %s%s.adr/templates/html "
				  "and %s/html)", name, s->opts->templates_dir ? s->opts->templates_dir : "",
				  s->opts->templates_dir ? ", " : "", adr_templates_dir());
	return rc;
}

static int partial_cb(const char **src, size_t *len, const char *name, void *payload)
{
	site *s = payload;
	const adr_buf *b;
	adr_buf n = ADR_BUF_INIT;
	int rc;

	adr_buf_printf(&n, "%s.mustache", name);
	if (adr_buf_oom(&n))
		return ADR_ENOMEM;
	rc = load_source(s, &b, n.ptr);
	if (rc == 0 && s->pc_render && s->pc)
		rc = adr__pagecache_use_template(s->pc, n.ptr);
	adr_buf_dispose(&n);
	if (rc < 0)
		return rc;
	*src = b->ptr;
	*len = b->size;
	return 0;
}

int adr__site_compile(site *s, adr__mustache_template **out, const char *name)
{
	const adr_buf *b;
	int rc = adr__site_load_required(s, &b, name);

	if (rc < 0)
		return rc;
	return adr__mustache_compile(out, name, b->ptr, b->size);
}

/* A name a record page looked up in the site-wide value. */
static void note_name(const char *name, size_t len, void *payload)
{
	site *s = payload;

	if (adr__pagecache_use_name(s->pc, name, len) < 0)
		s->pc_lost = true;
}

int adr__site_render(site *s, adr_buf *out, adr__mustache_template *t, const adr_value *page)
{
	const adr_value *ctx[2] = { s->site, page };
	adr__mustache_opts mo = ADR_MUSTACHE_OPTS_INIT;

	mo.flags = ADR_MUSTACHE_STRICT;
	if (s->pc_render && s->pc) {
		mo.base_lookup = note_name;
		mo.base_payload = s;
	}
	/* A model that lacks something (memory ran out building it) would
	 * render as a page with holes (the site-wide part is checked once, by
	 * adr__site_build_value). The failure happened earlier, so its message
	 * may be gone: set it again. */
	if (adr__value_failed(page))
		return adr__error_oom();
	return adr__mustache_render_contexts(out, t, ctx, 2, partial_cb, s, &mo);
}


/*
 * The environment of record pages (site/pagecache.h): the sources of the
 * templates `tpl` as they load now (or that one does not), and what the
 * site-wide value holds now under each of `names`.
 */
int adr__site_env(site *s, const adr_strlist *tpl, const adr_strlist *names, uint64_t *env)
{
	adr_buf d = ADR_BUF_INIT;
	const adr_buf *src;
	int rc = 0;

	for (size_t i = 0; i < tpl->count && rc == 0; i++) {
		adr_buf_puts(&d, tpl->items[i]);
		adr_buf_putc(&d, '\0');
		rc = load_source(s, &src, tpl->items[i]);
		if (rc == 0) {
			adr_buf_putc(&d, 1);
			adr_buf_put(&d, &src->size, sizeof(src->size));
			adr_buf_put(&d, src->ptr, src->size);
		} else if (rc != ADR_ENOMEM) {
			adr_buf_putc(&d, 0); /* gone or unreadable: not the one the pages were made with */
			adr_error_clear();
			rc = 0;
		}
	}
	for (size_t i = 0; i < names->count && rc == 0; i++) {
		const adr_value *v = adr__value_lookup(s->site, names->items[i]);
		adr_buf_puts(&d, names->items[i]);
		adr_buf_putc(&d, '\0');
		adr_buf_putc(&d, v ? 1 : 0);
		if (v)
			rc = adr__value_digest(&d, v);
	}
	if (rc == 0 && adr_buf_oom(&d))
		rc = adr__error_oom();
	if (rc == 0)
		*env = adr__pagecache_hash(s->pc, d.ptr, d.size);
	adr_buf_dispose(&d);
	return rc;
}
