/*
 * pgval.c: PostgreSQL values, as text in the server's output format, to
 * JSON (pgval.h).
 *
 * Each converter checks the whole text before it writes a byte, so a value
 * that is not what its type claims can still be written as a JSON string
 * instead: the output is valid JSON whatever the input. Nothing is copied
 * on the common paths; the few scratch buffers (an unescaped array element,
 * base64 chunks, repaired UTF-8, the JSON scanner's tape) are file-local,
 * reused from value to value, and released after an unusually large value
 * so that one huge column does not pin its memory for the rest of the run.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "base64.h"
#include "buf.h"
#include "jout.h"
#include "jscan.h"
#include "numtext.h"
#include "pgval.h"
#include "tstamp.h"

/* Scratch kept between values up to these sizes; larger is freed. */
#define PV_KEEP_BYTES	(64 * 1024)
#define PV_KEEP_TOKENS	4096
/* bytea bytes decoded per base64 chunk: a multiple of 3, so only the last
 * chunk can need padding. */
#define PV_BYTEA_CHUNK	3072

static int	pv_isdigit(char);
static int	pv_isspace(char);
static int	pv_hexval(char);
static void	pv_buf_trim(struct buf *);
static size_t	pv_utf8_seq(const unsigned char *, size_t, int *);
static void	pv_string(struct jout *, const char *, size_t);
static int	pv_is_int(const char *, size_t);
static int	pv_is_uint(const char *, size_t);
static void	pv_numeric(struct jout *, const char *, size_t, int);
static int	pv_float_rewrite(struct jout *, const char *, size_t);
static void	pv_float(struct jout *, const char *, size_t);
static void	pv_bool(struct jout *, const char *, size_t);
static void	pv_timestamptz(struct jout *, const char *, size_t);
static int	pv_is_time(const char *, size_t);
static size_t	pv_date_text(const char *, size_t, int, char *);
static void	pv_timestamp(struct jout *, const char *, size_t);
static void	pv_date(struct jout *, const char *, size_t);
static void	pv_json(struct jout *, const char *, size_t);
static void	pv_bytea(struct jout *, const char *, size_t);
static int	pv_array_scan(struct jout *, uint32_t, const char *, size_t,
		    int);
static void	pv_scalar(struct jout *, uint32_t, const char *, size_t, int);

static struct jdoc pv_doc = JDOC_INIT;	/* json/jsonb validation */
static struct buf pv_elem;		/* an unescaped array element */
static struct buf pv_tmp;		/* base64 chunks, repaired UTF-8 */

static int
pv_isdigit(char c)
{
	return c >= '0' && c <= '9';
}

/* White space as array_in skips it around elements. */
static int
pv_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static int
pv_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Empty b for the next value; free it when a large value grew it. */
static void
pv_buf_trim(struct buf *b)
{
	if (b->cap > PV_KEEP_BYTES)
		buf_free(b);
	else
		buf_reset(b);
}

/*
 * Length of the UTF-8 sequence at p[0..n), n > 0: *ok = 1 and the length of
 * a well-formed sequence (RFC 3629: no overlong forms, no surrogates, nothing
 * above U+10FFFF), or *ok = 0 and the length of the maximal ill-formed
 * subpart (Unicode's "maximal subpart" practice, as Python's and the WHATWG
 * decoders replace): a lead byte and whatever continuation bytes can still
 * belong to it, at least one byte.
 */
static size_t
pv_utf8_seq(const unsigned char *p, size_t n, int *ok)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t need, i;

	*ok = 0;
	if (p[0] < 0x80) {
		*ok = 1;
		return 1;
	}
	if (p[0] >= 0xC2 && p[0] <= 0xDF)
		need = 2;
	else if (p[0] >= 0xE0 && p[0] <= 0xEF) {
		need = 3;
		if (p[0] == 0xE0)
			lo = 0xA0;	/* overlong below U+0800 */
		else if (p[0] == 0xED)
			hi = 0x9F;	/* surrogates */
	} else if (p[0] >= 0xF0 && p[0] <= 0xF4) {
		need = 4;
		if (p[0] == 0xF0)
			lo = 0x90;	/* overlong below U+10000 */
		else if (p[0] == 0xF4)
			hi = 0x8F;	/* above U+10FFFF */
	} else
		return 1;		/* 80-C1, F5-FF: never a lead byte */
	if (n < 2 || p[1] < lo || p[1] > hi)
		return 1;
	for (i = 2; i < need && i < n && p[i] >= 0x80 && p[i] <= 0xBF; i++)
		;
	*ok = i == need;
	return i;
}

/*
 * s[0..n) as a JSON string. Text that is not well-formed UTF-8 (a SQL_ASCII
 * database stores any bytes) gets U+FFFD for each maximal ill-formed
 * subpart, rather than making the whole line invalid JSON.
 */
static void
pv_string(struct jout *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i, k;
	int ok;

	if (jscan_utf8_valid(s, n)) {
		jout_str(o, s, n);
		return;
	}
	buf_reset(&pv_tmp);
	for (i = 0; i < n; i += k) {
		k = pv_utf8_seq(p + i, n - i, &ok);
		if (ok)
			buf_append(&pv_tmp, s + i, k);
		else
			buf_append(&pv_tmp, "\xEF\xBF\xBD", 3);
	}
	jout_str(o, pv_tmp.data, pv_tmp.len);
	pv_buf_trim(&pv_tmp);
}

/* 1 when s[0..n) is a JSON integer: -?(0|[1-9][0-9]*). */
static int
pv_is_int(const char *s, size_t n)
{
	if (n > 0 && s[0] == '-') {
		s++;
		n--;
	}
	return pv_is_uint(s, n);
}

/* 1 when s[0..n) is 0|[1-9][0-9]*. */
static int
pv_is_uint(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || (s[0] == '0' && n > 1))
		return 0;
	for (i = 0; i < n; i++)
		if (!pv_isdigit(s[i]))
			return 0;
	return 1;
}

/*
 * numeric: its text is already a JSON number with the exact digits
 * ("19.990", "-0.5", a thousand digits); NaN, Infinity, -Infinity and
 * anything else that is not a JSON number become strings.
 */
static void
pv_numeric(struct jout *o, const char *s, size_t n, int flags)
{
	struct numtext nt;

	if ((flags & PGVAL_NUMERIC_STRING) == 0 &&
	    numtext_split(&nt, s, n) == 0)
		jout_raw(o, s, n);
	else
		pv_string(o, s, n);
}

/*
 * Write C-style floating-point text (an optional sign, digits with an
 * optional point and digits on at least one side, an optional exponent) as
 * the JSON number of the same value: no "+" sign, no leading zeros, a point
 * only with digits after it ("+.5" -> 0.5, "007." -> 7, "1.e5" -> 1e5).
 * Returns -1, writing nothing, when s is not such text.
 */
static int
pv_float_rewrite(struct jout *o, const char *s, size_t n)
{
	size_t i = 0, ib, ie, fb, fe, eb;
	int neg = 0;

	if (i < n && (s[i] == '+' || s[i] == '-'))
		neg = s[i++] == '-';
	for (ib = i; i < n && pv_isdigit(s[i]); i++)
		;
	ie = fb = fe = i;
	if (i < n && s[i] == '.') {
		for (fb = ++i; i < n && pv_isdigit(s[i]); i++)
			;
		fe = i;
	}
	if (ie == ib && fe == fb)
		return -1;
	eb = i;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		if (i == n || !pv_isdigit(s[i]))
			return -1;
		while (i < n && pv_isdigit(s[i]))
			i++;
	}
	if (i != n)
		return -1;

	if (neg)
		jout_char(o, '-');
	while (ie - ib > 1 && s[ib] == '0')
		ib++;
	if (ie == ib)
		jout_char(o, '0');
	else
		jout_raw(o, s + ib, ie - ib);
	if (fe > fb) {
		jout_char(o, '.');
		jout_raw(o, s + fb, fe - fb);
	}
	jout_raw(o, s + eb, n - eb);	/* [eE][+-]?digits is JSON */
	return 0;
}

/*
 * float4/float8: PostgreSQL 12 and later print the shortest round-trip form
 * ("1.5", "-0", "1e+100", "1.2345678e-05"), already JSON; other C-style
 * forms are rewritten, NaN, Infinity, -Infinity and the rest are strings.
 */
static void
pv_float(struct jout *o, const char *s, size_t n)
{
	struct numtext nt;

	if (numtext_split(&nt, s, n) == 0)
		jout_raw(o, s, n);
	else if (pv_float_rewrite(o, s, n) != 0)
		pv_string(o, s, n);
}

static void
pv_bool(struct jout *o, const char *s, size_t n)
{
	if (n == 1 && s[0] == 't')
		jout_raw(o, "true", 4);
	else if (n == 1 && s[0] == 'f')
		jout_raw(o, "false", 5);
	else
		pv_string(o, s, n);
}

/*
 * timestamptz ("2026-11-22 10:00:01.25+00") as RFC 3339 UTC with
 * milliseconds, or microseconds when there are any
 * ("2026-11-22T10:00:01.250Z"); outside years 0000-9999 with ISO 8601
 * expanded years ("0045-03-15 12:00:00+00 BC" -> "-0044-03-15T12:00:00.000Z",
 * "10000-01-01 00:00:00+00" -> "+10000-01-01T00:00:00.000Z"), infinity and
 * -infinity as those words (DESIGN.md section 4). PostgreSQL's last years,
 * past 294247-01-10, are past an int64_t of microseconds: ts_normalize
 * writes them all the same, and the other tools call them out of range.
 */
static void
pv_timestamptz(struct jout *o, const char *s, size_t n)
{
	char text[TS_STRLEN];
	int64_t us;
	size_t len;

	if (ts_parse(s, n, &us) == 0)
		jout_time(o, us);
	else if ((len = ts_normalize(s, n, text)) > 0) {
		jout_char(o, '"');
		jout_raw(o, text, len);
		jout_char(o, '"');
	} else
		pv_string(o, s, n);
}

/* 1 when s[0..n) is "HH:MM:SS[.f]" with 1 to 6 fraction digits, a real
 * time of day (PostgreSQL never writes a leap second). */
static int
pv_is_time(const char *s, size_t n)
{
	static const char shape[] = "dd:dd:dd";
	size_t i;

	if (n < sizeof(shape) - 1 || n > sizeof(shape) - 1 + 7 ||
	    n == sizeof(shape))
		return 0;
	for (i = 0; i < n; i++)
		if (i < sizeof(shape) - 1 ? (shape[i] == 'd' ?
		    !pv_isdigit(s[i]) : s[i] != shape[i]) :
		    i == sizeof(shape) - 1 ? s[i] != '.' : !pv_isdigit(s[i]))
			return 0;
	return (s[0] - '0') * 10 + (s[1] - '0') <= 23 && s[3] <= '5' &&
	    s[6] <= '5';
}

/*
 * The date at the start of a timestamp's text s[0..n) ("2026-11-22",
 * "10000-01-01", "0045-03-15", then ... " BC" at the very end when bc) as
 * ts_format_date writes it, into out; the length, or 0 when it is not one.
 */
static size_t
pv_date_text(const char *s, size_t n, int bc, char *out)
{
	char date[TS_DATE_STRLEN + 4];
	int64_t days;

	if (n + 3 >= sizeof(date))
		return 0;
	memcpy(date, s, n);
	if (bc)
		memcpy(date + n, " BC", 3);
	if (ts_parse_date(date, n + (bc ? 3 : 0), &days) != 0 ||
	    !TS_FINITE(days))
		return 0;
	return ts_format_date(days, out);
}

/*
 * timestamp without time zone ("2026-11-22 10:00:01.25") as RFC 3339 local
 * time: the time of day as PostgreSQL wrote it, after a "T", and the date as
 * a date column's ("0045-03-15 12:00:00 BC" -> "-0044-03-15T12:00:00",
 * "10000-01-01 00:00:00" -> "+10000-01-01T00:00:00"); infinity and -infinity
 * as those words.
 */
static void
pv_timestamp(struct jout *o, const char *s, size_t n)
{
	char date[TS_DATE_STRLEN];
	const char *sp;
	size_t m = n, dl = 0;
	int64_t days;
	int bc;

	if (ts_parse_date(s, n, &days) == 0 && !TS_FINITE(days)) {
		jout_time(o, days);
		return;
	}
	bc = n > 3 && memcmp(s + n - 3, " BC", 3) == 0;
	if (bc)
		m -= 3;
	sp = memchr(s, ' ', m);
	if (sp == NULL || !pv_is_time(sp + 1, (size_t)(s + m - sp - 1)) ||
	    (dl = pv_date_text(s, (size_t)(sp - s), bc, date)) == 0) {
		pv_string(o, s, n);
		return;
	}
	jout_char(o, '"');
	jout_raw(o, date, dl);
	jout_char(o, 'T');
	jout_raw(o, sp + 1, (size_t)(s + m - sp - 1));
	jout_char(o, '"');
}

/* date ("2026-11-22", "0045-03-15 BC", "infinity") as ts_format_date
 * writes it: "2026-11-22", "-0044-03-15", "infinity". */
static void
pv_date(struct jout *o, const char *s, size_t n)
{
	char text[TS_DATE_STRLEN];
	int64_t days;
	size_t len;

	if (ts_parse_date(s, n, &days) != 0) {
		pv_string(o, s, n);
		return;
	}
	len = ts_format_date(days, text);
	jout_char(o, '"');
	jout_raw(o, text, len);
	jout_char(o, '"');
}

/*
 * json/jsonb: the value itself once jscan_parse has checked it, without the
 * white space between tokens. json keeps its input text verbatim, newlines
 * included, and a newline would end the NDJSON line; jsonb's ", " and ": "
 * go too, for one compact form. Text that does not parse (bytes that are not
 * UTF-8 in a SQL_ASCII database) is written as a string.
 */
static void
pv_json(struct jout *o, const char *s, size_t n)
{
	size_t i, run = 0;
	int instr = 0;

	if (jscan_parse(&pv_doc, s, n) != 0) {
		pv_string(o, s, n);
		return;
	}
	if (pv_doc.cap > PV_KEEP_TOKENS)
		jscan_free(&pv_doc);
	/* Checked above: every string is closed, every escape complete. */
	for (i = 0; i < n; i++) {
		if (instr) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				instr = 0;
		} else if (s[i] == '"')
			instr = 1;
		else if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' ||
		    s[i] == '\r') {
			if (i > run)
				jout_raw(o, s + run, i - run);
			run = i + 1;
		}
	}
	jout_raw(o, s + run, n - run);
}

/*
 * bytea in hex format ("\x48656c6c6f") as a base64 string ("SGVsbG8="),
 * converted a chunk at a time in constant memory. Other text (the escape
 * format of bytea_output=escape) is written as a string.
 */
static void
pv_bytea(struct jout *o, const char *s, size_t n)
{
	unsigned char chunk[PV_BYTEA_CHUNK];
	size_t i, k;

	if (n < 2 || s[0] != '\\' || s[1] != 'x' || (n - 2) % 2 != 0) {
		pv_string(o, s, n);
		return;
	}
	for (i = 2; i < n; i++)
		if (pv_hexval(s[i]) < 0) {
			pv_string(o, s, n);
			return;
		}
	jout_char(o, '"');
	for (i = 2; i < n; ) {
		for (k = 0; k < sizeof(chunk) && i < n; k++, i += 2)
			chunk[k] = (unsigned char)(pv_hexval(s[i]) << 4 |
			    pv_hexval(s[i + 1]));
		buf_reset(&pv_tmp);
		base64_append(&pv_tmp, chunk, k);
		jout_raw(o, pv_tmp.data, pv_tmp.len);
	}
	jout_char(o, '"');
	pv_buf_trim(&pv_tmp);
}

/*
 * One pass over a one-dimensional array's text as array_out writes it: "{",
 * elements separated by ",", "}". An element is NULL (unquoted, any case),
 * a double-quoted string in which a backslash takes the next character
 * literally, or an unquoted run of other characters. array_in's laxer forms
 * are read too: white space around the braces and elements, inner white
 * space and backslashes in unquoted elements. Multi-dimensional arrays
 * ("{{1,2},{3,4}}") and explicit bounds ("[0:1]={1,2}") are not
 * one-dimensional: -1.
 *
 * With o NULL the pass only checks and returns 0 or -1; with o it writes
 * the JSON array, each element converted as type elem (pass checked first:
 * on text that fails the check, part of an array may have been written).
 */
static int
pv_array_scan(struct jout *o, uint32_t elem, const char *s, size_t n,
    int flags)
{
	size_t i, b, e, k;
	int esc, null, first = 1;

	for (i = 0; i < n && pv_isspace(s[i]); i++)
		;
	if (i == n || s[i] != '{')
		return -1;
	if (o != NULL)
		jout_char(o, '[');
	for (i++; i < n && pv_isspace(s[i]); i++)
		;
	if (i < n && s[i] == '}') {
		i++;
		goto end;
	}
	for (;;) {
		while (i < n && pv_isspace(s[i]))
			i++;
		if (i == n)
			return -1;
		esc = null = 0;
		if (s[i] == '"') {
			for (b = ++i; i < n && s[i] != '"'; i++)
				if (s[i] == '\\') {
					esc = 1;
					if (++i == n)
						return -1;
				}
			if (i == n)
				return -1;
			e = i++;
		} else {
			/* e follows the last character that is not
			 * unescaped white space: array_in trims those. */
			for (b = e = i; i < n && s[i] != ',' && s[i] != '}';
			    i++) {
				if (s[i] == '{' || s[i] == '"')
					return -1;
				if (s[i] == '\\') {
					esc = 1;
					if (++i == n)
						return -1;
					e = i + 1;
				} else if (!pv_isspace(s[i]))
					e = i + 1;
			}
			if (e == b)
				return -1;
			null = !esc && e - b == 4 &&
			    strncasecmp(s + b, "NULL", 4) == 0;
		}
		while (i < n && pv_isspace(s[i]))
			i++;
		if (i == n || (s[i] != ',' && s[i] != '}'))
			return -1;
		if (o != NULL) {
			if (!first)
				jout_char(o, ',');
			if (null)
				jout_raw(o, "null", 4);
			else if (!esc)
				pv_scalar(o, elem, s + b, e - b, flags);
			else {
				buf_reset(&pv_elem);
				for (k = b; k < e; k++) {
					if (s[k] == '\\')
						k++;
					buf_putc(&pv_elem, s[k]);
				}
				pv_scalar(o, elem, pv_elem.data, pv_elem.len,
				    flags);
			}
		}
		first = 0;
		if (s[i++] == '}')
			break;
	}
end:
	while (i < n && pv_isspace(s[i]))
		i++;
	if (i != n)
		return -1;
	if (o != NULL) {
		jout_char(o, ']');
		pv_buf_trim(&pv_elem);
	}
	return 0;
}

/* A value of a type that is not an array type. */
static void
pv_scalar(struct jout *o, uint32_t oid, const char *s, size_t n, int flags)
{
	switch (oid) {
	case PGOID_INT2:
	case PGOID_INT4:
	case PGOID_INT8:
		if (pv_is_int(s, n))
			jout_raw(o, s, n);
		else
			pv_string(o, s, n);
		break;
	case PGOID_OID:
		if (pv_is_uint(s, n))
			jout_raw(o, s, n);
		else
			pv_string(o, s, n);
		break;
	case PGOID_NUMERIC:
		pv_numeric(o, s, n, flags);
		break;
	case PGOID_FLOAT4:
	case PGOID_FLOAT8:
		pv_float(o, s, n);
		break;
	case PGOID_BOOL:
		pv_bool(o, s, n);
		break;
	case PGOID_TIMESTAMPTZ:
		pv_timestamptz(o, s, n);
		break;
	case PGOID_TIMESTAMP:
		pv_timestamp(o, s, n);
		break;
	case PGOID_DATE:
		pv_date(o, s, n);
		break;
	case PGOID_JSON:
	case PGOID_JSONB:
		pv_json(o, s, n);
		break;
	case PGOID_BYTEA:
		pv_bytea(o, s, n);
		break;
	default:
		/* Text types, time, interval, uuid, enums, and every type
		 * this file does not know. */
		pv_string(o, s, n);
		break;
	}
}

int
pgval_write(struct jout *o, uint32_t oid, const char *text, size_t len,
    int flags)
{
	uint32_t elem;

	if ((elem = pgval_array_elem(oid)) == 0)
		pv_scalar(o, oid, text, len, flags);
	else if (pv_array_scan(NULL, elem, text, len, flags) == 0)
		(void)pv_array_scan(o, elem, text, len, flags);
	else
		pv_string(o, text, len);
	return 0;
}

uint32_t
pgval_array_elem(uint32_t oid)
{
	/* pg_type.dat, checked against PostgreSQL 15's pg_type
	 * (typcategory 'A', typelem; every one has typdelim ','). */
	switch (oid) {
	case 143:	return PGOID_XML;
	case 199:	return PGOID_JSON;
	case 791:	return PGOID_MONEY;
	case 1000:	return PGOID_BOOL;
	case 1001:	return PGOID_BYTEA;
	case 1002:	return PGOID_CHAR;
	case 1003:	return PGOID_NAME;
	case 1005:	return PGOID_INT2;
	case 1007:	return PGOID_INT4;
	case 1009:	return PGOID_TEXT;
	case 1014:	return PGOID_BPCHAR;
	case 1015:	return PGOID_VARCHAR;
	case 1016:	return PGOID_INT8;
	case 1021:	return PGOID_FLOAT4;
	case 1022:	return PGOID_FLOAT8;
	case 1028:	return PGOID_OID;
	case 1115:	return PGOID_TIMESTAMP;
	case 1182:	return PGOID_DATE;
	case 1183:	return PGOID_TIME;
	case 1185:	return PGOID_TIMESTAMPTZ;
	case 1187:	return PGOID_INTERVAL;
	case 1231:	return PGOID_NUMERIC;
	case 1270:	return PGOID_TIMETZ;
	case 2951:	return PGOID_UUID;
	case 3807:	return PGOID_JSONB;
	default:	return 0;
	}
}

/*
 * Undo COPY's text format escapes of one field: \b \f \n \r \t \v, \ooo
 * octal, \xhh hex, a backslash before anything else is that character.
 * Returns 1 for \N (NULL), else 0 with the value in out. Used by the
 * snapshot (COPY ... TO STDOUT) and by the tests.
 */
int
pgval_copy_field(const char *s, size_t n, struct buf *out)
{
	size_t i, k;
	int v, d;

	buf_reset(out);
	if (n == 2 && s[0] == '\\' && s[1] == 'N')
		return 1;
	for (i = 0; i < n; i++) {
		if (s[i] != '\\' || i + 1 == n) {
			buf_putc(out, s[i]);
			continue;
		}
		switch (s[++i]) {
		case 'b': buf_putc(out, '\b'); break;
		case 'f': buf_putc(out, '\f'); break;
		case 'n': buf_putc(out, '\n'); break;
		case 'r': buf_putc(out, '\r'); break;
		case 't': buf_putc(out, '\t'); break;
		case 'v': buf_putc(out, '\v'); break;
		case 'x':
			for (v = 0, k = 0; k < 2 && i + 1 < n &&
			    (d = pv_hexval(s[i + 1])) >= 0; k++, i++)
				v = v * 16 + d;
			if (k == 0)
				buf_putc(out, 'x');
			else
				buf_putc(out, (char)v);
			break;
		default:
			if (s[i] >= '0' && s[i] <= '7') {
				v = s[i] - '0';
				for (k = 1; k < 3 && i + 1 < n &&
				    s[i + 1] >= '0' && s[i + 1] <= '7'; k++)
					v = v * 8 + (s[++i] - '0');
				buf_putc(out, (char)v);
			} else
				buf_putc(out, s[i]);
			break;
		}
	}
	return 0;
}
