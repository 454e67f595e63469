#!/usr/bin/env bats
# The command-line contract every binary shares (STYLE.md, DESIGN.md section 7):
# help, version, usage errors, man page.

load helpers/common

@test "every binary prints help on stdout with exit 0 and nothing on stderr" {
	for t in $TOOLS; do
		for opt in --help -?; do
			run --separate-stderr "$t" "$opt"
			[ "$status" -eq 0 ] || fail "$t $opt: status $status"
			[ -z "$stderr" ] || fail "$t $opt: stderr: $stderr"
			[[ $output == *"usage: $t "* ]] || fail "$t $opt: no usage line"
		done
	done
}

@test "help fits in 79 columns" {
	for t in $TOOLS; do
		run -0 "$t" --help
		long=$(printf '%s\n' "$output" | awk 'length > 79')
		[ -z "$long" ] || fail "$t: lines over 79 columns: $long"
	done
}

@test "every binary prints its version" {
	for t in $TOOLS; do
		for opt in --version -V; do
			run -0 --separate-stderr "$t" "$opt"
			[[ $output =~ ^$t\ \(cdc-pipes\)\ [0-9]+\.[0-9]+\.[0-9]+$ ]] ||
				fail "$t $opt: $output"
		done
	done
}

@test "an unknown long option is a usage error with the Try line" {
	for t in $TOOLS; do
		run -2 --separate-stderr "$t" --no-such-option
		[ -z "$output" ] || fail "$t: stdout not empty"
		[ "$stderr" = "$t: invalid option \"--no-such-option\"
Try \"$t --help\" for more information." ] || fail "$t: $stderr"
	done
}

@test "an unknown short option is a usage error" {
	for t in $TOOLS; do
		run -2 --separate-stderr "$t" -Z
		[ "$stderr" = "$t: invalid option \"-Z\"
Try \"$t --help\" for more information." ] || fail "$t: $stderr"
	done
}

@test "a bad value for a common option names the option" {
	for t in $TOOLS; do
		run -2 --separate-stderr "$t" --on-error=ignore
		[ "${lines[0]:-}" = "" ]
		[[ $stderr == "$t: invalid value \"ignore\" for option --on-error: expected fail or skip"* ]] ||
			fail "$t: $stderr"
		run -2 --separate-stderr "$t" --max-line=12X
		[[ $stderr == "$t: invalid value \"12X\" for option --max-line: not a size"* ]] ||
			fail "$t: $stderr"
	done
}

@test "a flag given a value is a usage error" {
	run -2 --separate-stderr cdc-unwrap --quiet=yes
	assert_equal "$stderr" "cdc-unwrap: option \"--quiet\" takes no value
Try \"cdc-unwrap --help\" for more information."
}

@test "an option without its value is a usage error" {
	run -2 --separate-stderr cdc-unwrap --dead-letter
	assert_equal "$stderr" "cdc-unwrap: option \"--dead-letter\" needs a value
Try \"cdc-unwrap --help\" for more information."
}

@test "every binary has a man page that renders, naming its exit status" {
	for t in $TOOLS; do
		page=$REPO_ROOT/man/$t.1
		[ -f "$page" ] || fail "missing man/$t.1"
		MANWIDTH=80 run -0 --separate-stderr man -l "$page"
		[ -z "$stderr" ] || fail "$t: man -l: $stderr"
		[[ $output == *"EXIT STATUS"* ]] || fail "$t: no EXIT STATUS section"
		[[ $output == *"$t"* ]] || fail "$t: page does not name the tool"
	done
	[ -f "$REPO_ROOT/man/cdc-pipes.7" ]
}

@test "man pages are clean under mandoc -Tlint" {
	run -0 mandoc -Tlint -Wwarning "$REPO_ROOT"/man/*.1 "$REPO_ROOT"/man/cdc-pipes.7
}

@test "the help synopsis matches the man page SYNOPSIS options" {
	for t in $TOOLS; do
		run -0 "$t" --help
		help=$output
		# every long option in --help appears in the man page
		for o in $(printf '%s\n' "$help" | grep -o -- '--[a-z][a-z-]*' | sort -u); do
			grep -q -- "${o#--}" "$REPO_ROOT/man/$t.1" ||
				fail "$t: $o in --help but not in man/$t.1"
		done
	done
}

# peak_kb CMD...: the peak resident set of CMD in KiB (its output dropped).
peak_kb() {
	/usr/bin/time -f %M -o "$BATS_TEST_TMPDIR/rss" "$@" >/dev/null 2>&1 ||
		true
	cat "$BATS_TEST_TMPDIR/rss"
}

@test "memory: one long line costs every tool at most twice its length, plus a constant" {
	[ -x /usr/bin/time ] || skip "no /usr/bin/time"
	if ldd "$BIN_DIR/window-agg" | grep -q libasan; then
		skip "the sanitizers' shadow memory is no measure"
	fi
	# 16 MB of numbers in a nested array: 8 million values, a token each
	T=$BATS_TEST_TMPDIR
	awk 'BEGIN {
		printf "{\"id\":1,\"k\":\"a\",\"t\":\"2026-11-22T10:00:01Z\",\"x\":5,\"a\":[0"
		for (i = 1; i < 8000000; i++) printf ",0"
		printf "]}\n" }' >"$T/row"
	{ printf '{"op":"c","source":{"table":"t"},"after":'; cat "$T/row"; } |
		tr -d '\n' >"$T/event"
	echo '}' >>"$T/event"
	printf '%s\n' '{"id":1,"t":"2026-11-22T10:00:01Z","y":7}' >"$T/right"
	len=$(($(wc -c <"$T/row") / 1024))
	limit=$((2 * len + 16 * 1024))
	check() {
		local kb
		kb=$(peak_kb "$@")
		((kb <= limit)) || fail "$1: peak RSS ${kb} KiB for a line of ${len} KiB (limit $limit): $*"
	}
	check cdc-unwrap -c --complete-before "$T/event"
	check window-agg -t t --tumble 1m -g k -a 'count,sum(x)' --emit update "$T/row"
	check window-agg -t t --tumble 1m --assign "$T/row"
	check interval-join --left "$T/row" --right "$T/right" --on id --left-time t --right-time t --within=-1h,1h
	check interval-join --left "$T/right" --right "$T/row" --on id --left-time t --right-time t --within=-1h,1h --type left
	check top-n -n 3 -b x "$T/row"
	check to-parquet-csv -f csv -o - "$T/row"
	check to-parquet-csv -o "$T/x.parquet" "$T/row"
}
