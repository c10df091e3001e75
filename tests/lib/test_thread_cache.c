/*
 * test_thread_cache.c: the serialized form of a thread the site's cache
 * keeps (lib/log/thread_cache.c): every field reads back as it was, and
 * anything short of a whole serialization (every truncation, a changed
 * byte in a number or a length, trailing bytes) is refused, never read.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "adr/proposal.h"
#include "log/thread_cache.h"

static void sample(adr_thread *t)
{
	memset(t, 0, sizeof(*t));
	t->slug = strdup("cache-sessions");
	t->ref = strdup("0123456789abcdef0123456789abcdef01234567");
	t->other = NULL;
	t->number = 12;
	t->status = ADR_STATUS_REJECTED;
	t->count = 2;
	t->events = calloc(2, sizeof(*t->events));
	t->events[0].kind = ADR_EVENT_COMMENT;
	memcpy(t->events[0].commit, "89abcdef0123456789abcdef0123456789abcdef", 41);
	t->events[0].author = strdup("Bo Chen");
	t->events[0].email = strdup("bo@example.com");
	t->events[0].time = -5;
	t->events[0].offset = -330;
	t->events[0].subject = strdup("adr: comment");
	t->events[0].text = strdup("Line one\n\n-\n12\nlast"); /* looks like the format */
	t->events[0].vote = ADR_VOTE_OBJECT;
	t->events[0].section = strdup("Consequences");
	t->events[0].late = true;
	t->events[1].kind = ADR_EVENT_REVISED;
	memcpy(t->events[1].commit, "fedcba9876543210fedcba9876543210fedcba98", 41);
	t->events[1].author = strdup("");
	t->events[1].email = strdup("");
	t->events[1].time = 1780000000;
	t->events[1].subject = strdup("edit");
	t->events[1].text = strdup("");
	adr_strlist_add(&t->events[1].changes, "field status");
	adr_strlist_add(&t->events[1].changes, "section Decision");
	adr_strlist_add(&t->events[1].outside, "docs/img/a.png");
}

static void same_event(const adr_event *a, const adr_event *b)
{
	cr_assert_eq(a->kind, b->kind);
	cr_assert_str_eq(a->commit, b->commit);
	cr_assert_str_eq(a->author, b->author);
	cr_assert_str_eq(a->email, b->email);
	cr_assert_eq(a->time, b->time);
	cr_assert_eq(a->offset, b->offset);
	cr_assert_str_eq(a->subject, b->subject);
	cr_assert_str_eq(a->text, b->text);
	cr_assert_eq(a->vote, b->vote);
	cr_assert_eq(!a->section, !b->section);
	if (a->section)
		cr_assert_str_eq(a->section, b->section);
	cr_assert_eq(a->changes.count, b->changes.count);
	for (size_t i = 0; i < a->changes.count; i++)
		cr_assert_str_eq(a->changes.items[i], b->changes.items[i]);
	cr_assert_eq(a->outside.count, b->outside.count);
	for (size_t i = 0; i < a->outside.count; i++)
		cr_assert_str_eq(a->outside.items[i], b->outside.items[i]);
	cr_assert_eq(a->late, b->late);
}

Test(thread_cache, every_field_reads_back)
{
	adr_thread t, back;
	adr_buf b = ADR_BUF_INIT, again = ADR_BUF_INIT;

	sample(&t);
	cr_assert_eq(adr__thread_serialize(&b, &t), 0);
	cr_assert_eq(adr__thread_deserialize(&back, b.ptr, b.size), 0);
	cr_assert_str_eq(back.slug, t.slug);
	cr_assert_str_eq(back.ref, t.ref);
	cr_assert_null(back.other);
	cr_assert_eq(back.number, 12);
	cr_assert_eq(back.status, ADR_STATUS_REJECTED);
	cr_assert_eq(back.count, 2);
	for (size_t i = 0; i < t.count; i++)
		same_event(&t.events[i], &back.events[i]);
	cr_assert_eq(adr__thread_serialize(&again, &back), 0);
	cr_assert_eq(again.size, b.size);
	cr_assert_eq(memcmp(again.ptr, b.ptr, b.size), 0);
	adr_thread_dispose(&t);
	adr_thread_dispose(&back);
	adr_buf_dispose(&b);
	adr_buf_dispose(&again);
}

Test(thread_cache, a_damaged_serialization_is_refused)
{
	adr_thread t, back;
	adr_buf b = ADR_BUF_INIT, d = ADR_BUF_INIT;

	sample(&t);
	cr_assert_eq(adr__thread_serialize(&b, &t), 0);
	for (size_t n = 0; n < b.size; n++)
		cr_assert_eq(adr__thread_deserialize(&back, b.ptr, n), ADR_EINVALID, "cut at %zu read", n);
	adr_buf_set(&d, b.ptr, b.size);
	adr_buf_puts(&d, "x");
	cr_assert_eq(adr__thread_deserialize(&back, d.ptr, d.size), ADR_EINVALID);
	cr_assert_eq(adr__thread_deserialize(&back, "-\n-\n-\n-5\n0\n0\n", strlen("-\n-\n-\n-5\n0\n0\n")), ADR_EINVALID); /* number < -1 */
	cr_assert_eq(adr__thread_deserialize(&back, "-\n-\n-\n1\n0\n1\n9\n", strlen("-\n-\n-\n1\n0\n1\n9\n")), ADR_EINVALID); /* event kind 9 */
	cr_assert_eq(adr__thread_deserialize(&back, "-\n-\n-\n1\n0\n0\n", strlen("-\n-\n-\n1\n0\n0\n")), 0);   /* an empty thread */
	cr_assert_eq(back.count, 0);
	cr_assert_null(back.slug);
	adr_thread_dispose(&back);
	cr_assert_eq(adr__thread_deserialize(&back, "99999999999999999999\n", strlen("99999999999999999999\n")), ADR_EINVALID);
	cr_assert_eq(adr__thread_deserialize(&back, "5\nab", 4), ADR_EINVALID); /* longer than there is */
	adr_thread_dispose(&t);
	adr_buf_dispose(&b);
	adr_buf_dispose(&d);
}
