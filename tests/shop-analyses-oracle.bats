#!/usr/bin/env bats
# The shop's analyses 1-6 (scripts/shop/sales-per-product, active-users,
# top-products, top-users, fraud-alerts, revenue-windows,
# product-performance) on the change events of a real PostgreSQL: five
# minutes of hand-written traffic with explicit times, updates and a
# cancellation (tests/fixtures/shop/analyses/traffic.sql).  Exact lines
# where they are short, and PostgreSQL's GROUP BY and row_number() over the
# final tables as the oracle (oracle.sql): the latest line of each window
# and key must be its row.  Live input, webhooks and usage are in
# tests/shop-analyses.bats.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
	# seed runs psql from PATH
	export PATH=$CDC_PG_BINDIR:$PATH
	local f=$REPO_ROOT/tests/fixtures/shop/analyses d=$BATS_FILE_TMPDIR
	psql_f "$REPO_ROOT/scripts/shop/schema.sql"
	"$REPO_ROOT/scripts/shop/seed" --categories 6 --products 20 --users 12
	# with the initial snapshot: product-performance joins sales to products
	pgcdc-tail -S shop --publication shop --create-slot -E now \
	    >"$d/snapshot.ndjson"
	psql_f "$f/traffic.sql"
	psql_f "$f/oracle.sql"
	pgcdc-tail -S shop --publication shop -E now --watermarks \
	    >"$d/changes.ndjson"
	cat "$d/snapshot.ndjson" "$d/changes.ndjson" >"$d/stream.ndjson"
}

teardown_file() {
	pg_teardown_file
}

setup() {
	SHOP=$REPO_ROOT/scripts/shop
	W=$BATS_TEST_TMPDIR
	out=out_$BATS_TEST_NUMBER
}

export -f psql_f

# analysis NAME [OPTION...]: the analysis over the test's stream, with
# nothing on stderr; its lines in $output and in table $out (seq, j jsonb),
# seq the line number. The stream is a file, never idle: an idle clock
# would only measure how busy the machine is (a stall under load would
# move the watermark on and make rows late), so it is set beyond reach.
analysis() {
	local name=$1
	shift
	run -0 --separate-stderr "$SHOP/$name" --idle-timeout 1h "$@" \
	    <"$BATS_FILE_TMPDIR/stream.ndjson"
	assert_equal "$stderr" ""
	[ -n "$output" ]
	printf '%s\n' "$output" >"$W/out.ndjson"
	psql_q "CREATE TABLE $out (seq bigint GENERATED ALWAYS AS IDENTITY, j jsonb)"
	# CSV with quote and delimiter characters no line holds: the line as is
	psql_q "COPY $out (j) FROM STDIN (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')" <"$W/out.ndjson"
}

# cols FIELD...: "format('%s|%s…', j->>'F1', …)", fields of a line as text
cols() {
	local f fmt='' args=''
	for f; do
		fmt+="${fmt:+|}%s"
		args+=", j->>'$f'"
	done
	printf "format('%s'%s)" "$fmt" "$args"
}

# latest KEY FIELD...: FIELDS of the latest line of each KEY (fields) in
# $out, unless that line is a -D, sorted: what a changelog or a stream of
# corrected results ends with.
latest() {
	local key=$1 k by=''
	shift
	for k in ${key//,/ }; do
		by+="${by:+, }j->>'$k'"
	done
	psql_q "SELECT $(cols "$@") FROM (SELECT DISTINCT ON ($by) j FROM $out
	    ORDER BY $by, seq DESC) x
	    WHERE coalesce(j->>'__kind', '') <> '-D' ORDER BY 1"
}

# oracle VIEW COLUMN...: the columns of an oracle.sql view, as latest does
oracle() {
	local view=$1 c args='' fmt=''
	shift
	for c; do
		fmt+="${fmt:+|}%s"
		args+=", $c"
	done
	psql_q "SELECT format('$fmt'$args) FROM $view ORDER BY 1"
}

# same_as_oracle KEY VIEW FIELD...: latest equals the oracle, and is not empty
same_as_oracle() {
	local key=$1 view=$2 got want
	shift 2
	got=$(latest "$key" "$@")
	want=$(oracle "$view" "$@")
	[ -n "$want" ]
	assert_equal "$got" "$want"
}

# changelog_pairs KEY: every -U line of $out is followed by a +U of the
# same key, as a changelog by key must be: by the next line of its report
# (lines of several reports may interleave).  KEY is an SQL expression of
# the line X.j.
changelog_pairs() {
	local key=$1
	run -0 psql_q "SELECT count(*) FROM $out a WHERE a.j->>'__kind' = '-U'
	    AND NOT EXISTS (SELECT FROM $out b WHERE b.seq = (SELECT min(seq)
		    FROM $out n WHERE n.seq > a.seq
		    AND n.j->'report' IS NOT DISTINCT FROM a.j->'report')
		AND b.j->>'__kind' = '+U'
		AND ROW(${key//X./a.}) IS NOT DISTINCT FROM ROW(${key//X./b.}))"
	assert_output 0
}

@test "sales-per-product: each minute's products, corrections and a -D; the latest is PostgreSQL's GROUP BY" {
	analysis sales-per-product
	# 10:00 is written when a sale passes 10:01:05; the changed line of
	# order 2 corrects it twice (its old row out, its new row in); the
	# cancelled order 3 takes product 2 out of 10:01; the sale at 10:03:58
	# comes after 10:03 closed empty.
	local w0='"window_start":"2027-01-01T10:00:00.000Z","window_end":"2027-01-01T10:01:00.000Z"'
	local w1='"window_start":"2027-01-01T10:01:00.000Z","window_end":"2027-01-01T10:02:00.000Z"'
	local w2='"window_start":"2027-01-01T10:02:00.000Z","window_end":"2027-01-01T10:03:00.000Z"'
	local w3='"window_start":"2027-01-01T10:03:00.000Z","window_end":"2027-01-01T10:04:00.000Z"'
	local w4='"window_start":"2027-01-01T10:04:00.000Z","window_end":"2027-01-01T10:05:00.000Z"'
	assert_output "{$w0,\"product_id\":1,\"revenue\":30.00,\"avg_revenue\":15.0000000000000000,\"units\":3,\"sales\":2}
{$w0,\"product_id\":2,\"revenue\":15.50,\"avg_revenue\":15.5000000000000000,\"units\":1,\"sales\":1}
{$w0,\"product_id\":3,\"revenue\":31.50,\"avg_revenue\":31.5000000000000000,\"units\":3,\"sales\":1}
{$w0,\"product_id\":6,\"revenue\":5.25,\"avg_revenue\":5.2500000000000000,\"units\":1,\"sales\":1}
{$w0,\"product_id\":7,\"revenue\":5.25,\"avg_revenue\":5.2500000000000000,\"units\":1,\"sales\":1}
{$w0,\"product_id\":8,\"revenue\":5.25,\"avg_revenue\":5.2500000000000000,\"units\":1,\"sales\":1}
{$w0,\"product_id\":9,\"revenue\":5.25,\"avg_revenue\":5.2500000000000000,\"units\":1,\"sales\":1}
{$w0,\"product_id\":1,\"revenue\":20.00,\"avg_revenue\":20.0000000000000000,\"units\":2,\"sales\":1}
{$w0,\"product_id\":1,\"revenue\":40.00,\"avg_revenue\":20.0000000000000000,\"units\":4,\"sales\":2}
{$w1,\"product_id\":2,\"revenue\":31.00,\"avg_revenue\":31.0000000000000000,\"units\":2,\"sales\":1}
{$w1,\"product_id\":4,\"revenue\":99.99,\"avg_revenue\":99.9900000000000000,\"units\":1,\"sales\":1}
{\"__kind\":\"-D\",$w1,\"product_id\":2,\"revenue\":31.00,\"avg_revenue\":31.0000000000000000,\"units\":2,\"sales\":1}
{$w2,\"product_id\":1,\"revenue\":50.00,\"avg_revenue\":50.0000000000000000,\"units\":5,\"sales\":1}
{$w2,\"product_id\":2,\"revenue\":15.50,\"avg_revenue\":15.5000000000000000,\"units\":1,\"sales\":1}
{$w3,\"product_id\":5,\"revenue\":12.00,\"avg_revenue\":12.0000000000000000,\"units\":2,\"sales\":1}
{$w4,\"product_id\":3,\"revenue\":21.00,\"avg_revenue\":10.5000000000000000,\"units\":2,\"sales\":2}"
	same_as_oracle window_start,product_id oracle_sales_per_product \
	    window_start window_end product_id revenue avg_revenue units sales
}

@test "revenue-windows: revenue, orders, average order value, change; corrected" {
	analysis revenue-windows
	local w0='"window_start":"2027-01-01T10:00:00.000Z","window_end":"2027-01-01T10:01:00.000Z"'
	local w1='"window_start":"2027-01-01T10:01:00.000Z","window_end":"2027-01-01T10:02:00.000Z"'
	local w2='"window_start":"2027-01-01T10:02:00.000Z","window_end":"2027-01-01T10:03:00.000Z"'
	local w3='"window_start":"2027-01-01T10:03:00.000Z","window_end":"2027-01-01T10:04:00.000Z"'
	local w4='"window_start":"2027-01-01T10:04:00.000Z","window_end":"2027-01-01T10:05:00.000Z"'
	# the first minute has no change; 10:00's corrections come before 10:01
	# is written, the cancellation's after; 10:03, late, counts against
	# 10:02, and 10:04 against it
	assert_output "{$w0,\"revenue\":98.00,\"orders\":3,\"avg_order_value\":32.67,\"revenue_change\":null,\"revenue_change_pct\":null}
{$w0,\"revenue\":88.00,\"orders\":3,\"avg_order_value\":29.33,\"revenue_change\":null,\"revenue_change_pct\":null}
{$w0,\"revenue\":108.00,\"orders\":3,\"avg_order_value\":36.00,\"revenue_change\":null,\"revenue_change_pct\":null}
{$w1,\"revenue\":130.99,\"orders\":2,\"avg_order_value\":65.50,\"revenue_change\":22.99,\"revenue_change_pct\":21.29}
{$w1,\"revenue\":99.99,\"orders\":1,\"avg_order_value\":99.99,\"revenue_change\":-8.01,\"revenue_change_pct\":-7.42}
{$w2,\"revenue\":65.50,\"orders\":2,\"avg_order_value\":32.75,\"revenue_change\":-34.49,\"revenue_change_pct\":-34.49}
{$w3,\"revenue\":12.00,\"orders\":1,\"avg_order_value\":12.00,\"revenue_change\":-53.50,\"revenue_change_pct\":-81.68}
{$w4,\"revenue\":21.00,\"orders\":2,\"avg_order_value\":10.50,\"revenue_change\":9.00,\"revenue_change_pct\":75.00}"
	same_as_oracle window_start oracle_revenue_windows window_start \
	    window_end revenue orders avg_order_value revenue_change \
	    revenue_change_pct
}

@test "top-products: the ranking changelog ends with PostgreSQL's row_number() <= 5" {
	analysis top-products
	changelog_pairs "X.j->'window_start', X.j->'rank'"
	# 10:00 has seven products, four of them tied at one unit: the lowest
	# product_ids of those make the five
	run -0 latest window_start,rank window_start rank product_id units
	assert_line --index 0 '2027-01-01T10:00:00.000Z|1|1|4'
	assert_line --index 4 '2027-01-01T10:00:00.000Z|5|7|1'
	same_as_oracle window_start,rank oracle_top_products window_start rank \
	    product_id units revenue
}

@test "top-users: the ranking changelog ends with PostgreSQL's row_number() <= 10" {
	analysis top-users
	changelog_pairs "X.j->'window_start', X.j->'rank'"
	# 10:04: users 3 and 5 spent the same; the lower user_id first
	run -0 latest window_start,rank window_start rank user_id spend
	assert_line '2027-01-01T10:04:00.000Z|1|3|10.50'
	assert_line '2027-01-01T10:04:00.000Z|2|5|10.50'
	same_as_oracle window_start,rank oracle_top_users window_start rank \
	    user_id spend orders
}

@test "active-users: inserts of five tables by event time, none retracted" {
	analysis active-users
	# the cancelled order and the removed cart item still count; 10:03 is
	# written at 10:04:05 and corrected by the late order at 10:03:58
	local w='"window_start":"2027-01-01T10:0%d:00.000Z","window_end":"2027-01-01T10:0%d:00.000Z"'
	assert_output "$(printf "{$w,\"active_users\":%s,\"actions\":%s}\n" \
	    0 1 6 10  1 2 3 4  2 3 5 15  3 4 1 3  3 4 2 4  4 5 5 9)"
	same_as_oracle window_start oracle_active_users window_start \
	    window_end active_users actions
}

@test "fraud-alerts: more than N orders in a minute, an order above the threshold, once each" {
	run -0 --separate-stderr "$SHOP/fraud-alerts" --idle-timeout 1h \
	    <"$BATS_FILE_TMPDIR/stream.ndjson"
	assert_equal "$stderr" ""
	# two rules side by side: their order is not fixed
	run -0 sort <<<"$output"
	assert_output '{"alert":"large_order","order_id":22,"user_id":9,"order_ts":"2027-01-01T10:02:41.000Z","total":1200.00,"threshold":1000}
{"alert":"too_many_orders","window_start":"2027-01-01T10:02:00.000Z","window_end":"2027-01-01T10:03:00.000Z","user_id":7,"orders":6,"max_orders":5}'
	# with other limits
	run -0 --separate-stderr "$SHOP/fraud-alerts" --idle-timeout 1h --max-orders 2 \
	    --threshold=999.99 <"$BATS_FILE_TMPDIR/stream.ndjson"
	run -0 jq -r '[.alert, .user_id, .order_id // .orders] | @tsv' <<<"$output"
	run -0 sort <<<"$output"
	# users 7 and 8 in 10:02, user 9 in 10:03 and in 10:04 (two in 10:02
	# are not more than two); orders 21 (1000.00) and 22 above 999.99
	assert_output "$(printf '%s\t%s\t%s\n' large_order 9 21 large_order 9 22 \
	    too_many_orders 7 3 too_many_orders 8 3 too_many_orders 9 3 \
	    too_many_orders 9 3 | sort)"
}

@test "product-performance: rankings and categories per hour, through the temporal join" {
	analysis product-performance
	changelog_pairs "X.j->'report', X.j->'window_start', coalesce(X.j->'rank', X.j->'category')"
	# the latest line of each report, window and rank (or category)
	local q
	q="SELECT format('%s|%s|%s|%s', j->>'report', j->>'window_start',
		coalesce(j->>'rank', j->>'category'),
		CASE WHEN j ? 'rank' THEN format('%s|%s|%s|%s|%s', j->>'product_id',
		    j->>'name', j->>'category', j->>'units', j->>'revenue')
		ELSE format('%s|%s|%s', j->>'revenue', j->>'units', j->>'orders')
		END)
	    FROM (SELECT DISTINCT ON (j->>'report', j->>'window_start',
		coalesce(j->>'rank', j->>'category')) j FROM $out
		ORDER BY j->>'report', j->>'window_start',
		coalesce(j->>'rank', j->>'category'), seq DESC) x
	    WHERE j->>'__kind' <> '-D' ORDER BY 1"
	run -0 psql_q "$q"
	# product 2 (clothing) moved to garden before its last sale: its sales
	# count in both categories, the rankings show the latest; product 1's
	# changed sale (-U, +U through the join) counts once
	assert_line 'category|2027-01-01T10:00:00.000Z|clothing|20.75|2|2'
	assert_line 'category|2027-01-01T10:00:00.000Z|garden|110.75|11|5'
	assert_line 'top_units|2027-01-01T10:00:00.000Z|1|1|Prime 1|garden|9|90.00'
	assert_line 'top_units|2027-01-01T10:00:00.000Z|3|2|Aero 2|garden|2|31.00'
	assert_equal "$output" "$(oracle oracle_product_performance report \
	    window_start key result)"
}

