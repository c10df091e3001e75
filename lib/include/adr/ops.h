/*
 * adr/ops.h: the operations behind the commands that write. Each one is
 * exactly one commit (see adr/commit.h) and either lands whole or not at all.
 *
 * Ownership: adr_op_result_dispose() frees what a result holds; after a
 * failed operation the result holds nothing (disposing it is harmless). Records
 * passed in are borrowed and not modified unless the comment says so.
 */
#ifndef ADR_OPS_H
#define ADR_OPS_H

#include "adr/commit.h"
#include "adr/record.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int number;                /* the record written (-1 when none) */
	char *path;                /* its path in the repository */
	adr_commit_result commit;
} adr_op_result;
#define ADR_OP_RESULT_INIT { -1, NULL, { "", "", 0, false, false, NULL } }
void adr_op_result_dispose(adr_op_result *res);

/*
 * A new record from a template: the template's front matter and body with
 * `title` as the H1. Every {{date}} in the template becomes today.
 */
int adr_record_from_template(adr_record **out, adr_repo *repo, const char *template_name,
			     const char *title);

/*
 * `adr init`: writes .adr.yaml (dir, template) and a first record,
 * "Record decisions in Git", in one commit. Fails with ADR_EEXISTS when the
 * branch already has a .adr.yaml.
 */
int adr_op_init(adr_op_result *res, adr_repo *repo, const char *dir, const char *template_name);

/*
 * `adr new`: numbers `r` inside the compare-and-swap, names its file from
 * the title, and in the same commit marks every record in r->supersedes as
 * superseded by it and adds the reverse of each of r->links to its target.
 * `r` is modified: number and path are set.
 */
int adr_op_new(adr_op_result *res, adr_repo *repo, adr_record *r);

/*
 * `adr edit`: replaces record `number` with `text`. When `base` is given it
 * must be what the record held when editing started, else ADR_ECONFLICT
 * (someone else changed it meanwhile) and nothing is written. Nothing is
 * committed when the text is unchanged (res->commit.unchanged).
 */
int adr_op_edit(adr_op_result *res, adr_repo *repo, int number, const char *text, size_t len,
		const char *base, size_t base_len);

/* `adr status`: sets the status; accepting also sets the date to today. */
int adr_op_set_status(adr_op_result *res, adr_repo *repo, int number, adr_status status);
/* The same, keeping `reason` (NULL or "": none) in the record, as a section
 * "## Reason for deprecation (DATE)" (the heading names the new status) at
 * the end of the body, and as the body of the commit message. */
int adr_op_set_status_reason(adr_op_result *res, adr_repo *repo, int number, adr_status status,
			     const char *reason);

/* `adr supersede OLD NEW`: both records in one commit. */
int adr_op_supersede(adr_op_result *res, adr_repo *repo, int old_number, int new_number);

/* `adr link A TYPE B [REVERSE]`: A gets `TYPE B`, B gets `REVERSE A` (REVERSE
 * defaults from a table: amends/amended-by, relates-to/relates-to, ...). */
int adr_op_link(adr_op_result *res, adr_repo *repo, int a, const char *type, int b, const char *reverse);

/* The reverse of a link type ("amends" -> "amended-by"); unknown types get "<type>-by"
 * unless they already end in "-by", which is then removed. Caller frees. */
char *adr_link_reverse(const char *type);
/* Whether `type` is one of the link types of that table (either direction). */
bool adr_link_type_known(const char *type);
/* The known link types by index, each pair's two directions in turn and a
 * symmetric one once ("amends", "amended-by", "relates-to", ...); NULL past
 * the last. */
const char *adr_link_known_type(size_t i);

#ifdef __cplusplus
}
#endif
#endif
