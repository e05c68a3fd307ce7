-- Merges the bot has shown and waits to have confirmed: in the database, so that the Merge button works on any
-- gateway process and after a restart, until it expires.
create table bot_pending_merges (
  token text primary key,
  actor_id uuid not null references users (id) on delete cascade,
  primary_id uuid not null,
  duplicate_ids uuid[] not null,
  expires_at timestamptz not null
);
create index bot_pending_merges_expiry on bot_pending_merges (expires_at);
