#include "repo_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adr/legacy.h"
#include "adr/commit.h"
#include "error.h"

#ifndef ADR_DATADIR
#define ADR_DATADIR "/usr/local/share/adr"
#endif
#ifndef ADR_SOURCE_DIR
#define ADR_SOURCE_DIR "."
#endif

#define DEFAULT_DIR "docs/decisions"
#define CONFIG_FILE ".adr.yaml"

int adr__git_init(void)
{
	static int done;
	if (!done) {
		if (git_libgit2_init() < 0)
			return adr__error_git(-1, "cannot initialise libgit2");
		done = 1;
	}
	return 0;
}

git_repository *adr__repo_git(adr_repo *repo)
{
	return repo->git;
}

static char *with_slash(const char *s)
{
	size_t n = strlen(s);
	char *p = malloc(n + 2);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	if (n == 0 || s[n - 1] != '/')
		p[n++] = '/';
	p[n] = '\0';
	return p;
}

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
		rc = adr__error(ADR_ENOMEM, "out of memory");
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
	if (rc == GIT_ENOTFOUND && !rev)
		return adr__error(ADR_ENOTFOUND, "branch '%s' has no commits yet", repo->branch);
	if (rc < 0)
		return adr__error_git(rc, "unknown revision '%s'", spec);
	rc = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return adr__error_git(rc, "'%s' is not a commit", spec);
	return 0;
}

/* --- configuration ------------------------------------------------------ */

static const adr_yaml_node *config_lookup(const adr_repo *repo, const char *dotted)
{
	const adr_yaml_node *node = NULL;
	char key[128];
	const char *p = dotted;
	bool first = true;

	if (!repo->config)
		return NULL;
	while (*p) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		if (first)
			node = adr_yaml_get(repo->config, key);
		else
			node = node && node->kind == ADR_YAML_MAP ? adr_yaml_map_get(node, key) : NULL;
		if (!node)
			return NULL;
		first = false;
		p = dot ? dot + 1 : p + n;
	}
	return node;
}

const char *adr_repo_config_string(const adr_repo *repo, const char *dotted_key)
{
	const adr_yaml_node *n = config_lookup(repo, dotted_key);
	return n && n->kind == ADR_YAML_SCALAR && !n->is_null ? n->scalar : NULL;
}

int adr_repo_config_list(adr_strlist *out, const adr_repo *repo, const char *dotted_key)
{
	const adr_yaml_node *n = config_lookup(repo, dotted_key);
	if (!n)
		return 0;
	if (n->kind == ADR_YAML_SCALAR) {
		if (!n->is_null && adr_strlist_add(out, n->scalar) < 0)
			return adr__error(ADR_ENOMEM, "out of memory");
		return 0;
	}
	if (n->kind != ADR_YAML_SEQ)
		return adr__error(ADR_EINVALID, "%s:%d:%d: key '%s': expected a list", CONFIG_FILE,
				  n->line, n->col, dotted_key);
	for (size_t i = 0; i < n->count; i++) {
		const adr_yaml_node *it = n->items[i];
		if (it->kind != ADR_YAML_SCALAR)
			return adr__error(ADR_EINVALID, "%s:%d:%d: key '%s': expected a list of strings",
					  CONFIG_FILE, it->line, it->col, dotted_key);
		if (adr_strlist_add(out, it->scalar) < 0)
			return adr__error(ADR_ENOMEM, "out of memory");
	}
	return 0;
}

bool adr_repo_has_config(const adr_repo *repo)
{
	return repo->config != NULL;
}

/* Guess the decision branch before .adr.yaml is known. */
static int default_branch(char **out, git_repository *git)
{
	git_reference *ref = NULL;
	const char *target;
	int rc;

	*out = NULL;
	/* origin/HEAD -> refs/remotes/origin/main -> refs/heads/main */
	if (git_reference_lookup(&ref, git, "refs/remotes/origin/HEAD") == 0) {
		target = git_reference_symbolic_target(ref);
		if (target && strncmp(target, "refs/remotes/origin/", 20) == 0) {
			size_t n = strlen(target + 20);
			char *name = malloc(11 + n + 1);
			if (!name) {
				git_reference_free(ref);
				return adr__error(ADR_ENOMEM, "out of memory");
			}
			memcpy(name, "refs/heads/", 11);
			memcpy(name + 11, target + 20, n + 1);
			git_reference_free(ref);
			*out = name;
			return 0;
		}
		git_reference_free(ref);
		ref = NULL;
	}
	if (git_reference_lookup(&ref, git, "refs/heads/main") == 0) {
		git_reference_free(ref);
		*out = strdup("refs/heads/main");
	} else if (git_reference_lookup(&ref, git, "refs/heads/master") == 0) {
		git_reference_free(ref);
		*out = strdup("refs/heads/master");
	} else {
		/* Whatever HEAD points at, born or not. */
		rc = git_reference_lookup(&ref, git, "HEAD");
		if (rc == 0 && git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC &&
		    strncmp(git_reference_symbolic_target(ref), "refs/heads/", 11) == 0)
			*out = strdup(git_reference_symbolic_target(ref));
		else
			*out = strdup("refs/heads/main");
		git_reference_free(ref);
	}
	return *out ? 0 : adr__error(ADR_ENOMEM, "out of memory");
}

static int full_branch_name(char **out, const char *name)
{
	adr_buf b = ADR_BUF_INIT;
	if (strncmp(name, "refs/", 5) != 0)
		adr_buf_puts(&b, "refs/heads/");
	adr_buf_puts(&b, name);
	if (adr_buf_oom(&b))
		return adr__error(ADR_ENOMEM, "out of memory");
	if (!git_reference_is_valid_name(b.ptr) || strncmp(b.ptr, "refs/heads/", 11) != 0) {
		int rc = adr__error(ADR_EINVALID, "'%s' is not a valid branch name", name);
		adr_buf_dispose(&b);
		return rc;
	}
	*out = adr_buf_detach(&b);
	return 0;
}

/* Reads a file committed on `branch` into out; ENOTFOUND when absent or unborn. */
static int read_committed(adr_buf *out, adr_repo *repo, const char *branch, const char *path)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_object *obj = NULL;
	int rc;

	rc = git_revparse_single(&obj, repo->git, branch);
	if (rc < 0)
		return ADR_ENOTFOUND;
	rc = git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return ADR_ENOTFOUND;
	rc = git_commit_tree(&tree, commit);
	if (rc < 0) {
		rc = adr__error_git(rc, "cannot read the tree of '%s'", branch);
		goto cleanup;
	}
	rc = adr__tree_read(out, repo->git, tree, path);
cleanup:
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

static bool tree_has_dir(adr_repo *repo, const char *branch, const char *dir)
{
	git_object *obj = NULL;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	bool found = false;

	if (git_revparse_single(&obj, repo->git, branch) == 0 &&
	    git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT) == 0 &&
	    git_commit_tree(&tree, commit) == 0 &&
	    git_tree_entry_bypath(&entry, tree, dir) == 0)
		found = git_tree_entry_type(entry) == GIT_OBJECT_TREE;
	git_tree_entry_free(entry);
	git_tree_free(tree);
	git_commit_free(commit);
	git_object_free(obj);
	if (!found && repo->workdir) {
		/* An existing directory in the work tree counts too (not yet committed). */
		struct stat st;
		adr_buf p = ADR_BUF_INIT;
		adr_buf_printf(&p, "%s%s", repo->workdir, dir);
		found = !adr_buf_oom(&p) && lstat(p.ptr, &st) == 0 && S_ISDIR(st.st_mode);
		adr_buf_dispose(&p);
	}
	return found;
}

static int set_records_dir(adr_repo *repo, const char *dir, const char *source)
{
	adr_buf b = ADR_BUF_INIT;
	int rc;
	const char *p = dir;

	while (*p == ' ' || *p == '\t')
		p++;
	while (p[0] == '.' && p[1] == '/')
		p += 2;
	adr_buf_puts(&b, p);
	while (b.size && (b.ptr[b.size - 1] == '/' || b.ptr[b.size - 1] == '\n' ||
			  b.ptr[b.size - 1] == '\r' || b.ptr[b.size - 1] == ' '))
		adr_buf_truncate(&b, b.size - 1);
	if (adr_buf_oom(&b))
		return adr__error(ADR_ENOMEM, "out of memory");
	if (b.size == 0 || b.ptr[0] == '/' || (rc = adr_path_validate(b.ptr)) < 0) {
		rc = adr__error(ADR_EINVALID, "%s: records directory '%s' must be a relative path inside the repository",
				source, dir);
		adr_buf_dispose(&b);
		return rc;
	}
	free(repo->records_dir);
	repo->records_dir = adr_buf_detach(&b);
	repo->records_dir_source = source;
	return 0;
}

int adr_repo_reload(adr_repo *repo)
{
	adr_buf data = ADR_BUF_INIT;
	char *branch = NULL;
	const char *s;
	int rc;

	adr_yaml_doc_free(repo->config);
	repo->config = NULL;

	if (repo->branch_override)
		rc = full_branch_name(&branch, repo->branch_override);
	else
		rc = default_branch(&branch, repo->git);
	if (rc < 0)
		goto cleanup;

	rc = read_committed(&data, repo, branch, CONFIG_FILE);
	if (rc == 0) {
		rc = adr_yaml_parse(&repo->config, CONFIG_FILE, data.ptr, data.size, 1);
		if (rc < 0)
			goto cleanup;
		s = adr_repo_config_string(repo, "branch");
		if (s && !repo->branch_override) {
			char *configured = NULL;
			if ((rc = full_branch_name(&configured, s)) < 0) {
				adr__error_prefix("%s", CONFIG_FILE);
				goto cleanup;
			}
			if (strcmp(configured, branch) != 0) {
				/* The configuration lives on the configured branch. */
				free(branch);
				branch = configured;
				adr_buf_clear(&data);
				adr_yaml_doc_free(repo->config);
				repo->config = NULL;
				rc = read_committed(&data, repo, branch, CONFIG_FILE);
				if (rc == 0 &&
				    (rc = adr_yaml_parse(&repo->config, CONFIG_FILE, data.ptr, data.size, 1)) < 0)
					goto cleanup;
				if (rc == ADR_ENOTFOUND)
					adr_error_clear();
				else if (rc < 0)
					goto cleanup;
			} else {
				free(configured);
			}
		}
	} else if (rc == ADR_ENOTFOUND) {
		adr_error_clear();
	} else {
		goto cleanup;
	}
	free(repo->branch);
	repo->branch = branch;
	branch = NULL;

	/* Records directory: override, .adr.yaml, .adr-dir, doc/adr, docs/decisions. */
	if (repo->dir_override)
		rc = set_records_dir(repo, repo->dir_override, "--dir");
	else if ((s = adr_repo_config_string(repo, "dir")))
		rc = set_records_dir(repo, s, CONFIG_FILE);
	else {
		adr_buf_clear(&data);
		rc = read_committed(&data, repo, repo->branch, ".adr-dir");
		if (rc == ADR_ENOTFOUND && repo->workdir) {
			/* adr-tools writes .adr-dir into the work tree before any commit. */
			adr_buf p = ADR_BUF_INIT;
			FILE *f;
			adr_buf_printf(&p, "%s.adr-dir", repo->workdir);
			f = adr_buf_oom(&p) ? NULL : fopen(p.ptr, "r");
			if (f) {
				char line[4096];
				if (fgets(line, sizeof(line), f)) {
					adr_buf_set(&data, line, strlen(line));
					rc = 0;
				}
				fclose(f);
			}
			adr_buf_dispose(&p);
		}
		if (rc == 0) {
			char *nl = memchr(data.ptr, '\n', data.size);
			if (nl)
				adr_buf_truncate(&data, (size_t)(nl - data.ptr));
			rc = set_records_dir(repo, data.ptr, ".adr-dir");
		} else if (rc == ADR_ENOTFOUND) {
			adr_error_clear();
			if (tree_has_dir(repo, repo->branch, "doc/adr"))
				rc = set_records_dir(repo, "doc/adr", "existing");
			else if (tree_has_dir(repo, repo->branch, DEFAULT_DIR))
				rc = set_records_dir(repo, DEFAULT_DIR, "existing");
			else
				rc = set_records_dir(repo, DEFAULT_DIR, "default");
		}
	}
	if (rc < 0)
		goto cleanup;

	free(repo->template_name);
	s = adr_repo_config_string(repo, "template");
	repo->template_name = strdup(s ? s : "default");
	if (!repo->template_name) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	repo->default_visibility = ADR_VISIBILITY_NONE;
	s = adr_repo_config_string(repo, "visibility");
	if (s && adr_visibility_parse(&repo->default_visibility, s) < 0) {
		rc = adr__error(ADR_EINVALID, "%s: visibility '%s' is not one of public, partner, internal",
				CONFIG_FILE, s);
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(branch);
	adr_buf_dispose(&data);
	return rc;
}

int adr_repo_open(adr_repo **out, const char *dir)
{
	adr_repo *repo = NULL;
	const char *path;
	int rc;
	unsigned flags = 0;

	*out = NULL;
	if ((rc = adr__git_init()) < 0)
		return rc;
	repo = calloc(1, sizeof(*repo));
	if (!repo)
		return adr__error(ADR_ENOMEM, "out of memory");

	if (!dir && getenv("GIT_DIR")) {
		/* git sets GIT_DIR for hooks; honour it like git does. */
		if (getenv("GIT_COMMON_DIR")) {
			rc = adr__error(ADR_EUSAGE, "GIT_COMMON_DIR is set; adr cannot open a repository from it "
						    "(unset it, or run adr with -C)");
			goto fail;
		}
		rc = git_repository_open_ext(&repo->git, NULL, GIT_REPOSITORY_OPEN_FROM_ENV, NULL);
	} else {
		rc = git_repository_open_ext(&repo->git, dir ? dir : ".", flags, NULL);
	}
	if (rc < 0) {
		const git_error *e = git_error_last();
		if (rc == GIT_ENOTFOUND)
			rc = adr__error(ADR_ENOTFOUND, "not a git repository (or any parent up to /): %s",
					dir ? dir : ".");
		else if (e && e->message && strstr(e->message, "owner"))
			rc = adr__error(ADR_EGIT, "%s (git's safe.directory setting decides which "
						  "repositories owned by others may be opened)", e->message);
		else
			rc = adr__error_git(rc, "cannot open the repository at '%s'", dir ? dir : ".");
		goto fail;
	}
	path = git_repository_workdir(repo->git);
	if (path && !(repo->workdir = with_slash(path)))
		goto oom;
	if (!(repo->gitdir = with_slash(git_repository_path(repo->git))))
		goto oom;
	if (!(repo->commondir = with_slash(git_repository_commondir(repo->git))))
		goto oom;
	if ((rc = adr_repo_reload(repo)) < 0)
		goto fail;
	*out = repo;
	return 0;
oom:
	rc = adr__error(ADR_ENOMEM, "out of memory");
fail:
	adr_repo_free(repo);
	return rc;
}

void adr_repo_free(adr_repo *repo)
{
	if (!repo)
		return;
	git_repository_free(repo->git);
	free(repo->workdir);
	free(repo->gitdir);
	free(repo->commondir);
	free(repo->records_dir);
	free(repo->branch);
	free(repo->template_name);
	free(repo->branch_override);
	free(repo->dir_override);
	adr_yaml_doc_free(repo->config);
	free(repo);
}

const char *adr_repo_workdir(const adr_repo *repo) { return repo->workdir; }
const char *adr_repo_gitdir(const adr_repo *repo) { return repo->gitdir; }
const char *adr_repo_commondir(const adr_repo *repo) { return repo->commondir; }
const char *adr_repo_records_dir(const adr_repo *repo) { return repo->records_dir; }
const char *adr_repo_records_dir_source(const adr_repo *repo) { return repo->records_dir_source; }
const char *adr_repo_branch(const adr_repo *repo) { return repo->branch; }
const char *adr_repo_template(const adr_repo *repo) { return repo->template_name; }
adr_visibility adr_repo_default_visibility(const adr_repo *repo) { return repo->default_visibility; }

int adr_repo_set_records_dir(adr_repo *repo, const char *dir)
{
	char *copy = dir ? strdup(dir) : NULL;
	if (dir && !copy)
		return adr__error(ADR_ENOMEM, "out of memory");
	free(repo->dir_override);
	repo->dir_override = copy;
	return adr_repo_reload(repo);
}

int adr_repo_set_branch(adr_repo *repo, const char *branch)
{
	char *copy = branch ? strdup(branch) : NULL;
	if (branch && !copy)
		return adr__error(ADR_ENOMEM, "out of memory");
	free(repo->branch_override);
	repo->branch_override = copy;
	return adr_repo_reload(repo);
}

/* --- records ------------------------------------------------------------ */

int adr_recordset_add(adr_recordset *set, adr_record *r)
{
	if (set->count == set->alloc) {
		size_t na = set->alloc ? set->alloc * 2 : 64;
		adr_record **p = realloc(set->items, na * sizeof(*p));
		if (!p)
			return adr__error(ADR_ENOMEM, "out of memory");
		set->items = p;
		set->alloc = na;
	}
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

void adr_recordset_clear(adr_recordset *set)
{
	for (size_t i = 0; i < set->count; i++)
		adr_record_free(set->items[i]);
	free(set->items);
	set->items = NULL;
	set->count = set->alloc = 0;
	set->commit[0] = '\0';
	adr_strlist_clear(&set->errors);
	adr_strlist_clear(&set->skipped);
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
	git_tree_entry *dirent = NULL;
	git_tree *dir = NULL;
	adr_buf path = ADR_BUF_INIT;
	int rc;
	size_t start = set->count;

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
	if ((rc = git_tree_lookup(&dir, repo->git, git_tree_entry_id(dirent))) < 0) {
		rc = adr__error_git(rc, "records directory '%s' is missing or corrupt", repo->records_dir);
		goto cleanup;
	}
	for (size_t i = 0; i < git_tree_entrycount(dir); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(dir, i);
		const char *name = git_tree_entry_name(e);
		git_filemode_t mode = git_tree_entry_filemode(e);
		int number;
		git_blob *blob = NULL;
		adr_record *r = NULL;

		if (!adr__is_markdown(name) || adr_record_parse_filename(&number, NULL, name) < 0) {
			adr_error_clear();
			continue;
		}
		adr_buf_clear(&path);
		adr_buf_printf(&path, "%s/%s", repo->records_dir, name);
		if (adr_buf_oom(&path)) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
		/* F12: a symlink (or submodule) is never followed nor read; one
		 * such entry must not hide the other records. adr check reports it. */
		if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE) {
			adr_buf_printf(&path, ": not a regular file (mode %06o); skipped", (unsigned)mode);
			if (adr_buf_oom(&path) || adr_strlist_add(&set->skipped, path.ptr) < 0) {
				rc = adr__error(ADR_ENOMEM, "out of memory");
				goto cleanup;
			}
			continue;
		}
		if ((rc = git_blob_lookup(&blob, repo->git, git_tree_entry_id(e))) < 0) {
			rc = adr__error_git(rc, "object %s of record '%s' is missing or corrupt",
					    git_oid_tostr_s(git_tree_entry_id(e)), path.ptr);
			goto cleanup;
		}
		rc = adr_record_parse(&r, path.ptr, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
				      flags);
		git_blob_free(blob);
		if (rc < 0 && (flags & ADR_PARSE_LENIENT) && rc != ADR_ENOMEM) {
			if (adr_strlist_add(&set->errors, adr_error_last()) < 0) {
				rc = adr__error(ADR_ENOMEM, "out of memory");
				goto cleanup;
			}
			adr_error_clear();
			continue;
		}
		/* older formats keep status, date and links in the body (lib/legacy.c) */
		if (rc == 0 && (rc = adr_legacy_apply(r)) < 0)
			adr_record_free(r);
		if (rc < 0)
			goto cleanup;
		if ((rc = adr_recordset_add(set, r)) < 0) {
			adr_record_free(r);
			goto cleanup;
		}
	}
	if (set->count > start)
		qsort(set->items + start, set->count - start, sizeof(*set->items), cmp_records);
	rc = 0;
cleanup:
	adr_buf_dispose(&path);
	git_tree_free(dir);
	git_tree_entry_free(dirent);
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
			rc = adr__error(ADR_EAMBIGUOUS, "record %04d exists twice: '%s/%s' and '%s/%s' (run adr check)",
					number, repo->records_dir, found, repo->records_dir, name);
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
	rc = adr_buf_oom(out) ? adr__error(ADR_ENOMEM, "out of memory") : 0;
cleanup:
	git_tree_free(dir);
	git_tree_entry_free(dirent);
	return rc;
}

int adr_repo_record_path(adr_buf *out, adr_repo *repo, const char *rev, int number)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int rc;

	if ((rc = adr__resolve_commit(&commit, repo, rev)) < 0)
		return rc == ADR_ENOTFOUND && !rev ? adr__error(ADR_ENOTFOUND, "record %04d does not exist on %s",
								number, repo->branch)
						   : rc;
	if ((rc = git_commit_tree(&tree, commit)) < 0)
		rc = adr__error_git(rc, "cannot read a tree");
	else if ((rc = adr__tree_record_path(out, repo, tree, number)) == ADR_ENOTFOUND)
		adr__error(ADR_ENOTFOUND, "record %04d does not exist on %s", number, repo->branch);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int adr_repo_records(adr_recordset *out, adr_repo *repo, const char *rev, unsigned flags)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
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
	rc = adr__records_from_tree(out, repo, tree, flags);
cleanup:
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int adr_repo_read_file(adr_buf *out, adr_repo *repo, const char *rev, const char *path)
{
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int rc;

	if ((rc = adr__resolve_commit(&commit, repo, rev)) < 0)
		return rc;
	if ((rc = git_commit_tree(&tree, commit)) < 0) {
		rc = adr__error_git(rc, "cannot read a tree");
		goto cleanup;
	}
	rc = adr__tree_read(out, repo->git, tree, path);
cleanup:
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

/* --- templates ---------------------------------------------------------- */

const char *adr_templates_dir(void)
{
	static char found[4096];
	struct stat st;
	const char *env = getenv("ADR_TEMPLATES_DIR");
	char exe[2048];
	ssize_t n;

	if (env && *env)
		return env;
	if (found[0])
		return found;
	/* Next to the binary: <prefix>/bin/adr -> <prefix>/share/adr/templates */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		char *slash;
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(found, sizeof(found), "%s/../share/adr/templates", exe);
			if (stat(found, &st) == 0 && S_ISDIR(st.st_mode))
				return found;
		}
	}
	snprintf(found, sizeof(found), "%s/templates", ADR_DATADIR);
	if (stat(found, &st) == 0 && S_ISDIR(st.st_mode))
		return found;
	snprintf(found, sizeof(found), "%s/templates", ADR_SOURCE_DIR);
	return found;
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

int adr_repo_load_template(adr_buf *out, adr_repo *repo, const char *name)
{
	adr_buf path = ADR_BUF_INIT;
	FILE *f = NULL;
	int rc;
	char chunk[8192];
	size_t n;

	if (!name)
		name = repo->template_name;
	if (!valid_template_name(name))
		return adr__error(ADR_EINVALID, "template name '%s' must be letters, digits, '-' or '_'", name);
	adr_buf_printf(&path, ".adr/templates/%s.md", name);
	rc = read_committed(out, repo, repo->branch, path.ptr);
	if (rc != ADR_ENOTFOUND)
		goto cleanup;
	adr_error_clear();
	adr_buf_clear(&path);
	adr_buf_printf(&path, "%s/%s.md", adr_templates_dir(), name);
	if (adr_buf_oom(&path)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	f = fopen(path.ptr, "rb");
	if (!f) {
		rc = errno == ENOENT ? adr__error(ADR_ENOTFOUND, "no template '%s' (looked in .adr/templates/ "
								 "and %s)", name, adr_templates_dir())
				     : adr__error_os("cannot read '%s'", path.ptr);
		goto cleanup;
	}
	adr_buf_clear(out);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		adr_buf_put(out, chunk, n);
		if (out->size > ADR_RECORD_MAX) {
			rc = adr__error(ADR_EINVALID, "%s: template is larger than %d bytes", path.ptr, ADR_RECORD_MAX);
			goto cleanup;
		}
	}
	rc = ferror(f) ? adr__error_os("cannot read '%s'", path.ptr) : 0;
	if (adr_buf_oom(out))
		rc = adr__error(ADR_ENOMEM, "out of memory");
cleanup:
	if (f)
		fclose(f);
	adr_buf_dispose(&path);
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

static long long parse_now(const char *s)
{
	struct tm tm;
	int y, mo, d, h = 12, mi = 0, sec = 0;
	char *end;

	if (s[0] == '@') {
		long long v = strtoll(s + 1, &end, 10);
		return *end == '\0' || *end == ' ' ? v : -1;
	}
	if (sscanf(s, "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &sec) < 3)
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return (long long)timegm(&tm);
}

long long adr_now(void)
{
	const char *env = getenv("ADR_NOW");
	if (env && *env) {
		long long v = parse_now(env);
		if (v >= 0)
			return v;
	}
	return (long long)time(NULL);
}

void adr_today(char buf[11])
{
	time_t t = (time_t)adr_now();
	struct tm tm;
	if (getenv("ADR_NOW"))
		gmtime_r(&t, &tm);
	else
		localtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}
