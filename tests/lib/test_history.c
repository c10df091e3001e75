/*
 * test_history.c: the one-pass history walk (lib/git/history.c) against git's
 * own account of the same repository.
 *
 * The repository comes from tests/fixtures/history/make-repo.sh: renames,
 * edits, a proposal branch with a comment and a revision merged as an
 * accepted record, a topic merge, a record deleted and added again, fixed
 * dates. Expected facts are read from `git log --raw --no-renames
 * --diff-merges=first-parent`, the same definition the walk uses: a commit
 * touches a file when its diff against its first parent does.
 */
#include <criterion/criterion.h>
#include <git2.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adr/history.h"
#include "adr/repo.h"
#include "testutil.h"

/* The repository of tests/fixtures/history/make-repo.sh, in tu_repo_dir. */
static void setup(void)
{
	tu_setup_root("adr-history");
	cr_assert_eq(tu_sh("'%s/history/make-repo.sh' '%s' >/dev/null 2>&1", ADR_TEST_FIXTURES, tu_repo_dir), 0);
}

TestSuite(history, .init = setup, .fini = tu_teardown);

static adr_history *walk(const char *dir, const char *tip, const char *since)
{
	adr_repo *repo = NULL;
	adr_history *h = NULL;
	cr_assert_eq(adr_repo_open(&repo, dir), 0, "%s", adr_error_last());
	cr_assert_eq(adr_history_new(&h), 0);
	cr_assert_eq(adr_history_walk(h, repo, tip, since, NULL, NULL), 0, "%s", adr_error_last());
	adr_repo_free(repo);
	return h;
}

/* What git says about the files of one record (its paths over time). */
typedef struct {
	adr_strlist commits;   /* newest first, as git log prints them */
	adr_strlist times;
	adr_strlist authors;   /* one per commit */
} git_facts;

static void git_facts_for(git_facts *gf, const char *dir, const char *const *paths)
{
	char *log = tu_capture_ok("git -C '%s' log --format='>%%H %%at %%an' --raw --no-renames --no-abbrev "
				  "--diff-merges=first-parent main", dir);
	char *save = NULL, cur[41] = "", when[32] = "", who[128] = "";
	bool counted = false;
	memset(gf, 0, sizeof(*gf));
	for (char *line = strtok_r(log, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '>') {
			cr_assert_eq(sscanf(line + 1, "%40s %31s %127[^\n]", cur, when, who), 3);
			counted = false;
			continue;
		}
		const char *tab = strchr(line, '\t');
		if (line[0] != ':' || !tab || counted)
			continue;
		for (size_t i = 0; paths[i]; i++)
			if (strcmp(tab + 1, paths[i]) == 0) {
				adr_strlist_add(&gf->commits, cur);
				adr_strlist_add(&gf->times, when);
				adr_strlist_add(&gf->authors, who);
				counted = true;
				break;
			}
	}
	free(log);
}

static void git_facts_clear(git_facts *gf)
{
	adr_strlist_dispose(&gf->commits);
	adr_strlist_dispose(&gf->times);
	adr_strlist_dispose(&gf->authors);
}

static void check_record(adr_history *h, const char *path, const char *const *chain)
{
	git_facts gf;
	adr_history_entry *e = adr_history_get(h, path);
	size_t n;

	cr_assert_not_null(e, "no history for %s", path);
	git_facts_for(&gf, tu_repo_dir, chain);
	n = gf.commits.count;
	cr_assert_gt(n, 0, "git knows nothing of %s", path);
	cr_assert_eq(e->commits.count, n, "%s: %zu commits, git says %zu", path, e->commits.count, n);
	/* the same commits, oldest first */
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(e->commits.items[i], gf.commits.items[n - 1 - i], "%s: commit %zu", path, i);
	cr_assert_str_eq(e->created_commit, gf.commits.items[n - 1]);
	cr_assert_eq(e->created_time, atoll(gf.times.items[n - 1]));
	cr_assert_str_eq(e->created_author, gf.authors.items[n - 1]);
	cr_assert_str_eq(e->changed_commit, gf.commits.items[0]);
	cr_assert_eq(e->changed_time, atoll(gf.times.items[0]));
	cr_assert_str_eq(e->changed_author, gf.authors.items[0]);
	for (size_t i = 0; i < n; i++)
		cr_assert(adr_strlist_contains(&e->authors, gf.authors.items[i]), "%s: author %s missing", path,
			  gf.authors.items[i]);
	for (size_t i = 0; i < e->authors.count; i++)
		cr_assert(adr_strlist_contains(&gf.authors, e->authors.items[i]), "%s: extra author %s", path,
			  e->authors.items[i]);
	cr_assert_not(e->deleted);
	cr_assert_not(e->gone);
	git_facts_clear(&gf);
}

#define D "docs/decisions/"

Test(history, facts_match_git_log)
{
	adr_history *h = walk(tu_repo_dir, NULL, NULL);
	static const char *const a[] = { D "0001-a.md", NULL };          /* deleted and added again */
	static const char *const b[] = { D "0002-b.md", D "0002-bee.md", NULL }; /* renamed, topic merge */
	static const char *const c[] = { D "c.md", D "0003-c.md", NULL };  /* proposal, accepted by merge */
	static const char *const d[] = { D "0004-d.md", NULL };
	static const char *const e[] = { D "0005-e.md", NULL };
	check_record(h, D "0001-a.md", a);
	check_record(h, D "0002-bee.md", b);
	check_record(h, D "0003-c.md", c);
	check_record(h, D "0004-d.md", d);
	check_record(h, D "0005-e.md", e);
	/* the old names are gone: their history moved */
	cr_assert(adr_history_get(h, D "0002-b.md")->gone);
	cr_assert(adr_history_get(h, D "c.md")->gone);
	cr_assert_null(adr_history_shallow_boundary(h));
	/* every commit was looked at once */
	char *count = tu_capture_ok("git -C '%s' rev-list --count main", tu_repo_dir);
	cr_assert_eq(adr_history_commits_examined(h), strtoul(count, NULL, 10));
	free(count);
	adr_history_free(h);
}

Test(history, proposal_and_decision)
{
	adr_history *h = walk(tu_repo_dir, NULL, NULL);
	const adr_history_entry *c = adr_history_get(h, D "0003-c.md"), *d = adr_history_get(h, D "0004-d.md"),
				*e = adr_history_get(h, D "0005-e.md"), *a = adr_history_get(h, D "0001-a.md");
	/* make-repo.sh: commit k is dated 2026-01-01T10:00Z + k days */
	const long long day0 = 1767261600, day = 86400;
	cr_assert_eq(c->proposed_time, day0 + 4 * day);   /* c4: propose */
	cr_assert_eq(c->decided_time, day0 + 8 * day);    /* c8: the accepting merge */
	cr_assert_eq(c->revisions, 1);                     /* c6 */
	cr_assert_eq(c->comments, 1);                      /* c5 */
	cr_assert_eq(d->proposed_time, day0 + 15 * day);  /* created, then decided by a status commit */
	cr_assert_eq(d->decided_time, day0 + 16 * day);
	cr_assert_eq(e->proposed_time, 0);
	cr_assert_eq(e->decided_time, 0);
	cr_assert_eq(a->proposed_time, 0);
	cr_assert_eq(a->decided_time, 0);
	adr_history_free(h);
}

Test(history, incremental_examines_only_new_commits)
{
	char *prev = tu_capture_ok("git -C '%s' rev-parse main~1", tu_repo_dir);
	char *tip = tu_capture_ok("git -C '%s' rev-parse main", tu_repo_dir);
	adr_history *h = walk(tu_repo_dir, prev, NULL);
	adr_history *h2;

	cr_assert_null(adr_history_get(h, D "0005-e.md"));
	adr_history_free(h);
	h2 = walk(tu_repo_dir, NULL, prev);
	cr_assert_eq(adr_history_commits_examined(h2), 1);
	cr_assert_eq(adr_history_trees_diffed(h2), 1);
	cr_assert_str_eq(adr_history_tip(h2), tip);
	cr_assert_eq(adr_history_count(h2), 1, "only the new record was touched");
	cr_assert_str_eq(adr_history_get(h2, D "0005-e.md")->created_commit, tip);
	adr_history_free(h2);
	/* nothing new: nothing examined */
	h2 = walk(tu_repo_dir, NULL, tip);
	cr_assert_eq(adr_history_commits_examined(h2), 0);
	adr_history_free(h2);
	free(prev);
	free(tip);
}

Test(history, since_must_be_an_ancestor)
{
	adr_repo *repo = NULL;
	adr_history *h = NULL;
	char *tip = tu_capture_ok("git -C '%s' rev-parse main", tu_repo_dir);
	char *older = tu_capture_ok("git -C '%s' rev-parse main~3", tu_repo_dir);
	cr_assert_eq(adr_repo_open(&repo, tu_repo_dir), 0);
	cr_assert_eq(adr_history_new(&h), 0);
	cr_assert_eq(adr_history_walk(h, repo, older, tip, NULL, NULL), ADR_ENOTFOUND);
	cr_assert(strstr(adr_error_last(), "not an ancestor"), "%s", adr_error_last());
	adr_history_free(h);
	cr_assert_eq(adr_history_new(&h), 0);
	cr_assert_eq(adr_history_walk(h, repo, NULL, "0123456789012345678901234567890123456789", NULL, NULL),
		     ADR_ENOTFOUND);
	cr_assert(strstr(adr_error_last(), "is gone"), "%s", adr_error_last());
	adr_history_free(h);
	adr_repo_free(repo);
	free(tip);
	free(older);
}

Test(history, shallow_clone_says_so_and_invents_no_dates)
{
	char clone[TU_PATH_BUF], *boundary, *tip_time, *tip;
	adr_history *h;
	const adr_history_entry *a, *e;

	snprintf(clone, sizeof(clone), "%s/shallow", tu_root);
	cr_assert_eq(tu_sh("git clone -q --depth 3 'file://%s' '%s' 2>/dev/null", tu_repo_dir, clone), 0);
	boundary = tu_capture_ok("cat '%s/.git/shallow'", clone);
	h = walk(clone, NULL, NULL);
	cr_assert_str_eq(adr_history_shallow_boundary(h), boundary);
	/* 0001 existed before the boundary: its creation is unknown, not the boundary's date */
	a = adr_history_get(h, D "0001-a.md");
	cr_assert_not_null(a);
	cr_assert(a->before_boundary);
	cr_assert_eq(a->created_time, 0);
	cr_assert_str_eq(a->created_commit, "");
	cr_assert_null(a->created_author);
	/* 0005 was added after the boundary: known exactly */
	e = adr_history_get(h, D "0005-e.md");
	tip = tu_capture_ok("git -C '%s' rev-parse HEAD", clone);
	tip_time = tu_capture_ok("git -C '%s' log -1 --format=%%at HEAD", clone);
	cr_assert_not(e->before_boundary);
	cr_assert_str_eq(e->created_commit, tip);
	cr_assert_eq(e->created_time, atoll(tip_time));
	adr_history_free(h);
	free(boundary);
	free(tip);
	free(tip_time);
}

Test(history, unborn_branch_is_empty)
{
	char empty[TU_PATH_BUF];
	adr_history *h;
	snprintf(empty, sizeof(empty), "%s/empty", tu_root);
	cr_assert_eq(tu_sh("git init -q '%s'", empty), 0);
	h = walk(empty, NULL, NULL);
	cr_assert_eq(adr_history_count(h), 0);
	cr_assert_str_eq(adr_history_tip(h), "");
	adr_history_free(h);
}
