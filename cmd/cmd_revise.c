/* adr revise REF: a new version of a proposal, from a file or the editor. */
#include <stdio.h>
#include <string.h>

#include "cli.h"

const char *const cmd_revise_usage[] = {
	"adr revise REF [--file F|-]",
	NULL
};

static int check_revision(const char *path, const char *text, size_t len, void *payload)
{
	adr_record *r = NULL;
	int rc;
	(void)payload;
	if ((rc = adr_record_parse(&r, path, text, len, 0)) == 0)
		rc = adr_record_validate(r);
	adr_record_free(r);
	return rc;
}

int cmd_revise(int argc, const char **argv, cli_ctx *ctx)
{
	const char *file = NULL;
	int rc = CLI_FAIL;
	const cli_option opts[] = {
		CLI_OPT_STRING_(0, "file", &file, "F", "the whole new record from F or - for stdin (default: your editor)"),
		CLI_OPT_END_()
	};
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_proposal p;
	adr_buf base = ADR_BUF_INIT, text = ADR_BUF_INIT;

	memset(&p, 0, sizeof(p));
	argc = cli_parse_options(argc, argv, opts, cmd_revise_usage);
	if (argc != 1)
		return cli_usage_error(cmd_revise_usage, opts, "expected one proposal (a slug or a branch)");
	if ((rc = adr_proposal_find(&p, ctx->repo, argv[0], false)) < 0 ||
	    (rc = adr_repo_read_file(&base, ctx->repo, p.tip, p.path)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	if (file) {
		if ((rc = cli_read_file(&text, file, ADR_RECORD_MAX)) != 0)
			goto cleanup;
	} else {
		if (!cli_editor()) {
			rc = cli_usage_error(cmd_revise_usage, opts, "no editor: give --file F, or set VISUAL or EDITOR");
			goto cleanup;
		}
		adr_buf_set(&text, base.ptr, base.size);
		if ((rc = cli_edit_loop(&text, ctx->repo, "revise", check_revision, NULL)) != 0)
			goto cleanup;
	}
	if ((rc = adr_op_revise(&res, ctx->repo, p.ref, text.ptr, text.size, base.ptr, base.size)) < 0) {
		rc = cli_fail(rc);
		if (!file)
			cli_keep_text(ctx->repo, "revise", &text);
		goto cleanup;
	}
	cli_commit_warning(&res.commit);
	if (res.commit.unchanged)
		fprintf(stderr, "adr: no change\n");
	else
		printf("%.12s\n", res.commit.commit);
	rc = CLI_OK;
cleanup:
	adr_proposal_dispose(&p);
	adr_op_result_dispose(&res);
	adr_buf_dispose(&base);
	adr_buf_dispose(&text);
	return rc;
}
