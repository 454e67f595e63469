#!/usr/bin/env bash
# shop-minute.sh: the cron recipe for cdc-pipes (at-least-once end to end).
#
# Run it every minute from cron. It takes every change the slot holds up to
# now, runs the pipeline over them, and confirms the position to PostgreSQL
# only if every stage succeeded. A failed run (any stage, a full disk, a
# kill) confirms nothing, so the next run sees the same changes again: they
# are repeated, never skipped.
#
#   * * * * * PGDATABASE=shop /path/to/shop-minute.sh /var/lib/shop
#
# Connection settings come from the PG* variables, a service file or
# ~/.pgpass; never put a password on a command line.
# pipefail: a failing pgcdc-tail must fail the run, not only the last stage
set -euo pipefail
state=${1:?usage: shop-minute.sh STATE_DIR}
slot=${SLOT:-shop}
publication=${PUBLICATION:-shop}
mkdir -p "$state"
lock="$state/.lock"
# one run at a time: a slow run must not overlap the next minute's
exec 9>"$lock"
flock -n 9 || exit 0

batch="$state/batch.$(date -u +%Y%m%dT%H%M%S).$$.ndjson"
pgcdc-tail -S "$slot" --publication "$publication" --create-slot \
    -E now --no-ack --lsn-file "$state/lsn" \
  | cdc-unwrap --changelog >"$batch.tmp"
# every stage succeeded (set -e, pipefail): keep the batch unless it is
# empty, then confirm the position
if [ -s "$batch.tmp" ]; then
	mv "$batch.tmp" "$batch"
else
	rm -f "$batch.tmp"
fi
pgcdc-tail -S "$slot" --ack "$(cat "$state/lsn")"
