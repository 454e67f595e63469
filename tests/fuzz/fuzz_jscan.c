/*
 * fuzz_jscan.c: libFuzzer target for the JSON scanner (common/jscan.[ch]).
 *
 * Every input goes to jscan_parse and to jansson's json_loadb. When jscan
 * accepts, the tape must be well formed (spans inside the text, `next`
 * indices nested and within ntok, keys where keys belong), every string must
 * unescape to valid UTF-8 that jscan_str_eq recognises, every number must
 * survive jscan_i64 and agree with strtoll, and lookups must find the last
 * occurrence of each key. Validity must agree with jansson, and values too
 * when both accept, with the same tolerated differences as
 * tests/unit/test_jscan_diff.c: numbers jansson cannot represent, keys with
 * U+0000, and the NUL byte jansson drops after a number or literal. Any
 * violation aborts, so the fuzzer keeps the input.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "diag.h"
#include "jscan.h"

#define JFLAGS		(JSON_DECODE_ANY | JSON_ALLOW_NUL)

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	require(int, const char *, int);
static const char *number_text(const struct jdoc *, int);
static void	check_tape(const struct jdoc *);
static void	check_token(const struct jdoc *, int);
static void	check_container(const struct jdoc *, int);
static int	same_value(const struct jdoc *, int, json_t *);
static enum jtype first_unrep(const struct jdoc *, int, const char **);
static void	check_refusal(const struct jdoc *, const char *);
static void	check_dropped_nul(const char *, size_t, json_t *);

static struct jdoc doc = JDOC_INIT;
static struct buf sbuf, kbuf, nbuf, reduced, allkeys;

static void
require(int ok, const char *what, int t)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_jscan: token %d: %s\n", t, what);
	abort();
}

static const char *
number_text(const struct jdoc *d, int t)
{
	const char *p;
	size_t n;

	p = jscan_raw(d, t, &n);
	buf_reset(&nbuf);
	buf_append(&nbuf, p, n);
	return nbuf.data;
}

/* The tape as a whole: one root spanning all tokens, tokens in text order,
 * every subtree nested inside its parent's span and index range. */
static void
check_tape(const struct jdoc *d)
{
	uint32_t stack[JSCAN_MAX_DEPTH + 2];
	uint32_t t, depth = 0, top;
	int c;

	require(d->err == NULL, "error set after success", 0);
	require(d->ntok >= 1 && d->ntok <= d->cap, "bad ntok", 0);
	require(d->tok[0].next == d->ntok, "root does not span the tape", 0);
	for (t = 0; t < d->ntok; t++) {
		const struct jtok *k = &d->tok[t];

		require(k->type >= J_OBJECT && k->type <= J_NULL, "bad type",
		    (int)t);
		require(k->len >= 1 && (uint64_t)k->start + k->len <= d->len,
		    "span outside the text", (int)t);
		require(k->next > t && k->next <= d->ntok, "bad next", (int)t);
		require(t == 0 || k->start > d->tok[t - 1].start,
		    "tokens out of text order", (int)t);
		while (depth > 0 && d->tok[stack[depth - 1]].next <= t)
			depth--;
		if (depth > 0) {
			top = stack[depth - 1];
			require(k->next <= d->tok[top].next,
			    "subtree leaves its parent", (int)t);
			require(k->start + k->len < d->tok[top].start +
			    d->tok[top].len, "span leaves its parent", (int)t);
		} else
			require(t == 0, "token outside the root", (int)t);
		if (k->type == J_OBJECT || k->type == J_ARRAY) {
			require(depth < JSCAN_MAX_DEPTH, "nesting too deep",
			    (int)t);
			stack[depth++] = t;
		} else
			require(k->next == t + 1, "scalar with children",
			    (int)t);
		check_token(d, (int)t);
	}
	/* Keys are strings, each followed by a value. */
	for (t = 0; t < d->ntok; t++) {
		if (d->tok[t].type != J_OBJECT)
			continue;
		for (c = jscan_child(d, (int)t); c >= 0;
		    c = jscan_after(d, (int)t, c + 1)) {
			require(jscan_type(d, c) == J_STRING,
			    "key not a string", c);
			require((uint32_t)c + 1 < d->tok[t].next,
			    "key without a value", c);
		}
	}
}

static void
check_token(const struct jdoc *d, int t)
{
	static const char first[] = "?{[\"-tfn";
	const char *raw, *p, *s;
	char *end;
	size_t n, rn;
	long long ll;
	int64_t v;
	int r;

	raw = jscan_raw(d, t, &rn);
	switch (jscan_type(d, t)) {
	case J_OBJECT:
	case J_ARRAY:
		require(raw[0] == first[jscan_type(d, t)] && raw[rn - 1] ==
		    (jscan_type(d, t) == J_OBJECT ? '}' : ']'),
		    "container brackets", t);
		check_container(d, t);
		break;
	case J_STRING:
		require(rn >= 2 && raw[0] == '"' && raw[rn - 1] == '"',
		    "string quotes", t);
		require(((d->tok[t].flags & JT_ESCAPED) != 0) ==
		    (memchr(raw, '\\', rn) != NULL), "JT_ESCAPED", t);
		require(jscan_str(d, t, &sbuf, &p, &n) == 0, "jscan_str", t);
		require(jscan_utf8_valid(p, n), "unescaped text not UTF-8", t);
		require(jscan_str_eq(d, t, p, n) == 1, "jscan_str_eq", t);
		if ((d->tok[t].flags & JT_ESCAPED) == 0)
			require(p == raw + 1 && n == rn - 2, "zero copy", t);
		else
			require(n < rn - 2, "unescaped not shorter", t);
		if (n > 0)
			require(jscan_str_eq(d, t, p, n - 1) == 0,
			    "jscan_str_eq on a prefix", t);
		break;
	case J_NUMBER:
		s = number_text(d, t);
		require((s[0] == '-') == ((d->tok[t].flags & JT_NEG) != 0),
		    "JT_NEG", t);
		require((strpbrk(s, ".eE") == NULL) ==
		    ((d->tok[t].flags & JT_INT) != 0), "JT_INT", t);
		errno = 0;
		ll = strtoll(s, &end, 10);
		r = jscan_i64(d, t, &v);
		if ((d->tok[t].flags & JT_INT) == 0)
			require(r == -1, "jscan_i64 took a non-integer", t);
		else if (errno == ERANGE)
			require(r == -1, "jscan_i64 took an overflow", t);
		else
			require(r == 0 && v == ll && *end == '\0',
			    "jscan_i64 differs from strtoll", t);
		(void)strtod(s, &end);
		require(*end == '\0', "strtod stops early", t);
		break;
	case J_TRUE:
		require(rn == 4 && memcmp(raw, "true", 4) == 0, "true", t);
		break;
	case J_FALSE:
		require(rn == 5 && memcmp(raw, "false", 5) == 0, "false", t);
		break;
	case J_NULL:
		require(rn == 4 && memcmp(raw, "null", 4) == 0, "null", t);
		break;
	default:
		require(0, "bad type", t);
	}
}

/* Iteration, counting and member lookups of one container. */
static void
check_container(const struct jdoc *d, int t)
{
	struct jname *names;
	size_t i, n, cnt, *off;
	int *out, c, v, obj;

	obj = jscan_type(d, t) == J_OBJECT;
	cnt = 0;
	for (c = jscan_child(d, t); c >= 0;
	    c = jscan_after(d, t, obj ? c + 1 : c))
		cnt++;
	n = jscan_count(d, t);
	require(cnt == n, "jscan_count", t);
	if (!obj) {
		require(jscan_member(d, t, "", 0) == -1, "member of array", t);
		return;
	}
	names = xmalloc((n + 1) * sizeof(*names));
	off = xmalloc((n + 1) * sizeof(*off));
	out = xmalloc((n + 1) * sizeof(*out));
	buf_reset(&allkeys);
	buf_grow(&allkeys, 1);
	for (i = 0, c = jscan_child(d, t); c >= 0 && i < n;
	    c = jscan_after(d, t, c + 1), i++) {
		off[i] = allkeys.len;
		require(jscan_str_append(d, c, &allkeys) == 0, "append key",
		    c);
		names[i].len = allkeys.len - off[i];
	}
	off[n] = allkeys.len;
	buf_append(&allkeys, "\x01" "absent", 7);
	names[n].len = 7;
	for (i = 0; i <= n; i++)
		names[i].name = allkeys.data + off[i];
	jscan_members(d, t, names, n + 1, out);
	for (i = 0, c = jscan_child(d, t); i < n;
	    c = jscan_after(d, t, c + 1), i++) {
		v = jscan_member(d, t, names[i].name, names[i].len);
		require(v >= c + 1 && jscan_str_eq(d, v - 1, names[i].name,
		    names[i].len), "jscan_member misses the last occurrence",
		    c);
		require(out[i] == v, "jscan_members differs", c);
	}
	require(out[n] == -1 && jscan_member(d, t, names[n].name,
	    names[n].len) == -1, "absent name found", t);
	free(names);
	free(off);
	free(out);
}

/* Token t against jansson's value j; 0 on any difference. */
static int
same_value(const struct jdoc *d, int t, json_t *j)
{
	const char *p, *s;
	size_t n, i;
	double dv, jr;
	json_t *jv;
	int c, v;

	if (j == NULL)
		return 0;
	switch (jscan_type(d, t)) {
	case J_OBJECT:
		if (!json_is_object(j))
			return 0;
		n = 0;
		for (c = jscan_child(d, t); c >= 0;
		    c = jscan_after(d, t, c + 1)) {
			jscan_str(d, c, &kbuf, &p, &i);
			if ((v = jscan_member(d, t, p, i)) != c + 1)
				continue;
			n++;
			if ((jv = json_object_getn(j, p, i)) == NULL ||
			    !same_value(d, v, jv))
				return 0;
		}
		return n == json_object_size(j);
	case J_ARRAY:
		if (!json_is_array(j) || jscan_count(d, t) !=
		    json_array_size(j))
			return 0;
		for (i = 0, c = jscan_child(d, t); c >= 0;
		    c = jscan_after(d, t, c), i++)
			if (!same_value(d, c, json_array_get(j, i)))
				return 0;
		return 1;
	case J_STRING:
		return json_is_string(j) && jscan_str(d, t, &sbuf, &p, &n) ==
		    0 && n == json_string_length(j) &&
		    memcmp(p, json_string_value(j), n) == 0;
	case J_NUMBER:
		s = number_text(d, t);
		if (d->tok[t].flags & JT_INT)
			return json_is_integer(j) &&
			    strtoll(s, NULL, 10) == json_integer_value(j);
		if (!json_is_real(j))
			return 0;
		dv = strtod(s, NULL);
		jr = json_real_value(j);
		return memcmp(&dv, &jr, sizeof(dv)) == 0;
	case J_TRUE:
		return json_is_true(j);
	case J_FALSE:
		return json_is_false(j);
	case J_NULL:
		return json_is_null(j);
	default:
		return 0;
	}
}

/*
 * The first thing in document order that jansson cannot load: a key with
 * U+0000 (J_STRING) or a number outside long long or double (J_NUMBER,
 * *msg set to jansson's message), else J_NONE.
 */
static enum jtype
first_unrep(const struct jdoc *d, int t, const char **msg)
{
	enum jtype u;
	const char *p, *s;
	size_t n;
	double dv;
	int c;

	switch (jscan_type(d, t)) {
	case J_OBJECT:
		for (c = jscan_child(d, t); c >= 0;
		    c = jscan_after(d, t, c + 1)) {
			jscan_str(d, c, &kbuf, &p, &n);
			if (memchr(p, '\0', n) != NULL) {
				*msg = "NUL byte in object key not supported";
				return J_STRING;
			}
			if ((u = first_unrep(d, c + 1, msg)) != J_NONE)
				return u;
		}
		return J_NONE;
	case J_ARRAY:
		for (c = jscan_child(d, t); c >= 0; c = jscan_after(d, t, c))
			if ((u = first_unrep(d, c, msg)) != J_NONE)
				return u;
		return J_NONE;
	case J_NUMBER:
		s = number_text(d, t);
		errno = 0;
		if (d->tok[t].flags & JT_INT) {
			(void)strtoll(s, NULL, 10);
			if (errno == ERANGE) {
				*msg = s[0] == '-' ?
				    "too big negative integer" :
				    "too big integer";
				return J_NUMBER;
			}
		} else {
			dv = strtod(s, NULL);
			if (errno == ERANGE && isinf(dv)) {
				*msg = "real number overflow";
				return J_NUMBER;
			}
		}
		return J_NONE;
	default:
		return J_NONE;
	}
}

/* jscan accepted what jansson refused: only for what jansson cannot
 * represent, with the matching message. */
static void
check_refusal(const struct jdoc *d, const char *jerr)
{
	const char *msg = NULL;
	size_t n;

	require(first_unrep(d, 0, &msg) != J_NONE,
	    "jansson refuses a document jscan accepts", 0);
	n = strlen(msg);
	require(strncmp(jerr, msg, n) == 0 && (jerr[n] == '\0' ||
	    jerr[n] == ' '), "jansson refuses for another reason", 0);
}

/* jansson accepted what jscan rejected: only a NUL byte right after a
 * number or literal, which jansson drops. */
static void
check_dropped_nul(const char *text, size_t len, json_t *j)
{
	const struct jtok *last;
	size_t off;

	buf_reset(&reduced);
	buf_append(&reduced, text, len);
	do {
		off = doc.err_off;
		require(off < reduced.len && reduced.data[off] == '\0' &&
		    doc.ntok > 0, "jansson accepts a document jscan rejects",
		    -1);
		last = &doc.tok[doc.ntok - 1];
		require((last->type == J_NUMBER || last->type == J_TRUE ||
		    last->type == J_FALSE || last->type == J_NULL) &&
		    last->start + last->len == off,
		    "jansson accepts a NUL that is not after a token", -1);
		memmove(reduced.data + off, reduced.data + off + 1,
		    reduced.len - off - 1);
		reduced.len--;
	} while (jscan_parse(&doc, reduced.data, reduced.len) != 0);
	require(same_value(&doc, 0, j), "values differ without the NUL", 0);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	json_error_t err;
	json_t *j;
	int js;

	js = jscan_parse(&doc, text, size);
	if (js == 0)
		check_tape(&doc);
	else {
		require(js == -1 && doc.err != NULL && doc.err_off <= size,
		    "bad failure report", -1);
	}
	j = json_loadb(text, size, JFLAGS, &err);
	if (js == 0 && j != NULL)
		require(same_value(&doc, 0, j), "values differ from jansson",
		    0);
	else if (js == 0)
		check_refusal(&doc, err.text);
	else if (j != NULL)
		check_dropped_nul(text, size, j);
	json_decref(j);
	return 0;
}
