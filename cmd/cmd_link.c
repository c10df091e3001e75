/* adr link A TYPE B: link two decisions. */
#include <stdio.h>

#include "cli.h"

const char *const cmd_link_usage[] = {
	"adr link A TYPE B [REVERSE-TYPE]",
	NULL
};

int cmd_link(int argc, const char **argv, cli_ctx *ctx)
{
	adr_op_result res = ADR_OP_RESULT_INIT;
	int rc, a, b;

	argc = cli_parse_options(argc, argv, NULL, cmd_link_usage);
	if (argc != 3 && argc != 4)
		return cli_usage_error(cmd_link_usage, NULL, "expected A TYPE B [REVERSE-TYPE]");
	if ((rc = cli_number(&a, argv[0], cmd_link_usage)) != 0 || (rc = cli_number(&b, argv[2], cmd_link_usage)) != 0)
		return rc;
	if ((rc = adr_op_link(&res, ctx->repo, a, argv[1], b, argc == 4 ? argv[3] : NULL)) < 0)
		return cli_fail(rc);
	cli_commit_warning(&res.commit);
	if (res.commit.unchanged)
		printf("%04d already %s %04d\n", a, argv[1], b);
	else
		printf("%04d %s %04d\n", a, argv[1], b);
	adr_op_result_dispose(&res);
	return CLI_OK;
}
