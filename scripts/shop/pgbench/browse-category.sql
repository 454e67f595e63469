-- browse-category.sql: a shopper opens a category page (traffic weight 5%).
\set uid random(1, :users)
\set cid random(1, :categories)
\set src random(1, 10)
INSERT INTO clicks (user_id, category_id, source)
VALUES (:uid, :cid, (ARRAY['direct', 'direct', 'direct', 'google_ads',
	'google_ads', 'tiktok_ads', 'facebook_post', 'instagram_story',
	'newsletter', 'newsletter'])[:src]);
