/*
 * log/revisit.c: decisions reviewed on a cadence (adr/revisit.h): the
 * revisit date a decision gets, `adr revisit N` (one commit that records
 * a review and moves the date on), and the reviews read back from the
 * history for `adr show` and the site; and the decision branch as it was
 * on a day (`adr list --at DATE`).
 */
#include "git/repo_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adr/revisit.h"
#include "git/reccache.h"
#include "git/walk.h"
#include "log/ops_internal.h"
#include "log/proposal_internal.h"
#include "record/trailers.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"

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
		const char *st = r->status ? adr_status_name(r->status) : "without a status";
		char by[64] = "";
		if (r->status == ADR_STATUS_SUPERSEDED && r->superseded_by.count)
			snprintf(by, sizeof(by), " by %04d: revisit that one instead", r->superseded_by.items[0]);
		return adr__error(ADR_EINVALID, "record %04d is %s%s; only an accepted decision is revisited",
				  c->number, st, by);
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

/* --- the reviews cache ---------------------------------------------------------- */

/*
 * <commondir>/adr/reviews.cache: the reviews found from one tip, so that
 * `adr show` does not walk the whole history each time (derived data: a
 * file that is missing, damaged or from another build is walked again).
 * "ADRREVW1", the checksum of the rest, the build id, the tip (40 hex),
 * the count, then per review: record, time, commit (40 hex), next (10
 * bytes, zeros when none), author and note (each its length, then bytes).
 */
#define REVIEWS_MAGIC "ADRREVW1"

static int reviews_cache_path(adr_buf *out, adr_repo *repo, bool dir)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "%sadr%s", repo->commondir, dir ? "" : "/reviews.cache");
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

static void put_bytes(adr_buf *b, const void *p, size_t n)
{
	adr_buf_put(b, p, n);
}

static void put_str(adr_buf *b, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	put_bytes(b, &n, sizeof(n));
	put_bytes(b, s, n);
}

/* Keeps `l`, found from `tip`; a failure to write is no error (the next
 * command walks again). */
static void reviews_cache_put(adr_repo *repo, const git_oid *tip, const adr_reviews *l)
{
	adr_buf b = ADR_BUF_INIT, path = ADR_BUF_INIT;
	uint64_t sum, build = adr__cache_build_id();
	uint32_t count = (uint32_t)l->count;

	put_bytes(&b, REVIEWS_MAGIC, 8);
	put_bytes(&b, "\0\0\0\0\0\0\0\0", 8); /* the checksum, below */
	put_bytes(&b, &build, sizeof(build));
	put_bytes(&b, git_oid_tostr_s(tip), 40);
	put_bytes(&b, &count, sizeof(count));
	for (size_t i = 0; i < l->count; i++) {
		const adr_review *v = &l->items[i];
		int32_t rec = v->record;
		int64_t t = v->time;
		put_bytes(&b, &rec, sizeof(rec));
		put_bytes(&b, &t, sizeof(t));
		put_bytes(&b, v->commit, 40);
		put_bytes(&b, v->next, 10);
		put_str(&b, v->author);
		put_str(&b, v->note);
	}
	if (!adr_buf_oom(&b) && reviews_cache_path(&path, repo, true) == 0) {
		sum = adr__hash(b.ptr + 16, b.size - 16);
		memcpy(b.ptr + 8, &sum, sizeof(sum));
		(void)mkdir(path.ptr, 0777);
		if (reviews_cache_path(&path, repo, false) == 0)
			(void)adr__file_write_atomic(path.ptr, b.ptr, b.size, 0644, 0);
	}
	adr_error_clear();
	adr_buf_dispose(&b);
	adr_buf_dispose(&path);
}

typedef struct {
	const char *p, *end;
	bool bad;
} rreader;

static void get_bytes(rreader *rd, void *out, size_t n)
{
	if (rd->bad || (size_t)(rd->end - rd->p) < n) {
		rd->bad = true;
		memset(out, 0, n);
		return;
	}
	memcpy(out, rd->p, n);
	rd->p += n;
}

static char *get_str(rreader *rd)
{
	uint32_t n;
	get_bytes(rd, &n, sizeof(n));
	if (rd->bad || (size_t)(rd->end - rd->p) < n || memchr(rd->p, '\0', n)) {
		rd->bad = true;
		return NULL;
	}
	rd->p += n;
	return adr__strndup(rd->p - n, n);
}

/* The cached reviews and the tip they were found from; false when there
 * is no usable cache (or memory ran out: the walk then says so). */
static bool reviews_cache_get(adr_reviews *out, git_oid *tip, adr_repo *repo)
{
	adr_buf data = ADR_BUF_INIT, path = ADR_BUF_INIT;
	rreader rd;
	uint64_t sum, build;
	uint32_t count = 0;
	char hex[41];
	bool ok = false;

	if (reviews_cache_path(&path, repo, false) < 0 || adr__file_read(&data, path.ptr, 64u << 20, 0) < 0 ||
	    data.size < 16 + 8 + 40 + 4 || memcmp(data.ptr, REVIEWS_MAGIC, 8) != 0)
		goto cleanup;
	memcpy(&sum, data.ptr + 8, sizeof(sum));
	if (sum != adr__hash(data.ptr + 16, data.size - 16))
		goto cleanup;
	rd.p = data.ptr + 16;
	rd.end = data.ptr + data.size;
	rd.bad = false;
	get_bytes(&rd, &build, sizeof(build));
	get_bytes(&rd, hex, 40);
	hex[40] = '\0';
	get_bytes(&rd, &count, sizeof(count));
	if (rd.bad || build != adr__cache_build_id() || git_oid_fromstr(tip, hex) < 0 ||
	    count > (size_t)(rd.end - rd.p) / 70 || (count && !(out->items = adr__calloc(count, sizeof(*out->items)))))
		goto cleanup;
	out->alloc = count;
	for (uint32_t i = 0; i < count && !rd.bad; i++) {
		adr_review *v = &out->items[out->count++];
		int32_t rec;
		int64_t t;
		get_bytes(&rd, &rec, sizeof(rec));
		get_bytes(&rd, &t, sizeof(t));
		get_bytes(&rd, v->commit, 40);
		get_bytes(&rd, v->next, 10);
		v->record = rec;
		v->time = t;
		v->author = get_str(&rd);
		v->note = get_str(&rd);
		if (!v->author || !v->note)
			rd.bad = true;
	}
	ok = !rd.bad && rd.p == rd.end;
cleanup:
	if (!ok)
		adr_reviews_dispose(out);
	adr_error_clear();
	adr_buf_dispose(&data);
	adr_buf_dispose(&path);
	return ok;
}

/* The reviews from `from`, not from `hide` (NULL: all), appended to `out`. */
static int reviews_walk_from(adr_reviews *out, adr_repo *repo, const git_oid *from, const git_oid *hide)
{
	reviews_walk w = { out, ADR_STRLIST_INIT, ADR_STRLIST_INIT };
	adr__walk_opts o;
	git_odb *odb = NULL;
	int rc;

	memset(&o, 0, sizeof(o));
	o.from = from;
	o.hide = hide;
	/* A shallow clone shows the reviews it has (without the object
	 * database, the walk itself says what is missing). */
	o.stop_at_shallow = git_repository_odb(&odb, adr__repo_git(repo)) == 0;
	o.odb = odb;
	git_error_clear();
	o.what = "the reviews of the decisions";
	rc = adr__walk(repo, &o, review_of_commit, &w);
	git_odb_free(odb);
	adr_strlist_dispose(&w.keys);
	adr_strlist_dispose(&w.values);
	return rc;
}

static bool repo_is_shallow(adr_repo *repo)
{
	adr_buf p = ADR_BUF_INIT;
	struct stat st;
	bool shallow;
	adr_buf_printf(&p, "%sshallow", repo->commondir);
	shallow = adr_buf_oom(&p) || stat(p.ptr, &st) == 0;
	adr_buf_dispose(&p);
	return shallow;
}

int adr_reviews_read(adr_reviews *out, adr_repo *repo, const char *rev)
{
	adr_reviews kept = ADR_REVIEWS_INIT;
	git_commit *at = NULL;
	git_oid tip, then;
	bool cached, shallow;
	int rc;

	if ((rc = adr__resolve_commit(&at, repo, rev && *rev ? rev : NULL)) < 0) {
		if (rc != ADR_ENOTFOUND || (rev && *rev))
			return rc;
		adr_error_clear(); /* an unborn branch: no reviews */
		return 0;
	}
	git_oid_cpy(&tip, git_commit_id(at));
	git_commit_free(at);
	/* The last answer, when it came from this tip or one it grew from (a
	 * shallow clone may deepen under the same tip: it always walks). */
	shallow = repo_is_shallow(repo);
	cached = !shallow && reviews_cache_get(&kept, &then, repo);
	if (cached && git_oid_equal(&then, &tip)) {
		*out = kept;
		return 0;
	}
	if (cached && git_graph_descendant_of(adr__repo_git(repo), &tip, &then) != 1) {
		adr_reviews_dispose(&kept);
		cached = false;
	}
	git_error_clear();
	rc = reviews_walk_from(out, repo, &tip, cached ? &then : NULL);
	/* the newer reviews first, then the ones kept */
	for (size_t i = 0; rc == 0 && i < kept.count; i++) {
		if (out->count == out->alloc) {
			size_t na = out->alloc ? out->alloc * 2 : 8;
			adr_review *items = adr__realloc(out->items, na * sizeof(*items));
			if (!items) {
				rc = ADR_ENOMEM;
				break;
			}
			out->items = items;
			out->alloc = na;
		}
		out->items[out->count++] = kept.items[i];
		memset(&kept.items[i], 0, sizeof(kept.items[i]));
	}
	adr_reviews_dispose(&kept);
	if (rc < 0)
		adr_reviews_dispose(out);
	else if (!shallow)
		reviews_cache_put(repo, &tip, out);
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
