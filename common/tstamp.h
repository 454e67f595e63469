/*
 * tstamp.h: event times and durations (DESIGN.md section 4).
 *
 * A time is an int64_t count of microseconds since 1970-01-01T00:00:00Z,
 * with PostgreSQL's infinities as the two ends of the type: TS_NINF is
 * "-infinity", TS_INF "infinity", and every finite time lies between
 * TS_MIN and TS_MAX (DuckDB's TIMESTAMP range, about 290,000 years either
 * side of 1970). A date alone is a count of days since 1970-01-01, with
 * the same two infinities, over a wider range (TS_DATE_MIN, TS_DATE_MAX:
 * DuckDB's DATE, which holds every PostgreSQL date).
 *
 * Parsing accepts RFC 3339 / ISO 8601 text, ISO 8601 expanded years,
 * PostgreSQL's timestamp text (BC, years past 9999, infinities) and numbers
 * counted from the epoch; formatting writes RFC 3339 UTC with "Z", with an
 * expanded year ("+10000", "-0044") outside years 0000-9999 and "infinity"
 * or "-infinity" for the infinities. Durations are microseconds too, written
 * as concatenated integer-and-unit terms: "500ms", "15s", "1h30m", "1d".
 *
 * Year numbering is astronomical, as in ISO 8601: year 0000 is 1 BC and
 * -0044 is 45 BC, which PostgreSQL writes "0045-03-15 BC".
 */
#ifndef CDC_TSTAMP_H
#define CDC_TSTAMP_H

#include <stddef.h>
#include <stdint.h>

/* Longest text ts_format and ts_normalize write, NUL included
 * ("+294247-01-10T04:00:54.775806Z" fits), and ts_format_date. */
#define TS_STRLEN	40
#define TS_DATE_STRLEN	16
#define DUR_STRLEN	48

/* The infinities, and the first and last finite times:
 * -290308-12-22T00:00:00Z and +294247-01-10T04:00:54.775806Z. */
#define TS_NINF		INT64_MIN
#define TS_INF		INT64_MAX
#define TS_MIN		(INT64_C(-106751991) * 86400 * 1000000)
#define TS_MAX		(INT64_MAX - 1)
/* The first and last finite dates, in days: -5877641-06-25 and
 * +5881580-07-10 (a 32-bit count less the two values that stand for the
 * infinities in Parquet). */
#define TS_DATE_MIN	INT64_C(-2147483646)
#define TS_DATE_MAX	INT64_C(2147483646)

/* 1 when t is a finite time (or date), not one of the infinities. */
#define TS_FINITE(t)	((t) != TS_NINF && (t) != TS_INF)

/* Results of the parsers besides 0: the text is not a time at all, or it
 * is one outside the range that can be held. */
#define TS_EBAD		(-1)
#define TS_ERANGE	(-2)

enum ts_unit { TS_S, TS_MS, TS_US, TS_NS };

/*
 * Parse a time in text of length n (not NUL-terminated) into *us.
 * Accepted:
 *   2026-11-22T10:00:01Z             "T", "t" or one space between date and time
 *   2026-11-22T10:00:01.250+01:00    1 to 9 fractional digits (beyond 6 the
 *                                    value is truncated towards the past)
 *   2026-11-22 10:00:01.25+00        PostgreSQL: zone as +hh, +hhmm, +hh:mm
 *                                    or +hh:mm:ss (a local mean time)
 *   2026-11-22T10:00                 seconds optional; no zone means UTC
 *   2026-11-22                       a date alone is its midnight UTC
 *   +10000-01-01T00:00:00Z           ISO 8601 expanded years: a sign and 4
 *   -0044-03-15T12:00:00Z            to 7 digits (-0044 is 45 BC)
 *   10000-01-01 00:00:00+00          PostgreSQL's years past 9999: 5 to 7
 *                                    digits, no sign, no leading zero
 *   0045-03-15 12:00:00+00 BC        PostgreSQL's era: " BC" at the very
 *                                    end, after a year from 0001 (1 BC)
 *   infinity, -infinity              (also "+infinity"; any case, as
 *                                    PostgreSQL reads them): TS_INF, TS_NINF
 * Month, day (leap years included, year 0000 being one), hour 0-23, minute
 * 0-59, second 0-60 (60, a leap second, is the first second of the next
 * minute as in PostgreSQL) and zone offsets up to 15:59:59 are checked.
 * Returns 0; TS_EBAD when the text is not a time; TS_ERANGE when it is a
 * finite time outside [TS_MIN, TS_MAX]. *us is only set on success.
 */
int	ts_parse(const char *s, size_t n, int64_t *us);

/*
 * Parse a date alone, in any form ts_parse reads without a time of day
 * ("2026-11-22", "+10000-01-01", "-0044-03-15", "0045-03-15 BC",
 * "infinity"), into days since 1970-01-01 (TS_INF and TS_NINF for the
 * infinities). Returns 0, TS_EBAD, or TS_ERANGE outside [TS_DATE_MIN,
 * TS_DATE_MAX].
 */
int	ts_parse_date(const char *s, size_t n, int64_t *days);

/*
 * Parse JSON number text (integer or with fraction/exponent) counted in
 * `unit` from the epoch: 1763805601250 ms, 1763805601.25 s. Fractions of a
 * microsecond are truncated towards the past (floor). Returns 0, TS_EBAD
 * when it is not a number, or TS_ERANGE when the time is outside [TS_MIN,
 * TS_MAX] (a number is never an infinity).
 */
int	ts_parse_number(const char *s, size_t n, enum ts_unit unit,
	    int64_t *us);

/* "s", "ms", "us", "ns" -> unit; 0, or -1 for any other name. */
int	ts_parse_unit(const char *name, enum ts_unit *unit);

/* What a parser's result says, for a message: "not a timestamp",
 * "timestamp out of range" (a static string). */
const char *ts_strerror(int rc);

/*
 * Write us as RFC 3339 UTC: "2026-11-22T10:01:00.000Z", with 6 fractional
 * digits instead of 3 when the value has a sub-millisecond part; years
 * outside 0000-9999 expanded ("+10000-01-01T00:00:00.000Z",
 * "-0044-03-15T12:00:00.000Z"); TS_INF and TS_NINF as "infinity" and
 * "-infinity". out must have TS_STRLEN bytes; returns the length (no NUL
 * counted). ts_parse reads back every text it writes for a time in
 * [TS_MIN, TS_MAX] or an infinity.
 */
size_t	ts_format(int64_t us, char *out);

/* Write a day count as "2026-11-22", "+10000-01-01", "-0044-03-15",
 * "infinity" or "-infinity" (years as ts_format). out must have
 * TS_DATE_STRLEN bytes; returns the length. */
size_t	ts_format_date(int64_t days, char *out);

/*
 * Rewrite the time text s[0..n), in any form ts_parse reads, as ts_format
 * would write it, also for a time past [TS_MIN, TS_MAX] that no int64_t of
 * microseconds holds (PostgreSQL's timestamps go to 294276 AD). out must
 * have TS_STRLEN bytes; returns the length, or 0 when s is not a time or
 * its day is outside [TS_DATE_MIN, TS_DATE_MAX].
 */
size_t	ts_normalize(const char *s, size_t n, char *out);

/*
 * t + d, for a time t and a duration d, where a bound is wanted rather than
 * an exact time (watermarks, release times): an infinite t stays as it is,
 * and a finite sum beyond the finite range stops at TS_MIN or TS_MAX.
 */
int64_t	ts_add_sat(int64_t t, int64_t d);

/* t - d in the same way, for any d (INT64_MIN, whose negation no int64_t
 * holds, included). */
int64_t	ts_sub_sat(int64_t t, int64_t d);

/* t + d into *out for a finite time t: 0, or -1 when t is infinite or the
 * sum is outside [TS_MIN, TS_MAX] (window bounds, which must be exact). */
int	ts_add(int64_t t, int64_t d, int64_t *out);

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
