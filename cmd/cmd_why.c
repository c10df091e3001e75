/* adr why PATH: the decisions that govern a path (the query: adr/why.h). */
#include <stdio.h>

#include "cli.h"
#include "output.h"
#include "adr/why.h"
#include "text/json.h"

const char *const cmd_why_usage[] = {
	"adr why PATH [--json]",
	NULL
};

static void print_json(cli_out *out, const adr_why_item *it)
{
	adr__json_writer *w = &out->w;
	const adr_record *r = it->record;
	adr__json_begin_object(w);
	cli_json_int(w, "number", r->number);
	cli_json_str(w, "title", r->title);
	cli_json_str(w, "status", r->status ? adr_status_name(r->status) : r->status_word);
	cli_json_str(w, "path", r->path);
	adr__json_key(w, "affects");
	adr__json_begin_array(w);
	for (size_t g = 0; g < it->nglobs; g++)
		adr__json_string(w, it->globs[g]);
	adr__json_end_array(w);
	adr__json_key(w, "commits");
	adr__json_begin_array(w);
	for (size_t k = 0; k < it->ncommits; k++)
		cli_out_commit_link(out, it->commits[k], false);
	adr__json_end_array(w);
	adr__json_end_object(w);
}

static void print_text(const adr_why_item *it)
{
	const adr_record *r = it->record;
	printf("%04d  %-10s  %s\n", r->number,
	       r->status ? adr_status_name(r->status) : (r->status_word ? cli_oneline(r->status_word) : "-"),
	       cli_oneline(r->title));
	for (size_t g = 0; g < it->nglobs; g++)
		printf("      affects %s\n", cli_oneline(it->globs[g]));
	for (size_t k = 0; k < it->ncommits; k++)
		printf("      commit  %.12s %s\n", it->commits[k]->commit, cli_oneline(it->commits[k]->subject));
}

int cmd_why(int argc, const char **argv, cli_ctx *ctx)
{
	int json = 0, rc;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_END_()
	};
	adr_why_result *res = NULL;
	cli_out out;

	argc = cli_parse_options(argc, argv, opts, cmd_why_usage);
	if (argc != 1)
		return cli_usage_error(cmd_why_usage, opts, "expected one path");
	if ((rc = adr_why(&res, ctx->repo, argv[0], NULL)) < 0)
		return cli_fail(rc);
	cli_recordset_report(&res->records);
	for (size_t i = 0; i < res->warnings.count; i++)
		cli_warning("%s", res->warnings.items[i]);
	cli_out_begin(&out, json);
	cli_out_list_begin(&out);
	for (size_t i = 0; i < res->count; i++) {
		if (json)
			print_json(&out, &res->items[i]);
		else
			print_text(&res->items[i]);
	}
	cli_out_list_end(&out);
	rc = cli_out_end(&out);
	if (rc == CLI_OK && res->records.errors.count)
		rc = CLI_FAIL;
	adr_why_result_free(res);
	return rc;
}
