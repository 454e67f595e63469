/*
 * unwrap.h: cdc-unwrap's pieces: the events of a line and the options
 * that shape its rows (unwrap.c), and the per-table state of --changelog
 * and --complete-before (store.c). main.c runs them on the stage driver.
 *
 *	struct unwrap_conf c;	(zeroed, then the option parsers)
 *	unwrap_add_fields(&c, "op,table", &err); unwrap_check(&c, &err);
 *	struct unwrap *u = unwrap_new(&c, &jout_stdout);
 *	for each line:
 *		if (unwrap_line(u, line, len, &why) != 0) report why;
 *	for each watermark line: unwrap_watermark(u, line, len, us);
 *	unwrap_free(u); tables_free(); unwrap_conf_free(&c);
 */
#ifndef CDC_UNWRAP_H
#define CDC_UNWRAP_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "field.h"
#include "hmap.h"
#include "jout.h"
#include "jscan.h"

/* One --add-fields entry: where to look, and the output key. */
struct addfield {
	struct field	 path;		/* from the envelope root */
	struct field	 in_source;	/* "source.<name>" for a plain name */
	int		 plain;		/* no dot: envelope, then source */
	char		*name;		/* "__name", unescaped */
	char		*key;		/* ",\"__name\":" ready to splice */
};

/* One --tables entry. */
struct tablefilter {
	char		*schema;	/* NULL: any schema */
	char		*name;
};

/* What shapes the rows: the options of cdc-unwrap but --key (store.c). */
struct unwrap_conf {
	int		 rewrite;	/* --deletes rewrite */
	int		 changelog;
	int		 complete_before;
	struct addfield	*add;
	size_t		 nadd;
	struct tablefilter *tables;
	size_t		 ntables;
	int64_t		 wm_delay;	/* --watermark-delay, microseconds */
};

/* --add-fields LIST, appended to c->add: 0, or -1 with the reason appended
 * to err and c as it was. */
int	unwrap_add_fields(struct unwrap_conf *c, const char *spec,
	    struct buf *err);
/* --tables LIST ("name" or "schema.name", comma-separated), appended to
 * c->tables: 0, or -1 with the reason appended to err and c as it was. */
int	unwrap_tables(struct unwrap_conf *c, const char *spec, struct buf *err);
/* The options together: the names added to rows unique and meaning
 * nothing else, --deletes=rewrite without --changelog, --complete-before
 * with it. 0, or -1 with the reason appended to err. */
int	unwrap_check(const struct unwrap_conf *c, struct buf *err);
void	unwrap_conf_free(struct unwrap_conf *c);

struct unwrap;

/* Unwrap lines as c says (c must outlive u), writing rows to out. */
struct unwrap *unwrap_new(const struct unwrap_conf *c, struct jout *out);
/*
 * One input line (without its newline) that is not a control line: an
 * event becomes its rows, any other line passes through. 0, or -1 for a
 * bad line, with *why (valid until the next call) saying what is wrong:
 * nothing has then been written for it. Warnings that concern a table
 * (partial retractions) go to diag_warnx, once per table.
 */
int	unwrap_line(struct unwrap *u, const char *line, size_t len,
	    const char **why);
/* A watermark line (us its time, TS_INF for "infinity"): as it is, or
 * --watermark-delay earlier. */
void	unwrap_watermark(struct unwrap *u, const char *line, size_t len,
	    int64_t us);
/* Rows written and lines passed through so far. */
void	unwrap_counts(const struct unwrap *u, uint64_t *rows,
	    uint64_t *passed);
void	unwrap_free(struct unwrap *u);

/* A row kept by --complete-before: the raw JSON object text. */
struct row {
	size_t	len;
	char	text[];
};

/* What cdc-unwrap knows about one table ("schema.table"). */
struct table {
	char		*name;
	size_t		 ncols;		/* most columns seen in an after image */
	struct field_list key;		/* key columns, once known */
	int		 key_known;
	int		 key_given;	/* from --key, not learned */
	struct hmap	 rows;		/* key -> struct row *, --complete-before */
	struct row	**pending;	/* rows seen before the key was known */
	size_t		 npending;
	int		 warned;	/* warnings given, a bit each */
};

/* Table state by name, created on first use; key columns from --key. */
struct table *table_get(const char *name, size_t len);
/* --key [TABLE:]COL[+COL]: 0, or -1 on bad syntax. */
int	 table_key_option(const char *spec);
void	 tables_free(void);

/*
 * --complete-before store. Keys are built from the key columns' raw values.
 * store_put keeps a copy of object `obj` of d as the current row for its key
 * (or as pending while the key is unknown); store_take removes and returns
 * the row for the key found in object `obj` (a before image or an after
 * image), or NULL. table_learn_key makes the members of obj the key (from a
 * partial before image) and indexes the pending rows.
 */
void	 store_put(struct table *t, const struct jdoc *d, int obj);
struct row *store_take(struct table *t, const struct jdoc *d, int obj);
void	 table_learn_key(struct table *t, const struct jdoc *d, int obj);
/* Every stored row of t in insertion order, removed (for a truncate):
 * calls fn on each with arg, then frees it. */
void	 store_drain(struct table *t, void (*fn)(const struct row *, void *),
	    void *arg);

#endif
