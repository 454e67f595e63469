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

struct stream {
	struct jout	*out;
	char		*db_json;	/* the database name, JSON-quoted */
	int		 pgval_flags;	/* PGVAL_* */
	struct hmap	 rels;		/* relation id -> struct relation * */
	/* The transaction being decoded. */
	int		 in_txn;
	uint32_t	 xid;
	int64_t		 commit_ms;	/* commit time, ms since 1970 */
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
};

void	stream_init(struct stream *s, struct jout *out, const char *db,
	    int pgval_flags);
void	stream_free(struct stream *s);
/* Forget cached relations (after a reconnect the server sends them again);
 * remember how much of an unfinished transaction was written, so that its
 * replay does not write it twice. */
void	stream_reset(struct stream *s);

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
