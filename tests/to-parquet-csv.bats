#!/usr/bin/env bats
# to-parquet-csv, the command line and the lake: one file, standard output,
# Hive partitions with hostile values, rolling by rows, bytes and time,
# commits (kill -9, SIGTERM), __lsn names and reruns, the open-file cap, bad
# lines, usage errors, and the man page's examples. Files are read back by
# DuckDB (scripts/duckdb-query) and CSV is loaded into a real PostgreSQL;
# the values of every Parquet type are the format tests' business.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
}

teardown_file() {
	pg_teardown_file
}

setup() {
	# not BATS_TEST_TMPDIR itself: run --separate-stderr keeps a file there
	T=$BATS_TEST_TMPDIR/t
	mkdir "$T"
	DUCK=$REPO_ROOT/scripts/duckdb-query
}

# duck SQL: the rows of SQL, run by DuckDB, as NDJSON.
duck() {
	"$DUCK" "$1"
}

# tree DIR: every file under DIR (dot files too), relative, sorted.
tree() {
	(cd "$1" && find . -type f | sed 's|^\./||' | LC_ALL=C sort)
}

# count_files DIR PATTERN N: DIR holds exactly N files named PATTERN.
count_files() {
	[ "$(find "$1" -type f -name "$2" | wc -l)" -eq "$3" ]
}

# at_least DIR PATTERN N: DIR holds N or more files named PATTERN.
at_least() {
	[ "$(find "$1" -type f -name "$2" | wc -l)" -ge "$3" ]
}

# lsn_rows N [FIRST]: N rows {"__lsn":i,"id":i,"k":"a"|"b"} from FIRST (1).
lsn_rows() {
	local i first=${2:-1}
	for ((i = first; i < first + $1; i++)); do
		printf '{"__lsn":%d,"id":%d,"k":"%s"}\n' "$i" "$i" \
		    "$( ((i % 2)) && echo a || echo b)"
	done
}

lsn20() {
	printf '%020d' "$1"
}

# ---------------------------------------------------------------------
# One file and standard output

@test "one Parquet file: DuckDB reads back the rows; nothing else is left" {
	input='{"id":1,"name":"Ann","price":19.90,"ts":"2026-11-22T10:00:01.250Z","ok":true,"tags":["a","b"]}
{"id":2,"name":"Bøb \"q\"","price":5.00,"ts":"2026-11-22T10:00:02Z","ok":false,"tags":{"x":1}}
{"id":3,"name":null,"ok":null}'
	run -0 --separate-stderr to-parquet-csv -o "$T/out.parquet" <<<"$input"
	assert_output ''
	assert_equal "$stderr" ''
	assert_equal "$(tree "$T")" 'out.parquet'
	run -0 duck "SELECT * FROM '$T/out.parquet' ORDER BY id"
	assert_output '{"id":1,"name":"Ann","price":19.90,"ts":"2026-11-22T10:00:01.250Z","ok":true,"tags":["a","b"]}
{"id":2,"name":"Bøb \"q\"","price":5.00,"ts":"2026-11-22T10:00:02.000Z","ok":false,"tags":{"x":1}}
{"id":3,"name":null,"price":null,"ts":null,"ok":null,"tags":null}'
}

@test "one file is replaced whole; the input may be files and stdin; -v says what was committed" {
	printf '{"a":1}\n' >"$T/one.ndjson"
	printf '{"a":2}\n{"a":3}\n' >"$T/two.ndjson"
	run -0 to-parquet-csv -o "$T/out.parquet" "$T/one.ndjson"
	run -0 --separate-stderr to-parquet-csv -v -o "$T/out.parquet" \
	    "$T/two.ndjson" - "$T/one.ndjson" <<<'{"a":4}'
	assert_equal "${stderr_lines[0]}" "to-parquet-csv: committed $T/out.parquet (4 rows, $(stat -c %s "$T/out.parquet") bytes)"
	assert_equal "${stderr_lines[1]}" "to-parquet-csv: 4 rows written to 1 file ($(stat -c %s "$T/out.parquet") bytes), at most 1 open at once"
	run -0 duck "SELECT a FROM '$T/out.parquet'"
	assert_output '{"a":2}
{"a":3}
{"a":4}
{"a":1}'
	assert_equal "$(tree "$T")" 'one.ndjson
out.parquet
two.ndjson'
}

@test "CSV on standard output: header, quoting, nulls, nested values as JSON" {
	run -0 --separate-stderr to-parquet-csv -f csv -o - <<'EOF'
{"id":1,"s":"plain","n":19.90,"b":true,"j":{"a":[1,2]}}
{"id":2,"s":"a,b \"c\"","n":-1e3,"b":false,"j":[]}
{"__watermark":"2026-11-22T10:00:00Z"}
{"id":3,"s":" pad ","n":null,"j":null}
{"id":4,"s":"line\nbreak","b":null}
{"id":5,"s":"","n":0}
EOF
	assert_output 'id,s,n,b,j
1,plain,19.90,true,"{""a"":[1,2]}"
2,"a,b ""c""",-1e3,false,[]
3," pad ",,,
4,"line
break",,,
5,"",0,,'
	assert_equal "$stderr" ''
}

@test "CSV from standard output loads into PostgreSQL with \\copy, value for value" {
	tbl=$(pg_unique_name t)
	psql_q "CREATE TABLE $tbl (id int8, name text, price numeric, ts timestamptz, tags jsonb, ok bool)"
	input='{"id":1,"name":"Ann, \"the first\"","price":19.90,"ts":"2026-11-22T10:00:01.250Z","tags":{"a":[1,"x"]},"ok":true}
{"id":2,"name":"  spaced  ","price":-0.001,"ts":"2026-11-22 11:00:00+01","tags":[],"ok":false}
{"id":3,"name":"ünï\ncode","price":null,"ts":null,"tags":null,"ok":null}
{"id":9223372036854775807,"name":"","price":123456789012345678901234567890.5,"ts":"2026-11-22T10:00:00Z","tags":5,"ok":true}'
	printf '%s\n' "$input" | to-parquet-csv -f csv -o - >"$T/out.csv"
	run -0 psql_q "\\copy $tbl from '$T/out.csv' csv header"
	run -0 psql_q "SET TIME ZONE 'UTC'; SELECT row_to_json(t) FROM $tbl t ORDER BY id"
	assert_output '{"id":1,"name":"Ann, \"the first\"","price":19.90,"ts":"2026-11-22T10:00:01.25+00:00","tags":{"a": [1, "x"]},"ok":true}
{"id":2,"name":"  spaced  ","price":-0.001,"ts":"2026-11-22T10:00:00+00:00","tags":[],"ok":false}
{"id":3,"name":"ünï\ncode","price":null,"ts":null,"tags":null,"ok":null}
{"id":9223372036854775807,"name":"","price":123456789012345678901234567890.5,"ts":"2026-11-22T10:00:00+00:00","tags":5,"ok":true}'
	# the man page's pipeline: straight into psql
	psql_q "TRUNCATE $tbl"
	run -0 bash -c 'set -o pipefail; printf "%s\n" "$1" | to-parquet-csv --format csv -o - |
	    "$CDC_PG_BINDIR/psql" -X -q -v ON_ERROR_STOP=1 -c "\copy $2 from stdin csv header"' _ "$input" "$tbl"
	run -0 psql_q "SELECT count(*), sum(price) FROM $tbl"
	assert_output '4|123456789012345678901234567910.399'
}

@test "a CSV file of several row groups reads back in DuckDB" {
	for i in $(seq 1 2500); do
		printf '{"i":%d,"s":"v%d"}\n' "$i" "$i"
	done >"$T/in.ndjson"
	run -0 to-parquet-csv -f csv --row-group-rows 1000 -o "$T/out.csv" "$T/in.ndjson"
	run -0 duck "SELECT count(*) n, sum(i) s, max(s) m FROM read_csv('$T/out.csv', header = true)"
	assert_output '{"n":2500,"s":3126250,"m":"v999"}'
}

@test "no rows: an empty input writes no file" {
	run -0 --separate-stderr to-parquet-csv -o "$T/out.parquet" </dev/null
	assert_equal "$stderr" ''
	assert_equal "$(tree "$T")" ''
	run -0 to-parquet-csv -o "$T/lake" -p k <<<'{"__watermark":"2026-11-22T10:00:00Z"}'
	assert_equal "$(tree "$T/lake")" ''
	run -0 to-parquet-csv -f csv -o - </dev/null
	assert_output ''
}

@test "one file whose schema must widen: the rest goes to -1, -2 with a warning" {
	input='{"a":1}
{"a":2}
{"a":3,"b":"new"}
{"a":4,"b":"x"}
{"a":5,"c":true}'
	run -0 --separate-stderr to-parquet-csv --row-group-rows 2 -o "$T/out.parquet" <<<"$input"
	assert_output ''
	assert_equal "$stderr" "to-parquet-csv: warning: stdin:3: the row does not fit the schema of \"$T/out.parquet\" (2 rows): continuing in \"$T/out-1.parquet\"
to-parquet-csv: warning: stdin:5: the row does not fit the schema of \"$T/out-1.parquet\" (2 rows): continuing in \"$T/out-2.parquet\""
	assert_equal "$(tree "$T")" 'out-1.parquet
out-2.parquet
out.parquet'
	run -0 duck "SELECT * FROM read_parquet('$T/out*.parquet', union_by_name = true) ORDER BY a"
	assert_output '{"a":1,"b":null,"c":null}
{"a":2,"b":null,"c":null}
{"a":3,"b":"new","c":null}
{"a":4,"b":"x","c":null}
{"a":5,"b":null,"c":true}'
	# the widened file keeps every column of the one before
	run -0 duck "SELECT column_name FROM (DESCRIBE SELECT * FROM '$T/out-2.parquet')"
	assert_output '{"column_name":"a"}
{"column_name":"b"}
{"column_name":"c"}'
}

@test "standard output cannot widen: a new member is a bad line naming it" {
	input='{"a":1}
{"a":2}
{"a":3,"b":"new"}
{"a":4}'
	run -1 --separate-stderr to-parquet-csv -f csv --row-group-rows 2 -o - <<<"$input"
	assert_output 'a
1
2'
	assert_equal "$stderr" 'to-parquet-csv: stdin:3: field "b": not a column of the CSV header, which the first row group gave (see --row-group-rows and --schema)'
	run -0 --separate-stderr to-parquet-csv -f csv --row-group-rows 2 -o - --on-error skip <<<"$input"
	assert_output 'a
1
2
4'
	assert_equal "$stderr" 'to-parquet-csv: warning: stdin:3: field "b": not a column of the CSV header, which the first row group gave (see --row-group-rows and --schema) (line skipped)
to-parquet-csv: warning: skipped 1 bad line'
}

@test "a reader that goes away ends CSV on standard output quietly" {
	awk 'BEGIN { for (i = 1; i <= 200000; i++) printf "{\"i\":%d}\n", i }' >"$T/in.ndjson"
	run -0 --separate-stderr bash -c 'set -o pipefail; to-parquet-csv -f csv --row-group-rows 10 -o - "$1" | head -2' _ "$T/in.ndjson"
	assert_output 'i
1'
	assert_equal "$stderr" ''
}

# ---------------------------------------------------------------------
# Partitions

@test "hostile partition values stay inside the lake and read back equal" {
	cat >"$T/in.ndjson" <<'EOF'
{"id":1,"band":"AC/DC"}
{"id":2,"band":".."}
{"id":3,"band":"."}
{"id":4,"band":"../../etc"}
{"id":5,"band":"/abs"}
{"id":6,"band":"a=b"}
{"id":7,"band":"100%"}
{"id":8,"band":"%2F"}
{"id":9,"band":"tab\there\u0001\u007f"}
{"id":10,"band":"é ü 日本"}
{"id":11,"band":"#'*:?\\^{[]\""}
{"id":12,"band":null}
{"id":13}
{"id":14,"band":"nl\nx"}
{"id":15,"band":"..."}
{"id":16,"band":"a/../.."}
EOF
	mkdir "$T/w"
	run -0 --separate-stderr bash -c 'cd "$1" && to-parquet-csv -o lake -p band "$2"' _ "$T/w" "$T/in.ndjson"
	assert_equal "$stderr" ''
	# every file is in a directory of its own right under lake/
	run -0 bash -c "cd '$T/w' && find . -mindepth 1 -type d | LC_ALL=C sort"
	assert_output "./lake
./lake/band=%23%27%2A%3A%3F%5C%5E%7B%5B%5D%22
./lake/band=%252F
./lake/band=%2E
./lake/band=%2E%2E
./lake/band=%2Fabs
./lake/band=..%2F..%2Fetc
./lake/band=...
./lake/band=100%25
./lake/band=AC%2FDC
./lake/band=__HIVE_DEFAULT_PARTITION__
./lake/band=a%2F..%2F..
./lake/band=a%3Db
./lake/band=nl%0Ax
./lake/band=tab%09here%01%7F
./lake/band=é ü 日本"
	run -0 bash -c "cd '$T/w' && find . -type f | grep -v '^\./lake/band=[^/]*/part-[^/]*\.parquet$' || true"
	assert_output ''
	run -0 duck "SELECT id, band FROM read_parquet('$T/w/lake/**/*.parquet', hive_partitioning = true, hive_types_autocast = false) ORDER BY id"
	assert_output '{"id":1,"band":"AC/DC"}
{"id":2,"band":".."}
{"id":3,"band":"."}
{"id":4,"band":"../../etc"}
{"id":5,"band":"/abs"}
{"id":6,"band":"a=b"}
{"id":7,"band":"100%"}
{"id":8,"band":"%2F"}
{"id":9,"band":"tab\there\u0001'$'\x7f''"}
{"id":10,"band":"é ü 日本"}
{"id":11,"band":"#'"'"'*:?\\^{[]\""}
{"id":12,"band":null}
{"id":13,"band":null}
{"id":14,"band":"nl\nx"}
{"id":15,"band":"..."}
{"id":16,"band":"a/../.."}'
	# the partition column is not in the files
	run -0 duck "SELECT DISTINCT column_name FROM (DESCRIBE SELECT * FROM read_parquet('$T/w/lake/**/*.parquet', hive_partitioning = false))"
	assert_output '{"column_name":"id"}'
}

@test "partitions by several fields, numbers and booleans, in the order given" {
	input='{"r":"eu","n":1,"b":true,"v":1}
{"r":"us","n":2.50,"b":false,"v":2}
{"r":"eu","n":1,"b":true,"v":3}
{"r":"","n":-7,"b":null,"v":4}'
	run -0 to-parquet-csv -o "$T/lake" -p r,n,b <<<"$input"
	run -0 bash -c "cd '$T/lake' && find . -type f | sed 's|/part-[^/]*\.parquet$||' | LC_ALL=C sort"
	assert_output './r=__HIVE_DEFAULT_PARTITION__/n=-7/b=__HIVE_DEFAULT_PARTITION__
./r=eu/n=1/b=true
./r=us/n=2.50/b=false'
	# DuckDB reads partition values as text unless all are integers
	run -0 duck "SELECT v, r, n, b FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true) ORDER BY v"
	assert_output '{"v":1,"r":"eu","n":"1","b":"true"}
{"v":2,"r":"us","n":"2.50","b":"false"}
{"v":3,"r":"eu","n":"1","b":"true"}
{"v":4,"r":null,"n":"-7","b":null}'
}

@test "date() and hour() partitions: UTC, any time form, the field kept in the files" {
	input='{"id":1,"ts":"2026-11-22T23:30:00-02:00"}
{"id":2,"ts":"2026-11-22 10:15:00.5+00"}
{"id":3,"ts":1795255201250}
{"id":4,"ts":"2026-11-23T01:00:00Z"}
{"id":5,"ts":null}'
	run -0 to-parquet-csv -o "$T/lake" -p 'date(ts),hour(ts)' <<<"$input"
	run -0 bash -c "cd '$T/lake' && find . -type f | sed 's|/part-[^/]*\.parquet$||' | LC_ALL=C sort"
	assert_output './date=2026-11-21/hour=2026-11-21T10
./date=2026-11-22/hour=2026-11-22T10
./date=2026-11-23/hour=2026-11-23T01
./date=__HIVE_DEFAULT_PARTITION__/hour=__HIVE_DEFAULT_PARTITION__'
	run -0 duck "SELECT id, date, hour FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true, union_by_name = true) ORDER BY id"
	assert_output '{"id":1,"date":"2026-11-23","hour":"2026-11-23T01"}
{"id":2,"date":"2026-11-22","hour":"2026-11-22T10"}
{"id":3,"date":"2026-11-21","hour":"2026-11-21T10"}
{"id":4,"date":"2026-11-23","hour":"2026-11-23T01"}
{"id":5,"date":null,"hour":null}'
	run -0 duck "SELECT id, ts FROM read_parquet('$T/lake/date=2026-11-2[23]/*/*.parquet') ORDER BY id"
	assert_output '{"id":1,"ts":"2026-11-23T01:30:00.000Z"}
{"id":2,"ts":"2026-11-22T10:15:00.500Z"}
{"id":4,"ts":"2026-11-23T01:00:00.000Z"}'
}

@test "date() and hour() partitions past 9999, before year 1, at the ends and the infinities" {
	input='{"id":1,"ts":"infinity"}
{"id":2,"ts":"-0044-03-15T12:30:00Z"}
{"id":3,"ts":"10000-01-01 00:30:00+00"}
{"id":4,"ts":"+294247-01-10T04:00:54.775806Z"}
{"id":5,"ts":"-infinity"}
{"id":6,"ts":"0045-03-15 13:00:00+00 BC"}
{"id":7,"ts":"-290308-12-22T00:00:00Z"}
{"id":8,"ts":"+300000-01-01T00:00:00Z"}'
	run -1 --separate-stderr to-parquet-csv -o "$T/lake" -p 'date(ts),hour(ts)' <<<"$input"
	assert_equal "$stderr" 'to-parquet-csv: stdin:8: field "ts": timestamp out of range: "+300000-01-01T00:00:00Z"'
	rm -rf "$T/lake"
	run -0 to-parquet-csv --on-error skip -q -o "$T/lake" -p 'date(ts),hour(ts)' <<<"$input"
	run -0 bash -c "cd '$T/lake' && find . -type f | sed 's|/part-[^/]*\.parquet$||' | LC_ALL=C sort"
	assert_output './date=+10000-01-01/hour=+10000-01-01T00
./date=+294247-01-10/hour=+294247-01-10T04
./date=-0044-03-15/hour=-0044-03-15T12
./date=-0044-03-15/hour=-0044-03-15T13
./date=-290308-12-22/hour=-290308-12-22T00
./date=-infinity/hour=-infinity
./date=infinity/hour=infinity'
	run -0 duck "SELECT id, date, hour, ts FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true) ORDER BY id"
	assert_output '{"id":1,"date":"infinity","hour":"infinity","ts":"infinity"}
{"id":2,"date":"-0044-03-15","hour":"-0044-03-15T12","ts":"-0044-03-15T12:30:00.000Z"}
{"id":3,"date":"+10000-01-01","hour":"+10000-01-01T00","ts":"+10000-01-01T00:30:00.000Z"}
{"id":4,"date":"+294247-01-10","hour":"+294247-01-10T04","ts":"+294247-01-10T04:00:54.775806Z"}
{"id":5,"date":"-infinity","hour":"-infinity","ts":"-infinity"}
{"id":6,"date":"-0044-03-15","hour":"-0044-03-15T13","ts":"-0044-03-15T13:00:00.000Z"}
{"id":7,"date":"-290308-12-22","hour":"-290308-12-22T00","ts":"-290308-12-22T00:00:00.000Z"}'
}

@test "NAME= names a directory level: a field under another name, a day" {
	input='{"__table":"sales","ts":"2026-11-22T10:00:00Z","v":1}
{"__table":"a/b","ts":"2026-11-23T01:00:00Z","v":2}
{"__table":"sales","ts":"2026-11-23T02:00:00Z","v":3,"a=b":"x"}'
	run -0 to-parquet-csv -o "$T/lake" -p 'table=__table,day=date(ts),a\=b' <<<"$input"
	run -0 bash -c "cd '$T/lake' && find . -type f | sed 's|/part-[^/]*\.parquet$||' | LC_ALL=C sort"
	assert_output './table=a%2Fb/day=2026-11-23/a%3Db=__HIVE_DEFAULT_PARTITION__
./table=sales/day=2026-11-22/a%3Db=__HIVE_DEFAULT_PARTITION__
./table=sales/day=2026-11-23/a%3Db=x'
	# __table is left to the path, as table; ts stays in the files
	run -0 duck "SELECT v, \"table\", \"day\", ts FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true) ORDER BY v"
	assert_output '{"v":1,"table":"sales","day":"2026-11-22","ts":"2026-11-22T10:00:00.000Z"}
{"v":2,"table":"a/b","day":"2026-11-23","ts":"2026-11-23T01:00:00.000Z"}
{"v":3,"table":"sales","day":"2026-11-23","ts":"2026-11-23T02:00:00.000Z"}'
	run -0 duck "SELECT DISTINCT column_name FROM (DESCRIBE SELECT * FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = false)) ORDER BY 1"
	assert_output '{"column_name":"ts"}
{"column_name":"v"}'
}

@test "a member named like a partition level the files would keep is a bad line: no column twice" {
	input='{"id":1,"ts":"2026-11-22T10:00:00Z","__table":"s"}
{"id":2,"ts":"2026-11-22T10:00:00Z","__table":"s","date":"2026-01-01"}
{"id":3,"ts":"2026-11-22T10:00:00Z","__table":"s","table":"t"}
{"id":4,"ts":"2026-11-22T10:00:00Z","__table":"s","__table":"s2"}'
	run -0 --separate-stderr to-parquet-csv -o "$T/lake" -p 'table=__table,date(ts)' --on-error skip <<<"$input"
	assert_equal "$stderr" 'to-parquet-csv: warning: stdin:2: field "date": has the name of the partition level "date=", which readers add as a column (name the level otherwise with NAME=) (line skipped)
to-parquet-csv: warning: stdin:3: field "table": has the name of the partition level "table=", which readers add as a column (name the level otherwise with NAME=) (line skipped)
to-parquet-csv: warning: skipped 2 bad lines'
	run -0 duck "SELECT id, \"table\", \"date\" FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true) ORDER BY id"
	assert_output '{"id":1,"table":"s","date":"2026-11-22"}
{"id":4,"table":"s2","date":"2026-11-22"}'
	# a plain field is left out of the files: its level never clashes
	rm -rf "$T/lake"
	run -0 to-parquet-csv -o "$T/lake" -p 'k' <<<'{"k":"a","v":1}'
	# a column --schema declares is always in the files
	run -2 --separate-stderr to-parquet-csv -o "$T/lake" -p 'day=date(ts)' --schema 'v:int64,day:date' </dev/null
	assert_equal "$stderr" 'to-parquet-csv: column "day" of --schema collides with the partition level "day=" of --partition-by, which readers add as a column
Try "to-parquet-csv --help" for more information.'
}

@test "a partition time that is not a time, or a value too long, is a bad line" {
	long=$(printf '%0300d' 0)
	input='{"id":1,"ts":"2026-11-22T10:00:00Z","k":"a"}
{"id":2,"ts":"2026-13-40","k":"a"}
{"id":3,"ts":true,"k":"a"}
{"id":4,"ts":"2026-11-22T10:00:00Z","k":"'$long'"}
{"id":5,"ts":"2026-11-22T10:00:00Z","k":"b"}'
	run -1 --separate-stderr to-parquet-csv -o "$T/lake" -p 'k,date(ts)' <<<"$input"
	assert_equal "$stderr" 'to-parquet-csv: stdin:2: field "ts": not a timestamp: "2026-13-40"'
	# nothing is left of the open files, not even temporary ones
	assert_equal "$(tree "$T/lake")" ''
	run -0 --separate-stderr to-parquet-csv -o "$T/lake" -p 'k,date(ts)' --dead-letter "$T/dead" <<<"$input"
	assert_equal "$stderr" "to-parquet-csv: warning: skipped 3 bad lines, written to \"$T/dead\""
	run -0 cat "$T/dead"
	assert_output '{"source":"stdin","line":2,"error":"field \"ts\": not a timestamp: \"2026-13-40\"","input":"{\"id\":2,\"ts\":\"2026-13-40\",\"k\":\"a\"}"}
{"source":"stdin","line":3,"error":"field \"ts\": not a timestamp: true","input":"{\"id\":3,\"ts\":true,\"k\":\"a\"}"}
{"source":"stdin","line":4,"error":"field \"k\": value too long for a partition directory (300 bytes escaped, at most 253): \"000000000000000000000000000000000000...","input":"{\"id\":4,\"ts\":\"2026-11-22T10:00:00Z\",\"k\":\"'$long'\"}"}'
	run -0 duck "SELECT id, k FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true) ORDER BY id"
	assert_output '{"id":1,"k":"a"}
{"id":5,"k":"b"}'
}

@test "a partition level's name leaves room for a null or a date: longer is a usage error" {
	# a null value is __HIVE_DEFAULT_PARTITION__ (26 bytes): 228 + "="
	# + 26 is NAME_MAX, which every file system takes
	name=$(printf 'n%.0s' $(seq 228))
	run -0 to-parquet-csv -o "$T/lake" -p "$name" <<<'{"id":1}'
	run -0 ls "$T/lake"
	assert_output "$name=__HIVE_DEFAULT_PARTITION__"
	run -2 --separate-stderr to-parquet-csv -o "$T/lake2" -p "${name}n" </dev/null
	assert_equal "${stderr%%$'\n'*}" "to-parquet-csv: invalid value \"${name}n\" for option --partition-by: the directory name of \"$(printf 'n%.0s' $(seq 40))...\" is too long (229 bytes escaped, at most 228)"
	# counted escaped: 77 bytes of "%" are 231
	pct=$(printf '%%%.0s' $(seq 77))
	run -2 --separate-stderr to-parquet-csv -o "$T/lake2" -p "id,$pct=date(ts)" </dev/null
	assert_equal "${stderr%%$'\n'*}" "to-parquet-csv: invalid value \"id,$pct=date(ts)\" for option --partition-by: the directory name of \"$(printf '%%%.0s' $(seq 40))...\" is too long (231 bytes escaped, at most 228)"
	[ ! -e "$T/lake2" ]
}

# ---------------------------------------------------------------------
# Bad lines

@test "bad lines: fail stops with the locus and leaves only committed files" {
	{
		lsn_rows 5
		echo '[1,2]'
		lsn_rows 2 6
	} >"$T/in.ndjson"
	run -1 --separate-stderr to-parquet-csv -o "$T/lake" --roll-rows 2 "$T/in.ndjson"
	assert_equal "$stderr" "to-parquet-csv: $T/in.ndjson:6: not a JSON object: [1,2]"
	assert_equal "$(tree "$T/lake")" "part-$(lsn20 1)-$(lsn20 2).parquet
part-$(lsn20 3)-$(lsn20 4).parquet"
	# the fixed input rewrites those files and adds the rest
	sed -i 6d "$T/in.ndjson"
	run -0 to-parquet-csv -o "$T/lake" --roll-rows 2 "$T/in.ndjson"
	assert_equal "$(tree "$T/lake")" "part-$(lsn20 1)-$(lsn20 2).parquet
part-$(lsn20 3)-$(lsn20 4).parquet
part-$(lsn20 5)-$(lsn20 6).parquet
part-$(lsn20 7)-$(lsn20 7).parquet"
	run -0 duck "SELECT count(*) n, count(DISTINCT id) d FROM '$T/lake/*.parquet'"
	assert_output '{"n":7,"d":7}'
}

@test "an empty object is a bad line: a file needs a column" {
	# a Parquet file of such rows alone would have no column, which
	# DuckDB refuses ("Need at least one non-root column in the file")
	run -1 --separate-stderr to-parquet-csv -o "$T/e.parquet" <<<'{}'
	assert_equal "$stderr" 'to-parquet-csv: stdin:1: no field to write: an empty object'
	[ ! -e "$T/e.parquet" ]
	run -0 --separate-stderr to-parquet-csv -q --on-error=skip -o "$T/e.parquet" <<<'{}
{"v":1}
{ }'
	run -0 duck "SELECT v FROM read_parquet('$T/e.parquet')"
	assert_output '{"v":1}'
	# with partitions, as without
	run -1 --separate-stderr to-parquet-csv -o "$T/lake" -p d <<<'{"d":"x","v":1}
{}'
	assert_equal "$stderr" 'to-parquet-csv: stdin:2: no field to write: an empty object'
}

@test "a row of nothing but partition columns is a bad line: a file needs a column" {
	printf '%s\n' '{"d":"x"}' '{"d":"y","v":1}' '{"v":2,"d":"x"}' >"$T/in.ndjson"
	run -1 --separate-stderr to-parquet-csv -o "$T/lake" -p d "$T/in.ndjson"
	assert_equal "$stderr" "to-parquet-csv: $T/in.ndjson:1: no field left to write: every member is a partition column, which the files leave to the paths"
	assert_equal "$(find "$T/lake" -type f)" ""
	run -0 --separate-stderr to-parquet-csv -q --on-error=skip -o "$T/lake" -p d "$T/in.ndjson"
	run -0 duck "SELECT d, v FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true) ORDER BY v"
	assert_output '{"d":"y","v":1}
{"d":"x","v":2}'
}

@test "bad lines: skip keeps every good row, --dead-letter keeps the bad ones" {
	input='{"id":1,"qty":5}
not json
{"id":2,"qty":"abc"}
"a string"
{"id":3,"qty":7}
{"id":4,"qty":1.5}'
	run -1 --separate-stderr to-parquet-csv --schema 'qty:int64' -o "$T/o.parquet" <<<"$input"
	assert_equal "$stderr" 'to-parquet-csv: stdin:2: invalid JSON: invalid literal at column 1'
	# no file, and no temporary file either
	assert_equal "$(tree "$T")" ''
	run -0 --separate-stderr to-parquet-csv --schema 'qty:int64' --on-error skip -o "$T/o.parquet" <<<"$input"
	assert_equal "$stderr" 'to-parquet-csv: warning: stdin:2: invalid JSON: invalid literal at column 1 (line skipped)
to-parquet-csv: warning: stdin:3: field "qty": not an int64: "abc" (line skipped)
to-parquet-csv: warning: stdin:4: not a JSON object: "a string" (line skipped)
to-parquet-csv: warning: stdin:6: field "qty": not an int64: 1.5 (line skipped)
to-parquet-csv: warning: skipped 4 bad lines'
	run -0 duck "SELECT id, qty FROM '$T/o.parquet'"
	assert_output '{"id":1,"qty":5}
{"id":3,"qty":7}'
	run -0 --separate-stderr to-parquet-csv --schema 'qty:int64' --dead-letter "$T/dead" -o "$T/o.parquet" <<<"$input"
	run -0 jq -c '[.line, .error]' "$T/dead"
	assert_output '[2,"invalid JSON: invalid literal at column 1"]
[3,"field \"qty\": not an int64: \"abc\""]
[4,"not a JSON object: \"a string\""]
[6,"field \"qty\": not an int64: 1.5"]'
}

@test "CSV on standard output: a bad line with fail writes the rows before it" {
	run -1 --separate-stderr to-parquet-csv -f csv -o - <<<'{"a":1}
{"a":2}
{"a":'
	assert_output 'a
1
2'
	[[ $stderr == 'to-parquet-csv: stdin:3: invalid JSON: '* ]]
}

# ---------------------------------------------------------------------
# Rolling, names, commits

@test "__lsn names: 20 digits each, a rerun gives the same files, byte for byte" {
	lsn_rows 10 24023128 >"$T/in.ndjson"
	run -0 to-parquet-csv -o "$T/lake" -p k --roll-rows 3 "$T/in.ndjson"
	run -0 tree "$T/lake"
	assert_output "k=a/part-$(lsn20 24023129)-$(lsn20 24023133).parquet
k=a/part-$(lsn20 24023135)-$(lsn20 24023137).parquet
k=b/part-$(lsn20 24023128)-$(lsn20 24023132).parquet
k=b/part-$(lsn20 24023134)-$(lsn20 24023136).parquet"
	cp -a "$T/lake" "$T/first"
	run -0 to-parquet-csv -o "$T/lake" -p k --roll-rows 3 "$T/in.ndjson"
	run -0 diff -r "$T/first" "$T/lake"
	run -0 duck "SELECT __lsn, id, k FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true) ORDER BY __lsn"
	[ "${#lines[@]}" -eq 10 ]
	assert_equal "${lines[0]}" '{"__lsn":24023128,"id":24023128,"k":"b"}'
}

@test "__lsn names: files with the same first and last __lsn are told apart" {
	for i in 1 2 3 4 5; do
		printf '{"__lsn":100,"i":%d}\n{"__lsn":200,"i":%d}\n' "$i" "$i"
	done | sort >"$T/in.ndjson"
	run -0 to-parquet-csv -o "$T/lake" --roll-rows 2 "$T/in.ndjson"
	run -0 tree "$T/lake"
	assert_output "part-$(lsn20 100)-$(lsn20 100)-1.parquet
part-$(lsn20 100)-$(lsn20 100).parquet
part-$(lsn20 100)-$(lsn20 200).parquet
part-$(lsn20 200)-$(lsn20 200)-1.parquet
part-$(lsn20 200)-$(lsn20 200).parquet"
	run -0 duck "SELECT count(*) n FROM '$T/lake/*.parquet'"
	assert_output '{"n":10}'
	# a rerun rewrites the same five
	run -0 to-parquet-csv -o "$T/lake" --roll-rows 2 "$T/in.ndjson"
	run -0 duck "SELECT count(*) n FROM '$T/lake/*.parquet'"
	assert_output '{"n":10}'
}

@test "a row its file cannot hold starts the partition's next file, schema widened" {
	input='{"__lsn":1,"k":"a","v":1}
{"__lsn":2,"k":"a","v":2}
{"__lsn":3,"k":"b","v":3}
{"__lsn":4,"k":"a","v":2.5}
{"__lsn":5,"k":"a","v":7,"w":"new"}
{"__lsn":6,"k":"b","v":4}'
	run -0 --separate-stderr to-parquet-csv -v -o "$T/lake" -p k --row-group-rows 2 <<<"$input"
	assert_equal "${stderr_lines[0]}" "to-parquet-csv: stdin:4: the row does not fit the schema of its file in \"$T/lake/k=a\" (2 rows): a new file with the schema widened"
	run -0 tree "$T/lake"
	assert_output "k=a/part-$(lsn20 1)-$(lsn20 2).parquet
k=a/part-$(lsn20 4)-$(lsn20 5).parquet
k=b/part-$(lsn20 3)-$(lsn20 6).parquet"
	run -0 duck "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('$T/lake/k=a/part-$(lsn20 4)-*.parquet', hive_partitioning = false))"
	assert_output '{"column_name":"__lsn","column_type":"BIGINT"}
{"column_name":"v","column_type":"DECIMAL(38,1)"}
{"column_name":"w","column_type":"VARCHAR"}'
	run -0 duck "SELECT __lsn, k, v, w FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true, union_by_name = true) ORDER BY __lsn"
	assert_output '{"__lsn":1,"k":"a","v":1.0,"w":null}
{"__lsn":2,"k":"a","v":2.0,"w":null}
{"__lsn":3,"k":"b","v":3.0,"w":null}
{"__lsn":4,"k":"a","v":2.5,"w":null}
{"__lsn":5,"k":"a","v":7.0,"w":"new"}
{"__lsn":6,"k":"b","v":4.0,"w":null}'
}

@test "time names: part-TIME-SEQ, a rerun adds files and replaces none" {
	input='{"k":1}
{"k":2,"__lsn":5}
{"k":3,"__lsn":"not a number"}'
	run -0 to-parquet-csv -o "$T/lake/" --roll-rows 2 <<<"$input"
	run -0 tree "$T/lake"
	[ "${#lines[@]}" -eq 2 ]
	[[ ${lines[0]} =~ ^part-[0-9]{8}T[0-9]{6}\.[0-9]{6}Z-000001\.parquet$ ]]
	[[ ${lines[1]} =~ ^part-[0-9]{8}T[0-9]{6}\.[0-9]{6}Z-000002\.parquet$ ]]
	# an existing directory is a lake too
	run -0 to-parquet-csv -o "$T/lake" <<<"$input"
	run -0 duck "SELECT count(*) n FROM '$T/lake/*.parquet'"
	assert_output '{"n":6}'
}

@test "--roll-rows and --roll-bytes cut files where they say" {
	for i in $(seq 1 1000); do
		printf '{"__lsn":%d,"s":"%s"}\n' "$i" "row $i with some padding text to make it longer"
	done >"$T/in.ndjson"
	run -0 to-parquet-csv -o "$T/rows" --roll-rows 300 "$T/in.ndjson"
	assert_equal "$(tree "$T/rows")" "part-$(lsn20 1)-$(lsn20 300).parquet
part-$(lsn20 301)-$(lsn20 600).parquet
part-$(lsn20 601)-$(lsn20 900).parquet
part-$(lsn20 901)-$(lsn20 1000).parquet"
	run -0 to-parquet-csv -f csv -o "$T/bytes" --roll-bytes 16k --row-group-rows 50 "$T/in.ndjson"
	run -0 tree "$T/bytes"
	[ "${#lines[@]}" -ge 3 ]
	# every file but the last reached 16k, and none is much bigger
	for f in "${lines[@]:0:${#lines[@]}-1}"; do
		size=$(stat -c %s "$T/bytes/$f")
		[ "$size" -ge 16384 ] || fail "$f: $size bytes"
		[ "$size" -lt 24000 ] || fail "$f: $size bytes"
	done
	run -0 duck "SELECT count(*) n, min(__lsn) lo, max(__lsn) hi FROM read_csv('$T/bytes/*.csv', header = true)"
	assert_output '{"n":1000,"lo":1,"hi":1000}'
}

@test "--roll-interval commits a file while the input is silent" {
	mkdir "$T/lake"
	(
		echo '{"a":1}'
		wait_until count_files "$T/lake" 'part-*.parquet' 1
		tree "$T/lake" >"$T/seen"
		echo '{"a":2}'
	) | to-parquet-csv -o "$T/lake" --roll-interval 1s 3>&-
	run -0 cat "$T/seen"
	[ "${#lines[@]}" -eq 1 ]
	[[ ${lines[0]} == part-*.parquet ]]
	first=${lines[0]}
	run -0 duck "SELECT a FROM '$T/lake/$first'"
	assert_output '{"a":1}'
	run -0 duck "SELECT a FROM '$T/lake/*.parquet' ORDER BY a"
	assert_output '{"a":1}
{"a":2}'
}

@test "--max-open-files commits the least recently written file first" {
	input='{"__lsn":1,"k":"a"}
{"__lsn":2,"k":"b"}
{"__lsn":3,"k":"a"}
{"__lsn":4,"k":"c"}
{"__lsn":5,"k":"a"}
{"__lsn":6,"k":"b"}'
	run -0 --separate-stderr to-parquet-csv -v -o "$T/lake" -p k --max-open-files 2 <<<"$input"
	run -0 bash -c "printf '%s\n' \"\$1\" | sed -n 's|^to-parquet-csv: committed $T/lake/\([^ ]*\) (\([0-9]*\) rows*, .*|\1 \2|p'" _ "$stderr"
	assert_output "k=b/part-$(lsn20 2)-$(lsn20 2).parquet 1
k=c/part-$(lsn20 4)-$(lsn20 4).parquet 1
k=a/part-$(lsn20 1)-$(lsn20 5).parquet 3
k=b/part-$(lsn20 6)-$(lsn20 6).parquet 1"
	[[ $stderr == *"6 rows written to 4 files ("*" bytes), at most 2 open at once" ]]
	assert_equal "$(grep warning <<<"$stderr")" 'to-parquet-csv: warning: partition "k=b" opened again after its file was committed to make room (--max-open-files 2, or the limit of open files): files are cut small'
	# said once only
	rows=$(for i in $(seq 1 30); do printf '{"k":%d,"i":%d}\n' $((i % 3)) "$i"; done)
	run -0 --separate-stderr to-parquet-csv -o "$T/lake2" -p k --max-open-files 2 <<<"$rows"
	assert_equal "$stderr" 'to-parquet-csv: warning: partition "k=1" opened again after its file was committed to make room (--max-open-files 2, or the limit of open files): files are cut small'
	[ "$(find "$T/lake2" -name 'part-*.parquet' | wc -l)" -eq 30 ]
}

@test "more partitions than descriptors: files are committed to make room" {
	for i in $(seq 1 60); do
		printf '{"k":%d,"__lsn":%d}\n{"k":%d,"__lsn":%d}\n' "$i" "$i" "$i" "$((i + 100))"
	done >"$T/in.ndjson"
	run -0 bash -c 'ulimit -n 24 && to-parquet-csv -o "$1" -p k --max-open-files 1000 "$2"' _ "$T/lake" "$T/in.ndjson"
	run -0 duck "SELECT count(*) n, count(DISTINCT k) k FROM read_parquet('$T/lake/**/*.parquet', hive_partitioning = true)"
	assert_output '{"n":120,"k":60}'
	run -0 bash -c "find '$T/lake' -name '*.tmp' | wc -l"
	assert_output 0
}

@test "SIGTERM commits the open files and exits 0" {
	mkfifo "$T/in"
	to-parquet-csv -o "$T/lake" --roll-rows 2 <"$T/in" 2>"$T/err" 3>&- &
	pid=$!
	exec 4>"$T/in"
	lsn_rows 5 >&4
	wait_until count_files "$T/lake" 'part-*.parquet' 2
	wait_until count_files "$T/lake" '.part-*.tmp' 1
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 4>&-
	assert_equal "$rc" 0
	assert_equal "$(cat "$T/err")" ''
	assert_equal "$(tree "$T/lake")" "part-$(lsn20 1)-$(lsn20 2).parquet
part-$(lsn20 3)-$(lsn20 4).parquet
part-$(lsn20 5)-$(lsn20 5).parquet"
	run -0 duck "SELECT id FROM '$T/lake/part-$(lsn20 5)-$(lsn20 5).parquet'"
	assert_output '{"id":5}'
}

@test "kill -9 leaves complete files under final names, temporary files at worst" {
	mkfifo "$T/in"
	to-parquet-csv -o "$T/lake" -p k --roll-rows 5 <"$T/in" 3>&- &
	pid=$!
	exec 4>"$T/in"
	lsn_rows 23 >&4
	# 11 and 12 rows: two files each committed, two open with rows
	wait_until count_files "$T/lake" 'part-*.parquet' 4
	wait_until count_files "$T/lake" '.part-*.tmp' 2
	kill -9 "$pid"
	wait "$pid" || true
	exec 4>&-
	run -0 duck "SELECT count(*) n FROM read_parquet('$T/lake/**/*.parquet')"
	assert_output '{"n":20}'
	run -0 bash -c "cd '$T/lake' && find . -type f ! -name 'part-*.parquet' | sed 's|/\.part-[^/]*\.parquet\.tmp$|/TMP|' | LC_ALL=C sort"
	assert_output './k=a/TMP
./k=b/TMP'

	# killed in the middle of writing big files: whatever is under a final
	# name reads whole
	awk 'BEGIN { for (i = 1; i <= 3000000; i++)
		printf "{\"k\":%d,\"i\":%d,\"s\":\"some text %d\"}\n", i % 3, i, i }' |
	    to-parquet-csv -o "$T/big" -p k --roll-rows 100000 --row-group-rows 20000 3>&- &
	pid=$!
	wait_until at_least "$T/big" 'part-*.parquet' 3
	kill -9 "$pid"
	wait "$pid" || true
	run -0 bash -c "find '$T/big' -type f ! -name 'part-*.parquet' ! -name '.part-*.parquet.tmp' | wc -l"
	assert_output 0
	for f in $(find "$T/big" -name 'part-*.parquet'); do
		run -0 duck "SELECT count(*) n FROM '$f'"
		assert_output '{"n":100000}'
	done
}

@test "SIGINT commits like SIGTERM, one file too" {
	mkfifo "$T/in"
	to-parquet-csv -o "$T/out.parquet" <"$T/in" 3>&- &
	pid=$!
	exec 4>"$T/in"
	echo '{"a":1}' >&4
	wait_until test -e "$T/.out.parquet.tmp"
	kill -INT "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 4>&-
	assert_equal "$rc" 0
	run -0 duck "SELECT a FROM '$T/out.parquet'"
	assert_output '{"a":1}'
}

@test "progress on a terminal: rows, files committed and their size" {
	cat >"$T/run.sh" <<'EOF'
gen() { awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) printf "{\"i\":%d}\n", i }'; }
{ gen 70000; sleep 0.7; gen 70000; } | to-parquet-csv -o "$1" --roll-rows 50000
EOF
	# script(1) gives the command a terminal for its standard error
	run -0 script -qec "bash '$T/run.sh' '$T/lake'" /dev/null
	[[ $output == *"to-parquet-csv: "[0-9]*" files committed, "*" MiB: "*" rows, "*" s, "* ]] ||
		fail "no progress line: $output"
	run -0 duck "SELECT count(*) n FROM '$T/lake/*.parquet'"
	assert_output '{"n":140000}'
}

# ---------------------------------------------------------------------
# Usage

@test "usage errors exit 2 with the Try line" {
	try='Try "to-parquet-csv --help" for more information.'
	check() {
		local want=$1
		shift
		run -2 --separate-stderr to-parquet-csv "$@" </dev/null
		assert_output ''
		assert_equal "$stderr" "to-parquet-csv: $want
$try"
	}
	check 'no output given: use -o PATH'
	check 'Parquet cannot be written to standard output: use -o FILE, or --format csv' -o -
	check '-o - writes one CSV stream: --partition-by and --roll-* need a directory' -f csv -o - -p k
	check '-o - writes one CSV stream: --partition-by and --roll-* need a directory' -f csv -o - --roll-rows 5
	check '--compression is for Parquet: CSV is written uncompressed' -f csv -o x.csv --compression gzip
	check 'invalid value "xml" for option --format: expected parquet or csv' -f xml -o x
	check 'invalid value "lz4" for option --compression: expected zstd, snappy, gzip or none' --compression lz4 -o x
	check 'invalid value "" for option --output: must not be empty' -o ''
	check 'invalid value "a.b" for option --partition-by: "a.b" is a path: partitions are top-level fields (write a dot in a name as "\.")' -o x -p a.b
	check 'invalid value "a,,b" for option --partition-by: empty field name in ""' -o x -p a,,b
	check 'invalid value "date(x),date(y)" for option --partition-by: "date(y)" makes a second "date" directory level' -o x -p 'date(x),date(y)'
	check 'invalid value "date(),k" for option --partition-by: empty field name in "date()"' -o x -p 'date(),k'
	check 'invalid value "=k" for option --partition-by: empty directory name in "=k"' -o x -p '=k'
	check 'invalid value "k,k=j" for option --partition-by: "k=j" makes a second "k" directory level' -o x -p 'k,k=j'
	check 'invalid value "t=" for option --partition-by: empty field name in "t="' -o x -p 't='
	check 'invalid value "0" for option --roll-rows: must be between 1 and 9223372036854775807' -o x --roll-rows 0
	check 'invalid value "10q" for option --roll-bytes: not a size (digits, then k, M or G)' -o x --roll-bytes 10q
	check 'invalid value "soon" for option --roll-interval: not a duration (e.g. 500ms, 15s, 1m, 1h30m, 1d)' -o x --roll-interval soon
	check 'invalid value "0s" for option --roll-interval: must be at least 1ms' -o x --roll-interval 0s
	check 'invalid value "0" for option --max-open-files: must be between 1 and 100000' -o x --max-open-files 0
	check 'invalid value "0" for option --row-group-rows: must be between 1 and 2147483648' -o x --row-group-rows 0
	check 'invalid value "12" for option --row-group-bytes: must be between 1024 and 17179869184 bytes' -o x --row-group-bytes 12
	run -2 --separate-stderr to-parquet-csv -o x --schema 'qty:money'
	[[ $stderr == 'to-parquet-csv: invalid value "qty:money" for option --schema: '* ]]
	[[ $stderr == *"
$try" ]]
	[ ! -e x ]
}

@test "a partition field may hold a comma or a dot, escaped" {
	run -0 to-parquet-csv -o "$T/lake" -p 'a\,b,c\.d' <<<'{"a,b":1,"c.d":"x","v":true}'
	run -0 bash -c "cd '$T/lake' && find . -type f | sed 's|/part-[^/]*\.parquet$||'"
	assert_output './a,b=1/c.d=x'
}

@test "an output that cannot be written is an error naming it, status 1" {
	printf 'x' >"$T/file"
	run -1 --separate-stderr to-parquet-csv -o "$T/file/lake" -p k <<<'{"k":1}'
	assert_equal "$stderr" "to-parquet-csv: could not create directory \"$T/file\": Not a directory"
	run -1 --separate-stderr to-parquet-csv -o "$T/nodir/out.parquet" <<<'{"k":1}'
	assert_equal "$stderr" "to-parquet-csv: could not write in \"$T/nodir\": No such file or directory"
	run -1 --separate-stderr to-parquet-csv -o "$T/out.parquet" "$T/missing" - <<<'{"k":1}'
	assert_equal "$stderr" "to-parquet-csv: could not open \"$T/missing\": No such file or directory"
	run -0 duck "SELECT k FROM '$T/out.parquet'"
	assert_output '{"k":1}'
}

# ---------------------------------------------------------------------
# The man page's examples

@test "man page: DuckDB over a partitioned lake, and an SCD2 query over a CDC lake" {
	ev=$REPO_ROOT/tests/fixtures/cdc-unwrap/events.ndjson
	cdc-unwrap -q -t sales -a lsn "$ev" |
	    to-parquet-csv -o "$T/lake/sales" -p 'date(sale_ts)' --roll-interval 5m
	run -0 duck "SELECT date, count(*) n, sum(total_price) s
	    FROM read_parquet('$T/lake/sales/**/*.parquet', hive_partitioning = true, union_by_name = true)
	    GROUP BY date ORDER BY date"
	# the fixture's odd line {"hello":"world","op":5} has no sale_ts
	assert_output '{"date":"2026-11-22","n":5,"s":160.99}
{"date":null,"n":1,"s":null}'

	cdc-unwrap -q --changelog -a lsn,source.ts_ms -t users "$ev" |
	    to-parquet-csv -o "$T/lake/users" --roll-rows 100000
	run -0 duck "
	  SELECT id, name, tier,
	         epoch_ms(__source_ts_ms) AS valid_from,
	         epoch_ms(lead(__source_ts_ms)
	                  OVER (PARTITION BY id ORDER BY __lsn)) AS valid_to
	  FROM read_parquet('$T/lake/users/*.parquet', union_by_name = true)
	  WHERE __kind <> '-U'
	  QUALIFY __kind <> '-D'
	  ORDER BY id, valid_from"
	assert_output '{"id":1,"name":"Ann","tier":"basic","valid_from":"2025-11-22T10:00:00.000Z","valid_to":"2025-11-22T10:00:04.000Z"}
{"id":1,"name":"Ann","tier":"gold","valid_from":"2025-11-22T10:00:04.000Z","valid_to":null}
{"id":2,"name":"Bob","tier":"basic","valid_from":"2025-11-22T10:00:00.000Z","valid_to":"2025-11-22T10:00:08.000Z"}'
}
