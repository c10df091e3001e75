/* adr comment REF: comment on a proposal, or vote for or against it. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *const cmd_comment_usage[] = {
	"adr comment REF [-m TEXT] [--approve | --object] [--section HEADING]",
	NULL
};

static int check_text(const char *path, const char *text, size_t len, void *payload)
{
	/* The library checks the text (UTF-8, no NUL) when it is committed. */
	(void)path, (void)text, (void)len, (void)payload;
	return 0;
}

int cmd_comment(int argc, const char **argv, cli_ctx *ctx)
{
	const char *message = NULL, *section = NULL;
	int approve = 0, object = 0, rc = CLI_FAIL;
	const cli_option opts[] = {
		CLI_OPT_STRING_('m', "message", &message, "TEXT", "the comment (default: write it in $VISUAL/$EDITOR)"),
		CLI_OPT_BOOL_(0, "approve", &approve, "vote for the proposal"),
		CLI_OPT_BOOL_(0, "object", &object, "vote against the proposal"),
		CLI_OPT_STRING_(0, "section", &section, "HEADING", "the section of the record the comment is about"),
		CLI_OPT_END_()
	};
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_buf text = ADR_BUF_INIT;
	adr_decision late;
	adr_vote vote;

	argc = cli_parse_options(argc, argv, opts, cmd_comment_usage);
	if (argc != 1)
		return cli_usage_error(cmd_comment_usage, opts, "expected one proposal (a slug or a branch)");
	if (approve && object)
		return cli_usage_error(cmd_comment_usage, opts, "--approve and --object exclude each other");
	vote = approve ? ADR_VOTE_APPROVE : object ? ADR_VOTE_OBJECT : ADR_VOTE_NONE;
	if (message) {
		adr_buf_puts(&text, message);
	} else if (!vote) {
		if (!cli_editor()) {
			rc = cli_usage_error(cmd_comment_usage, opts, "no comment: give -m TEXT, or set VISUAL or EDITOR");
			goto cleanup;
		}
		if ((rc = cli_edit_loop(&text, ctx->repo, "comment", check_text, NULL)) != 0)
			goto cleanup;
	}
	if ((rc = adr_op_comment(&res, ctx->repo, argv[0], text.ptr, vote, section, &late)) < 0) {
		rc = cli_fail(rc);
		if (!message && text.size)
			cli_keep_text(ctx->repo, "comment", &text);
		goto cleanup;
	}
	if (late.number > 0)
		fprintf(stderr, "adr: %s was already decided as %04d (%s on %s); your comment is kept on the decision "
				"branch as a late comment: it does not reopen the proposal\n",
			argv[0], late.number, adr_status_name(late.status), late.date);
	cli_commit_warning(&res.commit);
	printf("%.12s\n", res.commit.commit);
	rc = CLI_OK;
cleanup:
	adr_op_result_dispose(&res);
	adr_buf_dispose(&text);
	return rc;
}
