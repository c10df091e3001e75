/*
 * import_folders.c: records kept one per folder, `<slug>/index.md` or
 * `<slug>/README.md` (log/import_internal.h). import_sources.c offers every
 * such file it meets as a candidate; here the candidates that are not
 * records are dropped (a folder with other records in or under it is a
 * collection, and its README says what the collection is), and the files
 * beside each record (images) are gathered, to move with it.
 */
#include "git/repo_internal.h"
#include "log/import_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/record.h"
#include "record/folder.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"

/* A file beside a record is carried along up to this size. */
#define ASSET_MAX (16 * 1024 * 1024)

bool adr__import_folder_name(const char *base)
{
	return adr__folder_file_name(base);
}

/* The folder of `src` ("a/b" for "a/b/index.md"; "" at the top). */
static size_t folder_len(const char *src)
{
	const char *slash = strrchr(src, '/');
	return slash ? (size_t)(slash - src) : 0;
}

/* True when candidate `f` is not a record of its own: at the top, or
 * another record lies in or under its folder, or its folder has an
 * index.md and this is its README.md. */
static bool collection(const src_set *set, size_t i)
{
	const src_file *f = &set->files[i];
	size_t n = folder_len(f->src);

	if (!n)
		return true;
	/* the readers' rule (record/folder.h): an index.md always is a record,
	 * a README.md when its folder's name or its text says so */
	if (!adr__folder_file_is_record(f->folder, f->src + n + 1, f->data.ptr, f->data.size))
		return true;
	for (size_t j = 0; j < set->count; j++) {
		const src_file *g = &set->files[j];
		if (j == i || strncmp(g->src, f->src, n) || g->src[n] != '/')
			continue;
		if (!g->folder || folder_len(g->src) != n) /* a record in or under it */
			return true;
		if (!strcasecmp(g->src + n + 1, "index.md") && strcasecmp(f->src + n + 1, "index.md"))
			return true;
	}
	return false;
}

static void file_dispose(src_file *f)
{
	free(f->src);
	free(f->display);
	free(f->slug);
	free(f->target);
	free(f->folder);
	adr_buf_dispose(&f->data);
	adr_buf_dispose(&f->out);
}

static int add_asset(src_set *set, size_t owner, const char *src, const char *display, const void *data, size_t len)
{
	src_file *a;
	if (ADR_ARRAY_GROW(set->assets, set->aassets, set->nassets + 1) < 0)
		return ADR_ENOMEM;
	a = &set->assets[set->nassets];
	memset(a, 0, sizeof(*a));
	a->number = (int)owner;
	a->src = adr__strdup(src);
	a->display = adr__strdup(display);
	if (!a->src || !a->display || adr_buf_set(&a->data, data, len) < 0) {
		file_dispose(a);
		return ADR_ENOMEM;
	}
	set->nassets++;
	return 0;
}

/* The bytes of file `o` (found by the walk, not read yet). */
static int read_other(adr_buf *out, const src_set *set, adr_repo *repo, const src_file *o)
{
	git_oid id;
	git_blob *blob = NULL;
	int rc;

	if (!set->committed)
		return adr__file_read(out, o->display, ASSET_MAX, ADR_FS_NOFOLLOW);
	if (git_oid_fromstr(&id, o->oid) < 0 || (rc = git_blob_lookup(&blob, repo->git, &id)) < 0) {
		git_error_clear();
		return adr__error(ADR_EINVALID, "%s: object %s is missing or corrupt", o->display, o->oid);
	}
	rc = git_blob_rawsize(blob) > ASSET_MAX ? 1 : adr_buf_set(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return rc;
}

int adr__import_folders(src_set *set, adr_repo *repo)
{
	size_t kept = 0;
	bool *drop;
	int rc = 0;

	if (!set->count)
		return 0;
	if (!(drop = adr__calloc(set->count, sizeof(*drop))))
		return ADR_ENOMEM;
	for (size_t i = 0; i < set->count; i++)
		drop[i] = set->files[i].folder && collection(set, i);
	for (size_t i = 0; i < set->count; i++) {
		if (drop[i])
			file_dispose(&set->files[i]);
		else
			set->files[kept++] = set->files[i];
	}
	set->count = kept;
	free(drop);
	/* the files beside each record: in its folder or under it */
	for (size_t k = 0; k < set->nothers && rc == 0; k++) {
		src_file *o = &set->others[k];
		for (size_t i = 0; i < set->count && rc == 0; i++) {
			const src_file *f = &set->files[i];
			size_t n = folder_len(f->src);
			adr_buf data = ADR_BUF_INIT;
			if (!f->folder || strncmp(o->src, f->src, n) || o->src[n] != '/')
				continue;
			if ((rc = read_other(&data, set, repo, o)) == 0)
				rc = add_asset(set, i, o->src, o->display, data.ptr, data.size);
			else if (rc == 1) /* too large to carry: left where it is */
				rc = 0;
			adr_buf_dispose(&data);
			break;
		}
	}
	return rc;
}

int adr__import_other(src_set *set, const char *src, const char *display, const char *oid)
{
	src_file *o;
	if (set->nothers >= IMPORT_MAX_FILES) /* bounded: beyond it, files beside records stay where they are */
		return 0;
	if (ADR_ARRAY_GROW(set->others, set->aothers, set->nothers + 1) < 0)
		return ADR_ENOMEM;
	o = &set->others[set->nothers];
	memset(o, 0, sizeof(*o));
	snprintf(o->oid, sizeof(o->oid), "%s", oid ? oid : "");
	o->src = adr__strdup(src);
	o->display = adr__strdup(display);
	set->nothers++;
	return o->src && o->display ? 0 : ADR_ENOMEM;
}

void adr__import_assets_dispose(src_set *set)
{
	for (size_t i = 0; i < set->nothers; i++)
		file_dispose(&set->others[i]);
	free(set->others);
	set->others = NULL;
	set->nothers = set->aothers = 0;
	for (size_t i = 0; i < set->nassets; i++)
		file_dispose(&set->assets[i]);
	free(set->assets);
	set->assets = NULL;
	set->nassets = set->aassets = 0;
}
