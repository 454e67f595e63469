-- lake-latest.sql: one table of the lake that scripts/shop/lake writes, as
-- the changes it holds leave it: the latest version of each row, deleted
-- rows gone.  DuckDB, one query:
--
--   scripts/duckdb-query "SET VARIABLE lake = 'demo-out/lake';
--       SET VARIABLE lake_table = 'orders';
--       $(cat scripts/shop/lake-latest.sql)"
--
-- Variables: lake, the lake directory (default demo-out/lake); lake_table,
-- the table (default products); lake_key, its key column (default the shop's
-- own: category_id, order_item_id, else the table's name less its final
-- "s", plus "_id").
--
-- A row's versions are its +I, +U and -D rows, in commit order (__lsn; the
-- -U rows are old images and no version).  The latest one is the row, unless
-- it is a -D.  The columns are the table's, in its order, without the
-- changelog's (__kind, __lsn, __op, __source_ts_ms) and the partitions'
-- (table, date).  A column that was null in every row of some file is stored
-- there as a string, so DuckDB reads the column as VARCHAR (union_by_name):
-- cast it back where a type matters.
SELECT * EXCLUDE (__kind, __lsn, __op, __source_ts_ms, "table", date, __key)
FROM (
	SELECT *, COLUMNS(c -> c = coalesce(getvariable('lake_key'),
		CASE coalesce(getvariable('lake_table'), 'products')
		WHEN 'categories' THEN 'category_id'
		WHEN 'order_items' THEN 'order_item_id'
		ELSE regexp_replace(coalesce(getvariable('lake_table'),
			'products'), 's$', '') || '_id' END)) AS __key
	FROM read_parquet(coalesce(getvariable('lake'), 'demo-out/lake') ||
		'/table=' || coalesce(getvariable('lake_table'), 'products') ||
		'/**/*.parquet', hive_partitioning = true, union_by_name = true)
	WHERE __kind <> '-U'
)
QUALIFY row_number() OVER (PARTITION BY __key ORDER BY __lsn DESC) = 1
	AND __kind <> '-D'
ORDER BY __key;
