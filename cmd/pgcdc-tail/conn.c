/*
 * conn.c: connecting, running commands, quoting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "conn.h"
#include "diag.h"


#define SESSION_OPTIONS "-c DateStyle=ISO -c TimeZone=UTC " \
	"-c client_encoding=UTF8 " \
	"-c IntervalStyle=postgres -c extra_float_digits=3"

static PGconn	*conn_connect(const struct conn_opts *, int, int);

PGconn *
conn_open(const struct conn_opts *o, int replication)
{
	return conn_connect(o, replication, 1);
}

PGconn *
conn_try(const struct conn_opts *o, int replication)
{
	return conn_connect(o, replication, 0);
}

/* Connect; on failure exit 1 (fatal) or warn and return NULL. */
static PGconn *
conn_connect(const struct conn_opts *o, int replication, int fatal)
{
	const char *keys[9], *vals[9];
	char *pw = NULL;
	PGconn *c;
	int n = 0, again;

	/* dbname first: a conninfo string in it is expanded, and the
	 * keywords after it override what it says. */
	if (o->dbname != NULL) {
		keys[n] = "dbname";
		vals[n++] = o->dbname;
	}
	if (replication) {
		keys[n] = "replication";
		vals[n++] = "database";
	}
	if (o->host != NULL) {
		keys[n] = "host";
		vals[n++] = o->host;
	}
	if (o->port != NULL) {
		keys[n] = "port";
		vals[n++] = o->port;
	}
	if (o->user != NULL) {
		keys[n] = "user";
		vals[n++] = o->user;
	}
	keys[n] = "options";
	vals[n++] = SESSION_OPTIONS;
	keys[n] = "fallback_application_name";
	vals[n++] = diag_progname;
	keys[n] = NULL;
	vals[n] = NULL;

	do {
		again = 0;
		if (o->password == 1 && pw == NULL)
			pw = getpass("Password: ");
		if (pw != NULL) {
			keys[n] = "password";
			vals[n] = pw;
			keys[n + 1] = NULL;
			vals[n + 1] = NULL;
		}
		c = PQconnectdbParams(keys, vals, 1);
		if (c == NULL)
			diag_errx(EXIT_DATA, "could not connect to server: "
			    "out of memory");
		if (PQstatus(c) == CONNECTION_BAD && PQconnectionNeedsPassword(c)
		    && pw == NULL && o->password != -1) {
			PQfinish(c);
			pw = getpass("Password: ");
			again = 1;
		}
	} while (again);
	if (PQstatus(c) != CONNECTION_OK) {
		char msg[2048];

		/* Copied: the message goes with the connection. */
		diag_one_line(msg, sizeof(msg), PQerrorMessage(c),
		    strlen(PQerrorMessage(c)));
		PQfinish(c);
		if (fatal)
			diag_errx(EXIT_DATA, "could not connect to server: %s",
			    msg);
		diag_warnx("could not connect to server: %s", msg);
		return NULL;
	}
	return c;
}

PGresult *
conn_exec_unless(PGconn *c, const char *sql, ExecStatusType status,
    const char *state)
{
	PGresult *r = PQexec(c, sql);
	const char *st;

	if (r != NULL && PQresultStatus(r) == status)
		return r;
	st = r != NULL ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	if (state != NULL && st != NULL && strcmp(st, state) == 0) {
		PQclear(r);
		return NULL;
	}
	diag_errx(EXIT_DATA, "could not run \"%.60s%s\": %s", sql,
	    strlen(sql) > 60 ? "..." : "", PQerrorMessage(c));
}

PGresult *
conn_exec(PGconn *c, const char *sql, ExecStatusType status)
{
	return conn_exec_unless(c, sql, status, NULL);
}

int
conn_any_row(PGconn *c, const char *sql, const char *value)
{
	struct buf q = BUF_INIT;
	PGresult *r;
	int n;

	buf_puts(&q, sql);
	conn_literal(&q, value);
	r = conn_exec(c, q.data, PGRES_TUPLES_OK);
	n = PQntuples(r);
	PQclear(r);
	buf_free(&q);
	return n > 0;
}

void
conn_ident(struct buf *b, const char *name)
{
	buf_putc(b, '"');
	for (; *name != '\0'; name++) {
		if (*name == '"')
			buf_putc(b, '"');
		buf_putc(b, *name);
	}
	buf_putc(b, '"');
}

void
conn_qualified(struct buf *b, const char *name)
{
	const char *dot = strchr(name, '.');
	char *nsp;

	if (dot != NULL) {
		nsp = xstrndup(name, (size_t)(dot - name));
		conn_ident(b, nsp);
		free(nsp);
		buf_putc(b, '.');
		name = dot + 1;
	}
	conn_ident(b, name);
}

void
conn_literal(struct buf *b, const char *s)
{
	/* E'' with doubled quotes and backslashes: right whatever
	 * standard_conforming_strings says. */
	buf_puts(b, "E'");
	for (; *s != '\0'; s++) {
		if (*s == '\'' || *s == '\\')
			buf_putc(b, *s);
		buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

void
conn_repl_literal(struct buf *b, const char *s)
{
	buf_putc(b, '\'');
	for (; *s != '\0'; s++) {
		if (*s == '\'')
			buf_putc(b, '\'');
		buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

int
lsn_parse(const char *s, uint64_t *lsn)
{
	unsigned long long hi, lo;
	char *end;

	if (*s == '\0' || strchr(s, '/') == NULL || s[0] == '-')
		return -1;
	hi = strtoull(s, &end, 16);
	if (*end != '/' || end == s || hi > 0xFFFFFFFFULL)
		return -1;
	s = end + 1;
	if (*s == '\0' || *s == '-')
		return -1;
	lo = strtoull(s, &end, 16);
	if (*end != '\0' || lo > 0xFFFFFFFFULL)
		return -1;
	*lsn = (uint64_t)hi << 32 | lo;
	return 0;
}

void
lsn_format(uint64_t lsn, char out[24])
{
	snprintf(out, 24, "%X/%X", (unsigned)(lsn >> 32), (unsigned)lsn);
}
