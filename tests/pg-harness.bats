#!/usr/bin/env bats
# pg-harness.bats: proves tests/helpers/pg.bash and scripts/pg-sandbox before
# any tool relies on them: a real PostgreSQL 15 with logical decoding over a
# Unix socket, in SQL and in replication mode, with both output plugins and
# pg_recvlogical, and a sandbox that is really gone once stopped.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	# A logical slot decodes the whole database: tests running side by
	# side would see each other's inserts in their slots.
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
}

teardown_file() {
	pg_teardown_file
}

setup() {
	sandbox=$REPO_ROOT/scripts/pg-sandbox
	other=
}

teardown() {
	# The second sandbox of the stop test, if that test died half-way.
	if [[ -n $other ]]; then
		"$sandbox" stop "$other/$long"
		rm -rf "$other"
	fi
}

# alive PID: true while PID runs.  A zombie counts as gone: where PID 1 does
# not reap (some containers), the stopped postmaster stays one.
alive() {
	local state
	state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' \
	    "/proc/$1/status" 2>/dev/null) || return 1
	[[ -n $state && $state != Z ]]
}

@test "pg_setup_file exports the sandbox environment" {
	# Although helpers/common unset every PG* variable in this process.
	assert_equal "$PGHOST" "$(sed -n "s/^export PGHOST='\(.*\)'\$/\1/p" "$CDC_PG_DIR/env")"
	assert_equal "$PGUSER" postgres
	assert_equal "$PGDATABASE" postgres
	[[ -S $PGHOST/.s.PGSQL.$PGPORT ]]
	[[ -x $CDC_PG_BINDIR/pg_recvlogical ]]
	run -0 "$sandbox" env "$CDC_PG_DIR"
	assert_output "$(cat "$CDC_PG_DIR/env")"
}

@test "server is PostgreSQL 15" {
	run -0 psql_q 'show server_version_num'
	assert_output --regexp '^15[0-9]{4}$'
}

@test "server is configured for logical replication" {
	# synchronous_commit stays on: slots decode flushed WAL only, so with
	# it off a fresh commit can be missing from the next get_changes.
	run -0 psql_q "SELECT name || '=' || setting FROM pg_settings
	    WHERE name IN ('wal_level', 'max_replication_slots',
	    'max_wal_senders', 'fsync', 'synchronous_commit',
	    'listen_addresses') ORDER BY name"
	assert_output - <<-'EOF'
	fsync=off
	listen_addresses=
	max_replication_slots=20
	max_wal_senders=20
	synchronous_commit=on
	wal_level=logical
	EOF
}

@test "rows written to a table read back exactly" {
	t=$(pg_unique_name t)
	run -0 psql_q "CREATE TABLE $t (id int PRIMARY KEY, v text)"
	assert_output ''
	run -0 psql_q "INSERT INTO $t VALUES (1, 'a'), (2, 'b c'), (3, 'é')"
	assert_output ''
	run -0 psql_q "SELECT id, v FROM $t ORDER BY id"
	assert_output - <<-'EOF'
	1|a
	2|b c
	3|é
	EOF
	run -0 psql_q "DROP TABLE $t"
}

@test "a pgoutput slot can be created and dropped" {
	s=$(pg_unique_name slot)
	run -0 psql_q "SELECT slot_name
	    FROM pg_create_logical_replication_slot('$s', 'pgoutput')"
	assert_output "$s"
	run -0 psql_q "SELECT plugin, slot_type, database
	    FROM pg_replication_slots WHERE slot_name = '$s'"
	assert_output 'pgoutput|logical|postgres'
	run -0 psql_q "SELECT pg_drop_replication_slot('$s')"
	assert_output ''
	run -0 psql_q "SELECT count(*) FROM pg_replication_slots
	    WHERE slot_name = '$s'"
	assert_output 0
}

@test "a test_decoding slot shows an insert" {
	t=$(pg_unique_name t)
	s=$(pg_unique_name slot)
	run -0 psql_q "CREATE TABLE $t (id int PRIMARY KEY, v text)"
	run -0 psql_q "SELECT slot_name
	    FROM pg_create_logical_replication_slot('$s', 'test_decoding')"
	assert_output "$s"
	run -0 psql_q "INSERT INTO $t VALUES (1, 'a')"
	run -0 psql_q "SELECT data FROM pg_logical_slot_get_changes('$s',
	    NULL, NULL, 'include-xids', '0')"
	assert_output - <<-EOF
	BEGIN
	table public.$t: INSERT: id[integer]:1 v[text]:'a'
	COMMIT
	EOF
	# get_changes consumed them: the slot has moved on.
	run -0 psql_q "SELECT count(*) FROM pg_logical_slot_get_changes('$s',
	    NULL, NULL)"
	assert_output 0
	run -0 psql_q "SELECT pg_drop_replication_slot('$s')"
	run -0 psql_q "DROP TABLE $t"
}

@test "a replication connection answers IDENTIFY_SYSTEM" {
	run -0 psql_q 'SELECT system_identifier FROM pg_control_system()'
	sysid=$output
	run -0 psql_q IDENTIFY_SYSTEM -d 'dbname=postgres replication=database'
	# One row: systemid, timeline, current WAL position, database.
	assert_output --regexp "^$sysid\|1\|[0-9A-F]+/[0-9A-F]+\|postgres\$"
}

@test "pg_recvlogical streams a test_decoding slot up to its end position" {
	t=$(pg_unique_name t)
	s=$(pg_unique_name slot)
	run -0 psql_q "CREATE TABLE $t (id int PRIMARY KEY, v text)"
	run -0 psql_q "SELECT slot_name
	    FROM pg_create_logical_replication_slot('$s', 'test_decoding')"
	run -0 psql_q "INSERT INTO $t VALUES (1, 'a'), (2, NULL)"
	# The last change is the commit: stop exactly there, as the
	# pg_recvlogical TAP tests do.
	run -0 psql_q "SELECT lsn FROM pg_logical_slot_peek_changes('$s',
	    NULL, NULL) ORDER BY lsn DESC LIMIT 1"
	endpos=$output
	run -0 "$CDC_PG_BINDIR/pg_recvlogical" -d postgres -S "$s" --start \
	    -E "$endpos" -f - --no-loop -o include-xids=0
	assert_output - <<-EOF
	BEGIN
	table public.$t: INSERT: id[integer]:1 v[text]:'a'
	table public.$t: INSERT: id[integer]:2 v[text]:null
	COMMIT
	EOF
	run -0 psql_q "SELECT pg_drop_replication_slot('$s')"
	run -0 psql_q "DROP TABLE $t"
}

@test "pg_recvlogical streams a pgoutput slot up to its end position" {
	t=$(pg_unique_name t)
	s=$(pg_unique_name slot)
	p=$(pg_unique_name pub)
	run -0 psql_q "CREATE TABLE $t (id int PRIMARY KEY, v text)"
	run -0 psql_q "CREATE PUBLICATION $p FOR TABLE $t"
	run -0 psql_q "SELECT slot_name
	    FROM pg_create_logical_replication_slot('$s', 'pgoutput')"
	run -0 psql_q "INSERT INTO $t VALUES (1, 'a')"
	# Peek first (streaming confirms, and the slot moves on): the stream
	# must be these very messages, each followed by the newline that
	# pg_recvlogical adds, and stop at the last one, the commit.
	opts="'proto_version', '1', 'publication_names', '$p'"
	run -0 psql_q "SELECT string_agg(encode(data, 'hex') || '0a', '' ORDER BY n)
	    FROM pg_logical_slot_peek_binary_changes('$s', NULL, NULL, $opts)
	    WITH ORDINALITY AS c(lsn, xid, data, n)"
	expected=$output
	# Begin, Relation, Insert, Commit: the protocol, not just any bytes.
	assert_output --regexp '^42[0-9a-f]+0a52[0-9a-f]+0a49[0-9a-f]+0a43[0-9a-f]+0a$'
	run -0 psql_q "SELECT lsn
	    FROM pg_logical_slot_peek_binary_changes('$s', NULL, NULL, $opts)
	    ORDER BY lsn DESC LIMIT 1"
	endpos=$output
	out=$BATS_TEST_TMPDIR/stream
	run -0 "$CDC_PG_BINDIR/pg_recvlogical" -d postgres -S "$s" --start \
	    -E "$endpos" -f "$out" --no-loop \
	    -o proto_version=1 -o "publication_names=$p"
	assert_output ''
	od -An -v -tx1 "$out" >"$out.od"
	run -0 tr -d ' \n' <"$out.od"
	assert_output "$expected"
	run -0 psql_q "SELECT pg_drop_replication_slot('$s')"
	run -0 psql_q "DROP PUBLICATION $p"
	run -0 psql_q "DROP TABLE $t"
}

@test "no replication slot is left behind" {
	run -0 psql_q 'SELECT count(*) FROM pg_replication_slots'
	assert_output 0
}

@test "pg-sandbox stop stops the server and removes the sandbox" {
	# A long directory name puts the socket in its own short /tmp dir
	# (the other branch is the file's own sandbox), so that one must go
	# too.  As root, postgres must be able to enter the parent.
	other=$(mktemp -d /tmp/cdc-pg-stop.XXXXXX)
	chmod 755 "$other"
	long=$(printf 'long%.0s' {1..20})
	dir=$other/$long
	run -0 "$sandbox" start "$dir"
	start_output=$output
	host=$(sed -n "s/^export PGHOST='\(.*\)'\$/\1/p" "$dir/env")
	port=$(sed -n 's/^export PGPORT=//p' "$dir/env")
	[[ $host == /tmp/pgsb.* ]]
	[[ -S $host/.s.PGSQL.$port ]]
	run -0 "$sandbox" env "$dir"
	assert_output "$start_output"
	run -0 "$CDC_PG_BINDIR/psql" -X -At -h "$host" -p "$port" \
	    -U postgres -d postgres -c 'SELECT 1'
	assert_output 1
	pid=$(head -n 1 "$dir/data/postmaster.pid")
	alive "$pid"

	run -0 "$sandbox" stop "$dir"
	assert_output ''
	run -1 alive "$pid"
	[[ ! -e $host ]]
	[[ ! -e $dir ]]
	# Stopping again is a no-op, as teardown paths rely on.
	run -0 "$sandbox" stop "$dir"
	assert_output ''
}
