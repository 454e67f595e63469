#!/usr/bin/env bats
# window-agg: windows, aggregates, watermarks, lateness, changelogs, state.
# Expected outputs are written by hand from DESIGN.md sections 4-5; the
# PostgreSQL oracle tests are in window-agg-oracle.bats.

load helpers/common

setup() {
	T=$BATS_TEST_TMPDIR
	cat >"$T/sales.ndjson" <<'EOF'
{"sale_id":1,"product_id":7,"total_price":19.99,"sale_ts":"2026-11-22T10:00:01.250Z"}
{"sale_id":2,"product_id":8,"total_price":5.00,"sale_ts":"2026-11-22T10:00:30Z"}
{"sale_id":3,"product_id":7,"total_price":0.01,"sale_ts":"2026-11-22T10:00:59.999Z"}
{"sale_id":4,"product_id":7,"total_price":100,"sale_ts":"2026-11-22T10:01:00Z"}
{"sale_id":5,"product_id":8,"total_price":1.5,"sale_ts":"2026-11-22T10:00:45Z"}
{"sale_id":6,"product_id":null,"total_price":2.25,"sale_ts":"2026-11-22T10:02:10Z"}
EOF
}

W0='"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z"'
W1='"window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:02:00.000Z"'
W2='"window_start":"2026-11-22T10:02:00.000Z","window_end":"2026-11-22T10:03:00.000Z"'

@test "tumbling windows: every aggregate, exact decimals, null is a group" {
	run -0 --separate-stderr window-agg -t sale_ts --tumble 1m -g product_id \
		--watermark-delay 15s \
		-a 'sum(total_price) as revenue, count, avg(total_price)' \
		-a 'min(total_price),max(total_price),count_distinct(sale_id)' \
		-a 'first(sale_id),last(sale_id)' "$T/sales.ndjson"
	assert_equal "$output" "{$W0,\"product_id\":7,\"revenue\":20.00,\"count\":2,\"avg_total_price\":10.0000000000000000,\"min_total_price\":0.01,\"max_total_price\":19.99,\"count_distinct_sale_id\":2,\"first_sale_id\":1,\"last_sale_id\":3}
{$W0,\"product_id\":8,\"revenue\":6.50,\"count\":2,\"avg_total_price\":3.2500000000000000,\"min_total_price\":1.5,\"max_total_price\":5.00,\"count_distinct_sale_id\":2,\"first_sale_id\":2,\"last_sale_id\":5}
{$W1,\"product_id\":7,\"revenue\":100,\"count\":1,\"avg_total_price\":100.0000000000000000,\"min_total_price\":100,\"max_total_price\":100,\"count_distinct_sale_id\":1,\"first_sale_id\":4,\"last_sale_id\":4}
{$W2,\"product_id\":null,\"revenue\":2.25,\"count\":1,\"avg_total_price\":2.2500000000000000,\"min_total_price\":2.25,\"max_total_price\":2.25,\"count_distinct_sale_id\":1,\"first_sale_id\":6,\"last_sale_id\":6}"
	assert_equal "$stderr" ""
}

@test "a row behind the watermark is late: dropped and counted, or kept with --late" {
	run -0 --separate-stderr window-agg -t sale_ts --tumble 1m -a count "$T/sales.ndjson"
	assert_equal "$output" "{$W0,\"count\":3}
{$W1,\"count\":1}
{$W2,\"count\":1}"
	assert_equal "$stderr" "window-agg: warning: 1 late rows dropped (all their windows had closed)"
	run -0 --separate-stderr window-agg -q -t sale_ts --tumble 1m -a count "$T/sales.ndjson"
	assert_equal "$stderr" ""
	run -0 --separate-stderr window-agg -t sale_ts --tumble 1m -a count \
		--late "$T/late.ndjson" "$T/sales.ndjson"
	assert_equal "$stderr" "window-agg: warning: 1 late rows (all their windows had closed) written to \"$T/late.ndjson\""
	assert_equal "$(cat "$T/late.ndjson")" '{"sale_id":5,"product_id":8,"total_price":1.5,"sale_ts":"2026-11-22T10:00:45Z"}'
}

@test "count, count(f) and sums skip nulls; integers stay integers; an all-null sum is null" {
	run -0 window-agg -t t --tumble 1h -a 'count,count(x),sum(x),avg(x),min(x),sum(y)' <<'EOF'
{"t":"2026-11-22T10:00:00Z","x":3,"y":null}
{"t":"2026-11-22T10:00:01Z","x":null}
{"t":"2026-11-22T10:00:02Z"}
{"t":"2026-11-22T10:00:03Z","x":-1}
EOF
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T11:00:00.000Z","count":4,"count_x":2,"sum_x":2,"avg_x":1.00000000000000000000,"min_x":-1,"sum_y":null}'
}

@test "avg takes PostgreSQL's numeric division scale" {
	# SELECT avg(x) FROM (VALUES (...)) v(x) in PostgreSQL 15
	run -0 window-agg -t t --tumble 1h -g g -a 'avg(x)' <<'EOF'
{"t":0,"g":1,"x":1}
{"t":0,"g":1,"x":2}
{"t":0,"g":2,"x":123456789.12}
{"t":0,"g":2,"x":0.01}
{"t":0,"g":3,"x":0.0000001}
{"t":0,"g":4,"x":1e3}
{"t":0,"g":4,"x":1.5e-3}
{"t":0,"g":5,"x":-7}
{"t":0,"g":5,"x":0}
{"t":0,"g":5,"x":0}
EOF
	assert_output '{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T01:00:00.000Z","g":1,"avg_x":1.5000000000000000}
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T01:00:00.000Z","g":2,"avg_x":61728394.565000000000}
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T01:00:00.000Z","g":3,"avg_x":0.000000100000000000000000}
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T01:00:00.000Z","g":4,"avg_x":500.0007500000000000}
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T01:00:00.000Z","g":5,"avg_x":-2.3333333333333333}'
}

@test "every time form of DESIGN.md section 4 lands in the same window" {
	run -0 window-agg -t ts --tumble 1m -a 'count,first(n),last(n)' <<'EOF'
{"n":1,"ts":"2026-11-22T10:00:01Z"}
{"n":2,"ts":"2026-11-22T11:00:02.5+01:00"}
{"n":3,"ts":"2026-11-22 10:00:03.25+00"}
{"n":4,"ts":"2026-11-22 10:00:04"}
{"n":5,"ts":"2026-11-22t09:30:05.123456789-00:30"}
{"n":6,"ts":1795341606000}
{"n":7,"ts":1795341607123.5}
EOF
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":7,"first_n":1,"last_n":7}'
	for u in s:1795341601 ms:1795341601000 us:1795341601000000 ns:1795341601000000000; do
		run -0 window-agg -t ts --time-unit "${u%%:*}" --tumble 1m -a count <<<"{\"ts\":${u#*:}}"
		assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":1}'
	done
	run -0 window-agg -t sale.at --tumble 1d -g sale.shop -a count <<<'{"sale":{"at":"2026-11-22","shop":"b"}}'
	assert_output '{"window_start":"2026-11-22T00:00:00.000Z","window_end":"2026-11-23T00:00:00.000Z","sale_shop":"b","count":1}'
}

@test "outside years 0001-9999: expanded years in and out, read by the next tools" {
	# The last window of 9999 ends in year 10000, written as ISO 8601
	# writes it (with its sign), and read back by window-agg and top-n.
	cat >"$T/y10k.ndjson" <<'EOF'
{"t":"9999-12-31T23:59:30Z"}
{"t":"+10000-01-01T00:00:10Z"}
{"t":"10000-01-01 00:00:20+00"}
{"t":"+010000-01-01T00:00:30.000Z"}
EOF
	run -0 --separate-stderr window-agg -t t --tumble 1m -a count "$T/y10k.ndjson"
	assert_output '{"window_start":"9999-12-31T23:59:00.000Z","window_end":"+10000-01-01T00:00:00.000Z","count":1}
{"window_start":"+10000-01-01T00:00:00.000Z","window_end":"+10000-01-01T00:01:00.000Z","count":3}'
	assert_equal "$stderr" ""
	run -0 --separate-stderr bash -c 'set -o pipefail
	    window-agg -t t --tumble 1m -a count "$1" |
	    window-agg -t window_start --tumble 1h -a "count,sum(count)" &&
	    window-agg -t t --tumble 1m -a count "$1" |
	    top-n -n 1 -b count -p window_start' _ "$T/y10k.ndjson"
	assert_output '{"window_start":"9999-12-31T23:00:00.000Z","window_end":"+10000-01-01T00:00:00.000Z","count":1,"sum_count":1}
{"window_start":"+10000-01-01T00:00:00.000Z","window_end":"+10000-01-01T01:00:00.000Z","count":1,"sum_count":3}
{"window_start":"9999-12-31T23:59:00.000Z","window_end":"+10000-01-01T00:00:00.000Z","count":1,"rank":1}
{"window_start":"+10000-01-01T00:00:00.000Z","window_end":"+10000-01-01T00:01:00.000Z","count":3,"rank":1}'
	assert_equal "$stderr" ""

	# BC: astronomical years (-0044 is 45 BC), PostgreSQL's text too.
	run -0 window-agg -t t --tumble 1d --assign <<'EOF'
{"n":1,"t":"-0044-03-15T12:00:00Z"}
{"n":2,"t":"0045-03-15 13:00:00+00 BC"}
{"n":3,"t":"0001-01-01 00:00:00+00 BC"}
EOF
	assert_output '{"n":1,"t":"-0044-03-15T12:00:00Z","window_start":"-0044-03-15T00:00:00.000Z","window_end":"-0044-03-16T00:00:00.000Z"}
{"n":2,"t":"0045-03-15 13:00:00+00 BC","window_start":"-0044-03-15T00:00:00.000Z","window_end":"-0044-03-16T00:00:00.000Z"}
{"n":3,"t":"0001-01-01 00:00:00+00 BC","window_start":"0000-01-01T00:00:00.000Z","window_end":"0000-01-02T00:00:00.000Z"}'
	run -0 window-agg -t t --tumble 1d -a 'count,first(n),last(n)' <<'EOF'
{"n":1,"t":"-0044-03-15T12:00:00Z"}
{"n":2,"t":"0045-03-15 13:00:00+00 BC"}
EOF
	assert_output '{"window_start":"-0044-03-15T00:00:00.000Z","window_end":"-0044-03-16T00:00:00.000Z","count":2,"first_n":1,"last_n":2}'
}

@test "infinite event times belong to no window; windows stay within the finite times" {
	input='{"t":"2026-11-22T10:00:00Z","x":1}
{"t":"infinity","x":1}
{"t":"-infinity","x":1}
{"t":"+300000-01-01T00:00:00Z","x":1}
{"t":9223372036854775807,"x":1}
{"t":"+294247-01-10T04:00:00Z","x":1}
{"t":"2026-11-22T10:00:01Z","x":1}'
	run -1 --separate-stderr window-agg -t t --tumble 1m -a count <<<"$input"
	assert_equal "$stderr" 'window-agg: stdin:2: field "t": no window holds "infinity"'
	run -0 --separate-stderr window-agg --on-error skip -t t --tumble 1m -a count <<<"$input"
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":2}'
	assert_equal "$stderr" 'window-agg: warning: stdin:2: field "t": no window holds "infinity" (line skipped)
window-agg: warning: stdin:3: field "t": no window holds "-infinity" (line skipped)
window-agg: warning: stdin:4: field "t": timestamp out of range: "+300000-01-01T00:00:00Z" (line skipped)
window-agg: warning: stdin:5: field "t": timestamp out of range: 9223372036854775807 (line skipped)
window-agg: warning: stdin:6: field "t": window out of range: "+294247-01-10T04:00:00Z" (line skipped)
window-agg: warning: skipped 5 bad lines'
	# The first and last finite times have windows when those fit:
	# [-290308-12-22, +1d) does, one starting 12 hours earlier does not.
	run -0 window-agg -t t --tumble 1d -a count <<<'{"t":"-290308-12-22T00:00:00Z"}'
	assert_output '{"window_start":"-290308-12-22T00:00:00.000Z","window_end":"-290308-12-23T00:00:00.000Z","count":1}'
	run -1 --separate-stderr window-agg -t t --tumble 1d --offset 12h -a count <<<'{"t":"-290308-12-22T06:00:00Z"}'
	assert_equal "$stderr" 'window-agg: stdin:1: field "t": window out of range: "-290308-12-22T06:00:00Z"'
	run -0 window-agg -t t --tumble 1h -a count <<<'{"t":"+294247-01-10T03:59:59Z"}'
	assert_output '{"window_start":"+294247-01-10T03:00:00.000Z","window_end":"+294247-01-10T04:00:00.000Z","count":1}'
	run -0 window-agg -t t --session 1s -a count <<<'{"t":"+294247-01-10T04:00:53Z"}'
	assert_output '{"window_start":"+294247-01-10T04:00:53.000Z","window_end":"+294247-01-10T04:00:54.000Z","count":1}'
	run -1 --separate-stderr window-agg -t t --session 1s -a count <<<'{"t":"+294247-01-10T04:00:54Z"}'
	assert_equal "$stderr" 'window-agg: stdin:1: field "t": window out of range: "+294247-01-10T04:00:54Z"'
	run -1 --separate-stderr window-agg -t t --hop 1h --size 1d -a count <<<'{"t":"-290308-12-22T05:00:00Z"}'
	assert_equal "$stderr" 'window-agg: stdin:1: field "t": window out of range: "-290308-12-22T05:00:00Z"'
	run -0 window-agg -t t --cumulate 12h --size 1d -a count <<<'{"t":"+294247-01-09T13:00:00Z"}'
	assert_output '{"window_start":"+294247-01-09T00:00:00.000Z","window_end":"+294247-01-10T00:00:00.000Z","count":1}'
	# a session split by a retraction, its pieces 10^19 us apart (more
	# than int64 holds) within a 5 * 10^18 us gap
	run -0 window-agg -t t --time-unit us --session 5000000000000000000us -a 'count,sum(x)' <<'EOF'
{"t":-9223372022400000000,"x":1}
{"t":-4223372022400000000,"x":2}
{"t":776627977600000000,"x":3}
{"t":-4223372022400000000,"x":2,"__kind":"-D"}
EOF
	assert_output '{"window_start":"-290308-12-22T00:00:00.000Z","window_end":"-131864-09-01T08:53:20.000Z","count":1,"sum_x":1}
{"window_start":"+26580-05-11T17:46:40.000Z","window_end":"+185024-01-21T02:40:00.000Z","count":1,"sum_x":3}'
	# the largest window there is, offset by a day less than its size
	run -0 window-agg -t t --tumble 106751991d --offset 106751990d -a count <<<'{"t":0}'
	assert_output '{"window_start":"1969-12-31T00:00:00.000Z","window_end":"+294247-01-09T00:00:00.000Z","count":1}'
	# huge delays and lateness stop at the ends instead of wrapping
	run -0 window-agg -t t --tumble 1m --watermark-delay 106751991d --allowed-lateness 106751991d -a count --watermarks <<'EOF'
{"t":"-290308-12-22T00:00:00Z"}
{"t":"+294247-01-10T03:58:00Z"}
EOF
	assert_output '{"window_start":"-290308-12-22T00:00:00.000Z","window_end":"-290308-12-22T00:01:00.000Z","count":1}
{"__watermark":"-290308-12-22T03:58:00.000Z"}
{"window_start":"+294247-01-10T03:58:00.000Z","window_end":"+294247-01-10T03:59:00.000Z","count":1}'
}

@test "a watermark of infinity fires every window, goes on, and makes the rest late" {
	run -0 --separate-stderr window-agg -t t --tumble 1m -g k -a count --watermarks <<'EOF'
{"t":"2026-11-22T10:00:05Z","k":1}
{"t":"2026-11-22T10:05:05Z","k":2}
{"__watermark":"-infinity"}
{"__watermark":"infinity"}
{"t":"2026-11-22T10:09:05Z","k":3}
{"__watermark":"infinity"}
EOF
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","k":1,"count":1}
{"__watermark":"2026-11-22T10:05:05.000Z"}
{"window_start":"2026-11-22T10:05:00.000Z","window_end":"2026-11-22T10:06:00.000Z","k":2,"count":1}
{"__watermark":"infinity"}'
	assert_equal "$stderr" "window-agg: warning: 1 late rows dropped (all their windows had closed)"
	# with nothing open it still goes on; sessions too
	run -0 window-agg -t t --session 1m -a count --watermarks <<<'{"__watermark":"infinity"}'
	assert_output '{"__watermark":"infinity"}'
	run -0 window-agg -t t --session 1m -a count --watermarks <<'EOF'
{"t":"2026-11-22T10:00:05Z"}
{"__watermark":"infinity"}
EOF
	assert_output '{"window_start":"2026-11-22T10:00:05.000Z","window_end":"2026-11-22T10:01:05.000Z","count":1}
{"__watermark":"infinity"}'
	# --state keeps it: the pipeline was drained
	run -0 window-agg -q -t t --tumble 1m -a count --state "$T/st" <<'EOF'
{"t":"2026-11-22T10:00:05Z"}
{"__watermark":"infinity"}
EOF
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":1}'
	# (grep: jq would print the 64-bit number as a double)
	run -0 grep -o '"watermark":[0-9]*,' "$T/st"
	assert_output '"watermark":9223372036854775807,'
	run -0 --separate-stderr window-agg -t t --tumble 1m -a count --state "$T/st" --drain <<<'{"t":"2026-11-22T10:02:05Z"}'
	assert_output ''
	assert_equal "$stderr" "window-agg: warning: 1 late rows dropped (all their windows had closed)"
}

@test "first and last follow event time, not arrival" {
	run -0 window-agg -t t --tumble 1m -a 'first(n),last(n)' <<'EOF'
{"t":"2026-11-22T10:00:30Z","n":"b"}
{"t":"2026-11-22T10:00:10Z","n":"a"}
{"t":"2026-11-22T10:00:50Z","n":"d"}
{"t":"2026-11-22T10:00:50Z","n":"e"}
{"t":"2026-11-22T10:00:40Z","n":"c"}
EOF
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","first_n":"a","last_n":"e"}'
}

@test "min and max compare numbers by value and strings by bytes; numbers written as numeric" {
	run -0 window-agg -t t --tumble 1m -g k -a 'min(v),max(v)' <<'EOF'
{"t":0,"k":"n","v":10}
{"t":0,"k":"n","v":9.5}
{"t":0,"k":"n","v":-1e2}
{"t":0,"k":"n","v":1e1}
{"t":0,"k":"s","v":"b"}
{"t":0,"k":"s","v":"ab"}
{"t":0,"k":"s","v":"a\"b"}
{"t":0,"k":"s","v":"\u00e9"}
EOF
	assert_output '{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","k":"n","min_v":-100,"max_v":10}
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","k":"s","min_v":"a\"b","max_v":"é"}'
}

@test "group values are compared as canonical JSON: escapes do not split a group" {
	run -0 window-agg -t t --tumble 1m -g k -a count <<'EOF'
{"t":0,"k":"a/b"}
{"t":0,"k":"a\/b"}
{"t":0,"k":"\u0061/b"}
{"t":0}
{"t":0,"k":null}
EOF
	assert_output '{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","k":"a/b","count":3}
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","k":null,"count":2}'
}

@test "offsets align windows; only offset mod size matters" {
	for off in 20s -40s 1m20s -2m40s; do
		run -0 window-agg -t sale_ts --tumble 1m --offset "$off" --watermark-delay 1m \
			-a count "$T/sales.ndjson"
		assert_output '{"window_start":"2026-11-22T09:59:20.000Z","window_end":"2026-11-22T10:00:20.000Z","count":1}
{"window_start":"2026-11-22T10:00:20.000Z","window_end":"2026-11-22T10:01:20.000Z","count":4}
{"window_start":"2026-11-22T10:01:20.000Z","window_end":"2026-11-22T10:02:20.000Z","count":1}'
	done
}

@test "hopping windows: a row is in every window that covers it" {
	run -0 --separate-stderr window-agg -t sale_ts --hop 30s --size 1m \
		--watermark-delay 1m -a count,last\(sale_id\) "$T/sales.ndjson"
	assert_output '{"window_start":"2026-11-22T09:59:30.000Z","window_end":"2026-11-22T10:00:30.000Z","count":1,"last_sale_id":1}
{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":4,"last_sale_id":3}
{"window_start":"2026-11-22T10:00:30.000Z","window_end":"2026-11-22T10:01:30.000Z","count":4,"last_sale_id":4}
{"window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:02:00.000Z","count":1,"last_sale_id":4}
{"window_start":"2026-11-22T10:01:30.000Z","window_end":"2026-11-22T10:02:30.000Z","count":1,"last_sale_id":6}
{"window_start":"2026-11-22T10:02:00.000Z","window_end":"2026-11-22T10:03:00.000Z","count":1,"last_sale_id":6}'
}

@test "hopping: a late row still enters the windows that have not fired" {
	run -0 --separate-stderr window-agg -t t --hop 30s --size 1m -a count <<'EOF'
{"t":"2026-11-22T10:00:00Z"}
{"t":"2026-11-22T10:00:40Z"}
{"t":"2026-11-22T10:00:20Z"}
EOF
	assert_output '{"window_start":"2026-11-22T09:59:30.000Z","window_end":"2026-11-22T10:00:30.000Z","count":1}
{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":3}
{"window_start":"2026-11-22T10:00:30.000Z","window_end":"2026-11-22T10:01:30.000Z","count":1}'
	assert_equal "$stderr" ""
}

@test "cumulating windows grow by step inside each size" {
	run -0 window-agg -t sale_ts --cumulate 30s --size 1m --watermark-delay 1m \
		-a 'sum(total_price)' "$T/sales.ndjson"
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:00:30.000Z","sum_total_price":19.99}
{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","sum_total_price":26.50}
{"window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:01:30.000Z","sum_total_price":100}
{"window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:02:00.000Z","sum_total_price":100}
{"window_start":"2026-11-22T10:02:00.000Z","window_end":"2026-11-22T10:02:30.000Z","sum_total_price":2.25}
{"window_start":"2026-11-22T10:02:00.000Z","window_end":"2026-11-22T10:03:00.000Z","sum_total_price":2.25}'
}

@test "sessions per group: rows exactly a gap apart merge, a late bridge joins two" {
	run -0 window-agg -t t --session 10s -g u --watermark-delay 30s -a 'count,first(n),last(n)' <<'EOF'
{"u":1,"n":1,"t":"2026-11-22T10:00:00Z"}
{"u":2,"n":2,"t":"2026-11-22T10:00:01Z"}
{"u":1,"n":3,"t":"2026-11-22T10:00:10Z"}
{"u":1,"n":4,"t":"2026-11-22T10:00:30Z"}
{"u":1,"n":5,"t":"2026-11-22T10:00:20Z"}
{"u":2,"n":6,"t":"2026-11-22T10:00:11.001Z"}
{"u":1,"n":7,"t":"2026-11-22T10:01:00Z"}
EOF
	assert_output '{"window_start":"2026-11-22T10:00:01.000Z","window_end":"2026-11-22T10:00:11.000Z","u":2,"count":1,"first_n":2,"last_n":2}
{"window_start":"2026-11-22T10:00:11.001Z","window_end":"2026-11-22T10:00:21.001Z","u":2,"count":1,"first_n":6,"last_n":6}
{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:00:40.000Z","u":1,"count":4,"first_n":1,"last_n":4}
{"window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:01:10.000Z","u":1,"count":1,"first_n":7,"last_n":7}'
}

@test "sessions under retractions shrink and split as the remaining rows say" {
	run -0 window-agg -t t --session 10s -g u --watermark-delay 1m -a 'count,sum(x)' <<'EOF'
{"u":1,"x":1,"t":"2026-11-22T10:00:00Z"}
{"u":1,"x":2,"t":"2026-11-22T10:00:08Z"}
{"u":1,"x":4,"t":"2026-11-22T10:00:16Z"}
{"u":2,"x":8,"t":"2026-11-22T10:00:00Z"}
{"u":2,"x":16,"t":"2026-11-22T10:00:05Z"}
{"__kind":"-D","u":1,"x":2,"t":"2026-11-22T10:00:08Z"}
{"__kind":"-U","u":2,"x":8,"t":"2026-11-22T10:00:00Z"}
{"__kind":"+U","u":2,"x":9,"t":"2026-11-22T10:00:03Z"}
EOF
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:00:10.000Z","u":1,"count":1,"sum_x":1}
{"window_start":"2026-11-22T10:00:03.000Z","window_end":"2026-11-22T10:00:15.000Z","u":2,"count":2,"sum_x":25}
{"window_start":"2026-11-22T10:00:16.000Z","window_end":"2026-11-22T10:00:26.000Z","u":1,"count":1,"sum_x":4}'
}

@test "a sum's scale is the largest of the values still in it, as in PostgreSQL" {
	run -0 window-agg -t t --tumble 1m -a 'sum(v),avg(v)' <<'EOF'
{"t":0,"v":1.50}
{"t":1,"v":2}
{"t":2,"v":0.125}
{"__kind":"-D","t":2,"v":0.125}
{"__kind":"-D","t":0,"v":1.50}
EOF
	assert_output '{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","sum_v":2,"avg_v":2.0000000000000000}'
}

# digits HEAD N TAIL: HEAD, N zeros, TAIL (long exact numbers)
digits() {
	printf '%s%s%s' "$1" "$(printf "%0${2}d" 0)" "$3"
}

# every line of $output is one JSON value (jq reads it)
all_json() {
	local line
	for line in "${lines[@]}"; do
		jq -e . >/dev/null <<<"$line" || fail "not JSON: ${line:0:80}"
	done
}

Z='"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z"'

@test "a sum past a double's range is exact JSON, also after a retraction (never inf)" {
	run -0 window-agg -t t --tumble 1m -a 'sum(x),avg(x)' <<'EOF'
{"t":0,"x":1e308}
{"t":1,"x":1e308}
EOF
	all_json
	assert_output "{$Z,\"sum_x\":$(digits 2 308 ''),\"avg_x\":$(digits 1 308 '')}"
	run -0 window-agg -t t --tumble 1m -a 'sum(x),avg(x)' <<'EOF'
{"t":0,"x":1e308,"__kind":"+I"}
{"t":1,"x":1e308,"__kind":"+I"}
{"t":2,"x":1e308,"__kind":"-D"}
EOF
	all_json
	assert_output "{$Z,\"sum_x\":$(digits 1 308 ''),\"avg_x\":$(digits 1 308 '')}"
}

@test "sums beyond 38 digits stay exact, and come back when a retraction shrinks them" {
	run -0 window-agg -t t --tumble 1m -a 'sum(x)' <<'EOF'
{"t":0,"x":99999999999999999999999999999999999999}
{"t":1,"x":1}
EOF
	assert_output "{$Z,\"sum_x\":100000000000000000000000000000000000000}"
	run -0 window-agg -t t --tumble 1m -a 'sum(x),count' <<'EOF'
{"t":0,"x":1e38,"__kind":"+I"}
{"t":1,"x":1,"__kind":"+I"}
{"t":2,"x":1e38,"__kind":"-D"}
EOF
	assert_output "{$Z,\"sum_x\":1,\"count\":1}"
	# 41 significant digits in, exact out; and a scale of 40
	run -0 window-agg -t t --tumble 1m -a 'sum(x),avg(x),min(x),max(x)' <<'EOF'
{"t":0,"x":12345678901234567890123456789012345678901}
{"t":1,"x":-0.0000000000000000000000000000000000000001}
EOF
	assert_output "{$Z,\"sum_x\":12345678901234567890123456789012345678900.9999999999999999999999999999999999999999,\"avg_x\":6172839450617283945061728394506172839450.5000000000000000000000000000000000000000,\"min_x\":-0.0000000000000000000000000000000000000001,\"max_x\":12345678901234567890123456789012345678901}"
}

@test "tiny and huge exponents are exact numbers: 1e-400 + 1e-400, 1e999" {
	run -0 window-agg -t t --tumble 1m -a 'sum(x),min(x),max(x),first(x)' <<'EOF'
{"t":0,"x":1e-400}
{"t":1,"x":1e-400}
EOF
	assert_output "{$Z,\"sum_x\":$(digits 0. 399 2),\"min_x\":$(digits 0. 399 1),\"max_x\":$(digits 0. 399 1),\"first_x\":$(digits 0. 399 1)}"
	# PostgreSQL's avg: 0.(399 zeros)1 at scale 420
	run -0 window-agg -t t --tumble 1m -a 'avg(x)' <<'EOF'
{"t":0,"x":1e-400}
{"t":1,"x":1e-400}
EOF
	assert_output "{$Z,\"avg_x\":$(digits 0. 399 100000000000000000000)}"
	# a number in a string (Debezium's decimal.handling.mode=string)
	# counts for sum and avg; min puts numbers before strings
	run -0 window-agg -t t --tumble 1m -a 'sum(x),avg(x),min(x)' <<'EOF'
{"t":0,"x":1e999}
{"t":1,"x":"1"}
EOF
	assert_output "{$Z,\"sum_x\":$(digits 1 998 1),\"avg_x\":$(digits 5 997 1),\"min_x\":$(digits 1 999 '')}"
}

@test "an average past 38 digits keeps PostgreSQL's division scale" {
	# SELECT avg(x) FROM (VALUES (1e-30), (0), (0)) v(x) in PostgreSQL 15
	run -0 window-agg -t t --tumble 1m -a 'avg(x)' <<'EOF'
{"t":0,"x":1e-30}
{"t":0,"x":0}
{"t":0,"x":0}
EOF
	assert_output "{$Z,\"avg_x\":0.000000000000000000000000000000333333333333333333}"
	# the scale chosen stops at 1000 digits: avg(1e-1001) is 0 there,
	# written 0e-1000 (from exponent input, and over 1000 bytes plain)
	run -0 window-agg -t t --tumble 1m -a 'avg(x)' <<<'{"t":0,"x":1e-1001}'
	assert_output "{$Z,\"avg_x\":0e-1000}"
	run -0 window-agg -t t --tumble 1m -a 'avg(x)' <<<"{\"t\":0,\"x\":$(digits 0. 1000 1)}"
	assert_output "{$Z,\"avg_x\":$(digits 0. 1000 '')}"
}

@test "beyond 1000 bytes a result from exponent input keeps an exponent; plain input stays plain" {
	run -0 window-agg -t t --tumble 1m -a 'sum(x),avg(x),min(x),max(x),last(x)' <<'EOF'
{"t":0,"x":1e5000}
{"t":1,"x":3e5000}
EOF
	assert_output "{$Z,\"sum_x\":4e+5000,\"avg_x\":2e+5000,\"min_x\":1e+5000,\"max_x\":3e+5000,\"last_x\":3e+5000}"
	all_json
	run -0 window-agg -t t --tumble 1m -a 'sum(x)' <<'EOF'
{"t":0,"x":-1.50e-2000}
{"t":1,"x":-2.50e-2001}
EOF
	assert_output "{$Z,\"sum_x\":-1.750e-2000}"
	# the same digits written out stay written out
	big=$(digits 1 1500 '')
	run -0 window-agg -t t --tumble 1m -a 'sum(x)' <<<"{\"t\":0,\"x\":$big}"
	assert_output "{$Z,\"sum_x\":$big}"
}

@test "numbers beyond numeric's range are bad lines that name the value" {
	input='{"t":0,"x":1}
{"t":0,"x":1e999999999}
{"t":0,"x":-1e131072}
{"t":0,"x":1e-16384}
{"t":0,"x":2}'
	run -1 --separate-stderr window-agg -t t --tumble 1m -a 'sum(x)' <<<"$input"
	assert_equal "$stderr" 'window-agg: stdin:2: field "x": number out of range: 1e999999999'
	run -0 --separate-stderr window-agg --on-error skip -t t --tumble 1m -a 'max(x)' <<<"$input"
	assert_output "{$Z,\"max_x\":2}"
	assert_equal "$stderr" 'window-agg: warning: stdin:2: field "x": number out of range: 1e999999999 (line skipped)
window-agg: warning: stdin:3: field "x": number out of range: -1e131072 (line skipped)
window-agg: warning: stdin:4: field "x": number out of range: 1e-16384 (line skipped)
window-agg: warning: skipped 3 bad lines'
	run -1 --separate-stderr window-agg -t t --tumble 1m -a 'avg(x)' <<<'{"t":0,"x":"1e99999999999999999999999999999999999999999999"}'
	assert_equal "$stderr" 'window-agg: stdin:1: field "x": number out of range: "1e9999999999999999999999999999999999...'
	# the edges of the range are numbers
	run -0 window-agg -t t --tumble 1m -a 'count(x)' <<<'{"t":0,"x":9e131071}
{"t":0,"x":1e-16383}'
	assert_output "{$Z,\"count_x\":2}"
	run -2 --separate-stderr window-agg -t t --tumble 1m -a count --having 'count > 1e999999'
	assert_equal "$stderr" 'window-agg: invalid value "count > 1e999999" for option --having: number out of range
Try "window-agg --help" for more information.'
	# a tab beside the number is JSON's blank, not part of
	# the number: the range holds all the same
	run -2 --separate-stderr window-agg -t t --tumble 1m -a count --having $'count >\t1e999999\t'
	assert_equal "$stderr" 'window-agg: invalid value "count > 1e999999 " for option --having: number out of range
Try "window-agg --help" for more information.'
}

@test "a line of 20 MB of digits is refused in linear time" {
	{ printf '{"t":0,"x":'; head -c 20000000 /dev/zero | tr '\0' '7'; printf '}\n'; } >"$T/big.ndjson"
	run -1 --separate-stderr window-agg -t t --tumble 1m -a 'sum(x)' "$T/big.ndjson"
	assert_equal "$stderr" "window-agg: $T/big.ndjson:1: field \"x\": number out of range: 7777777777777777777777777777777777777..."
}

@test "--having and min/max compare wide numbers exactly; groups are the values as written" {
	run -0 window-agg -t t --tumble 1m -g g -a 'sum(x) as s,min(x),max(x)' \
	    --having 's > 99999999999999999999999999999999999999.5' <<'EOF'
{"t":0,"g":1,"x":99999999999999999999999999999999999999}
{"t":0,"g":1,"x":0.4}
{"t":0,"g":2,"x":99999999999999999999999999999999999999}
{"t":0,"g":2,"x":0.6}
EOF
	assert_output "{$Z,\"g\":2,\"s\":99999999999999999999999999999999999999.6,\"min_x\":0.6,\"max_x\":99999999999999999999999999999999999999}"
	run -0 window-agg -t t --tumble 1m -g g -a 'min(x),max(x)' <<'EOF'
{"t":0,"g":3,"x":1e-400}
{"t":0,"g":3,"x":2e-401}
{"t":0,"g":3,"x":-0.0}
{"t":0,"g":3,"x":-1e-500}
EOF
	assert_output "{$Z,\"g\":3,\"min_x\":-$(digits 0. 499 1),\"max_x\":$(digits 0. 399 1)}"
	# group keys: 1e2, 100 and 100.0 are three groups, written as given;
	# no two different values ever share a group
	run -0 window-agg -t t --tumble 1m -g g -a count <<'EOF'
{"t":0,"g":1e2}
{"t":0,"g":100}
{"t":0,"g":100.0}
{"t":0,"g":1e2}
{"t":0,"g":100000000000000000000000000000000000000001}
{"t":0,"g":100000000000000000000000000000000000000002}
EOF
	assert_output "{$Z,\"g\":1e2,\"count\":2}
{$Z,\"g\":100,\"count\":1}
{$Z,\"g\":100.0,\"count\":1}
{$Z,\"g\":100000000000000000000000000000000000000001,\"count\":1}
{$Z,\"g\":100000000000000000000000000000000000000002,\"count\":1}"
}

@test "--state keeps wide sums exactly across runs" {
	printf '%s\n' '{"t":0,"x":1e300}' '{"t":1,"x":0.5}' '{"t":2,"x":1e-300}' >"$T/a.ndjson"
	printf '%s\n' '{"t":3,"x":1e-300,"__kind":"-D"}' '{"t":4,"x":7}' >"$T/b.ndjson"
	args=(-t t --tumble 1m -a 'sum(x),avg(x),count')
	run -0 window-agg "${args[@]}" --state "$T/st" "$T/a.ndjson"
	assert_output ''
	grep -q "\"dec\":\"$(digits 1 300 .5)" "$T/st"
	run -0 window-agg "${args[@]}" --state "$T/st" --drain "$T/b.ndjson"
	assert_output "{$Z,\"sum_x\":$(digits 1 299 7.5),\"avg_x\":$(printf '3%.0s' $(seq 299))5.8,\"count\":3}"
	cat "$T/a.ndjson" "$T/b.ndjson" | window-agg "${args[@]}" >"$T/one"
	assert_output "$(cat "$T/one")"
}

@test "--having filters results: the fraud rule" {
	run -0 window-agg -t t --tumble 1m -g customer_id -a count --having 'count > 5' < <(
		for i in 1 2 3 4 5 6; do echo "{\"customer_id\":9,\"t\":\"2026-11-22T10:00:0${i}Z\"}"; done
		for i in 1 2 3 4 5; do echo "{\"customer_id\":8,\"t\":\"2026-11-22T10:00:0${i}Z\"}"; done)
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","customer_id":9,"count":6}'
	run -0 window-agg -t sale_ts --tumble 1m -g product_id --watermark-delay 1m \
		-a 'sum(total_price) as revenue' --having 'revenue >= 6.5' --having 'product_id != 7' "$T/sales.ndjson"
	assert_output "{$W0,\"product_id\":8,\"revenue\":6.50}"
	run -0 window-agg -t t --tumble 1m -g c -a count --having 'c = paid' <<'EOF'
{"t":0,"c":"paid"}
{"t":0,"c":"failed"}
EOF
	assert_output '{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","c":"paid","count":1}'
	run -2 --separate-stderr window-agg -t t --tumble 1m -a count --having 'total > 5'
	assert_equal "$stderr" 'window-agg: invalid value "total > 5" for option --having: no aggregate or group field named "total"
Try "window-agg --help" for more information.'
}

@test "in-band watermarks close windows and --watermarks forwards this stage's" {
	run -0 window-agg -t t --tumble 1m -a count --watermarks <<'EOF'
{"t":"2026-11-22T10:00:05Z"}
{"__watermark":"2026-11-22T10:00:59.999Z"}
{"t":"2026-11-22T10:00:06Z"}
{"__watermark":"2026-11-22T10:01:00Z"}
{"t":"2026-11-22T10:01:06Z"}
EOF
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":2}
{"__watermark":"2026-11-22T10:01:00.000Z"}
{"window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:02:00.000Z","count":1}'
}

@test "allowed lateness: a late row corrects a fired window" {
	input='{"t":"2026-11-22T10:00:05Z","x":1}
{"t":"2026-11-22T10:01:05Z","x":2}
{"t":"2026-11-22T10:00:10Z","x":4}
{"t":"2026-11-22T10:02:30Z","x":8}
{"t":"2026-11-22T10:00:20Z","x":16}'
	run -0 --separate-stderr window-agg -t t --tumble 1m --allowed-lateness 1m -a 'count,sum(x)' <<<"$input"
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":1,"sum_x":1}
{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":2,"sum_x":5}
{"window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:02:00.000Z","count":1,"sum_x":2}
{"window_start":"2026-11-22T10:02:00.000Z","window_end":"2026-11-22T10:03:00.000Z","count":1,"sum_x":8}'
	assert_equal "$stderr" "window-agg: warning: 1 late rows dropped (all their windows had closed)"
	run -0 --separate-stderr window-agg -t t --tumble 1m --allowed-lateness 1m --emit update -a 'count' <<<"$input"
	assert_output '{"__kind":"+I","window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":1}
{"__kind":"+I","window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:02:00.000Z","count":1}
{"__kind":"-U","window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":1}
{"__kind":"+U","window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","count":2}
{"__kind":"+I","window_start":"2026-11-22T10:02:00.000Z","window_end":"2026-11-22T10:03:00.000Z","count":1}'
}

@test "retractions: min/max find the next extreme, a group that empties vanishes" {
	run -0 window-agg -t t --tumble 1m -g g -a 'count,sum(x),min(x),max(x),count_distinct(x),first(x)' <<'EOF'
{"__kind":"+I","t":0,"g":"a","x":5}
{"__kind":"+I","t":1,"g":"a","x":1}
{"__kind":"+I","t":2,"g":"a","x":9}
{"__kind":"+I","t":3,"g":"b","x":2}
{"__kind":"-U","t":2,"g":"a","x":9}
{"__kind":"+U","t":2,"g":"a","x":3}
{"__kind":"-D","t":1,"g":"a","x":1}
{"__kind":"-D","t":3,"g":"b","x":2}
EOF
	assert_output '{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":2,"sum_x":8,"min_x":3,"max_x":5,"count_distinct_x":2,"first_x":5}'
}

@test "--emit update writes a changelog of results as rows arrive" {
	run -0 window-agg -t t --tumble 1m -g g -a count --emit update <<'EOF'
{"t":0,"g":"a"}
{"t":1,"g":"a"}
{"t":2,"g":"b"}
{"__kind":"-D","t":2,"g":"b"}
{"t":61000,"g":"a"}
EOF
	assert_output '{"__kind":"+I","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":1}
{"__kind":"-U","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":1}
{"__kind":"+U","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":2}
{"__kind":"+I","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"b","count":1}
{"__kind":"-D","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"b","count":1}
{"__kind":"+I","window_start":"1970-01-01T00:01:00.000Z","window_end":"1970-01-01T00:02:00.000Z","g":"a","count":1}'
}

@test "--emit update with --having: rows enter and leave the result" {
	run -0 window-agg -t t --tumble 1m -g g -a count --having 'count >= 2' --emit update <<'EOF'
{"t":0,"g":"a"}
{"t":1,"g":"a"}
{"t":2,"g":"a"}
{"__kind":"-D","t":2,"g":"a"}
{"__kind":"-D","t":1,"g":"a"}
EOF
	assert_output '{"__kind":"+I","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":2}
{"__kind":"-U","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":2}
{"__kind":"+U","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":3}
{"__kind":"-U","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":3}
{"__kind":"+U","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":2}
{"__kind":"-D","window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","g":"a","count":2}'
}

@test "a retraction that finds nothing is counted, not applied" {
	run -0 --separate-stderr window-agg -t t --tumble 1m -a count <<'EOF'
{"t":0}
{"__kind":"-D","t":0,"x":1}
{"__kind":"-D","t":0}
{"__kind":"-D","t":0}
EOF
	assert_output ''
	assert_equal "$stderr" "window-agg: warning: 2 retractions found no row to retract"
}

@test "--assign adds the window to every row (one copy per hop window)" {
	run -1 --separate-stderr window-agg -t t --hop 30s --size 1m --assign <<'EOF'
{"id":1,"t":"2026-11-22T10:00:40Z"}
{"id":2}
EOF
	assert_output '{"id":1,"t":"2026-11-22T10:00:40Z","window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z"}
{"id":1,"t":"2026-11-22T10:00:40Z","window_start":"2026-11-22T10:00:30.000Z","window_end":"2026-11-22T10:01:30.000Z"}'
	assert_equal "$stderr" 'window-agg: stdin:2: field "t": missing'
}

@test "--assign with sessions writes a session's rows when it closes" {
	run -0 window-agg -t t --session 10s -g u --assign <<'EOF'
{"u":1,"t":"2026-11-22T10:00:00Z"}
{"u":2,"t":"2026-11-22T10:00:01Z"}
{"u":1,"t":"2026-11-22T10:00:05Z"}
{"u":1,"t":"2026-11-22T10:00:30Z"}
EOF
	assert_output '{"u":2,"t":"2026-11-22T10:00:01Z","window_start":"2026-11-22T10:00:01.000Z","window_end":"2026-11-22T10:00:11.000Z"}
{"u":1,"t":"2026-11-22T10:00:00Z","window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:00:15.000Z"}
{"u":1,"t":"2026-11-22T10:00:05Z","window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:00:15.000Z"}
{"u":1,"t":"2026-11-22T10:00:30Z","window_start":"2026-11-22T10:00:30.000Z","window_end":"2026-11-22T10:00:40.000Z"}'
}

@test "--assign: a row's own window_start and window_end give way to its new window's" {
	run -0 window-agg -t window_start --tumble 1h --assign <<'EOF'
{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","n":3}
{"window\u005fend":"2026-11-22T10:02:00.000Z","window_start":"2026-11-22T10:01:00.000Z","n":4}
{"n":5,"window_start":"2026-11-22T11:00:00.000Z"}
EOF
	assert_output '{"n":3,"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T11:00:00.000Z"}
{"n":4,"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T11:00:00.000Z"}
{"n":5,"window_start":"2026-11-22T11:00:00.000Z","window_end":"2026-11-22T12:00:00.000Z"}'
	# and the same for the rows a session holds until it closes
	run -0 window-agg -t t --session 10s -g u --assign <<'EOF'
{"u":1,"t":"2026-11-22T10:00:00Z","window_end":0,"window_start":0}
{"u":1,"t":"2026-11-22T10:00:05Z"}
EOF
	assert_output '{"u":1,"t":"2026-11-22T10:00:00Z","window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:00:15.000Z"}
{"u":1,"t":"2026-11-22T10:00:05Z","window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:00:15.000Z"}'
}

# A deterministic stream: N rows, one every STEP ms from 2026-11-22T00:00Z,
# some out of order by up to 4 s, with updates and deletes as __kind rows.
gen_stream() {
	awk -v n="$1" -v step="$2" 'BEGIN {
		for (i = 1; i <= n; i++) {
			ts = 1795305600000 + i * step - (i % 7 == 0 ? 4000 : 0)
			p = 1 + (i * 7919) % 13
			price = sprintf("%d.%02d", (i * 31) % 200, (i * 17) % 100)
			printf "{\"id\":%d,\"p\":%d,\"price\":%s,\"ts\":%.0f}\n", i, p, price, ts
			if (i % 10 == 0) {
				printf "{\"__kind\":\"-U\",\"id\":%d,\"p\":%d,\"price\":%s,\"ts\":%.0f}\n", i, p, price, ts
				price = "1.00"
				printf "{\"__kind\":\"+U\",\"id\":%d,\"p\":%d,\"price\":%s,\"ts\":%.0f}\n", i, p, price, ts
			}
			if (i % 15 == 0)
				printf "{\"__kind\":\"-D\",\"id\":%d,\"p\":%d,\"price\":%s,\"ts\":%.0f}\n", i, p, price, ts
		}
	}'
}

@test "--state: runs over consecutive chunks give exactly the results of one run" {
	gen_stream 6000 97 >"$T/all.ndjson"
	for spec in "--tumble 1m" "--hop 20s --size 1m" "--cumulate 20s --size 1m" "--session 700ms"; do
		for emit in final update; do
			# shellcheck disable=SC2086
			args=(-t ts $spec -g p --watermark-delay 5s --emit $emit
				-a 'count,sum(price),avg(price),min(price),max(price),count_distinct(id),first(id),last(id)')
			window-agg "${args[@]}" <"$T/all.ndjson" >"$T/one.ndjson"
			rm -f "$T/state" "$T/chunks.ndjson"
			split -l 1777 "$T/all.ndjson" "$T/chunk."
			for c in "$T"/chunk.*; do
				window-agg "${args[@]}" --state "$T/state" <"$c" >>"$T/chunks.ndjson"
			done
			window-agg "${args[@]}" --state "$T/state" --drain </dev/null >>"$T/chunks.ndjson"
			rm -f "$T"/chunk.*
			[ -s "$T/one.ndjson" ] || fail "no output for $spec"
			diff -u "$T/one.ndjson" "$T/chunks.ndjson" ||
				fail "$spec --emit $emit: chunked runs differ from one run"
			[ ! -e "$T/state.tmp" ] || fail "temporary state file left behind"
		done
	done
}

@test "--state: settings must match, and the file is NDJSON with the counters" {
	printf '%s\n' '{"t":0,"x":1}' '{"t":70000,"x":1}' '{"t":1,"x":1}' |
		window-agg -q -t t --tumble 1m -a count --state "$T/st" >/dev/null
	run -0 jq -c 'select(.window_agg_state) | [.watermark, .max_time, .rows, .late]' "$T/st"
	assert_output '[70000000,70000000,3,1]'
	run -0 jq -c 'select(.window) | .window' "$T/st"
	assert_output '[60000000,120000000,0]'
	run -2 --separate-stderr window-agg -t t --tumble 2m -a count --state "$T/st" </dev/null
	assert_equal "$stderr" "window-agg: state file \"$T/st\" was written with other settings (tumble size=60000000 slide=0 gap=0 offset=0 time=t group-by= agg=0()=count emit=final assign=0), not these (tumble size=120000000 slide=0 gap=0 offset=0 time=t group-by= agg=0()=count emit=final assign=0): use the same options, or remove the file to start afresh"
	echo 'not json' >"$T/bad"
	run -1 --separate-stderr window-agg -t t --tumble 1m -a count --state "$T/bad" </dev/null
	assert_equal "$stderr" "window-agg: state file \"$T/bad\": no state header: not a state file, or damaged"
}

@test "--state: an empty, short, long, damaged or foreign file is refused, naming it and what is wrong" {
	for k in 1 2 3; do echo "{\"t\":$k,\"k\":$k}"; done |
		window-agg -q -t t --tumble 1m -g k -a count --state "$T/good" >/dev/null
	nl=$(($(wc -l <"$T/good") - 1))
	nb=$(($(wc -c <"$T/good") - $(head -1 "$T/good" | wc -c)))
	refused() {
		local want=$1
		cp "$T/bad" "$T/bad.before"
		run -1 --separate-stderr window-agg -t t --tumble 1m -g k -a count --state "$T/bad" <<<'{"t":4,"k":1}'
		assert_output ''
		assert_equal "$stderr" "window-agg: state file \"$T/bad\": $want"
		cmp "$T/bad" "$T/bad.before"	# left as it was
		[ ! -e "$T/bad.tmp" ]
	}
	: >"$T/bad"
	refused 'empty'
	head -c -10 "$T/good" >"$T/bad"
	refused "truncated: the header says $nl lines ($nb bytes), the file has $((nl - 1)) ($((nb - 10)) bytes)"
	head -n -1 "$T/good" >"$T/bad"
	refused "truncated: the header says $nl lines ($nb bytes), the file has $((nl - 1)) ($((nb - $(tail -1 "$T/good" | wc -c))) bytes)"
	head -c 30 "$T/good" >"$T/bad"
	refused 'truncated in its header'
	{ cat "$T/good"; echo '{"window":[0,60000000,1],"groups":[]}'; } >"$T/bad"
	refused "longer than its header says: $((nl + 1)) lines ($((nb + 38)) bytes), not $nl ($nb bytes)"
	sed '3s/"rows":1/"rows":7/' "$T/good" >"$T/bad"
	run -1 --separate-stderr window-agg -t t --tumble 1m -g k -a count --state "$T/bad" </dev/null
	[[ $stderr == "window-agg: state file \"$T/bad\": damaged: its checksum is "????????", the header says "???????? ]]
	tail -n +2 "$T/good" >"$T/bad"
	refused 'written by an earlier version, without a checksum: finish it with that version (--drain), or remove it to start afresh'
	head -1 "$T/good" >"$T/bad"
	restate "$T/bad"
	refused 'no window-agg state after the header'
	sed '1s/window-agg/interval-join/' "$T/good" >"$T/bad"
	refused 'the state of interval-join, not of window-agg'
	sed '1s/"cdc_pipes_state":1/"cdc_pipes_state":2/' "$T/good" >"$T/bad"
	refused 'state format of another version, this version reads 1'
	# a file whose checksum holds but whose lines do not: refused line by line
	sed '2s/"window_agg_state":1/"window_agg_state":9/' "$T/good" >"$T/bad"
	restate "$T/bad"
	run -1 --separate-stderr window-agg -t t --tumble 1m -g k -a count --state "$T/bad" </dev/null
	assert_equal "$stderr" "window-agg: $T/bad:2: not a window-agg state line"
	# and the good file goes on where it stopped
	run -0 window-agg -t t --tumble 1m -g k -a count --state "$T/good" --drain </dev/null
	assert_output '{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","k":1,"count":1}
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","k":2,"count":1}
{"window_start":"1970-01-01T00:00:00.000Z","window_end":"1970-01-01T00:01:00.000Z","k":3,"count":1}'
}

@test "--state: lines whose checksum holds but whose values window-agg never writes are refused" {
	for k in 1 2; do echo "{\"t\":$k,\"k\":$k,\"v\":\"a$k\"}"; done |
		window-agg -q -t t --tumble 1m -g k -a 'count, min(v) as mn' --emit update --state "$T/win" >/dev/null
	for k in 1 2; do echo "{\"t\":$k,\"k\":$k,\"v\":\"a$k\"}"; done |
		window-agg -q -t t --session 1m -g k -a 'count, min(v) as mn' --state "$T/sess" >/dev/null
	# edit line 3 of FILE with sed EXPR, checksum it anew: it is refused
	refused() {
		local file=$1 expr=$2 kind=$3
		sed "3$expr" "$T/$file" >"$T/bad"
		cmp -s "$T/bad" "$T/$file" && fail "sed '$expr' changed nothing"
		restate "$T/bad"
		run -1 --separate-stderr window-agg -t t $kind -g k -a 'count, min(v) as mn' ${4:-} --state "$T/bad" </dev/null
		assert_output ''
		assert_equal "$stderr" "window-agg: $T/bad:3: not a window-agg state line"
	}
	# a value that is no JSON would be written out as it is
	refused win 's/\[\["\\"a1\\"",1/[["a1",1/' '--tumble 1m' '--emit update'
	# nor is one written otherwise than window-agg writes values
	refused win 's/\[\["\\"a1\\"",1/[[" \\"a1\\"",1/' '--tumble 1m' '--emit update'
	refused win 's/\[\["\\"a1\\"",1/[["\\"\\\\u0061\\"",1/' '--tumble 1m' '--emit update'
	# a value no row holds
	refused win 's/\[\["\\"a1\\"",1/[["\\"a1\\"",0/' '--tumble 1m' '--emit update'
	# a group key that is no JSON, or not one value per group field
	refused win 's/"key":"1"/"key":"one"/' '--tumble 1m' '--emit update'
	refused win 's/"key":"1"/"key":"1\\u001f2"/' '--tumble 1m' '--emit update'
	# (too few parts made the results read past the key)
	for k in 1 2; do echo "{\"t\":$k,\"k\":$k,\"v\":\"a$k\"}"; done |
		window-agg -q -t t --tumble 1m -g k,v -a 'count, min(v) as mn' --state "$T/two" >/dev/null
	sed '3s/"key":"1\\u001f\\"a1\\""/"key":"1"/' "$T/two" >"$T/bad"
	restate "$T/bad"
	run -1 --separate-stderr window-agg -t t --tumble 1m -g k,v -a 'count, min(v) as mn' --state "$T/bad" --drain </dev/null
	assert_equal "$stderr" "window-agg: $T/bad:3: not a window-agg state line"
	# a result shown that is no row
	refused win 's/"shown":"{/"shown":"[{/' '--tumble 1m' '--emit update'
	# bounds: the end before the start, or beyond the times there are
	refused win 's/"window":\[0,60000000,0\]/"window":[60000000,0,0]/' '--tumble 1m' '--emit update'
	refused win 's/"window":\[0,60000000,0\]/"window":[0,9223372036854775807,0]/' '--tumble 1m' '--emit update'
	refused win 's/"window":\[0,60000000,0\]/"window":[0,60000000,2]/' '--tumble 1m' '--emit update'
	# a session's rows: their arguments as read, times within it
	refused sess 's/"\[\\"a1\\"\]"/"[\\"a1\\""/' '--session 1m'
	refused sess 's/"\[\\"a1\\"\]"/"[\\"a1\\",2]"/' '--session 1m'
	refused sess 's/"recs":\[\[1000,/"recs":[[999,/' '--session 1m'
	refused sess 's/"recs":\[\[1000,/"recs":[[1001,/' '--session 1m'
	# the files as written are good
	run -0 window-agg -t t --tumble 1m -g k -a 'count, min(v) as mn' --emit update --state "$T/win" --drain </dev/null
	run -0 window-agg -t t --session 1m -g k -a 'count, min(v) as mn' --state "$T/sess" --drain </dev/null
	assert_output '{"window_start":"1970-01-01T00:00:00.001Z","window_end":"1970-01-01T00:01:00.001Z","k":1,"count":1,"mn":"a1"}
{"window_start":"1970-01-01T00:00:00.002Z","window_end":"1970-01-01T00:01:00.002Z","k":2,"count":1,"mn":"a2"}'
}

# rows N: N rows one millisecond apart, each its own group, all in one
# minute: a state of N groups.
rows() {
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"t\":%d,\"k\":%d}\n", i, i }'
}

@test "--state: a write that fails (file size limit) leaves the old state and no temporary file" {
	rows 2 | window-agg -t t --tumble 1m -g k -a count --state "$T/st"
	cp "$T/st" "$T/st.before"
	# RLIMIT_FSIZE, its signal ignored: write(2) fails with EFBIG
	run -1 --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; exec window-agg -t t --tumble 1m -g k -a count --state "$1" < "$2"' \
		_ "$T/st" <(rows 100)
	assert_equal "$stderr" "window-agg: could not write \"$T/st.tmp\": File too large"
	[ ! -e "$T/st.tmp" ]
	cmp "$T/st" "$T/st.before"
}

@test "--state: a full disk leaves the old state and no temporary file" {
	mkdir "$T/full"
	mount -t tmpfs -o size=64k tmpfs "$T/full" 2>/dev/null ||
		skip "mounting a small tmpfs needs root"
	rows 2 | window-agg -t t --tumble 1m -g k -a count --state "$T/full/st"
	cp "$T/full/st" "$T/st.before"
	dd if=/dev/zero of="$T/full/filler" bs=4k 2>/dev/null || true
	run -1 --separate-stderr window-agg -t t --tumble 1m -g k -a count --state "$T/full/st" < <(rows 1000)
	assert_equal "$stderr" "window-agg: could not write \"$T/full/st.tmp\": No space left on device"
	[ ! -e "$T/full/st.tmp" ]
	cmp "$T/full/st" "$T/st.before"
	# with room again, the same run goes through
	rm "$T/full/filler"
	run -0 window-agg -t t --tumble 1m -g k -a count --state "$T/full/st" < <(rows 1000)
	[ "$(jq -s 'length' "$T/full/st")" -eq 3 ]
}

teardown() {
	if mountpoint -q "$BATS_TEST_TMPDIR/full" 2>/dev/null; then
		umount "$BATS_TEST_TMPDIR/full"
	fi
}

@test "SIGTERM: open windows go to --state and the exit status is 0" {
	mkfifo "$T/in"
	window-agg -t t --tumble 1m -a count --state "$T/st" <"$T/in" >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	exec 4>"$T/in"
	echo '{"t":0}' >&4
	echo '{"t":1}' >&4
	wait_until pipe_drained 4
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 4>&-
	assert_equal "$rc" 0
	assert_equal "$(cat "$T/out")" ""
	run -0 jq -c 'select(.window) | [.window, .groups[0].rows]' "$T/st"
	assert_output '[[0,60000000,0],2]'
}

@test "--idle-timeout: a quiet input still closes its windows" {
	mkfifo "$T/in"
	window-agg -t t --tumble 1s --idle-timeout 200ms -a count <"$T/in" >"$T/out" 3>&- &
	pid=$!
	exec 4>"$T/in"
	echo '{"t":"2026-11-22T10:00:00.500Z"}' >&4
	# nothing else arrives: after ~0.5 s of idleness the window [10:00:00,
	# 10:00:01) must be written while input is still open
	wait_until test -s "$T/out"
	run cat "$T/out"
	exec 4>&-
	wait "$pid"
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:00:01.000Z","count":1}'
}

@test "--proctime: rows are counted in arrival-time windows" {
	run -0 window-agg --proctime --tumble 1h -a count <<<'{"a":1}
{"a":2}'
	[[ $output =~ ^\{\"window_start\":\"[0-9T:.-]+Z\",\"window_end\":\"[0-9T:.-]+Z\",\"count\":2\}$ ]] ||
		[ "$(printf '%s\n' "$output" | jq -s 'map(.count) | add')" = 2 ] ||
		fail "unexpected: $output"
}

@test "a 10-hour stream runs in bounded state" {
	# 10 h, one row every 100 ms: 360,000 rows and 96,000 retractions and
	# updates; at most 2 one-minute windows
	# (the current one and the one waiting for the 5 s delay) are ever open.
	# 600 minutes x 13 products, plus the minute before midnight (4 products,
	# rows moved 4 s back) and the one row at 10:00:00.
	gen_stream 360000 100 >"$T/long.ndjson"
	run -0 --separate-stderr window-agg -v -t ts --tumble 1m -g p --watermark-delay 5s \
		-a 'count,sum(price),min(price),count_distinct(id)' "$T/long.ndjson"
	assert_equal "${#lines[@]}" 7805
	assert_equal "$stderr" "window-agg: 456000 rows read, 7805 results written; at most 2 windows and 26 groups open"
}

@test "bad lines: the message names line and field; skip keeps the good ones" {
	input='{"t":"2026-11-22T10:00:00Z","x":1}
{"t":"2024-13-40","x":1}
{"x":1}
{"t":true,"x":1}
{"t":0,"x":"abc"}
{"t":0,"x":{}}
{"t":0,"__kind":"+X"}
{"__watermark":"soon"}
not json
[1]
{"t":"2026-11-22T10:00:01Z","x":"2.5"}'
	run -1 --separate-stderr window-agg -t t --tumble 1m -a 'sum(x)' <<<"$input"
	assert_equal "$stderr" 'window-agg: stdin:2: field "t": not a timestamp: "2024-13-40"'
	run -0 --separate-stderr window-agg --on-error skip -t t --tumble 1m -a 'sum(x)' <<<"$input"
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","sum_x":3.5}'
	assert_equal "$stderr" 'window-agg: warning: stdin:2: field "t": not a timestamp: "2024-13-40" (line skipped)
window-agg: warning: stdin:3: field "t": missing (line skipped)
window-agg: warning: stdin:4: field "t": not a timestamp: true (line skipped)
window-agg: warning: stdin:5: field "x": not a number: "abc" (line skipped)
window-agg: warning: stdin:6: field "x": not a number: {} (line skipped)
window-agg: warning: stdin:7: field "__kind": not a change kind (+I, -U, +U, -D): "+X" (line skipped)
window-agg: warning: stdin:8: field "__watermark": not a timestamp: "soon" (line skipped)
window-agg: warning: stdin:9: invalid JSON: invalid literal at column 1 (line skipped)
window-agg: warning: stdin:10: not a JSON object: [1] (line skipped)
window-agg: warning: skipped 9 bad lines'
	run -0 --separate-stderr window-agg --dead-letter "$T/dead" -t t --tumble 1m -a 'sum(x)' <<<"$input"
	run -0 jq -c '[.line, .error]' "$T/dead"
	assert_line -n 0 '[2,"field \"t\": not a timestamp: \"2024-13-40\""]'
	assert_equal "${#lines[@]}" 9
}

@test "usage errors name the problem" {
	check() {
		local want=$1
		shift
		run -2 --separate-stderr window-agg "$@" </dev/null
		assert_equal "$stderr" "window-agg: $want
Try \"window-agg --help\" for more information."
	}
	check 'no window given: use --tumble, --hop, --cumulate or --session' -t t -a count
	check 'no time given: use --time=FIELD or --proctime' --tumble 1m -a count
	check '--time and --proctime do not go together' -t t --proctime --tumble 1m -a count
	check 'no aggregate given: use --agg (or --assign)' -t t --tumble 1m
	check '--session: only one of --tumble, --hop, --cumulate and --session may be given' -t t --tumble 1m --session 1m -a count
	check '--hop needs --size' -t t --hop 1m -a count
	check '--cumulate=STEP must divide --size' -t t --cumulate 7s --size 1m -a count
	check '--hop=SLIDE must not exceed --size (rows would fall between windows)' -t t --hop 2m --size 1m -a count
	check 'invalid value "0s" for option --tumble: must be positive' -t t --tumble 0s -a count
	check 'invalid value "1x" for option --tumble: not a duration (e.g. 500ms, 15s, 1m, 1h30m, 1d)' -t t --tumble 1x -a count
	check 'invalid value "median(x)" for option --agg: unknown aggregate "median" (count, sum, avg, min, max, count_distinct, first, last)' -t t --tumble 1m -a 'median(x)'
	check 'invalid value "sum" for option --agg: sum needs a field: sum(FIELD)' -t t --tumble 1m -a sum
	check 'invalid value "count,count" for option --agg: two aggregates named "count" (name one with "as")' -t t --tumble 1m -a count,count
	check '--assign and --agg do not go together' -t t --tumble 1m -a count --assign
	check '--assign does not go with --having or --emit=update' -t t --tumble 1m --assign --emit update
	check '--assign does not go with --having or --emit=update' -t t --tumble 1m -g k --assign --having 'k > 5'
	check '--drain goes with --state' -t t --tumble 1m -a count --drain
	check 'invalid value "weekly" for option --emit: expected final or update' -t t --tumble 1m -a count --emit weekly
	check 'invalid value "h" for option --time-unit: expected s, ms, us or ns' -t t --time-unit h --tumble 1m -a count
}

@test "output names are unique: options that would repeat one are usage errors" {
	check() {
		local want=$1
		shift
		run -2 --separate-stderr window-agg -t t --tumble 1m "$@" </dev/null
		assert_equal "$stderr" "window-agg: $want
Try \"window-agg --help\" for more information."
	}
	check 'output field "window_start" of --group-by collides with the window bounds' -g window_start -a count
	check 'output field "window_start" of --group-by "window.start" collides with the window bounds' -g window.start -a count
	check 'output field "window_end" of --agg collides with the window bounds' -a 'sum(x) as window_end'
	check 'output field "k" of --agg collides with that of --group-by' -g k -a 'sum(x) as k'
	check 'output field "count" of --agg collides with that of --group-by' -g count -a count
	check 'output field "sum_a_b" of --agg collides with that of --group-by' -g sum_a_b -a 'sum(a.b)'
	check 'output field "a_b" of --group-by collides with that of --group-by "a.b"' -g a.b,a_b -a count
	check 'output field "k" of --group-by: "k" is given twice' -g k,k -a count
	check 'output field "__kind" of --agg: a reserved name (changelog rows and control lines)' -a 'count as __kind' --emit update
	check 'output field "__watermark" of --group-by: a reserved name (changelog rows and control lines)' -g __watermark -a count
	check 'output field "__checkpoint" of --group-by: a reserved name (changelog rows and control lines)' -g __checkpoint -a count
	# metadata names that mean nothing to a stage are fine, and --assign
	# writes no group fields
	run -0 window-agg -t t --tumble 1m -g __table -a 'max(__lsn) as __lsn' </dev/null
	run -0 window-agg -t t --tumble 1m -g window_start --assign </dev/null
}

@test "a reader that goes away ends window-agg quietly" {
	gen_stream 50000 1000 >"$T/s.ndjson"
	run -0 bash -c 'set -o pipefail; window-agg -t ts --tumble 1s -a count "$1" | head -1 >/dev/null' _ "$T/s.ndjson"
}
