/*
 * test_heap.c: unit tests for the (at, seq) min-heap.
 *
 * Order by time then sequence, the extremes of int64 times, the indexes a
 * heap keeps in its items, and 200k random pushes, pops, removals and
 * updates checked against a plain array reference: after every operation
 * the heap holds exactly the reference's items, in heap order, each item
 * knowing its index, and every pop returns the reference's least.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "heap.h"
#include "unit.h"

#define NITEMS	2000
#define NOPS	200000

struct item {
	int64_t		 at;
	uint64_t	 seq;
	size_t		 pos;		/* kept by the heap */
	int		 in;		/* in the reference */
};

static void	test_order(void);
static void	test_extremes(void);
static void	test_positions(void);
static void	test_random(void);
static int	consistent(const struct heap *, struct item *, size_t);

static int
item_less(const struct item *a, const struct item *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

/* The heap property, every index right, and the reference's items. */
static int
consistent(const struct heap *h, struct item *items, size_t nitems)
{
	size_t i, live = 0;
	const struct item *it;

	for (i = 0; i < h->n; i++) {
		it = h->e[i].p;
		if (h->e[i].at != it->at || h->e[i].seq != it->seq ||
		    it->pos != i || !it->in)
			return 0;
		if (i > 0 && (h->e[i].at < h->e[(i - 1) / 2].at ||
		    (h->e[i].at == h->e[(i - 1) / 2].at &&
		    h->e[i].seq < h->e[(i - 1) / 2].seq)))
			return 0;
	}
	for (i = 0; i < nitems; i++) {
		if (items[i].in)
			live++;
		else if (items[i].pos != HEAP_NONE)
			return 0;
	}
	return live == h->n;
}

static void
test_order(void)
{
	static const int64_t at[] = { 5, 3, 9, 3, 1, 5, 3 };
	static const uint64_t seq[] = { 1, 7, 0, 2, 4, 0, 5 };
	static const size_t want[] = { 4, 3, 6, 1, 5, 0, 2 };
	struct heap h = HEAP_INIT;
	struct heap_item top;
	size_t i;
	int tag[7];

	for (i = 0; i < 7; i++) {
		tag[i] = (int)i;
		heap_push(&h, at[i], seq[i], &tag[i]);
	}
	CHECK_INT(h.n, 7);
	for (i = 0; i < 7; i++) {
		top = heap_pop(&h);
		CHECK_INT(*(int *)top.p, want[i]);
		CHECK_INT(top.at, at[want[i]]);
		CHECK_INT(top.seq, seq[want[i]]);
	}
	CHECK_INT(h.n, 0);
	heap_free(&h);
	CHECK(h.e == NULL && h.cap == 0);
	heap_free(&h);		/* twice is fine */
}

static void
test_extremes(void)
{
	struct heap h = HEAP_INIT;
	int a, b, c, d;

	heap_push(&h, INT64_MAX, 0, &a);
	heap_push(&h, INT64_MIN, UINT64_MAX, &b);
	heap_push(&h, INT64_MIN, 0, &c);
	heap_push(&h, 0, 0, &d);
	CHECK(heap_pop(&h).p == &c);
	CHECK(heap_pop(&h).p == &b);
	CHECK(heap_pop(&h).p == &d);
	CHECK(heap_pop(&h).p == &a);
	heap_free(&h);
}

static void
test_positions(void)
{
	struct heap h = HEAP_INIT_POS(offsetof(struct item, pos));
	struct item it[5];
	size_t i;

	for (i = 0; i < 5; i++) {
		it[i].at = (int64_t)(10 - i);
		it[i].seq = i;
		it[i].in = 1;
		heap_push(&h, it[i].at, it[i].seq, &it[i]);
	}
	CHECK(consistent(&h, it, 5));
	CHECK(h.e[0].p == &it[4]);
	/* a later time: from the top down */
	it[4].at = 20;
	heap_update(&h, it[4].pos, 20, it[4].seq);
	CHECK(consistent(&h, it, 5));
	CHECK(h.e[0].p == &it[3]);
	/* an earlier one: up to the top */
	it[0].at = 0;
	heap_update(&h, it[0].pos, 0, it[0].seq);
	CHECK(consistent(&h, it, 5));
	CHECK(h.e[0].p == &it[0]);
	/* out from the middle, and the last */
	it[2].in = 0;
	heap_remove(&h, it[2].pos);
	CHECK_INT(it[2].pos, HEAP_NONE);
	CHECK(consistent(&h, it, 5));
	it[4].in = 0;
	heap_remove(&h, it[4].pos);
	CHECK(consistent(&h, it, 5));
	CHECK(heap_pop(&h).p == &it[0]);
	CHECK_INT(it[0].pos, HEAP_NONE);
	CHECK(heap_pop(&h).p == &it[3]);
	CHECK(heap_pop(&h).p == &it[1]);
	CHECK_INT(h.n, 0);
	heap_free(&h);
}

/* The reference's least live item, or NULL. */
static struct item *
ref_least(struct item *items, size_t n)
{
	struct item *best = NULL;
	size_t i;

	for (i = 0; i < n; i++)
		if (items[i].in && (best == NULL || item_less(&items[i], best)))
			best = &items[i];
	return best;
}

/* A random live item of the reference, or NULL when there is none. */
static struct item *
ref_any(struct item *items, size_t n, size_t live)
{
	size_t k, i;

	if (live == 0)
		return NULL;
	k = (size_t)(unit_rand() % live);
	for (i = 0; i < n; i++)
		if (items[i].in && k-- == 0)
			return &items[i];
	return NULL;
}

static void
test_random(void)
{
	struct heap h = HEAP_INIT_POS(offsetof(struct item, pos));
	struct item *items = calloc(NITEMS, sizeof(*items)), *it, *want;
	struct heap_item top;
	size_t i, op, live = 0, bad = 0, wrong = 0;
	/* few distinct times, so ties in time are common */
	int64_t span;

	for (i = 0; i < NITEMS; i++)
		items[i].pos = HEAP_NONE;
	for (op = 0; op < NOPS; op++) {
		span = op % 3 == 0 ? 8 : 1000;
		switch (unit_rand() % 8) {
		case 0:
		case 1:
		case 2:		/* push a free item */
			it = &items[unit_rand() % NITEMS];
			if (it->in)
				break;
			it->at = (int64_t)(unit_rand() % (uint64_t)span) - 4;
			it->seq = unit_rand() % 16;
			it->in = 1;
			live++;
			heap_push(&h, it->at, it->seq, it);
			break;
		case 3:
		case 4:		/* pop: the least, ties equal in both keys */
			if ((want = ref_least(items, NITEMS)) == NULL)
				break;
			top = heap_pop(&h);
			it = top.p;
			if (it->at != want->at || it->seq != want->seq)
				wrong++;
			it->in = 0;
			live--;
			break;
		case 5:		/* take one out from anywhere */
			if ((it = ref_any(items, NITEMS, live)) == NULL)
				break;
			it->in = 0;
			live--;
			heap_remove(&h, it->pos);
			break;
		default:	/* move one, earlier or later */
			if ((it = ref_any(items, NITEMS, live)) == NULL)
				break;
			it->at = (int64_t)(unit_rand() % (uint64_t)span) - 4;
			it->seq = unit_rand() % 16;
			heap_update(&h, it->pos, it->at, it->seq);
			break;
		}
		if (op % 97 == 0 && !consistent(&h, items, NITEMS))
			bad++;
	}
	CHECK(consistent(&h, items, NITEMS));
	CHECK_INT(bad, 0);
	CHECK_INT(wrong, 0);
	CHECK_INT(h.n, live);
	/* draining gives every item in order */
	while (h.n > 0) {
		want = ref_least(items, NITEMS);
		top = heap_pop(&h);
		if (top.at != want->at || top.seq != want->seq)
			wrong++;
		((struct item *)top.p)->in = 0;
	}
	CHECK_INT(wrong, 0);
	heap_free(&h);
	free(items);
}

int
main(void)
{
	UNIT_NAME("test_heap");
	test_order();
	test_extremes();
	test_positions();
	test_random();
	return unit_report();
}
