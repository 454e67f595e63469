/*
 * jout.c: buffered, checked output.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "buf.h"
#include "diag.h"
#include "jout.h"
#include "tstamp.h"
#include "utf8.h"

struct jout jout_stdout;

static void
flush_stdout(void)
{
	if (jout_stdout.buf != NULL)
		jout_flush(&jout_stdout);
}

void
jout_init_stdout(void)
{
	signal(SIGPIPE, SIG_IGN);
	jout_init(&jout_stdout, STDOUT_FILENO, "standard output");
	diag_set_flush(flush_stdout);
}

void
jout_init(struct jout *o, int fd, const char *name)
{
	o->fd = fd;
	o->name = name;
	o->cap = JOUT_BUFSIZE;
	o->buf = xmalloc(o->cap);
	o->len = 0;
	o->broken = 0;
	o->on_broken_pipe = NULL;
}

void
jout_init_mem(struct jout *o)
{
	jout_init(o, -1, "memory");
	o->cap = 4096;
	o->buf = xrealloc(o->buf, o->cap);
}

void
jout_flush(struct jout *o)
{
	size_t off = 0;
	ssize_t n;

	if (o->fd < 0) {		/* memory: make room instead */
		if (o->len == o->cap) {
			o->cap *= 2;
			o->buf = xrealloc(o->buf, o->cap);
		}
		return;
	}
	if (o->broken) {
		o->len = 0;
		return;
	}
	while (off < o->len) {
		n = write(o->fd, o->buf + off, o->len - off);
		if (n >= 0) {
			off += (size_t)n;
			continue;
		}
		if (errno == EINTR)
			continue;
		o->len = 0;
		if (errno == EPIPE) {
			o->broken = 1;
			if (o->on_broken_pipe != NULL) {
				o->on_broken_pipe(o);
				return;
			}
			diag_exit(EXIT_OK);
		}
		o->broken = 1;	/* no second report from the exit flush */
		diag_err(EXIT_DATA, "could not write to %s", o->name);
	}
	o->len = 0;
}

void
jout_close(struct jout *o)
{
	jout_flush(o);
	free(o->buf);
	o->buf = NULL;
	o->cap = 0;
	o->len = 0;
	if (o->fd > STDERR_FILENO && close(o->fd) != 0)
		diag_err(EXIT_DATA, "could not close \"%s\"", o->name);
}

void
jout_write_slow(struct jout *o, const void *p, size_t n)
{
	const char *s = p;
	size_t room;

	while (n > 0) {
		if (o->len == o->cap)
			jout_flush(o);
		room = o->cap - o->len;
		if (room > n)
			room = n;
		memcpy(o->buf + o->len, s, room);
		o->len += room;
		s += room;
		n -= room;
	}
}

static const char hexdig[] = "0123456789abcdef";

void
jout_str(struct jout *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	const unsigned char *run;
	char esc[6];

	jout_char(o, '"');
	while (p < end) {
		run = p;
#if defined(__SSE2__)
		{
			const __m128i quote = _mm_set1_epi8('"');
			const __m128i bslash = _mm_set1_epi8('\\');
			const __m128i ctl = _mm_set1_epi8(0x1F);

			/* Unsigned "<= 0x1F" as min(v, 0x1F) == v. */
			while (end - p >= 16) {
				__m128i v = _mm_loadu_si128(
				    (const __m128i *)p);
				__m128i m = _mm_or_si128(_mm_or_si128(
				    _mm_cmpeq_epi8(v, quote),
				    _mm_cmpeq_epi8(v, bslash)),
				    _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v));
				unsigned mask =
				    (unsigned)_mm_movemask_epi8(m);

				if (mask != 0) {
					p += __builtin_ctz(mask);
					goto special;
				}
				p += 16;
			}
		}
#endif
		while (p < end && *p >= 0x20 && *p != '"' && *p != '\\')
			p++;
#if defined(__SSE2__)
special:
#endif
		jout_raw(o, run, (size_t)(p - run));
		if (p == end)
			break;
		esc[0] = '\\';
		switch (*p) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			jout_raw(o, "\\u00", 4);
			esc[0] = hexdig[*p >> 4];
			esc[1] = hexdig[*p & 0xF];
			break;
		}
		jout_raw(o, esc, 2);
		p++;
	}
	jout_char(o, '"');
}

void
jout_quote_buf(struct buf *b, const char *s, size_t n)
{
	size_t i, k;

	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		switch (ch) {
		case '"': buf_puts(b, "\\\""); break;
		case '\\': buf_puts(b, "\\\\"); break;
		case '\b': buf_puts(b, "\\b"); break;
		case '\f': buf_puts(b, "\\f"); break;
		case '\n': buf_puts(b, "\\n"); break;
		case '\r': buf_puts(b, "\\r"); break;
		case '\t': buf_puts(b, "\\t"); break;
		default:
			if (ch < 0x20)
				buf_printf(b, "\\u00%c%c", hexdig[ch >> 4],
				    hexdig[ch & 0xF]);
			else if (ch < 0x80)
				buf_putc(b, (char)ch);
			else if ((k = utf8_seq((const unsigned char *)s + i,
			    n - i)) == 0)
				buf_puts(b, "\xEF\xBF\xBD");	/* U+FFFD */
			else {
				buf_append(b, s + i, k);
				i += k - 1;
			}
		}
	}
	buf_putc(b, '"');
}

void
jout_u64(struct jout *o, uint64_t v)
{
	char tmp[24], *q = tmp + sizeof(tmp);

	do {
		*--q = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	jout_raw(o, q, (size_t)(tmp + sizeof(tmp) - q));
}

void
jout_i64(struct jout *o, int64_t v)
{
	if (v < 0) {
		jout_char(o, '-');
		jout_u64(o, (uint64_t)0 - (uint64_t)v);
	} else
		jout_u64(o, (uint64_t)v);
}

void
jout_time(struct jout *o, int64_t us)
{
	char tmp[TS_STRLEN];
	size_t n;

	n = ts_format(us, tmp);
	jout_char(o, '"');
	jout_raw(o, tmp, n);
	jout_char(o, '"');
}
