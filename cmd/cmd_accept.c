/* adr accept REF: accept a proposal (merge and number it); cli_decide, shared with reject. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *const cmd_accept_usage[] = {
	"adr accept REF [--by NAME]... [--reason TEXT] [--revisit DATE|PERIOD]",
	NULL
};

/* Shared by accept and reject. */
int cli_decide(adr_repo *repo, const char *ref, adr_status status, const adr_strlist *by, const char *reason,
	       const char *revisit)
{
	adr_decide_opts o = { status, by, reason, revisit };
	adr_decide_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	res.op.number = -1;
	if ((rc = adr_op_decide(&res, repo, ref, &o)) < 0)
		return cli_fail(rc);
	if (res.already) {
		fprintf(stderr, "adr: %s was already decided as %04d (%s on %s); nothing was written\n", ref,
			res.decision.number, adr_status_name(res.decision.status), res.decision.date);
	} else {
		cli_commit_warning(&res.op.commit);
		printf("%s\n", res.op.path);
	}
	if (res.warning)
		cli_warning("%s", res.warning);
	adr_decide_result_dispose(&res);
	return CLI_OK;
}

int cmd_accept(int argc, const char **argv, cli_ctx *ctx)
{
	adr_strlist by = ADR_STRLIST_INIT;
	const char *reason = NULL, *revisit = NULL;
	const cli_option opts[] = {
		CLI_OPT_LIST_(0, "by", &by, "NAME", "a decision-maker (repeatable; default: the approvers and you)"),
		CLI_OPT_STRING_(0, "reason", &reason, "TEXT", "a note kept with the decision"),
		CLI_OPT_STRING_(0, "revisit", &revisit, "WHEN", "when to review it again: YYYY-MM-DD or 30d, 6w, 3m, 1y"),
		CLI_OPT_END_()
	};
	int rc;
	argc = cli_parse_options(argc, argv, opts, cmd_accept_usage);
	if (argc != 1) {
		adr_strlist_dispose(&by);
		return cli_usage_error(cmd_accept_usage, opts, "expected one proposal (a slug or a branch)");
	}
	rc = cli_decide(ctx->repo, argv[0], ADR_STATUS_ACCEPTED, &by, reason, revisit);
	adr_strlist_dispose(&by);
	return rc;
}
