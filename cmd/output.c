/*
 * What adr writes: list output as text or JSON, and the terminal filter
 * that every byte written to stdout and stderr goes through.
 */
#define _GNU_SOURCE /* fopencookie; stdout and stderr are assignable in glibc */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output.h"
#include "adr/text.h"
#include "text/json.h"

/* --- the terminal filter ---------------------------------------------------- */

/*
 * A stdio stream whose bytes are escaped (adr_text_escape, multi-line) and
 * written to a file descriptor. The end of a write that may continue in the
 * next one (half a UTF-8 sequence, a CR that may start a CRLF) waits in
 * `held` until then, or until the stream is flushed at exit.
 */
typedef struct {
	int fd;
	unsigned char held[4];
	size_t nheld;
} filter;

static filter out_filter = { STDOUT_FILENO, { 0 }, 0 };
static filter err_filter = { STDERR_FILENO, { 0 }, 0 };
static bool installed;

static int write_fd(filter *f, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(f->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Escapes held + data[0..n) and writes it; keeps an incomplete end unless `last`. */
static int filter_chunk(filter *f, const char *data, size_t n, bool last)
{
	adr_buf b = ADR_BUF_INIT, in = ADR_BUF_INIT;
	unsigned flags = ADR_TEXT_LINES | (last ? 0 : ADR_TEXT_PARTIAL);
	size_t used;
	int rc;

	adr_buf_put(&in, f->held, f->nheld);
	adr_buf_put(&in, data, n);
	if (adr_buf_oom(&in)) {
		adr_buf_dispose(&in);
		errno = ENOMEM;
		return -1;
	}
	used = adr_text_escape(&b, in.ptr, in.size, flags);
	/* At most 3 bytes of a UTF-8 sequence or one CR are held back; never more. */
	if (in.size - used > sizeof(f->held))
		used += adr_text_escape(&b, in.ptr + used, in.size - used, ADR_TEXT_LINES);
	f->nheld = in.size - used;
	memcpy(f->held, in.ptr + used, f->nheld);
	rc = adr_buf_oom(&b) ? (errno = ENOMEM, -1) : write_fd(f, b.ptr, b.size);
	adr_buf_dispose(&b);
	adr_buf_dispose(&in);
	return rc;
}

/* filter_chunk over pieces of at most 64 KiB: a large write (a JSON
 * document) is escaped in a small buffer that stays in the cache. */
static int filter_put(filter *f, const char *data, size_t n, bool last)
{
	const size_t piece = 64 * 1024;
	do {
		size_t k = n < piece ? n : piece;
		if (filter_chunk(f, data, k, last && k == n) < 0)
			return -1;
		data += k;
		n -= k;
	} while (n);
	return 0;
}

static ssize_t filter_write(void *cookie, const char *data, size_t n)
{
	if (filter_put(cookie, data, n, false) < 0)
		return -1;
	return (ssize_t)n;
}

static int filter_close(void *cookie)
{
	filter *f = cookie;
	return f->nheld ? filter_put(f, "", 0, true) : 0;
}

/* At exit, after the last flush: what was held back goes out, escaped. */
static void filter_end(void)
{
	fflush(stdout);
	fflush(stderr);
	if (out_filter.nheld)
		filter_put(&out_filter, "", 0, true);
	if (err_filter.nheld)
		filter_put(&err_filter, "", 0, true);
}

static FILE *filter_open(filter *f, int mode)
{
	cookie_io_functions_t io = { NULL, filter_write, NULL, filter_close };
	FILE *s = fopencookie(f, "w", io);
	if (s)
		setvbuf(s, NULL, mode, mode == _IONBF ? 0 : BUFSIZ);
	return s;
}

int cli_out_install(void)
{
	FILE *o, *e;
	if (installed)
		return 0;
	fflush(stdout);
	fflush(stderr);
	o = filter_open(&out_filter, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF);
	e = filter_open(&err_filter, _IONBF);
	if (!o || !e) {
		if (o)
			fclose(o);
		if (e)
			fclose(e);
		return -1;
	}
	installed = true;
	stdout = o;
	stderr = e;
	atexit(filter_end);
	return 0;
}

void cli_escape(adr_buf *out, const char *s, bool lines)
{
	adr_text_escape(out, s ? s : "", s ? strlen(s) : 0, lines ? ADR_TEXT_LINES : 0);
}

const char *cli_oneline(const char *s)
{
	/* A few results live at once, so one printf may show several fields. */
	static adr_buf ring[8];
	static unsigned next;
	adr_buf *b;
	if (!s)
		return "";
	if (adr_text_find_unsafe(s, strlen(s), 0, NULL) == strlen(s))
		return s;
	b = &ring[next++ % 8];
	if (!b->ptr)
		*b = (adr_buf)ADR_BUF_INIT;
	adr_buf_clear(b);
	cli_escape(b, s, false);
	return adr_buf_oom(b) ? "?" : b->ptr;
}

/* --- lists as text or JSON ------------------------------------------------- */

void cli_out_begin(cli_out *o, bool json)
{
	o->json = json;
	o->buf = (adr_buf)ADR_BUF_INIT;
	adr__json_writer_init(&o->w, &o->buf, ADR_JSON_PRETTY);
}

void cli_out_list_begin(cli_out *o)
{
	if (o->json)
		adr__json_begin_array(&o->w);
}

void cli_out_list_end(cli_out *o)
{
	if (o->json)
		adr__json_end_array(&o->w);
}

void cli_json_str(adr__json_writer *w, const char *key, const char *s)
{
	adr__json_key(w, key);
	adr__json_string(w, s);
}

void cli_json_int(adr__json_writer *w, const char *key, long long v)
{
	adr__json_key(w, key);
	adr__json_int(w, v);
}

void cli_json_bool(adr__json_writer *w, const char *key, bool v)
{
	adr__json_key(w, key);
	adr__json_bool(w, v);
}

void cli_json_double(adr__json_writer *w, const char *key, double v)
{
	adr__json_key(w, key);
	adr__json_double(w, v);
}

void cli_json_strlist(adr__json_writer *w, const char *key, const adr_strlist *l)
{
	adr__json_key(w, key);
	adr__json_begin_array(w);
	for (size_t i = 0; i < l->count; i++)
		adr__json_string(w, l->items[i]);
	adr__json_end_array(w);
}

/* A string member only when there is a string. */
static void key_string(adr__json_writer *w, const char *key, const char *s)
{
	if (s && *s)
		cli_json_str(w, key, s);
}

static void key_intlist(adr__json_writer *w, const char *key, const adr_intlist *l)
{
	adr__json_key(w, key);
	adr__json_begin_array(w);
	for (size_t i = 0; i < l->count; i++)
		adr__json_int(w, l->items[i]);
	adr__json_end_array(w);
}

void cli_out_record(cli_out *o, const adr_record *r, bool full)
{
	cli_out_record_open(o, r, full);
	adr__json_end_object(&o->w);
}

void cli_out_unreadable_open(cli_out *o, const adr_unreadable *u)
{
	adr__json_writer *w = &o->w;
	adr__json_begin_object(w);
	adr__json_key(w, "number");
	if (u->number >= 0)
		adr__json_int(w, u->number);
	else
		adr__json_null(w);
	cli_json_str(w, "slug", u->slug);
	cli_json_str(w, "title", NULL);
	cli_json_str(w, "status", "unreadable");
	key_string(w, "path", u->path);
	cli_json_str(w, "error", u->error);
}

void cli_out_record_open(cli_out *o, const adr_record *r, bool full)
{
	adr__json_writer *w = &o->w;
	adr__json_begin_object(w);
	adr__json_key(w, "number");
	if (r->number >= 0)
		adr__json_int(w, r->number);
	else
		adr__json_null(w);
	cli_json_str(w, "title", r->title);
	cli_json_str(w, "status", r->status ? adr_status_name(r->status) : r->status_word);
	cli_json_str(w, "date", r->date[0] ? r->date : NULL);
	key_string(w, "path", r->path);
	key_string(w, "owner", r->owner);
	cli_json_strlist(w, "decision-makers", &r->decision_makers);
	cli_json_strlist(w, "consulted", &r->consulted);
	cli_json_strlist(w, "informed", &r->informed);
	if (r->reviewers.count)
		cli_json_strlist(w, "reviewers", &r->reviewers);
	key_string(w, "mode", r->mode ? adr_mode_name(r->mode) : NULL);
	key_string(w, "urgency", r->urgency ? adr_level_name(r->urgency) : NULL);
	key_string(w, "complexity", r->complexity ? adr_level_name(r->complexity) : NULL);
	key_string(w, "review-by", r->review_by);
	key_string(w, "revisit", r->revisit);
	key_string(w, "cleanup-by", r->cleanup_by);
	key_intlist(w, "supersedes", &r->supersedes);
	key_intlist(w, "superseded-by", &r->superseded_by);
	adr__json_key(w, "links");
	adr__json_begin_array(w);
	for (size_t i = 0; i < r->nlinks; i++) {
		adr__json_begin_object(w);
		cli_json_str(w, "type", r->links[i].type);
		cli_json_int(w, "target", r->links[i].target);
		adr__json_end_object(w);
	}
	adr__json_end_array(w);
	cli_json_strlist(w, "tags", &r->tags);
	key_string(w, "visibility", r->visibility ? adr_visibility_name(r->visibility) : NULL);
	cli_json_strlist(w, "affects", &r->affects);
	if (r->warnings.count)
		cli_json_strlist(w, "warnings", &r->warnings);
	if (full)
		cli_json_str(w, "body", r->body);
}

void cli_out_commit_link(cli_out *o, const adr_commit_link *l, bool via)
{
	adr__json_writer *w = &o->w;
	char date[48];
	adr_commit_link_date(date, l);
	adr__json_begin_object(w);
	cli_json_str(w, "id", l->commit);
	cli_json_str(w, "subject", l->subject);
	cli_json_str(w, "author", l->author);
	cli_json_str(w, "date", l->time ? date : NULL);
	if (via)
		cli_json_str(w, "via", l->via);
	if (l->written != l->record)
		cli_json_int(w, "written", l->written);
	adr__json_end_object(w);
}

int cli_out_end(cli_out *o)
{
	int rc = 0;
	if (o->json && (rc = adr__json_writer_finish(&o->w)) == 0) {
		/* The JSON writer escapes all the filter would (the same
		 * adr_text_unsafe), so a document the size of 10,000 records
		 * skips its second scan: straight to the descriptor once stdout
		 * is flushed and holds nothing back. When that fails, stdout
		 * is used, and reports the failure at exit. */
		fflush(stdout);
		if (!installed || out_filter.nheld || write_fd(&out_filter, o->buf.ptr, o->buf.size) < 0 ||
		    write_fd(&out_filter, "\n", 1) < 0) {
			fwrite(o->buf.ptr, 1, o->buf.size, stdout);
			fputc('\n', stdout);
		}
	}
	adr_buf_dispose(&o->buf);
	return rc < 0 ? cli_fail(rc) : CLI_OK;
}
