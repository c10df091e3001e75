/*
 * index_internal.h: what lib/index.c shows its fuzz target
 * (tests/fuzz/fuzz_query.c), which checks that any text a user searches
 * for becomes an FTS5 query SQLite accepts.
 */
#ifndef ADR_INDEX_INTERNAL_H
#define ADR_INDEX_INTERNAL_H

#include "adr/common.h"

/* The FTS5 MATCH expression adr_index_search() runs for the words `q`
 * (empty when `q` has no word). */
int adr__index_fts_query(adr_buf *out, const char *q);

/* The SQL that creates the index's tables, the FTS5 table included. */
const char *adr__index_schema_sql(void);

#endif
