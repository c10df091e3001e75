#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"

const char *const cmd_queue_usage[] = {
	"adr queue [--json] [--check]",
	NULL
};

static const char *kind_name(adr_queue_kind k)
{
	return k == ADR_QUEUE_PROPOSAL ? "proposal" : k == ADR_QUEUE_CLEANUP ? "cleanup" : "revisit";
}

static void votes(adr_json_writer *w, const char *key, const adr_strlist *l)
{
	adr_json_key(w, key);
	adr_json_begin_array(w);
	for (size_t i = 0; i < l->count; i++)
		adr_json_string(w, l->items[i]);
	adr_json_end_array(w);
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
	for (size_t i = 0; i < q.count; i++)
		overdue += q.items[i].overdue;
	if (json) {
		cli_out out;
		adr_json_writer *w = &out.w;
		cli_out_begin(&out, true);
		adr_json_begin_object(w);
		adr_json_key(w, "today");
		adr_json_string(w, q.today);
		adr_json_key(w, "overdue");
		adr_json_int(w, (long long)overdue);
		adr_json_key(w, "items");
		adr_json_begin_array(w);
		for (size_t i = 0; i < q.count; i++) {
			const adr_queue_item *it = &q.items[i];
			adr_json_begin_object(w);
			adr_json_key(w, "kind");
			adr_json_string(w, kind_name(it->kind));
			adr_json_key(w, "number");
			if (it->number > 0)
				adr_json_int(w, it->number);
			else
				adr_json_null(w);
			adr_json_key(w, "title");
			adr_json_string(w, it->title);
			adr_json_key(w, "due");
			adr_json_string(w, it->due[0] ? it->due : NULL);
			adr_json_key(w, "overdue");
			adr_json_bool(w, it->overdue);
			if (it->kind == ADR_QUEUE_PROPOSAL) {
				adr_json_key(w, "slug");
				adr_json_string(w, it->slug);
				adr_json_key(w, "ref");
				adr_json_string(w, it->ref);
				adr_json_key(w, "remote");
				adr_json_bool(w, it->remote);
				adr_json_key(w, "age_days");
				adr_json_int(w, it->age_days);
				adr_json_key(w, "comments");
				adr_json_int(w, (long long)it->comments);
				adr_json_key(w, "revisions");
				adr_json_int(w, (long long)it->revisions);
				votes(w, "approvals", &it->approvals);
				votes(w, "objections", &it->objections);
				adr_json_key(w, "action");
				adr_json_string(w, it->overdue ? "escalate to a meeting" : NULL);
			}
			adr_json_end_object(w);
		}
		adr_json_end_array(w);
		adr_json_end_object(w);
		rc = cli_out_end(&out);
	} else {
		const adr_queue_kind kinds[] = { ADR_QUEUE_PROPOSAL, ADR_QUEUE_CLEANUP, ADR_QUEUE_REVISIT };
		const char *heads[] = { "Open proposals", "Meeting records waiting for cleanup", "Due for a revisit" };
		for (int k = 0; k < 3; k++) {
			bool any = false;
			for (size_t i = 0; i < q.count; i++) {
				const adr_queue_item *it = &q.items[i];
				if (it->kind != kinds[k])
					continue;
				if (!any)
					printf("%s%s:\n", k && overdue + q.count ? "\n" : "", heads[k]);
				any = true;
				if (it->kind == ADR_QUEUE_PROPOSAL)
					printf("  %-10s  adr/%s%s  %s  (%lld days, %zu comments, %zu revisions, %zu approve, %zu object)%s\n",
					       it->due[0] ? it->due : "-", it->slug, it->remote ? " (remote)" : "", it->title,
					       it->age_days, it->comments, it->revisions, it->approvals.count, it->objections.count,
					       it->overdue ? "  OVERDUE: escalate to a meeting" : "");
				else
					printf("  %-10s  %04d  %s%s\n", it->due, it->number, it->title,
					       it->overdue ? "  OVERDUE" : "");
			}
		}
		if (!q.count)
			printf("nothing waiting\n");
	}
	if (check && overdue) {
		fprintf(stderr, "adr: %zu item%s overdue\n", overdue, overdue == 1 ? "" : "s");
		rc = CLI_FAIL;
	}
	adr_queue_dispose(&q);
	return rc;
}
