/*
 * log/notify.c: the digest of `adr notify` (adr/notify.h) and its delivery
 * to a webhook. The only file that includes <curl/curl.h>.
 *
 * libcurl is loaded when a digest is sent, not linked: linked, it and the
 * two dozen libraries it needs (TLS, LDAP, Kerberos, HTTP/2, ...) were
 * mapped and relocated at the start of every adr command (`adr --version`
 * took 7.0 ms, 3.7 ms without them; issue 14). The package depends on
 * libcurl4.
 *
 * What is due comes from the queue as adr_queue_build() gives it; this file
 * only chooses what a reminder shows (proposals overdue or due within two
 * days), adds who proposed each (the owner until records carry one) and
 * the decisions recorded since the last digest (adr_diff_revs() from the
 * commit kept in the state file, else the records' dates).
 */
#include "git/repo_internal.h"

/* Calls go through the pointers below, not curl's type-checking macros. */
#define CURL_DISABLE_TYPECHECK 1
#include <curl/curl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "adr/diff.h"
#include "adr/notify.h"
#include "adr/proposal.h"
#include "text/json.h"
#include "util/alloc.h"
#include "util/error.h"
#include "util/fs.h"

#define STATE_FILE "adr/notify-state"
#define FIRST_RUN_DAYS 7
#define SOON_DAYS 2
#define CONNECT_TIMEOUT 10L
#define ANSWER_MAX 4096

void adr_digest_dispose(adr_digest *d)
{
	for (size_t i = 0; i < d->ndecisions; i++)
		free(d->decisions[i].title);
	free(d->decisions);
	for (size_t i = 0; d->owner && i < d->queue.count; i++)
		free(d->owner[i]);
	free(d->owner);
	free(d->listed);
	adr_queue_dispose(&d->queue);
	memset(d, 0, sizeof(*d));
}

bool adr_digest_empty(const adr_digest *d)
{
	return d->ndecisions == 0 && d->nlisted == 0 && d->queue.errors.count == 0;
}

static int add_decision(adr_digest *d, int number, const char *title, const char *status, const char *date,
			const char *change)
{
	adr_digest_decision *p = adr__reallocarray(d->decisions, d->ndecisions + 1, sizeof(*p));
	ADR_ALLOC_CHECK(p);
	d->decisions = p;
	p = &d->decisions[d->ndecisions];
	memset(p, 0, sizeof(*p));
	p->number = number;
	p->change = change;
	snprintf(p->status, sizeof(p->status), "%s", status ? status : "");
	snprintf(p->date, sizeof(p->date), "%s", date ? date : "");
	p->title = adr__strdup(title ? title : "");
	ADR_ALLOC_CHECK(p->title);
	d->ndecisions++;
	return 0;
}

static void state_path(adr_buf *out, adr_repo *repo)
{
	adr_buf_printf(out, "%s%s", adr_repo_commondir(repo), STATE_FILE);
}

/* The commit of the last digest sent into `commit` ("" when none). */
static int read_state(char commit[41], adr_repo *repo)
{
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	size_t n;
	int rc;

	commit[0] = '\0';
	state_path(&path, repo);
	rc = adr__file_read(&data, path.ptr, 256, ADR_FS_NOFOLLOW);
	if (rc == ADR_ENOTFOUND) {
		adr_error_clear();
		rc = 0;
		goto cleanup;
	}
	if (rc < 0)
		goto cleanup;
	n = strspn(data.ptr, "0123456789abcdef");
	if (n != 40 || strspn(data.ptr + n, "\n") != data.size - n) {
		rc = adr__error(ADR_EINVALID, "%s:1:%zu: not a commit id; delete the file to start again from "
				"the last %d days", path.ptr, n + 1, FIRST_RUN_DAYS);
		goto cleanup;
	}
	memcpy(commit, data.ptr, 40);
	commit[40] = '\0';
cleanup:
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	return rc;
}

static int decisions_since_commit(adr_digest *d, adr_repo *repo)
{
	adr_diff diff;
	int rc;

	if ((rc = adr_diff_revs(&diff, repo, d->since_commit, NULL)) < 0)
		return rc;
	memcpy(d->commit, diff.to, sizeof(d->commit));
	for (size_t i = 0; i < diff.count && rc == 0; i++) {
		const adr_diff_item *it = &diff.items[i];
		const char *change = it->kind == ADR_DIFF_ADDED ? "recorded"
				     : it->kind == ADR_DIFF_SUPERSEDED ? "superseded"
				     : it->kind == ADR_DIFF_DEPRECATED ? "deprecated" : NULL;
		if (change)
			rc = add_decision(d, it->number, it->title, it->status, NULL, change);
	}
	adr_diff_dispose(&diff);
	return rc;
}

static int decisions_since_date(adr_digest *d, adr_repo *repo)
{
	adr_recordset set = ADR_RECORDSET_INIT;
	int rc = adr_repo_records(&set, repo, NULL, ADR_PARSE_LENIENT);

	if (rc == ADR_ENOTFOUND) {
		adr_error_clear();
		rc = 0;
	}
	memcpy(d->commit, set.commit, sizeof(d->commit));
	for (size_t i = 0; i < set.count && rc == 0; i++) {
		const adr_record *r = set.items[i];
		if (r->date[0] && strcmp(r->date, d->since_date) >= 0 && r->status != ADR_STATUS_PROPOSED)
			rc = add_decision(d, r->number, r->title, adr_status_name(r->status), r->date, "recorded");
	}
	adr_recordset_dispose(&set);
	return rc;
}

/* Who proposed it: the author of the thread's first commit. */
static int proposer(char **out, adr_repo *repo, const adr_queue_item *it)
{
	adr_thread t = ADR_THREAD_INIT;
	int rc;

	*out = NULL;
	if ((rc = adr_thread_read(&t, repo, it->merged ? it->slug : it->ref)) < 0)
		return rc;
	for (size_t i = 0; i < t.count; i++)
		if (t.events[i].kind == ADR_EVENT_PROPOSED && t.events[i].author) {
			*out = adr__strdup(t.events[i].author);
			if (!*out)
				rc = ADR_ENOMEM;
			break;
		}
	adr_thread_dispose(&t);
	return rc;
}

int adr_digest_build(adr_digest *out, adr_repo *repo, const char *since)
{
	int rc;

	memset(out, 0, sizeof(*out));
	adr_date_at(out->soon, adr_now() + SOON_DAYS * 86400LL);
	if (since)
		snprintf(out->since_date, sizeof(out->since_date), "%s", since);
	else if ((rc = read_state(out->since_commit, repo)) < 0)
		goto cleanup;
	if (!since && !out->since_commit[0])
		adr_date_at(out->since_date, adr_now() - FIRST_RUN_DAYS * 86400LL);
	rc = out->since_commit[0] ? decisions_since_commit(out, repo) : decisions_since_date(out, repo);
	if (rc < 0 || (rc = adr_queue_build(&out->queue, repo)) < 0)
		goto cleanup;
	out->listed = calloc(out->queue.count + 1, sizeof(*out->listed));
	out->owner = calloc(out->queue.count + 1, sizeof(*out->owner));
	if (!out->listed || !out->owner) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < out->queue.count; i++) {
		const adr_queue_item *it = &out->queue.items[i];
		bool due = it->overdue || it->merged || (it->due[0] && strcmp(it->due, out->soon) <= 0);
		out->listed[i] = it->kind != ADR_QUEUE_PROPOSAL || due;
		out->nlisted += out->listed[i];
		if (out->listed[i] && it->kind == ADR_QUEUE_PROPOSAL && !it->owner &&
		    (rc = proposer(&out->owner[i], repo, it)) < 0)
			goto cleanup;
	}
	rc = 0;
cleanup:
	if (rc < 0)
		adr_digest_dispose(out);
	return rc;
}

/* --- rendering ------------------------------------------------------------ */

static void heading(adr_buf *out, const char *text, adr_notify_format f)
{
	adr_buf_printf(out, f == ADR_NOTIFY_MARKDOWN ? "\n**%s**\n" : "\n%s:\n", text);
}

/* Whose move it is on a proposal, in words. */
static void proposal_line(adr_buf *out, const adr_digest *d, size_t i, adr_notify_format f)
{
	const adr_queue_item *it = &d->queue.items[i];
	const char *owner = it->owner ? it->owner : d->owner[i] ? d->owner[i] : "its proposer";

	adr_buf_printf(out, f == ADR_NOTIFY_MARKDOWN ? "- `adr/%s` %s: " : "- adr/%s  %s: ", it->slug, it->title);
	if (it->merged)
		adr_buf_printf(out, "merged but not decided; %s's move: adr accept or adr reject", owner);
	else if (it->overdue)
		adr_buf_printf(out, "review-by %s, OVERDUE; %s's move: escalate to a meeting", it->due, owner);
	else if (it->objections.count) {
		adr_buf_printf(out, "review-by %s; %s's move: answer the objections of ", it->due, owner);
		for (size_t k = 0; k < it->objections.count; k++)
			adr_buf_printf(out, "%s%s", k ? ", " : "", it->objections.items[k]);
	} else if (it->move.count && !(it->move.count == 1 && strcmp(it->move.items[0], owner) == 0)) {
		adr_buf_printf(out, "review-by %s; waiting for ", it->due);
		for (size_t k = 0; k < it->move.count; k++)
			adr_buf_printf(out, "%s%s", k ? ", " : "", it->move.items[k]);
		adr_buf_printf(out, ", owner %s", owner);
	} else
		adr_buf_printf(out, "review-by %s; the reviewers' move, owner %s", it->due, owner);
	adr_buf_printf(out, " (%zu approve, %zu object, %zu comments)\n", it->approvals.count,
		       it->objections.count, it->comments);
}

static void items(adr_buf *out, const adr_digest *d, adr_queue_kind kind, const char *title,
		  adr_notify_format f)
{
	bool any = false;
	for (size_t i = 0; i < d->queue.count; i++) {
		const adr_queue_item *it = &d->queue.items[i];
		if (it->kind != kind || !d->listed[i])
			continue;
		if (!any)
			heading(out, title, f);
		any = true;
		if (kind == ADR_QUEUE_PROPOSAL)
			proposal_line(out, d, i, f);
		else if (kind == ADR_QUEUE_NEXT_STEP)
			adr_buf_printf(out, "- %04d %s: %s (%s, by %s)\n", it->number, it->title, it->step ? it->step : "",
				       it->owner ? it->owner : "no owner", it->due);
		else
			adr_buf_printf(out, "- %04d %s: %s %s%s\n", it->number, it->title,
				       kind == ADR_QUEUE_CLEANUP ? "clean up by" : "revisit on", it->due,
				       it->overdue ? ", OVERDUE" : "");
	}
}

int adr_digest_render(adr_buf *out, const adr_digest *d, adr_notify_format f)
{
	adr_notify_format body = f == ADR_NOTIFY_EMAIL ? ADR_NOTIFY_PLAIN : f;
	size_t due = d->nlisted;

	if (f == ADR_NOTIFY_EMAIL)
		adr_buf_printf(out, "Subject: [adr] decision log digest %s: %zu new decision%s, %zu item%s due\n\n",
			       d->queue.today, d->ndecisions, d->ndecisions == 1 ? "" : "s", due,
			       due == 1 ? "" : "s");
	adr_buf_printf(out, body == ADR_NOTIFY_MARKDOWN ? "**Decision log digest, %s**" : "Decision log digest, %s",
		       d->queue.today);
	if (d->commit[0])
		adr_buf_printf(out, " (%.7s)", d->commit);
	adr_buf_putc(out, '\n');
	if (d->ndecisions) {
		adr_buf title = ADR_BUF_INIT;
		if (d->since_commit[0])
			adr_buf_printf(&title, "New decisions since the last digest (%.7s)", d->since_commit);
		else
			adr_buf_printf(&title, "New decisions since %s", d->since_date);
		heading(out, title.ptr, body);
		adr_buf_dispose(&title);
	}
	for (size_t i = 0; i < d->ndecisions; i++) {
		const adr_digest_decision *x = &d->decisions[i];
		adr_buf_printf(out, "- %04d %s: %s", x->number, x->title, x->change);
		if (strcmp(x->change, "recorded") == 0 && x->status[0])
			adr_buf_printf(out, " as %s", x->status);
		adr_buf_printf(out, "%s%s\n", x->date[0] ? ", " : "", x->date);
	}
	items(out, d, ADR_QUEUE_PROPOSAL, "Proposals overdue or due within 2 days", body);
	items(out, d, ADR_QUEUE_CLEANUP, "Meeting records waiting for their cleanup", body);
	items(out, d, ADR_QUEUE_REVISIT, "Due for a revisit", body);
	items(out, d, ADR_QUEUE_NEXT_STEP, "Overdue next steps", body);
	if (d->queue.errors.count)
		heading(out, "Could not be read (run adr queue)", body);
	for (size_t i = 0; i < d->queue.errors.count; i++)
		adr_buf_printf(out, "- %s\n", d->queue.errors.items[i]);
	if (adr_digest_empty(d))
		adr_buf_puts(out, "\nNothing new, nothing due.\n");
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

int adr_notify_payload(adr_buf *out, const char *text)
{
	adr__json_writer w;
	adr__json_writer_init(&w, out, 0);
	adr__json_begin_object(&w);
	adr__json_key(&w, "text");
	adr__json_string(&w, text);
	adr__json_end_object(&w);
	return adr__json_writer_finish(&w);
}

/* --- the URL ---------------------------------------------------------------- */

/* scheme://host[:port] of `url`, without user, path or query (the secret). */
static void url_origin(adr_buf *out, const char *url)
{
	const char *p = strstr(url, "://"), *host, *end, *at;
	if (!p) {
		adr_buf_puts(out, "(a URL without a scheme)");
		return;
	}
	host = p + 3;
	end = host + strcspn(host, "/?#");
	for (at = host; at < end; at++)
		if (*at == '@')
			host = at + 1;
	adr_buf_put(out, url, (size_t)(p + 3 - url));
	adr_buf_put(out, host, (size_t)(end - host));
}

static bool http_url(const char *url)
{
	return strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0;
}

int adr_notify_url(adr_buf *out, adr_repo *repo)
{
	static const char *const committed[] = { "notify.url", "notify-url", "notify_url", "notifyUrl",
						  "notify.webhook", "webhook", NULL };
	const char *env = getenv("ADR_NOTIFY_URL");
	git_config *cfg = NULL;
	git_buf val = { 0 };
	int rc = 0;

	for (size_t i = 0; committed[i]; i++)
		if (adr_repo_config_string(repo, committed[i]))
			return adr__error(ADR_EINVALID, ".adr.yaml: '%s': a webhook URL is a secret and is never read "
					  "from a committed file; remove it (and have the webhook's URL renewed), "
					  "then set ADR_NOTIFY_URL or git config adr.notifyUrl", committed[i]);
	adr_buf_clear(out);
	if (env && *env) {
		adr_buf_puts(out, env);
	} else if (git_repository_config_snapshot(&cfg, adr__repo_git(repo)) == 0 &&
		   git_config_get_string_buf(&val, cfg, "adr.notifyUrl") == 0) {
		adr_buf_puts(out, val.ptr);
	}
	git_buf_dispose(&val);
	git_config_free(cfg);
	if (!out->size)
		rc = adr__error(ADR_ENOTFOUND, "no webhook URL: set ADR_NOTIFY_URL or git config adr.notifyUrl "
				"(never .adr.yaml: the URL is a secret)");
	else if (!http_url(out->ptr)) {
		adr_buf origin = ADR_BUF_INIT;
		url_origin(&origin, out->ptr);
		rc = adr__error(ADR_EINVALID, "the webhook URL %s is not http:// or https://", origin.ptr);
		adr_buf_dispose(&origin);
	}
	if (rc == 0 && adr_buf_oom(out))
		rc = ADR_ENOMEM;
	return rc;
}

/* --- sending ----------------------------------------------------------------- */

static size_t keep_answer(char *data, size_t size, size_t n, void *payload)
{
	adr_buf *b = payload;
	size_t len = size * n;
	if (b->size < ANSWER_MAX)
		adr_buf_put(b, data, len < ANSWER_MAX - b->size ? len : ANSWER_MAX - b->size);
	return len;
}

/* The libcurl calls this file makes, looked up once in the loaded library. */
static struct {
	CURLcode (*global_init)(long flags);
	void (*global_cleanup)(void);
	CURL *(*easy_init)(void);
	CURLcode (*easy_setopt)(CURL *curl, CURLoption option, ...);
	CURLcode (*easy_perform)(CURL *curl);
	CURLcode (*easy_getinfo)(CURL *curl, CURLINFO info, ...);
	const char *(*easy_strerror)(CURLcode code);
	void (*easy_cleanup)(CURL *curl);
	struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
	void (*slist_free_all)(struct curl_slist *list);
} curl;
static char curl_failed[512];
static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

/* dlsym's answer as the pointer it is (POSIX: converting is allowed). */
#define CURL_SYM(field, name) \
	(*(void **)&curl.field = dlsym(lib, name), curl.field != NULL || (missing = name, false))

/* Loads libcurl ($ADR_LIBCURL, else the soname Debian's libcurl4 has);
 * what went wrong is kept in curl_failed. */
static void load_curl(void)
{
	const char *name = getenv("ADR_LIBCURL");
	const char *missing = NULL;
	void *lib;

	if (!name || !*name)
		name = "libcurl.so.4";
	if (!(lib = dlopen(name, RTLD_NOW | RTLD_LOCAL))) {
		const char *why = dlerror();
		snprintf(curl_failed, sizeof(curl_failed), "cannot load libcurl (%s): %s; install libcurl4", name,
			 why ? why : "not found");
		return;
	}
	if (CURL_SYM(global_init, "curl_global_init") && CURL_SYM(global_cleanup, "curl_global_cleanup") &&
	    CURL_SYM(easy_init, "curl_easy_init") && CURL_SYM(easy_setopt, "curl_easy_setopt") &&
	    CURL_SYM(easy_perform, "curl_easy_perform") && CURL_SYM(easy_getinfo, "curl_easy_getinfo") &&
	    CURL_SYM(easy_strerror, "curl_easy_strerror") && CURL_SYM(easy_cleanup, "curl_easy_cleanup") &&
	    CURL_SYM(slist_append, "curl_slist_append") && CURL_SYM(slist_free_all, "curl_slist_free_all"))
		return;
	snprintf(curl_failed, sizeof(curl_failed), "cannot use libcurl (%s): it has no %s", name, missing);
	dlclose(lib);
}

int adr_notify_post(long *status, const char *url, const char *body, size_t len, long timeout)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	adr_buf answer = ADR_BUF_INIT, origin = ADR_BUF_INIT;
	struct curl_slist *headers = NULL;
	CURL *c = NULL;
	CURLcode cc = CURLE_FAILED_INIT;
	int rc = 0;

	*status = 0;
	(void)pthread_once(&curl_once, load_curl); /* fails only on a bad argument */
	if (curl_failed[0])
		return adr__error(ADR_EOS, "could not send the digest: %s", curl_failed);
	url_origin(&origin, url);
	if (curl.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		goto sent;
	if (!(c = curl.easy_init()) ||
	    !(headers = curl.slist_append(NULL, "Content-Type: application/json; charset=utf-8")))
		goto sent;
	curl.easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl.easy_setopt(c, CURLOPT_URL, url);
	curl.easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl.easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout < CONNECT_TIMEOUT ? timeout : CONNECT_TIMEOUT);
	curl.easy_setopt(c, CURLOPT_TIMEOUT, timeout);
	curl.easy_setopt(c, CURLOPT_USERAGENT, "adr/" ADR_VERSION);
	curl.easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl.easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl.easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	curl.easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_answer);
	curl.easy_setopt(c, CURLOPT_WRITEDATA, &answer);
	if ((cc = curl.easy_perform(c)) == CURLE_OK)
		curl.easy_getinfo(c, CURLINFO_RESPONSE_CODE, status);
sent:
	if (cc != CURLE_OK) {
		const char *why = errbuf[0] ? errbuf : curl.easy_strerror(cc);
		rc = adr__error(ADR_EOS, "could not send the digest to %s: %s", origin.ptr, why);
	} else if (*status < 200 || *status > 299) {
		size_t n = strcspn(answer.ptr, "\r\n");
		adr_buf_truncate(&answer, n > 200 ? 200 : n);
		if (!n)
			adr_buf_puts(&answer, "(an empty answer)");
		rc = adr__error(ADR_ERROR, "the webhook at %s answered HTTP %ld: %s", origin.ptr, *status,
				answer.ptr);
	}
	curl.slist_free_all(headers);
	curl.easy_cleanup(c);
	curl.global_cleanup();
	adr_buf_dispose(&answer);
	adr_buf_dispose(&origin);
	return rc;
}

int adr_notify_mark_sent(adr_repo *repo, const char *commit)
{
	adr_buf path = ADR_BUF_INIT, data = ADR_BUF_INIT;
	int rc;

	adr_buf_printf(&path, "%sadr", adr_repo_commondir(repo));
	if ((rc = adr__mkdirs(path.ptr, 0777)) == 0) {
		adr_buf_clear(&path);
		state_path(&path, repo);
		adr_buf_printf(&data, "%s\n", commit);
		rc = adr__file_write_atomic(path.ptr, data.ptr, data.size, 0644,
					    adr__repo_durable(repo) ? ADR_FS_DURABLE : 0);
	}
	adr_buf_dispose(&path);
	adr_buf_dispose(&data);
	return rc;
}
