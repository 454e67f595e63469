/*
 * test_field.c: unit tests for dotted field paths and field lists.
 *
 * Parsing (segments, escapes, empty segments), comma-separated lists (where
 * spaces are part of names and *bad points at the offending item), and
 * lookups of the same paths in a jscan document and in a jansson tree;
 * values shown in messages and read as times.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "field.h"
#include "jscan.h"
#include "unit.h"

static const char doc_text[] =
    "{\"a\":{\"b\":{\"c\":1,\"d\":[1,2]},\"x\":\"s\"},"
    "\"arr\":[{\"b\":2}],\"s\":\"str\",\"n\":null,\"t\":true,"
    "\"num\":12.5,\"a.b\":5,\"a\\\\b\":6,\"e\\u0041\":7,"
    "\"dup\":1,\"dup\":{\"k\":2},\" sp \":8,\"\":{\"e\":9},"
    "\"\\u00e9t\\u00e9\":{\"\\u00fc\":10},\"a,b\":11}";

static int	segs_are(const struct field *, const char *const *, size_t);
static int	parse_ok(const char *, const char *const *, size_t);
static int	raw_is(const struct jdoc *, int, const char *);
static void	test_parse(void);
static void	test_parse_bad(void);
static void	test_list(void);
static void	test_list_bad(void);
static void	test_scan(void);
static void	test_json(void);
static void	test_shown_time(void);
static void	test_names(void);

/* 1 when f has exactly the segments want[0..n) (C strings). */
static int
segs_are(const struct field *f, const char *const *want, size_t n)
{
	size_t i;

	if (f->nseg != n)
		return 0;
	for (i = 0; i < n; i++)
		if (f->seg[i].len != strlen(want[i]) ||
		    memcmp(f->seg[i].name, want[i], f->seg[i].len) != 0 ||
		    f->seg[i].name[f->seg[i].len] != '\0')
			return 0;
	return 1;
}

/* Parse spec; 1 when it succeeds with segments want[0..n) and text spec. */
static int
parse_ok(const char *spec, const char *const *want, size_t n)
{
	struct field f;
	int ok;

	if (field_parse(&f, spec) != 0)
		return 0;
	ok = segs_are(&f, want, n) && f.text != NULL &&
	    strcmp(f.text, spec) == 0 && f.text != spec;
	field_free(&f);
	return ok;
}

/* 1 when token t exists and its raw text is want. */
static int
raw_is(const struct jdoc *d, int t, const char *want)
{
	const char *p;
	size_t len;

	if (t < 0)
		return 0;
	p = jscan_raw(d, t, &len);
	return len == strlen(want) && memcmp(p, want, len) == 0;
}

static void
test_parse(void)
{
	static const char *const a[] = { "a" };
	static const char *const abc[] = { "a", "b", "c" };
	static const char *const adotb[] = { "a.b" };
	static const char *const adotb_c[] = { "a.b", "c" };
	static const char *const bsl[] = { "a\\b" };
	static const char *const bsl_dot[] = { "a\\", "b" };
	static const char *const ab[] = { "ab" };
	static const char *const trail[] = { "a\\" };
	static const char *const lone[] = { "\\" };
	static const char *const dot[] = { "." };
	static const char *const dots[] = { "..", "." };
	static const char *const spaces[] = { " a ", " b" };
	static const char *const comma[] = { "a,b" };
	static const char *const utf8[] = { "\xc3\xa9t\xc3\xa9", "\xc3\xbc" };
	static const char *const long5[] = { "source", "table", "x", "y", "z" };
	struct field f;

	CHECK(parse_ok("a", a, 1));
	CHECK(parse_ok("a.b.c", abc, 3));
	/* "\." is a literal dot, "\\" a literal backslash */
	CHECK(parse_ok("a\\.b", adotb, 1));
	CHECK(parse_ok("a\\.b.c", adotb_c, 2));
	CHECK(parse_ok("a\\\\b", bsl, 1));
	CHECK(parse_ok("a\\\\.b", bsl_dot, 2));
	CHECK(parse_ok("\\.", dot, 1));
	CHECK(parse_ok("\\.\\..\\.", dots, 2));
	/* "\x" stands for x whatever x is */
	CHECK(parse_ok("a\\b", ab, 1));
	/* a backslash with nothing after it stays as it is */
	CHECK(parse_ok("a\\", trail, 1));
	CHECK(parse_ok("\\", lone, 1));
	/* spaces and commas are part of names in a single path */
	CHECK(parse_ok(" a . b", spaces, 2));
	CHECK(parse_ok("a,b", comma, 1));
	CHECK(parse_ok("\xc3\xa9t\xc3\xa9.\xc3\xbc", utf8, 2));
	CHECK(parse_ok("source.table.x.y.z", long5, 5));

	/* field_free leaves an empty field; a second free is harmless. */
	CHECK_INT(field_parse(&f, "a.b"), 0);
	CHECK_INT(f.nseg, 2);
	CHECK_STR(f.text, "a.b");
	field_free(&f);
	CHECK_INT(f.nseg, 0);
	CHECK(f.seg == NULL && f.text == NULL);
	field_free(&f);
}

static void
test_parse_bad(void)
{
	static const char *const bad[] = {
		"", ".", "a.", ".a", "a..b", "..", "a.b.", "a.b..c", "\\..",
		".\\."
	};
	struct field f;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(&f, 0xA5, sizeof(f));
		CHECK_INT(field_parse(&f, bad[i]), -1);
		/* nothing left to free */
		CHECK(f.text == NULL && f.seg == NULL && f.nseg == 0);
	}
}

static void
test_list(void)
{
	static const char *const a[] = { "a" };
	static const char *const bc[] = { "b", "c" };
	static const char *const d[] = { " d" };
	static const char *const acomma[] = { "a,b" };
	static const char *const x[] = { "x" };
	static const char *const adot[] = { "a.b", "c" };
	static const char *const bsl[] = { "a\\" };
	static const char *const b[] = { "b" };
	static const char *const sp[] = { " " };
	static const char *const tail[] = { "e " };
	struct field_list l = { NULL, 0 };
	const char *bad = NULL;

	/* Spaces belong to the names: " d" and "e " keep theirs. */
	CHECK_INT(field_list_parse(&l, "a,b.c, d", &bad), 0);
	CHECK(bad == NULL);
	CHECK_INT(l.n, 3);
	if (l.n == 3) {
		CHECK(segs_are(&l.f[0], a, 1));
		CHECK(segs_are(&l.f[1], bc, 2));
		CHECK(segs_are(&l.f[2], d, 1));
		CHECK_STR(l.f[0].text, "a");
		CHECK_STR(l.f[1].text, "b.c");
		CHECK_STR(l.f[2].text, " d");
	}

	/* Appends to what is there. */
	CHECK_INT(field_list_parse(&l, " ,e ", &bad), 0);
	CHECK_INT(l.n, 5);
	if (l.n == 5) {
		CHECK(segs_are(&l.f[3], sp, 1));
		CHECK(segs_are(&l.f[4], tail, 1));
	}
	field_list_free(&l);
	CHECK(l.f == NULL && l.n == 0);

	/* "\," is a comma inside a name; "\." still escapes a dot. */
	CHECK_INT(field_list_parse(&l, "a\\,b,x,a\\.b.c", &bad), 0);
	CHECK_INT(l.n, 3);
	if (l.n == 3) {
		CHECK(segs_are(&l.f[0], acomma, 1));
		CHECK(segs_are(&l.f[1], x, 1));
		CHECK(segs_are(&l.f[2], adot, 2));
		/* text is the item as written */
		CHECK_STR(l.f[0].text, "a\\,b");
		CHECK_STR(l.f[2].text, "a\\.b.c");
	}
	field_list_free(&l);

	/* "\\," is an escaped backslash, then a separator. */
	CHECK_INT(field_list_parse(&l, "a\\\\,b", &bad), 0);
	CHECK_INT(l.n, 2);
	if (l.n == 2) {
		CHECK(segs_are(&l.f[0], bsl, 1));
		CHECK(segs_are(&l.f[1], b, 1));
	}
	field_list_free(&l);

	/* A single item. */
	CHECK_INT(field_list_parse(&l, "a", &bad), 0);
	CHECK_INT(l.n, 1);
	CHECK(l.n == 1 && segs_are(&l.f[0], a, 1));
	field_list_free(&l);
	field_list_free(&l);
}

static void
test_list_bad(void)
{
	static const struct {
		const char	*spec;
		size_t		 bad_off;	/* where *bad must point */
	} cases[] = {
		{ "a,,b", 2 },
		{ "a,", 2 },
		{ ",a", 0 },
		{ "", 0 },
		{ ",", 0 },
		{ "a,b..c,d", 2 },
		{ "a,b,.c", 4 },
		{ "a,b,c.", 4 },
		{ "x\\,y,", 5 },
		{ "a.b,c,d,", 8 },
	};
	struct field_list l = { NULL, 0 };
	const char *bad;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bad = NULL;
		CHECK_INT(field_list_parse(&l, cases[i].spec, &bad), -1);
		CHECK(bad != NULL);
		if (bad != NULL)
			CHECK_INT(bad - cases[i].spec, cases[i].bad_off);
		/* the good items before the bad one are not kept: a refused
		 * list leaves l as it was */
		CHECK_INT(l.n, 0);
		field_list_free(&l);
		/* nor are they appended to what l holds */
		CHECK_INT(field_list_parse(&l, "p.q,r", &bad), 0);
		CHECK_INT(field_list_parse(&l, cases[i].spec, &bad), -1);
		CHECK_INT(l.n, 2);
		CHECK(l.n == 2 && strcmp(l.f[1].text, "r") == 0);
		field_list_free(&l);
	}
}

static void
test_scan(void)
{
	struct jdoc d = JDOC_INIT;
	struct field f;
	int t, ta;

	CHECK_INT(jscan_parse(&d, doc_text, strlen(doc_text)), 0);

#define SCAN(path) (field_parse(&f, (path)) == 0 ? \
	(t = field_scan(&d, 0, &f), field_free(&f), t) : -2)

	CHECK(raw_is(&d, SCAN("a.b.c"), "1"));
	CHECK_INT(jscan_type(&d, SCAN("a.b.c")), J_NUMBER);
	CHECK(raw_is(&d, SCAN("a.b"), "{\"c\":1,\"d\":[1,2]}"));
	CHECK_INT(jscan_type(&d, SCAN("a.b")), J_OBJECT);
	CHECK(raw_is(&d, SCAN("a.b.d"), "[1,2]"));
	CHECK(raw_is(&d, SCAN("a.x"), "\"s\""));
	CHECK(raw_is(&d, SCAN("s"), "\"str\""));
	CHECK(raw_is(&d, SCAN("n"), "null"));
	CHECK_INT(jscan_type(&d, SCAN("n")), J_NULL);
	CHECK(raw_is(&d, SCAN("t"), "true"));
	CHECK(raw_is(&d, SCAN("num"), "12.5"));
	/* escaped dot and backslash name single members */
	CHECK(raw_is(&d, SCAN("a\\.b"), "5"));
	CHECK(raw_is(&d, SCAN("a\\\\b"), "6"));
	/* keys are compared after unescaping */
	CHECK(raw_is(&d, SCAN("eA"), "7"));
	CHECK(raw_is(&d, SCAN("\xc3\xa9t\xc3\xa9.\xc3\xbc"), "10"));
	/* the last of duplicate members */
	CHECK(raw_is(&d, SCAN("dup"), "{\"k\":2}"));
	CHECK(raw_is(&d, SCAN("dup.k"), "2"));
	CHECK(raw_is(&d, SCAN(" sp "), "8"));
	CHECK(raw_is(&d, SCAN("a,b"), "11"));

	/* missing members */
	CHECK_INT(SCAN("zz"), -1);
	CHECK_INT(SCAN("a.zz"), -1);
	CHECK_INT(SCAN("a.b.zz"), -1);
	CHECK_INT(SCAN("zz.a"), -1);
	CHECK_INT(SCAN("sp"), -1);
	CHECK_INT(SCAN("A"), -1);
	CHECK_INT(SCAN("e\\u0041"), -1);
	/* non-object intermediates */
	CHECK_INT(SCAN("a.b.c.d"), -1);
	CHECK_INT(SCAN("a.x.y"), -1);
	CHECK_INT(SCAN("s.t"), -1);
	CHECK_INT(SCAN("n.q"), -1);
	CHECK_INT(SCAN("t.q"), -1);
	CHECK_INT(SCAN("num.q"), -1);
	CHECK_INT(SCAN("arr.b"), -1);
	CHECK_INT(SCAN("arr.0"), -1);
	CHECK_INT(SCAN("a.b.d.0"), -1);
	CHECK_INT(SCAN("dup.k.z"), -1);

	/* a start token other than the root */
	CHECK_INT(field_parse(&f, "b.c"), 0);
	ta = jscan_member(&d, 0, "a", 1);
	CHECK(ta > 0);
	CHECK(raw_is(&d, field_scan(&d, ta, &f), "1"));
	CHECK_INT(field_scan(&d, -1, &f), -1);
	CHECK_INT(field_scan(&d, jscan_member(&d, 0, "s", 1), &f), -1);
	field_free(&f);

	/* a root that is not an object */
	CHECK_INT(jscan_parse(&d, "[1,{\"a\":1}]", 11), 0);
	CHECK_INT(SCAN("a"), -1);
	CHECK_INT(jscan_parse(&d, "\"a\"", 3), 0);
	CHECK_INT(SCAN("a"), -1);
	CHECK_INT(jscan_parse(&d, "{}", 2), 0);
	CHECK_INT(SCAN("a"), -1);
	CHECK_INT(jscan_parse(&d, "{\"a\":{}}", 8), 0);
	CHECK(raw_is(&d, SCAN("a"), "{}"));
	CHECK_INT(SCAN("a.b"), -1);
#undef SCAN
	jscan_free(&d);
}

static void
test_json(void)
{
	json_error_t jerr;
	json_t *root, *v, *arr;
	struct field f;

	root = json_loads(doc_text, 0, &jerr);
	CHECK(root != NULL);
	if (root == NULL)
		return;

#define JGET(path) (field_parse(&f, (path)) == 0 ? \
	(v = field_json(root, &f), field_free(&f), v) : NULL)

	v = JGET("a.b.c");
	CHECK(json_is_integer(v) && json_integer_value(v) == 1);
	v = JGET("a.b");
	CHECK(json_is_object(v) && json_object_size(v) == 2);
	v = JGET("a.b.d");
	CHECK(json_is_array(v) && json_array_size(v) == 2);
	v = JGET("a.x");
	CHECK(json_is_string(v) && strcmp(json_string_value(v), "s") == 0);
	CHECK(json_is_null(JGET("n")));
	CHECK(json_is_true(JGET("t")));
	v = JGET("num");
	CHECK(json_is_real(v) && json_real_value(v) == 12.5);
	v = JGET("a\\.b");
	CHECK(json_is_integer(v) && json_integer_value(v) == 5);
	v = JGET("a\\\\b");
	CHECK(json_is_integer(v) && json_integer_value(v) == 6);
	v = JGET("eA");
	CHECK(json_is_integer(v) && json_integer_value(v) == 7);
	v = JGET("\xc3\xa9t\xc3\xa9.\xc3\xbc");
	CHECK(json_is_integer(v) && json_integer_value(v) == 10);
	v = JGET("dup.k");
	CHECK(json_is_integer(v) && json_integer_value(v) == 2);
	v = JGET(" sp ");
	CHECK(json_is_integer(v) && json_integer_value(v) == 8);
	v = JGET("a,b");
	CHECK(json_is_integer(v) && json_integer_value(v) == 11);
	/* the result is borrowed: the same object as in the tree */
	CHECK(JGET("a") == json_object_get(root, "a"));

	/* missing members */
	CHECK(JGET("zz") == NULL);
	CHECK(JGET("a.zz") == NULL);
	CHECK(JGET("a.b.zz") == NULL);
	CHECK(JGET("zz.a") == NULL);
	CHECK(JGET("A") == NULL);
	/* non-object intermediates */
	CHECK(JGET("a.b.c.d") == NULL);
	CHECK(JGET("a.x.y") == NULL);
	CHECK(JGET("s.t") == NULL);
	CHECK(JGET("n.q") == NULL);
	CHECK(JGET("t.q") == NULL);
	CHECK(JGET("num.q") == NULL);
	CHECK(JGET("arr.b") == NULL);
	CHECK(JGET("arr.0") == NULL);
	CHECK(JGET("a.b.d.0") == NULL);

	/* NULL and non-object roots */
	CHECK_INT(field_parse(&f, "a"), 0);
	CHECK(field_json(NULL, &f) == NULL);
	arr = json_pack("[i]", 1);
	CHECK(field_json(arr, &f) == NULL);
	json_decref(arr);
	field_free(&f);

	/* a name with a NUL byte, which a tree can hold (json_loads refuses
	 * it): segments carry their length, so "a" does not match "a\0b" */
	arr = json_object();
	CHECK_INT(json_object_setn_new(arr, "a\0b", 3, json_integer(1)), 0);
	CHECK_INT(field_parse(&f, "a"), 0);
	CHECK(field_json(arr, &f) == NULL);
	field_free(&f);
	CHECK_INT(json_object_setn_new(arr, "a", 1, json_integer(2)), 0);
	CHECK_INT(field_parse(&f, "a"), 0);
	v = field_json(arr, &f);
	CHECK(json_is_integer(v) && json_integer_value(v) == 2);
	field_free(&f);
	json_decref(arr);
#undef JGET
	json_decref(root);
}

static void
test_shown_time(void)
{
	static const char text[] = "[\"2026-11-22T10:00:00Z\",1795305600250,"
	    "\"2026\\u002d11-22 10:00:00.5+01:00\",\"abc\",true,"
	    "\"0123456789012345678901234567890123456789\",1e400,"
	    "\"infinity\",\"-infinity\",\"+10000-01-01T00:00:00.000Z\","
	    "\"+300000-01-01\"]";
	struct jdoc d = JDOC_INIT;
	struct buf tmp = BUF_INIT;
	int64_t us;
	int t;

	CHECK_INT(jscan_parse(&d, text, strlen(text)), 0);
	t = jscan_child(&d, 0);
	CHECK_STR(field_shown(&d, t), "\"2026-11-22T10:00:00Z\"");
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), 0);
	CHECK(us == INT64_C(1795341600000000));
	t = jscan_after(&d, 0, t);
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), 0);
	CHECK(us == INT64_C(1795305600250000));
	CHECK_INT(field_time(&d, t, TS_US, &tmp, &us), 0);
	CHECK(us == INT64_C(1795305600250));
	/* an escaped string is unescaped before it is parsed */
	t = jscan_after(&d, 0, t);
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), 0);
	CHECK(us == INT64_C(1795338000500000));
	t = jscan_after(&d, 0, t);
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), -1);
	CHECK_STR(field_shown(&d, t), "\"abc\"");
	t = jscan_after(&d, 0, t);
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), -1);
	CHECK_STR(field_shown(&d, t), "true");
	/* 42 bytes: cut to 37 and "..." */
	t = jscan_after(&d, 0, t);
	CHECK_STR(field_shown(&d, t),
	    "\"012345678901234567890123456789012345...");
	t = jscan_after(&d, 0, t);
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), TS_ERANGE);
	CHECK_STR(field_shown(&d, t), "1e400");
	/* the forms of DESIGN.md section 4 beyond RFC 3339 */
	t = jscan_after(&d, 0, t);
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), 0);
	CHECK(us == TS_INF);
	t = jscan_after(&d, 0, t);
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), 0);
	CHECK(us == TS_NINF);
	t = jscan_after(&d, 0, t);
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), 0);
	CHECK(us == INT64_C(253402300800000000));
	t = jscan_after(&d, 0, t);
	CHECK_INT(field_time(&d, t, TS_MS, &tmp, &us), TS_ERANGE);
	jscan_free(&d);
	buf_free(&tmp);
}

int
main(void)
{
	UNIT_NAME("test_field");
	test_parse();
	test_parse_bad();
	test_list();
	test_list_bad();
	test_scan();
	test_json();
	test_shown_time();
	test_names();
	return unit_report();
}

/* Output names of paths, and the names with a meaning in a stream. */
static void
test_names(void)
{
	struct field f;
	struct buf b = BUF_INIT;

	CHECK_INT(field_parse(&f, "source.ts_ms"), 0);
	field_out_name(&f, &b);
	CHECK_STR(b.data, "source_ts_ms");
	field_free(&f);
	buf_reset(&b);
	CHECK_INT(field_parse(&f, "a\\.b"), 0);	/* one member "a.b" */
	buf_puts(&b, "__");
	field_out_name(&f, &b);
	CHECK_STR(b.data, "__a.b");
	field_free(&f);
	buf_free(&b);

	CHECK(field_reserved("__kind", 6));
	CHECK(field_reserved("__watermark", 11));
	CHECK(field_reserved("__checkpoint", 12));
	CHECK(field_reserved("__restore", 9));
	CHECK(field_reserved("__committed", 11));
	CHECK(!field_reserved("__kin", 5));
	CHECK(!field_reserved("__kinds", 7));
	CHECK(!field_reserved("__op", 4));
	CHECK(!field_reserved("kind", 4));
	CHECK(!field_reserved("", 0));
}
