#!/usr/bin/env bash
# e2e.sh: the whole shop pipeline under as much traffic as pgbench can make.
#
# A throwaway PostgreSQL (scripts/pg-sandbox) with the shop (schema, seed);
# pgcdc-tail streams every change into tee, which feeds, as `make demo` does,
# every analysis of scripts/shop/ and the lake, plus two probes:
#   cdc-unwrap --changelog -a source.ts_ms | e2e-probe commit
#       the pass-through lag: commit time -> row out of cdc-unwrap
#   sales-per-product | e2e-probe window
#       how long after a window's end its result line arrives
# Traffic: scripts/shop/traffic for SECONDS (default 60), CLIENTS (2)
# clients, at RATE transactions/s (default max: as fast as pgbench goes).
# Every second the slot's lag (WAL bytes not yet confirmed) is
# sampled, with the part the server has not decoded and sent yet (its
# walsender's sent_lsn): the pipeline keeps up when it does not grow.  Peak RSS of every
# process comes from /proc (VmHWM), by analysis and tool.  After traffic
# stops, the time until pgcdc-tail confirms the last change is the drain
# time.  Writes $BUILD/bench/e2e-RATE.md and prints it; the per-second
# series are in e2e-RATE-slot-lag.txt (slot lag, unsent WAL; bytes) and
# e2e-RATE-lag.txt (the largest pass-through lag of each second; ms).
#
#   [E2E_ANALYSES='a b ...'] scripts/bench/e2e.sh [SECONDS [CLIENTS [RATE]]]
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
OUT=$BUILD/bench
SECONDS_=${1:-60}
CLIENTS=${2:-2}
RATE=${3:-max}
export CDC_BIN=$PWD/$BUILD/bin
PATH=$CDC_BIN:$PATH
probe=$PWD/scripts/bench/e2e-probe.py
mkdir -p "$OUT"
[ -x "$CDC_BIN/pgcdc-tail" ] || { echo "e2e.sh: build first (make)" >&2; exit 1; }

work=$(mktemp -d /tmp/cdc-bench-e2e.XXXXXX)
pgdir=$(mktemp -d /tmp/cdc-bench-pg.XXXXXX)
cleanup() {
	local p
	for p in $(jobs -p); do kill "$p" 2>/dev/null || true; done
	pkill -P $$ 2>/dev/null || true
	scripts/pg-sandbox stop "$pgdir" >/dev/null 2>&1 || true
	rm -rf "$work" "$pgdir"
}
trap cleanup EXIT
eval "$(scripts/pg-sandbox start "$pgdir")"
psql -X -q -v ON_ERROR_STOP=1 -f scripts/shop/schema.sql
scripts/shop/seed

# E2E_ANALYSES: which of them run (default all); empty, only the probes:
# the lag of pgcdc-tail and one cdc-unwrap alone under the same traffic
analyses=(sales-per-product active-users top-products top-users fraud-alerts
	revenue-windows product-performance attribution lake)
if [ "${E2E_ANALYSES+set}" ]; then
	read -r -a analyses <<<"$E2E_ANALYSES"
fi
fifos=()
for a in "${analyses[@]}" probe count; do
	mkfifo "$work/$a.fifo"
	fifos+=("$work/$a.fifo")
done
mkdir -p "$work/res"
for a in "${analyses[@]}"; do
	case $a in
	sales-per-product)
		scripts/shop/$a <"$work/$a.fifo" 2>"$work/$a.log" |
		    tee "$work/res/$a.ndjson" |
		    "$probe" window "$work/lag-window.txt" &
		;;
	attribution)
		scripts/shop/$a <"$work/$a.fifo" 2>"$work/$a.log" |
		    scripts/shop/attribution-report >"$work/res/$a.ndjson" \
		    2>"$work/$a-report.log" &
		;;
	lake)
		scripts/shop/lake -o "$work/lake" <"$work/$a.fifo" \
		    >/dev/null 2>"$work/$a.log" &
		;;
	*)
		scripts/shop/$a <"$work/$a.fifo" >"$work/res/$a.ndjson" \
		    2>"$work/$a.log" &
		;;
	esac
done
cdc-unwrap --changelog -a source.ts_ms <"$work/probe.fifo" |
    "$probe" commit "$work/lag-commit.txt" &
wc -l <"$work/count.fifo" >"$work/events" &
count_pid=$!
mkfifo "$work/stream.fifo"
tee -p "${fifos[@]}" <"$work/stream.fifo" >/dev/null &
pgcdc-tail -S bench --publication shop --create-slot --watermarks -s 1s \
    >"$work/stream.fifo" 2>"$work/pgcdc-tail.log" &
tail_pid=$!
"$probe" rss $$ "$work/rss.txt" "$(sed -n 1p "$pgdir/data/postmaster.pid")" &
rss_pid=$!

# the snapshot first, so traffic starts against a streaming pipeline
until [ "$(psql -XAtq -c "SELECT confirmed_flush_lsn IS NOT NULL
    FROM pg_replication_slots WHERE slot_name = 'bench'")" = t ]; do
	sleep 0.2
done
events0=0
echo "e2e.sh: traffic at rate $RATE for ${SECONDS_} s, $CLIENTS clients" >&2
start=$(date +%s.%N)
scripts/shop/traffic --seconds "$SECONDS_" --rate "$RATE" --clients "$CLIENTS" \
    >"$work/traffic.log" 2>&1 &
traffic=$!
: >"$work/slot-lag.txt"
while kill -0 "$traffic" 2>/dev/null; do
	psql -XAtq -F ' ' -c "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(),
	    confirmed_flush_lsn)::bigint, (SELECT pg_wal_lsn_diff(
	    pg_current_wal_lsn(), sent_lsn)::bigint FROM pg_stat_replication
	    WHERE pid = active_pid) FROM pg_replication_slots
	    WHERE slot_name = 'bench'" >>"$work/slot-lag.txt" 2>/dev/null || true
	sleep 1
done
wait "$traffic"
stop=$(date +%s.%N)
end_lsn=$(psql -XAtq -c 'SELECT pg_current_wal_lsn()')
until [ "$(psql -XAtq -c "SELECT confirmed_flush_lsn >= '$end_lsn'
    FROM pg_replication_slots WHERE slot_name = 'bench'")" = t ]; do
	sleep 0.1
done
drained=$(date +%s.%N)
kill -TERM "$tail_pid"
wait "$tail_pid" || true
wait "$count_pid"
# every analysis drains at end of input; then the RSS sampler reports
for p in $(jobs -p); do [ "$p" = "$rss_pid" ] || wait "$p" || true; done
kill -TERM "$rss_pid"
wait "$rss_pid" || true

events=$(($(cat "$work/events") - events0))
txs=$(sed -n 's/^traffic: \([0-9]*\) transactions.*/\1/p' "$work/traffic.log" | tail -n 1)
calc() { awk "BEGIN { print $* }"; }
dur=$(calc "$stop - $start")
drain=$(calc "$drained - $stop")
read -r c50 c99 cmax cn < <("$probe" stats "$work/lag-commit.txt")
read -r w50 w99 wmax wn < <("$probe" stats "$work/lag-window.txt")
# the time series behind the figures, to see whether the lag grows
name=e2e-$RATE${E2E_ANALYSES+-only}
cp "$work/slot-lag.txt" "$OUT/$name-slot-lag.txt"
"$probe" series "$work/lag-commit.txt" >"$OUT/$name-lag.txt"
# slot lag (column 1) and the server's own share of it, WAL not yet
# decoded and sent (column 2): the mean of the first and the last 10
# samples, and the largest
lag() {
	local mean='{s += $c} END {printf "%d", s / (NR ? NR : 1)}'
	printf '%s / %s / %s' \
	    "$(head -n 10 "$work/slot-lag.txt" | awk -v c="$1" "$mean")" \
	    "$(tail -n 10 "$work/slot-lag.txt" | awk -v c="$1" "$mean")" \
	    "$(awk -v c="$1" '$c > m {m = $c} END {print m + 0}' "$work/slot-lag.txt")"
}

{
	echo "# e2e: the shop pipeline under pgbench traffic (rate: $RATE)"
	echo
	echo "$(date -u +%Y-%m-%d), $(nproc) cores, ${SECONDS_} s of traffic, $CLIENTS pgbench clients"
	what="every analysis of scripts/shop/ and the lake"
	[ -z "${E2E_ANALYSES+set}" ] || what="only ${analyses[*]:-the probes}"
	echo "(scripts/shop/traffic --rate $RATE), $what"
	echo "running from one pgcdc-tail through tee."
	echo
	echo "| figure | value |"
	echo "|---|---|"
	printf '| shop transactions (pgbench) | %s (%.0f/s) |\n' "${txs:-?}" "$(calc "${txs:-0} / $dur")"
	printf '| change events through the pipeline | %d (%.0f/s) |\n' "$events" "$(calc "$events / $dur")"
	printf '| drain after traffic stopped | %.2f s |\n' "$drain"
	printf '| slot lag, first 10 s / last 10 s / max (bytes) | %s |\n' "$(lag 1)"
	printf '| of it not yet decoded and sent by the server (walsender) | %s |\n' "$(lag 2)"
	printf '| pass-through lag (commit -> cdc-unwrap row), p50 / p99 / max | %s / %s / %s ms (%s rows) |\n' "$c50" "$c99" "$cmax" "$cn"
	printf '| window result after window end (sales-per-product, 5 s watermark delay), p50 / p99 / max | %s / %s / %s ms (%s results) |\n' "$w50" "$w99" "$wmax" "$wn"
	echo
	echo "Peak RSS and CPU time by stage (VmHWM and utime+stime from /proc,"
	echo "sampled twice a second; CPU seconds of processes alike added up):"
	echo
	echo "| analysis | process | peak RSS | CPU |"
	echo "|---|---|---|---|"
	sort -k1,1 -k2,2 "$work/rss.txt" | while read -r stage tool kb sec; do
		case $tool in
		bash | sleep | cat | mkfifo | psql | python3 | e2e-probe.py) continue ;;
		esac
		printf '| %s | %s | %.1f MB | %s s |\n' "$stage" "$tool" \
		    "$(calc "$kb / 1024")" "$sec"
	done
	echo
	awk -v avail="$(calc "$(nproc) * $dur")" '
	$2 ~ /^(bash|sleep|cat|mkfifo|psql|python3|e2e-probe\.py)$/ { next }
	$1 == "postgres" { pg += $4; if ($2 == "walsender") ws = $4; next }
	$2 == "pgbench" { gen += $4; next }
	{ pipe += $4 }
	END { printf "CPU seconds of the %.0f the cores had: the pipeline %.1f, " \
	    "PostgreSQL %.1f (its walsender, which decodes for pgcdc-tail, " \
	    "%.1f), pgbench %.1f.\n", avail, pipe, pg, ws, gen }' "$work/rss.txt"
} | tee "$OUT/$name.md"
