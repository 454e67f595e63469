/*
 * snapshot.c: copy the published tables as of an exported snapshot.
 *
 * Each table is read with COPY (SELECT its published columns FROM it WHERE
 * its row filter) TO STDOUT in text format, one row at a time (libpq hands
 * rows over as they arrive, so memory does not grow with the table), and
 * every column goes through the same type mapping as the stream. The last
 * row of the snapshot says "snapshot":"last"; to know which row that is,
 * each row is built in memory and written when the next one arrives.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include "buf.h"
#include "diag.h"
#include "jout.h"
#include "pgval.h"
#include "progress.h"
#include "snapshot.h"

struct snapcol {
	char		*key;		/* "\"name\":" */
	char		*ident;		/* "name", quoted for SQL */
	uint32_t	 typoid;
};

/* A published table and how the publication publishes it. */
struct snaptable {
	uint32_t	 relid;
	char		*nsp;
	char		*rel;
	int		 partitioned;	/* a partition root: read it whole */
	char		*filter;	/* the row filter's SQL text, or NULL */
	uint64_t	 estimate;	/* the planner's row count, or 0 */
	int		 ncols;
	struct snapcol	*cols;
};

struct snapctx {
	struct jout	 row[2];	/* the pending row and the one built */
	int		 cur;
	int		 pending;	/* row[!cur] holds a row not written */
	char		*pending_source; /* its source block, up to "snapshot" */
	struct buf	 source;
	const char	*db;
	uint64_t	 lsn;
	int64_t		 ts_us;		/* the snapshot's time, us since 1970 */
	int		 flags;
	int		 progress;	/* --progress */
	uint64_t	 rows;
};

/*
 * Each table pg_publication_tables lists for the publication, with the
 * columns it publishes in table order (the order of pgoutput's Relation
 * message): those of its column list, or all, less generated columns, which
 * the view lists but pgoutput never sends. A table without such columns has
 * one row with a null attname. Sorted by schema and table, then attnum.
 */
#define PUBLISHED_SQL \
	"SELECT c.oid, pt.schemaname, pt.tablename, c.relkind, pt.rowfilter, " \
	"c.reltuples::bigint, a.attname, a.atttypid " \
	"FROM pg_catalog.pg_publication_tables pt " \
	"JOIN pg_catalog.pg_namespace n ON n.nspname = pt.schemaname " \
	"JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid " \
	"AND c.relname = pt.tablename " \
	"LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid " \
	"AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = '' " \
	"AND a.attname = ANY (pt.attnames) " \
	"WHERE pt.pubname = "
#define PUBLISHED_ORDER	" ORDER BY pt.schemaname, pt.tablename, a.attnum"

static void
json_quote(struct buf *b, const char *s)
{
	jout_quote_buf(b, s, strlen(s));
}

static char *
table_name(const char *nsp, const char *rel)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s.%s", nsp, rel);
	return b.data;
}

/* The tables of publication pub, as PUBLISHED_SQL lists them; *n of them. */
static struct snaptable *
published(PGconn *c, const char *pub, size_t *n)
{
	struct buf sql = BUF_INIT, key = BUF_INIT;
	struct snaptable *t = NULL;
	size_t nt = 0, cap = 0;
	PGresult *r;
	uint32_t relid;
	int i;

	buf_puts(&sql, PUBLISHED_SQL);
	conn_literal(&sql, pub);
	buf_puts(&sql, PUBLISHED_ORDER);
	r = conn_exec(c, sql.data, PGRES_TUPLES_OK);
	if (PQnfields(r) != 8)
		diag_errx(EXIT_DATA, "unexpected answer listing the tables of "
		    "publication \"%s\": got %d fields, expected 8", pub,
		    PQnfields(r));
	for (i = 0; i < PQntuples(r); i++) {
		struct snaptable *tt;
		struct snapcol *col;

		relid = (uint32_t)strtoul(PQgetvalue(r, i, 0), NULL, 10);
		if (nt == 0 || t[nt - 1].relid != relid) {
			if (nt == cap) {
				cap = cap ? cap * 2 : 16;
				t = xrealloc(t, cap * sizeof(*t));
			}
			tt = &t[nt++];
			memset(tt, 0, sizeof(*tt));
			tt->relid = relid;
			tt->nsp = xstrdup(PQgetvalue(r, i, 1));
			tt->rel = xstrdup(PQgetvalue(r, i, 2));
			tt->partitioned = PQgetvalue(r, i, 3)[0] == 'p';
			if (!PQgetisnull(r, i, 4))
				tt->filter = xstrdup(PQgetvalue(r, i, 4));
			if (atoll(PQgetvalue(r, i, 5)) > 0)
				tt->estimate = (uint64_t)atoll(
				    PQgetvalue(r, i, 5));
		}
		tt = &t[nt - 1];
		if (PQgetisnull(r, i, 6))
			continue;
		tt->cols = xrealloc(tt->cols, ((size_t)tt->ncols + 1) *
		    sizeof(*tt->cols));
		col = &tt->cols[tt->ncols++];
		buf_reset(&key);
		json_quote(&key, PQgetvalue(r, i, 6));
		buf_putc(&key, ':');
		col->key = xstrdup(key.data);
		buf_reset(&key);
		conn_ident(&key, PQgetvalue(r, i, 6));
		col->ident = xstrdup(key.data);
		col->typoid = (uint32_t)strtoul(PQgetvalue(r, i, 7), NULL, 10);
	}
	PQclear(r);
	buf_free(&sql);
	buf_free(&key);
	*n = nt;
	return t;
}

static void
published_free(struct snaptable *t, size_t n)
{
	size_t i;
	int j;

	for (i = 0; i < n; i++) {
		for (j = 0; j < t[i].ncols; j++) {
			free(t[i].cols[j].key);
			free(t[i].cols[j].ident);
		}
		free(t[i].cols);
		free(t[i].nsp);
		free(t[i].rel);
		free(t[i].filter);
	}
	free(t);
}

void
snapshot_published(PGconn *c, const char *publication, struct hmap *out)
{
	struct buf sql = BUF_INIT;
	PGresult *r;
	uint32_t relid;
	void **slot;
	int i;

	buf_puts(&sql, "SELECT c.oid, pt.schemaname, pt.tablename "
	    "FROM pg_catalog.pg_publication_tables pt "
	    "JOIN pg_catalog.pg_namespace n ON n.nspname = pt.schemaname "
	    "JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid "
	    "AND c.relname = pt.tablename WHERE pt.pubname = ");
	conn_literal(&sql, publication);
	r = conn_exec(c, sql.data, PGRES_TUPLES_OK);
	if (PQnfields(r) != 3)
		diag_errx(EXIT_DATA, "unexpected answer listing the tables of "
		    "publication \"%s\": got %d fields, expected 3",
		    publication, PQnfields(r));
	for (i = 0; i < PQntuples(r); i++) {
		relid = (uint32_t)strtoul(PQgetvalue(r, i, 0), NULL, 10);
		slot = hmap_put(out, &relid, sizeof(relid));
		free(*slot);
		*slot = table_name(PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
	}
	PQclear(r);
	buf_free(&sql);
}

/*
 * The query that reads what the publication publishes of table t:
 *	COPY (SELECT "a", "b" FROM ONLY "s"."t" WHERE <filter>) TO STDOUT
 * ONLY, because the rows of an inheritance child are published as the
 * child's; a partition root publishes its partitions' rows, so it is read
 * whole (and COPY cannot read it directly).
 */
static void
copy_sql(struct buf *sql, const struct snaptable *t)
{
	int i;

	buf_puts(sql, "COPY (SELECT ");
	for (i = 0; i < t->ncols; i++) {
		if (i > 0)
			buf_puts(sql, ", ");
		buf_puts(sql, t->cols[i].ident);
	}
	buf_puts(sql, t->partitioned ? " FROM " : " FROM ONLY ");
	conn_ident(sql, t->nsp);
	buf_putc(sql, '.');
	conn_ident(sql, t->rel);
	/* The filter is the server's own deparsed text of the expression the
	 * publication stores (pg_get_expr, identifiers quoted, names
	 * qualified where this session's search_path would not find them),
	 * which the server accepted as a row filter: a plain expression over
	 * this table's columns, without subqueries or user-defined functions.
	 * It comes from the catalog, not from the user, and is spliced as
	 * PostgreSQL's own table synchronisation does. */
	if (t->filter != NULL) {
		buf_puts(sql, " WHERE ");
		buf_puts(sql, t->filter);
	}
	buf_puts(sql, ") TO STDOUT");
}

/* Write the held-back row as an event; `last` marks the snapshot's end. */
static void
write_pending(struct snapctx *x, int last)
{
	struct jout *o = &jout_stdout;
	struct jout *r = &x->row[!x->cur];
	struct timeval tv;

	if (!x->pending)
		return;
	jout_lit(o, "{\"before\":null,\"after\":");
	jout_raw(o, r->buf, r->len);
	jout_raw(o, x->pending_source, strlen(x->pending_source));
	jout_lit(o, last ? "\"last\"" : "\"true\"");
	gettimeofday(&tv, NULL);
	jout_lit(o, "},\"op\":\"r\",\"ts_ms\":");
	jout_i64(o, (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000);
	jout_lit(o, "}\n");
	x->pending = 0;
}

static void
copy_table(PGconn *c, struct snapctx *x, const struct snaptable *t)
{
	struct buf sql = BUF_INIT, field = BUF_INIT;
	struct progress pg;
	PGresult *r;
	char *line, *p, *end, *tab, *label;
	int i, n;

	/* The source block of every row of this table, up to "snapshot":. */
	buf_reset(&x->source);
	buf_puts(&x->source, ",\"source\":{\"connector\":\"postgresql\","
	    "\"db\":");
	json_quote(&x->source, x->db);
	buf_puts(&x->source, ",\"schema\":");
	json_quote(&x->source, t->nsp);
	buf_puts(&x->source, ",\"table\":");
	json_quote(&x->source, t->rel);
	buf_printf(&x->source, ",\"lsn\":%llu,\"txId\":null,\"ts_ms\":%lld,"
	    "\"ts_us\":%lld,\"snapshot\":", (unsigned long long)x->lsn,
	    (long long)(x->ts_us / 1000), (long long)x->ts_us);

	/* The planner's row estimate is the progress total. */
	progress_init(&pg, "rows");
	if (x->progress)
		progress_force(&pg);
	label = table_name(t->nsp, t->rel);
	buf_printf(&field, "snapshot of %s", label);
	free(label);
	label = xstrdup(field.data);
	pg.label = label;
	pg.total = t->estimate;

	copy_sql(&sql, t);
	PQclear(conn_exec(c, sql.data, PGRES_COPY_OUT));
	while ((n = PQgetCopyData(c, &line, 0)) > 0) {
		struct jout *o = &x->row[x->cur];

		p = line;
		end = line + n;
		if (end > p && end[-1] == '\n')
			end--;
		o->len = 0;
		jout_char(o, '{');
		for (i = 0; i < t->ncols; i++) {
			/* As many fields as columns selected, always. */
			if (p == NULL)
				diag_errx(EXIT_DATA, "could not copy table "
				    "\"%s.%s\": a row has %d fields, expected "
				    "%d", t->nsp, t->rel, i, t->ncols);
			tab = memchr(p, '\t', (size_t)(end - p));
			if (tab == NULL)
				tab = end;
			if (i > 0)
				jout_char(o, ',');
			jout_lit(o, t->cols[i].key);
			if (pgval_copy_field(p, (size_t)(tab - p), &field))
				jout_raw(o, "null", 4);
			else
				pgval_write(o, t->cols[i].typoid, field.data,
				    field.len, x->flags);
			p = tab < end ? tab + 1 : NULL;
		}
		if (p != NULL && t->ncols > 0)
			diag_errx(EXIT_DATA, "could not copy table \"%s.%s\": "
			    "a row has more than %d fields", t->nsp, t->rel,
			    t->ncols);
		jout_char(o, '}');
		PQfreemem(line);
		/* Now the previous row is known not to be the last. */
		write_pending(x, 0);
		free(x->pending_source);
		x->pending_source = xstrdup(x->source.data);
		x->cur = !x->cur;
		x->pending = 1;
		x->rows++;
		progress_tick(&pg, 1);
	}
	progress_done(&pg);
	free(label);
	if (n == -2)
		diag_errx(EXIT_DATA, "could not copy table \"%s.%s\": %s",
		    t->nsp, t->rel, PQerrorMessage(c));
	r = PQgetResult(c);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		diag_errx(EXIT_DATA, "could not copy table \"%s.%s\": %s",
		    t->nsp, t->rel, PQerrorMessage(c));
	PQclear(r);
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
	diag_info(1, "snapshot of \"%s.%s\" done", t->nsp, t->rel);
	buf_free(&sql);
	buf_free(&field);
}

void
snapshot_copy(const struct conn_opts *co, const char *snap,
    const struct snapshot_spec *sp, struct hmap *copied)
{
	struct snapctx x;
	struct snaptable *t;
	struct buf sql = BUF_INIT;
	struct timeval tv;
	size_t i, n;
	void **slot;
	PGconn *c;

	memset(&x, 0, sizeof(x));
	jout_init_mem(&x.row[0]);
	jout_init_mem(&x.row[1]);
	x.db = sp->db;
	x.lsn = sp->lsn;
	x.flags = sp->pgval_flags;
	x.progress = sp->progress;
	gettimeofday(&tv, NULL);
	x.ts_us = (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;

	c = conn_open(co, 0);
	PQclear(conn_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	    PGRES_COMMAND_OK));
	buf_puts(&sql, "SET TRANSACTION SNAPSHOT ");
	conn_literal(&sql, snap);
	PQclear(conn_exec(c, sql.data, PGRES_COMMAND_OK));
	t = published(c, sp->publication, &n);
	for (i = 0; i < n; i++) {
		if (t[i].relid == sp->skip || (sp->only != NULL &&
		    hmap_get(sp->only, &t[i].relid, sizeof(t[i].relid)) ==
		    NULL))
			continue;
		copy_table(c, &x, &t[i]);
		if (copied != NULL) {
			slot = hmap_put(copied, &t[i].relid,
			    sizeof(t[i].relid));
			free(*slot);
			*slot = table_name(t[i].nsp, t[i].rel);
		}
	}
	published_free(t, n);
	write_pending(&x, 1);
	PQclear(conn_exec(c, "COMMIT", PGRES_COMMAND_OK));
	PQfinish(c);
	jout_flush(&jout_stdout);
	diag_info(1, "snapshot: %llu rows", (unsigned long long)x.rows);
	free(x.pending_source);
	buf_free(&x.source);
	buf_free(&sql);
	jout_close(&x.row[0]);
	jout_close(&x.row[1]);
}
