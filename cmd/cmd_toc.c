/* adr toc: a Markdown table of contents of the log (adr-tools format). */
#include <stdio.h>

#include "cli.h"
#include "adr/toc.h"

const char *const cmd_toc_usage[] = {
	"adr toc [-i INTRO] [-o OUTRO] [-p PREFIX]",
	NULL
};

int cmd_toc(int argc, const char **argv, cli_ctx *ctx)
{
	const char *intro = NULL, *outro = NULL, *prefix = NULL;
	adr_buf in = ADR_BUF_INIT, outr = ADR_BUF_INIT, out = ADR_BUF_INIT;
	adr_recordset set = ADR_RECORDSET_INIT;
	int rc;
	const cli_option opts[] = {
		CLI_OPT_STRING_('i', "intro", &intro, "FILE", "Markdown to put after the heading"),
		CLI_OPT_STRING_('o', "outro", &outro, "FILE", "Markdown to put at the end"),
		CLI_OPT_STRING_('p', "prefix", &prefix, "PREFIX", "put PREFIX before every link"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_toc_usage);
	if (argc > 0)
		return cli_usage_error(cmd_toc_usage, opts, "unexpected argument '%s'", argv[0]);
	if ((intro && cli_read_file(&in, intro, 64 * 1024) != 0) || (outro && cli_read_file(&outr, outro, 64 * 1024) != 0)) {
		rc = CLI_FAIL;
		goto cleanup;
	}
	if ((rc = adr_repo_records(&set, ctx->repo, NULL, ADR_PARSE_LENIENT)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	for (size_t e = 0; e < set.errors.count; e++)
		cli_warning("%s", set.errors.items[e]);
	for (size_t e = 0; e < set.skipped.count; e++)
		cli_warning("%s", set.skipped.items[e]);
	if ((rc = adr_toc_write(&out, &set, intro ? in.ptr : NULL, outro ? outr.ptr : NULL, prefix)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	fwrite(out.ptr, 1, out.size, stdout);
	rc = CLI_OK;
cleanup:
	adr_recordset_dispose(&set);
	adr_buf_dispose(&in);
	adr_buf_dispose(&outr);
	adr_buf_dispose(&out);
	return rc;
}
