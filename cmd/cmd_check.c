/* adr check: broken links, duplicate numbers and inconsistencies in the log, as text or JSON. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "adr/check.h"
#include "text/json.h"

const char *const cmd_check_usage[] = {
	"adr check [--all-refs] [--json]",
	NULL
};

int cmd_check(int argc, const char **argv, cli_ctx *ctx)
{
	int all_refs = 0, json = 0, rc;
	adr_findings f = ADR_FINDINGS_INIT, warn = ADR_FINDINGS_INIT;
	adr_check_opts opts = ADR_CHECK_OPTS_INIT;
	const cli_option options[] = {
		CLI_OPT_BOOL_(0, "all-refs", &all_refs, "also compare numbers across all local and remote-tracking branches"),
		CLI_OPT_BOOL_(0, "json", &json, "print the findings as JSON"),
		CLI_OPT_BOOL_('q', "quiet", &cli_quiet, "show no progress on the terminal"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, options, cmd_check_usage);
	if (argc > 0)
		return cli_usage_error(cmd_check_usage, options, "unexpected argument '%s'", argv[0]);
	opts.all_refs = all_refs > 0;
	opts.progress = cli_progress_fn();
	opts.progress_payload = &cli_progress;
	rc = adr_check_run(&f, ctx->repo, &opts);
	cli_progress_end();
	if (rc < 0 || (rc = adr_check_drafts(&warn, ctx->repo, NULL)) < 0) {
		adr_findings_dispose(&f);
		adr_findings_dispose(&warn);
		return cli_fail(rc);
	}
	/* Unfinished records are warnings, on stderr as a compiler says them:
	 * they do not fail the check and are not in the JSON list. */
	for (size_t i = 0; i < warn.count; i++)
		fprintf(stderr, "%s:%d:%d: warning: %s [%s]\n", cli_oneline(warn.items[i].path), warn.items[i].line,
			warn.items[i].col, cli_oneline(warn.items[i].message), warn.items[i].code);
	adr_findings_dispose(&warn);
	if (json) {
		cli_out out;
		adr__json_writer *w = &out.w;
		cli_out_begin(&out, true);
		adr__json_begin_array(w);
		for (size_t i = 0; i < f.count; i++) {
			adr__json_begin_object(w);
			cli_json_str(w, "path", f.items[i].path);
			cli_json_int(w, "line", f.items[i].line);
			cli_json_int(w, "col", f.items[i].col);
			cli_json_str(w, "code", f.items[i].code);
			cli_json_str(w, "message", f.items[i].message);
			adr__json_end_object(w);
		}
		adr__json_end_array(w);
		if ((rc = cli_out_end(&out)) != CLI_OK) {
			adr_findings_dispose(&f);
			return rc;
		}
	} else {
		for (size_t i = 0; i < f.count; i++)
			printf("%s:%d:%d: %s [%s]\n", cli_oneline(f.items[i].path), f.items[i].line, f.items[i].col,
			       cli_oneline(f.items[i].message), f.items[i].code);
		if (f.count)
			fprintf(stderr, "adr: %zu finding%s\n", f.count, f.count == 1 ? "" : "s");
	}
	rc = f.count ? CLI_FAIL : CLI_OK;
	adr_findings_dispose(&f);
	return rc;
}
