#!/usr/bin/env bats
# stage: the control lines of DESIGN.md section 8 through every tool (the
# stage driver, common/stage.c): barriers, restores and commits pass
# through in stream order, after the output of the lines before them, and
# are never rows; interval-join aligns its two inputs; a stateful stage
# refuses to restore a checkpoint it has no snapshot of; in a checkpointed
# stream a signal no longer stops a stage before its input ends.

load helpers/common

setup() {
	T=$BATS_TEST_TMPDIR
}

# sigterm_caught PID: the process has a handler for SIGTERM (SigCgt of
# /proc/PID/status, bit 15).
sigterm_caught() {
	local mask
	mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status")
	(((16#$mask & 0x4000) != 0))
}

R0='{"__restore":0,"__lsn":"0/16B3748"}'
C1='{"__checkpoint":1,"__lsn":"0/16B3790"}'
C2='{"__checkpoint":2,"__lsn":"0/16B37D8"}'
K1='{"__committed":1}'
EV1='{"before":null,"after":{"id":1,"v":"a"},"source":{"schema":"public","table":"t"},"op":"c"}'
EV2='{"before":{"id":1,"v":"a"},"after":{"id":1,"v":"b"},"source":{"schema":"public","table":"t"},"op":"u"}'

@test "cdc-unwrap: control lines pass through in place, rows and changelog alike" {
	printf '%s\n' "$R0" "$EV1" "$C1" "$K1" "$EV2" '{"__watermark":"2026-11-22T10:00:00Z"}' "$C2" >"$T/in"
	run -0 --separate-stderr cdc-unwrap -v "$T/in"
	assert_output "$R0"'
{"id":1,"v":"a"}
'"$C1"'
'"$K1"'
{"id":1,"v":"b"}
{"__watermark":"2026-11-22T10:00:00Z"}
'"$C2"
	# a watermark passes through, control lines are neither rows nor
	# lines passed through
	assert_equal "$stderr" "cdc-unwrap: 7 lines read, 2 rows written, 1 lines passed through"
	run -0 cdc-unwrap --changelog --watermark-delay 1s "$T/in"
	assert_output "$R0"'
{"__kind":"+I","id":1,"v":"a"}
'"$C1"'
'"$K1"'
{"__kind":"-U","id":1,"v":"a"}
{"__kind":"+U","id":1,"v":"b"}
{"__watermark":"2026-11-22T09:59:59.000Z"}
'"$C2"
}

@test "window-agg: windows a watermark closes are written before the barrier after it" {
	printf '%s\n' "$R0" '{"t":"2026-11-22T10:00:01Z"}' '{"t":"2026-11-22T10:00:30Z"}' \
		'{"__watermark":"2026-11-22T10:01:00Z"}' "$C1" '{"t":"2026-11-22T10:01:05Z"}' \
		"$C2" "$K1" >"$T/in"
	run -0 --separate-stderr window-agg -v -t t --tumble 1m -a count "$T/in"
	assert_output "$R0"'
{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":2}
'"$C1"'
'"$C2"'
'"$K1"'
{"window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:02:00.000Z","count":1}'
	assert_equal "$stderr" "window-agg: 3 rows read, 2 results written; at most 1 windows and 1 groups open"
	# a barrier before the watermark comes before what it fires; this
	# stage's watermark follows the results, as before
	printf '%s\n' '{"t":"2026-11-22T10:00:01Z"}' "$C1" '{"__watermark":"2026-11-22T10:01:00Z"}' "$C2" >"$T/in"
	run -0 window-agg -t t --tumble 1m -a count --watermarks "$T/in"
	assert_output "$C1"'
{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":1}
{"__watermark":"2026-11-22T10:01:00.000Z"}
'"$C2"
}

@test "top-n: partitions a watermark closes are ranked before the barrier after it" {
	W='"window_end":"2026-11-22T10:01:00Z"'
	printf '%s\n' "$R0" "{$W,\"id\":1,\"v\":5}" "{$W,\"id\":2,\"v\":9}" "$C1" \
		'{"__watermark":"2026-11-22T10:01:00Z"}' "$C2" "{$W,\"id\":3,\"v\":1}" >"$T/in"
	run -0 --separate-stderr top-n -v -n 1 --by v -p window_end "$T/in"
	assert_output "$R0"'
'"$C1"'
{'"$W"',"id":2,"v":9,"rank":1}
'"$C2"
	# the late row after the watermark is counted, no control line is
	assert_equal "$stderr" "top-n: warning: 1 late rows dropped (window_end at or before the watermark)
top-n: 3 rows read, 1 rows written; at most 1 partitions open and 1 rows held"
	# --emit update: each change before the barrier that follows it
	printf '%s\n' '{"v":1}' "$C1" '{"v":2}' "$C2" >"$T/in"
	run -0 top-n -n 1 --by v --emit update "$T/in"
	assert_output '{"__kind":"+I","v":1,"rank":1}
'"$C1"'
{"__kind":"-U","v":1,"rank":1}
{"__kind":"+U","v":2,"rank":1}
'"$C2"
}

@test "to-parquet-csv: control lines never become rows" {
	printf '%s\n' "$R0" '{"a":1}' "$C1" '{"__watermark":"2026-11-22T10:00:00Z"}' "$K1" '{"a":2}' >"$T/in"
	run -0 --separate-stderr to-parquet-csv -v -f csv -o - "$T/in"
	assert_output 'a
1
2'
	assert_equal "$stderr" "to-parquet-csv: 2 rows written to standard output
to-parquet-csv: 1 watermark lines skipped"
	run -0 to-parquet-csv -o "$T/out.parquet" "$T/in"
	run -0 "$REPO_ROOT/tests/helpers/parquet-rows" "$T/out.parquet"
	assert_output '{"a":1}
{"a":2}'
}

@test "interval-join: barriers and restores go out once, when both inputs delivered them" {
	printf '%s\n' "$R0" '{"k":1,"t":0}' "$C1" '{"k":2,"t":5}' "$C2" >"$T/l"
	printf '%s\n' "$R0" '{"k":1,"t":1}' "$C1" "$K1" '{"k":2,"t":6}' "$C2" "$K1" >"$T/r"
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t --right-time t --within=0,1ms
	assert_output "$R0"'
{"k":1,"t":0,"right_k":1,"right_t":1}
'"$C1"'
'"$K1"'
{"k":2,"t":5,"right_k":2,"right_t":6}
'"$C2"
	# an input at its end has delivered every barrier (with no right row,
	# unmatched left rows have no right fields to add)
	printf '%s\n' "$R0" >"$T/r"
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t --right-time t --within=0,1ms --type left
	assert_output "$R0"'
'"$C1"'
{"k":1,"t":0}
'"$C2"'
{"k":2,"t":5}'
	# an input without __restore (a table read from a file) takes no part:
	# its barriers are not forwarded
	printf '%s\n' '{"k":1,"t":1}' "$C1" >"$T/r"
	run -0 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t --right-time t --within=0,1ms
	assert_output "$R0"'
{"k":1,"t":0,"right_k":1,"right_t":1}
'"$C1"'
'"$C2"
	assert_equal "$stderr" "interval-join: warning: $T/r:2: barrier 1 on an input that did not begin with __restore: not forwarded"
}

@test "interval-join: an input that delivered a barrier is not read further until the other delivers it" {
	mkfifo "$T/l" "$T/r"
	interval-join --left "$T/l" --right "$T/r" --on k --left-time t --right-time t \
		--within=0,0 >"$T/out" 3>&- &
	pid=$!
	exec 4>"$T/l" 5>"$T/r"
	# the left input's row after barrier 1 would meet the right's row
	# before it: it must wait until the right input has delivered 1 too
	printf '%s\n' "$R0" '{"k":1,"t":0}' "$C1" '{"k":2,"t":0}' >&4
	wait_until pipe_drained 4
	printf '%s\n' "$R0" '{"k":2,"t":0}' >&5
	wait_until pipe_drained 5
	# the stalled barrier goes out once the right input delivers it,
	# with both inputs still open
	printf '%s\n' "$C1" >&5
	wait_until grep -q '"right_k"' "$T/out"
	exec 4>&- 5>&-
	wait "$pid"
	run cat "$T/out"
	assert_output "$R0"'
'"$C1"'
{"k":2,"t":0,"right_k":2,"right_t":0}'
}

@test "interval-join: both inputs restore one checkpoint, barriers in one order" {
	printf '%s\n' "$R0" >"$T/l"
	printf '%s\n' '{"__restore":1,"__lsn":"0/16B3748"}' >"$T/r"
	run -1 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t --right-time t --within=0,1ms
	assert_output "$R0"
	assert_equal "$stderr" "interval-join: $T/r:1: __restore 1, where the other input restores 0"
	printf '%s\n' "$R0" "$C2" '{"k":1,"t":0}' >"$T/l"
	printf '%s\n' "$R0" "$C1" >"$T/r"
	run -1 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t --right-time t --within=0,1ms
	assert_output "$R0"
	assert_equal "$stderr" "interval-join: $T/r:2: barrier 1, where the other input delivered 2"
}

@test "a stateful stage refuses to restore a checkpoint it has no snapshot of" {
	R3='{"__restore":3,"__lsn":"0/16B3748"}'
	check() {
		local want=$1
		shift
		run -1 --separate-stderr "$@" <<<"$R3"
		assert_output ''
		assert_equal "$stderr" "$want"
	}
	check 'window-agg: stdin:1: cannot restore checkpoint 3 without --state' \
		window-agg -t t --tumble 1m -a count
	check 'top-n: stdin:1: cannot restore checkpoint 3 without --state' \
		top-n -n 1 --by v
	check 'cdc-unwrap: stdin:1: cannot restore checkpoint 3 without --state' \
		cdc-unwrap --changelog --complete-before
	check "window-agg: stdin:1: cannot restore checkpoint 3 from \"$T/st.3\": snapshots per checkpoint are not implemented yet" \
		window-agg -t t --tumble 1m -a count --state "$T/st"
	printf '%s\n' "$R3" >"$T/r3"
	run -1 --separate-stderr interval-join --left "$T/r3" --right /dev/null --on k --left-time t \
		--right-time t --within=0,1ms
	assert_equal "$stderr" "interval-join: $T/r3:1: cannot restore checkpoint 3 without --state"
	# a stateless stage passes it on; a fresh start (0) is no restore
	run -0 cdc-unwrap --changelog <<<"$R3"
	assert_output "$R3"
	run -0 window-agg -t t --tumble 1m -a count <<<"$R0"
	assert_output "$R0"
}

@test "__restore is the first line of a stream" {
	printf '%s\n' '{"t":0}' "$R0" '{"t":1}' >"$T/in"
	run -1 --separate-stderr window-agg -t t --tumble 1m -a count "$T/in"
	assert_output ''
	assert_equal "$stderr" "window-agg: $T/in:2: __restore 0: not the first line of the stream"
}

@test "control lines that are not well formed are bad lines" {
	printf '%s\n' '{"__checkpoint":0,"__lsn":"0/1"}' '{"__checkpoint":1}' \
		'{"__restore":1,"__lsn":"0/1","__offset":3}' '{"__checkpoint":1,"__lsn":"x/1"}' \
		'{"__committed":1,"__checkpoint":1,"__lsn":"0/1"}' '{"__committed":-1}' \
		'{"__checkpoint":1,"__offset":4}' >"$T/in"
	run -1 --separate-stderr top-n -n 1 --by v "$T/in"
	assert_equal "$stderr" "top-n: $T/in:1: field \"__checkpoint\": not a checkpoint number: 0"
	run -0 --separate-stderr top-n --on-error skip -n 1 --by v "$T/in"
	assert_output '{"__checkpoint":1,"__offset":4}'
	assert_equal "$stderr" "top-n: warning: $T/in:1: field \"__checkpoint\": not a checkpoint number: 0 (line skipped)
top-n: warning: $T/in:2: field \"__checkpoint\": no position: \"__lsn\" or \"__offset\" missing (line skipped)
top-n: warning: $T/in:3: field \"__restore\": both \"__lsn\" and \"__offset\" (line skipped)
top-n: warning: $T/in:4: field \"__lsn\": not an LSN (X/Y): \"x/1\" (line skipped)
top-n: warning: $T/in:5: \"__checkpoint\" and \"__committed\" in one line (line skipped)
top-n: warning: $T/in:6: field \"__committed\": not a checkpoint number: -1 (line skipped)
top-n: warning: skipped 6 bad lines"
}

# term_after NAME LINE...: window-agg reading the FIFO $T/NAME, open on
# descriptor 4, is sent SIGTERM once it has read the LINEs; $pid is its.
term_after() {
	mkfifo "$T/$1"
	window-agg -t t --tumble 1m -a count <"$T/$1" >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	exec 4>"$T/$1"
	printf '%s\n' "${@:2}" >&4
	wait_until pipe_drained 4
	wait_until sigterm_caught "$pid"
	kill -TERM "$pid"
}

@test "a checkpointed stream: SIGTERM waits for the end of input, a second signal ends the stage" {
	term_after in "$R0" '{"t":0}'
	# taken: the next one would end the stage at once
	wait_until eval '! sigterm_caught "$pid"'
	# still reading: the coordinator ends the stream with its last barrier
	printf '%s\n' '{"t":1}' "$C1" >&4
	exec 4>&-
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	run cat "$T/out"
	assert_output "$R0"'
'"$C1"'
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","count":2}'
	assert_equal "$(cat "$T/err")" ""
	# the second signal
	term_after in2 "$R0" '{"t":0}'
	wait_until eval '! sigterm_caught "$pid"'
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 4>&-
	assert_equal "$rc" $((128 + 15))
}

@test "a stream without __restore: SIGTERM stops reading, as before" {
	term_after in "$C1" '{"t":0}'
	rc=0
	wait "$pid" || rc=$?
	exec 4>&-
	assert_equal "$rc" 0
	run cat "$T/out"
	assert_output "$C1"'
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","count":1}'
}
