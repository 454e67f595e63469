/*
 * test_jscan.c: unit tests for the JSON scanner in common/jscan.[ch].
 *
 * Every exported function gets exact assertions: token types, spans and
 * `next` indices, error messages and offsets, unescaped bytes and lengths.
 * Strings are also built with a special byte sequence at every offset 0..40,
 * so the 16-byte block path meets quotes, escapes, control bytes and UTF-8
 * sequences on both sides of a block boundary. Each document is parsed from
 * an exact-size heap copy, so AddressSanitizer catches a read past its end.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "field.h"
#include "jscan.h"
#include "unit.h"

#define NELEM(a)	(sizeof(a) / sizeof((a)[0]))
/* Parse a string literal, embedded NUL bytes included. */
#define PARSE(d, lit)	parse((d), (lit), sizeof(lit) - 1)

struct err_case {
	const char	*text;
	size_t		 len;
	const char	*err;
	size_t		 off;
};

struct i64_case {
	const char	*text;
	int		 ok;
	int64_t		 v;
};

struct utf8_case {
	const char	*s;
	size_t		 len;
	int		 valid;
};

struct flag_case {
	const char	*text;
	enum jtype	 type;
	int		 flags;
};

/* A piece of string body: its raw text and the bytes it stands for, or the
 * error it causes at offset erradj from its first byte. */
struct special {
	const char	*raw;
	size_t		 rawlen;
	const char	*val;
	size_t		 vallen;
	const char	*err;
	size_t		 erradj;
};

static int	parse(struct jdoc *, const char *, size_t);
static int	is_ws(char);
static void	note_case(const char *, const char *, size_t);
static void	make_nest(struct buf *, const char *, const char *, int,
		    const char *, const char *);
static void	check_tok(const struct jdoc *, int, enum jtype, size_t,
		    size_t, size_t);
static void	test_valid(void);
static void	test_errors(void);
static void	test_depth(void);
static void	test_tape(void);
static void	test_member(void);
static void	test_members(void);
static void	test_iterate(void);
static void	test_str(void);
static void	test_str_eq(void);
static void	test_i64(void);
static void	test_utf8_valid(void);
static void	test_flags(void);
static void	test_blocks(void);
static int	block_case(const struct special *, size_t, size_t, size_t,
		    int);
static void	test_blocks_edges(void);
static void	test_reuse(void);
static void	test_lazy(void);
static void	test_null_name(void);

static char *cur_text;	/* exact-size copy of the text last parsed */
/* State of test_blocks, shared with block_case. */
static struct jdoc blk_d = JDOC_INIT;
static struct buf blk_doc, blk_want, blk_out;

/* Distinct bytes, so a misplaced copy shows; longer than any body. */
static const char filler[] =
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz9876543210";

/*
 * Parse a private heap copy of exactly len bytes: scanning past the end
 * becomes a heap-buffer-overflow under ASan. The copy lives until the next
 * call, as long as the tokens refer to it.
 */
static int
parse(struct jdoc *d, const char *text, size_t len)
{
	free(cur_text);
	cur_text = xmalloc(len != 0 ? len : 1);
	memcpy(cur_text, text, len);
	return jscan_parse(d, cur_text, len);
}

static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* After a failed check: show which input it was, bytes escaped. */
static void
note_case(const char *what, const char *s, size_t n)
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

/* n copies of open, then leaf, then n copies of close. */
static void
make_nest(struct buf *b, const char *open, const char *close, int n,
    const char *leaf, const char *tail)
{
	int i;

	buf_reset(b);
	for (i = 0; i < n; i++)
		buf_puts(b, open);
	buf_puts(b, leaf);
	for (i = 0; i < n; i++)
		buf_puts(b, close);
	buf_puts(b, tail);
}

static void
check_tok(const struct jdoc *d, int t, enum jtype type, size_t start,
    size_t len, size_t next)
{
	int before = unit_failed;

	CHECK_INT(jscan_type(d, t), type);
	CHECK_INT(d->tok[t].start, start);
	CHECK_INT(d->tok[t].len, len);
	CHECK_INT(d->tok[t].next, next);
	if (unit_failed != before)
		fprintf(stderr, "  token %d of \"%.*s\"\n", t, (int)d->len,
		    d->text);
}

/* Documents every RFC 8259 parser must accept; the root spans the text
 * without its surrounding whitespace. */
static void
test_valid(void)
{
	static const struct {
		const char	*text;
		size_t		 len;
		enum jtype	 type;
		size_t		 ntok;
	} cases[] = {
#define V(s, t, n) { s, sizeof(s) - 1, t, n }
		V("0", J_NUMBER, 1),
		V("-0", J_NUMBER, 1),
		V("0e0", J_NUMBER, 1),
		V("1E+2", J_NUMBER, 1),
		V("1e-2", J_NUMBER, 1),
		V("-1.5e300", J_NUMBER, 1),
		V("1E400", J_NUMBER, 1),
		V("123456789012345678901234567890", J_NUMBER, 1),
		V("0.000000000000000000000000000001", J_NUMBER, 1),
		V("[]", J_ARRAY, 1),
		V("{}", J_OBJECT, 1),
		V(" [ ] ", J_ARRAY, 1),
		V("\t{\r\n}\n", J_OBJECT, 1),
		V("\"\"", J_STRING, 1),
		V("\"\x7f\"", J_STRING, 1),
		V("\"\xef\xbb\xbf\"", J_STRING, 1),
		V("\"\xf4\x8f\xbf\xbf\"", J_STRING, 1),
		V("\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xed\x9f\xbf\xee\x80\x80\"",
		    J_STRING, 1),
		V("[[[]]]", J_ARRAY, 3),
		V("{\"\":{}}", J_OBJECT, 3),
		V("true", J_TRUE, 1),
		V("false", J_FALSE, 1),
		V("null", J_NULL, 1),
		V("[true,false,null]", J_ARRAY, 4),
		V("\"\\/\"", J_STRING, 1),
		V(" \t\r\n1\n", J_NUMBER, 1),
		V("{\"a\\u0000b\":1}", J_OBJECT, 3),
		V("[1,[2,[3,{\"x\":[4]}]]]", J_ARRAY, 10),
#undef V
	};
	struct jdoc d = JDOC_INIT;
	size_t i, a, b;
	int before;

	for (i = 0; i < NELEM(cases); i++) {
		before = unit_failed;
		CHECK_INT(parse(&d, cases[i].text, cases[i].len), 0);
		if (unit_failed != before) {
			fprintf(stderr, "  error %s at %zu\n", d.err,
			    d.err_off);
			note_case("valid", cases[i].text, cases[i].len);
			continue;
		}
		CHECK(d.err == NULL);
		CHECK_INT(d.err_off, 0);
		CHECK(d.text == cur_text);
		CHECK_INT(d.len, cases[i].len);
		CHECK_INT(d.ntok, cases[i].ntok);
		CHECK_INT(jscan_type(&d, 0), cases[i].type);
		CHECK_INT(d.tok[0].next, d.ntok);
		for (a = 0; is_ws(cases[i].text[a]); a++)
			;
		for (b = cases[i].len; is_ws(cases[i].text[b - 1]); b--)
			;
		CHECK_INT(d.tok[0].start, a);
		CHECK_INT(d.tok[0].len, b - a);
		if (unit_failed != before)
			note_case("valid", cases[i].text, cases[i].len);
	}
	jscan_free(&d);
}

static void
test_errors(void)
{
	static const struct err_case cases[] = {
#define E(s, e, o) { s, sizeof(s) - 1, e, o }
#define NOVAL	"unexpected end of input, expected a value"
#define BADCH	"unexpected character, expected a value"
#define AFTER	"unexpected text after the value"
#define ARRSEP	"expected ',' or ']' after an array element"
#define OBJSEP	"expected ',' or '}' after an object member"
#define KEY	"expected a string as object key"
#define COLON	"expected ':' after an object key"
#define INCONT	"unexpected end of input in a container"
#define UNTERM	"unterminated string"
#define CTRL	"control character in string"
#define BADU8	"invalid UTF-8"
#define BADESC	"invalid escape in string"
#define BADU	"invalid \\u escape in string"
#define LOW	"lone low surrogate in string"
#define HIGH	"high surrogate without a low surrogate"
#define LIT	"invalid literal"
#define NUM	"invalid number"
#define ZERO	"leading zero in number"
		/* empty, whitespace, junk */
		E("", NOVAL, 0),
		E(" \t\r\n", NOVAL, 4),
		E("x", BADCH, 0),
		E("\f1", BADCH, 0),
		E("\v1", BADCH, 0),
		E("1\f", AFTER, 1),
		E("1\v", AFTER, 1),
		E("\xef\xbb\xbf{}", BADCH, 0),
		E("\x00", BADCH, 0),
		E("1\x00", AFTER, 1),
		E("[1\x00]", ARRSEP, 2),
		E("'a'", BADCH, 0),
		E("]", BADCH, 0),
		E("}", BADCH, 0),
		E(",", BADCH, 0),
		/* literals */
		E("tru", LIT, 0),
		E("[nul]", LIT, 1),
		E("[fals", LIT, 1),
		E("nulL", LIT, 0),
		E("True", BADCH, 0),
		E("nullx", AFTER, 4),
		E("truefalse", AFTER, 4),
		/* structure */
		E("1 2", AFTER, 2),
		E("{\"a\":1}x", AFTER, 7),
		E("[1]]", AFTER, 3),
		E("[1 2]", ARRSEP, 3),
		E("[1}", ARRSEP, 2),
		E("{\"a\":1 \"b\":2}", OBJSEP, 7),
		E("{\"a\":1]", OBJSEP, 6),
		E("{\"a\" 1}", COLON, 5),
		E("{\"a\"", COLON, 4),
		E("{\"a\"=1}", COLON, 4),
		E("{1:2}", KEY, 1),
		E("{\"a\":1,}", KEY, 7),
		E("{,}", KEY, 1),
		E("{", KEY, 1),
		E("{]", KEY, 1),
		E("[1,]", BADCH, 3),
		E("[,1]", BADCH, 1),
		E("[}", BADCH, 1),
		E("[", NOVAL, 1),
		E("[1", INCONT, 2),
		E("[1,", NOVAL, 3),
		E("{\"a\":", NOVAL, 5),
		E("{\"a\":1", INCONT, 6),
		E("{\"a\":1,", KEY, 7),
		/* strings */
		E("\"abc", UNTERM, 0),
		E("[\"abc", UNTERM, 1),
		E("\"a\\", UNTERM, 0),
		E("\"a\x01\"", CTRL, 2),
		E("\"\x1f\"", CTRL, 1),
		E("\"a\nb\"", CTRL, 2),
		E("\"a\x00\"", CTRL, 2),
		E("\"\xc0\x80\"", BADU8, 1),
		E("\"ab\xed\xa0\x80\"", BADU8, 3),
		E("\"\xf4\x90\x80\x80\"", BADU8, 1),
		E("\"\xe2\x82\"", BADU8, 1),
		E("\"\xe2\x82", BADU8, 1),
		E("\"\x80\"", BADU8, 1),
		E("\"\\x\"", BADESC, 1),
		E("\"\\U0041\"", BADESC, 1),
		E("\"\\'\"", BADESC, 1),
		E("\"ab\\u12G4\"", BADU, 3),
		E("\"\\u12\"", BADU, 1),
		E("\"\\u\"", BADU, 1),
		E("\"\\u004", BADU, 1),
		E("\"\\uDC00\"", LOW, 1),
		E("\"x\\uD800\"", HIGH, 2),
		E("\"\\uD800\\u0041\"", HIGH, 1),
		E("\"\\uD800\\uD800\"", HIGH, 1),
		E("\"\\uD800\\n\"", HIGH, 1),
		E("\"\\uDE00\\uD83D\"", LOW, 1),
		E("\"\\uD83D\\uDE00\\uDE00\"", LOW, 13),
		/* numbers */
		E("01", ZERO, 0),
		E("-01", ZERO, 0),
		E("[00]", ZERO, 1),
		E("-", NUM, 0),
		E("[-]", NUM, 1),
		E("-a", NUM, 0),
		E("1.", NUM, 0),
		E("1.e5", NUM, 0),
		E("1e", NUM, 0),
		E("1e+", NUM, 0),
		E("[1E-]", NUM, 1),
		E(".5", BADCH, 0),
		E("+1", BADCH, 0),
		E("1.5.2", AFTER, 3),
		E("0x10", AFTER, 1),
		E("1e5e5", AFTER, 3),
		E("-Infinity", NUM, 0),
		E("NaN", BADCH, 0),
#undef E
#undef NOVAL
#undef BADCH
#undef AFTER
#undef ARRSEP
#undef OBJSEP
#undef KEY
#undef COLON
#undef INCONT
#undef UNTERM
#undef CTRL
#undef BADU8
#undef BADESC
#undef BADU
#undef LOW
#undef HIGH
#undef LIT
#undef NUM
#undef ZERO
	};
	struct jdoc d = JDOC_INIT;
	size_t i;
	int before;

	for (i = 0; i < NELEM(cases); i++) {
		before = unit_failed;
		CHECK_INT(parse(&d, cases[i].text, cases[i].len), -1);
		CHECK_STR(d.err, cases[i].err);
		CHECK_INT(d.err_off, cases[i].off);
		if (unit_failed != before)
			note_case("error case", cases[i].text, cases[i].len);
	}

	/* A success after a failure clears the error. */
	CHECK_INT(PARSE(&d, "[1,"), -1);
	CHECK(d.err != NULL);
	CHECK_INT(PARSE(&d, "[1]"), 0);
	CHECK(d.err == NULL);
	CHECK_INT(d.err_off, 0);
	jscan_free(&d);
}

/* Nesting limits: 2048 levels of containers are accepted, 2049 are not. */
static void
test_depth(void)
{
	struct jdoc d = JDOC_INIT;
	struct buf b = BUF_INIT;
	int i, ok;

	make_nest(&b, "[", "]", 2048, "", "");
	CHECK_INT(parse(&d, b.data, b.len), 0);
	CHECK_INT(d.ntok, 2048);
	for (i = 0, ok = 1; i < 2048; i++)
		if (d.tok[i].start != (uint32_t)i || d.tok[i].len !=
		    (uint32_t)(4096 - 2 * i) || d.tok[i].next != 2048)
			ok = 0;
	CHECK(ok);

	make_nest(&b, "[", "]", 2049, "", "");
	CHECK_INT(parse(&d, b.data, b.len), -1);
	CHECK_STR(d.err, "nesting deeper than 2048 levels");
	CHECK_INT(d.err_off, 2048);

	make_nest(&b, "[", "]", 10000, "", "");
	CHECK_INT(parse(&d, b.data, b.len), -1);
	CHECK_INT(d.err_off, 2048);

	make_nest(&b, "{\"a\":", "}", 2047, "{}", "");
	CHECK_INT(parse(&d, b.data, b.len), 0);
	CHECK_INT(d.ntok, 2047 * 2 + 1);
	CHECK_INT(d.tok[0].next, d.ntok);

	make_nest(&b, "{\"a\":", "}", 2048, "{}", "");
	CHECK_INT(parse(&d, b.data, b.len), -1);
	CHECK_STR(d.err, "nesting deeper than 2048 levels");
	CHECK_INT(d.err_off, 2048 * 5);

	make_nest(&b, "[", "]", 2047, "1", "");
	CHECK_INT(parse(&d, b.data, b.len), 0);
	CHECK_INT(d.ntok, 2048);

	/*
	 * As jansson, which counts every value, scalars included: a value
	 * inside 2048 containers is too deep ("maximum parsing depth
	 * reached near '1'"). Found by test_jscan_diff; fixed in 09969f9.
	 */
	make_nest(&b, "[", "]", 2048, "1", "");
	CHECK_INT(parse(&d, b.data, b.len), -1);
	CHECK_INT(d.err_off, 2048);
	make_nest(&b, "{\"a\":", "}", 2048, "1", "");
	CHECK_INT(parse(&d, b.data, b.len), -1);
	CHECK_INT(d.err_off, 2048 * 5);

	buf_free(&b);
	jscan_free(&d);
}

static void
test_tape(void)
{
	struct jdoc d = JDOC_INIT;

	/*           0         1         2
	 *           0123456789012345678901234567 */
	CHECK_INT(PARSE(&d, "{\"a\":[1,{\"b\":null}],\"c\":\"x\"}"), 0);
	CHECK_INT(d.ntok, 9);
	check_tok(&d, 0, J_OBJECT, 0, 28, 9);
	check_tok(&d, 1, J_STRING, 1, 3, 2);
	check_tok(&d, 2, J_ARRAY, 5, 14, 7);
	check_tok(&d, 3, J_NUMBER, 6, 1, 4);
	check_tok(&d, 4, J_OBJECT, 8, 10, 7);
	check_tok(&d, 5, J_STRING, 9, 3, 6);
	check_tok(&d, 6, J_NULL, 13, 4, 7);
	check_tok(&d, 7, J_STRING, 20, 3, 8);
	check_tok(&d, 8, J_STRING, 24, 3, 9);

	/* Whitespace is outside every span. */
	CHECK_INT(PARSE(&d, " {\t\"a\" :\n[ 1 ,2 ]\r} "), 0);
	CHECK_INT(d.ntok, 5);
	check_tok(&d, 0, J_OBJECT, 1, 18, 5);
	check_tok(&d, 1, J_STRING, 3, 3, 2);
	check_tok(&d, 2, J_ARRAY, 9, 8, 5);
	check_tok(&d, 3, J_NUMBER, 11, 1, 4);
	check_tok(&d, 4, J_NUMBER, 14, 1, 5);

	/* Empty containers, literals, numbers with all parts. */
	CHECK_INT(PARSE(&d, "[[],{},true,false,-1.5e+3,\"\"]"), 0);
	CHECK_INT(d.ntok, 7);
	check_tok(&d, 0, J_ARRAY, 0, 29, 7);
	check_tok(&d, 1, J_ARRAY, 1, 2, 2);
	check_tok(&d, 2, J_OBJECT, 4, 2, 3);
	check_tok(&d, 3, J_TRUE, 7, 4, 4);
	check_tok(&d, 4, J_FALSE, 12, 5, 5);
	check_tok(&d, 5, J_NUMBER, 18, 7, 6);
	check_tok(&d, 6, J_STRING, 26, 2, 7);

	/* Escapes count in the raw span. */
	CHECK_INT(PARSE(&d, "[\"\\u00e9\\n\",\"\\ud83d\\ude00\"]"), 0);
	check_tok(&d, 1, J_STRING, 1, 10, 2);
	check_tok(&d, 2, J_STRING, 12, 14, 3);

	/* A scalar root. */
	CHECK_INT(PARSE(&d, "  42 "), 0);
	CHECK_INT(d.ntok, 1);
	check_tok(&d, 0, J_NUMBER, 2, 2, 1);

	/* jscan_raw gives the span. */
	{
		const char *p;
		size_t n;

		CHECK_INT(PARSE(&d, "[ -12.5e3 , \"a\\\"b\" ]"), 0);
		p = jscan_raw(&d, 1, &n);
		CHECK_MEM(p, n, "-12.5e3");
		CHECK(p == d.text + 2);
		p = jscan_raw(&d, 2, &n);
		CHECK_MEM(p, n, "\"a\\\"b\"");
		p = jscan_raw(&d, 0, &n);
		CHECK_MEM(p, n, "[ -12.5e3 , \"a\\\"b\" ]");
	}

	CHECK_INT(jscan_type(&d, -1), J_NONE);
	jscan_free(&d);
}

static void
test_member(void)
{
	struct jdoc d = JDOC_INIT;
	int64_t v;
	int t, x;

#define MEMBER_IS(obj, name, len, want) do { \
	int m_ = jscan_member(&d, (obj), (name), (len)); \
	v = -999; \
	CHECK(m_ >= 0 && jscan_i64(&d, m_, &v) == 0); \
	CHECK_INT(v, (want)); \
} while (0)

	CHECK_INT(PARSE(&d, "{\"ab\":1,\"a\\u0062\":2,\"x\":{\"ab\":3,\"q\":0},"
	    "\"a\\u0000b\":4,\"a\\\\n\":5,\"a\\n\":6,\"\":7,\"\\u00e9\":8,"
	    "\"\xc3\xa9\":9,\"dup\":10,\"dup\":11,\"a\\u0062c\":12,"
	    "\"\\ud83d\\ude00\":13,\"A\\/B\":14}"), 0);
	/* "a\u0062" is "ab": the later occurrence wins. */
	MEMBER_IS(0, "ab", 2, 2);
	MEMBER_IS(0, "a\0b", 3, 4);
	MEMBER_IS(0, "a\\n", 3, 5);
	MEMBER_IS(0, "a\n", 2, 6);
	MEMBER_IS(0, "", 0, 7);
	MEMBER_IS(0, "\xc3\xa9", 2, 9);
	MEMBER_IS(0, "dup", 3, 11);
	MEMBER_IS(0, "abc", 3, 12);
	MEMBER_IS(0, "\xf0\x9f\x98\x80", 4, 13);
	MEMBER_IS(0, "A/B", 3, 14);
	/* Missing names, prefixes and extensions of present ones. */
	CHECK_INT(jscan_member(&d, 0, "q", 1), -1);
	CHECK_INT(jscan_member(&d, 0, "a", 1), -1);
	CHECK_INT(jscan_member(&d, 0, "a\0", 2), -1);
	CHECK_INT(jscan_member(&d, 0, "a\0bc", 4), -1);
	CHECK_INT(jscan_member(&d, 0, "abcd", 4), -1);
	CHECK_INT(jscan_member(&d, 0, "b", 1), -1);
	CHECK_INT(jscan_member(&d, 0, "du", 2), -1);
	CHECK_INT(jscan_member(&d, 0, "a\\u0062", 7), -1);
	CHECK_INT(jscan_member(&d, 0, "\xc3", 1), -1);
	CHECK_INT(jscan_member(&d, 0, "A\\/B", 4), -1);
	/* Nested object: its own members only. */
	x = jscan_member(&d, 0, "x", 1);
	CHECK_INT(jscan_type(&d, x), J_OBJECT);
	MEMBER_IS(x, "ab", 2, 3);
	MEMBER_IS(x, "q", 1, 0);
	CHECK_INT(jscan_member(&d, x, "x", 1), -1);
	CHECK_INT(jscan_member(&d, x, "dup", 3), -1);
	/* Not an object: a key, a number, no token. */
	CHECK_INT(jscan_member(&d, 1, "ab", 2), -1);
	CHECK_INT(jscan_member(&d, 2, "ab", 2), -1);
	CHECK_INT(jscan_member(&d, -1, "ab", 2), -1);

	CHECK_INT(PARSE(&d, "[{\"a\":1},\"a\"]"), 0);
	CHECK_INT(jscan_member(&d, 0, "a", 1), -1);
	CHECK_INT(jscan_member(&d, 4, "a", 1), -1);
	MEMBER_IS(1, "a", 1, 1);
	CHECK_INT(PARSE(&d, "{}"), 0);
	CHECK_INT(jscan_member(&d, 0, "", 0), -1);
	CHECK_INT(PARSE(&d, "\"a\""), 0);
	CHECK_INT(jscan_member(&d, 0, "a", 1), -1);
	CHECK_INT(PARSE(&d, "5"), 0);
	CHECK_INT(jscan_member(&d, 0, "a", 1), -1);

	/* The value of the last occurrence even when it is a container. */
	CHECK_INT(PARSE(&d, "{\"k\":[1],\"k\":{\"z\":2},\"o\":0}"), 0);
	t = jscan_member(&d, 0, "k", 1);
	CHECK_INT(t, 5);
	CHECK_INT(jscan_type(&d, t), J_OBJECT);
	MEMBER_IS(0, "o", 1, 0);
#undef MEMBER_IS
	jscan_free(&d);
}

/* Several names in one pass: the same answers as jscan_member. */
static void
test_members(void)
{
	static const struct jname names[] = {
		{ "ab", 2 }, { "a\0b", 3 }, { "a\\n", 3 }, { "a\n", 2 },
		{ "", 0 }, { "\xc3\xa9", 2 }, { "dup", 3 }, { "abc", 3 },
		{ "q", 1 }, { "a", 1 }, { "x", 1 }, { "ab", 2 }, { "ac", 2 },
		{ "du", 2 }, { "a\\u0062", 7 }, { "A/B", 3 }, { "A\\/B", 4 },
		{ "\xf0\x9f\x98\x80", 4 },
	};
	static const int want[] = {
		4, 12, 14, 16, 18, 22, 26, 28, -1, -1, 6, 4, -1,
		-1, -1, 32, -1, 30,
	};
	struct jdoc d = JDOC_INIT;
	int out[NELEM(names)];
	size_t i;
	int64_t v;

	CHECK_INT(PARSE(&d, "{\"ab\":1,\"a\\u0062\":2,\"x\":{\"ab\":3,\"q\":0},"
	    "\"a\\u0000b\":4,\"a\\\\n\":5,\"a\\n\":6,\"\":7,\"\\u00e9\":8,"
	    "\"\xc3\xa9\":9,\"dup\":10,\"dup\":11,\"a\\u0062c\":12,"
	    "\"\\ud83d\\ude00\":13,\"A\\/B\":14}"), 0);
	memset(out, 0x55, sizeof(out));
	jscan_members(&d, 0, names, NELEM(names), out);
	for (i = 0; i < NELEM(names); i++) {
		CHECK_INT(out[i], want[i]);
		CHECK_INT(out[i], jscan_member(&d, 0, names[i].name,
		    names[i].len));
	}
	CHECK(jscan_i64(&d, out[0], &v) == 0 && v == 2);
	CHECK(jscan_i64(&d, out[6], &v) == 0 && v == 11);

	/* The nested object answers for itself. */
	jscan_members(&d, out[10], names, NELEM(names), out);
	for (i = 0; i < NELEM(names); i++)
		CHECK_INT(out[i], i == 0 || i == 11 ? 8 : i == 8 ? 10 : -1);

	/* No names: nothing written. */
	out[0] = 12345;
	jscan_members(&d, 0, names, 0, out);
	CHECK_INT(out[0], 12345);

	/* Not an object, no token, an empty object: all -1. */
	memset(out, 0x55, sizeof(out));
	jscan_members(&d, 1, names, NELEM(names), out);
	for (i = 0; i < NELEM(names); i++)
		CHECK_INT(out[i], -1);
	memset(out, 0x55, sizeof(out));
	jscan_members(&d, -1, names, NELEM(names), out);
	for (i = 0; i < NELEM(names); i++)
		CHECK_INT(out[i], -1);
	CHECK_INT(PARSE(&d, "[{},{\"ab\":[],\"ac\":{}}]"), 0);
	memset(out, 0x55, sizeof(out));
	jscan_members(&d, 0, names, NELEM(names), out);
	for (i = 0; i < NELEM(names); i++)
		CHECK_INT(out[i], -1);
	jscan_members(&d, 1, names, NELEM(names), out);
	for (i = 0; i < NELEM(names); i++)
		CHECK_INT(out[i], -1);
	/* Same length and first byte, different rest. */
	jscan_members(&d, 2, names, NELEM(names), out);
	for (i = 0; i < NELEM(names); i++)
		CHECK_INT(out[i], i == 0 || i == 11 ? 4 : i == 12 ? 6 : -1);
	jscan_free(&d);
}

static void
test_iterate(void)
{
	static const int want_arr[] = { 1, 2, 5, 8, 9 };
	static const int want_keys[] = { 1, 3, 6 };
	struct jdoc d = JDOC_INIT;
	size_t n;
	int c;

	CHECK_INT(PARSE(&d, "[1,[2,3],{\"a\":4},\"s\",[]]"), 0);
	CHECK_INT(d.ntok, 10);
	for (n = 0, c = jscan_child(&d, 0); c >= 0 && n < NELEM(want_arr);
	    c = jscan_after(&d, 0, c), n++)
		CHECK_INT(c, want_arr[n]);
	CHECK_INT(n, 5);
	CHECK_INT(c, -1);
	CHECK_INT(jscan_count(&d, 0), 5);
	CHECK_INT(jscan_child(&d, 2), 3);
	CHECK_INT(jscan_after(&d, 2, 3), 4);
	CHECK_INT(jscan_after(&d, 2, 4), -1);
	CHECK_INT(jscan_count(&d, 2), 2);
	CHECK_INT(jscan_child(&d, 5), 6);
	CHECK_INT(jscan_after(&d, 5, 7), -1);
	CHECK_INT(jscan_count(&d, 5), 1);
	CHECK_INT(jscan_child(&d, 9), -1);
	CHECK_INT(jscan_count(&d, 9), 0);
	/* Scalars have no children. */
	CHECK_INT(jscan_child(&d, 1), -1);
	CHECK_INT(jscan_child(&d, 8), -1);
	CHECK_INT(jscan_count(&d, 1), 0);
	CHECK_INT(jscan_count(&d, 8), 0);
	CHECK_INT(jscan_count(&d, -1), 0);

	CHECK_INT(PARSE(&d, "{\"a\":1,\"b\":[2],\"c\":{}}"), 0);
	CHECK_INT(d.ntok, 8);
	for (n = 0, c = jscan_child(&d, 0); c >= 0 && n < NELEM(want_keys);
	    c = jscan_after(&d, 0, c + 1), n++) {
		CHECK_INT(c, want_keys[n]);
		CHECK_INT(jscan_type(&d, c), J_STRING);
		/* From a key, jscan_after steps to its value. */
		CHECK_INT(jscan_after(&d, 0, c), c + 1);
	}
	CHECK_INT(n, 3);
	CHECK_INT(c, -1);
	CHECK_INT(jscan_count(&d, 0), 3);
	CHECK_INT(jscan_count(&d, 4), 1);
	CHECK_INT(jscan_count(&d, 7), 0);
	CHECK_INT(jscan_child(&d, 7), -1);

	/* Duplicate keys are members in the tape, and counted. */
	CHECK_INT(PARSE(&d, "{\"a\":1,\"a\":2}"), 0);
	CHECK_INT(jscan_count(&d, 0), 2);

	CHECK_INT(PARSE(&d, "{}"), 0);
	CHECK_INT(jscan_child(&d, 0), -1);
	CHECK_INT(jscan_count(&d, 0), 0);
	CHECK_INT(PARSE(&d, "[[[]],[]]"), 0);
	CHECK_INT(jscan_count(&d, 0), 2);
	CHECK_INT(jscan_after(&d, 0, 1), 3);
	CHECK_INT(jscan_after(&d, 1, 2), -1);
	jscan_free(&d);
}

static void
test_str(void)
{
	struct jdoc d = JDOC_INIT;
	struct buf out = BUF_INIT;
	const char *p;
	size_t n;

	CHECK_INT(PARSE(&d, "[\"plain\","
	    "\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\","
	    "\"\\u0041\\u00e9\\u20ac\\ud83d\\ude00\",\"x\\u0000y\","
	    "\"\\uD800\\uDC00\\uDBFF\\uDFFF\","
	    "\"\\u007f\\u0080\\u07ff\\u0800\\uffff\",\"\","
	    "\"\\u00C9\\uD83D\\uDe00\\u0000\",\"\\u0000\",1,"
	    "\"caf\xc3\xa9 \\u2603\"]"), 0);
	CHECK_INT(d.ntok, 12);

	/* No escapes: the bytes inside the document, out untouched. */
	buf_puts(&out, "junk");
	p = NULL;
	CHECK_INT(jscan_str(&d, 1, &out, &p, &n), 0);
	CHECK(p == d.text + 2);
	CHECK_MEM(p, n, "plain");
	CHECK_MEM(out.data, out.len, "junk");

	/* Escapes: unescaped into out, which is reset first. */
	CHECK_INT(jscan_str(&d, 2, &out, &p, &n), 0);
	CHECK(p == out.data);
	CHECK_INT(n, 17);
	CHECK_MEM(p, n, "a\"b\\c/d\be\ff\ng\rh\ti");
	CHECK_INT(out.len, 17);

	CHECK_INT(jscan_str(&d, 3, &out, &p, &n), 0);
	CHECK_MEM(p, n, "A\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");

	/* \u0000 is a NUL byte inside the string, counted in the length. */
	CHECK_INT(jscan_str(&d, 4, &out, &p, &n), 0);
	CHECK_INT(n, 3);
	CHECK(n == 3 && memcmp(p, "x\0y", 3) == 0);

	/* Surrogate pairs at both ends of the range become 4-byte UTF-8. */
	CHECK_INT(jscan_str(&d, 5, &out, &p, &n), 0);
	CHECK_MEM(p, n, "\xf0\x90\x80\x80\xf4\x8f\xbf\xbf");

	/* The boundaries of 1-, 2- and 3-byte encodings. */
	CHECK_INT(jscan_str(&d, 6, &out, &p, &n), 0);
	CHECK_MEM(p, n, "\x7f\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf");

	CHECK_INT(jscan_str(&d, 7, &out, &p, &n), 0);
	CHECK_INT(n, 0);
	CHECK(p == d.text + d.tok[7].start + 1);

	/* Upper, lower and mixed case hex. */
	CHECK_INT(jscan_str(&d, 8, &out, &p, &n), 0);
	CHECK_INT(n, 7);
	CHECK(n == 7 && memcmp(p, "\xc3\x89\xf0\x9f\x98\x80\0", 7) == 0);

	CHECK_INT(jscan_str(&d, 9, &out, &p, &n), 0);
	CHECK_INT(n, 1);
	CHECK(n == 1 && p[0] == '\0');

	/* Raw UTF-8 next to an escape is copied as is. */
	CHECK_INT(jscan_str(&d, 11, &out, &p, &n), 0);
	CHECK_MEM(p, n, "caf\xc3\xa9 \xe2\x98\x83");

	/* Not a string. */
	p = NULL;
	CHECK_INT(jscan_str(&d, 10, &out, &p, &n), -1);
	CHECK_INT(jscan_str(&d, 0, &out, &p, &n), -1);
	CHECK_INT(jscan_str(&d, -1, &out, &p, &n), -1);
	CHECK(p == NULL);

	/* jscan_str_append appends, escaped or not. */
	buf_reset(&out);
	buf_puts(&out, ">");
	CHECK_INT(jscan_str_append(&d, 1, &out), 0);
	CHECK_INT(jscan_str_append(&d, 4, &out), 0);
	CHECK_INT(jscan_str_append(&d, 7, &out), 0);
	CHECK_INT(jscan_str_append(&d, 3, &out), 0);
	CHECK_INT(out.len, 19);
	CHECK(out.len == 19 && memcmp(out.data,
	    ">plainx\0yA\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 19) == 0);
	CHECK_INT(jscan_str_append(&d, 10, &out), -1);
	CHECK_INT(jscan_str_append(&d, 0, &out), -1);
	CHECK_INT(out.len, 19);

	/* Keys are strings too. */
	CHECK_INT(PARSE(&d, "{\"k\\u0065y\":\"v\"}"), 0);
	CHECK_INT(jscan_str(&d, 1, &out, &p, &n), 0);
	CHECK_MEM(p, n, "key");
	CHECK_INT(jscan_str(&d, 2, &out, &p, &n), 0);
	CHECK_MEM(p, n, "v");

	buf_free(&out);
	jscan_free(&d);
}

static void
test_str_eq(void)
{
	struct jdoc d = JDOC_INIT;

	CHECK_INT(PARSE(&d, "[\"plain\","
	    "\"a\\\"b\\\\c\\/d\\be\\ff\\ng\\rh\\ti\","
	    "\"x\\u0000y\",\"\",\"\\ud83d\\ude00\\u00e9\",7,\"\\\\\"]"), 0);
	CHECK_INT(jscan_str_eq(&d, 1, "plain", 5), 1);
	CHECK_INT(jscan_str_eq(&d, 1, "plai", 4), 0);
	CHECK_INT(jscan_str_eq(&d, 1, "plainx", 6), 0);
	CHECK_INT(jscan_str_eq(&d, 1, "plaiN", 5), 0);
	CHECK_INT(jscan_str_eq(&d, 2, "a\"b\\c/d\be\ff\ng\rh\ti", 17), 1);
	CHECK_INT(jscan_str_eq(&d, 2, "a\"b\\c/d\be\ff\ng\rh\t", 16), 0);
	CHECK_INT(jscan_str_eq(&d, 2, "a\"b\\c/d\be\ff\ng\rh\tii", 18), 0);
	CHECK_INT(jscan_str_eq(&d, 2, "a\"b\\c/d\be\ff\ng\rh\tj", 17), 0);
	CHECK_INT(jscan_str_eq(&d, 2, "a\\\"b", 4), 0);
	CHECK_INT(jscan_str_eq(&d, 3, "x\0y", 3), 1);
	CHECK_INT(jscan_str_eq(&d, 3, "x", 1), 0);
	CHECK_INT(jscan_str_eq(&d, 3, "x\0", 2), 0);
	CHECK_INT(jscan_str_eq(&d, 3, "x\0yz", 4), 0);
	CHECK_INT(jscan_str_eq(&d, 3, "x\\u0000y", 8), 0);
	CHECK_INT(jscan_str_eq(&d, 4, "", 0), 1);
	CHECK_INT(jscan_str_eq(&d, 4, "a", 1), 0);
	CHECK_INT(jscan_str_eq(&d, 5, "\xf0\x9f\x98\x80\xc3\xa9", 6), 1);
	CHECK_INT(jscan_str_eq(&d, 5, "\xf0\x9f\x98\x80\xc3", 5), 0);
	CHECK_INT(jscan_str_eq(&d, 5, "\xf0\x9f\x98", 3), 0);
	CHECK_INT(jscan_str_eq(&d, 7, "\\", 1), 1);
	CHECK_INT(jscan_str_eq(&d, 7, "\\\\", 2), 0);
	/* Not strings. */
	CHECK_INT(jscan_str_eq(&d, 6, "7", 1), 0);
	CHECK_INT(jscan_str_eq(&d, 0, "", 0), 0);
	CHECK_INT(jscan_str_eq(&d, -1, "", 0), 0);
	jscan_free(&d);
}

static void
test_i64(void)
{
	static const struct i64_case cases[] = {
		{ "0", 1, 0 },
		{ "-0", 1, 0 },
		{ "1", 1, 1 },
		{ "-1", 1, -1 },
		{ "42", 1, 42 },
		{ "1000000000000", 1, INT64_C(1000000000000) },
		{ "922337203685477580", 1, INT64_C(922337203685477580) },
		{ "-922337203685477580", 1, INT64_C(-922337203685477580) },
		{ "9223372036854775799", 1, INT64_C(9223372036854775799) },
		{ "9223372036854775806", 1, INT64_C(9223372036854775806) },
		{ "9223372036854775807", 1, INT64_MAX },
		{ "-9223372036854775807", 1, -INT64_MAX },
		{ "-9223372036854775808", 1, INT64_MIN },
		{ "9223372036854775808", 0, 0 },
		{ "-9223372036854775809", 0, 0 },
		{ "9223372036854775810", 0, 0 },
		{ "-9223372036854775810", 0, 0 },
		{ "9223372036854775817", 0, 0 },
		{ "18446744073709551615", 0, 0 },
		{ "18446744073709551616", 0, 0 },
		{ "92233720368547758070", 0, 0 },
		{ "100000000000000000000", 0, 0 },
		{ "-100000000000000000000", 0, 0 },
		{ "1.0", 0, 0 },
		{ "1e2", 0, 0 },
		{ "1E2", 0, 0 },
		{ "-1E0", 0, 0 },
		{ "0.0", 0, 0 },
		{ "-0.0", 0, 0 },
		{ "\"1\"", 0, 0 },
		{ "true", 0, 0 },
		{ "null", 0, 0 },
		{ "[1]", 0, 0 },
		{ "{}", 0, 0 },
	};
	struct jdoc d = JDOC_INIT;
	size_t i;
	int64_t v;
	int before;

	for (i = 0; i < NELEM(cases); i++) {
		before = unit_failed;
		CHECK_INT(parse(&d, cases[i].text, strlen(cases[i].text)), 0);
		v = INT64_C(0x5a5a5a5a);
		CHECK_INT(jscan_i64(&d, 0, &v), cases[i].ok ? 0 : -1);
		if (cases[i].ok)
			CHECK(v == cases[i].v);
		if (unit_failed != before)
			note_case("jscan_i64", cases[i].text,
			    strlen(cases[i].text));
	}

	CHECK_INT(PARSE(&d, "[7,-8,9.5,\"10\"]"), 0);
	CHECK_INT(jscan_i64(&d, 1, &v), 0);
	CHECK_INT(v, 7);
	CHECK_INT(jscan_i64(&d, 2, &v), 0);
	CHECK_INT(v, -8);
	CHECK_INT(jscan_i64(&d, 3, &v), -1);
	CHECK_INT(jscan_i64(&d, 4, &v), -1);
	CHECK_INT(jscan_i64(&d, 0, &v), -1);
	CHECK_INT(jscan_i64(&d, -1, &v), -1);
	jscan_free(&d);
}

static void
test_utf8_valid(void)
{
	static const struct utf8_case cases[] = {
#define U(s, ok) { s, sizeof(s) - 1, ok }
		U("", 1),
		U("plain ASCII \x7f", 1),
		U("nul\x00inside", 1),
		U("\xc2\x80", 1),
		U("\xdf\xbf", 1),
		U("\xe0\xa0\x80", 1),
		U("\xed\x9f\xbf", 1),
		U("\xee\x80\x80", 1),
		U("\xef\xbf\xbf", 1),
		U("\xf0\x90\x80\x80", 1),
		U("\xf3\xbf\xbf\xbf", 1),
		U("\xf4\x8f\xbf\xbf", 1),
		U("a\xc3\xa9" "b\xe2\x82\xac" "c\xf0\x9f\x98\x80" "d", 1),
		/* stray continuation bytes */
		U("\x80", 0),
		U("\xbf", 0),
		U("a\x80" "b", 0),
		U("\xc3\xa9\xa9", 0),
		/* overlong forms */
		U("\xc0\x80", 0),
		U("\xc1\xbf", 0),
		U("\xe0\x80\x80", 0),
		U("\xe0\x9f\xbf", 0),
		U("\xf0\x80\x80\x80", 0),
		U("\xf0\x8f\xbf\xbf", 0),
		/* UTF-16 surrogates encoded in UTF-8 */
		U("\xed\xa0\x80", 0),
		U("\xed\xbf\xbf", 0),
		U("\xed\xa0\xbd\xed\xb8\x80", 0),
		/* above U+10FFFF, bytes that never occur */
		U("\xf4\x90\x80\x80", 0),
		U("\xf5\x80\x80\x80", 0),
		U("\xf7\xbf\xbf\xbf", 0),
		U("\xf8\x88\x80\x80\x80", 0),
		U("\xfc\x84\x80\x80\x80\x80", 0),
		U("\xfe", 0),
		U("\xff", 0),
		/* truncated sequences, at the end and before ASCII */
		U("\xc2", 0),
		U("\xe0\xa0", 0),
		U("\xf0\x90\x80", 0),
		U("a\xe2\x82", 0),
		U("\xc2" "a", 0),
		U("\xe2\x82" "a", 0),
		U("\xf0\x9f\x98" "a", 0),
		U("\xe2\x28\xa1", 0),
#undef U
	};
	size_t i;
	char *copy;

	for (i = 0; i < NELEM(cases); i++) {
		copy = xmalloc(cases[i].len + 1);
		memcpy(copy, cases[i].s, cases[i].len);
		if (jscan_utf8_valid(copy, cases[i].len) == cases[i].valid)
			unit_passed++;
		else {
			unit_failed++;
			fprintf(stderr, "%s:%d: jscan_utf8_valid: want %d\n",
			    __FILE__, __LINE__, cases[i].valid);
			note_case("utf8", cases[i].s, cases[i].len);
		}
		free(copy);
	}
	/* Length, not NUL termination, bounds the check. */
	CHECK_INT(jscan_utf8_valid("\xc3\xa9", 1), 0);
	CHECK_INT(jscan_utf8_valid("ab\xff", 2), 1);
}

static void
test_flags(void)
{
	static const struct flag_case cases[] = {
		{ "0", J_NUMBER, JT_INT },
		{ "-0", J_NUMBER, JT_INT | JT_NEG },
		{ "123", J_NUMBER, JT_INT },
		{ "-123", J_NUMBER, JT_INT | JT_NEG },
		{ "99999999999999999999999", J_NUMBER, JT_INT },
		{ "1.5", J_NUMBER, 0 },
		{ "-1.5", J_NUMBER, JT_NEG },
		{ "0.0", J_NUMBER, 0 },
		{ "1e5", J_NUMBER, 0 },
		{ "1E+5", J_NUMBER, 0 },
		{ "-1e-5", J_NUMBER, JT_NEG },
		{ "-0.0e0", J_NUMBER, JT_NEG },
		{ "\"abc\"", J_STRING, 0 },
		{ "\"caf\xc3\xa9\"", J_STRING, 0 },
		{ "\"a\\nb\"", J_STRING, JT_ESCAPED },
		{ "\"\\u0041\"", J_STRING, JT_ESCAPED },
		{ "\"\\\\\"", J_STRING, JT_ESCAPED },
		{ "\"abc\\/\"", J_STRING, JT_ESCAPED },
		{ "true", J_TRUE, 0 },
		{ "false", J_FALSE, 0 },
		{ "null", J_NULL, 0 },
		{ "[]", J_ARRAY, 0 },
		{ "{}", J_OBJECT, 0 },
		{ "[\"a\\n\",-1]", J_ARRAY, 0 },
	};
	struct jdoc d = JDOC_INIT;
	size_t i;
	int before;

	for (i = 0; i < NELEM(cases); i++) {
		before = unit_failed;
		CHECK_INT(parse(&d, cases[i].text, strlen(cases[i].text)), 0);
		CHECK_INT(jscan_type(&d, 0), cases[i].type);
		CHECK_INT(d.tok[0].flags, cases[i].flags);
		if (unit_failed != before)
			note_case("flags", cases[i].text,
			    strlen(cases[i].text));
	}
	/* Keys carry their own flag; the object does not. */
	CHECK_INT(PARSE(&d, "{\"a\\tb\":\"x\",\"c\":\"y\\\"\"}"), 0);
	CHECK_INT(d.tok[0].flags, 0);
	CHECK_INT(d.tok[1].flags, JT_ESCAPED);
	CHECK_INT(d.tok[2].flags, 0);
	CHECK_INT(d.tok[3].flags, 0);
	CHECK_INT(d.tok[4].flags, JT_ESCAPED);
	jscan_free(&d);
}

/*
 * A special piece at offset k (0..40) of a string body, followed by tail
 * bytes (0..24), the body itself at offset shift of the document: every
 * position relative to a 16-byte block, with every kind of interruption.
 */
static void
test_blocks(void)
{
	static const struct special sp[] = {
#define OK(r, v) { r, sizeof(r) - 1, v, sizeof(v) - 1, NULL, 0 }
#define BAD(r, e, adj) { r, sizeof(r) - 1, "", 0, e, adj }
		OK("\\\"", "\""),
		OK("\\\\", "\\"),
		OK("\\/", "/"),
		OK("\\b", "\b"),
		OK("\\f", "\f"),
		OK("\\n", "\n"),
		OK("\\r", "\r"),
		OK("\\t", "\t"),
		OK("\\u0000", "\0"),
		OK("\\u0041", "A"),
		OK("\\u00e9", "\xc3\xa9"),
		OK("\\u20AC", "\xe2\x82\xac"),
		OK("\\ud83d\\ude00", "\xf0\x9f\x98\x80"),
		OK("\xc3\xa9", "\xc3\xa9"),
		OK("\xe2\x82\xac", "\xe2\x82\xac"),
		OK("\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"),
		OK("\xf4\x8f\xbf\xbf", "\xf4\x8f\xbf\xbf"),
		OK("\x7f", "\x7f"),
		OK(" ", " "),
		BAD("\x01", "control character in string", 0),
		BAD("\x1f", "control character in string", 0),
		BAD("\n", "control character in string", 0),
		BAD("\x00", "control character in string", 0),
		BAD("\x80", "invalid UTF-8", 0),
		BAD("\xbf", "invalid UTF-8", 0),
		BAD("\xc0\x80", "invalid UTF-8", 0),
		BAD("\xe0\x80\x80", "invalid UTF-8", 0),
		BAD("\xed\xa0\x80", "invalid UTF-8", 0),
		BAD("\xf0\x8f\xbf\xbf", "invalid UTF-8", 0),
		BAD("\xf4\x90\x80\x80", "invalid UTF-8", 0),
		BAD("\xf5\x80\x80\x80", "invalid UTF-8", 0),
		BAD("\xff", "invalid UTF-8", 0),
		BAD("\xe2\x82" "a", "invalid UTF-8", 0),
		BAD("\xe2\x82\"", "invalid UTF-8", 0),
		BAD("\xf0\x9f\x98\"", "invalid UTF-8", 0),
		BAD("\xc3\"", "invalid UTF-8", 0),
		BAD("\\x", "invalid escape in string", 0),
		BAD("\\u12g4", "invalid \\u escape in string", 0),
		BAD("\\udc00", "lone low surrogate in string", 0),
		BAD("\\ud800x", "high surrogate without a low surrogate", 0),
		BAD("\\ud800\\u0041", "high surrogate without a low surrogate",
		    0),
#undef OK
#undef BAD
	};
	static const size_t shifts[] = { 0, 1, 7 };
	size_t i, si, k, tl;
	int twice;

	for (i = 0; i < NELEM(sp); i++)
		for (si = 0; si < NELEM(shifts); si++)
			for (k = 0; k <= 40; k++)
				for (tl = 0; tl <= 24; tl++)
					for (twice = 0; twice <= (sp[i].err ==
					    NULL); twice++)
						if (!block_case(&sp[i],
						    shifts[si], k, tl, twice))
							goto out;
out:
	buf_free(&blk_doc);
	buf_free(&blk_want);
	buf_free(&blk_out);
	jscan_free(&blk_d);
}

/*
 * One string: shift spaces, a quote, k filler bytes, the special piece, tl
 * filler bytes (then with twice the piece again and "xyz"), a quote.
 * Returns 0 after reporting a failure.
 */
static int
block_case(const struct special *sp, size_t shift, size_t k, size_t tl,
    int twice)
{
	const char *p;
	size_t n, rawlen;
	int before, rc;

	buf_reset(&blk_doc);
	buf_reset(&blk_want);
	for (n = 0; n < shift; n++)
		buf_putc(&blk_doc, ' ');
	buf_putc(&blk_doc, '"');
	buf_append(&blk_doc, filler, k);
	buf_append(&blk_want, filler, k);
	buf_append(&blk_doc, sp->raw, sp->rawlen);
	buf_append(&blk_want, sp->val, sp->vallen);
	buf_append(&blk_doc, filler + k, tl);
	buf_append(&blk_want, filler + k, tl);
	if (twice) {
		buf_append(&blk_doc, sp->raw, sp->rawlen);
		buf_append(&blk_want, sp->val, sp->vallen);
		buf_append(&blk_doc, "xyz", 3);
		buf_append(&blk_want, "xyz", 3);
	}
	buf_putc(&blk_doc, '"');
	rawlen = blk_doc.len - shift;

	before = unit_failed;
	rc = parse(&blk_d, blk_doc.data, blk_doc.len);
	if (sp->err != NULL) {
		CHECK_INT(rc, -1);
		CHECK_STR(blk_d.err, sp->err);
		CHECK_INT(blk_d.err_off, shift + 1 + k + sp->erradj);
	} else {
		CHECK_INT(rc, 0);
		if (rc == 0) {
			CHECK_INT(blk_d.ntok, 1);
			CHECK_INT(blk_d.tok[0].start, shift);
			CHECK_INT(blk_d.tok[0].len, rawlen);
			CHECK_INT(blk_d.tok[0].flags & JT_ESCAPED,
			    sp->raw[0] == '\\' ? JT_ESCAPED : 0);
			CHECK_INT(jscan_str(&blk_d, 0, &blk_out, &p, &n), 0);
			CHECK(n == blk_want.len &&
			    memcmp(p, blk_want.data, n) == 0);
			CHECK_INT(jscan_str_eq(&blk_d, 0, blk_want.data,
			    blk_want.len), 1);
			CHECK_INT(jscan_utf8_valid(p, n), 1);
		}
	}
	if (unit_failed == before)
		return 1;
	fprintf(stderr, "  special at %zu, tail %zu, shift %zu, twice %d\n",
	    k, tl, shift, twice);
	note_case("doc", blk_doc.data, blk_doc.len);
	return 0;	/* one report is enough */
}

/* A closing quote at every offset, and strings cut off at every length. */
static void
test_blocks_edges(void)
{
	struct jdoc d = JDOC_INIT;
	struct buf doc = BUF_INIT;
	size_t k, tl;
	int before;

	for (k = 0, before = unit_failed; k <= 40 && unit_failed == before;
	    k++) {
		for (tl = 0; tl <= 24 && unit_failed == before; tl++) {
			buf_reset(&doc);
			buf_puts(&doc, "[\"");
			buf_append(&doc, filler, k);
			buf_puts(&doc, "\",\"");
			buf_append(&doc, filler, tl);
			buf_puts(&doc, "\"]");
			CHECK_INT(parse(&d, doc.data, doc.len), 0);
			CHECK_INT(d.ntok, 3);
			check_tok(&d, 1, J_STRING, 1, k + 2, 2);
			check_tok(&d, 2, J_STRING, k + 4, tl + 2, 3);
			if (unit_failed != before)
				note_case("doc", doc.data, doc.len);
		}
	}

	for (k = 0; k <= 48; k++) {
		before = unit_failed;
		/* no closing quote at all */
		buf_reset(&doc);
		buf_putc(&doc, '"');
		buf_append(&doc, filler, k);
		CHECK_INT(parse(&d, doc.data, doc.len), -1);
		CHECK_STR(d.err, "unterminated string");
		CHECK_INT(d.err_off, 0);
		/* a backslash as the last byte */
		buf_putc(&doc, '\\');
		CHECK_INT(parse(&d, doc.data, doc.len), -1);
		CHECK_STR(d.err, "unterminated string");
		CHECK_INT(d.err_off, 0);
		/* a \u escape cut short by the end */
		buf_puts(&doc, "u12");
		CHECK_INT(parse(&d, doc.data, doc.len), -1);
		CHECK_STR(d.err, "invalid \\u escape in string");
		CHECK_INT(d.err_off, k + 1);
		/* a high surrogate cut short by the end */
		doc.len -= 4;
		buf_puts(&doc, "\\ud83d\\ude0");
		CHECK_INT(parse(&d, doc.data, doc.len), -1);
		CHECK_STR(d.err, "high surrogate without a low surrogate");
		CHECK_INT(d.err_off, k + 1);
		/* a UTF-8 sequence cut short by the end */
		doc.len = k + 1;
		buf_puts(&doc, "\xf0\x9f\x98");
		CHECK_INT(parse(&d, doc.data, doc.len), -1);
		CHECK_STR(d.err, "invalid UTF-8");
		CHECK_INT(d.err_off, k + 1);
		if (unit_failed != before) {
			note_case("doc", doc.data, doc.len);
			break;
		}
	}
	buf_free(&doc);
	jscan_free(&d);
}

/* One jdoc for many documents of very different sizes, failures between. */
static void
test_reuse(void)
{
	static const size_t sizes[] = {
		0, 1, 300, 2, 70000, 5, 255, 256, 257, 1000, 0, 123457, 3,
		511, 512, 513, 40000, 1
	};
	struct jdoc d = JDOC_INIT;
	struct buf doc = BUF_INIT;
	char key[32];
	size_t i, j, n, lastpos, pass, ok;
	int64_t v;
	int t;

	for (i = 0; i < 3 * NELEM(sizes); i++) {
		pass = i / NELEM(sizes);
		n = sizes[(i + pass * 5) % NELEM(sizes)];
		/* an array of n integers */
		buf_reset(&doc);
		buf_putc(&doc, '[');
		lastpos = 0;
		for (j = 0; j < n; j++) {
			if (j > 0)
				buf_putc(&doc, ',');
			lastpos = doc.len;
			buf_printf(&doc, "%zu", j);
		}
		buf_putc(&doc, ']');
		CHECK_INT(parse(&d, doc.data, doc.len), 0);
		CHECK_INT(d.ntok, n + 1);
		CHECK_INT(d.tok[0].next, n + 1);
		CHECK_INT(d.tok[0].len, doc.len);
		CHECK_INT(jscan_count(&d, 0), n);
		CHECK(d.cap >= d.ntok);
		if (n > 0) {
			CHECK_INT(d.tok[n].start, lastpos);
			CHECK_INT(jscan_i64(&d, (int)n, &v), 0);
			CHECK_INT(v, n - 1);
		}
		for (j = 1, ok = 1; j <= n; j++)
			if (d.tok[j].type != J_NUMBER || d.tok[j].next != j + 1)
				ok = 0;
		CHECK(ok);

		/* the same text cut short fails, and leaves d usable */
		CHECK_INT(parse(&d, doc.data, doc.len - 1), -1);
		CHECK_STR(d.err, n == 0 ? "unexpected end of input, expected "
		    "a value" : "unexpected end of input in a container");

		/* an object of n members */
		buf_reset(&doc);
		buf_putc(&doc, '{');
		for (j = 0; j < n; j++)
			buf_printf(&doc, "%s\"k%zu\":%zu", j > 0 ? "," : "", j,
			    j);
		buf_putc(&doc, '}');
		CHECK_INT(parse(&d, doc.data, doc.len), 0);
		CHECK_INT(d.ntok, 2 * n + 1);
		CHECK_INT(jscan_count(&d, 0), n);
		if (n > 0) {
			snprintf(key, sizeof(key), "k%zu", n - 1);
			t = jscan_member(&d, 0, key, strlen(key));
			CHECK_INT(t, 2 * n);
			CHECK_INT(jscan_i64(&d, t, &v), 0);
			CHECK_INT(v, n - 1);
		}
		CHECK_INT(jscan_member(&d, 0, "k", 1), -1);
	}

	jscan_free(&d);
	CHECK(d.tok == NULL);
	CHECK_INT(d.ntok, 0);
	CHECK_INT(d.cap, 0);
	CHECK_INT(PARSE(&d, "[1,2]"), 0);
	CHECK_INT(d.ntok, 3);
	jscan_free(&d);
	jscan_free(&d);
	buf_free(&doc);
}

/*
 * Lazy containers: a tape over its budget records no children of nested
 * containers, and every lookup expands them on demand.
 */
static void
test_lazy(void)
{
	struct jdoc d = JDOC_INIT;
	struct buf b = BUF_INIT;
	const char *text =
	    "{\"a\":[1,2,3],\"b\":{\"c\":[4],\"d\":\"x\"},\"e\":5}";
	struct field f;
	size_t i, n;
	int t, c;

	/* one eager token: every nested container lazy at once */
	d.eager = 1;
	CHECK_INT(jscan_parse(&d, text, strlen(text)), 0);
	CHECK_INT(d.ntok, 7);	/* {} "a" [] "b" {} "e" 5 */
	CHECK(d.tok[2].flags & JT_LAZY);
	CHECK(d.tok[4].flags & JT_LAZY);
	CHECK_INT(d.tok[2].next, 3);
	CHECK_INT(jscan_member(&d, 0, "e", 1), 6);
	CHECK_INT(jscan_count(&d, 2), 3);
	CHECK_INT(d.ntok, 11);	/* the copy of [1,2,3] and its children */
	t = jscan_child(&d, 2);
	CHECK_INT(t, 8);
	CHECK_MEM(d.text + d.tok[t].start, d.tok[t].len, "1");
	CHECK_INT(jscan_after(&d, 2, t), 9);
	CHECK_INT(jscan_after(&d, 2, 10), -1);
	CHECK_INT(jscan_count(&d, 2), 3);	/* expanded once */
	CHECK_INT(d.ntok, 11);
	CHECK_INT(field_parse(&f, "b.c"), 0);
	t = field_scan(&d, 0, &f);
	field_free(&f);
	CHECK(t >= 0 && jscan_type(&d, t) == J_ARRAY &&
	    (d.tok[t].flags & JT_LAZY));
	CHECK_INT(jscan_count(&d, t), 1);
	/* a new parse forgets the copies */
	CHECK_INT(jscan_parse(&d, text, strlen(text)), 0);
	CHECK_INT(d.ntok, 7);
	CHECK_INT(jscan_count(&d, 4), 2);

	/* the budget runs out inside a container: it gives its tokens back */
	d.eager = 3;
	text = "{\"a\":[1,2,3,4,5,6],\"b\":true}";
	CHECK_INT(jscan_parse(&d, text, strlen(text)), 0);
	CHECK_INT(d.ntok, 5);	/* {} "a" [] "b" true */
	CHECK(d.tok[2].flags & JT_LAZY);
	CHECK_INT(d.tok[2].len, 13);
	CHECK_INT(jscan_count(&d, 2), 6);
	CHECK_INT(jscan_member(&d, 0, "b", 1), 4);
	/* errors inside a lazy container are found all the same */
	text = "{\"a\":[1,2,3,4,5,\"\\q\"],\"b\":true}";
	CHECK_INT(jscan_parse(&d, text, strlen(text)), -1);
	CHECK_STR(d.err, "invalid escape in string");
	CHECK_INT(d.err_off, 17);

	/* the default: a long line's nested array costs JSCAN_EAGER tokens
	 * at most, the root's members are all there */
	d.eager = 0;
	buf_puts(&b, "{\"id\":1,\"v\":[");
	for (i = 0; i < 1000000; i++)
		buf_puts(&b, i > 0 ? ",0" : "0");
	buf_puts(&b, "],\"w\":2}");
	CHECK_INT(jscan_parse(&d, b.data, b.len), 0);
	CHECK(d.ntok <= JSCAN_EAGER + 8);
	CHECK_INT(jscan_member(&d, 0, "w", 1), 6);
	t = jscan_member(&d, 0, "v", 1);
	CHECK(t == 4 && (d.tok[t].flags & JT_LAZY));
	for (n = 0, c = jscan_child(&d, t); c >= 0; c = jscan_after(&d, t, c))
		n++;
	CHECK_INT(n, 1000000);
	buf_free(&b);
	jscan_free(&d);
}

/* The empty name may come as NULL (an empty struct buf): no memcmp sees
 * it (UBSan). */
static void
test_null_name(void)
{
	struct jdoc d = JDOC_INIT;
	const char *text = "{\"a\":0,\"\":1,\"\\u0062\":2}";

	CHECK_INT(jscan_parse(&d, text, strlen(text)), 0);
	CHECK_INT(jscan_member(&d, 0, NULL, 0), 4);
	CHECK(jscan_str_eq(&d, 3, NULL, 0));
	CHECK(!jscan_str_eq(&d, 5, NULL, 0));
	jscan_free(&d);
}

int
main(void)
{
	UNIT_NAME("test_jscan");
	test_valid();
	test_errors();
	test_depth();
	test_tape();
	test_member();
	test_members();
	test_iterate();
	test_str();
	test_str_eq();
	test_i64();
	test_utf8_valid();
	test_flags();
	test_blocks();
	test_blocks_edges();
	test_reuse();
	test_lazy();
	test_null_name();
	free(cur_text);
	return unit_report();
}
