/*
 * hmap.h: a hash map from byte-string keys to pointers, iterated in
 * insertion order.
 *
 * Entries live in an array in the order they were first inserted (a deleted
 * entry leaves a hole until the next compaction), and an open-addressing
 * index of 32-bit slots points into that array. Insertion order makes every
 * tool's output that walks a map deterministic. Keys are copied; values are
 * the caller's. A key of length 0 may be passed as NULL (an empty struct buf's
 * data): the empty key is a key like any other.
 *
 *	struct hmap m = HMAP_INIT;
 *	void **slot = hmap_put(&m, "k", 1);	// *slot is NULL when new
 *	*slot = row;
 *	HMAP_FOREACH(&m, e) use(e->key, e->klen, e->val);
 *	hmap_free(&m, free);
 */
#ifndef CDC_HMAP_H
#define CDC_HMAP_H

#include <stddef.h>
#include <stdint.h>

struct hmap_entry {
	char		*key;		/* NULL for a deleted entry */
	size_t		 klen;
	uint64_t	 hash;
	void		*val;
};

struct hmap {
	struct hmap_entry *ent;
	size_t		 nent;		/* entries used, holes included */
	size_t		 entcap;
	uint32_t	*idx;		/* slot -> entry index + 1; 0 empty */
	size_t		 idxcap;	/* power of two */
	size_t		 live;		/* entries that are not holes */
};

#define HMAP_INIT { NULL, 0, 0, NULL, 0, 0 }

#define HMAP_FOREACH(m, e) \
	for ((e) = (m)->ent; (e) != NULL && (e) < (m)->ent + (m)->nent; (e)++) \
		if ((e)->key != NULL)

uint64_t hmap_hash(const void *key, size_t len);

/* Value stored under key, or NULL. */
void	*hmap_get(const struct hmap *m, const void *key, size_t len);
/* The value slot of key, created (holding NULL) when absent. The pointer is
 * valid until the next put or delete. */
void	**hmap_put(struct hmap *m, const void *key, size_t len);
/* Remove key; returns its value (NULL when absent). */
void	*hmap_del(struct hmap *m, const void *key, size_t len);
/* Free keys and the map; free_val (may be NULL) is called on each value. */
void	 hmap_free(struct hmap *m, void (*free_val)(void *));

#endif
