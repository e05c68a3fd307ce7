-- A finer sample of search_text lets the planner estimate how many rows a "%fragment%" matches. With the
-- default sample it guesses ~100 for common fragments, picks a bitmap scan of thousands of scattered rows and
-- sorts them (30 ms at 1M contacts) instead of walking the id index until it has a page of matches (1 ms).
alter table contacts alter column search_text set statistics 1000;
alter table contacts alter column mobile_digits_rev set statistics 1000;
