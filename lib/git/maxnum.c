/*
 * git/maxnum.c: the highest record number of a records directory tree,
 * kept in <commondir>/adr/max-numbers (see git/maxnum.h). The file:
 *
 *   adr-max-numbers 1
 *   <tree id> <max> <FNV-1a of "<tree id> <max>", 16 hex digits>
 *   ...                                     (the latest first, at most KEEP)
 */
#include "git/maxnum.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "git/derived.h"
#include "util/hash.h"

#define HEADER "adr-max-numbers 1\n"
#define KEEP 8
#define FILE_MAX 4096

/* One line "<id> <max> <sum>"; 0 and its parts when it checks out. */
static int parse_line(const char *line, size_t len, char id[GIT_OID_HEXSZ + 1], int *max)
{
	char sum[17], want[17];
	int used = 0;
	if (len < GIT_OID_HEXSZ + 4 || len > 100 || line[GIT_OID_HEXSZ] != ' ')
		return -1;
	memcpy(id, line, GIT_OID_HEXSZ);
	id[GIT_OID_HEXSZ] = '\0';
	if (strspn(id, "0123456789abcdef") != GIT_OID_HEXSZ ||
	    sscanf(line + GIT_OID_HEXSZ, " %d %16[0-9a-f]%n", max, sum, &used) != 2 ||
	    (size_t)(GIT_OID_HEXSZ + used) != len || *max < 0)
		return -1;
	snprintf(want, sizeof(want), "%016" PRIx64, adr__hash(line, (size_t)(strrchr(line, ' ') - line)));
	return strcmp(sum, want) == 0 ? 0 : -1;
}

/* The file's text when it starts as it should, else an empty buffer. */
static void read_cache(adr_buf *text, adr_repo *repo)
{
	adr__derived_read(text, repo, "max-numbers", HEADER, FILE_MAX);
}

int adr__maxnum_get(adr_repo *repo, const git_oid *dir, int *max)
{
	adr_buf text = ADR_BUF_INIT;
	char want[GIT_OID_HEXSZ + 1], id[GIT_OID_HEXSZ + 1];
	int found = 0, m;

	read_cache(&text, repo);
	git_oid_tostr(want, sizeof(want), dir);
	for (const char *p = text.size ? text.ptr + strlen(HEADER) : ""; *p && !found;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char line[128];
		if (nl && len < sizeof(line)) {
			memcpy(line, p, len);
			line[len] = '\0';
			if (parse_line(line, len, id, &m) == 0 && strcmp(id, want) == 0) {
				*max = m;
				found = 1;
			}
		}
		p += len + (nl ? 1 : 0);
	}
	adr_buf_dispose(&text);
	return found;
}

void adr__maxnum_put(adr_repo *repo, const git_oid *dir, int max, const git_oid *replaces)
{
	adr_buf text = ADR_BUF_INIT, out = ADR_BUF_INIT;
	char want[GIT_OID_HEXSZ + 1], id[GIT_OID_HEXSZ + 1], line[128], drop[GIT_OID_HEXSZ + 1] = "";
	size_t kept = 1;
	int m, n;

	read_cache(&text, repo);
	git_oid_tostr(want, sizeof(want), dir);
	if (replaces)
		git_oid_tostr(drop, sizeof(drop), replaces);
	n = snprintf(line, sizeof(line), "%s %d", want, max);
	adr_buf_puts(&out, HEADER);
	adr_buf_printf(&out, "%s %016" PRIx64 "\n", line, adr__hash(line, (size_t)n));
	for (const char *p = text.size ? text.ptr + strlen(HEADER) : ""; *p && kept < KEEP;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (nl && len < sizeof(line)) {
			memcpy(line, p, len);
			line[len] = '\0';
			if (parse_line(line, len, id, &m) == 0 && strcmp(id, want) != 0 && strcmp(id, drop) != 0) {
				adr_buf_put(&out, p, len + 1);
				kept++;
			}
		}
		p += len + (nl ? 1 : 0);
	}
	adr__derived_write(repo, "max-numbers", &out);
	adr_buf_dispose(&text);
	adr_buf_dispose(&out);
}
