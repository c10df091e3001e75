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

#include "adr/history.h"
#include "adr/meeting.h"
#include "adr/proposal.h"
#include "adr/repo.h"
#include "log/proposal_internal.h"

/* --- trailers --------------------------------------------------------------- */

static void trailers(adr_strlist *k, adr_strlist *v, const char *msg)
{
	adr_strlist_dispose(k);
	adr_strlist_dispose(v);
	cr_assert_eq(adr__proposal_trailers(k, v, msg), 0);
}

Test(trailers, reads_the_last_paragraph)
{
	adr_strlist k = ADR_STRLIST_INIT, v = ADR_STRLIST_INIT;
	trailers(&k, &v, "adr: comment\n\nSome text.\n\nAdr-Comment: x\nAdr-Vote: object\n");
	cr_assert_eq(k.count, 2);
	cr_assert_str_eq(k.items[1], "Adr-Vote");
	cr_assert_str_eq(v.items[1], "object");
	adr_strlist_dispose(&k);
	adr_strlist_dispose(&v);
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
	adr_strlist_dispose(&k);
	adr_strlist_dispose(&v);
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
	cr_assert_eq(adr_op_comment(&res, repo, "use-postgres", "", ADR_VOTE_APPROVE, NULL, NULL), 0, "%s", adr_error_last());
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
	adr_decide_opts bad_status = { ADR_STATUS_DEPRECATED, NULL, NULL, NULL };
	adr_decide_opts bad_by = { ADR_STATUS_ACCEPTED, &by, NULL, NULL };

	memset(&res, 0, sizeof(res));
	cr_assert_eq(adr_op_decide(&res, repo, "x", &bad_status), ADR_EUSAGE);
	adr_strlist_add(&by, "Two\nlines");
	cr_assert_eq(adr_op_decide(&res, repo, "x", &bad_by), ADR_EUSAGE);
	adr_strlist_dispose(&by);
	drop_repo(repo);
}

/* --- threads read from the decision merge ----------------------------------- */

static void assert_same_thread(const adr_thread *a, const adr_thread *b)
{
	cr_assert_str_eq(a->slug, b->slug);
	cr_assert_str_eq(a->ref, b->ref);
	cr_assert_eq(a->number, b->number);
	cr_assert_eq(a->status, b->status);
	cr_assert_eq(a->count, b->count);
	for (size_t i = 0; i < a->count; i++) {
		const adr_event *x = &a->events[i], *y = &b->events[i];
		cr_assert_eq(x->kind, y->kind, "event %zu", i);
		cr_assert_str_eq(x->commit, y->commit);
		cr_assert_str_eq(x->author, y->author);
		cr_assert_eq(x->time, y->time);
		cr_assert_str_eq(x->text ? x->text : "", y->text ? y->text : "");
		cr_assert_eq(x->vote, y->vote);
		cr_assert_str_eq(x->section ? x->section : "", y->section ? y->section : "");
		cr_assert_eq(x->changes.count, y->changes.count);
		for (size_t k = 0; k < x->changes.count; k++)
			cr_assert_str_eq(x->changes.items[k], y->changes.items[k]);
	}
}

/* Proposes `title`, comments twice (with a revision in between) and decides. */
static void propose_and_decide(adr_repo *repo, const char *title, const char *slug, adr_status status,
			       char merge[41], char path[256])
{
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_decide_result dr;
	adr_decide_opts opts = { status, NULL, status == ADR_STATUS_REJECTED ? "Too costly." : NULL, NULL };
	adr_record *r = NULL;
	adr_proposal p;
	adr_buf text = ADR_BUF_INIT;

	cr_assert_eq(adr_record_from_template(&r, repo, NULL, title), 0);
	cr_assert_eq(adr_op_propose(&res, repo, r), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_op_comment(&res, repo, slug, "What about backups?", ADR_VOTE_NONE, "Context", NULL), 0, "%s",
		     adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_proposal_find(&p, repo, slug, false), 0, "%s", adr_error_last());
	cr_assert_eq(adr_repo_read_file(&text, repo, p.tip, p.path), 0);
	adr_buf_puts(&text, "\nBackups are nightly.\n");
	cr_assert_eq(adr_op_revise(&res, repo, slug, text.ptr, text.size, NULL, 0), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_op_comment(&res, repo, slug, "Fine by me.", ADR_VOTE_APPROVE, NULL, NULL), 0, "%s",
		     adr_error_last());
	adr_op_result_dispose(&res);
	memset(&dr, 0, sizeof(dr));
	dr.op = (adr_op_result)ADR_OP_RESULT_INIT;
	cr_assert_eq(adr_op_decide(&dr, repo, slug, &opts), 0, "%s", adr_error_last());
	cr_assert_eq(strlen(dr.op.commit.commit), 40);
	memcpy(merge, dr.op.commit.commit, 41);
	snprintf(path, 256, "%s", dr.op.path);
	adr_decide_result_dispose(&dr);
	adr_proposal_dispose(&p);
	adr_record_free(r);
	adr_buf_dispose(&text);
}

Test(threads, read_from_the_merge_equals_read_by_number)
{
	adr_repo *repo = make_repo();
	char merge[2][41], path[2][256], num[16];
	const adr_status how[2] = { ADR_STATUS_ACCEPTED, ADR_STATUS_REJECTED };
	adr_history *h = NULL;

	propose_and_decide(repo, "Use Postgres", "use-postgres", how[0], merge[0], path[0]);
	propose_and_decide(repo, "Use Kafka", "use-kafka", how[1], merge[1], path[1]);
	/* The history walk finds each record's decision merge. */
	cr_assert_eq(adr_history_new(&h), 0);
	cr_assert_eq(adr_history_walk(h, repo, NULL, NULL, NULL, NULL), 0, "%s", adr_error_last());
	for (int i = 0; i < 2; i++) {
		adr_thread a, b;
		const adr_history_entry *e = adr_history_get(h, path[i]);
		cr_assert(e, "%s", path[i]);
		cr_assert_str_eq(e->decision_merge, merge[i]);
		cr_assert_eq(adr_thread_read_merge(&a, repo, e->decision_merge), 0, "%s", adr_error_last());
		snprintf(num, sizeof(num), "%d", a.number);
		cr_assert_eq(adr_thread_read(&b, repo, num), 0, "%s", adr_error_last());
		cr_assert_eq(a.status, how[i]);
		cr_assert_str_eq(a.ref, merge[i]);
		/* proposed, comment, revised, comment, decided */
		cr_assert_eq(a.count, 5, "%zu events", a.count);
		cr_assert_eq(a.events[0].kind, ADR_EVENT_PROPOSED);
		cr_assert_eq(a.events[1].kind, ADR_EVENT_COMMENT);
		cr_assert_str_eq(a.events[1].section, "Context");
		cr_assert_eq(a.events[2].kind, ADR_EVENT_REVISED);
		cr_assert_eq(a.events[3].vote, ADR_VOTE_APPROVE);
		cr_assert_eq(a.events[4].kind, ADR_EVENT_DECIDED);
		assert_same_thread(&a, &b);
		adr_thread_dispose(&a);
		adr_thread_dispose(&b);
	}
	adr_history_free(h);
	drop_repo(repo);
}

Test(threads, read_from_a_commit_that_is_no_decision_fails)
{
	adr_repo *repo = make_repo();
	adr_thread t;
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *r = NULL;
	char merge[41], path[256];

	propose_and_decide(repo, "Use Postgres", "use-postgres", ADR_STATUS_ACCEPTED, merge, path);
	/* An ordinary commit on the decision branch. */
	cr_assert_eq(adr_record_from_template(&r, repo, NULL, "Use Redis"), 0);
	cr_assert_eq(adr_op_new(&res, repo, r), 0, "%s", adr_error_last());
	cr_assert_eq(adr_thread_read_merge(&t, repo, res.commit.commit), ADR_EINVALID);
	cr_assert(strstr(adr_error_last(), "is not the merge that accepted or rejected a proposal"), "%s",
		  adr_error_last());
	cr_assert_eq(t.count, 0);
	cr_assert_null(t.events);
	/* A commit id the repository does not have, and no commit id at all. */
	cr_assert_eq(adr_thread_read_merge(&t, repo, "0123456789abcdef0123456789abcdef01234567"), ADR_ENOTFOUND);
	cr_assert(strstr(adr_error_last(), "no commit 0123456789abcdef"), "%s", adr_error_last());
	cr_assert_eq(adr_thread_read_merge(&t, repo, "HEAD"), ADR_EINVALID);
	cr_assert(strstr(adr_error_last(), "'HEAD' is not a full commit id"), "%s", adr_error_last());
	cr_assert_eq(adr_thread_read_merge(&t, repo, merge), 0, "%s", adr_error_last());
	cr_assert_eq(t.count, 5);
	adr_thread_dispose(&t);
	adr_op_result_dispose(&res);
	adr_record_free(r);
	drop_repo(repo);
}

/* --- review safety (issue 10) ------------------------------------------------------ */

/* F13: a title that reads as a number gets a slug that does not. */
Test(safety, numeric_titles_get_a_slug_that_is_no_number)
{
	adr_repo *repo = make_repo();
	const char *titles[] = { "2", "12 factor app", "ADR 5 rules", "2fa rollout" };
	const char *paths[] = { "docs/decisions/proposal-2.md", "docs/decisions/proposal-12-factor-app.md",
				"docs/decisions/proposal-adr-5-rules.md", "docs/decisions/2fa-rollout.md" };

	for (int i = 0; i < 4; i++) {
		adr_op_result res = ADR_OP_RESULT_INIT;
		adr_record *r = NULL;
		adr_recordset set = ADR_RECORDSET_INIT;
		char branch[128];
		cr_assert_eq(adr_record_from_template(&r, repo, NULL, titles[i]), 0);
		cr_assert_eq(adr_op_propose(&res, repo, r), 0, "%s", adr_error_last());
		cr_assert_str_eq(res.path, paths[i]);
		/* Read at the proposal branch, only the numbered record 1 is there. */
		snprintf(branch, sizeof(branch), "adr/%s", r->slug);
		cr_assert_eq(adr_repo_records(&set, repo, branch, ADR_PARSE_LENIENT), 0, "%s", adr_error_last());
		cr_assert_eq(set.count, 1, "%s: %zu records", branch, set.count);
		cr_assert_eq(set.items[0]->number, 1);
		adr_recordset_dispose(&set);
		adr_op_result_dispose(&res);
		adr_record_free(r);
	}
	drop_repo(repo);
}

/* F10: accept and reject refuse a branch that changes anything but its record;
 * the thread marks the commit that did. */
Test(safety, a_branch_that_changes_code_is_refused)
{
	adr_repo *repo = make_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_decide_result dr;
	adr_decide_opts acc = { ADR_STATUS_ACCEPTED, NULL, NULL, NULL }, rej = { ADR_STATUS_REJECTED, NULL, NULL, NULL };
	adr_record *r = NULL;
	adr_thread t;
	adr_recordset set = ADR_RECORDSET_INIT;

	cr_assert_eq(adr_record_from_template(&r, repo, NULL, "Harmless"), 0);
	cr_assert_eq(adr_op_propose(&res, repo, r), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	sh("cd '%s' && git checkout -q adr/harmless && echo x >tool.sh && git add tool.sh && "
	   "git commit -q -m typo && git checkout -q main", dir);
	memset(&dr, 0, sizeof(dr));
	cr_assert_eq(adr_op_decide(&dr, repo, "harmless", &acc), ADR_EINVALID);
	cr_assert(strstr(adr_error_last(), "adr/harmless changes files outside its record: 'tool.sh'"), "%s",
		  adr_error_last());
	cr_assert_eq(adr_op_decide(&dr, repo, "harmless", &rej), ADR_EINVALID);
	cr_assert(strstr(adr_error_last(), "nothing was written"), "%s", adr_error_last());
	adr_decide_result_dispose(&dr);
	cr_assert_eq(adr_repo_records(&set, repo, NULL, ADR_PARSE_LENIENT), 0);
	cr_assert_eq(set.count, 1, "nothing was decided");
	adr_recordset_dispose(&set);
	cr_assert_eq(adr_thread_read(&t, repo, "harmless"), 0, "%s", adr_error_last());
	cr_assert_eq(t.count, 2);
	cr_assert_eq(t.events[0].outside.count, 0);
	cr_assert_eq(t.events[1].kind, ADR_EVENT_REVISED);
	cr_assert_eq(t.events[1].changes.count, 0);
	cr_assert_eq(t.events[1].outside.count, 1);
	cr_assert_str_eq(t.events[1].outside.items[0], "tool.sh");
	adr_thread_dispose(&t);
	adr_record_free(r);
	drop_repo(repo);
}

/* F11: a comment on a decided proposal is a late comment on the decision
 * branch; the thread read by number shows it after the decision, the
 * thread read from the merge (for the site) stops at the decision. */
Test(safety, a_comment_on_a_decided_proposal_is_late)
{
	adr_repo *repo = make_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_decide_result dr;
	adr_decide_opts acc = { ADR_STATUS_ACCEPTED, NULL, NULL, NULL };
	adr_decision late;
	adr_proposal_list pl;
	adr_thread a, b;
	char merge[41], path[256];

	propose_and_decide(repo, "Use Postgres", "use-postgres", ADR_STATUS_REJECTED, merge, path);
	cr_assert_eq(adr_op_comment(&res, repo, "use-postgres", "Too late?", ADR_VOTE_OBJECT, NULL, &late), 0, "%s",
		     adr_error_last());
	cr_assert_eq(late.number, 2);
	cr_assert_eq(late.status, ADR_STATUS_REJECTED);
	cr_assert_str_eq(late.merge, merge);
	cr_assert_eq(strlen(late.date), 10);
	cr_assert_eq(res.number, 2);
	cr_assert_str_eq(res.path, path);
	adr_op_result_dispose(&res);
	/* Deciding again writes nothing and says how it was decided. */
	memset(&dr, 0, sizeof(dr));
	cr_assert_eq(adr_op_decide(&dr, repo, "use-postgres", &acc), 0, "%s", adr_error_last());
	cr_assert(dr.already);
	cr_assert_eq(dr.decision.number, 2);
	cr_assert_eq(dr.decision.status, ADR_STATUS_REJECTED);
	adr_decide_result_dispose(&dr);
	cr_assert_eq(adr_proposal_list_all(&pl, repo), 0);
	cr_assert_eq(pl.count, 0);
	adr_proposal_list_dispose(&pl);
	cr_assert_eq(adr_thread_read(&a, repo, "2"), 0, "%s", adr_error_last());
	cr_assert_eq(a.count, 6, "%zu events", a.count);
	cr_assert_eq(a.events[4].kind, ADR_EVENT_DECIDED);
	cr_assert_eq(a.events[5].kind, ADR_EVENT_COMMENT);
	cr_assert(a.events[5].late);
	cr_assert_eq(a.events[5].vote, ADR_VOTE_OBJECT);
	cr_assert_str_eq(a.events[5].text, "Too late?");
	cr_assert_eq(adr_thread_read_merge(&b, repo, merge), 0, "%s", adr_error_last());
	cr_assert_eq(b.count, 5);
	for (size_t i = 0; i < b.count; i++)
		cr_assert(!b.events[i].late);
	adr_thread_dispose(&a);
	adr_thread_dispose(&b);
	drop_repo(repo);
}
