-- A merge folds duplicates into a primary contact and can be undone: the duplicates are only deactivated (and
-- point at the primary), and the merge records what it changed on the primary and which rows it moved.
create table merges (
  id uuid primary key,
  primary_id uuid not null references contacts (id),
  duplicate_ids uuid[] not null,
  actor_id uuid references users (id) on delete set null,
  created_at timestamptz not null,
  -- {"fields", "preference", "ownerId", "marketingOptOut", "windows"} of the primary before and after the merge
  before jsonb not null,
  after jsonb not null,
  -- {"identities": [{"channel", "externalId", "from"}], "messages": [{"from", "ids"}], "chats": [{"from", "ids"}]}
  moved jsonb not null,
  undone_at timestamptz,
  undone_by uuid references users (id) on delete set null
);
create index merges_primary on merges (primary_id);

-- Pairs a person said are different people; never suggested as duplicates again.
create table duplicate_dismissals (
  a uuid not null references contacts (id),
  b uuid not null references contacts (id),
  dismissed_by uuid references users (id) on delete set null,
  dismissed_at timestamptz not null,
  primary key (a, b),
  check (a < b)
);
