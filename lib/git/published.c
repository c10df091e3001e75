/*
 * git/published.c: the published tips of the decision branch (its
 * remote-tracking copies) and what they hold: which files, which numbers
 * (see git/published.h).
 */
#include "git/published.h"
#include "git/maxnum.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

static int records_dir(git_tree **out, adr_repo *repo, git_tree *root);

int adr__published_add(adr__published *p, adr_repo *repo, const char *name, const git_oid *id)
{
	git_commit *c = NULL;
	char **refs;
	git_oid *tips;
	git_tree **trees, **dirs;
	int rc;

	for (size_t i = 0; i < p->count; i++)
		if (git_oid_equal(&p->tips[i], id))
			return 0;
	if (!(dirs = adr__reallocarray(p->dirs, p->count + 1, sizeof(*dirs))))
		return ADR_ENOMEM;
	p->dirs = dirs;
	p->records_dir = repo->records_dir;
	if (!(refs = adr__reallocarray(p->refs, p->count + 1, sizeof(*refs))))
		return ADR_ENOMEM;
	p->refs = refs;
	if (!(tips = adr__reallocarray(p->tips, p->count + 1, sizeof(*tips))))
		return ADR_ENOMEM;
	p->tips = tips;
	if (!(trees = adr__reallocarray(p->trees, p->count + 1, sizeof(*trees))))
		return ADR_ENOMEM;
	p->trees = trees;
	if ((rc = git_commit_lookup(&c, repo->git, id)) < 0 || (rc = git_commit_tree(&p->trees[p->count], c)) < 0) {
		git_commit_free(c);
		return adr__error_git(rc, "the tip of '%s' is missing or corrupt", name);
	}
	git_commit_free(c);
	p->tips[p->count] = *id;
	if (!(p->refs[p->count] = adr__strdup(name))) {
		git_tree_free(p->trees[p->count]);
		return ADR_ENOMEM;
	}
	/* Looked up once: a lookup by path would parse the directory's tree
	 * again for every record asked about. Unreadable, adr__published_has
	 * falls back to the path and reports it there. */
	p->dirs[p->count] = NULL;
	if (!p->tips_only && records_dir(&p->dirs[p->count], repo, p->trees[p->count]) < 0)
		adr_error_clear();
	p->count++;
	return 0;
}

static int add_tip(adr__published *p, adr_repo *repo, const char *ref)
{
	git_oid id;
	int rc;

	if ((rc = git_reference_name_to_id(&id, repo->git, ref)) == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return adr__error_git(rc, "cannot read '%s'", ref);
	return adr__published_add(p, repo, ref, &id);
}

/* refs/remotes/<remote>/<short> for every remote that has it (fetched,
 * whether or not the remote is still configured). */
static int add_every_remote(adr__published *p, adr_repo *repo, const char *shortname)
{
	git_reference_iterator *it = NULL;
	const char *name;
	int rc;

	if ((rc = git_reference_iterator_glob_new(&it, repo->git, "refs/remotes/*")) < 0)
		return adr__error_git(rc, "cannot list the remote-tracking branches");
	while ((rc = git_reference_next_name(&name, it)) == 0) {
		const char *remote = name + 13, *slash = strchr(remote, '/');
		if (slash && slash > remote && !strcmp(slash + 1, shortname) && (rc = add_tip(p, repo, name)) < 0)
			goto cleanup;
	}
	rc = rc == GIT_ITEROVER ? 0 : adr__error_git(rc, "cannot list the remote-tracking branches");
cleanup:
	git_reference_iterator_free(it);
	return rc;
}

/*
 * The upstream's remote-tracking ref, "refs/remotes/<remote>/<name>", from
 * branch.<b>.remote and branch.<b>.merge with the default fetch mapping;
 * "" when there is none (no upstream, or a local one). Read from the
 * configuration directly: libgit2's git_branch_upstream_name() looks the
 * remote up, which leaks in libgit2 1.5 with PCRE2.
 */
static int upstream_ref(adr_buf *out, adr_repo *repo, const char *shortname)
{
	git_config *cfg = NULL;
	adr_buf key = ADR_BUF_INIT;
	const char *remote = NULL, *merge = NULL;
	char *rcopy = NULL;
	int rc;

	adr_buf_clear(out);
	if ((rc = git_repository_config_snapshot(&cfg, repo->git)) < 0)
		return adr__error_git(rc, "cannot read the git configuration");
	adr_buf_printf(&key, "branch.%s.remote", shortname);
	if (adr_buf_oom(&key)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (git_config_get_string(&remote, cfg, key.ptr) < 0 || !(rcopy = adr__strdup(remote))) {
		rc = 0;
		goto cleanup;
	}
	adr_buf_clear(&key);
	adr_buf_printf(&key, "branch.%s.merge", shortname);
	if (!adr_buf_oom(&key) && git_config_get_string(&merge, cfg, key.ptr) == 0 && strcmp(rcopy, ".") &&
	    !strncmp(merge, "refs/heads/", 11))
		adr_buf_printf(out, "refs/remotes/%s/%s", rcopy, merge + 11);
	rc = adr_buf_oom(&key) || adr_buf_oom(out) ? ADR_ENOMEM : 0;
cleanup:
	git_error_clear();
	free(rcopy);
	adr_buf_dispose(&key);
	git_config_free(cfg);
	return rc;
}

static int load(adr__published *out, adr_repo *repo, const char *branch, bool tips_only)
{
	adr_buf up = ADR_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	out->tips_only = tips_only;
	if (!branch)
		branch = repo->branch;
	if (strncmp(branch, "refs/heads/", 11) != 0)
		return 0;
	/* The upstream; a branch without one (or whose upstream is local, or
	 * not fetched) counts every remote that has a branch of its name. */
	if ((rc = upstream_ref(&up, repo, branch + 11)) < 0 || (up.size && (rc = add_tip(out, repo, up.ptr)) < 0))
		goto cleanup;
	rc = out->count ? 0 : add_every_remote(out, repo, branch + 11);
cleanup:
	adr_buf_dispose(&up);
	if (rc < 0)
		adr__published_dispose(out);
	return rc;
}

int adr__published_load(adr__published *out, adr_repo *repo, const char *branch)
{
	return load(out, repo, branch, false);
}

int adr__published_load_tips(adr__published *out, adr_repo *repo, const char *branch)
{
	return load(out, repo, branch, true);
}

void adr__published_dispose(adr__published *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->count; i++) {
		free(p->refs[i]);
		git_tree_free(p->trees[i]);
		git_tree_free(p->dirs[i]);
	}
	free(p->dirs);
	free(p->refs);
	free(p->tips);
	free(p->trees);
	memset(p, 0, sizeof(*p));
}

/* The file name of `path` when it names a file of the records directory, else NULL. */
static const char *in_records_dir(const adr__published *p, const char *path)
{
	size_t n = p->records_dir ? strlen(p->records_dir) : 0;
	if (!n || strncmp(path, p->records_dir, n) != 0 || path[n] != '/' || !path[n + 1] || strchr(path + n + 1, '/'))
		return NULL;
	return path + n + 1;
}

int adr__published_has(const adr__published *p, const char *path, const git_oid *blob, const char **ref)
{
	const char *name = in_records_dir(p, path);
	for (size_t i = 0; i < p->count; i++) {
		git_tree_entry *e = NULL;
		int rc;
		bool hit;
		if (name && p->dirs[i]) {
			const git_tree_entry *d = git_tree_entry_byname(p->dirs[i], name);
			if (!d)
				continue;
			hit = git_tree_entry_type(d) == GIT_OBJECT_BLOB && (!blob || git_oid_equal(blob, git_tree_entry_id(d)));
			if (hit) {
				if (ref)
					*ref = p->refs[i];
				return 1;
			}
			continue;
		}
		rc = git_tree_entry_bypath(&e, p->trees[i], path);
		if (rc == GIT_ENOTFOUND) {
			git_error_clear();
			continue;
		}
		if (rc < 0)
			return adr__error_git(rc, "cannot read '%s' on '%s'", path, p->refs[i]);
		hit = git_tree_entry_type(e) == GIT_OBJECT_BLOB && (!blob || git_oid_equal(blob, git_tree_entry_id(e)));
		git_tree_entry_free(e);
		if (hit) {
			if (ref)
				*ref = p->refs[i];
			return 1;
		}
	}
	return 0;
}

/* The records directory of `root`, or NULL in *out when it has none. */
static int records_dir(git_tree **out, adr_repo *repo, git_tree *root)
{
	git_tree_entry *dirent = NULL;
	int rc;

	*out = NULL;
	if ((rc = git_tree_entry_bypath(&dirent, root, repo->records_dir)) == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return adr__error_git(rc, "cannot read the records directory '%s'", repo->records_dir);
	if (git_tree_entry_type(dirent) == GIT_OBJECT_TREE &&
	    (rc = git_tree_lookup(out, repo->git, git_tree_entry_id(dirent))) < 0)
		rc = adr__error_git(rc, "records directory '%s' is missing or corrupt", repo->records_dir);
	git_tree_entry_free(dirent);
	return rc < 0 ? rc : 0;
}

int adr__tree_records_dir_id(adr_repo *repo, git_tree *root, git_oid *id)
{
	git_tree_entry *e = NULL;
	int found = git_tree_entry_bypath(&e, root, repo->records_dir) == 0 && git_tree_entry_type(e) == GIT_OBJECT_TREE;
	if (found)
		*id = *git_tree_entry_id(e);
	git_tree_entry_free(e);
	git_error_clear();
	return found;
}

/* 1 with *max when the highest number of records directory `id` is known
 * by its tree id (git/maxnum.h) and that tree is in the repository. */
static int known_max(adr_repo *repo, const git_oid *id, int *max)
{
	git_odb *odb = NULL;
	int known = 0;
	if (git_repository_odb(&odb, repo->git) == 0 && git_odb_exists(odb, id))
		known = adr__maxnum_get(repo, id, max);
	git_odb_free(odb);
	git_error_clear();
	return known;
}

/* adr__tree_max_number() by reading the directory. */
static int read_max(adr_repo *repo, git_tree *root, int *max)
{
	git_tree *dir = NULL;
	int rc, n;

	int dated = 0;

	*max = 0;
	if ((rc = records_dir(&dir, repo, root)) < 0)
		return rc;
	for (size_t i = 0; dir && i < git_tree_entrycount(dir); i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(dir, i));
		if (adr_record_parse_filename(&n, NULL, name) == 0) {
			if (n > *max)
				*max = n;
		} else if (adr_record_date_named(name)) {
			dated++;
		}
	}
	/* Date-named records (log4brains' 20200924-x.md) hold the numbers after
	 * the highest until `adr import` gives them for good (record/filename.c):
	 * a new record comes after them, so no number is shown twice. */
	*max += dated;
	adr_error_clear();
	git_tree_free(dir);
	return 0;
}

/* The highest number is kept by the records directory's tree id
 * (git/maxnum.h): a published tip changes only when fetched, and a commit
 * adr makes carries its parent's number over (git/commit.c), so the
 * directory of 10,000 records is not read to find the next number. */
int adr__tree_max_number(adr_repo *repo, git_tree *root, int *max, git_oid *dir)
{
	git_oid id;
	bool has = adr__tree_records_dir_id(repo, root, &id) == 1;
	int rc;

	if (dir)
		memset(dir, 0, sizeof(*dir));
	if (has && dir)
		*dir = id;
	if (has && known_max(repo, &id, max) == 1)
		return 0;
	if ((rc = read_max(repo, root, max)) < 0)
		return rc;
	if (has)
		adr__maxnum_put(repo, &id, *max, NULL);
	return 0;
}

int adr__published_max_number(const adr__published *p, adr_repo *repo, int *max)
{
	int rc, m;
	*max = 0;
	for (size_t i = 0; i < p->count; i++) {
		if ((rc = adr__tree_max_number(repo, p->trees[i], &m, NULL)) < 0)
			return rc;
		if (m > *max)
			*max = m;
	}
	return 0;
}

int adr__published_number(const adr__published *p, adr_repo *repo, int number, adr_buf *path, const char **ref)
{
	int rc, n;
	for (size_t i = 0; i < p->count; i++) {
		git_tree *dir = NULL;
		if ((rc = records_dir(&dir, repo, p->trees[i])) < 0)
			return rc;
		for (size_t k = 0; dir && k < git_tree_entrycount(dir); k++) {
			const char *name = git_tree_entry_name(git_tree_entry_byindex(dir, k));
			if (!adr__is_markdown(name) || adr_record_parse_filename(&n, NULL, name) < 0 || n != number)
				continue;
			adr_buf_clear(path);
			adr_buf_printf(path, "%s/%s", repo->records_dir, name);
			git_tree_free(dir);
			adr_error_clear();
			if (ref)
				*ref = p->refs[i];
			return adr_buf_oom(path) ? ADR_ENOMEM : 1;
		}
		adr_error_clear();
		git_tree_free(dir);
	}
	return 0;
}
