/*
 * log/scope.c: what a proposal branch may change.
 *
 * A proposal branch carries its record, <dir>/<slug>.md, and may add the
 * images that record shows, when they lie under the records directory and
 * are new (not on the decision branch where the proposal started). Every
 * other path it changes would reach the decision branch with the decision:
 * accept and reject refuse such a branch (adr__branch_outside()), and a
 * thread marks the commits (adr__commit_outside()).
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/html.h"
#include "text/markdown.h"
#include "log/proposal_internal.h"
#include "util/error.h"

static bool image_path(const char *path)
{
	static const char *const ok[] = { "png", "jpg", "jpeg", "gif", "webp", "avif", NULL };
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return false;
	for (size_t i = 0; ok[i]; i++)
		if (strcasecmp(dot + 1, ok[i]) == 0)
			return true;
	return false;
}

typedef struct {
	adr_strlist *out;
	const char *base_dir;       /* the record's directory */
	const char *records_dir;
	git_tree *base;             /* the tree the proposal started from, or NULL */
} image_ctx;

static int image_cb(adr_buf *out, const char *url, bool is_image, void *payload)
{
	image_ctx *c = payload;
	adr_buf path = ADR_BUF_INIT;
	git_tree_entry *e = NULL;
	size_t dl = strlen(c->records_dir);
	int rc = ADR_MD_KEEP;

	(void)out;
	if (!is_image)
		return ADR_MD_KEEP;
	/* Not a path inside the repository: no file the branch may add. */
	if (adr_html_resolve_link(&path, NULL, c->base_dir, url) < 0) {
		adr_error_clear();
		goto cleanup;
	}
	if (strncmp(path.ptr, c->records_dir, dl) != 0 || path.ptr[dl] != '/' || !image_path(path.ptr))
		goto cleanup;
	/* An image the decision branch already had belongs to it. */
	if (c->base && git_tree_entry_bypath(&e, c->base, path.ptr) == 0)
		goto cleanup;
	git_error_clear();
	if (adr_strlist_add_unique(c->out, path.ptr) < 0)
		rc = ADR_ENOMEM;
cleanup:
	git_tree_entry_free(e);
	adr_buf_dispose(&path);
	return rc;
}

/* The images besides its record that a proposal whose record is `path` in
 * `tree` may add (see above); `base` is where it started, or NULL. */
int adr__proposal_images(adr_strlist *out, adr_repo *repo, git_tree *tree, git_tree *base, const char *path)
{
	adr_buf text = ADR_BUF_INIT, dir = ADR_BUF_INIT;
	adr_record *r = NULL;
	adr__markdown_opts mo = ADR_MARKDOWN_OPTS_INIT;
	adr__markdown_result res = ADR_MARKDOWN_RESULT_INIT;
	const char *slash = strrchr(path, '/');
	image_ctx c;
	int rc = 0;

	/* No readable record: no image either. */
	if (adr__tree_read(&text, adr__repo_git(repo), tree, path) < 0 ||
	    adr_record_parse(&r, path, text.ptr, text.size, ADR_PARSE_LENIENT) < 0) {
		adr_error_clear();
		goto cleanup;
	}
	adr_buf_put(&dir, path, slash ? (size_t)(slash - path) : 0);
	if (adr_buf_oom(&dir)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	c.out = out;
	c.base_dir = dir.ptr;
	c.records_dir = adr_repo_records_dir(repo);
	c.base = base;
	mo.link = image_cb;
	mo.payload = &c;
	rc = adr__markdown_render(&res, r->body ? r->body : "", r->body ? strlen(r->body) : 0, &mo);
cleanup:
	adr__markdown_result_dispose(&res);
	adr_record_free(r);
	adr_buf_dispose(&text);
	adr_buf_dispose(&dir);
	return rc;
}

/* The tree of commit `id` (NULL id: no tree, for an empty start). */
int adr__tree_of(git_tree **out, git_repository *git, const git_oid *id)
{
	git_commit *c = NULL;
	int rc;
	*out = NULL;
	if (!id)
		return 0;
	if ((rc = git_commit_lookup(&c, git, id)) < 0 || (rc = git_commit_tree(out, c)) < 0)
		rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(id));
	git_commit_free(c);
	return rc;
}

/*
 * The paths the proposal branch at `tip` changed since its merge base with
 * the decision branch tip `base` that it may not change (see above), for a
 * record at `record`. A branch with no common history changed everything.
 */
int adr__branch_outside(adr_strlist *out, adr_repo *repo, const git_oid *tip, const git_oid *base,
			  const char *record)
{
	git_repository *git = adr__repo_git(repo);
	git_tree *tt = NULL, *bt = NULL;
	git_diff *diff = NULL;
	adr_strlist imgs = ADR_STRLIST_INIT;
	git_oid mb;
	bool have_mb = false;
	int rc;

	if ((rc = git_merge_base(&mb, git, tip, base)) == 0)
		have_mb = true;
	else if (rc != GIT_ENOTFOUND) {
		rc = adr__error_git(rc, "cannot find where %s left the decision branch", record);
		goto cleanup;
	}
	git_error_clear();
	if ((rc = adr__tree_of(&tt, git, tip)) < 0 || (rc = adr__tree_of(&bt, git, have_mb ? &mb : NULL)) < 0 ||
	    (rc = adr__proposal_images(&imgs, repo, tt, bt, record)) < 0)
		goto cleanup;
	if ((rc = git_diff_tree_to_tree(&diff, git, bt, tt, NULL)) < 0) {
		rc = adr__error_git(rc, "cannot compare the proposal with the decision branch");
		goto cleanup;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const bool gone = d->status == GIT_DELTA_DELETED;
		const char *path = gone ? d->old_file.path : d->new_file.path;
		/* Its record (whatever is wrong with it is said when it is read). */
		if (!gone && strcmp(path, record) == 0)
			continue;
		if (d->status == GIT_DELTA_ADDED && d->new_file.mode == GIT_FILEMODE_BLOB &&
		    adr_strlist_contains(&imgs, path))
			continue;
		if (adr_strlist_add_unique(out, path) < 0) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	git_diff_free(diff);
	git_tree_free(tt);
	git_tree_free(bt);
	adr_strlist_dispose(&imgs);
	return rc;
}

/* True when parent `k` of `c` has the path of `d` as `d` leaves it. */
static bool same_in_parent(git_commit *c, unsigned k, const git_diff_delta *d)
{
	git_commit *pk = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	bool same = false;

	if (git_commit_parent(&pk, c, k) == 0 && git_commit_tree(&t, pk) == 0) {
		if (d->status == GIT_DELTA_DELETED)
			same = git_tree_entry_bypath(&e, t, d->old_file.path) != 0;
		else
			same = git_tree_entry_bypath(&e, t, d->new_file.path) == 0 &&
			       git_oid_equal(git_tree_entry_id(e), &d->new_file.id) &&
			       git_tree_entry_filemode(e) == (git_filemode_t)d->new_file.mode;
	}
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(pk);
	return same;
}

/* The paths commit `c` itself changed (for a merge: what differs from every
 * parent, as git's combined diff shows it) that are neither `record` nor
 * one of `imgs`. */
int adr__commit_outside(adr_strlist *out, git_repository *git, git_commit *c, const char *record,
			  const adr_strlist *imgs)
{
	unsigned np = git_commit_parentcount(c);
	git_commit *p0 = NULL;
	git_tree *ct = NULL, *pt = NULL;
	git_diff *diff = NULL;
	int rc;

	if ((rc = git_commit_tree(&ct, c)) < 0 ||
	    (np && ((rc = git_commit_parent(&p0, c, 0)) < 0 || (rc = git_commit_tree(&pt, p0)) < 0))) {
		rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(git_commit_id(c)));
		goto cleanup;
	}
	if ((rc = git_diff_tree_to_tree(&diff, git, pt, ct, NULL)) < 0) {
		rc = adr__error_git(rc, "cannot read what commit %s changed", git_oid_tostr_s(git_commit_id(c)));
		goto cleanup;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
		bool same = false;
		if (strcmp(path, record) == 0 || adr_strlist_contains(imgs, path))
			continue;
		for (unsigned k = 1; k < np && !same; k++)
			same = same_in_parent(c, k, d);
		if (!same && adr_strlist_add_unique(out, path) < 0) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	git_diff_free(diff);
	git_tree_free(ct);
	git_tree_free(pt);
	git_commit_free(p0);
	return rc;
}

/* Refuses a decision on a branch that changed `paths` besides its record. */
int adr__outside_error(const adr_strlist *paths, adr_repo *repo, const char *ref, const char *slug,
			 const char *record)
{
	adr_buf names = ADR_BUF_INIT;
	int rc;
	for (size_t i = 0; i < paths->count && i < 20; i++)
		adr_buf_printf(&names, "%s'%s'", i ? ", " : "", paths->items[i]);
	if (paths->count > 20)
		adr_buf_printf(&names, " and %zu more", paths->count - 20);
	rc = adr__error(ADR_EINVALID, "%s changes files outside its record: %s; a proposal may change only '%s' "
				      "(and add images it shows under '%s/'); revert those changes on the branch (adr "
				      "thread %s marks the commits that made them) and try again; nothing was written",
			adr__ref_short(ref), adr_buf_oom(&names) ? "(out of memory)" : names.ptr, record,
			adr_repo_records_dir(repo), slug);
	adr_buf_dispose(&names);
	return rc;
}
