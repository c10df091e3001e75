/*
 * text/yaml.h: a small, bounded YAML document model (only lib/text/yaml.c includes
 * <yaml.h>). Used for record front matter and for `.adr.yaml`.
 *
 * The parser uses libyaml's event API and enforces: one document only, a
 * mapping at the root (or an empty document), nesting at most
 * ADR_YAML_DEPTH_MAX, no anchors, aliases or tags, no duplicate keys in any
 * mapping (the message names both lines), no NUL byte, valid UTF-8, and
 * scalars only as mapping keys. Errors are `path:line:col: what`, with line
 * numbers shifted by `first_line - 1` so they point into the enclosing file.
 *
 * Ownership: adr__yaml_doc_free() frees the document and every node in it.
 */
#ifndef ADR_YAML_H
#define ADR_YAML_H

#include "adr/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Deepest nesting of sequences and mappings the parser builds. */
#define ADR_YAML_DEPTH_MAX 64

typedef enum { ADR_YAML_SCALAR, ADR_YAML_SEQ, ADR_YAML_MAP } adr__yaml_kind;

typedef struct adr__yaml_node adr__yaml_node;
struct adr__yaml_node {
	adr__yaml_kind kind;
	int line, col;          /* 1-based, in the enclosing file */
	/* ADR_YAML_SCALAR */
	char *scalar;           /* NUL-terminated, UTF-8 */
	bool quoted;            /* written in quotes or as a block scalar */
	bool is_null;           /* plain `~`, `null`, or empty */
	/* ADR_YAML_SEQ: items[0..count); ADR_YAML_MAP: keys[i] -> items[i] */
	adr__yaml_node **items;
	char **keys;
	int *key_lines;
	size_t count;
};

/* One top-level entry of the root mapping, with the exact source bytes. */
typedef struct {
	char *key;
	adr__yaml_node *value;
	int line, col;          /* of the key */
	char *raw;              /* the entry's source text: from the start of the key's
	                           line to the start of the next key's line (comments and
	                           blank lines in between included), ending in '\n' */
} adr__yaml_entry;

typedef struct {
	adr__yaml_entry *entries;
	size_t count;
	char *prefix;           /* source text before the first key (comments), "" if none */
} adr__yaml_doc;

/* Parses `len` bytes. An empty or comment-only document gives count 0. */
int adr__yaml_parse(adr__yaml_doc **out, const char *path, const char *data, size_t len,
		   int first_line);
void adr__yaml_doc_free(adr__yaml_doc *doc);

/* The value of a top-level key, or NULL. */
const adr__yaml_node *adr__yaml_get(const adr__yaml_doc *doc, const char *key);
/* The value of a key in a mapping node, or NULL. */
const adr__yaml_node *adr__yaml_map_get(const adr__yaml_node *map, const char *key);

/* Writes `s` as a YAML scalar that reads back as exactly `s`: plain when
 * that is unambiguous, else double-quoted with escapes. */
int adr__yaml_write_scalar(adr_buf *out, const char *s);

/* The version of libyaml this process runs with (a static string). */
const char *adr__yaml_version(void);

#ifdef __cplusplus
}
#endif
#endif
