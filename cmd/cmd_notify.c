/* adr notify: send a digest of the log to a chat webhook (or print it for mail). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "adr/notify.h"
#include "text/json.h"

const char *const cmd_notify_usage[] = {
	"adr notify [--format markdown|plain] [--since DATE] [--timeout SECONDS] [--dry-run] [--json]",
	"adr notify --format email [--since DATE]",
	NULL
};

#define TIMEOUT_DEFAULT 30L
#define TIMEOUT_MAX 600L

static void print_json(const adr_digest *d, const char *text, bool sent, long status)
{
	cli_out out;
	adr__json_writer *w = &out.w;
	cli_out_begin(&out, true);
	adr__json_begin_object(w);
	cli_json_bool(w, "sent", sent);
	adr__json_key(w, "status");
	if (status)
		adr__json_int(w, status);
	else
		adr__json_null(w);
	cli_json_str(w, "commit", d->commit[0] ? d->commit : NULL);
	cli_json_str(w, "since_commit", d->since_commit[0] ? d->since_commit : NULL);
	cli_json_str(w, "since_date", d->since_date[0] ? d->since_date : NULL);
	adr__json_key(w, "decisions");
	adr__json_begin_array(w);
	for (size_t i = 0; i < d->ndecisions; i++) {
		adr__json_begin_object(w);
		cli_json_int(w, "number", d->decisions[i].number);
		cli_json_str(w, "title", d->decisions[i].title);
		cli_json_str(w, "change", d->decisions[i].change);
		cli_json_str(w, "status", d->decisions[i].status[0] ? d->decisions[i].status : NULL);
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	cli_json_int(w, "items", (long long)d->nlisted);
	adr__json_key(w, "body");
	adr__json_begin_object(w);
	cli_json_str(w, "text", text);
	adr__json_end_object(w);
	adr__json_end_object(w);
	cli_out_end(&out);
}

int cmd_notify(int argc, const char **argv, cli_ctx *ctx)
{
	const char *format = "markdown", *since = NULL, *timeout_arg = NULL;
	int dry_run = 0, json = 0, rc;
	long timeout = TIMEOUT_DEFAULT, status = 0;
	adr_notify_format f;
	adr_digest d = ADR_DIGEST_INIT;
	adr_buf text = ADR_BUF_INIT, body = ADR_BUF_INIT, url = ADR_BUF_INIT;
	const cli_option opts[] = {
		CLI_OPT_STRING_(0, "format", &format, "FORMAT", "markdown (default) or plain to post; email to print a mail"),
		CLI_OPT_CALLBACK_(0, "since", &since, cli_opt_date, "DATE",
				  "list the decisions dated on or after DATE instead of those since the last digest"),
		CLI_OPT_STRING_(0, "timeout", &timeout_arg, "SECONDS", "give up sending after SECONDS (default 30)"),
		CLI_OPT_BOOL_(0, "dry-run", &dry_run, "print the JSON body instead of sending it"),
		CLI_OPT_BOOL_(0, "json", &json, "print JSON: the digest, and whether it was sent"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_notify_usage);
	if (argc != 0)
		return cli_usage_error(cmd_notify_usage, opts, "unexpected argument '%s'", argv[0]);
	if (strcmp(format, "markdown") == 0)
		f = ADR_NOTIFY_MARKDOWN;
	else if (strcmp(format, "plain") == 0)
		f = ADR_NOTIFY_PLAIN;
	else if (strcmp(format, "email") == 0)
		f = ADR_NOTIFY_EMAIL;
	else
		return cli_usage_error(cmd_notify_usage, opts, "unknown value '%s' for --format: expected one of "
				       "markdown, plain, email", format);
	if (timeout_arg) {
		char *end;
		timeout = strtol(timeout_arg, &end, 10);
		if (end == timeout_arg || *end || timeout < 1 || timeout > TIMEOUT_MAX)
			return cli_usage_error(cmd_notify_usage, opts, "--timeout: '%s' is not a number of seconds "
					       "from 1 to %ld", timeout_arg, TIMEOUT_MAX);
	}
	if (f == ADR_NOTIFY_EMAIL && (json || dry_run))
		return cli_usage_error(cmd_notify_usage, opts, "--format email prints the digest: it takes "
				       "neither --json nor --dry-run");

	/* A URL committed to .adr.yaml is refused even when nothing is sent. */
	if ((rc = adr_notify_url(&url, ctx->repo)) < 0 && (rc != ADR_ENOTFOUND || (!dry_run && f != ADR_NOTIFY_EMAIL)))
		goto fail;
	if ((rc = adr_digest_build(&d, ctx->repo, since)) < 0 || (rc = adr_digest_render(&text, &d, f)) < 0 ||
	    (rc = adr_notify_payload(&body, text.ptr)) < 0)
		goto fail;
	rc = CLI_OK;
	if (f == ADR_NOTIFY_EMAIL) {
		if (!adr_digest_empty(&d))
			fputs(text.ptr, stdout);
	} else if (dry_run) {
		if (json)
			print_json(&d, text.ptr, false, 0);
		else
			printf("%s\n", body.ptr);
	} else if (adr_digest_empty(&d)) {
		if (json)
			print_json(&d, text.ptr, false, 0);
		else
			printf("nothing to report: no new decisions, nothing due; nothing sent\n");
	} else {
		if ((rc = adr_notify_post(&status, url.ptr, body.ptr, body.size, timeout)) < 0)
			goto fail;
		if (d.commit[0] && (rc = adr_notify_mark_sent(ctx->repo, d.commit)) < 0) {
			rc = cli_error("the digest was sent (HTTP %ld), but it could not be marked as sent, so the "
				       "next one repeats its decisions: %s", status, cli_error_text());
			goto done;
		}
		rc = CLI_OK;
		if (json)
			print_json(&d, text.ptr, true, status);
		else
			printf("sent the digest: %zu new decision%s, %zu item%s due (HTTP %ld)\n", d.ndecisions,
			       d.ndecisions == 1 ? "" : "s", d.nlisted, d.nlisted == 1 ? "" : "s", status);
	}
	goto done;
fail:
	rc = cli_fail(rc);
done:
	adr_digest_dispose(&d);
	adr_buf_dispose(&text);
	adr_buf_dispose(&body);
	adr_buf_dispose(&url);
	return rc;
}
