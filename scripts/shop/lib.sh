# lib.sh: sourced by the shop scripts (scripts/shop/*): where the tools are,
# and the usage-error convention of the whole project.
#
# The tools come from $CDC_BIN when set, else from this checkout's build tree
# (${BUILD:-build}/bin) when it has been built, else from PATH (an installed
# cdc-pipes).

shop_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
shop_root=$(cd "$shop_dir/../.." && pwd)
if [ -n "${CDC_BIN:-}" ]; then
	PATH=$CDC_BIN:$PATH
elif [ -x "$shop_root/${BUILD:-build}/bin/window-agg" ]; then
	PATH=$shop_root/${BUILD:-build}/bin:$PATH
fi
export PATH

# shop_misuse MESSAGE: a usage error, reported as every tool does; exit 2.
shop_misuse() {
	printf '%s: %s\n' "${prog:?}" "$1" >&2
	printf 'Try "%s --help" for more information.\n' "$prog" >&2
	exit 2
}

# shop_die MESSAGE: a runtime error; exit 1.
shop_die() {
	printf '%s: %s\n' "${prog:?}" "$1" >&2
	exit 1
}
