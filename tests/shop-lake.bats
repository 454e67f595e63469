#!/usr/bin/env bats
# scripts/shop/lake and its DuckDB queries (lake-latest.sql, scd2.sql)
# against a real PostgreSQL: the shop's change stream into a Parquet lake,
# read back by DuckDB: partitions, every change, the latest version of every
# row equal to the table, SCD Type 2 history.

load helpers/common
load helpers/pg

TABLES="users categories products orders order_items sales carts wishlists payments shipments clicks checkouts"

setup_file() {
	pg_setup_file
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
	# seed runs psql from PATH
	export PATH=$CDC_PG_BINDIR:$PATH
	local d=$BATS_FILE_TMPDIR
	psql_f "$REPO_ROOT/scripts/shop/schema.sql"
	# the slot first: the seed's rows are in the stream, so the lake holds
	# every row of every table
	pgcdc-tail -S lake --publication shop --create-slot --snapshot=never \
	    -E now >/dev/null
	"$REPO_ROOT/scripts/shop/seed" --categories 3 --products 10 --users 5
	psql_f "$REPO_ROOT/tests/fixtures/shop/lake/events.sql"
	pgcdc-tail -S lake --publication shop -E now --watermarks \
	    >"$d/events.ndjson"
	"$REPO_ROOT/scripts/shop/lake" -o "$d/lake" <"$d/events.ndjson"
}

teardown_file() {
	pg_teardown_file
}

setup() {
	D=$BATS_FILE_TMPDIR
	W=$BATS_TEST_TMPDIR
	LAKE=$REPO_ROOT/scripts/shop/lake
	QUERY=$REPO_ROOT/scripts/duckdb-query
}

# duck SQL: DuckDB's rows over the test's lake ($D/lake).
duck() {
	"$QUERY" "SET VARIABLE lake = '$D/lake'; $1"
}

# canon: JSON rows with values compared for what they are, not their
# spelling (tests/helpers/json-canon).
canon() {
	"$REPO_ROOT/tests/helpers/json-canon"
}

# ms_ts: epoch milliseconds (one a line) as the tools write times.
ms_ts() {
	jq -r 'def p3: tostring | ("00" + .)[-3:];
		(. / 1000 | floor | strftime("%Y-%m-%dT%H:%M:%S")) + "." +
		(. % 1000 | p3) + "Z"'
}

@test "lake: usage" {
	run -0 "$LAKE" --help
	assert_line --partial "usage: lake -o DIR [--roll-interval D]"
	run -2 "$LAKE" --bogus
	assert_output 'lake: unknown option "--bogus"
Try "lake --help" for more information.'
	run -2 "$LAKE"
	assert_output --partial 'lake: option "-o" is required'
	run -2 "$LAKE" -o "$W/x" --roll-interval soon
	assert_output --partial 'not a duration'
	[ ! -e "$W/x" ]
}

@test "lake: one directory per table and commit day, files named by LSN, no temporary files" {
	# the commit days of each table's changes
	cdc-unwrap -a table,source.ts_ms "$D/events.ndjson" --changelog |
	    jq -r 'select(.__table) | "\(.__table) \(.__source_ts_ms / 1000 |
		floor | strftime("%Y-%m-%d"))"' | sort -u >"$W/want"
	[ "$(cut -d' ' -f1 "$W/want" | sort -u | wc -l)" -eq 12 ]
	(cd "$D/lake" && find . -type f) | sort >"$W/files"
	sed -E 's|^\./table=([a-z_]+)/date=([0-9-]{10})/part-[0-9]{20}-[0-9]{20}(-[0-9]+)?\.parquet$|\1 \2|' \
	    "$W/files" | sort -u >"$W/got"
	diff -u "$W/want" "$W/got"
	# nothing else: every file matched the pattern
	run ! grep -v '\.parquet$' "$W/files"
}

@test "lake: DuckDB reads every change back, with its kind, LSN, operation and commit time" {
	cdc-unwrap --changelog -a table,lsn,op,source.ts_ms "$D/events.ndjson" |
	    jq -c 'select(.__table) | {table: .__table, kind: .__kind,
		lsn: .__lsn, op: .__op, ts: .__source_ts_ms}' |
	    sort >"$W/want"
	duck "SELECT \"table\", __kind AS kind, __lsn AS lsn, __op AS op,
		__source_ts_ms AS ts
	    FROM read_parquet(getvariable('lake') || '/**/*.parquet',
		hive_partitioning = true, union_by_name = true)" |
	    sort >"$W/got"
	[ "$(wc -l <"$W/want")" -gt 80 ]
	diff -u "$W/want" "$W/got"
	# and the date partition is the commit day
	run -0 duck "SELECT count(*) AS wrong FROM read_parquet(getvariable('lake')
		|| '/**/*.parquet', hive_partitioning = true, union_by_name = true)
	    WHERE date <> CAST(epoch_ms(__source_ts_ms) AS DATE)"
	assert_output '{"wrong":0}'
}

@test "lake-latest.sql: the latest version of each row equals the PostgreSQL table, for every table" {
	local t key pg= duck=
	# one query each side for all tables: {"table":…,"row":{…}} lines
	for t in $TABLES; do
		case $t in
		categories) key=category_id ;;
		order_items) key=order_item_id ;;
		*) key=${t%s}_id ;;
		esac
		pg+="SELECT json_build_object('table', '$t', 'row', row_to_json(t))
		    FROM $t t;"$'\n'
		duck+="${duck:+UNION ALL }SELECT '$t' AS \"table\", to_json(x) AS row FROM (
		    $(sed "/^--/d; s/;\$//; s/getvariable('lake_table')/'$t'/g" \
			"$REPO_ROOT/scripts/shop/lake-latest.sql")) x"$'\n'
	done
	printf '%s' "$pg" >"$W/pg.sql"
	(
		eval "$(<"$CDC_PG_DIR/env")"
		"$CDC_PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 -f "$W/pg.sql"
	) | jq -c '.row + {"": .table}' | canon | sort >"$W/want"
	duck "$duck" | jq -c '.row + {"": .table}' | canon | sort >"$W/got"
	# every table has rows
	[ "$(jq -r '.[""]' "$W/want" | sort -u | wc -l)" -eq 12 ]
	[ "$(wc -l <"$W/want")" -gt 30 ]
	diff -u "$W/want" "$W/got"
	# the changes did happen: deleted rows are gone, updated rows new
	run -0 duck "SET VARIABLE lake_table = 'orders';
	    SELECT order_id, status FROM ($(sed '/^--/d; s/;$//' \
		"$REPO_ROOT/scripts/shop/lake-latest.sql"))"
	assert_output '{"order_id":1,"status":"delivered"}
{"order_id":3,"status":"placed"}'
}

@test "scd2.sql: products' history: two price changes, a delete, a delete and a new insert" {
	# the commit times of each change of products 101-103, in order
	cdc-unwrap --changelog -t products -a source.ts_ms "$D/events.ndjson" |
	    jq 'select(.product_id > 100 and .__kind != "-U") | .__source_ts_ms' |
	    ms_ts >"$W/times"
	[ "$(wc -l <"$W/times")" -eq 8 ]
	mapfile -t T <"$W/times"
	run -0 duck "SELECT product_id, name, price, cost, stock_quantity,
		updated_at, version, valid_from, valid_to, is_current
	    FROM ($(sed '/^--/d; s/;$//' "$REPO_ROOT/scripts/shop/scd2.sql"))
	    WHERE product_id > 100"
	# T: 101 +I, 102 +I, 103 +I, 101 +U, 102 -D, 103 -D, 101 +U, 103 +I
	assert_output "{\"product_id\":101,\"name\":\"Nova 101\",\"price\":10.00,\"cost\":6.00,\"stock_quantity\":100,\"updated_at\":\"2030-01-01T09:00:00.000Z\",\"version\":1,\"valid_from\":\"${T[0]}\",\"valid_to\":\"${T[3]}\",\"is_current\":false}
{\"product_id\":101,\"name\":\"Nova 101\",\"price\":11.50,\"cost\":6.00,\"stock_quantity\":100,\"updated_at\":\"2030-01-01T10:00:00.000Z\",\"version\":2,\"valid_from\":\"${T[3]}\",\"valid_to\":\"${T[6]}\",\"is_current\":false}
{\"product_id\":101,\"name\":\"Nova 101\",\"price\":9.99,\"cost\":5.75,\"stock_quantity\":100,\"updated_at\":\"2030-01-01T11:00:00.000Z\",\"version\":3,\"valid_from\":\"${T[6]}\",\"valid_to\":null,\"is_current\":true}
{\"product_id\":102,\"name\":\"Aero 102\",\"price\":15.50,\"cost\":9.25,\"stock_quantity\":10,\"updated_at\":\"2030-01-01T09:00:00.000Z\",\"version\":1,\"valid_from\":\"${T[1]}\",\"valid_to\":\"${T[4]}\",\"is_current\":false}
{\"product_id\":103,\"name\":\"Flex 103\",\"price\":250.00,\"cost\":180.00,\"stock_quantity\":5,\"updated_at\":\"2030-01-01T09:00:00.000Z\",\"version\":1,\"valid_from\":\"${T[2]}\",\"valid_to\":\"${T[5]}\",\"is_current\":false}
{\"product_id\":103,\"name\":\"Flex 103\",\"price\":199.00,\"cost\":180.00,\"stock_quantity\":3,\"updated_at\":\"2030-01-01T11:30:00.000Z\",\"version\":2,\"valid_from\":\"${T[7]}\",\"valid_to\":null,\"is_current\":true}"
	# the whole table: one current version per live product, as in
	# PostgreSQL, and a version for every insert and update
	run -0 duck "SELECT count(*) FILTER (WHERE is_current) AS current,
		count(*) AS versions
	    FROM ($(sed '/^--/d; s/;$//' "$REPO_ROOT/scripts/shop/scd2.sql"))"
	local cur ver
	cur=$(psql_q "SELECT count(*) FROM products")
	ver=$(cdc-unwrap --changelog -t products "$D/events.ndjson" |
	    grep -c '"__kind":"+[IU]"')
	assert_output "{\"current\":$cur,\"versions\":$ver}"
}

@test "scd2.sql: users' history, lake_table = 'users'" {
	cdc-unwrap --changelog -t users -a source.ts_ms "$D/events.ndjson" |
	    jq 'select(.user_id == 101 and .__kind != "-U") | .__source_ts_ms' |
	    ms_ts >"$W/times"
	mapfile -t T <"$W/times"
	[ "${#T[@]}" -eq 4 ]
	run -0 duck "SET VARIABLE lake_table = 'users';
	    SELECT user_id, last_login, city, gender, reward_points, version,
		valid_from, valid_to, is_current
	    FROM ($(sed '/^--/d; s/;$//' "$REPO_ROOT/scripts/shop/scd2.sql"))
	    WHERE user_id = 101"
	assert_output "{\"user_id\":101,\"last_login\":null,\"city\":null,\"gender\":null,\"reward_points\":0,\"version\":1,\"valid_from\":\"${T[0]}\",\"valid_to\":\"${T[1]}\",\"is_current\":false}
{\"user_id\":101,\"last_login\":\"2030-01-01T08:05:00.000Z\",\"city\":null,\"gender\":null,\"reward_points\":0,\"version\":2,\"valid_from\":\"${T[1]}\",\"valid_to\":\"${T[2]}\",\"is_current\":false}
{\"user_id\":101,\"last_login\":\"2030-01-01T08:05:00.000Z\",\"city\":\"London\",\"gender\":\"female\",\"reward_points\":0,\"version\":3,\"valid_from\":\"${T[2]}\",\"valid_to\":\"${T[3]}\",\"is_current\":false}
{\"user_id\":101,\"last_login\":\"2030-01-01T08:05:00.000Z\",\"city\":\"London\",\"gender\":\"female\",\"reward_points\":23,\"version\":4,\"valid_from\":\"${T[3]}\",\"valid_to\":null,\"is_current\":true}"
}

# parquet_in DIR: DIR holds a Parquet file.
parquet_in() {
	[[ -n $(find "$1" -name '*.parquet' 2>/dev/null) ]]
}

@test "lake: files are committed while the stream runs (--roll-interval), and SIGTERM commits the rest" {
	local n pid
	n=$(wc -l <"$D/events.ndjson")
	mkfifo "$W/in"
	# half the stream, then a pause with the input still open
	(
		head -n $((n / 2)) "$D/events.ndjson"
		: >"$W/fed"
		exec sleep 600
	) >"$W/in" 3>&- &
	local feeder=$!
	"$LAKE" -o "$W/lake" --roll-interval 1s <"$W/in" 3>&- &
	pid=$!
	# a writer of our own, to see when the lake has read all of the half
	exec 4>"$W/in"
	# files appear without the end of input
	wait_until parquet_in "$W/lake"
	wait_until test -e "$W/fed"
	wait_until pipe_drained 4
	kill -TERM "$pid"
	local status=0
	wait "$pid" || status=$?
	kill "$feeder" 2>/dev/null || true
	exec 4>&-
	[ "$status" -eq 0 ]
	# every row of the half read back, no temporary file left
	run -0 "$QUERY" "SELECT count(*) AS n FROM read_parquet('$W/lake/**/*.parquet',
		hive_partitioning = true, union_by_name = true)"
	assert_output "{\"n\":$(head -n $((n / 2)) "$D/events.ndjson" |
	    cdc-unwrap --changelog | grep -c '"__kind"')}"
	run -0 find "$W/lake" -name '.*'
	assert_output ''
}
