/* adr diff REV1..REV2: the decisions added, changed and superseded between two revisions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "util/alloc.h"
#include "output.h"
#include "adr/stats.h"
#include "text/json.h"

const char *const cmd_diff_usage[] = {
	"adr diff [--json] [--audience public|partner|internal] REV1..REV2",
	NULL
};

int cmd_diff(int argc, const char **argv, cli_ctx *ctx)
{
	int json = 0, audience = ADR_VISIBILITY_NONE, rc;
	char *from = NULL;
	const char *dots, *to;
	adr_diff d;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_ENUM_(0, "audience", &audience, &cli_enum_visibility, "AUDIENCE",
			      "only the records this audience sees (default internal: all)"),
		CLI_OPT_END_()
	};

	argc = cli_parse_options(argc, argv, opts, cmd_diff_usage);
	if (argc != 1)
		return cli_usage_error(cmd_diff_usage, opts, "give one range REV1..REV2");
	if (!(dots = strstr(argv[0], "..")) || dots == argv[0] || strstr(dots + 2, ".."))
		return cli_usage_error(cmd_diff_usage, opts, "'%s' is not a range REV1..REV2", argv[0]);
	to = dots[2] == '.' ? NULL : dots + 2;
	if (!to)
		return cli_usage_error(cmd_diff_usage, opts, "'%s' is not a range REV1..REV2", argv[0]);
	if (!(from = adr__strndup(argv[0], (size_t)(dots - argv[0]))))
		return cli_fail(ADR_ENOMEM);
	rc = adr_diff_revs_for(&d, ctx->repo, from, *to ? to : NULL, (adr_visibility)audience);
	free(from);
	if (rc < 0)
		return cli_fail(rc);
	rc = CLI_OK;
	if (json) {
		cli_out out;
		adr__json_writer *w = &out.w;
		cli_out_begin(&out, true);
		adr__json_begin_object(w);
		cli_json_str(w, "from", d.from);
		cli_json_str(w, "to", d.to);
		adr__json_key(w, "changes");
		adr__json_begin_array(w);
		for (size_t i = 0; i < d.count; i++) {
			const adr_diff_item *it = &d.items[i];
			adr__json_begin_object(w);
			cli_json_str(w, "change", adr_diff_kind_name(it->kind));
			cli_json_int(w, "number", it->number);
			cli_json_str(w, "title", it->title);
			cli_json_str(w, "status", it->status[0] ? it->status : NULL);
			cli_json_str(w, "path", it->path);
			cli_json_strlist(w, "fields", &it->fields);
			adr__json_end_object(w);
		}
		adr__json_end_array(w);
		adr__json_end_object(w);
		rc = cli_out_end(&out);
	} else {
		for (size_t i = 0; i < d.count; i++) {
			const adr_diff_item *it = &d.items[i];
			printf("%-10s  %04d  %s", adr_diff_kind_name(it->kind), it->number, it->title);
			for (size_t f = 0; f < it->fields.count; f++)
				printf("%s%s", f ? ", " : " (", it->fields.items[f]);
			printf("%s\n", it->fields.count ? ")" : "");
		}
	}
	adr_diff_dispose(&d);
	return rc;
}
