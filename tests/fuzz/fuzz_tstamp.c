/*
 * fuzz_tstamp.c: libFuzzer target for the time, duration and decimal code
 * (the wide decimal path has its own target, fuzz_decimal.c).
 *
 * Every input goes to ts_parse, ts_parse_date, ts_normalize, ts_parse_number
 * in each unit, dur_parse and dec_parse. Whatever parses must survive a round
 * trip through the matching formatter unchanged (expanded years, BC and the
 * infinities included), ts_add and ts_add_sat must stay in range, and
 * decimal arithmetic must agree with itself; any violation aborts so the
 * fuzzer keeps the input. Bytes before the first
 * space and after it are also tried as a pair of decimals.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decimal.h"
#include "diag.h"
#include "tstamp.h"
#define FUZZ_NAME	"fuzz_tstamp"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	fuzz_time(const char *, size_t);
static void	fuzz_duration(const char *);
static void	fuzz_decimal(const char *, size_t);
static void	fuzz_decimal_pair(const char *, size_t, const char *,
		    size_t);
static void	fuzz_raw(const uint8_t *, size_t);

static void
fuzz_time(const char *s, size_t n)
{
	static const enum ts_unit units[] = { TS_S, TS_MS, TS_US, TS_NS };
	char out[TS_STRLEN], norm[TS_STRLEN], again_text[TS_STRLEN];
	int64_t us, again, days;
	size_t i, len, nlen;
	int rc;

	rc = ts_parse(s, n, &us);
	fuzz_require(rc == 0 || rc == TS_EBAD || rc == TS_ERANGE,
	    "ts_parse result", s, n);
	nlen = ts_normalize(s, n, norm);
	fuzz_require(nlen < TS_STRLEN && (rc != 0 || nlen > 0) &&
	    (rc != TS_EBAD || nlen == 0), "ts_normalize agrees with ts_parse",
	    s, n);
	if (rc == 0) {
		fuzz_require(us >= TS_MIN && us <= TS_MAX ? 1 :
		    !TS_FINITE(us), "ts_parse range", s, n);
		len = ts_format(us, out);
		fuzz_require(len < TS_STRLEN && len == strlen(out),
		    "ts_format length", s, n);
		fuzz_require(ts_parse(out, len, &again) == 0,
		    "ts_parse of ts_format", out, len);
		fuzz_require(again == us, "ts_parse round trip", s, n);
		/* the same text, whether through an int64_t or not */
		fuzz_require(nlen == len && memcmp(norm, out, len) == 0,
		    "ts_normalize is ts_format", s, n);
	}
	if (nlen > 0) {
		/* what ts_normalize writes reads back the same, in or out
		 * of range */
		fuzz_require(ts_normalize(norm, nlen, again_text) == nlen &&
		    memcmp(norm, again_text, nlen) == 0,
		    "ts_normalize round trip", norm, nlen);
	}
	rc = ts_parse_date(s, n, &days);
	fuzz_require(rc == 0 || rc == TS_EBAD || rc == TS_ERANGE,
	    "ts_parse_date result", s, n);
	if (rc == 0) {
		fuzz_require(!TS_FINITE(days) || (days >= TS_DATE_MIN &&
		    days <= TS_DATE_MAX), "ts_parse_date range", s, n);
		len = ts_format_date(days, out);
		fuzz_require(len < TS_DATE_STRLEN && len == strlen(out),
		    "ts_format_date length", s, n);
		fuzz_require(ts_parse_date(out, len, &again) == 0 &&
		    again == days, "ts_parse_date round trip", s, n);
		/* a date is also a time: its midnight, when in range */
		if (ts_parse(s, n, &us) == 0)
			fuzz_require(TS_FINITE(days) ? us / 86400000000 ==
			    days && us % 86400000000 == 0 : us == days,
			    "date and time agree", s, n);
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (ts_parse_number(s, n, units[i], &us) != 0)
			continue;
		fuzz_require(us >= TS_MIN && us <= TS_MAX,
		    "ts_parse_number range", s, n);
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
	/* every finite time and the infinities read back exactly */
	if (!TS_FINITE(v) || (v >= TS_MIN && v <= TS_MAX))
		fuzz_require(ts_parse(out, len, &again) == 0 && again == v,
		    "ts_format raw round trip", out, len);
	else if (ts_parse(out, len, &again) == 0)
		fuzz_require(again == v, "ts_format raw round trip", out, len);
	/* bounds never leave the finite range, nor overflow */
	again = ts_add_sat(v, (int64_t)(bits * 0x9e3779b97f4a7c15u));
	fuzz_require(!TS_FINITE(v) ? again == v : again >= TS_MIN &&
	    again <= TS_MAX, "ts_add_sat range", out, len);
	if ((v >= TS_MIN && v <= TS_MAX) || !TS_FINITE(v)) {
		int64_t d = (int64_t)(bits >> 17) - (INT64_C(1) << 46), r, sum;
		int ovf = __builtin_add_overflow(v, d, &sum);

		if (ts_add(v, d, &r) == 0)
			fuzz_require(!ovf && r == sum && r >= TS_MIN &&
			    r <= TS_MAX, "ts_add exact", out, len);
		else
			fuzz_require(!TS_FINITE(v) || ovf || sum < TS_MIN ||
			    sum > TS_MAX, "ts_add refused", out, len);
	}
	if (v >= TS_DATE_MIN && v <= TS_DATE_MAX) {
		len = ts_format_date(v, out);
		fuzz_require(len < TS_DATE_STRLEN && ts_parse_date(out, len,
		    &again) == 0 && again == v, "ts_format_date raw round trip",
		    out, len);
	}
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
