/*
 * What `adr new` and `adr propose` share: the user's text checked the same
 * way, edited in a session of its own, committed, and kept when the commit
 * fails (see cli.h).
 */
#include <stdlib.h>

#include "cli.h"

int cli_check_record(const char *path, const char *text, size_t len, void *payload)
{
	adr_record **out = payload, *r = NULL;
	adr_buf slug = ADR_BUF_INIT;
	int rc;

	if ((rc = adr_record_parse(&r, path, text, len, 0)) == 0 && (rc = adr_record_validate(r)) == 0)
		rc = adr_slugify(&slug, r->title);
	adr_buf_dispose(&slug);
	if (rc < 0 || !out) {
		adr_record_free(r);
		return rc;
	}
	adr_record_free(*out);
	*out = r;
	return 0;
}

bool cli_will_edit(int edit)
{
	return edit < 0 ? cli_interactive() && (getenv("VISUAL") || getenv("EDITOR")) : edit > 0;
}

int cli_new_record_commit(adr_op_result *res, adr_repo *repo, adr_record **r, const char *name, int edit,
			  cli_record_op op)
{
	adr_buf text = ADR_BUF_INIT;
	int rc;

	edit = cli_will_edit(edit);
	if (edit) {
		if ((rc = adr_record_serialize(&text, *r)) < 0) {
			rc = cli_fail(rc);
			goto cleanup;
		}
		if ((rc = cli_edit_loop(&text, repo, name, cli_check_record, r)) != 0)
			goto cleanup;
	}
	if ((rc = op(res, repo, *r)) < 0) {
		rc = cli_fail(rc);
		if (edit && text.size) {
			/* Nothing landed; keep what the user wrote. */
			adr_buf_clear(&text);
			adr_record_serialize(&text, *r);
			cli_keep_text(repo, name, &text);
		}
		goto cleanup;
	}
	cli_commit_warning(&res->commit);
	rc = CLI_OK;
cleanup:
	adr_buf_dispose(&text);
	return rc;
}
