-- Issue 18: Meta deliveries are answered once their raw body is committed here; drainers (any process with
-- WORKERS=on) turn them into contacts, chats and messages in arrival order (id), and delete each delivery in the
-- transaction that applies it. The messages keep every message's raw JSON, so a second copy is not kept.
create table inbox (
  id bigint generated always as identity primary key,
  channel text not null check (channel in ('whatsapp', 'instagram', 'messenger')),
  body text not null,
  received_at timestamptz not null,
  -- failed attempts so far; a delivery that failed waits until retry_at, and after its last attempt is dead
  attempts integer not null default 0,
  retry_at timestamptz,
  last_error text,
  dead_at timestamptz,
  -- the person keys of a delivery that failed: later deliveries of the same people wait behind it (sender order)
  sender_keys text[]
);
create index inbox_waiting on inbox (id) where dead_at is null;
create index inbox_dead on inbox (dead_at desc, id desc) where dead_at is not null;
