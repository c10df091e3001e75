/* adr stats: decision metrics (cycle time, rework, reversals, first
 * response, deadlines) from the index, over all time or a period. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "adr/index.h"
#include "adr/stats.h"
#include "text/json.h"

const char *const cmd_stats_usage[] = {
	"adr stats [--since DATE] [--until DATE] [--json]",
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

/* A number with two decimals (days, hours, a share), null when negative (nothing to count). */
static void json_days(adr__json_writer *w, const char *key, double v)
{
	adr__json_key(w, key);
	if (v < 0)
		adr__json_null(w);
	else
		adr__json_double(w, (double)(long long)(v * 100 + 0.5) / 100);
}

static void json_cycle(adr__json_writer *w, const char *key, const adr_stats_cycle *c)
{
	adr__json_key(w, key);
	adr__json_begin_object(w);
	cli_json_int(w, "count", (long long)c->count);
	json_days(w, "median", c->median_hours);
	json_days(w, "p90", c->p90_hours);
	adr__json_end_object(w);
}

static void text_rate(const char *title, double rate, size_t part, size_t whole, const char *what)
{
	if (rate < 0)
		printf("%s: - (no %s)\n", title, what);
	else
		printf("%s: %.0f%% (%zu of %zu %s)\n", title, rate * 100, part, whole, what);
}

static void text_cycle(const char *title, const adr_stats_cycle *c)
{
	if (c->count)
		printf("%s: median %.2f, p90 %.2f (%zu decided)\n", title, c->median_hours, c->p90_hours, c->count);
	else
		printf("%s: -\n", title);
}

/* What adr_stats_compute_period() adds, after the older lines. */
static void text_practice(const adr_stats *s, const char *since, const char *until)
{
	if (since || until)
		printf("period: %s .. %s\n", since ? since : "start", until ? until : "now");
	text_rate("rework rate", s->rework_rate, s->reworked, s->proposals_decided,
		  "decided proposals revised more than once");
	text_rate("reversal rate", s->reversal_rate, s->reversed, s->decisions,
		  "decisions superseded or deprecated within 90 days");
	text_cycle("cycle time (hours)", &s->cycle_hours);
	text_cycle("cycle time (hours), sync", &s->cycle_hours_sync);
	text_cycle("cycle time (hours), async", &s->cycle_hours_async);
	if (s->first_response_median_hours >= 0)
		printf("time to first response (hours): median %.2f (%zu of %zu proposals answered)\n",
		       s->first_response_median_hours, s->proposals_answered, s->proposals_opened);
	else
		printf("time to first response (hours): - (%zu of %zu proposals answered)\n", s->proposals_answered,
		       s->proposals_opened);
}

int cmd_stats(int argc, const char **argv, cli_ctx *ctx)
{
	const char *since = NULL, *until = NULL;
	int json = 0, rc;
	adr_index *ix = NULL;
	adr_index_stats ist;
	adr_index_facts facts = { NULL, 0 };
	adr_stats s;
	const cli_option opts[] = {
		CLI_OPT_CALLBACK_(0, "since", &since, cli_opt_date, "DATE", "only records dated on or after DATE"),
		CLI_OPT_CALLBACK_(0, "until", &until, cli_opt_date, "DATE", "only records dated on or before DATE"),
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_stats_usage);
	if (argc > 0)
		return cli_usage_error(cmd_stats_usage, opts, "unexpected argument '%s'", argv[0]);
	if (since && until && strcmp(since, until) > 0)
		return cli_usage_error(cmd_stats_usage, opts, "--since %s is after --until %s: the period is empty", since,
				       until);
	if ((rc = adr_index_open(&ix, ctx->repo, 0, &ist)) < 0 || (rc = adr_index_get_facts(&facts, ix)) < 0 ||
	    (rc = adr_stats_compute_period(&s, &facts, since, until)) < 0) {
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
		cli_json_str(w, "since", since);
		cli_json_str(w, "until", until);
		cli_json_int(w, "proposals_decided", (long long)s.proposals_decided);
		cli_json_int(w, "reworked", (long long)s.reworked);
		json_days(w, "rework_rate", s.rework_rate);
		cli_json_int(w, "decisions", (long long)s.decisions);
		cli_json_int(w, "reversed", (long long)s.reversed);
		json_days(w, "reversal_rate", s.reversal_rate);
		json_cycle(w, "cycle_hours", &s.cycle_hours);
		adr__json_key(w, "cycle_hours_by_mode");
		adr__json_begin_object(w);
		json_cycle(w, "async", &s.cycle_hours_async);
		json_cycle(w, "sync", &s.cycle_hours_sync);
		adr__json_end_object(w);
		cli_json_int(w, "proposals_opened", (long long)s.proposals_opened);
		cli_json_int(w, "proposals_answered", (long long)s.proposals_answered);
		json_days(w, "first_response_hours_median", s.first_response_median_hours);
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
		text_practice(&s, since, until);
	}
	adr_stats_dispose(&s);
	adr_index_facts_dispose(&facts);
	adr_index_free(ix);
	return rc;
}
