/*
 * git/walk.c: the one revision walk (git/walk.h): libgit2's revwalk, and
 * the walk of a shallow clone that stops at its boundary.
 */
#include "git/walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

int adr__shallow_read(adr__oidmap *out, adr_repo *repo)
{
	adr_buf path = ADR_BUF_INIT;
	FILE *f;
	char line[128];
	int rc = 0;

	adr_buf_printf(&path, "%sshallow", adr_repo_commondir(repo));
	if (adr_buf_oom(&path))
		return ADR_ENOMEM;
	f = fopen(path.ptr, "r");
	adr_buf_dispose(&path);
	if (!f)
		return 0;
	while (rc == 0 && fgets(line, sizeof(line), f)) {
		git_oid id;
		int grc;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		/* A boundary that cannot be read would let a walk run past it
		 * into commits that are not here. */
		if ((grc = git_oid_fromstr(&id, line)) < 0)
			rc = adr__error_git(grc, "cannot read the shallow boundary '%.64s' in %sshallow", line,
					    adr_repo_commondir(repo));
		else
			rc = adr__oidmap_put(out, &id, &id);
	}
	fclose(f);
	return rc;
}

/* --- the walk of a shallow clone ------------------------------------------- */

typedef struct {
	git_repository *git;
	git_odb *odb;
	const adr__oidmap *shallow;
	git_oid *list;              /* what reach() listed */
	size_t n, alloc;
} shallow_walk;

static int read_commit(git_commit **out, git_repository *git, const git_oid *id)
{
	int rc = git_commit_lookup(out, git, id);
	return rc < 0 ? adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(id)) : 0;
}

/* Marks everything reachable from `from` (parents that are missing or
 * beyond a shallow boundary are not followed) in `seen`, and with `list`
 * lists it in sw->list. */
static int reach(adr__oidmap *seen, bool list, shallow_walk *sw, const git_oid *from)
{
	git_oid *stack = NULL;
	size_t top = 0, alloc = 0;
	int rc = 0;

	if (adr__oidmap_get(seen, from))
		return 0;
	if (ADR_ARRAY_GROW(stack, alloc, 16) < 0)
		return ADR_ENOMEM;
	stack[top++] = *from;
	if ((rc = adr__oidmap_put(seen, from, from)) < 0)
		goto cleanup;
	while (top) {
		git_oid id = stack[--top];
		git_commit *c = NULL;
		if (list) {
			if ((rc = ADR_ARRAY_GROW(sw->list, sw->alloc, sw->n + 1)) < 0)
				goto cleanup;
			sw->list[sw->n++] = id;
		}
		if (adr__oidmap_get(sw->shallow, &id))
			continue;
		if ((rc = read_commit(&c, sw->git, &id)) < 0)
			goto cleanup;
		for (unsigned i = 0; i < git_commit_parentcount(c) && rc == 0; i++) {
			const git_oid *p = git_commit_parent_id(c, i);
			if (adr__oidmap_get(seen, p) || !git_odb_exists(sw->odb, p))
				continue;
			if ((rc = ADR_ARRAY_GROW(stack, alloc, top + 1)) < 0)
				break;
			stack[top++] = *p;
			rc = adr__oidmap_put(seen, p, p);
		}
		git_commit_free(c);
		if (rc < 0)
			goto cleanup;
	}
cleanup:
	free(stack);
	return rc;
}

/* How many children each listed commit has in the list (in val.id[0]). */
static int count_children(adr__oidmap *children, shallow_walk *sw)
{
	git_oid zero;
	int rc;

	memset(&zero, 0, sizeof(zero));
	for (size_t i = 0; i < sw->n; i++)
		if ((rc = adr__oidmap_put(children, &sw->list[i], &zero)) < 0)
			return rc;
	for (size_t i = 0; i < sw->n; i++) {
		git_commit *c = NULL;
		if (adr__oidmap_get(sw->shallow, &sw->list[i]))
			continue;
		if ((rc = read_commit(&c, sw->git, &sw->list[i])) < 0)
			return rc;
		for (unsigned p = 0; p < git_commit_parentcount(c); p++) {
			git_oid *v = (git_oid *)adr__oidmap_get(children, git_commit_parent_id(c, p));
			if (v)
				v->id[0]++;
		}
		git_commit_free(c);
	}
	return 0;
}

/* Kahn: the listed commits, each once all its children are out, into `order`. */
static int children_first(git_oid *order, shallow_walk *sw)
{
	adr__oidmap children = { 0 };
	git_oid *ready = NULL;
	size_t nready = 0, norder = 0;
	int rc;

	if ((rc = count_children(&children, sw)) < 0)
		goto cleanup;
	if (!(ready = adr__reallocarray(NULL, sw->n ? sw->n : 1, sizeof(*ready)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < sw->n; i++)
		if (adr__oidmap_get(&children, &sw->list[i])->id[0] == 0)
			ready[nready++] = sw->list[i];
	while (nready && rc == 0) {
		git_oid id = ready[--nready];
		git_commit *c = NULL;
		order[norder++] = id;
		if (adr__oidmap_get(sw->shallow, &id))
			continue;
		if ((rc = read_commit(&c, sw->git, &id)) < 0)
			break;
		for (unsigned p = 0; p < git_commit_parentcount(c); p++) {
			git_oid *v = (git_oid *)adr__oidmap_get(&children, git_commit_parent_id(c, p));
			if (v && --v->id[0] == 0)
				ready[nready++] = *git_commit_parent_id(c, p);
		}
		git_commit_free(c);
	}
cleanup:
	free(ready);
	adr__oidmap_free(&children);
	return rc;
}

/* The walk of a shallow clone: the commits reachable from `tip` and not
 * from `hide`, in order, each handed to `fn`. */
static int walk_shallow(shallow_walk *sw, const git_oid *tip, const adr__walk_opts *o, adr__walk_fn fn,
			void *payload)
{
	adr__oidmap seen = { 0 };
	git_oid *order = NULL;
	int rc = 0;

	/* seen starts as the hidden set, so the walk stops there */
	if (o->hide && (rc = reach(&seen, false, sw, o->hide)) < 0)
		goto cleanup;
	if ((rc = reach(&seen, true, sw, tip)) < 0)
		goto cleanup;
	if (!(order = adr__reallocarray(NULL, sw->n ? sw->n : 1, sizeof(*order)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = children_first(order, sw)) < 0)
		goto cleanup;
	for (size_t k = 0; k < sw->n && rc == 0; k++) {
		git_commit *c = NULL;
		if ((rc = read_commit(&c, sw->git, &order[o->oldest_first ? sw->n - 1 - k : k])) < 0)
			break;
		rc = fn(c, payload);
		git_commit_free(c);
	}
cleanup:
	free(order);
	adr__oidmap_free(&seen);
	return rc < 0 ? rc : 0;
}

/* --- libgit2's revwalk ------------------------------------------------------ */

/* Pushes a ref ("HEAD" too); one that is unborn or missing is skipped. */
static int push_ref(git_revwalk *walk, const char *ref)
{
	int rc = strcmp(ref, "HEAD") == 0 ? git_revwalk_push_head(walk) : git_revwalk_push_ref(walk, ref);
	if (rc < 0 && rc != GIT_ENOTFOUND && rc != GIT_EUNBORNBRANCH)
		return adr__error_git(rc, "cannot walk %s", ref);
	return 0;
}

static int walk_revwalk(git_repository *git, const adr__walk_opts *o, adr__walk_fn fn, void *payload)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int rc;

	if ((rc = git_revwalk_new(&walk, git)) < 0 ||
	    (rc = git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME |
						    (o->oldest_first ? GIT_SORT_REVERSE : 0))) < 0 ||
	    (o->from && (rc = git_revwalk_push(walk, o->from)) < 0) ||
	    (o->hide && (rc = git_revwalk_hide(walk, o->hide)) < 0)) {
		rc = adr__error_git(rc, "cannot walk %s", o->what);
		goto cleanup;
	}
	for (size_t i = 0; i < 2; i++)
		if (o->from_refs[i] && (rc = push_ref(walk, o->from_refs[i])) < 0)
			goto cleanup;
	while ((rc = git_revwalk_next(&id, walk)) == 0) {
		git_commit *c = NULL;
		if ((rc = read_commit(&c, git, &id)) < 0)
			goto cleanup;
		rc = fn(c, payload);
		git_commit_free(c);
		if (rc != 0)
			goto cleanup;
	}
	if (rc != GIT_ITEROVER)
		rc = adr__error_walk(git, rc, "cannot walk %s", o->what);
cleanup:
	git_revwalk_free(walk);
	return rc == GIT_ITEROVER || rc > 0 ? 0 : rc;
}

int adr__walk(adr_repo *repo, const adr__walk_opts *o, adr__walk_fn fn, void *payload)
{
	git_repository *git = adr__repo_git(repo);
	adr__oidmap own = { 0 };
	shallow_walk sw;
	int rc;

	if (!o->stop_at_shallow || !o->from)
		return walk_revwalk(git, o, fn, payload);
	memset(&sw, 0, sizeof(sw));
	sw.git = git;
	sw.odb = o->odb;
	sw.shallow = o->shallow;
	if (!sw.shallow) {
		if ((rc = adr__shallow_read(&own, repo)) < 0)
			return rc;
		sw.shallow = &own;
	}
	if (sw.shallow->count)
		rc = walk_shallow(&sw, o->from, o, fn, payload);
	else
		rc = walk_revwalk(git, o, fn, payload);
	free(sw.list);
	adr__oidmap_free(&own);
	return rc;
}
