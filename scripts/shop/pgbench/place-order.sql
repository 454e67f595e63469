-- place-order.sql: a shopper checks out (traffic weight 10%).
--
-- One transaction: the order, 1-3 order lines, the payment (failing one
-- time in ten, with a reason), and for a paid order its shipment and one
-- sales row per line; one checkouts row per line either way.  Prices are
-- the products' current prices, so sales.total_price is quantity * price.
-- Only products under 100 are bought by two or three: about one order in
-- forty is above 1000.
--
-- The first line is the product the shopper viewed last within the hour; a
-- shopper with no click in that hour arrives from an ad first (a click in
-- the same transaction), so first-click attribution finds a click before
-- every checkout.  Two orders in a hundred are a burst: 6-8 one-line orders
-- by the same shopper at once, what the fraud rule (more than 5 orders a
-- minute) is there to catch.
\set uid random(1, :users)
\set burst random(1, 100)
\if :burst <= 2
\set orders random(6, 8)
\set lines 1
\else
\set orders 1
\set l random(1, 100)
\set lines case when :l <= 55 then 1 when :l <= 85 then 2 else 3 end
\endif
\set src random(1, 4)
\set rs random(0, 999999999)
BEGIN;
-- setseed: the draws of SQL's random() below follow pgbench's, so that the
-- traffic is repeatable with --seed
SELECT setseed(:rs / 1000000000.0) AS seeded, coalesce((SELECT product_id FROM clicks
	WHERE user_id = :uid AND product_id IS NOT NULL
	  AND click_ts > now() - interval '1 hour'
	ORDER BY click_ts DESC LIMIT 1), 0) AS viewed \gset
\if :viewed = 0
\set viewed random(1, :products)
INSERT INTO clicks (user_id, product_id, source)
VALUES (:uid, :viewed, (ARRAY['google_ads', 'tiktok_ads', 'facebook_post',
	'instagram_story'])[:src]);
\endif
-- random() in a select list runs once per row; MATERIALIZED so that every
-- insert below reads the same draw
WITH draw AS MATERIALIZED (
	SELECT k, nextval(pg_get_serial_sequence('orders', 'order_id')) AS order_id,
	       random() AS r, random() AS m, random() AS f
	FROM generate_series(1, :orders) AS k
), ord AS MATERIALIZED (
	SELECT k, order_id, r >= 0.1 AS paid,
	       (ARRAY['card', 'card', 'card', 'paypal', 'paypal',
		'bank_transfer', 'gift_card'])[1 + floor(m * 7)::int] AS method,
	       CASE WHEN r < 0.1 THEN (ARRAY['insufficient_funds',
		'card_expired', 'fraud_suspected', 'bank_declined'])
		[1 + floor(f * 4)::int] END AS reason
	FROM draw
), pick AS MATERIALIZED (
	SELECT o.*, CASE WHEN o.k = 1 AND j = 1 THEN :viewed
		ELSE 1 + floor(random() * :products)::int END AS product_id,
	       random() AS q
	FROM ord AS o, generate_series(1, :lines) AS j
), line AS MATERIALIZED (
	SELECT pick.order_id, pick.paid, pick.method, pick.reason, p.product_id,
	       CASE WHEN p.price >= 100 OR q < 0.6 THEN 1 WHEN q < 0.9 THEN 2
		ELSE 3 END AS qty,
	       p.price
	FROM pick JOIN products AS p USING (product_id)
), o AS (
	INSERT INTO orders (order_id, user_id, status, total)
	SELECT order_id, :uid, CASE WHEN paid THEN 'paid' ELSE 'placed' END,
	       sum(qty * price)
	FROM line GROUP BY order_id, paid
), oi AS (
	INSERT INTO order_items (order_id, product_id, quantity, unit_price)
	SELECT order_id, product_id, qty, price FROM line
), pay AS (
	INSERT INTO payments (order_id, user_id, amount, method, status,
		failure_reason)
	SELECT order_id, :uid, sum(qty * price), method,
	       CASE WHEN paid THEN 'succeeded' ELSE 'failed' END, reason
	FROM line GROUP BY order_id, paid, method, reason
), sh AS (
	INSERT INTO shipments (order_id) SELECT order_id FROM ord WHERE paid
), sa AS (
	INSERT INTO sales (order_id, user_id, product_id, quantity, total_price)
	SELECT order_id, :uid, product_id, qty, qty * price FROM line WHERE paid
)
INSERT INTO checkouts (order_id, user_id, product_id, quantity, total_price,
	payment_method, payment_status, failure_reason)
SELECT order_id, :uid, product_id, qty, qty * price, method,
       CASE WHEN paid THEN 'succeeded' ELSE 'failed' END, reason
FROM line;
COMMIT;
