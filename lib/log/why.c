/* Which decisions govern a path: affects: globs and linked commits (adr/why.h). */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adr/hooks.h"
#include "adr/why.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/glob.h"

/* `arg` (relative to `cwd`, or absolute) made relative to the top of the
 * work tree, "." and ".." resolved. */
static int repo_path(char **out, adr_repo *repo, const char *arg, const char *cwd)
{
	char top[PATH_MAX], here[PATH_MAX], real[PATH_MAX];
	adr_buf full = ADR_BUF_INIT, rel = ADR_BUF_INIT;
	adr_strlist parts = ADR_STRLIST_INIT;
	const char *wd = adr_repo_workdir(repo), *p;
	size_t tlen;
	int rc = 0;

	if (!wd)
		return adr__error(ADR_ENOTFOUND, "this is a bare repository: there is no path to explain");
	if (!cwd)
		cwd = getcwd(here, sizeof(here));
	if (!realpath(wd, top) || !cwd)
		return adr__error(ADR_EOS, "cannot find the top of the work tree");
	if (arg[0] == '/')
		adr_buf_puts(&full, arg);
	else
		adr_buf_printf(&full, "%s/%s", realpath(cwd, real) ? real : cwd, arg);
	if (adr_buf_oom(&full))
		return ADR_ENOMEM;
	tlen = strlen(top);
	p = full.ptr;
	if (strncmp(p, top, tlen) != 0 || (p[tlen] != '/' && p[tlen] != '\0')) {
		rc = adr__error(ADR_EINVALID, "'%s' is outside the repository", arg);
		goto cleanup;
	}
	for (p += tlen; *p;) {
		size_t n;
		while (*p == '/')
			p++;
		if ((n = strcspn(p, "/")) == 0)
			break;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!parts.count) {
				rc = adr__error(ADR_EINVALID, "'%s' is outside the repository", arg);
				goto cleanup;
			}
			free(parts.items[--parts.count]);
		} else if (!(n == 1 && p[0] == '.') && (rc = adr_strlist_addn(&parts, p, n)) < 0) {
			goto cleanup;
		}
		p += n;
	}
	if (!parts.count) {
		rc = adr__error(ADR_EINVALID, "'%s' is the top of the repository; name a path inside it", arg);
		goto cleanup;
	}
	for (size_t i = 0; i < parts.count; i++)
		adr_buf_printf(&rel, "%s%s", i ? "/" : "", parts.items[i]);
	if (adr_buf_oom(&rel))
		rc = ADR_ENOMEM;
	else
		*out = adr_buf_detach(&rel);
cleanup:
	adr_buf_dispose(&full);
	adr_buf_dispose(&rel);
	adr_strlist_dispose(&parts);
	return rc;
}

/* touches[k]: the commit of link k changed the path. Each commit is diffed
 * once, restricted to the path. */
static int find_touches(bool *touches, adr_repo *repo, const adr_commit_links *links, const char *path)
{
	for (size_t k = 0; k < links->count; k++) {
		bool done = false;
		int rc;
		for (size_t j = 0; j < k && !done; j++)
			if (strcmp(links->items[j].commit, links->items[k].commit) == 0) {
				touches[k] = touches[j];
				done = true;
			}
		if (!done && (rc = adr_commit_touches(&touches[k], repo, links->items[k].commit, path)) < 0)
			return rc;
	}
	return 0;
}

/* Fills `it` for record r; it->record stays NULL when nothing of r governs the path. */
static int fill_item(adr_why_item *it, const adr_record *r, const adr_why_result *res, const bool *touches)
{
	size_t nglobs = 0, ncommits = 0;
	for (size_t g = 0; g < r->affects.count; g++)
		nglobs += adr__glob_match(r->affects.items[g], res->path);
	for (size_t k = 0; k < res->links.count; k++)
		ncommits += touches[k] && adr_commit_link_is(&res->links.items[k], r);
	if (!nglobs && !ncommits)
		return 0;
	it->record = r;
	if ((nglobs && !(it->globs = adr__calloc(nglobs, sizeof(*it->globs)))) ||
	    (ncommits && !(it->commits = adr__calloc(ncommits, sizeof(*it->commits)))))
		return ADR_ENOMEM;
	for (size_t g = 0; g < r->affects.count; g++)
		if (adr__glob_match(r->affects.items[g], res->path))
			it->globs[it->nglobs++] = r->affects.items[g];
	for (size_t k = 0; k < res->links.count; k++)
		if (touches[k] && adr_commit_link_is(&res->links.items[k], r))
			it->commits[it->ncommits++] = &res->links.items[k];
	return 0;
}

/* The references not attributed (adr/links.h) whose commit changed the path. */
static int find_problems(adr_why_result *res, adr_repo *repo)
{
	for (size_t k = 0; k < res->links.nproblems; k++) {
		const adr_commit_ref_problem *p = &res->links.problems[k];
		bool touched = false;
		int rc;
		if ((rc = adr_commit_touches(&touched, repo, p->commit, res->path)) < 0 ||
		    (touched && (rc = adr_strlist_add_unique(&res->warnings, p->message)) < 0))
			return rc;
	}
	return 0;
}

int adr_why(adr_why_result **out, adr_repo *repo, const char *path, const adr_why_opts *opts)
{
	adr_why_result *res;
	bool *touches = NULL;
	int rc;

	*out = NULL;
	res = adr__calloc(1, sizeof(*res));
	ADR_ALLOC_CHECK(res);
	res->records = (adr_recordset)ADR_RECORDSET_INIT;
	res->links = (adr_commit_links)ADR_COMMIT_LINKS_INIT;
	res->warnings = (adr_strlist)ADR_STRLIST_INIT;
	if ((rc = repo_path(&res->path, repo, path, opts ? opts->cwd : NULL)) < 0 ||
	    (rc = adr_repo_records(&res->records, repo, NULL, ADR_PARSE_LENIENT)) < 0 ||
	    (rc = adr_links_walk(&res->links, repo)) < 0)
		goto cleanup;
	if ((res->links.count && !(touches = adr__calloc(res->links.count, sizeof(*touches)))) ||
	    (res->records.count && !(res->items = adr__calloc(res->records.count, sizeof(*res->items))))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = find_touches(touches, repo, &res->links, res->path)) < 0 ||
	    (rc = find_problems(res, repo)) < 0)
		goto cleanup;
	for (size_t i = 0; i < res->records.count; i++) {
		adr_why_item *it = &res->items[res->count];
		if ((rc = fill_item(it, res->records.items[i], res, touches)) < 0) {
			res->count++; /* freed with the others */
			goto cleanup;
		}
		if (it->record)
			res->count++;
	}
cleanup:
	free(touches);
	if (rc < 0)
		adr_why_result_free(res);
	else
		*out = res;
	return rc;
}

void adr_why_result_free(adr_why_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->count; i++) {
		free(res->items[i].globs);
		free(res->items[i].commits);
	}
	free(res->items);
	free(res->path);
	adr_recordset_dispose(&res->records);
	adr_commit_links_dispose(&res->links);
	adr_strlist_dispose(&res->warnings);
	free(res);
}
