-- Issue 12: drafts (a file read and previewed, not yet imported), warnings (values left out of imported
-- contacts) and the mappings people confirmed, suggested again for files with the same header row.
alter table imports drop constraint imports_status_check;
alter table imports add constraint imports_status_check check (status in ('draft', 'in_progress', 'completed', 'failed'));
alter table imports add column warnings integer not null default 0;
-- the mapping the import ran with, or the draft's suggestion: {"<header>": "<field>" | null}
alter table imports add column mapping jsonb;
-- a draft's file on disk, deleted when the draft is started, cancelled or 24 hours old
alter table imports add column draft_path text;
create index imports_drafts on imports (created_at) where status = 'draft';

alter table import_rows drop constraint import_rows_kind_check;
alter table import_rows add constraint import_rows_kind_check check (kind in ('failed', 'duplicate', 'warning'));

create table import_mappings (
  -- md5 of the header row joined with newlines: files with the same header row get the same suggestion
  header_key text primary key,
  mapping jsonb not null,
  confirmed_by uuid references users (id) on delete set null,
  confirmed_at timestamptz not null
);
