/*
 * Titles to file names, file names to numbers, heading anchors and the
 * `affects:` globs (lib/record/slug.c, lib/record/record.c, lib/text/markdown.c, lib/log/hooks.c).
 * Input: title \0 glob \0 path.
 * Properties: a slug is empty or matches ^[a-z0-9][a-z0-9-]{0,59}$ with no
 * double dash; the file name made from it parses back to the same number and
 * slug; an anchor is "h-" + [a-z0-9-], at most 64 characters; glob matching
 * returns (its work is bounded) and a glob matches itself when it has no
 * special character.
 */
#include "fuzz.h"
#include "text/markdown.h"
#include "adr/hooks.h"
#include "util/glob.h"

static void check_slug(const char *title)
{
	adr_buf slug = ADR_BUF_INIT, name = ADR_BUF_INIT, back = ADR_BUF_INIT, anchor = ADR_BUF_INIT;
	int number = 0;
	if (adr_slugify(&slug, title) == 0) {
		const char *s = slug.ptr;
		FUZZ_CHECK(slug.size <= 60);
		if (slug.size) {
			FUZZ_CHECK(s[0] != '-' && s[slug.size - 1] != '-' && !strstr(s, "--"));
			for (size_t i = 0; i < slug.size; i++)
				FUZZ_CHECK((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-');
		}
		FUZZ_CHECK(adr_record_filename(&name, 42, s) == 0);
		FUZZ_CHECK(!strchr(name.ptr, '/'));
		if (adr_record_parse_filename(&number, &back, name.ptr) != 0) {
			fprintf(stderr, "file name '%s' (from title '%s') does not parse back: %s\n", name.ptr, title,
				adr_error_last());
			abort();
		}
		FUZZ_CHECK(number == 42);
		if (strcmp(back.ptr, s) != 0) {
			fprintf(stderr, "file name '%s' parses back to slug '%s', not '%s'\n", name.ptr, back.ptr, s);
			abort();
		}
	}
	FUZZ_CHECK(adr__markdown_anchor(&anchor, title) == 0);
	FUZZ_CHECK(strncmp(anchor.ptr, "h-", 2) == 0 && anchor.size <= 64 + 2);
	for (size_t i = 2; i < anchor.size; i++)
		FUZZ_CHECK((anchor.ptr[i] >= 'a' && anchor.ptr[i] <= 'z') ||
			   (anchor.ptr[i] >= '0' && anchor.ptr[i] <= '9') || anchor.ptr[i] == '-');
	adr_buf_dispose(&slug);
	adr_buf_dispose(&name);
	adr_buf_dispose(&back);
	adr_buf_dispose(&anchor);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *glob = s, *path;
	size_t n = strlen(s);

	check_slug(s);
	if (n < size) {
		glob = s + n + 1;
		path = glob + strlen(glob);
		path = path < s + size ? path + 1 : path;
		(void)adr__glob_match(glob, path);
		if (*glob && !strpbrk(glob, "*?[\\") && glob[0] != '/' && strncmp(glob, "./", 2) != 0 &&
		    glob[strlen(glob) - 1] != '/' && strlen(glob) < 200)
			FUZZ_CHECK(adr__glob_match(glob, glob));
	}
	free(s);
	adr_error_clear();
	return 0;
}
