/*
 * base64.c: RFC 4648 base64 encoding.
 */
#include "base64.h"

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void
base64_append(struct buf *out, const void *p, size_t n)
{
	const unsigned char *s = p;
	char q[4];
	unsigned long v;

	buf_grow(out, (n + 2) / 3 * 4);
	for (; n >= 3; s += 3, n -= 3) {
		v = (unsigned long)s[0] << 16 | (unsigned long)s[1] << 8 | s[2];
		q[0] = alphabet[v >> 18];
		q[1] = alphabet[v >> 12 & 63];
		q[2] = alphabet[v >> 6 & 63];
		q[3] = alphabet[v & 63];
		buf_append(out, q, 4);
	}
	if (n > 0) {
		v = (unsigned long)s[0] << 16;
		if (n == 2)
			v |= (unsigned long)s[1] << 8;
		q[0] = alphabet[v >> 18];
		q[1] = alphabet[v >> 12 & 63];
		q[2] = n == 2 ? alphabet[v >> 6 & 63] : '=';
		q[3] = '=';
		buf_append(out, q, 4);
	}
}
