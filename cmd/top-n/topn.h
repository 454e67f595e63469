/*
 * topn.h: what the parts of top-n share: the settings, the sort keys of a
 * row (rank.c), and the partitions with their rankings (part.c).
 */
#ifndef TOPN_H
#define TOPN_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "byopt.h"
#include "decimal.h"
#include "field.h"
#include "jscan.h"

#define T_MIN	TS_NINF			/* no watermark yet */
#define T_MAX	TS_INF			/* end of input, or "infinity" */

enum emit { EMIT_FINAL, EMIT_UPDATE };

struct conf {
	size_t		 n;		/* -n: rows per partition */
	struct bykey	*by;
	size_t		 nby;
	struct field_list part;		/* --partition-by */
	char		*rank;		/* --rank-field */
	char		*rankkey;	/* ",\"rank\":", ready to write */
	size_t		 rankkeylen;
	int		 sorted;	/* --sorted: partitions come grouped */
	int		 watermarks;	/* forward watermarks */
	enum emit	 emit;
	/*
	 * Append input keeps only the N best rows of a partition. Once a
	 * changelog row (__kind) shows up, every live row is kept, since a
	 * retraction of a top row needs the next one to move up.
	 */
	int		 bounded;
};
extern struct conf conf;

struct counters {
	uint64_t	 rows;		/* rows read (watermarks not counted) */
	uint64_t	 written;	/* rows written */
	uint64_t	 late;		/* window_end not after the watermark */
	uint64_t	 unmatched;	/* retractions that found no row */
	uint64_t	 dropped;	/* append rows out of a top N */
	size_t		 parts;		/* partitions open now, and at most */
	size_t		 max_parts;
	size_t		 held;		/* rows kept now, and at most */
	size_t		 max_held;
};
extern struct counters cnt;

/* ---------------------------------------------------------------------
 * rank.c: sort keys and the order of JSON values
 */

/* Value classes, in the order of their values; null (or missing) is last
 * whatever the direction, like SQL's NULLS LAST. */
enum kcls { K_NUM, K_STR, K_BOOL, K_OTHER, K_NULL };

/* The value of one --by key in one row. */
struct skey {
	struct dec	 d;		/* K_NUM, unless wide */
	const char	*p;		/* K_STR: unescaped bytes; K_OTHER and */
	size_t		 len;		/* wide K_NUM: the raw JSON text */
	uint8_t		 cls;		/* enum kcls */
	uint8_t		 wide;		/* K_NUM beyond 38 digits */
	uint8_t		 b;		/* K_BOOL: 0 or 1 */
};

/* Read the key in token t of d (-1: missing) into k. Strings without
 * escapes and other values point into d's text; an escaped string is
 * unescaped into scratch, which must then outlive k's use. 0, or -1 for a
 * number beyond PostgreSQL numeric's range (no order is exact for it). */
int	skey_read(const struct jdoc *d, int t, struct skey *k,
	    struct buf *scratch);
/* Bytes of k that skey_copy needs beyond the struct. */
size_t	skey_extra(const struct skey *k);
/* Copy k to dst, its bytes to mem (skey_extra(k) of room); returns the
 * bytes used. */
size_t	skey_copy(struct skey *dst, const struct skey *k, char *mem);

/* <0, 0, >0 as a ranks before, with, after b by the --by keys (direction
 * and nulls last applied); arrival order is the caller's tie-break. */
int	skeys_cmp(const struct skey *a, const struct skey *b);

/* Append the canonical JSON text of token t to out: a string unescaped and
 * quoted again (so "a\/b" and "a/b" are one value), anything else as
 * written. tmp is scratch. t < 0 (missing) appends null. */
void	json_canon_append(const struct jdoc *d, int t, struct buf *out,
	    struct buf *tmp);

/* A row kept in a ranking (part.c). Rows that tie on every key rank in
 * arrival order, which is the order they were inserted in. */
struct trow {
	char		*body;		/* members, without __kind and rank */
	size_t		 blen;
	struct skey	*k;		/* conf.nby keys */
};

/* ---------------------------------------------------------------------
 * rlist.c: the rows of a partition in rank order (sorted blocks)
 */

struct rblock {
	struct trow	**r;
	size_t		 n;
	size_t		 cap;
};

struct rlist {
	struct rblock	*b;		/* in rank order, none empty */
	size_t		 nb;
	size_t		 bcap;
	size_t		 n;		/* rows */
	size_t		 cb;		/* cursor: block cb, whose first */
	size_t		 cstart;	/* row has rank index cstart */
};

#define RLIST_INIT { NULL, 0, 0, 0, 0, 0 }

/* Insert r after every row that ranks before or with it; returns its rank
 * index (0 for rank 1). r is owned by the list from now on. */
size_t	rlist_insert(struct rlist *l, struct trow *r);
/* The row at rank index g < l->n. Cheap for g, g + 1, ... in turn. */
struct trow *rlist_at(struct rlist *l, size_t g);
/* Rank index of the first row with keys k and members body, or SIZE_MAX. */
size_t	rlist_find(struct rlist *l, const struct skey *k, const char *body,
	    size_t blen);
/* Take out the row at rank index g and return it (the caller frees it). */
struct trow *rlist_remove(struct rlist *l, size_t g);
/* Free every row and the list. */
void	rlist_free(struct rlist *l);

/* ---------------------------------------------------------------------
 * part.c: partitions and their rankings
 */

struct part;

/* A row to keep: keys (conf.nby), members text; everything is copied. */
struct trow *trow_new(const struct skey *k, const char *body, size_t blen);

void	parts_setup(void);
/* The open partition of key (klen bytes), or NULL. With create, a missing
 * one is opened (seq: the arrival of the row opening it). Under --sorted a
 * key other than the last one's closes the last partition first. */
struct part *part_get(const char *key, size_t klen, int create,
	    uint64_t seq);
/* Would a row with keys k, arriving now, enter p's top N? */
int	part_admits(struct part *p, const struct skey *k);
/* Add r (owned by p from now on); in update mode write the changes. */
void	part_add(struct part *p, struct trow *r);
/* Remove the earliest row of p whose keys are k and whose members are
 * body; in update mode write the changes. p is closed when it empties.
 * Returns 0, or -1 when no row matched. */
int	part_retract(struct part *p, const struct skey *k, const char *body,
	    size_t blen);
/* A row of p has this window_end: p's is the largest. */
void	part_window_end(struct part *p, int64_t wend);
/* The watermark moved to wm: close every partition whose window_end is at
 * or before it, in window_end order (then first arrival); T_MAX closes
 * everything, then the partitions without window_end in arrival order. */
void	parts_advance(int64_t wm);
void	parts_free(void);

#endif
