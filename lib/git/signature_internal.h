/* git/signature_internal.h: who adr's commits say made them (signature.c). */
#ifndef ADR_SIGNATURE_INTERNAL_H
#define ADR_SIGNATURE_INTERNAL_H

#include <git2.h>

/*
 * The signature for `who` ("AUTHOR" or "COMMITTER"): GIT_<who>_NAME,
 * GIT_<who>_EMAIL and GIT_<who>_DATE, else user.name, user.email and now.
 * A name or email that is not configured is ADR_EUSAGE, with the fix.
 */
int adr__signature_new(git_signature **out, git_repository *git, const char *who);

#endif
