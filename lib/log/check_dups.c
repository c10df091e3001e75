/*
 * log/check_dups.c: adr check on numbers that two records share, and on
 * published records (see log/check_internal.h): published numbers never
 * change, so a finding says which record keeps a number and which one
 * yields.
 */
#include "log/check_internal.h"

#include <stdlib.h>
#include <string.h>

#include "git/published.h"
#include "util/alloc.h"
#include "util/error.h"

/* Which of two records sharing a number is published, when it is known
 * (pub not NULL): the one that is keeps the number. */
int adr__check_duplicate_number(adr_findings *out, const adr_record *r, const adr_record *o, const bool *pub,
				size_t ri, size_t oi)
{
	const char *why = "";
	if (pub && pub[ri] && pub[oi])
		why = "; both are published";
	else if (pub && pub[oi])
		why = ", which is published: it keeps the number, this one is not published and is the one to renumber";
	else if (pub && pub[ri])
		why = ", which is not published: this one is published and keeps the number";
	return adr__findings_add(out, r->path, 1, 1, "duplicate-number", "number %04d is also used by %s%s", r->number,
				o->path, why);
}

/* --- the published records, looked up once per tip ---------------------- */

typedef struct {
	int number;
	size_t tip, k;    /* the tip and the entry of its records directory */
	const char *name; /* borrowed from that directory */
} pub_number;

/* The numbers of the published tips' records directories, sorted by
 * (number, tip, entry): what adr__published_number() answers for a record
 * of the records directory, without reading the tips' trees again for each
 * record. The directories are the ones adr__published_load() read. */
typedef struct {
	pub_number *nums;
	size_t nnums, anums;
} pub_dirs;

static void pub_dirs_dispose(pub_dirs *d)
{
	free(d->nums);
	memset(d, 0, sizeof(*d));
}

static int cmp_pub_number(const void *a, const void *b)
{
	const pub_number *x = a, *y = b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	if (x->tip != y->tip)
		return x->tip < y->tip ? -1 : 1;
	return (x->k > y->k) - (x->k < y->k);
}

/* 0, or 1 when a tip has a records directory adr__published_load() could
 * not read: the caller then asks published.c record by record, which says
 * why. */
static int pub_dirs_load(pub_dirs *d, adr_repo *repo, const adr__published *p)
{
	int n;

	memset(d, 0, sizeof(*d));
	for (size_t i = 0; i < p->count; i++) {
		git_tree *dir = p->dirs[i];
		if (!dir) {
			git_tree_entry *e = NULL;
			int rc = git_tree_entry_bypath(&e, p->trees[i], adr_repo_records_dir(repo));
			git_tree_entry_free(e);
			git_error_clear();
			if (rc != GIT_ENOTFOUND)
				return 1;
			continue;
		}
		for (size_t k = 0; k < git_tree_entrycount(dir); k++) {
			const char *name = git_tree_entry_name(git_tree_entry_byindex(dir, k));
			if (!adr__is_markdown(name) || adr_record_parse_filename(&n, NULL, name) < 0)
				continue;
			if (ADR_ARRAY_GROW(d->nums, d->anums, d->nnums + 1) < 0)
				return ADR_ENOMEM;
			d->nums[d->nnums++] = (pub_number){ n, i, k, name };
		}
		adr_error_clear();
	}
	if (d->nnums)
		qsort(d->nums, d->nnums, sizeof(*d->nums), cmp_pub_number);
	return 0;
}

/* As adr__published_number(). */
static int pub_dirs_number(const pub_dirs *d, const adr__published *p, adr_repo *repo, int number, adr_buf *path,
			   const char **ref)
{
	size_t lo = 0, hi = d->nnums;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->nums[mid].number < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == d->nnums || d->nums[lo].number != number)
		return 0;
	adr_buf_clear(path);
	adr_buf_printf(path, "%s/%s", adr_repo_records_dir(repo), d->nums[lo].name);
	*ref = p->refs[d->nums[lo].tip];
	return adr_buf_oom(path) ? ADR_ENOMEM : 1;
}

/* pub[i]: record i is on a published tip of the decision branch. A
 * record that is not, whose number a different published record has,
 * is a duplicate-to-be: the next merge of the two makes it one. */
int adr__check_published(adr_findings *out, adr_repo *repo, const adr_recordset *set, bool *pub)
{
	adr__published p = ADR__PUBLISHED_INIT;
	adr_buf path = ADR_BUF_INIT;
	pub_dirs d;
	const char *ref = NULL;
	bool fast;
	int rc;

	if ((rc = adr__published_load(&p, repo, NULL)) < 0)
		return rc;
	if ((rc = p.count ? pub_dirs_load(&d, repo, &p) : 1) < 0)
		goto cleanup;
	fast = rc == 0;
	for (size_t i = 0; i < set->count && p.count; i++) {
		const adr_record *r = set->items[i];
		if (!r->path)
			continue;
		if ((rc = adr__published_has(&p, r->path, NULL, NULL)) < 0)
			goto cleanup;
		pub[i] = rc == 1;
		if (pub[i] || r->number < 0)
			continue;
		if ((rc = fast ? pub_dirs_number(&d, &p, repo, r->number, &path, &ref)
			       : adr__published_number(&p, repo, r->number, &path, &ref)) < 0)
			goto cleanup;
		if (rc == 1 && strcmp(path.ptr, r->path) &&
		    (rc = adr__findings_add(out, r->path, 1, 1, "duplicate-number",
					   "number %04d is taken on %s by %s, which is published; this record is not "
					   "and is the one to renumber", r->number, ref, path.ptr)) < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	if (p.count)
		pub_dirs_dispose(&d);
	adr_buf_dispose(&path);
	adr__published_dispose(&p);
	return rc;
}
