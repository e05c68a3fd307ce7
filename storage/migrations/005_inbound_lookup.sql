-- The sender lookup runs for every incoming message. As one ad-hoc statement PostgreSQL planned it afresh on
-- every execution (0.33 ms of a 0.6 ms message, measured); inside a function its plans are cached. Taking the
-- sender's advisory locks here too saves a round trip. In READ COMMITTED each statement of a volatile function
-- takes a new snapshot, so the reads after the locks see what the previous lock holder committed.
create function inbound_lookup(p_channel text, p_account_id text, p_ids text[], p_mobiles text[], p_message_id text, p_lock_keys text[])
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
      where c.active and (c.mobile = any(p_mobiles) or c.other_mobiles && p_mobiles)
      order by (c.mobile = p_mobiles[1]) desc, c.created_at limit 1;
  end if;
  if found_id is not null then
    select ch.id into found_chat_id from chats ch
      where ch.contact_id = found_id and ch.channel = p_channel and ch.account_id = p_account_id;
  end if;
  return next;
end $$;
