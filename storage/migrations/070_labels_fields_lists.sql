-- Labels: a contact's labels are an array of label ids on its row, so that a filter on one or several labels is a
-- GIN containment (`label_ids @> …`) and a rename shows on every contact without touching them.
create table labels (
  id uuid primary key,
  name text not null,
  -- the name folded for case and accents: "Café" and "cafe" are one label
  name_key text not null unique,
  color text,
  created_at timestamptz not null
);
alter table contacts add column label_ids uuid[] not null default '{}';
create index contacts_label_ids on contacts using gin (label_ids) where active;

-- Custom fields: admins define them; a contact's values sit in one jsonb object keyed by the field's key, typed as
-- JSON (numbers as numbers, yes/no as booleans, dates as 'YYYY-MM-DD'), so that equality is a containment.
create table custom_fields (
  key text primary key check (key ~ '^[a-z][a-z0-9_]{0,39}$'),
  label text not null,
  type text not null check (type in ('text', 'number', 'date', 'boolean', 'choice')),
  choices jsonb,
  created_at timestamptz not null
);
alter table contacts add column fields jsonb not null default '{}';
create index contacts_fields on contacts using gin (fields jsonb_path_ops) where active and fields <> '{}';

-- Contact lists: the groups a broadcast goes to. Membership rows stay when a contact is deleted or merged away
-- (so that an undo brings them back); every read joins active contacts only.
create table contact_lists (
  id uuid primary key,
  name text not null,
  description text not null default '',
  owner_id uuid references users (id) on delete set null,
  created_at timestamptz not null
);
create table list_members (
  list_id uuid not null references contact_lists (id) on delete cascade,
  contact_id uuid not null references contacts (id) on delete cascade,
  added_at timestamptz not null,
  primary key (list_id, contact_id)
);
create index list_members_contact on list_members (contact_id);
