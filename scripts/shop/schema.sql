-- schema.sql: the shop that cdc-pipes' demo and analyses run against.
--
-- One e-commerce schema for every analysis: catalogue (categories,
-- products), customers (users), shopping (clicks, carts, wishlists),
-- ordering (orders, order_items, payments, shipments, checkouts) and the
-- flat sales fact.  Money is numeric, times are timestamptz.
--
-- Every table has REPLICA IDENTITY FULL: updates and deletes then carry the
-- whole old row, so cdc-unwrap can write exact retractions (-U/-D) for the
-- stateful stages without keeping state of its own.  The publication "shop"
-- covers every table.
--
--   psql -v ON_ERROR_STOP=1 -f scripts/shop/schema.sql
--
-- Rerunnable: it drops what it creates first.

SET client_min_messages = warning;

DROP PUBLICATION IF EXISTS shop;
DROP TABLE IF EXISTS checkouts, clicks, shipments, payments, sales,
	order_items, orders, wishlists, carts, products, categories, users
	CASCADE;

CREATE TABLE users (
	user_id           integer PRIMARY KEY,
	username          text NOT NULL,
	email             text NOT NULL,
	registration_date timestamptz NOT NULL,
	last_login        timestamptz,
	address           text,
	city              text,
	gender            text,        -- 'female', 'male', 'other'
	reward_points     integer NOT NULL DEFAULT 0,
	updated_at        timestamptz NOT NULL  -- version time (temporal joins)
);

CREATE TABLE categories (
	category_id integer PRIMARY KEY,
	name        text NOT NULL
);

CREATE TABLE products (
	product_id     integer PRIMARY KEY,
	name           text NOT NULL,
	brand          text NOT NULL,
	category_id    integer NOT NULL REFERENCES categories,
	category       text NOT NULL,   -- the category's name, as the reference
	                                -- architectures carry it on the product
	price          numeric(10,2) NOT NULL,
	cost           numeric(10,2) NOT NULL,
	stock_quantity integer NOT NULL,
	updated_at     timestamptz NOT NULL  -- version time (temporal joins)
);

-- One row per order.  status: placed, shipped, delivered, then rewarded once
-- scripts/shop/cron/reward-points has credited its points.
CREATE TABLE orders (
	order_id bigserial PRIMARY KEY,
	user_id  integer NOT NULL REFERENCES users,
	order_ts timestamptz NOT NULL DEFAULT now(),
	status   text NOT NULL DEFAULT 'placed',
	total    numeric(12,2) NOT NULL
);

CREATE TABLE order_items (
	order_item_id bigserial PRIMARY KEY,
	order_id      bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
	product_id    integer NOT NULL REFERENCES products,
	quantity      integer NOT NULL,
	unit_price    numeric(10,2) NOT NULL
);

-- The flat fact the windowed analyses read: one row per order line.
CREATE TABLE sales (
	sale_id     bigserial PRIMARY KEY,
	order_id    bigint REFERENCES orders ON DELETE CASCADE,
	user_id     integer NOT NULL REFERENCES users,
	product_id  integer NOT NULL REFERENCES products,
	sale_ts     timestamptz NOT NULL DEFAULT now(),
	quantity    integer NOT NULL,
	total_price numeric(12,2) NOT NULL
);

CREATE TABLE carts (
	cart_id    bigserial PRIMARY KEY,
	user_id    integer NOT NULL REFERENCES users,
	product_id integer NOT NULL REFERENCES products,
	quantity   integer NOT NULL,
	added_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE wishlists (
	wishlist_id bigserial PRIMARY KEY,
	user_id     integer NOT NULL REFERENCES users,
	product_id  integer NOT NULL REFERENCES products,
	added_at    timestamptz NOT NULL DEFAULT now()
);

-- status: succeeded or failed (then failure_reason says why).
CREATE TABLE payments (
	payment_id     bigserial PRIMARY KEY,
	order_id       bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
	user_id        integer NOT NULL REFERENCES users,
	amount         numeric(12,2) NOT NULL,
	method         text NOT NULL,   -- card, paypal, bank_transfer, gift_card
	status         text NOT NULL,
	failure_reason text,            -- insufficient_funds, card_expired, ...
	paid_at        timestamptz NOT NULL DEFAULT now()
);

-- status: pending, shipped, delivered.
CREATE TABLE shipments (
	shipment_id  bigserial PRIMARY KEY,
	order_id     bigint NOT NULL REFERENCES orders ON DELETE CASCADE,
	status       text NOT NULL DEFAULT 'pending',
	shipped_at   timestamptz,
	delivered_at timestamptz
);

-- The clickstream: a product view (product_id set) or a category page
-- (category_id set), and where the visit came from.
CREATE TABLE clicks (
	click_id    bigserial PRIMARY KEY,
	user_id     integer NOT NULL REFERENCES users,
	product_id  integer REFERENCES products,
	category_id integer REFERENCES categories,
	source      text NOT NULL,  -- tiktok_ads, google_ads, facebook_post,
	                            -- instagram_story, newsletter, direct
	click_ts    timestamptz NOT NULL DEFAULT now()
);

-- One row per order line as the checkout page saw it, with the payment's
-- outcome: what first-click attribution joins to the clickstream.
CREATE TABLE checkouts (
	checkout_id    bigserial PRIMARY KEY,
	order_id       bigint REFERENCES orders ON DELETE CASCADE,
	user_id        integer NOT NULL REFERENCES users,
	product_id     integer NOT NULL REFERENCES products,
	quantity       integer NOT NULL,
	total_price    numeric(12,2) NOT NULL,
	payment_method text NOT NULL,
	payment_status text NOT NULL,   -- succeeded or failed
	failure_reason text,
	checkout_ts    timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX ON sales (sale_ts);
CREATE INDEX ON orders (user_id);
CREATE INDEX ON carts (user_id);
CREATE INDEX ON clicks (user_id, click_ts);
CREATE INDEX ON shipments (status, delivered_at);

ALTER TABLE users       REPLICA IDENTITY FULL;
ALTER TABLE categories  REPLICA IDENTITY FULL;
ALTER TABLE products    REPLICA IDENTITY FULL;
ALTER TABLE orders      REPLICA IDENTITY FULL;
ALTER TABLE order_items REPLICA IDENTITY FULL;
ALTER TABLE sales       REPLICA IDENTITY FULL;
ALTER TABLE carts       REPLICA IDENTITY FULL;
ALTER TABLE wishlists   REPLICA IDENTITY FULL;
ALTER TABLE payments    REPLICA IDENTITY FULL;
ALTER TABLE shipments   REPLICA IDENTITY FULL;
ALTER TABLE clicks      REPLICA IDENTITY FULL;
ALTER TABLE checkouts   REPLICA IDENTITY FULL;

CREATE PUBLICATION shop FOR TABLE users, categories, products, orders,
	order_items, sales, carts, wishlists, payments, shipments, clicks,
	checkouts;
