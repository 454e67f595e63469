-- cancel-order.sql: a shopper cancels one of the five latest orders, if it
-- was placed in the last five minutes and is not shipped yet (small traffic
-- weight).  The DELETE cascades to its lines, sales, payment, shipment and
-- checkouts: the retractions the windowed analyses must get right.
--
-- The order's row is locked first, skipping locked ones as ship-orders.sql
-- does, so a cancellation and a shipment never wait for each other.
\set k random(0, 4)
DELETE FROM orders
WHERE order_id = (
	SELECT order_id FROM orders
	WHERE order_id IN (SELECT order_id FROM orders
		ORDER BY order_id DESC LIMIT 5 OFFSET :k)
	  AND order_ts > now() - interval '5 minutes'
	  AND status IN ('placed', 'paid')
	LIMIT 1
	FOR UPDATE SKIP LOCKED);
