/*
 * git/repo.c: opening a repository as git would (adr/repo.h): the start
 * directory or the environment (GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE, ...),
 * the message for a repository owned by another user, and the accessors.
 * The configuration read at open is config.c; reading records, records.c.
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

#include "util/alloc.h"
#include "util/error.h"
#include "util/shell.h"
#include "text/yaml.h"

int adr__git_init(void)
{
	static int done;
	if (!done) {
		if (git_libgit2_init() < 0)
			return adr__error_git(-1, "cannot initialise libgit2");
		/* Packs are mapped in windows of 4 MB (libgit2 maps up to 1 GB at
		 * once), at most 32 MB of them at a time (libgit2: 8 GB), so a
		 * long walk or a site build lets the ones it is done with go
		 * (git/history.c sets its own, smaller limits): memory then
		 * follows what a command keeps, not the size of the pack. */
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)4 << 20);
		git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)32 << 20);
		done = 1;
	}
	return 0;
}

int adr__oid_from_hex(git_oid *out, const char *hex)
{
	int rc = git_oid_fromstr(out, hex);
	if (rc < 0)
		return adr__error_git(rc, "cannot read the object id '%.40s'", hex);
	return 0;
}

git_repository *adr__repo_git(adr_repo *repo)
{
	return repo->git;
}

static char *with_slash(const char *s)
{
	size_t n = strlen(s);
	char *p = adr__malloc(n + 2);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	if (n == 0 || s[n - 1] != '/')
		p[n++] = '/';
	p[n] = '\0';
	return p;
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
		adr_buf_dispose(&b);
		return NULL;
	}
	return adr_buf_detach(&b);
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
	adr__shell_word(&cmd, top.ptr);
	if (adr_buf_oom(&top) || adr_buf_oom(&cmd))
		rc = ADR_ENOMEM;
	else
		rc = adr__error(ADR_EGIT, "'%s' is owned by another user; if you trust it, run: "
					  "git config --global --add safe.directory %s", top.ptr, cmd.ptr);
	adr_buf_dispose(&top);
	adr_buf_dispose(&cmd);
	return rc;
}

/* The work tree named by GIT_WORK_TREE, or with GIT_DIR the current directory. */
static int env_work_tree(adr_repo *repo, const open_how *how)
{
	char *wt = NULL;
	int rc = 0;
	struct stat st, cur;
	const char *now;

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
	if (!wt)
		return 0;
	now = git_repository_workdir(repo->git);
	if (stat(wt, &st) < 0 || !S_ISDIR(st.st_mode))
		rc = adr__error(ADR_ENOTFOUND, "GIT_WORK_TREE '%s' is not a directory", how->work_tree);
	/* libgit2 1.5.1 leaks when asked for the work tree it has already. */
	else if (now && stat(now, &cur) == 0 && cur.st_dev == st.st_dev && cur.st_ino == st.st_ino)
		rc = 0;
	else if ((rc = git_repository_set_workdir(repo->git, wt, 0)) < 0)
		rc = adr__error_git(rc, "cannot use '%s' as the work tree", wt);
	free(wt);
	return rc;
}

/* The object directories named by GIT_OBJECT_DIRECTORY and GIT_ALTERNATE_OBJECT_DIRECTORIES. */
static int env_objects(adr_repo *repo)
{
	const char *v;
	int rc = 0;

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
				rc = ADR_ENOMEM;
			else if (n && (rc = git_odb_add_disk_alternate(odb, one.ptr)) < 0)
				rc = adr__error_git(rc, "cannot add the object directory '%s' named by "
							"GIT_ALTERNATE_OBJECT_DIRECTORIES", one.ptr);
			v += n + (v[n] == ':');
		}
		adr_buf_dispose(&one);
		git_odb_free(odb);
	}
	return rc;
}

/* The index named by GIT_INDEX_FILE. */
static int env_index(adr_repo *repo, const char *index_file)
{
	git_index *idx = NULL;
	struct stat st;
	int rc;

	if (!(repo->index_path = absolute_path(index_file)))
		return adr_error_code();
	if ((rc = git_index_open(&idx, repo->index_path)) < 0) {
		/* libgit2 1.5 says "no longer exists" of a file it cannot parse. */
		if (stat(repo->index_path, &st) == 0)
			return adr__error(ADR_EINVALID, "GIT_INDEX_FILE names '%s', which is %s", repo->index_path,
					  S_ISDIR(st.st_mode) ? "a directory" : "not a valid git index");
		return adr__error_git(rc, "cannot read the index '%s' named by GIT_INDEX_FILE", repo->index_path);
	}
	git_repository_set_index(repo->git, idx); /* fails only on NULL arguments */
	git_index_free(idx);
	return 0;
}

/* The work tree, objects, namespace and index named by the environment, as git reads them. */
static int apply_env(adr_repo *repo, const open_how *how)
{
	const char *index_file = env_set("GIT_INDEX_FILE"), *v;
	int rc;

	if (how->dir)
		return 0;
	if ((rc = env_work_tree(repo, how)) < 0 || (rc = env_objects(repo)) < 0)
		return rc;
	if ((v = env_set("GIT_NAMESPACE")) && (rc = git_repository_set_namespace(repo->git, v)) < 0)
		return adr__error_git(rc, "cannot use the namespace '%s' named by GIT_NAMESPACE", v);
	if (index_file)
		return env_index(repo, index_file);
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
	repo = adr__calloc(1, sizeof(*repo));
	ADR_ALLOC_CHECK(repo);

	if (!dir) {
		how.git_dir = env_set("GIT_DIR");
		how.work_tree = env_set("GIT_WORK_TREE");
		/* libgit2 1.5 cannot take the common directory from anywhere but the gitdir. */
		if (env_set("GIT_COMMON_DIR")) {
			rc = adr__hint(ADR_HINT_WORKTREE, adr__error(ADR_EUSAGE,
				       "GIT_COMMON_DIR is set; adr cannot open a repository from it"));
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
	rc = ADR_ENOMEM;
fail:
	adr_repo_free(repo);
	return rc;
}

void adr_repo_free(adr_repo *repo)
{
	if (!repo)
		return;
	(void)adr__repo_set_durable(repo, false);
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
	adr__yaml_doc_free(repo->config);
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

/* Replaces an override (NULL: none) and reads the settings again. */
static int set_override(adr_repo *repo, char **slot, const char *value)
{
	char *copy = value ? adr__strdup(value) : NULL;
	if (value && !copy)
		return ADR_ENOMEM;
	free(*slot);
	*slot = copy;
	return adr_repo_reload(repo);
}

int adr_repo_set_records_dir(adr_repo *repo, const char *dir)
{
	return set_override(repo, &repo->dir_override, dir);
}

int adr_repo_set_branch(adr_repo *repo, const char *branch)
{
	return set_override(repo, &repo->branch_override, branch);
}
