/*
 * adr hook NAME [-- ARGS...]: what the installed git hooks run.
 *
 * Never in the way: it always exits 0 (only a usage error exits 2, and the
 * hook scripts ignore adr's status), prints at most one line when there is
 * no terminal, and asks questions only on /dev/tty, only when it opens, and
 * only after a plain commit (not during a rebase, cherry-pick, revert,
 * merge or amend). Nothing is written from prepare-commit-msg or commit-msg
 * except the hint comment in the message file; the record is written from
 * post-commit, after git has moved HEAD and released the index.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "adr/capture.h"
#include "adr/check.h"
#include "adr/hooks.h"
#include "adr/links.h"
#include "adr/proposal.h"

const char *const cmd_hook_usage[] = {
	"adr hook prepare-commit-msg|commit-msg|post-commit|pre-push|post-merge [--] ARGS...",
	NULL
};

/* One line on stderr, the whole output of a hook that cannot ask. */
static void note(const char *hook, const char *msg)
{
	fprintf(stderr, "adr: %s: %s\n", hook, msg);
}

static int prepare_commit_msg(adr_repo *repo, int argc, const char **argv, const char *index_path)
{
	bool added;
	if (argc < 1)
		return 0;
	/* A failure here only loses the hint; post-commit reports what is wrong. */
	(void)adr_hooks_prepare_msg(&added, repo, argv[0], argc > 1 ? argv[1] : NULL, index_path);
	return 0;
}

static int commit_msg(adr_repo *repo, int argc, const char **argv)
{
	adr_buf msg = ADR_BUF_INIT, path = ADR_BUF_INIT, missing = ADR_BUF_INIT;
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	adr_intlist refs = ADR_INTLIST_INIT;
	const char *trailer = adr_hooks_trailer_name(repo);

	if (argc < 1)
		return 0;
	if (cli_read_file(&msg, argv[0], 1024 * 1024) != 0)
		goto cleanup;
	if (adr_message_trailers(&keys, &values, msg.ptr) < 0)
		goto cleanup;
	for (size_t i = 0; i < keys.count; i++)
		if (strcasecmp(keys.items[i], trailer) == 0)
			adr_refs_parse(&refs, values.items[i]);
	/* A link to a record that does not exist is reported, never refused. */
	for (size_t i = 0; i < refs.count; i++) {
		int rc;
		adr_buf_clear(&path);
		rc = adr_repo_record_path(&path, repo, NULL, refs.items[i]);
		if (rc == ADR_ENOTFOUND) {
			adr_buf_printf(&missing, "%sADR-%04d", missing.size ? ", " : "", refs.items[i]);
		} else if (rc < 0) {
			/* Still one line, and still never in the way. */
			fprintf(stderr, "adr: commit-msg: cannot check ADR-%04d: %s (the commit is made anyway)\n",
				refs.items[i], cli_error_text());
			goto cleanup;
		}
	}
	if (missing.size)
		fprintf(stderr, "adr: commit-msg: %s: no such record on %s (the commit is made anyway)\n",
			missing.ptr, adr_repo_branch(repo));
cleanup:
	adr_buf_dispose(&msg);
	adr_buf_dispose(&path);
	adr_buf_dispose(&missing);
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	adr_intlist_dispose(&refs);
	return 0;
}

/* Reads one line from the terminal without its newline; false at EOF. */
static bool ask(FILE *tty, const char *prompt, char *line, size_t size)
{
	size_t n;
	fputs(prompt, tty);
	fflush(tty);
	if (!fgets(line, (int)size, tty))
		return false;
	n = strlen(line);
	if (n && line[n - 1] == '\n') {
		line[--n] = '\0';
	} else {
		int c;
		while ((c = fgetc(tty)) != EOF && c != '\n')
			;
	}
	if (n && line[n - 1] == '\r')
		line[--n] = '\0';
	return true;
}

static void record_decision(FILE *tty, adr_repo *repo, const adr_hook_commit *hc, adr_status status)
{
	char title[1024], text[4096], prompt[1200];
	adr_record *r = NULL;
	adr_op_result res = ADR_OP_RESULT_INIT;
	/* The trailer value comes unfolded (one line) from adr_hooks_head(). */
	const char *prefill = hc->decision && !hc->opt_out && *hc->decision ? hc->decision : hc->subject;
	int rc = -1;

	for (int attempt = 0; attempt < 3; attempt++) {
		adr_buf slug = ADR_BUF_INIT;
		snprintf(prompt, sizeof(prompt), "Title [%.1000s]: ", prefill);
		if (!ask(tty, prompt, title, sizeof(title)))
			return;
		if (!title[0])
			snprintf(title, sizeof(title), "%s", prefill);
		rc = adr_slugify(&slug, title);
		adr_buf_dispose(&slug);
		if (rc == 0)
			break;
		fprintf(tty, "adr: %s\n", cli_error_text());
	}
	if (rc < 0)
		return;
	if (!ask(tty, "Decision (one paragraph; Enter to fill it in later): ", text, sizeof(text)))
		return;
	if ((rc = adr_capture_record(&r, repo, title, status, text)) < 0)
		goto cleanup;
	if (status == ADR_STATUS_PROPOSED) {
		/* A real proposal, as `adr propose` makes it: its own branch and a
		 * deadline, in the queue until `adr accept` or `adr reject`. */
		r->mode = ADR_MODE_ASYNC;
		r->date[0] = '\0';
		if ((rc = adr_deadline(r->review_by, repo, NULL, r->urgency, r->complexity)) < 0 ||
		    (rc = adr_op_propose(&res, repo, r)) < 0)
			goto cleanup;
		fprintf(tty, "adr: proposed %s on adr/%s, comments until %s (decide it with 'adr accept %s')\n",
			res.path, r->slug, r->review_by, r->slug);
	} else {
		if ((rc = adr_hooks_record(&res, repo, r, hc->id)) < 0)
			goto cleanup;
		fprintf(tty, "adr: recorded %04d in %s, linked to commit %.7s\n", res.number, res.path, hc->id);
		if (r->cleanup_by[0])
			fprintf(tty, "adr: finish it with 'adr edit %d' by %s (adr queue lists it until then)\n",
				res.number, r->cleanup_by);
	}
	if (res.commit.warning)
		fprintf(tty, "adr: warning: %s\n", res.commit.warning);
cleanup:
	if (rc < 0)
		fprintf(tty, "adr: %s (nothing was recorded; `adr new` records it later)\n", cli_error_text());
	adr_op_result_dispose(&res);
	adr_record_free(r);
}

static void link_decision(FILE *tty, adr_repo *repo, const adr_hook_commit *hc)
{
	char line[64];
	adr_op_result res = ADR_OP_RESULT_INIT;
	int number;
	if (!ask(tty, "Which decision does this commit implement? Record number (Enter to skip): ", line, sizeof(line)) || !line[0])
		return;
	if (adr_parse_number(&number, line) < 0 || number <= 0) {
		fprintf(tty, "adr: '%s' is not a record number (nothing was linked)\n", line);
		return;
	}
	if (adr_hooks_link(&res, repo, number, hc->id) < 0)
		fprintf(tty, "adr: %s (nothing was linked)\n", cli_error_text());
	else
		fprintf(tty, "adr: linked %04d to commit %.7s\n", number, hc->id);
	adr_op_result_dispose(&res);
}

static int post_commit(adr_repo *repo)
{
	adr_hook_commit hc = ADR_HOOK_COMMIT_INIT;
	char answer[64];
	FILE *tty = NULL;
	int fd;

	if (adr_hooks_head(&hc, repo) < 0) {
		note("post-commit", cli_error_text());
		goto cleanup;
	}
	if (hc.skip || hc.opt_out || (!hc.decision && (!hc.watched.count || hc.refs.count)))
		goto cleanup;
	fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 || !(tty = fdopen(fd, "r+"))) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "adr: commit %.7s %s; no terminal to ask on, record it with `adr new`\n", hc.id,
			hc.decision ? "carries a Decision: trailer" : "touches watched paths");
		goto cleanup;
	}
	/* The terminal is opened directly, so the commit's text is escaped here (output.h). */
	fprintf(tty, "\nadr: commit %.7s \"%s\"", hc.id, cli_oneline(hc.subject));
	if (hc.decision)
		fprintf(tty, " says \"Decision: %s\"\n", cli_oneline(hc.decision));
	else
		fprintf(tty, " touches watched paths:\n");
	for (size_t i = 0; i < hc.watched.count && i < 10; i++)
		fprintf(tty, "  %s\n", cli_oneline(hc.watched.items[i]));
	if (hc.watched.count > 10)
		fprintf(tty, "  ... and %zu more\n", hc.watched.count - 10);
	if (!ask(tty, "Record a decision? [p]roposal, [a]ccepted, [l]ink to an existing one, [s]kip: ", answer,
		 sizeof(answer)))
		goto cleanup;
	switch (answer[0]) {
	case 'p': case 'P':
		record_decision(tty, repo, &hc, ADR_STATUS_PROPOSED);
		break;
	case 'a': case 'A':
		record_decision(tty, repo, &hc, ADR_STATUS_ACCEPTED);
		break;
	case 'l': case 'L':
		link_decision(tty, repo, &hc);
		break;
	default:
		fprintf(tty, "adr: skipped\n");
		break;
	}
cleanup:
	if (tty)
		fclose(tty);
	adr_hook_commit_dispose(&hc);
	return 0;
}

/* The findings of pre-push / post-merge, one warning line each, and the fix once. */
static void warn_duplicates(const char *hook, const adr_findings *f, const char *fix)
{
	for (size_t i = 0; i < f->count; i++)
		fprintf(stderr, "adr: %s: warning: %s\n", hook, cli_oneline(f->items[i].message));
	if (f->count)
		fprintf(stderr, "adr: %s: %s\n", hook, fix);
}

/* Warns about duplicate numbers in what is pushed; never blocks the push. */
static int pre_push(adr_repo *repo, int argc, const char **argv)
{
	adr_findings f = ADR_FINDINGS_INIT;
	adr_buf in = ADR_BUF_INIT;
	if (cli_read_file(&in, "-", 1024 * 1024) != 0)
		goto cleanup;
	if (adr_hooks_pre_push(&f, repo, argc > 0 ? argv[0] : "the remote", in.ptr) < 0)
		note("pre-push", adr_error_last());
	warn_duplicates("pre-push", &f,
			"the push goes on; to fix it, run 'adr renumber' (a published record keeps its number) and "
			"push again, or share with 'adr sync', which renumbers before it pushes");
cleanup:
	adr_findings_dispose(&f);
	adr_buf_dispose(&in);
	return 0;
}

/* Says when a pull brought duplicate numbers, and how to fix them. */
static int post_merge(adr_repo *repo)
{
	adr_findings f = ADR_FINDINGS_INIT;
	if (adr_hooks_post_merge(&f, repo) < 0)
		note("post-merge", adr_error_last());
	warn_duplicates("post-merge", &f,
			"the merge brought duplicate numbers; run 'adr renumber' (a published record keeps its "
			"number), then share with 'adr sync' or git push");
	adr_findings_dispose(&f);
	return 0;
}

int cmd_hook(int argc, const char **argv, cli_ctx *ctx)
{
	adr_repo *repo = NULL;
	const char *name, *env;
	char *index_path = NULL;
	int i = 2, rc;
	bool known = false;

	(void)ctx;
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		cli_help(cmd_hook_usage, NULL);
		return CLI_OK;
	}
	if (argc < 2)
		return cli_usage_error(cmd_hook_usage, NULL, "which hook?");
	name = argv[1];
	for (size_t k = 0; adr_hook_names[k]; k++)
		if (strcmp(adr_hook_names[k], name) == 0)
			known = true;
	if (!known)
		return cli_usage_error(cmd_hook_usage, NULL, "'%s' is not a hook adr handles", name);
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	/* git points GIT_INDEX_FILE at the index being committed (maybe index.lock):
	 * read it for the staged paths, but never let the repository write it. */
	if ((env = getenv("GIT_INDEX_FILE")) && !(index_path = strdup(env)))
		return CLI_OK;
	unsetenv("GIT_INDEX_FILE");
	if ((rc = adr_repo_open(&repo, NULL)) < 0) {
		/* Said once per commit: by post-commit, which runs last. */
		if (strcmp(name, "post-commit") == 0)
			note(name, cli_error_text());
		free(index_path);
		return CLI_OK;
	}
	if (strcmp(name, "prepare-commit-msg") == 0)
		prepare_commit_msg(repo, argc - i, argv + i, index_path);
	else if (strcmp(name, "commit-msg") == 0)
		commit_msg(repo, argc - i, argv + i);
	else if (strcmp(name, "pre-push") == 0)
		pre_push(repo, argc - i, argv + i);
	else if (strcmp(name, "post-merge") == 0)
		post_merge(repo);
	else
		post_commit(repo);
	adr_repo_free(repo);
	free(index_path);
	return CLI_OK;
}
