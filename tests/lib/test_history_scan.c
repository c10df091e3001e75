/*
 * test_history_scan.c: a full history walk's first pass on two threads
 * (lib/git/history_scan.c) gives the facts the one-thread pass gives, on a
 * repository that mixes code commits with decisions: merges, an octopus, a
 * second root, renames, deletes, accepted proposals, commits that share a
 * second, and entries of the records directory that are not records
 * (tests/fixtures/history/make-mixed.sh); and the order it works out from
 * the commits' headers is libgit2's revwalk order, commit for commit, there
 * and on a tangle of lines merged at random whose commits share a few
 * times and are often older than their parents (make-dag.sh).
 */
#include <criterion/criterion.h>
#include <git2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/history.h"
#include "adr/repo.h"
#include "git/history_internal.h"
#include "testutil.h"

#define D "docs/decisions/"

static void setup(void)
{
	tu_setup_root("adr-history-scan");
	cr_assert_eq(tu_sh("'%s/history/make-mixed.sh' '%s' >/dev/null 2>&1", ADR_TEST_FIXTURES, tu_repo_dir), 0);
}

TestSuite(history_scan, .init = setup, .fini = tu_teardown, .timeout = 300);

static adr_history *walk(bool serial, bool one_thread)
{
	adr_repo *repo = NULL;
	adr_history *h = NULL;
	cr_assert_eq(adr_repo_open(&repo, tu_repo_dir), 0, "%s", adr_error_last());
	cr_assert_eq(adr_history_new(&h), 0);
	adr__history_set_serial(h, serial);
	adr__history_set_one_thread(h, one_thread);
	cr_assert_eq(adr_history_walk(h, repo, NULL, NULL, NULL, NULL), 0, "%s", adr_error_last());
	adr_repo_free(repo);
	return h;
}

static void same_list(const adr_strlist *a, const adr_strlist *b, const char *path, const char *what)
{
	cr_assert_eq(a->count, b->count, "%s: %s", path, what);
	for (size_t i = 0; i < a->count; i++)
		cr_assert_str_eq(a->items[i], b->items[i], "%s: %s %zu", path, what, i);
}

static void same_str(const char *a, const char *b, const char *path, const char *what)
{
	cr_assert_str_eq(a ? a : "(null)", b ? b : "(null)", "%s: %s", path, what);
}

static void same_entry(const adr_history_entry *a, const adr_history_entry *b)
{
	const char *p = a->path;
	cr_assert_str_eq(a->path, b->path);
	cr_assert_str_eq(a->blob, b->blob, "%s: blob", p);
	cr_assert_eq(a->deleted, b->deleted, "%s: deleted", p);
	cr_assert_eq(a->gone, b->gone, "%s: gone", p);
	cr_assert_eq(a->before_boundary, b->before_boundary, "%s", p);
	cr_assert_eq(a->touched, b->touched, "%s", p);
	cr_assert_str_eq(a->created_commit, b->created_commit, "%s: created", p);
	cr_assert_eq(a->created_time, b->created_time, "%s", p);
	same_str(a->created_author, b->created_author, p, "created_author");
	cr_assert_str_eq(a->changed_commit, b->changed_commit, "%s: changed", p);
	cr_assert_eq(a->changed_time, b->changed_time, "%s", p);
	same_str(a->changed_author, b->changed_author, p, "changed_author");
	same_list(&a->authors, &b->authors, p, "authors");
	same_list(&a->commits, &b->commits, p, "commits");
	cr_assert_eq(a->proposed_time, b->proposed_time, "%s: proposed", p);
	cr_assert_eq(a->decided_time, b->decided_time, "%s: decided", p);
	cr_assert_str_eq(a->decision_merge, b->decision_merge, "%s: decision merge", p);
	cr_assert_eq(a->revisions, b->revisions, "%s: revisions", p);
	cr_assert_eq(a->comments, b->comments, "%s: comments", p);
}

Test(history_scan, two_threads_give_what_one_gives)
{
	adr_history *one = walk(true, false), *two = walk(false, false);
	cr_assert_gt(adr_history_count(one), 50);
	cr_assert_eq(adr_history_count(one), adr_history_count(two));
	for (size_t i = 0; i < adr_history_count(one); i++)
		same_entry(adr_history_at(one, i), adr_history_at(two, i));
	cr_assert_eq(adr_history_commits_examined(one), adr_history_commits_examined(two));
	cr_assert_eq(adr_history_trees_diffed(one), adr_history_trees_diffed(two));
	cr_assert_str_eq(adr_history_tip(one), adr_history_tip(two));
	adr_history_free(one);
	adr_history_free(two);
}

/* The scan on one thread gives what it gives on two. */
Test(history_scan, one_thread_gives_what_one_gives)
{
	adr_history *one = walk(true, false), *two = walk(false, true);
	cr_assert_eq(adr_history_count(one), adr_history_count(two));
	for (size_t i = 0; i < adr_history_count(one); i++)
		same_entry(adr_history_at(one, i), adr_history_at(two, i));
	cr_assert_eq(adr_history_commits_examined(one), adr_history_commits_examined(two));
	cr_assert_eq(adr_history_trees_diffed(one), adr_history_trees_diffed(two));
	adr_history_free(one);
	adr_history_free(two);
}

/* The two-thread pass on its own, against git. */
Test(history_scan, facts_match_git)
{
	adr_history *h = walk(false, false);
	char *n = tu_capture_ok("git -C '%s' rev-list --count main", tu_repo_dir);
	char *touching = tu_capture_ok("git -C '%s' rev-list --count main -- docs/decisions", tu_repo_dir);
	const adr_history_entry *e;

	cr_assert_eq(adr_history_commits_examined(h), strtoul(n, NULL, 10));
	/* every commit git lists for the directory differs from its first parent there */
	cr_assert_geq(adr_history_trees_diffed(h), 1);
	cr_assert_leq(adr_history_trees_diffed(h), strtoul(n, NULL, 10));
	cr_assert_gt(strtoul(touching, NULL, 10), 100);
	/* accepted proposals, found through the merges' second parents */
	for (const char *const *p = (const char *const[]){ D "0052-delta.md", D "0053-omega.md", NULL }; *p; p++) {
		char *merge = tu_capture_ok("git -C '%s' log -1 --format=%%H -s --diff-merges=first-parent --diff-filter=A main -- %s", tu_repo_dir, *p);
		e = adr_history_get(h, *p);
		cr_assert_not_null(e, "%s", *p);
		cr_assert_gt(e->proposed_time, 0, "%s", *p);
		cr_assert_gt(e->decided_time, 0, "%s", *p);
		cr_assert_eq(e->comments, 1, "%s", *p);
		cr_assert_str_eq(e->decision_merge, merge, "%s", *p);
		free(merge);
	}
	cr_assert(adr_history_get(h, D "delta.md")->gone);
	/* a record from a second root, and one renamed: created where git says */
	{
		char *c = tu_capture_ok("git -C '%s' log --format=%%H -s --reverse --diff-merges=first-parent main -- "
					D "0900-other.md | head -1", tu_repo_dir);
		e = adr_history_get(h, D "0900-other.md");
		cr_assert_not_null(e);
		cr_assert_str_eq(e->created_commit, c);
		free(c);
	}
	/* the symlink, the text file and the subdirectory are not records */
	cr_assert_null(adr_history_get(h, D "0950-link.md"));
	cr_assert_null(adr_history_get(h, D "notes.txt"));
	cr_assert_null(adr_history_get(h, D "sub/0960-sub.md"));
	free(n);
	free(touching);
	adr_history_free(h);
}

/* The order adr__history_scan() works out from the headers, against
 * libgit2's own revwalk (topological and time order), every commit. */
static void same_order_as_revwalk(void)
{
	adr_repo *repo = NULL;
	git_revwalk *rw = NULL;
	git_oid tip, id, *ids = NULL;
	size_t n = 0, k = 0;
	int rc;

	cr_assert_eq(adr_repo_open(&repo, tu_repo_dir), 0, "%s", adr_error_last());
	cr_assert_eq(git_reference_name_to_id(&tip, adr__repo_git(repo), "refs/heads/main"), 0);
	cr_assert_eq(adr__history_scan_order(&ids, &n, repo, &tip), 0, "%s", adr_error_last());
	cr_assert_eq(git_revwalk_new(&rw, adr__repo_git(repo)), 0);
	cr_assert_eq(git_revwalk_sorting(rw, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME), 0);
	cr_assert_eq(git_revwalk_push(rw, &tip), 0);
	while ((rc = git_revwalk_next(&id, rw)) == 0) {
		char want[41], got[41];
		cr_assert_lt(k, n, "the scan has fewer commits than the revwalk");
		git_oid_tostr(want, sizeof(want), &id);
		git_oid_tostr(got, sizeof(got), &ids[k]);
		cr_assert_str_eq(got, want, "commit %zu of the walk", k);
		k++;
	}
	cr_assert_eq(rc, GIT_ITEROVER);
	cr_assert_eq(k, n, "the scan has more commits than the revwalk");
	git_revwalk_free(rw);
	free(ids);
	adr_repo_free(repo);
}

Test(history_scan, order_is_the_revwalk_order)
{
	char *same = tu_capture_ok("git -C '%s' log --format=%%ct main | sort | uniq -d | wc -l", tu_repo_dir);
	cr_assert_gt(atoi(same), 0, "commits share a second");
	free(same);
	same_order_as_revwalk();
}

static void setup_dag(void)
{
	tu_setup_root("adr-history-dag");
	cr_assert_eq(tu_sh("'%s/history/make-dag.sh' '%s' >/dev/null 2>&1", ADR_TEST_FIXTURES, tu_repo_dir), 0);
}

TestSuite(history_dag, .init = setup_dag, .fini = tu_teardown, .timeout = 300);

Test(history_dag, order_is_the_revwalk_order)
{
	char *skew = tu_capture_ok("git -C '%s' log --format='%%H %%ct %%P' main | awk '{ t[$1] = $2; l[NR] = $0 } "
				   "END { for (k = 1; k <= NR; k++) { m = split(l[k], f, \" \"); "
				   "for (i = 3; i <= m; i++) if (t[f[i]] > f[2]) { n++; break } } print n + 0 }'",
				   tu_repo_dir);
	char *octopus = tu_capture_ok("git -C '%s' rev-list --min-parents=3 --count main", tu_repo_dir);
	/* the tangle is tangled: children older than a parent, octopus merges */
	cr_assert_gt(atoi(skew), 10, "%s", skew);
	cr_assert_gt(atoi(octopus), 2, "%s", octopus);
	free(skew);
	free(octopus);
	same_order_as_revwalk();
}

/* The records' facts (their first and last commits, the order of their
 * commits) hang on the order among commits of the same second: the scan
 * gives what the revwalk gives. */
Test(history_dag, facts_follow_the_revwalk_order)
{
	adr_history *one = walk(true, false), *two = walk(false, false), *three = walk(false, true);
	cr_assert_gt(adr_history_count(one), 20);
	cr_assert_eq(adr_history_count(one), adr_history_count(two));
	cr_assert_eq(adr_history_count(one), adr_history_count(three));
	for (size_t i = 0; i < adr_history_count(one); i++) {
		same_entry(adr_history_at(one, i), adr_history_at(two, i));
		same_entry(adr_history_at(one, i), adr_history_at(three, i));
	}
	cr_assert_eq(adr_history_commits_examined(one), adr_history_commits_examined(two));
	cr_assert_eq(adr_history_trees_diffed(one), adr_history_trees_diffed(two));
	adr_history_free(one);
	adr_history_free(two);
	adr_history_free(three);
}
