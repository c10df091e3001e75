/* adr revisit NUMBER: record that a decision was reviewed, and when to look at it next. */
#include <stdio.h>

#include "cli.h"

const char *const cmd_revisit_usage[] = {
	"adr revisit NUMBER [--next DATE|PERIOD] [-m NOTE]",
	NULL
};

int cmd_revisit(int argc, const char **argv, cli_ctx *ctx)
{
	adr_revisit_opts o = ADR_REVISIT_OPTS_INIT;
	const cli_option opts[] = {
		CLI_OPT_STRING_(0, "next", &o.next, "WHEN",
				"the next review: YYYY-MM-DD or 30d, 6w, 3m, 1y (default: .adr.yaml revisit, else 3m)"),
		CLI_OPT_STRING_('m', "message", &o.note, "NOTE", "what the review found (kept in the commit)"),
		CLI_OPT_END_()
	};
	adr_op_result res = ADR_OP_RESULT_INIT;
	char next[11];
	int rc, number;

	argc = cli_parse_options(argc, argv, opts, cmd_revisit_usage);
	if (argc != 1)
		return cli_usage_error(cmd_revisit_usage, opts, "expected one record number");
	if ((rc = cli_number(&number, argv[0], cmd_revisit_usage)) != 0)
		return rc;
	if ((rc = adr_op_revisit(&res, next, ctx->repo, number, &o)) < 0)
		return cli_fail(rc);
	cli_commit_warning(&res.commit);
	printf("%s: reviewed, next revisit on %s\n", res.path, next);
	adr_op_result_dispose(&res);
	return CLI_OK;
}
