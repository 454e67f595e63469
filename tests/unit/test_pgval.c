/*
 * test_pgval.c: unit tests for pgcdc-tail's PostgreSQL value mapping, and
 * a converter for tests/pgval.bats.
 *
 * Every case gives the value's text exactly as PostgreSQL 15 prints it (with
 * DateStyle=ISO, TimeZone=UTC, IntervalStyle=postgres, extra_float_digits=3)
 * or a malformed variant, and the exact bytes pgval_write must produce; the
 * output goes through a struct jout on a temporary file and is read back.
 * Every output, including that of random garbage for every type, must also
 * be one valid JSON value (checked with jscan).
 *
 *	test_pgval                      run the tests
 *	test_pgval --convert OID [FLAGS] read values of type OID in COPY's text
 *	                                format, one per line (\N is NULL, \n,
 *	                                \t, \\, \ooo and \xhh escapes), write
 *	                                each one's JSON on a line ("null" for
 *	                                NULL); FLAGS is pgval_write's flags
 *	test_pgval --elem OID...        print "OID ELEM" for each, ELEM being
 *	                                pgval_array_elem(OID)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "base64.h"
#include "buf.h"
#include "diag.h"
#include "jout.h"
#include "jscan.h"
#include "unit.h"

/*
 * The Makefile links a cmd/<tool>/ file only into its own binary, and unit
 * tests only with libcommon.a: the module under test is compiled in here.
 * Its static helpers become visible to the tests, which use none of them.
 */
#include "../../cmd/pgcdc-tail/pgval.c"

static void	setup(void);
static void	teardown(void);
static void	convert(uint32_t, const char *, size_t, int);
static void	want_quoted(const char *, size_t);
static int	run_convert(int, char **);
static int	run_elem(int, char **);
static void	test_ints(void);
static void	test_numeric(void);
static void	test_float(void);
static void	test_bool(void);
static void	test_timestamptz(void);
static void	test_timestamp(void);
static void	test_strings(void);
static void	test_utf8(void);
static void	test_json(void);
static void	test_bytea(void);
static void	test_arrays(void);
static void	test_arrays_malformed(void);
static void	test_arrays_large(void);
static void	test_array_elem(void);
static void	test_garbage(void);
static void	test_copy_field(void);

static char tmpdir[256];
static char outpath[300];
static int out_fd = -1;
static struct jout o;		/* the jout under test, on a dup of out_fd */
static struct buf got, want, in;
static struct jdoc check_doc = JDOC_INIT;
static int nonjson;		/* outputs that were not one JSON value */
static int retval;		/* pgval_write's last return value */

/* Convert the literal text IN (NULs allowed) with FLAGS; compare to WANT. */
#define TF(oid, text, flags, w) do { \
	convert((oid), (text), sizeof(text) - 1, (flags)); \
	CHECK_MEM(got.data, got.len, (w)); \
} while (0)
#define T(oid, text, w)	TF(oid, text, 0, w)
/* The value is its text as a JSON string: TS(oid, "x") wants "\"x\"". */
#define TS(oid, text)	T(oid, text, "\"" text "\"")

static void
setup(void)
{
	const char *t = getenv("TMPDIR");

	if (t == NULL || *t == '\0')
		t = "/tmp";
	snprintf(tmpdir, sizeof(tmpdir), "%s/test_pgval.XXXXXX", t);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(outpath, sizeof(outpath), "%s/out", tmpdir);
	out_fd = open(outpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (out_fd < 0) {
		perror("open");
		exit(1);
	}
}

static void
teardown(void)
{
	close(out_fd);
	unlink(outpath);
	rmdir(tmpdir);
	buf_free(&got);
	buf_free(&want);
	buf_free(&in);
	jscan_free(&check_doc);
	/* The module's scratch, so the leak checker sees a clean exit. */
	jscan_free(&pv_doc);
	buf_free(&pv_elem);
	buf_free(&pv_tmp);
}

/*
 * pgval_write(text[0..n)) into got, through a fresh jout on the emptied
 * output file. Counts an output that is not exactly one JSON value.
 */
static void
convert(uint32_t oid, const char *text, size_t n, int flags)
{
	struct stat st;
	size_t off = 0;
	ssize_t k;

	if (ftruncate(out_fd, 0) != 0 || lseek(out_fd, 0, SEEK_SET) != 0) {
		perror("truncate");
		exit(1);
	}
	jout_init(&o, dup(out_fd), "test output");
	retval = pgval_write(&o, oid, text, n, flags);
	jout_close(&o);

	buf_reset(&got);
	if (fstat(out_fd, &st) != 0) {
		perror("fstat");
		exit(1);
	}
	buf_grow(&got, (size_t)st.st_size);
	while (off < (size_t)st.st_size) {
		k = pread(out_fd, got.data + off, (size_t)st.st_size - off,
		    (off_t)off);
		if (k <= 0) {
			perror("pread");
			exit(1);
		}
		off += (size_t)k;
	}
	got.len = off;
	got.data[off] = '\0';
	if (jscan_parse(&check_doc, got.data, got.len) != 0 ||
	    check_doc.tok[0].len != got.len) {
		nonjson++;
		fprintf(stderr, "not one JSON value (oid %u): \"%.200s\"\n",
		    (unsigned)oid, got.data);
	}
}

/* want = s[0..n) between double quotes (s needs no escaping). */
static void
want_quoted(const char *s, size_t n)
{
	buf_reset(&want);
	buf_putc(&want, '"');
	buf_append(&want, s, n);
	buf_putc(&want, '"');
}

static void
test_ints(void)
{
	T(PGOID_INT2, "0", "0");
	T(PGOID_INT2, "-32768", "-32768");
	T(PGOID_INT4, "2147483647", "2147483647");
	T(PGOID_INT4, "-1", "-1");
	T(PGOID_INT8, "-9223372036854775808", "-9223372036854775808");
	T(PGOID_INT8, "9223372036854775807", "9223372036854775807");
	CHECK_INT(retval, 0);
	T(PGOID_OID, "0", "0");
	T(PGOID_OID, "4294967295", "4294967295");
	/* Not integer text: strings. */
	TS(PGOID_INT4, "");
	TS(PGOID_INT4, "-");
	TS(PGOID_INT4, "+1");
	TS(PGOID_INT4, "01");
	T(PGOID_INT4, "-0", "-0");		/* JSON, if never sent */
	TS(PGOID_INT4, "1.0");
	TS(PGOID_INT4, "1e3");
	TS(PGOID_INT4, " 1");
	TS(PGOID_INT8, "12a");
	TS(PGOID_OID, "-1");
	TS(PGOID_OID, "-0");
}

static void
test_numeric(void)
{
	size_t i;

	T(PGOID_NUMERIC, "19.990", "19.990");
	T(PGOID_NUMERIC, "0", "0");
	T(PGOID_NUMERIC, "-0.000", "-0.000");
	T(PGOID_NUMERIC, "0.000", "0.000");
	T(PGOID_NUMERIC, "0.0000000001", "0.0000000001");
	T(PGOID_NUMERIC, "-123456789012345678901234567890.5",
	    "-123456789012345678901234567890.5");
	T(PGOID_NUMERIC, "1e5", "1e5");		/* JSON; never sent */
	TS(PGOID_NUMERIC, "NaN");
	TS(PGOID_NUMERIC, "Infinity");
	TS(PGOID_NUMERIC, "-Infinity");
	TS(PGOID_NUMERIC, "");
	TS(PGOID_NUMERIC, ".5");
	TS(PGOID_NUMERIC, "5.");
	TS(PGOID_NUMERIC, "+1");
	TS(PGOID_NUMERIC, "00.1");
	TS(PGOID_NUMERIC, "1 ");
	TS(PGOID_NUMERIC, "1,5");
	/* --numeric string */
	TF(PGOID_NUMERIC, "19.990", PGVAL_NUMERIC_STRING, "\"19.990\"");
	TF(PGOID_NUMERIC, "NaN", PGVAL_NUMERIC_STRING, "\"NaN\"");
	TF(PGOID_NUMERIC, "-0.000", PGVAL_NUMERIC_STRING, "\"-0.000\"");
	/* Only numeric: the flag leaves integers and floats numbers. */
	TF(PGOID_INT8, "42", PGVAL_NUMERIC_STRING, "42");
	TF(PGOID_FLOAT8, "1.5", PGVAL_NUMERIC_STRING, "1.5");

	/* A thousand digits and a thousand more after the point, exactly. */
	buf_reset(&in);
	buf_putc(&in, '-');
	for (i = 0; i < 1000; i++)
		buf_putc(&in, (char)('1' + i % 9));
	buf_putc(&in, '.');
	for (i = 0; i < 1000; i++)
		buf_putc(&in, (char)('0' + i % 10));
	convert(PGOID_NUMERIC, in.data, in.len, 0);
	CHECK_MEM(got.data, got.len, in.data);
	convert(PGOID_NUMERIC, in.data, in.len, PGVAL_NUMERIC_STRING);
	want_quoted(in.data, in.len);
	CHECK_MEM(got.data, got.len, want.data);
}

static void
test_float(void)
{
	/* What PostgreSQL 15 prints with extra_float_digits=3. */
	T(PGOID_FLOAT8, "1.5", "1.5");
	T(PGOID_FLOAT8, "-0", "-0");
	T(PGOID_FLOAT8, "0", "0");
	T(PGOID_FLOAT8, "100", "100");
	T(PGOID_FLOAT8, "0.1", "0.1");
	T(PGOID_FLOAT8, "0.0001", "0.0001");
	T(PGOID_FLOAT8, "1e-05", "1e-05");
	T(PGOID_FLOAT8, "1.2345678e-05", "1.2345678e-05");
	T(PGOID_FLOAT8, "1e+15", "1e+15");
	T(PGOID_FLOAT8, "1e+100", "1e+100");
	T(PGOID_FLOAT8, "1.2345678901234568e+17", "1.2345678901234568e+17");
	T(PGOID_FLOAT8, "5e-324", "5e-324");
	T(PGOID_FLOAT8, "1.7976931348623157e+308",
	    "1.7976931348623157e+308");
	T(PGOID_FLOAT8, "-2.5e-07", "-2.5e-07");
	T(PGOID_FLOAT4, "3.4028235e+38", "3.4028235e+38");
	T(PGOID_FLOAT4, "1.6777216e+07", "1.6777216e+07");
	T(PGOID_FLOAT4, "1e-45", "1e-45");
	TS(PGOID_FLOAT8, "NaN");
	TS(PGOID_FLOAT8, "Infinity");
	TS(PGOID_FLOAT8, "-Infinity");
	TS(PGOID_FLOAT4, "NaN");
	TS(PGOID_FLOAT4, "-Infinity");

	/* C forms that are not JSON are rewritten to the same value. */
	T(PGOID_FLOAT8, "+1.5", "1.5");
	T(PGOID_FLOAT8, "+0", "0");
	T(PGOID_FLOAT8, ".5", "0.5");
	T(PGOID_FLOAT8, "-.5", "-0.5");
	T(PGOID_FLOAT8, "+.5e3", "0.5e3");
	T(PGOID_FLOAT8, "5.", "5");
	T(PGOID_FLOAT8, "-5.e-3", "-5e-3");
	T(PGOID_FLOAT8, "1.e5", "1e5");
	T(PGOID_FLOAT8, "007", "7");
	T(PGOID_FLOAT8, "-00.25", "-0.25");
	T(PGOID_FLOAT8, "000", "0");
	T(PGOID_FLOAT8, "1E+05", "1E+05");	/* already JSON */
	T(PGOID_FLOAT8, "01E05", "1E05");
	/* Anything else: a string. */
	TS(PGOID_FLOAT8, "");
	TS(PGOID_FLOAT8, ".");
	TS(PGOID_FLOAT8, "-");
	TS(PGOID_FLOAT8, "+");
	TS(PGOID_FLOAT8, "e5");
	TS(PGOID_FLOAT8, ".e5");
	TS(PGOID_FLOAT8, "1e");
	TS(PGOID_FLOAT8, "1e+");
	TS(PGOID_FLOAT8, "1e5.5");
	TS(PGOID_FLOAT8, "--1");
	TS(PGOID_FLOAT8, "1.5x");
	TS(PGOID_FLOAT8, " 1.5");
	TS(PGOID_FLOAT8, "inf");
	TS(PGOID_FLOAT8, "-inf");
	TS(PGOID_FLOAT8, "nan");
	TS(PGOID_FLOAT8, "0x1p3");
}

static void
test_bool(void)
{
	T(PGOID_BOOL, "t", "true");
	T(PGOID_BOOL, "f", "false");
	TS(PGOID_BOOL, "true");
	TS(PGOID_BOOL, "T");
	TS(PGOID_BOOL, "");
	TS(PGOID_BOOL, "tt");
}

static void
test_timestamptz(void)
{
	const uint32_t tz = PGOID_TIMESTAMPTZ;

	T(tz, "2026-11-22 10:00:01.25+00", "\"2026-11-22T10:00:01.250Z\"");
	/* 0 to 6 fraction digits: milliseconds, or microseconds if any. */
	T(tz, "2026-11-22 10:00:01+00", "\"2026-11-22T10:00:01.000Z\"");
	T(tz, "2026-11-22 10:00:01.1+00", "\"2026-11-22T10:00:01.100Z\"");
	T(tz, "2026-11-22 10:00:01.12+00", "\"2026-11-22T10:00:01.120Z\"");
	T(tz, "2026-11-22 10:00:01.123+00", "\"2026-11-22T10:00:01.123Z\"");
	T(tz, "2026-11-22 10:00:01.1234+00",
	    "\"2026-11-22T10:00:01.123400Z\"");
	T(tz, "2026-11-22 10:00:01.12345+00",
	    "\"2026-11-22T10:00:01.123450Z\"");
	T(tz, "2026-11-22 10:00:01.123456+00",
	    "\"2026-11-22T10:00:01.123456Z\"");
	T(tz, "2026-11-22 10:00:01.000001+00",
	    "\"2026-11-22T10:00:01.000001Z\"");
	T(tz, "1970-01-01 00:00:00+00", "\"1970-01-01T00:00:00.000Z\"");
	T(tz, "1969-12-31 23:59:59.999999+00",
	    "\"1969-12-31T23:59:59.999999Z\"");
	T(tz, "2024-02-29 23:59:59.5+00", "\"2024-02-29T23:59:59.500Z\"");
	/* The extremes of years 0001-9999. */
	T(tz, "0001-01-01 00:00:00+00", "\"0001-01-01T00:00:00.000Z\"");
	T(tz, "9999-12-31 23:59:59.999999+00",
	    "\"9999-12-31T23:59:59.999999Z\"");
	/* Another session time zone would still give UTC. */
	T(tz, "2026-11-22 10:00:01+05:30", "\"2026-11-22T04:30:01.000Z\"");
	T(tz, "2026-11-22 10:00:01-08", "\"2026-11-22T18:00:01.000Z\"");
	T(tz, "2026-01-01 00:30:00+01", "\"2025-12-31T23:30:00.000Z\"");
	/* Beyond RFC 3339: ISO 8601 expanded years (PostgreSQL's 44 BC is
	 * year -0043), and the infinities as words. */
	TS(tz, "infinity");
	TS(tz, "-infinity");
	T(tz, "0044-03-15 00:00:00+00 BC", "\"-0043-03-15T00:00:00.000Z\"");
	T(tz, "0045-03-15 12:00:00.5+00 BC",
	    "\"-0044-03-15T12:00:00.500Z\"");
	T(tz, "0001-12-31 23:59:59.999999+00 BC",
	    "\"0000-12-31T23:59:59.999999Z\"");
	T(tz, "4714-11-24 00:00:00+00 BC", "\"-4713-11-24T00:00:00.000Z\"");
	T(tz, "10000-01-01 00:00:00+00", "\"+10000-01-01T00:00:00.000Z\"");
	T(tz, "0001-01-01 00:00:00+01",	/* year 0 in UTC */
	    "\"0000-12-31T23:00:00.000Z\"");
	/* Past an int64_t of microseconds: still the time, which the other
	 * tools call out of range. */
	T(tz, "294276-12-31 23:59:59.999999+00",
	    "\"+294276-12-31T23:59:59.999999Z\"");
	T(tz, "294247-01-10 04:00:54.775806+00",
	    "\"+294247-01-10T04:00:54.775806Z\"");
	T(tz, "294247-01-10 04:00:54.775807+00",
	    "\"+294247-01-10T04:00:54.775807Z\"");
	/* A local mean time offset (another session time zone). */
	T(tz, "1800-01-01 00:00:00+00:19:32", "\"1799-12-31T23:40:28.000Z\"");
	/* Not a timestamp. */
	TS(tz, "");
	TS(tz, "2023-02-29 00:00:00+00");
	TS(tz, "2026-11-22 24:00:00+00");
	TS(tz, "2026-11-22 10:00:01.+00");
	TS(tz, "2026-11-22 10:00:01+00 ");
	TS(tz, "Sun Nov 22 10:00:01.25 2026 UTC");
}

static void
test_timestamp(void)
{
	const uint32_t ts = PGOID_TIMESTAMP;

	T(ts, "2026-11-22 10:00:01.25", "\"2026-11-22T10:00:01.25\"");
	T(ts, "2026-11-22 10:00:01", "\"2026-11-22T10:00:01\"");
	T(ts, "2026-11-22 10:00:01.5", "\"2026-11-22T10:00:01.5\"");
	T(ts, "2026-11-22 10:00:01.123456", "\"2026-11-22T10:00:01.123456\"");
	T(ts, "0001-01-01 00:00:00", "\"0001-01-01T00:00:00\"");
	T(ts, "9999-12-31 23:59:59.999999", "\"9999-12-31T23:59:59.999999\"");
	T(ts, "2024-02-29 00:00:00", "\"2024-02-29T00:00:00\"");
	TS(ts, "infinity");
	TS(ts, "-infinity");
	T(ts, "0044-03-15 00:00:00 BC", "\"-0043-03-15T00:00:00\"");
	T(ts, "0045-03-15 12:00:00.25 BC", "\"-0044-03-15T12:00:00.25\"");
	T(ts, "0001-02-29 23:59:59.999999 BC",
	    "\"0000-02-29T23:59:59.999999\"");
	T(ts, "4714-11-24 00:00:00 BC", "\"-4713-11-24T00:00:00\"");
	T(ts, "10000-01-01 00:00:00", "\"+10000-01-01T00:00:00\"");
	T(ts, "294276-12-31 23:59:59.999999",
	    "\"+294276-12-31T23:59:59.999999\"");
	TS(ts, "0000-01-01 00:00:00 BC");
	TS(ts, "0002-02-29 00:00:00 BC");
	TS(ts, "0044-03-15 00:00:00 bc");
	TS(ts, "0044-03-15 00:00:00  BC");
	TS(ts, "0044-03-15 BC");
	T(ts, "+10000-01-01 00:00:00", "\"+10000-01-01T00:00:00\"");
	TS(ts, "010000-01-01 00:00:00");
	TS(ts, "12345678-01-01 00:00:00");
	TS(ts, "infinity BC");
	TS(ts, "2026-11-22 23:59:60");
	TS(ts, "2026-11-22 24:00:00");
	TS(ts, "");
	TS(ts, "2026-11-22");
	TS(ts, "2026-11-22 10:00");
	TS(ts, "2026-11-22 10:00:01.");
	TS(ts, "2026-11-22 10:00:01.1234567");
	TS(ts, "2026-11-22 10:00:01+00");
	TS(ts, "2026-11-22T10:00:01");
	TS(ts, "2026-13-01 00:00:00");
	TS(ts, "2023-02-29 00:00:00");
	TS(ts, "2026-11-22 10:60:00");
	TS(ts, "2026-11-22 10:00:0x");
}

static void
test_strings(void)
{
	/* date: ISO text, expanded years outside 0000-9999. */
	TS(PGOID_DATE, "2026-11-22");
	T(PGOID_DATE, "0044-03-15 BC", "\"-0043-03-15\"");
	T(PGOID_DATE, "0045-03-15 BC", "\"-0044-03-15\"");
	T(PGOID_DATE, "0001-01-01 BC", "\"0000-01-01\"");
	T(PGOID_DATE, "4714-11-24 BC", "\"-4713-11-24\"");
	T(PGOID_DATE, "10000-01-01", "\"+10000-01-01\"");
	T(PGOID_DATE, "5874897-12-31", "\"+5874897-12-31\"");
	TS(PGOID_DATE, "infinity");
	TS(PGOID_DATE, "-infinity");
	TS(PGOID_DATE, "2026-02-30");
	TS(PGOID_DATE, "2026-11-22 00:00:00");
	TS(PGOID_DATE, "0000-01-01 BC");
	/* Text types, and the types written as their text. */
	TS(PGOID_TEXT, "");
	TS(PGOID_TEXT, "hello, world");
	T(PGOID_TEXT, "a\"b\\c", "\"a\\\"b\\\\c\"");
	T(PGOID_TEXT, "l1\nl2\r\tx\b\f\x01\x1f\x7f",
	    "\"l1\\nl2\\r\\tx\\b\\f\\u0001\\u001f\x7f\"");
	TS(PGOID_TEXT, "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	TS(PGOID_VARCHAR, "NULL");
	TS(PGOID_BPCHAR, "ab ");
	TS(PGOID_NAME, "pg_catalog");
	TS(PGOID_CHAR, "a");
	TS(PGOID_UUID, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11");
	TS(PGOID_TIME, "10:00:01.25");
	TS(PGOID_TIMETZ, "12:00:00+05");
	TS(PGOID_INTERVAL, "1 year 2 mons -3 days 04:05:06.5");
	TS(PGOID_INTERVAL, "-10 mons");
	TS(PGOID_MONEY, "$1,000.00");
	T(PGOID_XML, "<a b=\"c\">d</a>", "\"<a b=\\\"c\\\">d</a>\"");
	TS(12345, "an enum label");		/* an unknown OID */
	TS(0, "oid 0");
	/* NUL is not in PostgreSQL text, but the length rules. */
	T(PGOID_TEXT, "a\0b", "\"a\\u0000b\"");
}

static void
test_utf8(void)
{
	/* Each maximal ill-formed subpart becomes one U+FFFD (the vectors
	 * are Python's bytes.decode("utf-8", "replace")). */
	T(PGOID_TEXT, "\xff", "\"\xef\xbf\xbd\"");
	T(PGOID_TEXT, "\x80", "\"\xef\xbf\xbd\"");
	T(PGOID_TEXT, "caf\xe9 ok", "\"caf\xef\xbf\xbd ok\"");
	T(PGOID_TEXT, "a\xe2\x82" "b", "\"a\xef\xbf\xbd" "b\"");
	T(PGOID_TEXT, "\xe2\x82\xac\xe2", "\"\xe2\x82\xac\xef\xbf\xbd\"");
	T(PGOID_TEXT, "\xf0\x9f\x98", "\"\xef\xbf\xbd\"");
	T(PGOID_TEXT, "\xed\xa0\x80",
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	T(PGOID_TEXT, "\xc0\xaf", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	T(PGOID_TEXT, "\xe0\x80\x80",
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	T(PGOID_TEXT, "\xf0\x80\x80\x80",
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	T(PGOID_TEXT, "\xf4\x90\x80\x80",
	    "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"");
	T(PGOID_TEXT, "\xf5\x80", "\"\xef\xbf\xbd\xef\xbf\xbd\"");
	/* The largest code points of each length stay. */
	TS(PGOID_TEXT, "\x7f\xdf\xbf\xef\xbf\xbf\xf4\x8f\xbf\xbf");
	/* Repair and escaping together; and in every string fallback. */
	T(PGOID_TEXT, "\"\xff\n", "\"\\\"\xef\xbf\xbd\\n\"");
	T(PGOID_INT4, "1\xff", "\"1\xef\xbf\xbd\"");
	T(PGOID_JSON, "\"\xff\"", "\"\\\"\xef\xbf\xbd\\\"\"");
	T(1009, "{\xff,\"a\xfe\"}", "[\"\xef\xbf\xbd\",\"a\xef\xbf\xbd\"]");

	/* A repaired value larger than the scratch kept between values. */
	buf_reset(&in);
	buf_reset(&want);
	buf_putc(&want, '"');
	while (in.len < 3 * PV_KEEP_BYTES) {
		buf_puts(&in, "abc\xff");
		buf_puts(&want, "abc\xef\xbf\xbd");
	}
	buf_putc(&want, '"');
	convert(PGOID_TEXT, in.data, in.len, 0);
	CHECK_MEM(got.data, got.len, want.data);
	CHECK(pv_tmp.cap <= PV_KEEP_BYTES);
}

static void
test_json(void)
{
	size_t i;

	T(PGOID_JSONB, "{\"a\": 1, \"b\": [1, 2, {\"c\": null}]}",
	    "{\"a\":1,\"b\":[1,2,{\"c\":null}]}");
	/* json keeps its input: white space, newlines, duplicate keys. */
	T(PGOID_JSON, "  {\"a\" :  1,\n \"a\": 2}\r\n\t ",
	    "{\"a\":1,\"a\":2}");
	/* White space inside strings stays, escapes too. */
	T(PGOID_JSON, "{\"k y\" : \"a \\\" b\\\\\", \"t\": \"\\t \\u0000 \"}",
	    "{\"k y\":\"a \\\" b\\\\\",\"t\":\"\\t \\u0000 \"}");
	T(PGOID_JSON, "[\"\\\\\", \" \", \"\\\\\\\"\"]",
	    "[\"\\\\\",\" \",\"\\\\\\\"\"]");
	T(PGOID_JSONB, "{\"\xc3\xa9\": \"\xf0\x9f\x98\x80\"}",
	    "{\"\xc3\xa9\":\"\xf0\x9f\x98\x80\"}");
	/* Scalars. */
	T(PGOID_JSONB, "\"x\"", "\"x\"");
	T(PGOID_JSONB, "1.50", "1.50");
	T(PGOID_JSON, "-1e+100", "-1e+100");
	T(PGOID_JSONB, "null", "null");
	T(PGOID_JSONB, "true", "true");
	T(PGOID_JSONB, "[]", "[]");
	T(PGOID_JSONB, "{}", "{}");
	T(PGOID_JSON, " [ ] ", "[]");
	/* Not JSON: the text as a string. */
	TS(PGOID_JSON, "");
	TS(PGOID_JSON, " ");
	TS(PGOID_JSON, "{'a': 1}");
	T(PGOID_JSON, "{\"a\":}", "\"{\\\"a\\\":}\"");
	T(PGOID_JSON, "{\"a\":1} x", "\"{\\\"a\\\":1} x\"");
	T(PGOID_JSONB, "[1, 2", "\"[1, 2\"");
	TS(PGOID_JSON, "NaN");
	TS(PGOID_JSON, ".5");
	T(PGOID_JSON, "\"a\nb\"", "\"\\\"a\\nb\\\"\"");

	/* As deep as jscan goes, and one level deeper (a string). */
	buf_reset(&in);
	for (i = 0; i < JSCAN_MAX_DEPTH; i++)
		buf_putc(&in, '[');
	for (i = 0; i < JSCAN_MAX_DEPTH; i++)
		buf_putc(&in, ']');
	convert(PGOID_JSONB, in.data, in.len, 0);
	CHECK_MEM(got.data, got.len, in.data);
	buf_reset(&in);
	for (i = 0; i <= JSCAN_MAX_DEPTH; i++)
		buf_putc(&in, '[');
	for (i = 0; i <= JSCAN_MAX_DEPTH; i++)
		buf_putc(&in, ']');
	convert(PGOID_JSONB, in.data, in.len, 0);
	want_quoted(in.data, in.len);
	CHECK_MEM(got.data, got.len, want.data);

	/* Many tokens: compacted whole, and the tape is not kept. */
	buf_reset(&in);
	buf_reset(&want);
	buf_puts(&in, "[");
	buf_puts(&want, "[");
	for (i = 0; i < 20000; i++) {
		buf_printf(&in, "%s{\"n\": %zu, \"s\": \"a b\"}",
		    i ? ", " : "", i);
		buf_printf(&want, "%s{\"n\":%zu,\"s\":\"a b\"}", i ? "," : "",
		    i);
	}
	buf_puts(&in, "]\n");
	buf_puts(&want, "]");
	convert(PGOID_JSONB, in.data, in.len, 0);
	CHECK_MEM(got.data, got.len, want.data);
	CHECK(pv_doc.cap <= PV_KEEP_TOKENS);
}

static void
test_bytea(void)
{
	static const size_t sizes[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 3071, 3072, 3073, 6143, 6144, 6145,
		300000
	};
	unsigned char *bytes;
	size_t i, k, n;

	T(PGOID_BYTEA, "\\x", "\"\"");
	T(PGOID_BYTEA, "\\x48656c6c6f", "\"SGVsbG8=\"");
	T(PGOID_BYTEA, "\\x48656C6C6F21", "\"SGVsbG8h\"");
	T(PGOID_BYTEA, "\\x00ff", "\"AP8=\"");
	T(PGOID_BYTEA, "\\xfbff", "\"+/8=\"");
	/* Not hex format: strings. */
	T(PGOID_BYTEA, "", "\"\"");
	T(PGOID_BYTEA, "\\", "\"\\\\\"");
	T(PGOID_BYTEA, "\\x4", "\"\\\\x4\"");
	T(PGOID_BYTEA, "\\x4g", "\"\\\\x4g\"");
	T(PGOID_BYTEA, "\\X48", "\"\\\\X48\"");
	T(PGOID_BYTEA, "\\x48 ", "\"\\\\x48 \"");
	T(PGOID_BYTEA, "abc\\000", "\"abc\\\\000\"");	/* escape format */

	/* Every chunk boundary, against base64_append of the bytes. */
	bytes = xmalloc(sizes[sizeof(sizes) / sizeof(sizes[0]) - 1]);
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		n = sizes[k];
		buf_reset(&in);
		buf_puts(&in, "\\x");
		for (i = 0; i < n; i++) {
			bytes[i] = (unsigned char)unit_rand();
			buf_printf(&in, "%02x", bytes[i]);
		}
		buf_reset(&want);
		buf_putc(&want, '"');
		base64_append(&want, bytes, n);
		buf_putc(&want, '"');
		convert(PGOID_BYTEA, in.data, in.len, 0);
		CHECK_MEM(got.data, got.len, want.data);
	}
	free(bytes);
	CHECK(pv_tmp.cap <= PV_KEEP_BYTES);
}

static void
test_arrays(void)
{
	T(1007, "{1,2,NULL}", "[1,2,null]");
	T(1007, "{}", "[]");
	T(1007, "{NULL}", "[null]");
	T(1005, "{-32768,0,32767}", "[-32768,0,32767]");
	T(1016, "{-9223372036854775808}", "[-9223372036854775808]");
	T(1028, "{1,4294967295}", "[1,4294967295]");
	/* Quoting, escapes, NULL unquoted and quoted, the empty string. */
	T(1009, "{\"a b\",\"x\\\"y\",\"\",\"NULL\",\"null\",\"a\\\\b\",x}",
	    "[\"a b\",\"x\\\"y\",\"\",\"NULL\",\"null\",\"a\\\\b\",\"x\"]");
	T(1009, "{\"a\nb\",\"{\",\" x\",\xc3\xa9,\"A,B\",\"}\"}",
	    "[\"a\\nb\",\"{\",\" x\",\"\xc3\xa9\",\"A,B\",\"}\"]");
	T(1009, "{null,Null,\"NULL\"}", "[null,null,\"NULL\"]");
	T(1009, "{NULLx,xNULL}", "[\"NULLx\",\"xNULL\"]");
	T(1015, "{abc,\"d e\"}", "[\"abc\",\"d e\"]");
	T(1014, "{\"ab \",cd}", "[\"ab \",\"cd\"]");
	T(1003, "{pg_catalog,public}", "[\"pg_catalog\",\"public\"]");
	T(1002, "{a,\"\\\\\"}", "[\"a\",\"\\\\\"]");
	/* Numbers keep their digits; non-numbers become strings. */
	T(1231, "{19.990,NaN,-0.000,Infinity,-Infinity,NULL}",
	    "[19.990,\"NaN\",-0.000,\"Infinity\",\"-Infinity\",null]");
	TF(1231, "{19.990,NaN,NULL}", PGVAL_NUMERIC_STRING,
	    "[\"19.990\",\"NaN\",null]");
	T(1022, "{1.5,NaN,-Infinity,1e+100,-0,1.2345678e-05}",
	    "[1.5,\"NaN\",\"-Infinity\",1e+100,-0,1.2345678e-05]");
	T(1021, "{3.4028235e+38,Infinity}", "[3.4028235e+38,\"Infinity\"]");
	T(1000, "{t,f,NULL}", "[true,false,null]");
	/* Dates and times as their scalars. */
	T(1182, "{2026-11-22,\"0044-03-15 BC\",infinity,10000-01-01}",
	    "[\"2026-11-22\",\"-0043-03-15\",\"infinity\",\"+10000-01-01\"]");
	T(1115, "{\"2026-11-22 10:00:01.25\",\"0044-03-15 00:00:00 BC\","
	    "-infinity}", "[\"2026-11-22T10:00:01.25\","
	    "\"-0043-03-15T00:00:00\",\"-infinity\"]");
	T(1185, "{\"2026-11-22 10:00:01.25+00\",infinity,-infinity}",
	    "[\"2026-11-22T10:00:01.250Z\",\"infinity\",\"-infinity\"]");
	T(1183, "{01:02:03,\"10:00:01.25\"}",
	    "[\"01:02:03\",\"10:00:01.25\"]");
	T(1270, "{12:00:00+05}", "[\"12:00:00+05\"]");
	T(1187, "{\"1 day\",\"-10 mons\",00:00:01}",
	    "[\"1 day\",\"-10 mons\",\"00:00:01\"]");
	T(2951, "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}",
	    "[\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\",null]");
	T(791, "{\"$1,000.00\",$0.50}", "[\"$1,000.00\",\"$0.50\"]");
	T(143, "{\"<a b=\\\"c\\\"/>\"}", "[\"<a b=\\\"c\\\"/>\"]");
	/* json elements embedded, after their own quoting is undone. */
	T(199, "{\"{\\\"a\\\":1}\",\"[1, 2]\",NULL,\"\\\"x\\\"\",3}",
	    "[{\"a\":1},[1,2],null,\"x\",3]");
	T(3807, "{\"{\\\"a\\\": {\\\"b\\\": [1, \\\"c d\\\"]}}\",null}",
	    "[{\"a\":{\"b\":[1,\"c d\"]}},null]");
	T(3807, "{\"{\\\"a\\\":\"}", "[\"{\\\"a\\\":\"]");	/* bad elem */
	/* bytea elements: "\\x..." in the array text. */
	T(1001, "{\"\\\\x48656c6c6f\",\"\\\\x\",NULL}",
	    "[\"SGVsbG8=\",\"\",null]");
	/* An element that is not its type is a string element. */
	T(1007, "{1,x,2.5}", "[1,\"x\",\"2.5\"]");
	T(1000, "{t,maybe}", "[true,\"maybe\"]");
	/* array_in's laxer forms. */
	T(1007, "{ 1 , 2 }", "[1,2]");
	T(1007, " {1} ", "[1]");
	T(1007, "{ }", "[]");
	T(1007, "{\n1,\t2\r}", "[1,2]");
	T(1009, "{a b}", "[\"a b\"]");
	T(1009, "{ a b  ,c}", "[\"a b\",\"c\"]");
	T(1009, "{a\\ ,b}", "[\"a \",\"b\"]");
	T(1009, "{a\\,b,\\\"}", "[\"a,b\",\"\\\"\"]");
	T(1009, "{\\NULL,NUL\\L}", "[\"NULL\",\"NULL\"]");
	T(1009, "{\"a\" , \"b\"}", "[\"a\",\"b\"]");
	T(1009, "{\"\\a\\b\"}", "[\"ab\"]");
	/* Multi-dimensional and with bounds: the text. */
	TS(1007, "{{1,2},{3,4}}");
	TS(1007, "{{}}");
	TS(1007, "[0:1]={1,2}");
	TS(1007, "[1:1][1:2]={{1,2}}");
	T(1009, "{{\"a\"}}", "\"{{\\\"a\\\"}}\"");
	/* Not an array type: the array text is just text. */
	TS(PGOID_TEXT, "{1,2}");
	TS(1020, "{(1,1),(0,0);(2,2),(1,1)}");	/* box[], ';' delimited */
	T(1017, "{\"(1,2)\"}", "\"{\\\"(1,2)\\\"}\"");	/* point[] */
}

static void
test_arrays_malformed(void)
{
	TS(1007, "");
	TS(1007, "{");
	TS(1007, "}");
	TS(1007, "{1,2");
	TS(1007, "{1,2,");
	TS(1007, "{1,,2}");
	TS(1007, "{,}");
	TS(1007, "{,1}");
	TS(1007, "{1,}");
	TS(1007, "{1,2}x");
	TS(1007, "{1,2}}");
	TS(1007, "{1 2 3,}");
	TS(1007, "1,2");
	TS(1007, "{1,{2}}");
	TS(1007, "{1{,2}");
	T(1009, "{\"a}", "\"{\\\"a}\"");
	T(1009, "{\"a\\\"}", "\"{\\\"a\\\\\\\"}\"");
	T(1009, "{a\"b\"}", "\"{a\\\"b\\\"}\"");
	T(1009, "{\"a\"b}", "\"{\\\"a\\\"b}\"");
	T(1009, "{\"a\"\"b\"}", "\"{\\\"a\\\"\\\"b\\\"}\"");
	T(1009, "{a\\}", "\"{a\\\\}\"");
	T(1009, "{a\\", "\"{a\\\\\"");
}

static void
test_arrays_large(void)
{
	size_t i;

	/* One element larger than the scratch kept, with escapes. */
	buf_reset(&in);
	buf_reset(&want);
	buf_puts(&in, "{x,\"");
	buf_puts(&want, "[\"x\",\"");
	for (i = 0; i < 2 * PV_KEEP_BYTES; i++) {
		buf_puts(&in, i % 7 == 0 ? "\\\"" : "y");
		buf_puts(&want, i % 7 == 0 ? "\\\"" : "y");
	}
	buf_puts(&in, "\",NULL}");
	buf_puts(&want, "\",null]");
	convert(1009, in.data, in.len, 0);
	CHECK_MEM(got.data, got.len, want.data);
	CHECK(pv_elem.cap <= PV_KEEP_BYTES);

	/* Many elements. */
	buf_reset(&in);
	buf_reset(&want);
	buf_putc(&in, '{');
	buf_putc(&want, '[');
	for (i = 0; i < 50000; i++) {
		buf_printf(&in, "%s%zu", i ? "," : "", i * 7919);
		buf_printf(&want, "%s%zu", i ? "," : "", i * 7919);
	}
	buf_putc(&in, '}');
	buf_putc(&want, ']');
	convert(1016, in.data, in.len, 0);
	CHECK_MEM(got.data, got.len, want.data);
}

static void
test_array_elem(void)
{
	/* pg_type of PostgreSQL 15: array type, element type. */
	static const uint32_t map[][2] = {
		{ 1005, 21 }, { 1007, 23 }, { 1016, 20 }, { 1009, 25 },
		{ 1015, 1043 }, { 1014, 1042 }, { 1231, 1700 }, { 1021, 700 },
		{ 1022, 701 }, { 1000, 16 }, { 1182, 1082 }, { 1115, 1114 },
		{ 1185, 1184 }, { 2951, 2950 }, { 199, 114 }, { 3807, 3802 },
		{ 1001, 17 }, { 1003, 19 }, { 1183, 1083 }, { 1187, 1186 },
		{ 1002, 18 }, { 1028, 26 }, { 1270, 1266 }, { 143, 142 },
		{ 791, 790 }
	};
	static const uint32_t none[] = {
		0, 16, 23, 25, 114, 1700, 3802, 1017, 1020, 2277, 4294967295u
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		CHECK_INT(pgval_array_elem(map[i][0]), map[i][1]);
	for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
		CHECK_INT(pgval_array_elem(none[i]), 0);
}

/*
 * Random text for every type: whatever it is, the output is one valid JSON
 * value. The alphabet is weighted towards what the parsers look at.
 */
static void
test_garbage(void)
{
	static const uint32_t oids[] = {
		PGOID_BOOL, PGOID_BYTEA, PGOID_INT8, PGOID_INT4, PGOID_OID,
		PGOID_TEXT, PGOID_JSON, PGOID_FLOAT8, PGOID_NUMERIC,
		PGOID_TIMESTAMP, PGOID_TIMESTAMPTZ, PGOID_JSONB, PGOID_DATE,
		1000, 1001, 1007, 1009, 1022, 1115, 1185, 1231, 199, 3807
	};
	static const char alpha[] = "{}[],\"\\ \t\n:.-+eE0123456789x"
	    "tfNULaI\xff\xc3\xa9";
	char s[40];
	size_t i, k, n, t;
	int before = nonjson;

	for (t = 0; t < sizeof(oids) / sizeof(oids[0]); t++)
		for (i = 0; i < 400; i++) {
			n = unit_rand() % sizeof(s);
			for (k = 0; k < n; k++)
				s[k] = i % 4 == 0 ? (char)unit_rand() :
				    alpha[unit_rand() % (sizeof(alpha) - 1)];
			convert(oids[t], s, n, (int)(i & 1));
		}
	CHECK_INT(nonjson - before, 0);
}

/* test_pgval --convert OID [FLAGS]: see the top of the file. */
static int
run_convert(int argc, char **argv)
{
	struct jout out;
	struct buf val = BUF_INIT;
	char *line = NULL, *end;
	size_t cap = 0, n;
	ssize_t len;
	unsigned long oid, flags = 0;

	if (argc < 3 || argc > 4)
		diag_usage("usage: test_pgval --convert OID [FLAGS]");
	oid = strtoul(argv[2], &end, 10);
	if (*argv[2] == '\0' || *end != '\0' || oid > UINT32_MAX)
		diag_usage("not a type OID: \"%s\"", argv[2]);
	if (argc == 4) {
		flags = strtoul(argv[3], &end, 0);
		if (*argv[3] == '\0' || *end != '\0' || flags > 0xFF)
			diag_usage("not flags: \"%s\"", argv[3]);
	}
	jout_init(&out, STDOUT_FILENO, "standard output");
	while ((len = getline(&line, &cap, stdin)) > 0) {
		n = (size_t)len;
		if (line[n - 1] == '\n')
			n--;
		if (pgval_copy_field(line, n, &val))
			jout_raw(&out, "null", 4);
		else
			pgval_write(&out, (uint32_t)oid, val.data, val.len,
			    (int)flags);
		jout_char(&out, '\n');
	}
	if (ferror(stdin))
		diag_err(EXIT_DATA, "could not read standard input");
	jout_close(&out);
	free(line);
	buf_free(&val);
	jscan_free(&pv_doc);
	buf_free(&pv_elem);
	buf_free(&pv_tmp);
	return EXIT_OK;
}

/* test_pgval --elem OID...: see the top of the file. */
static int
run_elem(int argc, char **argv)
{
	unsigned long oid;
	char *end;
	int i;

	for (i = 2; i < argc; i++) {
		oid = strtoul(argv[i], &end, 10);
		if (*argv[i] == '\0' || *end != '\0' || oid > UINT32_MAX)
			diag_usage("not a type OID: \"%s\"", argv[i]);
		printf("%lu %lu\n", oid,
		    (unsigned long)pgval_array_elem((uint32_t)oid));
	}
	if (fflush(stdout) != 0)
		diag_err(EXIT_DATA, "could not write to standard output");
	return EXIT_OK;
}

/* pgval_copy_field: COPY text escapes, as PostgreSQL writes and reads them. */
static void
test_copy_field(void)
{
	static const struct { const char *in, *out; } cases[] = {
		{ "plain", "plain" }, { "a\\tb", "a\tb" },
		{ "\\b\\f\\n\\r\\t\\v", "\b\f\n\r\t\v" },
		{ "\\\\", "\\" }, { "\\101\\7", "A\a" },
		{ "\\x41\\x4", "A\x04" }, { "\\x", "x" }, { "\\xg", "xg" },
		{ "\\q", "q" }, { "end\\", "end\\" }, { "", "" },
		{ "\\NULL", "NULL" }
	};
	struct buf b = BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK_INT(pgval_copy_field(cases[i].in, strlen(cases[i].in),
		    &b), 0);
		CHECK_STR(b.data, cases[i].out);
	}
	CHECK_INT(pgval_copy_field("\\N", 2, &b), 1);
	buf_free(&b);
}

int
main(int argc, char **argv)
{
	diag_init(argv[0]);
	if (argc > 1 && strcmp(argv[1], "--convert") == 0)
		return run_convert(argc, argv);
	if (argc > 1 && strcmp(argv[1], "--elem") == 0)
		return run_elem(argc, argv);
	if (argc > 1)
		diag_usage("usage: test_pgval [--convert OID [FLAGS] | "
		    "--elem OID...]");

	UNIT_NAME("test_pgval");
	unit_rng_state = UINT64_C(0xbb67ae8584caa73b);
	setup();
	test_ints();
	test_numeric();
	test_float();
	test_bool();
	test_timestamptz();
	test_timestamp();
	test_strings();
	test_utf8();
	test_json();
	test_bytea();
	test_arrays();
	test_arrays_malformed();
	test_arrays_large();
	test_array_elem();
	test_garbage();
	/* Every case above wrote one valid JSON value. */
	CHECK_INT(nonjson, 0);
	teardown();
	test_copy_field();
	return unit_report();
}
