-- add-to-wishlist.sql: a shopper wishes for a product (traffic weight 15%).
\set uid random(1, :users)
\set pid random(1, :products)
INSERT INTO wishlists (user_id, product_id) VALUES (:uid, :pid);
