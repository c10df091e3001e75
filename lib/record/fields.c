/*
 * fields.c: the front matter's field names and the words of its enumerated
 * values (status, mode, urgency and complexity levels, visibility), and
 * the calendar check for its dates (see adr/record.h).
 */
#include "adr/record.h"
#include "record/record_internal.h"
#include "util/error.h"

#include <string.h>

const char *const adr__record_fields[F_COUNT + 1] = {
	"status", "date", "owner", "decision-makers", "consulted", "informed", "reviewers", "mode", "urgency",
	"complexity", "review-by", "revisit", "cleanup-by", "supersedes", "superseded-by",
	"links", "tags", "visibility", "affects", NULL
};

const char *const adr__status_names[] = { "", "proposed", "accepted", "rejected",
					  "deprecated", "superseded", NULL };
const char *const adr__mode_names[] = { "", "sync", "async", NULL };
const char *const adr__level_names[] = { "", "low", "high", NULL };
const char *const adr__visibility_names[] = { "", "public", "partner", "internal", NULL };

const char *const *adr_record_field_names(void)
{
	return adr__record_fields;
}

/* Index of `word` (case-insensitive, surrounding space ignored) among
 * names[1..], or -1. */
int adr__record_match_word(const char *const *names, const char *word)
{
	size_t n;
	if (!word)
		return -1;
	while (adr__record_is_space(*word))
		word++;
	n = strlen(word);
	while (n && adr__record_is_space(word[n - 1]))
		n--;
	if (n == 0)
		return -1;
	for (int i = 1; names[i]; i++)
		if (strlen(names[i]) == n && adr__record_ieqn(names[i], word, n))
			return i;
	return -1;
}

void adr__record_join_names(char *dst, size_t size, const char *const *names)
{
	dst[0] = '\0';
	for (int i = 1; names[i]; i++) {
		if (i > 1)
			strncat(dst, ", ", size - strlen(dst) - 1);
		strncat(dst, names[i], size - strlen(dst) - 1);
	}
}

static int parse_enum(int *out, const char *const *names, const char *word)
{
	int i = adr__record_match_word(names, word);
	char list[128];
	if (i < 0) {
		*out = 0;
		adr__record_join_names(list, sizeof(list), names);
		return adr__error(ADR_EINVALID, "'%s' is not one of %s", word ? word : "", list);
	}
	*out = i;
	return 0;
}

static const char *enum_name(const char *const *names, int count, int v)
{
	return v > 0 && v < count ? names[v] : "";
}

const char *adr_status_name(adr_status s)
{
	return enum_name(adr__status_names, 6, (int)s);
}

int adr_status_parse(adr_status *out, const char *word)
{
	int v, rc = parse_enum(&v, adr__status_names, word);
	*out = (adr_status)v;
	return rc;
}

const char *adr_mode_name(adr_mode m)
{
	return enum_name(adr__mode_names, 3, (int)m);
}

int adr_mode_parse(adr_mode *out, const char *word)
{
	int v, rc = parse_enum(&v, adr__mode_names, word);
	*out = (adr_mode)v;
	return rc;
}

const char *adr_level_name(adr_level l)
{
	return enum_name(adr__level_names, 3, (int)l);
}

int adr_level_parse(adr_level *out, const char *word)
{
	int v, rc = parse_enum(&v, adr__level_names, word);
	*out = (adr_level)v;
	return rc;
}

const char *adr_visibility_name(adr_visibility v)
{
	return enum_name(adr__visibility_names, 4, (int)v);
}

int adr_visibility_parse(adr_visibility *out, const char *word)
{
	int v, rc = parse_enum(&v, adr__visibility_names, word);
	*out = (adr_visibility)v;
	return rc;
}

bool adr_date_valid(const char *s)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, dim;
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !adr__record_is_digit(s[i]))
			return false;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1 || m < 1 || m > 12 || d < 1)
		return false;
	dim = days[m - 1];
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		dim = 29;
	return d <= dim;
}
