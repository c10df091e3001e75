/* adr check: is the decision log consistent? (see adr/check.h) */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/check.h"
#include "record/legacy.h"
#include "adr/text.h"
#include "log/check_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/progress.h"

int adr__findings_add(adr_findings *f, const char *path, int line, int col, const char *code,
		     const char *fmt, ...)
{
	adr_buf b = ADR_BUF_INIT;
	adr_finding *it;
	va_list ap;
	va_start(ap, fmt);
	adr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (adr_buf_oom(&b) || ADR_ARRAY_GROW(f->items, f->alloc, f->count + 1) < 0) {
		adr_buf_dispose(&b);
		return ADR_ENOMEM;
	}
	it = &f->items[f->count];
	it->path = adr__strdup(path ? path : "<input>");
	it->code = it->path ? adr__strdup(code) : NULL;
	it->message = adr_buf_detach(&b);
	it->line = line > 0 ? line : 1;
	it->col = col > 0 ? col : 1;
	if (!it->code || !it->message) {
		free(it->path);
		free(it->code);
		free(it->message);
		return it->code ? adr__error_oom() : ADR_ENOMEM;
	}
	f->count++;
	return 0;
}

void adr_findings_dispose(adr_findings *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->count; i++) {
		free(f->items[i].path);
		free(f->items[i].code);
		free(f->items[i].message);
	}
	free(f->items);
	f->items = NULL;
	f->count = f->alloc = 0;
}

int adr__check_key_line(const adr_record *r, const char *key)
{
	adr_buf b = ADR_BUF_INIT;
	size_t kl = strlen(key);
	int line = 1, found = 1;
	if (!r->has_frontmatter || adr_record_serialize(&b, r) < 0) {
		adr_error_clear();
		adr_buf_dispose(&b);
		return 1;
	}
	for (const char *p = b.ptr; *p; line++) {
		const char *nl = strchr(p, '\n');
		if (line > 1 && !strncmp(p, "---", 3))
			break;
		if (!strncmp(p, key, kl) && p[kl] == ':') {
			found = line;
			break;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	adr_buf_dispose(&b);
	return found;
}

/* "path:line:col: what" -> a finding; other messages keep the given path. */
static int add_message(adr_findings *out, const char *fallback, const char *code, const char *msg)
{
	const char *c1 = strstr(msg, ":");
	int line = 1, col = 1;
	char *path = NULL;
	int rc;
	/* the path itself may hold ':'; look for ":<digits>:<digits>: " */
	for (const char *p = msg; (c1 = strchr(p, ':')) != NULL; p = c1 + 1) {
		int l, c, used = 0;
		if (sscanf(c1, ":%d:%d: %n", &l, &c, &used) == 2 && used > 0) {
			path = strndup(msg, (size_t)(c1 - msg));
			line = l;
			col = c;
			msg = c1 + used;
			break;
		}
	}
	rc = adr__findings_add(out, path ? path : fallback, line, col, code, "%s", msg);
	free(path);
	return rc;
}

/* Markdown links `](target)` to record files in the same directory. */
static int check_body_links(adr_findings *out, const adr__check_lookup *set, const adr_record *r)
{
	const char *dirend = r->path ? strrchr(r->path, '/') : NULL;
	size_t dl = dirend ? (size_t)(dirend - r->path) + 1 : 0;
	int line = r->body_line, rc = 0;
	adr_buf p = ADR_BUF_INIT;
	for (const char *s = r->body; s && *s; s++) {
		const char *t, *e;
		size_t tn;
		int n;
		if (*s == '\n')
			line++;
		if (s[0] != ']' || s[1] != '(')
			continue;
		t = s + 2;
		e = t;
		while (*e && *e != ')' && *e != ' ' && *e != '\n' && *e != '#')
			e++;
		tn = (size_t)(e - t);
		if (tn >= 2 && t[0] == '.' && t[1] == '/')
			t += 2, tn -= 2;
		if (tn < 4 || memchr(t, '/', tn) || memchr(t, ':', tn) || strncasecmp(t + tn - 3, ".md", 3))
			continue;
		adr_buf_clear(&p);
		adr_buf_put(&p, t, tn);
		if (adr_record_parse_filename(&n, NULL, p.ptr) < 0) {
			adr_error_clear();
			continue;
		}
		adr_buf_clear(&p);
		adr_buf_put(&p, r->path, dl);
		adr_buf_put(&p, t, tn);
		if (adr_buf_oom(&p)) {
			rc = ADR_ENOMEM;
			break;
		}
		if (!adr__check_has_path(set, p.ptr) &&
		    (rc = adr__findings_add(out, r->path, line, 1, "dangling-link", "link to '%.*s', which does not exist",
					   (int)tn, t)) < 0)
			break;
	}
	adr_buf_dispose(&p);
	return rc;
}

/* --- characters a terminal acts on (adr/text.h) ----------------------------- */

#define UNSAFE_MAX 20 /* findings per record; the rest are counted in one more */

/* "bidi control U+202E (RIGHT-TO-LEFT OVERRIDE)" */
static void describe(char *buf, size_t size, uint32_t cp)
{
	const char *name = adr_text_char_name(cp);
	if (cp == 0xFFFFFFFFu)
		snprintf(buf, size, "invalid UTF-8");
	else
		snprintf(buf, size, "%s U+%04X%s%s%s", adr_text_unsafe(cp), (unsigned)cp, name ? " (" : "",
			 name ? name : "", name ? ")" : "");
}

/* 1-based column in characters of s[off] in the line that starts at s. */
static int char_col(const char *s, size_t off)
{
	int col = 1;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

/* The line of front matter key `key` as written and the column of its first
 * unsafe character there (or of its value, when the character is written
 * as a YAML escape). */
static void key_pos(const adr_record *r, const char *key, int *line, int *col)
{
	adr_buf b = ADR_BUF_INIT;
	size_t kl = strlen(key);
	int l = 1;
	*line = adr__check_key_line(r, key);
	*col = 1;
	if (*line <= 1 || adr_record_serialize(&b, r) < 0) {
		adr_error_clear();
		adr_buf_dispose(&b);
		return;
	}
	for (const char *p = b.ptr; *p; l++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (l == *line) {
			size_t at = adr_text_find_unsafe(p, n, 0, NULL);
			if (at < n) {
				*col = char_col(p, at);
			} else if (n > kl + 1 && !strncmp(p, key, kl) && p[kl] == ':') {
				size_t v = kl + 1;
				while (v < n && p[v] == ' ')
					v++;
				*col = char_col(p, v);
			}
			break;
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	adr_buf_dispose(&b);
}

static int unsafe_value(adr_findings *out, const adr_record *r, const char *path, const char *key,
			const char *v, size_t *count)
{
	uint32_t cp;
	char what[96];
	int line, col;
	if (!v || adr_text_find_unsafe(v, strlen(v), 0, &cp) == strlen(v) || ++*count > UNSAFE_MAX)
		return 0;
	describe(what, sizeof(what), cp);
	key_pos(r, key, &line, &col);
	return adr__findings_add(out, path, line, col, "control-character", "%s: %s, which a terminal acts on "
				"instead of showing", key, what);
}

static int unsafe_list(adr_findings *out, const adr_record *r, const char *path, const char *key,
		       const adr_strlist *l, size_t *count)
{
	int rc;
	for (size_t i = 0; i < l->count; i++)
		if ((rc = unsafe_value(out, r, path, key, l->items[i], count)) < 0)
			return rc;
	return 0;
}

/*
 * Control characters, bidi controls and line separators in the file name,
 * the front matter values and the body: `adr` escapes them on output, but
 * other tools (cat, git log, an editor) show them raw. One finding per
 * line, at the first such character.
 */
static int check_unsafe(adr_findings *out, const adr_record *r)
{
	const char *path = r->path ? r->path : "<input>";
	const char *body = r->body ? r->body : "";
	size_t count = 0, at;
	char what[96];
	uint32_t cp;
	int rc, line = r->body_line;

	if (r->path && (at = adr_text_find_unsafe(r->path, strlen(r->path), 0, &cp)) < strlen(r->path)) {
		describe(what, sizeof(what), cp);
		count++;
		if ((rc = adr__findings_add(out, path, 1, 1, "control-character",
					   "the file name has a %s at character %d; rename the file", what,
					   char_col(r->path, at))) < 0)
			return rc;
	}
	/* A title from the front matter (the one from the body is found below). */
	if (r->title && *r->title && !strstr(body, r->title) &&
	    (rc = unsafe_value(out, r, path, "title", r->title, &count)) < 0)
		return rc;
	if ((rc = unsafe_value(out, r, path, "status", r->status_word, &count)) < 0 ||
	    (rc = unsafe_list(out, r, path, "decision-makers", &r->decision_makers, &count)) < 0 ||
	    (rc = unsafe_list(out, r, path, "consulted", &r->consulted, &count)) < 0 ||
	    (rc = unsafe_list(out, r, path, "informed", &r->informed, &count)) < 0 ||
	    (rc = unsafe_list(out, r, path, "tags", &r->tags, &count)) < 0 ||
	    (rc = unsafe_list(out, r, path, "affects", &r->affects, &count)) < 0)
		return rc;
	for (const char *p = body; *p; line++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
		at = adr_text_find_unsafe(p, n, ADR_TEXT_LINES, &cp);
		if (at < n && ++count <= UNSAFE_MAX) {
			describe(what, sizeof(what), cp);
			if ((rc = adr__findings_add(out, path, line, char_col(p, at), "control-character",
						   "%s, which a terminal acts on instead of showing", what)) < 0)
				return rc;
		}
		p += n;
	}
	if (count > UNSAFE_MAX &&
	    (rc = adr__findings_add(out, path, 1, 1, "control-character",
				   "%zu more lines or values with control characters", count - UNSAFE_MAX)) < 0)
		return rc;
	return 0;
}

/* Each number in supersedes (or, `by`, superseded-by) names a record that
 * exists and says the same the other way round. */
static int check_supersede(adr_findings *out, const adr__check_lookup *set, const adr_record *r, bool by)
{
	const char *path = r->path ? r->path : "<input>";
	const adr_intlist *l = by ? &r->superseded_by : &r->supersedes;
	const char *key = by ? "superseded-by" : "supersedes";
	const char *verb = by ? "superseded by" : "supersedes";
	const char *back = by ? "supersedes" : "superseded-by";
	int rc;
	for (size_t i = 0; i < l->count; i++) {
		int n = l->items[i];
		const adr_record *o = adr__check_find_number(set, n);
		int line = adr__check_key_line(r, key);
		if (!o)
			rc = adr__findings_add(out, path, line, 1, "dangling-link", "%s %04d, which does not exist", verb, n);
		else if (r->number >= 0 && !adr_intlist_contains(by ? &o->supersedes : &o->superseded_by, r->number))
			rc = adr__findings_add(out, path, line, 1, "one-sided-supersede",
					      "%s %04d, but %s does not say %s %04d", verb, n, o->path, back, r->number);
		else
			rc = 0;
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int check_record(adr_findings *out, const adr__check_lookup *set, const adr_record *r, const char *today)
{
	const char *path = r->path ? r->path : "<input>";
	int rc;

	for (size_t w = 0; w < r->warnings.count; w++)
		if ((rc = add_message(out, path, "schema", r->warnings.items[w])) < 0)
			return rc;
	if (!r->warnings.count && adr_record_validate(r) < 0) {
		if ((rc = adr__findings_add(out, path, 1, 1, "schema", "%s", adr_error_last())) < 0)
			return rc;
		adr_error_clear();
	}
	if (r->status == ADR_STATUS_NONE && !r->status_word &&
	    (rc = adr__findings_add(out, path, 1, 1, "schema", "no status")) < 0)
		return rc;
	if ((rc = check_supersede(out, set, r, false)) < 0 || (rc = check_supersede(out, set, r, true)) < 0)
		return rc;
	for (size_t i = 0; i < r->nlinks; i++)
		if (!adr__check_find_number(set, r->links[i].target) &&
		    (rc = adr__findings_add(out, path, adr__check_key_line(r, "links"), 1, "dangling-link",
					   "%s %04d, which does not exist", r->links[i].type, r->links[i].target)) < 0)
			return rc;
	if ((rc = check_body_links(out, set, r)) < 0)
		return rc;
	if ((rc = check_unsafe(out, r)) < 0)
		return rc;
	if (r->status == ADR_STATUS_ACCEPTED && !r->date[0] &&
	    (rc = adr__findings_add(out, path, adr__check_key_line(r, "status"), 1, "status-date",
				   "accepted without a date")) < 0)
		return rc;
	if (r->status == ADR_STATUS_SUPERSEDED && !r->superseded_by.count &&
	    (rc = adr__findings_add(out, path, adr__check_key_line(r, "status"), 1, "status-date",
				   "superseded, but superseded-by names no record")) < 0)
		return rc;
	if (r->superseded_by.count && r->status != ADR_STATUS_SUPERSEDED && r->status != ADR_STATUS_NONE &&
	    (rc = adr__findings_add(out, path, adr__check_key_line(r, "status"), 1, "status-date",
				   "has superseded-by but its status is %s", adr_status_name(r->status))) < 0)
		return rc;
	if (r->date[0] && strcmp(r->date, today) > 0 &&
	    (rc = adr__findings_add(out, path, adr__check_key_line(r, "date"), 1, "status-date",
				   "date %s is in the future", r->date)) < 0)
		return rc;
	return 0;
}

/*
 * Two non-ASCII names that differ in bytes but give the same slug once
 * accents are dropped (adr_slugify treats NFC and NFD alike): "café" in NFC
 * and in NFD, which some file systems keep apart and others merge.
 */
static bool same_in_other_form(const char *a, const char *b)
{
	adr_buf sa = ADR_BUF_INIT, sb = ADR_BUF_INIT;
	bool same = false, non_ascii = false;
	size_t la = strlen(a), lb = strlen(b);
	for (const char *p = a; *p; p++)
		if ((unsigned char)*p >= 0x80)
			non_ascii = true;
	for (const char *p = b; non_ascii && *p; p++)
		if ((unsigned char)*p >= 0x80)
			break;
		else if (!p[1])
			non_ascii = false;
	if (!non_ascii || la < 3 || lb < 3 || la == lb)
		return false; /* NFC and NFD forms of one name differ in length */
	if (adr_slugify(&sa, a) == 0 && adr_slugify(&sb, b) == 0 && sa.size && !strcmp(sa.ptr, sb.ptr))
		same = true;
	adr_error_clear();
	adr_buf_dispose(&sa);
	adr_buf_dispose(&sb);
	return same;
}

static int check_set(adr_findings *out, const adr_recordset *set, const bool *pub);

int adr__check_records(adr_findings *out, const adr_recordset *set)
{
	return check_set(out, set, NULL);
}

static int check_set(adr_findings *out, const adr_recordset *set, const bool *pub)
{
	adr__check_lookup *look = NULL;
	char today[11];
	int rc;
	adr_today(today);
	for (size_t e = 0; e < set->errors.count; e++)
		if ((rc = add_message(out, "<input>", "parse", set->errors.items[e])) < 0)
			return rc;
	/* F12: "<path>: not a regular file (mode NNNNNN); skipped" (lib/repo.c) */
	for (size_t e = 0; e < set->skipped.count; e++) {
		const char *msg = set->skipped.items[e], *tail = NULL;
		char *path;
		for (const char *p = msg; (p = strstr(p, ": not a regular file")) != NULL; p++)
			tail = p;
		if (!tail)
			tail = msg + strlen(msg);
		if (!(path = adr__strndup(msg, (size_t)(tail - msg))))
			return ADR_ENOMEM;
		rc = adr__findings_add(out, path, 1, 1, "not-regular",
				      "not a regular file (mode %.6s); a record must be a committed regular file, "
				      "so readers skip it", *tail ? tail + strlen(": not a regular file (mode ") : "?");
		free(path);
		if (rc < 0)
			return rc;
	}
	/* Records kept as folders (<slug>/index.md) are not read until imported. */
	for (size_t e = 0; e < set->folders.count; e++)
		if ((rc = adr__findings_add(out, set->folders.items[e], 1, 1, "folder-record",
					   "a record kept as a folder, which only 'adr list' and 'adr show' read; 'adr import' converts it")) < 0)
			return rc;
	if ((rc = adr__check_lookup_new(&look, set)) < 0)
		return rc;
	for (size_t i = 0; i < set->count; i++) {
		const adr_record *r = set->items[i];
		const size_t *cand;
		size_t ncand;
		if ((rc = check_record(out, look, r, today)) < 0 ||
		    (rc = adr__check_lookup_pairs(look, i, &cand, &ncand)) < 0)
			goto cleanup;
		/* Only the earlier records that share a number, a name but for
		 * case or a slug can pair with r: the same tests, in the same
		 * order, as comparing r with every earlier record. */
		for (size_t c = 0; c < ncand; c++) {
			size_t j = cand[c];
			const adr_record *o = set->items[j];
			if (r->number >= 0 && o->number == r->number && (rc = adr__check_duplicate_number(out, r, o, pub, i, j)) < 0)
				goto cleanup;
			if (r->path && o->path && strcmp(r->path, o->path) && same_in_other_form(r->path, o->path) &&
			    (rc = adr__findings_add(out, r->path, 1, 1, "duplicate-name",
						   "the same name as %s in another Unicode form", o->path)) < 0)
				goto cleanup;
			if (r->path && o->path && strcmp(r->path, o->path) && !strcasecmp(r->path, o->path) &&
			    (rc = adr__findings_add(out, r->path, 1, 1, "duplicate-name",
						   "same name as %s but for case", o->path)) < 0)
				goto cleanup;
		}
	}
	rc = 0;
cleanup:
	adr__check_lookup_free(look);
	return rc;
}

/* --- across branches ------------------------------------------------------- */

typedef struct {
	int number;
	char *name;   /* file name */
	char *ref;
} numbered;

static int cmp_numbered(const void *a, const void *b)
{
	const numbered *x = a, *y = b;
	int c = (x->number > y->number) - (x->number < y->number);
	return c ? c : strcmp(x->name, y->name);
}

static bool proposal_ref(const char *name, const char **suffix)
{
	const char *p;
	if (!strncmp(name, "refs/heads/adr/", 15)) {
		*suffix = name + 15;
		return true;
	}
	if (!strncmp(name, "refs/remotes/", 13) && (p = strchr(name + 13, '/')) && !strncmp(p, "/adr/", 5)) {
		*suffix = p + 5;
		return true;
	}
	return false;
}

typedef struct {
	numbered *items;
	size_t count, alloc;
} numbered_list;

static void numbered_list_dispose(numbered_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].name);
		free(l->items[i].ref);
	}
	free(l->items);
}

/* A proposal branch merged into the decision branch, whose record still says proposed. */
static int check_merged_proposal(adr_findings *out, const adr_recordset *mine, const char *name,
				 const char *suffix)
{
	int rc;
	for (size_t i = 0; i < mine->count; i++) {
		const adr_record *r = mine->items[i];
		if (r->status == ADR_STATUS_PROPOSED && r->slug && !strcmp(r->slug, suffix) &&
		    (rc = adr__findings_add(out, r->path, adr__check_key_line(r, "status"), 1, "merged-proposal",
					   "branch %s was merged, but the record still says proposed", name)) < 0)
			return rc;
	}
	return 0;
}

/* The numbered records on branch `name` (its tree), into `list`. */
static int collect_numbers(numbered_list *list, adr_repo *repo, git_tree *tree, const char *name,
			   const char *prop_suffix)
{
	adr_recordset set = ADR_RECORDSET_INIT;
	/* On a proposal branch, the proposal's own file has no number, whatever its name. */
	char skip[256] = "";
	int rc = 0;
	if (prop_suffix)
		snprintf(skip, sizeof(skip), "%s.md", prop_suffix);
	if (adr__records_from_tree_skip(&set, repo, tree, ADR_PARSE_LENIENT, skip[0] ? skip : NULL) < 0)
		adr_error_clear();
	for (size_t i = 0; i < set.count; i++) {
		const adr_record *r = set.items[i];
		const char *base;
		numbered *e;
		if (r->number < 0 || !r->path)
			continue;
		base = strrchr(r->path, '/');
		base = base ? base + 1 : r->path;
		if ((rc = ADR_ARRAY_GROW(list->items, list->alloc, list->count + 1)) < 0)
			break;
		e = &list->items[list->count];
		e->number = r->number;
		e->name = adr__strdup(base);
		e->ref = e->name ? adr__strdup(name) : NULL;
		if (!e->ref) {
			free(e->name);
			rc = ADR_ENOMEM;
			break;
		}
		list->count++;
	}
	adr_recordset_dispose(&set);
	return rc;
}

/* One branch (or remote branch): a merged proposal, and its numbers when all_refs. */
static int check_ref(adr_findings *out, numbered_list *list, adr_repo *repo, const adr_recordset *mine,
		     git_reference *ref, const git_oid *tip, bool all_refs)
{
	const char *name = git_reference_name(ref), *suffix = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	bool is_prop;
	int rc = 0;

	if (strncmp(name, "refs/heads/", 11) && strncmp(name, "refs/remotes/", 13))
		return 0;
	if (git_reference_type(ref) != GIT_REFERENCE_DIRECT)
		return 0;
	is_prop = proposal_ref(name, &suffix);
	if (!all_refs && !is_prop)
		return 0;
	if (git_commit_lookup(&c, repo->git, git_reference_target(ref)) < 0 || git_commit_tree(&tree, c) < 0) {
		git_error_clear();
		goto cleanup;
	}
	if (is_prop && tip && strcmp(name, adr_repo_branch(repo)) &&
	    (git_oid_equal(tip, git_reference_target(ref)) ||
	     git_graph_descendant_of(repo->git, tip, git_reference_target(ref)) == 1) &&
	    (rc = check_merged_proposal(out, mine, name, suffix)) < 0)
		goto cleanup;
	if (all_refs)
		rc = collect_numbers(list, repo, tree, name, is_prop ? suffix : NULL);
cleanup:
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

/* One finding per number that has more than one file name across branches. */
static int report_number_clashes(adr_findings *out, adr_repo *repo, numbered_list *list)
{
	numbered *items = list->items;
	size_t count = list->count;
	int rc = 0;
	if (count)
		qsort(items, count, sizeof(*items), cmp_numbered);
	for (size_t i = 0; i < count;) {
		size_t j = i + 1;
		bool distinct = false;
		while (j < count && items[j].number == items[i].number) {
			if (strcmp(items[j].name, items[i].name))
				distinct = true;
			j++;
		}
		if (distinct) {
			adr_buf where = ADR_BUF_INIT;
			const char *last = NULL;
			for (size_t k = i; k < j; k++) {
				if (last && !strcmp(last, items[k].name)) {
					adr_buf_printf(&where, ", %s", items[k].ref);
					continue;
				}
				adr_buf_printf(&where, "%s%s on %s", last ? "; " : "", items[k].name, items[k].ref);
				last = items[k].name;
			}
			if (adr_buf_oom(&where))
				rc = ADR_ENOMEM;
			else {
				adr_buf path = ADR_BUF_INIT;
				adr_buf_printf(&path, "%s/%s", adr_repo_records_dir(repo), items[i].name);
				rc = adr__findings_add(out, path.ptr, 1, 1, "duplicate-number",
						      "number %04d is used by different records across branches: %s",
						      items[i].number, where.ptr);
				adr_buf_dispose(&path);
			}
			adr_buf_dispose(&where);
			if (rc < 0)
				return rc;
		}
		i = j;
	}
	return 0;
}

static int check_refs(adr_findings *out, adr_repo *repo, const adr_recordset *mine, bool all_refs,
		      const adr_check_opts *o)
{
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_oid tip;
	numbered_list list = { NULL, 0, 0 };
	bool have_tip;
	size_t seen = 0;
	int rc;

	have_tip = git_reference_name_to_id(&tip, repo->git, adr_repo_branch(repo)) == 0;
	if ((rc = git_reference_iterator_new(&it, repo->git)) < 0)
		return adr__error_git(rc, "cannot list branches");
	while ((rc = git_reference_next(&ref, it)) == 0) {
		if (all_refs)
			adr__progress(o->progress, o->progress_payload, "refs", ++seen, 0);
		rc = check_ref(out, &list, repo, mine, ref, have_tip ? &tip : NULL, all_refs);
		git_reference_free(ref);
		ref = NULL;
		if (rc < 0)
			goto cleanup;
	}
	if (rc != GIT_ITEROVER) {
		rc = adr__error_git(rc, "cannot list branches");
		goto cleanup;
	}
	rc = report_number_clashes(out, repo, &list);
cleanup:
	numbered_list_dispose(&list);
	git_reference_iterator_free(it);
	return rc;
}

static int cmp_findings(const void *a, const void *b)
{
	const adr_finding *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->message, y->message);
}

/* log4brains names records by date (20201016-slug.md): they carry no number until imported. */
static int check_unnumbered(adr_findings *out, adr_repo *repo, const char *rev)
{
	git_commit *c = NULL;
	git_tree *tree = NULL, *dir = NULL;
	git_tree_entry *e = NULL;
	int rc = 0;

	if (adr__resolve_commit(&c, repo, rev) < 0) {
		adr_error_clear();
		return 0;
	}
	if (git_commit_tree(&tree, c) < 0 || git_tree_entry_bypath(&e, tree, adr_repo_records_dir(repo)) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_TREE || git_tree_lookup(&dir, repo->git, git_tree_entry_id(e)) < 0) {
		git_error_clear();
		goto cleanup;
	}
	for (size_t i = 0; i < git_tree_entrycount(dir); i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(dir, i));
		if (!adr_record_date_named(name)) /* the readers' rule (record/filename.c) */
			continue;
		{
			adr_buf path = ADR_BUF_INIT;
			adr_buf_printf(&path, "%s/%s", adr_repo_records_dir(repo), name);
			rc = adr_buf_oom(&path) ? ADR_ENOMEM
						: adr__findings_add(out, path.ptr, 1, 1, "legacy",
								   "named by date, so its number is provisional; "
								   "run 'adr import' to number it");
			adr_buf_dispose(&path);
			if (rc < 0)
				goto cleanup;
		}
	}
cleanup:
	git_tree_free(dir);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

/*
 * A proposal merged into the branch by plain git (a pull request) and not
 * decided: its unnumbered <slug>.md still says proposed (issue 13).
 */
static int check_merged_unnumbered(adr_findings *out, adr_repo *repo, const char *rev)
{
	git_commit *c = NULL;
	git_tree *tree = NULL, *dir = NULL;
	git_tree_entry *e = NULL;
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	int rc = 0;

	if (adr__resolve_commit(&c, repo, rev) < 0) {
		adr_error_clear();
		return 0;
	}
	if (git_commit_tree(&tree, c) < 0 || git_tree_entry_bypath(&e, tree, adr_repo_records_dir(repo)) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_TREE || git_tree_lookup(&dir, repo->git, git_tree_entry_id(e)) < 0) {
		git_error_clear();
		goto cleanup;
	}
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(dir); i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(dir, i));
		size_t n = strlen(name);
		adr_record *r = NULL;
		int number;
		if (n < 4 || strcasecmp(name + n - 3, ".md") || (strspn(name, "0123456789") == 8 && name[8] == '-') ||
		    adr_record_parse_filename(&number, NULL, name) == 0) {
			adr_error_clear();
			continue;
		}
		adr_error_clear();
		adr_buf_clear(&path);
		adr_buf_printf(&path, "%s/%s", adr_repo_records_dir(repo), name);
		if (adr_buf_oom(&path)) {
			rc = ADR_ENOMEM;
			break;
		}
		if (adr_repo_read_file(&data, repo, git_oid_tostr_s(git_commit_id(c)), path.ptr) == 0 &&
		    adr_record_parse(&r, path.ptr, data.ptr, data.size, ADR_PARSE_LENIENT) == 0 &&
		    r->status == ADR_STATUS_PROPOSED)
			rc = adr__findings_add(out, path.ptr, adr__check_key_line(r, "status"), 1, "merged-proposal",
					      "proposal adr/%.*s was merged by plain git but not decided: it has no number "
					      "yet; accepting or rejecting it decides it in place",
					      (int)(n - 3), name);
		adr_error_clear();
		adr_record_free(r);
	}
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	git_tree_free(dir);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

int adr_check_run(adr_findings *out, adr_repo *repo, const adr_check_opts *opts)
{
	adr_check_opts o = ADR_CHECK_OPTS_INIT;
	adr_recordset set = ADR_RECORDSET_INIT;
	bool *pub = NULL;
	int rc;
	if (opts)
		o = *opts;
	if ((rc = adr_repo_records(&set, repo, o.rev, ADR_PARSE_LENIENT)) < 0)
		return rc;
	if (!(pub = adr__calloc(set.count + 1, sizeof(*pub)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = adr__check_published(out, repo, &set, pub)) < 0 || (rc = check_set(out, &set, pub)) < 0)
		goto cleanup;
	if ((rc = check_refs(out, repo, &set, o.all_refs, &o)) < 0 || (rc = check_unnumbered(out, repo, o.rev)) < 0 ||
	    (rc = check_merged_unnumbered(out, repo, o.rev)) < 0)
		goto cleanup;
	if (out->count)
		qsort(out->items, out->count, sizeof(*out->items), cmp_findings);
cleanup:
	free(pub);
	adr_recordset_dispose(&set);
	return rc;
}
