/*
 * Commit message trailers: adr_message_trailers() (git's rules, through
 * libgit2, as the hooks and `adr show` read code commits),
 * adr__proposal_trailers() (the trailers adr writes on review commits) and
 * adr_refs_parse() (the record numbers in a `Refs:` value), on any message.
 * Properties: keys and values pair up; adr's own trailers have keys of
 * letters, digits and dashes and values without a newline; every number
 * taken from a Refs value is positive, written in it as ADR-<n>, and
 * listed once.
 */
#include <strings.h>

#include "fuzz.h"
#include "log/proposal_internal.h"

/* The next "adr-" in any case, or NULL. */
static const char *find_adr(const char *p)
{
	for (; *p; p++)
		if (strncasecmp(p, "adr-", 4) == 0)
			return p;
	return NULL;
}

static void check_refs(const char *value)
{
	adr_intlist refs = ADR_INTLIST_INIT;
	FUZZ_CHECK(adr_refs_parse(&refs, value) == 0);
	for (size_t i = 0; i < refs.count; i++) {
		char want[24];
		const char *p;
		bool found = false;
		FUZZ_CHECK(refs.items[i] > 0);
		for (size_t j = 0; j < i; j++)
			FUZZ_CHECK(refs.items[j] != refs.items[i]);
		snprintf(want, sizeof(want), "%d", refs.items[i]);
		/* ADR-, maybe leading zeros, then the digits */
		for (p = value; !found && (p = find_adr(p)) != NULL; p += 4) {
			const char *d = p + 4;
			while (*d == '0' && d[1] >= '0' && d[1] <= '9')
				d++;
			if (strncmp(d, want, strlen(want)) == 0)
				found = true;
		}
		FUZZ_CHECK(found);
	}
	adr_intlist_dispose(&refs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *msg = fuzz_cstr(data, size);
	adr_strlist keys = ADR_STRLIST_INIT, values = ADR_STRLIST_INIT;

	if (adr_message_trailers(&keys, &values, msg) == 0) {
		FUZZ_CHECK(keys.count == values.count);
		for (size_t i = 0; i < keys.count; i++) {
			FUZZ_CHECK(keys.items[i] && values.items[i]);
			check_refs(values.items[i]);
		}
	}
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);

	FUZZ_CHECK(adr__proposal_trailers(&keys, &values, msg) == 0);
	FUZZ_CHECK(keys.count == values.count);
	for (size_t i = 0; i < keys.count; i++) {
		const char *k = keys.items[i];
		FUZZ_CHECK(*k);
		for (; *k; k++)
			FUZZ_CHECK((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
				   *k == '-');
		FUZZ_CHECK(!strchr(values.items[i], '\n'));
	}
	adr_strlist_dispose(&keys);
	adr_strlist_dispose(&values);

	check_refs(msg);
	free(msg);
	adr_error_clear();
	return 0;
}
