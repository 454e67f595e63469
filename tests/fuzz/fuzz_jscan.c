/*
 * fuzz_jscan.c: libFuzzer target for the JSON scanner (common/jscan.[ch]).
 *
 * Every input goes to jscan_parse and to jansson's json_loadb. When jscan
 * accepts, the tape must be well formed (spans inside the text, `next`
 * indices nested and within ntok, keys where keys belong), every string must
 * unescape to valid UTF-8 that jscan_str_eq recognises, every number must
 * survive jscan_i64 and agree with strtoll, and lookups must find the last
 * occurrence of each key. Validity must agree with jansson, and values too
 * when both accept, save for jansson's departures from RFC 8259 (numbers it
 * cannot represent, keys with U+0000, the NUL byte it drops after a number
 * or literal): tests/unit/jscan_oracle.h holds those checks, shared with
 * tests/unit/test_jscan_diff.c. An accepted input is scanned again with
 * every nested container lazy (a budget of one token), and must give the
 * same values through jscan_expand. Any violation aborts, so the fuzzer
 * keeps the input.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "jscan.h"
#include "jscan_oracle.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	require(int, const char *, int);
static void	agree(const char *);
static void	check_tape(const struct jdoc *);
static void	check_token(const struct jdoc *, int);
static void	check_container(const struct jdoc *, int);

static struct jdoc doc = JDOC_INIT;
static struct jdoc lazydoc = JDOC_INIT;	/* eager = 1 */
static struct buf sbuf;

static void
require(int ok, const char *what, int t)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz_jscan: token %d: %s\n", t, what);
	abort();
}

/* why is what a jscan_oracle.h check found wrong, or NULL. */
static void
agree(const char *why)
{
	if (why == NULL)
		return;
	fprintf(stderr, "fuzz_jscan: %s\n", why);
	abort();
}

/* The tape as a whole: one root spanning all tokens, tokens in text order,
 * every subtree nested inside its parent's span and index range; then each
 * token, whose lookups may append the copies of lazy containers (checked
 * token by token too). */
static void
check_tape(const struct jdoc *d)
{
	uint32_t stack[JSCAN_MAX_DEPTH + 2];
	uint32_t t, depth = 0, top, n0 = d->ntok;
	int c;

	require(d->err == NULL, "error set after success", 0);
	require(d->ntok >= 1 && d->ntok <= d->cap, "bad ntok", 0);
	require(d->tok[0].next == d->ntok, "root does not span the tape", 0);
	for (t = 0; t < n0; t++) {
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
		if (k->flags & JT_LAZY)
			require(k->next == t + 1, "lazy with children",
			    (int)t);
	}
	for (t = 0; t < d->ntok; t++)
		check_token(d, (int)t);
	/* Keys are strings, each followed by a value. */
	for (t = 0; t < d->ntok; t++) {
		if (d->tok[t].type != J_OBJECT)
			continue;
		for (c = jscan_child(d, (int)t); c >= 0;
		    c = jscan_after(d, (int)t, c + 1)) {
			require(jscan_type(d, c) == J_STRING,
			    "key not a string", c);
			require((uint32_t)c + 1 <
			    d->tok[jscan_expand(d, (int)t)].next,
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
		s = oracle_number_text(d, t);
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
	size_t n, cnt;
	int c, obj;

	obj = jscan_type(d, t) == J_OBJECT;
	cnt = 0;
	for (c = jscan_child(d, t); c >= 0;
	    c = jscan_after(d, t, obj ? c + 1 : c))
		cnt++;
	n = jscan_count(d, t);
	require(cnt == n, "jscan_count", t);
	if (obj)
		agree(oracle_members(d, t));
	else
		require(jscan_member(d, t, "", 0) == -1, "member of array", t);
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
	j = json_loadb(text, size, ORACLE_JFLAGS, &err);
	if (js == 0 && j != NULL) {
		agree(oracle_same_value(&doc, 0, j));
		lazydoc.eager = 1;
		require(jscan_parse(&lazydoc, text, size) == 0,
		    "rejected with lazy containers", -1);
		check_tape(&lazydoc);
		agree(oracle_same_value(&lazydoc, 0, j));
	}
	else if (js == 0)
		agree(oracle_refusal(&doc, err.text, NULL));
	else if (j != NULL)
		agree(oracle_dropped_nul(&doc, text, size, j));
	json_decref(j);
	return 0;
}
