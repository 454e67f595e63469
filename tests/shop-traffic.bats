#!/usr/bin/env bats
# scripts/shop/traffic against a real PostgreSQL 15: live pgbench traffic
# fills every table in the documented mix, the back-fill spreads over its
# days, and what either writes is consistent (prices, totals, payments,
# shipments, a click before every checkout), checked by SQL.

load helpers/common
load helpers/pg

setup_file() {
	pg_setup_file
	export BATS_NO_PARALLELIZE_WITHIN_FILE=true
}

teardown_file() {
	pg_teardown_file
}

setup() {
	TRAFFIC=$REPO_ROOT/scripts/shop/traffic
	# every test starts from a freshly seeded shop
	psql_q "\i $REPO_ROOT/scripts/shop/schema.sql" >/dev/null
	"$REPO_ROOT/scripts/shop/seed" --categories 8 --products 60 --users 50
}

# consistent: every rule the generator keeps, as "rule|violations" lines
# that must all end in 0.  PRICES: also check sales against the product's
# price where the product has not changed since (no price history here).
consistent() {
	psql_q "
	SELECT 'sale = quantity * unit price', count(*) FROM sales s
	WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.order_id = s.order_id
		AND i.product_id = s.product_id
		AND s.total_price = s.quantity * i.unit_price)
	UNION ALL
	SELECT 'sale = quantity * price of an unchanged product', count(*)
	FROM sales s JOIN products p USING (product_id)
	WHERE p.updated_at < s.sale_ts AND s.total_price <> s.quantity * p.price
	UNION ALL
	SELECT 'order total = its lines', count(*) FROM orders o
	WHERE total IS DISTINCT FROM (SELECT sum(quantity * unit_price)
		FROM order_items i WHERE i.order_id = o.order_id)
	UNION ALL
	SELECT 'one payment of the total', count(*) FROM orders o
	WHERE (SELECT count(*) FROM payments p WHERE p.order_id = o.order_id
		AND p.amount = o.total AND p.user_id = o.user_id) <> 1
	UNION ALL
	SELECT 'failure reason iff failed', count(*) FROM payments
	WHERE (status = 'failed') <> (failure_reason IS NOT NULL)
	   OR status NOT IN ('succeeded', 'failed')
	UNION ALL
	SELECT 'paid: shipment and sales; failed: neither', count(*)
	FROM orders o JOIN payments p USING (order_id)
	WHERE (SELECT count(*) FROM shipments s WHERE s.order_id = o.order_id)
		<> CASE WHEN p.status = 'succeeded' THEN 1 ELSE 0 END
	   OR (SELECT count(*) FROM sales s WHERE s.order_id = o.order_id)
		<> CASE WHEN p.status = 'succeeded'
		   THEN (SELECT count(*) FROM order_items i WHERE i.order_id = o.order_id)
		   ELSE 0 END
	UNION ALL
	SELECT 'a checkout per line, with the payment', count(*)
	FROM order_items i JOIN payments p USING (order_id)
	WHERE NOT EXISTS (SELECT 1 FROM checkouts c WHERE c.order_id = i.order_id
		AND c.product_id = i.product_id AND c.quantity = i.quantity
		AND c.total_price = i.quantity * i.unit_price
		AND c.payment_status = p.status
		AND c.payment_method = p.method
		AND c.failure_reason IS NOT DISTINCT FROM p.failure_reason)
	UNION ALL
	SELECT 'event times agree', count(*)
	FROM orders o JOIN checkouts c USING (order_id)
	LEFT JOIN sales s ON s.order_id = o.order_id
	WHERE c.checkout_ts <> o.order_ts OR s.sale_ts <> o.order_ts
	UNION ALL
	SELECT 'a click in the hour before each checkout', count(*) FROM checkouts c
	WHERE NOT EXISTS (SELECT 1 FROM clicks k WHERE k.user_id = c.user_id
		AND k.click_ts BETWEEN c.checkout_ts - interval '1 hour' AND c.checkout_ts)
	UNION ALL
	SELECT 'order status follows its shipment', count(*)
	FROM orders o LEFT JOIN shipments s USING (order_id)
	WHERE o.status <> coalesce(CASE s.status WHEN 'pending' THEN 'paid'
		ELSE s.status END, 'placed')
	UNION ALL
	SELECT 'shipment times', count(*) FROM shipments s JOIN orders o USING (order_id)
	WHERE (s.status = 'pending') <> (s.shipped_at IS NULL)
	   OR (s.status = 'delivered') <> (s.delivered_at IS NOT NULL)
	   OR s.shipped_at < o.order_ts OR s.delivered_at < s.shipped_at
	   OR s.delivered_at > now()"
}

all_zero() {
	run -0 consistent
	if grep -v '|0$' <<<"$output"; then
		echo "broken rules above" >&2
		return 1
	fi
	assert_equal "${#lines[@]}" 11
}

@test "traffic: 3 s at a modest rate fills every table, and the rate holds" {
	run -0 --separate-stderr "$TRAFFIC" --seconds 3 --rate 40 --seed 11
	assert_equal "$stderr" ''
	# "traffic: 121 transactions in 3 s, 40.3 tps, 2 clients"
	[[ $output =~ ^traffic:\ ([0-9]+)\ transactions\ in\ 3\ s,\ ([0-9.]+)\ tps,\ 2\ clients$ ]]
	n=${BASH_REMATCH[1]}
	[ "$n" -ge 90 ] && [ "$n" -le 150 ]
	for t in clicks carts wishlists orders order_items payments shipments sales checkouts; do
		run -0 psql_q "SELECT count(*) > 0 FROM $t"
		assert_output --partial t
	done
	all_zero
}

# One client and a seed make the run repeatable: the same transactions in
# the same order, however many the machine manages in 3 s.  Seed 6 has done
# every rare action within its first 300.
@test "traffic --rate max: the mix follows the weights, every action happens, the rows agree" {
	before=$(psql_q "SELECT now()")
	run -0 "$TRAFFIC" --seconds 3 --rate max --clients 1 --seed 6
	[[ $output =~ ^traffic:\ ([0-9]+)\ transactions ]]
	[ "${BASH_REMATCH[1]}" -ge 300 ]
	# views 40%, cart 20%, wishlist 15%, browse 5% (sequences count inserts,
	# whatever was deleted since; an order's own click is not a view)
	read -r views browse carts wishes removed <<<"$(psql_q "SELECT
		count(*) FILTER (WHERE product_id IS NOT NULL AND NOT EXISTS (
			SELECT 1 FROM orders o WHERE o.user_id = k.user_id
			AND o.order_ts = k.click_ts)),
		count(*) FILTER (WHERE category_id IS NOT NULL),
		(SELECT last_value FROM carts_cart_id_seq),
		(SELECT last_value FROM wishlists_wishlist_id_seq),
		(SELECT last_value FROM carts_cart_id_seq) - (SELECT count(*) FROM carts)
		FROM clicks k" -F ' ')"
	echo "views $views browse $browse carts $carts wishlists $wishes removed $removed" >&2
	# views / carts ~ 2, carts / wishlists ~ 1.33, views / browse ~ 8
	[ $((views * 10 / carts)) -ge 16 ] && [ $((views * 10 / carts)) -le 25 ]
	[ $((carts * 100 / wishes)) -ge 105 ] && [ $((carts * 100 / wishes)) -le 170 ]
	[ $((views / browse)) -ge 5 ] && [ $((views / browse)) -le 12 ]
	[ "$removed" -gt 0 ]
	# the small weights: prices, stock, profiles, shipping, cancellations
	run -0 psql_q "SELECT count(*) > 0 FROM products WHERE updated_at >= '$before'"
	assert_output t
	run -0 psql_q "SELECT count(*) > 0 FROM users WHERE updated_at >= '$before'"
	assert_output t
	# (shipped ones come and go: some were, some got delivered)
	run -0 psql_q "SELECT count(*) FILTER (WHERE shipped_at IS NOT NULL) > 0,
		count(*) FILTER (WHERE status = 'delivered') > 0,
		bool_and(status IN ('pending', 'shipped', 'delivered')) FROM shipments" -F ' '
	assert_output 't t t'
	run -0 psql_q "SELECT (SELECT last_value FROM orders_order_id_seq) > (SELECT count(*) FROM orders)"
	assert_output t
	# failed payments (about 10%, each with a reason), a burst of 6-8 orders
	# by one user at once, orders above 1000
	run -0 psql_q "SELECT round(100.0 * count(*) FILTER (WHERE status = 'failed') / count(*)) BETWEEN 3 AND 20,
		count(DISTINCT failure_reason) FROM payments" -F ' '
	assert_output 't 4'
	run -0 psql_q "SELECT count(*) > 0 FROM (SELECT 1 FROM orders GROUP BY user_id, order_ts HAVING count(*) BETWEEN 6 AND 8) b"
	assert_output t
	run -0 psql_q "SELECT count(*) > 0 FROM orders WHERE total > 1000"
	assert_output t
	all_zero
}

@test "traffic --historical: back-fills the days, old orders delivered, rows agree" {
	run -0 "$TRAFFIC" --historical 10 --seconds 0 --seed 3
	assert_output --regexp '^traffic: back-filled 10 days: 500 orders, [0-9]+ sales, 4500 clicks$'
	# spread over the ten days: every day has orders, none in the last
	# minute (now() has moved on a little since)
	run -0 psql_q "SELECT count(DISTINCT least(9, floor(extract(epoch FROM now() - order_ts) / 86400))),
		min(order_ts) >= now() - interval '10 days 1 minute',
		max(order_ts) <= now() - interval '1 minute' FROM orders" -F ' '
	assert_output '10 t t'
	run -0 psql_q "SELECT count(DISTINCT least(9, floor(extract(epoch FROM now() - click_ts) / 86400))) FROM clicks"
	assert_output 10
	run -0 psql_q "SELECT count(*) FROM carts WHERE added_at < now() - interval '1 day'"
	[ "$output" -gt 0 ]
	# shipped and delivered by age
	run -0 psql_q "SELECT bool_and(s.status = 'delivered') FROM shipments s JOIN orders o USING (order_id)
		WHERE o.order_ts < now() - interval '5 days'"
	assert_output t
	run -0 psql_q "SELECT bool_and(s.status = 'pending') FROM shipments s JOIN orders o USING (order_id)
		WHERE o.order_ts > now() - interval '1 day'"
	assert_output t
	all_zero
	# and live traffic goes on after it
	run -0 "$TRAFFIC" --seconds 1 --rate 20
	all_zero
}

@test "traffic: usage errors exit 2" {
	run -2 "$TRAFFIC" --seconds
	assert_output 'traffic: option "--seconds" needs a value
Try "traffic --help" for more information.'
	run -2 "$TRAFFIC" --seconds 2x
	assert_line -n 0 'traffic: option "--seconds": not an integer of at least 0: "2x"'
	run -2 "$TRAFFIC" --rate fast
	assert_line -n 0 'traffic: option "--rate": not a number or "max": "fast"'
	run -2 "$TRAFFIC" --clients=0
	assert_line -n 0 'traffic: option "--clients": not an integer of at least 1: "0"'
	run -2 "$TRAFFIC" --historical 365
	assert_line -n 0 'traffic: option "--historical": at most 364 days: "365"'
	run -2 "$TRAFFIC" --seed -1
	assert_line -n 0 'traffic: option "--seed": not an integer of at least 0: "-1"'
	run -2 "$TRAFFIC" --seconds 0
	assert_line -n 0 'traffic: nothing to do: --seconds 0 without --historical'
	run -2 "$TRAFFIC" --fast
	assert_line -n 0 'traffic: unknown option "--fast"'
	run -0 "$TRAFFIC" --help
	assert_line -n 0 --partial 'traffic runs shoppers'
}

@test "traffic: a database without the shop is an error, exit 1" {
	psql_q "CREATE DATABASE noshop" >/dev/null
	PGDATABASE=noshop run -1 "$TRAFFIC" --seconds 1
	assert_line 'traffic: no shop in this database: load scripts/shop/schema.sql and run scripts/shop/seed'
	psql_q "DROP DATABASE noshop" >/dev/null
}
