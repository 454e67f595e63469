#!/usr/bin/env bats
# The shop's analyses 1-6 (scripts/shop/sales-per-product, active-users,
# top-products, top-users, fraud-alerts, revenue-windows,
# product-performance) on hand-made change events, no server needed: live
# input (a result comes before the end of input, once a watermark passes its
# window, and not before), corrections that move revenue-windows' changes,
# fraud alerts POSTed to a webhook, usage errors.  Their results on a real
# PostgreSQL stream, against PostgreSQL as the oracle, are in
# tests/shop-analyses-oracle.bats.

load helpers/common

setup() {
	SHOP=$REPO_ROOT/scripts/shop
	W=$BATS_TEST_TMPDIR
	live_pid='' hook_pid=''
}

teardown() {
	if [[ -n $live_pid ]]; then
		exec 4>&- || true
		kill "$live_pid" 2>/dev/null || true
	fi
	[[ -z $hook_pid ]] || kill "$hook_pid" 2>/dev/null || true
}

# event TABLE LSN COMMIT-MS ROW [OP]: a change event of an insert (c) or a
# delete (d) of ROW, as pgcdc-tail writes it
event() {
	local before=null after=$4
	if [[ ${5:-c} == d ]]; then
		before=$4 after=null
	fi
	printf '{"before":%s,"after":%s,"source":{"connector":"postgresql","db":"shop","schema":"public","table":"%s","lsn":%s,"txId":%s,"ts_ms":%s,"ts_us":%s,"snapshot":"false"},"op":"%s","ts_ms":%s}\n' \
	    "$before" "$after" "$1" "$2" "$2" "$3" "$(($3 * 1000))" "${5:-c}" "$3"
}
# sale ID PRODUCT TIME PRICE [COMMIT-MS [OP]]: a sale of order ID by user 1
sale() {
	event sales "$1" "${5:-0}" "{\"sale_id\":$1,\"order_id\":$1,\"user_id\":1,\"product_id\":$2,\"sale_ts\":\"2027-01-01T$3Z\",\"quantity\":1,\"total_price\":$4}" "${6:-c}"
}
# order ID USER TIME TOTAL
order() {
	event orders "$1" 0 "{\"order_id\":$1,\"user_id\":$2,\"order_ts\":\"2027-01-01T$3Z\",\"status\":\"placed\",\"total\":$4}"
}

# live_start NAME [OPTION...]: the analysis reading FIFO $W/in (written
# through fd 4: live_send), writing $W/live.out; live_end closes the input.
live_start() {
	local name=$1
	shift
	rm -f "$W/in"
	mkfifo "$W/in"
	"$SHOP/$name" "$@" <"$W/in" >"$W/live.out" 2>"$W/live.err" 3>&- &
	live_pid=$!
	exec 4>"$W/in"
}
live_send() {
	printf '%s\n' "$@" >&4
}
# live_wait N: wait until the output has N lines
live_wait() {
	wait_until lines_at_least "$1" "$W/live.out" && return 0
	echo "no $1 lines of output before the end of input:" >&2
	cat "$W/live.out" "$W/live.err" >&2
	return 1
}
live_end() {
	exec 4>&-
	wait "$live_pid"
	live_pid=
}

@test "live: a window is written as soon as a watermark passes its end plus the delay" {
	live_start sales-per-product
	live_send "$(sale 1 1 10:00:10 10.00)" "$(sale 2 2 10:00:40 5.00)" \
	    '{"__watermark":"2027-01-01T10:01:04.999Z"}'
	# the watermark less 5 s is still inside the window
	sleep 0.5
	[ ! -s "$W/live.out" ]
	live_send '{"__watermark":"2027-01-01T10:01:05.000Z"}'
	live_wait 2
	live_send "$(sale 3 1 10:01:30 1.00)"
	live_end
	run -0 cut -d, -f3,4 "$W/live.out"
	assert_output '"product_id":1,"revenue":10.00
"product_id":2,"revenue":5.00
"product_id":1,"revenue":1.00'
	[ ! -s "$W/live.err" ]
}

@test "live: a quiet input closes the last window by the wall clock (--idle-timeout)" {
	# no watermark line after the sale: once the input has been quiet for
	# 1 s, the watermark moves from 10:00:59.5 less 1 s with the clock
	live_start sales-per-product --watermark-delay 1s --idle-timeout 1s
	live_send "$(sale 1 1 10:00:59.5 10.00)"
	live_wait 1
	live_end
	run -0 cut -d, -f3,4 "$W/live.out"
	assert_output '"product_id":1,"revenue":10.00'
}

@test "live: revenue-windows and active-users write a minute before the end of input" {
	live_start revenue-windows --watermark-delay 1s
	live_send "$(sale 1 1 10:00:10 10.00)" '{"__watermark":"2027-01-01T10:01:01Z"}'
	live_wait 1
	live_end
	run -0 cut -d, -f3-5 "$W/live.out"
	assert_output '"revenue":10.00,"orders":1,"avg_order_value":10.00'
	live_start active-users
	live_send "$(event clicks 1 0 '{"click_id":1,"user_id":4,"product_id":1,"category_id":null,"source":"direct","click_ts":"2027-01-01T10:00:10Z"}')" \
	    "$(event carts 2 0 '{"cart_id":1,"user_id":5,"product_id":1,"quantity":1,"added_at":"2027-01-01T10:00:20Z"}')" \
	    '{"__watermark":"2027-01-01T10:01:05Z"}'
	live_wait 1
	live_end
	run -0 cut -d, -f3- "$W/live.out"
	assert_output '"active_users":2,"actions":2}'
}

@test "live: fraud alerts and ranking changes come with the order, before any watermark" {
	live_start fraud-alerts
	live_send "$(order 1 3 10:00:10 1000.50)"
	live_wait 1
	live_end
	run -0 jq -r .alert "$W/live.out"
	assert_output large_order
	live_start top-products
	live_send "$(sale 1 7 10:00:10 10.00)"
	live_wait 1
	live_end
	run -0 cut -d, -f1,4,5,7 "$W/live.out"
	assert_output '{"__kind":"+I","product_id":7,"units":1,"rank":1}'
}

@test "live: product-performance passes a sale once the products' watermark is past it" {
	live_start product-performance
	# commit times: the product at 1000 ms, the sale at 2000 ms; with the
	# 5 s delay the join decides the sale once the watermark is past 7 s
	# (a version at 2000 ms could still come at 7 s)
	live_send "$(event products 1 1000 '{"product_id":7,"name":"Ultra 7","category":"toys"}')" \
	    "$(sale 2 7 10:00:10 10.00 2000)" \
	    '{"__watermark":"1970-01-01T00:00:07.000Z"}'
	sleep 0.5
	[ ! -s "$W/live.out" ]
	live_send '{"__watermark":"1970-01-01T00:00:07.001Z"}'
	live_wait 3
	live_end
	run -0 bash -c 'jq -r "[.report, .category, .rank] | @tsv" "$1" | sort' _ "$W/live.out"
	assert_output "$(printf '%s\t%s\t%s\n' top_units toys 1 top_revenue toys 1 \
	    category toys '' | sort)"
}

@test "revenue-windows: a corrected minute writes the next one again" {
	# both sales of 10:01 cancelled after 10:02 was written
	run -0 "$SHOP/revenue-windows" < <(
		sale 1 1 10:00:10 10.00
		sale 2 1 10:01:10 0.01
		sale 3 1 10:01:20 0.02
		sale 4 1 10:02:10 5.00
		sale 5 1 10:02:20 1.00
		sale 5 1 10:03:10 1.00
		sale 2 1 10:01:10 0.01 0 d
		sale 3 1 10:01:20 0.02 0 d)
	local w='"window_start":"2027-01-01T10:0%d:00.000Z","window_end":"2027-01-01T10:0%d:00.000Z"'
	local r='"revenue":%s,"orders":%s,"avg_order_value":%s,"revenue_change":%s,"revenue_change_pct":%s'
	# 10:01 gone: 10:02 then counts against a minute without sales (0)
	assert_output "$(printf "{$w,$r}\n" \
	    0 1 10.00 1 10.00 null null \
	    1 2 0.03 2 0.02 -9.97 -99.70 \
	    2 3 6.00 2 3.00 5.97 19900.00 \
	    1 2 0.02 1 0.02 -9.98 -99.80 \
	    2 3 6.00 2 3.00 5.98 29900.00)
{\"__kind\":\"-D\",$(printf "$w" 1 2),\"revenue\":0.02,\"orders\":1}
$(printf "{$w,$r}\n" \
	    2 3 6.00 2 3.00 6.00 null \
	    3 4 1.00 1 1.00 -5.00 -83.33)"
}

@test "fraud-alerts --webhook: each alert printed and POSTed as JSON" {
	# a listener that appends "content-type body" of each POST to a file
	cat >"$W/hook.py" <<'PY'
import http.server, os, sys
class Hook(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers['Content-Length']))
        with open(sys.argv[2], 'ab') as f:
            f.write(self.headers['Content-Type'].encode() + b' ' + body + b'\n')
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
server = http.server.HTTPServer(('127.0.0.1', 0), Hook)
with open(sys.argv[1] + '.tmp', 'w') as f:
    f.write(str(server.server_port))
os.rename(sys.argv[1] + '.tmp', sys.argv[1])
server.serve_forever()
PY
	python3 "$W/hook.py" "$W/port" "$W/posts" 3>&- &
	hook_pid=$!
	wait_until test -s "$W/port"
	{
		for i in 1 2 3 4 5 6; do
			order "$i" 7 10:00:10 10.00
		done
		order 7 8 10:00:20 1000.00
		order 8 8 10:00:30 4321.09
	} >"$W/orders.ndjson"
	run -0 --separate-stderr "$SHOP/fraud-alerts" \
	    --webhook "http://127.0.0.1:$(<"$W/port")/fraud" <"$W/orders.ndjson"
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 2
	assert_line '{"alert":"too_many_orders","window_start":"2027-01-01T10:00:00.000Z","window_end":"2027-01-01T10:01:00.000Z","user_id":7,"orders":6,"max_orders":5}'
	assert_line '{"alert":"large_order","order_id":8,"user_id":8,"order_ts":"2027-01-01T10:00:30Z","total":4321.09,"threshold":1000}'
	# every printed alert was POSTed, body for body
	printf 'application/json %s\n' "${lines[@]}" | sort >"$W/printed"
	run -0 sort "$W/posts"
	assert_output "$(<"$W/printed")"
	# a webhook that is down: reported, the alerts still printed
	kill "$hook_pid"
	wait "$hook_pid" || true
	hook_pid=
	run -0 --separate-stderr "$SHOP/fraud-alerts" \
	    --webhook "http://127.0.0.1:$(<"$W/port")/fraud" <"$W/orders.ndjson"
	assert_equal "${#lines[@]}" 2
	[[ $stderr == *'fraud-alerts: webhook "http://127.0.0.1:'*'/fraud": alert not delivered'* ]]
}

@test "usage: --help, unknown options and bad values" {
	local a
	for a in sales-per-product active-users top-products top-users \
	    fraud-alerts revenue-windows product-performance; do
		run -0 "$SHOP/$a" --help
		assert_line --index 0 --partial "$a "
		assert_output --partial 'usage:'
		run -2 --separate-stderr "$SHOP/$a" --nope
		assert_equal "$stderr" "$a: unknown option \"--nope\"
Try \"$a --help\" for more information."
	done
	run -2 --separate-stderr "$SHOP/top-users" --watermark-delay 5
	assert_equal "$stderr" "top-users: option \"--watermark-delay\": not a duration (e.g. 5s, 10m): \"5\"
Try \"top-users --help\" for more information."
	run -2 "$SHOP/top-products" --top 0
	run -2 "$SHOP/fraud-alerts" --threshold 1e3
	run -2 "$SHOP/fraud-alerts" --max-orders -1
	run -2 "$SHOP/fraud-alerts" --webhook
	run -2 "$SHOP/product-performance" --window=1
	run -2 "$SHOP/revenue-windows" --allowed-lateness 10
}
