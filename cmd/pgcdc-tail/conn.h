/*
 * conn.h: pgcdc-tail's connections to PostgreSQL.
 *
 * Connection options follow pg_recvlogical: a conninfo string or URI (-d)
 * plus -h, -p, -U, -w/-W; libpq adds the PG* variables, .pgpass, service
 * files and sslmode. Every session gets DateStyle=ISO, TimeZone=UTC,
 * IntervalStyle=postgres and extra_float_digits=3, so the text form of
 * values (which pgoutput and COPY send) is the same whatever the server's
 * defaults.
 */
#ifndef CDC_PGCDC_CONN_H
#define CDC_PGCDC_CONN_H

#include <libpq-fe.h>
#include <stdint.h>

#include "buf.h"

struct conn_opts {
	const char	*dbname;	/* -d: conninfo, URI or database name */
	const char	*host;
	const char	*port;
	const char	*user;
	int		 password;	/* -1 never (-w), 1 always ask (-W) */
};

/* Open a connection; replication = 1 for replication=database. Fatal
 * (exit 1) with libpq's message when it fails. */
PGconn	*conn_open(const struct conn_opts *o, int replication);
/* The same, but a failure is a warning and NULL (for reconnecting). A
 * password asked for once (-W) is asked for again. */
PGconn	*conn_try(const struct conn_opts *o, int replication);

/* Run sql; fatal unless the result has `status`. The caller PQclear()s. */
PGresult *conn_exec(PGconn *c, const char *sql, ExecStatusType status);
/* Like conn_exec, but return NULL when the error's SQLSTATE is `state`. */
PGresult *conn_exec_unless(PGconn *c, const char *sql, ExecStatusType status,
	    const char *state);

/* Whether the query sql followed by value as a literal ("SELECT 1 FROM t
 * WHERE name = " and "x") returns a row; fatal as conn_exec. */
int	conn_any_row(PGconn *c, const char *sql, const char *value);

/* Append name as a quoted SQL identifier ("a""b") / a literal ('it''s'). */
void	conn_ident(struct buf *b, const char *name);
void	conn_literal(struct buf *b, const char *s);
/* Append "name" or "schema.name" (split at the first dot) with each part
 * quoted as an identifier: "s"."t". */
void	conn_qualified(struct buf *b, const char *name);
/* A literal in a replication command ('it''s'): its grammar has no E''. */
void	conn_repl_literal(struct buf *b, const char *s);

/* "16/B374D848" <-> integer. 0, or -1 on bad syntax. */
int	lsn_parse(const char *s, uint64_t *lsn);
void	lsn_format(uint64_t lsn, char out[24]);

#endif
