/*
 * log/revisit.c: decisions reviewed on a cadence (adr/revisit.h): the
 * revisit date a decision gets, `adr revisit N` (one commit that records
 * a review and moves the date on), and the reviews read back from the
 * history for `adr show` and the site; and the decision branch as it was
 * on a day (`adr list --at DATE`).
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/revisit.h"
#include "git/walk.h"
#include "log/ops_internal.h"
#include "log/proposal_internal.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/error.h"

#define TRAILER_REVISIT "Adr-Revisit" /* the next revisit date a review set */

int adr_revisit_date(char out[11], adr_repo *repo, const char *spec, const char *what)
{
	char today[11];
	const char *s = spec;

	if (!s || !*s) {
		s = repo ? adr_repo_revisit_cadence(repo) : NULL;
		if (!s)
			s = ADR_REVISIT_DEFAULT;
	}
	if (!adr_date_valid(s)) {
		if (adr__period_end(out, s, "dwmy") == 0)
			return 0;
		return adr__error(ADR_EUSAGE, "%s '%s' is not a date (YYYY-MM-DD) or a period (30d, 6w, 3m, 1y)",
				  what, s);
	}
	adr_today(today);
	if (strcmp(s, today) < 0)
		return adr__error(ADR_EUSAGE, "%s %s is in the past (today is %s)", what, s, today);
	memcpy(out, s, 11);
	return 0;
}

/* --- adr revisit N ----------------------------------------------------------- */

typedef struct {
	adr_op_result *res;
	int number;
	const char *next;
	const char *note;
} revisit_ctx;

static int revisit_fn(adr_change *ch, void *payload)
{
	revisit_ctx *c = payload;
	adr_record *r;
	char num[16];
	int rc;

	if ((rc = adr__op_record(&r, ch, c->number)) < 0)
		return rc;
	if (r->status != ADR_STATUS_ACCEPTED) {
		char by[64] = "";
		if (r->status == ADR_STATUS_SUPERSEDED && r->superseded_by.count)
			snprintf(by, sizeof(by), " by %04d: revisit that one instead", r->superseded_by.items[0]);
		return adr__error(ADR_EINVALID, "record %04d is %s%s; only an accepted decision is revisited",
				  c->number, r->status ? adr_status_name(r->status) : "without a status", by);
	}
	memcpy(r->revisit, c->next, sizeof(r->revisit));
	if ((rc = adr_change_write_record(ch, r)) < 0)
		return rc;
	if (c->note && *c->note && (rc = adr_change_set_body(ch, c->note)) < 0)
		return rc;
	adr__trailer_number(num, c->number);
	if ((rc = adr__op_message(ch, "revisit",
				  (const char *const[]){ ADR_TRAILER_RECORD, num, TRAILER_REVISIT, c->next, NULL },
				  "revisit %04d %s, next on %s", c->number, r->title, c->next)) < 0)
		return rc;
	c->res->number = c->number;
	return adr__op_set_path(c->res, r->path);
}

int adr_op_revisit(adr_op_result *res, char next[11], adr_repo *repo, int number, const adr_revisit_opts *opts)
{
	adr_commit_opts co = ADR_COMMIT_OPTS_INIT;
	revisit_ctx c = { res, number, NULL, opts ? opts->note : NULL };
	int rc;

	/* Everything the user typed is checked before anything is written. */
	if ((rc = adr_revisit_date(next, repo, opts ? opts->next : NULL, "--next")) < 0)
		return rc;
	if (c.note && (rc = adr__text_check("the note", c.note, strlen(c.note))) < 0)
		return rc;
	c.next = next;
	/* The review is the commit, also when the date stays the same. */
	co.allow_empty = true;
	return adr__op_commit(res, repo, revisit_fn, &c, &co);
}

/* --- the reviews in the history --------------------------------------------- */

void adr_reviews_dispose(adr_reviews *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].author);
		free(l->items[i].note);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

typedef struct {
	adr_reviews *out;
	adr_strlist keys, values;
} reviews_walk;

/* The message between its subject and its trailer block (adr wrote it:
 * the trailers are the last paragraph). */
static char *review_note(const char *msg)
{
	const char *p = strchr(msg, '\n'), *end;
	if (!p)
		return adr__strdup("");
	while (*p == '\n')
		p++;
	end = p + strlen(p);
	while (end > p && end[-1] == '\n')
		end--;
	while (end > p && !(end - p >= 2 && end[-1] == '\n' && end[-2] == '\n'))
		end--; /* back over the trailer block */
	while (end > p && end[-1] == '\n')
		end--;
	return adr__strndup(p, (size_t)(end - p));
}

static int review_of_commit(git_commit *c, void *payload)
{
	reviews_walk *w = payload;
	const char *msg = git_commit_message(c), *action, *num, *next;
	const git_signature *a = git_commit_author(c);
	adr_review *rv;
	int rc, n;

	if (!msg || !strstr(msg, "Adr-Action: revisit"))
		return 0; /* the common case: no trailer block to read */
	adr_strlist_dispose(&w->keys);
	adr_strlist_dispose(&w->values);
	if ((rc = adr__trailers_read(&w->keys, &w->values, msg, ADR_TRAILERS_STRICT, NULL)) < 0)
		return rc;
	action = adr__trailers_get(&w->keys, &w->values, ADR_TRAILER_ACTION);
	num = adr__trailers_get(&w->keys, &w->values, ADR_TRAILER_RECORD);
	next = adr__trailers_get(&w->keys, &w->values, TRAILER_REVISIT);
	if (!action || strcmp(action, "revisit") != 0 || !num || adr_parse_number(&n, num) < 0) {
		adr_error_clear();
		return 0;
	}
	if (w->out->count == w->out->alloc) {
		size_t na = w->out->alloc ? w->out->alloc * 2 : 8;
		adr_review *items = adr__realloc(w->out->items, na * sizeof(*items));
		if (!items)
			return ADR_ENOMEM;
		w->out->items = items;
		w->out->alloc = na;
	}
	rv = &w->out->items[w->out->count];
	memset(rv, 0, sizeof(*rv));
	rv->record = n;
	git_oid_tostr(rv->commit, sizeof(rv->commit), git_commit_id(c));
	rv->time = a ? (long long)a->when.time : 0;
	if (next && adr_date_valid(next))
		memcpy(rv->next, next, sizeof(rv->next));
	rv->author = adr__strdup(a && a->name ? a->name : "");
	rv->note = review_note(msg);
	w->out->count++;
	return rv->author && rv->note ? 0 : ADR_ENOMEM;
}

int adr_reviews_read(adr_reviews *out, adr_repo *repo, const char *rev)
{
	reviews_walk w = { out, ADR_STRLIST_INIT, ADR_STRLIST_INIT };
	adr__walk_opts o;
	git_commit *at = NULL;
	git_odb *odb = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	if ((rc = adr__resolve_commit(&at, repo, rev && *rev ? rev : NULL)) < 0) {
		if (rc != ADR_ENOTFOUND || (rev && *rev))
			return rc;
		adr_error_clear(); /* an unborn branch: no reviews */
		return 0;
	}
	o.from = git_commit_id(at);
	/* A shallow clone shows the reviews it has (without the object
	 * database, the walk itself says what is missing). */
	o.stop_at_shallow = git_repository_odb(&odb, adr__repo_git(repo)) == 0;
	o.odb = odb;
	git_error_clear();
	o.what = "the reviews of the decisions";
	rc = adr__walk(repo, &o, review_of_commit, &w);
	git_odb_free(odb);
	git_commit_free(at);
	adr_strlist_dispose(&w.keys);
	adr_strlist_dispose(&w.values);
	if (rc < 0)
		adr_reviews_dispose(out);
	return rc;
}

/* --- the log as it was on a day ------------------------------------------------ */

int adr_branch_at_date(char out[41], adr_repo *repo, const char *date)
{
	git_commit *c = NULL, *parent = NULL;
	char day[11];
	int rc;

	if ((rc = adr__resolve_commit(&c, repo, NULL)) < 0 && rc != ADR_ENOTFOUND)
		return rc;
	/* The first-parent line is the branch's own: the last commit on it by
	 * the end of that day (dates by adr_date_at's rule). */
	while (c) {
		adr_date_at(day, (long long)git_commit_time(c));
		if (strcmp(day, date) <= 0) {
			git_oid_tostr(out, 41, git_commit_id(c));
			git_commit_free(c);
			return 0;
		}
		if (git_commit_parentcount(c) == 0 || git_commit_parent(&parent, c, 0) < 0)
			parent = NULL; /* the root, or a shallow clone's boundary */
		git_commit_free(c);
		c = parent;
		parent = NULL;
	}
	git_error_clear();
	return adr__error(ADR_ENOTFOUND, "%s has no commit on or before %s", adr__ref_short(adr_repo_branch(repo)), date);
}
