-- A file may list thousands of columns that feed nothing: only the first names are kept, with how many there were.
alter table imports add column ignored_column_count integer not null default 0;
update imports set ignored_column_count = cardinality(ignored_columns);
