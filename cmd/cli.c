/* What every command shares: options, errors, files, the editor (its sessions: edit_session.c). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "util/fs.h"

/* --- options ------------------------------------------------------------ */

void cli_usage(FILE *out, const char *const *usage, const cli_option *opts)
{
	fprintf(out, "usage: %s\n", usage[0]);
	for (int i = 1; usage[i]; i++)
		fprintf(out, "   or: %s\n", usage[i]);
	if (!opts || opts->type == CLI_OPT_END)
		return;
	fputc('\n', out);
	for (const cli_option *o = opts; o->type != CLI_OPT_END; o++) {
		char left[64];
		int n = 0;
		if (o->type == CLI_OPT_GROUP) {
			fprintf(out, "\n%s\n", o->help);
			continue;
		}
		if (o->short_name && o->long_name)
			n = snprintf(left, sizeof(left), "-%c, --%s", o->short_name, o->long_name);
		else if (o->short_name)
			n = snprintf(left, sizeof(left), "-%c", o->short_name);
		else
			n = snprintf(left, sizeof(left), "    --%s", o->long_name);
		if (o->argh && n > 0 && (size_t)n < sizeof(left))
			snprintf(left + n, sizeof(left) - (size_t)n, " %s", o->argh);
		fprintf(out, "    %-28s %s\n", left, o->help);
	}
}

void (*cli_help_hook)(const char *const *usage, const cli_option *opts);

void cli_help(const char *const *usage, const cli_option *opts)
{
	if (cli_help_hook)
		cli_help_hook(usage, opts);
	else
		cli_usage(stdout, usage, opts);
}

int cli_usage_error(const char *const *usage, const cli_option *opts, const char *fmt, ...)
{
	va_list ap;
	fputs("adr: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n\n", stderr);
	cli_usage(stderr, usage, opts);
	return CLI_USAGE;
}

/* --- typed options ------------------------------------------------------ */

#define ENUM_ADAPTER(kind, type)                                \
	static int parse_##kind(int *out, const char *word)     \
	{                                                       \
		type v;                                         \
		int rc = adr_##kind##_parse(&v, word);          \
		*out = (int)v;                                  \
		return rc;                                      \
	}                                                       \
	static const char *name_##kind(int v)                   \
	{                                                       \
		return adr_##kind##_name((type)v);              \
	}                                                       \
	const cli_enum cli_enum_##kind = { parse_##kind, name_##kind }

ENUM_ADAPTER(status, adr_status);
ENUM_ADAPTER(mode, adr_mode);
ENUM_ADAPTER(level, adr_level);
ENUM_ADAPTER(visibility, adr_visibility);

/* "--name", or "-c" for an option with no long name. */
static void opt_name(adr_buf *out, const cli_option *o)
{
	if (o->long_name)
		adr_buf_printf(out, "--%s", o->long_name);
	else
		adr_buf_printf(out, "-%c", o->short_name);
}

static int set_enum(const cli_option *o, const char *val, adr_buf *why)
{
	int v;
	if (o->values->parse(&v, val) == 0 && v > 0) {
		*(int *)o->value = v;
		return 0;
	}
	adr_buf_printf(why, "unknown value '%s' for ", val);
	opt_name(why, o);
	adr_buf_puts(why, ": expected one of ");
	for (v = 1; *o->values->name(v); v++)
		adr_buf_printf(why, "%s%s", v > 1 ? ", " : "", o->values->name(v));
	return -1;
}

int cli_opt_date(const cli_option *o, const char *arg, adr_buf *why)
{
	if (!adr_date_valid(arg)) {
		opt_name(why, o);
		adr_buf_printf(why, ": '%s' is not a date (YYYY-MM-DD)", arg);
		return -1;
	}
	*(const char **)o->value = arg;
	return 0;
}

/* A person's name: something besides blanks, on one line. */
static int check_name(const cli_option *o, const char *arg, adr_buf *why)
{
	const char *bad = NULL;
	if (!*arg)
		bad = "is empty";
	else if (strpbrk(arg, "\r\n"))
		bad = "has more than one line";
	else if (!arg[strspn(arg, " \t")])
		bad = "is blank";
	if (!bad)
		return 0;
	opt_name(why, o);
	adr_buf_printf(why, ": the name %s", bad);
	return -1;
}

int cli_opt_name(const cli_option *o, const char *arg, adr_buf *why)
{
	if (check_name(o, arg, why) < 0)
		return -1;
	*(const char **)o->value = arg;
	return 0;
}

int cli_opt_names(const cli_option *o, const char *arg, adr_buf *why)
{
	if (check_name(o, arg, why) < 0)
		return -1;
	return adr_strlist_add_unique((adr_strlist *)o->value, arg) < 0 ? -1 : 0;
}

/* Stores val; <0 with the reason in `why` for a bad value. */
static int set_value(const cli_option *o, const char *val, int negate, adr_buf *why)
{
	switch (o->type) {
	case CLI_OPT_BOOL:
		*(int *)o->value = negate ? 0 : 1;
		return 0;
	case CLI_OPT_STRING:
		*(const char **)o->value = val;
		return 0;
	case CLI_OPT_LIST:
		return adr_strlist_add((adr_strlist *)o->value, val) < 0 ? -1 : 0;
	case CLI_OPT_ENUM:
		return set_enum(o, val, why);
	case CLI_OPT_CALLBACK:
		return o->callback(o, val, why);
	default:
		return -1;
	}
}

/* The option "--NAME[=VALUE]" names (`negate`: as --no-NAME), or NULL. */
static const cli_option *find_long(const cli_option *opts, const char *name, size_t n, int *negate)
{
	for (const cli_option *p = opts; p->type != CLI_OPT_END; p++) {
		if (!p->long_name || p->type == CLI_OPT_GROUP)
			continue;
		if (strlen(p->long_name) == n && strncmp(p->long_name, name, n) == 0)
			return p;
		if (p->type == CLI_OPT_BOOL && n == strlen(p->long_name) + 3 && strncmp(name, "no-", 3) == 0 &&
		    strncmp(name + 3, p->long_name, n - 3) == 0) {
			*negate = 1;
			return p;
		}
	}
	return NULL;
}

static const cli_option *find_short(const cli_option *opts, char c)
{
	for (const cli_option *p = opts; p->type != CLI_OPT_END; p++)
		if (p->short_name == c && p->type != CLI_OPT_GROUP)
			return p;
	return NULL;
}

/*
 * Finds the option argv[*i] names and its value (given as "--NAME=V",
 * "-cV", or the next argument, which *i then moves past). A bad option
 * prints the error and the usage and exits 2.
 */
static const cli_option *take_option(const char **val, int *negate, int argc, const char **argv, int *i,
				     const cli_option *opts, const char *const *usage)
{
	const char *arg = argv[*i], *inline_val;
	const cli_option *o;
	char dashed[4] = { '-', arg[1], '\0', '\0' };
	const char *shown = dashed;   /* the option as the messages name it */
	adr_buf name = ADR_BUF_INIT;

	*val = NULL;
	if (arg[1] == '-') {
		const char *eq = strchr(arg + 2, '=');
		o = find_long(opts, arg + 2, eq ? (size_t)(eq - arg - 2) : strlen(arg + 2), negate);
		inline_val = eq ? eq + 1 : NULL;
		if (o) {
			adr_buf_printf(&name, "--%s", o->long_name);
			shown = name.ptr;
		}
	} else {
		o = find_short(opts, arg[1]);
		inline_val = arg[2] ? arg + 2 : NULL;
	}
	if (!o)
		exit(cli_usage_error(usage, opts, "unknown option '%s'", arg));
	if (o->type == CLI_OPT_BOOL) {
		if (inline_val)
			exit(cli_usage_error(usage, opts, "option '%s' takes no value", shown));
	} else if (inline_val) {
		*val = inline_val;
	} else if (*i + 1 < argc) {
		*val = argv[++*i];
	} else {
		exit(cli_usage_error(usage, opts, "option '%s' needs a value", shown));
	}
	adr_buf_dispose(&name);
	return o;
}

/* The context whose repository the next cli_parse_options() opens. */
static cli_ctx *repo_pending;

void cli_open_repo_after_options(cli_ctx *ctx)
{
	repo_pending = ctx;
}

int cli_parse_options(int argc, const char **argv, const cli_option *opts, const char *const *usage)
{
	int out = 0, i;
	static const cli_option none[] = { CLI_OPT_END_() };
	adr_buf why = ADR_BUF_INIT; /* why a value is bad (then the parser exits) */
	if (!opts)
		opts = none;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i], *val;
		const cli_option *o;
		int negate = 0;

		if (strcmp(arg, "--") == 0) {
			for (i++; i < argc; i++)
				argv[out++] = argv[i];
			break;
		}
		if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
			cli_help(usage, opts);
			exit(CLI_OK);
		}
		if (arg[0] != '-' || arg[1] == '\0') {
			argv[out++] = arg;
			continue;
		}
		o = take_option(&val, &negate, argc, argv, &i, opts, usage);
		if (set_value(o, val, negate, &why) < 0) {
			/* A value that cannot be stored (no memory) is a failure, a bad one a usage error. */
			int rc = o->type == CLI_OPT_LIST || adr_buf_oom(&why) ? cli_fail(ADR_ENOMEM)
									       : cli_usage_error(usage, opts, "%s", why.ptr);
			adr_buf_dispose(&why);
			exit(rc);
		}
	}
	argv[out] = NULL;
	if (repo_pending) {
		cli_ctx *ctx = repo_pending;
		int rc;
		repo_pending = NULL;
		if ((rc = adr_repo_open(&ctx->repo, NULL)) < 0)
			exit(cli_fail(rc));
	}
	return out;
}

/* --- errors -------------------------------------------------------------- */

/* What to do about an error, in the CLI's words (the library gives only the
 * kind: adr_error_hint). */
static const char *hint_text(adr_hint h)
{
	switch (h) {
	case ADR_HINT_CHECK: return " (run adr check)";
	case ADR_HINT_EDIT: return " (fix the record first, e.g. with adr edit)";
	case ADR_HINT_INIT: return " (run adr init first)";
	case ADR_HINT_INDEX: return " (run adr index)";
	case ADR_HINT_WORKTREE: return " (unset it, or run adr with -C in the worktree)";
	case ADR_HINT_IMPORT_DIR: return "; name one with --from";
	case ADR_HINT_IMPORT: return " (run adr import)";
	case ADR_HINT_SUPERSEDE: return " (adr supersede NUMBER NEWER)";
	case ADR_HINT_VOTE: return " (or vote with --approve or --object)";
	case ADR_HINT_HOOKS_STATUS: return ": see adr hooks status";
	case ADR_HINT_NONE: break;
	}
	return "";
}

const char *cli_error_text(void)
{
	static char text[4352];
	snprintf(text, sizeof(text), "%s%s", adr_error_last(), hint_text(adr_error_hint()));
	return text;
}

int cli_fail(int rc)
{
	/* The allocator sets "out of memory" itself, but a buffer that failed
	 * earlier (adr_buf is sticky) may be checked only after a later
	 * adr_error_clear(): the fault sweep found two such paths and they are
	 * mended; this keeps any other one from printing "no error". */
	if (rc == ADR_ENOMEM && !strcmp(adr_error_last(), "no error"))
		fprintf(stderr, "adr: out of memory\n");
	else
		fprintf(stderr, "adr: %s\n", cli_error_text());
	return rc == ADR_EUSAGE ? CLI_USAGE : CLI_FAIL;
}

int cli_error(const char *fmt, ...)
{
	va_list ap;
	fputs("adr: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return CLI_FAIL;
}

void cli_warning(const char *fmt, ...)
{
	va_list ap;
	fputs("adr: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void cli_commit_warning(const adr_commit_result *res)
{
	if (res->warning)
		cli_warning("%s", res->warning);
}

void cli_recordset_report(const adr_recordset *set)
{
	for (size_t e = 0; e < set->errors.count; e++)
		cli_error("%s", set->errors.items[e]);
	for (size_t e = 0; e < set->skipped.count; e++)
		cli_warning("%s", set->skipped.items[e]);
	if (set->folders.count) {
		adr_buf w = ADR_BUF_INIT;
		if (adr_folders_warning(&w, &set->folders) == 0)
			cli_warning("%s", w.ptr);
		adr_buf_dispose(&w);
	}
}

void cli_index_warnings(adr_index *ix, const adr_index_stats *st)
{
	for (size_t i = 0; i < adr_index_warnings(ix)->count; i++)
		cli_warning("%s", adr_index_warnings(ix)->items[i]);
	if (st && st->shallow_boundary[0])
		cli_warning("shallow clone: dates unknown before %.12s", st->shallow_boundary);
}

/* --- helpers ------------------------------------------------------------- */

int cli_number(int *out, const char *arg, const char *const *usage)
{
	if (adr_parse_number(out, arg) < 0)
		return cli_usage_error(usage, NULL, "%s", cli_error_text());
	return 0;
}

int cli_read_file(adr_buf *out, const char *path, size_t max)
{
	int rc = strcmp(path, "-") == 0 ? adr__fd_read(out, STDIN_FILENO, path, max) : adr__file_read(out, path, max, 0);
	return rc < 0 ? cli_fail(rc) : CLI_OK;
}

int cli_record_body_from_file(adr_record *r, const char *path, const char *title)
{
	adr_buf body = ADR_BUF_INIT;
	int rc;
	if ((rc = cli_read_file(&body, path, ADR_RECORD_MAX)) != 0) {
		adr_buf_dispose(&body);
		return rc;
	}
	free(r->body);
	r->body = adr_buf_detach(&body);
	if ((rc = adr_record_set_title(r, title)) < 0)
		return cli_fail(rc);
	return 0;
}

char *cli_join(int argc, const char **argv)
{
	adr_buf b = ADR_BUF_INIT;
	for (int i = 0; i < argc; i++) {
		if (i)
			adr_buf_putc(&b, ' ');
		adr_buf_puts(&b, argv[i]);
	}
	if (adr_buf_oom(&b)) {
		adr_buf_dispose(&b);
		return NULL;
	}
	return adr_buf_detach(&b);
}

bool cli_interactive(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

const char *cli_editor(void)
{
	const char *e = getenv("VISUAL");
	if (!e || !*e)
		e = getenv("EDITOR");
	if (e && *e)
		return e;
	return cli_interactive() ? "vi" : NULL;
}

int cli_run_editor(const char *path)
{
	const char *editor = cli_editor();
	adr_buf cmd = ADR_BUF_INIT;
	pid_t pid;
	int status;

	if (!editor)
		return cli_error("no editor: set VISUAL or EDITOR, or use --no-edit");
	/* Like git: the editor setting is the user's own and may carry arguments;
	 * the file name is passed as "$1", never pasted into the command. */
	adr_buf_printf(&cmd, "%s \"$@\"", editor);
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		adr_buf_dispose(&cmd);
		return cli_error("cannot start the editor: %s", strerror(errno));
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", "-c", cmd.ptr, editor, path, (char *)NULL);
		_exit(127);
	}
	adr_buf_dispose(&cmd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return cli_error("cannot wait for the editor: %s", strerror(errno));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return cli_error("the editor '%s' failed (exit status %d)", editor,
				 WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}

bool cli_confirm(const char *question, bool def)
{
	char line[64];
	FILE *tty = fopen("/dev/tty", "r+");
	bool answer = def;
	if (!tty || !isatty(STDIN_FILENO)) {
		if (tty)
			fclose(tty);
		return def;
	}
	fprintf(tty, "%s [%s] ", question, def ? "Y/n" : "y/N");
	fflush(tty);
	if (fgets(line, sizeof(line), tty)) {
		if (line[0] == 'y' || line[0] == 'Y')
			answer = true;
		else if (line[0] == 'n' || line[0] == 'N')
			answer = false;
	}
	fclose(tty);
	return answer;
}
