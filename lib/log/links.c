/*
 * log/links.c: commits linked to decisions (adr/links.h): Refs: trailers
 * and adr's Adr-Commit: links, read in one walk (git/walk.c) over the
 * decision branch and HEAD, then attributed across renumbering by
 * log/refs.c (the rule: adr/links.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <git2.h>

#include "adr/hooks.h"
#include "adr/links.h"
#include "adr/trailers.h"
#include "log/links_cache.h"
#include "log/refs_internal.h"
#include "record/trailers.h"
#include "util/error.h"
#include "util/strcase.h"
#include "git/repo_internal.h"
#include "git/walk.h"
#include "util/alloc.h"

void adr_commit_links_dispose(adr_commit_links *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->items[i].subject);
		free(l->items[i].author);
		free(l->items[i].path);
	}
	for (size_t i = 0; i < l->nproblems; i++)
		free(l->problems[i].message);
	free(l->items);
	free(l->problems);
	*l = (adr_commit_links)ADR_COMMIT_LINKS_INIT;
}

bool adr_commit_link_is(const adr_commit_link *l, const adr_record *r)
{
	return l->record == r->number && (!l->path || !r->path || strcmp(l->path, r->path) == 0);
}

/* Subject, author and date of commit `hex`, when it is here. */
static int describe(adr_commit_link *e, git_repository *git, const char *hex)
{
	git_oid oid;
	git_commit *c = NULL;
	const git_signature *sig;
	const char *summary;
	int grc;

	/* A commit that is not here (another clone's) is shown by its id alone;
	 * one that cannot be read is an error, not a link without a subject. */
	if ((grc = git_oid_fromstr(&oid, hex)) < 0 ||
	    ((grc = git_commit_lookup(&c, git, &oid)) < 0 && grc != GIT_ENOTFOUND))
		return adr__error_git(grc, "cannot read commit %s", hex);
	if (c) {
		summary = git_commit_summary(c);
		sig = git_commit_author(c);
		e->subject = adr__strdup(summary ? summary : "");
		if (sig) {
			size_t n = strlen(sig->name) + strlen(sig->email) + 4;
			if ((e->author = adr__malloc(n)))
				snprintf(e->author, n, "%s <%s>", sig->name, sig->email);
			e->time = (long long)sig->when.time;
			e->offset = sig->when.offset;
		} else {
			e->author = adr__strdup("");
		}
		git_commit_free(c);
	} else {
		e->subject = adr__strdup("");
		e->author = adr__strdup("");
	}
	return e->subject && e->author ? 0 : ADR_ENOMEM;
}

static int add_link(adr_commit_links *l, git_repository *git, const adr__ref *ref, int written, const char *hex,
		    const char *via)
{
	adr_commit_link *e;
	int rc;

	for (size_t i = 0; i < l->count; i++)
		if (l->items[i].record == ref->number && strcmp(l->items[i].commit, hex) == 0 &&
		    (!ref->path || !l->items[i].path || strcmp(ref->path, l->items[i].path) == 0))
			return 0;
	if (ADR_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0)
		return ADR_ENOMEM;
	e = &l->items[l->count];
	memset(e, 0, sizeof(*e));
	e->record = ref->number;
	e->written = written;
	e->via = via;
	snprintf(e->commit, sizeof(e->commit), "%s", hex);
	if (ref->path && !(e->path = adr__strdup(ref->path)))
		return ADR_ENOMEM;
	if ((rc = describe(e, git, hex)) < 0) {
		free(e->subject);
		free(e->author);
		free(e->path);
		return rc;
	}
	l->count++;
	return 0;
}

static int add_problem(adr_commit_links *l, const adr__ref *ref, int written, const char *hex)
{
	adr_commit_ref_problem *p;
	size_t n;

	for (size_t i = 0; i < l->nproblems; i++)
		if (l->problems[i].written == written && strcmp(l->problems[i].commit, hex) == 0)
			return 0;
	if (ADR_ARRAY_GROW(l->problems, l->aproblems, l->nproblems + 1) < 0)
		return ADR_ENOMEM;
	p = &l->problems[l->nproblems];
	snprintf(p->commit, sizeof(p->commit), "%s", hex);
	p->written = written;
	n = ref->problem.size + 128;
	if (!(p->message = adr__malloc(n)))
		return ADR_ENOMEM;
	snprintf(p->message, n, "commit %.12s refers to ADR-%04d, not attributed: %s", hex, written, ref->problem.ptr);
	l->nproblems++;
	return 0;
}

static bool full_hex(const char *s)
{
	return strlen(s) == 40 && strspn(s, "0123456789abcdef") == 40;
}

/* A reference found by the walk, attributed once the walk is over (the
 * renumber moves of the whole history are known then). */
typedef struct {
	git_oid carrier;       /* the commit that names the number */
	char commit[41];       /* the linked commit */
	int number;
	const char *via;
} pending;

typedef struct {
	pending *items;
	size_t count, alloc;
	git_repository *git;
	adr__refs *refs;
	const char *trailer;
} links_walk;

static int add_pending(links_walk *lw, git_commit *c, const char *hex, int number, const char *via)
{
	pending *p;
	if (ADR_ARRAY_GROW(lw->items, lw->alloc, lw->count + 1) < 0)
		return ADR_ENOMEM;
	p = &lw->items[lw->count++];
	p->carrier = *git_commit_id(c);
	snprintf(p->commit, sizeof(p->commit), "%s", hex);
	p->number = number;
	p->via = via;
	return 0;
}

/* The references one commit message makes, and the renumber moves it records. */
static int commit_links(links_walk *lw, git_commit *c)
{
	const char *msg = git_commit_message(c);
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;
	adr_intlist refs = ADR_INTLIST_INIT, records = ADR_INTLIST_INIT;
	char hex[41];
	int rc;

	/* Most commits carry none of these; skip the trailer parser for them. */
	if (!msg || (!adr__ci_contains(msg, lw->trailer) && !strstr(msg, ADR_TRAILER_COMMIT) &&
		     !strstr(msg, ADR_TRAILER_RENUMBER)))
		return 0;
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	if ((rc = adr_message_trailers(&keys, &values, msg)) < 0 ||
	    (rc = adr__refs_note(lw->refs, git_commit_id(c), &keys, &values)) < 0)
		goto cleanup;
	for (size_t i = 0; i < keys.count; i++) {
		if (strcasecmp(keys.items[i], lw->trailer) == 0) {
			if ((rc = adr_refs_parse(&refs, values.items[i])) < 0)
				goto cleanup;
		} else if (strcasecmp(keys.items[i], ADR_TRAILER_RECORD) == 0) {
			int n;
			if (adr_parse_number(&n, values.items[i]) == 0 && adr_intlist_add_unique(&records, n) < 0) {
				rc = ADR_ENOMEM;
				goto cleanup;
			}
		}
	}
	for (size_t i = 0; i < refs.count; i++)
		if ((rc = add_pending(lw, c, hex, refs.items[i], "trailer")) < 0)
			goto cleanup;
	for (size_t i = 0; i < keys.count; i++) {
		if (strcasecmp(keys.items[i], ADR_TRAILER_COMMIT) != 0 || !full_hex(values.items[i]))
			continue;
		for (size_t k = 0; k < records.count; k++)
			if ((rc = add_pending(lw, c, values.items[i], records.items[k], "adr")) < 0)
				goto cleanup;
	}
cleanup:
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);
	adr_intlist_dispose(&refs);
	adr_intlist_dispose(&records);
	return rc;
}

static int links_of_commit(git_commit *c, void *payload)
{
	return commit_links(payload, c);
}

/* Every pending reference attributed (or said to be a problem), in walk order. */
static int attribute_all(adr_commit_links *out, links_walk *lw)
{
	adr__ref ref = ADR__REF_INIT;
	int rc = 0;

	for (size_t i = 0; i < lw->count && rc == 0; i++) {
		pending *p = &lw->items[i];
		if ((rc = adr__refs_resolve(&ref, lw->refs, &p->carrier, p->number)) < 0)
			break;
		if (ref.number >= 0)
			rc = add_link(out, lw->git, &ref, p->number, p->commit, p->via);
		else
			rc = add_problem(out, &ref, p->number, p->commit);
	}
	adr__ref_dispose(&ref);
	return rc;
}

/*
 * The kept answer carried over to a history that grew (log/links_cache.h
 * keeps one answer, for one key). It still holds when the decision branch
 * and HEAD only moved forward, no new commit names a record or a commit
 * (the walk would add nothing: the same test commit_links makes first) or
 * renumbers, the answer had no problem, and the records are the same for
 * attribution (adr__refs_same_records). Then the answer is the old one,
 * kept again under the new key: `adr new` does not cost a walk of the
 * whole history to the next `show` or `html`. 1 when carried over, 0 when
 * not (the walk decides), or ADR_ENOMEM.
 */
#define EXTEND_COMMITS_MAX 1000

/* The key's branch and HEAD ids (the 3rd and 4th words, "-" when unborn)
 * and where they start and end. */
static bool key_tips(const char *key, git_oid tips[2], size_t *from, size_t *to)
{
	const char *w = key;
	for (int i = 0; i < 2; i++) {
		if (!(w = strchr(w, ' ')))
			return false;
		w++;
	}
	*from = (size_t)(w - key);
	for (int i = 0; i < 2; i++) {
		if (strlen(w) < GIT_OID_HEXSZ || (w[GIT_OID_HEXSZ] != ' ' && w[GIT_OID_HEXSZ] != '\0') ||
		    git_oid_fromstrn(&tips[i], w, GIT_OID_HEXSZ) < 0)
			return false;
		w += GIT_OID_HEXSZ + (w[GIT_OID_HEXSZ] == ' ');
	}
	*to = (size_t)(w - key);
	return true;
}

/* True when every commit reachable from `now` but not from `then` adds
 * nothing to a links walk (and there are not too many of them). */
static bool nothing_new(links_walk *lw, const git_oid now[2], const git_oid then[2])
{
	git_revwalk *rw = NULL;
	git_oid id;
	size_t n = 0;
	bool ok = git_revwalk_new(&rw, lw->git) == 0;

	for (int i = 0; ok && i < 2; i++)
		ok = git_revwalk_push(rw, &now[i]) == 0 && git_revwalk_hide(rw, &then[i]) == 0;
	while (ok && git_revwalk_next(&id, rw) == 0) {
		git_commit *c = NULL;
		const char *msg;
		if (++n > EXTEND_COMMITS_MAX || git_commit_lookup(&c, lw->git, &id) < 0) {
			ok = false;
			break;
		}
		msg = git_commit_message(c);
		ok = msg && !adr__ci_contains(msg, lw->trailer) && !strstr(msg, ADR_TRAILER_COMMIT) &&
		     !strstr(msg, ADR_TRAILER_RENUMBER);
		git_commit_free(c);
	}
	git_revwalk_free(rw);
	git_error_clear();
	return ok;
}

/* `old`, kept under `okey`, carried over to `key` (it is disposed of here
 * unless it becomes *out). */
static int extend_kept(adr_commit_links *out, adr_commit_links *kept, const char *okey, adr_repo *repo,
		       const char *rev, const char *key, links_walk *lw)
{
	adr_commit_links old = *kept;
	adr_intlist taken = ADR_INTLIST_INIT;
	git_oid then[2], now[2];
	size_t of, ot, nf, nt;
	bool same = false;
	int rc = 0;

	*kept = (adr_commit_links)ADR_COMMIT_LINKS_INIT;
	/* the same key but for the two tips, each moved forward (or not at all) */
	if (rev || !key[0] || old.nproblems || !key_tips(okey, then, &of, &ot) || !key_tips(key, now, &nf, &nt) || of != nf ||
	    strncmp(okey, key, of) != 0 || strcmp(okey + ot, key + nt) != 0)
		goto cleanup;
	for (int i = 0; i < 2; i++)
		if (!git_oid_equal(&then[i], &now[i]) && git_graph_descendant_of(lw->git, &now[i], &then[i]) != 1)
			goto cleanup;
	if (!nothing_new(lw, now, then))
		goto cleanup;
	for (size_t i = 0; i < old.count; i++)
		if (adr_intlist_add_unique(&taken, old.items[i].written) < 0 ||
		    adr_intlist_add_unique(&taken, old.items[i].record) < 0) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
	if ((rc = adr__refs_same_records(&same, repo, &then[0], &now[0], &taken)) < 0 || !same)
		goto cleanup;
	if ((rc = adr__links_cache_put(repo, key, &old)) == 0) {
		*out = old;
		old = (adr_commit_links)ADR_COMMIT_LINKS_INIT;
		rc = 1;
	}
cleanup:
	git_error_clear();
	adr_commit_links_dispose(&old);
	adr_intlist_dispose(&taken);
	return rc;
}

int adr_links_walk_rev(adr_commit_links *out, adr_repo *repo, const char *rev)
{
	links_walk lw;
	adr_buf key = ADR_BUF_INIT, kept_key = ADR_BUF_INIT;
	adr_commit_links kept = ADR_COMMIT_LINKS_INIT;
	adr__walk_opts o = { 0 };
	git_commit *at = NULL;
	int rc;

	/* The kept answer (log/links_cache.h), read once: the answer itself when
	 * the history it came from is the same, else perhaps carried over. */
	if ((rc = adr__links_cache_key(&key, repo, rev)) < 0 ||
	    (key.ptr && key.ptr[0] && (rc = adr__links_cache_get_last(&kept, &kept_key, repo)) < 0)) {
		adr_buf_dispose(&key);
		return rc;
	}
	if (rc == 1 && strcmp(kept_key.ptr, key.ptr) == 0) {
		*out = kept;
		adr_buf_dispose(&key);
		adr_buf_dispose(&kept_key);
		return 0;
	}
	memset(&lw, 0, sizeof(lw));
	lw.git = adr__repo_git(repo);
	lw.trailer = adr_hooks_trailer_name(repo);
	rc = rc == 1 ? extend_kept(out, &kept, kept_key.ptr, repo, rev, key.ptr, &lw) : 0;
	adr_commit_links_dispose(&kept);
	adr_buf_dispose(&kept_key);
	if (rc != 0) {
		adr_buf_dispose(&key);
		return rc < 0 ? rc : 0;
	}
	if ((rc = adr__refs_new(&lw.refs, repo)) < 0) {
		adr_buf_dispose(&key);
		return rc;
	}
	if (rev && (rc = adr__resolve_commit(&at, repo, rev)) < 0)
		goto cleanup;
	/* The decision branch and HEAD (and rev); either may be unborn. */
	o.from = at ? git_commit_id(at) : NULL;
	o.from_refs[0] = adr_repo_branch(repo);
	o.from_refs[1] = "HEAD";
	o.what = "the history";
	if ((rc = adr__walk(repo, &o, links_of_commit, &lw)) < 0 ||
	    (rc = adr__refs_read_records(lw.refs, rev)) < 0)
		goto cleanup;
	if ((rc = attribute_all(out, &lw)) == 0)
		rc = adr__links_cache_put(repo, key.ptr, out);
cleanup:
	adr_buf_dispose(&key);
	git_commit_free(at);
	free(lw.items);
	adr__refs_free(lw.refs);
	return rc;
}

int adr_links_walk(adr_commit_links *out, adr_repo *repo)
{
	return adr_links_walk_rev(out, repo, NULL);
}

int adr_commit_touches(bool *out, adr_repo *repo, const char *commit, const char *path)
{
	git_repository *git = adr__repo_git(repo);
	git_diff_options opts;
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	git_oid oid;
	char *paths[1];
	int rc = 0, grc;

	*out = false;
	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (git_oid_fromstr(&oid, commit) < 0)
		return adr__error(ADR_EINVALID, "'%s' is not a commit id", commit);
	if ((grc = git_commit_lookup(&c, git, &oid)) < 0)
		return grc == GIT_ENOTFOUND ? 0 : adr__error_git(grc, "cannot read commit %s", commit);
	if (!(paths[0] = adr__strdup(path))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	opts.pathspec.strings = paths;
	opts.pathspec.count = 1;
	opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	if ((grc = git_commit_tree(&tree, c)) < 0 ||
	    (git_commit_parentcount(c) && (grc = git_commit_parent(&parent, c, 0)) == 0 &&
	     (grc = git_commit_tree(&ptree, parent)) < 0) ||
	    (grc = git_diff_tree_to_tree(&diff, git, ptree, tree, &opts)) < 0) {
		rc = adr__error_git(grc, "cannot compare commit %s with its parent", commit);
		goto cleanup;
	}
	*out = git_diff_num_deltas(diff) > 0;
cleanup:
	free(paths[0]);
	git_diff_free(diff);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	git_commit_free(c);
	return rc;
}

void adr_commit_link_date(char buf[48], const adr_commit_link *l)
{
	time_t t = (time_t)(l->time + (long long)l->offset * 60);
	struct tm tm;
	int off = l->offset < 0 ? -l->offset : l->offset;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, 48, "-");
		return;
	}
	snprintf(buf, 48, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", (tm.tm_year + 1900) % 10000,
		 tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, l->offset < 0 ? '-' : '+',
		 (off / 60) % 100, off % 60);
}
