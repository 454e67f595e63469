#!/usr/bin/env bats
# interval-join: interval and temporal joins, watermarks, state, inputs.
# Expected outputs are written by hand from DESIGN.md section 6; the
# PostgreSQL oracle tests are in interval-join-oracle.bats.

load helpers/common

setup() {
	T=$BATS_TEST_TMPDIR
	cat >"$T/co.ndjson" <<'EOF'
{"co":1,"user_id":7,"co_ts":"2026-11-22T10:30:00Z"}
{"co":2,"user_id":8,"co_ts":"2026-11-22T10:31:00Z"}
{"co":3,"user_id":9,"co_ts":"2026-11-22T12:00:00Z"}
EOF
	cat >"$T/cl.ndjson" <<'EOF'
{"click":10,"user_id":7,"src":"tiktok","click_ts":"2026-11-22T09:30:00Z"}
{"click":11,"user_id":7,"src":"google","click_ts":"2026-11-22T09:45:00Z"}
{"click":12,"user_id":8,"src":"facebook","click_ts":"2026-11-22T10:31:00Z"}
{"click":13,"user_id":8,"src":"google","click_ts":"2026-11-22T10:31:00.001Z"}
{"click":14,"user_id":7,"src":"x","click_ts":"2026-11-22T09:29:59.999Z"}
{"click":15,"user_id":7,"src":"tie","click_ts":"2026-11-22T09:30:00Z"}
EOF
	J=(--left "$T/co.ndjson" --right "$T/cl.ndjson" --on user_id
		--left-time co_ts --right-time click_ts --within=-1h,0 --watermark-delay 2h)
}

C1='{"co":1,"user_id":7,"co_ts":"2026-11-22T10:30:00Z"'
C2='{"co":2,"user_id":8,"co_ts":"2026-11-22T10:31:00Z"'
C3='{"co":3,"user_id":9,"co_ts":"2026-11-22T12:00:00Z"'
K10='"click":10,"right_user_id":7,"src":"tiktok","click_ts":"2026-11-22T09:30:00Z"}'
K11='"click":11,"right_user_id":7,"src":"google","click_ts":"2026-11-22T09:45:00Z"}'
K12='"click":12,"right_user_id":8,"src":"facebook","click_ts":"2026-11-22T10:31:00Z"}'
K15='"click":15,"right_user_id":7,"src":"tie","click_ts":"2026-11-22T09:30:00Z"}'

@test "first-click attribution: bounds included, ties by arrival, unmatched with nulls" {
	run -0 --separate-stderr interval-join "${J[@]}" --pick first --type left
	assert_output "$C1,$K10
$C2,$K12
$C3,\"click\":null,\"right_user_id\":null,\"src\":null,\"click_ts\":null}"
	assert_equal "$stderr" ""
}

@test "--pick last takes the latest match, ties to the later arrival" {
	printf '%s\n' '{"co":1,"user_id":7,"co_ts":"2026-11-22T09:30:00Z"}' >"$T/co1.ndjson"
	run -0 interval-join "${J[@]}" --left "$T/co1.ndjson" --pick last
	assert_output '{"co":1,"user_id":7,"co_ts":"2026-11-22T09:30:00Z","click":15,"right_user_id":7,"src":"tie","click_ts":"2026-11-22T09:30:00Z"}'
	run -0 interval-join "${J[@]}" --pick last
	assert_output "$C1,$K11
$C2,$K12"
}

@test "--pick all writes every pair as soon as both rows are there" {
	run -0 interval-join "${J[@]}"
	assert_output "$C1,$K10
$C1,$K11
$C2,$K12
$C1,$K15"
	# the other side first: pairs come as the left rows arrive
	run -0 interval-join "${J[@]}" --type left --pick all --right-prefix r.
	assert_output "${C1},${K10//right_/r.}
${C1},${K11//right_/r.}
${C2},${K12//right_/r.}
${C1},${K15//right_/r.}
$C3,\"click\":null,\"r.user_id\":null,\"src\":null,\"click_ts\":null}"
}

@test "--within bounds are both included, one millisecond beyond is not" {
	printf '%s\n' '{"k":1,"t":"2026-11-22T10:00:00Z"}' >"$T/l"
	printf '%s\n' '{"k":1,"n":"before","t":"2026-11-22T09:59:59.999Z"}' \
		'{"k":1,"n":"lower","t":"2026-11-22T10:00:00Z"}' \
		'{"k":1,"n":"upper","t":"2026-11-22T10:00:30Z"}' \
		'{"k":1,"n":"after","t":"2026-11-22T10:00:30.001Z"}' >"$T/r"
	run -0 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k \
		--left-time t --right-time t --within=0,30s
	assert_output '{"k":1,"t":"2026-11-22T10:00:00Z","right_k":1,"n":"lower","right_t":"2026-11-22T10:00:00Z"}
{"k":1,"t":"2026-11-22T10:00:00Z","right_k":1,"n":"upper","right_t":"2026-11-22T10:00:30Z"}'
}

@test "keys: LKEY=RKEY, several keys, dotted paths; null never matches" {
	printf '%s\n' '{"a":{"u":1},"s":"x","t":0}' '{"a":{"u":null},"s":"x","t":0}' \
		'{"s":"x","t":0}' '{"a":{"u":2},"s":"x","t":0}' >"$T/l"
	printf '%s\n' '{"uid":1,"shop":"x","t":0,"v":"a"}' '{"uid":null,"shop":"x","t":0,"v":"b"}' \
		'{"uid":2,"shop":"y","t":0,"v":"c"}' >"$T/r"
	run -0 interval-join --left "$T/l" --right "$T/r" --on a.u=uid,s=shop \
		--left-time t --right-time t --within=0,0 --type left
	assert_output '{"a":{"u":1},"s":"x","t":0,"uid":1,"shop":"x","right_t":0,"v":"a"}
{"a":{"u":null},"s":"x","t":0,"uid":null,"shop":null,"right_t":null,"v":null}
{"s":"x","t":0,"uid":null,"shop":null,"right_t":null,"v":null}
{"a":{"u":2},"s":"x","t":0,"uid":null,"shop":null,"right_t":null,"v":null}'
}

@test "the left row's __kind is carried, the right row's dropped" {
	printf '%s\n' '{"__kind":"+U","k":1,"t":0}' >"$T/l"
	printf '%s\n' '{"__kind":"+I","k":1,"t":0,"x":1}' >"$T/r"
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=0,0
	assert_output '{"__kind":"+U","k":1,"t":0,"right_k":1,"right_t":0,"x":1}'
}

@test "a taken name gets --right-prefix until it is free: every name once per row" {
	# the left row has right_x: the right x becomes right_right_x
	printf '%s\n' '{"k":1,"t":0,"x":"L","right_x":"L2"}' >"$T/l"
	printf '%s\n' '{"k":1,"t":0,"x":"R"}' >"$T/r"
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=0,0
	assert_output '{"k":1,"t":0,"x":"L","right_x":"L2","right_k":1,"right_t":0,"right_right_x":"R"}'
	# the right row has right_x itself: it keeps it, in either order
	printf '%s\n' '{"k":1,"t":0,"x":"R","right_x":"R2"}' '{"right_x":"R2","k":1,"t":0,"x":"R"}' >"$T/r"
	printf '%s\n' '{"k":1,"t":0,"x":"L"}' >"$T/l"
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=0,0
	assert_output '{"k":1,"t":0,"x":"L","right_k":1,"right_t":0,"right_right_x":"R","right_x":"R2"}
{"k":1,"t":0,"x":"L","right_x":"R2","right_k":1,"right_t":0,"right_right_x":"R"}'
	# unmatched rows (--type left) and the temporal join follow the same rule
	printf '%s\n' '{"k":2,"t":0,"x":"L","right_x":"L2"}' >"$T/l"
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=0,0 --type left
	assert_output '{"k":2,"t":0,"x":"L","right_x":"L2","right_k":null,"right_t":null,"right_right_x":null,"right_right_right_x":null}'
	printf '%s\n' '{"k":1,"t":0,"x":"L","right_x":"L2"}' >"$T/l"
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --temporal
	# (the version valid is the later one, whose right_x comes first)
	assert_output '{"k":1,"t":0,"x":"L","right_x":"L2","right_right_x":"R2","right_k":1,"right_t":0,"right_right_right_x":"R"}'
	# a prefix never makes a name with a meaning of its own
	printf '%s\n' '{"k":1,"t":0,"_kind":"L"}' >"$T/l"
	printf '%s\n' '{"k":1,"t":0,"_kind":"R"}' >"$T/r"
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=0,0 --right-prefix _
	assert_output '{"k":1,"t":0,"_kind":"L","_k":1,"_t":0,"___kind":"R"}'
}

@test "a left update's -U and +U both go through, in interval and temporal joins" {
	printf '%s\n' '{"__kind":"+I","k":1,"t":0,"q":1}' \
	    '{"__kind":"-U","k":1,"t":0,"q":1}' \
	    '{"__kind":"+U","k":1,"t":0,"q":2}' >"$T/l"
	printf '%s\n' '{"__kind":"+I","k":1,"t":0,"x":1}' >"$T/r"
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=0,0
	assert_output '{"__kind":"+I","k":1,"t":0,"q":1,"right_k":1,"right_t":0,"x":1}
{"__kind":"-U","k":1,"t":0,"q":1,"right_k":1,"right_t":0,"x":1}
{"__kind":"+U","k":1,"t":0,"q":2,"right_k":1,"right_t":0,"x":1}'
	run -0 interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --temporal
	assert_output '{"__kind":"+I","k":1,"t":0,"q":1,"right_k":1,"right_t":0,"x":1}
{"__kind":"-U","k":1,"t":0,"q":1,"right_k":1,"right_t":0,"x":1}
{"__kind":"+U","k":1,"t":0,"q":2,"right_k":1,"right_t":0,"x":1}'
}

@test "watermarks: rows below the combined watermark are late; --watermarks forwards it" {
	printf '%s\n' '{"k":1,"t":"2026-11-22T10:00:00Z"}' '{"__watermark":"2026-11-22T10:10:00Z"}' \
		'{"k":2,"t":"2026-11-22T10:05:00Z"}' '{"k":3,"t":"2026-11-22T10:20:00Z"}' >"$T/l"
	printf '%s\n' '{"k":1,"t":"2026-11-22T10:00:10Z"}' '{"k":3,"t":"2026-11-22T10:20:00Z"}' \
		'{"k":2,"t":"2026-11-22T10:05:00Z"}' >"$T/r"
	# The inputs are read in step by event time. The watermark (written
	# held back by the 1m interval) goes to 10:00 and 10:00:10 with the
	# first rows and the left in-band line, then to 10:10 with right k3,
	# deciding left k1 (and k2, unmatched), then to 10:20 with left k3;
	# right k2 then comes below it: late.
	run -0 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=0,1m --pick first --watermarks --late "$T/late"
	assert_output '{"__watermark":"2026-11-22T09:59:00.000Z"}
{"__watermark":"2026-11-22T09:59:10.000Z"}
{"k":1,"t":"2026-11-22T10:00:00Z","right_k":1,"right_t":"2026-11-22T10:00:10Z"}
{"__watermark":"2026-11-22T10:09:00.000Z"}
{"__watermark":"2026-11-22T10:19:00.000Z"}
{"k":3,"t":"2026-11-22T10:20:00Z","right_k":3,"right_t":"2026-11-22T10:20:00Z"}'
	assert_equal "$stderr" 'interval-join: warning: 1 late right rows written to --late'
	assert_equal "$(cat "$T/late")" '{"k":2,"t":"2026-11-22T10:05:00Z"}'
	run -0 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=0,1m --pick first
	assert_equal "$stderr" 'interval-join: warning: 1 late right rows dropped (their partners may be gone)'
}

@test "infinite times: matched only by the same infinity, they do not move the watermark" {
	# left k1 at infinity waits for the end (or a watermark of infinity)
	# and meets only right rows at infinity; the finite rows after it are
	# not late, as infinity is not progress of time.
	printf '%s\n' '{"k":1,"t":"infinity"}' '{"k":2,"t":"2026-11-22T10:00:00Z"}' \
		'{"k":3,"t":"+10000-01-01T00:00:00Z"}' >"$T/l"
	printf '%s\n' '{"k":1,"t":"2026-11-22T10:00:10Z"}' '{"k":2,"t":"2026-11-22T10:00:30Z"}' \
		'{"k":1,"t":"infinity"}' '{"k":3,"t":"9999-12-31T23:59:30Z"}' >"$T/r"
	run -0 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=-1m,1m --type left
	assert_output '{"k":2,"t":"2026-11-22T10:00:00Z","right_k":2,"right_t":"2026-11-22T10:00:30Z"}
{"k":1,"t":"infinity","right_k":1,"right_t":"infinity"}
{"k":3,"t":"+10000-01-01T00:00:00Z","right_k":3,"right_t":"9999-12-31T23:59:30Z"}'
	assert_equal "$stderr" ''
	run -1 --separate-stderr interval-join --left "$T/l" --right - --on k --left-time t \
		--right-time t --within=-1m,1m <<<'{"k":1,"t":"+300000-01-01T00:00:00Z"}'
	assert_equal "$stderr" 'interval-join: stdin:1: field "t": timestamp out of range: "+300000-01-01T00:00:00Z"'
	# the widest interval int64 holds, at the ends of the finite times:
	# right - left of the first and last pair is 2^63, one past it
	printf '%s\n' '{"k":1,"t":"-290308-12-22T00:00:00Z"}' '{"k":1,"t":"2026-11-22T10:00:00Z"}' >"$T/l"
	printf '%s\n' '{"k":1,"t":"1970-01-01T04:00:54.775808Z"}' \
		'{"k":1,"t":"+294247-01-10T04:00:54.775806Z"}' >"$T/r"
	run -0 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=-9223372036854775808us,9223372036854775807us --watermarks
	assert_output '{"__watermark":"-290308-12-22T00:00:00.000Z"}
{"k":1,"t":"2026-11-22T10:00:00Z","right_k":1,"right_t":"1970-01-01T04:00:54.775808Z"}
{"k":1,"t":"2026-11-22T10:00:00Z","right_k":1,"right_t":"+294247-01-10T04:00:54.775806Z"}
{"__watermark":"-290251-11-13T05:59:05.224192Z"}
{"__watermark":"1969-12-31T23:59:59.999998Z"}'
	assert_equal "$stderr" ''
}

@test "a watermark of infinity on both inputs decides everything and goes on" {
	printf '%s\n' '{"k":1,"t":"2026-11-22T10:00:00Z"}' '{"k":2,"t":"infinity"}' \
		'{"__watermark":"-infinity"}' '{"__watermark":"infinity"}' '{"k":3,"t":"2026-11-22T10:00:00Z"}' >"$T/l"
	printf '%s\n' '{"k":1,"t":"2026-11-22T10:00:00Z"}' '{"__watermark":"infinity"}' >"$T/r"
	run -0 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=-1m,1m --pick first --type left --watermarks
	assert_output '{"__watermark":"2026-11-22T09:59:00.000Z"}
{"k":1,"t":"2026-11-22T10:00:00Z","right_k":1,"right_t":"2026-11-22T10:00:00Z"}
{"k":2,"t":"infinity","right_k":null,"right_t":null}
{"__watermark":"infinity"}'
	assert_equal "$stderr" 'interval-join: warning: 1 late left rows dropped (their partners may be gone)'
	# --state keeps it: the inputs promised nothing more
	run -0 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=-1m,1m --state "$T/st"
	run -0 grep -o '"watermark":[0-9a-z]*' "$T/st"
	assert_output '"watermark":9223372036854775807
"watermark":9223372036854775807
"watermark":9223372036854775807'
	run -0 --separate-stderr interval-join --left - --right /dev/null --on k --left-time t \
		--right-time t --within=-1m,1m --state "$T/st" --drain <<<'{"k":4,"t":"2026-11-22T11:00:00Z"}'
	assert_output ''
	assert_equal "$stderr" 'interval-join: warning: 1 late left rows dropped (their partners may be gone)'
}

@test "temporal join at the infinities: a version from -infinity on, a row at infinity meets the latest" {
	printf '%s\n' '{"id":1,"v":"a","t":"-infinity"}' '{"id":1,"v":"b","t":"2026-11-22T10:00:00Z"}' \
		'{"id":2,"v":"c","t":"infinity"}' >"$T/r"
	printf '%s\n' '{"s":1,"id":1,"t":"2026-11-22T09:00:00Z"}' '{"s":2,"id":1,"t":"infinity"}' \
		'{"s":3,"id":2,"t":"2026-11-22T11:00:00Z"}' '{"s":4,"id":2,"t":"infinity"}' >"$T/l"
	run -0 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on id --left-time t \
		--right-time t --temporal --type left
	assert_output '{"s":1,"id":1,"t":"2026-11-22T09:00:00Z","right_id":1,"v":"a","right_t":"-infinity"}
{"s":3,"id":2,"t":"2026-11-22T11:00:00Z","right_id":null,"v":null,"right_t":null}
{"s":2,"id":1,"t":"infinity","right_id":1,"v":"b","right_t":"2026-11-22T10:00:00Z"}
{"s":4,"id":2,"t":"infinity","right_id":2,"v":"c","right_t":"infinity"}'
	assert_equal "$stderr" ''
}

@test "temporal join: each row meets the version valid at its time" {
	cat >"$T/prod" <<'EOF'
{"__kind":"+I","product_id":1,"price":10.00,"at":"2026-11-22T09:00:00Z"}
{"__kind":"+I","product_id":2,"price":5.00,"at":"2026-11-22T09:00:00Z"}
{"__kind":"-U","product_id":1,"price":10.00,"at":"2026-11-22T09:00:00Z"}
{"__kind":"+U","product_id":1,"price":12.00,"at":"2026-11-22T10:00:00Z"}
{"__kind":"-D","product_id":2,"price":5.00,"at":"2026-11-22T10:30:00Z"}
{"product_id":2,"price":6.50,"at":"2026-11-22T11:30:00Z"}
{"__watermark":"2026-11-22T12:00:00Z"}
EOF
	cat >"$T/sales" <<'EOF'
{"sale":1,"product_id":1,"ts":"2026-11-22T09:30:00Z"}
{"sale":2,"product_id":1,"ts":"2026-11-22T10:00:00Z"}
{"sale":3,"product_id":2,"ts":"2026-11-22T10:00:00Z"}
{"sale":4,"product_id":2,"ts":"2026-11-22T11:00:00Z"}
{"sale":5,"product_id":3,"ts":"2026-11-22T11:00:00Z"}
{"sale":6,"product_id":1,"ts":"2026-11-22T08:00:00Z"}
{"sale":7,"product_id":2,"ts":"2026-11-22T11:45:00Z"}
EOF
	run -0 --separate-stderr interval-join --left "$T/sales" --right "$T/prod" --on product_id \
		--left-time ts --right-time at --temporal --type left --watermark-delay 4h
	assert_output '{"sale":6,"product_id":1,"ts":"2026-11-22T08:00:00Z","right_product_id":null,"price":null,"at":null}
{"sale":1,"product_id":1,"ts":"2026-11-22T09:30:00Z","right_product_id":1,"price":10.00,"at":"2026-11-22T09:00:00Z"}
{"sale":2,"product_id":1,"ts":"2026-11-22T10:00:00Z","right_product_id":1,"price":12.00,"at":"2026-11-22T10:00:00Z"}
{"sale":3,"product_id":2,"ts":"2026-11-22T10:00:00Z","right_product_id":2,"price":5.00,"at":"2026-11-22T09:00:00Z"}
{"sale":4,"product_id":2,"ts":"2026-11-22T11:00:00Z","right_product_id":null,"price":null,"at":null}
{"sale":5,"product_id":3,"ts":"2026-11-22T11:00:00Z","right_product_id":null,"price":null,"at":null}
{"sale":7,"product_id":2,"ts":"2026-11-22T11:45:00Z","right_product_id":2,"price":6.50,"at":"2026-11-22T11:30:00Z"}'
	run -0 interval-join --left "$T/sales" --right "$T/prod" --on product_id \
		--left-time ts --right-time at --temporal --watermark-delay 4h
	assert_equal "${#lines[@]}" 4
}

@test "temporal join: a left row waits for the table's watermark" {
	printf '%s\n' '{"id":1,"t":"2026-11-22T10:00:00Z","n":1}' >"$T/sales"
	mkfifo "$T/prod"
	interval-join --left "$T/sales" --right "$T/prod" --on id --left-time t \
		--right-time t --temporal >"$T/out" 3>&- &
	pid=$!
	exec 4>"$T/prod"
	echo '{"id":1,"t":"2026-11-22T09:00:00Z","v":"old"}' >&4
	wait_until pipe_drained 4
	# the table's clock is at 09:00: a version for 10:00 may still come
	run cat "$T/out"
	assert_output ''
	echo '{"id":1,"t":"2026-11-22T10:00:00Z","v":"new"}' >&4
	echo '{"__watermark":"2026-11-22T10:00:00.001Z"}' >&4
	wait_until test -s "$T/out"
	run cat "$T/out"
	exec 4>&-
	wait "$pid"
	assert_output '{"id":1,"t":"2026-11-22T10:00:00Z","n":1,"right_id":1,"right_t":"2026-11-22T10:00:00Z","v":"new"}'
}

@test "--state: runs over consecutive chunks give exactly the results of one run" {
	awk 'BEGIN { for (i = 0; i < 3000; i++) {
		printf "{\"id\":%d,\"u\":%d,\"t\":%d}\n", i, i % 37, 1000 * i + (i % 5) * 700 } }' >"$T/l"
	awk 'BEGIN { for (i = 0; i < 5000; i++) {
		printf "{\"c\":%d,\"u\":%d,\"t\":%d}\n", i, i % 41, 600 * i + (i % 3) * 900 } }' >"$T/r"
	for pick in all first last; do
		args=(--on u --left-time t --right-time t --within=-20s,5s --pick "$pick"
			--type left --watermark-delay 5s)
		interval-join "${args[@]}" --left "$T/l" --right "$T/r" >"$T/one"
		rm -f "$T/st" "$T/chunks"
		split -l 700 "$T/l" "$T/l."
		split -l 1167 "$T/r" "$T/r."
		for c in aa ab ac ad ae; do
			[ -e "$T/l.$c" ] || : >"$T/l.$c"
			interval-join "${args[@]}" --state "$T/st" --left "$T/l.$c" --right "$T/r.$c" >>"$T/chunks"
		done
		interval-join "${args[@]}" --state "$T/st" --drain --left /dev/null --right /dev/null >>"$T/chunks"
		rm -f "$T"/l.a? "$T"/r.a?
		[ -s "$T/one" ] || fail "no output"
		diff <(sort "$T/one") <(sort "$T/chunks") >&2 ||
			fail "--pick $pick: chunked runs differ from one run"
	done
}

@test "--state: a damaged or foreign file is refused; a failed write leaves the old one" {
	J=(--on k --left-time t --right-time t --within=0,1h)
	awk 'BEGIN { for (i = 0; i < 50; i++) printf "{\"k\":%d,\"t\":%d}\n", i, i }' >"$T/l"
	interval-join "${J[@]}" --left "$T/l" --right /dev/null --state "$T/st"
	cp "$T/st" "$T/st.before"
	head -c -1 "$T/st" >"$T/bad"
	nb=$(($(wc -c <"$T/st") - $(head -1 "$T/st" | wc -c)))
	nl=$(($(wc -l <"$T/st") - 1))
	run -1 --separate-stderr interval-join "${J[@]}" --left /dev/null --right /dev/null --state "$T/bad"
	assert_equal "$stderr" "interval-join: state file \"$T/bad\": truncated: the header says $nl lines ($nb bytes), the file has $((nl - 1)) ($((nb - 1)) bytes)"
	printf '%s\n' '{"t":0}' | window-agg -t t --tumble 1m -a count --state "$T/wst"
	run -1 --separate-stderr interval-join "${J[@]}" --left /dev/null --right /dev/null --state "$T/wst"
	assert_equal "$stderr" "interval-join: state file \"$T/wst\": the state of window-agg, not of interval-join"
	# a write cut short by the file size limit: the old state stays, no .tmp
	run -1 --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; exec interval-join "$@"' _ \
		"${J[@]}" --left "$T/l" --right /dev/null --state "$T/st"
	assert_equal "$stderr" "interval-join: could not write \"$T/st.tmp\": File too large"
	[ ! -e "$T/st.tmp" ]
	cmp "$T/st" "$T/st.before"
}

@test "--idle-timeout: a quiet right input does not hold results back" {
	mkfifo "$T/l" "$T/r"
	interval-join --left "$T/l" --right "$T/r" --on k --left-time t --right-time t \
		--within=0,1s --type left --idle-timeout 200ms >"$T/out" 3>&- &
	pid=$!
	exec 5>"$T/l" 4>"$T/r"
	printf '%s\n' '{"k":1,"t":"2026-11-22T10:00:00Z"}' '{"k":2,"t":"2026-11-22T10:00:05Z"}' >&5
	# both inputs stay open, nothing on the right: after the idle timeout
	# the first row is decided
	wait_until test -s "$T/out"
	run cat "$T/out"
	exec 4>&- 5>&-
	wait "$pid"
	assert_line -n 0 '{"k":1,"t":"2026-11-22T10:00:00Z"}'
}

@test "--state: lines whose checksum holds but whose rows interval-join never writes are refused" {
	I=(--on k --left-time t --right-time t --within=0,1h --pick first --type left)
	T2=(--on k --left-time t --right-time t --temporal --watermark-delay 1h)
	printf '%s\n' '{"k":1,"t":1}' >"$T/l"
	printf '%s\n' '{"k":1,"t":2,"v":3}' >"$T/r"
	interval-join "${I[@]}" --left "$T/l" --right "$T/r" --state "$T/int" >/dev/null
	interval-join "${T2[@]}" --left "$T/l" --right "$T/r" --state "$T/tem" >/dev/null
	# edit line LINE of FILE with sed EXPR, checksum it anew: it is refused
	refused() {
		local file=$1 line=$2 expr=$3
		shift 3
		sed "$line$expr" "$T/$file" >"$T/bad"
		cmp -s "$T/bad" "$T/$file" && fail "sed '$expr' changed nothing"
		restate "$T/bad"
		run -1 --separate-stderr interval-join "$@" --left /dev/null --right /dev/null --state "$T/bad"
		assert_output ''
		assert_equal "$stderr" "interval-join: $T/bad:$line: not an interval-join state line"
	}
	# rows are written out as they are: each the text of a JSON object
	refused int 3 's/"text":"{\\"k\\":1,\\"t\\":1}"/"text":"[1]"/' "${I[@]}"
	refused int 3 's/"text":"{\\"k\\":1,\\"t\\":1}"/"text":"{\\"k\\":1} "/' "${I[@]}"
	refused int 3 's/"best":"{/"best":"x{/' "${I[@]}"
	refused tem 4 's/"text":"{/"text":"{{/' "${T2[@]}"
	# a left row of --pick that matched has its match
	refused int 3 's/"best":"[^}]*}"/"best":null/' "${I[@]}"
	# temporal: a right row is a version, a waiting left row has its key
	refused tem 3 's/"row":\[0,/"row":[1,/' "${T2[@]}"
	refused tem 3 's/"key":"1"/"key":null/' "${T2[@]}"
	refused tem 4 's/"version":\[2000,2,0\]/"version":[2000,2,7]/' "${T2[@]}"
	# the right fields of unmatched rows: never "__kind"
	sed '2s/"right_fields":\["k"/"right_fields":["__kind"/' "$T/int" >"$T/bad"
	restate "$T/bad"
	run -1 --separate-stderr interval-join "${I[@]}" --left /dev/null --right /dev/null --state "$T/bad"
	assert_equal "$stderr" "interval-join: $T/bad:2: not an interval-join state line"
	# the files as written are good
	run -0 interval-join "${I[@]}" --left /dev/null --right /dev/null --state "$T/int" --drain
	assert_output '{"k":1,"t":1,"right_k":1,"right_t":2,"v":3}'
	run -0 interval-join "${T2[@]}" --left /dev/null --right /dev/null --state "$T/tem" --drain
	assert_output ''
}

@test "SIGTERM with --state keeps waiting rows for the next run" {
	mkfifo "$T/l" "$T/r"
	interval-join --left "$T/l" --right "$T/r" --on k --left-time t --right-time t \
		--within=0,1h --state "$T/st" >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	exec 4>"$T/l" 5>"$T/r"
	echo '{"k":1,"t":0}' >&4
	wait_until pipe_drained 4
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 4>&- 5>&-
	assert_equal "$rc" 0
	run -0 jq -c 'select(.row) | [.row[0], .text]' "$T/st"
	assert_output '[0,"{\"k\":1,\"t\":0}"]'
	printf '%s\n' '{"k":1,"t":10,"x":1}' >"$T/r2"
	run -0 interval-join --left /dev/null --right "$T/r2" --on k --left-time t --right-time t \
		--within=0,1h --state "$T/st" --drain
	assert_output '{"k":1,"t":0,"right_k":1,"right_t":10,"x":1}'
}

@test "bad lines name the input, line and field" {
	printf '%s\n' '{"k":1,"t":0}' '{"k":1}' '{"k":1,"t":"soon"}' 'nope' '{"__kind":"?","k":1,"t":0}' >"$T/l"
	: >"$T/r"
	run -1 --separate-stderr interval-join --left "$T/l" --right "$T/r" --on k --left-time t \
		--right-time t --within=0,0
	assert_equal "$stderr" "interval-join: $T/l:2: field \"t\": missing"
	run -0 --separate-stderr interval-join -q --on-error skip --left "$T/l" --right "$T/r" --on k \
		--left-time t --right-time t --within=0,0 --type left
	assert_output '{"k":1,"t":0}'
	run -0 --separate-stderr interval-join --on-error skip --left "$T/l" --right "$T/r" --on k \
		--left-time t --right-time t --within=0,0
	assert_equal "$stderr" "interval-join: warning: $T/l:2: field \"t\": missing (line skipped)
interval-join: warning: $T/l:3: field \"t\": not a timestamp: \"soon\" (line skipped)
interval-join: warning: $T/l:4: invalid JSON: invalid literal at column 1 (line skipped)
interval-join: warning: $T/l:5: field \"__kind\": not a change kind (+I, -U, +U, -D): \"?\" (line skipped)
interval-join: warning: skipped 4 bad lines"
}

@test "usage errors name the problem" {
	check() {
		local want=$1
		shift
		run -2 --separate-stderr interval-join "$@" </dev/null
		assert_equal "$stderr" "interval-join: $want
Try \"interval-join --help\" for more information."
	}
	local base=(--left a --right b --left-time t --right-time t)
	check 'no left input: use --left=FILE' --right b --on k --within=0,0
	check 'no join key: use --on=KEY or --on=LKEY=RKEY' "${base[@]}" --within=0,0
	check 'no interval: use --within=LOWER,UPPER (or --temporal)' "${base[@]}" --on k
	check 'invalid value "1h,0s" for option --within: LOWER is after UPPER' "${base[@]}" --on k --within=1h,0s
	check 'invalid value "1h" for option --within: expected LOWER,UPPER (e.g. -1h,0)' "${base[@]}" --on k --within=1h
	check 'invalid value "x,1h" for option --within: not two durations (e.g. -1h,0 or -30s,30s)' "${base[@]}" --on k --within=x,1h
	check '--temporal joins the version valid at the left row'"'"'s time: --within and --pick do not apply' "${base[@]}" --on k --temporal --pick first
	check '--left and --right cannot both be standard input' --left - --right - --left-time t --right-time t --on k --within=0,0
	check 'invalid value "outer" for option --type: expected inner or left' "${base[@]}" --on k --within=0,0 --type outer
	check 'unexpected argument "x": the inputs are given with --left and --right' "${base[@]}" --on k --within=0,0 x
	check 'invalid value "" for option --right-prefix: must not be empty' "${base[@]}" --on k --within=0,0 --right-prefix ''
	check 'invalid value "__r_" for option --right-prefix: names starting with "__" are metadata' "${base[@]}" --on k --within=0,0 --right-prefix __r_
}

@test "a reader that goes away ends interval-join quietly" {
	awk 'BEGIN { for (i = 0; i < 100000; i++) printf "{\"k\":1,\"t\":%d}\n", i }' >"$T/l"
	run -0 bash -c 'set -o pipefail; interval-join --left "$1" --right "$1" --on k --left-time t \
		--right-time t --within=0,0 | head -1 >/dev/null' _ "$T/l"
}
