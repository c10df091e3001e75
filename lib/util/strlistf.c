/* util/strlistf.c: printf into an adr_strlist (util/strlistf.h). */
#include "util/strlistf.h"

int adr__strlist_vaddf(adr_strlist *l, const char *fmt, va_list ap)
{
	adr_buf b = ADR_BUF_INIT;
	int rc;
	adr_buf_vprintf(&b, fmt, ap);
	rc = adr_buf_oom(&b) ? ADR_ENOMEM : adr_strlist_add(l, b.ptr);
	adr_buf_dispose(&b);
	return rc;
}

int adr__strlist_addf(adr_strlist *l, const char *fmt, ...)
{
	va_list ap;
	int rc;
	va_start(ap, fmt);
	rc = adr__strlist_vaddf(l, fmt, ap);
	va_end(ap);
	return rc;
}
