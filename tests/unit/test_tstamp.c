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
/* The finite range: -290308-12-22T00:00:00Z (day -106751991, DuckDB's
 * first TIMESTAMP) and +294247-01-10T04:00:54.775806Z (INT64_MAX - 1). */
#define FIRST_US INT64_C(-9223372022400000000)
#define LAST_US	INT64_C(9223372036854775806)
/* Days of dates PostgreSQL and DuckDB agree on ('0045-03-15 BC'::date -
 * '1970-01-01', datediff in DuckDB). */
#define D_45BC	INT64_C(-735525)	/* -0044-03-15 */
#define D_Y0	INT64_C(-719528)	/* 0000-01-01 */
#define D_4713BC INT64_C(-2440588)	/* -4713-11-24, PostgreSQL's first */
#define D_PGLAST INT64_C(2145042905)	/* +5874897-12-31, its last date */

struct parse_case {
	const char	*text;
	int64_t		 us;
};

struct number_case {
	const char	*text;
	enum ts_unit	 unit;
	int		 rc;		/* 0, TS_EBAD or TS_ERANGE */
	int64_t		 us;
};

struct date_case {
	const char	*text;
	int		 rc;
	int64_t		 days;
};

struct format_case {
	int64_t		 us;
	const char	*text;
};

static int	parse(const char *, int64_t *);
static int	parse_num(const char *, enum ts_unit, int64_t *);
static void	test_parse_ok(void);
static void	test_parse_bad(void);
static void	test_parse_range(void);
static void	test_parse_length(void);
static void	test_date(void);
static void	test_normalize(void);
static void	test_add(void);
static void	test_calendar_walk(void);
static void	test_walk_years(int, int, int64_t, int64_t);
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
		/* years outside 0001-9999: ISO 8601 expanded years */
		{ "+10000-01-01T00:00:00.000Z", MAX_US + 1 },
		{ "+10000-01-01", MAX_US + 1 },
		{ "+010000-01-01", MAX_US + 1 },
		{ "9999-12-31T23:59:60Z", MAX_US + 1 },
		{ "9999-12-31T16:00:00-08", MAX_US + 1 },
		{ "+2024-01-01", INT64_C(1704067200000000) },
		{ "+0044-03-15T12:00:00Z", INT64_C(-60772248000000000) },
		{ "-0044-03-15T12:00:00.000Z", D_45BC * DAY_US + 43200000000 },
		{ "-0044-03-15T12:00:00Z", D_45BC * DAY_US + 43200000000 },
		{ "0000-01-01", D_Y0 * DAY_US },
		{ "0000-01-01T00:00:00.000Z", D_Y0 * DAY_US },
		{ "0000-02-29", (D_Y0 + 59) * DAY_US },	/* 1 BC: leap */
		{ "0000-12-31T23:59:59Z", MIN_US - 1000000 },
		{ "0001-01-01T00:00:00+00:01", MIN_US - 60000000 },
		{ "-0001-01-01", (D_Y0 - 365) * DAY_US },
		{ "-4713-11-24", D_4713BC * DAY_US },
		{ "-290308-12-22T00:00:00Z", FIRST_US },
		{ "-290308-12-22T00:00:00.000Z", FIRST_US },
		{ "+294247-01-10T04:00:54.775806Z", LAST_US },
		{ "+294247-01-10T04:00:54.7758069Z", LAST_US },
		/* PostgreSQL's text for the same: years past 9999 without a
		 * sign, " BC" at the end (year 0001 BC is 0000) */
		{ "10000-01-01 00:00:00+00", MAX_US + 1 },
		{ "10000-01-01", MAX_US + 1 },
		{ "294247-01-10 04:00:54.775806+00", LAST_US },
		{ "0045-03-15 12:00:00+00 BC", D_45BC * DAY_US + 43200000000 },
		{ "0045-03-15 12:00:00 BC", D_45BC * DAY_US + 43200000000 },
		{ "0045-03-15 13:00:00+01 BC", D_45BC * DAY_US + 43200000000 },
		{ "0045-03-15 BC", D_45BC * DAY_US },
		{ "0045-03-15 bc", D_45BC * DAY_US },
		{ "0001-01-01 BC", D_Y0 * DAY_US },
		{ "0001-12-31 23:59:59.999999+00 BC", MIN_US - 1 },
		{ "4714-11-24 00:00:00+00 BC", D_4713BC * DAY_US },
		/* PostgreSQL's local mean time offsets, with seconds */
		{ "1800-01-01 00:00:00+00:19:32", INT64_C(-5364663572000000) },
		{ "1800-01-01 00:19:32+00:19:32", INT64_C(-5364662400000000) },
		{ "2026-11-22T10:00:01+01:00:00", INT64_C(1795338001000000) },
		/* the infinities */
		{ "infinity", TS_INF },
		{ "+infinity", TS_INF },
		{ "-infinity", TS_NINF },
		{ "Infinity", TS_INF },
		{ "-INFINITY", TS_NINF },
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
		"2024/01/01", "02024-01-01", "002024-01-01", "+024-01-01",
		"-024-01-01", "+12345678-01-01", "12345678-01-01",
		"+-2024-01-01",
		"++2024-01-01", "- 2024-01-01", "+ 2024-01-01",
		"2024-13-40", "2024-13-01", "2024-00-10", "2024-01-00",
		"2024-01-32", "2024-04-31", "2024-06-31", "2024-09-31",
		"2024-11-31",
		/* leap years */
		"2023-02-29", "1900-02-29", "2100-02-29", "2024-02-30",
		"2000-02-30",
		"0001-02-29", "-0001-02-29", "-0100-02-29", "+10100-02-29",
		/* eras: " BC" after an unsigned year from 0001, nothing else */
		"0000-01-01 BC", "-0044-03-15 BC", "+0045-03-15 BC",
		"0045-03-15BC", "0045-03-15  BC", "0045-03-15 B",
		"0045-03-15 BCE",
		"0045-03-15 AD", "0045-03-15 BC ", " BC", "BC",
		"0045-03-15T12:00:00Z BC BC", "0002-02-29 BC",
		/* infinities: the words alone */
		"inf", "-inf", "infinit", "infinityy", "infinity ", " infinity",
		"--infinity", "+-infinity", "infinity BC", "-infinity Z",
		"infinity+00",
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
		"2026-11-22T10:00:01+013", "2026-11-22T10:00:01+01:00:6",
		"2026-11-22T10:00:01+01:00:60", "2026-11-22T10:00:01+0100:00",
		"2026-11-22T10:00:01+01:00:", "2026-11-22T10:00:01+01:00:00:00",
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
		if (rc != TS_EBAD)
			fprintf(stderr, "accepted: \"%s\"\n", bad[i]);
		CHECK_INT(rc, TS_EBAD);
		CHECK_INT(us, 12345);		/* untouched on failure */
	}
}

/* Times that are times, but that no int64_t of microseconds holds. */
static void
test_parse_range(void)
{
	static const char *const far[] = {
		"+294247-01-10T04:00:54.775807Z",	/* INT64_MAX */
		"+294247-01-10T04:00:54.775808Z",
		"+294247-01-11", "+300000-01-01", "+9999999-12-31",
		"294276-12-31 23:59:59.999999+00",	/* PostgreSQL's */
		"5874897-12-31",			/* its last date */
		"-290308-12-21T23:59:59.999999Z",
		"-290308-12-22T00:00:00+00:00:01",
		"-290309-01-01", "-9999999-01-01", "9999999-01-01",
		"+294247-01-10T03:00:55-01:00",
	};
	size_t i;
	int64_t us;
	int rc;

	for (i = 0; i < sizeof(far) / sizeof(far[0]); i++) {
		us = 12345;
		rc = parse(far[i], &us);
		if (rc != TS_ERANGE)
			fprintf(stderr, "range: \"%s\": %d\n", far[i], rc);
		CHECK_INT(rc, TS_ERANGE);
		CHECK_INT(us, 12345);
	}
	CHECK_STR(ts_strerror(TS_ERANGE), "timestamp out of range");
	CHECK_STR(ts_strerror(TS_EBAD), "not a timestamp");
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

	/* The same walk before year 1, from PostgreSQL's first date, and
	 * past 9999, in ISO 8601 expanded years. */
	test_walk_years(-4713, 0, (D_4713BC - 327) * DAY_US, MIN_US);
	test_walk_years(10000, 12000, MAX_US + 1,
	    MAX_US + 1 + (2001 * 365 + 486) * DAY_US);
}

/*
 * Every day of astronomical years y0 to y1, from the midnight first to the
 * midnight end after the last (Jan 1 of -4713 is 327 days before PostgreSQL's
 * first day, Nov 24; 10000-12000 has 486 leap years): parsed
 * and formatted in expanded-year form (and as PostgreSQL's BC text before
 * year 1), counted from nothing but month lengths and the leap rule.
 */
static void
test_walk_years(int y0, int y1, int64_t first, int64_t end)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	char date[32], text[48], got[TS_STRLEN], gotd[TS_DATE_STRLEN];
	int y, m, d, last, leap, bad = 0;
	int64_t expect = first, us, days;

	for (y = y0; y <= y1; y++) {
		leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
		for (m = 1; m <= 12; m++) {
			last = mdays[m - 1] + (m == 2 && leap);
			for (d = 1; d <= last; d++) {
				if (y < 0)
					snprintf(date, sizeof(date),
					    "-%04d-%02d-%02d", -y, m, d);
				else if (y > 9999)
					snprintf(date, sizeof(date),
					    "+%d-%02d-%02d", y, m, d);
				else
					snprintf(date, sizeof(date),
					    "%04d-%02d-%02d", y, m, d);
				if ((parse(date, &us) != 0 || us != expect) &&
				    bad++ == 0)
					fprintf(stderr, "walk: %s\n", date);
				if ((ts_parse_date(date, strlen(date), &days)
				    != 0 || days * DAY_US != expect) &&
				    bad++ == 0)
					fprintf(stderr, "walk date: %s\n",
					    date);
				snprintf(text, sizeof(text),
				    "%sT00:00:00.000Z", date);
				ts_format(expect, got);
				ts_format_date(expect / DAY_US, gotd);
				if ((strcmp(got, text) != 0 ||
				    strcmp(gotd, date) != 0) && bad++ == 0)
					fprintf(stderr, "walk: %s: %s %s\n",
					    text, got, gotd);
				/* PostgreSQL's text: year 1 - y, BC */
				if (y <= 0) {
					snprintf(text, sizeof(text),
					    "%04d-%02d-%02d 00:00:00+00 BC",
					    1 - y, m, d);
					if ((parse(text, &us) != 0 ||
					    us != expect) && bad++ == 0)
						fprintf(stderr, "walk: %s\n",
						    text);
				} else if (y > 9999) {
					snprintf(text, sizeof(text),
					    "%d-%02d-%02d", y, m, d);
					if ((parse(text, &us) != 0 ||
					    us != expect) && bad++ == 0)
						fprintf(stderr, "walk: %s\n",
						    text);
				}
				expect += DAY_US;
			}
		}
	}
	CHECK_INT(bad, 0);
	CHECK_INT(expect, end);
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
		/* outside 0001-9999: ISO 8601 years, expanded beyond
		 * 0000-9999 */
		{ MIN_US - 1, "0000-12-31T23:59:59.999999Z" },
		{ MIN_US - 366 * DAY_US, "0000-01-01T00:00:00.000Z" },
		{ MIN_US - 731 * DAY_US, "-0001-01-01T00:00:00.000Z" },
		{ D_45BC * DAY_US + 43200000000, "-0044-03-15T12:00:00.000Z" },
		{ D_4713BC * DAY_US, "-4713-11-24T00:00:00.000Z" },
		{ MAX_US + 1, "+10000-01-01T00:00:00.000Z" },
		{ MAX_US + 1 + 1001, "+10000-01-01T00:00:00.001001Z" },
		{ FIRST_US, "-290308-12-22T00:00:00.000Z" },
		{ LAST_US, "+294247-01-10T04:00:54.775806Z" },
		/* the infinities */
		{ TS_INF, "infinity" },
		{ TS_NINF, "-infinity" },
		/* below the finite range: not written by the tools, but
		 * formatted all the same */
		{ INT64_MIN + 1, "-290308-12-21T19:59:05.224193Z" },
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
		{ "10000-01-01 00:00:00+00", "+10000-01-01T00:00:00.000Z" },
		{ "+010000-01-01", "+10000-01-01T00:00:00.000Z" },
		{ "0045-03-15 12:00:00.5+00 BC", "-0044-03-15T12:00:00.500Z" },
		{ "0001-01-01 00:00:00+00 BC", "0000-01-01T00:00:00.000Z" },
		{ "-0000-06-01", "0000-06-01T00:00:00.000Z" },
		{ "+0099-01-01", "0099-01-01T00:00:00.000Z" },
		{ "0001-01-01T00:30:00+01:00", "0000-12-31T23:30:00.000Z" },
		{ "9999-12-31T23:30:00-01:00", "+10000-01-01T00:30:00.000Z" },
		{ "INFINITY", "infinity" },
		{ "+infinity", "infinity" },
		{ "-Infinity", "-infinity" },
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

	/* Random instants over the whole finite range, half of them whole
	 * ms: expanded years read back too. */
	for (i = 0; i < 200000; i++) {
		/* the span is past INT64_MAX: unsigned, then back */
		v = (int64_t)((uint64_t)FIRST_US + unit_rand() %
		    ((uint64_t)LAST_US - (uint64_t)FIRST_US + 1));
		if (i % 2 == 0 && v % 1000 != 0 && v > FIRST_US + 1000)
			v -= ((v % 1000) + 1000) % 1000;
		ts_format(v, out);
		if ((parse(out, &us) != 0 || us != v) && bad++ == 0)
			fprintf(stderr, "round trip: %" PRId64 " %s\n", v,
			    out);
	}
	for (v = FIRST_US; v < FIRST_US + 3; v++) {
		ts_format(v, out);
		CHECK(parse(out, &us) == 0 && us == v);
	}
	for (v = LAST_US; v > LAST_US - 3; v--) {
		ts_format(v, out);
		CHECK(parse(out, &us) == 0 && us == v);
	}
	CHECK_INT(ts_format(TS_INF, out), 8);
	CHECK(parse(out, &us) == 0 && us == TS_INF);
	CHECK_INT(ts_format(TS_NINF, out), 9);
	CHECK(parse(out, &us) == 0 && us == TS_NINF);

	/* Years 0001-9999: RFC 3339, 24 or 27 bytes. */
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
		{ "1763805601250", TS_MS, 0, INT64_C(1763805601250000) },
		{ "1763805601", TS_S, 0, INT64_C(1763805601000000) },
		{ "1763805601250000", TS_US, 0, INT64_C(1763805601250000) },
		{ "1763805601250000000", TS_NS, 0, INT64_C(1763805601250000) },
		{ "1763805601250000999", TS_NS, 0, INT64_C(1763805601250000) },
		{ "1763805601250001", TS_US, 0, INT64_C(1763805601250001) },
		{ "1763805601250", TS_US, 0, INT64_C(1763805601250) },
		{ "0", TS_S, 0, 0 },
		{ "0", TS_NS, 0, 0 },
		{ "-0", TS_MS, 0, 0 },
		{ "-0.0", TS_S, 0, 0 },
		/* fractions and exponents, exact */
		{ "1763805601.25", TS_S, 0, INT64_C(1763805601250000) },
		{ "1763805601.250000000000000000000000000000000000000", TS_S, 0,
		    INT64_C(1763805601250000) },
		{ "1763805601250.5", TS_MS, 0, INT64_C(1763805601250500) },
		{ "1763805601250.0009", TS_MS, 0, INT64_C(1763805601250000) },
		{ "1.76380560125e12", TS_MS, 0, INT64_C(1763805601250000) },
		{ "1.76380560125E9", TS_S, 0, INT64_C(1763805601250000) },
		{ "1.76380560125e+9", TS_S, 0, INT64_C(1763805601250000) },
		{ "176380560125e-2", TS_S, 0, INT64_C(1763805601250000) },
		{ "176380560125000000000e-8", TS_MS, 0,
		    INT64_C(1763805601250000) },
		{ "1e3", TS_MS, 0, 1000000 },
		{ "1E0", TS_S, 0, 1000000 },
		{ "0.000001", TS_S, 0, 1 },
		{ "0.0000019", TS_S, 0, 1 },
		{ "0.0000005", TS_S, 0, 0 },
		{ "1", TS_NS, 0, 0 },
		{ "999", TS_NS, 0, 0 },
		{ "1000", TS_NS, 0, 1 },
		{ "1.5", TS_US, 0, 1 },
		/* negative: floor, not towards zero */
		{ "-1", TS_US, 0, -1 },
		{ "-1", TS_MS, 0, -1000 },
		{ "-1", TS_S, 0, -1000000 },
		{ "-1.5", TS_S, 0, -1500000 },
		{ "-0.0000005", TS_S, 0, -1 },
		{ "-0.0000010", TS_S, 0, -1 },
		{ "-0.0000011", TS_S, 0, -2 },
		{ "-1", TS_NS, 0, -1 },
		{ "-999", TS_NS, 0, -1 },
		{ "-1000", TS_NS, 0, -1 },
		{ "-1001", TS_NS, 0, -2 },
		{ "-1.5", TS_US, 0, -2 },
		{ "-1763805601250.5", TS_MS, 0, INT64_C(-1763805601250500) },
		{ "-1e-999999999999", TS_S, 0, -1 },
		{ "1e-999999999999", TS_S, 0, 0 },
		{ "0e999999999999999999999", TS_S, 0, 0 },
		{ "0.00000000000000000000000000000000000000000000001", TS_NS, 0,
		    0 },
		/* the range: what an int64_t of microseconds holds, but the
		 * ends that stand for the infinities (years past 9999 too) */
		{ "-62135596800", TS_S, 0, MIN_US },
		{ "-62135596800000", TS_MS, 0, MIN_US },
		{ "-62135596800.000001", TS_S, 0, MIN_US - 1 },
		{ "-62135596800000000001", TS_NS, 0, MIN_US - 1 },
		{ "253402300799.999999", TS_S, 0, MAX_US },
		{ "253402300799.9999999", TS_S, 0, MAX_US },
		{ "253402300799999999999", TS_NS, 0, MAX_US },
		{ "253402300800", TS_S, 0, MAX_US + 1 },
		{ "253402300800000000", TS_US, 0, MAX_US + 1 },
		{ "9223372036854775806", TS_US, 0, LAST_US },
		{ "9223372036854775.806", TS_MS, 0, LAST_US },
		{ "-9223372022400000000", TS_US, 0, FIRST_US },
		{ "-9223372022400", TS_S, 0, FIRST_US },
		{ "9223372036854775807", TS_US, TS_ERANGE, 0 },
		{ "-9223372022400000001", TS_US, TS_ERANGE, 0 },
		{ "-9223372022400.0000001", TS_S, TS_ERANGE, 0 },
		{ "-9223372036854775808", TS_US, TS_ERANGE, 0 },
		{ "9223372036854775808", TS_US, TS_ERANGE, 0 },
		{ "99999999999999999999999999999", TS_NS, TS_ERANGE, 0 },
		{ "1e999999999999", TS_S, TS_ERANGE, 0 },
		{ "-1e999999999999", TS_S, TS_ERANGE, 0 },
		{ "1e19", TS_US, TS_ERANGE, 0 },
		{ "1e17", TS_US, 0, INT64_C(100000000000000000) },
		/* not JSON numbers */
		{ "", TS_S, TS_EBAD, 0 },
		{ "-", TS_S, TS_EBAD, 0 },
		{ "01", TS_S, TS_EBAD, 0 },
		{ "-01", TS_S, TS_EBAD, 0 },
		{ "00", TS_S, TS_EBAD, 0 },
		{ "1.", TS_S, TS_EBAD, 0 },
		{ ".5", TS_S, TS_EBAD, 0 },
		{ "+1", TS_S, TS_EBAD, 0 },
		{ "1e", TS_S, TS_EBAD, 0 },
		{ "1e+", TS_S, TS_EBAD, 0 },
		{ "1e-", TS_S, TS_EBAD, 0 },
		{ "1.e5", TS_S, TS_EBAD, 0 },
		{ " 1", TS_S, TS_EBAD, 0 },
		{ "1 ", TS_S, TS_EBAD, 0 },
		{ "0x10", TS_S, TS_EBAD, 0 },
		{ "1,5", TS_S, TS_EBAD, 0 },
		{ "1.5.5", TS_S, TS_EBAD, 0 },
		{ "--1", TS_S, TS_EBAD, 0 },
		{ "1e5e5", TS_S, TS_EBAD, 0 },
		{ "NaN", TS_S, TS_EBAD, 0 },
		{ "Infinity", TS_S, TS_EBAD, 0 },
		{ "-Infinity", TS_S, TS_EBAD, 0 },
		{ "\"1\"", TS_S, TS_EBAD, 0 },
		{ "2026-11-22", TS_S, TS_EBAD, 0 },
	};
	size_t i;
	int64_t us;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		us = 424242;
		rc = parse_num(cases[i].text, cases[i].unit, &us);
		if (rc != cases[i].rc ||
		    us != (cases[i].rc == 0 ? cases[i].us : 424242))
			fprintf(stderr, "number \"%s\" unit %d: rc %d us %"
			    PRId64 "\n", cases[i].text, (int)cases[i].unit,
			    rc, us);
		CHECK_INT(rc, cases[i].rc);
		CHECK_INT(us, cases[i].rc == 0 ? cases[i].us : 424242);
	}

	/* Only n bytes count. */
	CHECK_INT(ts_parse_number("123abc", 3, TS_US, &us), 0);
	CHECK_INT(us, 123);
	CHECK_INT(ts_parse_number("1.5", 2, TS_S, &us), TS_EBAD);
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

static void
test_date(void)
{
	static const struct date_case cases[] = {
		{ "1970-01-01", 0, 0 },
		{ "2026-11-22", 0, 20779 },
		{ "0001-02-29 BC", 0, D_Y0 + 59 },
		{ "-0044-03-15", 0, D_45BC },
		{ "0045-03-15 BC", 0, D_45BC },
		{ "0000-01-01", 0, D_Y0 },
		{ "0001-01-01 BC", 0, D_Y0 },
		{ "4714-11-24 BC", 0, D_4713BC },
		{ "+10000-01-01", 0, 2932897 },
		{ "10000-01-01", 0, 2932897 },
		/* PostgreSQL's last date, past any time's range */
		{ "5874897-12-31", 0, D_PGLAST },
		{ "+5874897-12-31", 0, D_PGLAST },
		/* DuckDB's DATE range, the Parquet one */
		{ "-5877641-06-25", 0, TS_DATE_MIN },
		{ "+5881580-07-10", 0, TS_DATE_MAX },
		{ "-5877641-06-24", TS_ERANGE, 0 },
		{ "+5881580-07-11", TS_ERANGE, 0 },
		{ "+9999999-12-31", TS_ERANGE, 0 },
		{ "infinity", 0, TS_INF },
		{ "-infinity", 0, TS_NINF },
		/* a date alone */
		{ "2026-11-22T00:00", TS_EBAD, 0 },
		{ "2026-11-22 00:00:00+00", TS_EBAD, 0 },
		{ "0045-03-15 00:00:00 BC", TS_EBAD, 0 },
		{ "2026-11-22Z", TS_EBAD, 0 },
		{ "2026-02-30", TS_EBAD, 0 },
		{ "+12345678-01-01", TS_EBAD, 0 },
		{ "", TS_EBAD, 0 },
	};
	static const struct { int64_t days; const char *text; } fmt[] = {
		{ 0, "1970-01-01" }, { 20779, "2026-11-22" },
		{ D_45BC, "-0044-03-15" }, { D_Y0, "0000-01-01" },
		{ D_Y0 - 1, "-0001-12-31" }, { 2932896, "9999-12-31" },
		{ 2932897, "+10000-01-01" }, { D_PGLAST, "+5874897-12-31" },
		{ TS_DATE_MIN, "-5877641-06-25" },
		{ TS_DATE_MAX, "+5881580-07-10" },
		{ TS_INF, "infinity" }, { TS_NINF, "-infinity" },
	};
	char out[TS_DATE_STRLEN];
	int64_t days;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		days = 4242;
		rc = ts_parse_date(cases[i].text, strlen(cases[i].text), &days);
		if (rc != cases[i].rc)
			fprintf(stderr, "date \"%s\": %d\n", cases[i].text, rc);
		CHECK_INT(rc, cases[i].rc);
		CHECK_INT(days, rc == 0 ? cases[i].days : 4242);
	}
	for (i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
		memset(out, 'x', sizeof(out));
		CHECK_INT(ts_format_date(fmt[i].days, out),
		    strlen(fmt[i].text));
		CHECK_STR(out, fmt[i].text);
		CHECK_INT(ts_parse_date(out, strlen(out), &days), 0);
		CHECK_INT(days, fmt[i].days);
	}
	/* Random days over the whole range read back. */
	for (i = 0; i < 100000; i++) {
		int64_t v = TS_DATE_MIN + (int64_t)(unit_rand() %
		    (uint64_t)(TS_DATE_MAX - TS_DATE_MIN + 1));

		ts_format_date(v, out);
		if (ts_parse_date(out, strlen(out), &days) != 0 || days != v) {
			fprintf(stderr, "date round trip: %" PRId64 " %s\n",
			    v, out);
			CHECK(0);
			break;
		}
	}
}

/* Text past what an int64_t holds, rewritten all the same. */
static void
test_normalize(void)
{
	static const char *const cases[][2] = {
		{ "294276-12-31 23:59:59.999999+00",
		    "+294276-12-31T23:59:59.999999Z" },
		{ "294276-12-31 23:59:59.5+00", "+294276-12-31T23:59:59.500Z" },
		{ "294276-12-31 23:59:59-01", "+294277-01-01T00:59:59.000Z" },
		{ "2026-11-22 10:00:01.25+00", "2026-11-22T10:00:01.250Z" },
		{ "0045-03-15 12:00:00+00 BC", "-0044-03-15T12:00:00.000Z" },
		{ "4714-11-24 00:00:00+00 BC", "-4713-11-24T00:00:00.000Z" },
		{ "5874897-12-31", "+5874897-12-31T00:00:00.000Z" },
		{ "infinity", "infinity" },
		{ "-infinity", "-infinity" },
		{ "not a time", "" },
		{ "2026-13-01", "" },
	};
	char out[TS_STRLEN];
	size_t i, n;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		out[0] = '\0';
		n = ts_normalize(cases[i][0], strlen(cases[i][0]), out);
		CHECK_INT(n, strlen(cases[i][1]));
		if (n > 0)
			CHECK_STR(out, cases[i][1]);
	}
}

static void
test_add(void)
{
	int64_t r;

	/* bounds: infinities stay, finite sums stop at the ends */
	CHECK_INT(ts_add_sat(0, 5), 5);
	CHECK_INT(ts_add_sat(TS_INF, -DAY_US), TS_INF);
	CHECK_INT(ts_add_sat(TS_NINF, DAY_US), TS_NINF);
	CHECK_INT(ts_add_sat(TS_NINF, INT64_MAX), TS_NINF);
	CHECK_INT(ts_add_sat(LAST_US, 1), LAST_US);
	CHECK_INT(ts_add_sat(LAST_US, INT64_MAX), LAST_US);
	CHECK_INT(ts_add_sat(FIRST_US, -1), FIRST_US);
	CHECK_INT(ts_add_sat(FIRST_US, INT64_MIN), FIRST_US);
	CHECK_INT(ts_add_sat(-5, INT64_MIN), FIRST_US);
	CHECK_INT(ts_add_sat(5, INT64_MAX), LAST_US);
	CHECK_INT(ts_add_sat(LAST_US, INT64_MIN), -2);
	CHECK_INT(ts_add_sat(FIRST_US + 1, -1), FIRST_US);
	CHECK_INT(ts_sub_sat(0, 5), -5);
	CHECK_INT(ts_sub_sat(TS_INF, INT64_MIN), TS_INF);
	CHECK_INT(ts_sub_sat(FIRST_US, INT64_MIN), 14454775808);
	CHECK_INT(ts_sub_sat(0, INT64_MIN), LAST_US);
	CHECK_INT(ts_sub_sat(FIRST_US, INT64_MAX), FIRST_US);
	/* exact: infinite or out of range is -1 */
	CHECK_INT(ts_add(0, 5, &r), 0);
	CHECK_INT(r, 5);
	CHECK_INT(ts_add(LAST_US - 1, 1, &r), 0);
	CHECK_INT(r, LAST_US);
	CHECK_INT(ts_add(LAST_US, 1, &r), -1);
	CHECK_INT(ts_add(FIRST_US, -1, &r), -1);
	CHECK_INT(ts_add(FIRST_US, INT64_MIN, &r), -1);
	CHECK_INT(ts_add(LAST_US, INT64_MAX, &r), -1);
	CHECK_INT(ts_add(TS_INF, -1, &r), -1);
	CHECK_INT(ts_add(TS_NINF, 1, &r), -1);
	CHECK_INT(r, LAST_US);
}

int
main(void)
{
	UNIT_NAME("test_tstamp");
	unit_rng_state = UINT64_C(0x9e3779b97f4a7c15);
	test_parse_ok();
	test_parse_bad();
	test_parse_range();
	test_parse_length();
	test_date();
	test_normalize();
	test_add();
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
