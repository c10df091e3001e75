#include <stdio.h>

#include "cli.h"

const char *const cmd_edit_usage[] = {
	"adr edit NUMBER",
	NULL
};

static int check_record(const char *path, const char *text, size_t len, void *payload)
{
	adr_record *r = NULL;
	adr_buf slug = ADR_BUF_INIT;
	int rc;
	(void)payload;
	if ((rc = adr_record_parse(&r, path, text, len, 0)) == 0 && (rc = adr_record_validate(r)) == 0)
		rc = adr_slugify(&slug, r->title);
	adr_buf_dispose(&slug);
	adr_record_free(r);
	return rc;
}

int cmd_edit(int argc, const char **argv, cli_ctx *ctx)
{
	adr_buf path = ADR_BUF_INIT, base = ADR_BUF_INIT, text = ADR_BUF_INIT;
	adr_op_result res = ADR_OP_RESULT_INIT;
	char name[32];
	int rc, lrc, number;

	argc = cli_parse_options(argc, argv, NULL, cmd_edit_usage);
	if (argc != 1)
		return cli_usage_error(cmd_edit_usage, NULL, "expected one record number");
	if ((rc = cli_number(&number, argv[0], cmd_edit_usage)) != 0)
		return rc;
	/* Found by file name, so a record that no longer parses can be fixed here. */
	if ((lrc = adr_repo_record_path(&path, ctx->repo, NULL, number)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}
	/* What the branch holds now: the edit applies only if it is still that. */
	if ((lrc = adr_repo_read_file(&base, ctx->repo, NULL, path.ptr)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}
	adr_buf_set(&text, base.ptr, base.size);
	snprintf(name, sizeof(name), "%04d", number);
	if ((rc = cli_edit_loop(&text, ctx->repo, name, check_record, NULL)) != 0)
		goto cleanup;
	if ((lrc = adr_op_edit(&res, ctx->repo, number, text.ptr, text.size, base.ptr, base.size)) < 0) {
		rc = cli_fail(lrc);
		cli_keep_text(ctx->repo, name, &text);
		goto cleanup;
	}
	cli_commit_warning(&res.commit);
	if (res.commit.unchanged)
		printf("%s: no changes\n", res.path);
	else
		printf("%s\n", res.path);
	rc = CLI_OK;
cleanup:
	adr_op_result_dispose(&res);
	adr_buf_dispose(&path);
	adr_buf_dispose(&base);
	adr_buf_dispose(&text);
	return rc;
}
