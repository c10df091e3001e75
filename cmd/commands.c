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
	{ "html", cmd_html, CLI_NEED_REPO, "build the static HTML decision log", cmd_html_usage },
	{ "hooks", cmd_hooks, CLI_NEED_REPO, "install, remove or list adr's git hooks", cmd_hooks_usage },
	{ "hook", cmd_hook, 0, "run by the git hooks adr installs", cmd_hook_usage },
	{ "why", cmd_why, CLI_NEED_REPO, "list the decisions that govern a path", cmd_why_usage },
	{ "propose", cmd_propose, CLI_NEED_REPO, "propose a decision on a review branch", cmd_propose_usage },
	{ "comment", cmd_comment, CLI_NEED_REPO, "comment on or vote for a proposal", cmd_comment_usage },
	{ "revise", cmd_revise, CLI_NEED_REPO, "revise a proposal", cmd_revise_usage },
	{ "thread", cmd_thread, CLI_NEED_REPO, "show the discussion of a proposal or decision", cmd_thread_usage },
	{ "accept", cmd_accept, CLI_NEED_REPO, "accept a proposal: merge and number it", cmd_accept_usage },
	{ "reject", cmd_reject, CLI_NEED_REPO, "reject a proposal: merge and number it", cmd_reject_usage },
	{ "meeting", cmd_meeting, CLI_NEED_REPO, "record the decisions of a meeting in one commit", cmd_meeting_usage },
	{ "queue", cmd_queue, CLI_NEED_REPO, "open proposals, pending cleanups and due revisits", cmd_queue_usage },
	{ "revisit", cmd_revisit, CLI_NEED_REPO, "record that a decision was reviewed, and when to review it next", cmd_revisit_usage },
	{ "index", cmd_index, CLI_NEED_REPO, "build or refresh the search index", cmd_index_usage },
	{ "search", cmd_search, CLI_NEED_REPO, "search the decisions", cmd_search_usage },
	{ "stats", cmd_stats, CLI_NEED_REPO, "decision metrics: cycle time, rework, deadlines", cmd_stats_usage },
	{ "diff", cmd_diff, CLI_NEED_REPO, "decisions added, changed, superseded between two revisions", cmd_diff_usage },
	{ "import", cmd_import, CLI_NEED_REPO, "convert an existing decision log (adr-tools, MADR, log4brains) in one commit", cmd_import_usage },
	{ "check", cmd_check, CLI_NEED_REPO, "check the log for broken links, duplicate numbers and inconsistencies", cmd_check_usage },
	{ "sync", cmd_sync, CLI_NEED_REPO, "share the decision log with a remote: fetch, integrate, push", cmd_sync_usage },
	{ "renumber", cmd_renumber, CLI_NEED_REPO, "give duplicate numbers new ones, updating every link", cmd_renumber_usage },
	{ "toc", cmd_toc, CLI_NEED_REPO, "print a Markdown table of contents (adr-tools format)", cmd_toc_usage },
	{ "graph", cmd_graph, CLI_NEED_REPO, "print the records and their links as Graphviz dot", cmd_graph_usage },
	{ "notify", cmd_notify, CLI_NEED_REPO, "send a digest of the log to a chat webhook", cmd_notify_usage },
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
