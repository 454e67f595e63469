/*
 * test_decimal.c: unit tests for exact decimal arithmetic.
 *
 * Besides fixed cases, random numbers are checked against a schoolbook
 * reference written here on digit strings (no doubles, no 128-bit
 * integers, no GMP), so a slip in the 128-bit or the wide code cannot be
 * mirrored in the reference; and the fast path and the wide path against
 * each other, across the 38-digit boundary.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "numtext.h"
#include "unit.h"

/* Longest digit string the reference ever holds, NUL included. */
#define REF_MAX		1024
#define NINES38		"99999999999999999999999999999999999999"
#define ONE_E37		"10000000000000000000000000000000000000"

/* A value in the reference arithmetic: sign, magnitude digits, scale. */
struct ref {
	int	neg;
	int	scale;
	char	mag[REF_MAX];	/* no leading zeros; zero is "0" */
};

struct fmt_case {
	const char	*text;
	const char	*want;	/* NULL: not a number; WIDE, ERANGE */
};

/* fmt_case.want when dec_parse must say DEC_WIDE or DEC_ERANGE. */
#define WIDE	"(wide)"
#define ERANGE	"(out of range)"

struct op_case {
	const char	*a;
	const char	*b;
	const char	*want;	/* NULL: the operation must fail */
};

struct div_case {
	const char	*a;
	const char	*b;
	int		 scale;
	const char	*want;	/* NULL: the operation must fail */
};

static uint64_t	rng_below(uint64_t);
static struct dec num(const char *);
static const char *fmt(const struct dec *);
static void	mag_norm(char *);
static int	mag_cmp(const char *, const char *);
static void	mag_add(const char *, const char *, char *);
static void	mag_sub(const char *, const char *, char *);
static void	mag_mul(const char *, const char *, char *);
static void	mag_shift(char *, int);
static int	mag_is_zero(const char *);
static void	ref_align(struct ref *, int);
static void	ref_add(const struct ref *, const struct ref *,
		    struct ref *);
static int	ref_cmp(const struct ref *, const struct ref *);
static void	ref_format(const struct ref *, char *);
static int	ref_fits(const struct ref *);
static void	gen_digits(char *, int, int, int);
static void	gen_plain(char *, struct ref *);
static void	gen_exp(char *, struct ref *);
static int	gen_valid(char *, struct ref *, struct dec *);
static int	check_div(const struct ref *, const struct ref *, int, int,
		    const struct dec *);
static int	check_quot(const struct ref *, const struct ref *, int,
		    const char *);
static int	ref_div_scale(const struct ref *, const struct ref *);
static void	gen_wide(char *, struct ref *);
static const char *wfmt(const struct decw *, int);
static void	wnum(struct decw *, const char *);
static char	*repeat(const char *, char, size_t, const char *);
static void	test_wide_format(void);
static void	test_wide_limits(void);
static void	test_text(void);
static void	test_div_scale(void);
static void	test_random_fast_wide(void);
static void	test_random_wide(void);
static void	test_parse_format(void);
static void	test_parse_length(void);
static void	test_format_struct(void);
static void	test_i64(void);
static void	test_add_sub(void);
static void	test_div(void);
static void	test_rescale(void);
static void	test_cmp(void);
static void	test_random_parse(void);
static void	test_random_add_sub_cmp(void);
static void	test_random_div_small(void);
static void	test_random_div_big(void);


static uint64_t
rng_below(uint64_t n)
{
	return unit_rand() % n;
}

/* A decimal that the test knows to be valid. */
static struct dec
num(const char *s)
{
	struct dec d = { 0, 0 };

	if (dec_parse(&d, s, strlen(s)) != 0) {
		fprintf(stderr, "num: cannot parse \"%s\"\n", s);
		unit_failed++;
	}
	return d;
}

/* dec_format into a rotating static buffer, checking the length. */
static const char *
fmt(const struct dec *d)
{
	static char bufs[4][DEC_STRLEN + 8];
	static int next;
	char *out = bufs[next++ % 4];
	size_t n;

	memset(out, 'x', DEC_STRLEN + 8);
	n = dec_format(d, out);
	if (n != strlen(out) || n >= DEC_STRLEN) {
		fprintf(stderr, "fmt: bad length %zu for \"%s\"\n", n, out);
		unit_failed++;
	}
	return out;
}

/* ---- the schoolbook reference on digit strings ---- */

static void
mag_norm(char *s)
{
	size_t i = 0;

	while (s[i] == '0' && s[i + 1] != '\0')
		i++;
	if (s[0] == '\0')
		strcpy(s, "0");
	else if (i > 0)
		memmove(s, s + i, strlen(s + i) + 1);
}

static int
mag_is_zero(const char *s)
{
	return strcmp(s, "0") == 0;
}

static int
mag_cmp(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int c;

	if (la != lb)
		return la < lb ? -1 : 1;
	c = strcmp(a, b);
	return (c > 0) - (c < 0);
}

static void
mag_add(const char *a, const char *b, char *out)
{
	char tmp[REF_MAX];
	int i = (int)strlen(a) - 1, j = (int)strlen(b) - 1, n = 0, carry = 0;
	int s, k;

	while (i >= 0 || j >= 0 || carry != 0) {
		s = carry;
		if (i >= 0)
			s += a[i--] - '0';
		if (j >= 0)
			s += b[j--] - '0';
		tmp[n++] = (char)('0' + s % 10);
		carry = s / 10;
	}
	for (k = 0; k < n; k++)
		out[k] = tmp[n - 1 - k];
	out[n] = '\0';
	mag_norm(out);
}

/* out = a - b for a >= b. */
static void
mag_sub(const char *a, const char *b, char *out)
{
	char tmp[REF_MAX];
	int i = (int)strlen(a) - 1, j = (int)strlen(b) - 1, n = 0, borrow = 0;
	int s, k;

	while (i >= 0) {
		s = a[i--] - '0' - borrow;
		if (j >= 0)
			s -= b[j--] - '0';
		borrow = s < 0;
		if (s < 0)
			s += 10;
		tmp[n++] = (char)('0' + s);
	}
	for (k = 0; k < n; k++)
		out[k] = tmp[n - 1 - k];
	out[n] = '\0';
	mag_norm(out);
}

static void
mag_mul(const char *a, const char *b, char *out)
{
	int acc[REF_MAX] = { 0 };
	int la = (int)strlen(a), lb = (int)strlen(b), i, j;

	for (i = 0; i < la; i++)
		for (j = 0; j < lb; j++)
			acc[i + j + 1] += (a[i] - '0') * (b[j] - '0');
	for (i = la + lb - 1; i > 0; i--) {
		acc[i - 1] += acc[i] / 10;
		acc[i] %= 10;
	}
	for (i = 0; i < la + lb; i++)
		out[i] = (char)('0' + acc[i]);
	out[la + lb] = '\0';
	mag_norm(out);
}

/* Multiply by 10^k. */
static void
mag_shift(char *s, int k)
{
	size_t n = strlen(s);

	if (mag_is_zero(s))
		return;
	memset(s + n, '0', (size_t)k);
	s[n + (size_t)k] = '\0';
}

static void
ref_align(struct ref *r, int scale)
{
	mag_shift(r->mag, scale - r->scale);
	r->scale = scale;
}

static void
ref_add(const struct ref *a, const struct ref *b, struct ref *out)
{
	struct ref x = *a, y = *b;
	int scale = x.scale > y.scale ? x.scale : y.scale;

	ref_align(&x, scale);
	ref_align(&y, scale);
	out->scale = scale;
	if (x.neg == y.neg) {
		mag_add(x.mag, y.mag, out->mag);
		out->neg = x.neg;
	} else if (mag_cmp(x.mag, y.mag) >= 0) {
		mag_sub(x.mag, y.mag, out->mag);
		out->neg = x.neg;
	} else {
		mag_sub(y.mag, x.mag, out->mag);
		out->neg = y.neg;
	}
	if (mag_is_zero(out->mag))
		out->neg = 0;
}

static int
ref_cmp(const struct ref *a, const struct ref *b)
{
	struct ref x = *a, y = *b;
	int sx, sy, scale = x.scale > y.scale ? x.scale : y.scale;

	sx = mag_is_zero(x.mag) ? 0 : x.neg ? -1 : 1;
	sy = mag_is_zero(y.mag) ? 0 : y.neg ? -1 : 1;
	if (sx != sy)
		return sx < sy ? -1 : 1;
	ref_align(&x, scale);
	ref_align(&y, scale);
	return sx * mag_cmp(x.mag, y.mag);
}

static int
ref_fits(const struct ref *r)
{
	return strlen(r->mag) <= DEC_MAX_DIGITS && r->scale <= DEC_MAX_SCALE;
}

static void
ref_format(const struct ref *r, char *out)
{
	int n = (int)strlen(r->mag), pad, i, len = 0;

	if (r->neg && !mag_is_zero(r->mag))
		out[len++] = '-';
	pad = n > r->scale ? 0 : r->scale + 1 - n;
	for (i = 0; i < pad + n; i++) {
		if (r->scale > 0 && pad + n - i == r->scale)
			out[len++] = '.';
		out[len++] = i < pad ? '0' : r->mag[i - pad];
	}
	out[len] = '\0';
}

/* ---- random decimal text, with its reference value ---- */

/* n digits into out: random, all nines, or mostly zeros; the first is
 * nonzero when lead is set. */
static void
gen_digits(char *out, int n, int mode, int lead)
{
	int i;

	for (i = 0; i < n; i++) {
		if (mode == 1)
			out[i] = '9';
		else if (mode == 2)
			out[i] = rng_below(8) == 0 ? (char)('1' +
			    rng_below(9)) : '0';
		else
			out[i] = (char)('0' + rng_below(10));
		if (i == 0 && lead && out[i] == '0')
			out[i] = (char)('1' + rng_below(9));
	}
	out[n] = '\0';
}

/* "-?int(.frac)?", mostly within 38 digits, sometimes just beyond. */
static void
gen_plain(char *out, struct ref *r)
{
	char ip[64], fp[64];
	int total, nint, nfrac, mode = (int)rng_below(4);

	total = rng_below(2) ? (int)rng_below(42) : 30 + (int)rng_below(10);
	nint = (int)rng_below((uint64_t)total + 1);
	nfrac = total - nint;
	if (rng_below(6) == 0)
		nfrac += (int)rng_below(4);	/* trailing zero scale */
	if (nint == 0)
		strcpy(ip, "0");
	else
		gen_digits(ip, nint, mode, 1);
	gen_digits(fp, nfrac, mode, 0);
	r->neg = (int)rng_below(2);
	r->scale = nfrac;
	snprintf(r->mag, sizeof(r->mag), "%s%s", ip, fp);
	mag_norm(r->mag);
	snprintf(out, 160, "%s%s%s%s", r->neg ? "-" : "", ip,
	    nfrac > 0 ? "." : "", fp);
	if (mag_is_zero(r->mag))
		r->neg = 0;
}

/* "-?int(.frac)?[eE][+-]?exp": the exponent moves the point, the scale
 * never goes below zero (PostgreSQL's rule). */
static void
gen_exp(char *out, struct ref *r)
{
	static const char *const marks[] = { "e", "E", "e+", "E+", "e-", "E-" };
	char ip[64], fp[64];
	int nint, nfrac, e, neg, mark, mode = (int)rng_below(4);

	nint = (int)rng_below(20);
	nfrac = (int)rng_below(20);
	e = (int)rng_below(51);
	mark = (int)rng_below(6);
	if (mark >= 4)
		e = -e;
	if (nint == 0)
		strcpy(ip, "0");
	else
		gen_digits(ip, nint, mode, 1);
	gen_digits(fp, nfrac, mode, 0);
	neg = (int)rng_below(2);
	snprintf(out, 160, "%s%s%s%s%s%d", neg ? "-" : "", ip,
	    nfrac > 0 ? "." : "", fp, marks[mark], e < 0 ? -e : e);
	snprintf(r->mag, sizeof(r->mag), "%s%s", ip, fp);
	mag_norm(r->mag);
	if (nfrac - e >= 0)
		r->scale = nfrac - e;
	else {
		r->scale = 0;
		mag_shift(r->mag, e - nfrac);
	}
	r->neg = neg && !mag_is_zero(r->mag);
}

/* A random valid decimal, plain or with an exponent. */
static int
gen_valid(char *text, struct ref *r, struct dec *d)
{
	do {
		if (rng_below(5) == 0)
			gen_exp(text, r);
		else
			gen_plain(text, r);
	} while (!ref_fits(r));
	return dec_parse(d, text, strlen(text));
}

/* ---- fixed cases ---- */

static void
test_parse_format(void)
{
	static const struct fmt_case cases[] = {
		{ "0", "0" },
		{ "-0", "0" },
		{ "-0.0", "0.0" },
		{ "0.00", "0.00" },
		{ "-0.00", "0.00" },
		{ "19.99", "19.99" },
		{ "-0.05", "-0.05" },
		{ "3.50", "3.50" },
		{ "100", "100" },
		{ "-100", "-100" },
		{ "1.000", "1.000" },
		{ "123.4500", "123.4500" },
		{ "0.1", "0.1" },
		/* exponents fold into the scale */
		{ "1.5e-3", "0.0015" },
		{ "1E2", "100" },
		{ "1e+2", "100" },
		{ "1e-2", "0.01" },
		{ "1e0", "1" },
		{ "1E-0", "1" },
		{ "1.50e1", "15.0" },
		{ "1.500E1", "15.00" },
		{ "1.234e2", "123.4" },
		{ "1.234e3", "1234" },
		{ "1.234e5", "123400" },
		{ "12e-1", "1.2" },
		{ "-12E-5", "-0.00012" },
		{ "0e5", "0" },
		{ "0.000e2", "0.0" },
		{ "0e-3", "0.000" },
		{ "-0e-3", "0.000" },
		{ "5e0001", "50" },
		{ "0.1e-37", "0.00000000000000000000000000000000000001" },
		{ "1e-38", "0.00000000000000000000000000000000000001" },
		{ "1e37", ONE_E37 },
		{ "0e999999999999", "0" },
		{ "0.0e99999999999999999999999999", "0" },
		/* 38 digits are the limit; trailing zeros count */
		{ NINES38, NINES38 },
		{ "-" NINES38, "-" NINES38 },
		{ "0." NINES38, "0." NINES38 },
		{ "-0." NINES38, "-0." NINES38 },
		{ "1.0000000000000000000000000000000000000",
		    "1.0000000000000000000000000000000000000" },
		{ "123456789012345678901234567890.12345678",
		    "123456789012345678901234567890.12345678" },
		{ "1234567890123456789012345678901234567.8e1",
		    "12345678901234567890123456789012345678" },
		{ "0.00000000000000000000000000000000000000",
		    "0.00000000000000000000000000000000000000" },
		{ "0.000000000000000000000000000000000000000", WIDE },
		{ "1.00000000000000000000000000000000000000", WIDE },
		{ "999999999999999999999999999999999999990", WIDE },
		{ "100000000000000000000000000000000000000", WIDE },
		{ "1234567890123456789012345678901234567.8e2", WIDE },
		{ "0.000000000000000000000000000000000000001", WIDE },
		{ "1e-39", WIDE },
		{ "0e-39", WIDE },
		{ "1e38", WIDE },
		{ "1e999", WIDE },
		{ "-1e-400", WIDE },
		/* numeric's range: 131072 digits before the point, 16383
		 * after, trailing zeros counted */
		{ "1e131071", WIDE },
		{ "-9.99999e131071", WIDE },
		{ "0.1e131072", WIDE },
		{ "1e131072", ERANGE },
		{ "10e131071", ERANGE },
		{ "1e-16383", WIDE },
		{ "1.5e-16382", WIDE },
		{ "1e-16384", ERANGE },
		{ "1.5e-16383", ERANGE },
		{ "0e-16383", WIDE },
		{ "0e-16384", ERANGE },
		{ "0.0e-16383", ERANGE },
		{ "1e999999999999", ERANGE },
		{ "-1e999999999999", ERANGE },
		{ "1e-999999999999", ERANGE },
		{ "0e-999999999999", ERANGE },
		{ "1e99999999999999999999999999999999999999999999", ERANGE },
		{ "-1e-99999999999999999999999999999999999999999999", ERANGE },
		/* not JSON numbers */
		{ "", NULL },
		{ "-", NULL },
		{ "01", NULL },
		{ "-01", NULL },
		{ "00", NULL },
		{ "00.5", NULL },
		{ "1.", NULL },
		{ "-1.", NULL },
		{ ".5", NULL },
		{ "-.5", NULL },
		{ "+1", NULL },
		{ "1e", NULL },
		{ "1e+", NULL },
		{ "1E-", NULL },
		{ "1.e5", NULL },
		{ "1e5.5", NULL },
		{ "1e5e5", NULL },
		{ " 1", NULL },
		{ "1 ", NULL },
		{ "\t1", NULL },
		{ "1\n", NULL },
		{ "1.5.5", NULL },
		{ "0x1", NULL },
		{ "1,5", NULL },
		{ "--1", NULL },
		{ "1a", NULL },
		{ "NaN", NULL },
		{ "Infinity", NULL },
		{ "-Infinity", NULL },
		{ "\"1\"", NULL },
		{ "true", NULL },
	};
	struct dec d;
	size_t i;
	int rc, want;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		d.coef = 4242;
		d.scale = 3;
		rc = dec_parse(&d, cases[i].text, strlen(cases[i].text));
		want = cases[i].want == NULL ? -1 :
		    strcmp(cases[i].want, WIDE) == 0 ? DEC_WIDE :
		    strcmp(cases[i].want, ERANGE) == 0 ? DEC_ERANGE : 0;
		if (want != 0) {
			if (rc != want)
				fprintf(stderr, "\"%s\": got %d\n",
				    cases[i].text, rc);
			CHECK_INT(rc, want);
			continue;
		}
		if (rc != 0) {
			fprintf(stderr, "rejected: \"%s\"\n", cases[i].text);
			CHECK(0);
			continue;
		}
		CHECK_STR(fmt(&d), cases[i].want);
	}
	d = num("1.5e-3");
	CHECK_INT(d.coef, 15);
	CHECK_INT(d.scale, 4);
	d = num("1E2");
	CHECK_INT(d.coef, 100);
	CHECK_INT(d.scale, 0);
	d = num("-0.0");
	CHECK_INT(d.coef, 0);
	CHECK_INT(d.scale, 1);
}

/* Only n bytes count, and the text need not end in NUL. */
static void
test_parse_length(void)
{
	char buf[5];
	struct dec d;

	CHECK_INT(dec_parse(&d, "19.99xyz", 5), 0);
	CHECK_STR(fmt(&d), "19.99");
	CHECK_INT(dec_parse(&d, "19.99xyz", 6), -1);
	CHECK_INT(dec_parse(&d, "19.99", 3), -1);	/* "19." */
	CHECK_INT(dec_parse(&d, "19.99", 0), -1);
	memcpy(buf, "-1e-2", 5);
	CHECK_INT(dec_parse(&d, buf, 5), 0);
	CHECK_STR(fmt(&d), "-0.01");
}

static void
test_format_struct(void)
{
	struct dec d;
	char out[DEC_STRLEN];

	d.coef = -5;
	d.scale = 2;
	CHECK_STR(fmt(&d), "-0.05");
	d.coef = 0;
	d.scale = 2;
	CHECK_STR(fmt(&d), "0.00");
	d.scale = 0;
	CHECK_STR(fmt(&d), "0");
	d.coef = 350;
	d.scale = 2;
	CHECK_STR(fmt(&d), "3.50");
	d.coef = 7;
	d.scale = 38;
	CHECK_STR(fmt(&d), "0.00000000000000000000000000000000000007");
	d = num("-0." NINES38);
	CHECK_INT(dec_format(&d, out), DEC_STRLEN - 1);
	CHECK_STR(out, "-0." NINES38);
	d = num("-" NINES38);
	CHECK_INT(dec_format(&d, out), 39);
	dec_from_i64(&d, -42);
	CHECK_STR(fmt(&d), "-42");
}

static void
test_i64(void)
{
	struct dec d;
	int64_t v;

	dec_from_i64(&d, INT64_MAX);
	CHECK_STR(fmt(&d), "9223372036854775807");
	CHECK_INT(d.scale, 0);
	CHECK_INT(dec_to_i64(&d, &v), 0);
	CHECK_INT(v, INT64_MAX);
	dec_from_i64(&d, INT64_MIN);
	CHECK_STR(fmt(&d), "-9223372036854775808");
	CHECK_INT(dec_to_i64(&d, &v), 0);
	CHECK(v == INT64_MIN);
	dec_from_i64(&d, 0);
	CHECK_STR(fmt(&d), "0");

	d = num("1.00");
	CHECK_INT(dec_to_i64(&d, &v), 0);
	CHECK_INT(v, 1);
	d = num("-120e-1");
	CHECK_INT(dec_to_i64(&d, &v), 0);
	CHECK_INT(v, -12);
	d = num("9223372036854775807.000");
	CHECK_INT(dec_to_i64(&d, &v), 0);
	CHECK_INT(v, INT64_MAX);
	v = 5;
	d = num("1.5");
	CHECK_INT(dec_to_i64(&d, &v), -1);
	d = num("-0.001");
	CHECK_INT(dec_to_i64(&d, &v), -1);
	d = num("9223372036854775808");
	CHECK_INT(dec_to_i64(&d, &v), -1);
	d = num("-9223372036854775809");
	CHECK_INT(dec_to_i64(&d, &v), -1);
	d = num(NINES38);
	CHECK_INT(dec_to_i64(&d, &v), -1);
	CHECK_INT(v, 5);
}

static void
test_add_sub(void)
{
	static const struct op_case adds[] = {
		{ "1.50", "2", "3.50" },
		{ "2", "1.50", "3.50" },
		{ "19.99", "0.01", "20.00" },
		{ "-0.05", "0.05", "0.00" },
		{ "0.05", "-0.05", "0.00" },
		{ "0.1", "-0.3", "-0.2" },
		{ "-1", "-2.5", "-3.5" },
		{ "1e2", "1.5e-3", "100.0015" },
		{ "0", "0.000", "0.000" },
		{ NINES38, "-1", "99999999999999999999999999999999999998" },
		{ NINES38, "-" NINES38, "0" },
		{ "0." NINES38, "0.00000000000000000000000000000000000001",
		    NULL },
		{ "-0." NINES38, "-0.00000000000000000000000000000000000001",
		    NULL },
		{ "0." NINES38, "-0.00000000000000000000000000000000000001",
		    "0.99999999999999999999999999999999999998" },
		{ NINES38, "1", NULL },
		{ "-" NINES38, "-1", NULL },
		{ NINES38, "0.1", NULL },
		{ NINES38, "-0.1", NULL },
		{ "50000000000000000000000000000000000000",
		    "50000000000000000000000000000000000000", NULL },
		{ "50000000000000000000000000000000000000",
		    "49999999999999999999999999999999999999", NINES38 },
		/* aligning 1.71e37 to scale 1 exceeds the signed range of
		 * 128 bits, yet the exact sum fits 38 digits */
		{ "17100000000000000000000000000000000000",
		    "-9990000000000000000000000000000000000.0",
		    "7110000000000000000000000000000000000.0" },
		{ "-17100000000000000000000000000000000000",
		    "9990000000000000000000000000000000000.0",
		    "-7110000000000000000000000000000000000.0" },
		{ NINES38, "-0.00000000000000000000000000000000000001", NULL },
		{ "1", "0.00000000000000000000000000000000000001", NULL },
		{ "0.1", "0.00000000000000000000000000000000000001",
		    "0.10000000000000000000000000000000000001" },
	};
	static const struct op_case subs[] = {
		{ "1", "0.001", "0.999" },
		{ "0.001", "1", "-0.999" },
		{ "5", "5.00", "0.00" },
		{ "-5", "-5.00", "0.00" },
		{ "3.50", "1.5", "2.00" },
		{ "-" NINES38, "1", NULL },
		{ NINES38, "-1", NULL },
		{ "-" NINES38, "-" NINES38, "0" },
		{ "0", NINES38, "-" NINES38 },
	};
	struct dec a, b, r;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(adds) / sizeof(adds[0]); i++) {
		a = num(adds[i].a);
		b = num(adds[i].b);
		r.coef = 1;
		r.scale = 0;
		rc = dec_add(&r, &a, &b);
		if (adds[i].want == NULL) {
			CHECK_INT(rc, -1);
			CHECK_STR(fmt(&r), "1");	/* untouched */
		} else {
			CHECK_INT(rc, 0);
			CHECK_STR(fmt(&r), adds[i].want);
		}
	}
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		a = num(subs[i].a);
		b = num(subs[i].b);
		rc = dec_sub(&r, &a, &b);
		if (subs[i].want == NULL)
			CHECK_INT(rc, -1);
		else {
			CHECK_INT(rc, 0);
			CHECK_STR(fmt(&r), subs[i].want);
		}
	}

	/* The result may alias either operand. */
	a = num("1.50");
	b = num("2");
	CHECK_INT(dec_add(&a, &a, &b), 0);
	CHECK_STR(fmt(&a), "3.50");
	CHECK_INT(dec_add(&b, &a, &b), 0);
	CHECK_STR(fmt(&b), "5.50");
	CHECK_INT(dec_sub(&a, &a, &a), 0);
	CHECK_STR(fmt(&a), "0.00");
	a = num("0.25");
	b = num("1");
	CHECK_INT(dec_sub(&b, &a, &b), 0);
	CHECK_STR(fmt(&b), "-0.75");
}

static void
test_div(void)
{
	static const struct div_case cases[] = {
		{ "20.00", "2", 2, "10.00" },
		{ "20.00", "2", 16, "10.0000000000000000" },
		{ "1", "3", 5, "0.33333" },
		{ "2", "3", 5, "0.66667" },
		{ "-2", "3", 5, "-0.66667" },
		{ "2", "-3", 5, "-0.66667" },
		{ "-2", "-3", 5, "0.66667" },
		{ "10", "4", 0, "3" },
		{ "10", "4", 1, "2.5" },
		{ "10", "4", 3, "2.500" },
		/* half away from zero */
		{ "1", "8", 2, "0.13" },
		{ "-1", "8", 2, "-0.13" },
		{ "1", "8", 1, "0.1" },
		{ "5", "2", 0, "3" },
		{ "-5", "2", 0, "-3" },
		{ "3", "2", 0, "2" },
		{ "-3", "2", 0, "-2" },
		{ "0.5", "1", 0, "1" },
		{ "-0.5", "1", 0, "-1" },
		{ "0.49999", "1", 0, "0" },
		{ "-0.49999", "1", 0, "0" },
		{ "-0.001", "3", 2, "0.00" },
		{ "0", "-7", 3, "0.000" },
		/* fewer digits than the dividend: cut digits round */
		{ "1.23456789", "1", 2, "1.23" },
		{ "1.235", "1", 2, "1.24" },
		{ "-1.235", "1", 2, "-1.24" },
		{ "1.2349999", "1", 2, "1.23" },
		{ "0.005", "1", 2, "0.01" },
		{ "0.0049999999999999999999999999999999999", "1", 2, "0.00" },
		{ "0.00000000000000000000000000000000000005", "1", 37,
		    "0.0000000000000000000000000000000000001" },
		{ "0.00000000000000000000000000000000000005", "0.1", 37,
		    "0.0000000000000000000000000000000000005" },
		{ "2.5", "0.00000000000000000000000000000000000001", 0, NULL },
		{ "2.5", "100000000000000000000000000000000000", 37,
		    "0.0000000000000000000000000000000000250" },
		{ "7", "0.5", 0, "14" },
		{ "7", "0.0003", 4, "23333.3333" },
		{ "0.07", "30000", 10, "0.0000023333" },
		/* large operands */
		{ NINES38, "3", 0, "33333333333333333333333333333333333333" },
		{ NINES38, NINES38, 38, NULL },
		{ NINES38, NINES38, 37,
		    "1.0000000000000000000000000000000000000" },
		{ "1", NINES38, 38,
		    "0.00000000000000000000000000000000000001" },
		{ "1", "-" NINES38, 38,
		    "-0.00000000000000000000000000000000000001" },
		{ "1", "0." NINES38, 37,
		    "1.0000000000000000000000000000000000000" },
		{ "-" NINES38, "-" "0." NINES38, 0, NULL },
		{ "0." NINES38, "0." NINES38, 37,
		    "1.0000000000000000000000000000000000000" },
		{ "9999999999999999999999999999999999999.5", "1", 0,
		    ONE_E37 },
		{ "1", "7", 38, "0.14285714285714285714285714285714285714" },
		{ "10", "7", 38, NULL },
		{ "1", "7", 37, "0.1428571428571428571428571428571428571" },
		{ "17014118346046923173168730371588410572", "3", 0,
		    "5671372782015641057722910123862803524" },
		{ "17014118346046923173168730371588410573", "6", 1,
		    "2835686391007820528861455061931401762.2" },
		/* errors */
		{ NINES38, "0.1", 0, NULL },
		{ NINES38, "1", 1, NULL },
		{ "1", "0", 2, NULL },
		{ "1", "0.000", 2, NULL },
		{ "0", "0", 0, NULL },
		{ "1", "1", -1, NULL },
		{ "1", "1", 39, NULL },
	};
	struct dec a, b, r, sum, cnt;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a = num(cases[i].a);
		b = num(cases[i].b);
		r.coef = 1;
		r.scale = 0;
		rc = dec_div(&r, &a, &b, cases[i].scale);
		if (cases[i].want == NULL) {
			if (rc != -1)
				fprintf(stderr, "div %s / %s: got %s\n",
				    cases[i].a, cases[i].b, fmt(&r));
			CHECK_INT(rc, -1);
			CHECK_STR(fmt(&r), "1");
		} else {
			CHECK_INT(rc, 0);
			CHECK_STR(fmt(&r), cases[i].want);
			CHECK_INT(r.scale, cases[i].scale);
		}
	}

	/* avg = sum / count over 19.99 and 0.01, and over three values. */
	sum = num("19.99");
	b = num("0.01");
	CHECK_INT(dec_add(&sum, &sum, &b), 0);
	dec_from_i64(&cnt, 2);
	CHECK_INT(dec_div(&r, &sum, &cnt, 2), 0);
	CHECK_STR(fmt(&r), "10.00");
	CHECK_INT(dec_div(&r, &sum, &cnt, 16), 0);
	CHECK_STR(fmt(&r), "10.0000000000000000");
	b = num("0.01");
	CHECK_INT(dec_add(&sum, &sum, &b), 0);
	dec_from_i64(&cnt, 3);
	CHECK_INT(dec_div(&r, &sum, &cnt, 2), 0);
	CHECK_STR(fmt(&r), "6.67");			/* 20.01 / 3 */
	CHECK_INT(dec_div(&r, &sum, &cnt, 20), 0);
	CHECK_STR(fmt(&r), "6.67000000000000000000");

	/* The result may alias an operand. */
	a = num("1");
	b = num("4");
	CHECK_INT(dec_div(&a, &a, &b, 2), 0);
	CHECK_STR(fmt(&a), "0.25");
	CHECK_INT(dec_div(&b, &a, &b, 4), 0);
	CHECK_STR(fmt(&b), "0.0625");
}

static void
test_rescale(void)
{
	static const struct div_case cases[] = {
		{ "1.5", NULL, 3, "1.500" },
		{ "1.25", NULL, 1, "1.3" },
		{ "-1.25", NULL, 1, "-1.3" },
		{ "1.24", NULL, 1, "1.2" },
		{ "-0.05", NULL, 1, "-0.1" },
		{ "-0.04", NULL, 1, "0.0" },
		{ "0.5", NULL, 0, "1" },
		{ "0.4999", NULL, 0, "0" },
		{ "7", NULL, 0, "7" },
		{ "1", NULL, 37, "1.0000000000000000000000000000000000000" },
		{ "1", NULL, 38, NULL },
		{ "0", NULL, 38, "0.00000000000000000000000000000000000000" },
		{ NINES38, NULL, 1, NULL },
		{ "0." NINES38, NULL, 0, "1" },
		{ "-0." NINES38, NULL, 37,
		    "-1.0000000000000000000000000000000000000" },
		{ "9999999999999999999999999999999999999.5", NULL, 0, ONE_E37 },
		{ "1", NULL, -1, NULL },
		{ "1", NULL, 39, NULL },
	};
	struct dec a, r;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a = num(cases[i].a);
		r.coef = 1;
		r.scale = 0;
		rc = dec_rescale(&r, &a, cases[i].scale);
		if (cases[i].want == NULL) {
			CHECK_INT(rc, -1);
			CHECK_STR(fmt(&r), "1");
		} else {
			CHECK_INT(rc, 0);
			CHECK_STR(fmt(&r), cases[i].want);
		}
	}
	a = num("2.345");
	CHECK_INT(dec_rescale(&a, &a, 2), 0);
	CHECK_STR(fmt(&a), "2.35");
}

static void
test_cmp(void)
{
	static const struct op_case cases[] = {
		/* want is "<", "=" or ">" */
		{ "1.50", "1.5", "=" },
		{ "-0.0", "0", "=" },
		{ "0.000", "-0", "=" },
		{ "100", "1e2", "=" },
		{ "1", "0.99999", ">" },
		{ "-1", "-0.99999", "<" },
		{ "-1", "0", "<" },
		{ "0", "0.00000000000000000000000000000000000001", "<" },
		{ "-0.00000000000000000000000000000000000001", "0", "<" },
		{ "1e37", "0.00000000000000000000000000000000000001", ">" },
		{ NINES38, "1.0000000000000000000000000000000000000", ">" },
		{ "-" NINES38, "-1.0000000000000000000000000000000000000",
		    "<" },
		{ "1.0000000000000000000000000000000000000", NINES38, "<" },
		{ "-1.0000000000000000000000000000000000000", "-" NINES38,
		    ">" },
		{ "0." NINES38, "1", "<" },
		{ "3.50", "3.499999999", ">" },
		{ "-3.50", "-3.5000000000000000000000000000000000", "=" },
		{ NINES38, NINES38, "=" },
		{ NINES38, "-" NINES38, ">" },
	};
	struct dec a, b;
	size_t i;
	int c, want;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		a = num(cases[i].a);
		b = num(cases[i].b);
		want = cases[i].want[0] == '<' ? -1 :
		    cases[i].want[0] == '>' ? 1 : 0;
		c = dec_cmp(&a, &b);
		CHECK_INT((c > 0) - (c < 0), want);
		c = dec_cmp(&b, &a);
		CHECK_INT((c > 0) - (c < 0), -want);
	}
	a = num("0.00");
	CHECK(dec_is_zero(&a));
	a = num("-0e-5");
	CHECK(dec_is_zero(&a));
	a = num("0.01");
	CHECK(!dec_is_zero(&a));
}

/* ---- randomized cross-checks against the reference ---- */

static void
test_random_parse(void)
{
	char text[160], want[REF_MAX + 4];
	struct ref r;
	struct dec d;
	int i, rc, bad = 0, ok = 0;

	for (i = 0; i < 20000; i++) {
		if (i % 3 == 0)
			gen_exp(text, &r);
		else
			gen_plain(text, &r);
		rc = dec_parse(&d, text, strlen(text));
		if (!ref_fits(&r)) {
			if (rc != DEC_WIDE && bad++ == 0)
				fprintf(stderr, "parse %s: got %d\n", text,
				    rc);
			continue;
		}
		ok++;
		ref_format(&r, want);
		if ((rc != 0 || strcmp(fmt(&d), want) != 0 ||
		    d.scale != r.scale) && bad++ == 0)
			fprintf(stderr, "parse %s: want %s got %s\n", text,
			    want, rc == 0 ? fmt(&d) : "error");
	}
	CHECK_INT(bad, 0);
	CHECK(ok > 10000);
}

static void
test_random_add_sub_cmp(void)
{
	char ta[160], tb[160], want[REF_MAX + 4];
	struct ref ra, rb, rr, nb;
	struct dec a, b, r;
	int i, rc, c, bad = 0, fails = 0;

	for (i = 0; i < 5000; i++) {
		if (gen_valid(ta, &ra, &a) != 0 ||
		    gen_valid(tb, &rb, &b) != 0) {
			if (bad++ == 0)
				fprintf(stderr, "cannot parse %s or %s\n",
				    ta, tb);
			continue;
		}
		/* a + b */
		ref_add(&ra, &rb, &rr);
		rc = dec_add(&r, &a, &b);
		if (!ref_fits(&rr)) {
			fails++;
			if (rc != -1 && bad++ == 0)
				fprintf(stderr, "%s + %s: no overflow\n",
				    ta, tb);
		} else {
			ref_format(&rr, want);
			if ((rc != 0 || strcmp(fmt(&r), want) != 0) &&
			    bad++ == 0)
				fprintf(stderr, "%s + %s: want %s got %s\n",
				    ta, tb, want, rc == 0 ? fmt(&r) : "error");
		}
		/* a - b */
		nb = rb;
		nb.neg = !mag_is_zero(nb.mag) && !nb.neg;
		ref_add(&ra, &nb, &rr);
		rc = dec_sub(&r, &a, &b);
		if (!ref_fits(&rr)) {
			fails++;
			if (rc != -1 && bad++ == 0)
				fprintf(stderr, "%s - %s: no overflow\n",
				    ta, tb);
		} else {
			ref_format(&rr, want);
			if ((rc != 0 || strcmp(fmt(&r), want) != 0) &&
			    bad++ == 0)
				fprintf(stderr, "%s - %s: want %s got %s\n",
				    ta, tb, want, rc == 0 ? fmt(&r) : "error");
		}
		/* cmp, both ways, and against itself */
		c = dec_cmp(&a, &b);
		if ((c > 0) - (c < 0) != ref_cmp(&ra, &rb) && bad++ == 0)
			fprintf(stderr, "cmp %s %s: got %d\n", ta, tb, c);
		c = dec_cmp(&b, &a);
		if ((c > 0) - (c < 0) != ref_cmp(&rb, &ra) && bad++ == 0)
			fprintf(stderr, "cmp %s %s: got %d\n", tb, ta, c);
		if (dec_cmp(&a, &a) != 0 && bad++ == 0)
			fprintf(stderr, "cmp %s itself\n", ta);
	}
	CHECK_INT(bad, 0);
	CHECK(fails > 100);	/* the overflow paths were exercised */
}

/*
 * Whether q (or the failure when q is NULL) is a / b rounded half away from
 * zero at `scale`, in reference arithmetic. With N = |a| 10^(sb+scale) and
 * D = |b| 10^sa, |q| is right when (2|q| - 1) D <= 2N < (2|q| + 1) D; a
 * failure is right when the quotient would need 39 digits:
 * (2 * 10^38 - 1) D <= 2N.
 */
static int
check_div(const struct ref *a, const struct ref *b, int scale, int rc,
    const struct dec *q)
{
	if (rc == 0 && q->scale != scale)
		return 0;
	return check_quot(a, b, scale, rc == 0 ? fmt(q) : NULL);
}

/* check_div on the text s of the quotient at scale `scale`, or NULL for a
 * failure (right when the quotient needs 39 digits). */
static int
check_quot(const struct ref *a, const struct ref *b, int scale,
    const char *s)
{
	char n2[REF_MAX], d[REF_MAX], qm[REF_MAX], lo[REF_MAX], hi[REF_MAX];
	char t[REF_MAX], two[] = "2", one[] = "1";
	char limit[] = "1" "99999999999999999999999999999999999999";
	size_t i, n = 0;
	int neg, qneg;

	strcpy(n2, a->mag);
	mag_shift(n2, b->scale + scale);
	mag_mul(n2, two, n2);
	strcpy(d, b->mag);
	mag_shift(d, a->scale);
	if (s == NULL) {
		mag_mul(limit, d, t);
		return mag_cmp(t, n2) <= 0;
	}
	/* |q| and its sign, read back from its text, scale digits after
	 * the point. */
	if (scale > 0 && (strchr(s, '.') == NULL ||
	    strlen(strchr(s, '.') + 1) != (size_t)scale))
		return 0;
	qneg = s[0] == '-';
	for (i = (size_t)qneg; s[i] != '\0'; i++)
		if (s[i] != '.')
			qm[n++] = s[i];
	qm[n] = '\0';
	mag_norm(qm);
	neg = !mag_is_zero(a->mag) && (a->neg != b->neg);
	if (mag_is_zero(qm) ? qneg : qneg != neg)
		return 0;
	mag_mul(qm, two, t);
	mag_add(t, one, hi);
	mag_mul(hi, d, hi);
	if (mag_cmp(n2, hi) >= 0)
		return 0;
	if (!mag_is_zero(qm)) {
		mag_sub(t, one, lo);
		mag_mul(lo, d, lo);
		if (mag_cmp(lo, n2) > 0)
			return 0;
	}
	return 1;
}

/* Small operands, where the quotient can be computed directly. */
static void
test_random_div_small(void)
{
	struct dec a, b, r;
	__int128 n, dd, q, rem, p;
	int i, k, scale, bad = 0, j;

	for (i = 0; i < 20000; i++) {
		a.coef = (__int128)rng_below(UINT64_C(1000000000000));
		if (i % 4 == 0)
			a.coef %= 1000;
		if (rng_below(2))
			a.coef = -a.coef;
		a.scale = (int)rng_below(7);
		do
			b.coef = (__int128)rng_below(i % 2 ? 1000 :
			    UINT64_C(1000000000000));
		while (b.coef == 0);
		if (rng_below(2))
			b.coef = -b.coef;
		b.scale = (int)rng_below(7);
		scale = (int)rng_below(11);
		k = b.scale + scale - a.scale;
		n = a.coef < 0 ? -a.coef : a.coef;
		dd = b.coef < 0 ? -b.coef : b.coef;
		for (p = 1, j = 0; j < (k < 0 ? -k : k); j++)
			p *= 10;
		if (k >= 0)
			n *= p;
		else
			dd *= p;
		q = n / dd;
		rem = n % dd;
		if (2 * rem >= dd)
			q++;
		if ((a.coef < 0) != (b.coef < 0))
			q = -q;
		if ((dec_div(&r, &a, &b, scale) != 0 || r.coef != q ||
		    r.scale != scale) && bad++ == 0)
			fprintf(stderr, "div %s / %s at %d\n", fmt(&a),
			    fmt(&b), scale);
	}
	CHECK_INT(bad, 0);
}

/* Operands up to 38 digits, checked by multiplying back. */
static void
test_random_div_big(void)
{
	char ta[160], tb[160];
	struct ref ra, rb;
	struct dec a, b, r, one;
	int i, rc, scale, bad = 0, fails = 0;

	dec_from_i64(&one, 1);
	for (i = 0; i < 5000; i++) {
		if (gen_valid(ta, &ra, &a) != 0 ||
		    gen_valid(tb, &rb, &b) != 0) {
			bad++;
			continue;
		}
		if (mag_is_zero(rb.mag))
			continue;
		scale = (int)rng_below(DEC_MAX_SCALE + 1);
		rc = dec_div(&r, &a, &b, scale);
		fails += rc != 0;
		if (!check_div(&ra, &rb, scale, rc, &r) && bad++ == 0)
			fprintf(stderr, "div %s / %s at %d: %s\n", ta, tb,
			    scale, rc == 0 ? fmt(&r) : "error");

		/* Rescaling is division by one. */
		scale = (int)rng_below(DEC_MAX_SCALE + 1);
		rc = dec_rescale(&r, &a, scale);
		strcpy(rb.mag, "1");
		rb.neg = 0;
		rb.scale = 0;
		if (!check_div(&ra, &rb, scale, rc, &r) && bad++ == 0)
			fprintf(stderr, "rescale %s to %d: %s\n", ta, scale,
			    rc == 0 ? fmt(&r) : "error");
	}
	CHECK_INT(bad, 0);
	CHECK(fails > 100);
}

/* ---- the wide path ---- */

/* decw_format into a rotating static buffer. */
static const char *
wfmt(const struct decw *w, int expok)
{
	static struct buf bufs[4];
	static int next;
	struct buf *b = &bufs[next++ % 4];

	buf_reset(b);
	decw_format(w, expok, b);
	return b->data;
}

/* A wide value the test knows to be valid. */
static void
wnum(struct decw *w, const char *s)
{
	if (decw_parse(w, s, strlen(s)) != 0) {
		fprintf(stderr, "wnum: cannot parse \"%s\"\n", s);
		unit_failed++;
	}
}

/* head, then n times c, then tail, in a static buffer (one at a time). */
static char *
repeat(const char *head, char c, size_t n, const char *tail)
{
	static char *p;
	size_t h = strlen(head), t = strlen(tail);

	free(p);
	p = malloc(h + n + t + 1);
	memcpy(p, head, h);
	memset(p + h, c, n);
	memcpy(p + h + n, tail, t + 1);
	return p;
}

static void
test_wide_format(void)
{
	static const struct {
		const char	*text;
		const char	*plain;		/* expok 0 */
		const char	*exp;		/* expok 1; NULL: plain */
	} cases[] = {
		{ "0", "0", NULL },
		{ "-0.000", "0.000", NULL },
		{ "1e38", "100000000000000000000000000000000000000", NULL },
		{ "-12345678901234567890123456789012345678.9",
		    "-12345678901234567890123456789012345678.9", NULL },
		{ "1.50e-39", "0.00000000000000000000000000000000000000150",
		    NULL },
		{ "1e-400", NULL, NULL },
		{ "1e999", NULL, NULL },	/* 1000 digits: still plain */
		{ "-1e999", NULL, "-1e+999" },	/* 1001 bytes */
		{ "1e1000", NULL, "1e+1000" },
		{ "12300e1000", NULL, "1.23e+1004" },
		{ "1.50e-2000", NULL, "1.50e-2000" },
		{ "-0.000e-3000", NULL, "0e-3003" },
		{ "0e-998", NULL, NULL },	/* "0." and 998 zeros */
		{ "0e-999", NULL, "0e-999" },
		{ "100000.0e995", NULL, "1e+1000" },	/* scale 0 */
		{ "1.000e-1500", NULL, "1.000e-1500" },	/* scale 1503 */
	};
	struct decw w;
	const char *got;
	char *want;
	size_t i;

	decw_init(&w);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wnum(&w, cases[i].text);
		got = wfmt(&w, 1);
		if (cases[i].exp != NULL)
			CHECK_STR(got, cases[i].exp);
		else
			CHECK_STR(got, wfmt(&w, 0));
		if (cases[i].plain != NULL)
			CHECK_STR(wfmt(&w, 0), cases[i].plain);
	}
	wnum(&w, "1e-400");
	CHECK_STR(wfmt(&w, 0), repeat("0.", '0', 399, "1"));
	CHECK_INT(w.scale, 400);
	wnum(&w, "1e999");
	want = repeat("1", '0', 999, "");
	CHECK_STR(wfmt(&w, 1), want);
	CHECK_INT(strlen(wfmt(&w, 1)), DEC_PLAIN_MAX);
	wnum(&w, "-1e999");
	CHECK_STR(wfmt(&w, 0), repeat("-1", '0', 999, ""));
	wnum(&w, "0e-998");
	CHECK_STR(wfmt(&w, 1), repeat("0.", '0', 998, ""));
	wnum(&w, "1.000e-1500");
	CHECK_INT(w.scale, 1503);
	/* a long text without an exponent stays plain */
	wnum(&w, repeat("7", '1', 2000, ".5"));
	CHECK_STR(wfmt(&w, 1), repeat("7", '1', 2000, ".5"));
	decw_free(&w);
}

/* Limits: numeric's range, and costs bounded by the text. */
static void
test_wide_limits(void)
{
	struct decw w;
	struct dec d;
	char *big;
	size_t n = 1000000;

	decw_init(&w);
	CHECK_INT(decw_parse(&w, "1e999999999", 11), -1);
	CHECK_INT(decw_parse(&w, "1e131073", 8), -1);
	CHECK_INT(decw_parse(&w, "1e-16384", 8), -1);
	CHECK_INT(decw_parse(&w, "0e999999999999", 14), 0);
	CHECK(decw_is_zero(&w));
	CHECK_INT(w.scale, 0);
	CHECK_INT(decw_parse(&w, "1.5x", 4), -1);
	CHECK_INT(decw_parse(&w, "", 0), -1);
	/* a million digits: out of numeric's range, but read exactly */
	big = malloc(n + 3);
	memset(big, '9', n);
	memcpy(big + n, ".5", 3);
	CHECK_INT(dec_parse(&d, big, n + 2), DEC_ERANGE);
	CHECK_INT(decw_parse(&w, big, n + 2), 0);
	CHECK_INT(w.scale, 1);
	CHECK_STR(wfmt(&w, 1), big);
	big[0] = '0';
	CHECK_INT(dec_parse(&d, big, n + 2), -1);
	free(big);
	/* the last digits of the range, either side */
	CHECK_INT(dec_parse(&d, repeat("9", '9', DEC_NUMERIC_INTDIG - 1, ""),
	    DEC_NUMERIC_INTDIG), DEC_WIDE);
	CHECK_INT(dec_parse(&d, repeat("1", '0', DEC_NUMERIC_INTDIG, ""),
	    DEC_NUMERIC_INTDIG + 1), DEC_ERANGE);
	CHECK_INT(dec_parse(&d, repeat("0.", '0', DEC_NUMERIC_SCALE - 1, "1"),
	    DEC_NUMERIC_SCALE + 2), DEC_WIDE);
	CHECK_INT(dec_parse(&d, repeat("0.", '0', DEC_NUMERIC_SCALE, "1"),
	    DEC_NUMERIC_SCALE + 3), DEC_ERANGE);
	decw_free(&w);
}

/* JSON number text compared and written as numeric, without parsing. */
static void
test_text(void)
{
	static const struct op_case cmps[] = {
		{ "1e2", "100.0", "=" },
		{ "-0", "0e-5", "=" },
		{ "0.0e9", "-0.00", "=" },
		{ "1e-400", "0", ">" },
		{ "-1e-400", "0", "<" },
		{ "-1e-400", "-2e-400", ">" },
		{ "1e131071", "9.99e131070", ">" },
		{ "12.5e-1", "1.2500", "=" },
		{ "12.5e-1", "1.2501", "<" },
		{ "0.001e3", "1", "=" },
		{ "99999999999999999999999999999999999999",
		    "1e38", "<" },
		{ "100000000000000000000000000000000000001", "1e38", ">" },
		{ "1", "x", "<" },
		{ "abc", "abd", "<" },
	};
	static const struct fmt_case writes[] = {
		{ "1e2", "100" },
		{ "-1E2", "-100" },
		{ "-0.0", "0.0" },
		{ "-0e3", "0" },
		{ "1.5e-3", "0.0015" },
		{ "19.90", "19.90" },
		{ "1.50e1", "15.0" },
		{ "1e1000", "1e+1000" },
		{ "-12.5e-1001", "-1.25e-1000" },
		{ "1e999999999", "1e999999999" },
		{ "nope", "nope" },
	};
	struct buf b = BUF_INIT;
	size_t i;
	int c, want;

	for (i = 0; i < sizeof(cmps) / sizeof(cmps[0]); i++) {
		want = cmps[i].want[0] == '<' ? -1 :
		    cmps[i].want[0] == '>' ? 1 : 0;
		c = dec_text_cmp(cmps[i].a, strlen(cmps[i].a), cmps[i].b,
		    strlen(cmps[i].b));
		CHECK_INT((c > 0) - (c < 0), want);
		c = dec_text_cmp(cmps[i].b, strlen(cmps[i].b), cmps[i].a,
		    strlen(cmps[i].a));
		CHECK_INT((c > 0) - (c < 0), -want);
	}
	for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
		buf_reset(&b);
		dec_text_write(writes[i].text, strlen(writes[i].text), &b);
		CHECK_STR(b.data, writes[i].want);
	}
	buf_reset(&b);
	dec_text_write("1e999", 5, &b);
	CHECK_STR(b.data, repeat("1", '0', 999, ""));
	buf_free(&b);
}

/*
 * PostgreSQL's select_div_scale on reference values: the weight and first
 * base-10000 digit of each operand from its digit string.
 */
static int
ref_div_scale(const struct ref *a, const struct ref *b)
{
	const struct ref *v[2] = { a, b };
	int w[2], f[2], i, j, k, e, nd, q, r;

	for (i = 0; i < 2; i++) {
		w[i] = f[i] = 0;
		if (mag_is_zero(v[i]->mag))
			continue;
		nd = (int)strlen(v[i]->mag);
		e = nd - 1 - v[i]->scale;
		w[i] = e >= 0 ? e / 4 : -((-e + 3) / 4);
		k = e - 4 * w[i] + 1;
		for (j = 0; j < k; j++)
			f[i] = f[i] * 10 + (j < nd ? v[i]->mag[j] - '0' : 0);
	}
	q = w[0] - w[1] - (f[0] <= f[1]);
	r = 16 - 4 * q;
	if (r < a->scale)
		r = a->scale;
	if (r < b->scale)
		r = b->scale;
	if (r < 0)
		r = 0;
	return r > DEC_DIV_MAX_SCALE ? DEC_DIV_MAX_SCALE : r;
}

static void
test_div_scale(void)
{
	static const struct {
		const char	*a;
		const char	*b;
		int		 scale;
	} cases[] = {
		/* PostgreSQL 15: scale(x / y) */
		{ "20.00", "2", 16 },
		{ "1", "3", 20 },
		{ "10000", "3", 16 },
		{ "99999999999999999999999999999999999998", "2", 0 },
		{ "0.000000000000000000000000000001", "3", 48 },
		{ "1e-400", "2", 420 },
		{ "1e-1001", "1", 1000 },
		{ "1e-2000", "1", 1000 },
		{ "1e999", "1", 0 },
		{ "1e999", "3", 0 },
		{ "2.5", "1e999", 1000 },
	};
	struct decw wa, wb;
	struct dec a, b;
	size_t i;

	decw_init(&wa);
	decw_init(&wb);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		wnum(&wa, cases[i].a);
		wnum(&wb, cases[i].b);
		CHECK_INT(decw_div_scale(&wa, &wb), cases[i].scale);
		if (dec_parse(&a, cases[i].a, strlen(cases[i].a)) == 0 &&
		    dec_parse(&b, cases[i].b, strlen(cases[i].b)) == 0)
			CHECK_INT(dec_div_scale(&a, &b), cases[i].scale);
	}
	/* avg(1e-400, 2e-400) as PostgreSQL: 0.(418 digits)15 */
	wnum(&wa, "3e-400");
	wnum(&wb, "2");
	CHECK_INT(decw_div(&wa, &wa, &wb, decw_div_scale(&wa, &wb)), 0);
	CHECK_STR(wfmt(&wa, 0), repeat("0.", '0', 399, "15000000000000000"));
	decw_free(&wa);
	decw_free(&wb);
}

/* Numbers within 38 digits: the wide path gives what the fast path gives,
 * and goes on exactly where the fast path stops. */
static void
test_random_fast_wide(void)
{
	char ta[160], tb[160], want[REF_MAX + 4];
	struct ref ra, rb, rr;
	struct dec a, b, r, back;
	struct decw wa, wb, wr;
	int i, rc, c, scale, bad = 0, wide = 0;

	decw_init(&wa);
	decw_init(&wb);
	decw_init(&wr);
	for (i = 0; i < 10000; i++) {
		if (gen_valid(ta, &ra, &a) != 0 ||
		    gen_valid(tb, &rb, &b) != 0 ||
		    decw_parse(&wa, ta, strlen(ta)) != 0 ||
		    decw_parse(&wb, tb, strlen(tb)) != 0) {
			if (bad++ == 0)
				fprintf(stderr, "cannot parse %s, %s\n", ta,
				    tb);
			continue;
		}
		/* the same value, the same text */
		if ((decw_to_dec(&back, &wa) != 0 || dec_cmp(&back, &a) != 0 ||
		    back.scale != a.scale || strcmp(wfmt(&wa, 1),
		    fmt(&a)) != 0) && bad++ == 0)
			fprintf(stderr, "wide %s: %s\n", ta, wfmt(&wa, 1));
		decw_from_dec(&wr, &a);
		if (decw_cmp(&wr, &wa) != 0 && bad++ == 0)
			fprintf(stderr, "from_dec %s\n", ta);
		/* a + b */
		ref_add(&ra, &rb, &rr);
		ref_format(&rr, want);
		rc = dec_add(&r, &a, &b);
		decw_add(&wr, &wa, &wb);
		wide += rc != 0;
		if (strcmp(wfmt(&wr, 0), want) != 0 && bad++ == 0)
			fprintf(stderr, "%s + %s: want %s got %s\n", ta, tb,
			    want, wfmt(&wr, 0));
		if (rc == 0 && strcmp(fmt(&r), want) != 0 && bad++ == 0)
			fprintf(stderr, "%s + %s fast: %s\n", ta, tb, fmt(&r));
		/* (a + b) - b == a, at the larger scale */
		decw_sub(&wr, &wr, &wb);
		if ((decw_cmp(&wr, &wa) != 0 || wr.scale != (wa.scale >
		    wb.scale ? wa.scale : wb.scale)) && bad++ == 0)
			fprintf(stderr, "(%s + %s) - %s\n", ta, tb, tb);
		/* cmp: fast, wide, text */
		c = ref_cmp(&ra, &rb);
		rc = decw_cmp(&wa, &wb);
		if (((rc > 0) - (rc < 0) != c || -decw_cmp(&wb, &wa) != rc ||
		    dec_text_cmp(ta, strlen(ta), tb, strlen(tb)) != c) &&
		    bad++ == 0)
			fprintf(stderr, "cmp %s %s\n", ta, tb);
		/* a / b at a scale the fast path may not reach */
		if (mag_is_zero(rb.mag))
			continue;
		scale = (int)rng_below(60);
		rc = scale <= DEC_MAX_SCALE ? dec_div(&r, &a, &b, scale) : -1;
		if (decw_div(&wr, &wa, &wb, scale) != 0 ||
		    !check_quot(&ra, &rb, scale, wfmt(&wr, 0))) {
			if (bad++ == 0)
				fprintf(stderr, "%s / %s at %d: %s\n", ta, tb,
				    scale, wfmt(&wr, 0));
		} else if (rc == 0 && strcmp(fmt(&r), wfmt(&wr, 0)) != 0 &&
		    bad++ == 0)
			fprintf(stderr, "%s / %s at %d fast: %s\n", ta, tb,
			    scale, fmt(&r));
		if ((dec_div_scale(&a, &b) != ref_div_scale(&ra, &rb) ||
		    decw_div_scale(&wa, &wb) != ref_div_scale(&ra, &rb)) &&
		    bad++ == 0)
			fprintf(stderr, "div scale %s / %s: %d %d %d\n", ta,
			    tb, dec_div_scale(&a, &b), decw_div_scale(&wa,
			    &wb), ref_div_scale(&ra, &rb));
	}
	decw_free(&wa);
	decw_free(&wb);
	decw_free(&wr);
	CHECK_INT(bad, 0);
	CHECK(wide > 100);	/* sums past 38 digits were exercised */
}

/* A number of up to 100 digits with an exponent up to +-150, or plain. */
static void
gen_wide(char *out, struct ref *r)
{
	char ip[128], fp[128];
	int nint, nfrac, e, neg, mode = (int)rng_below(4);

	nint = (int)rng_below(rng_below(2) ? 100 : 30);
	nfrac = (int)rng_below(rng_below(2) ? 100 : 30);
	e = rng_below(3) == 0 ? 0 : (int)rng_below(301) - 150;
	if (nint == 0)
		strcpy(ip, "0");
	else
		gen_digits(ip, nint, mode, 1);
	gen_digits(fp, nfrac, mode, 0);
	neg = (int)rng_below(2);
	if (e == 0 && rng_below(2))
		snprintf(out, 300, "%s%s%s%s", neg ? "-" : "", ip,
		    nfrac > 0 ? "." : "", fp);
	else
		snprintf(out, 300, "%s%s%s%se%d", neg ? "-" : "", ip,
		    nfrac > 0 ? "." : "", fp, e);
	snprintf(r->mag, sizeof(r->mag), "%s%s", ip, fp);
	mag_norm(r->mag);
	if (nfrac - e >= 0)
		r->scale = nfrac - e;
	else {
		r->scale = 0;
		mag_shift(r->mag, e - nfrac);
	}
	r->neg = neg && !mag_is_zero(r->mag);
}

/* Numbers well beyond 38 digits: exact sums, order and round trips. */
static void
test_random_wide(void)
{
	char ta[300], tb[300], want[REF_MAX + 4];
	struct ref ra, rb, rr;
	struct decw wa, wb, wr, back;
	struct buf tw = BUF_INIT;
	struct numtext nt;
	struct dec d;
	int i, c, expok, bad = 0;

	decw_init(&wa);
	decw_init(&wb);
	decw_init(&wr);
	decw_init(&back);
	for (i = 0; i < 5000; i++) {
		gen_wide(ta, &ra);
		gen_wide(tb, &rb);
		if ((decw_parse(&wa, ta, strlen(ta)) != 0 ||
		    decw_parse(&wb, tb, strlen(tb)) != 0 ||
		    dec_parse(&d, ta, strlen(ta)) < 0) && bad++ == 0)
			fprintf(stderr, "cannot parse %s or %s\n", ta, tb);
		ref_format(&ra, want);
		if ((strcmp(wfmt(&wa, 0), want) != 0 || wa.scale != ra.scale) &&
		    bad++ == 0)
			fprintf(stderr, "parse %s: want %s got %s\n", ta, want,
			    wfmt(&wa, 0));
		/* written and read back: the same value and scale, either
		 * form; dec_text_write agrees without parsing */
		numtext_split(&nt, ta, strlen(ta));
		for (expok = 0; expok < 2; expok++) {
			const char *t = wfmt(&wa, expok);

			if ((decw_parse(&back, t, strlen(t)) != 0 ||
			    decw_cmp(&back, &wa) != 0 ||
			    back.scale != wa.scale) && bad++ == 0)
				fprintf(stderr, "round trip %s: %s\n", ta, t);
		}
		buf_reset(&tw);
		dec_text_write(ta, strlen(ta), &tw);
		if (strcmp(tw.data, wfmt(&wa, nt.hasexp)) != 0 && bad++ == 0)
			fprintf(stderr, "text_write %s: %s\n", ta, tw.data);
		/* a + b, (a + b) - b */
		ref_add(&ra, &rb, &rr);
		ref_format(&rr, want);
		decw_add(&wr, &wa, &wb);
		if (strcmp(wfmt(&wr, 0), want) != 0 && bad++ == 0)
			fprintf(stderr, "%s + %s: want %s got %s\n", ta, tb,
			    want, wfmt(&wr, 0));
		decw_sub(&wr, &wr, &wb);
		if (decw_cmp(&wr, &wa) != 0 && bad++ == 0)
			fprintf(stderr, "(%s + %s) - %s\n", ta, tb, tb);
		/* order: antisymmetric, as the reference, as the text */
		c = ref_cmp(&ra, &rb);
		if ((decw_cmp(&wa, &wb) != c || decw_cmp(&wb, &wa) != -c ||
		    dec_text_cmp(ta, strlen(ta), tb, strlen(tb)) != c ||
		    dec_text_cmp(tb, strlen(tb), ta, strlen(ta)) != -c) &&
		    bad++ == 0)
			fprintf(stderr, "cmp %s %s: want %d\n", ta, tb, c);
		/* narrowing back to the fast path when it fits */
		if (decw_to_dec(&d, &wa) == 0 && (strcmp(fmt(&d),
		    wfmt(&wa, 0)) != 0 || !ref_fits(&ra)) && bad++ == 0)
			fprintf(stderr, "to_dec %s: %s\n", ta, fmt(&d));
		if (ref_fits(&ra) && decw_to_dec(&d, &wa) != 0 && bad++ == 0)
			fprintf(stderr, "to_dec %s fails\n", ta);
	}
	decw_free(&wa);
	decw_free(&wb);
	decw_free(&wr);
	decw_free(&back);
	buf_free(&tw);
	CHECK_INT(bad, 0);
}

int
main(void)
{
	UNIT_NAME("test_decimal");
	unit_rng_state = UINT64_C(0x243f6a8885a308d3);
	test_parse_format();
	test_parse_length();
	test_format_struct();
	test_i64();
	test_add_sub();
	test_div();
	test_rescale();
	test_cmp();
	test_random_parse();
	test_random_add_sub_cmp();
	test_random_div_small();
	test_random_div_big();
	test_wide_format();
	test_wide_limits();
	test_text();
	test_div_scale();
	test_random_fast_wide();
	test_random_wide();
	return unit_report();
}
