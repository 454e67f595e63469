/*
 * thrift.c: the Thrift compact-protocol encoder of thrift.h.
 */
#include <assert.h>
#include <stdint.h>

#include "thrift.h"

static void	tw_header(struct tw *, int, int);
static uint64_t	tw_zigzag(int64_t);

void
tw_varint(struct buf *b, uint64_t v)
{
	char tmp[10];
	size_t n = 0;

	while (v >= 0x80) {
		tmp[n++] = (char)(v | 0x80);
		v >>= 7;
	}
	tmp[n++] = (char)v;
	buf_append(b, tmp, n);
}

static uint64_t
tw_zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

void
tw_init(struct tw *t, struct buf *b)
{
	t->b = b;
	t->depth = 1;
	t->last[0] = 0;
}

/* The header of field id of compact type ty in the current struct. */
static void
tw_header(struct tw *t, int id, int ty)
{
	int16_t *last = &t->last[t->depth - 1];
	int delta = id - *last;

	assert(t->depth > 0 && id > *last);
	if (delta > 0 && delta <= 15)
		buf_putc(t->b, (char)(delta << 4 | ty));
	else {
		buf_putc(t->b, (char)ty);
		tw_varint(t->b, tw_zigzag(id));
	}
	*last = (int16_t)id;
}

void
tw_i32(struct tw *t, int id, int32_t v)
{
	tw_header(t, id, TT_I32);
	tw_varint(t->b, tw_zigzag(v));
}

void
tw_i64(struct tw *t, int id, int64_t v)
{
	tw_header(t, id, TT_I64);
	tw_varint(t->b, tw_zigzag(v));
}

void
tw_i16(struct tw *t, int id, int16_t v)
{
	tw_header(t, id, TT_I16);
	tw_varint(t->b, tw_zigzag(v));
}

/* An i8 is one plain byte, not a varint. */
void
tw_i8(struct tw *t, int id, int8_t v)
{
	tw_header(t, id, TT_I8);
	buf_putc(t->b, (char)v);
}

void
tw_bool(struct tw *t, int id, int v)
{
	tw_header(t, id, v ? TT_TRUE : TT_FALSE);
}

void
tw_bin(struct tw *t, int id, const void *p, size_t n)
{
	tw_header(t, id, TT_BINARY);
	tw_varint(t->b, n);
	buf_append(t->b, p, n);
}

void
tw_struct(struct tw *t, int id)
{
	tw_header(t, id, TT_STRUCT);
	tw_begin(t);
}

void
tw_empty(struct tw *t, int id)
{
	tw_struct(t, id);
	tw_end(t);
}

void
tw_list_header(struct buf *b, int et, size_t n)
{
	if (n < 15)
		buf_putc(b, (char)(n << 4 | (size_t)et));
	else {
		buf_putc(b, (char)(0xf0 | et));
		tw_varint(b, n);
	}
}

void
tw_list(struct tw *t, int id, int et, size_t n)
{
	tw_header(t, id, TT_LIST);
	tw_list_header(t->b, et, n);
}

void
tw_ei32(struct tw *t, int32_t v)
{
	tw_varint(t->b, tw_zigzag(v));
}

void
tw_ebin(struct tw *t, const void *p, size_t n)
{
	tw_varint(t->b, n);
	buf_append(t->b, p, n);
}

void
tw_begin(struct tw *t)
{
	assert(t->depth < TW_MAXDEPTH);
	t->last[t->depth++] = 0;
}

void
tw_end(struct tw *t)
{
	assert(t->depth > 0);
	buf_putc(t->b, 0);
	t->depth--;
}
