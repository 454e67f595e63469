#!/usr/bin/env bats
# to-parquet-csv: the values of the files it writes, judged by readers that
# are not ours. Every Parquet file is read back by DuckDB and by arrow-rs
# (parquet-wasm) through tests/helpers/parquet-rows, which must agree with
# each other and with the expected canonical NDJSON written here by hand
# from the inference rules: INT64, DECIMAL(18|38,s), DOUBLE, BOOLEAN,
# TIMESTAMP (UTC, microseconds), DATE, STRING, JSON. Then codecs, row
# groups and pages, dictionary and plain chunks, statistics and the footer,
# schema widening across files, and CSV read back by DuckDB. Lake
# behaviour (partitions, rolling, commit) is in to-parquet-csv.bats.

load helpers/common

setup() {
	T=$BATS_TEST_TMPDIR
	ROWS=$REPO_ROOT/tests/helpers/parquet-rows
	DUCK=$REPO_ROOT/scripts/duckdb-query
}

# rows FILE...: the rows of Parquet files as canonical NDJSON in $output,
# read by DuckDB and by arrow-rs, which must give the same text.
rows() {
	local duck
	run -0 "$ROWS" --reader duckdb "$@"
	duck=$output
	run -0 "$ROWS" --reader strict "$@"
	assert_equal "$output" "$duck"
}

# types FILE: "name type" per column, as both readers see the schema.
types() {
	local duck
	run -0 "$ROWS" --reader duckdb --schema "$1"
	duck=$output
	run -0 "$ROWS" --reader strict --schema "$1"
	assert_equal "$output" "$duck"
	output=$(printf '%s\n' "$output" | jq -r '"\(.name) \(.type)"')
}

# strict_types FILE, strict_rows FILE: types and rows as arrow-rs alone
# reads them, for DECIMAL beyond 38 digits, which DuckDB reads as DOUBLE.
strict_types() {
	run -0 "$ROWS" --reader strict --schema "$1"
	output=$(printf '%s\n' "$output" | jq -r '"\(.name) \(.type)"')
}
strict_rows() {
	run -0 "$ROWS" --reader strict "$1"
}

# write FILE [OPTION...]: to-parquet-csv -o FILE from $T/in.ndjson.
write() {
	local f=$1
	shift
	run -0 --separate-stderr to-parquet-csv "$@" -o "$f" "$T/in.ndjson"
	assert_equal "$stderr" ""
}

# sql QUERY: DuckDB's rows as NDJSON in $output.
sql() {
	run -0 "$DUCK" "$1"
}

# pages FILE COLUMN: the page types of the first column chunk of COLUMN,
# walked from the file's bytes (page headers are Thrift compact structs):
# "D" a dictionary page, "P" a data page.
pages() {
	local off len
	sql "SELECT coalesce(dictionary_page_offset, data_page_offset) AS o,
		total_compressed_size AS n FROM parquet_metadata('$1')
		WHERE path_in_schema = '$2' AND row_group_id = 0"
	off=$(jq -r .o <<<"$output")
	len=$(jq -r .n <<<"$output")
	run -0 python3 - "$1" "$off" "$len" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
pos, end = int(sys.argv[2]), int(sys.argv[2]) + int(sys.argv[3])

def varint():
    global pos
    r = s = 0
    while True:
        b = data[pos]; pos += 1
        r |= (b & 0x7f) << s; s += 7
        if b < 0x80:
            return r

def zz(u):
    return (u >> 1) ^ -(u & 1)

def struct():
    fields, fid = {}, 0
    while True:
        h = data[pos]
        globals()['pos'] = pos + 1
        if h == 0:
            return fields
        fid = fid + (h >> 4) if h >> 4 else zz(varint())
        t = h & 15
        if t in (1, 2):
            fields[fid] = t == 1
        elif t in (4, 5, 6):
            fields[fid] = zz(varint())
        elif t == 12:
            fields[fid] = struct()
        else:
            raise SystemExit('unexpected thrift type %d' % t)

out = []
while pos < end:
    h = struct()
    out.append('D' if h[1] == 2 else 'P' if h[1] == 0 else '?')
    pos += h[3]
if pos != end:
    raise SystemExit('pages overrun the chunk')
print(''.join(out))
EOF
}

@test "integers: the int64 extremes exactly; beyond int64 DECIMAL(38,0)" {
	cat >"$T/in.ndjson" <<'EOF'
{"i":-9223372036854775808,"b":9223372036854775808}
{"i":9223372036854775807,"b":-99999999999999999999999999999999999999}
{"i":0,"b":0}
{"i":-1,"b":null}
EOF
	write "$T/x.parquet"
	types "$T/x.parquet"
	assert_output 'i int64
b decimal(38,0)'
	rows "$T/x.parquet"
	assert_output '{"i":-9223372036854775808,"b":9223372036854775808}
{"i":9223372036854775807,"b":-99999999999999999999999999999999999999}
{"i":0,"b":0}
{"i":-1,"b":null}'
}

@test "decimals: the scale widens within the row group; 18 or 38 digits; negative and zero" {
	cat >"$T/in.ndjson" <<'EOF'
{"d":1.5,"w":1234567890123456789.0123456789012345678,"t":-0.00000000000000000000000000000000000001,"n":5}
{"d":-2.25,"w":-0.5,"t":0.1,"n":-0.000}
{"d":3,"w":7,"t":null,"n":123456789012345.678}
{"d":0.00,"w":null,"t":0,"n":null}
{"d":-0.05}
{"d":null}
EOF
	write "$T/x.parquet"
	types "$T/x.parquet"
	assert_output 'd decimal(18,2)
w decimal(38,19)
t decimal(38,38)
n decimal(18,3)'
	rows "$T/x.parquet"
	assert_output '{"d":1.50,"w":1234567890123456789.0123456789012345678,"t":-0.00000000000000000000000000000000000001,"n":5.000}
{"d":-2.25,"w":-0.5000000000000000000,"t":0.10000000000000000000000000000000000000,"n":0.000}
{"d":3.00,"w":7.0000000000000000000,"t":null,"n":123456789012345.678}
{"d":0.00,"w":null,"t":0.00000000000000000000000000000000000000,"n":null}
{"d":-0.05,"w":null,"t":null,"n":null}
{"d":null,"w":null,"t":null,"n":null}'
}

@test "doubles: exponents; integers and decimals that convert exactly; the rest DECIMAL, or numbers as STRING" {
	cat >"$T/in.ndjson" <<'EOF'
{"x":1e3,"y":1e3,"z":2.5,"p":1e0,"q":1e0,"o":1e400}
{"x":-2.5E-3,"y":9007199254740993,"z":1E0,"p":0.30000000000000004,"q":0.12345678901234567890,"o":2}
{"x":1.7976931348623157e308,"y":null,"z":7,"p":-9007199254740992}
{"x":5e-324,"z":0.1}
{"x":1.5e-7}
{"x":-0e0}
EOF
	write "$T/x.parquet"
	types "$T/x.parquet"
	assert_output 'x double
y decimal(18,0)
z double
p double
q decimal(38,20)
o string'
	rows "$T/x.parquet"
	assert_output '{"x":1000,"y":1000,"z":2.5,"p":1,"q":1.00000000000000000000,"o":"1e400"}
{"x":-0.0025,"y":9007199254740993,"z":1,"p":0.30000000000000004,"q":0.12345678901234567890,"o":"2"}
{"x":1.7976931348623157e+308,"y":null,"z":7,"p":-9007199254740992,"q":null,"o":null}
{"x":5e-324,"y":null,"z":0.1,"p":null,"q":null,"o":null}
{"x":1.5e-7,"y":null,"z":null,"p":null,"q":null,"o":null}
{"x":0,"y":null,"z":null,"p":null,"q":null,"o":null}'
	# the sign of a negative zero is kept
	sql "SELECT x::VARCHAR AS x FROM read_parquet('$T/x.parquet') WHERE x = 0"
	assert_output '{"x":"-0.0"}'
}

# flba FILE COLUMN: the values of COLUMN (a FIXED_LEN_BYTE_ARRAY DECIMAL)
# decoded from the file's own bytes, not by a reader: the first data page
# (PLAIN, uncompressed: --compression none) as big-endian two's complement
# at the column's scale, null for a null, then "min MIN max MAX" from the
# chunk's statistics; and the type length first.
flba() {
	run -0 python3 - "$1" "$2" <<'EOF'
import sys
data = open(sys.argv[1], 'rb').read()
pos = len(data) - 8 - int.from_bytes(data[-8:-4], 'little')

def varint():
    global pos
    r = s = 0
    while True:
        b = data[pos]; pos += 1
        r |= (b & 0x7f) << s; s += 7
        if b < 0x80:
            return r

def zz(u):
    return (u >> 1) ^ -(u & 1)

def value(t):
    global pos
    if t in (1, 2):
        return t == 1
    if t in (4, 5, 6):
        return zz(varint())
    if t == 8:
        n = varint(); pos += n
        return data[pos - n:pos]
    if t == 9:
        h = data[pos]; pos += 1
        n = h >> 4 if h >> 4 != 15 else varint()
        return [value(h & 15) for _ in range(n)]
    if t == 12:
        return struct()
    raise SystemExit('unexpected thrift type %d' % t)

def struct():
    global pos
    f, fid = {}, 0
    while True:
        h = data[pos]; pos += 1
        if h == 0:
            return f
        fid = fid + (h >> 4) if h >> 4 else zz(varint())
        f[fid] = value(h & 15)

def text(b, scale):
    x = int.from_bytes(b, 'big', signed=True)
    d = str(abs(x)).rjust(scale + 1, '0')
    return ('-' if x < 0 else '') + (d[:-scale] + '.' + d[-scale:] if scale else d)

meta = struct()
names = [el[4].decode() for el in meta[2][1:]]
ci = names.index(sys.argv[2])
el = meta[2][1 + ci]
width, scale = el[2], el.get(7, 0)
md = meta[4][0][1][ci][3]
pos = md[9]
page = struct()
body = data[pos:pos + page[3]]
n = page[5][1]
# definition levels: u32 length, then RLE/bit-packed runs of width 1
dl = int.from_bytes(body[:4], 'little')
lv, p, levels = body[4:4 + dl], 0, []
while len(levels) < n:
    h = s = 0
    while True:
        b = lv[p]; p += 1; h |= (b & 0x7f) << s; s += 7
        if b < 0x80:
            break
    if h & 1:
        for _ in range(h >> 1):
            levels += [(lv[p] >> k) & 1 for k in range(8)]; p += 1
    else:
        levels += [lv[p]] * (h >> 1); p += 1
vals, i, out = body[4 + dl:], 0, ['len %d' % width]
for l in levels[:n]:
    if l:
        out.append(text(vals[i * width:(i + 1) * width], scale)); i += 1
    else:
        out.append('null')
st = md[12]
out.append('min %s max %s' % (text(st[6], scale), text(st[5], scale)))
print('\n'.join(out))
EOF
}

@test "beyond 38 digits: DECIMAL(76,s) in 32 bytes, exact to arrow-rs and in the bytes" {
	nines=$(printf '9%.0s' {1..76})
	cat >"$T/in.ndjson" <<EOF
{"w":1234567890123456789012345678901234567890,"d":-1.5,"m":$nines,"e":1.5000000000000000000001e50}
{"w":-99999999999999999999999999999999999999999999999999999999999999999999999999,"d":12345678901234567890123456789012345.67,"m":-$nines,"e":2}
{"w":0,"d":0.0000000000000000000000000000000000001,"m":null,"e":-3.25}
{"w":null,"d":0,"m":1}
EOF
	write "$T/x.parquet" --compression none
	strict_types "$T/x.parquet"
	assert_output 'w decimal(76,0)
d decimal(76,37)
m decimal(76,0)
e decimal(76,2)'
	strict_rows "$T/x.parquet"
	assert_output "{\"w\":1234567890123456789012345678901234567890,\"d\":-1.5000000000000000000000000000000000000,\"m\":$nines,\"e\":150000000000000000000010000000000000000000000000000.00}
{\"w\":-99999999999999999999999999999999999999999999999999999999999999999999999999,\"d\":12345678901234567890123456789012345.6700000000000000000000000000000000000,\"m\":-$nines,\"e\":2.00}
{\"w\":0,\"d\":0.0000000000000000000000000000000000001,\"m\":null,\"e\":-3.25}
{\"w\":null,\"d\":0.0000000000000000000000000000000000000,\"m\":1,\"e\":null}"
	# the bytes themselves, and the statistics, by signed value
	flba "$T/x.parquet" m
	assert_output "len 32
$nines
-$nines
null
1
min -$nines max $nines"
	flba "$T/x.parquet" w
	assert_output 'len 32
1234567890123456789012345678901234567890
-99999999999999999999999999999999999999999999999999999999999999999999999999
0
null
min -99999999999999999999999999999999999999999999999999999999999999999999999999 max 1234567890123456789012345678901234567890'
	sql "SELECT name, type, type_length AS len, precision, scale FROM parquet_schema('$T/x.parquet') WHERE name = 'd'"
	assert_output '{"name":"d","type":"FIXED_LEN_BYTE_ARRAY","len":"32","precision":76,"scale":37}'
	# DuckDB (1.5) has no DECIMAL beyond 38 digits: it reads one as DOUBLE
	sql "SELECT typeof(w) AS t FROM read_parquet('$T/x.parquet') LIMIT 1"
	assert_output '{"t":"DOUBLE"}'
}

@test "numbers that neither DECIMAL(76) nor DOUBLE holds: a STRING of each number's text" {
	cat >"$T/in.ndjson" <<'EOF'
{"s":1e400,"t":1,"u":1.00000000000000000001e-100,"v":1e-100}
{"s":-2,"t":12345678901234567890123456789012345678901234567890123456789012345678901234567,"u":0.5,"v":2}
{"s":null,"t":-0.000000000000000000000000000000000000000000000000000000000000000000000000001,"u":null}
EOF
	write "$T/x.parquet"
	types "$T/x.parquet"
	assert_output 's string
t string
u string
v double'
	rows "$T/x.parquet"
	assert_output '{"s":"1e400","t":"1","u":"1.00000000000000000001e-100","v":1e-100}
{"s":"-2","t":"12345678901234567890123456789012345678901234567890123456789012345678901234567","u":"0.5","v":2}
{"s":null,"t":"-0.000000000000000000000000000000000000000000000000000000000000000000000000001","u":null,"v":null}'
	# a later number too wide for the DECIMAL of the first row group: the
	# next file's column is the STRING of numbers
	cat >"$T/in.ndjson" <<'EOF'
{"a":1.5}
{"a":1234567890123456789012345678901234567890.5}
{"a":1e400}
EOF
	run -0 --separate-stderr to-parquet-csv -q --row-group-rows 1 -o "$T/w.parquet" "$T/in.ndjson"
	types "$T/w.parquet"
	assert_output 'a decimal(18,1)'
	strict_types "$T/w-1.parquet"
	assert_output 'a decimal(76,1)'
	strict_rows "$T/w-1.parquet"
	assert_output '{"a":1234567890123456789012345678901234567890.5}'
	types "$T/w-2.parquet"
	assert_output 'a string'
	rows "$T/w-2.parquet"
	assert_output '{"a":"1e400"}'
	# CSV writes every number as written
	write "$T/x.csv" -f csv
	run cat "$T/x.csv"
	assert_output 'a
1.5
1234567890123456789012345678901234567890.5
1e400'
}

@test "--schema decimal(P,S) up to 76: the fewest bytes that hold P up to 38, then 32" {
	cat >"$T/in.ndjson" <<'EOF'
{"a":123456789012345678.12,"b":-1.5,"c":1234567890123456789012345678901234567890123456.1234}
{"a":-99999999999999999999.99,"b":0,"c":-1}
EOF
	write "$T/x.parquet" --compression none --schema 'a:decimal(22,2),b:decimal(20,2),c:decimal(50,4)'
	strict_rows "$T/x.parquet"
	assert_output '{"a":123456789012345678.12,"b":-1.50,"c":1234567890123456789012345678901234567890123456.1234}
{"a":-99999999999999999999.99,"b":0.00,"c":-1.0000}'
	flba "$T/x.parquet" a
	assert_output 'len 10
123456789012345678.12
-99999999999999999999.99
min -99999999999999999999.99 max 123456789012345678.12'
	flba "$T/x.parquet" b
	assert_line -n 0 'len 9'
	flba "$T/x.parquet" c
	assert_output 'len 32
1234567890123456789012345678901234567890123456.1234
-1.0000
min -1.0000 max 1234567890123456789012345678901234567890123456.1234'
	# DuckDB reads the 32 bytes as a double: near, never another number
	run -0 "$DUCK" "SELECT round(c / 1e45, 6) AS c FROM '$T/x.parquet'"
	assert_output '{"c":1.234568}
{"c":0}'
	# a value that needs more digits than declared is a bad line
	run -0 --separate-stderr to-parquet-csv --on-error skip --schema 'c:decimal(40,0)' \
	    -o "$T/y.parquet" <<<'{"c":12345678901234567890123456789012345678901}'
	assert_equal "$stderr" 'to-parquet-csv: warning: stdin:1: field "c": not a decimal(40,0): 1234567890123456789012345678901234567... (line skipped)
to-parquet-csv: warning: skipped 1 bad line'
	run -2 --separate-stderr to-parquet-csv --schema 'c:decimal(77,0)' -o "$T/z.parquet" </dev/null
	assert_equal "${stderr%%$'\n'*}" 'to-parquet-csv: invalid value "c:decimal(77,0)" for option --schema: bad column in --schema: "c:decimal(77"'
}

@test "strings: unicode, quotes, backslashes, control characters, NUL, empty" {
	cat >"$T/in.ndjson" <<'EOF'
{"s":"héllo ☃ 😀"}
{"s":"quote \" backslash \\ slash \/"}
{"s":"tab\tnew\nline\r cr \u001f"}
{"s":"\u00e9\ud83d\ude00"}
{"s":"nul \u0000 byte"}
{"s":""}
{"s":"a,b;c'd"}
{"s":"2026-11-22"}
EOF
	write "$T/x.parquet"
	types "$T/x.parquet"
	assert_output 's string'
	rows "$T/x.parquet"
	assert_output '{"s":"héllo ☃ 😀"}
{"s":"quote \" backslash \\ slash /"}
{"s":"tab\tnew\nline\r cr \u001f"}
{"s":"é😀"}
{"s":"nul \u0000 byte"}
{"s":""}
{"s":"a,b;c'"'"'d"}
{"s":"2026-11-22"}'
}

@test "timestamps: offsets, the space form, fraction digits, no zone is UTC; dates" {
	cat >"$T/in.ndjson" <<'EOF'
{"t":"2026-11-22T10:00:01Z","d":"2026-11-22","u":"2026-11-22T10:00:00Z","v":"2026-11-22T10:00:00Z"}
{"t":"2026-11-22 10:00:01.25+01:00","d":"2000-02-29","u":"2026-11-22T10:00:00.1234567Z","v":"2026-11-22"}
{"t":"2026-11-22T23:30:00-02:30","d":"0001-01-01"}
{"t":"2026-11-22t10:00:00.123456000z","d":"9999-12-31"}
{"t":"2026-11-22T10:00","d":null}
{"t":"2026-11-22 10:00:01.5+0530"}
{"t":"2026-11-22T10:00:01.000001+00"}
{"t":"1969-12-31T23:59:59.999999Z"}
{"t":"2016-12-31T23:59:60Z","u":"2026-11-22T10:00:00.120000000Z","v":"2016-12-31T23:59:60Z"}
EOF
	write "$T/x.parquet"
	types "$T/x.parquet"
	assert_output 't timestamp_utc
d date
u string
v string'
	rows "$T/x.parquet"
	assert_output '{"t":"2026-11-22T10:00:01.000000Z","d":"2026-11-22","u":"2026-11-22T10:00:00Z","v":"2026-11-22T10:00:00Z"}
{"t":"2026-11-22T09:00:01.250000Z","d":"2000-02-29","u":"2026-11-22T10:00:00.1234567Z","v":"2026-11-22"}
{"t":"2026-11-23T02:00:00.000000Z","d":"0001-01-01","u":null,"v":null}
{"t":"2026-11-22T10:00:00.123456Z","d":"9999-12-31","u":null,"v":null}
{"t":"2026-11-22T10:00:00.000000Z","d":null,"u":null,"v":null}
{"t":"2026-11-22T04:30:01.500000Z","d":null,"u":null,"v":null}
{"t":"2026-11-22T10:00:01.000001Z","d":null,"u":null,"v":null}
{"t":"1969-12-31T23:59:59.999999Z","d":null,"u":null,"v":null}
{"t":"2017-01-01T00:00:00.000000Z","d":null,"u":"2026-11-22T10:00:00.120000000Z","v":"2016-12-31T23:59:60Z"}'
}

@test "times outside years 0001-9999 and infinities: TIMESTAMP and DATE as DuckDB stores them" {
	# Expanded years, PostgreSQL's BC text, the ends of the finite range,
	# and the infinities, which DuckDB keeps as the largest value and its
	# negation: its own infinity, as its comparisons show. An infinity
	# goes with timestamps or with dates; alone it is a string.
	cat >"$T/in.ndjson" <<'EOF'
{"id":1,"t":"2026-11-22T10:00:01.250Z","d":"2026-11-22","i":"infinity"}
{"id":2,"t":"infinity","d":"infinity","i":"-infinity"}
{"id":3,"t":"-infinity","d":"-infinity"}
{"id":4,"t":"+10000-01-01T00:00:00.000Z","d":"+10000-01-01"}
{"id":5,"t":"-0044-03-15T12:00:00.000Z","d":"-0044-03-15"}
{"id":6,"t":"0045-03-15 12:00:00.000001+00 BC","d":"0045-03-15 BC"}
{"id":7,"t":"0000-01-01T00:00:00Z","d":"0000-01-01"}
{"id":8,"t":"+294247-01-10T04:00:54.775806Z","d":"+5874897-12-31"}
{"id":9,"t":"-290308-12-22T00:00:00.000Z","d":"-4713-11-24"}
EOF
	write "$T/x.parquet"
	types "$T/x.parquet"
	assert_output 'id int64
t timestamp_utc
d date
i string'
	rows "$T/x.parquet"
	assert_output '{"id":1,"t":"2026-11-22T10:00:01.250000Z","d":"2026-11-22","i":"infinity"}
{"id":2,"t":"infinity","d":"infinity","i":"-infinity"}
{"id":3,"t":"-infinity","d":"-infinity","i":null}
{"id":4,"t":"+10000-01-01T00:00:00.000000Z","d":"+10000-01-01","i":null}
{"id":5,"t":"-0044-03-15T12:00:00.000000Z","d":"-0044-03-15","i":null}
{"id":6,"t":"-0044-03-15T12:00:00.000001Z","d":"-0044-03-15","i":null}
{"id":7,"t":"0000-01-01T00:00:00.000000Z","d":"0000-01-01","i":null}
{"id":8,"t":"+294247-01-10T04:00:54.775806Z","d":"+5874897-12-31","i":null}
{"id":9,"t":"-290308-12-22T00:00:00.000000Z","d":"-4713-11-24","i":null}'
	sql "SELECT id, isinf(t) AS ti, t > TIMESTAMPTZ '294247-01-10 04:00:54.775806+00' AS tmax,
		isinf(d) AS di, d = DATE '-infinity' AS dneg,
		date_part('year', d) AS y FROM read_parquet('$T/x.parquet') ORDER BY id"
	assert_output '{"id":1,"ti":false,"tmax":false,"di":false,"dneg":false,"y":2026}
{"id":2,"ti":true,"tmax":true,"di":true,"dneg":false,"y":null}
{"id":3,"ti":true,"tmax":false,"di":true,"dneg":true,"y":null}
{"id":4,"ti":false,"tmax":false,"di":false,"dneg":false,"y":10000}
{"id":5,"ti":false,"tmax":false,"di":false,"dneg":false,"y":-44}
{"id":6,"ti":false,"tmax":false,"di":false,"dneg":false,"y":-44}
{"id":7,"ti":false,"tmax":false,"di":false,"dneg":false,"y":0}
{"id":8,"ti":false,"tmax":false,"di":false,"dneg":false,"y":5874897}
{"id":9,"ti":false,"tmax":false,"di":false,"dneg":false,"y":-4713}'
	# statistics hold them too
	sql "SELECT path_in_schema AS c, stats_min_value AS lo, stats_max_value AS hi FROM parquet_metadata('$T/x.parquet')
		WHERE path_in_schema IN ('t', 'd') ORDER BY 1"
	assert_output '{"c":"d","lo":"-infinity","hi":"infinity"}
{"c":"t","lo":"-infinity","hi":"infinity"}'
	# declared, the same; a time past what the column holds is a bad line
	cat >>"$T/in.ndjson" <<'EOF'
{"id":10,"t":"+300000-01-01T00:00:00Z","d":"2026-11-22"}
{"id":11,"t":"2026-11-22","d":"+9000000-01-01"}
{"id":12,"t":"+294247-01-11","d":"2026-11-22"}
EOF
	run -0 --separate-stderr to-parquet-csv --on-error skip --schema 't:timestamp,d:date,i:string' \
		-o "$T/y.parquet" "$T/in.ndjson"
	assert_equal "$stderr" "to-parquet-csv: warning: $T/in.ndjson:10: field \"t\": timestamp out of range: \"+300000-01-01T00:00:00Z\" (line skipped)
to-parquet-csv: warning: $T/in.ndjson:11: field \"d\": date out of range: \"+9000000-01-01\" (line skipped)
to-parquet-csv: warning: $T/in.ndjson:12: field \"t\": timestamp out of range: \"+294247-01-11\" (line skipped)
to-parquet-csv: warning: skipped 3 bad lines"
	rows "$T/y.parquet"
	run jq -c '[.id, .t, .d]' <<<"$output"
	assert_line -n 1 '[2,"infinity","infinity"]'
	assert_line -n 5 '[6,"-0044-03-15T12:00:00.000001Z","-0044-03-15"]'
	# inferred, a time no TIMESTAMP holds keeps the column a string
	printf '%s\n' '{"t":"2026-01-01T00:00:00Z","d":"2026-01-01"}' \
		'{"t":"+300000-01-01T00:00:00Z","d":"+9000000-01-01"}' >"$T/in.ndjson"
	write "$T/z.parquet"
	types "$T/z.parquet"
	assert_output 't string
d string'
	# CSV keeps each value's text; a watermark of infinity is no row
	run -0 --separate-stderr to-parquet-csv -f csv -o - <<'EOF'
{"t":"-infinity","d":"+10000-01-01"}
{"__watermark":"infinity"}
EOF
	assert_output 't,d
-infinity,+10000-01-01'
	assert_equal "$stderr" ''
}

@test "objects, arrays and mixed kinds are JSON: each value's own text" {
	cat >"$T/in.ndjson" <<'EOF'
{"o":{"a":[1,{"b":null}],"c":"é\u00e9"},"m":5}
{"o":[],"m":"5"}
{"o":{},"m":true}
{"o":[1,"two",3.0,-0.0],"m":null}
{"o":null,"m":{"k":[]}}
{"m":[1]}
{"m":-0}
{"m":"2026-11-22T10:00:00Z"}
{"m":1.50}
{"m":"2026-11-22"}
{"m":-0.05}
{"m":-12}
{"m":"2026-11-22T10:00:00.120000000Z"}
EOF
	write "$T/x.parquet"
	types "$T/x.parquet"
	assert_output 'o json
m json'
	rows "$T/x.parquet"
	assert_output '{"o":{"a":[1,{"b":null}],"c":"é\u00e9"},"m":5}
{"o":[],"m":"5"}
{"o":{},"m":true}
{"o":[1,"two",3.0,-0.0],"m":null}
{"o":null,"m":{"k":[]}}
{"o":null,"m":[1]}
{"o":null,"m":-0}
{"o":null,"m":"2026-11-22T10:00:00Z"}
{"o":null,"m":1.50}
{"o":null,"m":"2026-11-22"}
{"o":null,"m":-0.05}
{"o":null,"m":-12}
{"o":null,"m":"2026-11-22T10:00:00.120000000Z"}'
}

@test "booleans and every null pattern: all null, first null, alternating, absent" {
	cat >"$T/in.ndjson" <<'EOF'
{"b":true,"allnull":null,"first":null,"alt":1,"abs":1}
{"b":false,"allnull":null,"first":2,"alt":null}
{"b":null,"allnull":null,"first":3,"alt":3,"abs":3}
{"allnull":null,"first":null,"alt":null}
{"late":"x"}
EOF
	write "$T/x.parquet"
	types "$T/x.parquet"
	assert_output 'b boolean
allnull string
first int64
alt int64
abs int64
late string'
	rows "$T/x.parquet"
	assert_output '{"b":true,"allnull":null,"first":null,"alt":1,"abs":1,"late":null}
{"b":false,"allnull":null,"first":2,"alt":null,"abs":null,"late":null}
{"b":null,"allnull":null,"first":3,"alt":3,"abs":3,"late":null}
{"b":null,"allnull":null,"first":null,"alt":null,"abs":null,"late":null}
{"b":null,"allnull":null,"first":null,"alt":null,"abs":null,"late":"x"}'
}

@test "a repeated member counts once, with its last value" {
	printf '%s\n' '{"a":1,"b":"x","a":2}' '{"b":"y","a":3,"b":null}' >"$T/in.ndjson"
	write "$T/x.parquet"
	rows "$T/x.parquet"
	assert_output '{"a":2,"b":"x"}
{"a":3,"b":null}'
}

@test "every codec: zstd, snappy, gzip and none give the same rows" {
	for i in $(seq 1 50); do
		printf '{"id":%d,"s":"row %d \\"q\\" é","d":%d.%02d,"t":"2026-11-22T10:%02d:00Z","n":%s}\n' \
			"$i" "$i" "$i" "$i" "$i" "$([ $((i % 3)) -eq 0 ] && echo null || echo "$i")"
	done >"$T/in.ndjson"
	for codec in zstd snappy gzip none; do
		write "$T/$codec.parquet" --compression "$codec"
		rows "$T/$codec.parquet"
		printf '%s\n' "$output" >"$T/$codec.rows"
		sql "SELECT DISTINCT compression FROM parquet_metadata('$T/$codec.parquet')"
		case $codec in
		none) assert_output '{"compression":"UNCOMPRESSED"}' ;;
		*) assert_output "{\"compression\":\"${codec^^}\"}" ;;
		esac
	done
	# the rows are the input's, in canonical form
	run -0 jq -c '{id, s, d: (.d | tostring | if test("\\.[0-9]$") then . + "0" else . end),
		t: (.t | sub("Z$"; ".000000Z")), n}' "$T/in.ndjson"
	sed 's/"d":"\([^"]*\)"/"d":\1/' <<<"$output" >"$T/want"
	for codec in zstd snappy gzip none; do
		diff -u "$T/want" "$T/$codec.rows"
	done
	# tiny pages too: a row group of one row, every codec
	printf '%s\n' '{"a":1,"s":"x"}' '{"a":null,"s":"yy"}' >"$T/in.ndjson"
	for codec in zstd snappy gzip none; do
		write "$T/tiny-$codec.parquet" --compression "$codec" --row-group-rows 1
		rows "$T/tiny-$codec.parquet"
		assert_output '{"a":1,"s":"x"}
{"a":null,"s":"yy"}'
	done
	# with the default: zstd
	write "$T/default.parquet"
	sql "SELECT DISTINCT compression FROM parquet_metadata('$T/default.parquet')"
	assert_output '{"compression":"ZSTD"}'
}

@test "several row groups; several pages in a column chunk; nulls across pages" {
	# 3 row groups of 3 and one of 1, every null pattern among them
	cat >"$T/in.ndjson" <<'EOF'
{"a":1,"s":"x"}
{"a":null,"s":"y"}
{"a":3}
{"s":"z"}
{"a":5,"s":null}
{"a":6,"s":"x"}
{"a":null}
{"a":null}
{"a":null}
{"a":10,"s":"w"}
EOF
	write "$T/rg.parquet" --row-group-rows 3
	sql "SELECT num_row_groups AS g, num_rows AS n FROM parquet_file_metadata('$T/rg.parquet')"
	assert_output '{"g":4,"n":10}'
	sql "SELECT row_group_id AS g, row_group_num_rows AS n, stats_null_count AS nulls
		FROM parquet_metadata('$T/rg.parquet') WHERE path_in_schema = 'a' ORDER BY 1"
	assert_output '{"g":0,"n":3,"nulls":1}
{"g":1,"n":3,"nulls":1}
{"g":2,"n":3,"nulls":3}
{"g":3,"n":1,"nulls":0}'
	rows "$T/rg.parquet"
	assert_output '{"a":1,"s":"x"}
{"a":null,"s":"y"}
{"a":3,"s":null}
{"a":null,"s":"z"}
{"a":5,"s":null}
{"a":6,"s":"x"}
{"a":null,"s":null}
{"a":null,"s":null}
{"a":null,"s":null}
{"a":10,"s":"w"}'

	# 300000 rows: about 2.3 MiB of int64 values and 4.9 MiB of strings
	# in one row group, so several data pages of about 1 MiB each
	awk 'BEGIN { for (i = 1; i <= 300000; i++)
		printf "{\"i\":%d,\"s\":\"value %07d\",\"n\":%s,\"c\":\"%s\"}\n", i * 7919,
			i, i % 3 ? i : "null", i % 5 ? "odd" : "fifth" }' >"$T/in.ndjson"
	write "$T/big.parquet"
	pages "$T/big.parquet" i
	assert_output PPP
	pages "$T/big.parquet" s
	assert_output PPPPP
	pages "$T/big.parquet" n
	assert_output PP
	pages "$T/big.parquet" c
	assert_output DP
	"$ROWS" --reader duckdb "$T/big.parquet" >"$T/duck.rows"
	"$ROWS" --reader strict "$T/big.parquet" >"$T/strict.rows"
	cmp "$T/duck.rows" "$T/strict.rows"
	diff -q "$T/in.ndjson" "$T/duck.rows"
}

@test "dictionary chunks for repetitive values, plain ones for distinct values" {
	awk 'BEGIN { for (i = 1; i <= 200; i++)
		printf "{\"rep\":\"%s\",\"uniq\":\"u%d\",\"k\":%d,\"one\":\"same\",\"ts\":\"2026-11-22T10:00:%02dZ\",\"j\":{\"a\":%d}}\n",
			i % 2 ? "red" : "green", i, i % 4, i % 2, i % 3 }' >"$T/in.ndjson"
	write "$T/x.parquet"
	sql "SELECT path_in_schema AS c, encodings AS e,
		dictionary_page_offset IS NOT NULL AS dict FROM parquet_metadata('$T/x.parquet')"
	assert_output '{"c":"rep","e":"PLAIN, RLE, RLE_DICTIONARY","dict":true}
{"c":"uniq","e":"PLAIN, RLE","dict":false}
{"c":"k","e":"PLAIN, RLE, RLE_DICTIONARY","dict":true}
{"c":"one","e":"PLAIN, RLE, RLE_DICTIONARY","dict":true}
{"c":"ts","e":"PLAIN, RLE, RLE_DICTIONARY","dict":true}
{"c":"j","e":"PLAIN, RLE, RLE_DICTIONARY","dict":true}'
	rows "$T/x.parquet"
	printf '%s\n' "$output" >"$T/got"
	awk 'BEGIN { for (i = 1; i <= 200; i++)
		printf "{\"rep\":\"%s\",\"uniq\":\"u%d\",\"k\":%d,\"one\":\"same\",\"ts\":\"2026-11-22T10:00:%02d.000000Z\",\"j\":{\"a\":%d}}\n",
			i % 2 ? "red" : "green", i, i % 4, i % 2, i % 3 }' >"$T/want"
	diff -u "$T/want" "$T/got"
}

@test "statistics: null count always; min and max in the column's own order" {
	cat >"$T/in.ndjson" <<'EOF'
{"i":5,"d":1.25,"x":1e0,"s":"b","t":"2026-11-22T10:00:00Z","dt":"2026-11-22","b":true,"z":0e0,"long":"short","n":null,"big":99999999999999999999}
{"i":-3,"d":-7,"x":-2.5e1,"s":"ab","t":"2026-11-21T10:00:00.5Z","dt":"1999-01-01","b":true,"z":-0e0,"long":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","big":-1}
{"i":null,"d":null,"x":3.5e0,"s":"é","t":null,"dt":null,"b":null,"z":0e0}
{"i":12,"d":0.5,"s":"B","t":"2026-11-23T00:00:00+01:00","big":-99999999999999999999}
EOF
	write "$T/x.parquet"
	sql "SELECT path_in_schema AS c, stats_null_count AS nulls, stats_min_value AS min,
		stats_max_value AS max FROM parquet_metadata('$T/x.parquet')"
	assert_output '{"c":"i","nulls":1,"min":"-3","max":"12"}
{"c":"d","nulls":1,"min":"-7.00","max":"1.25"}
{"c":"x","nulls":1,"min":"-25.0","max":"3.5"}
{"c":"s","nulls":0,"min":"B","max":"é"}
{"c":"t","nulls":1,"min":"2026-11-21 10:00:00.5+00","max":"2026-11-22 23:00:00+00"}
{"c":"dt","nulls":2,"min":"1999-01-01","max":"2026-11-22"}
{"c":"b","nulls":2,"min":"true","max":"true"}
{"c":"z","nulls":1,"min":"-0.0","max":"0.0"}
{"c":"long","nulls":2,"min":null,"max":null}
{"c":"n","nulls":4,"min":null,"max":null}
{"c":"big","nulls":1,"min":"-99999999999999999999","max":"99999999999999999999"}'
	# a reader prunes row groups by them: DuckDB and arrow-rs agree
	rows "$T/x.parquet"
	sql "SELECT count(*) AS n FROM read_parquet('$T/x.parquet') WHERE i > 4 AND s >= 'B'"
	assert_output '{"n":2}'
}

@test "the footer: created_by, logical and converted types, column orders" {
	printf '%s\n' '{"i":1,"d":1.5,"e":1e100000000000000000000,"t":"2026-11-22T10:00:00Z","dt":"2026-11-22","s":"x","j":[1],"b":true,"x":1e0}' >"$T/in.ndjson"
	write "$T/x.parquet"
	sql "SELECT created_by, format_version AS v, column_orders FROM parquet_file_metadata('$T/x.parquet')"
	run jq -c '[.created_by, .v, (.column_orders | unique)]' <<<"$output"
	assert_output '["cdc-pipes to-parquet-csv version 0.1.0 (build release)",1,["ColumnOrder(TYPE_ORDER=TypeDefinedOrder())"]]'
	# created_by parses as "<app> version <x.y.z> (build <hash>)", which
	# parquet-java needs to trust byte-array statistics
	sql "SELECT created_by FROM parquet_file_metadata('$T/x.parquet')"
	[[ $(jq -r .created_by <<<"$output") =~ ^[a-z-]+(\ [a-z-]+)*\ version\ [0-9]+\.[0-9]+\.[0-9]+\ \(build\ [^\)]+\)$ ]]
	sql "SELECT name, type, type_length AS len, repetition_type AS rep, converted_type AS ct,
		scale, precision, logical_type AS lt FROM parquet_schema('$T/x.parquet')"
	assert_output '{"name":"schema","type":null,"len":null,"rep":null,"ct":null,"scale":null,"precision":null,"lt":null}
{"name":"i","type":"INT64","len":null,"rep":"OPTIONAL","ct":"INT_64","scale":null,"precision":null,"lt":"IntType(bitWidth=@, isSigned=1)"}
{"name":"d","type":"INT64","len":null,"rep":"OPTIONAL","ct":"DECIMAL","scale":1,"precision":18,"lt":"DecimalType(scale=1, precision=18)"}
{"name":"e","type":"BYTE_ARRAY","len":null,"rep":"OPTIONAL","ct":"UTF8","scale":null,"precision":null,"lt":"StringType()"}
{"name":"t","type":"INT64","len":null,"rep":"OPTIONAL","ct":"TIMESTAMP_MICROS","scale":null,"precision":null,"lt":"TimestampType(isAdjustedToUTC=1, unit=TimeUnit(MILLIS=<null>, MICROS=MicroSeconds(), NANOS=<null>))"}
{"name":"dt","type":"INT32","len":null,"rep":"OPTIONAL","ct":"DATE","scale":null,"precision":null,"lt":"DateType()"}
{"name":"s","type":"BYTE_ARRAY","len":null,"rep":"OPTIONAL","ct":"UTF8","scale":null,"precision":null,"lt":"StringType()"}
{"name":"j","type":"BYTE_ARRAY","len":null,"rep":"OPTIONAL","ct":"JSON","scale":null,"precision":null,"lt":"JsonType()"}
{"name":"b","type":"BOOLEAN","len":null,"rep":"OPTIONAL","ct":null,"scale":null,"precision":null,"lt":null}
{"name":"x","type":"DOUBLE","len":null,"rep":"OPTIONAL","ct":null,"scale":null,"precision":null,"lt":null}'
	rows "$T/x.parquet"
	assert_output '{"i":1,"d":1.5,"e":"1e100000000000000000000","t":"2026-11-22T10:00:00.000000Z","dt":"2026-11-22","s":"x","j":[1],"b":true,"x":1}'
}

@test "--schema: declared columns keep their type; a value that does not fit is a bad line" {
	# a declared timestamp takes a date as its midnight UTC
	cat >"$T/in.ndjson" <<'EOF'
{"qty":1,"price":1.5,"ts":"2026-11-22T10:00:00+01:00","note":"five","raw":"x"}
{"qty":"abc","price":1}
{"qty":2,"price":1.234}
{"qty":3,"price":123456789.1}
{"qty":4,"price":-99999999.99,"ts":"2026-11-22","note":5,"raw":null}
{"qty":5,"price":1.500,"ts":"2026-11-22T10:00:00.1234567Z"}
{"qty":6,"price":2e1,"raw":[1],"ts":"2026-11-22"}
EOF
	run -0 --separate-stderr to-parquet-csv --on-error=skip -o "$T/x.parquet" \
		--schema 'qty:int64,price:decimal(10,2),ts:timestamp,note:string,raw:json' "$T/in.ndjson"
	assert_equal "$stderr" "to-parquet-csv: warning: $T/in.ndjson:2: field \"qty\": not an int64: \"abc\" (line skipped)
to-parquet-csv: warning: $T/in.ndjson:3: field \"price\": not a decimal(10,2): 1.234 (line skipped)
to-parquet-csv: warning: $T/in.ndjson:4: field \"price\": not a decimal(10,2): 123456789.1 (line skipped)
to-parquet-csv: warning: $T/in.ndjson:5: field \"note\": not a string: 5 (line skipped)
to-parquet-csv: warning: $T/in.ndjson:6: field \"ts\": not a timestamp: \"2026-11-22T10:00:00.1234567Z\" (line skipped)
to-parquet-csv: warning: skipped 5 bad lines"
	types "$T/x.parquet"
	assert_output 'qty int64
price decimal(10,2)
ts timestamp_utc
note string
raw json'
	rows "$T/x.parquet"
	assert_output '{"qty":1,"price":1.50,"ts":"2026-11-22T09:00:00.000000Z","note":"five","raw":"x"}
{"qty":6,"price":20.00,"ts":"2026-11-22T00:00:00.000000Z","note":null,"raw":[1]}'
}

@test "schema widening: a row that does not fit starts a file with the union type; together they hold every row" {
	cat >"$T/in.ndjson" <<'EOF'
{"a":1,"p":1.5,"k":1}
{"a":2,"p":2.5,"k":2}
{"a":3,"p":2.75,"k":3}
{"a":4,"p":3.5,"k":"x"}
{"a":5,"p":4.5,"n":"new","k":null}
{"a":6,"p":5,"n":null,"k":4}
{"a":9223372036854775807,"p":0.125,"k":5}
EOF
	run -0 --separate-stderr to-parquet-csv --row-group-rows 2 -o "$T/out.parquet" "$T/in.ndjson"
	run -0 find "$T" -name '*.parquet' -printf '%f\n'
	run sort <<<"$output"
	assert_output 'out-1.parquet
out-2.parquet
out-3.parquet
out.parquet'
	# the first file's schema was fixed by its first row group
	types "$T/out.parquet"
	assert_output 'a int64
p decimal(18,1)
k int64'
	rows "$T/out.parquet"
	assert_output '{"a":1,"p":1.5,"k":1}
{"a":2,"p":2.5,"k":2}'
	# 2.75 needs scale 2: decimal(18,1) and 2.75 need 17 + 2 digits
	types "$T/out-1.parquet"
	assert_output 'a int64
p decimal(38,2)
k json'
	rows "$T/out-1.parquet"
	assert_output '{"a":3,"p":2.75,"k":3}
{"a":4,"p":3.50,"k":"x"}'
	# a new member: the next file has it too
	types "$T/out-2.parquet"
	assert_output 'a int64
p decimal(38,2)
k json
n string'
	rows "$T/out-2.parquet"
	assert_output '{"a":5,"p":4.50,"k":null,"n":"new"}
{"a":6,"p":5.00,"k":4,"n":null}'
	# scale 3 in a decimal(38,2) of 36 integer digits: 39 digits, so
	# DECIMAL(76,3), in 32 bytes
	strict_types "$T/out-3.parquet"
	assert_output 'a int64
p decimal(76,3)
k json
n string'
	strict_rows "$T/out-3.parquet"
	assert_output '{"a":9223372036854775807,"p":0.125,"k":5,"n":null}'
}

@test "CSV: RFC 4180 quoting, null as an empty field, nested values as JSON text; DuckDB reads it back" {
	cat >"$T/in.ndjson" <<'EOF'
{"id":1,"s":"plain","n":1.50,"b":true,"o":{"a":[1,2]},"e":""}
{"id":2,"s":"a,b","n":-3e2,"b":false,"o":[1,"x,y"],"e":null}
{"id":3,"s":"say \"hi\"","n":null,"t":"line1\nline2"}
{"id":4,"s":" lead","n":0,"t":"trail ","u":"é☃\r"}
{"id":5,"s":"","n":12345678901234567890123,"t":"tab\tin"}
{"id":6,"s":"\u00e9"}
EOF
	write "$T/x.csv" -f csv
	run cat "$T/x.csv"
	assert_output 'id,s,n,b,o,e,t,u
1,plain,1.50,true,"{""a"":[1,2]}","",,
2,"a,b",-3e2,false,"[1,""x,y""]",,,
3,"say ""hi""",,,,,"line1
line2",
4," lead",0,,,,"trail ","é☃'$'\r''"
5,"",12345678901234567890123,,,,tab	in,
6,é,,,,,,'
	sql "SELECT * FROM read_csv('$T/x.csv', header = true, all_varchar = true,
		allow_quoted_nulls = false)"
	assert_output '{"id":"1","s":"plain","n":"1.50","b":"true","o":"{\"a\":[1,2]}","e":"","t":null,"u":null}
{"id":"2","s":"a,b","n":"-3e2","b":"false","o":"[1,\"x,y\"]","e":null,"t":null,"u":null}
{"id":"3","s":"say \"hi\"","n":null,"b":null,"o":null,"e":null,"t":"line1\nline2","u":null}
{"id":"4","s":" lead","n":"0","b":null,"o":null,"e":null,"t":"trail ","u":"é☃\r"}
{"id":"5","s":"","n":"12345678901234567890123","b":null,"o":null,"e":null,"t":"tab\tin","u":null}
{"id":"6","s":"é","n":null,"b":null,"o":null,"e":null,"t":null,"u":null}'
	# -o -: standard output, the same text
	run -0 --separate-stderr to-parquet-csv -f csv -o - "$T/in.ndjson"
	assert_equal "$output" "$(cat "$T/x.csv")"
}

@test "CSV: the columns are the first row group's; a new member later starts the next file" {
	cat >"$T/in.ndjson" <<'EOF'
{"a":1}
{"b":"x","a":2}
{"a":3,"c":null}
{"a":4,"c":"new"}
EOF
	run -0 --separate-stderr to-parquet-csv -f csv --row-group-rows 2 -o "$T/out.csv" "$T/in.ndjson"
	run cat "$T/out.csv"
	assert_output 'a,b
1,
2,x
3,'
	run cat "$T/out-1.csv"
	assert_output 'a,b,c
4,,new'
}

@test "CSV: a NUL character (\\u0000) in a value or a member name is a bad line; the other rows are written" {
	cat >"$T/in.ndjson" <<'EOF2'
{"id":1,"s":"nul \u0000 byte"}
{"id":2,"s":"ok"}
{"id":3,"s\u0000":"x"}
{"id":4,"s":"\\u0000 is text"}
EOF2
	run -1 --separate-stderr to-parquet-csv -f csv -o - "$T/in.ndjson"
	assert_output ''
	assert_equal "$stderr" "to-parquet-csv: $T/in.ndjson:1: field \"s\": a NUL character (\\u0000) in its value cannot be written to CSV"
	run -0 --separate-stderr to-parquet-csv -f csv -o - --on-error skip "$T/in.ndjson"
	assert_output 'id,s
2,ok
4,\u0000 is text'
	assert_equal "$stderr" "to-parquet-csv: warning: $T/in.ndjson:1: field \"s\": a NUL character (\\u0000) in its value cannot be written to CSV (line skipped)
to-parquet-csv: warning: $T/in.ndjson:3: field \"s\\u0000\": a NUL character (\\u0000) in its name cannot be written to CSV (line skipped)
to-parquet-csv: warning: skipped 2 bad lines"
	# Parquet strings are byte arrays: NUL is kept there
	run -0 to-parquet-csv -o "$T/x.parquet" "$T/in.ndjson"
}

@test "empty strings: first in a declared column, or all of a column" {
	printf '%s\n' '{"s":"","e":""}' '{"s":"x","e":""}' >"$T/in.ndjson"
	for o in --schema=s:string,e:string --row-group-rows=1; do
		write "$T/x.parquet" "$o"
		rows "$T/x.parquet"
		assert_output '{"s":"","e":""}
{"s":"x","e":""}'
	done
}

@test "an empty member name is a column like any other (CSV and Parquet)" {
	printf '%s\n' '{"":0,"a":""}' '{"":1,"a":"x"}' >"$T/in.ndjson"
	run -0 --separate-stderr to-parquet-csv -f csv -o - "$T/in.ndjson"
	assert_output '"",a
0,""
1,x'
	write "$T/x.parquet"
	# (DuckDB's read_parquet renames that column C0: arrow-rs alone)
	run -0 "$ROWS" --reader strict "$T/x.parquet"
	assert_output '{"":0,"a":""}
{"":1,"a":"x"}'
}
