#include "git/repo_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "adr/legacy.h"
#include "adr/path.h"
#include "util/error.h"

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

int adr__read_committed(adr_buf *out, adr_repo *repo, const char *branch, const char *path)
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

/* --- durability -------------------------------------------------------------- */

/* Open repositories in durable mode: libgit2's fsync switch is process-wide. */
static int durable_repos;

static int set_durable(adr_repo *repo, bool on)
{
	git_refdb *refdb = NULL;
	int rc;

	if (repo->durable != on) {
		repo->durable = on;
		durable_repos += on ? 1 : -1;
		git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, durable_repos > 0 ? 1 : 0);
	}
	if (!on || !repo->git)
		return 0;
	/* libgit2 1.5 decides whether to sync refs when the refdb is created
	 * (the loose-object writer asks at each write): open a fresh one. */
	if ((rc = git_refdb_open(&refdb, repo->git)) < 0)
		return adr__error_git(rc, "cannot open the references");
	rc = git_repository_set_refdb(repo->git, refdb);
	git_refdb_free(refdb);
	return rc < 0 ? adr__error_git(rc, "cannot open the references") : 0;
}

bool adr__repo_durable(const adr_repo *repo)
{
	return repo->durable;
}

enum {
	FS_LOOSE = 1, FS_PACK = 2, FS_PACK_META = 4, FS_GRAPH = 8, FS_INDEX = 16, FS_REF = 32,
	FS_OBJECTS = FS_LOOSE | FS_PACK,
	FS_DERIVED = FS_PACK_META | FS_GRAPH,
	FS_COMMITTED = FS_OBJECTS | FS_REF,
	FS_ADDED = FS_COMMITTED | FS_INDEX,
	FS_ALL = FS_ADDED | FS_DERIVED,
	FS_GIT_DEFAULT = (FS_OBJECTS | FS_DERIVED) & ~FS_LOOSE
};

/*
 * True when git's core.fsync (a comma-separated list of components, "-x"
 * to remove one, "none" to start again; see git-config(1)) asks to sync
 * what adr writes: loose objects, references or the index.
 */
static bool core_fsync_wants(const char *value)
{
	static const struct { const char *name; int bits; } comps[] = {
		{ "loose-object", FS_LOOSE }, { "pack", FS_PACK }, { "pack-metadata", FS_PACK_META },
		{ "commit-graph", FS_GRAPH }, { "index", FS_INDEX }, { "reference", FS_REF },
		{ "objects", FS_OBJECTS }, { "derived-metadata", FS_DERIVED }, { "committed", FS_COMMITTED },
		{ "added", FS_ADDED }, { "all", FS_ALL },
	};
	int current = FS_GIT_DEFAULT, plus = 0, minus = 0;
	const char *p = value;

	while (*p) {
		size_t n;
		bool neg = false;
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		n = strcspn(p, ",");
		while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
			n--;
		if (n == 4 && strncmp(p, "none", 4) == 0) {
			current = 0;
		} else if (n) {
			if (*p == '-') {
				neg = true;
				p++;
				n--;
			}
			for (size_t i = 0; i < sizeof(comps) / sizeof(comps[0]); i++)
				if (strlen(comps[i].name) == n && strncmp(p, comps[i].name, n) == 0)
					*(neg ? &minus : &plus) |= comps[i].bits;
		}
		p += n;
		while (*p && *p != ',')
			p++;
	}
	return (((current & ~minus) | plus) & (FS_LOOSE | FS_REF | FS_INDEX)) != 0;
}

/* Durable mode from git's configuration: core.fsync or core.fsyncObjectFiles. */
static bool git_config_durable(git_repository *git)
{
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	bool on = false;
	int b = 0;

	if (git_repository_config_snapshot(&cfg, git) < 0) {
		git_error_clear();
		return false;
	}
	if (git_config_get_entry(&e, cfg, "core.fsync") == 0 && e->value)
		on = core_fsync_wants(e->value);
	git_config_entry_free(e);
	if (!on && git_config_get_bool(&b, cfg, "core.fsyncObjectFiles") == 0 && b)
		on = true;
	git_config_free(cfg);
	git_error_clear();
	return on;
}

int adr_repo_reload(adr_repo *repo)
{
	adr_buf data = ADR_BUF_INIT;
	char *branch = NULL;
	const char *s;
	const adr_yaml_node *vn;
	int rc;

	adr_yaml_doc_free(repo->config);
	repo->config = NULL;

	if (repo->branch_override)
		rc = full_branch_name(&branch, repo->branch_override);
	else
		rc = default_branch(&branch, repo->git);
	if (rc < 0)
		goto cleanup;

	rc = adr__read_committed(&data, repo, branch, CONFIG_FILE);
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
				rc = adr__read_committed(&data, repo, branch, CONFIG_FILE);
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
		rc = adr__read_committed(&data, repo, repo->branch, ".adr-dir");
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
	/* F05: a default visibility that cannot be read is an error, never "unset". */
	vn = config_lookup(repo, "visibility");
	if (vn && !vn->is_null && vn->kind != ADR_YAML_SCALAR) {
		rc = adr__error(ADR_EINVALID, "%s:%d:%d: key 'visibility': expected one of public, partner, "
				"internal, not a %s", CONFIG_FILE, vn->line, vn->col,
				vn->kind == ADR_YAML_SEQ ? "list" : "mapping");
		goto cleanup;
	}
	s = adr_repo_config_string(repo, "visibility");
	if (s && adr_visibility_parse(&repo->default_visibility, s) < 0) {
		rc = adr__error(ADR_EINVALID, "%s:%d:%d: visibility '%s' is not one of public, partner, internal",
				CONFIG_FILE, vn->line, vn->col, s);
		goto cleanup;
	}
	{
		const adr_yaml_node *n = config_lookup(repo, "durable");
		bool on = false;
		if (n && (n->kind != ADR_YAML_SCALAR || n->is_null ||
			  (strcmp(n->scalar, "true") != 0 && strcmp(n->scalar, "false") != 0))) {
			rc = adr__error(ADR_EINVALID, "%s:%d:%d: durable must be true or false", CONFIG_FILE,
					n->line, n->col);
			goto cleanup;
		}
		if (n)
			on = strcmp(n->scalar, "true") == 0;
		if ((rc = set_durable(repo, on || git_config_durable(repo->git))) < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	free(branch);
	adr_buf_dispose(&data);
	return rc;
}

/* --- opening ---------------------------------------------------------------- */

static const char *env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}

/* `path` made absolute against the current directory (no other cleaning). */
static char *absolute_path(const char *path)
{
	adr_buf b = ADR_BUF_INIT;
	char cwd[4096];

	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd))) {
			adr__error_os("cannot find the current directory");
			return NULL;
		}
		adr_buf_printf(&b, "%s/", cwd);
	}
	adr_buf_puts(&b, path);
	if (adr_buf_oom(&b)) {
		adr__error(ADR_ENOMEM, "out of memory");
		adr_buf_dispose(&b);
		return NULL;
	}
	return adr_buf_detach(&b);
}

/* `s` quoted for a POSIX shell when it needs it. */
static void shell_quote(adr_buf *out, const char *s)
{
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+@:,=%") ==
		      strlen(s)) {
		adr_buf_puts(out, s);
		return;
	}
	adr_buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			adr_buf_puts(out, "'\\''");
		else
			adr_buf_putc(out, *s);
	}
	adr_buf_putc(out, '\'');
}

/*
 * How adr finds the repository, like git: with `dir`, from there; without,
 * from GIT_DIR or by searching up from the current directory, then the rest
 * of the environment (apply_env).
 */
typedef struct {
	const char *dir;        /* explicit start directory, or NULL */
	const char *git_dir;    /* $GIT_DIR */
	const char *work_tree;  /* $GIT_WORK_TREE */
} open_how;

static int open_git(git_repository **out, const open_how *how)
{
	const char *v;
	unsigned flags = 0;

	if (how->dir)
		return git_repository_open_ext(out, how->dir, 0, NULL);
	/* Not GIT_REPOSITORY_OPEN_FROM_ENV: libgit2 1.5 refuses GIT_WORK_TREE with
	 * it and gives raw messages; apply_env() does the rest. */
	if (how->git_dir)
		return git_repository_open_ext(out, how->git_dir,
					       GIT_REPOSITORY_OPEN_NO_SEARCH | GIT_REPOSITORY_OPEN_NO_DOTGIT, NULL);
	if ((v = env_set("GIT_DISCOVERY_ACROSS_FILESYSTEM")) &&
	    (!strcasecmp(v, "true") || !strcasecmp(v, "yes") || !strcasecmp(v, "on") || !strcmp(v, "1")))
		flags |= GIT_REPOSITORY_OPEN_CROSS_FS;
	return git_repository_open_ext(out, ".", flags, env_set("GIT_CEILING_DIRECTORIES"));
}

/*
 * libgit2 refused a repository owned by another user. 1.5.1 says so with
 * GIT_EOWNER when safe.directory has values, but with GIT_ENOTFOUND
 * ("config value 'safe.directory' was not found") when it has none.
 */
static bool is_owner_failure(int rc)
{
	const git_error *e = git_error_last();
	return rc == GIT_EOWNER ||
	       (rc == GIT_ENOTFOUND && e && e->message && strstr(e->message, "'safe.directory'"));
}

/* The message for a repository owned by another user, with the fix. */
static int owner_error(const open_how *how)
{
	git_repository *git = NULL;
	adr_buf top = ADR_BUF_INIT, cmd = ADR_BUF_INIT;
	int was = 1, rc;

	/* Only to learn where the repository is: it is closed again unread. */
	git_libgit2_opts(GIT_OPT_GET_OWNER_VALIDATION, &was);
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
	rc = open_git(&git, how);
	git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, was);
	if (rc == 0)
		adr_buf_puts(&top, git_repository_workdir(git) ? git_repository_workdir(git)
							      : git_repository_path(git));
	else
		adr_buf_puts(&top, how->dir ? how->dir : how->git_dir ? how->git_dir : ".");
	git_repository_free(git);
	while (top.size > 1 && top.ptr[top.size - 1] == '/')
		adr_buf_truncate(&top, top.size - 1);
	shell_quote(&cmd, top.ptr);
	if (adr_buf_oom(&top) || adr_buf_oom(&cmd))
		rc = adr__error(ADR_ENOMEM, "out of memory");
	else
		rc = adr__error(ADR_EGIT, "'%s' is owned by another user; if you trust it, run: "
					  "git config --global --add safe.directory %s", top.ptr, cmd.ptr);
	adr_buf_dispose(&top);
	adr_buf_dispose(&cmd);
	return rc;
}

/* The work tree, objects, namespace and index named by the environment, as git reads them. */
static int apply_env(adr_repo *repo, const open_how *how)
{
	const char *index_file = env_set("GIT_INDEX_FILE"), *v;
	char *wt = NULL;
	int rc = 0;

	if (how->dir)
		return 0;
	if (how->work_tree) {
		if (!(wt = absolute_path(how->work_tree)))
			return adr_error_code();
	} else if (how->git_dir && !git_repository_is_bare(repo->git)) {
		/* git: with GIT_DIR and neither GIT_WORK_TREE nor core.worktree,
		 * the current directory is the top of the work tree. */
		git_config *cfg = NULL;
		git_config_entry *ce = NULL;
		bool has_core_worktree = false;
		if ((rc = git_repository_config_snapshot(&cfg, repo->git)) < 0)
			return adr__error_git(rc, "cannot read the git configuration");
		has_core_worktree = git_config_get_entry(&ce, cfg, "core.worktree") == 0;
		git_config_entry_free(ce);
		git_config_free(cfg);
		git_error_clear();
		if (!has_core_worktree && !(wt = absolute_path(".")))
			return adr_error_code();
	}
	if (wt) {
		struct stat st, cur;
		const char *now = git_repository_workdir(repo->git);
		if (stat(wt, &st) < 0 || !S_ISDIR(st.st_mode))
			rc = adr__error(ADR_ENOTFOUND, "GIT_WORK_TREE '%s' is not a directory", how->work_tree);
		/* libgit2 1.5.1 leaks when asked for the work tree it has already. */
		else if (now && stat(now, &cur) == 0 && cur.st_dev == st.st_dev && cur.st_ino == st.st_ino)
			rc = 0;
		else if ((rc = git_repository_set_workdir(repo->git, wt, 0)) < 0)
			rc = adr__error_git(rc, "cannot use '%s' as the work tree", wt);
		free(wt);
		if (rc < 0)
			return rc;
	}
	if ((v = env_set("GIT_OBJECT_DIRECTORY"))) {
		git_odb *odb = NULL;
		if ((rc = git_odb_open(&odb, v)) < 0)
			return adr__error_git(rc, "cannot open the object directory '%s' named by "
						  "GIT_OBJECT_DIRECTORY", v);
		git_repository_set_odb(repo->git, odb); /* fails only on NULL arguments */
		git_odb_free(odb);
	}
	if ((v = env_set("GIT_ALTERNATE_OBJECT_DIRECTORIES"))) {
		git_odb *odb = NULL;
		adr_buf one = ADR_BUF_INIT;
		if ((rc = git_repository_odb(&odb, repo->git)) < 0)
			return adr__error_git(rc, "cannot open the object database");
		while (rc == 0 && *v) {
			size_t n = strcspn(v, ":");
			adr_buf_clear(&one);
			adr_buf_put(&one, v, n);
			if (adr_buf_oom(&one))
				rc = adr__error(ADR_ENOMEM, "out of memory");
			else if (n && (rc = git_odb_add_disk_alternate(odb, one.ptr)) < 0)
				rc = adr__error_git(rc, "cannot add the object directory '%s' named by "
							"GIT_ALTERNATE_OBJECT_DIRECTORIES", one.ptr);
			v += n + (v[n] == ':');
		}
		adr_buf_dispose(&one);
		git_odb_free(odb);
		if (rc < 0)
			return rc;
	}
	if ((v = env_set("GIT_NAMESPACE")) && (rc = git_repository_set_namespace(repo->git, v)) < 0)
		return adr__error_git(rc, "cannot use the namespace '%s' named by GIT_NAMESPACE", v);
	if (index_file) {
		git_index *idx = NULL;
		if (!(repo->index_path = absolute_path(index_file)))
			return adr_error_code();
		if ((rc = git_index_open(&idx, repo->index_path)) < 0) {
			/* libgit2 1.5 says "no longer exists" of a file it cannot parse. */
			struct stat st;
			if (stat(repo->index_path, &st) == 0)
				return adr__error(ADR_EINVALID, "GIT_INDEX_FILE names '%s', which is %s",
						  repo->index_path, S_ISDIR(st.st_mode) ? "a directory"
											: "not a valid git index");
			return adr__error_git(rc, "cannot read the index '%s' named by GIT_INDEX_FILE",
					      repo->index_path);
		}
		git_repository_set_index(repo->git, idx); /* fails only on NULL arguments */
		git_index_free(idx);
	}
	return 0;
}

int adr_repo_open(adr_repo **out, const char *dir)
{
	adr_repo *repo = NULL;
	const char *path;
	open_how how = { dir, NULL, NULL };
	int rc;

	*out = NULL;
	if ((rc = adr__git_init()) < 0)
		return rc;
	repo = calloc(1, sizeof(*repo));
	if (!repo)
		return adr__error(ADR_ENOMEM, "out of memory");

	if (!dir) {
		how.git_dir = env_set("GIT_DIR");
		how.work_tree = env_set("GIT_WORK_TREE");
		/* libgit2 1.5 cannot take the common directory from anywhere but the gitdir. */
		if (env_set("GIT_COMMON_DIR")) {
			rc = adr__error(ADR_EUSAGE, "GIT_COMMON_DIR is set; adr cannot open a repository from it "
						    "(unset it, or run adr with -C in the worktree)");
			goto fail;
		}
	}
	rc = open_git(&repo->git, &how);
	if (rc < 0) {
		if (is_owner_failure(rc))
			rc = owner_error(&how);
		else if (rc == GIT_ENOTFOUND && how.git_dir)
			rc = adr__error(ADR_ENOTFOUND, "not a git repository: '%s' (from GIT_DIR)", how.git_dir);
		else if (rc == GIT_ENOTFOUND)
			rc = adr__error(ADR_ENOTFOUND, "not a git repository (or any parent up to /): %s",
					dir ? dir : ".");
		else
			rc = adr__error_git(rc, "cannot open the repository at '%s'",
					    dir ? dir : how.git_dir ? how.git_dir : ".");
		goto fail;
	}
	if ((rc = apply_env(repo, &how)) < 0)
		goto fail;
	path = git_repository_workdir(repo->git);
	if (path && !(repo->workdir = with_slash(path)))
		goto oom;
	if (!(repo->gitdir = with_slash(git_repository_path(repo->git))))
		goto oom;
	if (!(repo->commondir = with_slash(git_repository_commondir(repo->git))))
		goto oom;
	if (!repo->index_path) {
		adr_buf b = ADR_BUF_INIT;
		adr_buf_printf(&b, "%sindex", repo->gitdir);
		if (adr_buf_oom(&b))
			goto oom;
		repo->index_path = adr_buf_detach(&b);
	}
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
	(void)set_durable(repo, false);
	git_repository_free(repo->git);
	free(repo->workdir);
	free(repo->gitdir);
	free(repo->commondir);
	free(repo->index_path);
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
const char *adr__repo_index_path(const adr_repo *repo) { return repo->index_path; }
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
	return adr__records_from_tree_skip(set, repo, root, flags, NULL);
}

int adr__records_from_tree_skip(adr_recordset *set, adr_repo *repo, git_tree *root, unsigned flags,
				const char *skip)
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

		if (!adr__is_markdown(name) || (skip && strcmp(name, skip) == 0) ||
		    adr_record_parse_filename(&number, NULL, name) < 0) {
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
		adr_recordset_clear(out);
	git_tree_free(tree);
	git_commit_free(commit);
	return rc;
}

int adr_repo_read_file(adr_buf *out, adr_repo *repo, const char *rev, const char *path)
{
	const char *what = rev ? rev : repo->branch;
	git_commit *commit = NULL;
	git_tree *tree = NULL;
	int rc;

	if ((rc = adr__resolve_commit(&commit, repo, rev)) < 0)
		return rc;
	if ((rc = git_commit_tree(&tree, commit)) < 0) {
		rc = adr__error_git(rc, "cannot read the tree of '%s'", what);
		goto cleanup;
	}
	rc = adr__tree_read(out, repo->git, tree, path);
cleanup:
	git_tree_free(tree);
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

