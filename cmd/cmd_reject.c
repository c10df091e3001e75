/* adr reject REF: reject a proposal (merge and number it; see cli_decide in cmd_accept.c). */
#include "cli.h"

const char *const cmd_reject_usage[] = {
	"adr reject REF [--reason TEXT]",
	NULL
};

int cmd_reject(int argc, const char **argv, cli_ctx *ctx)
{
	const char *reason = NULL;
	const cli_option opts[] = {
		CLI_OPT_STRING_(0, "reason", &reason, "TEXT", "why it was rejected (kept in the record)"),
		CLI_OPT_END_()
	};
	argc = cli_parse_options(argc, argv, opts, cmd_reject_usage);
	if (argc != 1)
		return cli_usage_error(cmd_reject_usage, opts, "expected one proposal (a slug or a branch)");
	return cli_decide(ctx->repo, argv[0], ADR_STATUS_REJECTED, NULL, reason, NULL);
}
