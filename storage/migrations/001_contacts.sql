create extension if not exists pg_trgm;

create table users (
  id uuid primary key,
  name text not null,
  role text not null check (role in ('admin', 'agent')),
  -- SHA-256 of the bearer token: tokens are long random strings, so a fast hash is enough and lookups stay O(1).
  token_hash bytea unique,
  telegram_id bigint unique,
  builtin boolean not null default false,
  active boolean not null default true,
  created_at timestamptz not null default now()
);
create unique index users_one_builtin on users (builtin) where builtin;

create table contacts (
  id uuid primary key,
  name text,
  mobile text,
  email text,
  date_of_birth date,
  company text,
  street text,
  city text,
  state text,
  zip text,
  country text,
  country_source text check (country_source in ('entered', 'detected')),
  social jsonb not null default '{}',
  other_mobiles text[] not null default '{}',
  -- stored lower-cased: they are only ever compared case-insensitively
  other_emails text[] not null default '{}',
  owner_id uuid references users (id) on delete set null,
  preference text not null check (preference in ('proactive', 'reactive')),
  source text not null check (source in ('manual', 'import', 'incoming', 'crm')),
  issues jsonb not null default '[]',
  active boolean not null default true,
  merged_into uuid references contacts (id),
  created_at timestamptz not null,
  updated_at timestamptz not null,
  -- the mobile's digits reversed, so "ends with these digits" is an index range scan
  mobile_digits_rev text generated always as (reverse(regexp_replace(coalesce(mobile, ''), '[^0-9]', '', 'g'))) stored,
  search_text text generated always as (
    lower(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company, ''))
  ) stored
);

create unique index contacts_mobile_unique on contacts (mobile) where active and mobile is not null;
create unique index contacts_email_unique on contacts (lower(email)) where active and email is not null;
create index contacts_mobile_digits_rev on contacts (mobile_digits_rev text_pattern_ops) where active;
create index contacts_search_text_trgm on contacts using gin (search_text gin_trgm_ops) where active;
create index contacts_other_mobiles on contacts using gin (other_mobiles) where active;
create index contacts_other_emails on contacts using gin (other_emails) where active;
create index contacts_owner on contacts (owner_id);

create table identities (
  channel text not null,
  external_id text not null,
  contact_id uuid not null references contacts (id) on delete cascade,
  created_at timestamptz not null default now(),
  primary key (channel, external_id)
);
create index identities_contact on identities (contact_id);
