/*
 * util/siphash.c against the published SipHash-2-4 test vectors (the
 * paper's appendix: key 00 01 .. 0f, messages 00 01 .. of each length).
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "util/siphash.h"

static const struct {
	size_t len;
	uint64_t want;
} vectors[] = {
	{ 0, 0x726fdb47dd0e0e31ULL },
	{ 1, 0x74f839c593dc67fdULL },
	{ 7, 0xab0200f58b01d137ULL },
	{ 8, 0x93f5f5799a932462ULL },
	{ 15, 0xa129ca6149be45e5ULL },
	{ 63, 0x958a324ceb064572ULL },
};

Test(siphash, published_vectors)
{
	unsigned char key[ADR_SIPHASH_KEY_SIZE], msg[64];

	for (int i = 0; i < 16; i++)
		key[i] = (unsigned char)i;
	for (int i = 0; i < 64; i++)
		msg[i] = (unsigned char)i;
	for (size_t i = 0; i < sizeof(vectors) / sizeof(*vectors); i++)
		cr_assert_eq(adr__siphash(key, msg, vectors[i].len), vectors[i].want, "length %zu: %016llx",
			     vectors[i].len, (unsigned long long)adr__siphash(key, msg, vectors[i].len));
}

Test(siphash, the_key_changes_the_hash)
{
	unsigned char k1[ADR_SIPHASH_KEY_SIZE] = { 0 }, k2[ADR_SIPHASH_KEY_SIZE] = { 0 };

	k2[15] = 1;
	cr_assert_neq(adr__siphash(k1, "page", 4), adr__siphash(k2, "page", 4));
}
