/*
 * unwrap.h: cdc-unwrap's pieces shared between main.c and store.c.
 */
#ifndef CDC_UNWRAP_H
#define CDC_UNWRAP_H

#include <stddef.h>

#include "buf.h"
#include "field.h"
#include "hmap.h"
#include "jscan.h"

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
 * calls fn on each, then frees it. */
void	 store_drain(struct table *t, void (*fn)(const struct row *));

#endif
