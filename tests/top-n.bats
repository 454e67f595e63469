#!/usr/bin/env bats
# top-n: ranking, ties, keys and directions, partitions, closing by
# watermark, --sorted and end of input, changelogs and --emit update, bad
# lines, usage, signals, bounded memory. Expected outputs are written by hand
# from the ROW_NUMBER rules; the PostgreSQL oracle tests are in
# top-n-oracle.bats.

load helpers/common

setup() {
	T=$BATS_TEST_TMPDIR
}

W0='"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z"'
W1='"window_start":"2026-11-22T10:01:00.000Z","window_end":"2026-11-22T10:02:00.000Z"'
W2='"window_start":"2026-11-22T10:02:00.000Z","window_end":"2026-11-22T10:03:00.000Z"'

@test "ranks by a field, largest first; ties go to the earlier row" {
	input='{"id":1,"v":10}
{"id":2,"v":30}
{"id":3,"v":20}
{"id":4,"v":30}
{"id":5,"v":20}
{"id":6,"v":40}'
	run -0 --separate-stderr top-n -n 4 --by v <<<"$input"
	assert_output '{"id":6,"v":40,"rank":1}
{"id":2,"v":30,"rank":2}
{"id":4,"v":30,"rank":3}
{"id":3,"v":20,"rank":4}'
	assert_equal "$stderr" ""
	run -0 top-n -n 4 --by v --asc <<<"$input"
	assert_output '{"id":1,"v":10,"rank":1}
{"id":3,"v":20,"rank":2}
{"id":5,"v":20,"rank":3}
{"id":2,"v":30,"rank":4}'
	run -0 top-n --limit=1 -b v:asc <<<"$input"
	assert_output '{"id":1,"v":10,"rank":1}'
	# a row equal to the N-th does not displace it
	run -0 top-n -n 2 --by v <<<'{"id":"a","v":30}
{"id":"b","v":20}
{"id":"c","v":20}'
	assert_output '{"id":"a","v":30,"rank":1}
{"id":"b","v":20,"rank":2}'
	# fewer rows than N: all of them
	run -0 top-n -n 10 --by v <<<'{"v":1}'
	assert_output '{"v":1,"rank":1}'
}

@test "several --by keys, each ascending or descending; --asc sets the default" {
	input='{"name":"b","dept":"x","pay":100}
{"name":"a","dept":"y","pay":100}
{"name":"c","dept":"x","pay":200}
{"name":"a","dept":"x","pay":100}'
	run -0 top-n -n 4 --by pay --by name:asc <<<"$input"
	assert_output '{"name":"c","dept":"x","pay":200,"rank":1}
{"name":"a","dept":"y","pay":100,"rank":2}
{"name":"a","dept":"x","pay":100,"rank":3}
{"name":"b","dept":"x","pay":100,"rank":4}'
	run -0 top-n -n 4 --by pay --by name:desc --asc <<<"$input"
	assert_output '{"name":"b","dept":"x","pay":100,"rank":1}
{"name":"a","dept":"y","pay":100,"rank":2}
{"name":"a","dept":"x","pay":100,"rank":3}
{"name":"c","dept":"x","pay":200,"rank":4}'
	run -0 top-n -n 4 -b dept:asc -b pay:desc <<<"$input"
	assert_output '{"name":"c","dept":"x","pay":200,"rank":1}
{"name":"b","dept":"x","pay":100,"rank":2}
{"name":"a","dept":"x","pay":100,"rank":3}
{"name":"a","dept":"y","pay":100,"rank":4}'
	# a dotted path
	run -0 top-n -n 1 --by o.total <<<'{"o":{"total":5}}
{"o":{"total":7.5}}
{"o":{}}'
	assert_output '{"o":{"total":7.5},"rank":1}'
}

@test "numbers by exact value, then strings, booleans, objects; nulls last both ways" {
	input='{"k":1,"v":"str"}
{"k":2,"v":null}
{"k":3,"v":2.50}
{"k":4}
{"k":5,"v":true}
{"k":6,"v":{"a":1}}
{"k":7,"v":2.5}
{"k":8,"v":false}
{"k":9,"v":1e2}
{"k":10,"v":[1]}
{"k":11,"v":123456789012345678901234567890123456789012}
{"k":12,"v":-0.001}
{"k":13,"v":99.999999999999999999999999999999999999}'
	run -0 top-n -n 20 --by v <<<"$input"
	assert_output '{"k":6,"v":{"a":1},"rank":1}
{"k":10,"v":[1],"rank":2}
{"k":5,"v":true,"rank":3}
{"k":8,"v":false,"rank":4}
{"k":1,"v":"str","rank":5}
{"k":11,"v":123456789012345678901234567890123456789012,"rank":6}
{"k":9,"v":1e2,"rank":7}
{"k":13,"v":99.999999999999999999999999999999999999,"rank":8}
{"k":3,"v":2.50,"rank":9}
{"k":7,"v":2.5,"rank":10}
{"k":12,"v":-0.001,"rank":11}
{"k":2,"v":null,"rank":12}
{"k":4,"rank":13}'
	run -0 top-n -n 20 --by v --asc <<<"$input"
	assert_output '{"k":12,"v":-0.001,"rank":1}
{"k":3,"v":2.50,"rank":2}
{"k":7,"v":2.5,"rank":3}
{"k":13,"v":99.999999999999999999999999999999999999,"rank":4}
{"k":9,"v":1e2,"rank":5}
{"k":11,"v":123456789012345678901234567890123456789012,"rank":6}
{"k":1,"v":"str","rank":7}
{"k":8,"v":false,"rank":8}
{"k":5,"v":true,"rank":9}
{"k":10,"v":[1],"rank":10}
{"k":6,"v":{"a":1},"rank":11}
{"k":2,"v":null,"rank":12}
{"k":4,"rank":13}'
}

@test "numbers rank exactly at any width: 38 nines and 1e38, 1e-400 and 2e-401, 1e999 and 1e1000" {
	input='{"k":1,"v":1e38}
{"k":2,"v":99999999999999999999999999999999999999}
{"k":3,"v":100000000000000000000000000000000000001}
{"k":4,"v":1e-400}
{"k":5,"v":2e-401}
{"k":6,"v":0}
{"k":7,"v":-1e-400}
{"k":8,"v":1e999}
{"k":9,"v":1e1000}
{"k":10,"v":-1e999}
{"k":11,"v":0.1e-399}
{"k":12,"v":100000000000000000000000000000000000000}
{"k":13,"v":12345678901234567890.123456789012345678901}
{"k":14,"v":12345678901234567890.123456789012345678900}
{"k":15,"v":9e131071}
{"k":16,"v":1.5e-16382}'
	run -0 top-n -n 20 --by v <<<"$input"
	assert_output '{"k":15,"v":9e131071,"rank":1}
{"k":9,"v":1e1000,"rank":2}
{"k":8,"v":1e999,"rank":3}
{"k":3,"v":100000000000000000000000000000000000001,"rank":4}
{"k":1,"v":1e38,"rank":5}
{"k":12,"v":100000000000000000000000000000000000000,"rank":6}
{"k":2,"v":99999999999999999999999999999999999999,"rank":7}
{"k":13,"v":12345678901234567890.123456789012345678901,"rank":8}
{"k":14,"v":12345678901234567890.123456789012345678900,"rank":9}
{"k":4,"v":1e-400,"rank":10}
{"k":11,"v":0.1e-399,"rank":11}
{"k":5,"v":2e-401,"rank":12}
{"k":16,"v":1.5e-16382,"rank":13}
{"k":6,"v":0,"rank":14}
{"k":7,"v":-1e-400,"rank":15}
{"k":10,"v":-1e999,"rank":16}'
	run -0 top-n -n 3 --asc --by v <<<"$input"
	assert_output '{"k":10,"v":-1e999,"rank":1}
{"k":7,"v":-1e-400,"rank":2}
{"k":6,"v":0,"rank":3}'
	# a retraction finds a wide row by its text
	run -0 top-n -n 2 --by v <<'EOF'
{"__kind":"+I","k":1,"v":1e1000}
{"__kind":"+I","k":2,"v":1e999}
{"__kind":"+I","k":3,"v":1}
{"__kind":"-D","k":1,"v":1e1000}
EOF
	assert_output '{"k":2,"v":1e999,"rank":1}
{"k":3,"v":1,"rank":2}'
}

@test "a number beyond numeric's range has no exact order: a bad line naming it" {
	input='{"k":1,"v":1}
{"k":2,"v":1e999999999}
{"k":3,"v":-1e131072}
{"k":4,"v":1e-16384}
{"k":5,"v":2,"w":1e999999999}'
	run -1 --separate-stderr top-n -n 3 --by v <<<"$input"
	assert_equal "$stderr" 'top-n: stdin:2: field "v": number out of range: 1e999999999'
	run -0 --separate-stderr top-n -n 3 --by v --on-error skip <<<"$input"
	assert_output '{"k":5,"v":2,"w":1e999999999,"rank":1}
{"k":1,"v":1,"rank":2}'
	assert_equal "$stderr" 'top-n: warning: stdin:2: field "v": number out of range: 1e999999999 (line skipped)
top-n: warning: stdin:3: field "v": number out of range: -1e131072 (line skipped)
top-n: warning: stdin:4: field "v": number out of range: 1e-16384 (line skipped)
top-n: warning: skipped 3 bad lines'
	# 20 MB of digits: refused at once
	{ printf '{"v":'; head -c 20000000 /dev/zero | tr '\0' '1'; printf '}\n'; } >"$T/big"
	run -1 --separate-stderr top-n -n 1 --by v "$T/big"
	assert_equal "$stderr" "top-n: $T/big:1: field \"v\": number out of range: 1111111111111111111111111111111111111..."
}

@test "strings compare by their unescaped bytes" {
	run -0 top-n -n 9 --by s --asc <<'EOF'
{"s":"z"}
{"s":"\u00e9"}
{"s":"a\"b"}
{"s":"ab"}
{"s":"a"}
{"s":""}
{"s":"\u0061"}
EOF
	assert_output '{"s":"","rank":1}
{"s":"a","rank":2}
{"s":"\u0061","rank":3}
{"s":"a\"b","rank":4}
{"s":"ab","rank":5}
{"s":"z","rank":6}
{"s":"\u00e9","rank":7}'
}

@test "rows are written from their own text: digits, spacing inside members, empty rows" {
	run -0 top-n -n 3 --by v <<'EOF'
{ "v" : 19.90 , "t":"2026-11-22 10:00:00+00",	"n":{"x": [1, 2]} }
{}
{"v":1E+1}
EOF
	assert_output '{"v" : 19.90,"t":"2026-11-22 10:00:00+00","n":{"x": [1, 2]},"rank":1}
{"v":1E+1,"rank":2}
{"rank":3}'
}

@test "partitions: canonical values, null and missing together, several fields" {
	run -0 top-n -n 2 --by v --partition-by shop <<'EOF'
{"shop":"a/b","v":1}
{"shop":"a\/b","v":3}
{"shop":null,"v":5}
{"v":4}
{"shop":1,"v":2}
{"shop":1.0,"v":7}
{"shop":"\u0061/b","v":2}
{"shop":null,"v":1}
EOF
	assert_output '{"shop":"a\/b","v":3,"rank":1}
{"shop":"\u0061/b","v":2,"rank":2}
{"shop":null,"v":5,"rank":1}
{"v":4,"rank":2}
{"shop":1,"v":2,"rank":1}
{"shop":1.0,"v":7,"rank":1}'
	run -0 top-n -n 1 --by v -p a,b.c <<'EOF'
{"a":1,"b":{"c":"x"},"v":1}
{"a":1,"b":{"c":"y"},"v":2}
{"a":2,"b":{"c":"x"},"v":3}
{"a":1,"b":{"c":"x"},"v":4}
{"a":1,"b":{},"v":5}
EOF
	assert_output '{"a":1,"b":{"c":"x"},"v":4,"rank":1}
{"a":1,"b":{"c":"y"},"v":2,"rank":1}
{"a":2,"b":{"c":"x"},"v":3,"rank":1}
{"a":1,"b":{},"v":5,"rank":1}'
}

@test "--rank-field renames the rank; an input member of that name is replaced" {
	run -0 top-n -n 2 --by v --rank-field pos <<'EOF'
{"pos":9,"v":1}
{"v":2,"pos":"x","w":0}
EOF
	assert_output '{"v":2,"w":0,"pos":1}
{"v":1,"pos":2}'
	run -0 top-n -n 1 --by v --rank-field 'a "b"' <<<'{"v":1}'
	assert_output '{"v":1,"a \"b\"":1}'
	# re-ranking top-n's own output by its rank
	run -0 top-n -n 1 --by rank --asc <<<'{"x":1,"rank":2}
{"x":2,"rank":1}'
	assert_output '{"x":2,"rank":1}'
}

@test "a watermark closes the partitions whose window_end it reaches, in window_end order" {
	run -0 --separate-stderr top-n -n 1 --by v -p w --watermarks <<'EOF'
{"w":"b","v":1,"window_end":"2026-11-22T10:02:00Z"}
{"w":"x","v":1}
{"w":"a","v":2,"window_end":"2026-11-22T10:01:00Z"}
{"w":"c","v":2,"window_end":"2026-11-22T10:01:00.000Z"}
{"w":"a","v":3,"window_end":"2026-11-22T10:01:00Z"}
{"w":"d","v":0,"window_end":"2026-11-22T10:00:30Z"}
{"__watermark":"2026-11-22T10:00:59.999Z"}
{"__watermark":"2026-11-22T11:01:00+01:00"}
{"w":"a","v":9,"window_end":"2026-11-22T10:01:00Z"}
{"__watermark":"2026-11-22T10:00:30Z"}
{"w":"y","v":1}
{"w":"b","v":2,"window_end":"2026-11-22T10:02:30Z"}
{"__watermark":1795341720000}
{"w":"b","v":3,"window_end":"2026-11-22T10:03:00Z"}
EOF
	assert_output '{"w":"d","v":0,"window_end":"2026-11-22T10:00:30Z","rank":1}
{"__watermark":"2026-11-22T10:00:59.999Z"}
{"w":"a","v":3,"window_end":"2026-11-22T10:01:00Z","rank":1}
{"w":"c","v":2,"window_end":"2026-11-22T10:01:00.000Z","rank":1}
{"__watermark":"2026-11-22T10:01:00.000Z"}
{"__watermark":"2026-11-22T10:02:00.000Z"}
{"w":"b","v":3,"window_end":"2026-11-22T10:03:00Z","rank":1}
{"w":"x","v":1,"rank":1}
{"w":"y","v":1,"rank":1}'
	assert_equal "$stderr" "top-n: warning: 1 late rows dropped (window_end at or before the watermark)"
	# without --watermarks the watermark lines are consumed
	run -0 top-n -n 5 --by v <<'EOF'
{"v":1,"window_end":"2026-11-22T10:01:00Z"}
{"__watermark":"2026-11-22T10:01:00Z"}
{"v":2,"window_end":"2026-11-22T10:02:00Z"}
EOF
	assert_output '{"v":1,"window_end":"2026-11-22T10:01:00Z","rank":1}
{"v":2,"window_end":"2026-11-22T10:02:00Z","rank":1}'
}

@test "window_end outside years 0001-9999 and at the infinities" {
	# Expanded years order as times; infinity closes at a watermark of
	# infinity, which also closes the partitions without window_end and
	# is forwarded; -infinity had closed before any watermark.
	run -0 --separate-stderr top-n -n 1 --by v -p w --watermarks <<'EOF'
{"w":"inf","v":1,"window_end":"infinity"}
{"w":"y10k","v":1,"window_end":"+10000-01-01T00:00:00.000Z"}
{"w":"pg10k","v":1,"window_end":"10000-01-01 00:01:00+00"}
{"w":"bc","v":1,"window_end":"-0044-03-16T00:00:00.000Z"}
{"w":"bcpg","v":2,"window_end":"0045-03-16 00:00:00+00 BC"}
{"w":"none","v":1}
{"w":"ninf","v":1,"window_end":"-infinity"}
{"__watermark":"-infinity"}
{"__watermark":"0001-01-01T00:00:00Z"}
{"__watermark":"+10000-01-01T00:00:30Z"}
{"w":"ninf","v":2,"window_end":"-infinity"}
{"__watermark":"infinity"}
{"w":"inf","v":2,"window_end":"infinity"}
{"w":"later","v":2}
EOF
	assert_output '{"w":"bc","v":1,"window_end":"-0044-03-16T00:00:00.000Z","rank":1}
{"w":"bcpg","v":2,"window_end":"0045-03-16 00:00:00+00 BC","rank":1}
{"__watermark":"0001-01-01T00:00:00.000Z"}
{"w":"y10k","v":1,"window_end":"+10000-01-01T00:00:00.000Z","rank":1}
{"__watermark":"+10000-01-01T00:00:30.000Z"}
{"w":"pg10k","v":1,"window_end":"10000-01-01 00:01:00+00","rank":1}
{"w":"inf","v":1,"window_end":"infinity","rank":1}
{"w":"none","v":1,"rank":1}
{"__watermark":"infinity"}
{"w":"later","v":2,"rank":1}'
	assert_equal "$stderr" "top-n: warning: 3 late rows dropped (window_end at or before the watermark)"
	# without watermarks, end of input orders them by window_end
	run -0 top-n -n 1 --by v -p w <<'EOF'
{"w":"inf","v":1,"window_end":"infinity"}
{"w":"y10k","v":1,"window_end":"+10000-01-01T00:00:00.000Z"}
{"w":"bc","v":1,"window_end":"-0044-03-16T00:00:00.000Z"}
EOF
	assert_output '{"w":"bc","v":1,"window_end":"-0044-03-16T00:00:00.000Z","rank":1}
{"w":"y10k","v":1,"window_end":"+10000-01-01T00:00:00.000Z","rank":1}
{"w":"inf","v":1,"window_end":"infinity","rank":1}'
	run -1 --separate-stderr top-n -n 1 --by v <<<'{"v":1,"window_end":"+300000-01-01T00:00:00Z"}'
	assert_equal "$stderr" 'top-n: stdin:1: field "window_end": timestamp out of range: "+300000-01-01T00:00:00Z"'
}

@test "end of input: windowed partitions by window_end, then the others by first arrival" {
	run -0 top-n -n 1 --by v -p g <<'EOF'
{"g":1,"v":1}
{"g":2,"v":1,"window_end":"2026-11-22T10:05:00Z"}
{"g":3,"v":1,"window_end":"2026-11-22T10:01:00Z"}
{"g":4,"v":1}
{"g":5,"v":1,"window_end":null}
{"g":6,"v":1,"window_end":1795341600000}
EOF
	assert_output '{"g":6,"v":1,"window_end":1795341600000,"rank":1}
{"g":3,"v":1,"window_end":"2026-11-22T10:01:00Z","rank":1}
{"g":2,"v":1,"window_end":"2026-11-22T10:05:00Z","rank":1}
{"g":1,"v":1,"rank":1}
{"g":4,"v":1,"rank":1}
{"g":5,"v":1,"window_end":null,"rank":1}'
}

@test "--sorted: a partition is written when the next one begins" {
	mkfifo "$T/in"
	top-n -n 2 --by v -p g --sorted <"$T/in" >"$T/out" 3>&- &
	pid=$!
	exec 4>"$T/in"
	printf '%s\n' '{"g":1,"v":1}' '{"g":1,"v":3}' '{"g":1,"v":2}' '{"g":2,"v":5}' >&4
	# g=1 is complete once g=2 begins: written before input ends
	wait_until lines_at_least 2 "$T/out"
	run cat "$T/out"
	assert_output '{"g":1,"v":3,"rank":1}
{"g":1,"v":2,"rank":2}'
	printf '%s\n' '{"g":1,"v":9}' >&4
	exec 4>&-
	wait "$pid"
	run cat "$T/out"
	# a key that comes back is a new partition
	assert_output '{"g":1,"v":3,"rank":1}
{"g":1,"v":2,"rank":2}
{"g":2,"v":5,"rank":1}
{"g":1,"v":9,"rank":1}'
}

@test "a changelog keeps every live row: retracting a top row brings up the next" {
	input='{"__kind":"+I","user":"a","spend":10}
{"__kind":"+I","user":"b","spend":30}
{"__kind":"+I","user":"c","spend":20}
{"__kind":"+I","user":"d","spend":25}
{"__kind":"-D","user":"b","spend":30}
{"__kind":"-U","user":"c","spend":20}
{"__kind":"+U","user":"c","spend":40}
{"user":"e","spend":5}'
	run -0 --separate-stderr top-n -n 2 --by spend <<<"$input"
	assert_output '{"user":"c","spend":40,"rank":1}
{"user":"d","spend":25,"rank":2}'
	assert_equal "$stderr" ""
	run -0 top-n -n 5 --by spend <<<"$input"
	assert_output '{"user":"c","spend":40,"rank":1}
{"user":"d","spend":25,"rank":2}
{"user":"a","spend":10,"rank":3}
{"user":"e","spend":5,"rank":4}'
}

@test "--emit update: a changelog keyed by rank, +I, -U/+U and -D" {
	run -0 --separate-stderr top-n -n 2 --by spend --emit update <<'EOF'
{"__kind":"+I","user":"a","spend":10}
{"__kind":"+I","user":"b","spend":30}
{"__kind":"+I","user":"c","spend":20}
{"__kind":"+I","user":"d","spend":25}
{"__kind":"-D","user":"b","spend":30}
{"__kind":"-U","user":"c","spend":20}
{"__kind":"+U","user":"c","spend":40}
{"__kind":"-D","user":"d","spend":25}
{"__kind":"-D","user":"a","spend":10}
{"__kind":"-D","user":"c","spend":40}
EOF
	assert_output '{"__kind":"+I","user":"a","spend":10,"rank":1}
{"__kind":"-U","user":"a","spend":10,"rank":1}
{"__kind":"+U","user":"b","spend":30,"rank":1}
{"__kind":"+I","user":"a","spend":10,"rank":2}
{"__kind":"-U","user":"a","spend":10,"rank":2}
{"__kind":"+U","user":"c","spend":20,"rank":2}
{"__kind":"-U","user":"c","spend":20,"rank":2}
{"__kind":"+U","user":"d","spend":25,"rank":2}
{"__kind":"-U","user":"b","spend":30,"rank":1}
{"__kind":"+U","user":"d","spend":25,"rank":1}
{"__kind":"-U","user":"d","spend":25,"rank":2}
{"__kind":"+U","user":"c","spend":20,"rank":2}
{"__kind":"-U","user":"c","spend":20,"rank":2}
{"__kind":"+U","user":"a","spend":10,"rank":2}
{"__kind":"-U","user":"d","spend":25,"rank":1}
{"__kind":"+U","user":"c","spend":40,"rank":1}
{"__kind":"-U","user":"a","spend":10,"rank":2}
{"__kind":"+U","user":"d","spend":25,"rank":2}
{"__kind":"-U","user":"d","spend":25,"rank":2}
{"__kind":"+U","user":"a","spend":10,"rank":2}
{"__kind":"-D","user":"a","spend":10,"rank":2}
{"__kind":"-D","user":"c","spend":40,"rank":1}'
	assert_equal "$stderr" ""
}

@test "--emit update: equal rows; a rank whose content stays the same is not rewritten" {
	run -0 top-n -n 3 --by s --emit update <<'EOF'
{"__kind":"+I","u":"a","s":5}
{"__kind":"+I","u":"a","s":5}
{"__kind":"-D","u":"a","s":5}
EOF
	assert_output '{"__kind":"+I","u":"a","s":5,"rank":1}
{"__kind":"+I","u":"a","s":5,"rank":2}
{"__kind":"-D","u":"a","s":5,"rank":2}'
}

@test "--emit update on append input: a live leaderboard of N rows" {
	run -0 --separate-stderr top-n -n 2 --by n --emit update -v <<'EOF'
{"p":"x","n":1}
{"p":"y","n":3}
{"p":"z","n":2}
{"p":"w","n":2}
{"p":"v","n":5}
{"p":"u","n":0}
EOF
	assert_output '{"__kind":"+I","p":"x","n":1,"rank":1}
{"__kind":"-U","p":"x","n":1,"rank":1}
{"__kind":"+U","p":"y","n":3,"rank":1}
{"__kind":"+I","p":"x","n":1,"rank":2}
{"__kind":"-U","p":"x","n":1,"rank":2}
{"__kind":"+U","p":"z","n":2,"rank":2}
{"__kind":"-U","p":"y","n":3,"rank":1}
{"__kind":"+U","p":"v","n":5,"rank":1}
{"__kind":"-U","p":"z","n":2,"rank":2}
{"__kind":"+U","p":"y","n":3,"rank":2}'
	assert_equal "$stderr" "top-n: 6 rows read, 10 rows written; at most 1 partitions open and 2 rows held"
}

@test "--emit update: partitions closed by a watermark are dropped without output" {
	run -0 --separate-stderr top-n -n 1 --by n -p w --emit update --watermarks <<'EOF'
{"w":1,"n":1,"window_end":"2026-11-22T10:01:00Z"}
{"w":2,"n":1,"window_end":"2026-11-22T10:02:00Z"}
{"__watermark":"2026-11-22T10:01:00Z"}
{"w":1,"n":2,"window_end":"2026-11-22T10:01:00Z"}
{"w":2,"n":2,"window_end":"2026-11-22T10:02:00Z"}
EOF
	assert_output '{"__kind":"+I","w":1,"n":1,"window_end":"2026-11-22T10:01:00Z","rank":1}
{"__kind":"+I","w":2,"n":1,"window_end":"2026-11-22T10:02:00Z","rank":1}
{"__watermark":"2026-11-22T10:01:00.000Z"}
{"__kind":"-U","w":2,"n":1,"window_end":"2026-11-22T10:02:00Z","rank":1}
{"__kind":"+U","w":2,"n":2,"window_end":"2026-11-22T10:02:00Z","rank":1}'
	assert_equal "$stderr" "top-n: warning: 1 late rows dropped (window_end at or before the watermark)"
}

@test "a retraction matches a row by its other members' text; one that matches nothing is counted" {
	run -0 --separate-stderr top-n -n 5 --by v <<'EOF'
{"__kind":"+I","id":1,"v":1.0}
{"__kind":"+I","id":2,"v":2}
{"__kind":"-D","id":1,"v":1}
{"id":2,"__kind":"-D","v":2}
{"__kind":"-D","id":3,"v":3}
EOF
	assert_output '{"id":1,"v":1.0,"rank":1}'
	assert_equal "$stderr" "top-n: warning: 2 retractions found no row to retract"
	run -0 --separate-stderr top-n -q -n 5 --by v <<<'{"__kind":"-D","id":3,"v":3}'
	assert_equal "$stderr" ""
	# retractions after append rows fell out of a top N: said once
	run -0 --separate-stderr top-n -n 1 --by v <<'EOF'
{"id":1,"v":1}
{"id":2,"v":2}
{"id":3,"v":3}
{"__kind":"-D","id":3,"v":3}
{"__kind":"-D","id":2,"v":2}
EOF
	assert_output ''
	assert_equal "$stderr" "top-n: warning: stdin:4: first __kind row after 2 rows fell out of the top 1: a retraction may leave a ranking short
top-n: warning: 1 retractions found no row to retract"
}

@test "bad lines: the message names line and field; skip keeps the good ones" {
	input='{"v":1,"window_end":"2026-11-22T10:01:00Z"}
{"v":2,"window_end":"2024-13-40"}
{"v":3,"__kind":"+X"}
{"v":3,"__kind":"-I"}
{"__watermark":"soon"}
not json
[1]
{"v":4,"window_end":true}
{"v":5,"__kind":7}
{"v":6}'
	run -1 --separate-stderr top-n -n 3 --by v <<<"$input"
	assert_output ''
	assert_equal "$stderr" 'top-n: stdin:2: field "window_end": not a timestamp: "2024-13-40"'
	run -0 --separate-stderr top-n -n 3 --by v --on-error skip <<<"$input"
	assert_output '{"v":6,"rank":1}
{"v":1,"window_end":"2026-11-22T10:01:00Z","rank":2}'
	assert_equal "$stderr" 'top-n: warning: stdin:2: field "window_end": not a timestamp: "2024-13-40" (line skipped)
top-n: warning: stdin:3: field "__kind": not a change kind (+I, -U, +U, -D): "+X" (line skipped)
top-n: warning: stdin:4: field "__kind": not a change kind (+I, -U, +U, -D): "-I" (line skipped)
top-n: warning: stdin:5: field "__watermark": not a timestamp: "soon" (line skipped)
top-n: warning: stdin:6: invalid JSON: invalid literal at column 1 (line skipped)
top-n: warning: stdin:7: not a JSON object: [1] (line skipped)
top-n: warning: stdin:8: field "window_end": not a timestamp: true (line skipped)
top-n: warning: stdin:9: field "__kind": not a change kind (+I, -U, +U, -D): 7 (line skipped)
top-n: warning: skipped 8 bad lines'
	run -0 --separate-stderr top-n -n 3 --by v --dead-letter "$T/dead" <<<"$input"
	assert_equal "$stderr" "top-n: warning: skipped 8 bad lines, written to \"$T/dead\""
	run -0 jq -c '[.source, .line, .error, .input]' "$T/dead"
	assert_line -n 0 '["stdin",2,"field \"window_end\": not a timestamp: \"2024-13-40\"","{\"v\":2,\"window_end\":\"2024-13-40\"}"]'
	assert_equal "${#lines[@]}" 8
	# good rows before a bad line are written: its watermark had closed them
	run -1 --separate-stderr top-n -n 3 --by v <<'EOF'
{"v":1,"window_end":"2026-11-22T10:01:00Z"}
{"__watermark":"2026-11-22T10:01:00Z"}
{"v":2,"window_end":"2026-11-22T10:02:00Z"}
{"v":
EOF
	assert_output '{"v":1,"window_end":"2026-11-22T10:01:00Z","rank":1}'
	assert_equal "$stderr" 'top-n: stdin:4: invalid JSON: unexpected end of input, expected a value at column 6'
}

@test "a line over --max-line is a bad line; line numbers restart per file" {
	printf '%s\n' '{"v":1}' '{"v":2,"pad":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}' '{"v":3}' >"$T/a"
	printf '%s\n' '{"v":"x' '{"v":4}' >"$T/b"
	# an input that cannot be opened is skipped, and the status is 1
	run -1 --separate-stderr top-n -n 2 --by v --max-line 32 --on-error skip "$T/a" "$T/nope" "$T/b"
	assert_output '{"v":4,"rank":1}
{"v":3,"rank":2}'
	assert_equal "$stderr" "top-n: warning: $T/a:2: line longer than --max-line (32 bytes) (line skipped)
top-n: could not open \"$T/nope\": No such file or directory
top-n: warning: $T/b:1: invalid JSON: unterminated string at column 6 (line skipped)
top-n: warning: skipped 2 bad lines"
}

@test "usage errors name the problem" {
	check() {
		local want=$1
		shift
		run -2 --separate-stderr top-n "$@" </dev/null
		assert_output ''
		assert_equal "$stderr" "top-n: $want
Try \"top-n --help\" for more information."
	}
	check 'no limit given: use -n N' --by v
	check 'no ranking given: use --by FIELD' -n 3
	check 'invalid value "0" for option --limit: must be between 1 and 1000000000' -n 0 --by v
	check 'invalid value "five" for option --limit: not an integer' -n five --by v
	check 'invalid value "a..b" for option --by: not a field name' -n 1 --by a..b
	check 'invalid value ":desc" for option --by: not a field name' -n 1 --by :desc
	check 'invalid value "a,,b" for option --partition-by: empty field name at ",b"' -n 1 --by v -p a,,b
	check 'invalid value "all" for option --emit: expected final or update' -n 1 --by v --emit all
	check 'invalid value "" for option --rank-field: must not be empty' -n 1 --by v --rank-field ''
	check 'invalid value "__kind" for option --rank-field: a reserved name (changelog rows and control lines)' -n 1 --by v --rank-field __kind
	check 'invalid value "__checkpoint" for option --rank-field: a reserved name (changelog rows and control lines)' -n 1 --by v --rank-field __checkpoint
	check 'option "--sorted" takes no value' -n 1 --by v --sorted=yes
	check 'option "-n" needs a value' --by v -n
}

@test "the help lists every option and fits in 79 columns" {
	run -0 --separate-stderr top-n --help
	assert_equal "$stderr" ""
	assert_line 'usage: top-n -n N -b FIELD[:asc|:desc]... [-p LIST] [OPTION]... [FILE ...]'
	for o in --limit --by --asc --partition-by --rank-field --sorted --watermarks --emit \
		--on-error --dead-letter --max-line --quiet --verbose --version --help; do
		[[ $output == *"$o"* ]] || fail "--help does not mention $o"
		grep -q -- "${o#--}" "$REPO_ROOT/man/top-n.1" || fail "man page lacks $o"
	done
	[ -z "$(printf '%s\n' "$output" | awk 'length > 79')" ]
	run -0 mandoc -Tlint -Wwarning "$REPO_ROOT/man/top-n.1"
}

@test "windowed top-N of real window-agg output: top products per minute" {
	cat >"$T/sales.ndjson" <<'EOF'
{"product_id":1,"quantity":3,"sale_ts":"2026-11-22T10:00:01Z"}
{"product_id":2,"quantity":5,"sale_ts":"2026-11-22T10:00:02Z"}
{"product_id":3,"quantity":1,"sale_ts":"2026-11-22T10:00:03Z"}
{"product_id":1,"quantity":4,"sale_ts":"2026-11-22T10:00:40Z"}
{"product_id":3,"quantity":2,"sale_ts":"2026-11-22T10:01:01Z"}
{"product_id":2,"quantity":1,"sale_ts":"2026-11-22T10:01:02Z"}
{"product_id":4,"quantity":2,"sale_ts":"2026-11-22T10:01:03Z"}
{"product_id":1,"quantity":1,"sale_ts":"2026-11-22T10:02:02Z"}
EOF
	run -0 --separate-stderr bash -c 'set -o pipefail
		window-agg -t sale_ts --tumble 1m -g product_id -a "sum(quantity) as units" --watermarks "$1" |
		top-n -n 2 --by units --partition-by window_start --watermarks' _ "$T/sales.ndjson"
	assert_output "{$W0,\"product_id\":1,\"units\":7,\"rank\":1}
{$W0,\"product_id\":2,\"units\":5,\"rank\":2}
{\"__watermark\":\"2026-11-22T10:01:01.000Z\"}
{$W1,\"product_id\":3,\"units\":2,\"rank\":1}
{$W1,\"product_id\":4,\"units\":2,\"rank\":2}
{\"__watermark\":\"2026-11-22T10:02:02.000Z\"}
{$W2,\"product_id\":1,\"units\":1,\"rank\":1}"
	assert_equal "$stderr" ""
	# the same live, as changelogs: window-agg --emit update | top-n --emit update
	run -0 --separate-stderr bash -c 'set -o pipefail
		head -4 "$1" | window-agg -t sale_ts --tumble 1m -g product_id -a "sum(quantity) as units" --emit update |
		top-n -n 1 --by units --partition-by window_start --emit update' _ "$T/sales.ndjson"
	assert_output "{\"__kind\":\"+I\",$W0,\"product_id\":1,\"units\":3,\"rank\":1}
{\"__kind\":\"-U\",$W0,\"product_id\":1,\"units\":3,\"rank\":1}
{\"__kind\":\"+U\",$W0,\"product_id\":2,\"units\":5,\"rank\":1}
{\"__kind\":\"-U\",$W0,\"product_id\":2,\"units\":5,\"rank\":1}
{\"__kind\":\"+U\",$W0,\"product_id\":1,\"units\":7,\"rank\":1}"
	assert_equal "$stderr" ""
}

# gen_windows N PER: N windows of 1 s with PER rows each (values with ties,
# window_end in epoch ms); the watermark closing window k comes halfway
# through the rows of window k+1, so two windows are open at a time.
gen_windows() {
	awk -v n="$1" -v per="$2" 'BEGIN {
		t0 = 1795341600000
		for (w = 0; w < n; w++) {
			for (i = 0; i < per; i++) {
				id = w * per + i
				printf "{\"id\":%d,\"v\":%d,\"window_end\":%.0f}\n", id, (id * 7919) % 97, t0 + (w + 1) * 1000
				if (i == per / 2 && w > 0)
					printf "{\"__watermark\":%.0f}\n", t0 + w * 1000
			}
		}
	}'
}

@test "bounded memory: append input keeps N rows per open partition, whatever its length" {
	# 300,000 rows in 300 windows, two windows open at a time
	gen_windows 300 1000 >"$T/w.ndjson"
	run -0 --separate-stderr top-n -v -n 5 --by v -p window_end "$T/w.ndjson"
	assert_equal "${#lines[@]}" 1500
	assert_equal "$stderr" "top-n: 300000 rows read, 1500 rows written; at most 2 partitions open and 10 rows held"
	# one partition, no watermark: still N rows
	run -0 --separate-stderr top-n -v -n 3 --by id "$T/w.ndjson"
	assert_output '{"id":299999,"v":91,"window_end":1795341900000,"rank":1}
{"id":299998,"v":29,"window_end":1795341900000,"rank":2}
{"id":299997,"v":64,"window_end":1795341900000,"rank":3}'
	assert_equal "$stderr" "top-n: 300000 rows read, 3 rows written; at most 1 partitions open and 3 rows held"
	# peak RSS does not grow with the stream (a sanitizer's allocator
	# keeps freed memory: there, the count of rows held above says it)
	if grep -q __asan_init "$(command -v top-n)"; then
		return 0
	fi
	head -n 30150 "$T/w.ndjson" >"$T/short.ndjson"
	rss() {
		/usr/bin/time -f %M top-n -n 5 --by v -p window_end "$1" 2>&1 >/dev/null | tail -n 1
	}
	small=$(rss "$T/short.ndjson")
	large=$(rss "$T/w.ndjson")
	[ "$large" -le $((small + 256)) ] || fail "peak RSS grew from $small KiB to $large KiB"
}

@test "a changelog partition of a million live rows: each change stays cheap" {
	# 1,000,000 inserts, then every other row deleted, in one partition:
	# a flat sorted array would move half a million pointers per change
	awk 'BEGIN {
		for (i = 1; i <= 1000000; i++)
			printf "{\"__kind\":\"+I\",\"id\":%d,\"v\":%d}\n", i, (i * 7919) % 1000003
		for (i = 1; i <= 1000000; i += 2)
			printf "{\"__kind\":\"-D\",\"id\":%d,\"v\":%d}\n", i, (i * 7919) % 1000003
	}' >"$T/big.ndjson"
	run -0 --separate-stderr timeout 30 top-n -v -n 3 --by v "$T/big.ndjson"
	assert_output '{"id":341332,"v":1000002,"rank":1}
{"id":682664,"v":1000001,"rank":2}
{"id":47986,"v":999997,"rank":3}'
	assert_equal "$stderr" "top-n: 1500000 rows read, 3 rows written; at most 1 partitions open and 1000000 rows held"
}

@test "SIGTERM: what is open is written as at end of input, exit status 0" {
	mkfifo "$T/in"
	top-n -n 2 --by v -p g <"$T/in" >"$T/out" 2>"$T/err" 3>&- &
	pid=$!
	exec 4>"$T/in"
	printf '%s\n' '{"g":1,"v":1}' '{"g":2,"v":2}' '{"g":1,"v":3}' >&4
	wait_until pipe_drained 4
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 4>&-
	assert_equal "$rc" 0
	assert_equal "$(cat "$T/out")" '{"g":1,"v":3,"rank":1}
{"g":1,"v":1,"rank":2}
{"g":2,"v":2,"rank":1}'
	assert_equal "$(cat "$T/err")" ""
}

@test "idle input: --emit update shows each change before input ends" {
	mkfifo "$T/in"
	top-n -n 2 --by v --emit update <"$T/in" >"$T/out" 3>&- &
	pid=$!
	exec 4>"$T/in"
	echo '{"v":1}' >&4
	wait_until test -s "$T/out"
	run cat "$T/out"
	exec 4>&-
	wait "$pid"
	assert_output '{"__kind":"+I","v":1,"rank":1}'
}

@test "a reader that goes away ends top-n quietly" {
	gen_windows 200 1000 >"$T/w.ndjson"
	run -0 --separate-stderr bash -c 'set -o pipefail; top-n -n 900 --by v -p window_end --emit update "$1" | head -1 >/dev/null' _ "$T/w.ndjson"
	assert_equal "$stderr" ""
}
