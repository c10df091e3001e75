/*
 * test_proposal_remote.c: log/proposal_remote.c, what adr sync asks of a
 * proposal branch (log/sync_internal.h): combining a local branch that
 * diverged from its remote-tracking one, and retiring the local branch of a
 * proposal decided meanwhile. Two clones of a bare file:// remote exchange
 * branches with git fetch / git push; the results are checked with git.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/proposal.h"
#include "adr/repo.h"
#include "log/sync_internal.h"
#include "testutil.h"

static char a_dir[TU_PATH_BUF], b_dir[TU_PATH_BUF];

static void as(const char *name, const char *email)
{
	setenv("GIT_AUTHOR_NAME", name, 1);
	setenv("GIT_AUTHOR_EMAIL", email, 1);
	setenv("GIT_COMMITTER_NAME", name, 1);
	setenv("GIT_COMMITTER_EMAIL", email, 1);
}

/* A (with adr init and proposal "Use Kafka" pushed) and B, a clone of the
 * bare remote that fetched it. */
static void setup_two(void)
{
	adr_repo *a;
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *r = NULL;

	tu_setup();
	snprintf(a_dir, sizeof(a_dir), "%s/a", tu_root);
	snprintf(b_dir, sizeof(b_dir), "%s/b", tu_root);
	as("Ana Lima", "ana@example.com");
	cr_assert_eq(tu_sh("cd '%s' && git init -q --bare -b main origin.git && git init -q -b main a", tu_root), 0);
	a = tu_open_ok(a_dir);
	cr_assert_eq(adr_op_init(&res, a, NULL, NULL), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	cr_assert_eq(adr_record_from_template(&r, a, NULL, "Use Kafka"), 0);
	cr_assert_eq(adr_op_propose(&res, a, r), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	adr_record_free(r);
	adr_repo_free(a);
	cr_assert_eq(tu_sh("cd '%s' && git remote add origin 'file://%s/origin.git' && git push -q origin main adr/use-kafka "
			   "&& git clone -q 'file://%s/origin.git' '%s'",
			   a_dir, tu_root, tu_root, b_dir), 0);
}

static void comment(const char *dir, const char *text, adr_vote vote)
{
	adr_repo *repo = tu_open_ok(dir);
	adr_op_result res = ADR_OP_RESULT_INIT;
	cr_assert_eq(adr_op_comment(&res, repo, "use-kafka", text, vote, NULL, NULL), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	adr_repo_free(repo);
}

static void revise(const char *dir, const char *from, const char *to)
{
	adr_repo *repo = tu_open_ok(dir);
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_proposal p;
	adr_buf text = ADR_BUF_INIT;
	char *now, *at;

	cr_assert_eq(adr_proposal_find(&p, repo, "use-kafka", false), 0, "%s", adr_error_last());
	cr_assert_eq(adr_repo_read_file(&text, repo, p.tip, p.path), 0, "%s", adr_error_last());
	cr_assert(at = strstr(text.ptr, from), "%s", text.ptr);
	now = tu_capture_ok("printf '%%.*s%%s%%s' %d '%s' '%s' '%s'", (int)(at - text.ptr), text.ptr, to, at + strlen(from));
	cr_assert_eq(adr_op_revise(&res, repo, "use-kafka", now, strlen(now), NULL, 0), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	adr_proposal_dispose(&p);
	adr_buf_dispose(&text);
	adr_repo_free(repo);
	free(now);
}

static int git_in(const char *dir, const char *cmd)
{
	return tu_sh("cd '%s' && %s", dir, cmd);
}

static char *out_in(const char *dir, const char *cmd)
{
	return tu_capture_ok("cd '%s' && %s", dir, cmd);
}

/* A comment from A pushed, one from B local: diverged in B. */
static void diverge(void)
{
	as("Bo Chen", "bo@example.com");
	comment(b_dir, "from B", ADR_VOTE_OBJECT);
	as("Ana Lima", "ana@example.com");
	comment(a_dir, "from A", ADR_VOTE_APPROVE);
	cr_assert_eq(git_in(a_dir, "git push -q origin adr/use-kafka"), 0);
	cr_assert_eq(git_in(b_dir, "git fetch -q origin"), 0);
	cr_assert_neq(git_in(b_dir, "git merge-base --is-ancestor adr/use-kafka origin/adr/use-kafka"), 0);
}

TestSuite(combine, .init = setup_two, .fini = tu_teardown);
TestSuite(retire, .init = setup_two, .fini = tu_teardown);

Test(combine, replays_local_comments_onto_the_remote_tip)
{
	adr_repo *b;
	adr_proposal p;
	char tip[41], *s;

	diverge();
	b = tu_open_ok(b_dir);
	cr_assert_eq(adr_proposal_find(&p, b, "use-kafka", true), 0, "%s", adr_error_last());
	cr_assert(p.diverged);
	cr_assert_str_eq(p.other, "refs/remotes/origin/adr/use-kafka");
	cr_assert_eq(p.comments, 2);
	adr_proposal_dispose(&p);

	as("Cy Diaz", "cy@example.com");
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), 0, "%s", adr_error_last());
	s = out_in(b_dir, "git rev-parse adr/use-kafka");
	cr_assert_str_eq(tip, s);
	free(s);
	/* A fast-forward of the remote branch: pushable without force. */
	cr_assert_eq(git_in(b_dir, "git merge-base --is-ancestor origin/adr/use-kafka adr/use-kafka"), 0);
	tu_assert_out("1", "cd '%s' && git rev-list --count origin/adr/use-kafka..adr/use-kafka", b_dir);
	/* The comment keeps its author, message and trailers; the committer is who combined. */
	tu_assert_out("Bo Chen <bo@example.com> / Cy Diaz", "cd '%s' && git log -1 --format='%%an <%%ae> / %%cn' adr/use-kafka",
		      b_dir);
	s = out_in(b_dir, "git log -1 --format=%B adr/use-kafka");
	cr_assert(strstr(s, "from B") && strstr(s, "Adr-Vote: object"), "%s", s);
	free(s);
	tu_assert_out("", "cd '%s' && git diff origin/adr/use-kafka adr/use-kafka", b_dir);
	/* Read again: one branch, both comments, each once. */
	cr_assert_eq(adr_proposal_find(&p, b, "use-kafka", true), 0, "%s", adr_error_last());
	cr_assert(!p.diverged && !p.remote);
	cr_assert_eq(p.comments, 2);
	cr_assert_eq(p.approvals.count, 1);
	cr_assert_eq(p.objections.count, 1);
	adr_proposal_dispose(&p);
	/* Nothing left to combine: the local branch stays. */
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), 0, "%s", adr_error_last());
	s = out_in(b_dir, "git rev-parse adr/use-kafka");
	cr_assert_str_eq(tip, s);
	free(s);
	cr_assert_eq(git_in(b_dir, "git push -q origin adr/use-kafka && git fsck --strict --no-dangling 2>&1"), 0);
	adr_repo_free(b);
}

Test(combine, a_local_revision_is_replayed_when_the_remote_only_commented)
{
	adr_repo *b;
	char tip[41], *s;

	as("Bo Chen", "bo@example.com");
	revise(b_dir, "# Use Kafka", "# Use Kafka for events");
	as("Ana Lima", "ana@example.com");
	comment(a_dir, "from A", ADR_VOTE_NONE);
	cr_assert_eq(git_in(a_dir, "git push -q origin adr/use-kafka"), 0);
	cr_assert_eq(git_in(b_dir, "git fetch -q origin"), 0);
	b = tu_open_ok(b_dir);
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), 0, "%s", adr_error_last());
	s = out_in(b_dir, "git show adr/use-kafka:docs/decisions/use-kafka.md");
	cr_assert(strstr(s, "# Use Kafka for events"), "%s", s);
	free(s);
	cr_assert_eq(git_in(b_dir, "git merge-base --is-ancestor origin/adr/use-kafka adr/use-kafka"), 0);
	adr_repo_free(b);
}

Test(combine, different_revisions_on_both_sides_are_refused)
{
	adr_repo *b;
	char tip[41] = "x", *before, *after;

	as("Bo Chen", "bo@example.com");
	revise(b_dir, "# Use Kafka", "# Use Kafka (B)");
	as("Ana Lima", "ana@example.com");
	revise(a_dir, "# Use Kafka", "# Use Kafka (A)");
	cr_assert_eq(git_in(a_dir, "git push -q origin adr/use-kafka"), 0);
	cr_assert_eq(git_in(b_dir, "git fetch -q origin"), 0);
	before = out_in(b_dir, "git for-each-ref");
	b = tu_open_ok(b_dir);
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), ADR_ECONFLICT);
	tu_assert_msg_has("adr/use-kafka and origin/adr/use-kafka both revised");
	tu_assert_msg_has("nothing was written");
	cr_assert_str_eq(tip, "");
	after = out_in(b_dir, "git for-each-ref");
	cr_assert_str_eq(before, after);
	free(before);
	free(after);
	adr_repo_free(b);
}

Test(combine, behind_fast_forwards_and_a_missing_local_branch_is_made)
{
	adr_repo *b;
	char tip[41], *s;

	as("Ana Lima", "ana@example.com");
	comment(a_dir, "from A", ADR_VOTE_NONE);
	cr_assert_eq(git_in(a_dir, "git push -q origin adr/use-kafka"), 0);
	cr_assert_eq(git_in(b_dir, "git fetch -q origin"), 0);
	b = tu_open_ok(b_dir);
	/* No local branch yet: it is made at the remote tip. */
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), 0, "%s", adr_error_last());
	s = out_in(b_dir, "git rev-parse origin/adr/use-kafka");
	cr_assert_str_eq(tip, s);
	free(s);
	/* Behind: fast-forwarded. */
	cr_assert_eq(git_in(b_dir, "git update-ref refs/heads/adr/use-kafka origin/adr/use-kafka^"), 0);
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), 0, "%s", adr_error_last());
	s = out_in(b_dir, "git rev-parse adr/use-kafka");
	cr_assert_str_eq(tip, s);
	free(s);
	/* No remote-tracking branch: nothing to combine with. */
	cr_assert_eq(adr__proposal_combine(b, "upstream", "use-kafka", tip), ADR_ENOTFOUND);
	tu_assert_msg_has("no remote-tracking branch upstream/adr/use-kafka");
	adr_repo_free(b);
}

Test(combine, a_checked_out_branch_is_refused)
{
	adr_repo *b;
	char tip[41], *before;

	diverge();
	cr_assert_eq(git_in(b_dir, "git checkout -q adr/use-kafka"), 0);
	before = out_in(b_dir, "git rev-parse adr/use-kafka");
	b = tu_open_ok(b_dir);
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), ADR_EINVALID);
	tu_assert_msg_has("adr/use-kafka is checked out");
	tu_assert_out(before, "cd '%s' && git rev-parse adr/use-kafka", b_dir);
	free(before);
	adr_repo_free(b);
}

Test(combine, a_merge_commit_on_the_local_side_is_refused)
{
	adr_repo *b;
	char tip[41];

	diverge();
	cr_assert_eq(git_in(b_dir, "git checkout -q -b side adr/use-kafka~1 && git commit -q --allow-empty -m side && "
				   "git checkout -q adr/use-kafka && git merge -q --no-ff -m merged side && "
				   "git checkout -q main"), 0);
	b = tu_open_ok(b_dir);
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), ADR_ECONFLICT);
	tu_assert_msg_has("has a merge commit");
	adr_repo_free(b);
}

/* A accepts use-kafka and pushes main; meanwhile B commented on its local branch. */
static void accepted_meanwhile(void)
{
	adr_repo *a;
	adr_decide_result dr;
	adr_decide_opts acc = { ADR_STATUS_ACCEPTED, NULL, NULL, NULL };

	cr_assert_eq(git_in(b_dir, "git branch -q adr/use-kafka origin/adr/use-kafka"), 0);
	a = tu_open_ok(a_dir);
	memset(&dr, 0, sizeof(dr));
	cr_assert_eq(adr_op_decide(&dr, a, "use-kafka", &acc), 0, "%s", adr_error_last());
	adr_decide_result_dispose(&dr);
	adr_repo_free(a);
	cr_assert_eq(git_in(a_dir, "git push -q origin main"), 0);
	as("Bo Chen", "bo@example.com");
	comment(b_dir, "I was away: +1", ADR_VOTE_APPROVE);
	as("Ana Lima", "ana@example.com");
	cr_assert_eq(git_in(b_dir, "git fetch -q origin && git merge -q --ff-only origin/main"), 0);
}

Test(retire, late_comments_are_carried_to_the_decision_and_the_branch_goes)
{
	adr_repo *b;
	adr_thread t;
	size_t moved = 9;
	char *s, *bc;

	accepted_meanwhile();
	bc = out_in(b_dir, "git rev-parse adr/use-kafka");
	b = tu_open_ok(b_dir);
	cr_assert_eq(adr__proposal_retire(b, "use-kafka", &moved), 0, "%s", adr_error_last());
	cr_assert_eq(moved, 1);
	tu_assert_out("", "cd '%s' && git branch --list 'adr/*'", b_dir);
	s = out_in(b_dir, "git log -1 --format=%B main");
	cr_assert(strstr(s, "I was away: +1"), "%s", s);
	cr_assert(strstr(s, "Adr-Late: true"), "%s", s);
	cr_assert(strstr(s, "Adr-Vote: approve"), "%s", s);
	cr_assert(strstr(s, "Adr-Author: Bo Chen <bo@example.com>"), "%s", s);
	cr_assert(strstr(s, bc), "names the branch commit: %s", s);
	free(s);
	tu_assert_out("", "cd '%s' && git diff main^ main", b_dir);
	/* The decision's thread shows it after the decision, by its author. */
	cr_assert_eq(adr_thread_read(&t, b, "2"), 0, "%s", adr_error_last());
	cr_assert_eq(t.events[t.count - 1].kind, ADR_EVENT_COMMENT);
	cr_assert(t.events[t.count - 1].late);
	cr_assert_str_eq(t.events[t.count - 1].author, "Bo Chen");
	cr_assert_str_eq(t.events[t.count - 1].email, "bo@example.com");
	cr_assert_eq(t.events[t.count - 2].kind, ADR_EVENT_DECIDED);
	adr_thread_dispose(&t);
	cr_assert_eq(git_in(b_dir, "git fsck --strict --no-dangling 2>&1"), 0);
	free(bc);
	adr_repo_free(b);
}

Test(retire, a_comment_pushed_and_carried_shows_once)
{
	adr_repo *b;
	adr_thread t;
	adr_proposal_list pl;
	size_t moved = 0, n = 0;

	accepted_meanwhile();
	cr_assert_eq(git_in(b_dir, "git push -q origin adr/use-kafka && git fetch -q origin"), 0);
	b = tu_open_ok(b_dir);
	/* Before: the queue says the branches went on after the decision. */
	cr_assert_eq(adr_proposal_list_all(&pl, b), 0, "%s", adr_error_last());
	cr_assert_eq(pl.count, 0);
	cr_assert_eq(pl.notes.count, 1, "%zu notes", pl.notes.count);
	adr_proposal_list_dispose(&pl);
	cr_assert_eq(adr__proposal_retire(b, "use-kafka", &moved), 0, "%s", adr_error_last());
	cr_assert_eq(moved, 1);
	/* After: the remote branch's late commit was carried over; nothing to say. */
	cr_assert_eq(adr_proposal_list_all(&pl, b), 0, "%s", adr_error_last());
	cr_assert_eq(pl.count, 0);
	cr_assert_eq(pl.notes.count, 0, "%s", pl.notes.count ? pl.notes.items[0] : "");
	adr_proposal_list_dispose(&pl);
	/* Retired twice (the branch made again from the remote): nothing is carried twice. */
	cr_assert_eq(git_in(b_dir, "git branch -q adr/use-kafka origin/adr/use-kafka"), 0);
	cr_assert_eq(adr__proposal_retire(b, "use-kafka", &moved), 0, "%s", adr_error_last());
	cr_assert_eq(moved, 0);
	/* origin/adr/use-kafka still has the comment: shown once, from the decision branch. */
	cr_assert_eq(adr_thread_read(&t, b, "use-kafka"), 0, "%s", adr_error_last());
	for (size_t i = 0; i < t.count; i++)
		n += t.events[i].kind == ADR_EVENT_COMMENT && strcmp(t.events[i].text, "I was away: +1") == 0;
	cr_assert_eq(n, 1, "%zu", n);
	adr_thread_dispose(&t);
	adr_repo_free(b);
}

Test(retire, an_open_proposal_is_refused_and_no_branch_is_nothing)
{
	adr_repo *a = tu_open_ok(a_dir);
	size_t moved = 9;

	cr_assert_eq(adr__proposal_retire(a, "use-kafka", &moved), ADR_EINVALID);
	tu_assert_msg_has("adr/use-kafka was not decided on main");
	cr_assert_eq(adr__proposal_retire(a, "no-such", &moved), 0, "%s", adr_error_last());
	cr_assert_eq(moved, 0);
	tu_assert_out("adr/use-kafka", "cd '%s' && git branch --list 'adr/*' --format='%%(refname:short)'", a_dir);
	adr_repo_free(a);
}

Test(retire, a_branch_whose_tip_was_merged_is_simply_deleted)
{
	adr_repo *b;
	adr_decide_result dr;
	adr_decide_opts acc = { ADR_STATUS_ACCEPTED, NULL, NULL, NULL };
	size_t moved = 9;
	char *before;

	cr_assert_eq(git_in(a_dir, "git branch -q keep adr/use-kafka"), 0);
	b = tu_open_ok(a_dir);
	memset(&dr, 0, sizeof(dr));
	cr_assert_eq(adr_op_decide(&dr, b, "use-kafka", &acc), 0, "%s", adr_error_last());
	adr_decide_result_dispose(&dr);
	cr_assert_eq(git_in(a_dir, "git branch -q adr/use-kafka keep"), 0);
	before = out_in(a_dir, "git rev-parse main");
	cr_assert_eq(adr__proposal_retire(b, "use-kafka", &moved), 0, "%s", adr_error_last());
	cr_assert_eq(moved, 0);
	tu_assert_out(before, "cd '%s' && git rev-parse main", a_dir);
	tu_assert_out("", "cd '%s' && git branch --list 'adr/*'", a_dir);
	free(before);
	adr_repo_free(b);
}

Test(retire, a_checked_out_branch_is_refused)
{
	adr_repo *b;
	size_t moved = 9;
	char *main_before;

	accepted_meanwhile();
	cr_assert_eq(git_in(b_dir, "git checkout -q adr/use-kafka"), 0);
	main_before = out_in(b_dir, "git rev-parse main");
	b = tu_open_ok(b_dir);
	cr_assert_eq(adr__proposal_retire(b, "use-kafka", &moved), ADR_EINVALID);
	tu_assert_msg_has("adr/use-kafka is checked out");
	tu_assert_out(main_before, "cd '%s' && git rev-parse main", b_dir);
	free(main_before);
	adr_repo_free(b);
}

Test(combine, branches_without_shared_history_are_refused)
{
	adr_repo *b;
	char tip[41];

	cr_assert_eq(git_in(b_dir, "git checkout -q --orphan lone && git commit -q --allow-empty -m lone && "
				   "git branch -q -f adr/use-kafka lone && git checkout -q main"), 0);
	b = tu_open_ok(b_dir);
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), ADR_ECONFLICT);
	tu_assert_msg_has("adr/use-kafka and origin/adr/use-kafka share no history");
	adr_repo_free(b);
}

Test(combine, a_file_added_differently_on_both_sides_is_a_conflict)
{
	adr_repo *b;
	char tip[41], *before;
	const char *add = "git checkout -q -B adr/use-kafka origin/adr/use-kafka 2>/dev/null || git checkout -q adr/use-kafka; "
			  "printf '%s' >docs/decisions/k.png && git add docs/decisions/k.png && git commit -q -m img && "
			  "git checkout -q main";
	char cmd[512];

	snprintf(cmd, sizeof(cmd), add, "from A");
	cr_assert_eq(git_in(a_dir, cmd), 0);
	cr_assert_eq(git_in(a_dir, "git push -q origin adr/use-kafka"), 0);
	snprintf(cmd, sizeof(cmd), add, "from B");
	cr_assert_eq(git_in(b_dir, cmd), 0);
	cr_assert_eq(git_in(b_dir, "git fetch -q origin"), 0);
	before = out_in(b_dir, "git rev-parse adr/use-kafka");
	b = tu_open_ok(b_dir);
	cr_assert_eq(adr__proposal_combine(b, "origin", "use-kafka", tip), ADR_ECONFLICT);
	tu_assert_msg_has("conflicts with its remote-tracking branch");
	tu_assert_out(before, "cd '%s' && git rev-parse adr/use-kafka", b_dir);
	free(before);
	adr_repo_free(b);
}

Test(retire, a_decision_in_place_without_its_tip_is_refused_by_the_thread)
{
	adr_repo *a = tu_open_ok(a_dir);
	adr_thread t;

	cr_assert_eq(git_in(a_dir, "git commit -q --allow-empty -m 'adr: accept 0009 x' -m 'Adr-Action: accept\n"
				   "Adr-Record: 0009\nAdr-Proposal: adr/x\nAdr-Merged: nope'"), 0);
	cr_assert_eq(adr_thread_read(&t, a, "9"), ADR_EINVALID);
	tu_assert_msg_has("names no proposal tip in Adr-Merged");
	adr_repo_free(a);
}

Test(combine, a_remote_branch_that_cannot_be_read_is_an_error)
{
	adr_repo *b;
	char tip[41];

	cr_assert_eq(git_in(b_dir, "git pack-refs --all --prune >/dev/null; mkdir -p .git/refs/remotes/origin/adr && "
				   "echo garbage >.git/refs/remotes/origin/adr/use-kafka"), 0);
	b = tu_open_ok(b_dir);
	cr_assert_lt(adr__proposal_combine(b, "origin", "use-kafka", tip), 0);
	tu_assert_msg_has("cannot read 'refs/remotes/origin/adr/use-kafka'");
	adr_repo_free(b);
}

Test(retire, a_local_comment_beside_what_was_accepted_is_late_not_open)
{
	adr_repo *b;
	adr_proposal_list pl;
	adr_decide_result dr;
	adr_decide_result again;
	adr_decide_opts acc = { ADR_STATUS_ACCEPTED, NULL, NULL, NULL };
	adr_thread t;
	adr_repo *a;
	size_t moved = 0;

	/* B comments locally; A comments too, accepts its own side and pushes. */
	as("Bo Chen", "bo@example.com");
	comment(b_dir, "beside the decision", ADR_VOTE_NONE);
	as("Ana Lima", "ana@example.com");
	comment(a_dir, "ship it", ADR_VOTE_APPROVE);
	a = tu_open_ok(a_dir);
	memset(&dr, 0, sizeof(dr));
	cr_assert_eq(adr_op_decide(&dr, a, "use-kafka", &acc), 0, "%s", adr_error_last());
	adr_decide_result_dispose(&dr);
	adr_repo_free(a);
	cr_assert_eq(git_in(a_dir, "git push -q origin main"), 0);
	cr_assert_eq(git_in(b_dir, "git fetch -q origin && git merge -q --ff-only origin/main"), 0);
	b = tu_open_ok(b_dir);
	/* Not open again: decided, with a note about the later commit. */
	cr_assert_eq(adr_proposal_list_all(&pl, b), 0, "%s", adr_error_last());
	cr_assert_eq(pl.count, 0, "listed as open: %s", pl.count ? pl.items[0].ref : "");
	cr_assert_eq(pl.notes.count, 1);
	adr_proposal_list_dispose(&pl);
	/* accept says it was decided, and writes nothing. */
	memset(&again, 0, sizeof(again));
	cr_assert_eq(adr_op_decide(&again, b, "use-kafka", &acc), 0, "%s", adr_error_last());
	cr_assert(again.already);
	cr_assert_eq(again.decision.number, 2);
	adr_decide_result_dispose(&again);
	/* The thread shows B's comment after the decision. */
	cr_assert_eq(adr_thread_read(&t, b, "use-kafka"), 0, "%s", adr_error_last());
	cr_assert_eq(t.number, 2);
	cr_assert(t.events[t.count - 1].late);
	cr_assert_str_eq(t.events[t.count - 1].text, "beside the decision");
	adr_thread_dispose(&t);
	cr_assert_eq(adr__proposal_retire(b, "use-kafka", &moved), 0, "%s", adr_error_last());
	cr_assert_eq(moved, 1);
	adr_repo_free(b);
}
