/*
 * test_index.c: the search index (lib/log/index*.c) and the metrics over it
 * (lib/log/stats.c) through the library API: opening and building, the
 * incremental counters, search options, facts, and the statistics on
 * hand-made facts.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adr/index.h"
#include "adr/repo.h"
#include "adr/stats.h"
#include "testutil.h"

/* The repository of tests/fixtures/history/make-repo.sh, in tu_repo_dir. */
static void setup(void)
{
	tu_setup_root("adr-index");
	setenv("ADR_NOW", "2026-02-01", 1);
	cr_assert_eq(tu_sh("'%s/history/make-repo.sh' '%s' >/dev/null 2>&1", ADR_TEST_FIXTURES, tu_repo_dir), 0);
}

TestSuite(index, .init = setup, .fini = tu_teardown);

static adr_repo *open_repo(void)
{
	adr_repo *repo = NULL;
	cr_assert_eq(adr_repo_open(&repo, tu_repo_dir), 0, "%s", adr_error_last());
	return repo;
}

Test(index, build_then_incremental)
{
	adr_repo *repo = open_repo();
	adr_index *ix = NULL;
	adr_index_stats st;

	cr_assert_eq(adr_index_open(&ix, repo, ADR_INDEX_IF_EXISTS, &st), ADR_ENOTFOUND);
	cr_assert_eq(adr_index_open(&ix, repo, 0, &st), 0, "%s", adr_error_last());
	cr_assert(st.rebuilt);
	cr_assert_str_eq(st.reason, "no index yet");
	cr_assert_eq(st.records, 5);
	cr_assert_eq(st.commits_examined, 17);
	cr_assert_eq(st.blobs_parsed, 5);
	cr_assert(strstr(adr_index_path(ix), "/.git/adr/index.db"), "%s", adr_index_path(ix));
	adr_index_free(ix);

	cr_assert_eq(tu_sh("cd '%s' && echo 'More.' >>docs/decisions/0002-bee.md && git -c user.name=T -c user.email=t@x commit -qam more", tu_repo_dir), 0);
	cr_assert_eq(adr_index_open(&ix, repo, ADR_INDEX_IF_EXISTS, &st), 0, "%s", adr_error_last());
	cr_assert_not(st.rebuilt);
	cr_assert_eq(st.commits_examined, 1);
	cr_assert_eq(st.trees_diffed, 1);
	cr_assert_eq(st.blobs_parsed, 1);
	cr_assert_eq(st.records, 5);
	adr_index_free(ix);

	cr_assert_eq(adr_index_open(&ix, repo, ADR_INDEX_REBUILD, &st), 0);
	cr_assert(st.rebuilt);
	cr_assert_str_eq(st.reason, "rebuild asked for");
	adr_index_free(ix);
	adr_repo_free(repo);
}

Test(index, search_options_and_marks)
{
	adr_repo *repo = open_repo();
	adr_index *ix = NULL;
	adr_search_opts o = ADR_SEARCH_OPTS_INIT;
	adr_search_result res;

	cr_assert_eq(adr_index_open(&ix, repo, 0, NULL), 0);
	o.query = "gamma";
	o.mark_open = "<b>";
	o.mark_close = "</b>";
	cr_assert_eq(adr_index_search(&res, ix, &o), 0, "%s", adr_error_last());
	cr_assert_eq(res.count, 1);
	cr_assert_eq(res.items[0].number, 3);
	cr_assert_str_eq(res.items[0].title, "Gamma");
	cr_assert_str_eq(res.items[0].status, "accepted");
	cr_assert_str_eq(res.items[0].path, "docs/decisions/0003-c.md");
	cr_assert(strstr(res.items[0].snippet, "<b>Gamma</b>"), "%s", res.items[0].snippet);
	cr_assert_lt(res.items[0].score, 0.0);
	adr_search_result_dispose(&res);

	/* every word must match */
	o.query = "gamma alpha";
	cr_assert_eq(adr_index_search(&res, ix, &o), 0);
	cr_assert_eq(res.count, 0);
	adr_search_result_dispose(&res);

	/* "body" is in every record: the status filter picks one */
	o.query = "body";
	o.status = ADR_STATUS_PROPOSED;
	cr_assert_eq(adr_index_search(&res, ix, &o), 0);
	cr_assert_eq(res.count, 1);
	cr_assert_eq(res.items[0].number, 5);
	adr_search_result_dispose(&res);
	o.status = ADR_STATUS_NONE;
	o.tag = "T2";
	cr_assert_eq(adr_index_search(&res, ix, &o), 0);
	cr_assert_eq(res.count, 1);
	cr_assert_eq(res.items[0].number, 2);
	adr_search_result_dispose(&res);
	o.tag = NULL;
	o.limit = 2;
	cr_assert_eq(adr_index_search(&res, ix, &o), 0);
	cr_assert_eq(res.count, 2);
	adr_search_result_dispose(&res);

	/* words without a letter or digit are left out, and listed */
	o.query = "gamma -- *";
	cr_assert_eq(adr_index_search(&res, ix, &o), 0, "%s", adr_error_last());
	cr_assert_eq(res.count, 1);
	cr_assert_eq(res.ignored.count, 2);
	cr_assert_str_eq(res.ignored.items[0], "--");
	cr_assert_str_eq(res.ignored.items[1], "*");
	adr_search_result_dispose(&res);
	cr_assert_eq(res.ignored.count, 0);
	/* only such words: nothing to search for, and the error says so */
	o.query = "  * \"\" ( ) -- ";
	cr_assert_eq(adr_index_search(&res, ix, &o), ADR_EUSAGE);
	cr_assert_str_eq(adr_error_last(), "nothing to search for: '*' and the other words have no letter or digit");
	cr_assert_eq(res.count, 0);
	cr_assert_eq(res.ignored.count, 0);
	adr_search_result_dispose(&res);
	o.query = NULL;
	cr_assert_eq(adr_index_search(&res, ix, &o), 0);
	cr_assert_eq(res.count, 0);
	adr_index_free(ix);
	adr_repo_free(repo);
}

Test(index, facts)
{
	adr_repo *repo = open_repo();
	adr_index *ix = NULL;
	adr_index_facts f;

	cr_assert_eq(adr_index_open(&ix, repo, 0, NULL), 0);
	cr_assert_eq(adr_index_get_facts(&f, ix), 0, "%s", adr_error_last());
	cr_assert_eq(f.count, 5);
	cr_assert_eq(f.items[2].number, 3);
	cr_assert_str_eq(f.items[2].review_by, "2026-01-06");
	cr_assert_eq(f.items[2].revisions, 1);
	cr_assert_eq(f.items[2].comments, 1);
	cr_assert_eq(f.items[2].commits, 4);
	cr_assert_eq(f.items[2].decided_time - f.items[2].proposed_time, 4 * 86400);
	cr_assert_str_eq(f.items[2].tagkey, "\nt-\n");
	cr_assert_null(f.items[2].error);
	cr_assert_str_eq(f.items[4].status, "proposed");
	adr_index_facts_dispose(&f);
	adr_index_free(ix);
	adr_repo_free(repo);
}

/* --- statistics on hand-made facts ------------------------------------- */

static adr_index_fact fact(int n, const char *status, long long proposed, long long decided, const char *review_by)
{
	adr_index_fact f;
	memset(&f, 0, sizeof(f));
	f.number = n;
	snprintf(f.status, sizeof(f.status), "%s", status);
	snprintf(f.date, sizeof(f.date), "2026-01-%02d", n);
	f.proposed_time = proposed;
	f.decided_time = decided;
	if (review_by)
		snprintf(f.review_by, sizeof(f.review_by), "%s", review_by);
	return f;
}

TestSuite(stats);

Test(stats, percentiles_and_deadlines)
{
	const long long day = 86400, t0 = 1767261600; /* 2026-01-01T10:00Z */
	adr_index_fact items[] = {
		fact(1, "accepted", t0, t0 + 1 * day, "2026-01-03"),
		fact(2, "accepted", t0, t0 + 2 * day, "2026-01-02"), /* decided 01-03: late */
		fact(3, "rejected", t0, t0 + 3 * day, NULL),
		fact(4, "accepted", t0, t0 + 10 * day, NULL),
		fact(5, "proposed", 0, 0, "2026-01-20"),             /* still open on 02-01: late */
		fact(6, "accepted", 0, 0, NULL),                     /* never a proposal */
	};
	adr_index_facts facts = { items, sizeof(items) / sizeof(items[0]) };
	adr_stats s;

	setenv("ADR_NOW", "2026-02-01", 1);
	items[0].revisions = 2;
	items[1].comments = 5;
	snprintf(items[0].urgency, sizeof(items[0].urgency), "high");
	snprintf(items[0].complexity, sizeof(items[0].complexity), "low");
	cr_assert_eq(adr_stats_compute(&s, &facts, NULL), 0);
	cr_assert_eq(s.records, 6);
	cr_assert_eq(s.proposals, 5);
	cr_assert_eq(s.decided, 4);
	cr_assert_float_eq(s.cycle_median_days, 2.5, 1e-9);   /* 1 2 3 10 */
	cr_assert_float_eq(s.cycle_p90_days, 10.0, 1e-9);     /* rank ceil(3.6) = 4 */
	cr_assert_float_eq(s.revisions_per_proposal, 0.4, 1e-9);
	cr_assert_float_eq(s.comments_per_proposal, 1.0, 1e-9);
	cr_assert_eq(s.deadlines_missed, 2);
	cr_assert_eq(s.by_status.count, 3);
	cr_assert_str_eq(s.by_status.items[0].name, "accepted");
	cr_assert_eq(s.by_status.items[0].count, 4);
	cr_assert_str_eq(s.by_quadrant.items[1].name, "urgent+simple");
	adr_stats_dispose(&s);

	/* since: records dated 2026-01-04 and later */
	cr_assert_eq(adr_stats_compute(&s, &facts, "2026-01-04"), 0);
	cr_assert_eq(s.records, 3);
	cr_assert_eq(s.decided, 1);
	cr_assert_float_eq(s.cycle_median_days, 10.0, 1e-9);
	cr_assert_float_eq(s.cycle_p90_days, 10.0, 1e-9);
	adr_stats_dispose(&s);

	/* an odd count has a middle value; nothing decided gives -1 */
	facts.count = 3;
	cr_assert_eq(adr_stats_compute(&s, &facts, NULL), 0);
	cr_assert_float_eq(s.cycle_median_days, 2.0, 1e-9);
	adr_stats_dispose(&s);
	facts.count = 0;
	cr_assert_eq(adr_stats_compute(&s, &facts, NULL), 0);
	cr_assert_float_eq(s.cycle_median_days, -1.0, 1e-9);
	cr_assert_eq(s.records, 0);
	adr_stats_dispose(&s);
}

/* The practice's metrics: what counts where, on the edges the CLI test
 * cannot reach cheaply (a status set by hand, a proposal on the decision
 * branch, a response dated before its proposal). */
Test(stats, practice_edges)
{
	const long long day = 86400, t0 = 1767261600; /* 2026-01-01T10:00Z */
	adr_index_fact items[] = {
		fact(1, "deprecated", 0, 0, NULL),            /* dated 01-01, ended by hand 01-31 */
		fact(2, "superseded", t0, t0 + day, NULL),    /* decided 01-02, ended 04-02 (90 days) */
		fact(3, "superseded", t0, t0 + day, NULL),    /* decided 01-02, ended 04-03 (91 days) */
		fact(4, "proposed", 0, 0, NULL),              /* open, on the decision branch */
		fact(5, "rejected", t0, t0 + 2 * day, NULL),  /* decided, but no decision to reverse */
	};
	adr_index_facts facts = { items, sizeof(items) / sizeof(items[0]) };
	adr_stats s;

	setenv("ADR_NOW", "2026-06-01", 1);
	items[0].changed_time = t0 + 30 * day;
	items[1].ended_time = t0 + 91 * day;
	items[1].changed_time = t0 + 200 * day;
	items[2].ended_time = t0 + 92 * day;
	items[3].created_time = t0 + 3 * day;
	items[3].first_response_time = t0 + 3 * day - 60; /* clock skew: counts as 0 */
	items[4].revisions = 2;
	snprintf(items[4].mode, sizeof(items[4].mode), "sync");
	cr_assert_eq(adr_stats_compute_period(&s, &facts, NULL, NULL), 0);
	cr_assert_eq(s.decisions, 3);
	cr_assert_eq(s.reversed, 2);
	cr_assert_float_eq(s.reversal_rate, 2.0 / 3.0, 1e-9);
	cr_assert_eq(s.proposals_decided, 3);
	cr_assert_eq(s.reworked, 1);
	cr_assert_eq(s.cycle_hours_sync.count, 1);
	cr_assert_float_eq(s.cycle_hours_sync.median_hours, 48.0, 1e-9);
	cr_assert_eq(s.cycle_hours_async.count, 0);
	cr_assert_float_eq(s.cycle_hours_async.median_hours, -1.0, 1e-9);
	cr_assert_eq(s.proposals_opened, 4);
	cr_assert_eq(s.proposals_answered, 1);
	cr_assert_float_eq(s.first_response_median_hours, 0.0, 1e-9);
	adr_stats_dispose(&s);

	/* the period: decided on 01-02 only; opened (01-01) before it */
	cr_assert_eq(adr_stats_compute_period(&s, &facts, "2026-01-02", "2026-01-02"), 0);
	cr_assert_eq(s.decisions, 2);
	cr_assert_eq(s.proposals_decided, 2);
	cr_assert_eq(s.proposals_opened, 0);
	cr_assert_float_eq(s.first_response_median_hours, -1.0, 1e-9);
	cr_assert_float_eq(s.rework_rate, 0.0, 1e-9);
	adr_stats_dispose(&s);
}

Test(stats, diff_kind_names)
{
	cr_assert_str_eq(adr_diff_kind_name(ADR_DIFF_ADDED), "added");
	cr_assert_str_eq(adr_diff_kind_name(ADR_DIFF_CHANGED), "changed");
	cr_assert_str_eq(adr_diff_kind_name(ADR_DIFF_SUPERSEDED), "superseded");
	cr_assert_str_eq(adr_diff_kind_name(ADR_DIFF_DEPRECATED), "deprecated");
	cr_assert_str_eq(adr_diff_kind_name(ADR_DIFF_REMOVED), "removed");
	cr_assert_str_eq(adr_diff_kind_name((adr_diff_kind)42), "?");
}
