/* List output as text or JSON. */
#include <stdio.h>

#include "output.h"

void cli_out_begin(cli_out *o, bool json)
{
	o->json = json;
	o->buf = (adr_buf)ADR_BUF_INIT;
	adr_json_writer_init(&o->w, &o->buf, ADR_JSON_PRETTY);
}

void cli_out_list_begin(cli_out *o)
{
	if (o->json)
		adr_json_begin_array(&o->w);
}

void cli_out_list_end(cli_out *o)
{
	if (o->json)
		adr_json_end_array(&o->w);
}

static void key_string(adr_json_writer *w, const char *key, const char *s)
{
	if (!s || !*s)
		return;
	adr_json_key(w, key);
	adr_json_string(w, s);
}

static void key_strlist(adr_json_writer *w, const char *key, const adr_strlist *l)
{
	adr_json_key(w, key);
	adr_json_begin_array(w);
	for (size_t i = 0; i < l->count; i++)
		adr_json_string(w, l->items[i]);
	adr_json_end_array(w);
}

static void key_intlist(adr_json_writer *w, const char *key, const adr_intlist *l)
{
	adr_json_key(w, key);
	adr_json_begin_array(w);
	for (size_t i = 0; i < l->count; i++)
		adr_json_int(w, l->items[i]);
	adr_json_end_array(w);
}

void cli_out_record(cli_out *o, const adr_record *r, bool full)
{
	adr_json_writer *w = &o->w;
	adr_json_begin_object(w);
	adr_json_key(w, "number");
	if (r->number >= 0)
		adr_json_int(w, r->number);
	else
		adr_json_null(w);
	adr_json_key(w, "title");
	adr_json_string(w, r->title);
	adr_json_key(w, "status");
	adr_json_string(w, r->status ? adr_status_name(r->status) : r->status_word);
	adr_json_key(w, "date");
	adr_json_string(w, r->date[0] ? r->date : NULL);
	key_string(w, "path", r->path);
	key_strlist(w, "decision-makers", &r->decision_makers);
	key_strlist(w, "consulted", &r->consulted);
	key_strlist(w, "informed", &r->informed);
	key_string(w, "mode", r->mode ? adr_mode_name(r->mode) : NULL);
	key_string(w, "urgency", r->urgency ? adr_level_name(r->urgency) : NULL);
	key_string(w, "complexity", r->complexity ? adr_level_name(r->complexity) : NULL);
	key_string(w, "review-by", r->review_by);
	key_string(w, "revisit", r->revisit);
	key_string(w, "cleanup-by", r->cleanup_by);
	key_intlist(w, "supersedes", &r->supersedes);
	key_intlist(w, "superseded-by", &r->superseded_by);
	adr_json_key(w, "links");
	adr_json_begin_array(w);
	for (size_t i = 0; i < r->nlinks; i++) {
		adr_json_begin_object(w);
		adr_json_key(w, "type");
		adr_json_string(w, r->links[i].type);
		adr_json_key(w, "target");
		adr_json_int(w, r->links[i].target);
		adr_json_end_object(w);
	}
	adr_json_end_array(w);
	key_strlist(w, "tags", &r->tags);
	key_string(w, "visibility", r->visibility ? adr_visibility_name(r->visibility) : NULL);
	key_strlist(w, "affects", &r->affects);
	if (r->warnings.count)
		key_strlist(w, "warnings", &r->warnings);
	if (full) {
		adr_json_key(w, "body");
		adr_json_string(w, r->body);
	}
	adr_json_end_object(w);
}

int cli_out_end(cli_out *o)
{
	int rc = 0;
	if (o->json) {
		rc = adr_json_writer_finish(&o->w);
		if (rc == 0) {
			fwrite(o->buf.ptr, 1, o->buf.size, stdout);
			fputc('\n', stdout);
		}
	}
	adr_buf_dispose(&o->buf);
	return rc;
}
