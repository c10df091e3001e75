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

/* What the options of `adr new` set on the record. */
typedef struct {
	const char *date;
	int status, mode, urgency, complexity, visibility;
	adr_strlist tags, makers, consulted, informed, supersedes, links;
} new_fields;

static void new_fields_clear(new_fields *f)
{
	adr_strlist_dispose(&f->tags);
	adr_strlist_dispose(&f->makers);
	adr_strlist_dispose(&f->consulted);
	adr_strlist_dispose(&f->informed);
	adr_strlist_dispose(&f->supersedes);
	adr_strlist_dispose(&f->links);
}

/* Sets the fields the user gave on r; 0 or an exit code (printed). */
static int apply_fields(adr_record *r, const new_fields *f, const cli_option *opts)
{
	r->status = (adr_status)f->status;
	if (f->date)
		snprintf(r->date, sizeof(r->date), "%s", f->date);
	else if (!r->date[0])
		adr_today(r->date);
	if (f->mode)
		r->mode = (adr_mode)f->mode;
	if (f->urgency)
		r->urgency = (adr_level)f->urgency;
	if (f->complexity)
		r->complexity = (adr_level)f->complexity;
	/* The quadrant suggests the mode (DESIGN.md): taken when none is given,
	 * and said when the one given differs. */
	if (f->urgency || f->complexity) {
		adr_mode suggested = adr_quadrant_mode(r->urgency, r->complexity);
		if (!f->mode && !r->mode)
			r->mode = suggested;
		else if (suggested && r->mode != suggested)
			fprintf(stderr, "adr: note: %s decisions are usually made %s; recorded as %s\n",
				adr_quadrant_name(r->urgency, r->complexity),
				suggested == ADR_MODE_SYNC ? "in a meeting (sync)" : "in writing (async)",
				adr_mode_name(r->mode));
	}
	if (f->visibility)
		r->visibility = (adr_visibility)f->visibility;
	for (size_t i = 0; i < f->tags.count; i++)
		adr_strlist_add_unique(&r->tags, f->tags.items[i]);
	for (size_t i = 0; i < f->makers.count; i++)
		adr_strlist_add_unique(&r->decision_makers, f->makers.items[i]);
	for (size_t i = 0; i < f->consulted.count; i++)
		adr_strlist_add_unique(&r->consulted, f->consulted.items[i]);
	for (size_t i = 0; i < f->informed.count; i++)
		adr_strlist_add_unique(&r->informed, f->informed.items[i]);
	for (size_t i = 0; i < f->supersedes.count; i++) {
		int n, rc;
		if ((rc = cli_number(&n, f->supersedes.items[i], cmd_new_usage)) != 0)
			return rc;
		adr_intlist_add_unique(&r->supersedes, n);
	}
	for (size_t i = 0; i < f->links.count; i++)
		if (parse_link(r, f->links.items[i]) < 0)
			return cli_usage_error(cmd_new_usage, opts, "--link: '%s' is not N:TYPE (e.g. 12:amends)",
					       f->links.items[i]);
	return CLI_OK;
}

int cmd_new(int argc, const char **argv, cli_ctx *ctx)
{
	const char *tmpl = NULL, *body_file = NULL, *owner = NULL, *revisit = NULL;
	new_fields f = { NULL, ADR_STATUS_ACCEPTED, 0, 0, 0, 0, ADR_STRLIST_INIT, ADR_STRLIST_INIT, ADR_STRLIST_INIT,
			 ADR_STRLIST_INIT, ADR_STRLIST_INIT, ADR_STRLIST_INIT };
	int edit = -1;
	const cli_option opts[] = {
		CLI_OPT_ENUM_(0, "status", &f.status, &cli_enum_status, "STATUS", "proposed, accepted (default), rejected, deprecated or superseded"),
		CLI_OPT_STRING_(0, "template", &tmpl, "NAME", "default, nygard, madr, or one in .adr/templates/"),
		CLI_OPT_CALLBACK_(0, "date", &f.date, cli_opt_date, "YYYY-MM-DD", "the date of the decision (default: today)"),
		CLI_OPT_LIST_(0, "tag", &f.tags, "TAG", "a tag (repeatable)"),
		CLI_OPT_LIST_(0, "decision-maker", &f.makers, "NAME", "who decided (repeatable)"),
		CLI_OPT_CALLBACK_(0, "owner", &owner, cli_opt_name, "NAME", "who drives it and its next steps"),
		CLI_OPT_LIST_(0, "consulted", &f.consulted, "NAME", "who was consulted (repeatable)"),
		CLI_OPT_LIST_(0, "informed", &f.informed, "NAME", "who is informed (repeatable)"),
		CLI_OPT_ENUM_(0, "mode", &f.mode, &cli_enum_mode, "sync|async", "decided in a meeting or in writing"),
		CLI_OPT_ENUM_(0, "urgency", &f.urgency, &cli_enum_level, "low|high", "how urgent it was"),
		CLI_OPT_ENUM_(0, "complexity", &f.complexity, &cli_enum_level, "low|high", "how complex it was"),
		CLI_OPT_ENUM_(0, "visibility", &f.visibility, &cli_enum_visibility, "V", "public, partner or internal"),
		CLI_OPT_STRING_(0, "revisit", &revisit, "WHEN", "when to review it again: YYYY-MM-DD or 30d, 6w, 3m, 1y (default: .adr.yaml revisit)"),
		CLI_OPT_LIST_(0, "supersedes", &f.supersedes, "N", "a record this one replaces (repeatable)"),
		CLI_OPT_LIST_(0, "link", &f.links, "N:TYPE", "a link to record N, e.g. 12:amends (repeatable)"),
		CLI_OPT_STRING_(0, "body-file", &body_file, "FILE", "the text below the title, from FILE or - for stdin"),
		CLI_OPT_BOOL_(0, "edit", &edit, "open the record in $VISUAL/$EDITOR before committing (--no-edit: don't)"),
		CLI_OPT_END_()
	};
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_buf slug = ADR_BUF_INIT;
	adr_record *r = NULL;
	char *title = NULL;
	bool draft;
	int rc;

	argc = cli_parse_options(argc, argv, opts, cmd_new_usage);
	if (argc == 0) {
		new_fields_clear(&f);
		return cli_usage_error(cmd_new_usage, opts, "a title is required");
	}
	if (!(title = cli_join(argc, argv))) {
		rc = cli_fail(ADR_ENOMEM);
		goto cleanup;
	}
	/* Everything the user typed is checked before anything is written. */
	if ((rc = adr_slugify(&slug, title)) < 0 || (rc = adr_record_from_template(&r, ctx->repo, tmpl, title)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	if ((rc = apply_fields(r, &f, opts)) != 0)
		goto cleanup;
	if (owner && !(r->owner = strdup(owner))) {
		rc = cli_fail(ADR_ENOMEM);
		goto cleanup;
	}
	if (revisit && (rc = adr_revisit_date(r->revisit, ctx->repo, revisit, "--revisit")) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	if (body_file && (rc = cli_record_body_from_file(r, body_file, title)) != 0)
		goto cleanup;
	if ((rc = adr_record_validate(r)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	/* No editor and no body: the record is the template's text, a draft
	 * the queue reminds about until an edit finishes it (like a meeting's). */
	draft = !body_file && !cli_will_edit(edit);
	if (draft && !r->cleanup_by[0])
		adr_date_at(r->cleanup_by, adr_now() + 86400);
	if ((rc = cli_new_record_commit(&res, ctx->repo, &r, "new", edit, adr_op_new)) == CLI_OK) {
		printf("%s\n", res.path);
		if (draft)
			fprintf(stderr, "adr: %04d is a draft: it holds the template's placeholder text; finish it with "
				"'adr edit %d' by %s (adr queue lists it until then)\n", res.number, res.number,
				r->cleanup_by);
	}
cleanup:
	adr_op_result_dispose(&res);
	adr_record_free(r);
	adr_buf_dispose(&slug);
	new_fields_clear(&f);
	free(title);
	return rc;
}
