/*
 * site/rewrite.c: links and images inside a record body: links to other
 * records become links to their pages (or plain text when hidden), images
 * from the repository are copied into media/, everything else that would
 * leave the site is left as text.
 */
#include <string.h>
#include <strings.h>

#include "text/markdown.h"
#include "site/site_internal.h"
#include "util/error.h"
#include "util/hash.h"

#define IMAGE_MAX (8u * 1024 * 1024)

static bool has_scheme(const char *url)
{
	const char *p = url;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	for (; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return true;
	return false;
}

static const char *image_ext(const char *path)
{
	static const char *const ok[] = { "png", "jpg", "jpeg", "gif", "webp", "avif", NULL };
	const char *dot = strrchr(path, '.');

	if (!dot || strchr(dot, '/'))
		return NULL;
	for (size_t i = 0; ok[i]; i++)
		if (strcasecmp(dot + 1, ok[i]) == 0)
			return ok[i];
	return NULL;
}

static int copy_image(site *s, adr_buf *out, const char *path)
{
	adr_buf data = ADR_BUF_INIT, name = ADR_BUF_INIT;
	const char *ext = image_ext(path);
	int rc;

	if (!ext) {
		adr__site_warn(s, "%s: image '%s' is not a png, jpeg, gif, webp or avif file; left out",
			       s->cur->r->path, path);
		return ADR_MD_UNLINK;
	}
	rc = adr_repo_read_file(&data, s->repo, s->set.commit, path);
	if (rc < 0) {
		if ((rc = adr__site_partial(s, rc, "%s: image '%s' left out", s->cur->r->path, path)) == 0)
			rc = ADR_MD_UNLINK;
		goto cleanup;
	}
	if (data.size > IMAGE_MAX) {
		adr__site_warn(s, "%s: image '%s' is larger than %u bytes; left out", s->cur->r->path, path, IMAGE_MAX);
		rc = ADR_MD_UNLINK;
		goto cleanup;
	}
	adr_buf_printf(&name, "media/%016llx.%s", (unsigned long long)adr__hash(data.ptr, data.size), ext);
	if (adr_buf_oom(&name)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (!adr_strlist_contains(&s->media, name.ptr)) {
		if ((rc = adr__site_write_buf(s, name.ptr, &data)) < 0 || (rc = adr_strlist_add(&s->media, name.ptr)) < 0)
			goto cleanup;
	}
	adr_buf_puts(out, name.ptr);
	rc = ADR_MD_REWRITE;
cleanup:
	adr_buf_dispose(&data);
	adr_buf_dispose(&name);
	return rc;
}

static void dir_of(adr_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/');

	adr_buf_clear(out);
	if (slash)
		adr_buf_put(out, path, (size_t)(slash - path));
}

int adr__site_link_cb(adr_buf *out, const char *url, bool image, void *payload)
{
	site *s = payload;
	const site_rec *cur = s->cur;
	adr_buf base = ADR_BUF_INIT, path = ADR_BUF_INIT, frag = ADR_BUF_INIT, slug = ADR_BUF_INIT;
	const char *recdir = adr_repo_records_dir(s->repo);
	size_t rdl = strlen(recdir);
	int rc = ADR_MD_KEEP, number;

	if (!*url)
		return image ? ADR_MD_UNLINK : ADR_MD_KEEP;
	if (has_scheme(url)) {
		if (!image)
			return ADR_MD_KEEP; /* cmark's safe mode blanks dangerous schemes */
		adr__site_warn(s, "%s: image '%s' is not in the repository; shown as its text", cur->r->path, url);
		return ADR_MD_UNLINK; /* the site makes no request elsewhere */
	}
	if (*url == '#') {
		if (image)
			return ADR_MD_UNLINK;
		/* Headings carry "h-" ids (see adr__markdown_anchor()). */
		adr_buf_putc(out, '#');
		return adr__markdown_anchor(out, url + 1) < 0 ? ADR_ENOMEM : ADR_MD_REWRITE;
	}
	dir_of(&base, cur->r->path ? cur->r->path : recdir);
	if (adr_buf_oom(&base)) { /* a shorter directory: another path */
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = adr_html_resolve_link(&path, &frag, base.ptr, url)) < 0) {
		if ((rc = adr__site_partial(s, rc, "%s: link '%s' left as text", cur->r->path, url)) == 0)
			rc = ADR_MD_UNLINK;
		goto cleanup;
	}
	if (image) {
		rc = copy_image(s, out, path.ptr);
		goto cleanup;
	}
	if (strncmp(path.ptr, recdir, rdl) == 0 && path.ptr[rdl] == '/' && !strchr(path.ptr + rdl + 1, '/') &&
	    path.size > 3 && strcmp(path.ptr + path.size - 3, ".md") == 0 &&
	    (rc = adr_record_parse_filename(&number, &slug, path.ptr + rdl + 1)) != ADR_ENOTFOUND) {
		site_rec *t;
		if (rc < 0) /* out of memory: no "not part of the site" */
			goto cleanup;
		t = adr__site_find_rec(s, number);
		if (t && t->visible) {
			adr_buf_puts(out, t->page);
			if (frag.size) {
				adr_buf_putc(out, '#');
				if ((rc = adr__markdown_anchor(out, frag.ptr)) < 0)
					goto cleanup;
			}
			rc = ADR_MD_REWRITE;
		} else if (t) {
			adr_buf_puts(out, HIDDEN_TEXT);
			rc = ADR_MD_REPLACE_TEXT;
		} else {
			adr__site_warn(s, "%s: link '%s' names no record; left as text", cur->r->path, url);
			rc = ADR_MD_UNLINK;
		}
		adr_error_clear();
		goto cleanup;
	}
	adr_error_clear();
	adr__site_warn(s, "%s: link '%s' is not part of the site; left as text", cur->r->path, url);
	rc = ADR_MD_UNLINK;
cleanup:
	adr_buf_dispose(&base);
	adr_buf_dispose(&path);
	adr_buf_dispose(&frag);
	adr_buf_dispose(&slug);
	return rc;
}

/* A table of contents for a record page: the body's sections (its <h2>s)
 * and subsections (<h3>s, `sub`), when it has ADR_SITE_TOC_MIN of them. */
#define ADR_SITE_TOC_MIN 3

int adr__site_toc(adr_value *page, const adr__markdown_result *md)
{
	adr_value *toc, *e = NULL;
	size_t sections = 0;

	for (size_t i = 0; i < md->heading_count; i++)
		sections += md->headings[i].level <= 3;
	if (sections < ADR_SITE_TOC_MIN)
		return 0;
	if (!(toc = adr__value_list()))
		return ADR_ENOMEM;
	for (size_t i = 0; i < md->heading_count; i++) {
		const adr__md_heading *h = &md->headings[i];
		if (h->level > 3)
			continue;
		if (!(e = adr__value_map()))
			break;
		adr__value_map_set_string(e, "id", h->id);
		adr__value_map_set_string(e, "text", h->text);
		adr__value_map_set_bool(e, "sub", h->level == 3);
		adr__value_list_append(toc, e);
	}
	if (!e || adr__value_failed(toc)) {
		adr__value_free(toc);
		return ADR_ENOMEM;
	}
	return adr__value_map_set(page, "toc", toc);
}
