#!/usr/bin/env bats
# window-agg against PostgreSQL 15 as the oracle: random sales changelogs
# (tests/helpers/window-oracle.py) go through window-agg, their final rows
# into a table, and PostgreSQL's GROUP BY over the same windows must give
# the same result rows, text for text: exact sums, avg(numeric) digits,
# min/max as written, times as window-agg writes them.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	# The CDC test's slot decodes the whole database: one test at a time.
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
}

teardown_file() {
	pg_teardown_file
}

setup() {
	ORACLE=$REPO_ROOT/tests/helpers/window-oracle.py
	W=$BATS_TEST_TMPDIR
	tbl=$(pg_unique_name sales)
	EPOCH="TIMESTAMPTZ '1970-01-01 00:00:00+00'"
	# the aggregates most tests ask for, grouped by product_id
	AGGS='sum(total_price),count,avg(total_price),min(total_price),max(total_price),count_distinct(user_id)'
}

teardown() {
	if [[ -n ${slot:-} ]]; then
		psql_q "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null || true
	fi
}

# gen ARGS...: a changelog in $W/log.ndjson (window-oracle.py gen ARGS)
# and its final rows in table $tbl.
gen() {
	python3 "$ORACLE" gen --table "$tbl" --changelog "$W/log.ndjson" \
	    --sql "$W/load.sql" "$@"
	psql_f "$W/load.sql"
}

# pg_answer FILE REL [GROUP [AGGS [HAVING]]]: PostgreSQL's result rows for
# the window relation REL (columns ws, we and the sales columns) into FILE.
pg_answer() {
	local q
	q=$(python3 "$ORACLE" query --from "$2" --group "${3:-}" \
	    --agg "${4:-$AGGS}" ${5:+--having "$5"}) &&
	    psql_q "$q" >"$1"
}

# Window relations over $tbl, as PostgreSQL computes them. ORIGIN is the
# epoch plus --offset.
#   rel_tumble SIZE [ORIGIN]
rel_tumble() {
	local origin=${2:-$EPOCH}
	echo "SELECT b AS ws, b + interval '$1' AS we, s.*
	    FROM $tbl s, date_bin(interval '$1', s.sale_ts, $origin) b"
}
#   rel_hop SLIDE SIZE [ORIGIN]: every window [ws, ws + SIZE) holding the
#   row, ws = the latest slide start at or before it minus k slides
rel_hop() {
	local origin=${3:-$EPOCH}
	echo "SELECT ws, ws + interval '$2' AS we, s.*
	    FROM $tbl s, date_bin(interval '$1', s.sale_ts, $origin) b,
		generate_series(0, ceil(extract(epoch FROM interval '$2') /
		    extract(epoch FROM interval '$1'))::int) k,
		LATERAL (SELECT b - k * interval '$1' AS ws) x
	    WHERE ws + interval '$2' > s.sale_ts"
}
#   rel_cumulate STEP SIZE [ORIGIN]: [base, base + k STEP) for each k with
#   base + k STEP > t, base the start of the SIZE period holding t
rel_cumulate() {
	local origin=${3:-$EPOCH}
	echo "SELECT b AS ws, b + k * interval '$1' AS we, s.*
	    FROM $tbl s, date_bin(interval '$2', s.sale_ts, $origin) b,
		generate_series(1, (extract(epoch FROM interval '$2') /
		    extract(epoch FROM interval '$1'))::int) k
	    WHERE b + k * interval '$1' > s.sale_ts"
}
#   rel_session GAP GROUP: gaps and islands; a row more than GAP after
#   the previous one of its group starts a new session
rel_session() {
	echo "WITH o AS (
		SELECT s.*, CASE WHEN s.sale_ts - lag(s.sale_ts) OVER
		    (PARTITION BY $2 ORDER BY s.sale_ts) <= interval '$1'
		    THEN 0 ELSE 1 END AS brk
		FROM $tbl s),
	    n AS (SELECT o.*, sum(brk) OVER (PARTITION BY $2 ORDER BY sale_ts
		ROWS UNBOUNDED PRECEDING) AS sess FROM o)
	    SELECT min(sale_ts) OVER p AS ws,
		max(sale_ts) OVER p + interval '$1' AS we, n.*
	    FROM n WINDOW p AS (PARTITION BY $2, sess)"
}

# same_results WHAT WANT GOT: the files hold the same lines once sorted
# (window-agg orders the groups of a window by first arrival), and there
# are some; otherwise show where they differ.
same_results() {
	local what=$1 want=$2 got=$3
	sort "$want" >"$want.sorted"
	sort "$got" >"$got.sorted"
	if [[ ! -s $want.sorted ]]; then
		echo "$what: PostgreSQL returned no rows" >&2
		return 1
	fi
	if ! cmp -s "$want.sorted" "$got.sorted"; then
		{
			echo "$what: window-agg (+) differs from PostgreSQL (-):"
			python3 "$ORACLE" firstdiff "$want.sorted" "$got.sorted"
			diff -U1 "$want.sorted" "$got.sorted" | sed -n '3,24p'
		} >&2
		return 1
	fi
}

# in_end_order FILE: results come out in window-end order.
in_end_order() {
	if ! sed -E 's/.*"window_end":"([^"]*)".*/\1/' "$1" | sort -c; then
		echo "$1: results not in window-end order" >&2
		return 1
	fi
}

# wagg OUT ARGS...: window-agg ARGS on the changelog, results in OUT;
# it must succeed and say nothing (no late rows, no lost retractions).
wagg() {
	local out=$1
	shift
	run -0 --separate-stderr window-agg -t sale_ts "$@" "$W/log.ndjson"
	printf '%s\n' "$output" >"$out"
	assert_equal "$stderr" ""
}

@test "tumble 1m by product_id, updates and deletes: exactly PostgreSQL's GROUP BY date_bin" {
	gen --seed 11 --rows 1200 --disorder 5
	wagg "$W/got" --tumble 1m -g product_id --watermark-delay 5s -a "$AGGS"
	pg_answer "$W/want" "$(rel_tumble '1 minute')" product_id
	same_results "tumble 1m" "$W/want" "$W/got"
	in_end_order "$W/got"
	# the data really has retractions, nulls, refunds, big values
	grep -q '"__kind":"-U"' "$W/log.ndjson"
	grep -q '"__kind":"-D"' "$W/log.ndjson"
	grep -q '"product_id":null,"sum' "$W/got"
	grep -q '"min_total_price":-' "$W/got"
	grep -Eq '"sum_total_price":[0-9]{10,}' "$W/got"
	[ "$(wc -l <"$W/got")" -gt 80 ]
}

@test "tumble with --offset: 1m shifted by 20s, 10m shifted by -16m; first/last, as NAME" {
	gen --seed 12 --rows 900 --disorder 4 --unique-ts --mixed-times
	local aggs='count,count(total_price) as priced,sum(total_price) as revenue,first(total_price),last(total_price),avg(total_price)'
	wagg "$W/got1" --tumble 1m --offset 20s -g product_id --watermark-delay 4s -a "$aggs"
	pg_answer "$W/want1" "$(rel_tumble '1 minute' "$EPOCH + interval '20 seconds'")" product_id "$aggs"
	same_results "tumble 1m offset 20s" "$W/want1" "$W/got1"
	in_end_order "$W/got1"
	grep -q '"window_start":"2026-11-22T10:01:20.000Z","window_end":"2026-11-22T10:02:20.000Z"' "$W/got1"

	# only the offset modulo the size matters: -16m is +4m
	wagg "$W/got2" --tumble 10m --offset=-16m -g product_id --watermark-delay 4s -a "$AGGS"
	pg_answer "$W/want2" "$(rel_tumble '10 minutes' "$EPOCH - interval '16 minutes'")" product_id
	same_results "tumble 10m offset -16m" "$W/want2" "$W/got2"
	in_end_order "$W/got2"
	grep -q '"window_start":"2026-11-22T10:04:00.000Z","window_end":"2026-11-22T10:14:00.000Z"' "$W/got2"
}

@test "numbers of mixed scales (unconstrained numeric), inserts only: sum and avg scales as PostgreSQL's" {
	gen --seed 22 --rows 900 --disorder 5 --mixed-scales --inserts-only
	wagg "$W/got" --tumble 1m -g product_id --watermark-delay 5s -a "$AGGS"
	pg_answer "$W/want" "$(rel_tumble '1 minute')" product_id
	same_results "tumble 1m, mixed scales" "$W/want" "$W/got"
}

# PostgreSQL's sum(numeric) has the largest scale of the rows summed: after
# 1.50 is retracted from {1.50, 2}, the sum is 2, not 2.00.
@test "numbers of mixed scales with updates and deletes: a retracted value leaves no digits behind" {
	gen --seed 23 --rows 900 --disorder 5 --mixed-scales
	wagg "$W/got" --tumble 1m -g product_id --watermark-delay 5s -a "$AGGS"
	pg_answer "$W/want" "$(rel_tumble '1 minute')" product_id
	same_results "tumble 1m, mixed scales, retractions" "$W/want" "$W/got"
}

# Numbers PostgreSQL's numeric holds and a 128-bit decimal does not: 39 to
# 60 digits, 1e-400, 1e589, the 38-nines boundary, and -U/-D retracting
# them. Every result is exact and plain, as numeric's text.
@test "wide numbers (39+ digits, 1e-400, 1e589), inserts only: exactly PostgreSQL's sum, avg, min, max" {
	gen --seed 31 --rows 900 --disorder 5 --wide --inserts-only
	wagg "$W/got" --tumble 1m -g product_id --watermark-delay 5s -a "$AGGS"
	pg_answer "$W/want" "$(rel_tumble '1 minute')" product_id
	same_results "tumble 1m, wide numbers" "$W/want" "$W/got"
	# the data really has them, and so do the results
	grep -Eq '"total_price":-?[0-9]\.[0-9]*E-[0-9]{3}' "$W/log.ndjson"
	grep -Eq '"total_price":-?[0-9]\.?[0-9]*e[0-9]{3}' "$W/log.ndjson"
	grep -Eq '"sum_total_price":-?[0-9]{100,}' "$W/got"
	grep -Eq '"avg_total_price":-?[0-9]+\.[0-9]{300,}' "$W/got"
	grep -Eq '"min_total_price":-?[0-9]{39,}[,.]' "$W/got"
}

@test "wide numbers with updates and deletes: retracting a huge value leaves every digit of the rest" {
	gen --seed 32 --rows 1200 --disorder 5 --wide
	wagg "$W/got" --tumble 1m -g product_id --watermark-delay 5s -a "$AGGS"
	pg_answer "$W/want" "$(rel_tumble '1 minute')" product_id
	same_results "tumble 1m, wide numbers, retractions" "$W/want" "$W/got"
	grep -Eq '"__kind":"-[UD]",.*"total_price":-?[0-9.]*[eE]' "$W/log.ndjson"

	# the changelog of results replays to the same answer
	wagg "$W/upd" --hop 30s --size 1m -g product_id --watermark-delay 5s -a "$AGGS" --emit update
	run -0 python3 "$ORACLE" replay --key product_id <"$W/upd"
	printf '%s\n' "$output" >"$W/got"
	pg_answer "$W/want" "$(rel_hop '30 seconds' '1 minute')" product_id
	same_results "hop 30s/1m, wide numbers, update replayed" "$W/want" "$W/got"

	# sessions merge sums of every width
	local aggs='count,sum(total_price),avg(total_price),min(total_price),max(total_price)'
	tbl=$(pg_unique_name sales)
	gen --seed 33 --rows 700 --disorder 8 --wide --inserts-only --users 8
	wagg "$W/got" --session 10s -g user_id --watermark-delay 8s -a "$aggs"
	pg_answer "$W/want" "$(rel_session '10 seconds' user_id)" user_id "$aggs"
	same_results "session 10s, wide numbers" "$W/want" "$W/got"
}

@test "hop: 20s slide of 1m windows, and a 25s slide of 1m windows offset by 7s" {
	gen --seed 13 --rows 800 --disorder 6
	wagg "$W/got1" --hop 20s --size 1m -g product_id --watermark-delay 6s -a "$AGGS"
	pg_answer "$W/want1" "$(rel_hop '20 seconds' '1 minute')" product_id
	same_results "hop 20s/1m" "$W/want1" "$W/got1"
	in_end_order "$W/got1"

	# a size that is no multiple of the slide: 2 or 3 windows per row
	wagg "$W/got2" --hop 25s --size 1m --offset 7s -g product_id --watermark-delay 6s -a "$AGGS"
	pg_answer "$W/want2" "$(rel_hop '25 seconds' '1 minute' "$EPOCH + interval '7 seconds'")" product_id
	same_results "hop 25s/1m offset 7s" "$W/want2" "$W/got2"
	in_end_order "$W/got2"
}

@test "cumulate: 20s steps of 2m periods, without and with group and offset" {
	gen --seed 14 --rows 800 --disorder 3
	wagg "$W/got1" --cumulate 20s --size 2m --watermark-delay 3s -a "$AGGS"
	pg_answer "$W/want1" "$(rel_cumulate '20 seconds' '2 minutes')" "" "$AGGS"
	same_results "cumulate 20s/2m" "$W/want1" "$W/got1"
	in_end_order "$W/got1"

	wagg "$W/got2" --cumulate 1m --size 5m --offset 90s -g product_id --watermark-delay 3s -a "$AGGS"
	pg_answer "$W/want2" "$(rel_cumulate '1 minute' '5 minutes' "$EPOCH + interval '90 seconds'")" product_id
	same_results "cumulate 1m/5m offset 90s" "$W/want2" "$W/got2"
	in_end_order "$W/got2"
}

@test "session per user_id, inserts only: gaps and islands with lag()" {
	local aggs='count,count(product_id),count_distinct(product_id),sum(total_price),avg(total_price),min(total_price),max(total_price)'
	gen --seed 15 --rows 700 --disorder 8 --inserts-only --users 25
	wagg "$W/got" --session 30s -g user_id --watermark-delay 8s -a "$aggs"
	pg_answer "$W/want" "$(rel_session '30 seconds' user_id)" user_id "$aggs"
	same_results "session 30s" "$W/want" "$W/got"
	in_end_order "$W/got"
	# sessions of several rows, with merges of out-of-order rows
	grep -q '"count":[4-9]' "$W/got"
}

# The sessions of the final rows: retracting a session's last (or first)
# row shrinks it, retracting the row that joined two splits it again.
@test "session per user_id, with updates and deletes: sessions shrink and split like the final table's" {
	local aggs='count,count(product_id),count_distinct(product_id),sum(total_price),avg(total_price),min(total_price),max(total_price)'
	gen --seed 16 --rows 700 --disorder 8 --users 25
	wagg "$W/got" --session 30s -g user_id --watermark-delay 8s -a "$aggs"
	pg_answer "$W/want" "$(rel_session '30 seconds' user_id)" user_id "$aggs"
	same_results "session 30s with retractions" "$W/want" "$W/got"
	in_end_order "$W/got"
}

@test "--emit update: the changelog of results replays to PostgreSQL's answer" {
	gen --seed 17 --rows 1000 --disorder 5
	wagg "$W/upd" --tumble 1m -g product_id --watermark-delay 5s -a "$AGGS" --emit update
	run -0 python3 "$ORACLE" replay --key product_id <"$W/upd"
	printf '%s\n' "$output" >"$W/got"
	pg_answer "$W/want" "$(rel_tumble '1 minute')" product_id
	same_results "tumble 1m, update replayed" "$W/want" "$W/got"
	# it is a changelog with every kind
	for k in +I -U +U -D; do grep -q "\"__kind\":\"$k\"" "$W/upd"; done

	wagg "$W/upd" --hop 30s --size 1m -g product_id --watermark-delay 5s -a "$AGGS" --emit update
	run -0 python3 "$ORACLE" replay --key product_id <"$W/upd"
	printf '%s\n' "$output" >"$W/got"
	pg_answer "$W/want" "$(rel_hop '30 seconds' '1 minute')" product_id
	same_results "hop 30s/1m, update replayed" "$W/want" "$W/got"

	wagg "$W/upd" --cumulate 30s --size 2m --watermark-delay 5s -a "$AGGS" --emit update
	run -0 python3 "$ORACLE" replay <"$W/upd"
	printf '%s\n' "$output" >"$W/got"
	pg_answer "$W/want" "$(rel_cumulate '30 seconds' '2 minutes')" "" "$AGGS"
	same_results "cumulate 30s/2m, update replayed" "$W/want" "$W/got"

	# --having: results come and go as they pass and fail the filter
	local aggs='count,sum(total_price) as revenue'
	wagg "$W/upd" --tumble 1m -g user_id --watermark-delay 5s -a "$aggs" \
	    --having 'count >= 2' --having 'revenue > 300' --emit update
	run -0 python3 "$ORACLE" replay --key user_id <"$W/upd"
	printf '%s\n' "$output" >"$W/got"
	pg_answer "$W/want" "$(rel_tumble '1 minute')" user_id "$aggs" \
	    'count(*) >= 2 AND sum(total_price) > 300'
	same_results "tumble 1m, --having, update replayed" "$W/want" "$W/got"
	wagg "$W/fin" --tumble 1m -g user_id --watermark-delay 5s -a "$aggs" \
	    --having 'count >= 2' --having 'revenue > 300'
	same_results "tumble 1m, --having" "$W/want" "$W/fin"
}

@test "--emit update with sessions (inserts only): merges replay to PostgreSQL's sessions" {
	# a short gap and few users: out-of-order rows join two sessions
	gen --seed 18 --rows 700 --disorder 8 --inserts-only --users 8
	wagg "$W/upd" --session 10s -g user_id --watermark-delay 8s -a "$AGGS" --emit update
	run -0 python3 "$ORACLE" replay --key user_id <"$W/upd"
	printf '%s\n' "$output" >"$W/got"
	pg_answer "$W/want" "$(rel_session '10 seconds' user_id)" user_id
	same_results "session 30s, update replayed" "$W/want" "$W/got"
	grep -q '"__kind":"-D"' "$W/upd"
}

@test "disorder beyond the watermark delay, --allowed-lateness covers it: corrections replay to PostgreSQL's answer" {
	gen --seed 19 --rows 1000 --disorder 30
	# update mode: -U/+U corrections of fired windows
	run -0 --separate-stderr window-agg -t sale_ts --tumble 1m -g product_id \
	    --watermark-delay 2s --allowed-lateness 30s -a "$AGGS" --emit update "$W/log.ndjson"
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >"$W/upd"
	run -0 python3 "$ORACLE" replay --key product_id <"$W/upd"
	printf '%s\n' "$output" >"$W/got"
	pg_answer "$W/want" "$(rel_tumble '1 minute')" product_id
	same_results "tumble 1m, lateness 30s, update replayed" "$W/want" "$W/got"

	# final mode: a correction is the replacement row (or a -D)
	run -0 --separate-stderr window-agg -t sale_ts --tumble 1m -g product_id \
	    --watermark-delay 2s --allowed-lateness 30s -a "$AGGS" "$W/log.ndjson"
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >"$W/fin"
	# corrections really happened: some window written more than once
	[ "$(sed -E 's/,"sum_total_price".*//' "$W/fin" | sort | uniq -d | wc -l)" -gt 0 ]
	run -0 python3 "$ORACLE" replay --key product_id <"$W/fin"
	printf '%s\n' "$output" >"$W/got"
	same_results "tumble 1m, lateness 30s, final with corrections" "$W/want" "$W/got"

	# hop windows and sessions too
	run -0 window-agg -t sale_ts --hop 20s --size 1m -g product_id \
	    --watermark-delay 2s --allowed-lateness 30s -a "$AGGS" --emit update "$W/log.ndjson"
	printf '%s\n' "$output" >"$W/upd"
	run -0 python3 "$ORACLE" replay --key product_id <"$W/upd"
	printf '%s\n' "$output" >"$W/got"
	pg_answer "$W/want" "$(rel_hop '20 seconds' '1 minute')" product_id
	same_results "hop 20s/1m, lateness 30s, update replayed" "$W/want" "$W/got"

	# sessions (inserts only): late rows extend and join fired sessions
	tbl=$(pg_unique_name sales)
	gen --seed 24 --rows 700 --disorder 30 --inserts-only --users 8
	for emit in update final; do
		run -0 --separate-stderr window-agg -t sale_ts --session 10s -g user_id \
		    --watermark-delay 2s --allowed-lateness 30s -a "$AGGS" --emit $emit "$W/log.ndjson"
		assert_equal "$stderr" ""
		printf '%s\n' "$output" >"$W/out"
		run -0 python3 "$ORACLE" replay --key user_id <"$W/out"
		printf '%s\n' "$output" >"$W/got"
		pg_answer "$W/want" "$(rel_session '10 seconds' user_id)" user_id
		same_results "session 10s, lateness 30s, $emit replayed" "$W/want" "$W/got"
	done
	grep -q '"__kind":"-D"' "$W/out"
}

@test "disorder beyond the watermark delay without lateness: late rows counted and written exactly" {
	run -0 python3 "$ORACLE" gen --table "$tbl" --changelog "$W/log.ndjson" \
	    --sql "$W/load.sql" --seed 20 --rows 1000 --disorder 30 \
	    --late-tumble 60,0,2 --late-file "$W/late.want"
	want=$output
	[ "$want" -gt 10 ]
	run -0 --separate-stderr window-agg -t sale_ts --tumble 1m -g product_id \
	    --watermark-delay 2s -a "$AGGS" "$W/log.ndjson"
	assert_equal "$stderr" "window-agg: warning: $want late rows dropped (all their windows had closed)"
	run -0 --separate-stderr window-agg -t sale_ts --tumble 1m -g product_id \
	    --watermark-delay 2s -a "$AGGS" --late "$W/late.got" "$W/log.ndjson"
	assert_equal "$stderr" "window-agg: warning: $want late rows (all their windows had closed) written to \"$W/late.got\""
	diff -u "$W/late.want" "$W/late.got"
}

@test "real CDC: pgcdc-tail | cdc-unwrap --changelog | window-agg equals GROUP BY on the final table" {
	slot=$(pg_unique_name slot)
	pub=$(pg_unique_name pub)
	python3 "$ORACLE" gen --table "$tbl" --changelog "$W/log.ndjson" \
	    --sql "$W/load.sql" --dml "$W/dml.sql" --seed 21 --rows 600 --disorder 5
	# the table empty, complete old rows for -U/-D
	psql_q "$(sed -n 1p "$W/load.sql")
		ALTER TABLE $tbl REPLICA IDENTITY FULL;
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	pgcdc-tail -S "$slot" --publication "$pub" --create-slot -E now >/dev/null
	psql_f "$W/dml.sql"
	run -0 --separate-stderr bash -c 'set -o pipefail
		pgcdc-tail -S "$1" --publication "$2" -E now | tee "$3/events" |
		cdc-unwrap --changelog |
		window-agg -t sale_ts --tumble 1m -g product_id --watermark-delay 5s -a "$4"' \
	    _ "$slot" "$pub" "$W" "$AGGS"
	printf '%s\n' "$output" >"$W/got"
	assert_equal "$stderr" ""
	# every change came through
	[ "$(wc -l <"$W/events")" -eq "$(grep -c -v '"__kind":"+U"' "$W/log.ndjson")" ]
	pg_answer "$W/want" "$(rel_tumble '1 minute')" product_id
	same_results "CDC pipeline, tumble 1m" "$W/want" "$W/got"
	in_end_order "$W/got"

	# the saved events again, through hop windows in update mode
	run -0 bash -c 'cdc-unwrap --changelog "$1" |
		window-agg -t sale_ts --hop 30s --size 2m -g product_id --watermark-delay 5s --emit update -a "$2"' \
	    _ "$W/events" "$AGGS"
	printf '%s\n' "$output" >"$W/upd"
	run -0 python3 "$ORACLE" replay --key product_id <"$W/upd"
	printf '%s\n' "$output" >"$W/got"
	pg_answer "$W/want" "$(rel_hop '30 seconds' '2 minutes')" product_id
	same_results "CDC pipeline, hop 30s/2m, update replayed" "$W/want" "$W/got"
}
