/*
 * git/change.c: the change set of one adr_repo_commit() attempt
 * (adr/commit.h): the tip it is based on, the files it stages (each path
 * checked by adr__path_validate), the records and numbers it reads, and the
 * commit message it will carry.
 */
#include "git/change_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "record/legacy.h"
#include "git/published.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/path.h"

/* --- the change set ------------------------------------------------------ */

adr_repo *adr_change_repo(adr_change *ch) { return ch->repo; }
const char *adr_change_base(const adr_change *ch) { return ch->base; }
const char *adr_change_branch(const adr_change *ch) { return ch->branch; }

static adr__staged_file *find_staged(adr_change *ch, const char *path)
{
	for (size_t i = 0; i < ch->nstaged; i++)
		if (strcmp(ch->staged[i].path, path) == 0)
			return &ch->staged[i];
	return NULL;
}

static int stage(adr_change *ch, const char *path, const char *data, size_t len, bool del)
{
	adr__staged_file *s;
	int rc;

	if ((rc = adr__path_validate(path)) < 0)
		return rc;
	s = find_staged(ch, path);
	if (!s) {
		if (ADR_ARRAY_GROW(ch->staged, ch->astaged, ch->nstaged + 1) < 0)
			return ADR_ENOMEM;
		s = &ch->staged[ch->nstaged];
		memset(s, 0, sizeof(*s));
		s->data = (adr_buf)ADR_BUF_INIT;
		if (!(s->path = adr__strdup(path)))
			return ADR_ENOMEM;
		ch->nstaged++;
	}
	s->del = del;
	adr_buf_clear(&s->data);
	if (!del && adr_buf_put(&s->data, data, len) < 0)
		return ADR_ENOMEM;
	return 0;
}

int adr_change_write(adr_change *ch, const char *path, const char *data, size_t len)
{
	return stage(ch, path, data, len, false);
}

int adr_change_delete(adr_change *ch, const char *path)
{
	return stage(ch, path, NULL, 0, true);
}

int adr_change_write_record(adr_change *ch, const adr_record *r)
{
	adr_buf b = ADR_BUF_INIT;
	int rc;
	if (!r->path)
		return adr__error(ADR_EINVALID, "record has no path");
	if (adr__legacy_unconverted(r))
		return adr__hint(ADR_HINT_IMPORT, adr__error(ADR_EINVALID,
				 "%s: keeps its status in the body (an older format); convert it first", r->path));
	/* The message of adr_record_validate already names r->path. */
	if ((rc = adr_record_validate(r)) < 0)
		return rc;
	if ((rc = adr_record_serialize(&b, r)) == 0) {
		if (b.size > ADR_RECORD_MAX)
			rc = adr__error(ADR_EINVALID, "%s: record would be %zu bytes, the limit is %d", r->path,
					b.size, ADR_RECORD_MAX);
		else
			rc = adr_change_write(ch, r->path, b.ptr, b.size);
	}
	adr_buf_dispose(&b);
	return rc;
}

int adr_change_read(adr_change *ch, adr_buf *out, const char *path)
{
	adr__staged_file *s = find_staged(ch, path);
	if (s) {
		if (s->del)
			return adr__error(ADR_ENOTFOUND, "'%s' does not exist", path);
		return adr_buf_set(out, s->data.ptr, s->data.size) < 0 ? ADR_ENOMEM : 0;
	}
	if (!ch->tip_tree)
		return adr__error(ADR_ENOTFOUND, "'%s' does not exist", path);
	return adr__tree_read(out, adr__repo_git(ch->repo), ch->tip_tree, path);
}

bool adr_change_exists(adr_change *ch, const char *path)
{
	adr__staged_file *s = find_staged(ch, path);
	git_tree_entry *e = NULL;
	bool found;
	if (s)
		return !s->del;
	if (!ch->tip_tree)
		return false;
	found = git_tree_entry_bypath(&e, ch->tip_tree, path) == 0;
	git_tree_entry_free(e);
	return found;
}

int adr_change_records(adr_change *ch, adr_recordset **out)
{
	int rc;
	if (!ch->records_loaded) {
		if (ch->tip_tree &&
		    (rc = adr__records_from_tree(&ch->records, ch->repo, ch->tip_tree, ADR_PARSE_LENIENT)) < 0)
			return rc;
		ch->records_loaded = true;
	}
	*out = &ch->records;
	return 0;
}

int adr_change_next_number(adr_change *ch, int *out)
{
	const char *dir = adr_repo_records_dir(ch->repo);
	size_t dlen = strlen(dir);
	adr__published pub = ADR__PUBLISHED_INIT;
	int rc, max = 0, n;

	/* Every file name counts, readable or not, so a broken record's number
	 * is never reused; a directory that cannot be read is an error, not an
	 * empty one (that would reuse number 1). The published copies of the
	 * branch count too: a number another clone pushed is taken even when
	 * this branch is behind (git/published.h). */
	if ((ch->tip_tree && (rc = adr__tree_max_number(ch->repo, ch->tip_tree, &max, &ch->tip_dir)) < 0) ||
	    (rc = adr__published_load_tips(&pub, ch->repo, ch->branch)) < 0 ||
	    (rc = adr__published_max_number(&pub, ch->repo, &n)) < 0)
		goto cleanup;
	/* what the commit carries over to its new tree (commit.c) */
	if (ch->tip_tree && !git_oid_is_zero(&ch->tip_dir)) {
		ch->tip_max_known = true;
		ch->tip_max = max;
		ch->tip_dir_published = false;
		for (size_t i = 0; i < pub.count; i++) {
			git_oid d;
			if (adr__tree_records_dir_id(ch->repo, pub.trees[i], &d) == 1 && git_oid_equal(&d, &ch->tip_dir))
				ch->tip_dir_published = true;
		}
	}
	if (n > max)
		max = n;
	for (size_t i = 0; i < ch->nstaged; i++) {
		const char *p = ch->staged[i].path;
		if (ch->staged[i].del || strncmp(p, dir, dlen) != 0 || p[dlen] != '/' || strchr(p + dlen + 1, '/'))
			continue;
		if (adr_record_parse_filename(&n, NULL, p + dlen + 1) == 0 && n > max)
			max = n;
	}
	adr_error_clear();
	*out = max + 1;
	rc = 0;
cleanup:
	adr__published_dispose(&pub);
	return rc;
}

int adr__change_record_path(adr_buf *out, adr_change *ch, int number)
{
	if (!ch->tip_tree)
		return adr__error(ADR_ENOTFOUND, "record %04d does not exist", number);
	return adr__tree_record_path(out, ch->repo, ch->tip_tree, number);
}

int adr_change_add_parent(adr_change *ch, const char *commit)
{
	if (ch->nparents >= MAX_PARENTS - 1)
		return adr__error(ADR_EINVALID, "too many parents");
	if (git_oid_fromstr(&ch->parents[ch->nparents], commit) < 0)
		return adr__error(ADR_EINVALID, "'%s' is not a commit id", commit);
	ch->nparents++;
	return 0;
}

static bool has_newline(const char *s)
{
	return strchr(s, '\n') || strchr(s, '\r');
}

int adr_change_set_subject(adr_change *ch, const char *fmt, ...)
{
	va_list ap;
	adr_buf_clear(&ch->subject);
	va_start(ap, fmt);
	adr_buf_vprintf(&ch->subject, fmt, ap);
	va_end(ap);
	if (adr_buf_oom(&ch->subject))
		return ADR_ENOMEM;
	if (has_newline(ch->subject.ptr))
		return adr__error(ADR_EINVALID, "a commit subject cannot contain a line break");
	return 0;
}

int adr_change_set_body(adr_change *ch, const char *body)
{
	return adr_buf_set(&ch->body, body, strlen(body)) < 0 ? ADR_ENOMEM : 0;
}

int adr_change_add_trailer(adr_change *ch, const char *key, const char *value)
{
	for (const char *p = key; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return adr__error(ADR_EINVALID, "'%s' is not a valid trailer name", key);
	if (has_newline(value))
		return adr__error(ADR_EINVALID, "trailer '%s' cannot contain a line break", key);
	if (adr_strlist_add(&ch->trailer_keys, key) < 0 || adr_strlist_add(&ch->trailer_values, value) < 0)
		return ADR_ENOMEM;
	return 0;
}

void adr__change_reset(adr_change *ch)
{
	git_tree_free(ch->tip_tree);
	git_commit_free(ch->tip);
	ch->tip_tree = NULL;
	ch->tip = NULL;
	ch->base[0] = '\0';
	adr_recordset_dispose(&ch->records);
	ch->records_loaded = false;
	for (size_t i = 0; i < ch->nstaged; i++) {
		free(ch->staged[i].path);
		adr_buf_dispose(&ch->staged[i].data);
	}
	ch->nstaged = 0;
	adr_buf_clear(&ch->subject);
	adr_buf_clear(&ch->body);
	adr_strlist_dispose(&ch->trailer_keys);
	adr_strlist_dispose(&ch->trailer_values);
	ch->nparents = 0;
	ch->tip_max_known = false;
}

void adr__change_dispose(adr_change *ch)
{
	adr__change_reset(ch);
	free(ch->staged);
	adr_buf_dispose(&ch->subject);
	adr_buf_dispose(&ch->body);
}

void adr__change_init(adr_change *ch, adr_repo *repo, const char *branch, const char *start_point)
{
	memset(ch, 0, sizeof(*ch));
	ch->repo = repo;
	ch->branch = branch;
	ch->subject = (adr_buf)ADR_BUF_INIT;
	ch->body = (adr_buf)ADR_BUF_INIT;
	ch->start_point = start_point;
}

int adr__change_message(adr_buf *msg, adr_change *ch)
{
	adr_buf_clear(msg);
	if (!ch->subject.size)
		return adr__error(ADR_EINVALID, "internal error: a change without a subject");
	adr_buf_put(msg, ch->subject.ptr, ch->subject.size);
	adr_buf_putc(msg, '\n');
	if (ch->body.size) {
		adr_buf_putc(msg, '\n');
		adr_buf_put(msg, ch->body.ptr, ch->body.size);
		if (ch->body.ptr[ch->body.size - 1] != '\n')
			adr_buf_putc(msg, '\n');
	}
	if (ch->trailer_keys.count) {
		adr_buf_putc(msg, '\n');
		for (size_t i = 0; i < ch->trailer_keys.count; i++)
			adr_buf_printf(msg, "%s: %s\n", ch->trailer_keys.items[i], ch->trailer_values.items[i]);
	}
	return adr_buf_oom(msg) ? ADR_ENOMEM : 0;
}

int adr__change_load_tip(adr_change *ch)
{
	git_repository *git = adr__repo_git(ch->repo);
	git_reference *ref = NULL;
	int rc;

	git_oid start;

	ch->unborn = false;
	rc = git_reference_lookup(&ref, git, ch->branch);
	if (rc == GIT_ENOTFOUND && !ch->start_point)
		return 0;
	if (rc == GIT_ENOTFOUND) {
		/* A new branch that starts from a given commit (adr propose). */
		ch->unborn = true;
		if (git_oid_fromstr(&start, ch->start_point) < 0)
			return adr__error(ADR_EINVALID, "'%s' is not a commit id", ch->start_point);
		if ((rc = git_commit_lookup(&ch->tip, git, &start)) < 0)
			return adr__error_git(rc, "start point %s is missing", ch->start_point);
	} else if (rc < 0) {
		return adr__error_git(rc, "cannot read branch '%s'", ch->branch);
	} else if (git_reference_type(ref) != GIT_REFERENCE_DIRECT) {
		git_reference_free(ref);
		return adr__error(ADR_EINVALID, "branch '%s' is a symbolic reference", ch->branch);
	} else {
		rc = git_commit_lookup(&ch->tip, git, git_reference_target(ref));
		git_reference_free(ref);
		if (rc < 0)
			return adr__error_git(rc, "the tip of '%s' is missing or corrupt", ch->branch);
	}
	git_oid_tostr(ch->base, sizeof(ch->base), git_commit_id(ch->tip));
	if ((rc = git_commit_tree(&ch->tip_tree, ch->tip)) < 0)
		return adr__error_git(rc, "the tree of '%s' is missing or corrupt", ch->branch);
	return 0;
}
