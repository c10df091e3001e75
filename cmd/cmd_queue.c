/* adr queue: open proposals, pending cleanups, due revisits and overdue next
 * steps, whose move each one is (--mine: yours), or a meeting agenda. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "text/json.h"

const char *const cmd_queue_usage[] = {
	"adr queue [--json] [--check]",
	"adr queue --mine [--json] [--check]",
	"adr queue --agenda",
	NULL
};

static const char *kind_name(adr_queue_kind k)
{
	return k == ADR_QUEUE_PROPOSAL ? "proposal" : k == ADR_QUEUE_CLEANUP ? "cleanup"
	       : k == ADR_QUEUE_REVISIT ? "revisit" : "next-step";
}

/* The items shown: all of them, or (--mine) those waiting for `me` by due date. */
typedef struct {
	const adr_queue_item **items;
	size_t count;
	size_t overdue;
} shown;

/* By due date, undated last; equal dates keep the queue's order. */
static int by_due(const void *a, const void *b)
{
	const adr_queue_item *x = *(const adr_queue_item *const *)a, *y = *(const adr_queue_item *const *)b;
	int c;
	if (!x->due[0] || !y->due[0])
		c = !x->due[0] - !y->due[0];
	else
		c = strcmp(x->due, y->due);
	return c ? c : (x < y ? -1 : x > y);
}

static int pick(shown *s, const adr_queue *q, const char *me)
{
	memset(s, 0, sizeof(*s));
	if (q->count && !(s->items = calloc(q->count, sizeof(*s->items))))
		return -1;
	for (size_t i = 0; i < q->count; i++) {
		const adr_queue_item *it = &q->items[i];
		if (me && !adr_queue_item_waits_for(it, me))
			continue;
		s->items[s->count++] = it;
		s->overdue += it->overdue || it->late_response;
	}
	if (me && s->count)
		qsort(s->items, s->count, sizeof(*s->items), by_due);
	return 0;
}

static int print_json(const adr_queue *q, const shown *s, const char *me)
{
	cli_out out;
	adr__json_writer *w = &out.w;
	cli_out_begin(&out, true);
	adr__json_begin_object(w);
	cli_json_str(w, "today", q->today);
	if (me)
		cli_json_str(w, "user", me);
	cli_json_int(w, "overdue", (long long)s->overdue);
	adr__json_key(w, "items");
	adr__json_begin_array(w);
	for (size_t i = 0; i < s->count; i++) {
		const adr_queue_item *it = s->items[i];
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
		cli_json_str(w, "owner", it->owner);
		cli_json_strlist(w, "move", &it->move);
		cli_json_str(w, "agenda", adr_queue_agenda_reason(q, it));
		if (it->kind == ADR_QUEUE_NEXT_STEP)
			cli_json_str(w, "step", it->step);
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
			cli_json_bool(w, "late_response", it->late_response);
			cli_json_str(w, "action", it->overdue ? "escalate to a meeting" : NULL);
		}
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	adr__json_end_object(w);
	return cli_out_end(&out);
}

/* "  move: A, B" when someone is named. */
static void print_move(const adr_queue_item *it)
{
	if (!it->move.count)
		return;
	printf("  move: ");
	for (size_t i = 0; i < it->move.count; i++)
		printf("%s%s", i ? ", " : "", cli_oneline(it->move.items[i]));
}

/* One line: due date, what, the flags, then whose move it is. */
static void print_item(const adr_queue_item *it, bool kind)
{
	if (kind)
		printf("  %-9s", kind_name(it->kind));
	if (it->kind == ADR_QUEUE_PROPOSAL)
		printf("  %-10s  adr/%s%s  %s  (%lld days, %zu comments, %zu revisions, %zu approve, %zu object)%s%s%s",
		       it->due[0] ? it->due : "-", it->slug,
		       it->merged ? " (merged, not yet decided)" : it->diverged ? " (diverged)"
		       : it->remote ? " (remote)" : "", cli_oneline(it->title),
		       it->age_days, it->comments, it->revisions, it->approvals.count, it->objections.count,
		       it->overdue && !it->merged ? "  OVERDUE: escalate to a meeting" : "",
		       it->late_response && !it->merged ? "  NO FIRST RESPONSE" : "",
		       it->merged ? "  decide it: adr accept or adr reject" : "");
	else if (it->kind == ADR_QUEUE_NEXT_STEP)
		printf("  %-10s  %04d  %s  (%s)  OVERDUE", it->due, it->number, cli_oneline(it->step),
		       cli_oneline(it->title));
	else
		printf("  %-10s  %04d  %s%s", it->due, it->number, cli_oneline(it->title), it->overdue ? "  OVERDUE" : "");
	print_move(it);
	putchar('\n');
}

static void print_text(const shown *s, const char *me)
{
	const adr_queue_kind kinds[] = { ADR_QUEUE_PROPOSAL, ADR_QUEUE_CLEANUP, ADR_QUEUE_REVISIT,
					 ADR_QUEUE_NEXT_STEP };
	const char *heads[] = { "Open proposals", "Records waiting for cleanup (meetings, drafts)", "Due for a revisit",
				"Overdue next steps" };
	bool first = true;
	if (me) {
		if (s->count)
			printf("Your move (%s), by due date:\n", cli_oneline(me));
		for (size_t i = 0; i < s->count; i++)
			print_item(s->items[i], true);
		if (!s->count)
			printf("nothing waiting for %s\n", cli_oneline(me));
		return;
	}
	for (int k = 0; k < 4; k++) {
		bool any = false;
		for (size_t i = 0; i < s->count; i++) {
			if (s->items[i]->kind != kinds[k])
				continue;
			if (!any)
				printf("%s%s:\n", first ? "" : "\n", heads[k]);
			any = true;
			first = false;
			print_item(s->items[i], false);
		}
	}
	if (!s->count)
		printf("nothing waiting\n");
}

int cmd_queue(int argc, const char **argv, cli_ctx *ctx)
{
	int json = 0, check = 0, mine = 0, agenda = 0, rc;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_BOOL_(0, "check", &check, "exit 1 when anything is overdue (for CI)"),
		CLI_OPT_BOOL_(0, "mine", &mine, "only what waits for you (git config user.name), by due date"),
		CLI_OPT_BOOL_(0, "agenda", &agenda, "print a meeting agenda (Markdown) of what needs a meeting"),
		CLI_OPT_END_()
	};
	adr_queue q;
	shown s = { NULL, 0, 0 };
	char *me = NULL;
	adr_buf md = ADR_BUF_INIT;

	argc = cli_parse_options(argc, argv, opts, cmd_queue_usage);
	if (argc != 0)
		return cli_usage_error(cmd_queue_usage, opts, "unexpected argument '%s'", argv[0]);
	if (agenda && (json || mine || check))
		return cli_usage_error(cmd_queue_usage, opts, "--agenda prints the whole agenda in Markdown: "
				       "it takes no --json, --mine or --check");
	if (mine && (rc = adr_repo_user_name(&me, ctx->repo)) < 0)
		return cli_fail(rc);
	if ((rc = adr_queue_build(&q, ctx->repo)) < 0) {
		free(me);
		return cli_fail(rc);
	}
	rc = CLI_OK;
	for (size_t i = 0; i < q.errors.count; i++)
		cli_warning("%s", q.errors.items[i]);
	for (size_t i = 0; i < q.count; i++)
		if (q.items[i].diverged)
			cli_warning("adr/%s and its remote-tracking branch have diverged: both sides' comments are "
				    "counted; run adr sync to combine them", q.items[i].slug);
	if (pick(&s, &q, me) < 0) {
		rc = cli_fail(ADR_ENOMEM);
		goto cleanup;
	}
	if (agenda) {
		if ((rc = adr_queue_agenda(&md, &q)) < 0) {
			rc = cli_fail(rc);
			goto cleanup;
		}
		fputs(md.ptr, stdout);
		rc = CLI_OK;
	} else if (json) {
		rc = print_json(&q, &s, me);
	} else {
		print_text(&s, me);
	}
	if (check && s.overdue) {
		fprintf(stderr, "adr: %zu item%s overdue\n", s.overdue, s.overdue == 1 ? "" : "s");
		rc = CLI_FAIL;
	}
cleanup:
	free(s.items);
	free(me);
	adr_buf_dispose(&md);
	adr_queue_dispose(&q);
	return rc;
}
