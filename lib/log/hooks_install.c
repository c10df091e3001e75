/*
 * log/hooks_install.c: the git hooks adr installs (adr/hooks.h): the
 * script, the hooks directory, each hook's state, and installing and
 * uninstalling them with the previous hook chained and everything put back
 * when a step fails. What a hook does at commit time is log/hooks.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "adr/hooks.h"
#include "log/hooks_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/strcase.h"
#include "git/repo_internal.h"

const char *const adr_hook_names[] = { "prepare-commit-msg", "commit-msg", "post-commit", "pre-push", "post-merge",
					NULL };

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

int adr__hooks_script(adr_buf *out, const char *name, const char *adr_path)
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
		     "# adr never fails the git command: without adr, or when adr fails, the exit\n"
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
	if (strcmp(name, "pre-push") == 0) {
		/* git writes the refs being pushed on stdin: both hooks read them. */
		adr_buf_puts(out,
			     "\nstatus=0\n"
			     "input=$(cat)\n"
			     "if [ -x \"$0" ADR_HOOK_CHAINED_SUFFIX "\" ]; then\n"
			     "\tprintf '%s\\n' \"$input\" | \"$0" ADR_HOOK_CHAINED_SUFFIX "\" \"$@\" || status=$?\n"
			     "\tif [ \"$status\" -ne 0 ]; then\n"
			     "\t\texit \"$status\"\n"
			     "\tfi\n"
			     "fi\n"
			     "if [ -z \"$adr\" ] || [ ! -x \"$adr\" ]; then\n"
			     "\tadr=$(command -v adr 2>/dev/null) || exit \"$status\"\n"
			     "fi\n"
			     "printf '%s\\n' \"$input\" | \"$adr\" hook \"$hook\" -- \"$@\" || :\n"
			     "exit \"$status\"\n");
		return adr_buf_oom(out) ? ADR_ENOMEM : 0;
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

int adr__hooks_dir(adr_buf *out, adr_repo *repo)
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

/* See log/hooks_internal.h; O_NONBLOCK, so a FIFO cannot hang it. */
int adr__hooks_read(adr_buf *out, const char *path)
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
	if ((rc = adr__hooks_read(&content, path.ptr)) < 0)
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

int adr__hooks_status_dir(adr_hooks_report *out, const char *dir)
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

/* What install or uninstall has changed so far, to put back on failure. */
typedef struct {
	enum hook_done done[ADR_HOOK_COUNT];
	adr_buf old[ADR_HOOK_COUNT];   /* adr's script as it was, where one was read */
} hooks_undo;

static void undo_init(hooks_undo *u)
{
	for (size_t k = 0; k < ADR_HOOK_COUNT; k++) {
		u->old[k] = (adr_buf)ADR_BUF_INIT;
		u->done[k] = DONE_NOTHING;
	}
}

static void undo_dispose(hooks_undo *u)
{
	for (size_t k = 0; k < ADR_HOOK_COUNT; k++)
		adr_buf_dispose(&u->old[k]);
}

/* Puts hooks [0, n) back as they were, last first; a step that fails is
 * named after the original error, which stays the one reported. */
static void hooks_roll_back(const char *dir, const hooks_undo *u, size_t n)
{
	adr_buf path = ADR_BUF_INIT, chained = ADR_BUF_INIT, msg = ADR_BUF_INIT;
	bool ok = true;
	int code = adr_error_code();

	adr_buf_puts(&msg, adr_error_last());
	while (n-- > 0) {
		const char *name = adr_hook_names[n];
		if (u->done[n] == DONE_NOTHING)
			continue;
		if (join(&path, dir, name, NULL) < 0 || join(&chained, dir, name, ADR_HOOK_CHAINED_SUFFIX) < 0) {
			ok = false;
			continue;
		}
		switch (u->done[n]) {
		case DONE_WROTE_NEW:
			ok &= unlink(path.ptr) == 0;
			break;
		case DONE_CHAINED:
			ok &= rename(chained.ptr, path.ptr) == 0;
			break;
		case DONE_REWROTE:
		case DONE_REMOVED:
			ok &= write_script(path.ptr, &u->old[n]) == 0;
			break;
		case DONE_RESTORED:
			ok &= rename(path.ptr, chained.ptr) == 0 && write_script(path.ptr, &u->old[n]) == 0;
			break;
		default:
			break;
		}
	}
	if (!ok)
		adr_buf_printf(&msg, "; some hooks in '%s' could not be put back", dir);
	const char *why = adr_buf_oom(&msg) ? "cannot put the hooks back" : msg.ptr;
	adr__error(code, "%s", why);
	if (!ok)
		adr__hint(ADR_HINT_HOOKS_STATUS, code);
	adr_buf_dispose(&path);
	adr_buf_dispose(&chained);
	adr_buf_dispose(&msg);
}

/* Refuses, before anything changes, to install over hook `name` when it
 * is not a file, belongs to a hook manager that cannot be chained, or has
 * a NAME.adr-chained beside it already. Sets *state. */
static int install_check(adr_hook_state *state, const char *dir, const char *name)
{
	adr_buf path = ADR_BUF_INIT, chained = ADR_BUF_INIT, content = ADR_BUF_INIT;
	const char *manager;
	struct stat st;
	int rc;

	if ((rc = hook_state(state, dir, name)) < 0 || *state != ADR_HOOK_FOREIGN)
		goto cleanup;
	if ((rc = join(&path, dir, name, NULL)) < 0 ||
	    (rc = join(&chained, dir, name, ADR_HOOK_CHAINED_SUFFIX)) < 0)
		goto cleanup;
	if (lstat(path.ptr, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
		rc = adr__error(ADR_EEXISTS, "'%s' is not a file; adr does not install over it", path.ptr);
		goto cleanup;
	}
	if (S_ISREG(st.st_mode) && (rc = adr__hooks_read(&content, path.ptr)) < 0)
		goto cleanup;
	rc = 0;
	if ((manager = hook_manager(dir, &content))) {
		rc = adr__error(ADR_EEXISTS, "'%s' belongs to %s, which cannot be chained; add "
					     "`adr hook %s -- \"$@\"` to %s's configuration instead",
				path.ptr, manager, name, manager);
		goto cleanup;
	}
	if (exists(chained.ptr))
		rc = adr__error(ADR_EEXISTS, "'%s' already exists; adr will not overwrite it "
					     "(move it away, then install the hooks again)", chained.ptr);
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&chained);
	adr_buf_dispose(&content);
	return rc;
}

/* Installs hook `name`, found in `state` by install_check(): rewrites
 * adr's script (keeping the old one in `old`), chains a foreign hook, or
 * writes a new one. Says what it did in `e` and `*done`. */
static int install_one(adr_hook_report_entry *e, enum hook_done *done, adr_buf *old, const char *dir,
		       const char *name, adr_hook_state state, const char *adr_path)
{
	adr_buf path = ADR_BUF_INIT, chained = ADR_BUF_INIT, script = ADR_BUF_INIT;
	int rc;

	if ((rc = join(&path, dir, name, NULL)) < 0 ||
	    (rc = join(&chained, dir, name, ADR_HOOK_CHAINED_SUFFIX)) < 0 ||
	    (rc = adr__hooks_script(&script, name, adr_path)) < 0)
		goto cleanup;
	e->state = state;
	if (state == ADR_HOOK_OURS || state == ADR_HOOK_CHAINED) {
		if ((rc = adr__hooks_read(old, path.ptr)) < 0)
			goto cleanup;
		rc = 0;
		if (old->size == script.size && memcmp(old->ptr, script.ptr, script.size) == 0) {
			e->action = "unchanged";
			goto cleanup;
		}
		if ((rc = write_script(path.ptr, &script)) < 0)
			goto cleanup;
		*done = DONE_REWROTE;
		e->action = "updated";
	} else if (state == ADR_HOOK_FOREIGN) {
		if (rename(path.ptr, chained.ptr) < 0) {
			rc = adr__error_os("cannot rename '%s'", path.ptr);
			goto cleanup;
		}
		*done = DONE_CHAINED; /* undone by renaming it back over ours */
		if ((rc = write_script(path.ptr, &script)) < 0)
			goto cleanup;
		e->state = ADR_HOOK_CHAINED;
		e->action = "chained";
	} else {
		if ((rc = write_script(path.ptr, &script)) < 0)
			goto cleanup;
		*done = DONE_WROTE_NEW;
		e->state = exists(chained.ptr) ? ADR_HOOK_CHAINED : ADR_HOOK_OURS;
		e->action = "installed";
	}
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&chained);
	adr_buf_dispose(&script);
	return rc;
}

int adr__hooks_install_dir(adr_hooks_report *out, const char *dir, const char *adr_path)
{
	hooks_undo u;
	adr_hook_state states[ADR_HOOK_COUNT];
	int rc;

	undo_init(&u);
	if ((rc = report_begin(out, dir)) < 0 || (rc = adr__mkdirs(dir, 0777)) < 0)
		goto cleanup;
	/* Check everything first, so a refusal changes nothing. */
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++)
		if ((rc = install_check(&states[i], dir, adr_hook_names[i])) < 0)
			goto cleanup;
	/* Then each hook; a failure puts back the ones already changed. */
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++)
		if ((rc = install_one(&out->hooks[i], &u.done[i], &u.old[i], dir, adr_hook_names[i], states[i],
				      adr_path)) < 0) {
			hooks_roll_back(dir, &u, i + 1); /* i: the hook that failed */
			goto cleanup;
		}
cleanup:
	undo_dispose(&u);
	return rc;
}

/* Removes adr's hook `name` (keeping it in `old`) and renames its
 * NAME.adr-chained back. Says what it did in `e` and `*done`. */
static int uninstall_one(adr_hook_report_entry *e, enum hook_done *done, adr_buf *old, const char *dir,
			 const char *name)
{
	adr_buf path = ADR_BUF_INIT, chained = ADR_BUF_INIT;
	adr_hook_state st;
	int rc;

	if ((rc = hook_state(&st, dir, name)) < 0 || (rc = join(&path, dir, name, NULL)) < 0 ||
	    (rc = join(&chained, dir, name, ADR_HOOK_CHAINED_SUFFIX)) < 0)
		goto cleanup;
	e->state = st;
	if (st == ADR_HOOK_FOREIGN) {
		e->action = "left alone (not adr's)";
		goto cleanup;
	}
	if (st == ADR_HOOK_OURS || st == ADR_HOOK_CHAINED) {
		if ((rc = adr__hooks_read(old, path.ptr)) < 0)
			goto cleanup;
		rc = 0;
		if (unlink(path.ptr) < 0) {
			rc = adr__error_os("cannot remove '%s'", path.ptr);
			goto cleanup;
		}
		*done = DONE_REMOVED;
		e->state = ADR_HOOK_MISSING;
		e->action = "removed";
	} else {
		e->action = "not installed";
	}
	if (exists(chained.ptr)) {
		if (rename(chained.ptr, path.ptr) < 0) {
			rc = adr__error_os("cannot rename '%s' back", chained.ptr);
			goto cleanup;
		}
		if (*done == DONE_REMOVED)
			*done = DONE_RESTORED;
		e->state = ADR_HOOK_FOREIGN;
		e->action = "restored";
	}
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&chained);
	return rc;
}

int adr__hooks_uninstall_dir(adr_hooks_report *out, const char *dir)
{
	hooks_undo u;
	int rc;

	undo_init(&u);
	if ((rc = report_begin(out, dir)) < 0)
		goto cleanup;
	/* Each hook in turn; a failure puts back the ones already changed
	 * (adr's script from the copy read before it was removed). */
	for (size_t i = 0; i < ADR_HOOK_COUNT; i++)
		if ((rc = uninstall_one(&out->hooks[i], &u.done[i], &u.old[i], dir, adr_hook_names[i])) < 0) {
			hooks_roll_back(dir, &u, i + 1); /* i: the hook that failed */
			goto cleanup;
		}
cleanup:
	undo_dispose(&u);
	return rc;
}

/* --- in the repository's hooks directory ------------------------------------------ */

/* Runs `op` on the hooks directory of `repo` (adr__hooks_dir). */
static int in_hooks_dir(adr_hooks_report *out, adr_repo *repo,
			int (*op)(adr_hooks_report *, const char *, const char *), const char *adr_path)
{
	adr_buf dir = ADR_BUF_INIT;
	int rc = adr__hooks_dir(&dir, repo);
	if (rc == 0)
		rc = op(out, dir.ptr, adr_path);
	adr_buf_dispose(&dir);
	return rc;
}

static int status_op(adr_hooks_report *out, const char *dir, const char *adr_path)
{
	(void)adr_path;
	return adr__hooks_status_dir(out, dir);
}

static int uninstall_op(adr_hooks_report *out, const char *dir, const char *adr_path)
{
	(void)adr_path;
	return adr__hooks_uninstall_dir(out, dir);
}

int adr_hooks_status(adr_hooks_report *out, adr_repo *repo)
{
	return in_hooks_dir(out, repo, status_op, NULL);
}

int adr_hooks_install(adr_hooks_report *out, adr_repo *repo, const char *adr_path)
{
	return in_hooks_dir(out, repo, adr__hooks_install_dir, adr_path);
}

int adr_hooks_uninstall(adr_hooks_report *out, adr_repo *repo)
{
	return in_hooks_dir(out, repo, uninstall_op, NULL);
}
