/* adr renumber: give duplicate numbers new ones, updating every link. */
#include <stdio.h>

#include "cli.h"
#include "adr/renumber.h"

const char *const cmd_renumber_usage[] = {
	"adr renumber [--dry-run]",
	NULL
};

int cmd_renumber(int argc, const char **argv, cli_ctx *ctx)
{
	int dry_run = 0, rc;
	adr_renumber_result res = ADR_RENUMBER_RESULT_INIT;
	const cli_option options[] = {
		CLI_OPT_BOOL_('n', "dry-run", &dry_run, "show what would be renamed; write nothing"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, options, cmd_renumber_usage);
	if (argc > 0)
		return cli_usage_error(cmd_renumber_usage, options, "unexpected argument '%s'", argv[0]);
	if ((rc = adr_renumber_run(&res, ctx->repo, dry_run > 0)) < 0) {
		adr_renumber_result_dispose(&res);
		return cli_fail(rc);
	}
	for (size_t i = 0; i < res.count; i++)
		printf("%s -> %s\n", res.items[i].old_path, res.items[i].new_path);
	if (!res.count)
		fprintf(stderr, "adr: no duplicate numbers\n");
	else if (dry_run > 0)
		fprintf(stderr, "adr: dry run: %zu records would be renumbered, %zu other records updated; nothing "
				"written\n", res.count, res.records_rewritten);
	else
		fprintf(stderr, "adr: renumbered %zu records, updated links in %zu others\n", res.count,
			res.records_rewritten);
	cli_commit_warning(&res.commit);
	adr_renumber_result_dispose(&res);
	return CLI_OK;
}
