-- Issue 18: imports run as jobs (pg-boss) on any process with WORKERS=on. The file is kept here until the import
-- ends, so that another process can resume it; `rows_done` is the last file row whose batch is saved, where a
-- resumed import carries on. Imports run by jobs have no runner: pg-boss's heartbeat tells a dead one.
-- The file is stored before its import is recorded (a file that cannot be imported is refused and dropped
-- first), so there is no foreign key; what a crash leaves between the two is swept after a day.
create table import_files (
  import_id uuid not null,
  seq integer not null,
  chunk bytea not null,
  stored_at timestamptz not null default now(),
  primary key (import_id, seq)
);
alter table imports alter column runner_id drop not null;
alter table imports add column rows_done integer not null default 0;
