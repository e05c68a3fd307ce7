-- What an import gives every contact it names besides the file's own columns: labels, and a list to join. Kept on
-- the import so that a resumed import goes on with them.
alter table imports add column label_names text[] not null default '{}';
alter table imports add column list_id uuid references contact_lists (id) on delete set null;
