-- Who changed what on a contact, when and through which door. Creation by an import or a message is not written
-- here: the contact row already says when and from where (the history derives it), which keeps the hot paths lean.
create table contact_history (
  id uuid primary key default gen_random_uuid(),
  contact_id uuid not null references contacts (id) on delete cascade,
  at timestamptz not null,
  kind text not null check (kind in ('created', 'updated', 'deleted', 'merged', 'unmerged')),
  actor_id uuid references users (id) on delete set null,
  source text not null check (source in ('manual', 'import', 'incoming', 'crm', 'merge', 'bot', 'console')),
  changes jsonb,
  import_id uuid,
  merge_id uuid
);
create index contact_history_contact on contact_history (contact_id, at desc, id desc);
