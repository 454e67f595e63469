#!/usr/bin/env bats
# make demo's script, scripts/demo: a short run (DEMO_SECONDS=10) produces
# every analysis and a lake DuckDB reads back; Ctrl-C in the middle stops
# every process it started and removes its cluster.

load helpers/common

setup() {
	OUT=$BATS_TEST_TMPDIR/out
}

# demo_leftovers: processes or clusters of a demo still around.
demo_leftovers() {
	pgrep -a -f 'cdc-demo-pg\.|pgcdc-tail -S demo ' || true
	ls -d /tmp/cdc-demo-pg.* /tmp/cdc-demo.* 2>/dev/null || true
}

no_demo_leftovers() {
	[[ -z $(demo_leftovers) ]]
}

@test "demo: a 10 s run fills every analysis and a lake DuckDB reads" {
	[ -z "$(demo_leftovers)" ] || skip "another demo is running"
	run -0 env DEMO_SECONDS=10 DEMO_OUT="$OUT" "$REPO_ROOT/scripts/demo" --no-view
	for a in sales-per-product active-users top-products top-users \
	    revenue-windows product-performance attribution \
	    attribution-report; do
		[ -s "$OUT/results/$a.ndjson" ] ||
		    { echo "no output from $a" >&2; false; }
		# every line is a JSON object
		jq -e 'type == "object"' "$OUT/results/$a.ndjson" >/dev/null
	done
	# fraud alerts depend on the traffic's luck in 10 s: the lake's orders
	# say which must have fired, and exactly those did
	run -0 "$REPO_ROOT/scripts/duckdb-query" "
	    WITH o AS (SELECT DISTINCT order_id, user_id, order_ts, total
		FROM read_parquet('$OUT/lake/table=orders/*/*.parquet')
		WHERE __op = 'c')
	    SELECT 'large_order ' || order_id AS a FROM o WHERE total > 1000
	    UNION ALL
	    SELECT 'too_many_orders ' || user_id || ' ' ||
		strftime(time_bucket(INTERVAL 1 minute, order_ts), '%H:%M')
	    FROM o GROUP BY user_id, time_bucket(INTERVAL 1 minute, order_ts)
	    HAVING count(*) > 5"
	jq -r .a <<<"$output" | sort >"$BATS_TEST_TMPDIR/want"
	jq -r 'if .alert == "large_order" then "large_order \(.order_id)"
	    else "too_many_orders \(.user_id) \(.window_start[11:16])" end' \
	    "$OUT/results/fraud-alerts.ndjson" | sort >"$BATS_TEST_TMPDIR/got"
	diff -u "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	# the lake: every table, read back through DuckDB's hive partitioning
	run -0 "$REPO_ROOT/scripts/duckdb-query" "SELECT DISTINCT \"table\" AS t
	    FROM read_parquet('$OUT/lake/*/*/*.parquet', hive_partitioning = true,
	        union_by_name = true) ORDER BY t"
	assert_output "$(printf '{"t":"%s"}\n' carts categories checkouts \
	    clicks order_items orders payments products sales shipments users \
	    wishlists)"
	[ -z "$(demo_leftovers)" ]
}

@test "demo: Ctrl-C stops every stage and removes the cluster" {
	[ -z "$(demo_leftovers)" ] || skip "another demo is running"
	# a process group of its own, as a terminal's foreground job; SIGINT
	# back to its default, since a shell starts background jobs with it
	# ignored and a shell cannot trap what it inherits ignored
	python3 -c 'import os, signal, sys
signal.signal(signal.SIGINT, signal.SIG_DFL)
os.setsid()
os.execvp(sys.argv[1], sys.argv[1:])' env DEMO_SECONDS=60 DEMO_OUT="$OUT" \
	    "$REPO_ROOT/scripts/demo" --no-view >"$BATS_TEST_TMPDIR/log" 2>&1 &
	pid=$!
	# wait until traffic runs (the pipeline is up)
	wait_until grep -q 'shop traffic' "$BATS_TEST_TMPDIR/log"
	sleep 3
	kill -INT -- -"$pid"
	# not `run wait`: run's subshell cannot wait for our child
	rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 130 ]
	grep -q 'interrupted' "$BATS_TEST_TMPDIR/log"
	# the demo's children may still be on their way out
	wait_until -t 30 no_demo_leftovers
	run demo_leftovers
	assert_output ''
}

@test "demo: usage errors exit 2" {
	run -2 "$REPO_ROOT/scripts/demo" --seconds abc
	assert_output - <<'EOF'
demo: --seconds (DEMO_SECONDS): not a positive integer: "abc"
Try "demo --help" for more information.
EOF
	run -2 "$REPO_ROOT/scripts/demo" --bogus
	assert_line -n 0 'demo: unknown option "--bogus"'
	run -0 "$REPO_ROOT/scripts/demo" --help
	assert_line -n 0 --partial 'demo runs the shop pipeline'
}
