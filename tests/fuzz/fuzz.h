/*
 * fuzz.h: what the libFuzzer targets share (tests/fuzz/fuzz_*.c).
 *
 * A target defines FUZZ_NAME ("fuzz_unwrap") before including this. An
 * invariant that fails prints the target, what failed and the text it
 * failed on (cut at 500 bytes), then aborts, so libFuzzer keeps the input.
 * fuzz_check_lines holds a tool's output to the stream contract: whole
 * lines, each one JSON object in UTF-8, and with unique set, no member name
 * twice.
 *
 *	#define FUZZ_NAME "fuzz_pgoutput"
 *	#include "fuzz.h"
 *	fuzz_require(rc == 0, "refused a good message", p, n);
 */
#ifndef CDC_FUZZ_H
#define CDC_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jscan.h"

#ifndef FUZZ_NAME
#error "define FUZZ_NAME before including fuzz.h"
#endif

static void	fuzz_require(int, const char *, const void *, size_t)
		    __attribute__((unused));
static void	fuzz_check_lines(const char *, size_t, int)
		    __attribute__((unused));

static void
fuzz_require(int ok, const char *what, const void *text, size_t n)
{
	if (ok)
		return;
	fprintf(stderr, "%s: invariant failed: %s: \"%.*s\"\n", FUZZ_NAME,
	    what, (int)(n > 500 ? 500 : n), (const char *)text);
	abort();
}

static void
fuzz_check_lines(const char *p, size_t n, int unique)
{
	static struct jdoc doc = JDOC_INIT;
	const char *nl, *a, *b;
	size_t len, an, bn;
	int k, j;

	fuzz_require(n == 0 || p[n - 1] == '\n', "output ends mid-line", p,
	    n);
	while (n > 0) {
		nl = memchr(p, '\n', n);
		len = (size_t)(nl - p);
		fuzz_require(jscan_parse(&doc, p, len) == 0, "not JSON", p,
		    len);
		fuzz_require(jscan_type(&doc, 0) == J_OBJECT, "not an object",
		    p, len);
		fuzz_require(jscan_utf8_valid(p, len), "not UTF-8", p, len);
		for (k = unique ? jscan_child(&doc, 0) : -1; k >= 0;
		    k = jscan_after(&doc, 0, k + 1))
			for (j = jscan_child(&doc, 0); j >= 0 && j < k;
			    j = jscan_after(&doc, 0, j + 1)) {
				a = jscan_raw(&doc, j, &an);
				b = jscan_raw(&doc, k, &bn);
				fuzz_require(an != bn || memcmp(a, b, an) != 0,
				    "a member name twice", p, len);
			}
		n -= len + 1;
		p = nl + 1;
	}
}

#endif
