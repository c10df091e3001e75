/*
 * site/site_internal.h: the state of one `adr html` build, shared by the
 * files of lib/site/ (the public side is adr/html.h).
 *
 * A build (site/html.c) reads the records of one commit, plans page names,
 * graphs and tags (site/plan.c), opens a new output directory
 * (site/output.c), builds the values the templates see (site/model.c,
 * site/timeline.c), rewrites the links and images inside record bodies
 * (site/rewrite.c), renders every page with the Mustache templates
 * (site/templates.c, site/pages.c), and swaps the new directory in.
 *
 * Ownership: everything in `site` belongs to the build and is freed by
 * adr_html_build(); the records are borrowed from `set`.
 */
#ifndef ADR_SITE_INTERNAL_H
#define ADR_SITE_INTERNAL_H

#include <stdbool.h>
#include <sys/types.h>

#include "adr/history.h"
#include "adr/html.h"
#include "adr/links.h"
#include "adr/revisit.h"
#include "text/mustache.h"
#include "text/value.h"
#include "text/markdown.h"
#include "log/index_site.h"
#include "log/thread_cache.h"
#include "record/placeholder.h"
#include "site/linker.h"
#include "site/pagecache.h"

#define MANIFEST ".adr-site"
#define HIDDEN_TEXT "a record not published for this audience"

typedef struct {
	adr_record *r;
	bool visible;
	char id[16];          /* "0007" */
	char *page;           /* "0007-use-postgres.html" (written for visible records only) */
	adr_intlist supersedes;     /* both directions merged */
	adr_intlist superseded_by;
	adr_intlist linked_from;
	bool incomplete;      /* holds placeholder text, or accepted with no decision text */
} site_rec;

typedef struct {
	const char *name;     /* borrowed from a record */
	size_t rec;
} tag_pair;

typedef struct {
	const char *name;
	char *page;
	size_t first, count;  /* range in the sorted pairs */
} site_tag;

typedef struct {
	char *name;
	adr_buf src;
} tpl_src;

typedef struct {
	adr_repo *repo;
	const adr_html_opts *opts;
	adr_html_result *res;
	adr_visibility audience;
	adr_visibility def_vis;
	adr_recordset set;
	site_rec *recs;
	tag_pair *pairs;
	size_t npairs;
	site_tag *tags;
	size_t ntags;
	int parentfd;               /* the directory that holds the site */
	char *parent, *base;        /* its path, and the site's name in it */
	bool target_exists;         /* a previous site (or an empty directory) to replace */
	mode_t target_mode;
	char tmp_prefix[48];        /* ".adr-html-<hash>-" */
	char tmp_name[96];          /* the new site's directory until it is swapped in */
	int outfd, mediafd;         /* the new site's directory, its media/ */
	int oldfd, oldmediafd;      /* the previous site and its media/, or -1 */
	adr_buf old;                /* a file of the previous site, to compare */
	adr_strlist written;
	tpl_src *srcs;              /* templates and assets read so far */
	size_t nsrcs, asrcs;
	adr_value *site;            /* {site: {...}}: the bottom context of every page */
	const site_rec *cur;        /* record being rendered */
	adr_strlist media;          /* media names written */
	adr_history *history;       /* one walk over the branch, or NULL */
	adr__site_history ihist;    /* or the same facts from the index (history NULL) */
	adr_commit_links links;     /* commits that implement records, sorted by record */
	adr__thread_cache *threads; /* decided proposals' threads kept from earlier builds, or NULL */
	adr__placeholders placeholders; /* of the repository's templates: left out of pages */
	adr_reviews reviews;        /* the reviews of decisions (adr revisit), newest first */
	bool warning_lost;          /* a warning could not be kept (out of memory) */
	adr__pagecache *pc;         /* what the last build of the target made its files from, or NULL */
	bool pc_valid;              /* its record pages were made with the templates and site-wide values of now */
	bool pc_render;             /* a record page is being rendered: note its templates and site-wide names */
	uint64_t pc_env;            /* the environment of this build's record pages (site/pagecache.h) */
	adr_buf pc_calls;           /* the link calls of the record page being made */
	adr_buf pc_results;         /* and what the site said to each */
	bool verify;                /* $ADR_SITE_VERIFY: render kept record pages anyway and compare */
	int old_errno;              /* why the last file written could not be compared with the old one, or 0 */
	bool pc_lost;               /* a name could not be noted (out of memory): the cache is not saved */
	adr__linker *linker;        /* the thread that links kept files into the new site (site/linker.h), or NULL */
	bool linker_failed;         /* it could not be started: links are made on this thread */
	struct site_remover *remover; /* the thread removing the previous site, or NULL */
	struct site_remover *trash;   /* the thread emptying the trash of earlier builds, or NULL */
} site;

/* site/html.c: small shared helpers. */
/* Adds a warning to the result; when memory runs out, warning_lost says so
 * (the build then fails before the site is swapped in). */
void adr__site_warn(site *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/*
 * After `rc` (< 0, its message set) from reading a part of what the site
 * shows (history, threads, proposals, an image): 0 and the warning "<what>:
 * <message>" when the site may go on without that part, else `rc`. Out of
 * memory never goes on, nor a failed read of the repository (ADR_EGIT,
 * ADR_EOS: an I/O error, a corrupt object), but in a shallow clone, whose
 * history stops short by design: a site without a part that is there
 * would be published as if it were whole.
 */
int adr__site_partial(site *s, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The first record numbered `number`, or NULL. */
site_rec *adr__site_find_rec(site *s, int number);
/* The record's status name, "unknown" when it has none. */
const char *adr__site_status(const adr_record *r);

/* The history facts of `path`, from the index or the walk; NULL when unknown. */
const adr_history_entry *adr__site_history_of(const site *s, const char *path);

/* site/plan.c: page names, supersede and link graphs, tags. */
int adr__site_plan(site *s);

/* site/output.c: the new site directory, written files, the swap. */
int adr__site_open_output(site *s);
/* Writes `name` ("x.html" or "media/x.png"); markup is cleaned first. */
int adr__site_write_buf(site *s, const char *name, const adr_buf *b);
/* The same for a record page, with what it was made from (`meta`). */
int adr__site_write_page(site *s, const char *name, const adr_buf *b, const adr__page_entry *meta);
/* Links the previous site's file `old`, which the caller found still as
 * the page cache says (adr__pagecache_file_ok), into the new one: 1 when
 * it did, 0 when it must be made, or < 0. */
int adr__site_keep(site *s, const adr__page_entry *old);
/* Waits for the previous site to be removed (after the build is freed);
 * a warning in `res` when it could not be. */
void adr__site_remover_join(struct site_remover *r, adr_html_result *res);
/* Starts emptying the trash of earlier builds (site/output.c), which
 * adr__site_open_output() waits for: the previous site's files are then
 * its own again (a kept file must have one name only). */
void adr__site_trash_start(site *s);
/* Waits for the kept files to be in the new site: 0, or the error of the
 * first that could be neither linked nor copied. */
int adr__site_links_done(site *s);
/* The same when the build has failed (its error stays the one set). */
void adr__site_links_drop(site *s);
/* The error for a file the page cache would have kept though its bytes
 * would differ ($ADR_SITE_VERIFY). */
int adr__site_stale(const char *name);
/* Writes the manifest and swaps the new site in place of the old. */
int adr__site_finish_output(site *s);
/* Removes directory `name` in `dfd` and all it holds; -1 with errno. */
int adr__site_remove_dir(int dfd, const char *name);

/* site/templates.c: finding, compiling and rendering templates. */
int adr__site_load_required(site *s, const adr_buf **out, const char *name);
int adr__site_compile(site *s, adr__mustache_template **out, const char *name);
int adr__site_render(site *s, adr_buf *out, adr__mustache_template *t, const adr_value *page);
/* The hash of the templates `tpl` and site-wide `names` as they are now. */
int adr__site_env(site *s, const adr_strlist *tpl, const adr_strlist *names, uint64_t *env);

/* site/model.c: the values the templates see. NULL when memory runs out. */
adr_value *adr__site_row_value(site *s, const site_rec *sr, bool with_tags);
/* The page of one record (its history is added by site/timeline.c). */
adr_value *adr__site_record_value(site *s, const site_rec *sr, const char *body_html, bool raw);
/* {site: {...}} into s->site. */
int adr__site_build_value(site *s);
/* `has_<key>: true` for every non-empty list in `page`. */
int adr__site_set_has_flags(adr_value *page);

/* site/timeline.c: history, thread and commits of one record into `page`. */
int adr__site_record_history(site *s, adr_value *page, const site_rec *sr);
/* When a superseded or deprecated record stopped being in force (0 when
 * unknown or still in force), and who did it (*author, NULL when unknown). */
long long adr__site_ended_time(site *s, const site_rec *sr, const char **author);

/* site/rewrite.c: the adr__markdown_opts link callback (payload: the site). */
int adr__site_link_cb(adr_buf *out, const char *url, bool image, void *payload);
/* The record page's `toc` (id, text, sub) from the body's <h2> and <h3>
 * headings; none for a body with fewer than three. */
int adr__site_toc(adr_value *page, const adr__markdown_result *md);

/* site/proposals.c: discretion, provenance and link previews of a record's
 * page; "Open for comment" (site.proposals) and the proposals' pages. */
int adr__site_page_extras(site *s, adr_value *page, const site_rec *sr);
/* Its link preview (description, og_*), from its rendered body: after it. */
int adr__site_page_preview(site *s, adr_value *page, const site_rec *sr);
int adr__site_proposals(site *s, adr_buf *html);

/* site/nav.c: order, month groups, neighbours and short links. */
/* The visible ones of `recs` (n indexes into s->recs; all of them when
 * NULL), newest first or by number, into a new array *out (the caller
 * frees it); returns how many, or ADR_ENOMEM. */
int adr__site_nav_order(site *s, const size_t *recs, size_t n, size_t **out, bool by_number);
/* A log row's month group (a new one unless `before`, the row above, is
 * of the same month), its strike-through and its visible successors. */
int adr__site_nav_row(site *s, const site_rec *sr, adr_value *row, const site_rec *before);
/* `prev` and `next` of a record page (either may be NULL). */
int adr__site_nav_record(adr_value *page, const site_rec *prev, const site_rec *next);
/* NNNN.html for every visible record: a page that leads to its page. */
int adr__site_nav_short_links(site *s);

/* site/pages.c: renders and writes every page and asset. */
int adr__site_build(site *s);

#endif
