/*
 * site/timeline.c: the history timeline, the discussion thread and the
 * implementing commits shown on a record's page.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "adr/proposal.h"
#include "site/site_internal.h"
#include "util/error.h"
#include "text/value.h"

static adr_value *event_value(const char *kind, const char *date, const char *author, const char *text)
{
	adr_value *e = adr__value_map();

	adr__value_map_set_string(e, "event", kind);
	adr__value_map_set_string(e, "date", date);
	adr__value_map_set_string(e, "author", author);
	adr__value_map_set_string(e, "text", text);
	return e;
}

static void format_time(char out[32], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > 0 && gmtime_r(&tt, &tm))
		strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
	else
		snprintf(out, 32, "-");
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

/*
 * The history timeline, the discussion thread and the commits of one
 * record, as `history`, `thread` and `commits` in `page`:
 *   history: [{event: proposed|revised|commented|decided|created|edited|reviewed|..., date, author, text}]
 *   thread:  [{author, date, vote: approve|object|null, section, text}]
 *   commits: [{id, short}]
 *
 * The facts come from one walk over the whole branch (lib/git/history.c, done
 * once per build in s->history) and, for records that went through a
 * proposal, from its thread (lib/log/proposal.c), read from the merge that
 * decided it, which the walk found: no search per record. A thread that
 * cannot be read is a warning; the page then has the walk's counts. Without
 * either (a history that cannot be read), the record's own fields give a
 * short timeline.
 */
/* The events of a proposal's thread into `hist`, its comments (and the
 * decision's text) into `thread`; the time of the last event. */
static long long thread_events(const adr_thread *th, adr_value *hist, adr_value *thread)
{
	adr_buf what = ADR_BUF_INIT;
	long long last_event = 0;
	char when[32];

	for (size_t i = 0; i < th->count; i++) {
		const adr_event *e = &th->events[i];
		format_time(when, e->time);
		adr_buf_clear(&what);
		if (e->kind == ADR_EVENT_REVISED)
			for (size_t k = 0; k < e->changes.count; k++)
				adr_buf_printf(&what, "%s%s", k ? ", " : "", e->changes.items[k]);
		else if (e->kind == ADR_EVENT_DECIDED)
			adr_buf_puts(&what, adr_status_name(th->status));
		else if (e->kind == ADR_EVENT_COMMENT && e->vote != ADR_VOTE_NONE)
			adr_buf_puts(&what, e->vote == ADR_VOTE_APPROVE ? "approves" : "objects");
		adr__value_list_append(hist, event_value(event_name(e->kind), when, e->author,
							what.size ? what.ptr : NULL));
		if (e->time > last_event)
			last_event = e->time;
		if (e->kind == ADR_EVENT_COMMENT || (e->kind == ADR_EVENT_DECIDED && e->text && *e->text)) {
			adr_value *c = adr__value_map();
			adr__value_map_set_string(c, "author", e->author);
			adr__value_map_set_string(c, "date", when);
			adr__value_map_set_string(c, "vote", e->vote == ADR_VOTE_APPROVE ? "approve" :
							    e->vote == ADR_VOTE_OBJECT ? "object" : NULL);
			adr__value_map_set_string(c, "section", e->section);
			adr__value_map_set_string(c, "text", e->text);
			adr__value_map_set_bool(c, "decision", e->kind == ADR_EVENT_DECIDED);
			adr__value_list_append(thread, c);
		}
	}
	adr_buf_dispose(&what);
	return last_event;
}

/* Without a thread: the walk's facts (created, counts, decided) into
 * `hist`; the time of the last of them. */
static long long walk_events(const adr_history_entry *he, const adr_record *r, adr_value *hist)
{
	adr_buf what = ADR_BUF_INIT;
	char when[32];

	if (he->created_time) {
		format_time(when, he->created_time);
		adr__value_list_append(hist, event_value(he->proposed_time ? "proposed" : "created", when,
							he->created_author, NULL));
	} else if (he->before_boundary) {
		adr__value_list_append(hist, event_value("known since", "(shallow clone)", NULL, NULL));
	}
	if (he->revisions > 0) {
		adr_buf_clear(&what);
		adr_buf_printf(&what, "%d revision%s", he->revisions, he->revisions == 1 ? "" : "s");
		adr__value_list_append(hist, event_value("revised", NULL, NULL, what.ptr));
	}
	if (he->comments > 0) {
		adr_buf_clear(&what);
		adr_buf_printf(&what, "%d comment%s", he->comments, he->comments == 1 ? "" : "s");
		adr__value_list_append(hist, event_value("commented", NULL, NULL, what.ptr));
	}
	if (he->decided_time) {
		format_time(when, he->decided_time);
		adr__value_list_append(hist, event_value("decided", when, NULL, adr__site_status(r)));
	}
	adr_buf_dispose(&what);
	return he->decided_time > he->created_time ? he->decided_time : he->created_time;
}

/* The record's own dates, for what the history does not say. */
static void record_events(const adr_record *r, bool decided_known, adr_value *hist)
{
	adr_buf who = ADR_BUF_INIT;

	if (!decided_known && r->date[0] && r->status != ADR_STATUS_PROPOSED) {
		for (size_t i = 0; i < r->decision_makers.count; i++)
			adr_buf_printf(&who, "%s%s", i ? ", " : "", r->decision_makers.items[i]);
		adr__value_list_append(hist, event_value("decided", r->date, who.size ? who.ptr : NULL,
							adr__site_status(r)));
	}
	if (r->review_by[0] && r->status == ADR_STATUS_PROPOSED)
		adr__value_list_append(hist, event_value("comments due", r->review_by, NULL, NULL));
	if (r->revisit[0])
		adr__value_list_append(hist, event_value("revisit", r->revisit, NULL, NULL));
	adr_buf_dispose(&who);
}

/* True when `commit` is a review of the record (its last change, say). */
static bool is_review(const site *s, const adr_record *r, const char *commit)
{
	for (size_t i = 0; i < s->reviews.count; i++)
		if (s->reviews.items[i].record == r->number && strcmp(s->reviews.items[i].commit, commit) == 0)
			return true;
	return false;
}

/* The reviews of the record (adr revisit), oldest first: who, when, the
 * next date, and what the review found for the team only. */
static void review_events(const site *s, const adr_record *r, adr_value *hist)
{
	adr_buf what = ADR_BUF_INIT;
	char when[32];

	for (size_t i = s->reviews.count; i-- > 0;) {
		const adr_review *v = &s->reviews.items[i];
		if (v->record != r->number)
			continue;
		format_time(when, v->time);
		adr_buf_clear(&what);
		adr_buf_printf(&what, "next revisit %s", v->next[0] ? v->next : "-");
		if (s->audience == ADR_VISIBILITY_INTERNAL && v->note[0])
			adr_buf_printf(&what, ": %s", v->note);
		adr__value_list_append(hist, event_value("reviewed", when, v->author, what.ptr));
	}
	adr_buf_dispose(&what);
}

/* The implementing commits of record `number` (Refs: trailers; s->links is
 * sorted by record); their subjects only for the team. */
static adr_value *commits_value(site *s, const adr_record *r)
{
	int number = r->number;
	adr_value *commits = adr__value_list();
	char when[32];
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
		format_time(when, l->time);
		adr__value_map_set_string(c, "id", l->commit);
		adr__value_map_setn(c, "short", 5, adr__value_stringn(l->commit, 12));
		adr__value_map_set_string(c, "date", when);
		if (s->audience == ADR_VISIBILITY_INTERNAL)
			adr__value_map_set_string(c, "subject", l->subject);
		adr__value_list_append(commits, c);
	}
	return commits;
}

int adr__site_record_history(site *s, adr_value *page, const site_rec *sr)
{
	const adr_record *r = sr->r;
	adr_value *hist = adr__value_list();
	adr_value *thread = adr__value_list();
	const adr_history_entry *he = r->path ? adr__site_history_of(s, r->path) : NULL;
	adr_thread th;
	bool have_thread = false;
	long long last_event = 0;
	char when[32];

	memset(&th, 0, sizeof(th));
	if (he && he->decision_merge[0]) {
		have_thread = adr__thread_read_merge_cached(&th, s->threads, s->repo, he->decision_merge) == 0;
		if (!have_thread) {
			adr__site_warn(s, "%s: discussion thread not shown: %s", r->path, adr_error_last());
			adr_error_clear();
		}
	}
	if (have_thread)
		last_event = thread_events(&th, hist, thread);
	else if (he)
		last_event = walk_events(he, r, hist);
	if (he && he->changed_time > last_event && strcmp(he->changed_commit, he->created_commit) != 0 &&
	    !is_review(s, r, he->changed_commit)) {
		format_time(when, he->changed_time);
		adr__value_list_append(hist, event_value("edited", when, he->changed_author, NULL));
	}
	review_events(s, r, hist);
	record_events(r, have_thread || (he && he->decided_time), hist);
	adr__value_map_set(page, "history", hist);
	adr__value_map_set(page, "thread", thread);
	adr__value_map_set(page, "commits", commits_value(s, r));
	adr_thread_dispose(&th);
	return 0;
}
