/*
 * test_html.c: the static HTML site (lib/site/): pages, links, audiences,
 * escaping against script payloads, and the file-system safety rules.
 *
 * Every test builds its own repository with the git command line in a fresh
 * mkdtemp directory and removes it afterwards.
 */
#include <criterion/criterion.h>
#include <git2.h>

#include <dirent.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "adr/html.h"
#include "text/json.h"
#include "adr/repo.h"
#include "text/value.h"

#define ROOT_MAX 512
#define PATH_BUF (ROOT_MAX + 256)
static char root[ROOT_MAX];
static char repo_dir[ROOT_MAX + 8];
static char out_dir[ROOT_MAX + 8];
static adr_repo *repo;
static adr_html_result res = ADR_HTML_RESULT_INIT;

static int run_rc(const char *fmt, ...)
{
	char cmd[8192], full[8192 + ROOT_MAX + 32];
	va_list ap;
	int st;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	snprintf(full, sizeof(full), "cd '%s' && { %s ; }", repo_dir, cmd);
	st = system(full);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

#define run(...) cr_assert_eq(run_rc(__VA_ARGS__), 0, "command failed: %s", #__VA_ARGS__)

static void write_at(const char *dir, const char *rel, const char *content)
{
	char path[PATH_BUF + 1024];
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *s = path + strlen(dir) + 1; *s; s++) {
		if (*s == '/') {
			*s = '\0';
			mkdir(path, 0777);
			*s = '/';
		}
	}
	f = fopen(path, "wb");
	cr_assert_not_null(f, "cannot write %s", path);
	fputs(content, f);
	fclose(f);
}

static void write_file(const char *rel, const char *content)
{
	write_at(repo_dir, rel, content);
}

/* Reads a file of the output directory; NULL when it does not exist. */
static char *read_out(const char *rel)
{
	char path[PATH_BUF + 1024], chunk[4096];
	adr_buf b = ADR_BUF_INIT;
	size_t n;
	FILE *f;
	snprintf(path, sizeof(path), "%s/%s", out_dir, rel);
	if (!(f = fopen(path, "rb")))
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		adr_buf_put(&b, chunk, n);
	fclose(f);
	return adr_buf_detach(&b);
}

static bool out_exists(const char *rel)
{
	char path[PATH_BUF + 1024];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", out_dir, rel);
	return lstat(path, &st) == 0;
}

static void setup(void)
{
	char home[PATH_BUF], real[PATH_MAX];
	const char *tmp = getenv("TMPDIR");

	snprintf(root, sizeof(root), "%s/adr-html-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(root));
	cr_assert_not_null(realpath(root, real));
	cr_assert_lt(strlen(real), sizeof(root) - 64);
	memcpy(root, real, strlen(real) + 1);
	snprintf(home, sizeof(home), "%s/home", root);
	cr_assert_eq(mkdir(home, 0700), 0);
	snprintf(repo_dir, sizeof(repo_dir), "%s/repo", root);
	snprintf(out_dir, sizeof(out_dir), "%s/site", root);
	setenv("HOME", home, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	setenv("GIT_AUTHOR_NAME", "A U Thor", 1);
	setenv("GIT_AUTHOR_EMAIL", "author@example.com", 1);
	setenv("GIT_COMMITTER_NAME", "C O Mitter", 1);
	setenv("GIT_COMMITTER_EMAIL", "committer@example.com", 1);
	setenv("GIT_AUTHOR_DATE", "2026-11-20T10:00:00Z", 1);
	setenv("GIT_COMMITTER_DATE", "2026-11-20T10:00:00Z", 1);
	setenv("ADR_NOW", "2026-11-21", 1);
	setenv("ADR_TEMPLATES_DIR", ADR_TEST_SOURCE_DIR "/templates", 1);
	cr_assert_eq(mkdir(repo_dir, 0777), 0);
	cr_assert_geq(git_libgit2_init(), 1);
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_GLOBAL, home), 0);
	snprintf(home, sizeof(home), "%s/no-system-config", root);
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_SYSTEM, home), 0);
	cr_assert_eq(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, GIT_CONFIG_LEVEL_XDG, home), 0);
	run("git init -q -b main .");
}

static void teardown(void)
{
	char cmd[3 * PATH_BUF];
	adr_html_result_dispose(&res);
	adr_repo_free(repo);
	repo = NULL;
	if (root[0]) {
		snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s' 2>/dev/null; rm -rf '%s'", root, root);
		if (system(cmd) != 0)
			fprintf(stderr, "cannot remove %s\n", root);
	}
}

TestSuite(html, .init = setup, .fini = teardown, .timeout = 60);

static void commit_all(void)
{
	run("git add -A && git commit -q -m records");
	adr_repo_free(repo);
	repo = NULL;
	cr_assert_eq(adr_repo_open(&repo, repo_dir), 0, "%s", adr_error_last());
}

static int build(adr_visibility audience)
{
	adr_html_opts o = ADR_HTML_OPTS_INIT;
	o.output_dir = out_dir;
	o.audience = audience;
	adr_html_result_dispose(&res);
	return adr_html_build(&res, repo, &o);
}

static void build_ok(adr_visibility audience)
{
	int rc = build(audience);
	cr_assert_eq(rc, 0, "build: %d %s", rc, adr_error_last());
}

#define has(hay, needle) cr_assert_not_null(strstr((hay), (needle)), "'%s' not found", (needle))
#define hasnt(hay, needle) cr_assert_null(strstr((hay), (needle)), "'%s' found", (needle))

/* Calls fn(name, content) for every file of the output directory. */
static void each_output_file(void (*fn)(const char *name, const char *content, void *p), void *p)
{
	const char *dirs[] = { "", "media/" };
	for (size_t k = 0; k < 2; k++) {
		char path[PATH_BUF + 16];
		DIR *d;
		struct dirent *de;
		snprintf(path, sizeof(path), "%s/%s", out_dir, dirs[k]);
		if (!(d = opendir(path)))
			continue;
		while ((de = readdir(d)) != NULL) {
			char rel[PATH_BUF + 300];
			char *content;
			if (de->d_name[0] == '.' && (de->d_name[1] == '\0' || strcmp(de->d_name, "..") == 0))
				continue;
			if (strcmp(de->d_name, "media") == 0 && k == 0)
				continue;
			snprintf(rel, sizeof(rel), "%s%s", dirs[k], de->d_name);
			content = read_out(rel);
			cr_assert_not_null(content, "%s", rel);
			fn(rel, content, p);
			free(content);
		}
		closedir(d);
	}
}

/* --- pure functions ------------------------------------------------------- */

Test(html, resolve_link)
{
	adr_buf out = ADR_BUF_INIT, frag = ADR_BUF_INIT;
	cr_assert_eq(adr_html_resolve_link(&out, &frag, "docs/decisions", "0002-x.md#Decision"), 0);
	cr_assert_str_eq(out.ptr, "docs/decisions/0002-x.md");
	cr_assert_str_eq(frag.ptr, "Decision");
	cr_assert_eq(adr_html_resolve_link(&out, &frag, "docs/decisions", "./../img/./a.png?x=1"), 0);
	cr_assert_str_eq(out.ptr, "docs/img/a.png");
	cr_assert_str_eq(frag.ptr, "");
	cr_assert_eq(adr_html_resolve_link(&out, NULL, "docs/decisions", "../../etc/passwd"), 0);
	cr_assert_str_eq(out.ptr, "etc/passwd");
	cr_assert_eq(adr_html_resolve_link(&out, NULL, "docs/decisions", "../../../etc/passwd"), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "leaves the repository"));
	cr_assert_eq(adr_html_resolve_link(&out, NULL, "docs", "..\\..\\x"), ADR_EINVALID);
	cr_assert_eq(adr_html_resolve_link(&out, NULL, "docs", "/etc/passwd"), ADR_EINVALID);
	cr_assert_eq(adr_html_resolve_link(&out, NULL, "docs", "https://x/y"), ADR_EINVALID);
	cr_assert_eq(adr_html_resolve_link(&out, NULL, "docs", "#top"), ADR_EINVALID);
	cr_assert_eq(adr_html_resolve_link(&out, NULL, "docs", ".."), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "names no file"));
	adr_buf_dispose(&out);
	adr_buf_dispose(&frag);
}

Test(html, visibility_rules)
{
	adr_record r = { 0 };
	cr_assert_eq(adr_html_record_visibility(&r, ADR_VISIBILITY_NONE), ADR_VISIBILITY_INTERNAL);
	cr_assert_eq(adr_html_record_visibility(&r, ADR_VISIBILITY_PARTNER), ADR_VISIBILITY_PARTNER);
	r.visibility = ADR_VISIBILITY_PUBLIC;
	cr_assert_eq(adr_html_record_visibility(&r, ADR_VISIBILITY_INTERNAL), ADR_VISIBILITY_PUBLIC);
	cr_assert(adr_html_visible(ADR_VISIBILITY_PUBLIC, ADR_VISIBILITY_PUBLIC));
	cr_assert(!adr_html_visible(ADR_VISIBILITY_PARTNER, ADR_VISIBILITY_PUBLIC));
	cr_assert(adr_html_visible(ADR_VISIBILITY_PARTNER, ADR_VISIBILITY_PARTNER));
	cr_assert(!adr_html_visible(ADR_VISIBILITY_INTERNAL, ADR_VISIBILITY_PARTNER));
	cr_assert(adr_html_visible(ADR_VISIBILITY_INTERNAL, ADR_VISIBILITY_NONE));
	cr_assert(!adr_html_visible(ADR_VISIBILITY_NONE, ADR_VISIBILITY_PARTNER));
}

/* --- a whole site --------------------------------------------------------- */

static const char *REC1 =
	"---\nstatus: accepted\ndate: 2026-11-01\ndecision-makers: [Ana Lima, Bo Chen]\nmode: sync\n"
	"tags: [storage]\nvisibility: public\n---\n# Use PostgreSQL\n\n## Context\n\n"
	"Pelican durability. See [kafka](0002-use-kafka.md#Decision) and [top](#context).\n\n"
	"![diagram](../img/arch.png)\n";
static const char *REC2 =
	"---\nstatus: accepted\ndate: 2026-11-05\nmode: async\ntags: [messaging, storage]\n"
	"supersedes: [1]\nvisibility: partner\n---\n# Use Kafka\n\n## Decision\n\nFlamingo flamingo FLAMINGO   rules decision.\n";

Test(html, builds_the_site)
{
	char *s;
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	write_file("docs/decisions/0002-use-kafka.md", REC2);
	write_file("docs/img/arch.png", "\x89PNG\r\n\x1a\nnot really");
	commit_all();
	build_ok(ADR_VISIBILITY_NONE);
	cr_assert_eq(res.published, 2);
	cr_assert_eq(res.hidden, 0);
	cr_assert_eq(strlen(res.commit), 40);

	s = read_out("index.html");
	cr_assert_not_null(s);
	has(s, "Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; object-src 'none'; "
	       "base-uri 'none'");
	has(s, "<a href=\"0001-use-postgres.html\">Use PostgreSQL</a>");
	has(s, "data-status=\"accepted\" data-mode=\"async\" data-tags=\"messaging,storage\"");
	has(s, "<script src=\"search-index.js\"></script>");
	has(s, "<option value=\"storage\">storage (2)</option>");
	has(s, res.commit);
	free(s);

	s = read_out("0001-use-postgres.html");
	cr_assert_not_null(s);
	has(s, "<a href=\"0002-use-kafka.html#h-decision\">kafka</a>");
	has(s, "<a href=\"#h-context\">top</a>");
	has(s, "id=\"h-context\"");
	has(s, "Superseded by");
	has(s, "<img src=\"media/");
	has(s, "Ana Lima");
	hasnt(s, "<h1>Use PostgreSQL</h1>"); /* the title is the page header, not repeated */
	free(s);
	s = read_out("0002-use-kafka.html");
	has(s, "Supersedes");
	has(s, "<a href=\"0001-use-postgres.html\">0001 Use PostgreSQL</a>");
	free(s);

	s = read_out("tag-storage.html");
	cr_assert_not_null(s);
	has(s, "0001-use-postgres.html");
	has(s, "0002-use-kafka.html");
	free(s);
	s = read_out("feed.xml");
	cr_assert_not_null(s);
	has(s, "<feed xmlns=\"http://www.w3.org/2005/Atom\">");
	cr_assert_lt(strstr(s, "0002 Use Kafka") - s, strstr(s, "0001 Use PostgreSQL") - s, "newest first");
	free(s);

	/* The search index is a script assigning script-safe JSON. */
	s = read_out("search-index.js");
	cr_assert_not_null(s);
	cr_assert(strncmp(s, "window.ADR_SEARCH_INDEX = ", 26) == 0);
	{
		adr_value *v = NULL;
		size_t len = strlen(s);
		cr_assert_eq(adr__json_parse(&v, "search-index.js", s + 26, len - 26 - 2), 0, "%s", adr_error_last());
		const adr_value *docs = adr__value_lookup(v, "docs");
		cr_assert_eq(adr__value_count(docs), 2);
		cr_assert_str_eq(adr__value_lookup_string(adr__value_list_get(docs, 1), "t"), "Use Kafka");
		cr_assert_not_null(strstr(adr__value_lookup_string(adr__value_list_get(docs, 0), "x"), "Pelican"));
		/* each word once, case ignored */
		cr_assert_str_eq(adr__value_lookup_string(adr__value_list_get(docs, 1), "x"), "Decision Flamingo rules decision.");
		adr__value_free(v);
	}
	free(s);
	cr_assert(out_exists("style.css"));
	cr_assert(out_exists("site.js"));
	cr_assert(out_exists(".adr-site"));
	s = read_out(".adr-site");
	has(s, "index.html\n");
	free(s);
}

Test(html, only_committed_content)
{
	char *s;
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	write_file("docs/decisions/0002-untracked.md", "# Untracked secret\n");
	write_file("docs/decisions/0001-use-postgres.md", "# Uncommitted edit\n");
	build_ok(ADR_VISIBILITY_NONE);
	cr_assert_eq(res.published, 1);
	s = read_out("index.html");
	hasnt(s, "Untracked");
	hasnt(s, "Uncommitted");
	has(s, "Use PostgreSQL");
	free(s);
}

Test(html, older_revision)
{
	adr_html_opts o = ADR_HTML_OPTS_INIT;
	char *s;
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	write_file("docs/decisions/0002-use-kafka.md", REC2);
	commit_all();
	o.output_dir = out_dir;
	o.rev = "HEAD~1";
	o.title = "Our <log>";
	cr_assert_eq(adr_html_build(&res, repo, &o), 0, "%s", adr_error_last());
	cr_assert_eq(res.published, 1);
	s = read_out("index.html");
	hasnt(s, "Use Kafka");
	has(s, "<title>Our &lt;log&gt;</title>");
	free(s);
	cr_assert(!out_exists("0002-use-kafka.html"));
}

/* --- script payloads ------------------------------------------------------ */

static const char *XSS =
	"---\nstatus: accepted\ndate: 2026-11-02\n"
	"decision-makers: [\"<img src=x onerror=window.__xss=1>\", \"\\\" onmouseover=\\\"window.__xss=2\"]\n"
	"consulted: [\"javascript:window.__xss=3\"]\n"
	"informed: [\"</script><script>window.__xss=4</script>\"]\n"
	"tags: [\"<script>window.__xss=5</script>\", \"\\\" onmouseover=\\\"window.__xss=6\", "
	"\"<svg onload=window.__xss=7>\"]\n"
	"x-note: \"<script>window.__xss=8</script>\"\n"
	"---\n"
	"# <script>window.__xss=9</script> \"onmouseover=\"window.__xss=10\" '\u2028\n\n"
	"<script>window.__xss=11</script>\n\n"
	"[click](javascript:window.__xss=12) [c2](JaVaScRiPt:window.__xss=13) <javascript:alert(1)>\n\n"
	"<svg onload=\"window.__xss=14\"><circle/></svg>\n\n"
	"<img src=x onerror=\"window.__xss=15\">\n\n"
	"```\"><script>window.__xss=16</script>\ncode </script><script>window.__xss=17</script>\n```\n\n"
	"![x](javascript:window.__xss=18) [d](data:text/html;base64,PHNjcmlwdD4=)\n\n"
	"Text </script><!-- <script> \u2028 \u2029 end\n";

typedef struct {
	int files_checked;
} scan_state;

/* A small structural check of every tag in an HTML file: no element or
 * attribute a record could have brought in. */
static void scan_html(const char *name, const char *s, void *p)
{
	scan_state *st = p;
	size_t len = strlen(name);

	if (strcmp(name, "search-index.js") == 0) {
		/* Inside a script: none of the sequences that could end it or start markup. */
		hasnt(s, "<");
		hasnt(s, ">");
		hasnt(s, "\xe2\x80\xa8");
		hasnt(s, "\xe2\x80\xa9");
		st->files_checked++;
		return;
	}
	if (len < 5 || (strcmp(name + len - 5, ".html") != 0 && strcmp(name, "feed.xml") != 0))
		return;
	st->files_checked++;
	for (const char *c = s; (c = strchr(c, '<')) != NULL;) {
		char tag[32];
		size_t n = 0;
		c++;
		if (strncmp(c, "!--", 3) == 0) {
			const char *e = strstr(c, "-->");
			cr_assert_not_null(e, "%s: unclosed comment", name);
			c = e + 3;
			continue;
		}
		if (*c == '/' || *c == '!' || *c == '?')
			c++;
		while (n < sizeof(tag) - 1 && ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
					       (*c >= '0' && *c <= '9')))
			tag[n++] = *c++;
		tag[n] = '\0';
		cr_assert(n > 0, "%s: a bare '<' in the output at '%.40s'", name, c - 1);
		cr_assert(strcasecmp(tag, "iframe") && strcasecmp(tag, "object") && strcasecmp(tag, "embed") &&
			  strcasecmp(tag, "svg") && strcasecmp(tag, "base") && strcasecmp(tag, "math"),
			  "%s: element <%s>", name, tag);
		if (strcasecmp(tag, "script") == 0 && c[-7] == '<')
			cr_assert(strncmp(c, " src=\"search-index.js\"></script>", 32) == 0 ||
				  strncmp(c, " src=\"site.js\"></script>", 24) == 0,
				  "%s: a script that is not ours: '%.60s'", name, c - 7);
		/* attributes */
		for (;;) {
			char attr[64], val[512];
			size_t an = 0, vn = 0;
			while (*c == ' ' || *c == '\n' || *c == '\t' || *c == '/')
				c++;
			if (*c == '>' || *c == '\0' || *c == '?')
				break;
			while (*c && *c != '=' && *c != ' ' && *c != '>' && *c != '/' && *c != '\n')
				if (an < sizeof(attr) - 1)
					attr[an++] = *c++;
				else
					c++;
			attr[an] = '\0';
			cr_assert(strncasecmp(attr, "on", 2) != 0, "%s: attribute %s in <%s>", name, attr, tag);
			if (*c == '=') {
				char q = *++c;
				cr_assert(q == '"', "%s: unquoted attribute %s", name, attr);
				c++;
				while (*c && *c != q) {
					if (vn < sizeof(val) - 1)
						val[vn++] = *c;
					c++;
				}
				val[vn] = '\0';
				if (*c)
					c++;
				if (!strcasecmp(attr, "href") || !strcasecmp(attr, "src"))
					cr_assert(strncasecmp(val, "javascript", 10) && strncasecmp(val, "data:", 5) &&
						  strncasecmp(val, "vbscript", 8),
						  "%s: %s=\"%s\"", name, attr, val);
			}
		}
	}
}

Test(html, script_payloads_render_as_text)
{
	scan_state st = { 0 };
	char *s;
	write_file("docs/decisions/0001-xss.md", XSS);
	write_file("docs/decisions/0002-normal.md",
		   "---\nstatus: accepted\nsupersedes: [1]\n---\n# Normal\n\nSee [it](0001-xss.md).\n");
	commit_all();
	build_ok(ADR_VISIBILITY_NONE);
	each_output_file(scan_html, &st);
	cr_assert_geq(st.files_checked, 6);
	s = read_out("0001-xss.html");
	cr_assert_not_null(s);
	/* The payloads are there, as text. */
	has(s, "&lt;script&gt;window.__xss=9&lt;/script&gt; &quot;onmouseover=&quot;window.__xss=10&quot; &#39;");
	has(s, "&lt;img src=x onerror=window.__xss=1&gt;");
	has(s, "javascript:window.__xss=3"); /* as text in the consulted list */
	hasnt(s, "href=\"javascript");
	free(s);
	s = read_out("index.html");
	has(s, "data-tags=\"&lt;script&gt;window.__xss=5&lt;/script&gt;,&quot; onmouseover=&quot;window.__xss=6,");
	free(s);
	s = read_out("search-index.js");
	has(s, "\\u003c/script\\u003e");
	has(s, "\\u2028");
	free(s);
}

/* --- audiences ------------------------------------------------------------ */

static const char *HIDDEN_TITLE = "Quokka migration plan";
static const char *HIDDEN_WORD = "zanzibarite";

typedef struct {
	const char *needles[8];
	int hits;
} needle_state;

static void find_needles(const char *name, const char *content, void *p)
{
	needle_state *st = p;
	for (size_t i = 0; st->needles[i]; i++)
		if (strstr(content, st->needles[i]) || strstr(name, st->needles[i])) {
			fprintf(stderr, "'%s' found in %s\n", st->needles[i], name);
			st->hits++;
		}
}

static void write_audience_repo(void)
{
	write_file(".adr.yaml", "visibility: partner\n");
	write_file("docs/decisions/0001-public-one.md",
		   "---\nstatus: accepted\ndate: 2026-11-01\nvisibility: public\ntags: [shared]\n---\n# Public one\n\n"
		   "Links to [the plan](0047-quokka-migration-plan.md) and [0047](0047-quokka-migration-plan.md#x).\n");
	write_file("docs/decisions/0002-partner-default.md",
		   "---\nstatus: accepted\ndate: 2026-11-02\nsupersedes: [47]\nlinks: [relates-to 47]\n---\n"
		   "# Partner by default\n\nText.\n");
	write_file("docs/decisions/0047-quokka-migration-plan.md",
		   "---\nstatus: superseded\ndate: 2026-11-03\nvisibility: internal\ntags: [shared, hushhush]\n"
		   "superseded-by: [2]\nlinks: [relates-to 1]\ndecision-makers: [Secret Person]\n---\n"
		   "# Quokka migration plan\n\nThe zanzibarite detail.\n\n![p](../img/secret.png)\n");
	write_file("docs/img/secret.png", "\x89PNG\r\n\x1a\nsecret image bytes");
	commit_all();
}

Test(html, partner_audience_leaks_nothing_internal)
{
	needle_state st = { { "Quokka", "quokka", "0047", "zanzibarite", "hushhush", "Secret Person", NULL }, 0 };
	char *s;
	(void)HIDDEN_TITLE;
	(void)HIDDEN_WORD;
	write_audience_repo();
	build_ok(ADR_VISIBILITY_PARTNER);
	cr_assert_eq(res.published, 2);
	cr_assert_eq(res.hidden, 1);
	each_output_file(find_needles, &st);
	cr_assert_eq(st.hits, 0);
	cr_assert(!out_exists("media"), "the hidden record's image was copied");
	s = read_out("0001-public-one.html");
	has(s, "a record not published for this audience");
	hasnt(s, "Linked from"); /* the hidden record links here: not said */
	free(s);
	s = read_out("0002-partner-default.html");
	has(s, "<span class=\"hidden-record\">a record not published for this audience</span>");
	free(s);

	/* public: only the public record */
	needle_state st2 = { { "Quokka", "0047", "zanzibarite", "Partner by default", "0002", NULL }, 0 };
	build_ok(ADR_VISIBILITY_PUBLIC);
	cr_assert_eq(res.published, 1);
	each_output_file(find_needles, &st2);
	cr_assert_eq(st2.hits, 0);
	/* the files of the previous build that this one does not write are gone */
	cr_assert(!out_exists("0002-partner-default.html"));
	cr_assert(out_exists("0001-public-one.html"));
}

Test(html, internal_audience_shows_everything)
{
	char *s;
	write_audience_repo();
	build_ok(ADR_VISIBILITY_INTERNAL);
	cr_assert_eq(res.published, 3);
	s = read_out("0047-quokka-migration-plan.html");
	cr_assert_not_null(s);
	has(s, "zanzibarite");
	has(s, "<img src=\"media/");
	free(s);
	s = read_out("0001-public-one.html");
	has(s, "<a href=\"0047-quokka-migration-plan.html\">the plan</a>");
	has(s, "Linked from");
	free(s);
	/* rebuilding for partners removes the internal page */
	build_ok(ADR_VISIBILITY_PARTNER);
	cr_assert(!out_exists("0047-quokka-migration-plan.html"));
	cr_assert(!out_exists("tag-hushhush.html"));
}

/* --- file-system safety --------------------------------------------------- */

/* F12: skipped with a warning, never followed */
Test(html, symlinked_record_is_skipped)
{
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	run("ln -s /etc/passwd docs/decisions/0002-passwd.md");
	commit_all();
	cr_assert_eq(build(ADR_VISIBILITY_NONE), 0, "%s", adr_error_last());
	cr_assert(out_exists("index.html"));
	cr_assert(!out_exists("0002-passwd.html"));
	{
		size_t n = 0;
		for (size_t i = 0; i < res.warnings.count; i++)
			n += strcmp(res.warnings.items[i],
				    "docs/decisions/0002-passwd.md: not a regular file (mode 120000); skipped") == 0;
		cr_assert_eq(n, 1, "the symlink is named once among the warnings");
	}
}

Test(html, links_and_images_outside_are_left_as_text)
{
	char *s, outside[PATH_BUF + 32];
	snprintf(outside, sizeof(outside), "%s/outside.png", root);
	write_at(root, "outside.png", "\x89PNG\r\n\x1a\noutside bytes");
	write_file("docs/decisions/0001-a.md",
		   "# A\n\n[pw](../../../etc/passwd) [pw2](../../etc/passwd) [abs](/etc/passwd) "
		   "![out](../../../outside.png) ![abs](/tmp/x.png) ![link](../img/link.png) "
		   "![svg](../img/x.svg) ![ext](https://example.com/x.png) ![missing](nope.png) [gone](0009-x.md)\n");
	run("mkdir -p docs/img && ln -s '%s' docs/img/link.png", outside);
	write_file("docs/img/x.svg", "<svg onload=\"alert(1)\"></svg>");
	commit_all();
	build_ok(ADR_VISIBILITY_NONE);
	s = read_out("0001-a.html");
	cr_assert_not_null(s);
	hasnt(s, "<img");
	hasnt(s, "passwd\"");
	has(s, "pw pw2 abs out abs link svg ext missing gone");
	free(s);
	cr_assert(!out_exists("media"));
	cr_assert_geq(res.warnings.count, 9);
	{
		bool leaves = false, symlink = false, svg = false;
		for (size_t i = 0; i < res.warnings.count; i++) {
			leaves |= strstr(res.warnings.items[i], "leaves the repository") != NULL;
			symlink |= strstr(res.warnings.items[i], "link.png") != NULL;
			svg |= strstr(res.warnings.items[i], "x.svg") != NULL;
		}
		cr_assert(leaves && symlink && svg);
	}
}

Test(html, planted_symlinks_in_output_are_replaced_not_followed)
{
	char target[PATH_BUF + 32], tdir[PATH_BUF + 32], cmd[3 * PATH_BUF];
	char *s;
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	write_file("docs/img/arch.png", "\x89PNG\r\n\x1a\nnot really");
	commit_all();
	build_ok(ADR_VISIBILITY_NONE);
	/* An attacker with write access to the output replaces files with links. */
	snprintf(target, sizeof(target), "%s/victim.txt", root);
	snprintf(tdir, sizeof(tdir), "%s/victimdir", root);
	write_at(root, "victim.txt", "precious\n");
	cr_assert_eq(mkdir(tdir, 0755), 0);
	snprintf(cmd, sizeof(cmd), "cd '%s' && rm index.html && ln -s '%s' index.html && rm -r media && "
		 "ln -s '%s' media", out_dir, target, tdir);
	cr_assert_eq(system(cmd), 0);
	build_ok(ADR_VISIBILITY_NONE);
	s = read_out("index.html");
	has(s, "<!DOCTYPE html>");
	free(s);
	{
		struct stat st;
		char p[PATH_BUF + 16];
		snprintf(p, sizeof(p), "%s/index.html", out_dir);
		cr_assert_eq(lstat(p, &st), 0);
		cr_assert(S_ISREG(st.st_mode));
		snprintf(p, sizeof(p), "%s/media", out_dir);
		cr_assert_eq(lstat(p, &st), 0);
		cr_assert(S_ISDIR(st.st_mode));
	}
	s = NULL;
	{
		FILE *f = fopen(target, "r");
		char line[64] = "";
		cr_assert_not_null(f);
		cr_assert_not_null(fgets(line, sizeof(line), f));
		fclose(f);
		cr_assert_str_eq(line, "precious\n");
	}
	{
		DIR *d = opendir(tdir);
		struct dirent *de;
		int n = 0;
		cr_assert_not_null(d);
		while ((de = readdir(d)) != NULL)
			n++;
		closedir(d);
		cr_assert_eq(n, 2, "something was written into the symlinked directory");
	}
}

Test(html, refuses_a_foreign_non_empty_directory)
{
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	cr_assert_eq(mkdir(out_dir, 0755), 0);
	write_at(out_dir, "important.txt", "mine\n");
	cr_assert_eq(build(ADR_VISIBILITY_NONE), ADR_EEXISTS);
	cr_assert_not_null(strstr(adr_error_last(), "not written by adr html"));
	cr_assert(!out_exists("index.html"));
}

/* F21: -o naming a symlink publishes where it points; the link stays. */
Test(html, output_dir_that_is_a_symlink_is_followed)
{
	char cmd[3 * PATH_BUF], p[PATH_BUF + 32];
	struct stat st;
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	snprintf(cmd, sizeof(cmd), "mkdir '%s/real' && ln -s '%s/real' '%s'", root, root, out_dir);
	cr_assert_eq(system(cmd), 0);
	build_ok(ADR_VISIBILITY_NONE);
	cr_assert_eq(lstat(out_dir, &st), 0);
	cr_assert(S_ISLNK(st.st_mode), "the symlink was replaced");
	snprintf(p, sizeof(p), "%s/real/index.html", root);
	cr_assert_eq(lstat(p, &st), 0);
	cr_assert(S_ISREG(st.st_mode));
	build_ok(ADR_VISIBILITY_NONE); /* and again, over the previous site */
	snprintf(p, sizeof(p), "%s/real/0001-use-postgres.html", root);
	cr_assert_eq(lstat(p, &st), 0);
}

/* F21: a symlink to a directory that is not a site is refused like one. */
Test(html, output_dir_symlink_to_a_foreign_directory_is_refused)
{
	char cmd[3 * PATH_BUF];
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	snprintf(cmd, sizeof(cmd), "mkdir '%s/mine' && echo mine > '%s/mine/notes' && ln -s '%s/mine' '%s'",
		 root, root, root, out_dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(build(ADR_VISIBILITY_NONE), ADR_EEXISTS);
	cr_assert_not_null(strstr(adr_error_last(), "not written by adr html"), "%s", adr_error_last());
	cr_assert_eq(run_rc("test \"$(cat '%s/mine/notes')\" = mine && test \"$(ls -A '%s/mine')\" = notes", root,
			    root), 0);
}

/* F21: a dangling symlink is an error that says so. */
Test(html, output_dir_dangling_symlink)
{
	char cmd[3 * PATH_BUF];
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	snprintf(cmd, sizeof(cmd), "ln -s '%s/nowhere' '%s'", root, out_dir);
	cr_assert_eq(system(cmd), 0);
	cr_assert_eq(build(ADR_VISIBILITY_NONE), ADR_EOS);
	cr_assert_not_null(strstr(adr_error_last(), "is a symbolic link that leads to no directory"), "%s",
			   adr_error_last());
}

/* F06: a failed build leaves the previous site as it was, and no directory of its own. */
Test(html, failed_build_keeps_the_previous_site)
{
	adr_html_opts o = ADR_HTML_OPTS_INIT;
	char tpl[PATH_BUF + 8], cmd[3 * PATH_BUF];
	char *before, *after;
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	build_ok(ADR_VISIBILITY_PUBLIC);
	before = read_out(".adr-site");
	cr_assert_not_null(before);
	snprintf(tpl, sizeof(tpl), "%s/tpl", root);
	snprintf(cmd, sizeof(cmd), "mkdir '%s' && ln -s /etc/passwd '%s/favicon.svg'", tpl, tpl);
	cr_assert_eq(system(cmd), 0);
	o.output_dir = out_dir;
	o.templates_dir = tpl;
	adr_html_result_dispose(&res);
	cr_assert_lt(adr_html_build(&res, repo, &o), 0);
	cr_assert_not_null(strstr(adr_error_last(), "favicon.svg"), "%s", adr_error_last());
	after = read_out(".adr-site");
	cr_assert_not_null(after);
	cr_assert_str_eq(after, before);
	free(before);
	free(after);
	cr_assert_eq(run_rc("test -z \"$(ls -A '%s' | grep adr-html)\"", root), 0, "a temporary directory was left");
}

Test(html, output_dir_parent_missing)
{
	adr_html_opts o = ADR_HTML_OPTS_INIT;
	char path[PATH_BUF + 32];
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	snprintf(path, sizeof(path), "%s/no/such/dir", root);
	o.output_dir = path;
	cr_assert_eq(adr_html_build(&res, repo, &o), ADR_EOS);
	cr_assert_not_null(strstr(adr_error_last(), "cannot create"));
}

Test(html, bad_options)
{
	adr_html_opts o = ADR_HTML_OPTS_INIT;
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	cr_assert_eq(adr_html_build(&res, repo, &o), ADR_EUSAGE);
	o.output_dir = out_dir;
	o.base_url = "javascript:alert(1)//";
	cr_assert_eq(adr_html_build(&res, repo, &o), ADR_EUSAGE);
	o.base_url = "https://example.com/a\"b";
	cr_assert_eq(adr_html_build(&res, repo, &o), ADR_EUSAGE);
	o.base_url = NULL;
	o.version = 7;
	cr_assert_eq(adr_html_build(&res, repo, &o), ADR_EUSAGE);
	cr_assert_eq(adr_html_build(&res, repo, NULL), ADR_EUSAGE);
	cr_assert(!out_exists("index.html"));
}

Test(html, unborn_branch)
{
	adr_repo_free(repo);
	cr_assert_eq(adr_repo_open(&repo, repo_dir), 0, "%s", adr_error_last());
	cr_assert_eq(build(ADR_VISIBILITY_NONE), ADR_ENOTFOUND);
}

/* --- templates ------------------------------------------------------------ */

Test(html, templates_can_be_overridden)
{
	adr_html_opts o = ADR_HTML_OPTS_INIT;
	char tdir[PATH_BUF + 32], *s;
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	/* committed override in the repository */
	write_file(".adr/templates/html/style.css", "/* repo style */\n");
	commit_all();
	snprintf(tdir, sizeof(tdir), "%s/tpl", root);
	write_at(root, "tpl/tag.mustache", "TAG {{tag}} {{#rows}}[{{title}}]{{/rows}}\n");
	o.output_dir = out_dir;
	o.templates_dir = tdir;
	o.base_url = "https://decisions.example.com/log";
	cr_assert_eq(adr_html_build(&res, repo, &o), 0, "%s", adr_error_last());
	s = read_out("tag-storage.html");
	cr_assert_str_eq(s, "TAG storage [Use PostgreSQL]\n");
	free(s);
	s = read_out("style.css");
	cr_assert_str_eq(s, "/* repo style */\n");
	free(s);
	s = read_out("feed.xml");
	has(s, "https://decisions.example.com/log/0001-use-postgres.html");
	free(s);

	/* a broken template is an error that names it */
	write_at(root, "tpl/record.mustache", "{{#unclosed}}\n");
	cr_assert_eq(adr_html_build(&res, repo, &o), ADR_EINVALID);
	cr_assert_not_null(strstr(adr_error_last(), "record.mustache"), "%s", adr_error_last());
	/* a missing partial is an error too */
	write_at(root, "tpl/record.mustache", "{{> nosuchpartial}}\n");
	cr_assert_lt(adr_html_build(&res, repo, &o), 0);
	/* a template that is a symlink is refused */
	{
		char cmd[3 * PATH_BUF];
		snprintf(cmd, sizeof(cmd), "rm '%s/record.mustache' && ln -s /etc/passwd '%s/record.mustache'", tdir, tdir);
		cr_assert_eq(system(cmd), 0);
	}
	cr_assert_lt(adr_html_build(&res, repo, &o), 0);
	cr_assert_not_null(strstr(adr_error_last(), "record.mustache"), "%s", adr_error_last());
}

Test(html, missing_builtin_template)
{
	char empty[PATH_BUF + 32];
	write_file("docs/decisions/0001-use-postgres.md", REC1);
	commit_all();
	snprintf(empty, sizeof(empty), "%s/empty-templates", root);
	cr_assert_eq(mkdir(empty, 0755), 0);
	setenv("ADR_TEMPLATES_DIR", empty, 1);
	cr_assert_eq(build(ADR_VISIBILITY_NONE), ADR_ENOTFOUND);
	cr_assert_not_null(strstr(adr_error_last(), "html template"), "%s", adr_error_last());
}

Test(html, hostile_record_renders_fast_as_text)
{
	adr_buf b = ADR_BUF_INIT;
	char *s;
	adr_buf_puts(&b, "# Hostile\n\n");
	while (b.size < 250 * 1024)
		adr_buf_puts(&b, "![[]()");
	adr_buf_puts(&b, "\n");
	write_file("docs/decisions/0001-hostile.md", b.ptr);
	adr_buf_dispose(&b);
	commit_all();
	build_ok(ADR_VISIBILITY_NONE);
	s = read_out("0001-hostile.html");
	has(s, "<pre class=\"md-raw\">");
	free(s);
	cr_assert_geq(res.warnings.count, 1);
	cr_assert_not_null(strstr(res.warnings.items[0], "too many"));
}

/* --- the shipped templates ------------------------------------------------ */

/* Raw output ({{{x}}} or {{&x}}) is allowed for the rendered body only, and
 * no template carries an inline script, an inline handler or an external URL. */
Test(html, templates_escape_every_field)
{
	static const char *const names[] = { "layout", "index", "record", "tag", "table", "reclink", "feed", NULL };
	int raw_body = 0;
	for (size_t i = 0; names[i]; i++) {
		char path[PATH_BUF + 64], *s;
		adr_buf b = ADR_BUF_INIT;
		FILE *f;
		char chunk[4096];
		size_t n;
		snprintf(path, sizeof(path), "%s/templates/html/%s.mustache", ADR_TEST_SOURCE_DIR, names[i]);
		cr_assert_not_null(f = fopen(path, "rb"), "%s", path);
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			adr_buf_put(&b, chunk, n);
		fclose(f);
		s = b.ptr;
		for (const char *p = s; (p = strstr(p, "{{{")) != NULL; p += 3) {
			cr_assert(strncmp(p, "{{{body_html}}}", 15) == 0, "%s: raw output '%.30s'", names[i], p);
			raw_body++;
		}
		cr_assert_null(strstr(s, "{{&"), "%s", names[i]);
		cr_assert_null(strstr(s, "<script>"), "%s: inline script", names[i]);
		for (const char *p = s; (p = strstr(p, " on")) != NULL; p++) {
			const char *q = p + 3;
			while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
				q++;
			cr_assert(*q != '=', "%s: inline handler '%.20s'", names[i], p);
		}
		cr_assert_null(strstr(s, "src=\"http"), "%s: external resource", names[i]);
		cr_assert_null(strstr(s, "href=\"//"), "%s: external resource", names[i]);
		adr_buf_dispose(&b);
	}
	cr_assert_eq(raw_body, 1);
}
