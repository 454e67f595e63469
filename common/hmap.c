/*
 * hmap.c: insertion-ordered hash map with linear probing.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "hmap.h"

static void	rebuild(struct hmap *, size_t);

/* A 64-bit multiply-and-mix hash over 8-byte words: fast for short keys,
 * and good enough spread for linear probing. */
uint64_t
hmap_hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 0x9E3779B97F4A7C15ULL ^ len, w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xBF58476D1CE4E5B9ULL;
		h ^= h >> 31;
		p += 8;
		len -= 8;
	}
	w = 0;
	if (len > 0)		/* key may be NULL when len is 0 */
		memcpy(&w, p, len);
	h = (h ^ w) * 0x94D049BB133111EBULL;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9ULL;
	h ^= h >> 32;
	return h;
}

/* Slot of key in the index: the one holding it, or the empty one where it
 * would go. */
static size_t
find_slot(const struct hmap *m, const void *key, size_t len, uint64_t h)
{
	size_t mask = m->idxcap - 1, i = (size_t)h & mask;
	const struct hmap_entry *e;

	for (;; i = (i + 1) & mask) {
		if (m->idx[i] == 0)
			return i;
		e = &m->ent[m->idx[i] - 1];
		if (e->hash == h && e->klen == len &&
		    (len == 0 || memcmp(e->key, key, len) == 0))
			return i;
	}
}

/* Drop holes from the entry array and rebuild the index at idxcap. */
static void
rebuild(struct hmap *m, size_t idxcap)
{
	size_t i, j = 0;

	for (i = 0; i < m->nent; i++)
		if (m->ent[i].key != NULL)
			m->ent[j++] = m->ent[i];
	m->nent = j;
	free(m->idx);
	m->idxcap = idxcap;
	m->idx = xcalloc(idxcap, sizeof(*m->idx));
	for (i = 0; i < m->nent; i++) {
		size_t s = find_slot(m, m->ent[i].key, m->ent[i].klen,
		    m->ent[i].hash);

		m->idx[s] = (uint32_t)(i + 1);
	}
}

void *
hmap_get(const struct hmap *m, const void *key, size_t len)
{
	size_t s;

	if (m->live == 0)
		return NULL;
	s = find_slot(m, key, len, hmap_hash(key, len));
	return m->idx[s] != 0 ? m->ent[m->idx[s] - 1].val : NULL;
}

void **
hmap_put(struct hmap *m, const void *key, size_t len)
{
	uint64_t h = hmap_hash(key, len);
	struct hmap_entry *e;
	size_t s;

	/* Keep the index at most half full, counting holes (they hold no
	 * slot, but take an entry until the rebuild drops them); a rebuild
	 * sizes the index to a quarter full at most, shrinking it after many
	 * deletes. */
	if (m->idxcap == 0 || (m->nent + 1) * 2 > m->idxcap) {
		size_t cap = 16;

		while ((m->live + 1) * 4 > cap)
			cap *= 2;
		if (m->live >= UINT32_MAX / 4)
			diag_errx(EXIT_DATA, "hash map too large");
		rebuild(m, cap);
	}
	s = find_slot(m, key, len, h);
	if (m->idx[s] != 0)
		return &m->ent[m->idx[s] - 1].val;
	if (m->nent == m->entcap) {
		m->entcap = m->entcap != 0 ? m->entcap * 2 : 16;
		m->ent = xrealloc(m->ent, m->entcap * sizeof(*m->ent));
	}
	e = &m->ent[m->nent];
	e->key = xmalloc(len + 1);
	if (len > 0)
		memcpy(e->key, key, len);
	e->key[len] = '\0';
	e->klen = len;
	e->hash = h;
	e->val = NULL;
	m->idx[s] = (uint32_t)(++m->nent);
	m->live++;
	return &e->val;
}

void *
hmap_del(struct hmap *m, const void *key, size_t len)
{
	struct hmap_entry *e;
	size_t s, mask, i, j, k;
	void *val;

	if (m->live == 0)
		return NULL;
	s = find_slot(m, key, len, hmap_hash(key, len));
	if (m->idx[s] == 0)
		return NULL;
	e = &m->ent[m->idx[s] - 1];
	val = e->val;
	free(e->key);
	e->key = NULL;
	e->val = NULL;
	m->live--;
	/* Backward-shift deletion keeps probe chains intact without
	 * tombstones in the index. */
	mask = m->idxcap - 1;
	m->idx[s] = 0;
	for (i = s, j = (s + 1) & mask; m->idx[j] != 0; j = (j + 1) & mask) {
		k = (size_t)m->ent[m->idx[j] - 1].hash & mask;
		if ((j > i && (k <= i || k > j)) ||
		    (j < i && (k <= i && k > j))) {
			m->idx[i] = m->idx[j];
			m->idx[j] = 0;
			i = j;
		}
	}
	return val;
}

void
hmap_free(struct hmap *m, void (*free_val)(void *))
{
	size_t i;

	for (i = 0; i < m->nent; i++) {
		if (m->ent[i].key == NULL)
			continue;
		free(m->ent[i].key);
		if (free_val != NULL)
			free_val(m->ent[i].val);
	}
	free(m->ent);
	free(m->idx);
	memset(m, 0, sizeof(*m));
}
