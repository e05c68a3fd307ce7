-- Round-robin turns from one counter row per inbox instead of one sequence per inbox: creating the sequence on
-- first use was not safe against itself (two first chats at once: duplicate key in pg_class), put DDL on the hot
-- path and a catalog object per inbox. The row is taken with insert … on conflict do update, which is safe under
-- concurrency; its lock lasts until the batch commits, and batches ask for all their turns of an inbox at once.
create table inbox_turns (
  channel text not null,
  account_id text not null,
  next_turn bigint not null,
  primary key (channel, account_id)
);

-- Carry on where each inbox's sequence was, then drop the sequences.
do $$
declare
  r record;
  seq regclass;
  last bigint;
  called boolean;
begin
  for r in select channel, account_id from inboxes loop
    seq := to_regclass(quote_ident('inbox_turn_' || md5(r.channel || ':' || r.account_id)));
    if seq is not null then
      execute format('select last_value, is_called from %s', seq) into last, called;
      insert into inbox_turns (channel, account_id, next_turn) values (r.channel, r.account_id, case when called then last + 1 else last end);
    end if;
  end loop;
  for r in select c.oid::regclass as s from pg_class c
           where c.relkind = 'S' and c.relname like 'inbox\_turn\_%' and c.relnamespace = current_schema()::regnamespace loop
    execute format('drop sequence %s', r.s);
  end loop;
end $$;

-- The first of p_count consecutive turns of an inbox (0 for its first chat).
create function inbox_turns(p_channel text, p_account_id text, p_count int) returns bigint
language sql as $$
  insert into inbox_turns as t (channel, account_id, next_turn) values (p_channel, p_account_id, p_count)
  on conflict (channel, account_id) do update set next_turn = t.next_turn + p_count
  returning t.next_turn - p_count
$$;

create or replace function inbox_turn(p_channel text, p_account_id text) returns bigint
language sql as $$ select inbox_turns(p_channel, p_account_id, 1) $$;
