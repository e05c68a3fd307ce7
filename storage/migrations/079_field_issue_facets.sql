-- A contact's custom field values and issues become facets too (`f:<key>=<value>`, `i:<code>`), in the one text[]
-- column of the facets index. As jsonb_path_ops columns of the same index they made every match a lossy one: each
-- row found was tested again, its facets rebuilt and its fields compared (a country and a field whose matches were
-- 31,500 contacts: 35 ms of a 60 ms page). An array's "contains" is exact, so a match is taken as found.
-- A value is written as jsonb writes it (a string quoted, so "true" is not true), a number without trailing zeros
-- (1.50 and 1.5 are the same number, as they are to `fields @> …`); a value that is not an object (fields) or an
-- array (issues) has none, rather than failing the write. A value longer than 256 bytes is its md5 (unquoted, so
-- no other value's token): an index entry holds at most 2.7 kB, and a note of 1,000 CJK characters is 3 kB.
-- The same function makes the tokens a filter looks for, so the two cannot disagree.
create function facet_value_tokens(fields jsonb, issues jsonb) returns text[]
  language sql immutable parallel safe
  return array(select 'f:' || f.key || '=' || case when jsonb_typeof(f.value) = 'number' then trim_scale(f.value::numeric)::text
                 when octet_length(f.value::text) > 256 then md5(f.value::text) else f.value::text end
               from jsonb_each(case jsonb_typeof(fields) when 'object' then fields else '{}' end) f)
    || array(select 'i:' || (i.value ->> 'code') from jsonb_array_elements(case jsonb_typeof(issues) when 'array' then issues else '[]' end) i);

drop index contacts_facets;
drop function contact_facets(text, uuid, text, text, uuid[], text[], boolean);
create function contact_facets(country text, owner_id uuid, preference text, source text, label_ids uuid[], channels text[], has_chat boolean, fields jsonb, issues jsonb) returns text[]
  language sql immutable parallel safe
  return array['c:' || coalesce(country, ''), 'o:' || coalesce(owner_id::text, ''), 'p:' || preference, 's:' || source, case when has_chat then 'h:1' else 'h:0' end]
    || label_ids::text[] || channels
    -- Most contacts have neither, and the function's queries cost 5 µs a row (5 s on an import of 1M).
    || case when fields = '{}' and issues = '[]' then '{}'::text[] else facet_value_tokens(fields, issues) end;
create index contacts_facets on contacts using gin (contact_facets(country, owner_id, preference, source, label_ids, channels, has_chat, fields, issues));

analyze contacts;
