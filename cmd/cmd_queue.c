/* adr queue: open proposals, pending cleanups and due revisits. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "text/json.h"

const char *const cmd_queue_usage[] = {
	"adr queue [--json] [--check]",
	NULL
};

static const char *kind_name(adr_queue_kind k)
{
	return k == ADR_QUEUE_PROPOSAL ? "proposal" : k == ADR_QUEUE_CLEANUP ? "cleanup" : "revisit";
}

static int print_json(const adr_queue *q, size_t overdue)
{
	cli_out out;
	adr__json_writer *w = &out.w;
	cli_out_begin(&out, true);
	adr__json_begin_object(w);
	cli_json_str(w, "today", q->today);
	cli_json_int(w, "overdue", (long long)overdue);
	adr__json_key(w, "items");
	adr__json_begin_array(w);
	for (size_t i = 0; i < q->count; i++) {
		const adr_queue_item *it = &q->items[i];
		adr__json_begin_object(w);
		cli_json_str(w, "kind", kind_name(it->kind));
		adr__json_key(w, "number");
		if (it->number > 0)
			adr__json_int(w, it->number);
		else
			adr__json_null(w);
		cli_json_str(w, "title", it->title);
		cli_json_str(w, "due", it->due[0] ? it->due : NULL);
		cli_json_bool(w, "overdue", it->overdue);
		if (it->kind == ADR_QUEUE_PROPOSAL) {
			cli_json_str(w, "slug", it->slug);
			cli_json_str(w, "ref", it->ref);
			cli_json_bool(w, "remote", it->remote);
			cli_json_bool(w, "diverged", it->diverged);
			cli_json_bool(w, "merged", it->merged);
			cli_json_int(w, "age_days", it->age_days);
			cli_json_int(w, "comments", (long long)it->comments);
			cli_json_int(w, "revisions", (long long)it->revisions);
			cli_json_strlist(w, "approvals", &it->approvals);
			cli_json_strlist(w, "objections", &it->objections);
			cli_json_str(w, "action", it->overdue ? "escalate to a meeting" : NULL);
		}
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	adr__json_end_object(w);
	return cli_out_end(&out);
}

static void print_text(const adr_queue *q, size_t overdue)
{
	const adr_queue_kind kinds[] = { ADR_QUEUE_PROPOSAL, ADR_QUEUE_CLEANUP, ADR_QUEUE_REVISIT };
	const char *heads[] = { "Open proposals", "Records waiting for cleanup (meetings, drafts)", "Due for a revisit" };
	for (int k = 0; k < 3; k++) {
		bool any = false;
		for (size_t i = 0; i < q->count; i++) {
			const adr_queue_item *it = &q->items[i];
			if (it->kind != kinds[k])
				continue;
			if (!any)
				printf("%s%s:\n", k && overdue + q->count ? "\n" : "", heads[k]);
			any = true;
			if (it->kind == ADR_QUEUE_PROPOSAL)
				printf("  %-10s  adr/%s%s  %s  (%lld days, %zu comments, %zu revisions, %zu approve, %zu object)%s%s\n",
				       it->due[0] ? it->due : "-", it->slug,
				       it->merged ? " (merged, not yet decided)" : it->diverged ? " (diverged)"
				       : it->remote ? " (remote)" : "", it->title,
				       it->age_days, it->comments, it->revisions, it->approvals.count, it->objections.count,
				       it->overdue && !it->merged ? "  OVERDUE: escalate to a meeting" : "",
				       it->merged ? "  decide it: adr accept or adr reject" : "");
			else
				printf("  %-10s  %04d  %s%s\n", it->due, it->number, it->title,
				       it->overdue ? "  OVERDUE" : "");
		}
	}
	if (!q->count)
		printf("nothing waiting\n");
}

int cmd_queue(int argc, const char **argv, cli_ctx *ctx)
{
	int json = 0, check = 0, rc;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_BOOL_(0, "check", &check, "exit 1 when anything is overdue (for CI)"),
		CLI_OPT_END_()
	};
	adr_queue q;
	size_t overdue = 0;

	argc = cli_parse_options(argc, argv, opts, cmd_queue_usage);
	if (argc != 0)
		return cli_usage_error(cmd_queue_usage, opts, "unexpected argument '%s'", argv[0]);
	if ((rc = adr_queue_build(&q, ctx->repo)) < 0)
		return cli_fail(rc);
	rc = CLI_OK;
	for (size_t i = 0; i < q.errors.count; i++)
		cli_warning("%s", q.errors.items[i]);
	for (size_t i = 0; i < q.count; i++) {
		overdue += q.items[i].overdue;
		if (q.items[i].diverged)
			cli_warning("adr/%s and its remote-tracking branch have diverged: both sides' comments are "
				    "counted; run adr sync to combine them", q.items[i].slug);
	}
	if (json)
		rc = print_json(&q, overdue);
	else
		print_text(&q, overdue);
	if (check && overdue) {
		fprintf(stderr, "adr: %zu item%s overdue\n", overdue, overdue == 1 ? "" : "s");
		rc = CLI_FAIL;
	}
	adr_queue_dispose(&q);
	return rc;
}
