/*
 * log/fpcache.c: the answers of first-parent walks (see log/fpcache.h),
 * in <commondir>/adr/first-parents:
 *
 *   adr-first-parents 1
 *   <start> <rc> <out> <sum> <branch> <path>
 *   ...                                     (the latest first, at most KEEP)
 *
 * <start> and <out> are commit ids (<out> all zeros when rc is 0), <sum>
 * the FNV-1a (16 hex digits) of the line without " <sum>", <branch> a ref
 * name or "-", <path> the rest of the line.
 */
#include "log/fpcache.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "git/derived.h"
#include "util/hash.h"

#define NAME "first-parents"
#define HEADER "adr-first-parents 1\n"
#define KEEP 512
#define FILE_MAX ((size_t)256 << 10)
#define HEX GIT_OID_HEXSZ

/* The file's text when it starts as it should, else an empty buffer. */
static void read_cache(adr_buf *text, adr_repo *repo)
{
	adr__derived_read(text, repo, NAME, HEADER, FILE_MAX);
}

static bool hex_id(const char *s)
{
	return strspn(s, "0123456789abcdef") >= HEX;
}

/* The checksum of a line's fields. */
static uint64_t line_sum(const char *start, int rc, const char *out, const char *branch, size_t blen, const char *path,
			 size_t plen)
{
	char head[2 * HEX + 8];
	uint64_t h;
	int n = snprintf(head, sizeof(head), "%.*s %d %.*s ", HEX, start, rc, HEX, out);

	h = adr__hash(head, (size_t)n);
	h = adr__hash_from(h, branch, blen);
	h = adr__hash_from(h, " ", 1);
	return adr__hash_from(h, path, plen);
}

/* A line of `len` bytes: true when it checks out and is for (`branch`,
 * `path`) (either NULL: any), with its answer in *a (may be NULL). */
static bool parse_line(const char *line, size_t len, const char *branch, const char *path, adr__fp_answer *a)
{
	const char *b, *sp, *p;
	char sum[17], want[17], id[HEX + 1];
	int rc;

	/* <start> <rc> <out> <sum> <branch> <path> */
	if (len < 2 * HEX + 24 || line[HEX] != ' ' || (line[HEX + 1] != '0' && line[HEX + 1] != '1') ||
	    line[HEX + 2] != ' ' || line[2 * HEX + 3] != ' ' || line[2 * HEX + 20] != ' ' || !hex_id(line) ||
	    !hex_id(line + HEX + 3))
		return false;
	memcpy(sum, line + 2 * HEX + 4, 16);
	sum[16] = '\0';
	if (strspn(sum, "0123456789abcdef") != 16)
		return false;
	rc = line[HEX + 1] - '0';
	b = line + 2 * HEX + 21;
	if (!(sp = memchr(b, ' ', len - (size_t)(b - line))) || sp == b || (size_t)(sp + 1 - line) >= len)
		return false;
	p = sp + 1;
	snprintf(want, sizeof(want), "%016" PRIx64,
		 line_sum(line, rc, line + HEX + 3, b, (size_t)(sp - b), p, len - (size_t)(p - line)));
	if (strcmp(sum, want) != 0)
		return false;
	if (branch && (strlen(branch) != (size_t)(sp - b) || memcmp(branch, b, (size_t)(sp - b)) != 0))
		return false;
	if (path && (strlen(path) != len - (size_t)(p - line) || memcmp(path, p, len - (size_t)(p - line)) != 0))
		return false;
	if (a) {
		memcpy(id, line, HEX);
		id[HEX] = '\0';
		if (git_oid_fromstr(&a->start, id) < 0)
			return false;
		memcpy(id, line + HEX + 3, HEX);
		if (git_oid_fromstr(&a->out, id) < 0)
			return false;
		a->rc = rc;
	}
	return true;
}

/* Calls fn on each line of `text` (past the header) until it returns true. */
typedef bool (*line_fn)(const char *line, size_t len, void *arg);
static void each_line(const adr_buf *text, line_fn fn, void *arg)
{
	const char *p = text->size ? text->ptr + strlen(HEADER) : "";
	const char *end = text->size ? text->ptr + text->size : p;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break; /* a last line cut short is not used */
		if (fn(p, (size_t)(nl - p), arg))
			break;
		p = nl + 1;
	}
}

typedef struct {
	const char *branch, *path;
	adr__fp_answer *a;
	bool found;
} get_arg;

static bool get_one(const char *line, size_t len, void *arg)
{
	get_arg *g = arg;
	g->found = parse_line(line, len, g->branch, g->path, g->a);
	return g->found;
}

bool adr__fpcache_get(adr_repo *repo, const char *branch, const char *path, adr__fp_answer *out)
{
	adr_buf text = ADR_BUF_INIT;
	get_arg g = { branch, path, out, false };

	read_cache(&text, repo);
	each_line(&text, get_one, &g);
	adr_buf_dispose(&text);
	return g.found;
}

typedef struct {
	const char *branch, *path;
	adr_buf *out;
	size_t kept;
} put_arg;

/* Copies a line that checks out and is not for the key being put. */
static bool keep_other(const char *line, size_t len, void *arg)
{
	put_arg *pa = arg;
	adr__fp_answer a;

	if (pa->kept >= KEEP)
		return true;
	if (parse_line(line, len, NULL, NULL, &a) && !parse_line(line, len, pa->branch, pa->path, NULL)) {
		adr_buf_put(pa->out, line, len);
		adr_buf_putc(pa->out, '\n');
		pa->kept++;
	}
	return false;
}

void adr__fpcache_put(adr_repo *repo, const char *branch, const char *path, const adr__fp_answer *a)
{
	adr_buf text = ADR_BUF_INIT, out = ADR_BUF_INIT;
	char start[HEX + 1], id[HEX + 1];
	git_oid zero;
	put_arg pa = { branch, path, &out, 1 };

	/* a name that would not read back as one line is not kept */
	if (!*branch || strpbrk(branch, " \n\r") || !*path || strpbrk(path, "\n\r"))
		return;
	memset(&zero, 0, sizeof(zero));
	git_oid_tostr(start, sizeof(start), &a->start);
	git_oid_tostr(id, sizeof(id), a->rc == 1 ? &a->out : &zero);
	read_cache(&text, repo);
	adr_buf_puts(&out, HEADER);
	adr_buf_printf(&out, "%s %d %s %016" PRIx64 " %s %s\n", start, a->rc == 1, id,
		       line_sum(start, a->rc == 1, id, branch, strlen(branch), path, strlen(path)), branch, path);
	each_line(&text, keep_other, &pa);
	adr__derived_write(repo, NAME, &out);
	adr_buf_dispose(&text);
	adr_buf_dispose(&out);
}
