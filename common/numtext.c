/*
 * numtext.c: JSON number grammar, split into digits and exponent, and the
 * exact order of two numbers read from their digits alone.
 */
#include "numtext.h"

static inline int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

int
numtext_split(struct numtext *t, const char *s, size_t n)
{
	const char *p = s, *end = s + n;
	int eneg = 0;

	t->neg = 0;
	t->hasexp = 0;
	t->fp = NULL;
	t->nf = 0;
	t->exp = 0;
	if (p < end && *p == '-') {
		t->neg = 1;
		p++;
	}
	if (p == end || !isdig(*p))
		return -1;
	t->ip = p;
	if (*p == '0')
		p++;
	else
		while (p < end && isdig(*p))
			p++;
	t->ni = (size_t)(p - t->ip);
	if (p < end && *p == '.') {
		t->fp = ++p;
		while (p < end && isdig(*p))
			p++;
		t->nf = (size_t)(p - t->fp);
		if (t->nf == 0)
			return -1;
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		t->hasexp = 1;
		if (p < end && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p == end || !isdig(*p))
			return -1;
		for (; p < end && isdig(*p); p++)
			if (t->exp < NUMTEXT_EXP_CAP)
				t->exp = t->exp * 10 + (*p - '0');
		if (eneg)
			t->exp = -t->exp;
	}
	return p == end ? 0 : -1;
}

size_t
numtext_lead(const struct numtext *t)
{
	size_t i;

	for (i = 0; i < t->ni + t->nf; i++)
		if (numtext_digit(t, i) != '0')
			break;
	return i;
}

/*
 * A nonzero value is 0.d1d2d3... * 10^(e + 1) with d1 its first nonzero
 * digit, e = exp + ni - 1 - lead the power of ten of d1. Two values of one
 * sign order by e, then by their digits from d1 on, a shorter digit string
 * continuing with zeros.
 */
int
numtext_cmp(const struct numtext *a, const struct numtext *b)
{
	size_t la = numtext_lead(a), lb = numtext_lead(b);
	size_t na = a->ni + a->nf, nb = b->ni + b->nf, i, j;
	int64_t ea, eb;
	int sa, sb, c = 0;

	sa = la == na ? 0 : a->neg ? -1 : 1;
	sb = lb == nb ? 0 : b->neg ? -1 : 1;
	if (sa != sb)
		return sa < sb ? -1 : 1;
	if (sa == 0)
		return 0;
	ea = a->exp + (int64_t)a->ni - 1 - (int64_t)la;
	eb = b->exp + (int64_t)b->ni - 1 - (int64_t)lb;
	if (ea != eb)
		c = ea < eb ? -1 : 1;
	else {
		for (i = la, j = lb; c == 0 && i < na && j < nb; i++, j++)
			c = numtext_digit(a, i) - numtext_digit(b, j);
		for (; c == 0 && i < na; i++)
			c = numtext_digit(a, i) != '0';
		for (; c == 0 && j < nb; j++)
			c = -(numtext_digit(b, j) != '0');
		c = (c > 0) - (c < 0);
	}
	return sa > 0 ? c : -c;
}
