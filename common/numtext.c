/*
 * numtext.c: JSON number grammar, split into digits and exponent.
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
