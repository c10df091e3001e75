/*
 * git/commit.c: one command, one commit, one compare-and-swap of one ref
 * (adr/commit.h). Each attempt builds the change (change.c), writes its
 * objects, brings the work trees along (worktree.c) and moves the branch
 * only if it still points at the tip the change was based on.
 */
#include "git/change_internal.h"
#include "git/maxnum.h"
#include "git/published.h"
#include "git/signature_internal.h"
#include "git/worktree_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr/record.h"
#include "util/alloc.h"
#include "util/error.h"

#define DEFAULT_ATTEMPTS 200
#define LOCK_WAIT_MS 3000
/* libgit2 caches no tree over 4 KiB (its default), so the records directory
 * of the tip, read for the next number, the work tree check and the new
 * tree, would be inflated, hashed and parsed each time. A commit keeps
 * trees up to this size; the default comes back when it ends. */
#define TREE_CACHE_DEFAULT 4096
#define TREE_CACHE_COMMIT ((size_t)8 << 20)

/* --- trees -------------------------------------------------------------- */

static int cmp_staged(const void *a, const void *b)
{
	return strcmp(((const adr__staged_file *)a)->path, ((const adr__staged_file *)b)->path);
}

/* git's order of tree entries: names compared bytewise, a directory's name
 * as if it ended in '/'. `b` is a file's name. */
static int cmp_entry_name(const git_tree_entry *e, const char *b)
{
	const char *a = git_tree_entry_name(e);
	size_t la = strlen(a), lb = strlen(b), m = la < lb ? la : lb;
	int c = memcmp(a, b, m);
	unsigned char ca, cb;
	if (c != 0)
		return c;
	ca = la > m ? (unsigned char)a[m] : (git_tree_entry_type(e) == GIT_OBJECT_TREE ? '/' : '\0');
	cb = lb > m ? (unsigned char)b[m] : '\0';
	return (int)ca - (int)cb;
}

/* Whether `name` is plainly a file name every check of libgit2's tree
 * builder takes as it is (core.protectHFS and core.protectNTFS refuse
 * names that fold to ".git" on those file systems): letters, digits, '-',
 * '_' and '.', not first, and no "~" short name. Every other name goes
 * through the tree builder and its checks. */
static bool plain_name(const char *name)
{
	if (!*name || *name == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_' || *p == '.'))
			return false;
	return name[strlen(name) - 1] != '.';
}

/* One entry of a raw tree: "<octal mode> <name>\0<20-byte id>". */
static void put_entry(adr_buf *raw, unsigned mode, const char *name, const git_oid *id)
{
	char oct[16];
	size_t at = sizeof(oct);
	do {
		oct[--at] = (char)('0' + (mode & 7u));
		mode >>= 3;
	} while (mode && at > 0);
	adr_buf_put(raw, oct + at, sizeof(oct) - at);
	adr_buf_putc(raw, ' ');
	adr_buf_put(raw, name, strlen(name) + 1);
	adr_buf_put(raw, id->id, GIT_OID_RAWSZ);
}

/* A directory whose changes are all files directly in it (a new record, an
 * edit, a deletion) that replace no directory: its tree is the base's
 * entries with the changes merged in, in one pass in git's order, written
 * in git's raw tree format. git_treebuilder would copy every entry into a
 * hash map and sort them all again, milliseconds on every commit to a
 * directory of 10,000 records. False when it does not apply. */
static bool merge_leaves(adr_buf *raw, size_t *count, const git_tree *base, const adr__staged_file *items, size_t n,
			 size_t prefix)
{
	size_t cnt = git_tree_entrycount(base), k = 0, i = 0;

	for (size_t j = 0; j < n; j++) {
		const char *name = items[j].path + prefix;
		const git_tree_entry *e = git_tree_entry_byname(base, name);
		if (strchr(name, '/') || !plain_name(name) || (e && git_tree_entry_type(e) == GIT_OBJECT_TREE) ||
		    (j > 0 && strcmp(items[j - 1].path + prefix, name) >= 0))
			return false;
	}
	*count = 0;
	while (k < cnt || i < n) {
		const git_tree_entry *e = k < cnt ? git_tree_entry_byindex(base, k) : NULL;
		const char *name = i < n ? items[i].path + prefix : NULL;
		int c = !e ? 1 : !name ? -1 : cmp_entry_name(e, name);
		if (c <= 0) {
			k++;
			if (c < 0) {
				put_entry(raw, (unsigned)git_tree_entry_filemode_raw(e), git_tree_entry_name(e),
					  git_tree_entry_id(e));
				++*count;
				continue;
			}
		}
		if (!items[i].del) {
			put_entry(raw, (unsigned)GIT_FILEMODE_BLOB, name, &items[i].oid);
			++*count;
		}
		i++;
	}
	return true;
}

/* Writes the raw tree `raw` into the repository's object database. */
static int write_raw_tree(git_oid *out, git_repository *git, const adr_buf *raw)
{
	git_odb *odb = NULL;
	int rc = git_repository_odb(&odb, git);
	if (rc == 0)
		rc = git_odb_write(out, odb, raw->ptr ? raw->ptr : "", raw->size, GIT_OBJECT_TREE);
	git_odb_free(odb);
	return rc;
}

/* Builds a tree from `base` (may be NULL) with items[0..n) applied; every
 * item's path starts with the same `prefix` bytes. Depth is bounded by the
 * number of components in a validated path. */
static int build_tree(git_oid *out, bool *empty, git_repository *git, const git_tree *base,
		      adr__staged_file *items, size_t n, size_t prefix)
{
	git_treebuilder *tb = NULL;
	int rc;
	size_t i = 0;

	if (base) {
		adr_buf raw = ADR_BUF_INIT;
		size_t count = 0;
		if (merge_leaves(&raw, &count, base, items, n, prefix)) {
			rc = adr_buf_oom(&raw) ? ADR_ENOMEM : write_raw_tree(out, git, &raw);
			adr_buf_dispose(&raw);
			*empty = count == 0;
			if (rc == ADR_ENOMEM)
				return adr__error_oom();
			goto written;
		}
		adr_buf_dispose(&raw);
	}
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
			/* Like git itself, trust the store's own checks (zlib's
			 * checksum, the pack's CRCs) instead of hashing the
			 * directory's whole tree again on every commit. */
			if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE) {
				git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
				rc = git_tree_lookup(&sub, git, git_tree_entry_id(e));
				git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 1);
			}
			if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE && rc < 0) {
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
	rc = git_treebuilder_write(out, tb);
written:
	if (rc < 0)
		rc = adr__error_git(rc, "cannot write a tree");
cleanup:
	git_treebuilder_free(tb);
	return rc;
}

/* --- the commit loop ----------------------------------------------------- */

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
	adr__wt_file *f = adr__calloc(ch->nstaged ? ch->nstaged : 1, sizeof(*f));
	ADR_ALLOC_CHECK(f);
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

/* The highest record number of the new tree's records directory, carried
 * over from the tip's when adr_change_next_number() found it and the
 * change only adds or edits files directly in the directory: the next
 * `adr new` then need not read a directory of 10,000 records to find its
 * number (git/maxnum.h). A deletion, a date-named file or a subdirectory
 * may change the count otherwise: then nothing is carried, and the
 * directory is read when asked. The new line takes the tip's, unless a
 * published tip has that directory too. */
static void carry_max(adr_change *ch, const git_oid *tree_oid)
{
	const char *dir = adr_repo_records_dir(ch->repo);
	size_t dlen = strlen(dir);
	git_tree *tree = NULL;
	git_oid to;
	int max = ch->tip_max, n;

	if (!ch->tip_max_known)
		return;
	for (size_t i = 0; i < ch->nstaged; i++) {
		const char *p = ch->staged[i].path, *name = p + dlen + 1;
		if (strncmp(p, dir, dlen) != 0 || p[dlen] != '/')
			continue;
		if (ch->staged[i].del || strchr(name, '/') || adr_record_date_named(name))
			return;
		if (adr_record_parse_filename(&n, NULL, name) == 0 && n > max)
			max = n;
	}
	adr_error_clear();
	if (git_tree_lookup(&tree, adr__repo_git(ch->repo), tree_oid) == 0 &&
	    adr__tree_records_dir_id(ch->repo, tree, &to) == 1)
		adr__maxnum_put(ch->repo, &to, max, ch->tip_dir_published ? NULL : &ch->tip_dir);
	git_error_clear();
	git_tree_free(tree);
}

/* One adr_repo_commit() call, kept across its attempts. */
typedef struct {
	adr_repo *repo;
	git_repository *git;
	const adr_commit_opts *opts;
	adr_commit_result *out;
	adr_change ch;
	git_signature *author, *committer;
	adr__wt_set *wts;
	adr__wt_file *files;
	adr_buf msg, reflog, notes;
	unsigned max_attempts;
	long locked_ms;
	git_oid commit_oid;
} commit_run;

/* How an attempt ended, when it did not fail. */
enum { LANDED = 0, RETRY = 1, UNCHANGED = 2 };

/* Every object first: blobs, the tree, the commit. UNCHANGED when the tree
 * is the tip's (and nothing asks for a commit all the same). */
static int write_objects(commit_run *r)
{
	adr_change *ch = &r->ch;
	git_oid tree_oid;
	bool empty;
	int rc;

	if (ch->nstaged)
		qsort(ch->staged, ch->nstaged, sizeof(*ch->staged), cmp_staged);
	for (size_t i = 0; i < ch->nstaged; i++) {
		if (ch->staged[i].del)
			continue;
		if ((rc = git_blob_create_from_buffer(&ch->staged[i].oid, r->git, ch->staged[i].data.ptr,
						      ch->staged[i].data.size)) < 0)
			return adr__error_git(rc, "cannot write '%s' to the object database", ch->staged[i].path);
	}
	if ((rc = build_tree(&tree_oid, &empty, r->git, ch->tip_tree, ch->staged, ch->nstaged, 0)) < 0)
		return rc;
	if (ch->tip_tree && git_oid_equal(&tree_oid, git_tree_id(ch->tip_tree)) && ch->nparents == 0 &&
	    !r->opts->allow_empty) {
		r->out->unchanged = true;
		snprintf(r->out->parent, sizeof(r->out->parent), "%s", ch->base);
		return UNCHANGED;
	}
	if ((rc = adr__change_message(&r->msg, ch)) < 0 ||
	    (rc = make_commit(&r->commit_oid, ch, &r->msg, &tree_oid, r->author, r->committer)) < 0)
		return rc;
	carry_max(ch, &tree_oid);
	return 0;
}

/* Every work tree where the branch is checked out: locked, checked clean,
 * then the files written and staged, all before the branch moves (see
 * worktree.c). RETRY when a writer finished while we waited for the locks. */
static int bring_worktrees(commit_run *r)
{
	adr_change *ch = &r->ch;
	int rc;

	if (r->opts->no_worktree)
		return 0;
	if ((rc = adr__wt_lock(&r->wts, r->repo, ch->branch, &r->notes)) < 0)
		return rc;
	if (adr__wt_count(r->wts) && branch_moved(ch)) {
		if (r->out->attempts >= r->max_attempts)
			return adr__error(ADR_EBUSY, "gave up after %u attempts: '%s' keeps changing (retry later)",
					  r->out->attempts, ch->branch);
		return RETRY;
	}
	if ((rc = wt_files(&r->files, ch)) < 0 || (rc = adr__wt_check(r->wts, r->files, ch->nstaged, ch->tip_tree)) < 0)
		return rc;
	if ((rc = adr__wt_stage(r->wts, ch->branch, ch->tip ? git_commit_id(ch->tip) : NULL, &r->commit_oid)) < 0)
		adr__wt_undo(r->wts);
	return rc;
}

/* The compare-and-swap failed: true when the ref moved all the same and
 * only syncing its directory failed (durable mode). Then the commit landed:
 * saying it failed would invite a second one. libgit2's reason goes to
 * `why` (the undo that may follow calls libgit2, which forgets it). */
static bool landed_anyway(commit_run *r, char *why, size_t n)
{
	const git_error *ge = git_error_last();
	git_oid now;

	snprintf(why, n, "%s", ge && ge->message ? ge->message : "");
	if (git_reference_name_to_id(&now, r->git, r->ch.branch) != 0 || !git_oid_equal(&now, &r->commit_oid))
		return false;
	if (r->notes.size)
		adr_buf_putc(&r->notes, '\n');
	adr_buf_printf(&r->notes, "the commit landed, but may not survive a power loss: %s", why);
	return true;
}

/* The branch did not move (`rc` says why): the work trees go back as they
 * were; RETRY when another writer won the race, else the error. */
static int not_published(commit_run *r, int rc, const char *why)
{
	const char *branch = r->ch.branch;

	if (adr__wt_undo(r->wts) < 0) {
		adr_buf w = ADR_BUF_INIT;
		adr_buf_printf(&w, "%s; the next adr command repairs the work tree", adr_error_last());
		rc = adr__error(ADR_ERROR, "%s", adr_buf_oom(&w) ? "cannot undo the work tree" : w.ptr);
		adr_buf_dispose(&w);
		return rc;
	}
	if (rc == ADR_ENOMEM)
		return adr__error_oom(); /* the undo may have replaced the message */
	if (rc == GIT_ELOCKED)
		/* A lock that outlasts the wait is reported as a lock. */
		return adr__error(ADR_EBUSY, "'%s%s.lock' exists: another git process is updating the branch, "
					     "or one crashed. If no git process is running, remove that file",
				  adr_repo_commondir(r->repo), branch);
	if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
		if (r->out->attempts >= r->max_attempts)
			return adr__error_git(rc, "gave up after %u attempts: '%s' keeps changing (retry later)",
					      r->out->attempts, branch);
		r->locked_ms = 0;
		adr__sleep_ms(adr__jitter_ms(5));
		adr_error_clear();
		return RETRY;
	}
	if (why[0])
		return adr__error(ADR_EGIT, "cannot update '%s': %s", branch, why);
	return adr__error_git(rc, "cannot update '%s'", branch);
}

/* The compare-and-swap: LANDED, RETRY, or an error (the work trees taken back). */
static int publish(commit_run *r)
{
	char why[512] = "";
	int rc;

	adr_buf_clear(&r->reflog);
	if (adr_buf_printf(&r->reflog, "adr: %s", r->ch.subject.ptr) < 0)
		rc = ADR_ENOMEM; /* not a libgit2 code: undone and reported below */
	else
		rc = move_branch(&r->ch, &r->commit_oid, r->reflog.ptr, &r->locked_ms);
	if (rc < 0 && rc != ADR_ENOMEM && landed_anyway(r, why, sizeof(why)))
		rc = 0;
	if (rc < 0)
		return not_published(r, rc, why);
	git_oid_tostr(r->out->commit, sizeof(r->out->commit), &r->commit_oid);
	snprintf(r->out->parent, sizeof(r->out->parent), "%s", r->ch.base);
	return LANDED;
}

/* One attempt: `fn` on the current tip, the objects, the work trees, the
 * compare-and-swap. */
static int attempt(commit_run *r, adr_change_fn fn, void *payload)
{
	int rc;

	adr__change_reset(&r->ch);
	adr__wt_release(r->wts);
	r->wts = NULL;
	free(r->files);
	r->files = NULL;
	r->out->attempts++;
	if ((rc = adr__change_load_tip(&r->ch)) < 0 || (rc = fn(&r->ch, payload)) < 0)
		return rc;
	if ((rc = write_objects(r)) != 0 || (rc = bring_worktrees(r)) != 0)
		return rc;
	return publish(r);
}

/* The branch moved: deletions leave the work trees, locks go. */
static void finish_worktrees(commit_run *r)
{
	adr_buf w = ADR_BUF_INIT;

	if (!adr__wt_count(r->wts))
		return;
	if (adr__wt_finish(r->wts) == 0) {
		r->out->worktree_updated = true;
		return;
	}
	adr_buf_printf(&w, "the commit landed (%.12s), but the work tree could not follow: %s; the next "
			   "adr command finishes it",
		       r->out->commit, adr_error_last());
	r->out->warning = adr_buf_detach(&w);
	adr_error_clear();
}

int adr_repo_commit(adr_commit_result *out, adr_repo *repo, adr_change_fn fn, void *payload,
		    const adr_commit_opts *opts)
{
	adr_commit_opts def = ADR_COMMIT_OPTS_INIT;
	commit_run r;
	int rc;

	if (!opts)
		opts = &def;
	if (opts->version != ADR_COMMIT_OPTS_VERSION)
		return adr__error(ADR_EUSAGE, "adr_commit_opts: unknown version %u", opts->version);
	memset(out, 0, sizeof(*out));
	memset(&r, 0, sizeof(r));
	r.repo = repo;
	r.git = adr__repo_git(repo);
	r.opts = opts;
	r.out = out;
	r.msg = r.reflog = r.notes = (adr_buf)ADR_BUF_INIT;
	r.max_attempts = opts->max_attempts ? opts->max_attempts : DEFAULT_ATTEMPTS;
	adr__change_init(&r.ch, repo, opts->branch ? opts->branch : adr_repo_branch(repo), opts->start_point);

	if ((rc = adr__signature_new(&r.author, r.git, "AUTHOR")) < 0 ||
	    (rc = adr__signature_new(&r.committer, r.git, "COMMITTER")) < 0)
		goto cleanup;
	/* What a killed adr left in this work tree is repaired first, whatever
	 * branch this change writes. */
	if (!opts->no_worktree && (rc = adr__wt_repair(repo, &r.notes)) < 0)
		goto cleanup;
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, TREE_CACHE_COMMIT);
	while ((rc = attempt(&r, fn, payload)) == RETRY)
		;
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)TREE_CACHE_DEFAULT);
	if (rc == LANDED)
		finish_worktrees(&r);
	if (rc > 0)
		rc = 0;
cleanup:
	add_note(out, &r.notes);
	adr__wt_release(r.wts);
	free(r.files);
	adr__change_dispose(&r.ch);
	git_signature_free(r.author);
	git_signature_free(r.committer);
	adr_buf_dispose(&r.msg);
	adr_buf_dispose(&r.reflog);
	adr_buf_dispose(&r.notes);
	return rc;
}

void adr_commit_result_dispose(adr_commit_result *res)
{
	free(res->warning);
	res->warning = NULL;
}
