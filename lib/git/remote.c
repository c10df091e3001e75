/*
 * git/remote.c: the transport of adr sync (git/remote_internal.h). Fetches
 * the decision branch and every adr/<slug> branch into remote-tracking refs, and
 * pushes with explicit refspecs, reading each ref's status from libgit2's
 * push_update_reference callback: git_remote_push returns 0 even when the
 * remote rejected a ref. Credentials: ssh-agent, then the usual keys in
 * ~/.ssh, and for https the caller's callback (the library runs no helper).
 */
#include "git/remote_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"
#include "util/error.h"

/* The name of the decision branch's upstream remote, or "origin". */
static int default_remote(adr_buf *out, adr_repo *repo)
{
	git_config *cfg = NULL;
	const char *b = adr_repo_branch(repo), *v = NULL;
	adr_buf key = ADR_BUF_INIT;

	if (strncmp(b, "refs/heads/", 11) == 0)
		b += 11;
	adr_buf_printf(&key, "branch.%s.remote", b);
	if (git_repository_config_snapshot(&cfg, adr__repo_git(repo)) == 0 && !adr_buf_oom(&key) &&
	    git_config_get_string(&v, cfg, key.ptr) == 0 && v && *v && strcmp(v, ".") != 0)
		adr_buf_puts(out, v);
	else
		adr_buf_puts(out, "origin");
	git_error_clear();
	git_config_free(cfg);
	adr_buf_dispose(&key);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* The transport failed: "cannot <what> '<remote>' (<url>): <libgit2's reason>". */
static int remote_failed(adr__remote *r, int rc, const char *what)
{
	return adr__error_git(rc, "cannot %s '%s' (%s)", what, r->name, r->url);
}

/* A local remote (a path, file://) is read by libgit2 in place: it lists
 * the remote's refs, then reads each one, and fails when another process
 * deleted one in between (a proposal branch retired by someone's sync).
 * The listing is then simply out of date: read it again, a few times. */
#define CONNECT_ATTEMPTS 4

static bool remote_refs_moved(int rc)
{
	const git_error *e = git_error_last();
	return rc == GIT_ENOTFOUND && e && e->klass == GIT_ERROR_REFERENCE;
}

/* remote.<name>.<key> into *out (borrowed from `cfg`), NULL when unset. */
static const char *remote_config(git_config *cfg, const char *name, const char *key)
{
	adr_buf k = ADR_BUF_INIT;
	const char *v = NULL;
	adr_buf_printf(&k, "remote.%s.%s", name, key);
	if (adr_buf_oom(&k) || git_config_get_string(&v, cfg, k.ptr) < 0 || (v && !*v))
		v = NULL;
	git_error_clear();
	adr_buf_dispose(&k);
	return v;
}

int adr__remote_open(adr__remote *r, adr_repo *repo, const char *name, adr_sync_credential_fn cred, void *payload)
{
	git_remote_create_options o;
	git_config *cfg = NULL;
	adr_buf n = ADR_BUF_INIT;
	const char *url, *push;
	int rc;

	memset(r, 0, sizeof(*r));
	r->repo = repo;
	r->cred = cred;
	r->cred_payload = payload;
	if (name)
		adr_buf_puts(&n, name);
	else if ((rc = default_remote(&n, repo)) < 0)
		goto cleanup;
	if (adr_buf_oom(&n) || !(r->name = adr_buf_detach(&n))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	/* The remote as an in-memory one with its URLs: git_remote_lookup()
	 * rewrites URLs through a regex walk of the whole configuration, which
	 * leaks in libgit2 1.5 (git_regexp_match on a non-match), and sync
	 * names every refspec itself anyway. url.<base>.insteadOf is not applied. */
	if ((rc = git_repository_config_snapshot(&cfg, adr__repo_git(repo))) < 0 ||
	    !(url = remote_config(cfg, r->name, "url"))) {
		rc = adr__error(ADR_ENOTFOUND, "no remote '%s' in this repository (add one with git remote add %s URL)",
				r->name, r->name);
		goto cleanup;
	}
	push = remote_config(cfg, r->name, "pushurl");
	if (!(r->url = adr__strdup(push ? push : url))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	git_remote_create_options_init(&o, GIT_REMOTE_CREATE_OPTIONS_VERSION);
	o.repository = adr__repo_git(repo);
	o.flags = GIT_REMOTE_CREATE_SKIP_INSTEADOF | GIT_REMOTE_CREATE_SKIP_DEFAULT_FETCHSPEC;
	if ((rc = git_remote_create_with_opts(&r->remote, url, &o)) < 0 ||
	    (push && (rc = git_remote_set_instance_pushurl(r->remote, push)) < 0))
		rc = remote_failed(r, rc, "use");
cleanup:
	git_config_free(cfg);
	adr_buf_dispose(&n);
	return rc;
}

int adr__remote_tracking(adr_buf *out, const adr__remote *r, const char *ref)
{
	adr_buf_clear(out);
	adr_buf_printf(out, "refs/remotes/%s/%s", r->name, strncmp(ref, "refs/heads/", 11) == 0 ? ref + 11 : ref);
	return adr_buf_oom(out) ? ADR_ENOMEM : 0;
}

/* --- callbacks ---------------------------------------------------------------- */

static int key_cred(git_credential **out, adr__remote *r, const char *user)
{
	static const char *const keys[] = { "id_ed25519", "id_ecdsa", "id_rsa" };
	const char *home = getenv("HOME");

	while (home && r->key_idx < (int)(sizeof(keys) / sizeof(keys[0]))) {
		char priv[4096], pub[4200];
		snprintf(priv, sizeof(priv), "%s/.ssh/%s", home, keys[r->key_idx++]);
		snprintf(pub, sizeof(pub), "%s.pub", priv);
		if (access(priv, R_OK) == 0)
			return git_credential_ssh_key_new(out, user, access(pub, R_OK) == 0 ? pub : NULL, priv, NULL);
	}
	return 1;
}

/* Each way is tried once: libgit2 calls again after a failed attempt. */
static int acquire_cred(git_credential **out, const char *url, const char *user_from_url, unsigned int allowed,
			void *payload)
{
	adr__remote *r = payload;
	const char *user = user_from_url && *user_from_url ? user_from_url : "git";
	int rc;

	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user);
	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		if (!r->agent_tried) {
			r->agent_tried = true;
			if (getenv("SSH_AUTH_SOCK"))
				return git_credential_ssh_key_from_agent(out, user);
		}
		if ((rc = key_cred(out, r, user)) <= 0)
			return rc;
	}
	if ((allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) && r->cred && !r->userpass_tried) {
		char *u = NULL, *p = NULL;
		r->userpass_tried = true;
		rc = r->cred(&u, &p, url, user_from_url, r->cred_payload);
		if (rc == 0 && u && p)
			rc = git_credential_userpass_plaintext_new(out, u, p);
		else if (rc == 0)
			rc = GIT_EAUTH;
		if (p)
			memset(p, 0, strlen(p));
		free(u);
		free(p);
		if (rc == 0)
			return 0;
	}
	git_error_set_str(GIT_ERROR_NET, "no credentials were accepted (tried ssh-agent, the keys in ~/.ssh and "
					 "the credential helper)");
	return GIT_EAUTH;
}

static int push_ref_cb(const char *refname, const char *status, void *payload)
{
	adr__remote *r = payload;
	adr__push_ref *p;

	if (ADR_ARRAY_GROW(r->pushed, r->apushed, r->npushed + 1) < 0)
		return -1;
	p = &r->pushed[r->npushed];
	p->ref = adr__strdup(refname);
	p->msg = status ? adr__strdup(status) : NULL;
	if (!p->ref || (status && !p->msg)) {
		free(p->ref);
		free(p->msg);
		return -1;
	}
	r->npushed++;
	return 0;
}

static int fetch_progress_cb(const git_indexer_progress *stats, void *payload)
{
	adr__remote *r = payload;
	if (r->progress)
		r->progress("objects received", stats->received_objects, stats->total_objects, r->progress_payload);
	return 0;
}

static int push_progress_cb(unsigned int current, unsigned int total, size_t bytes, void *payload)
{
	adr__remote *r = payload;
	(void)bytes;
	if (r->progress)
		r->progress("objects sent", current, total, r->progress_payload);
	return 0;
}

static void callbacks(git_remote_callbacks *cb, adr__remote *r)
{
	git_remote_init_callbacks(cb, GIT_REMOTE_CALLBACKS_VERSION);
	cb->credentials = acquire_cred;
	cb->push_update_reference = push_ref_cb;
	cb->transfer_progress = fetch_progress_cb;
	cb->push_transfer_progress = push_progress_cb;
	cb->payload = r;
}

/* --- fetch, list, push ----------------------------------------------------------- */

int adr__remote_fetch(adr__remote *r, const char *branch)
{
	git_fetch_options fo;
	adr_buf spec = ADR_BUF_INIT, tracking = ADR_BUF_INIT, adr = ADR_BUF_INIT;
	char *specs[2];
	git_strarray arr = { specs, 2 };
	int rc;

	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	callbacks(&fo.callbacks, r);
	fo.prune = GIT_FETCH_PRUNE;
	fo.update_fetchhead = 0;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	if ((rc = adr__remote_tracking(&tracking, r, branch)) < 0)
		goto cleanup;
	adr_buf_printf(&spec, "+%s:%s", branch, tracking.ptr);
	adr_buf_printf(&adr, "+refs/heads/adr/*:refs/remotes/%s/adr/*", r->name);
	if (adr_buf_oom(&spec) || adr_buf_oom(&adr)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	specs[0] = spec.ptr;
	specs[1] = adr.ptr;
	for (int attempt = 1; (rc = git_remote_fetch(r->remote, &arr, &fo, "adr sync: fetch")) < 0 &&
			      attempt < CONNECT_ATTEMPTS && remote_refs_moved(rc); attempt++)
		git_remote_disconnect(r->remote);
	if (rc < 0)
		rc = remote_failed(r, rc, "fetch from");
cleanup:
	adr_buf_dispose(&spec);
	adr_buf_dispose(&tracking);
	adr_buf_dispose(&adr);
	return rc;
}

void adr__remote_heads_free(adr__remote_head *h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(h[i].name);
	free(h);
}

int adr__remote_list(adr__remote *r, adr__remote_head **out, size_t *n)
{
	git_remote_callbacks cb;
	const git_remote_head **heads = NULL;
	size_t count = 0;
	int rc;

	*out = NULL;
	*n = 0;
	callbacks(&cb, r);
	for (int attempt = 1; (rc = git_remote_connect(r->remote, GIT_DIRECTION_FETCH, &cb, NULL, NULL)) < 0 &&
			      attempt < CONNECT_ATTEMPTS && remote_refs_moved(rc); attempt++)
		git_remote_disconnect(r->remote);
	if (rc < 0 || (rc = git_remote_ls(&heads, &count, r->remote)) < 0) {
		rc = remote_failed(r, rc, "list the branches of");
		goto cleanup;
	}
	if (!(*out = adr__calloc(count + 1, sizeof(**out)))) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	for (size_t i = 0; i < count; i++) {
		if (strncmp(heads[i]->name, "refs/heads/", 11) != 0)
			continue;
		if (!((*out)[*n].name = adr__strdup(heads[i]->name))) {
			rc = ADR_ENOMEM;
			goto cleanup;
		}
		(*out)[(*n)++].id = heads[i]->oid;
	}
cleanup:
	git_remote_disconnect(r->remote);
	if (rc < 0) {
		adr__remote_heads_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return rc;
}

static void forget_pushed(adr__remote *r)
{
	for (size_t i = 0; i < r->npushed; i++) {
		free(r->pushed[i].ref);
		free(r->pushed[i].msg);
	}
	r->npushed = 0;
}

/* True for a remote on this machine's file system (file:// or a path). */
static bool is_local(const char *url)
{
	const char *scheme = strstr(url, "://"), *colon = strchr(url, ':'), *slash = strchr(url, '/');
	if (strncmp(url, "file://", 7) == 0)
		return true;
	if (scheme)
		return false;
	/* "host:path" is ssh; a path may hold a colon only after a slash. */
	return !colon || (slash && slash < colon);
}

static const char *status_of(int grc)
{
	if (grc == GIT_EMODIFIED || grc == GIT_EEXISTS)
		return "failed to update ref: it moved on the remote";
	if (grc == GIT_ELOCKED)
		return "failed to lock: another push is updating it";
	return git_error_last() && git_error_last()->message ? git_error_last()->message : "failed to update ref";
}

static int cannot_push(adr__remote *r, int rc)
{
	return remote_failed(r, rc, "push to");
}

/* The objects the remote lacks, as one pack in its object directory. */
static int local_objects(adr__remote *r, git_repository *remote, const adr__push_spec *specs, size_t n)
{
	git_repository *git = adr__repo_git(r->repo);
	git_packbuilder *pb = NULL;
	git_revwalk *w = NULL;
	adr_buf hide = ADR_BUF_INIT, dir = ADR_BUF_INIT;
	int rc;

	/* The pack builder takes a libgit2 revwalk, not walk.c's callback. */
	adr_buf_printf(&hide, "refs/remotes/%s/*", r->name);
	adr_buf_printf(&dir, "%sobjects/pack", git_repository_path(remote));
	if (adr_buf_oom(&hide) || adr_buf_oom(&dir)) {
		rc = ADR_ENOMEM;
		goto cleanup;
	}
	if ((rc = git_packbuilder_new(&pb, git)) < 0 || (rc = git_revwalk_new(&w, git)) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (specs[i].new_id && (rc = git_revwalk_push(w, specs[i].new_id)) < 0)
			goto fail;
		if (specs[i].old && git_revwalk_hide(w, specs[i].old) < 0)
			git_error_clear(); /* not here: the remote has it, we need not send it */
	}
	if (git_revwalk_hide_glob(w, hide.ptr) < 0)
		git_error_clear();
	if ((rc = git_packbuilder_insert_walk(pb, w)) < 0)
		goto fail;
	if (git_packbuilder_object_count(pb) > 0 && (rc = git_packbuilder_write(pb, dir.ptr, 0, NULL, NULL)) < 0)
		goto fail;
	goto cleanup;
fail:
	rc = cannot_push(r, rc);
cleanup:
	git_revwalk_free(w);
	git_packbuilder_free(pb);
	adr_buf_dispose(&hide);
	adr_buf_dispose(&dir);
	return rc;
}

/* One ref of a local push, by compare-and-swap against spec->old. */
static int local_ref(adr__remote *r, git_repository *remote, const adr__push_spec *spec)
{
	git_reference *ref = NULL;
	const char *why = NULL;
	int grc;

	if (spec->new_id && spec->old)
		grc = git_reference_create_matching(&ref, remote, spec->dst, spec->new_id, 1, spec->old, "push");
	else if (spec->new_id)
		grc = git_reference_create(&ref, remote, spec->dst, spec->new_id, 0, "push");
	else if ((grc = git_reference_lookup(&ref, remote, spec->dst)) == 0)
		grc = spec->old && git_reference_target(ref) && git_oid_equal(git_reference_target(ref), spec->old)
			      ? git_reference_delete(ref)
			      : GIT_EMODIFIED;
	if (grc < 0)
		why = status_of(grc);
	git_reference_free(ref);
	git_error_clear();
	return push_ref_cb(spec->dst, why, r);
}

static int local_push(adr__remote *r, const adr__push_spec *specs, size_t n)
{
	git_repository *remote = NULL;
	const char *path = strncmp(r->url, "file://", 7) == 0 ? r->url + 7 : r->url;
	int rc;

	if ((rc = git_repository_open_ext(&remote, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL)) < 0)
		return cannot_push(r, rc);
	rc = local_objects(r, remote, specs, n);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = local_ref(r, remote, &specs[i]);
	git_repository_free(remote);
	return rc;
}

/* The remote-tracking refs of what the remote accepted. */
static void track_pushed(adr__remote *r, const adr__push_spec *specs, size_t n)
{
	adr_buf t = ADR_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		git_reference *ref = NULL;
		bool ok = true;
		for (size_t k = 0; k < r->npushed; k++)
			if (strcmp(r->pushed[k].ref, specs[i].dst) == 0 && r->pushed[k].msg)
				ok = false;
		if (!ok || adr__remote_tracking(&t, r, specs[i].dst) < 0)
			continue;
		if (specs[i].new_id)
			git_reference_create(&ref, adr__repo_git(r->repo), t.ptr, specs[i].new_id, 1, "adr sync: push");
		else if (git_reference_lookup(&ref, adr__repo_git(r->repo), t.ptr) == 0)
			git_reference_delete(ref);
		git_reference_free(ref);
	}
	git_error_clear();
	adr_buf_dispose(&t);
}

/* Before a push over the network: the remote still holds what each ref was
 * based on (libgit2 then pushes on this same connection, so it sends these
 * values as the old ones and the remote refuses a ref that moved since). */
static int leases_hold(adr__remote *r, const adr__push_spec *specs, size_t n, const git_remote_callbacks *cb)
{
	const git_remote_head **heads = NULL;
	size_t count = 0;
	int rc;

	for (int attempt = 1; (rc = git_remote_connect(r->remote, GIT_DIRECTION_PUSH, cb, NULL, NULL)) < 0 &&
			      attempt < CONNECT_ATTEMPTS && remote_refs_moved(rc); attempt++)
		git_remote_disconnect(r->remote);
	if (rc < 0 || (rc = git_remote_ls(&heads, &count, r->remote)) < 0)
		return cannot_push(r, rc);
	for (size_t i = 0; i < n; i++) {
		const git_oid *now = NULL;
		for (size_t k = 0; k < count && !now; k++)
			if (strcmp(heads[k]->name, specs[i].dst) == 0)
				now = &heads[k]->oid;
		if (!now != !specs[i].old || (now && !git_oid_equal(now, specs[i].old)))
			return 1;
	}
	return 0;
}

static int net_push(adr__remote *r, const adr__push_spec *specs, size_t n)
{
	git_push_options po;
	adr_strlist l = { 0 };
	adr_buf spec = ADR_BUF_INIT;
	git_strarray arr;
	int rc;

	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	callbacks(&po.callbacks, r);
	if ((rc = leases_hold(r, specs, n, &po.callbacks)) != 0)
		goto cleanup;
	for (size_t i = 0; i < n && rc == 0; i++) {
		adr_buf_clear(&spec);
		adr_buf_printf(&spec, "%s:%s", specs[i].new_id ? specs[i].src : "", specs[i].dst);
		rc = adr_buf_oom(&spec) || adr_strlist_add(&l, spec.ptr) < 0 ? ADR_ENOMEM : 0;
	}
	arr.strings = l.items;
	arr.count = l.count;
	if (rc == 0 && (rc = git_remote_push(r->remote, &arr, &po)) == GIT_ENONFASTFORWARD)
		rc = 1;
	else if (rc < 0 && rc != ADR_ENOMEM)
		rc = cannot_push(r, rc);
cleanup:
	git_remote_disconnect(r->remote);
	adr_strlist_dispose(&l);
	adr_buf_dispose(&spec);
	return rc;
}

int adr__remote_push(adr__remote *r, const adr__push_spec *specs, size_t n, size_t *rejected)
{
	bool local = is_local(r->url);
	int rc;

	*rejected = 0;
	forget_pushed(r);
	rc = local ? local_push(r, specs, n) : net_push(r, specs, n);
	if (rc == 1)
		return adr__error(ADR_EBUSY, "a branch of '%s' (%s) moved since the fetch", r->name, r->url);
	if (rc < 0)
		return rc;
	/* A ref the remote said nothing about was not accepted either. */
	for (size_t i = 0; i < n; i++) {
		bool found = false;
		for (size_t k = 0; k < r->npushed && !found; k++)
			found = strcmp(r->pushed[k].ref, specs[i].dst) == 0;
		if (!found && push_ref_cb(specs[i].dst, "the remote did not report on this ref", r) < 0)
			return ADR_ENOMEM;
	}
	for (size_t k = 0; k < r->npushed; k++)
		if (r->pushed[k].msg)
			(*rejected)++;
	/* libgit2 only updates the remote-tracking refs of a named remote. */
	track_pushed(r, specs, n);
	return 0;
}

void adr__remote_close(adr__remote *r)
{
	forget_pushed(r);
	free(r->pushed);
	git_remote_free(r->remote);
	free(r->name);
	free(r->url);
	memset(r, 0, sizeof(*r));
}
