/*
 * tstamp.h: event times and durations (DESIGN.md section 4).
 *
 * A time is an int64_t count of microseconds since 1970-01-01T00:00:00Z.
 * Parsing accepts RFC 3339 / ISO 8601 text, PostgreSQL's timestamp text and
 * numbers counted from the epoch; formatting always writes RFC 3339 UTC with
 * "Z". Durations are microseconds too, written as concatenated
 * integer-and-unit terms: "500ms", "15s", "1h30m", "1d".
 */
#ifndef CDC_TSTAMP_H
#define CDC_TSTAMP_H

#include <stddef.h>
#include <stdint.h>

/* Longest text ts_format writes, NUL included
 * ("-0001-01-01T00:00:00.000000Z" fits). */
#define TS_STRLEN	32
#define DUR_STRLEN	48

/* The first and last times parsed and written: 0001-01-01T00:00:00Z and
 * 9999-12-31T23:59:59.999999Z. */
#define TS_MIN		(INT64_C(-719162) * 86400 * 1000000)
#define TS_MAX		(INT64_C(2932897) * 86400 * 1000000 - 1)

enum ts_unit { TS_S, TS_MS, TS_US, TS_NS };

/*
 * Parse a time in text of length n (not NUL-terminated) into *us.
 * Accepted, years 0001-9999:
 *   2026-11-22T10:00:01Z             "T", "t" or one space between date and time
 *   2026-11-22T10:00:01.250+01:00    1 to 9 fractional digits (beyond 6 the
 *                                    value is truncated towards the past)
 *   2026-11-22 10:00:01.25+00        PostgreSQL: zone as +hh, +hhmm, +hh:mm
 *   2026-11-22T10:00                 seconds optional; no zone means UTC
 *   2026-11-22                       a date alone is its midnight UTC
 * Month, day (leap years included), hour 0-23, minute 0-59, second 0-60
 * (60, a leap second, is the first second of the next minute as in
 * PostgreSQL) and zone offsets up to 15:59 are checked. Returns 0, or -1.
 */
int	ts_parse(const char *s, size_t n, int64_t *us);

/*
 * Parse JSON number text (integer or with fraction/exponent) counted in
 * `unit` from the epoch: 1763805601250 ms, 1763805601.25 s. Fractions of a
 * microsecond are truncated towards the past (floor). Returns 0, or -1 when
 * it is not a number or the result is outside years 0001-9999.
 */
int	ts_parse_number(const char *s, size_t n, enum ts_unit unit,
	    int64_t *us);

/* "s", "ms", "us", "ns" -> unit; 0, or -1 for any other name. */
int	ts_parse_unit(const char *name, enum ts_unit *unit);

/*
 * Write *us as RFC 3339 UTC: "2026-11-22T10:01:00.000Z", with 6 fractional
 * digits instead of 3 when the value has a sub-millisecond part. out must have
 * TS_STRLEN bytes; returns the length (no NUL counted).
 */
size_t	ts_format(int64_t us, char *out);

/*
 * Parse a duration: an optional sign, then one or more terms of a decimal
 * integer and a unit (us, ms, s, m, h, d), largest unit first, each unit at
 * most once: "500ms", "-15s", "1h30m", "1d12h". NUL-terminated. Returns 0, or
 * -1 on bad syntax or int64 overflow.
 */
int	dur_parse(const char *s, int64_t *us);

/* Write a duration in the same syntax, shortest form ("1h30m", "0s",
 * "-250ms", "1500us"): whole seconds as d, h, m, s terms, the rest as one ms
 * term, or us when not whole milliseconds ("1m1s500ms", "1s250us"). out must
 * have DUR_STRLEN bytes; returns the length. */
size_t	dur_format(int64_t us, char *out);

#endif
