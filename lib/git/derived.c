/*
 * git/derived.c: small files of derived data in <commondir>/adr/ (see
 * git/derived.h).
 */
#include "git/derived.h"

#include <string.h>
#include <sys/stat.h>

#include "util/error.h"
#include "util/fs.h"

void adr__derived_read(adr_buf *text, adr_repo *repo, const char *name, const char *header, size_t max)
{
	adr_buf path = ADR_BUF_INIT;

	adr_buf_clear(text);
	adr_buf_printf(&path, "%sadr/%s", adr_repo_commondir(repo), name);
	if (adr_buf_oom(&path) || adr__file_read(text, path.ptr, max, ADR_FS_NOFOLLOW) < 0 ||
	    strncmp(text->ptr, header, strlen(header)) != 0)
		adr_buf_clear(text);
	adr_error_clear();
	adr_buf_dispose(&path);
}

void adr__derived_write(adr_repo *repo, const char *name, const adr_buf *data)
{
	adr_buf path = ADR_BUF_INIT;

	if (adr_buf_oom(data))
		return;
	adr_buf_printf(&path, "%sadr", adr_repo_commondir(repo));
	if (!adr_buf_oom(&path)) {
		(void)mkdir(path.ptr, 0777);
		adr_buf_printf(&path, "/%s", name);
		if (!adr_buf_oom(&path))
			(void)adr__file_write_atomic(path.ptr, data->ptr, data->size, 0644, 0);
	}
	adr_error_clear();
	adr_buf_dispose(&path);
}
