/*
 * git/rawtree.c: the records directory read straight from raw tree objects
 * (no libgit2 tree parsing): finding it in a commit's tree, and what
 * changed in it between two commits (git/history_internal.h). The history
 * walk diffs thousands of records directories; most of two neighbours'
 * bytes are the same and are skipped whole.
 */
#include "git/history_internal.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/error.h"

/* One entry of a raw tree object: "<mode> <name>\0<20 bytes>". */
typedef struct {
	const char *name;
	size_t namelen;
	unsigned mode;
	const unsigned char *oid;
} raw_entry;

typedef struct {
	const char *p, *end;
} raw_iter;

static int raw_next(raw_iter *it, raw_entry *e)
{
	const char *p = it->p, *nul;
	unsigned mode = 0;

	if (p >= it->end)
		return 0;
	while (p < it->end && *p >= '0' && *p <= '7')
		mode = mode * 8 + (unsigned)(*p++ - '0');
	if (p >= it->end || *p != ' ')
		return -1;
	p++;
	if (!(nul = memchr(p, '\0', (size_t)(it->end - p))) || it->end - nul < 1 + GIT_OID_RAWSZ)
		return -1;
	e->name = p;
	e->namelen = (size_t)(nul - p);
	e->mode = mode;
	e->oid = (const unsigned char *)nul + 1;
	it->p = nul + 1 + GIT_OID_RAWSZ;
	return 1;
}

int adr__raw_tree_read(git_odb_object **out, git_odb *odb, const git_oid *id)
{
	int rc = git_odb_read(out, odb, id);
	if (rc < 0)
		return adr__error_git(rc, "cannot read tree %s", git_oid_tostr_s(id));
	if (git_odb_object_type(*out) != GIT_OBJECT_TREE) {
		git_odb_object_free(*out);
		*out = NULL;
		return adr__error(ADR_EINVALID, "object %s is not a tree", git_oid_tostr_s(id));
	}
	return 0;
}

/* Finds `name` (len n) in a raw tree; 1 with *oid and *mode set, 0 when absent. */
int adr__raw_tree_find(git_odb_object *tree, const char *name, size_t n, git_oid *oid, unsigned *mode)
{
	raw_iter it = { git_odb_object_data(tree), (const char *)git_odb_object_data(tree) + git_odb_object_size(tree) };
	raw_entry e;
	int r;
	while ((r = raw_next(&it, &e)) > 0) {
		if (e.namelen == n && memcmp(e.name, name, n) == 0) {
			git_oid_fromraw(oid, e.oid);
			*mode = e.mode;
			return 1;
		}
	}
	return r < 0 ? adr__error(ADR_EINVALID, "corrupt tree %s", git_oid_tostr_s(git_odb_object_id(tree))) : 0;
}

int adr__raw_records_dir(git_oid *out, git_odb *odb, const char *path, const git_oid *root)
{
	git_oid cur = *root;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (*path) {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		git_odb_object *t = NULL;
		unsigned mode = 0;
		git_oid next;
		if ((rc = adr__raw_tree_read(&t, odb, &cur)) < 0)
			return rc;
		rc = adr__raw_tree_find(t, path, n, &next, &mode);
		git_odb_object_free(t);
		if (rc <= 0 || mode != 040000)
			return rc < 0 ? rc : 0;
		cur = next;
		path += n;
		while (*path == '/')
			path++;
	}
	*out = cur;
	return 0;
}

static bool is_md(const char *name, size_t n)
{
	return n > 3 && name[n - 3] == '.' && (name[n - 2] | 0x20) == 'm' && (name[n - 1] | 0x20) == 'd';
}

void adr__raw_changes_clear(adr__raw_changes *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].path);
	free(c->items);
	memset(c, 0, sizeof(*c));
}

static int changes_add(adr__raw_changes *c, const char *dir, const raw_entry *e, bool with_oid, bool added)
{
	adr__raw_change *ch;
	if (ADR_ARRAY_GROW(c->items, c->alloc, c->count + 1) < 0)
		return ADR_ENOMEM;
	ch = &c->items[c->count];
	size_t dl = strlen(dir);
	if (!(ch->path = adr__malloc(dl + 1 + e->namelen + 1)))
		return ADR_ENOMEM;
	memcpy(ch->path, dir, dl);
	ch->path[dl] = '/';
	memcpy(ch->path + dl + 1, e->name, e->namelen);
	ch->path[dl + 1 + e->namelen] = '\0';
	ch->has_oid = with_oid;
	ch->added = added;
	ch->proposal = -1;
	if (with_oid)
		memcpy(ch->oid, e->oid, GIT_OID_RAWSZ);
	c->count++;
	return 0;
}

static int cmp_names(const raw_entry *a, const raw_entry *b)
{
	size_t n = a->namelen < b->namelen ? a->namelen : b->namelen;
	int c = memcmp(a->name, b->name, n);
	if (c)
		return c;
	return a->namelen < b->namelen ? -1 : a->namelen > b->namelen;
}

static bool is_file(unsigned mode)
{
	return mode == 0100644 || mode == 0100755 || mode == 0100664;
}

/* Bytes equal at the start of a and b (n bytes each at most). */
static size_t common_prefix(const char *a, const char *b, size_t n)
{
	size_t i = 0;
	while (i + 4096 <= n && memcmp(a + i, b + i, 4096) == 0)
		i += 4096;
	while (i + 64 <= n && memcmp(a + i, b + i, 64) == 0)
		i += 64;
	while (i < n && a[i] == b[i])
		i++;
	return i;
}

/* Bytes equal at the end of a and b (given their ends). */
static size_t common_suffix(const char *aend, const char *bend, size_t n)
{
	size_t i = 0;
	while (i + 4096 <= n && memcmp(aend - i - 4096, bend - i - 4096, 4096) == 0)
		i += 4096;
	while (i + 64 <= n && memcmp(aend - i - 64, bend - i - 64, 64) == 0)
		i += 64;
	while (i < n && aend[-1 - (ptrdiff_t)i] == bend[-1 - (ptrdiff_t)i])
		i++;
	return i;
}

int adr__records_dir_diff(adr__raw_changes *set, adr__raw_changes *del, const char *dir, git_odb_object *a,
			  git_odb_object *b)
{
	raw_iter ia = { NULL, NULL }, ib = { NULL, NULL };
	raw_entry ea, eb;
	int ra = 0, rb = 0, rc = 0;
	size_t tail = 0;
	const char *sa, *sb;

	if (a) {
		ia.p = git_odb_object_data(a);
		ia.end = ia.p + git_odb_object_size(a);
	}
	if (b) {
		ib.p = git_odb_object_data(b);
		ib.end = ib.p + git_odb_object_size(b);
	}
	if (a && b) {
		/* Skip what both trees share at the start and the end: usually all
		 * but an entry or two. The prefix is skipped entry by entry (an
		 * entry wholly inside it is the same in both); the walk below
		 * stops once both sides are left with the same tail bytes. */
		size_t na = (size_t)(ia.end - ia.p), nb = (size_t)(ib.end - ib.p), pre, suf;
		pre = common_prefix(ia.p, ib.p, na < nb ? na : nb);
		suf = common_suffix(ia.end, ib.end, na < nb ? na : nb);
		for (;;) {
			const char *nul = memchr(ia.p, '\0', (size_t)(ia.end - ia.p));
			size_t len;
			if (!nul || ia.end - nul < 1 + GIT_OID_RAWSZ)
				break;
			len = (size_t)(nul + 1 + GIT_OID_RAWSZ - ia.p);
			if ((size_t)(ia.p - (const char *)git_odb_object_data(a)) + len > pre)
				break;
			ia.p += len;
			ib.p += len;
		}
		tail = suf;
	}
	sa = ia.p;
	sb = ib.p;
	ra = raw_next(&ia, &ea);
	rb = raw_next(&ib, &eb);
	while (rc == 0 && (ra > 0 || rb > 0)) {
		/* Both current entries start the same identical tail: done. */
		if (ra > 0 && rb > 0 && ia.end - sa == ib.end - sb && (size_t)(ia.end - sa) <= tail)
			break;
		int c = ra <= 0 ? 1 : rb <= 0 ? -1 : cmp_names(&ea, &eb);
		if (c == 0) {
			bool fa = is_file(ea.mode) && is_md(ea.name, ea.namelen);
			bool fb = is_file(eb.mode) && is_md(eb.name, eb.namelen);
			if (fb && (!fa || memcmp(ea.oid, eb.oid, GIT_OID_RAWSZ) != 0))
				rc = changes_add(set, dir, &eb, true, !fa);
			else if (fa && !fb)
				rc = changes_add(del, dir, &ea, true, false);
			sa = ia.p;
			ra = raw_next(&ia, &ea);
			sb = ib.p;
			rb = raw_next(&ib, &eb);
		} else if (c < 0) {
			if (is_file(ea.mode) && is_md(ea.name, ea.namelen))
				rc = changes_add(del, dir, &ea, true, false);
			sa = ia.p;
			ra = raw_next(&ia, &ea);
		} else {
			if (is_file(eb.mode) && is_md(eb.name, eb.namelen))
				rc = changes_add(set, dir, &eb, true, true);
			sb = ib.p;
			rb = raw_next(&ib, &eb);
		}
	}
	if (rc == 0 && (ra < 0 || rb < 0))
		rc = adr__error(ADR_EINVALID, "corrupt records directory tree");
	return rc;
}

/* --- the records directory between two commits ---------------------------- */

void adr__dir_changes_clear(adr__dir_changes *c)
{
	for (size_t i = 0; i < c->count; i++)
		free(c->items[i].path);
	free(c->items);
	c->items = NULL;
	c->count = 0;
}

/* The records directory's tree in commit `hex` (zero when `hex` is NULL or ""). */
static int dir_of_hex(git_oid *out, git_repository *git, git_odb *odb, const char *dir, const char *hex)
{
	git_commit *c = NULL;
	git_oid id;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!hex || !*hex)
		return 0;
	if (git_oid_fromstr(&id, hex) < 0)
		return adr__error(ADR_EINVALID, "'%s' is not a commit id", hex);
	if ((rc = git_commit_lookup(&c, git, &id)) < 0)
		return adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(&id));
	rc = adr__raw_records_dir(out, odb, dir, git_commit_tree_id(c));
	git_commit_free(c);
	return rc;
}

int adr__records_dir_changes(adr__dir_changes *out, adr_repo *repo, const char *from, const char *to)
{
	const char *dir = adr_repo_records_dir(repo);
	git_odb *odb = NULL;
	git_oid a, b;
	git_odb_object *ta = NULL, *tb = NULL;
	adr__raw_changes set = { 0 }, del = { 0 };
	int rc;

	out->items = NULL;
	out->count = 0;
	if ((rc = git_repository_odb(&odb, adr__repo_git(repo))) < 0) {
		rc = adr__error_git(rc, "cannot open the object database");
		goto cleanup;
	}
	if ((rc = dir_of_hex(&a, adr__repo_git(repo), odb, dir, from)) < 0 ||
	    (rc = dir_of_hex(&b, adr__repo_git(repo), odb, dir, to)) < 0)
		goto cleanup;
	if (git_oid_equal(&a, &b))
		goto cleanup;
	if ((!git_oid_is_zero(&a) && (rc = adr__raw_tree_read(&ta, odb, &a)) < 0) ||
	    (!git_oid_is_zero(&b) && (rc = adr__raw_tree_read(&tb, odb, &b)) < 0))
		goto cleanup;
	if ((rc = adr__records_dir_diff(&set, &del, dir, ta, tb)) < 0)
		goto cleanup;
	if (set.count + del.count && !(out->items = adr__calloc(set.count + del.count, sizeof(*out->items)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < set.count; i++) {
		adr__dir_change *c = &out->items[out->count++];
		git_oid id;
		c->path = set.items[i].path;
		set.items[i].path = NULL;
		git_oid_fromraw(&id, set.items[i].oid);
		git_oid_tostr(c->blob, sizeof(c->blob), &id);
	}
	for (size_t i = 0; i < del.count; i++) {
		adr__dir_change *c = &out->items[out->count++];
		c->path = del.items[i].path;
		del.items[i].path = NULL;
	}
	rc = 0;
cleanup:
	adr__raw_changes_clear(&set);
	adr__raw_changes_clear(&del);
	git_odb_object_free(ta);
	git_odb_object_free(tb);
	git_odb_free(odb);
	if (rc < 0)
		adr__dir_changes_clear(out);
	return rc;
}
