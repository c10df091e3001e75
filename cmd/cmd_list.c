/* adr list: the decisions, from the search index when it is fresh, else from git. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "duplicates.h"
#include "output.h"
#include "text/json.h"

const char *const cmd_list_usage[] = {
	"adr list [--status STATUS] [--tag TAG] [--revisit-due] [--since DATE] [--until DATE] [--at REV|DATE] [--json]",
	NULL
};

/* --revisit-due, --since, --until: the same test on the index's facts and on records. */
typedef struct {
	const char *since, *until;   /* bounds on the record's date, or NULL */
	int due;                     /* accepted, with a revisit date today or past */
	char today[11];
} list_filter;

static bool list_keeps(const list_filter *lf, bool accepted, const char *date, const char *revisit)
{
	if (lf->since && (!date[0] || strcmp(date, lf->since) < 0))
		return false;
	if (lf->until && (!date[0] || strcmp(date, lf->until) > 0))
		return false;
	return !lf->due || (accepted && revisit[0] && strcmp(revisit, lf->today) <= 0);
}

/* Prints a warning once: refreshing the index and reading the records may
 * both come across the same problem. */
static void list_warn(adr_strlist *seen, const char *w)
{
	if (adr_strlist_contains(seen, w))
		return;
	adr_strlist_add(seen, w); /* out of memory: it may print twice, no worse */
	cli_warning("%s", w);
}

/*
 * The text listing of the decision branch from the search index, when one
 * exists (it is refreshed first; see adr/index.h): reading 10,000 records
 * from git takes longer than from the index. Returns -1 when there is no
 * usable index, so the caller reads git.
 */
static int list_from_index(cli_ctx *ctx, adr_status want, const char *tag, const list_filter *lf,
			   adr_strlist *seen)
{
	adr_index *ix = NULL;
	adr_index_facts facts = { NULL, 0 };
	adr_buf key = ADR_BUF_INIT;
	cli_dups dups = CLI_DUPS_INIT;
	int rc = CLI_OK;

	if ((rc = adr_index_open(&ix, ctx->repo, ADR_INDEX_IF_EXISTS, NULL)) < 0 ||
	    (rc = adr_index_get_facts(&facts, ix)) < 0) {
		/* F15: an index that exists but cannot be written is named once */
		if (rc == ADR_EOS)
			cli_warning("%s; reading git directly", cli_error_text());
		adr_index_free(ix);
		adr_error_clear();
		return -1;
	}
	/* records kept as folders have no rows in the index: git shows them */
	if (adr_index_folder_records(ix)) {
		adr_index_facts_dispose(&facts);
		adr_index_free(ix);
		return -1;
	}
	for (size_t i = 0; i < adr_index_warnings(ix)->count; i++)
		list_warn(seen, adr_index_warnings(ix)->items[i]);
	for (size_t i = 0; i < facts.count && rc == CLI_OK; i++)
		if (!facts.items[i].error)
			rc = cli_dups_add(&dups, facts.items[i].number, facts.items[i].path, facts.items[i].title);
	if (rc != CLI_OK || (rc = cli_dups_done(&dups, ctx->repo)) != CLI_OK)
		goto cleanup;
	if (tag) {
		adr_buf_putc(&key, '\n');
		for (const char *p = tag; *p; p++)
			adr_buf_putc(&key, (char)tolower((unsigned char)*p));
		adr_buf_putc(&key, '\n');
	}
	for (size_t i = 0; i < facts.count; i++) {
		const adr_index_fact *f = &facts.items[i];
		if (f->error) { /* a row of its own, whatever the filters: never left out */
			cli_error("%s", f->error);
			printf("%04d  %-10s  %-10s  %s\n", f->number, "unreadable", "-", cli_oneline(f->error));
			rc = CLI_FAIL;
			continue;
		}
		if (want != ADR_STATUS_NONE && strcmp(f->status, adr_status_name(want)) != 0)
			continue;
		if (tag && !strstr(f->tagkey, key.ptr))
			continue;
		if (!list_keeps(lf, strcmp(f->status, "accepted") == 0, f->date, f->revisit))
			continue;
		for (size_t w = 0; w < f->warnings.count; w++)
			list_warn(seen, f->warnings.items[w]);
		printf("%04d%c %-10s  %-10s  %s\n", f->number, cli_dups_find(&dups, f->path) ? '*' : ' ',
		       f->status[0] ? f->status : "-", f->date[0] ? f->date : "-", cli_oneline(f->title));
	}
	cli_dups_warn(&dups);
cleanup:
	cli_dups_dispose(&dups);
	adr_buf_dispose(&key);
	adr_index_facts_dispose(&facts);
	adr_index_free(ix);
	return rc;
}

/* The row of a record kept as a folder (<slug>/index.md), before 'adr
 * import' converts it: numbered by its folder's name ("----" without
 * one); in JSON with "folder": true. */
static void list_folder(cli_out *out, const adr_record *r)
{
	const char *status = r->status ? adr_status_name(r->status) : (r->status_word ? r->status_word : "-");
	if (out->json) {
		cli_out_record_open(out, r, false);
		cli_json_bool(&out->w, "folder", true);
		adr__json_end_object(&out->w);
	} else if (r->number >= 0)
		printf("%04d  %-10s  %-10s  %s\n", r->number, cli_oneline(status), r->date[0] ? r->date : "-",
		       cli_oneline(r->title));
	else
		printf("----  %-10s  %-10s  %s\n", cli_oneline(status), r->date[0] ? r->date : "-", cli_oneline(r->title));
}

/* The row of a record that could not be read: its number, "unreadable"
 * and the error (text), or its object with an "error" (JSON). */
static void list_unreadable(cli_out *out, const adr_unreadable *u)
{
	if (out->json) {
		cli_out_unreadable_open(out, u);
		adr__json_end_object(&out->w);
	} else if (u->number >= 0)
		printf("%04d  %-10s  %-10s  %s\n", u->number, "unreadable", "-", cli_oneline(u->error));
	else
		printf("----  %-10s  %-10s  %s\n", "unreadable", "-", cli_oneline(u->error));
}

int cmd_list(int argc, const char **argv, cli_ctx *ctx)
{
	const char *tag = NULL, *at = NULL;
	list_filter lf = { NULL, NULL, 0, "" };
	char at_commit[41];
	int json = 0, want = ADR_STATUS_NONE, rc;
	adr_recordset set = ADR_RECORDSET_INIT;
	adr_strlist seen = ADR_STRLIST_INIT;
	const cli_option opts[] = {
		CLI_OPT_ENUM_(0, "status", &want, &cli_enum_status, "STATUS", "only records with this status"),
		CLI_OPT_STRING_(0, "tag", &tag, "TAG", "only records with this tag"),
		CLI_OPT_BOOL_(0, "revisit-due", &lf.due, "only accepted decisions whose revisit date has come"),
		CLI_OPT_CALLBACK_(0, "since", &lf.since, cli_opt_date, "DATE", "only records dated DATE or later"),
		CLI_OPT_CALLBACK_(0, "until", &lf.until, cli_opt_date, "DATE", "only records dated DATE or earlier"),
		CLI_OPT_STRING_(0, "at", &at, "REV|DATE", "the log as it was at revision REV, or at the end of DATE"),
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_END_()
	};
	cli_dups dups = CLI_DUPS_INIT;
	cli_out out;

	argc = cli_parse_options(argc, argv, opts, cmd_list_usage);
	if (argc > 0)
		return cli_usage_error(cmd_list_usage, opts, "unexpected argument '%s'", argv[0]);
	if (lf.since && lf.until && strcmp(lf.since, lf.until) > 0)
		return cli_usage_error(cmd_list_usage, opts, "--since %s is after --until %s", lf.since, lf.until);
	adr_today(lf.today);
	/* A date is the decision branch as it was at the end of that day. */
	if (at && adr_date_valid(at)) {
		if ((rc = adr_branch_at_date(at_commit, ctx->repo, at)) < 0)
			return cli_fail(rc);
		at = at_commit;
	}
	if (!json && !at && (rc = list_from_index(ctx, (adr_status)want, tag, &lf, &seen)) >= 0) {
		adr_strlist_dispose(&seen);
		return rc;
	}
	if ((rc = adr_repo_records(&set, ctx->repo, at, ADR_PARSE_LENIENT)) < 0) {
		adr_strlist_dispose(&seen);
		return cli_fail(rc);
	}
	/* A record that cannot be read is reported; the others are still shown. */
	cli_recordset_report(&set);
	for (size_t i = 0; i < set.count; i++)
		if ((rc = cli_dups_add(&dups, set.items[i]->number, set.items[i]->path, set.items[i]->title)) != CLI_OK)
			goto cleanup;
	if ((rc = cli_dups_done(&dups, ctx->repo)) != CLI_OK)
		goto cleanup;

	cli_out_begin(&out, json);
	cli_out_list_begin(&out);
	for (size_t i = 0, u = 0; i < set.count || u < set.nunreadable; i++) {
		const adr_record *r;
		const cli_dup *dup;
		bool has_tag = !tag;
		/* an unreadable record is a row in its place, whatever the filters */
		if (u < set.nunreadable && (i >= set.count || set.unreadable[u].number < set.items[i]->number)) {
			list_unreadable(&out, &set.unreadable[u++]);
			i--;
			continue;
		}
		r = set.items[i];
		if (want != ADR_STATUS_NONE && r->status != (adr_status)want)
			continue;
		for (size_t t = 0; tag && t < r->tags.count; t++)
			if (strcasecmp(r->tags.items[t], tag) == 0)
				has_tag = true;
		if (!has_tag || !list_keeps(&lf, r->status == ADR_STATUS_ACCEPTED, r->date, r->revisit))
			continue;
		for (size_t w = 0; w < r->warnings.count; w++)
			list_warn(&seen, r->warnings.items[w]);
		dup = cli_dups_find(&dups, r->path);
		if (json) {
			cli_out_record_open(&out, r, false);
			cli_json_bool(&out.w, "duplicate", dup != NULL);
			if (dup && dups.published_known)
				cli_json_bool(&out.w, "published", dup->published);
			adr__json_end_object(&out.w);
		} else
			printf("%04d%c %-10s  %-10s  %s\n", r->number, dup ? '*' : ' ',
			       r->status ? adr_status_name(r->status) : (r->status_word ? cli_oneline(r->status_word) : "-"),
			       r->date[0] ? r->date : "-", cli_oneline(r->title));
	}
	/* records kept as folders, after the others, filtered alike */
	for (size_t i = 0; set.folder_records && i < set.folders.count; i++) {
		const adr_record *r = set.folder_records[i];
		bool has_tag = !tag;
		if (!r || (want != ADR_STATUS_NONE && r->status != (adr_status)want))
			continue;
		for (size_t t = 0; tag && t < r->tags.count; t++)
			if (strcasecmp(r->tags.items[t], tag) == 0)
				has_tag = true;
		if (has_tag && list_keeps(&lf, r->status == ADR_STATUS_ACCEPTED, r->date, r->revisit))
			list_folder(&out, r);
	}
	cli_out_list_end(&out);
	rc = cli_out_end(&out);
	cli_dups_warn(&dups);
	if (set.errors.count)
		rc = CLI_FAIL;
cleanup:
	adr_strlist_dispose(&seen);
	cli_dups_dispose(&dups);
	adr_recordset_dispose(&set);
	return rc;
}
