/*
 * store.c: per-table state for cdc-unwrap: key columns and, with
 * --complete-before, the last row per key.
 *
 * With PostgreSQL's default REPLICA IDENTITY the old image of an update is
 * missing (key unchanged) or only the key, and a delete carries only the key.
 * A retraction downstream needs the whole old row, so the store keeps the
 * latest version of every row and completes the partial images from it.
 * The key columns come from --key or are learned from the first partial
 * before image (whose members are exactly the key); rows seen before that are
 * kept in arrival order and indexed once the key is known.
 */
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "unwrap.h"

struct keyopt {
	char		*table;		/* NULL: every table */
	struct field_list cols;
};

static struct hmap tables = HMAP_INIT;
static struct keyopt *keyopts;
static size_t nkeyopts;
static struct buf keybuf = BUF_INIT;
static struct jdoc rowdoc = JDOC_INIT;

static int	make_key(const struct table *, const struct jdoc *, int);
static void	index_row(struct table *, struct row *);

int
table_key_option(const char *spec)
{
	const char *colon = strrchr(spec, ':');
	struct keyopt k;
	char *cols, *p;
	const char *bad;

	memset(&k, 0, sizeof(k));
	if (colon != NULL) {
		if (colon == spec)
			return -1;
		k.table = xstrndup(spec, (size_t)(colon - spec));
		spec = colon + 1;
	}
	/* Columns are joined with '+' so the option value has no comma. */
	cols = xstrdup(spec);
	for (p = cols; *p != '\0'; p++)
		if (*p == '+')
			*p = ',';
	if (*cols == '\0' || field_list_parse(&k.cols, cols, &bad) != 0) {
		free(cols);
		free(k.table);
		field_list_free(&k.cols);
		return -1;
	}
	free(cols);
	keyopts = xrealloc(keyopts, (nkeyopts + 1) * sizeof(*keyopts));
	keyopts[nkeyopts++] = k;
	return 0;
}

/* Does a --key table name ("t" or "schema.t") name this table? */
static int
key_table_matches(const char *want, const char *name)
{
	const char *dot = strchr(name, '.');

	if (strcmp(want, name) == 0)
		return 1;
	return dot != NULL && strchr(want, '.') == NULL &&
	    strcmp(want, dot + 1) == 0;
}

struct table *
table_get(const char *name, size_t len)
{
	void **slot = hmap_put(&tables, name, len);
	struct table *t = *slot;
	const struct keyopt *k, *use = NULL;
	size_t i;

	if (t != NULL)
		return t;
	t = xcalloc(1, sizeof(*t));
	t->name = xstrndup(name, len);
	*slot = t;
	/* A --key naming the table wins over one for every table. */
	for (i = 0; i < nkeyopts; i++) {
		k = &keyopts[i];
		if (k->table == NULL && use == NULL)
			use = k;
		else if (k->table != NULL && key_table_matches(k->table,
		    t->name))
			use = k;
	}
	if (use != NULL) {
		for (i = 0; i < use->cols.n; i++) {
			struct field f;

			field_parse(&f, use->cols.f[i].text);
			t->key.f = xrealloc(t->key.f,
			    (t->key.n + 1) * sizeof(*t->key.f));
			t->key.f[t->key.n++] = f;
		}
		t->key_known = t->key_given = 1;
	}
	return t;
}

static void
table_free(void *p)
{
	struct table *t = p;
	size_t i;

	free(t->name);
	field_list_free(&t->key);
	hmap_free(&t->rows, free);
	for (i = 0; i < t->npending; i++)
		free(t->pending[i]);
	free(t->pending);
	free(t);
}

void
tables_free(void)
{
	size_t i;

	hmap_free(&tables, table_free);
	for (i = 0; i < nkeyopts; i++) {
		free(keyopts[i].table);
		field_list_free(&keyopts[i].cols);
	}
	free(keyopts);
	keyopts = NULL;
	nkeyopts = 0;
	buf_free(&keybuf);
	jscan_free(&rowdoc);
}

/* The key of object obj into keybuf: each key column's raw JSON value,
 * length-prefixed. 0, or -1 when a key column is missing. */
static int
make_key(const struct table *t, const struct jdoc *d, int obj)
{
	const char *raw;
	size_t i, n;
	uint32_t n32;
	int v;

	buf_reset(&keybuf);
	for (i = 0; i < t->key.n; i++) {
		if ((v = field_scan(d, obj, &t->key.f[i])) < 0)
			return -1;
		raw = jscan_raw(d, v, &n);
		n32 = (uint32_t)n;
		buf_append(&keybuf, &n32, sizeof(n32));
		buf_append(&keybuf, raw, n);
	}
	return 0;
}

static struct row *
row_copy(const struct jdoc *d, int obj)
{
	const char *raw;
	struct row *r;
	size_t n;

	raw = jscan_raw(d, obj, &n);
	r = xmalloc(sizeof(*r) + n);
	r->len = n;
	memcpy(r->text, raw, n);
	return r;
}

/* Put a copied row under its key, replacing (and freeing) an older one. */
static void
index_row(struct table *t, struct row *r)
{
	void **slot;

	if (jscan_parse(&rowdoc, r->text, r->len) != 0 ||
	    make_key(t, &rowdoc, 0) != 0) {
		free(r);	/* no key columns: it can never be retracted */
		return;
	}
	slot = hmap_put(&t->rows, keybuf.data, keybuf.len);
	free(*slot);
	*slot = r;
}

void
store_put(struct table *t, const struct jdoc *d, int obj)
{
	struct row *r = row_copy(d, obj);

	if (!t->key_known) {
		t->pending = xrealloc(t->pending,
		    (t->npending + 1) * sizeof(*t->pending));
		t->pending[t->npending++] = r;
		return;
	}
	index_row(t, r);
}

struct row *
store_take(struct table *t, const struct jdoc *d, int obj)
{
	if (!t->key_known || make_key(t, d, obj) != 0)
		return NULL;
	return hmap_del(&t->rows, keybuf.data, keybuf.len);
}

void
table_learn_key(struct table *t, const struct jdoc *d, int obj)
{
	const char *name;
	size_t i, n;
	int k;

	if (t->key_known)
		return;
	for (k = jscan_child(d, obj); k >= 0; k = jscan_after(d, obj, k + 1)) {
		struct buf nb = BUF_INIT;
		struct field f;

		/* The member name is a literal, not a path: escape dots. */
		jscan_str(d, k, &nb, &name, &n);
		{
			struct buf esc = BUF_INIT;

			for (i = 0; i < n; i++) {
				if (name[i] == '.' || name[i] == '\\')
					buf_putc(&esc, '\\');
				buf_putc(&esc, name[i]);
			}
			if (esc.len > 0 && field_parse(&f, esc.data) == 0) {
				t->key.f = xrealloc(t->key.f,
				    (t->key.n + 1) * sizeof(*t->key.f));
				t->key.f[t->key.n++] = f;
			}
			buf_free(&esc);
		}
		buf_free(&nb);
	}
	if (t->key.n == 0)
		return;
	t->key_known = 1;
	for (i = 0; i < t->npending; i++)
		index_row(t, t->pending[i]);
	free(t->pending);
	t->pending = NULL;
	t->npending = 0;
}

void
store_drain(struct table *t, void (*fn)(const struct row *, void *),
    void *arg)
{
	struct hmap_entry *e;
	size_t i;

	for (i = 0; i < t->npending; i++) {
		fn(t->pending[i], arg);
		free(t->pending[i]);
	}
	free(t->pending);
	t->pending = NULL;
	t->npending = 0;
	HMAP_FOREACH(&t->rows, e)
		fn(e->val, arg);
	hmap_free(&t->rows, free);
}
