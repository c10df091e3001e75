/*
 * tests/bench/commit_floor.c: the least libgit2 can do to commit one new
 * file, the floor `adr new` is measured against (bench.py, issue 14).
 *
 *   commit_floor REPO DIR NAME     commits DIR/NAME (a few lines of text)
 *                                  on HEAD, as `adr new` commits a record
 *
 * Each step is one `adr new` must take too, done with libgit2's public API
 * the shortest way it offers, and nothing else (no lock of adr's own, no
 * journal, no check of the work tree, no reading of the other records):
 *
 *   git_libgit2_init       (libgit2 reads its TLS certificates here)
 *   open the repository
 *   the file in the work tree (a temporary file renamed in place)
 *   its blob, DIR's tree with one entry more (git_treebuilder over the
 *     tree HEAD has), the trees above it, the commit, HEAD moved
 *   the work tree's index: read, one entry added with the file's stat
 *     data, written
 *
 * Updating the index through git_index_add_bypath and git_index_write_tree
 * instead is slower at 10,000 files (libgit2 writes the tree from every
 * index entry again), so this is the floor. With -v it prints each step's
 * milliseconds on stderr. Exit code: 0, or 1 with libgit2's message.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <git2.h>

static int fail(const char *what)
{
	const git_error *e = git_error_last();
	fprintf(stderr, "commit_floor: %s: %s\n", what, e && e->message ? e->message : "failed");
	return 1;
}

static double ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* `base` with `name` set to `id` (mode `mode`): the new tree's id in *out. */
static int tree_with(git_oid *out, git_repository *r, const git_tree *base, const char *name, const git_oid *id,
		     git_filemode_t mode)
{
	git_treebuilder *tb = NULL;
	int rc = git_treebuilder_new(&tb, r, base);
	if (rc == 0)
		rc = git_treebuilder_insert(NULL, tb, name, id, mode);
	if (rc == 0)
		rc = git_treebuilder_write(out, tb);
	git_treebuilder_free(tb);
	return rc;
}

/* HEAD's tree with DIR/NAME added, for a DIR of at most two levels (the
 * bench's docs/decisions), bottom up. */
static int new_root(git_oid *out, git_repository *r, git_tree *root, const char *dir, const char *name,
		    const git_oid *blob)
{
	char top[256];
	const char *slash = strchr(dir, '/');
	git_tree_entry *te = NULL, *de = NULL;
	git_tree *tt = NULL, *dt = NULL;
	git_oid dir_id, top_id;
	int rc;

	if (!slash || strchr(slash + 1, '/') || (size_t)(slash - dir) >= sizeof(top)) {
		fprintf(stderr, "commit_floor: DIR must be two levels deep (docs/decisions)\n");
		return -1;
	}
	memcpy(top, dir, (size_t)(slash - dir));
	top[slash - dir] = '\0';
	if ((rc = git_tree_entry_bypath(&te, root, top)) < 0 || (rc = git_tree_lookup(&tt, r, git_tree_entry_id(te))) < 0 ||
	    (rc = git_tree_entry_bypath(&de, tt, slash + 1)) < 0 ||
	    (rc = git_tree_lookup(&dt, r, git_tree_entry_id(de))) < 0)
		goto done;
	if ((rc = tree_with(&dir_id, r, dt, name, blob, GIT_FILEMODE_BLOB)) < 0 ||
	    (rc = tree_with(&top_id, r, tt, slash + 1, &dir_id, GIT_FILEMODE_TREE)) < 0)
		goto done;
	rc = tree_with(out, r, root, top, &top_id, GIT_FILEMODE_TREE);
done:
	git_tree_free(dt);
	git_tree_free(tt);
	git_tree_entry_free(de);
	git_tree_entry_free(te);
	return rc;
}

int main(int argc, char **argv)
{
	const char *body = "---\nstatus: proposed\n---\n# A floor for one commit\n\nWhy it was made.\n";
	bool verbose = argc == 5 && strcmp(argv[1], "-v") == 0;
	git_repository *r = NULL;
	git_commit *head = NULL;
	git_tree *root = NULL, *tree = NULL;
	git_signature *sig = NULL;
	git_index *idx = NULL;
	git_index_entry e;
	git_oid head_id, blob, root_id, commit;
	char rel[1024], path[2048], tmp[2100];
	const char *repo, *dir, *name;
	struct stat st;
	double t[6];
	FILE *f;

	if (argc != 4 && !verbose) {
		fprintf(stderr, "usage: commit_floor [-v] REPO DIR NAME\n");
		return 2;
	}
	repo = argv[argc - 3];
	dir = argv[argc - 2];
	name = argv[argc - 1];
	t[0] = ms_now();
	if (git_libgit2_init() < 0)
		return fail("init");
	t[1] = ms_now();
	if (git_repository_open(&r, repo) < 0)
		return fail("open");
	t[2] = ms_now();

	snprintf(rel, sizeof(rel), "%s/%s", dir, name);
	snprintf(path, sizeof(path), "%s/%s", git_repository_workdir(r), rel);
	snprintf(tmp, sizeof(tmp), "%s.floor-tmp", path);
	if (!(f = fopen(tmp, "w")) || fputs(body, f) < 0 || fclose(f) != 0 || rename(tmp, path) != 0 ||
	    lstat(path, &st) != 0) {
		perror(path);
		return 1;
	}
	if (git_blob_create_from_buffer(&blob, r, body, strlen(body)) < 0)
		return fail("blob");
	if (git_reference_name_to_id(&head_id, r, "HEAD") < 0 || git_commit_lookup(&head, r, &head_id) < 0 ||
	    git_commit_tree(&root, head) < 0)
		return fail("HEAD");
	if (new_root(&root_id, r, root, dir, name, &blob) < 0)
		return fail("tree");
	t[3] = ms_now();
	if (git_tree_lookup(&tree, r, &root_id) < 0 || git_signature_now(&sig, "Floor", "floor@example.invalid") < 0 ||
	    git_commit_create(&commit, r, "HEAD", sig, sig, NULL, "A floor for one commit\n", tree, 1,
			      (const git_commit **)&head) < 0)
		return fail("commit");
	t[4] = ms_now();

	if (git_repository_index(&idx, r) < 0)
		return fail("index");
	memset(&e, 0, sizeof(e));
	e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	e.dev = (uint32_t)st.st_dev;
	e.ino = (uint32_t)st.st_ino;
	e.uid = st.st_uid;
	e.gid = st.st_gid;
	e.file_size = (uint32_t)st.st_size;
	e.mode = GIT_FILEMODE_BLOB;
	e.id = blob;
	e.path = rel;
	if (git_index_add(idx, &e) < 0 || git_index_write(idx) < 0)
		return fail("index write");
	t[5] = ms_now();
	if (verbose)
		fprintf(stderr, "init %.1f  open %.1f  file+blob+trees %.1f  commit %.1f  index %.1f  total %.1f ms\n",
			t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4], t[5] - t[0]);

	git_index_free(idx);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(root);
	git_commit_free(head);
	git_repository_free(r);
	git_libgit2_shutdown();
	return 0;
}
