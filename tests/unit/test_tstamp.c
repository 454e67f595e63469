/*
 * test_tstamp.c: unit tests for timestamp and duration parsing/formatting.
 *
 * Expected values were worked out independently of the code under test
 * (by calendar, not by calling it); the day-by-day walk over years 1-9999
 * checks the calendar arithmetic against nothing but month lengths.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "tstamp.h"
#include "unit.h"

/* 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z */
#define MIN_US	INT64_C(-62135596800000000)
#define MAX_US	INT64_C(253402300799999999)
#define DAY_US	INT64_C(86400000000)

struct parse_case {
	const char	*text;
	int64_t		 us;
};

struct number_case {
	const char	*text;
	enum ts_unit	 unit;
	int		 ok;
	int64_t		 us;
};

struct format_case {
	int64_t		 us;
	const char	*text;
};

static int	parse(const char *, int64_t *);
static int	parse_num(const char *, enum ts_unit, int64_t *);
static void	test_parse_ok(void);
static void	test_parse_bad(void);
static void	test_parse_length(void);
static void	test_calendar_walk(void);
static void	test_format(void);
static void	test_round_trip(void);
static void	test_number(void);
static void	test_unit(void);
static void	test_dur_parse(void);
static void	test_dur_format(void);
static void	test_dur_round_trip(void);


static int
parse(const char *s, int64_t *us)
{
	return ts_parse(s, strlen(s), us);
}

static int
parse_num(const char *s, enum ts_unit unit, int64_t *us)
{
	return ts_parse_number(s, strlen(s), unit, us);
}

static void
test_parse_ok(void)
{
	static const struct parse_case cases[] = {
		/* separators */
		{ "2026-11-22T10:00:01Z", INT64_C(1795341601000000) },
		{ "2026-11-22t10:00:01Z", INT64_C(1795341601000000) },
		{ "2026-11-22 10:00:01Z", INT64_C(1795341601000000) },
		/* zone forms */
		{ "2026-11-22T10:00:01z", INT64_C(1795341601000000) },
		{ "2026-11-22T10:00:01", INT64_C(1795341601000000) },
		{ "2026-11-22T10:00:01+00", INT64_C(1795341601000000) },
		{ "2026-11-22T10:00:01-00:00", INT64_C(1795341601000000) },
		{ "2026-11-22T10:00:01+0000", INT64_C(1795341601000000) },
		{ "2026-11-22T10:00:01.250+01:00", INT64_C(1795338001250000) },
		{ "2026-11-22T10:00:01.250+0100", INT64_C(1795338001250000) },
		{ "2026-11-22T10:00:01.250+01", INT64_C(1795338001250000) },
		{ "2026-11-22T10:00:01.250-0530", INT64_C(1795361401250000) },
		{ "2026-11-22T10:00:01.250-05:30", INT64_C(1795361401250000) },
		{ "2026-11-22T10:00:01.123456+15:59",
		    INT64_C(1795284061123456) },
		{ "2026-11-22T10:00:01.123456-15:59",
		    INT64_C(1795399141123456) },
		/* PostgreSQL text */
		{ "2026-11-22 10:00:01.25+00", INT64_C(1795341601250000) },
		{ "2026-11-22 10:00:01.25", INT64_C(1795341601250000) },
		{ "2025-11-22 10:00:01.25+00", INT64_C(1763805601250000) },
		/* seconds optional, date alone */
		{ "2026-11-22T10:00", INT64_C(1795341600000000) },
		{ "2026-11-22T10:00Z", INT64_C(1795341600000000) },
		{ "2026-11-22 10:00+01", INT64_C(1795338000000000) },
		{ "2026-11-22", INT64_C(1795305600000000) },
		/* 1 to 9 fractional digits */
		{ "2026-11-22T10:00:01.1Z", INT64_C(1795341601100000) },
		{ "2026-11-22T10:00:01.12Z", INT64_C(1795341601120000) },
		{ "2026-11-22T10:00:01.123Z", INT64_C(1795341601123000) },
		{ "2026-11-22T10:00:01.1234Z", INT64_C(1795341601123400) },
		{ "2026-11-22T10:00:01.12345Z", INT64_C(1795341601123450) },
		{ "2026-11-22T10:00:01.123456Z", INT64_C(1795341601123456) },
		{ "2026-11-22T10:00:01.1234567Z", INT64_C(1795341601123456) },
		{ "2026-11-22T10:00:01.12345678Z", INT64_C(1795341601123456) },
		{ "2026-11-22T10:00:01.123456789Z", INT64_C(1795341601123456) },
		{ "2026-11-22T10:00:01.000000999Z", INT64_C(1795341601000000) },
		{ "2026-11-22T10:00:01.0Z", INT64_C(1795341601000000) },
		/* truncation beyond 6 digits is towards the past */
		{ "1969-12-31T23:59:59.9999995Z", -1 },
		{ "1969-12-31T23:59:59.999999999Z", -1 },
		{ "1969-12-31T23:59:59Z", -1000000 },
		{ "1969-12-31T23:59:59.000001Z", -999999 },
		{ "1970-01-01T00:00:00.0000009Z", 0 },
		{ "1970-01-01T00:00:00Z", 0 },
		{ "1970-01-01", 0 },
		/* leap years */
		{ "2024-02-29", INT64_C(1709164800000000) },
		{ "2000-02-29T12:00:00Z", INT64_C(951825600000000) },
		{ "1900-03-01", INT64_C(-2203891200000000) },
		{ "1583-10-15T01:02:03.456789Z", INT64_C(-12187753076543211) },
		/* leap second: the first second of the next minute */
		{ "2016-12-31T23:59:60Z", INT64_C(1483228800000000) },
		{ "2016-12-31T23:59:60.5Z", INT64_C(1483228800500000) },
		{ "2016-12-31T23:59:60.5+01:00", INT64_C(1483225200500000) },
		/* bounds of years 0001-9999 */
		{ "0001-01-01T00:00:00Z", MIN_US },
		{ "0001-01-01", MIN_US },
		{ "0001-01-01T15:59:00+15:59", MIN_US },
		{ "0001-01-01T00:00:00-00:01", MIN_US + 60000000 },
		{ "9999-12-31T23:59:59.999999Z", MAX_US },
		{ "9999-12-31T23:59:59.999999999Z", MAX_US },
		{ "9999-12-31T08:00:00-15:59", INT64_C(253402300740000000) },
		{ "9999-12-31T23:59:00+00:01", MAX_US - 59999999 - 60000000 },
	};
	size_t i;
	int64_t us;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		us = INT64_C(0x5a5a5a5a);
		if (parse(cases[i].text, &us) != 0) {
			fprintf(stderr, "rejected: \"%s\"\n", cases[i].text);
			CHECK(0);
			continue;
		}
		if (us != cases[i].us)
			fprintf(stderr, "\"%s\": got %" PRId64 ", want %"
			    PRId64 "\n", cases[i].text, us, cases[i].us);
		CHECK_INT(us, cases[i].us);
	}
}

static void
test_parse_bad(void)
{
	static const char *const bad[] = {
		"", "2024", "2024-01", "2024-1-01", "2024-01-1", "24-01-01",
		"2024/01/01", "+2024-01-01", "-2024-01-01", "02024-01-01",
		"2024-13-40", "2024-13-01", "2024-00-10", "2024-01-00",
		"2024-01-32", "2024-04-31", "2024-06-31", "2024-09-31",
		"2024-11-31",
		/* leap years */
		"2023-02-29", "1900-02-29", "2100-02-29", "2024-02-30",
		"2000-02-30",
		/* years outside 0001-9999 */
		"0000-01-01", "0000-12-31T23:59:59Z", "10000-01-01",
		"0001-01-01T00:00:00+00:01", "0001-01-01T00:59:59+01:00",
		"9999-12-31T23:59:60Z", "9999-12-31T23:59:00-00:01",
		"9999-12-31T16:00:00-08",
		/* time of day */
		"2026-11-22T24:00:00Z", "2026-11-22T24:00", "2026-11-22T23:60",
		"2026-11-22T10:00:61Z", "2026-11-22T10:00:99",
		"2026-11-22T1a:00",
		"2026-11-22T10:a0", "2026-11-22T10-00-00",
		/* missing or extra pieces */
		"2026-11-22T", "2026-11-22 ", " 2026-11-22", "2026-11-22T10",
		"2026-11-22T10:0", "2026-11-22T10:00:", "2026-11-22T10:00:1",
		"2026-11-22T10:00:01.", "2026-11-22T10:00:01.Z",
		"2026-11-22T10:00.5", "2026-11-22T10:00:01,5Z",
		"2026-11-22T10:00:01.1234567890Z", "2026-11-22Z",
		"2026-11-22+01:00", "2026-11-22x10:00", "2026-11-22  10:00",
		"2026-11-22T 10:00", "2026-11-22T10:00:01Zx",
		"2026-11-22T10:00:01ZZ", "2026-11-22T10:00:01 Z",
		"2026-11-22T10:00:01Z ", "2026-11-22T10:00:01\n",
		"2026-11-22T10:00:01UTC", "2026-11-22T10:00:01 +00",
		/* zones */
		"2026-11-22T10:00:01+", "2026-11-22T10:00:01+1",
		"2026-11-22T10:00:01+01:", "2026-11-22T10:00:01+01:0",
		"2026-11-22T10:00:01+013", "2026-11-22T10:00:01+01:00:00",
		"2026-11-22T10:00:01+16:00", "2026-11-22T10:00:01+16",
		"2026-11-22T10:00:01-24:00", "2026-11-22T10:00:01+01:60",
		"2026-11-22T10:00:01+0160", "2026-11-22T10:00:01+1:00",
		"2026-11-22T10:00:01Z+01", "2026-11-22T10:00:01++01",
		"2026-11-22T10:00:01+0a", "2026-11-22T10:00:01+01:0a",
		"now", "1763805601250",
	};
	size_t i;
	int64_t us;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		us = 12345;
		rc = parse(bad[i], &us);
		if (rc != -1)
			fprintf(stderr, "accepted: \"%s\"\n", bad[i]);
		CHECK_INT(rc, -1);
		CHECK_INT(us, 12345);		/* untouched on failure */
	}
}

/* The text is not NUL-terminated: only n bytes count. */
static void
test_parse_length(void)
{
	const char *s = "2026-11-22T10:00:01Zgarbage";
	char buf[10];
	int64_t us;

	CHECK_INT(ts_parse(s, 20, &us), 0);
	CHECK_INT(us, INT64_C(1795341601000000));
	CHECK_INT(ts_parse(s, 21, &us), -1);
	CHECK_INT(ts_parse(s, 19, &us), 0);
	CHECK_INT(ts_parse(s, 16, &us), 0);	/* "2026-11-22T10:00" */
	CHECK_INT(us, INT64_C(1795341600000000));
	CHECK_INT(ts_parse(s, 15, &us), -1);
	CHECK_INT(ts_parse(s, 0, &us), -1);
	memcpy(buf, "2026-11-22", 10);		/* no NUL at all */
	CHECK_INT(ts_parse(buf, 10, &us), 0);
	CHECK_INT(us, INT64_C(1795305600000000));
}

/*
 * Every date from 0001-01-01 to 9999-12-31, counted one day at a time from
 * nothing but month lengths: parse and format each, and reject day 0 and the
 * day after the last of each month.
 */
static void
test_calendar_walk(void)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	char text[40], want[64], got[TS_STRLEN];
	int y, m, d, last, leap, bad = 0, days = 0;
	int64_t expect = MIN_US, us;

	for (y = 1; y <= 9999; y++) {
		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		for (m = 1; m <= 12; m++) {
			last = mdays[m - 1] + (m == 2 && leap);
			for (d = 1; d <= last; d++, days++) {
				snprintf(text, sizeof(text), "%04d-%02d-%02d",
				    y, m, d);
				if (parse(text, &us) != 0 || us != expect) {
					if (bad++ == 0)
						fprintf(stderr, "walk: %s\n",
						    text);
				}
				snprintf(want, sizeof(want),
				    "%sT00:00:00.000Z", text);
				ts_format(expect, got);
				if (strcmp(got, want) != 0 && bad++ == 0)
					fprintf(stderr, "walk: %s: %s\n",
					    want, got);
				if (y == 1970 && m == 1 && d == 1)
					CHECK_INT(expect, 0);
				expect += DAY_US;
			}
			snprintf(text, sizeof(text), "%04d-%02d-%02d", y, m,
			    last + 1);
			if (parse(text, &us) != -1 && bad++ == 0)
				fprintf(stderr, "walk: accepted %s\n", text);
			snprintf(text, sizeof(text), "%04d-%02d-00", y, m);
			if (parse(text, &us) != -1 && bad++ == 0)
				fprintf(stderr, "walk: accepted %s\n", text);
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(days, 3652059);
	CHECK_INT(expect, MAX_US + 1);
}

static void
test_format(void)
{
	static const struct format_case cases[] = {
		{ 0, "1970-01-01T00:00:00.000Z" },
		{ 1, "1970-01-01T00:00:00.000001Z" },
		{ 999, "1970-01-01T00:00:00.000999Z" },
		{ 1000, "1970-01-01T00:00:00.001Z" },
		{ 1001, "1970-01-01T00:00:00.001001Z" },
		{ 250000, "1970-01-01T00:00:00.250Z" },
		{ -1, "1969-12-31T23:59:59.999999Z" },
		{ -1000, "1969-12-31T23:59:59.999Z" },
		{ -1000000, "1969-12-31T23:59:59.000Z" },
		{ -1000001, "1969-12-31T23:59:58.999999Z" },
		{ -DAY_US, "1969-12-31T00:00:00.000Z" },
		{ -DAY_US - 1, "1969-12-30T23:59:59.999999Z" },
		{ INT64_C(1763805601250000), "2025-11-22T10:00:01.250Z" },
		{ INT64_C(1795341660000000), "2026-11-22T10:01:00.000Z" },
		{ INT64_C(1709164800000000), "2024-02-29T00:00:00.000Z" },
		{ INT64_C(951825600000000), "2000-02-29T12:00:00.000Z" },
		{ INT64_C(-2203891200000000), "1900-03-01T00:00:00.000Z" },
		{ INT64_C(-12187753076543211), "1583-10-15T01:02:03.456789Z" },
		{ MIN_US, "0001-01-01T00:00:00.000Z" },
		{ MAX_US, "9999-12-31T23:59:59.999999Z" },
		{ MAX_US - 999, "9999-12-31T23:59:59.999Z" },
		/* outside 0001-9999 still formats, as ISO 8601 years */
		{ MIN_US - 1, "0000-12-31T23:59:59.999999Z" },
		{ MIN_US - 366 * DAY_US, "0000-01-01T00:00:00.000Z" },
		{ MIN_US - 731 * DAY_US, "-0001-01-01T00:00:00.000Z" },
		{ MAX_US + 1, "10000-01-01T00:00:00.000Z" },
		{ INT64_MAX, "294247-01-10T04:00:54.775807Z" },
		{ INT64_MIN, "-290308-12-21T19:59:05.224192Z" },
	};
	char out[TS_STRLEN];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'x', sizeof(out));
		n = ts_format(cases[i].us, out);
		CHECK_STR(out, cases[i].text);
		CHECK_INT(n, strlen(cases[i].text));
		CHECK(n < TS_STRLEN);
	}
}

static void
test_round_trip(void)
{
	static const char *const texts[][2] = {
		{ "2026-11-22 10:00:01.25+00", "2026-11-22T10:00:01.250Z" },
		{ "2026-11-22T10:00:01.250+01:00", "2026-11-22T09:00:01.250Z" },
		{ "2026-11-22T00:30:00+01:00", "2026-11-21T23:30:00.000Z" },
		{ "2026-12-31T23:30:00-01:00", "2027-01-01T00:30:00.000Z" },
		{ "2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00.000Z" },
		{ "2023-03-01T00:30:00+01:00", "2023-02-28T23:30:00.000Z" },
		{ "1969-07-20T20:17:40Z", "1969-07-20T20:17:40.000Z" },
		{ "1969-12-31T23:59:59.9999995Z",
		    "1969-12-31T23:59:59.999999Z" },
		{ "1900-01-01", "1900-01-01T00:00:00.000Z" },
		{ "1600-02-29T12:34:56.000789Z",
		    "1600-02-29T12:34:56.000789Z" },
		{ "0001-01-01T00:00:00.000001Z",
		    "0001-01-01T00:00:00.000001Z" },
		{ "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z" },
		{ "2016-12-31T23:59:60Z", "2017-01-01T00:00:00.000Z" },
		{ "2026-11-22T10:00", "2026-11-22T10:00:00.000Z" },
		{ "2026-11-22t10:00:00.1z", "2026-11-22T10:00:00.100Z" },
	};
	char out[TS_STRLEN];
	int64_t us, us2, v;
	size_t i;
	int bad = 0;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		CHECK_INT(parse(texts[i][0], &us), 0);
		ts_format(us, out);
		CHECK_STR(out, texts[i][1]);
		CHECK_INT(parse(out, &us2), 0);
		CHECK_INT(us2, us);
	}

	/* Random instants over the whole range, half of them whole ms. */
	for (i = 0; i < 200000; i++) {
		v = MIN_US + (int64_t)(unit_rand() %
		    (uint64_t)(MAX_US - MIN_US + 1));
		if (i % 2 == 0)
			v -= ((v % 1000) + 1000) % 1000;
		if (v < MIN_US)
			v = MIN_US;
		ts_format(v, out);
		if ((parse(out, &us) != 0 || us != v) && bad++ == 0)
			fprintf(stderr, "round trip: %" PRId64 " %s\n", v,
			    out);
		if (strlen(out) != (v % 1000 == 0 ? 24u : 27u) &&
		    bad++ == 0)
			fprintf(stderr, "length: %s\n", out);
	}
	CHECK_INT(bad, 0);
}

static void
test_number(void)
{
	static const struct number_case cases[] = {
		/* integers in each unit, exact */
		{ "1763805601250", TS_MS, 1, INT64_C(1763805601250000) },
		{ "1763805601", TS_S, 1, INT64_C(1763805601000000) },
		{ "1763805601250000", TS_US, 1, INT64_C(1763805601250000) },
		{ "1763805601250000000", TS_NS, 1, INT64_C(1763805601250000) },
		{ "1763805601250000999", TS_NS, 1, INT64_C(1763805601250000) },
		{ "1763805601250001", TS_US, 1, INT64_C(1763805601250001) },
		{ "1763805601250", TS_US, 1, INT64_C(1763805601250) },
		{ "0", TS_S, 1, 0 },
		{ "0", TS_NS, 1, 0 },
		{ "-0", TS_MS, 1, 0 },
		{ "-0.0", TS_S, 1, 0 },
		/* fractions and exponents, exact */
		{ "1763805601.25", TS_S, 1, INT64_C(1763805601250000) },
		{ "1763805601.250000000000000000000000000000000000000", TS_S, 1,
		    INT64_C(1763805601250000) },
		{ "1763805601250.5", TS_MS, 1, INT64_C(1763805601250500) },
		{ "1763805601250.0009", TS_MS, 1, INT64_C(1763805601250000) },
		{ "1.76380560125e12", TS_MS, 1, INT64_C(1763805601250000) },
		{ "1.76380560125E9", TS_S, 1, INT64_C(1763805601250000) },
		{ "1.76380560125e+9", TS_S, 1, INT64_C(1763805601250000) },
		{ "176380560125e-2", TS_S, 1, INT64_C(1763805601250000) },
		{ "176380560125000000000e-8", TS_MS, 1,
		    INT64_C(1763805601250000) },
		{ "1e3", TS_MS, 1, 1000000 },
		{ "1E0", TS_S, 1, 1000000 },
		{ "0.000001", TS_S, 1, 1 },
		{ "0.0000019", TS_S, 1, 1 },
		{ "0.0000005", TS_S, 1, 0 },
		{ "1", TS_NS, 1, 0 },
		{ "999", TS_NS, 1, 0 },
		{ "1000", TS_NS, 1, 1 },
		{ "1.5", TS_US, 1, 1 },
		/* negative: floor, not towards zero */
		{ "-1", TS_US, 1, -1 },
		{ "-1", TS_MS, 1, -1000 },
		{ "-1", TS_S, 1, -1000000 },
		{ "-1.5", TS_S, 1, -1500000 },
		{ "-0.0000005", TS_S, 1, -1 },
		{ "-0.0000010", TS_S, 1, -1 },
		{ "-0.0000011", TS_S, 1, -2 },
		{ "-1", TS_NS, 1, -1 },
		{ "-999", TS_NS, 1, -1 },
		{ "-1000", TS_NS, 1, -1 },
		{ "-1001", TS_NS, 1, -2 },
		{ "-1.5", TS_US, 1, -2 },
		{ "-1763805601250.5", TS_MS, 1, INT64_C(-1763805601250500) },
		{ "-1e-999999999999", TS_S, 1, -1 },
		{ "1e-999999999999", TS_S, 1, 0 },
		{ "0e999999999999999999999", TS_S, 1, 0 },
		{ "0.00000000000000000000000000000000000000000000001", TS_NS, 1,
		    0 },
		/* the range is years 0001-9999 */
		{ "-62135596800", TS_S, 1, MIN_US },
		{ "-62135596800000", TS_MS, 1, MIN_US },
		{ "-62135596800.000001", TS_S, 0, 0 },
		{ "-62135596800000000001", TS_NS, 0, 0 },
		{ "-62135596800000000000", TS_NS, 1, MIN_US },
		{ "253402300799.999999", TS_S, 1, MAX_US },
		{ "253402300799.9999999", TS_S, 1, MAX_US },
		{ "253402300799999999999", TS_NS, 1, MAX_US },
		{ "253402300800", TS_S, 0, 0 },
		{ "253402300800000000", TS_US, 0, 0 },
		{ "9223372036854775807", TS_US, 0, 0 },
		{ "-9223372036854775808", TS_US, 0, 0 },
		{ "9223372036854775808", TS_US, 0, 0 },
		{ "99999999999999999999999999999", TS_NS, 0, 0 },
		{ "1e999999999999", TS_S, 0, 0 },
		{ "1e19", TS_US, 0, 0 },
		{ "1e17", TS_US, 1, INT64_C(100000000000000000) },
		/* not JSON numbers */
		{ "", TS_S, 0, 0 },
		{ "-", TS_S, 0, 0 },
		{ "01", TS_S, 0, 0 },
		{ "-01", TS_S, 0, 0 },
		{ "00", TS_S, 0, 0 },
		{ "1.", TS_S, 0, 0 },
		{ ".5", TS_S, 0, 0 },
		{ "+1", TS_S, 0, 0 },
		{ "1e", TS_S, 0, 0 },
		{ "1e+", TS_S, 0, 0 },
		{ "1e-", TS_S, 0, 0 },
		{ "1.e5", TS_S, 0, 0 },
		{ " 1", TS_S, 0, 0 },
		{ "1 ", TS_S, 0, 0 },
		{ "0x10", TS_S, 0, 0 },
		{ "1,5", TS_S, 0, 0 },
		{ "1.5.5", TS_S, 0, 0 },
		{ "--1", TS_S, 0, 0 },
		{ "1e5e5", TS_S, 0, 0 },
		{ "NaN", TS_S, 0, 0 },
		{ "Infinity", TS_S, 0, 0 },
		{ "-Infinity", TS_S, 0, 0 },
		{ "\"1\"", TS_S, 0, 0 },
		{ "2026-11-22", TS_S, 0, 0 },
	};
	size_t i;
	int64_t us;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		us = 424242;
		rc = parse_num(cases[i].text, cases[i].unit, &us);
		if (rc != (cases[i].ok ? 0 : -1) ||
		    us != (cases[i].ok ? cases[i].us : 424242))
			fprintf(stderr, "number \"%s\" unit %d: rc %d us %"
			    PRId64 "\n", cases[i].text, (int)cases[i].unit,
			    rc, us);
		CHECK_INT(rc, cases[i].ok ? 0 : -1);
		CHECK_INT(us, cases[i].ok ? cases[i].us : 424242);
	}

	/* Only n bytes count. */
	CHECK_INT(ts_parse_number("123abc", 3, TS_US, &us), 0);
	CHECK_INT(us, 123);
	CHECK_INT(ts_parse_number("1.5", 2, TS_S, &us), -1);
	CHECK_INT(ts_parse_number("1.5", 1, TS_S, &us), 0);
	CHECK_INT(us, 1000000);
}

static void
test_unit(void)
{
	enum ts_unit u = TS_NS;

	CHECK_INT(ts_parse_unit("s", &u), 0);
	CHECK_INT(u, TS_S);
	CHECK_INT(ts_parse_unit("ms", &u), 0);
	CHECK_INT(u, TS_MS);
	CHECK_INT(ts_parse_unit("us", &u), 0);
	CHECK_INT(u, TS_US);
	CHECK_INT(ts_parse_unit("ns", &u), 0);
	CHECK_INT(u, TS_NS);
	u = TS_MS;
	CHECK_INT(ts_parse_unit("", &u), -1);
	CHECK_INT(ts_parse_unit("S", &u), -1);
	CHECK_INT(ts_parse_unit("sec", &u), -1);
	CHECK_INT(ts_parse_unit("m", &u), -1);
	CHECK_INT(ts_parse_unit("ms ", &u), -1);
	CHECK_INT(u, TS_MS);
}

static void
test_dur_parse(void)
{
	static const struct parse_case ok[] = {
		{ "500ms", 500000 },
		{ "15s", 15000000 },
		{ "-15s", -15000000 },
		{ "+15s", 15000000 },
		{ "1m", 60000000 },
		{ "1h", INT64_C(3600000000) },
		{ "1d", INT64_C(86400000000) },
		{ "1h30m", INT64_C(5400000000) },
		{ "90m", INT64_C(5400000000) },
		{ "1d12h", INT64_C(129600000000) },
		{ "1500us", 1500 },
		{ "1ms500us", 1500 },
		{ "1m1ms", 60001000 },
		{ "1m1s", 61000000 },
		{ "1d2h3m4s5ms6us", INT64_C(93784005006) },
		{ "-1d2h3m4s5ms6us", INT64_C(-93784005006) },
		{ "0s", 0 },
		{ "-0s", 0 },
		{ "0us", 0 },
		{ "1h0m", INT64_C(3600000000) },
		{ "007s", 7000000 },
		{ "9223372036854775807us", INT64_MAX },
		{ "-9223372036854775808us", INT64_MIN },
		{ "9223372036854s775807us", INT64_MAX },
		{ "106751991d4h54s775807us", INT64_MAX },
		{ "-106751991d4h54s775808us", INT64_MIN },
	};
	static const char *const bad[] = {
		"", "5", "-", "+", "-5", "s", "ms", "30m1h", "1h1h", "1s1m",
		"1ms1s", "1us1ms", "1d1d", "1m1ms1m", "1.5h", "1,5h", "1 h",
		" 1h", "1h ", "1h 30m", "1H", "1MS", "1hh", "1x", "1msec",
		"1ns",
		"1sec", "1hr", "--1s", "+-1s", "1h-30m", "1h+30m", "1h30", "h1",
		"1µs", "9223372036854775808us", "-9223372036854775809us",
		"9223372036855s", "106751992d", "106751991d5h",
		"18446744073709551616us", "99999999999999999999999s",
		"9223372036854775807us1us" /* order bad anyway */,
		"9223372036854s775808us",
	};
	size_t i;
	int64_t us;
	int rc;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		us = 77;
		rc = dur_parse(ok[i].text, &us);
		if (rc != 0 || us != ok[i].us)
			fprintf(stderr, "dur \"%s\": rc %d us %" PRId64 "\n",
			    ok[i].text, rc, us);
		CHECK_INT(rc, 0);
		CHECK_INT(us, ok[i].us);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		us = 77;
		rc = dur_parse(bad[i], &us);
		if (rc != -1)
			fprintf(stderr, "dur accepted: \"%s\"\n", bad[i]);
		CHECK_INT(rc, -1);
		CHECK_INT(us, 77);
	}
}

static void
test_dur_format(void)
{
	static const struct format_case cases[] = {
		{ INT64_C(5400000000), "1h30m" },
		{ 0, "0s" },
		{ -250000, "-250ms" },
		{ 1500, "1500us" },
		{ 1, "1us" },
		{ -1, "-1us" },
		{ 999, "999us" },
		{ 1000, "1ms" },
		{ 999000, "999ms" },
		{ 1000000, "1s" },
		{ 1500000, "1s500ms" },
		{ 1000500, "1s500us" },
		{ 1999999, "1s999999us" },
		{ 60000000, "1m" },
		{ 61000000, "1m1s" },
		{ 61500000, "1m1s500ms" },
		{ INT64_C(3600000000), "1h" },
		{ INT64_C(3601000000), "1h1s" },
		{ INT64_C(86400000000), "1d" },
		{ INT64_C(-86400000000), "-1d" },
		{ INT64_C(129600000000), "1d12h" },
		{ INT64_C(90061500000), "1d1h1m1s500ms" },
		{ INT64_C(93784005006), "1d2h3m4s5006us" },
		{ INT64_C(8640000000000), "100d" },
		{ INT64_MAX, "106751991d4h54s775807us" },
		{ INT64_MIN, "-106751991d4h54s775808us" },
	};
	char out[DUR_STRLEN];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(out, 'x', sizeof(out));
		n = dur_format(cases[i].us, out);
		CHECK_STR(out, cases[i].text);
		CHECK_INT(n, strlen(cases[i].text));
	}
}

static void
test_dur_round_trip(void)
{
	static const uint64_t scales[] = {
		1, 1000, 1000000, 60000000, UINT64_C(3600000000),
		UINT64_C(86400000000)
	};
	char out[DUR_STRLEN];
	int64_t v, us;
	int i, bad = 0;

	for (i = 0; i < 200000; i++) {
		switch (i % 3) {
		case 0:		/* anything */
			v = (int64_t)unit_rand();
			break;
		case 1:		/* a multiple of some unit, any sign */
			v = (int64_t)(unit_rand() % 1000000) *
			    (int64_t)scales[unit_rand() % 6];
			if (unit_rand() % 2 == 0)
				v = -v;
			break;
		default:	/* small */
			v = (int64_t)(unit_rand() % 20000001) - 10000000;
			break;
		}
		if (dur_format(v, out) >= DUR_STRLEN && bad++ == 0)
			fprintf(stderr, "too long: %s\n", out);
		if ((dur_parse(out, &us) != 0 || us != v) && bad++ == 0)
			fprintf(stderr, "dur round trip: %" PRId64 " %s\n",
			    v, out);
	}
	CHECK_INT(bad, 0);
}

int
main(void)
{
	UNIT_NAME("test_tstamp");
	unit_rng_state = UINT64_C(0x9e3779b97f4a7c15);
	test_parse_ok();
	test_parse_bad();
	test_parse_length();
	test_calendar_walk();
	test_format();
	test_round_trip();
	test_number();
	test_unit();
	test_dur_parse();
	test_dur_format();
	test_dur_round_trip();
	return unit_report();
}
