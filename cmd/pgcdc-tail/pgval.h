/*
 * pgval.h: PostgreSQL values, as text in the server's output format, to
 * JSON (issue 3's type mapping; DESIGN.md section 2).
 *
 * pgoutput and COPY both deliver each column as its type's text output.
 * The connection is opened with DateStyle=ISO, TimeZone=UTC,
 * IntervalStyle=postgres and extra_float_digits=3 so that text is stable:
 * timestamptz arrives as "2026-11-22 10:00:01.25+00", floats in shortest
 * round-trip form, dates as YYYY-MM-DD.
 *
 *	pgval_write(&jout_stdout, 1700, "19.990", 6, PGVAL_DEFAULT);
 *	// writes 19.990
 */
#ifndef CDC_PGVAL_H
#define CDC_PGVAL_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "jout.h"

/* Flags. */
#define PGVAL_DEFAULT		0
#define PGVAL_NUMERIC_STRING	0x01	/* --numeric string: quote numerics */

/* Type OIDs of the built-in types the mapping knows (pg_type.dat). */
enum {
	PGOID_BOOL = 16, PGOID_BYTEA = 17, PGOID_CHAR = 18, PGOID_NAME = 19,
	PGOID_INT8 = 20, PGOID_INT2 = 21, PGOID_INT4 = 23, PGOID_TEXT = 25,
	PGOID_OID = 26, PGOID_JSON = 114, PGOID_XML = 142,
	PGOID_FLOAT4 = 700, PGOID_FLOAT8 = 701, PGOID_MONEY = 790,
	PGOID_BPCHAR = 1042, PGOID_VARCHAR = 1043, PGOID_DATE = 1082,
	PGOID_TIME = 1083, PGOID_TIMESTAMP = 1114, PGOID_TIMESTAMPTZ = 1184,
	PGOID_INTERVAL = 1186, PGOID_TIMETZ = 1266, PGOID_NUMERIC = 1700,
	PGOID_UUID = 2950, PGOID_JSONB = 3802
};

/*
 * Write the value of a column of type `oid` whose text output is
 * text[0..len) as one JSON value:
 *   int2/int4/int8/oid        number, as sent
 *   numeric                   number with exactly the digits sent; NaN,
 *                             Infinity, -Infinity as strings; quoted with
 *                             PGVAL_NUMERIC_STRING
 *   float4/float8             number as sent (shortest round trip); NaN,
 *                             Infinity, -Infinity as strings
 *   bool                      true / false ("t" / "f")
 *   date                      "YYYY-MM-DD"
 *   timestamptz               RFC 3339 UTC: "2026-11-22T10:00:01.250Z"
 *   timestamp                 RFC 3339 without zone: "2026-11-22T10:00:01.25"
 *                             (these three with ISO 8601 expanded years
 *                             outside 0000-9999, "-0044-03-15" for
 *                             PostgreSQL's "0045-03-15 BC", "+10000-01-01";
 *                             "infinity" and "-infinity" as such)
 *   json, jsonb               the JSON value itself, not a string
 *   bytea                     base64 of the bytes ("\x..." hex input)
 *   one-dimensional arrays    JSON arrays of the element mapping (the
 *   of the above              array type OID is resolved to its element
 *                             with pgval_array_elem)
 *   anything else             its text as a JSON string (text, varchar,
 *                             time, interval, uuid, enums, ...)
 * A value that does not parse as its type claims (which the server never
 * sends) is written as a string. Returns 0.
 */
int	pgval_write(struct jout *o, uint32_t oid, const char *text, size_t len,
	    int flags);

/* One field of COPY's text format, unescaped into out (reset first):
 * 1 when it is \N (NULL), else 0. */
int	pgval_copy_field(const char *s, size_t n, struct buf *out);

/* Element type of a built-in array type OID (1007 int4[] -> 23), or 0 when
 * oid is not a known array type. */
uint32_t pgval_array_elem(uint32_t oid);

#endif
