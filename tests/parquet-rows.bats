#!/usr/bin/env bats
# tests/helpers/parquet-rows, the two readers the to-parquet-csv tests judge
# its files with (DuckDB, and arrow-rs through parquet-wasm), judged first on
# Parquet files DuckDB itself writes: both readers must print exactly the
# expected canonical rows and schema, byte for byte, for every type
# to-parquet-csv writes, their extremes and nulls, several row groups and
# every codec; files they cannot read exactly are refused.

load helpers/common

setup() {
	W=$BATS_TEST_TMPDIR
	DUCK=$REPO_ROOT/scripts/duckdb-query
	PR=$REPO_ROOT/tests/helpers/parquet-rows
}

# copy FILE SELECT [OPTIONS]: DuckDB writes the rows of SELECT to FILE.
copy() {
	"$DUCK" "COPY ($2) TO '$1' (FORMAT parquet${3:+, $3})" >/dev/null
}

# both FILE EXPECTED [ARGS...]: each reader prints exactly EXPECTED.
both() {
	local file=$1 want=$2 r
	shift 2
	for r in duckdb strict; do
		run --separate-stderr "$PR" --reader "$r" "$@" "$file"
		[ "$status" -eq 0 ] || {
			echo "$r: status $status: $stderr" >&2
			return 1
		}
		diff -u "$want" <(printf '%s\n' "$output") >&2 || {
			echo "$r reader differs from $want" >&2
			return 1
		}
	done
}

# refused FILE PATTERN [ARGS...]: each reader exits 1, prints no row, and
# says something matching PATTERN (an ERE) on stderr.
refused() {
	local file=$1 pat=$2 r
	shift 2
	for r in duckdb strict; do
		run --separate-stderr "$PR" --reader "$r" "$@" "$file"
		[ "$status" -eq 1 ] || {
			echo "$r: status $status, not 1" >&2
			return 1
		}
		[ -z "$output" ] || {
			echo "$r: printed rows: $output" >&2
			return 1
		}
		[[ $stderr =~ $pat ]] || {
			echo "$r: stderr does not match /$pat/: $stderr" >&2
			return 1
		}
	done
}

# Every type to-parquet-csv writes, with extremes and nulls, in one file.
ALL_SQL="SELECT * FROM (VALUES
 (1, true, 9223372036854775807::BIGINT, 2147483647::INTEGER,
  999999999999999.99::DECIMAL(18,2), 9999999999999999999999999999.9999999999::DECIMAL(38,10),
  0.1::DOUBLE, TIMESTAMPTZ '2026-11-22 10:01:02.345678+00', TIMESTAMP '2026-11-22 10:01:02.345678',
  DATE '2026-11-22', 'héllo ✓ 😀', '{\"a\":[1,2.50,\"x\"],\"b\":null}'::JSON),
 (2, false, '-9223372036854775808'::BIGINT, '-2147483648'::INTEGER,
  -0.50::DECIMAL(18,2), -0.0000000001::DECIMAL(38,10),
  1e300::DOUBLE, TIMESTAMPTZ '1969-12-31 23:59:59.999999+00', TIMESTAMP '0001-01-01 00:00:00',
  DATE '1969-12-31', 'quote \" backslash \\ tab' || chr(9) || 'nl' || chr(10) || 'x',
  '[1,\"é\",{\"k\":-0.5e3}]'::JSON),
 (3, NULL, 0::BIGINT, 0::INTEGER, 0.00::DECIMAL(18,2), 0::DECIMAL(38,10),
  'NaN'::DOUBLE, TIMESTAMPTZ '9999-12-31 23:59:59.999999+00', TIMESTAMP '1970-01-01 00:00:00.000001',
  DATE '0001-01-01', '', '\"just a string\"'::JSON),
 (4, true, -1::BIGINT, -1::INTEGER, -999999999999999.99::DECIMAL(18,2),
  -9999999999999999999999999999.9999999999::DECIMAL(38,10),
  'Infinity'::DOUBLE, TIMESTAMPTZ '2000-02-29 12:00:00+00', TIMESTAMP '2000-02-29 12:00:00',
  DATE '9999-12-31', chr(1) || chr(31), '12345678901234567890123'::JSON),
 (5, false, 1::BIGINT, 1::INTEGER, 0.01::DECIMAL(18,2), 12345678901234567890.0123456789::DECIMAL(38,10),
  '-Infinity'::DOUBLE, TIMESTAMPTZ '1900-01-01 00:00:00.5+00', TIMESTAMP '2038-01-19 03:14:08',
  DATE '1970-01-01', 'NULL', '-0.0'::JSON),
 (6, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
 (7, true, 42::BIGINT, 7::INTEGER, 19.90::DECIMAL(18,2), 1.5::DECIMAL(38,10),
  5e-324::DOUBLE, TIMESTAMPTZ '2026-03-29 01:30:00+00', NULL, DATE '2024-02-29', 'a,b', 'true'::JSON),
 (8, false, NULL, 3::INTEGER, NULL, -1::DECIMAL(38,10), -2.5e-300::DOUBLE, NULL,
  TIMESTAMP '1969-12-31 23:59:59.999999', NULL, NULL, NULL),
 (9, NULL, 123::BIGINT, NULL, 1::DECIMAL(18,2), NULL, 1.7976931348623157e308::DOUBLE,
  TIMESTAMPTZ '1970-01-01 00:00:00+00', NULL, NULL, '日本語', '{}'::JSON),
 (10, true, NULL, NULL, NULL, NULL, 123::DOUBLE, NULL, NULL, NULL, NULL, '[]'::JSON)
) t(id, b, i64, i32, d18, d38, dbl, tstz, ts, dt, s, j) ORDER BY id"

@test "parquet-rows: every type, extremes and nulls: both readers print exactly the canonical rows" {
	copy "$W/all.parquet" "$ALL_SQL"
	cat >"$W/want" <<-'EOF'
	{"id":1,"b":true,"i64":9223372036854775807,"i32":2147483647,"d18":999999999999999.99,"d38":9999999999999999999999999999.9999999999,"dbl":0.1,"tstz":"2026-11-22T10:01:02.345678Z","ts":"2026-11-22T10:01:02.345678Z","dt":"2026-11-22","s":"héllo ✓ 😀","j":{"a":[1,2.50,"x"],"b":null}}
	{"id":2,"b":false,"i64":-9223372036854775808,"i32":-2147483648,"d18":-0.50,"d38":-0.0000000001,"dbl":1e+300,"tstz":"1969-12-31T23:59:59.999999Z","ts":"0001-01-01T00:00:00.000000Z","dt":"1969-12-31","s":"quote \" backslash \\ tab\tnl\nx","j":[1,"é",{"k":-0.5e3}]}
	{"id":3,"b":null,"i64":0,"i32":0,"d18":0.00,"d38":0.0000000000,"dbl":"NaN","tstz":"9999-12-31T23:59:59.999999Z","ts":"1970-01-01T00:00:00.000001Z","dt":"0001-01-01","s":"","j":"just a string"}
	{"id":4,"b":true,"i64":-1,"i32":-1,"d18":-999999999999999.99,"d38":-9999999999999999999999999999.9999999999,"dbl":"Infinity","tstz":"2000-02-29T12:00:00.000000Z","ts":"2000-02-29T12:00:00.000000Z","dt":"9999-12-31","s":"\u0001\u001f","j":12345678901234567890123}
	{"id":5,"b":false,"i64":1,"i32":1,"d18":0.01,"d38":12345678901234567890.0123456789,"dbl":"-Infinity","tstz":"1900-01-01T00:00:00.500000Z","ts":"2038-01-19T03:14:08.000000Z","dt":"1970-01-01","s":"NULL","j":-0.0}
	{"id":6,"b":null,"i64":null,"i32":null,"d18":null,"d38":null,"dbl":null,"tstz":null,"ts":null,"dt":null,"s":null,"j":null}
	{"id":7,"b":true,"i64":42,"i32":7,"d18":19.90,"d38":1.5000000000,"dbl":5e-324,"tstz":"2026-03-29T01:30:00.000000Z","ts":null,"dt":"2024-02-29","s":"a,b","j":true}
	{"id":8,"b":false,"i64":null,"i32":3,"d18":null,"d38":-1.0000000000,"dbl":-2.5e-300,"tstz":null,"ts":"1969-12-31T23:59:59.999999Z","dt":null,"s":null,"j":null}
	{"id":9,"b":null,"i64":123,"i32":null,"d18":1.00,"d38":null,"dbl":1.7976931348623157e+308,"tstz":"1970-01-01T00:00:00.000000Z","ts":null,"dt":null,"s":"日本語","j":{}}
	{"id":10,"b":true,"i64":null,"i32":null,"d18":null,"d38":null,"dbl":123,"tstz":null,"ts":null,"dt":null,"s":null,"j":[]}
	EOF
	both "$W/all.parquet" "$W/want"
}

@test "parquet-rows --schema: both readers name every type alike" {
	copy "$W/all.parquet" "$ALL_SQL"
	cat >"$W/want" <<-'EOF'
	{"name":"id","type":"int32"}
	{"name":"b","type":"boolean"}
	{"name":"i64","type":"int64"}
	{"name":"i32","type":"int32"}
	{"name":"d18","type":"decimal(18,2)"}
	{"name":"d38","type":"decimal(38,10)"}
	{"name":"dbl","type":"double"}
	{"name":"tstz","type":"timestamp_utc"}
	{"name":"ts","type":"timestamp"}
	{"name":"dt","type":"date"}
	{"name":"s","type":"string"}
	{"name":"j","type":"json"}
	EOF
	both "$W/all.parquet" "$W/want" --schema
}

@test "parquet-rows: decimals of every physical width, scale 0, and timestamp units" {
	# DuckDB stores DECIMAL(4,1) in INT32, (18,2) in INT64, (38,s) in a
	# 16-byte FIXED_LEN_BYTE_ARRAY; TIMESTAMP_MS and _NS keep their unit.
	copy "$W/d.parquet" "SELECT * FROM (VALUES
		((-1.5)::DECIMAL(4,1), 0.5::DECIMAL(38,0), '-99999999999999999999999999999999999999'::DECIMAL(38,0),
		 7::DECIMAL(9,0), (-0.05)::DECIMAL(18,2), TIMESTAMP_MS '2026-01-01 00:00:00.123',
		 TIMESTAMP_NS '1969-12-31 23:59:59.999999999'),
		(999.9::DECIMAL(4,1), NULL, '99999999999999999999999999999999999999'::DECIMAL(38,0),
		 -7::DECIMAL(9,0), NULL, NULL, TIMESTAMP_NS '2026-01-01 00:00:00.000000001')
		) t(q, z, zmax, n9, c, ms, ns)"
	cat >"$W/want" <<-'EOF'
	{"q":-1.5,"z":1,"zmax":-99999999999999999999999999999999999999,"n9":7,"c":-0.05,"ms":"2026-01-01T00:00:00.123000Z","ns":"1969-12-31T23:59:59.999999999Z"}
	{"q":999.9,"z":null,"zmax":99999999999999999999999999999999999999,"n9":-7,"c":null,"ms":null,"ns":"2026-01-01T00:00:00.000000001Z"}
	EOF
	both "$W/d.parquet" "$W/want"
	cat >"$W/want" <<-'EOF'
	{"name":"q","type":"decimal(4,1)"}
	{"name":"z","type":"decimal(38,0)"}
	{"name":"zmax","type":"decimal(38,0)"}
	{"name":"n9","type":"decimal(9,0)"}
	{"name":"c","type":"decimal(18,2)"}
	{"name":"ms","type":"timestamp(ms)"}
	{"name":"ns","type":"timestamp(ns)"}
	EOF
	both "$W/d.parquet" "$W/want" --schema
}

@test "parquet-rows: several row groups, dictionary pages, every codec: all rows in order" {
	# 10000 rows in row groups of 2048 (DuckDB's smallest), a repetitive
	# string column DuckDB dictionary-encodes, a null every 11th row.
	awk 'BEGIN {
		for (i = 0; i < 10000; i++) {
			p = i * 125
			printf "{\"id\":%d,\"s\":\"cat%d\",\"p\":%d.%02d,\"t\":\"2026-01-01T%02d:%02d:%02d.000000Z\",\"n\":%s}\n",
			    i, i % 7, int(p / 100), p % 100, int(i / 3600), int(i / 60) % 60, i % 60,
			    i % 11 ? i * -3 : "null"
		}
	}' >"$W/want"
	local c
	for c in zstd snappy gzip uncompressed; do
		copy "$W/$c.parquet" "SELECT i::BIGINT AS id, 'cat' || (i % 7) AS s,
			(i * 1.25)::DECIMAL(18,2) AS p,
			TIMESTAMPTZ '2026-01-01 00:00:00+00' + i * INTERVAL 1 second AS t,
			CASE WHEN i % 11 <> 0 THEN i * -3 END::BIGINT AS n
			FROM range(10000) r(i) ORDER BY i" "COMPRESSION $c, ROW_GROUP_SIZE 2048"
		groups=$("$DUCK" "SELECT count(DISTINCT row_group_id) AS n FROM parquet_metadata('$W/$c.parquet')")
		[ "$groups" = '{"n":5}' ]
		both "$W/$c.parquet" "$W/want"
	done
}

@test "parquet-rows: several files, the rows of each in turn; a Hive path adds no column" {
	mkdir -p "$W/k=v/d=2026-01-01"
	copy "$W/k=v/d=2026-01-01/a.parquet" "SELECT 1::BIGINT AS x, 'a' AS y"
	copy "$W/b.parquet" "SELECT 'b' AS y, NULL::BIGINT AS x UNION ALL SELECT 'c', 3"
	printf '%s\n' '{"x":1,"y":"a"}' '{"y":"b","x":null}' '{"y":"c","x":3}' >"$W/want"
	for r in duckdb strict; do
		run --separate-stderr "$PR" --reader "$r" "$W/k=v/d=2026-01-01/a.parquet" "$W/b.parquet"
		assert_success
		diff_expected "$W/want"
	done
}

@test "parquet-rows: an all-null column and an empty file" {
	copy "$W/n.parquet" "SELECT NULL::VARCHAR AS s, NULL::BIGINT AS i FROM range(3)"
	printf '%s\n' '{"s":null,"i":null}' '{"s":null,"i":null}' '{"s":null,"i":null}' >"$W/want"
	both "$W/n.parquet" "$W/want"
	copy "$W/e.parquet" "SELECT 1::BIGINT AS i, 'x' AS s WHERE false"
	for r in duckdb strict; do
		run --separate-stderr "$PR" --reader "$r" "$W/e.parquet"
		assert_success
		assert_output ''
	done
	printf '%s\n' '{"name":"i","type":"int64"}' '{"name":"s","type":"string"}' >"$W/want"
	both "$W/e.parquet" "$W/want" --schema
}

@test "parquet-rows: a 100000-row file reads the same in both readers" {
	copy "$W/big.parquet" "SELECT i::BIGINT AS sale_id, (i * 7919 % 2000)::BIGINT AS product_id,
		(i % 997 * 1.01)::DECIMAL(18,2) AS total_price,
		['paid', 'shipped', 'refunded', 'cancelled'][i % 4 + 1] AS status,
		TIMESTAMPTZ '2026-11-22 00:00:00+00' + i * INTERVAL 61 millisecond AS sale_ts,
		i / 3.0 AS ratio FROM range(100000) r(i)"
	"$PR" --reader duckdb "$W/big.parquet" >"$W/duck"
	"$PR" --reader strict "$W/big.parquet" >"$W/strict"
	[ "$(wc -l <"$W/duck")" -eq 100000 ]
	cmp "$W/duck" "$W/strict"
	run sed -n '99999,100000p' "$W/duck"
	assert_output - <<-'EOF'
	{"sale_id":99998,"product_id":162,"total_price":300.98,"status":"refunded","sale_ts":"2026-11-22T01:41:39.878000Z","ratio":33332.666666666664}
	{"sale_id":99999,"product_id":81,"total_price":301.99,"status":"cancelled","sale_ts":"2026-11-22T01:41:39.939000Z","ratio":33333}
	EOF
}

@test "parquet-rows: files the readers reject: exit 1 with the reader's error" {
	copy "$W/ok.parquet" "SELECT i::BIGINT AS i FROM range(5000) r(i)"
	echo 'not parquet' >"$W/text.parquet"
	refused "$W/text.parquet" 'text\.parquet: .*(small|magic|Parquet)'
	head -c 2000 "$W/ok.parquet" >"$W/trunc.parquet"
	refused "$W/trunc.parquet" 'trunc\.parquet: .*(magic|footer|Corrupt)'
	# a footer length far past the start of the file
	python3 -c 'import sys; b = bytearray(open(sys.argv[1], "rb").read())
b[-8:-4] = (0x7fffff00).to_bytes(4, "little"); open(sys.argv[2], "wb").write(b)' \
		"$W/ok.parquet" "$W/badlen.parquet"
	refused "$W/badlen.parquet" 'badlen\.parquet: .*([Ff]ooter|small)'
	refused "$W/missing.parquet" 'no such file'
}

@test "parquet-rows: a type it cannot print exactly is refused, not guessed" {
	copy "$W/f.parquet" "SELECT 1.5::FLOAT AS f"
	refused "$W/f.parquet" 'column "f": unsupported type other:'
	copy "$W/l.parquet" "SELECT [1, 2] AS l"
	refused "$W/l.parquet" 'column "l": unsupported type other:'
	copy "$W/b.parquet" "SELECT 'ab'::BLOB AS b"
	refused "$W/b.parquet" 'column "b": unsupported type other:'
}

@test "parquet-rows: usage errors exit 2" {
	run --separate-stderr "$PR"
	assert_failure 2
	run --separate-stderr "$PR" --reader arrow x.parquet
	assert_failure 2
	[[ $stderr == *'duckdb or strict'* ]]
	run --separate-stderr "$PR" --bogus x.parquet
	assert_failure 2
}

# arrow_write FILE: a file written by arrow-rs (parquet-wasm's writer) from
# an Arrow table: dictionary strings, int64 extremes, UTC timestamps in
# microseconds and nanoseconds, days, booleans, doubles.
arrow_write() {
	node -e '
	const r = require("module").createRequire(process.argv[1] + "/tests/node/package.json");
	const pw = r("parquet-wasm"), A = r("apache-arrow");
	const ts = (unit, a) => A.makeVector({ type: new A.Timestamp(unit, "UTC"), data: new BigInt64Array(a) });
	const t = new A.Table({
		s: A.vectorFromArray(["x", "ÿ\"", null], new A.Dictionary(new A.Utf8(), new A.Int32())),
		i: A.vectorFromArray([-(2n ** 63n), 2n ** 63n - 1n, null], new A.Int64()),
		us: ts(A.TimeUnit.MICROSECOND, [1767225600123456n, -1n, 0n]),
		ns: ts(A.TimeUnit.NANOSECOND, [1767225600123456789n, -1n, 0n]),
		d: A.makeVector({ type: new A.DateDay(), data: new Int32Array([0, -1, 2932896]) }),
		b: A.vectorFromArray([true, null, false], new A.Bool()),
		f: A.vectorFromArray([0.1, -1e-7, null], new A.Float64()),
	});
	require("fs").writeFileSync(process.argv[2],
		pw.writeParquet(pw.Table.fromIPCStream(A.tableToIPC(t, "stream"))));
	' "$REPO_ROOT" "$1"
}

@test "parquet-rows: a file arrow-rs writes; DuckDB refuses the nanoseconds it would cut" {
	arrow_write "$W/a.parquet"
	run --separate-stderr "$PR" --reader strict "$W/a.parquet"
	assert_success
	assert_output - <<-'EOF'
	{"s":"x","i":-9223372036854775808,"us":"2026-01-01T00:00:00.123456Z","ns":"2026-01-01T00:00:00.123456789Z","d":"1970-01-01","b":true,"f":0.1}
	{"s":"ÿ\"","i":9223372036854775807,"us":"1969-12-31T23:59:59.999999Z","ns":"1969-12-31T23:59:59.999999999Z","d":"1969-12-31","b":null,"f":-1e-7}
	{"s":null,"i":null,"us":"1970-01-01T00:00:00.000000Z","ns":"1970-01-01T00:00:00.000000000Z","d":"9999-12-31","b":false,"f":null}
	EOF
	run --separate-stderr "$PR" --reader duckdb "$W/a.parquet"
	assert_failure 1
	[[ $stderr == *'column "ns": DuckDB reads timestamp_utc(ns) as TIMESTAMP WITH TIME ZONE, losing nanoseconds'* ]]
	printf '%s\n' '{"name":"s","type":"string"}' '{"name":"i","type":"int64"}' \
		'{"name":"us","type":"timestamp_utc"}' '{"name":"ns","type":"timestamp_utc(ns)"}' \
		'{"name":"d","type":"date"}' '{"name":"b","type":"boolean"}' '{"name":"f","type":"double"}' >"$W/want"
	both "$W/a.parquet" "$W/want" --schema
}
