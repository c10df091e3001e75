/*
 * log/queue.c: the asynchronous dashboard (adr/queue.h): open proposals,
 * meeting records waiting for their cleanup, decisions due for a revisit.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		    adr_strlist_copy(&it->objections, &p->objections) < 0)
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
			if (!(it = queue_add(out, ADR_QUEUE_CLEANUP, r->title, r->cleanup_by)))
				goto oom;
			it->number = r->number;
		}
		if (r->revisit[0] && strcmp(r->revisit, out->today) <= 0 &&
		    (r->status == ADR_STATUS_ACCEPTED || r->status == ADR_STATUS_NONE)) {
			if (!(it = queue_add(out, ADR_QUEUE_REVISIT, r->title, r->revisit)))
				goto oom;
			it->number = r->number;
			it->overdue = strcmp(r->revisit, out->today) < 0;
		}
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
