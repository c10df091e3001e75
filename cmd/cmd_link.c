/* adr link A TYPE B: link two decisions. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

const char *const cmd_link_usage[] = {
	"adr link [--type-custom] A TYPE B [REVERSE-TYPE]",
	NULL
};

/* A type adr does not know is most likely a typo ("relatesto"): refused
 * with the known ones, unless the user says it is meant (--type-custom). */
static int unknown_type(const char *type, const cli_option *opts)
{
	adr_buf known = ADR_BUF_INIT;
	int rc;
	for (size_t i = 0; adr_link_known_type(i); i++)
		adr_buf_printf(&known, "%s%s", i ? ", " : "", adr_link_known_type(i));
	if (adr_buf_oom(&known))
		return cli_fail(ADR_ENOMEM);
	rc = cli_usage_error(cmd_link_usage, opts,
			     "unknown link type '%s': the known types are %s; give --type-custom to link with a type of "
			     "your own", cli_oneline(type), known.ptr);
	adr_buf_dispose(&known);
	return rc;
}

int cmd_link(int argc, const char **argv, cli_ctx *ctx)
{
	adr_op_result res = ADR_OP_RESULT_INIT;
	int custom = 0, rc, a, b;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "type-custom", &custom, "allow a type adr does not know (the reverse is TYPE-by)"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_link_usage);
	if (argc != 3 && argc != 4)
		return cli_usage_error(cmd_link_usage, opts, "expected A TYPE B [REVERSE-TYPE]");
	if ((rc = cli_number(&a, argv[0], cmd_link_usage)) != 0 || (rc = cli_number(&b, argv[2], cmd_link_usage)) != 0)
		return rc;
	/* A malformed type is the library's to refuse (it says what a type is). */
	for (int t = 1; custom <= 0 && t < argc; t += 2)
		if (adr_link_type_valid(argv[t], strlen(argv[t])) && !adr_link_type_known(argv[t]))
			return unknown_type(argv[t], opts);
	if ((rc = adr_op_link(&res, ctx->repo, a, argv[1], b, argc == 4 ? argv[3] : NULL)) < 0)
		return cli_fail(rc);
	cli_commit_warning(&res.commit);
	if (res.commit.unchanged)
		printf("%04d already %s %04d\n", a, argv[1], b);
	else
		printf("%04d %s %04d\n", a, argv[1], b);
	adr_op_result_dispose(&res);
	return CLI_OK;
}
