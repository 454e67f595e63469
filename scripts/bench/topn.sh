#!/usr/bin/env bash
# topn.sh: top-n against DuckDB on the same per-minute product revenues.
#
# Generates deterministic window results as window-agg writes them,
#   {"window_start":"...","window_end":"...","product_id":N,"revenue":D.DD}
# (WINDOWS one-minute windows x PRODUCTS products, the products of a window
# in a shuffled order, revenues distinct within a window so the top 5 has
# no ties), then, in one run:
#   - checks that top-n's top 5 per window equals DuckDB's
#       SELECT ... row_number() OVER (PARTITION BY window_start
#           ORDER BY revenue DESC) AS rank ... QUALIFY rank <= 5
#     as sets of (window_start, product_id, rank);
#   - hyperfine, whole processes writing to /dev/null:
#       top-n -n 5 --by revenue --partition-by window_start
#       the same with --sorted (the rows come grouped by window)
#       DuckDB (scripts/duckdb-query) COPY of that query
#   - peak RSS (/usr/bin/time -v) of each, and of top-n --sorted on 4 times
#     the rows, to show its memory is flat in stream length.
# Writes a Markdown summary to $BUILD/bench/topn.md and prints it.
#
#   scripts/bench/topn.sh [WINDOWS [PRODUCTS]]     (default 1000 1000)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=$BUILD/bin/top-n
DUCK=scripts/duckdb-query
OUT=$BUILD/bench
WINDOWS=${1:-1000}
PRODUCTS=${2:-1000}
ROWS=$((WINDOWS * PRODUCTS))
mkdir -p "$OUT"

for tool in hyperfine jq node /usr/bin/time; do
	command -v "$tool" >/dev/null ||
		{ echo "topn.sh: $tool missing; run scripts/install-deps" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "topn.sh: build first (make)" >&2; exit 1; }
"$DUCK" 'SELECT 1' >/dev/null ||
	{ echo "topn.sh: $DUCK does not work; run scripts/install-deps" >&2; exit 1; }

# gen WINDOWS PRODUCTS: the rows. Everything derives from a fixed
# pseudo-random sequence (MINSTD), so the file is the same on every
# machine. Windows start at 2026-11-22T00:00Z (day by day past midnight);
# product ids are 1..PRODUCTS in a new shuffled order per window; revenue
# in cents is (id * 7919 + a per-window offset) mod 1000003, plus one: a
# prime modulus, so distinct ids give distinct revenues in a window.
gen() {
	awk -v nw="$1" -v np="$2" '
	function civil(z,   era, doe, yoe, doy, mp, d, m) {	# days since 1970 to Y-M-D
		z += 719468; era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9
		return sprintf("%04d-%02d-%02d", yoe + era * 400 + (m <= 2), m, d)
	}
	function stamp(min) {
		return sprintf("%sT%02d:%02d:00.000Z", civil(20779 + int(min / 1440)),
		    int(min % 1440 / 60), min % 60)
	}
	function rnd() { return h = (h * 48271) % 2147483647 }
	BEGIN {
		h = 1
		for (i = 1; i <= np; i++)
			id[i] = i
		for (w = 0; w < nw; w++) {
			ws = stamp(w); we = stamp(w + 1); off = rnd() % 1000003
			for (i = np; i > 1; i--) {	# Fisher-Yates
				j = 1 + rnd() % i; t = id[i]; id[i] = id[j]; id[j] = t
			}
			for (i = 1; i <= np; i++) {
				c = (id[i] * 7919 + off) % 1000003 + 1
				printf "{\"window_start\":\"%s\",\"window_end\":\"%s\"," \
				    "\"product_id\":%d,\"revenue\":%d.%02d}\n",
				    ws, we, id[i], int(c / 100), c % 100
			}
		}
	}'
}

small=$OUT/revenue-$WINDOWS-$PRODUCTS.ndjson
large=$OUT/revenue-$((4 * WINDOWS))-$PRODUCTS.ndjson
[ -s "$small" ] || gen "$WINDOWS" "$PRODUCTS" >"$small"
[ -s "$large" ] || gen $((4 * WINDOWS)) "$PRODUCTS" >"$large"
mb=$(awk -v b="$(stat -c %s "$small")" 'BEGIN { printf "%.1f", b / 1e6 }')

TOPN_ARGS=(-n 5 --by revenue --partition-by window_start)
TOPN="$BIN ${TOPN_ARGS[*]@Q}"	# for hyperfine, which runs it through sh
# The same in DuckDB, as fast as it goes: the columns are given (no schema
# sampling), revenue is DECIMAL(18,2) (exact, like top-n), the window
# bounds stay text as top-n keeps them, and it runs with its default
# threads (one per core; top-n uses one). Timed, it writes the rows as
# JSON to /dev/null, as top-n does; the whole process is timed, Node.js and
# loading DuckDB included, and the summary gives that start-up cost.
duck_query() {	# FILE
	echo "SELECT *, row_number() OVER (PARTITION BY window_start" \
		"ORDER BY revenue DESC) AS rank FROM read_ndjson('$1'," \
		"columns={window_start: 'VARCHAR', window_end: 'VARCHAR'," \
		"product_id: 'BIGINT', revenue: 'DECIMAL(18,2)'}) QUALIFY rank <= 5"
}
duck_copy() { echo "COPY ($(duck_query "$1")) TO '/dev/null' (FORMAT json, USE_TMP_FILE false)"; }

# Same results first: a benchmark of programs that disagree means nothing.
keyed='"\(.window_start)\t\(.product_id)\t\(.rank)"'
"$BIN" "${TOPN_ARGS[@]}" "$small" >"$OUT/top-n.out" ||
	{ echo "topn.sh: top-n failed on $small" >&2; exit 1; }
jq -r "$keyed" "$OUT/top-n.out" | LC_ALL=C sort >"$OUT/top-n.tsv"
"$DUCK" "$(duck_query "$small")" | jq -r "$keyed" | LC_ALL=C sort >"$OUT/duckdb.tsv"
if ! cmp -s "$OUT/top-n.tsv" "$OUT/duckdb.tsv"; then
	echo "topn.sh: top-n and DuckDB disagree on $small" >&2
	diff "$OUT/top-n.tsv" "$OUT/duckdb.tsv" | head >&2
	exit 1
fi
"$BIN" "${TOPN_ARGS[@]}" --sorted "$small" | cmp -s - "$OUT/top-n.out" ||
	{ echo "topn.sh: top-n --sorted differs from top-n" >&2; exit 1; }
results=$(wc -l <"$OUT/duckdb.tsv")
[ "$results" -eq $((5 * WINDOWS)) ] ||
	{ echo "topn.sh: $results results, expected $((5 * WINDOWS))" >&2; exit 1; }

hyperfine --warmup 1 --min-runs 5 --style basic \
	--export-json "$OUT/topn.json" \
	-n top-n "$TOPN $small > /dev/null" \
	-n top-n-sorted "$TOPN --sorted $small > /dev/null" \
	-n duckdb "$DUCK \"$(duck_copy "$small")\"" >"$OUT/hyperfine-topn.txt"
hyperfine --warmup 1 --min-runs 5 --style basic \
	--export-json "$OUT/topn-start.json" \
	-n duckdb-start "$DUCK 'SELECT 1'" >>"$OUT/hyperfine-topn.txt"

stat_of() {	# FIELD NAME JSON
	jq -r --arg n "$2" ".results[] | select(.command == \$n) | .$1" "$3"
}
rss() {	# FILE COMMAND...: peak RSS in KiB
	local f=$1; shift
	/usr/bin/time -v "$@" <"$f" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/ { print $2 }'
}
rss_topn=$(rss "$small" "$BIN" "${TOPN_ARGS[@]}")
rss_sorted=$(rss "$small" "$BIN" "${TOPN_ARGS[@]}" --sorted)
rss_sorted_large=$(rss "$large" "$BIN" "${TOPN_ARGS[@]}" --sorted)
rss_duck=$(rss /dev/null "$DUCK" "$(duck_copy "$small")")
duck_version=$("$DUCK" 'SELECT version() AS v' | jq -r .v)
row() {	# LABEL NAME JSON RSS
	awk -v l="$1" -v m="$(stat_of mean "$2" "$3")" -v s="$(stat_of stddev "$2" "$3")" \
		-v r="$(stat_of 'times | length' "$2" "$3")" -v mb="$mb" -v k="$4" 'BEGIN {
		printf "| %s | %.3f ± %.3f s | %d | %.0f MB/s | %.1f MB |\n", l, m, s, r, mb / m, k / 1024 }'
}
t_topn=$(stat_of mean top-n "$OUT/topn.json")
t_duck=$(stat_of mean duckdb "$OUT/topn.json")
t_start=$(stat_of mean duckdb-start "$OUT/topn-start.json")

{
	echo "### top-n vs DuckDB ($ROWS rows, $mb MB, $(nproc) cores)"
	echo
	echo "Top 5 products by revenue in each of $WINDOWS one-minute windows ($PRODUCTS"
	echo "products each): $results result rows, the same (window_start, product_id,"
	echo "rank) in top-n and in DuckDB's \`row_number() ... QUALIFY rank <= 5\`."
	echo
	echo "| | wall time (mean ± σ) | runs | throughput | peak RSS |"
	echo "|---|---|---|---|---|"
	row "\`top-n ${TOPN_ARGS[*]}\`" top-n "$OUT/topn.json" "$rss_topn"
	row "the same with \`--sorted\`" top-n-sorted "$OUT/topn.json" "$rss_sorted"
	row "DuckDB $duck_version (scripts/duckdb-query, $(nproc) threads)" duckdb "$OUT/topn.json" "$rss_duck"
	echo
	awk -v a="$t_topn" -v b="$t_duck" -v s="$t_start" 'BEGIN {
		printf "top-n takes **%.2f×** the time of DuckDB (target: at most 1.0);\n", a / b
		printf "%.3f s of DuckDB'"'s"' time is starting Node.js and DuckDB (`SELECT 1`).\n", s }'
	echo
	awk -v s="$rss_sorted" -v l="$rss_sorted_large" -v ns="$ROWS" -v nl="$((4 * ROWS))" \
		-v a="$rss_topn" -v w="$WINDOWS" 'BEGIN {
		printf "Peak RSS of top-n --sorted: %.1f MB at %d rows, %.1f MB at %d rows (**%.2f×**):\n", s / 1024, ns, l / 1024, nl, l / s
		printf "one window open at a time. Without --sorted the %d windows stay open until\n", w
		printf "end of input (no watermarks in this file), 5 rows each: %.1f MB.\n", a / 1024 }'
} | tee "$OUT/topn.md"
