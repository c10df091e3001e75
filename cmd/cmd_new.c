/* adr new TITLE: record a decision (what it shares with propose: new_record.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *const cmd_new_usage[] = {
	"adr new [options] TITLE...",
	NULL
};

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
	const char *tmpl = NULL, *body_file = NULL, *date = NULL;
	adr_strlist tags = ADR_STRLIST_INIT, makers = ADR_STRLIST_INIT, consulted = ADR_STRLIST_INIT,
		    informed = ADR_STRLIST_INIT, supersedes = ADR_STRLIST_INIT, links = ADR_STRLIST_INIT;
	int edit = -1, status = ADR_STATUS_ACCEPTED, mode = 0, urgency = 0, complexity = 0, visibility = 0;
	const cli_option opts[] = {
		CLI_OPT_ENUM_(0, "status", &status, &cli_enum_status, "STATUS", "proposed, accepted (default), rejected, deprecated or superseded"),
		CLI_OPT_STRING_(0, "template", &tmpl, "NAME", "default, nygard, madr, or one in .adr/templates/"),
		CLI_OPT_CALLBACK_(0, "date", &date, cli_opt_date, "YYYY-MM-DD", "the date of the decision (default: today)"),
		CLI_OPT_LIST_(0, "tag", &tags, "TAG", "a tag (repeatable)"),
		CLI_OPT_LIST_(0, "decision-maker", &makers, "NAME", "who decided (repeatable)"),
		CLI_OPT_LIST_(0, "consulted", &consulted, "NAME", "who was consulted (repeatable)"),
		CLI_OPT_LIST_(0, "informed", &informed, "NAME", "who is informed (repeatable)"),
		CLI_OPT_ENUM_(0, "mode", &mode, &cli_enum_mode, "sync|async", "decided in a meeting or in writing"),
		CLI_OPT_ENUM_(0, "urgency", &urgency, &cli_enum_level, "low|high", "how urgent it was"),
		CLI_OPT_ENUM_(0, "complexity", &complexity, &cli_enum_level, "low|high", "how complex it was"),
		CLI_OPT_ENUM_(0, "visibility", &visibility, &cli_enum_visibility, "V", "public, partner or internal"),
		CLI_OPT_LIST_(0, "supersedes", &supersedes, "N", "a record this one replaces (repeatable)"),
		CLI_OPT_LIST_(0, "link", &links, "N:TYPE", "a link to record N, e.g. 12:amends (repeatable)"),
		CLI_OPT_STRING_(0, "body-file", &body_file, "FILE", "the text below the title, from FILE or - for stdin"),
		CLI_OPT_BOOL_(0, "edit", &edit, "open the record in $VISUAL/$EDITOR before committing (--no-edit: don't)"),
		CLI_OPT_END_()
	};
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_buf slug = ADR_BUF_INIT;
	adr_record *r = NULL;
	char *title = NULL;
	int rc;

	argc = cli_parse_options(argc, argv, opts, cmd_new_usage);
	if (argc == 0)
		return cli_usage_error(cmd_new_usage, opts, "a title is required");
	title = cli_join(argc, argv);
	/* Everything the user typed is checked before anything is written. */
	if ((rc = adr_slugify(&slug, title)) < 0 || (rc = adr_record_from_template(&r, ctx->repo, tmpl, title)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	r->status = (adr_status)status;
	if (date)
		snprintf(r->date, sizeof(r->date), "%s", date);
	else if (!r->date[0])
		adr_today(r->date);
	if (mode)
		r->mode = (adr_mode)mode;
	if (urgency)
		r->urgency = (adr_level)urgency;
	if (complexity)
		r->complexity = (adr_level)complexity;
	if (visibility)
		r->visibility = (adr_visibility)visibility;
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
	if ((rc = adr_record_validate(r)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	if ((rc = cli_new_record_commit(&res, ctx->repo, &r, "new", edit, adr_op_new)) == CLI_OK)
		printf("%s\n", res.path);
cleanup:
	adr_op_result_dispose(&res);
	adr_record_free(r);
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
