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

static int
less(const struct heap_item *a, const struct heap_item *b)
{
	return a->at < b->at || (a->at == b->at && a->seq < b->seq);
}

/* Where the item of p keeps its index (h->pos_at != 0). */
static size_t *
index_of(const struct heap *h, void *p)
{
	return (size_t *)(void *)((char *)p + h->pos_at - 1);
}

/* Put it at index i, telling it its index when the heap keeps them. */
static void
place(struct heap *h, size_t i, const struct heap_item *it)
{
	h->e[i] = *it;
	if (h->pos_at != 0)
		*index_of(h, it->p) = i;
}

/* Fill the hole at i with it, moving it up past greater parents. */
static void
sift_up(struct heap *h, size_t i, const struct heap_item *it)
{
	size_t up;

	while (i > 0) {
		up = (i - 1) / 2;
		if (!less(it, &h->e[up]))
			break;
		place(h, i, &h->e[up]);
		i = up;
	}
	place(h, i, it);
}

/* Fill the hole at i with it, moving it down past smaller children. */
static void
sift_down(struct heap *h, size_t i, const struct heap_item *it)
{
	size_t c;

	for (;;) {
		c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && less(&h->e[c + 1], &h->e[c]))
			c++;
		if (!less(&h->e[c], it))
			break;
		place(h, i, &h->e[c]);
		i = c;
	}
	place(h, i, it);
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
	sift_up(h, h->n++, &it);
}

void
heap_remove(struct heap *h, size_t i)
{
	struct heap_item gone = h->e[i], last = h->e[--h->n];

	if (h->pos_at != 0)
		*index_of(h, gone.p) = HEAP_NONE;
	if (i == h->n)
		return;
	/* the last item fills the hole: up when it is less than the parent
	 * there, else down */
	if (i > 0 && less(&last, &h->e[(i - 1) / 2]))
		sift_up(h, i, &last);
	else
		sift_down(h, i, &last);
}

struct heap_item
heap_pop(struct heap *h)
{
	struct heap_item top = h->e[0];

	heap_remove(h, 0);
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
		sift_up(h, i, &it);
	else
		sift_down(h, i, &it);
}

void
heap_free(struct heap *h)
{
	free(h->e);
	h->e = NULL;
	h->n = h->cap = 0;
}
