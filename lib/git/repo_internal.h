/* git/repo_internal.h: the library-internal view of adr_repo, shared by lib/git. */
#ifndef ADR_REPO_INTERNAL_H
#define ADR_REPO_INTERNAL_H

#include <git2.h>

#include "adr/repo.h"
#include "text/yaml.h"
#include "util/fs.h"

struct adr_repo {
	git_repository *git;
	char *workdir;
	char *gitdir;
	char *commondir;
	char *index_path;           /* $GIT_INDEX_FILE (absolute) or <gitdir>index */
	char *records_dir;
	const char *records_dir_source;
	char *branch;
	char *template_name;
	adr_visibility default_visibility;
	adr__yaml_doc *config;       /* .adr.yaml, or NULL */
	char *branch_override;
	char *dir_override;
	bool durable;               /* durable: true, or git's core.fsync asks for it */
	long long first_response;   /* .adr.yaml first-response, in seconds; 0 when not set */
	adr_progress_fn progress;   /* adr_repo_set_progress(), NULL: none */
	void *progress_payload;
};

git_repository *adr__repo_git(adr_repo *repo);
/* `hex` (an id adr read or wrote itself) into `out`; a libgit2 failure is
 * an error, never an id left unset. */
int adr__oid_from_hex(git_oid *out, const char *hex);
/* Reports progress to the callback adr_repo_set_progress() gave, if any. */
void adr__repo_progress(adr_repo *repo, const char *what, size_t done, size_t total);
/* The index file adr reads and writes: $GIT_INDEX_FILE made absolute, or
 * <gitdir>index. Its lock is this path + ".lock". */
const char *adr__repo_index_path(const adr_repo *repo);
/*
 * Durable mode (`durable: true` in .adr.yaml, or git's core.fsync naming
 * loose-object, reference or index, or core.fsyncObjectFiles): libgit2
 * fsyncs objects, ref lock files and their directories
 * (GIT_OPT_ENABLE_FSYNC_GITDIR, on while a durable repository is open), and
 * adr's own writes must sync too, with the helpers below.
 */
bool adr__repo_durable(const adr_repo *repo);
/* Turns durable mode on or off for `repo` (config.c; off when it is freed). */
int adr__repo_set_durable(adr_repo *repo, bool on);
/* (adr__fsync_fd, adr__fsync_path, adr__fsync_parent: util/fs.h) */
/* libgit2 init, once per process. */
int adr__git_init(void);
/* Resolves rev (NULL: the decision branch) to a commit; ENOTFOUND when unborn. */
int adr__resolve_commit(git_commit **out, adr_repo *repo, const char *rev);
/* Reads records from a tree into set (appending). */
int adr__records_from_tree(adr_recordset *set, adr_repo *repo, git_tree *tree, unsigned flags);
/* The same, leaving out the file named `skip` (a proposal's own unnumbered
 * record, read on its branch), when `skip` is not NULL. */
int adr__records_from_tree_skip(adr_recordset *set, adr_repo *repo, git_tree *tree, unsigned flags,
				const char *skip);
/* Reads a file committed on `branch` into out; ADR_ENOTFOUND when the
 * branch or the file is absent. */
int adr__read_committed(adr_buf *out, adr_repo *repo, const char *branch, const char *path);
/* Reads `path` from the tree of `commit` (`what` names it in messages). */
int adr__commit_read_file(adr_buf *out, adr_repo *repo, git_commit *commit, const char *what, const char *path);
/* Reads a blob at path in tree, regular files only. */
int adr__tree_read(adr_buf *out, git_repository *git, git_tree *tree, const char *path);
/* The record path for `number` in the records directory of `root`. */
int adr__tree_record_path(adr_buf *out, adr_repo *repo, git_tree *root, int number);
/* The same, in the tip of a change (commit.c). */
struct adr_change;
int adr__change_record_path(adr_buf *out, struct adr_change *ch, int number);
/* True when `name` ends with ".md" (case-insensitive). */
bool adr__is_markdown(const char *name);

#endif
