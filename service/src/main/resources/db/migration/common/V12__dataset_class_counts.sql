-- Images per class for image datasets (IDX and zips of class folders), counted at upload and shown
-- with the class names; null for tables and for image datasets uploaded before this version.
alter table datasets add column class_counts_json varchar(100000);
