/* Git hooks: the scripts, installing and removing them, and what they look at. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "adr/commit.h"
#include "adr/hooks.h"
#include "log/ops_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/strcase.h"
#include "git/repo_internal.h"

const char *const adr_hook_names[] = { "prepare-commit-msg", "commit-msg", "post-commit", NULL };

/* Hook files larger than this are not read to look for our marker. */
#define HOOK_READ_MAX (256 * 1024)

const char *adr_hook_state_name(adr_hook_state s)
{
	switch (s) {
	case ADR_HOOK_OURS: return "ours";
	case ADR_HOOK_CHAINED: return "chained";
	case ADR_HOOK_FOREIGN: return "foreign";
	default: return "missing";
	}
}

static bool known_hook(const char *name)
{
	for (size_t i = 0; adr_hook_names[i]; i++)
		if (strcmp(adr_hook_names[i], name) == 0)
			return true;
	return false;
}

/* --- the script ------------------------------------------------------------- */

int adr_hooks_script(adr_buf *out, const char *name, const char *adr_path)
{
	if (!known_hook(name))
		return adr__error(ADR_EINVALID, "'%s' is not a hook adr installs", name);
	if (adr_path) {
		if (adr_path[0] != '/')
			return adr__error(ADR_EINVALID, "the adr path '%s' is not absolute", adr_path);
		for (const char *p = adr_path; *p; p++)
			if ((unsigned char)*p < 0x20 || *p == 0x7f)
				return adr__error(ADR_EINVALID, "the adr path has a control character");
	}
	adr_buf_puts(out, "#!/bin/sh\n" ADR_HOOK_MARKER "\n");
	adr_buf_puts(out,
		     "# `adr hooks uninstall` removes this file and puts back the hook that was\n"
		     "# here before, kept beside it as HOOK" ADR_HOOK_CHAINED_SUFFIX " and run first.\n"
		     "# adr never fails the commit: without adr, or when adr fails, the exit\n"
		     "# status is the previous hook's. Arguments are passed on as \"$@\" only.\n");
	adr_buf_printf(out, "hook=%s\n", name);
	adr_buf_puts(out, "adr=");
	if (adr_path) {
		adr_buf_putc(out, '\'');
		for (const char *p = adr_path; *p; p++) {
			if (*p == '\'')
				adr_buf_puts(out, "'\\''");
			else
				adr_buf_putc(out, *p);
		}
		adr_buf_putc(out, '\'');
	}
	adr_buf_puts(out,
		     "\nstatus=0\n"
		     "if [ -x \"$0" ADR_HOOK_CHAINED_SUFFIX "\" ]; then\n"
		     "\t\"$0" ADR_HOOK_CHAINED_SUFFIX "\" \"$@\" || status=$?\n"
		     "\tif [ \"$status\" -ne 0 ] && [ \"$hook\" != post-commit ]; then\n"
		     "\t\texit \"$status\"\n"
		     "\tfi\n"
		     "fi\n"
		     "if [ -z \"$adr\" ] || [ ! -x \"$adr\" ]; then\n"
		     "\tadr=$(command -v adr 2>/dev/null) || exit \"$status\"\n"
		     "fi\n"
		     "\"$adr\" hook \"$hook\" -- \"$@\" || :\n"
		     "exit \"$status\"\n");
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* --- the hooks directory ------------------------------------------------------ */

static int strip_slashes(adr_buf *b)
{
	while (b->size > 1 && b->ptr[b->size - 1] == '/')
		adr_buf_truncate(b, b->size - 1);
	return adr_buf_oom(b) ? ADR_ENOMEM : 0;
}

int adr_hooks_dir(adr_buf *out, adr_repo *repo)
{
	git_config *cfg = NULL;
	git_buf val = { 0 };
	int rc, grc;

	adr_buf_clear(out);
	if ((grc = git_repository_config_snapshot(&cfg, adr__repo_git(repo))) < 0)
		return adr__error_git(grc, "cannot read the git configuration");
	grc = git_config_get_path(&val, cfg, "core.hooksPath");
	if (grc == GIT_ENOTFOUND || (grc == 0 && !val.ptr[0])) {
		adr_buf_printf(out, "%shooks", adr_repo_commondir(repo));
	} else if (grc < 0) {
		rc = adr__error_git(grc, "cannot read core.hooksPath");
		goto cleanup;
	} else if (val.ptr[0] == '/') {
		adr_buf_puts(out, val.ptr);
	} else {
		/* Like git: relative to where hooks run, the top of the work tree. */
		const char *top = adr_repo_workdir(repo) ? adr_repo_workdir(repo) : adr_repo_gitdir(repo);
		adr_buf_printf(out, "%s%s", top, val.ptr);
	}
	rc = strip_slashes(out);
cleanup:
	git_buf_dispose(&val);
	git_config_free(cfg);
	return rc;
}

/* --- reading, writing, states -------------------------------------------------- */

static int join(adr_buf *out, const char *dir, const char *name, const char *suffix)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "%s/%s%s", dir, name, suffix ? suffix : "");
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Reads a file (following a symlink; O_NONBLOCK, so a FIFO cannot hang
 * it); ENOTFOUND when there is none. Returns 1 (with the first
 * HOOK_READ_MAX bytes) when the file is larger than that. */
static int read_hook(adr_buf *out, const char *path)
{
	int fd, rc;

	adr_buf_clear(out);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ENOENT)
			return adr__error(ADR_ENOTFOUND, "'%s' does not exist", path);
		return adr__error_os("cannot read '%s'", path);
	}
	rc = adr__fd_read(out, fd, path, HOOK_READ_MAX);
	close(fd);
	if (rc == ADR_EINVALID) {
		/* larger than the cap: not an error, the caller decides */
		adr_error_clear();
		adr_buf_truncate(out, HOOK_READ_MAX);
		rc = 1;
	}
	return rc;
}

static bool is_ours(const adr_buf *content)
{
	return strstr(content->ptr, "\n" ADR_HOOK_MARKER "\n") != NULL;
}

static int hook_state(adr_hook_state *out, const char *dir, const char *name)
{
	adr_buf path = ADR_BUF_INIT, content = ADR_BUF_INIT;
	struct stat st;
	int rc;

	*out = ADR_HOOK_MISSING;
	if ((rc = join(&path, dir, name, NULL)) < 0)
		goto cleanup;
	if (lstat(path.ptr, &st) < 0) {
		rc = errno == ENOENT ? 0 : adr__error_os("cannot look at '%s'", path.ptr);
		goto cleanup;
	}
	*out = ADR_HOOK_FOREIGN;
	if (!S_ISREG(st.st_mode))
		goto cleanup;
	if ((rc = read_hook(&content, path.ptr)) < 0)
		goto cleanup;
	rc = 0;
	if (is_ours(&content)) {
		*out = ADR_HOOK_OURS;
		if ((rc = join(&path, dir, name, ADR_HOOK_CHAINED_SUFFIX)) < 0)
			goto cleanup;
		if (exists(path.ptr))
			*out = ADR_HOOK_CHAINED;
	}
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&content);
	return rc;
}

/* A hook manager whose hook cannot be run under another name. */
static const char *hook_manager(const char *dir, const adr_buf *content)
{
	static const char *const names[][2] = {
		{ "husky", "husky" }, { "lefthook", "lefthook" }, { "pre-commit.com", "pre-commit" },
		{ "File generated by pre-commit", "pre-commit" }
	};
	if (strstr(dir, "/.husky/") || (strlen(dir) >= 7 && strcmp(dir + strlen(dir) - 7, "/.husky") == 0))
		return "husky";
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (adr__ci_contains(content->ptr, names[i][0]))
			return names[i][1];
	return NULL;
}

/* Writes `data` to `path` (mode 0755) through a temporary file and rename. */
static int write_script(const char *path, const adr_buf *data)
{
	return adr__file_write_atomic(path, data->ptr, data->size, 0755, 0);
}

void adr_hooks_report_dispose(adr_hooks_report *rep)
{
	free(rep->dir);
	rep->dir = NULL;
}

static int report_begin(adr_hooks_report *out, const char *dir)
{
	adr_hooks_report_dispose(out);
	memset(out, 0, sizeof(*out));
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++)
		out->hooks[i].name = adr_hook_names[i];
	out->dir = adr__strdup(dir);
	ADR_ALLOC_CHECK(out->dir);
	return 0;
}

int adr_hooks_status_dir(adr_hooks_report *out, const char *dir)
{
	int rc;
	if ((rc = report_begin(out, dir)) < 0)
		return rc;
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++)
		if ((rc = hook_state(&out->hooks[i].state, dir, adr_hook_names[i])) < 0)
			return rc;
	return 0;
}

/* What install or uninstall did to one hook, so a failure can put it back. */
enum hook_done { DONE_NOTHING, DONE_WROTE_NEW, DONE_CHAINED, DONE_REWROTE, DONE_REMOVED, DONE_RESTORED };

/* Puts hooks [0, n) back as they were, last first; a step that fails is
 * named after the original error, which stays the one reported. */
static void hooks_roll_back(const char *dir, const enum hook_done *done, adr_buf *old, size_t n)
{
	adr_buf path = ADR_BUF_INIT, chained = ADR_BUF_INIT, msg = ADR_BUF_INIT;
	bool ok = true;
	int code = adr_error_code();

	adr_buf_puts(&msg, adr_error_last());
	while (n-- > 0) {
		const char *name = adr_hook_names[n];
		if (done[n] == DONE_NOTHING)
			continue;
		if (join(&path, dir, name, NULL) < 0 || join(&chained, dir, name, ADR_HOOK_CHAINED_SUFFIX) < 0) {
			ok = false;
			continue;
		}
		switch (done[n]) {
		case DONE_WROTE_NEW:
			ok &= unlink(path.ptr) == 0;
			break;
		case DONE_CHAINED:
			ok &= rename(chained.ptr, path.ptr) == 0;
			break;
		case DONE_REWROTE:
		case DONE_REMOVED:
			ok &= write_script(path.ptr, &old[n]) == 0;
			break;
		case DONE_RESTORED:
			ok &= rename(path.ptr, chained.ptr) == 0 && write_script(path.ptr, &old[n]) == 0;
			break;
		default:
			break;
		}
	}
	if (!ok)
		adr_buf_printf(&msg, "; some hooks in '%s' could not be put back: run `adr hooks status`", dir);
	const char *why = adr_buf_oom(&msg) ? "cannot put the hooks back" : msg.ptr;
	adr__error(code, "%s", why);
	adr_buf_dispose(&path);
	adr_buf_dispose(&chained);
	adr_buf_dispose(&msg);
}

int adr_hooks_install_dir(adr_hooks_report *out, const char *dir, const char *adr_path)
{
	adr_buf path = ADR_BUF_INIT, chained = ADR_BUF_INIT, content = ADR_BUF_INIT, script = ADR_BUF_INIT;
	adr_buf old[ADR_HOOK_COUNT];
	enum hook_done done[ADR_HOOK_COUNT];
	adr_hook_state states[ADR_HOOK_COUNT];
	size_t i = 0;
	int rc;

	for (size_t k = 0; k < ADR_HOOK_COUNT; k++) {
		old[k] = (adr_buf)ADR_BUF_INIT;
		done[k] = DONE_NOTHING;
	}

	if ((rc = report_begin(out, dir)) < 0 || (rc = adr__mkdirs(dir, 0777)) < 0)
		goto cleanup;
	/* Check everything first, so a refusal changes nothing. */
	for (i = 0; i < ADR_HOOK_COUNT; i++) {
		const char *name = adr_hook_names[i], *manager;
		struct stat st;
		if ((rc = hook_state(&states[i], dir, name)) < 0)
			goto cleanup;
		if (states[i] != ADR_HOOK_FOREIGN)
			continue;
		if ((rc = join(&path, dir, name, NULL)) < 0 ||
		    (rc = join(&chained, dir, name, ADR_HOOK_CHAINED_SUFFIX)) < 0)
			goto cleanup;
		if (lstat(path.ptr, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			rc = adr__error(ADR_EEXISTS, "'%s' is not a file; adr does not install over it", path.ptr);
			goto cleanup;
		}
		adr_buf_clear(&content);
		if (S_ISREG(st.st_mode) && (rc = read_hook(&content, path.ptr)) < 0)
			goto cleanup;
		rc = 0;
		if ((manager = hook_manager(dir, &content))) {
			rc = adr__error(ADR_EEXISTS, "'%s' belongs to %s, which cannot be chained; add "
						     "`adr hook %s -- \"$@\"` to %s's configuration instead",
					path.ptr, manager, name, manager);
			goto cleanup;
		}
		if (exists(chained.ptr)) {
			rc = adr__error(ADR_EEXISTS, "'%s' already exists; adr will not overwrite it "
						     "(move it away and run `adr hooks install` again)", chained.ptr);
			goto cleanup;
		}
	}
	/* Then each hook; a failure puts back the ones already changed. */
	for (i = 0; i < ADR_HOOK_COUNT; i++) {
		const char *name = adr_hook_names[i];
		adr_hook_report_entry *e = &out->hooks[i];
		if ((rc = join(&path, dir, name, NULL)) < 0 ||
		    (rc = join(&chained, dir, name, ADR_HOOK_CHAINED_SUFFIX)) < 0)
			goto undo;
		adr_buf_clear(&script);
		if ((rc = adr_hooks_script(&script, name, adr_path)) < 0)
			goto undo;
		e->state = states[i];
		if (states[i] == ADR_HOOK_OURS || states[i] == ADR_HOOK_CHAINED) {
			if ((rc = read_hook(&old[i], path.ptr)) < 0)
				goto undo;
			if (old[i].size == script.size && memcmp(old[i].ptr, script.ptr, script.size) == 0) {
				e->action = "unchanged";
				continue;
			}
			if ((rc = write_script(path.ptr, &script)) < 0)
				goto undo;
			done[i] = DONE_REWROTE;
			e->action = "updated";
			continue;
		}
		if (states[i] == ADR_HOOK_FOREIGN) {
			if (rename(path.ptr, chained.ptr) < 0) {
				rc = adr__error_os("cannot rename '%s'", path.ptr);
				goto undo;
			}
			done[i] = DONE_CHAINED; /* undone by renaming it back over ours */
			if ((rc = write_script(path.ptr, &script)) < 0)
				goto undo;
			e->state = ADR_HOOK_CHAINED;
			e->action = "chained";
			continue;
		}
		if ((rc = write_script(path.ptr, &script)) < 0)
			goto undo;
		done[i] = DONE_WROTE_NEW;
		e->state = exists(chained.ptr) ? ADR_HOOK_CHAINED : ADR_HOOK_OURS;
		e->action = "installed";
	}
	goto cleanup;
undo:
	hooks_roll_back(dir, done, old, i + 1); /* i: the hook that failed */
cleanup:
	for (size_t k = 0; k < ADR_HOOK_COUNT; k++)
		adr_buf_dispose(&old[k]);
	adr_buf_dispose(&path);
	adr_buf_dispose(&chained);
	adr_buf_dispose(&content);
	adr_buf_dispose(&script);
	return rc;
}

int adr_hooks_uninstall_dir(adr_hooks_report *out, const char *dir)
{
	adr_buf path = ADR_BUF_INIT, chained = ADR_BUF_INIT;
	adr_buf old[ADR_HOOK_COUNT];
	enum hook_done done[ADR_HOOK_COUNT];
	size_t i = 0;
	int rc;

	for (size_t k = 0; k < ADR_HOOK_COUNT; k++) {
		old[k] = (adr_buf)ADR_BUF_INIT;
		done[k] = DONE_NOTHING;
	}
	if ((rc = report_begin(out, dir)) < 0)
		goto cleanup;
	/* Each hook in turn; a failure puts back the ones already changed
	 * (adr's script from the copy read before it was removed). */
	for (i = 0; i < ADR_HOOK_COUNT; i++) {
		const char *name = adr_hook_names[i];
		adr_hook_report_entry *e = &out->hooks[i];
		adr_hook_state st;
		if ((rc = hook_state(&st, dir, name)) < 0 || (rc = join(&path, dir, name, NULL)) < 0 ||
		    (rc = join(&chained, dir, name, ADR_HOOK_CHAINED_SUFFIX)) < 0)
			goto undo;
		e->state = st;
		if (st == ADR_HOOK_FOREIGN) {
			e->action = "left alone (not adr's)";
			continue;
		}
		if (st == ADR_HOOK_OURS || st == ADR_HOOK_CHAINED) {
			if ((rc = read_hook(&old[i], path.ptr)) < 0)
				goto undo;
			if (unlink(path.ptr) < 0) {
				rc = adr__error_os("cannot remove '%s'", path.ptr);
				goto undo;
			}
			done[i] = DONE_REMOVED;
			e->state = ADR_HOOK_MISSING;
			e->action = "removed";
		} else {
			e->action = "not installed";
		}
		if (exists(chained.ptr)) {
			if (rename(chained.ptr, path.ptr) < 0) {
				rc = adr__error_os("cannot rename '%s' back", chained.ptr);
				goto undo;
			}
			if (done[i] == DONE_REMOVED)
				done[i] = DONE_RESTORED;
			e->state = ADR_HOOK_FOREIGN;
			e->action = "restored";
		}
	}
	goto cleanup;
undo:
	hooks_roll_back(dir, done, old, i + 1); /* i: the hook that failed */
cleanup:
	for (size_t k = 0; k < ADR_HOOK_COUNT; k++)
		adr_buf_dispose(&old[k]);
	adr_buf_dispose(&path);
	adr_buf_dispose(&chained);
	return rc;
}

int adr_hooks_status(adr_hooks_report *out, adr_repo *repo)
{
	adr_buf dir = ADR_BUF_INIT;
	int rc = adr_hooks_dir(&dir, repo);
	if (rc == 0)
		rc = adr_hooks_status_dir(out, dir.ptr);
	adr_buf_dispose(&dir);
	return rc;
}

int adr_hooks_install(adr_hooks_report *out, adr_repo *repo, const char *adr_path)
{
	adr_buf dir = ADR_BUF_INIT;
	int rc = adr_hooks_dir(&dir, repo);
	if (rc == 0)
		rc = adr_hooks_install_dir(out, dir.ptr, adr_path);
	adr_buf_dispose(&dir);
	return rc;
}

int adr_hooks_uninstall(adr_hooks_report *out, adr_repo *repo)
{
	adr_buf dir = ADR_BUF_INIT;
	int rc = adr_hooks_dir(&dir, repo);
	if (rc == 0)
		rc = adr_hooks_uninstall_dir(out, dir.ptr);
	adr_buf_dispose(&dir);
	return rc;
}

/* --- trailers ----------------------------------------------------------------- */

int adr_message_trailers(adr_strlist *keys, adr_strlist *values, const char *message)
{
	git_message_trailer_array arr = { 0 };
	int rc = 0, grc;
	if ((grc = git_message_trailers(&arr, message)) < 0)
		return adr__error_git(grc, "cannot read the trailers of a commit message");
	for (size_t i = 0; i < arr.count; i++)
		if (adr_strlist_add(keys, arr.trailers[i].key) < 0 ||
		    adr_strlist_add(values, arr.trailers[i].value) < 0) {
			rc = adr__error(ADR_ENOMEM, "out of memory");
			break;
		}
	git_message_trailer_array_free(&arr);
	return rc;
}

int adr_refs_parse(adr_intlist *out, const char *value)
{
	const char *p = value;
	while (*p) {
		size_t n;
		while (*p && (*p == ',' || *p == ';' || isspace((unsigned char)*p)))
			p++;
		n = strcspn(p, ",; \t\r\n");
		if (n > 4 && strncasecmp(p, "adr-", 4) == 0 && n - 4 <= 9) {
			int num = 0;
			bool digits = true;
			for (size_t i = 4; i < n; i++) {
				if (p[i] < '0' || p[i] > '9') {
					digits = false;
					break;
				}
				num = num * 10 + (p[i] - '0');
			}
			if (digits && num > 0 && adr_intlist_add_unique(out, num) < 0)
				return adr__error(ADR_ENOMEM, "out of memory");
		}
		p += n;
	}
	return 0;
}

const char *adr_hooks_trailer_name(adr_repo *repo)
{
	const char *t = adr_repo_config_string(repo, "hooks.trailer");
	return t && *t ? t : "Refs";
}

/* --- what the hooks look at ------------------------------------------------------ */

static int add_watched(adr_strlist *out, const adr_strlist *globs, const git_diff *diff)
{
	size_t n = git_diff_num_deltas(diff);
	for (size_t i = 0; i < n; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		const char *paths[2] = { d->old_file.path, d->new_file.path };
		for (size_t k = 0; k < 2; k++)
			if (paths[k] && adr_glob_match_any(globs, paths[k]) &&
			    adr_strlist_add_unique(out, paths[k]) < 0)
				return ADR_ENOMEM;
	}
	return 0;
}

static int head_tree(git_tree **out, git_repository *git)
{
	git_object *obj = NULL;
	int grc = git_revparse_single(&obj, git, "HEAD^{tree}");
	*out = NULL;
	if (grc == GIT_ENOTFOUND || grc == GIT_EUNBORNBRANCH)
		return 0;
	if (grc < 0)
		return adr__error_git(grc, "cannot read HEAD");
	*out = (git_tree *)obj;
	return 0;
}

int adr_hooks_staged_watched(adr_strlist *out, adr_repo *repo, const char *index_path)
{
	git_repository *git = adr__repo_git(repo);
	adr_strlist globs = ADR_STRLIST_INIT;
	git_tree *tree = NULL;
	git_index *index = NULL;
	git_diff *diff = NULL;
	int rc, grc;

	if ((rc = adr_repo_config_list(&globs, repo, "hooks.watch")) < 0 || !globs.count)
		goto cleanup;
	if ((rc = head_tree(&tree, git)) < 0)
		goto cleanup;
	grc = index_path ? git_index_open(&index, index_path) : git_repository_index(&index, git);
	if (grc < 0) {
		rc = adr__error_git(grc, "cannot read the index");
		goto cleanup;
	}
	if ((grc = git_diff_tree_to_index(&diff, git, tree, index, NULL)) < 0) {
		rc = adr__error_git(grc, "cannot compare the index with HEAD");
		goto cleanup;
	}
	rc = add_watched(out, &globs, diff);
cleanup:
	git_diff_free(diff);
	git_index_free(index);
	git_tree_free(tree);
	adr_strlist_clear(&globs);
	return rc;
}

static int comment_char(char *out, git_repository *git)
{
	git_config *cfg = NULL;
	git_buf val = { 0 };
	int grc;
	*out = '#';
	if ((grc = git_repository_config_snapshot(&cfg, git)) < 0)
		return adr__error_git(grc, "cannot read the git configuration");
	grc = git_config_get_string_buf(&val, cfg, "core.commentChar");
	if (grc == 0)
		*out = strlen(val.ptr) == 1 && val.ptr[0] != ' ' ? val.ptr[0] : '\0';
	git_buf_dispose(&val);
	git_config_free(cfg);
	return grc == 0 || grc == GIT_ENOTFOUND ? 0 : adr__error_git(grc, "cannot read core.commentChar");
}

static int rewrite_file(const char *path, const adr_buf *data)
{
	FILE *f = fopen(path, "wb");
	int rc = 0;
	if (!f)
		return adr__error_os("cannot write '%s'", path);
	if (fwrite(data->ptr, 1, data->size, f) != data->size)
		rc = adr__error_os("cannot write '%s'", path);
	if (fclose(f) != 0 && !rc)
		rc = adr__error_os("cannot write '%s'", path);
	return rc;
}

int adr_hooks_prepare_msg(bool *added, adr_repo *repo, const char *msg_file, const char *source,
			  const char *index_path)
{
	adr_strlist paths = ADR_STRLIST_INIT;
	adr_buf msg = ADR_BUF_INIT, hint = ADR_BUF_INIT, out = ADR_BUF_INIT;
	const char *scissors;
	size_t at;
	char cc;
	int rc;

	*added = false;
	if (source && *source && strcmp(source, "template") != 0)
		return 0;
	if ((rc = comment_char(&cc, adr__repo_git(repo))) < 0 || !cc)
		return rc;
	if ((rc = adr_hooks_staged_watched(&paths, repo, index_path)) < 0 || !paths.count)
		goto cleanup;
	if ((rc = read_hook(&msg, msg_file)) != 0) {
		/* A message too large to rewrite safely gets no hint. */
		if (rc > 0)
			rc = 0;
		goto cleanup;
	}
	adr_buf_printf(&hint, "%c adr: this change touches paths watched for decisions (hooks.watch):\n", cc);
	for (size_t i = 0; i < paths.count && i < 10; i++)
		adr_buf_printf(&hint, "%c   %s\n", cc, paths.items[i]);
	if (paths.count > 10)
		adr_buf_printf(&hint, "%c   ... and %zu more\n", cc, paths.count - 10);
	adr_buf_printf(&hint, "%c Add \"Decision: TITLE\" to record a decision after the commit,\n"
			      "%c \"%s: ADR-NNNN\" to link one, or \"Decision: none\" to skip the question.\n",
		       cc, cc, adr_hooks_trailer_name(repo));
	/* Before git's own comments when there is a scissors line, else at the end. */
	scissors = strstr(msg.ptr, " ------------------------ >8 ------------------------");
	at = msg.size;
	if (scissors && scissors > msg.ptr && scissors[-1] == cc &&
	    (scissors - 1 == msg.ptr || scissors[-2] == '\n'))
		at = (size_t)(scissors - 1 - msg.ptr);
	adr_buf_put(&out, msg.ptr, at);
	if (at && out.ptr[at - 1] != '\n')
		adr_buf_putc(&out, '\n');
	adr_buf_put(&out, hint.ptr, hint.size);
	adr_buf_put(&out, msg.ptr + at, msg.size - at);
	if (adr_buf_oom(&out) || adr_buf_oom(&hint)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = rewrite_file(msg_file, &out)) == 0)
		*added = true;
cleanup:
	adr_strlist_clear(&paths);
	adr_buf_dispose(&msg);
	adr_buf_dispose(&hint);
	adr_buf_dispose(&out);
	return rc;
}

void adr_hook_commit_dispose(adr_hook_commit *c)
{
	free(c->subject);
	free(c->decision);
	adr_intlist_clear(&c->refs);
	adr_strlist_clear(&c->watched);
	*c = (adr_hook_commit)ADR_HOOK_COMMIT_INIT;
}

static const char *state_skip(int state)
{
	switch (state) {
	case GIT_REPOSITORY_STATE_NONE:
		return NULL;
	case GIT_REPOSITORY_STATE_MERGE:
		return "a merge";
	case GIT_REPOSITORY_STATE_REVERT:
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		return "a revert";
	case GIT_REPOSITORY_STATE_CHERRYPICK:
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		return "a cherry-pick";
	case GIT_REPOSITORY_STATE_BISECT:
		return "a bisect";
	default:
		return "a rebase";
	}
}

/* What HEAD's last reflog entry says about how HEAD got there. */
static const char *reflog_skip(git_repository *git, const git_oid *head)
{
	git_reflog *log = NULL;
	const char *skip = NULL, *msg;
	const git_reflog_entry *e;

	if (git_reflog_read(&log, git, "HEAD") < 0)
		return NULL;
	if (git_reflog_entrycount(log) == 0 || !(e = git_reflog_entry_byindex(log, 0)) ||
	    !git_oid_equal(git_reflog_entry_id_new(e), head))
		goto cleanup;
	msg = git_reflog_entry_message(e);
	if (!msg)
		goto cleanup;
	if (strncmp(msg, "commit: ", 8) == 0 || strncmp(msg, "commit (initial): ", 18) == 0)
		goto cleanup;
	if (strncmp(msg, "commit (amend)", 14) == 0)
		skip = "an amend";
	else if (strncmp(msg, "commit (merge)", 14) == 0)
		skip = "a merge";
	else if (strncmp(msg, "cherry-pick", 11) == 0)
		skip = "a cherry-pick";
	else if (strncmp(msg, "revert", 6) == 0)
		skip = "a revert";
	else if (strncmp(msg, "rebase", 6) == 0)
		skip = "a rebase";
	else
		skip = "not a plain commit";
cleanup:
	git_reflog_free(log);
	return skip;
}

/* A trailer value on one line: folded line breaks and runs of blanks become
 * one space, none at either end (git's unfolding). */
static char *unfolded(const char *s)
{
	char *out = malloc(strlen(s) + 1);
	size_t n = 0;
	if (!out)
		return NULL;
	for (; *s; s++) {
		bool space = isspace((unsigned char)*s);
		if (space && (n == 0 || out[n - 1] == ' '))
			continue;
		out[n++] = space ? ' ' : *s;
	}
	while (n && out[n - 1] == ' ')
		n--;
	out[n] = '\0';
	return out;
}

int adr_hooks_head(adr_hook_commit *out, adr_repo *repo)
{
	git_repository *git = adr__repo_git(repo);
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT, globs = ADR_STRLIST_INIT;
	git_object *obj = NULL;
	git_commit *commit = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	const char *summary;
	int rc = 0, grc;

	adr_hook_commit_dispose(out);
	if ((out->skip = state_skip(git_repository_state(git))))
		goto cleanup;
	grc = git_revparse_single(&obj, git, "HEAD^{commit}");
	if (grc == GIT_ENOTFOUND || grc == GIT_EUNBORNBRANCH) {
		out->skip = "no commit";
		goto cleanup;
	}
	if (grc < 0) {
		rc = adr__error_git(grc, "cannot read HEAD");
		goto cleanup;
	}
	commit = (git_commit *)obj;
	git_oid_tostr(out->id, sizeof(out->id), git_commit_id(commit));
	summary = git_commit_summary(commit);
	if (!(out->subject = strdup(summary ? summary : ""))) {
		rc = adr__error(ADR_ENOMEM, "out of memory");
		goto cleanup;
	}
	if (git_commit_parentcount(commit) > 1) {
		out->skip = "a merge";
		goto cleanup;
	}
	if ((out->skip = reflog_skip(git, git_commit_id(commit))))
		goto cleanup;
	if ((rc = adr_message_trailers(&keys, &values, git_commit_message(commit))) < 0)
		goto cleanup;
	for (size_t i = 0; i < keys.count; i++) {
		if (strcasecmp(keys.items[i], "Adr-Action") == 0)
			out->from_adr = true;
		if (strcasecmp(keys.items[i], adr_hooks_trailer_name(repo)) == 0 &&
		    (rc = adr_refs_parse(&out->refs, values.items[i])) < 0)
			goto cleanup;
		if (strcasecmp(keys.items[i], "Decision") == 0 && !out->decision) {
			if (!(out->decision = unfolded(values.items[i]))) {
				rc = adr__error(ADR_ENOMEM, "out of memory");
				goto cleanup;
			}
			if (strcasecmp(out->decision, "none") == 0)
				out->opt_out = true;
		}
	}
	if (out->from_adr) {
		out->skip = "made by adr";
		goto cleanup;
	}
	if ((rc = adr_repo_config_list(&globs, repo, "hooks.watch")) < 0 || !globs.count)
		goto cleanup;
	if ((grc = git_commit_tree(&tree, commit)) < 0 ||
	    (git_commit_parentcount(commit) && (grc = git_commit_parent(&parent, commit, 0)) == 0 &&
	     (grc = git_commit_tree(&ptree, parent)) < 0) ||
	    (grc = git_diff_tree_to_tree(&diff, git, ptree, tree, NULL)) < 0) {
		rc = adr__error_git(grc, "cannot compare HEAD with its parent");
		goto cleanup;
	}
	rc = add_watched(&out->watched, &globs, diff);
cleanup:
	git_diff_free(diff);
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(parent);
	git_commit_free(commit);
	adr_strlist_clear(&keys);
	adr_strlist_clear(&values);
	adr_strlist_clear(&globs);
	return rc;
}

/* --- recording and linking ------------------------------------------------------- */

static int check_commit_id(const char *commit)
{
	size_t n = strlen(commit);
	if (n != 40 || strspn(commit, "0123456789abcdef") != 40)
		return adr__error(ADR_EINVALID, "'%s' is not a full commit id", commit);
	return 0;
}

int adr_hooks_record(adr_op_result *res, adr_repo *repo, adr_record *r, const char *commit)
{
	int rc;
	if ((rc = check_commit_id(commit)) < 0)
		return rc;
	return adr__op_new(res, repo, r, commit);
}

typedef struct {
	adr_op_result *res;
	int number;
	const char *commit;
} hook_link_ctx;

static int hook_link_fn(adr_change *ch, void *payload)
{
	hook_link_ctx *c = payload;
	adr_recordset *set;
	char num[16];
	int rc, i;

	if ((rc = adr_change_records(ch, &set)) < 0)
		return rc;
	if ((i = adr_recordset_find(set, c->number)) < 0)
		return adr__error(ADR_ENOTFOUND, "record %04d does not exist on %s", c->number,
				  adr_change_branch(ch));
	snprintf(num, sizeof(num), "%04d", c->number);
	if ((rc = adr_change_set_subject(ch, "adr: link %04d to commit %.12s", c->number, c->commit)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Action", "link-commit")) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Record", num)) < 0 ||
	    (rc = adr_change_add_trailer(ch, "Adr-Commit", c->commit)) < 0)
		return rc;
	c->res->number = c->number;
	free(c->res->path);
	if (!(c->res->path = strdup(set->items[i]->path ? set->items[i]->path : "")))
		return adr__error(ADR_ENOMEM, "out of memory");
	return 0;
}

int adr_hooks_link(adr_op_result *res, adr_repo *repo, int number, const char *commit)
{
	adr_commit_opts opts = ADR_COMMIT_OPTS_INIT;
	hook_link_ctx c = { res, number, commit };
	int rc;
	if ((rc = check_commit_id(commit)) < 0)
		return rc;
	opts.allow_empty = true;
	return adr__op_commit(res, repo, hook_link_fn, &c, &opts);
}
