-- scd2.sql: the SCD Type 2 history of products (or users) from the lake that
-- scripts/shop/lake writes: one row per version of each row, with the time
-- it was valid from and to.  DuckDB, one query:
--
--   scripts/duckdb-query "SET VARIABLE lake = 'demo-out/lake';
--       $(cat scripts/shop/scd2.sql)"
--   scripts/duckdb-query "SET VARIABLE lake = 'demo-out/lake';
--       SET VARIABLE lake_table = 'users'; $(cat scripts/shop/scd2.sql)"
--
-- Variables: lake, the lake directory (default demo-out/lake); lake_table,
-- the table (default products; any table of the lake works); lake_key, its
-- key column (default the shop's own, as in lake-latest.sql).
--
-- The versions of a row are its +I and +U rows in commit order (__lsn); -U
-- rows are old images, and a -D closes the last version without being one.
-- A version is valid from its commit time (__source_ts_ms) to the commit
-- time of the next change of its key (the next version or the delete),
-- null while it is the current one; is_current says so.  A key inserted
-- again after a delete starts a new version.  Columns: the table's (without
-- the changelog's and the partitions'), then version (1, 2, ... per key),
-- valid_from, valid_to, is_current; rows by key, then version.
WITH changes AS (
	SELECT *, COLUMNS(c -> c = coalesce(getvariable('lake_key'),
		CASE coalesce(getvariable('lake_table'), 'products')
		WHEN 'categories' THEN 'category_id'
		WHEN 'order_items' THEN 'order_item_id'
		ELSE regexp_replace(coalesce(getvariable('lake_table'),
			'products'), 's$', '') || '_id' END)) AS __key,
		epoch_ms(__source_ts_ms) AS valid_from
	FROM read_parquet(coalesce(getvariable('lake'), 'demo-out/lake') ||
		'/table=' || coalesce(getvariable('lake_table'), 'products') ||
		'/**/*.parquet', hive_partitioning = true, union_by_name = true)
	WHERE __kind <> '-U'
), versions AS (
	SELECT *, lead(valid_from) OVER (PARTITION BY __key ORDER BY __lsn)
		AS valid_to
	FROM changes
)
SELECT * EXCLUDE (__kind, __lsn, __op, __source_ts_ms, "table", date, __key,
		valid_from, valid_to),
	row_number() OVER (PARTITION BY __key ORDER BY __lsn) AS version,
	valid_from, valid_to, valid_to IS NULL AS is_current
FROM versions
WHERE __kind <> '-D'
ORDER BY __key, version;
