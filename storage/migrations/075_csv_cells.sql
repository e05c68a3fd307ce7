-- The contact export is written by PostgreSQL (storage/contact-export.ts), so its cell rules are here too: a cell
-- a spreadsheet would run as a formula gets a leading quote (domain/csv/export.ts neutralizeCell), and, where COPY
-- does not write the file itself, a cell holding a quote, a comma or a line break is quoted with its quotes doubled
-- (as COPY and csv-stringify both do). Plain SQL functions, so the planner inlines them into the export's query.
create or replace function csv_neutralize(v text) returns text language sql immutable parallel safe as $$
  select case when ascii(v) in (61, 43, 45, 64, 9, 13) then '''' || v else v end
$$;

create or replace function csv_quote(v text) returns text language sql immutable parallel safe as $$
  select case when v is null then '' when v ~ '[",\r\n]' then '"' || replace(v, '"', '""') || '"' else v end
$$;
