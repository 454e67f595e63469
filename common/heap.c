/*
 * heap.c: binary min-heap on (at, seq).
 *
 * Both sifts move a hole rather than swapping, and an item moves only past
 * items strictly greater (up) or smaller (down), so equal items keep their
 * places.
 */
#include <stdlib.h>

#include "diag.h"
#include "heap.h"

#define HEAP_FIRST	64	/* items of the first allocation */

static inline int
less(const struct heap_item *a, const struct heap_item *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

/* Where the item of p keeps its index (pos_at != 0). */
static inline size_t *
index_of(size_t pos_at, void *p)
{
	return (size_t *)(void *)((char *)p + pos_at - 1);
}

/*
 * The sifts, written once and made twice by the compiler: with pos_at a
 * constant 0 (no indexes kept) and not. The array and its length are
 * read once: stores into the array could alias h->n otherwise.
 */

/* Fill the hole at i with it, moving it up past greater parents. */
static inline __attribute__((always_inline)) void
sift_up_as(struct heap *h, size_t i, struct heap_item it, size_t pos_at)
{
	struct heap_item *e = h->e;
	size_t up;

	while (i > 0) {
		up = (i - 1) / 2;
		if (!less(&it, &e[up]))
			break;
		e[i] = e[up];
		if (pos_at != 0)
			*index_of(pos_at, e[i].p) = i;
		i = up;
	}
	e[i] = it;
	if (pos_at != 0)
		*index_of(pos_at, it.p) = i;
}

/* Fill the hole at i with it, moving it down past smaller children. */
static inline __attribute__((always_inline)) void
sift_down_as(struct heap *h, size_t i, struct heap_item it, size_t pos_at)
{
	struct heap_item *e = h->e;
	size_t n = h->n, c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && less(&e[c + 1], &e[c]))
			c++;
		if (!less(&e[c], &it))
			break;
		e[i] = e[c];
		if (pos_at != 0)
			*index_of(pos_at, e[i].p) = i;
		i = c;
	}
	e[i] = it;
	if (pos_at != 0)
		*index_of(pos_at, it.p) = i;
}

static inline __attribute__((always_inline)) void
sift_up(struct heap *h, size_t i, struct heap_item it)
{
	if (h->pos_at == 0)
		sift_up_as(h, i, it, 0);
	else
		sift_up_as(h, i, it, h->pos_at);
}

static inline __attribute__((always_inline)) void
sift_down(struct heap *h, size_t i, struct heap_item it)
{
	if (h->pos_at == 0)
		sift_down_as(h, i, it, 0);
	else
		sift_down_as(h, i, it, h->pos_at);
}

void
heap_push(struct heap *h, int64_t at, uint64_t seq, void *p)
{
	struct heap_item it;

	if (h->n == h->cap) {
		h->cap = h->cap > 0 ? 2 * h->cap : HEAP_FIRST;
		h->e = xrealloc(h->e, h->cap * sizeof(*h->e));
	}
	it.at = at;
	it.seq = seq;
	it.p = p;
	sift_up(h, h->n++, it);
}

void
heap_remove(struct heap *h, size_t i)
{
	struct heap_item gone = h->e[i], last = h->e[--h->n];

	if (h->pos_at != 0)
		*index_of(h->pos_at, gone.p) = HEAP_NONE;
	if (i == h->n)
		return;
	/* the last item fills the hole: up when it is less than the parent
	 * there, else down */
	if (i > 0 && less(&last, &h->e[(i - 1) / 2]))
		sift_up(h, i, last);
	else
		sift_down(h, i, last);
}

struct heap_item
heap_pop(struct heap *h)
{
	struct heap_item top = h->e[0], last = h->e[--h->n];

	if (h->pos_at != 0)
		*index_of(h->pos_at, top.p) = HEAP_NONE;
	if (h->n > 0)
		sift_down(h, 0, last);
	return top;
}

void
heap_update(struct heap *h, size_t i, int64_t at, uint64_t seq)
{
	struct heap_item it = h->e[i];
	int up;

	it.at = at;
	it.seq = seq;
	up = less(&it, &h->e[i]);
	if (up)
		sift_up(h, i, it);
	else
		sift_down(h, i, it);
}

void
heap_free(struct heap *h)
{
	free(h->e);
	h->e = NULL;
	h->n = h->cap = 0;
}
