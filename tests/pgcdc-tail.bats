#!/usr/bin/env bats
# pgcdc-tail against a real PostgreSQL 15: events, snapshot, resume,
# acknowledgement, reconnection, identifiers, errors.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	# Slots decode the whole database; tests use their own tables and
	# publications, but run one at a time all the same.
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
}

teardown_file() {
	pg_teardown_file
}

setup() {
	slot=$(pg_unique_name slot)
	pub=$(pg_unique_name pub)
	tbl=$(pg_unique_name sales)
	ORACLE=$REPO_ROOT/tests/helpers/cdc-oracle.py
}

teardown() {
	psql_q "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null || true
}

# Events without what changes from run to run: processing time, commit
# time, LSN and transaction id (checked separately where it matters). sed,
# not jq: jq would print 19.90 as 19.9, and exact digits are the point.
norm() {
	sed -E 's/,"(lsn|txId|ts_ms|ts_us)":[0-9]+//g'
}

# tail ARGS...: pgcdc-tail on this test's slot and publication. Not for
# background runs: $! would be the shell running the function, not
# pgcdc-tail; those call pgcdc-tail directly, with bats' fd 3 closed.
tail_run() {
	pgcdc-tail -S "$slot" --publication "$pub" "$@"
}

# slot_active: this test's slot has a walsender streaming from it.
slot_active() {
	[[ $(psql_q "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$slot' AND active") == 1 ]]
}

make_sales() {
	psql_q "CREATE TABLE $tbl (sale_id int PRIMARY KEY, user_id int, total_price numeric(10,2), note text);
		CREATE PUBLICATION $pub FOR TABLE $tbl"
}

@test "initial snapshot, then every kind of change, in order" {
	make_sales
	psql_q "INSERT INTO $tbl VALUES (1, 42, 19.90, 'first'), (2, 7, 5.00, NULL)"
	run -0 --separate-stderr bash -c 'pgcdc-tail -S "$1" --publication "$2" --create-slot -E now | sed -E "s/,\"(lsn|ts_ms|ts_us)\":[0-9]+//g"' _ "$slot" "$pub"
	assert_output "{\"before\":null,\"after\":{\"sale_id\":1,\"user_id\":42,\"total_price\":19.90,\"note\":\"first\"},\"source\":{\"connector\":\"postgresql\",\"db\":\"postgres\",\"schema\":\"public\",\"table\":\"$tbl\",\"txId\":null,\"snapshot\":\"true\"},\"op\":\"r\"}
{\"before\":null,\"after\":{\"sale_id\":2,\"user_id\":7,\"total_price\":5.00,\"note\":null},\"source\":{\"connector\":\"postgresql\",\"db\":\"postgres\",\"schema\":\"public\",\"table\":\"$tbl\",\"txId\":null,\"snapshot\":\"last\"},\"op\":\"r\"}"
	assert_equal "$stderr" ""

	psql_q "INSERT INTO $tbl VALUES (3, 1, 1.50, 'x');
		UPDATE $tbl SET total_price = 2.25 WHERE sale_id = 3;
		UPDATE $tbl SET sale_id = 4 WHERE sale_id = 3;
		DELETE FROM $tbl WHERE sale_id = 1;
		TRUNCATE $tbl"
	tail_run -E now >"$BATS_TEST_TMPDIR/out"
	run -0 norm <"$BATS_TEST_TMPDIR/out"
	assert_output "{\"before\":null,\"after\":{\"sale_id\":3,\"user_id\":1,\"total_price\":1.50,\"note\":\"x\"},\"source\":{\"connector\":\"postgresql\",\"db\":\"postgres\",\"schema\":\"public\",\"table\":\"$tbl\",\"snapshot\":\"false\"},\"op\":\"c\"}
{\"before\":null,\"after\":{\"sale_id\":3,\"user_id\":1,\"total_price\":2.25,\"note\":\"x\"},\"source\":{\"connector\":\"postgresql\",\"db\":\"postgres\",\"schema\":\"public\",\"table\":\"$tbl\",\"snapshot\":\"false\"},\"op\":\"u\"}
{\"before\":{\"sale_id\":3},\"after\":{\"sale_id\":4,\"user_id\":1,\"total_price\":2.25,\"note\":\"x\"},\"source\":{\"connector\":\"postgresql\",\"db\":\"postgres\",\"schema\":\"public\",\"table\":\"$tbl\",\"snapshot\":\"false\"},\"op\":\"u\"}
{\"before\":{\"sale_id\":1},\"after\":null,\"source\":{\"connector\":\"postgresql\",\"db\":\"postgres\",\"schema\":\"public\",\"table\":\"$tbl\",\"snapshot\":\"false\"},\"op\":\"d\"}
{\"before\":null,\"after\":null,\"source\":{\"connector\":\"postgresql\",\"db\":\"postgres\",\"schema\":\"public\",\"table\":\"$tbl\",\"snapshot\":\"false\"},\"op\":\"t\"}"
	# one transaction: one txId; LSNs are integers in commit order
	run -0 jq -s '[.[].source.txId] | unique | length' "$BATS_TEST_TMPDIR/out"
	assert_output 1
	run -0 jq -s '[.[].source.lsn] | (. == sort) and all(type == "number")' "$BATS_TEST_TMPDIR/out"
	assert_output true
	# commit time, as epoch milliseconds, is now-ish (within a day)
	run -0 jq -s --arg now "$(date +%s)" 'all(.source.ts_ms / 1000 - ($now | tonumber) | fabs < 86400)' "$BATS_TEST_TMPDIR/out"
	assert_output true
}

@test "REPLICA IDENTITY FULL: complete before images" {
	make_sales
	psql_q "ALTER TABLE $tbl REPLICA IDENTITY FULL"
	tail_run --create-slot --snapshot=never -E now >/dev/null
	psql_q "INSERT INTO $tbl VALUES (1, 42, 19.90, 'a');
		UPDATE $tbl SET note = 'b';
		DELETE FROM $tbl"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | sed -E "s/,\"source\".*//"' _ "$slot" "$pub"
	assert_output '{"before":null,"after":{"sale_id":1,"user_id":42,"total_price":19.90,"note":"a"}
{"before":{"sale_id":1,"user_id":42,"total_price":19.90,"note":"a"},"after":{"sale_id":1,"user_id":42,"total_price":19.90,"note":"b"}
{"before":{"sale_id":1,"user_id":42,"total_price":19.90,"note":"b"},"after":null'
}

@test "unchanged TOAST values: listed, or filled from the old row under FULL" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY, n int, big text);
		CREATE PUBLICATION $pub FOR TABLE $tbl;
		INSERT INTO $tbl SELECT 1, 0, string_agg(md5(g::text), '') FROM generate_series(1, 400) g"
	tail_run --create-slot --snapshot=never -E now >/dev/null
	psql_q "UPDATE $tbl SET n = 1"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | jq -c "[.after, .source.unchanged_toast]"' _ "$slot" "$pub"
	assert_output '[{"id":1,"n":1},["big"]]'
	psql_q "ALTER TABLE $tbl REPLICA IDENTITY FULL; UPDATE $tbl SET n = 2"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | jq -c "[.after.n, (.after.big | length), .source.unchanged_toast]"' _ "$slot" "$pub"
	assert_output '[2,12800,null]'
}

@test "--endpos now resumes where it stopped; --no-ack replays; --ack confirms" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	psql_q "INSERT INTO $tbl VALUES (1, 1, 1, 'a')"
	run -0 --separate-stderr tail_run -E now --no-ack --lsn-file "$BATS_TEST_TMPDIR/lsn"
	assert_equal "${#lines[@]}" 1
	# written whole through a temporary file, which is gone
	[[ $(cat "$BATS_TEST_TMPDIR/lsn") =~ ^[0-9A-F]+/[0-9A-F]+$ ]]
	[ ! -e "$BATS_TEST_TMPDIR/lsn.tmp" ]
	# nothing was confirmed: the same event again
	run -0 --separate-stderr tail_run -E now --no-ack
	assert_equal "${#lines[@]}" 1
	assert_equal "$stderr" "pgcdc-tail: last written LSN $(cat "$BATS_TEST_TMPDIR/lsn")"
	run -0 --separate-stderr pgcdc-tail -S "$slot" --ack "$(cat "$BATS_TEST_TMPDIR/lsn")"
	assert_output ""
	run -0 psql_q "SELECT confirmed_flush_lsn >= '$(cat "$BATS_TEST_TMPDIR/lsn")' FROM pg_replication_slots WHERE slot_name = '$slot'"
	assert_output t
	run -0 tail_run -E now
	assert_output ""
	# and an acknowledged run moves on by itself
	psql_q "INSERT INTO $tbl VALUES (2, 1, 1, 'b')"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | jq -c .after.sale_id' _ "$slot" "$pub"
	assert_output 2
	run -0 tail_run -E now
	assert_output ""
}

@test "--create-slot is idempotent; --drop-slot drops it" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	psql_q "INSERT INTO $tbl VALUES (1, 1, 1, 'a')"
	# an existing slot is resumed, not snapshotted again
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" --create-slot -E now | jq -c .op' _ "$slot" "$pub"
	assert_output '"c"'
	run -0 pgcdc-tail -S "$slot" --drop-slot
	run -0 psql_q "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '$slot'"
	assert_output 0
}

@test "identifiers with quotes and spaces; --create-publication --tables" {
	psql_q "CREATE SCHEMA \"my schema\";
		CREATE TABLE \"my schema\".\"Odd \"\"Name\"\" tbl\" (id int PRIMARY KEY, \"a \"\"col\"\"\" text);
		INSERT INTO \"my schema\".\"Odd \"\"Name\"\" tbl\" VALUES (1, 'x')"
	oddpub="pub \"$pub\"; DROP TABLE x"
	run -0 --separate-stderr bash -c 'pgcdc-tail -S "$1" --publication "$2" --create-publication --tables "my schema.Odd \"Name\" tbl" --create-slot -E now | jq -c "[.source.schema, .source.table, .after]"' _ "$slot" "$oddpub"
	assert_output '["my schema","Odd \"Name\" tbl",{"id":1,"a \"col\"":"x"}]'
	run -0 psql_q "SELECT pubname FROM pg_publication WHERE pubname LIKE 'pub %'"
	assert_output "$oddpub"
	run -0 psql_q "SELECT count(*) FROM pg_publication_tables WHERE pubname = \$\$$oddpub\$\$"
	assert_output 1
}

@test "snapshot and stream meet exactly while other sessions write" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY, v int, note text);
		ALTER TABLE $tbl REPLICA IDENTITY FULL;
		CREATE PUBLICATION $pub FOR TABLE $tbl;
		INSERT INTO $tbl SELECT g, g, 'n' || g FROM generate_series(1, 2000) g"
	# writers change the table before, during and after the snapshot
	(
		exec 3>&-
		for i in $(seq 1 60); do
			psql_q "INSERT INTO $tbl VALUES (2000 + $i, $i, 'new');
				UPDATE $tbl SET v = v + 1 WHERE id % 37 = $i % 37;
				DELETE FROM $tbl WHERE id = $i * 11" >/dev/null
		done
	) &
	writers=$!
	sleep 0.3
	tail_run --create-slot -E now >"$BATS_TEST_TMPDIR/ev"
	wait "$writers"
	tail_run -E now >>"$BATS_TEST_TMPDIR/ev"
	grep -q '"op":"r"' "$BATS_TEST_TMPDIR/ev"
	cdc-unwrap --changelog "$BATS_TEST_TMPDIR/ev" >"$BATS_TEST_TMPDIR/log"
	python3 "$ORACLE" replay <"$BATS_TEST_TMPDIR/log" | jq -cS . >"$BATS_TEST_TMPDIR/replayed"
	psql_q "SELECT row_to_json(t) FROM $tbl t" | jq -cS . | sort >"$BATS_TEST_TMPDIR/table"
	run -0 sort "$BATS_TEST_TMPDIR/replayed"
	diff_expected "$BATS_TEST_TMPDIR/table"
	[ "${#lines[@]}" -gt 1900 ]
}

@test "kill -9 mid-stream, then resume: nothing lost" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	pgcdc-tail -S "$slot" --publication "$pub" >"$BATS_TEST_TMPDIR/a" 2>/dev/null 3>&- &
	pid=$!
	for i in $(seq 1 200); do echo "INSERT INTO $tbl VALUES ($i, 1, 1, 'k');"; done >"$BATS_TEST_TMPDIR/sql"
	psql_q "$(head -n 100 "$BATS_TEST_TMPDIR/sql" | tr '\n' ' ')" >/dev/null
	for i in $(seq 101 200); do psql_q "INSERT INTO $tbl VALUES ($i, 1, 1, 'k')"; done
	kill -9 "$pid"
	wait "$pid" || true
	tail_run -E now >"$BATS_TEST_TMPDIR/b"
	run -0 bash -c 'cat "$1" "$2" | jq -r "select(.op == \"c\") | .after.sale_id" | sort -n | uniq | wc -l' _ "$BATS_TEST_TMPDIR/a" "$BATS_TEST_TMPDIR/b"
	assert_output 200
}

@test "a server restart mid-stream: reconnect, nothing lost, nothing twice" {
	# Also proves the idle confirmations: a server shutting down waits
	# for its walsenders until the client confirms all they sent.
	make_sales
	tail_run --create-slot -E now >/dev/null
	pgcdc-tail -S "$slot" --publication "$pub" -v >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	psql_q "INSERT INTO $tbl VALUES (1, 1, 1, 'before')"
	wait_until grep -q '"note":"before"' "$BATS_TEST_TMPDIR/out"
	runuser -u postgres -- "$CDC_PG_BINDIR/pg_ctl" -D "$CDC_PG_DIR/data" -m fast -w -t 30 restart -l "$CDC_PG_DIR/log" >/dev/null 2>&1 3>&-
	psql_q "INSERT INTO $tbl VALUES (2, 1, 1, 'after')"
	wait_until grep -q '"note":"after"' "$BATS_TEST_TMPDIR/out"
	kill -TERM "$pid"
	wait "$pid"
	run -0 jq -r .after.note "$BATS_TEST_TMPDIR/out"
	assert_output 'before
after'
	run -0 grep -c -e 'reconnecting in 1 s' -e '^pgcdc-tail: reconnected$' "$BATS_TEST_TMPDIR/err"
	assert_output 2
}

@test "SIGINT stops cleanly with status 0 after confirming what was written" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	pgcdc-tail -S "$slot" --publication "$pub" >"$BATS_TEST_TMPDIR/out" 3>&- &
	pid=$!
	psql_q "INSERT INTO $tbl VALUES (1, 1, 1, 'live')"
	wait_until test -s "$BATS_TEST_TMPDIR/out"
	kill -INT "$pid"
	wait "$pid"
	run -0 jq -r .after.note "$BATS_TEST_TMPDIR/out"
	assert_output live
	run -0 tail_run -E now
	assert_output ""
}

@test "a reader that goes away: exit 0, and nothing confirmed" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	psql_q "INSERT INTO $tbl SELECT g, 1, 1, repeat('x', 200) FROM generate_series(1, 20000) g"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | head -n 1 | jq -r .after.sale_id; echo "status ${PIPESTATUS[0]}"' _ "$slot" "$pub"
	assert_output '1
status 0'
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | wc -l' _ "$slot" "$pub"
	assert_output 20000
}

@test "an unreachable server is one clear line and exit 1" {
	run -1 --separate-stderr pgcdc-tail -h "$BATS_TEST_TMPDIR/nowhere" -S s --publication p
	assert_output ""
	assert_equal "${#stderr_lines[@]}" 1
	assert_equal "${stderr_lines[0]}" "pgcdc-tail: could not connect to server: connection to server on socket \"$BATS_TEST_TMPDIR/nowhere/.s.PGSQL.$PGPORT\" failed: No such file or directory; Is the server running locally and accepting connections on that socket?"
}

@test "a missing slot or publication is a server error, exit 1" {
	make_sales
	run -1 --separate-stderr pgcdc-tail -S no_such_slot --publication "$pub" -E now
	assert_equal "$stderr" 'pgcdc-tail: could not start streaming: ERROR:  replication slot "no_such_slot" does not exist'
	run -1 --separate-stderr pgcdc-tail -S no_such_slot --publication no_such_pub -E now
	assert_equal "$stderr" 'pgcdc-tail: publication "no_such_pub" does not exist in database "postgres": create it (CREATE PUBLICATION, or --create-publication)'
}

@test "usage errors" {
	run -2 --separate-stderr pgcdc-tail --publication p
	assert_equal "${stderr_lines[0]}" "pgcdc-tail: no slot given: use -S/--slot"
	run -2 --separate-stderr pgcdc-tail -S s
	assert_equal "${stderr_lines[0]}" "pgcdc-tail: no publication given: use --publication"
	run -2 --separate-stderr pgcdc-tail -S s --publication p -E 12
	assert_equal "${stderr_lines[0]}" 'pgcdc-tail: invalid value "12" for option --endpos: not an LSN or "now"'
	run -2 --separate-stderr pgcdc-tail -S s --ack nope
	assert_equal "${stderr_lines[0]}" 'pgcdc-tail: invalid value "nope" for option --ack: not an LSN (like 16/B374D848)'
	run -2 --separate-stderr pgcdc-tail -S s --publication p --tables a
	assert_equal "${stderr_lines[0]}" "pgcdc-tail: --tables needs --create-publication"
	run -2 --separate-stderr pgcdc-tail -S s --publication p --numeric=text
	assert_equal "${stderr_lines[0]}" 'pgcdc-tail: invalid value "text" for option --numeric: expected number or string'
	run -2 --separate-stderr pgcdc-tail -S s --publication p extra
	assert_equal "${stderr_lines[0]}" 'pgcdc-tail: too many arguments: "extra"'
}

@test "--numeric=string quotes numerics" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	psql_q "INSERT INTO $tbl VALUES (1, 1, 19.90, 'a')"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now --numeric=string | jq -c .after.total_price' _ "$slot" "$pub"
	assert_output '"19.90"'
}

@test "dates and times outside years 0001-9999 and infinities: the same in the snapshot and the stream" {
	psql_q "CREATE TABLE $tbl (id int PRIMARY KEY, d date, ts timestamp,
	        tz timestamptz, a timestamptz[]);
	    CREATE PUBLICATION $pub FOR TABLE $tbl"
	rows="(1, 'infinity', '-infinity', 'infinity', '{infinity,-infinity}'),
	    (2, '0045-03-15 BC', '0045-03-15 12:00:00.5 BC',
	        '0045-03-15 12:00:00.5+00 BC', '{\"0001-01-01 00:00:00+00 BC\"}'),
	    (3, '10000-01-01', '10000-01-01 00:00:00', '10000-01-01 00:00:00+00',
	        NULL)"
	want='{"id":1,"d":"infinity","ts":"-infinity","tz":"infinity","a":["infinity","-infinity"]}
{"id":2,"d":"-0044-03-15","ts":"-0044-03-15T12:00:00.5","tz":"-0044-03-15T12:00:00.500Z","a":["0000-01-01T00:00:00.000Z"]}
{"id":3,"d":"+10000-01-01","ts":"+10000-01-01T00:00:00","tz":"+10000-01-01T00:00:00.000Z","a":null}'
	psql_q "INSERT INTO $tbl VALUES $rows"
	tail_run --create-slot -E now >"$BATS_TEST_TMPDIR/snap"
	run -0 jq -c .after "$BATS_TEST_TMPDIR/snap"
	assert_output "$want"
	psql_q "DELETE FROM $tbl; INSERT INTO $tbl VALUES $rows"
	tail_run -E now >"$BATS_TEST_TMPDIR/stream"
	run -0 jq -c 'select(.op == "c") | .after' "$BATS_TEST_TMPDIR/stream"
	assert_output "$want"
	# PostgreSQL's last timestamps are past what the other tools hold:
	# written all the same, then out of range for them
	psql_q "INSERT INTO $tbl VALUES (4, '5874897-12-31',
	    '294276-12-31 23:59:59.999999', '294276-12-31 23:59:59.999999+00', NULL)"
	tail_run -E now >"$BATS_TEST_TMPDIR/last"
	run -0 jq -c .after "$BATS_TEST_TMPDIR/last"
	assert_output '{"id":4,"d":"+5874897-12-31","ts":"+294276-12-31T23:59:59.999999","tz":"+294276-12-31T23:59:59.999999Z","a":null}'
	run -1 --separate-stderr bash -c 'cdc-unwrap "$1" | window-agg -t tz --tumble 1d -a count' _ "$BATS_TEST_TMPDIR/last"
	assert_equal "$stderr" 'window-agg: stdin:1: field "tz": timestamp out of range: "+294276-12-31T23:59:59.999999Z"'
	# the next stages read the rest: Parquet (DuckDB's view of it) ...
	run -0 bash -c 'set -o pipefail; cat "$1" "$2" | cdc-unwrap |
	    to-parquet-csv -o "$3" --schema "d:date,tz:timestamp" &&
	    "$4" "SELECT id, d, tz, isinf(tz) AS inf FROM read_parquet('"'"'$3'"'"') ORDER BY id"' \
	    _ "$BATS_TEST_TMPDIR/snap" "$BATS_TEST_TMPDIR/stream" "$BATS_TEST_TMPDIR/x.parquet" \
	    "$REPO_ROOT/scripts/duckdb-query"
	assert_output '{"id":1,"d":"infinity","tz":"infinity","inf":true}
{"id":1,"d":"infinity","tz":"infinity","inf":true}
{"id":2,"d":"-0044-03-15","tz":"-0044-03-15T12:00:00.500Z","inf":false}
{"id":2,"d":"-0044-03-15","tz":"-0044-03-15T12:00:00.500Z","inf":false}
{"id":3,"d":"+10000-01-01","tz":"+10000-01-01T00:00:00.000Z","inf":false}
{"id":3,"d":"+10000-01-01","tz":"+10000-01-01T00:00:00.000Z","inf":false}'
	# ... and window-agg, which counts the finite times and refuses the
	# infinite one
	run -0 --separate-stderr bash -c 'set -o pipefail; cdc-unwrap "$1" |
	    window-agg --on-error skip -t ts --tumble 1d -a count' _ "$BATS_TEST_TMPDIR/snap"
	assert_output '{"window_start":"-0044-03-15T00:00:00.000Z","window_end":"-0044-03-16T00:00:00.000Z","count":1}
{"window_start":"+10000-01-01T00:00:00.000Z","window_end":"+10000-01-02T00:00:00.000Z","count":1}'
	assert_equal "$stderr" 'window-agg: warning: stdin:1: field "ts": no window holds "-infinity" (line skipped)
window-agg: warning: skipped 1 bad line'
}

@test "a large transaction streams in constant memory" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	# Under ASan, freed blocks (libpq allocates every message) sit in a
	# 256 MB quarantine and would look like growth: keep it small here.
	export ASAN_OPTIONS=$ASAN_OPTIONS:quarantine_size_mb=1
	# peak RSS in KiB for one transaction of N rows
	peak() {
		psql_q "INSERT INTO $tbl SELECT g, g % 1000, g / 100.0, 'row ' || g FROM generate_series($1, $2) g"
		run -0 bash -c '/usr/bin/time -f %M pgcdc-tail -S "$1" --publication "$2" -E now 2>"$3" | wc -l' _ "$slot" "$pub" "$BATS_TEST_TMPDIR/rss"
		assert_output "$(($2 - $1 + 1))"
		tail -n 1 "$BATS_TEST_TMPDIR/rss"
	}
	small=$(peak 1 30000)
	large=$(peak 30001 1030000)
	# 33 times the rows, about the same memory (the transaction itself
	# is ~100 MB of events)
	[ "$large" -lt $((small * 3 / 2)) ] || fail "peak RSS $small KiB for 30k rows, $large KiB for 1M"
	case $BUILD in
	*asan*) ;;	# sanitizer shadow memory: only the ratio says something
	*) [ "$large" -lt 16384 ] || fail "peak RSS $large KiB for 1M rows" ;;
	esac
}

@test "--watermarks: commit times after each transaction, moving forward" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	psql_q "INSERT INTO $tbl VALUES (1, 1, 1, 'a')"
	psql_q "INSERT INTO $tbl VALUES (2, 1, 1, 'b')"
	tail_run -E now --watermarks --watermark-interval=0s >"$BATS_TEST_TMPDIR/out"
	# each transaction is followed by its commit time as a watermark
	run -0 jq -r 'if .__watermark then "wm " + .__watermark else "ev " + (.source.ts_ms | tostring) end' "$BATS_TEST_TMPDIR/out"
	assert_equal "${#lines[@]}" 4
	for i in 0 2; do
		ms=${lines[$i]#ev }
		want=$(jq -rn --argjson ms "$ms" '$ms / 1000 | strftime("%Y-%m-%dT%H:%M:%S")')
		[[ ${lines[$((i + 1))]} == "wm $want."???"Z" ]] || fail "line $i: ${lines[$i]} / ${lines[$((i + 1))]}"
		[ "${lines[$((i + 1))]}" = "wm $want.$(printf %03d $((ms % 1000)))Z" ]
	done
	# without --watermarks there are none
	psql_q "INSERT INTO $tbl VALUES (3, 1, 1, 'c')"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | { grep -c __watermark || true; }' _ "$slot" "$pub"
	assert_output 0
}

@test "--watermark-interval limits how often watermarks come" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	for i in 1 2 3 4 5; do psql_q "INSERT INTO $tbl VALUES ($i, 1, 1, 'a')"; done
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now --watermarks --watermark-interval=1h | grep -c __watermark' _ "$slot" "$pub"
	assert_output 1
}

@test "--max-lag-bytes warns when the slot holds too much WAL" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	psql_q "INSERT INTO $tbl SELECT g, 1, 1, 'x' FROM generate_series(1, 1000) g"
	run -0 --separate-stderr tail_run -E now --max-lag-bytes=1k
	assert_equal "${#lines[@]}" 1000
	# once: the lag only falls when a confirmation comes, after the
	# transaction, however the server's messages interleave
	assert_equal "$stderr" "pgcdc-tail: warning: slot \"$slot\" holds 0 MB of WAL on the server (over --max-lag-bytes): the pipeline is not keeping up"
	run -2 --separate-stderr tail_run --max-lag-bytes=lots
	assert_equal "${stderr_lines[0]}" 'pgcdc-tail: invalid value "lots" for option --max-lag-bytes: not a size (digits, then k, M or G)'
}

@test "--progress reports the snapshot per table, with the estimated total" {
	make_sales
	psql_q "INSERT INTO $tbl SELECT g, 1, 1, 'x' FROM generate_series(1, 500) g; ANALYZE $tbl"
	run -0 --separate-stderr tail_run --create-slot -E now --progress
	assert_equal "${#lines[@]}" 500
	[[ $stderr =~ ^pgcdc-tail:\ snapshot\ of\ public\.$tbl:\ 500\ of\ ~500\ rows,\ [0-9.]+\ s,\ [0-9]+\ rows/s$ ]] ||
		fail "stderr: $stderr"
	# not a terminal and no --progress: nothing
	psql_q "SELECT pg_drop_replication_slot('$slot')"
	run -0 --separate-stderr tail_run --create-slot -E now
	assert_equal "$stderr" ""
}

@test "a wrong password is one clear line and exit 1" {
	role=$(pg_unique_name pw)
	psql_q "CREATE ROLE $role LOGIN REPLICATION PASSWORD 'right'"
	hba=$CDC_PG_DIR/data/pg_hba.conf
	cp "$hba" "$BATS_TEST_TMPDIR/hba"
	{ echo "local all $role scram-sha-256"; echo "local replication $role scram-sha-256"; cat "$BATS_TEST_TMPDIR/hba"; } >"$hba"
	psql_q "SELECT pg_reload_conf()" >/dev/null
	PGPASSWORD=wrong run -1 --separate-stderr pgcdc-tail -U "$role" -S s --publication p
	assert_output ""
	assert_equal "$stderr" "pgcdc-tail: could not connect to server: connection to server on socket \"$PGHOST/.s.PGSQL.$PGPORT\" failed: FATAL:  password authentication failed for user \"$role\""
	run -1 --separate-stderr pgcdc-tail -w -U "$role" -S s --publication p
	assert_equal "$stderr" "pgcdc-tail: could not connect to server: connection to server on socket \"$PGHOST/.s.PGSQL.$PGPORT\" failed: fe_sendauth: no password supplied"
	cp "$BATS_TEST_TMPDIR/hba" "$hba"
	psql_q "SELECT pg_reload_conf()" >/dev/null
}

@test "DDL: a column added mid-stream shows up in the next events" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	psql_q "INSERT INTO $tbl VALUES (1, 1, 1, 'a');
		ALTER TABLE $tbl ADD COLUMN coupon text;
		INSERT INTO $tbl VALUES (2, 1, 1, 'b', 'BLACKFRIDAY');
		ALTER TABLE $tbl DROP COLUMN note;
		INSERT INTO $tbl VALUES (3, 1, 1, NULL)"
	run -0 bash -c 'pgcdc-tail -S "$1" --publication "$2" -E now | sed -E "s/,\"source\".*//"' _ "$slot" "$pub"
	assert_output '{"before":null,"after":{"sale_id":1,"user_id":1,"total_price":1.00,"note":"a"}
{"before":null,"after":{"sale_id":2,"user_id":1,"total_price":1.00,"note":"b","coupon":"BLACKFRIDAY"}
{"before":null,"after":{"sale_id":3,"user_id":1,"total_price":1.00,"coupon":null}'
}

@test "the cron recipe: a failed run confirms nothing and is repeated" {
	make_sales
	state=$BATS_TEST_TMPDIR/state
	psql_q "INSERT INTO $tbl VALUES (1, 1, 1, 'snap')"
	SLOT=$slot PUBLICATION=$pub run -0 "$REPO_ROOT/scripts/cron/shop-minute.sh" "$state"
	run -0 bash -c 'cat "$1"/batch.*.ndjson | jq -r .note' _ "$state"
	assert_output snap
	rm "$state"/batch.*.ndjson
	psql_q "INSERT INTO $tbl VALUES (2, 1, 1, 'next')"
	# a stage fails: cdc-unwrap is replaced by one that fails
	mkdir "$BATS_TEST_TMPDIR/bin"
	printf '#!/bin/sh\ncat >/dev/null; exit 1\n' >"$BATS_TEST_TMPDIR/bin/cdc-unwrap"
	chmod +x "$BATS_TEST_TMPDIR/bin/cdc-unwrap"
	PATH=$BATS_TEST_TMPDIR/bin:$PATH SLOT=$slot PUBLICATION=$pub run -1 "$REPO_ROOT/scripts/cron/shop-minute.sh" "$state"
	# the next good run sees the change again
	SLOT=$slot PUBLICATION=$pub run -0 "$REPO_ROOT/scripts/cron/shop-minute.sh" "$state"
	run -0 bash -c 'cat "$1"/batch.*.ndjson | jq -r "[.__kind, .note] | join(\" \")"' _ "$state"
	assert_output '+I next'
	# and only once: it was confirmed this time
	SLOT=$slot PUBLICATION=$pub run -0 "$REPO_ROOT/scripts/cron/shop-minute.sh" "$state"
	run -0 bash -c 'cat "$1"/batch.*.ndjson | wc -l' _ "$state"
	assert_output 1
}

@test "with --endpos a lost connection is an error, exit 1" {
	make_sales
	tail_run --create-slot -E now >/dev/null
	# an end position far ahead: it waits, streaming, until the server goes
	pgcdc-tail -S "$slot" --publication "$pub" -E FFFFFFFF/0 >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_until slot_active
	runuser -u postgres -- "$CDC_PG_BINDIR/pg_ctl" -D "$CDC_PG_DIR/data" -m fast -w -t 30 restart -l "$CDC_PG_DIR/log" >/dev/null 2>&1 3>&-
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 1
	run -0 cat "$BATS_TEST_TMPDIR/err"
	assert_output --regexp '^pgcdc-tail: the server ended the stream: .+$'
	assert_equal "${#lines[@]}" 1
}
