/*
 * rank.c: the order top-n ranks rows by.
 *
 * A --by key's value is read once per row into a struct skey: numbers as
 * exact decimals (a double only beyond 38 digits), strings as their
 * unescaped bytes, so comparing a row with the current N-th best costs no
 * parsing. Values of different kinds order numbers < strings < booleans <
 * objects and arrays; the direction reverses that, but null and missing
 * values always come last (SQL's NULLS LAST).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jout.h"
#include "topn.h"

/* The double nearest to number text s[0..n). JSON numbers are finite, but
 * "1e999" is not a finite double: it becomes HUGE_VAL, which still orders
 * it correctly against every other value. */
static double
text_double(const char *s, size_t n)
{
	char tmp[64], *copy;
	double x;

	if (n < sizeof(tmp)) {
		memcpy(tmp, s, n);
		tmp[n] = '\0';
		return strtod(tmp, NULL);
	}
	copy = xstrndup(s, n);
	x = strtod(copy, NULL);
	free(copy);
	return x;
}

void
skey_read(const struct jdoc *d, int t, struct skey *k, struct buf *scratch)
{
	const char *s;
	size_t n;

	k->dbl = 0;
	k->len = 0;
	k->p = NULL;
	switch (jscan_type(d, t)) {
	case J_NUMBER:
		k->cls = K_NUM;
		s = jscan_raw(d, t, &n);
		if (dec_parse(&k->d, s, n) != 0) {
			k->dbl = 1;
			k->x = text_double(s, n);
		}
		break;
	case J_STRING:
		k->cls = K_STR;
		jscan_str(d, t, scratch, &s, &n);
		k->p = s;
		k->len = n;
		break;
	case J_TRUE:
	case J_FALSE:
		k->cls = K_BOOL;
		k->x = jscan_type(d, t) == J_TRUE;
		break;
	case J_OBJECT:
	case J_ARRAY:
		k->cls = K_OTHER;
		k->p = jscan_raw(d, t, &n);
		k->len = n;
		break;
	default:
		k->cls = K_NULL;
	}
}

size_t
skey_extra(const struct skey *k)
{
	return k->cls == K_STR || k->cls == K_OTHER ? k->len : 0;
}

size_t
skey_copy(struct skey *dst, const struct skey *k, char *mem)
{
	size_t n = skey_extra(k);

	*dst = *k;
	if (k->cls == K_STR || k->cls == K_OTHER) {
		/* even when empty: never point back into the input line */
		if (n > 0)
			memcpy(mem, k->p, n);
		dst->p = mem;
	}
	return n;
}

static int
bytes_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/* Order of two non-null values, smallest first. */
static int
value_cmp(const struct skey *a, const struct skey *b)
{
	double ax, bx;

	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	switch (a->cls) {
	case K_NUM:
		if (!a->dbl && !b->dbl)
			return dec_cmp(&a->d, &b->d);
		ax = a->dbl ? a->x : dec_to_double(&a->d);
		bx = b->dbl ? b->x : dec_to_double(&b->d);
		return ax < bx ? -1 : ax > bx;
	case K_BOOL:
		return a->x < b->x ? -1 : a->x > b->x;
	case K_STR:
	case K_OTHER:
		return bytes_cmp(a->p, a->len, b->p, b->len);
	default:
		return 0;
	}
}

int
skeys_cmp(const struct skey *a, const struct skey *b)
{
	size_t i;
	int c;

	for (i = 0; i < conf.nby; i++) {
		if (a[i].cls == K_NULL || b[i].cls == K_NULL) {
			if (a[i].cls == b[i].cls)
				continue;
			return a[i].cls == K_NULL ? 1 : -1;
		}
		if ((c = value_cmp(&a[i], &b[i])) != 0)
			return conf.by[i].desc ? -c : c;
	}
	return 0;
}

void
json_canon_append(const struct jdoc *d, int t, struct buf *out,
    struct buf *tmp)
{
	const char *s;
	size_t n;

	if (t < 0) {
		buf_append(out, "null", 4);
		return;
	}
	if (jscan_type(d, t) == J_STRING && (d->tok[t].flags & JT_ESCAPED)) {
		jscan_str(d, t, tmp, &s, &n);
		jout_quote_buf(out, s, n);
		return;
	}
	s = jscan_raw(d, t, &n);
	buf_append(out, s, n);
}
