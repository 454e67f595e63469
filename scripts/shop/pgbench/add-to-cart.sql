-- add-to-cart.sql: a shopper puts a product in the cart (traffic weight 20%).
\set uid random(1, :users)
\set pid random(1, :products)
\set qty random(1, 3)
INSERT INTO carts (user_id, product_id, quantity) VALUES (:uid, :pid, :qty);
