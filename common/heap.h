/*
 * heap.h: a binary min-heap of items ordered by a time, then a sequence
 * number, each carrying a pointer of the caller's.
 *
 * The stateful stages keep what is due at some event time in one: top-n's
 * partitions by window_end, window-agg's sessions by the time they fire or
 * are released, interval-join's rows by the time they are decided. Ties in
 * the time go to the smaller sequence number (an arrival number, so equal
 * times come out in arrival order); items equal in both come out in an
 * order that depends only on the operations done, so a run is repeatable.
 *
 * An item that must be found again (to change its time or take it out
 * before it is due) needs its index: a heap made with HEAP_INIT_POS(offset)
 * keeps, in a size_t at that offset of the struct each pointer points to,
 * the item's index, and HEAP_NONE once it has left.
 *
 *	struct heap h = HEAP_INIT;
 *	heap_push(&h, due, row->seq, row);
 *	while (h.n > 0 && h.e[0].at <= wm)
 *		release(heap_pop(&h).p);
 *	heap_free(&h);
 */
#ifndef CDC_HEAP_H
#define CDC_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define HEAP_NONE	SIZE_MAX	/* the index of an item not in a heap */

struct heap_item {
	int64_t		 at;		/* first key */
	uint64_t	 seq;		/* second key */
	void		*p;
};

struct heap {
	struct heap_item *e;		/* e[0] is the least, when n > 0 */
	size_t		 n, cap;
	size_t		 pos_at;	/* 1 + offset of *p's index, or 0 */
};

/* A heap of all zero bytes is HEAP_INIT. */
#define HEAP_INIT		{ NULL, 0, 0, 0 }
#define HEAP_INIT_POS(off)	{ NULL, 0, 0, (off) + 1 }

/* Add an item. */
void	heap_push(struct heap *h, int64_t at, uint64_t seq, void *p);
/* Take out the least item and return it; h->n must be > 0. */
struct heap_item heap_pop(struct heap *h);
/* Take out the item at index i (< h->n). */
void	heap_remove(struct heap *h, size_t i);
/* Give the item at index i (< h->n) new keys, moving it where they say. */
void	heap_update(struct heap *h, size_t i, int64_t at, uint64_t seq);
/* Release the array (the pointers are the caller's); h is empty again. */
void	heap_free(struct heap *h);

#endif
