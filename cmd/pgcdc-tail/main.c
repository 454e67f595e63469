/*
 * pgcdc-tail: stream row changes from PostgreSQL logical replication
 * (the built-in pgoutput plugin) as Debezium-shaped change events, one JSON
 * object per line.
 *
 * Delivery is at-least-once (DESIGN.md section 8): a position is confirmed
 * to the server only once every event up to it was written to standard
 * output, i.e. the end LSN of the last transaction fully written. A rerun
 * after a failure repeats events, never skips them.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>

#include "conn.h"
#include "diag.h"
#include "jout.h"
#include "opts.h"
#include "pgval.h"
#include "snaplog.h"
#include "snapshot.h"
#include "statefile.h"
#include "stream.h"
#include "tstamp.h"

#define SHORTOPTS	"?E:S:U:VWd:h:p:qs:vw"

enum {
	OPT_PUBLICATION = OPT_TOOL, OPT_CREATE_SLOT, OPT_CREATE_PUB,
	OPT_TABLES, OPT_DROP_SLOT, OPT_NO_ACK, OPT_ACK, OPT_LSN_FILE,
	OPT_SNAPSHOT, OPT_NUMERIC, OPT_WATERMARKS, OPT_WM_INTERVAL,
	OPT_MAX_LAG, OPT_PROGRESS, OPT_SNAPSHOT_TABLE
};

/* --snapshot */
enum { SNAP_INITIAL, SNAP_NEW, SNAP_NEVER };

static const struct option longopts[] = {
	{ "dbname",		required_argument, NULL, 'd' },
	{ "host",		required_argument, NULL, 'h' },
	{ "port",		required_argument, NULL, 'p' },
	{ "username",		required_argument, NULL, 'U' },
	{ "no-password",	no_argument,	   NULL, 'w' },
	{ "password",		no_argument,	   NULL, 'W' },
	{ "slot",		required_argument, NULL, 'S' },
	{ "publication",	required_argument, NULL, OPT_PUBLICATION },
	{ "create-slot",	no_argument,	   NULL, OPT_CREATE_SLOT },
	{ "create-publication",	no_argument,	   NULL, OPT_CREATE_PUB },
	{ "tables",		required_argument, NULL, OPT_TABLES },
	{ "drop-slot",		no_argument,	   NULL, OPT_DROP_SLOT },
	{ "endpos",		required_argument, NULL, 'E' },
	{ "no-ack",		no_argument,	   NULL, OPT_NO_ACK },
	{ "ack",		required_argument, NULL, OPT_ACK },
	{ "lsn-file",		required_argument, NULL, OPT_LSN_FILE },
	{ "snapshot",		required_argument, NULL, OPT_SNAPSHOT },
	{ "status-interval",	required_argument, NULL, 's' },
	{ "numeric",		required_argument, NULL, OPT_NUMERIC },
	{ "watermarks",		no_argument,	   NULL, OPT_WATERMARKS },
	{ "watermark-interval",	required_argument, NULL, OPT_WM_INTERVAL },
	{ "max-lag-bytes",	required_argument, NULL, OPT_MAX_LAG },
	{ "progress",		no_argument,	   NULL, OPT_PROGRESS },
	{ "snapshot-table",	required_argument, NULL, OPT_SNAPSHOT_TABLE },
	OPTS_COMMON_LONG,
	{ NULL, 0, NULL, 0 }
};

static struct {
	struct conn_opts conn;
	const char	*slot;
	const char	*publication;
	const char	*tables;
	const char	*endpos_arg;
	const char	*ack_arg;
	const char	*lsn_file;
	int		 create_slot;
	int		 create_pub;
	int		 drop_slot;
	int		 no_ack;
	int		 snapshot;	/* SNAP_* */
	const char	*snapshot_table;
	int		 pgval_flags;
	int64_t		 status_us;
	int		 watermarks;
	int64_t		 wm_interval_us;
	uint64_t	 max_lag;
	int		 progress;
} conf;

/* The last watermark written and when (monotonic, DESIGN.md section 4). */
static int64_t wm_last = INT64_MIN, wm_written_at;
static int lag_warned;

static volatile sig_atomic_t stop_requested;
static int output_broken;

static void
usage(FILE *fp)
{
	fprintf(fp,
"%s streams row changes from PostgreSQL logical replication\n"
"(pgoutput) as Debezium-shaped change events, one JSON object per line.\n"
"\n"
"usage: %s [-qvwW] -S SLOT [-d CONNINFO] [-h HOST] [-p PORT] [-U USER]\n"
"       [--publication=NAME] [--create-slot] [--create-publication]\n"
"       [--tables=LIST] [-E LSN|now] [--no-ack] [--lsn-file=FILE]\n"
"       [--snapshot=initial|new|never] [--snapshot-table=NAME]\n"
"       [-s INTERVAL] [--numeric=number|string] [--watermarks]\n"
"       [--watermark-interval=DUR] [--max-lag-bytes=SIZE] [--progress]\n"
"       %s -S SLOT --drop-slot | --ack=LSN [connection options]\n"
"\n"
"Connection (as pg_recvlogical; PG* variables and .pgpass apply):\n"
"  -d, --dbname=CONNINFO      database name, conninfo string or URI\n"
"  -h, --host=HOST            server host or socket directory\n"
"  -p, --port=PORT            server port\n"
"  -U, --username=USER        user name\n"
"  -w, --no-password          never prompt for a password\n"
"  -W, --password             prompt for a password\n"
"\n"
"Slot and publication:\n"
"  -S, --slot=SLOT            logical replication slot (required)\n"
"      --publication=NAME     publication to stream (required to stream)\n"
"      --create-slot          create the slot if missing (then snapshot)\n"
"      --create-publication   create the publication if missing: for\n"
"                             --tables, or FOR ALL TABLES\n"
"      --tables=LIST          tables of a created publication (a,s.b)\n"
"      --drop-slot            drop the slot and exit\n"
"      --snapshot=initial|new|never  copy the published tables first when\n"
"                             the slot is created (initial, the default),\n"
"                             and tables added to the publication later\n"
"                             too (new), or never\n"
"      --snapshot-table=NAME  where --snapshot=new records on the server\n"
"                             what was copied (default pgcdc_tail_snapshots)\n"
"      --progress             snapshot progress on stderr even when it is\n"
"                             not a terminal\n"
"\n"
"Position and acknowledgement:\n"
"  -E, --endpos=LSN|now       stop once this position is reached (exit 0)\n"
"      --no-ack               confirm nothing; report the last LSN written\n"
"      --lsn-file=FILE        write that LSN to FILE instead of stderr\n"
"      --ack=LSN              confirm LSN on the slot and exit\n"
"  -s, --status-interval=DUR  status updates to the server (default 10s)\n"
"\n"
"Values and watermarks:\n"
"      --numeric=number|string  numeric as JSON numbers (exact digits,\n"
"                             default) or strings\n"
"      --watermarks           write {\"__watermark\":...} lines from commit\n"
"                             times, and from the server clock when idle\n"
"      --watermark-interval=DUR  at most one per DUR (default 1s)\n"
"      --max-lag-bytes=SIZE   warn when the slot holds more WAL than this\n"
"                             (default 1G)\n"
"\n"
OPTS_COMMON_HELP
"\n"
"Exit status: 0 success (also SIGINT/SIGTERM and --endpos), 1 server,\n"
"connection or output error, 2 usage error.\n",
	    diag_progname, diag_progname, diag_progname);
}

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void
on_broken_pipe(struct jout *o)
{
	(void)o;
	output_broken = 1;
	stop_requested = 1;
}

static int64_t
now_us(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return (int64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void
put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = (unsigned char)v;
		v >>= 8;
	}
}

static uint64_t
take64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

enum { LOOP_DONE, LOOP_LOST, LOOP_COPY };

static char *lost_reason;

/*
 * Whether a server error that ended the stream may pass with a reconnect:
 * a lost or refused connection (class 08), a server shutting down or not
 * ready (57P01-57P03), too many connections or too little memory (53), a
 * slot still held by the session before (55006), an I/O or internal error
 * (58, XX). Any other error, such as a publication dropped while streaming
 * (42704), says the same again on every try: it is final.
 */
static int
server_error_passes(const PGresult *r)
{
	const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);

	if (st == NULL || strlen(st) != 5)
		return 1;
	return strncmp(st, "08", 2) == 0 || strncmp(st, "57P", 3) == 0 ||
	    strncmp(st, "53", 2) == 0 || strcmp(st, "55006") == 0 ||
	    strncmp(st, "58", 2) == 0 || strncmp(st, "XX", 2) == 0;
}

/* The connection broke: note why, for the retry warning or the error. */
static int
lost(PGconn *c, const char *what)
{
	const char *err = PQerrorMessage(c);
	char msg[2048];
	struct buf b = BUF_INIT;

	diag_one_line(msg, sizeof(msg), err, strlen(err));
	buf_printf(&b, "%s%s%s", what, msg[0] != '\0' ? ": " : "", msg);
	free(lost_reason);
	lost_reason = b.data;
	return LOOP_LOST;
}

/*
 * A watermark line for event time us (microseconds since 1970), when asked
 * for, moving forward, and at most once per --watermark-interval.
 */
static void
watermark(struct jout *o, int64_t us)
{
	int64_t now = now_us();

	if (!conf.watermarks || us <= wm_last ||
	    now - wm_written_at < conf.wm_interval_us)
		return;
	wm_last = us;
	wm_written_at = now;
	jout_lit(o, "{\"__watermark\":");
	jout_time(o, us);
	jout_lit(o, "}\n");
	jout_flush(o);
}

/* Warn (once per crossing) when the server's WAL end is more than
 * --max-lag-bytes past what the slot has confirmed: WAL the slot pins.
 * Messages say different things of the WAL end (a keepalive where the
 * walsender has read to, a change its own position, a transaction's begin
 * its first one), so the lag is taken from the furthest seen: only a
 * confirmation makes it smaller. */
static void
check_lag(uint64_t wal_end, uint64_t acked)
{
	static uint64_t wal_seen;
	uint64_t lag;

	if (wal_end > wal_seen)
		wal_seen = wal_end;
	lag = wal_seen > acked ? wal_seen - acked : 0;

	if (lag > conf.max_lag && !lag_warned) {
		diag_warnx("slot \"%s\" holds %llu MB of WAL on the server "
		    "(over --max-lag-bytes): the pipeline is not keeping up",
		    conf.slot, (unsigned long long)(lag >> 20));
		lag_warned = 1;
	} else if (lag <= conf.max_lag / 2)
		lag_warned = 0;
}

/* Standby status update: written up to `recv`, confirmed up to `flush`
 * (0 confirms nothing). -1 when the connection is gone. */
static int
send_status(PGconn *c, uint64_t recv, uint64_t flush)
{
	unsigned char msg[34];

	msg[0] = 'r';
	put64(msg + 1, recv);
	put64(msg + 9, flush);
	put64(msg + 17, flush);
	put64(msg + 25, (uint64_t)(now_us() - PG_EPOCH_US));
	msg[33] = 0;
	if (PQputCopyData(c, (const char *)msg, sizeof(msg)) <= 0 ||
	    PQflush(c) != 0)
		return -1;
	return 0;
}

/* The last position written, for a later --ack: to --lsn-file, replaced
 * atomically (a failed write leaves the file as it was, never a cut LSN),
 * or to stderr. */
static void
report_lsn(uint64_t lsn)
{
	char text[24];
	size_t n;

	lsn_format(lsn, text);
	if (conf.lsn_file == NULL) {
		fprintf(stderr, "%s: last written LSN %s\n", diag_progname,
		    text);
		return;
	}
	n = strlen(text);
	text[n++] = '\n';
	statefile_replace(conf.lsn_file, text, n);
}

/* Whether this run's slot exists. */
static int
slot_exists(PGconn *c)
{
	return conn_any_row(c, "SELECT 1 FROM pg_catalog.pg_replication_slots "
	    "WHERE slot_name = ", conf.slot);
}

/* Whether the publication exists in the connection's database. */
static int
publication_exists(PGconn *c)
{
	return conn_any_row(c, "SELECT 1 FROM pg_catalog.pg_publication WHERE "
	    "pubname = ", conf.publication);
}

/*
 * Logical decoding needs wal_level = logical. Asked before anything is
 * created, so a server that cannot stream is told how to fix it and is left
 * as it was.
 */
static void
check_wal_level(PGconn *c)
{
	PGresult *r = conn_exec(c, "SHOW wal_level", PGRES_TUPLES_OK);

	if (PQntuples(r) == 1 && PQnfields(r) == 1 &&
	    strcmp(PQgetvalue(r, 0, 0), "logical") != 0)
		diag_errx(EXIT_DATA, "the server has wal_level = \"%s\"; "
		    "logical replication needs \"logical\": set wal_level = "
		    "logical in postgresql.conf (or ALTER SYSTEM SET wal_level "
		    "= logical) and restart the server", PQgetvalue(r, 0, 0));
	PQclear(r);
}

/* Created by this run, and dropped again if the run cannot go on. */
static int pub_created;

static void
drop_created_publication(PGconn *c)
{
	struct buf sql = BUF_INIT;
	PGresult *r;

	if (!pub_created)
		return;
	buf_puts(&sql, "DROP PUBLICATION ");
	conn_ident(&sql, conf.publication);
	r = PQexec(c, sql.data);
	if (PQresultStatus(r) == PGRES_COMMAND_OK)
		diag_info(1, "dropped publication \"%s\" again",
		    conf.publication);
	PQclear(r);
	buf_free(&sql);
	pub_created = 0;
}

static void
create_publication(PGconn *c)
{
	struct buf sql = BUF_INIT;
	PGresult *r;
	char *list, *item, *save = NULL;

	if (publication_exists(c))
		return;
	buf_puts(&sql, "CREATE PUBLICATION ");
	conn_ident(&sql, conf.publication);
	if (conf.tables == NULL)
		buf_puts(&sql, " FOR ALL TABLES");
	else {
		buf_puts(&sql, " FOR TABLE ");
		list = xstrdup(conf.tables);
		for (item = strtok_r(list, ",", &save); item != NULL;
		    item = strtok_r(NULL, ",", &save)) {
			if (sql.data[sql.len - 1] != ' ')
				buf_puts(&sql, ", ");
			conn_qualified(&sql, item);
		}
		free(list);
	}
	r = conn_exec(c, sql.data, PGRES_COMMAND_OK);
	PQclear(r);
	pub_created = 1;
	diag_info(1, "created publication \"%s\"", conf.publication);
	buf_free(&sql);
}

/* The answer to CREATE_REPLICATION_SLOT: the name of the snapshot it
 * exported (or NULL) in *snap, its consistent point in *lsn. Clears r. */
static void
slot_created(PGresult *r, char **snap, uint64_t *lsn)
{
	if (PQnfields(r) < 3 || PQntuples(r) != 1 ||
	    lsn_parse(PQgetvalue(r, 0, 1), lsn) != 0)
		diag_errx(EXIT_DATA, "unexpected answer to "
		    "CREATE_REPLICATION_SLOT: got %d rows and %d fields",
		    PQntuples(r), PQnfields(r));
	*snap = PQgetisnull(r, 0, 2) ? NULL : xstrdup(PQgetvalue(r, 0, 2));
	PQclear(r);
}

/*
 * CREATE_REPLICATION_SLOT when --create-slot and the slot is missing.
 * Returns 1 when it was created (its exported snapshot then named in
 * *snap, its consistent point in *start), 0 when it already existed.
 */
static int
create_slot(PGconn *c, char **snap, uint64_t *start)
{
	struct buf sql = BUF_INIT;
	PGresult *r;

	buf_puts(&sql, "CREATE_REPLICATION_SLOT ");
	conn_ident(&sql, conf.slot);
	buf_printf(&sql, " LOGICAL pgoutput (SNAPSHOT '%s')",
	    conf.snapshot != SNAP_NEVER ? "export" : "nothing");
	r = PQexec(c, sql.data);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		const char *st = PQresultErrorField(r, PG_DIAG_SQLSTATE);

		if (st != NULL && strcmp(st, "42710") == 0) {
			PQclear(r);
			buf_free(&sql);
			diag_info(1, "slot \"%s\" exists, resuming it",
			    conf.slot);
			return 0;
		}
		/* Nothing of this run is left behind; r keeps the
		 * message meanwhile. */
		drop_created_publication(c);
		diag_errx(EXIT_DATA, "could not create slot \"%s\": %s",
		    conf.slot, PQresultErrorMessage(r));
	}
	buf_free(&sql);
	slot_created(r, snap, start);
	diag_info(1, "created slot \"%s\"", conf.slot);
	return 1;
}

static void
drop_slot(PGconn *c)
{
	struct buf sql = BUF_INIT;

	buf_puts(&sql, "DROP_REPLICATION_SLOT ");
	conn_ident(&sql, conf.slot);
	PQclear(conn_exec(c, sql.data, PGRES_COMMAND_OK));
	buf_free(&sql);
}

/* --ack LSN: move the slot's confirmed position (never backwards). */
static void
ack_slot(PGconn *c, uint64_t lsn)
{
	struct buf sql = BUF_INIT;
	char text[24];

	lsn_format(lsn, text);
	if (!slot_exists(c))
		diag_errx(EXIT_DATA, "replication slot \"%s\" does not exist",
		    conf.slot);
	buf_puts(&sql, "SELECT pg_replication_slot_advance(");
	conn_literal(&sql, conf.slot);
	buf_puts(&sql, ", ");
	conn_literal(&sql, text);
	buf_puts(&sql, "::pg_lsn) FROM pg_replication_slots WHERE "
	    "slot_name = ");
	conn_literal(&sql, conf.slot);
	buf_puts(&sql, " AND confirmed_flush_lsn < ");
	conn_literal(&sql, text);
	buf_puts(&sql, "::pg_lsn");
	PQclear(conn_exec(c, sql.data, PGRES_TUPLES_OK));
	buf_free(&sql);
}

/*
 * Which tables the stream writes, and tables that joined the publication
 * after the slot's snapshot (--snapshot=new).
 *
 * A table's copy must meet the stream with no gap and no duplicate. A
 * temporary slot, created on a connection of its own, exports a snapshot
 * that sees exactly the transactions that committed before its consistent
 * point P; the tables are copied under that snapshot, and of the changes
 * the stream then brings for them, those of transactions that committed
 * before P are left out (the copy has them) and the others are written:
 * what PostgreSQL's own table synchronisation does (a slot whose snapshot
 * the copy uses, then catching up to it), within one stream. The rows of
 * the copy carry P as their LSN and come before the stream's events of
 * other tables that committed before P: each table's events are in commit
 * order, different tables' are not in order with each other.
 */
static struct snaplog snaplog;
static PGconn *logc;			/* snaplog's connection, or NULL */
static struct hmap to_copy = HMAP_INIT;	/* joined while streaming */
static unsigned copies;

/* A temporary slot and the snapshot it exports (in *snap), its consistent
 * point in *lsn. The connection returned holds both: it must stay open and
 * idle until the snapshot is imported, and closing it drops the slot. */
static PGconn *
temporary_slot(char **snap, uint64_t *lsn)
{
	struct buf sql = BUF_INIT;
	PGconn *tc = conn_open(&conf.conn, 1);
	PGresult *r;

	buf_printf(&sql, "CREATE_REPLICATION_SLOT \"pgcdc_tail_copy_%ld_%u\" "
	    "TEMPORARY LOGICAL pgoutput (SNAPSHOT 'export')", (long)getpid(),
	    copies++);
	r = PQexec(tc, sql.data);
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		diag_errx(EXIT_DATA, "could not create a temporary slot to copy "
		    "tables: %s", PQresultErrorMessage(r));
	slot_created(r, snap, lsn);
	if (*snap == NULL)
		diag_errx(EXIT_DATA, "could not create a temporary slot to copy "
		    "tables: the server exported no snapshot");
	buf_free(&sql);
	return tc;
}

/* Copy the published tables among todo's relids consistently with the
 * stream (see above) and record the copy. */
static void
copy_tables(struct stream *s, const char *db, const struct hmap *todo)
{
	struct snapshot_spec sp;
	struct hmap copied = HMAP_INIT;
	struct hmap_entry *e;
	uint32_t relid;
	uint64_t at;
	char *snap, text[24];
	PGconn *tc;

	tc = temporary_slot(&snap, &at);
	memset(&sp, 0, sizeof(sp));
	sp.publication = conf.publication;
	sp.db = db;
	sp.lsn = at;
	sp.pgval_flags = conf.pgval_flags;
	sp.progress = conf.progress;
	sp.only = todo;
	sp.skip = snaplog.relid;
	snapshot_copy(&conf.conn, snap, &sp, &copied);
	PQfinish(tc);			/* and with it the temporary slot */
	HMAP_FOREACH(todo, e) {
		memcpy(&relid, e->key, sizeof(relid));
		stream_table(s, relid, at);
	}
	if (!output_broken)
		snaplog_record(&snaplog, conf.slot, &copied, at);
	lsn_format(at, text);
	diag_info(1, "copied %zu tables as of %s", copied.live, text);
	hmap_free(&copied, free);
	free(snap);
}

/* The slot was just created with a snapshot: copy what it publishes, and
 * stream those tables from the slot's consistent point. */
static void
initial_snapshot(struct stream *s, const char *db, const char *snap,
    uint64_t start)
{
	struct snapshot_spec sp;
	struct hmap copied = HMAP_INIT;
	struct hmap_entry *e;
	uint32_t relid;

	/* Before the copy, so that a run killed half-way leaves a record
	 * that copied nothing, and the next run copies everything. */
	if (logc != NULL)
		snaplog_begin(&snaplog, conf.slot, start);
	memset(&sp, 0, sizeof(sp));
	sp.publication = conf.publication;
	sp.db = db;
	sp.lsn = start;
	sp.pgval_flags = conf.pgval_flags;
	sp.progress = conf.progress;
	sp.skip = snaplog.relid;
	snapshot_copy(&conf.conn, snap, &sp, &copied);
	HMAP_FOREACH(&copied, e) {
		memcpy(&relid, e->key, sizeof(relid));
		stream_table(s, relid, STREAM_FROM_ALL);
	}
	if (logc != NULL) {
		if (!output_broken)
			snaplog_record(&snaplog, conf.slot, &copied, start);
		s->hold_new = 1;
		stream_table(s, snaplog.relid, STREAM_FROM_NONE);
	}
	hmap_free(&copied, free);
}

/*
 * Which tables the stream writes when the slot was not just created with a
 * snapshot: every table published now. With --snapshot=new, the tables
 * the log says this slot's reader received a copy of; the other published
 * tables are copied first (or, when the stream ends at a fixed position
 * `until` before a copy made now could be confirmed, held back for a later
 * run); a table that joins while streaming is held back until it is
 * copied. wal_now is the server's position before anything was done.
 * Returns 1 after a copy.
 */
static int
expect_tables(PGconn *c, struct stream *s, const char *db, uint64_t until,
    uint64_t wal_now)
{
	struct hmap pub = HMAP_INIT, copied = HMAP_INIT, todo = HMAP_INIT;
	struct hmap_entry *e;
	uint32_t relid;
	/* A copy counts once the slot is confirmed past it, and it lies
	 * past wal_now: a run that ends before cannot make it count. */
	int hold = until != 0 && until <= wal_now, copy;

	snapshot_published(c, conf.publication, &pub);
	if (conf.snapshot != SNAP_NEW || !slot_exists(c)) {
		HMAP_FOREACH(&pub, e) {
			memcpy(&relid, e->key, sizeof(relid));
			stream_table(s, relid, STREAM_FROM_ALL);
		}
		hmap_free(&pub, free);
		return 0;
	}
	free(hmap_del(&pub, &snaplog.relid, sizeof(snaplog.relid)));
	s->hold_new = 1;
	stream_table(s, snaplog.relid, STREAM_FROM_NONE);
	if (snaplog_read(&snaplog, conf.slot, &copied) != 0) {
		diag_warnx("table \"%s\" has no record of slot \"%s\": every "
		    "table publication \"%s\" publishes now is taken as copied "
		    "(one that joined it after the slot's snapshot and was "
		    "never copied is not detected)", snaplog.name, conf.slot,
		    conf.publication);
		snaplog_begin(&snaplog, conf.slot, 0);
		snaplog_record(&snaplog, conf.slot, &pub, 0);
		HMAP_FOREACH(&pub, e)
			*hmap_put(&copied, e->key, e->klen) = xstrdup(e->val);
	}
	HMAP_FOREACH(&copied, e) {
		memcpy(&relid, e->key, sizeof(relid));
		stream_table(s, relid, STREAM_FROM_ALL);
	}
	HMAP_FOREACH(&pub, e) {
		if (hmap_get(&copied, e->key, e->klen) != NULL)
			continue;
		*hmap_put(&todo, e->key, e->klen) = xstrdup(e->val);
		if (!hold)
			continue;
		memcpy(&relid, e->key, sizeof(relid));
		stream_table(s, relid, STREAM_FROM_NONE);
		diag_warnx("table \"%s\" was never copied: its changes are "
		    "held back for a run that does not end before the copy "
		    "(--endpos)", (char *)e->val);
	}
	copy = todo.live > 0 && !hold;
	if (copy)
		copy_tables(s, db, &todo);
	hmap_free(&pub, free);
	hmap_free(&copied, free);
	hmap_free(&todo, free);
	return copy;
}

/* Tables the stream carried that were not expected: they joined the
 * publication after this run started. */
static void
on_joined(struct stream *s, uint64_t endpos)
{
	const struct stream_joined *j;
	size_t i;
	void **slot;

	for (i = 0; i < s->njoined && conf.snapshot != SNAP_NEVER; i++) {
		j = &s->joined[i];
		if (!s->hold_new)
			diag_warnx("table \"%s\" joined publication \"%s\" "
			    "while streaming: the rows it had before are not in "
			    "the stream (--snapshot=new copies them)", j->name,
			    conf.publication);
		else if (endpos != 0)
			diag_warnx("table \"%s\" joined publication \"%s\" "
			    "while streaming: its changes are held back for the "
			    "next run, which copies it first", j->name,
			    conf.publication);
		else {
			diag_info(1, "table \"%s\" joined publication \"%s\": "
			    "copying it", j->name, conf.publication);
			slot = hmap_put(&to_copy, &j->relid, sizeof(j->relid));
			free(*slot);
			*slot = xstrdup(j->name);
		}
	}
	stream_joined_clear(s);
}

static int
start_replication(PGconn *c, uint64_t start)
{
	struct buf sql = BUF_INIT, pub = BUF_INIT;
	char text[24];
	PGresult *r;

	lsn_format(start, text);
	buf_puts(&sql, "START_REPLICATION SLOT ");
	conn_ident(&sql, conf.slot);
	buf_printf(&sql, " LOGICAL %s (\"proto_version\" '1', "
	    "\"publication_names\" ", text);
	conn_ident(&pub, conf.publication);
	conn_repl_literal(&sql, pub.data);
	buf_putc(&sql, ')');
	r = PQexec(c, sql.data);
	buf_free(&sql);
	buf_free(&pub);
	if (r == NULL || PQresultStatus(r) != PGRES_COPY_BOTH) {
		/* A server error (no such slot or publication) is final; a
		 * broken connection may be retried. */
		if (PQstatus(c) == CONNECTION_OK)
			diag_errx(EXIT_DATA, "could not start streaming: %s",
			    r != NULL ? PQresultErrorMessage(r) :
			    PQerrorMessage(c));
		PQclear(r);
		lost(c, "could not start streaming");
		return -1;
	}
	PQclear(r);
	return 0;
}

/* How long end_copy waits for the server to end the copy. */
#define END_COPY_US	(10 * INT64_C(1000000))

/*
 * After our CopyDone: read (and drop) what the server still sends, up to
 * its own CopyDone and the end of the command, for at most END_COPY_US. The
 * walsender reads our messages in order, so it has then applied our last
 * status update, and it has released the slot. -1 when the connection
 * failed or the server took too long.
 */
static int
end_copy(PGconn *c)
{
	int64_t deadline = now_us() + END_COPY_US, wait;
	struct timeval tv;
	PGresult *res;
	fd_set rfds;
	char *msg;
	int n, rc = 0, copying = 1;

	for (;;) {
		if (copying) {
			while ((n = PQgetCopyData(c, &msg, 1)) > 0)
				PQfreemem(msg);
			if (n == -2)
				return -1;
			copying = n == 0;	/* -1: the server's CopyDone */
		}
		if (copying || PQisBusy(c)) {
			if ((wait = deadline - now_us()) <= 0)
				return -1;
			tv.tv_sec = (time_t)(wait / 1000000);
			tv.tv_usec = (suseconds_t)(wait % 1000000);
			FD_ZERO(&rfds);
			FD_SET(PQsocket(c), &rfds);
			if (select(PQsocket(c) + 1, &rfds, NULL, NULL, &tv) <
			    0 && errno != EINTR)
				return -1;
			if (PQconsumeInput(c) == 0)
				return -1;
			continue;
		}
		/* The copy is over: the command's result, then NULL. */
		if ((res = PQgetResult(c)) == NULL)
			return rc;
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			rc = -1;
		PQclear(res);
	}
}

/*
 * The replication loop, until the end position, a stop request or a lost
 * connection (LOOP_LOST; lost_reason says why). *written is the end LSN of
 * the last transaction fully written to standard output.
 */
static int
stream_loop(PGconn *c, struct stream *s, uint64_t endpos, uint64_t *written)
{
	int64_t next_status = now_us() + conf.status_us;
	uint64_t received = *written, acked = *written;
	PGresult *res;
	char *msg;
	int n, rc, first_keepalive = 1, ret = LOOP_DONE;

#define STATUS() do { \
	if (send_status(c, received, conf.no_ack ? 0 : acked) != 0) \
		return lost(c, "could not send a status update"); \
	next_status = now_us() + conf.status_us; \
} while (0)

	for (;;) {
		if (stop_requested)
			break;
		n = PQgetCopyData(c, &msg, 1);
		if (n == 0) {
			fd_set rfds;
			struct timeval tv;
			int64_t wait;

			/* Idle: show what we have, keep the server posted. */
			jout_flush(s->out);
			if (now_us() >= next_status)
				STATUS();
			wait = next_status - now_us();
			if (wait < 0)
				wait = 0;
			tv.tv_sec = (time_t)(wait / 1000000);
			tv.tv_usec = (suseconds_t)(wait % 1000000);
			FD_ZERO(&rfds);
			FD_SET(PQsocket(c), &rfds);
			rc = select(PQsocket(c) + 1, &rfds, NULL, NULL, &tv);
			if (rc < 0 && errno != EINTR)
				diag_err(EXIT_DATA, "select failed");
			if (rc > 0 && PQconsumeInput(c) == 0)
				return lost(c, "lost the connection");
			continue;
		}
		if (n == -1) {
			/* The server ended the stream without being asked:
			 * it is shutting down (a fast shutdown ends the copy
			 * cleanly, so even a clean end is a lost stream). */
			while ((res = PQgetResult(c)) != NULL) {
				if (PQresultStatus(res) == PGRES_FATAL_ERROR &&
				    !server_error_passes(res))
					diag_errx(EXIT_DATA, "the server ended "
					    "the stream: %s",
					    PQresultErrorMessage(res));
				PQclear(res);
			}
			return lost(c, "the server ended the stream");
		}
		if (n < 0)
			return lost(c, "lost the connection");
		if (msg[0] == 'k' && n >= 18) {
			uint64_t wal_end = take64((unsigned char *)msg + 1);
			int64_t clock = (int64_t)take64((unsigned char *)msg +
			    9) + PG_EPOCH_US;

			/* Idle between transactions: a logical walsender's
			 * keepalive position is past only transactions it has
			 * already sent (a transaction goes out when its commit
			 * is decoded), and all of them are written, so it may
			 * be confirmed. It must be: an idle slot would pin WAL,
			 * and a shutting-down server waits for its walsenders
			 * until the client confirms everything they sent. */
			if (!s->in_txn && wal_end > received &&
			    *written == received) {
				received = *written = wal_end;
				if (!conf.no_ack)
					acked = *written;
				/* The server went past everything we have
				 * and sent nothing: caught up, so its clock
				 * is the event-time promise. Not so for the
				 * first keepalive of a connection: it only
				 * repeats the slot's confirmed position, and
				 * older transactions may still follow. */
				if (!first_keepalive)
					watermark(s->out, clock);
			}
			first_keepalive = 0;
			check_lag(wal_end, acked);
			if (msg[17] != 0)
				STATUS();
			PQfreemem(msg);
			if (endpos != 0 && !s->in_txn && wal_end >= endpos)
				break;
			continue;
		}
		if (msg[0] != 'w' || n < 25)
			diag_errx(EXIT_DATA, "malformed replication message: "
			    "unknown kind \"%c\"", msg[0]);
		{
			uint64_t start = take64((unsigned char *)msg + 1);
			const unsigned char *body = (unsigned char *)msg + 25;

			check_lag(take64((unsigned char *)msg + 9), acked);

			/* A transaction that commits past the end position
			 * is not started: its changes stay in the slot. All
			 * that commit before it were written (transactions
			 * come in commit order), so the slot may be confirmed
			 * up to the end position: this one comes again, its
			 * commit being past it. */
			if (endpos != 0 && body[0] == 'B' && n >= 34 &&
			    take64(body + 1) > endpos) {
				if (!s->in_txn && *written < endpos)
					received = *written = endpos;
				PQfreemem(msg);
				break;
			}
			rc = stream_message(s, start, body, (size_t)n - 25);
			if (rc < 0)
				diag_errx(EXIT_DATA, "malformed replication "
				    "message at %X/%X: %s",
				    (unsigned)(start >> 32), (unsigned)start,
				    s->error);
			if (start > received)
				received = start;
			if (s->njoined > 0)
				on_joined(s, endpos);
		}
		PQfreemem(msg);
		if (rc != 'C')
			continue;
		/* Transaction end: its events reach the reader, then (and
		 * only then) the server may forget them. */
		jout_flush(s->out);
		if (output_broken)
			break;
		*written = received = s->commit_end;
		if (!conf.no_ack && *written > acked) {
			acked = *written;
			STATUS();
		}
		/* in whole milliseconds: a later commit in the same
		 * millisecond has that ts_ms, which must not be late */
		watermark(s->out, s->commit_us - ((s->commit_us % 1000) + 1000)
		    % 1000);
		if (endpos != 0 && *written >= endpos)
			break;
		/* Tables that joined: copied between two transactions. */
		if (to_copy.live > 0) {
			ret = LOOP_COPY;
			break;
		}
	}
	if (!output_broken) {
		jout_flush(s->out);
		if (!conf.no_ack && *written > acked)
			acked = *written;
	}
	/* A last status so the slot holds what we confirmed, then end the
	 * copy politely, and wait for the server to end it too: it has then
	 * applied that confirmation and let go of the slot, so that a run
	 * (or a connection, after a copy) that starts next finds both. */
	(void)send_status(c, received, conf.no_ack ? 0 : acked);
	PQputCopyEnd(c, NULL);
	PQflush(c);
	if (end_copy(c) != 0 && ret == LOOP_COPY)
		return lost(c, "could not end the stream to copy tables");
	return ret;
#undef STATUS
}

/* IDENTIFY_SYSTEM: the server's WAL position; the connection's database in
 * *db (allocated) when db is not NULL. */
static uint64_t
identify(PGconn *c, char **db)
{
	PGresult *r = conn_exec(c, "IDENTIFY_SYSTEM", PGRES_TUPLES_OK);
	uint64_t pos;

	if (PQntuples(r) != 1 || PQnfields(r) < 4)
		diag_errx(EXIT_DATA, "unexpected answer to IDENTIFY_SYSTEM: "
		    "got %d rows and %d fields, expected 1 and 4",
		    PQntuples(r), PQnfields(r));
	if (PQgetisnull(r, 0, 3))
		diag_errx(EXIT_DATA, "the connection names no database: "
		    "logical replication needs one (-d)");
	if (lsn_parse(PQgetvalue(r, 0, 2), &pos) != 0)
		diag_errx(EXIT_DATA, "unexpected position from IDENTIFY_SYSTEM");
	if (db != NULL)
		*db = xstrdup(PQgetvalue(r, 0, 3));
	PQclear(r);
	return pos;
}

/* Sleep up to `seconds`, waking early on SIGINT/SIGTERM. */
static void
backoff(int seconds)
{
	int i;

	for (i = 0; i < seconds * 10 && !stop_requested; i++)
		usleep(100000);
}

/*
 * Stream until done. In streaming mode a lost connection is retried with
 * backoff (1 s doubling to 30 s); the stream resumes after the last
 * transaction written, and the replay of one cut off half-way skips what
 * was written of it, so nothing is seen twice or missed. With --endpos (the
 * cron mode) a lost connection is an error.
 */
static uint64_t
run(PGconn **cp, struct stream *s, const char *db, uint64_t endpos,
    uint64_t start)
{
	uint64_t written = start;
	int delay = 1, rc;

	for (;;) {
		if (start_replication(*cp, written) == 0 &&
		    (rc = stream_loop(*cp, s, endpos, &written)) != LOOP_LOST) {
			if (rc == LOOP_DONE)
				return written;
			/* Between two transactions: copy, then stream on
			 * from the last one written, on a new connection (a
			 * logical walsender streams once; the old one has
			 * let go of the slot, end_copy saw to it). */
			copy_tables(s, db, &to_copy);
			hmap_free(&to_copy, free);
			stream_reset(s);
			if (output_broken || stop_requested)
				return written;
			PQfinish(*cp);
			if ((*cp = conn_try(&conf.conn, 1)) != NULL)
				continue;
			/* No connection: the backoff below, as if lost. */
			lost_reason = xstrdup("could not connect again after "
			    "copying tables");
		}
		if (lost_reason == NULL)
			lost(*cp, "could not start streaming");
		if (endpos != 0)
			diag_errx(EXIT_DATA, "%s", lost_reason);
		jout_flush(s->out);
		diag_warnx("%s; reconnecting in %d s", lost_reason, delay);
		PQfinish(*cp);
		*cp = NULL;
		stream_reset(s);
		while (*cp == NULL && !stop_requested) {
			backoff(delay);
			delay = delay < 16 ? delay * 2 : 30;
			if (stop_requested)
				break;
			*cp = conn_try(&conf.conn, 1);
			if (*cp == NULL)
				diag_warnx("could not reconnect; retrying in "
				    "%d s", delay);
		}
		if (*cp == NULL)
			return written;		/* stopped while waiting */
		diag_info(1, "reconnected");
		delay = 1;
		free(lost_reason);
		lost_reason = NULL;
	}
}

int
main(int argc, char **argv)
{
	static const char *const snapshots[] = { "initial", "new", "never",
	    NULL };
	static const char *const numerics[] = { "number", "string", NULL };
	struct stream s;
	PGconn *c;
	uint64_t endpos = 0, ack = 0, start = 0, written, wal_now;
	char *snap = NULL, *db;
	int ch, created = 0, end_now;

	conf.snapshot = SNAP_INITIAL;
	conf.status_us = 10 * INT64_C(1000000);
	conf.wm_interval_us = INT64_C(1000000);
	conf.max_lag = (uint64_t)1 << 30;
	opts_begin(argc, argv, SHORTOPTS, usage);
	while ((ch = getopt_long(argc, argv, SHORTOPTS, longopts, NULL)) !=
	    -1) {
		switch (ch) {
		case 'd': conf.conn.dbname = optarg; break;
		case 'h': conf.conn.host = optarg; break;
		case 'p': conf.conn.port = optarg; break;
		case 'U': conf.conn.user = optarg; break;
		case 'w': conf.conn.password = -1; break;
		case 'W': conf.conn.password = 1; break;
		case 'S': conf.slot = optarg; break;
		case 'E': conf.endpos_arg = optarg; break;
		case 's':
			conf.status_us = opts_duration("status-interval",
			    optarg, 0);
			if (conf.status_us < 100000)
				diag_usage("invalid value \"%s\" for option "
				    "--status-interval: at least 100ms",
				    optarg);
			break;
		case OPT_PUBLICATION: conf.publication = optarg; break;
		case OPT_CREATE_SLOT: conf.create_slot = 1; break;
		case OPT_CREATE_PUB: conf.create_pub = 1; break;
		case OPT_TABLES: conf.tables = optarg; break;
		case OPT_DROP_SLOT: conf.drop_slot = 1; break;
		case OPT_NO_ACK: conf.no_ack = 1; break;
		case OPT_ACK: conf.ack_arg = optarg; break;
		case OPT_LSN_FILE: conf.lsn_file = optarg; break;
		case OPT_SNAPSHOT:
			conf.snapshot = opts_choice("snapshot", optarg,
			    snapshots);
			break;
		case OPT_SNAPSHOT_TABLE: conf.snapshot_table = optarg; break;
		case OPT_WATERMARKS: conf.watermarks = 1; break;
		case OPT_PROGRESS: conf.progress = 1; break;
		case OPT_WM_INTERVAL:
			conf.wm_interval_us = opts_duration(
			    "watermark-interval", optarg, 0);
			break;
		case OPT_MAX_LAG:
			conf.max_lag = opts_size("max-lag-bytes", optarg, 1,
			    (size_t)1 << 62);
			break;
		case OPT_NUMERIC:
			conf.pgval_flags = opts_choice("numeric", optarg,
			    numerics) == 1 ? PGVAL_NUMERIC_STRING : 0;
			break;
		default:
			opts_common(ch, argc, argv);
		}
	}
	if (optind < argc)
		diag_usage("too many arguments: \"%s\"", argv[optind]);
	if (conf.slot == NULL)
		diag_usage("no slot given: use -S/--slot");
	if (conf.ack_arg != NULL && lsn_parse(conf.ack_arg, &ack) != 0)
		diag_usage("invalid value \"%s\" for option --ack: not an "
		    "LSN (like 16/B374D848)", conf.ack_arg);
	if (conf.endpos_arg != NULL && strcmp(conf.endpos_arg, "now") != 0 &&
	    lsn_parse(conf.endpos_arg, &endpos) != 0)
		diag_usage("invalid value \"%s\" for option --endpos: not an "
		    "LSN or \"now\"", conf.endpos_arg);
	if (conf.ack_arg == NULL && !conf.drop_slot &&
	    conf.publication == NULL)
		diag_usage("no publication given: use --publication");
	if (conf.tables != NULL && !conf.create_pub)
		diag_usage("--tables needs --create-publication");
	if (conf.snapshot_table != NULL && conf.snapshot != SNAP_NEW)
		diag_usage("--snapshot-table needs --snapshot=new");
	if (conf.snapshot_table == NULL)
		conf.snapshot_table = "pgcdc_tail_snapshots";
	end_now = conf.endpos_arg != NULL && strcmp(conf.endpos_arg, "now") ==
	    0;
	opts_end();

	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	jout_stdout.on_broken_pipe = on_broken_pipe;

	c = conn_open(&conf.conn, 1);
	wal_now = identify(c, &db);
	if (end_now)
		endpos = wal_now;

	if (conf.drop_slot) {
		drop_slot(c);
		diag_info(1, "dropped slot \"%s\"", conf.slot);
		goto done;
	}
	if (conf.ack_arg != NULL) {
		ack_slot(c, ack);
		goto done;
	}
	check_wal_level(c);
	/* Before anything is created: a table it cannot make stops it. */
	if (conf.snapshot == SNAP_NEW) {
		logc = conn_open(&conf.conn, 0);
		snaplog_open(&snaplog, logc, conf.snapshot_table);
	}
	if (conf.create_pub)
		create_publication(c);
	else if (!publication_exists(c))
		diag_errx(EXIT_DATA, "publication \"%s\" does not exist in "
		    "database \"%s\": create it (CREATE PUBLICATION, or "
		    "--create-publication)", conf.publication, db);
	if (conf.create_slot)
		created = create_slot(c, &snap, &start);

	stream_init(&s, &jout_stdout, db, conf.pgval_flags);
	if (created && snap != NULL)
		initial_snapshot(&s, db, snap, start);
	else if (expect_tables(c, &s, db, end_now ? 0 : endpos, wal_now) &&
	    end_now)
		endpos = identify(c, NULL);	/* past the copy */
	free(snap);
	if (!output_broken) {
		written = run(&c, &s, db, endpos, start);
		if (conf.no_ack)
			report_lsn(written);
	}
	diag_info(1, "%llu transactions, %llu change events",
	    (unsigned long long)s.txns, (unsigned long long)s.events);
	stream_free(&s);
done:
	free(db);
	free(lost_reason);
	hmap_free(&to_copy, free);
	if (logc != NULL) {
		snaplog_close(&snaplog);
		PQfinish(logc);
	}
	if (c != NULL)
		PQfinish(c);
	jout_close(&jout_stdout);
	onerr_summary(&opts.onerr);
	diag_exit(EXIT_OK);
}
