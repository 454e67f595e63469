/*
 * fuzz_diag.c: libFuzzer target for diag_one_line, through which every
 * message with text from outside (a server's error, a name from a catalog,
 * a value from a line) reaches stderr.
 *
 * For every capacity from 1 to 64 and one larger than any expansion, the
 * output must stay within its bound, be NUL-terminated at the length
 * returned, hold no control byte (so it is one line) and be well-formed
 * UTF-8. ASan watches the writes: the output buffer is exactly cap bytes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	check(const char *, size_t, size_t);

static void
check(const char *out, size_t len, size_t cap)
{
	const unsigned char *p = (const unsigned char *)out;
	size_t i = 0, k;

	if (len >= cap || out[len] != '\0' || strlen(out) != len)
		abort();
	while (i < len) {
		if (p[i] < 0x20 || p[i] == 0x7F)
			abort();
		if (p[i] < 0x80)
			k = 1;
		else if (p[i] >= 0xC2 && p[i] <= 0xDF)
			k = 2;
		else if (p[i] >= 0xE0 && p[i] <= 0xEF)
			k = 3;
		else if (p[i] >= 0xF0 && p[i] <= 0xF4)
			k = 4;
		else
			abort();
		if (i + k > len)
			abort();
		if (k >= 3 && ((p[i] == 0xE0 && p[i + 1] < 0xA0) ||
		    (p[i] == 0xED && p[i + 1] > 0x9F) ||
		    (p[i] == 0xF0 && p[i + 1] < 0x90) ||
		    (p[i] == 0xF4 && p[i + 1] > 0x8F)))
			abort();
		for (i++, k--; k > 0; i++, k--)
			if ((p[i] & 0xC0) != 0x80)
				abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cap, len;
	char *out;

	for (cap = 1; cap <= 64; cap++) {
		out = malloc(cap);
		len = diag_one_line(out, cap, (const char *)data, size);
		check(out, len, cap);
		free(out);
	}
	cap = 4 * size + 4;
	out = malloc(cap);
	len = diag_one_line(out, cap, (const char *)data, size);
	check(out, len, cap);
	/* room for every expansion: nothing cut, so "..." at the end is
	 * the input's own (line breaks at its end are dropped) */
	while (size > 0 && (data[size - 1] == '\n' || data[size - 1] == '\r'))
		size--;
	if (len >= 3 && memcmp(out + len - 3, "...", 3) == 0 &&
	    (size < 3 || memcmp(data + size - 3, "...", 3) != 0))
		abort();
	free(out);
	return 0;
}
