/*
 * adr/html.h: the static HTML decision log.
 *
 * adr_html_build() renders the records of one committed revision (never
 * the work tree) into a directory of static files: index.html (the log,
 * with filters and an offline search over search-index.js), one page per
 * record, one page per tag, feed.xml (Atom), style.css, site.js and the
 * local images the records show (media/).
 *
 * Audience: a record's visibility is its `visibility` field, else the
 * `.adr.yaml` default, else internal. The `internal` audience sees every
 * record, `partner` sees public and partner records, `public` only public
 * ones. Nothing of a record the audience may not see is written: no page,
 * no title, number or slug in links, supersede chains, tag pages, the feed
 * or the search index.
 *
 * Safety: only committed regular files are read (records, images,
 * templates a repository overrides); links that leave the repository are
 * left as text and reported. A record that cannot be read (an unknown
 * visibility, too many tags, ...) fails the build before anything is
 * written. Control characters and bytes that are not UTF-8 become U+FFFD in
 * pages and the feed.
 *
 * Output: the site is built in a new directory next to the output
 * directory (same parent) and swapped in whole when complete, so the
 * output directory always holds one complete site: a failed build leaves
 * the previous one as it was and removes its own; a killed one's directory
 * is removed by the next build. Files are created with openat(O_NOFOLLOW).
 * The output directory must be new, empty, or one written by adr html
 * before (it holds `.adr-site`, the list of its files); anything else is
 * refused. An output directory given as a symlink is followed.
 *
 * Rebuilds: a file of the new site whose bytes are those the previous
 * site holds under the same name (compared byte for byte, never trusted
 * from the manifest) is hard-linked from it instead of written again, so a
 * rebuild after a small change writes only the pages that changed. Only
 * the index page names the commit and the build date, so that the other
 * pages stay the same from one build to the next.
 *
 * Proposals: the index lists the open proposals the audience may see (a
 * proposal's visibility is read as a record's) under "Open for comment",
 * with the queue's facts (adr/queue.h), and each gets a page
 * `proposal-<slug>.html` with its text and thread. Built from a proposal's
 * branch (`rev` "adr/<slug>"), that proposal is shown as one, or a warning
 * says why not.
 *
 * History: when the repository's search index (adr/index.h) exists and
 * is at the published commit, the records' history facts are read from
 * it instead of walking the branch again; else the branch is walked.
 *
 * Ownership: the result's lists belong to the caller, who frees them with
 * adr_html_result_dispose(); the options are borrowed.
 */
#ifndef ADR_HTML_H
#define ADR_HTML_H

#include "adr/common.h"
#include "adr/record.h"
#include "adr/repo.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Discretion (`adr html --thread`, a record's `thread` field overrides it):
 * FULL shows every comment, vote and name, and the implementing commits'
 * ids; VOTES keeps who voted what and when, without the comments' text,
 * and leaves out commit ids; NONE leaves out the discussion, the names in
 * the history of people the record does not name (owner, decision-makers,
 * consulted, informed) and commit ids. DEFAULT: FULL for the internal and
 * partner audiences, NONE for the public one.
 */
typedef enum {
	ADR_HTML_THREAD_DEFAULT = 0,
	ADR_HTML_THREAD_NONE,
	ADR_HTML_THREAD_VOTES,
	ADR_HTML_THREAD_FULL
} adr_html_thread;

typedef struct {
	unsigned int version;
	const char *output_dir;     /* required; created when missing (not its parents) */
	const char *rev;            /* NULL: the decision branch tip */
	adr_visibility audience;    /* NONE: internal (everything) */
	const char *title;          /* NULL: "Decision log" */
	const char *base_url;       /* NULL, or an http(s) URL the site will be served at */
	const char *templates_dir;  /* NULL, or a directory whose files override the templates */
	adr_progress_fn progress;   /* NULL, or called for each page written ("pages") */
	void *progress_payload;
	adr_html_thread thread;     /* how much of a discussion to publish; NONE: by audience (below) */
	const char *repo_url;       /* NULL, or the repository's web address: "View source", "Discuss" */
} adr_html_opts;

#define ADR_HTML_OPTS_VERSION 1
#define ADR_HTML_OPTS_INIT { ADR_HTML_OPTS_VERSION, NULL, NULL, ADR_VISIBILITY_NONE, NULL, NULL, NULL, NULL, NULL, \
				    ADR_HTML_THREAD_DEFAULT, NULL }

typedef struct {
	char commit[41];        /* the commit the site was built from */
	size_t published;       /* records with a page */
	size_t hidden;          /* records left out for the audience */
	size_t files;           /* files written */
	adr_strlist warnings;   /* `path: what` for links and images left out, unreadable records */
	size_t kept;            /* of the files, those the previous site in the directory already had */
} adr_html_result;

#define ADR_HTML_RESULT_INIT { "", 0, 0, 0, ADR_STRLIST_INIT, 0 }

int adr_html_build(adr_html_result *out, adr_repo *repo, const adr_html_opts *opts);
void adr_html_result_dispose(adr_html_result *r);

/* The visibility a record has for publishing: its own, else `def`, else internal. */
adr_visibility adr_html_record_visibility(const adr_record *r, adr_visibility def);
/* True when a record of visibility `v` may be shown to `audience`. */
bool adr_html_visible(adr_visibility v, adr_visibility audience);

/*
 * Normalizes a relative link `url` (no scheme, not starting with '/' or
 * '#') found in a file of directory `base_dir` (repository-relative, no
 * trailing '/') into a repository-relative path in `out`, dropping any
 * "?query" and putting "#fragment" in `frag` (may be NULL). ADR_EINVALID
 * when the path leaves the repository or is not a relative path.
 */
int adr_html_resolve_link(adr_buf *out, adr_buf *frag, const char *base_dir, const char *url);

#ifdef __cplusplus
}
#endif
#endif
