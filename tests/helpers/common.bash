# common.bash: loaded by every tests/*.bats file (`load helpers/common`).
#
# Puts the built binaries first on PATH ($BUILD/bin, so `make asan` tests the
# sanitized build), fixes the locale and zone, keeps the caller's PG*
# settings out, makes sanitizer reports fatal, and loads bats-support and
# bats-assert.

REPO_ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BUILD=${BUILD:-build}
case $BUILD in
/*) BIN_DIR=$BUILD/bin ;;
*) BIN_DIR=$REPO_ROOT/$BUILD/bin ;;
esac
PATH=$BIN_DIR:$PATH
export REPO_ROOT BUILD BIN_DIR PATH

export LC_ALL=C TZ=UTC
while read -r v; do unset "$v"; done < <(env | sed -n 's/^\(PG[A-Z_]*\)=.*/\1/p')

# A sanitizer finding must never pass as an expected exit status 1.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=abort_on_error=1:halt_on_error=1:print_stacktrace=1

bats_require_minimum_version 1.5.0

load /usr/lib/bats/bats-support/load
load /usr/lib/bats/bats-assert/load

# The six binaries of the toolkit.
TOOLS="pgcdc-tail cdc-unwrap window-agg interval-join top-n to-parquet-csv"

# fixtures NAME: FIXTURES is tests/fixtures/NAME
fixtures() {
	FIXTURES=$REPO_ROOT/tests/fixtures/$1
}

# diff_expected FILE: compare $output with FILE, showing a unified diff.
diff_expected() {
	local want=$1
	if ! diff -u "$want" <(printf '%s\n' "$output") >&2; then
		echo "output differs from $want" >&2
		return 1
	fi
}
