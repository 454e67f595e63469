#!/usr/bin/env bats
# cdc-unwrap: every option, every malformed-input case, and two oracles (jq
# for plain rows, a changelog replay against the simulated table).

load helpers/common

setup() {
	fixtures cdc-unwrap
	ORACLE=$REPO_ROOT/tests/helpers/cdc-oracle.py
}

# unwrap_case EXPECTED ARGS...: run on events.ndjson, compare stdout exactly
unwrap_case() {
	local want=$1
	shift
	run -0 --separate-stderr cdc-unwrap "$@" "$FIXTURES/events.ndjson"
	diff_expected "$FIXTURES/$want"
}

@test "default: after images of r, c, u; deletes, truncates, messages dropped" {
	unwrap_case default.expected
	assert_equal "$stderr" ""
}

@test "non-envelope lines and watermarks pass through unchanged" {
	run -0 cdc-unwrap "$FIXTURES/events.ndjson"
	assert_line --index 7 '{"__watermark":"2026-11-22T10:00:06.000Z"}'
	assert_line --index 8 '{"hello":"world","op":5}'
}

@test "--watermark-delay moves in-band watermarks back, rows untouched" {
	run -0 cdc-unwrap --watermark-delay=1m30s "$FIXTURES/events.ndjson"
	assert_line --index 7 '{"__watermark":"2026-11-22T09:58:36.000Z"}'
	assert_line --index 8 '{"hello":"world","op":5}'
	cdc-unwrap "$FIXTURES/events.ndjson" >"$BATS_TEST_TMPDIR/plain"
	run -0 diff <(sed 7q "$BATS_TEST_TMPDIR/plain") <(sed 7q <<<"$output")
	# numbers are milliseconds; microseconds survive; years before 1 and
	# after 9999 are times, the floor is the first finite time, and the
	# infinities stay
	run -0 cdc-unwrap --watermark-delay=250ms <<'EOF2'
{"__watermark":1763805601250}
{"__watermark":"2026-11-22 10:00:01.000123+01"}
{"__watermark":"0001-01-01T00:00:00.100Z"}
{"__watermark":"+10000-01-01T00:00:00Z"}
{"__watermark":"0045-03-15 12:00:00+00 BC"}
{"__watermark":"-290308-12-22T00:00:00.100Z"}
{"__watermark":"-infinity"}
{"__watermark":"infinity"}
EOF2
	assert_output '{"__watermark":"2025-11-22T10:00:01.000Z"}
{"__watermark":"2026-11-22T09:00:00.750123Z"}
{"__watermark":"0000-12-31T23:59:59.850Z"}
{"__watermark":"9999-12-31T23:59:59.750Z"}
{"__watermark":"-0044-03-15T11:59:59.750Z"}
{"__watermark":"-290308-12-22T00:00:00.000Z"}
{"__watermark":"-infinity"}
{"__watermark":"infinity"}'
	# a row 4 s behind pgcdc-tail's commit-time watermark: late for the
	# window without the delay, counted with it
	ev='{"before":null,"after":{"ts":"2026-11-22T10:00:58Z","v":1},"source":{},"op":"c"}'
	in=$'{"__watermark":"2026-11-22T10:01:02Z"}\n'"$ev"
	wa=(window-agg --time ts --tumble 1m --agg 'count as n' -q)
	run -0 bash -c 'cdc-unwrap <<<"$1" | "${@:2}"' _ "$in" "${wa[@]}"
	assert_output ''
	run -0 bash -c 'cdc-unwrap --watermark-delay 5s <<<"$1" | "${@:2}"' _ "$in" "${wa[@]}"
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","n":1}'
	# a drained pipeline's watermark of infinity goes on and fires
	# everything downstream before the end of input
	in=$'{"__watermark":"2026-11-22T10:01:02Z"}\n'"$ev"$'\n{"__watermark":"infinity"}'
	run -0 bash -c 'set -o pipefail; cdc-unwrap --watermark-delay 5s <<<"$1" |
	    "${@:2}" --watermarks' _ "$in" "${wa[@]}"
	assert_output '{"window_start":"2026-11-22T10:00:00.000Z","window_end":"2026-11-22T10:01:00.000Z","n":1}
{"__watermark":"infinity"}'
	# a watermark that is not a time is a bad line; the others go on
	in=$'{"__watermark":"2026-11-22T10:00:00Z"}\n{"__watermark":"soon"}'
	run -1 --separate-stderr cdc-unwrap --watermark-delay=1s <<<"$in"
	assert_output '{"__watermark":"2026-11-22T09:59:59.000Z"}'
	assert_equal "$stderr" 'cdc-unwrap: stdin:2: field "__watermark": not a timestamp: "soon"'
	run -1 --separate-stderr cdc-unwrap --watermark-delay=1s <<<'{"__watermark":"+300000-01-01T00:00:00Z"}'
	assert_equal "$stderr" 'cdc-unwrap: stdin:1: field "__watermark": timestamp out of range: "+300000-01-01T00:00:00Z"'
	run -0 --separate-stderr cdc-unwrap --watermark-delay=1s --on-error=skip <<<"${in#*$'\n'}"$'\n{"x":1}'
	assert_output '{"x":1}'
	assert_equal "${stderr_lines[0]}" 'cdc-unwrap: warning: stdin:1: field "__watermark": not a timestamp: "soon" (line skipped)'
}

@test "--add-fields: envelope first, then source; dotted paths; order kept" {
	unwrap_case add-fields.expected -a op,table,lsn,source.ts_ms,snapshot,ts_ms
}

@test "--add-fields: a missing field is null, any dotted path works" {
	printf '%s\n' '{"before":null,"after":{"id":1},"source":{"table":"t","x":{"y":[1,2]}},"op":"c"}' >"$BATS_TEST_TMPDIR/in"
	run -0 cdc-unwrap --add-fields=source.x.y,txId,nope.deeper "$BATS_TEST_TMPDIR/in"
	assert_output '{"id":1,"__source_x_y":[1,2],"__txId":null,"__nope_deeper":null}'
}

@test "--add-fields on an empty row writes a valid object" {
	printf '%s\n' '{"before":null,"after":{ },"source":{"table":"t"},"op":"c"}' >"$BATS_TEST_TMPDIR/in"
	run -0 cdc-unwrap -a op "$BATS_TEST_TMPDIR/in"
	assert_output '{"__op":"c"}'
	run -0 cdc-unwrap "$BATS_TEST_TMPDIR/in"
	assert_output '{}'
	run -0 cdc-unwrap -c "$BATS_TEST_TMPDIR/in"
	assert_output '{"__kind":"+I"}'
}

@test "--deletes=rewrite: old row with __deleted true, others false" {
	unwrap_case rewrite.expected --deletes=rewrite
}

@test "--changelog: +I, -U/+U, -D; partial images said once per table" {
	unwrap_case changelog.expected --changelog
	diff -u "$FIXTURES/changelog.stderr" <(printf '%s\n' "$stderr")
}

@test "--complete-before with --key completes every old row, truncate retracts all" {
	unwrap_case complete-key.expected -c --complete-before --key sales:sale_id
	assert_equal "$stderr" ""
}

@test "--complete-before learns the key from the first partial delete" {
	run -0 --separate-stderr cdc-unwrap -c --complete-before "$FIXTURES/events.ndjson"
	# The update at line 5 came before the key was known: no -U for it,
	# and a warning naming the fix; every later retraction is complete.
	diff -u <(grep -v '"-U","sale_id":10,"user_id":1,"total_price":19.99' \
		"$FIXTURES/complete-key.expected") <(printf '%s\n' "$output")
	assert_equal "$stderr" 'cdc-unwrap: warning: table "public.sales": key columns not known yet: an update could not be completed; give them with --key'
}

@test "--key for all tables, and a table's own key wins" {
	run -0 --separate-stderr cdc-unwrap -c --complete-before -k nosuch \
		-k public.sales:sale_id "$FIXTURES/events.ndjson"
	diff_expected "$FIXTURES/complete-key.expected"
}

@test "--key with a wrong column says the retraction is partial" {
	run -0 --separate-stderr cdc-unwrap -c --complete-before -k sales:nope \
		"$FIXTURES/events.ndjson"
	assert_line --index 4 '{"__kind":"+U","sale_id":10,"user_id":1,"total_price":18.00,"sale_ts":"2026-11-22T10:00:01.250Z"}'
	assert_equal "$stderr" 'cdc-unwrap: warning: table "public.sales": no earlier row for a key (it predates the stream, or --key is wrong): its retraction is partial'
}

@test "--tables: by name, by schema.name; other lines still pass" {
	run -0 cdc-unwrap -t users "$FIXTURES/events.ndjson"
	assert_output '{"id":1,"name":"Ann","tier":"basic"}
{"id":2,"name":"Bob","tier":"basic"}
{"id":1,"name":"Ann","tier":"gold"}
{"__watermark":"2026-11-22T10:00:06.000Z"}
{"hello":"world","op":5}'
	run -0 cdc-unwrap --tables=other.sales,public.users "$FIXTURES/events.ndjson"
	assert_equal "${#lines[@]}" 5
	run -0 cdc-unwrap --tables=other.sales "$FIXTURES/events.ndjson"
	assert_output '{"__watermark":"2026-11-22T10:00:06.000Z"}
{"hello":"world","op":5}'
}

@test "--tables matches names with quotes and spaces after unescaping" {
	printf '%s\n' '{"before":null,"after":{"id":1},"source":{"schema":"s p","table":"Odd \"Name\" tbl"},"op":"c"}' >"$BATS_TEST_TMPDIR/in"
	run -0 cdc-unwrap -t 'Odd "Name" tbl' "$BATS_TEST_TMPDIR/in"
	assert_output '{"id":1}'
	run -0 cdc-unwrap -t 's p.Odd "Name" tbl' -a table "$BATS_TEST_TMPDIR/in"
	assert_output '{"id":1,"__table":"Odd \"Name\" tbl"}'
}

@test "Debezium JSON converter wrapper, boolean snapshot, ts_us/ts_ns, tombstones" {
	run -0 --separate-stderr cdc-unwrap -a op,source.ts_ms,ts_ms,snapshot \
		--deletes rewrite "$FIXTURES/wrapped.ndjson"
	diff_expected "$FIXTURES/wrapped.expected"
	assert_equal "$stderr" ""
}

@test "values are copied byte for byte: exact numbers, escapes, unicode" {
	printf '%s\n' '{"before":null,"after":{"n":123456789012345678901234567890.000100,"e":-1.5e-300,"s":"a\"b\\c\u0000\ud83d\ude00é\/"},"source":{"table":"t"},"op":"c"}' >"$BATS_TEST_TMPDIR/in"
	run -0 cdc-unwrap "$BATS_TEST_TMPDIR/in"
	assert_output '{"n":123456789012345678901234567890.000100,"e":-1.5e-300,"s":"a\"b\\c\u0000\ud83d\ude00é\/"}'
}

@test "bad lines: the first stops the run after the good lines before it" {
	run -1 --separate-stderr cdc-unwrap "$FIXTURES/bad.ndjson"
	assert_output '{"id":1}'
	assert_equal "$stderr" "cdc-unwrap: $FIXTURES/bad.ndjson:2: invalid JSON: expected a string as object key at column 65"
}

@test "bad lines: every kind reported with its locus under --on-error=skip" {
	run -0 --separate-stderr cdc-unwrap --on-error=skip <"$FIXTURES/bad.ndjson"
	assert_output '{"id":1}
{"id":4}'
	assert_equal "$stderr" 'cdc-unwrap: warning: stdin:2: invalid JSON: expected a string as object key at column 65 (line skipped)
cdc-unwrap: warning: stdin:3: not a JSON object: [1,2] (line skipped)
cdc-unwrap: warning: stdin:4: field "op": unknown operation: "x" (line skipped)
cdc-unwrap: warning: stdin:5: field "after": not an object: 5 (line skipped)
cdc-unwrap: warning: stdin:6: field "after": missing for op "u" (line skipped)
cdc-unwrap: warning: stdin:7: invalid JSON: invalid UTF-8 at column 33 (line skipped)
cdc-unwrap: warning: skipped 6 bad lines'
}

@test "bad lines inside a wrapped payload name the payload path" {
	printf '%s\n' '{"schema":{},"payload":{"op":"c","after":[],"source":{}}}' >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr cdc-unwrap "$BATS_TEST_TMPDIR/in"
	assert_equal "$stderr" "cdc-unwrap: $BATS_TEST_TMPDIR/in:1: field \"payload.after\": not an object: []"
}

@test "--dead-letter keeps every bad line, base64 when not UTF-8" {
	dead=$BATS_TEST_TMPDIR/dead.ndjson
	run -0 --separate-stderr cdc-unwrap --dead-letter="$dead" <"$FIXTURES/bad.ndjson"
	assert_output '{"id":1}
{"id":4}'
	assert_equal "$stderr" "cdc-unwrap: warning: skipped 6 bad lines, written to \"$dead\""
	diff -u "$FIXTURES/bad.dead-letter" "$dead"
	# the dead letters are valid JSON and hold the exact lines
	run -0 jq -r 'select(.input) | .input' "$dead"
	diff -u <(sed -n '2,6p' "$FIXTURES/bad.ndjson") <(printf '%s\n' "$output")
	run -0 jq -r 'select(.input_base64) | .input_base64' "$dead"
	diff <(sed -n 7p "$FIXTURES/bad.ndjson") <(printf "%s" "$output" | base64 -d; echo)
}

@test "--max-line: a longer line is a bad line and nothing else is lost" {
	long=$(printf '{"before":null,"after":{"s":"%0300d"},"source":{},"op":"c"}' 0)
	printf '%s\n%s\n%s\n' '{"before":null,"after":{"id":1},"source":{},"op":"c"}' \
		"$long" '{"before":null,"after":{"id":2},"source":{},"op":"c"}' >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr cdc-unwrap --max-line=200 "$BATS_TEST_TMPDIR/in"
	assert_output '{"id":1}'
	assert_equal "$stderr" "cdc-unwrap: $BATS_TEST_TMPDIR/in:2: line longer than --max-line (200 bytes)"
	run -0 --separate-stderr cdc-unwrap --max-line=200 --dead-letter="$BATS_TEST_TMPDIR/d" "$BATS_TEST_TMPDIR/in"
	assert_output '{"id":1}
{"id":2}'
	run -0 cat "$BATS_TEST_TMPDIR/d"
	assert_output '{"source":"'"$BATS_TEST_TMPDIR"'/in","line":2,"error":"line longer than --max-line (200 bytes)"}'
	run -0 cdc-unwrap --max-line=1k "$BATS_TEST_TMPDIR/in"
	assert_equal "${#lines[@]}" 3
}

@test "CRLF line ends, blank lines, a last line without newline" {
	printf '{"before":null,"after":{"id":1},"source":{},"op":"c"}\r\n\r\n  \n\n{"before":null,"after":{"id":2},"source":{},"op":"c"}' >"$BATS_TEST_TMPDIR/in"
	run -0 cdc-unwrap -a op "$BATS_TEST_TMPDIR/in"
	assert_output '{"id":1,"__op":"c"}
{"id":2,"__op":"c"}'
}

@test "line numbers count blank lines and restart for each file" {
	printf '\n{"op":"c","after":1}\n' >"$BATS_TEST_TMPDIR/a"
	run -0 --separate-stderr cdc-unwrap --on-error=skip "$BATS_TEST_TMPDIR/a" - "$BATS_TEST_TMPDIR/a" <"$BATS_TEST_TMPDIR/a"
	assert_equal "$stderr" "cdc-unwrap: warning: $BATS_TEST_TMPDIR/a:2: field \"after\": not an object: 1 (line skipped)
cdc-unwrap: warning: stdin:2: field \"after\": not an object: 1 (line skipped)
cdc-unwrap: warning: $BATS_TEST_TMPDIR/a:2: field \"after\": not an object: 1 (line skipped)
cdc-unwrap: warning: skipped 3 bad lines"
}

@test "an unreadable file is reported, the others are read, exit 1" {
	run -1 --separate-stderr cdc-unwrap "$BATS_TEST_TMPDIR/nope" "$FIXTURES/events.ndjson"
	diff_expected "$FIXTURES/default.expected"
	assert_equal "$stderr" "cdc-unwrap: could not open \"$BATS_TEST_TMPDIR/nope\": No such file or directory"
}

@test "a reader that goes away ends cdc-unwrap quietly with status 0" {
	# 4096 copies of the fixture, by doubling: far more than a pipe holds
	big=$BATS_TEST_TMPDIR/big
	cp "$FIXTURES/events.ndjson" "$big"
	for _ in $(seq 1 12); do cat "$big" "$big" >"$big.2" && mv "$big.2" "$big"; done
	run bash -c 'cdc-unwrap "$1" 2>"$2" | head -n 1; echo "status ${PIPESTATUS[0]}"' _ "$big" "$BATS_TEST_TMPDIR/err"
	assert_output '{"id":1,"name":"Ann","tier":"basic"}
status 0'
	run -0 cat "$BATS_TEST_TMPDIR/err"
	assert_output ''
}

@test "output is flushed while input is idle (live pipelines)" {
	mkfifo "$BATS_TEST_TMPDIR/in"
	cdc-unwrap <"$BATS_TEST_TMPDIR/in" >"$BATS_TEST_TMPDIR/out" &
	pid=$!
	exec 5>"$BATS_TEST_TMPDIR/in"
	echo '{"before":null,"after":{"id":1},"source":{},"op":"c"}' >&5
	# the row must arrive while the writer still holds the pipe open
	wait_until test -s "$BATS_TEST_TMPDIR/out"
	run -0 cat "$BATS_TEST_TMPDIR/out"
	exec 5>&-
	wait "$pid"
	assert_output '{"id":1}'
}

@test "usage errors" {
	run -2 --separate-stderr cdc-unwrap --deletes=keep
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value "keep" for option --deletes: expected drop or rewrite'
	run -2 --separate-stderr cdc-unwrap --deletes=rewrite --changelog
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: --deletes=rewrite and --changelog do not go together: a changelog retracts deleted rows with -D'
	run -2 --separate-stderr cdc-unwrap --complete-before
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: --complete-before needs --changelog'
	run -2 --separate-stderr cdc-unwrap -k 'sales:'
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value "sales:" for option --key: expected [TABLE:]COL[+COL...]'
	run -2 --separate-stderr cdc-unwrap -a 'op,,table'
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value "op,,table" for option --add-fields: empty field name at ",table"'
	run -2 --separate-stderr cdc-unwrap -t 'a,'
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value "a," for option --tables: empty table name'
	# PostgreSQL names are never empty: these would select nothing
	run -2 --separate-stderr cdc-unwrap -t 'sales,public.'
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value "sales,public." for option --tables: empty table name'
	run -2 --separate-stderr cdc-unwrap -t '.sales'
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value ".sales" for option --tables: empty schema name'
	run -2 --separate-stderr cdc-unwrap -t '.'
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value "." for option --tables: empty table name'
	run -2 --separate-stderr cdc-unwrap --watermark-delay=-1s
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value "-1s" for option --watermark-delay: must not be negative'
	run -2 --separate-stderr cdc-unwrap --watermark-delay=soon
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value "soon" for option --watermark-delay: not a duration (e.g. 500ms, 15s, 1m, 1h30m, 1d)'
	run -2 --separate-stderr cdc-unwrap --max-line=0
	assert_equal "${stderr%%$'\n'*}" 'cdc-unwrap: invalid value "0" for option --max-line: must be between 1 and 4294967296 bytes'
}

@test "output names are unique: --add-fields that would repeat one, or write a reserved name, are usage errors" {
	check() {
		local want=$1
		shift
		run -2 --separate-stderr cdc-unwrap "$@" </dev/null
		assert_equal "$stderr" "cdc-unwrap: $want
Try \"cdc-unwrap --help\" for more information."
	}
	check 'output field "__op" of --add-fields: "op" is given twice' -a op,table,op
	check 'output field "__a_b" of --add-fields "a_b" collides with that of "a.b"' -a a.b,a_b
	check 'output field "__source_ts_ms" of --add-fields "source_ts_ms" collides with that of "source.ts_ms"' -a source.ts_ms -a source_ts_ms
	check 'output field "__deleted" of --add-fields "deleted" collides with that of --deletes=rewrite' -a deleted --deletes=rewrite
	check 'output field "__kind" of --add-fields "kind": a reserved name (changelog rows and control lines)' -c -a kind
	check 'output field "__watermark" of --add-fields "watermark": a reserved name (changelog rows and control lines)' -a watermark
	check 'output field "__committed" of --add-fields "committed": a reserved name (changelog rows and control lines)' -a committed
}

@test "a column named __... is a bad line: no row is taken for metadata or a control line" {
	cat >"$BATS_TEST_TMPDIR/in" <<'EOF'
{"op":"c","after":{"id":1,"__kind":"-D"},"source":{"table":"t"}}
{"op":"c","after":{"id":2,"__op":"d"},"source":{"table":"t"}}
{"op":"c","after":{"id":3,"\u005f_watermark":"infinity"},"source":{"table":"t"}}
{"op":"d","before":{"id":4,"__checkpoint":1},"source":{"table":"t"}}
{"op":"c","after":{"id":5,"_x":1,"x__":2},"source":{"table":"t"}}
{"schema":{},"payload":{"op":"c","after":{"id":6,"__lsn":7},"source":{"table":"t"}}}
EOF
	run -1 --separate-stderr cdc-unwrap --changelog "$BATS_TEST_TMPDIR/in"
	assert_output ''
	assert_equal "$stderr" "cdc-unwrap: $BATS_TEST_TMPDIR/in:1: field \"after.__kind\": column name starts with \"__\", which marks metadata and control lines"
	run -0 --separate-stderr cdc-unwrap --changelog -a op --on-error=skip <"$BATS_TEST_TMPDIR/in"
	assert_output '{"__kind":"+I","id":5,"_x":1,"x__":2,"__op":"c"}'
	assert_equal "$stderr" 'cdc-unwrap: warning: stdin:1: field "after.__kind": column name starts with "__", which marks metadata and control lines (line skipped)
cdc-unwrap: warning: stdin:2: field "after.__op": column name starts with "__", which marks metadata and control lines (line skipped)
cdc-unwrap: warning: stdin:3: field "after.\u005f_watermark": column name starts with "__", which marks metadata and control lines (line skipped)
cdc-unwrap: warning: stdin:4: field "before.__checkpoint": column name starts with "__", which marks metadata and control lines (line skipped)
cdc-unwrap: warning: stdin:6: field "payload.after.__lsn": column name starts with "__", which marks metadata and control lines (line skipped)
cdc-unwrap: warning: skipped 5 bad lines'
}

@test "oracle: plain rows equal jq's ExtractNewRecordState on generated events" {
	python3 "$ORACLE" gen 7 3000 default "$BATS_TEST_TMPDIR/table" >"$BATS_TEST_TMPDIR/ev"
	# jq reprints numbers; the generator's numbers survive that unchanged
	jq -c 'select(.op != "d") | .after + {__op: .op, __table: .source.table}' \
		"$BATS_TEST_TMPDIR/ev" >"$BATS_TEST_TMPDIR/want"
	run -0 cdc-unwrap --add-fields op,table "$BATS_TEST_TMPDIR/ev"
	diff_expected "$BATS_TEST_TMPDIR/want"
	assert_equal "${#lines[@]}" "$(wc -l <"$BATS_TEST_TMPDIR/want")"
}

@test "oracle: a replayed changelog reproduces the table (REPLICA IDENTITY DEFAULT)" {
	python3 "$ORACLE" gen 11 5000 default "$BATS_TEST_TMPDIR/table" >"$BATS_TEST_TMPDIR/ev"
	cdc-unwrap -c --complete-before -k orders:order_id -k items:item_id \
		"$BATS_TEST_TMPDIR/ev" >"$BATS_TEST_TMPDIR/log"
	run -0 python3 "$ORACLE" replay <"$BATS_TEST_TMPDIR/log"
	diff_expected <(sort "$BATS_TEST_TMPDIR/table")
	[ "${#lines[@]}" -gt 100 ]
}

@test "oracle: a replayed changelog reproduces the table (REPLICA IDENTITY FULL)" {
	python3 "$ORACLE" gen 12 5000 full "$BATS_TEST_TMPDIR/table" >"$BATS_TEST_TMPDIR/ev"
	cdc-unwrap -c "$BATS_TEST_TMPDIR/ev" >"$BATS_TEST_TMPDIR/log"
	run -0 python3 "$ORACLE" replay <"$BATS_TEST_TMPDIR/log"
	diff_expected <(sort "$BATS_TEST_TMPDIR/table")
}

@test "oracle: without --complete-before a DEFAULT-identity changelog does not replay" {
	# proves the replay oracle can fail, and why --complete-before exists
	python3 "$ORACLE" gen 11 5000 default "$BATS_TEST_TMPDIR/table" >"$BATS_TEST_TMPDIR/ev"
	cdc-unwrap -q -c "$BATS_TEST_TMPDIR/ev" >"$BATS_TEST_TMPDIR/log"
	run -1 python3 "$ORACLE" replay <"$BATS_TEST_TMPDIR/log"
	assert_output --partial 'retracts a row that is not there'
}

@test "-q silences warnings, -v adds a summary" {
	run -0 --separate-stderr cdc-unwrap -q --changelog "$FIXTURES/events.ndjson"
	diff_expected "$FIXTURES/changelog.expected"
	assert_equal "$stderr" ""
	run -0 --separate-stderr cdc-unwrap -v -a op "$FIXTURES/events.ndjson"
	assert_equal "$stderr" "cdc-unwrap: 14 lines read, 8 rows written, 2 lines passed through"
}

@test "--on-error=skip shows the first ten bad lines, then counts" {
	for i in $(seq 1 12); do echo '{"op":"c","after":1}'; done >"$BATS_TEST_TMPDIR/in"
	run -0 --separate-stderr cdc-unwrap --on-error=skip "$BATS_TEST_TMPDIR/in"
	assert_equal "${#stderr_lines[@]}" 12
	assert_equal "${stderr_lines[9]}" "cdc-unwrap: warning: $BATS_TEST_TMPDIR/in:10: field \"after\": not an object: 1 (line skipped)"
	assert_equal "${stderr_lines[10]}" "cdc-unwrap: warning: further bad lines are counted, not shown"
	assert_equal "${stderr_lines[11]}" "cdc-unwrap: warning: skipped 12 bad lines"
}

@test "a failed write is an error naming the output" {
	run -1 --separate-stderr bash -c 'cdc-unwrap "$1" >/dev/full' _ "$FIXTURES/events.ndjson"
	assert_equal "$stderr" "cdc-unwrap: could not write to standard output: No space left on device"
}

@test "--max-line counts the line without its CRLF ending" {
	printf '{"a":1}\r\n{"a":22}\r\n' >"$BATS_TEST_TMPDIR/in"
	run -1 --separate-stderr cdc-unwrap --max-line=7 "$BATS_TEST_TMPDIR/in"
	assert_output '{"a":1}'
	assert_equal "$stderr" "cdc-unwrap: $BATS_TEST_TMPDIR/in:2: line longer than --max-line (7 bytes)"
}
