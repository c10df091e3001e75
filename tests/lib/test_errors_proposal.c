/*
 * test_errors_proposal.c: error sites of asynchronous review (lib/log/
 * proposal.c, propose.c, thread.c, decision.c, decide.c, scope.c) that the
 * CLI does not reach (it checks first) but a library caller or a bent
 * repository does (issue 11, error-path coverage). Each test checks the message and
 * that nothing changed. tests/cli/t_errors_proposal.sh has the others.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/ops.h"
#include "adr/proposal.h"
#include "adr/repo.h"
#include "testutil.h"

TestSuite(errors_proposal, .init = tu_setup, .fini = tu_teardown, .timeout = 60);

static adr_repo *init_repo(void)
{
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_repo *repo;
	tu_git_init("main");
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_eq(adr_op_init(&res, repo, NULL, NULL), 0, "%s", adr_error_last());
	adr_op_result_dispose(&res);
	return repo;
}

#define assert_msg(expect)                                                                             \
	cr_assert_str_eq(adr_error_last(), (expect))

/* Every ref and its target, to show that nothing moved. */
static char *refs(void)
{
	return tu_capture_ok("git for-each-ref --format='%%(refname) %%(objectname)'");
}

/* A branch under adr/ without its record: adr revise finds it, then its
 * commit finds no record to revise (the CLI reads the record first). */
Test(errors_proposal, revise_a_branch_without_its_record)
{
	adr_repo *repo = init_repo();
	adr_op_result res = ADR_OP_RESULT_INIT;
	const char *text = "---\nstatus: proposed\nreview-by: 2027-01-01\n---\n# Not a proposal\n";
	char *before;

	tu_run("git branch adr/not-a-proposal main");
	before = refs();
	cr_assert_eq(adr_op_revise(&res, repo, "not-a-proposal", text, strlen(text), NULL, 0), ADR_ENOTFOUND);
	assert_msg("refs/heads/adr/not-a-proposal has no 'docs/decisions/not-a-proposal.md': it is not a proposal");
	tu_assert_out(before, "git for-each-ref --format='%%(refname) %%(objectname)'");
	tu_assert_out("", "git status --porcelain");
	free(before);
	adr_op_result_dispose(&res);
	adr_repo_free(repo);
}

/* adr_thread_read_merge() of a merge that says it accepted something but
 * names no proposal (made by hand with git commit-tree). */
Test(errors_proposal, decision_merge_without_its_proposal_trailer)
{
	adr_repo *repo = init_repo();
	adr_thread t;
	char *merge, msg[256];

	tu_run("git commit-tree main^{tree} -p main -m side >../side && git commit-tree -p main -p $(cat ../side) -m 'adr: accept 0002 X' "
	       "-m 'Adr-Action: accept\nAdr-Record: 0002' main^{tree} >../merge");
	merge = tu_read_at(tu_root, "merge");
	cr_assert_not_null(merge);
	merge[strcspn(merge, "\n")] = '\0';
	cr_assert_eq(adr_thread_read_merge(&t, repo, merge), ADR_EINVALID);
	snprintf(msg, sizeof(msg), "decision commit %s carries no Adr-Proposal trailer", merge);
	assert_msg(msg);
	cr_assert_eq(t.count, 0);
	cr_assert_null(t.events);
	free(merge);
	adr_repo_free(repo);
}

/* No commit id at all, and a commit whose object is corrupt (not missing). */
Test(errors_proposal, thread_of_a_null_or_corrupt_commit)
{
	adr_repo *repo = init_repo();
	adr_thread t;
	char *id, path[TU_PATH_BUF], msg[256];

	cr_assert_eq(adr_thread_read_merge(&t, repo, NULL), ADR_EINVALID);
	assert_msg("'' is not a full commit id");
	/* A loose object file that is not zlib data. */
	id = tu_capture_ok("git commit-tree main^{tree} -p main -m 'a commit no ref names'");
	snprintf(path, sizeof(path), "%s/.git/objects/%.2s/%s", tu_repo_dir, id, id + 2);
	cr_assert_eq(tu_sh("chmod u+w '%s' && printf 'not zlib' >'%s'", path, path), 0);
	adr_repo_free(repo);
	repo = tu_open_ok(tu_repo_dir);
	cr_assert_lt(adr_thread_read_merge(&t, repo, id), 0);
	snprintf(msg, sizeof(msg), "cannot read commit %s: ", id);
	cr_assert(strncmp(adr_error_last(), msg, strlen(msg)) == 0, "%s", adr_error_last());
	cr_assert_eq(t.count, 0);
	free(id);
	adr_repo_free(repo);
}
