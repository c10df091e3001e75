/* adr index: build or refresh the search index, and say what was done. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "adr/index.h"
#include "text/json.h"

const char *const cmd_index_usage[] = {
	"adr index [--rebuild] [--check] [--json]",
	NULL
};

int cmd_index(int argc, const char **argv, cli_ctx *ctx)
{
	int rebuild = 0, check = 0, json = 0, rc;
	adr_index *ix = NULL;
	adr_index_stats st;
	const char *debug = getenv("ADR_DEBUG_STATS");
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "rebuild", &rebuild, "throw the index away and build it again"),
		CLI_OPT_BOOL_(0, "check", &check, "run SQLite's full integrity checks first"),
		CLI_OPT_BOOL_(0, "json", &json, "print what was done as JSON"),
		CLI_OPT_BOOL_('q', "quiet", &cli_quiet, "show no progress on the terminal"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_index_usage);
	if (argc > 0)
		return cli_usage_error(cmd_index_usage, opts, "unexpected argument '%s'", argv[0]);
	adr_repo_set_progress(ctx->repo, cli_progress_fn(), &cli_progress);
	/* `adr index` is asked for the file: no in-memory stand-in (F15) */
	rc = adr_index_open(&ix, ctx->repo, (rebuild > 0 ? ADR_INDEX_REBUILD : 0) | (check > 0 ? ADR_INDEX_CHECK : 0) |
						     ADR_INDEX_NO_FALLBACK, &st);
	cli_progress_end();
	if (rc < 0)
		return cli_fail(rc);
	cli_index_warnings(ix, &st);
	if (debug && *debug && strcmp(debug, "0") != 0)
		fprintf(stderr, "commits examined: %lu, trees diffed: %lu, blobs parsed: %lu\n", st.commits_examined,
			st.trees_diffed, st.blobs_parsed);
	rc = CLI_OK;
	if (json) {
		cli_out out;
		adr__json_writer *w = &out.w;
		cli_out_begin(&out, true);
		adr__json_begin_object(w);
		cli_json_str(w, "path", adr_index_path(ix));
		cli_json_str(w, "commit", st.tip[0] ? st.tip : NULL);
		cli_json_int(w, "records", (long long)st.records);
		cli_json_bool(w, "rebuilt", st.rebuilt);
		cli_json_str(w, "reason", st.reason[0] ? st.reason : NULL);
		cli_json_int(w, "commits_examined", (long long)st.commits_examined);
		cli_json_int(w, "trees_diffed", (long long)st.trees_diffed);
		cli_json_int(w, "blobs_parsed", (long long)st.blobs_parsed);
		cli_json_str(w, "shallow_boundary", st.shallow_boundary[0] ? st.shallow_boundary : NULL);
		adr__json_end_object(w);
		rc = cli_out_end(&out);
	} else {
		printf("%lu records indexed at %.12s%s%s%s\n", st.records, st.tip[0] ? st.tip : "(no commits)",
		       st.rebuilt ? " (rebuilt: " : "", st.rebuilt ? st.reason : "", st.rebuilt ? ")" : "");
	}
	adr_index_free(ix);
	return rc;
}
