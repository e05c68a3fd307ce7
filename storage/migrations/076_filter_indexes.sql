-- The contact list's filters (issue 21). A filtered page walks its first rows, else collects its matches through
-- indexes, else walks on (storage/contact-filter-plan.ts); these let the collecting find exactly the matches.

-- What the planner knows of the filter columns together: a country's contacts belong to one team's owners, CRM
-- contacts are mostly proactive, chats mostly reactive. Without it the planner multiplies the columns' shares
-- (owner × country ≈ 3,300 contacts where there are none) and walks a whole country, or the whole book, for a
-- page that is empty. 1000 keeps every (country, owner, preference, source) seen in the list of common values
-- (a book of 30 countries and 16 owners has about 900) and costs no extra rows to ANALYZE: search_text's
-- statistics (002) already sample 300,000. (Filter combinations over 30 ms: 65 of 259 without, 51 with.)
create statistics contacts_filter_columns (mcv, dependencies) on country, owner_id, preference, source from contacts;
alter statistics contacts_filter_columns set statistics 1000;

-- The same four columns and the labels as one set of facets per contact, in one GIN index beside the custom fields:
-- a filter on two or more of them (country and owner, source and preference, a label in a country, a custom field
-- and a source, …) reads exactly the contacts that match all of them, driven by the rarest, where one index per
-- column hands over every contact of each value to be read and thrown away (measured on the 1M console book: the
-- filter combinations' summed time 10.0 s without it, 6.4 s with). A plain expression (label ids as text are their
-- own facets), so PostgreSQL inlines the function and the query's expression matches the index's.
create function contact_facets(country text, owner_id uuid, preference text, source text, label_ids uuid[]) returns text[]
  language sql immutable parallel safe
  return array['c:' || coalesce(country, ''), 'o:' || coalesce(owner_id::text, ''), 'p:' || preference, 's:' || source] || label_ids::text[];
-- Not partial (`where active`): PostgreSQL reads the statistics of an index's expression only from an index on the
-- whole table, and without them it guesses 0.5% per facet (25 contacts for two, where there are 17,000).
create index contacts_facets on contacts using gin (contact_facets(country, owner_id, preference, source, label_ids), fields jsonb_path_ops);

-- A channel's contacts in id order, from the index alone: the channel filter joins this list to the page's walk
-- (or to the collected matches) instead of looking each contact's identities up (channel combinations' summed
-- time 4.7–5.7 s without it, 3.2–3.4 s with).
create index identities_channel_contact on identities (channel, contact_id);

-- The statistics above exist only once the table is analyzed: autovacuum would wait for a tenth of the book to change.
analyze contacts;
