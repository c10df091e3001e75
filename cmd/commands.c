/* The command table: the one place a command is registered. */
#include <string.h>

#include "cli.h"

const cli_command cli_commands[] = {
	{ "init", cmd_init, CLI_NEED_REPO, "start a decision log in this repository", cmd_init_usage },
	{ "new", cmd_new, CLI_NEED_REPO, "record a decision", cmd_new_usage },
	{ "list", cmd_list, CLI_NEED_REPO, "list the decisions", cmd_list_usage },
	{ "show", cmd_show, CLI_NEED_REPO, "show one decision", cmd_show_usage },
	{ "edit", cmd_edit, CLI_NEED_REPO, "edit a decision in your editor", cmd_edit_usage },
	{ "status", cmd_status, CLI_NEED_REPO, "change the status of a decision", cmd_status_usage },
	{ "supersede", cmd_supersede, CLI_NEED_REPO, "mark a decision as superseded by another", cmd_supersede_usage },
	{ "link", cmd_link, CLI_NEED_REPO, "link two decisions", cmd_link_usage },
	{ "help", cmd_help, 0, "show help for adr or a command", cmd_help_usage },
	{ NULL, NULL, 0, NULL, NULL }
};

const cli_command *cli_lookup(const char *name)
{
	for (const cli_command *c = cli_commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}
