/*
 * log/hooks_remote.c: what the pre-push and post-merge hooks look at
 * (adr/hooks.h): duplicate record numbers about to be published, or
 * brought in by a pull, and which of the records is published (that one
 * keeps its number: git/published.h). They warn; they never block.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/hooks.h"
#include "log/check_internal.h"
#include "git/published.h"
#include "util/alloc.h"
#include "util/error.h"

typedef struct {
	int number;
	char *path;
	bool published;
} numbered_file;

typedef struct {
	numbered_file *items;
	size_t count, alloc;
} numbered_files;

static void files_dispose(numbered_files *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i].path);
	free(l->items);
}

static int cmp_file(const void *a, const void *b)
{
	const numbered_file *x = a, *y = b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->path, y->path);
}

/* The numbered record files of `root` (by file name: nothing is parsed,
 * so a push of 10,000 records stays quick), sorted, each marked published
 * or not. */
static int tree_files(numbered_files *out, adr_repo *repo, git_tree *root, const adr__published *p)
{
	git_tree_entry *dirent = NULL;
	git_tree *dir = NULL;
	adr_buf path = ADR_BUF_INIT;
	int rc, n;

	if ((rc = git_tree_entry_bypath(&dirent, root, repo->records_dir)) == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0 || git_tree_entry_type(dirent) != GIT_OBJECT_TREE ||
	    (rc = git_tree_lookup(&dir, repo->git, git_tree_entry_id(dirent))) < 0) {
		git_tree_entry_free(dirent);
		git_error_clear();
		return 0;
	}
	for (size_t i = 0; i < git_tree_entrycount(dir) && rc >= 0; i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(dir, i));
		numbered_file *f;
		if (!adr__is_markdown(name) || adr_record_parse_filename(&n, NULL, name) < 0) {
			adr_error_clear();
			continue;
		}
		if ((rc = ADR_ARRAY_GROW(out->items, out->alloc, out->count + 1)) < 0)
			break;
		f = &out->items[out->count];
		f->number = n;
		f->published = false;
		adr_buf_clear(&path);
		adr_buf_printf(&path, "%s/%s", repo->records_dir, name);
		if (adr_buf_oom(&path) || !(f->path = adr__strdup(path.ptr))) {
			rc = ADR_ENOMEM;
			break;
		}
		out->count++;
		if ((rc = adr__published_has(p, f->path, NULL, NULL)) >= 0)
			f->published = rc == 1;
	}
	adr_buf_dispose(&path);
	git_tree_free(dir);
	git_tree_entry_free(dirent);
	if (rc < 0)
		return rc;
	if (out->count)
		qsort(out->items, out->count, sizeof(*out->items), cmp_file);
	return 0;
}

/* One finding per number that several files of `files` have. */
static int report_duplicates(adr_findings *out, const numbered_files *files, const char *where)
{
	int rc = 0;
	for (size_t i = 0; i < files->count && rc == 0;) {
		size_t j = i + 1;
		adr_buf b = ADR_BUF_INIT;
		while (j < files->count && files->items[j].number == files->items[i].number)
			j++;
		if (j - i > 1) {
			adr_buf_printf(&b, "number %04d is used by", files->items[i].number);
			for (size_t k = i; k < j; k++)
				adr_buf_printf(&b, "%s %s%s", k == i ? "" : (k + 1 == j ? " and" : ","), files->items[k].path,
					       files->items[k].published ? " (published)" : "");
			adr_buf_printf(&b, " %s", where);
			rc = adr_buf_oom(&b) ? ADR_ENOMEM
					     : adr__findings_add(out, files->items[i].path, 1, 1, "duplicate-number", "%s",
								b.ptr);
		}
		adr_buf_dispose(&b);
		i = j;
	}
	return rc;
}

/* One finding per file that is not published while a different published
 * record has its number. */
static int report_taken(adr_findings *out, adr_repo *repo, const numbered_files *files, const adr__published *p)
{
	adr_buf path = ADR_BUF_INIT;
	const char *ref = NULL;
	int rc = 0;
	for (size_t i = 0; i < files->count && rc >= 0; i++) {
		if (files->items[i].published)
			continue;
		rc = adr__published_number(p, repo, files->items[i].number, &path, &ref);
		if (rc == 1 && strcmp(path.ptr, files->items[i].path))
			rc = adr__findings_add(out, files->items[i].path, 1, 1, "duplicate-number",
					      "number %04d is taken on %s by %s, which is published; this record is not",
					      files->items[i].number, ref, path.ptr);
	}
	adr_buf_dispose(&path);
	return rc < 0 ? rc : 0;
}

/* The update line "<local ref> <local id> <remote ref> <remote id>". */
static int parse_update(const char *line, size_t len, char *lref, size_t lsize, git_oid *lid, char *rref,
			size_t rsize, git_oid *rid)
{
	char lhex[41], rhex[41];
	char fmt[64];
	adr_buf b = ADR_BUF_INIT;
	int ok;
	adr_buf_put(&b, line, len);
	if (adr_buf_oom(&b))
		return ADR_ENOMEM;
	snprintf(fmt, sizeof(fmt), "%%%zus %%40s %%%zus %%40s", lsize - 1, rsize - 1);
	ok = sscanf(b.ptr, fmt, lref, lhex, rref, rhex) == 4 && git_oid_fromstr(lid, lhex) == 0 &&
	     git_oid_fromstr(rid, rhex) == 0;
	git_error_clear();
	if (!ok)
		ok = adr__error(ADR_EINVALID, "'%.80s' is not '<local ref> <local id> <remote ref> <remote id>'",
				b.ptr);
	adr_buf_dispose(&b);
	return ok < 0 ? ok : 0;
}

/* One update of the decision branch: what it pushes against what is published. */
static int check_update(adr_findings *out, adr_repo *repo, const char *remote, const char *rref, const git_oid *lid,
			const git_oid *rid)
{
	adr__published p = ADR__PUBLISHED_INIT;
	numbered_files files = { NULL, 0, 0 };
	git_commit *c = NULL;
	git_tree *tree = NULL;
	adr_buf where = ADR_BUF_INIT;
	git_odb *odb = NULL;
	int rc;

	if ((rc = git_commit_lookup(&c, repo->git, lid)) < 0 || (rc = git_commit_tree(&tree, c)) < 0) {
		rc = adr__error_git(rc, "cannot read commit %s, which is being pushed", git_oid_tostr_s(lid));
		goto cleanup;
	}
	if ((rc = adr__published_load(&p, repo, NULL)) < 0)
		goto cleanup;
	/* What the remote has now, when this repository has it too. */
	if (!git_oid_is_zero(rid) && git_repository_odb(&odb, repo->git) == 0 && git_odb_exists(odb, rid)) {
		adr_buf_printf(&where, "%s %s", remote, rref);
		if ((rc = adr_buf_oom(&where) ? ADR_ENOMEM : adr__published_add(&p, repo, where.ptr, rid)) < 0)
			goto cleanup;
	}
	git_error_clear();
	adr_buf_clear(&where);
	adr_buf_printf(&where, "in what is being pushed to %s %s", remote, rref);
	if (adr_buf_oom(&where)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = tree_files(&files, repo, tree, &p)) < 0 || (rc = report_duplicates(out, &files, where.ptr)) < 0)
		goto cleanup;
	rc = report_taken(out, repo, &files, &p);
cleanup:
	git_odb_free(odb);
	adr_buf_dispose(&where);
	files_dispose(&files);
	adr__published_dispose(&p);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

int adr_hooks_pre_push(adr_findings *out, adr_repo *repo, const char *remote, const char *updates)
{
	const char *branch = repo->branch;
	int rc = 0;

	if (strncmp(branch, "refs/heads/", 11) != 0)
		return 0;
	for (const char *s = updates; *s && rc == 0;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char lref[1024], rref[1024];
		git_oid lid, rid;
		if (len && !(len == 1 && s[0] == '\r') &&
		    (rc = parse_update(s, len, lref, sizeof(lref), &lid, rref, sizeof(rref), &rid)) == 0 &&
		    !strcmp(rref, branch) && !git_oid_is_zero(&lid))
			rc = check_update(out, repo, remote, rref, &lid, &rid);
		s += len + (nl ? 1 : 0);
	}
	return rc;
}

int adr_hooks_post_merge(adr_findings *out, adr_repo *repo)
{
	adr__published p = ADR__PUBLISHED_INIT;
	numbered_files files = { NULL, 0, 0 };
	git_reference *head = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	adr_buf where = ADR_BUF_INIT;
	int rc;

	/* Only a merge into the decision branch changes its numbers. */
	if (git_repository_head(&head, repo->git) < 0 || strcmp(git_reference_name(head), repo->branch)) {
		git_error_clear();
		rc = 0;
		goto cleanup;
	}
	if ((rc = git_commit_lookup(&c, repo->git, git_reference_target(head))) < 0 ||
	    (rc = git_commit_tree(&tree, c)) < 0) {
		rc = adr__error_git(rc, "cannot read the tip of %s", repo->branch);
		goto cleanup;
	}
	adr_buf_printf(&where, "on %s", repo->branch);
	if (adr_buf_oom(&where)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = adr__published_load(&p, repo, NULL)) < 0 || (rc = tree_files(&files, repo, tree, &p)) < 0)
		goto cleanup;
	rc = report_duplicates(out, &files, where.ptr);
cleanup:
	adr_buf_dispose(&where);
	files_dispose(&files);
	adr__published_dispose(&p);
	git_tree_free(tree);
	git_commit_free(c);
	git_reference_free(head);
	return rc;
}
