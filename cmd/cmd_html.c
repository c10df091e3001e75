/* adr html: build the static HTML decision log for an audience. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "adr/html.h"

const char *const cmd_html_usage[] = {
	"adr html [-o DIR] [--rev REV] [--audience public|partner|internal] [--title T] [--base-url URL] [--templates DIR]",
	"         [--thread none|votes|full] [--repo-url URL]",
	NULL
};

static const char *thread_name(int v)
{
	switch (v) {
	case ADR_HTML_THREAD_NONE: return "none";
	case ADR_HTML_THREAD_VOTES: return "votes";
	case ADR_HTML_THREAD_FULL: return "full";
	default: return "";
	}
}

static int thread_parse(int *out, const char *word)
{
	for (int v = ADR_HTML_THREAD_NONE; v <= ADR_HTML_THREAD_FULL; v++)
		if (strcmp(word, thread_name(v)) == 0) {
			*out = v;
			return 0;
		}
	return -1;
}

static const cli_enum enum_thread = { thread_parse, thread_name };

int cmd_html(int argc, const char **argv, cli_ctx *ctx)
{
	const char *out = NULL, *rev = NULL, *title = NULL, *base_url = NULL, *templates = NULL;
	const char *repo_url = NULL;
	int audience = ADR_VISIBILITY_NONE, thread = ADR_HTML_THREAD_DEFAULT;
	adr_html_opts ho = ADR_HTML_OPTS_INIT;
	adr_html_result res = ADR_HTML_RESULT_INIT;
	const cli_option opts[] = {
		CLI_OPT_STRING_('o', "output", &out, "DIR", "the directory to write (default: adr-site)"),
		CLI_OPT_STRING_(0, "rev", &rev, "REV", "the commit to publish (default: the decision branch tip)"),
		CLI_OPT_ENUM_(0, "audience", &audience, &cli_enum_visibility, "AUDIENCE",
				"public, partner or internal (default: internal, every record)"),
		CLI_OPT_STRING_(0, "title", &title, "T", "the site's title (default: Decision log)"),
		CLI_OPT_STRING_(0, "base-url", &base_url, "URL", "where the site will be served (for the feed)"),
		CLI_OPT_STRING_(0, "templates", &templates, "DIR", "a directory of templates that override adr's own"),
		CLI_OPT_BOOL_('q', "quiet", &cli_quiet, "show no progress on the terminal"),
		CLI_OPT_ENUM_(0, "thread", &thread, &enum_thread, "HOW",
				"none, votes or full: how much of a discussion to publish (default: full, public: none)"),
		CLI_OPT_STRING_(0, "repo-url", &repo_url, "URL", "the repository's web page: View source and Discuss links"),
		CLI_OPT_END_()
	};
	int rc;

	argc = cli_parse_options(argc, argv, opts, cmd_html_usage);
	if (argc > 0)
		return cli_usage_error(cmd_html_usage, opts, "unexpected argument '%s'", argv[0]);
	ho.audience = (adr_visibility)audience;
	if (out && !*out)
		return cli_usage_error(cmd_html_usage, opts, "-o: empty directory name");
	ho.output_dir = out ? out : "adr-site";
	ho.rev = rev;
	ho.title = title;
	ho.base_url = base_url;
	ho.templates_dir = templates;
	ho.thread = (adr_html_thread)thread;
	ho.repo_url = repo_url;

	ho.progress = cli_progress_fn();
	ho.progress_payload = &cli_progress;
	rc = adr_html_build(&res, ctx->repo, &ho);
	cli_progress_end();
	for (size_t i = 0; i < res.warnings.count; i++)
		cli_warning("%s", res.warnings.items[i]);
	if (rc < 0) {
		adr_html_result_dispose(&res);
		return cli_fail(rc);
	}
	printf("wrote %zu files to %s", res.files, ho.output_dir);
	if (res.kept)
		printf(" (%zu as they were)", res.kept);
	printf(": %zu decisions", res.published);
	if (res.hidden)
		printf(" (%zu not for the %s audience)", res.hidden, adr_visibility_name(ho.audience));
	printf(", from commit %.12s\n", res.commit);
	adr_html_result_dispose(&res);
	return CLI_OK;
}
