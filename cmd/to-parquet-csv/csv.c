/*
 * csv.c: the CSV writer of to-parquet-csv (RFC 4180).
 *
 * A header row, then one line per row ending in LF. A field is quoted when
 * it contains a comma, a double quote, CR or LF, starts or ends with a
 * space or tab, or is the empty string (an unquoted empty field is null, as
 * PostgreSQL's COPY ... CSV reads it); a double quote inside is doubled.
 * Strings are written unescaped, numbers as written, booleans as true and
 * false, objects and arrays as their JSON text. A NUL character (\u0000) in
 * a string or a member name makes the row FW_BAD: CSV readers, PostgreSQL's
 * COPY first, cannot take it back. The columns are the first
 * row group's members in order of first appearance (after the --schema and
 * start columns), so that group is buffered, already encoded, until the
 * header is known; later rows are written as they come, and one with a
 * new member is FW_MISFIT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fwi.h"
#include "jout.h"

struct csvw {
	struct buf	 rows;		/* the first row group, encoded */
	size_t		*rend;		/* end of each row in rows */
	size_t		*rnf;		/* fields in each row */
	size_t		 nrows;
	size_t		 rcap;
	struct buf	 line;
	struct buf	 tmp;
};

static void	csv_field(struct buf *, const char *, size_t);
static int	csv_nul(struct fw *, const struct jdoc *, const char **);
static void	csv_value(struct fw *, struct buf *, const struct jdoc *, int);
static int	csv_start(struct fw *);

void
csv_open(struct fw *w)
{
	w->csv = xcalloc(1, sizeof(*w->csv));
}

void
csv_free(struct fw *w)
{
	struct csvw *c = w->csv;

	if (c == NULL)
		return;
	buf_free(&c->rows);
	buf_free(&c->line);
	buf_free(&c->tmp);
	free(c->rend);
	free(c->rnf);
	free(c);
	w->csv = NULL;
}

/* Whether s[0..n) must be quoted to be one field. */
static int
needs_quotes(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
	    s[n - 1] == '\t')
		return 1;
	for (i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

/* The bytes of b from `at` on as one field: quoted in place when they have
 * to be (no second copy of a long value). */
static void
csv_field_tail(struct buf *b, size_t at)
{
	size_t n = b->len - at, q = 0, i, j;
	char *p;

	if (!needs_quotes(b->data + at, n))
		return;
	for (i = 0; i < n; i++)
		q += b->data[at + i] == '"';
	buf_grow(b, q + 2);
	p = b->data + at;
	/* from the end, so nothing is overwritten before it moves */
	j = n + q + 2;
	p[--j] = '"';
	for (i = n; i-- > 0;) {
		p[--j] = p[i];
		if (p[i] == '"')
			p[--j] = '"';
	}
	p[--j] = '"';
	b->len = at + n + q + 2;
	b->data[b->len] = '\0';
}

/* s[0..n) as one field, quoted when it has to be. */
static void
csv_field(struct buf *b, const char *s, size_t n)
{
	size_t i;

	if (!needs_quotes(s, n)) {
		buf_append(b, s, n);
		return;
	}
	buf_putc(b, '"');
	for (i = 0; i < n; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

static void
csv_value(struct fw *w, struct buf *b, const struct jdoc *d, int t)
{
	const char *s;
	size_t n;

	switch (jscan_type(d, t)) {
	case J_NONE:
	case J_NULL:
		return;
	case J_STRING:
		if (d->tok[t].flags & JT_ESCAPED) {
			/* unescaped straight into the row */
			n = b->len;
			jscan_str_append(d, t, b);
			csv_field_tail(b, n);
			return;
		}
		jscan_str(d, t, &w->csv->tmp, &s, &n);
		csv_field(b, s, n);
		return;
	case J_NUMBER:
	case J_TRUE:
	case J_FALSE:
		s = jscan_raw(d, t, &n);
		buf_append(b, s, n);
		return;
	case J_OBJECT:
	case J_ARRAY:
		s = jscan_raw(d, t, &n);
		csv_field(b, s, n);
		return;
	}
}

/* The header and the buffered first row group; the columns are final.
 * Rows as long as the header go out in runs; a row buffered before the
 * last columns appeared gets its empty fields added. */
static int
csv_start(struct fw *w)
{
	struct csvw *c = w->csv;
	struct buf *l = &c->line;
	size_t i, k, st, run = 0;

	w->fixed = 1;
	if (w->map.n == 0)
		c->nrows = c->rows.len = 0;	/* nothing to write: no column */
	else {
		buf_reset(l);
		for (i = 0; i < w->map.n; i++) {
			if (i > 0)
				buf_putc(l, ',');
			csv_field(l, w->map.col[i].c.name,
			    w->map.col[i].c.nlen);
		}
		buf_putc(l, '\n');
		if (out_write(&w->out, l->data, l->len) != 0)
			return -1;
	}
	for (i = 0; i < c->nrows; i++) {
		if (c->rnf[i] == w->map.n)
			continue;
		st = i > 0 ? c->rend[i - 1] : 0;
		buf_reset(l);
		for (k = c->rnf[i]; k < w->map.n; k++)
			buf_putc(l, ',');
		buf_putc(l, '\n');
		if (out_write(&w->out, c->rows.data + run, st - run) != 0 ||
		    out_write(&w->out, c->rows.data + st,
		    c->rend[i] - st - 1) != 0 ||
		    out_write(&w->out, l->data, l->len) != 0)
			return -1;
		run = c->rend[i];
	}
	if (c->rows.len > run && out_write(&w->out, c->rows.data + run,
	    c->rows.len - run) != 0)
		return -1;
	buf_free(&c->rows);
	free(c->rend);
	free(c->rnf);
	c->rend = c->rnf = NULL;
	c->nrows = c->rcap = 0;
	w->rg_rows = 0;
	w->rg_bytes = 0;
	return 0;
}

/* Whether string token t holds a NUL character once unescaped: only an
 * escape (\u0000) can put one there. Read from the escaped text, so a long
 * string is not copied to be looked at. */
static int
has_nul(const struct jdoc *d, int t)
{
	const char *p, *end, *bs;
	size_t n;

	if (jscan_type(d, t) != J_STRING || !(d->tok[t].flags & JT_ESCAPED))
		return 0;
	p = jscan_raw(d, t, &n) + 1;
	end = p + n - 2;
	while ((bs = memchr(p, '\\', (size_t)(end - p))) != NULL) {
		if (bs[1] == 'u' && memcmp(bs + 2, "0000", 4) == 0)
			return 1;
		p = bs + 2;	/* past the escaped character */
	}
	return 0;
}

/* FW_BAD with *why for the first column of the gathered row whose name or
 * value holds a NUL character, else FW_OK. */
static int
csv_nul(struct fw *w, const struct jdoc *d, const char **why)
{
	static char msg[512];
	struct rowmap *m = &w->map;
	struct buf q = BUF_INIT;
	const char *name = NULL;
	size_t i, len = 0;
	int isname = 0;

	for (i = 0; i < m->n && name == NULL; i++)
		if (m->tok[i] >= 0 && has_nul(d, m->tok[i])) {
			name = m->col[i].c.name;
			len = m->col[i].c.nlen;
		}
	for (i = 0; i < m->nnw && name == NULL; i++) {
		name = m->nbuf.data + m->nw[i].off;
		len = m->nw[i].len;
		isname = memchr(name, '\0', len) != NULL;
		if (!isname && !has_nul(d, m->nw[i].val))
			name = NULL;
	}
	if (name == NULL)
		return FW_OK;
	jout_quote_buf(&q, name, len);
	snprintf(msg, sizeof(msg), "field %s: a NUL character (\\u0000) in "
	    "its %s cannot be written to CSV", q.data, isname ? "name" :
	    "value");
	buf_free(&q);
	*why = msg;
	return FW_BAD;
}

int
csv_row(struct fw *w, const struct jdoc *d, const char **why)
{
	struct csvw *c = w->csv;
	struct rowmap *m = &w->map;
	struct buf *l;
	size_t i;

	rowmap_gather(m, d);
	fw_vals_room(w);
	if (rowmap_check_declared(m, d, w->vals, why) != FW_OK ||
	    csv_nul(w, d, why) != FW_OK)
		return FW_BAD;
	if (w->fixed) {
		for (i = 0; i < m->nnw; i++)
			if (d->tok[m->nw[i].val].type != J_NULL)
				return FW_MISFIT;
		l = &c->line;
		buf_reset(l);
	} else {
		for (i = 0; i < m->nnw; i++) {
			size_t ci = rowmap_add(m, m->nbuf.data + m->nw[i].off,
			    m->nw[i].len);

			m->tok[ci] = m->nw[i].val;
		}
		fw_vals_room(w);
		l = &c->rows;
	}
	for (i = 0; i < m->n; i++) {
		if (i > 0)
			buf_putc(l, ',');
		csv_value(w, l, d, m->tok[i]);
	}
	w->rows++;
	buf_putc(l, '\n');
	if (w->fixed) {
		if (m->n > 0 && out_write(&w->out, l->data, l->len) != 0)
			fw_die(w);
		return FW_OK;
	}
	if (c->nrows == c->rcap) {
		c->rcap = c->rcap ? 2 * c->rcap : 1024;
		c->rend = xrealloc(c->rend, c->rcap * sizeof(*c->rend));
		c->rnf = xrealloc(c->rnf, c->rcap * sizeof(*c->rnf));
	}
	c->rend[c->nrows] = c->rows.len;
	c->rnf[c->nrows] = m->n;
	c->nrows++;
	w->rg_rows++;
	w->rg_bytes = c->rows.len;
	if (w->rg_rows >= w->conf.rg_rows || w->rg_bytes >= w->conf.rg_bytes)
		if (csv_start(w) != 0)
			fw_die(w);
	return FW_OK;
}

int
csv_finish(struct fw *w)
{
	if (!w->fixed && csv_start(w) != 0)
		return -1;
	return out_flush(&w->out);
}
