#!/usr/bin/env bats
# top-n against PostgreSQL 15 as the oracle: random rows with ties, nulls and
# mixed types (tests/helpers/topn-oracle.py) go through top-n and, as jsonb
# with their arrival number, into a table; the ranks must be exactly
# PostgreSQL's row_number() OVER (PARTITION BY ... ORDER BY ... NULLS LAST,
# arrival) <= N, row for row. Changelogs are ranked over their final rows,
# and --emit update output, replayed by rank, must be the same ranking.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
}

teardown_file() {
	pg_teardown_file
}

setup() {
	ORACLE=$REPO_ROOT/tests/helpers/topn-oracle.py
	W=$BATS_TEST_TMPDIR
	tbl=$(pg_unique_name rows)
}

# load FILE: the NDJSON lines of FILE into table $tbl (seq = line number,
# j = the line as jsonb); the line text is taken as it is (CSV with quote
# and delimiter characters no line holds).
load_rows() {
	psql_q "CREATE TABLE $tbl (seq bigint GENERATED ALWAYS AS IDENTITY, j jsonb)"
	psql_q "COPY $tbl (j) FROM STDIN (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')" <"$1"
}

# ord FIELD ASC|DESC: top-n's order of a field's JSON values in SQL: numbers
# < strings (bytes, COLLATE "C") < booleans < objects and arrays, reversed
# for DESC, null or missing last.
ord() {
	local f="j->'$1'" t="jsonb_typeof(j->'$1')" d=$2
	echo "CASE $t WHEN 'number' THEN 0 WHEN 'string' THEN 1 WHEN 'boolean' THEN 2
		WHEN 'object' THEN 3 WHEN 'array' THEN 3 END $d NULLS LAST,
	    CASE WHEN $t = 'number' THEN ($f #>> '{}')::numeric END $d,
	    CASE WHEN $t = 'string' THEN $f #>> '{}' END COLLATE \"C\" $d,
	    CASE WHEN $t = 'boolean' THEN ($f #>> '{}')::boolean END $d"
}

# part FIELD...: the PARTITION BY list; a missing field is null, as in top-n
part() {
	local f out=
	for f in "$@"; do
		out+="${out:+, }COALESCE(j->'$f', 'null'::jsonb)"
	done
	echo "${out:-true}"
}

# pg_ranks OUT N PARTITION ORDER [RELATION]: "id|rank" of PostgreSQL's
# ranking, sorted; RELATION has columns seq and j (default: the rows of
# $tbl, watermark lines left out).
pg_ranks() {
	local rel=${5:-"SELECT seq, j FROM $tbl WHERE NOT j ? '__watermark'"}
	psql_q "SELECT j->>'id', rk FROM (SELECT j, row_number() OVER (
		PARTITION BY $3 ORDER BY $4, seq) AS rk FROM ($rel) r) x
		WHERE rk <= $2" | LC_ALL=C sort >"$1"
}

# ranks_of IN OUT: "id|rank" of top-n's output rows, sorted
ranks_of() {
	jq -r 'select(has("__watermark") | not) | "\(.id)|\(.rank)"' "$1" | LC_ALL=C sort >"$2"
}

# same WHAT WANT GOT: identical, and not empty
same() {
	if [[ ! -s $2 ]]; then
		echo "$1: PostgreSQL returned no rows" >&2
		return 1
	fi
	if ! cmp -s "$2" "$3"; then
		echo "$1: top-n (+) differs from PostgreSQL (-):" >&2
		diff -U1 "$2" "$3" | sed -n '3,24p' >&2
		return 1
	fi
}

# topn IN OUT ARGS...: top-n ARGS on IN, output in OUT; it must succeed
# and say nothing
topn() {
	local in=$1 out=$2
	shift 2
	run -0 --separate-stderr top-n "$@" "$in"
	printf '%s\n' "$output" >"$out"
	assert_equal "$stderr" ""
}

@test "append rows: ranks are PostgreSQL's row_number() <= N, ties by arrival, nulls last" {
	python3 "$ORACLE" gen --seed 31 --rows 3000 --partitions 6 >"$W/rows.ndjson"
	load_rows "$W/rows.ndjson"
	# the data has what makes ranking hard
	grep -q '"v":2.50' "$W/rows.ndjson"
	grep -q '"v":"' "$W/rows.ndjson"
	grep -q '"v":true' "$W/rows.ndjson"
	grep -q '"g":"x\\/y"' "$W/rows.ndjson"
	grep -q '"g":null' "$W/rows.ndjson"

	topn "$W/rows.ndjson" "$W/out1" -n 5 --by v --by s:asc -p g
	ranks_of "$W/out1" "$W/got1"
	pg_ranks "$W/want1" 5 "$(part g)" "$(ord v DESC), $(ord s ASC)"
	same "-n 5 --by v --by s:asc -p g" "$W/want1" "$W/got1"
	[ "$(wc -l <"$W/got1")" -ge 40 ]

	topn "$W/rows.ndjson" "$W/out2" -n 3 --asc --by v -p g
	ranks_of "$W/out2" "$W/got2"
	pg_ranks "$W/want2" 3 "$(part g)" "$(ord v ASC)"
	same "-n 3 --asc --by v -p g" "$W/want2" "$W/got2"

	topn "$W/rows.ndjson" "$W/out3" -n 25 --by s --by v:asc
	ranks_of "$W/out3" "$W/got3"
	pg_ranks "$W/want3" 25 "$(part)" "$(ord s DESC), $(ord v ASC)"
	same "-n 25 --by s --by v:asc" "$W/want3" "$W/got3"

	topn "$W/rows.ndjson" "$W/out4" -n 2 --by v -p g,s
	ranks_of "$W/out4" "$W/got4"
	pg_ranks "$W/want4" 2 "$(part g s)" "$(ord v DESC)"
	same "-n 2 --by v -p g,s" "$W/want4" "$W/got4"

	# --sorted over the same rows grouped by partition
	python3 "$ORACLE" gen --seed 31 --rows 3000 --partitions 6 --group >"$W/grouped.ndjson"
	tbl=$(pg_unique_name grouped)
	load_rows "$W/grouped.ndjson"
	topn "$W/grouped.ndjson" "$W/out5" -n 5 --by v --by s:asc -p g --sorted
	ranks_of "$W/out5" "$W/got5"
	pg_ranks "$W/want5" 5 "$(part g)" "$(ord v DESC), $(ord s ASC)"
	same "--sorted" "$W/want5" "$W/got5"
}

@test "wide numbers: 39+ digits, 1e-400, 1e589 and 9e131071 rank as numeric orders them, ties by arrival" {
	python3 "$ORACLE" gen --seed 37 --rows 1500 --partitions 4 --wide >"$W/rows.ndjson"
	load_rows "$W/rows.ndjson"
	grep -q '"v":1e38,' "$W/rows.ndjson"
	grep -q '"v":100000000000000000000000000000000000000,' "$W/rows.ndjson"
	grep -q '"v":0.1e-399,' "$W/rows.ndjson"
	# whole orderings, so every pair of distinct values is compared
	for args in "400|g|v:desc" "400|g|v:asc" "3000||v:desc s:asc" "3000||v:asc"; do
		IFS='|' read -r n p keys <<<"$args"
		by=() sql=
		for k in $keys; do
			by+=(--by "$k")
			sql+="${sql:+, }$(ord "${k%%:*}" "${k##*:}")"
		done
		topn "$W/rows.ndjson" "$W/out" -n "$n" "${by[@]}" ${p:+-p "$p"}
		ranks_of "$W/out" "$W/got"
		# shellcheck disable=SC2086
		pg_ranks "$W/want" "$n" "$(part $p)" "$sql"
		same "wide -n $n -p '$p' $keys" "$W/want" "$W/got"
	done
	# a changelog of them: retractions find their rows, order stays exact
	python3 "$ORACLE" gen --seed 38 --rows 3000 --partitions 3 --changelog --wide \
	    >"$W/log.ndjson" 2>/dev/null
	tbl=$(pg_unique_name log)
	load_rows "$W/log.ndjson"
	local final="SELECT a.seq, a.j - '__kind' AS j FROM $tbl a
		WHERE coalesce(a.j->>'__kind', '+I') IN ('+I', '+U')
		AND NOT EXISTS (SELECT 1 FROM $tbl r WHERE r.j->>'__kind' IN ('-U', '-D')
		    AND r.j - '__kind' = a.j - '__kind' AND r.seq > a.seq)"
	run -0 top-n -q -n 1000 --by v -p g "$W/log.ndjson"
	printf '%s\n' "$output" >"$W/out"
	ranks_of "$W/out" "$W/got"
	pg_ranks "$W/want" 1000 "$(part g)" "$(ord v DESC)" "$final"
	same "wide changelog" "$W/want" "$W/got"
}

@test "windows closed by watermarks: PostgreSQL's ranking per window, written as each closes" {
	python3 "$ORACLE" gen --seed 32 --rows 6000 --windows 60 >"$W/w.ndjson"
	load_rows "$W/w.ndjson"
	run -0 --separate-stderr top-n -v -n 4 --by v --by s:desc -p window_start --watermarks "$W/w.ndjson"
	printf '%s\n' "$output" >"$W/out"
	# a window is open from its first row to its watermark: two at a time
	rows=$(grep -vc __watermark "$W/w.ndjson")
	assert_equal "$stderr" "top-n: $rows rows read, 240 rows written; at most 2 partitions open and 8 rows held"
	ranks_of "$W/out" "$W/got"
	pg_ranks "$W/want" 4 "$(part window_start)" "$(ord v DESC), $(ord s DESC)"
	same "windows" "$W/want" "$W/got"
	# each window comes out before the watermark that closes it, and
	# windows in order: the output's window_end never goes back, and
	# every row before a watermark has window_end <= it
	run -0 jq -rn 'reduce inputs as $r ({we: "", ok: true};
		if $r.__watermark then .ok = (.ok and .we <= $r.__watermark)
		else .ok = (.ok and .we <= $r.window_end) | .we = $r.window_end end) | .ok' "$W/out"
	assert_output true
	assert_equal "$(grep -c __watermark "$W/out")" 59

	# window and group: partitions of two fields
	topn "$W/w.ndjson" "$W/out2" -n 2 --by v -p window_start,g
	ranks_of "$W/out2" "$W/got2"
	pg_ranks "$W/want2" 2 "$(part window_start g)" "$(ord v DESC)"
	same "windows and groups" "$W/want2" "$W/got2"
}

@test "changelog with random retractions: the final ranking is PostgreSQL's over the final rows" {
	python3 "$ORACLE" gen --seed 33 --rows 4000 --partitions 5 --changelog \
	    >"$W/log.ndjson" 2>"$W/gen.err"
	unmatched=$(sed -n 's/^unmatched //p' "$W/gen.err")
	[ "$unmatched" -gt 10 ]
	load_rows "$W/log.ndjson"
	# the rows still there at the end: added, and not retracted later
	# (every version's content is unique: it has its own id)
	local final="SELECT a.seq, a.j - '__kind' AS j FROM $tbl a
		WHERE coalesce(a.j->>'__kind', '+I') IN ('+I', '+U')
		AND NOT EXISTS (SELECT 1 FROM $tbl r WHERE r.j->>'__kind' IN ('-U', '-D')
		    AND r.j - '__kind' = a.j - '__kind' AND r.seq > a.seq)"
	[ "$(psql_q "SELECT count(*) FROM ($final) f")" -gt 500 ]
	for args in "5|g|v:desc s:asc" "1|g|v:asc" "40||s:desc v:desc"; do
		IFS='|' read -r n p keys <<<"$args"
		by=() sql=
		for k in $keys; do
			by+=(--by "$k")
			sql+="${sql:+, }$(ord "${k%%:*}" "${k##*:}")"
		done
		run -0 --separate-stderr top-n -n "$n" "${by[@]}" ${p:+-p "$p"} "$W/log.ndjson"
		printf '%s\n' "$output" >"$W/out"
		assert_equal "$stderr" "top-n: warning: $unmatched retractions found no row to retract"
		ranks_of "$W/out" "$W/got"
		# shellcheck disable=SC2086
		pg_ranks "$W/want" "$n" "$(part $p)" "$sql" "$final"
		same "changelog -n $n -p '$p' $keys" "$W/want" "$W/got"
	done
}

@test "--emit update: the changelog, replayed by rank, is the final ranking" {
	python3 "$ORACLE" gen --seed 34 --rows 4000 --partitions 5 --changelog \
	    >"$W/log.ndjson" 2>/dev/null
	python3 "$ORACLE" gen --seed 35 --rows 3000 --partitions 4 >"$W/rows.ndjson"
	python3 "$ORACLE" gen --seed 36 --rows 3000 --windows 30 >"$W/w.ndjson"
	for input in log rows w; do
		for spec in "5|g" "3|" "1|g,s"; do
			IFS='|' read -r n p <<<"$spec"
			# a closed window's partition is dropped without output: its
			# key must hold the window, or the next one would reuse it
			[ "$input" != w ] || p=window_start${p:+,$p}
			args=(-n "$n" --by v --by s:asc ${p:+-p "$p"})
			top-n -q "${args[@]}" "$W/$input.ndjson" >"$W/final"
			top-n -q "${args[@]}" --emit update "$W/$input.ndjson" >"$W/upd"
			# every kind shows up somewhere
			[ "$input" != log ] || [ "$spec" != "5|g" ] ||
				for k in +I -U +U -D; do grep -q "\"__kind\":\"$k\"" "$W/upd"; done
			run -0 python3 "$ORACLE" replay --partition "$p" <"$W/upd"
			printf '%s\n' "$output" >"$W/got"
			LC_ALL=C sort "$W/final" >"$W/want"
			[ -s "$W/want" ]
			diff -u "$W/want" "$W/got" ||
				fail "$input -n $n -p '$p': replayed update output differs from the final ranking"
		done
	done
	# and the final ranking of the changelog is PostgreSQL's
	load_rows "$W/log.ndjson"
	top-n -q -n 5 --by v --by s:asc -p g --emit update "$W/log.ndjson" >"$W/upd"
	python3 "$ORACLE" replay --partition g <"$W/upd" >"$W/replayed"
	ranks_of "$W/replayed" "$W/got"
	pg_ranks "$W/want" 5 "$(part g)" "$(ord v DESC), $(ord s ASC)" \
	    "SELECT a.seq, a.j - '__kind' AS j FROM $tbl a
		WHERE coalesce(a.j->>'__kind', '+I') IN ('+I', '+U')
		AND NOT EXISTS (SELECT 1 FROM $tbl r WHERE r.j->>'__kind' IN ('-U', '-D')
		    AND r.j - '__kind' = a.j - '__kind' AND r.seq > a.seq)"
	same "update replayed" "$W/want" "$W/got"
}

@test "window-agg --emit update | top-n --emit update: PostgreSQL's top 3 of each minute's revenue" {
	python3 "$REPO_ROOT/tests/helpers/window-oracle.py" gen --table "$tbl" \
	    --changelog "$W/sales.ndjson" --sql "$W/load.sql" --seed 37 --rows 1500 \
	    --disorder 5 --products 12
	local wagg=(-t sale_ts --tumble 1m -g product_id --watermark-delay 5s
		-a 'sum(total_price) as revenue,count')
	# the results as window-agg gives them, ranked by PostgreSQL
	run -0 --separate-stderr window-agg "${wagg[@]}" "$W/sales.ndjson"
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >"$W/results.ndjson"
	[ "$(wc -l <"$W/results.ndjson")" -gt 100 ]
	load_rows "$W/results.ndjson"
	psql_q "SELECT j->>'window_start', j->>'product_id', rk FROM (
		SELECT j, row_number() OVER (PARTITION BY j->'window_start'
		    ORDER BY $(ord revenue DESC), (j->>'product_id')::int) AS rk
		FROM $tbl) x WHERE rk <= 3" | LC_ALL=C sort >"$W/want"
	ranked() {
		jq -r '"\(.window_start)|\(.product_id // "")|\(.rank)"' "$1" | LC_ALL=C sort >"$2"
	}
	# live: changelog in, changelog out, replayed
	run -0 --separate-stderr bash -c 'set -o pipefail
		window-agg "${@:2}" --emit update "$1" |
		top-n -n 3 --by revenue --by product_id:asc -p window_start --emit update' \
	    _ "$W/sales.ndjson" "${wagg[@]}"
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >"$W/upd"
	grep -q '"__kind":"-U"' "$W/upd"
	python3 "$ORACLE" replay --partition window_start <"$W/upd" >"$W/replayed"
	ranked "$W/replayed" "$W/got"
	same "window-agg update | top-n update" "$W/want" "$W/got"
	# final: window results closed by forwarded watermarks
	run -0 --separate-stderr bash -c 'set -o pipefail
		window-agg "${@:2}" --watermarks "$1" |
		top-n -n 3 --by revenue --by product_id:asc -p window_start' \
	    _ "$W/sales.ndjson" "${wagg[@]}"
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >"$W/final"
	ranked "$W/final" "$W/got"
	same "window-agg --watermarks | top-n" "$W/want" "$W/got"
}
