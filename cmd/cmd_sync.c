/* adr sync: share the decision log with a remote (fetch, integrate, push; never forced). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "adr/sync.h"
#include "text/json.h"

const char *const cmd_sync_usage[] = {
	"adr sync [--dry-run] [--json] [REMOTE]",
	NULL
};

static const char *kind_name(adr_sync_kind k)
{
	switch (k) {
	case ADR_SYNC_IN: return "in";
	case ADR_SYNC_OUT: return "out";
	case ADR_SYNC_INTEGRATED: return "integrated";
	case ADR_SYNC_DELETED: return "deleted";
	case ADR_SYNC_RETIRED: return "retired";
	case ADR_SYNC_CONFLICT: return "conflict";
	}
	return "?";
}

static const char *short_ref(const char *ref)
{
	return strncmp(ref, "refs/heads/", 11) == 0 ? ref + 11 : ref;
}

/* https: asks git's credential helpers (`git credential fill`), given the
 * URL on stdin, never on a command line. */
static int git_credential(char **user, char **pass, const char *url, const char *name, void *payload)
{
	int in[2], out[2], status;
	pid_t pid;
	FILE *f;
	char line[4096];

	(void)payload;
	if (pipe(in) < 0)
		return -1;
	if (pipe(out) < 0) {
		close(in[0]);
		close(in[1]);
		return -1;
	}
	if ((pid = fork()) == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execlp("git", "git", "credential", "fill", (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	if (pid > 0 && (f = fdopen(in[1], "w"))) {
		fprintf(f, "url=%s\n%s%s%s\n", url, name ? "username=" : "", name ? name : "", name ? "\n" : "");
		fclose(f);
	} else {
		close(in[1]);
	}
	if (pid > 0 && (f = fdopen(out[0], "r"))) {
		while (fgets(line, sizeof(line), f)) {
			line[strcspn(line, "\n")] = '\0';
			if (strncmp(line, "username=", 9) == 0 && !*user)
				*user = strdup(line + 9);
			else if (strncmp(line, "password=", 9) == 0 && !*pass)
				*pass = strdup(line + 9);
		}
		fclose(f);
	} else {
		close(out[0]);
	}
	if (pid <= 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	return *user && *pass ? 0 : -1;
}

static int print_json(const adr_sync_result *r, int rc)
{
	cli_out out;
	adr__json_writer *w = &out.w;

	cli_out_begin(&out, true);
	adr__json_begin_object(w);
	cli_json_str(w, "remote", r->remote);
	cli_json_str(w, "url", r->url);
	cli_json_bool(w, "ok", rc == 0);
	cli_json_str(w, "error", rc < 0 ? adr_error_last() : NULL);
	cli_json_bool(w, "dry_run", r->dry_run);
	cli_json_bool(w, "up_to_date", r->up_to_date);
	cli_json_int(w, "rounds", r->rounds);
	adr__json_key(w, "items");
	adr__json_begin_array(w);
	for (size_t i = 0; i < r->count; i++) {
		const adr_sync_item *it = &r->items[i];
		adr__json_begin_object(w);
		cli_json_str(w, "kind", kind_name(it->kind));
		cli_json_str(w, "ref", it->ref);
		cli_json_str(w, "old", it->old_id[0] ? it->old_id : NULL);
		cli_json_str(w, "new", it->new_id[0] ? it->new_id : NULL);
		cli_json_int(w, "commits", (long long)it->commits);
		cli_json_str(w, "detail", it->detail);
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	adr__json_key(w, "renumbered");
	adr__json_begin_array(w);
	for (size_t i = 0; i < r->renumbered_count; i++) {
		const adr_sync_renumber *x = &r->renumbered[i];
		adr__json_begin_object(w);
		cli_json_int(w, "old", x->old_number);
		cli_json_int(w, "new", x->new_number);
		cli_json_str(w, "title", x->title);
		cli_json_str(w, "old_path", x->old_path);
		cli_json_str(w, "new_path", x->new_path);
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	adr__json_end_object(w);
	return cli_out_end(&out);
}

static void print_text(const adr_sync_result *r)
{
	for (size_t i = 0; i < r->count; i++) {
		const adr_sync_item *it = &r->items[i];
		printf("%-10s  %s", kind_name(it->kind), cli_oneline(short_ref(it->ref)));
		if (it->old_id[0] || it->new_id[0])
			printf("  %.8s..%.8s", it->old_id[0] ? it->old_id : "-", it->new_id[0] ? it->new_id : "-");
		if (it->commits)
			printf("  (%zu commit%s)", it->commits, it->commits == 1 ? "" : "s");
		if (it->detail)
			printf("  %s", cli_oneline(it->detail));
		putchar('\n');
	}
	for (size_t i = 0; i < r->renumbered_count; i++) {
		const adr_sync_renumber *x = &r->renumbered[i];
		printf("renumbered  %04d -> %04d  %s\n", x->old_number, x->new_number, cli_oneline(x->title));
	}
}

int cmd_sync(int argc, const char **argv, cli_ctx *ctx)
{
	int dry_run = 0, json = 0, rc, code;
	const cli_option options[] = {
		CLI_OPT_BOOL_('n', "dry-run", &dry_run, "say what would come in and go out; write nothing"),
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_BOOL_('q', "quiet", &cli_quiet, "show no progress on the terminal"),
		CLI_OPT_END_()
	};
	adr_sync_opts opts = ADR_SYNC_OPTS_INIT;
	adr_sync_result res = ADR_SYNC_RESULT_INIT;

	argc = cli_parse_options(argc, argv, options, cmd_sync_usage);
	if (argc > 1)
		return cli_usage_error(cmd_sync_usage, options, "unexpected argument '%s'", argv[1]);
	opts.remote = argc ? argv[0] : NULL;
	opts.dry_run = dry_run > 0;
	opts.credentials = git_credential;
	opts.progress = cli_progress_fn();
	opts.progress_payload = &cli_progress;
	rc = adr_sync_run(&res, ctx->repo, &opts);
	cli_progress_end();
	code = json ? print_json(&res, rc) : CLI_OK;
	if (!json && res.remote)
		print_text(&res);
	if (res.warning)
		cli_warning("%s", res.warning);
	if (rc < 0) {
		code = cli_fail(rc);
	} else if (!json) {
		if (res.dry_run)
			fprintf(stderr, "adr: dry run against '%s' (%s): nothing written\n", res.remote, res.url);
		else if (res.up_to_date)
			fprintf(stderr, "adr: up to date with '%s' (%s)\n", res.remote, res.url);
		else
			fprintf(stderr, "adr: synced with '%s' (%s); the remote accepted every ref\n", res.remote, res.url);
	}
	adr_sync_result_dispose(&res);
	return code;
}
