/* folder.c: when `<folder>/index.md` or `<folder>/README.md` is a record (record/folder.h). */
#include "record/folder.h"

#include <string.h>
#include <strings.h>

#include "adr/record.h"
#include "util/error.h"

bool adr__folder_file_name(const char *base)
{
	return !strcasecmp(base, "index.md") || !strcasecmp(base, "readme.md");
}

/* True when `data` states a status or a date the way records do: a line
 * "status:" or "date:" (front matter, a list item, bold), or a heading
 * "Status". */
static bool states_status(const char *data, size_t len)
{
	const char *p = data, *end = data + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *q = p;
		size_t n;
		while (q < end && q < (nl ? nl : end) && strchr(" \t*-#_>", *q))
			q++;
		n = (size_t)((nl ? nl : end) - q);
		if ((n >= 7 && !strncasecmp(q, "status:", 7)) || (n >= 5 && !strncasecmp(q, "date:", 5)) ||
		    (n >= 6 && !strncasecmp(q, "status", 6) && p[0] == '#'))
			return true;
		p = nl ? nl + 1 : end;
	}
	return false;
}

bool adr__folder_file_is_record(const char *folder, const char *base, const char *data, size_t len)
{
	int number;

	if (!strcasecmp(base, "index.md") || adr_record_date_named(folder))
		return true;
	if (adr_record_parse_filename(&number, NULL, folder) == 0)
		return true;
	adr_error_clear();
	return data && states_status(data, len);
}
