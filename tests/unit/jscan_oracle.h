/*
 * jscan_oracle.h: jansson as the oracle for the JSON scanner (jscan.[ch]).
 *
 * What "jscan agrees with jansson" means, in one place, for the two programs
 * that check it: tests/unit/test_jscan_diff.c counts and prints
 * disagreements, tests/fuzz/fuzz_jscan.c aborts on the first. Keeping one
 * copy means the two cannot drift apart.
 *
 * Load the text with json_loadb(..., ORACLE_JFLAGS, ...) and parse it with
 * jscan_parse, then: both accept, oracle_same_value(d, 0, j); only jscan
 * accepts, oracle_refusal; only jansson accepts, oracle_dropped_nul. On an
 * accepted tape, oracle_lookups (or oracle_members, object by object)
 * checks jscan's member lookups against each other. Each check returns NULL
 * when all is well, else what is wrong (in a static buffer, valid until the
 * next check). The only tolerated differences from jansson are where it
 * departs from RFC 8259, and each is checked to be exactly that:
 *
 *  - a number jansson cannot represent is valid JSON: jscan accepts it,
 *    jansson refuses it with "too big integer", "too big negative integer"
 *    (outside long long) or "real number overflow", and that must be the
 *    first such number of the document;
 *  - an object key containing U+0000 is valid JSON: jansson refuses it with
 *    "NUL byte in object key not supported", even with JSON_ALLOW_NUL;
 *  - jansson loses a NUL byte that directly follows a number or a literal
 *    (the look-ahead byte is pushed back into its NUL-terminated read
 *    buffer, where a NUL reads as "empty"), so it loads "[1\0]" as [1].
 *    jscan rejects the NUL; with every such NUL removed jscan must accept
 *    the text and give exactly the values jansson loaded.
 *
 * Header only: every function is static (inline, so that an includer that
 * needs only some of them gets no unused-function warning). The scratch
 * buffers are per program; oracle_free releases them.
 */
#ifndef CDC_JSCAN_ORACLE_H
#define CDC_JSCAN_ORACLE_H

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "buf.h"
#include "diag.h"
#include "jscan.h"

#define ORACLE_JFLAGS	(JSON_DECODE_ANY | JSON_ALLOW_NUL)

/* The first thing in a document that jansson cannot load. */
enum oracle_unrep {
	ORACLE_NONE = 0,
	ORACLE_BIGINT,		/* integer above long long */
	ORACLE_BIGNEG,		/* integer below long long */
	ORACLE_REAL,		/* real beyond double */
	ORACLE_NULKEY		/* object key containing U+0000 */
};

static inline const char *oracle_differ(const char *, ...)
		    __attribute__((format(printf, 1, 2)));
static inline const char *oracle_jtype_name(const json_t *);
static inline const char *oracle_number_text(const struct jdoc *, int);
static inline const char *oracle_same_value(const struct jdoc *, int,
		    json_t *);
static inline const char *oracle_same_object(const struct jdoc *, int,
		    json_t *);
static inline const char *oracle_members(const struct jdoc *, int);
static inline const char *oracle_lookups(const struct jdoc *);
static inline const char *oracle_same_array(const struct jdoc *, int,
		    json_t *);
static inline const char *oracle_same_number(const struct jdoc *, int,
		    json_t *);
static inline enum oracle_unrep oracle_first_unrep(const struct jdoc *, int);
static inline const char *oracle_refusal(const struct jdoc *, const char *,
		    enum oracle_unrep *);
static inline const char *oracle_dropped_nul(struct jdoc *, const char *,
		    size_t, json_t *);
static inline void oracle_free(void);

static struct buf oracle_strbuf, oracle_keybuf, oracle_numbuf,
    oracle_reduced, oracle_allkeys;
static char oracle_why[256];

/* Format what differed into oracle_why and return it. */
static inline const char *
oracle_differ(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(oracle_why, sizeof(oracle_why), fmt, ap);
	va_end(ap);
	return oracle_why;
}

static inline const char *
oracle_jtype_name(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT:	return "object";
	case JSON_ARRAY:	return "array";
	case JSON_STRING:	return "string";
	case JSON_INTEGER:	return "integer";
	case JSON_REAL:		return "real";
	case JSON_TRUE:		return "true";
	case JSON_FALSE:	return "false";
	case JSON_NULL:		return "null";
	}
	return "?";
}

/* The raw text of number token t, NUL-terminated; valid until the next
 * call. */
static inline const char *
oracle_number_text(const struct jdoc *d, int t)
{
	const char *p;
	size_t n;

	p = jscan_raw(d, t, &n);
	buf_reset(&oracle_numbuf);
	buf_append(&oracle_numbuf, p, n);
	return oracle_numbuf.data;
}

/* Token t (and its subtree) against jansson's value j. */
static inline const char *
oracle_same_value(const struct jdoc *d, int t, json_t *j)
{
	const char *p;
	size_t n;

	if (j == NULL)
		return oracle_differ("token %d: no jansson value", t);
	switch (jscan_type(d, t)) {
	case J_OBJECT:
		return oracle_same_object(d, t, j);
	case J_ARRAY:
		return oracle_same_array(d, t, j);
	case J_STRING:
		if (!json_is_string(j))
			return oracle_differ("token %d: string vs %s", t,
			    oracle_jtype_name(j));
		if (jscan_str(d, t, &oracle_strbuf, &p, &n) != 0)
			return oracle_differ("token %d: jscan_str failed", t);
		if (n != json_string_length(j) ||
		    memcmp(p, json_string_value(j), n) != 0)
			return oracle_differ("token %d: strings differ (%zu vs "
			    "%zu bytes)", t, n, json_string_length(j));
		return NULL;
	case J_NUMBER:
		return oracle_same_number(d, t, j);
	case J_TRUE:
		return json_is_true(j) ? NULL :
		    oracle_differ("token %d: true vs %s", t,
		    oracle_jtype_name(j));
	case J_FALSE:
		return json_is_false(j) ? NULL :
		    oracle_differ("token %d: false vs %s", t,
		    oracle_jtype_name(j));
	case J_NULL:
		return json_is_null(j) ? NULL :
		    oracle_differ("token %d: null vs %s", t,
		    oracle_jtype_name(j));
	default:
		return oracle_differ("token %d: bad type %d", t,
		    jscan_type(d, t));
	}
}

/*
 * Same member set. For a name that occurs more than once jansson keeps the
 * last value: jscan_member must resolve every occurrence to the last one,
 * and that one is compared.
 */
static inline const char *
oracle_same_object(const struct jdoc *d, int t, json_t *j)
{
	const char *p, *why;
	size_t n, distinct = 0;
	json_t *jv;
	int k, v;

	if (!json_is_object(j))
		return oracle_differ("token %d: object vs %s", t,
		    oracle_jtype_name(j));
	for (k = jscan_child(d, t); k >= 0; k = jscan_after(d, t, k + 1)) {
		if (jscan_str(d, k, &oracle_keybuf, &p, &n) != 0)
			return oracle_differ("token %d: key is not a string",
			    k);
		v = jscan_member(d, t, p, n);
		if (v < k + 1 || !jscan_str_eq(d, v - 1, p, n))
			return oracle_differ("token %d: jscan_member gives %d",
			    k, v);
		if (v != k + 1)
			continue;	/* a later occurrence decides */
		distinct++;
		if ((jv = json_object_getn(j, p, n)) == NULL)
			return oracle_differ("token %d: key not in jansson's "
			    "object", k);
		if ((why = oracle_same_value(d, v, jv)) != NULL)
			return why;
	}
	if (distinct != json_object_size(j))
		return oracle_differ("token %d: %zu keys vs %zu", t, distinct,
		    json_object_size(j));
	return NULL;
}

/*
 * The lookups of object t: jscan_count matches its keys, jscan_member
 * resolves each key to its last occurrence, jscan_members gives the same as
 * jscan_member for every key, and both miss one absent name.
 */
static inline const char *
oracle_members(const struct jdoc *d, int t)
{
	struct jname *names;
	const char *why = NULL;
	size_t i, n, *off;
	int *out, k, v;

	n = jscan_count(d, t);
	names = xmalloc((n + 1) * sizeof(*names));
	off = xmalloc((n + 1) * sizeof(*off));
	out = xmalloc((n + 1) * sizeof(*out));
	buf_reset(&oracle_allkeys);
	buf_grow(&oracle_allkeys, 1);
	for (i = 0, k = jscan_child(d, t); k >= 0 && i < n;
	    k = jscan_after(d, t, k + 1), i++) {
		off[i] = oracle_allkeys.len;
		if (jscan_str_append(d, k, &oracle_allkeys) != 0) {
			why = oracle_differ("token %d: key is not a string",
			    k);
			goto done;
		}
		names[i].len = oracle_allkeys.len - off[i];
	}
	if (k >= 0 || i != n) {
		why = oracle_differ("token %d: jscan_count gives %zu", t, n);
		goto done;
	}
	off[n] = oracle_allkeys.len;
	buf_append(&oracle_allkeys, "\x01" "absent", 7);
	names[n].len = 7;
	for (i = 0; i <= n; i++)
		names[i].name = oracle_allkeys.data + off[i];
	jscan_members(d, t, names, n + 1, out);
	for (i = 0, k = jscan_child(d, t); i < n;
	    k = jscan_after(d, t, k + 1), i++) {
		v = jscan_member(d, t, names[i].name, names[i].len);
		if (v < k + 1 || !jscan_str_eq(d, v - 1, names[i].name,
		    names[i].len)) {
			why = oracle_differ("token %d: jscan_member gives %d",
			    k, v);
			goto done;
		}
		if (out[i] != v) {
			why = oracle_differ("token %d: jscan_members gives %d "
			    "for name %zu", t, out[i], i);
			goto done;
		}
	}
	if (out[n] != -1 || jscan_member(d, t, names[n].name,
	    names[n].len) != -1)
		why = oracle_differ("token %d: an absent name found", t);
done:
	free(names);
	free(off);
	free(out);
	return why;
}

/* oracle_members on every object of an accepted tape. */
static inline const char *
oracle_lookups(const struct jdoc *d)
{
	const char *why;
	uint32_t t;

	for (t = 0; t < d->ntok; t++)
		if (d->tok[t].type == J_OBJECT &&
		    (why = oracle_members(d, (int)t)) != NULL)
			return why;
	return NULL;
}

static inline const char *
oracle_same_array(const struct jdoc *d, int t, json_t *j)
{
	const char *why;
	size_t i, n;
	int c;

	if (!json_is_array(j))
		return oracle_differ("token %d: array vs %s", t,
		    oracle_jtype_name(j));
	n = jscan_count(d, t);
	if (n != json_array_size(j))
		return oracle_differ("token %d: %zu elements vs %zu", t, n,
		    json_array_size(j));
	for (i = 0, c = jscan_child(d, t); c >= 0; c = jscan_after(d, t, c),
	    i++)
		if ((why = oracle_same_value(d, c, json_array_get(j, i))) !=
		    NULL)
			return why;
	if (i != n)
		return oracle_differ("token %d: iterated %zu of %zu", t, i, n);
	return NULL;
}

/*
 * Integers exactly (strtoll of the raw text, jansson's value, jscan_i64);
 * reals bit for bit (strtod of the raw text against jansson's double).
 */
static inline const char *
oracle_same_number(const struct jdoc *d, int t, json_t *j)
{
	const char *raw;
	char *end;
	long long ll;
	int64_t v;
	double dv, jr;

	raw = oracle_number_text(d, t);
	if (((d->tok[t].flags & JT_NEG) != 0) != (raw[0] == '-'))
		return oracle_differ("token %d: JT_NEG wrong for %s", t, raw);
	if (d->tok[t].flags & JT_INT) {
		if (!json_is_integer(j))
			return oracle_differ("token %d: integer %s vs %s", t,
			    raw, oracle_jtype_name(j));
		errno = 0;
		ll = strtoll(raw, &end, 10);
		if (errno != 0 || *end != '\0')
			return oracle_differ("token %d: strtoll(\"%s\") failed",
			    t, raw);
		if (ll != json_integer_value(j))
			return oracle_differ("token %d: %lld vs %lld", t, ll,
			    (long long)json_integer_value(j));
		if (jscan_i64(d, t, &v) != 0 || v != ll)
			return oracle_differ("token %d: jscan_i64 wrong for %s",
			    t, raw);
		return NULL;
	}
	if (!json_is_real(j))
		return oracle_differ("token %d: real %s vs %s", t, raw,
		    oracle_jtype_name(j));
	dv = strtod(raw, &end);
	jr = json_real_value(j);
	if (*end != '\0')
		return oracle_differ("token %d: strtod(\"%s\") stopped early",
		    t, raw);
	if (memcmp(&dv, &jr, sizeof(dv)) != 0)
		return oracle_differ("token %d: %s is %.17g vs %.17g", t, raw,
		    dv, jr);
	if (jscan_i64(d, t, &v) != -1)
		return oracle_differ("token %d: jscan_i64 took %s", t, raw);
	return NULL;
}

/* In document order, as jansson meets them: a key with a NUL, or a number
 * outside long long / double. */
static inline enum oracle_unrep
oracle_first_unrep(const struct jdoc *d, int t)
{
	enum oracle_unrep u;
	const char *p, *raw;
	size_t n;
	double dv;
	int c;

	switch (jscan_type(d, t)) {
	case J_OBJECT:
		for (c = jscan_child(d, t); c >= 0;
		    c = jscan_after(d, t, c + 1)) {
			if (jscan_str(d, c, &oracle_keybuf, &p, &n) == 0 &&
			    memchr(p, '\0', n) != NULL)
				return ORACLE_NULKEY;
			if ((u = oracle_first_unrep(d, c + 1)) != ORACLE_NONE)
				return u;
		}
		return ORACLE_NONE;
	case J_ARRAY:
		for (c = jscan_child(d, t); c >= 0; c = jscan_after(d, t, c))
			if ((u = oracle_first_unrep(d, c)) != ORACLE_NONE)
				return u;
		return ORACLE_NONE;
	case J_NUMBER:
		raw = oracle_number_text(d, t);
		errno = 0;
		if (d->tok[t].flags & JT_INT) {
			(void)strtoll(raw, NULL, 10);
			if (errno == ERANGE)
				return raw[0] == '-' ? ORACLE_BIGNEG :
				    ORACLE_BIGINT;
		} else {
			dv = strtod(raw, NULL);
			if (errno == ERANGE && isinf(dv))
				return ORACLE_REAL;
		}
		return ORACLE_NONE;
	default:
		return ORACLE_NONE;
	}
}

/*
 * jscan accepted d, jansson refused it with message jerr: only for the first
 * thing jansson cannot represent, with the matching message. On agreement
 * *kind (unless kind is NULL) says which exception it was.
 */
static inline const char *
oracle_refusal(const struct jdoc *d, const char *jerr,
    enum oracle_unrep *kind)
{
	static const char *const msg[] = {
		NULL,
		"too big integer",
		"too big negative integer",
		"real number overflow",
		"NUL byte in object key not supported",
	};
	enum oracle_unrep u;
	size_t n;

	if ((u = oracle_first_unrep(d, 0)) == ORACLE_NONE)
		return oracle_differ("jansson refuses, nothing "
		    "unrepresentable");
	n = strlen(msg[u]);
	if (strncmp(jerr, msg[u], n) != 0 || (jerr[n] != '\0' &&
	    jerr[n] != ' '))
		return oracle_differ("jansson should have said \"%s\"",
		    msg[u]);
	if (kind != NULL)
		*kind = u;
	return NULL;
}

/*
 * jscan rejected text[0..len) (d holds its failed parse), jansson accepted
 * it as j: only for a NUL byte right after a number or literal token.
 * Remove such NULs one by one; the result must parse and carry jansson's
 * values. d is left holding the reduced text's tape.
 */
static inline const char *
oracle_dropped_nul(struct jdoc *d, const char *text, size_t len, json_t *j)
{
	struct buf *r = &oracle_reduced;
	const struct jtok *last;
	size_t off;

	buf_reset(r);
	buf_append(r, text, len);
	do {
		off = d->err_off;
		if (off >= r->len || r->data[off] != '\0' || d->ntok == 0)
			return oracle_differ("jansson accepts, jscan rejects");
		last = &d->tok[d->ntok - 1];
		if ((last->type != J_NUMBER && last->type != J_TRUE &&
		    last->type != J_FALSE && last->type != J_NULL) ||
		    last->start + last->len != off)
			return oracle_differ("jansson accepts, jscan rejects "
			    "(NUL not after a number or literal)");
		memmove(r->data + off, r->data + off + 1, r->len - off - 1);
		r->len--;
	} while (jscan_parse(d, r->data, r->len) != 0);
	return oracle_same_value(d, 0, j);
}

static inline void
oracle_free(void)
{
	buf_free(&oracle_strbuf);
	buf_free(&oracle_keybuf);
	buf_free(&oracle_numbuf);
	buf_free(&oracle_reduced);
	buf_free(&oracle_allkeys);
}

#endif
