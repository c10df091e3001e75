/* adr supersede OLD NEW: mark a decision as superseded by another. */
#include <stdio.h>

#include "cli.h"

const char *const cmd_supersede_usage[] = {
	"adr supersede OLD NEW",
	NULL
};

int cmd_supersede(int argc, const char **argv, cli_ctx *ctx)
{
	adr_op_result res = ADR_OP_RESULT_INIT;
	int rc, old_number, new_number;

	argc = cli_parse_options(argc, argv, NULL, cmd_supersede_usage);
	if (argc != 2)
		return cli_usage_error(cmd_supersede_usage, NULL, "expected two record numbers");
	if ((rc = cli_number(&old_number, argv[0], cmd_supersede_usage)) != 0 ||
	    (rc = cli_number(&new_number, argv[1], cmd_supersede_usage)) != 0)
		return rc;
	if ((rc = adr_op_supersede(&res, ctx->repo, old_number, new_number)) < 0)
		return cli_fail(rc);
	cli_commit_warning(&res.commit);
	if (res.commit.unchanged)
		printf("%04d already supersedes %04d\n", new_number, old_number);
	else
		printf("%04d supersedes %04d\n", new_number, old_number);
	adr_op_result_dispose(&res);
	return CLI_OK;
}
