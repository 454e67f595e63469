/*
 * snaplog.h: which published tables a slot's reader has been sent a copy
 * of, kept on the server (--snapshot=new), in a table the user opts into:
 *
 *	slot_name  relid  table_name  lsn  copied_at
 *
 * One row per slot and table copied: the copy holds the table as of `lsn`
 * and the stream its changes from `lsn` on. A copy counts as received once
 * the slot's confirmed position is at or past `lsn`: the slot is confirmed
 * only for what was written, and the copy was written before the stream
 * reached `lsn`. A copy not confirmed so (the run failed, or a cron run's
 * pipeline did not --ack) is made again. A row with relid 0 marks the
 * slot as known since its creation, so that a slot made without a record
 * is told from one whose record says it copied nothing.
 *
 * The connection must not be in a transaction: each call commits.
 */
#ifndef CDC_PGCDC_SNAPLOG_H
#define CDC_PGCDC_SNAPLOG_H

#include <stdint.h>

#include "conn.h"
#include "hmap.h"

struct snaplog {
	PGconn		*c;
	char		*sql_name;	/* the table, quoted for SQL */
	const char	*name;		/* as the user gave it */
	uint32_t	 relid;		/* the table's own relid */
};

/* Use table `name` ("table" or "schema.table", quoted for you; created when
 * missing) on connection c, which the log then uses (the caller keeps
 * it). Fatal when it cannot be read or created. */
void	snaplog_open(struct snaplog *l, PGconn *c, const char *name);
void	snaplog_close(struct snaplog *l);

/* The tables slot's reader has received a copy of, added to `copied`
 * (relid, a uint32_t key -> "schema.table" as recorded, allocated). Returns
 * 0, or -1 when the log has no record of the slot at all. */
int	snaplog_read(struct snaplog *l, const char *slot, struct hmap *copied);

/* Forget what the log says of slot and record that it starts at lsn:
 * after the slot was created. */
void	snaplog_begin(struct snaplog *l, const char *slot, uint64_t lsn);

/* Record that the tables in `tables` (relid -> "schema.table") were copied
 * as of lsn, to be streamed from lsn on. */
void	snaplog_record(struct snaplog *l, const char *slot,
	    const struct hmap *tables, uint64_t lsn);

#endif
