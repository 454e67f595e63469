/*
 * decimal.h: exact decimal numbers for sums, averages, minima and maxima.
 *
 * Every JSON number is an exact decimal, as PostgreSQL's numeric is: the
 * JSON text "19.99" is nineteen and 99 hundredths, never a binary fraction.
 * A value is coef * 10^-scale. Arithmetic follows PostgreSQL's numeric: the
 * scale of a sum is the larger scale of its operands ("1.50" + "2" =
 * "3.50"), input exponents are folded into the scale ("1.5e-3" is 0.0015,
 * scale 4; "1e2" is 100, scale 0), division rounds half away from zero at
 * the scale asked for.
 *
 * Two forms share that meaning:
 *   struct dec	 the fast path: a signed 128-bit coefficient, so 38
 *		 significant digits (|coef| < 10^38) and scale 0..38; no
 *		 allocation. An operation whose exact result needs more fails
 *		 with -1 instead of losing digits.
 *   struct decw the wide path: a GMP integer coefficient, any number of
 *		 digits; for the rare values and results beyond the fast path.
 * Input is accepted within numeric's range (DEC_NUMERIC_INTDIG digits
 * before the point, DEC_NUMERIC_SCALE after, trailing zeros counted as
 * PostgreSQL counts them); beyond it dec_parse says DEC_ERANGE.
 *
 *	struct dec a, b, s;
 *	dec_parse(&a, "19.99", 5); dec_parse(&b, "0.01", 4);
 *	dec_add(&s, &a, &b);        // 20.00
 *	dec_format(&s, text);       // "20.00"
 *
 * The caller owns what a function returns; a struct decw is set up with
 * decw_init and released with decw_free.
 */
#ifndef CDC_DECIMAL_H
#define CDC_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#include <gmp.h>

#include "buf.h"

#define DEC_MAX_DIGITS	38
#define DEC_MAX_SCALE	38
/* Longest text dec_format writes, with sign, point, leading "0." and NUL. */
#define DEC_STRLEN	(DEC_MAX_DIGITS + 4)

/* PostgreSQL numeric's range: digits before the point, digits after. */
#define DEC_NUMERIC_INTDIG	131072
#define DEC_NUMERIC_SCALE	16383
/* The largest scale numeric division chooses on its own
 * (NUMERIC_MAX_DISPLAY_SCALE). */
#define DEC_DIV_MAX_SCALE	1000
/* A value computed from numbers written with an exponent is written with
 * one too when its plain text would be longer than this and the exponent
 * form is shorter. */
#define DEC_PLAIN_MAX		1000

/* dec_parse: a number within numeric's range that needs struct decw. */
#define DEC_WIDE	1
/* dec_parse: a JSON number beyond numeric's range. */
#define DEC_ERANGE	(-2)

struct dec {
	__int128	coef;
	int		scale;
};

struct decw {
	mpz_t		coef;
	int		scale;		/* >= 0 */
};

/*
 * Parse JSON number text (RFC 8259 grammar: -?int frac? exp?) of length n.
 * Returns 0 with *d set when the exact value fits 38 digits / scale 38
 * (trailing fractional zeros count: PostgreSQL keeps them); DEC_WIDE when it
 * is a number within numeric's range that does not (decw_parse reads it);
 * DEC_ERANGE when it is a number beyond numeric's range; -1 when the text is
 * not a JSON number. Only a 0 return sets *d. The cost is linear in n, and
 * no more when the exponent is huge ("1e999999999").
 */
int	dec_parse(struct dec *d, const char *s, size_t n);
void	dec_from_i64(struct dec *d, int64_t v);
/* Returns 0, or -1 when the value is not an integer or is out of range. */
int	dec_to_i64(const struct dec *d, int64_t *v);

/* r = a + b, r = a - b; r may alias a or b. 0, or -1 on overflow. */
int	dec_add(struct dec *r, const struct dec *a, const struct dec *b);
int	dec_sub(struct dec *r, const struct dec *a, const struct dec *b);
/* r = a / b rounded half away from zero to `scale` fractional digits.
 * -1 on division by zero or overflow. */
int	dec_div(struct dec *r, const struct dec *a, const struct dec *b,
	    int scale);
/* r = a with its scale raised to `scale` (trailing zeros added) or lowered
 * (rounded half away from zero). -1 on overflow. */
int	dec_rescale(struct dec *r, const struct dec *a, int scale);
/* <0, 0, >0 as a <, =, > b, by value: 1.50 equals 1.5. */
int	dec_cmp(const struct dec *a, const struct dec *b);
int	dec_is_zero(const struct dec *d);
/* The scale PostgreSQL's numeric division a / b has (select_div_scale): 16
 * significant digits at least, at least the scales of a and b, but at most
 * DEC_DIV_MAX_SCALE whatever they are. */
int	dec_div_scale(const struct dec *a, const struct dec *b);

/* Write the value in plain notation with exactly `scale` fractional digits
 * ("-0.05", "3.50", "100"), never an exponent, NUL-terminated. out must have
 * DEC_STRLEN bytes. Returns the length. */
size_t	dec_format(const struct dec *d, char *out);

/* A wide value: zero at scale 0 after decw_init. */
void	decw_init(struct decw *w);
void	decw_free(struct decw *w);
void	decw_set(struct decw *r, const struct decw *a);
void	decw_from_dec(struct decw *w, const struct dec *d);
/* d = w: 0, or -1 when w needs more than 38 digits or a scale above 38. */
int	decw_to_dec(struct dec *d, const struct decw *w);
/*
 * Read JSON number text exactly: 0, or -1 when it is not a JSON number or
 * its exponent asks for more than DEC_NUMERIC_INTDIG zeros or a scale above
 * DEC_NUMERIC_SCALE. Digits that are written out are always taken, so the
 * cost is bounded by n (subquadratic in it); dec_parse is the range check.
 */
int	decw_parse(struct decw *w, const char *s, size_t n);
/* r = a + b, r = a - b at the larger scale; r may alias a or b. */
void	decw_add(struct decw *r, const struct decw *a, const struct decw *b);
void	decw_sub(struct decw *r, const struct decw *a, const struct decw *b);
/* r = a / b rounded half away from zero to `scale` fractional digits;
 * r may alias a or b. -1 on division by zero or a negative scale. */
int	decw_div(struct decw *r, const struct decw *a, const struct decw *b,
	    int scale);
/* r = a at `scale`, rounded half away from zero when lowered. */
void	decw_rescale(struct decw *r, const struct decw *a, int scale);
int	decw_cmp(const struct decw *a, const struct decw *b);
int	decw_is_zero(const struct decw *w);
/* dec_div_scale for wide operands: the same rule, the same answers. */
int	decw_div_scale(const struct decw *a, const struct decw *b);
/*
 * Append the value as PostgreSQL writes numeric: plain digits with exactly
 * `scale` fractional digits. With expok (some value it came from was
 * written with an exponent), a plain text longer than DEC_PLAIN_MAX is
 * written as [-]d[.ddd]e(+|-)N instead when that is shorter; that form has
 * the same value and, read back, the same scale.
 */
void	decw_format(const struct decw *w, int expok, struct buf *out);

/* Append JSON number text s[0..n) as decw_format writes its value, with
 * expok when s has an exponent ("1e2" -> "100", "-0.0" -> "0.0"). Text that
 * is no number within numeric's range is appended as it is. */
void	dec_text_write(const char *s, size_t n, struct buf *out);
/* The order of two JSON number texts by value, exactly (numtext_cmp); text
 * that is not a number orders after every number, by its bytes. */
int	dec_text_cmp(const char *a, size_t an, const char *b, size_t bn);

#endif
