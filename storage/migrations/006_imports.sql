create table imports (
  id uuid primary key,
  source text not null check (source in ('file', 'hubspot', 'zoho')),
  file_name text,
  owner_id uuid references users (id) on delete set null,
  on_duplicate text not null check (on_duplicate in ('skip', 'update')),
  status text not null check (status in ('in_progress', 'completed', 'failed')),
  failure_reason text,
  -- the process running the import; an in_progress import whose runner is gone was interrupted
  runner_id uuid not null,
  headers text[] not null default '{}',
  ignored_columns text[] not null default '{}',
  encoding text,
  delimiter text,
  bytes_total bigint,
  bytes_read bigint not null default 0,
  total_rows integer not null default 0,
  imported integer not null default 0,
  updated integer not null default 0,
  duplicates integer not null default 0,
  failed integer not null default 0,
  created_at timestamptz not null,
  finished_at timestamptz
);
create index imports_newest on imports (created_at desc, id desc);
create index imports_in_progress on imports (runner_id) where status = 'in_progress';

-- Only the rows that were not imported are kept, with the original values, so they can be fixed and sent again.
create table import_rows (
  import_id uuid not null references imports (id) on delete cascade,
  row_number integer not null,
  kind text not null check (kind in ('failed', 'duplicate')),
  reason text not null,
  errors jsonb,
  duplicate_of uuid,
  -- the record as read: a JSON array of strings (records need not have the same length)
  data jsonb not null,
  primary key (import_id, row_number)
);

-- Which import row created a contact: a later row with the same mobile or email is reported as a duplicate
-- of that row rather than of "an existing contact".
alter table contacts add column import_id uuid, add column import_row integer;
