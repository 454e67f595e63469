/*
 * fuzz_tstamp.c: libFuzzer target for the time, duration and decimal code.
 *
 * Every input goes to ts_parse, ts_parse_number in each unit, dur_parse and
 * dec_parse. Whatever parses must survive a round trip through the matching
 * formatter unchanged, and decimal arithmetic must agree with itself; any
 * violation aborts so the fuzzer keeps the input. Bytes before the first
 * space and after it are also tried as a pair of decimals.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "diag.h"
#include "tstamp.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	fuzz_require(int, const char *, const char *, size_t);
static void	fuzz_time(const char *, size_t);
static void	fuzz_duration(const char *);
static void	fuzz_decimal(const char *, size_t);
static void	fuzz_decimal_pair(const char *, size_t, const char *,
		    size_t);
static void	fuzz_raw(const uint8_t *, size_t);

static void
fuzz_require(int ok, const char *what, const char *s, size_t n)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_tstamp: invariant failed: %s: \"%.*s\"\n",
	    what, (int)n, s);
	abort();
}

static void
fuzz_time(const char *s, size_t n)
{
	static const enum ts_unit units[] = { TS_S, TS_MS, TS_US, TS_NS };
	char out[TS_STRLEN];
	int64_t us, again;
	size_t i, len;

	if (ts_parse(s, n, &us) == 0) {
		len = ts_format(us, out);
		fuzz_require(len < TS_STRLEN && len == strlen(out),
		    "ts_format length", s, n);
		fuzz_require(ts_parse(out, len, &again) == 0,
		    "ts_parse of ts_format", out, len);
		fuzz_require(again == us, "ts_parse round trip", s, n);
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ts_parse_number(s, n, units[i], &us) != 0)
			continue;
		len = ts_format(us, out);
		fuzz_require(ts_parse(out, len, &again) == 0 && again == us,
		    "ts_parse_number round trip", s, n);
	}
}

static void
fuzz_duration(const char *s)
{
	char out[DUR_STRLEN];
	int64_t us, again;
	size_t len;

	if (dur_parse(s, &us) != 0)
		return;
	len = dur_format(us, out);
	fuzz_require(len < DUR_STRLEN && len == strlen(out),
	    "dur_format length", s, strlen(s));
	fuzz_require(dur_parse(out, &again) == 0 && again == us,
	    "dur round trip", s, strlen(s));
}

static void
fuzz_decimal(const char *s, size_t n)
{
	char out[DEC_STRLEN];
	struct dec d, again, r, one;
	size_t len;

	if (dec_parse(&d, s, n) != 0)
		return;
	fuzz_require(d.scale >= 0 && d.scale <= DEC_MAX_SCALE,
	    "dec_parse scale", s, n);
	len = dec_format(&d, out);
	fuzz_require(len < DEC_STRLEN && len == strlen(out),
	    "dec_format length", s, n);
	fuzz_require(dec_parse(&again, out, len) == 0, "dec_parse of format",
	    out, len);
	fuzz_require(dec_cmp(&again, &d) == 0 && again.scale == d.scale &&
	    again.coef == d.coef, "dec round trip", s, n);

	/* a - a is zero at a's scale; a / 1 and rescaling to its own scale
	 * give a back. */
	fuzz_require(dec_sub(&r, &d, &d) == 0 && dec_is_zero(&r) &&
	    r.scale == d.scale, "a - a", s, n);
	dec_from_i64(&one, 1);
	fuzz_require(dec_div(&r, &d, &one, d.scale) == 0 &&
	    dec_cmp(&r, &d) == 0 && r.scale == d.scale, "a / 1", s, n);
	fuzz_require(dec_rescale(&r, &d, d.scale) == 0 && r.coef == d.coef,
	    "rescale to own scale", s, n);
}

static void
fuzz_decimal_pair(const char *s1, size_t n1, const char *s2, size_t n2)
{
	struct dec a, b, sum, back, diff, q;
	int c;

	if (dec_parse(&a, s1, n1) != 0 || dec_parse(&b, s2, n2) != 0)
		return;
	c = dec_cmp(&a, &b);
	fuzz_require((c > 0) - (c < 0) == -((dec_cmp(&b, &a) > 0) -
	    (dec_cmp(&b, &a) < 0)), "dec_cmp antisymmetric", s1, n1 + 1 + n2);
	if (dec_sub(&diff, &a, &b) == 0) {
		dec_from_i64(&q, 0);
		fuzz_require((dec_cmp(&diff, &q) > 0) - (dec_cmp(&diff, &q) <
		    0) == (c > 0) - (c < 0), "sign of a - b", s1,
		    n1 + 1 + n2);
	}
	if (dec_add(&sum, &a, &b) == 0 && dec_sub(&back, &sum, &b) == 0)
		fuzz_require(dec_cmp(&back, &a) == 0, "(a + b) - b", s1,
		    n1 + 1 + n2);
	if (!dec_is_zero(&b) && dec_div(&q, &a, &b, 0) == 0 &&
	    dec_is_zero(&a))
		fuzz_require(dec_is_zero(&q), "0 / b", s1, n1 + 1 + n2);
}

/* Arbitrary 64-bit values through the formatters. */
static void
fuzz_raw(const uint8_t *data, size_t size)
{
	char out[DUR_STRLEN > TS_STRLEN ? DUR_STRLEN : TS_STRLEN];
	uint64_t bits = 0;
	int64_t v, again;
	size_t i, len;

	if (size < 8)
		return;
	for (i = 0; i < 8; i++)
		bits = bits << 8 | data[i];
	v = (int64_t)bits;
	len = ts_format(v, out);
	fuzz_require(len < TS_STRLEN && len == strlen(out), "ts_format raw",
	    out, len);
	if (ts_parse(out, len, &again) == 0)
		fuzz_require(again == v, "ts_format raw round trip", out, len);
	len = dur_format(v, out);
	fuzz_require(len < DUR_STRLEN && dur_parse(out, &again) == 0 &&
	    again == v, "dur_format raw round trip", out, len);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	const char *sp;
	char *copy;

	fuzz_time(s, size);
	fuzz_decimal(s, size);
	sp = memchr(s, ' ', size);
	if (sp != NULL)
		fuzz_decimal_pair(s, (size_t)(sp - s), sp + 1,
		    size - (size_t)(sp - s) - 1);

	/* dur_parse wants a C string. */
	copy = xmalloc(size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	fuzz_duration(copy);
	free(copy);

	fuzz_raw(data, size);
	return 0;
}
