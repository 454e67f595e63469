#!/usr/bin/env bats
# scripts/shop/attribution and attribution-report against a real PostgreSQL:
# exact results on a morning of hand-written events, and the same
# attribution and reports computed in SQL (tests/fixtures/shop/attribution/
# setup.sql) as the oracle, also for a long random stream through pipes.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
	# seed runs psql from PATH
	export PATH=$CDC_PG_BINDIR:$PATH
	# the morning (events.sql) in database "morning", its stream on file
	shop_db morning --categories 3 --products 10 --users 5
	psql_f morning "$REPO_ROOT/tests/fixtures/shop/attribution/events.sql"
	PGDATABASE=morning pgcdc-tail -S morning --publication shop -E now \
	    --watermarks >"$BATS_FILE_TMPDIR/morning.ndjson"
}

teardown_file() {
	pg_teardown_file
}

setup() {
	F=$REPO_ROOT/tests/fixtures/shop/attribution
	ATTR=$REPO_ROOT/scripts/shop/attribution
	REPORT=$REPO_ROOT/scripts/shop/attribution-report
	D=$BATS_FILE_TMPDIR
	W=$BATS_TEST_TMPDIR
}

# psql_f DB FILE [PSQL-OPTION...]: run an SQL file in database DB, stopping
# at the first error; its rows, unaligned, on stdout.
psql_f() {
	local db=$1 file=$2
	shift 2
	(
		eval "$(<"$CDC_PG_DIR/env")"
		exec "$CDC_PG_BINDIR/psql" -X -q -At -v ON_ERROR_STOP=1 \
		    -d "$db" "$@" -f "$file"
	)
}

# shop_db DB SEED-OPTION...: a new database DB with the shop, the oracle's
# tables (setup.sql) and a slot named DB made before the seed, so that the
# stream has every version of products and users.
shop_db() {
	local db=$1
	shift
	psql_q "CREATE DATABASE $db"
	psql_f "$db" "$REPO_ROOT/scripts/shop/schema.sql" >/dev/null
	psql_f "$db" "$REPO_ROOT/tests/fixtures/shop/attribution/setup.sql" >/dev/null
	PGDATABASE=$db pgcdc-tail -S "$db" --publication shop --create-slot \
	    --snapshot=never -E now >/dev/null
	PGDATABASE=$db "$REPO_ROOT/scripts/shop/seed" "$@"
}
export -f psql_f shop_db

# no_errors: $stderr says nothing but that table versions came late to a
# temporal join: the seed's users arrive in user_id order, not in the order
# of their updated_at, and may come after a checkout has moved the join's
# watermark on.  Harmless (they are applied, and the results are checked).
no_errors() {
	local bad
	bad=$(printf '%s\n' "$stderr" | grep -v -E -e '^$' -e '^interval-join: warning: [0-9]+ late right rows \(applied, but earlier rows may have missed them\)$' || true)
	if [ -n "$bad" ]; then
		printf 'unexpected on stderr:\n%s\n' "$bad" >&2
		return 1
	fi
}

# canon: numbers in their shortest form (jq 1.6 writes 43.50 as 43.5, jq 1.7
# keeps it), member order kept.
canon() {
	jq -c 'map_values(if type == "number" then . + 0 else . end)' "$@"
}

# For a stream that is a file (or pgcdc-tail -E now): the input is never
# idle, so an idle clock would only measure how busy the machine is, and a
# stall under load would move the watermark on and make rows late.
FILE_INPUT="--idle-timeout 1h"
export FILE_INPUT

@test "attribution, attribution-report: usage" {
	run -0 "$ATTR" --help
	assert_line 'usage: attribution [--watermark-delay D] [--idle-timeout D] [--watermarks]'
	run -2 "$ATTR" --within 1h
	assert_output 'attribution: unknown option "--within"
Try "attribution --help" for more information.'
	run -2 "$ATTR" --watermark-delay
	assert_output --partial 'option "--watermark-delay" needs a value'
	run -2 "$ATTR" --idle-timeout=5
	assert_output --partial 'not a duration'
	run -0 "$REPORT" -?
	assert_line 'usage: attribution-report [--size D] [--hop D] [--watermark-delay D]'
	run -2 "$REPORT" --hop=often
	assert_output --partial 'attribution-report: option "--hop": not a duration'
}

@test "attribution: the morning, exactly, and as PostgreSQL computes it" {
	run -0 --separate-stderr "$ATTR" $FILE_INPUT <"$D/morning.ndjson"
	no_errors
	printf '%s\n' "$output" >"$W/got"
	canon "$W/got" | diff -u "$F/expected.ndjson" -
	psql_f morning "$F/oracle.sql" | canon | diff -u - "$F/expected.ndjson"
}

@test "attribution --watermarks: watermark lines between the results, in time order" {
	run -0 --separate-stderr "$ATTR" $FILE_INPUT --watermarks <"$D/morning.ndjson"
	no_errors
	grep -q '^{"__watermark":' <<<"$output"
	grep -v '^{"__watermark":' <<<"$output" | canon | diff -u "$F/expected.ndjson" -
	# no result after a watermark has a time below it
	jq -rs 'reduce .[] as $l ({wm: "", bad: 0};
		if $l.__watermark then .wm = $l.__watermark
		elif $l.checkout_ts < .wm then .bad += 1 else . end) | .bad' \
	    <<<"$output" >"$W/bad"
	[ "$(cat "$W/bad")" = 0 ]
}

@test "attribution-report: the morning's tumbling hours, exactly, and as PostgreSQL computes them" {
	run -0 --separate-stderr bash -c '"$1" $FILE_INPUT <"$2" | "$3" --hop 1h' _ \
	    "$ATTR" "$D/morning.ndjson" "$REPORT"
	no_errors
	printf '%s\n' "$output" | canon | diff -u "$F/report-expected.ndjson" -
	psql_f morning "$F/report-oracle.sql" -v size='1 hour' -v hop='1 hour' |
	    canon | diff -u - "$F/report-expected.ndjson"
}

@test "attribution-report: the last hour every minute (the default) equals PostgreSQL" {
	"$ATTR" $FILE_INPUT --watermarks <"$D/morning.ndjson" | "$REPORT" | canon >"$W/got"
	psql_f morning "$F/report-oracle.sql" -v size='1 hour' \
	    -v hop='1 minute' | canon >"$W/want"
	[ "$(wc -l <"$W/want")" -gt 600 ]
	diff -u "$W/want" "$W/got"
	# the window of 10:40 to 11:40 has the last two of user 1's checkouts
	# and the hour's failures
	run -0 jq -c 'select(.window_start == "2030-01-01T10:40:00.000Z" and
		(.report == "failure" or .source == "newsletter"))' "$W/got"
	assert_output '{"report":"source","window_start":"2030-01-01T10:40:00.000Z","window_end":"2030-01-01T11:40:00.000Z","source":"newsletter","checkouts":1,"revenue":22.5,"profit":9.45}
{"report":"failure","window_start":"2030-01-01T10:40:00.000Z","window_end":"2030-01-01T11:40:00.000Z","reason":"card_expired","failed":2,"amount":48.48}'
}

@test "attribution: a long random stream live through pipes equals PostgreSQL, and so do its reports" {
	shop_db long --categories 3 --products 20 --users 30
	psql_f long "$F/traffic.sql"
	# pgcdc-tail into attribution through a pipe, its tee into FIFOs
	run -0 --separate-stderr bash -c 'set -o pipefail
		PGDATABASE=long pgcdc-tail -S long --publication shop -E now \
		    --watermarks | "$1" $FILE_INPUT --watermarks | tee "$2/attr" |
		"$3" --hop 10m' _ "$ATTR" "$W" "$REPORT"
	no_errors
	printf '%s\n' "$output" | canon >"$W/report"
	grep -v '^{"__watermark":' "$W/attr" | canon >"$W/got"
	psql_f long "$F/oracle.sql" | canon >"$W/want"
	[ "$(wc -l <"$W/want")" -gt 2000 ]
	diff -u "$W/want" "$W/got"
	psql_f long "$F/report-oracle.sql" -v size='1 hour' -v hop='10 minutes' |
	    canon | diff -u - "$W/report"
}

# reading_stdin PID: the process waits in read(2) on its standard input
# (x86-64 system call 0, descriptor 0).
reading_stdin() {
	local sc
	read -r -a sc <"/proc/$1/syscall" || return 1
	[[ ${sc[0]} == 0 && ${sc[1]} == 0x0 ]]
}

@test "attribution: SIGTERM ends the input, the joins drain, nothing is left behind" {
	mkfifo "$W/in"
	mkdir "$W/tmp"
	# the whole morning, then the input stays open
	(
		cat "$D/morning.ndjson"
		: >"$W/fed"
		exec sleep 600
	) >"$W/in" 3>&- &
	local feeder=$! pid status=0
	TMPDIR=$W/tmp "$ATTR" <"$W/in" >"$W/got" 2>"$W/err" 3>&- &
	pid=$!
	# a writer of our own, to see when all of the morning has been read
	exec 4>"$W/in"
	# the checkouts before 10:40 are decided without the end of input...
	wait_until lines_at_least 5 "$W/got"
	[ "$(wc -l <"$W/got")" -ge 5 ]
	[ "$(wc -l <"$W/got")" -lt 9 ]
	local children
	children=$(ps -o pid= --ppid "$pid" | wc -l)
	[ "$children" -ge 5 ]
	# ...the others once it stops
	wait_until test -e "$W/fed"
	wait_until pipe_drained 4
	# tee, the script's head, dies by the signal: first it must have
	# passed on all it read, so it waits for more on its standard input
	local tee
	tee=$(pgrep -P "$pid" -x tee)
	wait_until reading_stdin "$tee"
	kill -TERM "$pid"
	wait "$pid" || status=$?
	kill "$feeder" 2>/dev/null || true
	exec 4>&-
	[ "$status" -eq 0 ]
	stderr=$(cat "$W/err")
	no_errors
	canon "$W/got" | diff -u "$F/expected.ndjson" -
	# its FIFOs' directory is gone, and so are its stages
	run -0 ls -A "$W/tmp"
	assert_output ''
	run -1 pgrep -f "$W/tmp"
}
