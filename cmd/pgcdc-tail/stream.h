/*
 * stream.h: pgoutput messages (protocol version 1) to change events.
 *
 * One call per logical replication message: Begin and Commit frame a
 * transaction, Relation messages describe tables (cached by relation id and
 * refreshed after DDL), Insert/Update/Delete/Truncate become one JSON line
 * each (DESIGN.md section 2). Nothing is buffered beyond the line being
 * written, so memory does not grow with transaction size.
 */
#ifndef CDC_PGCDC_STREAM_H
#define CDC_PGCDC_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "hmap.h"
#include "jout.h"

/* From which commit position a relation's changes are written. */
#define STREAM_FROM_ALL		0		/* every change */
#define STREAM_FROM_NONE	UINT64_MAX	/* none: held back */

/* A relation the stream carried that was not in stream.tables. */
struct stream_joined {
	uint32_t	 relid;
	char		*name;		/* "schema.table" */
};

struct stream {
	struct jout	*out;
	char		*db_json;	/* the database name, JSON-quoted */
	int		 pgval_flags;	/* PGVAL_* */
	struct hmap	 rels;		/* relation id -> struct relation * */
	/* The transaction being decoded. */
	int		 in_txn;
	uint32_t	 xid;
	int64_t		 commit_us;	/* commit time, us since 1970 */
	uint64_t	 commit_end;	/* end LSN of the last Commit decoded */
	uint64_t	 events;	/* change events written */
	uint64_t	 txns;		/* transactions decoded */
	uint64_t	 txn_events;	/* events written of the current one */
	/* After a reconnect the server replays the transaction that was cut
	 * off from its start: its first `skip` events were written already. */
	uint32_t	 skip_xid;
	uint64_t	 skip;
	/* Why the last stream_message returned -1; valid until the next
	 * call. */
	const char	*error;
	/* The relations expected (relid -> uint64_t: the changes of a
	 * transaction are written when its commit LSN is at or after it; set
	 * with stream_table). A relation that is not there is added as it
	 * first shows up, with STREAM_FROM_NONE when hold_new is set and
	 * STREAM_FROM_ALL otherwise, and listed in joined. */
	struct hmap	 tables;
	int		 hold_new;
	struct stream_joined *joined;
	size_t		 njoined;
	uint64_t	 final_lsn;	/* commit LSN of the transaction */
};

void	stream_init(struct stream *s, struct jout *out, const char *db,
	    int pgval_flags);
void	stream_free(struct stream *s);
/* Forget cached relations (after a reconnect the server sends them again);
 * remember how much of an unfinished transaction was written, so that its
 * replay does not write it twice. */
void	stream_reset(struct stream *s);

/* Write the changes of relation relid from transactions whose commit LSN is
 * at or after `from` (STREAM_FROM_ALL, STREAM_FROM_NONE, or the position of
 * a copy of the table: what committed before it is in the copy). */
void	stream_table(struct stream *s, uint32_t relid, uint64_t from);
/* Forget the relations listed in s->joined (they stay in s->tables). */
void	stream_joined_clear(struct stream *s);

/*
 * Decode one pgoutput message p[0..n) whose WAL position is lsn (the
 * dataStart of its XLogData). Returns 'C' after a Commit (s->commit_end
 * holds its end LSN), 0 after anything else, -1 for a malformed message
 * (s->error says what is wrong; nothing of it was written, and the stream
 * state is as before it but for a transaction's begin).
 */
int	stream_message(struct stream *s, uint64_t lsn, const unsigned char *p,
	    size_t n);

/* PostgreSQL's epoch (2000-01-01) in microseconds after the Unix epoch. */
#define PG_EPOCH_US	INT64_C(946684800000000)

#endif
