/* adr edit NUMBER: edit a record in the editor; --recover and --discard for kept texts. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"

const char *const cmd_edit_usage[] = {
	"adr edit NUMBER",
	"adr edit --recover [ID]",
	"adr edit --discard ID",
	NULL
};

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* adr edit has no --no-edit to suggest: without an editor it can only say
 * how to name one (cli_run_editor() would suggest --no-edit). */
static int need_editor(void)
{
	if (!cli_editor())
		return cli_error("no editor to edit the record in: set VISUAL or EDITOR (e.g. EDITOR=nano)");
	return 0;
}

/*
 * Edits record `number`, starting from `kept` (a kept text) or from what
 * the branch holds. A kept text that started from another version of the
 * record than the branch holds now is applied only when the user confirms. The edit applies only if the record is still what
 * the branch held when the editing started (compare-and-swap); otherwise
 * nothing is overwritten and the text stays in its file.
 */
static int edit_record(cli_ctx *ctx, int number, const cli_kept *kept)
{
	adr_buf path = ADR_BUF_INIT, base = ADR_BUF_INIT, text = ADR_BUF_INIT;
	adr_op_result res = ADR_OP_RESULT_INIT;
	char name[32];
	int rc;

	/* Found by file name, so a record that no longer parses can be fixed here. */
	if ((rc = adr_repo_record_path(&path, ctx->repo, NULL, number)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	/* What the branch holds now: the edit applies only if it is still that. */
	if ((rc = adr_repo_read_file(&base, ctx->repo, NULL, path.ptr)) < 0) {
		rc = cli_fail(rc);
		goto cleanup;
	}
	if ((rc = need_editor()) != 0)
		goto cleanup;
	snprintf(name, sizeof(name), "%04d", number);
	if (kept && kept->base[0]) {
		char now[13];
		cli_edit_text_id(now, base.ptr, base.size);
		/* Applied over a change made since, the kept text would undo it. */
		if (strcmp(now, kept->base) != 0 &&
		    !cli_confirm("The record changed since this text was written; applying it undoes that change. "
				 "Apply it anyway?", false)) {
			rc = cli_error("%s changed on %s since this text was written, and applying it would undo that "
				       "change: open the record with 'adr edit %d' and bring your text over from '%s'",
				       cli_oneline(path.ptr), adr_repo_branch(ctx->repo), number, cli_oneline(kept->path));
			goto cleanup;
		}
	}
	if (kept) {
		rc = cli_edit_reopen(&text, kept->path, cli_check_record, NULL);
	} else {
		adr_buf_set(&text, base.ptr, base.size);
		rc = cli_edit_loop(&text, ctx->repo, name, cli_check_record, NULL);
	}
	if (rc != 0)
		goto cleanup;
	if ((rc = adr_op_edit(&res, ctx->repo, number, text.ptr, text.size, base.ptr, base.size)) < 0) {
		bool conflict = rc == ADR_ECONFLICT;
		rc = cli_fail(rc);
		cli_keep_text(ctx->repo, name, &text);
		if (conflict)
			fprintf(stderr, "adr: nothing was overwritten; 'adr edit --recover' applies your text to the "
					"record as it is now\n");
		goto cleanup;
	}
	cli_commit_warning(&res.commit);
	if (res.commit.unchanged)
		printf("%s: no changes\n", cli_oneline(res.path));
	else
		printf("%s\n", cli_oneline(res.path));
	rc = CLI_OK;
cleanup:
	adr_op_result_dispose(&res);
	adr_buf_dispose(&path);
	adr_buf_dispose(&base);
	adr_buf_dispose(&text);
	return rc;
}

/* Kept texts for record `number` that no running adr has open: a note, so they are not forgotten. */
static void note_kept(cli_ctx *ctx, int number)
{
	cli_kept_list l = { NULL, 0, 0 };
	char name[32];
	size_t n = 0;
	snprintf(name, sizeof(name), "%04d", number);
	if (cli_kept_list_read(&l, ctx->repo) == 0)
		for (size_t i = 0; i < l.count; i++)
			if (!l.items[i].live && !strcmp(l.items[i].what, name))
				n++;
	if (n)
		fprintf(stderr, "adr: note: %zu kept text%s of %s from an earlier edit (see 'adr edit --recover')\n",
			n, n == 1 ? "" : "s", name);
	cli_kept_list_clear(&l);
}

static int list_kept(cli_ctx *ctx)
{
	cli_kept_list l = { NULL, 0, 0 };
	adr_buf dir = ADR_BUF_INIT;
	int rc;
	if ((rc = cli_kept_list_read(&l, ctx->repo)) != 0)
		goto cleanup;
	if (!l.count) {
		cli_edit_dir(&dir, ctx->repo);
		fprintf(stderr, "adr: no kept texts in %s\n", cli_oneline(dir.ptr));
		goto cleanup;
	}
	for (size_t i = 0; i < l.count; i++) {
		const cli_kept *k = &l.items[i];
		char when[32] = "-";
		time_t t = (time_t)k->mtime;
		struct tm tm;
		if (localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		printf("%zu  %-8s  %s  %8lld bytes  %s%s\n", i + 1, cli_oneline(k->what), when, k->size,
		       cli_oneline(k->path), k->live ? "  (being edited now)" : "");
	}
	printf("\n'adr edit --recover ID' applies one (ID: the number on the left, or the path); "
	       "'adr edit --discard ID' removes one.\n");
cleanup:
	adr_buf_dispose(&dir);
	cli_kept_list_clear(&l);
	return rc;
}

/* The kept text that `id` names (a number from the list or a path); prints the error. */
static const cli_kept *find_kept(const cli_kept_list *l, const char *id)
{
	char want[PATH_MAX], have[PATH_MAX];
	if (all_digits(id)) {
		unsigned long n = strtoul(id, NULL, 10);
		if (n >= 1 && n <= l->count)
			return &l->items[n - 1];
		if (!l->count)
			cli_error("no kept texts: there is no %s to recover", id);
		else
			cli_error("there is no kept text %s (there are %zu; see 'adr edit --recover')", id, l->count);
		return NULL;
	}
	if (realpath(id, want)) {
		for (size_t i = 0; i < l->count; i++)
			if (realpath(l->items[i].path, have) && !strcmp(want, have))
				return &l->items[i];
	}
	cli_error("'%s' is not a kept text (see 'adr edit --recover')", cli_oneline(id));
	return NULL;
}

/* Reads the kept texts and finds ID among them, one that no running adr is
 * editing; says why not otherwise (`refusal` ends that message). */
static int take_kept(cli_kept_list *l, const cli_kept **out, cli_ctx *ctx, const char *id, const char *refusal)
{
	int rc;

	*out = NULL;
	if ((rc = cli_kept_list_read(l, ctx->repo)) != 0)
		return rc;
	if (!(*out = find_kept(l, id)))
		return CLI_FAIL;
	if ((*out)->live)
		return cli_error("'%s' is being edited by another adr (pid %ld); %s", cli_oneline((*out)->path),
				 (*out)->pid, refusal);
	return 0;
}

static int recover(cli_ctx *ctx, const char *id)
{
	cli_kept_list l = { NULL, 0, 0 };
	adr_op_result res = ADR_OP_RESULT_INIT;
	adr_record *r = NULL;
	adr_buf text = ADR_BUF_INIT;
	const cli_kept *k;
	int rc;

	if ((rc = take_kept(&l, &k, ctx, id, "try again when it is done")) != 0)
		goto cleanup;
	if (all_digits(k->what)) {
		int number;
		if (adr_parse_number(&number, k->what) < 0) {
			rc = cli_fail(ADR_EINVALID);
			goto cleanup;
		}
		rc = edit_record(ctx, number, k);
		goto cleanup;
	}
	if (strcmp(k->what, "new") != 0) {
		rc = cli_error("'%s' was written for 'adr %s', which --recover cannot apply: copy the text from "
			       "there, then run 'adr edit --discard %s'", cli_oneline(k->path), cli_oneline(k->what),
			       cli_oneline(k->path));
		goto cleanup;
	}
	/* A record `adr new` did not commit: committed now, numbered as usual. */
	if ((rc = need_editor()) != 0 || (rc = cli_edit_reopen(&text, k->path, cli_check_record, &r)) != 0)
		goto cleanup;
	if ((rc = adr_op_new(&res, ctx->repo, r)) < 0) {
		rc = cli_fail(rc);
		cli_keep_text(ctx->repo, "new", &text);
		goto cleanup;
	}
	cli_commit_warning(&res.commit);
	printf("%s\n", cli_oneline(res.path));
	rc = CLI_OK;
cleanup:
	adr_op_result_dispose(&res);
	adr_record_free(r);
	adr_buf_dispose(&text);
	cli_kept_list_clear(&l);
	return rc;
}

static int discard(cli_ctx *ctx, const char *id)
{
	cli_kept_list l = { NULL, 0, 0 };
	const cli_kept *k;
	int rc;

	if ((rc = take_kept(&l, &k, ctx, id, "nothing was removed")) != 0)
		goto cleanup;
	if (unlink(k->path) < 0) {
		rc = cli_error("cannot remove '%s': %s", cli_oneline(k->path), strerror(errno));
		goto cleanup;
	}
	printf("discarded %s\n", cli_oneline(k->path));
cleanup:
	cli_kept_list_clear(&l);
	return rc;
}

int cmd_edit(int argc, const char **argv, cli_ctx *ctx)
{
	int recover_opt = 0, discard_opt = 0, number, rc;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "recover", &recover_opt, "list kept texts, or apply kept text ID"),
		CLI_OPT_BOOL_(0, "discard", &discard_opt, "remove kept text ID"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_edit_usage);
	if (recover_opt > 0 && discard_opt > 0)
		return cli_usage_error(cmd_edit_usage, opts, "--recover and --discard exclude each other");
	if (discard_opt > 0) {
		if (argc != 1)
			return cli_usage_error(cmd_edit_usage, opts, "--discard takes one kept text (a number or a path)");
		return discard(ctx, argv[0]);
	}
	if (recover_opt > 0) {
		if (argc > 1)
			return cli_usage_error(cmd_edit_usage, opts, "--recover takes at most one kept text");
		return argc ? recover(ctx, argv[0]) : list_kept(ctx);
	}
	if (argc != 1)
		return cli_usage_error(cmd_edit_usage, opts, "expected one record number");
	if ((rc = cli_number(&number, argv[0], cmd_edit_usage)) != 0)
		return rc;
	note_kept(ctx, number);
	return edit_record(ctx, number, NULL);
}
