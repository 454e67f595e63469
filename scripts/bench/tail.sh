#!/usr/bin/env bash
# tail.sh: pgcdc-tail against pg_recvlogical on the same WAL.
#
# A throwaway PostgreSQL (scripts/pg-sandbox); ROUNDS x 3 logical slots are
# created at one position, then one transaction inserts ROWS sales rows, and
# many small transactions follow (pgbench-style, SMALL of them). Each
# consumer reads its own slot from that position to the same end position:
#   pgcdc-tail -E END > /dev/null                    (JSON events)
#   pg_recvlogical --start -E END -o proto_version=1 -o publication_names=p
#                                                    (raw pgoutput, no JSON)
#   pg_recvlogical --start -E END with wal2json      (JSON by the server)
# Wall time and peak RSS come from /usr/bin/time -v; the median of ROUNDS
# runs is reported. Writes $BUILD/bench/tail.md and prints it.
#
#   scripts/bench/tail.sh [ROWS [SMALL [ROUNDS]]]   (default 1000000 20000 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=$BUILD/bin/pgcdc-tail
OUT=$BUILD/bench
ROWS=${1:-1000000}
SMALL=${2:-20000}
ROUNDS=${3:-3}
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "tail.sh: build first (make)" >&2; exit 1; }

dir=$(mktemp -d /tmp/cdc-bench.XXXXXX)
chmod 755 "$dir"
cleanup() { scripts/pg-sandbox stop "$dir" >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
eval "$(scripts/pg-sandbox start "$dir")"
bindir=$(scripts/pg-sandbox bindir)
psql() { "$bindir/psql" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

# Some PostgreSQL builds only load the output plugins a setting lists.
if allowed=$(psql -c "SHOW output_plugin_libraries" 2>/dev/null); then
	psql -c "ALTER SYSTEM SET output_plugin_libraries = $allowed, wal2json" \
	    -c "SELECT pg_reload_conf()" >/dev/null
	sleep 0.5
fi
psql -c "CREATE TABLE sales (sale_id bigint PRIMARY KEY, user_id int,
	product_id int, quantity int, total_price numeric(10,2),
	sale_ts timestamptz, channel text);
	CREATE PUBLICATION bench FOR TABLE sales"
for r in $(seq 1 "$ROUNDS"); do
	psql -c "SELECT pg_create_logical_replication_slot('tail_$r', 'pgoutput');
		SELECT pg_create_logical_replication_slot('raw_$r', 'pgoutput');
		SELECT pg_create_logical_replication_slot('w2j_$r', 'wal2json')" >/dev/null
	psql -c "SELECT pg_create_logical_replication_slot('small_tail_$r', 'pgoutput');
		SELECT pg_create_logical_replication_slot('small_raw_$r', 'pgoutput');
		SELECT pg_create_logical_replication_slot('small_w2j_$r', 'wal2json')" >/dev/null
done

echo "tail.sh: one transaction of $ROWS rows" >&2
psql -c "INSERT INTO sales SELECT g, g % 50000, g % 2000, 1 + g % 5,
	(g % 100000) / 100.0, '2026-11-22 10:00:00+00'::timestamptz + g * interval '37 ms',
	(ARRAY['web','app','store'])[1 + g % 3] FROM generate_series(1, $ROWS) g"
big_end=$(psql -c "SELECT pg_current_wal_lsn()")
echo "tail.sh: $SMALL small transactions" >&2
for r in $(seq 1 "$ROUNDS"); do
	# the small-transaction slots start after the big transaction
	psql -c "SELECT pg_replication_slot_advance('small_tail_$r', '$big_end');
		SELECT pg_replication_slot_advance('small_raw_$r', '$big_end');
		SELECT pg_replication_slot_advance('small_w2j_$r', '$big_end')" >/dev/null
done
cat >"$dir/small.sql" <<'SQL'
\set id random(1, 1000000)
UPDATE sales SET quantity = quantity + 1 WHERE sale_id = :id;
SQL
"$bindir/pgbench" -n -c 1 -t "$SMALL" -f "$dir/small.sql" >/dev/null
small_end=$(psql -c "SELECT pg_current_wal_lsn()")

# measure NAME CMD...: one run; prints "seconds kib" from /usr/bin/time -v
measure() {
	/usr/bin/time -v "$@" 2>"$dir/time" >/dev/null || {
		cat "$dir/time" >&2
		exit 1
	}
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":");
		s = t[n] + (n > 1 ? t[n - 1] * 60 : 0) }
		/Maximum resident/ { k = $2 }
		END { printf "%.3f %d\n", s, k }' "$dir/time"
}

declare -A wall rss
run_set() {	# run_set PREFIX END
	local prefix=$1 end=$2 r kind slot
	local -a cmd
	for r in $(seq 1 "$ROUNDS"); do
		for kind in tail raw w2j; do
			slot=$prefix${kind}_$r
			case $kind in
			tail) cmd=("$BIN" -S "$slot" --publication bench -E "$end") ;;
			raw) cmd=("$bindir/pg_recvlogical" -d postgres -S "$slot" --start \
				-E "$end" -o proto_version=1 -o publication_names=bench -f -) ;;
			w2j) cmd=("$bindir/pg_recvlogical" -d postgres -S "$slot" --start \
				-E "$end" -f -) ;;
			esac
			read -r s k < <(measure "${cmd[@]}")
			wall[$kind]+="$s "
			rss[$kind]+="$k "
		done
	done
}
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

report() {	# report TITLE
	local t r w
	t=$(echo "${wall[tail]}" | median); r=$(echo "${wall[raw]}" | median)
	w=$(echo "${wall[w2j]}" | median)
	echo "### $1"
	echo
	echo "| consumer | wall time (median of $ROUNDS) | peak RSS |"
	echo "|---|---|---|"
	echo "| pgcdc-tail (JSON events) | ${t} s | $(( $(echo "${rss[tail]}" | median) / 1024 )) MB |"
	echo "| pg_recvlogical, raw pgoutput | ${r} s | $(( $(echo "${rss[raw]}" | median) / 1024 )) MB |"
	echo "| pg_recvlogical + wal2json | ${w} s | $(( $(echo "${rss[w2j]}" | median) / 1024 )) MB |"
	echo
	awk -v t="$t" -v r="$r" -v w="$w" 'BEGIN {
		printf "pgcdc-tail / raw pg_recvlogical: **%.2f×** (target at most 1.10×); / wal2json: %.2f×\n\n", t / r, t / w }'
}

echo "tail.sh: measuring" >&2
run_set "" "$big_end"
{
	report "One transaction of $ROWS rows ($(nproc) cores)"
	unset wall rss
	declare -A wall rss
	run_set small_ "$small_end"
	report "$SMALL small transactions (one UPDATE each)"
} | tee "$OUT/tail.md"
