/*
 * fuzz_parquet.c: libFuzzer target for to-parquet-csv's file writers: the
 * schema inference and value fitting of schema.c, the Parquet encoder of
 * parquet.c and thrift.c, the codecs of codec.c, and csv.c.
 *
 * The first byte sets the writer up: bit 0 CSV rather than Parquet, bits
 * 1-2 the codec (zstd, snappy, gzip, none), bit 3 a --schema of every type,
 * bits 4-5 rows per row group (the default, 1, 2 or 5), bit 6 a partition
 * column left out ("p"), bit 7 row groups of 1 KiB. The rest is NDJSON
 * rows, given to fw_row as lake.c gives them (a row that does not fit:
 * the schema widened, the file finished, a new one opened), each file
 * written to a memfd and read back when finished. Lines main.c refuses
 * before (no JSON object, a watermark, no member the files keep) are
 * skipped.
 *
 * Invariants: a bad row comes with a reason and is not taken; a row that
 * did not fit fits the widened schema. A Parquet file is "PAR1", column
 * chunks, a footer whose length is within the file, and "PAR1"; its
 * footer (Thrift compact protocol, read here with a reader of its own)
 * counts the rows taken, in row groups whose column chunks each hold one
 * value per row, lie between the magic and the footer and are made of
 * pages whose sizes add up, each page decompressing to the size its header
 * says. A file with rows has a column. A CSV file reads back as RFC 4180:
 * a header, then one record per row taken, each of the header's number of
 * fields. Never a crash, never a leak, never an exit.
 *
 * fuzz-sources: cmd/to-parquet-csv/parquet.c cmd/to-parquet-csv/schema.c
 * fuzz-sources: cmd/to-parquet-csv/csv.c cmd/to-parquet-csv/codec.c
 * fuzz-sources: cmd/to-parquet-csv/thrift.c
 * fuzz-libs: -lzstd -lsnappy -lz
 */
#define _GNU_SOURCE
#include <snappy-c.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "buf.h"
#include "diag.h"
#include "fw.h"
#include "jscan.h"
#define FUZZ_NAME	"fuzz_parquet"
#include "fuzz.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define SCHEMA	"id:int64,price:decimal(10,2),ts:timestamp,d:date,b:bool," \
		"s:string,j:json,f:double,w:decimal(40,3),x:decimal(76,10)"

static struct jdoc doc = JDOC_INIT;
static struct buf file = BUF_INIT, page = BUF_INIT;

/* ---------------------------------------------------------------------
 * A reader of the Thrift compact protocol, for the footer and the page
 * headers: every value is checked to lie within the bytes.
 */

struct rd {
	const uint8_t	*p, *end;
};

enum { T_TRUE = 1, T_FALSE, T_I8, T_I16, T_I32, T_I64, T_DOUBLE, T_BINARY,
	T_LIST, T_SET, T_MAP, T_STRUCT };

static const char *what_file;		/* for messages: "footer", "page" */

static void
bad_thrift(const struct rd *r, const char *why)
{
	fuzz_require(0, why, what_file, strlen(what_file));
	(void)r;
}

static uint8_t
rd_byte(struct rd *r)
{
	if (r->p >= r->end)
		bad_thrift(r, "Thrift cut short");
	return *r->p++;
}

static uint64_t
rd_varint(struct rd *r)
{
	uint64_t v = 0;
	int shift;
	uint8_t b;

	for (shift = 0; shift < 70; shift += 7) {
		b = rd_byte(r);
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
	}
	bad_thrift(r, "a varint of more than 10 bytes");
	return 0;
}

static int64_t
rd_zigzag(struct rd *r)
{
	uint64_t v = rd_varint(r);

	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static void	rd_skip(struct rd *, int, int);

/* The header of a list or set: its element type and size. */
static size_t
rd_list(struct rd *r, int *et)
{
	uint8_t b = rd_byte(r);
	uint64_t n = b >> 4;

	*et = b & 15;
	if (n == 15)
		n = rd_varint(r);
	if (n > (uint64_t)(r->end - r->p))
		bad_thrift(r, "a list longer than the bytes left");
	return (size_t)n;
}

/*
 * Read the next field header of a struct: 0 at its stop byte, else 1 with
 * the field's id and type (last: the id before).
 */
static int
rd_field(struct rd *r, int *last, int *id, int *type)
{
	uint8_t b = rd_byte(r);

	if (b == 0)
		return 0;
	*type = b & 15;
	*id = b >> 4 ? *last + (b >> 4) : (int)rd_zigzag(r);
	*last = *id;
	if (*type < T_TRUE || *type > T_STRUCT)
		bad_thrift(r, "an unknown Thrift type");
	return 1;
}

static void
rd_skip(struct rd *r, int type, int depth)
{
	size_t n, i;
	uint64_t len;
	int et, id, ft, last = 0;
	uint8_t kv;

	if (depth > 32)
		bad_thrift(r, "Thrift nested too deep");
	switch (type) {
	case T_TRUE:
	case T_FALSE:
		return;
	case T_I8:
		(void)rd_byte(r);
		return;
	case T_I16:
	case T_I32:
	case T_I64:
		(void)rd_varint(r);
		return;
	case T_DOUBLE:
		for (i = 0; i < 8; i++)
			(void)rd_byte(r);
		return;
	case T_BINARY:
		len = rd_varint(r);
		if (len > (uint64_t)(r->end - r->p))
			bad_thrift(r, "binary longer than the bytes left");
		r->p += len;
		return;
	case T_LIST:
	case T_SET:
		n = rd_list(r, &et);
		for (i = 0; i < n; i++) {
			if (et == T_TRUE || et == T_FALSE)
				(void)rd_byte(r);	/* a bool element */
			else
				rd_skip(r, et, depth + 1);
		}
		return;
	case T_MAP:
		n = rd_varint(r);
		if (n == 0)
			return;
		kv = rd_byte(r);
		for (i = 0; i < n; i++) {
			rd_skip(r, kv >> 4, depth + 1);
			rd_skip(r, kv & 15, depth + 1);
		}
		return;
	case T_STRUCT:
		while (rd_field(r, &last, &id, &ft))
			rd_skip(r, ft, depth + 1);
		return;
	default:
		bad_thrift(r, "an unknown Thrift type");
	}
}

/* An integer field's value, of whatever integer type it was written. */
static int64_t
rd_int(struct rd *r, int type)
{
	if (type == T_I8)
		return (int8_t)rd_byte(r);
	if (type != T_I16 && type != T_I32 && type != T_I64)
		bad_thrift(r, "not an integer where one belongs");
	return rd_zigzag(r);
}

/* ---------------------------------------------------------------------
 * Parquet
 */

struct colmeta {
	int64_t		 type, codec, num_values, unc, comp, data_off;
	int64_t		 dict_off, nulls;
	int		 has_meta, has_dict;
	int		 width;		/* FIXED_LEN_BYTE_ARRAY: its length */
};

static void
rd_colmeta(struct rd *r, struct colmeta *m)
{
	int last = 0, id, type, l2, id2, t2;

	m->nulls = -1;
	while (rd_field(r, &last, &id, &type)) {
		switch (id) {
		case 1:
			m->type = rd_int(r, type);
			break;
		case 4:
			m->codec = rd_int(r, type);
			break;
		case 12:		/* statistics: 3 null_count */
			l2 = 0;
			while (type == T_STRUCT && rd_field(r, &l2, &id2,
			    &t2))
				if (id2 == 3)
					m->nulls = rd_int(r, t2);
				else
					rd_skip(r, t2, 2);
			if (type != T_STRUCT)
				rd_skip(r, type, 1);
			break;
		case 5:
			m->num_values = rd_int(r, type);
			break;
		case 6:
			m->unc = rd_int(r, type);
			break;
		case 7:
			m->comp = rd_int(r, type);
			break;
		case 9:
			m->data_off = rd_int(r, type);
			break;
		case 11:
			m->dict_off = rd_int(r, type);
			m->has_dict = 1;
			break;
		default:
			rd_skip(r, type, 1);
		}
	}
	m->has_meta = 1;
}

/* Decompress page body p[0..n) with codec and return its length. */
static size_t
inflate_page(int64_t codec, const uint8_t *p, size_t n, size_t want)
{
	z_stream zs;
	size_t len;
	int rc;

	buf_reset(&page);
	buf_grow(&page, want + 1);
	switch (codec) {
	case 0:				/* UNCOMPRESSED */
		buf_append(&page, p, n);
		return n;
	case 1:				/* SNAPPY */
		len = want + 1;
		fuzz_require(snappy_uncompress((const char *)p, n, page.data,
		    &len) == SNAPPY_OK, "a page snappy cannot read",
		    "snappy", 6);
		return len;
	case 2:				/* GZIP */
		memset(&zs, 0, sizeof(zs));
		fuzz_require(inflateInit2(&zs, 16 + MAX_WBITS) == Z_OK, "zlib",
		    "zlib", 4);
		zs.next_in = (Bytef *)(uintptr_t)p;
		zs.avail_in = (uInt)n;
		zs.next_out = (Bytef *)page.data;
		zs.avail_out = (uInt)(want + 1);
		rc = inflate(&zs, Z_FINISH);
		len = (size_t)zs.total_out;
		fuzz_require(rc == Z_STREAM_END && zs.avail_in == 0,
		    "a page gzip cannot read", "gzip", 4);
		inflateEnd(&zs);
		return len;
	case 6:				/* ZSTD */
		len = ZSTD_decompress(page.data, want + 1, p, n);
		fuzz_require(!ZSTD_isError(len), "a page zstd cannot read",
		    "zstd",
		    4);
		return len;
	default:
		fuzz_require(0, "an unknown codec", "codec", 5);
		return 0;
	}
}

/*
 * Read n values of the RLE/bit-packed hybrid (bit width bw) from p[0..len):
 * 0 with the number of values that are 1 in *ones (levels) and the largest
 * in *max (dictionary indexes), or -1 when the runs do not hold n values
 * within the bytes. Bit-packed runs come in groups of 8, the last padded.
 */
static int
unhybrid(const uint8_t *p, size_t len, int bw, size_t n, size_t *ones,
    uint64_t *max)
{
	struct rd r = { p, p + len };
	size_t got = 0, count, i, vb = ((size_t)bw + 7) / 8;
	uint64_t h, v, acc;
	int nb;

	*ones = 0;
	*max = 0;
	while (got < n) {
		if (r.p >= r.end)
			return -1;
		h = rd_varint(&r);
		if (h & 1) {		/* bit-packed: (h >> 1) groups of 8 */
			count = (size_t)(h >> 1) * 8;
			if (count == 0 || (h >> 1) * (uint64_t)bw >
			    (uint64_t)(r.end - r.p))
				return -1;
			acc = 0;
			nb = 0;
			for (i = 0; i < count; i++) {
				while (nb < bw) {
					acc |= (uint64_t)*r.p++ << nb;
					nb += 8;
				}
				v = acc & (((uint64_t)1 << bw) - 1);
				acc >>= bw;
				nb -= bw;
				if (got + i < n) {
					*ones += v == 1;
					if (v > *max)
						*max = v;
				}
			}
		} else {		/* a run of (h >> 1) of one value */
			count = (size_t)(h >> 1);
			if (count == 0 || vb > (size_t)(r.end - r.p))
				return -1;
			for (v = 0, i = 0; i < vb; i++)
				v |= (uint64_t)*r.p++ << (8 * i);
			if (v >> bw != 0)
				return -1;
			*ones += v == 1 ? (count < n - got ? count : n - got) :
			    0;
			if (v > *max)
				*max = v;
		}
		got += count;
	}
	return 0;
}

/* The bytes n PLAIN values of physical type m->type take at the start of
 * p[0..len), or SIZE_MAX when they do not fit. */
static size_t
plain_size(const struct colmeta *m, const uint8_t *p, size_t len, size_t n)
{
	size_t at = 0, i;
	uint32_t l;

	switch (m->type) {
	case 0:				/* BOOLEAN: bits */
		return (n + 7) / 8 <= len ? (n + 7) / 8 : SIZE_MAX;
	case 1:				/* INT32 */
		return n <= len / 4 ? 4 * n : SIZE_MAX;
	case 2:				/* INT64 */
	case 5:				/* DOUBLE */
		return n <= len / 8 ? 8 * n : SIZE_MAX;
	case 6:				/* BYTE_ARRAY: u32 length, bytes */
		for (i = 0; i < n; i++) {
			if (len - at < 4)
				return SIZE_MAX;
			memcpy(&l, p + at, 4);
			at += 4;
			if (l > len - at)
				return SIZE_MAX;
			at += l;
		}
		return at;
	case 7:				/* FIXED_LEN_BYTE_ARRAY */
		return m->width > 0 && n <= len / (size_t)m->width ?
		    n * (size_t)m->width : SIZE_MAX;
	default:
		fuzz_require(0, "a physical type the writer never writes", "",
		    0);
		return SIZE_MAX;
	}
}

/*
 * The body of a page, uncompressed in page: a dictionary page is its nv
 * values, PLAIN; a data page (rows nv) its definition levels (a u32 length
 * and the hybrid, bit width 1), then a value per level 1, PLAIN or as
 * dictionary indexes below dict_n. Adds the page's nulls to *nulls.
 */
static void
check_body(const struct colmeta *m, int ptype, int encoding, size_t nv,
    size_t dict_n, int64_t *nulls)
{
	const uint8_t *b = (const uint8_t *)page.data;
	size_t len = page.len, nonnull = 0, idx;
	uint32_t dl;
	uint64_t max;
	int bw = 0;

	if (ptype == 2) {
		fuzz_require(plain_size(m, b, len, nv) == len,
		    "a dictionary page that is not its values", "", 0);
		return;
	}
	fuzz_require(len >= 4, "a data page without levels", "", 0);
	memcpy(&dl, b, 4);
	fuzz_require(dl <= len - 4 && unhybrid(b + 4, dl, 1, nv, &nonnull,
	    &max) == 0 && max <= 1, "definition levels that do not hold a "
	    "level per row", "", 0);
	*nulls += (int64_t)(nv - nonnull);
	b += 4 + dl;
	len -= 4 + dl;
	if (encoding == 0) {
		fuzz_require(plain_size(m, b, len, nonnull) == len,
		    "PLAIN values that are not one per value", "", 0);
		return;
	}
	fuzz_require(encoding == 8 && dict_n > 0,
	    "an encoding the writer never "
	    "writes, or indexes without a dictionary", "", 0);
	if (nonnull == 0) {
		fuzz_require(len == 0, "indexes without values", "", 0);
		return;
	}
	fuzz_require(len >= 1 && (bw = b[0]) >= 1 && bw <= 32,
	    "a dictionary bit width", "", 0);
	idx = 0;
	fuzz_require(unhybrid(b + 1, len - 1, bw, nonnull, &idx, &max) == 0 &&
	    max < dict_n, "indexes that are not one per value, below the "
	    "dictionary's size", "", 0);
}

/* The pages of a column chunk: their sizes add up to the chunk's, their
 * values to its values, and each decompresses to its size and holds what
 * its header says. */
static void
check_pages(const uint8_t *f, size_t start, const struct colmeta *m,
    size_t footer)
{
	struct rd r;
	int64_t values = 0, unc = 0, nulls = 0;
	size_t at = start, hdr, csize, usize, dict_n = 0;
	int last, id, type, ptype, l2, id2, t2, encoding;
	int64_t nv;

	fuzz_require(m->comp >= 0 && (uint64_t)m->comp <= footer - start,
	    "a column chunk past the footer", "chunk", 5);
	what_file = "page header";
	while (at < start + (size_t)m->comp) {
		r.p = f + at;
		r.end = f + start + (size_t)m->comp;
		last = 0;
		ptype = -1;
		csize = usize = 0;
		nv = 0;
		encoding = -1;
		while (rd_field(&r, &last, &id, &type)) {
			if (id == 1)
				ptype = (int)rd_int(&r, type);
			else if (id == 2)
				usize = (size_t)rd_int(&r, type);
			else if (id == 3)
				csize = (size_t)rd_int(&r, type);
			else if ((id == 5 || id == 7) && type == T_STRUCT) {
				l2 = 0;
				while (rd_field(&r, &l2, &id2, &t2))
					if (id2 == 1)
						nv = rd_int(&r, t2);
					else if (id2 == 2)
						encoding = (int)rd_int(&r, t2);
					else
						rd_skip(&r, t2, 2);
			} else
				rd_skip(&r, type, 1);
		}
		hdr = (size_t)(r.p - (f + at));
		fuzz_require(ptype == 0 || ptype == 2, "a page of another type",
		    "page", 4);
		fuzz_require(csize <= (size_t)(r.end - r.p),
		    "a page past its chunk",
		    "page", 4);
		fuzz_require(inflate_page(m->codec, r.p, csize, usize) == usize,
		    "a page that is not its size uncompressed", "page", 4);
		page.len = usize;
		fuzz_require(nv >= 0 && (ptype == 0 || (at == start &&
		    m->has_dict)),
		    "a dictionary page not first, or values below 0", "page",
		    4);
		check_body(m, ptype, encoding, (size_t)nv, dict_n, &nulls);
		if (ptype == 2)
			dict_n = (size_t)nv;
		if (ptype == 0)
			values += nv;
		unc += (int64_t)(hdr + usize);
		at += hdr + csize;
	}
	fuzz_require(at == start + (size_t)m->comp, "pages past their chunk",
	    "chunk", 5);
	fuzz_require(unc == m->unc, "uncompressed sizes do not add up", "chunk",
	    5);
	fuzz_require(values == m->num_values, "page values do not add up",
	    "chunk", 5);
	fuzz_require(m->nulls < 0 || m->nulls == nulls,
	    "statistics count other "
	    "nulls than the pages hold", "chunk", 5);
}

/* A ColumnChunk of a row group: its metadata, and its pages. */
static void
rd_chunk(struct rd *r, const uint8_t *f, size_t footer, struct colmeta *m,
    int width)
{
	int last = 0, id, type;

	memset(m, 0, sizeof(*m));
	m->width = width;
	while (rd_field(r, &last, &id, &type))
		if (id == 3 && type == T_STRUCT)
			rd_colmeta(r, m);
		else
			rd_skip(r, type, 2);
	fuzz_require(m->has_meta, "a column chunk without metadata", f, 0);
	fuzz_require(m->data_off >= 4 && (!m->has_dict || (m->dict_off >= 4 &&
	    m->dict_off < m->data_off)), "a chunk before PAR1", f, 0);
	check_pages(f, (size_t)(m->has_dict ? m->dict_off : m->data_off), m,
	    footer);
	what_file = "footer";
}

/* A RowGroup: a chunk per column, each a value per row. Its rows. */
static int64_t
rd_rowgroup(struct rd *r, const uint8_t *f, size_t footer, size_t ncols,
    const int *width)
{
	struct colmeta m;
	int64_t rows = -1, values = -1;
	size_t nch = 0, k;
	int last = 0, id, type, et, same = 1;

	while (rd_field(r, &last, &id, &type)) {
		if (id == 3) {
			rows = rd_int(r, type);
			continue;
		}
		if (id != 1 || type != T_LIST) {
			rd_skip(r, type, 1);
			continue;
		}
		nch = rd_list(r, &et);
		fuzz_require(nch == ncols,
		    "a row group without a chunk per column",
		    f, 0);
		for (k = 0; k < nch; k++) {
			rd_chunk(r, f, footer, &m, width[k]);
			if (k > 0 && m.num_values != values)
				same = 0;
			values = m.num_values;
		}
	}
	fuzz_require(nch == ncols, "a row group without a chunk per column", f,
	    0);
	fuzz_require(rows >= 0, "a row group without rows", f, 0);
	fuzz_require(nch == 0 || (same && values == rows),
	    "a column chunk without a value per row", f, 0);
	return rows;
}

static void
check_parquet(const uint8_t *f, size_t n, uint64_t rows)
{
	struct rd r;
	uint32_t flen;
	size_t footer, nschema = 0, ncols = 0, nrg, i;
	int64_t num_rows = -1, root_children = -1, sum = 0;
	int last, id, type, et, l2, id2, t2, *width = NULL;

	fuzz_require(n >= 12 && memcmp(f, "PAR1", 4) == 0 &&
	    memcmp(f + n - 4, "PAR1", 4) == 0, "no PAR1 at both ends", f, n);
	memcpy(&flen, f + n - 8, 4);
	fuzz_require(flen <= n - 12, "a footer longer than the file", f, n);
	footer = n - 8 - flen;
	what_file = "footer";
	r.p = f + footer;
	r.end = f + n - 8;
	last = 0;
	/* FileMetaData: 2 schema, 3 num_rows, 4 row_groups */
	while (rd_field(&r, &last, &id, &type)) {
		if (id == 2 && type == T_LIST) {
			nschema = rd_list(&r, &et);
			width = xcalloc(nschema + 1, sizeof(*width));
			for (i = 0; i < nschema; i++) {
				l2 = 0;
				while (rd_field(&r, &l2, &id2, &t2))
					if (i == 0 && id2 == 5)
						root_children = rd_int(&r, t2);
					else if (i > 0 && id2 == 2)
						width[i - 1] = (int)rd_int(&r,
						    t2);
					else
						rd_skip(&r, t2, 2);
			}
			ncols = nschema > 0 ? nschema - 1 : 0;
		} else if (id == 3)
			num_rows = rd_int(&r, type);
		else if (id == 4 && type == T_LIST) {
			nrg = rd_list(&r, &et);
			fuzz_require(width != NULL || nrg == 0, "row groups "
			    "before the schema", f, 0);
			for (i = 0; i < nrg; i++)
				sum += rd_rowgroup(&r, f, footer, ncols,
				    width);
		} else
			rd_skip(&r, type, 1);
	}
	fuzz_require(r.p == r.end, "bytes after the footer's struct", f, 0);
	fuzz_require(root_children >= 0 && (size_t)root_children == ncols,
	    "the root's children are not the columns", f, 0);
	fuzz_require(num_rows >= 0 && (uint64_t)num_rows == rows,
	    "the footer does not count the rows taken", f, 0);
	fuzz_require(sum == num_rows, "row groups do not add up", f, 0);
	fuzz_require(rows == 0 || ncols > 0, "rows without a column", f, 0);
	free(width);
}

/* ---------------------------------------------------------------------
 * CSV
 */

/* Read one RFC 4180 record at *pp: its number of fields. */
static size_t
csv_record(const char **pp, const char *end)
{
	const char *p = *pp;
	size_t fields = 1;

	for (;;) {
		if (p < end && *p == '"') {
			for (p++;; p++) {
				fuzz_require(p < end,
				    "a quoted field not closed",
				    *pp, (size_t)(end - *pp));
				if (*p != '"')
					continue;
				if (p + 1 < end && p[1] == '"') {
					p++;
					continue;
				}
				p++;
				break;
			}
		} else
			while (p < end && *p != ',' && *p != '\n' &&
			    *p != '"')
				p++;
		fuzz_require(p < end, "a record without its newline", *pp,
		    (size_t)(end - *pp));
		if (*p == '\n') {
			*pp = p + 1;
			return fields;
		}
		fuzz_require(*p == ',', "a quote inside an unquoted field", *pp,
		    (size_t)(end - *pp));
		p++;
		fields++;
	}
}

static void
check_csv(const char *p, size_t n, uint64_t rows)
{
	const char *end = p + n;
	size_t nf;
	uint64_t records = 0;

	if (n == 0)
		return;			/* no column: nothing written */
	nf = csv_record(&p, end);
	while (p < end) {
		fuzz_require(csv_record(&p, end) == nf,
		    "a record without a field "
		    "per column", p, (size_t)(end - p));
		records++;
	}
	fuzz_require(records == rows, "not a record per row taken", end - n, n);
}

/* ---------------------------------------------------------------------
 * Driving the writer as lake.c does
 */

/* Finish w, read its file back and check it. */
static void
finish(struct fw *w, int fd, enum fw_format fmt)
{
	off_t size;

	fuzz_require(fw_finish(w) == 0, "a file that could not be finished", "",
	    0);
	size = lseek(fd, 0, SEEK_END);
	buf_reset(&file);
	buf_grow(&file, (size_t)size + 1);
	fuzz_require(pread(fd, file.data, (size_t)size, 0) == size, "read back",
	    "", 0);
	file.len = (size_t)size;
	if (fmt == FW_CSV)
		check_csv(file.data, file.len, fw_rows(w));
	else
		check_parquet((const uint8_t *)file.data, file.len,
		    fw_rows(w));
}

/* Whether the row has a member the files keep: main.c refuses one that
 * has none (an empty object, or nothing but partition columns). */
static int
has_field(const struct fw_conf *c)
{
	int k;

	for (k = jscan_child(&doc, 0); k >= 0;
	    k = jscan_after(&doc, 0, k + 1))
		if (c->nomit == 0 || !jscan_str_eq(&doc, k, "p", 1))
			return 1;
	return 0;
}

static int
new_file(void)
{
	int fd = memfd_create("out", 0);

	if (fd < 0)
		abort();
	return fd;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum fw_codec codecs[] = { FW_ZSTD, FW_SNAPPY, FW_GZIP,
	    FW_NONE };
	static const uint64_t rg[] = { 0, 1, 2, 5 };
	static const char *const omit[] = { "p" };
	struct fw_conf c;
	struct schema declared, *s;
	struct fw *w;
	const char *p, *end, *nl, *why;
	char *err = NULL;
	size_t n;
	uint64_t before;
	uint8_t how;
	int fd, rc;

	if (size < 1)
		return 0;
	how = data[0];
	memset(&c, 0, sizeof(c));
	memset(&declared, 0, sizeof(declared));
	c.format = how & 1 ? FW_CSV : FW_PARQUET;
	c.codec = codecs[how >> 1 & 3];
	if (how & 8) {
		if (schema_parse(&declared, SCHEMA, &err) != 0)
			abort();
		c.declared = &declared;
	}
	c.rg_rows = rg[how >> 4 & 3];
	if (how & 64) {
		c.omit = omit;
		c.nomit = 1;
	}
	c.rg_bytes = how & 128 ? 1024 : 0;
	fd = new_file();
	w = fw_open(fd, &c, NULL);
	p = (const char *)data + 1;
	end = (const char *)data + size;
	for (; p < end; p += n + 1) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		/* what main.c refuses before a row gets here */
		if (jscan_parse(&doc, p, n) != 0 ||
		    jscan_type(&doc, 0) != J_OBJECT ||
		    jscan_member(&doc, 0, "__watermark", 11) >= 0 ||
		    !has_field(&c))
			continue;
		before = fw_rows(w);
		why = NULL;
		rc = fw_row(w, &doc, &why);
		if (rc == FW_MISFIT) {
			fuzz_require(fw_rows(w) == before, "a misfit taken", p,
			    n);
			s = fw_widen(w, &doc);
			finish(w, fd, c.format);
			fw_free(w);
			close(fd);
			fd = new_file();
			w = fw_open(fd, &c, s);
			schema_free(s);
			before = fw_rows(w);
			rc = fw_row(w, &doc, &why);
			fuzz_require(rc != FW_MISFIT,
			    "a misfit of its own widened "
			    "schema", p, n);
		}
		if (rc == FW_BAD) {
			fuzz_require(why != NULL && why[0] != '\0',
			    "bad without a reason", p, n);
			fuzz_require(fw_rows(w) == before, "a bad row taken", p,
			    n);
		} else
			fuzz_require(rc == FW_OK && fw_rows(w) == before + 1,
			    "a row not taken", p, n);
	}
	finish(w, fd, c.format);
	fw_free(w);
	close(fd);
	schema_free(&declared);
	return 0;
}
