/*
 * numtext.h: the parts of a JSON number's text.
 *
 * decimal and tstamp both turn number text into exact values without going
 * through a double; this is the one place that checks the RFC 8259 grammar
 * -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)? and says where the digits
 * are. The exponent is accumulated only up to NUMTEXT_EXP_CAP, far beyond any
 * value the callers accept, so "1e999999999999" costs nothing and cannot
 * overflow.
 *
 *	struct numtext t;
 *	if (numtext_split(&t, "-12.50e3", 8) == 0)
 *		// t.neg = 1, t.ip = "12" (ni 2), t.fp = "50" (nf 2), t.exp = 3
 */
#ifndef CDC_NUMTEXT_H
#define CDC_NUMTEXT_H

#include <stddef.h>
#include <stdint.h>

#define NUMTEXT_EXP_CAP	INT64_C(1000000000)

struct numtext {
	int		 neg;	/* leading '-' */
	const char	*ip;	/* integer digits ("0" or no leading zero) */
	size_t		 ni;
	const char	*fp;	/* fraction digits, NULL when there are none */
	size_t		 nf;
	int64_t		 exp;	/* exponent, |exp| <= NUMTEXT_EXP_CAP */
};

/* Split s[0..n) into t. 0, or -1 when it is not exactly one JSON number. */
int	numtext_split(struct numtext *t, const char *s, size_t n);

#endif
