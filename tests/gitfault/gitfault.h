/* The libgit2 fault shim's runtime (gitfault.c), used by the wrappers that
 * gen_wrappers.py writes. */
#ifndef ADR_GITFAULT_H
#define ADR_GITFAULT_H

extern const char *const gitfault_names[];
extern const int gitfault_nnames;

/* The real libgit2 function `name` (dlsym RTLD_NEXT); aborts if absent. */
void *gitfault_real(const char *name);
/* Counts a call of wrapper `id` made from `caller`; returns 1, with the
 * libgit2 error set and *rc the code to return, when this call is the one
 * to fail. Calls that libgit2 makes to itself are neither counted nor
 * failed. */
int gitfault_fail(int id, void *caller, int *rc);

#endif
