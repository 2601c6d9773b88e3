-- 0013: people are searched and found by name across spelling variants
-- (SPEC §3 PERSON, issue 13): search_key holds nomtrack.Person.SearchKey,
-- the Latin and the Arabic name each folded (letter variants, diacritics,
-- spacing, transliteration) and joined by one space. Every write of a
-- person's name keeps it (store, import loader, merge); the folding is Go,
-- so existing rows are filled by the migration runner right after this file
-- (backfillSearchKeys).
ALTER TABLE person ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
