#!/usr/bin/env bats
# pgcdc-tail copies exactly what the publication publishes: its column list,
# its row filter, FOR ALL TABLES and FOR TABLES IN SCHEMA, partitions
# published through their root, never generated columns; and the tables
# added to the publication later (--snapshot=new).
#
# Two oracles: the server (the same SELECT the publication implies, run by
# psql) and pgoutput itself: a second slot, created before the rows were
# written, receives them as inserts, and a snapshot must hold the very same
# rows as those inserts.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	# Slots decode the whole database: one test at a time.
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
}

teardown_file() {
	pg_teardown_file
}

setup() {
	slot=$(pg_unique_name slot)
	oslot=$(pg_unique_name oracle)
	pub=$(pg_unique_name pub)
	tbl=$(pg_unique_name t)
	ORACLE=$REPO_ROOT/tests/helpers/cdc-oracle.py
}

teardown() {
	psql_q "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name IN ('$slot', '$oslot') AND NOT active" >/dev/null || true
}

tail_run() {
	pgcdc-tail -S "$slot" --publication "$pub" "$@"
}

# oracle_begin: the oracle slot, made before the rows are written, so that
# pgoutput sends it every row as an insert.
oracle_begin() {
	pgcdc-tail -S "$oslot" --publication "$pub" --create-slot --snapshot=never -E now >/dev/null
}

# oracle_end: what pgoutput published since oracle_begin, in "$T/stream".
oracle_end() {
	pgcdc-tail -S "$oslot" --publication "$pub" -E now >"$BATS_TEST_TMPDIR/stream"
}

# rows OP FILE [TABLE...]: [schema, table, after] of the events with op OP
# (of the tables named, or all), canonical JSON, sorted.
rows() {
	local op=$1 file=$2
	shift 2
	jq -cS --arg op "$op" '$ARGS.positional as $t | select(.op == $op and (.source.table as $n | $t == [] or ($t | index($n)))) | [.source.schema, .source.table, .after]' "$file" --args "$@" | sort
}

# server_rows SCHEMA TABLE SELECT: the rows of SELECT as rows() writes them.
server_rows() {
	psql_q "SELECT json_build_array('$1', '$2', row_to_json(x)) FROM ($3) x" | jq -cS . | sort
}

# snapshot_is_stream [TABLE...]: the snapshot in "$T/snap" holds exactly the
# rows pgoutput sent as inserts (oracle_end first).
snapshot_is_stream() {
	rows r "$BATS_TEST_TMPDIR/snap" "$@" >"$BATS_TEST_TMPDIR/snap.rows"
	rows c "$BATS_TEST_TMPDIR/stream" "$@" >"$BATS_TEST_TMPDIR/stream.rows"
	[ -s "$BATS_TEST_TMPDIR/stream.rows" ] || fail "the oracle slot received nothing"
	diff -u "$BATS_TEST_TMPDIR/stream.rows" "$BATS_TEST_TMPDIR/snap.rows"
}

# Events without what changes from run to run (sed, not jq: exact digits).
norm() {
	sed -E 's/,"(lsn|txId|ts_ms|ts_us)":[0-9]+//g'
}

@test "a column list and a row filter: the snapshot leaks no other column and no other row" {
	# the issue's reproduction: PII hidden by a column list and a filter
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY, email text, country text, score int);
		CREATE PUBLICATION $pub FOR TABLE $tbl (id, country, score) WHERE (country = 'SE')"
	oracle_begin
	psql_q "INSERT INTO $tbl VALUES (1, 'a@example.com', 'SE', 10), (2, 'b@example.com', 'US', 20),
		(3, 'c@example.com', NULL, 30), (4, 'd@example.com', 'SE', NULL)"
	run -0 --separate-stderr tail_run --create-slot -E now
	assert_equal "$stderr" ""
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/snap"
	run -0 norm <"$BATS_TEST_TMPDIR/snap"
	assert_output "{\"before\":null,\"after\":{\"id\":1,\"country\":\"SE\",\"score\":10},\"source\":{\"connector\":\"postgresql\",\"db\":\"postgres\",\"schema\":\"public\",\"table\":\"$tbl\",\"txId\":null,\"snapshot\":\"true\"},\"op\":\"r\"}
{\"before\":null,\"after\":{\"id\":4,\"country\":\"SE\",\"score\":null},\"source\":{\"connector\":\"postgresql\",\"db\":\"postgres\",\"schema\":\"public\",\"table\":\"$tbl\",\"txId\":null,\"snapshot\":\"last\"},\"op\":\"r\"}"
	oracle_end
	snapshot_is_stream
	run -0 server_rows public "$tbl" "SELECT id, country, score FROM $tbl WHERE country = 'SE'"
	diff -u <(printf '%s\n' "$output") "$BATS_TEST_TMPDIR/snap.rows"
}

@test "identifiers in column lists and row filters: quotes, spaces, capitals" {
	psql_q "CREATE SCHEMA \"Sch \"\"q\"\"\";
		CREATE TABLE \"Sch \"\"q\"\"\".\"T x\" (\"Id\" int PRIMARY KEY, \"a \"\"col\"\"\" text, \"Secret\" text, \"select\" int);
		CREATE PUBLICATION $pub FOR TABLE \"Sch \"\"q\"\"\".\"T x\" (\"Id\", \"a \"\"col\"\"\", \"select\") WHERE (\"select\" > 1 AND \"a \"\"col\"\"\" <> 'it''s')"
	oracle_begin
	psql_q "INSERT INTO \"Sch \"\"q\"\"\".\"T x\" VALUES (1, 'one', 's1', 5), (2, 'it''s', 's2', 5), (3, 'three', 's3', 0), (4, E'tab\\there', 's4', 9)"
	tail_run --create-slot -E now >"$BATS_TEST_TMPDIR/snap"
	run -0 jq -c '[.source.schema, .source.table, .after]' "$BATS_TEST_TMPDIR/snap"
	assert_output '["Sch \"q\"","T x",{"Id":1,"a \"col\"":"one","select":5}]
["Sch \"q\"","T x",{"Id":4,"a \"col\"":"tab\there","select":9}]'
	oracle_end
	snapshot_is_stream
}

@test "generated columns: never in the snapshot, as never in the stream; the other columns keep their values" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY, price int, gross int GENERATED ALWAYS AS (price * 2) STORED, note text);
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	oracle_begin
	psql_q "INSERT INTO $tbl (id, price, note) VALUES (1, 10, 'a'), (2, 20, NULL)"
	tail_run --create-slot -E now >"$BATS_TEST_TMPDIR/snap"
	run -0 jq -c .after "$BATS_TEST_TMPDIR/snap"
	assert_output '{"id":1,"price":10,"note":"a"}
{"id":2,"price":20,"note":null}'
	oracle_end
	snapshot_is_stream
}

@test "FOR ALL TABLES: every table, generated columns left out, and tables created later not copied twice" {
	a=$(pg_unique_name a)
	b=$(pg_unique_name b)
	psql_q "CREATE TABLE $a (id int PRIMARY KEY, v text, g text GENERATED ALWAYS AS (upper(v)) STORED, w int);
		CREATE TABLE $b (k text, n numeric);
		CREATE PUBLICATION $pub FOR ALL TABLES"
	oracle_begin
	psql_q "INSERT INTO $a (id, v, w) VALUES (1, 'x', 7), (2, NULL, 8);
		INSERT INTO $b VALUES ('k', 1.50), (NULL, NULL)"
	tail_run --create-slot -E now >"$BATS_TEST_TMPDIR/snap"
	oracle_end
	snapshot_is_stream "$a" "$b"
	run -0 server_rows public "$a" "SELECT id, v, w FROM $a"
	diff -u <(printf '%s\n' "$output") <(rows r "$BATS_TEST_TMPDIR/snap" "$a")
	# a table created after the slot: its rows come as inserts only
	c=$(pg_unique_name c)
	psql_q "CREATE TABLE $c (id int); INSERT INTO $c VALUES (1)"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | jq -c "[.op, .source.table, .after]"' _ "$slot" "$pub"
	assert_output "[\"c\",\"$c\",{\"id\":1}]"
}

@test "FOR TABLES IN SCHEMA: the schema's tables only; a table's own row filter does not apply there" {
	s=$(pg_unique_name s)
	o=$(pg_unique_name other)
	psql_q "CREATE SCHEMA $s;
		CREATE TABLE $s.t1 (id int PRIMARY KEY, x int);
		CREATE TABLE $s.t2 (id int PRIMARY KEY, y text);
		CREATE TABLE $o (id int PRIMARY KEY);
		CREATE PUBLICATION $pub FOR TABLE $s.t1 WHERE (x > 0), TABLES IN SCHEMA $s"
	# PostgreSQL ignores the filter of a table whose schema is published
	run -0 psql_q "SELECT tablename, rowfilter IS NULL FROM pg_publication_tables WHERE pubname = '$pub' ORDER BY 1"
	assert_output 't1|t
t2|t'
	oracle_begin
	psql_q "INSERT INTO $s.t1 VALUES (1, 5), (2, -5); INSERT INTO $s.t2 VALUES (1, 'y'); INSERT INTO $o VALUES (1)"
	tail_run --create-slot -E now >"$BATS_TEST_TMPDIR/snap"
	oracle_end
	snapshot_is_stream
	run -0 jq -c '[.source.schema, .source.table, .after]' "$BATS_TEST_TMPDIR/snap"
	assert_output "[\"$s\",\"t1\",{\"id\":1,\"x\":5}]
[\"$s\",\"t1\",{\"id\":2,\"x\":-5}]
[\"$s\",\"t2\",{\"id\":1,\"y\":\"y\"}]"
}

@test "publish_via_partition_root: the root's rows, filter and column order; without it, each partition" {
	psql_q "CREATE TABLE $tbl (id int, k text, v int, secret text) PARTITION BY LIST (k);
		CREATE TABLE ${tbl}_a PARTITION OF $tbl FOR VALUES IN ('a');
		CREATE TABLE ${tbl}_b (secret text, v int, id int, k text);
		ALTER TABLE $tbl ATTACH PARTITION ${tbl}_b FOR VALUES IN ('b');
		CREATE PUBLICATION $pub FOR TABLE $tbl (id, k, v) WHERE (v > 0) WITH (publish_via_partition_root = true)"
	oracle_begin
	psql_q "INSERT INTO $tbl VALUES (1, 'a', 1, 's'), (2, 'b', 2, 's'), (3, 'b', -3, 's'), (4, 'a', 0, 's')"
	run -0 --separate-stderr tail_run --create-slot -E now
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/snap"
	oracle_end
	snapshot_is_stream
	run -0 jq -c '[.source.table, .after]' "$BATS_TEST_TMPDIR/snap"
	assert_output "[\"$tbl\",{\"id\":1,\"k\":\"a\",\"v\":1}]
[\"$tbl\",{\"id\":2,\"k\":\"b\",\"v\":2}]"

	# the same tables published partition by partition (no column list
	# or filter then: PostgreSQL allows none on the root)
	psql_q "SELECT pg_drop_replication_slot('$slot'), pg_drop_replication_slot('$oslot')"
	pub=$(pg_unique_name leaves)
	psql_q "CREATE PUBLICATION $pub FOR TABLE $tbl; TRUNCATE $tbl"
	oracle_begin
	psql_q "INSERT INTO $tbl VALUES (1, 'a', 1, 's'), (2, 'b', 2, 's'), (3, 'b', -3, 's'), (4, 'a', 0, 's'), (5, 'b', 5, 's')"
	tail_run --create-slot -E now >"$BATS_TEST_TMPDIR/snap"
	oracle_end
	snapshot_is_stream
	run -0 jq -c '[.source.table, .after]' "$BATS_TEST_TMPDIR/snap"
	assert_output "[\"${tbl}_a\",{\"id\":1,\"k\":\"a\",\"v\":1,\"secret\":\"s\"}]
[\"${tbl}_a\",{\"id\":4,\"k\":\"a\",\"v\":0,\"secret\":\"s\"}]
[\"${tbl}_b\",{\"secret\":\"s\",\"v\":2,\"id\":2,\"k\":\"b\"}]
[\"${tbl}_b\",{\"secret\":\"s\",\"v\":-3,\"id\":3,\"k\":\"b\"}]
[\"${tbl}_b\",{\"secret\":\"s\",\"v\":5,\"id\":5,\"k\":\"b\"}]"
}

@test "inheritance: a parent's copy holds its own rows, its children are tables of their own" {
	psql_q "CREATE TABLE $tbl (id int, v text);
		CREATE TABLE ${tbl}_child (extra int) INHERITS ($tbl);
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	oracle_begin
	psql_q "INSERT INTO $tbl VALUES (1, 'parent'); INSERT INTO ${tbl}_child VALUES (2, 'child', 9)"
	tail_run --create-slot -E now >"$BATS_TEST_TMPDIR/snap"
	oracle_end
	snapshot_is_stream
	run -0 jq -c '[.source.table, .after]' "$BATS_TEST_TMPDIR/snap"
	assert_output "[\"$tbl\",{\"id\":1,\"v\":\"parent\"}]
[\"${tbl}_child\",{\"id\":2,\"v\":\"child\",\"extra\":9}]"
}

@test "publish = 'insert' with a column list without the key: the published columns of every row" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY, v text, hidden text);
		CREATE PUBLICATION $pub FOR TABLE $tbl (v) WITH (publish = 'insert')"
	oracle_begin
	psql_q "INSERT INTO $tbl VALUES (1, 'a', 'h'), (2, 'b', 'h')"
	tail_run --create-slot -E now >"$BATS_TEST_TMPDIR/snap"
	oracle_end
	snapshot_is_stream
	run -0 jq -c .after "$BATS_TEST_TMPDIR/snap"
	assert_output '{"v":"a"}
{"v":"b"}'
}

@test "a run that ends at --endpos has confirmed up to it when it exits, even when the next transaction commits after it" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY); CREATE TABLE ${tbl}_other (id int);
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	tail_run --create-slot -E now >/dev/null
	psql_q "INSERT INTO $tbl VALUES (1)"
	psql_q "INSERT INTO ${tbl}_other VALUES (1)"
	end=$(psql_q "SELECT pg_current_wal_lsn()")
	psql_q "INSERT INTO $tbl VALUES (2)"
	run -0 --separate-stderr tail_run -E "$end" --no-ack --lsn-file "$BATS_TEST_TMPDIR/lsn"
	run -0 jq -c .after <<<"$output"
	assert_output '{"id":1}'
	run -0 cat "$BATS_TEST_TMPDIR/lsn"
	assert_output "$end"
	run -0 tail_run -E "$end"
	run -0 psql_q "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '$slot'"
	assert_output "$end"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | jq -c .after' _ "$slot" "$pub"
	assert_output '{"id":2}'
}

# ---- tables added to the publication later ----

# sql_true SQL: SQL says t (for wait_until).
sql_true() {
	[ "$(psql_q "$1")" = t ]
}

# replay_is_table TABLE FILE: the events of TABLE in FILE, applied as a
# changelog, leave exactly the rows the table holds now.
replay_is_table() {
	set -o pipefail
	jq -c --arg t "$1" 'select(.source.table == $t)' "$2" >"$BATS_TEST_TMPDIR/$1.ev"
	cdc-unwrap --changelog "$BATS_TEST_TMPDIR/$1.ev" | python3 "$ORACLE" replay | jq -cS . | sort >"$BATS_TEST_TMPDIR/$1.replayed"
	psql_q "SELECT row_to_json(t) FROM $1 t" | jq -cS . | sort >"$BATS_TEST_TMPDIR/$1.table"
	diff -u "$BATS_TEST_TMPDIR/$1.table" "$BATS_TEST_TMPDIR/$1.replayed"
}

# writers TABLE N: N transactions in the background that insert, update and
# delete rows of TABLE; their pid in $writers. Each leaves a row with v = -i.
start_writers() {
	(
		exec 3>&-
		for i in $(seq 1 "$2"); do
			psql_q "INSERT INTO $1 VALUES (100000 + $i, -$i, 'new');
				UPDATE $1 SET v = v + 1 WHERE id % 37 = $i % 37 AND id < 100000;
				DELETE FROM $1 WHERE id = $i * 11" >/dev/null
		done
	) &
	writers=$!
}

@test "a table added while streaming: a warning that its earlier rows are not in the stream" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY); CREATE TABLE ${tbl}_late (id int PRIMARY KEY, v text);
		INSERT INTO ${tbl}_late VALUES (1, 'before');
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	tail_run --create-slot -E now >/dev/null
	pgcdc-tail -S "$slot" --publication "$pub" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_until sql_true "SELECT active FROM pg_replication_slots WHERE slot_name = '$slot'"
	psql_q "ALTER PUBLICATION $pub ADD TABLE ${tbl}_late; INSERT INTO ${tbl}_late VALUES (2, 'after')"
	wait_until grep -q '"after"' "$BATS_TEST_TMPDIR/out"
	kill -TERM "$pid"
	wait "$pid"
	run -0 jq -c .after "$BATS_TEST_TMPDIR/out"
	assert_output '{"id":2,"v":"after"}'
	run -0 cat "$BATS_TEST_TMPDIR/err"
	assert_output "pgcdc-tail: warning: table \"public.${tbl}_late\" joined publication \"$pub\" while streaming: the rows it had before are not in the stream (--snapshot=new copies them)"
}

@test "--snapshot=new: ALTER PUBLICATION ADD TABLE between runs, copied at the next start, meeting the stream while others write" {
	late=${tbl}_late
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY, v int);
		CREATE TABLE $late (id int PRIMARY KEY, v int, note text);
		ALTER TABLE $late REPLICA IDENTITY FULL;
		INSERT INTO $late SELECT g, g, 'n' || g FROM generate_series(1, 2000) g;
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	tail_run --create-slot --snapshot=new -E now >"$BATS_TEST_TMPDIR/ev"
	start_writers "$late" 60
	wait_until sql_true "SELECT count(*) >= 5 FROM $late WHERE id > 100000"
	psql_q "ALTER PUBLICATION $pub ADD TABLE $late; INSERT INTO $tbl VALUES (1, 1)"
	# copied while the writers change it
	tail_run --snapshot=new -E now >>"$BATS_TEST_TMPDIR/ev"
	wait "$writers"
	tail_run --snapshot=new -E now >>"$BATS_TEST_TMPDIR/ev"
	run -0 jq -s '[.[] | select(.op == "r" and .source.table == "'"$late"'")] | length > 1900' "$BATS_TEST_TMPDIR/ev"
	assert_output true
	replay_is_table "$late" "$BATS_TEST_TMPDIR/ev"
	replay_is_table "$tbl" "$BATS_TEST_TMPDIR/ev"
	# the record on the server: both tables, the late one as of its copy
	run -0 psql_q "SELECT table_name, lsn > (SELECT lsn FROM pgcdc_tail_snapshots WHERE slot_name = '$slot' AND relid = 0) FROM pgcdc_tail_snapshots WHERE slot_name = '$slot' AND relid <> 0 ORDER BY 1"
	assert_output "public.$tbl|f
public.$late|t"
	# copied once
	run -0 tail_run --snapshot=new -E now
	assert_output ""
}

@test "--snapshot=new while streaming: a table that joins is copied between two transactions" {
	late=${tbl}_late
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY, v int);
		CREATE TABLE $late (id int PRIMARY KEY, v int, note text);
		ALTER TABLE $late REPLICA IDENTITY FULL;
		INSERT INTO $late SELECT g, g, 'n' || g FROM generate_series(1, 2000) g;
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	tail_run --create-slot --snapshot=new -E now >/dev/null
	pgcdc-tail -S "$slot" --publication "$pub" --snapshot=new -v >"$BATS_TEST_TMPDIR/ev" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_until sql_true "SELECT active FROM pg_replication_slots WHERE slot_name = '$slot'"
	start_writers "$late" 60
	wait_until sql_true "SELECT count(*) >= 5 FROM $late WHERE id > 100000"
	psql_q "ALTER PUBLICATION $pub ADD TABLE $late"
	wait "$writers"
	psql_q "INSERT INTO $tbl VALUES (1, 1)"
	wait_until grep -q "\"table\":\"$tbl\"" "$BATS_TEST_TMPDIR/ev"
	kill -TERM "$pid"
	wait "$pid"
	grep -q "^pgcdc-tail: table \"public.$late\" joined publication \"$pub\": copying it\$" "$BATS_TEST_TMPDIR/err"
	replay_is_table "$late" "$BATS_TEST_TMPDIR/ev"
	run -0 jq -s '[.[] | select(.op == "r")] | length > 1900' "$BATS_TEST_TMPDIR/ev"
	assert_output true
}

@test "--snapshot=new with --endpos: a table that joins is held back, and the next run copies it" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY); CREATE TABLE ${tbl}_late (id int PRIMARY KEY, v text);
		INSERT INTO ${tbl}_late VALUES (1, 'before');
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	tail_run --create-slot --snapshot=new -E now >/dev/null
	# an end position ahead: the run is streaming when the table joins
	end=$(psql_q "SELECT pg_current_wal_lsn() + 100000000")
	pgcdc-tail -S "$slot" --publication "$pub" --snapshot=new -E "$end" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_until sql_true "SELECT active FROM pg_replication_slots WHERE slot_name = '$slot'"
	psql_q "ALTER PUBLICATION $pub ADD TABLE ${tbl}_late; INSERT INTO ${tbl}_late VALUES (2, 'after'); INSERT INTO $tbl VALUES (1)"
	wait_until grep -q "\"table\":\"$tbl\"" "$BATS_TEST_TMPDIR/out"
	kill -TERM "$pid"
	wait "$pid"
	run -0 jq -c '[.source.table, .after]' "$BATS_TEST_TMPDIR/out"
	assert_output "[\"$tbl\",{\"id\":1}]"
	run -0 cat "$BATS_TEST_TMPDIR/err"
	assert_output "pgcdc-tail: warning: table \"public.${tbl}_late\" joined publication \"$pub\" while streaming: its changes are held back for the next run, which copies it first"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --snapshot=new -E now | jq -c "[.op, .after]"' _ "$slot" "$pub"
	assert_output '["r",{"id":1,"v":"before"}]
["r",{"id":2,"v":"after"}]'
}

@test "--snapshot=new with an --endpos already passed: a new table waits for a run that can copy it" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY); CREATE TABLE ${tbl}_late (id int PRIMARY KEY);
		INSERT INTO ${tbl}_late VALUES (1);
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	tail_run --create-slot --snapshot=new -E now >/dev/null
	psql_q "ALTER PUBLICATION $pub ADD TABLE ${tbl}_late; INSERT INTO ${tbl}_late VALUES (2); INSERT INTO $tbl VALUES (1)"
	run -0 --separate-stderr tail_run --snapshot=new -E "$(psql_q 'SELECT pg_current_wal_lsn()')"
	assert_equal "$stderr" "pgcdc-tail: warning: table \"public.${tbl}_late\" was never copied: its changes are held back for a run that does not end before the copy (--endpos)"
	run -0 jq -c '[.op, .source.table, .after]' <<<"$output"
	assert_output "[\"c\",\"$tbl\",{\"id\":1}]"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --snapshot=new -E now | jq -c "[.op, .after]"' _ "$slot" "$pub"
	assert_output '["r",{"id":1}]
["r",{"id":2}]'
}

@test "--snapshot=new with --no-ack: a copy is made again until the slot is confirmed past it" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY); CREATE TABLE ${tbl}_late (id int PRIMARY KEY);
		INSERT INTO ${tbl}_late VALUES (1), (2);
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	tail_run --create-slot --snapshot=new -E now >/dev/null
	psql_q "ALTER PUBLICATION $pub ADD TABLE ${tbl}_late"
	# the cron recipe's run whose pipeline fails: nothing confirmed
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --snapshot=new -E now --no-ack --lsn-file "$3" | jq -c "[.op, .after]"' _ "$slot" "$pub" "$BATS_TEST_TMPDIR/lsn"
	assert_output '["r",{"id":1}]
["r",{"id":2}]'
	psql_q "INSERT INTO ${tbl}_late VALUES (3)"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --snapshot=new -E now --no-ack --lsn-file "$3" | jq -c "[.op, .after]"' _ "$slot" "$pub" "$BATS_TEST_TMPDIR/lsn"
	assert_output '["r",{"id":1}]
["r",{"id":2}]
["r",{"id":3}]'
	# this time the pipeline succeeds and confirms
	run -0 pgcdc-tail -S "$slot" --ack "$(cat "$BATS_TEST_TMPDIR/lsn")"
	psql_q "INSERT INTO ${tbl}_late VALUES (4)"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --snapshot=new -E now | jq -c "[.op, .after]"' _ "$slot" "$pub"
	assert_output '["c",{"id":4}]'
}

@test "--snapshot=new with FOR ALL TABLES and TABLES IN SCHEMA: a table moved in is copied; the record table is never an event" {
	s=$(pg_unique_name s)
	psql_q "CREATE SCHEMA $s; CREATE SCHEMA ${s}_log;
		CREATE TABLE $s.t1 (id int PRIMARY KEY); CREATE TABLE moved_$s (id int PRIMARY KEY, v text);
		INSERT INTO $s.t1 VALUES (1); INSERT INTO moved_$s VALUES (1, 'old row');
		CREATE PUBLICATION $pub FOR TABLES IN SCHEMA $s"
	run -0 --separate-stderr tail_run --create-slot --snapshot=new --snapshot-table="${s}_log.Copies" -E now
	assert_output --partial '"after":{"id":1}'
	psql_q "ALTER TABLE moved_$s SET SCHEMA $s; INSERT INTO $s.moved_$s VALUES (2, 'new row')"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --snapshot=new --snapshot-table="$3" -E now | jq -c "[.op, .source.table, .after]"' _ "$slot" "$pub" "${s}_log.Copies"
	assert_output "[\"r\",\"moved_$s\",{\"id\":1,\"v\":\"old row\"}]
[\"r\",\"moved_$s\",{\"id\":2,\"v\":\"new row\"}]"
	run -0 psql_q "SELECT table_name FROM ${s}_log.\"Copies\" WHERE slot_name = '$slot' ORDER BY relid"
	assert_output "
$s.t1
$s.moved_$s"

	# FOR ALL TABLES publishes the record table too: never in the output
	psql_q "SELECT pg_drop_replication_slot('$slot')"
	pub=$(pg_unique_name all)
	psql_q "CREATE PUBLICATION $pub FOR ALL TABLES"
	tail_run --create-slot --snapshot=new --snapshot-table="${s}_log.Copies" -E now >"$BATS_TEST_TMPDIR/all"
	grep -q "\"table\":\"moved_$s\"" "$BATS_TEST_TMPDIR/all"
	run -1 grep -q '"table":"Copies"' "$BATS_TEST_TMPDIR/all"
	psql_q "CREATE TABLE ${s}_new (id int); INSERT INTO ${s}_new VALUES (1)"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --snapshot=new --snapshot-table="$3" -E now | jq -c "[.op, .source.table, .after]"' _ "$slot" "$pub" "${s}_log.Copies"
	assert_output "[\"r\",\"${s}_new\",{\"id\":1}]"
}

@test "--snapshot=new on a slot made without it: a warning, and what is published now counts as copied" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY); INSERT INTO $tbl VALUES (1);
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	tail_run --create-slot -E now >/dev/null
	psql_q "INSERT INTO $tbl VALUES (2)"
	run -0 --separate-stderr tail_run --snapshot=new -E now
	assert_equal "$stderr" "pgcdc-tail: warning: table \"pgcdc_tail_snapshots\" has no record of slot \"$slot\": every table publication \"$pub\" publishes now is taken as copied (one that joined it after the slot's snapshot and was never copied is not detected)"
	run -0 jq -c '[.op, .after]' <<<"$output"
	assert_output '["c",{"id":2}]'
	run -0 --separate-stderr tail_run --snapshot=new -E now
	assert_equal "$stderr" ""
}

@test "--snapshot=new: a first snapshot cut short by a reader that goes away is taken again" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY, pad text);
		INSERT INTO $tbl SELECT g, repeat('x', 200) FROM generate_series(1, 20000) g;
		CREATE PUBLICATION $pub FOR TABLE $tbl"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --create-slot --snapshot=new -E now | head -n 1 | jq -c .after.id' _ "$slot" "$pub"
	assert_output 1
	psql_q "INSERT INTO $tbl VALUES (0, 'late')"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --snapshot=new -E now | jq -r .op | sort | uniq -c' _ "$slot" "$pub"
	assert_output "  20001 r"
}

@test "--snapshot-table needs --snapshot=new" {
	run -2 --separate-stderr pgcdc-tail -S s --publication p --snapshot-table=t
	assert_equal "${stderr_lines[0]}" "pgcdc-tail: --snapshot-table needs --snapshot=new"
	run -2 --separate-stderr pgcdc-tail -S s --publication p --snapshot=later
	assert_equal "${stderr_lines[0]}" 'pgcdc-tail: invalid value "later" for option --snapshot: expected initial, new or never'
}
