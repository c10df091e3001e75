/*
 * log/sync_renumber.c: the renumbering adr sync does after putting local
 * records on top of the remote's (log/sync_internal.h). It is adr
 * renumber's rule (log/renumber.c) where sync already knows the answer to
 * "which record keeps the number": the published one. So only the records
 * the remote does not have are read: a record added locally whose number is
 * taken moves to the next free number, and the records added or changed
 * locally (the only ones that can mean it) have their links, supersessions
 * and Markdown links to it rewritten. Nothing else is parsed, so the cost
 * does not grow with the size of the log; the commit carries the same
 * trailers as adr renumber's.
 */
#include "log/sync_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "git/repo_internal.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/path.h"

typedef struct {
	adr_renumber_result *res;
	const adr_strlist *added, *changed;
} sr_ctx;

typedef struct {
	adr_record *r;
	int old_number;
	int to;          /* the new number, or -1 */
	bool dirty;
	char *old_path;
} sr_rec;

/* The numbers in the records directory of the tip: *max the highest, and
 * `published` marks those held by a record that is not in `added`. */
static int tip_numbers(adr_change *ch, const adr_strlist *added, unsigned char **published, int *max)
{
	git_repository *git = adr__repo_git(adr_change_repo(ch));
	const char *dir = adr_repo_records_dir(adr_change_repo(ch));
	git_commit *c = NULL;
	git_tree *root = NULL, *t = NULL;
	git_tree_entry *e = NULL;
	git_oid id;
	adr_buf path = ADR_BUF_INIT;
	int rc = 0;

	*max = 0;
	if (git_oid_fromstr(&id, adr_change_base(ch)) < 0 || git_commit_lookup(&c, git, &id) < 0 ||
	    git_commit_tree(&root, c) < 0 || git_tree_entry_bypath(&e, root, dir) < 0 ||
	    git_tree_lookup(&t, git, git_tree_entry_id(e)) < 0) {
		rc = adr__error_git(-1, "cannot read the records of %s", adr_change_base(ch));
		goto cleanup;
	}
	for (size_t pass = 0; pass < 2 && rc == 0; pass++) {
		if (pass == 1 && !(*published = adr__calloc((size_t)*max + 2, 1))) {
			rc = ADR_ENOMEM;
			break;
		}
		for (size_t i = 0; i < git_tree_entrycount(t); i++) {
			const char *name = git_tree_entry_name(git_tree_entry_byindex(t, i));
			int n;
			if (!adr__is_markdown(name) || adr_record_parse_filename(&n, NULL, name) < 0 || n < 0)
				continue;
			if (pass == 0 && n > *max)
				*max = n;
			adr_buf_clear(&path);
			adr_buf_printf(&path, "%s/%s", dir, name);
			if (pass == 1 && !adr_strlist_contains(added, path.ptr))
				(*published)[n] = 1;
		}
		adr_error_clear();
	}
cleanup:
	adr_buf_dispose(&path);
	git_tree_free(t);
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(c);
	return rc;
}

/* Reads the changed records (lenient: a file that is not a record is left out). */
static int read_changed(sr_rec **out, size_t *n, adr_change *ch, const adr_strlist *changed)
{
	sr_rec *v = adr__calloc(changed->count + 1, sizeof(*v));
	adr_buf text = ADR_BUF_INIT;
	int rc = 0;

	ADR_ALLOC_CHECK(v);
	*out = v;
	*n = 0;
	for (size_t i = 0; i < changed->count && rc == 0; i++) {
		adr_record *r = NULL;
		adr_buf_clear(&text);
		if (adr_change_read(ch, &text, changed->items[i]) < 0 ||
		    adr_record_parse(&r, changed->items[i], text.ptr, text.size, 0) < 0 || r->number < 0) {
			adr_record_free(r);
			adr_error_clear();
			continue;
		}
		v[*n].r = r;
		v[*n].old_number = r->number;
		v[*n].to = -1;
		if (!(v[*n].old_path = adr__strdup(changed->items[i])))
			rc = ADR_ENOMEM;
		(*n)++;
	}
	adr_buf_dispose(&text);
	return rc;
}

/* What v[k] (another changed record) says about the moved v[i]: the
 * relations v[i] answers, and Markdown links to its old file name. */
static int repoint(sr_rec *v, size_t k, const sr_rec *m, const char *old_name, const char *new_name)
{
	adr_record *x = v[k].r;
	const adr_record *r = m->r;
	adr_buf b = ADR_BUF_INIT;
	const char *s;
	size_t on = strlen(old_name);

	if (adr_intlist_contains(&r->superseded_by, v[k].old_number) && adr_intlist_replace(&x->supersedes, m->old_number, m->to))
		v[k].dirty = true;
	if (adr_intlist_contains(&r->supersedes, v[k].old_number) && adr_intlist_replace(&x->superseded_by, m->old_number, m->to))
		v[k].dirty = true;
	for (size_t j = 0; j < x->nlinks && adr_record_links_to(r, v[k].old_number); j++)
		if (x->links[j].target == m->old_number) {
			x->links[j].target = m->to;
			v[k].dirty = true;
		}
	if (!x->body || !strstr(x->body, old_name))
		return 0;
	for (s = x->body; *s;) {
		const char *t = strstr(s, "](");
		if (!t) {
			adr_buf_puts(&b, s);
			break;
		}
		t += 2;
		if (t[0] == '.' && t[1] == '/')
			t += 2;
		adr_buf_put(&b, s, (size_t)(t - s));
		if (!strncmp(t, old_name, on) && (t[on] == ')' || t[on] == '#' || t[on] == ' ')) {
			adr_buf_puts(&b, new_name);
			s = t + on;
			v[k].dirty = true;
		} else {
			s = t;
		}
	}
	if (adr_buf_oom(&b))
		return ADR_ENOMEM;
	free(x->body);
	x->body = adr_buf_detach(&b);
	return 0;
}

/* Moves v[i] to v[i].to: its file name, its "# N. Title" heading, the result item. */
static int move(adr_renumber_result *res, sr_rec *v, size_t n, size_t i)
{
	adr_record *r = v[i].r;
	adr_buf name = ADR_BUF_INIT, path = ADR_BUF_INIT, head = ADR_BUF_INIT;
	adr_renumber_item *it = adr__reallocarray(res->items, res->count + 1, sizeof(*it));
	int rc;

	ADR_ALLOC_CHECK(it);
	res->items = it;
	if ((rc = adr_record_filename(&name, v[i].to, r->slug ? r->slug : "")) < 0)
		goto cleanup;
	adr_buf_put(&path, v[i].old_path, (size_t)(adr__path_base(v[i].old_path) - v[i].old_path));
	adr_buf_puts(&path, name.ptr);
	for (size_t k = 0; k < n && rc == 0; k++)
		rc = repoint(v, k, &v[i], adr__path_base(v[i].old_path), name.ptr);
	adr_buf_printf(&head, "# %d. ", v[i].old_number);
	if (rc == 0 && r->body) {
		/* "# 7. Title" -> "# 12. Title" at the first H1 */
		char *h = !strncmp(r->body, "# ", 2) ? r->body : strstr(r->body, "\n# ");
		h = h && *h == '\n' ? h + 1 : h;
		if (h && !strncmp(h, head.ptr, head.size)) {
			adr_buf b = ADR_BUF_INIT;
			adr_buf_put(&b, r->body, (size_t)(h - r->body));
			adr_buf_printf(&b, "# %d. %s", v[i].to, h + head.size);
			if (adr_buf_oom(&b)) {
				adr_buf_dispose(&b);
				rc = ADR_ENOMEM;
				goto cleanup;
			}
			free(r->body);
			r->body = adr_buf_detach(&b);
		}
	}
	it = &res->items[res->count];
	memset(it, 0, sizeof(*it));
	/* The number stays with the record the remote published (sync renumbers
	 * only what the remote has not got). */
	it->kept_published = true;
	it->reason = ADR_RENUMBER_PUBLISHED;
	it->old_path = adr__strdup(v[i].old_path);
	it->new_path = adr__strdup(path.ptr);
	it->old_number = v[i].old_number;
	it->new_number = v[i].to;
	free(r->path);
	r->path = adr__strdup(path.ptr);
	r->number = v[i].to;
	v[i].dirty = true;
	res->count++;
	if (rc == 0 && (!it->old_path || !it->new_path || !r->path || adr_buf_oom(&path)))
		rc = ADR_ENOMEM;
cleanup:
	adr_buf_dispose(&name);
	adr_buf_dispose(&path);
	adr_buf_dispose(&head);
	return rc;
}

static void reset(adr_renumber_result *res)
{
	for (size_t i = 0; i < res->count; i++) {
		free(res->items[i].old_path);
		free(res->items[i].new_path);
	}
	res->count = 0;
	res->records_rewritten = 0;
}

static int stage(adr_change *ch, adr_renumber_result *res, sr_rec *v, size_t n)
{
	int rc = 0;
	for (size_t i = 0; i < res->count && rc == 0; i++)
		rc = adr_change_delete(ch, res->items[i].old_path);
	for (size_t i = 0; i < n && rc == 0; i++)
		if (v[i].dirty) {
			res->records_rewritten += v[i].to < 0;
			rc = adr_change_write_record(ch, v[i].r);
		}
	if (rc == 0)
		rc = adr_change_set_subject(ch, "adr: renumber %zu record%s", res->count, res->count == 1 ? "" : "s");
	if (rc == 0)
		rc = adr_change_add_trailer(ch, ADR_TRAILER_ACTION, "renumber");
	/* "OLD -> NEW SLUG", as adr renumber writes it: references made under
	 * the old number follow it (adr/links.h). */
	for (size_t i = 0; i < res->count && rc == 0; i++) {
		adr_buf t = ADR_BUF_INIT, slug = ADR_BUF_INIT;
		int num, prc;
		if ((rc = adr_buf_printf(&t, "%04d -> %04d", res->items[i].old_number, res->items[i].new_number)) == 0 &&
		    (prc = adr_record_parse_filename(&num, &slug, adr__path_base(res->items[i].new_path))) == 0 && slug.size &&
		    strcspn(slug.ptr, "\r\n") == slug.size)
			rc = adr_buf_printf(&t, " %s", slug.ptr);
		else if (rc == 0 && prc == ADR_ENOMEM)
			rc = ADR_ENOMEM;
		if (rc == 0)
			rc = adr_change_add_trailer(ch, ADR_TRAILER_RENUMBER, t.ptr);
		adr_buf_dispose(&t);
		adr_buf_dispose(&slug);
	}
	return rc;
}

static int sync_renumber_fn(adr_change *ch, void *payload)
{
	sr_ctx *c = payload;
	unsigned char *published = NULL;
	sr_rec *v = NULL;
	size_t n = 0;
	int max, rc;

	reset(c->res);
	if ((rc = tip_numbers(ch, c->added, &published, &max)) < 0 || (rc = read_changed(&v, &n, ch, c->changed)) < 0)
		goto cleanup;
	/* Added records whose number is published, or taken by an added one before them. */
	for (size_t i = 0; i < n; i++) {
		int num = v[i].old_number;
		bool taken = num <= max && published[num];
		if (!adr_strlist_contains(c->added, v[i].old_path))
			continue;
		for (size_t k = 0; k < i && !taken; k++)
			taken = v[k].old_number == num && adr_strlist_contains(c->added, v[k].old_path) && v[k].to < 0;
		if (taken)
			v[i].to = ++max;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		if (v[i].to >= 0)
			rc = move(c->res, v, n, i);
	if (rc == 0 && c->res->count)
		rc = stage(ch, c->res, v, n);
cleanup:
	for (size_t i = 0; v && i < n; i++) {
		adr_record_free(v[i].r);
		free(v[i].old_path);
	}
	free(v);
	free(published);
	return rc;
}

int adr__sync_renumber(adr_renumber_result *out, adr_repo *repo, const char *branch, const adr_strlist *added,
		       const adr_strlist *changed)
{
	sr_ctx c = { out, added, changed };
	adr_commit_opts o = ADR_COMMIT_OPTS_INIT;
	o.branch = branch;
	o.no_worktree = true;
	return adr_repo_commit(&out->commit, repo, sync_renumber_fn, &c, &o);
}
