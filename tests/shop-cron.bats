#!/usr/bin/env bats
# The shop's cron jobs (scripts/shop/cron/) against a real PostgreSQL 15:
# reward-points awards exactly the due orders, once; monthly-report's exact
# lines on fixed sales; minute-pipeline run in chunks gives what one run
# gives, and a failed run confirms nothing, so the next one repeats it.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	# Slots decode the whole database: one test at a time.
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
	psql_q "\i $REPO_ROOT/scripts/shop/schema.sql" >/dev/null
	"$REPO_ROOT/scripts/shop/seed" --categories 4 --products 12 --users 8
}

teardown_file() {
	pg_teardown_file
}

setup() {
	CRON=$REPO_ROOT/scripts/shop/cron
	W=$BATS_TEST_TMPDIR
	slots=()
	# every test starts from the seeded catalogue and customers alone
	psql_q "TRUNCATE orders, sales, carts, wishlists, clicks CASCADE;
		UPDATE users SET reward_points = 0" >/dev/null
}

teardown() {
	local s
	for s in "${slots[@]}"; do
		psql_q "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$s' AND NOT active" >/dev/null || true
	done
}

# order ID USER TOTAL STATUS [SHIPMENT-STATUS DELIVERED-AGO]: an order, and
# its shipment when one is given, delivered that long before now.
order() {
	local ship= at=NULL
	[ -z "${6:-}" ] || at="now() - interval '$6'"
	if [ -n "${5:-}" ]; then
		ship="INSERT INTO shipments (order_id, status, delivered_at)
		    VALUES ($1, '$5', $at);"
	fi
	psql_q "INSERT INTO orders (order_id, user_id, order_ts, status, total)
		VALUES ($1, $2, now() - interval '40 days', '$4', $3); $ship" >/dev/null
}

# new_slot NAME: create a slot that starts now (no snapshot).
new_slot() {
	pgcdc-tail -S "$1" --publication shop --create-slot --snapshot=never -E now
	slots+=("$1")
}

confirmed() {
	psql_q "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '$1'"
}

@test "reward-points: exactly the orders delivered over 11 days ago, once" {
	order 1 1 100.50 delivered delivered '12 days'
	order 2 1 20.99 delivered delivered '20 days'
	order 3 2 300.00 delivered delivered '10 days'
	order 4 3 80.00 shipped shipped
	order 5 3 70.00 rewarded delivered '30 days'
	order 6 4 55.75 delivered delivered '11 days 1 hour'
	order 7 5 99.00 placed
	order 8 6 10.00 delivered delivered '10 days 23 hours'
	# the oracle: what is due, by SQL of its own
	psql_q "CREATE TABLE due AS
		SELECT o.user_id, sum(floor(o.total))::int AS points
		FROM orders o JOIN shipments s USING (order_id)
		WHERE s.delivered_at < now() - interval '11 days'
		  AND o.status <> 'rewarded'
		GROUP BY o.user_id"
	run -0 psql_q "SELECT string_agg(user_id || ':' || points, ' ' ORDER BY user_id) FROM due"
	assert_output '1:120 4:55'
	before=$(psql_q "SELECT max(updated_at) FROM users")

	run -0 "$CRON/reward-points"
	assert_output '{"orders":3,"users":2,"points":175}'
	run -0 psql_q "SELECT count(*) FROM users u LEFT JOIN due d USING (user_id)
		WHERE u.reward_points <> coalesce(d.points, 0)"
	assert_output 0
	# a new version of exactly the users credited
	run -0 psql_q "SELECT string_agg(user_id::text, ' ' ORDER BY user_id) FROM users WHERE updated_at > '$before'"
	assert_output '1 4'
	run -0 psql_q "SELECT string_agg(order_id || ':' || status, ' ' ORDER BY order_id) FROM orders"
	assert_output '1:rewarded 2:rewarded 3:delivered 4:shipped 5:rewarded 6:rewarded 7:placed 8:delivered'

	# again: nothing more
	run -0 "$CRON/reward-points"
	assert_output '{"orders":0,"users":0,"points":0}'
	run -0 psql_q "SELECT string_agg(user_id || ':' || reward_points, ' ' ORDER BY user_id) FROM users WHERE reward_points > 0"
	assert_output '1:120 4:55'
	# --days moves the cutoff: order 3 is due after 9 days
	run -0 "$CRON/reward-points" --days 9
	assert_output '{"orders":2,"users":2,"points":310}'
	psql_q "DROP TABLE due"
}

@test "reward-points, monthly-report: usage errors exit 2" {
	run -2 "$CRON/reward-points" --days
	assert_output 'reward-points: option "--days" needs a value
Try "reward-points --help" for more information.'
	run -2 "$CRON/reward-points" --days=-1
	assert_line -n 0 'reward-points: option "--days": not a non-negative integer: "-1"'
	run -2 "$CRON/monthly-report" --month 2026-13
	assert_line -n 0 'monthly-report: option "--month": not a month YYYY-MM: "2026-13"'
	run -2 "$CRON/monthly-report" --year 2026
	assert_line -n 0 'monthly-report: unknown option "--year"'
	run -2 "$CRON/minute-pipeline"
	assert_line -n 0 'minute-pipeline: no STATE_DIR'
	run -2 "$CRON/minute-pipeline" --slot
	assert_line -n 0 'minute-pipeline: option "--slot" needs a value'
	run -2 "$CRON/minute-pipeline" a b
	assert_line -n 0 'minute-pipeline: too many arguments: "b"'
	for s in reward-points monthly-report minute-pipeline; do
		run -0 "$CRON/$s" --help
		assert_line -n 0 --partial "$s "
		run -0 "$CRON/$s" -?
	done
}

@test "monthly-report: units by category and revenue by city, exact, month bounds in UTC" {
	psql_q "UPDATE products SET category = CASE WHEN product_id <= 2 THEN 'books' ELSE 'toys' END;
		UPDATE users SET city = CASE WHEN user_id <= 2 THEN 'Oslo' ELSE 'Rome' END;
		INSERT INTO orders (order_id, user_id, order_ts, total)
		SELECT i, 1 + i % 4, '2026-11-10', 0 FROM generate_series(1, 9) i;
		INSERT INTO sales (order_id, user_id, product_id, sale_ts, quantity, total_price) VALUES
		(1, 2, 1, '2026-10-31 23:59:59.999999+00', 5, 500.00),  -- October
		(2, 3, 1, '2026-11-01 00:00:00+00', 2, 20.10),
		(2, 3, 3, '2026-11-01 00:00:00+00', 1, 5.00),
		(3, 4, 2, '2026-11-15 12:00:00+01', 3, 30.30),
		(4, 1, 3, '2026-11-20 08:00:00+00', 1, 9.99),
		(5, 2, 4, '2026-11-30 23:59:59.999999+00', 4, 40.00),
		(6, 2, 4, '2026-12-01 00:00:00+00', 7, 70.00),              -- December
		(7, 1, 5, '2026-11-30 23:30:00-01', 1, 1.00)                -- December in UTC" >/dev/null
	run -0 "$CRON/monthly-report" --month 2026-11
	assert_output '{"report":"category","month":"2026-11","category":"toys","units":6,"sales":3,"revenue":54.99}
{"report":"category","month":"2026-11","category":"books","units":5,"sales":2,"revenue":50.40}
{"report":"city","month":"2026-11","city":"Rome","revenue":55.40,"orders":2,"customers":2}
{"report":"city","month":"2026-11","city":"Oslo","revenue":49.99,"orders":2,"customers":2}'
	# the same as PostgreSQL's own GROUP BY over the month
	run -0 psql_q "SELECT sum(units), sum(revenue) FROM (SELECT sum(quantity) units, sum(total_price) revenue FROM sales WHERE sale_ts >= '2026-11-01Z' AND sale_ts < '2026-12-01Z') x"
	assert_output '11|105.39'
	run -0 "$CRON/monthly-report" --month=2026-09
	assert_output ''
	# by default the previous month
	psql_q "INSERT INTO sales (user_id, product_id, sale_ts, quantity, total_price)
		VALUES (1, 1, date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 microsecond', 1, 2.50)" >/dev/null
	month=$(psql_q "SELECT to_char(date_trunc('month', now() AT TIME ZONE 'UTC') - interval '1 month', 'YYYY-MM')")
	"$CRON/monthly-report" --month "$month" >"$W/want"
	[ -s "$W/want" ]
	run -0 "$CRON/monthly-report"
	diff_expected "$W/want"
}

# sales CHUNK: chunk N of the sales of one morning (explicit times), with a
# cancellation in chunk 2 that retracts a sale of a window already written.
sales() {
	local sql
	case $1 in
	1) sql="INSERT INTO orders (order_id, user_id, order_ts, total) VALUES
		(1, 1, '2026-01-01 10:00:10Z', 0), (2, 2, '2026-01-01 10:00:50Z', 0),
		(3, 3, '2026-01-01 10:01:20Z', 0);
	    INSERT INTO sales (order_id, user_id, product_id, sale_ts, quantity, total_price) VALUES
		(1, 1, 1, '2026-01-01 10:00:10Z', 1, 10.10),
		(2, 2, 2, '2026-01-01 10:00:50Z', 2, 20.20),
		(3, 3, 3, '2026-01-01 10:01:20Z', 1, 5.05)" ;;
	2) sql="INSERT INTO orders (order_id, user_id, order_ts, total) VALUES
		(4, 4, '2026-01-01 10:01:30Z', 0), (5, 1, '2026-01-01 10:02:10Z', 0);
	    INSERT INTO sales (order_id, user_id, product_id, sale_ts, quantity, total_price) VALUES
		(4, 4, 4, '2026-01-01 10:01:30Z', 3, 33.33),
		(5, 1, 5, '2026-01-01 10:02:10Z', 1, 1.99);
	    DELETE FROM orders WHERE order_id = 2" ;;
	3) sql="INSERT INTO orders (order_id, user_id, order_ts, total) VALUES
		(6, 2, '2026-01-01 10:03:00Z', 0), (7, 3, '2026-01-01 10:05:10Z', 0);
	    INSERT INTO sales (order_id, user_id, product_id, sale_ts, quantity, total_price) VALUES
		(6, 2, 6, '2026-01-01 10:03:00Z', 2, 12.00),
		(7, 3, 7, '2026-01-01 10:05:10Z', 1, 7.77),
		(7, 3, 8, '2026-01-01 10:05:20Z', 1, 8.88)" ;;
	esac
	psql_q "$sql" >/dev/null
}

# results DIR: the revenue rows a state dir holds, in the order written.
results() {
	cat "$1"/revenue/*.ndjson
}

# lake DIR: the sales changelog rows of its Parquet files, sorted.
lake() {
	"$REPO_ROOT/tests/helpers/parquet-rows" $(find "$1/sales" -name '*.parquet' | sort) | sort
}

# the oracle: PostgreSQL's revenue per minute over what sales holds now,
# for the windows the watermark (10:05:15) closed
oracle() {
	psql_q "SELECT json_build_object('window_start', to_char(w, 'YYYY-MM-DD\"T\"HH24:MI:SS.000Z'), 'revenue', sum(total_price), 'units', sum(quantity), 'sales', count(*))::text
		FROM sales, date_bin('1 minute', sale_ts, '2026-01-01Z') w
		WHERE w < '2026-01-01 10:05Z' GROUP BY w ORDER BY w" | sed 's/ : /:/g; s/, /,/g'
}

# latest DIR: each window's last row (its value), as oracle() prints it.
latest() {
	# sed, not jq: jq 1.6 would print 30.30 as 30.3
	results "$1" | sed 's/,"window_end":"[^"]*"//' |
	    awk -F'"' '{ last[$4] = $0; if (!($4 in seen)) { seen[$4] = 1; order[n++] = $4 } }
		END { for (i = 0; i < n; i++) print last[order[i]] }'
}

@test "minute-pipeline: runs in chunks write what one run writes, and PostgreSQL agrees" {
	a=$(pg_unique_name chunks) b=$(pg_unique_name once)
	new_slot "$a"
	new_slot "$b"
	run -0 "$CRON/minute-pipeline" --slot "$a" "$W/a"    # nothing yet
	assert_output ''
	for c in 1 2 3; do
		sales "$c"
		run -0 "$CRON/minute-pipeline" --slot "$a" "$W/a"
		assert_output ''
	done
	run -0 "$CRON/minute-pipeline" --slot "$a" "$W/a"    # nothing new
	run -0 "$CRON/minute-pipeline" --slot "$b" "$W/b"
	# three runs with rows; the second closes 10:01, then the cancellation
	# corrects 10:00
	run -0 ls "$W/a/revenue"
	assert_equal "${#lines[@]}" 3
	run -0 results "$W/a"
	assert_output '{"window_start":"2026-01-01T10:00:00.000Z","window_end":"2026-01-01T10:01:00.000Z","revenue":30.30,"units":3,"sales":2}
{"window_start":"2026-01-01T10:01:00.000Z","window_end":"2026-01-01T10:02:00.000Z","revenue":38.38,"units":4,"sales":2}
{"window_start":"2026-01-01T10:00:00.000Z","window_end":"2026-01-01T10:01:00.000Z","revenue":10.10,"units":1,"sales":1}
{"window_start":"2026-01-01T10:02:00.000Z","window_end":"2026-01-01T10:03:00.000Z","revenue":1.99,"units":1,"sales":1}
{"window_start":"2026-01-01T10:03:00.000Z","window_end":"2026-01-01T10:04:00.000Z","revenue":12.00,"units":2,"sales":1}'
	diff -u <(results "$W/a") <(results "$W/b")
	diff -u <(oracle) <(latest "$W/a")
	# the lake holds the same changelog either way: 8 inserts, 1 delete
	lake "$W/a" >"$W/lake-a"
	lake "$W/b" >"$W/lake-b"
	diff -u "$W/lake-a" "$W/lake-b"
	run -0 jq -r .__kind "$W/lake-a"
	assert_equal "$(printf '%s\n' "${lines[@]}" | sort | uniq -c | tr -s ' ')" ' 8 +I
 1 -D'
	# the open window 10:05 waits in the state, and everything is confirmed
	run -0 pgcdc-tail -S "$a" --publication shop -E now --no-ack --lsn-file "$W/lsn"
	assert_output ''
	[ ! -e "$W/a/.commit" ]
	[ -z "$(find "$W/a" -name '.work.*')" ]
}

@test "minute-pipeline: a failed stage confirms nothing and the next run repeats it; a lost --ack is finished next run" {
	a=$(pg_unique_name fail) b=$(pg_unique_name once)
	new_slot "$a"
	new_slot "$b"
	sales 1
	run -0 "$CRON/minute-pipeline" --slot "$a" "$W/a"
	sales 2
	pos=$(confirmed "$a")
	sum=$(cksum <"$W/a/revenue.state")

	# to-parquet-csv fails, after window-agg ran on its copy of the state
	mkdir "$W/bin"
	for t in $TOOLS; do ln -s "$BIN_DIR/$t" "$W/bin/$t"; done
	rm "$W/bin/to-parquet-csv"
	printf '#!/bin/sh\necho "to-parquet-csv: disk full" >&2; exit 1\n' >"$W/bin/to-parquet-csv"
	chmod +x "$W/bin/to-parquet-csv"
	CDC_BIN=$W/bin run -1 "$CRON/minute-pipeline" --slot "$a" "$W/a"
	assert_output 'to-parquet-csv: disk full'
	assert_equal "$(confirmed "$a")" "$pos"
	assert_equal "$(cksum <"$W/a/revenue.state")" "$sum"
	run -0 ls "$W/a/revenue"
	assert_equal "${#lines[@]}" 1
	[ -z "$(find "$W/a" -name '.work.*')" ]

	# a corrupt state: window-agg fails
	cp "$W/a/revenue.state" "$W/state.good"
	echo garbage >"$W/a/revenue.state"
	run -1 "$CRON/minute-pipeline" --slot "$a" "$W/a"
	assert_equal "$(confirmed "$a")" "$pos"
	cp "$W/state.good" "$W/a/revenue.state"

	# committed, but the --ack is lost: the next run finishes it first
	rm "$W/bin/pgcdc-tail"
	printf '#!/bin/sh\ncase " $* " in *" --ack "*) echo "pgcdc-tail: server closed the connection" >&2; exit 1 ;; esac\nexec "%s" "$@"\n' "$BIN_DIR/pgcdc-tail" >"$W/bin/pgcdc-tail"
	chmod +x "$W/bin/pgcdc-tail"
	rm "$W/bin/to-parquet-csv"
	ln -s "$BIN_DIR/to-parquet-csv" "$W/bin/to-parquet-csv"
	CDC_BIN=$W/bin run -1 "$CRON/minute-pipeline" --slot "$a" "$W/a"
	assert_output 'pgcdc-tail: server closed the connection'
	assert_equal "$(confirmed "$a")" "$pos"
	[ -d "$W/a/.commit" ]
	sales 3
	run -0 "$CRON/minute-pipeline" --slot "$a" "$W/a"
	[ ! -e "$W/a/.commit" ]

	# the same rows as one good run over the same changes
	run -0 "$CRON/minute-pipeline" --slot "$b" "$W/b"
	diff -u <(results "$W/a") <(results "$W/b")
	diff -u <(lake "$W/a") <(lake "$W/b")
	diff -u <(oracle) <(latest "$W/a")
}

@test "minute-pipeline: a second run while one is going exits at once" {
	mkdir -p "$W/a"
	exec 8>"$W/a/.lock"
	flock 8
	run -0 timeout 10 "$CRON/minute-pipeline" --slot nonexistent "$W/a"
	assert_output ''
	exec 8>&-
	[ ! -e "$W/a/revenue.state" ]
}

@test "crontab.example names the three jobs" {
	run -0 grep -c 'scripts/shop/cron/\(reward-points\|monthly-report\|minute-pipeline\)' "$CRON/crontab.example"
	assert_output 3
}
