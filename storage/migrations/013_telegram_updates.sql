-- Telegram redelivers an update when the webhook is slow or fails; each one is handled once, whichever process
-- gets it. Kept two days (Telegram gives up on an update after 24 hours).
create table telegram_updates (
  bot_id bigint not null,
  update_id bigint not null,
  received_at timestamptz not null,
  primary key (bot_id, update_id)
);
create index telegram_updates_received on telegram_updates (received_at);
