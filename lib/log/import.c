/*
 * import.c: adr import, an existing decision log into adr's format in one
 * commit (see adr/import.h): numbering and naming the records found
 * (import_sources.c finds them), converting each one (legacy metadata to
 * front matter, links between records rewritten), and the commit.
 */
#include "git/repo_internal.h"
#include "log/import_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adr/commit.h"
#include "adr/import.h"
#include "record/legacy.h"
#include "text/yaml.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/progress.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/strlistf.h"
#include "util/path.h"

/* --- links ------------------------------------------------------------------ */

/* Normalizes "a/b/../c/./d" into out; false when it climbs above the root. */
static bool normalize(adr_buf *out, const char *path)
{
	char *copy = strdup(path), *save = NULL, *tok;
	char *parts[256];
	size_t n = 0;
	if (!copy)
		return false;
	for (tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
		if (!strcmp(tok, "."))
			continue;
		if (!strcmp(tok, "..")) {
			if (!n) {
				free(copy);
				return false;
			}
			n--;
			continue;
		}
		if (n == 256) {
			free(copy);
			return false;
		}
		parts[n++] = tok;
	}
	adr_buf_clear(out);
	for (size_t i = 0; i < n; i++)
		adr_buf_printf(out, "%s%s", i ? "/" : "", parts[i]);
	free(copy);
	return !adr_buf_oom(out);
}

/* The file that a link target in `from` names, or -1. */
static int resolve(const src_set *set, const src_file *from, const char *target, size_t tn)
{
	adr_buf t = ADR_BUF_INIT, joined = ADR_BUF_INIT, norm = ADR_BUF_INIT;
	const char *slash = strrchr(from->src, '/');
	int found = -1;
	size_t hash = tn;
	for (size_t i = 0; i < tn; i++)
		if (target[i] == '#' || target[i] == '?') {
			hash = i;
			break;
		}
	if (!hash || memchr(target, ':', hash) || target[0] == '/')
		return -1;
	adr_buf_put(&t, target, hash);
	if (slash)
		adr_buf_put(&joined, from->src, (size_t)(slash - from->src) + 1);
	adr_buf_puts(&joined, t.ptr);
	if (!adr_buf_oom(&joined) && normalize(&norm, joined.ptr)) {
		for (size_t i = 0; i < set->count; i++)
			if (!strcmp(set->files[i].src, norm.ptr)) {
				found = (int)i;
				break;
			}
	}
	adr_buf_dispose(&t);
	adr_buf_dispose(&joined);
	adr_buf_dispose(&norm);
	return found;
}

/* The file beside a folder record that a link target in `from` names, or
 * -1 (resolve() over the assets: swaps them in for the records). */
static int resolve_asset(const src_set *set, const src_file *from, const char *target, size_t tn)
{
	src_set view = *set;
	view.files = set->assets;
	view.count = set->nassets;
	for (size_t i = 0; i < tn; i++)
		if (target[i] == '#' || target[i] == '?')
			return -1; /* a file beside a record is named plainly */
	return resolve(&view, from, target, tn);
}

/* Rewrites `](target)` links to other imported records; returns the count. */
static int rewrite_links(adr_buf *out, const src_set *set, const src_file *f, const char *body, size_t *count)
{
	const char *s = body;
	*count = 0;
	while (*s) {
		const char *m = strstr(s, "](");
		const char *t, *e;
		int idx;
		if (!m) {
			adr_buf_puts(out, s);
			break;
		}
		t = m + 2;
		e = t;
		while (*e && *e != ')' && *e != ' ' && *e != '\n' && *e != '\t')
			e++;
		adr_buf_put(out, s, (size_t)(t - s));
		idx = resolve(set, f, t, (size_t)(e - t));
		if (idx < 0 && set->nassets && (idx = resolve_asset(set, f, t, (size_t)(e - t))) >= 0) {
			/* a file that moved with its record: beside the record's new name */
			adr_buf_puts(out, set->assets[idx].target + strlen(set->dir) + 1);
			(*count)++;
		} else if (idx >= 0 && set->files[idx].target) {
			const char *hash = memchr(t, '#', (size_t)(e - t));
			adr_buf_puts(out, adr__path_base(set->files[idx].target));
			if (hash)
				adr_buf_put(out, hash, (size_t)(e - hash));
			(*count)++;
		} else {
			adr_buf_put(out, t, (size_t)(e - t));
		}
		s = e;
	}
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* --- converting one record ---------------------------------------------------- */

static bool body_has_h1(const char *body)
{
	bool fence = false;
	for (const char *p = body; p && *p;) {
		const char *nl = strchr(p, '\n');
		if (!strncmp(p, "```", 3) || !strncmp(p, "~~~", 3))
			fence = !fence;
		else if (!fence && p[0] == '#' && (p[1] == ' ' || p[1] == '\t'))
			return true;
		if (!nl)
			break;
		p = nl + 1;
	}
	return false;
}

static bool blank_line_at(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r')
		s++;
	return *s == '\n';
}

/* The body without the spans, and without the blank lines a removal leaves doubled. */
static int cut_spans(adr_buf *out, const char *body, const adr_legacy *l)
{
	size_t pos = 0, len = strlen(body);
	for (size_t i = 0; i < l->nspans; i++) {
		size_t st = l->spans[i].start, en = l->spans[i].end;
		if (st < pos || en > len || st > en)
			continue;
		adr_buf_put(out, body + pos, st - pos);
		pos = en;
		/* after a blank line (or at the start), skip the blank lines that follow */
		if (out->size == 0 || (out->size >= 2 && out->ptr[out->size - 1] == '\n' &&
				       (out->ptr[out->size - 2] == '\n' ||
					(out->size >= 3 && out->ptr[out->size - 2] == '\r' && out->ptr[out->size - 3] == '\n')))) {
			while (pos < len && blank_line_at(body + pos))
				pos = (size_t)(strchr(body + pos, '\n') - body) + 1;
		}
	}
	adr_buf_put(out, body + pos, len - pos);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

typedef int (*resolver_fn)(void *ctx, const char *target, int *number);

/* The legacy relations as supersedes, superseded-by and links; a relation
 * that names no record or no link type is noted and clears *all_links (the
 * body then keeps the lines that held them). */
static int take_links(adr_record *r, adr_import_item *item, const char *display, const adr_legacy *l,
		      resolver_fn res, void *rctx, bool *all_links)
{
	int rc = 0;
	for (size_t i = 0; i < l->nlinks; i++) {
		const adr__legacy_link *k = &l->links[i];
		int n = -1;
		if ((res(rctx, k->target, &n) < 0 || n < 0) && k->number >= 0)
			n = k->number; /* `ADR-12`, `#12`, or a link whose text has the number */
		if (n < 0) {
			if (k->in_body) /* a link in a `## Links` section that names no record stays as it is */
				continue;
			*all_links = false;
			if ((rc = adr__strlist_addf(&item->notes,
						    "%s:%d:1: '%s %s' names no imported record; kept in the body",
						    display, k->line, k->type, k->target)) < 0)
				return rc;
			continue;
		}
		if (!strcmp(k->type, "superseded-by"))
			rc = adr_intlist_add_unique(&r->superseded_by, n);
		else if (!strcmp(k->type, "supersedes"))
			rc = adr_intlist_add_unique(&r->supersedes, n);
		else if (adr_link_type_valid(k->type, strlen(k->type)))
			rc = adr_record_add_link(r, k->type, n);
		else {
			*all_links = false;
			rc = adr__strlist_addf(&item->notes, "%s:%d:1: relation '%s' is not a link type; kept in the body",
					       display, k->line, k->type);
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* A body without an H1 gets the title from the front matter, or a note. */
static int keep_title(adr_record *r, adr_import_item *item, const char *display)
{
	char *t;
	int rc;
	if (!r->title || !*r->title)
		return adr__strlist_addf(&item->notes, "%s:1:1: no title", display);
	if (!(t = adr__strdup(r->title)))
		return ADR_ENOMEM;
	rc = adr_record_set_title(r, t);
	free(t);
	if (rc < 0) {
		if ((rc = adr__strlist_addf(&item->notes, "%s:1:1: %s", display, adr_error_last())) < 0)
			return rc;
		adr_error_clear();
	}
	return 0;
}

/* What dates a record may take besides its own. */
typedef struct {
	adr_date_order order;     /* for `A/B/YYYY` */
	const char *added_date;   /* the date of the commit that added the file, or NULL */
	const char *added_commit;
} convert_dates;

static int convert(adr_buf *out, adr_import_item *item, const char *display, const char *data, size_t len,
		   int number, const char *new_path, resolver_fn res, void *rctx, char **body_out,
		   const convert_dates *cd)
{
	adr_record *r = NULL;
	adr_legacy l;
	adr_buf body = ADR_BUF_INIT;
	bool all_links = true;
	int rc;

	memset(&l, 0, sizeof(l));
	if ((rc = adr_record_parse(&r, display, data, len, ADR_PARSE_LENIENT)) < 0)
		return rc;
	for (size_t i = 0; i < r->warnings.count; i++)
		if ((rc = adr_strlist_add(&item->notes, r->warnings.items[i])) < 0)
			goto cleanup;
	if ((rc = adr__legacy_read_order(&l, display, r->body, r->body_line,
					 cd ? cd->order : ADR_DATE_ORDER_NONE)) < 0)
		goto cleanup;
	item->from_status = r->status || r->status_word ? "front matter" : NULL;
	item->from_date = r->date[0] ? "front matter" : NULL;
	if (r->status == ADR_STATUS_NONE && !r->status_word && l.status) {
		item->from_status = "body";
		r->status = l.status;
		if (l.status_word && strcasecmp(l.status_word, adr_status_name(l.status)) &&
		    (rc = adr__strlist_addf(&item->notes, "%s:%d:1: status '%s' written as %s", display, l.status_line,
				   l.status_word, adr_status_name(l.status))) < 0)
			goto cleanup;
	}
	if (!r->date[0] && l.date[0]) {
		item->from_date = "body";
		memcpy(r->date, l.date, sizeof(r->date));
	}
	/* (a file with front matter is a record already, imported or written
	 * so: the commit that added it says when it was written down, which
	 * a second import must not take for the decision's date) */
	if (!r->date[0] && !r->has_frontmatter && cd && cd->added_date && cd->added_date[0]) {
		item->from_date = "commit";
		memcpy(r->date, cd->added_date, sizeof(r->date));
		free(item->date_commit);
		if (!(item->date_commit = adr__strdup(cd->added_commit)) ||
		    (rc = adr__strlist_addf(&item->notes, "%s: no usable date; %s is the date of commit %.12s, which added "
							   "the file", display, r->date, cd->added_commit)) < 0) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
	if (!r->decision_makers.count && (rc = adr_strlist_copy(&r->decision_makers, &l.deciders)) < 0)
		goto cleanup;
	if (!r->tags.count && (rc = adr_strlist_copy(&r->tags, &l.tags)) < 0)
		goto cleanup;
	if ((rc = take_links(r, item, display, &l, res, rctx, &all_links)) < 0)
		goto cleanup;
	for (size_t i = 0; i < l.warnings.count; i++)
		if ((rc = adr_strlist_add(&item->notes, l.warnings.items[i])) < 0)
			goto cleanup;
	for (size_t i = 0; i < l.unmapped.count; i++)
		if ((rc = adr_strlist_add(&item->notes, l.unmapped.items[i])) < 0)
			goto cleanup;
	/* the metadata lines go only when everything in them is in the front matter now */
	if (all_links && l.nspans) {
		if ((rc = cut_spans(&body, r->body, &l)) < 0)
			goto cleanup;
		free(r->body);
		r->body = adr_buf_detach(&body);
	}
	item->from_title = body_has_h1(r->body) ? "H1" : r->title && *r->title ? "front matter" : NULL;
	if (!body_has_h1(r->body) && (rc = keep_title(r, item, display)) < 0)
		goto cleanup;
	r->number = number;
	free(r->path);
	if (!(r->path = adr__strdup(new_path))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	free(item->title);
	free(item->status);
	item->title = adr__strdup(r->title ? r->title : "");
	item->status = adr__strdup(r->status ? adr_status_name(r->status) : (r->status_word ? r->status_word : ""));
	item->date = item->date ? item->date : adr__strdup(r->date);
	if (!item->title || !item->status || !item->date) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	/* the body is written last and verbatim: the caller gets it apart, to rewrite its links */
	if ((rc = adr_record_serialize(out, r)) == 0 && body_out) {
		size_t bl = strlen(r->body);
		adr_buf_truncate(out, out->size - bl);
		*body_out = r->body;
		r->body = NULL;
	}
cleanup:
	adr__legacy_dispose(&l);
	adr_buf_dispose(&body);
	adr_record_free(r);
	return rc;
}

static int number_from_name(void *ctx, const char *target, int *number)
{
	(void)ctx;
	if (adr_record_parse_filename(number, NULL, target) < 0) {
		adr_error_clear();
		*number = -1;
	}
	return 0;
}

int adr__import_convert(adr_buf *out, adr_strlist *notes, const char *path, const char *data, size_t len)
{
	adr_import_item item;
	int number = -1, rc;
	memset(&item, 0, sizeof(item));
	if (adr_record_parse_filename(&number, NULL, path) < 0)
		adr_error_clear();
	rc = convert(out, &item, path, data, len, number, path, number_from_name, NULL, NULL, NULL);
	if (rc == 0 && notes)
		rc = adr_strlist_copy(notes, &item.notes);
	free(item.title);
	free(item.status);
	free(item.date);
	free(item.date_commit);
	adr_strlist_dispose(&item.notes);
	return rc;
}

/* --- the whole import ----------------------------------------------------------- */

typedef struct {
	const src_set *set;
	const src_file *from;
} resolve_ctx;

static int resolve_number(void *ctx, const char *target, int *number)
{
	resolve_ctx *c = ctx;
	int idx = resolve(c->set, c->from, target, strlen(target));
	*number = idx >= 0 ? c->set->files[idx].number : -1;
	return 0;
}

/* A folder named like a date-named record: "20200924-use-x" (8 digits, then
 * '-' or '_', then a name). */
static bool dated_folder(const char *name)
{
	size_t n = strlen(name);
	if (n < 10)
		return false;
	for (int i = 0; i < 8; i++)
		if (name[i] < '0' || name[i] > '9')
			return false;
	return name[8] == '-' || name[8] == '_';
}

/* A record kept as <folder>/index.md: number and slug from the folder's
 * name ("0003-use-x", "20200924-use-x"), or, when it has no number, the
 * folder's name as the slug and a number after the highest, in name order. */
static int number_folder(src_file *f, int *max)
{
	adr_buf slug = ADR_BUF_INIT;
	int rc = 0;

	if (dated_folder(f->folder)) {
		f->dated = true;
		f->from_number = "date order";
		f->slug = adr__strdup(f->folder + 9);
	} else if (adr_record_parse_filename(&f->number, &slug, f->folder) == 0 && slug.size) {
		f->from_number = "folder name";
		f->slug = adr_buf_detach(&slug);
		if (f->number > *max)
			*max = f->number;
	} else {
		adr_error_clear();
		f->number = -1;
		f->dated = true; /* numbered like a date-named record, after the highest */
		f->from_number = "folder order";
		if ((rc = adr_slugify(&slug, f->folder)) == 0)
			f->slug = adr__strdup(slug.size ? slug.ptr : "record");
	}
	adr_buf_dispose(&slug);
	if (rc == 0 && !f->slug)
		rc = ADR_ENOMEM;
	return rc;
}

/* Each file's slug, and its number: its own, or after the highest in date order. */
static int number_files(src_set *set)
{
	const char **dated = NULL;
	int *numbers = NULL;
	size_t nd = 0;
	int max = 0, rc = 0;
	adr_buf slug = ADR_BUF_INIT;

	for (size_t i = 0; i < set->count; i++) {
		src_file *f = &set->files[i];
		const char *base = adr__path_base(f->src);
		size_t bn = strlen(base) - 3;
		if (f->folder) {
			if ((rc = number_folder(f, &max)) < 0)
				goto cleanup;
		} else if (adr__import_date_prefix(base)) {
			f->dated = true;
			f->from_number = "date order";
			f->slug = adr__strndup(base + 9, bn - 9);
		} else if ((rc = adr_record_parse_filename(&f->number, &slug, base)) == 0) {
			f->from_number = "file name";
			f->slug = adr__strdup(slug.ptr);
			if (f->number > max)
				max = f->number;
		} else if (rc == ADR_ENOMEM) {
			goto cleanup;
		} else {
			adr_error_clear();
			rc = 0;
		}
		if (!f->slug) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
	if (!(dated = adr__calloc(set->count + 1, sizeof(*dated))) ||
	    !(numbers = adr__calloc(set->count + 1, sizeof(*numbers)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < set->count; i++)
		if (set->files[i].dated)
			dated[nd++] = set->files[i].folder ? set->files[i].folder : set->files[i].src;
	/* the rule the readers number them by until now (record/filename.c) */
	if ((rc = adr_record_number_dated(numbers, dated, nd, max)) < 0)
		goto cleanup;
	for (size_t i = 0, k = 0; i < set->count; i++)
		if (set->files[i].dated)
			set->files[i].number = numbers[k++];
cleanup:
	free(dated);
	free(numbers);
	adr_buf_dispose(&slug);
	return rc;
}

/* Each file's new repository path: a name not taken by an earlier one (case aside). */
static int name_targets(src_set *set)
{
	adr_buf slug = ADR_BUF_INIT, name = ADR_BUF_INIT, path = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < set->count; i++) {
		src_file *f = &set->files[i];
		for (int attempt = 1;; attempt++) {
			bool taken = false;
			adr_buf_clear(&name);
			adr_buf_clear(&path);
			adr_buf_clear(&slug);
			if (attempt == 1)
				adr_buf_puts(&slug, f->slug);
			else
				adr_buf_printf(&slug, "%s-%d", f->slug, attempt);
			if (adr_buf_oom(&slug)) {
				rc = ADR_ENOMEM;
				goto cleanup;
			}
			if ((rc = adr_record_filename(&name, f->number, slug.ptr)) < 0)
				goto cleanup;
			adr_buf_printf(&path, "%s/%s", set->dir, name.ptr);
			if (adr_buf_oom(&path)) {
				rc = ADR_ENOMEM;
				goto cleanup;
			}
			if (adr__path_validate(path.ptr) < 0) {
				adr_error_clear();
				adr_buf_clear(&name);
				adr_buf_clear(&path);
				adr_record_filename(&name, f->number, "");
				adr_buf_printf(&path, "%s/%s", set->dir, name.ptr);
			}
			for (size_t j = 0; j < i; j++)
				if (!strcasecmp(set->files[j].target, path.ptr))
					taken = true;
			if (!taken || attempt > 100)
				break;
		}
		if (!(f->target = adr__strdup(path.ptr))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
cleanup:
	adr_buf_dispose(&slug);
	adr_buf_dispose(&name);
	adr_buf_dispose(&path);
	return rc;
}

/*
 * A file that cannot be read, mended (import_repair.c) and converted again:
 * 0 with `it->repaired` saying what changed, else the first error again
 * (the file is then copied unchanged), or ADR_ENOMEM.
 */
static int repair_file(src_set *set, src_file *f, adr_import_item *it, adr_buf *head, char **body,
		       const convert_dates *cd)
{
	resolve_ctx rctx = { set, f };
	adr_buf fixed = ADR_BUF_INIT;
	adr_strlist what = ADR_STRLIST_INIT;
	char *first = adr__strdup(adr_error_last());
	int rc;

	if (!first)
		return ADR_ENOMEM;
	if ((rc = adr__import_repair(&fixed, &what, f->display, f->data.ptr, f->data.size)) == 1) {
		adr_error_clear();
		adr_buf_clear(head);
		rc = convert(head, it, f->display, fixed.ptr, fixed.size, f->number, f->target, resolve_number, &rctx,
			     body, cd);
		if (rc == 0)
			rc = adr_strlist_copy(&it->repaired, &what);
	} else if (rc == 0) {
		rc = ADR_EINVALID;
	}
	if (rc < 0 && rc != ADR_ENOMEM) /* not mended: the file's own error is the one to say */
		adr__error(ADR_EINVALID, "%s", first);
	free(first);
	adr_strlist_dispose(&what);
	adr_buf_dispose(&fixed);
	return rc;
}

/* Each file beside a folder record goes beside the record's new file:
 * "<dir>/0003-use-x/<its path under the folder>". */
static int name_assets(src_set *set)
{
	adr_buf path = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < set->nassets && rc == 0; i++) {
		src_file *a = &set->assets[i];
		const src_file *f = &set->files[a->number];
		const char *under = a->src + (strrchr(f->src, '/') - f->src) + 1;
		adr_buf_clear(&path);
		adr_buf_put(&path, f->target, strlen(f->target) - 3);
		adr_buf_printf(&path, "/%s", under);
		if (adr_buf_oom(&path) || !(a->target = adr__strdup(path.ptr)))
			rc = ADR_ENOMEM;
	}
	adr_buf_dispose(&path);
	return rc;
}

/* Converts one file into f->out: converted with its links rewritten, or,
 * when it cannot be read, copied unchanged with a note that says why. */
static int convert_file(src_set *set, src_file *f, adr_import_item *it, adr_date_order order)
{
	resolve_ctx rctx = { set, f };
	convert_dates cd = { order, f->added_date, f->added_commit };
	char *body = NULL;
	adr_buf head = ADR_BUF_INIT;
	int rc;

	it->number = f->number;
	if (!(it->source = adr__strdup(f->display)) || !(it->target = adr__strdup(f->target)))
		return ADR_ENOMEM;
	it->from_number = f->from_number;
	rc = convert(&head, it, f->display, f->data.ptr, f->data.size, f->number, f->target, resolve_number,
		     &rctx, &body, &cd);
	if (rc < 0 && rc != ADR_ENOMEM) /* mended, it may read: the mended bytes are then written */
		rc = repair_file(set, f, it, &head, &body, &cd);
	if (rc == ADR_ENOMEM) {
		adr_buf_dispose(&head);
		free(body);
		return rc;
	}
	if (rc < 0) {
		/* cannot be read: copied unchanged, and said */
		it->converted = false;
		rc = adr__strlist_addf(&it->notes, "%s; copied unchanged", adr_error_last());
		adr_buf_dispose(&head);
		if (rc < 0) /* (its message is now the out-of-memory one) */
			return rc;
		adr_error_clear();
		if ((rc = adr_buf_set(&f->out, f->data.ptr, f->data.size)) < 0)
			return rc;
		if (!it->title && (!(it->title = adr__strdup("")) || !(it->status = adr__strdup("")) ||
				   !(it->date = adr__strdup(""))))
			return ADR_ENOMEM;
		return 0;
	}
	it->converted = true;
	adr_buf_put(&f->out, head.ptr, head.size);
	rc = rewrite_links(&f->out, set, f, body, &it->links_rewritten);
	adr_buf_dispose(&head);
	free(body);
	return rc;
}

/* Numbers, names and converts every file; res gets one item each. */
static int plan(src_set *set, adr_import_result *res, const adr_import_opts *o)
{
	int rc;
	if ((rc = number_files(set)) < 0 || (rc = name_targets(set)) < 0 || (rc = name_assets(set)) < 0)
		return rc;
	res->items = adr__calloc(set->count + 1, sizeof(*res->items));
	ADR_ALLOC_CHECK(res->items);
	res->count = set->count;
	for (size_t i = 0; i < set->count; i++) {
		adr__progress(o->progress, o->progress_payload, "records", i + 1, set->count);
		if ((rc = convert_file(set, &set->files[i], &res->items[i], (adr_date_order)o->date_order)) < 0)
			return rc;
	}
	for (size_t i = 0; i < set->nassets; i++)
		if ((rc = adr__strlist_addf(&res->items[set->assets[i].number].files, "%s -> %s", set->assets[i].display,
					    set->assets[i].target)) < 0)
			return rc;
	return 0;
}

typedef struct {
	src_set *set;
} commit_ctx;

/* True when `path` is a committed file that the import moves away. */
static bool asset_source(const src_set *set, const char *path)
{
	for (size_t i = 0; set->committed && i < set->nassets; i++)
		if (!strcmp(set->assets[i].display, path))
			return true;
	return false;
}

static int import_fn(adr_change *ch, void *payload)
{
	commit_ctx *c = payload;
	src_set *set = c->set;
	int rc;

	for (size_t i = 0; i < set->count; i++) {
		const src_file *f = &set->files[i];
		bool is_source = false;
		if (!adr_change_exists(ch, f->target))
			continue;
		for (size_t j = 0; set->committed && j < set->count; j++)
			if (!strcmp(set->files[j].display, f->target))
				is_source = true;
		if (!is_source)
			return adr__error(ADR_EEXISTS, "'%s' already exists; import into an empty records directory",
					  f->target);
	}
	for (size_t i = 0; i < set->nassets; i++)
		if (adr_change_exists(ch, set->assets[i].target) && !asset_source(set, set->assets[i].target))
			return adr__error(ADR_EEXISTS, "'%s' already exists; import into an empty records directory",
					  set->assets[i].target);
	for (size_t i = 0; set->committed && i < set->count; i++)
		if ((rc = adr_change_delete(ch, set->files[i].display)) < 0)
			return rc;
	for (size_t i = 0; set->committed && i < set->nassets; i++)
		if ((rc = adr_change_delete(ch, set->assets[i].display)) < 0)
			return rc;
	for (size_t i = 0; i < set->count; i++)
		if ((rc = adr_change_write(ch, set->files[i].target, set->files[i].out.ptr, set->files[i].out.size)) < 0)
			return rc;
	for (size_t i = 0; i < set->nassets; i++)
		if ((rc = adr_change_write(ch, set->assets[i].target, set->assets[i].data.ptr, set->assets[i].data.size)) < 0)
			return rc;
	if (!adr_change_exists(ch, ".adr.yaml")) {
		adr_buf cfg = ADR_BUF_INIT;
		adr_buf_puts(&cfg, "# Settings for adr, the decision log tool.\ndir: ");
		adr__yaml_write_scalar(&cfg, set->dir);
		adr_buf_puts(&cfg, "\n");
		rc = adr_buf_oom(&cfg) ? ADR_ENOMEM : adr_change_write(ch, ".adr.yaml", cfg.ptr, cfg.size);
		adr_buf_dispose(&cfg);
		if (rc < 0)
			return rc;
	}
	if ((rc = adr_change_set_subject(ch, "adr: import %zu record%s into %s", set->count,
					 set->count == 1 ? "" : "s", set->dir)) < 0 ||
	    (rc = adr_change_add_trailer(ch, ADR_TRAILER_ACTION, "import")) < 0)
		return rc;
	return 0;
}

/* `from` as a repository path when it is inside the work tree, else NULL. */
static int inside_repo(char **out, adr_repo *repo, const char *from)
{
	char real[PATH_MAX], top[PATH_MAX];
	const char *wd = adr_repo_workdir(repo);
	size_t n;
	*out = NULL;
	if (!wd || !realpath(from, real) || !realpath(wd, top))
		return 0;
	n = strlen(top);
	if (strncmp(real, top, n) || (real[n] != '/' && real[n] != '\0'))
		return 0;
	*out = adr__strdup(real[n] ? real + n + 1 : "");
	return *out ? 0 : ADR_ENOMEM;
}

int adr_import_run(adr_import_result *out, adr_repo *repo, const adr_import_opts *opts)
{
	adr_import_opts o = ADR_IMPORT_OPTS_INIT;
	src_set set;
	char *rel = NULL;
	commit_ctx cctx;
	int rc;

	memset(&set, 0, sizeof(set));
	if (opts)
		o = *opts;
	if (o.from && (rc = inside_repo(&rel, repo, o.from)) < 0)
		return rc;
	if (o.from && rel && !*rel) {
		free(rel);
		return adr__error(ADR_EUSAGE, "the directory to import from is the top of a repository; name its records directory");
	}
	if (!o.from || rel)
		rc = adr__import_gather_repo(&set, repo, rel);
	else
		rc = adr__import_gather_dir(&set, repo, o.from);
	if (rc == 0)
		rc = adr__import_folders(&set, repo);
	if (rc < 0)
		goto cleanup;
	if (!set.count) {
		rc = adr__error(ADR_ENOTFOUND, "no records found in '%s'", set.root);
		goto cleanup;
	}
	if (!(out->dir = adr__strdup(set.dir))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (set.committed && (rc = adr__import_added_dates(&set, repo)) < 0)
		goto cleanup;
	if ((rc = plan(&set, out, &o)) < 0 || o.dry_run)
		goto cleanup;
	cctx.set = &set;
	rc = adr_repo_commit(&out->commit, repo, import_fn, &cctx, NULL);
cleanup:
	free(rel);
	adr__import_set_dispose(&set);
	return rc;
}

void adr_import_result_dispose(adr_import_result *res)
{
	if (!res)
		return;
	for (size_t i = 0; i < res->count; i++) {
		adr_import_item *it = &res->items[i];
		free(it->source);
		free(it->target);
		free(it->title);
		free(it->status);
		free(it->date);
		free(it->date_commit);
		adr_strlist_dispose(&it->notes);
		adr_strlist_dispose(&it->repaired);
		adr_strlist_dispose(&it->files);
	}
	free(res->items);
	free(res->dir);
	adr_commit_result_dispose(&res->commit);
	res->items = NULL;
	res->count = 0;
	res->dir = NULL;
}
