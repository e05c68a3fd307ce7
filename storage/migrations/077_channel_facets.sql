-- A contact's channels and whether it has a chat, kept on the contact and among its facets (issue 21). A filter on a
-- channel joined the contact's identities, so the facets index could not find "instagram contacts from a CRM sync"
-- (none) without reading every instagram contact; a page sorted by last message collected "contacts with a chat
-- that match" by reading every match and throwing away those without one. Both are now facets like the others.
alter table contacts add column channels text[] not null default '{}', add column has_chat boolean not null default false;

-- The channels the contact's identities are on, and whether it has a chat, as they are now; only a row that changes
-- is written, so a writer that already set them (a new contact from a webhook does, storage/inbound/write-plan.ts)
-- costs one index lookup here, not a second version of the row.
create function refresh_contact_channels(ids uuid[]) returns void language sql
begin atomic
  update contacts c set channels = n.channels
  from (select u.id, coalesce((select array_agg(distinct i.channel order by i.channel) from identities i where i.contact_id = u.id), '{}') as channels
        from (select distinct id from unnest(ids) as t(id)) u) n
  where c.id = n.id and c.channels is distinct from n.channels;
end;

create function refresh_contact_has_chat(ids uuid[]) returns void language sql
begin atomic
  update contacts c set has_chat = n.has_chat
  from (select u.id, exists (select 1 from chats ch where ch.contact_id = u.id) as has_chat
        from (select distinct id from unnest(ids) as t(id)) u) n
  where c.id = n.id and c.has_chat <> n.has_chat;
end;

-- Inserts and deletes once per statement (a webhook batch, an import of identities), a move of an identity or a
-- chat to another contact (merges, unmerges, a number taken over) per row; a chat's new message changes neither.
create function contact_facet_rows_changed() returns trigger language plpgsql as $$
declare
  ids uuid[];
begin
  if tg_op = 'INSERT' then ids := array(select contact_id from added);
  elsif tg_op = 'DELETE' then ids := array(select contact_id from removed);
  else ids := array[old.contact_id, new.contact_id];
  end if;
  if tg_argv[0] = 'channels' then perform refresh_contact_channels(ids); else perform refresh_contact_has_chat(ids); end if;
  return null;
end $$;
create trigger identities_added after insert on identities referencing new table as added for each statement execute function contact_facet_rows_changed('channels');
create trigger identities_removed after delete on identities referencing old table as removed for each statement execute function contact_facet_rows_changed('channels');
create trigger identities_moved after update of contact_id on identities for each row when (old.contact_id is distinct from new.contact_id) execute function contact_facet_rows_changed('channels');
create trigger chats_added after insert on chats referencing new table as added for each statement execute function contact_facet_rows_changed('has_chat');
create trigger chats_removed after delete on chats referencing old table as removed for each statement execute function contact_facet_rows_changed('has_chat');
create trigger chats_moved after update of contact_id on chats for each row when (old.contact_id is distinct from new.contact_id) execute function contact_facet_rows_changed('has_chat');

update contacts c set channels = n.channels
from (select contact_id, array_agg(distinct channel order by channel) as channels from identities group by contact_id) n
where c.id = n.contact_id;
update contacts c set has_chat = true where exists (select 1 from chats ch where ch.contact_id = c.id);

-- The facets gain the channels (their names, beside `c:…`-style tokens and label ids) and `h:1`/`h:0` for a chat;
-- the issues join the fields as a column of the same index, so an issue with a column or a field is one scan too.
drop index contacts_facets;
drop function contact_facets(text, uuid, text, text, uuid[]);
create function contact_facets(country text, owner_id uuid, preference text, source text, label_ids uuid[], channels text[], has_chat boolean) returns text[]
  language sql immutable parallel safe
  return array['c:' || coalesce(country, ''), 'o:' || coalesce(owner_id::text, ''), 'p:' || preference, 's:' || source, case when has_chat then 'h:1' else 'h:0' end]
    || label_ids::text[] || channels;
create index contacts_facets on contacts using gin (contact_facets(country, owner_id, preference, source, label_ids, channels, has_chat), fields jsonb_path_ops, issues jsonb_path_ops);

-- Found through the facets now, and the one lookup left, "has this contact this channel", reads the contact's row.
drop index identities_channel_contact;

analyze contacts;
