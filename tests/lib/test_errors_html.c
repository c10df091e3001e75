/*
 * test_errors_html.c: adr_html_build when the files of the new site cannot
 * be written (the file size limit at 0 makes every write to a regular file
 * fail with EFBIG): the error names the file and nothing is left behind, so
 * the previous site stays as it was.
 */
#include <criterion/criterion.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "adr/html.h"
#include "adr/repo.h"
#include "testutil.h"

TestSuite(errors_html, .init = tu_setup, .fini = tu_teardown);

Test(errors_html, a_file_of_the_site_cannot_be_written)
{
	adr_html_opts o = ADR_HTML_OPTS_INIT;
	adr_html_result res = ADR_HTML_RESULT_INIT;
	char site[TU_PATH_BUF], expect[TU_PATH_BUF + 64];
	struct rlimit old, lim;
	adr_repo *repo;
	char *before;
	int rc;

	tu_git_init("main");
	tu_write_file("docs/decisions/0001-use-postgres.md",
		      "---\nstatus: accepted\ndate: 2026-11-01\n---\n# Use PostgreSQL\n\nBecause.\n");
	tu_commit_all("records");
	repo = tu_open_ok(tu_repo_dir);
	snprintf(site, sizeof(site), "%s/site", tu_root);
	o.output_dir = site;
	/* A previous site, which the failed build must leave alone. */
	cr_assert_eq(adr_html_build(&res, repo, &o), 0, "%s", adr_error_last());
	adr_html_result_dispose(&res);
	before = tu_capture_ok("cd '%s' && find . -type f | sort | xargs sha1sum", site);
	/* An edit, so that the page must be written anew (a page whose bytes
	 * are unchanged is linked from the previous site, not written). */
	tu_write_file("docs/decisions/0001-use-postgres.md",
		      "---\nstatus: accepted\ndate: 2026-11-01\n---\n# Use PostgreSQL\n\nBecause, again.\n");
	tu_commit_all("edit");

	cr_assert_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
	lim = old;
	lim.rlim_cur = 0;
	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
	rc = adr_html_build(&res, repo, &o);
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
	signal(SIGXFSZ, SIG_DFL);

	cr_assert_eq(rc, ADR_EOS);
	snprintf(expect, sizeof(expect), "cannot write '%s/0001-use-postgres.html': File too large", site);
	cr_assert_str_eq(adr_error_last(), expect);
	tu_assert_out(before, "cd '%s' && find . -type f | sort | xargs sha1sum", site);
	tu_assert_out("", "ls -A '%s' | grep '^\\.adr-html-' || true", tu_root);
	adr_html_result_dispose(&res);
	free(before);
	adr_repo_free(repo);
}
