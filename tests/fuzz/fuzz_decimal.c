/*
 * fuzz_decimal.c: libFuzzer target for exact decimals across the fast path
 * (struct dec, 38 digits) and the wide path (struct decw, GMP).
 *
 * Each input is tried as one number and, split at its first space, as a
 * pair. Whatever dec_parse takes must read the same in the wide path, write
 * text that reads back to the same value and scale in either output form,
 * and order the same by text as by value; pairs must satisfy
 * (a + b) - b == a, antisymmetric comparison, and agree with the fast path
 * wherever that gives an answer. Any violation aborts so the fuzzer keeps
 * the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "decimal.h"
#include "numtext.h"
#define FUZZ_NAME	"fuzz_decimal"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	sign_of(int);
static int	read_both(const char *, size_t, struct dec *, struct decw *,
		    int *);
static void	fuzz_one(const char *, size_t);
static void	fuzz_pair(const char *, size_t, const char *, size_t);

static int
sign_of(int c)
{
	return (c > 0) - (c < 0);
}

/*
 * s[0..n) into w (and d when dec_parse takes it, *fast set): 0, or -1 when
 * it is no number within numeric's range. The two readings must agree.
 */
static int
read_both(const char *s, size_t n, struct dec *d, struct decw *w, int *fast)
{
	struct dec back;
	int rc = dec_parse(d, s, n);

	*fast = rc == 0;
	if (rc == -1) {
		fuzz_require(decw_parse(w, s, n) == -1,
		    "wide takes a non-number", s, n);
		return -1;
	}
	if (rc == DEC_ERANGE)
		return -1;
	fuzz_require(rc == 0 || rc == DEC_WIDE, "dec_parse result", s, n);
	fuzz_require(decw_parse(w, s, n) == 0, "wide refuses a number in range",
	    s, n);
	fuzz_require(w->scale >= 0 && w->scale <= DEC_NUMERIC_SCALE,
	    "wide scale", s, n);
	if (*fast)
		fuzz_require(decw_to_dec(&back, w) == 0 &&
		    dec_cmp(&back, d) == 0 && back.scale == d->scale,
		    "wide and fast read one value", s, n);
	else
		fuzz_require(decw_to_dec(&back, w) == -1,
		    "wide value that fits the fast path", s, n);
	return 0;
}

static void
fuzz_one(const char *s, size_t n)
{
	struct buf out = BUF_INIT, tw = BUF_INIT;
	struct numtext t;
	struct decw w, back;
	struct dec d;
	int fast, expok;

	decw_init(&w);
	decw_init(&back);
	if (read_both(s, n, &d, &w, &fast) != 0)
		goto done;
	numtext_split(&t, s, n);
	for (expok = 0; expok < 2; expok++) {
		buf_reset(&out);
		decw_format(&w, expok, &out);
		fuzz_require(out.len > 0 && strlen(out.data) == out.len,
		    "decw_format length", s, n);
		fuzz_require(decw_parse(&back, out.data, out.len) == 0 &&
		    decw_cmp(&back, &w) == 0 && back.scale == w.scale,
		    "format round trip", s, n);
		fuzz_require(dec_text_cmp(out.data, out.len, s, n) == 0,
		    "text order of the written value", s, n);
		if (!expok && fast) {
			char text[DEC_STRLEN];

			fuzz_require(dec_format(&d, text) == out.len &&
			    memcmp(text, out.data, out.len) == 0,
			    "fast and wide write one text", s, n);
		}
	}
	/* the text path writes what the wide path does */
	dec_text_write(s, n, &tw);
	buf_reset(&out);
	decw_format(&w, t.hasexp, &out);
	fuzz_require(tw.len == out.len && memcmp(tw.data, out.data,
	    out.len) == 0, "dec_text_write", s, n);
done:
	decw_free(&w);
	decw_free(&back);
	buf_free(&out);
	buf_free(&tw);
}

static void
fuzz_pair(const char *s1, size_t n1, const char *s2, size_t n2)
{
	struct decw a, b, r, q;
	struct dec da, db, dr;
	int fa, fb, c, sa, sb;

	decw_init(&a);
	decw_init(&b);
	decw_init(&r);
	decw_init(&q);
	if (read_both(s1, n1, &da, &a, &fa) != 0 ||
	    read_both(s2, n2, &db, &b, &fb) != 0)
		goto done;
	/* one order: by value, by text, fast, both ways */
	c = sign_of(decw_cmp(&a, &b));
	fuzz_require(sign_of(decw_cmp(&b, &a)) == -c, "decw_cmp antisymmetric",
	    s1, n1 + 1 + n2);
	fuzz_require(sign_of(dec_text_cmp(s1, n1, s2, n2)) == c &&
	    sign_of(dec_text_cmp(s2, n2, s1, n1)) == -c, "dec_text_cmp",
	    s1, n1 + 1 + n2);
	if (fa && fb)
		fuzz_require(sign_of(dec_cmp(&da, &db)) == c, "dec_cmp",
		    s1, n1 + 1 + n2);
	/* (a + b) - b == a at the larger scale; the fast path agrees */
	decw_add(&r, &a, &b);
	sa = a.scale > b.scale ? a.scale : b.scale;
	fuzz_require(r.scale == sa, "sum scale", s1, n1 + 1 + n2);
	if (fa && fb && dec_add(&dr, &da, &db) == 0) {
		decw_from_dec(&q, &dr);
		fuzz_require(decw_cmp(&q, &r) == 0 && dr.scale == r.scale,
		    "fast and wide sums", s1, n1 + 1 + n2);
	}
	decw_sub(&r, &r, &b);
	fuzz_require(decw_cmp(&r, &a) == 0, "(a + b) - b", s1, n1 + 1 + n2);
	decw_sub(&r, &a, &b);
	fuzz_require(sign_of(mpz_sgn(r.coef)) == c, "sign of a - b",
	    s1, n1 + 1 + n2);
	/* a / b at PostgreSQL's scale; the fast path agrees where it can */
	if (decw_is_zero(&b))
		goto done;
	sb = decw_div_scale(&a, &b);
	fuzz_require(sb >= 0 && sb <= DEC_DIV_MAX_SCALE, "division scale",
	    s1, n1 + 1 + n2);
	fuzz_require(decw_div(&q, &a, &b, sb) == 0 && q.scale == sb,
	    "decw_div", s1, n1 + 1 + n2);
	if (fa && fb) {
		fuzz_require(dec_div_scale(&da, &db) == sb,
		    "fast division scale", s1, n1 + 1 + n2);
		if (sb <= DEC_MAX_SCALE && dec_div(&dr, &da, &db, sb) == 0) {
			decw_from_dec(&r, &dr);
			fuzz_require(decw_cmp(&r, &q) == 0,
			    "fast and wide quotients", s1, n1 + 1 + n2);
		}
	}
	/* b * q is a within half a unit of q's last digit: |a - b q| <= |b| / 2
	 * * 10^-scale, checked as 2 |a 10^s - b q 10^s| <= |b| exactly */
	{
		mpz_t lhs, rhs, t;
		int64_t k;

		mpz_inits(lhs, rhs, t, NULL);
		/* everything at scale S = a.scale + b.scale + sb: a * 10^(S -
		 * a.scale), b * q at scale b.scale + sb */
		k = (int64_t)b.scale + sb;
		mpz_ui_pow_ui(t, 10, (unsigned long)k);
		mpz_mul(lhs, a.coef, t);
		mpz_mul(rhs, b.coef, q.coef);
		mpz_ui_pow_ui(t, 10, (unsigned long)a.scale);
		mpz_mul(rhs, rhs, t);
		mpz_sub(lhs, lhs, rhs);
		mpz_abs(lhs, lhs);
		mpz_mul_2exp(lhs, lhs, 1);
		mpz_ui_pow_ui(t, 10, (unsigned long)a.scale);
		mpz_abs(rhs, b.coef);
		mpz_mul(rhs, rhs, t);
		fuzz_require(mpz_cmp(lhs, rhs) <= 0, "quotient rounding",
		    s1, n1 + 1 + n2);
		mpz_clears(lhs, rhs, t, NULL);
	}
done:
	decw_free(&a);
	decw_free(&b);
	decw_free(&r);
	decw_free(&q);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *sp;

	fuzz_one(s, size);
	sp = memchr(s, ' ', size);
	if (sp != NULL)
		fuzz_pair(s, (size_t)(sp - s), sp + 1,
		    size - (size_t)(sp - s) - 1);
	return 0;
}
