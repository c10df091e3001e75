/* adr search QUERY: full-text search over the index. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "adr/index.h"
#include "text/json.h"

const char *const cmd_search_usage[] = {
	"adr search [--status S] [--tag T] [--mode M] [--since DATE] [--until DATE] [--limit N] [--json] QUERY...",
	NULL
};

/* --limit N: a number from 1 to 100000 (int*). */
static int opt_limit(const cli_option *o, const char *arg, adr_buf *why)
{
	char *end = NULL;
	long n = strtol(arg, &end, 10);
	if (!*arg || *end || n <= 0 || n > 100000) {
		adr_buf_printf(why, "--%s: '%s' is not a number from 1 to 100000", o->long_name, arg);
		return -1;
	}
	*(int *)o->value = (int)n;
	return 0;
}

static int print_json(const adr_search_result *res)
{
	cli_out out;
	adr__json_writer *w = &out.w;
	cli_out_begin(&out, true);
	adr__json_begin_array(w);
	for (size_t i = 0; i < res->count; i++) {
		const adr_search_hit *h = &res->items[i];
		adr__json_begin_object(w);
		cli_json_int(w, "number", h->number);
		cli_json_str(w, "title", h->title);
		cli_json_str(w, "status", *h->status ? h->status : NULL);
		cli_json_str(w, "date", *h->date ? h->date : NULL);
		cli_json_str(w, "path", h->path);
		cli_json_double(w, "score", h->score);
		cli_json_str(w, "snippet", h->snippet);
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	return cli_out_end(&out);
}

/* One hit a line, its snippet on the next (on one line). */
static void print_text(const adr_search_result *res)
{
	for (size_t i = 0; i < res->count; i++) {
		const adr_search_hit *h = &res->items[i];
		char *p;
		for (p = h->snippet; *p; p++)
			if (*p == '\n' || *p == '\r' || *p == '\t')
				*p = ' ';
		printf("%04d  %-10s  %-10s  %s\n      %s\n", h->number, *h->status ? h->status : "-",
		       *h->date ? h->date : "-", cli_oneline(h->title), cli_oneline(h->snippet));
	}
}

int cmd_search(int argc, const char **argv, cli_ctx *ctx)
{
	const char *tag = NULL, *since = NULL, *until = NULL;
	int json = 0, status = 0, mode = 0, rc;
	char *query = NULL;
	adr_index *ix = NULL;
	adr_search_opts so = ADR_SEARCH_OPTS_INIT;
	adr_search_result res;
	adr_index_stats st;
	const cli_option opts[] = {
		CLI_OPT_ENUM_(0, "status", &status, &cli_enum_status, "S", "only records with this status"),
		CLI_OPT_STRING_(0, "tag", &tag, "T", "only records with this tag"),
		CLI_OPT_ENUM_(0, "mode", &mode, &cli_enum_mode, "M", "only records decided this way (sync or async)"),
		CLI_OPT_CALLBACK_(0, "since", &since, cli_opt_date, "DATE", "only records dated on or after DATE"),
		CLI_OPT_CALLBACK_(0, "until", &until, cli_opt_date, "DATE", "only records dated on or before DATE"),
		CLI_OPT_CALLBACK_(0, "limit", &so.limit, opt_limit, "N", "at most N results (default 20)"),
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_END_()
	};

	memset(&res, 0, sizeof(res));
	argc = cli_parse_options(argc, argv, opts, cmd_search_usage);
	if (argc == 0)
		return cli_usage_error(cmd_search_usage, opts, "what should I search for?");
	so.status = (adr_status)status;
	so.mode = (adr_mode)mode;
	adr_error_clear();
	so.tag = tag;
	so.since = since;
	so.until = until;
	if (json) {
		so.mark_open = "**";
		so.mark_close = "**";
	} else if (isatty(STDOUT_FILENO)) {
		so.mark_open = "\033[1m";
		so.mark_close = "\033[0m";
	}
	if (!(query = cli_join(argc, argv)))
		return cli_fail(ADR_ENOMEM);
	so.query = query;
	if ((rc = adr_index_open(&ix, ctx->repo, 0, &st)) < 0 || (rc = adr_index_search(&res, ix, &so)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	for (size_t i = 0; i < res.ignored.count; i++)
		cli_warning("left out '%s': it has no letter or digit to search for", cli_oneline(res.ignored.items[i]));
	cli_index_warnings(ix, &st);
	rc = CLI_OK;
	if (json)
		rc = print_json(&res);
	else
		print_text(&res);
	/* An empty result says so, like the other queries, and is no failure. */
	if (!json && res.count == 0)
		fprintf(stderr, "adr: no records match '%s'\n", cli_oneline(query));
cleanup:
	adr_search_result_dispose(&res);
	adr_index_free(ix);
	free(query);
	return rc;
}
