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
unset "${!PG@}"

# A sanitizer finding must never pass as an expected exit status 1.
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=1:halt_on_error=1
export UBSAN_OPTIONS=abort_on_error=1:halt_on_error=1:print_stacktrace=1

bats_require_minimum_version 1.5.0

# bats-support, then bats-assert: their load.bash forks a dirname for each
# of their 15 files, in every test; the files only define functions.
for _f in /usr/lib/bats/bats-support/src/*.bash \
    /usr/lib/bats/bats-assert/src/*.bash; do
	# shellcheck disable=SC1090
	source "$_f"
done
unset _f

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

# wait_until [-t SECONDS] COMMAND [ARG...]: run COMMAND every 50 ms until it
# succeeds; fail with a message naming it after SECONDS (default 120). Tests
# wait for a condition, never for a fixed time: the generous default holds
# on a machine whose cores other processes share.
#   wait_until grep -q '"note":"after"' "$BATS_TEST_TMPDIR/out"
wait_until() {
	local limit=120 start=$SECONDS
	if [[ $1 == -t ]]; then
		limit=$2
		shift 2
	fi
	until "$@"; do
		if ((SECONDS - start >= limit)); then
			printf 'wait_until: still false after %s s: %s\n' \
			    "$limit" "$*" >&2
			return 1
		fi
		sleep 0.05
	done
}

# pipe_drained FD: true when nothing written to the pipe or FIFO open on
# file descriptor FD is still waiting to be read: the reader has taken it.
#   exec 4>"$T/in"; echo '{"t":0}' >&4; wait_until pipe_drained 4
pipe_drained() {
	[[ $(python3 -c 'import fcntl, struct, sys, termios
n = fcntl.ioctl(int(sys.argv[1]), termios.FIONREAD, b"\0\0\0\0")
print(struct.unpack("i", n)[0])' "$1") == 0 ]]
}

# lines_at_least N FILE: FILE has at least N lines.
lines_at_least() {
	[[ -f $2 && $(wc -l <"$2") -ge $1 ]]
}

# restate FILE: give state FILE (its lines edited) the header statefile.c
# would write for them: their count, bytes and CRC-32C.
restate() {
	python3 - "$1" <<'EOF'
import json, sys
p = sys.argv[1]
data = open(p, 'rb').read()
head, body = data.split(b'\n', 1)
tab = []
for i in range(256):
    c = i
    for _ in range(8):
        c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
    tab.append(c)
c = 0xFFFFFFFF
for b in body:
    c = tab[(c ^ b) & 0xFF] ^ (c >> 8)
h = json.loads(head)
h.update(lines=body.count(b'\n'), bytes=len(body), crc32c='%08x' % (c ^ 0xFFFFFFFF))
open(p, 'wb').write(json.dumps(h, separators=(',', ':')).encode() + b'\n' + body)
EOF
}
