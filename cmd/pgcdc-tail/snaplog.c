/*
 * snaplog.c: the server-side record of the copies each slot's reader got.
 *
 * A plain table, so that it lives and dies with the database the slot
 * belongs to (a restored backup restores both), needs no privilege beyond
 * writing one table, and can be read by anyone who wonders what was
 * copied. Nothing else would do: a logical decoding message is gone from
 * the slot once the slot is confirmed past it, and the reader's own files
 * may not follow the server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "diag.h"
#include "snaplog.h"

#define SNAPLOG_COLUMNS \
	"(slot_name name NOT NULL, relid oid NOT NULL, " \
	"table_name text NOT NULL, lsn pg_lsn NOT NULL, " \
	"copied_at timestamptz NOT NULL DEFAULT now(), " \
	"PRIMARY KEY (slot_name, relid))"

/* The relid of the table sql_name names, or 0 when there is none. */
static uint32_t
table_relid(PGconn *c, const char *sql_name)
{
	struct buf sql = BUF_INIT;
	PGresult *r;
	uint32_t relid = 0;

	buf_puts(&sql, "SELECT to_regclass(");
	conn_literal(&sql, sql_name);
	buf_puts(&sql, ")::oid");
	r = conn_exec(c, sql.data, PGRES_TUPLES_OK);
	if (PQntuples(r) == 1 && !PQgetisnull(r, 0, 0))
		relid = (uint32_t)strtoul(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	buf_free(&sql);
	return relid;
}

void
snaplog_open(struct snaplog *l, PGconn *c, const char *name)
{
	struct buf sql = BUF_INIT;
	PGresult *r;

	memset(l, 0, sizeof(*l));
	l->c = c;
	l->name = name;
	conn_qualified(&sql, name);
	l->sql_name = xstrdup(sql.data);
	if ((l->relid = table_relid(c, l->sql_name)) == 0) {
		buf_reset(&sql);
		buf_printf(&sql, "CREATE TABLE %s " SNAPLOG_COLUMNS,
		    l->sql_name);
		/* 42P07: another run made it meanwhile. */
		r = conn_exec_unless(c, sql.data, PGRES_COMMAND_OK, "42P07");
		PQclear(r);
		if ((l->relid = table_relid(c, l->sql_name)) == 0)
			diag_errx(EXIT_DATA, "could not find table \"%s\" "
			    "after creating it", name);
		diag_info(1, "created table \"%s\" for --snapshot=new", name);
	}
	buf_free(&sql);
}

void
snaplog_close(struct snaplog *l)
{
	free(l->sql_name);
	l->sql_name = NULL;
}

int
snaplog_read(struct snaplog *l, const char *slot, struct hmap *copied)
{
	struct buf sql = BUF_INIT;
	PGresult *r;
	uint32_t relid;
	void **val;
	int i, known = 0;

	/* A copy counts once the slot is confirmed at or past its lsn. */
	buf_printf(&sql, "SELECT l.relid, l.lsn <= s.confirmed_flush_lsn, "
	    "l.table_name "
	    "FROM %s l LEFT JOIN pg_catalog.pg_replication_slots s "
	    "ON s.slot_name = l.slot_name WHERE l.slot_name = ", l->sql_name);
	conn_literal(&sql, slot);
	r = conn_exec(l->c, sql.data, PGRES_TUPLES_OK);
	if (PQnfields(r) != 3)
		diag_errx(EXIT_DATA, "unexpected answer reading table \"%s\": "
		    "got %d fields, expected 3", l->name, PQnfields(r));
	for (i = 0; i < PQntuples(r); i++) {
		relid = (uint32_t)strtoul(PQgetvalue(r, i, 0), NULL, 10);
		if (relid == 0)
			known = 1;
		else if (strcmp(PQgetvalue(r, i, 1), "t") == 0) {
			val = hmap_put(copied, &relid, sizeof(relid));
			free(*val);
			*val = xstrdup(PQgetvalue(r, i, 2));
		}
	}
	PQclear(r);
	buf_free(&sql);
	return known ? 0 : -1;
}

/* One row of the log, as a VALUES item. */
static void
row_values(struct buf *sql, const char *slot, uint32_t relid,
    const char *table, const char *lsn)
{
	buf_putc(sql, '(');
	conn_literal(sql, slot);
	buf_printf(sql, ", %lu, ", (unsigned long)relid);
	conn_literal(sql, table);
	buf_puts(sql, ", ");
	conn_literal(sql, lsn);
	buf_putc(sql, ')');
}

void
snaplog_begin(struct snaplog *l, const char *slot, uint64_t lsn)
{
	struct buf sql = BUF_INIT;
	char text[24];

	lsn_format(lsn, text);
	buf_printf(&sql, "BEGIN; DELETE FROM %s WHERE slot_name = ",
	    l->sql_name);
	conn_literal(&sql, slot);
	buf_printf(&sql, "; INSERT INTO %s (slot_name, relid, table_name, "
	    "lsn) VALUES ", l->sql_name);
	row_values(&sql, slot, 0, "", text);
	buf_puts(&sql, "; COMMIT");
	PQclear(conn_exec(l->c, sql.data, PGRES_COMMAND_OK));
	buf_free(&sql);
}

void
snaplog_record(struct snaplog *l, const char *slot,
    const struct hmap *tables, uint64_t lsn)
{
	struct buf sql = BUF_INIT;
	struct hmap_entry *e;
	uint32_t relid;
	char text[24];
	int n = 0;

	lsn_format(lsn, text);
	buf_printf(&sql, "INSERT INTO %s (slot_name, relid, table_name, lsn) "
	    "VALUES ", l->sql_name);
	HMAP_FOREACH(tables, e) {
		memcpy(&relid, e->key, sizeof(relid));
		if (n++ > 0)
			buf_puts(&sql, ", ");
		row_values(&sql, slot, relid, e->val != NULL ? e->val : "",
		    text);
	}
	buf_puts(&sql, " ON CONFLICT (slot_name, relid) DO UPDATE SET "
	    "table_name = excluded.table_name, lsn = excluded.lsn, "
	    "copied_at = now()");
	if (n > 0)
		PQclear(conn_exec(l->c, sql.data, PGRES_COMMAND_OK));
	buf_free(&sql);
}
