/* The record of a decision captured from a commit (adr/capture.h). */
#include <stdlib.h>
#include <string.h>

#include "adr/capture.h"
#include "adr/clock.h"
#include "adr/ops.h"
#include "util/error.h"

int adr_record_put_decision(adr_record *r, const char *text)
{
	adr_buf body = ADR_BUF_INIT;
	const char *b = r->body, *h = NULL, *p = b;
	while ((p = strstr(p, "## Decision"))) {
		if ((p == b || p[-1] == '\n') && (p[11] == '\n' || p[11] == '\0' || p[11] == '\r')) {
			h = p;
			break;
		}
		p++;
	}
	if (h) {
		const char *eol = strchr(h, '\n');
		size_t at = eol ? (size_t)(eol + 1 - b) : strlen(b);
		adr_buf_put(&body, b, at);
		if (!eol)
			adr_buf_putc(&body, '\n');
		adr_buf_printf(&body, "\n%s\n", text);
		adr_buf_puts(&body, b + at);
	} else {
		adr_buf_puts(&body, b);
		if (body.size && body.ptr[body.size - 1] != '\n')
			adr_buf_putc(&body, '\n');
		adr_buf_printf(&body, "\n## Decision\n\n%s\n", text);
	}
	if (adr_buf_oom(&body))
		return ADR_ENOMEM;
	free(r->body);
	r->body = adr_buf_detach(&body);
	return 0;
}

int adr_capture_record(adr_record **out, adr_repo *repo, const char *title, adr_status status, const char *text)
{
	adr_record *r = NULL;
	int rc;
	*out = NULL;
	if ((rc = adr_record_from_template(&r, repo, adr_repo_template(repo), title)) < 0)
		return rc;
	r->status = status;
	if (status == ADR_STATUS_ACCEPTED || !r->date[0])
		adr_today(r->date);
	if (text && text[0] && (rc = adr_record_put_decision(r, text)) < 0) {
		adr_record_free(r);
		return rc;
	}
	*out = r;
	return 0;
}
