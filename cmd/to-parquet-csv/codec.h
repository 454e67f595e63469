/*
 * codec.h: the page compression codecs of Parquet (Compression.md).
 *
 * Each codec produces exactly what a reader expects inside a page, with no
 * framing of its own: ZSTD a zstd frame (RFC 8878, level 3), SNAPPY a raw
 * snappy block (not the framing format), GZIP a gzip member (RFC 1952, not
 * a bare zlib stream), NONE the bytes unchanged. A codec keeps its
 * compression context from page to page.
 *
 *	struct codec *c = codec_new(FW_ZSTD);
 *	codec_compress(c, page, n, &scratch, &p, &len);	// write p[0..len)
 *	codec_free(c);
 */
#ifndef TPC_CODEC_H
#define TPC_CODEC_H

#include <stddef.h>

#include "buf.h"
#include "fw.h"

struct codec;

struct codec *codec_new(enum fw_codec which);
void	codec_free(struct codec *c);

/* Compress src[0..n): *p and *len get the result, in out (reset first) or,
 * for FW_NONE, src itself. Exits through diag on a codec failure (only
 * possible when memory runs out). */
void	codec_compress(struct codec *c, const void *src, size_t n,
	    struct buf *out, const void **p, size_t *len);

/* The CompressionCodec number of parquet.thrift. */
int	codec_parquet_id(enum fw_codec which);

#endif
