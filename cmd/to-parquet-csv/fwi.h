/*
 * fwi.h: what the format writers share inside to-parquet-csv (schema.c,
 * parquet.c, csv.c); lake.c and main.c use fw.h only.
 *
 * schema.c classifies JSON values, folds them into per-column summaries
 * that decide a column's type (the inference rules of the issue: INT64,
 * DECIMAL(18|38|76,s), DOUBLE, BOOL, TIMESTAMP, DATE, STRING, JSON, and
 * numbers as STRING beyond what DECIMAL(76) and DOUBLE hold), checks
 * that a value fits a fixed type exactly and converts it, and maps the
 * members of a row to the columns of a file (struct rowmap). parquet.c has
 * the fw_* entry points, the buffered output and the Parquet writer; csv.c
 * the CSV writer.
 */
#ifndef TPC_FWI_H
#define TPC_FWI_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "fw.h"
#include "jscan.h"

/* DECIMAL precision: at most 18 in an INT64, 38 in an __int128 (its file
 * form the low bytes of that), 76 as big-endian bytes (width bytes from
 * dec_flba_len). */
#define DEC_PRECISION_INT64	18
#define DEC_PRECISION_128	38
#define DEC_PRECISION_MAX	76
/* The most bytes a DECIMAL value takes (precision 76). */
#define DEC_FLBA_MAX		32

/* ---- Classified values (first row group) ---- */

enum vkind {
	VK_NULL = 0,
	VK_INT,		/* integer within int64: pay */
	VK_BIG,		/* integer beyond int64 (idig digits) */
	VK_DEC,		/* fraction, no exponent: idig, scale; pay = the
			 * coefficient when pay_ok */
	VK_EXP,		/* with an exponent: pay = the double's bits; idig
			 * and scale of its exact decimal value */
	VK_TRUE,
	VK_FALSE,
	VK_TS,		/* timestamp string: pay = microseconds, UTC */
	VK_DATE,	/* a date alone: pay = days since 1970-01-01 */
	VK_STR,		/* any other string */
	VK_JSON,	/* object or array */
	VK_INF		/* "infinity" (pay 1) or "-infinity" (pay -1): a
			 * timestamp or a date, whichever the others are */
};

struct vinfo {
	enum vkind	 kind;
	int		 idig;		/* significant integer digits */
	int		 scale;		/* VK_DEC: fraction digits; VK_TS
					 * without text: ts_canon digits */
	int		 dbl_ok;	/* a DOUBLE holds it exactly */
	int		 pay_ok;	/* pay holds the value */
	int		 text;		/* only the raw text rebuilds it */
	int		 esc;		/* string with escapes */
	int64_t		 pay;
};

/* Classify value token t of d. Strings are unescaped into scratch when
 * needed. */
void	val_classify(const struct jdoc *d, int t, struct vinfo *v,
	    struct buf *scratch);

/* ---- Summaries: what a column's values so far need ---- */

#define SK_NUM		0x01
#define SK_BOOL		0x02
#define SK_STR		0x04
#define SK_JSON		0x08

#define SN_INT		0x01
#define SN_BIG		0x02	/* beyond int64 */
#define SN_DEC		0x08
#define SN_EXP		0x10

#define SS_TS		0x01
#define SS_DATE		0x02
#define SS_OTHER	0x04
#define SS_INF		0x08	/* an infinity: goes with SS_TS or SS_DATE */

struct summ {
	unsigned	 kinds;
	unsigned	 num;
	unsigned	 str;
	int		 maxscale;	/* of the numbers' exact values */
	int		 maxidig;
	int		 dbl_bad;	/* a number not exactly a double */
};

void	summ_add(struct summ *s, const struct vinfo *v);
/* The summary of every value type c can hold (for widening). */
void	summ_of_type(struct summ *s, const struct column *c);
/* The type of a column with summary s (nothing seen: STRING). */
void	summ_decide(const struct summ *s, struct column *c);

/* ---- Fixed types: exact fit and conversion ---- */

union tval {
	int64_t		 i;		/* BOOL (0/1), INT64, TIMESTAMP, DATE,
					 * DECIMAL p <= 18 */
	double		 d;
	__int128	 q;		/* DECIMAL 18 < p <= 38 */
	unsigned char	 be[DEC_FLBA_MAX]; /* DECIMAL p > 38: big-endian two's
					 * complement, dec_flba_len(p) bytes */
};

/* 1 when value t (not null) fits column type c exactly, with *v set for
 * the fixed-width types; 0 otherwise. STRING takes any string, JSON any
 * value (their bytes come from the token). */
int	val_fit(const struct column *c, const struct jdoc *d, int t,
	    union tval *v, struct buf *scratch);
/* "a timestamp", "an int64", "a decimal(10,2)" ... into buf. */
const char *col_type_article(const struct column *c, char *buf, size_t size);

/*
 * Parquet's TIMESTAMP and DATE hold PostgreSQL's infinities as DuckDB
 * writes and reads them: the largest value and its negation (INT64_MAX and
 * -INT64_MAX microseconds, INT32_MAX and -INT32_MAX days). Every finite
 * time (TS_MIN..TS_MAX) and date (TS_DATE_MIN..TS_DATE_MAX) lies between.
 */
#define PQ_TS_INF	INT64_MAX
#define PQ_TS_NINF	(-INT64_MAX)
#define PQ_DATE_INF	INT64_C(2147483647)
#define PQ_DATE_NINF	INT64_C(-2147483647)

/* Timestamp text in a form of DESIGN.md section 4 (a time of day, or an
 * infinity; no digits lost below the microsecond): 0 with *us as Parquet
 * stores it, -1 when it is no such text, TS_ERANGE when it is a time no
 * TIMESTAMP holds. */
int	val_ts(const char *s, size_t n, int64_t *us);
/* The timestamp text "YYYY-MM-DDTHH:MM:SS[.f{nd}]Z" of us (nd 0-9), into
 * out (at least 32 bytes); returns the length. Years 0000-9999 only. */
size_t	ts_canon(char *out, int64_t us, int nd);
/* A date alone ("2026-11-22", "-0044-03-15", "0045-03-15 BC",
 * "infinity"): 0 with *days as Parquet stores it, -1, or TS_ERANGE. */
int	val_date(const char *s, size_t n, int64_t *days);
/* A declared TIMESTAMP or DATE column's value that is a time outside what
 * the column holds: "timestamp out of range" or "date out of range";
 * otherwise NULL. */
const char *val_range_error(const struct column *c, const struct jdoc *d,
	    int t, struct buf *scratch);
/* JSON number text to a coefficient at scale s, exactly: 0 with *q and the
 * number of digits of |q| in *ndig, or -1 when digits would be lost or
 * more than 38 are needed. */
int	num_scaled(const char *p, size_t n, int s, __int128 *q, int *ndig);
/* The same for DECIMAL precision up to 76: the coefficient as big-endian
 * two's complement in width bytes; 0, or -1 when digits would be lost or it
 * does not fit. */
int	num_scaled_be(const char *p, size_t n, int s, unsigned char *out,
	    int width, int *ndig);
/* The coefficient pay (at scale s0 <= s) at scale s in width bytes, as
 * num_scaled_be writes it. 0, or -1 when it does not fit. */
int	pay_scaled_be(int64_t pay, int s0, int s, unsigned char *out,
	    int width);
/* The fewest bytes of a FIXED_LEN_BYTE_ARRAY DECIMAL of precision p
 * (Parquet's rule: p <= floor(log10(2^(8n-1) - 1))). */
int	dec_flba_len(int p);
/* Number text to the double that holds it exactly: an integer within
 * +-2^53; otherwise a finite double that gives back all the text's
 * significant digits (0.1 is the double nearest 0.1). 0, or -1; *x is set
 * for any number that is not an integer, exact or not. */
int	num_double(const char *p, size_t n, int isint, double *x);

extern const int64_t pow10_i64[19];

/* ---- Mapping the members of a row to columns ---- */

struct fcol {
	struct column	 c;		/* c.name owned */
	struct summ	 sm;		/* values so far (first row group) */
};

struct mname {
	char		*name;		/* NUL-ended copy */
	size_t		 len;
	uint64_t	 hash;
	int		 col;		/* column index, -1: an omitted name */
};

struct newm {
	size_t		 off;		/* name in rowmap.nbuf */
	size_t		 len;
	int		 val;		/* value token */
};

struct rowmap {
	struct fcol	*col;
	size_t		 n;
	size_t		 cap;
	struct mname	*nm;
	size_t		 nnm;
	size_t		 nmcap;
	uint32_t	*idx;		/* slot -> nm index + 1 */
	size_t		 idxcap;
	/* The current row (rowmap_gather). */
	int		*tok;		/* value token per column, or -1 */
	size_t		 tokcap;
	struct newm	*nw;		/* members that are no column yet */
	size_t		 nnw;
	size_t		 nwcap;
	struct buf	 nbuf;		/* their names */
	int		*hint;		/* name index of member i last row */
	size_t		 nhint;
	size_t		 hintcap;
	struct buf	 kbuf;		/* key unescaping */
	struct buf	 scratch;	/* value unescaping */
};

/* Columns: those of start (in order, types kept as summaries), then the
 * declared columns not in start (fixed); omitted names are never columns. */
void	rowmap_init(struct rowmap *m, const struct fw_conf *conf,
	    const struct schema *start);
void	rowmap_free(struct rowmap *m);
/* Map the members of object d (token 0): m->tok[i] the value of column i
 * (-1 when absent; a repeated member: its last value), m->nw the members
 * that are no column (omitted names left out, null values included). */
void	rowmap_gather(struct rowmap *m, const struct jdoc *d);
/* Append a column named name (len bytes) with an empty summary; returns its
 * index. */
size_t	rowmap_add(struct rowmap *m, const char *name, size_t len);
/* Column index of name, -1 when none, -2 when omitted. */
int	rowmap_find(const struct rowmap *m, const char *name, size_t len);
/* The declared columns of the gathered row: FW_OK, or FW_BAD with *why set
 * (a static buffer) for the first value that does not fit; vals[i] gets the
 * converted value of each declared column i with a value. */
int	rowmap_check_declared(struct rowmap *m, const struct jdoc *d,
	    union tval *vals, const char **why);
/* The union schema for row d: each column widened to take its value, new
 * members (non-null) appended with their own type. fixed: the columns'
 * types are final (after the first row group); else their summaries are
 * merged. CSV passes types_matter 0 (only new members count). */
struct schema *rowmap_widen(const struct rowmap *m, const struct jdoc *d,
	    int types_matter);

/* ---- The writer ---- */

struct out {
	int		 fd;
	char		*buf;
	size_t		 len;
	size_t		 cap;
	uint64_t	 off;		/* bytes written or buffered */
	int		 err;		/* errno of a failed write, or 0 */
};

/* Append n bytes; -1 (errno set) once a write has failed. */
int	out_write(struct out *o, const void *p, size_t n);
int	out_flush(struct out *o);

struct pq;
struct csvw;

struct fw {
	enum fw_format	 fmt;
	struct fw_conf	 conf;
	struct rowmap	 map;
	struct out	 out;
	uint64_t	 rows;		/* rows taken */
	uint64_t	 rg_rows;	/* rows buffered (current row group) */
	uint64_t	 rg_bytes;	/* bytes buffered */
	int		 fixed;		/* the schema is final */
	union tval	*vals;		/* per column: converted value */
	size_t		 valscap;
	struct pq	*pq;
	struct csvw	*csv;
};

/* Room in w->vals for every column. */
void	fw_vals_room(struct fw *w);
/* A write failed: report it (errno of the failure) and exit EXIT_DATA. */
void	fw_die(struct fw *w) __attribute__((noreturn));

/* csv.c */
void	csv_open(struct fw *w);
int	csv_row(struct fw *w, const struct jdoc *d, const char **why);
int	csv_finish(struct fw *w);
void	csv_free(struct fw *w);

#endif
