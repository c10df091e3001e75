/* git/progress.c: the progress callback a repository carries (adr_repo_set_progress). */
#include "git/repo_internal.h"
#include "util/progress.h"

void adr_repo_set_progress(adr_repo *repo, adr_progress_fn fn, void *payload)
{
	repo->progress = fn;
	repo->progress_payload = payload;
}

void adr__repo_progress(adr_repo *repo, const char *what, size_t done, size_t total)
{
	adr__progress(repo->progress, repo->progress_payload, what, done, total);
}
