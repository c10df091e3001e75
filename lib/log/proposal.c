/*
 * Asynchronous review: proposals on adr/<slug> branches, comments and
 * revisions as commits, threads read back from history, and the merge that
 * decides.
 */
#include "git/repo_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "adr/commit.h"
#include "adr/html.h"
#include "adr/markdown.h"
#include "adr/proposal.h"
#include "log/ops_internal.h"
#include "util/utf8.h"
#include "util/error.h"

#define HEADS_PREFIX "refs/heads/adr/"
#define REMOTES_PREFIX "refs/remotes/"

/* --- small helpers -------------------------------------------------------- */

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Valid UTF-8 without NUL: what a git message or a record may hold. */
static bool utf8_ok(const char *s, size_t len)
{
	return !memchr(s, 0, len) && adr__utf8_valid(s, len);
}

int adr__text_check(const char *what, const char *s, size_t len);
int adr__text_check(const char *what, const char *s, size_t len)
{
	if (!utf8_ok(s, len))
		return adr__error(ADR_EINVALID, "%s is not valid UTF-8 text (or contains a NUL byte)", what);
	return 0;
}

/* The date `t` seconds since the epoch, the way adr_today() does it. */
static void date_at(char out[11], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if (getenv("ADR_NOW"))
		gmtime_r(&tt, &tm);
	else
		localtime_r(&tt, &tm);
	strftime(out, 11, "%Y-%m-%d", &tm);
}

/* The person deciding: GIT_AUTHOR_NAME, else user.name. */
static int decider_name(adr_buf *out, adr_repo *repo)
{
	const char *env = getenv("GIT_AUTHOR_NAME");
	git_config *cfg = NULL;
	git_buf name = { 0 };
	int rc;
	if (env && *env)
		return adr_buf_puts(out, env) < 0 ? adr__error(ADR_ENOMEM, "out of memory") : 0;
	if ((rc = git_repository_config_snapshot(&cfg, adr__repo_git(repo))) < 0)
		return adr__error_git(rc, "cannot read git config");
	if ((rc = git_config_get_string_buf(&name, cfg, "user.name")) == GIT_ENOTFOUND)
		rc = adr__error(ADR_EUSAGE, "no author name: set it with git config user.name \"Your Name\"");
	else if (rc < 0)
		rc = adr__error_git(rc, "cannot read user.name from git config");
	else
		rc = adr_buf_puts(out, name.ptr) < 0 ? adr__error(ADR_ENOMEM, "out of memory") : 0;
	git_buf_dispose(&name);
	git_config_free(cfg);
	return rc;
}

static int set_res_path(adr_op_result *res, const char *path)
{
	free(res->path);
	res->path = strdup(path);
	return res->path ? 0 : adr__error(ADR_ENOMEM, "out of memory");
}

static int oid_of(git_oid *out, adr_repo *repo, const char *ref)
{
	int rc = git_reference_name_to_id(out, adr__repo_git(repo), ref);
	if (rc < 0)
		return adr__error_git(rc, "cannot read '%s'", ref);
	return 0;
}

/* The decision branch's tip: 1 with *out set, 0 when the branch has no
 * commits yet, or an error when it cannot be read, which must never pass
 * for an unborn branch (its commits would count as a proposal's, or a
 * decided proposal as open). */
static int decision_tip(git_oid *out, adr_repo *repo)
{
	int rc = git_reference_name_to_id(out, adr__repo_git(repo), adr_repo_branch(repo));
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return adr__error_git(rc, "cannot read the decision branch '%s'", adr_repo_branch(repo));
	return 1;
}

/* "adr/x" or "origin/adr/x" for a proposal ref, as people write it. */
static const char *ref_short(const char *ref)
{
	if (strncmp(ref, "refs/heads/", 11) == 0)
		return ref + 11;
	if (strncmp(ref, "refs/remotes/", 13) == 0)
		return ref + 13;
	return ref;
}

typedef struct {
	git_oid *ids;
	size_t count, alloc;
} oid_list;

static int oid_list_add(oid_list *l, const git_oid *id)
{
	if (l->count == l->alloc) {
		size_t na = l->alloc ? l->alloc * 2 : 8;
		git_oid *p = realloc(l->ids, na * sizeof(*p));
		if (!p)
			return adr__error(ADR_ENOMEM, "out of memory");
		l->ids = p;
		l->alloc = na;
	}
	git_oid_cpy(&l->ids[l->count++], id);
	return 0;
}

static void oid_list_clear(oid_list *l)
{
	free(l->ids);
	memset(l, 0, sizeof(*l));
}

enum {
	BRANCH_OPEN,    /* not in the decision branch */
	BRANCH_MERGED,  /* its tip is in the decision branch */
	BRANCH_AHEAD    /* a commit of it that has the record is, and it went on after that */
};

/* --- what a proposal branch may change ------------------------------------- */

/*
 * A proposal branch carries its record, <dir>/<slug>.md, and may add the
 * images that record shows, when they lie under the records directory and
 * are new (not on the decision branch where the proposal started). Every
 * other path it changes would reach the decision branch with the decision:
 * accept and reject refuse such a branch, and a thread marks the commits.
 */

static bool image_path(const char *path)
{
	static const char *const ok[] = { "png", "jpg", "jpeg", "gif", "webp", "avif", NULL };
	const char *dot = strrchr(path, '.');
	if (!dot || strchr(dot, '/'))
		return false;
	for (size_t i = 0; ok[i]; i++)
		if (strcasecmp(dot + 1, ok[i]) == 0)
			return true;
	return false;
}

typedef struct {
	adr_strlist *out;
	const char *base_dir;       /* the record's directory */
	const char *records_dir;
	git_tree *base;             /* the tree the proposal started from, or NULL */
} image_ctx;

static int image_cb(adr_buf *out, const char *url, bool is_image, void *payload)
{
	image_ctx *c = payload;
	adr_buf path = ADR_BUF_INIT;
	git_tree_entry *e = NULL;
	size_t dl = strlen(c->records_dir);
	int rc = ADR_MD_KEEP;

	(void)out;
	if (!is_image)
		return ADR_MD_KEEP;
	/* Not a path inside the repository: no file the branch may add. */
	if (adr_html_resolve_link(&path, NULL, c->base_dir, url) < 0) {
		adr_error_clear();
		goto cleanup;
	}
	if (strncmp(path.ptr, c->records_dir, dl) != 0 || path.ptr[dl] != '/' || !image_path(path.ptr))
		goto cleanup;
	/* An image the decision branch already had belongs to it. */
	if (c->base && git_tree_entry_bypath(&e, c->base, path.ptr) == 0)
		goto cleanup;
	git_error_clear();
	if (adr_strlist_add_unique(c->out, path.ptr) < 0)
		rc = adr__error(ADR_ENOMEM, "out of memory");
cleanup:
	git_tree_entry_free(e);
	adr_buf_dispose(&path);
	return rc;
}

/* The images besides its record that a proposal whose record is `path` in
 * `tree` may add (see above); `base` is where it started, or NULL. */
static int proposal_images(adr_strlist *out, adr_repo *repo, git_tree *tree, git_tree *base, const char *path)
{
	adr_buf text = ADR_BUF_INIT, dir = ADR_BUF_INIT;
	adr_record *r = NULL;
	adr_markdown_opts mo = ADR_MARKDOWN_OPTS_INIT;
	adr_markdown_result res = ADR_MARKDOWN_RESULT_INIT;
	const char *slash = strrchr(path, '/');
	image_ctx c;
	int rc = 0;

	/* No readable record: no image either. */
	if (adr__tree_read(&text, adr__repo_git(repo), tree, path) < 0 ||
	    adr_record_parse(&r, path, text.ptr, text.size, ADR_PARSE_LENIENT) < 0) {
		adr_error_clear();
		goto cleanup;
	}
	adr_buf_put(&dir, path, slash ? (size_t)(slash - path) : 0);
	if (adr_buf_oom(&dir)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	c.out = out;
	c.base_dir = dir.ptr;
	c.records_dir = adr_repo_records_dir(repo);
	c.base = base;
	mo.link = image_cb;
	mo.payload = &c;
	rc = adr_markdown_render(&res, r->body ? r->body : "", r->body ? strlen(r->body) : 0, &mo);
cleanup:
	adr_markdown_result_dispose(&res);
	adr_record_free(r);
	adr_buf_dispose(&text);
	adr_buf_dispose(&dir);
	return rc;
}

/* The tree of commit `id` (NULL id: no tree, for an empty start). */
static int tree_of(git_tree **out, git_repository *git, const git_oid *id)
{
	git_commit *c = NULL;
	int rc;
	*out = NULL;
	if (!id)
		return 0;
	if ((rc = git_commit_lookup(&c, git, id)) < 0 || (rc = git_commit_tree(out, c)) < 0)
		rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(id));
	git_commit_free(c);
	return rc;
}

/*
 * The paths the proposal branch at `tip` changed since its merge base with
 * the decision branch tip `base` that it may not change (see above), for a
 * record at `record`. A branch with no common history changed everything.
 */
static int branch_outside(adr_strlist *out, adr_repo *repo, const git_oid *tip, const git_oid *base,
			  const char *record)
{
	git_repository *git = adr__repo_git(repo);
	git_tree *tt = NULL, *bt = NULL;
	git_diff *diff = NULL;
	adr_strlist imgs = ADR_STRLIST_INIT;
	git_oid mb;
	bool have_mb = false;
	int rc;

	if ((rc = git_merge_base(&mb, git, tip, base)) == 0)
		have_mb = true;
	else if (rc != GIT_ENOTFOUND) {
		rc = adr__error_git(rc, "cannot find where %s left the decision branch", record);
		goto cleanup;
	}
	git_error_clear();
	if ((rc = tree_of(&tt, git, tip)) < 0 || (rc = tree_of(&bt, git, have_mb ? &mb : NULL)) < 0 ||
	    (rc = proposal_images(&imgs, repo, tt, bt, record)) < 0)
		goto cleanup;
	if ((rc = git_diff_tree_to_tree(&diff, git, bt, tt, NULL)) < 0) {
		rc = adr__error_git(rc, "cannot compare the proposal with the decision branch");
		goto cleanup;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const bool gone = d->status == GIT_DELTA_DELETED;
		const char *path = gone ? d->old_file.path : d->new_file.path;
		/* Its record (whatever is wrong with it is said when it is read). */
		if (!gone && strcmp(path, record) == 0)
			continue;
		if (d->status == GIT_DELTA_ADDED && d->new_file.mode == GIT_FILEMODE_BLOB &&
		    adr_strlist_contains(&imgs, path))
			continue;
		if (adr_strlist_add_unique(out, path) < 0) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	git_diff_free(diff);
	git_tree_free(tt);
	git_tree_free(bt);
	adr_strlist_clear(&imgs);
	return rc;
}

/* True when parent `k` of `c` has the path of `d` as `d` leaves it. */
static bool same_in_parent(git_commit *c, unsigned k, const git_diff_delta *d)
{
	git_commit *pk = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	bool same = false;

	if (git_commit_parent(&pk, c, k) == 0 && git_commit_tree(&t, pk) == 0) {
		if (d->status == GIT_DELTA_DELETED)
			same = git_tree_entry_bypath(&e, t, d->old_file.path) != 0;
		else
			same = git_tree_entry_bypath(&e, t, d->new_file.path) == 0 &&
			       git_oid_equal(git_tree_entry_id(e), &d->new_file.id) &&
			       git_tree_entry_filemode(e) == (git_filemode_t)d->new_file.mode;
	}
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(pk);
	return same;
}

/* The paths commit `c` itself changed (for a merge: what differs from every
 * parent, as git's combined diff shows it) that are neither `record` nor
 * one of `imgs`. */
static int commit_outside(adr_strlist *out, git_repository *git, git_commit *c, const char *record,
			  const adr_strlist *imgs)
{
	unsigned np = git_commit_parentcount(c);
	git_commit *p0 = NULL;
	git_tree *ct = NULL, *pt = NULL;
	git_diff *diff = NULL;
	int rc;

	if ((rc = git_commit_tree(&ct, c)) < 0 ||
	    (np && ((rc = git_commit_parent(&p0, c, 0)) < 0 || (rc = git_commit_tree(&pt, p0)) < 0))) {
		rc = adr__error_git(rc, "cannot read commit %s", git_oid_tostr_s(git_commit_id(c)));
		goto cleanup;
	}
	if ((rc = git_diff_tree_to_tree(&diff, git, pt, ct, NULL)) < 0) {
		rc = adr__error_git(rc, "cannot read what commit %s changed", git_oid_tostr_s(git_commit_id(c)));
		goto cleanup;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *path = d->status == GIT_DELTA_DELETED ? d->old_file.path : d->new_file.path;
		bool same = false;
		if (strcmp(path, record) == 0 || adr_strlist_contains(imgs, path))
			continue;
		for (unsigned k = 1; k < np && !same; k++)
			same = same_in_parent(c, k, d);
		if (!same && adr_strlist_add_unique(out, path) < 0) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	rc = 0;
cleanup:
	git_diff_free(diff);
	git_tree_free(ct);
	git_tree_free(pt);
	git_commit_free(p0);
	return rc;
}

/* Refuses a decision on a branch that changed `paths` besides its record. */
static int outside_error(const adr_strlist *paths, adr_repo *repo, const char *ref, const char *slug,
			 const char *record)
{
	adr_buf names = ADR_BUF_INIT;
	int rc;
	for (size_t i = 0; i < paths->count && i < 20; i++)
		adr_buf_printf(&names, "%s'%s'", i ? ", " : "", paths->items[i]);
	if (paths->count > 20)
		adr_buf_printf(&names, " and %zu more", paths->count - 20);
	rc = adr__error(ADR_EINVALID, "%s changes files outside its record: %s; a proposal may change only '%s' "
				      "(and add images it shows under '%s/'); revert those changes on the branch (adr "
				      "thread %s marks the commits that made them) and try again; nothing was written",
			ref_short(ref), adr_buf_oom(&names) ? "(out of memory)" : names.ptr, record,
			adr_repo_records_dir(repo), slug);
	adr_buf_dispose(&names);
	return rc;
}

/* --- trailers ------------------------------------------------------------- */

static bool trailer_line(const char *s, size_t n, size_t *colon)
{
	size_t i = 0;
	while (i < n && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
			 (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
		i++;
	if (i == 0 || i + 1 >= n || s[i] != ':' || s[i + 1] != ' ')
		return false;
	*colon = i;
	return true;
}

int adr_proposal_trailers(adr_strlist *keys, adr_strlist *values, const char *msg)
{
	size_t len = strlen(msg), start, end;
	const char *p;

	/* The last paragraph: after the last blank line, trailing newlines ignored. */
	end = len;
	while (end > 0 && (msg[end - 1] == '\n' || msg[end - 1] == '\r'))
		end--;
	start = end;
	while (start > 0 && !(msg[start - 1] == '\n' && start >= 2 && msg[start - 2] == '\n'))
		start--;
	/* The subject alone is never a trailer block. */
	if (start == 0)
		return 0;
	for (p = msg + start; p < msg + end;) {
		const char *nl = memchr(p, '\n', (size_t)(msg + end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(msg + end - p), colon;
		if (!trailer_line(p, n, &colon)) {
			/* Not a block adr wrote: nothing in it counts. */
			for (size_t k = 0; k < keys->count; k++) {
				free(keys->items[k]);
				free(values->items[k]);
			}
			keys->count = values->count = 0;
			return 0;
		}
		if (adr_strlist_addn(keys, p, colon) < 0 || adr_strlist_addn(values, p + colon + 2, n - colon - 2) < 0)
			return adr__error(ADR_ENOMEM, "out of memory");
		p = nl ? nl + 1 : msg + end;
	}
	return 0;
}

static const char *trailer_get(const adr_strlist *keys, const adr_strlist *values, const char *key)
{
	const char *v = NULL;
	for (size_t i = 0; i < keys->count; i++)
		if (strcasecmp(keys->items[i], key) == 0)
			v = values->items[i];
	return v;
}

/* The message text between the subject and the trailer block. */
static char *message_text(const char *msg, bool has_trailers)
{
	const char *p = strchr(msg, '\n');
	size_t end;
	if (!p)
		return strdup("");
	while (*p == '\n')
		p++;
	end = strlen(p);
	if (has_trailers) {
		size_t e = end;
		while (e > 0 && p[e - 1] == '\n')
			e--;
		while (e > 0 && !(p[e - 1] == '\n' && e >= 2 && p[e - 2] == '\n'))
			e--;
		end = e;
	}
	while (end > 0 && p[end - 1] == '\n')
		end--;
	return strndup(p, end);
}

/* --- finding proposals ------------------------------------------------------ */

typedef struct {
	char *slug;
	char *ref;
	bool remote;
} cand;

typedef struct {
	cand *items;
	size_t count, alloc;
} cand_list;

static void cands_clear(cand_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].slug);
		free(l->items[i].ref);
	}
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* The slug of a proposal ref, or NULL. */
static const char *ref_slug(const char *name, bool *remote)
{
	const char *s = NULL;
	if (strncmp(name, HEADS_PREFIX, strlen(HEADS_PREFIX)) == 0) {
		s = name + strlen(HEADS_PREFIX);
		*remote = false;
	} else if (strncmp(name, REMOTES_PREFIX, strlen(REMOTES_PREFIX)) == 0) {
		const char *r = name + strlen(REMOTES_PREFIX);
		const char *a = strstr(r, "/adr/");
		if (!a || a == r)
			return NULL;
		s = a + 5;
		*remote = true;
	}
	if (!s || !*s || strchr(s, '/'))
		return NULL;
	return s;
}

static int cands_load(cand_list *l, adr_repo *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int rc;

	if ((rc = git_reference_iterator_new(&it, adr__repo_git(repo))) < 0)
		return adr__error_git(rc, "cannot list branches");
	while ((rc = git_reference_next(&ref, it)) == 0) {
		bool remote = false;
		const char *name = git_reference_name(ref);
		const char *slug = ref_slug(name, &remote);
		if (slug && git_reference_type(ref) == GIT_REFERENCE_DIRECT) {
			if (l->count == l->alloc) {
				size_t na = l->alloc ? l->alloc * 2 : 16;
				cand *p = realloc(l->items, na * sizeof(*p));
				if (!p) {
					git_reference_free(ref);
					rc = adr__error(ADR_ENOMEM, "out of memory");
					goto cleanup;
				}
				l->items = p;
				l->alloc = na;
			}
			l->items[l->count].slug = strdup(slug);
			l->items[l->count].ref = strdup(name);
			l->items[l->count].remote = remote;
			l->count++;
			if (!l->items[l->count - 1].slug || !l->items[l->count - 1].ref) {
				git_reference_free(ref);
				rc = adr__error(ADR_ENOMEM, "out of memory");
				goto cleanup;
			}
		}
		git_reference_free(ref);
	}
	rc = rc == GIT_ITEROVER ? 0 : adr__error_git(rc, "cannot list branches");
cleanup:
	git_reference_iterator_free(it);
	return rc;
}

void adr_proposal_dispose(adr_proposal *p)
{
	free(p->slug);
	free(p->ref);
	free(p->path);
	free(p->error);
	adr_record_free(p->record);
	adr_strlist_clear(&p->approvals);
	adr_strlist_clear(&p->objections);
	memset(p, 0, sizeof(*p));
}

static int walk_thread(adr_thread *t, adr_repo *repo, const git_oid *tip, const git_oid *hide, const char *path,
		       unsigned flags);
static int proposal_decided(adr_decision *d, git_commit **merge, adr_repo *repo, const adr_proposal *p,
			    oid_list *late);
static int decision_by_name(adr_decision *d, git_commit **merge, adr_buf *slug, adr_repo *repo, const char *ref,
			    oid_list *late);
static int branch_state(git_repository *git, const git_oid *tip, const git_oid *dtip, const char *path, size_t *late);

static int proposal_load(adr_proposal *p, adr_repo *repo, const cand *c, bool with_thread)
{
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	git_oid oid;
	int rc;

	memset(p, 0, sizeof(*p));
	p->slug = xstrdup(c->slug);
	p->ref = xstrdup(c->ref);
	p->remote = c->remote;
	adr_buf_printf(&path, "%s/%s.md", adr_repo_records_dir(repo), c->slug);
	p->path = adr_buf_detach(&path);
	if (!p->slug || !p->ref) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = oid_of(&oid, repo, c->ref)) < 0)
		goto cleanup;
	git_oid_tostr(p->tip, sizeof(p->tip), &oid);
	/* A branch without its record, or with a record that does not parse,
	 * is listed with the problem; a read that fails is an error, or every
	 * proposal would vanish from the queue with a warning. */
	rc = adr_repo_read_file(&data, repo, p->tip, p->path);
	if (rc < 0 && rc != ADR_ENOTFOUND && rc != ADR_EINVALID)
		goto cleanup;
	if (rc < 0 || adr_record_parse(&p->record, p->path, data.ptr, data.size, ADR_PARSE_LENIENT) < 0) {
		p->error = strdup(adr_error_last());
		adr_error_clear();
	}
	if (with_thread) {
		adr_thread t;
		git_oid hide;
		int have_hide = decision_tip(&hide, repo); /* unborn: nothing to hide */
		if ((rc = have_hide) < 0)
			goto cleanup;
		memset(&t, 0, sizeof(t));
		if ((rc = walk_thread(&t, repo, &oid, have_hide ? &hide : NULL, p->path, 0)) < 0) {
			adr_thread_dispose(&t);
			goto cleanup;
		}
		for (size_t i = 0; i < t.count; i++) {
			adr_event *e = &t.events[i];
			if (e->kind == ADR_EVENT_PROPOSED && !p->created)
				p->created = e->time;
			if (e->kind == ADR_EVENT_REVISED)
				p->revisions++;
			if (e->kind != ADR_EVENT_COMMENT)
				continue;
			p->comments++;
			if (e->vote == ADR_VOTE_APPROVE) {
				adr_strlist_add_unique(&p->approvals, e->author);
				for (size_t k = 0; k < p->objections.count; k++)
					if (strcmp(p->objections.items[k], e->author) == 0)
						p->objections.items[k][0] = '\0';
			} else if (e->vote == ADR_VOTE_OBJECT) {
				adr_strlist_add_unique(&p->objections, e->author);
				for (size_t k = 0; k < p->approvals.count; k++)
					if (strcmp(p->approvals.items[k], e->author) == 0)
						p->approvals.items[k][0] = '\0';
			}
		}
		/* Drop the votes a later vote replaced (emptied above). */
		for (adr_strlist *l = &p->approvals; l; l = l == &p->approvals ? &p->objections : NULL) {
			size_t w = 0;
			for (size_t k = 0; k < l->count; k++) {
				if (l->items[k][0])
					l->items[w++] = l->items[k];
				else
					free(l->items[k]);
			}
			l->count = w;
		}
		if (!p->created && t.count)
			p->created = t.events[0].time;
		adr_thread_dispose(&t);
	}
	rc = 0;
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	return rc;
}

/* Picks the candidate for `ref`; *idx = -1 when none. */
static int cands_pick(int *idx, const cand_list *l, const char *ref)
{
	const char *want_ref = NULL;
	adr_buf full = ADR_BUF_INIT;
	int found = -1, rc = 0;
	size_t rlen = strlen(ref);

	*idx = -1;
	if (strncmp(ref, "refs/", 5) == 0) {
		want_ref = ref;
	} else if (strncmp(ref, "adr/", 4) == 0) {
		adr_buf_printf(&full, "refs/heads/%s", ref);
		want_ref = full.ptr;
	} else if (strstr(ref, "/adr/")) {
		adr_buf_printf(&full, "refs/remotes/%s", ref);
		want_ref = full.ptr;
	}
	if (want_ref) {
		for (size_t i = 0; i < l->count; i++)
			if (strcmp(l->items[i].ref, want_ref) == 0)
				found = (int)i;
		/* "adr/x" also names a proposal known only as a remote-tracking branch. */
		if (found >= 0 || strncmp(ref, "adr/", 4) != 0) {
			*idx = found;
			goto cleanup;
		}
		ref += 4;
		rlen -= 4;
	}
	/* An exact slug, local first. */
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].slug, ref) == 0 && (found < 0 || (l->items[found].remote && !l->items[i].remote)))
			found = (int)i;
	if (found >= 0) {
		*idx = found;
		goto cleanup;
	}
	/* A unique prefix. */
	for (size_t i = 0; i < l->count; i++) {
		if (rlen == 0 || strncmp(l->items[i].slug, ref, rlen) != 0)
			continue;
		if (found >= 0 && strcmp(l->items[found].slug, l->items[i].slug) != 0) {
			rc = adr__error(ADR_EAMBIGUOUS, "'%s' matches more than one proposal: %s, %s, ...", ref,
					l->items[found].slug, l->items[i].slug);
			goto cleanup;
		}
		if (found < 0 || (l->items[found].remote && !l->items[i].remote))
			found = (int)i;
	}
	*idx = found;
cleanup:
	adr_buf_dispose(&full);
	return rc;
}

int adr_proposal_find(adr_proposal *out, adr_repo *repo, const char *ref, bool with_thread)
{
	cand_list l = { 0 };
	int rc, idx;

	memset(out, 0, sizeof(*out));
	if ((rc = cands_load(&l, repo)) < 0 || (rc = cands_pick(&idx, &l, ref)) < 0)
		goto cleanup;
	if (idx < 0) {
		rc = adr__error(ADR_ENOTFOUND, "no proposal '%s' (no local or remote-tracking adr/* branch matches)", ref);
		goto cleanup;
	}
	rc = proposal_load(out, repo, &l.items[idx], with_thread);
cleanup:
	cands_clear(&l);
	return rc;
}

static int cmp_proposal(const void *a, const void *b)
{
	const adr_proposal *x = a, *y = b;
	const char *dx = x->record && x->record->review_by[0] ? x->record->review_by : "9999";
	const char *dy = y->record && y->record->review_by[0] ? y->record->review_by : "9999";
	int c = strcmp(dx, dy);
	return c ? c : strcmp(x->slug, y->slug);
}

int adr_proposal_list_all(adr_proposal_list *out, adr_repo *repo)
{
	cand_list l = { 0 };
	adr_buf path = ADR_BUF_INIT, note = ADR_BUF_INIT;
	int rc;
	git_oid dtip;
	bool have_dtip;

	memset(out, 0, sizeof(*out));
	if ((rc = cands_load(&l, repo)) < 0)
		goto cleanup;
	if ((rc = decision_tip(&dtip, repo)) < 0)
		goto cleanup;
	have_dtip = rc == 1;
	if (l.count && !(out->items = calloc(l.count, sizeof(*out->items)))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < l.count; i++) {
		bool dup = false;
		git_oid tip;
		/* One per slug: the local branch, else the first remote-tracking one. */
		for (size_t k = 0; k < l.count; k++)
			if (k != i && strcmp(l.items[k].slug, l.items[i].slug) == 0 &&
			    ((!l.items[k].remote && l.items[i].remote) || (l.items[k].remote == l.items[i].remote && k < i)))
				dup = true;
		if (dup)
			continue;
		/* A branch merged into the decision branch is decided, not open;
		 * so is one that went on after its decision (late commits). */
		if (have_dtip && git_reference_name_to_id(&tip, adr__repo_git(repo), l.items[i].ref) == 0) {
			adr_proposal tmp;
			adr_decision d;
			size_t late = 0;
			int state;
			adr_buf_clear(&path);
			adr_buf_printf(&path, "%s/%s.md", adr_repo_records_dir(repo), l.items[i].slug);
			if (adr_buf_oom(&path)) {
				rc = adr__error(ADR_ENOMEM, "out of memory");
				goto cleanup;
			}
			state = branch_state(adr__repo_git(repo), &tip, &dtip, path.ptr, &late);
			if (state == BRANCH_MERGED)
				continue;
			if (state == BRANCH_AHEAD) {
				memset(&tmp, 0, sizeof(tmp));
				tmp.slug = l.items[i].slug;
				tmp.path = path.ptr;
				git_oid_tostr(tmp.tip, sizeof(tmp.tip), &tip);
				if ((rc = proposal_decided(&d, NULL, repo, &tmp, NULL)) < 0)
					goto cleanup;
				if (rc == 1) {
					adr_buf_clear(&note);
					adr_buf_printf(&note, "%s was decided as %04d, but has %zu commit%s made after the "
							      "decision; they do not reopen it (adr thread %s shows them "
							      "as late)",
						       ref_short(l.items[i].ref), d.number, d.late, d.late == 1 ? "" : "s",
						       l.items[i].slug);
					if (adr_buf_oom(&note) || adr_strlist_add(&out->notes, note.ptr) < 0) {
						rc = adr__error(ADR_ENOMEM, "out of memory");
						goto cleanup;
					}
					continue;
				}
			}
		}
		if ((rc = proposal_load(&out->items[out->count], repo, &l.items[i], true)) < 0) {
			adr_proposal_dispose(&out->items[out->count]);
			goto cleanup;
		}
		out->count++;
	}
	if (out->count)
		qsort(out->items, out->count, sizeof(*out->items), cmp_proposal);
	rc = 0;
cleanup:
	cands_clear(&l);
	adr_buf_dispose(&path);
	adr_buf_dispose(&note);
	if (rc < 0)
		adr_proposal_list_dispose(out);
	return rc;
}

void adr_proposal_list_dispose(adr_proposal_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		adr_proposal_dispose(&l->items[i]);
	free(l->items);
	adr_strlist_clear(&l->notes);
	memset(l, 0, sizeof(*l));
}

/* --- deadlines ---------------------------------------------------------------- */

int adr_deadline(char out[11], adr_repo *repo, const char *spec, adr_level urgency, adr_level complexity)
{
	char key[64];
	const char *s = spec;
	char *end;
	long long n, unit;

	if (!s || !*s) {
		snprintf(key, sizeof(key), "deadlines.%s-%s", urgency == ADR_LEVEL_HIGH ? "urgent" : "calm",
			 complexity == ADR_LEVEL_HIGH ? "complex" : "simple");
		s = repo ? adr_repo_config_string(repo, key) : NULL;
		if (!s)
			s = urgency == ADR_LEVEL_HIGH ? "1d" : complexity == ADR_LEVEL_HIGH ? "7d" : "3d";
	}
	if (adr_date_valid(s)) {
		snprintf(out, 11, "%s", s);
		return 0;
	}
	if (*s < '0' || *s > '9')
		goto bad;
	n = strtoll(s, &end, 10);
	if (end[0] == '\0' || end[1] != '\0' || n <= 0 || n > 3650)
		goto bad;
	unit = end[0] == 'h' ? 3600 : end[0] == 'd' ? 86400 : end[0] == 'w' ? 7 * 86400 : 0;
	if (!unit || n * unit > 3650LL * 86400)
		goto bad;
	date_at(out, adr_now() + n * unit);
	return 0;
bad:
	return adr__error(ADR_EUSAGE, "deadline '%s' is not a duration (48h, 3d, 2w) or a date (YYYY-MM-DD)%s", s,
			  s == spec ? "" : " (from .adr.yaml deadlines)");
}

/* --- propose ---------------------------------------------------------------- */

typedef struct {
	adr_op_result *res;
	adr_record *r;
	const char *slug;
} propose_ctx;

static int propose_fn(adr_change *ch, void *payload)
{
	propose_ctx *c = payload;
	adr_buf path = ADR_BUF_INIT, pbranch = ADR_BUF_INIT;
	int rc;

	adr_buf_printf(&path, "%s/%s.md", adr_repo_records_dir(adr_change_repo(ch)), c->slug);
	adr_buf_printf(&pbranch, "adr/%s", c->slug);
	if (adr_buf_oom(&path) || adr_buf_oom(&pbranch)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (adr_change_exists(ch, path.ptr)) {
		/* A file on the decision branch, not a proposal (check_slug_free() saw none). */
		rc = adr__error(ADR_EEXISTS, "'%s' already exists on %s: the proposal adr/%s would add it; use "
					     "another title", path.ptr, ref_short(adr_repo_branch(adr_change_repo(ch))), c->slug);
		goto cleanup;
	}
	free(c->r->path);
	if (!(c->r->path = strdup(path.ptr))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = adr_change_write_record(ch, c->r)) < 0 || (rc = set_res_path(c->res, path.ptr)) < 0)
		goto cleanup;
	if ((rc = adr_change_set_subject(ch, "adr: propose %s", c->r->title)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Action", "propose")) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Proposal", pbranch.ptr)) < 0)
		goto cleanup;
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&pbranch);
	return rc;
}

/* Refuses a slug that clashes (ignoring case) with an existing proposal branch. */
static int check_slug_free(adr_repo *repo, const char *slug)
{
	cand_list l = { 0 };
	int rc = cands_load(&l, repo);
	for (size_t i = 0; rc == 0 && i < l.count; i++)
		if (strcasecmp(l.items[i].slug, slug) == 0)
			rc = adr__error(ADR_EEXISTS, "a proposal named '%s' already exists (%s)", slug, l.items[i].ref);
	cands_clear(&l);
	return rc;
}

/*
 * The slug of a proposal: from the title, as for any record, except that
 * its file <dir>/<slug>.md carries no number, so a slug that reads as one
 * ("2", "12-factor-app", "adr-5-rules": see adr_record_parse_filename())
 * gets the prefix "proposal-". The record keeps that slug when it is
 * numbered (0007-proposal-2.md), as the branch and the thread do.
 */
static int proposal_slug(adr_buf *slug, const char *title)
{
	adr_buf name = ADR_BUF_INIT;
	int rc, number;

	if ((rc = adr_slugify(slug, title)) < 0 || !slug->size)
		return rc;
	adr_buf_printf(&name, "%s.md", slug->ptr);
	if (adr_buf_oom(&name)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
	} else if (adr_record_parse_filename(&number, NULL, name.ptr) == 0) {
		adr_buf_clear(&name);
		adr_buf_printf(&name, "proposal-%s", slug->ptr);
		if (adr_buf_oom(&name) || adr_buf_set(slug, name.ptr, name.size) < 0)
			rc = adr__error(ADR_ENOMEM, "out of memory");
	} else {
		adr_error_clear(); /* not a number: the slug stays */
	}
	adr_buf_dispose(&name);
	return rc;
}

int adr_op_propose(adr_op_result *res, adr_repo *repo, adr_record *r)
{
	adr_buf slug = ADR_BUF_INIT, branch = ADR_BUF_INIT;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	propose_ctx c = { res, r, NULL };
	git_oid dtip;
	char start[41];
	int rc;

	if ((rc = proposal_slug(&slug, r->title)) < 0)
		goto cleanup;
	if (!slug.size) {
		rc = adr__error(ADR_EINVALID, "cannot make a branch name from the title '%s': use a title with "
					      "ASCII letters or digits", r->title);
		goto cleanup;
	}
	/* A valid ref name: adr_slugify() keeps [a-z0-9-], never a dash first or last. */
	adr_buf_printf(&branch, "refs/heads/adr/%s", slug.ptr);
	if (adr_buf_oom(&branch)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = check_slug_free(repo, slug.ptr)) < 0)
		goto cleanup;
	if ((rc = decision_tip(&dtip, repo)) <= 0) {
		if (rc == 0)
			rc = adr__error(ADR_ENOTFOUND, "the decision branch '%s' has no commits yet (run adr init first)",
					adr_repo_branch(repo));
		goto cleanup;
	}
	git_oid_tostr(start, sizeof(start), &dtip);
	r->number = -1;
	r->status = ADR_STATUS_PROPOSED;
	free(r->slug);
	r->slug = strdup(slug.ptr);
	if ((rc = adr_record_validate(r)) < 0)
		goto cleanup;
	c.slug = slug.ptr;
	opts.branch = branch.ptr;
	opts.start_point = start;
	rc = adr__op_commit(res, repo, propose_fn, &c, &opts);
cleanup:
	adr_buf_dispose(&slug);
	adr_buf_dispose(&branch);
	return rc;
}

/* --- comment and revise ------------------------------------------------------ */

/* The local branch to write for a proposal, and the start point when it
 * exists only as a remote-tracking branch. */
static int write_target(adr_buf *branch, char start[41], const adr_proposal *p)
{
	adr_buf_printf(branch, "refs/heads/adr/%s", p->slug);
	if (adr_buf_oom(branch))
		return adr__error(ADR_ENOMEM, "out of memory");
	start[0] = '\0';
	if (p->remote)
		snprintf(start, 41, "%s", p->tip);
	return 0;
}

/* True when the record body has a heading named `section` (any level, no case). */
static bool has_section(const char *body, const char *section)
{
	size_t sl = strlen(section);
	for (const char *p = body; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (*p == '#') {
			const char *h = p;
			while (h < p + n && *h == '#')
				h++;
			while (h < p + n && *h == ' ')
				h++;
			size_t hn = (size_t)(p + n - h);
			while (hn > 0 && (h[hn - 1] == ' ' || h[hn - 1] == '\r'))
				hn--;
			if (hn == sl && strncasecmp(h, section, sl) == 0)
				return true;
		}
		p = nl ? nl + 1 : NULL;
	}
	return false;
}

typedef struct {
	adr_op_result *res;
	const adr_proposal *p;
	const char *text;
	adr_vote vote;
	const char *section;
} comment_ctx;

static int comment_fn(adr_change *ch, void *payload)
{
	comment_ctx *c = payload;
	adr_buf pb = ADR_BUF_INIT;
	int rc;

	if (!adr_change_exists(ch, c->p->path)) {
		rc = adr__error(ADR_ENOTFOUND, "%s has no '%s': it is not a proposal", adr_change_branch(ch), c->p->path);
		goto cleanup;
	}
	adr_buf_printf(&pb, "adr/%s", c->p->slug);
	if ((rc = adr_change_set_subject(ch, "adr: %s on %s",
					 c->vote == ADR_VOTE_APPROVE ? "approve" : c->vote == ADR_VOTE_OBJECT ? "object" : "comment",
					 c->p->slug)) < 0 ||
	    (rc = adr_change_set_body(ch, c->text)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Action", "comment")) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Proposal", pb.ptr)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Comment", c->p->slug)) < 0)
		goto cleanup;
	if (c->vote && (rc = adr_change_add_trailer(ch, "Adr-Vote", c->vote == ADR_VOTE_APPROVE ? "approve" : "object")) < 0)
		goto cleanup;
	if (c->section && (rc = adr_change_add_trailer(ch, "Adr-Section", c->section)) < 0)
		goto cleanup;
	rc = set_res_path(c->res, c->p->path);
cleanup:
	adr_buf_dispose(&pb);
	return rc;
}

typedef struct {
	adr_op_result *res;
	const char *slug, *text, *section, *path;
	adr_vote vote;
	int number;
} late_ctx;

/* A late comment: an empty commit on the decision branch. */
static int late_fn(adr_change *ch, void *payload)
{
	late_ctx *c = payload;
	adr_buf pb = ADR_BUF_INIT;
	char num[16];
	int rc;

	snprintf(num, sizeof(num), "%04d", c->number);
	adr_buf_printf(&pb, "adr/%s", c->slug);
	if (adr_buf_oom(&pb)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = adr_change_set_subject(ch, "adr: late %s on %s (%s)",
					 c->vote == ADR_VOTE_APPROVE ? "approve" : c->vote == ADR_VOTE_OBJECT ? "object" : "comment",
					 c->slug, num)) < 0 ||
	    (rc = adr_change_set_body(ch, c->text)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Action", "comment")) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Proposal", pb.ptr)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Comment", c->slug)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Late", "true")) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Record", num)) < 0)
		goto cleanup;
	if (c->vote && (rc = adr_change_add_trailer(ch, "Adr-Vote", c->vote == ADR_VOTE_APPROVE ? "approve" : "object")) < 0)
		goto cleanup;
	if (c->section && (rc = adr_change_add_trailer(ch, "Adr-Section", c->section)) < 0)
		goto cleanup;
	c->res->number = c->number;
	rc = c->path ? set_res_path(c->res, c->path) : 0;
cleanup:
	adr_buf_dispose(&pb);
	return rc;
}

/* Keeps a comment on proposal `slug`, decided as `d`, as a late comment. */
static int late_comment(adr_op_result *res, adr_repo *repo, const char *slug, const adr_decision *d,
			const char *text, adr_vote vote, const char *section)
{
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	adr_record *r = NULL;
	late_ctx c = { res, slug, text, section, NULL, vote, d->number };
	int rc;

	/* The record as it is now (it may have been renumbered or removed since). */
	if (adr_repo_record_path(&path, repo, NULL, d->number) == 0)
		c.path = path.ptr;
	adr_error_clear();
	if (section) {
		if (!c.path) {
			rc = adr__error(ADR_EUSAGE, "--section: record %04d is not on %s", d->number,
					ref_short(adr_repo_branch(repo)));
			goto cleanup;
		}
		if ((rc = adr_repo_read_file(&data, repo, NULL, c.path)) < 0 ||
		    (rc = adr_record_parse(&r, c.path, data.ptr, data.size, ADR_PARSE_LENIENT)) < 0)
			goto cleanup;
		if (!has_section(r->body, section)) {
			rc = adr__error(ADR_EUSAGE, "--section: '%s' has no heading '%s'", c.path, section);
			goto cleanup;
		}
	}
	opts.allow_empty = true;
	rc = adr__op_commit(res, repo, late_fn, &c, &opts);
cleanup:
	adr_record_free(r);
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	return rc;
}

/* The error for a proposal merged by plain git: no decision, no number. */
static int plain_merge_error(const adr_proposal *p, adr_repo *repo, const char *what)
{
	return adr__error(ADR_EINVALID, "%s was merged into %s by a plain git merge, not by adr accept or adr reject, "
					"so it has no number; %s; nothing was written",
			  ref_short(p->ref), ref_short(adr_repo_branch(repo)), what);
}

int adr_op_comment(adr_op_result *res, adr_repo *repo, const char *ref, const char *text, adr_vote vote,
		   const char *section, adr_decision *late)
{
	adr_proposal p;
	adr_decision d;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	adr_buf branch = ADR_BUF_INIT, why = ADR_BUF_INIT, slug = ADR_BUF_INIT;
	comment_ctx c = { res, &p, text ? text : "", vote, section };
	char start[41];
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&d, 0, sizeof(d));
	if (late) {
		memset(late, 0, sizeof(*late));
		late->number = -1;
	}
	if ((rc = adr__text_check("the comment", c.text, strlen(c.text))) < 0)
		return rc;
	if (!*c.text && !vote)
		return adr__error(ADR_EUSAGE, "empty comment (write something, or vote with --approve or --object)");
	if (section) {
		if (strchr(section, '\n') || strchr(section, '\r'))
			return adr__error(ADR_EUSAGE, "--section: a heading cannot contain a line break");
		if ((rc = adr__text_check("--section", section, strlen(section))) < 0)
			return rc;
		if (!*section)
			return adr__error(ADR_EUSAGE, "--section: empty heading");
	}
	rc = adr_proposal_find(&p, repo, ref, false);
	if (rc == ADR_ENOTFOUND) {
		/* Decided, and its branch is gone: a late comment. */
		adr_buf_puts(&why, adr_error_last());
		if ((rc = decision_by_name(&d, NULL, &slug, repo, ref, NULL)) == 0 && slug.size) {
			rc = late_comment(res, repo, slug.ptr, &d, c.text, vote, section);
			goto decided;
		}
		if (rc != ADR_ENOMEM) {
			const char *msg = adr_buf_oom(&why) ? "no proposal" : why.ptr;
			rc = adr__error(ADR_ENOTFOUND, "%s", msg);
		}
		goto cleanup;
	}
	if (rc < 0)
		goto cleanup;
	if ((rc = proposal_decided(&d, NULL, repo, &p, NULL)) < 0)
		goto cleanup;
	if (rc == 1) {
		if (d.number < 0) {
			rc = plain_merge_error(&p, repo, "there is no thread left to comment on");
			goto cleanup;
		}
		rc = late_comment(res, repo, p.slug, &d, c.text, vote, section);
		goto decided;
	}
	if (section && p.record && !has_section(p.record->body, section)) {
		rc = adr__error(ADR_EUSAGE, "--section: '%s' has no heading '%s'", p.path, section);
		goto cleanup;
	}
	if ((rc = write_target(&branch, start, &p)) < 0)
		goto cleanup;
	opts.branch = branch.ptr;
	opts.start_point = start[0] ? start : NULL;
	opts.allow_empty = true;
	rc = adr__op_commit(res, repo, comment_fn, &c, &opts);
	goto cleanup;
decided:
	if (rc == 0 && late)
		*late = d;
cleanup:
	adr_proposal_dispose(&p);
	adr_buf_dispose(&branch);
	adr_buf_dispose(&why);
	adr_buf_dispose(&slug);
	return rc;
}

typedef struct {
	adr_op_result *res;
	const adr_proposal *p;
	const char *text, *base;
	size_t len, base_len;
} revise_ctx;

static int revise_fn(adr_change *ch, void *payload)
{
	revise_ctx *c = payload;
	adr_buf now = ADR_BUF_INIT, pb = ADR_BUF_INIT;
	int rc;

	if ((rc = adr_change_read(ch, &now, c->p->path)) < 0) {
		rc = adr__error(ADR_ENOTFOUND, "%s has no '%s': it is not a proposal", adr_change_branch(ch), c->p->path);
		goto cleanup;
	}
	if (c->base && (now.size != c->base_len || memcmp(now.ptr, c->base, c->base_len) != 0)) {
		rc = adr__error(ADR_ECONFLICT, "%s changed on %s while you were editing it", c->p->path,
				adr_change_branch(ch));
		goto cleanup;
	}
	adr_buf_printf(&pb, "adr/%s", c->p->slug);
	if ((rc = adr_change_write(ch, c->p->path, c->text, c->len)) < 0 ||
	    (rc = adr_change_set_subject(ch, "adr: revise %s", c->p->slug)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Action", "revise")) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Proposal", pb.ptr)) < 0)
		goto cleanup;
	rc = set_res_path(c->res, c->p->path);
cleanup:
	adr_buf_dispose(&now);
	adr_buf_dispose(&pb);
	return rc;
}

int adr_op_revise(adr_op_result *res, adr_repo *repo, const char *ref, const char *text, size_t len,
		  const char *base, size_t base_len)
{
	adr_proposal p;
	adr_decision d;
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	adr_buf branch = ADR_BUF_INIT;
	adr_record *r = NULL;
	revise_ctx c = { res, &p, text, base, len, base_len };
	char start[41];
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = adr_proposal_find(&p, repo, ref, false)) < 0)
		goto cleanup;
	if ((rc = proposal_decided(&d, NULL, repo, &p, NULL)) < 0)
		goto cleanup;
	if (rc == 1 && d.number < 0) {
		rc = plain_merge_error(&p, repo, "change the record on the decision branch instead");
		goto cleanup;
	}
	if (rc == 1) {
		rc = adr__error(ADR_EINVALID, "%s was already decided as %04d (%s on %s): a decision is not revised; "
					      "change it with adr edit %d, or propose one that supersedes it; nothing was "
					      "written",
				ref_short(p.ref), d.number, adr_status_name(d.status), d.date, d.number);
		goto cleanup;
	}
	if ((rc = adr_record_parse(&r, p.path, text, len, 0)) < 0 || (rc = adr_record_validate(r)) < 0)
		goto cleanup;
	if (r->status != ADR_STATUS_PROPOSED) {
		rc = adr__error(ADR_EINVALID, "%s: a proposal keeps 'status: proposed' (decide it with adr accept or "
					      "adr reject)", p.path);
		goto cleanup;
	}
	if ((rc = write_target(&branch, start, &p)) < 0)
		goto cleanup;
	opts.branch = branch.ptr;
	opts.start_point = start[0] ? start : NULL;
	rc = adr__op_commit(res, repo, revise_fn, &c, &opts);
cleanup:
	adr_record_free(r);
	adr_proposal_dispose(&p);
	adr_buf_dispose(&branch);
	return rc;
}

/* --- threads ------------------------------------------------------------------ */

void adr_thread_dispose(adr_thread *t)
{
	for (size_t i = 0; i < t->count; i++) {
		adr_event *e = &t->events[i];
		free(e->author);
		free(e->email);
		free(e->subject);
		free(e->text);
		free(e->section);
		adr_strlist_clear(&e->changes);
		adr_strlist_clear(&e->outside);
	}
	free(t->events);
	free(t->slug);
	free(t->ref);
	memset(t, 0, sizeof(*t));
}

typedef struct {
	const char *name;
	size_t nlen;
	const char *text;
	size_t len;
} part;

/* Splits a record into front matter fields and body sections (by heading). */
static size_t split_parts(part *out, size_t max, const char *s, size_t len)
{
	size_t n = 0, i = 0;
	bool fm = len >= 4 && memcmp(s, "---\n", 4) == 0;
	if (fm)
		i = 4;
	while (i < len) {
		const char *line = s + i;
		const char *nl = memchr(line, '\n', len - i);
		size_t ll = nl ? (size_t)(nl - line) + 1 : len - i;
		if (fm && ll >= 3 && memcmp(line, "---", 3) == 0 && (ll == 3 || line[3] == '\n' || line[3] == '\r')) {
			fm = false;
			if (n < max)
				out[n++] = (part){ "", 0, line, 0 };
		} else if (fm && line[0] != ' ' && line[0] != '-' && line[0] != '#' && memchr(line, ':', ll) && n < max) {
			const char *colon = memchr(line, ':', ll);
			out[n++] = (part){ line, (size_t)(colon - line), line, 0 };
		} else if (!fm && line[0] == '#' && n < max) {
			const char *h = line;
			size_t hl = ll;
			while (hl && *h == '#')
				h++, hl--;
			while (hl && *h == ' ')
				h++, hl--;
			while (hl && (h[hl - 1] == '\n' || h[hl - 1] == '\r' || h[hl - 1] == ' '))
				hl--;
			out[n++] = (part){ h, hl, line, 0 };
		} else if (n == 0 && n < max) {
			out[n++] = (part){ "", 0, line, 0 };
		}
		if (n)
			out[n - 1].len = (size_t)(line + ll - out[n - 1].text);
		i += ll;
	}
	return n;
}

static bool part_is_field(const part *p)
{
	return p->nlen && p->name == p->text;
}

/* "field status", "section Decision", ... for what differs between a and b. */
static int summarize_changes(adr_strlist *out, const char *a, size_t alen, const char *b, size_t blen)
{
	enum { MAXP = 256 };
	part *pa = calloc(MAXP, sizeof(part)), *pb = calloc(MAXP, sizeof(part));
	size_t na, nb;
	adr_buf item = ADR_BUF_INIT;
	int rc = 0;

	if (!pa || !pb) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	na = split_parts(pa, MAXP, a, alen);
	nb = split_parts(pb, MAXP, b, blen);
	for (int pass = 0; pass < 2; pass++) {
		part *x = pass ? pb : pa, *y = pass ? pa : pb;
		size_t nx = pass ? nb : na, ny = pass ? na : nb;
		for (size_t i = 0; i < nx; i++) {
			const part *m = NULL;
			if (!x[i].nlen)
				continue;
			for (size_t k = 0; k < ny; k++)
				if (y[k].nlen == x[i].nlen && memcmp(y[k].name, x[i].name, x[i].nlen) == 0 &&
				    (y[k].name == y[k].text) == (x[i].name == x[i].text))
					m = &y[k];
			if (m && pass)
				continue; /* compared in the first pass */
			if (m && m->len == x[i].len && memcmp(m->text, x[i].text, x[i].len) == 0)
				continue;
			adr_buf_clear(&item);
			adr_buf_printf(&item, "%s %s%.*s", part_is_field(&x[i]) ? "field" : "section",
				       !m ? (pass ? "added: " : "removed: ") : "", (int)x[i].nlen, x[i].name);
			if (adr_buf_oom(&item) || adr_strlist_add_unique(out, item.ptr) < 0) {
				rc = adr__error(ADR_ENOMEM, "out of memory");
				goto cleanup;
			}
		}
	}
cleanup:
	free(pa);
	free(pb);
	adr_buf_dispose(&item);
	return rc;
}

static int blob_at(adr_buf *out, git_repository *git, git_commit *c, const char *path, git_oid *id)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int rc;
	if ((rc = git_commit_tree(&tree, c)) < 0 || (rc = git_tree_entry_bypath(&e, tree, path)) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		rc = rc < 0 ? rc : GIT_ENOTFOUND;
		goto cleanup;
	}
	*id = *git_tree_entry_id(e);
	if (out) {
		if ((rc = git_blob_lookup(&blob, git, id)) < 0)
			goto cleanup;
		adr_buf_set(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	}
cleanup:
	git_blob_free(blob);
	git_tree_entry_free(e);
	git_tree_free(tree);
	return rc;
}

static adr_event *event_add(adr_thread *t)
{
	adr_event *e;
	if ((t->count & 15) == 0) {
		adr_event *p = realloc(t->events, (t->count + 16) * sizeof(*p));
		if (!p)
			return NULL;
		t->events = p;
	}
	e = &t->events[t->count++];
	memset(e, 0, sizeof(*e));
	return e;
}

static int event_fill(adr_event *e, adr_event_kind kind, git_commit *c)
{
	const git_signature *a = git_commit_author(c);
	e->kind = kind;
	git_oid_tostr(e->commit, sizeof(e->commit), git_commit_id(c));
	e->author = strdup(a->name);
	e->email = strdup(a->email);
	e->time = (long long)a->when.time;
	e->offset = a->when.offset;
	e->subject = strdup(git_commit_summary(c) ? git_commit_summary(c) : "");
	return e->author && e->email && e->subject ? 0 : adr__error(ADR_ENOMEM, "out of memory");
}

/* The record at `path` in one tree. walk_thread() keeps the last two it
 * read: a commit's parent is mostly the commit it examined before, and a
 * records directory of thousands of files is costly to read. */
typedef struct {
	git_oid tree;
	bool valid;
	bool has;
	git_oid blob;
	adr_buf text;
} path_state;

typedef struct {
	path_state slot[2];
	int recent;
} path_cache;

/* The state of `path` in `c`; the pointer stays valid until the second
 * call after this one. */
static const path_state *path_at(path_cache *pc, git_repository *git, git_commit *c, const char *path)
{
	const git_oid *tree = git_commit_tree_id(c);
	path_state *s;
	int rc;
	for (int i = 0; i < 2; i++) {
		if (pc->slot[i].valid && git_oid_equal(&pc->slot[i].tree, tree)) {
			pc->recent = i;
			return &pc->slot[i];
		}
	}
	pc->recent = !pc->recent;
	s = &pc->slot[pc->recent];
	adr_buf_clear(&s->text);
	git_oid_cpy(&s->tree, tree);
	s->valid = false;
	/* NULL, with the error set, when the commit cannot be read: a record
	 * that cannot be read must not pass for one that is not there. */
	if ((rc = blob_at(&s->text, git, c, path, &s->blob)) < 0 && rc != GIT_ENOTFOUND) {
		adr__error_git(rc, "cannot read '%s' in commit %s", path, git_oid_tostr_s(git_commit_id(c)));
		return NULL;
	}
	s->has = rc == 0;
	s->valid = true;
	return s;
}

/* A comment commit as an event (its trailers already read into keys/values). */
static int comment_event(adr_thread *t, git_commit *c, const adr_strlist *keys, const adr_strlist *values,
			 adr_event **out)
{
	const char *msg = git_commit_message(c), *vote;
	adr_event *e;
	int rc;

	if (!(e = event_add(t)))
		return adr__error(ADR_ENOMEM, "out of memory");
	if ((rc = event_fill(e, ADR_EVENT_COMMENT, c)) < 0)
		return rc;
	if (!(e->text = message_text(msg ? msg : "", true)))
		return adr__error(ADR_ENOMEM, "out of memory");
	vote = trailer_get(keys, values, "Adr-Vote");
	e->vote = !vote ? ADR_VOTE_NONE : strcasecmp(vote, "approve") == 0 ? ADR_VOTE_APPROVE
		: strcasecmp(vote, "object") == 0 ? ADR_VOTE_OBJECT : ADR_VOTE_NONE;
	e->section = xstrdup(trailer_get(keys, values, "Adr-Section"));
	*out = e;
	return 0;
}

enum {
	WALK_OUTSIDE = 1u << 0, /* fill adr_event.outside */
	WALK_LATE = 1u << 1     /* the commits are late: after the decision */
};

static int walk_thread(adr_thread *t, adr_repo *repo, const git_oid *tip, const git_oid *hide, const char *path,
		       unsigned flags)
{
	git_repository *git = adr__repo_git(repo);
	git_revwalk *walk = NULL;
	git_commit *c = NULL, *parent = NULL;
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	adr_strlist imgs = ADR_STRLIST_INIT, outside = ADR_STRLIST_INIT;
	path_cache cache;
	git_oid oid;
	int rc;

	memset(&cache, 0, sizeof(cache));
	cache.slot[0].text = cache.slot[1].text = (adr_buf)ADR_BUF_INIT;
	if (flags & WALK_OUTSIDE) {
		/* The images the proposal may add, as accept sees them. */
		git_tree *tt = NULL, *bt = NULL;
		git_oid mb;
		bool have_mb = hide && git_merge_base(&mb, git, tip, hide) == 0;
		git_error_clear();
		rc = tree_of(&tt, git, tip);
		if (rc == 0)
			rc = tree_of(&bt, git, have_mb ? &mb : NULL);
		if (rc == 0)
			rc = proposal_images(&imgs, repo, tt, bt, path);
		git_tree_free(tt);
		git_tree_free(bt);
		if (rc < 0)
			return rc;
	}
	/* As in adr_history_walk(): trust the object store's own checks instead
	 * of re-hashing every (large) records directory read. Restored below. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	if ((rc = git_revwalk_new(&walk, git)) < 0 || (rc = git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE)) < 0 ||
	    (rc = git_revwalk_push(walk, tip)) < 0 || (hide && (rc = git_revwalk_hide(walk, hide)) < 0)) {
		rc = adr__error_walk(git, rc, "cannot walk the history of the proposal");
		goto cleanup;
	}
	while ((rc = git_revwalk_next(&oid, walk)) == 0) {
		const char *msg;
		const path_state *was = NULL, *now;
		adr_event *e;

		git_commit_free(c);
		git_commit_free(parent);
		c = parent = NULL;
		adr_strlist_clear(&outside);
		if ((rc = git_commit_lookup(&c, git, &oid)) < 0) {
			rc = adr__error_git(rc, "commit %s is missing", git_oid_tostr_s(&oid));
			goto cleanup;
		}
		msg = git_commit_message(c);
		adr_strlist_clear(&keys);
		adr_strlist_clear(&values);
		if ((rc = adr_proposal_trailers(&keys, &values, msg ? msg : "")) < 0)
			goto cleanup;
		/* Whatever a commit says it is, what it changed besides the record shows. */
		if ((flags & WALK_OUTSIDE) && (rc = commit_outside(&outside, git, c, path, &imgs)) < 0)
			goto cleanup;
		if (trailer_get(&keys, &values, "Adr-Comment")) {
			if ((rc = comment_event(t, c, &keys, &values, &e)) < 0)
				goto cleanup;
			e->late = (flags & WALK_LATE) != 0;
			e->outside = outside;
			outside = (adr_strlist)ADR_STRLIST_INIT;
			continue;
		}
		if (git_commit_parentcount(c) > 0) {
			if ((rc = git_commit_parent(&parent, c, 0)) < 0) {
				rc = adr__error_git(rc, "cannot read the parent of commit %s", git_oid_tostr_s(&oid));
				goto cleanup;
			}
			if (!(was = path_at(&cache, git, parent, path))) {
				rc = adr_error_code();
				goto cleanup;
			}
		}
		if (!(now = path_at(&cache, git, c, path))) {
			rc = adr_error_code();
			goto cleanup;
		}
		if (was && !was->has)
			was = NULL;
		/* Neither the record nor anything outside it changed. */
		if ((!now->has || (was && git_oid_equal(&now->blob, &was->blob))) && !outside.count)
			continue;
		if (!(e = event_add(t))) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
		if ((rc = event_fill(e, was || !now->has ? ADR_EVENT_REVISED : ADR_EVENT_PROPOSED, c)) < 0)
			goto cleanup;
		e->late = (flags & WALK_LATE) != 0;
		e->outside = outside;
		outside = (adr_strlist)ADR_STRLIST_INIT;
		e->text = message_text(msg ? msg : "", keys.count > 0);
		if (was && now->has && !git_oid_equal(&now->blob, &was->blob) &&
		    (rc = summarize_changes(&e->changes, was->text.ptr, was->text.size, now->text.ptr,
					    now->text.size)) < 0)
			goto cleanup;
	}
	adr_error_clear();
	rc = rc == GIT_ITEROVER ? 0 : adr__error_walk(git, rc, "cannot walk the history of the proposal");
cleanup:
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
	git_commit_free(c);
	git_commit_free(parent);
	git_revwalk_free(walk);
	adr_strlist_clear(&keys);
	adr_strlist_clear(&values);
	adr_strlist_clear(&imgs);
	adr_strlist_clear(&outside);
	adr_buf_dispose(&cache.slot[0].text);
	adr_buf_dispose(&cache.slot[1].text);
	return rc;
}

/* True when `a` and `b` are on one line of history. */
static bool related(git_repository *git, const git_oid *a, const git_oid *b)
{
	bool r = git_oid_equal(a, b) || git_graph_descendant_of(git, a, b) == 1 || git_graph_descendant_of(git, b, a) == 1;
	git_error_clear();
	return r;
}

/*
 * Finds the merge commit that decided a proposal, by number (>0) or by
 * branch ("adr/<slug>"), following the decision branch's first parents.
 * With `tip`, only a merge whose proposal side and `tip` are on one line of
 * history counts (a proposal made again under the same name is another
 * one). With `late`, the late comments passed on the way are collected,
 * newest first.
 */
static int find_decision(git_commit **out, adr_repo *repo, int number, const char *pbranch, const git_oid *tip,
			 oid_list *late)
{
	git_repository *git = adr__repo_git(repo);
	git_commit *c = NULL;
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	git_oid oid;
	char num[16];
	int rc;

	*out = NULL;
	snprintf(num, sizeof(num), "%04d", number);
	if ((rc = decision_tip(&oid, repo)) <= 0)
		return rc < 0 ? rc : adr__error(ADR_ENOTFOUND, "the decision branch has no commits");
	if ((rc = git_commit_lookup(&c, git, &oid)) < 0)
		return adr__error_git(rc, "the decision branch tip is missing");
	for (;;) {
		const char *action, *rec, *prop;
		git_commit *next = NULL;
		adr_strlist_clear(&keys);
		adr_strlist_clear(&values);
		if ((rc = adr_proposal_trailers(&keys, &values, git_commit_message(c) ? git_commit_message(c) : "")) < 0)
			goto cleanup;
		action = trailer_get(&keys, &values, "Adr-Action");
		rec = trailer_get(&keys, &values, "Adr-Record");
		prop = trailer_get(&keys, &values, "Adr-Proposal");
		if (late && trailer_get(&keys, &values, "Adr-Late") && trailer_get(&keys, &values, "Adr-Comment") &&
		    (rc = oid_list_add(late, git_commit_id(c))) < 0)
			goto cleanup;
		if (git_commit_parentcount(c) >= 2 && action &&
		    (strcmp(action, "accept") == 0 || strcmp(action, "reject") == 0) &&
		    ((number > 0 && rec && strcmp(rec, num) == 0) || (pbranch && prop && strcmp(prop, pbranch) == 0)) &&
		    (!tip || related(git, git_commit_parent_id(c, 1), tip))) {
			*out = c;
			c = NULL;
			rc = 0;
			goto cleanup;
		}
		if (git_commit_parentcount(c) == 0)
			break;
		if ((rc = git_commit_parent(&next, c, 0)) < 0) {
			/* A shallow clone ends here; another failure is not "no thread". */
			if (rc == GIT_ENOTFOUND && git_repository_is_shallow(git) == 1) {
				adr_error_clear();
				break;
			}
			rc = adr__error_git(rc, "cannot read the parent of commit %s", git_oid_tostr_s(git_commit_id(c)));
			goto cleanup;
		}
		git_commit_free(c);
		c = next;
	}
	rc = ADR_ENOTFOUND;
	if (number > 0)
		adr__error(rc, "record %04d has no discussion thread (it was not decided through adr propose)", number);
	else
		adr__error(rc, "no proposal '%s' and no decision from it", pbranch);
cleanup:
	git_commit_free(c);
	adr_strlist_clear(&keys);
	adr_strlist_clear(&values);
	return rc;
}

/* Fills `d` (and `slug`, when not NULL) from the merge that decided a proposal. */
static int decision_fill(adr_decision *d, adr_buf *slug, adr_repo *repo, git_commit *merge)
{
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	const char *rec, *action, *prop;
	int rc;

	(void)repo;
	d->number = -1;
	if ((rc = adr_proposal_trailers(&keys, &values, git_commit_message(merge) ? git_commit_message(merge) : "")) < 0)
		goto cleanup;
	rec = trailer_get(&keys, &values, "Adr-Record");
	action = trailer_get(&keys, &values, "Adr-Action");
	prop = trailer_get(&keys, &values, "Adr-Proposal");
	if (rec)
		d->number = atoi(rec);
	d->status = action && strcmp(action, "reject") == 0 ? ADR_STATUS_REJECTED : ADR_STATUS_ACCEPTED;
	date_at(d->date, (long long)git_commit_time(merge));
	git_oid_tostr(d->merge, sizeof(d->merge), git_commit_id(merge));
	if (slug && prop && strncmp(prop, "adr/", 4) == 0 && adr_buf_puts(slug, prop + 4) < 0)
		rc = adr__error(ADR_ENOMEM, "out of memory");
cleanup:
	adr_strlist_clear(&keys);
	adr_strlist_clear(&values);
	return rc;
}

/* True when commit `id` has `path`. */
static bool commit_has(git_repository *git, const git_oid *id, const char *path)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	bool has = git_commit_lookup(&c, git, id) == 0 && git_commit_tree(&t, c) == 0 &&
		   git_tree_entry_bypath(&e, t, path) == 0;
	git_error_clear();
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return has;
}

/*
 * How the proposal branch at `tip` (its record at `path`) stands against
 * the decision branch at `dtip`. For BRANCH_AHEAD, `late` gets the number
 * of its commits the decision branch does not have. AHEAD only says that
 * the branch and the decision branch share a commit with the record: a
 * decision merge must confirm it (someone may have committed the file on
 * the decision branch by hand).
 */
static int branch_state(git_repository *git, const git_oid *tip, const git_oid *dtip, const char *path, size_t *late)
{
	git_oid mb;
	size_t ahead = 0, behind = 0;
	int state = BRANCH_OPEN;

	*late = 0;
	if (git_oid_equal(tip, dtip) || git_graph_descendant_of(git, dtip, tip) == 1)
		state = BRANCH_MERGED;
	else if (git_merge_base(&mb, git, tip, dtip) == 0 && commit_has(git, &mb, path) &&
		 git_graph_ahead_behind(&ahead, &behind, git, tip, dtip) == 0) {
		state = BRANCH_AHEAD;
		*late = ahead;
	}
	git_error_clear();
	return state;
}

/*
 * Whether proposal `p` was decided: 1 with `d` filled (d->number is -1 when
 * no accept or reject merge decided it, as after a plain git merge of the
 * branch), 0 when it is open (or not a proposal at all), or a negative
 * code. A branch that went on after its decision is decided, its later
 * commits late (d->late). `merge` (may be NULL) gets the decision; `late`
 * (may be NULL) collects late comments (see find_decision).
 */
static int proposal_decided(adr_decision *d, git_commit **merge, adr_repo *repo, const adr_proposal *p,
			    oid_list *late)
{
	git_repository *git = adr__repo_git(repo);
	git_commit *m = NULL;
	git_oid tip, dtip;
	adr_buf pb = ADR_BUF_INIT;
	size_t nlate;
	int rc, state;

	memset(d, 0, sizeof(*d));
	d->number = -1;
	if (merge)
		*merge = NULL;
	if ((rc = decision_tip(&dtip, repo)) <= 0)
		return rc; /* unborn: nothing is decided */
	git_oid_fromstr(&tip, p->tip);
	state = branch_state(git, &tip, &dtip, p->path, &nlate);
	/* Open, or a branch without the record: no proposal was decided. */
	if (state == BRANCH_OPEN || (state == BRANCH_MERGED && !commit_has(git, &tip, p->path)))
		return 0;
	adr_buf_printf(&pb, "adr/%s", p->slug);
	if (adr_buf_oom(&pb))
		return adr__error(ADR_ENOMEM, "out of memory");
	rc = find_decision(&m, repo, 0, pb.ptr, &tip, late);
	if (rc == ADR_ENOTFOUND) {
		adr_error_clear();
		/* Merged without a decision (a plain git merge), or a shared
		 * commit that no decision made: open. */
		rc = state == BRANCH_MERGED ? 1 : 0;
		goto cleanup;
	}
	if (rc < 0 || (rc = decision_fill(d, NULL, repo, m)) < 0)
		goto cleanup;
	d->late = nlate;
	if (merge) {
		*merge = m;
		m = NULL;
	}
	rc = 1;
cleanup:
	git_commit_free(m);
	adr_buf_dispose(&pb);
	return rc;
}

/* The slug a REF names when no proposal branch matches it: "x", "adr/x",
 * "refs/heads/adr/x", "origin/adr/x". */
static const char *name_slug(const char *ref)
{
	const char *a;
	if (strncmp(ref, "refs/heads/adr/", 15) == 0)
		return ref + 15;
	if (strncmp(ref, "adr/", 4) == 0)
		return ref + 4;
	if ((a = strstr(ref, "/adr/")))
		return a + 5;
	return ref;
}

/*
 * The decision of a proposal whose branch is gone, by REF (a slug or
 * branch name, or a record number): 0 with `d`, `merge` (may be NULL) and
 * `slug` filled, ADR_ENOTFOUND (message set) when there is none.
 */
static int decision_by_name(adr_decision *d, git_commit **merge, adr_buf *slug, adr_repo *repo, const char *ref,
			    oid_list *late)
{
	git_commit *m = NULL;
	adr_buf pb = ADR_BUF_INIT;
	int rc, number = 0;

	memset(d, 0, sizeof(*d));
	d->number = -1;
	if (merge)
		*merge = NULL;
	if (*ref && (strspn(ref, "0123456789") == strlen(ref) || strncasecmp(ref, "ADR-", 4) == 0)) {
		if ((rc = adr_parse_number(&number, ref)) < 0)
			return rc;
	} else {
		adr_buf_printf(&pb, "adr/%s", name_slug(ref));
		if (adr_buf_oom(&pb))
			return adr__error(ADR_ENOMEM, "out of memory");
	}
	if ((rc = find_decision(&m, repo, number, number ? NULL : pb.ptr, NULL, late)) < 0 ||
	    (rc = decision_fill(d, slug, repo, m)) < 0)
		goto cleanup;
	if (merge) {
		*merge = m;
		m = NULL;
	}
cleanup:
	git_commit_free(m);
	adr_buf_dispose(&pb);
	return rc;
}

/* The thread of the proposal that `merge` (an accept or reject merge on the
 * decision branch) decided: the history of its second parent back to the
 * merge base, then the decision itself. */
static int thread_from_decision(adr_thread *t, adr_repo *repo, git_commit *merge, unsigned flags)
{
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	const char *msg = git_commit_message(merge) ? git_commit_message(merge) : "";
	const char *prop, *rec, *action;
	char id[41];
	adr_buf path = ADR_BUF_INIT;
	adr_event *e;
	int rc;

	git_oid_tostr(id, sizeof(id), git_commit_id(merge));
	if ((rc = adr_proposal_trailers(&keys, &values, msg)) < 0)
		goto cleanup;
	prop = trailer_get(&keys, &values, "Adr-Proposal");
	rec = trailer_get(&keys, &values, "Adr-Record");
	action = trailer_get(&keys, &values, "Adr-Action");
	if (git_commit_parentcount(merge) < 2 || !action ||
	    (strcmp(action, "accept") != 0 && strcmp(action, "reject") != 0)) {
		rc = adr__error(ADR_EINVALID, "commit %s is not the merge that accepted or rejected a proposal", id);
		goto cleanup;
	}
	if (!prop || strncmp(prop, "adr/", 4) != 0) {
		rc = adr__error(ADR_EINVALID, "decision commit %s carries no Adr-Proposal trailer", id);
		goto cleanup;
	}
	t->slug = strdup(prop + 4);
	t->ref = strdup(id);
	t->number = rec ? atoi(rec) : -1;
	t->status = action && strcmp(action, "reject") == 0 ? ADR_STATUS_REJECTED : ADR_STATUS_ACCEPTED;
	adr_buf_printf(&path, "%s/%s.md", adr_repo_records_dir(repo), t->slug);
	if (!t->slug || !t->ref || adr_buf_oom(&path)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = walk_thread(t, repo, git_commit_parent_id(merge, 1), git_commit_parent_id(merge, 0), path.ptr,
			      flags)) < 0)
		goto cleanup;
	if (!(e = event_add(t))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if ((rc = event_fill(e, ADR_EVENT_DECIDED, merge)) < 0)
		goto cleanup;
	e->text = message_text(msg, true);
cleanup:
	adr_strlist_clear(&keys);
	adr_strlist_clear(&values);
	adr_buf_dispose(&path);
	return rc;
}

int adr_thread_read_merge(adr_thread *out, adr_repo *repo, const char *merge_commit)
{
	git_commit *merge = NULL;
	git_oid oid;
	int rc;

	memset(out, 0, sizeof(*out));
	out->number = -1;
	if (!merge_commit || strlen(merge_commit) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, merge_commit) < 0)
		return adr__error(ADR_EINVALID, "'%s' is not a full commit id", merge_commit ? merge_commit : "");
	if ((rc = git_commit_lookup(&merge, adr__repo_git(repo), &oid)) < 0) {
		rc = rc == GIT_ENOTFOUND ? adr__error(ADR_ENOTFOUND, "no commit %s", merge_commit)
					 : adr__error_git(rc, "cannot read commit %s", merge_commit);
		goto cleanup;
	}
	rc = thread_from_decision(out, repo, merge, 0);
cleanup:
	if (rc < 0)
		adr_thread_dispose(out);
	git_commit_free(merge);
	return rc;
}

/*
 * After the decision in `t`: the commits its proposal branch got later
 * (`branch_tip`, NULL when there is no branch) and the late comments on the
 * decision branch (`late`, newest first, as find_decision() collects them),
 * all marked late, oldest first.
 */
static int thread_add_late(adr_thread *t, adr_repo *repo, const git_oid *branch_tip, const oid_list *late)
{
	git_repository *git = adr__repo_git(repo);
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	adr_buf path = ADR_BUF_INIT, pb = ADR_BUF_INIT;
	git_commit *c = NULL;
	git_oid dtip;
	size_t first = t->count;
	int rc = 0;

	adr_buf_printf(&path, "%s/%s.md", adr_repo_records_dir(repo), t->slug);
	adr_buf_printf(&pb, "adr/%s", t->slug);
	if (adr_buf_oom(&path) || adr_buf_oom(&pb)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (branch_tip && git_reference_name_to_id(&dtip, git, adr_repo_branch(repo)) == 0 &&
	    !git_oid_equal(branch_tip, &dtip) && git_graph_descendant_of(git, &dtip, branch_tip) != 1 &&
	    (rc = walk_thread(t, repo, branch_tip, &dtip, path.ptr, WALK_OUTSIDE | WALK_LATE)) < 0)
		goto cleanup;
	git_error_clear();
	for (size_t i = late ? late->count : 0; i-- > 0;) {
		const char *prop;
		adr_event *e;
		git_commit_free(c);
		c = NULL;
		if ((rc = git_commit_lookup(&c, git, &late->ids[i])) < 0) {
			rc = adr__error_git(rc, "commit %s is missing", git_oid_tostr_s(&late->ids[i]));
			goto cleanup;
		}
		adr_strlist_clear(&keys);
		adr_strlist_clear(&values);
		if ((rc = adr_proposal_trailers(&keys, &values, git_commit_message(c) ? git_commit_message(c) : "")) < 0)
			goto cleanup;
		if (!(prop = trailer_get(&keys, &values, "Adr-Proposal")) || strcmp(prop, pb.ptr) != 0)
			continue;
		if ((rc = comment_event(t, c, &keys, &values, &e)) < 0)
			goto cleanup;
		e->late = true;
	}
	/* Oldest first: an insertion sort, stable, over a handful of events. */
	for (size_t i = first + 1; i < t->count; i++) {
		adr_event e = t->events[i];
		size_t k = i;
		while (k > first && t->events[k - 1].time > e.time) {
			t->events[k] = t->events[k - 1];
			k--;
		}
		t->events[k] = e;
	}
	rc = 0;
cleanup:
	git_commit_free(c);
	adr_strlist_clear(&keys);
	adr_strlist_clear(&values);
	adr_buf_dispose(&path);
	adr_buf_dispose(&pb);
	return rc;
}

/* The whole thread of a decided proposal: its discussion, the decision,
 * then what came late. `branch_tip` is its branch, when one is known. */
static int thread_decided(adr_thread *t, adr_repo *repo, git_commit *merge, const git_oid *branch_tip,
			  const oid_list *late)
{
	adr_proposal p;
	git_oid tip;
	int rc;

	memset(&p, 0, sizeof(p));
	if ((rc = thread_from_decision(t, repo, merge, WALK_OUTSIDE)) < 0)
		return rc;
	/* Found by number or by a slug whose branch is gone locally: a branch
	 * of it may still exist (remote-tracking, say) and have gone on. */
	if (!branch_tip && adr_proposal_find(&p, repo, t->slug, false) == 0 && strcmp(p.slug, t->slug) == 0) {
		git_oid_fromstr(&tip, p.tip);
		if (git_graph_descendant_of(adr__repo_git(repo), &tip, git_commit_parent_id(merge, 1)) == 1)
			branch_tip = &tip;
	}
	adr_error_clear();
	git_error_clear();
	rc = thread_add_late(t, repo, branch_tip, late);
	adr_proposal_dispose(&p);
	return rc;
}

int adr_thread_read(adr_thread *out, adr_repo *repo, const char *ref)
{
	adr_proposal p;
	adr_decision d;
	git_commit *merge = NULL;
	adr_buf slug = ADR_BUF_INIT;
	oid_list late = { 0 };
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&p, 0, sizeof(p));
	out->number = -1;
	if (strspn(ref, "0123456789") == strlen(ref) || strncasecmp(ref, "ADR-", 4) == 0) {
		if ((rc = decision_by_name(&d, &merge, &slug, repo, ref, &late)) == 0)
			rc = thread_decided(out, repo, merge, NULL, &late);
		goto cleanup;
	}
	rc = adr_proposal_find(&p, repo, ref, false);
	if (rc == 0) {
		git_oid tip, hide;
		int have_hide = decision_tip(&hide, repo);
		if ((rc = have_hide) < 0)
			goto cleanup;
		git_oid_fromstr(&tip, p.tip);
		/* Decided: read it through its decision. */
		if ((rc = proposal_decided(&d, &merge, repo, &p, &late)) < 0)
			goto cleanup;
		if (rc == 1 && !merge) {
			rc = adr__error(ADR_ENOTFOUND, "%s was merged into %s by a plain git merge, not by adr accept or "
						       "adr reject: it has no decision to show", ref_short(p.ref),
					ref_short(adr_repo_branch(repo)));
			goto cleanup;
		}
		if (rc == 1) {
			rc = thread_decided(out, repo, merge, &tip, &late);
			goto cleanup;
		}
		out->slug = strdup(p.slug);
		out->ref = strdup(p.ref);
		out->status = ADR_STATUS_PROPOSED;
		rc = walk_thread(out, repo, &tip, have_hide ? &hide : NULL, p.path, WALK_OUTSIDE);
		goto cleanup;
	}
	if (rc != ADR_ENOTFOUND)
		goto cleanup;
	/* A decided proposal whose branch is gone. */
	if ((rc = decision_by_name(&d, &merge, &slug, repo, ref, &late)) == 0)
		rc = thread_decided(out, repo, merge, NULL, &late);
	else if (rc == ADR_ENOTFOUND)
		rc = adr__error(ADR_ENOTFOUND, "no proposal or decided proposal '%s'", ref);
cleanup:
	if (rc < 0)
		adr_thread_dispose(out);
	git_commit_free(merge);
	adr_proposal_dispose(&p);
	adr_buf_dispose(&slug);
	oid_list_clear(&late);
	return rc;
}

/* --- accept and reject ---------------------------------------------------------- */

void adr_decide_result_dispose(adr_decide_result *res)
{
	adr_op_result_dispose(&res->op);
	free(res->warning);
	res->warning = NULL;
}

typedef struct {
	adr_decide_result *res;
	const adr_decide_opts *opts;
	const adr_proposal *p;
	const adr_strlist *makers;
	git_oid tip;
	bool already;
} decide_ctx;

/* Names the conflicting paths of a merge index. */
static int conflict_error(git_index *idx, const char *what, const char *branch)
{
	git_index_conflict_iterator *it = NULL;
	const git_index_entry *a, *o, *t;
	adr_buf names = ADR_BUF_INIT;
	const char *where;
	int rc, n = 0;

	if (git_index_conflict_iterator_new(&it, idx) == 0) {
		while (git_index_conflict_next(&a, &o, &t, it) == 0 && n < 10) {
			const char *path = o ? o->path : t ? t->path : a ? a->path : "?";
			adr_buf_printf(&names, "%s'%s'", n++ ? ", " : "", path);
		}
		git_index_conflict_iterator_free(it);
	}
	where = names.size ? names.ptr : "some files"; /* no names: out of memory */
	rc = adr__error(ADR_ECONFLICT, "%s conflicts with %s in %s; merge %s into the proposal (or fix it) and "
				       "try again; nothing was written", what, branch, where, branch);
	adr_buf_dispose(&names);
	return rc;
}

static int stage_merge(adr_change *ch, git_repository *git, git_tree *from, git_tree *to)
{
	git_diff *diff = NULL;
	git_blob *blob = NULL;
	int rc;

	if ((rc = git_diff_tree_to_tree(&diff, git, from, to, NULL)) < 0)
		return adr__error_git(rc, "cannot compare the merge with the decision branch");
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (d->status == GIT_DELTA_DELETED) {
			if ((rc = adr_change_delete(ch, d->old_file.path)) < 0)
				goto cleanup;
			continue;
		}
		if (d->new_file.mode != GIT_FILEMODE_BLOB) {
			rc = adr__error(ADR_EINVALID, "'%s' in the proposal is not a regular file; adr merges regular "
						      "files only", d->new_file.path);
			goto cleanup;
		}
		if ((rc = git_blob_lookup(&blob, git, &d->new_file.id)) < 0) {
			rc = adr__error_git(rc, "'%s' is missing", d->new_file.path);
			goto cleanup;
		}
		rc = adr_change_write(ch, d->new_file.path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
		git_blob_free(blob);
		blob = NULL;
		if (rc < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	git_blob_free(blob);
	git_diff_free(diff);
	return rc;
}

static int decide_fn(adr_change *ch, void *payload)
{
	decide_ctx *c = payload;
	adr_repo *repo = adr_change_repo(ch);
	git_repository *git = adr__repo_git(repo);
	const bool accept = c->opts->status == ADR_STATUS_ACCEPTED;
	git_commit *dc = NULL, *pc = NULL;
	git_tree *dtree = NULL, *mtree = NULL;
	git_index *idx = NULL;
	git_oid dtip, moid;
	adr_buf text = ADR_BUF_INIT, fname = ADR_BUF_INIT, path = ADR_BUF_INIT, pb = ADR_BUF_INIT, num = ADR_BUF_INIT;
	adr_record *r = NULL;
	adr_recordset *set;
	adr_strlist outside = ADR_STRLIST_INIT;
	int rc, number;

	c->already = false;
	if (!adr_change_base(ch)[0]) {
		rc = adr__error(ADR_ENOTFOUND, "the decision branch has no commits");
		goto cleanup;
	}
	git_oid_fromstr(&dtip, adr_change_base(ch));
	if (git_oid_equal(&dtip, &c->tip) || git_graph_descendant_of(git, &dtip, &c->tip) == 1) {
		c->already = true;
		rc = adr__error(ADR_EEXISTS, "already decided");
		goto cleanup;
	}
	/* Nothing but the record (and its new images) reaches the decision branch. */
	if ((rc = branch_outside(&outside, repo, &c->tip, &dtip, c->p->path)) < 0)
		goto cleanup;
	if (outside.count) {
		rc = outside_error(&outside, repo, c->p->ref, c->p->slug, c->p->path);
		goto cleanup;
	}
	if ((rc = git_commit_lookup(&dc, git, &dtip)) < 0 || (rc = git_commit_lookup(&pc, git, &c->tip)) < 0) {
		rc = adr__error_git(rc, "cannot read the commits to merge");
		goto cleanup;
	}
	if ((rc = git_merge_commits(&idx, git, dc, pc, NULL)) < 0) {
		rc = adr__error_git(rc, "cannot merge %s", c->p->ref);
		goto cleanup;
	}
	if (git_index_has_conflicts(idx)) {
		rc = conflict_error(idx, c->p->ref, adr_change_branch(ch));
		goto cleanup;
	}
	if ((rc = git_index_write_tree_to(&moid, idx, git)) < 0 || (rc = git_tree_lookup(&mtree, git, &moid)) < 0 ||
	    (rc = git_commit_tree(&dtree, dc)) < 0) {
		rc = adr__error_git(rc, "cannot write the merged tree");
		goto cleanup;
	}
	if ((rc = stage_merge(ch, git, dtree, mtree)) < 0)
		goto cleanup;

	/* The record, numbered inside the compare-and-swap. */
	if ((rc = adr_change_read(ch, &text, c->p->path)) < 0) {
		rc = adr__error(ADR_ENOTFOUND, "%s has no '%s': it is not a proposal", c->p->ref, c->p->path);
		goto cleanup;
	}
	if ((rc = adr_record_parse(&r, c->p->path, text.ptr, text.size, 0)) < 0)
		goto cleanup;
	if ((rc = adr_change_next_number(ch, &number)) < 0 || (rc = adr_record_filename(&fname, number, c->p->slug)) < 0)
		goto cleanup;
	adr_buf_printf(&path, "%s/%s", adr_repo_records_dir(repo), fname.ptr);
	adr_buf_printf(&pb, "adr/%s", c->p->slug);
	adr_buf_printf(&num, "%04d", number);
	if (adr_buf_oom(&path) || adr_buf_oom(&pb) || adr_buf_oom(&num)) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	r->number = number;
	free(r->path);
	r->path = strdup(path.ptr);
	r->status = c->opts->status;
	adr_today(r->date);
	if (!r->mode)
		r->mode = ADR_MODE_ASYNC;
	adr_strlist_clear(&r->decision_makers);
	if ((rc = adr_strlist_copy(&r->decision_makers, c->makers)) < 0)
		goto cleanup;
	if (c->opts->reason && *c->opts->reason) {
		adr_buf body = ADR_BUF_INIT;
		size_t bl = strlen(r->body);
		adr_buf_puts(&body, r->body);
		if (bl && r->body[bl - 1] != '\n')
			adr_buf_putc(&body, '\n');
		adr_buf_printf(&body, "\n## %s\n\n%s\n", accept ? "Note on acceptance" : "Reason for rejection",
			       c->opts->reason);
		if (adr_buf_oom(&body)) {
			adr_buf_dispose(&body);
			rc = adr__error(ADR_ENOMEM, "out of memory");
			goto cleanup;
		}
		free(r->body);
		r->body = adr_buf_detach(&body);
	}
	/* No file can be at `path`: adr_change_next_number() counted every name in the directory. */
	if ((rc = adr_change_delete(ch, c->p->path)) < 0 || (rc = adr_change_write_record(ch, r)) < 0)
		goto cleanup;
	if (accept && r->supersedes.count) {
		if ((rc = adr_change_records(ch, &set)) < 0)
			goto cleanup;
		for (size_t i = 0; i < r->supersedes.count; i++) {
			int k = adr_recordset_find(set, r->supersedes.items[i]);
			if (k < 0) {
				rc = adr__error(ADR_ENOTFOUND, "%s supersedes record %04d, which does not exist on %s",
						c->p->path, r->supersedes.items[i], adr_change_branch(ch));
				goto cleanup;
			}
			set->items[k]->status = ADR_STATUS_SUPERSEDED;
			if ((rc = adr_intlist_add_unique(&set->items[k]->superseded_by, number)) < 0 ||
			    (rc = adr_change_write_record(ch, set->items[k])) < 0)
				goto cleanup;
		}
	}
	if ((rc = adr_change_add_parent(ch, git_oid_tostr_s(&c->tip))) < 0 ||
	    (rc = adr_change_set_subject(ch, "adr: %s %04d %s", accept ? "accept" : "reject", number, r->title)) < 0 ||
	    (c->opts->reason && (rc = adr_change_set_body(ch, c->opts->reason)) < 0) ||
	    (rc = adr_change_add_trailer(ch, "Adr-Action", accept ? "accept" : "reject")) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Record", num.ptr)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Proposal", pb.ptr)) < 0)
		goto cleanup;
	for (size_t i = 0; accept && i < r->supersedes.count; i++) {
		char n2[16];
		snprintf(n2, sizeof(n2), "%04d", r->supersedes.items[i]);
		if ((rc = adr_change_add_trailer(ch, "Adr-Supersedes", n2)) < 0)
			goto cleanup;
	}
	c->res->op.number = number;
	rc = set_res_path(&c->res->op, path.ptr);
cleanup:
	adr_strlist_clear(&outside);
	adr_record_free(r);
	git_index_free(idx);
	git_tree_free(dtree);
	git_tree_free(mtree);
	git_commit_free(dc);
	git_commit_free(pc);
	adr_buf_dispose(&text);
	adr_buf_dispose(&fname);
	adr_buf_dispose(&path);
	adr_buf_dispose(&pb);
	adr_buf_dispose(&num);
	return rc;
}

/* Why libgit2 failed, never empty: its message without a dangling ": ",
 * else the code. */
static void git_reason(adr_buf *out, int grc)
{
	const git_error *e = git_error_last();
	size_t n;
	if (e && e->message)
		adr_buf_puts(out, e->message);
	n = out->size;
	while (n > 0 && (out->ptr[n - 1] == ' ' || out->ptr[n - 1] == ':' || out->ptr[n - 1] == '\n' ||
			 out->ptr[n - 1] == '\r' || out->ptr[n - 1] == '.'))
		n--;
	adr_buf_truncate(out, n);
	if (!out->size)
		adr_buf_printf(out, "libgit2 error %d", grc);
	if (grc == GIT_ELOCKED)
		adr_buf_puts(out, " (a lock file exists: another git process is updating it, or one crashed; if no "
				  "git process is running, remove that lock file)");
}

/* Deletes refs/heads/adr/<slug> if it still points at `tip`. */
static void delete_branch(adr_decide_result *res, adr_repo *repo, const char *slug, const git_oid *tip)
{
	git_repository *git = adr__repo_git(repo);
	git_reference *ref = NULL;
	adr_buf name = ADR_BUF_INIT, w = ADR_BUF_INIT, why = ADR_BUF_INIT;
	int grc;

	if (adr_buf_printf(&name, "refs/heads/adr/%s", slug) < 0) {
		adr_buf_printf(&w, "the decision is recorded, but adr/%s was kept: out of memory; delete it later "
				   "with git branch -D adr/%s", slug, slug);
		goto warn;
	}
	if ((grc = git_reference_lookup(&ref, git, name.ptr)) < 0) {
		if (grc == GIT_ENOTFOUND)
			goto cleanup;
		git_reason(&why, grc);
		adr_buf_printf(&w, "the decision is recorded, but adr/%s was kept: cannot read it: %s; delete it "
				   "later with git branch -D adr/%s", slug, why.ptr, slug);
		goto warn;
	}
	if (git_reference_type(ref) != GIT_REFERENCE_DIRECT || !git_oid_equal(git_reference_target(ref), tip)) {
		adr_buf_printf(&w, "adr/%s was kept: it has commits that were not part of the decision", slug);
	} else if (git_branch_is_checked_out(ref) == 1) {
		adr_buf_printf(&w, "adr/%s was kept: it is checked out", slug);
	} else if ((grc = git_reference_delete(ref)) < 0) {
		git_reference *again = NULL;
		git_reason(&why, grc);
		/* libgit2 may fail after the ref is gone, removing its lock file. */
		if (git_reference_lookup(&again, git, name.ptr) == GIT_ENOTFOUND)
			adr_buf_printf(&w, "the decision is recorded and adr/%s deleted, but: %s; if '%s%s.lock' exists "
					   "and no git process is running, remove it", slug, why.ptr,
				       git_repository_commondir(git), name.ptr);
		else
			adr_buf_printf(&w, "the decision is recorded, but adr/%s was kept: cannot delete it: %s; "
					   "delete it later with git branch -D adr/%s", slug, why.ptr, slug);
		git_reference_free(again);
	} else {
		/* libgit2 says nothing when it cannot remove the lock file. */
		adr_buf lock = ADR_BUF_INIT;
		adr_buf_printf(&lock, "%s%s.lock", git_repository_commondir(git), name.ptr);
		if (!adr_buf_oom(&lock) && access(lock.ptr, F_OK) == 0)
			adr_buf_printf(&w, "the decision is recorded and adr/%s deleted, but: its lock file stayed; if "
					   "'%s' exists and no git process is running, remove it", slug, lock.ptr);
		adr_buf_dispose(&lock);
	}
warn:
	if (w.size && !adr_buf_oom(&w)) {
		free(res->warning);
		res->warning = adr_buf_detach(&w);
	}
cleanup:
	git_reference_free(ref);
	adr_buf_dispose(&name);
	adr_buf_dispose(&w);
	adr_buf_dispose(&why);
	adr_error_clear();
	git_error_clear();
}

/* Decided before: says how, and keeps a branch that went on after it. */
static void already_decided(adr_decide_result *res, adr_repo *repo, const adr_proposal *p, const git_oid *tip)
{
	adr_buf w = ADR_BUF_INIT;
	res->already = true;
	res->op.number = res->decision.number;
	if (!p) {
		return;
	} else if (res->decision.late) {
		adr_buf_printf(&w, "%s was kept: it has %zu commit%s made after the decision (adr thread %s shows "
				   "them as late)", ref_short(p->ref), res->decision.late,
			       res->decision.late == 1 ? "" : "s", p->slug);
		if (!adr_buf_oom(&w)) {
			free(res->warning);
			res->warning = adr_buf_detach(&w);
		}
		adr_buf_dispose(&w);
	} else {
		delete_branch(res, repo, p->slug, tip);
	}
}

int adr_op_decide(adr_decide_result *res, adr_repo *repo, const char *ref, const adr_decide_opts *opts)
{
	adr_proposal p;
	adr_strlist makers = ADR_STRLIST_INIT;
	adr_buf me = ADR_BUF_INIT, why = ADR_BUF_INIT;
	decide_ctx c;
	cand_list l = { 0 };
	int rc;

	memset(&p, 0, sizeof(p));
	memset(&c, 0, sizeof(c));
	memset(&res->decision, 0, sizeof(res->decision));
	res->decision.number = -1;
	if (opts->status != ADR_STATUS_ACCEPTED && opts->status != ADR_STATUS_REJECTED)
		return adr__error(ADR_EUSAGE, "a proposal is decided by accepting or rejecting it");
	if (opts->reason && (rc = adr__text_check("the reason", opts->reason, strlen(opts->reason))) < 0)
		return rc;
	for (size_t i = 0; opts->by && i < opts->by->count; i++) {
		const char *b = opts->by->items[i];
		if (!*b || strchr(b, '\n') || strchr(b, '\r') || (rc = adr__text_check("--by", b, strlen(b))) < 0)
			return adr__error(ADR_EUSAGE, "--by: a name is one line of UTF-8 text");
	}
	rc = adr_proposal_find(&p, repo, ref, true);
	if (rc == ADR_ENOTFOUND) {
		/* Decided before, and the branch is gone: say so, write nothing. */
		if (decision_by_name(&res->decision, NULL, NULL, repo, ref, NULL) == 0 && res->decision.number > 0) {
			already_decided(res, repo, NULL, NULL);
			rc = 0;
		} else {
			rc = adr__error(ADR_ENOTFOUND, "no proposal '%s' (no local or remote-tracking adr/* branch matches); "
						       "nothing was written", ref);
		}
		goto cleanup;
	}
	if (rc < 0)
		goto cleanup;
	git_oid_fromstr(&c.tip, p.tip);
	/* Decided before (its branch may have gone on since): write nothing. */
	if ((rc = proposal_decided(&res->decision, NULL, repo, &p, NULL)) < 0)
		goto cleanup;
	if (rc == 1 && res->decision.number < 0) {
		rc = plain_merge_error(&p, repo, "adr cannot decide it afterwards");
		goto cleanup;
	}
	if (rc == 1) {
		already_decided(res, repo, &p, &c.tip);
		rc = 0;
		goto cleanup;
	}
	if (!p.record) {
		const char *msg = p.error ? p.error : "cannot read the proposal"; /* NULL: out of memory */
		rc = adr__error(ADR_EINVALID, "%s (fix it with adr revise first)", msg);
		goto cleanup;
	}
	/* Remote-tracking branches that went further than what is decided here. */
	if ((rc = cands_load(&l, repo)) < 0)
		goto cleanup;
	for (size_t i = 0; i < l.count; i++) {
		git_oid o;
		if (!l.items[i].remote || strcmp(l.items[i].slug, p.slug) != 0 || strcmp(l.items[i].ref, p.ref) == 0 ||
		    git_reference_name_to_id(&o, adr__repo_git(repo), l.items[i].ref) < 0)
			continue;
		if (!git_oid_equal(&o, &c.tip) && git_graph_descendant_of(adr__repo_git(repo), &c.tip, &o) != 1) {
			rc = adr__error(ADR_ECONFLICT, "%s has commits that %s does not (bring them in, e.g. git fetch, "
						       "git merge, then retry); nothing was written", l.items[i].ref, p.ref);
			goto cleanup;
		}
	}
	if (opts->by && opts->by->count) {
		if ((rc = adr_strlist_copy(&makers, opts->by)) < 0)
			goto cleanup;
	} else {
		if (opts->status == ADR_STATUS_ACCEPTED && (rc = adr_strlist_copy(&makers, &p.approvals)) < 0)
			goto cleanup;
		if ((rc = decider_name(&me, repo)) < 0 || (rc = adr_strlist_add_unique(&makers, me.ptr)) < 0)
			goto cleanup;
	}
	c.res = res;
	c.opts = opts;
	c.p = &p;
	c.makers = &makers;
	rc = adr__op_commit(&res->op, repo, decide_fn, &c, NULL);
	if (rc < 0 && c.already) {
		/* Someone decided it while we were at it. */
		int st;
		adr_buf_puts(&why, adr_error_last());
		st = proposal_decided(&res->decision, NULL, repo, &p, NULL);
		if (st == 1 && res->decision.number > 0) {
			already_decided(res, repo, &p, &c.tip);
			rc = 0;
		} else if (st == 1) {
			rc = plain_merge_error(&p, repo, "adr cannot decide it afterwards");
		} else {
			const char *msg = adr_buf_oom(&why) ? "already decided" : why.ptr;
			rc = adr__error(rc, "%s", msg);
		}
		goto cleanup;
	}
	if (rc == 0)
		delete_branch(res, repo, p.slug, &c.tip);
cleanup:
	cands_clear(&l);
	adr_proposal_dispose(&p);
	adr_strlist_clear(&makers);
	adr_buf_dispose(&me);
	adr_buf_dispose(&why);
	return rc;
}
