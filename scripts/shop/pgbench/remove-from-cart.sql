-- remove-from-cart.sql: a shopper takes the oldest item out of the cart, if
-- the cart holds any (traffic weight 10%).
\set uid random(1, :users)
DELETE FROM carts
WHERE cart_id = (SELECT cart_id FROM carts WHERE user_id = :uid
	ORDER BY cart_id LIMIT 1);
