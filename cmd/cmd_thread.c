/* adr thread REF: the discussion of a proposal or decision, as text or JSON. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "output.h"
#include "text/json.h"

const char *const cmd_thread_usage[] = {
	"adr thread REF [--json]",
	NULL
};

static const char *kind_name(adr_event_kind k)
{
	switch (k) {
	case ADR_EVENT_PROPOSED: return "proposed";
	case ADR_EVENT_REVISED: return "revised";
	case ADR_EVENT_COMMENT: return "comment";
	case ADR_EVENT_DECIDED: return "decided";
	}
	return "?";
}

static const char *vote_name(adr_vote v)
{
	return v == ADR_VOTE_APPROVE ? "approve" : v == ADR_VOTE_OBJECT ? "object" : NULL;
}

static void when(char out[32], const adr_event *e)
{
	time_t t = (time_t)(e->time + (long long)e->offset * 60);
	struct tm tm;
	int off = e->offset < 0 ? -e->offset : e->offset;
	char stamp[20];
	gmtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M", &tm);
	snprintf(out, 32, "%s %c%02d%02d", stamp, e->offset < 0 ? '-' : '+', off / 60, off % 60);
}

static int print_json(const adr_thread *t)
{
	cli_out out;
	adr__json_writer *w = &out.w;
	cli_out_begin(&out, true);
	adr__json_begin_object(w);
	cli_json_str(w, "slug", t->slug);
	adr__json_key(w, "number");
	if (t->number > 0)
		adr__json_int(w, t->number);
	else
		adr__json_null(w);
	cli_json_str(w, "status", adr_status_name(t->status));
	cli_json_str(w, "ref", t->ref);
	cli_json_str(w, "diverged_from", t->other);
	adr__json_key(w, "events");
	adr__json_begin_array(w);
	for (size_t i = 0; i < t->count; i++) {
		const adr_event *e = &t->events[i];
		char ts[32];
		when(ts, e);
		adr__json_begin_object(w);
		cli_json_str(w, "kind", kind_name(e->kind));
		cli_json_str(w, "commit", e->commit);
		cli_json_str(w, "author", e->author);
		cli_json_str(w, "email", e->email);
		cli_json_int(w, "time", e->time);
		cli_json_str(w, "date", ts);
		cli_json_str(w, "subject", e->subject);
		cli_json_str(w, "text", e->text);
		cli_json_str(w, "vote", vote_name(e->vote));
		cli_json_str(w, "section", e->section);
		cli_json_strlist(w, "changes", &e->changes);
		cli_json_strlist(w, "outside", &e->outside);
		cli_json_bool(w, "late", e->late);
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	adr__json_end_object(w);
	return cli_out_end(&out);
}

/* "adr/x", "origin/adr/x": a branch as people write it. */
static const char *short_ref(const char *ref)
{
	if (strncmp(ref, "refs/heads/", 11) == 0)
		return ref + 11;
	return strncmp(ref, "refs/remotes/", 13) == 0 ? ref + 13 : ref;
}

int cli_thread_print(adr_repo *repo, const char *ref, bool json)
{
	adr_thread t;
	int rc;

	if ((rc = adr_thread_read(&t, repo, ref)) < 0)
		return cli_fail(rc);
	rc = CLI_OK;
	if (t.other)
		cli_warning("%s and %s have diverged: the thread shows the commits of both; run adr sync to "
			    "combine them", short_ref(t.ref), short_ref(t.other));
	if (json) {
		rc = print_json(&t);
		goto cleanup;
	}
	if (t.number > 0)
		printf("%04d  adr/%s  %s\n", t.number, t.slug, adr_status_name(t.status));
	else
		printf("adr/%s  %s  (%s)\n", t.slug, adr_status_name(t.status), t.ref);
	for (size_t i = 0; i < t.count; i++) {
		const adr_event *e = &t.events[i];
		char ts[32];
		when(ts, e);
		printf("\n%s  %.12s  %s <%s>  %s%s", ts, e->commit, e->author, e->email, e->late ? "late " : "",
		       kind_name(e->kind));
		if (e->vote)
			printf(" (%s)", vote_name(e->vote));
		if (e->section)
			printf(" on section '%s'", e->section);
		if (e->outside.count)
			printf("  [changes files outside the proposal]");
		putchar('\n');
		/* A commit made with plain git: its subject says what it is about. */
		if (e->kind != ADR_EVENT_COMMENT && strncmp(e->subject, "adr: ", 5) != 0)
			printf("    %s\n", e->subject);
		for (size_t k = 0; k < e->changes.count; k++)
			printf("    changed %s\n", e->changes.items[k]);
		for (size_t k = 0; k < e->outside.count && k < 20; k++)
			printf("    outside the proposal: '%s'\n", e->outside.items[k]);
		if (e->outside.count > 20)
			printf("    outside the proposal: %zu more\n", e->outside.count - 20);
		if (e->text && *e->text) {
			const char *p = e->text;
			while (*p) {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);
				printf("    %.*s\n", (int)n, p);
				p += n + (nl ? 1 : 0);
			}
		}
	}
cleanup:
	adr_thread_dispose(&t);
	return rc;
}

int cmd_thread(int argc, const char **argv, cli_ctx *ctx)
{
	int json = 0;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_END_()
	};
	argc = cli_parse_options(argc, argv, opts, cmd_thread_usage);
	if (argc != 1)
		return cli_usage_error(cmd_thread_usage, opts, "expected one proposal or record number");
	return cli_thread_print(ctx->repo, argv[0], json);
}
