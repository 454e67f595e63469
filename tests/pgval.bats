#!/usr/bin/env bats
# pgval.bats: pgcdc-tail's value mapping (cmd/pgcdc-tail/pgval.c) against a
# real PostgreSQL 15, without the pgcdc-tail binary.
#
# Values of every supported type are stored in a table and copied out with
# COPY ... TO STDOUT: COPY's text format is each value's output-function
# text, the very text pgoutput sends, escaped one value per line (\N for
# NULL).  The unit test program converts them (test_pgval --convert OID)
# and PostgreSQL itself then says, row by row, what the JSON must be: its
# own to_jsonb where the mapping agrees with it (integers, numerics digit
# for digit, booleans, text types, json, jsonb, arrays of those), and an SQL
# expression of the value where the mapping differs on purpose (RFC 3339 UTC
# timestamps, ISO 8601 years in dates and timestamps, base64 bytea).  Every
# result must also be one valid JSON value per line (jq).

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
}

teardown_file() {
	pg_teardown_file
}

setup() {
	case $BUILD in
	/*) CONVERT=$BUILD/unit/test_pgval ;;
	*) CONVERT=$REPO_ROOT/$BUILD/unit/test_pgval ;;
	esac
	if [[ ! -x $CONVERT ]]; then
		printf 'no "%s": run make %s/unit/test_pgval first\n' \
		    "$CONVERT" "$BUILD" >&2
		return 1
	fi
	# The session settings pgcdc-tail connects with (pgval.h).
	SESSION="SET TimeZone = 'UTC'; SET DateStyle = 'ISO';
	    SET IntervalStyle = 'postgres'; SET extra_float_digits = 3"
	FLAGS=0
}

# The JSON text wanted for a non-NULL value v, as SQL expressions of v.
# Integers, numerics and floats: the output text itself, NaN and the
# infinities as strings.
X_NUMBER="CASE WHEN v::text IN ('NaN', 'Infinity', '-Infinity')
    THEN to_jsonb(v::text)::text ELSE v::text END"
X_BOOL="CASE WHEN v THEN 'true' ELSE 'false' END"
# Types written as their output text, quoted: PostgreSQL's to_jsonb does
# the same for these (bpchar keeps its padding there, unlike v::text).
X_TO_JSONB="to_jsonb(v)::text"
X_AS_TEXT="to_jsonb(v::text)::text"
# The year of v as DESIGN.md section 4 writes it: astronomical (PostgreSQL's
# year -45, 45 BC, is -0044), four digits in 0000-9999, else an ISO 8601
# expanded year with its sign ("+10000").
ISO_YEAR="(SELECT CASE WHEN ay < 0 THEN '-' || lpad((-ay)::text, 4, '0')
        WHEN ay > 9999 THEN '+' || ay::text ELSE lpad(ay::text, 4, '0') END
    FROM (SELECT extract(year FROM v)::int
        + (extract(year FROM v) < 0)::int AS ay) AS y)"
# Infinities: the words, as strings.
X_INF="to_jsonb(v::text)::text"
# timestamptz: RFC 3339 UTC, milliseconds or microseconds, with that year.
X_TSTZ="CASE WHEN isfinite(v)
    THEN '\"' || $ISO_YEAR || to_char(v, '-MM-DD\"T\"HH24:MI:SS.') ||
        CASE WHEN date_part('microseconds', v)::bigint % 1000 = 0
        THEN to_char(v, 'MS') ELSE to_char(v, 'US') END || 'Z\"'
    ELSE $X_INF END"
# timestamp: what to_jsonb writes (the text with T, PostgreSQL's fraction
# digits), with that year instead of PostgreSQL's and its " BC".
X_TS="CASE WHEN isfinite(v)
    THEN '\"' || $ISO_YEAR || regexp_replace(to_jsonb(v)::text,
        '^\"[0-9]+(-[^ \"]*)( BC)?\"\$', '\\1') || '\"'
    ELSE $X_INF END"
# date: YYYY-MM-DD with that year (extract: to_char would make the date a
# timestamp, which ends before PostgreSQL's last date).
X_DATE="CASE WHEN isfinite(v)
    THEN '\"' || $ISO_YEAR || '-' || lpad(extract(month FROM v)::text, 2, '0')
        || '-' || lpad(extract(day FROM v)::text, 2, '0') || '\"'
    ELSE $X_INF END"
# bytea: base64 without encode's line breaks.
X_BYTEA="to_jsonb(translate(encode(v, 'base64'), E'\\n', ''))::text"

# exact X: the check that the JSON is exactly X.
exact() {
	printf 'j = (%s)' "$1"
}

# arr X: the check for an array whose elements' JSON is X: a JSON array of
# them, or the array's text when it is multi-dimensional or has bounds.
arr() {
	printf '%s' "CASE WHEN array_ndims(v) > 1 OR array_lower(v, 1) <> 1
	    THEN j = to_jsonb(v::text)::text
	    ELSE j = '[' || coalesce((SELECT string_agg(CASE WHEN v IS NULL
	        THEN 'null' ELSE ($1) END, ',' ORDER BY n)
	        FROM unnest(v) WITH ORDINALITY AS a(v, n)), '') || ']' END"
}

# oracle TYPE OID CHECK VALUE...: store the SQL expressions VALUE in a
# column of TYPE, convert COPY's text of each with test_pgval --convert OID
# (flags $FLAGS), and fail showing every row whose JSON j does not pass
# CHECK, an SQL condition on the value v and j (NULL values must give null).
oracle() {
	local type=$1 oid=$2 check=$3 t f v i=0 values='' sep=''
	shift 3
	for v in "$@"; do
		i=$((i + 1))
		values+="$sep($i, ($v)::$type)"
		sep=', '
	done
	t=$(pg_unique_name v)
	f=$BATS_TEST_TMPDIR/$t
	psql_q "CREATE TABLE $t (id int PRIMARY KEY, v $type);
	    CREATE TABLE ${t}_j (id int PRIMARY KEY, j text);
	    INSERT INTO $t VALUES $values"
	psql_q "$SESSION" -c "COPY (SELECT v FROM $t ORDER BY id) TO STDOUT" \
	    >"$f.copy"
	"$CONVERT" --convert "$oid" "$FLAGS" <"$f.copy" >"$f.json"

	# One valid JSON value per line, one line per value.
	run -0 wc -l <"$f.json"
	assert_output "$#"
	jq -R -c fromjson "$f.json" >/dev/null
	# Into the table as COPY text: only backslashes need escaping.
	sed 's/\\/\\\\/g' "$f.json" | awk '{ print NR "\t" $0 }' >"$f.load"
	psql_q "COPY ${t}_j FROM STDIN" <"$f.load"
	run -0 psql_q "$SESSION" -c "SELECT id || ': ' ||
	    coalesce(v::text, 'NULL') || ' -> ' || coalesce(j, '(no line)')
	    FROM $t LEFT JOIN ${t}_j USING (id)
	    WHERE NOT coalesce(CASE WHEN v IS NULL THEN j = 'null'
	        ELSE ($check) END, false)
	    ORDER BY id"
	assert_output ''
	psql_q "DROP TABLE $t, ${t}_j"
}

@test "pgval_array_elem agrees with pg_type for every array type" {
	# Known: the array type of each element type pgval maps; every
	# other array type (and int2vector, oidvector, which are 'A' but
	# not written in braces) must be 0.
	run -0 psql_q "SELECT t.oid || ' ' || CASE WHEN e.typarray = t.oid
	        AND e.oid IN (16, 17, 18, 19, 20, 21, 23, 25, 26, 114, 142,
	        700, 701, 790, 1042, 1043, 1082, 1083, 1114, 1184, 1186,
	        1266, 1700, 2950, 3802) THEN e.oid ELSE 0 END
	    FROM pg_type t LEFT JOIN pg_type e ON e.oid = t.typelem
	    WHERE t.typcategory = 'A' ORDER BY t.oid"
	want=$output
	[[ $(wc -l <<<"$want") -gt 100 ]]
	run -0 "$CONVERT" --elem $(cut -d ' ' -f 1 <<<"$want")
	assert_output "$want"
	# The ones issue 3 names, by name.
	run -0 psql_q "SELECT count(*) FROM pg_type t JOIN pg_type e
	    ON e.typarray = t.oid WHERE e.typname IN ('int2', 'int4', 'int8',
	    'text', 'varchar', 'bpchar', 'numeric', 'float4', 'float8',
	    'bool', 'date', 'timestamp', 'timestamptz', 'uuid', 'json',
	    'jsonb', 'bytea', 'name', 'time', 'interval')
	    AND t.oid IN (1005, 1007, 1016, 1009, 1015, 1014, 1231, 1021,
	    1022, 1000, 1182, 1115, 1185, 2951, 199, 3807, 1001, 1003, 1183,
	    1187)"
	assert_output 20
}

@test "integers and oid are numbers, as sent" {
	oracle int2 21 "$(exact "$X_NUMBER")" \
	    0 1 -1 32767 -32768 NULL
	oracle int4 23 "$(exact "$X_NUMBER")" \
	    0 42 -2147483648 2147483647 NULL
	oracle int8 20 "$(exact "$X_NUMBER")" \
	    0 -9223372036854775808 9223372036854775807 1763805601250
	oracle oid 26 "$(exact "$X_NUMBER")" \
	    0 4294967295 "'12345'"
	# PostgreSQL's own JSON agrees.
	oracle int8 20 "$(exact "$X_TO_JSONB")" -1 0 9223372036854775807
}

@test "numeric keeps exactly the digits PostgreSQL sends" {
	local values=(
	    "'19.990'" 0 "'-0.000'" "'0.0000000001'" "'1e100'" "'-1e-100'"
	    "'1.5e3'" "'123456789012345678901234567890.000000000000001'"
	    "(repeat('9', 1000) || '.' || repeat('1', 1000))::numeric"
	    "'-' || repeat('12345', 200)" "1::numeric / 3" "2::numeric ^ 0.5"
	    "'NaN'" "'Infinity'" "'-Infinity'" NULL)
	oracle numeric 1700 "$(exact "$X_NUMBER")" "${values[@]}"
	# to_jsonb writes the same text, digit for digit.
	oracle numeric 1700 \
	    "$(exact "coalesce(to_jsonb(v), 'null')::text")" "${values[@]}"
	# --numeric string
	FLAGS=1
	oracle numeric 1700 "$(exact "$X_AS_TEXT")" "${values[@]}"
}

@test "floats are PostgreSQL's shortest round-trip text, as JSON numbers" {
	local values=(
	    "'1.5'" "'-0'" 0 "'0.1'" "'100'" "'1e100'" "'1e-5'" "'0.0001'"
	    "'1.2345678e-05'" "'1e15'" "'1e16'" "'1e21'" "'1e22'"
	    "'123456789012345678'" "'9007199254740993'" "0.1::float8 + 0.2"
	    "'5e-324'" "'2.2250738585072014e-308'" "'-1.5e-310'"
	    "'1.7976931348623157e308'" "'-2.5e-7'" "pi()"
	    "'NaN'" "'Infinity'" "'-Infinity'" NULL)
	# The text itself, and the number reads back as the same float.
	oracle float8 701 "$(exact "$X_NUMBER")
	    AND (j::jsonb #>> '{}')::float8 = v" "${values[@]}"
	oracle float4 700 "$(exact "$X_NUMBER")
	    AND (j::jsonb #>> '{}')::float4 = v" \
	    "'1.5'" "'-0'" "'0.1'" "'16777216'" "'1e7'" "'1e10'" \
	    "'3.4028235e38'" "'1e-45'" "'1.17549435e-38'" "'-123.456'" \
	    "'NaN'" "'Infinity'" "'-Infinity'" NULL
	# PostgreSQL's JSON holds the same numbers.
	oracle float8 701 "j::jsonb = to_jsonb(v)" "${values[@]}"
}

@test "bool is true or false" {
	oracle bool 16 "$(exact "$X_BOOL")" true false NULL
	oracle bool 16 "$(exact "$X_TO_JSONB")" true false
}

@test "text types, time, interval, uuid and others are their text" {
	oracle text 25 "$(exact "$X_TO_JSONB")" \
	    "''" "'hello, world'" "'NULL'" "' spaced '" "'a\"b\\c'" \
	    "E'l1\\nl2\\r\\tx\\b\\f\\x01\\x1f\\x7f'" "'café € 😀'" \
	    "'{1,2}'" "'\\x41'" "repeat('long ', 20000)" NULL
	oracle 'varchar(20)' 1043 "$(exact "$X_TO_JSONB")" \
	    "''" "'abc'" "'tab\there'"
	oracle 'char(5)' 1042 "$(exact "$X_TO_JSONB")" \
	    "''" "'ab'" "'abcde'" "'é'"
	oracle name 19 "$(exact "$X_TO_JSONB")" \
	    "'pg_catalog'" "'Odd \"Name\" tbl'"
	oracle '"char"' 18 "$(exact "$X_TO_JSONB")" "'a'" "'\\'"
	oracle uuid 2950 "$(exact "$X_TO_JSONB")" \
	    "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'" "gen_random_uuid()"
	oracle time 1083 "$(exact "$X_TO_JSONB")" \
	    "'10:00:01.25'" "'00:00:00'" "'24:00:00'" "'23:59:59.999999'"
	oracle timetz 1266 "$(exact "$X_AS_TEXT")" \
	    "'12:00:00+05'" "'10:00:01.25-03:30'"
	oracle interval 1186 "$(exact "$X_TO_JSONB")" \
	    "'1 year 2 mons -3 days 04:05:06.5'" "'-1 year 2 mons'" "'0'" \
	    "'-00:00:01'" "'178000000 years'" "'1.5 seconds'"
	oracle money 790 "$(exact "$X_AS_TEXT")" "'1000'" "'-0.5'"
	oracle xml 142 "$(exact "$X_AS_TEXT")" "'<a b=\"c\">d &amp; e</a>'"
}

@test "date is ISO 8601, expanded years outside 0000-9999" {
	local values=(
	    "'2026-11-22'" "'0001-01-01'" "'2024-02-29'" "'9999-12-31'"
	    "'0044-03-15 BC'" "'0045-03-15 BC'" "'0001-12-31 BC'"
	    "'0001-02-29 BC'" "'4714-11-24 BC'" "'10000-01-01'"
	    "'5874897-12-31'" "'infinity'" "'-infinity'" NULL)
	oracle date 1082 "$(exact "$X_DATE")" "${values[@]}"
	# PostgreSQL's JSON agrees in years 0001-9999 and on the infinities.
	oracle date 1082 "$(exact "$X_TO_JSONB")" \
	    "'2026-11-22'" "'0001-01-01'" "'9999-12-31'" "'infinity'" \
	    "'-infinity'"
	# Year 0000 is 1 BC, and the day numbers agree.
	oracle date 1082 "(j::jsonb #>> '{}') = '0000-01-01'
	    AND v - '1970-01-01'::date = -719528" "'0001-01-01 BC'"
}

@test "timestamp is RFC 3339 without zone, as in PostgreSQL's JSON" {
	local values=(
	    "'2026-11-22 10:00:01.25'" "'2026-11-22 10:00:01'"
	    "'2026-11-22 10:00:01.1'" "'2026-11-22 10:00:01.123456'"
	    "'0001-01-01 00:00:00'" "'9999-12-31 23:59:59.999999'"
	    "'2024-02-29 12:00:00.5'" "'epoch'" "'0044-03-15 00:00:00 BC'"
	    "'0045-03-15 12:00:00.5 BC'" "'4714-11-24 00:00:00 BC'"
	    "'10000-01-01 00:00:00'" "'294276-12-31 23:59:59.999999'"
	    "'infinity'" "'-infinity'" NULL)
	oracle timestamp 1114 "$(exact "$X_TS")" "${values[@]}"
	# In years 0001-9999 (and for the infinities) that is to_jsonb's.
	oracle timestamp 1114 "$(exact "$X_TO_JSONB")" \
	    "'2026-11-22 10:00:01.25'" "'0001-01-01 00:00:00'" \
	    "'9999-12-31 23:59:59.999999'" "'infinity'" "'-infinity'"
}

@test "timestamptz is RFC 3339 UTC with milliseconds or microseconds" {
	local values=(
	    "'2026-11-22 10:00:01.25+00'" "'2026-11-22 10:00:01+00'"
	    "'2026-11-22 10:00:01.1+00'" "'2026-11-22 10:00:01.12+00'"
	    "'2026-11-22 10:00:01.123+00'" "'2026-11-22 10:00:01.1234+00'"
	    "'2026-11-22 10:00:01.12345+00'" "'2026-11-22 10:00:01.123456+00'"
	    "'2026-11-22 10:00:01.000001+00'" "'2026-11-22 10:00:01.999+00'"
	    "'2026-11-22 10:00:01.25+05:30'" "'2026-01-01 00:30:00+01'"
	    "'1969-12-31 23:59:59.999999+00'" "'epoch'"
	    "'0001-01-01 00:00:00+00'" "'9999-12-31 23:59:59.999999+00'"
	    "'0001-01-01 00:30:00+01'" "'0044-03-15 00:00:00+00 BC'"
	    "'0045-03-15 12:00:00.5+00 BC'" "'4714-11-24 00:00:00+00 BC'"
	    "'10000-01-01 00:00:00+00'" "'294247-01-10 04:00:54.775806+00'"
	    "'294276-12-31 23:59:59.999999+00'"
	    "'infinity'" "'-infinity'" NULL)
	oracle timestamptz 1184 "$(exact "$X_TSTZ")" "${values[@]}"
	# In range, the string reads back as the same instant.
	local re='^"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}'
	re+='[.]([0-9]{3}|[0-9]{6})Z"$'
	oracle timestamptz 1184 "CASE WHEN isfinite(v)
	    AND v >= '0001-01-01 00:00:00+00' AND v < '10000-01-01 00:00:00+00'
	    THEN (j::jsonb #>> '{}')::timestamptz = v AND j ~ '$re'
	    ELSE j = ($X_TSTZ) END" "${values[@]}"
}

@test "json and jsonb are embedded as JSON values" {
	local values=(
	    "'{\"a\": 1, \"a\": 2}'"
	    "E'  {\"a\" :\\n  [1, 2.50, {\"b\": null}]}\\n '"
	    "'\"x\"'" "'1.50'" "'-1e+100'" "'null'" "'true'" "'[]'" "'{}'"
	    "'{\"k y\": \"a \\\" b\\\\ \\u00e9 \\t\", \"\": [[[]]]}'"
	    "'{\"b\": 1, \"a\": [1e2, -0.0, 1.000,
	        123456789012345678901234567890]}'"
	    "'[\"é\", \"😀\", \"\\ud83d\\ude00\"]'"
	    "(SELECT json_agg(g)::text FROM generate_series(1, 5000) g)"
	    NULL)
	# Same value as PostgreSQL's jsonb, numbers digit for digit.
	oracle json 114 "j::jsonb = to_jsonb(v)
	    AND j::jsonb::text = to_jsonb(v)::text" "${values[@]}"
	oracle jsonb 3802 "j::jsonb = v AND j::jsonb::text = v::text" \
	    "${values[@]}"
	# No white space between tokens: json's newlines are gone.
	oracle json 114 "j !~ '[\\n\\r]' AND j = (CASE WHEN v::text ~ '\"'
	    THEN j ELSE regexp_replace(v::text, '\\s', '', 'g') END)" \
	    "E'  [1,\\n 2 ,\\t3]\\r\\n'" "'{ }'" "'  null  '"
}

@test "bytea is base64" {
	oracle bytea 17 "$(exact "$X_BYTEA")
	    AND decode(j::jsonb #>> '{}', 'base64') = v" \
	    "'\\x'" "'\\x48656c6c6f'" "'\\x00ff'" "'\\xfbff'" \
	    "decode(md5('x'), 'hex')" "convert_to('héllo', 'UTF8')" \
	    "decode(repeat('00010203fcfdfeff', 3000), 'hex')" NULL
}

@test "one-dimensional arrays are JSON arrays of their elements" {
	oracle 'int4[]' 1007 "$(arr "$X_NUMBER")" \
	    "'{1,2,NULL}'" "'{}'" "ARRAY[NULL]::int4[]" "'{-2147483648}'" \
	    "'{{1,2},{3,4}}'" "'[0:1]={1,2}'" "'[2:3]={7,8}'" NULL
	oracle 'int2[]' 1005 "$(arr "$X_NUMBER")" "'{-32768,0,32767}'"
	oracle 'int8[]' 1016 "$(arr "$X_NUMBER")" \
	    "'{-9223372036854775808,9223372036854775807,NULL}'"
	oracle 'oid[]' 1028 "$(arr "$X_NUMBER")" "'{0,4294967295}'"
	oracle 'numeric[]' 1231 "$(arr "$X_NUMBER")" \
	    "ARRAY[19.990, 'NaN', -0.000, 'Infinity', '-Infinity', NULL,
	    1e-20, 1::numeric / 3]" "'{{1.0,2.00}}'"
	oracle 'float8[]' 1022 "$(arr "$X_NUMBER")" \
	    "ARRAY[1.5, 'NaN', '-Infinity', 1e100, '-0', 1.2345678e-05,
	    5e-324, NULL]::float8[]"
	oracle 'float4[]' 1021 "$(arr "$X_NUMBER")" \
	    "ARRAY[1.5, 'Infinity', 3.4028235e38, 16777216]::float4[]"
	oracle 'bool[]' 1000 "$(arr "$X_BOOL")" "'{t,f,NULL}'"
	oracle 'text[]' 1009 "$(arr "$X_TO_JSONB")" \
	    "ARRAY['a b', 'x\"y', '', 'NULL', 'null', 'a\\b', E'a\\nb', '{',
	    '}', ' x', 'é', 'A,B', '\\x41', E'\\t', NULL]" \
	    "'{{a,b},{c,d}}'" "'[2:2]={x}'" "'{}'"
	oracle 'varchar[]' 1015 "$(arr "$X_TO_JSONB")" \
	    "ARRAY['a', 'NULL', 'b c']::varchar[]"
	oracle 'char(3)[]' 1014 "$(arr "$X_TO_JSONB")" "ARRAY['ab', 'x y']"
	oracle 'name[]' 1003 "$(arr "$X_TO_JSONB")" \
	    "ARRAY['x y', 'pg']::name[]"
	oracle 'uuid[]' 2951 "$(arr "$X_TO_JSONB")" \
	    "ARRAY[gen_random_uuid(), NULL]"
	oracle 'time[]' 1183 "$(arr "$X_TO_JSONB")" \
	    "ARRAY['01:02:03', '10:00:01.25']::time[]"
	oracle 'interval[]' 1187 "$(arr "$X_TO_JSONB")" \
	    "ARRAY['1 day', '-1 year 2 mons', '00:00:01.5']::interval[]"
	oracle 'date[]' 1182 "$(arr "$X_DATE")" \
	    "ARRAY['2026-11-22', '0044-03-15 BC', 'infinity', NULL,
	    '10000-01-01', '-infinity']::date[]"
	oracle 'timestamp[]' 1115 "$(arr "$X_TS")" \
	    "ARRAY['2026-11-22 10:00:01.25', '0044-03-15 00:00:00 BC',
	    'infinity', '2026-11-22 10:00:01', '10000-01-01 00:00:00',
	    '-infinity']::timestamp[]"
	oracle 'timestamptz[]' 1185 "$(arr "$X_TSTZ")" \
	    "ARRAY['2026-11-22 10:00:01.25+00',
	    '2026-11-22 10:00:01.123456+00', 'infinity',
	    '0044-03-15 00:00:00+00 BC', NULL, '10000-01-01 00:00:00+00',
	    '-infinity']::timestamptz[]"
	oracle 'bytea[]' 1001 "$(arr "$X_BYTEA")" \
	    "ARRAY['\\x48656c6c6f', '\\x', NULL]::bytea[]"
	oracle 'timetz[]' 1270 "$(arr "$X_AS_TEXT")" \
	    "ARRAY['12:00:00+05']::timetz[]"
	oracle '"char"[]' 1002 "$(arr "$X_TO_JSONB")" \
	    "ARRAY['a', '\\']::\"char\"[]"
	# json elements embedded: the same values as PostgreSQL's jsonb.
	local jcheck="CASE WHEN array_ndims(v) > 1
	    THEN j = to_jsonb(v::text)::text
	    ELSE j::jsonb::text = to_jsonb(v)::text END"
	oracle 'json[]' 199 "$jcheck" \
	    "ARRAY['{\"a\": 1}', '[1, 2.50]', '\"x\"', 'null', NULL,
	    E'{\"b\" :\\n 1}']::json[]" "'{{1},{2}}'"
	oracle 'jsonb[]' 3807 "$jcheck" \
	    "ARRAY['{\"a\": {\"b\": [1, \"c d\"]}}', '\"\\\\\"',
	    NULL]::jsonb[]"
	# --numeric string reaches the elements.
	FLAGS=1
	oracle 'numeric[]' 1231 "$(arr "$X_AS_TEXT")" \
	    "ARRAY[19.990, 'NaN', NULL]"
}

@test "text that is not UTF-8 (a SQL_ASCII database) gets U+FFFD" {
	db=$(pg_unique_name ascii)
	psql_q "CREATE DATABASE $db ENCODING 'SQL_ASCII' LC_COLLATE 'C'
	    LC_CTYPE 'C' TEMPLATE template0"
	psql_q "CREATE TABLE t (id int, v text, j json, a text[]);
	    INSERT INTO t VALUES (1, E'caf\\xe9 \\xff ok',
	    E'{\"a\": \"\\xe9\"}', E'{\"\\xe2\\x82\",x}')" -d "$db"
	f=$BATS_TEST_TMPDIR/ascii
	psql_q "COPY (SELECT v FROM t) TO STDOUT" -d "$db" >"$f.v"
	psql_q "COPY (SELECT j FROM t) TO STDOUT" -d "$db" >"$f.j"
	psql_q "COPY (SELECT a FROM t) TO STDOUT" -d "$db" >"$f.a"
	"$CONVERT" --convert 25 <"$f.v" >"$f.out"
	"$CONVERT" --convert 114 <"$f.j" >>"$f.out"
	"$CONVERT" --convert 1009 <"$f.a" >>"$f.out"
	# Byte for byte (U+FFFD is EF BF BD), and valid UTF-8 JSON.
	r=$'\357\277\275'
	printf '%s\n' "\"caf$r $r ok\"" "\"{\\\"a\\\": \\\"$r\\\"}\"" \
	    "[\"$r\",\"x\"]" >"$f.want"
	diff -u "$f.want" "$f.out"
	iconv -f UTF-8 -t UTF-8 "$f.out" >/dev/null
	jq -R -c fromjson "$f.out" >/dev/null
	psql_q "DROP DATABASE $db"
}
