/*
 * adr/index.h: the search index, an SQLite database with an FTS5 table,
 * and the search over it.
 *
 * The index lives in `<git common dir>/adr/index.db`. It is derived data:
 * deleting it loses nothing. It holds every record of the decision branch
 * tip (fields, title, body) and the history facts of adr/history.h, and
 * remembers the commit it was built from. Updating it walks only the
 * commits after that one and re-parses only the records whose blobs
 * changed. A full rebuild is written to a temporary file and renamed, so
 * a reader never sees half an index. An index that is missing, of another
 * schema version, built for another branch or records directory, or
 * corrupt (garbage, truncated, failing SQLite's checks) is rebuilt from
 * git without failing the command.
 *
 * Ownership: adr_index_open() gives an adr_index that adr_index_free()
 * frees; it borrows the adr_repo, which must outlive it. Results
 * (adr_search_result, adr_index_facts) own their strings and are freed
 * with their _clear function.
 */
#ifndef ADR_INDEX_H
#define ADR_INDEX_H

#include "adr/common.h"
#include "adr/record.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct adr_index adr_index;

/* What the last update did, for `adr index` and its debug counters. */
typedef struct {
	bool rebuilt;                  /* a full rebuild happened */
	char reason[128];              /* why it was rebuilt ("" when not) */
	unsigned long commits_examined;
	unsigned long trees_diffed;
	unsigned long blobs_parsed;
	unsigned long records;         /* records in the index now */
	char tip[41];                  /* the commit indexed ("" when unborn) */
	char shallow_boundary[41];     /* "" unless a shallow clone hides older history */
} adr_index_stats;
#define ADR_INDEX_STATS_INIT { 0 }

enum {
	ADR_INDEX_REBUILD = 1u << 0,   /* throw the index away and build it again */
	ADR_INDEX_CHECK = 1u << 1,     /* run SQLite's full integrity checks first */
	ADR_INDEX_IF_EXISTS = 1u << 2, /* ADR_ENOTFOUND instead of building a missing index */
	ADR_INDEX_NO_FALLBACK = 1u << 3 /* fail (ADR_EOS) when the index directory cannot be written */
};

/*
 * Opens the index of `repo` and brings it up to date with the decision
 * branch (incrementally when it can). `stats` may be NULL.
 */
int adr_index_open(adr_index **out, adr_repo *repo, unsigned flags, adr_index_stats *stats);
void adr_index_free(adr_index *ix);

/* The index file's path. */
const char *adr_index_path(const adr_index *ix);

/*
 * What the caller should show once on stderr: that the index directory
 * cannot be written (F15: a read-only mount, a file in the way,
 * permissions), so this index lives in memory and was built by reading
 * git directly; and each record-named entry of the decision branch that is
 * not a regular file, which the index skips (F12). Owned by `ix`.
 */
const adr_strlist *adr_index_warnings(const adr_index *ix);

/* How many records at the branch tip are kept as folders (<slug>/index.md):
 * the index has no rows for them (they are in adr_repo_records' `folders`),
 * and its warnings name them. */
size_t adr_index_folder_records(const adr_index *ix);

/* --- search ----------------------------------------------------------- */

typedef struct {
	const char *query;          /* the user's words, taken literally */
	adr_status status;          /* ADR_STATUS_NONE: any */
	const char *tag;            /* NULL: any (case-insensitive) */
	adr_mode mode;              /* ADR_MODE_NONE: any */
	const char *since, *until;  /* YYYY-MM-DD bounds on the record's date, or NULL */
	int limit;                  /* <= 0: 20 */
	const char *mark_open;      /* around matches in the snippet (NULL: "[") */
	const char *mark_close;     /* (NULL: "]") */
} adr_search_opts;
#define ADR_SEARCH_OPTS_INIT { NULL, ADR_STATUS_NONE, NULL, ADR_MODE_NONE, NULL, NULL, 20, NULL, NULL }

typedef struct {
	int number;
	char *path;
	char *title;
	char *status;
	char *date;
	char *snippet;   /* with the matches between mark_open and mark_close */
	double score;    /* BM25: lower is better */
} adr_search_hit;

typedef struct {
	adr_search_hit *items;
	size_t count;
	adr_strlist ignored; /* words left out: no letter or digit to search for */
} adr_search_result;
#define ADR_SEARCH_RESULT_INIT { 0 }

/*
 * Ranks the records matching every word of opts->query (BM25; a title
 * match weighs more than one in the body). Any text is accepted: each
 * word is searched for as written, never read as query syntax. A word
 * without a letter or digit ("-", "*") is left out and listed in
 * out->ignored; when every word is left out, ADR_EUSAGE says so. A query
 * without words (NULL, only spaces) matches nothing.
 */
int adr_index_search(adr_search_result *out, adr_index *ix, const adr_search_opts *opts);
void adr_search_result_dispose(adr_search_result *res);

/* --- facts for metrics ------------------------------------------------ */

typedef struct {
	int number;
	char *path;
	char *title;
	char status[16];
	char mode[8];
	char urgency[8];
	char complexity[8];
	char date[11];
	char review_by[11];
	long long created_time;    /* 0 when unknown */
	long long proposed_time;   /* 0 when never proposed */
	long long decided_time;    /* 0 when not decided by a commit */
	int revisions;
	int comments;
	int commits;
	char *tagkey;              /* "\ntag1\ntag2\n", lowercase */
	char *error;               /* why the record could not be read, or NULL */
	adr_strlist warnings;      /* lenient-parse warnings */
	long long changed_time;    /* its last change, 0 when unknown */
	long long first_response_time; /* first comment or vote on its proposal by
					  someone other than the proposer, 0 when none */
	long long ended_time;      /* when adr made it superseded or deprecated, 0 when
				      no commit said so */
	char revisit[11];          /* when to review the decision again, "" when not set */
} adr_index_fact;

typedef struct {
	adr_index_fact *items;
	size_t count;
} adr_index_facts;
#define ADR_INDEX_FACTS_INIT { 0 }

/* Every record's fields and history facts, sorted by number. */
int adr_index_get_facts(adr_index_facts *out, adr_index *ix);
void adr_index_facts_dispose(adr_index_facts *f);

#ifdef __cplusplus
}
#endif
#endif
