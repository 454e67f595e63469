/*
 * thrift.h: a Thrift compact-protocol encoder, as much of it as a Parquet
 * footer and page headers need.
 *
 * The compact protocol writes a struct as a sequence of fields, each with a
 * one-byte header (id delta << 4 | type; a delta of 0 means the zigzag
 * varint id follows), integers as zigzag ULEB128 varints, binary as a
 * varint length and the bytes, lists as (size << 4 | element type) or
 * 0xF0 | type plus a varint size, and a stop byte 0 at the end of a struct.
 * A boolean field has no value byte: its type (TRUE 1, FALSE 2) is the
 * value. The encoder keeps the last field id of every open struct, so
 * fields must be written in increasing id order (deltas are 1..15).
 *
 *	struct tw t;
 *	tw_init(&t, &buf);
 *	tw_i32(&t, 1, 1);			// FileMetaData.version
 *	tw_list(&t, 2, TT_STRUCT, n);		// schema
 *	for (...) { tw_begin(&t); ...; tw_end(&t); }
 *	tw_end(&t);				// stop byte of the outer struct
 */
#ifndef TPC_THRIFT_H
#define TPC_THRIFT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Compact-protocol type codes. */
enum {
	TT_TRUE = 1, TT_FALSE = 2, TT_I8 = 3, TT_I16 = 4, TT_I32 = 5,
	TT_I64 = 6, TT_DOUBLE = 7, TT_BINARY = 8, TT_LIST = 9, TT_SET = 10,
	TT_MAP = 11, TT_STRUCT = 12
};

#define TW_MAXDEPTH	16

struct tw {
	struct buf	*b;
	int		 depth;		/* open structs, the outermost too */
	int16_t		 last[TW_MAXDEPTH];	/* last field id per struct */
};

/* Start encoding one outermost struct into b (appended). */
void	tw_init(struct tw *t, struct buf *b);

/* Fields of the current struct, in increasing id order. */
void	tw_i32(struct tw *t, int id, int32_t v);
void	tw_i64(struct tw *t, int id, int64_t v);
void	tw_i16(struct tw *t, int id, int16_t v);
void	tw_i8(struct tw *t, int id, int8_t v);
void	tw_bool(struct tw *t, int id, int v);
void	tw_bin(struct tw *t, int id, const void *p, size_t n);
/* A struct field: its fields follow, then tw_end. */
void	tw_struct(struct tw *t, int id);
/* An empty struct field (a union member such as STRING {} or MICROS {}). */
void	tw_empty(struct tw *t, int id);
/* A list field of n elements of type et; the elements follow, written with
 * the tw_e* functions (a struct element: tw_begin ... tw_end). */
void	tw_list(struct tw *t, int id, int et, size_t n);

/* List elements. */
void	tw_ei32(struct tw *t, int32_t v);
void	tw_ebin(struct tw *t, const void *p, size_t n);
void	tw_begin(struct tw *t);
/* Close the current struct (writes the stop byte). */
void	tw_end(struct tw *t);

/* Raw building blocks, for splicing pre-encoded structs into a list. */
void	tw_varint(struct buf *b, uint64_t v);
void	tw_list_header(struct buf *b, int et, size_t n);

#endif
