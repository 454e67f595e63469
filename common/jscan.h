/*
 * jscan.h: a validating, zero-copy JSON scanner for the per-line hot path.
 *
 * jscan_parse checks one JSON text completely (RFC 8259 grammar, strict UTF-8,
 * escapes and surrogate pairs) and records every value as a token on a flat
 * "tape": its byte span in the text, its type, and the index of the token that
 * follows it and all its children. Nothing is copied or allocated per value;
 * the tape is reused from line to line. Lookups walk the tape: an object's
 * children are key, value, key, value, ...; a container's children end at its
 * `next` index.
 *
 * Numbers are kept as their exact text (DESIGN.md section 5: decimals stay
 * exact). Strings are unescaped only when asked. A member name that occurs
 * twice resolves to the last occurrence, as in jansson.
 *
 * Memory: a token takes 16 bytes and a value can be 2 bytes of text ("0,"),
 * so a tape of every value of a long line would be 8 times its length. The
 * tape therefore records JSCAN_EAGER tokens at most (64 KiB, which every
 * ordinary line fits in) besides the root's members: once that many are
 * taken, nested containers are still checked but their children are not
 * recorded. Such a container is "lazy" (JT_LAZY): the first lookup into it
 * (jscan_child, jscan_member, ...) scans its text again and appends its
 * children to the tape, so every function below works on it as on any
 * other. Top-level members of the root are always recorded (a row with
 * millions of members of its own costs 32 bytes each). A tape grown past
 * a MiB is given back at the next parse. Lookups may so
 * extend the tape through a const document: token numbers stay valid, but
 * a pointer into d->tok may not survive a lookup.
 *
 *	struct jdoc d = JDOC_INIT;
 *	if (jscan_parse(&d, line, len) == 0 && jscan_type(&d, 0) == J_OBJECT) {
 *		int v = jscan_member(&d, 0, "op", 2);
 *		...
 *	}
 *	jscan_free(&d);
 */
#ifndef CDC_JSCAN_H
#define CDC_JSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Values nested inside this many arrays and objects are refused, as by
 * jansson: 2048 levels of containers are fine when the innermost is empty. */
#define JSCAN_MAX_DEPTH	2048

/* Tokens recorded before nested containers go lazy (see above). */
#define JSCAN_EAGER	4096

enum jtype {
	J_NONE = 0,		/* no such token (lookup failed) */
	J_OBJECT,
	J_ARRAY,
	J_STRING,
	J_NUMBER,
	J_TRUE,
	J_FALSE,
	J_NULL
};

/* Token flags. */
#define JT_ESCAPED	0x01	/* string: contains backslash escapes */
#define JT_INT		0x02	/* number: no fraction, no exponent */
#define JT_NEG		0x04	/* number: starts with '-' */
#define JT_LAZY		0x08	/* container: children not on the tape yet */

struct jtok {
	uint32_t	start;	/* offset of the first byte ('"', '{', '-', ...) */
	uint32_t	len;	/* bytes of raw text, quotes and brackets included */
	uint32_t	next;	/* index of the token after this value's subtree */
	uint8_t		type;	/* enum jtype */
	uint8_t		flags;	/* JT_* */
	uint16_t	pad_;
};

struct jdoc {
	const char	*text;		/* the text last parsed (not owned) */
	size_t		 len;
	struct jtok	*tok;		/* tok[0] is the root value */
	uint32_t	 ntok;
	uint32_t	 cap;
	/* After a failed parse: what was wrong and where (0-based offset). */
	const char	*err;
	size_t		 err_off;
	/* Tokens recorded before nested containers go lazy: 0 for the
	 * default (see above); tests set 1 to make every one lazy. */
	uint32_t	 eager;
	/* Lazy containers looked into: token -> the index of its copy at
	 * the end of the tape, whose children follow it. */
	uint32_t	*lzkey;		/* token + 1; 0 for an empty slot */
	uint32_t	*lzval;
	uint32_t	 lzcap, lzn;
};

#define JDOC_INIT { NULL, 0, NULL, 0, 0, NULL, 0, 0, NULL, NULL, 0, 0 }

/*
 * Scan text[0..len) as one JSON value, surrounded by optional whitespace
 * (text may be NULL when len is 0: that is the empty text, an error).
 * Returns 0 and fills the tape, or -1 with d->err and d->err_off set. The
 * text must stay alive and unchanged while tokens are used.
 */
int	jscan_parse(struct jdoc *d, const char *text, size_t len);
void	jscan_free(struct jdoc *d);

static inline enum jtype
jscan_type(const struct jdoc *d, int t)
{
	return t >= 0 ? (enum jtype)d->tok[t].type : J_NONE;
}

/* Raw text of token t (for strings, quotes included). */
static inline const char *
jscan_raw(const struct jdoc *d, int t, size_t *len)
{
	*len = d->tok[t].len;
	return d->text + d->tok[t].start;
}

/* Lazy container t with its children on the tape: the index of its copy,
 * scanned on the first call. Any other token is returned as it is. */
int	jscan_expand(const struct jdoc *d, int t);

/* First child of container t (for objects: the first key), or -1. */
static inline int
jscan_child(const struct jdoc *d, int t)
{
	if (__builtin_expect((d->tok[t].flags & JT_LAZY) != 0, 0))
		t = jscan_expand(d, t);
	return (uint32_t)t + 1 < d->tok[t].next ? t + 1 : -1;
}

/* The sibling after child c of container t, or -1. For objects step from a
 * value to the next key with jscan_after(d, t, value). */
static inline int
jscan_after(const struct jdoc *d, int t, int c)
{
	uint32_t n = d->tok[c].next;

	if (__builtin_expect((d->tok[t].flags & JT_LAZY) != 0, 0))
		t = jscan_expand(d, t);
	return n < d->tok[t].next ? (int)n : -1;
}

/* Value of member `name` (len bytes, exact match after unescaping the key; NULL
 * when len is 0) in object t, or -1 when t is not an object or has no such
 * member. */
int	jscan_member(const struct jdoc *d, int t, const char *name, size_t len);

/* A member name for jscan_members. */
struct jname {
	const char	*name;
	size_t		 len;
};

/* Several lookups in one pass over object t: out[i] gets the value of
 * names[i] (last occurrence), or -1; all -1 when t is not an object. */
void	jscan_members(const struct jdoc *d, int t, const struct jname *names,
	    size_t n, int *out);

/* Number of members or elements of container t. */
size_t	jscan_count(const struct jdoc *d, int t);

/*
 * String contents of token t. When the string has no escapes, *p and *len
 * give its bytes inside the document (zero copy) and out is untouched;
 * otherwise it is unescaped into out (reset first) and *p points there.
 * Returns 0, or -1 when t is not a string. Unescaped text may contain NUL
 * bytes (from \u0000): use the length.
 */
int	jscan_str(const struct jdoc *d, int t, struct buf *out, const char **p,
	    size_t *len);

/* Append the unescaped contents of string token t to out. -1 if not a
 * string. */
int	jscan_str_append(const struct jdoc *d, int t, struct buf *out);

/* Append string token t to out in canonical form: quoted, escaped as
 * jout_quote_buf escapes its unescaped contents ('"', '\\' and control
 * characters only, "\u00xx" in lowercase), so two spellings of one string
 * give one text. In one pass: no unescaped copy is made. -1 if not a
 * string. */
int	jscan_str_canon(const struct jdoc *d, int t, struct buf *out);

/* Compare string token t with s (len bytes) after unescaping: 1 equal. */
int	jscan_str_eq(const struct jdoc *d, int t, const char *s, size_t len);

/* 1 when p[0..n) is well-formed UTF-8 (RFC 3629), else 0. */
int	jscan_utf8_valid(const char *p, size_t n);

/* Integer value of number token t: 0, or -1 when it is not an integer
 * number or out of int64 range. */
int	jscan_i64(const struct jdoc *d, int t, int64_t *v);

#endif
