/*
 * agg.h: the aggregate functions of window-agg and their per-group state.
 *
 * Every function accepts additions and retractions (sign +1 / -1), so
 * changelog input (__kind -U/-D) is applied exactly: sums are exact decimals
 * of any width (struct dec, struct decw beyond 38 digits; never a double),
 * min/max/first/last keep every live value with its multiplicity, so
 * retracting the current extreme finds the next one, and count_distinct keeps
 * a count per value. Values are compared as JSON: numbers by exact value,
 * strings by their unescaped bytes; groups and distinct values by canonical
 * text (strings re-quoted after unescaping, everything else as written).
 * Numbers are written as PostgreSQL writes numeric (decimal.h).
 */
#ifndef WAGG_AGG_H
#define WAGG_AGG_H

#include <stdint.h>

#include "buf.h"
#include "decimal.h"
#include "field.h"
#include "hmap.h"
#include "jscan.h"

enum aggfn {
	AF_COUNT,		/* count, count(*): rows */
	AF_COUNT_F,		/* count(f): non-null values */
	AF_SUM,
	AF_AVG,
	AF_MIN,
	AF_MAX,
	AF_COUNT_DISTINCT,
	AF_FIRST,		/* value of the earliest row (event time) */
	AF_LAST
};

struct aggspec {
	enum aggfn	 fn;
	int		 in;		/* index of the argument, -1 for count */
	char		*name;		/* output field */
	char		*key;		/* ",\"name\":", ready to write */
	size_t		 keylen;
};

/* An argument of the aggregates (several may share one). */
struct aggin {
	struct field	 f;
	int		 numeric;	/* some sum/avg needs it as a number */
};

/* How a number is held: none, struct dec (38 digits), or beyond that
 * (its text; a sum or avg reads it into a struct decw). */
enum { NUM_NONE, NUM_DEC, NUM_WIDE };

/* One argument value of the current row, parsed once. */
struct aval {
	int		 present;	/* present and not null */
	enum jtype	 type;
	const char	*raw;		/* canonical JSON text */
	size_t		 len;
	int		 num;		/* NUM_*: the value as a number */
	int		 hasexp;	/* written with an exponent */
	struct dec	 d;		/* NUM_DEC */
	struct decw	 w;		/* NUM_WIDE for a sum or avg */
	int		 winit;		/* w set up (decw_init) */
	struct buf	 canon;		/* storage when raw was re-quoted */
};

/* Live values of one scale (struct sumst). */
struct scnt {
	int		 scale;
	int64_t		 n;
};

struct sumst {
	int64_t		 n;		/* non-null values */
	int64_t		 nexp;		/* of them written with an exponent */
	int		 scale;		/* largest scale of the live values */
	struct dec	 s;		/* exact, at the largest scale ever seen,
					 * while it fits 38 digits */
	struct decw	*w;		/* the same beyond 38 digits, or NULL */
	/* Live values per scale (ascending), kept once a second scale
	 * shows up, so the scale of the result follows retractions
	 * (PostgreSQL's sum takes the largest scale of the rows present). */
	struct scnt	*sc;
	int		 nsc;
	int		 capsc;
};

/* One live value of min/max/first/last/count_distinct. */
struct vent {
	int64_t		 count;		/* multiplicity */
	int64_t		 t;		/* first/last: event time */
	uint64_t	 seq;		/* first/last: arrival number */
	uint8_t		 cls;		/* order between JSON types */
	uint8_t		 num;		/* NUM_*; d when NUM_DEC */
	struct dec	 d;
	size_t		 len;
	char		 raw[];		/* canonical JSON text */
};

struct setst {
	struct hmap	 m;		/* value (+ time for first/last) -> vent */
	struct vent	*ext;		/* current min/max/first/last */
};

union aggst {
	int64_t		 count;
	struct sumst	 sum;
	struct setst	 set;
};

struct aggs {
	struct aggspec	*a;
	size_t		 n;
	struct aggin	*in;
	size_t		 nin;
	int		 need_time;	/* first/last present */
};

/* Parse one --agg value ("sum(total_price) as revenue, count"), adding its
 * aggregates to those of g. Returns 0, or -1 with a message in err and g
 * as it was. */
int	aggs_parse(struct aggs *g, const char *spec, struct buf *err);
void	aggs_free(struct aggs *g);

/*
 * Read the arguments of the current row into v[] (g->nin entries): tok[i]
 * is the token of argument i in document d, or -1 when it is absent.
 * Returns 0; AGG_NOTNUM with the offending input index in *bad when a value
 * a sum or avg needs is not a number; AGG_RANGE when a number (or, for a
 * sum or avg, a number in a string) is beyond PostgreSQL numeric's range.
 */
#define AGG_NOTNUM	(-1)
#define AGG_RANGE	(-2)
int	aggs_read(const struct aggs *g, const struct jdoc *d, const int *tok,
	    struct aval *v, int *bad);
/* Release what aggs_read keeps in v[] (n entries), not v itself. */
void	avals_free(struct aval *v, size_t n);

void	agg_init(const struct aggspec *a, union aggst *st);
void	agg_free(const struct aggspec *a, union aggst *st);
/* Apply value v (NULL for count) with sign +1 or -1. Returns 0, or 1 when
 * a retraction found nothing to retract. */
int	agg_apply(const struct aggspec *a, union aggst *st,
	    const struct aval *v, int64_t t, uint64_t seq, int sign);
/* dst += src (merging sessions). */
void	agg_merge(const struct aggspec *a, union aggst *dst,
	    const union aggst *src);
/* Append the result as a JSON value; rows is the group's row count. */
void	agg_result(const struct aggspec *a, const union aggst *st,
	    int64_t rows, struct buf *out);

/* --state: the state as one JSON value, and back. agg_load returns -1 when
 * the value does not have the expected shape. */
void	agg_save(const struct aggspec *a, const union aggst *st,
	    struct buf *out);
struct json_t;
int	agg_load(const struct aggspec *a, union aggst *st,
	    struct json_t *j);

/* The canonical JSON text of token t: strings with escapes are re-quoted,
 * everything else is its raw text. May use out as storage. */
void	json_canon(const struct jdoc *d, int t, struct buf *out,
	    const char **p, size_t *len);

/* 1 when s[0..n) is one JSON value written as json_canon writes it (no
 * blanks around it, a string with escapes quoted anew), else 0. */
int	json_canonical(const char *s, size_t n);

/* Compare two JSON values given as canonical texts: numbers by exact value,
 * strings by unescaped bytes, numbers < strings < booleans < others. */
int	json_value_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
