/*
 * git/names.c: the names a shell completes (adr __complete): branches,
 * proposal slugs, record numbers and remotes, read from refs and one tree,
 * never parsed, and best effort: a ref or tree that cannot be read is left
 * out, since a completion that fails must not get in the user's way.
 */
#include <ctype.h>
#include <string.h>

#include "git/repo_internal.h"

static int add_name(adr_strlist *out, const char *name, size_t n)
{
	for (size_t i = 0; i < out->count; i++)
		if (strlen(out->items[i]) == n && memcmp(out->items[i], name, n) == 0)
			return 0;
	return adr_strlist_addn(out, name, n);
}

/* The slug of "adr/<slug>" or "<remote>/adr/<slug>", or NULL. */
static const char *proposal_slug(const char *name, git_branch_t type)
{
	const char *p = name;
	if (type == GIT_BRANCH_REMOTE) {
		if (!(p = strchr(name, '/')))
			return NULL;
		p++;
	}
	return strncmp(p, "adr/", 4) == 0 && p[4] ? p + 4 : NULL;
}

static int branch_names(adr_strlist *out, git_repository *git, unsigned what)
{
	git_branch_iterator *it = NULL;
	git_reference *ref;
	git_branch_t type;
	int rc = 0;

	if (git_branch_iterator_new(&it, git, GIT_BRANCH_ALL) < 0)
		return 0;
	while (rc == 0 && git_branch_next(&ref, &type, it) == 0) {
		const char *name = NULL, *slug;
		if (git_branch_name(&name, ref) == 0 && name) {
			size_t n = strlen(name);
			/* "origin/HEAD" is a pointer, not a branch to name. */
			bool head = n >= 5 && strcmp(name + n - 5, "/HEAD") == 0;
			if ((what & ADR_NAMES_BRANCHES) && !head)
				rc = add_name(out, name, n);
			if (rc == 0 && (what & ADR_NAMES_PROPOSALS) && (slug = proposal_slug(name, type)))
				rc = add_name(out, slug, strlen(slug));
		}
		git_reference_free(ref);
	}
	git_branch_iterator_free(it);
	return rc;
}

/* "0042" of "0042-use-postgres.md". */
static size_t record_number(const char *name)
{
	size_t n = 0;
	while (isdigit((unsigned char)name[n]))
		n++;
	if (n == 0 || name[n] != '-')
		return 0;
	n = strlen(name);
	return n > 3 && strcmp(name + n - 3, ".md") == 0 ? (size_t)strspn(name, "0123456789") : 0;
}

static int record_numbers(adr_strlist *out, adr_repo *repo)
{
	git_object *obj = NULL;
	git_tree *tree = NULL;
	int rc = 0;
	adr_buf spec = ADR_BUF_INIT;

	adr_buf_printf(&spec, "%s:%s", adr_repo_branch(repo), adr_repo_records_dir(repo));
	if (adr_buf_oom(&spec)) {
		adr_buf_dispose(&spec);
		return ADR_ENOMEM;
	}
	if (git_revparse_single(&obj, repo->git, spec.ptr) == 0 && git_object_type(obj) == GIT_OBJECT_TREE) {
		tree = (git_tree *)obj;
		for (size_t i = 0; rc == 0 && i < git_tree_entrycount(tree); i++) {
			const git_tree_entry *e = git_tree_entry_byindex(tree, i);
			size_t n = record_number(git_tree_entry_name(e));
			if (n && git_tree_entry_type(e) == GIT_OBJECT_BLOB)
				rc = add_name(out, git_tree_entry_name(e), n);
		}
	}
	git_object_free(obj);
	adr_buf_dispose(&spec);
	return rc;
}

/* The remotes: each "remote.<name>.url" of the configuration. (Not
 * git_remote_list(): its pattern match leaks in libgit2 1.5 with PCRE2.) */
static int remote_names(adr_strlist *out, git_repository *git)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	int rc = 0;

	if (git_repository_config_snapshot(&cfg, git) < 0)
		return 0;
	if (git_config_iterator_new(&it, cfg) == 0) {
		while (rc == 0 && git_config_next(&e, it) == 0) {
			size_t n = strlen(e->name);
			if (n > 11 && strncmp(e->name, "remote.", 7) == 0 && strcmp(e->name + n - 4, ".url") == 0)
				rc = add_name(out, e->name + 7, n - 11);
		}
		git_config_iterator_free(it);
	}
	git_config_free(cfg);
	return rc;
}

int adr_repo_names(adr_strlist *out, adr_repo *repo, unsigned what)
{
	int rc = 0;
	if (what & (ADR_NAMES_BRANCHES | ADR_NAMES_PROPOSALS))
		rc = branch_names(out, repo->git, what);
	if (rc == 0 && (what & ADR_NAMES_RECORDS))
		rc = record_numbers(out, repo);
	if (rc == 0 && (what & ADR_NAMES_REMOTES))
		rc = remote_names(out, repo->git);
	return rc;
}
