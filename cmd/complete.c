/*
 * cmd/complete.c: `adr __complete WORD...`, what the shells' completion
 * scripts (cmd/completion/) ask: the candidates for the last WORD (the one
 * being typed, maybe ""), given the words before it (after "adr"), one a
 * line, those that start with it. Commands and options come from the same
 * tables --help prints (a command hands its options to cli_help_hook);
 * record numbers, proposal slugs, branches and remotes come from the
 * repository (adr_repo_names), best effort: outside a repository there are
 * none, and nothing is ever printed on stderr.
 *
 * Nothing is printed for a word that takes a file or a directory: the
 * scripts then fall back to the shell's own file completion.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "adr/hooks.h"

/* The words after the command, and the one being completed. */
static const char **args;
static int nargs;
static const char *cur;
static const cli_command *command;

static void offer(const char *word)
{
	if (strncmp(word, cur, strlen(cur)) == 0)
		printf("%s\n", word);
}

/* For "REV1..RE": the candidates after the "..", each with what is before. */
static const char *range_prefix;

static void offer_names(unsigned what)
{
	adr_repo *repo = NULL;
	adr_strlist names = ADR_STRLIST_INIT;

	if (adr_repo_open(&repo, NULL) < 0)
		return;
	adr_repo_names(&names, repo, what);
	for (size_t i = 0; i < names.count; i++) {
		if (range_prefix) {
			char word[1024];
			snprintf(word, sizeof(word), "%s%s", range_prefix, names.items[i]);
			offer(word);
		} else {
			offer(names.items[i]);
		}
	}
	adr_strlist_dispose(&names);
	adr_repo_free(repo);
}

static void offer_enum(const cli_enum *e)
{
	for (int v = 1; *e->name(v); v++)
		offer(e->name(v));
}

/* What a positional argument is, by command and position: n record numbers,
 * p proposal slugs, r both, b revisions (branches), R remotes, s a status,
 * c a command, h a hook, H a hooks action; anything else: a file or free
 * text (nothing offered). */
static const struct {
	const char *command;
	const char *kinds;
} positional[] = {
	{ "show", "r" }, { "edit", "n" }, { "revisit", "n" }, { "status", "ns" }, { "supersede", "nn" },
	{ "link", "n-n" }, { "thread", "r" }, { "accept", "p" }, { "reject", "p" }, { "comment", "p" },
	{ "revise", "p" }, { "diff", "b" }, { "hook", "h" }, { "hooks", "H" }, { "help", "c" },
	{ "sync", "R" }, { NULL, NULL }
};

static void offer_kind(char kind)
{
	switch (kind) {
	case 'n': offer_names(ADR_NAMES_RECORDS); break;
	case 'p': offer_names(ADR_NAMES_PROPOSALS); break;
	case 'r': offer_names(ADR_NAMES_RECORDS | ADR_NAMES_PROPOSALS); break;
	case 'b': offer_names(ADR_NAMES_BRANCHES); break;
	case 'R': offer_names(ADR_NAMES_REMOTES); break;
	case 's': offer_enum(&cli_enum_status); break;
	case 'c':
		for (const cli_command *c = cli_commands; c->name; c++)
			offer(c->name);
		break;
	case 'h':
		for (size_t i = 0; adr_hook_names[i]; i++)
			offer(adr_hook_names[i]);
		break;
	case 'H':
		offer("install");
		offer("uninstall");
		offer("status");
		break;
	default: break;
	}
}

/* The option `word` names ("--name", "--name=v", "-x", "-xv"), or NULL. */
static const cli_option *find_option(const cli_option *opts, const char *word)
{
	for (const cli_option *o = opts; o && o->type != CLI_OPT_END; o++) {
		if (o->type == CLI_OPT_GROUP)
			continue;
		if (word[1] == '-' && o->long_name) {
			size_t n = strlen(o->long_name);
			if (strncmp(word + 2, o->long_name, n) == 0 && (word[2 + n] == '\0' || word[2 + n] == '='))
				return o;
		} else if (word[1] != '-' && o->short_name && word[1] == o->short_name) {
			return o;
		}
	}
	return NULL;
}

/* Whether `word` is an option whose value is the next word. */
static bool takes_next(const cli_option *opts, const char *word)
{
	const cli_option *o = find_option(opts, word);
	if (!o || o->type == CLI_OPT_BOOL)
		return false;
	return word[1] == '-' ? !strchr(word, '=') : word[2] == '\0';
}

static void offer_options(const cli_option *opts)
{
	for (const cli_option *o = opts; o && o->type != CLI_OPT_END; o++) {
		char word[96];
		if (o->type == CLI_OPT_GROUP)
			continue;
		if (o->long_name) {
			snprintf(word, sizeof(word), "--%s", o->long_name);
			offer(word);
		}
		if (o->short_name) {
			snprintf(word, sizeof(word), "-%c", o->short_name);
			offer(word);
		}
	}
}

/* The value of option o: an enum's names, or names by what its argument is
 * called ("REV", "REF", "NUMBER"). */
static void offer_value(const cli_option *o)
{
	const char *a = o->argh ? o->argh : "";
	if (o->type == CLI_OPT_ENUM)
		offer_enum(o->values);
	else if (strncmp(a, "REV", 3) == 0)
		offer_kind('b');
	else if (strcmp(a, "REF") == 0)
		offer_kind('r');
	else if (strcmp(a, "NUMBER") == 0)
		offer_kind('n');
}

/* cli_help_hook: the command's tables are here; complete from them. */
static void complete_command(const char *const *usage, const cli_option *opts)
{
	const char *kinds = "";
	int pos = 0;
	bool dashdash = false;

	(void)usage;
	for (int i = 0; i < nargs; i++) {
		if (dashdash || args[i][0] != '-' || !args[i][1]) {
			pos++;
		} else if (strcmp(args[i], "--") == 0) {
			dashdash = true;
		} else if (takes_next(opts, args[i])) {
			if (i == nargs - 1) {
				/* The word being typed is this option's value. */
				offer_value(find_option(opts, args[i]));
				return;
			}
			i++;
		}
	}
	if (!dashdash && cur[0] == '-') {
		offer_options(opts);
		offer("--help");
		return;
	}
	for (int k = 0; positional[k].command; k++)
		if (strcmp(positional[k].command, command->name) == 0)
			kinds = positional[k].kinds;
	if ((size_t)pos >= strlen(kinds))
		return;
	if (kinds[pos] == 'b' && strstr(cur, "..")) {
		static char before[512];
		snprintf(before, sizeof(before), "%.*s", (int)(strstr(cur, "..") + 2 - cur), cur);
		range_prefix = before;
	}
	offer_kind(kinds[pos]);
}

int cli_complete(int argc, const char **argv)
{
	const char **words = argv + 1;
	int n = argc - 1, i = 0;

	if (n > 0 && strcmp(words[0], "--") == 0) {
		words++;
		n--;
	}
	if (n == 0)
		return CLI_OK;
	cur = words[n - 1];
	/* adr's own options: -C DIR (the repository to complete from), -q. */
	while (i < n - 1 && words[i][0] == '-') {
		if (strcmp(words[i], "-C") == 0) {
			if (i + 1 >= n - 1)
				return CLI_OK;   /* the directory: the shell's to complete */
			if (chdir(words[i + 1]) < 0)
				return CLI_OK;
			i += 2;
		} else {
			i++;
		}
	}
	if (i == n - 1) {
		if (cur[0] == '-')
			offer_options(cli_main_options);
		else
			offer_kind('c');
		return CLI_OK;
	}
	if (!(command = cli_lookup(words[i])))
		return CLI_OK;
	args = words + i + 1;
	nargs = n - 1 - (i + 1);
	cli_help_hook = complete_command;
	{
		const char *help[] = { command->name, "--help", NULL };
		cli_ctx ctx = { NULL };
		/* The command's option parser calls complete_command and exits 0. */
		command->fn(2, help, &ctx);
	}
	return CLI_OK;
}
