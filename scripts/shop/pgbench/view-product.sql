-- view-product.sql: a shopper looks at a product page (traffic weight 40%).
-- Where the visit came from is what first-click attribution credits: paid
-- sources (ads, social posts) half of the time.
\set uid random(1, :users)
\set pid random(1, :products)
\set src random(1, 10)
INSERT INTO clicks (user_id, product_id, source)
VALUES (:uid, :pid, (ARRAY['direct', 'direct', 'direct', 'google_ads',
	'google_ads', 'tiktok_ads', 'facebook_post', 'instagram_story',
	'newsletter', 'newsletter'])[:src]);
