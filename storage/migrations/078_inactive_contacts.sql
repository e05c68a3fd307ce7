-- The few contacts merged away or deleted, by id: a list's member count is its entries (an index-only count of
-- list_members) less those of its members found here, instead of a join of every member with the contacts that
-- the planner answered by reading all of them (740 ms for a 19,000-member list on a 1M book; 6 ms this way).
create index contacts_inactive on contacts (id) where not active;
