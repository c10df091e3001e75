/* adr renumber: give duplicate numbers new ones, updating every link; a published number stays. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "adr/renumber.h"
#include "text/json.h"

const char *const cmd_renumber_usage[] = {
	"adr renumber [--dry-run] [--json]",
	NULL
};

static const char *base_of(const char *p)
{
	const char *s = strrchr(p, '/');
	return s ? s + 1 : p;
}

/* Why the other record keeps the number, after "stays with NAME: ". */
static const char *why_text(const adr_renumber_item *it)
{
	switch (it->reason) {
	case ADR_RENUMBER_PUBLISHED:
		return "it is published, this one is not";
	case ADR_RENUMBER_OLDER:
		return it->published ? "both are published; it was added first" : "it was added first";
	default:
		return it->published ? "both are published; the history does not tell which came first, its name "
				       "sorts first"
				     : "the history does not tell which came first; its name sorts first";
	}
}

static int print_json(const adr_renumber_result *res, bool dry_run)
{
	cli_out out;
	adr__json_writer *w = &out.w;
	cli_out_begin(&out, true);
	adr__json_begin_object(w);
	cli_json_bool(w, "dry_run", dry_run);
	cli_json_str(w, "commit", res->commit.commit[0] ? res->commit.commit : NULL);
	cli_json_int(w, "records_rewritten", (long long)res->records_rewritten);
	adr__json_key(w, "renumbered");
	adr__json_begin_array(w);
	for (size_t i = 0; i < res->count; i++) {
		const adr_renumber_item *it = &res->items[i];
		adr__json_begin_object(w);
		cli_json_str(w, "old_path", it->old_path);
		cli_json_str(w, "new_path", it->new_path);
		cli_json_int(w, "old_number", it->old_number);
		cli_json_int(w, "new_number", it->new_number);
		cli_json_bool(w, "published", it->published);
		cli_json_str(w, "kept_path", it->kept_path);
		cli_json_bool(w, "kept_published", it->kept_published);
		cli_json_str(w, "reason", adr_renumber_reason_name(it->reason));
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	adr__json_end_object(w);
	return cli_out_end(&out);
}

int cmd_renumber(int argc, const char **argv, cli_ctx *ctx)
{
	int dry_run = 0, json = 0, rc;
	adr_renumber_result res = ADR_RENUMBER_RESULT_INIT;
	const cli_option options[] = {
		CLI_OPT_BOOL_('n', "dry-run", &dry_run, "show what would be renamed; write nothing"),
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_BOOL_('q', "quiet", &cli_quiet, "show no progress on the terminal"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, options, cmd_renumber_usage);
	if (argc > 0)
		return cli_usage_error(cmd_renumber_usage, options, "unexpected argument '%s'", argv[0]);
	adr_repo_set_progress(ctx->repo, cli_progress_fn(), &cli_progress);
	rc = adr_renumber_run(&res, ctx->repo, dry_run > 0);
	cli_progress_end();
	if (rc < 0) {
		adr_renumber_result_dispose(&res);
		return cli_fail(rc);
	}
	if (json > 0) {
		rc = print_json(&res, dry_run > 0);
		cli_commit_warning(&res.commit);
		adr_renumber_result_dispose(&res);
		return rc;
	}
	for (size_t i = 0; i < res.count; i++)
		printf("%s -> %s (%04d stays with %s: %s)\n", cli_oneline(res.items[i].old_path),
		       cli_oneline(res.items[i].new_path), res.items[i].old_number,
		       cli_oneline(base_of(res.items[i].kept_path)), why_text(&res.items[i]));
	if (!res.count)
		fprintf(stderr, "adr: no duplicate numbers\n");
	else if (dry_run > 0)
		fprintf(stderr, "adr: dry run: %zu record%s would be renumbered, %zu other record%s updated; nothing "
				"written\n", res.count, res.count == 1 ? "" : "s", res.records_rewritten,
			res.records_rewritten == 1 ? "" : "s");
	else
		fprintf(stderr, "adr: renumbered %zu record%s, updated links in %zu other%s\n", res.count,
			res.count == 1 ? "" : "s", res.records_rewritten, res.records_rewritten == 1 ? "" : "s");
	cli_commit_warning(&res.commit);
	adr_renumber_result_dispose(&res);
	return CLI_OK;
}
