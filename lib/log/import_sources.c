/*
 * import_sources.c: finding the records to import: Markdown files named by
 * number or date, in a directory committed on the decision branch (read
 * from git, never from the work tree) or in a directory outside the
 * repository (regular files only, capped in size and count).
 */
#include "git/repo_internal.h"
#include "log/import_internal.h"
#include "git/walk.h"

#include <dirent.h>
#include <stdio.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adr/record.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"

bool adr__import_date_prefix(const char *base)
{
	return adr_record_date_named(base); /* the readers' rule (record/filename.c) */
}

static bool record_name(const char *base)
{
	size_t n = strlen(base);
	int num;
	if (n < 4 || strcasecmp(base + n - 3, ".md"))
		return false;
	if (adr__import_date_prefix(base))
		return true;
	if (adr_record_parse_filename(&num, NULL, base) < 0) {
		adr_error_clear();
		return false;
	}
	return true;
}

static int set_add(src_set *s, const char *src, const char *display, const void *data, size_t len)
{
	src_file *f;
	if (s->count >= IMPORT_MAX_FILES)
		return adr__error(ADR_EINVALID, "more than %d records to import", IMPORT_MAX_FILES);
	if (ADR_ARRAY_GROW(s->files, s->alloc, s->count + 1) < 0)
		return ADR_ENOMEM;
	f = &s->files[s->count];
	memset(f, 0, sizeof(*f));
	adr_buf_dispose(&f->data);
	adr_buf_dispose(&f->out);
	f->number = -1;
	f->src = adr__strdup(src);
	f->display = f->src ? adr__strdup(display) : NULL;
	if (!f->display || adr_buf_set(&f->data, data, len) < 0) {
		free(f->src);
		free(f->display);
		adr_buf_dispose(&f->data);
		return ADR_ENOMEM;
	}
	s->count++;
	return 0;
}

/* The file just added, named `base`: a record kept as a folder when it is
 * an index.md or README.md (found only below the import root). */
static int mark_folder(src_set *s, const char *base)
{
	src_file *f = &s->files[s->count - 1];
	const char *end, *start;

	if (!adr__import_folder_name(base) || !(end = strrchr(f->src, '/')))
		return 0;
	for (start = end; start > f->src && start[-1] != '/'; start--)
		;
	f->folder = adr__strndup(start, (size_t)(end - start));
	return f->folder ? 0 : ADR_ENOMEM;
}

void adr__import_set_dispose(src_set *s)
{
	for (size_t i = 0; i < s->count; i++) {
		free(s->files[i].src);
		free(s->files[i].display);
		free(s->files[i].slug);
		free(s->files[i].target);
		free(s->files[i].folder);
		adr_buf_dispose(&s->files[i].data);
		adr_buf_dispose(&s->files[i].out);
	}
	free(s->files);
	adr__import_assets_dispose(s);
	free(s->root);
	free(s->dir);
	memset(s, 0, sizeof(*s));
}

/* --- gathering ---------------------------------------------------------------- */

typedef struct {
	src_set *set;
	adr_repo *repo;
	int rc;
} walk_ctx;

static int walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	walk_ctx *w = payload;
	const char *name = git_tree_entry_name(e);
	git_filemode_t mode = git_tree_entry_filemode(e);
	adr_buf src = ADR_BUF_INIT, disp = ADR_BUF_INIT;
	git_blob *blob = NULL;
	int rc = 0;

	if (mode == GIT_FILEMODE_TREE)
		return 0;
	adr_buf_printf(&src, "%s%s", root, name);
	adr_buf_printf(&disp, "%s/%s%s", w->set->root, root, name);
	if (adr_buf_oom(&src) || adr_buf_oom(&disp)) {
		rc = ADR_ENOMEM;
		goto done;
	}
	if (!record_name(name) && !(*root && adr__import_folder_name(name))) {
		/* maybe a file beside a record kept as a folder (import_folders.c) */
		if (*root && (mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE))
			rc = adr__import_other(w->set, src.ptr, disp.ptr, git_oid_tostr_s(git_tree_entry_id(e)));
		goto done;
	}
	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
		rc = adr__error(ADR_EINVALID, "%s: not a regular file (mode %06o); refusing to import it", disp.ptr,
				(unsigned)mode);
		goto done;
	}
	if ((rc = git_blob_lookup(&blob, w->repo->git, git_tree_entry_id(e))) < 0) {
		rc = adr__error_git(rc, "%s: object is missing or corrupt", disp.ptr);
		goto done;
	}
	if (git_blob_rawsize(blob) > ADR_RECORD_MAX) {
		rc = adr__error(ADR_EINVALID, "%s: larger than %d bytes", disp.ptr, ADR_RECORD_MAX);
		goto done;
	}
	if ((rc = set_add(w->set, src.ptr, disp.ptr, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob))) == 0)
		rc = mark_folder(w->set, name);
done:
	git_blob_free(blob);
	adr_buf_dispose(&src);
	adr_buf_dispose(&disp);
	if (rc < 0) {
		w->rc = rc;
		return -1;
	}
	return 0;
}

static int gather_committed(src_set *set, adr_repo *repo, const char *dir)
{
	git_commit *c = NULL;
	git_tree *tree = NULL, *sub = NULL;
	git_tree_entry *e = NULL;
	walk_ctx w = { set, repo, 0 };
	int rc;

	if ((rc = adr__resolve_commit(&c, repo, NULL)) < 0)
		return rc;
	if ((rc = git_commit_tree(&tree, c)) < 0) {
		rc = adr__error_git(rc, "cannot read the tree of %s", adr_repo_branch(repo));
		goto cleanup;
	}
	if ((rc = git_tree_entry_bypath(&e, tree, dir)) < 0 && rc != GIT_ENOTFOUND) {
		rc = adr__error_git(rc, "cannot read '%s' on %s", dir, adr_repo_branch(repo));
		goto cleanup;
	}
	if (rc < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE) {
		rc = adr__error(ADR_ENOTFOUND, "'%s' is not a committed directory on %s", dir, adr_repo_branch(repo));
		goto cleanup;
	}
	if ((rc = git_tree_lookup(&sub, repo->git, git_tree_entry_id(e))) < 0) {
		rc = adr__error_git(rc, "'%s' is missing or corrupt", dir);
		goto cleanup;
	}
	rc = git_tree_walk(sub, GIT_TREEWALK_PRE, walk_cb, &w);
	if (w.rc < 0)
		rc = w.rc;
	else if (rc < 0)
		rc = adr__error_git(rc, "cannot walk '%s'", dir);
cleanup:
	git_tree_entry_free(e);
	git_tree_free(sub);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int gather_fs(src_set *set, const char *root, const char *rel, int depth)
{
	adr_buf dirpath = ADR_BUF_INIT, path = ADR_BUF_INIT, sub = ADR_BUF_INIT, data = ADR_BUF_INIT;
	DIR *d = NULL;
	struct dirent *de;
	char **names = NULL;
	size_t count = 0, alloc = 0;
	int rc = 0;

	if (depth > IMPORT_MAX_DEPTH)
		return 0;
	adr_buf_printf(&dirpath, "%s%s%s", root, *rel ? "/" : "", rel);
	if (adr_buf_oom(&dirpath))
		return ADR_ENOMEM;
	if (!(d = opendir(dirpath.ptr))) {
		rc = adr__error_os("cannot open '%s'", dirpath.ptr);
		goto cleanup;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if ((rc = ADR_ARRAY_GROW(names, alloc, count + 1)) < 0)
			goto cleanup;
		if (!(names[count] = adr__strdup(de->d_name))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		count++;
		if (count > IMPORT_MAX_FILES) {
			rc = adr__error(ADR_EINVALID, "'%s' has more than %d entries", dirpath.ptr, IMPORT_MAX_FILES);
			goto cleanup;
		}
	}
	if (count)
		qsort(names, count, sizeof(*names), cmp_str);
	for (size_t i = 0; i < count; i++) {
		struct stat st;
		adr_buf_clear(&path);
		adr_buf_clear(&sub);
		adr_buf_printf(&path, "%s/%s", dirpath.ptr, names[i]);
		adr_buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", names[i]);
		if (adr_buf_oom(&path) || adr_buf_oom(&sub)) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		if (lstat(path.ptr, &st) < 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if ((rc = gather_fs(set, root, sub.ptr, depth + 1)) < 0)
				goto cleanup;
			continue;
		}
		if (!S_ISREG(st.st_mode))
			continue; /* symlinks and the like are never followed */
		if (!record_name(names[i]) && !(*rel && adr__import_folder_name(names[i]))) {
			/* maybe a file beside a record kept as a folder (import_folders.c) */
			if (*rel && st.st_size <= 16 * 1024 * 1024 && (rc = adr__import_other(set, sub.ptr, path.ptr, NULL)) < 0)
				goto cleanup;
			continue;
		}
		adr_buf_clear(&data);
		/* a regular file by the lstat above; a link swapped in since is refused */
		if ((rc = adr__file_read(&data, path.ptr, ADR_RECORD_MAX, ADR_FS_NOFOLLOW)) < 0 ||
		    (rc = set_add(set, sub.ptr, path.ptr, data.ptr, data.size)) < 0 ||
		    (rc = mark_folder(set, names[i])) < 0)
			goto cleanup;
	}
cleanup:
	if (d)
		closedir(d);
	for (size_t i = 0; i < count; i++)
		free(names[i]);
	free(names);
	adr_buf_dispose(&dirpath);
	adr_buf_dispose(&path);
	adr_buf_dispose(&sub);
	adr_buf_dispose(&data);
	return rc;
}

/* Sets the import root and the target directory (copies of both). */
static int set_dirs(src_set *set, const char *root, const char *dir)
{
	char *r = adr__strdup(root), *d = r ? adr__strdup(dir) : NULL;
	if (!d) {
		free(r);
		return ADR_ENOMEM;
	}
	free(set->root);
	free(set->dir);
	set->root = r;
	set->dir = d;
	return 0;
}

/*
 * The records committed in `rel` (a repository path; NULL: the records
 * directory, else adr-tools' and log4brains' usual places).
 */
int adr__import_gather_repo(src_set *set, adr_repo *repo, const char *rel)
{
	static const char *const usual[] = { "docs/adr", "doc/adr", "docs/architecture/decisions" };
	int rc;

	set->committed = true;
	if ((rc = set_dirs(set, rel ? rel : adr_repo_records_dir(repo), rel ? rel : adr_repo_records_dir(repo))) < 0)
		return rc;
	while (strlen(set->root) > 1 && set->root[strlen(set->root) - 1] == '/')
		set->root[strlen(set->root) - 1] = '\0', set->dir[strlen(set->dir) - 1] = '\0';
	rc = gather_committed(set, repo, set->root);
	/* adr-tools' and log4brains' usual places, when nothing is configured */
	for (size_t k = 0; rc == ADR_ENOTFOUND && !rel && k < sizeof(usual) / sizeof(usual[0]); k++) {
		if ((rc = set_dirs(set, usual[k], usual[k])) < 0)
			return rc;
		adr_error_clear();
		rc = gather_committed(set, repo, set->root);
	}
	if (rc == ADR_ENOTFOUND && !rel)
		rc = adr__hint(ADR_HINT_IMPORT_DIR, adr__error(ADR_ENOTFOUND,
			       "no records directory on %s (looked in %s, docs/adr, doc/adr, "
			       "docs/architecture/decisions)", adr_repo_branch(repo), adr_repo_records_dir(repo)));
	return rc;
}

/* The records in `from`, a directory outside the repository. */
int adr__import_gather_dir(src_set *set, adr_repo *repo, const char *from)
{
	struct stat st;
	int rc;
	if (stat(from, &st) < 0 || !S_ISDIR(st.st_mode))
		return adr__error(ADR_ENOTFOUND, "'%s' is not a directory", from);
	if ((rc = set_dirs(set, from, adr_repo_records_dir(repo))) < 0)
		return rc;
	return gather_fs(set, from, "", 0);
}

/* --- the dates of the commits that added the files ------------------------------ */

typedef struct {
	src_set *set;
	size_t left;
} added_walk;

static int added_commit(git_commit *c, void *payload)
{
	added_walk *w = payload;
	git_tree *tree = NULL;
	const git_signature *a = git_commit_author(c);

	if (git_commit_tree(&tree, c) < 0) {
		git_error_clear(); /* a tree that cannot be read dates nothing; the walk goes on */
		return 0;
	}
	for (size_t i = 0; i < w->set->count; i++) {
		src_file *f = &w->set->files[i];
		git_tree_entry *e = NULL;
		if (f->added_date[0] || git_tree_entry_bypath(&e, tree, f->display) < 0)
			continue;
		git_tree_entry_free(e);
		{
			time_t t = (time_t)(a->when.time + (git_time_t)a->when.offset * 60);
			struct tm tm;
			char tmp[32];
			gmtime_r(&t, &tm);
			snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
			memcpy(f->added_date, tmp, 10);
			f->added_date[10] = '\0';
		}
		git_oid_tostr(f->added_commit, sizeof(f->added_commit), git_commit_id(c));
		w->left--;
	}
	git_error_clear();
	git_tree_free(tree);
	return w->left ? 0 : 1;
}

int adr__import_added_dates(src_set *set, adr_repo *repo)
{
	git_commit *tip = NULL;
	git_odb *odb = NULL;
	adr__walk_opts o;
	added_walk w = { set, set->count };
	int rc;

	if (!set->count)
		return 0;
	if ((rc = adr__resolve_commit(&tip, repo, NULL)) < 0)
		return rc;
	memset(&o, 0, sizeof(o));
	o.from = git_commit_id(tip);
	o.oldest_first = true;
	/* a shallow clone dates what it has; a file added before its boundary gets that commit's date */
	o.stop_at_shallow = git_repository_odb(&odb, repo->git) == 0;
	o.odb = odb;
	git_error_clear();
	o.what = "the history of the records to import";
	rc = adr__walk(repo, &o, added_commit, &w);
	git_odb_free(odb);
	git_commit_free(tip);
	return rc;
}
