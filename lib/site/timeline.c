/*
 * site/timeline.c: the history timeline, the discussion thread and the
 * implementing commits shown on a record's page.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "adr/clock.h"
#include "adr/proposal.h"
#include "site/site_internal.h"
#include "util/alloc.h"
#include "util/date.h"
#include "util/error.h"
#include "text/value.h"

/* An event of the timeline and when it happened, to put them in date order
 * (`seq`, the order they were added, breaks ties). */
typedef struct {
	long long key;
	size_t seq;
	adr_value *v;
} tl_event;

typedef struct {
	tl_event *items;
	size_t count, alloc;
	bool oom;
} timeline;

/* Adds `v` (taken) at time `key`. */
static void tl_add(timeline *t, long long key, adr_value *v)
{
	if (!v || ADR_ARRAY_GROW(t->items, t->alloc, t->count + 1) < 0) {
		adr__value_free(v);
		t->oom = true;
		return;
	}
	t->items[t->count] = (tl_event){ key, t->count, v };
	t->count++;
}

static int cmp_event(const void *a, const void *b)
{
	const tl_event *x = a, *y = b;

	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The events in date order into a list (NULL when memory ran out). */
static adr_value *tl_list(timeline *t)
{
	adr_value *list = adr__value_list();

	if (t->count)
		qsort(t->items, t->count, sizeof(*t->items), cmp_event);
	for (size_t i = 0; i < t->count; i++) {
		if (adr__value_list_append(list, t->items[i].v) < 0) {
			adr__value_free(list);
			list = NULL;
		}
		t->items[i].v = NULL;
	}
	if (t->oom) {
		adr__value_free(list);
		list = NULL;
	}
	return list;
}

static void tl_dispose(timeline *t)
{
	for (size_t i = 0; i < t->count; i++)
		adr__value_free(t->items[i].v);
	free(t->items);
	memset(t, 0, sizeof(*t));
}

/* `s` into a class name token: letters and digits kept (lowercased), the
 * rest one '-' ("comments due" -> "comments-due"). */
static void class_token(char out[32], const char *s)
{
	size_t n = 0;

	for (; *s && n < 31; s++) {
		char c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			out[n++] = c;
		else if (n && out[n - 1] != '-')
			out[n++] = '-';
	}
	while (n && out[n - 1] == '-')
		n--;
	out[n] = '\0';
	if (!n)
		snprintf(out, 32, "event");
}

/* The seconds at the start of day `date` (YYYY-MM-DD), or -1 when it is not
 * a valid date (then it gets no <time datetime>). */
static long long day_start(const char *date)
{
	int y, mo, d;
	char tail;

	if (strlen(date) != 10 || date[4] != '-' || date[7] != '-' ||
	    sscanf(date, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	return adr__utc_seconds(y, mo, d, 0, 0, 0);
}

/*
 * One event: `kind` (also its class, as a token), what the page shows of
 * its date (`date`) and the machine-readable form for <time datetime>
 * (`iso`, NULL when there is none), who and what.
 */
static adr_value *event_value(const char *kind, const char *date, const char *iso, const char *author,
			      const char *text)
{
	adr_value *e = adr__value_map();
	char cls[32];

	class_token(cls, kind);
	adr__value_map_set_string(e, "event", kind);
	adr__value_map_set_string(e, "cls", cls);
	adr__value_map_set_string(e, "date", date);
	adr__value_map_set_string(e, "iso", iso);
	adr__value_map_set_string(e, "author", author);
	adr__value_map_set_string(e, "text", text);
	adr__value_map_set_bool(e, "past", false);
	return e;
}

/* The moment `t` as shown ("2026-11-21 10:00 UTC") and as <time datetime>
 * wants it ("2026-11-21T10:00:00Z"); "-" and "" when unknown. */
static void format_time2(char out[32], char iso[32], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > 0 && gmtime_r(&tt, &tm)) {
		strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
		strftime(iso, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
	} else {
		snprintf(out, 32, "-");
		iso[0] = '\0';
	}
}

/* An event at moment `t` (0: unknown). */
static void tl_add_at(timeline *tl, long long t, const char *kind, const char *author, const char *text)
{
	char when[32], iso[32];

	format_time2(when, iso, t);
	tl_add(tl, t > 0 ? t : LLONG_MAX, event_value(kind, when, iso[0] ? iso : NULL, author, text));
}

static const char *event_name(adr_event_kind k)
{
	switch (k) {
	case ADR_EVENT_PROPOSED: return "proposed";
	case ADR_EVENT_REVISED: return "revised";
	case ADR_EVENT_COMMENT: return "commented";
	case ADR_EVENT_DECIDED: return "decided";
	}
	return "changed";
}

/* What a decision decided: a record superseded or deprecated since was
 * accepted then (its status now is what happened later). */
static const char *decided_status(const adr_record *r)
{
	if (r->status == ADR_STATUS_SUPERSEDED || r->status == ADR_STATUS_DEPRECATED)
		return adr_status_name(ADR_STATUS_ACCEPTED);
	return adr__site_status(r);
}

/*
 * The history timeline, the discussion thread and the commits of one
 * record, as `history`, `thread` and `commits` in `page`:
 *   history: [{event: proposed|revised|commented|decided|created|edited|superseded|
 *              deprecated|reviewed|comments due|revisit|..., cls (event as a class
 *              token), date, iso (for <time datetime>, or null), author, text,
 *              past (a comment deadline or revisit date before today)}], in date order
 *   thread:  [{author, date, iso, vote: approve|object|null, section, text}]
 *   commits: [{id, short, date, iso}]
 *
 * The facts come from one walk over the whole branch (lib/git/history.c, done
 * once per build in s->history) and, for records that went through a
 * proposal, from its thread (lib/log/proposal.c), read from the merge that
 * decided it, which the walk found: no search per record. A thread that
 * cannot be read is a warning; the page then has the walk's counts. Without
 * either (a history that cannot be read), the record's own fields give a
 * short timeline.
 */
/* The events of a proposal's thread into `tl`, its comments (and the
 * decision's text) into `thread`; the time of the last event. */
static long long thread_events(const adr_thread *th, timeline *tl, adr_value *thread)
{
	adr_buf what = ADR_BUF_INIT;
	long long last_event = 0;
	char when[32], iso[32];

	for (size_t i = 0; i < th->count; i++) {
		const adr_event *e = &th->events[i];
		format_time2(when, iso, e->time);
		adr_buf_clear(&what);
		if (e->kind == ADR_EVENT_REVISED)
			for (size_t k = 0; k < e->changes.count; k++)
				adr_buf_printf(&what, "%s%s", k ? ", " : "", e->changes.items[k]);
		else if (e->kind == ADR_EVENT_DECIDED)
			adr_buf_puts(&what, adr_status_name(th->status));
		else if (e->kind == ADR_EVENT_COMMENT && e->vote != ADR_VOTE_NONE)
			adr_buf_puts(&what, e->vote == ADR_VOTE_APPROVE ? "approves" : "objects");
		tl_add_at(tl, e->time, event_name(e->kind), e->author, what.size ? what.ptr : NULL);
		if (e->time > last_event)
			last_event = e->time;
		if (e->kind == ADR_EVENT_COMMENT || (e->kind == ADR_EVENT_DECIDED && e->text && *e->text)) {
			adr_value *c = adr__value_map();
			adr__value_map_set_string(c, "author", e->author);
			adr__value_map_set_string(c, "date", when);
			adr__value_map_set_string(c, "iso", iso[0] ? iso : NULL);
			adr__value_map_set_string(c, "vote", e->vote == ADR_VOTE_APPROVE ? "approve" :
							    e->vote == ADR_VOTE_OBJECT ? "object" : NULL);
			adr__value_map_set_string(c, "section", e->section);
			adr__value_map_set_string(c, "text", e->text);
			adr__value_map_set_bool(c, "decision", e->kind == ADR_EVENT_DECIDED);
			adr__value_list_append(thread, c);
		}
	}
	if (adr_buf_oom(&what)) /* an event without its text: no timeline */
		tl->oom = true;
	adr_buf_dispose(&what);
	return last_event;
}

/* Without a thread: the walk's facts (created, counts, decided) into
 * `tl`; the time of the last of them. */
static long long walk_events(const adr_history_entry *he, const adr_record *r, timeline *tl)
{
	adr_buf what = ADR_BUF_INIT;

	if (he->created_time) {
		tl_add_at(tl, he->created_time, he->proposed_time ? "proposed" : "created", he->created_author, NULL);
	} else if (he->before_boundary) {
		/* first: nothing is known from before the boundary */
		tl_add(tl, LLONG_MIN, event_value("known since", "(shallow clone)", NULL, NULL, NULL));
	}
	/* The counts have no date of their own: they follow the creation. */
	if (he->revisions > 0) {
		adr_buf_clear(&what);
		adr_buf_printf(&what, "%d revision%s", he->revisions, he->revisions == 1 ? "" : "s");
		tl_add(tl, he->created_time, event_value("revised", NULL, NULL, NULL, what.ptr));
	}
	if (he->comments > 0) {
		adr_buf_clear(&what);
		adr_buf_printf(&what, "%d comment%s", he->comments, he->comments == 1 ? "" : "s");
		tl_add(tl, he->created_time, event_value("commented", NULL, NULL, NULL, what.ptr));
	}
	if (he->decided_time)
		tl_add_at(tl, he->decided_time, "decided", NULL, decided_status(r));
	if (adr_buf_oom(&what))
		tl->oom = true;
	adr_buf_dispose(&what);
	return he->decided_time > he->created_time ? he->decided_time : he->created_time;
}

/* The record's own dates, for what the history does not say: its decision
 * (when no commit showed it), the comment deadline of a proposal and the
 * revisit date of a decision in force, flagged `past` before today. */
static void record_events(const adr_record *r, const adr_history_entry *he, bool decided_known, timeline *tl)
{
	adr_buf who = ADR_BUF_INIT;
	char today[11];
	long long day;

	adr_today(today);
	if (!decided_known && r->date[0] && r->status != ADR_STATUS_PROPOSED) {
		for (size_t i = 0; i < r->decision_makers.count; i++)
			adr_buf_printf(&who, "%s%s", i ? ", " : "", r->decision_makers.items[i]);
		day = day_start(r->date);
		/* committed on the day it was decided: after the commit, not at midnight */
		if (day >= 0 && he && he->created_time >= day && he->created_time < day + 86400)
			day = he->created_time;
		tl_add(tl, day < 0 ? LLONG_MAX : day,
		       event_value("decided", r->date, day_start(r->date) < 0 ? NULL : r->date,
				   who.size ? who.ptr : NULL, decided_status(r)));
	}
	if (r->review_by[0] && r->status == ADR_STATUS_PROPOSED) {
		adr_value *e = event_value("comments due", r->review_by,
					   day_start(r->review_by) < 0 ? NULL : r->review_by, NULL, NULL);
		adr__value_map_set_bool(e, "past", strcmp(r->review_by, today) < 0);
		day = day_start(r->review_by);
		tl_add(tl, day < 0 ? LLONG_MAX : day + 86399, e);
	}
	/* Only a decision in force is revisited. */
	if (r->revisit[0] && r->status != ADR_STATUS_SUPERSEDED && r->status != ADR_STATUS_DEPRECATED &&
	    r->status != ADR_STATUS_REJECTED) {
		adr_value *e = event_value("revisit", r->revisit, day_start(r->revisit) < 0 ? NULL : r->revisit,
					   NULL, NULL);
		adr__value_map_set_bool(e, "past", strcmp(r->revisit, today) < 0);
		day = day_start(r->revisit);
		tl_add(tl, day < 0 ? LLONG_MAX : day + 86399, e);
	}
	if (adr_buf_oom(&who)) /* the decision without its deciders */
		tl->oom = true;
	adr_buf_dispose(&who);
}

/*
 * When a superseded or deprecated record stopped being in force, and who
 * did it: the commit that made it so (the walk's ended_time), else its last
 * change. The author is the last change's when that is the same commit,
 * else that of the superseding record's creation or last change at that
 * moment (adr new --supersedes, adr supersede); NULL when unknown.
 */
static long long ended_at(site *s, const site_rec *sr, const adr_history_entry *he, const char **author)
{
	long long t = 0;

	*author = NULL;
	if (!he)
		return 0;
	if (he->ended_time)
		t = he->ended_time;
	else if (he->changed_time && strcmp(he->changed_commit, he->created_commit) != 0)
		t = he->changed_time;
	if (!t)
		return 0;
	if (t == he->changed_time) {
		*author = he->changed_author;
		return t;
	}
	for (size_t i = 0; i < sr->superseded_by.count; i++) {
		const site_rec *b = adr__site_find_rec(s, sr->superseded_by.items[i]);
		const adr_history_entry *hb = b && b->r->path ? adr__site_history_of(s, b->r->path) : NULL;
		if (hb && hb->created_time == t) {
			*author = hb->created_author;
			break;
		}
		if (hb && hb->changed_time == t) {
			*author = hb->changed_author;
			break;
		}
	}
	return t;
}

/* The event of a record's supersession (or deprecation): when, who, and by
 * which record when the audience may see it. */
static void ended_event(site *s, const site_rec *sr, long long t, const char *author, timeline *tl)
{
	const adr_record *r = sr->r;
	adr_buf what = ADR_BUF_INIT;
	bool hidden = false;

	for (size_t i = 0; r->status == ADR_STATUS_SUPERSEDED && i < sr->superseded_by.count; i++) {
		const site_rec *b = adr__site_find_rec(s, sr->superseded_by.items[i]);
		if (b && b->visible)
			adr_buf_printf(&what, "%s%s %s", what.size ? ", " : "by ", b->id, b->r->title);
		else if (!b)
			adr_buf_printf(&what, "%s%04d (no such record)", what.size ? ", " : "by ",
				       sr->superseded_by.items[i]);
		else
			hidden = true;
	}
	/* hidden ones: one anonymous mention, as on the rest of the page */
	if (hidden)
		adr_buf_printf(&what, "%s%s", what.size ? ", " : "by ", HIDDEN_TEXT);
	if (t > 0) {
		tl_add_at(tl, t, adr__site_status(r), author, what.size ? what.ptr : NULL);
	} else {
		tl_add(tl, LLONG_MAX, event_value(adr__site_status(r), "date unknown", NULL, NULL,
						  what.size ? what.ptr : NULL));
	}
	if (adr_buf_oom(&what))
		tl->oom = true;
	adr_buf_dispose(&what);
}

long long adr__site_ended_time(site *s, const site_rec *sr, const char **author)
{
	const adr_record *r = sr->r;

	*author = NULL;
	if (r->status != ADR_STATUS_SUPERSEDED && r->status != ADR_STATUS_DEPRECATED)
		return 0;
	return ended_at(s, sr, r->path ? adr__site_history_of(s, r->path) : NULL, author);
}

/* True when `commit` is a review of the record (its last change, say). */
static bool is_review(const site *s, const adr_record *r, const char *commit)
{
	for (size_t i = 0; i < s->reviews.count; i++)
		if (s->reviews.items[i].record == r->number && strcmp(s->reviews.items[i].commit, commit) == 0)
			return true;
	return false;
}

/* The reviews of the record (adr revisit): who, when, the next date, and
 * what the review found for the team only. */
static void review_events(const site *s, const adr_record *r, timeline *tl)
{
	adr_buf what = ADR_BUF_INIT;

	for (size_t i = s->reviews.count; i-- > 0;) {
		const adr_review *v = &s->reviews.items[i];
		if (v->record != r->number)
			continue;
		adr_buf_clear(&what);
		adr_buf_printf(&what, "next revisit %s", v->next[0] ? v->next : "-");
		if (s->audience == ADR_VISIBILITY_INTERNAL && v->note[0])
			adr_buf_printf(&what, ": %s", v->note);
		tl_add_at(tl, v->time, "reviewed", v->author, what.ptr);
	}
	if (adr_buf_oom(&what))
		tl->oom = true;
	adr_buf_dispose(&what);
}

/* The implementing commits of record `number` (Refs: trailers; s->links is
 * sorted by record); their subjects only for the team. */
static adr_value *commits_value(site *s, const adr_record *r)
{
	int number = r->number;
	adr_value *commits = adr__value_list();
	char when[32], iso[32];
	size_t lo = 0, hi = s->links.count;

	while (lo < hi) { /* the first link of `number` */
		size_t mid = lo + (hi - lo) / 2;
		if (s->links.items[mid].record < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < s->links.count && s->links.items[i].record == number; i++) {
		const adr_commit_link *l = &s->links.items[i];
		adr_value *c;
		if (!adr_commit_link_is(l, r)) /* another record with the same number */
			continue;
		c = adr__value_map();
		format_time2(when, iso, l->time);
		adr__value_map_set_string(c, "id", l->commit);
		adr__value_map_setn(c, "short", 5, adr__value_stringn(l->commit, 12));
		adr__value_map_set_string(c, "date", when);
		adr__value_map_set_string(c, "iso", iso[0] ? iso : NULL);
		if (s->audience == ADR_VISIBILITY_INTERNAL)
			adr__value_map_set_string(c, "subject", l->subject);
		adr__value_list_append(commits, c);
	}
	return commits;
}

int adr__site_record_history(site *s, adr_value *page, const site_rec *sr)
{
	const adr_record *r = sr->r;
	timeline tl = { NULL, 0, 0, false };
	adr_value *thread = adr__value_list();
	const adr_history_entry *he = r->path ? adr__site_history_of(s, r->path) : NULL;
	adr_thread th;
	bool have_thread = false, ended = r->status == ADR_STATUS_SUPERSEDED || r->status == ADR_STATUS_DEPRECATED;
	long long last_event = 0, ended_time = 0;
	const char *ended_author = NULL;
	int rc;

	memset(&th, 0, sizeof(th));
	if (he && he->decision_merge[0]) {
		rc = adr__thread_read_merge_cached(&th, s->threads, s->repo, he->decision_merge);
		have_thread = rc == 0;
		if (rc < 0 && (rc = adr__site_partial(s, rc, "%s: discussion thread not shown", r->path)) < 0) {
			adr__value_free(thread);
			adr_thread_dispose(&th);
			return rc;
		}
	}
	if (have_thread)
		last_event = thread_events(&th, &tl, thread);
	else if (he)
		last_event = walk_events(he, r, &tl);
	if (ended)
		ended_time = ended_at(s, sr, he, &ended_author);
	/* The last change, unless it is already shown (the supersession, a review). */
	if (he && he->changed_time > last_event && strcmp(he->changed_commit, he->created_commit) != 0 &&
	    !(ended && he->changed_time == ended_time) && !is_review(s, r, he->changed_commit))
		tl_add_at(&tl, he->changed_time, "edited", he->changed_author, NULL);
	if (ended)
		ended_event(s, sr, ended_time, ended_author, &tl);
	review_events(s, r, &tl);
	record_events(r, he, have_thread || (he && he->decided_time), &tl);
	adr__value_map_set(page, "history", tl_list(&tl));
	adr__value_map_set(page, "thread", thread);
	adr__value_map_set(page, "commits", commits_value(s, r));
	tl_dispose(&tl);
	adr_thread_dispose(&th);
	/* tl_list() gave NULL when an event could not be made whole */
	return adr__value_failed(page) ? adr__error_oom() : 0;
}
