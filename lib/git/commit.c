/*
 * One command, one commit, one compare-and-swap of one ref.
 */
#include "git/repo_internal.h"
#include "git/worktree_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adr/commit.h"
#include "adr/legacy.h"
#include "util/error.h"

#define DEFAULT_ATTEMPTS 200
#define MAX_PARENTS 4
#define LOCK_WAIT_MS 3000

typedef struct {
	char *path;
	adr_buf data;
	bool del;
	git_oid oid;
} staged_file;

struct adr_change {
	adr_repo *repo;
	const char *branch;
	git_commit *tip;
	git_tree *tip_tree;
	char base[41];
	adr_recordset records;
	bool records_loaded;
	staged_file *staged;
	size_t nstaged;
	size_t astaged;
	adr_buf subject;
	adr_buf body;
	adr_strlist trailer_keys;
	adr_strlist trailer_values;
	git_oid parents[MAX_PARENTS];
	size_t nparents;
	const char *start_point;   /* opts->start_point */
	bool unborn;               /* the branch does not exist: tip is the start point */
};

/* --- the change set ------------------------------------------------------ */

adr_repo *adr_change_repo(adr_change *ch) { return ch->repo; }
const char *adr_change_base(const adr_change *ch) { return ch->base; }
const char *adr_change_branch(const adr_change *ch) { return ch->branch; }

static staged_file *find_staged(adr_change *ch, const char *path)
{
	for (size_t i = 0; i < ch->nstaged; i++)
		if (strcmp(ch->staged[i].path, path) == 0)
			return &ch->staged[i];
	return NULL;
}

static int stage(adr_change *ch, const char *path, const char *data, size_t len, bool del)
{
	staged_file *s;
	int rc;

	if ((rc = adr_path_validate(path)) < 0)
		return rc;
	s = find_staged(ch, path);
	if (!s) {
		if (ch->nstaged == ch->astaged) {
			size_t na = ch->astaged ? ch->astaged * 2 : 8;
			staged_file *p = realloc(ch->staged, na * sizeof(*p));
			if (!p)
				return adr__error(ADR_ENOMEM, "out of memory");
			ch->staged = p;
			ch->astaged = na;
		}
		s = &ch->staged[ch->nstaged];
		memset(s, 0, sizeof(*s));
		s->data = (adr_buf)ADR_BUF_INIT;
		if (!(s->path = strdup(path)))
			return adr__error(ADR_ENOMEM, "out of memory");
		ch->nstaged++;
	}
	s->del = del;
	adr_buf_clear(&s->data);
	if (!del && adr_buf_put(&s->data, data, len) < 0)
		return adr__error(ADR_ENOMEM, "out of memory");
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
	if (adr_legacy_unconverted(r))
		return adr__error(ADR_EINVALID, "%s: keeps its status in the body (an older format); run 'adr import' "
						"first", r->path);
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
	staged_file *s = find_staged(ch, path);
	if (s) {
		if (s->del)
			return adr__error(ADR_ENOTFOUND, "'%s' does not exist", path);
		return adr_buf_set(out, s->data.ptr, s->data.size) < 0 ? adr__error(ADR_ENOMEM, "out of memory")
									: 0;
	}
	if (!ch->tip_tree)
		return adr__error(ADR_ENOTFOUND, "'%s' does not exist", path);
	return adr__tree_read(out, adr__repo_git(ch->repo), ch->tip_tree, path);
}

bool adr_change_exists(adr_change *ch, const char *path)
{
	staged_file *s = find_staged(ch, path);
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
	git_tree_entry *dirent = NULL;
	git_tree *tree = NULL;
	int rc = 0, max = 0, n;

	/* Every file name counts, readable or not, so a broken record's number
	 * is never reused; a directory that cannot be read is an error, not an
	 * empty one (that would reuse number 1). */
	if (ch->tip_tree && (rc = git_tree_entry_bypath(&dirent, ch->tip_tree, dir)) < 0 && rc != GIT_ENOTFOUND) {
		rc = adr__error_git(rc, "cannot read the records directory '%s'", dir);
		goto cleanup;
	}
	rc = 0;
	if (dirent && git_tree_entry_type(dirent) == GIT_OBJECT_TREE) {
		if ((rc = git_tree_lookup(&tree, adr__repo_git(ch->repo), git_tree_entry_id(dirent))) < 0) {
			rc = adr__error_git(rc, "records directory '%s' is missing or corrupt", dir);
			goto cleanup;
		}
		for (size_t i = 0; i < git_tree_entrycount(tree); i++) {
			const char *name = git_tree_entry_name(git_tree_entry_byindex(tree, i));
			if (adr_record_parse_filename(&n, NULL, name) == 0 && n > max)
				max = n;
		}
	}
	for (size_t i = 0; i < ch->nstaged; i++) {
		const char *p = ch->staged[i].path;
		if (ch->staged[i].del || strncmp(p, dir, dlen) != 0 || p[dlen] != '/' || strchr(p + dlen + 1, '/'))
			continue;
		if (adr_record_parse_filename(&n, NULL, p + dlen + 1) == 0 && n > max)
			max = n;
	}
	adr_error_clear();
	*out = max + 1;
cleanup:
	git_tree_free(tree);
	git_tree_entry_free(dirent);
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
		return adr__error(ADR_ENOMEM, "out of memory");
	if (has_newline(ch->subject.ptr))
		return adr__error(ADR_EINVALID, "a commit subject cannot contain a line break");
	return 0;
}

int adr_change_set_body(adr_change *ch, const char *body)
{
	return adr_buf_set(&ch->body, body, strlen(body)) < 0 ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

int adr_change_add_trailer(adr_change *ch, const char *key, const char *value)
{
	for (const char *p = key; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
			return adr__error(ADR_EINVALID, "'%s' is not a valid trailer name", key);
	if (has_newline(value))
		return adr__error(ADR_EINVALID, "trailer '%s' cannot contain a line break", key);
	if (adr_strlist_add(&ch->trailer_keys, key) < 0 || adr_strlist_add(&ch->trailer_values, value) < 0)
		return adr__error(ADR_ENOMEM, "out of memory");
	return 0;
}

static void change_reset(adr_change *ch)
{
	git_tree_free(ch->tip_tree);
	git_commit_free(ch->tip);
	ch->tip_tree = NULL;
	ch->tip = NULL;
	ch->base[0] = '\0';
	adr_recordset_clear(&ch->records);
	ch->records_loaded = false;
	for (size_t i = 0; i < ch->nstaged; i++) {
		free(ch->staged[i].path);
		adr_buf_dispose(&ch->staged[i].data);
	}
	ch->nstaged = 0;
	adr_buf_clear(&ch->subject);
	adr_buf_clear(&ch->body);
	adr_strlist_clear(&ch->trailer_keys);
	adr_strlist_clear(&ch->trailer_values);
	ch->nparents = 0;
}

static void change_dispose(adr_change *ch)
{
	change_reset(ch);
	free(ch->staged);
	adr_buf_dispose(&ch->subject);
	adr_buf_dispose(&ch->body);
}

/* --- trees -------------------------------------------------------------- */

static int cmp_staged(const void *a, const void *b)
{
	return strcmp(((const staged_file *)a)->path, ((const staged_file *)b)->path);
}

/* Builds a tree from `base` (may be NULL) with items[0..n) applied; every
 * item's path starts with the same `prefix` bytes. Depth is bounded by the
 * number of components in a validated path. */
static int build_tree(git_oid *out, bool *empty, git_repository *git, const git_tree *base,
		      staged_file *items, size_t n, size_t prefix)
{
	git_treebuilder *tb = NULL;
	int rc;
	size_t i = 0;

	if ((rc = git_treebuilder_new(&tb, git, base)) < 0)
		return adr__error_git(rc, "cannot build a tree");
	while (i < n) {
		const char *rest = items[i].path + prefix;
		const char *slash = strchr(rest, '/');
		if (!slash) {
			if (items[i].del) {
				/* libgit2 1.5 fails with GIT_ERROR (not ENOTFOUND) on an absent entry. */
				rc = git_treebuilder_get(tb, rest) ? git_treebuilder_remove(tb, rest) : 0;
			} else {
				rc = git_treebuilder_insert(NULL, tb, rest, &items[i].oid, GIT_FILEMODE_BLOB);
			}
			if (rc < 0) {
				rc = adr__error_git(rc, "cannot place '%s' in the tree", items[i].path);
				goto cleanup;
			}
			i++;
		} else {
			size_t clen = (size_t)(slash - rest), j = i;
			char name[256];
			const git_tree_entry *e;
			git_tree *sub = NULL;
			git_oid sub_oid;
			bool sub_empty;

			memcpy(name, rest, clen);
			name[clen] = '\0';
			while (j < n && strncmp(items[j].path + prefix, rest, clen + 1) == 0)
				j++;
			e = git_treebuilder_get(tb, name);
			if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
			    (rc = git_tree_lookup(&sub, git, git_tree_entry_id(e))) < 0) {
				rc = adr__error_git(rc, "tree '%s' is missing or corrupt", name);
				goto cleanup;
			}
			if (e && git_tree_entry_type(e) != GIT_OBJECT_TREE) {
				rc = adr__error(ADR_EINVALID, "'%.*s' is a file, not a directory",
						(int)(prefix + clen), items[i].path);
				goto cleanup;
			}
			rc = build_tree(&sub_oid, &sub_empty, git, sub, items + i, j - i, prefix + clen + 1);
			git_tree_free(sub);
			if (rc < 0)
				goto cleanup;
			if (sub_empty) {
				rc = e ? git_treebuilder_remove(tb, name) : 0;
			} else {
				rc = git_treebuilder_insert(NULL, tb, name, &sub_oid, GIT_FILEMODE_TREE);
			}
			if (rc < 0) {
				rc = adr__error_git(rc, "cannot place '%s' in the tree", name);
				goto cleanup;
			}
			i = j;
		}
	}
	*empty = git_treebuilder_entrycount(tb) == 0;
	if ((rc = git_treebuilder_write(out, tb)) < 0)
		rc = adr__error_git(rc, "cannot write a tree");
cleanup:
	git_treebuilder_free(tb);
	return rc;
}

/* --- signatures ---------------------------------------------------------- */

/* Parses GIT_*_DATE forms: "@1700000000 +0100", "1700000000 +0100",
 * "2026-11-21T10:00:00Z", "2026-11-21 10:00:00 +0100", "2026-11-21T10:00:00+01:00". */
static int parse_git_date(long long *when, int *offset, const char *s)
{
	int y, mo, d, h, mi, sec, n = 0, tzh = 0, tzm = 0;
	char sign = '+';
	struct tm tm;
	const char *p;

	*offset = 0;
	n = (int)strspn(s, "0123456789");
	if (*s == '@' || (n > 0 && (s[n] == '\0' || s[n] == ' '))) {
		char *end;
		*when = strtoll(s + (*s == '@'), &end, 10);
		while (*end == ' ')
			end++;
		if ((*end == '+' || *end == '-') && strlen(end) >= 5) {
			int v = atoi(end + 1);
			*offset = (v / 100) * 60 + v % 100;
			if (*end == '-')
				*offset = -*offset;
		}
		return 0;
	}
	n = 0;
	if (sscanf(s, "%d-%d-%d%*[T ]%d:%d:%d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
		return -1;
	p = s + n;
	while (*p == ' ')
		p++;
	if (*p == '+' || *p == '-') {
		sign = *p++;
		if (strlen(p) >= 4 && p[2] == ':')
			sscanf(p, "%2d:%2d", &tzh, &tzm);
		else
			sscanf(p, "%2d%2d", &tzh, &tzm);
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*offset = (tzh * 60 + tzm) * (sign == '-' ? -1 : 1);
	*when = (long long)timegm(&tm) - (long long)*offset * 60;
	return 0;
}

static int make_signature(git_signature **out, git_repository *git, const char *who)
{
	git_config *cfg = NULL;
	git_buf name = { 0 }, email = { 0 };
	char key[32];
	const char *env_name, *env_email, *env_date;
	int rc, offset = 0;
	long long when;

	snprintf(key, sizeof(key), "GIT_%s_NAME", who);
	env_name = getenv(key);
	snprintf(key, sizeof(key), "GIT_%s_EMAIL", who);
	env_email = getenv(key);
	snprintf(key, sizeof(key), "GIT_%s_DATE", who);
	env_date = getenv(key);

	if ((!env_name || !env_email) && (rc = git_repository_config_snapshot(&cfg, git)) < 0)
		return adr__error_git(rc, "cannot read git config");
	/* Only a setting that is not there is the user's to fix. */
	if (!env_name && (rc = git_config_get_string_buf(&name, cfg, "user.name")) < 0) {
		rc = rc == GIT_ENOTFOUND
			     ? adr__error(ADR_EUSAGE, "no author name: set it with git config user.name \"Your Name\"")
			     : adr__error_git(rc, "cannot read user.name from git config");
		goto cleanup;
	}
	if (!env_email && (rc = git_config_get_string_buf(&email, cfg, "user.email")) < 0) {
		rc = rc == GIT_ENOTFOUND
			     ? adr__error(ADR_EUSAGE, "no author email: set it with git config user.email you@example.com")
			     : adr__error_git(rc, "cannot read user.email from git config");
		goto cleanup;
	}
	if (env_date && *env_date) {
		if (parse_git_date(&when, &offset, env_date) < 0) {
			rc = adr__error(ADR_EUSAGE, "GIT_%s_DATE: cannot read '%s'", who, env_date);
			goto cleanup;
		}
	} else {
		when = adr_now();
		if (!getenv("ADR_NOW")) {
			time_t t = (time_t)when;
			struct tm lt;
			localtime_r(&t, &lt);
			offset = (int)(lt.tm_gmtoff / 60);
		}
	}
	rc = git_signature_new(out, env_name ? env_name : name.ptr, env_email ? env_email : email.ptr,
			       (git_time_t)when, offset);
	if (rc < 0)
		rc = adr__error_git(rc, "invalid author");
cleanup:
	git_buf_dispose(&name);
	git_buf_dispose(&email);
	git_config_free(cfg);
	return rc;
}

/* --- the commit loop ----------------------------------------------------- */

static int compose_message(adr_buf *msg, adr_change *ch)
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
	return adr_buf_oom(msg) ? adr__error(ADR_ENOMEM, "out of memory") : 0;
}

static int load_tip(adr_change *ch)
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

/* True when the branch no longer points at the tip the change was based on. */
static bool branch_moved(adr_change *ch)
{
	git_reference *ref = NULL;
	bool moved;
	if (git_reference_lookup(&ref, adr__repo_git(ch->repo), ch->branch) < 0)
		return ch->tip != NULL && !ch->unborn;
	moved = !ch->tip || git_reference_type(ref) != GIT_REFERENCE_DIRECT ||
		!git_oid_equal(git_reference_target(ref), git_commit_id(ch->tip));
	git_reference_free(ref);
	return moved;
}

/* libgit2 1.5's git_commit_create returns 0 when the object database
 * failed to write the commit (a full disk, a file size limit): its error is
 * left in git_error_last(). The commit must be there before any work tree
 * or ref is pointed at it. */
static int commit_written(git_repository *git, const git_oid *id)
{
	git_odb *odb = NULL;
	int rc = git_repository_odb(&odb, git);
	if (rc == 0 && !git_odb_exists(odb, id))
		rc = GIT_ERROR;
	git_odb_free(odb);
	return rc;
}

static int make_commit(git_oid *out, adr_change *ch, const adr_buf *msg, const git_oid *tree_oid,
		       const git_signature *author, const git_signature *committer)
{
	git_repository *git = adr__repo_git(ch->repo);
	const git_commit *parents[MAX_PARENTS];
	git_commit *extra[MAX_PARENTS];
	git_tree *tree = NULL;
	size_t nparents = 0, nextra = 0;
	int rc;

	if ((rc = git_tree_lookup(&tree, git, tree_oid)) < 0)
		return adr__error_git(rc, "cannot read the new tree");
	if (ch->tip)
		parents[nparents++] = ch->tip;
	for (size_t i = 0; i < ch->nparents; i++) {
		if ((rc = git_commit_lookup(&extra[i], git, &ch->parents[i])) < 0) {
			rc = adr__error_git(rc, "parent %s is missing", git_oid_tostr_s(&ch->parents[i]));
			goto cleanup;
		}
		nextra++;
		parents[nparents++] = extra[i];
	}
	if ((rc = git_commit_create(out, git, NULL, author, committer, NULL, msg->ptr, tree, nparents, parents)) < 0 ||
	    (rc = commit_written(git, out)) < 0)
		rc = adr__error_git(rc, "cannot write the commit");
cleanup:
	for (size_t i = 0; i < nextra; i++)
		git_commit_free(extra[i]);
	git_tree_free(tree);
	return rc;
}

/* The files of the change as the work trees see them (borrowed from `ch`). */
static int wt_files(adr__wt_file **out, adr_change *ch)
{
	adr__wt_file *f = calloc(ch->nstaged ? ch->nstaged : 1, sizeof(*f));
	if (!f)
		return adr__error(ADR_ENOMEM, "out of memory");
	for (size_t i = 0; i < ch->nstaged; i++) {
		f[i].path = ch->staged[i].path;
		f[i].data = ch->staged[i].data.ptr;
		f[i].len = ch->staged[i].data.size;
		f[i].del = ch->staged[i].del;
		f[i].id = ch->staged[i].oid;
	}
	*out = f;
	return 0;
}

/* The compare-and-swap, waiting a bounded time while the ref is locked. */
static int move_branch(adr_change *ch, const git_oid *commit_oid, const char *reflog, long *locked_ms)
{
	git_repository *git = adr__repo_git(ch->repo);
	for (;;) {
		git_reference *ref = NULL;
		int rc;
		if (ch->tip && !ch->unborn)
			rc = git_reference_create_matching(&ref, git, ch->branch, commit_oid, 1, git_commit_id(ch->tip),
							   reflog);
		else
			rc = git_reference_create(&ref, git, ch->branch, commit_oid, 0, reflog);
		git_reference_free(ref);
		if (rc != GIT_ELOCKED || *locked_ms > LOCK_WAIT_MS)
			return rc;
		{
			long ms = adr__jitter_ms(20);
			adr__sleep_ms(ms);
			*locked_ms += ms;
		}
	}
}

static void add_note(adr_commit_result *out, const adr_buf *notes)
{
	adr_buf w = ADR_BUF_INIT;
	if (!notes->size)
		return;
	adr_buf_puts(&w, notes->ptr);
	if (out->warning) {
		adr_buf_putc(&w, '\n');
		adr_buf_puts(&w, out->warning);
		free(out->warning);
	}
	out->warning = adr_buf_oom(&w) ? NULL : adr_buf_detach(&w);
	adr_buf_dispose(&w);
}

int adr_repo_commit(adr_commit_result *out, adr_repo *repo, adr_change_fn fn, void *payload,
		    const adr_commit_opts *opts)
{
	adr_commit_opts def = ADR_COMMIT_OPTS_INIT;
	git_repository *git = adr__repo_git(repo);
	adr_change ch;
	adr_buf msg = ADR_BUF_INIT, reflog = ADR_BUF_INIT, notes = ADR_BUF_INIT;
	char why[512] = "";
	git_signature *author = NULL, *committer = NULL;
	adr__wt_set *wts = NULL;
	adr__wt_file *files = NULL;
	unsigned max_attempts;
	long locked_ms = 0;
	int rc = 0;

	if (!opts)
		opts = &def;
	if (opts->version != ADR_COMMIT_OPTS_VERSION)
		return adr__error(ADR_EUSAGE, "adr_commit_opts: unknown version %u", opts->version);
	memset(out, 0, sizeof(*out));
	memset(&ch, 0, sizeof(ch));
	ch.repo = repo;
	ch.branch = opts->branch ? opts->branch : adr_repo_branch(repo);
	ch.subject = (adr_buf)ADR_BUF_INIT;
	ch.body = (adr_buf)ADR_BUF_INIT;
	max_attempts = opts->max_attempts ? opts->max_attempts : DEFAULT_ATTEMPTS;
	ch.start_point = opts->start_point;

	if ((rc = make_signature(&author, git, "AUTHOR")) < 0 ||
	    (rc = make_signature(&committer, git, "COMMITTER")) < 0)
		goto cleanup;
	/* What a killed adr left in this work tree is repaired first, whatever
	 * branch this change writes. */
	if (!opts->no_worktree && (rc = adr__wt_repair(repo, &notes)) < 0)
		goto cleanup;

	for (;;) {
		git_oid tree_oid, commit_oid;
		bool empty;

		change_reset(&ch);
		adr__wt_release(wts);
		wts = NULL;
		free(files);
		files = NULL;
		out->attempts++;
		if ((rc = load_tip(&ch)) < 0)
			goto cleanup;
		if ((rc = fn(&ch, payload)) < 0)
			goto cleanup;

		/* Every object first: blobs, the tree, the commit. */
		if (ch.nstaged)
			qsort(ch.staged, ch.nstaged, sizeof(*ch.staged), cmp_staged);
		for (size_t i = 0; i < ch.nstaged; i++) {
			if (ch.staged[i].del)
				continue;
			if ((rc = git_blob_create_from_buffer(&ch.staged[i].oid, git, ch.staged[i].data.ptr,
							      ch.staged[i].data.size)) < 0) {
				rc = adr__error_git(rc, "cannot write '%s' to the object database", ch.staged[i].path);
				goto cleanup;
			}
		}
		if ((rc = build_tree(&tree_oid, &empty, git, ch.tip_tree, ch.staged, ch.nstaged, 0)) < 0)
			goto cleanup;
		if (ch.tip_tree && git_oid_equal(&tree_oid, git_tree_id(ch.tip_tree)) && ch.nparents == 0 &&
		    !opts->allow_empty) {
			out->unchanged = true;
			snprintf(out->parent, sizeof(out->parent), "%s", ch.base);
			rc = 0;
			goto cleanup;
		}
		if ((rc = compose_message(&msg, &ch)) < 0 ||
		    (rc = make_commit(&commit_oid, &ch, &msg, &tree_oid, author, committer)) < 0)
			goto cleanup;

		/* Every work tree where the branch is checked out: locked, checked
		 * clean, then the files written and staged, all before the branch
		 * moves (see worktree.c). */
		if (!opts->no_worktree) {
			if ((rc = adr__wt_lock(&wts, repo, ch.branch, &notes)) < 0)
				goto cleanup;
			if (adr__wt_count(wts) && branch_moved(&ch)) {
				/* A writer finished while we waited for the locks. */
				if (out->attempts >= max_attempts) {
					rc = adr__error(ADR_EBUSY, "gave up after %u attempts: '%s' keeps changing "
								   "(retry later)", out->attempts, ch.branch);
					goto cleanup;
				}
				continue;
			}
			if ((rc = wt_files(&files, &ch)) < 0 ||
			    (rc = adr__wt_check(wts, files, ch.nstaged, ch.tip_tree)) < 0)
				goto cleanup;
			if ((rc = adr__wt_stage(wts, ch.branch, ch.tip ? git_commit_id(ch.tip) : NULL, &commit_oid)) < 0) {
				adr__wt_undo(wts);
				goto cleanup;
			}
		}

		/* The compare-and-swap. */
		adr_buf_clear(&reflog);
		if (adr_buf_printf(&reflog, "adr: %s", ch.subject.ptr) < 0)
			rc = ADR_ENOMEM; /* not a libgit2 code: undone and reported below */
		else
			rc = move_branch(&ch, &commit_oid, reflog.ptr, &locked_ms);
		if (rc < 0 && rc != ADR_ENOMEM) {
			/* The undo below calls libgit2, which forgets this error. */
			const git_error *ge = git_error_last();
			git_oid now;
			snprintf(why, sizeof(why), "%s", ge && ge->message ? ge->message : "");
			/* The ref moved and only syncing its directory failed
			 * (durable mode): the commit landed; saying it failed
			 * would invite a second one. */
			if (git_reference_name_to_id(&now, git, ch.branch) == 0 && git_oid_equal(&now, &commit_oid)) {
				if (notes.size)
					adr_buf_putc(&notes, '\n');
				adr_buf_printf(&notes, "the commit landed, but may not survive a power loss: %s", why);
				rc = 0;
			}
		}
		if (rc == 0) {
			git_oid_tostr(out->commit, sizeof(out->commit), &commit_oid);
			snprintf(out->parent, sizeof(out->parent), "%s", ch.base);
			break;
		}
		/* The branch did not move: the work trees go back as they were
		 * (libgit2's reason was kept in `why` above: the undo clears it). */
		if (adr__wt_undo(wts) < 0) {
			adr_buf w = ADR_BUF_INIT;
			adr_buf_printf(&w, "%s; the next adr command repairs the work tree", adr_error_last());
			rc = adr__error(ADR_ERROR, "%s", adr_buf_oom(&w) ? "cannot undo the work tree" : w.ptr);
			adr_buf_dispose(&w);
			goto cleanup;
		}
		if (rc == ADR_ENOMEM) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
		if (rc == GIT_ELOCKED) {
			/* A lock that outlasts the wait is reported as a lock. */
			rc = adr__error(ADR_EBUSY, "'%s%s.lock' exists: another git process is updating the branch, "
						   "or one crashed. If no git process is running, remove that file",
					adr_repo_commondir(repo), ch.branch);
			goto cleanup;
		}
		if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
			if (out->attempts >= max_attempts) {
				rc = adr__error_git(rc, "gave up after %u attempts: '%s' keeps changing (retry later)",
						    out->attempts, ch.branch);
				goto cleanup;
			}
			locked_ms = 0;
			adr__sleep_ms(adr__jitter_ms(5));
			adr_error_clear();
			continue;
		}
		if (why[0])
			rc = adr__error(ADR_EGIT, "cannot update '%s': %s", ch.branch, why);
		else
			rc = adr__error_git(rc, "cannot update '%s'", ch.branch);
		goto cleanup;
	}

	if (adr__wt_count(wts)) {
		/* The branch moved: deletions leave the work trees, locks go. */
		int wrc = adr__wt_finish(wts);
		if (wrc < 0) {
			adr_buf w = ADR_BUF_INIT;
			adr_buf_printf(&w, "the commit landed (%.12s), but the work tree could not follow: %s; the next "
					   "adr command finishes it",
				       out->commit, adr_error_last());
			out->warning = adr_buf_detach(&w);
			adr_error_clear();
		} else {
			out->worktree_updated = true;
		}
	}
	rc = 0;
cleanup:
	add_note(out, &notes);
	adr__wt_release(wts);
	free(files);
	change_dispose(&ch);
	git_signature_free(author);
	git_signature_free(committer);
	adr_buf_dispose(&msg);
	adr_buf_dispose(&reflog);
	adr_buf_dispose(&notes);
	return rc;
}

void adr_commit_result_dispose(adr_commit_result *res)
{
	free(res->warning);
	res->warning = NULL;
}
