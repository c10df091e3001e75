/*
 * log/queue.c: the asynchronous dashboard (adr/queue.h): open proposals,
 * meeting records waiting for their cleanup, decisions due for a revisit,
 * overdue next steps; whose move each one is; and the meeting agenda made
 * from the items that need a meeting.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/nextsteps.h"
#include "adr/proposal.h"
#include "adr/queue.h"
#include "util/alloc.h"
#include "util/error.h"

void adr_queue_dispose(adr_queue *q)
{
	for (size_t i = 0; i < q->count; i++) {
		adr_queue_item *it = &q->items[i];
		free(it->slug);
		free(it->ref);
		free(it->title);
		adr_strlist_dispose(&it->approvals);
		adr_strlist_dispose(&it->objections);
		free(it->owner);
		adr_strlist_dispose(&it->move);
		free(it->step);
	}
	free(q->items);
	adr_strlist_dispose(&q->errors);
	memset(q, 0, sizeof(*q));
}

static adr_queue_item *queue_add(adr_queue *q, adr_queue_kind kind, const char *title, const char *due)
{
	adr_queue_item *it;
	if ((q->count & 15) == 0) {
		adr_queue_item *p = adr__reallocarray(q->items, q->count + 16, sizeof(*p));
		if (!p)
			return NULL;
		q->items = p;
	}
	it = &q->items[q->count];
	memset(it, 0, sizeof(*it));
	it->kind = kind;
	it->number = -1;
	if (!(it->title = adr__strdup(title ? title : "")))
		return NULL;
	snprintf(it->due, sizeof(it->due), "%s", due ? due : "");
	it->overdue = it->due[0] && strcmp(it->due, q->today) < 0;
	q->count++;
	return it;
}

/* The owner of `it` (may be NULL), who then has the move. */
static int set_owner(adr_queue_item *it, const char *owner)
{
	if (!owner)
		return 0;
	if (!(it->owner = adr__strdup(owner)))
		return ADR_ENOMEM;
	return adr_strlist_add_unique(&it->move, owner);
}

/*
 * Whose move a proposal is: the reviewers who have not commented or voted
 * yet, else its owner; and whether one of them let the first-response time
 * (.adr.yaml) pass.
 */
static int proposal_move(adr_queue_item *it, const adr_proposal *p, adr_repo *repo, long long now)
{
	const adr_record *r = p->record;
	long long first = adr_repo_first_response(repo);
	it->urgency = r->urgency;
	it->complexity = r->complexity;
	for (size_t k = 0; k < r->reviewers.count; k++) {
		bool answered = false;
		for (size_t j = 0; j < p->responders.count && !answered; j++)
			answered = strcmp(p->responders.items[j], r->reviewers.items[k]) == 0;
		if (!answered && adr_strlist_add_unique(&it->move, r->reviewers.items[k]) < 0)
			return ADR_ENOMEM;
	}
	if (it->move.count) {
		it->late_response = first > 0 && p->created && now >= p->created + first;
		return r->owner && !(it->owner = adr__strdup(r->owner)) ? ADR_ENOMEM : 0;
	}
	return set_owner(it, r->owner);
}

/* The open next steps of `r` whose due date has passed, as items (and the
 * tasks that could not be read, as warnings). */
static int overdue_steps(adr_queue *q, const adr_record *r)
{
	adr_next_steps ns;
	int rc;
	if (r->status == ADR_STATUS_REJECTED || r->status == ADR_STATUS_DEPRECATED ||
	    r->status == ADR_STATUS_SUPERSEDED || !r->body || !strstr(r->body, "ext steps"))
		return 0; /* (no section: no Markdown to parse) */
	if ((rc = adr_next_steps_parse(&ns, r)) < 0)
		return rc;
	for (size_t i = 0; i < ns.warnings.count && rc == 0; i++)
		rc = adr_strlist_add(&q->errors, ns.warnings.items[i]);
	for (size_t i = 0; i < ns.count && rc == 0; i++) {
		const adr_next_step *st = &ns.items[i];
		adr_queue_item *it;
		if (st->done || !st->due[0] || strcmp(st->due, q->today) >= 0)
			continue;
		if (!(it = queue_add(q, ADR_QUEUE_NEXT_STEP, r->title, st->due)) ||
		    set_owner(it, st->owner ? st->owner : r->owner) < 0 || !(it->step = adr__strdup(st->text)))
			rc = ADR_ENOMEM;
		else
			it->number = r->number;
	}
	adr_next_steps_dispose(&ns);
	return rc;
}

int adr_queue_build(adr_queue *out, adr_repo *repo)
{
	adr_proposal_list pl;
	adr_recordset set = ADR_RECORDSET_INIT;
	long long now = adr_now();
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&pl, 0, sizeof(pl));
	adr_today(out->today);
	if ((rc = adr_proposal_list_all(&pl, repo)) < 0)
		goto cleanup;
	for (size_t i = 0; i < pl.notes.count; i++)
		if (adr_strlist_add(&out->errors, pl.notes.items[i]) < 0)
			goto oom;
	for (size_t i = 0; i < pl.count; i++) {
		adr_proposal *p = &pl.items[i];
		adr_queue_item *it;
		if (!p->record) {
			if (adr_strlist_add(&out->errors, p->error ? p->error : p->ref) < 0)
				goto oom;
			continue;
		}
		if (!(it = queue_add(out, ADR_QUEUE_PROPOSAL, p->record->title, p->record->review_by)))
			goto oom;
		it->slug = adr__strdup(p->slug);
		it->ref = adr__strdup(p->ref);
		it->remote = p->remote;
		it->diverged = p->diverged;
		it->merged = p->merged;
		it->age_days = p->created && now > p->created ? (now - p->created) / 86400 : 0;
		it->comments = p->comments;
		it->revisions = p->revisions;
		if (!it->slug || !it->ref || adr_strlist_copy(&it->approvals, &p->approvals) < 0 ||
		    adr_strlist_copy(&it->objections, &p->objections) < 0 || proposal_move(it, p, repo, now) < 0)
			goto oom;
	}
	rc = adr_repo_records(&set, repo, NULL, ADR_PARSE_LENIENT);
	if (rc == ADR_ENOTFOUND) {
		adr_error_clear();
		rc = 0;
	}
	if (rc < 0)
		goto cleanup;
	for (size_t i = 0; i < set.errors.count; i++)
		if (adr_strlist_add(&out->errors, set.errors.items[i]) < 0)
			goto oom;
	for (size_t i = 0; i < set.skipped.count; i++)
		if (adr_strlist_add(&out->errors, set.skipped.items[i]) < 0)
			goto oom;
	for (size_t i = 0; i < set.count; i++) {
		const adr_record *r = set.items[i];
		adr_queue_item *it;
		if (r->cleanup_by[0]) {
			if (!(it = queue_add(out, ADR_QUEUE_CLEANUP, r->title, r->cleanup_by)) ||
			    set_owner(it, r->owner) < 0)
				goto oom;
			it->number = r->number;
		}
		if (r->revisit[0] && strcmp(r->revisit, out->today) <= 0 &&
		    (r->status == ADR_STATUS_ACCEPTED || r->status == ADR_STATUS_NONE)) {
			if (!(it = queue_add(out, ADR_QUEUE_REVISIT, r->title, r->revisit)) ||
			    set_owner(it, r->owner) < 0)
				goto oom;
			it->number = r->number;
			it->overdue = strcmp(r->revisit, out->today) < 0;
		}
		if ((rc = overdue_steps(out, r)) < 0)
			goto cleanup;
	}
	rc = 0;
	goto cleanup;
oom:
	rc = ADR_ENOMEM; /* the allocator said so */
cleanup:
	adr_proposal_list_dispose(&pl);
	adr_recordset_dispose(&set);
	if (rc < 0)
		adr_queue_dispose(out);
	return rc;
}

bool adr_queue_item_waits_for(const adr_queue_item *it, const char *who)
{
	for (size_t i = 0; i < it->move.count; i++)
		if (strcmp(it->move.items[i], who) == 0)
			return true;
	return false;
}

/* --- the agenda -------------------------------------------------------------- */

enum { AG_NONE, AG_OBJECTED, AG_PAST, AG_URGENT, AG_CLEANUP, AG_STEP, AG_COUNT };

static const char *const agenda_heads[AG_COUNT] = {
	NULL, "Objections open at the deadline", "Past their deadline", "Urgent and complex",
	"Meeting records not cleaned up", "Overdue next steps"
};

static int agenda_section(const adr_queue *q, const adr_queue_item *it)
{
	switch (it->kind) {
	case ADR_QUEUE_PROPOSAL:
		if (it->merged)
			return AG_NONE;
		if (it->due[0] && strcmp(it->due, q->today) <= 0 && it->objections.count)
			return AG_OBJECTED;
		if (it->overdue)
			return AG_PAST;
		if (it->urgency == ADR_LEVEL_HIGH && it->complexity == ADR_LEVEL_HIGH)
			return AG_URGENT;
		return AG_NONE;
	case ADR_QUEUE_CLEANUP: return it->overdue ? AG_CLEANUP : AG_NONE;
	case ADR_QUEUE_NEXT_STEP: return AG_STEP;
	default: return AG_NONE;
	}
}

const char *adr_queue_agenda_reason(const adr_queue *q, const adr_queue_item *it)
{
	return agenda_heads[agenda_section(q, it)];
}

/* `s` with Markdown's inline punctuation escaped, on one line. */
static void put_md(adr_buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '\n' || *s == '\r')
			adr_buf_putc(out, ' ');
		else if (strchr("\\`*_[]<>#|", *s))
			adr_buf_printf(out, "\\%c", *s);
		else
			adr_buf_putc(out, *s);
	}
}

static void put_list(adr_buf *out, const adr_strlist *l)
{
	for (size_t i = 0; i < l->count; i++) {
		adr_buf_puts(out, i ? ", " : "");
		put_md(out, l->items[i]);
	}
}

/* "- **ref** title (owner: X): why" */
static void agenda_line(adr_buf *out, int sec, const adr_queue_item *it)
{
	if (it->kind == ADR_QUEUE_PROPOSAL)
		adr_buf_printf(out, "- **adr/%s** ", it->slug);
	else
		adr_buf_printf(out, "- **%04d** ", it->number);
	put_md(out, it->title);
	adr_buf_puts(out, " (owner: ");
	put_md(out, it->owner ? it->owner : "nobody");
	adr_buf_puts(out, "): ");
	switch (sec) {
	case AG_OBJECTED:
		adr_buf_puts(out, "objections by ");
		put_list(out, &it->objections);
		adr_buf_printf(out, " still open at the deadline %s", it->due);
		break;
	case AG_PAST:
		adr_buf_printf(out, "the comment deadline %s passed undecided", it->due);
		break;
	case AG_URGENT:
		adr_buf_puts(out, "urgent and complex: better decided in a meeting");
		if (it->due[0])
			adr_buf_printf(out, " (deadline %s)", it->due);
		break;
	case AG_CLEANUP:
		adr_buf_printf(out, "meeting record not cleaned up by %s", it->due);
		break;
	default:
		adr_buf_puts(out, "\"");
		put_md(out, it->step ? it->step : "");
		adr_buf_printf(out, "\" was due %s", it->due);
		break;
	}
	if (it->move.count && (sec == AG_OBJECTED || sec == AG_PAST || sec == AG_URGENT) &&
	    !(it->move.count == 1 && it->owner && strcmp(it->move.items[0], it->owner) == 0)) {
		adr_buf_puts(out, "; waiting for ");
		put_list(out, &it->move);
	}
	adr_buf_putc(out, '\n');
}

int adr_queue_agenda(adr_buf *out, const adr_queue *q)
{
	size_t mark = out->size;
	bool any = false;
	adr_buf_printf(out, "# Meeting agenda, %s\n", q->today);
	for (int sec = AG_OBJECTED; sec < AG_COUNT; sec++) {
		bool head = false;
		for (size_t i = 0; i < q->count; i++) {
			if (agenda_section(q, &q->items[i]) != sec)
				continue;
			if (!head)
				adr_buf_printf(out, "\n## %s\n\n", agenda_heads[sec]);
			head = any = true;
			agenda_line(out, sec, &q->items[i]);
		}
	}
	if (!any)
		adr_buf_puts(out, "\nNothing needs a meeting.\n");
	if (adr_buf_oom(out)) {
		adr_buf_truncate(out, mark);
		return ADR_ENOMEM;
	}
	return 0;
}
