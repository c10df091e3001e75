#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *const cmd_propose_usage[] = {
	"adr propose [--deadline 48h|3d|2w|DATE] [--urgency low|high] [--complexity low|high] [--body-file F|-] [--edit|--no-edit] TITLE...",
	NULL
};

static int check_proposal(const char *path, const char *text, size_t len, void *payload)
{
	adr_record **out = payload, *r = NULL;
	int rc;
	if ((rc = adr_record_parse(&r, path, text, len, 0)) < 0)
		return rc;
	if ((rc = adr_record_validate(r)) < 0) {
		adr_record_free(r);
		return rc;
	}
	adr_record_free(*out);
	*out = r;
	return 0;
}

int cmd_propose(int argc, const char **argv, cli_ctx *ctx)
{
	const char *deadline = NULL, *urgency = NULL, *complexity = NULL, *body_file = NULL;
	int edit = -1, rc = CLI_FAIL, lrc;
	const cli_option opts[] = {
		CLI_OPT_STRING_(0, "deadline", &deadline, "WHEN", "comment deadline: 48h, 3d, 2w or YYYY-MM-DD (default from .adr.yaml deadlines)"),
		CLI_OPT_STRING_(0, "urgency", &urgency, "low|high", "how urgent the decision is"),
		CLI_OPT_STRING_(0, "complexity", &complexity, "low|high", "how complex the decision is"),
		CLI_OPT_STRING_(0, "body-file", &body_file, "FILE", "the text below the title, from FILE or - for stdin"),
		CLI_OPT_BOOL_(0, "edit", &edit, "open the proposal in $VISUAL/$EDITOR first (--no-edit: don't)"),
		CLI_OPT_END_()
	};
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *r = NULL;
	adr_buf text = ADR_BUF_INIT;
	char *title = NULL;

	argc = cli_parse_options(argc, argv, opts, cmd_propose_usage);
	if (argc == 0)
		return cli_usage_error(cmd_propose_usage, opts, "a title is required");
	title = cli_join(argc, argv);
	if ((lrc = adr_record_from_template(&r, ctx->repo, NULL, title)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}
	if (urgency && adr_level_parse(&r->urgency, urgency) < 0) {
		rc = cli_usage_error(cmd_propose_usage, opts, "--urgency: '%s' is not low or high", urgency);
		goto cleanup;
	}
	if (complexity && adr_level_parse(&r->complexity, complexity) < 0) {
		rc = cli_usage_error(cmd_propose_usage, opts, "--complexity: '%s' is not low or high", complexity);
		goto cleanup;
	}
	if ((lrc = adr_deadline(r->review_by, ctx->repo, deadline, r->urgency, r->complexity)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}
	r->mode = ADR_MODE_ASYNC;
	r->status = ADR_STATUS_PROPOSED;
	r->date[0] = '\0';
	if (body_file && (rc = cli_record_body_from_file(r, body_file, title)) != 0)
		goto cleanup;
	if (r->urgency == ADR_LEVEL_HIGH && r->complexity == ADR_LEVEL_HIGH)
		fprintf(stderr, "adr: urgent + complex: better decided in a meeting (adr meeting)\n");
	if (edit < 0)
		edit = cli_interactive() && (getenv("VISUAL") || getenv("EDITOR"));
	if (edit) {
		if ((lrc = adr_record_serialize(&text, r)) < 0) {
			rc = cli_fail(lrc);
			goto cleanup;
		}
		if ((rc = cli_edit_loop(&text, ctx->repo, "propose", check_proposal, &r)) != 0)
			goto cleanup;
	}
	if ((lrc = adr_op_propose(&res, ctx->repo, r)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}
	cli_commit_warning(&res.commit);
	printf("adr/%s\n", r->slug);
	fprintf(stderr, "adr: proposed %s on adr/%s, comments until %s\n", res.path, r->slug, r->review_by);
	rc = CLI_OK;
cleanup:
	adr_op_result_dispose(&res);
	adr_record_free(r);
	adr_buf_dispose(&text);
	free(title);
	return rc;
}
