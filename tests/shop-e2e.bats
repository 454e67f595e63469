#!/usr/bin/env bats
# The shop end to end, with PostgreSQL as the oracle: a live pipeline
# (pgcdc-tail --watermarks | tee into sales-per-product, revenue-windows and
# the lake) runs while scripts/shop/traffic makes orders, cancellations,
# price changes and profile updates; when traffic stops and the pipeline has
# drained, the latest result of every window equals the same GROUP BY over
# the sales table, and the lake's latest version of every row equals every
# table.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	(
		eval "$(<"$CDC_PG_DIR/env")"
		"$CDC_PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 \
		    -f "$REPO_ROOT/scripts/shop/schema.sql"
		"$REPO_ROOT/scripts/shop/seed" --seed 0.7
	)
}

teardown_file() {
	pg_teardown_file
}

# latest: the newest result of each window and key, dropping results that
# vanished (-D); without the changelog field, keys sorted.
latest() {
	jq -sc --arg key "$1" 'map(select(.window_start))
	    | group_by([.window_start, .[$key]]) | map(.[-1])
	    | map(select(.__kind != "-D") | del(.__kind))[]' | sort
}

# confirmed_past LSN: the e2e slot has confirmed everything up to LSN.
confirmed_past() {
	[[ $(psql_q "SELECT confirmed_flush_lsn >= '$1' FROM pg_replication_slots WHERE slot_name = 'e2e'") == t ]]
}

@test "end to end: live windows equal PostgreSQL's GROUP BY, the lake equals every table" {
	set -o pipefail
	W=$BATS_TEST_TMPDIR
	# values compared for what they are: jq 1.6 writes 380.30 as 380.3
	CANON=$REPO_ROOT/tests/helpers/json-canon
	shop=$REPO_ROOT/scripts/shop
	mkfifo "$W/spp" "$W/rev" "$W/lake" "$W/stream"
	"$shop/sales-per-product" <"$W/spp" >"$W/spp.ndjson" 2>"$W/spp.err" &
	p1=$!
	"$shop/revenue-windows" <"$W/rev" >"$W/rev.ndjson" 2>"$W/rev.err" &
	p2=$!
	"$shop/lake" -o "$W/lakedir" --roll-interval 2s <"$W/lake" 2>"$W/lake.err" &
	p3=$!
	tee "$W/spp" "$W/rev" "$W/lake" <"$W/stream" >/dev/null &
	pgcdc-tail -S e2e --publication shop --create-slot --watermarks -s 1s \
	    >"$W/stream" 2>"$W/tail.err" &
	tail=$!

	# traffic with every kind of change, cancellations included
	"$shop/traffic" --seconds 8 --rate 60 --seed 7 >"$W/traffic.log" 2>&1

	# drain: PostgreSQL has every change confirmed, then end of input
	end=$(psql_q 'SELECT pg_current_wal_lsn()')
	wait_until confirmed_past "$end"
	kill -TERM "$tail"
	wait "$tail"
	wait "$p1"
	wait "$p2"
	wait "$p3"

	run -0 psql_q "SELECT count(*) > 20 FROM sales"
	assert_output t

	# sales-per-product: revenue, units and sales per product and minute
	psql_q "SELECT json_build_object('window_start', to_char(date_bin('1 minute',
		    sale_ts, 'epoch') AT TIME ZONE 'UTC',
		    'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
		'product_id', product_id, 'revenue', sum(total_price),
		'units', sum(quantity), 'sales', count(*))
	    FROM sales GROUP BY date_bin('1 minute', sale_ts, 'epoch'), product_id" |
	    "$CANON" | sort >"$W/want"
	latest product_id <"$W/spp.ndjson" |
	    jq -c '{window_start, product_id, revenue, units, sales}' |
	    "$CANON" | sort >"$W/got"
	diff -u "$W/want" "$W/got"

	# revenue-windows: revenue and orders per minute
	psql_q "SELECT json_build_object('window_start', to_char(date_bin('1 minute',
		    sale_ts, 'epoch') AT TIME ZONE 'UTC',
		    'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"'),
		'revenue', sum(total_price), 'orders', count(DISTINCT order_id))
	    FROM sales GROUP BY date_bin('1 minute', sale_ts, 'epoch')" | "$CANON" | sort >"$W/want"
	latest window_start <"$W/rev.ndjson" |
	    jq -c '{window_start, revenue, orders}' | "$CANON" | sort >"$W/got"
	diff -u "$W/want" "$W/got"

	# the lake: the latest version of every row of every table
	local t pg= duck=
	for t in users categories products orders order_items sales carts \
	    wishlists payments shipments clicks checkouts; do
		pg+="SELECT row_to_json(t)::jsonb || jsonb_build_object('', '$t')
		    FROM $t t;"$'\n'
		duck+="${duck:+UNION ALL }SELECT '$t' AS t, to_json(x) AS row FROM (
		    $(sed "/^--/d; s/;\$//; s/getvariable('lake_table')/'$t'/g" \
			"$shop/lake-latest.sql")) x"$'\n'
	done
	printf '%s' "$pg" >"$W/pg.sql"
	(
		eval "$(<"$CDC_PG_DIR/env")"
		"$CDC_PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -f "$W/pg.sql"
	) | "$CANON" | sort >"$W/want"
	"$REPO_ROOT/scripts/duckdb-query" "SET VARIABLE lake = '$W/lakedir'; $duck" |
	    jq -c '.row + {"": .t}' | "$CANON" |
	    sort >"$W/got"
	[ "$(wc -l <"$W/want")" -gt 500 ]
	diff -u "$W/want" "$W/got"

	# and the traffic did retract: cancelled orders' sales, changed prices
	run -0 "$REPO_ROOT/scripts/duckdb-query" "SELECT \"table\" AS t,
		bool_or(__kind = '-D') AS deletes, bool_or(__kind = '+U') AS updates
	    FROM read_parquet('$W/lakedir/*/*/*.parquet', hive_partitioning = true,
		union_by_name = true)
	    WHERE \"table\" IN ('sales', 'products') GROUP BY ALL ORDER BY t"
	assert_output '{"t":"products","deletes":false,"updates":true}
{"t":"sales","deletes":true,"updates":false}'
}
