/*
 * snapshot.h: the initial snapshot of a new slot.
 *
 * CREATE_REPLICATION_SLOT ... (SNAPSHOT 'export') names a snapshot that
 * sees the database exactly as of the slot's consistent point. A second
 * connection adopts it (SET TRANSACTION SNAPSHOT) and copies every table of
 * the publication as "r" events; streaming then starts at the consistent
 * point, so nothing is missed and nothing is seen twice, whatever other
 * sessions write meanwhile.
 */
#ifndef CDC_PGCDC_SNAPSHOT_H
#define CDC_PGCDC_SNAPSHOT_H

#include <stdint.h>

#include "conn.h"

/* Copy the tables of `publication` as seen by exported snapshot `snap`.
 * Output goes to jout_stdout; fatal on any error. Progress (table, rows,
 * estimated total) goes to stderr when it is a terminal, or always with
 * `progress`. */
void	snapshot_copy(const struct conn_opts *co, const char *snap,
	    const char *publication, const char *db, uint64_t lsn,
	    int pgval_flags, int progress);

#endif
