/* adr init: start a decision log in this repository. */
#include <stdio.h>

#include "cli.h"

const char *const cmd_init_usage[] = {
	"adr init [--dir DIR] [--template NAME]",
	NULL
};

int cmd_init(int argc, const char **argv, cli_ctx *ctx)
{
	const char *dir = NULL, *tmpl = NULL;
	adr_op_result res = ADR_OP_RESULT_INIT;
	const cli_option opts[] = {
		CLI_OPT_STRING_(0, "dir", &dir, "DIR", "where records live (default: docs/decisions, or what the repository already uses)"),
		CLI_OPT_STRING_(0, "template", &tmpl, "NAME", "the default template: default, nygard, madr or one in .adr/templates/"),
		CLI_OPT_END_()
	};
	int rc;

	argc = cli_parse_options(argc, argv, opts, cmd_init_usage);
	if (argc > 0)
		return cli_usage_error(cmd_init_usage, opts, "unexpected argument '%s'", argv[0]);
	if ((rc = adr_op_init(&res, ctx->repo, dir, tmpl)) < 0)
		return cli_fail(rc);
	cli_commit_warning(&res.commit);
	printf("%s\n", res.path);
	adr_op_result_dispose(&res);
	return CLI_OK;
}
