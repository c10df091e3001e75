/*
 * log/ops.c: the write operations on records (init, new, edit, status,
 * supersede, link), each one commit, and the helpers every write operation
 * shares (log/ops_internal.h): the result, the next record's number and
 * path, and the commit message block.
 */
#include "git/repo_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adr/ops.h"
#include "adr/revisit.h"
#include "log/ops_internal.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/utf8.h"
#include "text/yaml.h"

void adr_op_result_dispose(adr_op_result *res)
{
	free(res->path);
	res->path = NULL;
	adr_commit_result_dispose(&res->commit);
}

int adr__op_commit(adr_op_result *res, adr_repo *repo, adr_change_fn fn, void *payload,
		   const adr_commit_opts *opts)
{
	int rc = adr_repo_commit(&res->commit, repo, fn, payload, opts);
	if (rc < 0) {
		free(res->path);
		res->path = NULL;
		res->number = -1;
		adr_commit_result_dispose(&res->commit);
	}
	return rc;
}

int adr__op_set_path(adr_op_result *res, const char *path)
{
	free(res->path);
	res->path = adr__strdup(path);
	return res->path ? 0 : ADR_ENOMEM;
}

int adr__text_check(const char *what, const char *s, size_t len)
{
	if (memchr(s, 0, len) || !adr__utf8_valid(s, len))
		return adr__error(ADR_EINVALID, "%s is not valid UTF-8 text (or contains a NUL byte)", what);
	return 0;
}

int adr__op_next_record(adr_buf *path, int *number, adr_change *ch, const char *slug)
{
	adr_buf fname = ADR_BUF_INIT;
	int rc, n;

	if ((rc = adr_change_next_number(ch, &n)) < 0)
		return rc;
	*number = n;
	if ((rc = adr_record_filename(&fname, n, slug)) == 0) {
		adr_buf_clear(path);
		adr_buf_printf(path, "%s/%s", adr_repo_records_dir(adr_change_repo(ch)), fname.ptr);
		if (adr_buf_oom(path))
			rc = ADR_ENOMEM;
	}
	adr_buf_dispose(&fname);
	return rc;
}

int adr__op_message(adr_change *ch, const char *action, const char *const *trailers, const char *fmt, ...)
{
	adr_buf subject = ADR_BUF_INIT;
	va_list ap;
	int rc;

	adr_buf_puts(&subject, "adr: ");
	va_start(ap, fmt);
	adr_buf_vprintf(&subject, fmt, ap);
	va_end(ap);
	if (adr_buf_oom(&subject))
		rc = ADR_ENOMEM;
	else
		rc = adr_change_set_subject(ch, "%s", subject.ptr);
	adr_buf_dispose(&subject);
	if (rc < 0 || (rc = adr_change_add_trailer(ch, ADR_TRAILER_ACTION, action)) < 0)
		return rc;
	for (size_t i = 0; trailers && trailers[i]; i += 2)
		if (trailers[i + 1] && (rc = adr_change_add_trailer(ch, trailers[i], trailers[i + 1])) < 0)
			return rc;
	return 0;
}

/* Replaces every "{{date}}" with today's date. */
static int expand_template(adr_buf *out, const char *src, size_t len)
{
	char today[11];
	size_t i = 0;
	adr_today(today);
	while (i < len) {
		if (i + 8 <= len && memcmp(src + i, "{{date}}", 8) == 0) {
			adr_buf_puts(out, today);
			i += 8;
		} else {
			adr_buf_putc(out, src[i++]);
		}
	}
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

int adr_record_from_template(adr_record **out, adr_repo *repo, const char *template_name,
			     const char *title)
{
	adr_buf tmpl = ADR_BUF_INIT, text = ADR_BUF_INIT, name = ADR_BUF_INIT;
	adr_record *r = NULL;
	int rc;

	*out = NULL;
	if ((rc = adr_repo_load_template(&tmpl, repo, template_name)) < 0)
		goto cleanup;
	if ((rc = expand_template(&text, tmpl.ptr, tmpl.size)) < 0)
		goto cleanup;
	adr_buf_printf(&name, "template '%s'", template_name ? template_name : adr_repo_template(repo));
	if ((rc = adr_record_parse(&r, name.ptr, text.ptr, text.size, 0)) < 0)
		goto cleanup;
	if ((rc = adr_record_set_title(r, title)) < 0)
		goto cleanup;
	if (r->visibility == ADR_VISIBILITY_NONE)
		r->visibility = adr_repo_default_visibility(repo);
	*out = r;
	r = NULL;
cleanup:
	adr_record_free(r);
	adr_buf_dispose(&tmpl);
	adr_buf_dispose(&text);
	adr_buf_dispose(&name);
	return rc;
}

/* The record `number` in the change's tip; ENOTFOUND when absent. */
static int change_record(adr_record **out, adr_change *ch, int number)
{
	adr_recordset *set;
	int rc, i, found = -1;
	if ((rc = adr_change_records(ch, &set)) < 0)
		return rc;
	for (i = 0; i < (int)set->count; i++) {
		if (set->items[i]->number != number)
			continue;
		if (found >= 0)
			return adr__hint(ADR_HINT_CHECK, adr__error(ADR_EAMBIGUOUS,
					 "record %04d exists twice: '%s' and '%s'", number,
					 set->items[found]->path, set->items[i]->path));
		found = i;
	}
	if (found < 0) {
		/* A file that does not parse is left out of the lenient set: say so, not "does not exist". */
		adr_buf path = ADR_BUF_INIT;
		rc = adr__change_record_path(&path, ch, number);
		for (size_t k = 0; rc == 0 && k < set->errors.count; k++) {
			const char *e = set->errors.items[k];
			if (strncmp(e, path.ptr, path.size) == 0 && e[path.size] == ':')
				rc = adr__hint(ADR_HINT_EDIT, adr__error(ADR_EINVALID, "%s", e));
		}
		adr_buf_dispose(&path);
		if (rc < 0 && rc != ADR_ENOTFOUND)
			return rc;
		return adr__error(ADR_ENOTFOUND, "record %04d does not exist on %s", number, adr_change_branch(ch));
	}
	if (set->items[found]->warnings.count)
		return adr__hint(ADR_HINT_EDIT, adr__error(ADR_EINVALID, "%s", set->items[found]->warnings.items[0]));
	*out = set->items[found];
	return 0;
}

int adr__op_record(adr_record **out, adr_change *ch, int number)
{
	return change_record(out, ch, number);
}

/* The path of record `number` in the change's tip, by file name. */
static int change_record_path(adr_buf *out, adr_change *ch, int number)
{
	int rc = adr__change_record_path(out, ch, number);
	if (rc == ADR_ENOTFOUND)
		return adr__error(ADR_ENOTFOUND, "record %04d does not exist on %s", number, adr_change_branch(ch));
	return rc;
}

/* --- init --------------------------------------------------------------- */

typedef struct {
	adr_op_result *res;
	const char *dir;
	const char *template_name;
	adr_record *first;
} init_ctx;

static int init_fn(adr_change *ch, void *payload)
{
	init_ctx *c = payload;
	adr_buf cfg = ADR_BUF_INIT, path = ADR_BUF_INIT, fname = ADR_BUF_INIT;
	char num[16];
	int rc;

	if (adr_change_exists(ch, ".adr.yaml")) {
		rc = adr__error(ADR_EEXISTS, "this repository already has .adr.yaml on %s", adr_change_branch(ch));
		goto cleanup;
	}
	adr_buf_puts(&cfg, "# Settings for adr, the decision log tool.\n");
	adr_buf_puts(&cfg, "dir: ");
	adr__yaml_write_scalar(&cfg, c->dir);
	adr_buf_puts(&cfg, "\ntemplate: ");
	adr__yaml_write_scalar(&cfg, c->template_name);
	adr_buf_puts(&cfg, "\n");
	if (adr_buf_oom(&cfg)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = adr_change_write(ch, ".adr.yaml", cfg.ptr, cfg.size)) < 0)
		goto cleanup;
	c->first->number = 1;
	if ((rc = adr_record_filename(&fname, 1, c->first->slug)) < 0)
		goto cleanup;
	adr_buf_printf(&path, "%s/%s", c->dir, fname.ptr);
	free(c->first->path);
	c->first->path = adr__strdup(path.ptr);
	if (!c->first->path) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (adr_change_exists(ch, path.ptr)) {
		rc = adr__error(ADR_EEXISTS, "'%s' already exists", path.ptr);
		goto cleanup;
	}
	if ((rc = adr_change_write_record(ch, c->first)) < 0 || (rc = adr__op_set_path(c->res, path.ptr)) < 0)
		goto cleanup;
	c->res->number = 1;
	adr__trailer_number(num, 1);
	rc = adr__op_message(ch, "init", (const char *const[]){ ADR_TRAILER_RECORD, num, NULL }, "init %s", c->dir);
cleanup:
	adr_buf_dispose(&cfg);
	adr_buf_dispose(&path);
	adr_buf_dispose(&fname);
	return rc;
}

int adr_op_init(adr_op_result *res, adr_repo *repo, const char *dir, const char *template_name)
{
	init_ctx c = { res, NULL, NULL, NULL };
	adr_buf slug = ADR_BUF_INIT;
	char today[11];
	int rc;

	if (!template_name)
		template_name = "default";
	if (dir && (rc = adr_repo_set_records_dir(repo, dir)) < 0)
		return rc;
	c.dir = adr_repo_records_dir(repo);
	c.template_name = template_name;
	/* Check the template exists before anything is written. */
	{
		adr_buf t = ADR_BUF_INIT;
		rc = adr_repo_load_template(&t, repo, template_name);
		adr_buf_dispose(&t);
		if (rc < 0)
			return rc;
	}
	if ((rc = adr_record_from_template(&c.first, repo, "first", "Record decisions in Git")) < 0)
		return rc;
	adr_today(today);
	memcpy(c.first->date, today, sizeof(today));
	c.first->status = ADR_STATUS_ACCEPTED;
	/* Whoever sets the log up decides to keep one (check warns about an
	 * accepted record without decision-makers): the identity the commit is
	 * made with, so without one init fails here as the commit would. */
	{
		char *me = NULL;
		if ((rc = adr_repo_user_name(&me, repo)) == 0 && *me && !strchr(me, '\n'))
			rc = adr_strlist_add(&c.first->decision_makers, me);
		free(me);
		if (rc < 0)
			goto cleanup;
	}
	if ((rc = adr_slugify(&slug, "Record decisions in Git")) < 0)
		goto cleanup;
	free(c.first->slug);
	c.first->slug = adr_buf_detach(&slug);
	rc = adr__op_commit(res, repo, init_fn, &c, NULL);
	/* The commit is made: a configuration that cannot be read back is a
	 * warning, not a failure of a command whose work is done. */
	if (rc == 0 && adr_repo_reload(repo) < 0 && !res->commit.warning) {
		adr_buf w = ADR_BUF_INIT;
		adr_buf_printf(&w, "the log is set up, but reading its configuration back failed: %s",
			       adr_error_last());
		adr_error_clear();
		if (adr_buf_oom(&w))
			rc = adr__error_oom(); /* (the clear above dropped the buffer's own) */
		else
			res->commit.warning = adr_buf_detach(&w);
	}
cleanup:
	adr_buf_dispose(&slug);
	adr_record_free(c.first);
	return rc;
}

/* --- new ---------------------------------------------------------------- */

typedef struct {
	adr_op_result *res;
	adr_record *r;
	const char *slug;
	const char *commit;   /* a code commit this record is made for, or NULL */
} new_ctx;

static int new_fn(adr_change *ch, void *payload)
{
	new_ctx *c = payload;
	adr_record *r = c->r;
	adr_buf path = ADR_BUF_INIT;
	char num[16];
	int rc, number = r->number;

	rc = adr__op_next_record(&path, &number, ch, c->slug);
	r->number = number;
	if (rc < 0)
		goto cleanup;
	free(r->path);
	if (!(r->path = adr__strdup(path.ptr))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < r->supersedes.count; i++) {
		adr_record *old;
		int n = r->supersedes.items[i];
		if ((rc = change_record(&old, ch, n)) < 0)
			goto cleanup;
		old->status = ADR_STATUS_SUPERSEDED;
		if ((rc = adr_intlist_add_unique(&old->superseded_by, number)) < 0 ||
		    (rc = adr_change_write_record(ch, old)) < 0)
			goto cleanup;
	}
	for (size_t i = 0; i < r->nlinks; i++) {
		adr_record *target;
		char *rev;
		if ((rc = change_record(&target, ch, r->links[i].target)) < 0)
			goto cleanup;
		if (!(rev = adr_link_reverse(r->links[i].type))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		rc = adr_record_add_link(target, rev, number);
		free(rev);
		if (rc < 0 || (rc = adr_change_write_record(ch, target)) < 0)
			goto cleanup;
	}
	if ((rc = adr_change_write_record(ch, r)) < 0)
		goto cleanup;
	adr__trailer_number(num, number);
	if ((rc = adr__op_message(ch, "new", (const char *const[]){ ADR_TRAILER_RECORD, num, NULL }, "new %04d %s",
				  number, r->title)) < 0)
		goto cleanup;
	for (size_t i = 0; i < r->supersedes.count; i++) {
		adr__trailer_number(num, r->supersedes.items[i]);
		if ((rc = adr_change_add_trailer(ch, ADR_TRAILER_SUPERSEDES, num)) < 0)
			goto cleanup;
	}
	if (c->commit && (rc = adr_change_add_trailer(ch, ADR_TRAILER_COMMIT, c->commit)) < 0)
		goto cleanup;
	c->res->number = number;
	rc = adr__op_set_path(c->res, path.ptr);
cleanup:
	adr_buf_dispose(&path);
	return rc;
}

int adr__op_new(adr_op_result *res, adr_repo *repo, adr_record *r, const char *commit)
{
	adr_buf slug = ADR_BUF_INIT;
	new_ctx c = { res, r, NULL, commit };
	int rc;

	if ((rc = adr_slugify(&slug, r->title)) < 0)
		return rc;
	c.slug = slug.ptr;
	if (r->number > 0)
		r->number = -1;
	if ((rc = adr_record_validate(r)) < 0)
		goto cleanup;
	/* A decision recorded without a revisit date gets the .adr.yaml cadence. */
	if (r->status == ADR_STATUS_ACCEPTED && !r->revisit[0] && adr_repo_revisit_cadence(repo) &&
	    (rc = adr_revisit_date(r->revisit, repo, NULL, "revisit")) < 0)
		goto cleanup;
	/* A record is superseded by a newer one, which must exist and say so:
	 * `adr check` rejects a superseded record that names no successor. */
	if (r->status == ADR_STATUS_SUPERSEDED && r->superseded_by.count == 0) {
		rc = adr__hint(ADR_HINT_SUPERSEDE, adr__error(ADR_EUSAGE,
			       "a new record cannot start as superseded: record it, then supersede it once the "
			       "newer record exists"));
		goto cleanup;
	}
	rc = adr__op_commit(res, repo, new_fn, &c, NULL);
cleanup:
	adr_buf_dispose(&slug);
	return rc;
}

int adr_op_new(adr_op_result *res, adr_repo *repo, adr_record *r)
{
	return adr__op_new(res, repo, r, NULL);
}

/* --- edit --------------------------------------------------------------- */

typedef struct {
	adr_op_result *res;
	int number;
	const char *text;
	size_t len;
	const char *base;
	size_t base_len;
} edit_ctx;

static int edit_fn(adr_change *ch, void *payload)
{
	edit_ctx *c = payload;
	adr_record *cur = NULL, *next = NULL;
	adr_buf now = ADR_BUF_INIT, path = ADR_BUF_INIT;
	char num[16];
	int rc;

	if ((rc = change_record_path(&path, ch, c->number)) < 0)
		return rc;
	if ((rc = adr_change_read(ch, &now, path.ptr)) < 0)
		goto cleanup;
	if (c->base && (now.size != c->base_len || memcmp(now.ptr, c->base, c->base_len) != 0)) {
		rc = adr__error(ADR_ECONFLICT, "%s changed on %s while you were editing it", path.ptr,
				adr_change_branch(ch));
		goto cleanup;
	}
	if ((rc = adr_record_parse(&next, path.ptr, c->text, c->len, 0)) < 0)
		goto cleanup;
	/* Editing a meeting record is its cleanup: the flag goes unless the edit set it. */
	if (adr_record_parse(&cur, path.ptr, now.ptr, now.size, ADR_PARSE_LENIENT) == 0 && cur->cleanup_by[0] &&
	    strcmp(cur->cleanup_by, next->cleanup_by) == 0 &&
	    (now.size != c->len || memcmp(now.ptr, c->text, c->len) != 0))
		next->cleanup_by[0] = '\0';
	adr_error_clear();
	if ((rc = adr_change_write_record(ch, next)) < 0)
		goto cleanup;
	adr__trailer_number(num, c->number);
	if ((rc = adr__op_message(ch, "edit", (const char *const[]){ ADR_TRAILER_RECORD, num, NULL }, "edit %04d %s",
				  c->number, next->title)) < 0)
		goto cleanup;
	c->res->number = c->number;
	rc = adr__op_set_path(c->res, path.ptr);
cleanup:
	adr_record_free(cur);
	adr_record_free(next);
	adr_buf_dispose(&now);
	adr_buf_dispose(&path);
	return rc;
}

int adr_op_edit(adr_op_result *res, adr_repo *repo, int number, const char *text, size_t len,
		const char *base, size_t base_len)
{
	edit_ctx c = { res, number, text, len, base, base_len };
	return adr__op_commit(res, repo, edit_fn, &c, NULL);
}

/* --- status ------------------------------------------------------------- */

typedef struct {
	adr_op_result *res;
	int number;
	adr_status status;
	const char *reason;
} status_ctx;

/* The heading of the section that keeps the reason for a status change. */
static const char *reason_heading(adr_status s)
{
	switch (s) {
	case ADR_STATUS_ACCEPTED: return "Note on acceptance";
	case ADR_STATUS_REJECTED: return "Reason for rejection";
	case ADR_STATUS_DEPRECATED: return "Reason for deprecation";
	case ADR_STATUS_SUPERSEDED: return "Reason for supersession";
	default: return "Reason for the status change";
	}
}

/* Appends "## <heading> (<date>)" and the reason to the body. */
static int add_status_reason(adr_record *r, adr_status s, const char *reason)
{
	adr_buf heading = ADR_BUF_INIT;
	char today[11];
	int rc;

	adr_today(today);
	adr_buf_printf(&heading, "%s (%s)", reason_heading(s), today);
	rc = adr_buf_oom(&heading) ? ADR_ENOMEM : adr_record_append_section(r, heading.ptr, reason);
	adr_buf_dispose(&heading);
	return rc;
}

static int status_fn(adr_change *ch, void *payload)
{
	status_ctx *c = payload;
	adr_record *r;
	char num[16];
	int rc;

	if ((rc = change_record(&r, ch, c->number)) < 0)
		return rc;
	/* Only a newer record supersedes this one: without superseded-by the
	 * record would be one that `adr check` rejects. */
	if (c->status == ADR_STATUS_SUPERSEDED && r->superseded_by.count == 0)
		return adr__hint(ADR_HINT_SUPERSEDE, adr__error(ADR_EUSAGE,
				 "%s names no newer record in superseded-by: record what replaces it", r->path));
	if (r->status != c->status && c->status == ADR_STATUS_ACCEPTED)
		adr_today(r->date);
	r->status = c->status;
	if (c->reason && ((rc = add_status_reason(r, c->status, c->reason)) < 0 ||
			  (rc = adr_change_set_body(ch, c->reason)) < 0))
		return rc;
	if ((rc = adr_change_write_record(ch, r)) < 0)
		return rc;
	adr__trailer_number(num, c->number);
	if ((rc = adr__op_message(ch, "status",
				  (const char *const[]){ ADR_TRAILER_RECORD, num, ADR_TRAILER_STATUS,
							 adr_status_name(c->status), NULL },
				  "status %04d %s: %s", c->number, adr_status_name(c->status), r->title)) < 0)
		return rc;
	c->res->number = c->number;
	return adr__op_set_path(c->res, r->path);
}

int adr_op_set_status(adr_op_result *res, adr_repo *repo, int number, adr_status status)
{
	return adr_op_set_status_reason(res, repo, number, status, NULL);
}

int adr_op_set_status_reason(adr_op_result *res, adr_repo *repo, int number, adr_status status,
			     const char *reason)
{
	status_ctx c = { res, number, status, NULL };
	int rc;
	if (status == ADR_STATUS_NONE)
		return adr__error(ADR_EUSAGE, "a status is required");
	if (reason && (rc = adr__text_check("the reason", reason, strlen(reason))) < 0)
		return rc;
	c.reason = reason && *reason ? reason : NULL;
	return adr__op_commit(res, repo, status_fn, &c, NULL);
}

/* --- supersede ---------------------------------------------------------- */

typedef struct {
	adr_op_result *res;
	int old_number, new_number;
} supersede_ctx;

static int supersede_fn(adr_change *ch, void *payload)
{
	supersede_ctx *c = payload;
	adr_record *old, *nw;
	char nnew[16], nold[16];
	int rc;

	if ((rc = change_record(&old, ch, c->old_number)) < 0 || (rc = change_record(&nw, ch, c->new_number)) < 0)
		return rc;
	if (adr_intlist_contains(&old->supersedes, c->new_number))
		return adr__error(ADR_EINVALID, "record %04d already supersedes %04d; a cycle is not allowed",
				  c->old_number, c->new_number);
	old->status = ADR_STATUS_SUPERSEDED;
	if ((rc = adr_intlist_add_unique(&old->superseded_by, c->new_number)) < 0 ||
	    (rc = adr_intlist_add_unique(&nw->supersedes, c->old_number)) < 0 ||
	    (rc = adr_change_write_record(ch, old)) < 0 || (rc = adr_change_write_record(ch, nw)) < 0)
		return rc;
	adr__trailer_number(nnew, c->new_number);
	adr__trailer_number(nold, c->old_number);
	if ((rc = adr__op_message(ch, "supersede",
				  (const char *const[]){ ADR_TRAILER_RECORD, nnew, ADR_TRAILER_SUPERSEDES, nold, NULL },
				  "supersede %04d with %04d", c->old_number, c->new_number)) < 0)
		return rc;
	c->res->number = c->new_number;
	return adr__op_set_path(c->res, nw->path);
}

int adr_op_supersede(adr_op_result *res, adr_repo *repo, int old_number, int new_number)
{
	supersede_ctx c = { res, old_number, new_number };
	if (old_number == new_number)
		return adr__error(ADR_EUSAGE, "a record cannot supersede itself");
	return adr__op_commit(res, repo, supersede_fn, &c, NULL);
}

/* --- link --------------------------------------------------------------- */

static const char *const link_pairs[][2] = {
	{ "amends", "amended-by" },
	{ "relates-to", "relates-to" },
	{ "depends-on", "required-by" },
	{ "extends", "extended-by" },
	{ "clarifies", "clarified-by" },
	{ "implements", "implemented-by" },
	{ "refines", "refined-by" },
	{ "conflicts-with", "conflicts-with" },
	{ NULL, NULL }
};

char *adr_link_reverse(const char *type)
{
	size_t n = strlen(type);
	char *out;
	for (int i = 0; link_pairs[i][0]; i++) {
		if (strcmp(type, link_pairs[i][0]) == 0)
			return adr__strdup(link_pairs[i][1]);
		if (strcmp(type, link_pairs[i][1]) == 0)
			return adr__strdup(link_pairs[i][0]);
	}
	if (n > 3 && strcmp(type + n - 3, "-by") == 0)
		return adr__strndup(type, n - 3);
	out = adr__malloc(n + 4);
	if (out) {
		memcpy(out, type, n);
		memcpy(out + n, "-by", 4);
	}
	return out;
}

bool adr_link_type_known(const char *type)
{
	for (int i = 0; link_pairs[i][0]; i++)
		if (strcmp(type, link_pairs[i][0]) == 0 || strcmp(type, link_pairs[i][1]) == 0)
			return true;
	return false;
}

const char *adr_link_known_type(size_t i)
{
	for (size_t k = 0; link_pairs[k][0]; k++) {
		if (i-- == 0)
			return link_pairs[k][0];
		if (strcmp(link_pairs[k][0], link_pairs[k][1]) != 0 && i-- == 0)
			return link_pairs[k][1];
	}
	return NULL;
}

typedef struct {
	adr_op_result *res;
	int a, b;
	const char *type, *reverse;
} link_ctx;

static int link_fn(adr_change *ch, void *payload)
{
	link_ctx *c = payload;
	adr_record *ra, *rb;
	char na[16], nb[16];
	int rc;

	if ((rc = change_record(&ra, ch, c->a)) < 0 || (rc = change_record(&rb, ch, c->b)) < 0)
		return rc;
	if ((rc = adr_record_add_link(ra, c->type, c->b)) < 0 || (rc = adr_record_add_link(rb, c->reverse, c->a)) < 0)
		return rc;
	if ((rc = adr_change_write_record(ch, ra)) < 0 || (rc = adr_change_write_record(ch, rb)) < 0)
		return rc;
	adr__trailer_number(na, c->a);
	adr__trailer_number(nb, c->b);
	if ((rc = adr__op_message(ch, "link",
				  (const char *const[]){ ADR_TRAILER_RECORD, na, ADR_TRAILER_RECORD, nb, NULL },
				  "link %04d %s %04d", c->a, c->type, c->b)) < 0)
		return rc;
	c->res->number = c->a;
	return adr__op_set_path(c->res, ra->path);
}

static bool valid_link_type(const char *t)
{
	return strlen(t) <= ADR_LINK_TYPE_MAX && adr_link_type_valid(t, strlen(t));
}

int adr_op_link(adr_op_result *res, adr_repo *repo, int a, const char *type, int b, const char *reverse)
{
	link_ctx c = { res, a, b, type, reverse };
	char *rev = NULL;
	int rc;

	if (a == b)
		return adr__error(ADR_EUSAGE, "a record cannot link to itself");
	if (!valid_link_type(type))
		return adr__error(ADR_EUSAGE, "link type '%s' must be lowercase letters, digits and '-'", type);
	if (!reverse) {
		if (!(rev = adr_link_reverse(type)))
			return ADR_ENOMEM;
		c.reverse = rev;
	} else if (!valid_link_type(reverse)) {
		return adr__error(ADR_EUSAGE, "link type '%s' must be lowercase letters, digits and '-'", reverse);
	}
	rc = adr__op_commit(res, repo, link_fn, &c, NULL);
	free(rev);
	return rc;
}
