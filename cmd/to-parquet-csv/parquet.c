/*
 * parquet.c: the fw_* entry points, the buffered output, and the Parquet
 * writer.
 *
 * Rows are buffered column by column for one row group, then written as
 * column chunks: an optional dictionary page, then data pages (v1) of about
 * 1 MiB, each [definition levels: u32 length + RLE/bit-packed hybrid]
 * [values: PLAIN, or a bit width byte + hybrid dictionary indices],
 * compressed as one block. The footer (FileMetaData, Thrift compact) holds
 * the schema, every row group's column chunk metadata with statistics, and
 * column_orders; then its length and "PAR1".
 *
 * The schema is inferred from the first row group: its values are kept in
 * a raw form (struct pcol: a kind byte, a parsed 64-bit payload, and the
 * token text only when the payload cannot rebuild the value) and converted
 * to the decided types, in place where the width allows, before it is
 * written. Later row groups take values only when they fit exactly
 * (val_fit), converting each once.
 *
 * A large row group's column chunks are encoded and compressed by a few
 * threads at once, each into its own memory, then written in column
 * order: the file is the same byte for byte as with one thread.
 */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE		/* mremap */
#endif
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "codec.h"
#include "diag.h"
#include "fwi.h"
#include "hmap.h"
#include "thrift.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "the Parquet writer assumes a little-endian host"
#endif

#ifndef CDC_VERSION
#define CDC_VERSION	"0.0.0"
#endif
#ifndef CDC_BUILD
#define CDC_BUILD	"release"
#endif
#define CREATED_BY	"cdc-pipes to-parquet-csv version " CDC_VERSION \
			" (build " CDC_BUILD ")"

#define OUT_BUFSIZE	(256 * 1024)
#define PAGE_BYTES	(1024 * 1024)	/* values per data page, about */
#define PAGE_MAXROWS	(1024 * 1024)
#define DICT_MAXBYTES	(1024 * 1024)	/* PLAIN size of a dictionary */
#define STAT_MAXLEN	64		/* longer strings get no min/max */
#define FLUSH_THREADS	4		/* encoding a row group, at most */
#define FLUSH_PARALLEL	((uint64_t)8 << 20)	/* from this many bytes */
#define VEC_SMALL	((size_t)1 << 20)
#define VEC_HUGE	((size_t)2 << 20)

/* parquet.thrift enums */
enum { PT_BOOLEAN = 0, PT_INT32 = 1, PT_INT64 = 2, PT_DOUBLE = 5,
	PT_BYTE_ARRAY = 6, PT_FLBA = 7 };
enum { ENC_PLAIN = 0, ENC_RLE = 3, ENC_RLE_DICTIONARY = 8 };
enum { PAGE_DATA = 0, PAGE_DICTIONARY = 2 };
enum { CT_UTF8 = 0, CT_DECIMAL = 5, CT_DATE = 6, CT_TIMESTAMP_MICROS = 10,
	CT_INT_64 = 18, CT_JSON = 19 };

/* Kind byte of a raw value: the vkind, or KB_DEC + scale for a decimal
 * whose payload is its coefficient, KB_TSZ + digits for a timestamp that
 * ts_canon rebuilds; KB_TEXT when the token text follows in pcol.text;
 * KB_ESC for a string with escapes. */
#define KB_DEC		32		/* + scale 0-18 */
#define KB_TSZ		52		/* + digits 0-9 (ts_canon) */
#define KB_KIND		0x3f
#define KB_TEXT		0x40
#define KB_ESC		0x80

/*
 * A growable array of bytes for the columns of a row group. Beyond 1 MiB
 * it lives in its own mapping, grown with mremap (no copy) and marked for
 * transparent huge pages: first touching tens of megabytes in 4 KiB pages
 * costs more in page faults than filling them.
 */
struct vec {
	char		*p;
	size_t		 len;		/* bytes used */
	size_t		 cap;		/* bytes allocated */
};

struct pcol {
	struct vec	 def;		/* per row: 1 value, 0 null */
	size_t		 nval;		/* values (rows not null) */
	int		 raw;		/* type not decided: kind/pay/text */
	int		 width;		/* fixed-width bytes, 0: byte array */
	/* typed */
	struct vec	 val;		/* fixed-width values or bytes */
	struct vec	 off;		/* byte arrays: u32 end of each value */
	/* raw */
	struct vec	 kind;		/* a kind byte per value */
	struct vec	 pay;		/* an int64_t per value */
	struct vec	 text;		/* token texts */
	struct vec	 tend;		/* u32 end of each text */
	size_t		 ntext;
};

/* A dictionary under construction: distinct values in first-seen order. */
struct dict {
	uint32_t	*slot;		/* hash slot -> entry + 1 */
	size_t		 nslot;
	uint64_t	*hash;		/* per entry */
	size_t		 n;
	size_t		 hcap;
	struct buf	 val;		/* PLAIN page body of the entries */
	uint32_t	*ent;		/* byte arrays: entry start in val */
	size_t		 entcap;
};

/* What one thread needs to encode column chunks. */
struct enc {
	struct codec	*codec;
	struct buf	 page;		/* a page body */
	struct buf	 cpage;		/* compressed */
	struct buf	 hdr;
	struct buf	 scratch;
	uint32_t	*idx;		/* dictionary indices */
	size_t		 idxcap;
	uint32_t	*lvl;		/* definition levels of a page */
	size_t		 lvlcap;
	struct dict	 dict;
};

/* What encode_chunk gathers for the ColumnMetaData; offsets from the
 * chunk's start until it is written. */
struct chunk {
	int		 ptype;
	int		 dict;
	uint64_t	 unc;
	uint64_t	 comp;
	uint64_t	 data_off;
	uint64_t	 dict_off;
	uint64_t	 nnull;
	int		 has_minmax;
	size_t		 minlen;
	size_t		 maxlen;
	unsigned char	 min[STAT_MAXLEN];
	unsigned char	 max[STAT_MAXLEN];
};

struct pq {
	struct pcol	*col;
	size_t		 ncol;
	size_t		 colcap;
	size_t		 defcap;	/* rows every pcol.def has room for */
	int		 started;	/* "PAR1" written */
	uint64_t	 nrg;
	uint64_t	 nrows;		/* rows in row groups written */
	uint64_t	 unc;		/* bytes written, uncompressed */
	uint64_t	 comp;		/* and as written */
	struct buf	 rgs;		/* the RowGroup structs so far */
	struct buf	 chunks;	/* ColumnChunk structs of a row group */
	struct buf	 scratch;	/* the main thread's */
	struct enc	 enc[FLUSH_THREADS];	/* one per encoding thread */
	/* A row group being written: each column's chunk and its bytes. */
	struct chunk	*ch;
	struct vec	*cout;
	size_t		 chcap;
};

static void	 vec_reserve(struct vec *, size_t);
static void	 vec_free(struct vec *);
static void	*grow(void *, size_t *, size_t, size_t);
static int	 col_width(const struct column *);
static int	 col_ptype(const struct column *);
static void	 pq_addcol(struct fw *);
static void	 pcol_free(struct pcol *);
static void	 enc_free(struct enc *);
static int	 pq_row(struct fw *, const struct jdoc *, const char **);
static void	 put_typed(struct fw *, size_t, const struct jdoc *, int,
		    const union tval *);
static void	 put_raw(struct fw *, size_t, const struct jdoc *, int);
static void	 pq_decide(struct fw *);
static void	 pq_convert(struct fw *, struct enc *, size_t);
static int	 pq_flush(struct fw *);
static int	 pq_finish(struct fw *);
static void	 encode_chunk(struct fw *, struct enc *, size_t, struct vec *);
static void	 write_page(struct enc *, struct vec *, int, const void *,
		    size_t, uint32_t, int, struct chunk *);
static void	 chunk_stats(const struct column *, const struct pcol *,
		    const struct dict *, int, struct chunk *);
static int	 dict_build(struct enc *, const struct pcol *, int, size_t);
static void	 hybrid(struct buf *, const uint32_t *, size_t, int);
static void	 put_u32(struct buf *, uint32_t);
static void	 encode_chunk_meta(struct fw *, size_t, const struct chunk *);
static void	 encode_leaf(struct tw *, const struct column *);
static int	 be_cmp(const void *, const void *, size_t);

/* ---- Small helpers ---- */

/* Make room for need elements of size sz in *p (capacity *cap). */
static void *
grow(void *p, size_t *cap, size_t need, size_t sz)
{
	size_t c = *cap;

	if (need <= c)
		return p;
	c = c ? c : 64;
	while (c < need)
		c *= 2;
	*cap = c;
	return xrealloc(p, c * sz);
}

/* Room for need bytes in v. */
static void
vec_reserve(struct vec *v, size_t need)
{
	size_t cap;

	if (need <= v->cap)
		return;
	for (cap = v->cap ? v->cap : 256; cap < need; cap *= 2)
		;
#if defined(__linux__) && defined(MREMAP_MAYMOVE)
	if (cap > VEC_SMALL) {
		void *np;

		cap = (cap + VEC_HUGE - 1) & ~(VEC_HUGE - 1);
		if (v->cap > VEC_SMALL)
			np = mremap(v->p, v->cap, cap, MREMAP_MAYMOVE);
		else {
			np = mmap(NULL, cap, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
			if (np != MAP_FAILED) {
				if (v->len > 0)
					memcpy(np, v->p, v->len);
				free(v->p);
			}
		}
		if (np == MAP_FAILED)
			diag_errx(EXIT_DATA, "out of memory");
#ifdef MADV_HUGEPAGE
		(void)madvise(np, cap, MADV_HUGEPAGE);
#endif
		v->p = np;
		v->cap = cap;
		return;
	}
#endif
	v->p = xrealloc(v->p, cap);
	v->cap = cap;
}

static void
vec_free(struct vec *v)
{
#if defined(__linux__) && defined(MREMAP_MAYMOVE)
	if (v->cap > VEC_SMALL) {
		munmap(v->p, v->cap);
		v->p = NULL;
	}
#endif
	free(v->p);
	v->p = NULL;
	v->len = v->cap = 0;
}

/* Append p[0..n). A vector appended to has a buffer, even when every
 * piece was empty: the readers of v->p (dictionary, statistics) may give
 * it to memcmp and memcpy, which must not see NULL. */
static inline void
vec_append(struct vec *v, const void *p, size_t n)
{
	if (v->cap - v->len < n || v->p == NULL)
		vec_reserve(v, v->len + (n > 0 ? n : 1));
	if (n > 0)
		memcpy(v->p + v->len, p, n);
	v->len += n;
}

static void
put_u32(struct buf *b, uint32_t v)
{
	buf_append(b, &v, 4);
}

static int
col_width(const struct column *c)
{
	switch (c->type) {
	case COL_BOOL:
		return 1;
	case COL_DATE:
		return 4;
	case COL_INT64:
	case COL_TIMESTAMP:
	case COL_DOUBLE:
		return 8;
	case COL_DECIMAL:
		/* in memory: int64, __int128, or the file's big-endian bytes */
		return c->precision <= DEC_PRECISION_INT64 ? 8 :
		    c->precision <= DEC_PRECISION_128 ? 16 :
		    dec_flba_len(c->precision);
	case COL_STRING:
	case COL_JSON:
	case COL_NUMTEXT:
		break;
	}
	return 0;
}

static int
col_ptype(const struct column *c)
{
	switch (c->type) {
	case COL_BOOL:
		return PT_BOOLEAN;
	case COL_DATE:
		return PT_INT32;
	case COL_INT64:
	case COL_TIMESTAMP:
		return PT_INT64;
	case COL_DOUBLE:
		return PT_DOUBLE;
	case COL_DECIMAL:
		return c->precision <= DEC_PRECISION_INT64 ? PT_INT64 : PT_FLBA;
	case COL_STRING:
	case COL_JSON:
	case COL_NUMTEXT:
		break;
	}
	return PT_BYTE_ARRAY;
}

/* ---- Buffered output ---- */

int
out_flush(struct out *o)
{
	size_t done = 0;
	ssize_t r;

	if (o->err != 0) {
		errno = o->err;
		return -1;
	}
	while (done < o->len) {
		r = write(o->fd, o->buf + done, o->len - done);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			o->err = errno;
			return -1;
		}
		done += (size_t)r;
	}
	o->len = 0;
	return 0;
}

int
out_write(struct out *o, const void *p, size_t n)
{
	const char *s = p;
	ssize_t r;

	if (o->err != 0) {
		errno = o->err;
		return -1;
	}
	o->off += n;
	if (o->len + n <= o->cap) {
		memcpy(o->buf + o->len, p, n);
		o->len += n;
		return 0;
	}
	if (out_flush(o) != 0)
		return -1;
	if (n < o->cap) {
		memcpy(o->buf, p, n);
		o->len = n;
		return 0;
	}
	while (n > 0) {
		r = write(o->fd, s, n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			o->err = errno;
			return -1;
		}
		s += r;
		n -= (size_t)r;
	}
	return 0;
}

void
fw_die(struct fw *w)
{
	errno = w->out.err ? w->out.err : EIO;
	diag_err(EXIT_DATA, "could not write %s file",
	    w->fmt == FW_CSV ? "CSV" : "Parquet");
}

/* ---- The API ---- */

void
fw_vals_room(struct fw *w)
{
	w->vals = grow(w->vals, &w->valscap, w->map.n, sizeof(*w->vals));
}

struct fw *
fw_open(int fd, const struct fw_conf *c, const struct schema *start)
{
	struct fw *w = xcalloc(1, sizeof(*w));
	size_t i;

	w->fmt = c->format;
	w->conf = *c;
	if (w->conf.rg_rows == 0)
		w->conf.rg_rows = 1048576;
	if (w->conf.rg_bytes == 0)
		w->conf.rg_bytes = (uint64_t)128 << 20;
	w->out.fd = fd;
	w->out.cap = OUT_BUFSIZE;
	w->out.buf = xmalloc(w->out.cap);
	rowmap_init(&w->map, &w->conf, start);
	fw_vals_room(w);
	if (w->fmt == FW_CSV) {
		csv_open(w);
		return w;
	}
	w->pq = xcalloc(1, sizeof(*w->pq));
	for (i = 0; i < w->map.n; i++)
		pq_addcol(w);
	return w;
}

int
fw_row(struct fw *w, const struct jdoc *d, const char **why)
{
	static const char *not_object = "not a JSON object";

	if (jscan_type(d, 0) != J_OBJECT) {
		*why = not_object;
		return FW_BAD;
	}
	if (w->fmt == FW_CSV)
		return csv_row(w, d, why);
	return pq_row(w, d, why);
}

struct schema *
fw_widen(const struct fw *w, const struct jdoc *d)
{
	return rowmap_widen(&w->map, d, w->fmt == FW_PARQUET && w->fixed);
}

int
fw_finish(struct fw *w)
{
	if (w->fmt == FW_CSV)
		return csv_finish(w);
	return pq_finish(w);
}

void
fw_free(struct fw *w)
{
	size_t i;
	struct pq *q;

	if (w == NULL)
		return;
	if (w->fmt == FW_CSV)
		csv_free(w);
	if ((q = w->pq) != NULL) {
		for (i = 0; i < q->ncol; i++)
			pcol_free(&q->col[i]);
		free(q->col);
		for (i = 0; i < FLUSH_THREADS; i++)
			enc_free(&q->enc[i]);
		for (i = 0; i < q->chcap; i++)
			vec_free(&q->cout[i]);
		free(q->cout);
		free(q->ch);
		buf_free(&q->rgs);
		buf_free(&q->chunks);
		buf_free(&q->scratch);
		free(q);
	}
	rowmap_free(&w->map);
	free(w->vals);
	free(w->out.buf);
	free(w);
}

uint64_t
fw_rows(const struct fw *w)
{
	return w->rows;
}

uint64_t
fw_bytes(const struct fw *w)
{
	const struct pq *q = w->pq;
	double ratio = 1;

	/* Buffered bytes shrink as the row groups written so far did. */
	if (q != NULL && q->unc > 0)
		ratio = (double)q->comp / (double)q->unc;
	return w->out.off + (uint64_t)((double)w->rg_bytes * ratio);
}

static void
enc_free(struct enc *e)
{
	codec_free(e->codec);
	buf_free(&e->page);
	buf_free(&e->cpage);
	buf_free(&e->hdr);
	buf_free(&e->scratch);
	free(e->idx);
	free(e->lvl);
	free(e->dict.slot);
	free(e->dict.hash);
	free(e->dict.ent);
	buf_free(&e->dict.val);
}

/* ---- Buffering rows ---- */

static void
pcol_free(struct pcol *p)
{
	vec_free(&p->def);
	vec_free(&p->val);
	vec_free(&p->off);
	vec_free(&p->kind);
	vec_free(&p->pay);
	vec_free(&p->text);
	vec_free(&p->tend);
}

/* Room for one more row in every column's definition levels. */
static inline void
def_room(struct fw *w)
{
	struct pq *q = w->pq;
	size_t i;

	if (w->rg_rows < q->defcap)
		return;
	q->defcap = q->defcap ? 2 * q->defcap : 1024;
	for (i = 0; i < q->ncol; i++)
		vec_reserve(&q->col[i].def, q->defcap);
}

/* A new column (the last of w->map) with the rows so far null. */
static void
pq_addcol(struct fw *w)
{
	struct pq *q = w->pq;
	struct pcol *p;
	const struct fcol *f = &w->map.col[q->ncol];

	q->col = grow(q->col, &q->colcap, q->ncol + 1, sizeof(*q->col));
	p = &q->col[q->ncol++];
	memset(p, 0, sizeof(*p));
	p->raw = !w->fixed && !f->c.declared;
	p->width = col_width(&f->c);
	if (q->defcap == 0)
		q->defcap = 1024;
	vec_reserve(&p->def, q->defcap);
	memset(p->def.p, 0, w->rg_rows);
	w->rg_bytes += w->rg_rows;
}

static inline void
put_null(struct fw *w, size_t ci)
{
	w->pq->col[ci].def.p[w->rg_rows] = 0;
	w->rg_bytes++;
}

static void
too_big(const struct column *c)
{
	diag_errx(EXIT_DATA, "column \"%s\": more than 4 GB in one row group",
	    c->name);
}

/* A value of a typed column: v for fixed width, token t for bytes. */
static void
put_typed(struct fw *w, size_t ci, const struct jdoc *d, int t,
    const union tval *v)
{
	struct pcol *p = &w->pq->col[ci];
	const struct column *c = &w->map.col[ci].c;
	size_t before = p->val.len;
	const char *s;
	size_t n;
	uint32_t end;
	int32_t d32;
	uint8_t b;

	p->def.p[w->rg_rows] = 1;
	switch (p->width > 16 ? 32 : p->width) {
	case 32:
		vec_append(&p->val, v->be, (size_t)p->width);
		break;
	case 1:
		b = (uint8_t)v->i;
		vec_append(&p->val, &b, 1);
		break;
	case 4:
		d32 = (int32_t)v->i;
		vec_append(&p->val, &d32, 4);
		break;
	case 8:
		if (c->type == COL_DOUBLE)
			vec_append(&p->val, &v->d, 8);
		else
			vec_append(&p->val, &v->i, 8);
		break;
	case 16:
		vec_append(&p->val, &v->q, 16);
		break;
	default:
		if (c->type == COL_STRING)
			jscan_str(d, t, &w->pq->scratch, &s, &n);
		else
			s = jscan_raw(d, t, &n);
		vec_append(&p->val, s, n);
		if (p->val.len > UINT32_MAX)
			too_big(c);
		end = (uint32_t)p->val.len;
		vec_append(&p->off, &end, 4);
		w->rg_bytes += 4;
		break;
	}
	p->nval++;
	w->rg_bytes += 1 + p->val.len - before;
}

/* A value of a column whose type is not decided yet. */
static void
put_raw(struct fw *w, size_t ci, const struct jdoc *d, int t)
{
	struct pcol *p = &w->pq->col[ci];
	struct fcol *f = &w->map.col[ci];
	struct vinfo v;
	unsigned kb;
	uint32_t end;

	val_classify(d, t, &v, &w->map.scratch);
	summ_add(&f->sm, &v);
	p->def.p[w->rg_rows] = 1;
	if (p->kind.len == p->kind.cap) {
		/* One spare payload: converted in place, the payloads become
		 * the value vector. */
		vec_reserve(&p->kind, p->kind.len + 1);
		vec_reserve(&p->pay, (p->kind.cap + 1) * sizeof(int64_t));
	}
	kb = (unsigned)v.kind;
	if (v.kind == VK_DEC && v.pay_ok)
		kb = KB_DEC + (unsigned)v.scale;
	else if (v.kind == VK_TS && !v.text)
		kb = KB_TSZ + (unsigned)v.scale;
	if (v.text) {
		kb |= KB_TEXT;
		vec_append(&p->text, d->text + d->tok[t].start, d->tok[t].len);
		if (p->text.len > UINT32_MAX)
			too_big(&f->c);
		end = (uint32_t)p->text.len;
		vec_append(&p->tend, &end, 4);
		p->ntext++;
		w->rg_bytes += d->tok[t].len + 4;
	}
	if (v.esc)
		kb |= KB_ESC;
	p->kind.p[p->nval] = (char)kb;
	((int64_t *)(void *)p->pay.p)[p->nval] = v.pay;
	p->kind.len++;
	p->pay.len += sizeof(int64_t);
	p->nval++;
	w->rg_bytes += 10;
}

static int
pq_row(struct fw *w, const struct jdoc *d, const char **why)
{
	struct rowmap *m = &w->map;
	size_t i;
	int t;

	rowmap_gather(m, d);
	fw_vals_room(w);
	if (rowmap_check_declared(m, d, w->vals, why) != FW_OK)
		return FW_BAD;
	if (w->fixed) {
		for (i = 0; i < m->nnw; i++)
			if (d->tok[m->nw[i].val].type != J_NULL)
				return FW_MISFIT;
		for (i = 0; i < m->n; i++) {
			t = m->tok[i];
			if (t < 0 || m->col[i].c.declared ||
			    d->tok[t].type == J_NULL)
				continue;
			if (!val_fit(&m->col[i].c, d, t, &w->vals[i],
			    &m->scratch))
				return FW_MISFIT;
		}
	} else {
		for (i = 0; i < m->nnw; i++) {
			size_t ci = rowmap_add(m, m->nbuf.data + m->nw[i].off,
			    m->nw[i].len);

			m->tok[ci] = m->nw[i].val;
			pq_addcol(w);
		}
		fw_vals_room(w);
	}
	def_room(w);
	for (i = 0; i < m->n; i++) {
		t = m->tok[i];
		if (t < 0 || d->tok[t].type == J_NULL)
			put_null(w, i);
		else if (w->pq->col[i].raw)
			put_raw(w, i, d, t);
		else
			put_typed(w, i, d, t, &w->vals[i]);
	}
	w->rg_rows++;
	w->rows++;
	if (w->rg_rows >= w->conf.rg_rows || w->rg_bytes >= w->conf.rg_bytes)
		if (pq_flush(w) != 0)
			fw_die(w);
	return FW_OK;
}

/* ---- The first row group: decide the types, convert the values ---- */

/* The types of the columns, from their summaries; the values are
 * converted by pq_convert, column by column. */
static void
pq_decide(struct fw *w)
{
	size_t i;

	for (i = 0; i < w->map.n; i++) {
		struct fcol *f = &w->map.col[i];

		if (!f->c.declared)
			summ_decide(&f->sm, &f->c);
		w->pq->col[i].width = col_width(&f->c);
	}
	w->fixed = 1;
}

/*
 * The text of a raw value that kept no token text: for a JSON column its
 * JSON text (strings quoted), for a STRING column the string.
 */
static void
regen(struct vec *b, unsigned kb, int64_t pay, int quoted)
{
	char tmp[64];
	unsigned k = kb & KB_KIND;
	uint64_t u;
	size_t n;
	int s;

	if (k == VK_TRUE || k == VK_FALSE) {
		vec_append(b, k == VK_TRUE ? "true" : "false",
		    k == VK_TRUE ? 4 : 5);
		return;
	}
	if (k == VK_INT) {
		n = (size_t)snprintf(tmp, sizeof(tmp), "%lld", (long long)pay);
		vec_append(b, tmp, n);
		return;
	}
	if (k == VK_DATE || k >= KB_TSZ) {
		if (k == VK_DATE) {
			ts_canon(tmp + 1, pay * INT64_C(86400000000), 0);
			n = 10;
		} else
			n = ts_canon(tmp + 1, pay, (int)(k - KB_TSZ));
		if (quoted) {
			tmp[0] = tmp[n + 1] = '"';
			vec_append(b, tmp, n + 2);
		} else
			vec_append(b, tmp + 1, n);
		return;
	}
	/* A decimal coefficient with scale s. */
	s = (int)k - KB_DEC;
	u = pay < 0 ? (uint64_t)0 - (uint64_t)pay : (uint64_t)pay;
	n = (size_t)snprintf(tmp, sizeof(tmp), "%s%llu", pay < 0 ? "-" : "",
	    (unsigned long long)(u / (uint64_t)pow10_i64[s]));
	if (s > 0)
		n += (size_t)snprintf(tmp + n, sizeof(tmp) - n, ".%0*llu", s,
		    (unsigned long long)(u % (uint64_t)pow10_i64[s]));
	vec_append(b, tmp, n);
}

/* Unescape the JSON string token text tx[0..n) (quotes included). */
static void
unescape_into(struct vec *v, struct buf *tmp, const char *tx, size_t n)
{
	struct jtok tok = { 0, (uint32_t)n, 1, J_STRING, JT_ESCAPED, 0 };
	struct jdoc one = JDOC_INIT;

	one.text = tx;
	one.len = n;
	one.tok = &tok;
	one.ntok = 1;
	buf_reset(tmp);
	jscan_str_append(&one, 0, tmp);
	vec_append(v, tmp->data, tmp->len);
}

/* A string or JSON column from raw values: new value and offset vectors. */
static void
convert_bytes(struct enc *e, struct pcol *p, const struct column *c)
{
	const uint32_t *tend = (const uint32_t *)(void *)p->tend.p;
	const int64_t *pay = (const int64_t *)(void *)p->pay.p;
	uint32_t ts = 0, te, end;
	size_t i, ti = 0;

	vec_reserve(&p->val, p->text.len + 8 * (p->nval - p->ntext) + 1);
	vec_reserve(&p->off, 4 * p->nval + 4);
	for (i = 0; i < p->nval; i++) {
		unsigned kb = (unsigned char)p->kind.p[i];

		if (kb & KB_TEXT) {
			te = tend[ti++];
			if (c->type == COL_JSON || c->type == COL_NUMTEXT)
				vec_append(&p->val, p->text.p + ts, te - ts);
			else if (kb & KB_ESC)
				unescape_into(&p->val, &e->scratch,
				    p->text.p + ts, te - ts);
			else
				vec_append(&p->val, p->text.p + ts + 1,
				    te - ts - 2);
			ts = te;
		} else
			regen(&p->val, kb, pay[i], c->type == COL_JSON);
		if (p->val.len > UINT32_MAX)
			too_big(c);
		end = (uint32_t)p->val.len;
		vec_append(&p->off, &end, 4);
	}
}

static void
conv_fail(const struct column *c)
{
	diag_errx(EXIT_DATA, "internal error: column \"%s\": a value does not "
	    "convert to its inferred type", c->name);
}

/*
 * The raw values of column ci as its decided type. Fixed-width values are
 * converted in place in the payload vector (each is read before anything
 * is written over it), which then becomes the value vector.
 */
static void
pq_convert(struct fw *w, struct enc *e, size_t ci)
{
	struct pcol *p = &w->pq->col[ci];
	const struct column *c = &w->map.col[ci].c;
	int64_t *pay = (int64_t *)(void *)p->pay.p;
	const uint32_t *tend = (const uint32_t *)(void *)p->tend.p;
	const char *tx;
	size_t i, n = p->nval, ti = 0, tl, width = (size_t)col_width(c);
	uint32_t ts = 0, te = 0;
	__int128 q;
	int nd;

	vec_free(&p->val);
	vec_free(&p->off);
	if (c->type == COL_STRING || c->type == COL_JSON ||
	    c->type == COL_NUMTEXT)
		convert_bytes(e, p, c);
	else if (width > 16) {
		/* DECIMAL beyond 38 digits: the file's bytes */
		vec_reserve(&p->val, width * n + 1);
		for (i = 0; i < n; i++) {
			unsigned kb = (unsigned char)p->kind.p[i];
			unsigned k = kb & KB_KIND;
			unsigned char be[DEC_FLBA_MAX];

			if (kb & KB_TEXT)
				te = tend[ti++];
			if (k == VK_INT || k >= KB_DEC) {
				if (pay_scaled_be(pay[i], k == VK_INT ? 0 :
				    (int)k - KB_DEC, c->scale, be,
				    (int)width) != 0)
					conv_fail(c);
			} else if (num_scaled_be(p->text.p + ts, te - ts,
			    c->scale, be, (int)width, &nd) != 0)
				conv_fail(c);
			vec_append(&p->val, be, width);
			ts = te;
		}
	} else if (width == 16) {
		vec_reserve(&p->val, 16 * n + 1);
		for (i = 0; i < n; i++) {
			unsigned kb = (unsigned char)p->kind.p[i];
			unsigned k = kb & KB_KIND;

			if (kb & KB_TEXT)
				te = tend[ti++];
			if (k == VK_INT || k >= KB_DEC) {
				int s = c->scale - (k == VK_INT ? 0 :
				    (int)k - KB_DEC);

				for (q = pay[i]; s > 0; s--)
					q *= 10;
			} else if (num_scaled(p->text.p + ts, te - ts, c->scale,
			    &q, &nd) != 0)
				conv_fail(c);
			vec_append(&p->val, &q, 16);
			ts = te;
		}
	} else {
		uint8_t *o1 = (uint8_t *)pay;
		int32_t *o4 = (int32_t *)(void *)pay;
		double *od = (double *)(void *)pay;

		for (i = 0; i < n; i++) {
			unsigned kb = (unsigned char)p->kind.p[i];
			unsigned k = kb & KB_KIND;
			int64_t x = pay[i];

			if (kb & KB_TEXT) {
				te = tend[ti++];
				tx = p->text.p + ts;
				tl = te - ts;
				ts = te;
				if (c->type == COL_DOUBLE && k != VK_EXP) {
					if (num_double(tx, tl, k == VK_INT,
					    &od[i]) != 0)
						conv_fail(c);
					continue;
				}
				if (c->type == COL_DECIMAL && k != VK_INT &&
				    k < KB_DEC) {
					if (num_scaled(tx, tl, c->scale, &q,
					    &nd) != 0)
						conv_fail(c);
					pay[i] = (int64_t)q;
					continue;
				}
			}
			switch (c->type) {
			case COL_BOOL:
				o1[i] = (uint8_t)x;
				break;
			case COL_DATE:
				if (k == VK_INF)
					x = x > 0 ? PQ_DATE_INF : PQ_DATE_NINF;
				o4[i] = (int32_t)x;
				break;
			case COL_TIMESTAMP:
				if (k == VK_INF)
					pay[i] = x > 0 ? PQ_TS_INF : PQ_TS_NINF;
				break;
			case COL_DOUBLE:
				if (k == VK_INT)
					od[i] = (double)x;
				else if (k >= KB_DEC)
					od[i] = (double)x /
					    (double)pow10_i64[k - KB_DEC];
				break;
			case COL_DECIMAL:
				pay[i] = x * pow10_i64[c->scale -
				    (k == VK_INT ? 0 : (int)k - KB_DEC)];
				break;
			default:
				break;
			}
		}
		/* The payloads are the values now. */
		p->val = p->pay;
		p->val.len = n * width;
		memset(&p->pay, 0, sizeof(p->pay));
	}
	vec_free(&p->kind);
	vec_free(&p->pay);
	vec_free(&p->text);
	vec_free(&p->tend);
	p->ntext = 0;
	p->raw = 0;
}

/* ---- Encodings ---- */

/*
 * The RLE/bit-packed hybrid of Encodings.md: a run of 8 or more equal
 * values is an RLE run (varint count << 1, then the value in
 * ceil(bw / 8) bytes); anything else goes into bit-packed runs of groups of
 * 8 values (varint groups << 1 | 1, then bw bytes a group, LSB first), the
 * last group padded with zeros.
 */
static void
hybrid(struct buf *b, const uint32_t *v, size_t n, int bw)
{
	size_t i = 0, j, start, end, k;
	int vb = (bw + 7) / 8;

	while (i < n) {
		for (j = i + 1; j < n && v[j] == v[i]; j++)
			;
		if (j - i >= 8) {
			uint32_t x = v[i];

			tw_varint(b, (uint64_t)(j - i) << 1);
			for (k = 0; k < (size_t)vb; k++, x >>= 8)
				buf_putc(b, (char)(x & 0xff));
			i = j;
			continue;
		}
		start = i;
		for (;;) {
			i += 8;
			if (i >= n)
				break;
			for (j = i + 1; j < n && j < i + 8 && v[j] == v[i]; j++)
				;
			if (j - i >= 8)
				break;
		}
		end = i < n ? i : n;
		tw_varint(b, (uint64_t)((i - start) / 8) << 1 | 1);
		buf_grow(b, (i - start) / 8 * (size_t)bw + 8);
		{
			unsigned char *o = (unsigned char *)b->data + b->len;
			uint64_t acc = 0;
			int nb = 0;

			for (k = start; k < i; k++) {
				acc |= (uint64_t)(k < end ? v[k] : 0) << nb;
				nb += bw;
				while (nb >= 8) {
					*o++ = (unsigned char)acc;
					acc >>= 8;
					nb -= 8;
				}
			}
			b->len = (size_t)((char *)o - b->data);
			b->data[b->len] = '\0';
		}
		i = end;
	}
}

static int
bit_width(size_t n)
{
	int bw = 0;

	while (n > 0) {
		bw++;
		n >>= 1;
	}
	return bw;
}

static uint64_t
hash_fixed(const void *p, int width)
{
	uint64_t a = 0, b = 0;

	memcpy(&a, p, width < 8 ? (size_t)width : 8);
	if (width == 16)
		memcpy(&b, (const char *)p + 8, 8);
	a = (a ^ (b * 0xC2B2AE3D27D4EB4FULL)) * 0x9E3779B97F4A7C15ULL;
	return a ^ (a >> 29);
}

/*
 * Dictionary-encode the values of p: q->dict gets the distinct values in
 * first-seen order as a PLAIN page body, q->idx the index of every value.
 * Gives up (returns 0) once the dictionary would pass maxent entries or
 * DICT_MAXBYTES bytes.
 */
static int
dict_build(struct enc *en, const struct pcol *p, int width, size_t maxent)
{
	struct dict *dc = &en->dict;
	const uint32_t *off = (const uint32_t *)(void *)p->off.p;
	size_t i, nslot, mask, s, len, start;
	const char *v;
	uint64_t h;
	uint32_t e;

	for (nslot = 1024; nslot < 2 * maxent; nslot *= 2)
		;
	if (dc->nslot < nslot) {
		free(dc->slot);
		dc->slot = xmalloc(nslot * sizeof(*dc->slot));
		dc->nslot = nslot;
	}
	mask = nslot - 1;
	memset(dc->slot, 0, nslot * sizeof(*dc->slot));
	dc->n = 0;
	buf_reset(&dc->val);
	en->idx = grow(en->idx, &en->idxcap, p->nval, sizeof(*en->idx));
	for (i = 0; i < p->nval; i++) {
		if (width > 0) {
			v = p->val.p + i * (size_t)width;
			len = (size_t)width;
			h = hash_fixed(v, width);
		} else {
			start = i > 0 ? off[i - 1] : 0;
			v = p->val.p + start;
			len = off[i] - start;
			h = hmap_hash(v, len);
		}
		for (s = h & mask; (e = dc->slot[s]) != 0; s = (s + 1) & mask) {
			e--;
			if (dc->hash[e] != h)
				continue;
			if (width > 0) {
				if (memcmp(dc->val.data + (size_t)e * len, v,
				    len) == 0)
					break;
			} else {
				uint32_t el;

				memcpy(&el, dc->val.data + dc->ent[e], 4);
				if (el == len && memcmp(dc->val.data +
				    dc->ent[e] + 4, v, len) == 0)
					break;
			}
		}
		if (dc->slot[s] == 0) {
			if (dc->n >= maxent || dc->val.len + len + 4 >
			    DICT_MAXBYTES)
				return 0;
			dc->hash = grow(dc->hash, &dc->hcap, dc->n + 1,
			    sizeof(*dc->hash));
			dc->hash[dc->n] = h;
			if (width == 0) {
				dc->ent = grow(dc->ent, &dc->entcap, dc->n + 1,
				    sizeof(*dc->ent));
				dc->ent[dc->n] = (uint32_t)dc->val.len;
				put_u32(&dc->val, (uint32_t)len);
			}
			buf_append(&dc->val, v, len);
			e = (uint32_t)dc->n++;
			dc->slot[s] = e + 1;
		}
		en->idx[i] = e;
		/* Nearly every value distinct so far: give up early. */
		if (i == 65535 && dc->n > 62000)
			return 0;
	}
	return 1;
}

/* ---- Statistics ---- */

static void
stat_set(unsigned char *dst, size_t *dlen, const void *src, size_t n)
{
	memcpy(dst, src, n);
	*dlen = n;
}

/* Big-endian two's complement, as FIXED_LEN_BYTE_ARRAY decimals are. */
static void
be128(unsigned char *o, __int128 q)
{
	unsigned __int128 u = (unsigned __int128)q;
	int i;

	for (i = 15; i >= 0; i--, u >>= 8)
		o[i] = (unsigned char)u;
}

/* <0, 0, >0 as the signed big-endian integers a and b (n bytes) order. */
static int
be_cmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	if ((x[0] ^ y[0]) & 0x80)
		return (x[0] & 0x80) ? -1 : 1;
	return memcmp(x, y, n);
}

/* Min and max of the byte-array values, unsigned bytewise; over the
 * distinct values when there is a dictionary. */
static void
stats_bytes(const struct pcol *p, const struct dict *dc, int use_dict,
    struct chunk *ch)
{
	const uint32_t *off = (const uint32_t *)(void *)p->off.p;
	const char *lo = NULL, *hi = NULL, *x;
	size_t i, lol = 0, hil = 0, xl, cnt = use_dict ? dc->n : p->nval;
	uint32_t l32;
	int cmp;

	for (i = 0; i < cnt; i++) {
		if (use_dict) {
			memcpy(&l32, dc->val.data + dc->ent[i], 4);
			x = dc->val.data + dc->ent[i] + 4;
			xl = l32;
		} else {
			size_t st = i > 0 ? off[i - 1] : 0;

			x = p->val.p + st;
			xl = off[i] - st;
		}
		if (i == 0) {
			lo = hi = x;
			lol = hil = xl;
			continue;
		}
		cmp = memcmp(x, lo, xl < lol ? xl : lol);
		if (cmp < 0 || (cmp == 0 && xl < lol)) {
			lo = x;
			lol = xl;
		}
		cmp = memcmp(x, hi, xl < hil ? xl : hil);
		if (cmp > 0 || (cmp == 0 && xl > hil)) {
			hi = x;
			hil = xl;
		}
	}
	if (lol > STAT_MAXLEN || hil > STAT_MAXLEN)
		return;
	stat_set(ch->min, &ch->minlen, lo, lol);
	stat_set(ch->max, &ch->maxlen, hi, hil);
	ch->has_minmax = 1;
}

#define MINMAX(T, n, src, lo, hi) do {					\
	T x_;								\
	size_t i_;							\
	memcpy(&(lo), (src), sizeof(T));				\
	(hi) = (lo);							\
	for (i_ = 1; i_ < (n); i_++) {					\
		memcpy(&x_, (src) + i_ * sizeof(T), sizeof(T));		\
		(lo) = x_ < (lo) ? x_ : (lo);				\
		(hi) = x_ > (hi) ? x_ : (hi);				\
	}								\
} while (0)

static void
chunk_stats(const struct column *c, const struct pcol *p,
    const struct dict *dc, int use_dict, struct chunk *ch)
{
	const char *v = p->val.p;
	size_t n = p->nval;

	ch->has_minmax = 0;
	if (n == 0)
		return;
	switch (col_width(c)) {
	case 0:
		stats_bytes(p, dc, use_dict, ch);
		return;
	case 1: {
		unsigned char lo, hi;

		MINMAX(unsigned char, n, v, lo, hi);
		stat_set(ch->min, &ch->minlen, &lo, 1);
		stat_set(ch->max, &ch->maxlen, &hi, 1);
		break;
	}
	case 4: {
		int32_t lo, hi;

		MINMAX(int32_t, n, v, lo, hi);
		stat_set(ch->min, &ch->minlen, &lo, 4);
		stat_set(ch->max, &ch->maxlen, &hi, 4);
		break;
	}
	case 8:
		if (c->type == COL_DOUBLE) {
			double lo, hi;

			MINMAX(double, n, v, lo, hi);
			/* A zero minimum is -0.0, a zero maximum +0.0. */
			if (lo == 0)
				lo = -0.0;
			if (hi == 0)
				hi = 0.0;
			stat_set(ch->min, &ch->minlen, &lo, 8);
			stat_set(ch->max, &ch->maxlen, &hi, 8);
		} else {
			int64_t lo, hi;

			MINMAX(int64_t, n, v, lo, hi);
			stat_set(ch->min, &ch->minlen, &lo, 8);
			stat_set(ch->max, &ch->maxlen, &hi, 8);
		}
		break;
	case 16: {
		__int128 lo, hi;
		unsigned char be[16];
		size_t fl = (size_t)dec_flba_len(c->precision);

		/* the low bytes of the big-endian form, as in the pages */
		MINMAX(__int128, n, v, lo, hi);
		be128(be, lo);
		stat_set(ch->min, &ch->minlen, be + 16 - fl, fl);
		be128(be, hi);
		stat_set(ch->max, &ch->maxlen, be + 16 - fl, fl);
		break;
	}
	default: {
		/* big-endian two's complement: by sign, then bytewise */
		size_t wd = (size_t)col_width(c), i, lo = 0, hi = 0;

		for (i = 1; i < n; i++) {
			if (be_cmp(v + i * wd, v + lo * wd, wd) < 0)
				lo = i;
			if (be_cmp(v + i * wd, v + hi * wd, wd) > 0)
				hi = i;
		}
		stat_set(ch->min, &ch->minlen, v + lo * wd, wd);
		stat_set(ch->max, &ch->maxlen, v + hi * wd, wd);
		break;
	}
	}
	ch->has_minmax = 1;
}

/* ---- Writing ---- */

/* Compress body and append it with its page header to out. */
static void
write_page(struct enc *e, struct vec *out, int type, const void *body,
    size_t len, uint32_t nvalues, int encoding, struct chunk *ch)
{
	struct tw t;
	const void *cp;
	size_t clen;

	if (len > INT32_MAX)
		diag_errx(EXIT_DATA, "a Parquet page over 2 GB");
	codec_compress(e->codec, body, len, &e->cpage, &cp, &clen);
	if (clen > INT32_MAX)
		diag_errx(EXIT_DATA, "a Parquet page over 2 GB");
	buf_reset(&e->hdr);
	tw_init(&t, &e->hdr);
	tw_i32(&t, 1, type);
	tw_i32(&t, 2, (int32_t)len);
	tw_i32(&t, 3, (int32_t)clen);
	if (type == PAGE_DATA) {
		tw_struct(&t, 5);
		tw_i32(&t, 1, (int32_t)nvalues);
		tw_i32(&t, 2, encoding);
		tw_i32(&t, 3, ENC_RLE);
		tw_i32(&t, 4, ENC_RLE);
		tw_end(&t);
	} else {
		tw_struct(&t, 7);
		tw_i32(&t, 1, (int32_t)nvalues);
		tw_i32(&t, 2, ENC_PLAIN);
		tw_end(&t);
	}
	tw_end(&t);
	ch->unc += e->hdr.len + len;
	ch->comp += e->hdr.len + clen;
	vec_append(out, e->hdr.data, e->hdr.len);
	vec_append(out, cp, clen);
}

/* The values [v, v2) of column p as PLAIN, appended to b. */
static void
plain_values(struct buf *b, const struct column *c, const struct pcol *p,
    size_t v, size_t v2)
{
	const uint32_t *off = (const uint32_t *)(void *)p->off.p;
	size_t i, width = (size_t)col_width(c);

	if (c->type == COL_BOOL) {
		unsigned char acc = 0;

		/* Bit-packed, LSB first. */
		for (i = v; i < v2; i++) {
			acc |= (unsigned char)((p->val.p[i] & 1) <<
			    ((i - v) & 7));
			if (((i - v) & 7) == 7) {
				buf_putc(b, (char)acc);
				acc = 0;
			}
		}
		if (((v2 - v) & 7) != 0)
			buf_putc(b, (char)acc);
	} else if (width == 16) {
		unsigned char be[16];
		size_t fl = (size_t)dec_flba_len(c->precision);
		__int128 x;

		/* the fewest bytes of the precision, the value's low ones */
		for (i = v; i < v2; i++) {
			memcpy(&x, p->val.p + 16 * i, 16);
			be128(be, x);
			buf_append(b, be + 16 - fl, fl);
		}
	} else if (width > 0)
		buf_append(b, p->val.p + v * width, (v2 - v) * width);
	else {
		size_t st = v > 0 ? off[v - 1] : 0;

		buf_grow(b, off[v2 - 1] - st + 4 * (v2 - v));
		for (i = v; i < v2; i++) {
			put_u32(b, off[i] - (uint32_t)st);
			buf_append(b, p->val.p + st, off[i] - st);
			st = off[i];
		}
	}
}

/*
 * Whether a dictionary pays for column c: for byte arrays and the 4- and
 * 8-byte types, when there are at most half as many distinct values as
 * values and the dictionary fits DICT_MAXBYTES. Then the dictionary page
 * plus the bit-packed indices must take at most 3/4 of the PLAIN values;
 * when they take more than 1/8, compressed sizes decide: the dictionary
 * page and the indices of a first page's worth of values against those
 * values PLAIN (random indices hardly compress; PLAIN numbers often do).
 */
static int
dict_try(struct enc *e, const struct column *c, const struct pcol *p,
    int *bw)
{
	size_t plain, est, maxent, ns, bytes, cd, ci, cp;
	int width = col_width(c);
	const void *out;

	if (p->nval < 2 || width == 1 || width >= 16)
		return 0;
	plain = width > 0 ? p->nval * (size_t)width :
	    p->val.len + 4 * p->nval;
	maxent = p->nval / 2;
	if (width > 0 && maxent > DICT_MAXBYTES / (size_t)width)
		maxent = DICT_MAXBYTES / (size_t)width;
	if (dict_build(e, p, width, maxent) == 0)
		return 0;
	*bw = bit_width(e->dict.n - 1);
	if (*bw == 0)
		*bw = 1;	/* some readers refuse bit width 0 */
	est = e->dict.val.len + (p->nval * (size_t)*bw + 7) / 8;
	if (est * 4 > plain * 3)
		return 0;
	if (est * 8 <= plain)
		return 1;
	/* The sample: the values of about one PLAIN page. */
	if (width > 0)
		ns = PAGE_BYTES / (size_t)width;
	else {
		const uint32_t *off = (const uint32_t *)(void *)p->off.p;

		for (ns = 0, bytes = 0; ns < p->nval && bytes < PAGE_BYTES;
		    ns++)
			bytes += off[ns] - (ns > 0 ? off[ns - 1] : 0) + 4;
	}
	if (ns > p->nval)
		ns = p->nval;
	codec_compress(e->codec, e->dict.val.data, e->dict.val.len, &e->cpage,
	    &out, &cd);
	buf_reset(&e->page);
	buf_putc(&e->page, (char)*bw);
	hybrid(&e->page, e->idx, ns, *bw);
	codec_compress(e->codec, e->page.data, e->page.len, &e->cpage, &out,
	    &ci);
	buf_reset(&e->page);
	plain_values(&e->page, c, p, 0, ns);
	codec_compress(e->codec, e->page.data, e->page.len, &e->cpage, &out,
	    &cp);
	return (double)cd + (double)ci * (double)p->nval / (double)ns <
	    (double)cp * (double)p->nval / (double)ns;
}

/*
 * Encode the column chunk of column ci (converting its values first when
 * their type was just decided) into out, its metadata into pq->ch[ci]:
 * the dictionary page when one pays, then the data pages.
 */
static void
encode_chunk(struct fw *w, struct enc *e, size_t ci, struct vec *out)
{
	struct pq *q = w->pq;
	struct pcol *p = &q->col[ci];
	const struct column *c = &w->map.col[ci].c;
	struct chunk *ch = &q->ch[ci];
	const uint32_t *off;
	const char *def = p->def.p;
	size_t nrows = w->rg_rows, r = 0, v = 0, r2, v2, i, lenpos;
	uint64_t bits, cost, quota = (uint64_t)PAGE_BYTES * 8;
	int bw = 0, width = col_width(c), enc;
	uint32_t l32;

	if (p->raw)
		pq_convert(w, e, ci);
	off = (const uint32_t *)(void *)p->off.p;
	out->len = 0;
	memset(ch, 0, sizeof(*ch));
	ch->ptype = col_ptype(c);
	ch->nnull = nrows - p->nval;
	ch->dict = dict_try(e, c, p, &bw);
	chunk_stats(c, p, &e->dict, ch->dict, ch);
	if (ch->dict)
		write_page(e, out, PAGE_DICTIONARY, e->dict.val.data,
		    e->dict.val.len, (uint32_t)e->dict.n, ENC_PLAIN, ch);
	ch->data_off = out->len;
	enc = ch->dict ? ENC_RLE_DICTIONARY : ENC_PLAIN;
	cost = ch->dict ? (uint64_t)bw : c->type == COL_BOOL ? 1 :
	    (uint64_t)width * 8;
	while (r < nrows) {
		/* The rows [r, r2) and values [v, v2) of the page. */
		r2 = r;
		v2 = v;
		bits = 0;
		while (r2 < nrows && r2 - r < PAGE_MAXROWS && bits < quota) {
			if (def[r2]) {
				if (width == 0 && !ch->dict)
					bits += (uint64_t)(off[v2] -
					    (v2 > 0 ? off[v2 - 1] : 0) + 4) * 8;
				else
					bits += cost;
				v2++;
			}
			r2++;
		}
		buf_reset(&e->page);
		/* Definition levels: u32 length, then the hybrid runs. */
		lenpos = e->page.len;
		put_u32(&e->page, 0);
		if (v2 - v == r2 - r || v2 == v) {
			tw_varint(&e->page, (uint64_t)(r2 - r) << 1);
			buf_putc(&e->page, v2 == v ? 0 : 1);
		} else {
			e->lvl = grow(e->lvl, &e->lvlcap, r2 - r,
			    sizeof(*e->lvl));
			for (i = r; i < r2; i++)
				e->lvl[i - r] = (uint32_t)def[i];
			hybrid(&e->page, e->lvl, r2 - r, 1);
		}
		l32 = (uint32_t)(e->page.len - lenpos - 4);
		memcpy(e->page.data + lenpos, &l32, 4);
		/* Values. */
		if (v2 == v)
			;
		else if (ch->dict) {
			buf_putc(&e->page, (char)bw);
			hybrid(&e->page, e->idx + v, v2 - v, bw);
		} else
			plain_values(&e->page, c, p, v, v2);
		write_page(e, out, PAGE_DATA, e->page.data, e->page.len,
		    (uint32_t)(r2 - r), enc, ch);
		r = r2;
		v = v2;
	}
}

static void
encode_chunk_meta(struct fw *w, size_t ci, const struct chunk *ch)
{
	const struct column *c = &w->map.col[ci].c;
	struct tw t;

	tw_init(&t, &w->pq->chunks);
	tw_i64(&t, 2, 0);			/* file_offset (deprecated) */
	tw_struct(&t, 3);			/* meta_data */
	tw_i32(&t, 1, ch->ptype);
	tw_list(&t, 2, TT_I32, ch->dict ? 3 : 2);
	tw_ei32(&t, ENC_PLAIN);
	tw_ei32(&t, ENC_RLE);
	if (ch->dict)
		tw_ei32(&t, ENC_RLE_DICTIONARY);
	tw_list(&t, 3, TT_BINARY, 1);
	tw_ebin(&t, c->name, c->nlen);
	tw_i32(&t, 4, codec_parquet_id(w->conf.codec));
	tw_i64(&t, 5, (int64_t)w->rg_rows);
	tw_i64(&t, 6, (int64_t)ch->unc);
	tw_i64(&t, 7, (int64_t)ch->comp);
	tw_i64(&t, 9, (int64_t)ch->data_off);
	if (ch->dict)
		tw_i64(&t, 11, (int64_t)ch->dict_off);
	tw_struct(&t, 12);			/* statistics */
	tw_i64(&t, 3, (int64_t)ch->nnull);
	if (ch->has_minmax) {
		tw_bin(&t, 5, ch->max, ch->maxlen);
		tw_bin(&t, 6, ch->min, ch->minlen);
	}
	tw_end(&t);
	tw_end(&t);
	tw_end(&t);
}

/* The encoders of a row group's columns: each thread takes the next
 * column not taken. */
struct flushjob {
	struct fw	*w;
	pthread_mutex_t	 mu;
	size_t		 next;		/* column */
	size_t		 nenc;		/* encoders taken */
};

static void *
flush_worker(void *arg)
{
	struct flushjob *j = arg;
	struct enc *e = NULL;
	size_t ci;

	for (;;) {
		pthread_mutex_lock(&j->mu);
		if (e == NULL)
			e = &j->w->pq->enc[j->nenc++];
		ci = j->next++;
		pthread_mutex_unlock(&j->mu);
		if (ci >= j->w->pq->ncol)
			return NULL;
		if (e->codec == NULL)
			e->codec = codec_new(j->w->conf.codec);
		encode_chunk(j->w, e, ci, &j->w->pq->cout[ci]);
	}
}

/* How many threads encode a row group of the buffered size: one for a
 * small one or when nothing is compressed, else one per processor up to
 * FLUSH_THREADS and the number of columns. */
static size_t
flush_threads(const struct fw *w)
{
	long np;
	size_t n;

	if (w->rg_bytes < FLUSH_PARALLEL || w->conf.codec == FW_NONE ||
	    w->pq->ncol < 2 || (np = sysconf(_SC_NPROCESSORS_ONLN)) < 2)
		return 1;
	n = (size_t)np < FLUSH_THREADS ? (size_t)np : FLUSH_THREADS;
	return n < w->pq->ncol ? n : w->pq->ncol;
}

/*
 * Write the buffered row group: the column chunks, encoded into memory one
 * after the other, or first all of them by several threads (the same
 * bytes), then written in column order; the RowGroup struct goes into
 * pq->rgs for the footer.
 */
static int
pq_flush(struct fw *w)
{
	struct pq *q = w->pq;
	struct flushjob job;
	pthread_t tid[FLUSH_THREADS];
	uint64_t off, unc = 0, comp = 0;
	struct tw t;
	size_t i, nt, started = 0;

	if (w->rg_rows == 0)
		return 0;
	if (!w->fixed)
		pq_decide(w);
	if (q->chcap < q->ncol) {
		q->ch = xrealloc(q->ch, q->ncol * sizeof(*q->ch));
		q->cout = xrealloc(q->cout, q->ncol * sizeof(*q->cout));
		for (i = q->chcap; i < q->ncol; i++)
			memset(&q->cout[i], 0, sizeof(q->cout[i]));
		q->chcap = q->ncol;
	}
	if ((nt = flush_threads(w)) > 1) {
		job.w = w;
		job.next = 0;
		job.nenc = 0;
		pthread_mutex_init(&job.mu, NULL);
		for (i = 1; i < nt; i++)
			if (pthread_create(&tid[started], NULL, flush_worker,
			    &job) == 0)
				started++;
		flush_worker(&job);
		for (i = 0; i < started; i++)
			pthread_join(tid[i], NULL);
		pthread_mutex_destroy(&job.mu);
	} else if (q->enc[0].codec == NULL)
		q->enc[0].codec = codec_new(w->conf.codec);

	if (!q->started) {
		if (out_write(&w->out, "PAR1", 4) != 0)
			return -1;
		q->started = 1;
	}
	off = w->out.off;
	buf_reset(&q->chunks);
	for (i = 0; i < q->ncol; i++) {
		struct chunk *ch = &q->ch[i];
		struct vec *b = &q->cout[nt > 1 ? i : 0];

		if (nt == 1)
			encode_chunk(w, &q->enc[0], i, b);
		if (ch->dict)
			ch->dict_off += w->out.off;
		ch->data_off += w->out.off;
		if (out_write(&w->out, b->p, b->len) != 0)
			return -1;
		encode_chunk_meta(w, i, ch);
		unc += ch->unc;
		comp += ch->comp;
	}
	tw_init(&t, &q->rgs);
	tw_list(&t, 1, TT_STRUCT, q->ncol);
	buf_append(&q->rgs, q->chunks.data, q->chunks.len);
	tw_i64(&t, 2, (int64_t)unc);
	tw_i64(&t, 3, (int64_t)w->rg_rows);
	tw_i64(&t, 5, (int64_t)off);
	tw_i64(&t, 6, (int64_t)comp);
	if (q->nrg <= INT16_MAX)
		tw_i16(&t, 7, (int16_t)q->nrg);
	tw_end(&t);
	q->nrg++;
	q->nrows += w->rg_rows;
	q->unc += unc;
	q->comp += comp;
	for (i = 0; i < q->ncol; i++) {
		q->col[i].nval = 0;
		q->col[i].val.len = 0;
		q->col[i].off.len = 0;
	}
	w->rg_rows = 0;
	w->rg_bytes = 0;
	return 0;
}

static void
encode_leaf(struct tw *t, const struct column *c)
{
	tw_begin(t);
	tw_i32(t, 1, col_ptype(c));
	if (col_ptype(c) == PT_FLBA)
		tw_i32(t, 2, dec_flba_len(c->precision));
	tw_i32(t, 3, 1);			/* OPTIONAL */
	tw_bin(t, 4, c->name, c->nlen);
	switch (c->type) {
	case COL_BOOL:
	case COL_DOUBLE:
		break;
	case COL_INT64:
		tw_i32(t, 6, CT_INT_64);
		tw_struct(t, 10);
		tw_struct(t, 10);		/* INTEGER */
		tw_i8(t, 1, 64);
		tw_bool(t, 2, 1);
		tw_end(t);
		tw_end(t);
		break;
	case COL_DECIMAL:
		tw_i32(t, 6, CT_DECIMAL);
		tw_i32(t, 7, c->scale);
		tw_i32(t, 8, c->precision);
		tw_struct(t, 10);
		tw_struct(t, 5);		/* DECIMAL */
		tw_i32(t, 1, c->scale);
		tw_i32(t, 2, c->precision);
		tw_end(t);
		tw_end(t);
		break;
	case COL_TIMESTAMP:
		tw_i32(t, 6, CT_TIMESTAMP_MICROS);
		tw_struct(t, 10);
		tw_struct(t, 8);		/* TIMESTAMP */
		tw_bool(t, 1, 1);		/* isAdjustedToUTC */
		tw_struct(t, 2);		/* unit */
		tw_empty(t, 2);			/* MICROS */
		tw_end(t);
		tw_end(t);
		tw_end(t);
		break;
	case COL_DATE:
		tw_i32(t, 6, CT_DATE);
		tw_struct(t, 10);
		tw_empty(t, 6);			/* DATE */
		tw_end(t);
		break;
	case COL_STRING:
	case COL_NUMTEXT:
		tw_i32(t, 6, CT_UTF8);
		tw_struct(t, 10);
		tw_empty(t, 1);			/* STRING */
		tw_end(t);
		break;
	case COL_JSON:
		tw_i32(t, 6, CT_JSON);
		tw_struct(t, 10);
		tw_empty(t, 12);		/* JSON */
		tw_end(t);
		break;
	}
	tw_end(t);
}

static int
pq_finish(struct fw *w)
{
	struct pq *q = w->pq;
	struct buf *f = &q->scratch;
	struct tw t;
	uint32_t len;
	size_t i;

	if (pq_flush(w) != 0)
		return -1;
	if (!w->fixed)
		pq_decide(w);		/* no row: the types only */
	if (!q->started) {
		if (out_write(&w->out, "PAR1", 4) != 0)
			return -1;
		q->started = 1;
	}
	buf_reset(f);
	tw_init(&t, f);
	tw_i32(&t, 1, 1);			/* version */
	tw_list(&t, 2, TT_STRUCT, q->ncol + 1);	/* schema */
	tw_begin(&t);
	tw_bin(&t, 4, "schema", 6);
	tw_i32(&t, 5, (int32_t)q->ncol);
	tw_end(&t);
	for (i = 0; i < q->ncol; i++)
		encode_leaf(&t, &w->map.col[i].c);
	tw_i64(&t, 3, (int64_t)q->nrows);
	tw_list(&t, 4, TT_STRUCT, q->nrg);
	buf_append(f, q->rgs.data, q->rgs.len);
	tw_bin(&t, 6, CREATED_BY, strlen(CREATED_BY));
	tw_list(&t, 7, TT_STRUCT, q->ncol);	/* column_orders */
	for (i = 0; i < q->ncol; i++) {
		tw_begin(&t);
		tw_empty(&t, 1);		/* TYPE_ORDER */
		tw_end(&t);
	}
	tw_end(&t);
	if (f->len > UINT32_MAX)
		diag_errx(EXIT_DATA, "Parquet footer over 4 GB");
	len = (uint32_t)f->len;
	if (out_write(&w->out, f->data, f->len) != 0 ||
	    out_write(&w->out, &len, 4) != 0 ||
	    out_write(&w->out, "PAR1", 4) != 0 || out_flush(&w->out) != 0)
		return -1;
	return 0;
}
