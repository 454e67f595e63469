/*
 * jscan.c: the validating tape scanner behind every tool's per-line work.
 *
 * One forward pass over the text with an explicit stack of open containers
 * (no recursion, so deep nesting cannot overflow the C stack). Strings, the
 * bulk of CDC events, are scanned 16 bytes at a time with SSE2 where the
 * machine has it: a block without '"', '\\', control or non-ASCII bytes is
 * skipped in a few instructions; non-ASCII bytes fall to a strict UTF-8 check.
 *
 * The tape has a budget (jscan.h): when it runs out inside a nested
 * container, the outermost open container below the root gives back the
 * tokens of its children and is finished without recording any (it becomes
 * lazy); a container that opens once the budget is spent is lazy from the
 * start. Either way its text is still checked by the same loop, whose
 * values then go to a scratch token past the end of the tape. Looking into
 * a lazy container later scans its text again, with a budget of its own,
 * into a copy at the end of the tape (jscan_expand).
 */
#include <stdlib.h>
#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "diag.h"
#include "jscan.h"
#include "utf8.h"

/* A tape grown beyond this many tokens (1 MiB) is given back at the next
 * parse. */
#define JSCAN_KEEP	65536

/* The state of one scan: the open containers, and the tape's budget. */
struct pstate {
	uint32_t	 base;		/* first token of this scan */
	uint32_t	 budget;	/* tokens it may record eagerly */
	uint32_t	 lim;		/* newtok's fast path: ntok < lim */
	int		 skip;		/* stack index of the lazy container
					   being checked, or 0 */
	int		 depth;
	uint32_t	 stack[JSCAN_MAX_DEPTH];
	uint8_t		 obj[JSCAN_MAX_DEPTH];	/* 1 object, 0 array */
};

static int	 fail(struct jdoc *, const unsigned char *, const char *);
static void	 grow(struct jdoc *);
static uint32_t	 slowtok(struct jdoc *, struct pstate *);
static int	 scan(struct jdoc *, struct pstate *, const unsigned char *,
		    const unsigned char *);
static const unsigned char *scan_string_slow(struct jdoc *, uint32_t,
		    const unsigned char *, const unsigned char *,
		    const unsigned char *);
static const unsigned char *scan_number(struct jdoc *, uint32_t,
		    const unsigned char *, const unsigned char *);
static int	 hex4(const unsigned char *, unsigned *);
static size_t	 unescape_one(const char *, const char *, char *, size_t *);

/* Whitespace per RFC 8259: space, tab, line feed, carriage return. Compact
 * NDJSON has almost none, so the common case is one compare. */
static inline const unsigned char *
skip_ws(const unsigned char *p, const unsigned char *end)
{
	while (p < end && *p <= ' ' && (*p == ' ' || *p == '\t' ||
	    *p == '\n' || *p == '\r'))
		p++;
	return p;
}

static int
fail(struct jdoc *d, const unsigned char *at, const char *what)
{
	d->err = what;
	d->err_off = (size_t)(at - (const unsigned char *)d->text);
	return -1;
}

/* Room for cap tokens and the scratch token after them. */
static void __attribute__((noinline))
grow(struct jdoc *d)
{
	d->cap = d->cap != 0 ? d->cap * 2 : 256;
	d->tok = xrealloc(d->tok, ((size_t)d->cap + 1) * sizeof(*d->tok));
}

/* The fast path of newtok: below the tape's end and the budget. */
static void
set_lim(const struct jdoc *d, struct pstate *ps)
{
	if (ps->skip != 0)
		ps->lim = 0;
	else if (d->ntok - ps->base < ps->budget &&
	    ps->base + ps->budget < d->cap)
		ps->lim = ps->base + ps->budget;
	else
		ps->lim = d->cap;
}

/* The budget of a scan. */
static uint32_t
budget(const struct jdoc *d)
{
	return d->eager != 0 ? d->eager : JSCAN_EAGER;
}

/* Make the container at stack index k lazy: drop its children's tokens
 * and check the rest of its text without recording any. */
static void
collapse(struct jdoc *d, struct pstate *ps, int k)
{
	int i;

	d->ntok = ps->stack[k] + 1;
	for (i = k + 1; i < ps->depth; i++)
		ps->stack[i] = d->cap;	/* scratch */
	ps->skip = k;
	ps->lim = 0;
}

/* newtok beyond its fast path: the scratch token while a lazy container is
 * checked, a collapse when the budget runs out inside a nested container,
 * else a new token (growing the tape). */
static uint32_t __attribute__((noinline))
slowtok(struct jdoc *d, struct pstate *ps)
{
	if (ps->skip != 0)
		return d->cap;
	if (d->ntok - ps->base >= ps->budget && ps->depth >= 2) {
		collapse(d, ps, 1);
		return d->cap;
	}
	if (d->ntok == d->cap)
		grow(d);
	set_lim(d, ps);
	return d->ntok++;
}

/* Called once per value: one compare on the fast path. */
static inline uint32_t
newtok(struct jdoc *d, struct pstate *ps, enum jtype type,
    const unsigned char *at)
{
	struct jtok *t;
	uint32_t i;

	if (__builtin_expect(d->ntok >= ps->lim, 0))
		i = slowtok(d, ps);
	else
		i = d->ntok++;
	t = &d->tok[i];
	t->start = (uint32_t)(at - (const unsigned char *)d->text);
	t->len = 0;
	t->next = i + 1;
	t->type = (uint8_t)type;
	t->flags = 0;
	t->pad_ = 0;
	return i;
}

/* true, false or null at p: a token and the position after it, or NULL
 * after fail(). */
static inline const unsigned char *
scan_literal(struct jdoc *d, struct pstate *ps, const unsigned char *p,
    const unsigned char *end, const char *word, enum jtype type)
{
	size_t n = strlen(word);
	uint32_t t;

	if ((size_t)(end - p) < n || memcmp(p, word, n) != 0)
		return fail(d, p, "invalid literal"), NULL;
	t = newtok(d, ps, type, p);
	d->tok[t].len = (uint32_t)n;
	return p + n;
}

/* Runs of digits, 8 at a time: a word is all digits when every byte has
 * high nibble 3 and stays below 0x40 after adding 6. */
static inline const unsigned char *
skip_digits(const unsigned char *p, const unsigned char *end)
{
	const uint64_t hi = 0xF0F0F0F0F0F0F0F0ULL;
	uint64_t w;

	while (end - p >= 8) {
		memcpy(&w, p, 8);
		if (((w & hi) | (((w + 0x0606060606060606ULL) & hi) >> 4)) !=
		    0x3333333333333333ULL)
			break;
		p += 8;
	}
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p;
}

/*
 * Scan a string body starting after the opening quote; returns the position
 * after the closing quote, or NULL after fail(). The common case, a string
 * with no escape, control or non-ASCII byte that ends in the same 16-byte
 * block as its first special byte, stays inline; the rest goes to
 * scan_string_slow.
 */
static inline const unsigned char *
scan_string(struct jdoc *d, uint32_t t, const unsigned char *p,
    const unsigned char *end)
{
	const unsigned char *q = p - 1;

#if defined(__SSE2__)
	const __m128i quote = _mm_set1_epi8('"');
	const __m128i bslash = _mm_set1_epi8('\\');
	const __m128i space = _mm_set1_epi8(' ');

	/* Signed compare: bytes >= 0x80 are negative, so "< ' '" catches
	 * control and non-ASCII bytes in one test. */
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		__m128i m = _mm_or_si128(_mm_or_si128(
		    _mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
		    _mm_cmplt_epi8(v, space));
		unsigned mask = (unsigned)_mm_movemask_epi8(m);

		if (mask != 0) {
			p += __builtin_ctz(mask);
			if (*p == '"') {
				d->tok[t].len = (uint32_t)(p + 1 - q);
				return p + 1;
			}
			break;
		}
		p += 16;
	}
#endif
	return scan_string_slow(d, t, q, p, end);
}

int
jscan_parse(struct jdoc *d, const char *text, size_t len)
{
	struct pstate ps;

	if (text == NULL) {	/* an empty text may come without a buffer */
		text = "";
		len = 0;
	}
	d->text = text;
	d->len = len;
	d->ntok = 0;
	d->err = NULL;
	d->err_off = 0;
	if (d->lzn > 0) {
		memset(d->lzkey, 0, d->lzcap * sizeof(*d->lzkey));
		d->lzn = 0;
	}
	if (d->cap > JSCAN_KEEP) {
		/* a wide row's tape is not kept for the rows after it */
		free(d->tok);
		d->tok = NULL;
		d->cap = 0;
	}
	if (d->tok == NULL)
		grow(d);	/* the scratch token is always there */
	if (len >= UINT32_MAX)
		return fail(d, (const unsigned char *)text,
		    "text longer than 4 GiB");
	ps.base = 0;
	ps.budget = budget(d);
	return scan(d, &ps, (const unsigned char *)text,
	    (const unsigned char *)text + len);
}

/* Scan p..end as one value (whitespace around it allowed), appending its
 * tokens to the tape from ps->base on. */
static int
scan(struct jdoc *d, struct pstate *ps, const unsigned char *p,
    const unsigned char *end)
{
	const unsigned char *s = (const unsigned char *)d->text;
	uint32_t t, top;
	int depth = 0;

	ps->skip = 0;
	ps->depth = 0;
	set_lim(d, ps);

value:
	if (p < end && *p <= ' ')
		p = skip_ws(p, end);
	if (p == end)
		return fail(d, p, "unexpected end of input, expected a value");
	/* As jansson, a value of any type inside 2048 containers is too
	 * deep: depth counts values, not only containers. */
	if (depth == JSCAN_MAX_DEPTH)
		return fail(d, p, "nesting deeper than 2048 levels");
	switch (*p) {
	case '{':
	case '[':
		ps->depth = depth;
		t = newtok(d, ps, *p == '{' ? J_OBJECT : J_ARRAY, p);
		ps->obj[depth] = *p == '{';
		ps->stack[depth++] = t;
		ps->depth = depth;
		/* over budget: a nested container opens lazy */
		if (ps->skip == 0 && depth >= 2 &&
		    d->ntok - ps->base >= ps->budget) {
			ps->skip = depth - 1;
			ps->lim = 0;
		}
		p = skip_ws(p + 1, end);
		if (p < end && *p == (ps->obj[depth - 1] ? '}' : ']'))
			goto close;
		if (ps->obj[depth - 1])
			goto key;
		goto value;
	case '"':
		t = newtok(d, ps, J_STRING, p);
		if ((p = scan_string(d, t, p + 1, end)) == NULL)
			return -1;
		break;
	case '-': case '0': case '1': case '2': case '3': case '4':
	case '5': case '6': case '7': case '8': case '9':
		t = newtok(d, ps, J_NUMBER, p);
		if ((p = scan_number(d, t, p, end)) == NULL)
			return -1;
		break;
	case 't':
		if ((p = scan_literal(d, ps, p, end, "true", J_TRUE)) == NULL)
			return -1;
		break;
	case 'f':
		if ((p = scan_literal(d, ps, p, end, "false", J_FALSE)) == NULL)
			return -1;
		break;
	case 'n':
		if ((p = scan_literal(d, ps, p, end, "null", J_NULL)) == NULL)
			return -1;
		break;
	default:
		return fail(d, p, "unexpected character, expected a value");
	}

after:
	if (depth == 0) {
		p = skip_ws(p, end);
		if (p != end)
			return fail(d, p, "unexpected text after the value");
		return 0;
	}
	if (p < end && *p <= ' ')
		p = skip_ws(p, end);
	if (p == end)
		return fail(d, p, "unexpected end of input in a container");
	if (*p == ',') {
		p++;
		if (ps->obj[depth - 1])
			goto key;
		goto value;
	}
	if (*p != (ps->obj[depth - 1] ? '}' : ']'))
		return fail(d, p, ps->obj[depth - 1] ?
		    "expected ',' or '}' after an object member" :
		    "expected ',' or ']' after an array element");
close:
	top = ps->stack[--depth];
	ps->depth = depth;
	d->tok[top].len = (uint32_t)(p + 1 - s) - d->tok[top].start;
	d->tok[top].next = d->ntok;
	if (ps->skip == depth && depth > 0) {
		/* the lazy container is checked: no children on the tape */
		d->tok[top].next = top + 1;
		d->tok[top].flags |= JT_LAZY;
		ps->skip = 0;
		set_lim(d, ps);
	}
	p++;
	goto after;

key:
	if (p < end && *p <= ' ')
		p = skip_ws(p, end);
	if (p == end || *p != '"')
		return fail(d, p, "expected a string as object key");
	t = newtok(d, ps, J_STRING, p);
	if ((p = scan_string(d, t, p + 1, end)) == NULL)
		return -1;
	if (p < end && *p <= ' ')
		p = skip_ws(p, end);
	if (p == end || *p != ':')
		return fail(d, p, "expected ':' after an object key");
	p++;
	goto value;
}

/* The copy of lazy token t, or 0 when it has none yet (a copy is never
 * token 0). */
static uint32_t
lz_get(const struct jdoc *d, uint32_t t)
{
	uint32_t mask = d->lzcap - 1, i;

	if (d->lzn == 0)
		return 0;
	for (i = (t * 2654435761U) & mask; d->lzkey[i] != 0;
	    i = (i + 1) & mask)
		if (d->lzkey[i] == t + 1)
			return d->lzval[i];
	return 0;
}

static void
lz_put(struct jdoc *d, uint32_t t, uint32_t copy)
{
	uint32_t *ok = d->lzkey, *ov = d->lzval, ocap = d->lzcap, mask, i, j;

	if ((d->lzn + 1) * 2 > d->lzcap) {
		d->lzcap = d->lzcap != 0 ? d->lzcap * 2 : 16;
		d->lzkey = xcalloc(d->lzcap, sizeof(*d->lzkey));
		d->lzval = xcalloc(d->lzcap, sizeof(*d->lzval));
		d->lzn = 0;
		for (j = 0; j < ocap; j++)
			if (ok[j] != 0)
				lz_put(d, ok[j] - 1, ov[j]);
		free(ok);
		free(ov);
	}
	mask = d->lzcap - 1;
	for (i = (t * 2654435761U) & mask; d->lzkey[i] != 0;
	    i = (i + 1) & mask)
		;
	d->lzkey[i] = t + 1;
	d->lzval[i] = copy;
	d->lzn++;
}

int
jscan_expand(const struct jdoc *cd, int t)
{
	/* The tape is a cache of the text: filling it in is no change to
	 * the document a const pointer promises to keep. */
	struct jdoc *d = (struct jdoc *)(uintptr_t)cd;
	const unsigned char *p;
	struct pstate ps;
	uint32_t copy;

	if (t < 0 || (d->tok[t].flags & JT_LAZY) == 0)
		return t;
	if ((copy = lz_get(d, (uint32_t)t)) != 0)
		return (int)copy;
	copy = d->ntok;
	p = (const unsigned char *)d->text + d->tok[t].start;
	ps.base = copy;
	ps.budget = budget(d);
	if (scan(d, &ps, p, p + d->tok[t].len) != 0)
		diag_errx(EXIT_DATA, "internal error: a checked container "
		    "does not scan again: %s", d->err);
	lz_put(d, (uint32_t)t, copy);
	return (int)copy;
}

/* The general string loop: escapes, UTF-8, control bytes, line ends. q is
 * the opening quote, p where scanning resumes. */
static const unsigned char *
scan_string_slow(struct jdoc *d, uint32_t t, const unsigned char *q,
    const unsigned char *p, const unsigned char *end)
{
	unsigned cp, lo;
	size_t n;

	for (;;) {
#if defined(__SSE2__)
		const __m128i quote = _mm_set1_epi8('"');
		const __m128i bslash = _mm_set1_epi8('\\');
		const __m128i space = _mm_set1_epi8(' ');

		/* Signed compare: bytes >= 0x80 are negative, so "< ' '"
		 * catches control and non-ASCII bytes in one test. */
		while (end - p >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)p);
			__m128i m = _mm_or_si128(
			    _mm_or_si128(_mm_cmpeq_epi8(v, quote),
				_mm_cmpeq_epi8(v, bslash)),
			    _mm_cmplt_epi8(v, space));
			unsigned mask = (unsigned)_mm_movemask_epi8(m);

			if (mask != 0) {
				p += __builtin_ctz(mask);
				break;
			}
			p += 16;
		}
#endif
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' &&
		    *p != '\\')
			p++;
		if (p == end)
			return fail(d, q, "unterminated string"), NULL;
		if (*p == '"') {
			d->tok[t].len = (uint32_t)(p + 1 - q);
			return p + 1;
		}
		if (*p < 0x20)
			return fail(d, p, "control character in string"), NULL;
		if (*p >= 0x80) {
			if ((n = utf8_seq(p, (size_t)(end - p))) == 0)
				return fail(d, p, "invalid UTF-8"), NULL;
			p += n;
			continue;
		}
		/* A backslash escape. */
		d->tok[t].flags |= JT_ESCAPED;
		if (end - p < 2)
			return fail(d, q, "unterminated string"), NULL;
		switch (p[1]) {
		case '"': case '\\': case '/': case 'b': case 'f':
		case 'n': case 'r': case 't':
			p += 2;
			continue;
		case 'u':
			break;
		default:
			return fail(d, p, "invalid escape in string"), NULL;
		}
		if (end - p < 6 || hex4(p + 2, &cp) != 0)
			return fail(d, p, "invalid \\u escape in string"), NULL;
		p += 6;
		if (cp >= 0xDC00 && cp <= 0xDFFF)
			return fail(d, p - 6, "lone low surrogate in string"),
			    NULL;
		if (cp >= 0xD800 && cp <= 0xDBFF) {
			if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
			    hex4(p + 2, &lo) != 0 || lo < 0xDC00 || lo > 0xDFFF)
				return fail(d, p - 6,
				    "high surrogate without a low surrogate"),
				    NULL;
			p += 6;
		}
	}
}

static const unsigned char *
scan_number(struct jdoc *d, uint32_t t, const unsigned char *p,
    const unsigned char *end)
{
	const unsigned char *q = p;
	uint8_t flags = JT_INT;

	if (*p == '-') {
		flags |= JT_NEG;
		p++;
	}
	if (p == end || *p < '0' || *p > '9')
		return fail(d, q, "invalid number"), NULL;
	if (*p == '0') {
		p++;
		if (p < end && *p >= '0' && *p <= '9')
			return fail(d, q, "leading zero in number"), NULL;
	} else
		p = skip_digits(p, end);
	if (p < end && *p == '.') {
		flags &= (uint8_t)~JT_INT;
		p++;
		if (p == end || *p < '0' || *p > '9')
			return fail(d, q, "invalid number"), NULL;
		p = skip_digits(p, end);
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		flags &= (uint8_t)~JT_INT;
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if (p == end || *p < '0' || *p > '9')
			return fail(d, q, "invalid number"), NULL;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	}
	d->tok[t].len = (uint32_t)(p - q);
	d->tok[t].flags = flags;
	return p;
}

static int
hex4(const unsigned char *p, unsigned *v)
{
	unsigned r = 0, c;
	int i;

	for (i = 0; i < 4; i++) {
		c = p[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return -1;
		r = r << 4 | c;
	}
	*v = r;
	return 0;
}

void
jscan_free(struct jdoc *d)
{
	free(d->tok);
	free(d->lzkey);
	free(d->lzval);
	d->tok = NULL;
	d->ntok = d->cap = 0;
	d->lzkey = d->lzval = NULL;
	d->lzcap = d->lzn = 0;
}

/*
 * Decode the character at p (inside a validated string body ending at end)
 * into out (up to 4 bytes); *adv gets the bytes consumed. Returns the number
 * of bytes written.
 */
static size_t
unescape_one(const char *p, const char *end, char *out, size_t *adv)
{
	unsigned cp, lo;

	(void)end;
	if (*p != '\\') {
		out[0] = *p;
		*adv = 1;
		return 1;
	}
	*adv = 2;
	switch (p[1]) {
	case 'b': out[0] = '\b'; return 1;
	case 'f': out[0] = '\f'; return 1;
	case 'n': out[0] = '\n'; return 1;
	case 'r': out[0] = '\r'; return 1;
	case 't': out[0] = '\t'; return 1;
	case 'u': break;
	default: out[0] = p[1]; return 1;	/* '"', '\\', '/' */
	}
	hex4((const unsigned char *)p + 2, &cp);
	*adv = 6;
	if (cp >= 0xD800 && cp <= 0xDBFF) {
		hex4((const unsigned char *)p + 8, &lo);
		cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
		*adv = 12;
	}
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

int
jscan_str_append(const struct jdoc *d, int t, struct buf *out)
{
	const char *p, *end, *bs;
	char ch[4];
	size_t n, adv;

	if (jscan_type(d, t) != J_STRING)
		return -1;
	p = d->text + d->tok[t].start + 1;
	end = p + d->tok[t].len - 2;
	while (p < end) {
		bs = memchr(p, '\\', (size_t)(end - p));
		if (bs == NULL) {
			buf_append(out, p, (size_t)(end - p));
			break;
		}
		buf_append(out, p, (size_t)(bs - p));
		n = unescape_one(bs, end, ch, &adv);
		buf_append(out, ch, n);
		p = bs + adv;
	}
	return 0;
}

int
jscan_str_canon(const struct jdoc *d, int t, struct buf *out)
{
	static const char hex[] = "0123456789abcdef";
	const char *p, *end, *bs;
	char ch[4], e[6];
	size_t n, adv, i;
	unsigned char c;

	if (jscan_type(d, t) != J_STRING)
		return -1;
	p = d->text + d->tok[t].start + 1;
	end = p + d->tok[t].len - 2;
	buf_putc(out, '"');
	while (p < end) {
		/* unescaped bytes are canonical already: no '"', '\\' or
		 * control byte is left unescaped in valid JSON */
		bs = memchr(p, '\\', (size_t)(end - p));
		if (bs == NULL) {
			buf_append(out, p, (size_t)(end - p));
			break;
		}
		buf_append(out, p, (size_t)(bs - p));
		n = unescape_one(bs, end, ch, &adv);
		for (i = 0; i < n; i++) {
			c = (unsigned char)ch[i];
			e[0] = '\\';
			switch (c) {
			case '"': case '\\': e[1] = (char)c; break;
			case '\b': e[1] = 'b'; break;
			case '\f': e[1] = 'f'; break;
			case '\n': e[1] = 'n'; break;
			case '\r': e[1] = 'r'; break;
			case '\t': e[1] = 't'; break;
			default:
				if (c >= 0x20) {
					buf_putc(out, (char)c);
					continue;
				}
				memcpy(e + 1, "u00", 3);
				e[4] = hex[c >> 4];
				e[5] = hex[c & 15];
				buf_append(out, e, 6);
				continue;
			}
			buf_append(out, e, 2);
		}
		p = bs + adv;
	}
	buf_putc(out, '"');
	return 0;
}

int
jscan_str(const struct jdoc *d, int t, struct buf *out, const char **p,
    size_t *len)
{
	if (jscan_type(d, t) != J_STRING)
		return -1;
	if ((d->tok[t].flags & JT_ESCAPED) == 0) {
		*p = d->text + d->tok[t].start + 1;
		*len = d->tok[t].len - 2;
		return 0;
	}
	buf_reset(out);
	jscan_str_append(d, t, out);
	*p = out->data;
	*len = out->len;
	return 0;
}

int
jscan_str_eq(const struct jdoc *d, int t, const char *s, size_t len)
{
	const char *p, *end;
	char ch[4];
	size_t n, adv;

	if (jscan_type(d, t) != J_STRING)
		return 0;
	p = d->text + d->tok[t].start + 1;
	end = p + d->tok[t].len - 2;
	if ((d->tok[t].flags & JT_ESCAPED) == 0)	/* s may be NULL if 0 */
		return (size_t)(end - p) == len && (len == 0 ||
		    memcmp(p, s, len) == 0);
	while (p < end) {
		n = unescape_one(p, end, ch, &adv);
		if (n > len || memcmp(ch, s, n) != 0)
			return 0;
		s += n;
		len -= n;
		p += adv;
	}
	return len == 0;
}

int
jscan_member(const struct jdoc *d, int t, const char *name, size_t len)
{
	uint32_t k, end;
	int found = -1;

	if (jscan_type(d, t) != J_OBJECT)
		return -1;
	t = jscan_expand(d, t);
	end = d->tok[t].next;
	/* Keys come with their quotes: compare the raw length first, which
	 * rules out almost every key without touching its bytes. */
	for (k = (uint32_t)t + 1; k < end; k = d->tok[k + 1].next) {
		const struct jtok *kt = &d->tok[k];

		if ((kt->flags & JT_ESCAPED) == 0) {
			if (kt->len - 2 == len && (len == 0 ||
			    memcmp(d->text + kt->start + 1, name, len) == 0))
				found = (int)k + 1;
		} else if (jscan_str_eq(d, (int)k, name, len))
			found = (int)k + 1;
	}
	return found;
}

void
jscan_members(const struct jdoc *d, int t, const struct jname *names,
    size_t n, int *out)
{
	uint64_t lens = 0;	/* bit l: some name has length l (63: >= 63) */
	uint32_t k, end;
	size_t i, klen;

	for (i = 0; i < n; i++) {
		out[i] = -1;
		lens |= 1ULL << (names[i].len < 63 ? names[i].len : 63);
	}
	if (jscan_type(d, t) != J_OBJECT)
		return;
	t = jscan_expand(d, t);
	end = d->tok[t].next;
	for (k = (uint32_t)t + 1; k < end; k = d->tok[k + 1].next) {
		const struct jtok *kt = &d->tok[k];
		const char *key = d->text + kt->start + 1;

		klen = kt->len - 2;
		if ((kt->flags & JT_ESCAPED) != 0) {
			for (i = 0; i < n; i++)
				if (jscan_str_eq(d, (int)k, names[i].name,
				    names[i].len))
					out[i] = (int)k + 1;
			continue;
		}
		if ((lens >> (klen < 63 ? klen : 63) & 1) == 0)
			continue;	/* no name this long */
		/* Length, then first byte, then the rest: most pairs differ
		 * in the first two tests. */
		for (i = 0; i < n; i++)
			if (names[i].len == klen && (klen == 0 ||
			    (key[0] == names[i].name[0] &&
			    memcmp(key + 1, names[i].name + 1, klen - 1) == 0)))
				out[i] = (int)k + 1;
	}
}

size_t
jscan_count(const struct jdoc *d, int t)
{
	size_t n = 0;
	int c;

	if (jscan_type(d, t) != J_OBJECT && jscan_type(d, t) != J_ARRAY)
		return 0;
	for (c = jscan_child(d, t); c >= 0; c = jscan_after(d, t, c)) {
		if (d->tok[t].type == J_OBJECT)
			c++;	/* step over the key to its value */
		n++;
	}
	return n;
}

int
jscan_i64(const struct jdoc *d, int t, int64_t *v)
{
	const char *p, *end;
	uint64_t acc = 0, lim;
	int neg;

	if (jscan_type(d, t) != J_NUMBER || (d->tok[t].flags & JT_INT) == 0)
		return -1;
	p = d->text + d->tok[t].start;
	end = p + d->tok[t].len;
	neg = *p == '-';
	if (neg)
		p++;
	lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; p < end; p++) {
		unsigned dg = (unsigned)(*p - '0');

		if (acc > (lim - dg) / 10)
			return -1;
		acc = acc * 10 + dg;
	}
	if (neg)
		*v = acc == (uint64_t)INT64_MAX + 1 ? INT64_MIN :
		    -(int64_t)acc;
	else
		*v = (int64_t)acc;
	return 0;
}

int
jscan_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	size_t k;

	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if ((k = utf8_seq(p, (size_t)(end - p))) == 0)
			return 0;
		p += k;
	}
	return 1;
}
