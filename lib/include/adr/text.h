/*
 * adr/text.h: what text from records, commits and file names must never
 * carry to a terminal raw, and how to show it instead.
 *
 * Titles, bodies, file names and commit messages are written by other
 * people. Some characters act on a terminal instead of showing: the C0
 * controls (ESC starts sequences that move the cursor, clear the screen or
 * set the window title; BEL rings; CR without LF overwrites the line), DEL,
 * the C1 controls U+0080..U+009F (U+009B is a one-byte CSI), the bidi
 * embedding, override and isolate controls U+202A..U+202E and
 * U+2066..U+2069 (they reorder what is shown, so text reads differently
 * from what it is), and the line and paragraph separators U+2028 and
 * U+2029. These are the "unsafe" characters. Tab is always safe; line feed
 * (and CR just before one) is safe in multi-line text (ADR_TEXT_LINES).
 *
 * Ownership: output is appended to the caller's buffer; input is borrowed.
 */
#ifndef ADR_TEXT_H
#define ADR_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "adr/common.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
	ADR_TEXT_LINES = 1u << 0,  /* line feed and CRLF are safe (multi-line text) */
	ADR_TEXT_PARTIAL = 1u << 1 /* a piece of a stream: hold back an incomplete end */
};

/*
 * What kind of unsafe character cp is: "control character", "bidi control"
 * or "line separator"; NULL when it is safe. Tab is safe; line feed and CR
 * count as control characters here (callers that allow lines skip them).
 */
const char *adr_text_unsafe(uint32_t cp);

/* The Unicode name of an unsafe character when it has a well-known one
 * ("ESCAPE", "RIGHT-TO-LEFT OVERRIDE"), else NULL. */
const char *adr_text_char_name(uint32_t cp);

/*
 * The byte offset of the first unsafe character or invalid UTF-8 sequence
 * in s[0..len), or len when there is none. *cp (may be NULL) gets the
 * character, or 0xFFFFFFFF for invalid UTF-8. `flags`: ADR_TEXT_LINES.
 */
size_t adr_text_find_unsafe(const char *s, size_t len, unsigned flags, uint32_t *cp);

/*
 * Appends s[0..len) to `out` with every unsafe character shown as an escape
 * instead: `\r` and `\n` (when line feeds are not allowed), `\xNN` for the
 * other C0 controls and DEL and for each byte of invalid UTF-8, `\uNNNN`
 * for the others (all hex lowercase). Returns the number of bytes used: len,
 * or with ADR_TEXT_PARTIAL less when s ends in the middle of a UTF-8
 * sequence or with a CR that may start a CRLF (pass those bytes again with
 * what follows). Appends nothing else; a failed allocation shows in
 * adr_buf_oom(out).
 */
size_t adr_text_escape(adr_buf *out, const char *s, size_t len, unsigned flags);

#ifdef __cplusplus
}
#endif
#endif
