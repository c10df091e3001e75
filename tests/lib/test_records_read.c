/*
 * test_records_read.c: reading many records on several threads
 * (git/records_read.c, through adr_repo_records) gives what reading them
 * one by one gives: the same records in the same order with the same
 * fields and warnings, the same lenient errors, and, strict, the same first
 * failure. ADR_READ_THREADS chooses the threads (1: sequential). The CLI's
 * side is tests/cli/t_records_threads.sh.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/record.h"
#include "adr/repo.h"
#include "testutil.h"

#define NREC 400

static void many_setup(void)
{
	tu_setup();
	tu_git_init("main");
	for (int i = 1; i <= NREC; i++) {
		char rel[64], text[256];
		snprintf(rel, sizeof(rel), "docs/decisions/%04d-r%d.md", i, i);
		if (i % 50 == 13) /* unreadable: broken YAML */
			snprintf(text, sizeof(text), "---\nstatus: [accepted\n---\n# R %d\n", i);
		else if (i % 10 == 0) /* legacy: the status in the body */
			snprintf(text, sizeof(text), "# %d. R %d\n\nDate: 2020-01-02\n\n## Status\n\nAccepted\n", i, i);
		else if (i % 7 == 0) /* a warning */
			snprintf(text, sizeof(text), "---\nstatus: maybe\ntags: [a, b]\n---\n# R %d\n", i);
		else
			snprintf(text, sizeof(text), "---\nstatus: accepted\ndate: 2021-01-%02d\ntags: [t%d]\n---\n# R %d\n",
				 i % 28 + 1, i % 3, i);
		tu_write_file(rel, text);
	}
	tu_commit_all("records");
}

TestSuite(records_read, .init = many_setup, .fini = tu_teardown, .timeout = 120);

/* Reads the records with `threads` threads ("1": sequential); returns the call's code. */
static int read_with(adr_recordset *set, const char *threads, unsigned flags)
{
	adr_repo *repo = NULL;
	int rc;
	setenv("ADR_READ_THREADS", threads, 1);
	cr_assert_eq(adr_repo_open(&repo, tu_repo_dir), 0, "%s", adr_error_last());
	rc = adr_repo_records(set, repo, NULL, flags);
	adr_repo_free(repo);
	unsetenv("ADR_READ_THREADS");
	return rc;
}

static void same_strlist(const adr_strlist *a, const adr_strlist *b, const char *what)
{
	cr_assert_eq(a->count, b->count, "%s: %zu vs %zu", what, a->count, b->count);
	for (size_t i = 0; i < a->count; i++)
		cr_assert_str_eq(a->items[i], b->items[i], "%s %zu", what, i);
}

Test(records_read, threads_give_the_sequential_records)
{
	adr_recordset seq = ADR_RECORDSET_INIT;
	const char *counts[] = { "2", "3", "8" };
	cr_assert_eq(read_with(&seq, "1", ADR_PARSE_LENIENT), 0, "%s", adr_error_last());
	cr_assert_eq(seq.count, NREC - NREC / 50);
	cr_assert_eq(seq.errors.count, NREC / 50);
	for (size_t k = 0; k < sizeof(counts) / sizeof(*counts); k++) {
		adr_recordset par = ADR_RECORDSET_INIT;
		cr_assert_eq(read_with(&par, counts[k], ADR_PARSE_LENIENT), 0, "%s", adr_error_last());
		cr_assert_str_eq(par.commit, seq.commit);
		same_strlist(&par.errors, &seq.errors, "errors");
		cr_assert_eq(par.nunreadable, seq.errors.count);
		for (size_t i = 0; i < par.nunreadable; i++)
			cr_assert_str_eq(par.unreadable[i].path, seq.unreadable[i].path);
		cr_assert_eq(par.count, seq.count);
		for (size_t i = 0; i < seq.count; i++) {
			const adr_record *a = seq.items[i], *b = par.items[i];
			adr_buf x = ADR_BUF_INIT, y = ADR_BUF_INIT;
			cr_assert_eq(a->number, b->number);
			cr_assert_str_eq(a->path, b->path);
			cr_assert_str_eq(a->title, b->title);
			cr_assert_eq(a->status, b->status);
			cr_assert_str_eq(a->date, b->date);
			same_strlist(&a->tags, &b->tags, "tags");
			same_strlist(&a->warnings, &b->warnings, "warnings");
			cr_assert_eq(adr_record_serialize(&x, a), 0);
			cr_assert_eq(adr_record_serialize(&y, b), 0);
			cr_assert_str_eq(x.ptr, y.ptr);
			adr_buf_dispose(&x);
			adr_buf_dispose(&y);
		}
		adr_recordset_dispose(&par);
	}
	adr_recordset_dispose(&seq);
}

/* Strict: the first record that does not parse (0007's warning is an error
 * here, 0013 is broken YAML, and every 7th and 50th more) fails the read,
 * whatever the threads and whichever of them fails first. */
Test(records_read, strict_first_failure_wins)
{
	const char *counts[] = { "1", "2", "3" };
	for (size_t k = 0; k < sizeof(counts) / sizeof(*counts); k++) {
		adr_recordset set = ADR_RECORDSET_INIT;
		cr_assert_eq(read_with(&set, counts[k], 0), ADR_EINVALID, "%s threads", counts[k]);
		cr_assert_str_eq(adr_error_last(),
				 "docs/decisions/0007-r7.md:2:9: key 'status': 'maybe' is not one of proposed, accepted, "
				 "rejected, deprecated, superseded",
				 "%s threads", counts[k]);
		cr_assert_eq(set.count, 0);
	}
}
