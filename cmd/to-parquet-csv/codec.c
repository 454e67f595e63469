/*
 * codec.c: zstd, snappy, gzip and no compression for Parquet pages.
 */
#include <limits.h>
#include <stdint.h>
#include <snappy-c.h>
#include <stdlib.h>
#include <zlib.h>
#include <zstd.h>

#include "codec.h"
#include "diag.h"

#define CODEC_ZSTD_LEVEL	3

struct codec {
	enum fw_codec	 which;
	ZSTD_CCtx	*zc;
	z_stream	 zs;
	int		 zs_ready;
};

struct codec *
codec_new(enum fw_codec which)
{
	struct codec *c = xcalloc(1, sizeof(*c));

	c->which = which;
	switch (which) {
	case FW_ZSTD:
		if ((c->zc = ZSTD_createCCtx()) == NULL)
			diag_errx(EXIT_DATA, "out of memory (zstd)");
		ZSTD_CCtx_setParameter(c->zc, ZSTD_c_compressionLevel,
		    CODEC_ZSTD_LEVEL);
		break;
	case FW_GZIP:
		/* windowBits 15 + 16: a gzip header and trailer. */
		if (deflateInit2(&c->zs, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
		    15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
			diag_errx(EXIT_DATA, "out of memory (zlib)");
		c->zs_ready = 1;
		break;
	case FW_SNAPPY:
	case FW_NONE:
		break;
	}
	return c;
}

void
codec_free(struct codec *c)
{
	if (c == NULL)
		return;
	if (c->zc != NULL)
		ZSTD_freeCCtx(c->zc);
	if (c->zs_ready)
		deflateEnd(&c->zs);
	free(c);
}

void
codec_compress(struct codec *c, const void *src, size_t n, struct buf *out,
    const void **p, size_t *len)
{
	size_t bound, r;
	int zr;

	buf_reset(out);
	switch (c->which) {
	case FW_NONE:
		*p = src;
		*len = n;
		return;
	case FW_ZSTD:
		bound = ZSTD_compressBound(n);
		buf_grow(out, bound);
		r = ZSTD_compress2(c->zc, out->data, bound, src, n);
		if (ZSTD_isError(r))
			diag_errx(EXIT_DATA, "zstd: %s", ZSTD_getErrorName(r));
		out->len = r;
		break;
	case FW_SNAPPY:
		bound = snappy_max_compressed_length(n);
		buf_grow(out, bound);
		r = bound;
		if (snappy_compress(src, n, out->data, &r) != SNAPPY_OK)
			diag_errx(EXIT_DATA, "snappy: compression failed");
		out->len = r;
		break;
	case FW_GZIP:
		if (n > UINT_MAX)
			diag_errx(EXIT_DATA, "gzip: page too large");
		/* Reset first: a finished stream's bound leaves out the
		 * gzip header and trailer. */
		deflateReset(&c->zs);
		bound = deflateBound(&c->zs, (uLong)n);
		buf_grow(out, bound);
		c->zs.next_in = (Bytef *)(uintptr_t)src;
		c->zs.avail_in = (uInt)n;
		c->zs.next_out = (Bytef *)out->data;
		c->zs.avail_out = (uInt)bound;
		zr = deflate(&c->zs, Z_FINISH);
		if (zr != Z_STREAM_END)
			diag_errx(EXIT_DATA, "gzip: compression failed (%d)",
			    zr);
		out->len = bound - c->zs.avail_out;
		break;
	}
	*p = out->data;
	*len = out->len;
}

int
codec_parquet_id(enum fw_codec which)
{
	switch (which) {
	case FW_SNAPPY:
		return 1;
	case FW_GZIP:
		return 2;
	case FW_ZSTD:
		return 6;
	case FW_NONE:
		break;
	}
	return 0;
}
