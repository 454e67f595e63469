/*
 * buf.h: a growable byte buffer.
 *
 * The bytes are always followed by a '\0' that is not counted in len, so
 * b.data can be passed where a C string is expected. A zeroed struct buf is an
 * empty buffer; buf_free returns it to that state.
 *
 *	struct buf b = BUF_INIT;
 *	buf_puts(&b, "hello");
 *	buf_free(&b);
 */
#ifndef CDC_BUF_H
#define CDC_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <string.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
};

#define BUF_INIT { NULL, 0, 0 }

/* Make room for n more bytes (plus the terminating '\0'). */
void	buf_grow(struct buf *b, size_t n);
void	buf_free(struct buf *b);
void	buf_printf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

static inline void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/* Append p[0..n); p may be NULL when n is 0 (memcpy may not be given it). */
static inline void
buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->cap - b->len <= n)
		buf_grow(b, n);
	if (n > 0)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
buf_putc(struct buf *b, char c)
{
	if (b->cap - b->len <= 1)
		buf_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}

static inline void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

#endif
