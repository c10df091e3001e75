/* git/oidmap.c: the object id map of the history walks (git/oidmap.h). */
#include "git/oidmap.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/hash.h"

const git_oid *adr__oidmap_get(const adr__oidmap *m, const git_oid *key)
{
	if (!m->cap)
		return NULL;
	size_t i = (unsigned long)adr__hash(key->id, GIT_OID_RAWSZ) & (m->cap - 1);
	for (; m->slots[i].used; i = (i + 1) & (m->cap - 1))
		if (git_oid_equal(&m->slots[i].key, key))
			return &m->slots[i].val;
	return NULL;
}

int adr__oidmap_put(adr__oidmap *m, const git_oid *key, const git_oid *val)
{
	if ((m->count + 1) * 2 > m->cap) {
		size_t ncap = m->cap ? m->cap * 2 : 1024, ocap = m->cap;
		adr__oid_slot *old = m->slots;
		m->slots = adr__calloc(ncap, sizeof(*m->slots));
		if (!m->slots) {
			m->slots = old;
			return ADR_ENOMEM;
		}
		m->cap = ncap;
		m->count = 0;
		for (size_t i = 0; i < ocap; i++)
			if (old[i].used)
				adr__oidmap_put(m, &old[i].key, &old[i].val);
		free(old);
	}
	size_t i = (unsigned long)adr__hash(key->id, GIT_OID_RAWSZ) & (m->cap - 1);
	while (m->slots[i].used && !git_oid_equal(&m->slots[i].key, key))
		i = (i + 1) & (m->cap - 1);
	if (!m->slots[i].used)
		m->count++;
	m->slots[i].used = true;
	git_oid_cpy(&m->slots[i].key, key);
	git_oid_cpy(&m->slots[i].val, val);
	return 0;
}

void adr__oidmap_free(adr__oidmap *m)
{
	free(m->slots);
	memset(m, 0, sizeof(*m));
}
