/*
 * rlist.c: the rows of a partition in rank order.
 *
 * A list of sorted blocks of at most RLIST_BLOCK row pointers (an unrolled
 * list, as Python's sortedcontainers): a row goes in by binary search over
 * the blocks' last rows, then within one block, so adding or retracting a
 * row moves at most a block's worth of pointers, and a changelog partition
 * of millions of live rows costs O(log n + RLIST_BLOCK + n / RLIST_BLOCK)
 * per change instead of O(n) for one flat array. Append input, which keeps
 * N + 1 rows at most, has one small block: a plain sorted array. Ranks are
 * found by walking block sizes from a cursor, so reading ranks 1, 2, 3, ...
 * in turn costs O(1) each.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "topn.h"

/* Rows per block at most; even, at least 4 (tests build with 4 to split
 * and merge blocks all the time). */
#ifndef RLIST_BLOCK
#define RLIST_BLOCK	512
#endif

static void
cursor_reset(struct rlist *l)
{
	l->cb = 0;
	l->cstart = 0;
}

/* Block holding rank index g (< l->n), the cursor left on it. */
static size_t
locate(struct rlist *l, size_t g, size_t *off)
{
	if (g < l->cstart || l->cb >= l->nb)
		cursor_reset(l);
	while (l->cstart + l->b[l->cb].n <= g) {
		l->cstart += l->b[l->cb].n;
		l->cb++;
	}
	*off = g - l->cstart;
	return l->cb;
}

/* Rank index of the first row of block bi. */
static size_t
block_start(const struct rlist *l, size_t bi)
{
	size_t g = 0, i;

	for (i = 0; i < bi; i++)
		g += l->b[i].n;
	return g;
}

struct trow *
rlist_at(struct rlist *l, size_t g)
{
	size_t off, bi = locate(l, g, &off);

	return l->b[bi].r[off];
}

/* Open a slot for one more block at bi. */
static void
block_insert(struct rlist *l, size_t bi)
{
	if (l->nb == l->bcap) {
		l->bcap = l->bcap > 0 ? l->bcap * 2 : 1;
		l->b = xrealloc(l->b, l->bcap * sizeof(*l->b));
	}
	memmove(l->b + bi + 1, l->b + bi, (l->nb - bi) * sizeof(*l->b));
	memset(&l->b[bi], 0, sizeof(l->b[bi]));
	l->nb++;
}

static void
block_remove(struct rlist *l, size_t bi)
{
	free(l->b[bi].r);
	memmove(l->b + bi, l->b + bi + 1, (l->nb - bi - 1) * sizeof(*l->b));
	l->nb--;
}

static void
block_reserve(struct rblock *b, size_t n)
{
	if (n <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 4;
	while (b->cap < n)
		b->cap *= 2;
	b->r = xrealloc(b->r, b->cap * sizeof(*b->r));
}

/* Index of the first row of block b that ranks after keys k (upper) or
 * that does not rank before them (!upper). */
static size_t
bound(const struct rblock *b, const struct skey *k, int upper)
{
	size_t lo = 0, hi = b->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = skeys_cmp(b->r[mid]->k, k);
		if (upper ? c > 0 : c >= 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* The first block whose last row ranks after k (upper) or does not rank
 * before it (!upper); nb when there is none. */
static size_t
find_block(const struct rlist *l, const struct skey *k, int upper)
{
	size_t lo = 0, hi = l->nb, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = skeys_cmp(l->b[mid].r[l->b[mid].n - 1]->k, k);
		if (upper ? c > 0 : c >= 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

size_t
rlist_insert(struct rlist *l, struct trow *r)
{
	struct rblock *b;
	size_t bi, off, half;

	cursor_reset(l);
	if (l->nb == 0) {
		block_insert(l, 0);
		bi = off = 0;
	} else {
		/* After every row it ties with: it arrived last. */
		bi = find_block(l, r->k, 1);
		if (bi == l->nb)
			bi = l->nb - 1;
		off = bound(&l->b[bi], r->k, 1);
	}
	if (l->b[bi].n == RLIST_BLOCK) {
		/* Split the full block in halves. */
		half = RLIST_BLOCK / 2;
		block_insert(l, bi + 1);
		block_reserve(&l->b[bi + 1], RLIST_BLOCK - half);
		memcpy(l->b[bi + 1].r, l->b[bi].r + half,
		    (RLIST_BLOCK - half) * sizeof(*l->b[bi].r));
		l->b[bi + 1].n = RLIST_BLOCK - half;
		l->b[bi].n = half;
		if (off > half) {
			bi++;
			off -= half;
		}
	}
	b = &l->b[bi];
	block_reserve(b, b->n + 1);
	memmove(b->r + off + 1, b->r + off, (b->n - off) * sizeof(*b->r));
	b->r[off] = r;
	b->n++;
	l->n++;
	return block_start(l, bi) + off;
}

size_t
rlist_find(struct rlist *l, const struct skey *k, const char *body,
    size_t blen)
{
	const struct trow *r;
	size_t bi, off;

	/* Equal content means equal keys: look only among those, which
	 * may run on over several blocks. */
	for (bi = find_block(l, k, 0); bi < l->nb; bi++) {
		for (off = bound(&l->b[bi], k, 0); off < l->b[bi].n; off++) {
			r = l->b[bi].r[off];
			if (skeys_cmp(r->k, k) != 0)
				return SIZE_MAX;
			if (r->blen == blen && (blen == 0 ||
			    memcmp(r->body, body, blen) == 0))
				return block_start(l, bi) + off;
		}
	}
	return SIZE_MAX;
}

struct trow *
rlist_remove(struct rlist *l, size_t g)
{
	struct rblock *b;
	struct trow *r;
	size_t bi, off, nbi;

	bi = locate(l, g, &off);
	cursor_reset(l);
	b = &l->b[bi];
	r = b->r[off];
	memmove(b->r + off, b->r + off + 1, (b->n - off - 1) * sizeof(*b->r));
	b->n--;
	l->n--;
	if (b->n == 0) {
		block_remove(l, bi);
		return r;
	}
	/* Keep blocks from dwindling after many retractions: a small block
	 * joins its neighbour when both fit in half a block. */
	if (b->n < RLIST_BLOCK / 4 && l->nb > 1) {
		if (bi + 1 == l->nb)
			bi--;
		nbi = bi + 1;
		if (l->b[bi].n + l->b[nbi].n <= RLIST_BLOCK / 2) {
			block_reserve(&l->b[bi], l->b[bi].n + l->b[nbi].n);
			memcpy(l->b[bi].r + l->b[bi].n, l->b[nbi].r,
			    l->b[nbi].n * sizeof(*l->b[nbi].r));
			l->b[bi].n += l->b[nbi].n;
			block_remove(l, nbi);
		}
	}
	return r;
}

void
rlist_free(struct rlist *l)
{
	size_t bi, i;

	for (bi = 0; bi < l->nb; bi++) {
		for (i = 0; i < l->b[bi].n; i++)
			free(l->b[bi].r[i]);
		free(l->b[bi].r);
	}
	free(l->b);
	memset(l, 0, sizeof(*l));
}
