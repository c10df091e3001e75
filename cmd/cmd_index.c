#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "adr/index.h"

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
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_index_usage);
	if (argc > 0)
		return cli_usage_error(cmd_index_usage, opts, "unexpected argument '%s'", argv[0]);
	/* `adr index` is asked for the file: no in-memory stand-in (F15) */
	rc = adr_index_open(&ix, ctx->repo, (rebuild > 0 ? ADR_INDEX_REBUILD : 0) | (check > 0 ? ADR_INDEX_CHECK : 0) |
						     ADR_INDEX_NO_FALLBACK, &st);
	if (rc < 0)
		return cli_fail(rc);
	for (size_t i = 0; i < adr_index_warnings(ix)->count; i++)
		cli_warning("%s", adr_index_warnings(ix)->items[i]);
	if (debug && *debug && strcmp(debug, "0") != 0)
		fprintf(stderr, "commits examined: %lu, trees diffed: %lu, blobs parsed: %lu\n", st.commits_examined,
			st.trees_diffed, st.blobs_parsed);
	if (st.shallow_boundary[0])
		cli_warning("shallow clone: dates unknown before %.12s", st.shallow_boundary);
	rc = CLI_OK;
	if (json) {
		cli_out out;
		adr_json_writer *w = &out.w;
		cli_out_begin(&out, true);
		adr_json_begin_object(w);
		adr_json_key(w, "path");
		adr_json_string(w, adr_index_path(ix));
		adr_json_key(w, "commit");
		adr_json_string(w, st.tip[0] ? st.tip : NULL);
		adr_json_key(w, "records");
		adr_json_int(w, (long long)st.records);
		adr_json_key(w, "rebuilt");
		adr_json_bool(w, st.rebuilt);
		adr_json_key(w, "reason");
		adr_json_string(w, st.reason[0] ? st.reason : NULL);
		adr_json_key(w, "commits_examined");
		adr_json_int(w, (long long)st.commits_examined);
		adr_json_key(w, "trees_diffed");
		adr_json_int(w, (long long)st.trees_diffed);
		adr_json_key(w, "blobs_parsed");
		adr_json_int(w, (long long)st.blobs_parsed);
		adr_json_key(w, "shallow_boundary");
		adr_json_string(w, st.shallow_boundary[0] ? st.shallow_boundary : NULL);
		adr_json_end_object(w);
		rc = cli_out_end(&out);
	} else {
		printf("%lu records indexed at %.12s%s%s%s\n", st.records, st.tip[0] ? st.tip : "(no commits)",
		       st.rebuilt ? " (rebuilt: " : "", st.rebuilt ? st.reason : "", st.rebuilt ? ")" : "");
	}
	adr_index_free(ix);
	return rc;
}
