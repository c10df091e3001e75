/*
 * tests/fuzz/fuzz.h: what every fuzz target shares. A target is one
 * LLVMFuzzerTestOneInput(); with clang it links libFuzzer, with gcc it links
 * standalone.c, which replays a corpus. A broken property is a crash
 * (abort), so libFuzzer keeps the input.
 */
#ifndef ADR_FUZZ_H
#define ADR_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond)                                                                    \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "%s:%d: property broken: %s (last error: %s)\n", __FILE__, \
				__LINE__, #cond, adr_error_last());                                 \
			abort();                                                            \
		}                                                                           \
	} while (0)

/* A NUL-terminated copy of the input (callers free it). Out of memory is a crash. */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	FUZZ_CHECK(s != NULL);
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

#endif
