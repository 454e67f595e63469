#!/usr/bin/env bash
# join.sh: interval-join against DuckDB on first-click attribution.
#
# Generates deterministic clicks and checkouts (a click every 100 ms and a
# checkout every 250 ms on average, 20,000 users, 1% null user_id, up to
# 5 s of disorder), then, in one run:
#   - checks that interval-join and DuckDB give the same rows, text for
#     text, for each checkout its first click in the hour up to it (ties in
#     click time: the earlier click in the file) or nulls:
#       interval-join --within=-1h,0 --pick first --type left --watermark-delay 5s
#   - hyperfine on SMALL checkouts (and 2.5 clicks per checkout): the same
#     in interval-join and in DuckDB, a whole process each
#     (scripts/duckdb-query), writing JSON rows to /dev/null;
#   - peak RSS (/usr/bin/time -v) of interval-join at SMALL and LARGE
#     checkouts (the stream LARGE/SMALL times as long, at the same rates),
#     reading two files, and at LARGE from one time-ordered upstream split
#     by tee (the live shape of the pipeline); and of DuckDB at SMALL.
# Writes a Markdown summary to $BUILD/bench/join.md and prints it.
#
#   scripts/bench/join.sh [SMALL [LARGE]]     (default 200000 800000 checkouts)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=$BUILD/bin/interval-join
DUCK=scripts/duckdb-query
OUT=$BUILD/bench
SMALL=${1:-200000}
LARGE=${2:-800000}
mkdir -p "$OUT"

for tool in hyperfine node /usr/bin/time; do
	command -v "$tool" >/dev/null ||
		{ echo "join.sh: $tool missing; run scripts/install-deps" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "join.sh: build first (make)" >&2; exit 1; }
"$DUCK" 'SELECT 1' >/dev/null ||
	{ echo "join.sh: $DUCK does not work; run scripts/install-deps" >&2; exit 1; }

# gen N DIR: N checkouts and 2.5 N clicks in DIR/clicks.ndjson,
# DIR/checkouts.ndjson, and both in one stream in DIR/mixed.ndjson (each
# row with "kind" first, in arrival order). Every value derives from the
# row number through a fixed pseudo-random sequence (MINSTD), so the files
# are the same on every machine. Click i is due at 100 i ms, checkout j at
# 250 j ms after 2026-11-22T10:00Z; 30% of the rows are up to 5 s late,
# the rest up to 250 ms, so with a 5 s watermark delay no row is late.
# click_id is the line number: a tie in click time goes to the earlier
# line in both programs.
gen() {
	mkdir -p "$2"
	awk -v n="$1" -v dir="$2" '
	function civil(z,   era, doe, yoe, doy, mp, d, m) {	# days since 1970 to Y-M-D
		z += 719468; era = int(z / 146097); doe = z - era * 146097
		yoe = int((doe - int(doe / 1460) + int(doe / 36524) - int(doe / 146096)) / 365)
		doy = doe - (365 * yoe + int(yoe / 4) - int(yoe / 100))
		mp = int((5 * doy + 2) / 153); d = doy - int((153 * mp + 2) / 5) + 1
		m = mp < 10 ? mp + 3 : mp - 9
		return sprintf("%04d-%02d-%02d", yoe + era * 400 + (m <= 2), m, d)
	}
	function rnd() { return h = (h * 48271) % 2147483647 }
	function ts(t,   day) {	# ms after 2026-11-22T00:00Z as RFC 3339
		day = int(t / 86400000)
		if (day != lastday) { lastday = day; date = civil(20779 + day) }
		t %= 86400000
		return sprintf("%sT%02d:%02d:%02d.%03dZ", date, int(t / 3600000),
		    int(t / 60000) % 60, int(t / 1000) % 60, t % 1000)
	}
	function late() { return rnd() % 10 < 3 ? rnd() % 5000 : rnd() % 250 }
	function user() { return rnd() % 100 == 0 ? "null" : 1 + rnd() % 20000 }
	BEGIN {
		h = 1; lastday = -1
		split("tiktok_ads google_ads facebook_post instagram_story newsletter", src, " ")
		clicks = dir "/clicks.ndjson"; checkouts = dir "/checkouts.ndjson"
		mixed = dir "/mixed.ndjson"
		nc = int(n * 5 / 2); i = 1; j = 1
		while (i <= nc || j <= n) {
			# the next due row: clicks every 100 ms, checkouts every 250
			if (j > n || (i <= nc && i * 100 <= j * 250)) {
				row = sprintf("\"click_id\":%d,\"user_id\":%s,\"product_id\":%d," \
				    "\"source\":\"%s\",\"click_ts\":\"%s\"}", i, user(),
				    1 + rnd() % 2000, src[1 + rnd() % 5], ts(36000000 + i * 100 - late()))
				print "{" row >clicks
				print "{\"kind\":\"click\"," row >mixed
				i++
			} else {
				cents = 100 + rnd() % 49900
				row = sprintf("\"checkout_id\":%d,\"user_id\":%s,\"product_id\":%d," \
				    "\"total\":%d.%02d,\"checkout_ts\":\"%s\"}", j, user(),
				    1 + rnd() % 2000, int(cents / 100), cents % 100,
				    ts(36000000 + j * 250 - late()))
				print "{" row >checkouts
				print "{\"kind\":\"checkout\"," row >mixed
				j++
			}
		}
	}'
}

small=$OUT/join-$SMALL
large=$OUT/join-$LARGE
[ -s "$small/mixed.ndjson" ] || gen "$SMALL" "$small"
[ -s "$large/mixed.ndjson" ] || gen "$LARGE" "$large"
nclicks=$(wc -l <"$small/clicks.ndjson")
mb=$(du -cb "$small/clicks.ndjson" "$small/checkouts.ndjson" | awk 'END { printf "%.1f", $1 / 1e6 }')

# shellcheck disable=SC2054 # --within=-1h,0: one argument with a comma
IJ_ARGS=(--on user_id --left-time checkout_ts --right-time click_ts
	--within=-1h,0 --pick first --type left --watermark-delay 5s)
ij_cmd() {	# DIR: the command line, for hyperfine (run through sh)
	echo "$BIN --left $1/checkouts.ndjson --right $1/clicks.ndjson ${IJ_ARGS[*]@Q}"
}
# The same query in DuckDB: a LEFT JOIN on user_id with the time range in
# its condition, then the first click of each checkout by
# QUALIFY row_number() OVER (PARTITION BY checkout_id ORDER BY click_ts,
# click_id) = 1. DuckDB plans it as a hash join on user_id plus a filter,
# which is linear here (under two clicks per user and hour). An ASOF join
# would be cheaper but is not this query: it finds the nearest click at or
# after checkout_ts - 1 h with no defined order among clicks of the same
# millisecond, so ties would not go to the earlier click; and it still
# needs a second test for the upper end. The columns are given, so DuckDB
# skips schema sampling; total is DECIMAL(12,2) and written as in the
# input; the row's columns and names are interval-join's (the click's
# user_id and product_id as right_user_id and right_product_id), so the
# two outputs compare as text. It runs with its default threads (one per
# core; interval-join uses one). Timed, it writes JSON rows to /dev/null
# (USE_TMP_FILE false: never rename onto /dev/null) as interval-join does.
# The whole process is timed, Node.js and loading DuckDB included; the
# summary gives that start-up cost.
duck_query() {	# DIR
	echo "SELECT co.checkout_id, co.user_id, co.product_id, co.total," \
		"co.checkout_ts, c.click_id, c.user_id AS right_user_id," \
		"c.product_id AS right_product_id, c.source, c.click_ts" \
		"FROM read_ndjson('$1/checkouts.ndjson', columns={checkout_id: 'BIGINT'," \
		"user_id: 'BIGINT', product_id: 'BIGINT', total: 'DECIMAL(12,2)'," \
		"checkout_ts: 'TIMESTAMP'}) co" \
		"LEFT JOIN read_ndjson('$1/clicks.ndjson', columns={click_id: 'BIGINT'," \
		"user_id: 'BIGINT', product_id: 'BIGINT', source: 'VARCHAR'," \
		"click_ts: 'TIMESTAMP'}) c" \
		"ON c.user_id = co.user_id" \
		"AND c.click_ts BETWEEN co.checkout_ts - INTERVAL 1 HOUR AND co.checkout_ts" \
		"QUALIFY row_number() OVER (PARTITION BY co.checkout_id" \
		"ORDER BY c.click_ts, c.click_id) = 1"
}
duck_copy() { echo "COPY ($(duck_query "$1")) TO '/dev/null' (FORMAT json, USE_TMP_FILE false)"; }

# Same results first: a benchmark of programs that disagree means nothing.
# interval-join must say nothing (no late row).
"$BIN" --left "$small/checkouts.ndjson" --right "$small/clicks.ndjson" "${IJ_ARGS[@]}" \
	2>"$OUT/interval-join.err" | LC_ALL=C sort >"$OUT/interval-join.out" ||
	{ echo "join.sh: interval-join failed on $small" >&2; cat "$OUT/interval-join.err" >&2; exit 1; }
if [ -s "$OUT/interval-join.err" ]; then
	echo "join.sh: interval-join complained on $small:" >&2
	cat "$OUT/interval-join.err" >&2
	exit 1
fi
"$DUCK" "$(duck_query "$small")" | LC_ALL=C sort >"$OUT/duckdb-join.out"
if ! cmp -s "$OUT/interval-join.out" "$OUT/duckdb-join.out"; then
	echo "join.sh: interval-join and DuckDB disagree on $small" >&2
	diff "$OUT/interval-join.out" "$OUT/duckdb-join.out" | head >&2
	exit 1
fi
rows=$(wc -l <"$OUT/duckdb-join.out")
matched=$(grep -vc '"click_id":null' "$OUT/duckdb-join.out" || true)

hyperfine --warmup 1 --min-runs 5 --style basic \
	--export-json "$OUT/join.json" \
	-n interval-join "$(ij_cmd "$small") > /dev/null" \
	-n duckdb "$DUCK \"$(duck_copy "$small")\"" >"$OUT/hyperfine-join.txt"
hyperfine --warmup 1 --min-runs 5 --style basic \
	--export-json "$OUT/join-start.json" \
	-n duckdb-start "$DUCK 'SELECT 1'" >>"$OUT/hyperfine-join.txt"

stat_of() {	# FIELD NAME JSON
	jq -r --arg n "$2" ".results[] | select(.command == \$n) | .$1" "$3"
}
row() {	# LABEL NAME JSON
	awk -v l="$1" -v m="$(stat_of mean "$2" "$3")" -v s="$(stat_of stddev "$2" "$3")" \
		-v r="$(stat_of 'times | length' "$2" "$3")" -v mb="$mb" 'BEGIN {
		printf "| %s | %.3f ± %.3f s | %d | %.0f MB/s |\n", l, m, s, r, mb / m }'
}
t_ij=$(stat_of mean interval-join "$OUT/join.json")
t_duck=$(stat_of mean duckdb "$OUT/join.json")
t_start=$(stat_of mean duckdb-start "$OUT/join-start.json")

rss() {	# COMMAND...: peak RSS in KiB, and "at most N rows held" of -v
	/usr/bin/time -v "$@" 2>&1 >/dev/null |
		awk -F': ' '/Maximum resident/ { k = $2 }
		    /rows held/ { sub(/.*at most /, ""); sub(/ rows held.*/, ""); n = $0 }
		    END { print k, n }'
}
read -r rss_small held_small < <(rss "$BIN" -v --left "$small/checkouts.ndjson" \
	--right "$small/clicks.ndjson" "${IJ_ARGS[@]}")
read -r rss_large held_large < <(rss "$BIN" -v --left "$large/checkouts.ndjson" \
	--right "$large/clicks.ndjson" "${IJ_ARGS[@]}")
# The live shape: one upstream in time order, split by tee into a FIFO
# and standard input; only interval-join is measured.
fifo=$OUT/join-clicks.fifo
rm -f "$fifo"
mkfifo "$fifo"
read -r rss_tee held_tee < <(
	tee >(grep '"kind":"click"' >"$fifo") <"$large/mixed.ndjson" |
		grep '"kind":"checkout"' |
		rss "$BIN" -v --left - --right "$fifo" "${IJ_ARGS[@]}")
rm -f "$fifo"
rss_duck=$(rss "$DUCK" "$(duck_copy "$small")" </dev/null | awk '{ print $1 }')
duck_version=$("$DUCK" 'SELECT version() AS v' | jq -r .v)

{
	echo "### interval-join vs DuckDB: first-click attribution ($SMALL checkouts, $nclicks clicks, $mb MB, $(nproc) cores)"
	echo
	echo "Each checkout with the user's first click in the hour up to it"
	echo "(\`--within=-1h,0 --pick first --type left --watermark-delay 5s\`): $rows rows,"
	echo "$matched of them with a click, identical in interval-join and DuckDB."
	echo
	echo "| | wall time (mean ± σ) | runs | throughput |"
	echo "|---|---|---|---|"
	row "interval-join" interval-join "$OUT/join.json"
	row "DuckDB $duck_version (scripts/duckdb-query, $(nproc) threads)" duckdb "$OUT/join.json"
	echo
	awk -v a="$t_ij" -v b="$t_duck" -v s="$t_start" 'BEGIN {
		printf "interval-join takes **%.2f×** the time of DuckDB (target: at most 1.0);\n", a / b
		printf "%.3f s of DuckDB'"'s"' time is starting Node.js and DuckDB (`SELECT 1`).\n", s }'
	echo
	echo "| peak RSS of interval-join | checkouts | most rows held (\`-v\`) | peak RSS |"
	echo "|---|---|---|---|"
	awk -v k="$rss_small" -v n="$held_small" -v c="$SMALL" 'BEGIN {
		printf "| two files | %d | %d | %.1f MB |\n", c, n, k / 1024 }'
	awk -v k="$rss_large" -v n="$held_large" -v c="$LARGE" 'BEGIN {
		printf "| two files | %d | %d | %.1f MB |\n", c, n, k / 1024 }'
	awk -v k="$rss_tee" -v n="$held_tee" -v c="$LARGE" 'BEGIN {
		printf "| one upstream through tee | %d | %d | %.1f MB |\n", c, n, k / 1024 }'
	echo
	awk -v s="$rss_small" -v l="$rss_large" -v ns="$SMALL" -v nl="$LARGE" -v d="$rss_duck" 'BEGIN {
		printf "Peak RSS of interval-join from two files grows **%.2f×** from %d to %d checkouts (target: at most 1.5).\n", l / s, ns, nl
		printf "Peak RSS of DuckDB at %d checkouts: %.1f MB.\n", ns, d / 1024 }'
} | tee "$OUT/join.md"
