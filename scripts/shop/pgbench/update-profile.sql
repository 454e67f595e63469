-- update-profile.sql: a shopper logs in, and one time in three also moves
-- (new city and address) (small traffic weight).  updated_at is the
-- version time the temporal joins of the analyses use.
\set uid random(1, :users)
\set moves random(1, 3)
\set city random(1, 10)
\set street random(1, 999)
\if :moves = 1
UPDATE users
SET city = (ARRAY['Berlin', 'Paris', 'Madrid', 'Rome', 'Vienna', 'Warsaw',
	'Lisbon', 'Prague', 'Dublin', 'Oslo'])[:city],
    address = :street || ' Main St', last_login = now(), updated_at = now()
WHERE user_id = :uid;
\else
UPDATE users SET last_login = now(), updated_at = now() WHERE user_id = :uid;
\endif
