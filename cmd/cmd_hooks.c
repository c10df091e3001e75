/* adr hooks install|uninstall|status: the git hooks in this repository. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "adr/hooks.h"
#include "text/json.h"

const char *const cmd_hooks_usage[] = {
	"adr hooks install",
	"adr hooks uninstall",
	"adr hooks status [--json]",
	NULL
};

static const char *describe(const adr_hook_report_entry *e)
{
	switch (e->state) {
	case ADR_HOOK_OURS: return "adr's hook";
	case ADR_HOOK_CHAINED: return "adr's hook, running the previous hook first";
	case ADR_HOOK_FOREIGN: return "another hook (not adr's)";
	default: return "no hook";
	}
}

static void print_report(const adr_hooks_report *rep, bool actions)
{
	printf("hooks in %s:\n", rep->dir);
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++) {
		const adr_hook_report_entry *e = &rep->hooks[i];
		if (actions)
			printf("  %-20s %-10s %s\n", e->name, e->action ? e->action : "-", describe(e));
		else
			printf("  %-20s %-10s %s\n", e->name, adr_hook_state_name(e->state), describe(e));
	}
}

static int print_json(const adr_hooks_report *rep)
{
	cli_out out;
	cli_out_begin(&out, true);
	adr__json_begin_object(&out.w);
	cli_json_str(&out.w, "dir", rep->dir);
	adr__json_key(&out.w, "hooks");
	adr__json_begin_array(&out.w);
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++) {
		adr__json_begin_object(&out.w);
		cli_json_str(&out.w, "name", rep->hooks[i].name);
		cli_json_str(&out.w, "state", adr_hook_state_name(rep->hooks[i].state));
		adr__json_end_object(&out.w);
	}
	adr__json_end_array(&out.w);
	adr__json_end_object(&out.w);
	return cli_out_end(&out);
}

/* After install: without hooks.watch only a `Decision:` trailer makes the
 * hooks ask, so say so, and how to name the paths to watch. */
static int watch_note(adr_repo *repo)
{
	adr_strlist globs = ADR_STRLIST_INIT;
	int rc;
	if ((rc = adr_repo_config_list(&globs, repo, "hooks.watch")) < 0)
		return cli_fail(rc);
	if (!globs.count)
		fprintf(stderr, "adr: hooks.watch is not set in .adr.yaml, so no commit prompts for a decision unless "
				"its message carries a 'Decision: TITLE' trailer; to be asked about commits that touch "
				"paths, add to .adr.yaml (and commit it):\n"
				"  hooks:\n"
				"    watch: [\"db/migrations/**\", package.json]\n");
	adr_strlist_dispose(&globs);
	return CLI_OK;
}

int cmd_hooks(int argc, const char **argv, cli_ctx *ctx)
{
	int json = 0, rc;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "json", &json, "print JSON (status)"),
		CLI_OPT_END_()
	};
	adr_hooks_report rep = ADR_HOOKS_REPORT_INIT;
	char self[PATH_MAX];
	ssize_t n;

	argc = cli_parse_options(argc, argv, opts, cmd_hooks_usage);
	if (argc != 1)
		return cli_usage_error(cmd_hooks_usage, opts, "expected install, uninstall or status");
	if (json && strcmp(argv[0], "status") != 0)
		return cli_usage_error(cmd_hooks_usage, opts, "--json goes with status");
	if (strcmp(argv[0], "install") == 0) {
		/* The scripts run this very binary, so GUI clients with a thin PATH
		 * find it; if it is gone, they look `adr` up on PATH. */
		n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n > 0)
			self[n] = '\0';
		if ((rc = adr_hooks_install(&rep, ctx->repo, n > 0 && self[0] == '/' ? self : NULL)) < 0) {
			rc = cli_fail(rc);
			goto cleanup;
		}
		print_report(&rep, true);
		rc = watch_note(ctx->repo);
	} else if (strcmp(argv[0], "uninstall") == 0) {
		if ((rc = adr_hooks_uninstall(&rep, ctx->repo)) < 0) {
			rc = cli_fail(rc);
			goto cleanup;
		}
		print_report(&rep, true);
		rc = CLI_OK;
	} else if (strcmp(argv[0], "status") == 0) {
		if ((rc = adr_hooks_status(&rep, ctx->repo)) < 0) {
			rc = cli_fail(rc);
			goto cleanup;
		}
		rc = CLI_OK;
		if (json)
			rc = print_json(&rep);
		else
			print_report(&rep, false);
	} else {
		rc = cli_usage_error(cmd_hooks_usage, opts, "'%s' is not install, uninstall or status", argv[0]);
	}
cleanup:
	adr_hooks_report_dispose(&rep);
	return rc;
}
