/*
 * util/shell.h: words quoted for a POSIX shell, for the commands the
 * library's messages (and generated scripts) tell the user to run.
 */
#ifndef ADR_UTIL_SHELL_H
#define ADR_UTIL_SHELL_H

#include "adr/common.h"

/* Appends `s` in single quotes ('\'' for a quote inside). */
void adr__shell_quote(adr_buf *out, const char *s);
/* Appends `s` as it is when the shell reads it so (letters, digits and
 * /._-+@:,=%), else quoted as adr__shell_quote does. */
void adr__shell_word(adr_buf *out, const char *s);

#endif
