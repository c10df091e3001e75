/* adr propose TITLE: propose a decision on a review branch (what it shares with new: new_record.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

const char *const cmd_propose_usage[] = {
	"adr propose [--deadline 48h|3d|2w|DATE] [--urgency low|high] [--complexity low|high] [--revisit DATE|PERIOD] [--body-file F|-] [--edit|--no-edit] TITLE...",
	"adr propose [--owner NAME] [--reviewer NAME]... TITLE...",
	"adr propose [--visibility public|partner|internal] [--tag TAG]... [other options] TITLE...",
	NULL
};

int cmd_propose(int argc, const char **argv, cli_ctx *ctx)
{
	const char *deadline = NULL, *body_file = NULL, *owner = NULL, *revisit = NULL;
	adr_strlist reviewers = ADR_STRLIST_INIT;
	int edit = -1, urgency = 0, complexity = 0, rc;
	int visibility = 0;
	adr_strlist tags = ADR_STRLIST_INIT;
	const cli_option opts[] = {
		CLI_OPT_STRING_(0, "deadline", &deadline, "WHEN", "comment deadline: 48h, 3d, 2w or YYYY-MM-DD (default from .adr.yaml deadlines)"),
		CLI_OPT_ENUM_(0, "urgency", &urgency, &cli_enum_level, "low|high", "how urgent the decision is"),
		CLI_OPT_ENUM_(0, "complexity", &complexity, &cli_enum_level, "low|high", "how complex the decision is"),
		CLI_OPT_STRING_(0, "revisit", &revisit, "WHEN", "when to review it once decided: YYYY-MM-DD or 30d, 6w, 3m, 1y"),
		CLI_OPT_STRING_(0, "body-file", &body_file, "FILE", "the text below the title, from FILE or - for stdin"),
		CLI_OPT_BOOL_(0, "edit", &edit, "open the proposal in $VISUAL/$EDITOR first (--no-edit: don't)"),
		CLI_OPT_CALLBACK_(0, "owner", &owner, cli_opt_name, "NAME", "who drives it (default: you)"),
		CLI_OPT_CALLBACK_(0, "reviewer", &reviewers, cli_opt_names, "NAME", "whose response is awaited (repeatable)"),
		CLI_OPT_ENUM_(0, "visibility", &visibility, &cli_enum_visibility, "V", "public, partner or internal"),
		CLI_OPT_LIST_(0, "tag", &tags, "TAG", "a tag (repeatable)"),
		CLI_OPT_END_()
	};
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *r = NULL;
	char *title = NULL;

	argc = cli_parse_options(argc, argv, opts, cmd_propose_usage);
	if (argc == 0) {
		adr_strlist_dispose(&reviewers);
		adr_strlist_dispose(&tags);
		return cli_usage_error(cmd_propose_usage, opts, "a title is required");
	}
	if (!(title = cli_join(argc, argv))) {
		adr_strlist_dispose(&reviewers);
		adr_strlist_dispose(&tags);
		return cli_fail(ADR_ENOMEM);
	}
	if ((rc = adr_record_from_template(&r, ctx->repo, NULL, title)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	if (urgency)
		r->urgency = (adr_level)urgency;
	if (complexity)
		r->complexity = (adr_level)complexity;
	if (visibility)
		r->visibility = (adr_visibility)visibility;
	for (size_t i = 0; i < tags.count; i++)
		adr_strlist_add_unique(&r->tags, tags.items[i]);
	if ((rc = adr_deadline(r->review_by, ctx->repo, deadline, r->urgency, r->complexity)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	{
		/* A deadline already passed would put the proposal overdue at once. */
		char today[11];
		adr_today(today);
		if (strcmp(r->review_by, today) < 0) {
			rc = cli_usage_error(cmd_propose_usage, opts, "the deadline %s is in the past (today is %s): give "
					     "a later date, or a duration such as --deadline 3d", r->review_by, today);
			goto cleanup;
		}
	}
	if (revisit && (rc = adr_revisit_date(r->revisit, ctx->repo, revisit, "--revisit")) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	r->mode = ADR_MODE_ASYNC;
	if ((owner && !(r->owner = strdup(owner))) || adr_strlist_copy(&r->reviewers, &reviewers) < 0) {
		rc = cli_fail(ADR_ENOMEM);
		goto cleanup;
	}
	r->status = ADR_STATUS_PROPOSED;
	r->date[0] = '\0';
	if (body_file && (rc = cli_record_body_from_file(r, body_file, title)) != 0)
		goto cleanup;
	if (r->urgency == ADR_LEVEL_HIGH && r->complexity == ADR_LEVEL_HIGH)
		fprintf(stderr, "adr: urgent + complex: better decided in a meeting (adr meeting)\n");
	if ((rc = cli_new_record_commit(&res, ctx->repo, &r, "propose", edit, adr_op_propose)) != CLI_OK)
		goto cleanup;
	printf("adr/%s\n", r->slug);
	fprintf(stderr, "adr: proposed %s on adr/%s, comments until %s\n", res.path, r->slug, r->review_by);
cleanup:
	adr_op_result_dispose(&res);
	adr_record_free(r);
	adr_strlist_dispose(&reviewers);
	adr_strlist_dispose(&tags);
	free(title);
	return rc;
}
