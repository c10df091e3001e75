/* adr: global options, command lookup, setup, exit code. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "templates_dir.h"

const char *const cli_main_usage[] = {
	"adr [-C DIR] [--quiet] COMMAND [ARGS]",
	"adr --version",
	"adr help [COMMAND]",
	NULL
};

/* What they do is in main() below; this table is for --help and the man page. */
const cli_option cli_main_options[] = {
	CLI_OPT_STRING_('C', NULL, NULL, "DIR", "run as if adr was started in DIR"),
	CLI_OPT_BOOL_('q', "quiet", NULL, "show no progress of long work on the terminal"),
	CLI_OPT_BOOL_(0, "version", NULL, "the version, its commit and the libraries it runs with"),
	CLI_OPT_BOOL_('h', "help", NULL, "show this help"),
	CLI_OPT_END_()
};

static void print_main_help(FILE *out)
{
	cli_usage(out, cli_main_usage, cli_main_options);
	fprintf(out, "\nDecision records that live in Git.\n\ncommands:\n");
	for (const cli_command *c = cli_commands; c->name; c++)
		fprintf(out, "  %-12s %s\n", c->name, c->summary);
	fprintf(out, "\n'adr help COMMAND' or 'adr COMMAND --help' tells more about a command.\n");
}

int cmd_help(int argc, const char **argv, cli_ctx *ctx)
{
	const cli_command *c;
	(void)ctx;
	argc = cli_parse_options(argc, argv, NULL, cmd_help_usage);
	if (argc == 0) {
		print_main_help(stdout);
		return CLI_OK;
	}
	if (argc > 1)
		return cli_usage_error(cmd_help_usage, NULL, "too many arguments");
	if (!(c = cli_lookup(argv[0])))
		return cli_usage_error(cmd_help_usage, NULL, "'%s' is not an adr command", argv[0]);
	/* Every command prints its own help, options included. */
	{
		const char *args[] = { c->name, "--help", NULL };
		return c->fn(2, args, ctx);
	}
}

const char *const cmd_help_usage[] = {
	"adr help [COMMAND]",
	NULL
};

int main(int argc, const char **argv)
{
	const cli_command *cmd;
	cli_ctx ctx = { NULL };
	int i = 1, rc;

	cli_templates_init();
	/* Nothing from a record or a commit reaches the terminal raw (output.h). */
	if (cli_out_install() < 0) {
		fprintf(stderr, "adr: cannot set up the output: %s\n", strerror(errno));
		return CLI_FAIL;
	}
	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "-C") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "adr: -C needs a directory\n");
				return CLI_USAGE;
			}
			if (chdir(argv[i + 1]) < 0) {
				/* A mistake in the options is named before any repository is looked for. */
				if (errno == ENOENT)
					fprintf(stderr, "adr: -C: the directory '%s' does not exist\n", cli_oneline(argv[i + 1]));
				else
					fprintf(stderr, "adr: -C: cannot change to '%s': %s\n", cli_oneline(argv[i + 1]),
						strerror(errno));
				return CLI_USAGE;
			}
			i += 2;
		} else if (strcmp(argv[i], "--version") == 0) {
			adr_lib_versions v;
			adr_lib_versions_get(&v);
			printf("adr version %s\ncommit %s\nlibgit2 %s\ncmark %s\nlibyaml %s\nsqlite %s\n", ADR_VERSION,
			       cli_build_commit, v.libgit2, v.cmark, v.libyaml, v.sqlite);
			return CLI_OK;
		} else if (strcmp(argv[i], "--quiet") == 0 || strcmp(argv[i], "-q") == 0) {
			cli_quiet = 1;
			i++;
		} else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			print_main_help(stdout);
			return CLI_OK;
		} else {
			fprintf(stderr, "adr: unknown option '%s'\n", argv[i]);
			print_main_help(stderr);
			return CLI_USAGE;
		}
	}
	if (i >= argc) {
		print_main_help(stderr);
		return CLI_USAGE;
	}
	/* Hidden: what the build (the man page) and the shells' completion run. */
	if (strcmp(argv[i], "__man") == 0)
		return cli_man(argc - i, argv + i);
	if (strcmp(argv[i], "__complete") == 0)
		return cli_complete(argc - i, argv + i);
	if (!(cmd = cli_lookup(argv[i]))) {
		fprintf(stderr, "adr: '%s' is not an adr command (see adr help)\n", cli_oneline(argv[i]));
		return CLI_USAGE;
	}
	/* The repository is opened once the command's options are parsed
	 * (cli_parse_options), so that --help works outside a repository and a
	 * mistyped option is named before "not a git repository". */
	if (cmd->flags & CLI_NEED_REPO)
		cli_open_repo_after_options(&ctx);
	rc = cmd->fn(argc - i, argv + i, &ctx);
	/* An editor text is removed once committed, else kept and named. */
	cli_edit_end(rc);
	adr_repo_free(ctx.repo);
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "adr: cannot write the output: %s\n", strerror(errno));
		return CLI_FAIL;
	}
	return rc;
}
