/*
 * part.c: the open partitions of top-n and their rankings.
 *
 * A partition holds its rows best first (by the --by keys, then by
 * arrival) in an rlist, so rank K is index K-1 and a new row goes in by
 * binary search. Append input keeps at most N rows per partition: a row
 * that does not beat the N-th costs nothing but one comparison, and memory
 * is N rows per open partition whatever the length of the stream.
 * Changelog input keeps every live row, since retracting a top row must
 * bring up the next one.
 *
 * Partitions are found by key in an insertion-ordered hash map (so end of
 * input writes them in order of first arrival), and those whose rows carry
 * window_end also sit in a min-heap on (window_end, first arrival), from
 * which a watermark takes the ones it closes, in the order they are
 * written.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "heap.h"
#include "hmap.h"
#include "jout.h"
#include "topn.h"

struct part {
	char		*key;
	size_t		 klen;
	uint64_t	 first;		/* arrival of the row that opened it */
	int64_t		 wend;		/* largest window_end (hpos set) */
	size_t		 hpos;		/* index in the heap, or HEAP_NONE */
	struct rlist	 rows;		/* best first */
};

static struct hmap parts = HMAP_INIT;
/* partitions with a window_end, by (window_end, first) */
static struct heap ends = HEAP_INIT_POS(offsetof(struct part, hpos));
static struct part *last;		/* the partition of the last row */

static void	part_close(struct part *);

/* ---------------------------------------------------------------------
 * Rows
 */

struct trow *
trow_new(const struct skey *k, const char *body, size_t blen)
{
	/* One allocation: the header, the keys, the members, the bytes of
	 * string keys. Keys hold an __int128, so they come aligned. */
	size_t hdr = (sizeof(struct trow) + _Alignof(struct skey) - 1) /
	    _Alignof(struct skey) * _Alignof(struct skey);
	size_t extra = 0, i;
	struct trow *r;
	char *mem;

	for (i = 0; i < conf.nby; i++)
		extra += skey_extra(&k[i]);
	r = xmalloc(hdr + conf.nby * sizeof(struct skey) + blen + extra);
	r->k = (struct skey *)(void *)((char *)r + hdr);
	mem = (char *)(r->k + conf.nby);
	r->body = mem;
	r->blen = blen;
	if (blen > 0)
		memcpy(mem, body, blen);
	mem += blen;
	for (i = 0; i < conf.nby; i++)
		mem += skey_copy(&r->k[i], &k[i], mem);
	return r;
}

static void
held(long delta)
{
	cnt.held += (size_t)delta;
	if (cnt.held > cnt.max_held)
		cnt.max_held = cnt.held;
}

/* ---------------------------------------------------------------------
 * Output
 */

/* The row's members, then the rank; __kind first when kind is given. The
 * members are the input's own text: numbers keep their digits. */
static void
put_row(const char *kind, const struct trow *r, size_t rank)
{
	struct jout *o = &jout_stdout;
	int more = 0;

	jout_char(o, '{');
	if (kind != NULL) {
		jout_raw(o, "\"__kind\":\"", 10);
		jout_raw(o, kind, 2);
		jout_char(o, '"');
		more = 1;
	}
	if (r->blen > 0) {
		if (more)
			jout_char(o, ',');
		jout_raw(o, r->body, r->blen);
		more = 1;
	}
	/* rankkey is ",\"rank\":" */
	jout_raw(o, conf.rankkey + !more, conf.rankkeylen - !more);
	jout_u64(o, rank);
	jout_raw(o, "}\n", 2);
	cnt.written++;
}

/* Update mode: rank `rank` held old and now holds new. The same content at
 * the same rank is no change, so nothing is written for it. */
static void
put_change(const struct trow *old, const struct trow *new, size_t rank)
{
	if (old->blen == new->blen && (old->blen == 0 ||
	    memcmp(old->body, new->body, old->blen) == 0))
		return;
	put_row("-U", old, rank);
	put_row("+U", new, rank);
}

/* ---------------------------------------------------------------------
 * Partitions
 */

void
parts_setup(void)
{
	cnt.parts = cnt.max_parts = 0;
	cnt.held = cnt.max_held = 0;
}

struct part *
part_get(const char *key, size_t klen, int create, uint64_t seq)
{
	struct part *p;
	void **slot;

	/* Rows of one partition mostly come together (one window's results
	 * from window-agg): no hashing then. */
	if (last != NULL && last->klen == klen &&
	    memcmp(last->key, key, klen) == 0)
		return last;
	if (conf.sorted && last != NULL)
		part_close(last);
	if (!create) {
		p = hmap_get(&parts, key, klen);
		if (p != NULL)
			last = p;
		return p;
	}
	slot = hmap_put(&parts, key, klen);
	if (*slot == NULL) {
		p = xcalloc(1, sizeof(*p));
		p->key = xmalloc(klen + 1);
		memcpy(p->key, key, klen);
		p->key[klen] = '\0';
		p->klen = klen;
		p->first = seq;
		p->wend = T_MIN;
		p->hpos = HEAP_NONE;
		*slot = p;
		if (++cnt.parts > cnt.max_parts)
			cnt.max_parts = cnt.parts;
	}
	last = *slot;
	return last;
}

int
part_admits(struct part *p, const struct skey *k)
{
	if (!conf.bounded || p->rows.n < conf.n)
		return 1;
	/* A tie with the N-th does not displace it: it arrived first. */
	return skeys_cmp(k, rlist_at(&p->rows, conf.n - 1)->k) < 0;
}

void
part_add(struct part *p, struct trow *r)
{
	struct rlist *l = &p->rows;
	struct trow *now;
	size_t n0 = l->n, pos, k;

	pos = rlist_insert(l, r);
	/* From rank pos+1 down to N, each rank now holds the row that was
	 * one better; one more rank may exist. */
	if (conf.emit == EMIT_UPDATE)
		for (k = pos; k <= n0 && k < conf.n; k++) {
			now = rlist_at(l, k);
			if (k < n0)
				put_change(rlist_at(l, k + 1), now, k + 1);
			else
				put_row("+I", now, k + 1);
		}
	if (conf.bounded && l->n > conf.n) {
		free(rlist_remove(l, l->n - 1));
		cnt.dropped++;
	} else
		held(1);
}

int
part_retract(struct part *p, const struct skey *k, const char *body,
    size_t blen)
{
	struct rlist *l = &p->rows;
	struct trow *was;
	size_t i, j, n0 = l->n;

	if ((i = rlist_find(l, k, body, blen)) == SIZE_MAX)
		return -1;
	/* From rank i+1 down to N, each rank now holds the row that was one
	 * worse; the last rank may go. */
	if (conf.emit == EMIT_UPDATE)
		for (j = i; j < n0 && j < conf.n; j++) {
			was = rlist_at(l, j);
			if (j + 1 < n0)
				put_change(was, rlist_at(l, j + 1), j + 1);
			else
				put_row("-D", was, j + 1);
		}
	free(rlist_remove(l, i));
	held(-1);
	/* An empty partition is gone, as a group whose rows were all
	 * retracted; a later row opens it again. */
	if (l->n == 0)
		part_close(p);
	return 0;
}

void
part_window_end(struct part *p, int64_t wend)
{
	if (p->hpos != HEAP_NONE && wend <= p->wend)
		return;
	p->wend = wend;
	if (p->hpos == HEAP_NONE)
		heap_push(&ends, wend, p->first, p);
	else		/* a later end: further from the top */
		heap_update(&ends, p->hpos, wend, p->first);
}

/* Write p's ranking (final mode) and free it. */
static void
part_close(struct part *p)
{
	size_t i;

	if (conf.emit == EMIT_FINAL)
		for (i = 0; i < p->rows.n && i < conf.n; i++)
			put_row(NULL, rlist_at(&p->rows, i), i + 1);
	if (p->hpos != HEAP_NONE)
		heap_remove(&ends, p->hpos);
	hmap_del(&parts, p->key, p->klen);
	if (last == p)
		last = NULL;
	held(-(long)p->rows.n);
	cnt.parts--;
	rlist_free(&p->rows);
	free(p->key);
	free(p);
}

void
parts_advance(int64_t wm)
{
	struct hmap_entry *e;
	struct part **all;
	size_t n = 0, i;

	while (ends.n > 0 && ends.e[0].at <= wm)
		part_close(ends.e[0].p);
	if (wm != T_MAX || parts.live == 0)
		return;
	/* End of input: the rest had no window_end; first arrival first
	 * (closing changes the map, so collect them first). */
	all = xcalloc(parts.live, sizeof(*all));
	HMAP_FOREACH(&parts, e)
		all[n++] = e->val;
	for (i = 0; i < n; i++)
		part_close(all[i]);
	free(all);
}

void
parts_free(void)
{
	struct hmap_entry *e;
	struct part *p;

	HMAP_FOREACH(&parts, e) {
		p = e->val;
		rlist_free(&p->rows);
		free(p->key);
		free(p);
	}
	hmap_free(&parts, NULL);
	heap_free(&ends);
	last = NULL;
}
