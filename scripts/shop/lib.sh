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

# shop_ms DURATION: DURATION (500ms, 15s, 1m, 1h30m, 1d: as the tools take
# them) in milliseconds on standard output; status 1 when it is not one.
shop_ms() {
	local d=$1 ms=0 n
	[[ $d =~ ^([0-9]{1,9}(ms|s|m|h|d))+$ ]] || return 1
	while [[ $d =~ ^([0-9]+)(ms|s|m|h|d)(.*)$ ]]; do
		n=$((10#${BASH_REMATCH[1]}))
		case ${BASH_REMATCH[2]} in
		s) n=$((n * 1000)) ;;
		m) n=$((n * 60000)) ;;
		h) n=$((n * 3600000)) ;;
		d) n=$((n * 86400000)) ;;
		esac
		ms=$((ms + n)) d=${BASH_REMATCH[3]}
	done
	printf '%s\n' "$ms"
}

# shop_rows JQ: a jq stage for rows that keeps the control lines.  Each
# line that is not a control line ({"__watermark":...}, {"__checkpoint":...},
# {"__restore":...}, {"__committed":...}: cdc-pipes writes the name first)
# goes through JQ, a jq filter given the raw line as a string, which prints
# zero or more lines; control lines are copied byte for byte.
shop_rows() {
	jq -Rr --unbuffered 'if (startswith("{\"__watermark\":") or
	    startswith("{\"__checkpoint\":") or
	    startswith("{\"__restore\":") or
	    startswith("{\"__committed\":")) and
	    (fromjson? | type == "object")
	then . else '"$1"' end'
}

# shop_inserts: the inserts of cdc-unwrap -a op (its fields come last, so an
# insert's line ends in ,"__op":"c"}) and the control lines, by grep(1): a
# fraction of a jq stage's cost.  No line at all is no error.
shop_inserts() {
	grep --line-buffered -E \
	    '^\{"__(watermark|checkpoint|restore|committed)":|,"__op":"c"\}$' ||
	    [ $? -eq 1 ]
}
