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

# jq definitions for the jq stages of the shop scripts.
#   shop_tshift($ms): an RFC 3339 UTC time ("...Z") moved by $ms
#   milliseconds, written as the tools write times, with milliseconds
#   (digits below them dropped: an earlier time); any other value unchanged.
# shellcheck disable=SC2016
shop_jq='
def shop_tshift($ms):
	if type == "string" and
	    test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?Z$")
	then ((.[0:19] + "Z" | fromdate) * 1000
	    + ((((capture("\\.(?<f>[0-9]+)").f) // "") + "000")[0:3] | tonumber)
	    + $ms) as $t
	| ($t / 1000 | floor) as $s
	| ($s | todate)[0:19] + "." + ("00" + ($t - $s * 1000 | tostring))[-3:] + "Z"
	else . end;
'

# shop_delay_watermarks MS [JQ]: the stage right after cdc-unwrap in a shop
# script whose windows follow an event-time column.  pgcdc-tail's watermark
# lines are commit times, but the traffic's event times are now(), the start
# of the transaction, so a row may come after a watermark above its time:
# each {"__watermark":...} line is moved MS milliseconds earlier, as the
# tools' --watermark-delay does with their own watermarks.  Other lines are
# copied byte for byte (jq 1.6 would write 10.50 as 10.5), or go through JQ,
# a jq filter given the raw line as a string, which prints zero or more
# lines.
shop_delay_watermarks() {
	jq -Rr --unbuffered --argjson shop_delay "$1" "$shop_jq"'
	if contains("\"__watermark\"") and
	    (fromjson? | type == "object" and has("__watermark"))
	then fromjson | .__watermark |= shop_tshift(- $shop_delay) | tojson
	else '"${2:-.}"' end'
}
