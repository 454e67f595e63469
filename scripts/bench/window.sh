#!/usr/bin/env bash
# window.sh: window-agg against DuckDB, Miller and jq on the same sales rows.
#
# Generates deterministic flat sales rows (about 2000 products, prices with
# two decimals, sale_ts about 60 ms apart with up to 5 s of disorder), then,
# in one run:
#   - checks that window-agg and DuckDB give the same result, as text with
#     exact numbers, and that Miller and jq compute the same groups (on the
#     first 100k rows; their sums are binary floats, so rounded to cents);
#   - hyperfine on SMALL rows: tumbling 1-minute windows per product with
#     sum(total_price) and count, by
#       window-agg --time sale_ts --tumble 1m --watermark-delay 5s ...
#       DuckDB, a whole process (scripts/duckdb-query) reading the NDJSON
#       mlr --ijsonl --ojsonl put (minute bucket) then stats1
#       jq -cn 'reduce inputs ...' (slow: two runs, no warmup)
#   - peak RSS (/usr/bin/time -v) of window-agg at SMALL and LARGE rows, to
#     show memory is bounded by the open windows, and of DuckDB at SMALL.
# Writes a Markdown summary to $BUILD/bench/window.md and prints it.
#
#   scripts/bench/window.sh [SMALL [LARGE]]     (default 1000000 4000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=$BUILD/bin/window-agg
DUCK=scripts/duckdb-query
OUT=$BUILD/bench
SMALL=${1:-1000000}
LARGE=${2:-4000000}
CHECK=100000	# rows for the Miller and jq check
mkdir -p "$OUT"

for tool in hyperfine jq mlr node /usr/bin/time; do
	command -v "$tool" >/dev/null ||
		{ echo "window.sh: $tool missing; run scripts/install-deps" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "window.sh: build first (make)" >&2; exit 1; }
"$DUCK" 'SELECT 1' >/dev/null ||
	{ echo "window.sh: $DUCK does not work; run scripts/install-deps" >&2; exit 1; }

# gen N: N sales rows; every value derives from the row number through a
# fixed pseudo-random sequence (MINSTD), so the files are the same on every
# machine. sale_ts advances 60 ms a row from 2026-11-22T10:00Z; 30% of the
# rows are up to 5 s late, the rest up to 250 ms, so with a 5 s watermark
# delay no row is dropped as late and every tool sees the same rows.
gen() {
	awk -v n="$1" '
	function civil(z,   era, doe, yoe, doy, mp, d, m) {	# days since 1970 to Y-M-D
		z += 719468; era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9
		return sprintf("%04d-%02d-%02d", yoe + era * 400 + (m <= 2), m, d)
	}
	function rnd() { return h = (h * 48271) % 2147483647 }
	BEGIN {
		h = 1; day = -1
		for (i = 1; i <= n; i++) {
			late = rnd() % 10 < 3 ? rnd() % 5000 : rnd() % 250
			t = 36000000 + i * 60 - late	# ms after 2026-11-22T00:00Z
			if (int(t / 86400000) != day) {
				day = int(t / 86400000); date = civil(20779 + day)
			}
			tod = t % 86400000
			q = 1 + rnd() % 5; cents = q * (100 + rnd() % 29900)
			printf "{\"sale_id\":%d,\"user_id\":%d,\"product_id\":%d," \
			    "\"quantity\":%d,\"total_price\":%d.%02d," \
			    "\"sale_ts\":\"%sT%02d:%02d:%02d.%03dZ\"}\n",
			    i, 1 + rnd() % 50000, 1 + rnd() % 2000, q,
			    int(cents / 100), cents % 100, date, int(tod / 3600000),
			    int(tod / 60000) % 60, int(tod / 1000) % 60, tod % 1000
		}
	}'
}

small=$OUT/sales-$SMALL.ndjson
large=$OUT/sales-$LARGE.ndjson
check=$OUT/sales-$CHECK.ndjson
[ -s "$small" ] || gen "$SMALL" >"$small"
[ -s "$large" ] || gen "$LARGE" >"$large"
[ -s "$check" ] || head -n "$CHECK" "$small" >"$check"
mb=$(awk -v b="$(stat -c %s "$small")" 'BEGIN { printf "%.1f", b / 1e6 }')

WAGG_ARGS=(--time sale_ts --tumble 1m --watermark-delay 5s --group-by product_id
	--agg 'sum(total_price) as revenue,count')
WAGG="$BIN ${WAGG_ARGS[*]@Q}"	# for hyperfine, which runs it through sh
# The same query in DuckDB. To be fair and fast for DuckDB: the columns are
# given, so it skips schema sampling and reads only the three fields it
# needs; total_price is DECIMAL(18,2), so its sums are exact like
# window-agg's (and faster than DOUBLE); sale_ts is read as TIMESTAMP; it
# runs with its default threads (one per core; window-agg uses one). Timed,
# it writes JSON rows to /dev/null (USE_TMP_FILE false: never rename onto
# /dev/null), as window-agg does. The whole process is timed, Node.js and
# loading DuckDB included; the summary gives that start-up cost.
duck_query() {	# FILE
	echo "SELECT time_bucket(INTERVAL 1 minute, sale_ts) AS window_start," \
		"window_start + INTERVAL 1 minute AS window_end, product_id," \
		"sum(total_price) AS revenue, count(*) AS count" \
		"FROM read_ndjson('$1', columns={product_id: 'BIGINT'," \
		"total_price: 'DECIMAL(18,2)', sale_ts: 'TIMESTAMP'}) GROUP BY ALL"
}
duck_copy() { echo "COPY ($(duck_query "$1")) TO '/dev/null' (FORMAT json, USE_TMP_FILE false)"; }
# Miller and jq take the minute from the text ("2026-11-22T10:00"), the
# cheapest bucket either can compute.
# shellcheck disable=SC2016 # $names are Miller's and jq's, not the shell's
MLR_PROG='$window_start = substr($sale_ts, 0, 15) . ":00.000Z"'
MLR_ARGS="--ijsonl --ojsonl put '$MLR_PROG' then stats1 -a sum,count -f total_price -g window_start,product_id"
# shellcheck disable=SC2016
JQ_PROG='reduce inputs as $r ({}; .[$r.sale_ts[0:16]][$r.product_id | tostring] |= (.revenue += $r.total_price | .count += 1))
	| to_entries[] | .key as $m | .value | to_entries[]
	| {window_start: ($m + ":00.000Z"), product_id: (.key | tonumber), revenue: .value.revenue, count: .value.count}'

# Same results first: a benchmark of programs that disagree means nothing.
# window-agg and DuckDB must agree byte for byte once sorted (same field
# order, "19.90" as 19.90).
"$BIN" "${WAGG_ARGS[@]}" <"$small" | LC_ALL=C sort >"$OUT/window-agg.out" ||
	{ echo "window.sh: window-agg failed on $small" >&2; exit 1; }
"$DUCK" "$(duck_query "$small")" | LC_ALL=C sort >"$OUT/duckdb.out"
if ! cmp -s "$OUT/window-agg.out" "$OUT/duckdb.out"; then
	echo "window.sh: window-agg and DuckDB disagree on $small" >&2
	diff "$OUT/window-agg.out" "$OUT/duckdb.out" | head >&2
	exit 1
fi
groups=$(wc -l <"$OUT/duckdb.out")
# Miller and jq: the same (window_start, product_id, revenue, count) on the
# check file, with their float sums rounded to cents.
keyed='[.window_start, .product_id, (.revenue * 100 | round), .count] | @tsv'
"$DUCK" "$(duck_query "$check")" | jq -r "$keyed" | LC_ALL=C sort >"$OUT/duckdb-check.tsv"
eval "mlr $MLR_ARGS $check" | jq -r '.revenue = .total_price_sum | .count = .total_price_count | '"$keyed" |
	LC_ALL=C sort >"$OUT/mlr-check.tsv"
jq -cn "$JQ_PROG" "$check" | jq -r "$keyed" | LC_ALL=C sort >"$OUT/jq-check.tsv"
for peer in mlr jq; do
	if ! cmp -s "$OUT/duckdb-check.tsv" "$OUT/$peer-check.tsv"; then
		echo "window.sh: $peer and DuckDB disagree on $check" >&2
		diff "$OUT/duckdb-check.tsv" "$OUT/$peer-check.tsv" | head >&2
		exit 1
	fi
done

hyperfine --warmup 1 --min-runs 5 --style basic \
	--export-json "$OUT/window.json" \
	-n window-agg "$WAGG < $small > /dev/null" \
	-n duckdb "$DUCK \"$(duck_copy "$small")\"" \
	-n mlr "mlr $MLR_ARGS $small > /dev/null" >"$OUT/hyperfine-window.txt"
hyperfine --runs 2 --style basic \
	--export-json "$OUT/window-jq.json" \
	-n jq "jq -cn '$JQ_PROG' $small > /dev/null" >>"$OUT/hyperfine-window.txt"
hyperfine --warmup 1 --min-runs 5 --style basic \
	--export-json "$OUT/window-start.json" \
	-n duckdb-start "$DUCK 'SELECT 1'" >>"$OUT/hyperfine-window.txt"

stat_of() {	# FIELD NAME JSON
	jq -r --arg n "$2" ".results[] | select(.command == \$n) | .$1" "$3"
}
row() {	# LABEL NAME JSON
	awk -v l="$1" -v m="$(stat_of mean "$2" "$3")" -v s="$(stat_of stddev "$2" "$3")" \
		-v r="$(stat_of 'times | length' "$2" "$3")" -v mb="$mb" 'BEGIN {
		printf "| %s | %.3f ± %.3f s | %d | %.0f MB/s |\n", l, m, s, r, mb / m }'
}
t_wagg=$(stat_of mean window-agg "$OUT/window.json")
t_duck=$(stat_of mean duckdb "$OUT/window.json")
t_start=$(stat_of mean duckdb-start "$OUT/window-start.json")

rss() {	# FILE COMMAND...: peak RSS in KiB
	local f=$1; shift
	/usr/bin/time -v "$@" <"$f" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ { print $2 }'
}
rss_small=$(rss "$small" "$BIN" "${WAGG_ARGS[@]}")
rss_large=$(rss "$large" "$BIN" "${WAGG_ARGS[@]}")
rss_duck=$(rss /dev/null "$DUCK" "$(duck_copy "$small")")
duck_version=$("$DUCK" 'SELECT version() AS v' | jq -r .v)

{
	echo "### window-agg vs DuckDB, Miller and jq ($SMALL rows, $mb MB, $(nproc) cores)"
	echo
	echo "Tumbling 1-minute windows of sale_ts per product_id with sum(total_price) and"
	echo "count: $groups result rows, identical in window-agg and DuckDB."
	echo
	echo "| | wall time (mean ± σ) | runs | throughput |"
	echo "|---|---|---|---|"
	row "window-agg" window-agg "$OUT/window.json"
	row "DuckDB $duck_version (scripts/duckdb-query, $(nproc) threads)" duckdb "$OUT/window.json"
	row "Miller (mlr put, stats1)" mlr "$OUT/window.json"
	row "jq -cn (reduce inputs)" jq "$OUT/window-jq.json"
	echo
	awk -v a="$t_wagg" -v b="$t_duck" -v s="$t_start" 'BEGIN {
		printf "window-agg takes **%.2f×** the time of DuckDB (target: at most 0.6);\n", a / b
		printf "%.3f s of DuckDB'"'s"' time is starting Node.js and DuckDB (`SELECT 1`).\n", s }'
	echo
	awk -v s="$rss_small" -v l="$rss_large" -v d="$rss_duck" -v ns="$SMALL" -v nl="$LARGE" 'BEGIN {
		printf "Peak RSS of window-agg: %.1f MB at %d rows, %.1f MB at %d rows (**%.2f×**, target: at most 1.5).\n", s / 1024, ns, l / 1024, nl, l / s
		printf "Peak RSS of DuckDB at %d rows: %.1f MB.\n", ns, d / 1024 }'
} | tee "$OUT/window.md"
