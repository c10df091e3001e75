/*
 * git/records.c: reading committed records and files (adr/repo.h): the
 * records of a revision as a set, the path of record N, one file of a
 * revision, and record numbers as the user types them.
 */
#include "git/repo_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "git/reccache.h"
#include "git/records_read.h"
#include "util/alloc.h"
#include "record/folder.h"
#include "record/legacy.h"
#include "util/error.h"

bool adr__is_markdown(const char *name)
{
	size_t n = strlen(name);
	return n > 3 && strcasecmp(name + n - 3, ".md") == 0;
}

int adr__tree_read(adr_buf *out, git_repository *git, git_tree *tree, const char *path)
{
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int rc;

	rc = git_tree_entry_bypath(&entry, tree, path);
	if (rc == GIT_ENOTFOUND)
		return adr__error(ADR_ENOTFOUND, "'%s' does not exist", path);
	if (rc < 0)
		return adr__error_git(rc, "cannot look up '%s'", path);
	if (git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB &&
	    git_tree_entry_filemode(entry) != GIT_FILEMODE_BLOB_EXECUTABLE) {
		rc = adr__error(ADR_EINVALID, "'%s' is not a regular file (mode %06o); refusing to read it",
				path, (unsigned)git_tree_entry_filemode(entry));
		goto cleanup;
	}
	rc = git_blob_lookup(&blob, git, git_tree_entry_id(entry));
	if (rc < 0) {
		rc = adr__error_git(rc, "object %s for '%s' is missing or corrupt",
				    git_oid_tostr_s(git_tree_entry_id(entry)), path);
		goto cleanup;
	}
	if (adr_buf_set(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob)) < 0)
		rc = ADR_ENOMEM;
	else
		rc = 0;
cleanup:
	git_blob_free(blob);
	git_tree_entry_free(entry);
	return rc;
}

int adr__resolve_commit(git_commit **out, adr_repo *repo, const char *rev)
{
	git_object *obj = NULL;
	int rc;
	const char *spec = rev ? rev : repo->branch;

	*out = NULL;
	rc = git_revparse_single(&obj, repo->git, spec);
	if (rc == GIT_ENOTFOUND && !rev) {
		git_reference *ref = NULL;
		bool exists = git_reference_lookup(&ref, repo->git, repo->branch) == 0;
		git_reference_free(ref);
		if (!exists)
			return adr__error(ADR_ENOTFOUND, "branch '%s' has no commits yet", repo->branch);
		/* Not unborn: its commit is gone (GIT_ERROR, so no caller reads it as an empty log). */
		return adr__error_git(GIT_ERROR, "the tip of '%s' is missing or corrupt", repo->branch);
	}
	if (rc < 0)
		return adr__error_git(rc, "unknown revision '%s'", spec);
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return adr__error_git(rc, "'%s' is not a commit", spec);
	return 0;
}

/* --- records ------------------------------------------------------------ */

int adr_recordset_add(adr_recordset *set, adr_record *r)
{
	if (ADR_ARRAY_GROW(set->items, set->alloc, set->count + 1) < 0)
		return ADR_ENOMEM;
	set->items[set->count++] = r;
	return 0;
}

int adr_recordset_find(const adr_recordset *set, int number)
{
	for (size_t i = 0; i < set->count; i++)
		if (set->items[i]->number == number)
			return (int)i;
	return -1;
}

void adr_recordset_dispose(adr_recordset *set)
{
	for (size_t i = 0; i < set->count; i++)
		adr_record_free(set->items[i]);
	free(set->items);
	set->items = NULL;
	set->count = set->alloc = 0;
	set->commit[0] = '\0';
	for (size_t i = 0; i < set->nunreadable; i++) {
		free(set->unreadable[i].path);
		free(set->unreadable[i].slug);
		free(set->unreadable[i].error);
	}
	free(set->unreadable);
	set->unreadable = NULL;
	set->nunreadable = set->aunreadable = 0;
	adr_strlist_dispose(&set->errors);
	adr_strlist_dispose(&set->skipped);
	for (size_t i = 0; set->folder_records && i < set->folders.count; i++)
		adr_record_free(set->folder_records[i]);
	free(set->folder_records);
	set->folder_records = NULL;
	adr_strlist_dispose(&set->folders);
}

static int cmp_records(const void *a, const void *b)
{
	const adr_record *x = *(adr_record *const *)a, *y = *(adr_record *const *)b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->path ? x->path : "", y->path ? y->path : "");
}

int adr__records_from_tree(adr_recordset *set, adr_repo *repo, git_tree *root, unsigned flags)
{
	return adr__records_from_tree_skip(set, repo, root, flags, NULL);
}

/*
 * The entries of the records directory (`items`, `count`) that are
 * records, as jobs (their paths allocated in `paths`, one NUL-terminated
 * path after another, offsets in the jobs' `path` until all are written).
 * F12: a symlink (or submodule) is never followed nor read; it goes to
 * set->skipped and must not hide the other records (adr check reports it).
 */
static int collect_jobs(adr__record_job **out, size_t *nout, adr_buf *paths, adr_recordset *set,
			adr_repo *repo, const adr__reccache_entry *items, size_t count, const char *skip)
{
	size_t n = 0;
	adr__record_job *jobs = count ? adr__calloc(count, sizeof(*jobs)) : NULL;
	adr_buf path = ADR_BUF_INIT;
	int rc = 0;

	if (count && !jobs)
		return ADR_ENOMEM;
	for (size_t i = 0; i < count && rc == 0; i++) {
		const char *name = items[i].name;
		git_filemode_t mode = (git_filemode_t)items[i].mode;
		int number;

		if (!adr__is_markdown(name) || (skip && strcmp(name, skip) == 0) ||
		    (adr_record_parse_filename(&number, NULL, name) < 0 && !adr_record_date_named(name))) {
			adr_error_clear();
			continue;
		}
		adr_error_clear();
		if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
			adr_buf_clear(&path);
			adr_buf_printf(&path, "%s/%s: not a regular file (mode %06o); skipped", repo->records_dir, name,
				       (unsigned)mode);
			if (adr_buf_oom(&path) || adr_strlist_add(&set->skipped, path.ptr) < 0)
				rc = ADR_ENOMEM;
			continue;
		}
		git_oid_cpy(&jobs[n].id, items[i].id);
		jobs[n].path = (const char *)(uintptr_t)paths->size;
		adr_buf_printf(paths, "%s/%s", repo->records_dir, name);
		adr_buf_putc(paths, '\0');
		n++;
	}
	adr_buf_dispose(&path);
	if (rc == 0 && adr_buf_oom(paths))
		rc = ADR_ENOMEM;
	for (size_t i = 0; rc == 0 && i < n; i++)
		jobs[i].path = paths->ptr + (uintptr_t)jobs[i].path;
	if (rc < 0) {
		free(jobs);
		return rc;
	}
	*out = jobs;
	*nout = n;
	return 0;
}

/*
 * The entries of the records directory tree `id`: the cache's listing when
 * it has one (reading a large tree from a pack is slow), else the tree's
 * (`dir` and `mine` for the caller to free), then listed in the cache.
 */
static int list_dir(const adr__reccache_entry **out, size_t *n, adr__reccache_entry **mine, git_tree **dir,
		    adr_repo *repo, adr__reccache *cache, const git_oid *id)
{
	int rc;
	if ((*out = adr__reccache_tree(cache, id, n)))
		return 0;
	if ((rc = git_tree_lookup(dir, repo->git, id)) < 0)
		return adr__error_git(rc, "records directory '%s' is missing or corrupt", repo->records_dir);
	*n = git_tree_entrycount(*dir);
	if (*n && !(*mine = adr__calloc(*n, sizeof(**mine))))
		return ADR_ENOMEM;
	for (size_t i = 0; i < *n; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(*dir, i);
		(*mine)[i] = (adr__reccache_entry){ git_tree_entry_name(e), (unsigned)git_tree_entry_filemode(e),
						    git_tree_entry_id(e) };
	}
	*out = *mine;
	return adr__reccache_set_tree(cache, id, *mine, *n);
}

/*
 * Whether the subtree `id`, the entry `name` of the records directory, is
 * a record kept as a folder (record/folder.h): it holds an index.md, or a
 * README.md that is a record, and no record file beside it (a collection).
 * Its folders are not read. Returns 1 with its path in `out` (and its
 * blob in `blob`, unless NULL), 0 when it is not one (or cannot be read:
 * the readers only warn about these), or ADR_ENOMEM.
 */
int adr__records_folder(adr_buf *out, git_oid *blob_id, adr_repo *repo, const char *name, const git_oid *id)
{
	git_tree *sub = NULL;
	git_blob *blob = NULL;
	const char *found = NULL;
	int rc = 0, number;

	if (git_tree_lookup(&sub, repo->git, id) < 0)
		goto done;
	for (size_t i = 0; i < git_tree_entrycount(sub); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(sub, i);
		const char *base = git_tree_entry_name(e);
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || !adr__is_markdown(base))
			continue;
		if (adr__folder_file_name(base)) {
			if (!found || !strcasecmp(base, "index.md"))
				found = base;
		} else if (adr_record_date_named(base) || adr_record_parse_filename(&number, NULL, base) == 0) {
			found = NULL; /* a collection, with its records in it */
			break;
		}
	}
	adr_error_clear();
	if (found && !adr__folder_file_is_record(name, found, NULL, 0)) {
		const git_tree_entry *e = git_tree_entry_byname(sub, found);
		if (git_blob_lookup(&blob, repo->git, git_tree_entry_id(e)) < 0 ||
		    !adr__folder_file_is_record(name, found, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob)))
			found = NULL;
	}
	if (found) {
		if (blob_id)
			git_oid_cpy(blob_id, git_tree_entry_id(git_tree_entry_byname(sub, found)));
		adr_buf_clear(out);
		adr_buf_printf(out, "%s/%s/%s", repo->records_dir, name, found);
		rc = adr_buf_oom(out) ? ADR_ENOMEM : 1;
	}
done:
	git_error_clear();
	git_blob_free(blob);
	git_tree_free(sub);
	return rc;
}

/* The records kept as folders among the records directory's entries, in
 * set->folders, each read leniently (whatever `flags` say: they are shown,
 * never trusted) into set->folder_records, numbered by its folder's name. */
static int find_folders(adr_recordset *set, adr_repo *repo, const adr__reccache_entry *items, size_t n,
			unsigned flags)
{
	adr_buf path = ADR_BUF_INIT;
	git_oid *ids = NULL;
	adr__record_job *jobs = NULL;
	size_t nf = 0, aids = 0, start = set->folders.count;
	int rc = 0;

	for (size_t i = 0; i < n && rc >= 0; i++) {
		adr_record **fr;
		git_oid id;
		if (items[i].mode != GIT_FILEMODE_TREE ||
		    (rc = adr__records_folder(&path, &id, repo, items[i].name, items[i].id)) != 1)
			continue;
		/* set->folder_records always has an entry (or NULL) per folder */
		if (!(fr = adr__reallocarray(set->folder_records, set->folders.count + 1, sizeof(*fr)))) {
			rc = ADR_ENOMEM;
			break;
		}
		set->folder_records = fr;
		fr[set->folders.count] = NULL;
		if ((rc = ADR_ARRAY_GROW(ids, aids, nf + 1)) < 0 || (rc = adr_strlist_add(&set->folders, path.ptr)) < 0)
			break;
		git_oid_cpy(&ids[nf++], &id);
	}
	if (rc < 0 || !nf)
		goto cleanup;
	if (!(jobs = adr__calloc(nf, sizeof(*jobs)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < nf; i++) {
		jobs[i].id = ids[i];
		jobs[i].path = set->folders.items[start + i];
	}
	if ((rc = adr__records_read_jobs(repo, jobs, nf, flags | ADR_PARSE_LENIENT)) < 0) {
		adr_error_clear(); /* an object that cannot be read: its row has no record */
		rc = 0;
	}
	for (size_t i = 0; i < nf && rc == 0; i++) {
		adr_record *r = jobs[i].record;
		const char *folder = set->folders.items[start + i] + strlen(repo->records_dir) + 1;
		char *name = adr__strndup(folder, strcspn(folder, "/"));
		if (!name) {
			rc = ADR_ENOMEM;
			break;
		}
		if (r && (adr_record_date_named(name) || adr_record_parse_filename(&r->number, NULL, name) < 0))
			r->number = -1;
		adr_error_clear();
		if (r && r->number >= 0 && r->title) { /* "# 7. Title" in folder 0007-...: the number is the folder's */
			char pre[24];
			int k = snprintf(pre, sizeof(pre), "%d. ", r->number);
			if (!strncmp(r->title, pre, (size_t)k))
				memmove(r->title, r->title + k, strlen(r->title + k) + 1);
		}
		free(name);
		set->folder_records[start + i] = r;
		jobs[i].record = NULL;
	}
cleanup:
	adr__record_jobs_dispose(jobs, jobs ? nf : 0);
	free(jobs);
	free(ids);
	adr_buf_dispose(&path);
	return rc < 0 ? rc : 0;
}

int adr_folders_warning(adr_buf *out, const adr_strlist *paths)
{
	adr_buf_clear(out);
	if (!paths->count)
		return 0;
	adr_buf_printf(out, "%s: a record kept as a folder; 'adr import' converts it", paths->items[0]);
	if (paths->count > 1)
		adr_buf_printf(out, " (%zu such)", paths->count);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* The base name of a path. */
static const char *base_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Relations written in the body to date-named records, which the record
 * alone could not number (adr__legacy_apply warned): numbered now, and the
 * warning dropped. */
static int link_dated(adr_record *r, const char *const *names, const int *numbers, size_t nd)
{
	adr_legacy l;
	adr_buf msg = ADR_BUF_INIT;
	int rc;

	if (r->has_frontmatter || (rc = adr__legacy_read(&l, r->path, r->body, r->body_line)) < 0) {
		adr_error_clear();
		return 0;
	}
	for (size_t k = 0; k < l.nlinks && rc == 0; k++) {
		const adr__legacy_link *lk = &l.links[k];
		int n = -1;
		if (!adr_record_date_named(lk->target))
			continue;
		for (size_t j = 0; j < nd; j++)
			if (!strcmp(base_of(names[j]), base_of(lk->target)))
				n = numbers[j];
		if (n < 0)
			continue;
		if (!strcmp(lk->type, "superseded-by"))
			rc = adr_intlist_add_unique(&r->superseded_by, n);
		else if (!strcmp(lk->type, "supersedes"))
			rc = adr_intlist_add_unique(&r->supersedes, n);
		else if (adr_link_type_valid(lk->type, strlen(lk->type)))
			rc = adr_record_add_link(r, lk->type, n);
		adr_buf_clear(&msg);
		adr_buf_printf(&msg, ":%d:1: link target '%s' carries no record number", lk->line, lk->target);
		for (size_t w = 0; rc == 0 && !adr_buf_oom(&msg) && w < r->warnings.count; w++) {
			const char *it = r->warnings.items[w];
			size_t il = strlen(it);
			if (il < msg.size || strcmp(it + il - msg.size, msg.ptr))
				continue;
			free(r->warnings.items[w]);
			memmove(&r->warnings.items[w], &r->warnings.items[w + 1],
				(r->warnings.count - w - 1) * sizeof(*r->warnings.items));
			r->warnings.count--;
			break;
		}
	}
	if (rc == 0 && adr_buf_oom(&msg))
		rc = ADR_ENOMEM;
	adr_buf_dispose(&msg);
	adr__legacy_dispose(&l);
	return rc;
}

/* Date-named records (log4brains) of the directory listing `items` get
 * the numbers `adr import` would give them (record/filename.c). */
static int number_dated(adr_recordset *set, size_t start, const adr__reccache_entry *items, size_t count)
{
	const char **names = NULL;
	int *numbers = NULL, max = 0, rc = 0;
	size_t nd = 0;

	for (size_t i = start; i < set->count; i++)
		nd += set->items[i]->number < 0 && adr_record_date_named(set->items[i]->path);
	if (!nd)
		return 0;
	for (size_t i = 0; i < count; i++) {
		int number;
		if (adr_record_parse_filename(&number, NULL, items[i].name) == 0 && number > max)
			max = number;
	}
	adr_error_clear();
	names = adr__calloc(nd, sizeof(*names));
	numbers = names ? adr__calloc(nd, sizeof(*numbers)) : NULL;
	if (!numbers) {
		free(names);
		return ADR_ENOMEM;
	}
	nd = 0;
	for (size_t i = start; i < set->count; i++)
		if (set->items[i]->number < 0 && adr_record_date_named(set->items[i]->path))
			names[nd++] = set->items[i]->path;
	if ((rc = adr_record_number_dated(numbers, names, nd, max)) == 0) {
		nd = 0;
		for (size_t i = start; i < set->count; i++)
			if (set->items[i]->number < 0 && adr_record_date_named(set->items[i]->path))
				set->items[i]->number = numbers[nd++];
		for (size_t i = start; rc == 0 && i < set->count; i++)
			rc = link_dated(set->items[i], names, numbers, nd);
	}
	free(names);
	free(numbers);
	return rc;
}

/* Adds the unreadable record at `path` (its number and slug from the file
 * name, or from its folder's name for a record kept as <slug>/index.md). */
static int add_unreadable(adr_recordset *set, const char *path, const char *error)
{
	adr_unreadable *u;
	adr_buf slug = ADR_BUF_INIT;
	int number = -1;

	if (adr__array_grow((void **)&set->unreadable, &set->aunreadable, set->nunreadable + 1,
			    sizeof(*set->unreadable)) < 0)
		return ADR_ENOMEM;
	if (adr_record_parse_filename(&number, &slug, path) < 0) {
		adr_error_clear();
		number = -1;
	}
	u = &set->unreadable[set->nunreadable++];
	*u = (adr_unreadable){ adr__strdup(path), number, slug.size ? adr_buf_detach(&slug) : NULL,
			       adr__strdup(error) };
	adr_buf_dispose(&slug);
	return u->path && u->error ? 0 : ADR_ENOMEM;
}

static int cmp_unreadable(const void *a, const void *b)
{
	const adr_unreadable *x = a, *y = b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* Moves the jobs' records into `set` (lenient errors into set->errors and
 * set->unreadable). */
static int take_jobs(adr_recordset *set, adr__record_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (jobs[i].error && (adr_strlist_add(&set->errors, jobs[i].error) < 0 ||
				      add_unreadable(set, jobs[i].path, jobs[i].error) < 0))
			return ADR_ENOMEM;
		if (jobs[i].record) {
			if (adr_recordset_add(set, jobs[i].record) < 0)
				return ADR_ENOMEM;
			jobs[i].record = NULL;
		}
	}
	return 0;
}

int adr__records_from_tree_skip(adr_recordset *set, adr_repo *repo, git_tree *root, unsigned flags,
				const char *skip)
{
	git_tree_entry *dirent = NULL;
	git_tree *dir = NULL;
	adr_buf paths = ADR_BUF_INIT;
	adr__record_job *jobs = NULL;
	adr__reccache *cache = NULL;
	const adr__reccache_entry *items = NULL;
	adr__reccache_entry *mine = NULL;
	size_t njobs = 0, nitems = 0, start = set->count;
	int rc;

	rc = git_tree_entry_bypath(&dirent, root, repo->records_dir);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return adr__error_git(rc, "cannot look up '%s'", repo->records_dir);
	if (git_tree_entry_type(dirent) != GIT_OBJECT_TREE) {
		rc = adr__error(ADR_EINVALID, "records directory '%s' is not a directory in the commit",
				repo->records_dir);
		goto cleanup;
	}
	/* the cache of parsed records fills what it knows; the rest is parsed, then remembered */
	if ((rc = adr__reccache_open(&cache, repo)) < 0 ||
	    (rc = list_dir(&items, &nitems, &mine, &dir, repo, cache, git_tree_entry_id(dirent))) < 0 ||
	    (rc = collect_jobs(&jobs, &njobs, &paths, set, repo, items, nitems, skip)) < 0 ||
	    (rc = adr__reccache_fill(cache, jobs, njobs, flags)) < 0 ||
	    (rc = adr__records_read_jobs(repo, jobs, njobs, flags)) < 0 ||
	    (rc = adr__reccache_save(cache, jobs, njobs, flags)) < 0 || (rc = take_jobs(set, jobs, njobs)) < 0 ||
	    (rc = number_dated(set, start, items, nitems)) < 0 ||
	    (rc = find_folders(set, repo, items, nitems, flags)) < 0)
		goto cleanup;
	if (set->count > start)
		qsort(set->items + start, set->count - start, sizeof(*set->items), cmp_records);
	if (set->nunreadable > 1)
		qsort(set->unreadable, set->nunreadable, sizeof(*set->unreadable), cmp_unreadable);
	rc = 0;
cleanup:
	adr__record_jobs_dispose(jobs, njobs);
	free(mine);
	adr__reccache_free(cache);
	free(jobs);
	adr_buf_dispose(&paths);
	git_tree_free(dir);
	git_tree_entry_free(dirent);
	return rc;
}

int adr__records_dir_names(adr_strlist *out, adr_repo *repo, const git_oid *id,
			   bool (*keep)(const char *name, unsigned mode, void *payload), void *payload)
{
	adr__reccache *cache = NULL;
	const adr__reccache_entry *items = NULL;
	adr__reccache_entry *mine = NULL;
	git_tree *dir = NULL;
	size_t n = 0;
	int rc;

	if ((rc = adr__reccache_open(&cache, repo)) < 0 || (rc = list_dir(&items, &n, &mine, &dir, repo, cache, id)) < 0)
		goto cleanup;
	for (size_t i = 0; i < n && rc == 0; i++)
		if (keep(items[i].name, items[i].mode, payload))
			rc = adr_strlist_add(out, items[i].name);
cleanup:
	free(mine);
	git_tree_free(dir);
	adr__reccache_free(cache);
	return rc;
}

int adr__tree_record_path(adr_buf *out, adr_repo *repo, git_tree *root, int number)
{
	git_tree_entry *dirent = NULL;
	git_tree *dir = NULL;
	const char *found = NULL;
	int rc, n;

	rc = git_tree_entry_bypath(&dirent, root, repo->records_dir);
	if (rc == 0 && git_tree_entry_type(dirent) == GIT_OBJECT_TREE &&
	    (rc = git_tree_lookup(&dir, repo->git, git_tree_entry_id(dirent))) < 0) {
		rc = adr__error_git(rc, "records directory '%s' is missing or corrupt", repo->records_dir);
		goto cleanup;
	}
	for (size_t i = 0; dir && i < git_tree_entrycount(dir); i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(dir, i));
		if (!adr__is_markdown(name) || adr_record_parse_filename(&n, NULL, name) < 0 || n != number)
			continue;
		if (found) {
			rc = adr__hint(ADR_HINT_CHECK, adr__error(ADR_EAMBIGUOUS,
				       "record %04d exists twice: '%s/%s' and '%s/%s'", number,
				       repo->records_dir, found, repo->records_dir, name));
			goto cleanup;
		}
		found = name;
	}
	adr_error_clear();
	if (!found) {
		rc = adr__error(ADR_ENOTFOUND, "record %04d does not exist", number);
		goto cleanup;
	}
	adr_buf_clear(out);
	adr_buf_printf(out, "%s/%s", repo->records_dir, found);
	rc = adr_buf_oom(out) ? ADR_ENOMEM : 0;
cleanup:
	git_tree_free(dir);
	git_tree_entry_free(dirent);
	return rc;
}

int adr_repo_record_path(adr_buf *out, adr_repo *repo, const char *rev, int number)
{
	const char *what = rev ? rev : repo->branch;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int rc;

	if ((rc = adr__resolve_commit(&commit, repo, rev)) < 0) {
		if (rc == ADR_ENOTFOUND && !rev) /* an unborn branch */
			rc = adr__error(ADR_ENOTFOUND, "record %04d does not exist on %s", number, repo->branch);
		return rc;
	}
	if ((rc = git_commit_tree(&tree, commit)) < 0)
		rc = adr__error_git(rc, "cannot read the tree of '%s'", what);
	else if ((rc = adr__tree_record_path(out, repo, tree, number)) == ADR_ENOTFOUND)
		adr__error(ADR_ENOTFOUND, "record %04d does not exist on %s", number, repo->branch);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

/*
 * "<slug>.md" in `out` when `rev` names a proposal branch ("adr/<slug>",
 * "<remote>/adr/<slug>" or their full ref names), else "": on that branch,
 * that file is the proposal's unnumbered record, even when its name reads
 * as a number (a proposal titled "2", made before proposal slugs avoided
 * that).
 */
static void proposal_file(char *out, size_t n, git_repository *git, const char *rev)
{
	git_reference *ref = NULL;
	const char *name, *slug = NULL, *p;

	out[0] = '\0';
	if (!rev || git_reference_dwim(&ref, git, rev) < 0) {
		git_error_clear();
		return;
	}
	name = git_reference_name(ref);
	if (strncmp(name, "refs/heads/adr/", 15) == 0)
		slug = name + 15;
	else if (strncmp(name, "refs/remotes/", 13) == 0 && (p = strchr(name + 13, '/')) && strncmp(p, "/adr/", 5) == 0)
		slug = p + 5;
	if (slug && *slug && !strchr(slug, '/'))
		snprintf(out, n, "%s.md", slug);
	git_reference_free(ref);
}

int adr_repo_records(adr_recordset *out, adr_repo *repo, const char *rev, unsigned flags)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	char skip[256];
	int rc;

	rc = adr__resolve_commit(&commit, repo, rev);
	if (rc == ADR_ENOTFOUND && !rev) {
		adr_error_clear();
		out->commit[0] = '\0';
		return 0;
	}
	if (rc < 0)
		return rc;
	git_oid_tostr(out->commit, sizeof(out->commit), git_commit_id(commit));
	if ((rc = git_commit_tree(&tree, commit)) < 0) {
		rc = adr__error_git(rc, "cannot read the tree of %s", out->commit);
		goto cleanup;
	}
	proposal_file(skip, sizeof(skip), repo->git, rev);
	rc = adr__records_from_tree_skip(out, repo, tree, flags, skip[0] ? skip : NULL);
cleanup:
	if (rc < 0) /* nothing half-read is handed back (or leaked) */
		adr_recordset_dispose(out);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int adr__commit_read_file(adr_buf *out, adr_repo *repo, git_commit *commit, const char *what, const char *path)
{
	git_tree *tree = NULL;
	int rc = git_commit_tree(&tree, commit);

	if (rc < 0)
		return adr__error_git(rc, "cannot read the tree of '%s'", what);
	rc = adr__tree_read(out, repo->git, tree, path);
	git_tree_free(tree);
	return rc;
}

int adr_repo_read_file(adr_buf *out, adr_repo *repo, const char *rev, const char *path)
{
	git_commit *commit = NULL;
	int rc;

	if ((rc = adr__resolve_commit(&commit, repo, rev)) < 0)
		return rc;
	rc = adr__commit_read_file(out, repo, commit, rev ? rev : repo->branch, path);
	git_commit_free(commit);
	return rc;
}

/* --- small shared helpers ------------------------------------------------ */

int adr_parse_number(int *out, const char *s)
{
	const char *p = s;
	long v = 0;

	if (strncasecmp(p, "adr-", 4) == 0)
		p += 4;
	else if (strncasecmp(p, "adr", 3) == 0)
		p += 3;
	if (!*p)
		goto bad;
	for (; *p; p++) {
		if (*p < '0' || *p > '9')
			goto bad;
		v = v * 10 + (*p - '0');
		if (v > 999999)
			goto bad;
	}
	if (v <= 0 && strcmp(s, "0") != 0 && strcmp(s, "0000") != 0)
		goto bad;
	*out = (int)v;
	return 0;
bad:
	return adr__error(ADR_EUSAGE, "'%s' is not a record number", s);
}
