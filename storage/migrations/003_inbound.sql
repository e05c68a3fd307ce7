-- Inboxes are the business accounts messages arrive at: a WhatsApp phone_number_id, a Facebook page id or an
-- Instagram account id. Agents are members of the inboxes they take chats from.
create table inboxes (
  channel text not null check (channel in ('whatsapp', 'instagram', 'messenger')),
  account_id text not null,
  -- how many chats round-robin has handed out; the next agent is members[rr_counter % count]
  rr_counter bigint not null default 0,
  created_at timestamptz not null default now(),
  primary key (channel, account_id)
);

create table inbox_members (
  channel text not null,
  account_id text not null,
  user_id uuid not null references users (id) on delete cascade,
  primary key (channel, account_id, user_id),
  foreign key (channel, account_id) references inboxes (channel, account_id) on delete cascade
);
create index inbox_members_user on inbox_members (user_id);

create table chats (
  id uuid primary key,
  contact_id uuid not null references contacts (id),
  channel text not null,
  account_id text not null,
  assignee_id uuid references users (id) on delete set null,
  created_at timestamptz not null,
  last_message_at timestamptz not null,
  unique (contact_id, channel, account_id)
);

create table messages (
  id uuid primary key,
  channel text not null,
  external_id text not null,
  direction text not null check (direction in ('inbound', 'outbound')),
  contact_id uuid references contacts (id),
  chat_id uuid references chats (id),
  account_id text,
  type text not null,
  text text,
  raw jsonb not null,
  status text,
  status_at timestamptz,
  error jsonb,
  sent_at timestamptz not null,
  created_at timestamptz not null default now(),
  unique (channel, external_id)
);
create index messages_contact_sent on messages (contact_id, sent_at desc, id desc);

-- When the contact last wrote to us on each channel, and to which of our accounts: it opens the messaging window.
create table contact_channels (
  contact_id uuid not null references contacts (id),
  channel text not null,
  last_inbound_at timestamptz not null,
  last_inbound_account text not null,
  primary key (contact_id, channel)
);

create table consent_events (
  id uuid primary key,
  contact_id uuid not null references contacts (id),
  channel text not null,
  kind text not null check (kind in ('stop_keyword', 'marketing_stop', 'marketing_resume')),
  detail text,
  external_id text,
  at timestamptz not null,
  unique (channel, kind, external_id)
);
create index consent_events_contact on consent_events (contact_id, at);

alter table contacts add column marketing_opt_out boolean not null default false;
