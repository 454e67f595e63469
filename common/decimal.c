/*
 * decimal.c: exact decimal arithmetic on a 128-bit coefficient.
 *
 * Sums and averages of JSON numbers must equal PostgreSQL's numeric, so a
 * value is kept as coef * 10^-scale and never goes through a double. Every
 * step that could exceed 38 digits is checked; division and rescaling work
 * on unsigned magnitudes with a remainder, so no intermediate ever needs
 * more than 128 bits.
 */
#include <stdint.h>
#include <stdlib.h>

#include "decimal.h"
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
static size_t	dec_digits(unsigned __int128, char *);

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
			return -1;
	for (i = 0; i < t.nf; i++)
		if (dec_take(&mag, &sig, t.fp[i]) == -1)
			return -1;
	frac = (int64_t)t.nf;
	exp = t.exp;

	/* As PostgreSQL: the exponent moves the point, scale stays >= 0. */
	scale = frac - exp;
	if (scale < 0)
		scale = 0;
	if (scale > DEC_MAX_SCALE)
		return -1;
	shift = exp - frac + scale;		/* >= 0 */
	if (mag != 0) {
		if (shift > DEC_MAX_DIGITS - sig ||
		    __builtin_mul_overflow(mag, dec_pow10[shift], &mag) ||
		    mag >= DEC_LIMIT)
			return -1;
	}
	dec_set(d, t.neg, mag, (int)scale);
	return 0;
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

double
dec_to_double(const struct dec *d)
{
	/* "-digitsE-scale": strtod rounds correctly, and without a decimal
	 * point the text does not depend on LC_NUMERIC. */
	char text[DEC_STRLEN + 8];
	size_t n = 0;

	if (d->coef < 0)
		text[n++] = '-';
	n += dec_digits(dec_mag(d), text + n);
	text[n++] = 'e';
	text[n++] = '-';
	n += dec_digits((unsigned)d->scale, text + n);
	text[n] = '\0';
	return strtod(text, NULL);
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
