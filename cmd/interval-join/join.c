/*
 * join.c: the state of the join and when it is released.
 *
 * Interval join. Rows wait in per-key buckets, one list per input. A left
 * row l can match a right row r when r.t - l.t is in [lo, hi]. With the
 * combined watermark W (no later row of either input has a time below it):
 *   - a left row is decided once W > l.t + hi: no right row that could
 *     still come matches it; then its first/last pick, or its null-padded
 *     row under --type left, is written and it is released;
 *   - a right row is released once W > r.t - lo: no left row that could
 *     still come matches it.
 * Both are found through a heap ordered by that release time, so memory is
 * the rows of the interval, never the stream. A row that comes with a time
 * below W is late: what it should have met may be gone.
 *
 * Temporal join. The right input is a changelog of a table: per key, its
 * versions in time order (a delete is a version too). A left row waits
 * until the right input's watermark passes its time, then joins the latest
 * version at or before it. Versions older than the latest one at or before
 * W are dropped.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "heap.h"
#include "ij.h"
#include "jout.h"

struct bucket;

struct jrow {
	struct jrow	*prev, *next;	/* in its bucket's list */
	struct bucket	*b;		/* NULL: a null key, matches nothing */
	int		 side;
	int64_t		 t;
	uint64_t	 seq;
	int		 matched;
	/* --pick first|last: the best right row so far (copied: it may be
	 * released before this row is decided) */
	int64_t		 best_t;
	uint64_t	 best_seq;
	char		*best;
	size_t		 bestlen;
	size_t		 len;
	char		 text[];
};

struct bucket {
	char		*key;
	size_t		 klen;
	struct jrow	*head[2], *tail[2];
	size_t		 n;
};

/* A version of a table row (temporal join). */
struct version {
	int64_t		 t;
	uint64_t	 seq;
	int		 deleted;
	size_t		 len;
	char		 text[];
};

struct vlist {
	struct version	**v;		/* by (t, seq) */
	size_t		 n, cap;
};

static struct {
	struct hmap	 buckets;	/* key -> struct bucket */
	struct heap	 release[2];	/* interval: by release time */
	struct hmap	 tables;	/* temporal: key -> struct vlist */
	struct heap	 pending;	/* temporal: left rows by time */
	size_t		 held, max_held;
} J;

/* ---------------------------------------------------------------------
 * Rows
 */

static struct jrow *
row_new(const struct jin *in)
{
	struct jrow *r = xmalloc(sizeof(*r) + in->len);

	memset(r, 0, sizeof(*r));
	r->side = in->side;
	r->t = in->t;
	r->seq = in->seq;
	r->len = in->len;
	memcpy(r->text, in->text, in->len);
	if (++J.held > J.max_held)
		J.max_held = J.held;
	return r;
}

static void
row_free(struct jrow *r)
{
	free(r->best);
	free(r);
	J.held--;
}

static struct bucket *
bucket_get(const char *key, size_t klen, int create)
{
	struct bucket *b;
	void **slot;

	if (!create)
		return hmap_get(&J.buckets, key, klen);
	slot = hmap_put(&J.buckets, key, klen);
	if ((b = *slot) == NULL) {
		b = xcalloc(1, sizeof(*b));
		b->key = xstrndup(key, klen);
		b->klen = klen;
		*slot = b;
	}
	return b;
}

static void
bucket_add(struct bucket *b, struct jrow *r)
{
	int s = r->side;

	r->b = b;
	r->prev = b->tail[s];
	r->next = NULL;
	if (b->tail[s] != NULL)
		b->tail[s]->next = r;
	else
		b->head[s] = r;
	b->tail[s] = r;
	b->n++;
}

static void
bucket_remove(struct jrow *r)
{
	struct bucket *b = r->b;
	int s = r->side;

	if (b == NULL)
		return;
	if (r->prev != NULL)
		r->prev->next = r->next;
	else
		b->head[s] = r->next;
	if (r->next != NULL)
		r->next->prev = r->prev;
	else
		b->tail[s] = r->prev;
	if (--b->n == 0) {
		hmap_del(&J.buckets, b->key, b->klen);
		free(b->key);
		free(b);
	}
}

/*
 * Does right time rt match left time lt? rt - lt in [lo, hi], without
 * overflow, as PostgreSQL's rt BETWEEN lt + lo AND lt + hi: an infinite lt
 * plus anything is itself, so infinity matches infinity only, and a finite
 * time never an infinite one.
 */
static int
in_range(int64_t lt, int64_t rt)
{
	return rt >= ts_add_sat(lt, conf.lo) && rt <= ts_add_sat(lt, conf.hi);
}

static void
match(struct jrow *l, const char *rtext, size_t rlen, int64_t rt,
    uint64_t rseq)
{
	int better;

	if (conf.pick == PICK_ALL) {
		emit_pair(l->text, l->len, rtext, rlen);
		l->matched = 1;
		return;
	}
	if (!l->matched)
		better = 1;
	else if (conf.pick == PICK_FIRST)
		better = rt < l->best_t || (rt == l->best_t &&
		    rseq < l->best_seq);
	else
		better = rt > l->best_t || (rt == l->best_t &&
		    rseq > l->best_seq);
	if (!better)
		return;
	l->matched = 1;
	l->best_t = rt;
	l->best_seq = rseq;
	free(l->best);
	l->best = xmalloc(rlen);
	memcpy(l->best, rtext, rlen);
	l->bestlen = rlen;
}

/* A left row is decided: write what it became. */
static void
decide(struct jrow *l)
{
	if (conf.pick != PICK_ALL && l->matched)
		emit_pair(l->text, l->len, l->best, l->bestlen);
	else if (!l->matched && conf.type == JOIN_LEFT)
		emit_unmatched(l->text, l->len);
}

static void
interval_row(const struct jin *in)
{
	struct bucket *b = NULL;
	struct jrow *r, *o;

	if (in->null_key && in->side == RIGHT)
		return;			/* it can meet nothing */
	if (!in->null_key)
		b = bucket_get(in->key, in->klen, 1);
	r = row_new(in);
	if (in->side == RIGHT)
		emit_note_right();
	if (b != NULL) {
		if (in->side == LEFT) {
			for (o = b->head[RIGHT]; o != NULL; o = o->next)
				if (in_range(r->t, o->t))
					match(r, o->text, o->len, o->t, o->seq);
		} else {
			for (o = b->head[LEFT]; o != NULL; o = o->next)
				if (in_range(o->t, r->t))
					match(o, r->text, r->len, r->t, r->seq);
		}
		bucket_add(b, r);
	}
	heap_push(&J.release[in->side], in->side == LEFT ?
	    ts_add_sat(r->t, conf.hi) : ts_sub_sat(r->t, conf.lo), r->seq, r);
}

static void
interval_advance(void)
{
	struct heap *h;
	struct jrow *r;
	int s;

	/* Left rows first: a right row released now may be the best pick
	 * of a left row decided at the same watermark (it was copied). */
	for (s = LEFT; s <= RIGHT; s++) {
		h = &J.release[s];
		while (h->n > 0 && (clk.wm == T_MAX || h->e[0].at < clk.wm)) {
			r = heap_pop(h).p;
			if (s == LEFT)
				decide(r);
			bucket_remove(r);
			row_free(r);
		}
	}
}

/* ---------------------------------------------------------------------
 * Temporal join
 */

static void
version_prune(struct vlist *vl)
{
	size_t keep, i;

	/* keep the latest version at or before W, and every later one */
	for (keep = 0; keep + 1 < vl->n && vl->v[keep + 1]->t <= clk.wm;
	    keep++)
		;
	if (keep == 0)
		return;
	for (i = 0; i < keep; i++) {
		free(vl->v[i]);
		J.held--;
	}
	memmove(vl->v, vl->v + keep, (vl->n - keep) * sizeof(*vl->v));
	vl->n -= keep;
}

static void
vlist_free(void *p)
{
	struct vlist *vl = p;
	size_t i;

	for (i = 0; i < vl->n; i++)
		free(vl->v[i]);
	free(vl->v);
	free(vl);
}

static void
version_add(const char *key, size_t klen, int64_t t, uint64_t seq,
    int deleted, const char *text, size_t len)
{
	struct version *v = xmalloc(sizeof(*v) + len);
	struct vlist *vl;
	void **slot;
	size_t i;

	v->t = t;
	v->seq = seq;
	v->deleted = deleted;
	v->len = len;
	memcpy(v->text, text, len);
	slot = hmap_put(&J.tables, key, klen);
	if ((vl = *slot) == NULL)
		*slot = vl = xcalloc(1, sizeof(*vl));
	if (vl->n == vl->cap) {
		vl->cap = vl->cap ? 2 * vl->cap : 2;
		vl->v = xrealloc(vl->v, vl->cap * sizeof(*vl->v));
	}
	for (i = vl->n; i > 0 && (vl->v[i - 1]->t > t ||
	    (vl->v[i - 1]->t == t && vl->v[i - 1]->seq > seq)); i--)
		;
	memmove(&vl->v[i + 1], &vl->v[i], (vl->n - i) * sizeof(*vl->v));
	vl->v[i] = v;
	vl->n++;
	if (++J.held > J.max_held)
		J.max_held = J.held;
	version_prune(vl);
}

/* The key of a pending left row is kept in its best field. */
static void
temporal_row(const struct jin *in)
{
	struct jrow *r;

	if (in->side == RIGHT) {
		if (in->skip || in->null_key)
			return;
		if (!in->retract)
			emit_note_right();
		version_add(in->key, in->klen, in->t, in->seq, in->retract,
		    in->text, in->len);
		return;
	}
	r = row_new(in);
	r->matched = in->null_key ? -1 : 0;
	r->best = xmalloc(in->klen + 1);
	memcpy(r->best, in->key, in->klen);
	r->bestlen = in->klen;
	heap_push(&J.pending, r->t, r->seq, r);
}

/* The right input's watermark: versions up to it have all arrived. */
static int64_t
right_wm(void)
{
	const struct side *s = &clk.s[RIGHT];
	int64_t w = s->inband;

	if (s->eof && conf.eof_ends)
		return T_MAX;
	if (s->max_ts != T_MIN && ts_add_sat(s->max_ts, -conf.delay[RIGHT]) > w)
		w = ts_add_sat(s->max_ts, -conf.delay[RIGHT]);
	if (s->idle_wm > w)
		w = s->idle_wm;
	return w;
}

static void
temporal_advance(void)
{
	struct jrow *l;
	struct vlist *vl;
	struct version *v = NULL;
	int64_t rw = right_wm();
	size_t i;

	while (J.pending.n > 0 && (rw == T_MAX || J.pending.e[0].at < rw)) {
		l = heap_pop(&J.pending).p;
		v = NULL;
		vl = l->matched < 0 ? NULL : hmap_get(&J.tables, l->best,
		    l->bestlen);
		if (vl != NULL) {
			version_prune(vl);
			for (i = vl->n; i > 0; i--)
				if (vl->v[i - 1]->t <= l->t) {
					v = vl->v[i - 1];
					break;
				}
		}
		if (v != NULL && !v->deleted)
			emit_pair(l->text, l->len, v->text, v->len);
		else if (conf.type == JOIN_LEFT)
			emit_unmatched(l->text, l->len);
		row_free(l);
	}
}

/* ---------------------------------------------------------------------
 * Entry points
 */

void
join_setup(void)
{
}

int
join_row(const struct jin *in)
{
	int late;

	cnt.rows[in->side]++;
	if (in->skip)
		return 0;	/* a -U of the table: nothing to apply */
	late = clk.wm != T_MIN && in->t < clk.wm;
	if (late)
		cnt.late[in->side]++;
	/* Below the combined watermark what a row should meet may be gone:
	 * it is dropped. A late table version is still applied (rows to come
	 * must not join a stale version), but rows already written may have
	 * missed it, so it is counted as late too. */
	if (late && !(conf.temporal && in->side == RIGHT))
		return 1;
	if (conf.temporal)
		temporal_row(in);
	else
		interval_row(in);
	return late;
}

void
join_advance(void)
{
	if (conf.temporal)
		temporal_advance();
	else
		interval_advance();
}

void
join_stats(size_t *held, size_t *max_held)
{
	*held = J.held;
	*max_held = J.max_held;
}

static void
release_all(struct heap *h)
{
	while (h->n > 0)
		row_free(heap_pop(h).p);
	heap_free(h);
}

static void
bucket_free(void *p)
{
	struct bucket *b = p;

	free(b->key);
	free(b);
}

void
join_free(void)
{
	release_all(&J.release[LEFT]);
	release_all(&J.release[RIGHT]);
	release_all(&J.pending);
	hmap_free(&J.buckets, bucket_free);
	hmap_free(&J.tables, vlist_free);
}

/* ---------------------------------------------------------------------
 * --state
 */

static void
save_row(struct buf *out, const struct jrow *r)
{
	buf_printf(out, "{\"row\":[%d,%lld,%llu,%d,%lld,%llu],\"text\":",
	    r->side, (long long)r->t, (unsigned long long)r->seq, r->matched,
	    (long long)r->best_t, (unsigned long long)r->best_seq);
	jout_quote_buf(out, r->text, r->len);
	buf_puts(out, ",\"key\":");
	if (r->b != NULL)
		jout_quote_buf(out, r->b->key, r->b->klen);
	else if (conf.temporal && r->matched >= 0)
		jout_quote_buf(out, r->best, r->bestlen);
	else
		buf_puts(out, "null");
	buf_puts(out, ",\"best\":");
	if (!conf.temporal && r->best != NULL)
		jout_quote_buf(out, r->best, r->bestlen);
	else
		buf_puts(out, "null");
	buf_puts(out, "}\n");
}

void
join_save(struct buf *out)
{
	struct hmap_entry *e;
	struct vlist *vl;
	size_t i, s;

	/* rows in the order they came, so the release heaps rebuild the
	 * same ties */
	for (s = 0; s < 3; s++) {
		struct heap *h = s < 2 ? &J.release[s] : &J.pending;

		for (i = 0; i < h->n; i++)
			save_row(out, h->e[i].p);
	}
	HMAP_FOREACH(&J.tables, e) {
		vl = e->val;
		for (i = 0; i < vl->n; i++) {
			buf_printf(out, "{\"version\":[%lld,%llu,%d],"
			    "\"key\":", (long long)vl->v[i]->t,
			    (unsigned long long)vl->v[i]->seq,
			    vl->v[i]->deleted);
			jout_quote_buf(out, e->key, e->klen);
			buf_puts(out, ",\"text\":");
			jout_quote_buf(out, vl->v[i]->text, vl->v[i]->len);
			buf_puts(out, "}\n");
		}
	}
}

static int
get_i64(json_t *a, size_t i, int64_t *v)
{
	json_t *x = json_array_get(a, i);

	if (!json_is_integer(x))
		return -1;
	*v = json_integer_value(x);
	return 0;
}

/*
 * A row's text, as a state file holds it, is written out as it is: it must
 * be the text of one JSON object, as jscan_raw gives a row that came in
 * (emit.c splices members after all but its last byte). A checksum tells
 * only that the bytes are those written, not that interval-join wrote them.
 */
static int
row_text_ok(json_t *s)
{
	static struct jdoc d = JDOC_INIT;
	size_t n;

	if (!json_is_string(s))
		return 0;
	if (jscan_parse(&d, json_string_value(s), json_string_length(s)) != 0
	    || jscan_type(&d, 0) != J_OBJECT)
		return 0;
	jscan_raw(&d, 0, &n);
	return n == json_string_length(s);
}

int
join_load(json_t *line)
{
	json_t *a, *text, *key, *best;
	int64_t side, t, seq, matched, best_t, best_seq;
	struct jin in;
	struct jrow *r;
	struct bucket *b;

	text = json_object_get(line, "text");
	key = json_object_get(line, "key");
	if (!row_text_ok(text))
		return -1;
	if ((a = json_object_get(line, "version")) != NULL) {
		if (!conf.temporal || !json_is_string(key) ||
		    get_i64(a, 0, &t) || get_i64(a, 1, &seq) ||
		    get_i64(a, 2, &matched) || (matched != 0 && matched != 1))
			return -1;
		version_add(json_string_value(key), json_string_length(key),
		    t, (uint64_t)seq, (int)matched, json_string_value(text),
		    json_string_length(text));
		return 0;
	}
	if ((a = json_object_get(line, "row")) == NULL ||
	    get_i64(a, 0, &side) || get_i64(a, 1, &t) || get_i64(a, 2, &seq)
	    || get_i64(a, 3, &matched) || get_i64(a, 4, &best_t) ||
	    get_i64(a, 5, &best_seq) || (side != LEFT && side != RIGHT))
		return -1;
	best = json_object_get(line, "best");
	if (conf.temporal) {
		/* a left row waiting for its version: matched -1 for a null
		 * key, else 0 and the key */
		if (side != LEFT || (matched != -1 && matched != 0) ||
		    (matched == 0 && !json_is_string(key)))
			return -1;
	} else {
		/* matched 0 or 1; the best match so far of a --pick row
		 * is a row too, and a matched one has it */
		if ((matched != 0 && matched != 1) || (!json_is_null(best) &&
		    !row_text_ok(best)) || (side == RIGHT && (matched ||
		    !json_is_null(best))) || (conf.pick != PICK_ALL &&
		    matched && !json_is_string(best)))
			return -1;
	}
	memset(&in, 0, sizeof(in));
	in.side = (int)side;
	in.t = t;
	in.seq = (uint64_t)seq;
	in.text = json_string_value(text);
	in.len = json_string_length(text);
	r = row_new(&in);
	r->matched = (int)matched;
	r->best_t = best_t;
	r->best_seq = (uint64_t)best_seq;
	if (conf.temporal) {
		if (matched == 0) {
			r->bestlen = json_string_length(key);
			r->best = xstrndup(json_string_value(key), r->bestlen);
		}
		heap_push(&J.pending, r->t, r->seq, r);
		return 0;
	}
	if (json_is_string(best)) {
		r->bestlen = json_string_length(best);
		r->best = xstrndup(json_string_value(best), r->bestlen);
	}
	if (json_is_string(key)) {
		b = bucket_get(json_string_value(key), json_string_length(key),
		    1);
		bucket_add(b, r);
	}
	heap_push(&J.release[side], side == LEFT ? ts_add_sat(r->t, conf.hi) :
	    ts_sub_sat(r->t, conf.lo), r->seq, r);
	return 0;
}
