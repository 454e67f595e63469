/*
 * snapshot.h: copies of the published tables, consistent with the stream.
 *
 * CREATE_REPLICATION_SLOT ... (SNAPSHOT 'export') names a snapshot that
 * sees the database exactly as of the slot's consistent point. A second
 * connection adopts it (SET TRANSACTION SNAPSHOT) and copies the published
 * tables as "r" events; streaming then starts at the consistent point, so
 * nothing is missed and nothing is seen twice, whatever other sessions
 * write meanwhile. A table added to the publication later is copied the same
 * way under the snapshot of a temporary slot (see main.c).
 *
 * A copy holds exactly what the publication publishes, as
 * pg_publication_tables says: its column list (without generated columns,
 * which pgoutput never sends), only the rows its row filter passes, a
 * partitioned table as a whole when the publication publishes through the
 * partition root, and never the rows of inheritance children, which are
 * published as tables of their own.
 */
#ifndef CDC_PGCDC_SNAPSHOT_H
#define CDC_PGCDC_SNAPSHOT_H

#include <stdint.h>

#include "conn.h"
#include "hmap.h"

/* What to copy and how to write it. */
struct snapshot_spec {
	const char	*publication;
	const char	*db;		/* source.db */
	uint64_t	 lsn;		/* source.lsn of every row */
	int		 pgval_flags;
	int		 progress;	/* --progress */
	/* Only the tables whose relid (a uint32_t key) is in `only`, or every
	 * published table when it is NULL; never the table `skip` (0: none). */
	const struct hmap *only;
	uint32_t	 skip;
};

/* Copy the published tables as seen by exported snapshot `snap` to
 * jout_stdout, the last row marked "snapshot":"last"; fatal on any error.
 * Progress (table, rows, estimated total) goes to stderr when it is a
 * terminal, or always with `progress`. When `copied` is not NULL, the relid
 * of each table copied is added to it (a uint32_t key; the value is the
 * table's name, "schema.table", which the map's user frees). */
void	snapshot_copy(const struct conn_opts *co, const char *snap,
	    const struct snapshot_spec *sp, struct hmap *copied);

/* The tables `publication` publishes now: relid (a uint32_t key) ->
 * "schema.table" (allocated; the caller frees it). */
void	snapshot_published(PGconn *c, const char *publication,
	    struct hmap *out);

#endif
