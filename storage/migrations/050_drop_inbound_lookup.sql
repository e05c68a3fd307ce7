-- Every inbound event that names a person is now looked up through inbound_lookup_batch (storage/inbound/batch.ts);
-- the single-event function (005, 007) had no caller left.
drop function if exists inbound_lookup(text, text, text[], text[], text, text[]);
