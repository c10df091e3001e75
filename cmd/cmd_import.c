/* adr import: convert an existing decision log (adr-tools, MADR, log4brains) in one commit. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "adr/import.h"
#include "text/json.h"

const char *const cmd_import_usage[] = {
	"adr import [--from DIR] [--date-order dmy|mdy] [--dry-run] [--json]",
	NULL
};

static int print_json(const adr_import_result *res, bool dry_run)
{
	cli_out out;
	adr__json_writer *w = &out.w;
	cli_out_begin(&out, true);
	adr__json_begin_object(w);
	cli_json_str(w, "dir", res->dir);
	cli_json_bool(w, "dry_run", dry_run);
	cli_json_str(w, "commit", res->commit.commit[0] ? res->commit.commit : NULL);
	adr__json_key(w, "records");
	adr__json_begin_array(w);
	for (size_t i = 0; i < res->count; i++) {
		const adr_import_item *it = &res->items[i];
		adr__json_begin_object(w);
		cli_json_str(w, "source", it->source);
		cli_json_str(w, "target", it->target);
		cli_json_int(w, "number", it->number);
		cli_json_str(w, "title", it->title);
		cli_json_str(w, "status", it->status);
		cli_json_str(w, "date", it->date);
		cli_json_bool(w, "converted", it->converted);
		cli_json_int(w, "links_rewritten", (long long)it->links_rewritten);
		cli_json_str(w, "date_commit", it->date_commit);
		cli_json_strlist(w, "notes", &it->notes);
		cli_json_strlist(w, "repaired", &it->repaired);
		cli_json_strlist(w, "files", &it->files);
		adr__json_key(w, "from");
		adr__json_begin_object(w);
		cli_json_str(w, "number", it->from_number);
		cli_json_str(w, "title", it->from_title);
		cli_json_str(w, "status", it->from_status);
		cli_json_str(w, "date", it->from_date);
		adr__json_end_object(w);
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	adr__json_end_object(w);
	return cli_out_end(&out);
}

int cmd_import(int argc, const char **argv, cli_ctx *ctx)
{
	const char *from = NULL, *order = NULL;
	int dry_run = 0, json = 0, rc;
	adr_import_opts opts = ADR_IMPORT_OPTS_INIT;
	adr_import_result res = ADR_IMPORT_RESULT_INIT;
	const cli_option options[] = {
		CLI_OPT_STRING_(0, "from", &from, "DIR", "the directory of records to convert (default: the records directory)"),
		CLI_OPT_STRING_(0, "date-order", &order, "dmy|mdy",
				"read a date like 05/02/2018 day first (dmy) or month first (mdy)"),
		CLI_OPT_BOOL_('n', "dry-run", &dry_run, "show the plan; write nothing"),
		CLI_OPT_BOOL_(0, "json", &json, "print the plan as JSON"),
		CLI_OPT_BOOL_('q', "quiet", &cli_quiet, "show no progress on the terminal"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, options, cmd_import_usage);
	if (argc > 0)
		return cli_usage_error(cmd_import_usage, options, "unexpected argument '%s'", argv[0]);
	if (order && strcmp(order, "dmy") && strcmp(order, "mdy"))
		return cli_usage_error(cmd_import_usage, options, "--date-order is dmy or mdy, not '%s'", order);
	opts.from = from;
	opts.date_order = !order ? ADR_IMPORT_DATE_ORDER_NONE
		: !strcmp(order, "dmy") ? ADR_IMPORT_DATE_ORDER_DMY : ADR_IMPORT_DATE_ORDER_MDY;
	opts.dry_run = dry_run > 0;
	opts.progress = cli_progress_fn();
	opts.progress_payload = &cli_progress;
	rc = adr_import_run(&res, ctx->repo, &opts);
	cli_progress_end();
	if (rc < 0) {
		adr_import_result_dispose(&res);
		return cli_fail(rc);
	}
	rc = CLI_OK;
	if (json) {
		rc = print_json(&res, opts.dry_run);
	} else {
		size_t notes = 0, copied = 0;
		for (size_t i = 0; i < res.count; i++) {
			const adr_import_item *it = &res.items[i];
			printf("%s -> %s%s\n", it->source, it->target, it->converted ? "" : " (copied unchanged)");
			for (size_t n = 0; n < it->files.count; n++)
				printf("  moved %s\n", it->files.items[n]);
			for (size_t n = 0; n < it->repaired.count; n++)
				printf("  repaired %s\n", it->repaired.items[n]);
			for (size_t n = 0; n < it->notes.count; n++)
				printf("  %s\n", it->notes.items[n]);
			notes += it->notes.count;
			copied += !it->converted;
		}
		if (opts.dry_run)
			fprintf(stderr, "adr: dry run: %zu records would be imported into %s; nothing written\n",
				res.count, res.dir);
		else if (res.commit.unchanged) /* imported before: a second import changes nothing */
			fprintf(stderr, "adr: nothing to change: the %zu records in %s are in adr's format already "
				"(%zu notes, %zu unreadable)\n", res.count, res.dir, notes, copied);
		else
			fprintf(stderr, "adr: imported %zu records into %s (%zu notes, %zu copied unchanged)\n", res.count,
				res.dir, notes, copied);
	}
	cli_commit_warning(&res.commit);
	adr_import_result_dispose(&res);
	return rc;
}
