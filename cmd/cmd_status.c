/* adr status NUMBER STATUS: change the status of a decision. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *const cmd_status_usage[] = {
	"adr status [--reason TEXT] NUMBER STATUS",
	NULL
};

int cmd_status(int argc, const char **argv, cli_ctx *ctx)
{
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_status status;
	const char *reason = NULL;
	int rc, number;
	const cli_option opts[] = {
		CLI_OPT_STRING_(0, "reason", &reason, "TEXT", "why: kept in the record and in the commit message"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_status_usage);
	if (argc != 2)
		return cli_usage_error(cmd_status_usage, opts, "expected a record number and a status");
	if (reason && !reason[strspn(reason, " \t\r\n")])
		return cli_usage_error(cmd_status_usage, opts, "--reason needs text");
	if ((rc = cli_number(&number, argv[0], cmd_status_usage)) != 0)
		return rc;
	if (adr_status_parse(&status, argv[1]) < 0)
		return cli_usage_error(cmd_status_usage, opts,
				       "'%s' is not one of proposed, accepted, rejected, deprecated, superseded", argv[1]);
	if ((rc = adr_op_set_status_reason(&res, ctx->repo, number, status, reason)) < 0)
		return cli_fail(rc);
	cli_commit_warning(&res.commit);
	if (res.commit.unchanged)
		printf("%s: already %s\n", res.path, adr_status_name(status));
	else
		printf("%s: %s\n", res.path, adr_status_name(status));
	adr_op_result_dispose(&res);
	return CLI_OK;
}
