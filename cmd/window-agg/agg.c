/*
 * agg.c: aggregate functions, exact and retraction-aware.
 */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agg.h"
#include "diag.h"
#include "jout.h"
#include "numtext.h"

static const struct {
	const char	*name;
	enum aggfn	 fn;
	int		 arg;		/* 0 none, 1 required, 2 optional */
} fntab[] = {
	{ "count",		AF_COUNT,		2 },
	{ "sum",		AF_SUM,			1 },
	{ "avg",		AF_AVG,			1 },
	{ "min",		AF_MIN,			1 },
	{ "max",		AF_MAX,			1 },
	{ "count_distinct",	AF_COUNT_DISTINCT,	1 },
	{ "first",		AF_FIRST,		1 },
	{ "last",		AF_LAST,		1 },
};

static int	uses_set(enum aggfn fn) { return fn >= AF_MIN && fn != AF_SUM; }

/* ---------------------------------------------------------------------
 * Parsing "--agg" values
 */

static const char *
skipws(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static int
ident_char(int c)
{
	return isalnum(c) || c == '_';
}

/* The input slot for path text arg[0..n), shared between aggregates. */
static int
add_input(struct aggs *g, const char *arg, size_t n, int numeric,
    struct buf *err)
{
	char *text = xstrndup(arg, n);
	size_t i;

	/* trim trailing blanks */
	while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		text[--n] = '\0';
	for (i = 0; i < g->nin; i++)
		if (strcmp(g->in[i].f.text, text) == 0) {
			g->in[i].numeric |= numeric;
			free(text);
			return (int)i;
		}
	g->in = xrealloc(g->in, (g->nin + 1) * sizeof(*g->in));
	memset(&g->in[g->nin], 0, sizeof(g->in[0]));
	if (field_parse(&g->in[g->nin].f, text) != 0) {
		buf_printf(err, "bad field name \"%s\"", text);
		free(text);
		return -1;
	}
	free(text);
	g->in[g->nin].numeric = numeric;
	return (int)g->nin++;
}

/* One "fn(arg) [as name]" at p, up to a top-level comma. */
static int
parse_one(struct aggs *g, const char *p, const char **endp, struct buf *err)
{
	struct aggspec a;
	struct buf name = BUF_INIT;
	const char *s, *arg = NULL, *close;
	size_t fnlen, i, arglen = 0, k;

	memset(&a, 0, sizeof(a));
	a.in = -1;
	p = skipws(p);
	for (s = p; ident_char((unsigned char)*s); s++)
		;
	fnlen = (size_t)(s - p);
	for (i = 0; i < sizeof(fntab) / sizeof(fntab[0]); i++)
		if (strlen(fntab[i].name) == fnlen &&
		    strncmp(fntab[i].name, p, fnlen) == 0)
			break;
	if (i == sizeof(fntab) / sizeof(fntab[0])) {
		buf_printf(err, "unknown aggregate \"%.*s\" (count, sum, avg, "
		    "min, max, count_distinct, first, last)",
		    (int)(fnlen > 0 ? fnlen : strcspn(p, ",")), p);
		return -1;
	}
	a.fn = fntab[i].fn;
	s = skipws(s);
	if (*s == '(') {
		arg = skipws(s + 1);
		if ((close = strchr(arg, ')')) == NULL) {
			buf_printf(err, "missing \")\" after \"%s\"", s);
			return -1;
		}
		arglen = (size_t)(close - arg);
		s = skipws(close + 1);
		if (a.fn == AF_COUNT && arglen == 1 && *arg == '*')
			arglen = 0, arg = NULL;
		else if (arglen == 0) {
			buf_printf(err, "%s() needs a field", fntab[i].name);
			return -1;
		}
	}
	if (arg == NULL && fntab[i].arg == 1) {
		buf_printf(err, "%s needs a field: %s(FIELD)", fntab[i].name,
		    fntab[i].name);
		return -1;
	}
	if (arg != NULL && a.fn == AF_COUNT)
		a.fn = AF_COUNT_F;
	if (arg != NULL) {
		a.in = add_input(g, arg, arglen,
		    a.fn == AF_SUM || a.fn == AF_AVG, err);
		if (a.in < 0)
			return -1;
	}
	if (strncmp(s, "as", 2) == 0 && (s[2] == ' ' || s[2] == '\t')) {
		s = skipws(s + 2);
		for (p = s; *p != '\0' && *p != ',' && *p != ' ' && *p != '\t';
		    p++)
			;
		if (p == s) {
			buf_puts(err, "\"as\" needs a name");
			return -1;
		}
		buf_append(&name, s, (size_t)(p - s));
		s = skipws(p);
	} else if (a.in < 0)
		buf_puts(&name, "count");
	else {
		/* <fn>_<field>, dots of a path as underscores */
		buf_puts(&name, fntab[i].name);
		buf_putc(&name, '_');
		for (k = 0; k < g->in[a.in].f.nseg; k++) {
			if (k > 0)
				buf_putc(&name, '_');
			buf_append(&name, g->in[a.in].f.seg[k].name,
			    g->in[a.in].f.seg[k].len);
		}
	}
	if (*s != '\0' && *s != ',') {
		buf_printf(err, "unexpected \"%s\"", s);
		buf_free(&name);
		return -1;
	}
	for (k = 0; k < g->n; k++)
		if (strcmp(g->a[k].name, name.data) == 0) {
			buf_printf(err, "two aggregates named \"%s\" (name one "
			    "with \"as\")", name.data);
			buf_free(&name);
			return -1;
		}
	a.name = name.data;
	{
		struct buf key = BUF_INIT;

		buf_putc(&key, ',');
		jout_quote_buf(&key, name.data, name.len);
		buf_putc(&key, ':');
		a.key = key.data;
		a.keylen = key.len;
	}
	if (a.fn == AF_FIRST || a.fn == AF_LAST)
		g->need_time = 1;
	g->a = xrealloc(g->a, (g->n + 1) * sizeof(*g->a));
	g->a[g->n++] = a;
	*endp = s;
	return 0;
}

int
aggs_parse(struct aggs *g, const char *spec, struct buf *err)
{
	const char *p = spec;

	for (;;) {
		if (parse_one(g, p, &p, err) != 0)
			return -1;
		if (*p == '\0')
			return 0;
		p++;		/* the comma */
	}
}

void
aggs_free(struct aggs *g)
{
	size_t i;

	for (i = 0; i < g->n; i++) {
		free(g->a[i].name);
		free(g->a[i].key);
	}
	for (i = 0; i < g->nin; i++)
		field_free(&g->in[i].f);
	free(g->a);
	free(g->in);
	memset(g, 0, sizeof(*g));
}

/* ---------------------------------------------------------------------
 * Values
 */

void
json_canon(const struct jdoc *d, int t, struct buf *out, const char **p,
    size_t *len)
{
	const char *s;
	size_t n;

	if (jscan_type(d, t) == J_STRING && (d->tok[t].flags & JT_ESCAPED)) {
		buf_reset(out);
		jscan_str(d, t, out, &s, &n);
		/* s points into out: quote from a copy */
		{
			char *copy = xmalloc(n + 1);

			memcpy(copy, s, n);
			buf_reset(out);
			jout_quote_buf(out, copy, n);
			free(copy);
		}
		*p = out->data;
		*len = out->len;
		return;
	}
	*p = jscan_raw(d, t, len);
}

/* Text s[0..n) as a number: NUM_DEC when exact, NUM_DBL when only a double
 * holds it, NUM_NONE when it is no JSON number. */
static int
parse_number(const char *s, size_t n, struct dec *d, double *x)
{
	struct numtext nt;
	char tmp[64], *copy;

	if (numtext_split(&nt, s, n) != 0)
		return NUM_NONE;
	if (dec_parse(d, s, n) == 0)
		return NUM_DEC;
	if (n < sizeof(tmp)) {
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		*x = strtod(tmp, NULL);
	} else {
		copy = xstrndup(s, n);
		*x = strtod(copy, NULL);
		free(copy);
	}
	return isfinite(*x) ? NUM_DBL : NUM_NONE;
}

int
aggs_read(const struct aggs *g, const struct jdoc *d, const int *tok,
    struct aval *v, int *bad)
{
	const char *s;
	size_t i, n;
	int t;

	for (i = 0; i < g->nin; i++) {
		struct aval *a = &v[i];

		t = tok[i];
		a->type = jscan_type(d, t);
		a->present = t >= 0 && a->type != J_NULL;
		a->num = NUM_NONE;
		if (!a->present)
			continue;
		json_canon(d, t, &a->canon, &a->raw, &a->len);
		if (a->type == J_NUMBER)
			a->num = parse_number(a->raw, a->len, &a->d, &a->x);
		else if (a->type == J_STRING && g->in[i].numeric) {
			/* Debezium's decimal.handling.mode=string */
			s = a->raw + 1;
			n = a->len - 2;
			a->num = parse_number(s, n, &a->d, &a->x);
		}
		if (g->in[i].numeric && a->num == NUM_NONE) {
			*bad = (int)i;
			return -1;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------
 * Value sets (min, max, first, last, count_distinct)
 */

static int
vclass(char c)
{
	switch (c) {
	case '"':
		return 1;
	case 't':
	case 'f':
		return 2;
	case '{':
	case '[':
		return 3;
	default:
		return 0;	/* a number */
	}
}

static int
num_cmp(int an, const struct dec *ad, double ax, int bn, const struct dec *bd,
    double bx)
{
	if (an == NUM_DEC && bn == NUM_DEC)
		return dec_cmp(ad, bd);
	if (an == NUM_DEC)
		ax = dec_to_double(ad);
	if (bn == NUM_DEC)
		bx = dec_to_double(bd);
	return ax < bx ? -1 : ax > bx;
}

/* Unescaped contents of quoted JSON string text. */
static void
unquote(const char *s, size_t n, struct buf *out)
{
	struct jdoc d = JDOC_INIT;

	buf_reset(out);
	if (jscan_parse(&d, s, n) == 0)
		jscan_str_append(&d, 0, out);
	jscan_free(&d);
}

static int
str_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	struct buf ua = BUF_INIT, ub = BUF_INIT;
	size_t n;
	int c;

	if (memchr(a, '\\', alen) == NULL && memchr(b, '\\', blen) == NULL) {
		a++, alen -= 2;
		b++, blen -= 2;
	} else {
		unquote(a, alen, &ua);
		unquote(b, blen, &ub);
		a = ua.data != NULL ? ua.data : "", alen = ua.len;
		b = ub.data != NULL ? ub.data : "", blen = ub.len;
	}
	n = alen < blen ? alen : blen;
	c = memcmp(a, b, n);
	if (c == 0)
		c = alen < blen ? -1 : alen > blen;
	buf_free(&ua);
	buf_free(&ub);
	return c;
}

int
json_value_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	struct dec ad, bd;
	double ax = 0, bx = 0;
	int ca = vclass(a[0]), cb = vclass(b[0]), an, bn;
	size_t n;
	int c;

	if (ca != cb)
		return ca < cb ? -1 : 1;
	switch (ca) {
	case 0:
		an = parse_number(a, alen, &ad, &ax);
		bn = parse_number(b, blen, &bd, &bx);
		return num_cmp(an, &ad, ax, bn, &bd, bx);
	case 1:
		return str_cmp(a, alen, b, blen);
	default:
		n = alen < blen ? alen : blen;
		c = memcmp(a, b, n);
		return c != 0 ? c : (alen < blen ? -1 : alen > blen);
	}
}

static int
vent_cmp(const struct vent *a, const struct vent *b)
{
	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	if (a->cls == 0)
		return num_cmp(a->num, &a->d, a->x, b->num, &b->d, b->x);
	return json_value_cmp(a->raw, a->len, b->raw, b->len);
}

/* Is a a better extreme than b for function fn? */
static int
better(enum aggfn fn, const struct vent *a, const struct vent *b)
{
	int c;

	switch (fn) {
	case AF_MIN:
		return vent_cmp(a, b) < 0;
	case AF_MAX:
		return vent_cmp(a, b) > 0;
	case AF_FIRST:
		return a->t < b->t || (a->t == b->t && a->seq < b->seq);
	case AF_LAST:
		c = a->t > b->t || (a->t == b->t && a->seq > b->seq);
		return c;
	default:
		return 0;
	}
}

static void
rescan(enum aggfn fn, struct setst *s)
{
	struct hmap_entry *e;
	struct vent *v;

	s->ext = NULL;
	HMAP_FOREACH(&s->m, e) {
		v = e->val;
		if (s->ext == NULL || better(fn, v, s->ext))
			s->ext = v;
	}
}

/* The set key: the value text, plus the time for first/last (the same value
 * at two times is two entries). */
static const char *
set_key(enum aggfn fn, const char *raw, size_t len, int64_t t, char *tmp,
    size_t tmpsz, size_t *klen, char **heap)
{
	char *k;

	*heap = NULL;
	if (fn != AF_FIRST && fn != AF_LAST) {
		*klen = len;
		return raw;
	}
	*klen = len + sizeof(t);
	k = *klen <= tmpsz ? tmp : (*heap = xmalloc(*klen));
	memcpy(k, &t, sizeof(t));
	memcpy(k + sizeof(t), raw, len);
	return k;
}

static int
set_apply(enum aggfn fn, struct setst *s, const char *raw, size_t len,
    int num, const struct dec *d, double x, int64_t t, uint64_t seq,
    int64_t count)
{
	char tmp[256], *heap;
	const char *key;
	size_t klen;
	struct vent *v;
	void **slot;

	key = set_key(fn, raw, len, t, tmp, sizeof(tmp), &klen, &heap);
	if (count < 0) {
		v = hmap_get(&s->m, key, klen);
		if (v == NULL) {
			free(heap);
			return 1;
		}
		v->count += count;
		if (v->count <= 0) {
			hmap_del(&s->m, key, klen);
			if (s->ext == v)
				s->ext = NULL;
			free(v);
			if (s->ext == NULL && fn != AF_COUNT_DISTINCT)
				rescan(fn, s);
		}
		free(heap);
		return 0;
	}
	slot = hmap_put(&s->m, key, klen);
	free(heap);
	if ((v = *slot) == NULL) {
		v = xmalloc(sizeof(*v) + len + 1);
		memset(v, 0, sizeof(*v));
		v->t = t;
		v->seq = seq;
		v->cls = (uint8_t)vclass(raw[0]);
		v->num = (uint8_t)num;
		if (num == NUM_DEC)
			v->d = *d;
		v->x = x;
		v->len = len;
		memcpy(v->raw, raw, len);
		v->raw[len] = '\0';
		*slot = v;
	} else if (seq < v->seq)
		v->seq = seq;
	v->count += count;
	if (fn != AF_COUNT_DISTINCT && (s->ext == NULL || better(fn, v, s->ext)))
		s->ext = v;
	return 0;
}

/* ---------------------------------------------------------------------
 * State
 */

void
agg_init(const struct aggspec *a, union aggst *st)
{
	memset(st, 0, sizeof(*st));
	(void)a;
}

void
agg_free(const struct aggspec *a, union aggst *st)
{
	if (uses_set(a->fn))
		hmap_free(&st->set.m, free);
	else if (a->fn == AF_SUM || a->fn == AF_AVG)
		free(st->sum.byscale);
}

/* Count `sign` values of scale sc in or out of the live set. */
static void
scale_count(struct sumst *s, int sc, int64_t k)
{
	int i;

	if (s->byscale == NULL) {
		if (s->n == 0 || sc == s->scale) {
			/* one scale so far: n says it all */
			s->scale = sc;
			return;
		}
		s->byscale = xcalloc(DEC_MAX_SCALE + 1, sizeof(*s->byscale));
		s->byscale[s->scale] = s->n;
	}
	s->byscale[sc] += k;
	for (i = DEC_MAX_SCALE; i > 0 && s->byscale[i] <= 0; i--)
		;
	s->scale = i;
}

static void
sum_apply(struct sumst *s, const struct aval *v, int sign)
{
	struct dec r;
	double x;

	if (v->num == NUM_DEC)
		scale_count(s, v->d.scale, sign);
	s->n += sign;
	if (!s->dbl && v->num == NUM_DEC) {
		if ((sign > 0 ? dec_add(&r, &s->s, &v->d) :
		    dec_sub(&r, &s->s, &v->d)) == 0) {
			s->s = r;
			return;
		}
	}
	/* beyond 38 digits: continue in binary floating point */
	if (!s->dbl) {
		s->dbl = 1;
		s->x = dec_to_double(&s->s);
	}
	x = v->num == NUM_DEC ? dec_to_double(&v->d) : v->x;
	s->x += sign * x;
}

int
agg_apply(const struct aggspec *a, union aggst *st, const struct aval *v,
    int64_t t, uint64_t seq, int sign)
{
	switch (a->fn) {
	case AF_COUNT:
		return 0;
	case AF_COUNT_F:
		if (v->present)
			st->count += sign;
		return 0;
	case AF_SUM:
	case AF_AVG:
		if (v->present)
			sum_apply(&st->sum, v, sign);
		return 0;
	default:
		if (!v->present)
			return 0;
		return set_apply(a->fn, &st->set, v->raw, v->len, v->num,
		    &v->d, v->x, t, seq, sign);
	}
}

void
agg_merge(const struct aggspec *a, union aggst *dst, const union aggst *src)
{
	struct hmap_entry *e;
	struct vent *v;
	struct aval av;

	switch (a->fn) {
	case AF_COUNT:
		return;
	case AF_COUNT_F:
		dst->count += src->count;
		return;
	case AF_SUM:
	case AF_AVG: {
		struct sumst *d = &dst->sum;
		const struct sumst *s = &src->sum;
		struct dec r;
		int i;

		if (s->n == 0 && !s->dbl && dec_is_zero(&s->s))
			return;
		/* the live scales first, then the sums */
		if (s->byscale != NULL) {
			for (i = 0; i <= DEC_MAX_SCALE; i++)
				if (s->byscale[i] != 0) {
					scale_count(d, i, s->byscale[i]);
					d->n += s->byscale[i];
				}
			d->n -= s->n;
		} else if (s->n > 0)
			scale_count(d, s->scale, s->n);
		d->n += s->n;
		if (!d->dbl && !s->dbl && dec_add(&r, &d->s, &s->s) == 0) {
			d->s = r;
			return;
		}
		if (!d->dbl) {
			d->dbl = 1;
			d->x = dec_to_double(&d->s);
		}
		d->x += s->dbl ? s->x : dec_to_double(&s->s);
		(void)av;
		return;
	}
	default:
		HMAP_FOREACH(&src->set.m, e) {
			v = e->val;
			set_apply(a->fn, &dst->set, v->raw, v->len, v->num,
			    &v->d, v->x, v->t, v->seq, v->count);
		}
	}
}

static void
put_double(struct buf *out, double x)
{
	char s[40];
	int prec;

	/* shortest text that reads back as the same double */
	for (prec = 15; prec <= 17; prec++) {
		snprintf(s, sizeof(s), "%.*g", prec, x);
		if (strtod(s, NULL) == x)
			break;
	}
	buf_puts(out, s);
}

static void
put_int(struct buf *out, int64_t v)
{
	char s[24], *p = s + sizeof(s);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	buf_append(out, p, (size_t)(s + sizeof(s) - p));
}

static __int128
pow10_128(int n)
{
	__int128 p = 1;

	while (n-- > 0)
		p *= 10;
	return p;
}

static int
ndigits(unsigned __int128 v)
{
	int n = 1;

	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

/* floor(a / b) for b > 0 */
static int
floordiv(int a, int b)
{
	return a >= 0 ? a / b : -((-a + b - 1) / b);
}

/*
 * The weight (position of the leading base-10000 digit) and that digit of
 * |coef| * 10^-scale, as PostgreSQL's NumericVar has them.
 */
static void
nbase_lead(__int128 coef, int scale, int *weight, int *first)
{
	unsigned __int128 u = coef < 0 ? -(unsigned __int128)coef :
	    (unsigned __int128)coef;
	int e, shift;

	if (u == 0) {
		*weight = 0;
		*first = 0;
		return;
	}
	e = ndigits(u) - 1 - scale;	/* value in [10^e, 10^(e+1)) */
	*weight = floordiv(e, 4);
	shift = -scale - 4 * *weight;	/* digit = floor(u * 10^shift) */
	if (shift >= 0)
		*first = (int)(u * (unsigned __int128)pow10_128(shift));
	else
		*first = (int)(u / (unsigned __int128)pow10_128(-shift));
}

/*
 * avg = sum / n at the scale PostgreSQL's numeric division chooses
 * (select_div_scale): at least 16 significant digits, at least the scale of
 * the sum, rounded half away from zero.
 */
/* The exact sum at the scale of the live values. */
static struct dec
live_sum(const struct sumst *s)
{
	struct dec r;

	if (s->scale < s->s.scale && dec_rescale(&r, &s->s, s->scale) == 0)
		return r;
	return s->s;
}

static void
put_avg(const struct sumst *st, struct buf *out)
{
	struct sumst live = *st, *s = &live;
	struct dec n, r;
	char text[DEC_STRLEN];
	int w1, f1, w2, f2, qweight, rscale;

	if (s->dbl) {
		put_double(out, s->x / (double)s->n);
		return;
	}
	s->s = live_sum(st);
	dec_from_i64(&n, s->n);
	nbase_lead(s->s.coef, s->s.scale, &w1, &f1);
	nbase_lead(n.coef, 0, &w2, &f2);
	qweight = w1 - w2;
	if (f1 <= f2)
		qweight--;
	rscale = 16 - qweight * 4;
	if (rscale < s->s.scale)
		rscale = s->s.scale;
	if (rscale < 0)
		rscale = 0;
	if (rscale > DEC_MAX_SCALE)
		rscale = DEC_MAX_SCALE;
	/* A quotient wider than 38 digits gives up trailing digits. */
	while (dec_div(&r, &s->s, &n, rscale) != 0 && rscale > 0)
		rscale--;
	if (dec_div(&r, &s->s, &n, rscale) != 0) {
		put_double(out, dec_to_double(&s->s) / (double)s->n);
		return;
	}
	buf_append(out, text, dec_format(&r, text));
}

void
agg_result(const struct aggspec *a, const union aggst *st, int64_t rows,
    struct buf *out)
{
	char text[DEC_STRLEN];

	switch (a->fn) {
	case AF_COUNT:
		put_int(out, rows);
		return;
	case AF_COUNT_F:
		put_int(out, st->count);
		return;
	case AF_SUM:
		if (st->sum.n <= 0)
			buf_puts(out, "null");
		else if (st->sum.dbl)
			put_double(out, st->sum.x);
		else {
			struct dec v = live_sum(&st->sum);

			buf_append(out, text, dec_format(&v, text));
		}
		return;
	case AF_AVG:
		if (st->sum.n <= 0)
			buf_puts(out, "null");
		else
			put_avg(&st->sum, out);
		return;
	case AF_COUNT_DISTINCT:
		put_int(out, (int64_t)st->set.m.live);
		return;
	default:
		if (st->set.ext == NULL)
			buf_puts(out, "null");
		else
			buf_append(out, st->set.ext->raw, st->set.ext->len);
		return;
	}
}

/* ---------------------------------------------------------------------
 * --state
 */

void
agg_save(const struct aggspec *a, const union aggst *st, struct buf *out)
{
	struct hmap_entry *e;
	struct vent *v;
	char text[DEC_STRLEN];
	int any = 0;

	switch (a->fn) {
	case AF_COUNT:
		buf_puts(out, "0");
		return;
	case AF_COUNT_F:
		buf_printf(out, "%lld", (long long)st->count);
		return;
	case AF_SUM:
	case AF_AVG:
		buf_printf(out, "{\"n\":%lld,\"scale\":%d,", (long long)st->sum.n,
		    st->sum.scale);
		if (st->sum.byscale != NULL) {
			buf_puts(out, "\"scales\":[");
			for (int i = 0; i <= DEC_MAX_SCALE; i++)
				buf_printf(out, "%s%lld", i ? "," : "",
				    (long long)st->sum.byscale[i]);
			buf_puts(out, "],");
		}
		if (st->sum.dbl) {
			buf_puts(out, "\"dbl\":");
			put_double(out, st->sum.x);
		} else {
			dec_format(&st->sum.s, text);
			buf_printf(out, "\"dec\":\"%s\"", text);
		}
		buf_putc(out, '}');
		return;
	default:
		/* [[value text, count, time, seq], ...] */
		buf_putc(out, '[');
		HMAP_FOREACH(&st->set.m, e) {
			v = e->val;
			if (any++)
				buf_putc(out, ',');
			buf_putc(out, '[');
			jout_quote_buf(out, v->raw, v->len);
			buf_printf(out, ",%lld,%lld,%llu]", (long long)v->count,
			    (long long)v->t, (unsigned long long)v->seq);
		}
		buf_putc(out, ']');
		return;
	}
}

int
agg_load(const struct aggspec *a, union aggst *st, json_t *j)
{
	json_t *x, *el;
	const char *s;
	struct dec d;
	double dx = 0;
	size_t i, n;
	int num;

	agg_init(a, st);
	switch (a->fn) {
	case AF_COUNT:
		return 0;
	case AF_COUNT_F:
		if (!json_is_integer(j))
			return -1;
		st->count = json_integer_value(j);
		return 0;
	case AF_SUM:
	case AF_AVG:
		if (!json_is_object(j) || !json_is_integer(json_object_get(j,
		    "n")))
			return -1;
		st->sum.n = json_integer_value(json_object_get(j, "n"));
		st->sum.scale = (int)json_integer_value(json_object_get(j,
		    "scale"));
		if (st->sum.scale < 0 || st->sum.scale > DEC_MAX_SCALE)
			return -1;
		if ((x = json_object_get(j, "scales")) != NULL) {
			if (!json_is_array(x) || json_array_size(x) !=
			    DEC_MAX_SCALE + 1)
				return -1;
			st->sum.byscale = xcalloc(DEC_MAX_SCALE + 1,
			    sizeof(*st->sum.byscale));
			json_array_foreach(x, i, el)
				st->sum.byscale[i] = json_integer_value(el);
		}
		if ((x = json_object_get(j, "dec")) != NULL) {
			s = json_string_value(x);
			if (s == NULL || dec_parse(&st->sum.s, s,
			    strlen(s)) != 0)
				return -1;
		} else if ((x = json_object_get(j, "dbl")) != NULL &&
		    json_is_number(x)) {
			st->sum.dbl = 1;
			st->sum.x = json_number_value(x);
		} else
			return -1;
		return 0;
	default:
		if (!json_is_array(j))
			return -1;
		json_array_foreach(j, i, el) {
			if (!json_is_array(el) || json_array_size(el) != 4 ||
			    (s = json_string_value(json_array_get(el, 0))) ==
			    NULL || !json_is_integer(json_array_get(el, 1)) ||
			    !json_is_integer(json_array_get(el, 2)) ||
			    !json_is_integer(json_array_get(el, 3)))
				return -1;
			n = json_string_length(json_array_get(el, 0));
			if (n == 0)
				return -1;
			num = vclass(s[0]) == 0 ?
			    parse_number(s, n, &d, &dx) : NUM_NONE;
			set_apply(a->fn, &st->set, s, n, num, &d, dx,
			    json_integer_value(json_array_get(el, 2)),
			    (uint64_t)json_integer_value(json_array_get(el,
			    3)), json_integer_value(json_array_get(el, 1)));
		}
		return 0;
	}
}
