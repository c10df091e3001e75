/* adr accept REF: accept a proposal (merge and number it); cli_decide, shared with reject. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *const cmd_accept_usage[] = {
	"adr accept REF [--by NAME]... [--reason TEXT] [--revisit DATE|PERIOD]",
	"adr accept REF [--visibility public|partner|internal] [--tag TAG]...",
	NULL
};

/* Shared by accept and reject. */
int cli_decide(adr_repo *repo, const char *ref, adr_status status, const adr_strlist *by, const char *reason,
	       const char *revisit)
{
	return cli_decide_extra(repo, ref, status, by, reason, revisit, NULL);
}

int cli_decide_extra(adr_repo *repo, const char *ref, adr_status status, const adr_strlist *by, const char *reason,
		     const char *revisit, const adr_decide_extra *x)
{
	adr_decide_opts o = { status, by, reason, revisit };
	adr_decide_result res;
	int rc;

	memset(&res, 0, sizeof(res));
	res.op.number = -1;
	if ((rc = adr_op_decide_extra(&res, repo, ref, &o, x)) < 0)
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
	adr_strlist by = ADR_STRLIST_INIT, tags = ADR_STRLIST_INIT;
	const char *reason = NULL, *revisit = NULL;
	int visibility = 0;
	const cli_option opts[] = {
		CLI_OPT_LIST_(0, "by", &by, "NAME", "a decision-maker (repeatable; default: the approvers and you)"),
		CLI_OPT_STRING_(0, "reason", &reason, "TEXT", "a note kept with the decision"),
		CLI_OPT_STRING_(0, "revisit", &revisit, "WHEN", "when to review it again: YYYY-MM-DD or 30d, 6w, 3m, 1y"),
		CLI_OPT_ENUM_(0, "visibility", &visibility, &cli_enum_visibility, "V", "public, partner or internal"),
		CLI_OPT_LIST_(0, "tag", &tags, "TAG", "a tag added to the record (repeatable)"),
		CLI_OPT_END_()
	};
	adr_decide_extra x;
	int rc;
	argc = cli_parse_options(argc, argv, opts, cmd_accept_usage);
	if (argc != 1) {
		adr_strlist_dispose(&by);
		adr_strlist_dispose(&tags);
		return cli_usage_error(cmd_accept_usage, opts, "expected one proposal (a slug or a branch)");
	}
	memset(&x, 0, sizeof(x));
	x.visibility = (adr_visibility)visibility;
	x.tags = &tags;
	rc = cli_decide_extra(ctx->repo, argv[0], ADR_STATUS_ACCEPTED, &by, reason, revisit, &x);
	adr_strlist_dispose(&by);
	adr_strlist_dispose(&tags);
	return rc;
}
