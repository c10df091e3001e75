/*
 * git/advance.c: moves a branch to a commit that already exists (a
 * fast-forward from the remote, or the result of integrating with it), by
 * one compare-and-swap, with every work tree where the branch is checked out
 * brought along through the same steps as adr_repo_commit (worktree.c):
 * locked, checked clean, files written and staged before the ref moves,
 * taken back when it does not.
 */
#include "git/integrate_internal.h"
#include "git/worktree_internal.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

typedef struct {
	adr__wt_file *files;
	adr_buf *data;
	size_t n, alloc;
} file_list;

static void files_dispose(file_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->files[i].path);
		adr_buf_dispose(&l->data[i]);
	}
	free(l->files);
	free(l->data);
}

static int read_failed(int rc, const char *what)
{
	return adr__error_git(rc, "cannot read '%s'", what);
}

static int add_file(file_list *l, git_repository *git, const git_diff_delta *d)
{
	bool del = d->status == GIT_DELTA_DELETED;
	const git_diff_file *f = del ? &d->old_file : &d->new_file;
	git_blob *blob = NULL;
	size_t cap = l->alloc;
	int rc;

	const char *kind = f->mode == GIT_FILEMODE_BLOB_EXECUTABLE ? "an executable file" : "a link or submodule";

	if (!del && f->mode != GIT_FILEMODE_BLOB)
		return adr__error(ADR_EINVALID, "'%s' changes to %s, which adr cannot bring into the work tree; "
						"update the branch with git instead",
				  f->path, kind);
	if (ADR_ARRAY_GROW(l->files, l->alloc, l->n + 1) < 0)
		return ADR_ENOMEM;
	if (l->alloc != cap) {
		adr_buf *d2 = adr__reallocarray(l->data, l->alloc, sizeof(*d2));
		ADR_ALLOC_CHECK(d2);
		l->data = d2;
	}
	memset(&l->files[l->n], 0, sizeof(l->files[l->n]));
	l->data[l->n] = (adr_buf)ADR_BUF_INIT;
	if (!(l->files[l->n].path = adr__strdup(f->path)))
		return ADR_ENOMEM;
	l->files[l->n].del = del;
	l->files[l->n].id = f->id;
	l->n++;
	if (del)
		return 0;
	if ((rc = git_blob_lookup(&blob, git, &f->id)) < 0)
		return read_failed(rc, f->path);
	rc = adr_buf_set(&l->data[l->n - 1], git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	if (rc < 0)
		return ADR_ENOMEM;
	l->files[l->n - 1].data = l->data[l->n - 1].ptr;
	l->files[l->n - 1].len = l->data[l->n - 1].size;
	return 0;
}

/* The files that differ between the trees of `old` and `new_id`. */
static int changed_files(file_list *l, git_tree **old_tree, git_repository *git, const git_oid *old,
			 const git_oid *new_id)
{
	git_commit *a = NULL, *b = NULL;
	git_tree *tb = NULL;
	git_diff *diff = NULL;
	int rc;

	/* No `old`: an unborn branch, every file of `new_id` is new. */
	if ((old && ((rc = git_commit_lookup(&a, git, old)) < 0 || (rc = git_commit_tree(old_tree, a)) < 0)) ||
	    (rc = git_commit_lookup(&b, git, new_id)) < 0 || (rc = git_commit_tree(&tb, b)) < 0 ||
	    (rc = git_diff_tree_to_tree(&diff, git, *old_tree, tb, NULL)) < 0) {
		rc = read_failed(rc, git_oid_tostr_s(new_id));
		goto cleanup;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff) && rc == 0; i++)
		rc = add_file(l, git, git_diff_get_delta(diff, i));
cleanup:
	git_diff_free(diff);
	git_tree_free(tb);
	git_commit_free(a);
	git_commit_free(b);
	return rc;
}

static int busy(const char *branch)
{
	return adr__error(ADR_EBUSY, "'%s' changed while adr was updating it; nothing was lost, try again", branch);
}

static int cas(git_repository *git, const char *branch, const git_oid *old, const git_oid *new_id, const char *reflog)
{
	git_reference *ref = NULL;
	int rc = old ? git_reference_create_matching(&ref, git, branch, new_id, 1, old, reflog)
		     : git_reference_create(&ref, git, branch, new_id, 0, reflog);
	git_reference_free(ref);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS || rc == GIT_ELOCKED)
		return busy(branch);
	if (rc < 0)
		return adr__error_git(rc, "cannot update '%s'", branch);
	return 0;
}

int adr__branch_advance(adr_repo *repo, const char *branch, const git_oid *old, const git_oid *new_id,
			const char *reflog, adr_buf *warning)
{
	git_repository *git = adr__repo_git(repo);
	adr__wt_set *wts = NULL;
	file_list l = { NULL, NULL, 0, 0 };
	git_tree *old_tree = NULL;
	adr_buf notes = ADR_BUF_INIT;
	int rc;

	if ((rc = adr__wt_lock(&wts, repo, branch, &notes)) < 0)
		goto cleanup;
	if (adr__wt_count(wts)) {
		git_oid now;
		int found = git_reference_name_to_id(&now, git, branch) == 0;
		git_error_clear();
		if (old ? !found || !git_oid_equal(&now, old) : found) {
			rc = busy(branch);
			goto cleanup;
		}
		if ((rc = changed_files(&l, &old_tree, git, old, new_id)) < 0 ||
		    (rc = adr__wt_check(wts, l.files, l.n, old_tree)) < 0)
			goto cleanup;
		if ((rc = adr__wt_stage(wts, branch, old, new_id)) < 0) {
			adr__wt_undo(wts);
			goto cleanup;
		}
	}
	if ((rc = cas(git, branch, old, new_id, reflog)) < 0) {
		adr__wt_undo(wts);
		goto cleanup;
	}
	if (adr__wt_count(wts) && adr__wt_finish(wts) < 0) {
		adr_buf_printf(warning, "'%s' moved, but the work tree could not follow: %s; the next adr command "
					"finishes it",
			       branch, adr_error_last());
		adr_error_clear();
	}
cleanup:
	if (notes.size)
		adr_buf_printf(warning, "%s%s", warning->size ? "\n" : "", notes.ptr);
	adr__wt_release(wts);
	files_dispose(&l);
	git_tree_free(old_tree);
	adr_buf_dispose(&notes);
	return rc;
}
