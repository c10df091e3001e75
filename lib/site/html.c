/*
 * site/html.c: the static HTML decision log (see adr/html.h): the public
 * entry points, and adr_html_build(), which runs one build.
 *
 * Shape of a build: read the records of one commit, decide who is visible,
 * work out page names, supersede and link graphs and tags (site/plan.c),
 * then render every page with the Mustache templates (site/pages.c) and
 * write it into a new directory that replaces the output directory whole
 * at the end (site/output.c). site/site_internal.h has the build's state.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "site/site_internal.h"
#include "util/alloc.h"
#include "util/error.h"
#include "text/value.h"

adr_visibility adr_html_record_visibility(const adr_record *r, adr_visibility def)
{
	if (r->visibility != ADR_VISIBILITY_NONE)
		return r->visibility;
	if (def != ADR_VISIBILITY_NONE)
		return def;
	return ADR_VISIBILITY_INTERNAL;
}

static int vis_rank(adr_visibility v)
{
	switch (v) {
	case ADR_VISIBILITY_PUBLIC: return 1;
	case ADR_VISIBILITY_PARTNER: return 2;
	default: return 3;
	}
}

bool adr_html_visible(adr_visibility v, adr_visibility audience)
{
	if (audience == ADR_VISIBILITY_NONE)
		audience = ADR_VISIBILITY_INTERNAL;
	if (v == ADR_VISIBILITY_NONE)
		v = ADR_VISIBILITY_INTERNAL;
	return vis_rank(v) <= vis_rank(audience);
}

int adr_html_resolve_link(adr_buf *out, adr_buf *frag, const char *base_dir, const char *url)
{
	adr_strlist segs = ADR_STRLIST_INIT;
	const char *end, *hash, *p;
	int rc = 0;

	if (!*url || *url == '/' || *url == '\\' || *url == '#')
		return adr__error(ADR_EINVALID, "'%s' is not a relative path", url);
	for (p = url; *p && *p != '/' && *p != '?' && *p != '#'; p++)
		if (*p == ':')
			return adr__error(ADR_EINVALID, "'%s' is not a relative path", url);
	hash = strchr(url, '#');
	end = hash ? hash : url + strlen(url);
	for (p = url; p < end; p++)
		if (*p == '?') {
			end = p;
			break;
		}
	if (frag) {
		adr_buf_clear(frag);
		if (hash)
			adr_buf_puts(frag, hash + 1);
	}
	/* base_dir segments, then the link's, folding "." and "..". */
	for (int pass = 0; pass < 2; pass++) {
		const char *s = pass == 0 ? base_dir : url;
		const char *e = pass == 0 ? base_dir + strlen(base_dir) : end;
		while (s < e) {
			const char *q = s;
			size_t n;
			while (q < e && *q != '/' && *q != '\\')
				q++;
			n = (size_t)(q - s);
			if (n == 0 || (n == 1 && s[0] == '.')) {
				/* nothing */
			} else if (n == 2 && s[0] == '.' && s[1] == '.') {
				if (segs.count == 0) {
					rc = adr__error(ADR_EINVALID, "'%s' leaves the repository", url);
					goto cleanup;
				}
				free(segs.items[--segs.count]);
			} else if ((rc = adr_strlist_addn(&segs, s, n)) < 0) {
				goto cleanup;
			}
			s = q < e ? q + 1 : q;
		}
	}
	if (segs.count == 0) {
		rc = adr__error(ADR_EINVALID, "'%s' names no file", url);
		goto cleanup;
	}
	adr_buf_clear(out);
	for (size_t i = 0; i < segs.count; i++) {
		if (i)
			adr_buf_putc(out, '/');
		adr_buf_puts(out, segs.items[i]);
	}
	if (adr_buf_oom(out) || (frag && adr_buf_oom(frag)))
		rc = ADR_ENOMEM;
cleanup:
	adr_strlist_dispose(&segs);
	return rc;
}

void adr_html_result_dispose(adr_html_result *r)
{
	if (!r)
		return;
	adr_strlist_dispose(&r->warnings);
	r->commit[0] = '\0';
	r->published = r->hidden = r->files = r->kept = 0;
}

void adr__site_warn(site *s, const char *fmt, ...)
{
	adr_buf b = ADR_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	adr_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (adr_buf_oom(&b) || adr_strlist_add(&s->res->warnings, b.ptr) < 0)
		s->warning_lost = true;
	adr_buf_dispose(&b);
}

int adr__site_stale(const char *name)
{
	return adr__error(ADR_ERROR, "internal error: the page cache would have kept '%s' though it is no longer "
			  "what the site makes of its inputs (ADR_SITE_VERIFY); please report it", name);
}

/* Whether the repository is a shallow clone (its commondir holds "shallow"). */
static bool is_shallow(const site *s)
{
	adr_buf p = ADR_BUF_INIT;
	struct stat st;
	bool shallow;

	adr_buf_printf(&p, "%sshallow", adr_repo_commondir(s->repo));
	shallow = !adr_buf_oom(&p) && stat(p.ptr, &st) == 0;
	adr_buf_dispose(&p);
	return shallow;
}

int adr__site_partial(site *s, int rc, const char *fmt, ...)
{
	adr_buf what = ADR_BUF_INIT;
	va_list ap;

	if (rc == ADR_ENOMEM || ((rc == ADR_EGIT || rc == ADR_EOS) && !is_shallow(s)))
		return rc;
	va_start(ap, fmt);
	adr_buf_vprintf(&what, fmt, ap);
	va_end(ap);
	adr__site_warn(s, "%s: %s", what.ptr, adr_error_last());
	adr_buf_dispose(&what);
	adr_error_clear();
	return 0;
}

site_rec *adr__site_find_rec(site *s, int number)
{
	size_t lo = 0, hi = s->set.count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int n = s->set.items[mid]->number;
		if (n == number) {
			/* the first of equal numbers */
			while (mid > 0 && s->set.items[mid - 1]->number == number)
				mid--;
			return &s->recs[mid];
		}
		if (n < number)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const adr_history_entry *adr__site_history_of(const site *s, const char *path)
{
	if (s->history)
		return adr_history_get(s->history, path);
	return adr__site_history_get(&s->ihist, path);
}

const char *adr__site_status(const adr_record *r)
{
	if (r->status != ADR_STATUS_NONE)
		return adr_status_name(r->status);
	return "unknown";
}

static bool safe_base_url(const char *u)
{
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return false;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= ' ' || *p == '"' || *p == '<' || *p == '>' || *p == '\\' || *p == '`' || *p == 0x7f)
			return false;
	return true;
}

static int cmp_number(const void *a, const void *b)
{
	const adr_record *x = *(adr_record *const *)a, *y = *(adr_record *const *)b;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	return strcmp(x->path, y->path);
}

static int cmp_link(const void *a, const void *b)
{
	const adr_commit_link *x = a, *y = b;

	if (x->record != y->record)
		return x->record < y->record ? -1 : 1;
	return x->time > y->time ? -1 : x->time < y->time; /* newest first */
}

/*
 * For the internal audience (it may see every record, so an unknown
 * visibility hides nothing from it): each record that could not be read
 * becomes a stand-in record, a row and a page that say so and why, so the
 * log is published whole and the problem is in plain sight. Each error is
 * also a warning of the build.
 */
static int add_unreadable(site *s)
{
	adr_buf body = ADR_BUF_INIT;
	int rc = 0;

	for (size_t i = 0; i < s->set.nunreadable && rc == 0; i++) {
		const adr_unreadable *u = &s->set.unreadable[i];
		const char *name = strrchr(u->path, '/') ? strrchr(u->path, '/') + 1 : u->path;
		adr_record *r = NULL;

		adr__site_warn(s, "%s", u->error);
		if (u->number < 0)
			continue;
		adr_buf_clear(&body);
		adr_buf_printf(&body, "%s: could not be read", name);
		if (adr_buf_oom(&body) || (rc = adr_record_new(&r)) < 0 || (rc = adr_record_set_title(r, body.ptr)) < 0) {
			adr_record_free(r);
			rc = ADR_ENOMEM;
			break;
		}
		adr_buf_clear(&body);
		/* an indented code block: the message is shown as it is, never read as Markdown */
		adr_buf_printf(&body, "\nThis record could not be read, so only its file name and the reason are "
			       "shown. `adr check` lists every problem.\n\n    ");
		for (const char *p = u->error; *p; p++)
			adr_buf_putc(&body, *p == '\n' || *p == '\r' ? ' ' : *p);
		adr_buf_putc(&body, '\n');
		if (adr_buf_oom(&body)) {
			adr_record_free(r);
			rc = ADR_ENOMEM;
			break;
		}
		r->number = u->number;
		r->visibility = ADR_VISIBILITY_INTERNAL;
		r->status_word = adr__strdup("unreadable");
		r->path = adr__strdup(u->path);
		r->slug = adr__strdup(u->slug ? u->slug : "unreadable");
		free(r->body);
		r->body = adr_buf_detach(&body);
		if (!r->status_word || !r->path || !r->slug || !r->body || adr_recordset_add(&s->set, r) < 0) {
			adr_record_free(r);
			rc = ADR_ENOMEM;
		}
	}
	adr_buf_dispose(&body);
	if (rc == 0)
		qsort(s->set.items, s->set.count, sizeof(*s->set.items), cmp_number);
	return rc;
}

/* The records of the revision to publish; none of them may be unreadable
 * (but for the internal audience: add_unreadable). */
static int read_records(site *s)
{
	adr_html_result *out = s->res;
	int rc;

	if ((rc = adr_repo_records(&s->set, s->repo, s->opts->rev, ADR_PARSE_LENIENT)) < 0)
		return rc;
	if (!s->set.commit[0])
		return adr__error(ADR_ENOTFOUND, "the decision branch has no commit yet");
	memcpy(out->commit, s->set.commit, sizeof(out->commit));
	/* F05: a record that cannot be read has no known visibility (and an
	 * unknown visibility is itself such an error): publishing the rest
	 * would hide the problem, so the build stops before writing anything
	 * and the previous site stays as it was. */
	if (s->set.errors.count && s->audience == ADR_VISIBILITY_INTERNAL)
		return add_unreadable(s);
	if (s->set.errors.count) {
		for (size_t e = 1; e < s->set.errors.count; e++)
			adr_strlist_add(&out->warnings, s->set.errors.items[e]);
		return adr__error(ADR_EINVALID, "%s; nothing published (adr check lists every problem)",
				  s->set.errors.items[0]);
	}
	/* A record that is not a regular file (a symlink) is skipped, and said. */
	for (size_t e = 0; e < s->set.skipped.count; e++)
		adr_strlist_add(&out->warnings, s->set.skipped.items[e]);
	/* Records kept as folders are not on the site until imported: said once. */
	if (s->set.folders.count) {
		adr_buf w = ADR_BUF_INIT;
		if (adr_folders_warning(&w, &s->set.folders) == 0)
			adr_strlist_add(&out->warnings, w.ptr);
		adr_buf_dispose(&w);
	}
	return 0;
}

/*
 * The walk over the branch and the implementing commits. History is an
 * extra: a repository whose history cannot be walked still gets its site,
 * with timelines from the records' own fields.
 */
static int read_history(site *s)
{
	int rc;

	/* The index, when it is there and at this very commit, already has
	 * what a walk would find: the same facts, without walking again. */
	if ((rc = adr__site_history_load(&s->ihist, s->repo, s->set.commit)) == ADR_ENOMEM)
		return rc;
	s->threads = adr__thread_cache_open(s->repo);
	if (rc == 0)
		goto links;
	if ((rc = adr_history_new(&s->history)) < 0 ||
	    (rc = adr_history_walk(s->history, s->repo, s->set.commit, NULL, NULL, NULL)) < 0) {
		if ((rc = adr__site_partial(s, rc, "history not shown")) < 0)
			return rc;
		adr_history_free(s->history);
	adr__site_history_dispose(&s->ihist);
		s->history = NULL;
	}
links:
	if ((rc = adr_links_walk_rev(&s->links, s->repo, s->opts->rev)) < 0) {
		if ((rc = adr__site_partial(s, rc, "implementing commits not shown")) < 0)
			return rc;
		adr_commit_links_dispose(&s->links);
	}
	/* A reference no record can claim (adr/links.h) is shown nowhere: said. */
	for (size_t i = 0; i < s->links.nproblems; i++)
		adr__site_warn(s, "%s", s->links.problems[i].message);
	if (s->links.count)
		qsort(s->links.items, s->links.count, sizeof(*s->links.items), cmp_link);
	if ((rc = adr_reviews_read(&s->reviews, s->repo, s->set.commit)) < 0 &&
	    (rc = adr__site_partial(s, rc, "reviews not shown")) < 0)
		return rc;
	return 0;
}

static void site_dispose(site *s)
{
	if (s->recs) {
		for (size_t i = 0; i < s->set.count; i++) {
			free(s->recs[i].page);
			adr_intlist_dispose(&s->recs[i].supersedes);
			adr_intlist_dispose(&s->recs[i].superseded_by);
			adr_intlist_dispose(&s->recs[i].linked_from);
		}
		free(s->recs);
	}
	for (size_t i = 0; i < s->ntags; i++)
		free(s->tags[i].page);
	free(s->tags);
	free(s->pairs);
	for (size_t i = 0; i < s->nsrcs; i++) {
		free(s->srcs[i].name);
		adr_buf_dispose(&s->srcs[i].src);
	}
	free(s->srcs);
	adr__value_free(s->site);
	adr_history_free(s->history);
	adr__site_history_dispose(&s->ihist);
	adr_commit_links_dispose(&s->links);
	adr_reviews_dispose(&s->reviews);
	adr__thread_cache_close(s->threads);
	adr__site_links_drop(s); /* a build that failed: its links are not wanted */
	adr__pagecache_free(s->pc);
	adr_buf_dispose(&s->pc_calls);
	adr_buf_dispose(&s->pc_results);
	adr_strlist_dispose(&s->written);
	adr_strlist_dispose(&s->media);
	adr_recordset_dispose(&s->set);
	adr__placeholders_dispose(&s->placeholders);
	if (s->mediafd >= 0)
		close(s->mediafd);
	if (s->oldmediafd >= 0)
		close(s->oldmediafd);
	if (s->oldfd >= 0)
		close(s->oldfd);
	adr_buf_dispose(&s->old);
	if (s->outfd >= 0)
		close(s->outfd);
	/* A build that did not finish leaves nothing behind (one that finished
	 * moved tmp_name into place and cleared it: rc == 0 never gets here
	 * with tmp_name set). What cannot be removed, clean_stale removes on
	 * the next build; the build's own error is the one to report. */
	if (s->parentfd >= 0 && s->tmp_name[0])
		(void)adr__site_remove_dir(s->parentfd, s->tmp_name);
	if (s->parentfd >= 0)
		close(s->parentfd);
	free(s->parent);
	free(s->base);
}

int adr_html_build(adr_html_result *out, adr_repo *repo, const adr_html_opts *opts)
{
	struct site_remover *remover;
	site s;
	int rc;

	memset(&s, 0, sizeof(s));
	s.outfd = s.mediafd = s.oldfd = s.oldmediafd = s.parentfd = -1;
	s.old = s.pc_calls = s.pc_results = (adr_buf)ADR_BUF_INIT;
	s.verify = getenv("ADR_SITE_VERIFY") && strcmp(getenv("ADR_SITE_VERIFY"), "1") == 0;
	if (!opts || opts->version != ADR_HTML_OPTS_VERSION)
		return adr__error(ADR_EUSAGE, "html options: unknown version");
	if (!opts->output_dir || !*opts->output_dir)
		return adr__error(ADR_EUSAGE, "no output directory given");
	if (opts->base_url && !safe_base_url(opts->base_url))
		return adr__error(ADR_EUSAGE, "base URL '%s' is not an http or https URL", opts->base_url);
	if (opts->repo_url && !safe_base_url(opts->repo_url))
		return adr__error(ADR_EUSAGE, "repository URL '%s' is not an http or https URL", opts->repo_url);
	s.repo = repo;
	s.opts = opts;
	s.res = out;
	s.audience = opts->audience == ADR_VISIBILITY_NONE ? ADR_VISIBILITY_INTERNAL : opts->audience;
	s.def_vis = adr_repo_default_visibility(repo);
	s.set = (adr_recordset)ADR_RECORDSET_INIT;
	s.written = (adr_strlist)ADR_STRLIST_INIT;
	s.media = (adr_strlist)ADR_STRLIST_INIT;

	adr__site_trash_start(&s);
	if ((rc = read_records(&s)) == 0 && (rc = read_history(&s)) == 0 && (rc = adr__site_plan(&s)) == 0 &&
	    (rc = adr__site_open_output(&s)) == 0)
		rc = adr__site_build(&s);
	remover = s.remover;
	adr__site_remover_join(s.trash, out); /* a build that failed before it waited */
	s.trash = NULL;
	site_dispose(&s);
	adr__site_remover_join(remover, out);
	return rc;
}
