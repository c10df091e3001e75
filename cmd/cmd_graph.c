/* adr graph: the records and their links as Graphviz dot. */
#include <stdio.h>

#include "cli.h"
#include "adr/toc.h"

const char *const cmd_graph_usage[] = {
	"adr graph [-p PREFIX] [-e EXTENSION]",
	NULL
};

int cmd_graph(int argc, const char **argv, cli_ctx *ctx)
{
	const char *prefix = NULL, *ext = NULL;
	adr_buf out = ADR_BUF_INIT;
	adr_recordset set = ADR_RECORDSET_INIT;
	int rc;
	const cli_option opts[] = {
		CLI_OPT_STRING_('p', "prefix", &prefix, "PREFIX", "put PREFIX before every node's URL"),
		CLI_OPT_STRING_('e', "extension", &ext, "EXTENSION", "the extension of the linked documents (default .html)"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_graph_usage);
	if (argc > 0)
		return cli_usage_error(cmd_graph_usage, opts, "unexpected argument '%s'", argv[0]);
	if ((rc = adr_repo_records(&set, ctx->repo, NULL, ADR_PARSE_LENIENT)) < 0)
		return cli_fail(rc);
	for (size_t e = 0; e < set.errors.count; e++)
		cli_warning("%s", set.errors.items[e]);
	for (size_t e = 0; e < set.skipped.count; e++)
		cli_warning("%s", set.skipped.items[e]);
	if ((rc = adr_graph_write(&out, &set, prefix, ext)) < 0)
		rc = cli_fail(rc);
	else {
		fwrite(out.ptr, 1, out.size, stdout);
		rc = CLI_OK;
	}
	adr_recordset_dispose(&set);
	adr_buf_dispose(&out);
	return rc;
}
