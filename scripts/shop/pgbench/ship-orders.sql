-- ship-orders.sql: the warehouse at work (small traffic weight): half of
-- the time it ships the five oldest pending shipments, else it delivers
-- the five oldest shipped ones, keeping orders.status in step
-- (paid -> shipped -> delivered).
--
-- Orders are locked first, skipping locked ones as cancel-order.sql does,
-- so a cancellation and a shipment never wait for each other.
\set what random(1, 2)
\if :what = 1
WITH o AS (
	SELECT o.order_id FROM shipments AS s JOIN orders AS o USING (order_id)
	WHERE s.status = 'pending'
	ORDER BY s.shipment_id LIMIT 5
	FOR UPDATE OF o SKIP LOCKED
), s AS (
	UPDATE shipments SET status = 'shipped', shipped_at = now()
	FROM o WHERE shipments.order_id = o.order_id
	  AND shipments.status = 'pending'
	RETURNING shipments.order_id
)
UPDATE orders SET status = 'shipped' FROM s WHERE orders.order_id = s.order_id;
\else
WITH o AS (
	SELECT o.order_id FROM shipments AS s JOIN orders AS o USING (order_id)
	WHERE s.status = 'shipped'
	ORDER BY s.shipment_id LIMIT 5
	FOR UPDATE OF o SKIP LOCKED
), s AS (
	UPDATE shipments SET status = 'delivered', delivered_at = now()
	FROM o WHERE shipments.order_id = o.order_id
	  AND shipments.status = 'shipped'
	RETURNING shipments.order_id
)
UPDATE orders SET status = 'delivered' FROM s WHERE orders.order_id = s.order_id;
\endif
