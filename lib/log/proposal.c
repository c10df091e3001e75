/*
 * log/proposal.c: finding proposals.
 *
 * A proposal is a branch adr/<slug> (local, or remote-tracking as
 * <remote>/adr/<slug>) holding <dir>/<slug>.md. This file lists them, picks
 * the one a name means, and loads one with the tallies of its thread; plus
 * the small helpers the other proposal files share (log/proposal_internal.h).
 * The rest of asynchronous review: log/propose.c (the writes on a branch),
 * log/thread.c (reading a discussion), log/decision.c (was it decided),
 * log/decide.c (accept and reject), log/scope.c (what a branch may change).
 */
#include "git/repo_internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "adr/proposal.h"
#include "git/reccache.h"
#include "log/proposal_internal.h"
#include "util/alloc.h"
#include "util/error.h"

#define HEADS_PREFIX "refs/heads/adr/"
#define REMOTES_PREFIX "refs/remotes/"

static int oid_of(git_oid *out, adr_repo *repo, const char *ref)
{
	int rc = git_reference_name_to_id(out, adr__repo_git(repo), ref);
	if (rc < 0)
		return adr__error_git(rc, "cannot read '%s'", ref);
	return 0;
}

int adr__decision_tip(git_oid *out, adr_repo *repo)
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

int adr__proposal_branch(adr_buf *out, const char *slug)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "adr/%s", slug);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

int adr__proposal_path(adr_buf *out, adr_repo *repo, const char *slug)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "%s/%s.md", adr_repo_records_dir(repo), slug);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

const char *adr__ref_short(const char *ref)
{
	if (strncmp(ref, "refs/heads/", 11) == 0)
		return ref + 11;
	if (strncmp(ref, "refs/remotes/", 13) == 0)
		return ref + 13;
	return ref;
}

int adr__oid_list_add(adr__oid_list *l, const git_oid *id)
{
	if (ADR_ARRAY_GROW(l->ids, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	git_oid_cpy(&l->ids[l->count++], id);
	return 0;
}

void adr__oid_list_dispose(adr__oid_list *l)
{
	free(l->ids);
	memset(l, 0, sizeof(*l));
}

/* --- finding proposals ------------------------------------------------------ */

void adr__cands_clear(adr__cand_list *l)
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

/* Adds branch `name` (a proposal's: ref_slug() gives its slug) to `l`. */
static int cand_add(adr__cand_list *l, const char *name)
{
	bool remote = false;
	const char *slug = ref_slug(name, &remote);
	adr__cand *cd;

	if (ADR_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	cd = &l->items[l->count++];
	cd->slug = adr__strdup(slug);
	cd->ref = adr__strdup(name);
	cd->remote = remote;
	return cd->slug && cd->ref ? 0 : ADR_ENOMEM;
}

static bool cands_have(const adr__cand_list *l, const char *ref)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i].ref, ref) == 0)
			return true;
	return false;
}

/*
 * libgit2 1.5's reference iterator skips a loose ref whose file it cannot
 * read (it takes it for one deleted meanwhile): a read error would make a
 * proposal vanish. So each ref file in directory `dir` of the common dir
 * ("refs/heads/adr") that the iterator gave neither as a candidate nor in
 * `seen` (not a direct ref) is read by name, which says what went wrong,
 * or finds it.
 */
static int cands_recheck(adr__cand_list *l, const adr_strlist *seen, adr_repo *repo, const char *dir)
{
	adr_buf path = ADR_BUF_INIT, name = ADR_BUF_INIT;
	struct dirent *de;
	DIR *d;
	int rc = 0;

	adr_buf_printf(&path, "%s%s", adr_repo_commondir(repo), dir);
	if (adr_buf_oom(&path))
		return ADR_ENOMEM;
	d = opendir(path.ptr);
	adr_buf_dispose(&path);
	while (d && rc == 0 && (de = readdir(d)) != NULL) {
		struct stat st;
		git_oid oid;
		bool remote;
		int valid = 0;
		adr_buf_clear(&name);
		adr_buf_printf(&name, "%s/%s", dir, de->d_name);
		if (adr_buf_oom(&name)) {
			rc = ADR_ENOMEM;
			break;
		}
		if (de->d_name[0] == '.' || !ref_slug(name.ptr, &remote) || cands_have(l, name.ptr) ||
		    adr_strlist_contains(seen, name.ptr) || git_reference_name_is_valid(&valid, name.ptr) < 0 ||
		    !valid || fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
			continue;
		if ((rc = oid_of(&oid, repo, name.ptr)) == ADR_ENOTFOUND)
			rc = 0; /* deleted meanwhile */
		else if (rc == 0)
			rc = cand_add(l, name.ptr);
	}
	if (rc == 0)
		adr_error_clear();
	git_error_clear();
	if (d)
		closedir(d);
	adr_buf_dispose(&name);
	return rc;
}

int adr__cands_load(adr__cand_list *l, adr_repo *repo)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	adr_strlist seen = ADR_STRLIST_INIT;
	adr_buf dir = ADR_BUF_INIT;
	struct dirent *de;
	DIR *d;
	int rc;

	if ((rc = git_reference_iterator_new(&it, adr__repo_git(repo))) < 0)
		return adr__error_git(rc, "cannot list branches");
	while ((rc = git_reference_next(&ref, it)) == 0) {
		const char *name = git_reference_name(ref);
		bool remote = false;
		if (!ref_slug(name, &remote))
			rc = 0;
		else if (git_reference_type(ref) == GIT_REFERENCE_DIRECT)
			rc = cand_add(l, name);
		else
			rc = adr_strlist_add(&seen, name);
		git_reference_free(ref);
		if (rc < 0)
			goto cleanup;
	}
	rc = rc == GIT_ITEROVER ? 0 : adr__error_git(rc, "cannot list branches");
	/* the branches the iterator may have skipped: local, then each remote's */
	if (rc < 0 || (rc = cands_recheck(l, &seen, repo, "refs/heads/adr")) < 0)
		goto cleanup;
	adr_buf_printf(&dir, "%srefs/remotes", adr_repo_commondir(repo));
	if (adr_buf_oom(&dir)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	d = opendir(dir.ptr);
	while (d && rc == 0 && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		adr_buf_clear(&dir);
		adr_buf_printf(&dir, "refs/remotes/%s/adr", de->d_name);
		rc = adr_buf_oom(&dir) ? ADR_ENOMEM : cands_recheck(l, &seen, repo, dir.ptr);
	}
	if (d)
		closedir(d);
cleanup:
	adr_strlist_dispose(&seen);
	adr_buf_dispose(&dir);
	git_reference_iterator_free(it);
	return rc;
}

void adr_proposal_dispose(adr_proposal *p)
{
	free(p->slug);
	free(p->ref);
	free(p->path);
	free(p->other);
	free(p->error);
	adr_record_free(p->record);
	adr_strlist_dispose(&p->approvals);
	adr_strlist_dispose(&p->objections);
	adr_strlist_dispose(&p->responders);
	memset(p, 0, sizeof(*p));
}

/* A vote by `who` for one side: counted there, taken back from the other
 * (emptied, dropped by drop_replaced()). */
static void tally_vote(adr_strlist *side, adr_strlist *other, const char *who)
{
	adr_strlist_add_unique(side, who);
	for (size_t k = 0; k < other->count; k++)
		if (strcmp(other->items[k], who) == 0)
			other->items[k][0] = '\0';
}

/* Drops the votes a later vote replaced. */
static void drop_replaced(adr_strlist *l)
{
	size_t w = 0;
	for (size_t k = 0; k < l->count; k++) {
		if (l->items[k][0])
			l->items[w++] = l->items[k];
		else
			free(l->items[k]);
	}
	l->count = w;
}

/* When `p` was proposed, its comments, revisions and votes, from its thread. */
static void proposal_tally(adr_proposal *p, const adr_thread *t)
{
	for (size_t i = 0; i < t->count; i++) {
		const adr_event *e = &t->events[i];
		if (e->kind == ADR_EVENT_PROPOSED && !p->created)
			p->created = e->time;
		if (e->kind == ADR_EVENT_REVISED)
			p->revisions++;
		if (e->kind != ADR_EVENT_COMMENT)
			continue;
		p->comments++;
		adr_strlist_add_unique(&p->responders, e->author);
		if (e->vote == ADR_VOTE_APPROVE)
			tally_vote(&p->approvals, &p->objections, e->author);
		else if (e->vote == ADR_VOTE_OBJECT)
			tally_vote(&p->objections, &p->approvals, e->author);
	}
	drop_replaced(&p->approvals);
	drop_replaced(&p->objections);
	if (!p->created && t->count)
		p->created = t->events[0].time;
}

/* Reads the thread of `p`, whose branch is at `tip` (and, diverged, at
 * `other` too), into its tallies. */
static int proposal_read_thread(adr_proposal *p, adr_repo *repo, const git_oid *tip, const git_oid *other)
{
	adr_thread t;
	git_oid hide, mtip;
	int rc, have_hide = adr__decision_tip(&hide, repo); /* unborn: nothing to hide */

	if (have_hide < 0)
		return have_hide;
	memset(&t, 0, sizeof(t));
	/* Merged by plain git: its commits are on the decision branch now. */
	if (p->merged && have_hide) {
		if ((rc = adr__merged_thread_range(&mtip, &hide, repo, p)) <= 0)
			return rc;
		tip = &mtip;
	}
	if ((rc = adr__walk_thread_both(&t, repo, tip, other, have_hide ? &hide : NULL, p->path, 0)) == 0)
		proposal_tally(p, &t);
	adr_thread_dispose(&t);
	return rc;
}

/* The branches a proposal is read from (see adr_proposal_find()). */
typedef struct {
	const adr__cand *pick;   /* the newer one */
	const adr__cand *other;  /* diverged: the other one, else NULL */
	bool behind;             /* `pick` is remote-tracking and a local branch is behind it */
	bool merged;             /* merged by plain git, not decided */
} cand_sides;

/* 1 when commit `a` is `b` or has it in its history. */
static bool reaches(git_repository *git, const git_oid *a, const git_oid *b)
{
	bool r = git_oid_equal(a, b) || git_graph_descendant_of(git, a, b) == 1;
	git_error_clear();
	return r;
}

/*
 * Of the branches of the slug of l->items[first] (the local one when there
 * is one), the newer: a remote-tracking branch ahead of it wins; one that
 * diverged from it becomes `other`. A branch that cannot be read stays
 * picked: proposal_load() says why.
 */
static void cands_sides(cand_sides *s, git_repository *git, const adr__cand_list *l, size_t first)
{
	const adr__cand *start = &l->items[first];
	git_oid cur, o, other;

	memset(s, 0, sizeof(*s));
	s->pick = start;
	if (git_reference_name_to_id(&cur, git, start->ref) != 0) {
		git_error_clear();
		return;
	}
	for (size_t k = 0; k < l->count; k++) {
		const adr__cand *c = &l->items[k];
		if (c == start || !c->remote || strcmp(c->slug, start->slug) != 0 ||
		    git_reference_name_to_id(&o, git, c->ref) != 0)
			continue;
		if (reaches(git, &cur, &o))
			continue;
		if (reaches(git, &o, &cur)) {
			s->pick = c;
			git_oid_cpy(&cur, &o);
		} else if (!s->other) {
			s->other = c;
			git_oid_cpy(&other, &o);
		}
	}
	git_error_clear();
	/* A later remote-tracking branch may have both sides. */
	if (s->other && reaches(git, &cur, &other))
		s->other = NULL;
	s->behind = s->pick != start && !start->remote;
}

/* Loads the proposal on branch `s->pick` (diverged: and `s->other`). */
static int proposal_load(adr_proposal *p, adr_repo *repo, const cand_sides *s, bool with_thread)
{
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	const adr__cand *c = s->pick;
	git_oid oid, other;
	int rc;

	memset(p, 0, sizeof(*p));
	p->slug = adr__strdup(c->slug);
	p->ref = adr__strdup(c->ref);
	p->remote = c->remote;
	p->behind = s->behind;
	p->merged = s->merged;
	if (s->other && (p->diverged = true) && !(p->other = adr__strdup(s->other->ref))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (adr__proposal_path(&path, repo, c->slug) == 0)
		p->path = adr_buf_detach(&path);
	if (!p->slug || !p->ref || !p->path) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = oid_of(&oid, repo, c->ref)) < 0 || (s->other && (rc = oid_of(&other, repo, s->other->ref)) < 0))
		goto cleanup;
	git_oid_tostr(p->tip, sizeof(p->tip), &oid);
	/* A branch without its record, or with a record that does not parse,
	 * is listed with the problem; a read that fails is an error, or every
	 * proposal would vanish from the queue with a warning. */
	rc = adr_repo_read_file(&data, repo, p->tip, p->path);
	if (rc < 0 && rc != ADR_ENOTFOUND && rc != ADR_EINVALID)
		goto cleanup;
	if (rc == 0)
		rc = adr_record_parse(&p->record, p->path, data.ptr, data.size, ADR_PARSE_LENIENT);
	/* out of memory is no problem of the record's: the proposal would vanish */
	if (rc == ADR_ENOMEM)
		goto cleanup;
	if (rc < 0) {
		if (!(p->error = adr__strdup(adr_error_last()))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		adr_error_clear();
	}
	rc = with_thread ? proposal_read_thread(p, repo, &oid, s->other ? &other : NULL) : 0;
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	return rc;
}

/* Picks the candidate for `ref`; *idx = -1 when none. *exact when `ref`
 * names one branch ("refs/...", "<remote>/adr/x"), to be read as it is. */
static int cands_pick(int *idx, bool *exact, const adr__cand_list *l, const char *ref)
{
	const char *want_ref = NULL;
	adr_buf full = ADR_BUF_INIT;
	int found = -1, rc = 0;
	size_t rlen = strlen(ref);

	*idx = -1;
	*exact = false;
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
		/* "adr/x" names the proposal as its slug does, also one known
		 * only as a remote-tracking branch. */
		if (strncmp(ref, "adr/", 4) != 0) {
			*idx = found;
			*exact = true;
			goto cleanup;
		}
		found = -1;
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

/*
 * The proposals merged into the decision branch at `dtip` by plain git
 * whose branch is gone: files <dir>/<slug>.md without a number that say
 * `status: proposed` (only `slug`'s, when not NULL), as candidates whose
 * ref is the decision branch.
 */
/* A name decision_file_cands() reads: a blob "<slug>.md" without a number
 * (`slug`'s only, when not NULL). */
static bool merged_name(const char *name, unsigned mode, void *payload)
{
	const char *slug = payload;
	size_t n = strlen(name);
	int number;
	bool keep;
	/* Not a record named by date (log4brains: adr import numbers those). */
	keep = n >= 4 && strcmp(name + n - 3, ".md") == 0 && mode != GIT_FILEMODE_TREE && mode != GIT_FILEMODE_COMMIT &&
	       !(strspn(name, "0123456789") == 8 && name[8] == '-') &&
	       !(slug && (strlen(slug) != n - 3 || strncmp(name, slug, n - 3) != 0)) &&
	       adr_record_parse_filename(&number, NULL, name) != 0;
	adr_error_clear();
	return keep;
}

static int decision_file_cands(adr__cand_list *out, adr_repo *repo, const git_oid *dtip, const char *slug)
{
	git_repository *git = adr__repo_git(repo);
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	adr_strlist names = ADR_STRLIST_INIT;
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	int rc = 0;

	/* the names from the record cache's listing when it has the tree (git/reccache.h) */
	if (adr__tree_of(&tree, git, dtip) < 0 || git_tree_entry_bypath(&e, tree, adr_repo_records_dir(repo)) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_TREE ||
	    (rc = adr__records_dir_names(&names, repo, git_tree_entry_id(e), merged_name, (void *)slug)) < 0) {
		if (rc == ADR_ENOMEM)
			goto cleanup;
		rc = 0;
		adr_error_clear(); /* no records directory: nothing merged */
		git_error_clear();
		goto cleanup;
	}
	for (size_t i = 0; i < names.count; i++) {
		const char *name = names.items[i];
		size_t n = strlen(name);
		adr_record *r = NULL;
		adr__cand *cd;
		bool proposed;
		adr_error_clear();
		adr_buf_clear(&path);
		adr_buf_printf(&path, "%s/%s", adr_repo_records_dir(repo), name);
		if (adr_repo_read_file(&data, repo, git_oid_tostr_s(dtip), path.ptr) < 0 ||
		    adr_record_parse(&r, path.ptr, data.ptr, data.size, ADR_PARSE_LENIENT) < 0) {
			adr_error_clear();
			continue;
		}
		proposed = r->status == ADR_STATUS_PROPOSED;
		adr_record_free(r);
		if (!proposed)
			continue;
		if (ADR_ARRAY_GROW(out->items, out->alloc, out->count + 1) < 0) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		cd = &out->items[out->count++];
		cd->slug = adr__strndup(name, n - 3);
		cd->ref = adr__strdup(adr_repo_branch(repo));
		cd->remote = false;
		if (!cd->slug || !cd->ref) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	}
cleanup:
	adr_strlist_dispose(&names);
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	git_tree_entry_free(e);
	git_tree_free(tree);
	return rc;
}

/*
 * How the branch `c` stands against the decision branch at `dtip`: 0 open,
 * 1 decided (merged by a decision, or gone on after it, which adds a note
 * to `notes` when not NULL), 2 merged by plain git and not decided, or an
 * error.
 */
static int cand_decided(adr_strlist *notes, adr_repo *repo, const adr__cand *c, const git_oid *dtip)
{
	adr_buf path = ADR_BUF_INIT, note = ADR_BUF_INIT;
	adr_proposal tmp;
	adr_decision d;
	adr__oid_list late_ids = { 0 };
	git_oid tip;
	size_t late = 0;
	int rc = 0, state;

	/* Unreadable: proposal_load() says why. */
	if (git_reference_name_to_id(&tip, adr__repo_git(repo), c->ref) != 0) {
		git_error_clear();
		return 0;
	}
	if (adr__proposal_path(&path, repo, c->slug) < 0)
		return ADR_ENOMEM;
	state = adr__branch_state(adr__repo_git(repo), &tip, dtip, path.ptr, &late);
	if (state == BRANCH_OPEN)
		goto cleanup;
	memset(&tmp, 0, sizeof(tmp));
	tmp.slug = c->slug;
	tmp.ref = c->ref;
	tmp.path = path.ptr;
	git_oid_tostr(tmp.tip, sizeof(tmp.tip), &tip);
	rc = adr__proposal_decided(&d, NULL, repo, &tmp, state == BRANCH_AHEAD && notes ? &late_ids : NULL);
	if (state == BRANCH_MERGED) {
		/* A merged branch without the record is no proposal: not listed. */
		rc = rc < 0 ? rc : rc == 1 && d.number < 0 ? 2 : 1;
		goto cleanup;
	}
	if (rc != 1 || !notes)
		goto cleanup;
	/* Its later commits were carried over to the decision as late comments: nothing to say. */
	if ((rc = adr__late_carried(repo, &tip, dtip, &late_ids)) != 0) {
		rc = rc < 0 ? rc : 1;
		goto cleanup;
	}
	rc = 1;
	adr_buf_printf(&note, "%s was decided as %04d, but has %zu commit%s made after the decision; they do not "
			      "reopen it (adr thread %s shows them as late)",
		       adr__ref_short(c->ref), d.number, d.late, d.late == 1 ? "" : "s", c->slug);
	if (adr_buf_oom(&note) || adr_strlist_add(notes, note.ptr) < 0)
		rc = ADR_ENOMEM;
cleanup:
	adr__oid_list_dispose(&late_ids);
	adr_buf_dispose(&path);
	adr_buf_dispose(&note);
	return rc;
}

int adr_proposal_find(adr_proposal *out, adr_repo *repo, const char *ref, bool with_thread)
{
	adr__cand_list l = { 0 };
	cand_sides s;
	git_oid dtip;
	bool exact;
	int rc, idx;

	memset(out, 0, sizeof(*out));
	if ((rc = adr__cands_load(&l, repo)) < 0 || (rc = cands_pick(&idx, &exact, &l, ref)) < 0)
		goto cleanup;
	if ((rc = adr__decision_tip(&dtip, repo)) < 0)
		goto cleanup;
	if (idx < 0 && !exact && rc == 1) {
		/* Merged by plain git, its branch gone: its file on the decision branch. */
		const char *slug = strncmp(ref, "adr/", 4) == 0 ? ref + 4 : ref;
		if ((rc = decision_file_cands(&l, repo, &dtip, slug)) < 0)
			goto cleanup;
		if (l.count && strcmp(l.items[l.count - 1].ref, adr_repo_branch(repo)) == 0) {
			idx = (int)l.count - 1;
			exact = true;
			rc = 2;
		}
	}
	if (idx < 0) {
		rc = adr__error(ADR_ENOTFOUND, "no proposal '%s' (no local or remote-tracking adr/* branch matches)", ref);
		goto cleanup;
	}
	memset(&s, 0, sizeof(s));
	s.pick = &l.items[idx];
	s.merged = rc == 2;
	if (!exact)
		cands_sides(&s, adr__repo_git(repo), &l, (size_t)idx);
	if (!s.merged && rc == 1 && (rc = cand_decided(NULL, repo, s.pick, &dtip)) < 0)
		goto cleanup;
	s.merged = s.merged || rc == 2;
	rc = proposal_load(out, repo, &s, with_thread);
cleanup:
	adr__cands_clear(&l);
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

/* True when candidate `i` stands for its slug: the local branch, else the
 * first remote-tracking one. */
static bool cand_first(const adr__cand_list *l, size_t i)
{
	for (size_t k = 0; k < l->count; k++)
		if (k != i && strcmp(l->items[k].slug, l->items[i].slug) == 0 &&
		    ((!l->items[k].remote && l->items[i].remote) || (l->items[k].remote == l->items[i].remote && k < i)))
			return false;
	return true;
}

/* Adds the proposal of l->items[i] to `out` unless it was decided. */
static int list_one(adr_proposal_list *out, adr_repo *repo, const adr__cand_list *l, size_t i, const git_oid *dtip)
{
	cand_sides s;
	int rc = 0;

	cands_sides(&s, adr__repo_git(repo), l, i);
	if (strcmp(s.pick->ref, adr_repo_branch(repo)) == 0)
		s.merged = true; /* a file on the decision branch (decision_file_cands()) */
	else if (dtip && (rc = cand_decided(&out->notes, repo, s.pick, dtip)) < 0)
		return rc;
	if (rc == 1)
		return 0;
	s.merged = s.merged || rc == 2;
	if ((rc = proposal_load(&out->items[out->count], repo, &s, true)) < 0) {
		adr_proposal_dispose(&out->items[out->count]);
		return rc;
	}
	out->count++;
	return 0;
}

int adr_proposal_list_all(adr_proposal_list *out, adr_repo *repo)
{
	adr__cand_list l = { 0 };
	git_oid dtip;
	bool have_dtip;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = adr__cands_load(&l, repo)) < 0)
		goto cleanup;
	if ((rc = adr__decision_tip(&dtip, repo)) < 0)
		goto cleanup;
	have_dtip = rc == 1;
	if (have_dtip && (rc = decision_file_cands(&l, repo, &dtip, NULL)) < 0)
		goto cleanup;
	if (l.count && !(out->items = adr__calloc(l.count, sizeof(*out->items)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < l.count; i++) {
		/* A merged file whose branch is still there is listed from the branch. */
		if (!cand_first(&l, i))
			continue;
		if ((rc = list_one(out, repo, &l, i, have_dtip ? &dtip : NULL)) < 0)
			goto cleanup;
	}
	if (out->count)
		qsort(out->items, out->count, sizeof(*out->items), cmp_proposal);
	rc = 0;
cleanup:
	adr__cands_clear(&l);
	if (rc < 0)
		adr_proposal_list_dispose(out);
	return rc;
}

void adr_proposal_list_dispose(adr_proposal_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		adr_proposal_dispose(&l->items[i]);
	free(l->items);
	adr_strlist_dispose(&l->notes);
	memset(l, 0, sizeof(*l));
}
