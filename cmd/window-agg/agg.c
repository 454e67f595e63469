/*
 * agg.c: aggregate functions, exact and retraction-aware.
 */
#include <ctype.h>
#include <jansson.h>
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
		/* blanks around the argument are no part of it: "count(* )"
		 * is count(*), as "count( *)" is */
		while (arglen > 0 && (arg[arglen - 1] == ' ' ||
		    arg[arglen - 1] == '\t'))
			arglen--;
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
	size_t n = g->n, nin = g->nin, i;
	int need_time = g->need_time, *numeric;

	/* an input of earlier aggregates may be marked numeric by this spec */
	numeric = xcalloc(nin + 1, sizeof(*numeric));
	for (i = 0; i < nin; i++)
		numeric[i] = g->in[i].numeric;
	for (;;) {
		if (parse_one(g, p, &p, err) != 0)
			break;
		if (*p == '\0') {
			free(numeric);
			return 0;
		}
		p++;		/* the comma */
	}
	/* Refused: what this spec added goes again, so that g is as it was
	 * (the aggregates before it, and their inputs, untouched). */
	for (i = 0; i < nin; i++)
		g->in[i].numeric = numeric[i];
	free(numeric);
	while (g->n > n) {
		g->n--;
		free(g->a[g->n].name);
		free(g->a[g->n].key);
	}
	while (g->nin > nin)
		field_free(&g->in[--g->nin].f);
	g->need_time = need_time;
	return -1;
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

int
json_canonical(const char *s, size_t n)
{
	static struct jdoc d = JDOC_INIT;
	struct buf tmp = BUF_INIT;
	const char *p;
	size_t len;
	int ok;

	if (jscan_parse(&d, s, n) != 0)
		return 0;
	json_canon(&d, 0, &tmp, &p, &len);
	ok = len == n && memcmp(p, s, n) == 0;
	buf_free(&tmp);
	return ok;
}

/* Text s[0..n) as a number: NUM_DEC when struct dec holds it, NUM_WIDE for
 * the rare number beyond that, NUM_NONE when it is no JSON number, or
 * AGG_RANGE beyond numeric's range. */
static int
parse_number(const char *s, size_t n, struct dec *d)
{
	switch (dec_parse(d, s, n)) {
	case 0:
		return NUM_DEC;
	case DEC_WIDE:
		return NUM_WIDE;
	case DEC_ERANGE:
		return AGG_RANGE;
	default:
		return NUM_NONE;
	}
}

static int
has_exp(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == 'e' || s[i] == 'E')
			return 1;
	return 0;
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
		s = a->raw;
		n = a->len;
		if (a->type == J_NUMBER)
			a->num = parse_number(s, n, &a->d);
		else if (a->type == J_STRING && g->in[i].numeric) {
			/* Debezium's decimal.handling.mode=string */
			s = a->raw + 1;
			n = a->len - 2;
			a->num = parse_number(s, n, &a->d);
		}
		if (a->num == AGG_RANGE) {
			*bad = (int)i;
			return AGG_RANGE;
		}
		if (!g->in[i].numeric)
			continue;
		if (a->num == NUM_NONE) {
			*bad = (int)i;
			return AGG_NOTNUM;
		}
		a->hasexp = has_exp(s, n);
		if (a->num == NUM_WIDE) {
			if (!a->winit) {
				decw_init(&a->w);
				a->winit = 1;
			}
			/* dec_parse checked the range: it reads. */
			if (decw_parse(&a->w, s, n) != 0) {
				*bad = (int)i;
				return AGG_RANGE;
			}
		}
	}
	return 0;
}

void
avals_free(struct aval *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		buf_free(&v[i].canon);
		if (v[i].winit)
			decw_free(&v[i].w);
		v[i].winit = 0;
	}
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
	int ca = vclass(a[0]), cb = vclass(b[0]);
	size_t n;
	int c;

	if (ca != cb)
		return ca < cb ? -1 : 1;
	switch (ca) {
	case 0:
		return dec_text_cmp(a, alen, b, blen);
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
	if (a->cls == 0 && a->num == NUM_DEC && b->num == NUM_DEC)
		return dec_cmp(&a->d, &b->d);
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
    int num, const struct dec *d, int64_t t, uint64_t seq, int64_t count)
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

static void
sum_free_wide(struct sumst *s)
{
	if (s->w != NULL) {
		decw_free(s->w);
		free(s->w);
		s->w = NULL;
	}
}

void
agg_free(const struct aggspec *a, union aggst *st)
{
	if (uses_set(a->fn))
		hmap_free(&st->set.m, free);
	else if (a->fn == AF_SUM || a->fn == AF_AVG) {
		free(st->sum.sc);
		sum_free_wide(&st->sum);
	}
}

/* Add k to the count of live values of scale sc (list kept ascending). */
static void
sc_add(struct sumst *s, int sc, int64_t k)
{
	int i;

	for (i = s->nsc; i > 0 && s->sc[i - 1].scale > sc; i--)
		;
	if (i > 0 && s->sc[i - 1].scale == sc) {
		s->sc[i - 1].n += k;
		return;
	}
	if (s->nsc == s->capsc) {
		s->capsc = s->capsc ? 2 * s->capsc : 4;
		s->sc = xrealloc(s->sc, (size_t)s->capsc * sizeof(*s->sc));
	}
	memmove(&s->sc[i + 1], &s->sc[i], (size_t)(s->nsc - i) *
	    sizeof(*s->sc));
	s->sc[i].scale = sc;
	s->sc[i].n = k;
	s->nsc++;
}

/* Count k values of scale sc in (k > 0) or out of the live set. */
static void
scale_count(struct sumst *s, int sc, int64_t k)
{
	int i;

	if (s->sc == NULL) {
		if (s->n == 0 || sc == s->scale) {
			/* one scale so far: n says it all */
			s->scale = sc;
			return;
		}
		sc_add(s, s->scale, s->n);
	}
	sc_add(s, sc, k);
	for (i = s->nsc; i > 0 && s->sc[i - 1].n <= 0; i--)
		;
	s->scale = i > 0 ? s->sc[i - 1].scale : 0;
}

/* From here on the sum is wide. */
static void
sum_widen(struct sumst *s)
{
	if (s->w != NULL)
		return;
	s->w = xmalloc(sizeof(*s->w));
	decw_init(s->w);
	decw_from_dec(s->w, &s->s);
}

/*
 * Back to the fast path when the wide sum fits it again (1e38 + 1 - 1e38),
 * at the scale of the live values: digits below it are zeros, as every
 * value that had them was retracted.
 */
static void
sum_narrow(struct sumst *s)
{
	if (s->w->scale > s->scale)
		decw_rescale(s->w, s->w, s->scale);
	if (decw_to_dec(&s->s, s->w) == 0)
		sum_free_wide(s);
}

/* s += sign * v, exactly: on the fast path while it holds the sum. */
static void
sum_add(struct sumst *s, int num, const struct dec *d,
    const struct decw *w, int sign)
{
	struct decw t;
	struct dec r;

	if (s->w == NULL && num == NUM_DEC) {
		if ((sign > 0 ? dec_add(&r, &s->s, d) :
		    dec_sub(&r, &s->s, d)) == 0) {
			s->s = r;
			return;
		}
	}
	sum_widen(s);
	if (num == NUM_DEC) {
		decw_init(&t);
		decw_from_dec(&t, d);
		w = &t;
	}
	if (sign > 0)
		decw_add(s->w, s->w, w);
	else
		decw_sub(s->w, s->w, w);
	if (num == NUM_DEC)
		decw_free(&t);
	sum_narrow(s);
}

static void
sum_apply(struct sumst *s, const struct aval *v, int sign)
{
	scale_count(s, v->num == NUM_DEC ? v->d.scale : v->w.scale, sign);
	s->n += sign;
	if (v->hasexp)
		s->nexp += sign;
	sum_add(s, v->num, &v->d, &v->w, sign);
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
		    &v->d, t, seq, sign);
	}
}

void
agg_merge(const struct aggspec *a, union aggst *dst, const union aggst *src)
{
	struct hmap_entry *e;
	struct vent *v;

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
		int i;

		if (s->n == 0 && s->w == NULL && dec_is_zero(&s->s))
			return;
		/* the live scales first, then the sums */
		if (s->sc != NULL) {
			for (i = 0; i < s->nsc; i++)
				if (s->sc[i].n != 0) {
					scale_count(d, s->sc[i].scale,
					    s->sc[i].n);
					d->n += s->sc[i].n;
				}
			d->n -= s->n;
		} else if (s->n > 0)
			scale_count(d, s->scale, s->n);
		d->n += s->n;
		d->nexp += s->nexp;
		if (s->w != NULL)
			sum_add(d, NUM_WIDE, NULL, s->w, 1);
		else
			sum_add(d, NUM_DEC, &s->s, NULL, 1);
		return;
	}
	default:
		HMAP_FOREACH(&src->set.m, e) {
			v = e->val;
			set_apply(a->fn, &dst->set, v->raw, v->len, v->num,
			    &v->d, v->t, v->seq, v->count);
		}
	}
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

/*
 * The exact sum at the scale of the live values, fast (0) or into w (1,
 * w set up here). Lowering the scale only drops zeros: the values that
 * had digits there were all retracted.
 */
static int
live_sum(const struct sumst *s, struct dec *d, struct decw *w)
{
	if (s->w == NULL) {
		*d = s->s;
		if (s->scale < s->s.scale)
			dec_rescale(d, &s->s, s->scale);
		return 0;
	}
	decw_init(w);
	if (s->scale < s->w->scale)
		decw_rescale(w, s->w, s->scale);
	else
		decw_set(w, s->w);
	return 1;
}

static void
put_sum(const struct sumst *s, struct buf *out)
{
	char text[DEC_STRLEN];
	struct decw w;
	struct dec d;

	if (live_sum(s, &d, &w) == 0)
		buf_append(out, text, dec_format(&d, text));
	else {
		decw_format(&w, s->nexp > 0, out);
		decw_free(&w);
	}
}

/*
 * avg = sum / n at the scale PostgreSQL's numeric division chooses
 * (select_div_scale: at least 16 significant digits, at least the scale of
 * the sum, at most 1000 digits unless the sum has more), rounded half away
 * from zero; on the fast path when the quotient fits it.
 */
static void
put_avg(const struct sumst *s, struct buf *out)
{
	char text[DEC_STRLEN];
	struct decw ws, wn, wr;
	struct dec sum, n, r;
	int rscale;

	dec_from_i64(&n, s->n);
	if (live_sum(s, &sum, &ws) == 0) {
		rscale = dec_div_scale(&sum, &n);
		if (rscale <= DEC_MAX_SCALE &&
		    dec_div(&r, &sum, &n, rscale) == 0) {
			buf_append(out, text, dec_format(&r, text));
			return;
		}
		decw_init(&ws);
		decw_from_dec(&ws, &sum);
	}
	decw_init(&wn);
	decw_init(&wr);
	decw_from_dec(&wn, &n);
	rscale = decw_div_scale(&ws, &wn);
	decw_div(&wr, &ws, &wn, rscale);
	decw_format(&wr, s->nexp > 0, out);
	decw_free(&ws);
	decw_free(&wn);
	decw_free(&wr);
}

/*
 * A number of min, max, first or last as PostgreSQL writes numeric: the
 * input text when it already is that (no exponent, no "-0"), else written
 * again ("1e2" -> 100, "-0.0" -> 0.0).
 */
static void
put_number(const struct vent *v, struct buf *out)
{
	char text[DEC_STRLEN];

	if (v->num == NUM_DEC) {
		if (!has_exp(v->raw, v->len) && !(v->raw[0] == '-' &&
		    dec_is_zero(&v->d)))
			buf_append(out, v->raw, v->len);
		else
			buf_append(out, text, dec_format(&v->d, text));
		return;
	}
	dec_text_write(v->raw, v->len, out);
}

void
agg_result(const struct aggspec *a, const union aggst *st, int64_t rows,
    struct buf *out)
{
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
		else
			put_sum(&st->sum, out);
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
		else if (st->set.ext->cls == 0)
			put_number(st->set.ext, out);
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
	const struct sumst *s = &st->sum;
	struct hmap_entry *e;
	struct vent *v;
	char text[DEC_STRLEN];
	int any = 0, i;

	switch (a->fn) {
	case AF_COUNT:
		buf_puts(out, "0");
		return;
	case AF_COUNT_F:
		buf_printf(out, "%lld", (long long)st->count);
		return;
	case AF_SUM:
	case AF_AVG:
		buf_printf(out, "{\"n\":%lld,\"nexp\":%lld,\"scale\":%d,",
		    (long long)s->n, (long long)s->nexp, s->scale);
		if (s->sc != NULL) {
			/* [[scale, live values], ...] */
			buf_puts(out, "\"scales\":[");
			for (i = 0; i < s->nsc; i++)
				buf_printf(out, "%s[%d,%lld]", i ? "," : "",
				    s->sc[i].scale, (long long)s->sc[i].n);
			buf_puts(out, "],");
		}
		/* plain digits, the exact value at its scale */
		buf_puts(out, "\"dec\":\"");
		if (s->w == NULL)
			buf_append(out, text, dec_format(&s->s, text));
		else
			decw_format(s->w, 0, out);
		buf_puts(out, "\"}");
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

/* The live values per scale of a saved sum: [[scale, count], ...], or
 * (state files of earlier versions) one count per scale 0..38. */
static int
load_scales(struct sumst *s, json_t *x)
{
	json_t *el;
	json_int_t sc;
	size_t i;

	if (!json_is_array(x))
		return -1;
	json_array_foreach(x, i, el) {
		if (json_is_integer(el)) {
			if (json_array_size(x) != DEC_MAX_SCALE + 1)
				return -1;
			sc = (json_int_t)i;
		} else if (json_is_array(el) && json_array_size(el) == 2 &&
		    json_is_integer(json_array_get(el, 0)) &&
		    json_is_integer(json_array_get(el, 1))) {
			sc = json_integer_value(json_array_get(el, 0));
			el = json_array_get(el, 1);
		} else
			return -1;
		if (sc < 0 || sc > DEC_NUMERIC_SCALE)
			return -1;
		sc_add(s, (int)sc, json_integer_value(el));
	}
	return 0;
}

int
agg_load(const struct aggspec *a, union aggst *st, json_t *j)
{
	struct sumst *sum = &st->sum;
	json_t *x, *el;
	const char *s;
	struct dec d;
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
		/* A sum that went on in floating point ("dbl", before sums
		 * were exact beyond 38 digits) is refused: it is not exact. */
		if (!json_is_object(j) || !json_is_integer(json_object_get(j,
		    "n")) || (s = json_string_value(json_object_get(j,
		    "dec"))) == NULL)
			return -1;
		sum->n = json_integer_value(json_object_get(j, "n"));
		sum->nexp = json_integer_value(json_object_get(j, "nexp"));
		sum->scale = (int)json_integer_value(json_object_get(j,
		    "scale"));
		if (sum->scale < 0 || sum->scale > DEC_NUMERIC_SCALE)
			return -1;
		if ((x = json_object_get(j, "scales")) != NULL &&
		    load_scales(sum, x) != 0)
			return -1;
		n = strlen(s);
		if (dec_parse(&sum->s, s, n) != 0) {
			sum->w = xmalloc(sizeof(*sum->w));
			decw_init(sum->w);
			if (decw_parse(sum->w, s, n) != 0)
				return -1;
		}
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
			/* a live value, as json_canon wrote it: it is
			 * written out as it is, and compared as text */
			if (n == 0 || !json_canonical(s, n) ||
			    json_integer_value(json_array_get(el, 1)) < 1)
				return -1;
			num = vclass(s[0]) == 0 ?
			    parse_number(s, n, &d) : NUM_NONE;
			if (num == AGG_RANGE)
				return -1;
			set_apply(a->fn, &st->set, s, n, num, &d,
			    json_integer_value(json_array_get(el, 2)),
			    (uint64_t)json_integer_value(json_array_get(el,
			    3)), json_integer_value(json_array_get(el, 1)));
		}
		return 0;
	}
}
