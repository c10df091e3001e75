/*
 * Editor sessions: every edit gets a file of its own in .git/adr-edit/,
 * kept until its text is committed or the user discards it, and the list
 * of kept texts that `adr edit --recover` shows (see cli.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "util/alloc.h"
#include "util/fs.h"
#include "util/hash.h"

/* The session of this process: at most one editor text per command. */
static struct {
	adr_buf path;
	bool active;
	bool announced;   /* "your text is kept in ..." was said */
} session = { ADR_BUF_INIT, false, false };

void cli_edit_dir(adr_buf *out, adr_repo *repo)
{
	adr_buf_printf(out, "%sadr-edit", adr_repo_gitdir(repo));
}

void cli_edit_text_id(char out[13], const char *text, size_t len)
{
	/* FNV-1a, 64 bits: enough to tell whether a record is still the text an
	 * edit started from. From FNV's own offset basis, not adr__hash's: these
	 * ids are in the names of kept files that earlier versions of adr wrote. */
	unsigned long long h = adr__hash_from(ADR_HASH_FNV_BASIS, text, len);
	snprintf(out, 13, "%012llx", h & 0xffffffffffffULL);
}

/* A new file <dir>/<name>-<YYYYMMDD-HHMMSS>-<pid>-<id>-XXXXXX.md holding text,
 * its name taken exclusively (no other session can have it) and its text
 * written atomically (util/fs.h: a reader sees it empty or whole); <id> is
 * cli_edit_text_id() of the text the session starts from. */
static int create_file(adr_buf *path, adr_repo *repo, const char *name, const adr_buf *text)
{
	char id[13];
	adr_buf dir = ADR_BUF_INIT;
	char stamp[32];
	time_t t = time(NULL);
	struct tm tm;
	int fd, rc;

	localtime_r(&t, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	cli_edit_dir(&dir, repo);
	if (mkdir(dir.ptr, 0700) < 0 && errno != EEXIST) {
		rc = cli_error("cannot create '%s': %s", dir.ptr, strerror(errno));
		adr_buf_dispose(&dir);
		return rc;
	}
	adr_buf_clear(path);
	cli_edit_text_id(id, text->ptr, text->size);
	adr_buf_printf(path, "%s/%s-%s-%ld-%s-XXXXXX.md", dir.ptr, name, stamp, (long)getpid(), id);
	adr_buf_dispose(&dir);
	if (adr_buf_oom(path))
		return cli_fail(ADR_ENOMEM);
	if ((fd = mkstemps(path->ptr, 3)) < 0)
		return cli_error("cannot create '%s': %s", path->ptr, strerror(errno));
	close(fd);
	if ((rc = adr__file_write_atomic(path->ptr, text->ptr, text->size, 0600, 0)) < 0) {
		unlink(path->ptr); /* nothing of the user's is in it yet */
		return cli_fail(rc);
	}
	return 0;
}

static void announce(const char *path)
{
	fprintf(stderr, "adr: your text is kept in %s ('adr edit --recover' lists kept texts)\n", cli_oneline(path));
	session.announced = true;
}

/* Edits session.path until check accepts it; the file stays whatever happens. */
static int edit_session(adr_buf *text, cli_check_fn check, void *payload)
{
	const char *path = session.path.ptr;
	int rc;
	for (;;) {
		if ((rc = cli_run_editor(path)) != 0) {
			announce(path);
			return rc;
		}
		adr_buf_clear(text);
		if ((rc = cli_read_file(text, path, 64u * 1024 * 1024)) != 0) {
			announce(path);
			return rc;
		}
		if (check(path, text->ptr, text->size, payload) == 0)
			return 0;
		fprintf(stderr, "adr: %s\n", cli_error_text());
		if (cli_interactive() && cli_confirm("Edit again?", true))
			continue;
		announce(path);
		return CLI_FAIL;
	}
}

int cli_edit_loop(adr_buf *text, adr_repo *repo, const char *name, cli_check_fn check, void *payload)
{
	int rc;
	if ((rc = create_file(&session.path, repo, name, text)) != 0)
		return rc;
	session.active = true;
	session.announced = false;
	return edit_session(text, check, payload);
}

int cli_edit_reopen(adr_buf *text, const char *path, cli_check_fn check, void *payload)
{
	adr_buf_clear(&session.path);
	adr_buf_puts(&session.path, path);
	if (adr_buf_oom(&session.path))
		return cli_fail(ADR_ENOMEM);
	session.active = true;
	session.announced = false;
	return edit_session(text, check, payload);
}

int cli_keep_text(adr_repo *repo, const char *name, const adr_buf *text)
{
	struct stat st;
	int rc;
	/* The session's file already holds what the user wrote. */
	if (session.active && lstat(session.path.ptr, &st) == 0) {
		if (!session.announced)
			announce(session.path.ptr);
		return 0;
	}
	if ((rc = create_file(&session.path, repo, name, text)) != 0)
		return rc;
	session.active = true;
	announce(session.path.ptr);
	return 0;
}

void cli_edit_end(int rc)
{
	if (!session.active)
		return;
	if (rc == CLI_OK) {
		/* Committed (or nothing to commit): the text is in the repository. */
		if (unlink(session.path.ptr) < 0 && errno != ENOENT)
			cli_warning("cannot remove '%s': %s", session.path.ptr, strerror(errno));
	} else if (!session.announced) {
		announce(session.path.ptr);
	}
	session.active = false;
	adr_buf_dispose(&session.path);
}

/* --- the list of kept texts ------------------------------------------------ */

/* "0002", "new" ...: what a session file name says it was for, and its pid. */
static void parse_name(cli_kept *k, const char *base, bool legacy_recovery)
{
	const char *p = base, *dash;
	size_t n;
	k->pid = 0;
	k->base[0] = '\0';
	if (!strncmp(base, "ADR_EDIT_", 9)) {
		/* earlier versions of adr: .git/ADR_EDIT_<name>.md */
		p = base + 9;
		n = strcspn(p, ".");
		snprintf(k->what, sizeof(k->what), "%.*s", (int)(n < sizeof(k->what) ? n : sizeof(k->what) - 1), p);
		return;
	}
	if (legacy_recovery && strlen(base) > 16 && base[8] == '-' && base[15] == '-') {
		/* .git/adr-recovery/<YYYYMMDD-HHMMSS>-<name>-<pid>.md */
		p = base + 16;
		dash = strchr(p, '-');
		n = dash ? (size_t)(dash - p) : strcspn(p, ".");
		snprintf(k->what, sizeof(k->what), "%.*s", (int)(n < sizeof(k->what) ? n : sizeof(k->what) - 1), p);
		return;
	}
	/* <name>-<YYYYMMDD>-<HHMMSS>-<pid>-<id>-XXXXXX.md */
	dash = strchr(p, '-');
	n = dash ? (size_t)(dash - p) : strcspn(p, ".");
	snprintf(k->what, sizeof(k->what), "%.*s", (int)(n < sizeof(k->what) ? n : sizeof(k->what) - 1), p);
	if (dash && strlen(dash) > 17) {
		char *end;
		k->pid = strtol(dash + 17, &end, 10);
		if (*end == '-' && strspn(end + 1, "0123456789abcdef") == 12 && end[13] == '-')
			snprintf(k->base, sizeof(k->base), "%.12s", end + 1);
	}
}

static int add_dir(cli_kept_list *l, const char *dir, const char *prefix, bool legacy_recovery)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : cli_error("cannot read '%s': %s", dir, strerror(errno));
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		struct stat st;
		adr_buf path = ADR_BUF_INIT;
		cli_kept *k;
		if (e->d_name[0] == '.' || n < 4 || strcmp(e->d_name + n - 3, ".md") ||
		    (prefix && strncmp(e->d_name, prefix, strlen(prefix))))
			continue;
		adr_buf_printf(&path, "%s/%s", dir, e->d_name);
		if (lstat(path.ptr, &st) < 0 || !S_ISREG(st.st_mode)) {
			adr_buf_dispose(&path);
			continue;
		}
		if (ADR_ARRAY_GROW(l->items, l->alloc, l->count + 1) < 0) {
			adr_buf_dispose(&path);
			closedir(d);
			return cli_fail(ADR_ENOMEM);
		}
		k = &l->items[l->count++];
		memset(k, 0, sizeof(*k));
		k->path = adr_buf_detach(&path);
		k->size = (long long)st.st_size;
		k->mtime = st.st_mtime;
		parse_name(k, e->d_name, legacy_recovery);
		/* open in a running adr: the pid in the name is alive (and not us) */
		k->live = k->pid > 0 && k->pid != (long)getpid() && (kill((pid_t)k->pid, 0) == 0 || errno == EPERM);
	}
	closedir(d);
	return 0;
}

static int cmp_kept(const void *a, const void *b)
{
	const cli_kept *x = a, *y = b;
	return strcmp(x->path, y->path);
}

int cli_kept_list_read(cli_kept_list *l, adr_repo *repo)
{
	adr_buf dir = ADR_BUF_INIT;
	int rc;
	cli_edit_dir(&dir, repo);
	rc = add_dir(l, dir.ptr, NULL, false);
	/* where earlier versions of adr kept texts */
	adr_buf_clear(&dir);
	adr_buf_printf(&dir, "%sadr-recovery", adr_repo_gitdir(repo));
	if (rc == 0)
		rc = add_dir(l, dir.ptr, NULL, true);
	adr_buf_clear(&dir);
	adr_buf_printf(&dir, "%s", adr_repo_gitdir(repo));
	if (dir.size > 1 && dir.ptr[dir.size - 1] == '/')
		adr_buf_truncate(&dir, dir.size - 1);
	if (rc == 0)
		rc = add_dir(l, dir.ptr, "ADR_EDIT_", false);
	adr_buf_dispose(&dir);
	if (l->count)
		qsort(l->items, l->count, sizeof(*l->items), cmp_kept);
	return rc;
}

void cli_kept_list_clear(cli_kept_list *l)
{
	for (size_t i = 0; i < l->count; i++)
		free(l->items[i].path);
	free(l->items);
	memset(l, 0, sizeof(*l));
}
