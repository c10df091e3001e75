/* util/shell.c: quoting for a POSIX shell (util/shell.h). */
#include "util/shell.h"

#include <string.h>

void adr__shell_quote(adr_buf *out, const char *s)
{
	adr_buf_putc(out, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			adr_buf_puts(out, "'\\''");
		else
			adr_buf_putc(out, *s);
	}
	adr_buf_putc(out, '\'');
}

void adr__shell_word(adr_buf *out, const char *s)
{
	if (*s && strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+@:,=%") == strlen(s))
		adr_buf_puts(out, s);
	else
		adr__shell_quote(out, s);
}
