#!/usr/bin/env bash
# unwrap.sh: cdc-unwrap against jq on the same Debezium-style events.
#
# Generates deterministic change events of a 10-column sales table (70%
# inserts, 20% updates, 10% deletes), then, in one run:
#   - hyperfine: `cdc-unwrap --add-fields op,table` vs the jq program that
#     does the same (ExtractNewRecordState with op and table added), on 200k
#     events; outputs are checked equal as JSON values first;
#   - peak RSS (/usr/bin/time -v) of cdc-unwrap at 200k and 2M events, to
#     show memory is flat in stream length.
# Writes a Markdown summary to $BUILD/bench/unwrap.md and prints it.
#
#   scripts/bench/unwrap.sh [SMALL [LARGE]]     (default 200000 2000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=$BUILD/bin/cdc-unwrap
OUT=$BUILD/bench
SMALL=${1:-200000}
LARGE=${2:-2000000}
mkdir -p "$OUT"

for tool in hyperfine jq /usr/bin/time; do
	command -v "$tool" >/dev/null ||
		{ echo "unwrap.sh: $tool missing; run scripts/install-deps" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "unwrap.sh: build first (make)" >&2; exit 1; }

# gen N: N events; every value derives from the event number, so the files
# are the same on every machine.
gen() {
	awk -v n="$1" 'BEGIN {
		for (i = 1; i <= n; i++) {
			id = int((i + 2) / 3); k = i % 10
			op = k < 7 ? "c" : (k < 9 ? "u" : "d")
			ts = 1763805600000 + i * 37
			sec = int(ts / 1000); ms = ts % 1000
			row = sprintf("{\"sale_id\":%d,\"user_id\":%d,\"product_id\":%d," \
			    "\"quantity\":%d,\"unit_price\":%d.%02d,\"total_price\":%d.%02d," \
			    "\"currency\":\"EUR\",\"channel\":\"%s\",\"coupon\":%s," \
			    "\"sale_ts\":\"2026-11-22T%02d:%02d:%02d.%03dZ\"}",
			    id, 1 + (i * 7919) % 50000, 1 + (i * 104729) % 2000,
			    1 + i % 5, 1 + (i * 13) % 300, i % 100,
			    1 + (i * 31) % 1500, (i * 7) % 100,
			    (i % 3 == 0 ? "web" : (i % 3 == 1 ? "app" : "store")),
			    (i % 11 == 0 ? "\"BLACKFRIDAY\"" : "null"),
			    int(sec / 3600) % 24, int(sec / 60) % 60, sec % 60, ms)
			before = "null"; after = row
			if (op == "d") { before = sprintf("{\"sale_id\":%d}", id); after = "null" }
			printf "{\"before\":%s,\"after\":%s,\"source\":{\"version\":\"cdc-pipes\"," \
			    "\"connector\":\"postgresql\",\"name\":\"shop\",\"ts_ms\":%d," \
			    "\"snapshot\":\"false\",\"db\":\"shop\",\"schema\":\"public\"," \
			    "\"table\":\"sales\",\"txId\":%d,\"lsn\":%d},\"op\":\"%s\"," \
			    "\"ts_ms\":%d}\n", before, after, ts, 700 + i, 24000000 + i * 312,
			    op, ts + 12
		}
	}'
}

small=$OUT/events-$SMALL.ndjson
large=$OUT/events-$LARGE.ndjson
[ -s "$small" ] || gen "$SMALL" >"$small"
[ -s "$large" ] || gen "$LARGE" >"$large"

JQ_PROG='select(.op != "d") | .after + {__op: .op, __table: .source.table}'

# Same output first: a benchmark of two programs that disagree means nothing.
# jq reprints numbers ("131.10" becomes 131.1), so cdc-unwrap's exact output
# goes through jq -c once before the comparison.
"$BIN" --add-fields op,table "$small" | jq -c . >"$OUT/unwrap.out"
jq -c "$JQ_PROG" "$small" >"$OUT/jq.out"
if ! cmp -s "$OUT/unwrap.out" "$OUT/jq.out"; then
	echo "unwrap.sh: cdc-unwrap and jq disagree on $small" >&2
	diff "$OUT/unwrap.out" "$OUT/jq.out" | head >&2
	exit 1
fi

hyperfine --warmup 1 --min-runs 3 --style basic \
	--export-json "$OUT/unwrap.json" \
	-n cdc-unwrap "$BIN --add-fields op,table $small" \
	-n jq "jq -c '$JQ_PROG' $small" >"$OUT/hyperfine.txt"

mean() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean' "$OUT/unwrap.json"; }
t_unwrap=$(mean cdc-unwrap)
t_jq=$(mean jq)

rss() {	# peak RSS in KiB
	/usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ { print $2 }'
}
rss_small=$(rss "$BIN" --add-fields op,table "$small")
rss_large=$(rss "$BIN" --add-fields op,table "$large")
rss_jq=$(rss jq -c "$JQ_PROG" "$small")
mb=$(awk -v b="$(stat -c %s "$small")" 'BEGIN { printf "%.1f", b / 1e6 }')

{
	echo "### cdc-unwrap vs jq ($SMALL events, $mb MB, $(nproc) cores)"
	echo
	echo "| | wall time (mean) | throughput | peak RSS |"
	echo "|---|---|---|---|"
	awk -v t="$t_unwrap" -v mb="$mb" -v r="$rss_small" 'BEGIN {
		printf "| cdc-unwrap --add-fields op,table | %.3f s | %.0f MB/s | %.1f MB |\n", t, mb / t, r / 1024 }'
	awk -v t="$t_jq" -v mb="$mb" -v r="$rss_jq" 'BEGIN {
		printf "| jq -c (same program) | %.3f s | %.0f MB/s | %.1f MB |\n", t, mb / t, r / 1024 }'
	echo
	awk -v a="$t_jq" -v b="$t_unwrap" 'BEGIN { printf "cdc-unwrap is **%.1f×** faster than jq (target: at least 25×).\n", a / b }'
	echo
	awk -v s="$rss_small" -v l="$rss_large" -v ns="$SMALL" -v nl="$LARGE" 'BEGIN {
		printf "Peak RSS of cdc-unwrap: %.1f MB at %d events, %.1f MB at %d events (%.2f×).\n", s / 1024, ns, l / 1024, nl, l / s }'
} | tee "$OUT/unwrap.md"
