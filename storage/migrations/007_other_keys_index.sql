-- Almost every contact has no other mobiles or emails. Indexed, those empty arrays filled the GIN indexes and their
-- pending lists (every probe scanned them: 0.6 ms each, measured on 90k contacts), and the planner, seeing
-- "&&" match nearly every row, preferred a sequential scan. Only non-empty arrays are indexed now, and every
-- query says `<> '{}'` so that the partial index applies.
drop index contacts_other_mobiles;
drop index contacts_other_emails;
create index contacts_other_mobiles on contacts using gin (other_mobiles) where active and other_mobiles <> '{}';
create index contacts_other_emails on contacts using gin (other_emails) where active and other_emails <> '{}';

create or replace function inbound_lookup(p_channel text, p_account_id text, p_ids text[], p_mobiles text[], p_message_id text, p_lock_keys text[])
returns table (found_seen boolean, found_id uuid, found_owner_id uuid, found_name text, found_mobile text, found_chat_id uuid)
language plpgsql as $$
declare
  k text;
begin
  foreach k in array p_lock_keys loop
    perform pg_advisory_xact_lock(hashtextextended(k, 0));
  end loop;
  found_seen := p_message_id is not null
    and exists (select 1 from messages m where m.channel = p_channel and m.external_id = p_message_id);
  select c.id, c.owner_id, c.name, c.mobile into found_id, found_owner_id, found_name, found_mobile
    from identities i join contacts c on c.id = i.contact_id
    where i.channel = p_channel and i.external_id = any(p_ids) and c.active
    order by array_position(p_ids, i.external_id) limit 1;
  if found_id is null and cardinality(p_mobiles) > 0 then
    select c.id, c.owner_id, c.name, c.mobile into found_id, found_owner_id, found_name, found_mobile
      from contacts c
      where c.active and (c.mobile = any(p_mobiles) or (c.other_mobiles <> '{}' and c.other_mobiles && p_mobiles))
      order by (c.mobile = p_mobiles[1]) desc, c.created_at limit 1;
  end if;
  if found_id is not null then
    select ch.id into found_chat_id from chats ch
      where ch.contact_id = found_id and ch.channel = p_channel and ch.account_id = p_account_id;
  end if;
  return next;
end $$;
