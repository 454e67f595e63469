/*
 * test_hmap.c: unit tests for the insertion-ordered hash map.
 *
 * Basic put/get/del, binary keys, first-insertion iteration order, the
 * value callback of hmap_free, deletions that wrap around the end of the
 * index, a hash smoke test, and 100k random operations checked against a
 * plain array reference that records insertion order on its own.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hmap.h"
#include "unit.h"

/* Reference for the random test: key ids 0..NKEYS-1. */
#define NKEYS		3000
#define NOPS		100000
#define ORDER_MAX	(NOPS + NKEYS)

struct ref {
	int		 present[NKEYS];
	void		*val[NKEYS];
	uint64_t	 seq[NKEYS];	/* when it was last inserted anew */
	/* every insertion anew, in order: id and seq */
	int		 order_id[ORDER_MAX];
	uint64_t	 order_seq[ORDER_MAX];
	size_t		 norder;
	size_t		 live;
	uint64_t	 clock;
};

static size_t	key_of(int, unsigned char *);
static void	count_free(void *);
static void	*intval(int);
static int	check_against_ref(const struct hmap *, const struct ref *);
static int	keys_in_order(const struct hmap *, const char *const *,
		    size_t);
static void	test_empty(void);
static void	test_basic(void);
static void	test_binary_keys(void);
static void	test_order(void);
static void	test_foreach(void);
static void	test_free_val(void);
static void	test_wraparound(void);
static void	test_hash(void);
static void	test_random(void);

static int freed_count;
static char pool[1 << 17];	/* values are addresses in here */

static void *
intval(int i)
{
	return &pool[(size_t)i % sizeof(pool)];
}

/*
 * Key for id into k (at least 24 bytes); returns its length. Id 0 is the
 * empty key; the others start with the id's two bytes (so all differ) and
 * go on with bytes that include NULs, 2 to 22 bytes in all.
 */
static size_t
key_of(int id, unsigned char *k)
{
	size_t len, i;
	uint32_t x;

	if (id == 0)
		return 0;
	len = 2 + (size_t)id % 21;
	k[0] = (unsigned char)(id & 0xFF);
	k[1] = (unsigned char)(id >> 8);
	x = (uint32_t)id * 2654435761u;
	for (i = 2; i < len; i++) {
		x = x * 1103515245u + 12345u;
		k[i] = (x >> 16) % 3 == 0 ? 0 : (unsigned char)(x >> 24);
	}
	return len;
}

static void
count_free(void *p)
{
	freed_count++;
	free(p);
}

/* 1 when the map iterates exactly keys[0..n) (C strings) in that order. */
static int
keys_in_order(const struct hmap *m, const char *const *keys, size_t n)
{
	const struct hmap_entry *e;
	size_t i = 0;

	HMAP_FOREACH(m, e) {
		if (i >= n || e->klen != strlen(keys[i]) ||
		    memcmp(e->key, keys[i], e->klen) != 0)
			return 0;
		i++;
	}
	return i == n && m->live == n;
}

static void
test_empty(void)
{
	struct hmap m = HMAP_INIT;
	struct hmap_entry *e;
	int n = 0;

	CHECK(hmap_get(&m, "a", 1) == NULL);
	CHECK(hmap_get(&m, "", 0) == NULL);
	CHECK(hmap_del(&m, "a", 1) == NULL);
	HMAP_FOREACH(&m, e)
		n++;
	CHECK_INT(n, 0);
	CHECK_INT(m.live, 0);
	hmap_free(&m, NULL);
	hmap_free(&m, NULL);	/* a freed map is an empty map */
	CHECK(m.ent == NULL && m.idx == NULL && m.nent == 0);

	/* The empty key may come as NULL (an empty struct buf's data): no
	 * memcpy or memcmp may see that pointer (UBSan). */
	CHECK(hmap_get(&m, NULL, 0) == NULL);
	*hmap_put(&m, NULL, 0) = intval(1);
	CHECK(hmap_get(&m, "", 0) == intval(1));
	CHECK(hmap_get(&m, NULL, 0) == intval(1));
	CHECK(hmap_hash(NULL, 0) == hmap_hash("", 0));
	CHECK(hmap_del(&m, NULL, 0) == intval(1));
	CHECK_INT(m.live, 0);
	hmap_free(&m, NULL);
}

static void
test_basic(void)
{
	struct hmap m = HMAP_INIT;
	void **slot, **slot2;
	char key[4] = "abc";

	slot = hmap_put(&m, "a", 1);
	CHECK(slot != NULL);
	CHECK(slot != NULL && *slot == NULL);
	*slot = intval(1);
	CHECK(hmap_get(&m, "a", 1) == intval(1));
	CHECK(hmap_get(&m, "b", 1) == NULL);
	CHECK(hmap_get(&m, "a", 0) == NULL);
	CHECK(hmap_get(&m, "aa", 2) == NULL);
	CHECK_INT(m.live, 1);

	/* Existing key: the same slot with the value in it. */
	slot2 = hmap_put(&m, "a", 1);
	CHECK(slot2 != NULL && *slot2 == intval(1));
	*slot2 = intval(2);
	CHECK(hmap_get(&m, "a", 1) == intval(2));
	CHECK_INT(m.live, 1);

	/* The key is copied: changing the caller's bytes changes nothing. */
	slot = hmap_put(&m, key, 3);
	*slot = intval(3);
	key[0] = 'x';
	CHECK(hmap_get(&m, "abc", 3) == intval(3));
	CHECK(hmap_get(&m, "xbc", 3) == NULL);
	CHECK_INT(m.live, 2);
	CHECK_INT(m.ent[1].klen, 3);
	CHECK_INT(m.ent[1].key[3], '\0');	/* copies are terminated */
	CHECK(m.ent[1].key != key);

	/* A new key's slot holds NULL even after others were set. */
	slot = hmap_put(&m, "b", 1);
	CHECK(*slot == NULL);
	CHECK(hmap_get(&m, "b", 1) == NULL);	/* present, value NULL */
	CHECK_INT(m.live, 3);

	/* Delete returns the value; the key is then gone. */
	CHECK(hmap_del(&m, "a", 1) == intval(2));
	CHECK(hmap_get(&m, "a", 1) == NULL);
	CHECK(hmap_del(&m, "a", 1) == NULL);
	CHECK(hmap_del(&m, "zz", 2) == NULL);
	CHECK_INT(m.live, 2);
	CHECK(hmap_get(&m, "abc", 3) == intval(3));

	/* Re-inserted after delete: new, so its slot starts NULL again. */
	slot = hmap_put(&m, "a", 1);
	CHECK(*slot == NULL);
	*slot = intval(4);
	CHECK(hmap_get(&m, "a", 1) == intval(4));
	CHECK_INT(m.live, 3);

	/* Delete everything; the map is empty but usable. */
	CHECK(hmap_del(&m, "a", 1) == intval(4));
	CHECK(hmap_del(&m, "abc", 3) == intval(3));
	CHECK(hmap_del(&m, "b", 1) == NULL);
	CHECK_INT(m.live, 0);
	CHECK(hmap_get(&m, "b", 1) == NULL);
	slot = hmap_put(&m, "c", 1);
	CHECK(*slot == NULL);
	*slot = intval(5);
	CHECK(hmap_get(&m, "c", 1) == intval(5));
	hmap_free(&m, NULL);
}

static void
test_binary_keys(void)
{
	static const struct {
		const char	*k;
		size_t		 len;
	} keys[] = {
		{ "", 0 },
		{ "\0", 1 },
		{ "\0\0", 2 },
		{ "a", 1 },
		{ "a\0", 2 },
		{ "a\0b", 3 },
		{ "a\0c", 3 },
		{ "\0a", 2 },
		{ "abcdefgh", 8 },
		{ "abcdefgh\0", 9 },
		{ "abcdefghi", 9 },
		{ "abcdefgx", 8 },
		{ "abcdefghabcdefgh", 16 },
		{ "abcdefghabcdefgX", 16 },
		{ "\0\0\0\0\0\0\0\0", 8 },
		{ "\0\0\0\0\0\0\0\0\0", 9 },
		{ "\xff\xfe\x80", 3 },
	};
	size_t n = sizeof(keys) / sizeof(keys[0]), i;
	struct hmap m = HMAP_INIT;
	void **slot;
	int bad = 0;

	for (i = 0; i < n; i++) {
		slot = hmap_put(&m, keys[i].k, keys[i].len);
		if (*slot != NULL)
			bad++;
		*slot = intval((int)i + 10);
	}
	CHECK_INT(bad, 0);
	CHECK_INT(m.live, n);
	for (i = 0; i < n; i++)
		CHECK(hmap_get(&m, keys[i].k, keys[i].len) ==
		    intval((int)i + 10));
	CHECK(hmap_get(&m, "\0\0\0", 3) == NULL);
	CHECK(hmap_get(&m, "abcdefg", 7) == NULL);
	CHECK(hmap_get(&m, "a\0d", 3) == NULL);

	/* Entries keep the exact bytes and length, in insertion order. */
	for (i = 0; i < n; i++) {
		CHECK_INT(m.ent[i].klen, keys[i].len);
		CHECK(memcmp(m.ent[i].key, keys[i].k, keys[i].len) == 0);
	}

	/* The empty key is a key like any other. */
	CHECK(hmap_del(&m, "", 0) == intval(10));
	CHECK(hmap_get(&m, "", 0) == NULL);
	CHECK(hmap_get(&m, "\0", 1) == intval(11));
	CHECK(hmap_del(&m, "a\0b", 3) == intval(15));
	CHECK(hmap_get(&m, "a\0c", 3) == intval(16));
	CHECK(hmap_get(&m, "a\0", 2) == intval(14));
	CHECK_INT(m.live, n - 2);
	hmap_free(&m, NULL);
}

static void
test_order(void)
{
	static const char *const k[] = {
		"k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8", "k9"
	};
	static const char *const after_del[] = {
		"k0", "k1", "k2", "k4", "k6", "k7", "k8", "k9"
	};
	static const char *const after_reins[] = {
		"k0", "k1", "k2", "k4", "k6", "k7", "k8", "k9", "k3"
	};
	static const char *const after_overwrite[] = {
		"k0", "k1", "k2", "k4", "k6", "k7", "k8", "k9", "k3"
	};
	static const char *const after_more[] = {
		"k1", "k2", "k4", "k6", "k7", "k8", "k9", "k3", "k5", "k0"
	};
	struct hmap m = HMAP_INIT;
	struct hmap_entry *e;
	char name[16];
	size_t i;
	int bad;

	for (i = 0; i < 10; i++)
		*hmap_put(&m, k[i], 2) = intval((int)i);
	CHECK(keys_in_order(&m, k, 10));
	hmap_del(&m, "k3", 2);
	hmap_del(&m, "k5", 2);
	CHECK(keys_in_order(&m, after_del, 8));
	*hmap_put(&m, "k3", 2) = intval(33);
	CHECK(keys_in_order(&m, after_reins, 9));
	/* Overwriting does not move a key. */
	*hmap_put(&m, "k9", 2) = intval(99);
	*hmap_put(&m, "k0", 2) = intval(100);
	CHECK(keys_in_order(&m, after_overwrite, 9));
	*hmap_put(&m, "k5", 2) = intval(55);
	hmap_del(&m, "k0", 2);
	*hmap_put(&m, "k0", 2) = intval(0);
	CHECK(keys_in_order(&m, after_more, 10));

	/* Values go with their keys. */
	CHECK(hmap_get(&m, "k3", 2) == intval(33));
	CHECK(hmap_get(&m, "k9", 2) == intval(99));
	CHECK(hmap_get(&m, "k5", 2) == intval(55));
	CHECK(hmap_get(&m, "k0", 2) == intval(0));
	hmap_free(&m, NULL);

	/*
	 * Order survives growth and compaction: insert 5000, delete every
	 * odd one (leaving holes, then rebuilds as more are added), add
	 * 5000 more; the walk must be evens ascending, then the new ones.
	 */
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof(name), "n%zu", i);
		*hmap_put(&m, name, strlen(name)) = intval((int)i);
	}
	for (i = 1; i < 5000; i += 2) {
		snprintf(name, sizeof(name), "n%zu", i);
		hmap_del(&m, name, strlen(name));
	}
	for (i = 5000; i < 10000; i++) {
		snprintf(name, sizeof(name), "n%zu", i);
		*hmap_put(&m, name, strlen(name)) = intval((int)i);
	}
	CHECK_INT(m.live, 2500 + 5000);
	bad = 0;
	i = 0;
	HMAP_FOREACH(&m, e) {
		size_t want = i < 2500 ? i * 2 : i - 2500 + 5000;

		snprintf(name, sizeof(name), "n%zu", want);
		if (e->klen != strlen(name) || memcmp(e->key, name,
		    e->klen) != 0 || e->val != intval((int)want))
			bad++;
		i++;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(i, 7500);
	hmap_free(&m, NULL);
}

static void
test_foreach(void)
{
	struct hmap m = HMAP_INIT;
	struct hmap_entry *e;
	char name[16];
	int i, n, sum;

	for (i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "%d", i);
		*hmap_put(&m, name, strlen(name)) = intval(i);
	}
	for (i = 0; i < 100; i += 3) {
		snprintf(name, sizeof(name), "%d", i);
		hmap_del(&m, name, strlen(name));
	}
	n = sum = 0;
	HMAP_FOREACH(&m, e) {
		CHECK(e->key != NULL);
		n++;
		sum += (int)((char *)e->val - pool);
	}
	/* 0..99 minus the 34 multiples of 3 (sum 1683) */
	CHECK_INT(n, 66);
	CHECK_INT(sum, 4950 - 1683);

	/* The macro works as a plain statement without braces. */
	n = 0;
	HMAP_FOREACH(&m, e)
		n++;
	CHECK_INT(n, 66);
	hmap_free(&m, NULL);
}

static void
test_free_val(void)
{
	struct hmap m = HMAP_INIT;
	char name[16];
	int i;
	void *v;

	for (i = 0; i < 1000; i++) {
		snprintf(name, sizeof(name), "key%d", i);
		*hmap_put(&m, name, strlen(name)) = malloc(8);
	}
	/* Deleted values are the caller's again: free them here. */
	for (i = 0; i < 1000; i += 4) {
		snprintf(name, sizeof(name), "key%d", i);
		v = hmap_del(&m, name, strlen(name));
		CHECK(v != NULL);
		free(v);
	}
	/* Overwrite some: the old value is the caller's to free. */
	for (i = 1; i < 1000; i += 4) {
		void **slot;

		snprintf(name, sizeof(name), "key%d", i);
		slot = hmap_put(&m, name, strlen(name));
		free(*slot);
		*slot = malloc(8);
	}
	/* A key whose value is NULL still gets the call. */
	CHECK(*hmap_put(&m, "nullval", 7) == NULL);
	CHECK_INT(m.live, 751);
	freed_count = 0;
	hmap_free(&m, count_free);
	/* free(NULL) is harmless; count_free counts every live entry. */
	CHECK_INT(freed_count, 751);
	CHECK(m.ent == NULL && m.idx == NULL && m.live == 0);
}

/*
 * Keys whose home slots are the last two of the index, so their probe
 * chains wrap to slot 0; then deletions in several orders, which must move
 * the wrapped entries back correctly. idxcap is read after the first put
 * and no rebuild happens while there are at most 7 entries.
 */
static void
test_wraparound(void)
{
	char names[6][16];
	char buf[16];
	size_t mask, found = 0, home[6];
	struct hmap m = HMAP_INIT;
	int i, j, order, bad = 0;
	static const int orders[4][6] = {
		{ 0, 1, 2, 3, 4, 5 },
		{ 5, 4, 3, 2, 1, 0 },
		{ 1, 3, 5, 0, 2, 4 },
		{ 2, 0, 4, 1, 5, 3 },
	};

	*hmap_put(&m, "probe", 5) = NULL;
	hmap_del(&m, "probe", 5);
	CHECK_INT(m.idxcap, 16);
	mask = m.idxcap - 1;
	/* Three keys at home slot 15, two at 14, one at 0. */
	for (i = 0; found < 6 && i < 1000000; i++) {
		size_t h;

		snprintf(buf, sizeof(buf), "w%d", i);
		h = (size_t)hmap_hash(buf, strlen(buf)) & mask;
		if ((found < 3 && h == mask) ||
		    (found >= 3 && found < 5 && h == mask - 1) ||
		    (found == 5 && h == 0)) {
			memcpy(names[found], buf, sizeof(buf));
			home[found] = h;
			found++;
		}
	}
	CHECK_INT(found, 6);
	if (found != 6) {
		hmap_free(&m, NULL);
		return;
	}
	CHECK_INT(home[0], 15);
	for (order = 0; order < 4; order++) {
		for (i = 0; i < 6; i++)
			*hmap_put(&m, names[i], strlen(names[i])) =
			    intval(i + 1);
		if (m.idxcap != 16)
			bad++;
		for (j = 0; j < 6; j++) {
			int d = orders[order][j];

			if (hmap_del(&m, names[d], strlen(names[d])) !=
			    intval(d + 1))
				bad++;
			/* every key still present is still found */
			for (i = 0; i < 6; i++) {
				int gone = 0, t;

				for (t = 0; t <= j; t++)
					if (orders[order][t] == i)
						gone = 1;
				if (hmap_get(&m, names[i], strlen(names[i])) !=
				    (gone ? NULL : intval(i + 1)))
					bad++;
			}
		}
		if (m.live != 0)
			bad++;
	}
	CHECK_INT(bad, 0);
	hmap_free(&m, NULL);
}

static void
test_hash(void)
{
	static unsigned short bucket[1024];
	static unsigned char seen[1 << 16];
	char name[32];
	unsigned max = 0, distinct = 0;
	int i, bad = 0;
	uint64_t h;

	/* Deterministic, and length is part of the hash. */
	CHECK(hmap_hash("abc", 3) == hmap_hash("abc", 3));
	CHECK(hmap_hash("abc", 3) != hmap_hash("abd", 3));
	CHECK(hmap_hash("", 0) != hmap_hash("\0", 1));
	CHECK(hmap_hash("\0", 1) != hmap_hash("\0\0", 2));
	CHECK(hmap_hash("abcdefgh", 8) != hmap_hash("abcdefgh\0", 9));
	CHECK(hmap_hash("abcdefghabcdefgh", 16) !=
	    hmap_hash("abcdefghabcdefgi", 16));
	CHECK(hmap_hash("xabcdefgh", 9) != hmap_hash("yabcdefgh", 9));
	/* Unaligned input hashes the same as aligned. */
	{
		char al[24];

		memcpy(al + 1, "unaligned-key-17", 16);
		CHECK(hmap_hash(al + 1, 16) ==
		    hmap_hash("unaligned-key-17", 16));
	}

	/* All-zero keys of lengths 0..64 differ pairwise. */
	{
		static const char zeros[64];
		uint64_t hs[65];
		int a, b;

		for (a = 0; a <= 64; a++)
			hs[a] = hmap_hash(zeros, (size_t)a);
		for (a = 0; a <= 64; a++)
			for (b = a + 1; b <= 64; b++)
				if (hs[a] == hs[b])
					bad++;
		CHECK_INT(bad, 0);
	}

	/*
	 * Spread: 100k similar keys in 1024 buckets (mean 97.7) by the low
	 * bits the index uses, and in 65536 by bits 16-31. The bounds are
	 * loose: a smoke test, not a quality measure.
	 */
	for (i = 0; i < 100000; i++) {
		snprintf(name, sizeof(name), "user-%d", i);
		h = hmap_hash(name, strlen(name));
		bucket[h & 1023]++;
		if (!seen[(h >> 16) & 0xFFFF]) {
			seen[(h >> 16) & 0xFFFF] = 1;
			distinct++;
		}
	}
	for (i = 0; i < 1024; i++)
		if (bucket[i] > max)
			max = bucket[i];
	CHECK(max < 160);
	/* expected about 65536 * (1 - e^-1.53) = 51300 */
	CHECK(distinct > 45000);
}

/* Compare the map with the reference: size, every key, and order. */
static int
check_against_ref(const struct hmap *m, const struct ref *r)
{
	const struct hmap_entry *e;
	unsigned char k[24];
	size_t i = 0, len;
	int id, bad = 0;

	if (m->live != r->live)
		bad++;
	for (id = 0; id < NKEYS; id++) {
		len = key_of(id, k);
		if (hmap_get(m, k, len) != (r->present[id] ? r->val[id] :
		    NULL))
			bad++;
	}
	HMAP_FOREACH(m, e) {
		/* next insertion that is still current */
		while (i < r->norder && (!r->present[r->order_id[i]] ||
		    r->seq[r->order_id[i]] != r->order_seq[i]))
			i++;
		if (i == r->norder) {
			bad++;
			break;
		}
		id = r->order_id[i++];
		len = key_of(id, k);
		if (e->klen != len || memcmp(e->key, k, len) != 0 ||
		    e->val != r->val[id])
			bad++;
	}
	while (i < r->norder && (!r->present[r->order_id[i]] ||
	    r->seq[r->order_id[i]] != r->order_seq[i]))
		i++;
	if (i != r->norder)
		bad++;
	return bad;
}

static void
test_random(void)
{
	struct ref *r = calloc(1, sizeof(*r));
	struct hmap m = HMAP_INIT;
	unsigned char k[24];
	size_t len;
	void **slot, *v;
	int op, id, phase, keyspace, bad = 0, checks = 0, slotbad = 0;
	int vcount = 0;

	for (op = 0; op < NOPS; op++) {
		uint64_t x = unit_rand();
		int kind = (int)(x % 100);

		/*
		 * Phases: grow with few deletes, shrink with many, and a
		 * small key range with heavy churn (many holes, rebuilds).
		 */
		phase = (op / 10000) % 3;
		keyspace = phase == 2 ? 64 : NKEYS;
		id = (int)((x >> 32) % (uint64_t)keyspace);
		len = key_of(id, k);
		if ((phase == 0 && kind < 60) || (phase == 1 && kind < 20) ||
		    (phase == 2 && kind < 45)) {
			slot = hmap_put(&m, k, len);
			if (slot == NULL ||
			    *slot != (r->present[id] ? r->val[id] : NULL))
				slotbad++;
			v = intval(++vcount);
			if (slot != NULL)
				*slot = v;
			if (!r->present[id]) {
				r->present[id] = 1;
				r->seq[id] = ++r->clock;
				r->order_id[r->norder] = id;
				r->order_seq[r->norder] = r->seq[id];
				r->norder++;
				r->live++;
			}
			r->val[id] = v;
		} else if ((phase == 0 && kind < 80) ||
		    (phase == 1 && kind < 85) || (phase == 2 && kind < 90)) {
			v = hmap_del(&m, k, len);
			if (v != (r->present[id] ? r->val[id] : NULL))
				bad++;
			if (r->present[id]) {
				r->present[id] = 0;
				r->live--;
			}
		} else {
			if (hmap_get(&m, k, len) != (r->present[id] ?
			    r->val[id] : NULL))
				bad++;
		}
		if (op % 2000 == 1999) {
			bad += check_against_ref(&m, r);
			checks++;
		}
	}
	bad += check_against_ref(&m, r);
	CHECK_INT(bad, 0);
	CHECK_INT(slotbad, 0);
	CHECK_INT(checks, NOPS / 2000);
	CHECK_INT(m.live, r->live);
	hmap_free(&m, NULL);
	free(r);
}

int
main(void)
{
	UNIT_NAME("test_hmap");
	unit_rng_state = UINT64_C(0x5eed5eed5eed5eed);
	test_empty();
	test_basic();
	test_binary_keys();
	test_order();
	test_foreach();
	test_free_val();
	test_wraparound();
	test_hash();
	test_random();
	return unit_report();
}
