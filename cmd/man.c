/*
 * cmd/man.c: `adr __man`, the man page adr(1) in roff, written from the
 * tables --help prints: the command table (commands.c), adr's own usage and
 * options (main.c), and each command's usage lines and options, which a
 * command hands to cli_help() when asked for --help. The build runs it to
 * make adr.1, so the page and --help cannot say different things.
 *
 * A command's options live in its function (cmd_<name>.c), so each command
 * is asked for its help in a child process, with cli_help_hook set to write
 * roff instead of the help text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"

/* Writes s escaped for roff: a backslash, a leading dot or quote, and (in
 * names of options and commands, `dashes`) '-' as the minus sign that
 * man pages use for options, so that they can be searched and copied. */
static void roff(FILE *out, const char *s, bool dashes)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-' && dashes)
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

static void usage_lines(FILE *out, const char *const *usage)
{
	fputs(".nf\n", out);
	for (int i = 0; usage[i]; i++) {
		roff(out, usage[i], true);
		fputc('\n', out);
	}
	fputs(".fi\n", out);
}

static void option_list(FILE *out, const cli_option *opts)
{
	for (const cli_option *o = opts; o && o->type != CLI_OPT_END; o++) {
		if (o->type == CLI_OPT_GROUP) {
			fputs(".PP\n", out);
			roff(out, o->help, false);
			fputc('\n', out);
			continue;
		}
		fputs(".TP\n", out);
		if (o->short_name)
			fprintf(out, "\\fB\\-%c\\fR%s", o->short_name, o->long_name ? ", " : "");
		if (o->long_name) {
			fputs("\\fB\\-\\-", out);
			roff(out, o->long_name, true);
			fputs("\\fR", out);
		}
		if (o->argh) {
			fputs(" \\fI", out);
			roff(out, o->argh, true);
			fputs("\\fR", out);
		}
		fputc('\n', out);
		roff(out, o->help, false);
		fputc('\n', out);
	}
}

/* cli_help_hook in the child: the command's usage and options as roff. */
static void command_help(const char *const *usage, const cli_option *opts)
{
	usage_lines(stdout, usage);
	option_list(stdout, opts);
}

/* Asks command c for its help in a child process (see above). */
static int command_section(const cli_command *c)
{
	pid_t pid;
	int status;

	printf(".SS \"adr ");
	roff(stdout, c->name, true);
	printf("\"\n");
	roff(stdout, c->summary, false);
	printf(".\n.PP\n");
	fflush(stdout);
	if ((pid = fork()) < 0)
		return cli_error("__man: cannot fork");
	if (pid == 0) {
		const char *args[] = { c->name, "--help", NULL };
		cli_ctx ctx = { NULL };
		cli_help_hook = command_help;
		exit(c->fn(2, args, &ctx));
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return cli_error("__man: the help of '%s' failed", c->name);
	return CLI_OK;
}

static const char *const intro =
	".SH DESCRIPTION\n"
	"adr keeps every decision as a Markdown file with YAML front matter in a Git\n"
	"repository, written through libgit2: every change is one commit. Proposals are\n"
	"branches and their discussion is commits; an index makes the log searchable;\n"
	"a static HTML site publishes it; git hooks ask for a decision when one is made.\n"
	".PP\n"
	"Commands that list also speak JSON (\\fB\\-\\-json\\fR).\n"
	"Long work (index, html, import, check \\-\\-all\\-refs, renumber, sync) shows its\n"
	"progress on one line of the terminal (stderr), only when stderr is a terminal;\n"
	"\\fB\\-\\-quiet\\fR turns it off.\n";

static const char *const outro =
	".SH ENVIRONMENT\n"
	".TP\n.B ADR_TEMPLATES_DIR\n"
	"a directory of record templates that wins over the installed ones\n"
	".TP\n.BR VISUAL \", \" EDITOR\n"
	"the editor for new records and edits\n"
	".SH FILES\n"
	".TP\n.I /usr/share/adr/templates\n"
	"the record and site templates (found beside the binary: \\fI../share/adr\\fR)\n"
	".TP\n.I /usr/share/adr/hooks\n"
	"the git hooks \\fBadr hooks install\\fR installs\n"
	".SH EXIT STATUS\n"
	"0 on success, 1 on failure, 2 on a usage error.\n"
	".SH SEE ALSO\n"
	".BR git (1)\n";

int cli_man(int argc, const char **argv)
{
	int rc = CLI_OK;

	if (argc > 1)
		return cli_error("__man takes no arguments");
	printf(".TH ADR 1 \"\" \"adr %s\" \"User Commands\"\n", ADR_VERSION);
	/* No hyphenation: an option broken across lines could not be searched for. */
	printf(".nh\n.ad l\n");
	printf(".SH NAME\nadr \\- decision records that live in Git\n.SH SYNOPSIS\n");
	usage_lines(stdout, cli_main_usage);
	fputs(intro, stdout);
	printf(".SH OPTIONS\n");
	option_list(stdout, cli_main_options);
	printf(".SH COMMANDS\n");
	for (const cli_command *c = cli_commands; c->name && rc == CLI_OK; c++)
		rc = command_section(c);
	fputs(outro, stdout);
	return rc;
}
