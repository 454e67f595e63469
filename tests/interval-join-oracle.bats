#!/usr/bin/env bats
# interval-join against PostgreSQL 15 as the oracle: random clicks and
# checkouts (tests/helpers/join-oracle.py gen) go through interval-join and
# into tables, and PostgreSQL's joins over the same rows must give the same
# result rows, text for text: the checkout's members, then the click's with
# right_ prefixes where a name is taken, times and numbers as written.
# First/last picks are LATERAL subqueries ordered by (click_ts, arrival),
# arrival being the line number in the clicks file. The temporal join is
# checked against the latest version at or before the sale in a products
# changelog (join-oracle.py tgen).

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
}

teardown_file() {
	pg_teardown_file
}

setup() {
	ORACLE=$REPO_ROOT/tests/helpers/join-oracle.py
	W=$BATS_TEST_TMPDIR
	ck=$(pg_unique_name clicks)
	co=$(pg_unique_name checkouts)
	# first-click attribution's join: the clicks of the hour up to a checkout
	# shellcheck disable=SC2054 # --within=-1h,0: one argument with a comma
	JOIN=(--on user_id --left-time checkout_ts --right-time click_ts --within=-1h,0)
	MODES=("first left" "first inner" "last left" "last inner" "all left" "all inner")
}

# gen ARGS...: clicks and checkouts in $W/clicks.ndjson and
# $W/checkouts.ndjson (join-oracle.py gen ARGS), loaded into $ck and $co.
gen() {
	python3 "$ORACLE" gen --clicks "$W/clicks.ndjson" \
	    --checkouts "$W/checkouts.ndjson" --sql "$W/load.sql" \
	    --clicks-table "$ck" --checkouts-table "$co" "$@" >"$W/gen.out"
	psql_f "$W/load.sql"
}

# pg_answer FILE PICK TYPE [LOWER_MS UPPER_MS]: PostgreSQL's rows into FILE.
pg_answer() {
	local q
	q=$(python3 "$ORACLE" query --clicks-table "$ck" --checkouts-table "$co" \
	    --pick "$2" --type "$3" --lower "${4:--3600000}" --upper "${5:-0}") &&
	    psql_q "$q" >"$1"
}

# pg_count SQL: a count from PostgreSQL (for checks that the data has the
# cases a test is about).
pg_count() {
	psql_q "$1"
}

# same_results WHAT WANT GOT: the files hold the same lines once sorted
# (interval-join writes a row when it is decided, not in input order), and
# there are some; otherwise show where they differ.
same_results() {
	local what=$1 want=$2 got=$3
	LC_ALL=C sort "$want" >"$want.sorted"
	LC_ALL=C sort "$got" >"$got.sorted"
	if [[ ! -s $want.sorted ]]; then
		echo "$what: PostgreSQL returned no rows" >&2
		return 1
	fi
	if ! cmp -s "$want.sorted" "$got.sorted"; then
		{
			echo "$what: interval-join (+) differs from PostgreSQL (-):"
			python3 "$ORACLE" firstdiff "$want.sorted" "$got.sorted"
			diff -U1 "$want.sorted" "$got.sorted" | sed -n '3,24p'
		} >&2
		return 1
	fi
}

# ij OUT ARGS...: interval-join ARGS, its rows in OUT; it must succeed
# (within 60 s: inputs may be pipes) and say nothing (no late rows, no bad
# lines).
ij() {
	local out=$1
	shift
	run -0 --separate-stderr timeout 60 interval-join "$@"
	printf '%s\n' "$output" >"$out"
	assert_equal "$stderr" ""
}

# check_modes LEFT RIGHT WHAT [OPTION...]: every pick and type on the two
# inputs equals PostgreSQL's answer over $co and $ck.
check_modes() {
	local l=$1 r=$2 what=$3 m pick type
	shift 3
	for m in "${MODES[@]}"; do
		read -r pick type <<<"$m"
		ij "$W/got" --left "$l" --right "$r" "${JOIN[@]}" \
		    --pick "$pick" --type "$type" "$@"
		pg_answer "$W/want" "$pick" "$type"
		same_results "$what, --pick $pick --type $type" "$W/want" "$W/got"
	done
}

# The first click of a checkout, as PostgreSQL's LATERAL finds it.
first_click() {
	echo "LATERAL (SELECT * FROM $ck c WHERE c.user_id = co.user_id
	    AND c.click_ts BETWEEN co.checkout_ts - interval '1 hour' AND co.checkout_ts
	    ORDER BY c.click_ts, c.arrival LIMIT 1) c"
}
last_click() {
	echo "LATERAL (SELECT * FROM $ck c WHERE c.user_id = co.user_id
	    AND c.click_ts BETWEEN co.checkout_ts - interval '1 hour' AND co.checkout_ts
	    ORDER BY c.click_ts DESC, c.arrival DESC LIMIT 1) c"
}

@test "first-click attribution (--within=-1h,0 --pick first --type left): exactly PostgreSQL's LEFT JOIN LATERAL ... LIMIT 1" {
	gen --seed 31
	ij "$W/got" --left "$W/checkouts.ndjson" --right "$W/clicks.ndjson" \
	    "${JOIN[@]}" --pick first --type left
	pg_answer "$W/want" first left
	same_results "first click" "$W/want" "$W/got"
	# every checkout exactly once
	[ "$(wc -l <"$W/got")" -eq "$(wc -l <"$W/checkouts.ndjson")" ]
	[ "$(cut -d, -f1 "$W/got" | sort | uniq -d | wc -l)" -eq 0 ]

	# The data has the cases that decide: first clicks exactly 1 h before
	# the checkout, and exactly at it,
	[ "$(pg_count "SELECT count(*) FROM $co co, $(first_click)
	    WHERE c.click_ts = co.checkout_ts - interval '1 hour'")" -gt 3 ]
	[ "$(pg_count "SELECT count(*) FROM $co co, $(first_click)
	    WHERE c.click_ts = co.checkout_ts")" -gt 3 ]
	# checkouts whose user clicked only 1 ms outside the hour, on each side
	# (unmatched),
	for edge in "- interval '1 hour 1 millisecond'" "+ interval '1 millisecond'"; do
		[ "$(pg_count "SELECT count(*) FROM $co co WHERE
		    EXISTS (SELECT FROM $ck c WHERE c.user_id = co.user_id
			AND c.click_ts = co.checkout_ts $edge)
		    AND NOT EXISTS (SELECT FROM $ck c WHERE c.user_id = co.user_id
			AND c.click_ts BETWEEN co.checkout_ts - interval '1 hour' AND co.checkout_ts)")" -gt 3 ]
	done
	# first clicks tied with a later arrival at the same millisecond, the
	# later ones from another source (so a wrong pick shows),
	[ "$(pg_count "SELECT count(*) FROM $co co, $(first_click) WHERE EXISTS
	    (SELECT FROM $ck c2 WHERE c2.user_id = c.user_id AND c2.click_ts = c.click_ts
		AND c2.arrival > c.arrival AND c2.source <> c.source)")" -gt 3 ]
	# null user_ids on both sides, users who never click
	[ "$(pg_count "SELECT count(*) FROM $co WHERE user_id IS NULL")" -gt 3 ]
	[ "$(pg_count "SELECT count(*) FROM $ck WHERE user_id IS NULL")" -gt 3 ]
	[ "$(pg_count "SELECT count(*) FROM $co co WHERE co.user_id IS NOT NULL AND NOT EXISTS
	    (SELECT FROM $ck c WHERE c.user_id = co.user_id)")" -gt 3 ]
	grep -q '"user_id":null,.*"click_id":null,"right_user_id":null,"right_product_id":null,"source":null,"click_ts":null}$' "$W/got"
	# a source with an escaped quote and one with non-ASCII text came through
	grep -q '"source":"email \\"winter\\""' "$W/got"
	grep -q '"source":"partner_ü"' "$W/got"
}

@test "--pick last, inner and left: the latest click in the hour, ties to the latest arrival" {
	gen --seed 32
	for type in left inner; do
		ij "$W/got" --left "$W/checkouts.ndjson" --right "$W/clicks.ndjson" \
		    "${JOIN[@]}" --pick last --type "$type"
		pg_answer "$W/want" last "$type"
		same_results "last click, $type" "$W/want" "$W/got"
	done
	# last clicks at exactly the checkout time, and ties with an earlier
	# arrival from another source
	[ "$(pg_count "SELECT count(*) FROM $co co, $(last_click)
	    WHERE c.click_ts = co.checkout_ts")" -gt 3 ]
	[ "$(pg_count "SELECT count(*) FROM $co co, $(last_click) WHERE EXISTS
	    (SELECT FROM $ck c2 WHERE c2.user_id = c.user_id AND c2.click_ts = c.click_ts
		AND c2.arrival < c.arrival AND c2.source <> c.source)")" -gt 3 ]
	# inner: only checkouts with a click
	run -1 grep -c '"click_id":null' "$W/got"
}

@test "--pick all, inner and left: every pair of PostgreSQL's JOIN ... BETWEEN; also --within=-30m,30m and --pick first inner" {
	gen --seed 33
	for type in left inner; do
		ij "$W/got" --left "$W/checkouts.ndjson" --right "$W/clicks.ndjson" \
		    "${JOIN[@]}" --pick all --type "$type"
		pg_answer "$W/want" all "$type"
		same_results "all pairs, $type" "$W/want" "$W/got"
	done
	# clicks matching several checkouts, checkouts with several clicks
	[ "$(grep -o '"click_id":[0-9]*' "$W/got" | sort | uniq -d | wc -l)" -gt 10 ]
	[ "$(grep -o '^{"checkout_id":[0-9]*' "$W/got" | sort | uniq -d | wc -l)" -gt 10 ]

	ij "$W/got" --left "$W/checkouts.ndjson" --right "$W/clicks.ndjson" \
	    "${JOIN[@]}" --pick first --type inner
	pg_answer "$W/want" first inner
	same_results "first click, inner" "$W/want" "$W/got"

	# a window on both sides of the checkout; the default pick is all
	for type in left inner; do
		ij "$W/got" --left "$W/checkouts.ndjson" --right "$W/clicks.ndjson" \
		    --on user_id --left-time checkout_ts --right-time click_ts \
		    --within=-30m,30m --type "$type"
		pg_answer "$W/want" all "$type" -1800000 1800000
		same_results "all pairs within -30m,30m, $type" "$W/want" "$W/got"
	done
}

@test "infinities, BC and years past 9999: exactly PostgreSQL's BETWEEN, every pick and type" {
	# infinity + an interval is infinity in PostgreSQL: an infinite time
	# matches the same infinity only. Rows in time order per input, each
	# input's -infinity first (after any watermark it would be late).
	psql_q "CREATE TABLE $ck (arrival int, click_id int, user_id int,
	        product_id int, source text, click_ts timestamptz);
	    CREATE TABLE $co (arrival int, checkout_id int, user_id int,
	        product_id int, total numeric(12,2), checkout_ts timestamptz);
	    INSERT INTO $ck VALUES
	    (1, 1, 1, 10, 'a', '-infinity'),
	    (2, 2, 2, 10, 'b', '-infinity'),
	    (3, 3, 3, 10, 'c', '0045-03-15 11:30:00+00 BC'),
	    (4, 4, 3, 11, 'd', '0045-03-15 12:00:00+00 BC'),
	    (5, 5, 4, 10, 'e', '9999-12-31 23:45:00+00'),
	    (6, 9, 6, 10, 'f', '10000-01-01 00:00:00+00'),
	    (7, 6, 4, 12, 'g', '10000-01-01 00:10:00+00'),
	    (8, 7, 1, 10, 'h', 'infinity'),
	    (9, 8, 5, 10, 'i', 'infinity');
	    INSERT INTO $co VALUES
	    (1, 1, 1, 10, 1.00, '-infinity'),
	    (2, 2, 3, 10, 2.00, '0045-03-15 12:00:00+00 BC'),
	    (3, 7, 2, 10, 7.00, '0001-01-01 00:00:00+00'),
	    (4, 5, 5, 10, 5.00, '10000-01-01 00:00:00+00'),
	    (5, 3, 4, 10, 3.00, '10000-01-01 00:30:00+00'),
	    (6, 4, 1, 10, 4.00, 'infinity'),
	    (7, 6, 6, 10, 6.00, 'infinity')"
	psql_q "$(python3 "$ORACLE" rows --table "$ck" --kind clicks)" >"$W/clicks.ndjson"
	psql_q "$(python3 "$ORACLE" rows --table "$co" --kind checkouts)" >"$W/checkouts.ndjson"
	grep -q '"click_ts":"-0044-03-15T11:30:00.000Z"' "$W/clicks.ndjson"
	grep -q '"click_ts":"+10000-01-01T00:10:00.000Z"' "$W/clicks.ndjson"
	grep -q '"checkout_ts":"-infinity"' "$W/checkouts.ndjson"
	check_modes "$W/checkouts.ndjson" "$W/clicks.ndjson" "infinities"
	# the rows at infinity matched each other, across year 10000 too
	ij "$W/got" --left "$W/checkouts.ndjson" --right "$W/clicks.ndjson" \
	    "${JOIN[@]}" --pick all --type inner
	run -0 jq -c '[.checkout_id, .click_id]' "$W/got"
	assert_output '[1,1]
[2,3]
[2,4]
[3,5]
[3,6]
[4,7]'
}

@test "out-of-order input, watermark delay >= the disorder: no late row, results as PostgreSQL's and as in time order" {
	gen --seed 34
	for m in "${MODES[@]}"; do
		read -r pick type <<<"$m"
		ij "$W/inorder-$pick-$type" --left "$W/checkouts.ndjson" \
		    --right "$W/clicks.ndjson" "${JOIN[@]}" --pick "$pick" --type "$type"
	done

	# the same rows, each file up to 20 s out of order
	ck=$(pg_unique_name clicks)
	co=$(pg_unique_name checkouts)
	gen --seed 34 --disorder 20000
	[ "$(cat "$W/gen.out")" -gt 15000 ]	# it really is out of order
	check_modes "$W/checkouts.ndjson" "$W/clicks.ndjson" "disorder 20s" \
	    --watermark-delay 20s
	for m in "${MODES[@]}"; do
		read -r pick type <<<"$m"
		ij "$W/got" --left "$W/checkouts.ndjson" --right "$W/clicks.ndjson" \
		    "${JOIN[@]}" --pick "$pick" --type "$type" --watermark-delay 20s
		same_results "disorder 20s vs in order, $pick $type" \
		    "$W/inorder-$pick-$type" "$W/got"
	done
	# a delay per input, one larger than needed
	ij "$W/got" --left "$W/checkouts.ndjson" --right "$W/clicks.ndjson" \
	    "${JOIN[@]}" --pick first --type left \
	    --left-watermark-delay 20s --right-watermark-delay 1m
	same_results "disorder, delays 20s and 1m" "$W/inorder-first-left" "$W/got"

	# in-band watermarks instead, with a delay of a day: the same rows,
	# and state is released as the watermark lines say (with the delay
	# alone nothing would be released before the end)
	local -A held
	ck=$(pg_unique_name clicks)
	co=$(pg_unique_name checkouts)
	gen --seed 34 --disorder 20000 --watermarks 50
	grep -q '^{"__watermark":"' "$W/clicks.ndjson"
	for wm in inband delay; do
		run -0 --separate-stderr interval-join -v --left "$W/checkouts.ndjson" \
		    --right "$W/clicks.ndjson" "${JOIN[@]}" --pick first --type left \
		    --watermark-delay 1d
		printf '%s\n' "$output" >"$W/got"
		same_results "in-band watermarks, $wm" "$W/inorder-first-left" "$W/got"
		[[ $stderr != *late* ]]
		held[$wm]=$(sed -n 's/.*at most \([0-9]*\) rows held$/\1/p' <<<"$stderr")
		# the same rows without the watermark lines
		grep -v '^{"__watermark"' "$W/clicks.ndjson" >"$W/x" && mv "$W/x" "$W/clicks.ndjson"
		grep -v '^{"__watermark"' "$W/checkouts.ndjson" >"$W/x" && mv "$W/x" "$W/checkouts.ndjson"
	done
	echo "# rows held: ${held[inband]} with in-band watermarks, ${held[delay]} with a delay of 1d" >&3
	[ "${held[inband]}" -lt $((held[delay] * 3 / 4)) ]
}

# slow_feed FILE FIFO: in the background, write FILE into FIFO 100 lines
# at a time, 50 ms apart (given up after 60 s, should nobody open the FIFO).
slow_feed() {
	timeout 60 bash -c 'exec >"$2"
		n=0
		while IFS= read -r line; do
			printf "%s\n" "$line"
			if ((++n % 100 == 0)); then sleep 0.05; fi
		done <"$1"' _ "$1" "$2" 3>&- &
}

@test "an input that stalls (a pipe silent for 1 s, a FIFO fed slowly): the same results" {
	gen --seed 35
	pg_answer "$W/want" first left
	local args=("${JOIN[@]}" --pick first --type left)

	ij "$W/got" --left "$W/checkouts.ndjson" \
	    --right <(sleep 1; cat "$W/clicks.ndjson") "${args[@]}"
	same_results "right input silent 1 s" "$W/want" "$W/got"
	ij "$W/got" --left <(sleep 1; cat "$W/checkouts.ndjson") \
	    --right "$W/clicks.ndjson" "${args[@]}"
	same_results "left input silent 1 s" "$W/want" "$W/got"

	# FIFOs fed a little at a time, one or both
	mkfifo "$W/clicks.fifo" "$W/checkouts.fifo"
	slow_feed "$W/clicks.ndjson" "$W/clicks.fifo"
	ij "$W/got" --left "$W/checkouts.ndjson" --right "$W/clicks.fifo" "${args[@]}"
	wait
	same_results "right input a slow FIFO" "$W/want" "$W/got"
	slow_feed "$W/clicks.ndjson" "$W/clicks.fifo"
	slow_feed "$W/checkouts.ndjson" "$W/checkouts.fifo"
	ij "$W/got" --left "$W/checkouts.fifo" --right "$W/clicks.fifo" "${args[@]}"
	wait
	same_results "both inputs slow FIFOs" "$W/want" "$W/got"
	# and a FIFO on standard input
	slow_feed "$W/checkouts.ndjson" "$W/checkouts.fifo"
	ij "$W/got" --left - --right <(sleep 0.5; cat "$W/clicks.ndjson") "${args[@]}" <"$W/checkouts.fifo"
	wait
	same_results "left on standard input" "$W/want" "$W/got"
}

# One upstream split by tee into both inputs: if interval-join stopped
# reading one pipe while the other is full, tee would block and nothing
# would move. 200,000 lines fill every pipe buffer many times.
@test "both inputs from one upstream through tee and jq: no deadlock, results as from files and as PostgreSQL's" {
	gen --seed 36 -n 28000 --background 110000 --users 12000 --noclick 300 \
	    --span 28800 --disorder 3000 --mixed "$W/mixed.ndjson"
	[ "$(wc -l <"$W/mixed.ndjson")" -gt 190000 ]
	mkfifo "$W/clicks.fifo"
	run -0 --separate-stderr timeout 120 bash -c 'set -o pipefail
		W=$1; shift
		cat "$W/mixed.ndjson" |
		tee >(jq -c --unbuffered "select(.kind == \"click\")" |
			tee "$W/split-clicks.ndjson" >"$W/clicks.fifo") |
		jq -c --unbuffered "select(.kind == \"checkout\")" |
		tee "$W/split-checkouts.ndjson" |
		timeout 60 interval-join --left - --right "$W/clicks.fifo" "$@" >"$W/pipe.out"' \
	    _ "$W" "${JOIN[@]}" --pick first --type left --watermark-delay 3s
	assert_equal "$stderr" ""
	# jq wrote every line (it rewrites numbers: 210.90 becomes 210.9)
	[ "$(wc -l <"$W/split-clicks.ndjson")" -eq "$(wc -l <"$W/clicks.ndjson")" ]
	[ "$(wc -l <"$W/pipe.out")" -eq "$(wc -l <"$W/checkouts.ndjson")" ]

	# the same as from the two files jq wrote
	interval-join --left "$W/split-checkouts.ndjson" --right "$W/split-clicks.ndjson" \
	    "${JOIN[@]}" --pick first --type left --watermark-delay 3s >"$W/files.out"
	same_results "through tee vs from files" "$W/files.out" "$W/pipe.out"

	# and PostgreSQL's answer, both normalised by jq (kind dropped)
	pg_answer "$W/want" first left
	jq -cS . "$W/want" >"$W/want.jq"
	jq -cS 'del(.kind, .right_kind)' "$W/pipe.out" >"$W/got.jq"
	same_results "through tee vs PostgreSQL" "$W/want.jq" "$W/got.jq"
}

# tgen ARGS...: a products changelog in $W/products.ndjson and sales in
# $W/sales.ndjson (join-oracle.py tgen ARGS), loaded into $pl and $sa.
tgen() {
	pl=$(pg_unique_name products_log)
	sa=$(pg_unique_name sales)
	python3 "$ORACLE" tgen --changelog "$W/products.ndjson" \
	    --sales "$W/sales.ndjson" --sql "$W/tload.sql" \
	    --changelog-table "$pl" --sales-table "$sa" "$@" >"$W/gen.out"
	psql_f "$W/tload.sql"
}

# tpg_answer FILE TYPE: PostgreSQL's temporal join into FILE.
tpg_answer() {
	local q
	q=$(python3 "$ORACLE" tquery --changelog-table "$pl" --sales-table "$sa" \
	    --type "$2") && psql_q "$q" >"$1"
}

TJOIN=(--on product_id --left-time sale_ts --temporal)

@test "temporal join of sales with a products changelog: PostgreSQL's latest version at or before the sale, deletes no match" {
	tgen --seed 41
	for k in +I -U +U -D; do grep -q "\"__kind\":\"$k\"" "$W/products.ndjson"; done
	grep -q '^{"product_id"' "$W/products.ndjson"	# plain rows: upserts
	for type in inner left; do
		ij "$W/got" --left "$W/sales.ndjson" --right "$W/products.ndjson" \
		    "${TJOIN[@]}" --right-time __source_ts_ms --type "$type"
		tpg_answer "$W/want" "$type"
		same_results "temporal, $type" "$W/want" "$W/got"
		# updated_at is the same instant in every row but -U (ignored)
		run -0 --separate-stderr interval-join --left "$W/sales.ndjson" \
		    --right "$W/products.ndjson" "${TJOIN[@]}" --right-time updated_at \
		    --type "$type"
		printf '%s\n' "$output" >"$W/got2"
		same_results "temporal on updated_at, $type" "$W/want" "$W/got2"
	done
	# the data has what decides: sales exactly at a version and 1 ms before
	# one, products deleted and inserted again, several versions in one ms,
	# sales of deleted, unknown and null products and before any version
	[ "$(pg_count "SELECT count(*) FROM $sa s JOIN $pl v ON v.product_id = s.product_id
	    AND v.kind <> '-U' AND v.updated_at = s.sale_ts")" -gt 10 ]
	[ "$(pg_count "SELECT count(*) FROM $sa s JOIN $pl v ON v.product_id = s.product_id
	    AND v.kind <> '-U' AND v.updated_at = s.sale_ts + interval '1 millisecond'")" -gt 10 ]
	[ "$(pg_count "SELECT count(*) FROM $pl d JOIN $pl i ON i.product_id = d.product_id
	    AND d.kind = '-D' AND i.kind IN ('+I', 'plain') AND i.seq > d.seq")" -gt 3 ]
	[ "$(pg_count "SELECT count(*) FROM (SELECT product_id, updated_at FROM $pl
	    WHERE kind <> '-U' GROUP BY 1, 2 HAVING count(*) > 1) x")" -gt 0 ]
	[ "$(pg_count "SELECT count(*) FROM $sa s, LATERAL (SELECT kind FROM $pl v
	    WHERE v.product_id = s.product_id AND v.kind <> '-U' AND v.updated_at <= s.sale_ts
	    ORDER BY v.updated_at DESC, v.seq DESC LIMIT 1) v WHERE v.kind = '-D'")" -gt 10 ]
	grep -q '"product_id":null,.*"right_product_id":null,"name":null' "$W/got"
	[ "$(pg_count "SELECT count(*) FROM $sa s WHERE NOT EXISTS (SELECT FROM $pl v
	    WHERE v.product_id = s.product_id)")" -gt 10 ]
}

@test "temporal join with sales out of order (--left-watermark-delay) and the changelog in commit order" {
	tgen --seed 42 --disorder 30000 --sales-n 1200
	[ "$(cat "$W/gen.out")" -gt 20000 ]
	for type in left inner; do
		ij "$W/got" --left "$W/sales.ndjson" --right "$W/products.ndjson" \
		    "${TJOIN[@]}" --right-time __source_ts_ms --type "$type" \
		    --left-watermark-delay 30s
		tpg_answer "$W/want" "$type"
		same_results "temporal, sales 30 s out of order, $type" "$W/want" "$W/got"
	done
}

# A -U row is the old row of an update: its own time is the old version's
# (cdc-unwrap --changelog writes it so), and interval-join ignores it. It is
# no table version and cannot be late.
@test "temporal join on updated_at: -U rows, which are ignored, are not counted as late" {
	tgen --seed 41
	# -U rows carry older times than rows before them
	grep -q '"__kind":"-U"' "$W/products.ndjson"
	ij "$W/got" --left "$W/sales.ndjson" --right "$W/products.ndjson" \
	    "${TJOIN[@]}" --right-time updated_at --type left
	tpg_answer "$W/want" left
	same_results "temporal on updated_at" "$W/want" "$W/got"
}

# Memory: a left row waits until no click can still match it, a click until
# no checkout can; so the rows held are at most the clicks of one hour (and
# a few checkouts), whatever the length of the stream. 10 clicks and one
# checkout a second, in time order; `-v` reports the most rows held.
#   held_rows: the "at most N rows held" of interval-join -v's stderr
held_rows() {
	sed -n 's/.*at most \([0-9]*\) rows held$/\1/p' <<<"$1"
}

@test "bounded memory, one upstream through tee: 10 hours hold no more rows than 1 hour" {
	local n1 n10 hour
	for h in 1 10; do
		hour=$(python3 "$ORACLE" long --hours "$h" --clicks "$W/c$h" \
		    --checkouts "$W/o$h" --mixed "$W/m$h")
		rm -f "$W/fifo"
		mkfifo "$W/fifo"
		run -0 --separate-stderr timeout 60 bash -c 'set -o pipefail
			tee >(grep --line-buffered "\"kind\":\"click\"" >"$1") <"$2" |
			grep "\"kind\":\"checkout\"" |
			interval-join -v --left - --right "$1" "${@:3}" >/dev/null' \
		    _ "$W/fifo" "$W/m$h" "${JOIN[@]}" --pick first --type left
		printf -v "n$h" '%s' "$(held_rows "$stderr")"
	done
	echo "# clicks in 1 h: $hour; held: $n1 (1 h), $n10 (10 h)" >&3
	# 1 h: every click of the stream (and a few checkouts); 10 h: the
	# clicks of one hour, plus what the pipes and grep's buffers let one
	# input run ahead of the other (up to about 1,100 rows seen; 10% of the
	# hour allowed)
	[ "$n1" -ge 36000 ]
	[ "$n10" -le $((hour + hour / 10)) ]
	[ "$n10" -le $((n1 + hour / 10)) ]
}

# Two files are both always readable: interval-join must still not read
# one far ahead of the other in event time, or everything it read ahead
# waits in memory. The slack allowed is a read batch (4096 lines) per input.
@test "bounded memory, two files: 10 hours hold no more rows than 1 hour and a read batch per input" {
	local n2 n10 hour
	for h in 2 10; do
		hour=$(python3 "$ORACLE" long --hours "$h" --clicks "$W/c$h" --checkouts "$W/o$h")
		run -0 --separate-stderr interval-join -v --left "$W/o$h" --right "$W/c$h" \
		    "${JOIN[@]}" --pick first --type left
		printf -v "n$h" '%s' "$(held_rows "$stderr")"
	done
	echo "# clicks in 1 h: $hour; held: $n2 (2 h), $n10 (10 h)" >&3
	[ "$n10" -le $((hour + 2 * 4096)) ]
	# and no more than for 2 hours, give or take 1% of an hour's clicks
	[ "$n10" -le $((n2 + hour / 100)) ]
}
