/*
 * schema.c: column types of to-parquet-csv: --schema, inference, exact fit,
 * widening, and the mapping of row members to columns.
 *
 * Inference folds every value of a column's first row group into a summary
 * (struct summ: which kinds of value, how many integer and fraction digits,
 * whether every number is exactly a double) and decides the type from it;
 * a fixed type is summarized the same way (summ_of_type), so widening a
 * type by a value that does not fit is the same decision over the union.
 * After the first row group a value is taken only when it fits its column
 * exactly (val_fit): nothing is ever rounded, truncated or reinterpreted.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "diag.h"
#include "field.h"
#include "fwi.h"
#include "hmap.h"
#include "numtext.h"
#include "tstamp.h"

#define US_PER_DAY	INT64_C(86400000000)
#define DBL_EXACT_INT	(INT64_C(1) << 53)
/* A double's exact decimal expansion has at most 767 significant digits. */
#define DBL_MAX_DIGITS	800

const int64_t pow10_i64[19] = {
	INT64_C(1), INT64_C(10), INT64_C(100), INT64_C(1000), INT64_C(10000),
	INT64_C(100000), INT64_C(1000000), INT64_C(10000000),
	INT64_C(100000000), INT64_C(1000000000), INT64_C(10000000000),
	INT64_C(100000000000), INT64_C(1000000000000),
	INT64_C(10000000000000), INT64_C(100000000000000),
	INT64_C(1000000000000000), INT64_C(10000000000000000),
	INT64_C(100000000000000000), INT64_C(1000000000000000000)
};

static int	schema_take_name(const char **, struct buf *);
static int	schema_take_type(const char **, struct column *);
static void	schema_seterr(char **, const char *, const char *, size_t);
static int	isdig(char);
static void	num_classify(const char *, size_t, struct vinfo *);
static int	dbl_roundtrip(const char *, size_t, double);
static int	strtod_n(const char *, size_t, double *);
static size_t	q_digits(unsigned __int128);
static int	be_from_decw(const struct decw *, unsigned char *, int,
		    int *);
static int	clamp_digits(int64_t);
static void	map_index_add(struct rowmap *, size_t);
static int	map_lookup(const struct rowmap *, const char *, size_t,
		    uint64_t);
static const char *key_name(const struct jdoc *, int, struct buf *,
		    size_t *);
static char	*dupn(const char *, size_t);
static void	col_copy(struct column *, const struct column *);
static void	map_name(struct rowmap *, const char *, size_t, int);
static int	name_eq(const char *, const char *, size_t);

/* ---- --schema ---- */

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

static void
schema_seterr(char **err, const char *what, const char *item, size_t n)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s: \"%.*s\"", what, (int)n, item);
	*err = b.data;
}

/* A name up to an unescaped ':' (consumed), "\x" standing for x. */
static int
schema_take_name(const char **sp, struct buf *name)
{
	const char *s = *sp;

	buf_reset(name);
	while (*s != '\0' && *s != ':' && *s != ',') {
		if (*s == '\\' && s[1] != '\0')
			s++;
		buf_putc(name, *s++);
	}
	if (*s != ':' || name->len == 0)
		return -1;
	*sp = s + 1;
	return 0;
}

static int
schema_take_type(const char **sp, struct column *c)
{
	static const struct {
		const char	*name;
		enum col_type	 type;
	} names[] = {
		{ "bool", COL_BOOL }, { "int64", COL_INT64 },
		{ "double", COL_DOUBLE }, { "timestamp", COL_TIMESTAMP },
		{ "date", COL_DATE }, { "string", COL_STRING },
		{ "json", COL_JSON }
	};
	const char *s = *sp;
	size_t i, n;
	long p, sc;
	char *end;

	for (n = 0; s[n] != '\0' && s[n] != ',' && s[n] != '('; n++)
		;
	if (n == 7 && strncmp(s, "decimal", 7) == 0 && s[n] == '(') {
		s += 8;
		if (!isdig(*s))
			return -1;
		p = strtol(s, &end, 10);
		if (*end != ',' || !isdig(end[1]))
			return -1;
		sc = strtol(end + 1, &end, 10);
		if (*end != ')' || p < 1 || p > DEC_PRECISION_MAX || sc < 0 ||
		    sc > p)
			return -1;
		c->type = COL_DECIMAL;
		c->precision = (int)p;
		c->scale = (int)sc;
		*sp = end + 1;
		return 0;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == n &&
		    strncmp(s, names[i].name, n) == 0) {
			c->type = names[i].type;
			*sp = s + n;
			return 0;
		}
	return -1;
}

int
schema_parse(struct schema *s, const char *spec, char **err)
{
	struct buf name = BUF_INIT;
	struct column c;
	const char *p = spec, *item;
	size_t i, cap = 0;

	s->col = NULL;
	s->n = 0;
	*err = NULL;
	for (;;) {
		item = p;
		memset(&c, 0, sizeof(c));
		if (schema_take_name(&p, &name) != 0 ||
		    schema_take_type(&p, &c) != 0 ||
		    (*p != ',' && *p != '\0')) {
			schema_seterr(err, "bad column in --schema", item,
			    strcspn(item, ","));
			goto fail;
		}
		for (i = 0; i < s->n; i++)
			if (s->col[i].nlen == name.len &&
			    memcmp(s->col[i].name, name.data, name.len) == 0) {
				schema_seterr(err, "column named twice in "
				    "--schema", name.data, name.len);
				goto fail;
			}
		if (s->n == cap) {
			cap = cap ? 2 * cap : 8;
			s->col = xrealloc(s->col, cap * sizeof(*s->col));
		}
		c.name = xstrndup(name.data, name.len);
		c.nlen = name.len;
		c.declared = 1;
		s->col[s->n++] = c;
		if (*p == '\0')
			break;
		p++;
	}
	buf_free(&name);
	return 0;
fail:
	buf_free(&name);
	schema_free(s);
	return -1;
}

/*
 * A schema from fw_widen is one allocation holding the struct and its
 * column array: schema_free releases it whole. Any other schema (filled by
 * schema_parse into the caller's struct) loses only its columns.
 */
void
schema_free(struct schema *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->n; i++)
		free(s->col[i].name);
	if (s->col == (struct column *)(void *)(s + 1)) {
		free(s);
		return;
	}
	free(s->col);
	s->col = NULL;
	s->n = 0;
}

const char *
col_type_name(const struct column *c, char *buf, size_t size)
{
	static const char *const names[] = {
		"bool", "int64", "decimal", "double", "timestamp", "date",
		"string", "json", "string"
	};

	if (c->type == COL_DECIMAL)
		snprintf(buf, size, "decimal(%d,%d)", c->precision, c->scale);
	else
		snprintf(buf, size, "%s", names[c->type]);
	return buf;
}

const char *
col_type_article(const struct column *c, char *buf, size_t size)
{
	char t[32];

	col_type_name(c, t, sizeof(t));
	snprintf(buf, size, "%s %s", c->type == COL_INT64 ? "an" : "a", t);
	return buf;
}

/* A copy of n bytes and a NUL: member names may hold NUL bytes
 * ("\u0000"), so not xstrndup. */
static char *
dupn(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

static void
col_copy(struct column *dst, const struct column *src)
{
	*dst = *src;
	dst->name = dupn(src->name, src->nlen);
}

/* ---- Numbers ---- */

/* strtod over text that is not NUL-ended. */
static int
strtod_n(const char *p, size_t n, double *x)
{
	char tmp[128], *s = tmp;

	if (n >= sizeof(tmp))
		s = xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	*x = strtod(s, NULL);
	if (s != tmp)
		free(s);
	return 0;
}

/*
 * 1 when the double x is exactly the decimal value of number text p: the
 * shortest digit string of the text (leading and trailing zeros dropped)
 * is what printf writes for x with as many significant digits, at the same
 * decimal exponent. glibc prints exact expansions, so this is exact.
 */
static int
dbl_roundtrip(const char *p, size_t n, double x)
{
	char dig[DBL_MAX_DIGITS], out[DBL_MAX_DIGITS + 32];
	struct numtext t;
	size_t nd = 0, i, k;
	int64_t e, E;
	int seen = 0;

	if (numtext_split(&t, p, n) != 0)
		return 0;
	e = t.exp - (int64_t)t.nf;
	for (i = 0; i < t.ni + t.nf; i++) {
		char c = i < t.ni ? t.ip[i] : t.fp[i - t.ni];

		if (c == '0' && !seen)
			continue;
		seen = 1;
		if (nd == sizeof(dig))
			return 0;
		dig[nd++] = c;
	}
	while (nd > 0 && dig[nd - 1] == '0') {
		nd--;
		e++;
	}
	if (nd == 0)
		return x == 0;
	if (!isfinite(x) || x == 0)
		return 0;
	E = e + (int64_t)nd - 1;
	snprintf(out, sizeof(out), "%.*e", (int)nd - 1, fabs(x));
	/* out: d[.ddd]e[+-]XX */
	if (out[0] != dig[0])
		return 0;
	k = 1;
	if (nd > 1) {
		if (out[1] != '.' || memcmp(out + 2, dig + 1, nd - 1) != 0)
			return 0;
		k = nd + 1;
	}
	if (out[k] != 'e')
		return 0;
	return strtoll(out + k + 1, NULL, 10) == E;
}

int
num_double(const char *p, size_t n, int isint, double *x)
{
	struct numtext t;
	size_t i, sig;

	if (numtext_split(&t, p, n) != 0)
		return -1;
	if (isint) {
		int64_t v = 0;

		/* Within +-2^53: at most 16 digits. */
		if (t.ni > 16)
			return -1;
		for (i = 0; i < t.ni; i++)
			v = v * 10 + (t.ip[i] - '0');
		if (v > DBL_EXACT_INT)
			return -1;
		*x = t.neg ? -(double)v : (double)v;
		return 0;
	}
	/*
	 * A fraction or an exponent: the double must give back the text's
	 * value to all its significant digits, which up to 15 digits any
	 * normal double does; overflow, underflow and digits beyond what a
	 * double holds fail.
	 */
	strtod_n(p, n, x);
	if (!isfinite(*x))
		return -1;
	sig = t.ni + t.nf;
	for (i = 0; i < t.ni + t.nf &&
	    (i < t.ni ? t.ip[i] : t.fp[i - t.ni]) == '0'; i++)
		sig--;
	if (sig == 0 || (sig <= 15 && fabs(*x) >= DBL_MIN))
		return 0;
	return dbl_roundtrip(p, n, *x) ? 0 : -1;
}

static size_t
q_digits(unsigned __int128 u)
{
	size_t n = 0;

	while (u != 0) {
		u /= 10;
		n++;
	}
	return n;
}

int
num_scaled(const char *p, size_t n, int s, __int128 *q, int *ndig)
{
	static const unsigned __int128 lim =
	    (unsigned __int128)10000000000000000000ULL *
	    10000000000000000000ULL;	/* 10^38 */
	struct numtext t;
	unsigned __int128 acc = 0;
	int64_t k;
	size_t i, nd, keep;
	int sig = 0;

	if (numtext_split(&t, p, n) != 0)
		return -1;
	nd = t.ni + t.nf;
	/* value = D * 10^(exp - nf); coefficient = D * 10^k */
	k = t.exp - (int64_t)t.nf + s;
	keep = nd;
	if (k < 0) {
		/* The last -k digits must be zeros. */
		keep = (uint64_t)-k >= nd ? 0 : nd - (size_t)-k;
		for (i = keep; i < nd; i++)
			if ((i < t.ni ? t.ip[i] : t.fp[i - t.ni]) != '0')
				return -1;
		k = 0;
	}
	for (i = 0; i < keep; i++) {
		int c = (i < t.ni ? t.ip[i] : t.fp[i - t.ni]) - '0';

		if (sig == 0 && c == 0)
			continue;
		if (++sig > 38)
			return -1;
		acc = acc * 10 + (unsigned)c;
	}
	if (acc != 0) {
		if (k > 38 - sig)
			return -1;
		for (; k > 0; k--)
			acc *= 10;
	}
	if (acc >= lim)
		return -1;
	*q = t.neg ? -(__int128)acc : (__int128)acc;
	*ndig = (int)q_digits(acc);
	return 0;
}

int
dec_flba_len(int p)
{
	/* The digits n bytes hold: floor(log10(2^(8n-1) - 1)), n = 1..16. */
	static const int maxdig[16] = {
		2, 4, 6, 9, 11, 14, 16, 18, 21, 23, 26, 28, 31, 33, 35, 38
	};
	int n;

	/* Beyond 38 digits always 32 bytes, a 256-bit decimal: DuckDB
	 * misreads the widths between 17 and 31 bytes (a declared
	 * DECIMAL(50) came back as other numbers), and reads 32 as DOUBLE. */
	if (p > DEC_PRECISION_128)
		return DEC_FLBA_MAX;
	for (n = 0; n < 15 && maxdig[n] < p; n++)
		;
	return n + 1;
}

/*
 * The coefficient of w as big-endian two's complement in width bytes, and
 * its number of digits in *ndig: 0, or -1 when it does not fit.
 */
static int
be_from_decw(const struct decw *w, unsigned char *out, int width, int *ndig)
{
	char dig[DEC_PRECISION_MAX + 3];
	size_t bits = (size_t)width * 8, n, nb;
	mpz_t u;
	int rc = 0;

	if (mpz_sizeinbase(w->coef, 10) > DEC_PRECISION_MAX + 1)
		return -1;
	mpz_get_str(dig, 10, w->coef);
	*ndig = (int)strlen(dig) - (dig[0] == '-');
	if (mpz_sgn(w->coef) == 0)
		*ndig = 0;
	mpz_init(u);
	if (mpz_sgn(w->coef) < 0) {
		/* 2^bits + v, with the top bit set */
		mpz_setbit(u, bits);
		mpz_add(u, u, w->coef);
		if (mpz_sizeinbase(u, 2) != bits || mpz_sgn(u) <= 0)
			rc = -1;
	} else {
		mpz_set(u, w->coef);
		if (mpz_sgn(u) != 0 && mpz_sizeinbase(u, 2) > bits - 1)
			rc = -1;
	}
	if (rc == 0) {
		nb = mpz_sgn(u) == 0 ? 0 : (mpz_sizeinbase(u, 2) + 7) / 8;
		memset(out, 0, (size_t)width - nb);
		mpz_export(out + width - nb, &n, 1, 1, 1, 0, u);
	}
	mpz_clear(u);
	return rc;
}

int
num_scaled_be(const char *p, size_t n, int s, unsigned char *out,
    int width, int *ndig)
{
	struct numtext t;
	struct decw w, r;
	size_t lead;
	int rc = -1;

	if (numtext_split(&t, p, n) != 0)
		return -1;
	/* Too many digits before the point: known from the text alone. */
	lead = numtext_lead(&t);
	if (lead < t.ni + t.nf && t.exp + (int64_t)t.ni - (int64_t)lead + s >
	    DEC_PRECISION_MAX)
		return -1;
	decw_init(&w);
	decw_init(&r);
	if (decw_parse(&w, p, n) == 0) {
		/* exact at scale s: lowering it may drop only zeros */
		decw_rescale(&r, &w, s);
		if (decw_cmp(&r, &w) == 0)
			rc = be_from_decw(&r, out, width, ndig);
	}
	decw_free(&w);
	decw_free(&r);
	return rc;
}

int
pay_scaled_be(int64_t pay, int s0, int s, unsigned char *out, int width)
{
	struct decw w;
	struct dec d;
	int rc, nd;

	dec_from_i64(&d, pay);
	d.scale = s0;
	decw_init(&w);
	decw_from_dec(&w, &d);
	decw_rescale(&w, &w, s);
	rc = be_from_decw(&w, out, width, &nd);
	decw_free(&w);
	return rc;
}

/* A digit count or position far beyond any column, kept within an int. */
static int
clamp_digits(int64_t v)
{
	return v > (1 << 24) ? 1 << 24 : (int)v;
}

/* ---- Strings ---- */

int
val_date(const char *s, size_t n, int64_t *days)
{
	int rc;

	if ((rc = ts_parse_date(s, n, days)) != 0)
		return rc == TS_ERANGE ? TS_ERANGE : -1;
	if (*days == TS_INF)
		*days = PQ_DATE_INF;
	else if (*days == TS_NINF)
		*days = PQ_DATE_NINF;
	return 0;
}

int
val_ts(const char *s, size_t n, int64_t *us)
{
	const char *dot;
	size_t i;
	int rc;

	/* A time of day ("HH:MM" at least) or an infinity; the date alone
	 * is a DATE. */
	if (memchr(s, ':', n) == NULL) {
		if (ts_parse(s, n, us) != 0 || TS_FINITE(*us))
			return -1;
	} else if ((rc = ts_parse(s, n, us)) != 0)
		return rc == TS_ERANGE ? TS_ERANGE : -1;
	/* Digits past the sixth of the fraction (the only '.') are lost. */
	if ((dot = memchr(s, '.', n)) != NULL)
		for (i = (size_t)(dot - s) + 7; i < n && isdig(s[i]); i++)
			if (s[i] != '0')
				return -1;
	if (*us == TS_NINF)
		*us = PQ_TS_NINF;
	return 0;
}

const char *
val_range_error(const struct column *c, const struct jdoc *d, int t,
    struct buf *scratch)
{
	const char *s;
	size_t n;
	int64_t v;

	if ((c->type != COL_TIMESTAMP && c->type != COL_DATE) ||
	    d->tok[t].type != J_STRING)
		return NULL;
	jscan_str(d, t, scratch, &s, &n);
	if (c->type == COL_DATE)
		return ts_parse_date(s, n, &v) == TS_ERANGE ?
		    "date out of range" : NULL;
	/* a time, or a date (its midnight) */
	return ts_parse(s, n, &v) == TS_ERANGE ? "timestamp out of range" :
	    NULL;
}

/* ---- Classification ---- */

static void
num_classify(const char *p, size_t n, struct vinfo *v)
{
	const char *s = p, *end = p + n, *ip, *fp;
	size_t ni, nf, i;
	uint64_t acc = 0;
	int neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	ip = s;
	while (s < end && isdig(*s))
		s++;
	ni = (size_t)(s - ip);
	if (s < end && *s == '.') {
		fp = ++s;
		while (s < end && isdig(*s))
			s++;
		nf = (size_t)(s - fp);
	} else {
		fp = NULL;
		nf = 0;
	}
	if (s < end) {
		/* An exponent. */
		struct numtext t;
		double x;
		size_t lead;
		int64_t e;

		v->kind = VK_EXP;
		v->text = 1;
		/* num_double sets x whether or not it is exact. */
		v->dbl_ok = num_double(p, n, 0, &x) == 0;
		memcpy(&v->pay, &x, sizeof(x));
		v->pay_ok = 1;
		/* The digits of its exact decimal value, as numeric has it. */
		if (numtext_split(&t, p, n) == 0) {
			lead = numtext_lead(&t);
			e = (int64_t)t.nf - t.exp;
			v->scale = clamp_digits(e < 0 ? 0 : e);
			e = t.exp + (int64_t)t.ni - (int64_t)lead;
			v->idig = lead == t.ni + t.nf || e < 0 ? 0 :
			    clamp_digits(e);
		}
		return;
	}
	if (ni == 1 && ip[0] == '0')
		ni = 0;		/* "0" and "0.x": no integer digit */
	v->idig = clamp_digits((int64_t)ni);
	if (fp == NULL) {
		if (ni > 19) {
			v->kind = VK_BIG;
			v->text = 1;
			return;
		}
		for (i = 0; i < ni; i++)
			acc = acc * 10 + (unsigned)(ip[i] - '0');
		if (ni == 19 && acc > (uint64_t)INT64_MAX + (uint64_t)neg) {
			/* Beyond int64 (19 digits cannot overflow acc). */
			v->kind = VK_BIG;
			v->text = 1;
			return;
		}
		v->kind = VK_INT;
		v->pay = neg ? (int64_t)(0 - acc) : (int64_t)acc;
		v->pay_ok = 1;
		v->dbl_ok = acc <= (uint64_t)DBL_EXACT_INT;
		v->text = neg && acc == 0;
		return;
	}
	v->kind = VK_DEC;
	v->scale = clamp_digits((int64_t)nf);
	if (ni + nf <= 18) {
		for (i = 0; i < ni; i++)
			acc = acc * 10 + (unsigned)(ip[i] - '0');
		for (i = 0; i < nf; i++)
			acc = acc * 10 + (unsigned)(fp[i] - '0');
		v->pay = neg ? -(int64_t)acc : (int64_t)acc;
		v->pay_ok = 1;
		/* The coefficient and 10^scale are exact doubles up to these
		 * bounds, so their quotient is the nearest double. */
		v->text = (neg && acc == 0) || acc > (uint64_t)DBL_EXACT_INT ||
		    nf > 22;
		if (acc <= UINT64_C(1000000000000000)) {
			v->dbl_ok = 1;
			return;
		}
	} else
		v->text = 1;
	{
		double x;

		v->dbl_ok = num_double(p, n, 0, &x) == 0;
	}
}

void
val_classify(const struct jdoc *d, int t, struct vinfo *v,
    struct buf *scratch)
{
	const struct jtok *k = &d->tok[t];
	const char *s;
	size_t n;

	v->idig = 0;
	v->scale = 0;
	v->dbl_ok = 0;
	v->pay_ok = 0;
	v->text = 0;
	v->esc = 0;
	v->pay = 0;
	switch ((enum jtype)k->type) {
	case J_NULL:
	case J_NONE:
		v->kind = VK_NULL;
		return;
	case J_TRUE:
		v->kind = VK_TRUE;
		v->pay = 1;
		v->pay_ok = 1;
		return;
	case J_FALSE:
		v->kind = VK_FALSE;
		v->pay_ok = 1;
		return;
	case J_OBJECT:
	case J_ARRAY:
		v->kind = VK_JSON;
		v->text = 1;
		return;
	case J_NUMBER:
		num_classify(d->text + k->start, k->len, v);
		return;
	case J_STRING:
		break;
	}
	v->text = 1;
	v->esc = (k->flags & JT_ESCAPED) != 0;
	jscan_str(d, t, scratch, &s, &n);
	v->kind = VK_STR;
	/* Times start with a year (a digit, or a sign for an expanded one)
	 * or are an infinity; the rest is rejected in a few bytes. */
	if (n >= 8 && (isdig(s[0]) || s[0] == '+' || s[0] == '-' ||
	    s[0] == 'i' || s[0] == 'I')) {
		/* a time of day has a ':', a date or an infinity none */
		if (memchr(s, ':', n) != NULL) {
			if (val_ts(s, n, &v->pay) == 0) {
				v->kind = VK_TS;
				v->pay_ok = 1;
			}
		} else if (val_date(s, n, &v->pay) == 0) {
			v->kind = v->pay == PQ_DATE_INF ||
			    v->pay == PQ_DATE_NINF ? VK_INF : VK_DATE;
			if (v->kind == VK_INF)
				v->pay = v->pay > 0 ? 1 : -1;
			v->pay_ok = 1;
		}
	}
	/* A date, or a timestamp written as ts_canon writes it, in years
	 * 0000-9999 (plain: four digits, no sign), can be rebuilt from its
	 * payload: no text needed. */
	if (v->esc || v->kind == VK_INF || !isdig(s[0]) || n < 10 ||
	    s[4] != '-')
		return;
	if (v->kind == VK_DATE && n == 10)
		v->text = 0;
	else if (v->kind == VK_TS && s[10] == 'T' && s[n - 1] == 'Z' &&
	    n >= 20 && s[16] == ':' && !(s[17] == '6' && s[18] == '0') &&
	    (n == 20 || (s[19] == '.' &&
	    n - 21 <= 9))) {
		v->text = 0;
		v->scale = n == 20 ? 0 : (int)n - 21;
	}
}

size_t
ts_canon(char *out, int64_t us, int nd)
{
	char tmp[TS_STRLEN];
	int64_t f;
	int i;

	ts_format(us, tmp);
	memcpy(out, tmp, 19);
	if (nd == 0) {
		out[19] = 'Z';
		return 20;
	}
	out[19] = '.';
	f = ((us % 1000000) + 1000000) % 1000000;
	for (i = 0; i < nd; i++) {
		int64_t p = i < 6 ? pow10_i64[5 - i] : 0;

		out[20 + i] = p ? (char)('0' + f / p % 10) : '0';
	}
	out[20 + nd] = 'Z';
	return (size_t)nd + 21;
}

/* ---- Summaries ---- */

void
summ_add(struct summ *s, const struct vinfo *v)
{
	switch (v->kind) {
	case VK_NULL:
		return;
	case VK_INT:
	case VK_BIG:
	case VK_DEC:
	case VK_EXP:
		s->kinds |= SK_NUM;
		s->num |= v->kind == VK_INT ? SN_INT :
		    v->kind == VK_DEC ? SN_DEC : v->kind == VK_EXP ? SN_EXP :
		    SN_BIG;
		if (v->idig > s->maxidig)
			s->maxidig = v->idig;
		if ((v->kind == VK_DEC || v->kind == VK_EXP) &&
		    v->scale > s->maxscale)
			s->maxscale = v->scale;
		if (!v->dbl_ok)
			s->dbl_bad = 1;
		return;
	case VK_TRUE:
	case VK_FALSE:
		s->kinds |= SK_BOOL;
		return;
	case VK_TS:
		s->kinds |= SK_STR;
		s->str |= SS_TS;
		return;
	case VK_DATE:
		s->kinds |= SK_STR;
		s->str |= SS_DATE;
		return;
	case VK_STR:
		s->kinds |= SK_STR;
		s->str |= SS_OTHER;
		return;
	case VK_JSON:
		s->kinds |= SK_JSON;
		return;
	case VK_INF:
		s->kinds |= SK_STR;
		s->str |= SS_INF;
		return;
	}
}

void
summ_of_type(struct summ *s, const struct column *c)
{
	memset(s, 0, sizeof(*s));
	switch (c->type) {
	case COL_BOOL:
		s->kinds = SK_BOOL;
		break;
	case COL_INT64:
		s->kinds = SK_NUM;
		s->num = SN_INT;
		s->maxidig = 19;
		s->dbl_bad = 1;
		break;
	case COL_DECIMAL:
		s->kinds = SK_NUM;
		s->num = SN_DEC;
		s->maxscale = c->scale;
		s->maxidig = c->precision - c->scale;
		s->dbl_bad = c->precision > 15;
		break;
	case COL_DOUBLE:
		/* 1.7976931348623157e308 to 5e-324: no DECIMAL holds them */
		s->kinds = SK_NUM;
		s->num = SN_EXP;
		s->maxidig = 309;
		s->maxscale = 1074;
		break;
	case COL_NUMTEXT:
		s->kinds = SK_NUM;
		s->num = SN_EXP;
		s->maxidig = 1 << 24;
		s->maxscale = 1 << 24;
		s->dbl_bad = 1;
		break;
	case COL_TIMESTAMP:
		s->kinds = SK_STR;
		s->str = SS_TS | SS_INF;
		break;
	case COL_DATE:
		s->kinds = SK_STR;
		s->str = SS_DATE | SS_INF;
		break;
	case COL_STRING:
		s->kinds = SK_STR;
		s->str = SS_OTHER;
		break;
	case COL_JSON:
		s->kinds = SK_JSON;
		break;
	}
}

void
summ_decide(const struct summ *s, struct column *c)
{
	int sc, need, fits;

	c->precision = 0;
	c->scale = 0;
	if (s->kinds == 0) {
		c->type = COL_STRING;
		return;
	}
	if ((s->kinds & (s->kinds - 1)) != 0 || (s->kinds & SK_JSON)) {
		c->type = COL_JSON;
		return;
	}
	if (s->kinds == SK_BOOL) {
		c->type = COL_BOOL;
		return;
	}
	if (s->kinds == SK_STR) {
		/* infinities go with timestamps or with dates; alone they
		 * are strings */
		sc = s->str & ~SS_INF;
		c->type = sc == SS_TS ? COL_TIMESTAMP : sc == SS_DATE ?
		    COL_DATE : COL_STRING;
		return;
	}
	if (s->num == SN_INT) {
		c->type = COL_INT64;
		return;
	}
	/*
	 * Numbers: DECIMAL when one holds every value exactly (precision
	 * 18, 38 or 76), but numbers written with an exponent are taken for
	 * binary floating point and go to DOUBLE when it holds them all;
	 * what neither holds is kept as text, a STRING of numbers.
	 */
	sc = s->maxscale;
	need = s->maxidig + sc;
	fits = sc <= DEC_PRECISION_MAX && need <= DEC_PRECISION_MAX;
	if ((s->num & SN_EXP) && !s->dbl_bad)
		c->type = COL_DOUBLE;
	else if (fits) {
		c->type = COL_DECIMAL;
		c->precision = need <= DEC_PRECISION_INT64 ?
		    DEC_PRECISION_INT64 : need <= DEC_PRECISION_128 ?
		    DEC_PRECISION_128 : DEC_PRECISION_MAX;
		c->scale = sc;
	} else
		c->type = COL_NUMTEXT;
}

/* ---- Exact fit ---- */

int
val_fit(const struct column *c, const struct jdoc *d, int t, union tval *v,
    struct buf *scratch)
{
	const struct jtok *k = &d->tok[t];
	const char *s;
	size_t n;
	__int128 q;
	int nd;

	switch (c->type) {
	case COL_BOOL:
		if (k->type != J_TRUE && k->type != J_FALSE)
			return 0;
		v->i = k->type == J_TRUE;
		return 1;
	case COL_INT64:
		return jscan_i64(d, t, &v->i) == 0;
	case COL_DECIMAL:
		if (k->type != J_NUMBER)
			return 0;
		if (c->precision > DEC_PRECISION_128)
			return num_scaled_be(d->text + k->start, k->len,
			    c->scale, v->be, dec_flba_len(c->precision),
			    &nd) == 0 && nd <= c->precision;
		if (num_scaled(d->text + k->start, k->len, c->scale, &q,
		    &nd) != 0 || nd > c->precision)
			return 0;
		if (c->precision <= DEC_PRECISION_INT64)
			v->i = (int64_t)q;
		else
			v->q = q;
		return 1;
	case COL_DOUBLE:
		return k->type == J_NUMBER && num_double(d->text + k->start,
		    k->len, (k->flags & JT_INT) != 0, &v->d) == 0;
	case COL_TIMESTAMP:
	case COL_DATE:
		if (k->type != J_STRING)
			return 0;
		jscan_str(d, t, scratch, &s, &n);
		if (c->type == COL_DATE)
			return val_date(s, n, &v->i) == 0;
		if (val_ts(s, n, &v->i) == 0)
			return 1;
		/* A declared timestamp also takes a date, as its midnight UTC
		 * (as every tool reads a date as a time), when that is a
		 * time; an inferred one does not, as inference makes dates a
		 * DATE column. */
		if (c->declared && ts_parse_date(s, n, &v->i) == 0) {
			if (v->i == TS_INF || v->i == TS_NINF)
				return 0;	/* val_ts took those */
			return !__builtin_mul_overflow(v->i, US_PER_DAY,
			    &v->i) && v->i >= TS_MIN && v->i <= TS_MAX;
		}
		return 0;
	case COL_STRING:
		return k->type == J_STRING;
	case COL_JSON:
		return 1;
	case COL_NUMTEXT:
		return k->type == J_NUMBER;
	}
	return 0;
}

/* ---- The row map ---- */

static void
map_index_add(struct rowmap *m, size_t ni)
{
	size_t mask, i, j;

	if (2 * (m->nnm + 1) > m->idxcap) {
		free(m->idx);
		m->idxcap = m->idxcap ? 2 * m->idxcap : 64;
		m->idx = xcalloc(m->idxcap, sizeof(*m->idx));
		mask = m->idxcap - 1;
		for (j = 0; j < m->nnm; j++) {
			if (j == ni)
				continue;
			for (i = m->nm[j].hash & mask; m->idx[i] != 0;
			    i = (i + 1) & mask)
				;
			m->idx[i] = (uint32_t)j + 1;
		}
	}
	mask = m->idxcap - 1;
	for (i = m->nm[ni].hash & mask; m->idx[i] != 0; i = (i + 1) & mask)
		;
	m->idx[i] = (uint32_t)ni + 1;
}

static int
map_lookup(const struct rowmap *m, const char *name, size_t len, uint64_t h)
{
	size_t mask, i;
	const struct mname *e;

	if (m->idxcap == 0)
		return -1;
	mask = m->idxcap - 1;
	for (i = h & mask; m->idx[i] != 0; i = (i + 1) & mask) {
		e = &m->nm[m->idx[i] - 1];
		if (e->hash == h && e->len == len &&
		    memcmp(e->name, name, len) == 0)
			return (int)(m->idx[i] - 1);
	}
	return -1;
}

/* Register a name (column index col, or -1 for an omitted name). */
static void
map_name(struct rowmap *m, const char *name, size_t len, int col)
{
	struct mname *e;

	if (m->nnm == m->nmcap) {
		m->nmcap = m->nmcap ? 2 * m->nmcap : 16;
		m->nm = xrealloc(m->nm, m->nmcap * sizeof(*m->nm));
	}
	e = &m->nm[m->nnm];
	e->name = dupn(name, len);
	e->len = len;
	e->hash = hmap_hash(name, len);
	e->col = col;
	m->nnm++;
	map_index_add(m, m->nnm - 1);
}

int
rowmap_find(const struct rowmap *m, const char *name, size_t len)
{
	int i = map_lookup(m, name, len, hmap_hash(name, len));

	if (i < 0)
		return -1;
	return m->nm[i].col >= 0 ? m->nm[i].col : -2;
}

size_t
rowmap_add(struct rowmap *m, const char *name, size_t len)
{
	struct fcol *f;

	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 16;
		m->col = xrealloc(m->col, m->cap * sizeof(*m->col));
	}
	f = &m->col[m->n];
	memset(f, 0, sizeof(*f));
	f->c.name = dupn(name, len);
	f->c.nlen = len;
	f->c.type = COL_STRING;
	map_name(m, name, len, (int)m->n);
	if (m->tokcap < m->n + 1) {
		m->tokcap = 2 * (m->n + 1);
		m->tok = xrealloc(m->tok, m->tokcap * sizeof(*m->tok));
	}
	m->tok[m->n] = -1;
	return m->n++;
}

void
rowmap_init(struct rowmap *m, const struct fw_conf *conf,
    const struct schema *start)
{
	const struct schema *decl = conf->declared;
	size_t i, j;
	int ci;

	memset(m, 0, sizeof(*m));
	for (i = 0; i < conf->nomit; i++)
		if (rowmap_find(m, conf->omit[i], strlen(conf->omit[i])) == -1)
			map_name(m, conf->omit[i], strlen(conf->omit[i]), -1);
	for (i = 0; start != NULL && i < start->n; i++) {
		const struct column *sc = &start->col[i];

		if (rowmap_find(m, sc->name, sc->nlen) != -1)
			continue;
		ci = (int)rowmap_add(m, sc->name, sc->nlen);
		m->col[ci].c.type = sc->type;
		m->col[ci].c.precision = sc->precision;
		m->col[ci].c.scale = sc->scale;
		summ_of_type(&m->col[ci].sm, sc);
	}
	for (j = 0; decl != NULL && j < decl->n; j++) {
		const struct column *dc = &decl->col[j];

		ci = rowmap_find(m, dc->name, dc->nlen);
		if (ci == -2)
			continue;
		if (ci == -1)
			ci = (int)rowmap_add(m, dc->name, dc->nlen);
		m->col[ci].c.type = dc->type;
		m->col[ci].c.precision = dc->precision;
		m->col[ci].c.scale = dc->scale;
		m->col[ci].c.declared = 1;
		summ_of_type(&m->col[ci].sm, dc);
	}
}

void
rowmap_free(struct rowmap *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->col[i].c.name);
	for (i = 0; i < m->nnm; i++)
		free(m->nm[i].name);
	free(m->col);
	free(m->nm);
	free(m->idx);
	free(m->tok);
	free(m->nw);
	free(m->hint);
	buf_free(&m->nbuf);
	buf_free(&m->kbuf);
	buf_free(&m->scratch);
	memset(m, 0, sizeof(*m));
}

/* Member names are short: a loop beats a call to memcmp. */
static inline int
name_eq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (a[i] != b[i])
			return 0;
	return 1;
}

/* The name of key token k, unescaped when needed (into tmp). */
static const char *
key_name(const struct jdoc *d, int k, struct buf *tmp, size_t *len)
{
	const struct jtok *t = &d->tok[k];

	if ((t->flags & JT_ESCAPED) == 0) {
		*len = t->len - 2;
		return d->text + t->start + 1;
	}
	buf_reset(tmp);
	jscan_str_append(d, k, tmp);
	*len = tmp->len;
	return tmp->data;
}

void
rowmap_gather(struct rowmap *m, const struct jdoc *d)
{
	const char *name;
	size_t i, j, len, pos = 0;
	int k, v, ni;

	if (m->tokcap < m->n) {
		m->tokcap = m->n + 16;
		m->tok = xrealloc(m->tok, m->tokcap * sizeof(*m->tok));
	}
	for (i = 0; i < m->n; i++)
		m->tok[i] = -1;
	m->nnw = 0;
	buf_reset(&m->nbuf);
	for (k = jscan_child(d, 0); k >= 0; k = jscan_after(d, 0, v), pos++) {
		v = k + 1;
		name = key_name(d, k, &m->kbuf, &len);
		ni = -1;
		if (pos < m->nhint) {
			int h = m->hint[pos];

			if (h >= 0 && m->nm[h].len == len &&
			    name_eq(m->nm[h].name, name, len))
				ni = h;
		}
		if (ni < 0)
			ni = map_lookup(m, name, len, hmap_hash(name, len));
		if (pos >= m->hintcap) {
			m->hintcap = m->hintcap ? 2 * m->hintcap : 16;
			m->hint = xrealloc(m->hint,
			    m->hintcap * sizeof(*m->hint));
		}
		m->hint[pos] = ni;
		if (ni >= 0) {
			if (m->nm[ni].col >= 0)
				m->tok[m->nm[ni].col] = v;
			continue;
		}
		/* Not a column (yet): once per name, the last value. */
		for (j = 0; j < m->nnw; j++)
			if (m->nw[j].len == len && memcmp(m->nbuf.data +
			    m->nw[j].off, name, len) == 0)
				break;
		if (j < m->nnw) {
			m->nw[j].val = v;
			continue;
		}
		if (m->nnw == m->nwcap) {
			m->nwcap = m->nwcap ? 2 * m->nwcap : 8;
			m->nw = xrealloc(m->nw, m->nwcap * sizeof(*m->nw));
		}
		m->nw[m->nnw].off = m->nbuf.len;
		m->nw[m->nnw].len = len;
		m->nw[m->nnw].val = v;
		m->nnw++;
		buf_append(&m->nbuf, name, len);
	}
	m->nhint = pos;
}

int
rowmap_check_declared(struct rowmap *m, const struct jdoc *d,
    union tval *vals, const char **why)
{
	static char msg[512];
	const char *range;
	char art[48];
	size_t i;
	int t;

	for (i = 0; i < m->n; i++) {
		if (!m->col[i].c.declared || (t = m->tok[i]) < 0 ||
		    d->tok[t].type == J_NULL)
			continue;
		if (val_fit(&m->col[i].c, d, t, &vals[i], &m->scratch))
			continue;
		if ((range = val_range_error(&m->col[i].c, d, t,
		    &m->scratch)) != NULL)
			snprintf(msg, sizeof(msg), "field \"%s\": %s: %s",
			    m->col[i].c.name, range, field_shown(d, t));
		else
			snprintf(msg, sizeof(msg), "field \"%s\": not %s: %s",
			    m->col[i].c.name, col_type_article(&m->col[i].c,
			    art, sizeof(art)), field_shown(d, t));
		*why = msg;
		return FW_BAD;
	}
	return FW_OK;
}

struct schema *
rowmap_widen(const struct rowmap *m, const struct jdoc *d, int types_matter)
{
	struct buf kb = BUF_INIT, scratch = BUF_INIT;
	struct schema *s;
	struct summ sm;
	struct vinfo vi;
	union tval tv;
	const char *name;
	size_t i, len, cap;
	int k, v, ci;

	cap = m->n + jscan_count(d, 0);
	s = xcalloc(1, sizeof(*s) + cap * sizeof(struct column));
	s->col = (struct column *)(void *)(s + 1);
	for (i = 0; i < m->n; i++)
		col_copy(&s->col[i], &m->col[i].c);
	s->n = m->n;
	for (k = jscan_child(d, 0); k >= 0; k = jscan_after(d, 0, v)) {
		v = k + 1;
		if (d->tok[v].type == J_NULL)
			continue;
		name = key_name(d, k, &kb, &len);
		ci = rowmap_find(m, name, len);
		if (ci == -2)
			continue;
		if (ci == -1) {
			for (i = m->n; i < s->n; i++)
				if (s->col[i].nlen == len &&
				    memcmp(s->col[i].name, name, len) == 0)
					break;
			if (i == s->n) {
				memset(&s->col[i], 0, sizeof(s->col[i]));
				s->col[i].name = dupn(name, len);
				s->col[i].nlen = len;
				s->n++;
				memset(&sm, 0, sizeof(sm));
			} else
				summ_of_type(&sm, &s->col[i]);
			val_classify(d, v, &vi, &scratch);
			summ_add(&sm, &vi);
			summ_decide(&sm, &s->col[i]);
			continue;
		}
		if (!types_matter || s->col[ci].declared ||
		    val_fit(&s->col[ci], d, v, &tv, &scratch))
			continue;
		summ_of_type(&sm, &s->col[ci]);
		val_classify(d, v, &vi, &scratch);
		summ_add(&sm, &vi);
		summ_decide(&sm, &s->col[ci]);
	}
	buf_free(&kb);
	buf_free(&scratch);
	return s;
}
