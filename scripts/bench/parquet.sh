#!/usr/bin/env bash
# parquet.sh: to-parquet-csv against DuckDB, NDJSON sales rows to Parquet
# (zstd) and to CSV.
#
# Generates deterministic flat sales rows (sale_id, product_id, user_id,
# quantity, unit_price and total_price with two decimals, a status out of
# five, an RFC 3339 sale_ts with milliseconds), then, in one run:
#   - writes them to Parquet with
#       to-parquet-csv -o tool.parquet sales.ndjson           (zstd, default)
#       DuckDB, a whole process (scripts/duckdb-query):
#       COPY (SELECT * FROM read_ndjson(sales.ndjson, columns={...}))
#           TO duck.parquet (FORMAT parquet, COMPRESSION zstd)
#     where the columns are the types to-parquet-csv infers (integers
#     BIGINT, the prices DECIMAL(18,2), sale_ts TIMESTAMPTZ), so both files
#     hold the same typed values; and checks they do: both files' rows, read
#     by DuckDB through tests/helpers/parquet-rows, sorted, must be the same
#     text, and the arrow-rs reader (parquet-rows --reader strict) must read
#     to-parquet-csv's file the same way;
#   - hyperfine on those two commands, on DuckDB with read_ndjson_auto as
#     the issue writes it (informative: it infers DOUBLE prices, another
#     file), and on DuckDB's bare start-up (`SELECT 1`);
#   - the file sizes;
#   - peak RSS (/usr/bin/time -v) of both at SMALL rows and of to-parquet-csv
#     at LARGE rows, to show its memory is bounded by the row group, not the
#     input;
#   - CSV: to-parquet-csv -f csv against DuckDB COPY ... (FORMAT csv), the
#     two files checked to hold the same rows (DuckDB reads both back with
#     the same column types).
# Writes a Markdown summary to $BUILD/bench/parquet.md and prints it.
#
#   scripts/bench/parquet.sh [SMALL [LARGE]]     (default 1000000 4000000)
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
BIN=$BUILD/bin/to-parquet-csv
DUCK=scripts/duckdb-query
ROWS=tests/helpers/parquet-rows
OUT=$BUILD/bench
SMALL=${1:-1000000}
LARGE=${2:-4000000}
mkdir -p "$OUT"

for tool in hyperfine jq node /usr/bin/time; do
	command -v "$tool" >/dev/null ||
		{ echo "parquet.sh: $tool missing; run scripts/install-deps" >&2; exit 1; }
done
[ -x "$BIN" ] || { echo "parquet.sh: build first (make)" >&2; exit 1; }
"$DUCK" 'SELECT 1' >/dev/null ||
	{ echo "parquet.sh: $DUCK does not work; run scripts/install-deps" >&2; exit 1; }

# gen N: N sales rows; every value derives from the row number through a
# fixed pseudo-random sequence (MINSTD), so the files are the same on every
# machine. sale_ts advances 60 ms a row from 2026-11-22T10:00Z with up to
# 250 ms of disorder; total_price is quantity times unit_price.
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
		split("paid shipped delivered refunded cancelled", st, " ")
		for (i = 1; i <= n; i++) {
			t = 36000000 + i * 60 - rnd() % 250	# ms after 2026-11-22T00:00Z
			if (int(t / 86400000) != day) {
				day = int(t / 86400000); date = civil(20779 + day)
			}
			tod = t % 86400000
			q = 1 + rnd() % 5; unit = 100 + rnd() % 29900; cents = q * unit
			r = rnd() % 100
			s = r < 70 ? 1 : r < 85 ? 2 : r < 93 ? 3 : r < 97 ? 4 : 5
			printf "{\"sale_id\":%d,\"product_id\":%d,\"user_id\":%d," \
			    "\"quantity\":%d,\"unit_price\":%d.%02d,\"total_price\":%d.%02d," \
			    "\"status\":\"%s\",\"sale_ts\":\"%sT%02d:%02d:%02d.%03dZ\"}\n",
			    i, 1 + rnd() % 2000, 1 + rnd() % 50000, q,
			    int(unit / 100), unit % 100, int(cents / 100), cents % 100,
			    st[s], date, int(tod / 3600000),
			    int(tod / 60000) % 60, int(tod / 1000) % 60, tod % 1000
		}
	}'
}

small=$OUT/sales-flat-$SMALL.ndjson
large=$OUT/sales-flat-$LARGE.ndjson
[ -s "$small" ] || gen "$SMALL" >"$small"
[ -s "$large" ] || gen "$LARGE" >"$large"
mb=$(awk -v b="$(stat -c %s "$small")" 'BEGIN { printf "%.1f", b / 1e6 }')

tool_pq=$OUT/parquet-tool.parquet
duck_pq=$OUT/parquet-duckdb.parquet
auto_pq=$OUT/parquet-duckdb-auto.parquet
tool_csv=$OUT/parquet-tool.csv
duck_csv=$OUT/parquet-duckdb.csv
large_pq=$OUT/parquet-tool-large.parquet

# The types to-parquet-csv infers for these rows, as DuckDB column types.
# One line: it goes into hyperfine's command texts.
COLS="{sale_id: 'BIGINT', product_id: 'BIGINT', user_id: 'BIGINT', quantity: 'BIGINT', "
COLS+="unit_price: 'DECIMAL(18,2)', total_price: 'DECIMAL(18,2)', status: 'VARCHAR', "
COLS+="sale_ts: 'TIMESTAMPTZ'}"
duck_copy() {	# INPUT OUTPUT FORMAT-OPTIONS
	echo "COPY (SELECT * FROM read_ndjson('$1', columns=$COLS)) TO '$2' ($3)"
}
duck_pq_sql=$(duck_copy "$small" "$duck_pq" 'FORMAT parquet, COMPRESSION zstd')
auto_pq_sql="COPY (SELECT * FROM read_ndjson_auto('$small')) TO '$auto_pq' (FORMAT parquet, COMPRESSION zstd)"
duck_csv_sql=$(duck_copy "$small" "$duck_csv" 'FORMAT csv')

# Same rows first: a benchmark of programs that disagree means nothing.
rm -f "$tool_pq" "$duck_pq" "$tool_csv" "$duck_csv"
"$BIN" -o "$tool_pq" "$small" ||
	{ echo "parquet.sh: to-parquet-csv failed on $small" >&2; exit 1; }
"$DUCK" "$duck_pq_sql" >/dev/null
"$ROWS" --schema "$tool_pq" >"$OUT/parquet-tool.schema"
"$ROWS" --schema "$duck_pq" >"$OUT/parquet-duckdb.schema"
if ! cmp -s "$OUT/parquet-tool.schema" "$OUT/parquet-duckdb.schema"; then
	echo "parquet.sh: the column types differ (the comparison is not like for like):" >&2
	diff "$OUT/parquet-tool.schema" "$OUT/parquet-duckdb.schema" >&2 || true
fi
"$ROWS" "$tool_pq" >"$OUT/parquet-tool.rows"
LC_ALL=C sort "$OUT/parquet-tool.rows" >"$OUT/parquet-tool.sorted"
"$ROWS" "$duck_pq" | LC_ALL=C sort >"$OUT/parquet-duckdb.sorted"
if ! cmp -s "$OUT/parquet-tool.sorted" "$OUT/parquet-duckdb.sorted"; then
	echo "parquet.sh: to-parquet-csv's and DuckDB's files hold different rows" >&2
	diff "$OUT/parquet-tool.sorted" "$OUT/parquet-duckdb.sorted" | head >&2
	exit 1
fi
[ "$(wc -l <"$OUT/parquet-tool.sorted")" -eq "$SMALL" ] ||
	{ echo "parquet.sh: $tool_pq does not hold $SMALL rows" >&2; exit 1; }
if ! "$ROWS" --reader strict "$tool_pq" | cmp -s - "$OUT/parquet-tool.rows"; then
	echo "parquet.sh: arrow-rs reads $tool_pq differently from DuckDB" >&2
	exit 1
fi
rm -f "$OUT/parquet-tool.rows" "$OUT/parquet-tool.sorted" "$OUT/parquet-duckdb.sorted"

# CSV: both files, read back by DuckDB with the same column types, hold the
# same rows (the texts differ: DuckDB writes its own timestamp form).
"$BIN" -f csv -o "$tool_csv" "$small" ||
	{ echo "parquet.sh: to-parquet-csv -f csv failed on $small" >&2; exit 1; }
"$DUCK" "$duck_csv_sql" >/dev/null
csv_diff=$("$DUCK" "WITH a AS (SELECT * FROM read_csv('$tool_csv', header = true, columns = $COLS)),
	b AS (SELECT * FROM read_csv('$duck_csv', header = true, columns = $COLS))
	SELECT (SELECT count(*) FROM a) AS a, (SELECT count(*) FROM b) AS b,
	(SELECT count(*) FROM (FROM a EXCEPT ALL FROM b)) + (SELECT count(*) FROM (FROM b EXCEPT ALL FROM a)) AS d")
if [ "$csv_diff" != "{\"a\":$SMALL,\"b\":$SMALL,\"d\":0}" ]; then
	echo "parquet.sh: to-parquet-csv's and DuckDB's CSV files hold different rows: $csv_diff" >&2
	exit 1
fi

hyperfine --warmup 1 --min-runs 5 --style basic \
	--prepare "rm -f $tool_pq" --prepare "rm -f $duck_pq" --prepare "rm -f $auto_pq" \
	--export-json "$OUT/parquet.json" \
	-n to-parquet-csv "$BIN -o $tool_pq $small" \
	-n duckdb "$DUCK \"$duck_pq_sql\"" \
	-n duckdb-auto "$DUCK \"$auto_pq_sql\"" >"$OUT/hyperfine-parquet.txt"
hyperfine --warmup 1 --min-runs 5 --style basic \
	--prepare "rm -f $tool_csv" --prepare "rm -f $duck_csv" \
	--export-json "$OUT/parquet-csv.json" \
	-n to-parquet-csv-csv "$BIN -f csv -o $tool_csv $small" \
	-n duckdb-csv "$DUCK \"$duck_csv_sql\"" >>"$OUT/hyperfine-parquet.txt"
hyperfine --warmup 1 --min-runs 5 --style basic \
	--export-json "$OUT/parquet-start.json" \
	-n duckdb-start "$DUCK 'SELECT 1'" >>"$OUT/hyperfine-parquet.txt"

stat_of() {	# FIELD NAME JSON
	jq -r --arg n "$2" ".results[] | select(.command == \$n) | .$1" "$3"
}
row() {	# LABEL NAME JSON
	awk -v l="$1" -v m="$(stat_of mean "$2" "$3")" -v s="$(stat_of stddev "$2" "$3")" \
		-v r="$(stat_of 'times | length' "$2" "$3")" -v mb="$mb" 'BEGIN {
		printf "| %s | %.3f ± %.3f s | %d | %.0f MB/s |\n", l, m, s, r, mb / m }'
}
t_tool=$(stat_of mean to-parquet-csv "$OUT/parquet.json")
t_duck=$(stat_of mean duckdb "$OUT/parquet.json")
t_tcsv=$(stat_of mean to-parquet-csv-csv "$OUT/parquet-csv.json")
t_dcsv=$(stat_of mean duckdb-csv "$OUT/parquet-csv.json")
t_start=$(stat_of mean duckdb-start "$OUT/parquet-start.json")

# The files of hyperfine's last runs (each command prepared by removing its
# own output first).
s_tool=$(stat -c %s "$tool_pq")
s_duck=$(stat -c %s "$duck_pq")
s_auto=$(stat -c %s "$auto_pq")
s_tcsv=$(stat -c %s "$tool_csv")
s_dcsv=$(stat -c %s "$duck_csv")
groups() {	# FILE: row groups
	"$DUCK" "SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('$1')" | jq -r .n
}
g_tool=$(groups "$tool_pq")
g_duck=$(groups "$duck_pq")

rss() {	# COMMAND...: peak RSS in KiB
	/usr/bin/time -v "$@" 2>&1 >/dev/null </dev/null | awk -F': ' '/Maximum resident/ { print $2 }'
}
rm -f "$tool_pq" "$duck_pq" "$large_pq"
rss_small=$(rss "$BIN" -o "$tool_pq" "$small")
rss_large=$(rss "$BIN" -o "$large_pq" "$large")
rss_duck=$(rss "$DUCK" "$duck_pq_sql")
g_large=$(groups "$large_pq")
rm -f "$large_pq"
duck_version=$("$DUCK" 'SELECT version() AS v' | jq -r .v)
same_types=identical
cmp -s "$OUT/parquet-tool.schema" "$OUT/parquet-duckdb.schema" || same_types=different
types=$(jq -rs 'map("\(.name) \(.type)") | join(", ")' "$OUT/parquet-tool.schema")

{
	echo "### to-parquet-csv vs DuckDB ($SMALL sales rows, $mb MB NDJSON, $(nproc) cores)"
	echo
	echo "NDJSON to Parquet, zstd. Columns ($same_types types in both files): $types."
	echo "Both files hold the same $SMALL rows (DuckDB reads both the same, and arrow-rs"
	echo "reads to-parquet-csv's file the same too)."
	echo
	echo "| | wall time (mean ± σ) | runs | throughput |"
	echo "|---|---|---|---|"
	row "to-parquet-csv" to-parquet-csv "$OUT/parquet.json"
	row "DuckDB $duck_version, read_ndjson with the columns' types ($(nproc) threads)" duckdb "$OUT/parquet.json"
	row "DuckDB, read_ndjson_auto (infers DOUBLE prices: another file)" duckdb-auto "$OUT/parquet.json"
	row "to-parquet-csv -f csv" to-parquet-csv-csv "$OUT/parquet-csv.json"
	row "DuckDB COPY ... (FORMAT csv)" duckdb-csv "$OUT/parquet-csv.json"
	echo
	awk -v a="$t_tool" -v b="$t_duck" -v c="$t_tcsv" -v d="$t_dcsv" -v s="$t_start" 'BEGIN {
		printf "to-parquet-csv takes **%.2f×** the time of DuckDB (target: at most 0.8);\n", a / b
		printf "%.3f s of DuckDB'"'s"' time is starting Node.js and DuckDB (`SELECT 1`).\n", s
		printf "To CSV: **%.2f×** DuckDB'"'s"' time.\n", c / d }'
	echo
	echo "| file | bytes | row groups |"
	echo "|---|---|---|"
	echo "| to-parquet-csv | $s_tool | $g_tool |"
	echo "| DuckDB (typed columns) | $s_duck | $g_duck |"
	echo "| DuckDB (read_ndjson_auto) | $s_auto | |"
	echo "| to-parquet-csv CSV | $s_tcsv | |"
	echo "| DuckDB CSV | $s_dcsv | |"
	echo
	awk -v a="$s_tool" -v b="$s_duck" 'BEGIN {
		printf "to-parquet-csv'"'s"' file is **%.2f×** the size of DuckDB'"'s"' (target: at most 1.1).\n", a / b }'
	echo
	awk -v s="$rss_small" -v l="$rss_large" -v d="$rss_duck" -v ns="$SMALL" -v nl="$LARGE" \
		-v gl="$g_large" 'BEGIN {
		printf "Peak RSS of to-parquet-csv: %.1f MB at %d rows, %.1f MB at %d rows (%d row groups): **%.2f×**.\n", s / 1024, ns, l / 1024, nl, gl, l / s
		printf "Peak RSS of DuckDB at %d rows: %.1f MB.\n", ns, d / 1024 }'
} | tee "$OUT/parquet.md"
