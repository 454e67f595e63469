/*
 * snapshot.c: copy the published tables as of the slot's exported snapshot.
 *
 * Each table is read with COPY ... TO STDOUT in text format, one row at a
 * time (libpq hands rows over as they arrive, so memory does not grow with
 * the table), and every column goes through the same type mapping as the
 * stream. The last row of the snapshot says "snapshot":"last"; to know which
 * row that is, each row is built in memory and written when the next one
 * arrives.
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
	uint32_t	 typoid;
};

struct snapctx {
	struct jout	 row[2];	/* the pending row and the one built */
	int		 cur;
	int		 pending;	/* row[!cur] holds a row not written */
	char		*pending_source; /* its source block, up to "snapshot" */
	struct buf	 source;
	const char	*db;
	uint64_t	 lsn;
	int64_t		 ts_ms;
	int		 flags;
	int		 progress;	/* --progress */
	uint64_t	 rows;
};

static void
json_quote(struct buf *b, const char *s)
{
	jout_quote_buf(b, s, strlen(s));
}

/* 'schema.table' as a SQL literal of the quoted name, for ::regclass. */
static void
regclass_literal(struct buf *sql, const char *nsp, const char *rel)
{
	struct buf q = BUF_INIT;

	conn_ident(&q, nsp);
	buf_putc(&q, '.');
	conn_ident(&q, rel);
	conn_literal(sql, q.data);
	buf_free(&q);
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
copy_table(PGconn *c, struct snapctx *x, const char *nsp, const char *rel)
{
	struct buf sql = BUF_INIT, field = BUF_INIT;
	struct snapcol *cols;
	struct progress pg;
	PGresult *r;
	char *line, *p, *end, *tab, *label;
	int ncols, i, n;

	/* Columns in table order, as COPY writes them. */
	buf_puts(&sql, "SELECT a.attname, a.atttypid FROM pg_attribute a "
	    "WHERE a.attrelid = ");
	regclass_literal(&sql, nsp, rel);
	buf_puts(&sql, "::regclass AND a.attnum > 0 AND NOT a.attisdropped "
	    "ORDER BY a.attnum");
	r = conn_exec(c, sql.data, PGRES_TUPLES_OK);
	ncols = PQntuples(r);
	buf_reset(&field);
	buf_printf(&field, "snapshot of %s.%s", nsp, rel);
	label = xstrdup(field.data);
	cols = xcalloc((size_t)ncols + 1, sizeof(*cols));
	for (i = 0; i < ncols; i++) {
		buf_reset(&field);
		json_quote(&field, PQgetvalue(r, i, 0));
		buf_putc(&field, ':');
		cols[i].key = xstrdup(field.data);
		cols[i].typoid = (uint32_t)strtoul(PQgetvalue(r, i, 1), NULL,
		    10);
	}
	PQclear(r);

	/* The source block of every row of this table, up to "snapshot":. */
	buf_reset(&x->source);
	buf_puts(&x->source, ",\"source\":{\"connector\":\"postgresql\","
	    "\"db\":");
	json_quote(&x->source, x->db);
	buf_puts(&x->source, ",\"schema\":");
	json_quote(&x->source, nsp);
	buf_puts(&x->source, ",\"table\":");
	json_quote(&x->source, rel);
	buf_printf(&x->source, ",\"lsn\":%llu,\"txId\":null,\"ts_ms\":%lld,"
	    "\"snapshot\":", (unsigned long long)x->lsn, (long long)x->ts_ms);

	/* The planner's row estimate is the progress total. */
	progress_init(&pg, "rows");
	if (x->progress)
		progress_force(&pg);
	pg.label = label;
	buf_reset(&sql);
	buf_puts(&sql, "SELECT reltuples::bigint FROM pg_class WHERE oid = ");
	regclass_literal(&sql, nsp, rel);
	buf_puts(&sql, "::regclass");
	r = conn_exec(c, sql.data, PGRES_TUPLES_OK);
	if (PQntuples(r) == 1 && atoll(PQgetvalue(r, 0, 0)) > 0)
		pg.total = (uint64_t)atoll(PQgetvalue(r, 0, 0));
	PQclear(r);

	buf_reset(&sql);
	buf_puts(&sql, "COPY ");
	conn_ident(&sql, nsp);
	buf_putc(&sql, '.');
	conn_ident(&sql, rel);
	buf_puts(&sql, " TO STDOUT");
	PQclear(conn_exec(c, sql.data, PGRES_COPY_OUT));
	while ((n = PQgetCopyData(c, &line, 0)) > 0) {
		struct jout *o = &x->row[x->cur];

		p = line;
		end = line + n;
		if (end > p && end[-1] == '\n')
			end--;
		o->len = 0;
		jout_char(o, '{');
		for (i = 0; i < ncols; i++) {
			tab = memchr(p, '\t', (size_t)(end - p));
			if (tab == NULL)
				tab = end;
			if (i > 0)
				jout_char(o, ',');
			jout_lit(o, cols[i].key);
			if (pgval_copy_field(p, (size_t)(tab - p), &field))
				jout_raw(o, "null", 4);
			else
				pgval_write(o, cols[i].typoid, field.data,
				    field.len, x->flags);
			p = tab < end ? tab + 1 : end;
		}
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
		diag_errx(EXIT_DATA, "could not copy table \"%s.%s\": %s", nsp,
		    rel, PQerrorMessage(c));
	r = PQgetResult(c);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		diag_errx(EXIT_DATA, "could not copy table \"%s.%s\": %s", nsp,
		    rel, PQerrorMessage(c));
	PQclear(r);
	while ((r = PQgetResult(c)) != NULL)
		PQclear(r);
	diag_info(1, "snapshot of \"%s.%s\" done", nsp, rel);
	for (i = 0; i < ncols; i++)
		free(cols[i].key);
	free(cols);
	buf_free(&sql);
	buf_free(&field);
}

void
snapshot_copy(const struct conn_opts *co, const char *snap,
    const char *publication, const char *db, uint64_t lsn, int pgval_flags,
    int progress)
{
	struct snapctx x;
	struct buf sql = BUF_INIT;
	struct timeval tv;
	PGconn *c;
	PGresult *r;
	int i;

	memset(&x, 0, sizeof(x));
	jout_init_mem(&x.row[0]);
	jout_init_mem(&x.row[1]);
	x.db = db;
	x.lsn = lsn;
	x.flags = pgval_flags;
	x.progress = progress;
	gettimeofday(&tv, NULL);
	x.ts_ms = (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;

	c = conn_open(co, 0);
	PQclear(conn_exec(c, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
	    PGRES_COMMAND_OK));
	buf_puts(&sql, "SET TRANSACTION SNAPSHOT ");
	conn_literal(&sql, snap);
	PQclear(conn_exec(c, sql.data, PGRES_COMMAND_OK));
	buf_reset(&sql);
	buf_puts(&sql, "SELECT schemaname, tablename FROM pg_publication_tables "
	    "WHERE pubname = ");
	conn_literal(&sql, publication);
	buf_puts(&sql, " ORDER BY 1, 2");
	r = conn_exec(c, sql.data, PGRES_TUPLES_OK);
	for (i = 0; i < PQntuples(r); i++)
		copy_table(c, &x, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1));
	PQclear(r);
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
