/*
 * rank.c: the order top-n ranks rows by.
 *
 * A --by key's value is read once per row into a struct skey: numbers as
 * exact decimals (struct dec; beyond 38 digits their text, compared digit
 * by digit), strings as their unescaped bytes, so comparing a row with the
 * current N-th best costs no parsing on the common path and never goes
 * through a double. Values of different kinds order numbers < strings <
 * booleans < objects and arrays; the direction reverses that, but null and
 * missing values always come last (SQL's NULLS LAST).
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "jout.h"
#include "topn.h"

int
skey_read(const struct jdoc *d, int t, struct skey *k, struct buf *scratch)
{
	const char *s;
	size_t n;

	k->wide = 0;
	k->b = 0;
	k->len = 0;
	k->p = NULL;
	switch (jscan_type(d, t)) {
	case J_NUMBER:
		k->cls = K_NUM;
		s = jscan_raw(d, t, &n);
		switch (dec_parse(&k->d, s, n)) {
		case 0:
			break;
		case DEC_WIDE:
			k->wide = 1;
			k->p = s;
			k->len = n;
			break;
		default:
			return -1;
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
		k->b = jscan_type(d, t) == J_TRUE;
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
	return 0;
}

/* Whether k's bytes live at p (and must be copied with it). */
static int
skey_has_bytes(const struct skey *k)
{
	return k->cls == K_STR || k->cls == K_OTHER || k->wide;
}

size_t
skey_extra(const struct skey *k)
{
	return skey_has_bytes(k) ? k->len : 0;
}

size_t
skey_copy(struct skey *dst, const struct skey *k, char *mem)
{
	size_t n = skey_extra(k);

	*dst = *k;
	if (skey_has_bytes(k)) {
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

/* The text of number key k: its own, or the fast value written out in
 * text (DEC_STRLEN bytes). */
static const char *
num_text(const struct skey *k, char *text, size_t *len)
{
	if (k->wide) {
		*len = k->len;
		return k->p;
	}
	*len = dec_format(&k->d, text);
	return text;
}

/* Order of two non-null values, smallest first. */
static int
value_cmp(const struct skey *a, const struct skey *b)
{
	char at[DEC_STRLEN], bt[DEC_STRLEN];
	const char *as, *bs;
	size_t al, bl;

	if (a->cls != b->cls)
		return a->cls < b->cls ? -1 : 1;
	switch (a->cls) {
	case K_NUM:
		if (!a->wide && !b->wide)
			return dec_cmp(&a->d, &b->d);
		/* beyond 38 digits: exactly, digit by digit */
		as = num_text(a, at, &al);
		bs = num_text(b, bt, &bl);
		return dec_text_cmp(as, al, bs, bl);
	case K_BOOL:
		return (a->b > b->b) - (a->b < b->b);
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
