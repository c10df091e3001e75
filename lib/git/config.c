/*
 * git/config.c: what adr reads from the decision branch when it opens a
 * repository: the branch itself, `.adr.yaml` (adr_repo_config_*), the
 * records directory (.adr.yaml, .adr-dir, an existing doc/adr or
 * docs/decisions), the default template and visibility, and durable mode.
 */
#include "git/repo_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "git/signature_internal.h"
#include "util/date.h"
#include "util/path.h"
#include "util/alloc.h"
#include "util/error.h"
#include "text/yaml.h"

#define DEFAULT_DIR "docs/decisions"
#define CONFIG_FILE ".adr.yaml"

/* --- configuration ------------------------------------------------------ */

static const adr__yaml_node *config_lookup(const adr_repo *repo, const char *dotted)
{
	const adr__yaml_node *node = NULL;
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
			node = adr__yaml_get(repo->config, key);
		else
			node = node && node->kind == ADR_YAML_MAP ? adr__yaml_map_get(node, key) : NULL;
		if (!node)
			return NULL;
		first = false;
		p = dot ? dot + 1 : p + n;
	}
	return node;
}

const char *adr_repo_config_string(const adr_repo *repo, const char *dotted_key)
{
	const adr__yaml_node *n = config_lookup(repo, dotted_key);
	return n && n->kind == ADR_YAML_SCALAR && !n->is_null ? n->scalar : NULL;
}

int adr_repo_config_list(adr_strlist *out, const adr_repo *repo, const char *dotted_key)
{
	const adr__yaml_node *n = config_lookup(repo, dotted_key);
	if (!n)
		return 0;
	if (n->kind == ADR_YAML_SCALAR) {
		if (!n->is_null && adr_strlist_add(out, n->scalar) < 0)
			return ADR_ENOMEM;
		return 0;
	}
	if (n->kind != ADR_YAML_SEQ)
		return adr__error(ADR_EINVALID, "%s:%d:%d: key '%s': expected a list", CONFIG_FILE,
				  n->line, n->col, dotted_key);
	for (size_t i = 0; i < n->count; i++) {
		const adr__yaml_node *it = n->items[i];
		if (it->kind != ADR_YAML_SCALAR)
			return adr__error(ADR_EINVALID, "%s:%d:%d: key '%s': expected a list of strings",
					  CONFIG_FILE, it->line, it->col, dotted_key);
		if (adr_strlist_add(out, it->scalar) < 0)
			return ADR_ENOMEM;
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
			char *name = adr__malloc(11 + n + 1);
			if (!name) {
				git_reference_free(ref);
				return ADR_ENOMEM;
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
		*out = adr__strdup("refs/heads/main");
	} else if (git_reference_lookup(&ref, git, "refs/heads/master") == 0) {
		git_reference_free(ref);
		*out = adr__strdup("refs/heads/master");
	} else {
		/* Whatever HEAD points at, born or not. */
		rc = git_reference_lookup(&ref, git, "HEAD");
		if (rc == 0 && git_reference_type(ref) == GIT_REFERENCE_SYMBOLIC &&
		    strncmp(git_reference_symbolic_target(ref), "refs/heads/", 11) == 0)
			*out = adr__strdup(git_reference_symbolic_target(ref));
		else
			*out = adr__strdup("refs/heads/main");
		git_reference_free(ref);
	}
	return *out ? 0 : ADR_ENOMEM;
}

static int full_branch_name(char **out, const char *name)
{
	adr_buf b = ADR_BUF_INIT;
	if (strncmp(name, "refs/", 5) != 0)
		adr_buf_puts(&b, "refs/heads/");
	adr_buf_puts(&b, name);
	if (adr_buf_oom(&b))
		return ADR_ENOMEM;
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
	git_object *obj = NULL;
	int rc;

	rc = git_revparse_single(&obj, repo->git, branch);
	if (rc < 0)
		return ADR_ENOTFOUND;
	rc = git_object_peel((git_object **)&commit, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (rc < 0)
		return ADR_ENOTFOUND;
	rc = adr__commit_read_file(out, repo, commit, branch, path);
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
		return ADR_ENOMEM;
	if (b.size == 0 || b.ptr[0] == '/' || (rc = adr__path_validate(b.ptr)) < 0) {
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

int adr__repo_set_durable(adr_repo *repo, bool on)
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

/* The committed `.adr.yaml` of `branch` into repo->config; ADR_ENOTFOUND
 * (no message) when there is none. */
static int read_config(adr_repo *repo, const char *branch)
{
	adr_buf data = ADR_BUF_INIT;
	int rc;

	adr__yaml_doc_free(repo->config);
	repo->config = NULL;
	rc = adr__read_committed(&data, repo, branch, CONFIG_FILE);
	if (rc == 0)
		rc = adr__yaml_parse(&repo->config, CONFIG_FILE, data.ptr, data.size, 1);
	else if (rc == ADR_ENOTFOUND)
		adr_error_clear();
	adr_buf_dispose(&data);
	return rc;
}

/* The decision branch and `.adr.yaml`: the override or the guessed branch;
 * a `branch:` in `.adr.yaml` moves both to the configured branch, where the
 * configuration then lives. */
static int load_config(adr_repo *repo)
{
	char *branch = NULL, *configured = NULL;
	const char *s;
	int rc;

	if (repo->branch_override)
		rc = full_branch_name(&branch, repo->branch_override);
	else
		rc = default_branch(&branch, repo->git);
	if (rc < 0 || ((rc = read_config(repo, branch)) < 0 && rc != ADR_ENOTFOUND))
		goto cleanup;
	s = adr_repo_config_string(repo, "branch");
	if (s && !repo->branch_override) {
		if ((rc = full_branch_name(&configured, s)) < 0) {
			adr__error_prefix("%s", CONFIG_FILE);
			goto cleanup;
		}
		if (strcmp(configured, branch) != 0) {
			free(branch);
			branch = configured;
			configured = NULL;
			if ((rc = read_config(repo, branch)) < 0 && rc != ADR_ENOTFOUND)
				goto cleanup;
		}
	}
	free(repo->branch);
	repo->branch = branch;
	branch = NULL;
	rc = 0;
cleanup:
	free(branch);
	free(configured);
	return rc;
}

/* The first line of `.adr-dir`: committed, or (adr-tools writes it before
 * any commit) in the work tree. ADR_ENOTFOUND when there is none. */
static int read_adr_dir(adr_buf *out, adr_repo *repo)
{
	int rc = adr__read_committed(out, repo, repo->branch, ".adr-dir");
	char *nl;

	if (rc == ADR_ENOTFOUND && repo->workdir) {
		adr_buf p = ADR_BUF_INIT;
		FILE *f;
		adr_buf_printf(&p, "%s.adr-dir", repo->workdir);
		f = adr_buf_oom(&p) ? NULL : fopen(p.ptr, "r");
		if (f) {
			char line[4096];
			if (fgets(line, sizeof(line), f)) {
				adr_buf_set(out, line, strlen(line));
				rc = 0;
			}
			fclose(f);
		}
		adr_buf_dispose(&p);
	}
	if (rc == 0 && (nl = memchr(out->ptr, '\n', out->size)))
		adr_buf_truncate(out, (size_t)(nl - out->ptr));
	return rc;
}

/* Records directory: override, .adr.yaml, .adr-dir, doc/adr, docs/decisions. */
static int find_records_dir(adr_repo *repo)
{
	adr_buf data = ADR_BUF_INIT;
	const char *s;
	int rc;

	if (repo->dir_override)
		return set_records_dir(repo, repo->dir_override, "--dir");
	if ((s = adr_repo_config_string(repo, "dir")))
		return set_records_dir(repo, s, CONFIG_FILE);
	rc = read_adr_dir(&data, repo);
	if (rc == 0) {
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
	adr_buf_dispose(&data);
	return rc;
}

/* "24h", "2d", "1w" in seconds (at most a year), or -1. */
static long long duration_seconds(const char *s)
{
	char *end;
	long long n, unit;
	if (*s < '0' || *s > '9')
		return -1;
	n = strtoll(s, &end, 10);
	if (end[0] == '\0' || end[1] != '\0' || n <= 0 || n > 366 * 24)
		return -1;
	unit = end[0] == 'h' ? 3600 : end[0] == 'd' ? 86400 : end[0] == 'w' ? 7 * 86400 : 0;
	return unit && n * unit <= 366LL * 86400 ? n * unit : -1;
}

long long adr_repo_first_response(const adr_repo *repo)
{
	return repo->first_response;
}

int adr_repo_user_name(char **out, adr_repo *repo)
{
	git_signature *sig = NULL;
	int rc;
	*out = NULL;
	if ((rc = adr__signature_new(&sig, repo->git, "AUTHOR")) < 0)
		return rc;
	*out = adr__strdup(sig->name);
	git_signature_free(sig);
	return *out ? 0 : ADR_ENOMEM;
}

/* The default template, visibility, revisit cadence and durable mode from `.adr.yaml`. */
static int read_settings(adr_repo *repo)
{
	const adr__yaml_node *vn, *n;
	const char *s;
	char day[11];
	bool on = false;

	free(repo->template_name);
	s = adr_repo_config_string(repo, "template");
	repo->template_name = adr__strdup(s ? s : "default");
	ADR_ALLOC_CHECK(repo->template_name);
	repo->default_visibility = ADR_VISIBILITY_NONE;
	/* F05: a default visibility that cannot be read is an error, never "unset". */
	vn = config_lookup(repo, "visibility");
	if (vn && !vn->is_null && vn->kind != ADR_YAML_SCALAR)
		return adr__error(ADR_EINVALID, "%s:%d:%d: key 'visibility': expected one of public, partner, "
				  "internal, not a %s", CONFIG_FILE, vn->line, vn->col,
				  vn->kind == ADR_YAML_SEQ ? "list" : "mapping");
	s = adr_repo_config_string(repo, "visibility");
	if (s && adr_visibility_parse(&repo->default_visibility, s) < 0)
		return adr__error(ADR_EINVALID, "%s:%d:%d: visibility '%s' is not one of public, partner, internal",
				  CONFIG_FILE, vn->line, vn->col, s);
	/* The revisit cadence: a period, read with the one reader of periods. */
	n = config_lookup(repo, "revisit");
	if (n && !n->is_null && (n->kind != ADR_YAML_SCALAR || adr__period_end(day, n->scalar, "dwmy") < 0))
		return adr__error(ADR_EINVALID, "%s:%d:%d: revisit must be a period such as 30d, 6w, 3m or 1y",
				  CONFIG_FILE, n->line, n->col);
	n = config_lookup(repo, "durable");
	if (n && (n->kind != ADR_YAML_SCALAR || n->is_null ||
		  (strcmp(n->scalar, "true") != 0 && strcmp(n->scalar, "false") != 0)))
		return adr__error(ADR_EINVALID, "%s:%d:%d: durable must be true or false", CONFIG_FILE, n->line,
				  n->col);
	if (n)
		on = strcmp(n->scalar, "true") == 0;
	n = config_lookup(repo, "first-response");
	repo->first_response = 0;
	if (n && !n->is_null &&
	    (n->kind != ADR_YAML_SCALAR || (repo->first_response = duration_seconds(n->scalar)) <= 0))
		return adr__error(ADR_EINVALID, "%s:%d:%d: first-response must be a duration like 24h, 2d or 1w "
				  "(at most a year)", CONFIG_FILE, n->line, n->col);
	return adr__repo_set_durable(repo, on || git_config_durable(repo->git));
}

const char *adr_repo_revisit_cadence(const adr_repo *repo)
{
	return adr_repo_config_string(repo, "revisit");
}

int adr_repo_reload(adr_repo *repo)
{
	int rc;

	adr__yaml_doc_free(repo->config);
	repo->config = NULL;
	if ((rc = load_config(repo)) < 0 || (rc = find_records_dir(repo)) < 0 || (rc = read_settings(repo)) < 0)
		return rc;
	return 0;
}
