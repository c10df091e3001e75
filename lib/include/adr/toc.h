/*
 * adr/toc.h: adr-tools' `generate toc` and `generate graph`.
 *
 * The table of contents is what `adr generate toc` prints:
 *
 *   # Architecture Decision Records
 *
 *   * [1. Record architecture decisions](0001-record-architecture-decisions.md)
 *
 * with the intro text after the heading and the outro at the end, each
 * followed or preceded by a blank line. In the link text `[`, `]` and `\`
 * are escaped with a backslash and a line break becomes a space; in the
 * target, spaces, controls and `<>()%\` are percent-encoded, so every title
 * and file name gives one working link. The graph is what `adr generate
 * graph` prints: Graphviz dot with one node per record, dotted edges for
 * the sequence and labelled edges for supersedes and other links (only the
 * forward direction: a `...-by` relation is the other end of an edge).
 *
 * Ownership: the record set is borrowed; output is appended to `out`.
 */
#ifndef ADR_TOC_H
#define ADR_TOC_H

#include "adr/common.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

/* `intro` and `outro` (may be NULL) are Markdown text; `prefix` goes before each link. */
int adr_toc_write(adr_buf *out, const adr_recordset *set, const char *intro, const char *outro,
		  const char *prefix);

/* `prefix` goes before and `ext` (NULL: ".html") after each node's URL (the file name without .md). */
int adr_graph_write(adr_buf *out, const adr_recordset *set, const char *prefix, const char *ext);

#ifdef __cplusplus
}
#endif
#endif
