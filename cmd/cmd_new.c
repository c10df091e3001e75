#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *const cmd_new_usage[] = {
	"adr new [options] TITLE...",
	NULL
};

typedef struct {
	adr_record *r;
} new_check;

/* Accepts an edited record: it must parse strictly and have a usable title. */
static int check_record(const char *path, const char *text, size_t len, void *payload)
{
	new_check *c = payload;
	adr_record *r = NULL;
	adr_buf slug = ADR_BUF_INIT;
	int rc;

	if ((rc = adr_record_parse(&r, path, text, len, 0)) < 0)
		return rc;
	if ((rc = adr_record_validate(r)) < 0 || (rc = adr_slugify(&slug, r->title)) < 0) {
		adr_record_free(r);
		return rc;
	}
	adr_buf_dispose(&slug);
	adr_record_free(c->r);
	c->r = r;
	return 0;
}

static int parse_link(adr_record *r, const char *arg)
{
	const char *colon = strchr(arg, ':');
	char num[32];
	int n;
	if (!colon || (size_t)(colon - arg) >= sizeof(num))
		return -1;
	memcpy(num, arg, (size_t)(colon - arg));
	num[colon - arg] = '\0';
	if (adr_parse_number(&n, num) < 0)
		return -1;
	return adr_record_add_link(r, colon + 1, n) < 0 ? -1 : 0;
}

int cmd_new(int argc, const char **argv, cli_ctx *ctx)
{
	const char *status = NULL, *tmpl = NULL, *mode = NULL, *urgency = NULL, *complexity = NULL;
	const char *visibility = NULL, *body_file = NULL, *date = NULL;
	adr_strlist tags = ADR_STRLIST_INIT, makers = ADR_STRLIST_INIT, consulted = ADR_STRLIST_INIT,
		    informed = ADR_STRLIST_INIT, supersedes = ADR_STRLIST_INIT, links = ADR_STRLIST_INIT;
	int edit = -1;
	const cli_option opts[] = {
		CLI_OPT_STRING_(0, "status", &status, "STATUS", "proposed, accepted (default), rejected, deprecated or superseded"),
		CLI_OPT_STRING_(0, "template", &tmpl, "NAME", "default, nygard, madr, or one in .adr/templates/"),
		CLI_OPT_STRING_(0, "date", &date, "YYYY-MM-DD", "the date of the decision (default: today)"),
		CLI_OPT_LIST_(0, "tag", &tags, "TAG", "a tag (repeatable)"),
		CLI_OPT_LIST_(0, "decision-maker", &makers, "NAME", "who decided (repeatable)"),
		CLI_OPT_LIST_(0, "consulted", &consulted, "NAME", "who was consulted (repeatable)"),
		CLI_OPT_LIST_(0, "informed", &informed, "NAME", "who is informed (repeatable)"),
		CLI_OPT_STRING_(0, "mode", &mode, "sync|async", "decided in a meeting or in writing"),
		CLI_OPT_STRING_(0, "urgency", &urgency, "low|high", "how urgent it was"),
		CLI_OPT_STRING_(0, "complexity", &complexity, "low|high", "how complex it was"),
		CLI_OPT_STRING_(0, "visibility", &visibility, "V", "public, partner or internal"),
		CLI_OPT_LIST_(0, "supersedes", &supersedes, "N", "a record this one replaces (repeatable)"),
		CLI_OPT_LIST_(0, "link", &links, "N:TYPE", "a link to record N, e.g. 12:amends (repeatable)"),
		CLI_OPT_STRING_(0, "body-file", &body_file, "FILE", "the text below the title, from FILE or - for stdin"),
		CLI_OPT_BOOL_(0, "edit", &edit, "open the record in $VISUAL/$EDITOR before committing (--no-edit: don't)"),
		CLI_OPT_END_()
	};
	adr_op_result res = ADR_OP_RESULT_INIT;
	new_check chk = { NULL };
	adr_buf text = ADR_BUF_INIT, slug = ADR_BUF_INIT;
	char *title = NULL;
	int rc = CLI_FAIL, lrc;
	adr_record *r;

	argc = cli_parse_options(argc, argv, opts, cmd_new_usage);
	if (argc == 0)
		return cli_usage_error(cmd_new_usage, opts, "a title is required");
	title = cli_join(argc, argv);
	/* Everything the user typed is checked before anything is written. */
	if ((lrc = adr_slugify(&slug, title)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}
	if ((lrc = adr_record_from_template(&chk.r, ctx->repo, tmpl, title)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}
	r = chk.r;
	r->status = ADR_STATUS_ACCEPTED;
	if (status && adr_status_parse(&r->status, status) < 0) {
		rc = cli_usage_error(cmd_new_usage, opts, "--status: '%s' is not one of proposed, accepted, rejected, "
							  "deprecated, superseded", status);
		goto cleanup;
	}
	if (date) {
		if (!adr_date_valid(date)) {
			rc = cli_usage_error(cmd_new_usage, opts, "--date: '%s' is not a date (YYYY-MM-DD)", date);
			goto cleanup;
		}
		snprintf(r->date, sizeof(r->date), "%s", date);
	} else if (!r->date[0]) {
		adr_today(r->date);
	}
	if (mode && adr_mode_parse(&r->mode, mode) < 0) {
		rc = cli_usage_error(cmd_new_usage, opts, "--mode: '%s' is not sync or async", mode);
		goto cleanup;
	}
	if (urgency && adr_level_parse(&r->urgency, urgency) < 0) {
		rc = cli_usage_error(cmd_new_usage, opts, "--urgency: '%s' is not low or high", urgency);
		goto cleanup;
	}
	if (complexity && adr_level_parse(&r->complexity, complexity) < 0) {
		rc = cli_usage_error(cmd_new_usage, opts, "--complexity: '%s' is not low or high", complexity);
		goto cleanup;
	}
	if (visibility && adr_visibility_parse(&r->visibility, visibility) < 0) {
		rc = cli_usage_error(cmd_new_usage, opts, "--visibility: '%s' is not public, partner or internal",
				     visibility);
		goto cleanup;
	}
	for (size_t i = 0; i < tags.count; i++)
		adr_strlist_add_unique(&r->tags, tags.items[i]);
	for (size_t i = 0; i < makers.count; i++)
		adr_strlist_add_unique(&r->decision_makers, makers.items[i]);
	for (size_t i = 0; i < consulted.count; i++)
		adr_strlist_add_unique(&r->consulted, consulted.items[i]);
	for (size_t i = 0; i < informed.count; i++)
		adr_strlist_add_unique(&r->informed, informed.items[i]);
	for (size_t i = 0; i < supersedes.count; i++) {
		int n;
		if ((rc = cli_number(&n, supersedes.items[i], cmd_new_usage)) != 0)
			goto cleanup;
		adr_intlist_add_unique(&r->supersedes, n);
	}
	for (size_t i = 0; i < links.count; i++) {
		if (parse_link(r, links.items[i]) < 0) {
			rc = cli_usage_error(cmd_new_usage, opts, "--link: '%s' is not N:TYPE (e.g. 12:amends)",
					     links.items[i]);
			goto cleanup;
		}
	}
	if (body_file && (rc = cli_record_body_from_file(r, body_file, title)) != 0)
		goto cleanup;
	if ((lrc = adr_record_validate(r)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}

	if (edit < 0)
		edit = cli_interactive() && (getenv("VISUAL") || getenv("EDITOR"));
	if (edit) {
		if ((lrc = adr_record_serialize(&text, r)) < 0) {
			rc = cli_fail(lrc);
			goto cleanup;
		}
		if ((rc = cli_edit_loop(&text, ctx->repo, "new", check_record, &chk)) != 0)
			goto cleanup;
		r = chk.r;
	}
	if ((lrc = adr_op_new(&res, ctx->repo, r)) < 0) {
		rc = cli_fail(lrc);
		if (edit && text.size) {
			/* Nothing landed; keep what the user wrote. */
			adr_buf_clear(&text);
			adr_record_serialize(&text, r);
			cli_keep_text(ctx->repo, "new", &text);
		}
		goto cleanup;
	}
	cli_commit_warning(&res.commit);
	printf("%s\n", res.path);
	rc = CLI_OK;
cleanup:
	adr_op_result_dispose(&res);
	adr_record_free(chk.r);
	adr_buf_dispose(&text);
	adr_buf_dispose(&slug);
	adr_strlist_clear(&tags);
	adr_strlist_clear(&makers);
	adr_strlist_clear(&consulted);
	adr_strlist_clear(&informed);
	adr_strlist_clear(&supersedes);
	adr_strlist_clear(&links);
	free(title);
	return rc;
}
