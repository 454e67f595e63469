#!/usr/bin/env bats
# pgcdc-tail when the server or the user says no: every message from the
# server, however many lines it has, is one line on stderr and never a
# crash; a mistake is reported before anything is created, and a run that
# fails leaves nothing of its own behind.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
}

teardown_file() {
	pg_teardown_file
}

setup() {
	slot=$(pg_unique_name slot)
	pub=$(pg_unique_name pub)
	tbl=$(pg_unique_name t)
}

teardown() {
	psql_q "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null || true
	if [[ -n ${other:-} ]]; then
		"$REPO_ROOT/scripts/pg-sandbox" stop "$other" >/dev/null 2>&1 || true
		rm -rf "$other"
	fi
}

@test "libpq's message for several hosts is one line, not a crash" {
	run -1 --separate-stderr pgcdc-tail -d 'host=127.0.0.1,127.0.0.2 port=1' -S s --publication p
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "$stderr" 'pgcdc-tail: could not connect to server: connection to server at "127.0.0.1", port 1 failed: Connection refused; Is the server running on that host and accepting TCP/IP connections?; connection to server at "127.0.0.2", port 1 failed: Connection refused; Is the server running on that host and accepting TCP/IP connections?'
}

@test "a slot name the server refuses: its error and hint on one line" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY); CREATE PUBLICATION $pub FOR TABLE $tbl"
	run -1 --separate-stderr pgcdc-tail -S "My Slot" --publication "$pub" --create-slot -E now
	assert_output ""
	assert_equal "$stderr" 'pgcdc-tail: could not create slot "My Slot": ERROR:  replication slot name "My Slot" contains invalid character; HINT:  Replication slot names may only contain lower case letters, numbers, and the underscore character.'
}

@test "--create-publication with a bad table name: the server's error, one line" {
	run -1 --separate-stderr pgcdc-tail -S "$slot" --publication "$pub" --create-publication --tables .t --create-slot -E now
	assert_output ""
	assert_equal "$stderr" "pgcdc-tail: could not run \"CREATE PUBLICATION \"$pub\" FOR TABLE \"\".\"t\"\": ERROR:  zero-length delimited identifier at or near \"\"\"\"; LINE 1: CREATE PUBLICATION \"$pub\" FOR TABLE \"\".\"t\"; ^"
	run -0 psql_q "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$slot'"
	assert_output 0
}

@test "a publication that does not exist is an error before any slot is made" {
	run -1 --separate-stderr pgcdc-tail -S "$slot" --publication no_such_pub --create-slot -E now
	assert_output ""
	assert_equal "$stderr" 'pgcdc-tail: publication "no_such_pub" does not exist in database "postgres": create it (CREATE PUBLICATION, or --create-publication)'
	run -0 psql_q "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$slot'"
	assert_output 0
}

@test "a publication dropped while streaming ends the run: exit 1, one line, no retry loop" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY); CREATE PUBLICATION $pub FOR TABLE $tbl"
	pgcdc-tail -S "$slot" --publication "$pub" --create-slot -E now >/dev/null
	pgcdc-tail -S "$slot" --publication "$pub" >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	psql_q "INSERT INTO $tbl VALUES (1)"
	wait_until grep -q '"id":1' "$BATS_TEST_TMPDIR/out"
	psql_q "DROP PUBLICATION $pub; INSERT INTO $tbl VALUES (2)"
	# not `run wait`: run's subshell cannot wait for our child
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 1
	run -0 cat "$BATS_TEST_TMPDIR/err"
	assert_output --regexp "^pgcdc-tail: the server ended the stream: ERROR:  publication \"$pub\" does not exist; CONTEXT:  slot \"$slot\", output plugin \"pgoutput\", in the change callback, associated LSN [0-9A-F]+/[0-9A-F]+\$"
	# what was written stays confirmed; the insert after the drop is not
	run -0 psql_q "SELECT confirmed_flush_lsn IS NOT NULL FROM pg_replication_slots WHERE slot_name = '$slot'"
	assert_output t
}

@test "--ack on a slot that does not exist: exit 1 with a message" {
	run -1 --separate-stderr pgcdc-tail -S no_such_slot --ack 0/1
	assert_output ""
	assert_equal "$stderr" 'pgcdc-tail: replication slot "no_such_slot" does not exist'
}

@test "wal_level = replica: a hint, and nothing created" {
	# its own cluster, in a directory the postgres user can reach
	other=$(mktemp -d /tmp/cdc-pg-replica.XXXXXX)
	env=$("$REPO_ROOT/scripts/pg-sandbox" start "$other")
	(
		eval "$env"
		"$CDC_PG_BINDIR/psql" -X -q -c "ALTER SYSTEM SET wal_level = replica" -c "CREATE TABLE t (id int PRIMARY KEY)"
	)
	runuser -u postgres -- "$CDC_PG_BINDIR/pg_ctl" -D "$other/data" -m fast -w -t 60 restart -l "$other/log" >/dev/null 2>&1 3>&-
	eval "$env"
	run -1 --separate-stderr pgcdc-tail -S s --publication p --create-publication --create-slot -E now
	assert_output ""
	assert_equal "$stderr" 'pgcdc-tail: the server has wal_level = "replica"; logical replication needs "logical": set wal_level = logical in postgresql.conf (or ALTER SYSTEM SET wal_level = logical) and restart the server'
	run -0 "$CDC_PG_BINDIR/psql" -X -At -c "SELECT (SELECT count(*) FROM pg_publication) + (SELECT count(*) FROM pg_replication_slots)"
	assert_output 0
}

@test "a slot that cannot be made: the publication this run made is dropped again" {
	run -1 --separate-stderr pgcdc-tail -S "Bad Slot" --publication "$pub" --create-publication --create-slot -E now
	assert_equal "${#stderr_lines[@]}" 1
	[[ $stderr == 'pgcdc-tail: could not create slot "Bad Slot": ERROR:  replication slot name "Bad Slot" contains invalid character; HINT:  '* ]]
	run -0 psql_q "SELECT count(*) FROM pg_publication WHERE pubname = '$pub'"
	assert_output 0
	# a publication that was there before is left alone
	psql_q "CREATE PUBLICATION $pub FOR ALL TABLES"
	run -1 pgcdc-tail -S "Bad Slot" --publication "$pub" --create-publication --create-slot -E now
	run -0 psql_q "SELECT count(*) FROM pg_publication WHERE pubname = '$pub'"
	assert_output 1
}

@test "a LATIN1 database: names and values come out as UTF-8, snapshot and stream" {
	psql_q "CREATE DATABASE latin ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
	PGCLIENTENCODING=UTF8 psql_q 'CREATE TABLE "tablé" (id int PRIMARY KEY, "né" text);
		INSERT INTO "tablé" VALUES (1, $$café$$);
		CREATE PUBLICATION p FOR ALL TABLES' -d latin
	run -0 --separate-stderr bash -c 'set -o pipefail; pgcdc-tail -d latin -S "$1" --publication p --create-slot -E now | jq -c "[.source.table, .after]"' _ "$slot"
	assert_output '["tablé",{"id":1,"né":"café"}]'
	PGCLIENTENCODING=UTF8 psql_q 'INSERT INTO "tablé" VALUES (2, $$naïve ü$$)' -d latin
	run -0 --separate-stderr bash -c 'set -o pipefail; pgcdc-tail -d latin -S "$1" --publication p -E now | jq -c "[.source.table, .after]"' _ "$slot"
	assert_output '["tablé",{"id":2,"né":"naïve ü"}]'
	psql_q "SELECT pg_drop_replication_slot('$slot')" -d latin >/dev/null
}

@test "a SQL_ASCII database with bytes that are not UTF-8: a clear error, never a line that is not JSON" {
	psql_q "CREATE DATABASE ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"
	psql_q "CREATE TABLE t (id int PRIMARY KEY, v text); CREATE PUBLICATION p FOR ALL TABLES" -d ascii
	pgcdc-tail -d ascii -S "$slot" --publication p --create-slot -E now >/dev/null
	psql_q "INSERT INTO t VALUES (1, 'ok')" -d ascii
	printf "INSERT INTO t VALUES (2, 'caf\351')" >"$BATS_TEST_TMPDIR/sql"
	psql_q "$(<"$BATS_TEST_TMPDIR/sql")" -d ascii
	run -1 --separate-stderr pgcdc-tail -d ascii -S "$slot" --publication p -E now
	# the transaction before is whole, and JSON
	assert_output --regexp '^\{"before":null,"after":\{"id":1,"v":"ok"\},.*\}$'
	[[ $stderr == 'pgcdc-tail: the server ended the stream: ERROR:  invalid byte sequence for encoding "UTF8": 0xe9; CONTEXT:  slot "'"$slot"'", output plugin "pgoutput", in the change callback, associated LSN '* ]]
	# the snapshot of such a table: the same error from COPY
	run -1 --separate-stderr pgcdc-tail -d ascii -S "${slot}_2" --publication p --create-slot -E now
	assert_output ''
	[[ $stderr == 'pgcdc-tail: could not copy table "public.t": ERROR:  invalid byte sequence for encoding "UTF8": 0xe9'* ]]
	psql_q "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = 'ascii'" >/dev/null
}
