-- Search ignores accents as well as case: "muller" finds "José Müller", "nguyen" finds "Nguyễn Văn An".
-- unaccent() is only STABLE (its dictionary could be changed under it), so it cannot feed a generated column or
-- an index; this wrapper names the dictionary by schema and is declared IMMUTABLE, as the PostgreSQL docs advise
-- (https://www.postgresql.org/docs/current/unaccent.html). The query side folds its terms with the same function.
create extension if not exists unaccent schema public;

create or replace function search_fold(text) returns text
  language sql immutable parallel safe strict
  return lower(public.unaccent('public.unaccent'::regdictionary, $1));

-- PostgreSQL 15 cannot change a generated column's expression: drop it (with its index) and add it again.
alter table contacts drop column search_text;
alter table contacts add column search_text text generated always as (
  search_fold(coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company, ''))
) stored;
alter table contacts alter column search_text set statistics 1000;
create index contacts_search_text_trgm on contacts using gin (search_text gin_trgm_ops) where active;

-- The contact list's orders and filters (GET /v1/contacts, the console): each sort key walks an index, so a page
-- after a cursor reads a page of rows, and the selective filters have an index that is also in id order.
create index contacts_name_order on contacts (lower(name), id) where active;
create index chats_last_message on chats (last_message_at, contact_id, id);
drop index contacts_owner;
create index contacts_owner on contacts (owner_id, id);
create index contacts_country on contacts (country, id) where active;
-- Almost every contact has no issues: only the others are indexed, and queries say `issues <> '[]'`.
create index contacts_issues on contacts using gin (issues jsonb_path_ops) where active and issues <> '[]';
