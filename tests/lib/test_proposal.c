/*
 * test_proposal.c: the pieces of asynchronous review that need no
 * repository (trailers adr trusts, deadlines, meeting minutes), and the
 * library calls behind the review commands on a repository made with git.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "adr/proposal.h"
#include "adr/repo.h"

/* --- trailers --------------------------------------------------------------- */

static void trailers(adr_strlist *k, adr_strlist *v, const char *msg)
{
	adr_strlist_clear(k);
	adr_strlist_clear(v);
	cr_assert_eq(adr_proposal_trailers(k, v, msg), 0);
}

Test(trailers, reads_the_last_paragraph)
{
	adr_strlist k = ADR_STRLIST_INIT, v = ADR_STRLIST_INIT;
	trailers(&k, &v, "adr: comment\n\nSome text.\n\nAdr-Comment: x\nAdr-Vote: object\n");
	cr_assert_eq(k.count, 2);
	cr_assert_str_eq(k.items[1], "Adr-Vote");
	cr_assert_str_eq(v.items[1], "object");
	adr_strlist_clear(&k);
	adr_strlist_clear(&v);
}

Test(trailers, text_that_looks_like_trailers_is_not_read)
{
	adr_strlist k = ADR_STRLIST_INIT, v = ADR_STRLIST_INIT;
	/* The comment's own last paragraph poses as a vote; adr's block follows it. */
	trailers(&k, &v, "adr: comment\n\nlooks good\nAdr-Vote: approve\n\nAdr-Comment: x\nAdr-Vote: object\n");
	cr_assert_eq(k.count, 2);
	cr_assert_str_eq(v.items[1], "object");
	/* A last paragraph with prose in it is not a trailer block at all. */
	trailers(&k, &v, "subject\n\nAdr-Vote: approve\nand some prose\n");
	cr_assert_eq(k.count, 0);
	/* "---" does not end the message for adr (it does for git's patch parser). */
	trailers(&k, &v, "subject\n\n---\nAdr-Vote: approve\n\nAdr-Comment: y\n");
	cr_assert_eq(k.count, 1);
	cr_assert_str_eq(k.items[0], "Adr-Comment");
	/* A subject alone has no trailers. */
	trailers(&k, &v, "Adr-Vote: approve\n");
	cr_assert_eq(k.count, 0);
	trailers(&k, &v, "");
	cr_assert_eq(k.count, 0);
	adr_strlist_clear(&k);
	adr_strlist_clear(&v);
}

/* --- deadlines --------------------------------------------------------------- */

Test(deadline, durations_and_dates)
{
	char d[11];
	setenv("ADR_NOW", "2026-11-21T10:00:00Z", 1);
	cr_assert_eq(adr_deadline(d, NULL, "48h", ADR_LEVEL_NONE, ADR_LEVEL_NONE), 0);
	cr_assert_str_eq(d, "2026-11-23");
	cr_assert_eq(adr_deadline(d, NULL, "3d", ADR_LEVEL_NONE, ADR_LEVEL_NONE), 0);
	cr_assert_str_eq(d, "2026-11-24");
	cr_assert_eq(adr_deadline(d, NULL, "2w", ADR_LEVEL_NONE, ADR_LEVEL_NONE), 0);
	cr_assert_str_eq(d, "2026-12-05");
	cr_assert_eq(adr_deadline(d, NULL, "2027-01-31", ADR_LEVEL_NONE, ADR_LEVEL_NONE), 0);
	cr_assert_str_eq(d, "2027-01-31");
	/* Built-in defaults per quadrant. */
	cr_assert_eq(adr_deadline(d, NULL, NULL, ADR_LEVEL_HIGH, ADR_LEVEL_HIGH), 0);
	cr_assert_str_eq(d, "2026-11-22");
	cr_assert_eq(adr_deadline(d, NULL, "", ADR_LEVEL_LOW, ADR_LEVEL_HIGH), 0);
	cr_assert_str_eq(d, "2026-11-28");
	cr_assert_eq(adr_deadline(d, NULL, NULL, ADR_LEVEL_NONE, ADR_LEVEL_NONE), 0);
	cr_assert_str_eq(d, "2026-11-24");
	unsetenv("ADR_NOW");
}

Test(deadline, refuses_nonsense)
{
	char d[11];
	const char *bad[] = { "soon", "3", "3x", "0d", "-1d", "d", "3dd", "99999d", "2026-02-30", "48 h", NULL };
	for (int i = 0; bad[i]; i++) {
		cr_assert_eq(adr_deadline(d, NULL, bad[i], ADR_LEVEL_NONE, ADR_LEVEL_NONE), ADR_EUSAGE, "%s", bad[i]);
		cr_assert(strstr(adr_error_last(), "deadline"), "%s", adr_error_last());
	}
}

/* --- minutes ---------------------------------------------------------------- */

static int parse(adr_meeting *m, const char *text)
{
	memset(m, 0, sizeof(*m));
	return adr_meeting_parse(m, "m.md", text, strlen(text));
}

Test(minutes, parses_decisions_and_attendees)
{
	adr_meeting m;
	cr_assert_eq(parse(&m, "# Title\nAttendees: Ana,  Bo ,Cy\n\n## Decision: One\nDecision: a\nmore a\n\n"
			      "Rationale: r\nOptions: x, y\n## Decision: Two\r\nDecision: b\r\n"), 0);
	cr_assert_eq(m.count, 2);
	cr_assert_eq(m.attendees.count, 3);
	cr_assert_str_eq(m.attendees.items[1], "Bo");
	cr_assert_str_eq(m.items[0].title, "One");
	cr_assert_str_eq(m.items[0].decision, "a\nmore a");
	cr_assert_str_eq(m.items[0].rationale, "r");
	cr_assert_str_eq(m.items[0].options, "x, y");
	cr_assert_eq(m.items[0].line, 4);
	cr_assert_str_eq(m.items[1].title, "Two");
	cr_assert_str_eq(m.items[1].decision, "b");
	cr_assert_str_eq(m.items[1].rationale, "");
	adr_meeting_dispose(&m);
	/* No final newline. */
	cr_assert_eq(parse(&m, "## Decision: A\nDecision: y"), 0);
	cr_assert_str_eq(m.items[0].decision, "y");
	adr_meeting_dispose(&m);
}

Test(minutes, errors_name_line_and_column)
{
	static const struct { const char *text, *where; } cases[] = {
		{ "## Decision: A\nRationale: x\n", "m.md:1:1:" },
		{ "## Decision: A\nx\nDecision: y\n", "m.md:2:1:" },
		{ "## Decision: A\nDecision: y\n## Other\n", "m.md:3:4:" },
		{ "intro\n## Decision: A\nDecision: y\n", "m.md:1:1:" },
		{ "## Decision: A\nDecision: y\nDecision: z\n", "m.md:3:1:" },
		{ "", "m.md:" },
		{ "## Decision: A\nDecision: \xc3\x28\n", "not valid UTF-8" },
		{ NULL, NULL }
	};
	for (int i = 0; cases[i].text; i++) {
		adr_meeting m;
		cr_assert_eq(parse(&m, cases[i].text), ADR_EINVALID, "case %d", i);
		cr_assert(strstr(adr_error_last(), cases[i].where), "case %d: %s", i, adr_error_last());
		adr_meeting_dispose(&m);
	}
}

Test(minutes, add_checks_title_and_decision)
{
	adr_meeting m;
	memset(&m, 0, sizeof(m));
	cr_assert_eq(adr_meeting_add(&m, "", "x", NULL, NULL), ADR_EINVALID);
	cr_assert_eq(adr_meeting_add(&m, "Title", "", NULL, NULL), ADR_EINVALID);
	cr_assert_eq(adr_meeting_add(&m, "Title", "d", NULL, NULL), 0);
	cr_assert_eq(m.count, 1);
	adr_meeting_dispose(&m);
}

/* --- operations on a repository ------------------------------------------------ */

static char dir[256];

static void sh(const char *fmt, const char *arg)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), fmt, arg, arg, arg);
	int st = system(cmd);
	cr_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0, "failed: %s", cmd);
}

static adr_repo *make_repo(void)
{
	adr_repo *repo = NULL;
	adr_op_result res = ADR_OP_RESULT_INIT;
	snprintf(dir, sizeof(dir), "/tmp/adr-test-proposal.XXXXXX");
	cr_assert(mkdtemp(dir));
	setenv("HOME", dir, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Ana Lima", 1);
	setenv("GIT_AUTHOR_EMAIL", "ana@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "Ana Lima", 1);
	setenv("GIT_COMMITTER_EMAIL", "ana@example.com", 1);
	sh("git init -q -b main '%s'", dir);
	cr_assert_eq(adr_repo_open(&repo, dir), 0, "%s", adr_error_last());
	cr_assert_eq(adr_op_init(&res, repo, NULL, NULL), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	return repo;
}

static void drop_repo(adr_repo *repo)
{
	adr_repo_free(repo);
	sh("rm -rf '%s'", dir);
}

Test(ops, revise_with_a_stale_base_is_a_conflict)
{
	adr_repo *repo = make_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *r = NULL;
	adr_proposal p;
	adr_buf text = ADR_BUF_INIT;
	const char *stale = "---\nstatus: proposed\n---\n# Old\n";

	cr_assert_eq(adr_record_from_template(&r, repo, NULL, "Use Postgres"), 0);
	cr_assert_eq(adr_op_propose(&res, repo, r), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_proposal_find(&p, repo, "use-p", true), 0, "%s", adr_error_last());
	cr_assert_str_eq(p.ref, "refs/heads/adr/use-postgres");
	cr_assert_eq(p.record->status, ADR_STATUS_PROPOSED);
	cr_assert_eq(p.record->number, -1);
	cr_assert_eq(adr_repo_read_file(&text, repo, p.tip, p.path), 0);
	adr_buf_puts(&text, "\nMore.\n");
	cr_assert_eq(adr_op_revise(&res, repo, "use-postgres", text.ptr, text.size, stale, strlen(stale)),
		     ADR_ECONFLICT);
	cr_assert(strstr(adr_error_last(), "while you were editing"), "%s", adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_op_comment(&res, repo, "use-postgres", "", ADR_VOTE_APPROVE, NULL), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	adr_proposal_dispose(&p);
	cr_assert_eq(adr_proposal_find(&p, repo, "adr/use-postgres", true), 0);
	cr_assert_eq(p.comments, 1);
	cr_assert_eq(p.approvals.count, 1);
	cr_assert_str_eq(p.approvals.items[0], "Ana Lima");
	adr_proposal_dispose(&p);
	cr_assert_eq(adr_proposal_find(&p, repo, "nothing", false), ADR_ENOTFOUND);
	adr_proposal_dispose(&p);
	adr_record_free(r);
	adr_buf_dispose(&text);
	drop_repo(repo);
}

Test(ops, decide_validates_its_input)
{
	adr_repo *repo = make_repo();
	adr_decide_result res;
	adr_strlist by = ADR_STRLIST_INIT;
	adr_decide_opts bad_status = { ADR_STATUS_DEPRECATED, NULL, NULL };
	adr_decide_opts bad_by = { ADR_STATUS_ACCEPTED, &by, NULL };

	memset(&res, 0, sizeof(res));
	cr_assert_eq(adr_op_decide(&res, repo, "x", &bad_status), ADR_EUSAGE);
	adr_strlist_add(&by, "Two\nlines");
	cr_assert_eq(adr_op_decide(&res, repo, "x", &bad_by), ADR_EUSAGE);
	adr_strlist_clear(&by);
	drop_repo(repo);
}
