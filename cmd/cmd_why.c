/* adr why PATH: the decisions that govern a path. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "adr/hooks.h"
#include "adr/links.h"

const char *const cmd_why_usage[] = {
	"adr why PATH [--json]",
	NULL
};

/* PATH as the user typed it (relative to the current directory, or
 * absolute) made relative to the top of the work tree, "." and ".." resolved. */
static int repo_path(adr_buf *out, adr_repo *repo, const char *arg)
{
	char top[PATH_MAX], cwd[PATH_MAX];
	adr_buf full = ADR_BUF_INIT;
	adr_strlist parts = ADR_STRLIST_INIT;
	const char *wd = adr_repo_workdir(repo), *p;
	size_t tlen;
	int rc = 0;

	if (!wd)
		return cli_error("this is a bare repository: there is no path to explain");
	if (!realpath(wd, top) || !getcwd(cwd, sizeof(cwd)))
		return cli_error("cannot find the top of the work tree");
	if (arg[0] == '/')
		adr_buf_puts(&full, arg);
	else {
		char real[PATH_MAX];
		adr_buf_printf(&full, "%s/%s", realpath(cwd, real) ? real : cwd, arg);
	}
	tlen = strlen(top);
	p = full.ptr;
	if (strncmp(p, top, tlen) != 0 || (p[tlen] != '/' && p[tlen] != '\0')) {
		rc = cli_error("'%s' is outside the repository", arg);
		goto cleanup;
	}
	p += tlen;
	while (*p) {
		size_t n;
		while (*p == '/')
			p++;
		n = strcspn(p, "/");
		if (n == 0)
			break;
		if (n == 1 && p[0] == '.') {
			/* nothing */
		} else if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (!parts.count) {
				rc = cli_error("'%s' is outside the repository", arg);
				goto cleanup;
			}
			free(parts.items[--parts.count]);
		} else if (adr_strlist_addn(&parts, p, n) < 0) {
			rc = cli_error("out of memory");
			goto cleanup;
		}
		p += n;
	}
	if (!parts.count) {
		rc = cli_error("'%s' is the top of the repository; name a path inside it", arg);
		goto cleanup;
	}
	adr_buf_clear(out);
	for (size_t i = 0; i < parts.count; i++)
		adr_buf_printf(out, "%s%s", i ? "/" : "", parts.items[i]);
	if (adr_buf_oom(out))
		rc = cli_error("out of memory");
cleanup:
	adr_buf_dispose(&full);
	adr_strlist_clear(&parts);
	return rc;
}

/* A glob matches the path, or, for a directory, something below it. */
static const char *matching_glob(const adr_record *r, const char *path)
{
	return adr_glob_match_any(&r->affects, path);
}

int cmd_why(int argc, const char **argv, cli_ctx *ctx)
{
	int json = 0, rc = CLI_OK, lrc;
	const cli_option opts[] = {
		CLI_OPT_BOOL_(0, "json", &json, "print JSON"),
		CLI_OPT_END_()
	};
	adr_recordset set = ADR_RECORDSET_INIT;
	adr_commit_links links = ADR_COMMIT_LINKS_INIT;
	adr_buf path = ADR_BUF_INIT;
	bool *touches = NULL;
	cli_out out;

	argc = cli_parse_options(argc, argv, opts, cmd_why_usage);
	if (argc != 1)
		return cli_usage_error(cmd_why_usage, opts, "expected one path");
	if ((rc = repo_path(&path, ctx->repo, argv[0])) != 0)
		return rc;
	if ((lrc = adr_repo_records(&set, ctx->repo, NULL, ADR_PARSE_LENIENT)) < 0 ||
	    (lrc = adr_links_walk(&links, ctx->repo)) < 0) {
		rc = cli_fail(lrc);
		goto cleanup;
	}
	for (size_t e = 0; e < set.errors.count; e++)
		cli_error("%s", set.errors.items[e]);
	for (size_t e = 0; e < set.skipped.count; e++)
		cli_warning("%s", set.skipped.items[e]);
	if (links.count && !(touches = calloc(links.count, sizeof(*touches)))) {
		rc = cli_error("out of memory");
		goto cleanup;
	}
	/* Each linked commit is diffed once, restricted to the path. */
	for (size_t k = 0; k < links.count; k++) {
		bool done = false;
		for (size_t j = 0; j < k; j++)
			if (strcmp(links.items[j].commit, links.items[k].commit) == 0) {
				touches[k] = touches[j];
				done = true;
				break;
			}
		if (!done && (lrc = adr_commit_touches(&touches[k], ctx->repo, links.items[k].commit, path.ptr)) < 0) {
			rc = cli_fail(lrc);
			goto cleanup;
		}
	}

	cli_out_begin(&out, json);
	cli_out_list_begin(&out);
	for (size_t i = 0; i < set.count; i++) {
		const adr_record *r = set.items[i];
		const char *glob = matching_glob(r, path.ptr);
		bool any = glob != NULL;
		for (size_t k = 0; k < links.count && !any; k++)
			any = touches[k] && links.items[k].record == r->number;
		if (!any)
			continue;
		if (json) {
			adr_json_writer *w = &out.w;
			adr_json_begin_object(w);
			adr_json_key(w, "number");
			adr_json_int(w, r->number);
			adr_json_key(w, "title");
			adr_json_string(w, r->title);
			adr_json_key(w, "status");
			adr_json_string(w, r->status ? adr_status_name(r->status) : r->status_word);
			adr_json_key(w, "path");
			adr_json_string(w, r->path);
			adr_json_key(w, "affects");
			adr_json_begin_array(w);
			for (size_t g = 0; g < r->affects.count; g++)
				if (adr_glob_match(r->affects.items[g], path.ptr))
					adr_json_string(w, r->affects.items[g]);
			adr_json_end_array(w);
			adr_json_key(w, "commits");
			adr_json_begin_array(w);
			for (size_t k = 0; k < links.count; k++) {
				char date[48];
				if (!touches[k] || links.items[k].record != r->number)
					continue;
				adr_commit_link_date(date, &links.items[k]);
				adr_json_begin_object(w);
				adr_json_key(w, "id");
				adr_json_string(w, links.items[k].commit);
				adr_json_key(w, "subject");
				adr_json_string(w, links.items[k].subject);
				adr_json_key(w, "author");
				adr_json_string(w, links.items[k].author);
				adr_json_key(w, "date");
				adr_json_string(w, links.items[k].time ? date : NULL);
				adr_json_end_object(w);
			}
			adr_json_end_array(w);
			adr_json_end_object(w);
			continue;
		}
		printf("%04d  %-10s  %s\n", r->number,
		       r->status ? adr_status_name(r->status) : (r->status_word ? cli_oneline(r->status_word) : "-"),
		       cli_oneline(r->title));
		for (size_t g = 0; g < r->affects.count; g++)
			if (adr_glob_match(r->affects.items[g], path.ptr))
				printf("      affects %s\n", cli_oneline(r->affects.items[g]));
		for (size_t k = 0; k < links.count; k++)
			if (touches[k] && links.items[k].record == r->number)
				printf("      commit  %.12s %s\n", links.items[k].commit, cli_oneline(links.items[k].subject));
	}
	cli_out_list_end(&out);
	if (cli_out_end(&out) < 0)
		rc = cli_error("out of memory");
	if (set.errors.count)
		rc = CLI_FAIL;
cleanup:
	free(touches);
	adr_buf_dispose(&path);
	adr_recordset_clear(&set);
	adr_commit_links_clear(&links);
	return rc;
}
