/*
 * numtext.h: the parts of a JSON number's text.
 *
 * decimal and tstamp both turn number text into exact values without going
 * through a double; this is the one place that checks the RFC 8259 grammar
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? and says where the digits
 * are. The exponent is accumulated only up to NUMTEXT_EXP_CAP, far beyond
 * the length of any text in memory, so "1e999999999999999999999" costs
 * nothing and cannot overflow, and every exponent below the cap is exact.
 *
 *	struct numtext t;
 *	if (numtext_split(&t, "-12.50e3", 8) == 0)
 *		// t.neg = 1, t.ip = "12" (ni 2), t.fp = "50" (nf 2), t.exp = 3
 */
#ifndef CDC_NUMTEXT_H
#define CDC_NUMTEXT_H

#include <stddef.h>
#include <stdint.h>

#define NUMTEXT_EXP_CAP	INT64_C(1000000000000000)

struct numtext {
	int		 neg;	/* leading '-' */
	int		 hasexp; /* written with an exponent ("1e0" too) */
	const char	*ip;	/* integer digits ("0" or no leading zero) */
	size_t		 ni;
	const char	*fp;	/* fraction digits, NULL when there are none */
	size_t		 nf;
	int64_t		 exp;	/* exponent, |exp| < 10 * NUMTEXT_EXP_CAP */
};

/* Split s[0..n) into t. 0, or -1 when it is not exactly one JSON number. */
int	numtext_split(struct numtext *t, const char *s, size_t n);

/* Digit i of the digit string ip ++ fp (0 <= i < ni + nf). */
static inline char
numtext_digit(const struct numtext *t, size_t i)
{
	return i < t->ni ? t->ip[i] : t->fp[i - t->ni];
}

/* Index of the first nonzero digit of ip ++ fp; ni + nf when the value is
 * zero. */
size_t	numtext_lead(const struct numtext *t);

/* <0, 0, >0 as the value of a is below, equal to, above that of b: exact
 * for any two split numbers, whatever their digits ("1e2" equals "100.0",
 * "-0" equals "0"), as long as an exponent at the cap is on one side
 * only. */
int	numtext_cmp(const struct numtext *a, const struct numtext *b);

#endif
