/* adr show NUMBER: one decision, its fields, linked commits and text. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "duplicates.h"
#include "output.h"
#include "adr/links.h"
#include "text/json.h"

const char *const cmd_show_usage[] = {
	"adr show NUMBER [--json]",
	"adr show SLUG|BRANCH [--json]",
	"adr show REF --thread [--json]",
	NULL
};

static const char *title_of(const adr_recordset *set, int number)
{
	int i = adr_recordset_find(set, number);
	return i >= 0 ? set->items[i]->title : "(missing)";
}

static void print_list(const char *label, const adr_strlist *l)
{
	if (!l->count)
		return;
	printf("%-16s ", label);
	for (size_t i = 0; i < l->count; i++)
		printf("%s%s", i ? ", " : "", cli_oneline(l->items[i]));
	putchar('\n');
}

static void print_refs(const char *label, const adr_intlist *l, const adr_recordset *set)
{
	for (size_t i = 0; i < l->count; i++)
		printf("%-16s %04d %s\n", i ? "" : label, l->items[i], cli_oneline(title_of(set, l->items[i])));
}

/* The commits linked to the record (Refs: trailers, adr's Adr-Commit: links). */
static void print_commits(const adr_commit_links *links, const adr_record *r)
{
	bool first = true;
	for (size_t k = 0; k < links->count; k++) {
		char date[48];
		if (!adr_commit_link_is(&links->items[k], r))
			continue;
		adr_commit_link_date(date, &links->items[k]);
		printf("%-16s %.12s %s (%s, %.10s)\n", first ? "implemented-by:" : "", links->items[k].commit,
		       cli_oneline(links->items[k].subject), cli_oneline(links->items[k].author),
		       links->items[k].time ? date : "-");
		first = false;
	}
}

/* A number two records share names no one record: refuse, naming both
 * (which is published) and the fix, rather than show one of them. */
static int refuse_duplicate(adr_repo *repo, const adr_recordset *set, int number)
{
	cli_dups dups = CLI_DUPS_INIT;
	adr_buf msg = ADR_BUF_INIT;
	int rc = CLI_OK;
	for (size_t i = 0; i < set->count && rc == CLI_OK; i++)
		if (set->items[i]->number == number)
			rc = cli_dups_add(&dups, number, set->items[i]->path, set->items[i]->title);
	if (rc == CLI_OK && (rc = cli_dups_done(&dups, repo)) == CLI_OK && dups.count) {
		cli_dups_message(&msg, &dups, number);
		rc = cli_error("%s", adr_buf_oom(&msg) ? "out of memory" : msg.ptr);
	}
	adr_buf_dispose(&msg);
	cli_dups_dispose(&dups);
	return rc;
}

/* The reviews of the record (adr revisit), newest first. */
static void print_reviews(const adr_reviews *rv, const adr_record *r)
{
	bool first = true;
	for (size_t k = 0; k < rv->count; k++) {
		const adr_review *v = &rv->items[k];
		char day[11];
		if (v->record != r->number)
			continue;
		adr_date_at(day, v->time);
		printf("%-16s %s by %s, next %s%s%s\n", first ? "reviewed:" : "", day, cli_oneline(v->author),
		       v->next[0] ? v->next : "-", v->note[0] ? ": " : "", cli_oneline(v->note));
		first = false;
	}
}

/* The record's JSON with "commits" and "reviews" lists added. */
static int print_json(const adr_record *r, const adr_commit_links *links, const adr_reviews *rv)
{
	cli_out out;
	cli_out_begin(&out, true);
	cli_out_record_open(&out, r, true);
	adr__json_key(&out.w, "commits");
	adr__json_begin_array(&out.w);
	for (size_t k = 0; k < links->count; k++)
		if (adr_commit_link_is(&links->items[k], r))
			cli_out_commit_link(&out, &links->items[k], true);
	adr__json_end_array(&out.w);
	adr__json_key(&out.w, "reviews");
	adr__json_begin_array(&out.w);
	for (size_t k = 0; k < rv->count; k++) {
		char day[11];
		if (rv->items[k].record != r->number)
			continue;
		adr_date_at(day, rv->items[k].time);
		adr__json_begin_object(&out.w);
		cli_json_str(&out.w, "commit", rv->items[k].commit);
		cli_json_str(&out.w, "date", day);
		cli_json_str(&out.w, "author", rv->items[k].author);
		cli_json_str(&out.w, "next", rv->items[k].next[0] ? rv->items[k].next : NULL);
		cli_json_str(&out.w, "note", rv->items[k].note);
		adr__json_end_object(&out.w);
	}
	adr__json_end_array(&out.w);
	adr__json_end_object(&out.w);
	return cli_out_end(&out);
}

/* The record's fields, one a line, its linked commits, then its text. */
static void print_text(const adr_record *r, const adr_recordset *set, const adr_commit_links *links,
		       const adr_reviews *rv)
{
	if (r->number >= 0)
		printf("%04d  %s\n", r->number, cli_oneline(r->title));
	else /* a record kept as a folder without a number (show_folder) */
		printf("----  %s\n", cli_oneline(r->title));
	printf("%-16s %s\n", "path:", cli_oneline(r->path));
	printf("%-16s %s\n", "status:",
	       r->status ? adr_status_name(r->status) : (r->status_word ? cli_oneline(r->status_word) : "-"));
	if (r->date[0])
		printf("%-16s %s\n", "date:", r->date);
	if (r->owner)
		printf("%-16s %s\n", "owner:", cli_oneline(r->owner));
	print_list("decision-makers:", &r->decision_makers);
	print_list("consulted:", &r->consulted);
	print_list("informed:", &r->informed);
	if (r->mode)
		printf("%-16s %s\n", "mode:", adr_mode_name(r->mode));
	if (r->urgency)
		printf("%-16s %s\n", "urgency:", adr_level_name(r->urgency));
	if (r->complexity)
		printf("%-16s %s\n", "complexity:", adr_level_name(r->complexity));
	if (r->review_by[0])
		printf("%-16s %s\n", "review-by:", r->review_by);
	if (r->revisit[0])
		printf("%-16s %s\n", "revisit:", r->revisit);
	if (r->cleanup_by[0])
		printf("%-16s %s\n", "cleanup-by:", r->cleanup_by);
	print_refs("supersedes:", &r->supersedes, set);
	print_refs("superseded-by:", &r->superseded_by, set);
	for (size_t k = 0; k < r->nlinks; k++)
		printf("%-16s %s %04d %s\n", k ? "" : "links:", r->links[k].type, r->links[k].target,
		       cli_oneline(title_of(set, r->links[k].target)));
	print_list("tags:", &r->tags);
	if (r->visibility)
		printf("%-16s %s\n", "visibility:", adr_visibility_name(r->visibility));
	print_list("affects:", &r->affects);
	print_commits(links, r);
	print_reviews(rv, r);
	printf("\n%s", r->body);
	if (r->body[0] && r->body[strlen(r->body) - 1] != '\n')
		putchar('\n');
}

/* --- a proposal: adr show SLUG, adr show adr/<slug> ------------------------ */

static const char *short_ref(const char *ref)
{
	if (strncmp(ref, "refs/heads/", 11) == 0)
		return ref + 11;
	return strncmp(ref, "refs/remotes/", 13) == 0 ? ref + 13 : ref;
}

static int proposal_json(const adr_proposal *p)
{
	cli_out out;
	adr__json_writer *w = &out.w;
	cli_out_begin(&out, true);
	cli_out_record_open(&out, p->record, true);
	adr__json_key(w, "proposal");
	adr__json_begin_object(w);
	cli_json_str(w, "slug", p->slug);
	cli_json_str(w, "branch", short_ref(p->ref));
	cli_json_str(w, "ref", p->ref);
	cli_json_str(w, "tip", p->tip);
	cli_json_bool(w, "remote", p->remote);
	cli_json_bool(w, "behind", p->behind);
	cli_json_bool(w, "diverged", p->diverged);
	cli_json_str(w, "diverged_from", p->other);
	cli_json_bool(w, "merged", p->merged);
	cli_json_int(w, "proposed", p->created);
	cli_json_int(w, "comments", (long long)p->comments);
	cli_json_int(w, "revisions", (long long)p->revisions);
	cli_json_strlist(w, "approvals", &p->approvals);
	cli_json_strlist(w, "objections", &p->objections);
	adr__json_end_object(w);
	adr__json_end_object(w);
	return cli_out_end(&out);
}

static void proposal_text(const adr_proposal *p)
{
	const adr_record *r = p->record;
	char day[11];
	printf("adr/%s  %s\n", p->slug, cli_oneline(r->title));
	printf("%-16s %s%s\n", "branch:", short_ref(p->ref),
	       p->merged ? " (merged by plain git, not yet decided: adr accept or adr reject decides it)"
	       : p->diverged ? " (diverged: run adr sync)" : "");
	if (p->diverged)
		printf("%-16s %s\n", "and:", short_ref(p->other));
	printf("%-16s %s\n", "path:", cli_oneline(p->path));
	printf("%-16s %s\n", "status:", r->status ? adr_status_name(r->status) : "-");
	if (p->created) {
		adr_date_at(day, p->created);
		printf("%-16s %s\n", "proposed:", day);
	}
	printf("%-16s %s\n", "review-by:", r->review_by[0] ? r->review_by : "-");
	if (r->owner)
		printf("%-16s %s\n", "owner:", cli_oneline(r->owner));
	print_list("reviewers:", &r->reviewers);
	print_list("decision-makers:", &r->decision_makers);
	print_list("consulted:", &r->consulted);
	print_list("informed:", &r->informed);
	printf("%-16s %zu\n", "comments:", p->comments);
	printf("%-16s %zu\n", "revisions:", p->revisions);
	print_list("approve:", &p->approvals);
	print_list("object:", &p->objections);
	print_list("tags:", &r->tags);
	printf("\n%s", r->body);
	if (r->body[0] && r->body[strlen(r->body) - 1] != '\n')
		putchar('\n');
}

/* REF is not a number: a proposal (with its tallies), by slug or branch.
 * One that was decided: *number gets its record, to be shown as such, and
 * -1 is returned. */
static int show_proposal(adr_repo *repo, const char *ref, bool json, int *number)
{
	adr_proposal p;
	adr_thread t;
	int rc;

	adr_error_clear();
	if (adr_thread_read(&t, repo, ref) == 0) {
		int n = t.number;
		adr_thread_dispose(&t);
		if (n > 0) {
			*number = n;
			return -1;
		}
	}
	adr_error_clear();
	if ((rc = adr_proposal_find(&p, repo, ref, true)) < 0) {
		if (rc != ADR_ENOTFOUND)
			return cli_fail(rc);
		return cli_usage_error(cmd_show_usage, NULL, "'%s' is not a record number, and no proposal matches it "
				       "(no local or remote-tracking adr/%s branch)", ref,
				       strncmp(ref, "adr/", 4) == 0 ? ref + 4 : ref);
	}
	if (!p.record)
		rc = cli_error("%s", p.error ? p.error : "cannot read the proposal");
	else if (json)
		rc = proposal_json(&p);
	else
		proposal_text(&p);
	if (p.record && p.diverged)
		cli_warning("%s and %s have diverged: the counts are of both; run adr sync to combine them",
			    short_ref(p.ref), short_ref(p.other));
	adr_proposal_dispose(&p);
	return rc;
}

/*
 * Record `number` when it could not be read: its error was said (stderr);
 * this prints its file as committed (text), or its object with the error
 * and the file as "raw" (JSON), and fails. -1 when it is not unreadable.
 */
static int show_unreadable(adr_repo *repo, const adr_recordset *set, int number, bool json)
{
	const adr_unreadable *u = NULL;
	adr_buf raw = ADR_BUF_INIT;
	cli_out out;
	int rc;

	for (size_t k = 0; k < set->nunreadable && !u; k++)
		if (set->unreadable[k].number == number)
			u = &set->unreadable[k];
	if (!u)
		return -1;
	if ((rc = adr_repo_read_file(&raw, repo, set->commit, u->path)) < 0) {
		adr_buf_dispose(&raw);
		return cli_fail(rc);
	}
	if (json) {
		cli_out_begin(&out, true);
		cli_out_unreadable_open(&out, u);
		cli_json_str(&out.w, "raw", raw.ptr);
		adr__json_end_object(&out.w);
		cli_out_end(&out);
	} else {
		printf("%04d  %s: could not be read\n\n%s", number, u->path, raw.ptr);
		if (raw.size && raw.ptr[raw.size - 1] != '\n')
			putchar('\n');
	}
	adr_buf_dispose(&raw);
	return CLI_FAIL;
}

/*
 * A record kept as a folder (<slug>/index.md), before 'adr import' converts
 * it: the one whose folder is named `ref` (or whose number is `number`,
 * when ref is NULL), shown as read (the caller gives the warning that
 * names the folders). -1 when none matches.
 */
static int show_folder(const adr_recordset *set, const char *ref, int number, bool json)
{
	adr_commit_links links = ADR_COMMIT_LINKS_INIT;
	adr_reviews reviews = ADR_REVIEWS_INIT;
	size_t dirlen;

	for (size_t i = 0; set->folder_records && i < set->folders.count; i++) {
		const adr_record *r = set->folder_records[i];
		const char *folder = set->folders.items[i], *end = strrchr(folder, '/'), *start = end;
		if (!r || !end)
			continue;
		while (start > folder && start[-1] != '/')
			start--;
		dirlen = (size_t)(end - start);
		if (ref ? strlen(ref) != dirlen || strncmp(ref, start, dirlen) : r->number != number)
			continue;
		if (json)
			return print_json(r, &links, &reviews);
		print_text(r, set, &links, &reviews);
		return CLI_OK;
	}
	return -1;
}

int cmd_show(int argc, const char **argv, cli_ctx *ctx)
{
	adr_commit_links links = ADR_COMMIT_LINKS_INIT;
	adr_reviews reviews = ADR_REVIEWS_INIT;
	int json = 0, thread = 0, rc, number, i;
	adr_recordset set = ADR_RECORDSET_INIT;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_BOOL_(0, "thread", &thread, "show the discussion thread (REF: number, slug or branch)"),
		CLI_OPT_END_()
	};
	const adr_record *r;

	argc = cli_parse_options(argc, argv, opts, cmd_show_usage);
	if (argc != 1)
		return cli_usage_error(cmd_show_usage, opts, "expected one record number or proposal");
	if (thread)
		return cli_thread_print(ctx->repo, argv[0], json);
	if (adr_parse_number(&number, argv[0]) < 0) {
		/* the name of a record kept as a folder, before import */
		if ((rc = adr_repo_records(&set, ctx->repo, NULL, ADR_PARSE_LENIENT)) < 0)
			return cli_fail(rc);
		if ((rc = show_folder(&set, argv[0], -1, json)) >= 0)
			cli_recordset_report(&set);
		adr_recordset_dispose(&set);
		if (rc >= 0)
			return rc;
		if ((rc = show_proposal(ctx->repo, argv[0], json, &number)) >= 0)
			return rc;
	} else if ((rc = cli_number(&number, argv[0], cmd_show_usage)) != 0) {
		return rc;
	}
	if ((rc = adr_repo_records(&set, ctx->repo, NULL, ADR_PARSE_LENIENT)) < 0)
		return cli_fail(rc);
	/* A record that cannot be read is reported; the others are still shown. */
	cli_recordset_report(&set);
	if ((i = adr_recordset_find(&set, number)) < 0) {
		if ((rc = show_unreadable(ctx->repo, &set, number, json)) >= 0 ||
		    (rc = show_folder(&set, NULL, number, json)) >= 0)
			goto cleanup;
		if (set.errors.count) {
			rc = CLI_FAIL;
			goto cleanup;
		}
		rc = cli_error("record %04d does not exist on %s", number, adr_repo_branch(ctx->repo));
		goto cleanup;
	}
	if ((rc = refuse_duplicate(ctx->repo, &set, number)) != CLI_OK)
		goto cleanup;
	r = set.items[i];
	for (size_t w = 0; w < r->warnings.count; w++)
		cli_warning("%s", r->warnings.items[w]);
	if ((rc = adr_links_walk(&links, ctx->repo)) < 0 || (rc = adr_reviews_read(&reviews, ctx->repo, NULL)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	/* References to this number that belong to no record (adr/links.h). */
	for (size_t k = 0; k < links.nproblems; k++)
		if (links.problems[k].written == number)
			cli_warning("%s", links.problems[k].message);
	rc = CLI_OK;
	if (json) {
		rc = print_json(r, &links, &reviews);
		goto cleanup;
	}
	print_text(r, &set, &links, &reviews);
cleanup:
	adr_commit_links_dispose(&links);
	adr_reviews_dispose(&reviews);
	adr_recordset_dispose(&set);
	return rc;
}
