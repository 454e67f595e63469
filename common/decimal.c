/*
 * decimal.c: exact decimal arithmetic, on a 128-bit coefficient and, for
 * the rare values beyond it, on a GMP integer.
 *
 * Sums and averages of JSON numbers must equal PostgreSQL's numeric, so a
 * value is kept as coef * 10^-scale and never goes through a double. On the
 * fast path every step that could exceed 38 digits is checked; division and
 * rescaling work on unsigned magnitudes with a remainder, so no
 * intermediate ever needs more than 128 bits. The wide path does the same
 * arithmetic on mpz_t integers; both write the same text for the same
 * value. Text is checked against numeric's range before any digit is
 * expanded, so "1e999999999" costs no more than its nine bytes.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "diag.h"
#include "numtext.h"

#define P19	((unsigned __int128)10000000000000000000ULL)

/* 10^0 .. 10^38; every entry is below 2^127. */
static const unsigned __int128 dec_pow10[DEC_MAX_DIGITS + 1] = {
	1ULL,
	10ULL,
	100ULL,
	1000ULL,
	10000ULL,
	100000ULL,
	1000000ULL,
	10000000ULL,
	100000000ULL,
	1000000000ULL,
	10000000000ULL,
	100000000000ULL,
	1000000000000ULL,
	10000000000000ULL,
	100000000000000ULL,
	1000000000000000ULL,
	10000000000000000ULL,
	100000000000000000ULL,
	1000000000000000000ULL,
	P19,
	P19 * 10ULL,
	P19 * 100ULL,
	P19 * 1000ULL,
	P19 * 10000ULL,
	P19 * 100000ULL,
	P19 * 1000000ULL,
	P19 * 10000000ULL,
	P19 * 100000000ULL,
	P19 * 1000000000ULL,
	P19 * 10000000000ULL,
	P19 * 100000000000ULL,
	P19 * 1000000000000ULL,
	P19 * 10000000000000ULL,
	P19 * 100000000000000ULL,
	P19 * 1000000000000000ULL,
	P19 * 10000000000000000ULL,
	P19 * 100000000000000000ULL,
	P19 * 1000000000000000000ULL,
	P19 * P19,
};

/* Coefficients are strictly below this in magnitude. */
#define DEC_LIMIT	(dec_pow10[DEC_MAX_DIGITS])

static unsigned __int128 dec_mag(const struct dec *);
static void	dec_set(struct dec *, int, unsigned __int128, int);
static int	dec_mul10(unsigned __int128 *, unsigned __int128);
static int	dec_take(unsigned __int128 *, int *, char);
static int	dec_classify(const char *, size_t);
static int	dec_text_scale(const struct numtext *, size_t, int64_t *,
		    int64_t *);
static size_t	dec_digits(unsigned __int128, char *);
static int	dec_ndigits(unsigned __int128);
static void	div_weight(int64_t, uint64_t, int, int64_t, int64_t *,
		    int *);
static int	div_scale(int64_t, int, int, int64_t, int, int);
static void	decw_scale_up(mpz_t, const mpz_t, int64_t);
static void	decw_lead(const struct decw *, int64_t *, uint64_t *,
		    int *);
static void	fmt_value(struct buf *, int, const char *, size_t, size_t,
		    int64_t, int);

/* |d->coef| as unsigned; well defined for every coefficient. */
static unsigned __int128
dec_mag(const struct dec *d)
{
	if (d->coef < 0)
		return -(unsigned __int128)d->coef;
	return (unsigned __int128)d->coef;
}

/* Store sign and magnitude (m < DEC_LIMIT); zero is never negative. */
static void
dec_set(struct dec *d, int neg, unsigned __int128 m, int scale)
{
	d->coef = (__int128)m;
	if (neg)
		d->coef = -d->coef;
	d->scale = scale;
}

/*
 * Given *rem < m (m < 2^127), replace *rem with (10 * *rem) mod m and return
 * the quotient digit. 10 * *rem may not fit 128 bits, so the product is
 * built from the bits of 10 by doubling and adding, reducing modulo m at
 * each step; every partial sum stays below 2m < 2^128.
 */
static int
dec_mul10(unsigned __int128 *rem, unsigned __int128 m)
{
	unsigned __int128 acc = 0, r = *rem;
	int bit, q = 0;

	for (bit = 3; bit >= 0; bit--) {
		q *= 2;
		if (acc >= m - acc) {
			acc -= m - acc;
			q++;
		} else
			acc += acc;
		if ((10 >> bit) & 1) {
			if (acc >= m - r) {
				acc -= m - r;
				q++;
			} else
				acc += r;
		}
	}
	*rem = acc;
	return q;
}

/* Append digit c to *mag; leading zeros are not significant. -1 when the
 * coefficient would need more than DEC_MAX_DIGITS digits. */
static int
dec_take(unsigned __int128 *mag, int *sig, char c)
{
	if (*mag == 0 && c == '0')
		return 0;
	if (*sig == DEC_MAX_DIGITS)
		return -1;
	if (__builtin_mul_overflow(*mag, 10, mag) ||
	    __builtin_add_overflow(*mag, (unsigned)(c - '0'), mag))
		return -1;
	(*sig)++;
	return 0;
}

int
dec_parse(struct dec *d, const char *s, size_t n)
{
	unsigned __int128 mag = 0;
	struct numtext t;
	int64_t frac, exp, scale, shift;
	int sig = 0;
	size_t i;

	if (numtext_split(&t, s, n) != 0)
		return -1;
	for (i = 0; i < t.ni; i++)
		if (dec_take(&mag, &sig, t.ip[i]) == -1)
			return dec_classify(s, n);
	for (i = 0; i < t.nf; i++)
		if (dec_take(&mag, &sig, t.fp[i]) == -1)
			return dec_classify(s, n);
	frac = (int64_t)t.nf;
	exp = t.exp;

	/* As PostgreSQL: the exponent moves the point, scale stays >= 0. */
	scale = frac - exp;
	if (scale < 0)
		scale = 0;
	if (scale > DEC_MAX_SCALE)
		return dec_classify(s, n);
	shift = exp - frac + scale;		/* >= 0 */
	if (mag != 0) {
		if (shift > DEC_MAX_DIGITS - sig ||
		    __builtin_mul_overflow(mag, dec_pow10[shift], &mag) ||
		    mag >= DEC_LIMIT)
			return dec_classify(s, n);
	}
	dec_set(d, t.neg, mag, (int)scale);
	return 0;
}

/*
 * The scale of number t as numeric has it (the fraction digits minus the
 * exponent, at least 0) and the number of digits before its point (0 when
 * it is below one), lead being numtext_lead(t). Either may be far beyond
 * numeric's range: the exponent is below 10^16.
 */
static int
dec_text_scale(const struct numtext *t, size_t lead, int64_t *scale,
    int64_t *intdig)
{
	int64_t sc = (int64_t)t->nf - t->exp, e;

	*scale = sc < 0 ? 0 : sc;
	*intdig = 0;
	if (lead == t->ni + t->nf)
		return 0;
	e = t->exp + (int64_t)t->ni - 1 - (int64_t)lead;
	if (e >= 0)
		*intdig = e + 1;
	return 1;
}

/* Text that split as a number and does not fit struct dec: DEC_WIDE, or
 * DEC_ERANGE beyond numeric's range. */
static int
dec_classify(const char *s, size_t n)
{
	struct numtext t;
	int64_t scale, intdig;

	if (numtext_split(&t, s, n) != 0)
		return -1;
	dec_text_scale(&t, numtext_lead(&t), &scale, &intdig);
	if (scale > DEC_NUMERIC_SCALE || intdig > DEC_NUMERIC_INTDIG)
		return DEC_ERANGE;
	return DEC_WIDE;
}

void
dec_from_i64(struct dec *d, int64_t v)
{
	d->coef = v;
	d->scale = 0;
}

int
dec_to_i64(const struct dec *d, int64_t *v)
{
	unsigned __int128 m = dec_mag(d);

	if (d->scale > 0) {
		if (m % dec_pow10[d->scale] != 0)
			return -1;
		m /= dec_pow10[d->scale];
	}
	if (d->coef < 0) {
		if (m > (unsigned __int128)INT64_MAX + 1)
			return -1;
		*v = m == (unsigned __int128)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)m;
	} else {
		if (m > INT64_MAX)
			return -1;
		*v = (int64_t)m;
	}
	return 0;
}

/* Write the decimal digits of m, most significant first, without NUL.
 * out needs 39 bytes (2^128 has 39 digits). Beyond 64 bits, two 128-bit
 * divisions split m into 19-digit parts; the digits come from 64-bit
 * arithmetic. */
static size_t
dec_digits(unsigned __int128 m, char *out)
{
	uint64_t part[3], v;
	char tmp[20];
	size_t len = 0;
	int np = 0, i, k;

	if (m <= UINT64_MAX)		/* the usual case: no 128-bit division */
		part[np++] = (uint64_t)m;
	else
		do {
			part[np++] = (uint64_t)(m % P19);
			m /= P19;
		} while (m != 0);
	for (i = np - 1; i >= 0; i--) {
		v = part[i];
		k = 0;
		do {
			tmp[k++] = (char)('0' + (int)(v % 10));
			v /= 10;
		} while (v != 0);
		/* Inner parts keep their leading zeros. */
		while (i != np - 1 && k < 19)
			tmp[k++] = '0';
		while (k > 0)
			out[len++] = tmp[--k];
	}
	return len;
}

int
dec_add(struct dec *r, const struct dec *a, const struct dec *b)
{
	unsigned __int128 ma = dec_mag(a), mb = dec_mag(b), m;
	int na = a->coef < 0, nb = b->coef < 0, neg, scale;

	/*
	 * Align to the larger scale. An aligned magnitude that does not fit
	 * 128 bits is above 2 * 10^38, and adding or subtracting the other
	 * operand (below 10^38) cannot bring the result back within 38
	 * digits, so failing there is exact.
	 */
	if (a->scale < b->scale) {
		scale = b->scale;
		if (__builtin_mul_overflow(ma, dec_pow10[scale - a->scale],
		    &ma))
			return -1;
	} else {
		scale = a->scale;
		if (__builtin_mul_overflow(mb, dec_pow10[scale - b->scale],
		    &mb))
			return -1;
	}
	if (na == nb) {
		if (__builtin_add_overflow(ma, mb, &m))
			return -1;
		neg = na;
	} else if (ma >= mb) {
		m = ma - mb;
		neg = na;
	} else {
		m = mb - ma;
		neg = nb;
	}
	if (m >= DEC_LIMIT)
		return -1;
	dec_set(r, neg && m != 0, m, scale);
	return 0;
}

int
dec_sub(struct dec *r, const struct dec *a, const struct dec *b)
{
	struct dec nb;

	nb.coef = -b->coef;
	nb.scale = b->scale;
	return dec_add(r, a, &nb);
}

int
dec_div(struct dec *r, const struct dec *a, const struct dec *b, int scale)
{
	unsigned __int128 ma = dec_mag(a), mb = dec_mag(b), q, rem, low;
	int neg, k, i, up;

	if (scale < 0 || scale > DEC_MAX_SCALE || mb == 0)
		return -1;
	neg = (a->coef < 0) != (b->coef < 0);

	/*
	 * a / b * 10^scale = ma * 10^k / mb, k = b.scale + scale - a.scale.
	 * For k >= 0, long division: the integer quotient, then k more digits
	 * from the remainder. For k < 0, divide the integer quotient by
	 * 10^-k; the digits cut off decide the rounding on their own, as the
	 * remainder of ma / mb is less than one unit of them.
	 */
	k = b->scale + scale - a->scale;
	q = ma / mb;
	rem = ma % mb;
	if (k >= 0) {
		for (i = 0; i < k; i++) {
			if (__builtin_mul_overflow(q, 10, &q) ||
			    __builtin_add_overflow(q,
			    (unsigned)dec_mul10(&rem, mb), &q) ||
			    q >= DEC_LIMIT)
				return -1;
		}
		up = rem >= mb - rem;		/* 2 * rem >= mb */
	} else {
		low = q % dec_pow10[-k];
		q /= dec_pow10[-k];
		up = low >= 5 * dec_pow10[-k - 1];
	}
	if (up && __builtin_add_overflow(q, 1, &q))
		return -1;
	if (q >= DEC_LIMIT)
		return -1;
	dec_set(r, neg && q != 0, q, scale);
	return 0;
}

int
dec_rescale(struct dec *r, const struct dec *a, int scale)
{
	unsigned __int128 m = dec_mag(a), p;
	int neg = a->coef < 0;

	if (scale < 0 || scale > DEC_MAX_SCALE)
		return -1;
	if (scale >= a->scale) {
		if (__builtin_mul_overflow(m, dec_pow10[scale - a->scale],
		    &m) || m >= DEC_LIMIT)
			return -1;
	} else {
		p = dec_pow10[a->scale - scale];
		if (m % p >= p / 2)		/* p is even: exact half */
			m = m / p + 1;
		else
			m /= p;
	}
	dec_set(r, neg && m != 0, m, scale);
	return 0;
}

int
dec_cmp(const struct dec *a, const struct dec *b)
{
	unsigned __int128 ma = dec_mag(a), mb = dec_mag(b);
	int sa, sb, c;

	sa = (a->coef > 0) - (a->coef < 0);
	sb = (b->coef > 0) - (b->coef < 0);
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (sa == 0)
		return 0;
	/* Same sign: compare magnitudes at the larger scale; one that
	 * overflows 128 bits there is the larger (the other is < 10^38). */
	if (a->scale < b->scale) {
		if (__builtin_mul_overflow(ma, dec_pow10[b->scale - a->scale],
		    &ma))
			return sa;
	} else if (a->scale > b->scale) {
		if (__builtin_mul_overflow(mb, dec_pow10[a->scale - b->scale],
		    &mb))
			return -sa;
	}
	c = (ma > mb) - (ma < mb);
	return sa > 0 ? c : -c;
}

int
dec_is_zero(const struct dec *d)
{
	return d->coef == 0;
}

size_t
dec_format(const struct dec *d, char *out)
{
	char dig[DEC_STRLEN];
	size_t n, len = 0, i, pad, total, scale = (size_t)d->scale;

	n = dec_digits(dec_mag(d), dig);
	/* At least one digit before the point: "0.05". */
	total = n > scale ? n : scale + 1;
	pad = total - n;
	if (d->coef < 0)
		out[len++] = '-';
	for (i = 0; i < total; i++) {
		if (scale > 0 && total - i == scale)
			out[len++] = '.';
		out[len++] = i < pad ? '0' : dig[i - pad];
	}
	out[len] = '\0';
	return len;
}

/* ---------------------------------------------------------------------
 * The scale of a quotient, as PostgreSQL's select_div_scale chooses it
 */

static int
dec_ndigits(unsigned __int128 m)
{
	int n = 0;

	while (n < DEC_MAX_DIGITS && m >= dec_pow10[n + 1])
		n++;
	return m == 0 ? 0 : n + 1;
}

/*
 * The weight (position of the leading base-10000 digit) and that digit of
 * a value whose coefficient has nd digits (0: the value is zero), the first
 * topd of them being top (topd = min(nd, 8)), at scale `scale`: the digits
 * PostgreSQL's NumericVar has.
 */
static void
div_weight(int64_t nd, uint64_t top, int topd, int64_t scale,
    int64_t *weight, int *first)
{
	int64_t e, w, k;

	if (nd == 0) {
		*weight = 0;
		*first = 0;
		return;
	}
	e = nd - 1 - scale;		/* value in [10^e, 10^(e+1)) */
	w = e >= 0 ? e / 4 : -((-e + 3) / 4);
	k = e - 4 * w + 1;		/* digits of the first NBASE digit */
	*weight = w;
	if (k <= topd)
		*first = (int)(top / (uint64_t)dec_pow10[topd - k]);
	else
		*first = (int)(top * (uint64_t)dec_pow10[k - topd]);
}

static int
div_scale(int64_t w1, int f1, int s1, int64_t w2, int f2, int s2)
{
	int64_t qweight = w1 - w2, rscale;

	/* Equal first digits: assume the dividend is the smaller. */
	if (f1 <= f2)
		qweight--;
	rscale = 16 - qweight * 4;
	if (rscale < s1)
		rscale = s1;
	if (rscale < s2)
		rscale = s2;
	if (rscale < 0)
		rscale = 0;
	if (rscale > DEC_DIV_MAX_SCALE)
		rscale = DEC_DIV_MAX_SCALE;
	return (int)rscale;
}

int
dec_div_scale(const struct dec *a, const struct dec *b)
{
	const struct dec *v[2] = { a, b };
	unsigned __int128 m;
	int64_t w[2];
	int f[2], i, nd;

	for (i = 0; i < 2; i++) {
		m = dec_mag(v[i]);
		nd = dec_ndigits(m);
		if (nd > 8)
			m /= dec_pow10[nd - 8];
		div_weight(nd, (uint64_t)m, nd < 8 ? nd : 8, v[i]->scale,
		    &w[i], &f[i]);
	}
	return div_scale(w[0], f[0], a->scale, w[1], f[1], b->scale);
}

/* ---------------------------------------------------------------------
 * The wide path
 */

/* r = a * 10^k, k >= 0; r may alias a. */
static void
decw_scale_up(mpz_t r, const mpz_t a, int64_t k)
{
	mpz_t p;

	if (k <= (ULONG_MAX > 0xffffffffUL ? 19 : 9)) {
		mpz_mul_ui(r, a, (unsigned long)dec_pow10[k]);
		return;
	}
	mpz_init(p);
	mpz_ui_pow_ui(p, 10, (unsigned long)k);
	mpz_mul(r, a, p);
	mpz_clear(p);
}

void
decw_init(struct decw *w)
{
	mpz_init(w->coef);
	w->scale = 0;
}

void
decw_free(struct decw *w)
{
	mpz_clear(w->coef);
}

void
decw_set(struct decw *r, const struct decw *a)
{
	mpz_set(r->coef, a->coef);
	r->scale = a->scale;
}

void
decw_from_dec(struct decw *w, const struct dec *d)
{
	unsigned __int128 m = dec_mag(d);
	uint64_t word[2];

	word[0] = (uint64_t)m;
	word[1] = (uint64_t)(m >> 64);
	mpz_import(w->coef, 2, -1, sizeof(word[0]), 0, 0, word);
	if (d->coef < 0)
		mpz_neg(w->coef, w->coef);
	w->scale = d->scale;
}

int
decw_to_dec(struct dec *d, const struct decw *w)
{
	uint64_t word[2] = { 0, 0 };
	unsigned __int128 m;
	size_t n;

	if (w->scale > DEC_MAX_SCALE || mpz_sizeinbase(w->coef, 2) > 127)
		return -1;
	mpz_export(word, &n, -1, sizeof(word[0]), 0, 0, w->coef);
	m = (unsigned __int128)word[1] << 64 | word[0];
	if (m >= DEC_LIMIT)
		return -1;
	dec_set(d, mpz_sgn(w->coef) < 0, m, w->scale);
	return 0;
}

int
decw_parse(struct decw *w, const char *s, size_t n)
{
	struct numtext t;
	size_t lead, i, nd;
	int64_t scale, intdig, zeros;
	char *dig;

	if (numtext_split(&t, s, n) != 0)
		return -1;
	lead = numtext_lead(&t);
	nd = t.ni + t.nf - lead;
	dec_text_scale(&t, lead, &scale, &intdig);
	if (scale > DEC_NUMERIC_SCALE)
		return -1;
	w->scale = (int)scale;
	if (nd == 0) {
		mpz_set_ui(w->coef, 0);
		return 0;
	}
	zeros = t.exp - (int64_t)t.nf + scale;		/* >= 0 */
	if (zeros > DEC_NUMERIC_INTDIG)
		return -1;
	dig = xmalloc(nd + 1);
	for (i = 0; i < nd; i++)
		dig[i] = numtext_digit(&t, lead + i);
	dig[nd] = '\0';
	mpz_set_str(w->coef, dig, 10);
	free(dig);
	if (zeros > 0)
		decw_scale_up(w->coef, w->coef, zeros);
	if (t.neg)
		mpz_neg(w->coef, w->coef);
	return 0;
}

/* r = a + b (sign 1) or a - b (sign -1), at the larger scale. */
static void
decw_addsub(struct decw *r, const struct decw *a, const struct decw *b,
    int sign)
{
	void (*op)(mpz_ptr, mpz_srcptr, mpz_srcptr) = sign > 0 ? mpz_add :
	    mpz_sub;
	mpz_t t;
	int scale;

	if (a->scale == b->scale) {
		op(r->coef, a->coef, b->coef);
		r->scale = a->scale;
		return;
	}
	mpz_init(t);
	if (a->scale < b->scale) {
		scale = b->scale;
		decw_scale_up(t, a->coef, b->scale - a->scale);
		op(r->coef, t, b->coef);
	} else {
		scale = a->scale;
		decw_scale_up(t, b->coef, a->scale - b->scale);
		op(r->coef, a->coef, t);
	}
	mpz_clear(t);
	r->scale = scale;
}

void
decw_add(struct decw *r, const struct decw *a, const struct decw *b)
{
	decw_addsub(r, a, b, 1);
}

void
decw_sub(struct decw *r, const struct decw *a, const struct decw *b)
{
	decw_addsub(r, a, b, -1);
}

int
decw_div(struct decw *r, const struct decw *a, const struct decw *b,
    int scale)
{
	mpz_t num, den, q, rem;
	int64_t k;
	int neg;

	if (scale < 0 || mpz_sgn(b->coef) == 0)
		return -1;
	neg = mpz_sgn(a->coef) * mpz_sgn(b->coef) < 0;
	/* a / b * 10^scale = ca * 10^k / cb, k = b.scale + scale - a.scale */
	k = (int64_t)b->scale + scale - a->scale;
	mpz_inits(num, den, q, rem, NULL);
	mpz_abs(num, a->coef);
	mpz_abs(den, b->coef);
	if (k >= 0)
		decw_scale_up(num, num, k);
	else
		decw_scale_up(den, den, -k);
	mpz_tdiv_qr(q, rem, num, den);
	mpz_mul_2exp(rem, rem, 1);
	if (mpz_cmp(rem, den) >= 0)
		mpz_add_ui(q, q, 1);
	if (neg)
		mpz_neg(q, q);
	mpz_swap(r->coef, q);
	r->scale = scale;
	mpz_clears(num, den, q, rem, NULL);
	return 0;
}

void
decw_rescale(struct decw *r, const struct decw *a, int scale)
{
	mpz_t p, q, rem;
	int neg;

	if (scale >= a->scale) {
		decw_scale_up(r->coef, a->coef, scale - a->scale);
		r->scale = scale;
		return;
	}
	neg = mpz_sgn(a->coef) < 0;
	mpz_inits(p, q, rem, NULL);
	mpz_ui_pow_ui(p, 10, (unsigned long)(a->scale - scale));
	mpz_abs(q, a->coef);
	mpz_tdiv_qr(q, rem, q, p);
	mpz_mul_2exp(rem, rem, 1);
	if (mpz_cmp(rem, p) >= 0)
		mpz_add_ui(q, q, 1);
	if (neg)
		mpz_neg(q, q);
	mpz_swap(r->coef, q);
	r->scale = scale;
	mpz_clears(p, q, rem, NULL);
}

int
decw_cmp(const struct decw *a, const struct decw *b)
{
	int sa = mpz_sgn(a->coef), sb = mpz_sgn(b->coef), c;
	mpz_t t;

	if (sa != sb || sa == 0)
		return (sa > sb) - (sa < sb);
	if (a->scale == b->scale)
		return mpz_cmp(a->coef, b->coef);
	mpz_init(t);
	if (a->scale < b->scale) {
		decw_scale_up(t, a->coef, b->scale - a->scale);
		c = mpz_cmp(t, b->coef);
	} else {
		decw_scale_up(t, b->coef, a->scale - b->scale);
		c = mpz_cmp(a->coef, t);
	}
	mpz_clear(t);
	return (c > 0) - (c < 0);
}

int
decw_is_zero(const struct decw *w)
{
	return mpz_sgn(w->coef) == 0;
}

/* The digit count of |w|'s coefficient (0 for zero) and its first topd =
 * min(nd, 8) digits. */
static void
decw_lead(const struct decw *w, int64_t *nd, uint64_t *top, int *topd)
{
	mpz_t q, p;
	size_t s;
	unsigned long v;
	int d;

	if (mpz_sgn(w->coef) == 0) {
		*nd = 0;
		*top = 0;
		*topd = 0;
		return;
	}
	mpz_init(q);
	mpz_abs(q, w->coef);
	/* sizeinbase is exact or one too many: the quotient tells. */
	s = mpz_sizeinbase(q, 10);
	if (s > 8) {
		mpz_init(p);
		mpz_ui_pow_ui(p, 10, (unsigned long)(s - 8));
		mpz_tdiv_q(q, q, p);
		mpz_clear(p);
	}
	v = mpz_get_ui(q);
	mpz_clear(q);
	for (d = 1; d < 8 && v >= (unsigned long)dec_pow10[d]; d++)
		;
	*nd = (int64_t)(s > 8 ? s - 8 : 0) + d;
	*top = v;
	*topd = d;
}

int
decw_div_scale(const struct decw *a, const struct decw *b)
{
	const struct decw *v[2] = { a, b };
	int64_t w[2], nd;
	uint64_t top;
	int f[2], i, topd;

	for (i = 0; i < 2; i++) {
		decw_lead(v[i], &nd, &top, &topd);
		div_weight(nd, top, topd, v[i]->scale, &w[i], &f[i]);
	}
	return div_scale(w[0], f[0], a->scale, w[1], f[1], b->scale);
}

/* ---------------------------------------------------------------------
 * Text
 */

/*
 * Append the value (dig[0..n) followed by `zeros` zeros) * 10^-scale, dig
 * without leading zeros (n = 0 and zeros = 0 for zero), as decw_format
 * describes: plain, or with expok and a long plain text the shorter
 * exponent form. neg is ignored for zero.
 */
static void
fmt_value(struct buf *out, int neg, const char *dig, size_t n, size_t zeros,
    int64_t scale, int expok)
{
	size_t nc = n + zeros, total, pad, plain, expl, mlen, i, j;
	int64_t e, ae;
	char *o, ebuf[24];
	int elen;

	if (nc == 0)
		neg = 0;
	total = nc > (size_t)scale ? nc : (size_t)scale + 1;
	pad = total - nc;
	plain = (size_t)neg + total + (scale > 0);
	if (expok && plain > DEC_PLAIN_MAX) {
		/* [-]d[.ddd]e(+|-)N: the mantissa keeps every coefficient
		 * digit, but trailing zeros of an integer (scale 0). */
		mlen = nc;
		if (nc == 0)
			e = -scale;
		else {
			e = (int64_t)nc - 1 - scale;
			if (scale == 0) {
				mlen = n;
				while (mlen > 1 && dig[mlen - 1] == '0')
					mlen--;
			}
		}
		ae = e < 0 ? -e : e;
		elen = snprintf(ebuf, sizeof(ebuf), "e%c%lld", e < 0 ? '-' :
		    '+', (long long)ae);
		expl = (size_t)neg + (mlen > 1 ? mlen + 1 : 1) + (size_t)elen;
		if (expl < plain) {
			buf_grow(out, expl);
			o = out->data + out->len;
			if (neg)
				*o++ = '-';
			if (nc == 0)
				*o++ = '0';
			for (i = 0; i < mlen; i++) {
				if (i == 1)
					*o++ = '.';
				*o++ = i < n ? dig[i] : '0';
			}
			memcpy(o, ebuf, (size_t)elen);
			out->len += expl;
			out->data[out->len] = '\0';
			return;
		}
	}
	buf_grow(out, plain);
	o = out->data + out->len;
	if (neg)
		*o++ = '-';
	for (i = 0; i < total; i++) {
		if (scale > 0 && total - i == (size_t)scale)
			*o++ = '.';
		j = i - pad;
		*o++ = i < pad || j >= n ? '0' : dig[j];
	}
	out->len += plain;
	out->data[out->len] = '\0';
}

void
decw_format(const struct decw *w, int expok, struct buf *out)
{
	char *dig, *p;
	size_t n;

	if (mpz_sgn(w->coef) == 0) {
		fmt_value(out, 0, "", 0, 0, w->scale, expok);
		return;
	}
	dig = xmalloc(mpz_sizeinbase(w->coef, 10) + 2);
	mpz_get_str(dig, 10, w->coef);
	p = dig[0] == '-' ? dig + 1 : dig;
	n = strlen(p);
	fmt_value(out, dig[0] == '-', p, n, 0, w->scale, expok);
	free(dig);
}

void
dec_text_write(const char *s, size_t n, struct buf *out)
{
	struct numtext t;
	size_t lead, nd, i;
	int64_t scale, intdig, zeros;
	char *dig;

	if (numtext_split(&t, s, n) != 0) {
		buf_append(out, s, n);
		return;
	}
	lead = numtext_lead(&t);
	nd = t.ni + t.nf - lead;
	dec_text_scale(&t, lead, &scale, &intdig);
	if (scale > DEC_NUMERIC_SCALE || intdig > DEC_NUMERIC_INTDIG) {
		buf_append(out, s, n);
		return;
	}
	zeros = nd == 0 ? 0 : t.exp - (int64_t)t.nf + scale;
	dig = xmalloc(nd + 1);
	for (i = 0; i < nd; i++)
		dig[i] = numtext_digit(&t, lead + i);
	fmt_value(out, t.neg, dig, nd, (size_t)zeros, scale, t.hasexp);
	free(dig);
}

int
dec_text_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	struct numtext ta, tb;
	int ra = numtext_split(&ta, a, an), rb = numtext_split(&tb, b, bn);
	int c;

	if (ra == 0 && rb == 0)
		return numtext_cmp(&ta, &tb);
	if (ra != rb)
		return ra == 0 ? -1 : 1;
	c = memcmp(a, b, an < bn ? an : bn);
	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}
