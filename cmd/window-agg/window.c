/*
 * window.c: window assignment, the store of open windows, firing and
 * results.
 *
 * Tumbling, hopping and cumulating windows live in one array sorted by
 * (end, start); each holds its groups in an insertion-ordered map, so results
 * come out in window-end order and, within a window, in the order groups
 * first appeared. Session windows live per group (sorted by start) with a
 * heap of due times: a session is due to fire at its end, and to be released
 * at its end plus the allowed lateness. Only open windows are kept: memory is
 * bounded by open windows times groups, never by the length of the stream.
 */
#include <jansson.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "heap.h"
#include "wagg.h"

struct grp {
	int64_t		 rows;		/* net rows (additions - retractions) */
	uint64_t	 seq;		/* arrival of its first row */
	int		 in_arena;	/* freed with its window's arena */
	char		*shown;		/* the result last written, or NULL */
	size_t		 shownlen;
	union aggst	 st[];
};

/* Groups of a window come from one arena, released with the window: most
 * windows live a minute and have thousands of groups. */
struct chunk {
	struct chunk	*next;
	size_t		 used, cap;
	max_align_t	 data[];
};

struct win {
	int64_t		 start, end;
	int		 fired;
	struct hmap	 groups;	/* key -> struct grp */
	struct chunk	*arena;
	char		*bounds;	/* "{\"window_start\":...,\"window_end\":..." */
	size_t		 boundslen;
};

struct sgroup;

struct srec;

struct sess {
	int64_t		 start, end;	/* end = latest row + gap */
	int		 fired;
	int		 dead;		/* merged away or emptied */
	uint32_t	 gen;		/* heap entries of older ones are stale */
	uint32_t	 refs;		/* heap entries */
	struct sgroup	*sg;
	struct grp	*g;
	struct srec	**rec;		/* its rows, in time order */
	size_t		 nrec, caprec;
	struct buf	 rows;		/* --assign: (seq, len, text) records */
};

struct sgroup {
	char		*key;
	size_t		 klen;
	struct sess	**s;		/* sorted by start, disjoint */
	size_t		 n, cap;
};

static struct {
	struct win	**w;
	size_t		 n, cap;
	struct hmap	 sgroups;	/* key -> struct sgroup */
	struct heap	 due;		/* sessions by due time; seq: gen */
	size_t		 nsess;		/* live sessions */
	size_t		 ngroups;	/* live groups, all windows */
	size_t		 max_windows, max_groups;
	struct buf	 out;		/* a result being formatted */
	size_t		*aggoff;	/* where each aggregate's value starts */
	struct buf	 key;		/* key scratch */
	struct aval	*rvals;		/* arguments of a replayed row */
} S;

static size_t grp_size;

void
win_setup(void)
{
	grp_size = sizeof(struct grp) + conf.aggs.n * sizeof(union aggst);
	S.aggoff = xcalloc(conf.aggs.n + conf.group.n + 1, 2 * sizeof(size_t));
	S.rvals = xcalloc(conf.aggs.nin + 1, sizeof(*S.rvals));
}

/* ---------------------------------------------------------------------
 * Time arithmetic
 */

static int64_t
floormod(int64_t a, int64_t m)
{
	int64_t r = a % m;

	return r < 0 ? r + m : r;
}

/* (t - offset) mod m, m being the size or slide that --offset was reduced
 * by: without forming t - offset, which overflows near TS_MIN. */
static int64_t
align_rem(int64_t t, int64_t m)
{
	return floormod(floormod(t, m) - conf.offset, m);
}

/* The horizon below which windows are released: wm - lateness (+infinity
 * stays, releasing everything). */
static int64_t
horizon(void)
{
	if (clk.wm == T_MIN)
		return T_MIN;
	return ts_add_sat(clk.wm, -conf.lateness);
}

static int
gone(int64_t end)
{
	int64_t h = horizon();

	return h != T_MIN && end <= h;
}

/* ---------------------------------------------------------------------
 * Results
 */

/* A new group, from the arena of window w, or on its own (w NULL). */
static struct grp *
grp_new(uint64_t seq, struct win *w)
{
	struct chunk *c = w != NULL ? w->arena : NULL;
	struct grp *g;
	size_t i, sz = (grp_size + sizeof(max_align_t) - 1) /
	    sizeof(max_align_t) * sizeof(max_align_t);

	if (w == NULL)
		g = xmalloc(grp_size);
	else {
		if (c == NULL || c->cap - c->used < sz) {
			size_t cap = sz * 256;

			c = xmalloc(sizeof(*c) + cap);
			c->next = w->arena;
			c->used = 0;
			c->cap = cap;
			w->arena = c;
		}
		g = (struct grp *)((char *)c->data + c->used);
		c->used += sz;
	}

	memset(g, 0, grp_size);
	g->seq = seq;
	g->in_arena = w != NULL;
	for (i = 0; i < conf.aggs.n; i++)
		agg_init(&conf.aggs.a[i], &g->st[i]);
	S.ngroups++;
	if (S.ngroups > S.max_groups)
		S.max_groups = S.ngroups;
	return g;
}

static void
grp_free(void *p)
{
	struct grp *g = p;
	size_t i;

	if (g == NULL)
		return;
	for (i = 0; i < conf.aggs.n; i++)
		agg_free(&conf.aggs.a[i], &g->st[i]);
	free(g->shown);
	if (!g->in_arena)
		free(g);
	S.ngroups--;
}

static void
put_time(struct buf *b, int64_t us)
{
	char text[TS_STRLEN];
	size_t n = ts_format(us, text);

	buf_putc(b, '"');
	buf_append(b, text, n);
	buf_putc(b, '"');
}

static int
having_ok(const struct buf *b)
{
	const struct having *h;
	const char *v;
	size_t i, n;
	int c, vnull, lnull;

	for (i = 0; i < conf.nhaving; i++) {
		h = &conf.having[i];
		/* aggoff: [start, end) pairs, aggregates then group fields */
		if (h->col >= 0) {
			v = b->data + S.aggoff[2 * h->col];
			n = S.aggoff[2 * h->col + 1] - S.aggoff[2 * h->col];
		} else {
			size_t k = conf.aggs.n + (size_t)(-1 - h->col);

			v = b->data + S.aggoff[2 * k];
			n = S.aggoff[2 * k + 1] - S.aggoff[2 * k];
		}
		vnull = n == 4 && memcmp(v, "null", 4) == 0;
		lnull = h->litlen == 4 && memcmp(h->lit, "null", 4) == 0;
		if (vnull || lnull) {
			c = vnull == lnull;
			if (h->op == H_EQ ? !c : h->op == H_NE ? c : 1)
				return 0;
			continue;
		}
		/* a number against a string (or the like) never matches */
		if ((v[0] == '"') != (h->lit[0] == '"'))
			return 0;
		c = json_value_cmp(v, n, h->lit, h->litlen);
		switch (h->op) {
		case H_GT: if (!(c > 0)) return 0; break;
		case H_GE: if (!(c >= 0)) return 0; break;
		case H_LT: if (!(c < 0)) return 0; break;
		case H_LE: if (!(c <= 0)) return 0; break;
		case H_EQ: if (c != 0) return 0; break;
		case H_NE: if (c == 0) return 0; break;
		}
	}
	return 1;
}

/* The start of every result of a window: {"window_start":...,"window_end":...
 * (formatted once per window). */
static void
put_bounds(struct buf *b, int64_t start, int64_t end)
{
	buf_puts(b, "{\"window_start\":");
	put_time(b, start);
	buf_puts(b, ",\"window_end\":");
	put_time(b, end);
}

/* Format the result of g into S.out. 0 when there is none to show (no rows,
 * or --having rejects it). bounds is put_bounds' text, or NULL. */
static int
format_result(int64_t start, int64_t end, const char *bounds, size_t blen,
    const char *key, size_t klen, const struct grp *g)
{
	struct buf *b = &S.out;
	const char *p = key, *sep;
	size_t i, k;

	if (g->rows <= 0)
		return 0;
	buf_reset(b);
	if (bounds != NULL)
		buf_append(b, bounds, blen);
	else
		put_bounds(b, start, end);
	for (i = 0; i < conf.group.n; i++) {
		sep = memchr(p, '\x1f', (size_t)(key + klen - p));
		if (sep == NULL)
			sep = key + klen;
		buf_append(b, conf.gkey[i], conf.gkeylen[i]);
		k = conf.aggs.n + i;
		S.aggoff[2 * k] = b->len;
		buf_append(b, p, (size_t)(sep - p));
		S.aggoff[2 * k + 1] = b->len;
		p = sep + 1;
	}
	for (i = 0; i < conf.aggs.n; i++) {
		buf_append(b, conf.aggs.a[i].key, conf.aggs.a[i].keylen);
		S.aggoff[2 * i] = b->len;
		agg_result(&conf.aggs.a[i], &g->st[i], g->rows, b);
		S.aggoff[2 * i + 1] = b->len;
	}
	buf_putc(b, '}');
	return conf.nhaving == 0 || having_ok(b);
}

static void
write_row(const char *kind, const char *text, size_t len)
{
	struct jout *o = &jout_stdout;

	if (kind != NULL) {
		jout_lit(o, "{\"__kind\":\"");
		jout_lit(o, kind);
		jout_raw(o, "\",", 2);
		jout_raw(o, text + 1, len - 1);
	} else
		jout_raw(o, text, len);
	jout_char(o, '\n');
	cnt.results++;
}

enum { P_FIRE, P_CHANGE };

/*
 * Write what changed about g's result. At firing (P_FIRE, --emit final) the
 * result is written as it is. Otherwise (every change under --emit update, a
 * correction of a fired window under --emit final) it is compared with what
 * was written before: update mode writes +I, -U/+U or -D; final mode writes
 * the replacement row, or the old one with "__kind":"-D" when it vanished.
 */
static void
publish(int64_t start, int64_t end, const struct win *w, const char *key,
    size_t klen, struct grp *g, int how)
{
	int now = format_result(start, end, w != NULL ? w->bounds : NULL,
	    w != NULL ? w->boundslen : 0, key, klen, g);
	int keep = conf.emit == EMIT_UPDATE || conf.lateness > 0;

	if (how == P_FIRE) {
		if (!now)
			return;
		write_row(NULL, S.out.data, S.out.len);
	} else {
		if (now && g->shown != NULL && g->shownlen == S.out.len &&
		    memcmp(g->shown, S.out.data, S.out.len) == 0)
			return;
		if (!now && g->shown == NULL)
			return;
		if (conf.emit == EMIT_UPDATE) {
			if (g->shown != NULL)
				write_row(now ? "-U" : "-D", g->shown,
				    g->shownlen);
			if (now)
				write_row(g->shown != NULL ? "+U" : "+I",
				    S.out.data, S.out.len);
		} else if (now)
			write_row(NULL, S.out.data, S.out.len);
		else
			write_row("-D", g->shown, g->shownlen);
	}
	if (!keep)
		return;
	free(g->shown);
	g->shown = NULL;
	if (now) {
		g->shown = xstrndup(S.out.data, S.out.len);
		g->shownlen = S.out.len;
	}
}

/* --assign: the row with the window's bounds added. */
static void
assign_row(const char *text, size_t len, int64_t start, int64_t end)
{
	struct jout *o = &jout_stdout;
	char ts[TS_STRLEN];
	size_t n, i;
	int empty = 1;

	/* text is an object: drop its "}" and see whether it had members */
	for (i = 1; i + 1 < len; i++)
		if (text[i] != ' ' && text[i] != '\t' && text[i] != '\n' &&
		    text[i] != '\r') {
			empty = 0;
			break;
		}
	jout_raw(o, text, len - 1);
	jout_lit(o, empty ? "\"window_start\":\"" : ",\"window_start\":\"");
	n = ts_format(start, ts);
	jout_raw(o, ts, n);
	jout_lit(o, "\",\"window_end\":\"");
	n = ts_format(end, ts);
	jout_raw(o, ts, n);
	jout_raw(o, "\"}\n", 3);
	cnt.results++;
}

/* ---------------------------------------------------------------------
 * Tumbling, hopping and cumulating windows
 */

static int
win_before(int64_t e1, int64_t s1, int64_t e2, int64_t s2)
{
	return e1 < e2 || (e1 == e2 && s1 < s2);
}

static struct win *
win_get(int64_t start, int64_t end)
{
	size_t lo = 0, hi = S.n, mid;
	struct win *w;

	/* most rows land in the newest window: look there first */
	if (S.n > 0 && S.w[S.n - 1]->start == start && S.w[S.n - 1]->end == end)
		return S.w[S.n - 1];
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (win_before(S.w[mid]->end, S.w[mid]->start, end, start))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < S.n && S.w[lo]->start == start && S.w[lo]->end == end)
		return S.w[lo];
	if (S.n == S.cap) {
		S.cap = S.cap ? 2 * S.cap : 16;
		S.w = xrealloc(S.w, S.cap * sizeof(*S.w));
	}
	memmove(&S.w[lo + 1], &S.w[lo], (S.n - lo) * sizeof(*S.w));
	w = xcalloc(1, sizeof(*w));
	w->start = start;
	w->end = end;
	{
		struct buf b = BUF_INIT;

		put_bounds(&b, start, end);
		w->bounds = b.data;
		w->boundslen = b.len;
	}
	/* a window created after its end passed the watermark (allowed
	 * lateness) has fired already: its rows are corrections */
	w->fired = clk.wm != T_MIN && end <= clk.wm;
	S.w[lo] = w;
	S.n++;
	if (S.n > S.max_windows)
		S.max_windows = S.n;
	return w;
}

static void
win_release(struct win *w)
{
	struct chunk *c, *next;

	hmap_free(&w->groups, grp_free);
	for (c = w->arena; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	free(w->bounds);
	free(w);
}

/* Apply r to window [start, end). */
static void
apply_window(const struct row *r, int64_t start, int64_t end)
{
	struct win *w;
	struct grp *g;
	void **slot;
	size_t i;

	if (conf.assign) {
		assign_row(r->text, r->len, start, end);
		return;
	}
	w = win_get(start, end);
	if (r->sign < 0) {
		g = hmap_get(&w->groups, r->key, r->klen);
		if (g == NULL) {
			cnt.unmatched++;
			return;
		}
	} else {
		slot = hmap_put(&w->groups, r->key, r->klen);
		if (*slot == NULL)
			*slot = grp_new(r->seq, w);
		g = *slot;
	}
	g->rows += r->sign;
	for (i = 0; i < conf.aggs.n; i++) {
		const struct aggspec *a = &conf.aggs.a[i];

		if (agg_apply(a, &g->st[i], a->in >= 0 ? &r->v[a->in] : NULL,
		    r->t, r->seq, r->sign) != 0 && r->sign < 0)
			cnt.unmatched++;
	}
	if (conf.emit == EMIT_UPDATE || w->fired)
		publish(w->start, w->end, w, r->key, r->klen, g, P_CHANGE);
	if (g->rows <= 0) {
		hmap_del(&w->groups, r->key, r->klen);
		grp_free(g);
	}
}

/*
 * The windows of time t: *base the start of the latest holding t, *lo that
 * of the earliest (a session: t itself). 0, or -1 when a bound of one of
 * them is outside [TS_MIN, TS_MAX]; past that check no arithmetic on t's
 * windows can overflow.
 */
static int
win_span(int64_t t, int64_t *lo, int64_t *base)
{
	int64_t rem, k = 0, end;

	switch (conf.kind) {
	case W_SESSION:
		*lo = *base = t;
		return ts_add(t, conf.gap, &end);
	case W_HOP:
		/* k slides back from the latest: k * slide < size - rem */
		rem = align_rem(t, conf.slide);
		k = (conf.size - rem - 1) / conf.slide;
		break;
	default:
		rem = align_rem(t, conf.size);
		break;
	}
	if (ts_add(t, -rem, base) != 0 ||
	    ts_add(*base, -k * conf.slide, lo) != 0 ||
	    ts_add(*base, conf.size, &end) != 0)
		return -1;
	return 0;
}

int
win_fits(int64_t t)
{
	int64_t lo, base;

	return win_span(t, &lo, &base) == 0;
}

/* Apply r to its windows: 1, or 0 when all of them were gone already. */
static int
row_windows(const struct row *r)
{
	int64_t start, end, base, k, nsteps;
	int applied = 0;

	if (win_span(r->t, &start, &base) != 0)
		return 0;	/* win_fits said no */
	switch (conf.kind) {
	case W_TUMBLE:
		end = start + conf.size;
		if (gone(end))
			return 0;
		apply_window(r, start, end);
		return 1;
	case W_HOP:
		/* applied oldest first so output is in end order */
		for (; start <= base; start += conf.slide) {
			end = start + conf.size;
			if (gone(end))
				continue;
			apply_window(r, start, end);
			applied = 1;
		}
		return applied;
	case W_CUMULATE:
		nsteps = conf.size / conf.slide;
		for (k = (r->t - base) / conf.slide + 1; k <= nsteps; k++) {
			end = base + k * conf.slide;
			if (gone(end))
				continue;
			apply_window(r, base, end);
			applied = 1;
		}
		return applied;
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------------
 * Session windows
 *
 * A session keeps a record of each of its rows: the event time, the arrival
 * number and the aggregate arguments as a JSON array. A retraction removes
 * the matching record, so the session can shrink to its remaining rows or
 * split where a gap opens, its aggregates rebuilt from the records: the
 * result is what the remaining rows alone would give. The heap holds due
 * times; an entry whose generation is not the session's current one is
 * stale (the session shrank), and a session is freed when its last entry
 * leaves the heap.
 */

struct srec {
	int64_t		 t;
	uint64_t	 seq;
	uint32_t	 len;
	char		 data[];	/* "[arg,arg,...]" */
};

/* A heap entry for s, due at `at`, of its current generation. */
static void
due_push(int64_t at, struct sess *s)
{
	s->refs++;
	heap_push(&S.due, at, s->gen, s);
}

/* The session's end changed to an earlier time: a new heap entry. */
static void
sess_rescheduled(struct sess *s)
{
	s->gen++;
	due_push(s->fired ? ts_add_sat(s->end, conf.lateness) : s->end, s);
}

static struct sess *
sess_new(struct sgroup *sg, size_t at, int64_t start, int64_t end,
    uint64_t seq)
{
	struct sess *s = xcalloc(1, sizeof(*s));

	s->start = start;
	s->end = end;
	s->sg = sg;
	s->g = grp_new(seq, NULL);
	if (sg->n == sg->cap) {
		sg->cap = sg->cap ? 2 * sg->cap : 4;
		sg->s = xrealloc(sg->s, sg->cap * sizeof(*sg->s));
	}
	memmove(&sg->s[at + 1], &sg->s[at], (sg->n - at) * sizeof(*sg->s));
	sg->s[at] = s;
	sg->n++;
	S.nsess++;
	if (S.nsess > S.max_windows)
		S.max_windows = S.nsess;
	due_push(end, s);
	return s;
}

static void
sess_free_recs(struct sess *s)
{
	size_t i;

	for (i = 0; i < s->nrec; i++)
		free(s->rec[i]);
	free(s->rec);
	s->rec = NULL;
	s->nrec = s->caprec = 0;
}

/* Take s out of its group's list; it is freed when it leaves the heap. */
static void
sess_unlink(struct sess *s)
{
	struct sgroup *sg = s->sg;
	size_t i;

	for (i = 0; i < sg->n && sg->s[i] != s; i++)
		;
	if (i < sg->n) {
		memmove(&sg->s[i], &sg->s[i + 1], (sg->n - i - 1) *
		    sizeof(*sg->s));
		sg->n--;
	}
	s->dead = 1;
	grp_free(s->g);
	s->g = NULL;
	buf_free(&s->rows);
	sess_free_recs(s);
	S.nsess--;
}

static void
sess_free(struct sess *s)
{
	buf_free(&s->rows);
	sess_free_recs(s);
	free(s);
}

/* A heap entry of s is gone: free s when it was the last of a dead one. */
static void
sess_drop_ref(struct sess *s)
{
	if (s->dead && s->refs == 0)
		sess_free(s);
}

/* Retract what was written for s (its bounds are about to change). */
static void
sess_retract_shown(struct sess *s)
{
	struct grp *g = s->g;

	if (g->shown == NULL)
		return;
	if (conf.emit == EMIT_UPDATE || s->fired)
		write_row("-D", g->shown, g->shownlen);
	free(g->shown);
	g->shown = NULL;
}

static void
sess_buffer_row(struct sess *s, uint64_t seq, const char *text, size_t n)
{
	uint32_t len = (uint32_t)n;

	buf_append(&s->rows, &seq, sizeof(seq));
	buf_append(&s->rows, &len, sizeof(len));
	buf_append(&s->rows, text, n);
}

struct rec {
	uint64_t	 seq;
	const char	*text;
	uint32_t	 len;
};

static int
rec_cmp(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;

	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* --assign: the buffered rows of s, in arrival order, with its bounds. */
static void
sess_flush_rows(struct sess *s)
{
	struct rec *v = NULL;
	size_t n = 0, cap = 0, off = 0, i;

	while (off < s->rows.len) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc(v, cap * sizeof(*v));
		}
		memcpy(&v[n].seq, s->rows.data + off, sizeof(uint64_t));
		memcpy(&v[n].len, s->rows.data + off + 8, sizeof(uint32_t));
		v[n].text = s->rows.data + off + 12;
		off += 12 + v[n].len;
		n++;
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), rec_cmp);
	for (i = 0; i < n; i++)
		assign_row(v[i].text, v[i].len, s->start, s->end);
	free(v);
	buf_reset(&s->rows);
}

/* "[arg,arg,...]": the aggregate arguments of r, canonical, null when
 * absent. */
static void
rec_data(const struct row *r, struct buf *b)
{
	size_t i;

	buf_reset(b);
	buf_putc(b, '[');
	for (i = 0; i < conf.aggs.nin; i++) {
		if (i > 0)
			buf_putc(b, ',');
		if (r->v[i].present)
			buf_append(b, r->v[i].raw, r->v[i].len);
		else
			buf_append(b, "null", 4);
	}
	buf_putc(b, ']');
}

static int
srec_before(const struct srec *a, int64_t t, uint64_t seq)
{
	return a->t < t || (a->t == t && a->seq < seq);
}

static void
sess_add_rec(struct sess *s, int64_t t, uint64_t seq, const char *data,
    size_t len)
{
	struct srec *x = xmalloc(sizeof(*x) + len);
	size_t i;

	x->t = t;
	x->seq = seq;
	x->len = (uint32_t)len;
	memcpy(x->data, data, len);
	if (s->nrec == s->caprec) {
		s->caprec = s->caprec ? 2 * s->caprec : 8;
		s->rec = xrealloc(s->rec, s->caprec * sizeof(*s->rec));
	}
	/* in time order; rows mostly arrive in order: search from the end */
	for (i = s->nrec; i > 0 && !srec_before(s->rec[i - 1], t, seq); i--)
		;
	memmove(&s->rec[i + 1], &s->rec[i], (s->nrec - i) * sizeof(*s->rec));
	s->rec[i] = x;
	s->nrec++;
}

/* Index of a record at time t with these arguments, or -1. */
static ssize_t
sess_find_rec(const struct sess *s, int64_t t, const char *data, size_t len)
{
	size_t lo = 0, hi = s->nrec, mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (s->rec[mid]->t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->nrec && s->rec[lo]->t == t; lo++)
		if (s->rec[lo]->len == len &&
		    memcmp(s->rec[lo]->data, data, len) == 0)
			return (ssize_t)lo;
	return -1;
}

static void
sess_apply_aggs(struct grp *g, const struct aval *v, int64_t t, uint64_t seq,
    int sign)
{
	size_t i;

	for (i = 0; i < conf.aggs.n; i++) {
		const struct aggspec *a = &conf.aggs.a[i];

		agg_apply(a, &g->st[i], a->in >= 0 ? &v[a->in] : NULL, t, seq,
		    sign);
	}
}

/* Add record x's row to g (rebuilding a session). */
static void
sess_replay_rec(struct grp *g, const struct srec *x)
{
	static struct jdoc d = JDOC_INIT;
	int tok[64], *tp = tok, t, bad;
	size_t i;

	if (conf.aggs.nin > 64)
		tp = xcalloc(conf.aggs.nin, sizeof(*tp));
	if (jscan_parse(&d, x->data, x->len) != 0)
		diag_errx(EXIT_DATA, "internal error: bad session record");
	for (i = 0, t = jscan_child(&d, 0); i < conf.aggs.nin && t >= 0;
	    i++, t = jscan_after(&d, 0, t))
		tp[i] = jscan_type(&d, t) == J_NULL ? -1 : t;
	aggs_read(&conf.aggs, &d, tp, S.rvals, &bad);
	g->rows++;
	sess_apply_aggs(g, S.rvals, x->t, x->seq, 1);
	if (tp != tok)
		free(tp);
}

static void
sess_changed(struct sess *s)
{
	if (conf.assign)
		return;
	if (conf.emit == EMIT_UPDATE || s->fired)
		publish(s->start, s->end, NULL, s->sg->key, s->sg->klen,
		    s->g, P_CHANGE);
	if (s->g->rows <= 0)
		sess_unlink(s);
}

/*
 * After a retraction: bounds from the remaining records, and a split
 * wherever two of them are now more than the gap apart.
 */
static void
sess_refit(struct sess *s)
{
	struct sgroup *sg = s->sg;
	struct srec **rec;
	struct sess *n, **piece;
	size_t nrec, i, j, k, at, npiece = 0;
	int64_t start, end;

	if (s->nrec == 0) {
		sess_changed(s);	/* no rows: it vanishes */
		return;
	}
	/* t + gap is a time for every row taken (win_fits); a difference of
	 * two times may not fit an int64_t */
	for (i = 1; i < s->nrec; i++)
		if (s->rec[i]->t > s->rec[i - 1]->t + conf.gap)
			break;
	start = s->rec[0]->t;
	end = ts_add_sat(s->rec[s->nrec - 1]->t, conf.gap);
	if (i == s->nrec) {
		if (start != s->start || end != s->end) {
			if (conf.emit == EMIT_FINAL)
				sess_retract_shown(s);
			s->start = start;
			s->end = end;
			sess_rescheduled(s);
		}
		sess_changed(s);
		return;
	}

	/* Split: rebuild every piece from its records, then publish them. */
	sess_retract_shown(s);
	rec = s->rec;
	nrec = s->nrec;
	s->rec = NULL;
	s->nrec = s->caprec = 0;
	piece = xcalloc(nrec, sizeof(*piece));
	for (at = 0; at < sg->n && sg->s[at] != s; at++)
		;
	for (i = 0; i < nrec; i = j) {
		for (j = i + 1; j < nrec && rec[j]->t <= rec[j - 1]->t +
		    conf.gap; j++)
			;
		start = rec[i]->t;
		end = ts_add_sat(rec[j - 1]->t, conf.gap);
		if (i == 0) {
			n = s;
			grp_free(s->g);
			s->g = grp_new(rec[0]->seq, NULL);
			s->start = start;
			s->end = end;
			sess_rescheduled(s);
		} else {
			n = sess_new(sg, ++at, start, end, rec[i]->seq);
			n->fired = s->fired;
		}
		piece[npiece++] = n;
		for (k = i; k < j; k++) {
			if (rec[k]->seq < n->g->seq)
				n->g->seq = rec[k]->seq;
			sess_replay_rec(n->g, rec[k]);
			if (n->nrec == n->caprec) {
				n->caprec = n->caprec ? 2 * n->caprec : 8;
				n->rec = xrealloc(n->rec, n->caprec *
				    sizeof(*n->rec));
			}
			n->rec[n->nrec++] = rec[k];
		}
	}
	free(rec);
	for (i = 0; i < npiece; i++)
		sess_changed(piece[i]);
	free(piece);
}

static void
sess_add_row(struct sess *s, const struct row *r)
{
	struct grp *g = s->g;

	if (conf.assign) {
		g->rows++;
		if (s->fired)
			assign_row(r->text, r->len, s->start, s->end);
		else
			sess_buffer_row(s, r->seq, r->text, r->len);
		return;
	}
	g->rows++;
	sess_apply_aggs(g, r->v, r->t, r->seq, 1);
	rec_data(r, &S.key);
	sess_add_rec(s, r->t, r->seq, S.key.data, S.key.len);
}

/* A retraction: the session holding a matching row, or a late row or an
 * unmatched retraction. 1 when it was not late. */
static int
sess_retract(struct sgroup *sg, const struct row *r)
{
	struct sess *s;
	ssize_t k;
	size_t i;

	for (i = 0; i < sg->n; i++)
		if (sg->s[i]->start <= r->t && r->t < sg->s[i]->end)
			break;
	if (i == sg->n) {
		if (gone(ts_add_sat(r->t, conf.gap)))
			return 0;
		cnt.unmatched++;
		return 1;
	}
	s = sg->s[i];
	rec_data(r, &S.key);
	if ((k = sess_find_rec(s, r->t, S.key.data, S.key.len)) < 0) {
		cnt.unmatched++;
		return 1;
	}
	free(s->rec[k]);
	memmove(&s->rec[k], &s->rec[k + 1], (s->nrec - (size_t)k - 1) *
	    sizeof(*s->rec));
	s->nrec--;
	s->g->rows--;
	sess_apply_aggs(s->g, r->v, r->t, r->seq, -1);
	sess_refit(s);
	return 1;
}

static int
recp_cmp(const void *a, const void *b)
{
	const struct srec *x = *(struct srec *const *)a;
	const struct srec *y = *(struct srec *const *)b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int
row_session(const struct row *r)
{
	struct sgroup *sg;
	struct sess *s, *o;
	void **slot;
	size_t i, lo, hi;
	int64_t end = ts_add_sat(r->t, conf.gap);

	slot = hmap_put(&S.sgroups, r->key, r->klen);
	if (*slot == NULL) {
		sg = xcalloc(1, sizeof(*sg));
		sg->key = xstrndup(r->key, r->klen);
		sg->klen = r->klen;
		*slot = sg;
	}
	sg = *slot;

	if (r->sign < 0 && !conf.assign)
		return sess_retract(sg, r);

	/* sessions meeting [t, t + gap], both ends closed */
	for (lo = 0; lo < sg->n && sg->s[lo]->end < r->t; lo++)
		;
	for (hi = lo; hi < sg->n && sg->s[hi]->start <= end; hi++)
		;
	if (lo == hi) {
		if (gone(end))
			return 0;
		s = sess_new(sg, lo, r->t, end, r->seq);
		s->fired = clk.wm != T_MIN && end <= clk.wm;
		sess_add_row(s, r);
		sess_changed(s);
		return 1;
	}
	/* Results are keyed by their bounds: when those change, a result
	 * already written as final is withdrawn (update mode writes -U/+U
	 * through publish instead). */
	s = sg->s[lo];
	if (conf.emit == EMIT_FINAL && (hi - lo > 1 || r->t < s->start ||
	    end > s->end))
		sess_retract_shown(s);
	/* merge the later ones into the first */
	for (i = lo + 1; i < hi; i++) {
		o = sg->s[lo + 1];
		sess_retract_shown(o);
		if (o->end > s->end)
			s->end = o->end;
		s->fired |= o->fired;
		s->g->rows += o->g->rows;
		if (o->g->seq < s->g->seq)
			s->g->seq = o->g->seq;
		for (size_t k = 0; k < conf.aggs.n; k++)
			agg_merge(&conf.aggs.a[k], &s->g->st[k], &o->g->st[k]);
		if (o->rows.len > 0)
			buf_append(&s->rows, o->rows.data, o->rows.len);
		if (o->nrec > 0) {
			if (s->nrec + o->nrec > s->caprec) {
				s->caprec = s->nrec + o->nrec;
				s->rec = xrealloc(s->rec, s->caprec *
				    sizeof(*s->rec));
			}
			memcpy(s->rec + s->nrec, o->rec, o->nrec *
			    sizeof(*o->rec));
			s->nrec += o->nrec;
			qsort(s->rec, s->nrec, sizeof(*s->rec), recp_cmp);
			free(o->rec);
			o->rec = NULL;
			o->nrec = o->caprec = 0;
		}
		sess_unlink(o);
	}
	if (r->t < s->start)
		s->start = r->t;
	if (end > s->end)
		s->end = end;
	sess_add_row(s, r);
	if (s->fired && conf.assign && s->rows.len > 0)
		sess_flush_rows(s);
	sess_changed(s);
	return 1;
}

static int
sess_fire_cmp(const void *a, const void *b)
{
	const struct sess *x = *(struct sess *const *)a;
	const struct sess *y = *(struct sess *const *)b;

	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->g->seq < y->g->seq ? -1 : x->g->seq > y->g->seq;
}

static int
sessions_advance(void)
{
	struct sess **fire = NULL, *s;
	size_t nfire = 0, cap = 0, i;
	struct heap_item d;
	int64_t due;

	while (S.due.n > 0 && S.due.e[0].at <= clk.wm) {
		d = heap_pop(&S.due);
		s = d.p;
		s->refs--;
		if (s->dead || d.seq != s->gen) {
			sess_drop_ref(s);
			continue;
		}
		due = s->fired ? ts_add_sat(s->end, conf.lateness) : s->end;
		if (due > clk.wm) {
			due_push(due, s);
			continue;
		}
		if (s->fired) {
			sess_unlink(s);
			sess_drop_ref(s);
			continue;
		}
		if (nfire == cap) {
			cap = cap ? 2 * cap : 16;
			fire = xrealloc(fire, cap * sizeof(*fire));
		}
		fire[nfire++] = s;
	}
	if (nfire > 1)
		qsort(fire, nfire, sizeof(*fire), sess_fire_cmp);
	for (i = 0; i < nfire; i++) {
		s = fire[i];
		if (conf.assign)
			sess_flush_rows(s);
		else if (conf.emit == EMIT_FINAL)
			publish(s->start, s->end, NULL, s->sg->key,
			    s->sg->klen, s->g, P_FIRE);
		s->fired = 1;
		due = ts_add_sat(s->end, conf.lateness);
		if (due <= clk.wm) {
			sess_unlink(s);
			sess_drop_ref(s);
		} else
			due_push(due, s);
	}
	free(fire);
	return nfire > 0;
}

/* ---------------------------------------------------------------------
 * The store
 */

int
win_row(const struct row *r)
{
	if (conf.kind == W_SESSION)
		return !row_session(r);
	return !row_windows(r);
}

/* The output watermark, when it moved: the horizon. +infinity is written
 * only when it came in a line (inband), not at the end of input. */
static void
forward_watermark(int inband)
{
	int64_t w = horizon();

	if (!conf.watermarks || (w == T_MAX && !inband) || w == T_MIN ||
	    w <= clk.wm_out)
		return;
	clk.wm_out = w;
	jout_lit(&jout_stdout, "{\"__watermark\":");
	jout_time(&jout_stdout, w);
	jout_raw(&jout_stdout, "}\n", 2);
}

void
win_advance(int64_t wm, int inband)
{
	struct hmap_entry *e;
	struct win *w;
	size_t i, k;
	int fired = 0;

	if (wm <= clk.wm)
		return;
	clk.wm = wm;
	if (conf.kind == W_SESSION)
		fired = sessions_advance();
	else {
		for (i = 0; i < S.n && S.w[i]->end <= wm; i++) {
			w = S.w[i];
			if (w->fired)
				continue;
			w->fired = 1;
			fired = 1;
			if (conf.emit != EMIT_FINAL || conf.assign)
				continue;
			HMAP_FOREACH(&w->groups, e)
				publish(w->start, w->end, w, e->key, e->klen,
				    e->val, P_FIRE);
		}
		for (k = 0; k < S.n && gone(S.w[k]->end); k++)
			win_release(S.w[k]);
		if (k > 0) {
			memmove(S.w, S.w + k, (S.n - k) * sizeof(*S.w));
			S.n -= k;
		}
	}
	/* +infinity (a drained pipeline) goes on whether or not anything
	 * was open, so every stage after this one fires everything too. */
	if (fired || (inband && wm == T_MAX)) {
		forward_watermark(inband);
		jout_flush(&jout_stdout);
	}
}

void
win_stats(size_t *open_windows, size_t *open_groups, size_t *max_windows,
    size_t *max_groups)
{
	*open_windows = conf.kind == W_SESSION ? S.nsess : S.n;
	*open_groups = S.ngroups;
	*max_windows = S.max_windows;
	*max_groups = S.max_groups;
}

static void
sgroup_free(void *p)
{
	struct sgroup *sg = p;

	while (sg->n > 0)
		sess_unlink(sg->s[0]);
	free(sg->s);
	free(sg->key);
	free(sg);
}

void
win_free(void)
{
	struct sess *s;
	size_t i;

	for (i = 0; i < S.n; i++)
		win_release(S.w[i]);
	free(S.w);
	hmap_free(&S.sgroups, sgroup_free);
	for (i = 0; i < S.due.n; i++) {
		s = S.due.e[i].p;
		s->refs--;
		sess_drop_ref(s);
	}
	heap_free(&S.due);
	buf_free(&S.out);
	buf_free(&S.key);
	free(S.aggoff);
	avals_free(S.rvals, conf.aggs.nin);
	free(S.rvals);
	memset(&S, 0, sizeof(S));
}

/* ---------------------------------------------------------------------
 * --state
 */

static void
save_grp(struct buf *out, const struct grp *g)
{
	size_t i;

	buf_printf(out, "\"rows\":%lld,\"seq\":%llu,\"shown\":",
	    (long long)g->rows, (unsigned long long)g->seq);
	if (g->shown != NULL)
		jout_quote_buf(out, g->shown, g->shownlen);
	else
		buf_puts(out, "null");
	buf_puts(out, ",\"aggs\":[");
	for (i = 0; i < conf.aggs.n; i++) {
		if (i > 0)
			buf_putc(out, ',');
		agg_save(&conf.aggs.a[i], &g->st[i], out);
	}
	buf_putc(out, ']');
}

void
win_save(struct buf *out)
{
	struct hmap_entry *e, *ge;
	struct sgroup *sg;
	struct sess *s;
	size_t i, k, off;
	int any;

	for (i = 0; i < S.n; i++) {
		buf_printf(out, "{\"window\":[%lld,%lld,%d],\"groups\":[",
		    (long long)S.w[i]->start, (long long)S.w[i]->end,
		    S.w[i]->fired);
		any = 0;
		HMAP_FOREACH(&S.w[i]->groups, ge) {
			if (any++)
				buf_putc(out, ',');
			buf_puts(out, "{\"key\":");
			jout_quote_buf(out, ge->key, ge->klen);
			buf_putc(out, ',');
			save_grp(out, ge->val);
			buf_putc(out, '}');
		}
		buf_puts(out, "]}\n");
	}
	HMAP_FOREACH(&S.sgroups, e) {
		sg = e->val;
		for (k = 0; k < sg->n; k++) {
			s = sg->s[k];
			buf_printf(out, "{\"session\":[%lld,%lld,%d],\"key\":",
			    (long long)s->start, (long long)s->end, s->fired);
			jout_quote_buf(out, sg->key, sg->klen);
			buf_putc(out, ',');
			save_grp(out, s->g);
			buf_puts(out, ",\"recs\":[");
			for (i = 0; i < s->nrec; i++) {
				buf_printf(out, "%s[%lld,%llu,", i ? "," : "",
				    (long long)s->rec[i]->t,
				    (unsigned long long)s->rec[i]->seq);
				jout_quote_buf(out, s->rec[i]->data,
				    s->rec[i]->len);
				buf_putc(out, ']');
			}
			buf_puts(out, "],\"assigned\":[");
			for (off = 0; off < s->rows.len;) {
				uint64_t seq;
				uint32_t len;

				memcpy(&seq, s->rows.data + off, 8);
				memcpy(&len, s->rows.data + off + 8, 4);
				if (off > 0)
					buf_putc(out, ',');
				buf_printf(out, "[%llu,",
				    (unsigned long long)seq);
				jout_quote_buf(out, s->rows.data + off + 12,
				    len);
				buf_putc(out, ']');
				off += 12 + len;
			}
			buf_puts(out, "]}\n");
		}
	}
}

/*
 * What a state file holds is written out as it is (group keys, values,
 * results already shown) or read again as a row would be (session
 * records): each must be what window-agg itself would have put there, or
 * the file is refused, as a damaged one is. A checksum tells only that
 * the bytes are those written.
 */

/* A group key: one canonical JSON value per group field, "\x1f" apart. */
static int
key_ok(const char *key, size_t n)
{
	const char *p = key, *end = key + n, *sep;
	size_t i;

	if (conf.group.n == 0)
		return n == 0;
	for (i = 0; i < conf.group.n; i++) {
		sep = memchr(p, '\x1f', (size_t)(end - p));
		if ((sep == NULL) != (i == conf.group.n - 1))
			return 0;
		if (sep == NULL)
			sep = end;
		if (!json_canonical(p, (size_t)(sep - p)))
			return 0;
		p = sep + 1;
	}
	return 1;
}

/* A session record: the aggregate arguments of a row aggs_read took, as
 * rec_data writes them. */
static int
rec_ok(const char *data, size_t n)
{
	static struct jdoc d = JDOC_INIT;
	int tok[64], *tp = tok, t, bad, ok = 0;
	const char *raw;
	size_t i, len;

	if (conf.aggs.nin > 64)
		tp = xcalloc(conf.aggs.nin, sizeof(*tp));
	if (jscan_parse(&d, data, n) != 0 || jscan_type(&d, 0) != J_ARRAY ||
	    jscan_count(&d, 0) != conf.aggs.nin)
		goto out;
	for (i = 0, t = jscan_child(&d, 0); t >= 0;
	    i++, t = jscan_after(&d, 0, t)) {
		raw = jscan_raw(&d, t, &len);
		if (!json_canonical(raw, len))
			goto out;
		tp[i] = jscan_type(&d, t) == J_NULL ? -1 : t;
	}
	ok = aggs_read(&conf.aggs, &d, tp, S.rvals, &bad) == 0;
out:
	if (tp != tok)
		free(tp);
	return ok;
}

/* Window or session bounds: finite times, start before end (at end for a
 * session of one row and no gap), fired 0 or 1. */
static int
bounds_ok(int64_t start, int64_t end, int fired, int session)
{
	return start >= TS_MIN && end <= TS_MAX && (session ? start <= end :
	    start < end) && (fired == 0 || fired == 1);
}

/* A string holding a JSON object (a row, a result). */
static int
object_ok(json_t *s)
{
	static struct jdoc d = JDOC_INIT;

	return jscan_parse(&d, json_string_value(s), json_string_length(s)) ==
	    0 && jscan_type(&d, 0) == J_OBJECT;
}

static int
load_grp(json_t *j, struct grp *g)
{
	json_t *aggs = json_object_get(j, "aggs"), *shown;
	size_t i;

	if (!json_is_integer(json_object_get(j, "rows")) ||
	    !json_is_integer(json_object_get(j, "seq")) ||
	    !json_is_array(aggs) || json_array_size(aggs) != conf.aggs.n)
		return -1;
	g->rows = json_integer_value(json_object_get(j, "rows"));
	g->seq = (uint64_t)json_integer_value(json_object_get(j, "seq"));
	shown = json_object_get(j, "shown");
	if (json_is_string(shown)) {
		if (!object_ok(shown))	/* a result, retracted as it is */
			return -1;
		g->shownlen = json_string_length(shown);
		g->shown = xstrndup(json_string_value(shown), g->shownlen);
	}
	for (i = 0; i < conf.aggs.n; i++) {
		agg_free(&conf.aggs.a[i], &g->st[i]);
		if (agg_load(&conf.aggs.a[i], &g->st[i],
		    json_array_get(aggs, i)) != 0)
			return -1;
	}
	return 0;
}

static int
bounds(json_t *a, int64_t *start, int64_t *end, int *fired)
{
	if (!json_is_array(a) || json_array_size(a) != 3 ||
	    !json_is_integer(json_array_get(a, 0)) ||
	    !json_is_integer(json_array_get(a, 1)) ||
	    !json_is_integer(json_array_get(a, 2)))
		return -1;
	*start = json_integer_value(json_array_get(a, 0));
	*end = json_integer_value(json_array_get(a, 1));
	*fired = (int)json_integer_value(json_array_get(a, 2));
	return 0;
}

int
win_load(json_t *line)
{
	json_t *a, *groups, *gj, *key, *rows, *recs, *rj;
	struct sgroup *sg;
	struct sess *s;
	struct win *w;
	struct grp *g;
	int64_t start, end, t;
	int fired;
	size_t i;
	void **slot;

	if ((a = json_object_get(line, "window")) != NULL) {
		groups = json_object_get(line, "groups");
		if (conf.kind == W_SESSION || bounds(a, &start, &end, &fired)
		    != 0 || !bounds_ok(start, end, fired, 0) ||
		    !json_is_array(groups))
			return -1;
		w = win_get(start, end);
		w->fired = fired;
		json_array_foreach(groups, i, gj) {
			key = json_object_get(gj, "key");
			if (!json_is_string(key) || !key_ok(json_string_value(
			    key), json_string_length(key)))
				return -1;
			slot = hmap_put(&w->groups, json_string_value(key),
			    json_string_length(key));
			if (*slot != NULL)
				return -1;
			*slot = g = grp_new(0, w);
			if (load_grp(gj, g) != 0)
				return -1;
		}
		return 0;
	}
	if ((a = json_object_get(line, "session")) != NULL) {
		key = json_object_get(line, "key");
		rows = json_object_get(line, "assigned");
		recs = json_object_get(line, "recs");
		if (conf.kind != W_SESSION || bounds(a, &start, &end, &fired)
		    != 0 || !bounds_ok(start, end, fired, 1) ||
		    !json_is_string(key) || !key_ok(json_string_value(key),
		    json_string_length(key)) || !json_is_array(rows) ||
		    !json_is_array(recs))
			return -1;
		slot = hmap_put(&S.sgroups, json_string_value(key),
		    json_string_length(key));
		if (*slot == NULL) {
			sg = xcalloc(1, sizeof(*sg));
			sg->klen = json_string_length(key);
			sg->key = xstrndup(json_string_value(key), sg->klen);
			*slot = sg;
		}
		sg = *slot;
		if (sg->n > 0 && sg->s[sg->n - 1]->end >= start)
			return -1;	/* saved in order, disjoint */
		s = sess_new(sg, sg->n, start, end, 0);
		s->fired = fired;
		if (load_grp(line, s->g) != 0)
			return -1;
		json_array_foreach(recs, i, rj) {
			if (!json_is_array(rj) || !json_is_integer(
			    json_array_get(rj, 0)) || !json_is_integer(
			    json_array_get(rj, 1)) || !json_is_string(
			    json_array_get(rj, 2)) || !rec_ok(json_string_value(
			    json_array_get(rj, 2)), json_string_length(
			    json_array_get(rj, 2))))
				return -1;
			/* a row's time: within the session, which reaches
			 * the gap past it (win_fits: without overflow) */
			t = json_integer_value(json_array_get(rj, 0));
			if (t < start || !win_fits(t) ||
			    ts_add_sat(t, conf.gap) > end)
				return -1;
			sess_add_rec(s, t, (uint64_t)json_integer_value(
			    json_array_get(rj, 1)), json_string_value(
			    json_array_get(rj, 2)), json_string_length(
			    json_array_get(rj, 2)));
		}
		json_array_foreach(rows, i, rj) {
			if (!json_is_array(rj) || !json_is_integer(
			    json_array_get(rj, 0)) || !json_is_string(
			    json_array_get(rj, 1)) || !object_ok(
			    json_array_get(rj, 1)))
				return -1;
			sess_buffer_row(s, (uint64_t)json_integer_value(
			    json_array_get(rj, 0)), json_string_value(
			    json_array_get(rj, 1)), json_string_length(
			    json_array_get(rj, 1)));
		}
		return 0;
	}
	return -1;
}
