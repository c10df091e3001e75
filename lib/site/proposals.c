/*
 * site/proposals.c: what the site shows of asynchronous review and of its
 * provenance, and how much of a discussion an audience reads.
 *
 *  - "Open for comment" on the index and one page per open proposal the
 *    audience may see (a proposal's visibility is read as a record's). The
 *    deadline, overdue flag, votes, owner and whose move come from the
 *    queue itself (adr_queue_build(), the facts `adr queue` prints), the
 *    proposals from adr_proposal_list_all(), each thread from
 *    adr_thread_read(). A site built from a proposal's branch shows that
 *    proposal (its record is not numbered, so it is no record of the log),
 *    or says in a warning why it does not.
 *  - Discretion: `--thread full|votes|none` and a record's `thread` field
 *    (adr/html.h says what each leaves out).
 *  - Provenance: with `--repo-url`, "View source" on every page and
 *    "Discuss" (the proposal's branch) on proposals.
 *  - Link previews: the description and Open Graph values of each page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "adr/proposal.h"
#include "adr/queue.h"
#include "site/site_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/hash.h"
#include "text/value.h"

#define DESC_MAX 200   /* bytes of a page's description, about two lines of a preview */
#define SLUG_PAGE_MAX 80

/* --- discretion ----------------------------------------------------------- */

/* The discretion for record `r`: its `thread` field, else --thread, else
 * the audience's default (adr/html.h). */
static int thread_mode(adr_html_thread *out, site *s, const adr_record *r)
{
	adr_buf v = ADR_BUF_INIT;
	int rc = adr_record_extra_field(&v, r, "thread");

	*out = s->opts->thread;
	if (rc == 1) {
		if (strcasecmp(v.ptr, "none") == 0)
			*out = ADR_HTML_THREAD_NONE;
		else if (strcasecmp(v.ptr, "votes") == 0)
			*out = ADR_HTML_THREAD_VOTES;
		else if (strcasecmp(v.ptr, "full") == 0)
			*out = ADR_HTML_THREAD_FULL;
		else
			adr__site_warn(s, "%s: thread '%s' is not none, votes or full; ignored",
				       r->path ? r->path : "(record)", v.ptr);
	}
	adr_buf_dispose(&v);
	if (*out == ADR_HTML_THREAD_DEFAULT)
		*out = s->audience == ADR_VISIBILITY_PUBLIC ? ADR_HTML_THREAD_NONE : ADR_HTML_THREAD_FULL;
	return rc < 0 ? rc : 0;
}

static bool in_list(const adr_strlist *l, const char *name)
{
	for (size_t i = 0; i < l->count; i++)
		if (strcmp(l->items[i], name) == 0)
			return true;
	return false;
}

/* Whether the record names `who` (so `who` is no third party to it). */
static bool named_in(const adr_record *r, const char *who)
{
	return (r->owner && strcmp(r->owner, who) == 0) || in_list(&r->decision_makers, who) ||
	       in_list(&r->consulted, who) || in_list(&r->informed, who) || in_list(&r->reviewers, who);
}

/* Leaves out of `page` (a record's or proposal's) what `mode` does not show. */
static int apply_discretion(adr_value *page, const adr_record *r, adr_html_thread mode)
{
	adr_value *list, *kept;

	adr__value_map_set_string(page, "thread_mode", mode == ADR_HTML_THREAD_NONE ? "none" :
					       mode == ADR_HTML_THREAD_VOTES ? "votes" : "full");
	if (mode == ADR_HTML_THREAD_FULL)
		return adr__value_failed(page) ? ADR_ENOMEM : 0;
	/* the thread: nothing, or the votes and the decision without text */
	list = adr__value_map_get_mut(page, "thread");
	kept = adr__value_list();
	for (size_t i = 0; kept && mode == ADR_HTML_THREAD_VOTES && i < adr__value_count(list); i++) {
		const adr_value *c = adr__value_list_get(list, i);
		adr_value *copy;
		if (!adr__value_lookup_string(c, "vote") && !adr__value_get_bool(adr__value_map_get(c, "decision")))
			continue;
		copy = adr__value_copy(c);
		adr__value_map_set_string(copy, "text", NULL);
		adr__value_list_append(kept, copy);
	}
	adr__value_map_set(page, "thread", kept);
	adr__value_map_set_bool(page, "thread_off", mode == ADR_HTML_THREAD_NONE);
	adr__value_map_set_bool(page, "votes_only", mode == ADR_HTML_THREAD_VOTES);
	/* commit ids */
	list = adr__value_map_get_mut(page, "commits");
	for (size_t i = 0; i < adr__value_count(list); i++) {
		adr_value *c = adr__value_list_get_mut(list, i);
		adr__value_map_set_string(c, "id", NULL);
		adr__value_map_set_string(c, "short", NULL);
	}
	/* names of people the record does not name */
	list = adr__value_map_get_mut(page, "history");
	for (size_t i = 0; mode == ADR_HTML_THREAD_NONE && i < adr__value_count(list); i++) {
		adr_value *e = adr__value_list_get_mut(list, i);
		const char *who = adr__value_lookup_string(e, "author");
		if (who && !named_in(r, who))
			adr__value_map_set_string(e, "author", NULL);
	}
	return adr__value_failed(page) ? ADR_ENOMEM : 0;
}

/* --- provenance ------------------------------------------------------------ */

enum { HOST_GITHUB, HOST_GITLAB, HOST_BITBUCKET, HOST_GITEA };

/* Which URL scheme the code host at `url` uses (by its host name). */
static int host_kind(const char *url)
{
	const char *h = strstr(url, "://");
	char host[256];
	size_t n = 0;

	for (h = h ? h + 3 : url; *h && *h != '/' && n + 1 < sizeof(host); h++)
		host[n++] = (char)(*h >= 'A' && *h <= 'Z' ? *h - 'A' + 'a' : *h);
	host[n] = '\0';
	if (strstr(host, "gitlab"))
		return HOST_GITLAB;
	if (strstr(host, "bitbucket"))
		return HOST_BITBUCKET;
	if (strstr(host, "gitea") || strstr(host, "codeberg") || strstr(host, "forgejo"))
		return HOST_GITEA;
	return HOST_GITHUB;
}

/* `s` with every byte a URL path may not hold as it is percent-encoded. */
static void put_url_path(adr_buf *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~/", *p))
			adr_buf_putc(out, (char)*p);
		else
			adr_buf_printf(out, "%%%02X", *p);
	}
}

/*
 * The code host's page of `path` at `commit`, or (path NULL) of branch
 * `commit`, under --repo-url (GitHub-style /blob/ and /tree/ unless the
 * host name says GitLab, Bitbucket or Gitea/Codeberg/Forgejo); NULL value
 * without --repo-url.
 */
static adr_value *repo_link(const site *s, const char *commit, const char *path)
{
	const char *base = s->opts->repo_url;
	adr_buf u = ADR_BUF_INIT;
	adr_value *v;
	size_t n;
	int kind;

	if (!base)
		return adr__value_string(NULL);
	kind = host_kind(base);
	n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	if (n > 4 && strncmp(base + n - 4, ".git", 4) == 0)
		n -= 4;
	adr_buf_put(&u, base, n);
	if (path) {
		adr_buf_puts(&u, kind == HOST_GITLAB ? "/-/blob/" : kind == HOST_BITBUCKET ? "/src/" :
				 kind == HOST_GITEA ? "/src/commit/" : "/blob/");
		put_url_path(&u, commit);
		adr_buf_putc(&u, '/');
		put_url_path(&u, path);
	} else {
		adr_buf_puts(&u, kind == HOST_GITLAB ? "/-/tree/" : kind == HOST_BITBUCKET ? "/branch/" :
				 kind == HOST_GITEA ? "/src/branch/" : "/tree/");
		put_url_path(&u, commit);
	}
	v = adr_buf_oom(&u) ? NULL : adr__value_string(u.ptr);
	adr_buf_dispose(&u);
	return v;
}

/* --- link previews --------------------------------------------------------- */

/* Whether the tag at `p` ("<a ...>", "</em>") sits inside a line of text. */
static bool inline_tag(const char *p)
{
	static const char *const names[] = { "a", "em", "strong", "code", "span", "del", "s", "sup", "sub", "mark",
					     "kbd", "b", "i", NULL };
	size_t n;

	p += p[1] == '/' ? 2 : 1;
	for (n = 0; (p[n] >= 'a' && p[n] <= 'z') || (p[n] >= '0' && p[n] <= '9'); n++)
		;
	for (size_t i = 0; names[i]; i++)
		if (strlen(names[i]) == n && strncmp(p, names[i], n) == 0)
			return true;
	return false;
}

/* The text of the HTML element starting at `p` up to `stop` ("</h2>", ...),
 * tags dropped, the entities the renderer writes decoded, spaces folded,
 * appended to `out`; where it stopped. */
static const char *html_text(adr_buf *out, const char *p, const char *const *stops)
{
	static const struct { const char *ent; char c; } ents[] = {
		{ "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' }, { "&#39;", '\'' }, { "&#x27;", '\'' }
	};

	while (*p) {
		bool stop = false, ent = false;
		/* every stop is a tag: only a '<' can start one */
		for (size_t i = 0; *p == '<' && stops[i] && !stop; i++)
			stop = strncasecmp(p, stops[i], strlen(stops[i])) == 0;
		if (stop)
			break;
		if (*p == '<') {
			const char *gt = strchr(p, '>');
			if (!gt)
				break;
			if (!inline_tag(p) && out->size && out->ptr[out->size - 1] != ' ')
				adr_buf_putc(out, ' '); /* a block tag parts words: <br>, </li> */
			p = gt + 1;
			continue;
		}
		for (size_t i = 0; *p == '&' && i < sizeof(ents) / sizeof(*ents) && !ent; i++)
			if (strncmp(p, ents[i].ent, strlen(ents[i].ent)) == 0) {
				adr_buf_putc(out, ents[i].c);
				p += strlen(ents[i].ent);
				ent = true;
			}
		if (ent)
			continue;
		if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
			if (out->size && out->ptr[out->size - 1] != ' ')
				adr_buf_putc(out, ' ');
		} else {
			adr_buf_putc(out, *p);
		}
		p++;
	}
	return p;
}

/*
 * The first paragraph (or list item) of the section under the heading
 * "Decision" or "Decision Outcome" (any level) of a rendered body, else of
 * the body, as text. From the rendered HTML, not the Markdown: a link to a
 * record the audience may not see already reads as HIDDEN_TEXT there, and
 * raw HTML is gone.
 */
static int first_paragraph(adr_buf *out, const char *html)
{
	static const char *const head_end[] = { "</h1>", "</h2>", "</h3>", "</h4>", "</h5>", "</h6>", NULL };
	static const char *const para_end[] = { "</p>", "</li>", "</blockquote>", "<h1", "<h2", "<h3", "<h4", "<h5",
						"<h6", "<pre", "<table", NULL };
	adr_buf head = ADR_BUF_INIT;
	const char *from = html;

	for (const char *p = html; (p = strstr(p, "<h")) != NULL; p++) {
		const char *gt;
		if (p[2] < '1' || p[2] > '6' || !(gt = strchr(p, '>')))
			continue;
		adr_buf_clear(&head);
		html_text(&head, gt + 1, head_end);
		while (head.size && head.ptr[head.size - 1] == ' ')
			head.ptr[--head.size] = '\0';
		if (strcasecmp(head.ptr + (head.ptr[0] == ' '), "Decision") == 0 ||
		    strcasecmp(head.ptr + (head.ptr[0] == ' '), "Decision Outcome") == 0) {
			from = strstr(gt, "</h");
			from = from ? from + 5 : gt + 1;
			break;
		}
	}
	if (adr_buf_oom(&head)) { /* a heading not read whole: the Decision section may be missed */
		adr_buf_dispose(&head);
		return ADR_ENOMEM;
	}
	adr_buf_dispose(&head);
	/* the first block with text: <p>, <li>, ... */
	for (const char *p = from; *p;) {
		const char *q = html_text(out, p, para_end), *c;
		while (out->size && out->ptr[out->size - 1] == ' ')
			out->ptr[--out->size] = '\0';
		if (out->size && out->ptr[0] == ' ')
			memmove(out->ptr, out->ptr + 1, out->size--);
		if (out->size || !*q)
			return adr_buf_oom(out) ? ADR_ENOMEM : 0;
		if (q[1] == 'h' && q[2] >= '1' && q[2] <= '6') {
			if (from != html)
				return adr_buf_oom(out) ? ADR_ENOMEM : 0; /* the Decision section holds no text */
			c = strstr(q, "</h");
			q = c ? c + 5 : q + strlen(q);
		} else if (strncasecmp(q, "<pre", 4) == 0 || strncasecmp(q, "<table", 6) == 0) {
			c = strstr(q, q[1] == 'p' ? "</pre>" : "</table>");
			q = c ? c + 6 : q + strlen(q);
		} else {
			c = strchr(q, '>');
			q = c ? c + 1 : q + strlen(q);
		}
		p = q;
	}
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* The description of a page whose body is `html`: the first sentence of
 * its decision, else of its text, at most DESC_MAX bytes (cut between
 * UTF-8 characters). */
static int description(adr_buf *out, const char *html)
{
	adr_buf text = ADR_BUF_INIT;
	size_t end;
	int rc = 0;

	adr_buf_clear(out);
	if ((rc = first_paragraph(&text, html ? html : "")) < 0) {
		adr_buf_dispose(&text);
		return rc;
	}
	end = text.size;
	for (size_t i = 20; i + 1 < text.size; i++)
		if (strchr(".!?", text.ptr[i]) && text.ptr[i + 1] == ' ') {
			end = i + 1;
			break;
		}
	if (end > DESC_MAX) {
		end = DESC_MAX;
		while (end && (text.ptr[end] & 0xC0) == 0x80)
			end--;
	}
	adr_buf_put(out, text.ptr, end);
	if (end < text.size && end && !strchr(".!?", text.ptr[end - 1]))
		adr_buf_puts(out, "…");
	if (adr_buf_oom(out) || adr_buf_oom(&text))
		rc = ADR_ENOMEM;
	adr_buf_dispose(&text);
	return rc;
}

/* og:url of page `name`, with --base-url. */
static adr_value *page_url(const site *s, const char *name)
{
	const char *b = s->opts->base_url;
	adr_buf u = ADR_BUF_INIT;
	adr_value *v;

	if (!b)
		return adr__value_string(NULL);
	adr_buf_printf(&u, "%s%s%s", b, b[0] && b[strlen(b) - 1] == '/' ? "" : "/", name);
	v = adr_buf_oom(&u) ? NULL : adr__value_string(u.ptr);
	adr_buf_dispose(&u);
	return v;
}

/* The link preview values of a page: description, og_title, og_type, og_url. */
static int preview(site *s, adr_value *page, const char *title, const char *name)
{
	adr_buf d = ADR_BUF_INIT;
	int rc = description(&d, adr__value_lookup_string(page, "body_html"));

	if (rc == 0) {
		adr__value_map_set_string(page, "description", d.size ? d.ptr : title);
		adr__value_map_set_string(page, "og_title", title);
		adr__value_map_set_string(page, "og_type", "article");
		adr__value_map_set(page, "og_url", page_url(s, name));
	}
	adr_buf_dispose(&d);
	return rc;
}

int adr__site_page_extras(site *s, adr_value *page, const site_rec *sr)
{
	const adr_record *r = sr->r;
	const adr_history_entry *he = r->path ? adr__site_history_of(s, r->path) : NULL;
	adr_html_thread mode;
	int rc;

	if ((rc = thread_mode(&mode, s, r)) < 0 || (rc = apply_discretion(page, r, mode)) < 0)
		return rc;
	/* The file as the built commit has it, at the commit that last changed
	 * it (the same text): the page then stays the same from one build to
	 * the next, as every page but the index does. */
	if (r->path)
		adr__value_map_set(page, "source_url",
				   repo_link(s, he && he->changed_commit[0] ? he->changed_commit : s->set.commit,
					     r->path));
	return adr__value_failed(page) ? adr__error_oom() : 0;
}

int adr__site_page_preview(site *s, adr_value *page, const site_rec *sr)
{
	adr_buf title = ADR_BUF_INIT;
	int rc;

	adr_buf_printf(&title, "%s %s", sr->id, sr->r->title);
	rc = adr_buf_oom(&title) ? ADR_ENOMEM : preview(s, page, title.ptr, sr->page);
	adr_buf_dispose(&title);
	if (rc == 0 && adr__value_failed(page))
		rc = adr__error_oom();
	return rc;
}

/* --- proposals ------------------------------------------------------------- */

static void format_time(char out[32], long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t > 0 && gmtime_r(&tt, &tm))
		strftime(out, 32, "%Y-%m-%d %H:%M UTC", &tm);
	else
		snprintf(out, 32, "-");
}

/* The thread of a proposal as the record page shows one: `history` (every
 * event) and `thread` (the comments). */
static int thread_values(const adr_thread *th, adr_value *page)
{
	static const char *const names[] = { "changed", "proposed", "revised", "commented", "decided" };
	adr_value *hist = adr__value_list(), *comments = adr__value_list();
	adr_buf what = ADR_BUF_INIT;
	char when[32];

	for (size_t i = 0; i < th->count; i++) {
		const adr_event *e = &th->events[i];
		adr_value *h = adr__value_map();
		format_time(when, e->time);
		adr_buf_clear(&what);
		for (size_t k = 0; e->kind == ADR_EVENT_REVISED && k < e->changes.count; k++)
			adr_buf_printf(&what, "%s%s", k ? ", " : "", e->changes.items[k]);
		if (e->vote != ADR_VOTE_NONE)
			adr_buf_puts(&what, e->vote == ADR_VOTE_APPROVE ? "approves" : "objects");
		adr__value_map_set_string(h, "event", names[e->kind <= ADR_EVENT_DECIDED ? e->kind : 0]);
		adr__value_map_set_string(h, "date", when);
		adr__value_map_set_string(h, "author", e->author);
		adr__value_map_set_string(h, "text", what.size ? what.ptr : NULL);
		adr__value_list_append(hist, h);
		if (e->kind == ADR_EVENT_COMMENT) {
			adr_value *c = adr__value_map();
			adr__value_map_set_string(c, "author", e->author);
			adr__value_map_set_string(c, "date", when);
			adr__value_map_set_string(c, "vote", e->vote == ADR_VOTE_APPROVE ? "approve" :
							    e->vote == ADR_VOTE_OBJECT ? "object" : NULL);
			adr__value_map_set_string(c, "section", e->section);
			adr__value_map_set_string(c, "text", e->text && *e->text ? e->text : NULL);
			adr__value_map_set_bool(c, "decision", false);
			adr__value_list_append(comments, c);
		}
	}
	adr__value_map_set(page, "history", hist);
	adr__value_map_set(page, "thread", comments);
	adr__value_map_set(page, "commits", adr__value_list());
	if (adr_buf_oom(&what)) { /* an event without its text */
		adr_buf_dispose(&what);
		return ADR_ENOMEM;
	}
	adr_buf_dispose(&what);
	return adr__value_failed(page) ? adr__error_oom() : 0;
}

static adr_value *joined(const adr_strlist *l)
{
	adr_buf b = ADR_BUF_INIT;
	adr_value *v;

	for (size_t i = 0; i < l->count; i++)
		adr_buf_printf(&b, "%s%s", i ? ", " : "", l->items[i]);
	v = adr_buf_oom(&b) ? NULL : adr__value_string(b.size ? b.ptr : NULL);
	adr_buf_dispose(&b);
	return v;
}

/* What the index and the proposal's page both show: the queue's facts. */
static void queue_facts(adr_value *v, const adr_proposal *p, const adr_queue_item *it, const adr_queue *q,
			bool names)
{
	const adr_strlist *ap = it ? &it->approvals : &p->approvals, *ob = it ? &it->objections : &p->objections;
	const char *due = it ? it->due : p->record->review_by;

	adr__value_map_set_string(v, "slug", p->slug);
	adr__value_map_set_string(v, "title", p->record->title[0] ? p->record->title : p->slug);
	adr__value_map_set_string(v, "due", due[0] ? due : NULL);
	adr__value_map_set_bool(v, "overdue", it ? it->overdue : due[0] && strcmp(due, q->today) < 0);
	adr__value_map_set_number(v, "approve_count", (double)ap->count);
	adr__value_map_set_number(v, "object_count", (double)ob->count);
	adr__value_map_set_number(v, "comment_count", (double)p->comments);
	adr__value_map_set(v, "approvals", names ? joined(ap) : adr__value_string(NULL));
	adr__value_map_set(v, "objections", names ? joined(ob) : adr__value_string(NULL));
	adr__value_map_set_string(v, "owner", it ? it->owner : p->record->owner);
	adr__value_map_set(v, "move", it ? joined(&it->move) : adr__value_string(NULL));
	adr__value_map_set_bool(v, "merged", p->merged);
	adr__value_map_set_bool(v, "diverged", p->diverged);
}

/* "proposal-<slug>.html" (a slug that is not plain: its hash). */
static int proposal_page_name(adr_buf *out, const char *slug)
{
	bool plain = *slug && strlen(slug) <= SLUG_PAGE_MAX;

	for (const char *c = slug; *c && plain; c++)
		plain = (*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '-';
	adr_buf_clear(out);
	if (plain)
		adr_buf_printf(out, "proposal-%s.html", slug);
	else
		adr_buf_printf(out, "proposal-%016llx.html", (unsigned long long)adr__hash(slug, strlen(slug)));
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* One proposal's page, and its entry (`item`) of "Open for comment". */
static int proposal_page(site *s, adr__mustache_template *tpl, adr_buf *html, const adr_proposal *p,
			 const adr_queue_item *it, const adr_queue *q, bool built, adr_value *item)
{
	adr__markdown_opts mo = ADR_MARKDOWN_OPTS_INIT;
	adr__markdown_result md = ADR_MARKDOWN_RESULT_INIT;
	adr_buf name = ADR_BUF_INIT, body = ADR_BUF_INIT, branch = ADR_BUF_INIT, title = ADR_BUF_INIT;
	adr_thread th = ADR_THREAD_INIT;
	adr_value *page = NULL;
	adr_html_thread mode;
	site_rec fake;
	int rc;

	memset(&fake, 0, sizeof(fake));
	fake.r = p->record;
	fake.visible = true;
	fake.supersedes = p->record->supersedes; /* borrowed: never disposed here */
	fake.incomplete = adr__placeholder_find(&s->placeholders, p->record->body, NULL) != 0;
	if ((rc = proposal_page_name(&name, p->slug)) < 0)
		goto cleanup;
	fake.page = name.ptr;
	adr_buf_printf(&branch, "adr/%s", p->slug);
	adr_buf_printf(&title, "Proposal: %s", p->record->title[0] ? p->record->title : p->slug);
	if (adr_buf_oom(&branch) || adr_buf_oom(&title)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	mo.flags = ADR_MARKDOWN_SKIP_TITLE;
	mo.link = adr__site_link_cb;
	mo.payload = s;
	s->cur = &fake;
	if ((rc = adr__placeholder_strip(&s->placeholders, &body, p->record->body ? p->record->body : "")) < 0 ||
	    (rc = adr__markdown_render(&md, body.ptr, body.size, &mo)) < 0)
		goto cleanup;
	if (md.raw)
		adr__site_warn(s, "%s: too many '[' to render safely; shown as plain text", p->path);
	if (!(page = adr__site_record_value(s, &fake, md.html.ptr, md.raw)) || (rc = thread_mode(&mode, s, p->record)) < 0)
		goto oom_or_rc;
	if ((rc = adr_thread_read(&th, s->repo, branch.ptr)) < 0 &&
	    (rc = adr__site_partial(s, rc, "%s: discussion not shown", branch.ptr)) < 0)
		goto cleanup;
	if ((rc = thread_values(&th, page)) < 0)
		goto cleanup;
	adr__value_map_set_string(page, "id", "Proposal");
	adr__value_map_set_bool(page, "built", built);
	adr__value_map_set(page, "source_url", repo_link(s, p->tip, p->path));
	adr__value_map_set(page, "discuss_url", p->merged ? adr__value_string(NULL) : repo_link(s, branch.ptr, NULL));
	queue_facts(page, p, it, q, mode != ADR_HTML_THREAD_NONE);
	adr__value_map_set_string(page, "branch", branch.ptr);
	if ((rc = apply_discretion(page, p->record, mode)) < 0 ||
	    (rc = preview(s, page, title.ptr, name.ptr)) < 0 || (rc = adr__site_set_has_flags(page)) < 0)
		goto cleanup;
	adr_buf_clear(html);
	if ((rc = adr__site_render(s, html, tpl, page)) < 0 || (rc = adr__site_write_buf(s, name.ptr, html)) < 0)
		goto cleanup;
	queue_facts(item, p, it, q, false);
	adr__value_map_set_string(item, "href", name.ptr);
	adr__value_map_set_string(item, "branch", branch.ptr);
	adr__value_map_set_bool(item, "built", built);
	rc = adr__value_failed(item) ? adr__error_oom() : 0;
	goto cleanup;
oom_or_rc:
	if (rc == 0)
		rc = adr__error_oom();
cleanup:
	s->cur = NULL;
	adr__markdown_result_dispose(&md);
	adr_thread_dispose(&th);
	adr__value_free(page);
	adr_buf_dispose(&name);
	adr_buf_dispose(&body);
	adr_buf_dispose(&branch);
	adr_buf_dispose(&title);
	return rc;
}

/* Whether `rev` names a proposal's branch: "adr/x", "<remote>/adr/x" or
 * their full ref names. */
static bool names_proposal(const char *rev)
{
	const char *a;

	if (!rev)
		return false;
	if (strncmp(rev, "refs/heads/", 11) == 0)
		rev += 11;
	else if (strncmp(rev, "refs/remotes/", 13) == 0)
		rev += 13;
	if (strncmp(rev, "adr/", 4) == 0)
		return rev[4] && !strchr(rev + 4, '/');
	return (a = strchr(rev, '/')) && strncmp(a, "/adr/", 5) == 0 && a[5] && !strchr(a + 5, '/');
}

/* Whether the audience may see proposal `p` (a readable one). */
static bool proposal_visible(const site *s, const adr_proposal *p)
{
	return adr_html_visible(adr_html_record_visibility(p->record, s->def_vis), s->audience);
}

/*
 * The proposal of the branch the site is built from, into `bp` (1), or why
 * it is not shown, as a warning (0).
 */
static int built_proposal(site *s, adr_proposal *bp)
{
	int rc;

	if (!names_proposal(s->opts->rev))
		return 0;
	if ((rc = adr_proposal_find(bp, s->repo, s->opts->rev, true)) < 0)
		return adr__site_partial(s, rc, "built from '%s', whose proposal is not shown", s->opts->rev);
	if (!bp->record) {
		adr__site_warn(s, "built from '%s', whose proposal is not shown: %s", s->opts->rev,
			       bp->error ? bp->error : "its record cannot be read");
		return 0;
	}
	if (!proposal_visible(s, bp)) {
		adr__site_warn(s, "built from '%s', whose proposal is not shown: it is for the %s audience, "
			       "the site for the %s one", s->opts->rev,
			       adr_visibility_name(adr_html_record_visibility(bp->record, s->def_vis)),
			       adr_visibility_name(s->audience));
		return 0;
	}
	return 1;
}

static const adr_queue_item *queue_item(const adr_queue *q, const char *slug)
{
	for (size_t i = 0; i < q->count; i++)
		if (q->items[i].kind == ADR_QUEUE_PROPOSAL && q->items[i].slug && strcmp(q->items[i].slug, slug) == 0)
			return &q->items[i];
	return NULL;
}

/* The description of the index: how many decisions, how many open. */
static int site_description(site *s, size_t open)
{
	adr_value *sv = adr__value_map_get_mut(s->site, "site");
	adr_buf d = ADR_BUF_INIT;
	const char *title = s->opts->title ? s->opts->title : "Decision log";

	adr_buf_printf(&d, "%s: %zu decision%s", title, s->res->published, s->res->published == 1 ? "" : "s");
	if (open)
		adr_buf_printf(&d, ", %zu open for comment", open);
	adr_buf_putc(&d, '.');
	adr__value_map_set(sv, "description", adr_buf_oom(&d) ? NULL : adr__value_string(d.ptr));
	adr_buf_dispose(&d);
	return adr__value_failed(s->site) ? adr__error_oom() : 0;
}

int adr__site_proposals(site *s, adr_buf *html)
{
	adr_proposal_list pl = ADR_PROPOSAL_LIST_INIT;
	adr_proposal bp = ADR_PROPOSAL_INIT;
	adr_queue q = ADR_QUEUE_INIT;
	adr__mustache_template *tpl = NULL;
	adr_value *items = adr__value_list();
	const adr_proposal **show = NULL;
	size_t nshow = 0;
	bool built_in = false;
	int rc, have_built;

	if (!items)
		return ADR_ENOMEM;
	if ((rc = adr_proposal_list_all(&pl, s->repo)) < 0) {
		if ((rc = adr__site_partial(s, rc, "open proposals not shown")) < 0)
			goto cleanup;
		memset(&pl, 0, sizeof(pl));
	}
	if ((have_built = built_proposal(s, &bp)) < 0) {
		rc = have_built;
		goto cleanup;
	}
	if (!(show = adr__calloc(pl.count + 1, sizeof(*show)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < pl.count; i++) {
		if (!pl.items[i].record || !proposal_visible(s, &pl.items[i]))
			continue; /* (adr queue and adr check say what cannot be read) */
		if (have_built == 1 && strcmp(pl.items[i].slug, bp.slug) == 0) {
			show[nshow++] = &bp; /* the branch built, as it was read */
			built_in = true;
		} else {
			show[nshow++] = &pl.items[i];
		}
	}
	/* An open proposal is in the list (a decided one whose branch was
	 * kept is not): one that is not is no proposal any more. */
	if (have_built == 1 && !built_in)
		adr__site_warn(s, "built from '%s', whose proposal is not shown: it is not open (decided: see adr thread %s)",
			       s->opts->rev, bp.slug);
	/* The queue's facts (whose move, overdue), only when there is
	 * something to show them for: it reads every record again. */
	adr_today(q.today);
	if (nshow && (rc = adr_queue_build(&q, s->repo)) < 0) {
		if ((rc = adr__site_partial(s, rc, "the queue's facts about proposals not shown")) < 0)
			goto cleanup;
		memset(&q, 0, sizeof(q));
		adr_today(q.today);
	}
	if (nshow && (rc = adr__site_compile(s, &tpl, "proposal.mustache")) < 0)
		goto cleanup;
	for (size_t i = 0; i < nshow; i++) {
		adr_value *item = adr__value_map();
		if (!item || adr__value_list_append(items, item) < 0) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		if ((rc = proposal_page(s, tpl, html, show[i], queue_item(&q, show[i]->slug), &q,
					show[i] == &bp, item)) < 0)
			goto cleanup;
	}
	adr__value_map_set(adr__value_map_get_mut(s->site, "site"), "proposals", items);
	items = NULL;
	adr__value_map_set_bool(adr__value_map_get_mut(s->site, "site"), "has_proposals", nshow > 0);
	rc = site_description(s, nshow);
cleanup:
	adr__mustache_template_free(tpl);
	adr__value_free(items);
	free(show);
	adr_queue_dispose(&q);
	adr_proposal_dispose(&bp);
	adr_proposal_list_dispose(&pl);
	return rc;
}
