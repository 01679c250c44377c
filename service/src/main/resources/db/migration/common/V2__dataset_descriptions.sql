-- What each dataset holds (columns with types, missing counts and distinct values; image shape and
-- labels), made at upload so a job is checked without reading the data. Null for datasets uploaded
-- before this version: the service describes those once, on first use.
alter table datasets add column description_json varchar(10000000);
