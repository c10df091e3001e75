/*
 * Meeting minutes (lib/log/meeting.c): adr_meeting_parse() on any bytes.
 * Properties: every item has a non-empty title and decision and a line
 * inside the input; a rejection says `path:line:col: what`.
 */
#include "fuzz.h"

#define PATH "minutes/2026-12-06.md"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	adr_meeting m;
	size_t lines = 1;
	int rc;

	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	memset(&m, 0, sizeof(m));
	rc = adr_meeting_parse(&m, PATH, (const char *)data, size);
	if (rc == 0) {
		for (size_t i = 0; i < m.count; i++) {
			const adr_meeting_item *it = &m.items[i];
			FUZZ_CHECK(it->title && *it->title);
			FUZZ_CHECK(it->decision && *it->decision);
			FUZZ_CHECK(it->line >= 1 && (size_t)it->line <= lines);
		}
		for (size_t i = 0; i < m.attendees.count; i++)
			FUZZ_CHECK(m.attendees.items[i] != NULL);
	} else if (rc != ADR_ENOMEM) {
		FUZZ_CHECK(rc == ADR_EINVALID);
		FUZZ_CHECK(strncmp(adr_error_last(), PATH ":", strlen(PATH) + 1) == 0);
	}
	adr_meeting_dispose(&m);
	adr_error_clear();
	return 0;
}
