/* adr stats: decision metrics (cycle time, rework, deadlines) from the index. */
#include <stdio.h>

#include "cli.h"
#include "output.h"
#include "adr/index.h"
#include "adr/stats.h"
#include "text/json.h"

const char *const cmd_stats_usage[] = {
	"adr stats [--since DATE] [--json]",
	NULL
};

static void json_counts(adr__json_writer *w, const char *key, const adr_stats_counts *c)
{
	adr__json_key(w, key);
	adr__json_begin_object(w);
	for (size_t i = 0; i < c->count; i++) {
		adr__json_key(w, c->items[i].name);
		adr__json_int(w, (long long)c->items[i].count);
	}
	adr__json_end_object(w);
}

static void text_counts(const char *title, const adr_stats_counts *c)
{
	printf("%s:", title);
	for (size_t i = 0; i < c->count; i++)
		printf(" %s %zu%s", cli_oneline(c->items[i].name), c->items[i].count, i + 1 < c->count ? "," : "");
	printf("\n");
}

static void json_days(adr__json_writer *w, const char *key, double v)
{
	adr__json_key(w, key);
	if (v < 0)
		adr__json_null(w);
	else
		adr__json_double(w, (double)(long long)(v * 100 + 0.5) / 100);
}

int cmd_stats(int argc, const char **argv, cli_ctx *ctx)
{
	const char *since = NULL;
	int json = 0, rc;
	adr_index *ix = NULL;
	adr_index_stats ist;
	adr_index_facts facts = { NULL, 0 };
	adr_stats s;
	const cli_option opts[] = {
		CLI_OPT_CALLBACK_(0, "since", &since, cli_opt_date, "DATE", "only records dated on or after DATE"),
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_stats_usage);
	if (argc > 0)
		return cli_usage_error(cmd_stats_usage, opts, "unexpected argument '%s'", argv[0]);
	if ((rc = adr_index_open(&ix, ctx->repo, 0, &ist)) < 0 || (rc = adr_index_get_facts(&facts, ix)) < 0 ||
	    (rc = adr_stats_compute(&s, &facts, since)) < 0) {
		rc = cli_fail(rc);
		adr_index_facts_dispose(&facts);
		adr_index_free(ix);
		return rc;
	}
	cli_index_warnings(ix, &ist);
	rc = CLI_OK;
	if (json) {
		cli_out out;
		adr__json_writer *w = &out.w;
		cli_out_begin(&out, true);
		adr__json_begin_object(w);
		cli_json_int(w, "records", (long long)s.records);
		cli_json_int(w, "proposals", (long long)s.proposals);
		cli_json_int(w, "decided", (long long)s.decided);
		json_days(w, "cycle_days_median", s.cycle_median_days);
		json_days(w, "cycle_days_p90", s.cycle_p90_days);
		json_days(w, "revisions_per_proposal", s.revisions_per_proposal);
		json_days(w, "comments_per_proposal", s.comments_per_proposal);
		cli_json_int(w, "deadlines_missed", (long long)s.deadlines_missed);
		json_counts(w, "by_status", &s.by_status);
		json_counts(w, "by_mode", &s.by_mode);
		json_counts(w, "by_quadrant", &s.by_quadrant);
		json_counts(w, "by_month", &s.by_month);
		cli_json_str(w, "shallow_boundary", ist.shallow_boundary[0] ? ist.shallow_boundary : NULL);
		adr__json_end_object(w);
		rc = cli_out_end(&out);
	} else {
		printf("records: %zu\n", s.records);
		printf("proposals: %zu (decided %zu)\n", s.proposals, s.decided);
		if (s.cycle_median_days >= 0)
			printf("cycle time (days): median %.2f, p90 %.2f\n", s.cycle_median_days, s.cycle_p90_days);
		else
			printf("cycle time (days): -\n");
		printf("revisions per proposal: %.2f\n", s.revisions_per_proposal);
		printf("comments per proposal: %.2f\n", s.comments_per_proposal);
		printf("deadlines missed: %zu\n", s.deadlines_missed);
		text_counts("by status", &s.by_status);
		text_counts("by mode", &s.by_mode);
		text_counts("by quadrant", &s.by_quadrant);
		text_counts("by month", &s.by_month);
	}
	adr_stats_dispose(&s);
	adr_index_facts_dispose(&facts);
	adr_index_free(ix);
	return rc;
}
