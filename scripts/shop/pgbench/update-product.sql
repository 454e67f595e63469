-- update-product.sql: the shop changes a price (up or down by up to 10%,
-- never under the cost) or restocks a product (small traffic weight).
-- updated_at is the version time the temporal joins of the analyses use.
\set pid random(1, :products)
\set what random(1, 2)
\set pct random(-10, 10)
\set add random(10, 99)
\if :what = 1
UPDATE products
SET price = greatest(round(price * (100 + :pct) / 100, 2), cost),
    updated_at = now()
WHERE product_id = :pid;
\else
UPDATE products
SET stock_quantity = stock_quantity + :add, updated_at = now()
WHERE product_id = :pid;
\endif
