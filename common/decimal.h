/*
 * decimal.h: exact decimal numbers for sums, averages, minima and maxima.
 *
 * A value is coef * 10^-scale with a signed 128-bit coefficient, so it holds
 * 38 significant digits exactly (|coef| < 10^38) and scale 0..DEC_MAX_SCALE.
 * The JSON text "19.99" is nineteen and 99 hundredths, never a binary
 * fraction. Arithmetic follows PostgreSQL's numeric: the scale of a sum is the
 * larger scale of its operands ("1.50" + "2" = "3.50"), input exponents are
 * folded into the scale ("1.5e-3" is 0.0015, scale 4; "1e2" is 100, scale 0),
 * division rounds half away from zero at the scale asked for. An operation
 * whose exact result needs more than 38 digits fails with -1 instead of
 * losing digits.
 *
 *	struct dec a, b, s;
 *	dec_parse(&a, "19.99", 5); dec_parse(&b, "0.01", 4);
 *	dec_add(&s, &a, &b);        // 20.00
 *	dec_format(&s, text);       // "20.00"
 */
#ifndef CDC_DECIMAL_H
#define CDC_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

#define DEC_MAX_DIGITS	38
#define DEC_MAX_SCALE	38
/* Longest text dec_format writes, with sign, point, leading "0." and NUL. */
#define DEC_STRLEN	(DEC_MAX_DIGITS + 4)

struct dec {
	__int128	coef;
	int		scale;
};

/* Parse JSON number text (RFC 8259 grammar: -?int frac? exp?) of length n.
 * Returns 0, or -1 when the text is not a JSON number or its exact value does
 * not fit 38 digits / scale 38 (trailing fractional zeros count: PostgreSQL
 * keeps them). */
int	dec_parse(struct dec *d, const char *s, size_t n);
void	dec_from_i64(struct dec *d, int64_t v);
/* Returns 0, or -1 when the value is not an integer or is out of range. */
int	dec_to_i64(const struct dec *d, int64_t *v);
/* Nearest double (for comparisons with non-decimal numbers). */
double	dec_to_double(const struct dec *d);

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

/* Write the value in plain notation with exactly `scale` fractional digits
 * ("-0.05", "3.50", "100"), never an exponent, NUL-terminated. out must have
 * DEC_STRLEN bytes. Returns the length. */
size_t	dec_format(const struct dec *d, char *out);

#endif
