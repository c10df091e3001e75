/*
 * log/links_cache.c: the last answer of the links walk (log/links_cache.h).
 * The file: "ADRLINK1", the checksum of the rest, the key (a line), then
 * the links and the problems, each number 4 or 8 bytes in the machine's
 * order and each string its length then its bytes.
 */
#include "git/repo_internal.h"
#include "log/links_cache.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "adr/hooks.h"
#include "git/reccache.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"
#include "util/hash.h"

#define MAGIC "ADRLINK1"
#define FILE_MAX (64u << 20)
#define NO_STRING 0xffffffffu

/* The commit `name` is at, or "-" when it is unborn or missing; false when
 * it cannot be read (then there is no key: the walk says why, or walks). */
static bool key_oid(adr_buf *key, git_repository *git, const char *name)
{
	git_oid oid;
	int rc = git_reference_name_to_id(&oid, git, name);
	git_error_clear();
	if (rc == 0)
		adr_buf_printf(key, " %s", git_oid_tostr_s(&oid));
	else if (rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH)
		adr_buf_puts(key, " -");
	return rc == 0 || rc == GIT_ENOTFOUND || rc == GIT_EUNBORNBRANCH;
}

int adr__links_cache_key(adr_buf *key, adr_repo *repo, const char *rev)
{
	git_commit *at = NULL;
	struct stat st;
	adr_buf shallow = ADR_BUF_INIT;

	adr_buf_clear(key);
	if (rev && adr__resolve_commit(&at, repo, rev) < 0) {
		adr_error_clear();
		return 0;
	}
	adr_buf_printf(key, "%016llx %s", (unsigned long long)adr__cache_build_id(), at ? git_oid_tostr_s(git_commit_id(at)) : "-");
	git_commit_free(at);
	if (!key_oid(key, repo->git, repo->branch) || !key_oid(key, repo->git, "HEAD")) {
		adr_buf_clear(key);
		return 0;
	}
	adr_buf_printf(&shallow, "%sshallow", repo->commondir);
	if (adr_buf_oom(&shallow)) {
		adr_buf_dispose(&shallow);
		return ADR_ENOMEM;
	}
	if (stat(shallow.ptr, &st) == 0)
		adr_buf_printf(key, " %lld.%ld.%lld", (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
			       (long long)st.st_size);
	adr_buf_dispose(&shallow);
	/* names last: they may hold spaces; the repository is where the file is */
	adr_buf_printf(key, " %s\x1f%s\x1f%s\x1f%s", adr_hooks_trailer_name(repo), repo->branch, repo->records_dir,
		       repo->commondir);
	if (strchr(key->ptr, '\n'))
		adr_buf_clear(key); /* not a key a line can hold: no cache */
	return adr_buf_oom(key) ? ADR_ENOMEM : 0;
}

static int cache_path(adr_buf *out, adr_repo *repo, bool dir)
{
	adr_buf_printf(out, "%sadr%s", repo->commondir, dir ? "" : "/links.cache");
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* --- writing ---------------------------------------------------------------- */

static void put_u32(adr_buf *b, uint32_t v)
{
	adr_buf_put(b, &v, sizeof(v));
}

static void put_str(adr_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	put_u32(b, s ? (uint32_t)n : NO_STRING);
	adr_buf_put(b, s, n);
}

int adr__links_cache_put(adr_repo *repo, const char *key, const adr_commit_links *l)
{
	adr_buf b = ADR_BUF_INIT, path = ADR_BUF_INIT;
	uint64_t sum;
	int rc = 0;

	if (!key[0])
		return 0;
	for (size_t i = 0; i < l->count; i++)
		if (!l->items[i].time && !l->items[i].author[0])
			return 0; /* a linked commit is missing: it may come later */
	adr_buf_put(&b, MAGIC, 8);
	adr_buf_put(&b, "\0\0\0\0\0\0\0\0", 8); /* the checksum, below */
	adr_buf_printf(&b, "%s\n", key);
	put_u32(&b, (uint32_t)l->count);
	for (size_t i = 0; i < l->count; i++) {
		const adr_commit_link *e = &l->items[i];
		int64_t t = e->time;
		put_u32(&b, (uint32_t)e->record);
		put_u32(&b, (uint32_t)e->written);
		put_u32(&b, (uint32_t)e->offset);
		put_u32(&b, e->via && strcmp(e->via, "adr") == 0);
		adr_buf_put(&b, &t, sizeof(t));
		put_str(&b, e->path);
		put_str(&b, e->commit);
		put_str(&b, e->subject);
		put_str(&b, e->author);
	}
	put_u32(&b, (uint32_t)l->nproblems);
	for (size_t i = 0; i < l->nproblems; i++) {
		put_u32(&b, (uint32_t)l->problems[i].written);
		put_str(&b, l->problems[i].commit);
		put_str(&b, l->problems[i].message);
	}
	if (adr_buf_oom(&b) || cache_path(&path, repo, true) < 0) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	sum = adr__hash(b.ptr + 16, b.size - 16);
	memcpy(b.ptr + 8, &sum, sizeof(sum));
	(void)mkdir(path.ptr, 0777);
	adr_buf_clear(&path);
	if (cache_path(&path, repo, false) < 0) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if (adr__file_write_atomic(path.ptr, b.ptr, b.size, 0644, 0) < 0 && adr_error_code() == ADR_ENOMEM)
		rc = ADR_ENOMEM;
	else
		adr_error_clear(); /* not kept: the next command walks again */
cleanup:
	adr_buf_dispose(&b);
	adr_buf_dispose(&path);
	return rc;
}

/* --- reading ---------------------------------------------------------------- */

typedef struct {
	const unsigned char *p, *end;
	bool bad, oom;
} reader;

static uint32_t get_u32(reader *rd)
{
	uint32_t v = 0;
	if ((size_t)(rd->end - rd->p) < sizeof(v)) {
		rd->bad = true;
		return 0;
	}
	memcpy(&v, rd->p, sizeof(v));
	rd->p += sizeof(v);
	return v;
}

static char *get_str(reader *rd)
{
	uint32_t n = get_u32(rd);
	char *s;
	if (rd->bad || n == NO_STRING)
		return NULL;
	if ((size_t)(rd->end - rd->p) < n || memchr(rd->p, '\0', n)) {
		rd->bad = true;
		return NULL;
	}
	if (!(s = adr__strndup((const char *)rd->p, n)))
		rd->oom = rd->bad = true;
	rd->p += n;
	return s;
}

static void get_links(reader *rd, adr_commit_links *out)
{
	size_t n = get_u32(rd);
	if (n > (size_t)(rd->end - rd->p) / 40 || (n && !(out->items = adr__calloc(n, sizeof(*out->items))))) {
		rd->oom = n <= (size_t)(rd->end - rd->p) / 40;
		rd->bad = true;
		return;
	}
	out->alloc = n;
	for (size_t i = 0; i < n && !rd->bad; i++) {
		adr_commit_link *e = &out->items[out->count++];
		int64_t t = 0;
		char *commit;
		e->record = (int)get_u32(rd);
		e->written = (int)get_u32(rd);
		e->offset = (int)get_u32(rd);
		e->via = get_u32(rd) ? "adr" : "trailer";
		if ((size_t)(rd->end - rd->p) >= sizeof(t))
			memcpy(&t, rd->p, sizeof(t));
		rd->p += (size_t)(rd->end - rd->p) >= sizeof(t) ? sizeof(t) : 0;
		e->time = t;
		e->path = get_str(rd);
		commit = get_str(rd);
		e->subject = get_str(rd);
		e->author = get_str(rd);
		if (!commit || strlen(commit) >= sizeof(e->commit) || !e->subject || !e->author)
			rd->bad = true;
		else
			memcpy(e->commit, commit, strlen(commit) + 1);
		free(commit);
	}
}

static void get_problems(reader *rd, adr_commit_links *out)
{
	size_t n = get_u32(rd);
	if (n > (size_t)(rd->end - rd->p) / 12 || (n && !(out->problems = adr__calloc(n, sizeof(*out->problems))))) {
		rd->oom = n <= (size_t)(rd->end - rd->p) / 12;
		rd->bad = true;
		return;
	}
	out->aproblems = n;
	for (size_t i = 0; i < n && !rd->bad; i++) {
		adr_commit_ref_problem *p = &out->problems[out->nproblems++];
		char *commit;
		p->written = (int)get_u32(rd);
		commit = get_str(rd);
		p->message = get_str(rd);
		if (!commit || strlen(commit) >= sizeof(p->commit) || !p->message)
			rd->bad = true;
		else
			memcpy(p->commit, commit, strlen(commit) + 1);
		free(commit);
	}
}

int adr__links_cache_get_last(adr_commit_links *out, adr_buf *stored, adr_repo *repo)
{
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	const char *nl;
	size_t klen;
	uint64_t sum;
	reader rd;
	int rc = 0;

	if (cache_path(&path, repo, false) < 0)
		return ADR_ENOMEM;
	if (adr__file_read(&data, path.ptr, FILE_MAX, ADR_FS_NOFOLLOW) < 0) {
		rc = adr_error_code() == ADR_ENOMEM ? ADR_ENOMEM : 0;
		if (rc == 0)
			adr_error_clear();
		goto cleanup;
	}
	if (data.size < 17 || memcmp(data.ptr, MAGIC, 8) != 0 || !(nl = memchr(data.ptr + 16, '\n', data.size - 16)))
		goto cleanup;
	klen = (size_t)(nl - (data.ptr + 16));
	memcpy(&sum, data.ptr + 8, sizeof(sum));
	if (sum != adr__hash(data.ptr + 16, data.size - 16))
		goto cleanup;
	rd = (reader){ (const unsigned char *)data.ptr + 16 + klen + 1, (const unsigned char *)data.ptr + data.size,
		       false, false };
	get_links(&rd, out);
	get_problems(&rd, out);
	if (rd.bad || rd.p != rd.end) {
		adr_commit_links_dispose(out);
		rc = rd.oom ? ADR_ENOMEM : 0;
		goto cleanup;
	}
	adr_buf_clear(stored);
	if (adr_buf_put(stored, data.ptr + 16, klen) < 0) {
		adr_commit_links_dispose(out);
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	rc = 1;
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	return rc;
}

