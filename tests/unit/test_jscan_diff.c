/*
 * test_jscan_diff.c: differential test of jscan against jansson.
 *
 * The same corpus goes to jscan_parse and to json_loadb with
 * JSON_DECODE_ANY | JSON_ALLOW_NUL: hand-written cases for every grammar
 * rule and error class (each with its RFC 8259 verdict, which jscan must
 * give), deep nesting, huge strings, and some 200000 generated documents,
 * valid ones and mutated ones. The two must agree on validity and, when both
 * accept, on every value, save where jansson departs from RFC 8259: numbers
 * it cannot represent, U+0000 in an object key, a NUL byte it drops after a
 * number or literal. Those checks, each tolerating exactly its departure,
 * live in jscan_oracle.h, shared with tests/fuzz/fuzz_jscan.c; this file
 * feeds the corpus, adds the RFC 8259 verdicts, checks the member lookups
 * and jscan_i64 (against strtoll) on every accepted tape, and counts and
 * prints the disagreements. Every document both accept is checked a second
 * time with a tape of one eager token, where every nested container is
 * lazy: the lookups must see the same values through jscan_expand.
 *
 * Nesting depth is not an exception: jscan must agree with jansson's limit.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "diag.h"
#include "jout.h"
#include "jscan.h"
#include "jscan_oracle.h"
#include "unit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
#define MAX_SHOWN	30
#define RANDOM_DOCS	200000
#define MIB		((size_t)1 << 20)

enum rfc {
	RFC_ANY = -1,		/* RFC 8259 leaves it to the parser */
	RFC_INVALID = 0,
	RFC_VALID = 1
};

struct corpus_case {
	const char	*text;
	size_t		 len;
	int		 rfc;
};

static const char *ints_ok(const struct jdoc *);
static void	show(const char *, const char *, size_t);
static void	compare(const char *, const char *, size_t, int);
static uint64_t	rnd64(void);
static unsigned	rnd(unsigned);
static void	put_utf8(struct buf *, unsigned);
static void	put_u_escape(struct buf *, unsigned);
static void	make_nest(struct buf *, const char *, const char *, int,
		    const char *);
static void	gen_ws(struct buf *);
static void	gen_string(struct buf *, int);
static void	gen_key(struct buf *);
static void	gen_number(struct buf *);
static void	gen_value(struct buf *, int, int);
static void	buf_insert(struct buf *, size_t, const char *, size_t);
static void	mutate(struct buf *);
static void	huge_string(struct buf *, size_t, int, int);
static void	run_cases(void);
static void	run_depth(void);
static void	run_huge(void);
static void	run_random(void);

static struct jdoc doc = JDOC_INIT;
static struct jdoc lazydoc = JDOC_INIT;	/* eager = 1 */
static char jscan_says[256];	/* jscan's verdict, for the report */
static unsigned long shown, ndocs, nboth, nneither;
static unsigned long exc_number, exc_nulkey, exc_nul;
static uint64_t rng_state = UINT64_C(0x243f6a8885a308d3);

/* Every string token: jscan_str_canon writes what jout_quote_buf makes of
 * the unescaped string. NULL when it does, else what differed. */
static const char *
canon_ok(const struct jdoc *d)
{
	static struct buf a, u, q;
	uint32_t t;

	for (t = 0; t < d->ntok; t++) {
		if (d->tok[t].type != J_STRING)
			continue;
		buf_reset(&a);
		buf_reset(&u);
		buf_reset(&q);
		jscan_str_canon(d, (int)t, &a);
		jscan_str_append(d, (int)t, &u);
		jout_quote_buf(&q, u.data != NULL ? u.data : "", u.len);
		if (a.len != q.len || memcmp(a.data, q.data, a.len) != 0)
			return oracle_differ("token %u: jscan_str_canon gives "
			    "%.*s", t, (int)(a.len < 60 ? a.len : 60), a.data);
	}
	return NULL;
}

/* Every integer token of the tape, in range or not: jscan_i64 agrees with
 * strtoll, failing exactly where strtoll reports ERANGE. NULL when it does,
 * else what differed. */
static const char *
ints_ok(const struct jdoc *d)
{
	const char *raw;
	long long ll;
	int64_t v;
	uint32_t t;
	int r;

	for (t = 0; t < d->ntok; t++) {
		if (d->tok[t].type != J_NUMBER ||
		    (d->tok[t].flags & JT_INT) == 0)
			continue;
		raw = oracle_number_text(d, (int)t);
		errno = 0;
		ll = strtoll(raw, NULL, 10);
		r = jscan_i64(d, (int)t, &v);
		if (errno == ERANGE ? r != -1 : r != 0 || v != ll)
			return oracle_differ("token %u: jscan_i64 wrong for %s",
			    t, raw);
	}
	return NULL;
}

static void
show(const char *what, const char *s, size_t n)
{
	size_t i;

	fprintf(stderr, "  %s: \"", what);
	for (i = 0; i < n && i < 200; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(stderr, "\\%c", c);
		else if (c >= 0x20 && c < 0x7f)
			fputc(c, stderr);
		else
			fprintf(stderr, "\\x%02x", c);
	}
	fprintf(stderr, "\"%s (%zu bytes)\n", n > 200 ? "..." : "", n);
}

/* One document through both parsers: one check. */
static void
compare(const char *what, const char *text, size_t len, int rfc)
{
	json_error_t err;
	enum oracle_unrep u = ORACLE_NONE;
	const char *why;
	json_t *j;
	int js;

	ndocs++;
	js = jscan_parse(&doc, text, len);
	if (js == 0)
		snprintf(jscan_says, sizeof(jscan_says), "accepts");
	else
		snprintf(jscan_says, sizeof(jscan_says), "%s at offset %zu",
		    doc.err, doc.err_off);
	j = json_loadb(text, len, ORACLE_JFLAGS, &err);
	if (js == 0 && j != NULL) {
		why = oracle_same_value(&doc, 0, j);
		nboth++;
		/* again with every nested container lazy */
		lazydoc.eager = 1;
		if (why == NULL && jscan_parse(&lazydoc, text, len) != 0)
			why = "jscan with lazy containers rejects";
		if (why == NULL && (why = oracle_same_value(&lazydoc, 0,
		    j)) == NULL)
			why = oracle_lookups(&lazydoc);
	} else if (js != 0 && j == NULL) {
		why = NULL;
		nneither++;
	} else if (js == 0) {
		if ((why = oracle_refusal(&doc, err.text, &u)) == NULL) {
			if (u == ORACLE_NULKEY)
				exc_nulkey++;
			else
				exc_number++;
		}
	} else if ((why = oracle_dropped_nul(&doc, text, len, j)) == NULL)
		exc_nul++;
	/* doc now holds an accepted tape: jscan's, or the one without NULs */
	if (why == NULL && (js == 0 || j != NULL) &&
	    (why = ints_ok(&doc)) == NULL &&
	    (why = canon_ok(&doc)) == NULL)
		why = oracle_lookups(&doc);
	if (why == NULL && rfc != RFC_ANY && (js == 0) != (rfc == RFC_VALID))
		why = rfc == RFC_VALID ? "RFC 8259 says valid" :
		    "RFC 8259 says invalid";
	if (why == NULL)
		unit_passed++;
	else {
		unit_failed++;
		if (shown++ < MAX_SHOWN) {
			fprintf(stderr, "disagreement in %s: %s\n", what, why);
			show("text", text, len);
			fprintf(stderr, "  jscan: %s\n  jansson: %s\n",
			    jscan_says, j != NULL ? "accepts" : err.text);
		}
	}
	json_decref(j);
}

/* xorshift64*: fixed seed, so every run feeds the same documents. */
static uint64_t
rnd64(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(0x2545f4914f6cdd1d);
}

static unsigned
rnd(unsigned n)
{
	return (unsigned)(rnd64() >> 11) % n;
}

static void
put_utf8(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_append(b, u, n);
}

/* \uXXXX with hex digits in random case. */
static void
put_u_escape(struct buf *b, unsigned v)
{
	static const char lower[] = "0123456789abcdef";
	static const char upper[] = "0123456789ABCDEF";
	int i;

	buf_puts(b, "\\u");
	for (i = 12; i >= 0; i -= 4)
		buf_putc(b, (rnd(2) ? lower : upper)[v >> i & 0xf]);
}

/* n copies of open, leaf, n copies of close. */
static void
make_nest(struct buf *b, const char *open, const char *close, int n,
    const char *leaf)
{
	int i;

	buf_reset(b);
	for (i = 0; i < n; i++)
		buf_puts(b, open);
	buf_puts(b, leaf);
	for (i = 0; i < n; i++)
		buf_puts(b, close);
}

static void
gen_ws(struct buf *b)
{
	static const char *const ws[] = {
		" ", "\t", "\n", "\r", "  ", " \r\n\t"
	};

	if (rnd(4) == 0)
		buf_puts(b, ws[rnd(NELEM(ws))]);
}

/* A valid string: plain ASCII, every escape form, raw UTF-8, lengths
 * around the 16- and 32-byte block sizes; \u0000 only when nul is set. */
static void
gen_string(struct buf *b, int nul)
{
	static const char simple[] = "\"\\/bfnrt";
	unsigned len, i, r, cp;

	r = rnd(10);
	if (r < 4)
		len = rnd(8);
	else if (r < 7)
		len = 12 + rnd(24);
	else if (r < 9)
		len = rnd(80);
	else
		len = rnd(300);
	buf_putc(b, '"');
	for (i = 0; i < len; i++) {
		r = rnd(100);
		if (r < 55) {
			do
				cp = 0x20 + rnd(0x5f);
			while (cp == '"' || cp == '\\');
			buf_putc(b, (char)cp);
		} else if (r < 63) {
			buf_putc(b, '\\');
			buf_putc(b, simple[rnd(sizeof(simple) - 1)]);
		} else if (r < 68) {
			do
				cp = rnd(0x10000);
			while (cp >= 0xd800 && cp <= 0xdfff);
			put_u_escape(b, cp);
		} else if (r < 71) {
			cp = 0x10000 + rnd(0x100000);
			put_u_escape(b, 0xd800 + ((cp - 0x10000) >> 10));
			put_u_escape(b, 0xdc00 + ((cp - 0x10000) & 0x3ff));
		} else if (r < 72) {
			put_u_escape(b, nul ? 0 : 1);
		} else if (r < 74) {
			buf_putc(b, 0x7f);
		} else if (r < 88) {
			switch (rnd(3)) {
			case 0:
				cp = 0x80 + rnd(0x780);
				break;
			case 1:
				do
					cp = 0x800 + rnd(0xf800);
				while (cp >= 0xd800 && cp <= 0xdfff);
				break;
			default:
				cp = 0x10000 + rnd(0x100000);
				break;
			}
			put_utf8(b, cp);
		} else
			buf_putc(b, (char)('a' + rnd(26)));
	}
	buf_putc(b, '"');
}

/* Keys from a small pool, so objects often repeat a name, sometimes in
 * another spelling; now and then a fresh random one. */
static void
gen_key(struct buf *b)
{
	static const char *const pool[] = {
		"\"a\"", "\"b\"", "\"ab\"", "\"a\\u0062\"", "\"\\u0061b\"",
		"\"\"", "\"k\"", "\"op\"", "\"\\u00e9\"", "\"\xc3\xa9\"",
		"\"a\\/b\"", "\"a/b\"",
	};

	if (rnd(200) == 0)
		buf_puts(b, "\"x\\u0000\"");
	else if (rnd(2) == 0)
		buf_puts(b, pool[rnd(NELEM(pool))]);
	else
		gen_string(b, 0);
}

static void
gen_number(struct buf *b)
{
	static const char *const odd[] = {
		"1e309", "-1e309", "1e400", "1E+400", "1e-400", "-1e-400",
		"4.9e-324", "2.4703282292062328e-324",
		"2.2250738585072014e-308",
		"1.7976931348623157e308", "1.7976931348623159e308",
		"0.1", "1.0", "-0.0", "0e0", "0E-0", "100e-2",
		"12345678901234567890.5", "0.30000000000000004",
	};
	const char *sign;
	uint64_t mag;
	unsigned i, n;

	/* One rnd() per statement: argument order must not change the
	 * sequence from one compiler to another. */
	sign = rnd(3) == 0 ? "-" : "";
	switch (rnd(12)) {
	case 0:
		buf_puts(b, rnd(2) ? "0" : "-0");
		break;
	case 1:
	case 2:
		buf_printf(b, "%s%u", sign, rnd(1000));
		break;
	case 3:
		buf_printf(b, "%" PRId64, (int64_t)rnd64());
		break;
	case 4:
		/* around INT64_MIN and INT64_MAX */
		mag = (UINT64_C(1) << 63) - 3 + rnd(7);
		buf_printf(b, "%s%" PRIu64, sign, mag);
		break;
	case 5:
		/* long digit strings, mostly beyond long long */
		buf_puts(b, sign);
		buf_putc(b, (char)('1' + rnd(9)));
		for (i = 0, n = 14 + rnd(8); i < n; i++)
			buf_putc(b, (char)('0' + rnd(10)));
		break;
	case 6:
	case 7:
		buf_printf(b, "%s%u.", sign, rnd(100000));
		buf_printf(b, "%u", rnd(100000));
		break;
	case 8:
	case 9:
		buf_printf(b, "%s%u", sign, rnd(100));
		if (rnd(2))
			buf_printf(b, ".%u", rnd(1000));
		buf_putc(b, rnd(2) ? 'e' : 'E');
		if (rnd(3))
			buf_putc(b, "+-"[rnd(2)]);
		buf_printf(b, "%u", rnd(2) ? rnd(30) : rnd(400));
		break;
	case 10:
		buf_puts(b, odd[rnd(NELEM(odd))]);
		break;
	default:
		/* a random finite double, %.17g is always a JSON number */
		{
			double v;
			uint64_t bits;

			do {
				bits = rnd64();
				memcpy(&v, &bits, sizeof(v));
			} while (!isfinite(v));
			buf_printf(b, "%.17g", v);
		}
		break;
	}
}

static void
gen_value(struct buf *b, int depth, int maxdepth)
{
	unsigned r, i, n;

	r = rnd(100);
	if (depth >= maxdepth && r < 30)
		r += 30;
	if (r < 15) {
		buf_putc(b, '{');
		gen_ws(b);
		for (i = 0, n = rnd(6); i < n; i++) {
			if (i > 0) {
				buf_putc(b, ',');
				gen_ws(b);
			}
			gen_key(b);
			gen_ws(b);
			buf_putc(b, ':');
			gen_ws(b);
			gen_value(b, depth + 1, maxdepth);
			gen_ws(b);
		}
		buf_putc(b, '}');
	} else if (r < 30) {
		buf_putc(b, '[');
		gen_ws(b);
		for (i = 0, n = rnd(6); i < n; i++) {
			if (i > 0) {
				buf_putc(b, ',');
				gen_ws(b);
			}
			gen_value(b, depth + 1, maxdepth);
			gen_ws(b);
		}
		buf_putc(b, ']');
	} else if (r < 60)
		gen_string(b, 1);
	else if (r < 88)
		gen_number(b);
	else if (r < 92)
		buf_puts(b, "true");
	else if (r < 96)
		buf_puts(b, "false");
	else
		buf_puts(b, "null");
}

static void
buf_insert(struct buf *b, size_t at, const char *p, size_t n)
{
	buf_grow(b, n);
	memmove(b->data + at + n, b->data + at, b->len - at);
	memcpy(b->data + at, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

/* Byte flips, special bytes put in or over, deletions, truncation,
 * duplicated spans, swapped bytes. */
static void
mutate(struct buf *b)
{
	static const char special[] = "\"\\\x00\x7f\x80\xbf\xc0\xc2\xe0\xed"
	    "\xf0\xf4\xf5\xff{}[],: \t\n\f\vu01-+e.ntfDx";
	char c, *tmp;
	size_t at, n, to;

	c = special[rnd(sizeof(special) - 1)];
	if (b->len == 0) {
		buf_putc(b, c);
		return;
	}
	at = rnd((unsigned)b->len);
	switch (rnd(7)) {
	case 0:
		b->data[at] ^= (char)(1 << rnd(8));
		break;
	case 1:
		b->data[at] = c;
		break;
	case 2:
		buf_insert(b, rnd((unsigned)b->len + 1), &c, 1);
		break;
	case 3:
		memmove(b->data + at, b->data + at + 1, b->len - at - 1);
		b->len--;
		break;
	case 4:
		b->len = at;
		break;
	case 5:
		n = 1 + rnd((unsigned)(b->len - at < 16 ? b->len - at : 16));
		tmp = xmalloc(n);
		memcpy(tmp, b->data + at, n);
		buf_insert(b, rnd((unsigned)b->len + 1), tmp, n);
		free(tmp);
		break;
	default:
		to = rnd((unsigned)b->len);
		c = b->data[at];
		b->data[at] = b->data[to];
		b->data[to] = c;
		break;
	}
	b->data[b->len] = '\0';
}

/*
 * A string of at least size bytes of body. Kinds: 0 ASCII, 1 ASCII with
 * escapes scattered, 2 raw multi-byte UTF-8, 3 UTF-8 and escapes. bad
 * spoils it: 1 a 0xFF byte near the end, 2 a control byte in the middle,
 * 3 no closing quote, 4 a 4-byte sequence cut before the quote, 5 a lone
 * surrogate escape in the middle.
 */
static void
huge_string(struct buf *b, size_t size, int kind, int bad)
{
	static const char *const esc[] = {
		"\\n", "\\\"", "\\\\", "\\u0000", "\\u00e9", "\\ud83d\\ude00",
		"\\/", "\\t", "\\uFFFF", "\\u0001",
	};
	static const char *const mb[] = {
		"a", "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\x7f",
		"\xdf\xbf", "\xef\xbf\xbf", "\xf4\x8f\xbf\xbf",
	};
	size_t i, next_esc = 997;

	buf_reset(b);
	buf_grow(b, size + 64);
	buf_putc(b, '"');
	for (i = 0; b->len < size; i++) {
		if ((kind == 1 || kind == 3) && b->len >= next_esc) {
			buf_puts(b, esc[i % NELEM(esc)]);
			next_esc += 997 + i % 13;
		} else if (kind >= 2)
			buf_puts(b, mb[i % NELEM(mb)]);
		else
			buf_putc(b, (char)('a' + i % 26));
		if (bad == 2 && i == size / 8)
			buf_putc(b, '\x1f');
		if (bad == 5 && i == size / 8)
			buf_puts(b, "\\udc00");
	}
	if (bad == 1)
		buf_putc(b, '\xff');
	if (bad == 4)
		buf_puts(b, "\xf0\x9f\x98");
	if (bad != 3)
		buf_putc(b, '"');
}

static void
run_cases(void)
{
#define Y(s)	{ s, sizeof(s) - 1, RFC_VALID }
#define N(s)	{ s, sizeof(s) - 1, RFC_INVALID }
	static const struct corpus_case cases[] = {
		/* numbers */
		Y("0"), Y("-0"), Y("1"), Y("-1"), Y("0e0"), Y("0E0"),
		Y("0e+0"), Y("0e-0"), Y("-0.0"), Y("1E+2"), Y("1e-2"),
		Y("1.5"), Y("-1.5e10"), Y("123456789"), Y("0.1"),
		Y("1.0e+0"), Y("100e-2"),
		Y("9223372036854775807"), Y("-9223372036854775808"),
		Y("9223372036854775808"), Y("-9223372036854775809"),
		Y("100000000000000000000000"), Y("[1,99999999999999999999]"),
		Y("{\"x\":-99999999999999999999}"),
		Y("1e309"), Y("-1e309"), Y("[1e400,2]"), Y("1e-400"),
		Y("4.9e-324"), Y("2.2250738585072014e-308"),
		Y("1.7976931348623157e308"), Y("1.7976931348623159e308"),
		Y("12345678901234567890.5"),
		N("01"), N("-01"), N("00"), N("1."), N(".5"), N("-"), N("+1"),
		N("1e"), N("1e+"), N("1E-"), N("-.5"), N("1.e5"), N("0x1F"),
		N("1_000"), N("--1"), N("1..2"), N("1.2.3"), N("1e5.5"),
		N("- 1"), N("1 .5"), N("1e5e5"), N("\xd9\xa1"), N("NaN"),
		N("Infinity"), N("-Infinity"), N("[-]"), N("[01]"),
		/* literals */
		Y("true"), Y("false"), Y("null"), Y(" true "),
		Y("\t\n\r null \r\n\t"),
		N("tru"), N("fals"), N("nul"), N("True"), N("NULL"),
		N("nulll"), N("truee"), N("t"), N("n"), N("f"), N("[tru]"),
		N("{\"a\":nul}"), N("undefined"), N("true false"),
		/* strings: escapes */
		Y("\"\""), Y("\"a\""), Y("\"\\\"\""), Y("\"\\\\\""),
		Y("\"\\/\""), Y("\"\\b\\f\\n\\r\\t\""), Y("\"\\u0000\""),
		Y("\"a\\u0000b\""), Y("\"\\u0041\""), Y("\"\\u00e9\""),
		Y("\"\\u00E9\""), Y("\"\\uFFFF\""), Y("\"\\uffff\""),
		Y("\"\\uD83D\\uDE00\""), Y("\"\\ud800\\udc00\""),
		Y("\"\\udbff\\udfff\""), Y("\"\\u2028\\u2029\""),
		Y("\"\\u005C\""), Y("\"\\u0022\""), Y("\"/\""), Y("\"'\""),
		Y("\" \""),
		N("\""), N("\"abc"), N("\"a\\\""), N("\"\\\""), N("\"\\a\""),
		N("\"\\x41\""), N("\"\\U0041\""), N("\"\\'\""), N("\"\\0\""),
		N("\"\\u\""), N("\"\\u1\""), N("\"\\u12\""), N("\"\\u123\""),
		N("\"\\u12G4\""), N("\"\\uXYZW\""), N("\"\\u-123\""),
		N("\"\\u 123\""), N("\"\\u+123\""),
		/* strings: surrogates */
		N("\"\\uD800\""), N("\"\\uDBFF\""), N("\"\\uDC00\""),
		N("\"\\uDFFF\""), N("\"\\uDE00\\uD83D\""),
		N("\"\\uD800\\uD800\""), N("\"\\uD800\\u0041\""),
		N("\"\\uD800x\""), N("\"\\uD800\\\""), N("\"\\uD800\\n\""),
		N("\"a\\uDC00b\""), N("\"\\uD83D\\uDE00\\uDE00\""),
		/* strings: raw bytes */
		Y("\"\x7f\""), Y("\"\xc2\x80\""), Y("\"\xdf\xbf\""),
		Y("\"\xe0\xa0\x80\""), Y("\"\xed\x9f\xbf\""),
		Y("\"\xee\x80\x80\""), Y("\"\xef\xbf\xbf\""),
		Y("\"\xef\xbb\xbf\""), Y("\"\xf0\x90\x80\x80\""),
		Y("\"\xf4\x8f\xbf\xbf\""), Y("\"\xe2\x80\xa8\""),
		N("\"\x00\""), N("\"\x01\""), N("\"\x09\""), N("\"\x0a\""),
		N("\"\x0d\""), N("\"\x1f\""), N("\"a\x08" "b\""),
		/* UTF-8 errors */
		N("\"\x80\""), N("\"\xbf\""), N("\"a\xa9\""),
		N("\"\xc3\xa9\xa9\""), N("\"\xc0\x80\""), N("\"\xc1\xbf\""),
		N("\"\xe0\x80\x80\""), N("\"\xe0\x9f\xbf\""),
		N("\"\xf0\x80\x80\x80\""), N("\"\xf0\x8f\xbf\xbf\""),
		N("\"\xed\xa0\x80\""), N("\"\xed\xbf\xbf\""),
		N("\"\xed\xa0\xbd\xed\xb8\x80\""), N("\"\xf4\x90\x80\x80\""),
		N("\"\xf5\x80\x80\x80\""), N("\"\xf7\xbf\xbf\xbf\""),
		N("\"\xf8\x88\x80\x80\x80\""), N("\"\xfe\""), N("\"\xff\""),
		N("\"\xc2\""), N("\"\xe2\x82\""), N("\"\xf0\x9f\x98\""),
		N("\"\xc2"), N("\"\xe2\x82"), N("\"\xf0\x9f\x98"),
		N("\"\xc2" "a\""), N("\"\xe2\x82" "a\""),
		N("\"\xf0\x9f\x98" "a\""), N("\xc3\xa9"), N("[\"\xff\"]"),
		N("{\"\xff\":1}"), N("{\"k\":\"\xed\xa0\x80\"}"),
		/* containers */
		Y("[]"), Y("{}"), Y("[ ]"), Y("{ }"), Y("[1]"), Y("[1,2]"),
		Y("[[]]"), Y("[{}]"), Y("{\"a\":1}"),
		Y("{\"a\":[1,{\"b\":null}]}"), Y("{\"\":0}"),
		Y(" [ 1 , 2 ] "), Y("{\"a\" : 1 , \"b\" : [ ] }"),
		Y("[1,\"a\",true,false,null,{},[],-0.5e-5]"),
		Y("[[[[[[[[[[1]]]]]]]]]]"), Y("{\"a\":{\"b\":{\"c\":{}}}}"),
		Y("{\"op\":\"c\",\"after\":{\"id\":1,\"price\":19.99},"
		    "\"ts_ms\":1763805601262}"),
		N("[1,]"), N("{\"a\":1,}"), N("[,]"), N("[,1]"), N("{,}"),
		N("[1 2]"), N("{\"a\":1 \"b\":2}"), N("{\"a\" 1}"),
		N("{\"a\"}"), N("{\"a\":}"), N("{1:1}"), N("{a:1}"),
		N("{'a':1}"), N("['a']"), N("{\"a\"::1}"), N("[1,,2]"),
		N("{\"a\":1,,\"b\":2}"), N("["), N("]"), N("{"), N("}"),
		N("[[]"), N("[]]"), N("{\"a\":[}"), N("{\"a\":1]"), N("[1}"),
		N(":"), N(","), N("[:]"), N("{\"a\",1}"), N("{\"a\"=1}"),
		N("{null:1}"), N("{[]:1}"),
		/* duplicate keys: jansson keeps the last */
		Y("{\"a\":1,\"a\":2}"), Y("{\"a\":1,\"b\":2,\"a\":3}"),
		Y("{\"a\":{\"x\":1},\"a\":[2]}"),
		Y("{\"a\\u0062\":1,\"ab\":2}"), Y("{\"ab\":1,\"a\\u0062\":2}"),
		Y("{\"\\u00e9\":1,\"\xc3\xa9\":2,\"\\u00E9\":3}"),
		Y("{\"a\":1,\"a\":2,\"a\":3,\"b\":[{\"c\":1,\"c\":{}}]}"),
		/* U+0000 in values and keys */
		Y("[\"a\\u0000b\",\"\\u0000\"]"), Y("{\"k\":\"\\u0000\"}"),
		Y("{\"a\\u0000b\":1}"), Y("{\"\\u0000\":1}"),
		Y("[{\"ok\":1},{\"a\\u0000\":2}]"),
		/* whitespace */
		N(""), N(" "), N("\t\n"), N("\f"), N("\v"), N("\f1"),
		N("1\f"), N("\v1"), N("1\v"), N("\xc2\xa0" "1"),
		N("1\xc2\xa0"), N("[1,\f2]"), N("{\"a\":\v1}"),
		/* byte order mark, comments, more than one value */
		N("\xef\xbb\xbf" "1"), N("\xef\xbb\xbf" "{}"),
		N("/* c */ 1"), N("// c\n1"), N("1 // c"), N("#1"),
		N("1 2"), N("[] []"), N("{}{}"), N("1,"), N("[1]]"),
		N("[1][2]"), N("\"a\" \"b\""), N("{\"a\":1}\n{\"a\":2}"),
		/* raw NUL bytes outside strings: jansson drops some */
		N("\x00"), N("\x00" "1"), N("1\x00"), N("[1\x00]"),
		N("true\x00"), N("[null\x00,1]"), N("{\"a\":1\x00}"),
		N("{\"a\":false\x00,\"b\":-2.5e3\x00}"), N("1\x00\x00"),
		N("1\x00" "2"), N("[\x00]"), N("\"a\"\x00"), N("[1]\x00"),
		N("{\"a\":1}\x00"), N("[1\x00 ]"), N("0\x00"), N("-0\x00"),
	};
#undef Y
#undef N
	char what[32];
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		snprintf(what, sizeof(what), "case %zu", i);
		compare(what, cases[i].text, cases[i].len, cases[i].rfc);
	}
	printf("test_jscan_diff: %zu hand-written cases\n", NELEM(cases));
}

/* 1, 100, 2047, 2048, 2049 and 10000 levels of [ and of {"a":, with and
 * without a scalar in the middle, closed, unclosed and mismatched. */
static void
run_depth(void)
{
	static const int depths[] = { 1, 100, 2047, 2048, 2049, 10000 };
	struct buf b = BUF_INIT;
	char what[64];
	size_t i;
	int n;

	for (i = 0; i < NELEM(depths); i++) {
		n = depths[i];
#define NEST(label, open, close, count, leaf, rfc) do { \
	make_nest(&b, open, close, count, leaf); \
	snprintf(what, sizeof(what), "%d levels, %s", n, label); \
	compare(what, b.data, b.len, rfc); \
} while (0)
		NEST("[] empty innermost", "[", "]", n, "", RFC_ANY);
		NEST("[] around 1", "[", "]", n, "1", RFC_ANY);
		NEST("[] around \"s\"", "[", "]", n, "\"s\"", RFC_ANY);
		NEST("{\"a\": empty innermost", "{\"a\":", "}", n - 1, "{}",
		    RFC_ANY);
		NEST("{\"a\": around 1", "{\"a\":", "}", n, "1", RFC_ANY);
		NEST("{\"a\": around null", "{\"a\":", "}", n, "null", RFC_ANY);
		NEST("[{\"a\": pairs", "[{\"a\":", "}]", n / 2, "[]", RFC_ANY);
		NEST("[ unclosed", "[", "", n, "", RFC_INVALID);
		NEST("{\"a\": unclosed", "{\"a\":", "", n, "1", RFC_INVALID);
		NEST("[ closed by }", "[", "}", n, "", RFC_INVALID);
#undef NEST
		/* one closing bracket short */
		make_nest(&b, "[", "]", n, "0");
		snprintf(what, sizeof(what), "%d levels, one ] short", n);
		compare(what, b.data, b.len - 1, RFC_INVALID);
	}
	buf_free(&b);
}

static void
run_huge(void)
{
	static const struct {
		size_t	size;
		int	kind;
		int	bad;
	} cases[] = {
		{ MIB, 0, 0 }, { MIB, 1, 0 }, { MIB, 2, 0 }, { MIB, 3, 0 },
		{ MIB, 0, 1 }, { MIB, 1, 2 }, { MIB, 2, 3 }, { MIB, 3, 4 },
		{ MIB, 1, 5 }, { MIB, 2, 1 },
		{ 16 * MIB, 1, 0 }, { 16 * MIB, 3, 0 }, { 16 * MIB, 2, 1 },
	};
	struct buf s = BUF_INIT, d = BUF_INIT;
	char what[64];
	size_t i;

	for (i = 0; i < NELEM(cases); i++) {
		huge_string(&s, cases[i].size, cases[i].kind, cases[i].bad);
		snprintf(what, sizeof(what), "huge string %zu MiB, kind %d, "
		    "bad %d", cases[i].size / MIB, cases[i].kind, cases[i].bad);
		compare(what, s.data, s.len, cases[i].bad ? RFC_INVALID :
		    RFC_VALID);
		if (cases[i].size > MIB || cases[i].bad == 3)
			continue;
		/* inside an object, twice under one name */
		buf_reset(&d);
		buf_puts(&d, "{\"k\":");
		buf_append(&d, s.data, s.len);
		buf_puts(&d, ",\"x\":[1],\"k\":");
		buf_append(&d, s.data, s.len / 2);
		buf_puts(&d, "\"}");
		snprintf(what, sizeof(what), "huge object, kind %d, bad %d",
		    cases[i].kind, cases[i].bad);
		compare(what, d.data, d.len, RFC_ANY);
	}
	buf_free(&s);
	buf_free(&d);
}

static void
run_random(void)
{
	struct buf b = BUF_INIT;
	char what[32];
	unsigned long i;
	unsigned m;

	for (i = 0; i < RANDOM_DOCS; i++) {
		buf_reset(&b);
		gen_ws(&b);
		gen_value(&b, 0, (int)rnd(7));
		gen_ws(&b);
		if (rnd(100) < 60)
			for (m = 1 + rnd(4); m > 0; m--)
				mutate(&b);
		snprintf(what, sizeof(what), "random document %lu", i);
		compare(what, b.data, b.len, RFC_ANY);
	}
	buf_free(&b);
}

int
main(void)
{
	UNIT_NAME("test_jscan_diff");
	run_cases();
	run_depth();
	run_huge();
	run_random();
	printf("test_jscan_diff: %lu documents, %lu valid in both, %lu "
	    "invalid in both\n", ndocs, nboth, nneither);
	printf("test_jscan_diff: jansson departs from RFC 8259 on %lu "
	    "unrepresentable numbers, %lu NUL keys, %lu dropped NULs\n",
	    exc_number, exc_nulkey, exc_nul);
	if (shown > MAX_SHOWN)
		fprintf(stderr, "(%lu more disagreements not shown)\n",
		    shown - MAX_SHOWN);
	jscan_free(&doc);
	jscan_free(&lazydoc);
	oracle_free();
	return unit_report();
}
