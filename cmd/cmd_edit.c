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
	adr_recordset set = ADR_RECORDSET_INIT;
	adr_buf base = ADR_BUF_INIT, text = ADR_BUF_INIT;
	adr_op_result res = ADR_OP_RESULT_INIT;
	char name[32];
	int rc, lrc, number, i;

	argc = cli_parse_options(argc, argv, NULL, cmd_edit_usage);
	if (argc != 1)
		return cli_usage_error(cmd_edit_usage, NULL, "expected one record number");
	if ((rc = cli_number(&number, argv[0], cmd_edit_usage)) != 0)
		return rc;
	if ((lrc = adr_repo_records(&set, ctx->repo, NULL, ADR_PARSE_LENIENT)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}
	if ((i = adr_recordset_find(&set, number)) < 0) {
		rc = cli_error("record %04d does not exist on %s", number, adr_repo_branch(ctx->repo));
		goto cleanup;
	}
	/* What the branch holds now: the edit applies only if it is still that. */
	if ((lrc = adr_repo_read_file(&base, ctx->repo, set.commit, set.items[i]->path)) < 0) {
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
	adr_recordset_clear(&set);
	adr_buf_dispose(&base);
	adr_buf_dispose(&text);
	return rc;
}
